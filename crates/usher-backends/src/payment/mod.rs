//! The payment simulator: `payment.v1.PaymentService`.
//!
//! An intent is created PENDING and settled exactly once (a compare-and-set from PENDING), by
//! its scenario's timer or by an explicit `ProcessPayment`, whichever comes first. The result is
//! stored (status reads tell the truth) and, when the intent names a `webhook_url`, delivered as
//! the seed's signed webhook, with retries.
//!
//! With a data directory every intent is written to the journal whole at each change, with what
//! it still has to do: when it settles by itself (and as what), and until when its webhook is
//! retried. A restart takes both up again (`Payments::resume`): a settlement whose time passed
//! while the process was down happens at once, and a webhook not yet delivered is retried until
//! its original deadline. A settlement is on disk before anyone hears of it (event, webhook,
//! answer).
//!
//! [`Payments`] (here) is the simulator; `webhook.rs` delivers its webhooks; [`PaymentApi`]
//! (`grpc.rs`) serves it as `payment.v1.PaymentService`.

mod grpc;
mod webhook;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use parking_lot::Mutex;
use reqwest::header::HeaderMap;
use tokio::sync::broadcast;
use tonic::Status;
use tracing::warn;
use usher_durable::{Pending, Write};
use usher_proto::Secret;
use usher_proto::common::v1::ErrorCode;
use usher_proto::payment::v1 as pb;

use crate::clock::{millis, now_ms, timestamp};
use crate::events::{BackendEvent, EventKind};
use crate::journal::{Journal, PAYMENTS, durable, put};
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

/// One payment intent: what the simulator serves, and what it still has to do.
struct Intent {
    payment: pb::Payment,
    scenario: PaymentScenario,
    webhook_url: String,
    /// The `by_key` entry that names this intent, if its request had an idempotency key.
    key: Option<String>,
    /// While pending: when it settles by itself, and as what.
    settles: Option<Settlement>,
    /// Until when its webhook is retried (ms since the Unix epoch), while undelivered.
    webhook_until_ms: Option<u64>,
    /// The trace context of the call that created it, which its webhook continues (so that
    /// the settlement is part of the purchase's trace); not kept across a restart.
    trace: HeaderMap,
}

/// When a pending intent settles by itself (ms since the Unix epoch), and as what (`None`: as
/// its scenario decides then).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Settlement {
    at_ms: u64,
    status: Option<PaymentStatus>,
}

/// An [`Intent`] as the journal keeps it; zero and empty stand for none.
#[derive(Clone, PartialEq, prost::Message)]
struct IntentRecord {
    #[prost(message, optional, tag = "1")]
    payment: Option<pb::Payment>,
    #[prost(int32, tag = "2")]
    scenario: i32,
    #[prost(string, tag = "3")]
    webhook_url: String,
    #[prost(string, tag = "4")]
    key: String,
    #[prost(uint64, tag = "5")]
    settles_at_ms: u64,
    #[prost(int32, tag = "6")]
    settles_as: i32,
    #[prost(uint64, tag = "7")]
    webhook_until_ms: u64,
}

impl Intent {
    /// The journal's write of the intent as it is now.
    fn write(&self) -> Write {
        let record = IntentRecord {
            payment: Some(self.payment.clone()),
            scenario: self.scenario as i32,
            webhook_url: self.webhook_url.clone(),
            key: self.key.clone().unwrap_or_default(),
            settles_at_ms: self.settles.map_or(0, |s| s.at_ms),
            settles_as: self.settles.and_then(|s| s.status).map_or(0, |s| s as i32),
            webhook_until_ms: self.webhook_until_ms.unwrap_or(0),
        };
        put(
            PAYMENTS,
            self.payment.payment_intent_id.as_bytes().to_vec(),
            &record,
        )
    }

    /// An intent read back from the journal (`None` for a record without its payment).
    fn read(r: IntentRecord) -> Option<Self> {
        Some(Self {
            payment: r.payment?,
            scenario: PaymentScenario::try_from(r.scenario).unwrap_or(PaymentScenario::Approve),
            webhook_url: r.webhook_url,
            key: (!r.key.is_empty()).then_some(r.key),
            settles: (r.settles_at_ms != 0).then(|| Settlement {
                at_ms: r.settles_at_ms,
                status: PaymentStatus::try_from(r.settles_as)
                    .ok()
                    .filter(|s| *s != PaymentStatus::Unspecified),
            }),
            webhook_until_ms: (r.webhook_until_ms != 0).then_some(r.webhook_until_ms),
            trace: HeaderMap::new(),
        })
    }
}

/// The simulator's state.
pub struct Payments {
    settings: PaymentSettings,
    intents: Mutex<HashMap<String, Intent>>,
    /// Idempotency key → intent id.
    by_key: Mutex<HashMap<String, String>>,
    bus: broadcast::Sender<BackendEvent>,
    webhooks: Webhooks,
    /// Where every change to an intent is written.
    journal: Journal,
}

fn roll(p: f64) -> bool {
    // A uniform draw from the operating system's randomness (through a v4 UUID's bits).
    (uuid::Uuid::new_v4().as_u128() >> 64) as f64 / u64::MAX as f64 <= p
}

impl Payments {
    /// The simulator, with the intents the journal kept (none in memory). Nothing runs until
    /// [`Payments::resume`].
    pub(crate) fn new(
        settings: PaymentSettings,
        bus: broadcast::Sender<BackendEvent>,
        journal: Journal,
    ) -> anyhow::Result<Arc<Self>> {
        let mut intents = HashMap::new();
        let mut by_key = HashMap::new();
        for record in journal.load::<IntentRecord>(PAYMENTS)? {
            let intent = Intent::read(record).context("a payment record without its payment")?;
            let id = intent.payment.payment_intent_id.clone();
            if let Some(key) = &intent.key {
                by_key.insert(key.clone(), id.clone());
            }
            intents.insert(id, intent);
        }
        Ok(Arc::new(Self {
            webhooks: Webhooks::new(settings.webhook_secret.clone()),
            settings,
            intents: Mutex::new(intents),
            by_key: Mutex::new(by_key),
            bus,
            journal,
        }))
    }

    /// Takes up what the intents read back at start were doing: each pending settlement runs at
    /// its time (at once if that passed while the process was down), and each undelivered
    /// webhook is retried until its deadline.
    pub(crate) fn resume(self: &Arc<Self>) {
        let now = now_ms();
        let (settlements, webhooks): (Vec<_>, Vec<_>) = {
            let intents = self.intents.lock();
            let settlements = intents
                .iter()
                .filter_map(|(id, i)| Some((id.clone(), i.settles?)))
                .collect();
            let webhooks = intents
                .values()
                .filter_map(|i| {
                    let until = i.webhook_until_ms.filter(|&until| until > now)?;
                    Some((i.webhook_url.clone(), i.payment.clone(), until))
                })
                .collect();
            (settlements, webhooks)
        };
        for (id, settlement) in settlements {
            self.settle_at(id, settlement);
        }
        for (url, payment, until) in webhooks {
            // After a restart the trace is gone: these deliveries start their own.
            self.deliver(url, payment, until, HeaderMap::new());
        }
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

    /// Creates an intent (or finds the one its idempotency key made). Returns the answer and
    /// the change's batch: the answer may go once the batch is on disk.
    fn create(
        self: &Arc<Self>,
        req: pb::CreatePaymentIntentRequest,
    ) -> Result<(pb::CreatePaymentIntentResponse, Pending), Status> {
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
            let resp = if same {
                Self::created(&existing.payment, now)
            } else {
                pb::CreatePaymentIntentResponse {
                    error: Some(in_band(
                        ErrorCode::IdempotencyConflict,
                        "idempotency key used for another payment",
                    )),
                    ..Default::default()
                }
            };
            return Ok((resp, Pending::ready()));
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
        if let Some(key) = &key {
            by_key.insert(key.clone(), id.clone());
        }
        let delay = match scenario {
            PaymentScenario::Timeout => None,
            PaymentScenario::Delay => Some(self.settings.long_delay),
            _ => Some(self.settings.delay),
        };
        let settles = delay.map(|d| Settlement {
            at_ms: now + d.as_millis() as u64,
            status: None,
        });
        let intent = Intent {
            payment,
            scenario,
            webhook_url: req.webhook_url,
            key,
            settles,
            webhook_until_ms: None,
            trace: {
                let mut trace = HeaderMap::new();
                usher_otel::inject(&tracing::Span::current(), &mut trace);
                trace
            },
        };
        let written = self.journal.write(vec![intent.write()]);
        intents.insert(id.clone(), intent);
        drop((intents, by_key));
        if let Some(settlement) = settles {
            self.settle_at(id, settlement);
        }
        Ok((resp, written))
    }

    /// Settles a pending intent as `settlement` says, when it says (as its scenario decides
    /// then, unless it names a status).
    fn settle_at(self: &Arc<Self>, intent: String, settlement: Settlement) {
        let me = self.clone();
        tokio::spawn(async move {
            let wait = settlement.at_ms.saturating_sub(now_ms());
            tokio::time::sleep(Duration::from_millis(wait)).await;
            let Some(scenario) = me.scenario(&intent) else {
                return;
            };
            let status = settlement.status.unwrap_or_else(|| me.outcome(scenario));
            if let Err(e) = me.settle(&intent, status).await {
                warn!(intent, error = %e.message(), "payment not settled");
            }
        });
    }

    /// Has a pending intent settle as `status` at `at_ms` (its own settlement still runs if it
    /// comes first: the first to run settles it). `None` for an unknown intent; the change is
    /// durable once the [`Pending`] resolves.
    pub(crate) fn settle_later(
        self: &Arc<Self>,
        intent: &str,
        at_ms: u64,
        status: PaymentStatus,
    ) -> Option<Pending> {
        let mut intents = self.intents.lock();
        let i = intents.get_mut(intent)?;
        if i.payment.status != PaymentStatus::Pending as i32 {
            return Some(Pending::ready());
        }
        let settlement = Settlement {
            at_ms,
            status: Some(status),
        };
        // The journal keeps the earlier of the two: the one that will settle the intent.
        let written = if i.settles.is_none_or(|s| at_ms < s.at_ms) {
            i.settles = Some(settlement);
            self.journal.write(vec![i.write()])
        } else {
            Pending::ready()
        };
        drop(intents);
        self.settle_at(intent.to_owned(), settlement);
        Some(written)
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
    /// Returns the stored payment once the settlement is on disk; only then does anyone hear of
    /// it (the bus, the webhook).
    pub async fn settle(
        self: &Arc<Self>,
        intent: &str,
        status: PaymentStatus,
    ) -> Result<Option<pb::Payment>, Status> {
        let (payment, webhook, written) = {
            let mut intents = self.intents.lock();
            let Some(i) = intents.get_mut(intent) else {
                return Ok(None);
            };
            if i.payment.status != PaymentStatus::Pending as i32 {
                return Ok(Some(i.payment.clone()));
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
            i.settles = None;
            // Retried as long as the hold it pays for can last (after that, the hold has
            // expired and the payment is refunded).
            i.webhook_until_ms = (!i.webhook_url.is_empty())
                .then(|| now + self.settings.webhook_retry_for.as_millis() as u64);
            let written = self.journal.write(vec![i.write()]);
            let webhook = i
                .webhook_until_ms
                .map(|until| (i.webhook_url.clone(), until, i.trace.clone()));
            (i.payment.clone(), webhook, written)
        };
        durable([written]).await?;
        let kind = if status == PaymentStatus::Completed {
            EventKind::PaymentApproved
        } else {
            EventKind::PaymentFailed
        };
        let _ = self.bus.send(BackendEvent::payment(kind, &payment));
        if let Some((url, until, trace)) = webhook {
            self.deliver(url, payment.clone(), until, trace);
        }
        Ok(Some(payment))
    }

    /// Delivers a settled intent's webhook in the background, retried until `until_ms`; a
    /// delivered webhook is not retried after a restart.
    fn deliver(
        self: &Arc<Self>,
        url: String,
        payment: pb::Payment,
        until_ms: u64,
        trace: HeaderMap,
    ) {
        let me = self.clone();
        tokio::spawn(async move {
            let intent = payment.payment_intent_id.clone();
            if me
                .webhooks
                .clone()
                .deliver(url, payment, until_ms, trace)
                .await
            {
                let mut intents = me.intents.lock();
                if let Some(i) = intents.get_mut(&intent) {
                    i.webhook_until_ms = None;
                    // Not waited for: lost, it only means one more delivery after a restart,
                    // which webhooks allow.
                    drop(me.journal.write(vec![i.write()]));
                }
            }
        });
    }

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

    /// Cancels a pending intent, or refunds a completed one. Returns the stored payment, and the
    /// change's batch (durable once it resolves).
    pub fn cancel(&self, intent: &str) -> Option<(pb::Payment, Pending)> {
        let mut intents = self.intents.lock();
        let i = intents.get_mut(intent)?;
        let now = now_ms();
        let next = match PaymentStatus::try_from(i.payment.status) {
            Ok(PaymentStatus::Pending | PaymentStatus::Processing) => PaymentStatus::Cancelled,
            Ok(PaymentStatus::Completed) => PaymentStatus::Refunded,
            _ => return Some((i.payment.clone(), Pending::ready())),
        };
        i.payment.status = next as i32;
        i.payment.updated_at = Some(timestamp(now));
        i.settles = None;
        let written = self.journal.write(vec![i.write()]);
        let payment = i.payment.clone();
        drop(intents);
        if next == PaymentStatus::Refunded {
            let _ = self
                .bus
                .send(BackendEvent::payment(EventKind::PaymentRefunded, &payment));
        }
        Some((payment, written))
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
    pub(crate) fn list(&self, keep: impl Fn(&pb::Payment) -> bool) -> Vec<pb::Payment> {
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
