//! The three services together: their shared state ([`Backends`]), one tonic server for all of
//! them (with reflection, behind the backends' key, each call a trace span when traces are
//! exported), and [`run`] for a process of their own.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tracing::info;
use usher_proto::Secret;
use usher_proto::payment::v1 as paypb;
use usher_proto::reservation::v1 as rsvpb;

use crate::events::{BUS_CAPACITY, BackendEvent};
use crate::inventory::{Inventory, InventoryApi, InventoryFile};
use crate::journal::Journal;
use crate::payment::{PaymentApi, PaymentSettings, Payments};
use crate::reservation::{self, ReservationApi, Reservations};
use crate::rpc::require_key;
use crate::settings::BackendSettings;

/// The three services' shared state.
pub struct Backends {
    pub inventory: Arc<Inventory>,
    pub payments: Arc<Payments>,
    pub reservations: Arc<Reservations>,
    /// Every event of the three services, for whoever follows them (an embedding gateway).
    pub bus: broadcast::Sender<BackendEvent>,
    /// Every call must carry this key in [`usher_proto::BACKEND_KEY_METADATA`]: for the
    /// embedded backends a random key only their own gateway knows, so no other local process
    /// can call them and act for a user; `usher backends` requires `USHER_BACKENDS_KEY` when it
    /// is set (and stays open to gateways built for the seed when it is not).
    key: Option<Secret>,
}

impl Backends {
    /// Builds the services from the settings (the inventory file, or the example venue) and,
    /// with a data directory, from the state they kept there. Starts the hold sweeper and the
    /// payment follower, and takes up what the state read back was doing: payments to settle,
    /// webhooks to deliver, settled payments to follow up (needs a running Tokio runtime).
    pub fn new(settings: &BackendSettings, key: Option<Secret>) -> anyhow::Result<Arc<Self>> {
        let file = InventoryFile::load(settings.inventory_file.as_deref())?;
        let journal = Journal::open(settings.data_dir.as_deref())?;
        let (bus, _) = broadcast::channel(BUS_CAPACITY);
        let inventory = Arc::new(Inventory::new(
            &file,
            settings.max_seats_per_buyer as usize,
            journal.clone(),
        )?);
        let payments = Payments::new(
            PaymentSettings {
                delay: settings.payment_delay,
                long_delay: settings.payment_long_delay,
                random_success: settings.payment_random_success,
                webhook_secret: settings.webhook_secret.clone(),
                webhook_retry_for: settings.hold,
            },
            bus.clone(),
            journal.clone(),
        )?;
        let reservations = Reservations::new(
            inventory.clone(),
            payments.clone(),
            settings.hold.as_millis() as u64,
            bus.clone(),
            &journal,
        )?;
        // Subscribed before anything settles, so the follower misses no outcome.
        tokio::spawn(reservations.clone().follow_payments(bus.subscribe()));
        tokio::spawn(reservations.clone().resume());
        payments.resume();
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

    /// Serves the three services (with reflection and health) on `listener` until `shutdown`
    /// completes.
    pub fn serve(
        self: &Arc<Self>,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<JoinHandle<()>> {
        let reflection = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(usher_proto::FILE_DESCRIPTOR_SET)
            .build_v1()
            .context("gRPC reflection")?;
        let check = require_key(self.key.clone());
        let router = tonic::transport::Server::builder()
            // A `grpc server` span per call, continuing the caller's `traceparent`.
            .layer(usher_otel::grpc::server())
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
            .add_service(reflection)
            // The standard health service (grpc.health.v1), without the backends key so that
            // probes can ask it: the server ("") is SERVING while it runs.
            .add_service(tonic_health::server::health_reporter().1);
        let incoming = tonic::transport::server::TcpIncoming::from(listener);
        Ok(tokio::spawn(async move {
            if let Err(e) = router
                .serve_with_incoming_shutdown(incoming, shutdown)
                .await
            {
                tracing::error!(error = %e, "backend gRPC server failed");
            }
        }))
    }
}

/// Runs the backends alone (`usher backends`) on `addr` until `shutdown` completes (the
/// process's SIGINT or SIGTERM).
pub async fn run(
    settings: BackendSettings,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let backends = Backends::new(&settings, settings.key.clone())?;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    info!(addr = %listener.local_addr()?, "reference backends listening (gRPC)");
    let server = backends.serve(listener, shutdown)?;
    let _ = server.await;
    Ok(())
}
