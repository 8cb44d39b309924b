//! The purchase path, between the routes and the backends' gRPC clients ([`crate::upstream`]):
//! reservations behind the reservation token `enter` issued, payments, the payment webhook that
//! confirms or releases what it pays for, and the outcomes pushed to the buyer's socket.
//!
//! Every operation takes typed input and returns a typed body ([`model`]) or its own error
//! enum; the routes in [`crate::http`] only read requests and write responses, and
//! [`crate::error`] maps every error to the seed's envelope.
//!
//! - [`model`]: the JSON bodies;
//! - [`webhook`]: the payment webhook;
//! - [`backend_events`]: outcomes no webhook reports (an expired hold, a refund, sold out),
//!   from the embedded backends.

pub mod backend_events;
pub mod catalog;
pub mod guard;
pub mod model;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use tonic::Status;

use crate::auth::User;
use crate::auth::reservation_token::ReservationTokens;
use crate::config::Secret;
use crate::domain::{Caller, EventId, WaitingToken};
use crate::protocol::Notice;
use crate::store::{
    Attempt, IdempotencyBegin, IdempotencyStore, StoreError, StoredResponse, UpdateBus,
};
use crate::upstream::{Fresh, Resource, UpstreamError, Upstreams, read_twice};
use model::{
    Availability, Cancelled, Confirmed, CreateIntent, CreateReservation, Payment, PaymentIntent,
    Processed, Reservation, ReservationCreated,
};
use usher_proto::common::v1::{ErrorCode, Money};
use usher_proto::payment::ACTION_METADATA;
use usher_proto::payment::v1 as paypb;
use usher_proto::reservation::v1 as rsvpb;

/// Most seats one request may name.
pub const MAX_SEATS: usize = 10;
/// How long a spent reservation token's id is remembered beyond its own expiry.
const SPENT_MARGIN_MS: u64 = 60_000;

/// Why `POST /api/v1/reservations` made no reservation.
#[derive(Debug, thiserror::Error)]
pub enum ReserveError {
    #[error("event_id is required")]
    MissingEventId,
    #[error("Either seat_ids or quantity must be provided")]
    MissingSeats,
    #[error("at most {MAX_SEATS} seats per reservation")]
    TooManySeats,
    #[error("A reservation token from /api/v1/queue/enter is required")]
    TokenRequired,
    #[error("The reservation token is invalid or expired")]
    InvalidToken,
    #[error("The reservation token is for another event")]
    TokenForAnotherEvent,
    #[error("The reservation token is being used by another request")]
    TokenInUse,
    #[error("The reservation token was already used")]
    TokenUsed,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
}

/// Why `POST /api/v1/reservations/{id}/confirm` confirmed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    #[error("payment_intent_id is required")]
    MissingPaymentIntentId,
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
}

/// Why `POST /api/v1/payment/intent` created no intent.
#[derive(Debug, thiserror::Error)]
pub enum IntentError {
    #[error("reservation_id is required")]
    MissingReservationId,
    #[error("amount must be above 0")]
    InvalidAmount,
    #[error("scenario must be approve, fail, delay, random or timeout")]
    InvalidScenario,
    /// The amount is not the reservation's total.
    #[error("the reservation costs {amount} {currency}")]
    AmountMismatch { amount: i64, currency: String },
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
}

/// Why `POST /api/v1/payment/process` settled nothing.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("payment_intent_id is required")]
    MissingPaymentIntentId,
    #[error("action must be approve or fail")]
    InvalidAction,
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
}

/// A backend answer without the record it was asked for: the backend does not know it.
fn not_found(resource: Resource, what: &str) -> UpstreamError {
    UpstreamError::InBand {
        code: ErrorCode::NotFound,
        message: format!("{what} not found"),
        resource,
    }
}

fn scenario(name: Option<&str>) -> Result<paypb::PaymentScenario, IntentError> {
    Ok(match name.unwrap_or("approve") {
        "approve" => paypb::PaymentScenario::Approve,
        "fail" => paypb::PaymentScenario::Fail,
        "delay" => paypb::PaymentScenario::Delay,
        "random" => paypb::PaymentScenario::Random,
        "timeout" => paypb::PaymentScenario::Timeout,
        _ => return Err(IntentError::InvalidScenario),
    })
}

/// What a reservation request carries besides its body.
pub struct RequestContext<'a> {
    /// The request's `Idempotency-Key`, forwarded to the backend.
    pub idempotency_key: String,
    /// The client's `User-Agent`, recorded with the reservation.
    pub user_agent: &'a str,
}

/// The purchase operations. Cheap to clone.
#[derive(Clone)]
pub struct PurchaseService {
    upstream: Upstreams,
    tokens: Arc<ReservationTokens>,
    /// Spent reservation tokens and handled webhooks.
    claims: Arc<dyn IdempotencyStore>,
    /// Where outcomes for a buyer's socket are published, for whichever node holds it.
    bus: Arc<dyn UpdateBus>,
    /// Where the payment service posts its webhooks (this gateway's own route).
    webhook_url: String,
    webhook_secret: Secret,
    /// Events' inventory status, read at most once a second per event on this node however
    /// many buyers look at it.
    inventory: Arc<SeatCounts>,
}

/// This node's recent inventory answers, and how many it had to read.
pub struct SeatCounts {
    fresh: Fresh<EventId, Arc<rsvpb::GetInventoryStatusResponse>>,
    reads: prometheus::IntCounter,
}

impl SeatCounts {
    /// Answers kept `ttl`; each read from the inventory counted in `reads`.
    pub fn new(ttl: Duration, reads: prometheus::IntCounter) -> Self {
        Self {
            fresh: Fresh::new(INVENTORY_CACHE_EVENTS, ttl),
            reads,
        }
    }
}

/// How many events' inventory status a node keeps at once.
const INVENTORY_CACHE_EVENTS: usize = 1_024;

/// Most reservations "my orders" lists, newest first.
pub const MAX_LISTED_RESERVATIONS: usize = 100;

impl PurchaseService {
    pub fn new(
        upstream: Upstreams,
        tokens: Arc<ReservationTokens>,
        claims: Arc<dyn IdempotencyStore>,
        bus: Arc<dyn UpdateBus>,
        webhook_url: String,
        webhook_secret: Secret,
        inventory: SeatCounts,
    ) -> Self {
        Self {
            upstream,
            tokens,
            claims,
            bus,
            webhook_url,
            webhook_secret,
            inventory: Arc::new(inventory),
        }
    }

    /// Holds seats for `user`, spending the reservation token `enter` issued: signed by this
    /// gateway, unexpired, for the same event, and unused. Its id is claimed in the store while
    /// the reservation is being made: a reservation that succeeds keeps the claim (the token
    /// is spent); one that fails releases it, so the buyer may try other seats while the token
    /// lives.
    pub async fn reserve(
        &self,
        user: &User,
        body: CreateReservation,
        cx: RequestContext<'_>,
    ) -> Result<ReservationCreated, ReserveError> {
        if body.event_id.is_empty() {
            return Err(ReserveError::MissingEventId);
        }
        if body.seat_ids.is_empty() && body.quantity <= 0 {
            return Err(ReserveError::MissingSeats);
        }
        let event = body.event_id.clone();
        if body.seat_ids.len() > MAX_SEATS || body.quantity > MAX_SEATS as i32 {
            return Err(ReserveError::TooManySeats);
        }
        if body.reservation_token.is_empty() {
            return Err(ReserveError::TokenRequired);
        }
        let claims = self
            .tokens
            .verify(&body.reservation_token)
            .map_err(|_| ReserveError::InvalidToken)?;
        if claims.event_id != body.event_id {
            return Err(ReserveError::TokenForAnotherEvent);
        }
        // Claim the token for this request; a success keeps the claim for good.
        let claim = format!("rsvtoken:{}", claims.jti);
        let attempt = Attempt::new(&*self.claims, &claim);
        // Until every copy of this grant has expired (a buyer who enters again within the entry
        // window gets the same grant re-signed).
        let keep_ms = claims
            .exp
            .max(claims.regrant_until)
            .saturating_mul(1_000)
            .saturating_sub(crate::clock::now_ms())
            + SPENT_MARGIN_MS;
        match attempt.begin(&user.id, keep_ms).await? {
            IdempotencyBegin::Started => {}
            IdempotencyBegin::InFlight | IdempotencyBegin::Released => {
                return Err(ReserveError::TokenInUse);
            }
            IdempotencyBegin::Conflict | IdempotencyBegin::Replay(_) => {
                return Err(ReserveError::TokenUsed);
            }
        }
        let request = rsvpb::CreateReservationRequest {
            event_id: body.event_id.clone(),
            seat_ids: body.seat_ids,
            quantity: body.quantity.max(0),
            user_id: user.id.clone(),
            reservation_token: body.reservation_token,
            idempotency_key: cx.idempotency_key,
            metadata: Some(rsvpb::ReservationMetadata {
                source: "api".into(),
                user_agent: cx.user_agent.chars().take(256).collect(),
                // The waiting token: where outcomes of this reservation are pushed.
                session_id: claims.sub,
                ..Default::default()
            }),
        };
        let mut client = self.upstream.reservation.clone();
        let result = self
            .upstream
            .call(
                Resource::Reservation,
                client.create_reservation(self.upstream.for_reservation(request)),
            )
            .await;
        // Held or refused (a refusal may mean the counts were stale), this node's buyers see the
        // new counts at once; other nodes' within their cache period.
        self.seats_changed(&event);
        let r = match result {
            Ok(r) => r,
            Err(e) => {
                if let Err(err) = attempt.release().await {
                    tracing::warn!(error = %err, "could not release a reservation token claim");
                }
                return Err(e.into());
            }
        };
        let spent = StoredResponse {
            status: 201,
            content_type: None,
            body: r.reservation_id.clone().into_bytes(),
        };
        if let Err(err) = self.claims.idempotency_finish(&claim, spent, keep_ms).await {
            tracing::warn!(error = %err, "could not record a spent reservation token");
        }
        Ok(ReservationCreated::new(&r, body.event_id, user.id.clone()))
    }

    /// A reservation, as `caller` may see it (its buyer, or the payment service).
    async fn fetch(&self, id: &str, caller: &Caller) -> Result<rsvpb::Reservation, UpstreamError> {
        let call = || {
            let mut client = self.upstream.reservation.clone();
            let req = self.upstream.for_reservation_as(
                caller,
                rsvpb::GetReservationRequest {
                    reservation_id: id.to_owned(),
                    user_id: caller.user_id().to_owned(),
                },
            );
            async move { client.get_reservation(req).await }
        };
        self.upstream
            .call(Resource::Reservation, read_twice(call))
            .await?
            .reservation
            .ok_or_else(|| not_found(Resource::Reservation, "reservation"))
    }

    /// The buyer's own reservation.
    pub async fn reservation(&self, user: &User, id: &str) -> Result<Reservation, UpstreamError> {
        Ok(Reservation::from(&self.fetch(id, &user.caller()).await?))
    }

    /// Confirms a reservation once its payment completed.
    pub async fn confirm(
        &self,
        user: &User,
        id: String,
        body: model::ConfirmReservation,
        idempotency_key: String,
    ) -> Result<Confirmed, ConfirmError> {
        if body.payment_intent_id.is_empty() {
            return Err(ConfirmError::MissingPaymentIntentId);
        }
        let r = self
            .confirm_call(
                &id,
                &body.payment_intent_id,
                &user.caller(),
                idempotency_key,
            )
            .await?;
        Ok(Confirmed::new(id, &r))
    }

    /// ConfirmReservation, for a buyer or for the payment webhook.
    async fn confirm_call(
        &self,
        id: &str,
        intent: &str,
        caller: &Caller,
        idempotency_key: String,
    ) -> Result<rsvpb::ConfirmReservationResponse, UpstreamError> {
        let req = rsvpb::ConfirmReservationRequest {
            reservation_id: id.to_owned(),
            payment_intent_id: intent.to_owned(),
            user_id: caller.user_id().to_owned(),
            idempotency_key,
        };
        let mut client = self.upstream.reservation.clone();
        self.upstream
            .call(
                Resource::Reservation,
                client.confirm_reservation(self.upstream.for_reservation_as(caller, req)),
            )
            .await
    }

    /// Cancels the buyer's own hold.
    pub async fn cancel(&self, user: &User, id: String) -> Result<Cancelled, UpstreamError> {
        let req = rsvpb::CancelReservationRequest {
            reservation_id: id.clone(),
            user_id: user.id.clone(),
            reason: "cancelled by the buyer".into(),
            ..Default::default()
        };
        let mut client = self.upstream.reservation.clone();
        let r = self
            .upstream
            .call(
                Resource::Reservation,
                client.cancel_reservation(self.upstream.for_reservation(req)),
            )
            .await?;
        // The answer does not name the event: every cached count may be stale.
        self.inventory.fresh.clear();
        Ok(Cancelled::new(id, &r))
    }

    /// Seats of `event` changed through this node (held, released, sold): its cached counts go.
    fn seats_changed(&self, event: &str) {
        if let Ok(event) = EventId::parse(event) {
            self.inventory.fresh.forget(&event);
        }
    }

    /// An event's inventory status (counts, sections, description), at most about a second
    /// old (`USHER_AVAILABILITY_CACHE_MS`): concurrent readers share one backend call.
    pub async fn inventory(
        &self,
        event: &EventId,
    ) -> Result<Arc<rsvpb::GetInventoryStatusResponse>, UpstreamError> {
        let fetch = async {
            self.inventory.reads.inc();
            self.upstream
                .call(
                    Resource::Event,
                    self.upstream.inventory_status(event.as_str()),
                )
                .await
                .map(Arc::new)
        };
        self.inventory.fresh.get(event, fetch).await
    }

    /// Seats left in an event, by section.
    pub async fn availability(&self, event: &EventId) -> Result<Availability, UpstreamError> {
        let r = self.inventory(event).await?;
        Ok(Availability::new(event.to_string(), &r))
    }

    /// The buyer's reservations, newest first (at most [`MAX_LISTED_RESERVATIONS`]).
    pub async fn reservations(&self, user: &User) -> Result<Vec<Reservation>, UpstreamError> {
        let caller = user.caller();
        let call = || {
            let mut client = self.upstream.reservation.clone();
            let req = self.upstream.for_reservation_as(
                &caller,
                rsvpb::ListReservationsRequest {
                    user_id: caller.user_id().to_owned(),
                    ..Default::default()
                },
            );
            async move { client.list_reservations(req).await }
        };
        let mut list: Vec<Reservation> = self
            .upstream
            .call(Resource::Reservation, read_twice(call))
            .await?
            .reservations
            .iter()
            // Another buyer's never, whatever the backend answers.
            .filter(|r| r.user_id == user.id)
            .map(Reservation::from)
            .collect();
        list.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        list.truncate(MAX_LISTED_RESERVATIONS);
        Ok(list)
    }

    /// A pending payment intent for the buyer's own reservation, for exactly its total.
    pub async fn create_intent(
        &self,
        user: &User,
        body: CreateIntent,
        idempotency_key: String,
    ) -> Result<PaymentIntent, IntentError> {
        if body.reservation_id.is_empty() {
            return Err(IntentError::MissingReservationId);
        }
        if body.amount <= 0 {
            return Err(IntentError::InvalidAmount);
        }
        let scenario = scenario(body.scenario.as_deref())?;
        let currency = body.currency.unwrap_or_else(|| "KRW".into());
        let reservation = self.fetch(&body.reservation_id, &user.caller()).await?;
        let total = reservation.total_amount.unwrap_or_default();
        if total.amount != body.amount || total.currency != currency {
            return Err(IntentError::AmountMismatch {
                amount: total.amount,
                currency: total.currency,
            });
        }
        let req = paypb::CreatePaymentIntentRequest {
            reservation_id: body.reservation_id.clone(),
            amount: Some(Money {
                amount: body.amount,
                currency: currency.clone(),
            }),
            user_id: user.id.clone(),
            method: paypb::PaymentMethod::CreditCard as i32,
            scenario: scenario as i32,
            webhook_url: self.webhook_url.clone(),
            idempotency_key,
            metadata: None,
        };
        let mut client = self.upstream.payment.clone();
        let r = self
            .upstream
            .call(
                Resource::Payment,
                client.create_payment_intent(self.upstream.for_payment(req)),
            )
            .await?;
        Ok(PaymentIntent::new(
            &r,
            body.amount,
            currency,
            body.reservation_id,
        ))
    }

    /// A payment, as `caller` may see it.
    async fn payment_of(&self, id: &str, caller: &Caller) -> Result<paypb::Payment, UpstreamError> {
        let call = || {
            let mut client = self.upstream.payment.clone();
            let req = self.upstream.for_payment_as(
                caller,
                paypb::GetPaymentStatusRequest {
                    payment_intent_id: id.to_owned(),
                    user_id: caller.user_id().to_owned(),
                },
            );
            async move { client.get_payment_status(req).await }
        };
        self.upstream
            .call(Resource::Payment, read_twice(call))
            .await?
            .payment
            .ok_or_else(|| not_found(Resource::Payment, "payment"))
    }

    /// The buyer's own payment, as the payment service has it.
    pub async fn payment(&self, user: &User, id: &str) -> Result<Payment, UpstreamError> {
        Ok(Payment::from(&self.payment_of(id, &user.caller()).await?))
    }

    /// Settles the buyer's own pending payment now (`approve` or `fail`; the action reaches
    /// the simulator, unlike in the seed).
    pub async fn process(
        &self,
        user: &User,
        body: model::ProcessPayment,
    ) -> Result<Processed, ProcessError> {
        if body.payment_intent_id.is_empty() {
            return Err(ProcessError::MissingPaymentIntentId);
        }
        let action = body.action.unwrap_or_else(|| "approve".into());
        if action != "approve" && action != "fail" {
            return Err(ProcessError::InvalidAction);
        }
        // Ownership first: only the payer may settle a payment.
        self.payment_of(&body.payment_intent_id, &user.caller())
            .await?;
        let mut req = self.upstream.for_payment(paypb::ProcessPaymentRequest {
            payment_intent_id: body.payment_intent_id.clone(),
            ..Default::default()
        });
        req.metadata_mut()
            .insert(ACTION_METADATA, action.parse().expect("ASCII"));
        let mut client = self.upstream.payment.clone();
        let r = self
            .upstream
            .call(Resource::Payment, client.process_payment(req))
            .await?;
        Ok(Processed {
            payment_intent_id: body.payment_intent_id,
            status: model::payment_status(r.status),
            action,
            transaction_id: r.transaction_id,
            message: "Payment processed",
        })
    }

    /// Publishes outcomes for a buyer's socket (or, with no token, every socket of the event),
    /// on whichever node holds it.
    pub async fn notify(
        &self,
        event: &str,
        token: Option<WaitingToken>,
        notices: &[Notice],
    ) -> Result<(), StoreError> {
        self.seats_changed(event);
        let event = EventId::parse(event)
            .map_err(|_| StoreError::Corrupt(format!("invalid event id {event}")))?;
        for notice in notices {
            self.bus.notify(&event, token, notice).await?;
        }
        Ok(())
    }

    /// CancelReservation as the payment service; its answer is not needed (the reference
    /// backends have already failed the reservation, others may need this).
    async fn release_for_payment_service(&self, id: &str) -> Result<(), Status> {
        let req = rsvpb::CancelReservationRequest {
            reservation_id: id.to_owned(),
            reason: "payment failed".into(),
            ..Default::default()
        };
        self.upstream
            .reservation
            .clone()
            .cancel_reservation(
                self.upstream
                    .for_reservation_as(&Caller::PaymentService, req),
            )
            .await
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_parse_and_unknown_ones_are_refused() {
        assert_eq!(scenario(None).unwrap(), paypb::PaymentScenario::Approve);
        assert_eq!(
            scenario(Some("timeout")).unwrap(),
            paypb::PaymentScenario::Timeout
        );
        assert!(matches!(
            scenario(Some("steal")),
            Err(IntentError::InvalidScenario)
        ));
    }
}
