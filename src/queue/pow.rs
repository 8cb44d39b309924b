//! The optional proof of work on join: a cost for bots. An operator sets an event's
//! `pow_difficulty` (leading zero bits, 0 = off) and may raise it during an attack. A client
//! asks for a challenge, finds a nonce such that `SHA-256(challenge ":" nonce)` starts with that
//! many zero bits (the web client does it in a Web Worker), and joins with both.
//!
//! Challenges are stateless: signed by usher (HMAC-SHA-256 over the event, the difficulty, the
//! expiry and a random id), so any replica checks one issued by another, and issuing one costs
//! nothing to store. A solution is spent once: its challenge id is claimed in the store (an
//! idempotency record that expires with the challenge), keyed by the join's own
//! `Idempotency-Key`, so that a retried join is not refused as a reuse.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::domain::EventId;

/// The most leading zero bits an operator may ask for: 2^32 hashes, minutes of a browser.
pub const MAX_DIFFICULTY: u8 = 32;

/// `GET /api/v1/queue/challenge`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Challenge {
    /// The text to hash with a nonce: `SHA-256(challenge ":" nonce)`.
    pub challenge: String,
    /// Leading zero bits the hash must have; 0: none is required.
    pub difficulty: u8,
    /// ms since the Unix epoch; a solution must arrive before.
    pub expires_at: u64,
}

/// A join's solution (the `pow` field of its body).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    #[schema(max_length = 256)]
    pub challenge: String,
    /// Decimal digits.
    #[schema(max_length = 20, pattern = r"^[0-9]{1,20}$")]
    pub nonce: String,
}

impl Solution {
    /// Whether it has the documented shape (a challenge of at most 256 characters, a nonce of
    /// 1 to 20 decimal digits): anything else is bad input, whatever the event asks for.
    pub fn well_formed(&self) -> bool {
        self.challenge.chars().count() <= 256
            && (1..=20).contains(&self.nonce.len())
            && self.nonce.bytes().all(|b| b.is_ascii_digit())
    }
}

/// Why a solution is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PowError {
    #[error("this sale asks for a proof of work: fetch a challenge and solve it")]
    Required { difficulty: u8 },
    #[error("the proof of work is not valid: {0}")]
    Invalid(&'static str),
    #[error("the challenge expired: fetch a new one")]
    Expired,
    #[error("the sale now asks for a harder proof of work: fetch a new challenge")]
    TooEasy { difficulty: u8 },
    #[error("this challenge was used already: fetch a new one")]
    Reused,
}

/// A solution that passed every check but its single use: the id to claim, and for how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spend {
    pub id: String,
    pub ttl_ms: u64,
}

/// Issues and checks challenges with one key, shared by every replica.
pub struct Pow {
    key: [u8; 32],
    ttl_ms: u64,
}

impl Pow {
    /// The key is derived from `secret` (shared by every replica); challenges live `ttl_ms`.
    pub fn new(secret: &[u8], ttl_ms: u64) -> Self {
        let key = Sha256::new()
            .chain_update(b"usher-pow-v1")
            .chain_update(secret)
            .finalize()
            .into();
        Self { key, ttl_ms }
    }

    fn mac(&self, body: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(body.as_bytes());
        mac
    }

    /// A challenge for `event` at `difficulty`, valid until `now_ms` + the challenge lifetime.
    pub fn issue(&self, event: &EventId, difficulty: u8, now_ms: u64) -> Challenge {
        let expires_at = now_ms + self.ttl_ms;
        let id = uuid::Uuid::new_v4().simple().to_string();
        let body = format!("v1:{difficulty}:{expires_at}:{id}:{event}");
        let tag = hex::encode(self.mac(&body).finalize().into_bytes());
        Challenge {
            challenge: format!("v1:{difficulty}:{expires_at}:{id}:{tag}:{event}"),
            difficulty,
            expires_at,
        }
    }

    /// Checks a join's solution for `event`, which now asks for `required` bits: signed by
    /// usher for this event, not expired, at least as hard as required, and solved. Returns
    /// what to spend.
    pub fn check(
        &self,
        event: &EventId,
        solution: Option<&Solution>,
        required: u8,
        now_ms: u64,
    ) -> Result<Option<Spend>, PowError> {
        if required == 0 {
            return Ok(None);
        }
        let Some(solution) = solution else {
            return Err(PowError::Required {
                difficulty: required,
            });
        };
        let mut parts = solution.challenge.splitn(6, ':');
        let (Some("v1"), Some(difficulty), Some(expires), Some(id), Some(tag), Some(for_event)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(PowError::Invalid("not a challenge usher issued"));
        };
        let body = format!("v1:{difficulty}:{expires}:{id}:{for_event}");
        let signed = hex::decode(tag)
            .ok()
            .is_some_and(|tag| self.mac(&body).verify_slice(&tag).is_ok());
        if !signed {
            return Err(PowError::Invalid("not a challenge usher issued"));
        }
        if for_event != event.as_str() {
            return Err(PowError::Invalid("the challenge is for another event"));
        }
        let (Ok(difficulty), Ok(expires)) = (difficulty.parse::<u8>(), expires.parse::<u64>())
        else {
            return Err(PowError::Invalid("not a challenge usher issued"));
        };
        if expires <= now_ms {
            return Err(PowError::Expired);
        }
        if difficulty < required {
            return Err(PowError::TooEasy {
                difficulty: required,
            });
        }
        let digest = Sha256::new()
            .chain_update(solution.challenge.as_bytes())
            .chain_update(b":")
            .chain_update(solution.nonce.as_bytes())
            .finalize();
        if !solution.well_formed() || leading_zero_bits(&digest) < u32::from(difficulty) {
            return Err(PowError::Invalid(
                "the hash does not have enough leading zero bits",
            ));
        }
        Ok(Some(Spend {
            id: id.to_owned(),
            ttl_ms: expires - now_ms,
        }))
    }
}

/// Zero bits at the start of `bytes`, most significant first.
pub fn leading_zero_bits(bytes: &[u8]) -> u32 {
    let mut bits = 0;
    for b in bytes {
        if *b != 0 {
            return bits + b.leading_zeros();
        }
        bits += 8;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solve(challenge: &str, difficulty: u8) -> String {
        (0u64..)
            .map(|n| n.to_string())
            .find(|n| {
                let d = Sha256::digest(format!("{challenge}:{n}").as_bytes());
                leading_zero_bits(&d) >= u32::from(difficulty)
            })
            .unwrap()
    }

    #[test]
    fn a_solved_challenge_passes_and_every_kind_of_bad_one_is_refused() {
        let pow = Pow::new(b"secret", 60_000);
        let event = EventId::parse("evt_pow").unwrap();
        let c = pow.issue(&event, 8, 1_000);
        let good = Solution {
            nonce: solve(&c.challenge, 8),
            challenge: c.challenge.clone(),
        };
        let spend = pow.check(&event, Some(&good), 8, 2_000).unwrap().unwrap();
        assert_eq!(spend.ttl_ms, 59_000);
        assert_eq!(pow.check(&event, None, 0, 2_000), Ok(None));
        assert_eq!(
            pow.check(&event, None, 8, 2_000),
            Err(PowError::Required { difficulty: 8 })
        );
        assert_eq!(
            pow.check(&event, Some(&good), 8, 61_000),
            Err(PowError::Expired)
        );
        assert_eq!(
            pow.check(&event, Some(&good), 9, 2_000),
            Err(PowError::TooEasy { difficulty: 9 })
        );
        let other = EventId::parse("evt_other").unwrap();
        assert!(matches!(
            pow.check(&other, Some(&good), 8, 2_000),
            Err(PowError::Invalid(_))
        ));
        // Forged: another key, or a changed difficulty.
        let forged = Pow::new(b"other", 60_000).issue(&event, 8, 1_000);
        let forged = Solution {
            nonce: solve(&forged.challenge, 8),
            challenge: forged.challenge,
        };
        assert!(matches!(
            pow.check(&event, Some(&forged), 8, 2_000),
            Err(PowError::Invalid(_))
        ));
        let easier = Solution {
            challenge: good.challenge.replacen("v1:8:", "v1:9:", 1),
            nonce: good.nonce.clone(),
        };
        assert!(matches!(
            pow.check(&event, Some(&easier), 8, 2_000),
            Err(PowError::Invalid(_))
        ));
        // Unsolved.
        let wrong = (0u64..)
            .map(|n| n.to_string())
            .find(|n| {
                let d = Sha256::digest(format!("{}:{n}", c.challenge).as_bytes());
                leading_zero_bits(&d) < 8
            })
            .unwrap();
        let unsolved = Solution {
            challenge: c.challenge.clone(),
            nonce: wrong,
        };
        assert!(matches!(
            pow.check(&event, Some(&unsolved), 8, 2_000),
            Err(PowError::Invalid(_))
        ));
    }

    #[test]
    fn leading_zero_bits_count_across_byte_boundaries() {
        assert_eq!(leading_zero_bits(&[0x80]), 0);
        assert_eq!(leading_zero_bits(&[0x01]), 7);
        assert_eq!(leading_zero_bits(&[0x00, 0x40]), 9);
        assert_eq!(leading_zero_bits(&[0x00, 0x00]), 16);
    }
}
