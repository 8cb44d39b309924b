//! The payment simulator: `payment.v1.PaymentService`.
//!
//! An intent is created PENDING and settled exactly once (a compare-and-set from PENDING), by
//! its scenario's timer or by an explicit `ProcessPayment`, whichever comes first. The result is
//! stored (status reads tell the truth) and, when the intent names a `webhook_url`, delivered as
//! the seed's signed webhook, with retries.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use parking_lot::Mutex;
use serde_json::json;
use sha2::Sha256;
use tokio::sync::broadcast;
use tonic::{Request, Response, Status};
use tracing::{debug, warn};

use super::{BackendEvent, EventKind, caller_of, in_band, new_id, timestamp};
use crate::clock::now_ms;
use crate::proto::common::v1::{ErrorCode, Money};
use crate::proto::payment::v1 as pb;
use pb::{PaymentScenario, PaymentStatus};

/// gRPC metadata key with which a caller of `ProcessPayment` chooses the outcome
/// (`approve` or `fail`); the proto has no field for it.
pub const ACTION_METADATA: &str = "x-payment-action";
/// Header carrying the webhook's signature: `sha256=<hex HMAC-SHA256(secret, body)>`.
pub const SIGNATURE_HEADER: &str = "x-webhook-signature";
/// Attempts to deliver one webhook, and the wait before the first retry (doubling after).
const WEBHOOK_ATTEMPTS: u32 = 5;
const WEBHOOK_FIRST_RETRY: Duration = Duration::from_millis(500);
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(5);
/// How long an intent may be paid.
const INTENT_LIFETIME_MS: u64 = 15 * 60 * 1_000;

/// The simulator's timing and secrets.
#[derive(Debug, Clone)]
pub struct PaymentSettings {
    /// Delay before APPROVE, FAIL and RANDOM intents settle.
    pub delay_ms: u64,
    /// Delay before DELAY intents settle.
    pub long_delay_ms: u64,
    /// Probability that a RANDOM intent is approved.
    pub random_success: f64,
    /// HMAC key of the webhooks.
    pub webhook_secret: String,
}

/// `sha256=<hex>` signature of a webhook body.
pub fn webhook_signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether `signature` is the right one for `body`, compared in constant time.
pub fn verify_webhook_signature(secret: &str, body: &[u8], signature: &str) -> bool {
    let Some(hex_sig) = signature.trim().strip_prefix("sha256=") else {
        return false;
    };
    let Ok(given) = hex::decode(hex_sig) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

struct Intent {
    payment: pb::Payment,
    scenario: PaymentScenario,
    webhook_url: String,
}

/// The simulator's state.
pub struct Payments {
    settings: PaymentSettings,
    intents: Mutex<HashMap<String, Intent>>,
    /// Idempotency key → intent id.
    by_key: Mutex<HashMap<String, String>>,
    bus: broadcast::Sender<BackendEvent>,
    http: reqwest::Client,
}

fn roll(p: f64) -> bool {
    // A uniform draw from the operating system's randomness (through a v4 UUID's bits).
    (uuid::Uuid::new_v4().as_u128() >> 64) as f64 / u64::MAX as f64 <= p
}

impl Payments {
    pub fn new(settings: PaymentSettings, bus: broadcast::Sender<BackendEvent>) -> Arc<Self> {
        Arc::new(Self {
            settings,
            intents: Mutex::new(HashMap::new()),
            by_key: Mutex::new(HashMap::new()),
            bus,
            http: reqwest::Client::builder()
                .timeout(WEBHOOK_TIMEOUT)
                .build()
                .expect("HTTP client"),
        })
    }

    /// The stored payment of an intent.
    pub fn get(&self, intent: &str) -> Option<pb::Payment> {
        self.intents.lock().get(intent).map(|i| i.payment.clone())
    }

    /// The outcome a scenario decides (RANDOM rolls here, once per settlement).
    fn outcome(&self, scenario: PaymentScenario) -> PaymentStatus {
        match scenario {
            PaymentScenario::Fail => PaymentStatus::Failed,
            PaymentScenario::Random if !roll(self.settings.random_success) => PaymentStatus::Failed,
            _ => PaymentStatus::Completed,
        }
    }

    fn create(
        self: &Arc<Self>,
        req: pb::CreatePaymentIntentRequest,
    ) -> Result<pb::CreatePaymentIntentResponse, Status> {
        let amount = req
            .amount
            .clone()
            .filter(|m| m.amount > 0 && !m.currency.is_empty())
            .ok_or_else(|| {
                Status::invalid_argument("a positive amount with a currency is required")
            })?;
        if req.reservation_id.is_empty() {
            return Err(Status::invalid_argument("reservation_id is required"));
        }
        let scenario = match PaymentScenario::try_from(req.scenario) {
            Ok(PaymentScenario::Unspecified) | Err(_) => PaymentScenario::Approve,
            Ok(s) => s,
        };
        let now = now_ms();
        // Both locks are held from the idempotency check to the insert, so a concurrent
        // duplicate cannot create a second intent.
        let mut intents = self.intents.lock();
        let mut by_key = self.by_key.lock();
        let key = (!req.idempotency_key.is_empty())
            .then(|| format!("{}:{}", req.user_id, req.idempotency_key));
        if let Some(key) = &key
            && let Some(id) = by_key.get(key)
            && let Some(existing) = intents.get(id)
        {
            let same = existing.payment.reservation_id == req.reservation_id
                && existing.payment.amount.as_ref() == Some(&amount);
            if !same {
                return Ok(pb::CreatePaymentIntentResponse {
                    error: Some(in_band(
                        ErrorCode::IdempotencyConflict,
                        "idempotency key used for another payment",
                    )),
                    ..Default::default()
                });
            }
            return Ok(Self::created(&existing.payment, now));
        }
        let id = new_id("pay");
        let payment = pb::Payment {
            payment_intent_id: id.clone(),
            payment_id: id.clone(),
            reservation_id: req.reservation_id.clone(),
            user_id: req.user_id.clone(),
            status: PaymentStatus::Pending as i32,
            amount: Some(amount),
            method: req.method,
            created_at: Some(timestamp(now)),
            updated_at: Some(timestamp(now)),
            metadata: req.metadata.clone(),
            ..Default::default()
        };
        let resp = Self::created(&payment, now);
        if let Some(key) = key {
            by_key.insert(key, id.clone());
        }
        intents.insert(
            id.clone(),
            Intent {
                payment,
                scenario,
                webhook_url: req.webhook_url,
            },
        );
        drop((intents, by_key));
        let delay = match scenario {
            PaymentScenario::Timeout => None,
            PaymentScenario::Delay => Some(self.settings.long_delay_ms),
            _ => Some(self.settings.delay_ms),
        };
        if let Some(delay) = delay {
            let me = self.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(delay)).await;
                me.settle(&id, me.outcome(scenario));
            });
        }
        Ok(resp)
    }

    fn created(p: &pb::Payment, now: u64) -> pb::CreatePaymentIntentResponse {
        let created = p.created_at.as_ref().map_or(now, super::millis);
        pb::CreatePaymentIntentResponse {
            payment_intent_id: p.payment_intent_id.clone(),
            status: p.status,
            client_secret: format!("secret_{}", p.payment_intent_id),
            payment_url: format!("/payment/{}", p.payment_intent_id),
            expires_at: Some(timestamp(created + INTENT_LIFETIME_MS)),
            error: None,
        }
    }

    /// Settles a pending intent with `status` (once: a settled intent is left as it is).
    /// Returns the stored payment.
    pub fn settle(self: &Arc<Self>, intent: &str, status: PaymentStatus) -> Option<pb::Payment> {
        let (payment, webhook) = {
            let mut intents = self.intents.lock();
            let i = intents.get_mut(intent)?;
            if i.payment.status != PaymentStatus::Pending as i32 {
                return Some(i.payment.clone());
            }
            let now = now_ms();
            let ok = status == PaymentStatus::Completed;
            i.payment.status = status as i32;
            i.payment.processed_at = Some(timestamp(now));
            i.payment.updated_at = Some(timestamp(now));
            i.payment.transaction_id = new_id("txn");
            i.payment.result = Some(pb::PaymentResult {
                success: ok,
                failure_reason: if ok {
                    String::new()
                } else {
                    "declined by the simulator".into()
                },
                gateway_response: if ok {
                    "APPROVED".into()
                } else {
                    "DECLINED".into()
                },
                response_code: if ok { 0 } else { 51 },
                processed_at: Some(timestamp(now)),
            });
            (i.payment.clone(), i.webhook_url.clone())
        };
        let kind = if status == PaymentStatus::Completed {
            EventKind::PaymentApproved
        } else {
            EventKind::PaymentFailed
        };
        let _ = self.bus.send(BackendEvent::payment(kind, &payment));
        if !webhook.is_empty() {
            tokio::spawn(self.clone().deliver(webhook, payment.clone()));
        }
        Some(payment)
    }

    /// Cancels a pending intent, or refunds a completed one.
    pub fn cancel(&self, intent: &str) -> Option<pb::Payment> {
        let mut intents = self.intents.lock();
        let i = intents.get_mut(intent)?;
        let now = now_ms();
        let next = match PaymentStatus::try_from(i.payment.status) {
            Ok(PaymentStatus::Pending | PaymentStatus::Processing) => PaymentStatus::Cancelled,
            Ok(PaymentStatus::Completed) => PaymentStatus::Refunded,
            _ => return Some(i.payment.clone()),
        };
        i.payment.status = next as i32;
        i.payment.updated_at = Some(timestamp(now));
        let payment = i.payment.clone();
        drop(intents);
        if next == PaymentStatus::Refunded {
            let _ = self
                .bus
                .send(BackendEvent::payment(EventKind::PaymentRefunded, &payment));
        }
        Some(payment)
    }

    /// Posts the signed webhook, retrying with backoff until a 2xx answer or the last attempt.
    async fn deliver(self: Arc<Self>, url: String, p: pb::Payment) {
        let money = p.amount.clone().unwrap_or_default();
        let body = json!({
            "payment_id": p.payment_intent_id,
            "payment_intent_id": p.payment_intent_id,
            "reservation_id": p.reservation_id,
            "status": PaymentStatus::try_from(p.status).unwrap_or(PaymentStatus::Unspecified).as_str_name(),
            "amount": money.amount,
            "currency": money.currency,
            "timestamp": now_ms() / 1_000,
            "event_type": "payment.status_updated",
        })
        .to_string();
        let signature = webhook_signature(&self.settings.webhook_secret, body.as_bytes());
        let mut wait = WEBHOOK_FIRST_RETRY;
        for attempt in 1..=WEBHOOK_ATTEMPTS {
            let sent = self
                .http
                .post(&url)
                .header("content-type", "application/json")
                .header("user-agent", "usher-payment-sim/1.0")
                .header(SIGNATURE_HEADER, &signature)
                .header("x-webhook-attempt", attempt.to_string())
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => {
                    debug!(intent = %p.payment_intent_id, attempt, "webhook delivered");
                    return;
                }
                Ok(r) => {
                    warn!(intent = %p.payment_intent_id, attempt, status = %r.status(), "webhook refused")
                }
                Err(e) => {
                    warn!(intent = %p.payment_intent_id, attempt, error = %e, "webhook not delivered")
                }
            }
            if attempt < WEBHOOK_ATTEMPTS {
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
        }
    }
}

fn not_found() -> pb::Payment {
    pb::Payment::default()
}

/// `payment.v1.PaymentService` over [`Payments`].
pub struct PaymentApi {
    pub payments: Arc<Payments>,
}

#[tonic::async_trait]
impl pb::payment_service_server::PaymentService for PaymentApi {
    async fn create_payment_intent(
        &self,
        request: Request<pb::CreatePaymentIntentRequest>,
    ) -> Result<Response<pb::CreatePaymentIntentResponse>, Status> {
        self.payments
            .create(request.into_inner())
            .map(Response::new)
    }

    async fn process_payment(
        &self,
        request: Request<pb::ProcessPaymentRequest>,
    ) -> Result<Response<pb::ProcessPaymentResponse>, Status> {
        let action = request
            .metadata()
            .get(ACTION_METADATA)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let req = request.into_inner();
        let scenario = {
            let intents = self.payments.intents.lock();
            let Some(i) = intents.get(&req.payment_intent_id) else {
                return Ok(Response::new(pb::ProcessPaymentResponse {
                    error: Some(in_band(ErrorCode::NotFound, "unknown payment intent")),
                    ..Default::default()
                }));
            };
            i.scenario
        };
        let status = match action.as_deref() {
            Some("approve") => PaymentStatus::Completed,
            Some("fail") => PaymentStatus::Failed,
            Some(other) => {
                return Err(Status::invalid_argument(format!(
                    "{ACTION_METADATA} must be approve or fail, not {other}"
                )));
            }
            None => self.payments.outcome(scenario),
        };
        let p = self
            .payments
            .settle(&req.payment_intent_id, status)
            .unwrap_or_else(not_found);
        Ok(Response::new(pb::ProcessPaymentResponse {
            payment_id: p.payment_id.clone(),
            status: p.status,
            processed_at: p.processed_at,
            transaction_id: p.transaction_id.clone(),
            result: p.result.clone(),
            error: None,
        }))
    }

    async fn get_payment_status(
        &self,
        request: Request<pb::GetPaymentStatusRequest>,
    ) -> Result<Response<pb::GetPaymentStatusResponse>, Status> {
        let caller = caller_of(&request, &request.get_ref().user_id)?;
        let req = request.into_inner();
        let resp = match self.payments.get(&req.payment_intent_id) {
            Some(p) if caller.may_act_on(&p.user_id) => pb::GetPaymentStatusResponse {
                payment: Some(p),
                error: None,
            },
            Some(_) => pb::GetPaymentStatusResponse {
                payment: None,
                error: Some(in_band(ErrorCode::Forbidden, "not your payment")),
            },
            None => pb::GetPaymentStatusResponse {
                payment: None,
                error: Some(in_band(ErrorCode::NotFound, "unknown payment intent")),
            },
        };
        Ok(Response::new(resp))
    }

    async fn cancel_payment(
        &self,
        request: Request<pb::CancelPaymentRequest>,
    ) -> Result<Response<pb::CancelPaymentResponse>, Status> {
        let req = request.into_inner();
        let Some(p) = self.payments.cancel(&req.payment_intent_id) else {
            return Ok(Response::new(pb::CancelPaymentResponse {
                error: Some(in_band(ErrorCode::NotFound, "unknown payment intent")),
                ..Default::default()
            }));
        };
        let refunded = p.status == PaymentStatus::Refunded as i32;
        Ok(Response::new(pb::CancelPaymentResponse {
            status: p.status,
            cancelled_at: p.updated_at,
            refunded_amount: if refunded {
                p.amount.clone()
            } else {
                Some(Money::default())
            },
            refund_id: if refunded {
                new_id("rfd")
            } else {
                String::new()
            },
            error: None,
        }))
    }

    async fn list_payments(
        &self,
        request: Request<pb::ListPaymentsRequest>,
    ) -> Result<Response<pb::ListPaymentsResponse>, Status> {
        let caller = caller_of(&request, &request.get_ref().user_id)?;
        let req = request.into_inner();
        let intents = self.payments.intents.lock();
        let mut payments: Vec<pb::Payment> = intents
            .values()
            .map(|i| &i.payment)
            .filter(|p| caller.may_act_on(&p.user_id))
            .filter(|p| req.reservation_id.is_empty() || p.reservation_id == req.reservation_id)
            .filter(|p| req.status == 0 || p.status == req.status)
            .cloned()
            .collect();
        payments.sort_by(|a, b| a.payment_intent_id.cmp(&b.payment_intent_id));
        Ok(Response::new(pb::ListPaymentsResponse {
            payments,
            page_info: None,
            error: None,
        }))
    }

    async fn simulate_webhook(
        &self,
        request: Request<pb::SimulateWebhookRequest>,
    ) -> Result<Response<pb::SimulateWebhookResponse>, Status> {
        let req = request.into_inner();
        let status = match PaymentStatus::try_from(req.target_status) {
            Ok(s @ (PaymentStatus::Completed | PaymentStatus::Failed)) => s,
            _ => {
                return Err(Status::invalid_argument(
                    "target_status must be COMPLETED or FAILED",
                ));
            }
        };
        let has_url = self
            .payments
            .intents
            .lock()
            .get(&req.payment_intent_id)
            .map(|i| !i.webhook_url.is_empty());
        let Some(has_url) = has_url else {
            return Ok(Response::new(pb::SimulateWebhookResponse {
                error: Some(in_band(ErrorCode::NotFound, "unknown payment intent")),
                ..Default::default()
            }));
        };
        let delay = Duration::from_secs(u64::try_from(req.delay_seconds).unwrap_or(0));
        let payments = self.payments.clone();
        let intent = req.payment_intent_id.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            payments.settle(&intent, status);
        });
        Ok(Response::new(pb::SimulateWebhookResponse {
            webhook_sent: has_url,
            webhook_id: new_id("whk"),
            scheduled_at: Some(timestamp(now_ms() + delay.as_millis() as u64)),
            error: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_tampering_is_detected() {
        let sig = webhook_signature("secret", b"{\"a\":1}");
        assert!(sig.starts_with("sha256="));
        assert!(verify_webhook_signature("secret", b"{\"a\":1}", &sig));
        assert!(!verify_webhook_signature("secret", b"{\"a\":2}", &sig));
        assert!(!verify_webhook_signature("other", b"{\"a\":1}", &sig));
        assert!(!verify_webhook_signature(
            "secret",
            b"{\"a\":1}",
            "sha256=zz"
        ));
        assert!(!verify_webhook_signature("secret", b"{\"a\":1}", &sig[7..]));
    }
}
