//! Reservation tokens: what `enter` hands an admitted waiter, and what `POST /reservations`
//! demands. Each is an ES256 JWT (key id in its header; public key at
//! `/.well-known/jwks.json`, so backends can verify it too) bound to its event and waiting
//! token, short-lived (`ttl_sec`), and single-use: its id (`jti`) is claimed in the store by the
//! reservation it pays for.

use std::path::Path;

use anyhow::Context;
use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// `iss` and `aud` of reservation tokens: usher issues them for itself.
const ISSUER: &str = "usher";
const AUDIENCE: &str = "usher-reservations";

/// The claims of a reservation token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReservationClaims {
    pub iss: String,
    pub aud: String,
    /// The waiting token that was admitted.
    pub sub: String,
    pub event_id: String,
    /// Unique id; claimed once in the store when a reservation uses the token.
    pub jti: String,
    pub iat: u64,
    pub exp: u64,
    /// The latest expiry any copy of this grant can have (a buyer who enters again within the
    /// entry window gets the same grant re-signed): its spent mark must outlive it.
    #[serde(default)]
    pub regrant_until: u64,
}

/// Tolerance on a reservation token's expiry: nodes share the store's clock, so this only
/// covers the error of aligning to it.
const LEEWAY_SECS: u64 = 2;

/// Writes a generated key where the next start finds it, readable by this user alone.
fn keep_key(secret: &p256::SecretKey, path: &Path) -> anyhow::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let pem = secret
        .to_pkcs8_pem(Default::default())
        .map_err(|e| anyhow::anyhow!("cannot encode the reservation key: {e}"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(pem.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

/// Signs and verifies reservation tokens.
pub struct ReservationTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    kid: String,
    jwk: Jwk,
}

impl ReservationTokens {
    /// Loads the signing key from `key_file` (PKCS#8 PEM, P-256); without one, from
    /// `data_dir` (a key generated there on first start, so that tokens survive a restart), or
    /// a key generated for this process alone.
    pub fn new(key_file: Option<&Path>, data_dir: Option<&Path>) -> anyhow::Result<Self> {
        let kept = data_dir.map(|dir| dir.join("reservation-key.pem"));
        let secret = match key_file.or(kept.as_deref().filter(|p| p.exists())) {
            Some(path) => {
                let pem = std::fs::read_to_string(path).with_context(|| {
                    format!(
                        "cannot read {} (USHER_RESERVATION_KEY_FILE)",
                        path.display()
                    )
                })?;
                p256::SecretKey::from_pkcs8_pem(&pem).map_err(|e| {
                    anyhow::anyhow!(
                        "{} is not a PKCS#8 P-256 key (USHER_RESERVATION_KEY_FILE): {e}",
                        path.display()
                    )
                })?
            }
            None => {
                let secret = p256::SecretKey::random(&mut rand_core::OsRng);
                if let Some(path) = &kept {
                    keep_key(&secret, path)?;
                }
                secret
            }
        };
        let der = secret
            .to_pkcs8_der()
            .map_err(|e| anyhow::anyhow!("cannot encode the reservation key: {e}"))?;
        let encoding = EncodingKey::from_ec_der(der.as_bytes());
        let public = secret.public_key().to_sec1_bytes();
        let kid = hex::encode(&Sha256::digest(&public)[..8]);
        let mut jwk = Jwk::from_encoding_key(&encoding, Algorithm::ES256)
            .context("cannot derive the reservation JWK")?;
        jwk.common.key_id = Some(kid.clone());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        let decoding = DecodingKey::from_jwk(&jwk).context("reservation verification key")?;
        Ok(Self {
            encoding,
            decoding,
            kid,
            jwk,
        })
    }

    /// A token with id `jti` for the admitted `waiting_token` of `event_id`, valid for
    /// `ttl_secs`.
    pub fn issue(
        &self,
        event_id: &str,
        waiting_token: &str,
        jti: &str,
        ttl_secs: u64,
        entry_deadline_ms: u64,
    ) -> anyhow::Result<String> {
        let now = crate::clock::now_ms() / 1_000;
        let claims = ReservationClaims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: waiting_token.into(),
            event_id: event_id.into(),
            jti: jti.into(),
            iat: now,
            exp: now + ttl_secs,
            regrant_until: (entry_deadline_ms / 1_000).max(now) + ttl_secs,
        };
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding)
            .context("cannot sign a reservation token")
    }

    /// The claims of a genuine, unexpired token of ours.
    pub fn verify(&self, token: &str) -> Result<ReservationClaims, String> {
        let head = jsonwebtoken::decode_header(token).map_err(|e| e.to_string())?;
        if head.alg != Algorithm::ES256 || head.kid.as_deref() != Some(self.kid.as_str()) {
            return Err("not a reservation token of this gateway".into());
        }
        let mut v = Validation::new(Algorithm::ES256);
        // Lifetimes are checked by the store-aligned clock below, not the node's own.
        v.validate_exp = false;
        v.set_issuer(&[ISSUER]);
        v.set_audience(&[AUDIENCE]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub", "jti"]);
        let claims = jsonwebtoken::decode::<ReservationClaims>(token, &self.decoding, &v)
            .map(|d| d.claims)
            .map_err(|e| e.to_string())?;
        crate::clock::token_time_valid(claims.exp, None, LEEWAY_SECS)?;
        Ok(claims)
    }

    /// The public keys, as served at `/.well-known/jwks.json`.
    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: vec![self.jwk.clone()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_with_our_key_and_claims() {
        let ours = ReservationTokens::new(None, None).unwrap();
        let theirs = ReservationTokens::new(None, None).unwrap();
        let token = ours.issue("evt", "wt-1", "j1", 30, 0).unwrap();
        let claims = ours.verify(&token).unwrap();
        assert_eq!(
            (claims.event_id.as_str(), claims.sub.as_str()),
            ("evt", "wt-1")
        );
        assert!(theirs.verify(&token).is_err(), "another key");
        // Expired longer ago than the leeway, by the store-aligned clock.
        let mut claims = ours.verify(&token).unwrap();
        claims.exp = crate::clock::now_ms() / 1_000 - LEEWAY_SECS - 1;
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(ours.kid.clone());
        let expired = jsonwebtoken::encode(&header, &claims, &ours.encoding).unwrap();
        assert_eq!(ours.verify(&expired).unwrap_err(), "ExpiredSignature");
        let jwks = serde_json::to_value(ours.jwks()).unwrap();
        assert_eq!(jwks["keys"][0]["kty"], "EC");
        assert_eq!(jwks["keys"][0]["crv"], "P-256");
        assert!(
            jwks["keys"][0].get("d").is_none(),
            "no private part is published"
        );
    }
}
