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
//! The modules form a one-way stack: each uses only the modules below it
//! (`tests/architecture.rs` fails on any edge up the stack or any cycle). Bottom-up:
//!
//! ```text
//!  foundations   domain  draw  clock  shutdown  metrics  config  telemetry
//!  wire          protocol          every WebSocket message, the status payload, notices
//!  storage       store             the contract, by capability, and its two implementations
//!  rules         auth  queue       who is calling; queue rules, ETA, the admission ticker
//!  fan-out       hub               per-node views of events, pushes to local sockets
//!  backends      upstream  purchase    gRPC clients; reservations, payments, the webhook
//!  edge          error  net  app  ws  http    envelope, connections, shared state, routes
//!  assembly      server  cli
//! ```
//!
//! The data path, from the edge inwards:
//!
//! ```text
//!  http/, ws/ ──► queue::QueueService ──► store (atomic ops) ──► update bus, one channel per event
//!                                                                 │
//!  queue::ticker ── admit/reap ──► store          hub: per-node view + fan-out ◄┘
//!                                                  │
//!                               ws sockets ◄───────┘ (snapshot, position, ready, ...)
//!
//!  http::reservations, http::payments ──► purchase::PurchaseService ──► upstream ──gRPC──►
//!      usher-backends (embedded) or external backends
//!  payment webhook ──► purchase::webhook ──► confirm ──► notice on the update bus ──► hub ──►
//!      the buyer's socket
//! ```
//!
//! Where things are:
//!
//! - **The admission ticker**: [`queue::ticker`] (one step per live event per tick; the reaper).
//! - **The ETA**: [`queue::eta`] (the measured rate and the estimate); a waiter's status is
//!   derived in [`queue::status`] from the node's view ([`queue::view`]).
//! - **Where a WebSocket message is built**: its types are in [`protocol`]; the hub's per-event
//!   state decides what each socket is told ([`hub`]'s `channel` module), the session writes it
//!   ([`ws`]).
//! - **Where a purchase calls the backends**: [`purchase::PurchaseService`], over the clients
//!   in [`upstream`]; the routes in [`http::reservations`] and [`http::payments`] only read
//!   requests and write its answers.
//!
//! The modules:
//!
//! - [`domain`]: newtypes validated wherever they are read (`EventId`, `WaitingToken`, `Seq`,
//!   `Position`); [`draw`]: the verifiable draw of a random on-sale (commitment, entry
//!   list Merkle tree, keyed permutation); [`clock`]: the one clock, with a manual clock for tests; [`shutdown`]: the stop
//!   signal; [`config`]: typed settings with their environment variables; [`metrics`];
//!   [`telemetry`]: logs, and the OpenTelemetry traces of `usher_otel` when a collector is
//!   set (the spans themselves are made where their work is: the request middleware, the
//!   store, the gRPC channels, the socket session, the ticker).
//! - [`protocol`]: the WebSocket protocol (server and client messages, close codes), the status
//!   payload shared with REST, and the typed purchase notices.
//! - [`store`]: the storage contract, split by capability ([`store::QueueStore`],
//!   [`store::IdempotencyStore`], [`store::UserStore`], [`store::UpdateBus`]; [`store::Store`]
//!   is all of them) and its implementations ([`store::MemoryStore`], [`store::RedisStore`]).
//!   Each consumer holds only the capabilities it needs.
//! - [`auth`]: buyers' JWTs (HS256, JWKS), password hashing, signed single-use reservation
//!   tokens; its own error enum.
//! - [`queue`]: queue rules above the store, once: [`queue::QueueService`] behind the routes
//!   and the socket, the view and its position math, the ETA, the status, the ticker.
//! - [`hub`]: the per-node fan-out: the registry of event channels, each channel's synchronous
//!   state (unit-tested with fake connections), and the task that feeds it.
//! - [`upstream`]: the backends' gRPC clients (deadlines, trace propagation) and their error
//!   enum; [`purchase`]: reservations, payments and the payment webhook, with typed bodies
//!   and one error enum per endpoint.
//! - [`error`]: the seed's error envelope, and the one place every error enum becomes HTTP;
//!   [`net`]: the listener, per-client connection caps and rate limits; [`app`]: the state the
//!   routes and sockets share.
//! - [`ws`]: the WebSocket session (buffers, bounded outbound queue, ping/pong, close codes);
//!   [`http`]: the routes and middleware, and the schema of every body ([`http::schema`]).
//! - [`server`]: assembly, startup and graceful shutdown; [`cli`]: the command line.
//!
//! Two workspace crates sit beside this one, and usher depends on both:
//!
//! - [`usher_proto`] (`proto/`): the contracts between the gateway and its backends: the seed's
//!   protos compiled from `proto/` (messages, clients, servers), the caller identity
//!   ([`domain::Caller`] is its `Caller`), the backends' key metadata entry, and the signed
//!   payment webhook (body, headers, signature) that [`purchase::webhook`] verifies.
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
pub mod draw;
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
