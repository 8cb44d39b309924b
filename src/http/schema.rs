//! The one schema source of the API's JSON: every REST body and every WebSocket message, as
//! the Rust types serialise them (utoipa). The web client's TypeScript types are generated from
//! it (`web-client/src/api/schema.json` → `schema.d.ts`, by openapi-typescript), and tests fail
//! when either falls behind the code.

use utoipa::OpenApi;

use super::admin::{ConfigBody, EventSettings, EventStats};
use super::auth::{LoginBody, RegisterBody, Session};
use super::queue::{EnterBody, JoinBody, Left};
use super::system::{Health, Version};
use crate::error::{ErrorBody, ErrorDetail};
use crate::protocol::{
    ClientMessage, Envelope, ExpiredReason, PaymentNotice, PaymentOutcome, Push, QueueStatus,
    ReservationNotice, ReservationOutcome, SoldOutNotice,
};
use crate::purchase::model::{
    Availability, Cancelled, ConfirmReservation, Confirmed, CreateIntent, CreateReservation, Money,
    Payment, PaymentIntent, ProcessPayment, Processed, Reservation, ReservationCreated, Seat,
    SectionAvailability, Settlement, WebhookAnswer,
};
use crate::queue::{Granted, Joined};
use crate::store::EventConfig;

#[derive(OpenApi)]
#[openapi(
    info(title = "usher", description = "The bodies of usher's API and WebSocket messages."),
    components(schemas(
        // Queue.
        JoinBody, Joined, QueueStatus, EnterBody, Granted, Left,
        // WebSocket.
        Envelope, Push, ClientMessage, ExpiredReason,
        ReservationNotice, ReservationOutcome, PaymentNotice, PaymentOutcome, SoldOutNotice,
        // Accounts.
        RegisterBody, LoginBody, Session,
        // Purchase.
        CreateReservation, ReservationCreated, Reservation, Seat, Money, ConfirmReservation,
        Confirmed, Cancelled, Availability, SectionAvailability, CreateIntent, PaymentIntent,
        Payment, ProcessPayment, Processed, WebhookAnswer, Settlement,
        // Admin and operations.
        ConfigBody, EventSettings, EventStats, EventConfig, Health, Version,
        // Errors.
        ErrorBody, ErrorDetail,
    ))
)]
struct Schemas;

/// The schema document, as committed in `web-client/src/api/schema.json`.
pub fn document() -> String {
    let mut doc = Schemas::openapi();
    // The document describes bodies, not a release: no version to go stale.
    doc.info.version = String::new();
    doc.to_pretty_json().expect("schemas serialise") + "\n"
}
