use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;
use usher::config::DEV_JWT_SECRET;

use crate::helpers::*;

#[tokio::test]
async fn join_returns_the_real_position_and_a_socket_url() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt").await;
    for expected in 1..=3u64 {
        let body = app.join("evt").await;
        assert_eq!(body["status"], "waiting");
        assert_eq!(body["position_hint"], expected);
        assert_eq!(body["position"], expected);
        let token = body["waiting_token"].as_str().unwrap();
        assert_eq!(body["ws_url"], format!("/api/v1/queue/ws?token={token}"));
    }
}

#[tokio::test]
async fn status_has_the_seed_fields_and_the_extensions() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt").await;
    app.join("evt").await;
    let token = app.join_token("evt").await;
    let (status, body) = app.status(&token).await;
    assert_eq!(status, StatusCode::OK);
    for field in [
        "status",
        "position",
        "eta_sec",
        "waiting_time",
        "ready_for_entry",
        "eta_range",
        "confidence",
        "admission_rate",
        "total_waiting",
        "poll_after_ms",
    ] {
        assert!(body.get(field).is_some(), "missing {field}: {body}");
    }
    assert_eq!(body["status"], "waiting");
    assert_eq!(body["position"], 2);
    assert_eq!(body["ready_for_entry"], false);
    assert_eq!(body["total_waiting"], 2);
    // Paused: no range and no confidence for a queue that is not moving; eta_sec is the wait
    // once admission resumes at the configured rate.
    assert_eq!(body["paused"], true);
    assert!(body["eta_range"].is_null(), "{body}");
    assert_eq!(body["confidence"], 0.0);
    assert!(body["eta_sec"].as_u64().is_some_and(|s| s >= 1), "{body}");
    let joined = app.join("evt").await;
    assert!(joined["eta_range"].is_null(), "{joined}");
    app.configure("evt", json!({"paused": false})).await;
    let (_, body) = app.status(&token).await;
    assert!(body["eta_range"].is_array(), "{body}");
    assert!(body["confidence"].as_f64().unwrap() > 0.0, "{body}");
}

#[tokio::test]
async fn join_replay_with_the_same_key_returns_the_same_token_and_a_different_body_conflicts() {
    let app = spawn_app(&[]).await;
    let key = idem_key();
    let body = json!({"event_id": "evt", "user_id": "u1"});
    let (s1, first) = app.post_with_key("/api/v1/queue/join", &body, &key).await;
    app.join_token("evt").await;
    let resp = app
        .http
        .post(app.url("/api/v1/queue/join"))
        .header("Idempotency-Key", &key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(s1, StatusCode::ACCEPTED);
    assert_eq!(resp.status(), StatusCode::ACCEPTED);
    assert_eq!(resp.headers()["x-idempotency-cached"], "true");
    let second: serde_json::Value = resp.json().await.unwrap();
    // The same answer, whole: the same token, position and ETA, though the queue moved on.
    assert_eq!(first, second);

    let other = json!({"event_id": "evt", "user_id": "u2"});
    let (s3, conflict) = app.post_with_key("/api/v1/queue/join", &other, &key).await;
    assert_eq!(s3, StatusCode::CONFLICT);
    assert_eq!(conflict["error"]["code"], "IDEMPOTENCY_CONFLICT");
    assert_eq!(app.stats("evt").await["joined_total"], 2);
}

#[tokio::test]
async fn concurrent_duplicates_of_one_key_execute_once() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt").await;
    let key = idem_key();
    let body = json!({"event_id": "evt"});
    let replies =
        join_all((0..20).map(|_| app.post_with_key("/api/v1/queue/join", &body, &key))).await;
    let tokens: std::collections::HashSet<_> = replies
        .iter()
        .map(|(s, b)| {
            assert_eq!(*s, StatusCode::ACCEPTED, "{b}");
            b["waiting_token"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(tokens.len(), 1);
    assert_eq!(app.stats("evt").await["joined_total"], 1);
}

#[tokio::test]
async fn a_signed_in_user_holds_one_place_per_event_and_a_claimed_user_id_blocks_nobody() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt").await;
    let exp = now_ms() / 1_000 + 3_600;
    let alice = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"sub": "alice", "exp": exp}),
        &jsonwebtoken::EncodingKey::from_secret(DEV_JWT_SECRET.as_bytes()),
    )
    .unwrap();
    // Someone else names alice in the body first, five times: that binds nothing.
    for _ in 0..5 {
        let body = json!({"event_id": "evt", "user_id": "alice"});
        assert_eq!(
            app.post("/api/v1/queue/join", &body).await.0,
            StatusCode::ACCEPTED
        );
    }
    let body = json!({"event_id": "evt"});
    let (s1, _) = app.post_as(&alice, "/api/v1/queue/join", &body).await;
    let (s2, dup) = app.post_as(&alice, "/api/v1/queue/join", &body).await;
    assert_eq!(s1, StatusCode::ACCEPTED);
    assert_eq!(s2, StatusCode::CONFLICT);
    assert_eq!(dup["error"]["code"], "DUPLICATE_REQUEST");
    // A token that does not verify is refused, not treated as anonymous.
    let (s3, bad) = app.post_as("not-a-jwt", "/api/v1/queue/join", &body).await;
    assert_eq!(s3, StatusCode::UNAUTHORIZED, "{bad}");
}

#[tokio::test]
async fn concurrent_enters_for_one_admitted_token_grant_exactly_once() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt").await;
    let token = app.join_token("evt").await;
    let (status, body) = app.enter(&token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "NOT_READY");

    app.configure("evt", json!({"paused": false})).await;
    let mut ws = app.ws(&token).await;
    let ready = ws.wait_for("ready", 5 * SECOND).await;
    // The seed's client enters on `ready_for_entry && status === 'waiting'`: its predicate
    // holds in the push, in REST status and in a new socket's snapshot until `enter`.
    let seed_predicate =
        |s: &serde_json::Value| s["ready_for_entry"] == true && s["status"] == "waiting";
    assert!(seed_predicate(&ready), "{ready}");
    assert_eq!(ready["phase"], "admitted");
    let (_, before) = app.status(&token).await;
    assert!(seed_predicate(&before), "{before}");
    let snapshot = app.ws(&token).await.wait_for("snapshot", SECOND).await;
    assert!(seed_predicate(&snapshot), "{snapshot}");

    let replies = join_all((0..20).map(|_| app.enter(&token))).await;
    // One grant: every answer, however many times it is asked for (a lost answer must not
    // cost the turn), carries the same grant id.
    let grant_of = |body: &serde_json::Value| {
        use base64::Engine;
        let token = body["reservation_token"].as_str().unwrap();
        let payload = token.split('.').nth(1).unwrap();
        let claims: serde_json::Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .unwrap(),
        )
        .unwrap();
        claims["jti"].as_str().unwrap().to_owned()
    };
    let grants: std::collections::HashSet<String> = replies
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, StatusCode::OK, "{body}");
            assert_eq!(body["admission"], "granted");
            assert_eq!(body["ttl_sec"], 30);
            grant_of(body)
        })
        .collect();
    assert_eq!(grants.len(), 1, "{replies:?}");
    assert_eq!(app.stats("evt").await["entered_total"], 1);
    // Entered: the seed's `ready`, and usher's phase.
    let (_, after) = app.status(&token).await;
    assert_eq!(
        (&after["status"], &after["phase"]),
        (&json!("ready"), &json!("entered"))
    );
    assert_eq!(after["ready_for_entry"], false);
}

#[tokio::test]
async fn leave_moves_everyone_behind_up_and_is_idempotent() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt").await;
    let first = app.join_token("evt").await;
    let second = app.join_token("evt").await;
    assert_eq!(app.status(&second).await.1["position"], 2);
    let (status, body) = app.leave(&first).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "left"})));
    assert_eq!(app.status(&second).await.1["position"], 1);
    assert_eq!(app.leave(&first).await.0, StatusCode::OK);
    let (status, body) = app.status(&first).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "TOKEN_NOT_FOUND");
}

#[tokio::test]
async fn abandoned_waiters_are_reaped_by_the_server_and_report_expired() {
    let app = spawn_app(&["--heartbeat-secs", "1", "--reap-interval-ms", "50"]).await;
    app.paused_event("evt").await;
    let ghost = app.join_token("evt").await;
    let live = app.join_token("evt").await;
    let mut ws = app.ws(&live).await;
    assert_eq!(ws.wait_for("snapshot", SECOND).await["position"], 2);
    let moved = ws.wait_for("position", 5 * SECOND).await;
    assert_eq!(moved["position"], 1);
    let (status, body) = app.status(&ghost).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "TOKEN_EXPIRED");
    assert_eq!(app.stats("evt").await["expired_total"], 1);
}

#[tokio::test]
async fn admitted_waiters_who_never_enter_free_their_slot() {
    let app = spawn_app(&["--reap-interval-ms", "50", "--tick-ms", "20"]).await;
    app.configure(
        "evt",
        json!({"paused": true, "max_active": 1, "entry_window_secs": 1}),
    )
    .await;
    let first = app.join_token("evt").await;
    let second = app.join_token("evt").await;
    let mut ws1 = app.ws(&first).await;
    let mut ws2 = app.ws(&second).await;
    app.configure("evt", json!({"paused": false})).await;
    ws1.wait_for("ready", 2 * SECOND).await;
    // The slot is held for the entry window, then freed for the next waiter.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.stats("evt").await["admitted_total"], 1);
    let expired = ws1.wait_for("expired", 3 * SECOND).await;
    assert_eq!(expired["reason"], "entry_window_ended");
    ws2.wait_for("ready", 3 * SECOND).await;
    let (status, body) = app.enter(&first).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "TOKEN_EXPIRED");
    assert_eq!(app.enter(&second).await.0, StatusCode::OK);
}
