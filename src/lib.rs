//! # usher
//!
//! A WebSocket-first virtual waiting room and gateway for high-demand ticket sales, and a
//! drop-in replacement for the Traffic Tacos Go gateway.
//!
//! Each buyer joins an event's queue over REST and receives a waiting token, then holds one
//! WebSocket that is both their heartbeat and the channel on which usher pushes their position,
//! their ETA and, when the admission ticker lets them in, `ready`. With it they `enter` and get
//! a short-lived reservation token.
//!
//! ## Layout
//!
//! The data path, from the edge inwards:
//!
//! ```text
//!  HTTP/WS edge ──► queue rules ──► store (atomic ops) ──► update channel per event
//!  http/, ws/        queue/          store/                      │
//!                      ▲                                         ▼
//!  ticker (queue/ticker.rs) ── admit/reap ──► store      hub.rs: per-node view + fan-out
//!                                                                 │
//!                                                     ws/ sockets ◄┘ (ready, position, ...)
//!
//!  http/reservations, http/payments ──► upstream.rs ──gRPC──► usher-backends (embedded) or external
//!  payment webhook ──► confirm ──► store notice ──► hub ──► the buyer's socket (reservation)
//! ```
//!
//! - [`domain`]: newtypes parsed at the edge (`EventId`, `WaitingToken`, `Seq`, `Position`).
//! - [`store`]: the storage contract ([`store::Store`]: join, admit, leave, touch, reap, enter,
//!   snapshot, config, idempotency records, updates) and its embedded implementation
//!   ([`store::MemoryStore`]).
//! - [`queue`]: queue rules above the store, once: the [`queue::QueueService`] behind the
//!   routes, the local [`queue::view::EventView`] and its position math, the ETA estimate
//!   ([`queue::eta`]), the status payload ([`queue::status`]), the admission ticker and reaper
//!   ([`queue::ticker`]).
//! - [`hub`]: the per-node fan-out: one channel per event with local sockets, fed by the
//!   store's updates; derives positions locally and pushes them coalesced.
//! - [`ws`]: the WebSocket session (buffers, bounded outbound queue, ping/pong, close codes) and
//!   its protocol ([`ws::protocol`]).
//! - [`http`]: routes (queue, admin, system), the seed's error envelope, idempotency,
//!   per-client rate-limit and request-context middleware.
//! - [`upstream`]: REST → gRPC: clients of the reservation, inventory and payment services with
//!   deadlines and trace propagation, and the mapping of their errors to HTTP.
//! - [`auth`]: buyers' JWTs (HS256, JWKS), accounts, and signed single-use reservation tokens.
//! - [`config`]: typed settings with their environment variables; [`cli`]: the command line;
//!   [`server`]: assembly, startup and graceful shutdown; [`metrics`], [`telemetry`].
//!
//! Two workspace crates sit beside this one, and usher depends on both:
//!
//! - [`usher_proto`] (`proto/`): the contracts between the gateway and its backends: the seed's
//!   protos compiled from `proto/` (messages, clients, servers), the caller identity
//!   ([`domain::Caller`] is its `Caller`), the backends' key metadata entry, and the signed
//!   payment webhook (body, headers, signature) that [`http::payments`] verifies.
//! - [`usher_backends`] (`crates/usher-backends/`): the reference backends usher embeds on
//!   loopback (or runs alone, `usher backends`): inventory with zero oversell, reservations
//!   with expiring holds, the payment simulator. Of usher's code it depends on `usher-proto`
//!   only, never on the gateway or its store, so it can become one durable service that every
//!   replica shares.

pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod hub;
pub mod metrics;
pub mod net;
pub mod protocol;
pub mod purchase;
pub mod queue;
pub mod server;
pub mod shutdown;
pub mod store;
pub mod telemetry;
pub mod upstream;
pub mod ws;

/// The git commit usher was built from.
pub const GIT_COMMIT: &str = env!("USHER_GIT_COMMIT");
/// When usher was built (UTC, RFC 3339).
pub const BUILT_AT: &str = env!("USHER_BUILT_AT");
/// `--version` text: version and commit.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("USHER_GIT_COMMIT"),
    ")"
);
