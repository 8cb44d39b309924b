//! An identity provider's signing keys (`JWT_JWKS_ENDPOINT`): fetched at start, refreshed every
//! `JWT_CACHE_TTL` in the background, and fetched again (at most every
//! [`MIN_REFETCH`]) when a token names a key id that is not known yet, so a rotated key works
//! at once without letting forged key ids hammer the provider.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey};
use parking_lot::RwLock;
use tracing::{info, warn};

/// Least time between two fetches caused by unknown key ids.
pub const MIN_REFETCH: Duration = Duration::from_secs(30);
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

pub struct JwksCache {
    url: String,
    http: reqwest::Client,
    keys: RwLock<JwkSet>,
    last_fetch: parking_lot::Mutex<Option<Instant>>,
}

impl JwksCache {
    /// Starts fetching `url` now and every `ttl`.
    pub fn start(url: String, ttl: Duration) -> Arc<Self> {
        let cache = Arc::new(Self {
            url,
            http: reqwest::Client::builder()
                .timeout(FETCH_TIMEOUT)
                .build()
                .expect("HTTP client"),
            keys: RwLock::new(JwkSet { keys: Vec::new() }),
            last_fetch: parking_lot::Mutex::new(None),
        });
        let weak = Arc::downgrade(&cache);
        tokio::spawn(async move {
            while let Some(cache) = weak.upgrade() {
                cache.fetch().await;
                drop(cache);
                tokio::time::sleep(ttl.max(Duration::from_secs(1))).await;
            }
        });
        cache
    }

    async fn fetch(&self) {
        *self.last_fetch.lock() = Some(Instant::now());
        let result = async {
            let resp = self.http.get(&self.url).send().await?.error_for_status()?;
            resp.json::<JwkSet>().await
        }
        .await;
        match result {
            Ok(set) => {
                info!(url = %self.url, keys = set.keys.len(), "JWKS fetched");
                *self.keys.write() = set;
            }
            // The keys fetched before stay in use.
            Err(e) => warn!(url = %self.url, error = %e, "cannot fetch the JWKS"),
        }
    }

    fn lookup(&self, kid: &str, alg: Algorithm) -> Option<Result<DecodingKey, String>> {
        let keys = self.keys.read();
        let jwk = keys.find(kid)?;
        let kind_matches = matches!(
            (&jwk.algorithm, alg),
            (AlgorithmParameters::RSA(_), Algorithm::RS256)
                | (AlgorithmParameters::EllipticCurve(_), Algorithm::ES256)
        );
        if !kind_matches {
            return Some(Err(format!("key {kid} is not a {alg:?} key")));
        }
        Some(DecodingKey::from_jwk(jwk).map_err(|e| e.to_string()))
    }

    /// The verification key `kid` for `alg`.
    pub async fn key(&self, kid: &str, alg: Algorithm) -> Result<DecodingKey, String> {
        if let Some(found) = self.lookup(kid, alg) {
            return found;
        }
        let may_refetch = self
            .last_fetch
            .lock()
            .is_none_or(|t| t.elapsed() >= MIN_REFETCH);
        if may_refetch {
            self.fetch().await;
            if let Some(found) = self.lookup(kid, alg) {
                return found;
            }
        }
        Err(format!("unknown key id {kid}"))
    }
}
