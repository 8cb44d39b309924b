//! The gateway's side of the backends: gRPC clients for the reservation, inventory and payment
//! services (embedded on loopback or external), with deadlines, W3C `traceparent` propagation,
//! and the one explicit mapping of gRPC status codes and in-band `common.v1.Error` codes to the
//! seed's HTTP error envelope.
//!
//! Nothing here retries a call that changes state: creating a reservation or a payment twice
//! is worse than failing once. Reads (`GetReservation`, `GetPaymentStatus`, inventory status)
//! are retried once on `UNAVAILABLE`. Every call goes through its service's circuit breaker
//! ([`breaker`]).

pub mod breaker;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use sha2::{Digest, Sha256};
use tonic::metadata::{Ascii, MetadataValue};
use tonic::transport::{ClientTlsConfig, Endpoint};
use tonic::{Code, Request, Status};
use usher_proto::BACKEND_KEY_METADATA;
use usher_proto::common::v1::{Error as PbError, ErrorCode};
use usher_proto::payment::v1 as pay;
use usher_proto::payment::v1::payment_service_client::PaymentServiceClient;
use usher_proto::reservation::v1 as rsv;
use usher_proto::reservation::v1::inventory_service_client::InventoryServiceClient;
use usher_proto::reservation::v1::reservation_service_client::ReservationServiceClient;

use crate::config::UpstreamSettings;
use crate::domain::{Caller, EventId};
use crate::queue::EventDirectory;
use crate::telemetry::current_trace_id;
use breaker::Breaker;

/// What a call was about, for error codes (`RESERVATION_NOT_FOUND`, `PAYMENT_NOT_FOUND`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Reservation,
    Payment,
    Event,
}

impl Resource {
    /// The seed's error code for a resource the backend does not know.
    fn not_found(self) -> &'static str {
        match self {
            Resource::Reservation => "RESERVATION_NOT_FOUND",
            Resource::Payment => "PAYMENT_NOT_FOUND",
            Resource::Event => "EVENT_NOT_FOUND",
        }
    }
}

/// A connection to a backend: each call is a `grpc client` span when traces are exported, and
/// carries that span's context in `traceparent`.
pub type Channel = usher_otel::grpc::Client<tonic::transport::Channel, tonic::body::Body>;

/// The backends' clients. Cheap to clone.
#[derive(Clone)]
pub struct Upstreams {
    pub reservation: ReservationServiceClient<Channel>,
    pub inventory: InventoryServiceClient<Channel>,
    pub payment: PaymentServiceClient<Channel>,
    reservation_deadline: Duration,
    payment_deadline: Duration,
    /// Sent with every call (`x-usher-backend-key`) when the backends require it: always for
    /// the embedded ones, and for external ones when `USHER_BACKENDS_KEY` is set.
    backend_key: Option<MetadataValue<Ascii>>,
    /// The circuit breakers of the reservation (and inventory) service and of the payment
    /// service, shared by every clone.
    pub reservation_breaker: Arc<Breaker>,
    pub payment_breaker: Arc<Breaker>,
}

fn channel(address: &str, tls: bool, connect_timeout: Duration) -> anyhow::Result<Channel> {
    let scheme = if tls { "https" } else { "http" };
    let uri = if address.contains("://") {
        address.to_owned()
    } else {
        format!("{scheme}://{address}")
    };
    let mut endpoint = Endpoint::from_shared(uri.clone())
        .map_err(|e| anyhow::anyhow!("invalid backend address {uri}: {e}"))?
        .connect_timeout(connect_timeout)
        .tcp_nodelay(true)
        .http2_keep_alive_interval(Duration::from_secs(30))
        .keep_alive_while_idle(true);
    if tls {
        // The server name is the host alone (the seed used host:port, which never matches).
        endpoint = endpoint
            .tls_config(ClientTlsConfig::new().with_webpki_roots())
            .map_err(|e| anyhow::anyhow!("TLS for {uri}: {e}"))?;
    }
    // Lazy: usher starts (and answers 503 for purchases) while a backend is still coming up.
    Ok(usher_otel::grpc::client(endpoint.connect_lazy()))
}

impl Upstreams {
    /// Clients for the configured backends; `embedded` is the address of the embedded ones,
    /// used for every backend without an address of its own.
    pub fn connect(
        settings: &UpstreamSettings,
        embedded: Option<&str>,
        backend_key: Option<&str>,
    ) -> anyhow::Result<Self> {
        let pick = |own: &Option<String>, name: &str| {
            own.as_deref()
                .or(embedded)
                .map(str::to_owned)
                .ok_or_else(|| {
                    anyhow::anyhow!("{name} is not set and no embedded backends are running")
                })
        };
        let connect = Duration::from_secs(2);
        let reservation = channel(
            &pick(
                &settings.reservation_address,
                "BACKEND_RESERVATION_API_GRPC_ADDRESS",
            )?,
            settings.reservation_tls,
            connect,
        )?;
        let inventory = match &settings.inventory_address {
            Some(a) => channel(a, settings.reservation_tls, connect)?,
            // The seed serves inventory beside reservations.
            None => reservation.clone(),
        };
        let payment = channel(
            &pick(
                &settings.payment_address,
                "BACKEND_PAYMENT_API_GRPC_ADDRESS",
            )?,
            settings.payment_tls,
            connect,
        )?;
        Ok(Self {
            reservation: ReservationServiceClient::new(reservation),
            inventory: InventoryServiceClient::new(inventory),
            payment: PaymentServiceClient::new(payment),
            reservation_deadline: settings.reservation_timeout,
            payment_deadline: settings.payment_timeout,
            backend_key: backend_key
                .map(|k| k.parse())
                .transpose()
                .map_err(|_| anyhow::anyhow!("USHER_BACKENDS_KEY must be printable ASCII"))?,
            reservation_breaker: Arc::new(Breaker::new(
                "reservation",
                settings.breaker_failures,
                settings.breaker_open,
            )),
            payment_breaker: Arc::new(Breaker::new(
                "payment",
                settings.breaker_failures,
                settings.breaker_open,
            )),
        })
    }

    /// The breaker of the service a call about `resource` goes to.
    pub fn breaker(&self, resource: Resource) -> &Breaker {
        match resource {
            Resource::Payment => &self.payment_breaker,
            Resource::Reservation | Resource::Event => &self.reservation_breaker,
        }
    }

    /// Makes `call` through its service's circuit breaker and reads its answer: refused at
    /// once (503) while the circuit is open.
    pub async fn call<T: InBand>(
        &self,
        resource: Resource,
        call: impl Future<Output = Result<tonic::Response<T>, Status>>,
    ) -> Result<T, UpstreamError> {
        let breaker = self.breaker(resource);
        if !breaker.allow() {
            return Err(UpstreamError::Status {
                code: Code::Unavailable,
                message: format!(
                    "the {} service is failing; calls are paused for a moment",
                    breaker.name()
                ),
                resource,
            });
        }
        /// Tells the breaker when a call it let through is dropped before its outcome.
        struct Pending<'a>(Option<&'a Breaker>);
        impl Drop for Pending<'_> {
            fn drop(&mut self) {
                if let Some(b) = self.0 {
                    b.forget();
                }
            }
        }
        let mut pending = Pending(Some(breaker));
        let result = answer(call.await, resource);
        pending.0 = None;
        breaker.record(result.as_ref().err().is_some_and(UpstreamError::is_outage));
        result
    }

    /// A request to the reservation or inventory service, with its deadline and trace context.
    pub fn for_reservation<T>(&self, message: T) -> Request<T> {
        self.request(message, self.reservation_deadline)
    }

    /// A request to the payment service, with its deadline and trace context.
    pub fn for_payment<T>(&self, message: T) -> Request<T> {
        self.request(message, self.payment_deadline)
    }

    /// An event's inventory status (`GetInventoryStatus`, all sections), read at most twice.
    pub async fn inventory_status(
        &self,
        event: &str,
    ) -> Result<tonic::Response<rsv::GetInventoryStatusResponse>, Status> {
        let call = || {
            let mut client = self.inventory.clone();
            let req = self.for_reservation(rsv::GetInventoryStatusRequest {
                event_id: event.to_owned(),
                section: String::new(),
            });
            async move { client.get_inventory_status(req).await }
        };
        read_twice(call).await
    }

    /// [`Self::for_reservation`] for a message whose `user_id` is `caller`'s, marked as the
    /// payment service's when it is.
    pub fn for_reservation_as<T>(&self, caller: &Caller, message: T) -> Request<T> {
        mark(caller, self.for_reservation(message))
    }

    /// [`Self::for_payment`] for a message whose `user_id` is `caller`'s.
    pub fn for_payment_as<T>(&self, caller: &Caller, message: T) -> Request<T> {
        mark(caller, self.for_payment(message))
    }

    fn request<T>(&self, message: T, deadline: Duration) -> Request<T> {
        let mut req = Request::new(message);
        req.set_timeout(deadline);
        // Outside a request there is no trace to name (and with traces exported, the channel
        // sends its call span's context instead).
        let trace_id = current_trace_id();
        if !trace_id.is_empty()
            && let Ok(v) = traceparent(&trace_id).parse()
        {
            req.metadata_mut().insert("traceparent", v);
        }
        if let Some(key) = &self.backend_key {
            req.metadata_mut().insert(BACKEND_KEY_METADATA, key.clone());
        }
        req
    }
}

/// Marks a call made for the payment service (see [`Caller`]).
fn mark<T>(caller: &Caller, mut req: Request<T>) -> Request<T> {
    if *caller == Caller::PaymentService {
        req.metadata_mut().insert(
            Caller::METADATA,
            MetadataValue::from_static(Caller::PAYMENT_SERVICE),
        );
    }
    req
}

/// A W3C `traceparent` for a call made while serving the request with `trace_id`: the same
/// trace (a trace id that is not 32 hex digits is hashed into one), a new span. When traces
/// are exported, the [`Channel`] replaces it with its call span's context.
pub fn traceparent(trace_id: &str) -> String {
    let is_hex32 = trace_id.len() == 32 && trace_id.bytes().all(|b| b.is_ascii_hexdigit());
    let trace = if is_hex32 {
        trace_id.to_ascii_lowercase()
    } else {
        hex::encode(&Sha256::digest(trace_id.as_bytes())[..16])
    };
    let span = &uuid::Uuid::new_v4().simple().to_string()[..16];
    format!("00-{trace}-{span}-01")
}

/// Retries a read once when the backend was unavailable (a reconnect, a rolling restart).
pub async fn read_twice<T, F, Fut>(mut call: F) -> Result<T, Status>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, Status>>,
{
    match call().await {
        Err(s) if s.code() == Code::Unavailable => call().await,
        other => other,
    }
}

/// A response message that may carry an in-band business error (every response of the seed's
/// services does, as its last field).
pub trait InBand {
    fn in_band_error(&self) -> Option<&PbError>;
}

macro_rules! in_band {
    ($($t:ty),* $(,)?) => {
        $(impl InBand for $t {
            fn in_band_error(&self) -> Option<&PbError> {
                self.error.as_ref()
            }
        })*
    };
}

in_band!(
    rsv::CreateReservationResponse,
    rsv::GetReservationResponse,
    rsv::ConfirmReservationResponse,
    rsv::CancelReservationResponse,
    rsv::GetInventoryStatusResponse,
    rsv::ListReservationsResponse,
    pay::CreatePaymentIntentResponse,
    pay::GetPaymentStatusResponse,
    pay::ProcessPaymentResponse,
);

/// Why a backend call did not give its answer. Mapped to the seed's envelope in
/// [`crate::error`].
#[derive(Debug, Clone, thiserror::Error)]
pub enum UpstreamError {
    /// The call failed at the gRPC level (unreachable, deadline, refused, ...).
    #[error("backend call failed: {code:?}: {message}")]
    Status {
        code: Code,
        message: String,
        resource: Resource,
    },
    /// The backend answered with a business error (`common.v1.Error`), as the seed's services
    /// do.
    #[error("backend refused: {code:?}: {message}")]
    InBand {
        code: ErrorCode,
        message: String,
        resource: Resource,
    },
}

impl UpstreamError {
    /// The HTTP status and the seed's error code this failure is answered with.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match *self {
            UpstreamError::Status { code, resource, .. } => match code {
                Code::NotFound => (StatusCode::NOT_FOUND, resource.not_found()),
                Code::InvalidArgument | Code::OutOfRange => {
                    (StatusCode::BAD_REQUEST, "INVALID_REQUEST")
                }
                Code::AlreadyExists | Code::Aborted => (StatusCode::CONFLICT, "CONFLICT"),
                Code::FailedPrecondition => {
                    (StatusCode::PRECONDITION_FAILED, "FAILED_PRECONDITION")
                }
                Code::PermissionDenied => (StatusCode::FORBIDDEN, "FORBIDDEN"),
                Code::Unauthenticated => (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
                Code::ResourceExhausted => (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED"),
                Code::DeadlineExceeded | Code::Cancelled => {
                    (StatusCode::GATEWAY_TIMEOUT, "UPSTREAM_TIMEOUT")
                }
                Code::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "UPSTREAM_UNAVAILABLE"),
                _ => (StatusCode::BAD_GATEWAY, "UPSTREAM_ERROR"),
            },
            UpstreamError::InBand { code, resource, .. } => match code {
                ErrorCode::NotFound => (StatusCode::NOT_FOUND, resource.not_found()),
                ErrorCode::Unauthenticated | ErrorCode::Unauthorized => {
                    (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED")
                }
                ErrorCode::Forbidden => (StatusCode::FORBIDDEN, "ACCESS_DENIED"),
                ErrorCode::InvalidArgument => (StatusCode::BAD_REQUEST, "INVALID_REQUEST"),
                ErrorCode::IdempotencyRequired => (StatusCode::BAD_REQUEST, "IDEMPOTENCY_REQUIRED"),
                ErrorCode::IdempotencyConflict => (StatusCode::CONFLICT, "IDEMPOTENCY_CONFLICT"),
                ErrorCode::AlreadyExists => (StatusCode::CONFLICT, "ALREADY_EXISTS"),
                ErrorCode::InventoryConflict => (StatusCode::CONFLICT, "INVENTORY_CONFLICT"),
                ErrorCode::InsufficientInventory => {
                    (StatusCode::CONFLICT, "INSUFFICIENT_INVENTORY")
                }
                ErrorCode::ReservationExpired => (StatusCode::CONFLICT, "RESERVATION_EXPIRED"),
                ErrorCode::ConcurrentModification => {
                    (StatusCode::CONFLICT, "CONCURRENT_MODIFICATION")
                }
                ErrorCode::PaymentNotApproved => {
                    (StatusCode::PRECONDITION_FAILED, "PAYMENT_NOT_APPROVED")
                }
                ErrorCode::FailedPrecondition => {
                    (StatusCode::PRECONDITION_FAILED, "FAILED_PRECONDITION")
                }
                ErrorCode::RateLimited | ErrorCode::QuotaExceeded => {
                    (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED")
                }
                ErrorCode::Timeout | ErrorCode::UpstreamTimeout => {
                    (StatusCode::GATEWAY_TIMEOUT, "UPSTREAM_TIMEOUT")
                }
                ErrorCode::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "UPSTREAM_UNAVAILABLE"),
                ErrorCode::Unspecified
                | ErrorCode::Internal
                | ErrorCode::UpstreamError
                | ErrorCode::DataCorruption => (StatusCode::BAD_GATEWAY, "UPSTREAM_ERROR"),
            },
        }
    }

    /// Whether this failure says the backend is down or overwhelmed (unreachable, timed out,
    /// crashing), rather than refusing this request: what opens a circuit.
    pub fn is_outage(&self) -> bool {
        match self {
            UpstreamError::Status { code, .. } => matches!(
                code,
                Code::Unavailable | Code::DeadlineExceeded | Code::Unknown | Code::Internal
            ),
            UpstreamError::InBand { code, .. } => matches!(
                code,
                ErrorCode::Unavailable | ErrorCode::Timeout | ErrorCode::UpstreamTimeout
            ),
        }
    }

    /// The backend's business error code, when it answered with one.
    pub fn in_band_code(&self) -> Option<ErrorCode> {
        match self {
            UpstreamError::InBand { code, .. } => Some(*code),
            UpstreamError::Status { .. } => None,
        }
    }
}

/// The answer of a call, or why there is none.
fn answer<T: InBand>(
    result: Result<tonic::Response<T>, Status>,
    resource: Resource,
) -> Result<T, UpstreamError> {
    let r = result
        .map_err(|s| UpstreamError::Status {
            code: s.code(),
            message: s.message().to_owned(),
            resource,
        })?
        .into_inner();
    match r.in_band_error() {
        Some(e) => Err(UpstreamError::InBand {
            code: ErrorCode::try_from(e.code).unwrap_or(ErrorCode::Unspecified),
            message: with_details(e),
            resource,
        }),
        None => Ok(r),
    }
}

/// A backend's message with what its details name (at most 20 of them), e.g. the seats a hold
/// found taken: `seats are not available: A-1-1 (sold), A-1-2 (held)`.
fn with_details(e: &PbError) -> String {
    if e.details.is_empty() {
        return e.message.clone();
    }
    let named: Vec<String> = e
        .details
        .iter()
        .take(20)
        .map(|d| format!("{} ({})", d.value, d.reason.to_lowercase()))
        .collect();
    format!("{}: {}", e.message, named.join(", "))
}

/// Answers kept for a while in a bounded map: concurrent misses of one key share one fetch, and
/// failures are not kept (the next reader asks again).
pub struct Fresh<K, V> {
    cache: quick_cache::sync::Cache<K, (V, Instant)>,
    ttl: Duration,
}

impl<K: Eq + std::hash::Hash + Clone, V: Clone> Fresh<K, V> {
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        Self {
            cache: quick_cache::sync::Cache::new(capacity.max(1)),
            ttl,
        }
    }

    /// Drops the answer for `key`: the next reader fetches.
    pub fn forget(&self, key: &K) {
        self.cache.remove(key);
    }

    /// Drops every answer.
    pub fn clear(&self) {
        self.cache.clear();
    }

    /// The answer for `key` from the last `ttl`, or `fetch`'s.
    pub async fn get<E>(&self, key: &K, fetch: impl Future<Output = Result<V, E>>) -> Result<V, E> {
        if let Some((value, at)) = self.cache.get(key) {
            if at.elapsed() < self.ttl {
                return Ok(value);
            }
            self.cache.remove(key);
        }
        let (value, _) = self
            .cache
            .get_or_insert_async(key, async { fetch.await.map(|v| (v, Instant::now())) })
            .await?;
        Ok(value)
    }
}

/// How long a lookup of an unknown event may wait for one of the `USHER_EVENT_LOOKUPS_MAX`
/// places before it is refused.
const LOOKUP_WAIT: Duration = Duration::from_secs(1);

/// The inventory service as the queue's [`EventDirectory`]: an event exists if
/// `GetInventoryStatus` knows it. Answers, "not found" included, are kept in a bounded cache
/// for a while, and concurrent lookups of one id share one call, so a flood of ids that do not
/// exist costs the inventory at most one call per id per TTL and this node a bounded amount of
/// memory; and at most `max_lookups` such calls run at once (the rest wait briefly, then are
/// refused), so a flood of distinct made-up ids cannot slow the inventory down for the sale.
pub struct InventoryDirectory {
    upstream: Upstreams,
    known: Fresh<EventId, bool>,
    lookups: tokio::sync::Semaphore,
}

impl InventoryDirectory {
    pub fn new(upstream: Upstreams, capacity: usize, ttl: Duration, max_lookups: usize) -> Self {
        Self {
            upstream,
            known: Fresh::new(capacity, ttl),
            lookups: tokio::sync::Semaphore::new(max_lookups),
        }
    }

    async fn ask(&self, event: &EventId) -> Result<bool, String> {
        // Past the limit a lookup waits its turn, briefly; one that cannot start in time is
        // refused rather than piling onto the inventory.
        let Ok(Ok(_running)) = tokio::time::timeout(LOOKUP_WAIT, self.lookups.acquire()).await
        else {
            return Err("too many event lookups at once (USHER_EVENT_LOOKUPS_MAX)".into());
        };
        match self.upstream.inventory_status(event.as_str()).await {
            Ok(r) => match r.into_inner().in_band_error() {
                None => Ok(true),
                Some(e) if e.code == ErrorCode::NotFound as i32 => Ok(false),
                Some(e) => Err(format!("{:?}: {}", e.code, e.message)),
            },
            Err(s) if s.code() == Code::NotFound => Ok(false),
            Err(s) => Err(format!("{:?}: {}", s.code(), s.message())),
        }
    }
}

#[async_trait::async_trait]
impl EventDirectory for InventoryDirectory {
    async fn exists(&self, event: &EventId) -> Result<bool, String> {
        self.known.get(event, self.ask(event)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceparent_keeps_a_w3c_trace_id_and_hashes_others() {
        let tp = traceparent("4bf92f3577b34da6a3ce929d0e0e4736");
        assert!(tp.starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
        assert!(tp.ends_with("-01"));
        assert_eq!(tp.len(), 55);
        let other = traceparent("req-123");
        assert_eq!(other.len(), 55);
        assert_eq!(
            other[3..35],
            traceparent("req-123")[3..35],
            "same trace for the same id"
        );
    }
}
