//! The workloads. Each scenario runs this process's share of the clients (every `count`-th
//! index from `index`, see [`Ctx::indexes`]) on a ramp shared by all processes, and records
//! into the context's [`Recorder`].

use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;

use crate::cli::Shard;
use futures::StreamExt;
use tokio_tungstenite::tungstenite::Message;

use crate::net::{Answer, Net, Ws, call, failure_kind};
use crate::now_us;
use crate::raw::{Recorder, WaiterSample};

pub mod attack;
pub mod flow;
pub mod join_storm;
pub mod onsale;
pub mod poll;
pub mod waiters;

/// How one WebSocket connection of a client ended.
pub enum Held {
    Done(&'static str),
    /// Reconnect after this many milliseconds.
    Retry(u64),
}

/// One WebSocket connection of client `i`: connects (a failed connect is retried after a
/// second), lets the client read it, and once the client is done closes it politely, giving
/// the close handshake a moment.
async fn connection(ctx: &Ctx, i: u64, client: &mut impl Client) -> Held {
    let connect_start = now_us();
    let token = client.token();
    let mut ws = match tokio::time::timeout_at(ctx.deadline, ctx.net.ws(i, &token)).await {
        Err(_) => return Held::Done("unfinished"),
        Ok(Err(e)) => {
            ctx.rec.count("ws.connect_error");
            ctx.rec
                .count(&format!("ws.connect_error.{}", failure_kind(&e)));
            return Held::Retry(1_000);
        }
        Ok(Ok(ws)) => ws,
    };
    ctx.rec.opened();
    let held = client.read(ctx, &mut ws, connect_start).await;
    ctx.rec.closed();
    if matches!(held, Held::Done(_)) {
        let _ = ws.close(None).await;
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            while let Some(Ok(_)) = ws.next().await {}
        })
        .await;
    }
    held
}

/// Close codes after which a client should reconnect (README: "Close codes").
const RECONNECT_CODES: [u16; 5] = [1011, 1012, 1013, 4001, 4008];

/// One server message as a client read it.
pub struct Incoming {
    pub v: Value,
    /// When it arrived (µs since the epoch).
    pub recv_us: u64,
    /// When the server produced it (`server_time`, ms).
    pub server_ms: u64,
}

impl Incoming {
    pub fn kind(&self) -> &str {
        self.v["type"].as_str().unwrap_or("")
    }

    /// Its delivery latency, from its production to its arrival.
    pub fn latency_us(&self) -> u64 {
        self.recv_us.saturating_sub(self.server_ms * 1_000)
    }
}

/// The next server message of `ws`, or how the connection ended: a drop or a close with a
/// reconnect code is a retry (after the delay a `reconnect` message gave, `retry_after_ms`),
/// 4410 is `expired`, a 1000 close is `on_1000` if given, any other close `closed`.
pub async fn next_message(
    ctx: &Ctx,
    ws: &mut Ws,
    retry_after_ms: &mut Option<u64>,
    on_1000: Option<&'static str>,
) -> Result<Incoming, Held> {
    loop {
        let frame = match tokio::time::timeout_at(ctx.deadline, ws.next()).await {
            Err(_) => return Err(Held::Done("unfinished")),
            Ok(None) | Ok(Some(Err(_))) => {
                ctx.rec.count("ws.dropped");
                return Err(Held::Retry(retry_after_ms.take().unwrap_or(1_000)));
            }
            Ok(Some(Ok(frame))) => frame,
        };
        let text = match frame {
            Message::Text(t) => t,
            Message::Close(frame) => {
                let code = frame.map_or(1005, |f| u16::from(f.code));
                ctx.rec.count(&format!("ws.close.{code}"));
                return Err(match code {
                    1000 if on_1000.is_some() => Held::Done(on_1000.unwrap_or("closed")),
                    4410 => Held::Done("expired"),
                    c if RECONNECT_CODES.contains(&c) => {
                        Held::Retry(retry_after_ms.take().unwrap_or(1_000))
                    }
                    _ => Held::Done("closed"),
                });
            }
            _ => continue,
        };
        let recv_us = now_us();
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            ctx.rec.count("ws.bad_json");
            continue;
        };
        let server_ms = v["server_time"].as_u64().unwrap_or(0);
        return Ok(Incoming {
            v,
            recv_us,
            server_ms,
        });
    }
}

/// Records a status message (`snapshot`, `position` or `ready`): its latency, and for the
/// connection's first snapshot the time since the connect started.
pub fn record_status(ctx: &Ctx, m: &Incoming, connect_start: u64, snapshot_seen: &mut bool) {
    let (kind, latency_us) = (m.kind(), m.latency_us());
    if kind == "snapshot" {
        ctx.rec.hist("push.snapshot", latency_us);
        if !*snapshot_seen {
            *snapshot_seen = true;
            ctx.rec
                .hist("time_to_snapshot", m.recv_us.saturating_sub(connect_start));
        }
    } else {
        ctx.rec.hist("push", latency_us);
        ctx.rec.hist(&format!("push.{kind}"), latency_us);
        ctx.rec.bin(|b| b.latency.record_us(latency_us));
    }
}

/// A socket client's life across its connections.
pub(crate) trait Client {
    /// Its waiting token.
    fn token(&self) -> String;
    /// Handles one connection's messages until it ends.
    async fn read(&mut self, ctx: &Ctx, ws: &mut Ws, connect_start: u64) -> Held;
}

/// Holds client `i`'s socket across reconnects (at most `max_reconnects`, after the delay each
/// close asked for, never past the deadline) and returns how it ended.
pub(crate) async fn hold(
    ctx: &Ctx,
    i: u64,
    max_reconnects: u32,
    client: &mut impl Client,
) -> &'static str {
    let mut reconnects = 0;
    loop {
        match connection(ctx, i, client).await {
            Held::Done(outcome) => return outcome,
            Held::Retry(_) if ctx.expired() => return "unfinished",
            Held::Retry(_) if reconnects >= max_reconnects => return "reconnects_exhausted",
            Held::Retry(after_ms) => {
                reconnects += 1;
                ctx.rec.count("ws.reconnects");
                let wake = Instant::now() + Duration::from_millis(after_ms);
                tokio::time::sleep_until(wake.min(ctx.deadline)).await;
            }
        }
    }
}

/// What a workload needs.
pub struct Ctx {
    pub net: Net,
    pub rec: Recorder,
    pub event: String,
    /// Nothing starts, and everything stops, after this instant.
    pub deadline: Instant,
    /// Wall-clock start of the ramp (µs since the epoch), shared by all shards.
    pub epoch_us: u64,
    pub shard: Shard,
}

impl Ctx {
    /// This process's client indexes among `total`.
    pub fn indexes(&self, total: u64) -> impl Iterator<Item = u64> + use<> {
        (u64::from(self.shard.index)..total).step_by(self.shard.count as usize)
    }

    /// When client `i` starts on a ramp of `rate` per second.
    pub fn start_of(&self, i: u64, rate: f64) -> Instant {
        let offset_us = if rate > 0.0 {
            (i as f64 * 1e6 / rate) as u64
        } else {
            0
        };
        self.at_wall_us(self.epoch_us + offset_us)
    }

    /// The monotonic instant of a wall-clock time.
    pub fn at_wall_us(&self, wall_us: u64) -> Instant {
        let now = now_us();
        if wall_us <= now {
            Instant::now()
        } else {
            Instant::now() + Duration::from_micros(wall_us - now)
        }
    }

    pub fn expired(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// Runs one HTTP request within the concurrency bound, records its latency under `name`
    /// and its status as `<name>.<status>` (`<name>.transport` for a transport error, and its
    /// cause as `<name>.transport.<kind>`).
    pub async fn request(&self, name: &str, req: impl Future<Output = Answer>) -> Answer {
        let _slot = self.net.http_slots.acquire().await;
        let start = now_us();
        let answer = req.await;
        let done = now_us();
        self.rec.hist(name, done.saturating_sub(start));
        let label = match answer.status {
            0 => "transport".to_owned(),
            s => s.to_string(),
        };
        self.rec.count(&format!("{name}.{label}"));
        if let Some(kind) = answer.body["error"]["kind"]
            .as_str()
            .filter(|_| answer.status == 0)
        {
            self.rec.count(&format!("{name}.transport.{kind}"));
        }
        let failed = answer.status == 0 || answer.status >= 500;
        self.rec.bin(|b| {
            b.requests += 1;
            b.latency.record_us(done.saturating_sub(start));
            if failed {
                b.errors += 1;
            }
        });
        answer
    }

    /// Joins the event as client `i`. `None` when the join was refused or failed (counted).
    pub async fn join(&self, i: u64, user: Option<&str>) -> Option<Joined> {
        self.join_event(i, &self.event, user).await
    }

    /// Joins `event` (not necessarily the run's) as client `i`, as [`Ctx::join`].
    pub async fn join_event(&self, i: u64, event: &str, user: Option<&str>) -> Option<Joined> {
        let mut body = json!({"event_id": event});
        if let Some(user) = user {
            body["user_id"] = json!(user);
        }
        let body = serde_json::to_vec(&body).unwrap_or_default();
        let key = uuid::Uuid::new_v4().to_string();
        let headers = [("Idempotency-Key", key.as_str())];
        let req = self
            .net
            .http1(i)
            .post_json("/api/v1/queue/join", &headers, &body);
        let start_us = now_us();
        let answer = self.request("join", req).await;
        let done_us = now_us();
        self.rec.join_span(start_us, done_us);
        if answer.status != 202 {
            return None;
        }
        self.rec.bin(|b| b.joins += 1);
        Some(Joined {
            token: answer.body["waiting_token"].as_str()?.to_owned(),
            position: answer.body["position"].as_u64().unwrap_or(0),
            start_us,
            done_us,
        })
    }

    /// Calls enter for `token`; the reservation token when granted.
    pub async fn enter(&self, i: u64, token: &str) -> Option<String> {
        let req = self
            .net
            .http(i)
            .post(format!("{}/api/v1/queue/enter", self.net.target(i).base))
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&json!({"waiting_token": token}));
        let answer = self.request("enter", call(req)).await;
        (answer.status == 200)
            .then(|| answer.body["reservation_token"].as_str().map(str::to_owned))
            .flatten()
    }
}

/// A successful join.
pub struct Joined {
    pub token: String,
    pub position: u64,
    pub start_us: u64,
    pub done_us: u64,
}

/// Follows one waiter's statuses (WebSocket messages or REST answers): position monotonicity,
/// the reference ETA, admission.
pub struct Tracker {
    pub sample: WaiterSample,
    last_position: u64,
    /// First position reported while waiting (after the join): "midway" is half of it.
    pub first_position: Option<u64>,
}

/// What a status said.
#[derive(Debug, PartialEq)]
pub enum Seen {
    Waiting(u64),
    /// Admitted (`ready` or `entered`).
    Admitted,
    Other,
}

impl Tracker {
    pub fn new(index: u64, joined: &Joined) -> Self {
        Self {
            sample: WaiterSample {
                index,
                join_start_us: joined.start_us,
                join_done_us: joined.done_us,
                join_position: joined.position,
                ..Default::default()
            },
            last_position: joined.position,
            first_position: None,
        }
    }

    /// Reads a status payload stamped `at_ms` (the message's `server_time`, or the receipt
    /// time of a REST answer, which carries none).
    pub fn observe(&mut self, v: &Value, at_ms: u64) -> Seen {
        // usher's `phase`; a server without it says `ready` or `entered` in `status`.
        match v["phase"].as_str().or(v["status"].as_str()) {
            Some("waiting") => {
                let pos = v["position"].as_u64().unwrap_or(0);
                if pos > self.last_position {
                    self.sample.position_increases += 1;
                    if self.first_position.is_none() {
                        self.sample.above_join_position += 1;
                    }
                    let up = pos - self.last_position;
                    self.sample.largest_increase = self.sample.largest_increase.max(up);
                }
                self.last_position = pos;
                self.first_position.get_or_insert(pos);
                let paused = v["paused"].as_bool().unwrap_or(false);
                if self.sample.eta_ref.is_none() && !paused {
                    let eta = v["eta_sec"].as_u64().unwrap_or(0);
                    self.sample.eta_ref = Some((at_ms, eta, pos));
                }
                Seen::Waiting(pos)
            }
            Some("admitted") | Some("ready") | Some("entered") => {
                self.sample.admitted_at_ms = Some(v["admitted_at"].as_u64().unwrap_or(at_ms));
                Seen::Admitted
            }
            _ => Seen::Other,
        }
    }
}

/// Whether waiter `i` is one of the leavers: `fraction` of all waiters, spread evenly.
pub fn is_leaver(i: u64, fraction: f64) -> bool {
    if fraction <= 0.0 {
        return false;
    }
    let f = fraction.min(1.0);
    ((i + 1) as f64 * f).floor() > (i as f64 * f).floor()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leavers_are_the_asked_share_spread_over_the_queue() {
        let n = (0..1_000).filter(|&i| is_leaver(i, 0.1)).count();
        assert_eq!(n, 100);
        assert!(!(0..1_000).any(|i| is_leaver(i, 0.0)));
        assert!((0..9).all(|i| !is_leaver(i, 0.1)) && is_leaver(9, 0.1));
    }
}
