//! `POST /api/v1/webhooks/payment`: the payment service reports a settled payment. Signed
//! (`X-Webhook-Signature`, checked in constant time over the raw body), fresh (its `timestamp`
//! within five minutes) and idempotent (the same payment and status twice is a no-op). A
//! completed payment confirms the reservation; a failed one releases it. The outcome is pushed
//! to the buyer's WebSocket.

use super::PurchaseService;
use super::model::{Settlement, WebhookAnswer};
use crate::domain::{Caller, WaitingToken};
use crate::protocol::{
    Notice, PaymentNotice, PaymentOutcome, ReservationNotice, ReservationOutcome,
};
use crate::store::{Attempt, IdempotencyBegin, StoreError, StoredResponse};
use crate::upstream::UpstreamError;
use usher_proto::common::v1::ErrorCode;
use usher_proto::payment::v1 as paypb;
use usher_proto::payment::{PaymentWebhook, verify_webhook_signature};

/// Webhooks older or newer than this (by their `timestamp`) are refused as replays.
pub const WEBHOOK_MAX_AGE_SECS: u64 = 300;

/// Why a webhook was refused.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("X-Webhook-Signature is required")]
    MissingSignature,
    #[error("The webhook signature does not match")]
    BadSignature,
    #[error("invalid webhook body: {0}")]
    InvalidBody(String),
    #[error("The webhook timestamp is too old or in the future")]
    Stale,
    #[error("unexpected payment status {0}")]
    UnexpectedStatus(String),
    /// The payment service's record of the payment names another reservation or buyer.
    #[error("The payment is not for this reservation")]
    ReservationMismatch,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
}

/// What a webhook did, and whether that is final (the payment service's own record agrees with
/// the webhook): a webhook that is not final is run again on its next delivery.
struct Settled {
    answer: WebhookAnswer,
    is_final: bool,
}

impl Settled {
    fn skipped(status: &'static str, reason: Option<&'static str>) -> Self {
        Self {
            answer: WebhookAnswer::Skipped { status, reason },
            is_final: false,
        }
    }
}

impl PurchaseService {
    /// Checks and acts on a webhook delivery; `idempotency_key` is forwarded to the backend.
    pub async fn webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
        idempotency_key: String,
    ) -> Result<WebhookAnswer, WebhookError> {
        let signature = signature.ok_or(WebhookError::MissingSignature)?;
        if !verify_webhook_signature(self.webhook_secret.expose(), body, signature) {
            return Err(WebhookError::BadSignature);
        }
        let hook: PaymentWebhook =
            serde_json::from_slice(body).map_err(|e| WebhookError::InvalidBody(e.to_string()))?;
        let now = crate::clock::now_ms() / 1_000;
        if now.abs_diff(hook.timestamp) > WEBHOOK_MAX_AGE_SECS {
            return Err(WebhookError::Stale);
        }
        let intent = hook
            .payment_intent_id
            .clone()
            .unwrap_or_else(|| hook.payment_id.clone());
        let key = format!("webhook:{intent}:{}:{}", hook.reservation_id, hook.status);
        let ttl = 2 * WEBHOOK_MAX_AGE_SECS * 1_000;
        let attempt = Attempt::new(&*self.claims, &key);
        match attempt.begin("payment-webhook", ttl).await? {
            IdempotencyBegin::Started => {}
            // A retry of a delivery that is being handled or was handled: nothing more to do.
            _ => {
                return Ok(WebhookAnswer::Skipped {
                    status: "duplicate",
                    reason: None,
                });
            }
        }
        let outcome = self.settle(&hook, &intent, idempotency_key).await;
        match &outcome {
            Ok(Settled { is_final: true, .. }) => {
                let done = StoredResponse {
                    status: 200,
                    content_type: None,
                    body: Vec::new(),
                };
                let _ = self.claims.idempotency_finish(&key, done, ttl).await;
            }
            // Not settled yet (the payment service does not confirm what the webhook says), or
            // a failure on our side: a later delivery runs again.
            _ => {
                let _ = attempt.release().await;
            }
        }
        outcome.map(|s| s.answer)
    }

    async fn settle(
        &self,
        hook: &PaymentWebhook,
        intent: &str,
        idempotency_key: String,
    ) -> Result<Settled, WebhookError> {
        // The payment service's own record of the payment must name the reservation the
        // webhook acts on, whatever the webhook says: a signed webhook about one payment never
        // touches another buyer's reservation.
        let payment = self.payment_of(intent, &Caller::PaymentService).await?;
        if payment.reservation_id != hook.reservation_id {
            tracing::warn!(
                payment = intent,
                claimed = %hook.reservation_id,
                recorded = %payment.reservation_id,
                "webhook names a reservation its payment is not for"
            );
            return Err(WebhookError::ReservationMismatch);
        }
        let reservation = self
            .fetch(&hook.reservation_id, &Caller::PaymentService)
            .await?;
        if reservation.user_id != payment.user_id {
            return Err(WebhookError::ReservationMismatch);
        }
        let outcome = |status, order_id, reason| ReservationNotice {
            reservation_id: hook.reservation_id.clone(),
            status,
            order_id,
            payment_intent_id: Some(intent.to_owned()),
            reason,
        };
        let (paid, notice, settlement) = match hook.status.as_str() {
            "PAYMENT_STATUS_COMPLETED" => {
                let confirmed = self
                    .confirm_call(
                        &hook.reservation_id,
                        intent,
                        &Caller::PaymentService,
                        idempotency_key,
                    )
                    .await;
                let (notice, settlement) = match confirmed {
                    Ok(c) => (
                        outcome(ReservationOutcome::Confirmed, Some(c.order_id), None),
                        Settlement::Confirmed,
                    ),
                    // The payment is not completed after all: nothing happened.
                    Err(e) if e.in_band_code() == Some(ErrorCode::PaymentNotApproved) => {
                        return Ok(Settled::skipped(
                            "not_confirmed",
                            Some("PAYMENT_NOT_APPROVED"),
                        ));
                    }
                    // Paid too late (the hold expired: the backend refunds) or otherwise
                    // refused.
                    Err(e) => match e.status_and_code() {
                        (status, code) if status.is_client_error() => (
                            outcome(
                                ReservationOutcome::NotConfirmed,
                                None,
                                Some(code.to_owned()),
                            ),
                            Settlement::NotConfirmed,
                        ),
                        _ => return Err(e.into()),
                    },
                };
                (PaymentOutcome::Completed, notice, settlement)
            }
            "PAYMENT_STATUS_FAILED" => {
                if payment.status != paypb::PaymentStatus::Failed as i32 {
                    return Ok(Settled::skipped("not_failed", None));
                }
                // The reference backends already failed the reservation; others may need this.
                let _ = self.release_for_payment_service(&hook.reservation_id).await;
                let reason = Some("PAYMENT_FAILED".to_owned());
                (
                    PaymentOutcome::Failed,
                    outcome(ReservationOutcome::Failed, None, reason),
                    Settlement::Failed,
                )
            }
            other => return Err(WebhookError::UnexpectedStatus(other.to_owned())),
        };
        let waiting_token = reservation
            .metadata
            .as_ref()
            .map(|m| m.session_id.as_str())
            .unwrap_or_default();
        if let Ok(token) = WaitingToken::parse(waiting_token) {
            let payment = PaymentNotice {
                payment_intent_id: intent.to_owned(),
                status: paid,
                reservation_id: hook.reservation_id.clone(),
            };
            let notices = [
                Notice::Payment(payment),
                Notice::Reservation(notice.clone()),
            ];
            if let Err(e) = self
                .notify(&reservation.event_id, Some(token), &notices)
                .await
            {
                tracing::warn!(error = %e, "could not push the reservation outcome");
            }
        }
        Ok(Settled {
            answer: WebhookAnswer::Settled {
                status: settlement,
                order_id: notice.order_id,
            },
            is_final: true,
        })
    }
}
