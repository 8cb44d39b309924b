//! A socket's handle, as the hub holds it: a bounded outbound queue, and a kill switch for a
//! consumer that lets it overflow. The WebSocket session ([`crate::ws`]) owns the other ends.

use std::sync::Arc;

use tokio::sync::{Notify, mpsc};

use crate::clock::now_ms;
use crate::metrics::Metrics;
use crate::protocol::{CloseReason, Outbound, Outgoing, Push};

/// One connection's handle, held by the hub: a bounded outbound queue and a kill switch for
/// consumers that let it overflow.
#[derive(Clone)]
pub struct Conn {
    pub id: u64,
    tx: mpsc::Sender<Outbound>,
    kill: Arc<Notify>,
    metrics: Metrics,
}

impl Conn {
    /// Creates a handle and the receiving ends the connection task owns.
    pub fn new(
        id: u64,
        capacity: usize,
        metrics: Metrics,
    ) -> (Self, mpsc::Receiver<Outbound>, Arc<Notify>) {
        let (tx, rx) = mpsc::channel(capacity);
        let kill = Arc::new(Notify::new());
        (
            Self {
                id,
                tx,
                kill: kill.clone(),
                metrics,
            },
            rx,
            kill,
        )
    }

    /// Queues a message without waiting. A full queue means the client is not reading: it is
    /// disconnected rather than allowed to grow memory.
    pub fn push(&self, push: Push) {
        let kind = push.kind();
        let out = Outbound::Message(Box::new(Outgoing {
            push,
            server_time: now_ms(),
        }));
        match self.tx.try_send(out) {
            Ok(()) => self.metrics.ws_messages.with_label_values(&[kind]).inc(),
            Err(mpsc::error::TrySendError::Full(_)) => self.kill.notify_one(),
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }

    /// Queues a close after everything queued so far.
    pub fn close(&self, reason: CloseReason) {
        if let Err(mpsc::error::TrySendError::Full(_)) = self.tx.try_send(Outbound::Close(reason)) {
            self.kill.notify_one();
        }
    }
}
