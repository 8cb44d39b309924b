//! `attack`: one attack from a few loopback addresses while legitimate waiters queue from
//! others. The legitimate side is the `waiters` scenario on the run's context (its own source
//! addresses, its ramp shifted by `--attack-lead`); the attacker gets a context of its own
//! (addresses from 127.0.2.1, a recorder, a deadline `--attack-duration` after its start) and
//! its figures are folded into the run's under `attack.`.
//!
//! The kinds, by what they spend on the server's side:
//! - [`requests`]: requests that each cost a request (`events`, `headers`, `logins`);
//! - [`conns`]: TCP connections that cost a socket and whatever the server keeps per
//!   connection while a request head is incomplete (`idle`, `slowloris`);
//! - [`sockets`]: WebSockets (`ws-flood`, `ws-bogus`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use super::{Ctx, waiters};
use crate::cli::{
    ATTACK_FIRST_SOURCE, AttackArgs, AttackKind, AttackPart, FaultArgs, QueueArgs, WaitersArgs,
};
use crate::net::Net;
use crate::raw::Recorder;

pub mod conns;
pub mod requests;
pub mod sockets;

/// Runs this process's part: the legitimate waiters, the attacker, or both side by side.
pub async fn run(ctx: Arc<Ctx>, args: AttackArgs) -> anyhow::Result<()> {
    let legit = async {
        if args.part != AttackPart::Attacker {
            waiters::run(ctx.clone(), legit_waiters(&args)).await;
        }
    };
    let attacker = async {
        if args.part == AttackPart::Legit || args.kind == AttackKind::None {
            return Ok(());
        }
        let start = ctx.epoch_us.saturating_sub(args.attack_lead * 1_000_000);
        tokio::time::sleep_until(ctx.at_wall_us(start)).await;
        let a = Arc::new(Ctx {
            net: Net::new(
                ctx.net.targets.clone(),
                ATTACK_FIRST_SOURCE,
                args.attack_sources,
                args.attack_concurrency,
            )?,
            rec: Recorder::new("attack"),
            event: ctx.event.clone(),
            deadline: ctx
                .deadline
                .min(Instant::now() + Duration::from_secs(args.attack_duration)),
            epoch_us: start,
            shard: ctx.shard,
        });
        match args.kind {
            AttackKind::None => {}
            AttackKind::Events => requests::events(&a, &args).await,
            AttackKind::Headers => requests::headers(&a, &args).await,
            AttackKind::Logins => requests::logins(&a, &args).await,
            AttackKind::Idle => conns::idle(&a, &args).await,
            AttackKind::Slowloris => conns::slowloris(&a, &args).await,
            AttackKind::WsFlood => sockets::flood(&a, &args).await,
            AttackKind::WsBogus => sockets::bogus(&a, &args).await,
        }
        ctx.rec.absorb("attack", a.rec.take());
        Ok::<_, anyhow::Error>(())
    };
    let ((), attacked) = tokio::join!(legit, attacker);
    attacked
}

/// The legitimate load: the `waiters` scenario with the attack's counts.
fn legit_waiters(args: &AttackArgs) -> WaitersArgs {
    WaitersArgs {
        queue: QueueArgs {
            waiters: args.legit_waiters,
            ramp_rate: args.legit_ramp_rate,
            // Set by the controller when it creates the event.
            admit_rate: None,
            admit_burst: None,
            paused_hold: 0,
            enter: false,
        },
        leave_fraction: 0.0,
        max_reconnects: 3,
        faults: FaultArgs::default(),
    }
}

/// When attack request `n` may go: requests go round-robin over the attacker's addresses, and
/// each address sends `burst` at once, then `rate` per second — a client at the per-client
/// limit.
fn paced(start: Instant, n: u64, sources: u32, rate: f64, burst: u64) -> Instant {
    let j = n / u64::from(sources.max(1));
    let after = (j + 1).saturating_sub(burst) as f64 / rate;
    start + Duration::from_secs_f64(after)
}

/// Requests an attack paced at the per-client limit sends at most: what the limit allows over
/// the attack, unless `--attack-requests` says.
fn paced_cap(args: &AttackArgs) -> u64 {
    args.attack_requests.unwrap_or_else(|| {
        let per_source = args.attack_burst as f64 + args.attack_rate * args.attack_duration as f64;
        u64::from(args.attack_sources) * per_source.ceil() as u64
    })
}

/// The pacing of request `n`, from the attacker's start.
fn pacing(a: &Ctx, args: &AttackArgs) -> impl Fn(u64) -> Option<Instant> + Send + Sync + 'static {
    let start = a.at_wall_us(a.epoch_us);
    let (sources, rate, burst) = (args.attack_sources, args.attack_rate, args.attack_burst);
    move |n| Some(paced(start, n, sources, rate, burst))
}

/// Calls `op(n)` for n = 0, 1, … below `cap`, `concurrency` calls at a time, each not before
/// `when(n)`, and none once the attacker's deadline has passed.
async fn drive<W, F, Fut>(a: &Arc<Ctx>, cap: u64, concurrency: usize, when: W, op: F)
where
    W: Fn(u64) -> Option<Instant> + Send + Sync + 'static,
    F: Fn(Arc<Ctx>, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    let next = Arc::new(AtomicU64::new(0));
    let (when, op) = (Arc::new(when), Arc::new(op));
    let mut workers = JoinSet::new();
    for _ in 0..concurrency.clamp(1, cap.max(1) as usize) {
        let (a, next, when, op) = (a.clone(), next.clone(), when.clone(), op.clone());
        workers.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= cap {
                    break;
                }
                if let Some(at) = when(n) {
                    tokio::time::sleep_until(at.min(a.deadline)).await;
                }
                if a.expired() {
                    break;
                }
                op(a.clone(), n).await;
            }
        });
    }
    while workers.join_next().await.is_some() {}
}

/// Connections held now and at most, for the kinds that hold them.
#[derive(Default)]
struct Held {
    now: AtomicU64,
    peak: AtomicU64,
}

impl Held {
    fn opened(&self) {
        let now = self.now.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(now, Ordering::Relaxed);
    }

    fn closed(&self) {
        self.now.fetch_sub(1, Ordering::Relaxed);
    }

    fn peak(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }
}

/// A token no join ever issued.
fn bogus_token() -> String {
    format!("bogus-{}", uuid::Uuid::new_v4().simple())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_sends_its_burst_at_once_then_keeps_to_the_rate() {
        let t0 = Instant::now();
        let at = |n| paced(t0, n, 4, 50.0, 100).duration_since(t0).as_secs_f64();
        // The first 100 requests of each of the 4 addresses go at once.
        assert_eq!(at(0), 0.0);
        assert_eq!(at(399), 0.0);
        // Then 50 per second per address: the 101st of each goes after 20 ms.
        assert!((at(400) - 0.02).abs() < 1e-9 && (at(403) - 0.02).abs() < 1e-9);
        assert!((at(4 * 150) - 1.02).abs() < 1e-9);
    }

    #[tokio::test]
    async fn drive_runs_each_index_once_within_the_cap() {
        let net = Net::new(Vec::new(), 0, 1, 1).unwrap();
        let a = Arc::new(Ctx {
            net,
            rec: Recorder::new("t"),
            event: String::new(),
            deadline: Instant::now() + Duration::from_secs(10),
            epoch_us: 0,
            shard: crate::cli::Shard { index: 0, count: 1 },
        });
        drive(
            &a,
            50,
            8,
            |_| None,
            |a, n| async move {
                a.rec.count(&format!("n{}", n % 2));
            },
        )
        .await;
        let raw = a.rec.take();
        assert_eq!((raw.counter("n0"), raw.counter("n1")), (25, 25));
    }
}
