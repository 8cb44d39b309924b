//! The backends with a data directory, across restarts: each "life" is the backends on their own
//! Tokio runtime, served over real gRPC on a loopback port; ending a life drops the runtime and
//! every task on it (server, timers, webhook deliveries) without any shutdown, as a crash
//! would, which also closes the state file so the next life can open it.

use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Parser;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tonic::transport::Channel;
use usher_backends::{BackendSettings, Backends};
use usher_proto::Caller;
use usher_proto::common::v1::ErrorCode;
use usher_proto::payment::v1 as paypb;
use usher_proto::reservation::v1 as rsvpb;

use paypb::PaymentStatus;
use paypb::payment_service_client::PaymentServiceClient;
use rsvpb::ReservationStatus;
use rsvpb::inventory_service_client::InventoryServiceClient;
use rsvpb::reservation_service_client::ReservationServiceClient;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    backends: BackendSettings,
}

/// A data directory with a venue file: event `evt`, one row of `seats` seats at 1,000 KRW.
struct DataDir(PathBuf);

impl DataDir {
    fn new(seats: u32) -> Self {
        let dir =
            std::env::temp_dir().join(format!("usher-backends-restart-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("venue.json"),
            format!(
                r#"{{"events": [{{"event_id": "evt", "name": "test", "sections": [
                {{"id": "A", "rows": 1, "seats_per_row": {seats}, "price": {{"amount": 1000, "currency": "KRW"}}}}
            ]}}]}}"#
            ),
        )
        .unwrap();
        Self(dir)
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One life of the backends. Fields drop in order: the clients, our handle, then the runtime
/// with every task, and with them the last handle of the state file.
struct Life {
    channel: Channel,
    backends: Arc<Backends>,
    rt: Runtime,
}

impl Life {
    fn start(dir: &DataDir, flags: &[&str]) -> Self {
        let venue = dir.0.join("venue.json");
        let mut argv = vec![
            "backends",
            "--inventory-file",
            venue.to_str().unwrap(),
            "--data-dir",
            dir.0.to_str().unwrap(),
        ];
        argv.extend_from_slice(flags);
        let settings = Cli::try_parse_from(argv).unwrap().backends;
        let rt = Runtime::new().unwrap();
        let (backends, channel) = rt.block_on(async {
            let backends = Backends::new(&settings, None).unwrap();
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            backends
                .serve(listener, std::future::pending::<()>())
                .unwrap();
            let channel = Channel::from_shared(format!("http://{addr}"))
                .unwrap()
                .connect()
                .await
                .unwrap();
            (backends, channel)
        });
        Self {
            channel,
            backends,
            rt,
        }
    }

    fn run<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    fn reservations(&self) -> ReservationServiceClient<Channel> {
        ReservationServiceClient::new(self.channel.clone())
    }

    fn payments(&self) -> PaymentServiceClient<Channel> {
        PaymentServiceClient::new(self.channel.clone())
    }

    async fn reserve(
        &self,
        user: &str,
        seats: &[&str],
        quantity: i32,
        key: &str,
    ) -> rsvpb::CreateReservationResponse {
        self.reservations()
            .create_reservation(rsvpb::CreateReservationRequest {
                event_id: "evt".into(),
                seat_ids: seats.iter().map(|s| s.to_string()).collect(),
                quantity,
                user_id: user.into(),
                idempotency_key: key.into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
    }

    async fn pay(
        &self,
        r: &rsvpb::CreateReservationResponse,
        scenario: paypb::PaymentScenario,
        key: &str,
        webhook: &str,
    ) -> String {
        let resp = self
            .payments()
            .create_payment_intent(paypb::CreatePaymentIntentRequest {
                reservation_id: r.reservation_id.clone(),
                amount: r.total_amount.clone(),
                user_id: "payer".into(),
                scenario: scenario as i32,
                idempotency_key: key.into(),
                webhook_url: webhook.into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert!(resp.error.is_none(), "{:?}", resp.error);
        resp.payment_intent_id
    }

    async fn payment(&self, intent: &str) -> PaymentStatus {
        let p = self
            .payments()
            .get_payment_status(as_payment_service(paypb::GetPaymentStatusRequest {
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
            if self.payment(intent).await == want {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("payment {intent} never became {want:?}");
    }

    async fn confirm(&self, reservation: &str, intent: &str) -> rsvpb::ConfirmReservationResponse {
        self.reservations()
            .confirm_reservation(as_payment_service(rsvpb::ConfirmReservationRequest {
                reservation_id: reservation.into(),
                payment_intent_id: intent.into(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
    }

    async fn reservation(&self, id: &str) -> rsvpb::Reservation {
        self.reservations()
            .get_reservation(as_payment_service(rsvpb::GetReservationRequest {
                reservation_id: id.into(),
                user_id: String::new(),
            }))
            .await
            .unwrap()
            .into_inner()
            .reservation
            .unwrap()
    }

    async fn status(&self, id: &str) -> ReservationStatus {
        ReservationStatus::try_from(self.reservation(id).await.status).unwrap()
    }

    /// (available, held, sold) seats of `evt`.
    async fn seats(&self) -> (i32, i32, i32) {
        let s = InventoryServiceClient::new(self.channel.clone())
            .get_inventory_status(rsvpb::GetInventoryStatusRequest {
                event_id: "evt".into(),
                section: String::new(),
            })
            .await
            .unwrap()
            .into_inner()
            .stats
            .unwrap();
        (s.available_seats, s.reserved_seats, s.sold_seats)
    }
}

fn as_payment_service<T>(message: T) -> tonic::Request<T> {
    let mut req = tonic::Request::new(message);
    req.metadata_mut()
        .insert(Caller::METADATA, Caller::PAYMENT_SERVICE.parse().unwrap());
    req
}

fn code(e: &Option<usher_proto::common::v1::Error>) -> Option<ErrorCode> {
    e.as_ref().map(|e| ErrorCode::try_from(e.code).unwrap())
}

fn ms(t: &Option<prost_types::Timestamp>) -> u64 {
    let t = t.as_ref().unwrap();
    t.seconds as u64 * 1_000 + t.nanos as u64 / 1_000_000
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

#[test]
fn a_restart_keeps_reservations_seats_claims_and_payments() {
    let dir = DataDir::new(10);
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
        let held = first.reserve("alice", &["A-1-1"], 0, "alice-1").await;
        assert_eq!(held.status, ReservationStatus::Hold as i32);
        let confirmed = first.reserve("bob", &["A-1-2"], 0, "").await;
        let paid = first
            .pay(&confirmed, paypb::PaymentScenario::Approve, "bob-pay", "")
            .await;
        first.payment_becomes(&paid, PaymentStatus::Completed).await;
        let order = first.confirm(&confirmed.reservation_id, &paid).await;
        assert_eq!(order.status, ReservationStatus::Confirmed as i32);
        let cancelled = first.reserve("carol", &["A-1-3"], 0, "").await;
        let c = first
            .reservations()
            .cancel_reservation(rsvpb::CancelReservationRequest {
                reservation_id: cancelled.reservation_id.clone(),
                user_id: "carol".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(c.status, ReservationStatus::Cancelled as i32);
        let pair = first.reserve("dave", &["A-1-4", "A-1-5"], 0, "").await;
        // A payment still processing when the process goes.
        let waiting = first.reserve("erin", &["A-1-6"], 0, "").await;
        let intent = first
            .pay(&waiting, paypb::PaymentScenario::Delay, "erin-pay", "")
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
            second.status(&cancelled.reservation_id).await,
            ReservationStatus::Cancelled
        );
        assert_eq!(
            second.status(&pair.reservation_id).await,
            ReservationStatus::Hold
        );
        assert_eq!(second.seats().await, (5, 4, 1));
        // The same request with the same key is the same reservation; no seat is held twice.
        let again = second.reserve("alice", &["A-1-1"], 0, "alice-1").await;
        assert_eq!(again.reservation_id, held.reservation_id);
        assert_eq!(second.seats().await, (5, 4, 1));
        // A sold seat is not sold again, nor is a held one held twice.
        let sold = second.reserve("frank", &["A-1-2"], 0, "").await;
        assert_eq!(code(&sold.error), Some(ErrorCode::InventoryConflict));
        assert_eq!(sold.error.unwrap().details[0].reason, "SOLD");
        let taken = second.reserve("frank", &["A-1-1"], 0, "").await;
        assert_eq!(taken.error.unwrap().details[0].reason, "HELD");
        // The cancelled seat is free again.
        let freed = second.reserve("frank", &["A-1-3"], 0, "").await;
        assert!(freed.error.is_none(), "{:?}", freed.error);
        assert_eq!(second.seats().await, (4, 5, 1));
        // The payment's idempotency key still names it, and it settles after the restart.
        assert_eq!(
            second
                .pay(&waiting, paypb::PaymentScenario::Delay, "erin-pay", "")
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
        let before = deadline.saturating_sub(now_ms() + 300);
        tokio::time::sleep(Duration::from_millis(before)).await;
        assert_eq!(
            second.status(&held.reservation_id).await,
            ReservationStatus::Hold
        );
        tokio::time::sleep(Duration::from_millis(deadline + 400 - now_ms())).await;
        assert_eq!(
            second.status(&held.reservation_id).await,
            ReservationStatus::Expired
        );
        second.backends.inventory.check().unwrap();
    });
    drop(second);

    // Nothing was lost by the second life either: the confirmed seats stay sold.
    let third = Life::start(&dir, &flags);
    third.run(async {
        assert_eq!(
            third.status(&waiting.reservation_id).await,
            ReservationStatus::Confirmed
        );
        let (_, _, sold) = third.seats().await;
        assert_eq!(sold, 2);
        third.backends.inventory.check().unwrap();
    });
}

#[test]
fn a_payment_that_settles_after_its_hold_expired_during_a_restart_is_refunded() {
    let dir = DataDir::new(2);
    let flags = ["--hold-secs", "1", "--payment-delay-ms", "1600"];
    let first = Life::start(&dir, &flags);
    let (r, intent) = first.run(async {
        let r = first.reserve("alice", &["A-1-1"], 0, "").await;
        let intent = first.pay(&r, paypb::PaymentScenario::Approve, "", "").await;
        (r, intent)
    });
    drop(first);
    // Down past the hold's deadline, back before the payment settles.
    std::thread::sleep(Duration::from_millis(1_100));
    let second = Life::start(&dir, &flags);
    second.run(async {
        assert_eq!(second.payment(&intent).await, PaymentStatus::Pending);
        assert_eq!(
            second.status(&r.reservation_id).await,
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
type Received = Arc<Mutex<Vec<(bool, String)>>>;

/// A webhook receiver on its own thread (it outlives each life): answers 200 while `accept` is
/// set, 500 otherwise, and records every body it was sent with the status it answered.
fn webhook_receiver(accept: Arc<AtomicBool>) -> (String, Received) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got: Received = Arc::default();
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
            seen.lock()
                .unwrap()
                .push((ok, String::from_utf8(body).unwrap()));
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
    let dir = DataDir::new(2);
    let flags = ["--hold-secs", "8", "--payment-delay-ms", "50"];
    let accept = Arc::new(AtomicBool::new(false));
    let (url, got) = webhook_receiver(accept.clone());
    let first = Life::start(&dir, &flags);
    let (r, intent) = first.run(async {
        let r = first.reserve("alice", &["A-1-1"], 0, "").await;
        let intent = first
            .pay(&r, paypb::PaymentScenario::Approve, "", &url)
            .await;
        first
            .payment_becomes(&intent, PaymentStatus::Completed)
            .await;
        (r, intent)
    });
    // At least one refused delivery, then the process goes before the retry gets through.
    while got.lock().unwrap().is_empty() {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(first);
    let refused = got.lock().unwrap().len();
    accept.store(true, Ordering::SeqCst);

    let second = Life::start(&dir, &flags);
    second.run(async {
        for _ in 0..60 {
            if got.lock().unwrap().iter().any(|(ok, _)| *ok) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let delivered: Vec<String> = got
            .lock()
            .unwrap()
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
    let sent = got.lock().unwrap().len();
    assert!(sent > refused);

    let third = Life::start(&dir, &flags);
    third.run(async {
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_eq!(
            third.status(&r.reservation_id).await,
            ReservationStatus::Confirmed
        );
    });
    assert_eq!(
        got.lock().unwrap().len(),
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
    let dir = DataDir::new(1);
    // A directory where the file should be: redb cannot open it.
    std::fs::create_dir_all(state_file(&dir.0)).unwrap();
    let venue = dir.0.join("venue.json");
    let settings = Cli::try_parse_from([
        "backends",
        "--inventory-file",
        venue.to_str().unwrap(),
        "--data-dir",
        dir.0.to_str().unwrap(),
    ])
    .unwrap()
    .backends;
    let rt = Runtime::new().unwrap();
    let err = match rt.block_on(async { Backends::new(&settings, None) }) {
        Ok(_) => panic!("the backends started on an unusable data directory"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains(state_file(&dir.0).to_str().unwrap()), "{err}");
}
