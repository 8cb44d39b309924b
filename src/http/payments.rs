//! Payment routes (`/api/v1/payment/...` and `/api/v1/payments/...`) and the payment webhook,
//! over the purchase service ([`crate::purchase`]).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;

use super::{AppState, idempotency};
use crate::auth::User;
use crate::error::{ApiError, ApiJson};
use crate::purchase::model::{
    CreateIntent, Payment, PaymentIntent, ProcessPayment, Processed, WebhookAnswer,
};
use usher_proto::payment::SIGNATURE_HEADER;

/// `POST /api/v1/payment/intent` → 200 with a pending intent for the caller's own reservation,
/// for exactly its total.
pub async fn intent(
    State(app): State<AppState>,
    user: User,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateIntent>,
) -> Result<Json<PaymentIntent>, ApiError> {
    let key = idempotency::key_of(&headers);
    Ok(Json(app.purchase.create_intent(&user, body, key).await?))
}

/// `GET /api/v1/payment/{id}/status` → 200 with the payment's real state.
pub async fn status(
    State(app): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<Payment>, ApiError> {
    Ok(Json(app.purchase.payment(&user, &id).await?))
}

/// `POST /api/v1/payment/process` → settles the caller's pending payment now.
pub async fn process(
    State(app): State<AppState>,
    user: User,
    ApiJson(body): ApiJson<ProcessPayment>,
) -> Result<Json<Processed>, ApiError> {
    Ok(Json(app.purchase.process(&user, body).await?))
}

/// `POST /api/v1/webhooks/payment`: see [`crate::purchase::webhook`].
pub async fn webhook(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<WebhookAnswer>, ApiError> {
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    let key = idempotency::key_of(&headers);
    Ok(Json(app.purchase.webhook(signature, &body, key).await?))
}
