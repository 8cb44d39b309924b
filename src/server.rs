//! Assembles and runs one usher node: store, hub, queue service, ticker, HTTP server; and shuts
//! it down gracefully (sockets are told to reconnect elsewhere before the process exits).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;
use tracing::{info, warn};
use usher_backends::Backends;

use crate::app::{App, AppState, Readiness};
use crate::auth::Authenticator;
use crate::auth::passwords::HashPool;
use crate::auth::reservation_token::ReservationTokens;
use crate::config::Secret;
use crate::config::Settings;
use crate::domain::EventId;
use crate::http;
use crate::hub::{Hub, HubSettings};
use crate::metrics::Metrics;
use crate::net::listener::{Listener, PerAddress, connection_cap};
use crate::net::rate_limit::RateLimit;
use crate::purchase::catalog::Catalog;
use crate::purchase::guard::AdmissionGuard;
use crate::purchase::{PurchaseService, SeatCounts, backend_events};
use crate::queue::{QueueService, ticker};
use crate::store::{LAYOUT, MemoryStore, RedisStore, Store, check_layout};
use crate::upstream::{InventoryDirectory, Upstreams};

/// How long a channel with no sockets stays subscribed for REST status calls.
const CHANNEL_IDLE_TTL: Duration = Duration::from_secs(60);

/// A running node.
pub struct Server {
    addr: SocketAddr,
    app: AppState,
    /// The embedded reference backends and where they listen (a loopback port), when this
    /// node runs them.
    backends: Option<(Arc<Backends>, String)>,
    shutdown: watch::Sender<bool>,
    http: JoinHandle<std::io::Result<()>>,
    ticker: JoinHandle<()>,
}

impl Server {
    /// Binds the listener, starts the ticker and serves, on Redis when `REDIS_ADDRESS` is set
    /// and on the embedded store otherwise. Port 0 picks a free port.
    pub async fn start(settings: Settings) -> anyhow::Result<Self> {
        // Refused settings are said before anything is connected.
        settings.validate()?;
        let retention = settings.queue.retention;
        let store: Arc<dyn Store> = if settings.redis.address.is_some() {
            Arc::new(
                RedisStore::connect(&settings.redis, retention)
                    .await
                    .context("cannot connect to Redis (REDIS_ADDRESS)")?,
            )
        } else if let Some(dir) = &settings.backends.data_dir {
            let store = MemoryStore::open(retention, dir).with_context(|| {
                format!(
                    "cannot open the store in {} (USHER_DATA_DIR)",
                    dir.display()
                )
            })?;
            info!(dir = %dir.display(), "embedded store kept on disk");
            Arc::new(store)
        } else {
            Arc::new(MemoryStore::new(retention))
        };
        Self::serve_on(settings, store).await
    }

    /// Like [`Server::start`], on the given store.
    pub async fn start_with_store(
        settings: Settings,
        store: Arc<dyn Store>,
    ) -> anyhow::Result<Self> {
        settings.validate()?;
        Self::serve_on(settings, store).await
    }

    /// Starts a node on `store` with settings already validated.
    async fn serve_on(settings: Settings, store: Arc<dyn Store>) -> anyhow::Result<Self> {
        let held = store
            .layout(LAYOUT)
            .await
            .context("cannot read the store's layout")?;
        check_layout(held).map_err(|e| anyhow::anyhow!("refusing to serve: {e}"))?;
        let listener = TcpListener::bind((settings.server.bind, settings.server.port))
            .await
            .with_context(|| {
                format!(
                    "cannot listen on {}:{} (SERVER_PORT)",
                    settings.server.bind, settings.server.port
                )
            })?;
        let addr = listener.local_addr()?;
        let metrics = Metrics::new(settings.server.metrics_max_events as usize);
        let conn_cap = connection_cap(settings.conn.max_connections);
        let ws_cap = settings.ws.max_connections.min(conn_cap);
        metrics.ws_connections_max.set(i64::from(ws_cap));
        if ws_cap < settings.ws.max_connections {
            warn!(
                ws_cap,
                "USHER_WS_MAX_CONNECTIONS is above the node's connection cap; using the cap"
            );
        }
        let listener = Listener::new(
            listener,
            conn_cap,
            &settings.conn,
            settings.rate_limit.trusted_proxies.clone(),
            metrics.clone(),
        );
        let q = &settings.queue;
        let hub = Hub::new(
            store.clone(),
            HubSettings {
                push_interval: q.push_interval,
                keepalive: q.keepalive,
                touch_interval: q.socket_touch_interval(),
                grace: q.grace,
                idle_ttl: CHANNEL_IDLE_TTL,
                lease: q.retention,
            },
            metrics.clone(),
        );
        let (shutdown, rx) = watch::channel(false);
        let backends = Self::start_backends(&settings, rx.clone()).await?;
        let upstream = Upstreams::connect(
            &settings.upstream,
            backends.as_ref().map(|(_, a, _)| a.as_str()),
            backends
                .as_ref()
                .map(|(_, _, key)| key)
                .or(settings.backends.key.as_ref())
                .map(|k| k.expose()),
        )?;
        let reservation_tokens = Arc::new(ReservationTokens::new(
            settings.auth.reservation_key_file.as_deref(),
            settings.backends.data_dir.as_deref(),
            &settings.auth.reservation_extra_key_files,
        )?);
        if settings.auth.reservation_key_file.is_none() && settings.redis.address.is_some() {
            warn!(
                "USHER_RESERVATION_KEY_FILE is not set: this replica signs reservation tokens with its own key, which other replicas will not accept"
            );
        }
        let auth = Arc::new(Authenticator::new(
            &settings.auth,
            settings.server.environment,
        ));
        let directory = Arc::new(InventoryDirectory::new(
            upstream.clone(),
            q.event_cache_size as usize,
            q.event_cache_ttl,
            q.event_lookups_max as usize,
        ));
        let queue = QueueService::new(
            store.clone(),
            directory,
            Arc::new(hub.clone()),
            reservation_tokens.clone(),
            q.clone(),
            metrics.clone(),
        );
        // Every replica signs challenges with a key derived from the secret they share.
        let pow = crate::queue::pow::Pow::new(
            settings.auth.jwt_secret.expose().as_bytes(),
            q.pow_challenge_ttl.as_millis() as u64,
        );
        let readiness = Readiness::watch(store.health(), settings.redis.ready_outage);
        let webhook_url = format!(
            "{}/api/v1/webhooks/payment",
            settings.upstream.public_url.clone().unwrap_or_else(|| {
                let host = if addr.ip().is_unspecified() {
                    "127.0.0.1".to_owned()
                } else {
                    addr.ip().to_string()
                };
                format!("http://{host}:{}", addr.port())
            })
        );
        tokio::spawn(
            AdmissionGuard {
                store: store.clone(),
                upstream: upstream.clone(),
                defaults: crate::store::EventConfig::defaults(&settings.queue),
            }
            .run(rx.clone()),
        );
        let purchase = PurchaseService::new(
            upstream,
            reservation_tokens.clone(),
            store.clone(),
            store.clone(),
            webhook_url,
            settings.backends.webhook_secret.clone(),
            SeatCounts::new(q.availability_cache, metrics.inventory_reads.clone()),
        );
        if let Some((backends, ..)) = &backends {
            tokio::spawn(backend_events::run(
                purchase.clone(),
                backends.clone(),
                rx.clone(),
            ));
        }
        let catalog = backends
            .iter()
            .flat_map(|(b, ..)| b.inventory.event_ids())
            .filter_map(|id| EventId::parse(&id).ok())
            .collect();
        let sessions = crate::auth::admin_session::Sessions::new(
            settings.auth.jwt_secret.expose().as_bytes(),
            settings.server.admin_session,
            settings.server.environment != crate::config::Environment::Development,
        );
        let live_streams = http::operators::live_permits(settings.server.admin_live_max);
        let app = Arc::new(App {
            catalog: Arc::new(Catalog::new(
                q.availability_cache,
                catalog,
                store.clone(),
                queue.clone(),
                purchase.clone(),
            )),
            auth,
            reservation_tokens,
            purchase,
            readiness,
            ws_slots: Arc::new(Semaphore::new(ws_cap as usize)),
            ws_accept: governor::RateLimiter::direct(governor::Quota::per_second(
                std::num::NonZeroU32::new(settings.ws.accept_rate).expect("validated: at least 1"),
            )),
            ws_per_ip: PerAddress::new(settings.ws.max_per_ip),
            ws_upgrades: RateLimit::per_second(
                settings.ws.upgrade_rate_per_ip,
                &settings.rate_limit.trusted_proxies,
                metrics.clone(),
                "ws_upgrade",
            ),
            hash_pool: HashPool::new(
                settings.auth.hash_workers,
                settings.auth.hash_queue,
                metrics.clone(),
            ),
            settings,
            store_kind: store.kind(),
            events: store.clone(),
            idempotency: store.clone(),
            users: store.clone(),
            operators: store.clone(),
            updates: store.clone(),
            sessions,
            live_streams,
            hub,
            queue,
            pow,
            proofs: crate::queue::onsale::ProofCache::new(64),
            metrics: metrics.clone(),
            draining: AtomicBool::new(false),
        });
        tokio::spawn(http::operators::sample_minutes(app.clone(), rx.clone()));
        let ticker = tokio::spawn(ticker::run(
            store,
            app.settings.queue.clone(),
            metrics,
            app.hub.new_event.clone(),
            rx.clone(),
        ));
        if let Some(bind) = app.settings.server.metrics_bind {
            let metrics_listener = TcpListener::bind(bind)
                .await
                .with_context(|| format!("cannot listen on {bind} (USHER_METRICS_BIND)"))?;
            let router = http::metrics_router(app.clone());
            let stopped = crate::shutdown::stopped(rx.clone());
            tokio::spawn(async move {
                axum::serve(metrics_listener, router)
                    .with_graceful_shutdown(stopped)
                    .await
            });
            info!(%bind, "metrics listening");
        }
        let router = http::router(app.clone());
        let stop = rx;
        let http = tokio::spawn(listener.serve(router, stop));
        // A URL a person can open: a wildcard bind is reachable on localhost.
        let host = match addr.ip() {
            ip if ip.is_unspecified() => "localhost".to_owned(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        let url = format!("http://{host}:{}/", addr.port());
        info!(
            %addr,
            store = app.store_kind,
            "usher listening on {url} (web client at /, API docs at {url}docs)"
        );
        Ok(Self {
            addr,
            app,
            backends: backends.map(|(b, address, _)| (b, address)),
            shutdown,
            http,
            ticker,
        })
    }

    /// Starts the embedded reference backends on a loopback port, unless every backend is
    /// external. Returns them, their address and the key they require.
    async fn start_backends(
        settings: &Settings,
        shutdown: watch::Receiver<bool>,
    ) -> anyhow::Result<Option<(Arc<Backends>, String, Secret)>> {
        if settings.upstream.all_external() {
            return Ok(None);
        }
        if settings.upstream.payment_address.is_none()
            && settings.server.environment != crate::config::Environment::Development
        {
            warn!(
                environment = ?settings.server.environment,
                "USHER_ALLOW_PAYMENT_SIMULATOR: the embedded payment simulator is running; it \
                 approves payments that were never made. Never sell real tickets like this."
            );
        }
        let key = settings.backends.key.clone().unwrap_or_else(Secret::random);
        let backends = Backends::new(&settings.backends, Some(key.clone()))?;
        let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
            .await
            .context("cannot listen for the embedded backends")?;
        let addr = listener.local_addr()?;
        backends.serve(listener, crate::shutdown::stopped(shutdown))?;
        info!(%addr, "embedded reference backends listening (gRPC)");
        Ok(Some((backends, addr.to_string(), key)))
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The application state (for tests and embedding).
    pub fn app(&self) -> &AppState {
        &self.app
    }

    /// The embedded reference backends, when this node runs them.
    pub fn backends(&self) -> Option<&Arc<Backends>> {
        self.backends.as_ref().map(|(b, _)| b)
    }

    /// Where the embedded backends listen, when this node runs them.
    pub fn backends_address(&self) -> Option<&str> {
        self.backends.as_ref().map(|(_, a)| a.as_str())
    }

    /// Graceful stop: readiness fails, sockets get a reconnect hint and a close, then the
    /// listener stops after at most `drain`.
    pub async fn shutdown(self, drain: Duration) {
        self.app.draining.store(true, Ordering::Relaxed);
        self.app
            .hub
            .drain(self.app.settings.ws.retry_after.as_millis() as u64);
        let deadline = tokio::time::Instant::now() + drain;
        while self.app.metrics.ws_connections.get() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = self.shutdown.send(true);
        let _ = self.ticker.await;
        let _ = self.http.await;
    }
}

/// Runs a node until SIGINT or SIGTERM, then shuts it down gracefully.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let drain = settings.server.drain;
    let server = Server::start(settings).await?;
    crate::shutdown::signal().await;
    info!("shutting down: draining sockets");
    server.shutdown(drain).await;
    info!("stopped");
    Ok(())
}
