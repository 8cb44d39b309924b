//! Who is calling: buyers' JWTs (HS256 with `JWT_SECRET`, or RS256/ES256 from an identity
//! provider's JWKS), the seed's development bypass tokens, logins with memory-hard password
//! hashes, and the signed, single-use reservation tokens that `enter` hands out.
//!
//! - [`passwords`]: argon2id hashes on a bounded pool;
//! - [`reservation_token`]: ES256 reservation tokens and their JWKS;
//! - [`jwks`]: the identity provider's keys, fetched and refreshed.

pub mod admin_session;
pub mod jwks;
pub mod passwords;
pub mod reservation_token;

use std::sync::Arc;

use axum::http::{HeaderMap, header};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::{AuthSettings, Environment};

/// The seed's development bypass tokens (accepted only in development with
/// `USHER_ALLOW_BYPASS_TOKENS=true`, and only with their companion header).
const DEV_BYPASS_TOKEN: &str = "dev-super-key-local-testing";
const LOAD_TEST_BYPASS_TOKEN: &str = "load-test-bypass-token";
/// Distinct load-test users the bypass token spreads over (as the seed).
const LOAD_TEST_USERS: u128 = 30_000;
/// Longest accepted token subject (user id).
const MAX_SUBJECT_LEN: usize = 256;
/// Clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECS: u64 = 5;

/// The authenticated caller, available to handlers as an extractor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub role: String,
}

impl User {
    /// The user as the caller of a backend call.
    pub fn caller(&self) -> crate::domain::Caller {
        crate::domain::Caller::Buyer(self.id.clone())
    }
}

/// Claims of the user tokens usher issues and accepts.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub exp: u64,
    #[serde(default)]
    pub iat: u64,
    /// Not valid before (seconds since the epoch), when the issuer sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
}

/// `aud`: one audience or a list of them (RFC 7519 §4.1.3); identity providers issue both.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

/// Why a caller is not authenticated, or a token could not be made. Mapped to the seed's
/// envelope in [`crate::error`].
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("Authorization header is required")]
    MissingAuthorization,
    #[error("Authorization must be 'Bearer <token>'")]
    InvalidTokenFormat,
    #[error("The bearer token is empty")]
    MissingToken,
    #[error("Token validation failed")]
    InvalidToken,
    /// Signing a token failed (logged where it happened).
    #[error("Could not issue a token")]
    Signing,
    /// Every password-hashing worker is busy and the queue is full: try again shortly.
    #[error("Too many sign-ins at once; try again shortly")]
    Busy,
    #[error("Password hashing failed")]
    HashFailed,
}

/// Verifies user tokens and issues them.
pub struct Authenticator {
    settings: AuthSettings,
    /// `JWT_SECRET`, then `USHER_JWT_EXTRA_SECRETS`.
    hs_decode: Vec<DecodingKey>,
    hs_encode: EncodingKey,
    jwks: Option<Arc<jwks::JwksCache>>,
    bypass: bool,
}

impl Authenticator {
    /// Starts the JWKS refresher when an endpoint is configured (needs a Tokio runtime).
    pub fn new(settings: &AuthSettings, environment: Environment) -> Self {
        let secret = settings.jwt_secret.expose().as_bytes();
        Self {
            hs_decode: std::iter::once(&settings.jwt_secret)
                .chain(&settings.jwt_extra_secrets)
                .map(|s| DecodingKey::from_secret(s.expose().as_bytes()))
                .collect(),
            hs_encode: EncodingKey::from_secret(secret),
            jwks: settings
                .jwks_endpoint
                .clone()
                .map(|url| jwks::JwksCache::start(url, settings.jwks_ttl)),
            bypass: environment == Environment::Development && settings.allow_bypass_tokens,
            settings: settings.clone(),
        }
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let mut v = Validation::new(alg);
        // `exp` and `nbf` are checked by the store-aligned clock (see `verify`), not the
        // node's own.
        v.validate_exp = false;
        // jsonwebtoken checks `aud` and `iss` only when the token has them: a configured one
        // must also be present.
        let mut required = vec!["exp", "sub"];
        match &self.settings.audience {
            Some(aud) => {
                v.set_audience(&[aud]);
                required.push("aud");
            }
            None => v.validate_aud = false,
        }
        if let Some(iss) = &self.settings.issuer {
            v.set_issuer(&[iss]);
            required.push("iss");
        }
        v.set_required_spec_claims(&required);
        v
    }

    /// The user of a request, from `Authorization: Bearer <token>`.
    pub async fn authenticate(&self, headers: &HeaderMap) -> Result<User, AuthError> {
        let value = headers
            .get(header::AUTHORIZATION)
            .ok_or(AuthError::MissingAuthorization)?
            .to_str()
            .map_err(|_| AuthError::InvalidTokenFormat)?;
        // HTTP drops trailing whitespace from header values: `Bearer ` arrives as `Bearer`.
        let token = match value.strip_prefix("Bearer") {
            Some(rest) if rest.is_empty() || rest.starts_with(' ') => rest.trim(),
            _ => return Err(AuthError::InvalidTokenFormat),
        };
        if token.is_empty() {
            return Err(AuthError::MissingToken);
        }
        if let Some(user) = self.bypass_user(token, headers) {
            return Ok(user);
        }
        let claims = self.verify(token).await.map_err(|e| {
            tracing::debug!(error = %e, "token refused");
            AuthError::InvalidToken
        })?;
        // The subject is who the caller is everywhere behind the gateway: a token without one
        // names nobody (and must never read as "any user").
        if claims.sub.trim().is_empty() || claims.sub.len() > MAX_SUBJECT_LEN {
            return Err(AuthError::InvalidToken);
        }
        Ok(User {
            // The user is the subject (as the seed); `user_id` is only echoed for old clients.
            id: claims.sub,
            username: claims.username.unwrap_or_default(),
            role: claims.role.unwrap_or_else(|| "user".into()),
        })
    }

    /// The seed's bypass tokens, in development only, each with its companion header.
    fn bypass_user(&self, token: &str, headers: &HeaderMap) -> Option<User> {
        if !self.bypass {
            return None;
        }
        let flag = |name: &str| headers.get(name).is_some_and(|v| v.as_bytes() == b"true");
        if token == DEV_BYPASS_TOKEN && flag("x-dev-mode") {
            return Some(User {
                id: "dev-user-123".into(),
                username: "dev".into(),
                role: "developer".into(),
            });
        }
        if token == LOAD_TEST_BYPASS_TOKEN && flag("x-load-test") {
            let n = uuid::Uuid::new_v4().as_u128() % LOAD_TEST_USERS;
            return Some(User {
                id: format!("load-test-user-{n}"),
                username: "load-test".into(),
                role: "user".into(),
            });
        }
        None
    }

    /// Checks a token's signature and claims. A token without a key id must be HS256 (one of
    /// our secrets); one with a key id must be RS256 or ES256 and match a JWKS key of that kind,
    /// so a public key can never be used as an HMAC secret.
    async fn verify(&self, token: &str) -> Result<Claims, String> {
        let head = jsonwebtoken::decode_header(token).map_err(|e| e.to_string())?;
        let provider_key;
        let (keys, alg): (&[DecodingKey], _) = match head.kid {
            None if head.alg == Algorithm::HS256 => (&self.hs_decode, Algorithm::HS256),
            None => return Err(format!("{:?} without a key id", head.alg)),
            Some(kid) => {
                if !matches!(head.alg, Algorithm::RS256 | Algorithm::ES256) {
                    return Err(format!("{:?} with a key id", head.alg));
                }
                let jwks = self.jwks.as_ref().ok_or("no JWKS configured")?;
                provider_key = jwks.key(&kid, head.alg).await?;
                (std::slice::from_ref(&provider_key), head.alg)
            }
        };
        let validation = self.validation(alg);
        // The first key whose signature matches decides; claims are checked only with it.
        let mut outcome = Err(ErrorKind::InvalidSignature.into());
        for key in keys {
            outcome = jsonwebtoken::decode::<Claims>(token, key, &validation).map(|d| d.claims);
            if !matches!(&outcome, Err(e) if *e.kind() == ErrorKind::InvalidSignature) {
                break;
            }
        }
        let claims = outcome.map_err(|e| e.to_string())?;
        crate::clock::token_time_valid(claims.exp, claims.nbf, LEEWAY_SECS)?;
        Ok(claims)
    }

    /// A user token for `user` (HS256), and its lifetime in seconds.
    pub fn issue(&self, user: &User) -> Result<(String, u64), AuthError> {
        let now = crate::clock::now_ms() / 1_000;
        let ttl = self.settings.token_ttl.as_secs();
        let claims = Claims {
            sub: user.id.clone(),
            user_id: Some(user.id.clone()),
            username: Some(user.username.clone()),
            role: Some(user.role.clone()),
            exp: now + ttl,
            iat: now,
            nbf: None,
            iss: Some(
                self.settings
                    .issuer
                    .clone()
                    .unwrap_or_else(|| "usher".into()),
            ),
            aud: self.settings.audience.clone().map(Audience::One),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.hs_encode)
            .map(|t| (t, ttl))
            .map_err(|e| {
                tracing::error!(error = %e, "cannot sign a user token");
                AuthError::Signing
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn auth(env: Environment) -> Authenticator {
        auth_with(env, &[])
    }

    fn auth_with(env: Environment, extra: &[&str]) -> Authenticator {
        let mut argv = vec!["usher", "--jwt-audience", "usher-api"];
        argv.extend_from_slice(extra);
        #[derive(Parser)]
        struct Args {
            #[command(flatten)]
            auth: AuthSettings,
        }
        Authenticator::new(&Args::try_parse_from(argv).unwrap().auth, env)
    }

    fn bearer(token: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
        h
    }

    #[tokio::test]
    async fn issued_tokens_verify_and_tampered_ones_do_not() {
        let a = auth(Environment::Development);
        let user = User {
            id: "u1".into(),
            username: "alice".into(),
            role: "user".into(),
        };
        let (token, ttl) = a.issue(&user).unwrap();
        assert_eq!(ttl, 86_400);
        assert_eq!(a.authenticate(&bearer(&token)).await.unwrap(), user);
        // Flip one character of the payload.
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let mut payload = parts[1].clone().into_bytes();
        payload[3] = if payload[3] == b'A' { b'B' } else { b'A' };
        parts[1] = String::from_utf8(payload).unwrap();
        let err = a.authenticate(&bearer(&parts.join("."))).await.unwrap_err();
        assert!(matches!(err, AuthError::InvalidToken));
    }

    /// A rotation of `JWT_SECRET`: tokens signed with a secret in `USHER_JWT_EXTRA_SECRETS` are
    /// accepted, new tokens are signed with `JWT_SECRET` only, and other secrets are refused.
    #[tokio::test]
    async fn extra_secrets_verify_user_tokens_but_never_sign_them() {
        let user = User {
            id: "u1".into(),
            username: "alice".into(),
            role: "user".into(),
        };
        let old = auth_with(
            Environment::Development,
            &["--jwt-secret", "old-secret-0123456789"],
        );
        let (old_token, _) = old.issue(&user).unwrap();
        let rotated = auth_with(
            Environment::Development,
            &[
                "--jwt-secret",
                "new-secret-0123456789",
                "--jwt-extra-secrets",
                "next-secret-0123456789,old-secret-0123456789",
            ],
        );
        assert_eq!(
            rotated.authenticate(&bearer(&old_token)).await.unwrap(),
            user
        );
        let (new_token, _) = rotated.issue(&user).unwrap();
        assert!(
            old.authenticate(&bearer(&new_token)).await.is_err(),
            "signed with the new one"
        );
        let other = auth_with(
            Environment::Development,
            &["--jwt-secret", "other-secret-0123456789"],
        );
        let (other_token, _) = other.issue(&user).unwrap();
        assert!(matches!(
            rotated.authenticate(&bearer(&other_token)).await,
            Err(AuthError::InvalidToken)
        ));
        // A token of an accepted key with bad claims is refused, not retried with other keys.
        let expired = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &serde_json::json!({"sub": "u1", "exp": 1, "aud": "usher-api"}),
            &EncodingKey::from_secret(b"old-secret-0123456789"),
        )
        .unwrap();
        assert!(rotated.authenticate(&bearer(&expired)).await.is_err());
    }

    #[tokio::test]
    async fn bypass_tokens_work_only_in_development_when_enabled_with_their_header() {
        let enabled = ["--allow-bypass-tokens", "true"];
        let mut h = bearer(DEV_BYPASS_TOKEN);
        assert!(matches!(
            auth_with(Environment::Development, &enabled)
                .authenticate(&h)
                .await,
            Err(AuthError::InvalidToken)
        ));
        h.insert("x-dev-mode", "true".parse().unwrap());
        assert_eq!(
            auth_with(Environment::Development, &enabled)
                .authenticate(&h)
                .await
                .unwrap()
                .id,
            "dev-user-123"
        );
        assert!(
            matches!(
                auth(Environment::Development).authenticate(&h).await,
                Err(AuthError::InvalidToken)
            ),
            "not enabled"
        );
        assert!(matches!(
            auth_with(Environment::Staging, &enabled)
                .authenticate(&h)
                .await,
            Err(AuthError::InvalidToken)
        ));
    }
}
