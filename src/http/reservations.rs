//! Reservation and availability routes (the seed's REST shapes), over the purchase service
//! ([`crate::purchase`]).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};

use super::{AppState, idempotency};
use crate::auth::User;
use crate::error::{ApiError, ApiJson, ErrorBody};
use crate::purchase::RequestContext;
use crate::purchase::model::{
    Availability, Cancelled, ConfirmReservation, Confirmed, CreateReservation, Reservation,
    ReservationCreated,
};

/// `POST /api/v1/reservations` → 201. Demands the reservation token `enter` issued.
#[utoipa::path(
    post, path = "/api/v1/reservations", operation_id = "create_reservation",
    tag = "purchase", request_body = CreateReservation, security(("user_jwt" = [])),
    responses(
        (status = 201, description = "Seats held for the buyer until `hold_expires_at`",
            body = ReservationCreated,
            links(
                ("get" = (operation_id = "get_reservation",
                    parameters(("id" = "$response.body#/reservation_id")))),
                ("pay" = (operation_id = "create_payment_intent",
                    request_body = json!({"reservation_id": "$response.body#/reservation_id",
                        "amount": "$response.body#/total_amount/amount"}))),
                ("cancel" = (operation_id = "cancel_reservation",
                    parameters(("id" = "$response.body#/reservation_id")))),
            )),
        (status = 400, description = "`MISSING_EVENT_ID`, `MISSING_SEATS`, `INVALID_REQUEST`",
            body = ErrorBody),
        (status = 403, description = "`RESERVATION_TOKEN_REQUIRED`, \
            `INVALID_RESERVATION_TOKEN` (missing, expired, forged, or for another event)",
            body = ErrorBody),
        (status = 404, description = "`EVENT_NOT_FOUND`, `SEAT_NOT_FOUND`", body = ErrorBody),
        (status = 409, description = "`RESERVATION_TOKEN_IN_USE`, `RESERVATION_TOKEN_USED`, \
            `INVENTORY_CONFLICT` (a seat is taken), `INSUFFICIENT_INVENTORY`", body = ErrorBody),
    )
)]
pub async fn create(
    State(app): State<AppState>,
    user: User,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateReservation>,
) -> Result<(StatusCode, Json<ReservationCreated>), ApiError> {
    let cx = RequestContext {
        idempotency_key: idempotency::key_of(&headers),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    };
    let created = app.purchase.reserve(&user, body, cx).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `GET /api/v1/reservations`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ReservationList {
    /// Newest first, at most 100.
    pub reservations: Vec<Reservation>,
}

/// `GET /api/v1/reservations` → 200: the buyer's own reservations ("my orders").
#[utoipa::path(
    get, path = "/api/v1/reservations", operation_id = "list_reservations",
    tag = "purchase", security(("user_jwt" = [])),
    responses(
        (status = 200, description = "The buyer's reservations and their states, newest \
            first (at most 100)", body = ReservationList),
        (status = 401, description = "`MISSING_AUTHORIZATION`, `INVALID_TOKEN`",
            body = ErrorBody),
    )
)]
pub async fn list(
    State(app): State<AppState>,
    user: User,
) -> Result<Json<ReservationList>, ApiError> {
    Ok(Json(ReservationList {
        reservations: app.purchase.reservations(&user).await?,
    }))
}

/// `GET /api/v1/reservations/{id}` → 200, the owner only.
#[utoipa::path(
    get, path = "/api/v1/reservations/{id}", operation_id = "get_reservation",
    tag = "purchase", params(("id" = String, Path, description = "The reservation id")),
    security(("user_jwt" = [])),
    responses(
        (status = 200, description = "The reservation", body = Reservation),
        (status = 404, description = "`RESERVATION_NOT_FOUND` (also someone else's)",
            body = ErrorBody),
    )
)]
pub async fn get(
    State(app): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<Reservation>, ApiError> {
    Ok(Json(app.purchase.reservation(&user, &id).await?))
}

/// `POST /api/v1/reservations/{id}/confirm` → 200 with the order id, once the payment is
/// completed.
#[utoipa::path(
    post, path = "/api/v1/reservations/{id}/confirm", operation_id = "confirm_reservation",
    tag = "purchase", params(("id" = String, Path, description = "The reservation id")),
    request_body = ConfirmReservation, security(("user_jwt" = [])),
    responses(
        (status = 200, description = "Sold: the order", body = Confirmed),
        (status = 400, description = "`MISSING_PAYMENT_INTENT_ID`, `INVALID_REQUEST`",
            body = ErrorBody),
        (status = 404, description = "`RESERVATION_NOT_FOUND`, `PAYMENT_NOT_FOUND`",
            body = ErrorBody),
        (status = 409, description = "`RESERVATION_EXPIRED`, `CONFLICT`", body = ErrorBody),
        (status = 412, description = "`PAYMENT_NOT_APPROVED`, `FAILED_PRECONDITION`",
            body = ErrorBody),
    )
)]
pub async fn confirm(
    State(app): State<AppState>,
    user: User,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ConfirmReservation>,
) -> Result<Json<Confirmed>, ApiError> {
    let key = idempotency::key_of(&headers);
    Ok(Json(app.purchase.confirm(&user, id, body, key).await?))
}

/// `POST /api/v1/reservations/{id}/cancel` and `DELETE /api/v1/reservations/{id}` → 200.
#[utoipa::path(
    post, path = "/api/v1/reservations/{id}/cancel", operation_id = "cancel_reservation",
    tag = "purchase", params(("id" = String, Path, description = "The reservation id")),
    security(("user_jwt" = [])),
    responses(
        (status = 200, description = "Cancelled: the seats are released", body = Cancelled),
        (status = 404, description = "`RESERVATION_NOT_FOUND`", body = ErrorBody),
        (status = 409, description = "`CONFLICT`: already confirmed, cancelled or expired",
            body = ErrorBody),
        (status = 412, description = "`FAILED_PRECONDITION`", body = ErrorBody),
    )
)]
pub async fn cancel(
    State(app): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<Cancelled>, ApiError> {
    Ok(Json(app.purchase.cancel(&user, id).await?))
}

/// `GET /api/v1/events/{id}/availability` → `{remaining, sections:[{id, remain}]}`.
#[utoipa::path(
    get, path = "/api/v1/events/{id}/availability", operation_id = "availability",
    tag = "purchase", params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    responses(
        (status = 200, description = "Seats left, in all and per section", body = Availability),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`EVENT_NOT_FOUND`", body = ErrorBody),
    )
)]
pub async fn availability(
    State(app): State<AppState>,
    Path(event): Path<String>,
) -> Result<Json<Availability>, ApiError> {
    let event = super::admin::event_id(&event)?;
    Ok(Json(app.purchase.availability(&event).await?))
}
