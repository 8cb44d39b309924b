//! A WebSocket waiter for tests, on tokio-tungstenite.

use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const SECOND: Duration = Duration::from_secs(1);

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// A WebSocket waiter.
pub struct WsClient {
    pub stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// How a socket ended, as seen by the client.
#[derive(Debug, PartialEq)]
pub enum Ended {
    Closed(u16),
    Dropped,
}

impl WsClient {
    /// Connects to `ws://<addr>/api/v1/queue/ws?token=<token>`.
    pub async fn connect(ws_base: &str, token: &str) -> Self {
        let url = format!("{ws_base}/api/v1/queue/ws?token={token}");
        let (stream, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("ws connects");
        Self { stream }
    }

    /// The next JSON message within `within`, skipping control frames.
    pub async fn next(&mut self, within: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()??;
            match frame.ok()? {
                Message::Text(t) => {
                    return Some(serde_json::from_str(&t).expect("server sends JSON"));
                }
                Message::Close(_) => return None,
                _ => continue,
            }
        }
    }

    /// The first message of `kind` within `within` (others are skipped).
    pub async fn wait_for(&mut self, kind: &str, within: Duration) -> Value {
        let deadline = Instant::now() + within;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.next(left).await {
                Some(m) if m["type"] == kind => return m,
                Some(_) => continue,
                None => break,
            }
        }
        panic!("no {kind:?} message within {within:?}");
    }

    /// Waits until the waiter is admitted: a `ready` push, or, for a socket that opened after
    /// the admission, a snapshot that already says `ready_for_entry`.
    pub async fn wait_ready(&mut self, within: Duration) -> Value {
        let deadline = Instant::now() + within;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.next(left).await {
                Some(m) if m["type"] == "ready" => return m,
                Some(m) if m["type"] == "snapshot" && m["ready_for_entry"] == true => return m,
                Some(_) => continue,
                None => break,
            }
        }
        panic!("not admitted within {within:?}");
    }

    /// Reads until the socket closes; returns how.
    pub async fn closed(&mut self, within: Duration) -> Ended {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Err(_) => panic!("socket still open after {within:?}"),
                Ok(None) | Ok(Some(Err(_))) => return Ended::Dropped,
                Ok(Some(Ok(Message::Close(frame)))) => {
                    return Ended::Closed(frame.map_or(1005, |f| u16::from(f.code)));
                }
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    pub async fn send_text(&mut self, text: &str) {
        self.stream.send(Message::Text(text.into())).await.unwrap();
    }
}
