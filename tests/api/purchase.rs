//! The purchase through the gateway: join → `ready` → enter → reserve → pay → confirmed, pushed
//! over the WebSocket; reservation tokens; webhooks; expiry; ownership; and zero oversell with
//! 2,000 concurrent buyers through REST, all against the embedded backends over real gRPC.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use usher::config::{DEV_JWT_SECRET, DEV_WEBHOOK_SECRET};
use usher_proto::payment::webhook_signature;

use crate::helpers::*;
use crate::support::buyer_token;

const EVENT: &str = "evt_2025_1001";

async fn reserve(app: &TestApp, bearer: &str, rt: &str, seats: &[&str]) -> (StatusCode, Value) {
    app.post_as(
        bearer,
        "/api/v1/reservations",
        &json!({"event_id": EVENT, "seat_ids": seats, "reservation_token": rt}),
    )
    .await
}

async fn vip_remaining(app: &TestApp) -> u64 {
    let (_, a) = app
        .get(&format!("/api/v1/events/{EVENT}/availability"))
        .await;
    a["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "VIP")
        .unwrap()["remain"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn a_buyer_joins_is_admitted_reserves_pays_and_the_order_is_pushed_over_the_websocket() {
    let app = spawn_app(&["--payment-delay-ms", "100"]).await;
    let (st, reg) = app
        .post(
            "/api/v1/auth/register",
            &json!({"username": "alice", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{reg}");
    let bearer = reg["token"].as_str().unwrap().to_owned();

    let token = app.join_token(EVENT).await;
    // The event is open: the waiter may be admitted before the socket opens.
    let mut ws = app.ws(&token).await;
    ws.wait_ready(5 * SECOND).await;
    let (st, granted) = app.enter(&token).await;
    assert_eq!(st, StatusCode::OK, "{granted}");
    let rt = granted["reservation_token"].as_str().unwrap();
    assert_eq!(rt.split('.').count(), 3, "a JWT");

    let before = vip_remaining(&app).await;
    let (st, r) = reserve(&app, &bearer, rt, &["VIP-3-12"]).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(r["status"], "HOLD");
    assert_eq!(
        r["total_amount"],
        json!({"amount": 150_000, "currency": "KRW"})
    );
    assert!(r["hold_expires_at"].is_string());
    assert_eq!(vip_remaining(&app).await, before - 1);
    let id = r["reservation_id"].as_str().unwrap().to_owned();

    let (st, intent) = app
        .post_as(
            &bearer,
            "/api/v1/payments/intent",
            &json!({"reservation_id": id, "amount": 150_000, "currency": "KRW", "scenario": "approve"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{intent}");
    assert_eq!(intent["status"], "PENDING");
    let pushed = ws.wait_for("reservation", 5 * SECOND).await;
    assert_eq!(pushed["status"], "CONFIRMED", "{pushed}");
    let order = pushed["order_id"].as_str().unwrap().to_owned();
    assert!(order.starts_with("ord_"));

    let (st, r) = app
        .get_as(&bearer, &format!("/api/v1/reservations/{id}"))
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        (r["status"].as_str(), r["order_id"].as_str()),
        (Some("CONFIRMED"), Some(order.as_str()))
    );
    let pid = intent["payment_intent_id"].as_str().unwrap();
    let (_, p) = app
        .get_as(&bearer, &format!("/api/v1/payment/{pid}/status"))
        .await;
    assert_eq!(p["status"], "COMPLETED");
    // Confirming again (as a client would after the push) answers with the same order.
    let (st, c) = app
        .post_as(
            &bearer,
            &format!("/api/v1/reservations/{id}/confirm"),
            &json!({"payment_intent_id": pid}),
        )
        .await;
    assert_eq!(
        (st, c["order_id"].as_str()),
        (StatusCode::OK, Some(order.as_str()))
    );
}

#[tokio::test]
async fn reservation_tokens_are_required_bound_to_their_event_and_spent_by_one_reservation() {
    let app = spawn_app(&[]).await;
    let bearer = buyer_token("u1");
    let (st, e) = reserve(&app, &bearer, "", &["A-1-1"]).await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("RESERVATION_TOKEN_REQUIRED"))
    );
    let (st, e) = reserve(&app, &bearer, "not.a.token", &["A-1-1"]).await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("INVALID_RESERVATION_TOKEN"))
    );
    let (_, other_event) = app.admitted("evt_other").await;
    let (st, e) = reserve(&app, &bearer, &other_event, &["A-1-1"]).await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("INVALID_RESERVATION_TOKEN"))
    );

    let (waiting_token, first) = app.admitted(EVENT).await;
    let (_, second) = app.admitted(EVENT).await;
    let (st, r) = reserve(&app, &bearer, &first, &["A-1-1"]).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let (st, e) = reserve(&app, &bearer, &first, &["A-1-2"]).await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("RESERVATION_TOKEN_USED"))
    );
    // Entering again gives the same grant, freshly signed: it is spent all the same.
    let (st, again) = app.enter(&waiting_token).await;
    assert_eq!(st, StatusCode::OK, "{again}");
    let copy = again["reservation_token"].as_str().unwrap();
    let (st, e) = reserve(&app, &bearer, copy, &["A-1-2"]).await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("RESERVATION_TOKEN_USED"))
    );
    // A refused attempt does not spend the token: the buyer picks another seat.
    let (st, e) = reserve(&app, &buyer_token("u2"), &second, &["A-1-1"]).await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("INVENTORY_CONFLICT")),
        "{e}"
    );
    // The refusal names the seat and why.
    assert_eq!(
        e["error"]["message"], "seats are not available: A-1-1 (held)",
        "{e}"
    );
    let (st, r) = reserve(&app, &buyer_token("u2"), &second, &["A-1-3"]).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
}

#[tokio::test]
async fn only_the_owner_sees_and_pays_a_reservation() {
    let app = spawn_app(&[]).await;
    let (_, rt) = app.admitted(EVENT).await;
    let (owner, thief) = (buyer_token("owner"), buyer_token("thief"));
    let (_, r) = reserve(&app, &owner, &rt, &["B-1-1"]).await;
    let id = r["reservation_id"].as_str().unwrap();
    let (st, e) = app
        .get_as(&thief, &format!("/api/v1/reservations/{id}"))
        .await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("ACCESS_DENIED"))
    );
    let (st, _) = app
        .post_as(
            &thief,
            "/api/v1/payment/intent",
            &json!({"reservation_id": id, "amount": 80_000}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, e) = app
        .post_as(
            &owner,
            "/api/v1/payment/intent",
            &json!({"reservation_id": id, "amount": 1}),
        )
        .await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("AMOUNT_MISMATCH"))
    );
    let (st, _) = app.get(&format!("/api/v1/reservations/{id}")).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_failed_payment_releases_the_seats_and_the_buyer_is_told() {
    let app = spawn_app(&["--payment-delay-ms", "50"]).await;
    let bearer = buyer_token("u1");
    let (token, rt) = app.admitted(EVENT).await;
    let mut ws = app.ws(&token).await;
    let before = vip_remaining(&app).await;
    let (_, r) = reserve(&app, &bearer, &rt, &["VIP-1-1", "VIP-1-2"]).await;
    let id = r["reservation_id"].as_str().unwrap();
    assert_eq!(vip_remaining(&app).await, before - 2);
    app.post_as(
        &bearer,
        "/api/v1/payment/intent",
        &json!({"reservation_id": id, "amount": 300_000, "scenario": "fail"}),
    )
    .await;
    let payment = ws.wait_for("payment", 5 * SECOND).await;
    assert_eq!(payment["status"], "FAILED");
    let pushed = ws.wait_for("reservation", SECOND).await;
    assert_eq!(pushed["status"], "FAILED");
    assert_eq!(vip_remaining(&app).await, before);
    let (_, r) = app
        .get_as(&bearer, &format!("/api/v1/reservations/{id}"))
        .await;
    assert_eq!(r["status"], "FAILED");
}

#[tokio::test]
async fn an_expired_hold_cannot_be_confirmed_and_its_seats_return() {
    let app = spawn_app(&["--hold-secs", "1"]).await;
    let bearer = buyer_token("u1");
    let (token, rt) = app.admitted(EVENT).await;
    let mut ws = app.ws(&token).await;
    let before = vip_remaining(&app).await;
    let (_, r) = reserve(&app, &bearer, &rt, &["VIP-2-2"]).await;
    let id = r["reservation_id"].as_str().unwrap();
    let (_, intent) = app
        .post_as(
            &bearer,
            "/api/v1/payment/intent",
            &json!({"reservation_id": id, "amount": 150_000, "scenario": "timeout"}),
        )
        .await;
    // The buyer is told, without asking.
    let pushed = ws.wait_for("reservation", 3 * SECOND).await;
    assert_eq!(
        (pushed["status"].as_str(), pushed["reservation_id"].as_str()),
        (Some("EXPIRED"), Some(id))
    );
    assert_eq!(vip_remaining(&app).await, before);
    let (st, e) = app
        .post_as(
            &bearer,
            &format!("/api/v1/reservations/{id}/confirm"),
            &json!({"payment_intent_id": intent["payment_intent_id"]}),
        )
        .await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("RESERVATION_EXPIRED")),
        "{e}"
    );
    let (_, r) = app
        .get_as(&bearer, &format!("/api/v1/reservations/{id}"))
        .await;
    assert_eq!(r["status"], "EXPIRED");
}

async fn post_webhook(app: &TestApp, body: &Value, secret: &str) -> (StatusCode, Value) {
    let raw = body.to_string();
    let resp = app
        .http
        .post(app.url("/api/v1/webhooks/payment"))
        .header("content-type", "application/json")
        .header(
            "x-webhook-signature",
            webhook_signature(secret, raw.as_bytes()),
        )
        .body(raw)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn webhooks_with_bad_signatures_stale_timestamps_or_replays_change_nothing() {
    let app = spawn_app(&["--payment-delay-ms", "50"]).await;
    let bearer = buyer_token("u1");
    let (_, rt) = app.admitted(EVENT).await;
    let (_, r) = reserve(&app, &bearer, &rt, &["C-1-1"]).await;
    let id = r["reservation_id"].as_str().unwrap();
    let (_, intent) = app
        .post_as(
            &bearer,
            "/api/v1/payment/intent",
            &json!({"reservation_id": id, "amount": 70_000, "scenario": "timeout"}),
        )
        .await;
    let pid = intent["payment_intent_id"].as_str().unwrap();
    let hook = |ts: u64| {
        json!({"payment_id": pid, "reservation_id": id, "status": "PAYMENT_STATUS_COMPLETED",
        "amount": 70_000, "currency": "KRW", "timestamp": ts, "event_type": "payment.status_updated"})
    };
    let now = now_ms() / 1_000;
    let (st, e) = post_webhook(&app, &hook(now), "not-the-secret").await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("INVALID_SIGNATURE"))
    );
    let (st, e) = post_webhook(&app, &hook(now - 600), DEV_WEBHOOK_SECRET).await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("STALE_WEBHOOK"))
    );
    // A forged "completed" for a payment that is still pending confirms nothing.
    for _ in 0..2 {
        let (st, a) = post_webhook(&app, &hook(now), DEV_WEBHOOK_SECRET).await;
        assert_eq!(
            (st, a["status"].as_str()),
            (StatusCode::OK, Some("not_confirmed")),
            "{a}"
        );
    }
    let (_, r) = app
        .get_as(&bearer, &format!("/api/v1/reservations/{id}"))
        .await;
    assert_eq!(r["status"], "HOLD");
    // The payer settles it; the simulator's own signed webhook confirms the reservation.
    let (st, p) = app
        .post_as(
            &bearer,
            "/api/v1/payment/process",
            &json!({"payment_intent_id": pid, "action": "approve"}),
        )
        .await;
    assert_eq!(
        (st, p["status"].as_str()),
        (StatusCode::OK, Some("COMPLETED")),
        "{p}"
    );
    let mut confirmed = false;
    for _ in 0..100 {
        let (_, r) = app
            .get_as(&bearer, &format!("/api/v1/reservations/{id}"))
            .await;
        if r["status"] == "CONFIRMED" {
            confirmed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        confirmed,
        "the simulator's webhook confirmed the reservation"
    );
    // Once settled, the same delivery again is a no-op.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (st, a) = post_webhook(&app, &hook(now_ms() / 1_000), DEV_WEBHOOK_SECRET).await;
    assert_eq!(
        (st, a["status"].as_str()),
        (StatusCode::OK, Some("duplicate"))
    );
}

/// 2,000 buyers for an event of 50 seats, all through REST: queue, enter, reserve (specific
/// seats or any N), pay with a random scenario, with short holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_buyers_through_rest_never_oversell_fifty_seats() {
    const BUYERS: usize = 2_000;
    const SEATS: usize = 50;
    let dir = std::env::temp_dir().join(format!("usher-oversell-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("venue.json");
    std::fs::write(
        &file,
        json!({"events": [{"event_id": "evt_small", "name": "small", "sections": [
            {"id": "A", "rows": 5, "seats_per_row": 10, "price": {"amount": 1000, "currency": "KRW"}}]}]})
        .to_string(),
    )
    .unwrap();
    let app = Arc::new(
        spawn_app(&[
            "--inventory-file",
            file.to_str().unwrap(),
            "--hold-secs",
            "2",
            "--payment-delay-ms",
            "100",
            "--payment-random-success",
            "0.5",
            "--queue-rate",
            "2000",
            "--queue-burst",
            "2000",
            // This test is about seats, not latency: a busy two-core machine must not turn
            // slow answers into timeouts.
            "--reservation-api-timeout",
            "10s",
            "--payment-api-timeout",
            "10s",
        ])
        .await,
    );
    let counters: Arc<[AtomicUsize; 4]> = Arc::new(Default::default()); // attempts, holds, conflicts, paid
    let buyers = (0..BUYERS).map(|i| {
        let (app, counters) = (app.clone(), counters.clone());
        async move {
            let bearer = buyer_token(&format!("buyer{i}"));
            let token = app.join_token("evt_small").await;
            let rt = loop {
                let (st, b) = app.enter(&token).await;
                if st == StatusCode::OK {
                    break b["reservation_token"].as_str().unwrap().to_owned();
                }
                assert_eq!(st, StatusCode::FORBIDDEN, "{b}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            counters[0].fetch_add(1, Ordering::Relaxed);
            let body = if i % 2 == 0 {
                let seat = format!("A-{}-{}", 1 + i % 5, 1 + (i / 5) % 10);
                json!({"event_id": "evt_small", "seat_ids": [seat], "reservation_token": rt})
            } else {
                json!({"event_id": "evt_small", "quantity": 1 + i % 3, "reservation_token": rt})
            };
            let (st, r) = app.post_as(&bearer, "/api/v1/reservations", &body).await;
            if st == StatusCode::CONFLICT {
                let code = r["error"]["code"].as_str().unwrap_or_default().to_owned();
                assert!(code == "INVENTORY_CONFLICT" || code == "INSUFFICIENT_INVENTORY", "{r}");
                counters[2].fetch_add(1, Ordering::Relaxed);
                return;
            }
            assert_eq!(st, StatusCode::CREATED, "{r}");
            counters[1].fetch_add(1, Ordering::Relaxed);
            let scenario = ["approve", "fail", "random", "timeout"][i % 4];
            let (st, p) = app
                .post_as(&bearer, "/api/v1/payment/intent", &json!({"reservation_id": r["reservation_id"], "amount": r["total_amount"]["amount"], "scenario": scenario}))
                .await;
            assert_eq!(st, StatusCode::OK, "{p}");
            counters[3].fetch_add(1, Ordering::Relaxed);
        }
    });
    // A bounded number of buyers at once, like arrivals over a minute rather than in one instant.
    let mut buyers = buyers.collect::<Vec<_>>().into_iter();
    loop {
        let batch: Vec<_> = buyers.by_ref().take(200).collect();
        if batch.is_empty() {
            break;
        }
        join_all(batch).await;
    }
    // Every hold has ended by now (hold 2 s + a sweep), and payments and webhooks have settled.
    tokio::time::sleep(Duration::from_millis(3_000)).await;

    let backends = app.server.as_ref().unwrap().backends().unwrap().clone();
    backends.inventory.check().unwrap();
    let counts = backends.inventory.counts("evt_small", None).unwrap();
    let sold = backends.inventory.sold_seats("evt_small");
    let all = backends.reservations.all().await;
    let confirmed: Vec<_> = all.iter().filter(|r| r.status == 3).collect();
    let owners: HashMap<&String, &String> = sold.iter().map(|(s, r)| (s, r)).collect();
    assert_eq!(owners.len(), sold.len());
    assert!(sold.len() <= SEATS);
    assert_eq!(
        sold.len(),
        confirmed.iter().map(|r| r.seats.len()).sum::<usize>()
    );
    let mut seen = HashSet::new();
    for r in &confirmed {
        let p = backends.payments.get(&r.payment_intent_id).unwrap();
        assert_eq!(
            (p.status, &p.amount),
            (3, &r.total_amount),
            "confirmed only with a completed payment"
        );
        for s in &r.seats {
            assert!(
                seen.insert(&s.id),
                "seat {} in two confirmed reservations",
                s.id
            );
            assert_eq!(owners.get(&s.id), Some(&&r.reservation_id));
        }
    }
    assert_eq!(counts.held, 0, "no seat is held after the TTL and a sweep");
    let c: Vec<usize> = counters.iter().map(|c| c.load(Ordering::Relaxed)).collect();
    eprintln!(
        "REST oversell test: {} buyers entered, {} holds, {} conflicts, {} payments, {} confirmed reservations, {} of {SEATS} seats sold",
        c[0],
        c[1],
        c[2],
        c[3],
        confirmed.len(),
        sold.len()
    );
    assert_eq!(c[0], BUYERS);
    assert!(!confirmed.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

async fn post_keyed(
    app: &TestApp,
    bearer: &str,
    key: &str,
    path: &str,
    body: &Value,
) -> (StatusCode, bool, Value) {
    let resp = app
        .http
        .post(app.url(path))
        .bearer_auth(bearer)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let cached = resp
        .headers()
        .get("x-idempotency-cached")
        .is_some_and(|v| v == "true");
    (status, cached, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_reservation_request_repeated_with_its_key_executes_once() {
    let app = spawn_app(&[]).await;
    let bearer = buyer_token("u1");
    let (_, rt) = app.admitted(EVENT).await;
    let key = idem_key();
    let body = json!({"event_id": EVENT, "quantity": 2, "reservation_token": rt});
    // 50 concurrent duplicates: one reservation, every answer the same.
    let answers =
        join_all((0..50).map(|_| post_keyed(&app, &bearer, &key, "/api/v1/reservations", &body)))
            .await;
    let ids: HashSet<String> = answers
        .iter()
        .map(|(st, _, b)| {
            assert_eq!(*st, StatusCode::CREATED, "{b}");
            b["reservation_id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1, "one execution");
    assert_eq!(
        answers.iter().filter(|a| !a.1).count(),
        1,
        "one original, the rest replays"
    );
    let (_, av) = app
        .get(&format!("/api/v1/events/{EVENT}/availability"))
        .await;
    assert_eq!(av["held"], 2);
    // The same key with another body conflicts; another user's same key is their own.
    let other = json!({"event_id": EVENT, "quantity": 1, "reservation_token": rt});
    let (st, _, e) = post_keyed(&app, &bearer, &key, "/api/v1/reservations", &other).await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("IDEMPOTENCY_CONFLICT"))
    );
    let (st, cached, e) = post_keyed(
        &app,
        &buyer_token("u2"),
        &key,
        "/api/v1/reservations",
        &body,
    )
    .await;
    assert!(!cached, "keys are scoped per user");
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("RESERVATION_TOKEN_USED"))
    );
}

#[tokio::test]
async fn everyone_still_waiting_is_told_when_the_last_seat_is_sold() {
    let dir = std::env::temp_dir().join(format!("usher-soldout-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("venue.json");
    std::fs::write(
        &file,
        json!({"events": [{"event_id": "evt_one", "name": "one seat", "sections": [
            {"id": "A", "rows": 1, "seats_per_row": 1, "price": {"amount": 500, "currency": "KRW"}}]}]})
        .to_string(),
    )
    .unwrap();
    let app = spawn_app(&[
        "--inventory-file",
        file.to_str().unwrap(),
        "--payment-delay-ms",
        "50",
    ])
    .await;
    let (buyer, rt) = app.admitted("evt_one").await;
    let mut buyer_ws = app.ws(&buyer).await;
    // Someone still waiting, held back by a pause.
    app.configure("evt_one", json!({"paused": true})).await;
    let waiting = app.join_token("evt_one").await;
    let mut waiting_ws = app.ws(&waiting).await;
    waiting_ws.wait_for("snapshot", SECOND).await;
    let bearer = buyer_token("u1");
    let (st, r) = app
        .post_as(
            &bearer,
            "/api/v1/reservations",
            &json!({"event_id": "evt_one", "quantity": 1, "reservation_token": rt}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    app.post_as(
        &bearer,
        "/api/v1/payments/intent",
        &json!({"reservation_id": r["reservation_id"], "amount": 500}),
    )
    .await;
    assert_eq!(
        buyer_ws.wait_for("reservation", 5 * SECOND).await["status"],
        "CONFIRMED"
    );
    let sold_out = waiting_ws.wait_for("sold_out", 5 * SECOND).await;
    assert_eq!(
        (
            sold_out["event_id"].as_str(),
            sold_out["remaining"].as_u64()
        ),
        (Some("evt_one"), Some(0))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_signed_webhook_about_ones_own_payment_never_touches_another_buyers_reservation() {
    let app = spawn_app(&["--payment-delay-ms", "50"]).await;
    let (victim, mallory) = (buyer_token("victim"), buyer_token("mallory"));
    let (_, rt) = app.admitted(EVENT).await;
    let (_, r) = reserve(&app, &victim, &rt, &["D-1-1"]).await;
    let victims = r["reservation_id"].as_str().unwrap().to_owned();
    // Mallory reserves and lets her own payment fail.
    let (_, rt) = app.admitted(EVENT).await;
    let (_, r) = reserve(&app, &mallory, &rt, &["D-1-2"]).await;
    let hers = r["reservation_id"].as_str().unwrap().to_owned();
    let (_, intent) = app
        .post_as(
            &mallory,
            "/api/v1/payment/intent",
            &json!({"reservation_id": hers, "amount": r["total_amount"]["amount"], "scenario": "fail"}),
        )
        .await;
    let pid = intent["payment_intent_id"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // A signed FAILED webhook for her payment, naming the victim's reservation.
    let forged = json!({"payment_id": pid, "reservation_id": victims,
        "status": "PAYMENT_STATUS_FAILED", "timestamp": now_ms() / 1_000});
    let (st, e) = post_webhook(&app, &forged, DEV_WEBHOOK_SECRET).await;
    assert_eq!(
        (st, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("PAYMENT_RESERVATION_MISMATCH")),
        "{e}"
    );
    let (_, r) = app
        .get_as(&victim, &format!("/api/v1/reservations/{victims}"))
        .await;
    assert_eq!(r["status"], "HOLD", "the victim's hold is intact");
    // A token whose subject is empty names nobody: it reads no reservation.
    let exp = now_ms() / 1_000 + 3_600;
    let nobody = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"sub": "", "exp": exp}),
        &jsonwebtoken::EncodingKey::from_secret(DEV_JWT_SECRET.as_bytes()),
    )
    .unwrap();
    let (st, _) = app
        .get_as(&nobody, &format!("/api/v1/reservations/{victims}"))
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_embedded_backends_refuse_calls_from_anyone_but_their_gateway() {
    use usher_proto::reservation::v1 as rsv;
    let app = spawn_app(&[]).await;
    let backends = app.server.as_ref().unwrap().backends().unwrap().clone();
    let (_, rt) = app.admitted(EVENT).await;
    let (_, r) = reserve(&app, &buyer_token("victim"), &rt, &["D-2-1"]).await;
    let id = r["reservation_id"].as_str().unwrap().to_owned();
    // Another local process, even one that marks itself as the payment service, is refused.
    let server = app.server.as_ref().unwrap();
    let addr = server.backends_address().unwrap().to_owned();
    let channel = tonic::transport::Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut req = tonic::Request::new(rsv::CancelReservationRequest {
        reservation_id: id.clone(),
        ..Default::default()
    });
    req.metadata_mut().insert(
        usher::domain::Caller::METADATA,
        usher::domain::Caller::PAYMENT_SERVICE.parse().unwrap(),
    );
    let err = rsv::reservation_service_client::ReservationServiceClient::new(channel)
        .cancel_reservation(req)
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::Unauthenticated);
    let held = backends
        .reservations
        .get(&id, &usher::domain::Caller::Buyer("victim".into()))
        .await
        .unwrap();
    assert_eq!(held.status, rsv::ReservationStatus::Hold as i32);
}
