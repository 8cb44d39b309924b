//! The application state: every service a request handler or a socket may need, built once
//! by [`crate::server`] and shared by the HTTP routes ([`crate::http`]) and the WebSocket
//! sessions ([`crate::ws`]).

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::config::Settings;
use crate::hub::Hub;
use crate::metrics::Metrics;
use crate::net::{listener, rate_limit};
use crate::queue::QueueService;
use crate::store::{IdempotencyStore, QueueStore, UserStore};

/// Everything a request handler may need.
pub struct App {
    pub settings: Settings,
    /// Verifies buyers' tokens and issues them at login.
    pub auth: Arc<crate::auth::Authenticator>,
    /// Signs and verifies reservation tokens.
    pub reservation_tokens: Arc<crate::auth::reservation_token::ReservationTokens>,
    /// Reservations and payments, over the backends.
    pub purchase: crate::purchase::PurchaseService,
    /// What the store is ("memory", "redis"), for `/readyz` and logs.
    pub store_kind: &'static str,
    /// Event settings and snapshots, for the admin routes.
    pub events: Arc<dyn QueueStore>,
    /// Idempotency records: claims and stored responses.
    pub idempotency: Arc<dyn IdempotencyStore>,
    /// Buyer accounts.
    pub users: Arc<dyn UserStore>,
    pub hub: Arc<Hub>,
    pub queue: QueueService,
    /// Each event's update channel, for notices to its sockets on whichever node holds them.
    pub updates: Arc<dyn crate::store::UpdateBus>,
    /// The audit log and each event's history by the minute.
    pub operators: Arc<dyn crate::store::OperatorStore>,
    /// Dashboard sessions (signed cookies).
    pub sessions: crate::auth::admin_session::Sessions,
    /// Permits for live dashboard streams on this node.
    pub live_streams: Arc<Semaphore>,
    /// Events as buyers see them, recently built.
    pub catalog: Arc<crate::purchase::catalog::Catalog>,
    /// The chunk roots of the draws this node gave proofs of.
    pub proofs: crate::queue::onsale::ProofCache,
    /// Proof-of-work challenges on join.
    pub pow: crate::queue::pow::Pow,
    pub metrics: Metrics,
    /// One permit per open WebSocket: the per-node connection cap.
    pub ws_slots: Arc<Semaphore>,
    /// New WebSockets per second this node accepts (charged for valid tokens only).
    pub ws_accept: governor::DefaultDirectRateLimiter,
    /// Open WebSockets per client address.
    pub ws_per_ip: Arc<listener::PerAddress>,
    /// WebSocket upgrade attempts per client address, before any token lookup.
    pub ws_upgrades: Option<Arc<rate_limit::RateLimit>>,
    /// Password hashing, bounded.
    pub hash_pool: crate::auth::passwords::HashPool,
    /// Set on shutdown: readiness fails and new sockets are turned away.
    pub draining: AtomicBool,
    /// Whether the store has been unreachable for long enough to fail readiness.
    pub readiness: Readiness,
}

/// Readiness follows sustained store outages, not slow replies: the store's health monitor
/// says whether it answers, and readiness fails only once it has not for `grace`.
pub struct Readiness {
    health: tokio::sync::watch::Receiver<bool>,
    unhealthy_since: Arc<parking_lot::Mutex<Option<std::time::Instant>>>,
    grace: Duration,
}

impl Readiness {
    /// Watches the store's health (needs a running Tokio runtime).
    pub fn watch(mut health: tokio::sync::watch::Receiver<bool>, grace: Duration) -> Self {
        let unhealthy_since = Arc::new(parking_lot::Mutex::new(None));
        let since = unhealthy_since.clone();
        let mut rx = health.clone();
        tokio::spawn(async move {
            loop {
                let healthy = *rx.borrow_and_update();
                *since.lock() = (!healthy).then(std::time::Instant::now);
                if rx.changed().await.is_err() {
                    return;
                }
            }
        });
        health.mark_unchanged();
        Self {
            health,
            unhealthy_since,
            grace,
        }
    }

    /// Whether the store answered its last health check.
    pub fn store_reachable(&self) -> bool {
        *self.health.borrow()
    }

    /// `Err(reason)` while the store has been unreachable for at least the grace period.
    pub fn check(&self) -> Result<(), String> {
        match *self.unhealthy_since.lock() {
            Some(since) if !*self.health.borrow() && since.elapsed() >= self.grace => Err(format!(
                "store unreachable for {}s",
                since.elapsed().as_secs()
            )),
            _ => Ok(()),
        }
    }
}

pub type AppState = Arc<App>;
