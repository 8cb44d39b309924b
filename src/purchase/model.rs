//! The purchase routes' JSON bodies (the seed's shapes, with the backends' real answers), typed
//! once: the routes serialise these and nothing else, and the web client's types are generated
//! from them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::integral;

use usher_proto::common::v1 as common;
use usher_proto::payment::v1 as paypb;
use usher_proto::reservation::v1 as rsvpb;

/// The enum name without its prefix: `RESERVATION_STATUS_HOLD` → `HOLD`.
fn status_name<'a>(name: &'a str, prefix: &str) -> &'a str {
    name.strip_prefix(prefix).unwrap_or(name)
}

/// A reservation status as the API spells it: `HOLD`, `CONFIRMED`, `CANCELLED`, ...
pub fn reservation_status(code: i32) -> &'static str {
    let s =
        rsvpb::ReservationStatus::try_from(code).unwrap_or(rsvpb::ReservationStatus::Unspecified);
    status_name(s.as_str_name(), "RESERVATION_STATUS_")
}

/// A payment status as the API spells it: `PENDING`, `COMPLETED`, `FAILED`, ...
pub fn payment_status(code: i32) -> &'static str {
    let s = paypb::PaymentStatus::try_from(code).unwrap_or(paypb::PaymentStatus::Unspecified);
    status_name(s.as_str_name(), "PAYMENT_STATUS_")
}

/// RFC 3339 with milliseconds, or `None` for an absent timestamp.
fn time(t: &Option<prost_types::Timestamp>) -> Option<String> {
    t.as_ref().map(|t| {
        let at = std::time::UNIX_EPOCH
            + std::time::Duration::new(
                u64::try_from(t.seconds).unwrap_or(0),
                u32::try_from(t.nanos).unwrap_or(0),
            );
        humantime::format_rfc3339_millis(at).to_string()
    })
}

/// An amount in a currency's minor units.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Money {
    pub amount: i64,
    pub currency: String,
}

impl Money {
    fn of(m: &Option<common::Money>) -> Option<Self> {
        m.as_ref().map(|m| Self {
            amount: m.amount,
            currency: m.currency.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Seat {
    pub id: String,
    pub section: String,
    pub row: String,
    pub number: String,
    #[schema(required = true)]
    pub price: Option<Money>,
}

fn seats(seats: &[common::Seat]) -> Vec<Seat> {
    seats
        .iter()
        .map(|s| Seat {
            id: s.id.clone(),
            section: s.section.clone(),
            row: s.row.clone(),
            number: s.number.clone(),
            price: Money::of(&s.price),
        })
        .collect()
}

fn seat_ids(seats: &[common::Seat]) -> Vec<String> {
    seats.iter().map(|s| s.id.clone()).collect()
}

/// `POST /api/v1/reservations`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CreateReservation {
    #[serde(default)]
    #[schema(
        required = true,
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$",
        example = "evt_2025_1001"
    )]
    pub event_id: String,
    /// The seats to hold; or none, and `quantity` seats the inventory chooses.
    #[serde(default)]
    #[schema(max_items = 8)]
    pub seat_ids: Vec<String>,
    #[serde(default, deserialize_with = "integral")]
    #[schema(minimum = 0, maximum = 8)]
    pub quantity: i32,
    /// What `POST /api/v1/queue/enter` handed out.
    #[serde(default)]
    #[schema(required = true, min_length = 1)]
    pub reservation_token: String,
}

/// `POST /api/v1/reservations` → 201.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReservationCreated {
    pub reservation_id: String,
    pub status: &'static str,
    pub event_id: String,
    pub seat_ids: Vec<String>,
    pub seats: Vec<Seat>,
    pub quantity: usize,
    pub user_id: String,
    #[schema(required = true)]
    pub hold_expires_at: Option<String>,
    #[schema(required = true)]
    pub total_amount: Option<Money>,
}

impl ReservationCreated {
    pub fn new(r: &rsvpb::CreateReservationResponse, event_id: String, user_id: String) -> Self {
        Self {
            reservation_id: r.reservation_id.clone(),
            status: reservation_status(r.status),
            event_id,
            seat_ids: seat_ids(&r.reserved_seats),
            seats: seats(&r.reserved_seats),
            quantity: r.reserved_seats.len(),
            user_id,
            hold_expires_at: time(&r.hold_expires_at),
            total_amount: Money::of(&r.total_amount),
        }
    }
}

/// `GET /api/v1/reservations/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Reservation {
    pub reservation_id: String,
    pub event_id: String,
    pub user_id: String,
    pub status: &'static str,
    pub seat_ids: Vec<String>,
    pub seats: Vec<Seat>,
    pub quantity: i32,
    #[schema(required = true)]
    pub total_amount: Option<Money>,
    #[schema(required = true)]
    pub hold_expires_at: Option<String>,
    #[schema(required = true)]
    pub created_at: Option<String>,
    #[schema(required = true)]
    pub updated_at: Option<String>,
    #[schema(required = true)]
    pub payment_intent_id: Option<String>,
    #[schema(required = true)]
    pub order_id: Option<String>,
}

impl From<&rsvpb::Reservation> for Reservation {
    fn from(r: &rsvpb::Reservation) -> Self {
        let set = |s: &String| (!s.is_empty()).then(|| s.clone());
        Self {
            reservation_id: r.reservation_id.clone(),
            event_id: r.event_id.clone(),
            user_id: r.user_id.clone(),
            status: reservation_status(r.status),
            seat_ids: seat_ids(&r.seats),
            seats: seats(&r.seats),
            quantity: r.quantity,
            total_amount: Money::of(&r.total_amount),
            hold_expires_at: time(&r.hold_expires_at),
            created_at: time(&r.created_at),
            updated_at: time(&r.updated_at),
            payment_intent_id: set(&r.payment_intent_id),
            order_id: set(&r.order_id),
        }
    }
}

/// `POST /api/v1/reservations/{id}/confirm`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ConfirmReservation {
    #[serde(default)]
    #[schema(required = true, min_length = 1)]
    pub payment_intent_id: String,
}

/// `POST /api/v1/reservations/{id}/confirm` → 200.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Confirmed {
    pub reservation_id: String,
    pub order_id: String,
    pub status: &'static str,
    #[schema(required = true)]
    pub confirmed_at: Option<String>,
    pub seats: Vec<Seat>,
}

impl Confirmed {
    pub fn new(id: String, r: &rsvpb::ConfirmReservationResponse) -> Self {
        Self {
            reservation_id: id,
            order_id: r.order_id.clone(),
            status: reservation_status(r.status),
            confirmed_at: time(&r.confirmed_at),
            seats: seats(&r.confirmed_seats),
        }
    }
}

/// `POST /api/v1/reservations/{id}/cancel` → 200.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Cancelled {
    pub reservation_id: String,
    pub status: &'static str,
    #[schema(required = true)]
    pub cancelled_at: Option<String>,
    pub released_seats: Vec<Seat>,
}

impl Cancelled {
    pub fn new(id: String, r: &rsvpb::CancelReservationResponse) -> Self {
        Self {
            reservation_id: id,
            status: reservation_status(r.status),
            cancelled_at: time(&r.cancelled_at),
            released_seats: seats(&r.released_seats),
        }
    }
}

/// One section's seats.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SectionAvailability {
    pub id: String,
    pub remain: i32,
    pub total: i32,
    #[schema(required = true)]
    pub price: Option<Money>,
}

/// `GET /api/v1/events/{id}/availability`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Availability {
    pub event_id: String,
    pub remaining: i32,
    pub total: i32,
    pub held: i32,
    pub sold: i32,
    pub sections: Vec<SectionAvailability>,
}

impl Availability {
    pub fn new(event_id: String, r: &rsvpb::GetInventoryStatusResponse) -> Self {
        let stats = r.stats.unwrap_or_default();
        Self {
            event_id,
            remaining: stats.available_seats,
            total: stats.total_seats,
            held: stats.reserved_seats,
            sold: stats.sold_seats,
            sections: r
                .sections
                .iter()
                .map(|s| SectionAvailability {
                    id: s.section_id.clone(),
                    remain: s.available_seats,
                    total: s.total_seats,
                    price: Money::of(&s.min_price),
                })
                .collect(),
        }
    }
}

/// `POST /api/v1/payment/intent`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CreateIntent {
    #[serde(default)]
    #[schema(required = true, min_length = 1)]
    pub reservation_id: String,
    /// The reservation's total, in the currency's minor units.
    #[serde(default, deserialize_with = "integral")]
    #[schema(required = true, minimum = 1)]
    pub amount: i64,
    #[serde(default)]
    pub currency: Option<String>,
    /// The simulator's scenarios.
    #[serde(default)]
    #[schema(pattern = "^(approve|fail|delay|random|timeout)$")]
    pub scenario: Option<String>,
}

/// `POST /api/v1/payment/intent` → 200.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PaymentIntent {
    pub payment_intent_id: String,
    pub status: &'static str,
    pub amount: i64,
    pub currency: String,
    pub reservation_id: String,
    pub client_secret: String,
    #[schema(required = true)]
    pub expires_at: Option<String>,
}

impl PaymentIntent {
    pub fn new(
        r: &paypb::CreatePaymentIntentResponse,
        amount: i64,
        currency: String,
        reservation_id: String,
    ) -> Self {
        Self {
            payment_intent_id: r.payment_intent_id.clone(),
            status: payment_status(r.status),
            amount,
            currency,
            reservation_id,
            client_secret: r.client_secret.clone(),
            expires_at: time(&r.expires_at),
        }
    }
}

/// `GET /api/v1/payment/{id}/status`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Payment {
    pub payment_intent_id: String,
    pub status: &'static str,
    pub amount: i64,
    pub currency: String,
    pub reservation_id: String,
    #[schema(required = true)]
    pub transaction_id: Option<String>,
    #[schema(required = true)]
    pub processed_at: Option<String>,
}

impl From<&paypb::Payment> for Payment {
    fn from(p: &paypb::Payment) -> Self {
        let m = p.amount.clone().unwrap_or_default();
        Self {
            payment_intent_id: p.payment_intent_id.clone(),
            status: payment_status(p.status),
            amount: m.amount,
            currency: m.currency,
            reservation_id: p.reservation_id.clone(),
            transaction_id: (!p.transaction_id.is_empty()).then(|| p.transaction_id.clone()),
            processed_at: time(&p.processed_at),
        }
    }
}

/// `POST /api/v1/payment/process`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProcessPayment {
    #[serde(default)]
    #[schema(required = true, min_length = 1)]
    pub payment_intent_id: String,
    /// `approve` (the default) or `fail`.
    #[serde(default)]
    #[schema(pattern = "^(approve|fail)$")]
    pub action: Option<String>,
}

/// `POST /api/v1/payment/process` → 200.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Processed {
    pub payment_intent_id: String,
    pub status: &'static str,
    pub action: String,
    pub transaction_id: String,
    pub message: &'static str,
}

/// What a webhook did to the reservation it pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    Confirmed,
    /// Paid, but the reservation could not be confirmed (a hold that had expired: refunded).
    NotConfirmed,
    /// The payment failed: the hold is released.
    Failed,
}

/// What the payment webhook answers.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum WebhookAnswer {
    /// The outcome it caused, with the order of a confirmed reservation.
    Settled {
        status: Settlement,
        #[schema(required = true)]
        order_id: Option<String>,
    },
    /// Nothing was done (`duplicate`, `not_confirmed`, `not_failed`), with the reason when
    /// there is one; a later delivery of a webhook that was not final runs again.
    Skipped {
        status: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schema(nullable = false)]
        reason: Option<&'static str>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_render_with_their_currency_and_statuses_without_their_prefix() {
        let m = Some(common::Money {
            amount: 1000,
            currency: "KRW".into(),
        });
        assert_eq!(
            serde_json::to_value(Money::of(&m)).unwrap(),
            serde_json::json!({"amount": 1000, "currency": "KRW"})
        );
        assert_eq!(
            reservation_status(rsvpb::ReservationStatus::Hold as i32),
            "HOLD"
        );
        assert_eq!(
            payment_status(paypb::PaymentStatus::Completed as i32),
            "COMPLETED"
        );
    }
}
