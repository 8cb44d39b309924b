//! Payment routes (`/api/v1/payment/...` and `/api/v1/payments/...`) and the payment webhook,
//! over the purchase service ([`crate::purchase`]).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;

use super::{AppState, idempotency};
use crate::auth::User;
use crate::error::{ApiError, ApiJson, ErrorBody};
use crate::purchase::model::{
    CreateIntent, Payment, PaymentIntent, ProcessPayment, Processed, WebhookAnswer,
};
use usher_proto::payment::{PaymentWebhook, SIGNATURE_HEADER};

/// `POST /api/v1/payment/intent` → 200 with a pending intent for the caller's own reservation,
/// for exactly its total.
#[utoipa::path(
    post, path = "/api/v1/payment/intent", operation_id = "create_payment_intent",
    tag = "purchase", request_body = CreateIntent, security(("user_jwt" = [])),
    responses(
        (status = 200, description = "A pending payment intent", body = PaymentIntent,
            links(
                ("process" = (operation_id = "process_payment",
                    request_body = json!({
                        "payment_intent_id": "$response.body#/payment_intent_id",
                        "action": "approve"}))),
                ("status" = (operation_id = "payment_status",
                    parameters(("id" = "$response.body#/payment_intent_id")))),
            )),
        (status = 400, description = "`MISSING_RESERVATION_ID`, `INVALID_AMOUNT`, \
            `AMOUNT_MISMATCH` (not the reservation's total), `INVALID_SCENARIO`, \
            `INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`RESERVATION_NOT_FOUND` (also someone else's)",
            body = ErrorBody),
        (status = 409, description = "`RESERVATION_EXPIRED`, `CONFLICT`, `ALREADY_EXISTS`",
            body = ErrorBody),
        (status = 412, description = "`FAILED_PRECONDITION`", body = ErrorBody),
    )
)]
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
#[utoipa::path(
    get, path = "/api/v1/payment/{id}/status", operation_id = "payment_status",
    tag = "purchase", params(("id" = String, Path, description = "The payment intent id")),
    security(("user_jwt" = [])),
    responses(
        (status = 200, description = "The payment", body = Payment),
        (status = 404, description = "`PAYMENT_NOT_FOUND` (also someone else's)",
            body = ErrorBody),
    )
)]
pub async fn status(
    State(app): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<Payment>, ApiError> {
    Ok(Json(app.purchase.payment(&user, &id).await?))
}

/// `POST /api/v1/payment/process` → settles the caller's pending payment now.
#[utoipa::path(
    post, path = "/api/v1/payment/process", operation_id = "process_payment",
    tag = "purchase", request_body = ProcessPayment, security(("user_jwt" = [])),
    responses(
        (status = 200, description = "Settled (the reservation is confirmed by the payment's \
            webhook)", body = Processed),
        (status = 400, description = "`MISSING_PAYMENT_INTENT_ID`, `INVALID_ACTION`, \
            `INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`PAYMENT_NOT_FOUND` (also someone else's)",
            body = ErrorBody),
        (status = 409, description = "`CONFLICT`: already settled", body = ErrorBody),
        (status = 412, description = "`FAILED_PRECONDITION`", body = ErrorBody),
    )
)]
pub async fn process(
    State(app): State<AppState>,
    user: User,
    ApiJson(body): ApiJson<ProcessPayment>,
) -> Result<Json<Processed>, ApiError> {
    Ok(Json(app.purchase.process(&user, body).await?))
}

/// `POST /api/v1/webhooks/payment`: see [`crate::purchase::webhook`].
#[utoipa::path(
    post, path = "/api/v1/webhooks/payment", operation_id = "payment_webhook",
    tag = "purchase", request_body(content = PaymentWebhook, description = "Signed with \
        `X-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`; other fields are ignored"), security(("webhook_signature" = [])),
    responses(
        (status = 200, description = "Taken (also a repeat of one already taken)",
            body = WebhookAnswer),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 401, description = "`INVALID_SIGNATURE`, `STALE_WEBHOOK`", body = ErrorBody),
        (status = 404, description = "`RESERVATION_NOT_FOUND`, `PAYMENT_NOT_FOUND`",
            body = ErrorBody),
        (status = 409, description = "`PAYMENT_RESERVATION_MISMATCH`, `CONFLICT`",
            body = ErrorBody),
        (status = 412, description = "`FAILED_PRECONDITION`", body = ErrorBody),
    )
)]
pub async fn webhook(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<WebhookAnswer>, ApiError> {
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    let key = idempotency::key_of(&headers);
    Ok(Json(app.purchase.webhook(signature, &body, key).await?))
}
