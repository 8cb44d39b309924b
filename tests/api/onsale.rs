//! Scheduled sales end to end: the pre-queue, the refusals around it, and a random start's draw
//! checked from its published values alone, as an outside verifier would.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use usher::domain::WaitingToken;
use usher::draw::{self, Permutation, Proof, Published};
use usher::store::{MemoryStore, Store};

use crate::helpers::*;

fn now_ms() -> u64 {
    usher::clock::system_ms()
}

fn rfc3339(ms: u64) -> String {
    usher::queue::rfc3339(ms)
}

#[tokio::test]
async fn joins_are_refused_before_the_prequeue_opens_and_after_the_sale_ends() {
    let app = spawn_app(&[]).await;
    let opens = now_ms() + 3_600_000;
    app.configure(
        "evt_later",
        // With a proof of work asked for too: a sale not open yet says so first, before any
        // challenge is spent on a join that cannot be.
        json!({"prequeue_opens_at": rfc3339(opens), "sale_starts_at": rfc3339(opens + 60_000),
               "pow_difficulty": 12}),
    )
    .await;
    let resp = app
        .http
        .post(app.url("/api/v1/queue/join"))
        .header("Idempotency-Key", idem_key())
        .json(&json!({"event_id": "evt_later"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3_590..=3_601).contains(&retry), "Retry-After {retry}");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "SALE_NOT_OPEN");
    assert_eq!(body["error"]["opens_at"], opens / 1_000 * 1_000);
    // Ended: joins are refused, and a waiter's status says the sale ended.
    let start = now_ms() - 1_000;
    app.configure(
        "evt_ending",
        json!({"sale_starts_at": start, "sale_ends_at": rfc3339(now_ms() + 1_500),
               "paused": true}),
    )
    .await;
    let token = app.join_token("evt_ending").await;
    let mut ws = app.ws(&token).await;
    ws.wait_for("snapshot", Duration::from_secs(5)).await;
    // The socket is told, then closed with a code that says not to reconnect.
    let ended = ws.wait_for("sale_ended", Duration::from_secs(5)).await;
    assert_eq!(ended["event_id"], "evt_ending");
    assert!(matches!(
        ws.closed(Duration::from_secs(2)).await,
        Ended::Closed(4410)
    ));
    let (status, body) = app
        .post("/api/v1/queue/join", &json!({"event_id": "evt_ending"}))
        .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::GONE, &json!("SALE_ENDED"))
    );
    let (status, body) = app.status(&token).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::GONE, &json!("SALE_ENDED"))
    );
    // Bad schedules are refused and change nothing.
    for bad in [
        json!({"sale_starts_at": "tomorrow"}),
        json!({"prequeue_opens_at": rfc3339(now_ms() + 10_000)}),
        json!({"sale_starts_at": 5_000, "sale_ends_at": 4_000}),
        json!({"sale_starts_at": 5_000, "beacon_round": "r1"}),
    ] {
        let resp = app
            .http
            .put(app.url("/api/v1/admin/events/evt_bad_schedule"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    // The method is fixed once anyone joined.
    let resp = app
        .http
        .put(app.url("/api/v1/admin/events/evt_ending"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"queueing_method": "random_at_start"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CONFLICT);
}

/// 10,000 entrants join a random start's pre-queue; after the draw every position is
/// recomputed from the published values (commitment, seed, entry root, entrants) and each
/// entrant's token, and tampering with the entry list or the seed is detected.
#[tokio::test]
async fn every_position_of_a_10000_entrant_draw_is_recomputed_from_the_published_values() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new(Duration::from_secs(600)));
    let app = spawn_app_with(&[], Some(store.clone())).await;
    // The start is far off while everyone joins, then brought forward (allowed until the
    // entry list closes).
    let settings = app
        .configure(
            "evt_lottery",
            json!({"sale_starts_at": rfc3339(now_ms() + 3_600_000),
                   "queueing_method": "random_at_start",
                   "paused": true}),
        )
        .await;
    assert_eq!(settings["schedule"]["queueing_method"], "random_at_start");
    let (status, published) = app.get("/api/v1/events/evt_lottery/draw").await;
    assert_eq!(
        (status, published["state"].as_str()),
        (StatusCode::OK, Some("open"))
    );
    let commitment = published["commitment"].as_str().unwrap().to_owned();
    assert!(
        published["seed"].is_null(),
        "the seed stays secret until the draw"
    );

    // A socket in the pre-queue sees the phase, then its drawn position.
    let first = app.join("evt_lottery").await;
    let first_token = first["waiting_token"].as_str().unwrap().to_owned();
    assert_eq!(first["position"], 0, "no position before the draw");
    assert!(first["eta_range"].is_null(), "nor an ETA range");
    let mut ws = app.ws(&first_token).await;
    let snapshot = ws.wait_for("snapshot", Duration::from_secs(5)).await;
    assert_eq!(snapshot["phase"], "prequeue");
    assert_eq!(snapshot["queueing_method"], "random_at_start");
    let tokens: Vec<String> = futures::stream::iter(1..10_000)
        .map(|_| async { app.join_token("evt_lottery").await })
        .buffer_unordered(32)
        .collect()
        .await;
    let mut all: Vec<String> = vec![first_token.clone()];
    all.extend(tokens);
    let (_, status) = app.status(&all[1]).await;
    assert_eq!(
        (status["phase"].as_str(), status["position"].as_u64()),
        (Some("prequeue"), Some(0))
    );
    assert_eq!(status["prequeue_size"], 10_000);
    // Two leave in the pre-queue: their slots stay in the entry list and are skipped.
    for t in &all[100..102] {
        app.leave(t).await;
    }
    let pushed = ws.wait_for("position", Duration::from_secs(5)).await;
    assert_eq!(pushed["phase"], "prequeue");
    let start = now_ms() + 500;
    app.configure("evt_lottery", json!({"sale_starts_at": start}))
        .await;

    // The draw is made at the start (the sale stays paused: positions hold still).
    let published = loop {
        let (_, p) = app.get("/api/v1/events/evt_lottery/draw").await;
        if p["state"] == "drawn" {
            break p;
        }
        assert!(now_ms() < start + 15_000, "no draw: {p}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(published["commitment"], commitment.as_str());
    assert_eq!(published["entrants"], 10_000);
    let drawn = loop {
        let pushed = ws.wait_for("position", Duration::from_secs(5)).await;
        if pushed["phase"] == "waiting" {
            break pushed;
        }
        assert!(["prequeue", "drawing"].contains(&pushed["phase"].as_str().unwrap()));
    };

    // The verifier's side: each entrant's index (its join order), the leaves, the root, the
    // seed against its commitment, the key, every rank and every position.
    let mut index = HashMap::new();
    for t in &all {
        let token = WaitingToken::parse(t).unwrap();
        let record = store.status(token, None).await.unwrap().unwrap();
        index.insert(record.seq.0, token);
    }
    let leaves: Vec<draw::Hash> = (1..=10_000).map(|i| draw::leaf(&index[&i])).collect();
    let root = draw::root(&leaves).unwrap();
    assert_eq!(published["entry_root"], hex::encode(root));
    let seed = draw::parse_hash(published["seed"].as_str().unwrap()).unwrap();
    assert_eq!(hex::encode(draw::commitment(&seed)), commitment);
    let p = Permutation::new(&draw::key(&seed, &root, ""), 10_000);
    let left: Vec<u64> = all[100..102]
        .iter()
        .map(|t| {
            let seq = index.iter().find(|(_, v)| v.to_string() == *t).unwrap().0;
            p.rank(*seq)
        })
        .collect();
    let app = &app;
    let positions: Vec<(String, Value)> = futures::stream::iter(all.clone())
        .map(|t| async move { (t.clone(), app.status(&t).await.1) })
        .buffer_unordered(32)
        .collect()
        .await;
    for (t, status) in positions.iter().filter(|(t, _)| !all[100..102].contains(t)) {
        let seq = store
            .status(WaitingToken::parse(t).unwrap(), None)
            .await
            .unwrap()
            .unwrap()
            .seq
            .0;
        let rank = p.rank(seq);
        let ahead = left.iter().filter(|&&r| r < rank).count() as u64;
        assert_eq!(status["drawn_rank"], rank, "{t}");
        assert_eq!(status["position"], rank - ahead, "{t}");
    }
    // One entrant's proof, checked as `usher verify-draw` does.
    let (status, proof) = app
        .get(&format!(
            "/api/v1/events/evt_lottery/draw/proof?token={first_token}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{proof}");
    let published_values: Published = serde_json::from_value(published.clone()).unwrap();
    let entry: Proof = serde_json::from_value(proof.clone()).unwrap();
    let token = WaitingToken::parse(&first_token).unwrap();
    let verdict = draw::verify(&published_values, &entry, Some(&token));
    assert!(verdict.passed(), "{verdict:?}");
    assert_eq!(verdict.rank, Some(drawn["drawn_rank"].as_u64().unwrap()));
    // Tampering: another seed, a reordered entry list, or another rank is caught.
    let mut other_seed = published_values.clone();
    other_seed.seed = Some(hex::encode([7u8; 32]));
    assert!(!draw::verify(&other_seed, &entry, Some(&token)).passed());
    let mut swapped = leaves.clone();
    swapped.swap(0, 1);
    assert_ne!(draw::root(&swapped), Some(root));
    let mut other_root = published_values.clone();
    other_root.entry_root = Some(hex::encode(draw::root(&swapped).unwrap()));
    assert!(!draw::verify(&other_root, &entry, Some(&token)).passed());
    let mut lied = entry.clone();
    lied.rank = lied.rank % 10_000 + 1;
    assert!(!draw::verify(&published_values, &lied, Some(&token)).passed());

    // The command: the saved bodies verify; a tampered one fails with exit code 1.
    let dir = std::env::temp_dir().join(format!("usher-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (draw_file, proof_file) = (dir.join("draw.json"), dir.join("proof.json"));
    std::fs::write(&draw_file, published.to_string()).unwrap();
    std::fs::write(&proof_file, proof.to_string()).unwrap();
    let verify = |token: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_usher"))
            .args(["verify-draw", "--draw"])
            .arg(&draw_file)
            .arg("--proof")
            .arg(&proof_file)
            .args(["--token", token])
            .output()
            .unwrap()
    };
    let out = verify(&first_token);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(&format!("rank  {}", entry.rank)), "{text}");
    let out = verify(&all[5]);
    assert_eq!(out.status.code(), Some(1), "another token's proof");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The nonce that solves `challenge` at `difficulty`, as the web client's worker finds it.
fn solve(challenge: &str, difficulty: u64) -> String {
    use sha2::{Digest, Sha256};
    (0u64..)
        .map(|n| n.to_string())
        .find(|n| {
            let d = Sha256::digest(format!("{challenge}:{n}").as_bytes());
            u64::from(usher::queue::pow::leading_zero_bits(&d)) >= difficulty
        })
        .unwrap()
}

async fn fresh_challenge(app: &TestApp) -> String {
    let (_, c) = app.get("/api/v1/queue/challenge?event_id=evt_pow").await;
    c["challenge"].as_str().unwrap().to_owned()
}

async fn join_with(app: &TestApp, body: &Value, key: &str) -> (StatusCode, Value) {
    app.post_with_key("/api/v1/queue/join", body, key).await
}

#[tokio::test]
async fn a_proof_of_work_is_asked_for_checked_spent_once_and_hardened_at_once() {
    let app = spawn_app(&[]).await;
    app.configure("evt_pow", json!({"pow_difficulty": 10}))
        .await;
    let (status, c) = app.get("/api/v1/queue/challenge?event_id=evt_pow").await;
    assert_eq!(
        (status, c["difficulty"].as_u64()),
        (StatusCode::OK, Some(10))
    );
    let challenge = c["challenge"].as_str().unwrap().to_owned();
    // Without a solution: asked for one.
    let (status, body) = join_with(&app, &json!({"event_id": "evt_pow"}), &idem_key()).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::FORBIDDEN, &json!("POW_REQUIRED"))
    );
    // A legitimate client solves it and joins; a retry of the same join is the same join.
    let nonce = solve(&challenge, 10);
    let solved = json!({"event_id": "evt_pow", "pow": {"challenge": challenge, "nonce": nonce}});
    let key = idem_key();
    let (status, first) = join_with(&app, &solved, &key).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{first}");
    let (status, again) = join_with(&app, &solved, &key).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(again["waiting_token"], first["waiting_token"]);
    // Reused by another join.
    let (status, body) = join_with(&app, &solved, &idem_key()).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::CONFLICT, &json!("POW_REUSED"))
    );
    // Forged (another key), tampered (a lower difficulty written in), unsolved.
    let forged = usher::queue::pow::Pow::new(b"not-the-servers-secret", 60_000).issue(
        &usher::domain::EventId::parse("evt_pow").unwrap(),
        10,
        now_ms(),
    );
    let tampered = fresh_challenge(&app).await.replacen("v1:10:", "v1:1:", 1);
    let unsolved = fresh_challenge(&app).await;
    let wrong = (0u64..)
        .map(|n| n.to_string())
        .find(|n| {
            use sha2::{Digest, Sha256};
            let d = Sha256::digest(format!("{unsolved}:{n}").as_bytes());
            usher::queue::pow::leading_zero_bits(&d) < 10
        })
        .unwrap();
    for (challenge, nonce) in [
        (forged.challenge.clone(), solve(&forged.challenge, 10)),
        (tampered.clone(), solve(&tampered, 1)),
        (unsolved.clone(), wrong),
    ] {
        let body = json!({"event_id": "evt_pow", "pow": {"challenge": challenge, "nonce": nonce}});
        let (status, answer) = join_with(&app, &body, &idem_key()).await;
        assert_eq!(
            (status, &answer["error"]["code"]),
            (StatusCode::FORBIDDEN, &json!("POW_INVALID"))
        );
    }
    // Expired: signed with the server's key (derived from the JWT secret), issued long ago.
    let old = usher::queue::pow::Pow::new(usher::config::DEV_JWT_SECRET.as_bytes(), 1_000).issue(
        &usher::domain::EventId::parse("evt_pow").unwrap(),
        10,
        now_ms() - 60_000,
    );
    let body = json!({"event_id": "evt_pow",
                      "pow": {"challenge": old.challenge, "nonce": solve(&old.challenge, 10)}});
    let (status, answer) = join_with(&app, &body, &idem_key()).await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (StatusCode::FORBIDDEN, &json!("POW_EXPIRED"))
    );
    // The operator raises the difficulty during an attack: a solution at the old one is
    // refused at once, and a new challenge carries the new difficulty.
    let easy = fresh_challenge(&app).await;
    let easy_nonce = solve(&easy, 10);
    app.configure("evt_pow", json!({"pow_difficulty": 12}))
        .await;
    let body = json!({"event_id": "evt_pow", "pow": {"challenge": easy, "nonce": easy_nonce}});
    let (status, answer) = join_with(&app, &body, &idem_key()).await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (StatusCode::FORBIDDEN, &json!("POW_TOO_EASY"))
    );
    let (_, c) = app.get("/api/v1/queue/challenge?event_id=evt_pow").await;
    assert_eq!(c["difficulty"], 12);
    // Off again: joins need nothing.
    app.configure("evt_pow", json!({"pow_difficulty": 0})).await;
    let (status, _) = join_with(&app, &json!({"event_id": "evt_pow"}), &idem_key()).await;
    assert_eq!(status, StatusCode::ACCEPTED);
}

/// A join-and-leave flood cannot grow a random start's entry list (leavers keep their slots)
/// beyond `USHER_PREQUEUE_MAX_ENTRANTS`: joins past it are refused, and an entrant who joined
/// before keeps its place.
#[tokio::test]
async fn a_join_and_leave_flood_fills_the_entry_list_to_its_cap_and_no_further() {
    let app = spawn_app(&["--prequeue-max-entrants", "40"]).await;
    let starts = now_ms() + 3_600_000;
    app.configure(
        "evt_flood",
        json!({"sale_starts_at": starts, "queueing_method": "random_at_start"}),
    )
    .await;
    let legit = app.join_token("evt_flood").await;
    for _ in 0..39 {
        let t = app.join_token("evt_flood").await;
        app.leave(&t).await;
    }
    let (status, body) = app
        .post("/api/v1/queue/join", &json!({"event_id": "evt_flood"}))
        .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::SERVICE_UNAVAILABLE, &json!("QUEUE_FULL"))
    );
    let (status, body) = app.status(&legit).await;
    assert_eq!(
        (status, &body["phase"]),
        (StatusCode::OK, &json!("prequeue"))
    );
    assert_eq!(body["prequeue_size"], 1);
}
