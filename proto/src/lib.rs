//! # usher-proto
//!
//! The contracts between the usher gateway and the backends it calls, and nothing else:
//!
//! - the seed's gRPC contracts in this directory (`common/`, `reservation/`, `payment/`),
//!   compiled at build time into [`common::v1`], [`reservation::v1`] and [`payment::v1`]
//!   (messages, clients and servers), and their [`FILE_DESCRIPTOR_SET`] for reflection;
//! - what travels beside the messages: whom a call acts for ([`Caller`], in the
//!   `x-usher-caller` metadata entry), the backends' key ([`BACKEND_KEY_METADATA`]) and the
//!   payment simulator's outcome choice ([`payment::ACTION_METADATA`]);
//! - the payment webhook ([`payment::PaymentWebhook`]): its body, headers and HMAC signature,
//!   which the payment service produces and the gateway's webhook route verifies;
//! - [`Secret`], the redacting string type both sides keep their keys in.
//!
//! It depends on the protobuf and gRPC code generators' runtimes (prost, tonic) and small
//! hashing crates, on neither side's code. Both the gateway (`usher`) and the reference
//! backends (`usher-backends`) depend on it, so the backends can become one durable service
//! shared by every gateway replica without the two sides sharing anything but this contract.

mod caller;
pub mod payment;
mod secret;

pub use caller::Caller;
pub use secret::Secret;

/// The gRPC metadata entry that carries the backends' key: the reference backends refuse calls
/// without it when they have one.
pub const BACKEND_KEY_METADATA: &str = "x-usher-backend-key";

/// `common.v1`: the types and the in-band error every service shares. Package paths mirror the
/// proto packages, so cross-package references resolve as generated.
pub mod common {
    #[allow(clippy::all, clippy::pedantic, missing_docs)]
    pub mod v1 {
        tonic::include_proto!("common.v1");
    }
}

/// `reservation.v1`: `ReservationService` and `InventoryService`.
pub mod reservation {
    #[allow(clippy::all, clippy::pedantic, missing_docs)]
    pub mod v1 {
        tonic::include_proto!("reservation.v1");
    }
}

/// The encoded descriptor set of every contract, for gRPC server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/descriptor.bin"));
