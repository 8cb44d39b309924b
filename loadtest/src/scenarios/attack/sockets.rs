//! WebSocket attacks: `ws-flood` holds as many sockets as it can with tokens from real joins,
//! `ws-bogus` knocks with tokens nobody issued. Upgrades refused are counted by cause
//! (`<name>.refused.upgrade_<status>`, `.refused.<kind>`), accepted ones (`.accepted`) by how
//! they ended: `.close.<code>`, `.dropped` (no close frame) or `.held_to_end` / `.held_open`.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use parking_lot::Mutex;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use super::requests::DEFAULT_UNPACED_REQUESTS;
use super::{Held, bogus_token, drive, pacing};
use crate::cli::AttackArgs;
use crate::net::{Ws, failure_kind};
use crate::now_us;
use crate::scenarios::Ctx;

/// How long one connect and upgrade may take.
const UPGRADE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a bogus socket the server accepted is watched for its close.
const BOGUS_WATCH: Duration = Duration::from_secs(5);

/// How an accepted socket ended.
enum End {
    Close(u16),
    Dropped,
    Open,
}

/// Reads (and drops) what the server sends until it closes the socket or `until`.
async fn until_closed(ws: &mut Ws, until: Instant) -> End {
    loop {
        match tokio::time::timeout_at(until, ws.next()).await {
            Err(_) => return End::Open,
            Ok(None | Some(Err(_))) => return End::Dropped,
            Ok(Some(Ok(Message::Close(frame)))) => {
                return End::Close(frame.map_or(1005, |f| u16::from(f.code)));
            }
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// Upgrades with `token` as attacker client `n`; counts a refusal.
async fn upgrade(a: &Ctx, name: &str, n: u64, token: &str) -> Option<Ws> {
    let result = tokio::time::timeout(UPGRADE_TIMEOUT, a.net.ws(n, token)).await;
    let kind = match result {
        Ok(Ok(ws)) => {
            a.rec.count(&format!("{name}.accepted"));
            return Some(ws);
        }
        Ok(Err(e)) => failure_kind(&e),
        Err(_) => "timeout".to_owned(),
    };
    a.rec.count(&format!("{name}.refused.{kind}"));
    None
}

fn count_end(a: &Ctx, name: &str, end: End, open: &str) {
    let end = match end {
        End::Close(code) => format!("close.{code}"),
        End::Dropped => "dropped".to_owned(),
        End::Open => open.to_owned(),
    };
    a.rec.count(&format!("{name}.{end}"));
}

/// `ws-flood`: up to `--attack-conns` sockets, each with the token of its own join of the
/// legitimate event (joins paced at the per-client limit; a bogus token when refused), held
/// until the attack ends. Joins are counted as `join.<status>`, bogus tokens as
/// `ws_flood.bogus_token`, and the most sockets held at once as `ws_flood.peak_held`.
pub async fn flood(a: &Arc<Ctx>, args: &AttackArgs) {
    let held = Arc::new(Held::default());
    let holders = Arc::new(Mutex::new(JoinSet::new()));
    {
        let (held, holders) = (held.clone(), holders.clone());
        let when = pacing(a, args);
        drive(
            a,
            args.conns(),
            args.attack_concurrency,
            when,
            move |a, n| {
                let (held, holders) = (held.clone(), holders.clone());
                async move {
                    let token = match a.join(n, None).await {
                        Some(joined) => joined.token,
                        None => {
                            a.rec.count("ws_flood.bogus_token");
                            bogus_token()
                        }
                    };
                    if a.expired() {
                        return;
                    }
                    let Some(mut ws) = upgrade(&a, "ws_flood", n, &token).await else {
                        return;
                    };
                    held.opened();
                    holders.lock().spawn(async move {
                        let opened = now_us();
                        let end = until_closed(&mut ws, a.deadline).await;
                        held.closed();
                        if !matches!(end, End::Open) {
                            a.rec
                                .hist("ws_flood.closed_after", now_us().saturating_sub(opened));
                        }
                        count_end(&a, "ws_flood", end, "held_to_end");
                    });
                }
            },
        )
        .await;
    }
    let mut holders = std::mem::take(&mut *holders.lock());
    while holders.join_next().await.is_some() {}
    a.rec.add("ws_flood.peak_held", held.peak());
}

/// `ws-bogus`: upgrades with bogus tokens, `--attack-concurrency` at a time, as fast as the
/// server answers; each accepted socket is watched for its close for a few seconds (past the
/// attack's end if need be), then dropped.
/// The time from the upgrade request to the verdict is the `ws_bogus` histogram.
pub async fn bogus(a: &Arc<Ctx>, args: &AttackArgs) {
    let cap = args.attack_requests.unwrap_or(DEFAULT_UNPACED_REQUESTS);
    drive(
        a,
        cap,
        args.attack_concurrency,
        |_| None,
        |a, n| async move {
            let start = now_us();
            if let Some(mut ws) = upgrade(&a, "ws_bogus", n, &bogus_token()).await {
                // Watched as long after the attack as during it: a late close is late, not
                // missing.
                let end = until_closed(&mut ws, Instant::now() + BOGUS_WATCH).await;
                count_end(&a, "ws_bogus", end, "held_open");
            }
            a.rec.hist("ws_bogus", now_us().saturating_sub(start));
        },
    )
    .await;
}
