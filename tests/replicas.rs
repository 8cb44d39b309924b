//! Several real usher processes on one real Redis (standalone or a 3-master cluster): shared
//! queues, replica crashes, Redis restarts, partitions, skewed clocks, and what idle waiters
//! cost the store; and one embedded node killed and restarted on its data directory.

mod support;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::future::join_all;
use parking_lot::Mutex;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use support::buyer_token;
use support::redis::{RedisCluster, RedisServer, raw_command};
use support::usher::{BackendsProcess, UsherProcess};
use support::ws::{SECOND, WsClient};

type Log = Arc<Mutex<Vec<Value>>>;

/// Holds one waiter's socket like a real client: on a dropped connection it reconnects, with
/// the same token, to the next replica in `bases`; it stops after `ready` or a final close.
fn watch(token: String, bases: Vec<String>, log: Log) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut replica = 0;
        for _attempt in 0..50 {
            let url = format!(
                "{}/api/v1/queue/ws?token={token}",
                bases[replica % bases.len()]
            );
            let Ok((mut stream, _)) = tokio_tungstenite::connect_async(url).await else {
                replica += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            loop {
                match stream.next().await {
                    Some(Ok(Message::Text(t))) => {
                        let msg: Value = serde_json::from_str(&t).unwrap();
                        let done = msg["type"] == "ready" || msg["ready_for_entry"] == true;
                        log.lock().push(msg);
                        if done {
                            return;
                        }
                    }
                    Some(Ok(Message::Close(f))) => {
                        let code = f.map_or(1005, |f| u16::from(f.code));
                        log.lock().push(json!({"type": "closed", "code": code}));
                        if matches!(code, 1000 | 4000 | 4404 | 4410) {
                            return;
                        }
                        break;
                    }
                    Some(Ok(_)) => {}
                    None | Some(Err(_)) => {
                        log.lock().push(json!({"type": "dropped"}));
                        break;
                    }
                }
            }
            replica += 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
}

/// Replicas on Redis, calling the test's one shared backends service.
fn redis_env(
    address: &str,
    cluster: bool,
    backends: &BackendsProcess,
    extra: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut env = vec![
        ("REDIS_ADDRESS".to_owned(), address.to_owned()),
        ("REDIS_CLUSTER_MODE".to_owned(), cluster.to_string()),
        ("USHER_TICK_MS".to_owned(), "20".to_owned()),
        ("USHER_PUSH_INTERVAL_MS".to_owned(), "100".to_owned()),
        ("REDIS_READ_TIMEOUT".to_owned(), "1s".to_owned()),
        ("REDIS_DIAL_TIMEOUT".to_owned(), "1s".to_owned()),
        ("REDIS_MAX_RETRIES".to_owned(), "1".to_owned()),
    ];
    env.extend(backends.env());
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    env
}

/// Heartbeats that lapse within 2.5 s of the last renewal, and a reaper every 100 ms: waiters
/// whose heartbeats stop are reaped within seconds.
const FAST_REAPING: &[(&str, &str)] = &[
    ("USHER_GRACE_SECS", "2"),
    ("USHER_HEARTBEAT_SECS", "2"),
    ("USHER_REAP_INTERVAL_MS", "100"),
];

async fn start(env: &[(String, String)]) -> UsherProcess {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    UsherProcess::start(&env).await
}

/// A Redis that writes every change to its append-only file before answering.
fn redis_with_aof() -> RedisServer {
    RedisServer::start_with(&[
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--save",
        "",
    ])
}

/// A paused sale of `evt` on `replica` with `config`: `n` waiters joined in turn, each holding
/// a socket (watched until ready), every snapshot received.
async fn paused_sale(
    replica: &UsherProcess,
    n: usize,
    mut config: Value,
) -> (Vec<(String, u64, Log)>, Vec<tokio::task::JoinHandle<()>>) {
    config["paused"] = json!(true);
    replica.configure("evt", config).await;
    let mut waiters = Vec::new();
    for _ in 0..n {
        let (token, pos) = replica.join("evt").await;
        waiters.push((token, pos, Log::default()));
    }
    let tasks = waiters
        .iter()
        .map(|(t, _, log)| watch(t.clone(), vec![replica.ws_base()], log.clone()))
        .collect();
    eventually(10 * SECOND, "every snapshot", || async {
        waiters.iter().all(|w| !w.2.lock().is_empty())
    })
    .await;
    (waiters, tasks)
}

/// Waits until `cond` holds, polling, for at most `within`.
async fn eventually<F, Fut>(within: Duration, what: &str, mut cond: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    while !cond().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn admitted_at(log: &Log) -> Option<u64> {
    log.lock().iter().find_map(|m| {
        (m["type"] == "ready" || m["ready_for_entry"] == true).then(|| m["admitted_at"].as_u64())?
    })
}

fn ready_pushes(log: &Log) -> usize {
    log.lock().iter().filter(|m| m["type"] == "ready").count()
}

/// A waiter's socket was told neither `expired` nor `closed`: it still has its place.
fn assert_place_kept(token: &str, log: &Log) {
    let ended = log
        .lock()
        .iter()
        .any(|m| m["type"] == "expired" || m["type"] == "closed");
    assert!(!ended, "{token} lost its place: {:?}", log.lock());
}

/// Every watched waiter is admitted within `within`, in join order, told `ready` once.
async fn all_admitted_once_in_order(
    waiters: &[(String, u64, Log)],
    tasks: Vec<tokio::task::JoinHandle<()>>,
    within: Duration,
    after: &str,
) {
    let done = tokio::time::timeout(within, join_all(tasks)).await;
    assert!(done.is_ok(), "not everyone was admitted after {after}");
    assert_join_order(waiters);
    assert!(waiters.iter().all(|w| ready_pushes(&w.2) == 1));
}

/// Admission steps must follow join order: admitted_at never decreases along it.
fn assert_join_order(waiters: &[(String, u64, Log)]) {
    let mut sorted: Vec<_> = waiters.iter().collect();
    sorted.sort_by_key(|w| w.1);
    let times: Vec<u64> = sorted
        .iter()
        .map(|w| admitted_at(&w.2).unwrap_or_else(|| panic!("{} never admitted", w.0)))
        .collect();
    let inversions = times.windows(2).filter(|p| p[0] > p[1]).count();
    assert_eq!(
        inversions, 0,
        "admission order differs from global join order"
    );
}

#[tokio::test]
async fn two_replicas_share_one_queue_in_global_join_order_and_push_ready_from_any_step() {
    let redis = RedisServer::start();
    let backends = BackendsProcess::start().await;
    let env = redis_env(&redis.address(), false, &backends, &[]);
    let (a, b) = (start(&env).await, start(&env).await);
    a.configure(
        "evt",
        json!({"paused": true, "burst": 1, "rate_per_sec": 100}),
    )
    .await;
    let joins = join_all((0..200).map(|i| {
        if i % 2 == 0 {
            a.join("evt")
        } else {
            b.join("evt")
        }
    }))
    .await;
    let mut positions: Vec<u64> = joins.iter().map(|j| j.1).collect();
    positions.sort_unstable();
    assert_eq!(
        positions,
        (1..=200).collect::<Vec<_>>(),
        "one global order across replicas"
    );

    let bases = [a.ws_base(), b.ws_base()];
    let waiters: Vec<(String, u64, Log)> = joins
        .into_iter()
        .map(|(token, pos)| (token, pos, Log::default()))
        .collect();
    let tasks: Vec<_> = waiters
        .iter()
        .map(|(t, pos, log)| {
            // Each waiter holds its socket on the replica it did not join on.
            let base = bases[(*pos as usize + 1) % 2].clone();
            watch(t.clone(), vec![base], log.clone())
        })
        .collect();
    eventually(10 * SECOND, "every snapshot", || async {
        waiters.iter().all(|w| !w.2.lock().is_empty())
    })
    .await;
    for (_, pos, log) in &waiters {
        assert_eq!(log.lock()[0]["position"], *pos, "snapshot position");
    }
    b.configure("evt", json!({"paused": false})).await;
    join_all(tasks).await;
    assert_join_order(&waiters);
    assert!(waiters.iter().all(|w| ready_pushes(&w.2) == 1));
    assert_eq!(a.stats("evt").await["admitted_total"], 200);
}

/// A random start over two replicas: entrants join through both and hold their sockets on the
/// other one; at the start one replica makes the draw, and both push every entrant the
/// position its published rank gives; admission then follows the ranks.
#[tokio::test]
async fn two_replicas_draw_a_random_start_alike_and_admit_in_drawn_order() {
    let redis = RedisServer::start();
    let backends = BackendsProcess::start().await;
    let env = redis_env(&redis.address(), false, &backends, &[]);
    let (a, b) = (start(&env).await, start(&env).await);
    let starts = usher::clock::system_ms() + 3_000;
    a.configure(
        "evt",
        json!({"sale_starts_at": starts, "queueing_method": "random_at_start", "paused": true,
               "burst": 1, "rate_per_sec": 100}),
    )
    .await;
    let joins = join_all((0..120).map(|i| {
        if i % 2 == 0 {
            a.join("evt")
        } else {
            b.join("evt")
        }
    }))
    .await;
    assert!(
        joins.iter().all(|j| j.1 == 0),
        "no position before the draw"
    );
    let bases = [a.ws_base(), b.ws_base()];
    let waiters: Vec<(String, Log)> = joins
        .into_iter()
        .map(|(token, _)| (token, Log::default()))
        .collect();
    // Each entrant holds its socket on the replica it did not join on.
    let tasks: Vec<_> = waiters
        .iter()
        .enumerate()
        .map(|(i, (t, log))| watch(t.clone(), vec![bases[(i + 1) % 2].clone()], log.clone()))
        .collect();
    let drawn = |log: &Log| {
        log.lock()
            .iter()
            .find(|m| m["phase"] == "waiting")
            .map(|m| {
                (
                    m["position"].as_u64().unwrap(),
                    m["drawn_rank"].as_u64().unwrap(),
                )
            })
    };
    eventually(15 * SECOND, "every drawn position", || async {
        waiters.iter().all(|w| drawn(&w.1).is_some())
    })
    .await;
    // Both replicas pushed what the published values give: nobody left, so position = rank.
    let (_, record) = a.get("/api/v1/events/evt/draw").await.unwrap();
    assert_eq!(
        (record["state"].as_str(), record["entrants"].as_u64()),
        (Some("drawn"), Some(120))
    );
    let seed = usher::draw::parse_hash(record["seed"].as_str().unwrap()).unwrap();
    let root = usher::draw::parse_hash(record["entry_root"].as_str().unwrap()).unwrap();
    let permutation = usher::draw::Permutation::new(&usher::draw::key(&seed, &root, ""), 120);
    let mut ranks = HashSet::new();
    for (token, log) in &waiters {
        let (position, rank) = drawn(log).unwrap();
        assert_eq!(position, rank);
        assert!(ranks.insert(rank), "rank {rank} drawn twice");
        let (_, proof) = b
            .get(&format!("/api/v1/events/evt/draw/proof?token={token}"))
            .await
            .unwrap();
        assert_eq!(permutation.rank(proof["index"].as_u64().unwrap()), rank);
        let (_, on_a) = a.status(token).await;
        let (_, on_b) = b.status(token).await;
        assert_eq!(
            (&on_a["position"], &on_b["position"]),
            (&json!(rank), &json!(rank))
        );
    }
    // Resumed: admitted one by one in rank order.
    b.configure("evt", json!({"paused": false})).await;
    tokio::time::timeout(20 * SECOND, join_all(tasks))
        .await
        .expect("everyone admitted");
    let mut by_rank: Vec<(u64, u64)> = waiters
        .iter()
        .map(|(_, log)| (drawn(log).unwrap().1, admitted_at(log).unwrap()))
        .collect();
    by_rank.sort_unstable();
    let inversions = by_rank.windows(2).filter(|p| p[0].1 > p[1].1).count();
    assert_eq!(
        inversions, 0,
        "admission order differs from the drawn order"
    );
}

#[tokio::test]
async fn a_replica_crash_mid_sale_keeps_every_place_and_admits_each_waiter_once() {
    const N: usize = 300;
    let redis = RedisServer::start();
    let backends = BackendsProcess::start().await;
    let env = redis_env(&redis.address(), false, &backends, &[]);
    let (mut a, b) = (start(&env).await, start(&env).await);
    a.configure(
        "evt",
        json!({"paused": true, "burst": 1, "rate_per_sec": 60}),
    )
    .await;
    let joins = join_all((0..N).map(|i| {
        if i % 2 == 0 {
            a.join("evt")
        } else {
            b.join("evt")
        }
    }))
    .await;
    let waiters: Vec<(String, u64, Log)> = joins
        .into_iter()
        .map(|(token, pos)| (token, pos, Log::default()))
        .collect();
    // Even places on A, odd on B; a dropped socket moves on to the other replica.
    let tasks: Vec<_> = waiters
        .iter()
        .map(|(t, pos, log)| {
            let order = if pos % 2 == 0 {
                vec![a.ws_base(), b.ws_base()]
            } else {
                vec![b.ws_base(), a.ws_base()]
            };
            watch(t.clone(), order, log.clone())
        })
        .collect();
    eventually(10 * SECOND, "every snapshot", || async {
        waiters.iter().all(|w| !w.2.lock().is_empty())
    })
    .await;

    b.configure("evt", json!({"paused": false})).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    // Freeze the queue, note every place, crash A.
    b.configure("evt", json!({"paused": true})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut before = HashMap::new();
    for (token, _, _) in &waiters {
        let (_, s) = b.status(token).await;
        before.insert(token.clone(), s["position"].as_u64().unwrap());
    }
    let admitted_before = b.stats("evt").await["admitted_total"].as_u64().unwrap();
    assert!(
        admitted_before > 20 && (admitted_before as usize) < N / 2,
        "{admitted_before}"
    );
    a.kill();

    // A's waiters reconnect to B and find the same place.
    let moved: Vec<_> = waiters.iter().filter(|w| w.1 % 2 == 0).collect();
    eventually(10 * SECOND, "A's waiters to reconnect to B", || async {
        moved.iter().all(|w| {
            admitted_at(&w.2).is_some()
                || w.2
                    .lock()
                    .iter()
                    .filter(|m| m["type"] == "snapshot")
                    .count()
                    >= 2
        })
    })
    .await;
    for (token, _, log) in &moved {
        if admitted_at(log).is_some() {
            continue;
        }
        let log = log.lock();
        let resumed = log
            .iter()
            .filter(|m| m["type"] == "snapshot")
            .nth(1)
            .unwrap();
        assert_eq!(
            resumed["position"].as_u64(),
            Some(before[token]),
            "place kept"
        );
    }

    b.configure("evt", json!({"paused": false})).await;
    let done = tokio::time::timeout(Duration::from_secs(30), join_all(tasks)).await;
    assert!(done.is_ok(), "not everyone was admitted");
    assert_join_order(&waiters);
    let admitted: HashSet<&String> = waiters
        .iter()
        .filter(|w| admitted_at(&w.2).is_some())
        .map(|w| &w.0)
        .collect();
    assert_eq!(admitted.len(), N);
    assert!(
        waiters.iter().all(|w| ready_pushes(&w.2) <= 1),
        "a waiter was admitted twice"
    );
    let stats = b.stats("evt").await;
    assert_eq!(stats["admitted_total"], N as u64, "{stats}");
    assert_eq!(stats["waiting"], 0);
}

#[tokio::test]
async fn redis_restarted_with_aof_mid_sale_loses_and_reorders_nobody() {
    const N: usize = 100;
    let mut redis = redis_with_aof();
    let backends = BackendsProcess::start().await;
    let env = redis_env(
        &redis.address(),
        false,
        &backends,
        &[("USHER_READY_OUTAGE_SECS", "1")],
    );
    let a = start(&env).await;
    let (waiters, tasks) = paused_sale(&a, N, json!({"burst": 1, "rate_per_sec": 25})).await;
    a.configure("evt", json!({"paused": false})).await;
    tokio::time::sleep(Duration::from_millis(1_000)).await;

    redis.kill();
    // During the outage: joins are refused with a retry hint, sockets stay open and are told.
    let (status, body) = a.try_join("evt").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "STORE_UNAVAILABLE");
    eventually(10 * SECOND, "the degraded notice", || async {
        waiters
            .iter()
            .filter(|w| admitted_at(&w.2).is_none())
            .all(|w| w.2.lock().iter().any(|m| m["type"] == "degraded"))
    })
    .await;
    eventually(
        10 * SECOND,
        "readiness to fail on a sustained outage",
        || async { a.readyz().await == 503 },
    )
    .await;
    assert!(
        waiters.iter().all(|w| !w
            .2
            .lock()
            .iter()
            .any(|m| m["type"] == "closed" || m["type"] == "dropped")),
        "a socket was closed during the outage"
    );

    redis.restart();
    eventually(15 * SECOND, "readiness to recover", || async {
        a.readyz().await == 200
    })
    .await;
    eventually(10 * SECOND, "the recovered notice", || async {
        waiters
            .iter()
            .filter(|w| w.2.lock().iter().any(|m| m["type"] == "degraded"))
            .all(|w| {
                admitted_at(&w.2).is_some() || w.2.lock().iter().any(|m| m["type"] == "recovered")
            })
    })
    .await;
    all_admitted_once_in_order(&waiters, tasks, Duration::from_secs(30), "the restart").await;
    let stats = a.stats("evt").await;
    assert_eq!(
        (
            stats["admitted_total"].as_u64(),
            stats["joined_total"].as_u64()
        ),
        (Some(N as u64), Some(N as u64)),
        "{stats}"
    );
    assert_eq!(a.try_join("evt").await.0, 202);
}

/// The master port serving `slot`, from `CLUSTER NODES` of every node.
#[tokio::test]
async fn an_operator_on_one_replica_reaches_every_replicas_sockets_and_one_audit_log() {
    use reqwest::Method;
    let redis = RedisServer::start();
    let backends = BackendsProcess::start().await;
    let env = redis_env(&redis.address(), false, &backends, &[]);
    let (a, b) = (start(&env).await, start(&env).await);
    a.configure("evt_ops", json!({"paused": true})).await;
    let mut tokens = Vec::new();
    for _ in 0..3 {
        tokens.push(a.join("evt_ops").await.0);
    }
    // Every socket on B.
    let mut sockets = Vec::new();
    for t in &tokens {
        let mut ws = b.ws(t).await;
        ws.wait_for("snapshot", 5 * SECOND).await;
        sockets.push(ws);
    }
    // A message sent through A reaches B's sockets at once.
    let path = "/api/v1/admin/events/evt_ops/broadcast";
    let (st, sent) = a
        .admin(Method::POST, path, Some(json!({"message": "hello from A"})))
        .await;
    assert_eq!(st, 200, "{sent}");
    for ws in &mut sockets {
        assert_eq!(
            ws.wait_for("announcement", 5 * SECOND).await["message"],
            "hello from A"
        );
    }
    // Revoked through A, the place's socket on B is told why and closed.
    let (st, _) = a
        .admin(
            Method::DELETE,
            &format!("/api/v1/admin/waiters/{}", tokens[0]),
            None,
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(
        sockets[0].wait_for("expired", 5 * SECOND).await["reason"],
        "revoked"
    );
    assert_eq!(
        sockets[0].closed(5 * SECOND).await,
        support::ws::Ended::Closed(4410)
    );
    // Cancelled through B: B's other sockets are told, and A refuses joins.
    let (st, _) = b
        .admin(
            Method::POST,
            "/api/v1/admin/events/evt_ops/end",
            Some(json!({"cancel": true})),
        )
        .await;
    assert_eq!(st, 200);
    for ws in &mut sockets[1..] {
        let ended = ws.wait_for("sale_ended", 5 * SECOND).await;
        assert_eq!(ended["cancelled"], true, "{ended}");
    }
    assert_eq!(a.try_join("evt_ops").await.0, 410);
    // One audit log, whichever replica reads it.
    let (from_a, from_b) = (
        a.admin_get("/api/v1/admin/audit").await,
        b.admin_get("/api/v1/admin/audit").await,
    );
    assert_eq!(from_a, from_b);
    let actions: Vec<&str> = from_a["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["sale.cancel", "waiter.revoke", "broadcast", "event.update"]
    );
    // A dashboard session made on A is good on B (the replicas share JWT_SECRET).
    let signed = reqwest::Client::new()
        .post(format!("{}/api/v1/admin/session", a.base()))
        .json(&json!({"token": support::usher::ADMIN_TOKEN}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 200);
    let cookie = signed.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let on_b = reqwest::Client::new()
        .get(format!("{}/api/v1/admin/events", b.base()))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(on_b.status(), 200);
}

fn master_of(cluster: &RedisCluster, slot: u16) -> u16 {
    for node in &cluster.nodes {
        let nodes = raw_command(node.port, "CLUSTER NODES").unwrap();
        let mine = nodes.lines().find(|l| l.contains("myself")).unwrap();
        for range in mine.split_whitespace().skip(8) {
            let (lo, hi) = range.split_once('-').unwrap_or((range, range));
            if (lo.parse::<u16>().unwrap()..=hi.parse::<u16>().unwrap()).contains(&slot) {
                return node.port;
            }
        }
    }
    panic!("slot {slot} unserved");
}

fn slot_of(cluster: &RedisCluster, key: &str) -> u16 {
    let reply = raw_command(cluster.nodes[0].port, &format!("CLUSTER KEYSLOT {key}")).unwrap();
    reply.trim().trim_start_matches(':').parse().unwrap()
}

#[tokio::test]
async fn on_a_cluster_events_spread_over_masters_and_updates_reach_every_replica() {
    let cluster = RedisCluster::start();
    let backends = BackendsProcess::start().await;
    let env = redis_env(&cluster.addresses(), true, &backends, &[]);
    let (a, b) = (start(&env).await, start(&env).await);
    // One event on each master.
    let mut events: HashMap<u16, String> = HashMap::new();
    for i in 0.. {
        let event = format!("evt_{i}");
        let master = master_of(
            &cluster,
            slot_of(&cluster, &format!("usher:{{{event}}}:meta")),
        );
        events.entry(master).or_insert(event);
        if events.len() == 3 {
            break;
        }
    }
    for event in events.values() {
        a.configure(
            event,
            json!({"paused": true, "burst": 5, "rate_per_sec": 50}),
        )
        .await;
        let mut waiters = Vec::new();
        for _ in 0..20 {
            let (token, pos) = a.join(event).await;
            waiters.push((token, pos, Log::default()));
        }
        // Sockets on B, steps taken by either replica, messages from this event's master.
        let tasks: Vec<_> = waiters
            .iter()
            .map(|(t, _, log)| watch(t.clone(), vec![b.ws_base()], log.clone()))
            .collect();
        eventually(10 * SECOND, "every snapshot", || async {
            waiters.iter().all(|w| !w.2.lock().is_empty())
        })
        .await;
        a.configure(event, json!({"paused": false})).await;
        let done = tokio::time::timeout(Duration::from_secs(20), join_all(tasks)).await;
        assert!(done.is_ok(), "updates of {event} did not reach replica B");
        assert_join_order(&waiters);
        let stats = b.stats(event).await;
        assert_eq!(stats["admitted_total"], 20, "{stats}");
    }
    let masters: HashSet<_> = events.keys().collect();
    assert_eq!(masters.len(), 3);
}

#[tokio::test]
async fn idle_waiters_cost_the_store_per_event_not_per_waiter() {
    const N: usize = 5_000;
    const WINDOW: Duration = Duration::from_secs(60);
    let redis = RedisServer::start();
    let backends = BackendsProcess::start().await;
    let env = redis_env(
        &redis.address(),
        false,
        &backends,
        &[("USHER_TICK_MS", "100")],
    );
    let a = start(&env).await;
    a.configure("evt", json!({"paused": true})).await;
    let mut tokens = Vec::with_capacity(N);
    for _ in 0..N / 250 {
        tokens.extend(join_all((0..250).map(|_| a.join("evt"))).await);
    }
    let mut sockets: Vec<WsClient> = Vec::with_capacity(N);
    for chunk in tokens.chunks(250) {
        sockets.extend(join_all(chunk.iter().map(|(t, _)| a.ws(t))).await);
    }
    for ws in &mut sockets {
        ws.wait_for("snapshot", 10 * SECOND).await;
    }
    // Idle, but alive: each client keeps reading, so it answers the server's pings as a
    // browser would, and nothing else.
    let readers: Vec<_> = sockets
        .into_iter()
        .map(|mut ws| {
            tokio::spawn(async move { while let Some(Ok(_)) = ws.stream.next().await {} })
        })
        .collect();

    let before = command_calls(&redis);
    tokio::time::sleep(WINDOW).await;
    let after = command_calls(&redis);
    let mut by_command: Vec<(&String, u64)> = after
        .iter()
        .map(|(cmd, n)| (cmd, n - before.get(cmd).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    by_command.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    // The first INFO is counted in the second reading.
    let ops = after.values().sum::<u64>() - before.values().sum::<u64>() - 1;
    let per_waiter_per_sec = ops as f64 / N as f64 / WINDOW.as_secs_f64();
    eprintln!(
        "store cost: {ops} Redis commands in {}s with {N} idle WebSocket waiters = {:.2}/s, {per_waiter_per_sec:.5} per waiter per second; by command: {by_command:?}",
        WINDOW.as_secs(),
        ops as f64 / WINDOW.as_secs_f64()
    );
    assert!(per_waiter_per_sec < 0.05, "{per_waiter_per_sec}");
    // Every socket is still there and still holds its place.
    let stats = a.stats("evt").await;
    assert_eq!(stats["waiting"], N as u64);
    assert_eq!(stats["local_connections"], N as u64);
    assert!(
        readers.iter().all(|r| !r.is_finished()),
        "an idle socket was closed"
    );
    readers.iter().for_each(|r| r.abort());
}

/// Calls per command since the server started, from `INFO commandstats` (commands run inside
/// scripts included).
fn command_calls(redis: &RedisServer) -> HashMap<String, u64> {
    redis
        .info("commandstats")
        .lines()
        .filter_map(|l| {
            let (name, rest) = l.strip_prefix("cmdstat_")?.split_once(':')?;
            let calls = rest
                .strip_prefix("calls=")?
                .split(',')
                .next()?
                .parse()
                .ok()?;
            Some((name.to_owned(), calls))
        })
        .collect()
}

#[test]
fn a_replica_on_redis_refuses_to_run_a_private_inventory() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_usher"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        // Nothing listens here: the refusal comes before any connection.
        .env("REDIS_ADDRESS", "127.0.0.1:9")
        .env("SERVER_PORT", "0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for needed in [
        "usher backends",
        "BACKEND_RESERVATION_API_GRPC_ADDRESS",
        "sell seats twice",
    ] {
        assert!(stderr.contains(needed), "{stderr}");
    }
}

/// Joins `event` on `replica` as `user`, waits for admission, enters and reserves `seat` there
/// (the reservation token is the replica's own); returns the reservation's status and body.
async fn buy_seat(replica: &UsherProcess, user: &str, event: &str, seat: &str) -> (u16, Value) {
    buy_seat_across(replica, replica, user, event, seat).await
}

/// [`buy_seat`], entering on `replica` and reserving on `reserve_on` with its token.
async fn buy_seat_across(
    replica: &UsherProcess,
    reserve_on: &UsherProcess,
    user: &str,
    event: &str,
    seat: &str,
) -> (u16, Value) {
    let http = reqwest::Client::new();
    let bearer = buyer_token(user);
    let joined: Value = http
        .post(format!("{}/api/v1/queue/join", replica.base()))
        .bearer_auth(&bearer)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&json!({"event_id": event}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = joined["waiting_token"].as_str().expect("joined").to_owned();
    let deadline = Instant::now() + 10 * SECOND;
    let grant = loop {
        let (status, body) = replica
            .post("/api/v1/queue/enter", &json!({"waiting_token": token}))
            .await;
        if status == 200 {
            break body;
        }
        assert_eq!(status, 403, "{body}");
        assert!(Instant::now() < deadline, "never admitted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let resp = http
        .post(format!("{}/api/v1/reservations", reserve_on.base()))
        .bearer_auth(&bearer)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&json!({
            "event_id": event,
            "seat_ids": [seat],
            "reservation_token": grant["reservation_token"],
        }))
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test]
async fn two_replicas_with_the_readmes_settings_sell_a_seat_once() {
    const EVENT: &str = "evt_2025_1001";
    let redis = RedisServer::start();
    let backends = BackendsProcess::start().await;
    let env = redis_env(&redis.address(), false, &backends, &[]);
    let (a, b) = (start(&env).await, start(&env).await);
    let (first, second) = tokio::join!(
        buy_seat(&a, "buyer-a", EVENT, "VIP-1-1"),
        buy_seat(&b, "buyer-b", EVENT, "VIP-1-1"),
    );
    let mut statuses = [first.0, second.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409], "{first:?} {second:?}");
    let refused = if first.0 == 409 { &first.1 } else { &second.1 };
    assert_eq!(refused["error"]["code"], "INVENTORY_CONFLICT", "{refused}");
    // One inventory: both replicas see the same seats left.
    let path = format!("/api/v1/events/{EVENT}/availability");
    let (left_a, left_b) = (a.get(&path).await.unwrap(), b.get(&path).await.unwrap());
    assert_eq!(left_a.1["remaining"], left_b.1["remaining"]);
    assert_eq!(left_a.1["held"], 1);
}

#[tokio::test]
async fn an_outage_longer_than_the_grace_period_costs_no_open_socket_its_place() {
    const N: usize = 20;
    let mut redis = redis_with_aof();
    let backends = BackendsProcess::start().await;
    let env = redis_env(&redis.address(), false, &backends, FAST_REAPING);
    let a = start(&env).await;
    let (waiters, tasks) = paused_sale(&a, N, json!({"burst": 5, "rate_per_sec": 50})).await;

    // Down for longer than a heartbeat lasts: every deadline in Redis lapses meanwhile.
    redis.kill();
    tokio::time::sleep(Duration::from_secs(6)).await;
    redis.restart();
    eventually(15 * SECOND, "readiness to recover", || async {
        a.readyz().await == 200
    })
    .await;
    // Well past the hold that follows the outage: the reaper has run dozens of times.
    tokio::time::sleep(Duration::from_secs(4)).await;
    for (token, _, log) in &waiters {
        assert_place_kept(token, log);
        let (status, body) = a.status(token).await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("waiting")),
            "{body}"
        );
    }
    a.configure("evt", json!({"paused": false})).await;
    all_admitted_once_in_order(&waiters, tasks, Duration::from_secs(30), "the outage").await;
}

#[tokio::test]
async fn a_replica_cut_off_from_redis_keeps_its_open_sockets_places() {
    const N: usize = 12;
    let redis = RedisServer::start();
    let backends = BackendsProcess::start().await;
    let env = redis_env(&redis.address(), false, &backends, FAST_REAPING);
    // Replica b reaches Redis through a link the test cuts; replica a reaches it directly.
    let link = support::proxy::Proxy::start(redis.address().parse().unwrap()).await;
    let mut cut_env = env.clone();
    cut_env.retain(|(k, _)| k != "REDIS_ADDRESS");
    cut_env.push(("REDIS_ADDRESS".to_owned(), link.address()));
    let a = start(&env).await;
    let b = start(&cut_env).await;
    let (waiters, tasks) = paused_sale(&b, N, json!({"burst": 4, "rate_per_sec": 40})).await;

    // b has renewed its sockets (every 500 ms) since they opened: the store knows it holds them.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    // Cut off for three times as long as a heartbeat lasts, while a keeps reaping.
    link.cut(true);
    tokio::time::sleep(Duration::from_secs(7)).await;
    for (token, _, _) in &waiters {
        let (status, body) = a.status(token).await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("waiting")),
            "a reaped a waiter of the cut-off replica: {body}"
        );
    }
    link.cut(false);
    eventually(15 * SECOND, "the cut-off replica to recover", || async {
        b.readyz().await == 200
    })
    .await;
    for (token, _, log) in &waiters {
        assert_place_kept(token, log);
    }
    a.configure("evt", json!({"paused": false})).await;
    all_admitted_once_in_order(&waiters, tasks, Duration::from_secs(30), "the partition").await;
}

#[tokio::test]
async fn when_redis_loses_its_data_sockets_are_told_their_place_is_gone_not_admitted() {
    const N: usize = 10;
    let redis = RedisServer::start();
    let backends = BackendsProcess::start().await;
    let env = redis_env(&redis.address(), false, &backends, &[]);
    let (a, b) = (start(&env).await, start(&env).await);
    a.configure(
        "evt",
        json!({"paused": true, "burst": 5, "rate_per_sec": 50}),
    )
    .await;
    let mut waiters = Vec::new();
    for _ in 0..N {
        let (token, pos) = a.join("evt").await;
        waiters.push((token, pos, Log::default()));
    }
    let tasks: Vec<_> = waiters
        .iter()
        .enumerate()
        .map(|(i, (t, _, log))| {
            let base = if i % 2 == 0 { a.ws_base() } else { b.ws_base() };
            watch(t.clone(), vec![base], log.clone())
        })
        .collect();
    eventually(10 * SECOND, "every snapshot", || async {
        waiters.iter().all(|w| !w.2.lock().is_empty())
    })
    .await;

    // Redis forgets everything (as a restart without persistence would), and the sale goes
    // on: a new queue for the same event starts admitting.
    raw_command(redis.port, "FLUSHALL").unwrap();
    b.configure(
        "evt",
        json!({"paused": false, "burst": 5, "rate_per_sec": 50}),
    )
    .await;
    let newcomer = b.join("evt").await;
    assert_eq!(newcomer.1, 1, "the new queue starts at 1");
    let done = tokio::time::timeout(Duration::from_secs(15), join_all(tasks)).await;
    assert!(done.is_ok(), "a socket of a lost place stayed open");
    for (token, _, log) in &waiters {
        let log = log.lock();
        let readies = log.iter().filter(|m| m["type"] == "ready").count();
        assert_eq!(readies, 0, "{token} was admitted from a lost place");
        assert!(
            log.iter()
                .any(|m| m["type"] == "expired" && m["reason"] == "place_lost"),
            "{token}: {log:?}"
        );
        assert!(
            log.iter()
                .any(|m| m["type"] == "closed" && m["code"] == 4410)
        );
    }
}

#[tokio::test]
async fn an_enter_cut_short_by_a_redis_stall_can_be_retried_with_its_key() {
    let redis = RedisServer::start();
    let backends = BackendsProcess::start().await;
    // Store calls give up after 1 s (redis_env).
    let env = redis_env(&redis.address(), false, &backends, &[]);
    let a = start(&env).await;
    a.configure(
        "evt",
        json!({"paused": false, "burst": 5, "rate_per_sec": 50}),
    )
    .await;
    let (token, _) = a.join("evt").await;
    eventually(10 * SECOND, "admission", || async {
        a.status(&token).await.1["ready_for_entry"] == true
    })
    .await;
    let http = reqwest::Client::new();
    let key = uuid::Uuid::new_v4().to_string();
    let enter = || {
        http.post(format!("{}/api/v1/queue/enter", a.base()))
            .header("Idempotency-Key", &key)
            .json(&json!({"waiting_token": token}))
            .send()
    };
    // Redis stalls for longer than a store call waits: the claim of the key waits in its
    // socket, and the request gives up.
    redis.freeze(true);
    let stalled = enter().await.unwrap();
    assert_eq!(stalled.status().as_u16(), 503);
    tokio::time::sleep(Duration::from_millis(500)).await;
    redis.freeze(false);
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    // The client retries with the same key once Redis is back: it runs, and the turn is kept.
    let retried = enter().await.unwrap();
    let status = retried.status().as_u16();
    let body: Value = retried.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body["reservation_token"].is_string(), "{body}");
}

/// `usher serve` whose clock is `offset` off (libfaketime, e.g. "+300s" or "-45s").
fn skewed(env: &[(String, String)], offset: &str) -> Vec<(String, String)> {
    let mut env = env.to_vec();
    env.extend([
        (
            "LD_PRELOAD".to_owned(),
            "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1".to_owned(),
        ),
        ("FAKETIME".to_owned(), offset.to_owned()),
        // Timers measure durations; only the time of day is skewed.
        ("FAKETIME_DONT_FAKE_MONOTONIC".to_owned(), "1".to_owned()),
    ]);
    env
}

#[tokio::test]
async fn replicas_with_skewed_clocks_show_true_etas_and_accept_each_others_tokens() {
    const EVENT: &str = "evt_2025_1001";
    let redis = RedisServer::start();
    let backends = BackendsProcess::start().await;
    // The replicas share one reservation-token key, as a deployment of several must.
    let keys = support::TempDir::new("usher-skew");
    let key_file = keys.path().join("reservation.pem");
    let pem = {
        use p256::pkcs8::EncodePrivateKey;
        p256::SecretKey::random(&mut rand_core::OsRng)
            .to_pkcs8_pem(Default::default())
            .unwrap()
    };
    std::fs::write(&key_file, pem.as_bytes()).unwrap();
    let env = redis_env(
        &redis.address(),
        false,
        &backends,
        &[("USHER_RESERVATION_KEY_FILE", key_file.to_str().unwrap())],
    );
    let fair = start(&env).await;
    let ahead = start(&skewed(&env, "+300s")).await;
    let behind = start(&skewed(&env, "-45s")).await;
    fair.configure(
        EVENT,
        json!({"paused": true, "rate_per_sec": 5, "burst": 1, "entry_window_secs": 120}),
    )
    .await;
    // Two buyers first in line, then a crowd behind them; then the sale opens.
    let crowd_joins = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut crowd = Vec::new();
        for i in 0..150 {
            let replica = [&fair, &ahead, &behind][i % 3];
            crowd.push(replica.join(EVENT).await.0);
        }
        fair.configure(EVENT, json!({"paused": false})).await;
        crowd
    };
    let (first_buys, second_buys, crowd) = tokio::join!(
        buy_seat_across(&behind, &fair, "skew-buyer-1", EVENT, "VIP-1-1"),
        buy_seat_across(&ahead, &behind, "skew-buyer-2", EVENT, "VIP-1-2"),
        crowd_joins,
    );
    // Entered on a replica 45 s behind, reserved on a fair one; entered 300 s ahead, reserved
    // 45 s behind: every replica accepts every replica's tokens.
    assert_eq!(first_buys.0, 201, "{:?}", first_buys.1);
    assert_eq!(second_buys.0, 201, "{:?}", second_buys.1);
    // After a few seconds of admission at 5/s, every replica tells a waiter deep in the queue
    // the same true figures: the rate, an ETA of about (position / rate), a waiting time of
    // seconds.
    tokio::time::sleep(4 * SECOND).await;
    let deep = &crowd[120];
    for (name, replica) in [("fair", &fair), ("ahead", &ahead), ("behind", &behind)] {
        let (status, body) = replica.status(deep).await;
        assert_eq!(status, 200, "{name}: {body}");
        let rate = body["admission_rate"].as_f64().unwrap();
        assert!((3.0..=7.0).contains(&rate), "{name}: rate {rate}: {body}");
        let position = body["position"].as_u64().unwrap();
        let eta = body["eta_sec"].as_u64().unwrap();
        let expected = position as f64 / 5.0;
        assert!(
            (eta as f64) < expected * 2.0 + 5.0 && (eta as f64) > expected / 2.0 - 5.0,
            "{name}: eta {eta} s for position {position}: {body}"
        );
        let waited = body["waiting_time"].as_u64().unwrap();
        assert!(waited < 30, "{name}: waiting_time {waited} s: {body}");
    }
}

#[tokio::test]
async fn an_embedded_node_killed_mid_sale_resumes_every_place_setting_account_and_purchase() {
    const EVENT: &str = "evt_2025_1001";
    let dir = support::TempDir::new("usher-durable");
    let env = [
        ("USHER_DATA_DIR", dir.path().to_str().unwrap()),
        ("USHER_TICK_MS", "20"),
        ("USHER_GRACE_SECS", "2"),
    ];
    let mut node = UsherProcess::start(&env).await;
    node.configure(
        EVENT,
        json!({"paused": false, "rate_per_sec": 50, "burst": 1, "entry_window_secs": 120}),
    )
    .await;
    // An account, a seat on hold, then a paused sale with ten waiters behind it (one joined
    // with an Idempotency-Key).
    let account = json!({"username": "durable-ada", "password": "correct horse battery"});
    assert_eq!(node.post("/api/v1/auth/register", &account).await.0, 201);
    let (status, held) = buy_seat(&node, "durable-buyer", EVENT, "VIP-1-1").await;
    assert_eq!(status, 201, "{held}");
    node.configure(EVENT, json!({"paused": true})).await;
    let mut waiters = Vec::new();
    for _ in 0..9 {
        waiters.push(node.join(EVENT).await);
    }
    let http = reqwest::Client::new();
    let key = uuid::Uuid::new_v4().to_string();
    let keyed_join = |base: String| {
        http.post(format!("{base}/api/v1/queue/join"))
            .header("Idempotency-Key", &key)
            .json(&json!({"event_id": EVENT}))
            .send()
    };
    let first: Value = keyed_join(node.base()).await.unwrap().json().await.unwrap();
    let keyed = first["waiting_token"].as_str().unwrap().to_owned();
    waiters.push((keyed.clone(), 10));

    node.kill(); // SIGKILL: nothing is flushed on the way out.
    let node = UsherProcess::start(&env).await;

    // Every place, in order; the keyed join replays its place; the sale is still paused.
    for (token, position) in &waiters {
        let (status, body) = node.status(token).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "waiting", "{body}");
        assert_eq!(body["position"].as_u64(), Some(*position), "{body}");
    }
    let replayed: Value = keyed_join(node.base()).await.unwrap().json().await.unwrap();
    assert_eq!(replayed["waiting_token"], keyed.as_str(), "{replayed}");
    let config = node
        .admin_get(&format!("/api/v1/admin/events/{EVENT}"))
        .await;
    assert_eq!(config["paused"], true, "{config}");
    // The account logs in; the hold is the buyer's, and its seat is not sold again.
    assert_eq!(node.post("/api/v1/auth/login", &account).await.0, 200);
    let reservation = http
        .get(format!(
            "{}/api/v1/reservations/{}",
            node.base(),
            held["reservation_id"].as_str().unwrap()
        ))
        .bearer_auth(buyer_token("durable-buyer"))
        .send()
        .await
        .unwrap();
    assert_eq!(reservation.status(), 200);
    let reservation: Value = reservation.json().await.unwrap();
    assert_eq!(reservation["status"], "HOLD", "{reservation}");
    node.configure(EVENT, json!({"paused": false})).await;
    let (status, refused) = buy_seat(&node, "durable-other", EVENT, "VIP-1-1").await;
    assert_eq!(status, 409, "{refused}");
    // The waiters were admitted in their order, before the late buyer.
    for (token, _) in &waiters {
        let (_, body) = node.status(token).await;
        assert_eq!(body["phase"], "admitted", "{body}");
    }
}

#[tokio::test]
async fn a_failing_reservation_service_holds_admission_until_it_answers_again() {
    const EVENT: &str = "evt_2025_1001";
    let mut backends = BackendsProcess::start().await;
    let mut env = backends.env();
    env.extend(
        [
            ("USHER_BREAKER_FAILURES", "3"),
            ("USHER_BREAKER_OPEN_SECS", "1"),
            ("USHER_TICK_MS", "20"),
            ("USHER_PUSH_INTERVAL_MS", "100"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    let node = start(&env).await;
    node.configure(
        EVENT,
        json!({"paused": true, "rate_per_sec": 0.5, "burst": 1, "entry_window_secs": 60}),
    )
    .await;
    let mut sockets = Vec::new();
    let mut tokens = Vec::new();
    for _ in 0..8 {
        let (token, _) = node.join(EVENT).await;
        let mut ws = node.ws(&token).await;
        ws.wait_for("snapshot", SECOND).await;
        sockets.push(ws);
        tokens.push(token);
    }
    node.configure(EVENT, json!({"paused": false})).await;
    sockets[0].wait_for("ready", 2 * SECOND).await;
    sockets[7].wait_for("resumed", 2 * SECOND).await;
    let first_deadline = node.status(&tokens[0]).await.1["entry_deadline"]
        .as_u64()
        .unwrap();

    // The reservation service goes down; buyers' calls fail until the circuit opens, then
    // fail at once.
    backends.kill();
    let availability = format!("/api/v1/events/{EVENT}/availability");
    for _ in 0..3 {
        let (status, body) = node.get(&availability).await.unwrap();
        assert!(status == 503 || status == 504, "{status} {body}");
    }
    let started = Instant::now();
    let (status, body) = node.get(&availability).await.unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(
        started.elapsed() < Duration::from_millis(100),
        "refused at once"
    );
    // Waiters are told why admission stopped, and nobody is admitted into the outage.
    let paused = sockets[7].wait_for("paused", 3 * SECOND).await;
    assert_eq!(
        paused["reason"], "reservation_service_unavailable",
        "{paused}"
    );
    let (_, status) = node.status(&tokens[7]).await;
    assert_eq!(status["paused"], true, "{status}");
    assert_eq!(status["pause_reason"], "reservation_service_unavailable");
    let admitted = node.stats(EVENT).await["admitted_total"].clone();
    tokio::time::sleep(2 * SECOND).await;
    assert_eq!(node.stats(EVENT).await["admitted_total"], admitted);

    // Back: the guard's probe closes the circuit, admission resumes, and the buyer admitted
    // before the outage gets its length back.
    backends.restart().await;
    sockets[7].wait_for("resumed", 8 * SECOND).await;
    let held_ms = started.elapsed().as_millis() as u64;
    let extended = node.status(&tokens[0]).await.1["entry_deadline"]
        .as_u64()
        .unwrap();
    assert!(
        extended >= first_deadline + held_ms - 1_000,
        "entry deadline {first_deadline} moved to {extended} after a {held_ms} ms hold"
    );
    let (status, body) = node.get(&availability).await.unwrap();
    assert_eq!(status, 200, "{body}");
    let ready = sockets[1].wait_for("ready", 3 * SECOND).await;
    assert_eq!(ready["ready_for_entry"], true, "{ready}");
}

/// Store layouts across releases. Data written before layouts were recorded (this layout, with
/// no `usher:layout` key) is served as it is, and the layout is recorded; a store in another
/// layout stops a replica's start with a message that says what to do.
#[tokio::test]
async fn data_of_an_earlier_release_is_served_and_a_store_in_another_layout_is_refused() {
    let redis = RedisServer::start();
    let backends = BackendsProcess::start().await;
    let env = redis_env(&redis.address(), false, &backends, &[]);
    let mut earlier = start(&env).await;
    earlier
        .configure("evt", json!({"paused": true, "rate_per_sec": 1}))
        .await;
    let (token, position) = earlier.join("evt").await;
    earlier.kill();
    // As the release before layouts left it.
    assert_eq!(
        raw_command(redis.port, "DEL usher:layout").as_deref(),
        Some(":1\r\n")
    );

    let next = start(&env).await;
    let (status, body) = next.status(&token).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["position"], position);
    assert_eq!(
        raw_command(redis.port, "GET usher:layout").as_deref(),
        Some(format!("$1\r\n{}\r\n", usher::store::LAYOUT).as_str())
    );

    raw_command(
        redis.port,
        &format!("SET usher:layout {}", usher::store::LAYOUT + 1),
    );
    let mut refused = std::process::Command::new(env!("CARGO_BIN_EXE_usher"));
    refused
        .arg("serve")
        .env("SERVER_PORT", "0")
        .env("USHER_BIND", "127.0.0.1")
        .env("USHER_WEB_ROOT", "/nonexistent")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = refused.spawn().unwrap();
    let deadline = Instant::now() + 20 * SECOND;
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "a replica served a store of another layout"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!exit.success());
    assert!(stderr.contains("written by a newer usher"), "{stderr}");
    // The replica already serving keeps serving the waiter meanwhile.
    let (status, body) = next.status(&token).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["position"], position);
}
