//! The waiter's WebSocket: `GET /api/v1/queue/ws?token=` (alias `/ws`).
//!
//! One task per connection owns both halves of the socket and selects over: the outbound queue
//! filled by the hub, frames from the client, the ping timer and the pong deadline. Memory per
//! connection is bounded: explicit read/write buffer sizes, a bounded outbound queue (overflow
//! disconnects the slow consumer) and a write timeout.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{
    CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade,
    rejection::WebSocketUpgradeRejection,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::sync::{Notify, OwnedSemaphorePermit, mpsc};
use tokio::time::{Instant, sleep_until, timeout};
use tracing::field::Empty;
use tracing::{Instrument, Span, debug};
use utoipa::IntoParams;

use crate::app::AppState;
use crate::clock::now_ms;
use crate::error::{ApiError, ApiQuery, ErrorBody};
use crate::hub::{Attached, Conn};
use crate::net::client_ip::Peer;
use crate::net::listener::AddressSlot;
use crate::protocol::{ClientMessage, CloseReason, Envelope, ExpiredReason, Outbound, Push};
use crate::queue::{QueueError, parse_token};
use crate::store::{WaiterRecord, WaiterState};

/// Invalid client messages tolerated before the socket is closed as a policy violation.
const MAX_STRIKES: u32 = 10;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WsQuery {
    /// The waiting token the join answered.
    #[param(required = true, nullable = false, value_type = String, format = Uuid)]
    token: Option<String>,
}

/// Upgrades to a WebSocket with explicit, small buffers (tungstenite's 128 KiB default read
/// buffer per connection would dominate memory at scale).
///
/// Before the upgrade, and before the token is looked up, the client's address must be within
/// its upgrade rate and its cap of open sockets (429 otherwise), so upgrades with bogus tokens
/// cost the store at most that rate per address. The node's accept budget
/// (`USHER_WS_ACCEPT_RATE`) is charged only once the token proved valid, so bogus upgrades do
/// not use it up for everyone else.
#[utoipa::path(
    get, path = "/api/v1/queue/ws", operation_id = "queue_socket", tag = "queue",
    params(WsQuery),
    description = "The waiter's WebSocket, which is also its heartbeat. The server sends JSON \
        text frames (`ServerMessage`: a `snapshot` first, then `position`, `ready`, `paused`, \
        `resumed`, `expired`, `reservation`, `payment`, `sold_out`, `reconnect`, ...), each with \
        a per-connection increasing `seq` and `server_time`; the client may send `ClientMessage` \
        (`ping`, `leave`). Close codes: 1000 left; 4410 expired (join again); 4404 unknown \
        token; 4000 replaced by a newer connection; 4001 slow consumer and 4008 pong timeout \
        (reconnect); 1008 policy violation; 1009 message too big; 1011 server error \
        (reconnect); 1012 restarting and 1013 node full (reconnect after `retry_after_ms`).",
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 400, description = "`INVALID_REQUEST`: a malformed query string",
            body = ErrorBody),
        (status = 426, description = "`UPGRADE_REQUIRED`: not a WebSocket upgrade",
            body = ErrorBody),
        (status = 429, description = "`RATE_LIMITED` (upgrades from this address), \
            `TOO_MANY_CONNECTIONS` (open sockets from this address)", body = ErrorBody,
            headers(("Retry-After" = u64))),
    )
)]
pub async fn upgrade(
    State(app): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<WsQuery>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let Ok(ws) = ws else {
        return ApiError::new(
            StatusCode::UPGRADE_REQUIRED,
            "UPGRADE_REQUIRED",
            "This route takes a WebSocket upgrade",
        )
        .into_response();
    };
    let client = app
        .settings
        .rate_limit
        .trusted_proxies
        .client_ip(peer, &headers);
    if let Some(limiter) = &app.ws_upgrades
        && let Err(e) = limiter.admit(client)
    {
        return e.into_response();
    }
    let Some(address_slot) = app.ws_per_ip.take(client) else {
        app.metrics
            .ws_connects
            .with_label_values(&["address_cap"])
            .inc();
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TOO_MANY_CONNECTIONS",
            "Too many open WebSockets from this address",
        )
        .with_retry_after(
            (app.settings.ws.retry_after.as_millis() as u64)
                .div_ceil(1_000)
                .max(1),
        )
        .into_response();
    };
    let s = &app.settings.ws;
    // Turned away (with a retry hint, after the upgrade): draining or at the connection cap.
    let permit = if app.draining.load(Ordering::Relaxed) {
        None
    } else {
        app.ws_slots.clone().try_acquire_owned().ok()
    };
    let write_buffer = s.write_buffer_bytes as usize;
    // Made here, inside the upgrade request's span: the session runs in a task of its own.
    let span = session_span();
    ws.read_buffer_size(s.read_buffer_bytes as usize)
        .write_buffer_size(write_buffer)
        .max_write_buffer_size(write_buffer + 64 * 1024)
        .max_message_size(s.max_message_bytes as usize)
        .max_frame_size(s.max_message_bytes as usize)
        .on_upgrade(move |socket| {
            session(app, socket, q.token, permit, address_slot).instrument(span)
        })
}

/// The socket's span, from open to close, a child of the upgrade request's: its event and how
/// it closed (never its token).
fn session_span() -> Span {
    tracing::info_span!(
        target: usher_otel::TARGET,
        "ws session",
        usher.event_id = Empty,
        usher.ws.close_code = Empty,
        usher.ws.close_reason = Empty,
    )
}

type Sink = SplitSink<WebSocket, Message>;
type Stream = SplitStream<WebSocket>;

/// After a close frame, how long the client is given to answer it before the TCP connection
/// is dropped (dropping at once can reset the connection before the client reads the frame).
const CLOSE_LINGER: Duration = Duration::from_secs(1);

/// Counts the open socket for as long as it lives.
struct Open(AppState);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.metrics.ws_connections.dec();
    }
}

async fn session(
    app: AppState,
    socket: WebSocket,
    raw_token: Option<String>,
    permit: Option<OwnedSemaphorePermit>,
    _address_slot: AddressSlot,
) {
    let (mut sink, mut stream) = socket.split();
    let mut writer = Writer::new(&app);
    let Some(_permit) = permit else {
        app.metrics
            .ws_connects
            .with_label_values(&["over_capacity"])
            .inc();
        let retry_after_ms = app.settings.ws.retry_after.as_millis() as u64;
        let reason = if app.draining.load(Ordering::Relaxed) {
            CloseReason::Restarting
        } else {
            CloseReason::TryAgainLater
        };
        let _ = writer
            .send(&mut sink, &Push::Reconnect { retry_after_ms }, now_ms())
            .await;
        writer.close(&mut sink, &mut stream, reason).await;
        return;
    };
    app.metrics.ws_connections.inc();
    let _open = Open(app.clone());

    let record = match open_record(&app, raw_token.as_deref()).await {
        // A valid token: now it may use the node's accept budget.
        Ok(_) if app.ws_accept.check().is_err() => {
            app.metrics
                .ws_connects
                .with_label_values(&["over_accept_rate"])
                .inc();
            let retry_after_ms = app.settings.ws.retry_after.as_millis() as u64;
            let _ = writer
                .send(&mut sink, &Push::Reconnect { retry_after_ms }, now_ms())
                .await;
            writer
                .close(&mut sink, &mut stream, CloseReason::TryAgainLater)
                .await;
            return;
        }
        Ok(record) => record,
        Err((push, reason)) => {
            app.metrics
                .ws_connects
                .with_label_values(&["rejected"])
                .inc();
            let _ = writer.send(&mut sink, &push, now_ms()).await;
            writer.close(&mut sink, &mut stream, reason).await;
            return;
        }
    };
    let (conn, rx, kill) = Conn::new(
        app.hub.next_conn_id(),
        app.settings.ws.outbound_queue as usize,
        app.metrics.clone(),
    );
    match app.hub.attach(&record, &conn).await {
        Ok(Attached::Live) => {}
        Ok(Attached::Ended(state)) => {
            let (push, reason) = ended(state);
            let _ = writer.send(&mut sink, &push, now_ms()).await;
            writer.close(&mut sink, &mut stream, reason).await;
            return;
        }
        Err(e) => {
            debug!(error = %e, "could not attach socket");
            writer
                .close(&mut sink, &mut stream, CloseReason::ServerError)
                .await;
            return;
        }
    }
    app.metrics
        .ws_connects
        .with_label_values(&["accepted"])
        .inc();

    Span::current().record("usher.event_id", record.event.as_str());
    let reason = run(&app, &record, &mut writer, &mut sink, &mut stream, rx, kill).await;
    app.hub
        .detach(
            &record.event,
            record.token,
            conn.id,
            reason.is_none_or(CloseReason::keeps_place),
        )
        .await;
    let label = reason.map_or("client_closed", CloseReason::label);
    Span::current().record("usher.ws.close_reason", label);
    app.metrics.ws_disconnects.with_label_values(&[label]).inc();
    if let Some(reason) = reason {
        writer.close(&mut sink, &mut stream, reason).await;
    }
}

/// Reads the token's record (a heartbeat), or says how to turn the connection away.
async fn open_record(
    app: &AppState,
    raw: Option<&str>,
) -> Result<WaiterRecord, (Push, CloseReason)> {
    // The same parsing and error codes as the REST routes, delivered as an `error` message.
    let refuse = |e: ApiError, reason: CloseReason| {
        let push = Push::Error {
            code: e.code,
            message: e.message,
        };
        (push, reason)
    };
    let token = parse_token(raw).map_err(|e| refuse(e.into(), CloseReason::TokenNotFound))?;
    // An open socket is a heartbeat until the hub's next batch refresh, plus the grace period.
    let q = app.queue.settings();
    match app
        .queue
        .record(token, q.grace + q.socket_touch_interval())
        .await
    {
        Ok(record) => match record.state {
            WaiterState::Expired | WaiterState::Left => Err(ended(record.state)),
            _ => Ok(record),
        },
        Err(e @ QueueError::TokenNotFound) => Err(refuse(e.into(), CloseReason::TokenNotFound)),
        Err(e) => {
            debug!(error = %e, "socket setup failed");
            Err(refuse(e.into(), CloseReason::ServerError))
        }
    }
}

/// What to tell a socket whose token has ended.
fn ended(state: WaiterState) -> (Push, CloseReason) {
    match state {
        WaiterState::Left => (Push::Left {}, CloseReason::Left),
        _ => (
            Push::Expired {
                reason: ExpiredReason::HeartbeatLost,
            },
            CloseReason::Expired,
        ),
    }
}

/// Serialises pushes with the per-connection `seq`, under the write timeout.
struct Writer {
    seq: u64,
    write_timeout: Duration,
}

impl Writer {
    fn new(app: &AppState) -> Self {
        Self {
            seq: 0,
            write_timeout: app.settings.ws.write_timeout,
        }
    }

    /// Sends one message; `Err(reason)` ends the connection.
    async fn send(
        &mut self,
        sink: &mut Sink,
        push: &Push,
        server_time: u64,
    ) -> Result<(), Option<CloseReason>> {
        self.seq += 1;
        let text = serde_json::to_string(&Envelope {
            push,
            seq: self.seq,
            server_time,
        })
        .expect("pushes serialise");
        self.frame(sink, Message::Text(Utf8Bytes::from(text))).await
    }

    async fn frame(&mut self, sink: &mut Sink, msg: Message) -> Result<(), Option<CloseReason>> {
        match timeout(self.write_timeout, sink.send(msg)).await {
            Ok(Ok(())) => Ok(()),
            // The peer is gone: nothing more to send.
            Ok(Err(_)) => Err(None),
            Err(_) => Err(Some(CloseReason::SlowConsumer)),
        }
    }

    /// Sends a close frame (best effort, bounded by the write timeout) and waits briefly for
    /// the client's answer.
    async fn close(&mut self, sink: &mut Sink, stream: &mut Stream, reason: CloseReason) {
        let span = Span::current();
        span.record("usher.ws.close_code", reason.code());
        span.record("usher.ws.close_reason", reason.label());
        let frame = CloseFrame {
            code: reason.code(),
            reason: Utf8Bytes::from_static(reason.label()),
        };
        if self.frame(sink, Message::Close(Some(frame))).await.is_ok() {
            let answered = async {
                while let Some(Ok(msg)) = stream.next().await {
                    if matches!(msg, Message::Close(_)) {
                        break;
                    }
                }
            };
            let _ = timeout(CLOSE_LINGER, answered).await;
        }
    }
}

/// The connection loop. Returns the reason the server closes the socket, or `None` when the
/// client closed it (or vanished).
async fn run(
    app: &AppState,
    record: &WaiterRecord,
    writer: &mut Writer,
    sink: &mut Sink,
    stream: &mut Stream,
    mut rx: mpsc::Receiver<Outbound>,
    kill: Arc<Notify>,
) -> Option<CloseReason> {
    let s = &app.settings.ws;
    let ping_every = s.ping;
    let pong_timeout = s.pong_timeout;
    let mut ping = tokio::time::interval_at(Instant::now() + ping_every, ping_every);
    let mut pong_deadline: Option<Instant> = None;
    let mut strikes = 0u32;
    loop {
        let pong_wait = async {
            match pong_deadline {
                Some(d) => sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            _ = kill.notified() => return Some(CloseReason::SlowConsumer),
            out = rx.recv() => match out {
                Some(Outbound::Message(m)) => {
                    if let Err(reason) = writer.send(sink, &m.push, m.server_time).await {
                        return reason;
                    }
                }
                Some(Outbound::Close(reason)) => return Some(reason),
                None => return Some(CloseReason::ServerError),
            },
            frame = stream.next() => {
                let reply = match frame {
                    None => return None,
                    Some(Ok(Message::Close(_))) => {
                        // The reply close frame is queued by the protocol; sending it completes
                        // the client's closing handshake (without it the client sees 1006).
                        let _ = timeout(writer.write_timeout, sink.flush()).await;
                        return None;
                    }
                    Some(Err(e)) => {
                        debug!(error = %e, "socket read failed");
                        let inner = e.into_inner();
                        let too_big = matches!(
                            inner.downcast_ref::<tungstenite::Error>(),
                            Some(tungstenite::Error::Capacity(_))
                        );
                        return too_big.then_some(CloseReason::TooBig);
                    }
                    Some(Ok(Message::Pong(_) | Message::Ping(_))) => {
                        pong_deadline = None;
                        continue;
                    }
                    Some(Ok(Message::Text(text))) => {
                        pong_deadline = None;
                        serde_json::from_str::<ClientMessage>(&text).ok()
                    }
                    Some(Ok(Message::Binary(_))) => None,
                };
                match reply {
                    Some(ClientMessage::Ping) => {
                        if let Err(reason) = writer.send(sink, &Push::Pong {}, now_ms()).await {
                            return reason;
                        }
                    }
                    Some(ClientMessage::Leave) => {
                        return leave(app, record, writer, sink).await;
                    }
                    None => {
                        strikes += 1;
                        if strikes > MAX_STRIKES {
                            return Some(CloseReason::PolicyViolation);
                        }
                        let push = Push::Error {
                            code: "INVALID_REQUEST",
                            message: "expected a JSON text message {\"type\":\"ping\"} or {\"type\":\"leave\"}".into(),
                        };
                        if let Err(reason) = writer.send(sink, &push, now_ms()).await {
                            return reason;
                        }
                    }
                }
            }
            _ = ping.tick() => {
                if let Err(reason) = writer.frame(sink, Message::Ping(Default::default())).await {
                    return reason;
                }
                pong_deadline.get_or_insert(Instant::now() + pong_timeout);
            }
            _ = pong_wait => return Some(CloseReason::PongTimeout),
        }
    }
}

/// A `leave` message: the store first, then `left` and a normal close. The departure the store
/// publishes may also reach this connection's queue; nothing reads it any more.
async fn leave(
    app: &AppState,
    record: &WaiterRecord,
    writer: &mut Writer,
    sink: &mut Sink,
) -> Option<CloseReason> {
    if let Err(e) = app.queue.leave(record.token).await {
        debug!(error = %e, "leave over WebSocket failed");
        let push = Push::Error {
            code: "STORE_UNAVAILABLE",
            message: "could not leave; try again".into(),
        };
        return writer.send(sink, &push, now_ms()).await.err().flatten();
    }
    let _ = writer.send(sink, &Push::Left {}, now_ms()).await;
    Some(CloseReason::Left)
}
