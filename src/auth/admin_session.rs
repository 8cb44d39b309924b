//! Operators' dashboard sessions. Signing in exchanges an admin token, once, for an HttpOnly,
//! SameSite=Strict cookie: the token never sits in a URL, in page storage or in a script's
//! reach. The cookie is signed with a key derived from `JWT_SECRET` (every replica accepts it)
//! and names the token it was made from by fingerprint, so removing a token from
//! `USHER_ADMIN_TOKEN` ends its sessions too.

use std::time::Duration;

use axum::http::HeaderValue;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::config::Secret;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "usher_admin";

/// Who made an admin request: the admin token's name (a fingerprint of it, never the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator(pub String);

impl Operator {
    /// `admin:` and the first 8 hex digits of the token's SHA-256.
    pub fn of(token: &Secret) -> Self {
        Self(format!("admin:{}", fingerprint(token.expose())))
    }
}

fn fingerprint(token: &str) -> String {
    hex::encode(&Sha256::digest(token.as_bytes())[..4])
}

/// Signs and checks dashboard sessions with one key, shared by every replica.
pub struct Sessions {
    key: [u8; 32],
    lifetime: Duration,
    /// Set the cookie's `Secure` attribute (everywhere but development, which runs over plain
    /// HTTP on localhost).
    secure: bool,
}

impl Sessions {
    pub fn new(secret: &[u8], lifetime: Duration, secure: bool) -> Self {
        let key = Sha256::new()
            .chain_update(b"usher-admin-session-v1")
            .chain_update(secret)
            .finalize()
            .into();
        Self {
            key,
            lifetime,
            secure,
        }
    }

    /// How long a session lasts.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    fn mac(&self, body: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(body.as_bytes());
        mac
    }

    /// A session for `token`'s holder from `now_ms`: the cookie's value and when it expires.
    pub fn issue(&self, token: &Secret, now_ms: u64) -> (String, u64) {
        let expires_ms = now_ms + self.lifetime.as_millis() as u64;
        let body = format!("v1.{expires_ms}.{}", fingerprint(token.expose()));
        let tag = hex::encode(self.mac(&body).finalize().into_bytes());
        (format!("{body}.{tag}"), expires_ms)
    }

    /// The operator a cookie value stands for, if it is ours, unexpired, and made from a token
    /// still configured; and when it expires.
    pub fn check(&self, value: &str, tokens: &[Secret], now_ms: u64) -> Option<(Operator, u64)> {
        let (body, tag) = value.rsplit_once('.')?;
        let tag = hex::decode(tag).ok()?;
        self.mac(body).verify_slice(&tag).ok()?;
        let mut parts = body.split('.');
        let (Some("v1"), Some(expires), Some(fp), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let expires_ms: u64 = expires.parse().ok()?;
        let token = tokens.iter().find(|t| fingerprint(t.expose()) == fp)?;
        (expires_ms > now_ms).then(|| (Operator::of(token), expires_ms))
    }

    /// The `Set-Cookie` value for `value`, kept `max_age_secs` (0 clears it).
    pub fn cookie(&self, value: &str, max_age_secs: u64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{SESSION_COOKIE}={value}; Path=/api/v1/admin; Max-Age={max_age_secs}; HttpOnly; \
             SameSite=Strict{secure}"
        ))
        .expect("a cookie of ASCII")
    }
}
