//! The payment service's contract: `payment.v1` ([`v1`]), the metadata entry with which a caller
//! of `ProcessPayment` chooses the simulator's outcome, and the signed webhook a settled payment
//! sends to the gateway.
//!
//! The webhook is the seed's: a JSON body ([`PaymentWebhook::to_body`]) posted with
//! [`SIGNATURE_HEADER`] = `sha256=<hex HMAC-SHA256(secret, body)>` ([`webhook_signature`]) and
//! the attempt number in [`ATTEMPT_HEADER`]. The receiver checks the signature over the raw
//! body ([`verify_webhook_signature`]) before it parses anything.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::common::v1::Money;

/// `payment.v1`: `PaymentService`.
#[allow(clippy::all, clippy::pedantic, missing_docs)]
pub mod v1 {
    tonic::include_proto!("payment.v1");
}

/// gRPC metadata key with which a caller of `ProcessPayment` chooses the outcome
/// (`approve` or `fail`); the proto has no field for it.
pub const ACTION_METADATA: &str = "x-payment-action";
/// Header carrying the webhook's signature: `sha256=<hex HMAC-SHA256(secret, body)>`.
pub const SIGNATURE_HEADER: &str = "x-webhook-signature";
/// Header carrying which delivery attempt of one webhook this is, from 1.
pub const ATTEMPT_HEADER: &str = "x-webhook-attempt";
/// The `event_type` of every payment webhook.
pub const WEBHOOK_EVENT_TYPE: &str = "payment.status_updated";

/// What a payment webhook says about a settled payment: the fields its receiver acts on.
/// Receivers ignore every other field, so a payment service may send more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PaymentWebhook {
    /// The payment's id (the seed's name; the intent id when `payment_intent_id` is absent).
    pub payment_id: String,
    #[serde(default)]
    pub payment_intent_id: Option<String>,
    /// The reservation the payment says it pays for.
    pub reservation_id: String,
    /// The payment's `payment.v1.PaymentStatus` name, e.g. `COMPLETED` or `FAILED`.
    pub status: String,
    /// When the webhook was made, in seconds since the Unix epoch (receivers refuse stale ones).
    pub timestamp: u64,
}

/// The body as sent: the webhook and, for the receiver's records, the amount and the event
/// type. Fields in name order, as the seed's JSON object encodes them.
#[derive(Serialize)]
struct Body<'a> {
    amount: i64,
    currency: &'a str,
    event_type: &'static str,
    #[serde(flatten)]
    webhook: &'a PaymentWebhook,
}

impl PaymentWebhook {
    /// The JSON body of this webhook for a payment of `amount`.
    pub fn to_body(&self, amount: &Money) -> String {
        let body = Body {
            amount: amount.amount,
            currency: &amount.currency,
            event_type: WEBHOOK_EVENT_TYPE,
            webhook: self,
        };
        serde_json::to_string(&body).expect("a webhook body always encodes")
    }
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

    fn webhook() -> PaymentWebhook {
        PaymentWebhook {
            payment_id: "pay_1".into(),
            payment_intent_id: Some("pay_1".into()),
            reservation_id: "rsv_1".into(),
            status: "COMPLETED".into(),
            timestamp: 1_700_000_000,
        }
    }

    #[test]
    fn the_body_is_the_seeds_json_object() {
        let amount = Money {
            amount: 2_000,
            currency: "KRW".into(),
        };
        let seed = serde_json::json!({
            "payment_id": "pay_1",
            "payment_intent_id": "pay_1",
            "reservation_id": "rsv_1",
            "status": "COMPLETED",
            "amount": 2_000,
            "currency": "KRW",
            "timestamp": 1_700_000_000u64,
            "event_type": "payment.status_updated",
        });
        assert_eq!(webhook().to_body(&amount), seed.to_string());
    }

    #[test]
    fn receivers_read_the_webhook_and_ignore_the_rest() {
        let body = webhook().to_body(&Money::default());
        assert_eq!(
            serde_json::from_str::<PaymentWebhook>(&body).unwrap(),
            webhook()
        );
        let seed_style: PaymentWebhook = serde_json::from_str(
            r#"{"payment_id":"pay_2","reservation_id":"rsv_2","status":"FAILED","timestamp":5,"amount":"n/a"}"#,
        )
        .unwrap();
        assert_eq!(seed_style.payment_intent_id, None);
    }
}
