//! Hostile traffic against a real usher process (the built binary, with a lowered open-file
//! limit and small caps where it matters): each test attacks one way, from loopback source
//! addresses 127.0.0.2 and up, while a legitimate client on 127.0.0.1 is still served, and
//! asserts the bound as a count and the answers' status and envelope. Memory budgets are
//! measured by `usher-load attack`, not asserted here.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures::future::join_all;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use support::usher::UsherProcess;
use support::ws::SECOND;

/// The embedded inventory's example event: it exists without anyone creating it.
const KNOWN_EVENT: &str = "evt_2025_1001";

/// A TCP connection to `port` from loopback source address 127.0.0.`n`.
async fn tcp_from(n: u8, port: u16) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from(([127, 0, 0, n], 0))).unwrap();
    socket
        .connect(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .unwrap()
}

/// Whether the server closes `stream` (end of stream or reset) within `within`; whatever it
/// sends first is read and dropped.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

/// Sends `request` as raw bytes from 127.0.0.`from` and reads the answer until the server
/// closes the connection (requests say `Connection: close`) or 5 s pass.
async fn raw(port: u16, from: u8, request: &[u8]) -> String {
    let mut stream = tcp_from(from, port).await;
    let _ = stream.write_all(request).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(5 * SECOND, stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

fn status_of(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn header_of<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let head = answer.split("\r\n\r\n").next()?;
    head.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The error code of an answer in the seed's envelope.
fn code_of(answer: &str) -> String {
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    v["error"]["code"].as_str().unwrap_or("").to_owned()
}

async fn metrics_text(usher: &UsherProcess) -> String {
    reqwest::get(format!("{}/metrics", usher.base()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The value of one metric line, e.g. `usher_queue_joins_total{result="joined"}`.
fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

async fn healthy(usher: &UsherProcess) -> bool {
    matches!(usher.get("/healthz").await, Some((200, _)))
}

#[tokio::test]
async fn joins_of_unknown_events_create_nothing_while_a_known_event_is_joined() {
    let usher = UsherProcess::start(&[("USHER_AUTO_CREATE_EVENTS", "false")]).await;
    let ids: Vec<String> = (0..200).map(|i| format!("evt_fake_{i}")).collect();
    let attempts = join_all(ids.iter().map(|id| usher.try_join(id)));
    for (status, body) in attempts.await {
        assert_eq!(status, 404, "{body}");
        assert_eq!(body["error"]["code"], "EVENT_NOT_FOUND", "{body}");
    }
    // Nothing exists for them: the admin API does not know them and no metric names them.
    assert_eq!(
        usher.stats("evt_fake_7").await["error"]["code"],
        "EVENT_NOT_FOUND"
    );
    let text = metrics_text(&usher).await;
    assert!(!text.contains("evt_fake_"), "a series for an unknown event");
    assert_eq!(
        metric(
            &text,
            r#"usher_queue_joins_total{result="event_not_found"}"#
        ),
        200.0
    );
    // The inventory's event and an event an operator created are joined.
    let (_, position) = usher.join(KNOWN_EVENT).await;
    assert_eq!(position, 1);
    usher
        .configure("evt_created", json!({"paused": true}))
        .await;
    usher.join("evt_created").await;
}

#[tokio::test]
async fn create_on_first_join_is_an_opt_in_bounded_by_a_number_of_events_and_idle_expiry() {
    let usher = UsherProcess::start(&[
        ("USHER_AUTO_CREATE_EVENTS", "true"),
        ("USHER_AUTO_CREATE_MAX_EVENTS", "5"),
        ("USHER_AUTO_CREATE_IDLE_SECS", "1"),
    ])
    .await;
    let mut tokens = Vec::new();
    for i in 0..20 {
        let (status, body) = usher.try_join(&format!("evt_auto_{i}")).await;
        match status {
            202 => tokens.push(body["waiting_token"].as_str().unwrap().to_owned()),
            404 => assert_eq!(body["error"]["code"], "EVENT_NOT_FOUND"),
            other => panic!("{other} {body}"),
        }
    }
    assert_eq!(tokens.len(), 5);
    // The events that exist are joined again; the inventory's event does not count.
    usher.join("evt_auto_0").await;
    usher.join(KNOWN_EVENT).await;
    assert_eq!(usher.try_join("evt_auto_new").await.0, 404);
    // Once their waiters are gone and nobody joined for a second, they are deleted and the
    // room is there for new ones.
    let http = reqwest::Client::new();
    let mut more = vec![usher.join("evt_auto_1").await.0];
    more.append(&mut tokens);
    for token in more {
        let url = format!("{}/api/v1/queue/leave?token={token}", usher.base());
        assert!(http.delete(url).send().await.unwrap().status().is_success());
    }
    let deadline = Instant::now() + 10 * SECOND;
    while usher.try_join("evt_auto_new").await.0 != 202 {
        assert!(Instant::now() < deadline, "no room after the idle expiry");
        tokio::time::sleep(SECOND / 4).await;
    }
}

#[tokio::test]
async fn idle_connections_are_capped_per_address_and_closed_after_the_header_timeout() {
    let usher = UsherProcess::start_with_files(
        &[
            ("USHER_MAX_CONNECTIONS_PER_IP", "10"),
            ("USHER_HEADER_READ_TIMEOUT", "1s"),
        ],
        Some(400),
    )
    .await;
    let mut idle = Vec::new();
    for source in 2..=4 {
        for _ in 0..30 {
            idle.push(tcp_from(source, usher.port).await);
        }
    }
    let started = Instant::now();
    // Over its address's cap, a connection is closed at once.
    let at_once = join_all(idle.iter_mut().map(|s| closed_within(s, SECOND / 3))).await;
    assert_eq!(at_once.iter().filter(|c| **c).count(), 60, "3 × (30 − 10)");
    assert!(healthy(&usher).await, "the legitimate client is served");
    assert_eq!(
        metric(
            &metrics_text(&usher).await,
            r#"usher_connections_refused_total{cap="address_cap"}"#
        ),
        60.0
    );
    // The 30 held ones send nothing: closed by the header-read timeout.
    let later = join_all(idle.iter_mut().map(|s| closed_within(s, 2 * SECOND))).await;
    assert!(later.iter().all(|c| *c));
    assert!(started.elapsed() < 3 * SECOND);
    assert!(healthy(&usher).await);
}

#[tokio::test]
async fn a_flood_of_new_connections_from_one_address_is_refused_at_accept() {
    let usher = UsherProcess::start(&[("USHER_CONNECTION_RATE_PER_IP", "5")]).await;
    // A burst of 10 is let in, then 5 a second: of 40 at once, about 30 are closed unread.
    let mut flood = Vec::new();
    for _ in 0..40 {
        flood.push(tcp_from(2, usher.port).await);
    }
    let at_once = join_all(flood.iter_mut().map(|s| closed_within(s, SECOND / 3))).await;
    let refused = at_once.iter().filter(|c| **c).count();
    assert!((28..=30).contains(&refused), "{refused} refused");
    assert!(healthy(&usher).await, "another address is served");
    assert_eq!(
        metric(
            &metrics_text(&usher).await,
            r#"usher_connections_refused_total{cap="address_rate"}"#
        ) as usize,
        refused
    );
}

#[tokio::test]
async fn the_node_cap_follows_the_open_file_limit_and_recovers() {
    // 300 files: the cap is 300 less a quarter kept back for the store, gRPC and files. The
    // head timeout is long enough that no idle connection is closed by it while they are being
    // opened and counted, even on a busy machine: every early close is a refusal at accept.
    let usher =
        UsherProcess::start_with_files(&[("USHER_HEADER_READ_TIMEOUT", "5s")], Some(300)).await;
    let mut idle = Vec::new();
    for i in 0..260 {
        idle.push(tcp_from(2 + (i % 8) as u8, usher.port).await);
    }
    let at_once = join_all(idle.iter_mut().map(|s| closed_within(s, SECOND / 3))).await;
    let refused = at_once.iter().filter(|c| **c).count();
    assert!(refused >= 260 - 225, "{refused} refused");
    assert!(refused < 260, "some were held");
    // Once the timeout has closed them, the node serves again.
    tokio::time::sleep(6 * SECOND).await;
    assert!(healthy(&usher).await);
    assert_eq!(
        metric(
            &metrics_text(&usher).await,
            r#"usher_connections_refused_total{cap="node_cap"}"#
        ) as usize,
        refused
    );
}

#[tokio::test]
async fn slow_and_oversized_request_heads_are_closed_with_bounded_answers() {
    let usher = UsherProcess::start(&[
        ("USHER_HEADER_READ_TIMEOUT", "1s"),
        ("USHER_BODY_READ_TIMEOUT", "1s"),
    ])
    .await;
    let port = usher.port;
    // Slowloris: a partial head, one more byte every 200 ms.
    let slow = (0..20).map(|_| async move {
        let mut s = tcp_from(2, port).await;
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: usher\r\nX-Slow: ")
            .await
            .unwrap();
        let started = Instant::now();
        while started.elapsed() < 5 * SECOND {
            if s.write_all(b"a").await.is_err() || closed_within(&mut s, SECOND / 5).await {
                return started.elapsed();
            }
        }
        started.elapsed()
    });
    let slow = tokio::spawn(join_all(slow));
    assert!(healthy(&usher).await, "served while the slow heads trickle");
    for took in slow.await.unwrap() {
        assert!(took < 2 * SECOND, "a slow head lived {took:?}");
    }

    // A head that never ends: hyper's own limit (64 KiB) answers a bare 431 and closes.
    let mut endless = b"GET /healthz HTTP/1.1\r\nHost: usher\r\nX-Big: ".to_vec();
    endless.extend(std::iter::repeat_n(b'a', 100 * 1024));
    let answer = raw(port, 3, &endless).await;
    assert_eq!(status_of(&answer), 431, "{answer}");

    // Below hyper's limit, above usher's: the envelope.
    let big = format!(
        "GET /healthz HTTP/1.1\r\nHost: usher\r\nConnection: close\r\nX-Big: {}\r\n\r\n",
        "a".repeat(20 * 1024)
    );
    let answer = raw(port, 3, big.as_bytes()).await;
    assert_eq!(
        (status_of(&answer), code_of(&answer).as_str()),
        (431, "HEADERS_TOO_LARGE"),
        "{answer}"
    );
    let many: String = (0..150).map(|i| format!("X-H{i}: v\r\n")).collect();
    let answer = raw(
        port,
        3,
        format!("GET /healthz HTTP/1.1\r\nHost: usher\r\nConnection: close\r\n{many}\r\n")
            .as_bytes(),
    )
    .await;
    assert_eq!(
        (status_of(&answer), code_of(&answer).as_str()),
        (431, "HEADERS_TOO_LARGE"),
        "{answer}"
    );
    let long = format!(
        "GET /healthz?{} HTTP/1.1\r\nHost: usher\r\nConnection: close\r\n\r\n",
        "a".repeat(10 * 1024)
    );
    let answer = raw(port, 3, long.as_bytes()).await;
    assert_eq!(
        (status_of(&answer), code_of(&answer).as_str()),
        (414, "URI_TOO_LONG")
    );

    // A wrong method is 405 with Allow, not an idempotency error.
    let answer = raw(
        port,
        3,
        b"PUT /api/v1/queue/join HTTP/1.1\r\nHost: usher\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
    )
    .await;
    assert_eq!(
        (status_of(&answer), code_of(&answer).as_str()),
        (405, "METHOD_NOT_ALLOWED"),
        "{answer}"
    );
    assert!(header_of(&answer, "allow").is_some_and(|a| a.contains("POST")));

    // A body that never arrives: 408 after the body-read timeout.
    let started = Instant::now();
    let answer = raw(
        port,
        3,
        format!(
            "POST /api/v1/queue/join HTTP/1.1\r\nHost: usher\r\nConnection: close\r\n\
             Content-Type: application/json\r\nIdempotency-Key: {}\r\nContent-Length: 60\r\n\r\n{{",
            uuid::Uuid::new_v4()
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(
        (status_of(&answer), code_of(&answer).as_str()),
        (408, "REQUEST_TIMEOUT"),
        "{answer}"
    );
    assert!(started.elapsed() < 3 * SECOND);

    // A request line hyper cannot parse keeps hyper's bare 400 (documented).
    let answer = raw(port, 3, b"NOT AN HTTP REQUEST\r\n\r\n").await;
    assert_eq!(status_of(&answer), 400, "{answer}");
    assert!(healthy(&usher).await);
}

/// POST /api/v1/auth/login from 127.0.0.`from`.
async fn login(port: u16, from: u8, username: &str, password: &str) -> (u16, String, Option<u64>) {
    let body = json!({"username": username, "password": password}).to_string();
    let request = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: usher\r\nConnection: close\r\n\
         Content-Type: application/json\r\nIdempotency-Key: {}\r\nContent-Length: {}\r\n\r\n{body}",
        uuid::Uuid::new_v4(),
        body.len()
    );
    let answer = raw(port, from, request.as_bytes()).await;
    let retry = header_of(&answer, "retry-after").and_then(|r| r.parse().ok());
    (status_of(&answer), code_of(&answer), retry)
}

/// POST /api/v1/admin/session from 127.0.0.`from`: the status, the error code, whether a
/// session cookie was set.
async fn admin_sign_in(port: u16, from: u8, token: &str) -> (u16, String, bool) {
    let body = json!({ "token": token }).to_string();
    let request = format!(
        "POST /api/v1/admin/session HTTP/1.1\r\nHost: usher\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let answer = raw(port, from, request.as_bytes()).await;
    let cookie = header_of(&answer, "set-cookie").is_some_and(|c| c.starts_with("usher_admin="));
    (status_of(&answer), code_of(&answer), cookie)
}

#[tokio::test]
async fn guessing_admin_tokens_is_limited_per_address_while_the_operator_signs_in() {
    let usher = UsherProcess::start(&[("USHER_AUTH_RATE_PER_MIN", "1")]).await;
    let port = usher.port;
    // One address guessing: its burst (10) is answered, then 429 before any comparison.
    let guesses = join_all(
        (0..30).map(|i| admin_sign_in(port, 20, if i % 2 == 0 { "guess-0123456789" } else { "" })),
    )
    .await;
    let refused = guesses
        .iter()
        .filter(|(s, ..)| *s == 401 || *s == 400)
        .count();
    let limited = guesses
        .iter()
        .filter(|(s, c, _)| *s == 429 && c == "RATE_LIMITED")
        .count();
    assert_eq!((refused, limited), (10, 20), "{guesses:?}");
    assert!(guesses.iter().all(|(.., cookie)| !cookie));
    // Meanwhile the operator, from another address, signs in at once.
    let started = Instant::now();
    let (status, _, cookie) = admin_sign_in(port, 21, support::usher::ADMIN_TOKEN).await;
    assert_eq!((status, cookie), (200, true));
    assert!(started.elapsed() < SECOND, "{:?}", started.elapsed());
    // The guessing address stays limited, even with the right token.
    assert_eq!(
        admin_sign_in(port, 20, support::usher::ADMIN_TOKEN).await.0,
        429
    );
}

#[tokio::test]
async fn password_hashing_is_bounded_and_logins_are_limited_per_address_and_per_account() {
    let usher = UsherProcess::start(&[
        ("USHER_HASH_WORKERS", "1"),
        ("USHER_HASH_QUEUE", "2"),
        ("USHER_AUTH_RATE_PER_MIN", "1"),
        ("USHER_LOGIN_MAX_FAILURES", "3"),
    ])
    .await;
    let port = usher.port;
    // 50 logins at once for unknown users from 5 addresses (10 each, the per-address burst):
    // one hashes, two wait, the rest are refused at once.
    let flood = (0..50u8).map(|i| async move {
        login(port, 2 + i % 5, &format!("nobody{i}"), "wrong-password").await
    });
    let flood = tokio::spawn(join_all(flood));
    let started = Instant::now();
    assert!(healthy(&usher).await);
    assert!(
        started.elapsed() < SECOND,
        "healthz waited {:?}",
        started.elapsed()
    );
    let answers = flood.await.unwrap();
    let busy = answers.iter().filter(|(s, ..)| *s == 503).count();
    let denied = answers.iter().filter(|(s, ..)| *s == 401).count();
    assert_eq!(busy + denied, 50, "{answers:?}");
    assert!(busy >= 30, "{busy} refused of 50");
    for (status, code, retry) in &answers {
        if *status == 503 {
            assert_eq!((code.as_str(), *retry), ("SERVER_BUSY", Some(1)));
        }
    }

    // One address past its auth burst (10): 429 before any hashing.
    let mut limited = 0;
    for i in 0..14 {
        let (status, code, _) = login(port, 9, &format!("someone{i}"), "wrong-password").await;
        if status == 429 {
            assert_eq!(code, "RATE_LIMITED");
            limited += 1;
        }
    }
    assert_eq!(limited, 4);

    // An account's failed logins are counted: past 3, even the right password waits.
    let (status, _) = usher
        .post(
            "/api/v1/auth/register",
            &json!({"username": "alice", "password": "correct-horse"}),
        )
        .await;
    assert_eq!(status, 201);
    for from in 10..13 {
        assert_eq!(login(port, from, "alice", "wrong-horse").await.0, 401);
    }
    let (status, code, retry) = login(port, 13, "alice", "correct-horse").await;
    assert_eq!((status, code.as_str()), (429, "TOO_MANY_LOGIN_ATTEMPTS"));
    assert_eq!(retry, Some(900));
    // Another account is not affected.
    let (status, _) = usher
        .post(
            "/api/v1/auth/register",
            &json!({"username": "bob", "password": "battery-staple"}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(login(port, 14, "bob", "battery-staple").await.0, 200);
}

#[tokio::test]
async fn registrations_stop_at_the_account_cap() {
    let usher = UsherProcess::start(&[("USHER_MAX_USERS", "3")]).await;
    let mut statuses = Vec::new();
    for i in 0..5 {
        let (status, body) = usher
            .post(
                "/api/v1/auth/register",
                &json!({"username": format!("user{i}"), "password": "long-enough"}),
            )
            .await;
        statuses.push((
            status,
            body["error"]["code"].as_str().unwrap_or("").to_owned(),
        ));
    }
    assert_eq!(
        statuses,
        [
            (201, String::new()),
            (201, String::new()),
            (201, String::new()),
            (503, "REGISTRATION_CLOSED".into()),
            (503, "REGISTRATION_CLOSED".into()),
        ]
    );
}

/// Runs `usher serve` with `env` and returns its exit status and standard error, or `None` if
/// it was still running after 10 s (it started).
fn refused(env: &[(&str, &str)]) -> Option<String> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_usher"))
        .arg("serve")
        .env_clear()
        .env("SERVER_PORT", "0")
        .env("USHER_BIND", "127.0.0.1")
        .env("USHER_WEB_ROOT", "/nonexistent")
        .env("LOG_FORMAT", "text")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + 10 * SECOND;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(!status.success());
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            return Some(err);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn production_refuses_development_secrets_short_secrets_the_simulator_and_bypass_tokens() {
    let strong = "0123456789abcdef0123456789abcdef-strong";
    let production = [
        ("SERVER_ENVIRONMENT", "production"),
        ("JWT_SECRET", strong),
        ("USHER_WEBHOOK_SECRET", strong),
        ("USHER_ADMIN_TOKEN", strong),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut env = production.to_vec();
        env.extend_from_slice(extra);
        env
    };
    let cases: [(&str, Vec<(&str, &str)>); 6] = [
        ("JWT_SECRET", vec![("SERVER_ENVIRONMENT", "production")]),
        ("JWT_SECRET", with(&[("JWT_SECRET", "short-secret")])),
        (
            "USHER_ADMIN_TOKEN",
            with(&[("USHER_ADMIN_TOKEN", "sixteen-chars-ok")]),
        ),
        (
            "USHER_METRICS_TOKEN",
            with(&[("USHER_METRICS_TOKEN", "tiny-metrics-token")]),
        ),
        ("payment simulator", with(&[])),
        (
            "USHER_ALLOW_BYPASS_TOKENS",
            with(&[
                ("USHER_ALLOW_PAYMENT_SIMULATOR", "true"),
                ("USHER_ALLOW_BYPASS_TOKENS", "true"),
            ]),
        ),
    ];
    for (named, env) in cases {
        let err = refused(&env).unwrap_or_else(|| panic!("started with {env:?}"));
        assert!(err.contains(named), "{named}: {err}");
    }
    // Staging is held to the same rules.
    let staging = [("SERVER_ENVIRONMENT", "staging"), ("JWT_SECRET", strong)];
    assert!(refused(&staging).is_some());
    // With every secret strong and the simulator named explicitly, it starts (and says so).
    assert!(refused(&with(&[("USHER_ALLOW_PAYMENT_SIMULATOR", "true")])).is_none());
}

#[tokio::test]
async fn websockets_are_capped_per_address_while_other_addresses_connect() {
    let usher = UsherProcess::start(&[("USHER_WS_MAX_PER_IP", "5")]).await;
    usher.configure("evt_ws", json!({"paused": true})).await;
    let mut tokens = Vec::new();
    for _ in 0..9 {
        tokens.push(usher.join("evt_ws").await.0);
    }
    // Eight waiters behind one address: five sockets, then 429 before any upgrade.
    let mut held = Vec::new();
    let mut over = 0;
    for token in &tokens[1..] {
        match ws_from(usher.port, 4, token).await {
            Some(ws) => held.push(ws),
            None => over += 1,
        }
    }
    assert_eq!((held.len(), over), (5, 3));
    // Another address is served.
    let mut legit = usher.ws(&tokens[0]).await;
    legit.wait_for("snapshot", 2 * SECOND).await;
    // A closed socket frees its address's slot.
    drop(held.pop());
    tokio::time::sleep(SECOND / 2).await;
    assert!(ws_from(usher.port, 4, &tokens[8]).await.is_some());
}

#[tokio::test]
async fn bogus_upgrades_are_rate_limited_per_address_and_do_not_spend_the_accept_budget() {
    let usher = UsherProcess::start(&[
        ("USHER_WS_UPGRADE_RATE_PER_IP", "10"),
        ("USHER_WS_ACCEPT_RATE", "5"),
    ])
    .await;
    usher.configure("evt_ws", json!({"paused": true})).await;
    let port = usher.port;
    // Bogus tokens from 127.0.0.3, all at once: the upgrade rate's burst (twice 10/s) is
    // upgraded and refused by token; the rest get 429 before any lookup.
    let statuses = join_all((0..60).map(|_| upgrade(port, 3, "not-a-token"))).await;
    let limited = statuses.iter().filter(|s| **s == 429).count();
    let looked_up = statuses.iter().filter(|s| **s == 101).count();
    assert_eq!(limited + looked_up, 60, "{statuses:?}");
    assert!((20..=22).contains(&looked_up), "{looked_up} looked up");
    let text = metrics_text(&usher).await;
    assert_eq!(
        metric(&text, r#"usher_ws_connects_total{outcome="rejected"}"#) as usize,
        looked_up
    );
    // They did not spend the node's accept budget (5 per second): legitimate waiters get in.
    for _ in 0..5 {
        let (token, _) = usher.join("evt_ws").await;
        let mut ws = usher.ws(&token).await;
        ws.wait_for("snapshot", 2 * SECOND).await;
    }
}

/// A WebSocket upgrade from 127.0.0.`from` with `token`: the handshake's HTTP status.
async fn upgrade(port: u16, from: u8, token: &str) -> u16 {
    let request = format!(
        "GET /api/v1/queue/ws?token={token} HTTP/1.1\r\nHost: usher\r\nConnection: Upgrade\r\n\
         Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    );
    let mut stream = tcp_from(from, port).await;
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 1024];
    let n = tokio::time::timeout(2 * SECOND, stream.read(&mut buf))
        .await
        .map_or(0, |r| r.unwrap_or(0));
    status_of(&String::from_utf8_lossy(&buf[..n]))
}

/// A WebSocket from 127.0.0.`from` that got its snapshot, or `None` if the upgrade was refused.
async fn ws_from(
    port: u16,
    from: u8,
    token: &str,
) -> Option<tokio_tungstenite::WebSocketStream<TcpStream>> {
    use futures::StreamExt;
    let stream = tcp_from(from, port).await;
    let url = format!("ws://127.0.0.1:{port}/api/v1/queue/ws?token={token}");
    let (mut ws, _) = tokio_tungstenite::client_async(url, stream).await.ok()?;
    let first = tokio::time::timeout(2 * SECOND, ws.next())
        .await
        .ok()??
        .ok()?;
    assert!(first.to_text().unwrap().contains("snapshot"), "{first}");
    Some(ws)
}

#[tokio::test]
async fn metrics_can_require_a_token_and_name_a_bounded_number_of_events() {
    let token = "a-metrics-token-of-at-least-32-bytes!";
    let usher = UsherProcess::start(&[
        ("USHER_METRICS_TOKEN", token),
        ("USHER_METRICS_MAX_EVENTS", "2"),
        ("USHER_AUTO_CREATE_EVENTS", "true"),
    ])
    .await;
    for event in ["evt_m1", "evt_m2", "evt_m3", "evt_m4"] {
        usher.join(event).await;
    }
    let http = reqwest::Client::new();
    let url = format!("{}/metrics", usher.base());
    let anonymous = http.get(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    // The ticker reports each live event's queue within a second.
    tokio::time::sleep(2 * SECOND).await;
    let text = http
        .get(&url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let named: std::collections::HashSet<&str> = ["evt_m1", "evt_m2", "evt_m3", "evt_m4"]
        .into_iter()
        .filter(|e| text.contains(&format!("event_id=\"{e}\"")))
        .collect();
    assert_eq!(named.len(), 2, "{named:?}");
}

#[tokio::test]
async fn metrics_can_live_on_their_own_address_off_the_public_port() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let usher = UsherProcess::start(&[("USHER_METRICS_BIND", bind.as_str())]).await;
    let public = reqwest::get(format!("{}/metrics", usher.base()))
        .await
        .unwrap();
    let public = public.text().await.unwrap();
    assert!(
        !public.contains("usher_build_info"),
        "not on the public port"
    );
    let own = reqwest::get(format!("http://{bind}/metrics"))
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    assert!(own.text().await.unwrap().contains("usher_build_info"));
}

/// POST /api/v1/auth/register from 127.0.0.`from`: the status and error code.
async fn register(port: u16, from: u8, username: &str) -> (u16, String) {
    let body = json!({"username": username, "password": "long-enough-password"}).to_string();
    let request = format!(
        "POST /api/v1/auth/register HTTP/1.1\r\nHost: usher\r\nConnection: close\r\n\
         Content-Type: application/json\r\nIdempotency-Key: {}\r\nContent-Length: {}\r\n\r\n{body}",
        uuid::Uuid::new_v4(),
        body.len()
    );
    let answer = raw(port, from, request.as_bytes()).await;
    (status_of(&answer), code_of(&answer))
}

#[tokio::test]
async fn registrations_are_limited_per_address_while_other_addresses_register() {
    let usher = UsherProcess::start(&[("USHER_REGISTRATIONS_PER_IP_PER_HOUR", "3")]).await;
    let mut answers = Vec::new();
    for i in 0..5 {
        answers.push(register(usher.port, 2, &format!("farm{i}")).await);
    }
    assert_eq!(
        answers,
        [
            (201, String::new()),
            (201, String::new()),
            (201, String::new()),
            (429, "RATE_LIMITED".into()),
            (429, "RATE_LIMITED".into()),
        ]
    );
    assert_eq!(
        register(usher.port, 3, "someone").await,
        (201, String::new())
    );
}
