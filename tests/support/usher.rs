//! Real usher processes (the built binary) on free loopback ports, for multi-replica tests.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::ws::WsClient;

pub const ADMIN_TOKEN: &str = "replica-test-admin-token";

/// A loopback port nothing listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct UsherProcess {
    pub port: u16,
    child: Option<Child>,
    http: reqwest::Client,
}

impl UsherProcess {
    /// Starts `usher serve` on a free port with `env` (plus test defaults) and waits for it.
    pub async fn start(env: &[(&str, &str)]) -> Self {
        Self::start_with_files(env, None).await
    }

    /// Like [`Self::start`], with the process's open-file limit (soft and hard) set to `nofile`.
    pub async fn start_with_files(env: &[(&str, &str)], nofile: Option<u64>) -> Self {
        let port = free_port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_usher"));
        cmd.arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("SERVER_PORT", port.to_string())
            .env("USHER_BIND", "127.0.0.1")
            .env("USHER_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("USHER_WEB_ROOT", "/nonexistent")
            .env("LOG_FORMAT", "text")
            .env("LOG_LEVEL", "warn")
            // The tests fire many requests from one address.
            .env("RATE_LIMIT_ENABLED", "false")
            // They join events nobody created (the seed's create-on-first-join).
            .env("USHER_AUTO_CREATE_EVENTS", "true")
            // Every client is 127.0.0.1: no per-address caps unless a test sets them.
            .env("USHER_MAX_CONNECTIONS_PER_IP", "0")
            .env("USHER_CONNECTION_RATE_PER_IP", "0")
            .env("USHER_WS_MAX_PER_IP", "0")
            .env("USHER_WS_UPGRADE_RATE_PER_IP", "0")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Some(n) = nofile {
            use std::os::unix::process::CommandExt;
            // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
            unsafe {
                cmd.pre_exec(move || rlimit::setrlimit(rlimit::Resource::NOFILE, n, n));
            }
        }
        let child = cmd.spawn().expect("usher binary runs");
        let me = Self {
            port,
            child: Some(child),
            http: reqwest::Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while me.get("/healthz").await.is_none() {
            assert!(Instant::now() < deadline, "usher on {port} did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        me
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn ws_base(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    pub async fn get(&self, path: &str) -> Option<(u16, Value)> {
        let resp = self
            .http
            .get(format!("{}{path}", self.base()))
            .send()
            .await
            .ok()?;
        let status = resp.status().as_u16();
        Some((status, resp.json().await.unwrap_or(Value::Null)))
    }

    /// Joins and returns the whole response (status, body).
    pub async fn try_join(&self, event: &str) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}/api/v1/queue/join", self.base()))
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&json!({"event_id": event}))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// POSTs JSON with a fresh Idempotency-Key; returns (status, body).
    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}{path}", self.base()))
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(body)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// Joins; returns (token, position at join).
    pub async fn join(&self, event: &str) -> (String, u64) {
        let (status, body) = self.try_join(event).await;
        assert_eq!(status, 202, "{body}");
        (
            body["waiting_token"].as_str().unwrap().to_owned(),
            body["position_hint"].as_u64().unwrap(),
        )
    }

    pub async fn status(&self, token: &str) -> (u16, Value) {
        self.get(&format!("/api/v1/queue/status?token={token}"))
            .await
            .expect("usher answers")
    }

    pub async fn configure(&self, event: &str, body: Value) {
        let resp = self
            .http
            .put(format!("{}/api/v1/admin/events/{event}", self.base()))
            .bearer_auth(ADMIN_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
    }

    pub async fn stats(&self, event: &str) -> Value {
        self.admin_get(&format!("/api/v1/admin/events/{event}/stats"))
            .await
    }

    /// A request to the admin API's `path` with the admin token: the status and the body.
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base()))
            .bearer_auth(ADMIN_TOKEN);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// The body of a GET of the admin API's `path`, with the admin token.
    pub async fn admin_get(&self, path: &str) -> Value {
        self.http
            .get(format!("{}{path}", self.base()))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn readyz(&self) -> u16 {
        self.get("/readyz").await.map_or(0, |(s, _)| s)
    }

    pub async fn ws(&self, token: &str) -> WsClient {
        WsClient::connect(&self.ws_base(), token).await
    }

    /// Stops the process as an orchestrator would (SIGTERM); true if it exited within
    /// `within` (it is killed otherwise).
    pub async fn terminate(&mut self, within: Duration) -> bool {
        let Some(child) = self.child.as_mut() else {
            return true;
        };
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        let deadline = Instant::now() + within;
        while sent && Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                self.child = None;
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.kill();
        false
    }

    /// Kills the process at once, as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for UsherProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The key the test gateways and their shared backends agree on.
pub const BACKENDS_KEY: &str = "replica-test-backends-key";

/// One `usher backends` process on a free loopback port: the reference backends that every
/// replica of a test calls, as replicas on Redis must.
pub struct BackendsProcess {
    pub port: u16,
    child: Child,
    env: Vec<(String, String)>,
}

impl BackendsProcess {
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Like [`Self::start`], with `env` (plus test defaults): a data directory, a venue file,
    /// timings.
    pub async fn start_with(env: &[(&str, &str)]) -> Self {
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self::spawn(free_port(), env).await
    }

    /// Kills the process (SIGKILL) and starts it again on the same port with the same settings.
    pub async fn restart(&mut self) {
        self.kill();
        let env = std::mem::take(&mut self.env);
        *self = Self::spawn(self.port, env).await;
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    async fn spawn(port: u16, env: Vec<(String, String)>) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_usher"))
            .arg("backends")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("USHER_BACKENDS_LISTEN", format!("127.0.0.1:{port}"))
            .env("USHER_BACKENDS_KEY", BACKENDS_KEY)
            .env("LOG_FORMAT", "text")
            .env("LOG_LEVEL", "warn")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("usher binary runs");
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                Instant::now() < deadline,
                "usher backends on {port} did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { port, child, env }
    }

    /// What a gateway needs to call these backends.
    pub fn env(&self) -> Vec<(String, String)> {
        let address = format!("127.0.0.1:{}", self.port);
        vec![
            (
                "BACKEND_RESERVATION_API_GRPC_ADDRESS".into(),
                address.clone(),
            ),
            ("BACKEND_PAYMENT_API_GRPC_ADDRESS".into(), address),
            ("USHER_BACKENDS_KEY".into(), BACKENDS_KEY.into()),
        ]
    }
}

impl Drop for BackendsProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
