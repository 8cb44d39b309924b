use std::collections::HashMap;
use std::time::Duration;

use futures::future::join_all;
use futures::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpSocket;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::helpers::*;

#[tokio::test]
async fn the_first_message_is_a_full_snapshot_with_envelope_fields() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt").await;
    app.join("evt").await;
    let token = app.join_token("evt").await;
    let mut ws = app.ws(&token).await;
    let snap = ws.next(SECOND).await.unwrap();
    assert_eq!(snap["type"], "snapshot");
    assert_eq!(snap["seq"], 1);
    assert!(snap["server_time"].as_u64().unwrap() > 1_700_000_000_000);
    assert_eq!(snap["position"], 2);
    assert_eq!(snap["status"], "waiting");
    assert_eq!(snap["paused"], true);
    ws.send_text(r#"{"type":"ping"}"#).await;
    let pong = ws.wait_for("pong", SECOND).await;
    assert_eq!(pong["seq"], 2);
}

#[tokio::test]
async fn positions_drop_by_one_when_someone_ahead_is_reaped_leaves_or_is_admitted() {
    let app = spawn_app(&[
        "--heartbeat-secs",
        "1",
        "--reap-interval-ms",
        "50",
        "--push-interval-ms",
        "50",
        "--tick-ms",
        "20",
    ])
    .await;
    app.configure(
        "evt",
        json!({"paused": true, "burst": 1, "rate_per_sec": 0.01}),
    )
    .await;
    let first = app.join_token("evt").await;
    let ghost = app.join_token("evt").await;
    let leaver = app.join_token("evt").await;
    let watcher = app.join_token("evt").await;
    let _ws_first = app.ws(&first).await;
    let _ws_leaver = app.ws(&leaver).await;
    let mut ws = app.ws(&watcher).await;
    assert_eq!(ws.wait_for("snapshot", SECOND).await["position"], 4);

    // The ghost (no socket, no polling) is reaped once its heartbeat runs out.
    assert_eq!(ws.wait_for("position", 5 * SECOND).await["position"], 3);
    assert_eq!(app.status(&ghost).await.1["error"]["code"], "TOKEN_EXPIRED");

    app.leave(&leaver).await;
    assert_eq!(ws.wait_for("position", 2 * SECOND).await["position"], 2);

    app.configure("evt", json!({"paused": false})).await;
    let pos = ws.wait_for("position", 2 * SECOND).await;
    assert_eq!(pos["position"], 1);
    assert_eq!(app.stats("evt").await["admitted_total"], 1);
}

#[tokio::test]
async fn reconnecting_within_the_grace_period_keeps_the_place_and_after_it_the_place_is_gone() {
    let app = spawn_app(&[
        "--grace-secs",
        "1",
        "--reap-interval-ms",
        "50",
        "--push-interval-ms",
        "50",
    ])
    .await;
    app.paused_event("evt").await;
    let first = app.join_token("evt").await;
    let second = app.join_token("evt").await;
    let mut ws2 = app.ws(&second).await;
    assert_eq!(ws2.wait_for("snapshot", SECOND).await["position"], 2);

    let ws1 = app.ws(&first).await;
    drop(ws1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut ws1 = app.ws(&first).await;
    assert_eq!(ws1.wait_for("snapshot", SECOND).await["position"], 1);
    drop(ws1);

    // Past the grace period the place is gone and the one behind moves up.
    assert_eq!(ws2.wait_for("position", 4 * SECOND).await["position"], 1);
    let mut late = app.ws(&first).await;
    let expired = late.wait_for("expired", SECOND).await;
    assert_eq!(expired["reason"], "heartbeat_lost");
    assert_eq!(late.closed(SECOND).await, Ended::Closed(4410));
}

#[tokio::test]
async fn ready_arrives_within_100ms_of_the_admission_step_and_paused_events_admit_nobody() {
    let app = spawn_app(&["--tick-ms", "20"]).await;
    app.paused_event("evt").await;
    let tokens: Vec<String> = join_all((0..20).map(|_| app.join_token("evt"))).await;
    let mut sockets = join_all(tokens.iter().map(|t| app.ws(t))).await;
    for ws in &mut sockets {
        ws.wait_for("snapshot", SECOND).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.stats("evt").await["admitted_total"], 0);

    app.configure("evt", json!({"paused": false})).await;
    for ws in &mut sockets {
        let ready = ws.wait_for("ready", 2 * SECOND).await;
        let received = now_ms();
        let step = ready["admitted_at"].as_u64().unwrap();
        assert!(
            received - step <= 100,
            "ready {}ms after the step",
            received - step
        );
        assert_eq!(ready["ready_for_entry"], true);
        assert!(ready["entry_deadline"].as_u64().unwrap() >= step + 120_000);
    }
}

#[tokio::test]
async fn pause_and_resume_are_pushed() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt").await;
    app.join("evt").await;
    let token = app.join_token("evt").await;
    let mut ws = app.ws(&token).await;
    ws.wait_for("snapshot", SECOND).await;
    // Each socket hears of a pause or resume in its push slice: within one push interval (1 s).
    let within = 2 * SECOND;
    app.configure("evt", json!({"paused": false, "max_active": 1}))
        .await;
    ws.wait_for("resumed", within).await;
    app.configure("evt", json!({"paused": true})).await;
    ws.wait_for("paused", within).await;
}

#[tokio::test]
async fn a_leave_message_ends_the_place_and_closes_normally() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt").await;
    let token = app.join_token("evt").await;
    let mut ws = app.ws(&token).await;
    ws.wait_for("snapshot", SECOND).await;
    ws.send_text(r#"{"type":"leave"}"#).await;
    ws.wait_for("left", SECOND).await;
    assert_eq!(ws.closed(SECOND).await, Ended::Closed(1000));
    assert_eq!(app.stats("evt").await["left_total"], 1);
}

#[tokio::test]
async fn a_newer_socket_replaces_the_older_one() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt").await;
    let token = app.join_token("evt").await;
    let mut old = app.ws(&token).await;
    old.wait_for("snapshot", SECOND).await;
    let mut new = app.ws(&token).await;
    new.wait_for("snapshot", SECOND).await;
    assert_eq!(old.closed(SECOND).await, Ended::Closed(4000));
}

#[tokio::test]
async fn unknown_tokens_are_refused_with_a_do_not_retry_close() {
    let app = spawn_app(&[]).await;
    let mut ws = app.ws(&uuid::Uuid::new_v4().to_string()).await;
    let err = ws.wait_for("error", SECOND).await;
    assert_eq!(err["code"], "TOKEN_NOT_FOUND");
    assert_eq!(ws.closed(SECOND).await, Ended::Closed(4404));
    let mut ws = app.ws("not-a-token").await;
    assert_eq!(
        ws.wait_for("error", SECOND).await["code"],
        "TOKEN_NOT_FOUND"
    );
    let mut ws = app.ws("").await;
    assert_eq!(ws.wait_for("error", SECOND).await["code"], "MISSING_TOKEN");
}

#[tokio::test]
async fn the_connection_cap_turns_sockets_away_with_a_retry_hint() {
    let app = spawn_app(&["--ws-max-connections", "2", "--ws-retry-after-ms", "1500"]).await;
    app.paused_event("evt").await;
    let tokens: Vec<String> = join_all((0..3).map(|_| app.join_token("evt"))).await;
    let mut a = app.ws(&tokens[0]).await;
    let mut b = app.ws(&tokens[1]).await;
    a.wait_for("snapshot", SECOND).await;
    b.wait_for("snapshot", SECOND).await;
    let mut c = app.ws(&tokens[2]).await;
    assert_eq!(
        c.wait_for("reconnect", SECOND).await["retry_after_ms"],
        1500
    );
    assert_eq!(c.closed(SECOND).await, Ended::Closed(1013));
    drop(a);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut c = app.ws(&tokens[2]).await;
    c.wait_for("snapshot", SECOND).await;
}

#[tokio::test]
async fn sockets_beyond_the_accept_rate_are_told_to_retry_later() {
    let app = spawn_app(&["--ws-accept-rate", "5", "--ws-retry-after-ms", "700"]).await;
    app.paused_event("evt").await;
    let tokens: Vec<String> = join_all((0..12).map(|_| app.join_token("evt"))).await;
    let mut sockets = join_all(tokens.iter().map(|t| app.ws(t))).await;
    let (mut accepted, mut refused) = (0, 0);
    for ws in &mut sockets {
        let first = ws.next(SECOND).await.expect("a first message");
        match first["type"].as_str() {
            Some("snapshot") => accepted += 1,
            Some("reconnect") => {
                assert_eq!(first["retry_after_ms"], 700);
                assert_eq!(ws.closed(SECOND).await, Ended::Closed(1013));
                refused += 1;
            }
            other => panic!("unexpected first message {other:?}"),
        }
    }
    // The burst is one second's worth; a few more may have refilled while connecting.
    assert!((5..=7).contains(&accepted), "{accepted} accepted");
    assert_eq!(accepted + refused, 12);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let mut late = app.ws(&tokens[11]).await;
    late.wait_for("snapshot", SECOND).await;
}

#[tokio::test]
async fn an_unanswered_ping_closes_the_socket() {
    let app = spawn_app(&["--ws-ping-secs", "1", "--ws-pong-timeout-secs", "1"]).await;
    app.paused_event("evt").await;
    let token = app.join_token("evt").await;
    let url = format!("{}/api/v1/queue/ws?token={token}", app.ws_base);
    // A raw client that never reads, so it never answers pings.
    let (mut stream, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let started = std::time::Instant::now();
    let metric = "usher_ws_disconnects_total{reason=\"pong_timeout\"}";
    while app.metric(metric).await < 1.0 {
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "not closed for a missing pong"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        started.elapsed() >= Duration::from_millis(1_800),
        "closed before the timeout"
    );
    let mut saw_close = None;
    while let Ok(Some(Ok(msg))) = tokio::time::timeout(SECOND, stream.next()).await {
        if let Message::Close(f) = msg {
            saw_close = f.map(|f| u16::from(f.code));
            break;
        }
    }
    assert_eq!(saw_close, Some(4008));
}

#[tokio::test]
async fn a_slow_consumer_is_disconnected_while_others_keep_receiving() {
    let app = spawn_app(&[
        "--ws-outbound-queue",
        "4",
        "--ws-write-timeout-ms",
        "300",
        "--push-keepalive-secs",
        "1",
        "--push-interval-ms",
        "50",
    ])
    .await;
    app.paused_event("evt").await;
    let slow_token = app.join_token("evt").await;
    let fast_token = app.join_token("evt").await;
    let mut fast = app.ws(&fast_token).await;
    fast.wait_for("snapshot", SECOND).await;

    // A client with a tiny receive buffer that floods pings and never reads the pongs.
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let tcp = socket
        .connect(app.server.as_ref().unwrap().local_addr())
        .await
        .unwrap();
    let url = format!("{}/api/v1/queue/ws?token={slow_token}", app.ws_base);
    let (slow, _) = tokio_tungstenite::client_async(url, tcp).await.unwrap();
    let (mut sink, _unread) = slow.split();
    let flood = tokio::spawn(async move {
        for _ in 0..200_000 {
            let send = sink.send(Message::Text(r#"{"type":"ping"}"#.into()));
            match tokio::time::timeout(Duration::from_secs(2), send).await {
                Ok(Ok(())) => {}
                _ => break,
            }
        }
    });

    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if app
            .metric("usher_ws_disconnects_total{reason=\"slow_consumer\"}")
            .await
            >= 1.0
        {
            break;
        }
        fast.next(Duration::from_millis(200)).await;
    }
    assert!(
        app.metric("usher_ws_disconnects_total{reason=\"slow_consumer\"}")
            .await
            >= 1.0,
        "the slow consumer was not disconnected"
    );
    flood.abort();
    // The other waiter is unaffected: it keeps getting its keepalive pushes.
    fast.wait_for("position", 3 * SECOND).await;
    assert_eq!(app.status(&fast_token).await.1["position"], 2);
}

#[tokio::test]
async fn two_thousand_concurrent_waiters_all_get_their_snapshot_and_their_ready() {
    const N: usize = 2_000;
    let app = spawn_app(&["--tick-ms", "20"]).await;
    app.paused_event("evt").await;
    let mut tokens = Vec::with_capacity(N);
    for _ in 0..(N / 200) {
        tokens.extend(join_all((0..200).map(|_| app.join_token("evt"))).await);
    }
    let mut sockets = Vec::with_capacity(N);
    for chunk in tokens.chunks(200) {
        sockets.extend(join_all(chunk.iter().map(|t| app.ws(t))).await);
    }
    let snapshots = join_all(
        sockets
            .iter_mut()
            .map(|ws| ws.wait_for("snapshot", 10 * SECOND)),
    )
    .await;
    let mut positions: Vec<u64> = snapshots
        .iter()
        .map(|s| s["position"].as_u64().unwrap())
        .collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=N as u64).collect::<Vec<_>>());

    app.configure(
        "evt",
        json!({"paused": false, "rate_per_sec": 5000, "burst": 2000}),
    )
    .await;
    let readies = join_all(
        sockets
            .iter_mut()
            .map(|ws| ws.wait_for("ready", 20 * SECOND)),
    )
    .await;
    let by_step: HashMap<u64, usize> = readies.iter().fold(HashMap::new(), |mut m, r| {
        *m.entry(r["admitted_at"].as_u64().unwrap()).or_default() += 1;
        m
    });
    assert_eq!(by_step.values().sum::<usize>(), N);
    assert_eq!(app.stats("evt").await["admitted_total"], N as u64);
}

#[tokio::test]
async fn a_client_close_is_answered_with_a_close_frame() {
    let app = spawn_app(&[]).await;
    let token = app.join_token("evt_close").await;
    let mut ws = app.ws(&token).await;
    ws.wait_for("snapshot", SECOND).await;
    ws.stream
        .close(Some(CloseFrame {
            code: CloseCode::Normal,
            reason: "bye".into(),
        }))
        .await
        .unwrap();
    // The server's answer completes the handshake: a close frame, not a dropped connection.
    assert_eq!(ws.closed(2 * SECOND).await, Ended::Closed(1000));
}
