//! Reservation and availability routes, served by calling the reservation and inventory
//! services over gRPC (the seed's REST shapes, with the backend's real answers).
//!
//! `POST /reservations` demands the reservation token `enter` issued: signed by this gateway,
//! unexpired, for the same event, and unused. Its id is claimed in the store while the
//! reservation is being made: a reservation that succeeds keeps the claim (the token is spent);
//! one that fails releases it, so the buyer may try other seats while the token lives.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use usher_proto::common::v1::{Money, Seat};
use usher_proto::reservation::v1 as pb;

use super::error::{ApiError, ApiJson};
use super::{AppState, idempotency};
use crate::auth::User;
use crate::domain::Caller;
use crate::store::{IdempotencyBegin, StoredResponse};
use crate::upstream::{Resource, answer, read_twice};

/// Most seats one request may name.
const MAX_SEATS: usize = 10;
/// How long a spent reservation token's id is remembered beyond its own expiry.
const SPENT_MARGIN_MS: u64 = 60_000;

#[derive(Debug, Deserialize)]
pub struct CreateBody {
    #[serde(default)]
    pub event_id: String,
    #[serde(default)]
    pub seat_ids: Vec<String>,
    #[serde(default)]
    pub quantity: i32,
    #[serde(default)]
    pub reservation_token: String,
}

#[derive(Debug, Deserialize)]
pub struct ConfirmBody {
    #[serde(default)]
    pub payment_intent_id: String,
}

/// The enum name without its prefix: `RESERVATION_STATUS_HOLD` → `HOLD`.
pub(crate) fn status_name<'a>(name: &'a str, prefix: &str) -> &'a str {
    name.strip_prefix(prefix).unwrap_or(name)
}

fn reservation_status(code: i32) -> &'static str {
    let s = pb::ReservationStatus::try_from(code).unwrap_or(pb::ReservationStatus::Unspecified);
    status_name(s.as_str_name(), "RESERVATION_STATUS_")
}

pub(crate) fn money(m: &Option<Money>) -> Value {
    m.as_ref().map_or(
        Value::Null,
        |m| json!({"amount": m.amount, "currency": m.currency}),
    )
}

pub(crate) fn time(t: &Option<prost_types::Timestamp>) -> Value {
    t.as_ref().map_or(Value::Null, |t| {
        let at = std::time::UNIX_EPOCH
            + std::time::Duration::new(
                u64::try_from(t.seconds).unwrap_or(0),
                u32::try_from(t.nanos).unwrap_or(0),
            );
        json!(humantime::format_rfc3339_millis(at).to_string())
    })
}

fn seats(seats: &[Seat]) -> Value {
    seats
        .iter()
        .map(|s| json!({"id": s.id, "section": s.section, "row": s.row, "number": s.number, "price": money(&s.price)}))
        .collect()
}

fn reservation_json(r: &pb::Reservation) -> Value {
    json!({
        "reservation_id": r.reservation_id,
        "event_id": r.event_id,
        "user_id": r.user_id,
        "status": reservation_status(r.status),
        "seat_ids": r.seats.iter().map(|s| &s.id).collect::<Vec<_>>(),
        "seats": seats(&r.seats),
        "quantity": r.quantity,
        "total_amount": money(&r.total_amount),
        "hold_expires_at": time(&r.hold_expires_at),
        "created_at": time(&r.created_at),
        "updated_at": time(&r.updated_at),
        "payment_intent_id": (!r.payment_intent_id.is_empty()).then_some(&r.payment_intent_id),
        "order_id": (!r.order_id.is_empty()).then_some(&r.order_id),
    })
}

fn forbidden_token(message: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "INVALID_RESERVATION_TOKEN", message)
}

/// `POST /api/v1/reservations` → 201.
pub async fn create(
    State(app): State<AppState>,
    user: User,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if body.event_id.is_empty() {
        return Err(ApiError::bad_request(
            "MISSING_EVENT_ID",
            "event_id is required",
        ));
    }
    if body.seat_ids.is_empty() && body.quantity <= 0 {
        return Err(ApiError::bad_request(
            "MISSING_SEATS",
            "Either seat_ids or quantity must be provided",
        ));
    }
    if body.seat_ids.len() > MAX_SEATS || body.quantity > MAX_SEATS as i32 {
        return Err(ApiError::invalid_request(format!(
            "at most {MAX_SEATS} seats per reservation"
        )));
    }
    if body.reservation_token.is_empty() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "RESERVATION_TOKEN_REQUIRED",
            "A reservation token from /api/v1/queue/enter is required",
        ));
    }
    let claims = app
        .reservation_tokens
        .verify(&body.reservation_token)
        .map_err(|_| forbidden_token("The reservation token is invalid or expired"))?;
    if claims.event_id != body.event_id {
        return Err(forbidden_token(
            "The reservation token is for another event",
        ));
    }
    // Claim the token for this request; a success keeps the claim for good.
    let claim = format!("rsvtoken:{}", claims.jti);
    let keep_ms = claims
        .exp
        .saturating_mul(1_000)
        .saturating_sub(crate::hub::now_ms())
        + SPENT_MARGIN_MS;
    match app
        .store
        .idempotency_begin(&claim, &user.id, keep_ms)
        .await
        .map_err(|_| ApiError::store_unavailable())?
    {
        IdempotencyBegin::Started => {}
        IdempotencyBegin::InFlight => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "RESERVATION_TOKEN_IN_USE",
                "The reservation token is being used by another request",
            ));
        }
        IdempotencyBegin::Conflict | IdempotencyBegin::Replay(_) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "RESERVATION_TOKEN_USED",
                "The reservation token was already used",
            ));
        }
    }
    let request = pb::CreateReservationRequest {
        event_id: body.event_id.clone(),
        seat_ids: body.seat_ids.clone(),
        quantity: body.quantity.max(0),
        user_id: user.id.clone(),
        reservation_token: body.reservation_token.clone(),
        idempotency_key: idempotency::key_of(&headers),
        metadata: Some(pb::ReservationMetadata {
            source: "api".into(),
            user_agent: headers
                .get(axum::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .chars()
                .take(256)
                .collect(),
            // The waiting token: where outcomes of this reservation are pushed.
            session_id: claims.sub.clone(),
            ..Default::default()
        }),
    };
    let result = app
        .upstream
        .reservation
        .clone()
        .create_reservation(app.upstream.for_reservation(request))
        .await;
    let r = match answer(result, Resource::Reservation) {
        Ok(r) => r,
        Err(e) => {
            if let Err(err) = app.store.idempotency_release(&claim).await {
                tracing::warn!(error = %err, "could not release a reservation token claim");
            }
            return Err(e);
        }
    };
    let spent = StoredResponse {
        status: 201,
        content_type: None,
        body: r.reservation_id.clone().into_bytes(),
    };
    if let Err(err) = app.store.idempotency_finish(&claim, spent, keep_ms).await {
        tracing::warn!(error = %err, "could not record a spent reservation token");
    }
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "reservation_id": r.reservation_id,
            "status": reservation_status(r.status),
            "event_id": body.event_id,
            "seat_ids": r.reserved_seats.iter().map(|s| &s.id).collect::<Vec<_>>(),
            "seats": seats(&r.reserved_seats),
            "quantity": r.reserved_seats.len(),
            "user_id": user.id,
            "hold_expires_at": time(&r.hold_expires_at),
            "total_amount": money(&r.total_amount),
        })),
    ))
}

/// A reservation of `user`, from the reservation service.
pub(crate) async fn fetch(
    app: &AppState,
    id: &str,
    caller: &Caller,
) -> Result<pb::Reservation, ApiError> {
    let call = || {
        let mut client = app.upstream.reservation.clone();
        let req = app.upstream.for_reservation_as(
            caller,
            pb::GetReservationRequest {
                reservation_id: id.to_owned(),
                user_id: caller.user_id().to_owned(),
            },
        );
        async move { client.get_reservation(req).await }
    };
    let r = answer(read_twice(call).await, Resource::Reservation)?;
    r.reservation.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "RESERVATION_NOT_FOUND",
            "reservation not found",
        )
    })
}

/// `GET /api/v1/reservations/{id}` → 200, the owner only.
pub async fn get(
    State(app): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let r = fetch(&app, &id, &user.caller()).await?;
    Ok(Json(reservation_json(&r)))
}

/// `POST /api/v1/reservations/{id}/confirm` → 200 with the order id, once the payment is
/// completed.
pub async fn confirm(
    State(app): State<AppState>,
    user: User,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ConfirmBody>,
) -> Result<Json<Value>, ApiError> {
    if body.payment_intent_id.is_empty() {
        return Err(ApiError::bad_request(
            "MISSING_PAYMENT_INTENT_ID",
            "payment_intent_id is required",
        ));
    }
    let r = confirm_call(&app, &id, &body.payment_intent_id, &user.caller(), &headers).await?;
    Ok(Json(json!({
        "reservation_id": id,
        "order_id": r.order_id,
        "status": reservation_status(r.status),
        "confirmed_at": time(&r.confirmed_at),
        "seats": seats(&r.confirmed_seats),
    })))
}

/// ConfirmReservation, for the route and the payment webhook (`user` empty: the webhook
/// speaks for the payment service, not a buyer).
pub(crate) async fn confirm_call(
    app: &AppState,
    id: &str,
    intent: &str,
    caller: &Caller,
    headers: &HeaderMap,
) -> Result<pb::ConfirmReservationResponse, ApiError> {
    let req = pb::ConfirmReservationRequest {
        reservation_id: id.to_owned(),
        payment_intent_id: intent.to_owned(),
        user_id: caller.user_id().to_owned(),
        idempotency_key: idempotency::key_of(headers),
    };
    answer(
        app.upstream
            .reservation
            .clone()
            .confirm_reservation(app.upstream.for_reservation_as(caller, req))
            .await,
        Resource::Reservation,
    )
}

/// `POST /api/v1/reservations/{id}/cancel` and `DELETE /api/v1/reservations/{id}` → 200.
pub async fn cancel(
    State(app): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let req = pb::CancelReservationRequest {
        reservation_id: id.clone(),
        user_id: user.id,
        reason: "cancelled by the buyer".into(),
        ..Default::default()
    };
    let r = answer(
        app.upstream
            .reservation
            .clone()
            .cancel_reservation(app.upstream.for_reservation(req))
            .await,
        Resource::Reservation,
    )?;
    Ok(Json(json!({
        "reservation_id": id,
        "status": reservation_status(r.status),
        "cancelled_at": time(&r.cancelled_at),
        "released_seats": seats(&r.released_seats),
    })))
}

/// `GET /api/v1/events/{id}/availability` → `{remaining, sections:[{id, remain}]}`.
pub async fn availability(
    State(app): State<AppState>,
    Path(event): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let r = answer(app.upstream.inventory_status(&event).await, Resource::Event)?;
    let stats = r.stats.unwrap_or_default();
    Ok(Json(json!({
        "event_id": event,
        "remaining": stats.available_seats,
        "total": stats.total_seats,
        "held": stats.reserved_seats,
        "sold": stats.sold_seats,
        "sections": r.sections.iter().map(|s| json!({
            "id": s.section_id,
            "remain": s.available_seats,
            "total": s.total_seats,
            "price": money(&s.min_price),
        })).collect::<Vec<_>>(),
    })))
}

/// With the embedded backends, pushes what no webhook reports: to the buyer's socket, a hold
/// that expired and a late payment that was refunded; to every socket of the event, `sold_out`
/// once the last seat is sold (none available, none held). Runs until `shutdown` turns true.
pub async fn push_backend_events(
    app: AppState,
    backends: std::sync::Arc<usher_backends::Backends>,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    use crate::store::Notice;
    use usher_backends::EventKind;
    let mut events = backends.bus.subscribe();
    loop {
        let received = tokio::select! {
            e = events.recv() => e,
            _ = shutdown.wait_for(|s| *s) => return,
        };
        let event = match received {
            Ok(e) => e,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(missed = n, "backend events lagged");
                continue;
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        };
        let notice = match event.kind {
            EventKind::ReservationConfirmed => {
                let Some(event_id) = event.event_id.as_deref() else {
                    continue;
                };
                let sold_out = backends
                    .inventory
                    .counts(event_id, None)
                    .is_some_and(|c| c.available == 0 && c.held == 0);
                if sold_out {
                    let notice = Notice::SoldOut(json!({"event_id": event_id, "remaining": 0}));
                    if let Err(e) = app.hub.notify(event_id, None, &[notice]).await {
                        tracing::warn!(error = %e, "could not push sold out");
                    }
                }
                continue;
            }
            EventKind::ReservationExpired => Notice::Reservation(json!({
                "reservation_id": event.reservation_id,
                "status": "EXPIRED",
                "reason": "HOLD_EXPIRED",
            })),
            EventKind::PaymentRefunded => Notice::Payment(json!({
                "reservation_id": event.reservation_id,
                "payment_intent_id": event.payment_intent_id,
                "status": "REFUNDED",
            })),
            _ => continue,
        };
        // Read for the buyer whose reservation it is.
        let owner = Caller::Buyer(event.user_id.clone());
        let Ok(r) = backends
            .reservations
            .get(&event.reservation_id, &owner)
            .await
        else {
            continue;
        };
        let token = r
            .metadata
            .as_ref()
            .map(|m| m.session_id.as_str())
            .unwrap_or_default();
        if let Ok(token) = crate::domain::WaitingToken::parse(token)
            && let Err(e) = app.hub.notify(&r.event_id, Some(token), &[notice]).await
        {
            tracing::warn!(error = %e, "could not push a backend event");
        }
    }
}
