//! # usher-backends
//!
//! The reference backends: the seed's `reservation.v1.ReservationService`,
//! `reservation.v1.InventoryService` and `payment.v1.PaymentService`, served by one tonic server
//! (with reflection). The usher gateway embeds them on loopback by default and reaches them over
//! real gRPC, exactly as it reaches external backends; `usher backends` runs them on their own.
//!
//! This crate depends on the contracts ([`usher_proto`]: the protos, the caller identity, the
//! backends' key, the payment webhook), on [`usher_otel`] for its trace spans and on ordinary
//! libraries, never on the gateway or its store. It is separate so that it stays a service of
//! its own behind those contracts: a later step makes it one durable service shared by every
//! gateway replica.
//!
//! ## Layout
//!
//! ```text
//!  gRPC ──► server.rs (key check, reflection) ──► reservation/grpc.rs ──► reservation/
//!                                             ├─► inventory/grpc.rs ───► inventory/ (seats)
//!                                             └─► payment/grpc.rs ─────► payment/ ──► webhooks
//!  reservation/ ◄── events.rs (bus) ◄── payment/          the embedding gateway ◄── events.rs
//! ```
//!
//! - [`inventory`]: the venue file, the seat model (holds, sales, zero oversell, the per-buyer
//!   seat limit) and `InventoryService` over it;
//! - [`reservation`]: the reservation life cycle (hold → confirmed | cancelled | expired |
//!   failed), payment-verified and idempotent confirm, hold expiry; `ReservationService`;
//! - [`payment`]: the payment simulator (scenarios, stored results, signed webhooks with
//!   retries); `PaymentService`;
//! - [`BackendEvent`] (`events.rs`): the in-process event bus the three share, which replaces
//!   the seed's event bus, queue and worker: a failed payment fails its reservation, and a
//!   payment approved after its reservation ended is refunded;
//! - [`Backends`] and [`run`] (`server.rs`): the services assembled and served, each call a
//!   `grpc server` span continuing its caller's trace when traces are exported
//!   ([`usher_otel::grpc`]);
//!   [`BackendSettings`] (`settings.rs`): their settings and environment variables;
//!   `clock.rs`: the backends' own clock; `rpc.rs`: what the gRPC adapters share (the key
//!   check, the caller of a request, in-band errors);
//! - `journal.rs`: where the three keep their state when `USHER_DATA_DIR` is set (one redb file,
//!   written through before each answer, read back at start).

mod clock;
mod events;
pub mod inventory;
mod journal;
pub mod payment;
pub mod reservation;
mod rpc;
mod server;
mod settings;

pub use events::{BackendEvent, EventKind};
pub use server::{Backends, run};
pub use settings::{BackendSettings, DEV_WEBHOOK_SECRET};

/// A new id with a kind prefix (`rsv_…`, `ord_…`, `pay_…`).
pub(crate) fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}
