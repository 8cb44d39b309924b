//! The wire protocol: every message usher sends a waiter's WebSocket, and the bodies shared with
//! REST. JSON text frames; every server message carries `type`, a per-connection increasing
//! `seq` and `server_time` (ms since the Unix epoch, when the message was produced); close codes
//! tell the client whether, and when, to reconnect.
//!
//! The purchase outcomes ([`Notice`]) travel from the node that learnt them to the node that
//! holds the buyer's socket over the store's update bus, typed all the way.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The seed's status fields followed by usher's additive ones.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct QueueStatus {
    /// The seed's field: `waiting` until the waiter entered (an admitted waiter says `waiting`
    /// with `ready_for_entry: true`, which the seed's client enters on), then `ready`.
    pub status: &'static str,
    /// usher's own, finer phase: `waiting`, `admitted` (may enter) or `entered`; for a
    /// scheduled sale also `prequeue` (joined before the sale starts) and `drawing` (a random
    /// start's entry list is closed and its draw is being made: no position yet).
    pub phase: &'static str,
    /// 1-based place in the queue; 0 once admitted.
    pub position: u64,
    /// Seconds to admission; while paused, the wait once admission resumes at the configured
    /// rate.
    pub eta_sec: u64,
    /// Seconds since joining.
    pub waiting_time: u64,
    pub ready_for_entry: bool,
    /// `[low, high]` seconds; null while admission is paused (confidence 0).
    #[schema(min_items = 2, max_items = 2)]
    pub eta_range: Option<[u64; 2]>,
    pub confidence: f64,
    /// Admissions per second the ETA is based on.
    pub admission_rate: f64,
    pub total_waiting: u64,
    /// When a client without a WebSocket should poll again.
    pub poll_after_ms: u64,
    /// Admission is stopped: paused by the operator, or held by usher (`pause_reason`).
    pub paused: bool,
    /// Why usher holds admission by itself (a backend is failing), when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub pause_reason: Option<String>,
    /// Admitted waiters must call enter before this instant (ms since the Unix epoch).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub entry_deadline: Option<u64>,
    /// When the waiter was admitted (ms since the Unix epoch).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub admitted_at: Option<u64>,
    /// A scheduled sale's queueing method: `fifo` or `random_at_start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub queueing_method: Option<&'static str>,
    /// When a scheduled sale starts (ms since the Unix epoch).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub sale_starts_at: Option<u64>,
    /// When a scheduled sale ends (ms since the Unix epoch).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub sale_ends_at: Option<u64>,
    /// Entrants of the pre-queue (phases `prequeue` and `drawing`): pushed as it grows.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub prequeue_size: Option<u64>,
    /// The rank this waiter drew in a random start (1 = first), once the draw is made.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub drawn_rank: Option<u64>,
    /// The operator queues everyone: joins are taken and nobody is admitted yet (not a
    /// pause: the sale is gathering its queue).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub queue_all: bool,
    /// The operator's last message to everyone waiting (also pushed as `announcement`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub announcement: Option<Announcement>,
}

/// A message an operator broadcast to everyone waiting for an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Announcement {
    pub message: String,
    /// When it was sent, ms since the Unix epoch.
    pub at_ms: u64,
}

/// A purchase outcome for a buyer's socket (or, sold out, for every socket of an event).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    Reservation(ReservationNotice),
    Payment(PaymentNotice),
    /// Every seat of the event is sold: nobody waiting can buy any more.
    SoldOut(SoldOutNotice),
    /// An operator removed this waiter's place: its socket is told and closed.
    Revoked,
}

/// What happened to a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReservationOutcome {
    /// Paid and confirmed: the seats are sold to the buyer (`order_id` is set).
    Confirmed,
    /// The payment completed but the reservation could not be confirmed (`reason` says why;
    /// a payment for a hold that had expired is refunded).
    NotConfirmed,
    /// The payment failed: the hold is released.
    Failed,
    /// The hold expired before it was paid.
    Expired,
}

/// A `reservation` message: a reservation of this buyer changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReservationNotice {
    pub reservation_id: String,
    pub status: ReservationOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub order_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub payment_intent_id: Option<String>,
    /// The error code behind `NOT_CONFIRMED`, `FAILED` or `EXPIRED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub reason: Option<String>,
}

/// What happened to a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentOutcome {
    Completed,
    Failed,
    /// Paid after its reservation ended: the money is returned.
    Refunded,
}

/// A `payment` message: a payment of this buyer was settled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PaymentNotice {
    pub payment_intent_id: String,
    pub status: PaymentOutcome,
    pub reservation_id: String,
}

/// A `sold_out` message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SoldOutNotice {
    pub event_id: String,
    pub remaining: u64,
}

impl From<Notice> for Push {
    fn from(n: Notice) -> Self {
        match n {
            Notice::Reservation(v) => Push::Reservation(v),
            Notice::Payment(v) => Push::Payment(v),
            Notice::SoldOut(v) => Push::SoldOut(v),
            Notice::Revoked => Push::Expired {
                reason: ExpiredReason::Revoked,
            },
        }
    }
}

/// Server → client messages (without the envelope fields added at send time).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Push {
    /// First message of every connection: the full status.
    Snapshot(QueueStatus),
    /// The position or ETA changed (coalesced, at most one per push interval).
    Position(QueueStatus),
    /// Admitted: call enter before `entry_deadline`.
    Ready(QueueStatus),
    /// The place is gone: the heartbeat was lost or the entry window ended.
    Expired { reason: ExpiredReason },
    /// The waiter left the queue.
    Left {},
    /// The event stopped admitting; places are kept. `reason` when usher holds admission by
    /// itself (a backend is failing), absent when an operator paused the sale.
    Paused {
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The event admits again.
    Resumed {},
    /// Answer to a client `ping`.
    Pong {},
    /// The store is unreachable: places are kept, but positions may not move until it is back.
    Degraded {},
    /// The store is reachable again.
    Recovered {},
    /// A reservation of this buyer changed (confirmed with its order id, failed, ...).
    Reservation(ReservationNotice),
    /// A payment of this buyer was settled.
    Payment(PaymentNotice),
    /// Every seat of the event is sold.
    SoldOut(SoldOutNotice),
    /// The scheduled sale ended, or an operator ended or cancelled it (`cancelled`): the place
    /// is gone (a close follows; do not reconnect). Admitted buyers keep their entry window and
    /// are not told.
    SaleEnded {
        event_id: String,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        cancelled: bool,
    },
    /// An operator's message to everyone waiting for the event.
    Announcement {
        message: String,
        /// When it was sent, ms since the Unix epoch.
        at_ms: u64,
    },
    /// The operator withdrew their message: stop showing it.
    AnnouncementWithdrawn {},
    /// Reconnect (to any replica) after about this long; sent before a drain or a refusal.
    Reconnect { retry_after_ms: u64 },
    /// A client message could not be handled; the connection stays open unless a close follows.
    Error { code: &'static str, message: String },
}

impl Push {
    /// The `type` value, for metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Push::Snapshot(_) => "snapshot",
            Push::Position(_) => "position",
            Push::Ready(_) => "ready",
            Push::Expired { .. } => "expired",
            Push::Left {} => "left",
            Push::Paused { .. } => "paused",
            Push::Resumed {} => "resumed",
            Push::Pong {} => "pong",
            Push::Degraded {} => "degraded",
            Push::Recovered {} => "recovered",
            Push::Reservation(_) => "reservation",
            Push::Payment(_) => "payment",
            Push::SoldOut(_) => "sold_out",
            Push::SaleEnded { .. } => "sale_ended",
            Push::Announcement { .. } => "announcement",
            Push::AnnouncementWithdrawn {} => "announcement_withdrawn",
            Push::Reconnect { .. } => "reconnect",
            Push::Error { .. } => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpiredReason {
    /// No heartbeat (socket or status call) within the grace period.
    HeartbeatLost,
    /// Admitted, but enter was not called within the entry window.
    EntryWindowEnded,
    /// The store lost the place (its data was lost: a restart without persistence, a flush):
    /// join again.
    PlaceLost,
    /// An operator removed the place (a close follows; do not reconnect).
    Revoked,
}

/// A message on its way to one socket, stamped with its production time.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub push: Push,
    pub server_time: u64,
}

/// What goes down a connection's outbound queue. Messages are boxed: a queue's slots are
/// allocated 32 at a time, and an unboxed status would make that block 4.6 KiB per socket.
#[derive(Debug, Clone, PartialEq)]
pub enum Outbound {
    Message(Box<Outgoing>),
    /// Close after everything queued before it was sent.
    Close(CloseReason),
}

/// The wire form: the message with the envelope fields.
#[derive(Serialize, ToSchema)]
#[schema(as = ServerMessage)]
pub struct Envelope<'a> {
    #[serde(flatten)]
    pub push: &'a Push,
    pub seq: u64,
    pub server_time: u64,
}

/// Client → server messages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    Ping,
    Leave,
}

/// Why the server closes a socket. The close code says whether to reconnect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// The waiter left (1000; do not reconnect).
    Left,
    /// The place expired (4410; do not reconnect: join again).
    Expired,
    /// The token is unknown or malformed (4404; do not reconnect).
    TokenNotFound,
    /// A newer connection with the same token took over (4000; do not reconnect).
    Replaced,
    /// The client did not read fast enough (4001; reconnect).
    SlowConsumer,
    /// No pong within the timeout (4008; reconnect).
    PongTimeout,
    /// Too many invalid messages (1008; do not reconnect).
    PolicyViolation,
    /// A frame above the size limit (1009; do not reconnect with the same message).
    TooBig,
    /// The scheduled sale ended (4410; do not reconnect).
    SaleEnded,
    /// The node is full (1013; reconnect after `retry_after_ms`).
    TryAgainLater,
    /// The node is shutting down (1012; reconnect after `retry_after_ms`, to any replica).
    Restarting,
    /// The store failed while setting up the connection (1011; reconnect).
    ServerError,
}

impl CloseReason {
    pub fn code(self) -> u16 {
        match self {
            CloseReason::Left => 1000,
            CloseReason::Expired | CloseReason::SaleEnded => 4410,
            CloseReason::TokenNotFound => 4404,
            CloseReason::Replaced => 4000,
            CloseReason::SlowConsumer => 4001,
            CloseReason::PongTimeout => 4008,
            CloseReason::PolicyViolation => 1008,
            CloseReason::TooBig => 1009,
            CloseReason::TryAgainLater => 1013,
            CloseReason::Restarting => 1012,
            CloseReason::ServerError => 1011,
        }
    }

    /// Short label for the close frame and for metrics.
    pub fn label(self) -> &'static str {
        match self {
            CloseReason::Left => "left",
            CloseReason::Expired => "expired",
            CloseReason::SaleEnded => "sale_ended",
            CloseReason::TokenNotFound => "token_not_found",
            CloseReason::Replaced => "replaced",
            CloseReason::SlowConsumer => "slow_consumer",
            CloseReason::PongTimeout => "pong_timeout",
            CloseReason::PolicyViolation => "policy_violation",
            CloseReason::TooBig => "too_big",
            CloseReason::TryAgainLater => "try_again_later",
            CloseReason::Restarting => "restarting",
            CloseReason::ServerError => "server_error",
        }
    }

    /// Whether the waiter still holds a place that a reconnect should resume (so the grace
    /// period starts when this socket closes).
    pub fn keeps_place(self) -> bool {
        !matches!(
            self,
            CloseReason::Left
                | CloseReason::Expired
                | CloseReason::SaleEnded
                | CloseReason::TokenNotFound
                | CloseReason::Replaced
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_flattens_type_seq_and_time() {
        let push = Push::Reconnect {
            retry_after_ms: 1500,
        };
        let json = serde_json::to_value(Envelope {
            push: &push,
            seq: 3,
            server_time: 42,
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type":"reconnect","retry_after_ms":1500,"seq":3,"server_time":42})
        );
    }

    #[test]
    fn client_messages_parse_by_type() {
        let m: ClientMessage = serde_json::from_str(r#"{"type":"ping"}"#).unwrap();
        assert_eq!(m, ClientMessage::Ping);
        assert!(serde_json::from_str::<ClientMessage>(r#"{"type":"dance"}"#).is_err());
    }
}
