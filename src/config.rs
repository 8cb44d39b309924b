//! Typed settings, one struct per area. Every field names its environment variable (the seed's
//! name where one exists, `USHER_*` otherwise), its default and a doc line; `usher serve --help`
//! and the README's configuration table are generated from these same definitions.
//! Values are validated at start; an invalid one stops usher with a message naming the variable.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::store::EventConfig;

/// A secret read from the environment. It never prints.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        if s.is_empty() {
            return Err("must not be empty".into());
        }
        Ok(Self(s.to_owned()))
    }
}

/// Shortest accepted admin token.
const MIN_ADMIN_TOKEN_LEN: usize = 16;

/// Where usher runs; production refuses unsafe settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    Development,
    Staging,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Json,
    Text,
}

/// Everything `usher serve` needs.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    #[command(flatten)]
    pub server: ServerSettings,
    #[command(flatten)]
    pub queue: QueueSettings,
    #[command(flatten)]
    pub ws: WsSettings,
    #[command(flatten)]
    pub rate_limit: RateLimitSettings,
    #[command(flatten)]
    pub redis: RedisSettings,
    #[command(flatten)]
    pub auth: AuthSettings,
    #[command(flatten)]
    pub upstream: UpstreamSettings,
    #[command(flatten)]
    pub backends: BackendSettings,
    #[command(flatten)]
    pub log: LogSettings,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Server")]
pub struct ServerSettings {
    /// Address to listen on.
    #[arg(
        long = "bind",
        env = "USHER_BIND",
        value_name = "USHER_BIND",
        default_value = "0.0.0.0"
    )]
    pub bind: IpAddr,
    /// HTTP and WebSocket port (0 picks a free port).
    #[arg(
        long = "port",
        env = "SERVER_PORT",
        value_name = "SERVER_PORT",
        default_value_t = 8000
    )]
    pub port: u16,
    /// Deployment environment: development, staging or production.
    #[arg(long = "environment", env = "SERVER_ENVIRONMENT", value_name = "SERVER_ENVIRONMENT", value_enum, default_value_t = Environment::Development)]
    pub environment: Environment,
    /// Bearer token for /api/v1/admin (at least 16 characters); unset disables the admin API.
    #[arg(
        long = "admin-token",
        env = "USHER_ADMIN_TOKEN",
        value_name = "USHER_ADMIN_TOKEN",
        hide_env_values = true
    )]
    pub admin_token: Option<Secret>,
    /// Largest accepted HTTP request body, in bytes.
    #[arg(long = "max-body-bytes", env = "USHER_MAX_BODY_BYTES", value_name = "USHER_MAX_BODY_BYTES", default_value_t = 65_536, value_parser = clap::value_parser!(u32).range(256..=4_194_304))]
    pub max_body_bytes: u32,
    /// On shutdown, how long sockets are given to move elsewhere before the process exits.
    #[arg(long = "drain-secs", env = "USHER_DRAIN_SECS", value_name = "USHER_DRAIN_SECS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(0..=300))]
    pub drain_secs: u64,
    /// Path of the Prometheus metrics.
    #[arg(long = "metrics-path", env = "OBSERVABILITY_METRICS_PATH", value_name = "OBSERVABILITY_METRICS_PATH", default_value = "/metrics", value_parser = parse_path)]
    pub metrics_path: String,
    /// Origins allowed by CORS, comma-separated; `*` allows any origin (without credentials).
    #[arg(
        long = "cors-allow-origins",
        env = "CORS_ALLOW_ORIGINS",
        value_name = "CORS_ALLOW_ORIGINS",
        default_value = "*",
        value_delimiter = ','
    )]
    pub cors_allow_origins: Vec<String>,
    /// Directory of the built web client, served at `/`.
    #[arg(
        long = "web-root",
        env = "USHER_WEB_ROOT",
        value_name = "USHER_WEB_ROOT",
        default_value = "web-client/dist"
    )]
    pub web_root: PathBuf,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Queue")]
pub struct QueueSettings {
    /// Default admissions per second of a new event (token-bucket refill).
    #[arg(long = "queue-rate", env = "USHER_QUEUE_RATE", value_name = "USHER_QUEUE_RATE", default_value_t = 50.0, value_parser = parse_rate)]
    pub rate: f64,
    /// Default token-bucket capacity of a new event (largest admission burst).
    #[arg(long = "queue-burst", env = "USHER_QUEUE_BURST", value_name = "USHER_QUEUE_BURST", default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub burst: u32,
    /// Default cap on concurrently active (admitted or entered) users of a new event; unset is unlimited.
    #[arg(long = "queue-max-active", env = "USHER_QUEUE_MAX_ACTIVE", value_name = "USHER_QUEUE_MAX_ACTIVE", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_active: Option<u32>,
    /// Default time an admitted waiter has to call enter before the slot is freed, in seconds.
    #[arg(long = "entry-window-secs", env = "USHER_ENTRY_WINDOW_SECS", value_name = "USHER_ENTRY_WINDOW_SECS", default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=86_400))]
    pub entry_window_secs: u32,
    /// How long a waiter whose socket closed keeps their place, in seconds.
    #[arg(long = "grace-secs", env = "USHER_GRACE_SECS", value_name = "USHER_GRACE_SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub grace_secs: u64,
    /// Heartbeat given by a join or a REST status call (the seed's 5 minutes), in seconds.
    #[arg(long = "heartbeat-secs", env = "USHER_HEARTBEAT_SECS", value_name = "USHER_HEARTBEAT_SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub heartbeat_secs: u64,
    /// Lifetime of the reservation token granted by enter (`ttl_sec`), in seconds.
    #[arg(long = "reservation-ttl-secs", env = "USHER_RESERVATION_TTL_SECS", value_name = "USHER_RESERVATION_TTL_SECS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3_600))]
    pub reservation_ttl_secs: u32,
    /// How long an entered user counts against max_active, in seconds.
    #[arg(long = "session-secs", env = "USHER_ACTIVE_SESSION_SECS", value_name = "USHER_ACTIVE_SESSION_SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub session_secs: u64,
    /// Longest queue per event; joins beyond it get 503 QUEUE_FULL.
    #[arg(long = "max-queue-len", env = "USHER_MAX_QUEUE_LEN", value_name = "USHER_MAX_QUEUE_LEN", default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_queue_len: u64,
    /// Admission ticker interval, in milliseconds.
    #[arg(long = "tick-ms", env = "USHER_TICK_MS", value_name = "USHER_TICK_MS", default_value_t = 100, value_parser = clap::value_parser!(u64).range(10..=10_000))]
    pub tick_ms: u64,
    /// Most waiters one admission step may admit.
    #[arg(long = "admit-max-batch", env = "USHER_ADMIT_MAX_BATCH", value_name = "USHER_ADMIT_MAX_BATCH", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_batch: u32,
    /// Reaper interval (abandoned waiters, unused entry windows), in milliseconds.
    #[arg(long = "reap-interval-ms", env = "USHER_REAP_INTERVAL_MS", value_name = "USHER_REAP_INTERVAL_MS", default_value_t = 1_000, value_parser = clap::value_parser!(u64).range(10..=60_000))]
    pub reap_interval_ms: u64,
    /// How long ended tokens are remembered (status says expired rather than not found), in seconds.
    #[arg(long = "retention-secs", env = "USHER_RETENTION_SECS", value_name = "USHER_RETENTION_SECS", default_value_t = 1_800, value_parser = clap::value_parser!(u64).range(1..))]
    pub retention_secs: u64,
    /// Least time between two position pushes to one waiter, in milliseconds.
    #[arg(long = "push-interval-ms", env = "USHER_PUSH_INTERVAL_MS", value_name = "USHER_PUSH_INTERVAL_MS", default_value_t = 1_000, value_parser = clap::value_parser!(u64).range(10..=60_000))]
    pub push_interval_ms: u64,
    /// Longest time without a position push to a waiter, in seconds.
    #[arg(long = "push-keepalive-secs", env = "USHER_PUSH_KEEPALIVE_SECS", value_name = "USHER_PUSH_KEEPALIVE_SECS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub keepalive_secs: u64,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "WebSocket")]
pub struct WsSettings {
    /// Most concurrent WebSockets on this node; more are told to retry later (close 1013).
    #[arg(long = "ws-max-connections", env = "USHER_WS_MAX_CONNECTIONS", value_name = "USHER_WS_MAX_CONNECTIONS", default_value_t = 50_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Server ping interval, in seconds (under common 60 s proxy idle timeouts).
    #[arg(long = "ws-ping-secs", env = "USHER_WS_PING_SECS", value_name = "USHER_WS_PING_SECS", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub ping_secs: u64,
    /// How long a ping may go unanswered before the socket is closed, in seconds.
    #[arg(long = "ws-pong-timeout-secs", env = "USHER_WS_PONG_TIMEOUT_SECS", value_name = "USHER_WS_PONG_TIMEOUT_SECS", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub pong_timeout_secs: u64,
    /// Messages queued per socket before the client counts as a slow consumer and is disconnected.
    #[arg(long = "ws-outbound-queue", env = "USHER_WS_OUTBOUND_QUEUE", value_name = "USHER_WS_OUTBOUND_QUEUE", default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=4_096))]
    pub outbound_queue: u32,
    /// Per-socket read buffer, in bytes.
    #[arg(long = "ws-read-buffer-bytes", env = "USHER_WS_READ_BUFFER_BYTES", value_name = "USHER_WS_READ_BUFFER_BYTES", default_value_t = 2_048, value_parser = clap::value_parser!(u32).range(512..=1_048_576))]
    pub read_buffer_bytes: u32,
    /// Per-socket write buffer, in bytes.
    #[arg(long = "ws-write-buffer-bytes", env = "USHER_WS_WRITE_BUFFER_BYTES", value_name = "USHER_WS_WRITE_BUFFER_BYTES", default_value_t = 4_096, value_parser = clap::value_parser!(u32).range(0..=1_048_576))]
    pub write_buffer_bytes: u32,
    /// Largest accepted client message or frame, in bytes.
    #[arg(long = "ws-max-message-bytes", env = "USHER_WS_MAX_MESSAGE_BYTES", value_name = "USHER_WS_MAX_MESSAGE_BYTES", default_value_t = 4_096, value_parser = clap::value_parser!(u32).range(64..=1_048_576))]
    pub max_message_bytes: u32,
    /// Longest one write to a socket may take before the client is dropped as too slow, in milliseconds.
    #[arg(long = "ws-write-timeout-ms", env = "USHER_WS_WRITE_TIMEOUT_MS", value_name = "USHER_WS_WRITE_TIMEOUT_MS", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(10..=120_000))]
    pub write_timeout_ms: u64,
    /// Most new WebSockets this node accepts per second (burst of one second's worth); more are
    /// told to retry later (close 1013), so a reconnect storm cannot swamp the node.
    #[arg(long = "ws-accept-rate", env = "USHER_WS_ACCEPT_RATE", value_name = "USHER_WS_ACCEPT_RATE", default_value_t = 5_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub accept_rate: u32,
    /// Retry hint given to clients turned away (connection cap) or moved (drain), in milliseconds.
    #[arg(long = "ws-retry-after-ms", env = "USHER_WS_RETRY_AFTER_MS", value_name = "USHER_WS_RETRY_AFTER_MS", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(0..=600_000))]
    pub retry_after_ms: u64,
}

/// Per-client HTTP rate limiting of `/api/v1` (admin and WebSocket routes excluded).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Rate limiting")]
pub struct RateLimitSettings {
    /// Limit each client's requests to /api/v1 (admin and WebSocket routes excluded).
    #[arg(id = "rate_limit_enabled", long = "rate-limit-enabled", env = "RATE_LIMIT_ENABLED", value_name = "RATE_LIMIT_ENABLED", default_value_t = true, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub enabled: bool,
    /// Requests a client regains per window (the sustained rate).
    #[arg(
        id = "rate_limit_rps",
        long = "rate-limit-rps",
        env = "RATE_LIMIT_RPS",
        value_name = "RATE_LIMIT_RPS",
        default_value_t = 50
    )]
    pub rps: u32,
    /// Most requests a client may make at once (bucket capacity).
    #[arg(
        id = "rate_limit_burst",
        long = "rate-limit-burst",
        env = "RATE_LIMIT_BURST",
        value_name = "RATE_LIMIT_BURST",
        default_value_t = 100
    )]
    pub burst: u32,
    /// Window over which RATE_LIMIT_RPS requests are regained, refilled continuously.
    #[arg(id = "rate_limit_window", long = "rate-limit-window-size", env = "RATE_LIMIT_WINDOW_SIZE", value_name = "RATE_LIMIT_WINDOW_SIZE", default_value = "1s", value_parser = humantime::parse_duration)]
    pub window: Duration,
    /// Path prefixes never limited, comma-separated.
    #[arg(
        id = "rate_limit_exempt_paths",
        long = "rate-limit-exempt-paths",
        env = "RATE_LIMIT_EXEMPT_PATHS",
        value_name = "RATE_LIMIT_EXEMPT_PATHS",
        default_value = "/healthz,/readyz,/metrics",
        value_delimiter = ','
    )]
    pub exempt_paths: Vec<String>,
    /// Proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For / X-Real-IP name the client; unset trusts none.
    #[arg(
        id = "trusted_proxies",
        long = "trusted-proxies",
        env = "USHER_TRUSTED_PROXIES",
        value_name = "USHER_TRUSTED_PROXIES",
        default_value = "",
        hide_default_value = true,
        value_parser = crate::http::client_ip::TrustedProxies::parse
    )]
    pub trusted_proxies: crate::http::client_ip::TrustedProxies,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Redis")]
pub struct RedisSettings {
    /// Redis address: host:port or a redis:// (rediss://) URL; for a cluster, one or more seed nodes, comma-separated. Unset uses the embedded store.
    #[arg(
        long = "redis-address",
        env = "REDIS_ADDRESS",
        value_name = "REDIS_ADDRESS"
    )]
    pub address: Option<String>,
    /// Redis password.
    #[arg(
        long = "redis-password",
        env = "REDIS_PASSWORD",
        value_name = "REDIS_PASSWORD",
        hide_env_values = true
    )]
    pub password: Option<Secret>,
    /// Database number (standalone Redis only).
    #[arg(long = "redis-database", env = "REDIS_DATABASE", value_name = "REDIS_DATABASE", default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=15))]
    pub database: u8,
    /// Talk to a Redis Cluster (sharded pub/sub, slot routing) instead of a single server.
    #[arg(long = "redis-cluster-mode", env = "REDIS_CLUSTER_MODE", value_name = "REDIS_CLUSTER_MODE", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub cluster: bool,
    /// Connect with TLS.
    #[arg(long = "redis-tls-enabled", env = "REDIS_TLS_ENABLED", value_name = "REDIS_TLS_ENABLED", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub tls: bool,
    /// Multiplexed command connections to a standalone Redis (each carries many requests at once).
    #[arg(long = "redis-pool-size", env = "REDIS_POOL_SIZE", value_name = "REDIS_POOL_SIZE", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub pool_size: u32,
    /// Timeout of one connection attempt.
    #[arg(long = "redis-dial-timeout", env = "REDIS_DIAL_TIMEOUT", value_name = "REDIS_DIAL_TIMEOUT", default_value = "5s", value_parser = humantime::parse_duration)]
    pub dial_timeout: Duration,
    /// Timeout of one command; a request fails with 503 rather than hang.
    #[arg(long = "redis-read-timeout", env = "REDIS_READ_TIMEOUT", value_name = "REDIS_READ_TIMEOUT", default_value = "3s", value_parser = humantime::parse_duration)]
    pub read_timeout: Duration,
    /// Reconnection attempts per failed connection before a request fails.
    #[arg(long = "redis-max-retries", env = "REDIS_MAX_RETRIES", value_name = "REDIS_MAX_RETRIES", default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=100))]
    pub max_retries: u32,
    /// How long the store must be unreachable before /readyz fails (a slow answer is not an outage), in seconds.
    #[arg(long = "ready-outage-secs", env = "USHER_READY_OUTAGE_SECS", value_name = "USHER_READY_OUTAGE_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(0..=3_600))]
    pub ready_outage_secs: u64,
}

impl RedisSettings {
    /// The addresses in `REDIS_ADDRESS`.
    pub fn addresses(&self) -> Vec<String> {
        self.address
            .iter()
            .flat_map(|a| a.split(','))
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Logging")]
pub struct LogSettings {
    /// Log filter: a level (error, warn, info, debug, trace) or tracing directives.
    #[arg(
        long = "log-level",
        env = "LOG_LEVEL",
        value_name = "LOG_LEVEL",
        default_value = "info"
    )]
    pub level: String,
    /// Log format: json or text.
    #[arg(long = "log-format", env = "LOG_FORMAT", value_name = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Json)]
    pub format: LogFormat,
}

/// Authentication of buyers (JWT) and the signing of reservation tokens.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Auth")]
pub struct AuthSettings {
    /// HS256 key of user tokens (tokens without a key id, and the ones login issues); the
    /// default is refused in production.
    #[arg(
        long = "jwt-secret",
        env = "JWT_SECRET",
        value_name = "JWT_SECRET",
        default_value = DEV_JWT_SECRET
    )]
    pub jwt_secret: Secret,
    /// Required `iss` of user tokens (and the `iss` login issues); unset checks none.
    #[arg(long = "jwt-issuer", env = "JWT_ISSUER", value_name = "JWT_ISSUER")]
    pub issuer: Option<String>,
    /// Required `aud` of user tokens (and the `aud` login issues); unset checks none.
    #[arg(
        long = "jwt-audience",
        env = "JWT_AUDIENCE",
        value_name = "JWT_AUDIENCE"
    )]
    pub audience: Option<String>,
    /// JWKS URL of an identity provider whose RS256/ES256 tokens (with a key id) are accepted.
    #[arg(
        long = "jwt-jwks-endpoint",
        env = "JWT_JWKS_ENDPOINT",
        value_name = "JWT_JWKS_ENDPOINT"
    )]
    pub jwks_endpoint: Option<String>,
    /// How long fetched JWKS keys are used before they are fetched again.
    #[arg(long = "jwt-cache-ttl", env = "JWT_CACHE_TTL", value_name = "JWT_CACHE_TTL", default_value = "10m", value_parser = humantime::parse_duration)]
    pub jwks_ttl: Duration,
    /// Lifetime of the user tokens login and register issue.
    #[arg(long = "jwt-ttl", env = "USHER_JWT_TTL", value_name = "USHER_JWT_TTL", default_value = "24h", value_parser = humantime::parse_duration)]
    pub token_ttl: Duration,
    /// PEM file (PKCS#8) of the P-256 key that signs reservation tokens; replicas must share
    /// it. Unset generates a key at start (fine for one node).
    #[arg(
        long = "reservation-key-file",
        env = "USHER_RESERVATION_KEY_FILE",
        value_name = "USHER_RESERVATION_KEY_FILE"
    )]
    pub reservation_key_file: Option<PathBuf>,
}

/// The seed's default user-token key; production refuses to start with it.
pub const DEV_JWT_SECRET: &str = "change-me-in-production";

/// Where the gateway finds its backends. Unset addresses use the embedded reference backends.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Backend connections")]
pub struct UpstreamSettings {
    /// gRPC address (host:port or URL) of reservation.v1.ReservationService; unset runs the
    /// embedded reference backends on loopback.
    #[arg(
        long = "reservation-api-address",
        env = "BACKEND_RESERVATION_API_GRPC_ADDRESS",
        value_name = "BACKEND_RESERVATION_API_GRPC_ADDRESS"
    )]
    pub reservation_address: Option<String>,
    /// Deadline of one reservation or inventory call.
    #[arg(long = "reservation-api-timeout", env = "BACKEND_RESERVATION_API_TIMEOUT", value_name = "BACKEND_RESERVATION_API_TIMEOUT", default_value = "600ms", value_parser = humantime::parse_duration)]
    pub reservation_timeout: Duration,
    /// Call the reservation (and inventory) service over TLS.
    #[arg(long = "reservation-api-tls-enabled", env = "BACKEND_RESERVATION_API_TLS_ENABLED", value_name = "BACKEND_RESERVATION_API_TLS_ENABLED", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub reservation_tls: bool,
    /// gRPC address of reservation.v1.InventoryService; unset uses the reservation address.
    #[arg(
        long = "inventory-api-address",
        env = "BACKEND_INVENTORY_API_GRPC_ADDRESS",
        value_name = "BACKEND_INVENTORY_API_GRPC_ADDRESS"
    )]
    pub inventory_address: Option<String>,
    /// gRPC address of payment.v1.PaymentService; unset uses the embedded simulator.
    #[arg(
        long = "payment-api-address",
        env = "BACKEND_PAYMENT_API_GRPC_ADDRESS",
        value_name = "BACKEND_PAYMENT_API_GRPC_ADDRESS"
    )]
    pub payment_address: Option<String>,
    /// Deadline of one payment call.
    #[arg(long = "payment-api-timeout", env = "BACKEND_PAYMENT_API_TIMEOUT", value_name = "BACKEND_PAYMENT_API_TIMEOUT", default_value = "400ms", value_parser = humantime::parse_duration)]
    pub payment_timeout: Duration,
    /// Call the payment service over TLS.
    #[arg(long = "payment-api-tls-enabled", env = "BACKEND_PAYMENT_API_TLS_ENABLED", value_name = "BACKEND_PAYMENT_API_TLS_ENABLED", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub payment_tls: bool,
    /// Public base URL of this gateway, which the payment service calls back
    /// (`<url>/api/v1/webhooks/payment`); unset uses this node's own loopback address.
    #[arg(
        long = "public-url",
        env = "USHER_PUBLIC_URL",
        value_name = "USHER_PUBLIC_URL"
    )]
    pub public_url: Option<String>,
}

impl UpstreamSettings {
    /// Whether every backend is external (nothing to embed).
    pub fn all_external(&self) -> bool {
        self.reservation_address.is_some() && self.payment_address.is_some()
    }
}

/// The embedded reference backends (reservations, inventory, payment simulator).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Backends")]
pub struct BackendSettings {
    /// Venue file of the embedded inventory (JSON: events, sections, rows, seats per row,
    /// prices); unset loads the example event evt_2025_1001 with 10,000 seats.
    #[arg(
        long = "inventory-file",
        env = "USHER_INVENTORY_FILE",
        value_name = "USHER_INVENTORY_FILE"
    )]
    pub inventory_file: Option<PathBuf>,
    /// How long a reservation holds its seats before they are released, in seconds.
    #[arg(long = "hold-secs", env = "USHER_HOLD_SECS", value_name = "USHER_HOLD_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub hold_secs: u64,
    /// HMAC-SHA256 key of payment webhooks (the development default is refused in production).
    #[arg(
        long = "webhook-secret",
        env = "USHER_WEBHOOK_SECRET",
        value_name = "USHER_WEBHOOK_SECRET",
        default_value = DEV_WEBHOOK_SECRET
    )]
    pub webhook_secret: Secret,
    /// Delay before the payment simulator settles approve, fail and random payments, in ms.
    #[arg(long = "payment-delay-ms", env = "USHER_PAYMENT_DELAY_MS", value_name = "USHER_PAYMENT_DELAY_MS", default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(0..=600_000))]
    pub payment_delay_ms: u64,
    /// Delay before the payment simulator settles the `delay` scenario, in ms.
    #[arg(long = "payment-long-delay-ms", env = "USHER_PAYMENT_LONG_DELAY_MS", value_name = "USHER_PAYMENT_LONG_DELAY_MS", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(0..=3_600_000))]
    pub payment_long_delay_ms: u64,
    /// Probability that the payment simulator approves a `random` payment (0 to 1).
    #[arg(long = "payment-random-success", env = "USHER_PAYMENT_RANDOM_SUCCESS", value_name = "USHER_PAYMENT_RANDOM_SUCCESS", default_value_t = 0.7, value_parser = parse_probability)]
    pub payment_random_success: f64,
}

/// The development webhook key; production refuses to start with it.
pub const DEV_WEBHOOK_SECRET: &str = "usher-dev-webhook-secret";

fn parse_probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err("must be a number from 0 to 1".into()),
    }
}

fn parse_path(s: &str) -> Result<String, String> {
    let ok = s.starts_with('/') && s.len() > 1 && !s.contains(['{', '}', '*', '?', '#', ' ']);
    if ok {
        Ok(s.to_owned())
    } else {
        Err("must be a plain absolute path such as /metrics".into())
    }
}

fn parse_rate(s: &str) -> Result<f64, String> {
    let rate: f64 = s.parse().map_err(|e| format!("{e}"))?;
    if rate.is_finite() && rate > 0.0 && rate <= 1_000_000.0 {
        Ok(rate)
    } else {
        Err("must be a number above 0 and at most 1000000".into())
    }
}

/// A setting that cannot work together with another.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(String);

impl Settings {
    /// Checks what single-value parsing cannot: relations between settings.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self
            .server
            .admin_token
            .as_ref()
            .is_some_and(|t| t.expose().len() < MIN_ADMIN_TOKEN_LEN)
        {
            return Err(ConfigError(format!(
                "USHER_ADMIN_TOKEN must be at least {MIN_ADMIN_TOKEN_LEN} characters"
            )));
        }
        if self.redis.address.is_some() && self.redis.addresses().is_empty() {
            return Err(ConfigError(
                "REDIS_ADDRESS is set but names no address".into(),
            ));
        }
        if !self.redis.cluster && self.redis.addresses().len() > 1 {
            return Err(ConfigError(
                "REDIS_ADDRESS lists several addresses; set REDIS_CLUSTER_MODE=true for a cluster"
                    .into(),
            ));
        }
        if self.server.environment == Environment::Production
            && self.auth.jwt_secret.expose() == DEV_JWT_SECRET
        {
            return Err(ConfigError(
                "JWT_SECRET must be set to a secret of your own in production".into(),
            ));
        }
        if self.server.environment == Environment::Production
            && self.backends.webhook_secret.expose() == DEV_WEBHOOK_SECRET
        {
            return Err(ConfigError(
                "USHER_WEBHOOK_SECRET must be set to a secret of your own in production".into(),
            ));
        }
        let origins = &self.server.cors_allow_origins;
        if origins.len() > 1 && origins.iter().any(|o| o == "*") {
            return Err(ConfigError(
                "CORS_ALLOW_ORIGINS is either * or a list of origins, not both".into(),
            ));
        }
        if let Some(bad) = origins
            .iter()
            .find(|o| *o != "*" && axum::http::HeaderValue::from_str(o).is_err())
        {
            return Err(ConfigError(format!(
                "CORS_ALLOW_ORIGINS has an invalid origin: {bad:?}"
            )));
        }
        let rl = &self.rate_limit;
        if rl.rps == 0 {
            return Err(ConfigError("RATE_LIMIT_RPS must be above 0".into()));
        }
        if rl.burst == 0 {
            return Err(ConfigError("RATE_LIMIT_BURST must be at least 1".into()));
        }
        if (rl.window / rl.rps).is_zero() {
            return Err(ConfigError(
                "RATE_LIMIT_WINDOW_SIZE must be above 0 (and at least 1ns per RATE_LIMIT_RPS)"
                    .into(),
            ));
        }
        if let Some(bad) = rl
            .exempt_paths
            .iter()
            .map(|p| p.trim())
            .find(|p| !p.is_empty() && !p.starts_with('/'))
        {
            return Err(ConfigError(format!(
                "RATE_LIMIT_EXEMPT_PATHS has a path that does not start with /: {bad:?}"
            )));
        }
        let q = &self.queue;
        if q.push_interval_ms > q.keepalive_secs * 1_000 {
            return Err(ConfigError(
                "USHER_PUSH_INTERVAL_MS must not exceed USHER_PUSH_KEEPALIVE_SECS".into(),
            ));
        }
        Ok(())
    }
}

impl QueueSettings {
    /// Settings a new event starts with.
    pub fn event_defaults(&self) -> EventConfig {
        EventConfig {
            rate_per_sec: self.rate,
            burst: self.burst,
            max_active: self.max_active,
            entry_window_secs: self.entry_window_secs,
            paused: false,
        }
    }

    pub fn grace(&self) -> Duration {
        Duration::from_secs(self.grace_secs)
    }

    /// How often a node refreshes the heartbeat of its open sockets: well inside the grace
    /// period, so a crashed node's waiters are reaped about one grace period after the crash.
    pub fn socket_touch_interval(&self) -> Duration {
        (self.grace() / 4).clamp(Duration::from_millis(250), Duration::from_secs(60))
    }
}
