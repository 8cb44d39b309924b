//! The test harness: a real usher server on 127.0.0.1:0 with fresh state per test, driven by
//! real HTTP (reqwest) and WebSocket (tokio-tungstenite) clients.

use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use reqwest::StatusCode;
use serde_json::{Value, json};
use usher::cli::Cli;
use usher::server::Server;
use usher::store::Store;

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789-abcdefgh";

pub struct TestApp {
    pub server: Option<Server>,
    pub base: String,
    pub ws_base: String,
    pub http: reqwest::Client,
}

/// Starts a server with test defaults plus `args`.
pub async fn spawn_app(args: &[&str]) -> TestApp {
    spawn_app_with(args, None).await
}

/// Like [`spawn_app`], on the given store.
pub async fn spawn_app_with(args: &[&str], store: Option<Arc<dyn Store>>) -> TestApp {
    let mut argv = vec![
        "usher",
        "serve",
        "--bind",
        "127.0.0.1",
        "--port",
        "0",
        "--admin-token",
        ADMIN_TOKEN,
    ];
    // No web client unless a test serves one.
    if !args.contains(&"--web-root") {
        argv.extend(["--web-root", "/nonexistent"]);
    }
    // Every test client comes from 127.0.0.1: the per-address caps are off unless a test
    // sets them.
    for (flag, off) in [
        ("--max-connections-per-ip", "0"),
        ("--connection-rate-per-ip", "0"),
        ("--ws-max-per-ip", "0"),
        ("--ws-upgrade-rate-per-ip", "0"),
    ] {
        if !args.contains(&flag) {
            argv.extend([flag, off]);
        }
    }
    // Most tests join events nobody created (the seed's create-on-first-join); the
    // event-existence tests turn it back off.
    if !args.contains(&"--auto-create-events") {
        argv.extend(["--auto-create-events", "true"]);
    }
    // Most tests fire many requests from one address; the rate-limit tests turn it back on.
    if !args.contains(&"--rate-limit-enabled") {
        argv.extend(["--rate-limit-enabled", "false"]);
    }
    argv.extend_from_slice(args);
    let settings = Cli::try_parse_from(argv)
        .expect("test arguments parse")
        .into_settings()
        .expect("settings");
    let server = match store {
        Some(store) => Server::start_with_store(settings, store).await,
        None => Server::start(settings).await,
    }
    .expect("server starts");
    let addr = server.local_addr();
    TestApp {
        server: Some(server),
        base: format!("http://{addr}"),
        ws_base: format!("ws://{addr}"),
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()
            .unwrap(),
    }
}

pub fn idem_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// POST with JSON and a fresh Idempotency-Key.
    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.post_with_key(path, body, &idem_key()).await
    }

    pub async fn post_with_key(&self, path: &str, body: &Value, key: &str) -> (StatusCode, Value) {
        let resp = self
            .http
            .post(self.url(path))
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let resp = self.http.get(self.url(path)).send().await.unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// A request as the holder of the user token `bearer` (POSTs get a fresh Idempotency-Key).
    pub async fn call_as(
        &self,
        bearer: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method.clone(), self.url(path))
            .bearer_auth(bearer);
        if method == reqwest::Method::POST {
            req = req.header("Idempotency-Key", idem_key());
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn post_as(&self, bearer: &str, path: &str, body: &Value) -> (StatusCode, Value) {
        self.call_as(bearer, reqwest::Method::POST, path, Some(body))
            .await
    }

    pub async fn get_as(&self, bearer: &str, path: &str) -> (StatusCode, Value) {
        self.call_as(bearer, reqwest::Method::GET, path, None).await
    }

    /// Joins and returns the join body.
    pub async fn join(&self, event: &str) -> Value {
        let (status, body) = self
            .post("/api/v1/queue/join", &json!({"event_id": event}))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        body
    }

    pub async fn join_token(&self, event: &str) -> String {
        self.join(event).await["waiting_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn status(&self, token: &str) -> (StatusCode, Value) {
        self.get(&format!("/api/v1/queue/status?token={token}"))
            .await
    }

    pub async fn enter(&self, token: &str) -> (StatusCode, Value) {
        self.post("/api/v1/queue/enter", &json!({"waiting_token": token}))
            .await
    }

    /// Joins `event`, waits to be admitted (polling enter, as a client without a socket would)
    /// and enters; returns the waiting token and the reservation token.
    pub async fn admitted(&self, event: &str) -> (String, String) {
        let token = self.join_token(event).await;
        for _ in 0..200 {
            let (status, body) = self.enter(&token).await;
            match status {
                StatusCode::OK => {
                    let rt = body["reservation_token"].as_str().unwrap().to_owned();
                    return (token, rt);
                }
                StatusCode::FORBIDDEN => tokio::time::sleep(Duration::from_millis(25)).await,
                other => panic!("enter: {other} {body}"),
            }
        }
        panic!("never admitted");
    }

    pub async fn leave(&self, token: &str) -> (StatusCode, Value) {
        let resp = self
            .http
            .delete(self.url(&format!("/api/v1/queue/leave?token={token}")))
            .send()
            .await
            .unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// `PUT /api/v1/admin/events/{event}` with the admin token.
    pub async fn configure(&self, event: &str, body: Value) -> Value {
        let resp = self
            .http
            .put(self.url(&format!("/api/v1/admin/events/{event}")))
            .bearer_auth(ADMIN_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json().await.unwrap()
    }

    pub async fn stats(&self, event: &str) -> Value {
        let resp = self
            .http
            .get(self.url(&format!("/api/v1/admin/events/{event}/stats")))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json().await.unwrap()
    }

    /// Creates a paused event, so that joins wait until the test resumes it.
    pub async fn paused_event(&self, event: &str) {
        self.configure(event, json!({"paused": true})).await;
    }

    pub async fn ws(&self, token: &str) -> WsClient {
        WsClient::connect(&self.ws_base, token).await
    }

    /// The Prometheus exposition.
    pub async fn metrics_text(&self) -> String {
        let resp = self.http.get(self.url("/metrics")).send().await.unwrap();
        resp.text().await.unwrap()
    }

    /// The sum of the samples whose line starts with `line_prefix`.
    pub async fn metric(&self, line_prefix: &str) -> f64 {
        self.metrics_text()
            .await
            .lines()
            .filter(|l| l.starts_with(line_prefix))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            // Stop the node's tasks; the runtime of the test ends with it anyway.
            tokio::spawn(server.shutdown(Duration::ZERO));
        }
    }
}

pub use crate::support::ws::*;
