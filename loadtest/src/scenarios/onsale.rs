//! `onsale`: a scheduled sale with a random start, from the entrants' side. Each entrant joins
//! at its slot of the window (its arrival index), holds its socket through the pre-queue, the
//! close and the draw, records its first drawn position and its `ready`, and closes. The
//! controller ([`crate::run`]) schedules the sale and opens admission once the draw is made.

use std::sync::Arc;

use serde_json::Value;
use tokio::task::JoinSet;

use super::{Client, Ctx, Held, hold, next_message, record_status};
use crate::cli::OnsaleArgs;
use crate::net::Ws;
use crate::raw::{EntrantSample, OnsaleSetup};

/// What every process of the run derives from its arguments and the shared ramp start.
pub fn setup(args: &OnsaleArgs, epoch_ms: u64) -> OnsaleSetup {
    OnsaleSetup {
        sale_starts_at_ms: args.sale_starts_at_ms(epoch_ms),
        window_s: args.window_secs,
        start_after_s: args.start_after_secs,
        admit_rate: args.admit_rate,
        admit_burst: args.admit_burst(),
        admit_delay_ms: args.admit_delay_ms,
        ready_tolerance_ms: args.ready_tolerance_ms,
    }
}

pub async fn run(ctx: Arc<Ctx>, args: OnsaleArgs) {
    let setup = setup(&args, ctx.epoch_us / 1_000);
    ctx.rec.with_raw(|raw| raw.onsale = Some(setup));
    let args = Arc::new(args);
    let mut tasks = JoinSet::new();
    for i in ctx.indexes(args.entrants) {
        tasks.spawn(entrant(ctx.clone(), args.clone(), i));
    }
    while tasks.join_next().await.is_some() {}
}

/// One entrant's life across its connections.
struct Life {
    token: String,
    sample: EntrantSample,
    last_position: Option<u64>,
    /// A retry hint from a `reconnect` message, for the close that follows it.
    retry_after_ms: Option<u64>,
}

async fn entrant(ctx: Arc<Ctx>, args: Arc<OnsaleArgs>, i: u64) {
    tokio::time::sleep_until(ctx.start_of(i, args.ramp_rate())).await;
    if ctx.expired() {
        ctx.rec.count("onsale.not_started");
        return;
    }
    let Some(joined) = ctx.join(i, None).await else {
        ctx.rec.count("onsale.join_failed");
        return;
    };
    if joined.position > 0 {
        // Not in the pre-queue: it joined after the entry list closed.
        ctx.rec.count("onsale.joined_with_position");
    }
    let mut life = Life {
        sample: EntrantSample {
            index: i,
            join_start_us: joined.start_us,
            join_done_us: joined.done_us,
            join_position: joined.position,
            ..Default::default()
        },
        token: joined.token,
        last_position: None,
        retry_after_ms: None,
    };
    let outcome = hold(&ctx, i, args.max_reconnects, &mut life).await;
    ctx.rec.count(&format!("onsale.{outcome}"));
    ctx.rec.entrant(life.sample);
}

/// One connection's messages, until an outcome.
impl Client for Life {
    fn token(&self) -> String {
        self.token.clone()
    }

    async fn read(&mut self, ctx: &Ctx, ws: &mut Ws, connect_start: u64) -> Held {
        read(ctx, ws, self, connect_start).await
    }
}

async fn read(ctx: &Ctx, ws: &mut Ws, life: &mut Life, connect_start: u64) -> Held {
    let mut snapshot_seen = false;
    loop {
        let m = match next_message(ctx, ws, &mut life.retry_after_ms, None).await {
            Ok(m) => m,
            Err(held) => return held,
        };
        match m.kind() {
            kind @ ("snapshot" | "position" | "ready") => {
                record_status(ctx, &m, connect_start, &mut snapshot_seen);
                if kind == "position" {
                    life.sample.pushes += 1;
                }
                let kind = kind.to_owned();
                if observe(life, &kind, &m.v, m.recv_us, m.server_ms) {
                    ctx.rec.hist(
                        "time_to_ready",
                        m.recv_us.saturating_sub(life.sample.join_done_us),
                    );
                    ctx.rec.bin(|b| b.admitted += 1);
                    return Held::Done("admitted");
                }
            }
            "left" => return Held::Done("left"),
            "expired" => return Held::Done("expired"),
            "sale_ended" => return Held::Done("sale_ended"),
            "reconnect" => life.retry_after_ms = m.v["retry_after_ms"].as_u64(),
            "error" => ctx.rec.count("ws.error_message"),
            _ => {}
        }
    }
}

/// Reads one status (`snapshot`, `position` or `ready`) into the entrant's sample: whether it
/// says admitted.
fn observe(life: &mut Life, kind: &str, v: &Value, recv_us: u64, server_ms: u64) -> bool {
    let s = &mut life.sample;
    let rank = v["drawn_rank"].as_u64();
    if let (Some(first), Some(now)) = (s.drawn_rank, rank)
        && first != now
    {
        s.rank_changes += 1;
    }
    match v["phase"].as_str().or(v["status"].as_str()) {
        Some("drawing") => s.drawing_seen += 1,
        Some("waiting") => {
            let pos = v["position"].as_u64().unwrap_or(0);
            if s.first_recv_us.is_none() {
                s.first_kind = Some(kind.to_owned());
                s.first_recv_us = Some(recv_us);
                s.first_server_ms = Some(server_ms);
                s.first_position = Some(pos);
                s.drawn_rank = rank;
            } else if life.last_position.is_some_and(|last| pos > last) {
                s.position_increases += 1;
            }
            life.last_position = Some(pos);
        }
        Some("admitted") | Some("entered") | Some("ready") => {
            s.ready_recv_us = Some(recv_us);
            s.ready_server_ms = Some(server_ms);
            s.admitted_at_ms = v["admitted_at"].as_u64();
            if s.drawn_rank.is_none() {
                s.drawn_rank = rank;
            }
            return true;
        }
        _ => {}
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn life() -> Life {
        Life {
            token: String::new(),
            sample: EntrantSample::default(),
            last_position: None,
            retry_after_ms: None,
        }
    }

    #[test]
    fn the_first_waiting_status_is_the_drawn_position_and_later_ones_must_not_go_up() {
        let mut l = life();
        let pre = json!({"phase": "prequeue", "position": 0, "prequeue_size": 3});
        assert!(!observe(&mut l, "snapshot", &pre, 1_000, 1));
        let drawing = json!({"phase": "drawing", "position": 0});
        assert!(!observe(&mut l, "position", &drawing, 2_000, 2));
        let drawn = json!({"phase": "waiting", "position": 7, "drawn_rank": 7});
        assert!(!observe(&mut l, "position", &drawn, 3_000, 3));
        let closer = json!({"phase": "waiting", "position": 5, "drawn_rank": 7});
        assert!(!observe(&mut l, "position", &closer, 4_000, 4));
        let back = json!({"phase": "waiting", "position": 6, "drawn_rank": 8});
        assert!(!observe(&mut l, "position", &back, 5_000, 5));
        let ready = json!({"phase": "admitted", "position": 0, "admitted_at": 9, "drawn_rank": 7});
        assert!(observe(&mut l, "ready", &ready, 6_000, 10));
        let s = &l.sample;
        assert_eq!(s.first_kind.as_deref(), Some("position"));
        assert_eq!((s.first_recv_us, s.first_server_ms), (Some(3_000), Some(3)));
        assert_eq!((s.first_position, s.drawn_rank), (Some(7), Some(7)));
        assert_eq!(
            (s.drawing_seen, s.position_increases, s.rank_changes),
            (1, 1, 1)
        );
        assert_eq!(
            (s.ready_recv_us, s.ready_server_ms, s.admitted_at_ms),
            (Some(6_000), Some(10), Some(9))
        );
    }
}
