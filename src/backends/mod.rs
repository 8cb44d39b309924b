//! The reference backends: the seed's `reservation.v1.ReservationService`,
//! `reservation.v1.InventoryService` and `payment.v1.PaymentService`, served by one tonic server
//! (with reflection). usher embeds them on loopback by default and reaches them over real gRPC,
//! exactly as it reaches external backends; `usher backends` runs them on their own.
//!
//! - [`inventory`]: seats, holds and sales with zero oversell;
//! - [`reservation`]: the reservation life cycle (hold → confirmed | cancelled | expired |
//!   failed), payment-verified and idempotent confirm, hold expiry;
//! - [`payment`]: the payment simulator (scenarios, stored results, signed webhooks).
//!
//! The three share an in-process event bus ([`BackendEvent`]) that replaces the seed's event
//! bus, queue and worker: a failed payment fails its reservation, and a payment approved after
//! its reservation ended is refunded.

pub mod inventory;
pub mod payment;
pub mod reservation;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;
use tracing::info;

use crate::clock::now_ms;
use crate::config::{BackendSettings, Secret};
use crate::domain::Caller;
use crate::proto::common::v1::{Error as PbError, ErrorCode};
use crate::proto::payment::v1 as paypb;
use crate::proto::reservation::v1 as rsvpb;
use inventory::{Inventory, InventoryApi, InventoryFile};
use payment::{PaymentApi, PaymentSettings, Payments};
use reservation::{ReservationApi, Reservations};

/// A protobuf timestamp of `ms` since the Unix epoch.
pub(crate) fn timestamp(ms: u64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: (ms / 1_000) as i64,
        nanos: ((ms % 1_000) * 1_000_000) as i32,
    }
}

/// Milliseconds since the Unix epoch of a protobuf timestamp (0 for times before it).
pub(crate) fn millis(t: &prost_types::Timestamp) -> u64 {
    u64::try_from(t.seconds).unwrap_or(0) * 1_000 + u64::try_from(t.nanos).unwrap_or(0) / 1_000_000
}

/// A new id with a kind prefix (`rsv_…`, `ord_…`, `pay_…`).
pub(crate) fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// A business outcome reported in-band (gRPC OK, `error` set), as the seed's services do.
pub(crate) fn in_band(code: ErrorCode, message: &str) -> PbError {
    PbError {
        code: code as i32,
        message: message.to_owned(),
        ..Default::default()
    }
}

/// What happened in the backends, for whoever follows them (the reservation service itself,
/// and the embedding gateway's WebSocket pushes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EventKind {
    #[serde(rename = "reservation.created")]
    ReservationCreated,
    #[serde(rename = "reservation.confirmed")]
    ReservationConfirmed,
    #[serde(rename = "reservation.cancelled")]
    ReservationCancelled,
    #[serde(rename = "reservation.expired")]
    ReservationExpired,
    #[serde(rename = "reservation.failed")]
    ReservationFailed,
    #[serde(rename = "payment.approved")]
    PaymentApproved,
    #[serde(rename = "payment.failed")]
    PaymentFailed,
    #[serde(rename = "payment.refunded")]
    PaymentRefunded,
}

/// One backend event.
#[derive(Debug, Clone, Serialize)]
pub struct BackendEvent {
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub reservation_id: String,
    pub user_id: String,
    pub event_id: Option<String>,
    pub payment_intent_id: Option<String>,
    pub order_id: Option<String>,
    pub at_ms: u64,
}

impl BackendEvent {
    fn reservation(kind: EventKind, r: &rsvpb::Reservation) -> Self {
        Self {
            kind,
            reservation_id: r.reservation_id.clone(),
            user_id: r.user_id.clone(),
            event_id: Some(r.event_id.clone()),
            payment_intent_id: (!r.payment_intent_id.is_empty())
                .then(|| r.payment_intent_id.clone()),
            order_id: (!r.order_id.is_empty()).then(|| r.order_id.clone()),
            at_ms: now_ms(),
        }
    }

    fn payment(kind: EventKind, p: &paypb::Payment) -> Self {
        Self {
            kind,
            reservation_id: p.reservation_id.clone(),
            user_id: p.user_id.clone(),
            event_id: None,
            payment_intent_id: Some(p.payment_intent_id.clone()),
            order_id: None,
            at_ms: now_ms(),
        }
    }
}

/// Events buffered for a slow follower before it is told it lagged.
const BUS_CAPACITY: usize = 4_096;

/// The [`Caller`] of a backend request: its message's `user_id`, or the payment service's mark
/// in its metadata; a request that names neither is PERMISSION_DENIED.
pub(crate) fn caller_of<T>(
    request: &tonic::Request<T>,
    user_id: &str,
) -> Result<Caller, tonic::Status> {
    let mark = request
        .metadata()
        .get(Caller::METADATA)
        .and_then(|v| v.to_str().ok());
    Caller::of(user_id, mark).ok_or_else(|| {
        tonic::Status::permission_denied(
            "the call names no caller: a user_id or the payment service",
        )
    })
}

/// The gRPC metadata entry that carries the backends' key (see [`Backends::key`]).
pub const BACKEND_KEY_METADATA: &str = "x-usher-backend-key";

/// The three services' shared state.
pub struct Backends {
    pub inventory: Arc<Inventory>,
    pub payments: Arc<Payments>,
    pub reservations: Arc<Reservations>,
    pub bus: broadcast::Sender<BackendEvent>,
    /// Every call must carry this key in [`BACKEND_KEY_METADATA`]: for the embedded backends a
    /// random key only their own gateway knows, so no other local process can call them and
    /// act for a user; `usher backends` requires `USHER_BACKENDS_KEY` when it is set (and
    /// stays open to gateways built for the seed when it is not).
    key: Option<Secret>,
}

impl Backends {
    /// Builds the services from the settings (the inventory file, or the example venue).
    /// Starts the hold sweeper and the payment follower (needs a running Tokio runtime).
    pub fn new(settings: &BackendSettings, key: Option<Secret>) -> anyhow::Result<Arc<Self>> {
        let file = match &settings.inventory_file {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("cannot read {} (USHER_INVENTORY_FILE)", path.display())
                })?;
                serde_json::from_str::<InventoryFile>(&text).with_context(|| {
                    format!(
                        "{} is not a valid inventory file (USHER_INVENTORY_FILE)",
                        path.display()
                    )
                })?
            }
            None => InventoryFile::example(),
        };
        file.validate()
            .map_err(|e| anyhow::anyhow!("USHER_INVENTORY_FILE: {e}"))?;
        let (bus, _) = broadcast::channel(BUS_CAPACITY);
        let inventory = Arc::new(Inventory::new(&file, settings.max_seats_per_buyer as usize));
        let payments = Payments::new(
            PaymentSettings {
                delay_ms: settings.payment_delay_ms,
                long_delay_ms: settings.payment_long_delay_ms,
                random_success: settings.payment_random_success,
                webhook_secret: settings.webhook_secret.expose().to_owned(),
            },
            bus.clone(),
        );
        let reservations = Reservations::new(
            inventory.clone(),
            payments.clone(),
            settings.hold_secs * 1_000,
            bus.clone(),
        );
        tokio::spawn(reservations.clone().follow_payments(bus.subscribe()));
        let sweeper = Arc::downgrade(&reservations);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(reservation::SWEEP_INTERVAL);
            while let Some(r) = {
                tick.tick().await;
                sweeper.upgrade()
            } {
                r.sweep().await;
            }
        });
        Ok(Arc::new(Self {
            inventory,
            payments,
            reservations,
            bus,
            key,
        }))
    }

    /// Serves the three services (and reflection) on `listener` until `shutdown` turns true.
    pub fn serve(
        self: &Arc<Self>,
        listener: TcpListener,
        mut shutdown: watch::Receiver<bool>,
    ) -> anyhow::Result<JoinHandle<()>> {
        let reflection = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(crate::proto::FILE_DESCRIPTOR_SET)
            .build_v1()
            .context("gRPC reflection")?;
        let key = self.key.clone();
        let check = move |req: tonic::Request<()>| match &key {
            None => Ok(req),
            Some(key) => {
                let given = req
                    .metadata()
                    .get(BACKEND_KEY_METADATA)
                    .map(|v| v.as_bytes())
                    .unwrap_or_default();
                if key.matches(given) {
                    Ok(req)
                } else {
                    Err(tonic::Status::unauthenticated(
                        "the backends' key is missing or wrong",
                    ))
                }
            }
        };
        let router = tonic::transport::Server::builder()
            .add_service(
                rsvpb::reservation_service_server::ReservationServiceServer::with_interceptor(
                    ReservationApi {
                        reservations: self.reservations.clone(),
                    },
                    check.clone(),
                ),
            )
            .add_service(
                rsvpb::inventory_service_server::InventoryServiceServer::with_interceptor(
                    InventoryApi {
                        inventory: self.inventory.clone(),
                        hold_ms: self.reservations.hold_ms(),
                    },
                    check.clone(),
                ),
            )
            .add_service(
                paypb::payment_service_server::PaymentServiceServer::with_interceptor(
                    PaymentApi {
                        payments: self.payments.clone(),
                    },
                    check,
                ),
            )
            .add_service(reflection);
        let incoming = tonic::transport::server::TcpIncoming::from(listener);
        Ok(tokio::spawn(async move {
            let stop = async move {
                let _ = shutdown.wait_for(|s| *s).await;
            };
            if let Err(e) = router.serve_with_incoming_shutdown(incoming, stop).await {
                tracing::error!(error = %e, "backend gRPC server failed");
            }
        }))
    }
}

/// Runs the backends alone (`usher backends`) until SIGINT or SIGTERM.
pub async fn run(settings: BackendSettings, addr: SocketAddr) -> anyhow::Result<()> {
    let backends = Backends::new(&settings, settings.key.clone())?;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    info!(addr = %listener.local_addr()?, "reference backends listening (gRPC)");
    let (stop, rx) = watch::channel(false);
    let server = backends.serve(listener, rx)?;
    crate::shutdown::signal().await;
    let _ = stop.send(true);
    let _ = server.await;
    Ok(())
}
