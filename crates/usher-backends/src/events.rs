//! The backends' in-process event bus, which replaces the seed's event bus, queue and worker:
//! the reservation service follows payment outcomes on it (a failed payment fails its
//! reservation; a payment approved after its reservation ended is refunded), and an embedding
//! gateway follows it to push what no webhook reports.

use serde::Serialize;
use usher_proto::payment::v1 as paypb;
use usher_proto::reservation::v1 as rsvpb;

use crate::clock::now_ms;

/// Events buffered for a slow follower before it is told it lagged.
pub(crate) const BUS_CAPACITY: usize = 4_096;

/// What happened in the backends, for whoever follows them (the reservation service itself,
/// and the embedding gateway's WebSocket pushes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EventKind {
    #[serde(rename = "reservation.created")]
    ReservationCreated,
    #[serde(rename = "reservation.confirmed")]
    ReservationConfirmed,
    #[serde(rename = "reservation.cancelled")]
    ReservationCancelled,
    #[serde(rename = "reservation.expired")]
    ReservationExpired,
    #[serde(rename = "reservation.failed")]
    ReservationFailed,
    #[serde(rename = "payment.approved")]
    PaymentApproved,
    #[serde(rename = "payment.failed")]
    PaymentFailed,
    #[serde(rename = "payment.refunded")]
    PaymentRefunded,
}

/// One backend event.
#[derive(Debug, Clone, Serialize)]
pub struct BackendEvent {
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub reservation_id: String,
    pub user_id: String,
    pub event_id: Option<String>,
    pub payment_intent_id: Option<String>,
    pub order_id: Option<String>,
    pub at_ms: u64,
}

impl BackendEvent {
    pub(crate) fn reservation(kind: EventKind, r: &rsvpb::Reservation) -> Self {
        Self {
            kind,
            reservation_id: r.reservation_id.clone(),
            user_id: r.user_id.clone(),
            event_id: Some(r.event_id.clone()),
            payment_intent_id: (!r.payment_intent_id.is_empty())
                .then(|| r.payment_intent_id.clone()),
            order_id: (!r.order_id.is_empty()).then(|| r.order_id.clone()),
            at_ms: now_ms(),
        }
    }

    pub(crate) fn payment(kind: EventKind, p: &paypb::Payment) -> Self {
        Self {
            kind,
            reservation_id: p.reservation_id.clone(),
            user_id: p.user_id.clone(),
            event_id: None,
            payment_intent_id: Some(p.payment_intent_id.clone()),
            order_id: None,
            at_ms: now_ms(),
        }
    }
}
