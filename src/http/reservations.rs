//! Reservation and availability routes (the seed's REST shapes), over the purchase service
//! ([`crate::purchase`]).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};

use super::{AppState, idempotency};
use crate::auth::User;
use crate::error::{ApiError, ApiJson};
use crate::purchase::RequestContext;
use crate::purchase::model::{
    Availability, Cancelled, ConfirmReservation, Confirmed, CreateReservation, Reservation,
    ReservationCreated,
};

/// `POST /api/v1/reservations` → 201. Demands the reservation token `enter` issued.
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

/// `GET /api/v1/reservations/{id}` → 200, the owner only.
pub async fn get(
    State(app): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<Reservation>, ApiError> {
    Ok(Json(app.purchase.reservation(&user, &id).await?))
}

/// `POST /api/v1/reservations/{id}/confirm` → 200 with the order id, once the payment is
/// completed.
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
pub async fn cancel(
    State(app): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<Cancelled>, ApiError> {
    Ok(Json(app.purchase.cancel(&user, id).await?))
}

/// `GET /api/v1/events/{id}/availability` → `{remaining, sections:[{id, remain}]}`.
pub async fn availability(
    State(app): State<AppState>,
    Path(event): Path<String>,
) -> Result<Json<Availability>, ApiError> {
    Ok(Json(app.purchase.availability(event).await?))
}
