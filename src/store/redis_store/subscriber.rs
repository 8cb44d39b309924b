//! The update channels of the Redis store: one RESP3 connection holding a sharded subscription
//! (SSUBSCRIBE) per event that has local watchers, dispatching messages to per-event broadcast
//! channels. Only events with local watchers are subscribed.
//!
//! A connection loss may drop messages. The dispatcher then closes every local channel, so
//! every watcher resynchronises from a snapshot (the hub treats a closed channel like a version
//! gap), and the connection restores its subscriptions when it reconnects.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;
use redis::{PushInfo, PushKind, Value};
use tokio::sync::{broadcast, mpsc};
use tracing::{debug, warn};

use super::conn::Conn;
use super::keys;
use crate::domain::EventId;
use crate::store::{EventUpdate, StoreError, StoreResult};

/// Updates buffered per event for a slow local watcher before it is told it lagged.
const UPDATE_BUFFER: usize = 4_096;

type Channels = Arc<Mutex<HashMap<EventId, broadcast::Sender<EventUpdate>>>>;

pub struct Subscriber {
    conn: Conn,
    channels: Channels,
}

impl Subscriber {
    /// Starts dispatching the pushes that arrive on `pushes` (the connection's push channel).
    pub fn start(conn: Conn, pushes: mpsc::UnboundedReceiver<PushInfo>) -> Self {
        let channels: Channels = Arc::default();
        tokio::spawn(dispatch(pushes, channels.clone()));
        Self { conn, channels }
    }

    pub async fn subscribe(
        &self,
        event: &EventId,
    ) -> StoreResult<broadcast::Receiver<EventUpdate>> {
        let (rx, fresh) = {
            let mut channels = self.channels.lock();
            match channels.get(event) {
                Some(tx) => (tx.subscribe(), false),
                None => {
                    let (tx, rx) = broadcast::channel(UPDATE_BUFFER);
                    channels.insert(event.clone(), tx);
                    (rx, true)
                }
            }
        };
        if fresh {
            let result: redis::RedisResult<Value> = redis::cmd("SSUBSCRIBE")
                .arg(keys::channel(event))
                .query_async(&mut self.conn.clone())
                .await;
            if let Err(e) = result {
                self.channels.lock().remove(event);
                return Err(StoreError::Unavailable(format!("subscribe: {e}")));
            }
        }
        Ok(rx)
    }

    pub async fn unsubscribe(&self, event: &EventId) {
        let unused = {
            let mut channels = self.channels.lock();
            let unused = channels
                .get(event)
                .is_some_and(|tx| tx.receiver_count() == 0);
            if unused {
                channels.remove(event);
            }
            unused
        };
        if unused {
            let result: redis::RedisResult<Value> = redis::cmd("SUNSUBSCRIBE")
                .arg(keys::channel(event))
                .query_async(&mut self.conn.clone())
                .await;
            if let Err(e) = result {
                debug!(event = %event, error = %e, "unsubscribe failed");
            }
        }
    }

    /// Makes every local watcher resynchronise (after an outage).
    pub fn reset(&self) {
        self.channels.lock().clear();
    }

    pub async fn ping(&self) -> redis::RedisResult<()> {
        redis::cmd("PING")
            .query_async::<Value>(&mut self.conn.clone())
            .await
            .map(drop)
    }
}

async fn dispatch(mut pushes: mpsc::UnboundedReceiver<PushInfo>, channels: Channels) {
    while let Some(push) = pushes.recv().await {
        match push.kind {
            PushKind::SMessage | PushKind::Message => {
                let (Some(Value::BulkString(channel)), Some(Value::BulkString(payload))) =
                    (push.data.first(), push.data.get(1))
                else {
                    continue;
                };
                let Some(event) = keys::event_of_channel(channel) else {
                    continue;
                };
                match serde_json::from_slice::<EventUpdate>(payload) {
                    Ok(update) => {
                        if let Some(tx) = channels.lock().get(&event) {
                            // No receivers: the watcher just left; nothing to do.
                            let _ = tx.send(update);
                        }
                    }
                    Err(e) => warn!(event = %event, error = %e, "unreadable update"),
                }
            }
            PushKind::Disconnection => {
                debug!("subscriber connection lost; watchers will resynchronise");
                channels.lock().clear();
            }
            _ => {}
        }
    }
}
