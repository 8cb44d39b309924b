use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn admin_requires_the_configured_token() {
    let app = spawn_app(&[]).await;
    let url = app.url("/api/v1/admin/events/evt");
    let resp = app.http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "MISSING_AUTHORIZATION");
    let resp = app
        .http
        .get(&url)
        .bearer_auth("wrong-token-0000000000")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = app
        .http
        .get(&url)
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "EVENT_NOT_FOUND");
}

#[tokio::test]
async fn admin_is_disabled_without_a_token() {
    let mut argv = vec!["usher", "serve", "--bind", "127.0.0.1", "--port", "0"];
    argv.extend(["--web-root", "/nonexistent"]);
    let settings = <usher::cli::Cli as clap::Parser>::try_parse_from(argv)
        .unwrap()
        .into_settings()
        .unwrap();
    if !settings.server.admin_tokens.is_empty() {
        // USHER_ADMIN_TOKEN is set in this environment; the case cannot be observed here.
        return;
    }
    let server = usher::server::Server::start(settings).await.unwrap();
    let url = format!("http://{}/api/v1/admin/events/evt", server.local_addr());
    let resp = reqwest::Client::new()
        .get(url)
        .bearer_auth("anything")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "ADMIN_DISABLED");
    server.shutdown(std::time::Duration::ZERO).await;
}

#[tokio::test]
async fn admin_creates_reads_and_updates_event_settings() {
    let app = spawn_app(&[]).await;
    let created = app
        .configure(
            "evt",
            json!({"rate_per_sec": 12.5, "burst": 40, "max_active": 100}),
        )
        .await;
    assert_eq!(created["event_id"], "evt");
    assert_eq!(created["rate_per_sec"], 12.5);
    assert_eq!(created["burst"], 40);
    assert_eq!(created["max_active"], 100);
    assert_eq!(created["entry_window_secs"], 120);
    assert_eq!(created["paused"], false);
    let updated = app
        .configure("evt", json!({"max_active": null, "paused": true}))
        .await;
    assert_eq!(updated["max_active"], Value::Null);
    assert_eq!(updated["rate_per_sec"], 12.5);
    let resp = app
        .http
        .put(app.url("/api/v1/admin/events/evt"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"burst": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let stats = app.stats("evt").await;
    assert_eq!(stats["config"]["burst"], 40);
    assert_eq!(stats["waiting"], 0);
}

#[tokio::test]
async fn operational_routes_answer() {
    let app = spawn_app(&[]).await;
    let (s, health) = app.get("/healthz").await;
    assert_eq!((s, &health["status"]), (StatusCode::OK, &json!("healthy")));
    let (s, ready) = app.get("/readyz").await;
    assert_eq!((s, &ready["status"]), (StatusCode::OK, &json!("ready")));
    let (s, version) = app.get("/version").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(version["version"], env!("CARGO_PKG_VERSION"));
    assert!(version["commit"].as_str().is_some_and(|c| !c.is_empty()));

    app.paused_event("evt").await;
    let token = app.join_token("evt").await;
    let mut ws = app.ws(&token).await;
    ws.wait_for("snapshot", SECOND).await;
    // Queue gauges are set by the ticker's next step.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let text = app.metrics_text().await;
    for name in [
        "http_server_requests_total{method=\"POST\",route=\"/api/v1/queue/join\",status_code=\"202\"}",
        "http_server_requests_duration_seconds_bucket",
        "usher_ws_connections 1",
        "usher_ws_messages_total{type=\"snapshot\"}",
        "usher_queue_joins_total{result=\"joined\"}",
        "usher_queue_waiting{event_id=\"evt\"}",
        "usher_queue_admission_rate{event_id=\"evt\"}",
        "process_resident_memory_bytes",
    ] {
        assert!(text.contains(name), "metrics lack {name}");
    }
    let root = app.http.get(app.url("/")).send().await.unwrap();
    assert_eq!(root.status(), StatusCode::OK);
    assert!(
        root.text()
            .await
            .unwrap()
            .contains("web client is not built")
    );
}

#[tokio::test]
async fn shutdown_tells_sockets_to_reconnect_elsewhere() {
    let mut app = spawn_app(&["--ws-retry-after-ms", "1000"]).await;
    app.paused_event("evt").await;
    let token = app.join_token("evt").await;
    let mut ws = app.ws(&token).await;
    ws.wait_for("snapshot", SECOND).await;
    let server = app.server.take().unwrap();
    let stop = tokio::spawn(server.shutdown(std::time::Duration::from_secs(2)));
    let hint = ws.wait_for("reconnect", SECOND).await;
    assert!(hint["retry_after_ms"].as_u64().unwrap() <= 1000);
    assert_eq!(ws.closed(SECOND).await, Ended::Closed(1012));
    stop.await.unwrap();
}

#[tokio::test]
async fn metrics_path_and_cors_follow_the_configuration() {
    let app = spawn_app(&[
        "--metrics-path",
        "/internal/metrics",
        "--cors-allow-origins",
        "https://tickets.example,https://admin.example",
    ])
    .await;
    let resp = app
        .http
        .get(app.url("/internal/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("usher_build_info"));
    // The old path is no longer the metrics (it falls through to the web client's pages).
    let old = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert!(!old.text().await.unwrap().contains("usher_build_info"));

    let preflight = |origin: &'static str| {
        app.http
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/queue/join"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "idempotency-key,content-type",
            )
            .send()
    };
    let allowed = preflight("https://tickets.example").await.unwrap();
    let h = allowed.headers();
    assert_eq!(h["access-control-allow-origin"], "https://tickets.example");
    assert_eq!(h["access-control-allow-credentials"], "true");
    assert!(
        h["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .contains("idempotency-key")
    );
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(
        !refused
            .headers()
            .contains_key("access-control-allow-origin")
    );
}

#[tokio::test]
async fn invalid_settings_stop_the_start_with_the_variable_named() {
    let parse = |args: &[&str]| {
        let mut argv = vec!["usher", "serve"];
        argv.extend_from_slice(args);
        <usher::cli::Cli as clap::Parser>::try_parse_from(argv).and_then(|c| c.into_settings())
    };
    let err = parse(&["--port", "http"]).unwrap_err().to_string();
    assert!(err.contains("SERVER_PORT"), "{err}");
    let err = parse(&["--queue-rate", "0"]).unwrap_err().to_string();
    assert!(err.contains("USHER_QUEUE_RATE"), "{err}");
    let err = parse(&["--ws-read-buffer-bytes", "1"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("USHER_WS_READ_BUFFER_BYTES"), "{err}");
    let settings = parse(&["--cors-allow-origins", "*,https://a.example"]).unwrap();
    let err = settings.validate().unwrap_err().to_string();
    assert!(err.contains("CORS_ALLOW_ORIGINS"), "{err}");
    let settings = parse(&["--push-interval-ms", "20000", "--push-keepalive-secs", "15"]).unwrap();
    let err = settings.validate().unwrap_err().to_string();
    assert!(err.contains("USHER_PUSH_INTERVAL_MS"), "{err}");
    let err = parse(&["--payment-random-success", "1.5"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("USHER_PAYMENT_RANDOM_SUCCESS"), "{err}");
}

#[tokio::test]
async fn production_refuses_the_development_secrets() {
    let parse = |args: &[&str]| {
        let mut argv = vec!["usher", "serve", "--environment", "production"];
        argv.extend_from_slice(args);
        <usher::cli::Cli as clap::Parser>::try_parse_from(argv)
            .and_then(|c| c.into_settings())
            .unwrap()
    };
    let err = parse(&[]).validate().unwrap_err().to_string();
    assert!(err.contains("JWT_SECRET"), "{err}");
    let jwt = "a-real-secret-of-our-own-32-bytes-or-more";
    let err = parse(&["--jwt-secret", jwt])
        .validate()
        .unwrap_err()
        .to_string();
    assert!(err.contains("USHER_WEBHOOK_SECRET"), "{err}");
    let secrets = [
        "--jwt-secret",
        jwt,
        "--webhook-secret",
        "another-real-secret-at-least-32-bytes",
    ];
    let err = parse(&secrets).validate().unwrap_err().to_string();
    assert!(err.contains("payment simulator"), "{err}");
    let mut ok = secrets.to_vec();
    ok.extend(["--allow-payment-simulator", "true"]);
    parse(&ok).validate().unwrap();
}

/// `/openapi.json` is the document the code builds, and `/docs` is served whole by usher: every
/// asset its page loads comes from usher itself, none from the internet.
#[tokio::test]
async fn the_api_document_and_its_docs_page_are_served_offline() {
    let app = spawn_app(&[]).await;
    let (status, doc) = app.get("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["paths"], usher::http::schema::openapi()["paths"]);
    for path in [
        "/api/v1/queue/join",
        "/api/v1/reservations",
        "/api/v1/webhooks/payment",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }

    let page = app.http.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    let initializer = app
        .http
        .get(app.url("/docs/swagger-initializer.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(initializer.contains("\"/openapi.json\""), "{initializer}");
    for text in [&page, &initializer] {
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{text}"
        );
    }
    let assets: Vec<&str> = page
        .split(['"', '\''])
        .filter(|s| s.ends_with(".js") || s.ends_with(".css") || s.ends_with(".png"))
        .collect();
    assert!(assets.len() >= 4, "{assets:?}");
    for asset in assets {
        let url = app.url(&format!("/docs/{}", asset.trim_start_matches("./")));
        let resp = app.http.get(&url).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{url}");
    }
}

/// A rotation of the admin token: every token of the list is accepted, others are not, and a
/// token of the list shorter than the minimum stops the start.
#[tokio::test]
async fn any_admin_token_of_the_list_is_accepted() {
    let next = "the-next-admin-token-0123456789";
    let app = spawn_app(&["--admin-token", next]).await;
    for (token, expected) in [
        (ADMIN_TOKEN, StatusCode::OK),
        (next, StatusCode::OK),
        ("not-an-admin-token-0123456789", StatusCode::UNAUTHORIZED),
    ] {
        let resp = app
            .http
            .put(app.url("/api/v1/admin/events/evt_rot"))
            .bearer_auth(token)
            .json(&json!({"paused": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), expected, "{token}");
    }
    let argv = [
        "usher",
        "serve",
        "--admin-token",
        "long-enough-admin-token,short",
    ];
    let settings = <usher::cli::Cli as clap::Parser>::try_parse_from(argv)
        .and_then(|c| c.into_settings())
        .unwrap();
    let err = settings.validate().unwrap_err().to_string();
    assert!(err.contains("USHER_ADMIN_TOKEN"), "{err}");
}

/// A node at its WebSocket cap is not ready, so that new sockets go to nodes with room; its
/// open sockets are not affected, and it is ready again once one closes.
#[tokio::test]
async fn a_node_at_its_websocket_cap_is_not_ready() {
    let app = spawn_app(&["--ws-max-connections", "1"]).await;
    let (status, _) = app.get("/readyz").await;
    assert_eq!(status, StatusCode::OK);
    let token = app.join_token("evt").await;
    let mut ws = app.ws(&token).await;
    ws.wait_for("snapshot", 5 * SECOND).await;
    let (status, body) = app.get("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        body["reason"].as_str().unwrap().contains("WebSocket cap"),
        "{body}"
    );
    // The metrics say it too: the cap, and the node not ready while its store is up.
    assert_eq!(app.metric("usher_ws_connections_max ").await, 1.0);
    assert_eq!(app.metric("usher_ready ").await, 0.0);
    assert_eq!(app.metric("usher_store_up ").await, 1.0);
    // The socket the node holds is still served while it is not ready.
    ws.send_text(r#"{"type":"ping"}"#).await;
    ws.wait_for("pong", 5 * SECOND).await;
    let (status, body) = app.status(&token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    drop(ws);
    let deadline = std::time::Instant::now() + 5 * SECOND;
    while app.get("/readyz").await.0 != StatusCode::OK {
        assert!(std::time::Instant::now() < deadline, "still not ready");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(app.metric("usher_ready ").await, 1.0);
}

/// `usher_queue_paused` says whether an operator paused an event, on the nodes that hold its
/// sockets, so that alerts can tell a pause from a stall.
#[tokio::test]
async fn the_paused_gauge_follows_the_operators_pause() {
    let app = spawn_app(&["--push-interval-ms", "50"]).await;
    app.paused_event("evt_gauge").await;
    let token = app.join_token("evt_gauge").await;
    let mut ws = app.ws(&token).await;
    ws.wait_for("snapshot", 5 * SECOND).await;
    let series = "usher_queue_paused{event_id=\"evt_gauge\"} ";
    let deadline = std::time::Instant::now() + 5 * SECOND;
    while app.metric(series).await != 1.0 {
        assert!(
            std::time::Instant::now() < deadline,
            "never reported paused"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    app.configure("evt_gauge", json!({"paused": false})).await;
    while app.metric(series).await != 0.0 {
        assert!(
            std::time::Instant::now() < deadline,
            "never reported resumed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
