//! `join-storm`: joins as fast as the server takes them (or at `--rate`), from `--concurrency`
//! workers per process. Refusals (429, 503) are counted apart from transport errors.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::task::JoinSet;

use super::Ctx;
use crate::cli::JoinStormArgs;

pub async fn run(ctx: Arc<Ctx>, args: JoinStormArgs) {
    let mine: Arc<Vec<u64>> = Arc::new(ctx.indexes(args.joins).collect());
    let next = Arc::new(AtomicU64::new(0));
    let done = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
    let mut workers = JoinSet::new();
    for _ in 0..args.concurrency.max(1) {
        let (ctx, mine, next, done) = (ctx.clone(), mine.clone(), next.clone(), done.clone());
        let rate = args.rate;
        workers.spawn(async move {
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed) as usize;
                let Some(&i) = mine.get(k) else { break };
                if let Some(rate) = rate {
                    tokio::time::sleep_until(ctx.start_of(i, rate).min(ctx.deadline)).await;
                }
                if ctx.expired() {
                    break;
                }
                match ctx.join(i, None).await {
                    Some(_) => done.0.fetch_add(1, Ordering::Relaxed),
                    None => done.1.fetch_add(1, Ordering::Relaxed),
                };
            }
        });
    }
    while workers.join_next().await.is_some() {}
    let (accepted, refused) = (
        done.0.load(Ordering::Relaxed),
        done.1.load(Ordering::Relaxed),
    );
    ctx.rec.add("joins.accepted", accepted);
    ctx.rec.add("joins.refused_or_failed", refused);
    ctx.rec.add(
        "joins.not_started",
        (mine.len() as u64).saturating_sub(accepted + refused),
    );
}
