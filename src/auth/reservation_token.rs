//! Reservation tokens: what `enter` hands an admitted waiter, and what `POST /reservations`
//! demands. Each is an ES256 JWT (key id in its header; public key at
//! `/.well-known/jwks.json`, so backends can verify it too) bound to its event and waiting
//! token, short-lived (`ttl_sec`), and single-use: its id (`jti`) is claimed in the store by the
//! reservation it pays for.

use std::path::{Path, PathBuf};

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

/// A key's public half: its id, its JWK and its verifier.
struct PublicKey {
    kid: String,
    jwk: Jwk,
    decoding: DecodingKey,
}

impl PublicKey {
    fn of(secret: &p256::SecretKey) -> anyhow::Result<(Self, EncodingKey)> {
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
        Ok((Self { kid, jwk, decoding }, encoding))
    }
}

/// Reads a P-256 key from a PEM file named by `setting`: PKCS#8 (`BEGIN PRIVATE KEY`, as
/// `openssl genpkey` writes it) or SEC1 (`BEGIN EC PRIVATE KEY`, as `openssl ecparam -genkey`
/// and Helm's `genPrivateKey "ecdsa"` write it).
fn read_key(path: &Path, setting: &str) -> anyhow::Result<p256::SecretKey> {
    let pem = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} ({setting})", path.display()))?;
    p256::SecretKey::from_pkcs8_pem(&pem)
        .or_else(|_| p256::SecretKey::from_sec1_pem(&pem))
        .map_err(|e| {
            anyhow::anyhow!(
                "{} is not a P-256 private key in PKCS#8 or SEC1 PEM ({setting}): {e}",
                path.display()
            )
        })
}

/// Signs and verifies reservation tokens.
pub struct ReservationTokens {
    encoding: EncodingKey,
    /// The signing key's public half first, then the extra keys'.
    keys: Vec<PublicKey>,
}

impl ReservationTokens {
    /// Loads the signing key from `key_file` (PKCS#8 PEM, P-256); without one, from
    /// `data_dir` (a key generated there on first start, so that tokens survive a restart), or
    /// a key generated for this process alone. `extra_key_files` are accepted and published,
    /// never used to sign (a rotation's next or previous key).
    pub fn new(
        key_file: Option<&Path>,
        data_dir: Option<&Path>,
        extra_key_files: &[PathBuf],
    ) -> anyhow::Result<Self> {
        let kept = data_dir.map(|dir| dir.join("reservation-key.pem"));
        let secret = match key_file.or(kept.as_deref().filter(|p| p.exists())) {
            Some(path) => read_key(path, "USHER_RESERVATION_KEY_FILE")?,
            None => {
                let secret = p256::SecretKey::random(&mut rand_core::OsRng);
                if let Some(path) = &kept {
                    keep_key(&secret, path)?;
                }
                secret
            }
        };
        let (signing, encoding) = PublicKey::of(&secret)?;
        let mut keys = vec![signing];
        for path in extra_key_files {
            let (key, _) = PublicKey::of(&read_key(path, "USHER_RESERVATION_EXTRA_KEY_FILES")?)?;
            if keys.iter().all(|k| k.kid != key.kid) {
                keys.push(key);
            }
        }
        Ok(Self { encoding, keys })
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
        header.kid = Some(self.keys[0].kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding)
            .context("cannot sign a reservation token")
    }

    /// The claims of a genuine, unexpired token of ours.
    pub fn verify(&self, token: &str) -> Result<ReservationClaims, String> {
        let head = jsonwebtoken::decode_header(token).map_err(|e| e.to_string())?;
        let key = self
            .keys
            .iter()
            .find(|k| head.alg == Algorithm::ES256 && head.kid.as_deref() == Some(k.kid.as_str()))
            .ok_or("not a reservation token of this gateway")?;
        let mut v = Validation::new(Algorithm::ES256);
        // Lifetimes are checked by the store-aligned clock below, not the node's own.
        v.validate_exp = false;
        v.set_issuer(&[ISSUER]);
        v.set_audience(&[AUDIENCE]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub", "jti"]);
        let claims = jsonwebtoken::decode::<ReservationClaims>(token, &key.decoding, &v)
            .map(|d| d.claims)
            .map_err(|e| e.to_string())?;
        crate::clock::token_time_valid(claims.exp, None, LEEWAY_SECS)?;
        Ok(claims)
    }

    /// The public keys, as served at `/.well-known/jwks.json`: the signing key's, then the
    /// extra keys'.
    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: self.keys.iter().map(|k| k.jwk.clone()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_with_our_key_and_claims() {
        let ours = ReservationTokens::new(None, None, &[]).unwrap();
        let theirs = ReservationTokens::new(None, None, &[]).unwrap();
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
        header.kid = Some(ours.keys[0].kid.clone());
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

    /// A rotation: the old key, kept as an extra key, still verifies the tokens it signed;
    /// new tokens are signed with the new key; the JWKS publishes both, signing key first.
    #[test]
    fn extra_keys_verify_and_are_published_but_never_sign() {
        let dir = std::env::temp_dir().join(format!("usher-keys-{}", uuid::Uuid::new_v4()));
        let (old_file, new_file) = (dir.join("old.pem"), dir.join("new.pem"));
        for file in [&old_file, &new_file] {
            keep_key(&p256::SecretKey::random(&mut rand_core::OsRng), file).unwrap();
        }
        let old = ReservationTokens::new(Some(&old_file), None, &[]).unwrap();
        let old_token = old.issue("evt", "wt-1", "j1", 30, 0).unwrap();
        let rotated =
            ReservationTokens::new(Some(&new_file), None, std::slice::from_ref(&old_file)).unwrap();
        assert_eq!(rotated.verify(&old_token).unwrap().jti, "j1");
        let new_token = rotated.issue("evt", "wt-2", "j2", 30, 0).unwrap();
        assert!(old.verify(&new_token).is_err(), "signed with the new key");
        let kids: Vec<_> = rotated
            .jwks()
            .keys
            .iter()
            .map(|k| k.common.key_id.clone().unwrap())
            .collect();
        assert_eq!(kids, [rotated.keys[0].kid.clone(), old.keys[0].kid.clone()]);
        // A SEC1 PEM of the same key is the same key.
        use p256::elliptic_curve::pkcs8::LineEnding;
        let sec1_file = dir.join("old-sec1.pem");
        let sec1 = read_key(&old_file, "test")
            .unwrap()
            .to_sec1_pem(LineEnding::LF)
            .unwrap();
        std::fs::write(&sec1_file, sec1.as_bytes()).unwrap();
        let from_sec1 = ReservationTokens::new(Some(&sec1_file), None, &[]).unwrap();
        assert_eq!(from_sec1.keys[0].kid, old.keys[0].kid);
        // The same key named twice is published once.
        let twice = ReservationTokens::new(
            Some(&new_file),
            None,
            &[new_file.clone(), old_file.clone(), old_file.clone()],
        )
        .unwrap();
        assert_eq!(twice.jwks().keys.len(), 2);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
