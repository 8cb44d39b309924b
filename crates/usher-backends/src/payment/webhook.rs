//! Delivery of the simulator's signed webhooks ([`PaymentWebhook`]): posted to the intent's
//! `webhook_url` and retried with backoff until a 2xx answer, for as long as the hold it pays
//! for can last. A payment whose webhook never got through is refunded when its hold expires
//! ([`crate::reservation`]).

use std::time::Duration;

use reqwest::header::HeaderMap;

use tracing::{debug, warn};
use usher_proto::Secret;
use usher_proto::payment::v1 as pb;
use usher_proto::payment::{ATTEMPT_HEADER, PaymentWebhook, SIGNATURE_HEADER, webhook_signature};

use crate::clock::now_ms;

/// The wait before the first retry; it doubles up to [`WEBHOOK_MAX_RETRY`].
const WEBHOOK_FIRST_RETRY: Duration = Duration::from_millis(500);
const WEBHOOK_MAX_RETRY: Duration = Duration::from_secs(5);
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(5);

/// Posts webhooks signed with one key. Cheap to clone.
#[derive(Clone)]
pub(super) struct Webhooks {
    http: reqwest::Client,
    secret: Secret,
}

impl Webhooks {
    pub(super) fn new(secret: Secret) -> Self {
        Self {
            http: reqwest::Client::builder()
                .timeout(WEBHOOK_TIMEOUT)
                .build()
                .expect("HTTP client"),
            secret,
        }
    }

    /// Posts the signed webhook of a settled payment, retrying with backoff until a 2xx answer
    /// or `until_ms` (by the backends' clock, so a deadline read back after a restart still
    /// holds). `trace` (`traceparent`, from the call that created the intent) makes the
    /// receiver's span part of the purchase's trace. Returns whether it was delivered.
    pub(super) async fn deliver(
        self,
        url: String,
        p: pb::Payment,
        until_ms: u64,
        trace: HeaderMap,
    ) -> bool {
        let webhook = PaymentWebhook {
            payment_id: p.payment_intent_id.clone(),
            payment_intent_id: Some(p.payment_intent_id.clone()),
            reservation_id: p.reservation_id.clone(),
            status: pb::PaymentStatus::try_from(p.status)
                .unwrap_or(pb::PaymentStatus::Unspecified)
                .as_str_name()
                .to_owned(),
            timestamp: now_ms() / 1_000,
        };
        let body = webhook.to_body(&p.amount.clone().unwrap_or_default());
        let signature = webhook_signature(self.secret.expose(), body.as_bytes());
        let mut wait = WEBHOOK_FIRST_RETRY;
        for attempt in 1.. {
            let sent = self
                .http
                .post(&url)
                .header("content-type", "application/json")
                .header("user-agent", "usher-payment-sim/1.0")
                .header(SIGNATURE_HEADER, &signature)
                .header(ATTEMPT_HEADER, attempt.to_string())
                .headers(trace.clone())
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => {
                    debug!(intent = %p.payment_intent_id, attempt, "webhook delivered");
                    return true;
                }
                Ok(r) => {
                    warn!(intent = %p.payment_intent_id, attempt, status = %r.status(), "webhook refused")
                }
                Err(e) => {
                    warn!(intent = %p.payment_intent_id, attempt, error = %e, "webhook not delivered")
                }
            }
            if now_ms() + wait.as_millis() as u64 >= until_ms {
                warn!(intent = %p.payment_intent_id, attempt, "webhook given up: the hold it pays for is over");
                return false;
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(WEBHOOK_MAX_RETRY);
        }
        false
    }
}
