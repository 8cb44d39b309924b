//! `poll`: the seed's design, for comparison with `waiters`. The same N waiters join on the
//! same ramp, but hold no socket: each calls REST `status` every `--poll-interval-ms` (a
//! heartbeat too) until the answer says `ready`.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use super::{Ctx, Seen, Tracker};
use crate::cli::PollArgs;
use crate::net::call;
use crate::{now_ms, now_us};

pub async fn run(ctx: Arc<Ctx>, args: PollArgs) {
    let args = Arc::new(args);
    let mut tasks = JoinSet::new();
    for i in ctx.indexes(args.queue.waiters) {
        tasks.spawn(poller(ctx.clone(), args.clone(), i));
    }
    while tasks.join_next().await.is_some() {}
}

async fn poller(ctx: Arc<Ctx>, args: Arc<PollArgs>, i: u64) {
    tokio::time::sleep_until(ctx.start_of(i, args.queue.ramp_rate)).await;
    if ctx.expired() {
        ctx.rec.count("waiters.not_started");
        return;
    }
    let Some(joined) = ctx.join(i, None).await else {
        ctx.rec.count("waiters.join_failed");
        return;
    };
    let mut tracker = Tracker::new(i, &joined);
    let interval = Duration::from_millis(args.poll_interval_ms.max(1));
    let url = format!(
        "{}/api/v1/queue/status?token={}",
        ctx.net.target(i).base,
        joined.token
    );
    ctx.rec.opened();
    let mut next = Instant::now() + interval;
    let outcome = loop {
        if next >= ctx.deadline {
            break "unfinished";
        }
        tokio::time::sleep_until(next).await;
        next += interval;
        let answer = ctx.request("status", call(ctx.net.http(i).get(&url))).await;
        match answer.status {
            200 if tracker.observe(&answer.body, now_ms()) == Seen::Admitted => {
                ctx.rec
                    .hist("time_to_ready", now_us().saturating_sub(joined.done_us));
                ctx.rec.bin(|b| b.admitted += 1);
                break "admitted";
            }
            // The place is gone (expired or unknown): polling again cannot bring it back.
            404 => break "expired",
            _ => {}
        }
    };
    ctx.rec.closed();
    if outcome == "admitted" && args.queue.enter {
        ctx.enter(i, &joined.token).await;
    }
    ctx.rec.count(&format!("waiters.{outcome}"));
    ctx.rec.waiter(tracker.sample);
}
