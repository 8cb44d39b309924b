//! Per-client HTTP rate limiting of `/api/v1` (the seed's §3.9, without its starvation bug).
//!
//! Each client (an IP address, see [`super::client_ip`]) has a token bucket: capacity
//! `RATE_LIMIT_BURST`, refilled continuously at `RATE_LIMIT_RPS` tokens per
//! `RATE_LIMIT_WINDOW_SIZE`. It is `governor`'s GCRA, which keeps one timestamp per client and
//! derives the tokens from it, so refused requests cost nothing and the refill cannot starve.
//! (The seed moved its `last_refill` forward on every call, even when it refilled nothing, so a
//! client offering 97 rps got 0 rps once its burst was spent; here it gets `RATE_LIMIT_RPS`.)
//!
//! The buckets live in this process, not in the store: each node limits on its own, so behind
//! N nodes a client may get up to N times the quota. That buys a limit with no store round
//! trip per request; it protects each node rather than enforcing one global budget.
//!
//! Limited routes answer with the seed's headers: `X-RateLimit-Limit` (the RPS),
//! `X-RateLimit-Remaining` (whole tokens left), `X-RateLimit-Reset` (unix seconds when the
//! bucket is full again), `X-RateLimit-Window`, and `Retry-After` once no token is left. Over
//! the limit is 429 `RATE_LIMITED`, counted in `ratelimit_dropped_total{key_type="ip"}`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::extract::{OriginalUri, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::middleware::StateInformationMiddleware;
use governor::{DefaultKeyedRateLimiter, Quota};
use tokio::task::JoinHandle;

use super::client_ip::peer_ip;
use crate::config::RateLimitSettings;
use crate::config::proxies::TrustedProxies;
use crate::error::ApiError;
use crate::metrics::Metrics;

/// How often the state of clients whose bucket has refilled is dropped.
const SWEEP_INTERVAL: Duration = Duration::from_secs(60);

type KeyedLimiter = DefaultKeyedRateLimiter<IpAddr, StateInformationMiddleware>;

/// The limiter of one node, shared by every request it serves.
pub struct RateLimit {
    limiter: Arc<KeyedLimiter>,
    /// Time to regain one token (window ÷ RPS).
    period: Duration,
    rps: u32,
    burst: u32,
    /// `X-RateLimit-Window`, e.g. `1s`.
    window: HeaderValue,
    /// Path prefixes that are never limited.
    exempt: Vec<String>,
    trusted: TrustedProxies,
    metrics: Metrics,
    /// `key_type` label of `ratelimit_dropped_total`: which limiter refused.
    key_type: &'static str,
    /// Aborts the sweeper when the router (and with it this limiter) is dropped at shutdown.
    _sweeper: AbortOnDrop,
}

/// One request's verdict.
enum Verdict {
    Allowed {
        remaining: u32,
        full_in: Duration,
    },
    Refused {
        retry_in: Duration,
        full_in: Duration,
    },
}

impl RateLimit {
    /// A limiter for `settings` (already validated). Spawns its sweeper, so it needs a running
    /// Tokio runtime.
    pub fn new(settings: &RateLimitSettings, metrics: Metrics) -> Arc<Self> {
        Self::keyed(settings, metrics, "ip")
    }

    /// A limiter whose refusals are counted under `key_type`.
    pub fn keyed(
        settings: &RateLimitSettings,
        metrics: Metrics,
        key_type: &'static str,
    ) -> Arc<Self> {
        let period = settings.window / settings.rps;
        let burst = NonZeroU32::new(settings.burst).expect("RATE_LIMIT_BURST is validated");
        let quota = Quota::with_period(period)
            .expect("RATE_LIMIT_WINDOW_SIZE is validated")
            .allow_burst(burst);
        let limiter: Arc<KeyedLimiter> = Arc::new(
            governor::RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
        );
        let window = humantime::format_duration(settings.window).to_string();
        Arc::new(Self {
            _sweeper: sweep(Arc::downgrade(&limiter)),
            limiter,
            period,
            rps: settings.rps,
            burst: settings.burst,
            window: HeaderValue::from_str(&window).expect("a duration is a header value"),
            exempt: settings
                .exempt_paths
                .iter()
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect(),
            trusted: settings.trusted_proxies.clone(),
            metrics,
            key_type,
        })
    }

    /// Whether `path` is one of the exempt prefixes or below one (`/healthz` exempts
    /// `/healthz/x`, not `/healthzx`).
    fn is_exempt(&self, path: &str) -> bool {
        self.exempt.iter().any(|prefix| {
            path.strip_prefix(prefix.as_str()).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with('/') || prefix.ends_with('/')
            })
        })
    }

    /// Takes a token from `client`'s bucket if it has one.
    fn check(&self, client: IpAddr) -> Verdict {
        match self.limiter.check_key(&client) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity();
                // An upper bound: `remaining` is rounded down, so the bucket may be up to one
                // period closer to full than this says.
                let full_in = self.period * (self.burst - remaining.min(self.burst));
                Verdict::Allowed { remaining, full_in }
            }
            Err(not_until) => {
                let retry_in = not_until.wait_time_from(self.limiter.clock().now());
                // The next token arrives after `retry_in`; the other burst − 1 follow it.
                let full_in = retry_in + self.period * (self.burst - 1);
                Verdict::Refused { retry_in, full_in }
            }
        }
    }

    /// A limiter of `rps` per `window` per client address, bursts up to `burst`, counted
    /// under `key_type` (no exempt paths: the caller decides where it applies).
    pub fn per_address(
        rps: u32,
        burst: u32,
        window: Duration,
        trusted: &TrustedProxies,
        metrics: Metrics,
        key_type: &'static str,
    ) -> Arc<Self> {
        let settings = RateLimitSettings {
            enabled: true,
            rps,
            burst,
            window,
            exempt_paths: Vec::new(),
            trusted_proxies: trusted.clone(),
        };
        Self::keyed(&settings, metrics, key_type)
    }

    /// [`Self::per_address`] at `rps` a second with a burst of twice that; `None` for 0 (no
    /// limit).
    pub fn per_second(
        rps: u32,
        trusted: &TrustedProxies,
        metrics: Metrics,
        key_type: &'static str,
    ) -> Option<Arc<Self>> {
        (rps > 0).then(|| {
            let burst = rps.saturating_mul(2);
            Self::per_address(
                rps,
                burst,
                Duration::from_secs(1),
                trusted,
                metrics,
                key_type,
            )
        })
    }

    /// Takes a token from `client`'s bucket if it has one (refusals are the caller's to count).
    pub fn allows(&self, client: IpAddr) -> bool {
        matches!(self.check(client), Verdict::Allowed { .. })
    }

    /// Takes a token from `client`'s bucket, or answers 429 with `Retry-After` (counted like
    /// the middleware's refusals).
    pub fn admit(&self, client: IpAddr) -> Result<(), ApiError> {
        match self.check(client) {
            Verdict::Allowed { .. } => Ok(()),
            Verdict::Refused { retry_in, .. } => {
                self.metrics
                    .ratelimit_dropped
                    .with_label_values(&[self.key_type])
                    .inc();
                Err(ApiError::rate_limited(ceil_secs(retry_in).max(1)))
            }
        }
    }

    fn set_headers(&self, headers: &mut HeaderMap, remaining: u32, full_in: Duration) {
        let reset = Duration::from_millis(crate::clock::now_ms()) + full_in;
        headers.insert("x-ratelimit-limit", HeaderValue::from(self.rps));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
        headers.insert("x-ratelimit-reset", HeaderValue::from(ceil_secs(reset)));
        headers.insert("x-ratelimit-window", self.window.clone());
    }
}

/// Whole seconds, rounded up.
fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The middleware on the limited `/api/v1` routes (it runs before idempotency, as in the seed,
/// so a refused request never reserves an idempotency key).
pub async fn rate_limit(State(rl): State<Arc<RateLimit>>, req: Request, next: Next) -> Response {
    // Nested routers see a shortened URI; exempt prefixes are full paths.
    let exempt = match req.extensions().get::<OriginalUri>() {
        Some(original) => rl.is_exempt(original.path()),
        None => rl.is_exempt(req.uri().path()),
    };
    if exempt {
        return next.run(req).await;
    }
    let client = rl
        .trusted
        .client_ip(peer_ip(req.extensions()), req.headers());

    match rl.check(client) {
        Verdict::Allowed { remaining, full_in } => {
            let mut resp = next.run(req).await;
            rl.set_headers(resp.headers_mut(), remaining, full_in);
            if remaining == 0 {
                // As the seed: the last token's answer already says when the next one comes
                // (unless the handler gave its own hint, e.g. QUEUE_FULL).
                let next_token = HeaderValue::from(ceil_secs(rl.period).max(1));
                resp.headers_mut()
                    .entry(header::RETRY_AFTER)
                    .or_insert(next_token);
            }
            resp
        }
        Verdict::Refused { retry_in, full_in } => {
            rl.metrics
                .ratelimit_dropped
                .with_label_values(&[rl.key_type])
                .inc();
            tracing::debug!(%client, "rate limited");
            let mut resp = ApiError::rate_limited(ceil_secs(retry_in).max(1)).into_response();
            rl.set_headers(resp.headers_mut(), 0, full_in);
            resp
        }
    }
}

/// Bounds memory: every `SWEEP_INTERVAL`, drops the state of clients whose bucket has refilled
/// (governor's `retain_recent`), which is indistinguishable from a new client's. The map then
/// holds about the clients seen in the last minute. Ends when the limiter is gone.
fn sweep(limiter: Weak<KeyedLimiter>) -> AbortOnDrop {
    AbortOnDrop(tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_INTERVAL);
        every.tick().await; // the first tick is immediate
        loop {
            every.tick().await;
            let Some(limiter) = limiter.upgrade() else {
                return;
            };
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }))
}

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn settings(rps: u32, burst: u32) -> RateLimitSettings {
        RateLimitSettings {
            enabled: true,
            rps,
            burst,
            window: Duration::from_secs(1),
            exempt_paths: vec!["/healthz".into(), " /api/v1/queue/status ".into()],
            trusted_proxies: TrustedProxies::default(),
        }
    }

    #[tokio::test]
    async fn the_burst_is_spent_then_refused_with_a_wait() {
        let rl = RateLimit::new(&settings(2, 3), Metrics::default());
        let client = IpAddr::V4(Ipv4Addr::new(1, 2, 3, 4));
        let remaining: Vec<u32> = (0..3)
            .map(|_| match rl.check(client) {
                Verdict::Allowed { remaining, .. } => remaining,
                Verdict::Refused { .. } => panic!("refused within the burst"),
            })
            .collect();
        assert_eq!(remaining, [2, 1, 0]);
        match rl.check(client) {
            Verdict::Refused { retry_in, full_in } => {
                assert!(retry_in <= Duration::from_millis(500), "{retry_in:?}");
                assert!(full_in > Duration::from_secs(1), "{full_in:?}");
            }
            Verdict::Allowed { .. } => panic!("allowed beyond the burst"),
        }
        // Another client has its own bucket.
        let other = IpAddr::V4(Ipv4Addr::new(5, 6, 7, 8));
        assert!(matches!(
            rl.check(other),
            Verdict::Allowed { remaining: 2, .. }
        ));
    }

    #[tokio::test]
    async fn exempt_paths_match_whole_segments() {
        let rl = RateLimit::new(&settings(1, 1), Metrics::default());
        assert!(rl.is_exempt("/healthz"));
        assert!(rl.is_exempt("/healthz/deep"));
        assert!(!rl.is_exempt("/healthzx"));
        assert!(rl.is_exempt("/api/v1/queue/status"));
        assert!(!rl.is_exempt("/api/v1/queue/join"));
    }

    #[test]
    fn seconds_round_up() {
        assert_eq!(ceil_secs(Duration::from_millis(20)), 1);
        assert_eq!(ceil_secs(Duration::from_secs(2)), 2);
        assert_eq!(ceil_secs(Duration::from_millis(2_001)), 3);
    }
}
