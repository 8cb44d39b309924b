//! The reference backends over real gRPC (tonic clients against the tonic server on a loopback
//! port): zero oversell under contention, hold expiry, payment-verified confirm, refunds of late
//! payments, and signed webhooks with retries; the backends with a data directory across
//! restarts; and `usher backends` killed mid-sale, restarted on its data directory.

mod support;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use clap::Parser;
use futures::future::join_all;
use parking_lot::Mutex;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tokio::sync::watch;
use tonic::transport::Channel;
use usher::cli::{Cli, Command};
use usher::clock::system_ms;
use usher::config::DEV_WEBHOOK_SECRET;
use usher_backends::{BackendSettings, Backends};
use usher_proto::common::v1::ErrorCode;
use usher_proto::payment::v1 as paypb;
use usher_proto::payment::{SIGNATURE_HEADER, verify_webhook_signature};
use usher_proto::reservation::v1 as rsvpb;

use paypb::PaymentStatus;
use paypb::payment_service_client::PaymentServiceClient;
use rsvpb::ReservationStatus;
use rsvpb::inventory_service_client::InventoryServiceClient;
use rsvpb::reservation_service_client::ReservationServiceClient;
use support::TempDir;
use support::usher::{BACKENDS_KEY, BackendsProcess};

/// A directory with a venue file, `venue.json`: event `evt`, one section `A` of one row of
/// `seats` seats at 1,000 KRW each.
fn venue_dir(seats: u32) -> TempDir {
    let dir = TempDir::new("usher-backends");
    std::fs::write(
        venue(&dir),
        serde_json::json!({"events": [{"event_id": "evt", "name": "test", "sections": [
            {"id": "A", "rows": 1, "seats_per_row": seats, "price": {"amount": 1000, "currency": "KRW"}}
        ]}]})
        .to_string(),
    )
    .unwrap();
    dir
}

/// The venue file of a [`venue_dir`].
fn venue(dir: &TempDir) -> PathBuf {
    dir.path().join("venue.json")
}

/// The settings of `usher backends --inventory-file <venue>` with the given extra flags.
fn settings(venue: &Path, flags: &[&str]) -> BackendSettings {
    let mut argv = vec![
        "usher",
        "backends",
        "--inventory-file",
        venue.to_str().unwrap(),
    ];
    argv.extend_from_slice(flags);
    let Some(Command::Backends(args)) = Cli::try_parse_from(argv).unwrap().command else {
        unreachable!()
    };
    args.backends
}

/// Starts the backends on a free loopback port, serving until `shutdown` completes, and
/// connects a client to them.
async fn serve(
    settings: &BackendSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> (Arc<Backends>, Client) {
    let backends = Backends::new(settings, settings.key.clone()).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    backends.serve(listener, shutdown).unwrap();
    let channel = Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    (backends, Client { channel, key: None })
}

/// A client of the three services, for event `evt`. Buyers' calls go as they are; calls the
/// gateway makes for the payment service (its webhook path) carry the payment service's mark
/// and no user. Every call carries `key`, where the backends require one.
#[derive(Clone)]
struct Client {
    channel: Channel,
    key: Option<&'static str>,
}

impl Client {
    fn reservations(&self) -> ReservationServiceClient<Channel> {
        ReservationServiceClient::new(self.channel.clone())
    }
    fn payments(&self) -> PaymentServiceClient<Channel> {
        PaymentServiceClient::new(self.channel.clone())
    }
    fn inventory(&self) -> InventoryServiceClient<Channel> {
        InventoryServiceClient::new(self.channel.clone())
    }

    /// A request with the backends' key, if they have one.
    fn request<T>(&self, message: T) -> tonic::Request<T> {
        let mut req = tonic::Request::new(message);
        if let Some(key) = self.key {
            req.metadata_mut()
                .insert(usher_proto::BACKEND_KEY_METADATA, key.parse().unwrap());
        }
        req
    }

    /// A request made for the payment service: no user, and the payment service's mark.
    fn for_payment_service<T>(&self, message: T) -> tonic::Request<T> {
        let mut req = self.request(message);
        req.metadata_mut().insert(
            usher::domain::Caller::METADATA,
            usher::domain::Caller::PAYMENT_SERVICE.parse().unwrap(),
        );
        req
    }

    async fn reserve(
        &self,
        user: &str,
        seats: &[&str],
        quantity: i32,
    ) -> rsvpb::CreateReservationResponse {
        self.reserve_idempotently(user, seats, quantity, "").await
    }

    /// [`Client::reserve`] with an idempotency key (none when empty).
    async fn reserve_idempotently(
        &self,
        user: &str,
        seats: &[&str],
        quantity: i32,
        key: &str,
    ) -> rsvpb::CreateReservationResponse {
        self.reservations()
            .create_reservation(self.request(rsvpb::CreateReservationRequest {
                event_id: "evt".into(),
                seat_ids: seats.iter().map(|s| s.to_string()).collect(),
                quantity,
                user_id: user.into(),
                idempotency_key: key.into(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
    }

    /// Pays for `r` (the payment intent's id), with the payment sending its webhook to
    /// `webhook` (none when empty).
    async fn pay(
        &self,
        r: &rsvpb::CreateReservationResponse,
        scenario: paypb::PaymentScenario,
        webhook: &str,
    ) -> String {
        self.pay_idempotently(r, scenario, "", webhook).await
    }

    /// [`Client::pay`] with an idempotency key (none when empty).
    async fn pay_idempotently(
        &self,
        r: &rsvpb::CreateReservationResponse,
        scenario: paypb::PaymentScenario,
        key: &str,
        webhook: &str,
    ) -> String {
        let resp = self
            .payments()
            .create_payment_intent(self.request(paypb::CreatePaymentIntentRequest {
                reservation_id: r.reservation_id.clone(),
                amount: r.total_amount.clone(),
                user_id: "payer".into(),
                scenario: scenario as i32,
                idempotency_key: key.into(),
                webhook_url: webhook.into(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(resp.error.is_none(), "{:?}", resp.error);
        resp.payment_intent_id
    }

    async fn payment_status(&self, intent: &str) -> PaymentStatus {
        let p = self
            .payments()
            .get_payment_status(self.for_payment_service(paypb::GetPaymentStatusRequest {
                payment_intent_id: intent.into(),
                user_id: String::new(),
            }))
            .await
            .unwrap()
            .into_inner()
            .payment
            .unwrap();
        PaymentStatus::try_from(p.status).unwrap()
    }

    /// Waits (up to 5 s) until the intent's status is `want`.
    async fn payment_becomes(&self, intent: &str, want: PaymentStatus) {
        for _ in 0..100 {
            if self.payment_status(intent).await == want {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("payment {intent} never became {want:?}");
    }

    async fn confirm(&self, reservation: &str, intent: &str) -> rsvpb::ConfirmReservationResponse {
        self.reservations()
            .confirm_reservation(self.for_payment_service(rsvpb::ConfirmReservationRequest {
                reservation_id: reservation.into(),
                payment_intent_id: intent.into(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
    }

    async fn cancel(&self, reservation: &str, user: &str) -> rsvpb::CancelReservationResponse {
        self.reservations()
            .cancel_reservation(self.request(rsvpb::CancelReservationRequest {
                reservation_id: reservation.into(),
                user_id: user.into(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
    }

    async fn reservation(&self, id: &str) -> rsvpb::Reservation {
        self.reservations()
            .get_reservation(self.for_payment_service(rsvpb::GetReservationRequest {
                reservation_id: id.into(),
                user_id: String::new(),
            }))
            .await
            .unwrap()
            .into_inner()
            .reservation
            .unwrap()
    }

    async fn status_of(&self, reservation: &str) -> ReservationStatus {
        ReservationStatus::try_from(self.reservation(reservation).await.status).unwrap()
    }

    /// (available, held, sold) seats of `evt`.
    async fn seats(&self) -> (i32, i32, i32) {
        let s = self
            .inventory()
            .get_inventory_status(self.request(rsvpb::GetInventoryStatusRequest {
                event_id: "evt".into(),
                section: String::new(),
            }))
            .await
            .unwrap()
            .into_inner()
            .stats
            .unwrap();
        (s.available_seats, s.reserved_seats, s.sold_seats)
    }

    async fn available(&self) -> i32 {
        self.seats().await.0
    }
}

/// What holds a [`Client`] answers its calls: `f.reserve(..)` is `f.client.reserve(..)`.
macro_rules! calls_through_its_client {
    ($($holder:ty),*) => {$(
        impl std::ops::Deref for $holder {
            type Target = Client;
            fn deref(&self) -> &Client {
                &self.client
            }
        }
    )*};
}

calls_through_its_client!(Fixture, Life, Remote);

/// The backends on the test's runtime, with the venue of a [`venue_dir`].
struct Fixture {
    backends: Arc<Backends>,
    client: Client,
    _stop: watch::Sender<bool>,
    _dir: TempDir,
}

/// Starts the backends on a free loopback port with one event `evt` of `seats` seats in one
/// section (price 1,000 KRW each) and the given extra flags.
async fn start(seats: u32, flags: &[&str]) -> Fixture {
    let dir = venue_dir(seats);
    let (stop, mut rx) = watch::channel(false);
    let (backends, client) = serve(&settings(&venue(&dir), flags), async move {
        let _ = rx.wait_for(|s| *s).await;
    })
    .await;
    Fixture {
        backends,
        client,
        _stop: stop,
        _dir: dir,
    }
}

fn code(e: &Option<usher_proto::common::v1::Error>) -> Option<ErrorCode> {
    e.as_ref().map(|e| ErrorCode::try_from(e.code).unwrap())
}

/// A small deterministic generator, one per buyer.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_buyers_for_fifty_seats_never_oversell() {
    const SEATS: u64 = 50;
    const BUYERS: u64 = 2_000;
    let f = Arc::new(
        start(
            SEATS as u32,
            &[
                "--hold-secs",
                "1",
                "--payment-delay-ms",
                "50",
                "--payment-random-success",
                "0.5",
            ],
        )
        .await,
    );
    let holds = Arc::new(AtomicUsize::new(0));
    let conflicts = Arc::new(AtomicUsize::new(0));
    let confirmed = Arc::new(AtomicUsize::new(0));
    let buyers = (0..BUYERS).map(|i| {
        let (f, holds, conflicts, confirmed) = (
            f.clone(),
            holds.clone(),
            conflicts.clone(),
            confirmed.clone(),
        );
        async move {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
            // Arrivals spread over two hold lengths, so seats of expired, cancelled and failed
            // holds are sold again.
            tokio::time::sleep(Duration::from_millis(rng.below(2_000))).await;
            // Half ask for specific (overlapping) seats, half for any N seats.
            let r = if rng.below(2) == 0 {
                let n = 1 + rng.below(3);
                let mut seats: Vec<String> = Vec::new();
                while seats.len() < n as usize {
                    let s = format!("A-1-{}", 1 + rng.below(SEATS));
                    if !seats.contains(&s) {
                        seats.push(s);
                    }
                }
                let refs: Vec<&str> = seats.iter().map(String::as_str).collect();
                f.reserve(&format!("u{i}"), &refs, 0).await
            } else {
                f.reserve(&format!("u{i}"), &[], 1 + rng.below(3) as i32)
                    .await
            };
            if r.error.is_some() {
                assert!(
                    matches!(
                        code(&r.error),
                        Some(ErrorCode::InventoryConflict | ErrorCode::InsufficientInventory)
                    ),
                    "{:?}",
                    r.error
                );
                conflicts.fetch_add(1, Ordering::Relaxed);
                return;
            }
            holds.fetch_add(1, Ordering::Relaxed);
            if rng.below(10) == 0 {
                let c = f.cancel(&r.reservation_id, &format!("u{i}")).await;
                assert!(c.error.is_none(), "{:?}", c.error);
                return;
            }
            let scenario = [
                paypb::PaymentScenario::Approve,
                paypb::PaymentScenario::Fail,
                paypb::PaymentScenario::Random,
                paypb::PaymentScenario::Timeout,
            ][rng.below(4) as usize];
            let intent = f.pay(&r, scenario, "").await;
            // Wait for the payment to settle (or give up, as a buyer would).
            for _ in 0..20 {
                if f.payment_status(&intent).await != paypb::PaymentStatus::Pending {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            let c = f.confirm(&r.reservation_id, &intent).await;
            if c.error.is_none() {
                confirmed.fetch_add(1, Ordering::Relaxed);
            } else {
                assert!(
                    matches!(
                        code(&c.error),
                        Some(
                            ErrorCode::PaymentNotApproved
                                | ErrorCode::ReservationExpired
                                | ErrorCode::FailedPrecondition
                        )
                    ),
                    "{:?}",
                    c.error
                );
            }
        }
    });
    join_all(buyers).await;
    // Every hold has ended by now plus one sweep.
    tokio::time::sleep(Duration::from_millis(1_000 + 2 * 250 + 100)).await;

    let b = &f.backends;
    b.inventory.check().unwrap();
    let counts = b.inventory.counts("evt", None).unwrap();
    let sold = b.inventory.sold_seats("evt");
    let all = b.reservations.all().await;
    let confirmed_rs: Vec<_> = all
        .iter()
        .filter(|r| r.status == rsvpb::ReservationStatus::Confirmed as i32)
        .collect();
    let seats_of_confirmed: usize = confirmed_rs.iter().map(|r| r.seats.len()).sum();
    eprintln!(
        "oversell test: {BUYERS} attempts, {} holds, {} conflicts, {} confirmed reservations, {} seats sold of {SEATS}",
        holds.load(Ordering::Relaxed),
        conflicts.load(Ordering::Relaxed),
        confirmed.load(Ordering::Relaxed),
        sold.len()
    );
    assert!(sold.len() as u64 <= SEATS);
    assert_eq!(
        sold.len(),
        seats_of_confirmed,
        "sold seats belong to confirmed reservations"
    );
    assert_eq!(confirmed_rs.len(), confirmed.load(Ordering::Relaxed));
    let owners: HashMap<&String, &String> = sold.iter().map(|(s, r)| (s, r)).collect();
    assert_eq!(owners.len(), sold.len(), "a seat sold twice");
    for r in &confirmed_rs {
        for seat in &r.seats {
            assert_eq!(
                owners.get(&seat.id),
                Some(&&r.reservation_id),
                "seat {} owner",
                seat.id
            );
        }
        let p = b
            .payments
            .get(&r.payment_intent_id)
            .expect("confirmed with a payment");
        assert_eq!(p.status, paypb::PaymentStatus::Completed as i32);
        assert_eq!(p.amount, r.total_amount);
        assert_eq!(p.reservation_id, r.reservation_id);
    }
    assert_eq!(
        counts.held, 0,
        "a seat is still held after the TTL and a sweep"
    );
    assert_eq!(counts.sold + counts.available, counts.total);
    assert!(holds.load(Ordering::Relaxed) > 0 && conflicts.load(Ordering::Relaxed) > 0);
    assert!(!confirmed_rs.is_empty(), "nobody managed to buy");
}

#[tokio::test]
async fn an_expired_hold_releases_its_seats_and_a_late_payment_is_refunded() {
    let f = start(4, &["--hold-secs", "1", "--payment-long-delay-ms", "1500"]).await;
    let r = f.reserve("u1", &["A-1-1", "A-1-2"], 0).await;
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(r.total_amount.as_ref().unwrap().amount, 2_000);
    assert_eq!(f.available().await, 2);
    // The DELAY scenario settles after the hold has ended.
    let intent = f.pay(&r, paypb::PaymentScenario::Delay, "").await;
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    assert_eq!(
        f.status_of(&r.reservation_id).await,
        rsvpb::ReservationStatus::Expired
    );
    assert_eq!(f.available().await, 4);
    // Someone else can now take those seats.
    let other = f.reserve("u2", &["A-1-1"], 0).await;
    assert!(other.error.is_none(), "{:?}", other.error);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let c = f.confirm(&r.reservation_id, &intent).await;
    assert_eq!(code(&c.error), Some(ErrorCode::ReservationExpired));
    assert_eq!(
        f.payment_status(&intent).await,
        paypb::PaymentStatus::Refunded
    );
}

#[tokio::test]
async fn confirm_requires_a_completed_payment_of_the_right_amount_and_is_idempotent() {
    let f = start(4, &["--payment-delay-ms", "30"]).await;
    let r = f.reserve("u1", &[], 2).await;
    assert!(r.error.is_none());
    // Still pending: the timeout scenario never settles.
    let pending = f.pay(&r, paypb::PaymentScenario::Timeout, "").await;
    assert_eq!(
        code(&f.confirm(&r.reservation_id, &pending).await.error),
        Some(ErrorCode::PaymentNotApproved)
    );
    // A completed payment of another amount does not pay for it.
    let mut cheap = r.clone();
    cheap.total_amount.as_mut().unwrap().amount = 1;
    let wrong = f.pay(&cheap, paypb::PaymentScenario::Approve, "").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        f.payment_status(&wrong).await,
        paypb::PaymentStatus::Completed
    );
    assert_eq!(
        code(&f.confirm(&r.reservation_id, &wrong).await.error),
        Some(ErrorCode::PaymentNotApproved)
    );
    let right = f.pay(&r, paypb::PaymentScenario::Approve, "").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let first = f.confirm(&r.reservation_id, &right).await;
    assert!(first.error.is_none(), "{:?}", first.error);
    assert!(first.order_id.starts_with("ord_"));
    let again = f.confirm(&r.reservation_id, &right).await;
    assert_eq!(again.order_id, first.order_id, "confirm is idempotent");
    assert_eq!(f.available().await, 2);
    // A confirmed reservation cannot be cancelled; sold seats stay sold.
    let c = f.cancel(&r.reservation_id, "u1").await;
    assert_eq!(code(&c.error), Some(ErrorCode::FailedPrecondition));
    assert_eq!(f.available().await, 2);
}

#[tokio::test]
async fn a_failed_payment_fails_the_reservation_and_frees_its_seats() {
    let f = start(2, &["--payment-delay-ms", "30"]).await;
    let r = f.reserve("u1", &[], 2).await;
    let intent = f.pay(&r, paypb::PaymentScenario::Fail, "").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        f.payment_status(&intent).await,
        paypb::PaymentStatus::Failed
    );
    assert_eq!(
        f.status_of(&r.reservation_id).await,
        rsvpb::ReservationStatus::Failed
    );
    assert_eq!(f.available().await, 2);
}

type Received = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A webhook receiver on a loopback port that refuses the first `refuse` deliveries.
async fn receiver(refuse: usize) -> (String, Received) {
    let got: Received = Arc::default();
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let seen = seen.clone();
            async move {
                let mut seen = seen.lock();
                seen.push((headers, body));
                if seen.len() <= refuse {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}

#[tokio::test]
async fn settled_payments_send_a_signed_webhook_and_retry_until_it_is_taken() {
    let f = start(2, &["--payment-delay-ms", "20"]).await;
    let (url, got) = receiver(1).await;
    let r = f.reserve("u1", &["A-1-2"], 0).await;
    let intent = f.pay(&r, paypb::PaymentScenario::Approve, &url).await;
    for _ in 0..40 {
        if got.lock().len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let got = got.lock();
    assert_eq!(got.len(), 2, "one refused delivery, one retry");
    let (headers, body) = &got[1];
    assert_eq!(headers["x-webhook-attempt"], "2");
    let signature = headers[SIGNATURE_HEADER].to_str().unwrap();
    assert!(verify_webhook_signature(
        DEV_WEBHOOK_SECRET,
        body,
        signature
    ));
    assert!(!verify_webhook_signature("another-secret", body, signature));
    let json: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(json["payment_id"], intent.as_str());
    assert_eq!(json["reservation_id"], r.reservation_id.as_str());
    assert_eq!(json["status"], "PAYMENT_STATUS_COMPLETED");
    assert_eq!(json["amount"], 1000);
    assert_eq!(json["currency"], "KRW");
    assert_eq!(json["event_type"], "payment.status_updated");
    let sent: HashSet<&Bytes> = got.iter().map(|(_, b)| b).collect();
    assert_eq!(sent.len(), 1, "retries resend the same signed body");
}

#[tokio::test]
async fn a_payment_whose_webhook_never_gets_through_is_retried_for_the_hold_then_refunded() {
    let f = start(2, &["--payment-delay-ms", "20", "--hold-secs", "3"]).await;
    let (url, got) = receiver(usize::MAX).await;
    let r = f.reserve("u1", &["A-1-1"], 0).await;
    let intent = f.pay(&r, paypb::PaymentScenario::Approve, &url).await;
    tokio::time::sleep(Duration::from_millis(3_600)).await;
    f.backends.reservations.sweep().await;
    // Nobody confirmed: the hold expired, and the money went back.
    assert_eq!(
        f.status_of(&r.reservation_id).await,
        rsvpb::ReservationStatus::Expired
    );
    assert_eq!(
        f.payment_status(&intent).await,
        paypb::PaymentStatus::Refunded
    );
    // Delivery was tried all along the hold (at 0, 0.5 and 1.5 s; the next, at 3.5 s, would
    // have come after it), then given up.
    let tries = got.lock().len();
    assert_eq!(tries, 3, "{tries} deliveries");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(got.lock().len(), tries, "no delivery after the hold");
}

#[tokio::test]
async fn usher_backends_serves_the_three_services_on_its_own() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_usher"))
        .args(["backends", "--listen", &format!("127.0.0.1:{port}")])
        .env("LOG_LEVEL", "warn")
        .spawn()
        .expect("usher runs");
    let channel = Channel::from_shared(format!("http://127.0.0.1:{port}")).unwrap();
    let mut connected = None;
    for _ in 0..100 {
        if let Ok(c) = channel.connect().await {
            connected = Some(c);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let client = Client {
        channel: connected.expect("usher backends listens"),
        key: None,
    };
    let stats = client
        .inventory()
        .get_inventory_status(rsvpb::GetInventoryStatusRequest {
            event_id: "evt_2025_1001".into(),
            section: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stats.stats.unwrap().total_seats, 10_000);
    assert_eq!(stats.sections.len(), 9);
    let unknown = client
        .payments()
        .get_payment_status(client.for_payment_service(paypb::GetPaymentStatusRequest {
            payment_intent_id: "pay_nope".into(),
            user_id: String::new(),
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(code(&unknown.error), Some(ErrorCode::NotFound));
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test]
async fn a_call_that_names_no_caller_is_refused_and_buyers_see_only_their_own() {
    let f = start(10, &[]).await;
    let r = f.reserve("alice", &["A-1-1"], 0).await;
    let id = r.reservation_id;
    let get = |user: &str| rsvpb::GetReservationRequest {
        reservation_id: id.clone(),
        user_id: user.into(),
    };
    // No user and no mark: nobody, not "anyone".
    let err = f.reservations().get_reservation(get("")).await.unwrap_err();
    assert_eq!(err.code(), tonic::Code::PermissionDenied);
    let err = f
        .reservations()
        .cancel_reservation(rsvpb::CancelReservationRequest {
            reservation_id: id.clone(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::PermissionDenied);
    // Another buyer is refused; the owner and the payment service see it.
    let other = f
        .reservations()
        .get_reservation(get("mallory"))
        .await
        .unwrap();
    assert_eq!(code(&other.into_inner().error), Some(ErrorCode::Forbidden));
    let mine = f
        .reservations()
        .get_reservation(get("alice"))
        .await
        .unwrap();
    assert!(mine.into_inner().reservation.is_some());
    assert_eq!(f.status_of(&id).await, rsvpb::ReservationStatus::Hold);
}

#[tokio::test]
async fn a_buyer_holds_at_most_the_per_buyer_limit_across_reservations() {
    let f = start(50, &["--max-seats-per-buyer", "4"]).await;
    assert!(f.reserve("mallory", &[], 3).await.error.is_none());
    let over = f.reserve("mallory", &[], 2).await;
    assert_eq!(code(&over.error), Some(ErrorCode::FailedPrecondition));
    assert!(f.reserve("mallory", &[], 1).await.error.is_none());
    assert!(f.reserve("alice", &[], 4).await.error.is_none());
    assert_eq!(f.available().await, 50 - 8);
}

#[tokio::test]
async fn with_a_key_the_backends_refuse_calls_without_it() {
    let f = start(10, &["--backends-key", "a-shared-backends-key"]).await;
    let err = f
        .inventory()
        .get_inventory_status(rsvpb::GetInventoryStatusRequest {
            event_id: "evt".into(),
            section: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::Unauthenticated);
    let mut req = tonic::Request::new(rsvpb::GetInventoryStatusRequest {
        event_id: "evt".into(),
        section: String::new(),
    });
    req.metadata_mut().insert(
        usher_proto::BACKEND_KEY_METADATA,
        "a-shared-backends-key".parse().unwrap(),
    );
    let stats = f.inventory().get_inventory_status(req).await.unwrap();
    assert_eq!(stats.into_inner().stats.unwrap().total_seats, 10);
}

/// The standard gRPC health service answers without the backends key (probes cannot send it),
/// while every other call needs it.
#[tokio::test]
async fn the_health_service_answers_probes_without_the_key() {
    let remote = Remote::start(&[]).await;
    let mut health =
        tonic_health::pb::health_client::HealthClient::new(remote.client.channel.clone());
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .status;
    assert_eq!(
        status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
    let refused =
        rsvpb::inventory_service_client::InventoryServiceClient::new(remote.client.channel.clone())
            .get_inventory_status(rsvpb::GetInventoryStatusRequest {
                event_id: "evt".into(),
                section: String::new(),
            })
            .await
            .unwrap_err();
    assert_eq!(refused.code(), tonic::Code::Unauthenticated);
}

/// One `usher backends` process of the harness (which requires its key) and a client of it.
struct Remote {
    _process: BackendsProcess,
    client: Client,
}

impl Remote {
    async fn start(env: &[(&str, &str)]) -> Self {
        let process = BackendsProcess::start_with(env).await;
        let channel = Channel::from_shared(format!("http://127.0.0.1:{}", process.port))
            .unwrap()
            .connect()
            .await
            .unwrap();
        Self {
            _process: process,
            client: Client {
                channel,
                key: Some(BACKENDS_KEY),
            },
        }
    }
}

#[tokio::test]
async fn usher_backends_killed_mid_payment_settles_it_after_a_restart_and_never_resells_the_seat() {
    let dir = venue_dir(3);
    let venue = venue(&dir);
    let data = dir.path().join("data");
    // The payment settles 2.5 s after it is made, well inside the 15 s hold: the process dies
    // before, and its successor settles it, so the sale ends confirmed.
    let env = [
        ("USHER_DATA_DIR", data.to_str().unwrap()),
        ("USHER_INVENTORY_FILE", venue.to_str().unwrap()),
        ("USHER_HOLD_SECS", "15"),
        ("USHER_PAYMENT_DELAY_MS", "2500"),
    ];
    let (url, got) = receiver(0).await;
    let first = Remote::start(&env).await;
    let r = first.reserve("alice", &["A-1-1"], 0).await;
    assert_eq!(r.status, rsvpb::ReservationStatus::Hold as i32);
    let intent = first
        .payments()
        .create_payment_intent(
            first.for_payment_service(paypb::CreatePaymentIntentRequest {
                reservation_id: r.reservation_id.clone(),
                amount: r.total_amount.clone(),
                user_id: "alice".into(),
                scenario: paypb::PaymentScenario::Approve as i32,
                webhook_url: url,
                idempotency_key: "alice-pays".into(),
                ..Default::default()
            }),
        )
        .await
        .unwrap()
        .into_inner()
        .payment_intent_id;
    assert_eq!(
        first.payment_status(&intent).await,
        paypb::PaymentStatus::Pending
    );
    drop(first); // SIGKILL, with the payment processing

    let second = Remote::start(&env).await;
    let kept = second.reservation(&r.reservation_id).await;
    assert_eq!(kept.status, rsvpb::ReservationStatus::Hold as i32);
    assert_eq!(kept.hold_expires_at, r.hold_expires_at);
    assert_eq!(
        second.payment_status(&intent).await,
        paypb::PaymentStatus::Pending
    );
    assert_eq!(second.seats().await, (2, 1, 0));
    // The restarted simulator settles the payment and sends its webhook.
    let mut webhook = None;
    for _ in 0..100 {
        if let Some((_, body)) = got.lock().first() {
            webhook = Some(String::from_utf8(body.to_vec()).unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let webhook = webhook.expect("the payment settled after the restart and its webhook came");
    assert!(
        webhook.contains(&intent) && webhook.contains("COMPLETED"),
        "{webhook}"
    );
    // What the gateway does with it.
    let order = second.confirm(&r.reservation_id, &intent).await;
    assert_eq!(
        order.status,
        rsvpb::ReservationStatus::Confirmed as i32,
        "{:?}",
        order.error
    );
    // The seat is sold, once: another buyer cannot have it, and the counts add up.
    let taken = second.reserve("bob", &["A-1-1"], 0).await;
    assert_eq!(code(&taken.error), Some(ErrorCode::InventoryConflict));
    let too_many = second.reserve("bob", &[], 3).await;
    assert_eq!(
        code(&too_many.error),
        Some(ErrorCode::InsufficientInventory)
    );
    assert_eq!(second.seats().await, (2, 0, 1));
    drop(second); // SIGKILL again, right after the sale

    let third = Remote::start(&env).await;
    assert_eq!(
        third.reservation(&r.reservation_id).await.status,
        rsvpb::ReservationStatus::Confirmed as i32
    );
    assert_eq!(
        third.payment_status(&intent).await,
        paypb::PaymentStatus::Completed
    );
    assert_eq!(third.seats().await, (2, 0, 1));
    let taken = third.reserve("bob", &["A-1-1"], 0).await;
    assert_eq!(code(&taken.error), Some(ErrorCode::InventoryConflict));
}

/// One life of the backends with a data directory: the backends on their own Tokio runtime,
/// served over real gRPC on a loopback port. Ending a life drops the runtime and every task on
/// it (server, timers, webhook deliveries) without any shutdown, as a crash would, which also
/// closes the state file so the next life can open it. Fields drop in order: the client, our
/// handle, then the runtime with every task, and with them the last handle of the state file.
struct Life {
    client: Client,
    backends: Arc<Backends>,
    rt: Runtime,
}

impl Life {
    /// The backends on the venue of `dir` (a [`venue_dir`]) with `dir` as their data directory.
    fn start(dir: &TempDir, flags: &[&str]) -> Self {
        let mut argv = vec!["--data-dir", dir.path().to_str().unwrap()];
        argv.extend_from_slice(flags);
        let settings = settings(&venue(dir), &argv);
        let rt = Runtime::new().unwrap();
        let (backends, client) = rt.block_on(serve(&settings, std::future::pending()));
        Self {
            client,
            backends,
            rt,
        }
    }

    fn run<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }
}

/// Milliseconds since the Unix epoch of a timestamp.
fn ms(t: &Option<prost_types::Timestamp>) -> u64 {
    let t = t.as_ref().unwrap();
    t.seconds as u64 * 1_000 + t.nanos as u64 / 1_000_000
}

#[test]
fn a_restart_keeps_reservations_seats_claims_and_payments() {
    let dir = venue_dir(10);
    let flags = [
        "--hold-secs",
        "3",
        "--payment-delay-ms",
        "50",
        "--payment-long-delay-ms",
        "1500",
    ];
    let first = Life::start(&dir, &flags);
    let (held, confirmed, order, cancelled, pair, waiting, intent) = first.run(async {
        let held = first
            .reserve_idempotently("alice", &["A-1-1"], 0, "alice-1")
            .await;
        assert_eq!(held.status, ReservationStatus::Hold as i32);
        let confirmed = first.reserve("bob", &["A-1-2"], 0).await;
        let paid = first
            .pay_idempotently(&confirmed, paypb::PaymentScenario::Approve, "bob-pay", "")
            .await;
        first.payment_becomes(&paid, PaymentStatus::Completed).await;
        let order = first.confirm(&confirmed.reservation_id, &paid).await;
        assert_eq!(order.status, ReservationStatus::Confirmed as i32);
        let cancelled = first.reserve("carol", &["A-1-3"], 0).await;
        let c = first.cancel(&cancelled.reservation_id, "carol").await;
        assert_eq!(c.status, ReservationStatus::Cancelled as i32);
        let pair = first.reserve("dave", &["A-1-4", "A-1-5"], 0).await;
        // A payment still processing when the process goes.
        let waiting = first.reserve("erin", &["A-1-6"], 0).await;
        let intent = first
            .pay_idempotently(&waiting, paypb::PaymentScenario::Delay, "erin-pay", "")
            .await;
        assert_eq!(first.seats().await, (10 - 5, 4, 1));
        (
            held,
            confirmed,
            order.order_id,
            cancelled,
            pair,
            waiting,
            intent,
        )
    });
    // The process lives on for a while: a hold restarted at restart would outlast its deadline.
    std::thread::sleep(Duration::from_millis(800));
    drop(first);

    let second = Life::start(&dir, &flags);
    second.run(async {
        // Every reservation as it was, holds with their original deadline.
        let h = second.reservation(&held.reservation_id).await;
        assert_eq!(h.status, ReservationStatus::Hold as i32);
        assert_eq!(ms(&h.hold_expires_at), ms(&held.hold_expires_at));
        let c = second.reservation(&confirmed.reservation_id).await;
        assert_eq!(c.status, ReservationStatus::Confirmed as i32);
        assert_eq!(c.order_id, order);
        assert_eq!(
            second.status_of(&cancelled.reservation_id).await,
            ReservationStatus::Cancelled
        );
        assert_eq!(
            second.status_of(&pair.reservation_id).await,
            ReservationStatus::Hold
        );
        assert_eq!(second.seats().await, (5, 4, 1));
        // The same request with the same key is the same reservation; no seat is held twice.
        let again = second
            .reserve_idempotently("alice", &["A-1-1"], 0, "alice-1")
            .await;
        assert_eq!(again.reservation_id, held.reservation_id);
        assert_eq!(second.seats().await, (5, 4, 1));
        // A sold seat is not sold again, nor is a held one held twice.
        let sold = second.reserve("frank", &["A-1-2"], 0).await;
        assert_eq!(code(&sold.error), Some(ErrorCode::InventoryConflict));
        assert_eq!(sold.error.unwrap().details[0].reason, "SOLD");
        let taken = second.reserve("frank", &["A-1-1"], 0).await;
        assert_eq!(taken.error.unwrap().details[0].reason, "HELD");
        // The cancelled seat is free again.
        let freed = second.reserve("frank", &["A-1-3"], 0).await;
        assert!(freed.error.is_none(), "{:?}", freed.error);
        assert_eq!(second.seats().await, (4, 5, 1));
        // The payment's idempotency key still names it, and it settles after the restart.
        assert_eq!(
            second
                .pay_idempotently(&waiting, paypb::PaymentScenario::Delay, "erin-pay", "")
                .await,
            intent
        );
        second
            .payment_becomes(&intent, PaymentStatus::Completed)
            .await;
        let bought = second.confirm(&waiting.reservation_id, &intent).await;
        assert_eq!(bought.status, ReservationStatus::Confirmed as i32);
        assert_eq!(second.seats().await, (4, 4, 2));
        // The held seat comes back at the hold's original deadline, not a restart later.
        let deadline = ms(&held.hold_expires_at);
        let before = deadline.saturating_sub(system_ms() + 300);
        tokio::time::sleep(Duration::from_millis(before)).await;
        assert_eq!(
            second.status_of(&held.reservation_id).await,
            ReservationStatus::Hold
        );
        tokio::time::sleep(Duration::from_millis(deadline + 400 - system_ms())).await;
        assert_eq!(
            second.status_of(&held.reservation_id).await,
            ReservationStatus::Expired
        );
        second.backends.inventory.check().unwrap();
    });
    drop(second);

    // Nothing was lost by the second life either: the confirmed seats stay sold.
    let third = Life::start(&dir, &flags);
    third.run(async {
        assert_eq!(
            third.status_of(&waiting.reservation_id).await,
            ReservationStatus::Confirmed
        );
        let (_, _, sold) = third.seats().await;
        assert_eq!(sold, 2);
        third.backends.inventory.check().unwrap();
    });
}

#[test]
fn a_payment_that_settles_after_its_hold_expired_during_a_restart_is_refunded() {
    let dir = venue_dir(2);
    let flags = ["--hold-secs", "1", "--payment-delay-ms", "1600"];
    let first = Life::start(&dir, &flags);
    let (r, intent) = first.run(async {
        let r = first.reserve("alice", &["A-1-1"], 0).await;
        let intent = first.pay(&r, paypb::PaymentScenario::Approve, "").await;
        (r, intent)
    });
    drop(first);
    // Down past the hold's deadline, back before the payment settles.
    std::thread::sleep(Duration::from_millis(1_100));
    let second = Life::start(&dir, &flags);
    second.run(async {
        assert_eq!(second.payment_status(&intent).await, PaymentStatus::Pending);
        assert_eq!(
            second.status_of(&r.reservation_id).await,
            ReservationStatus::Expired
        );
        assert_eq!(second.seats().await, (2, 0, 0));
        second
            .payment_becomes(&intent, PaymentStatus::Refunded)
            .await;
        let late = second.confirm(&r.reservation_id, &intent).await;
        assert_eq!(code(&late.error), Some(ErrorCode::ReservationExpired));
        assert_eq!(second.seats().await, (2, 0, 0));
    });
}

/// Every webhook body a receiver was sent, and whether it took it.
type Answered = Arc<Mutex<Vec<(bool, String)>>>;

/// A webhook receiver on its own thread (it outlives each life): answers 200 while `accept` is
/// set, 500 otherwise, and records every body it was sent with the status it answered.
fn switched_receiver(accept: Arc<AtomicBool>) -> (String, Answered) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got: Answered = Arc::default();
    let seen = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let line = line.trim_end().to_ascii_lowercase();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("content-length:") {
                    length = n.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let ok = accept.load(Ordering::SeqCst);
            seen.lock().push((ok, String::from_utf8(body).unwrap()));
            let status = if ok {
                "200 OK"
            } else {
                "500 Internal Server Error"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    (url, got)
}

#[test]
fn a_webhook_not_yet_delivered_is_retried_after_a_restart_and_not_after_delivery() {
    let dir = venue_dir(2);
    let flags = ["--hold-secs", "8", "--payment-delay-ms", "50"];
    let accept = Arc::new(AtomicBool::new(false));
    let (url, got) = switched_receiver(accept.clone());
    let first = Life::start(&dir, &flags);
    let (r, intent) = first.run(async {
        let r = first.reserve("alice", &["A-1-1"], 0).await;
        let intent = first.pay(&r, paypb::PaymentScenario::Approve, &url).await;
        first
            .payment_becomes(&intent, PaymentStatus::Completed)
            .await;
        (r, intent)
    });
    // At least one refused delivery, then the process goes before the retry gets through.
    while got.lock().is_empty() {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(first);
    let refused = got.lock().len();
    accept.store(true, Ordering::SeqCst);

    let second = Life::start(&dir, &flags);
    second.run(async {
        for _ in 0..60 {
            if got.lock().iter().any(|(ok, _)| *ok) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let delivered: Vec<String> = got
            .lock()
            .iter()
            .filter(|(ok, _)| *ok)
            .map(|(_, body)| body.clone())
            .collect();
        assert_eq!(delivered.len(), 1, "the retry resumed after the restart");
        assert!(delivered[0].contains(&intent) && delivered[0].contains("COMPLETED"));
        // What the gateway does with the webhook.
        let bought = second.confirm(&r.reservation_id, &intent).await;
        assert_eq!(bought.status, ReservationStatus::Confirmed as i32);
    });
    drop(second);
    let sent = got.lock().len();
    assert!(sent > refused);

    let third = Life::start(&dir, &flags);
    third.run(async {
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_eq!(
            third.status_of(&r.reservation_id).await,
            ReservationStatus::Confirmed
        );
    });
    assert_eq!(
        got.lock().len(),
        sent,
        "a delivered webhook is not sent again"
    );
}

/// Where the state file lives, for the start-up error below.
fn state_file(dir: &Path) -> PathBuf {
    dir.join("backends.redb")
}

#[test]
fn an_unusable_data_dir_is_a_start_up_error_naming_the_file() {
    let dir = venue_dir(1);
    // A directory where the file should be: redb cannot open it.
    std::fs::create_dir_all(state_file(dir.path())).unwrap();
    let settings = settings(&venue(&dir), &["--data-dir", dir.path().to_str().unwrap()]);
    let rt = Runtime::new().unwrap();
    let err = match rt.block_on(async { Backends::new(&settings, None) }) {
        Ok(_) => panic!("the backends started on an unusable data directory"),
        Err(e) => format!("{e:#}"),
    };
    assert!(
        err.contains(state_file(dir.path()).to_str().unwrap()),
        "{err}"
    );
}
