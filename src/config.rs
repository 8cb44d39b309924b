//! Typed settings, one struct per area. Every field names its environment variable (the seed's
//! name where one exists, `USHER_*` otherwise), its default and a doc line; `usher serve --help`
//! and the README's configuration table are generated from these same definitions.
//! Values are validated at start; an invalid one stops usher with a message naming the variable.
//! Every duration is a [`Duration`], read by one parser ([`DURATION_FORMS`] says how they are
//! written): `*_SECS` and `*_MS` variables keep taking plain numbers in their unit.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::TypedValueParser;
use clap::{Args, ValueEnum};

pub mod proxies;

// The backends' settings, and the redacting secret both sides keep keys in, live with the
// backends and the contracts; `usher serve` flattens the backends' settings into its own.
pub use usher_backends::{BackendSettings, DEV_WEBHOOK_SECRET};
pub use usher_proto::Secret;

/// Shortest accepted admin token.
const MIN_ADMIN_TOKEN_LEN: usize = 16;
/// Shortest secret (JWT, webhook, admin and metrics tokens) accepted in staging and production.
pub const MIN_PRODUCTION_SECRET_LEN: usize = 32;

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
    pub conn: ConnSettings,
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
    #[command(flatten)]
    pub tracing: TracingSettings,
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
    /// Bearer token for /api/v1/admin (at least 16 characters), or several, comma-separated,
    /// any of which is accepted (to rotate: add the new one, move the clients, remove the old);
    /// unset disables the admin API.
    #[arg(
        long = "admin-token",
        env = "USHER_ADMIN_TOKEN",
        value_name = "USHER_ADMIN_TOKEN",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub admin_tokens: Vec<Secret>,
    /// How long an operator's dashboard sign-in (an HttpOnly cookie) lasts, in seconds.
    #[arg(long = "admin-session-secs", env = "USHER_ADMIN_SESSION_SECS", value_name = "USHER_ADMIN_SESSION_SECS", default_value = "28800", value_parser = secs(60, 604_800))]
    pub admin_session: Duration,
    /// Operators' actions the audit log keeps (the oldest go first).
    #[arg(long = "audit-keep", env = "USHER_AUDIT_KEEP", value_name = "USHER_AUDIT_KEEP", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub audit_keep: u64,
    /// Minutes of each event's history kept (the oldest go first): a week by default.
    #[arg(long = "history-minutes", env = "USHER_HISTORY_MINUTES", value_name = "USHER_HISTORY_MINUTES", default_value_t = 10_080, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub history_minutes: u64,
    /// Live dashboard streams (server-sent events) this node serves at once.
    #[arg(long = "admin-live-max", env = "USHER_ADMIN_LIVE_MAX", value_name = "USHER_ADMIN_LIVE_MAX", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub admin_live_max: u32,
    /// Largest accepted HTTP request body, in bytes.
    #[arg(long = "max-body-bytes", env = "USHER_MAX_BODY_BYTES", value_name = "USHER_MAX_BODY_BYTES", default_value_t = 65_536, value_parser = clap::value_parser!(u32).range(256..=4_194_304))]
    pub max_body_bytes: u32,
    /// On shutdown, how long sockets are given to move elsewhere before the process exits, in
    /// seconds.
    #[arg(long = "drain-secs", env = "USHER_DRAIN_SECS", value_name = "USHER_DRAIN_SECS", default_value = "5", value_parser = secs(0, 300))]
    pub drain: Duration,
    /// Most events with per-event metric series on this node (later events have none).
    #[arg(long = "metrics-max-events", env = "USHER_METRICS_MAX_EVENTS", value_name = "USHER_METRICS_MAX_EVENTS", default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub metrics_max_events: u32,
    /// Bearer token required to read the metrics; unset leaves them open (on their own bind
    /// address if USHER_METRICS_BIND is set).
    #[arg(
        long = "metrics-token",
        env = "USHER_METRICS_TOKEN",
        value_name = "USHER_METRICS_TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<Secret>,
    /// Serve the metrics (and only them) on this address (e.g. 127.0.0.1:9090) instead of the
    /// main port.
    #[arg(
        long = "metrics-bind",
        env = "USHER_METRICS_BIND",
        value_name = "USHER_METRICS_BIND"
    )]
    pub metrics_bind: Option<std::net::SocketAddr>,
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
    #[arg(long = "entry-window-secs", env = "USHER_ENTRY_WINDOW_SECS", value_name = "USHER_ENTRY_WINDOW_SECS", default_value = "120", value_parser = secs(1, 86_400))]
    pub entry_window: Duration,
    /// How long a waiter whose socket closed keeps their place, in seconds.
    #[arg(long = "grace-secs", env = "USHER_GRACE_SECS", value_name = "USHER_GRACE_SECS", default_value = "120", value_parser = secs(1, 86_400))]
    pub grace: Duration,
    /// Heartbeat given by a join or a REST status call (the seed's 5 minutes), in seconds.
    #[arg(long = "heartbeat-secs", env = "USHER_HEARTBEAT_SECS", value_name = "USHER_HEARTBEAT_SECS", default_value = "300", value_parser = secs(1, 86_400))]
    pub heartbeat: Duration,
    /// Lifetime of the reservation token granted by enter (`ttl_sec`), in seconds.
    #[arg(long = "reservation-ttl-secs", env = "USHER_RESERVATION_TTL_SECS", value_name = "USHER_RESERVATION_TTL_SECS", default_value = "30", value_parser = secs(1, 3_600))]
    pub reservation_ttl: Duration,
    /// How long an entered user counts against max_active, in seconds.
    #[arg(long = "session-secs", env = "USHER_ACTIVE_SESSION_SECS", value_name = "USHER_ACTIVE_SESSION_SECS", default_value = "300", value_parser = secs(1, 86_400))]
    pub session: Duration,
    /// Longest queue per event; joins beyond it get 503 QUEUE_FULL.
    #[arg(long = "max-queue-len", env = "USHER_MAX_QUEUE_LEN", value_name = "USHER_MAX_QUEUE_LEN", default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_queue_len: u64,
    /// Most entrants a random start's pre-queue records; leavers keep their slot in its entry
    /// list, so this bounds what a join-and-leave flood can make it hold. Joins beyond it get
    /// 503 QUEUE_FULL.
    #[arg(long = "prequeue-max-entrants", env = "USHER_PREQUEUE_MAX_ENTRANTS", value_name = "USHER_PREQUEUE_MAX_ENTRANTS", default_value_t = 2_000_000, value_parser = clap::value_parser!(u64).range(1..=crate::draw::MAX_ENTRANTS))]
    pub prequeue_max_entrants: u64,
    /// How long a proof-of-work challenge may be solved and used (an event asks for one when
    /// its `pow_difficulty` is above 0).
    #[arg(long = "pow-challenge-ttl-secs", env = "USHER_POW_CHALLENGE_TTL_SECS", value_name = "USHER_POW_CHALLENGE_TTL_SECS", default_value = "120", value_parser = secs(10, 3_600))]
    pub pow_challenge_ttl: Duration,
    /// Admission ticker interval, in milliseconds.
    #[arg(long = "tick-ms", env = "USHER_TICK_MS", value_name = "USHER_TICK_MS", default_value = "100", value_parser = millis(10, 10_000))]
    pub tick: Duration,
    /// Most waiters one admission step may admit.
    #[arg(long = "admit-max-batch", env = "USHER_ADMIT_MAX_BATCH", value_name = "USHER_ADMIT_MAX_BATCH", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_batch: u32,
    /// Reaper interval (abandoned waiters, unused entry windows), in milliseconds.
    #[arg(long = "reap-interval-ms", env = "USHER_REAP_INTERVAL_MS", value_name = "USHER_REAP_INTERVAL_MS", default_value = "1000", value_parser = millis(10, 60_000))]
    pub reap_interval: Duration,
    /// How long ended tokens are remembered (status says expired rather than not found), in seconds.
    #[arg(long = "retention-secs", env = "USHER_RETENTION_SECS", value_name = "USHER_RETENTION_SECS", default_value = "1800", value_parser = secs_at_least(1))]
    pub retention: Duration,
    /// Least time between two position pushes to one waiter, in milliseconds.
    #[arg(long = "push-interval-ms", env = "USHER_PUSH_INTERVAL_MS", value_name = "USHER_PUSH_INTERVAL_MS", default_value = "1000", value_parser = millis(10, 60_000))]
    pub push_interval: Duration,
    /// Longest time without a position push to a waiter, in seconds.
    #[arg(long = "push-keepalive-secs", env = "USHER_PUSH_KEEPALIVE_SECS", value_name = "USHER_PUSH_KEEPALIVE_SECS", default_value = "15", value_parser = secs(1, 300))]
    pub keepalive: Duration,
    /// Let a join open the queue of any event id (the seed's create-on-first-join), for
    /// development and load tests; off, only events an operator created or the inventory knows
    /// can be joined, and other ids get 404 EVENT_NOT_FOUND.
    #[arg(long = "auto-create-events", env = "USHER_AUTO_CREATE_EVENTS", value_name = "USHER_AUTO_CREATE_EVENTS", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub auto_create_events: bool,
    /// With USHER_AUTO_CREATE_EVENTS, joins stop creating events once this many events exist.
    #[arg(long = "auto-create-max-events", env = "USHER_AUTO_CREATE_MAX_EVENTS", value_name = "USHER_AUTO_CREATE_MAX_EVENTS", default_value_t = 1_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub auto_create_max_events: u64,
    /// With USHER_AUTO_CREATE_EVENTS, an event a join opened is deleted once nobody has waited,
    /// been active or joined in it for this long, in seconds (events operators created, or the
    /// inventory knows, are never deleted).
    #[arg(long = "auto-create-idle-secs", env = "USHER_AUTO_CREATE_IDLE_SECS", value_name = "USHER_AUTO_CREATE_IDLE_SECS", default_value = "600", value_parser = secs(1, 604_800))]
    pub auto_create_idle: Duration,
    /// Events whose existence (or absence) the inventory lookup remembers, per node.
    #[arg(long = "event-cache-size", env = "USHER_EVENT_CACHE_SIZE", value_name = "USHER_EVENT_CACHE_SIZE", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub event_cache_size: u32,
    /// How long an inventory lookup's answer (found or not found) is remembered.
    #[arg(long = "event-cache-ttl", env = "USHER_EVENT_CACHE_TTL", value_name = "USHER_EVENT_CACHE_TTL", default_value = "30s", value_parser = DURATION)]
    pub event_cache_ttl: Duration,
    /// Inventory lookups of events this node has no answer for that run at once; more wait up
    /// to a second, then are refused (503 `UPSTREAM_UNAVAILABLE`), so a flood of made-up event
    /// ids cannot load the inventory service the sale depends on.
    #[arg(long = "event-lookups-max", env = "USHER_EVENT_LOOKUPS_MAX", value_name = "USHER_EVENT_LOOKUPS_MAX", default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub event_lookups_max: u32,
    /// How long an event's seat counts are reused for every buyer who reads them on this node:
    /// one inventory call per event per period, however many read.
    #[arg(long = "availability-cache-ms", env = "USHER_AVAILABILITY_CACHE_MS", value_name = "USHER_AVAILABILITY_CACHE_MS", default_value = "1000", value_parser = millis(1, 60_000))]
    pub availability_cache: Duration,
}

/// The connection layer (per node): caps on open connections and the timeouts and sizes that
/// keep a slow or oversized request from holding resources.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Connections")]
pub struct ConnSettings {
    /// Most open connections (HTTP and WebSocket) on this node; 0 derives it from the process's
    /// open-file limit (RLIMIT_NOFILE, raised to its hard limit at start) less 512 kept for
    /// Redis, gRPC and files. Connections over it are closed at once.
    #[arg(
        id = "conn_max_connections",
        long = "max-connections",
        env = "USHER_MAX_CONNECTIONS",
        value_name = "USHER_MAX_CONNECTIONS",
        default_value_t = 0
    )]
    pub max_connections: u32,
    /// Most open connections from one client address (trusted proxies are exempt); 0 is no cap.
    #[arg(
        long = "max-connections-per-ip",
        env = "USHER_MAX_CONNECTIONS_PER_IP",
        value_name = "USHER_MAX_CONNECTIONS_PER_IP",
        default_value_t = 256
    )]
    pub max_connections_per_ip: u32,
    /// New connections per second from one client address (burst of twice that), refused at
    /// accept before any byte is read (trusted proxies are exempt); 0 is no limit.
    #[arg(
        long = "connection-rate-per-ip",
        env = "USHER_CONNECTION_RATE_PER_IP",
        value_name = "USHER_CONNECTION_RATE_PER_IP",
        default_value_t = 50
    )]
    pub connection_rate_per_ip: u32,
    /// How long a client has to send a request's headers, counted from the connection's start
    /// or, on a keep-alive connection, from the previous response (so it is also the idle
    /// keep-alive timeout).
    #[arg(long = "header-read-timeout", env = "USHER_HEADER_READ_TIMEOUT", value_name = "USHER_HEADER_READ_TIMEOUT", default_value = "10s", value_parser = TIMEOUT)]
    pub header_read_timeout: Duration,
    /// How long a client has to send a request's body once its headers arrived (408).
    #[arg(long = "body-read-timeout", env = "USHER_BODY_READ_TIMEOUT", value_name = "USHER_BODY_READ_TIMEOUT", default_value = "10s", value_parser = TIMEOUT)]
    pub body_read_timeout: Duration,
    /// Largest accepted request URI (path and query), in bytes (414).
    #[arg(long = "max-uri-bytes", env = "USHER_MAX_URI_BYTES", value_name = "USHER_MAX_URI_BYTES", default_value_t = 8_192, value_parser = clap::value_parser!(u32).range(256..=32_768))]
    pub max_uri_bytes: u32,
    /// Most request headers (431).
    #[arg(long = "max-headers", env = "USHER_MAX_HEADERS", value_name = "USHER_MAX_HEADERS", default_value_t = 100, value_parser = clap::value_parser!(u32).range(8..=256))]
    pub max_headers: u32,
    /// Largest accepted request header block, in bytes (431).
    #[arg(long = "max-header-bytes", env = "USHER_MAX_HEADER_BYTES", value_name = "USHER_MAX_HEADER_BYTES", default_value_t = 16_384, value_parser = clap::value_parser!(u32).range(1_024..=32_768))]
    pub max_header_bytes: u32,
}

/// How a duration setting reads a plain number; for `*_SECS` and `*_MS` variables also the
/// finest step they take, since their users count in that unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlainNumber {
    /// A `*_SECS` variable: seconds.
    Secs,
    /// A `*_MS` variable: milliseconds.
    Millis,
    /// Any other duration variable: a unit is required, as it always was.
    Refused,
}

/// The one parser of every duration setting (see [`DURATION_FORMS`]): a duration with units as
/// humantime reads it (`90s`, `2m`, `1h 30m`, `250ms`), or a plain number in the unit of a
/// `*_SECS` or `*_MS` variable; then checked against the setting's range.
#[derive(Debug, Clone, Copy)]
struct DurationSetting {
    plain: PlainNumber,
    min: Duration,
    /// `None`: no upper bound.
    max: Option<Duration>,
}

/// How duration settings are written, for `usher serve --help`.
pub const DURATION_FORMS: &str = "Durations: a *_SECS variable takes whole seconds, as a plain \
    number (90) or with a unit (90s, 2m, 1h 30m); a *_MS variable takes whole milliseconds \
    (250, 250ms, 2s); the other duration variables need a unit (600ms, 10s, 15m, 24h). The \
    reference backends' USHER_HOLD_SECS, USHER_PAYMENT_DELAY_MS and USHER_PAYMENT_LONG_DELAY_MS \
    take plain numbers only.";

/// A `*_SECS` setting of `min` to `max` seconds.
const fn secs(min: u64, max: u64) -> DurationSetting {
    DurationSetting {
        plain: PlainNumber::Secs,
        min: Duration::from_secs(min),
        max: Some(Duration::from_secs(max)),
    }
}

/// A `*_SECS` setting of at least `min` seconds.
const fn secs_at_least(min: u64) -> DurationSetting {
    DurationSetting {
        max: None,
        ..secs(min, min)
    }
}

/// A `*_MS` setting of `min` to `max` milliseconds.
const fn millis(min: u64, max: u64) -> DurationSetting {
    DurationSetting {
        plain: PlainNumber::Millis,
        min: Duration::from_millis(min),
        max: Some(Duration::from_millis(max)),
    }
}

/// A duration with a unit, of any length.
const DURATION: DurationSetting = DurationSetting {
    plain: PlainNumber::Refused,
    min: Duration::ZERO,
    max: None,
};

/// A timeout of the connection layer or the login window: 100 ms to 1 h.
const TIMEOUT: DurationSetting = DurationSetting {
    min: Duration::from_millis(100),
    max: Some(Duration::from_secs(3_600)),
    ..DURATION
};

impl DurationSetting {
    fn parse(&self, s: &str) -> Result<Duration, String> {
        let plain = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let number = || s.parse::<u64>().map_err(|e| e.to_string());
        let d = match self.plain {
            PlainNumber::Secs if plain => Duration::from_secs(number()?),
            PlainNumber::Millis if plain => Duration::from_millis(number()?),
            _ => humantime::parse_duration(s).map_err(|e| e.to_string())?,
        };
        let (step, unit) = match self.plain {
            PlainNumber::Secs => (1_000_000_000, "seconds"),
            PlainNumber::Millis => (1_000_000, "milliseconds"),
            PlainNumber::Refused => (1, "nanoseconds"),
        };
        if d.subsec_nanos() % step != 0 {
            return Err(format!("must be a whole number of {unit}"));
        }
        let show = |d: Duration| match self.plain {
            PlainNumber::Secs => format!("{}s", d.as_secs()),
            PlainNumber::Millis => format!("{}ms", d.as_millis()),
            PlainNumber::Refused => humantime::format_duration(d).to_string(),
        };
        match self.max {
            Some(max) if d < self.min || d > max => {
                Err(format!("must be from {} to {}", show(self.min), show(max)))
            }
            None if d < self.min => Err(format!("must be at least {}", show(self.min))),
            _ => Ok(d),
        }
    }
}

impl TypedValueParser for DurationSetting {
    type Value = Duration;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Duration, clap::Error> {
        let setting = *self;
        // clap's parser of a plain function reports the error with the variable's name.
        (move |s: &str| setting.parse(s)).parse_ref(cmd, arg, value)
    }
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "WebSocket")]
pub struct WsSettings {
    /// Most concurrent WebSockets on this node; more are told to retry later (close 1013).
    #[arg(long = "ws-max-connections", env = "USHER_WS_MAX_CONNECTIONS", value_name = "USHER_WS_MAX_CONNECTIONS", default_value_t = 50_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Server ping interval, in seconds (under common 60 s proxy idle timeouts).
    #[arg(long = "ws-ping-secs", env = "USHER_WS_PING_SECS", value_name = "USHER_WS_PING_SECS", default_value = "20", value_parser = secs(1, 300))]
    pub ping: Duration,
    /// How long a ping may go unanswered before the socket is closed, in seconds.
    #[arg(long = "ws-pong-timeout-secs", env = "USHER_WS_PONG_TIMEOUT_SECS", value_name = "USHER_WS_PONG_TIMEOUT_SECS", default_value = "20", value_parser = secs(1, 300))]
    pub pong_timeout: Duration,
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
    #[arg(long = "ws-write-timeout-ms", env = "USHER_WS_WRITE_TIMEOUT_MS", value_name = "USHER_WS_WRITE_TIMEOUT_MS", default_value = "10000", value_parser = millis(10, 120_000))]
    pub write_timeout: Duration,
    /// Most new WebSockets this node accepts per second (burst of one second's worth); more are
    /// told to retry later (close 1013), so a reconnect storm cannot swamp the node.
    #[arg(long = "ws-accept-rate", env = "USHER_WS_ACCEPT_RATE", value_name = "USHER_WS_ACCEPT_RATE", default_value_t = 5_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub accept_rate: u32,
    /// Most open WebSockets from one client address (behind a trusted proxy, the forwarded
    /// client); more get 429 before the upgrade. 0 is no cap.
    #[arg(
        long = "ws-max-per-ip",
        env = "USHER_WS_MAX_PER_IP",
        value_name = "USHER_WS_MAX_PER_IP",
        default_value_t = 100
    )]
    pub max_per_ip: u32,
    /// WebSocket upgrade attempts per second from one client address (burst of twice that),
    /// checked before the waiting token is looked up; more get 429. 0 is no limit.
    #[arg(
        long = "ws-upgrade-rate-per-ip",
        env = "USHER_WS_UPGRADE_RATE_PER_IP",
        value_name = "USHER_WS_UPGRADE_RATE_PER_IP",
        default_value_t = 20
    )]
    pub upgrade_rate_per_ip: u32,
    /// Retry hint given to clients turned away (connection cap) or moved (drain), in milliseconds.
    #[arg(long = "ws-retry-after-ms", env = "USHER_WS_RETRY_AFTER_MS", value_name = "USHER_WS_RETRY_AFTER_MS", default_value = "2000", value_parser = millis(0, 600_000))]
    pub retry_after: Duration,
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
    #[arg(id = "rate_limit_window", long = "rate-limit-window-size", env = "RATE_LIMIT_WINDOW_SIZE", value_name = "RATE_LIMIT_WINDOW_SIZE", default_value = "1s", value_parser = DURATION)]
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
        value_parser = crate::config::proxies::TrustedProxies::parse
    )]
    pub trusted_proxies: crate::config::proxies::TrustedProxies,
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
    #[arg(long = "redis-dial-timeout", env = "REDIS_DIAL_TIMEOUT", value_name = "REDIS_DIAL_TIMEOUT", default_value = "5s", value_parser = DURATION)]
    pub dial_timeout: Duration,
    /// Timeout of one command; a request fails with 503 rather than hang.
    #[arg(long = "redis-read-timeout", env = "REDIS_READ_TIMEOUT", value_name = "REDIS_READ_TIMEOUT", default_value = "3s", value_parser = DURATION)]
    pub read_timeout: Duration,
    /// Reconnection attempts per failed connection before a request fails.
    #[arg(long = "redis-max-retries", env = "REDIS_MAX_RETRIES", value_name = "REDIS_MAX_RETRIES", default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=100))]
    pub max_retries: u32,
    /// How long the store must be unreachable before /readyz fails (a slow answer is not an outage), in seconds.
    #[arg(long = "ready-outage-secs", env = "USHER_READY_OUTAGE_SECS", value_name = "USHER_READY_OUTAGE_SECS", default_value = "10", value_parser = secs(0, 3_600))]
    pub ready_outage: Duration,
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

/// OpenTelemetry traces, exported over OTLP/gRPC. Off unless an endpoint is set; the
/// standard `OTEL_*` variables (`OTEL_SERVICE_NAME`, `OTEL_BSP_*`, `OTEL_EXPORTER_OTLP_TIMEOUT`,
/// `OTEL_TRACES_SAMPLER`) apply as well.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Tracing")]
pub struct TracingSettings {
    /// OTLP/gRPC collector for traces (e.g. http://127.0.0.1:4317); unset falls back to
    /// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT; with none of them
    /// set, nothing is traced.
    #[arg(
        long = "otlp-endpoint",
        env = "OBSERVABILITY_OTLP_ENDPOINT",
        value_name = "OBSERVABILITY_OTLP_ENDPOINT"
    )]
    pub otlp_endpoint: Option<String>,
    /// Share of new traces recorded, from 0 to 1 (a request with a traceparent follows its
    /// caller's decision); unset leaves it to OTEL_TRACES_SAMPLER, by default every trace.
    #[arg(long = "trace-sample-ratio", env = "OBSERVABILITY_TRACE_SAMPLE_RATIO", value_name = "OBSERVABILITY_TRACE_SAMPLE_RATIO", value_parser = parse_ratio)]
    pub sample_ratio: Option<f64>,
}

impl TracingSettings {
    /// Whether traces are exported: an endpoint is set here or in the standard variables.
    pub fn enabled(&self) -> bool {
        self.otlp_endpoint.is_some()
            || [
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                "OTEL_EXPORTER_OTLP_ENDPOINT",
            ]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|e| !e.is_empty()))
    }
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
    /// More HS256 keys accepted on user tokens, comma-separated, never used to sign: the next
    /// JWT_SECRET while a rotation rolls out, then the previous one until the tokens it signed
    /// have expired (USHER_JWT_TTL).
    #[arg(
        long = "jwt-extra-secrets",
        env = "USHER_JWT_EXTRA_SECRETS",
        value_name = "USHER_JWT_EXTRA_SECRETS",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub jwt_extra_secrets: Vec<Secret>,
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
    #[arg(long = "jwt-cache-ttl", env = "JWT_CACHE_TTL", value_name = "JWT_CACHE_TTL", default_value = "10m", value_parser = DURATION)]
    pub jwks_ttl: Duration,
    /// Lifetime of the user tokens login and register issue.
    #[arg(long = "jwt-ttl", env = "USHER_JWT_TTL", value_name = "USHER_JWT_TTL", default_value = "24h", value_parser = DURATION)]
    pub token_ttl: Duration,
    /// PEM file (PKCS#8 or SEC1) of the P-256 key that signs reservation tokens; replicas must
    /// share it. Unset generates a key at start (fine for one node).
    #[arg(
        long = "reservation-key-file",
        env = "USHER_RESERVATION_KEY_FILE",
        value_name = "USHER_RESERVATION_KEY_FILE"
    )]
    pub reservation_key_file: Option<PathBuf>,
    /// More reservation-token keys (P-256 PEM files, PKCS#8 or SEC1, comma-separated),
    /// accepted and published at /.well-known/jwks.json but never used to sign: the next key
    /// while a rotation rolls out, then the previous one until the tokens it signed have
    /// expired.
    #[arg(
        long = "reservation-extra-key-files",
        env = "USHER_RESERVATION_EXTRA_KEY_FILES",
        value_name = "USHER_RESERVATION_EXTRA_KEY_FILES",
        value_delimiter = ','
    )]
    pub reservation_extra_key_files: Vec<PathBuf>,
    /// Accept the seed's bypass tokens (with their X-Dev-Mode / X-Load-Test headers); refused
    /// outside development.
    #[arg(long = "allow-bypass-tokens", env = "USHER_ALLOW_BYPASS_TOKENS", value_name = "USHER_ALLOW_BYPASS_TOKENS", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub allow_bypass_tokens: bool,
    /// Password hashes computed at once (each takes ~19 MiB and a core); 0 is half the cores,
    /// at least one.
    #[arg(long = "hash-workers", env = "USHER_HASH_WORKERS", value_name = "USHER_HASH_WORKERS", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=256))]
    pub hash_workers: u32,
    /// Logins and registrations waiting for a hash worker; more get 503 SERVER_BUSY.
    #[arg(long = "hash-queue", env = "USHER_HASH_QUEUE", value_name = "USHER_HASH_QUEUE", default_value_t = 32, value_parser = clap::value_parser!(u32).range(0..=10_000))]
    pub hash_queue: u32,
    /// Requests to /api/v1/auth/* per minute from one client address (429 beyond).
    #[arg(long = "auth-rate-per-min", env = "USHER_AUTH_RATE_PER_MIN", value_name = "USHER_AUTH_RATE_PER_MIN", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub rate_per_min: u32,
    /// Burst of USHER_AUTH_RATE_PER_MIN: requests one address may make at once.
    #[arg(long = "auth-burst", env = "USHER_AUTH_BURST", value_name = "USHER_AUTH_BURST", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub auth_burst: u32,
    /// Registrations per hour from one client address (429 beyond).
    #[arg(long = "registrations-per-ip-per-hour", env = "USHER_REGISTRATIONS_PER_IP_PER_HOUR", value_name = "USHER_REGISTRATIONS_PER_IP_PER_HOUR", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub registrations_per_ip_per_hour: u32,
    /// Most registered accounts; registration answers 503 REGISTRATION_CLOSED beyond.
    #[arg(long = "max-users", env = "USHER_MAX_USERS", value_name = "USHER_MAX_USERS", default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_users: u64,
    /// Failed logins of one account within USHER_LOGIN_FAILURE_WINDOW after which its logins
    /// are refused (429) until the window ends; counted in the store, across replicas.
    #[arg(long = "login-max-failures", env = "USHER_LOGIN_MAX_FAILURES", value_name = "USHER_LOGIN_MAX_FAILURES", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub login_max_failures: u32,
    /// The window of USHER_LOGIN_MAX_FAILURES, from an account's first failed login.
    #[arg(long = "login-failure-window", env = "USHER_LOGIN_FAILURE_WINDOW", value_name = "USHER_LOGIN_FAILURE_WINDOW", default_value = "15m", value_parser = TIMEOUT)]
    pub login_failure_window: Duration,
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
    #[arg(long = "reservation-api-timeout", env = "BACKEND_RESERVATION_API_TIMEOUT", value_name = "BACKEND_RESERVATION_API_TIMEOUT", default_value = "600ms", value_parser = DURATION)]
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
    #[arg(long = "payment-api-timeout", env = "BACKEND_PAYMENT_API_TIMEOUT", value_name = "BACKEND_PAYMENT_API_TIMEOUT", default_value = "400ms", value_parser = DURATION)]
    pub payment_timeout: Duration,
    /// Call the payment service over TLS.
    #[arg(long = "payment-api-tls-enabled", env = "BACKEND_PAYMENT_API_TLS_ENABLED", value_name = "BACKEND_PAYMENT_API_TLS_ENABLED", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub payment_tls: bool,
    /// Run the embedded payment simulator (which approves whatever it is told to) in staging or
    /// production; without it, those refuse to start unless BACKEND_PAYMENT_API_GRPC_ADDRESS
    /// names a real payment service.
    #[arg(long = "allow-payment-simulator", env = "USHER_ALLOW_PAYMENT_SIMULATOR", value_name = "USHER_ALLOW_PAYMENT_SIMULATOR", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub allow_payment_simulator: bool,
    /// Public base URL of this gateway, which the payment service calls back
    /// (`<url>/api/v1/webhooks/payment`); unset uses this node's own loopback address.
    #[arg(
        long = "public-url",
        env = "USHER_PUBLIC_URL",
        value_name = "USHER_PUBLIC_URL"
    )]
    pub public_url: Option<String>,
    /// Failed calls in a row (unreachable, timed out) after which calls to a backend stop for
    /// USHER_BREAKER_OPEN_SECS and usher holds admission of every live event (circuit breaker).
    #[arg(long = "breaker-failures", env = "USHER_BREAKER_FAILURES", value_name = "USHER_BREAKER_FAILURES", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub breaker_failures: u32,
    /// How long an open circuit refuses calls before one probe call tries the backend again.
    #[arg(long = "breaker-open-secs", env = "USHER_BREAKER_OPEN_SECS", value_name = "USHER_BREAKER_OPEN_SECS", default_value = "5", value_parser = secs(1, 600))]
    pub breaker_open: Duration,
}

impl UpstreamSettings {
    /// Whether every backend is external (nothing to embed).
    pub fn all_external(&self) -> bool {
        self.reservation_address.is_some() && self.payment_address.is_some()
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

fn parse_ratio(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err("must be a number from 0 to 1".into()),
    }
}

/// A setting that cannot work together with another.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(String);

impl Settings {
    /// Checks what single-value parsing cannot: relations between settings.
    /// Replicas that share a queue (on Redis) must share one backend: embedded backends would
    /// give each replica its own inventory, and two replicas would sell the same seat.
    fn validate_shared_backends(&self) -> Result<(), ConfigError> {
        let u = &self.upstream;
        if self.redis.address.is_some()
            && (u.reservation_address.is_none() || u.payment_address.is_none())
        {
            return Err(ConfigError(
                "REDIS_ADDRESS is set, so replicas share one queue and must share one backend: \
                 start `usher backends` once (USHER_BACKENDS_LISTEN, USHER_BACKENDS_KEY) and \
                 point every replica at it with BACKEND_RESERVATION_API_GRPC_ADDRESS and \
                 BACKEND_PAYMENT_API_GRPC_ADDRESS (and the same USHER_BACKENDS_KEY). Embedded \
                 backends would give each replica its own inventory and sell seats twice."
                    .into(),
            ));
        }
        Ok(())
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        if self
            .server
            .admin_tokens
            .iter()
            .any(|t| t.expose().len() < MIN_ADMIN_TOKEN_LEN)
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
        self.validate_shared_backends()?;
        self.validate_environment()?;
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
        if q.push_interval > q.keepalive {
            return Err(ConfigError(
                "USHER_PUSH_INTERVAL_MS must not exceed USHER_PUSH_KEEPALIVE_SECS".into(),
            ));
        }
        Ok(())
    }
}

impl Settings {
    /// What production and staging refuse: development secrets, short secrets, the payment
    /// simulator without its explicit opt-in; and bypass tokens outside development.
    fn validate_environment(&self) -> Result<(), ConfigError> {
        let env = self.server.environment;
        if self.auth.allow_bypass_tokens && env != Environment::Development {
            return Err(ConfigError(
                "USHER_ALLOW_BYPASS_TOKENS is allowed only with SERVER_ENVIRONMENT=development"
                    .into(),
            ));
        }
        if env == Environment::Development {
            return Ok(());
        }
        let named = format!("{env:?}").to_lowercase();
        let secrets = [
            (
                "JWT_SECRET",
                std::slice::from_ref(&self.auth.jwt_secret),
                DEV_JWT_SECRET,
            ),
            (
                "USHER_WEBHOOK_SECRET",
                std::slice::from_ref(&self.backends.webhook_secret),
                DEV_WEBHOOK_SECRET,
            ),
            (
                "USHER_METRICS_TOKEN",
                self.server.metrics_token.as_slice(),
                "",
            ),
            ("USHER_ADMIN_TOKEN", self.server.admin_tokens.as_slice(), ""),
            (
                "USHER_JWT_EXTRA_SECRETS",
                self.auth.jwt_extra_secrets.as_slice(),
                DEV_JWT_SECRET,
            ),
        ];
        let each = secrets
            .into_iter()
            .flat_map(|(name, list, dev)| list.iter().map(move |secret| (name, secret, dev)));
        for (name, secret, dev) in each {
            if secret.expose() == dev {
                return Err(ConfigError(format!(
                    "{name} must be set to a secret of your own in {named}"
                )));
            }
            if secret.expose().len() < MIN_PRODUCTION_SECRET_LEN {
                return Err(ConfigError(format!(
                    "{name} must be at least {MIN_PRODUCTION_SECRET_LEN} bytes in {named}"
                )));
            }
        }
        if self.upstream.payment_address.is_none() && !self.upstream.allow_payment_simulator {
            return Err(ConfigError(format!(
                "the embedded payment simulator approves payments nobody made: set \
                 BACKEND_PAYMENT_API_GRPC_ADDRESS to a payment service, or \
                 USHER_ALLOW_PAYMENT_SIMULATOR=true to run it in {named} anyway"
            )));
        }
        Ok(())
    }
}

impl QueueSettings {
    /// How often a node refreshes the heartbeat of its open sockets: well inside the grace
    /// period, so a crashed node's waiters are reaped about one grace period after the crash.
    pub fn socket_touch_interval(&self) -> Duration {
        (self.grace / 4).clamp(Duration::from_millis(250), Duration::from_secs(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secs_and_ms_settings_take_plain_numbers_in_their_unit_or_whole_units_with_a_unit() {
        let (grace, tick) = (secs(1, 86_400), millis(10, 10_000));
        let (s, ms) = (Duration::from_secs, Duration::from_millis);
        for (setting, raw, value) in [
            (grace, "90", s(90)),
            (grace, "90s", s(90)),
            (grace, "2m", s(120)),
            (grace, "1h 30m", s(5_400)),
            (grace, "2000ms", s(2)),
            (tick, "250", ms(250)),
            (tick, "250ms", ms(250)),
            (tick, "2s", s(2)),
        ] {
            assert_eq!(setting.parse(raw), Ok(value), "{raw}");
        }
        for (setting, raw) in [
            (grace, "1500ms"),
            (grace, "ninety"),
            (grace, "-1"),
            (grace, ""),
            (tick, "1500us"),
        ] {
            assert!(setting.parse(raw).is_err(), "{raw}");
        }
        assert_eq!(
            grace.parse("1500ms"),
            Err("must be a whole number of seconds".into())
        );
    }

    #[test]
    fn other_duration_settings_need_a_unit() {
        assert_eq!(DURATION.parse("600ms"), Ok(Duration::from_millis(600)));
        assert_eq!(DURATION.parse("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(DURATION.parse("1us"), Ok(Duration::from_micros(1)));
        // humantime's one unitless form.
        assert_eq!(DURATION.parse("0"), Ok(Duration::ZERO));
        assert!(DURATION.parse("5").is_err());
        assert_eq!(TIMEOUT.parse("10s"), Ok(Duration::from_secs(10)));
    }

    #[test]
    fn durations_out_of_range_are_refused_with_the_range() {
        let grace = secs(1, 86_400);
        assert_eq!(grace.parse("0"), Err("must be from 1s to 86400s".into()));
        assert!(grace.parse("86401").is_err());
        assert!(grace.parse("2d").is_err());
        assert!(grace.parse("99999999999999999999").is_err());
        assert_eq!(
            millis(10, 10_000).parse("9ms"),
            Err("must be from 10ms to 10000ms".into())
        );
        assert_eq!(
            secs_at_least(1).parse("0"),
            Err("must be at least 1s".into())
        );
        assert_eq!(
            secs_at_least(1).parse("3650d"),
            Ok(Duration::from_secs(3_650 * 86_400))
        );
        assert_eq!(
            TIMEOUT.parse("50ms"),
            Err("must be from 100ms to 1h".into())
        );
        assert!(TIMEOUT.parse("2h").is_err());
    }

    fn serve(args: &[&str]) -> Result<Settings, clap::Error> {
        #[derive(clap::Parser)]
        struct Serve {
            #[command(flatten)]
            settings: Settings,
        }
        let argv = ["usher"].iter().chain(args);
        <Serve as clap::Parser>::try_parse_from(argv).map(|s| s.settings)
    }

    #[test]
    fn duration_defaults_are_unchanged() {
        let s = serve(&[]).unwrap();
        let q = &s.queue;
        let secs = Duration::from_secs;
        let ms = Duration::from_millis;
        assert_eq!(s.server.drain, secs(5));
        assert_eq!(
            [
                q.entry_window,
                q.grace,
                q.heartbeat,
                q.reservation_ttl,
                q.session
            ],
            [secs(120), secs(120), secs(300), secs(30), secs(300)]
        );
        assert_eq!(
            [q.tick, q.reap_interval, q.push_interval],
            [ms(100), ms(1_000), ms(1_000)]
        );
        assert_eq!(
            [
                q.retention,
                q.keepalive,
                q.auto_create_idle,
                q.event_cache_ttl
            ],
            [secs(1_800), secs(15), secs(600), secs(30)]
        );
        let c = &s.conn;
        assert_eq!([c.header_read_timeout, c.body_read_timeout], [secs(10); 2]);
        let w = &s.ws;
        assert_eq!(
            [w.ping, w.pong_timeout, w.write_timeout, w.retry_after],
            [secs(20), secs(20), ms(10_000), ms(2_000)]
        );
        assert_eq!(s.rate_limit.window, secs(1));
        let r = &s.redis;
        assert_eq!(
            [r.dial_timeout, r.read_timeout, r.ready_outage],
            [secs(5), secs(3), secs(10)]
        );
        let a = &s.auth;
        assert_eq!(
            [a.jwks_ttl, a.token_ttl, a.login_failure_window],
            [secs(600), secs(86_400), secs(900)]
        );
        let u = &s.upstream;
        assert_eq!(
            [u.reservation_timeout, u.payment_timeout],
            [ms(600), ms(400)]
        );
    }

    #[test]
    fn duration_settings_keep_their_forms_and_name_the_variable_when_refused() {
        let s = serve(&[
            "--grace-secs",
            "90",
            "--tick-ms",
            "20",
            "--ws-ping-secs",
            "1m",
        ])
        .unwrap();
        assert_eq!(s.queue.grace, Duration::from_secs(90));
        assert_eq!(s.queue.tick, Duration::from_millis(20));
        assert_eq!(s.ws.ping, Duration::from_secs(60));
        let s = serve(&["--redis-read-timeout", "250ms"]).unwrap();
        assert_eq!(s.redis.read_timeout, Duration::from_millis(250));
        for (flag, bad, var) in [
            ("--grace-secs", "0", "USHER_GRACE_SECS"),
            ("--tick-ms", "5", "USHER_TICK_MS"),
            ("--redis-read-timeout", "3", "REDIS_READ_TIMEOUT"),
        ] {
            let err = serve(&[flag, bad]).unwrap_err().to_string();
            assert!(err.contains(var), "{err}");
        }
    }
}
