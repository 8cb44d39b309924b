//! `waiters`: N WebSocket waiters on one event. Each joins over REST at its place on the ramp,
//! holds its socket (tungstenite answers the server's pings while we read), follows its
//! position until `ready`, and closes. Leavers send `leave` once their position has halved.
//! With `--fault-pids`, shard 0 freezes one of those processes at a time meanwhile (see
//! [`inject_faults`]).

use std::sync::Arc;
use std::time::Duration;

use futures::SinkExt;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message;

use super::{
    Client, Ctx, Held, Joined, Seen, Tracker, hold, is_leaver, next_message, record_status,
};
use crate::cli::WaitersArgs;
use crate::net::Ws;

pub async fn run(ctx: Arc<Ctx>, args: WaitersArgs) {
    let args = Arc::new(args);
    let (stop, stopped) = watch::channel(false);
    let faults = (!args.faults.fault_pids.is_empty() && ctx.shard.index == 0)
        .then(|| tokio::spawn(inject_faults(ctx.clone(), args.clone(), stopped)));
    let mut tasks = JoinSet::new();
    for i in ctx.indexes(args.queue.waiters) {
        tasks.spawn(waiter(ctx.clone(), args.clone(), i));
    }
    while tasks.join_next().await.is_some() {}
    stop.send_replace(true);
    if let Some(faults) = faults {
        let _ = faults.await;
    }
}

/// Freezes one of `--fault-pids` at a time, chosen at random (a seeded xorshift), for
/// `--fault-secs`, every `--fault-every-secs`, until the waiters are done or the run's deadline;
/// a frozen process is always thawed before this returns.
async fn inject_faults(ctx: Arc<Ctx>, args: Arc<WaitersArgs>, mut stop: watch::Receiver<bool>) {
    let mut state = args.faults.fault_seed.max(1);
    let pause = |secs: u64| tokio::time::sleep(Duration::from_secs(secs));
    loop {
        tokio::select! {
            _ = pause(args.faults.fault_every_secs) => {}
            _ = stop.wait_for(|s| *s) => return,
            _ = tokio::time::sleep_until(ctx.deadline) => return,
        }
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let pid = args.faults.fault_pids[(state % args.faults.fault_pids.len() as u64) as usize];
        if !signal(pid, libc::SIGSTOP) {
            ctx.rec.count("faults.signal_failed");
            continue;
        }
        ctx.rec.count("faults.injected");
        ctx.rec.count(&format!("faults.frozen.{pid}"));
        tokio::select! {
            _ = pause(args.faults.fault_secs) => {}
            _ = tokio::time::sleep_until(ctx.deadline) => {}
        }
        if !signal(pid, libc::SIGCONT) {
            ctx.rec.count("faults.signal_failed");
        }
    }
}

/// Sends `sig` to process `pid`; whether it was delivered.
fn signal(pid: i32, sig: libc::c_int) -> bool {
    // SAFETY: kill(2) has no memory effects; a wrong pid is an error return, not UB.
    unsafe { libc::kill(pid, sig) == 0 }
}

/// One waiter's life across its connections.
struct Life {
    joined: Joined,
    tracker: Tracker,
    leaver: bool,
    leave_sent: bool,
    /// A retry hint from a `reconnect` message, for the close that follows it.
    retry_after_ms: Option<u64>,
}

async fn waiter(ctx: Arc<Ctx>, args: Arc<WaitersArgs>, i: u64) {
    tokio::time::sleep_until(ctx.start_of(i, args.queue.ramp_rate)).await;
    if ctx.expired() {
        ctx.rec.count("waiters.not_started");
        return;
    }
    let Some(joined) = ctx.join(i, None).await else {
        ctx.rec.count("waiters.join_failed");
        return;
    };
    let mut life = Life {
        tracker: Tracker::new(i, &joined),
        joined,
        leaver: is_leaver(i, args.leave_fraction),
        leave_sent: false,
        retry_after_ms: None,
    };
    let outcome = hold(&ctx, i, args.max_reconnects, &mut life).await;
    if outcome == "admitted" && args.queue.enter {
        ctx.enter(i, &life.joined.token).await;
    }
    ctx.rec.count(&format!("waiters.{outcome}"));
    life.tracker.sample.left = outcome == "left";
    ctx.rec.waiter(life.tracker.sample);
}

/// One connection: connect, read until an outcome, close.
impl Client for Life {
    fn token(&self) -> String {
        self.joined.token.clone()
    }

    async fn read(&mut self, ctx: &Ctx, ws: &mut Ws, connect_start: u64) -> Held {
        read(ctx, ws, self, connect_start).await
    }
}

async fn read(ctx: &Ctx, ws: &mut Ws, life: &mut Life, connect_start: u64) -> Held {
    let mut snapshot_seen = false;
    loop {
        let on_1000 = life.leave_sent.then_some("left");
        let m = match next_message(ctx, ws, &mut life.retry_after_ms, on_1000).await {
            Ok(m) => m,
            Err(held) => return held,
        };
        let (v, recv_us, server_ms) = (&m.v, m.recv_us, m.server_ms);
        match m.kind() {
            kind @ ("snapshot" | "position" | "ready") => {
                record_status(ctx, &m, connect_start, &mut snapshot_seen);
                if kind == "position" {
                    life.tracker.sample.pushes += 1;
                }
                match life.tracker.observe(v, server_ms) {
                    Seen::Admitted => {
                        ctx.rec
                            .hist("time_to_ready", recv_us.saturating_sub(life.joined.done_us));
                        ctx.rec.bin(|b| b.admitted += 1);
                        return Held::Done("admitted");
                    }
                    Seen::Waiting(pos) if life.leaver && !life.leave_sent => {
                        let midway = (life.tracker.first_position.unwrap_or(pos) / 2).max(1);
                        if pos <= midway {
                            life.leave_sent = true;
                            let leave = Message::text(r#"{"type":"leave"}"#);
                            if ws.send(leave).await.is_err() {
                                return Held::Retry(1_000);
                            }
                        }
                    }
                    _ => {}
                }
            }
            "left" => return Held::Done("left"),
            "expired" => return Held::Done("expired"),
            "reconnect" => life.retry_after_ms = v["retry_after_ms"].as_u64(),
            "error" => ctx.rec.count("ws.error_message"),
            _ => {}
        }
    }
}
