use futures::SinkExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;

async fn raw_post(app: &TestApp, path: &str, body: &str, key: Option<&str>) -> (StatusCode, Value) {
    let mut req = app
        .http
        .post(app.url(path))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(key) = key {
        req = req.header("Idempotency-Key", key);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<none>")
}

#[tokio::test]
async fn bad_requests_get_the_seed_codes_and_change_nothing() {
    let app = spawn_app(&["--max-body-bytes", "1024"]).await;
    app.paused_event("evt").await;
    let token = app.join_token("evt").await;
    let before = app.stats("evt").await;
    let key = idem_key();
    let join = "/api/v1/queue/join";

    let cases: Vec<(StatusCode, Value, StatusCode, &str)> = vec![
        {
            let (s, b) = raw_post(&app, join, "{not json", Some(&key)).await;
            (s, b, StatusCode::BAD_REQUEST, "INVALID_REQUEST")
        },
        {
            let (s, b) = raw_post(&app, join, "{}", Some(&idem_key())).await;
            (s, b, StatusCode::BAD_REQUEST, "MISSING_EVENT_ID")
        },
        {
            let (s, b) = raw_post(&app, join, r#"{"event_id":""}"#, Some(&idem_key())).await;
            (s, b, StatusCode::BAD_REQUEST, "MISSING_EVENT_ID")
        },
        {
            let (s, b) = raw_post(&app, join, r#"{"event_id":42}"#, Some(&idem_key())).await;
            (s, b, StatusCode::BAD_REQUEST, "INVALID_REQUEST")
        },
        {
            let (s, b) = raw_post(&app, join, r#"{"event_id":"a b/c"}"#, Some(&idem_key())).await;
            (s, b, StatusCode::BAD_REQUEST, "INVALID_REQUEST")
        },
        {
            let big = format!(r#"{{"event_id":"evt","user_id":"{}"}}"#, "x".repeat(2_000));
            let (s, b) = raw_post(&app, join, &big, Some(&idem_key())).await;
            (s, b, StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE")
        },
        {
            let (s, b) = raw_post(&app, join, r#"{"event_id":"evt"}"#, None).await;
            (s, b, StatusCode::BAD_REQUEST, "IDEMPOTENCY_REQUIRED")
        },
        {
            let (s, b) = raw_post(&app, join, r#"{"event_id":"evt"}"#, Some("nope")).await;
            (s, b, StatusCode::BAD_REQUEST, "INVALID_IDEMPOTENCY_KEY")
        },
        {
            let (s, b) = raw_post(&app, "/api/v1/queue/enter", "{}", Some(&idem_key())).await;
            (s, b, StatusCode::BAD_REQUEST, "MISSING_TOKEN")
        },
        {
            let body = json!({"waiting_token": uuid::Uuid::new_v4()}).to_string();
            let (s, b) = raw_post(&app, "/api/v1/queue/enter", &body, Some(&idem_key())).await;
            (s, b, StatusCode::NOT_FOUND, "TOKEN_NOT_FOUND")
        },
        {
            let (s, b) = app.get("/api/v1/queue/status").await;
            (s, b, StatusCode::BAD_REQUEST, "MISSING_TOKEN")
        },
        {
            let (s, b) = app.status(&uuid::Uuid::new_v4().to_string()).await;
            (s, b, StatusCode::NOT_FOUND, "TOKEN_NOT_FOUND")
        },
        {
            let (s, b) = app.status("garbage").await;
            (s, b, StatusCode::NOT_FOUND, "TOKEN_NOT_FOUND")
        },
        {
            let (s, b) = app.get("/api/v1/nothing-here").await;
            (s, b, StatusCode::NOT_FOUND, "NOT_FOUND")
        },
    ];
    for (status, body, want_status, want_code) in &cases {
        assert_eq!((status, code(body)), (want_status, *want_code), "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        assert!(
            body["error"]["trace_id"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
    }

    // A failed request does not burn its Idempotency-Key: the corrected retry runs.
    let (status, _) = raw_post(&app, join, r#"{"event_id":"evt"}"#, Some(&key)).await;
    assert_eq!(status, StatusCode::ACCEPTED);

    let after = app.stats("evt").await;
    assert_eq!(
        after["joined_total"].as_u64(),
        Some(before["joined_total"].as_u64().unwrap() + 1)
    );
    assert_eq!(app.status(&token).await.1["position"], 1);
    assert_eq!(app.get("/healthz").await.0, StatusCode::OK);
}

#[tokio::test]
async fn the_trace_id_in_errors_is_the_requests_trace_id() {
    let app = spawn_app(&[]).await;
    let resp = app
        .http
        .get(app.url("/api/v1/queue/status?token=x"))
        .header(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body["error"]["trace_id"],
        "4bf92f3577b34da6a3ce929d0e0e4736"
    );
    let resp = app
        .http
        .get(app.url("/api/v1/queue/status?token=x"))
        .header("x-request-id", "req-42")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-request-id"], "req-42");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["trace_id"], "req-42");
}

#[tokio::test]
async fn garbage_and_oversized_websocket_frames_are_refused_without_harm() {
    let app = spawn_app(&["--ws-max-message-bytes", "256"]).await;
    app.paused_event("evt").await;
    let token = app.join_token("evt").await;
    let mut ws = app.ws(&token).await;
    ws.wait_for("snapshot", SECOND).await;

    ws.send_text("this is not json").await;
    assert_eq!(
        ws.wait_for("error", SECOND).await["code"],
        "INVALID_REQUEST"
    );
    ws.send_text(r#"{"type":"dance"}"#).await;
    assert_eq!(
        ws.wait_for("error", SECOND).await["code"],
        "INVALID_REQUEST"
    );
    ws.stream
        .send(Message::Binary(vec![0u8, 1, 2].into()))
        .await
        .unwrap();
    assert_eq!(
        ws.wait_for("error", SECOND).await["code"],
        "INVALID_REQUEST"
    );
    ws.send_text(r#"{"type":"ping"}"#).await;
    ws.wait_for("pong", SECOND).await;

    ws.send_text(&"x".repeat(10_000)).await;
    assert_eq!(ws.closed(SECOND).await, Ended::Closed(1009));

    // The place is kept (a bad frame is not a leave) and the server is healthy.
    let (status, body) = app.status(&token).await;
    assert_eq!(
        (status, body["position"].as_u64()),
        (StatusCode::OK, Some(1))
    );
    let mut again = app.ws(&token).await;
    assert_eq!(again.wait_for("snapshot", SECOND).await["position"], 1);
}

#[tokio::test]
async fn a_flood_of_invalid_messages_is_closed_as_a_policy_violation() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt").await;
    let token = app.join_token("evt").await;
    let mut ws = app.ws(&token).await;
    ws.wait_for("snapshot", SECOND).await;
    for _ in 0..11 {
        ws.send_text("nope").await;
    }
    assert_eq!(ws.closed(2 * SECOND).await, Ended::Closed(1008));
}

#[tokio::test]
async fn a_full_queue_refuses_joins_with_retry_after() {
    let app = spawn_app(&["--max-queue-len", "2"]).await;
    app.paused_event("evt").await;
    app.join("evt").await;
    app.join("evt").await;
    let resp = app
        .http
        .post(app.url("/api/v1/queue/join"))
        .header("Idempotency-Key", idem_key())
        .json(&json!({"event_id": "evt"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(resp.headers().contains_key("retry-after"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(code(&body), "QUEUE_FULL");
    assert_eq!(app.stats("evt").await["waiting"], 2);
}

/// A method a route does not have is 405 with `Allow`, also on routes whose handlers sit behind
/// idempotency or authentication (those layers once answered such requests first: 400
/// `IDEMPOTENCY_REQUIRED` or 401).
#[tokio::test]
async fn a_method_a_route_lacks_is_405_whatever_guards_its_handlers() {
    let app = spawn_app(&[]).await;
    let buyer = crate::support::buyer_token("method-prober");
    for (method, path) in [
        (reqwest::Method::POST, "/api/v1/queue/status"),
        (reqwest::Method::PATCH, "/api/v1/queue/enter"),
        (reqwest::Method::GET, "/api/v1/auth/login"),
        (reqwest::Method::POST, "/api/v1/reservations/rsv_1"),
        (reqwest::Method::PATCH, "/api/v1/reservations/rsv_1/cancel"),
        (reqwest::Method::POST, "/api/v1/payments/pay_1/status"),
    ] {
        let resp = app
            .http
            .request(method.clone(), app.url(path))
            .bearer_auth(&buyer)
            .send()
            .await
            .unwrap();
        assert_eq!(
            resp.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert!(resp.headers().contains_key("allow"), "{method} {path}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(code(&body), "METHOD_NOT_ALLOWED", "{method} {path}");
    }
}

/// Integers may be written `4.0` (JSON Schema's integers, as /openapi.json declares them);
/// fractions and values out of range are still refused, and change nothing.
#[tokio::test]
async fn integers_written_with_a_zero_fraction_are_integers() {
    let app = spawn_app(&[]).await;
    let put = |body: Value| {
        app.http
            .put(app.url("/api/v1/admin/events/evt_int"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&body)
            .send()
    };
    let resp = put(json!({"burst": 4.0, "max_active": 10.0, "entry_window_secs": 60.0}))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let settings: Value = resp.json().await.unwrap();
    assert_eq!(
        (settings["burst"].as_u64(), settings["max_active"].as_u64()),
        (Some(4), Some(10))
    );
    for bad in [
        json!({"burst": 4.5}),
        json!({"burst": 5e9}),
        json!({"max_active": -1}),
    ] {
        let resp = put(bad.clone()).await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(app.stats("evt_int").await["config"]["burst"], 4);
}
