//! The payment simulator: `payment.v1.PaymentService`.
//!
//! An intent is created PENDING and settled exactly once (a compare-and-set from PENDING), by
//! its scenario's timer or by an explicit `ProcessPayment`, whichever comes first. The result is
//! stored (status reads tell the truth) and, when the intent names a `webhook_url`, delivered as
//! the seed's signed webhook, with retries.
//!
//! [`Payments`] (here) is the simulator; `webhook.rs` delivers its webhooks; [`PaymentApi`]
//! (`grpc.rs`) serves it as `payment.v1.PaymentService`.

mod grpc;
mod webhook;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::sync::broadcast;
use tonic::Status;
use usher_proto::Secret;
use usher_proto::common::v1::ErrorCode;
use usher_proto::payment::v1 as pb;

use crate::clock::{millis, now_ms, timestamp};
use crate::events::{BackendEvent, EventKind};
use crate::new_id;
use crate::rpc::in_band;
pub use grpc::PaymentApi;
use pb::{PaymentScenario, PaymentStatus};
use webhook::Webhooks;

/// How long an intent may be paid.
const INTENT_LIFETIME_MS: u64 = 15 * 60 * 1_000;

/// The simulator's timing and secrets.
#[derive(Debug, Clone)]
pub struct PaymentSettings {
    /// Delay before APPROVE, FAIL and RANDOM intents settle.
    pub delay: Duration,
    /// Delay before DELAY intents settle.
    pub long_delay: Duration,
    /// Probability that a RANDOM intent is approved.
    pub random_success: f64,
    /// HMAC key of the webhooks.
    pub webhook_secret: Secret,
    /// How long a webhook is retried: as long as the hold it pays for can last (after that,
    /// the hold has expired and the payment is refunded).
    pub webhook_retry_for: Duration,
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
    webhooks: Webhooks,
}

fn roll(p: f64) -> bool {
    // A uniform draw from the operating system's randomness (through a v4 UUID's bits).
    (uuid::Uuid::new_v4().as_u128() >> 64) as f64 / u64::MAX as f64 <= p
}

impl Payments {
    pub fn new(settings: PaymentSettings, bus: broadcast::Sender<BackendEvent>) -> Arc<Self> {
        Arc::new(Self {
            webhooks: Webhooks::new(settings.webhook_secret.clone()),
            settings,
            intents: Mutex::new(HashMap::new()),
            by_key: Mutex::new(HashMap::new()),
            bus,
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
            PaymentScenario::Delay => Some(self.settings.long_delay),
            _ => Some(self.settings.delay),
        };
        if let Some(delay) = delay {
            let me = self.clone();
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                me.settle(&id, me.outcome(scenario));
            });
        }
        Ok(resp)
    }

    fn created(p: &pb::Payment, now: u64) -> pb::CreatePaymentIntentResponse {
        let created = p.created_at.as_ref().map_or(now, millis);
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
            let until = tokio::time::Instant::now() + self.settings.webhook_retry_for;
            tokio::spawn(
                self.webhooks
                    .clone()
                    .deliver(webhook, payment.clone(), until),
            );
        }
        Some(payment)
    }

    /// Cancels a pending intent, or refunds a completed one.
    /// The completed payments of a reservation (normally none or one).
    pub fn completed_for(&self, reservation_id: &str) -> Vec<String> {
        self.intents
            .lock()
            .values()
            .filter(|i| {
                i.payment.reservation_id == reservation_id
                    && i.payment.status == PaymentStatus::Completed as i32
            })
            .map(|i| i.payment.payment_intent_id.clone())
            .collect()
    }

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

    /// The scenario of an intent.
    fn scenario(&self, intent: &str) -> Option<PaymentScenario> {
        self.intents.lock().get(intent).map(|i| i.scenario)
    }

    /// Whether an intent names a webhook URL; `None` for an unknown intent.
    fn has_webhook(&self, intent: &str) -> Option<bool> {
        self.intents
            .lock()
            .get(intent)
            .map(|i| !i.webhook_url.is_empty())
    }

    /// Every stored payment that `keep` accepts, in intent id order.
    fn list(&self, keep: impl Fn(&pb::Payment) -> bool) -> Vec<pb::Payment> {
        let mut payments: Vec<pb::Payment> = self
            .intents
            .lock()
            .values()
            .map(|i| &i.payment)
            .filter(|p| keep(p))
            .cloned()
            .collect();
        payments.sort_by(|a, b| a.payment_intent_id.cmp(&b.payment_intent_id));
        payments
    }
}
