//! Payment routes (`/api/v1/payment/...` and `/api/v1/payments/...`) over the payment service,
//! and the payment webhook, which confirms or releases the reservation it pays for.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use usher_proto::common::v1::Money;
use usher_proto::payment::v1 as pb;
use usher_proto::payment::{
    ACTION_METADATA, PaymentWebhook, SIGNATURE_HEADER, verify_webhook_signature,
};
use usher_proto::reservation::v1 as rsvpb;

use super::error::{ApiError, ApiJson};
use super::reservations::{confirm_call, fetch, status_name, time};
use super::{AppState, idempotency};
use crate::auth::User;
use crate::domain::Caller;
use crate::store::{IdempotencyBegin, Notice, StoredResponse};
use crate::upstream::{Resource, answer, read_twice};

/// Webhooks older or newer than this (by their `timestamp`) are refused as replays.
pub const WEBHOOK_MAX_AGE_SECS: u64 = 300;

#[derive(Debug, Deserialize)]
pub struct IntentBody {
    #[serde(default)]
    pub reservation_id: String,
    #[serde(default)]
    pub amount: i64,
    #[serde(default)]
    pub currency: Option<String>,
    /// approve, fail, delay, random or timeout (the simulator's scenarios).
    #[serde(default)]
    pub scenario: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ProcessBody {
    #[serde(default)]
    pub payment_intent_id: String,
    #[serde(default)]
    pub action: Option<String>,
}

fn payment_status(code: i32) -> &'static str {
    let s = pb::PaymentStatus::try_from(code).unwrap_or(pb::PaymentStatus::Unspecified);
    status_name(s.as_str_name(), "PAYMENT_STATUS_")
}

fn scenario(name: Option<&str>) -> Result<pb::PaymentScenario, ApiError> {
    Ok(match name.unwrap_or("approve") {
        "approve" => pb::PaymentScenario::Approve,
        "fail" => pb::PaymentScenario::Fail,
        "delay" => pb::PaymentScenario::Delay,
        "random" => pb::PaymentScenario::Random,
        "timeout" => pb::PaymentScenario::Timeout,
        _ => {
            return Err(ApiError::bad_request(
                "INVALID_SCENARIO",
                "scenario must be approve, fail, delay, random or timeout",
            ));
        }
    })
}

/// `POST /api/v1/payment/intent` → 200 with a pending intent for the caller's own reservation,
/// for exactly its total.
pub async fn intent(
    State(app): State<AppState>,
    user: User,
    headers: HeaderMap,
    ApiJson(body): ApiJson<IntentBody>,
) -> Result<Json<Value>, ApiError> {
    if body.reservation_id.is_empty() {
        return Err(ApiError::bad_request(
            "MISSING_RESERVATION_ID",
            "reservation_id is required",
        ));
    }
    if body.amount <= 0 {
        return Err(ApiError::bad_request(
            "INVALID_AMOUNT",
            "amount must be above 0",
        ));
    }
    let scenario = scenario(body.scenario.as_deref())?;
    let currency = body.currency.unwrap_or_else(|| "KRW".into());
    let reservation = fetch(&app, &body.reservation_id, &user.caller()).await?;
    let total = reservation.total_amount.clone().unwrap_or_default();
    if total.amount != body.amount || total.currency != currency {
        return Err(ApiError::bad_request(
            "AMOUNT_MISMATCH",
            format!("the reservation costs {} {}", total.amount, total.currency),
        ));
    }
    let req = pb::CreatePaymentIntentRequest {
        reservation_id: body.reservation_id.clone(),
        amount: Some(Money {
            amount: body.amount,
            currency: currency.clone(),
        }),
        user_id: user.id,
        method: pb::PaymentMethod::CreditCard as i32,
        scenario: scenario as i32,
        webhook_url: app.webhook_url.clone(),
        idempotency_key: idempotency::key_of(&headers),
        metadata: None,
    };
    let r = answer(
        app.upstream
            .payment
            .clone()
            .create_payment_intent(app.upstream.for_payment(req))
            .await,
        Resource::Payment,
    )?;
    Ok(Json(json!({
        "payment_intent_id": r.payment_intent_id,
        "status": payment_status(r.status),
        "amount": body.amount,
        "currency": currency,
        "reservation_id": body.reservation_id,
        "client_secret": r.client_secret,
        "expires_at": time(&r.expires_at),
    })))
}

async fn payment_of(app: &AppState, id: &str, caller: &Caller) -> Result<pb::Payment, ApiError> {
    let call = || {
        let mut client = app.upstream.payment.clone();
        let req = app.upstream.for_payment_as(
            caller,
            pb::GetPaymentStatusRequest {
                payment_intent_id: id.to_owned(),
                user_id: caller.user_id().to_owned(),
            },
        );
        async move { client.get_payment_status(req).await }
    };
    let r = answer(read_twice(call).await, Resource::Payment)?;
    r.payment.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "PAYMENT_NOT_FOUND",
            "payment not found",
        )
    })
}

/// `GET /api/v1/payment/{id}/status` → 200 with the payment's real state.
pub async fn status(
    State(app): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let p = payment_of(&app, &id, &user.caller()).await?;
    let m = p.amount.clone().unwrap_or_default();
    Ok(Json(json!({
        "payment_intent_id": p.payment_intent_id,
        "status": payment_status(p.status),
        "amount": m.amount,
        "currency": m.currency,
        "reservation_id": p.reservation_id,
        "transaction_id": (!p.transaction_id.is_empty()).then_some(&p.transaction_id),
        "processed_at": time(&p.processed_at),
    })))
}

/// `POST /api/v1/payment/process` → settles the caller's pending payment now (`approve` or
/// `fail`; the action reaches the simulator, unlike in the seed).
pub async fn process(
    State(app): State<AppState>,
    user: User,
    ApiJson(body): ApiJson<ProcessBody>,
) -> Result<Json<Value>, ApiError> {
    if body.payment_intent_id.is_empty() {
        return Err(ApiError::bad_request(
            "MISSING_PAYMENT_INTENT_ID",
            "payment_intent_id is required",
        ));
    }
    let action = body.action.unwrap_or_else(|| "approve".into());
    if action != "approve" && action != "fail" {
        return Err(ApiError::bad_request(
            "INVALID_ACTION",
            "action must be approve or fail",
        ));
    }
    // Ownership first: only the payer may settle a payment.
    payment_of(&app, &body.payment_intent_id, &user.caller()).await?;
    let mut req = app.upstream.for_payment(pb::ProcessPaymentRequest {
        payment_intent_id: body.payment_intent_id.clone(),
        ..Default::default()
    });
    req.metadata_mut()
        .insert(ACTION_METADATA, action.parse().expect("ASCII"));
    let r = answer(
        app.upstream.payment.clone().process_payment(req).await,
        Resource::Payment,
    )?;
    Ok(Json(json!({
        "payment_intent_id": body.payment_intent_id,
        "status": payment_status(r.status),
        "action": action,
        "transaction_id": r.transaction_id,
        "message": "Payment processed",
    })))
}

fn webhook_refused(code: &'static str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, code, message)
}

/// `POST /api/v1/webhooks/payment`: the payment service reports a settled payment. Signed
/// (`X-Webhook-Signature`, checked in constant time over the raw body), fresh (its
/// `timestamp` within five minutes) and idempotent (the same payment and status twice is a
/// no-op). A completed payment confirms the reservation; a failed one releases it. The outcome
/// is pushed to the buyer's WebSocket.
pub async fn webhook(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| webhook_refused("INVALID_SIGNATURE", "X-Webhook-Signature is required"))?;
    if !verify_webhook_signature(
        app.settings.backends.webhook_secret.expose(),
        &body,
        signature,
    ) {
        return Err(webhook_refused(
            "INVALID_SIGNATURE",
            "The webhook signature does not match",
        ));
    }
    let hook: PaymentWebhook = serde_json::from_slice(&body)
        .map_err(|e| ApiError::invalid_request(format!("invalid webhook body: {e}")))?;
    let now = crate::hub::now_ms() / 1_000;
    if now.abs_diff(hook.timestamp) > WEBHOOK_MAX_AGE_SECS {
        return Err(webhook_refused(
            "STALE_WEBHOOK",
            "The webhook timestamp is too old or in the future",
        ));
    }
    let intent = hook
        .payment_intent_id
        .clone()
        .unwrap_or_else(|| hook.payment_id.clone());
    let key = format!("webhook:{intent}:{}:{}", hook.reservation_id, hook.status);
    let ttl = 2 * WEBHOOK_MAX_AGE_SECS * 1_000;
    match app
        .store
        .idempotency_begin(&key, "payment-webhook", ttl)
        .await
        .map_err(|_| ApiError::store_unavailable())?
    {
        IdempotencyBegin::Started => {}
        // A retry of a delivery that is being handled or was handled: nothing more to do.
        _ => return Ok(Json(json!({"status": "duplicate"}))),
    }
    let outcome = settle(&app, &hook, &intent, &headers).await;
    match &outcome {
        Ok((_, true)) => {
            let done = StoredResponse {
                status: 200,
                content_type: None,
                body: Vec::new(),
            };
            let _ = app.store.idempotency_finish(&key, done, ttl).await;
        }
        // Not settled yet (the payment service does not confirm what the webhook says), or a
        // failure on our side: a later delivery runs again.
        Ok((_, false)) | Err(_) => {
            let _ = app.store.idempotency_release(&key).await;
        }
    }
    outcome.map(|(answer, _)| Json(answer))
}

/// Acts on a webhook; returns the answer and whether the outcome is final (the payment
/// service's own record agrees with the webhook).
async fn settle(
    app: &AppState,
    hook: &PaymentWebhook,
    intent: &str,
    headers: &HeaderMap,
) -> Result<(Value, bool), ApiError> {
    // The payment service's own record of the payment must name the reservation the webhook
    // acts on, whatever the webhook says: a signed webhook about one payment never touches
    // another buyer's reservation.
    let payment = payment_of(app, intent, &Caller::PaymentService).await?;
    if payment.reservation_id != hook.reservation_id {
        tracing::warn!(
            payment = intent,
            claimed = %hook.reservation_id,
            recorded = %payment.reservation_id,
            "webhook names a reservation its payment is not for"
        );
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "PAYMENT_RESERVATION_MISMATCH",
            "The payment is not for this reservation",
        ));
    }
    let reservation = fetch(app, &hook.reservation_id, &Caller::PaymentService).await?;
    if reservation.user_id != payment.user_id {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "PAYMENT_RESERVATION_MISMATCH",
            "The payment is not for this reservation",
        ));
    }
    let waiting_token = reservation
        .metadata
        .as_ref()
        .map(|m| m.session_id.clone())
        .unwrap_or_default();
    let push = match hook.status.as_str() {
        "PAYMENT_STATUS_COMPLETED" => {
            match confirm_call(
                app,
                &hook.reservation_id,
                intent,
                &Caller::PaymentService,
                headers,
            )
            .await
            {
                Ok(c) => {
                    json!({"reservation_id": hook.reservation_id, "status": "CONFIRMED", "order_id": c.order_id, "payment_intent_id": intent})
                }
                // The payment is not completed after all: nothing happened.
                Err(e) if e.code == "PAYMENT_NOT_APPROVED" => {
                    return Ok((json!({"status": "not_confirmed", "reason": e.code}), false));
                }
                // Paid too late (the hold expired: the backend refunds) or otherwise refused.
                Err(e) if e.status.is_client_error() => {
                    json!({"reservation_id": hook.reservation_id, "status": "NOT_CONFIRMED", "payment_intent_id": intent, "reason": e.code})
                }
                Err(e) => return Err(e),
            }
        }
        "PAYMENT_STATUS_FAILED" => {
            if payment.status != pb::PaymentStatus::Failed as i32 {
                return Ok((json!({"status": "not_failed"}), false));
            }
            let req = rsvpb::CancelReservationRequest {
                reservation_id: hook.reservation_id.clone(),
                reason: "payment failed".into(),
                ..Default::default()
            };
            // The reference backends already failed the reservation; others may need this.
            let _ = app
                .upstream
                .reservation
                .clone()
                .cancel_reservation(
                    app.upstream
                        .for_reservation_as(&Caller::PaymentService, req),
                )
                .await;
            json!({"reservation_id": hook.reservation_id, "status": "FAILED", "payment_intent_id": intent, "reason": "PAYMENT_FAILED"})
        }
        other => {
            return Err(ApiError::invalid_request(format!(
                "unexpected payment status {other}"
            )));
        }
    };
    if let Ok(token) = crate::domain::WaitingToken::parse(&waiting_token) {
        let payment = json!({"payment_intent_id": intent, "status": status_name(&hook.status, "PAYMENT_STATUS_"), "reservation_id": hook.reservation_id});
        let notices = [Notice::Payment(payment), Notice::Reservation(push.clone())];
        if let Err(e) = app
            .hub
            .notify(&reservation.event_id, Some(token), &notices)
            .await
        {
            tracing::warn!(error = %e, "could not push the reservation outcome");
        }
    }
    let answer = json!({"status": push["status"].as_str().unwrap_or_default().to_ascii_lowercase(), "order_id": push.get("order_id")});
    Ok((answer, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_parse_and_unknown_ones_are_refused() {
        assert_eq!(scenario(None).unwrap(), pb::PaymentScenario::Approve);
        assert_eq!(
            scenario(Some("timeout")).unwrap(),
            pb::PaymentScenario::Timeout
        );
        assert_eq!(
            scenario(Some("steal")).unwrap_err().code,
            "INVALID_SCENARIO"
        );
    }

    #[test]
    fn amounts_render_with_their_currency() {
        let m = Some(Money {
            amount: 1000,
            currency: "KRW".into(),
        });
        assert_eq!(
            super::super::reservations::money(&m),
            json!({"amount": 1000, "currency": "KRW"})
        );
    }
}
