//! Reservations: `reservation.v1.ReservationService`.
//!
//! A reservation holds seats for a limited time (`USHER_HOLD_SECS`, 60 s) and ends exactly one
//! way: CONFIRMED (paid: the payment is COMPLETED for the right amount and the inventory sold
//! the seats), CANCELLED, EXPIRED (the hold ran out; seats released) or FAILED (the payment
//! failed; seats released). Confirm, cancel and expiry of one reservation are serialised by its
//! own lock, and the inventory independently refuses to sell an expired hold, so a confirm that
//! races the expiry ends either confirmed with the seats sold or expired with them free.
//!
//! A payment approved after its reservation ended is refunded.
//!
//! With a data directory every reservation is written to the journal whole at each change (its
//! creation and its end ride in the inventory's batch for its seats), with the idempotency
//! claim of the request that created it, and read back at start: holds expire at their
//! original deadline. Payments settled while their outcome was not yet followed up (the process
//! died in between) are followed up at start (`Reservations::resume`). Events go out as
//! memory changes; answers only once the change is on disk.
//!
//! [`Reservations`] (here) is the life cycle; [`ReservationApi`] (`grpc.rs`) serves it as
//! `reservation.v1.ReservationService`.

mod grpc;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use tokio::sync::broadcast;
use tonic::Status;
use tracing::{debug, warn};
use usher_durable::{Pending, Write};
use usher_proto::Caller;
use usher_proto::common::v1::{Error as PbError, ErrorCode, Money};
use usher_proto::payment::v1::PaymentStatus;
use usher_proto::reservation::v1 as pb;

use crate::clock::{millis, now_ms, timestamp};
use crate::events::{BackendEvent, EventKind};
use crate::inventory::{CommitOutcome, Granted, Inventory};
use crate::journal::{Journal, RESERVATION_KEYS, RESERVATIONS, durable, pair, put};
use crate::new_id;
use crate::payment::Payments;
use crate::rpc::in_band;
pub use grpc::ReservationApi;
use pb::ReservationStatus;

/// How often expired holds are swept.
pub const SWEEP_INTERVAL: Duration = Duration::from_millis(250);

type Record = Arc<tokio::sync::Mutex<pb::Reservation>>;
/// `(user, idempotency key)` of a create request.
type IdempotencyKey = (String, String);

/// A create request's claim on its idempotency key: the fingerprint of the request that first
/// used it, and the reservation it created. Memory and the journal keep the same record.
#[derive(Clone, PartialEq, prost::Message)]
struct Claim {
    #[prost(string, tag = "1")]
    user_id: String,
    #[prost(string, tag = "2")]
    key: String,
    #[prost(bytes = "vec", tag = "3")]
    fingerprint: Vec<u8>,
    #[prost(string, tag = "4")]
    reservation_id: String,
}

impl Claim {
    /// The journal's write of the claim.
    fn write(&self) -> Write {
        put(RESERVATION_KEYS, pair(&self.user_id, &self.key), self)
    }
}

/// The journal's write of a reservation as it is now.
fn save(r: &pb::Reservation) -> Write {
    put(RESERVATIONS, r.reservation_id.as_bytes().to_vec(), r)
}

/// The reservation service's state.
pub struct Reservations {
    inventory: Arc<Inventory>,
    payments: Arc<Payments>,
    hold_ms: u64,
    items: Mutex<HashMap<String, Record>>,
    /// `(hold deadline, reservation id)` of reservations on hold, soonest first.
    expiries: Mutex<BTreeSet<(u64, String)>>,
    idempotency: Mutex<HashMap<IdempotencyKey, Claim>>,
    bus: broadcast::Sender<BackendEvent>,
}

fn fail(code: ErrorCode, message: &str) -> Option<PbError> {
    Some(in_band(code, message))
}

fn is(r: &pb::Reservation, s: ReservationStatus) -> bool {
    r.status == s as i32
}

impl Reservations {
    /// The service, with the reservations and claims the journal kept (none in memory); holds
    /// read back expire at their original deadline. Its changes reach the journal in the
    /// inventory's batches, with the seats they change.
    pub(crate) fn new(
        inventory: Arc<Inventory>,
        payments: Arc<Payments>,
        hold_ms: u64,
        bus: broadcast::Sender<BackendEvent>,
        journal: &Journal,
    ) -> anyhow::Result<Arc<Self>> {
        let mut items = HashMap::new();
        let mut expiries = BTreeSet::new();
        for r in journal.load::<pb::Reservation>(RESERVATIONS)? {
            if is(&r, ReservationStatus::Hold) {
                let deadline = r.hold_expires_at.as_ref().map_or(0, millis);
                expiries.insert((deadline, r.reservation_id.clone()));
            }
            items.insert(
                r.reservation_id.clone(),
                Arc::new(tokio::sync::Mutex::new(r)),
            );
        }
        let idempotency = journal
            .load::<Claim>(RESERVATION_KEYS)?
            .into_iter()
            .map(|c| ((c.user_id.clone(), c.key.clone()), c))
            .collect();
        Ok(Arc::new(Self {
            inventory,
            payments,
            hold_ms,
            items: Mutex::new(items),
            expiries: Mutex::new(expiries),
            idempotency: Mutex::new(idempotency),
            bus,
        }))
    }

    /// How long a new hold lasts.
    pub fn hold_ms(&self) -> u64 {
        self.hold_ms
    }

    fn record(&self, id: &str) -> Option<Record> {
        self.items.lock().get(id).cloned()
    }

    /// A reservation's record, locked, if `caller` may see or act on it.
    async fn owned(
        &self,
        id: &str,
        caller: &Caller,
    ) -> Result<tokio::sync::OwnedMutexGuard<pb::Reservation>, PbError> {
        let rec = self
            .record(id)
            .ok_or_else(|| in_band(ErrorCode::NotFound, "reservation not found"))?;
        let r = rec.lock_owned().await;
        if !caller.may_act_on(&r.user_id) {
            return Err(in_band(ErrorCode::Forbidden, "not your reservation"));
        }
        Ok(r)
    }

    fn emit(&self, kind: EventKind, r: &pb::Reservation) {
        let _ = self.bus.send(BackendEvent::reservation(kind, r));
    }

    async fn create(
        &self,
        req: pb::CreateReservationRequest,
    ) -> Result<pb::CreateReservationResponse, Status> {
        if req.event_id.is_empty() || req.user_id.is_empty() {
            return Err(Status::invalid_argument(
                "event_id and user_id are required",
            ));
        }
        let quantity = usize::try_from(req.quantity)
            .map_err(|_| Status::invalid_argument("quantity must not be negative"))?;
        if req.seat_ids.is_empty() && quantity == 0 {
            return Err(Status::invalid_argument("seat_ids or quantity is required"));
        }
        // Idempotent on (user, key): the same request answers with the same reservation.
        let id = new_id("rsv");
        // A reservation token pays for one reservation, so it is a key of its own: a retry
        // after a lost answer finds the reservation it made instead of holding seats twice.
        let dedupe = if req.reservation_token.is_empty() {
            req.idempotency_key.clone()
        } else {
            format!("token:{}", req.reservation_token)
        };
        // The claim's write, made with the reservation's.
        let mut claim = None;
        if !dedupe.is_empty() {
            let mut fingerprint_req = req.clone();
            fingerprint_req.idempotency_key.clear();
            let fingerprint = prost::Message::encode_to_vec(&fingerprint_req);
            let key = (req.user_id.clone(), dedupe.clone());
            let earlier = {
                let mut idem = self.idempotency.lock();
                match idem.get(&key) {
                    Some(c) => Some((c.fingerprint == fingerprint, c.reservation_id.clone())),
                    None => {
                        let c = Claim {
                            user_id: req.user_id.clone(),
                            key: dedupe.clone(),
                            fingerprint,
                            reservation_id: id.clone(),
                        };
                        claim = Some(c.write());
                        idem.insert(key, c);
                        None
                    }
                }
            };
            match earlier {
                Some((false, _)) => {
                    return Ok(pb::CreateReservationResponse {
                        error: fail(
                            ErrorCode::IdempotencyConflict,
                            "idempotency key used for another request",
                        ),
                        ..Default::default()
                    });
                }
                Some((true, existing)) => {
                    return Ok(match self.record(&existing) {
                        Some(r) => Self::created(&*r.lock().await),
                        None => pb::CreateReservationResponse {
                            error: fail(
                                ErrorCode::Unavailable,
                                "the first request is still running; retry",
                            ),
                            ..Default::default()
                        },
                    });
                }
                None => {}
            }
        }
        let now = now_ms();
        let mut made = None;
        let held = self.inventory.hold(
            &req.event_id,
            &req.user_id,
            &id,
            &req.seat_ids,
            quantity,
            None,
            now + self.hold_ms,
            |granted| {
                let r = Self::reservation(&req, &id, now, granted);
                let writes = std::iter::once(save(&r)).chain(claim).collect();
                made = Some(r);
                writes
            },
        );
        let written = match held {
            Ok((_, written)) => written,
            Err(e) => {
                if !dedupe.is_empty() {
                    self.idempotency
                        .lock()
                        .remove(&(req.user_id.clone(), dedupe.clone()));
                }
                let error = e.to_error();
                return Ok(pb::CreateReservationResponse {
                    error: Some(error),
                    ..Default::default()
                });
            }
        };
        let r = made.expect("a granted hold builds its reservation");
        let resp = Self::created(&r);
        self.emit(EventKind::ReservationCreated, &r);
        // Visible only now, after its batch was handed over: every later change of it lands
        // after its creation.
        let deadline = r.hold_expires_at.as_ref().map_or(0, millis);
        self.items
            .lock()
            .insert(id.clone(), Arc::new(tokio::sync::Mutex::new(r)));
        self.expiries.lock().insert((deadline, id));
        durable([written]).await?;
        Ok(resp)
    }

    /// A new reservation `id` on hold, for `req` and the seats `granted` at `now`.
    fn reservation(
        req: &pb::CreateReservationRequest,
        id: &str,
        now: u64,
        granted: &Granted,
    ) -> pb::Reservation {
        let currency = granted
            .seats
            .first()
            .and_then(|s| s.price.as_ref())
            .map(|p| p.currency.clone())
            .unwrap_or_default();
        let total: i64 = granted
            .seats
            .iter()
            .filter_map(|s| s.price.as_ref().map(|p| p.amount))
            .sum();
        pb::Reservation {
            reservation_id: id.to_owned(),
            event_id: req.event_id.clone(),
            user_id: req.user_id.clone(),
            status: ReservationStatus::Hold as i32,
            quantity: granted.seats.len() as i32,
            seats: granted.seats.clone(),
            total_amount: Some(Money {
                amount: total,
                currency,
            }),
            created_at: Some(timestamp(now)),
            updated_at: Some(timestamp(now)),
            hold_expires_at: Some(timestamp(granted.expires_ms)),
            metadata: req.metadata.clone(),
            ..Default::default()
        }
    }

    fn created(r: &pb::Reservation) -> pb::CreateReservationResponse {
        pb::CreateReservationResponse {
            reservation_id: r.reservation_id.clone(),
            status: r.status,
            hold_expires_at: r.hold_expires_at,
            reserved_seats: r.seats.clone(),
            total_amount: r.total_amount.clone(),
            payment_url: format!("/payment?reservation_id={}", r.reservation_id),
            error: None,
        }
    }

    /// Ends a reservation on hold whose deadline passed (called with its lock held): the seats
    /// go back to the pool. Returns whether it expired now.
    ///
    /// Nobody waits for the expiry to be on disk: it follows from the deadline that is, so a
    /// restart that lost it expires the hold again, at the same deadline, and refunds again.
    fn expire_locked(&self, r: &mut pb::Reservation, now: u64) -> bool {
        let due = r.hold_expires_at.as_ref().is_some_and(|t| millis(t) <= now);
        if !is(r, ReservationStatus::Hold) || !due {
            return false;
        }
        let (event, id) = (r.event_id.clone(), r.reservation_id.clone());
        let (_, written) = self.inventory.release(&event, &id, |_| {
            r.status = ReservationStatus::Expired as i32;
            r.updated_at = Some(timestamp(now));
            vec![save(r)]
        });
        drop(written);
        self.emit(EventKind::ReservationExpired, r);
        // Paid, but never confirmed (its webhook never got through): the money goes back.
        for intent in self.payments.completed_for(&r.reservation_id) {
            self.refund(&intent);
        }
        true
    }

    /// Expires every reservation whose hold deadline has passed.
    pub async fn sweep(&self) {
        let now = now_ms();
        let due: Vec<String> = {
            let mut expiries = self.expiries.lock();
            let mut due = Vec::new();
            while let Some((at, _)) = expiries.first()
                && *at <= now
            {
                due.push(expiries.pop_first().expect("non-empty").1);
            }
            due
        };
        for id in due {
            if let Some(rec) = self.record(&id) {
                let mut r = rec.lock().await;
                if self.expire_locked(&mut r, now) {
                    debug!(reservation = %id, "hold expired; seats released");
                }
            }
        }
        self.inventory.sweep();
    }

    /// Refunds a completed payment whose reservation can no longer use it. Nobody waits for
    /// the refund to be on disk: a restart that lost it refunds again ([`Reservations::resume`]).
    fn refund(&self, payment_intent_id: &str) {
        if let Some((p, written)) = self.payments.cancel(payment_intent_id) {
            drop(written);
            debug!(payment = %payment_intent_id, status = p.status, "payment refunded");
        }
    }

    async fn confirm(
        &self,
        caller: &Caller,
        req: pb::ConfirmReservationRequest,
    ) -> Result<pb::ConfirmReservationResponse, Status> {
        let err = |code, m: &str| {
            Ok(pb::ConfirmReservationResponse {
                error: fail(code, m),
                ..Default::default()
            })
        };
        let Some(rec) = self.record(&req.reservation_id) else {
            return err(ErrorCode::NotFound, "reservation not found");
        };
        let mut r = rec.lock().await;
        if !caller.may_act_on(&r.user_id) {
            return err(ErrorCode::Forbidden, "not your reservation");
        }
        if is(&r, ReservationStatus::Confirmed) {
            if r.payment_intent_id == req.payment_intent_id {
                return Ok(Self::confirmed(&r));
            }
            return err(
                ErrorCode::FailedPrecondition,
                "already confirmed with another payment",
            );
        }
        let now = now_ms();
        self.expire_locked(&mut r, now);
        let payment = self.payments.get(&req.payment_intent_id);
        let paid = payment.as_ref().is_some_and(|p| {
            p.status == PaymentStatus::Completed as i32
                && p.reservation_id == r.reservation_id
                && p.amount == r.total_amount
        });
        if is(&r, ReservationStatus::Expired) {
            if paid {
                self.refund(&req.payment_intent_id);
            }
            return err(
                ErrorCode::ReservationExpired,
                "the hold expired; the seats were released",
            );
        }
        if !is(&r, ReservationStatus::Hold) {
            return err(
                ErrorCode::FailedPrecondition,
                "the reservation was cancelled or failed",
            );
        }
        if !paid {
            return err(
                ErrorCode::PaymentNotApproved,
                "the payment is not completed for this reservation and amount",
            );
        }
        let (event, id) = (r.event_id.clone(), r.reservation_id.clone());
        // The reservation's new state lands in the same batch as the sale of its seats.
        let (outcome, written) = self.inventory.commit(&event, &id, |outcome| {
            match outcome {
                CommitOutcome::Sold { order_id, seats } => {
                    r.status = ReservationStatus::Confirmed as i32;
                    r.order_id = order_id.clone();
                    r.payment_intent_id = req.payment_intent_id.clone();
                    r.seats = seats.clone();
                }
                CommitOutcome::Expired | CommitOutcome::UnknownReservation => {
                    r.status = ReservationStatus::Expired as i32;
                }
            }
            r.updated_at = Some(timestamp(now));
            vec![save(&r)]
        });
        let resp = if let CommitOutcome::Sold { .. } = outcome {
            self.emit(EventKind::ReservationConfirmed, &r);
            Ok(Self::confirmed(&r))
        } else {
            self.emit(EventKind::ReservationExpired, &r);
            self.refund(&req.payment_intent_id);
            err(
                ErrorCode::ReservationExpired,
                "the hold expired; the seats were released",
            )
        };
        drop(r);
        durable([written]).await?;
        resp
    }

    /// The answer for a confirmed reservation (the first confirm's, or a repeat's).
    fn confirmed(r: &pb::Reservation) -> pb::ConfirmReservationResponse {
        pb::ConfirmReservationResponse {
            order_id: r.order_id.clone(),
            status: r.status,
            confirmed_at: r.updated_at,
            confirmed_seats: r.seats.clone(),
            error: None,
        }
    }

    /// Ends a reservation on hold as `status` (cancelled or failed), releasing its seats.
    /// Returns the reservation and the change's batch (durable once it resolves), or an error
    /// for one that cannot end that way.
    async fn end(
        &self,
        id: &str,
        caller: &Caller,
        status: ReservationStatus,
    ) -> Result<(pb::Reservation, Pending), PbError> {
        let mut r = self.owned(id, caller).await?;
        let now = now_ms();
        self.expire_locked(&mut r, now);
        if r.status == status as i32 {
            return Ok((r.clone(), Pending::ready()));
        }
        if !is(&r, ReservationStatus::Hold) {
            return Err(in_band(
                ErrorCode::FailedPrecondition,
                "only a reservation on hold can be cancelled",
            ));
        }
        let (event, id) = (r.event_id.clone(), r.reservation_id.clone());
        let (_, written) = self.inventory.release(&event, &id, |_| {
            r.status = status as i32;
            r.updated_at = Some(timestamp(now));
            vec![save(&r)]
        });
        let kind = if status == ReservationStatus::Failed {
            EventKind::ReservationFailed
        } else {
            EventKind::ReservationCancelled
        };
        self.emit(kind, &r);
        Ok((r.clone(), written))
    }

    /// Reacts to payment outcomes: a failed payment fails its reservation; an approved payment
    /// whose reservation has already ended is refunded. Runs until the bus closes.
    pub async fn follow_payments(self: Arc<Self>, mut events: broadcast::Receiver<BackendEvent>) {
        loop {
            let event = match events.recv().await {
                Ok(e) => e,
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    warn!(missed = n, "payment events lagged");
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => return,
            };
            if let Some(intent) = &event.payment_intent_id {
                self.follow_payment(event.kind, &event.reservation_id, intent)
                    .await;
            }
        }
    }

    /// Follows up the settled payments read back at start, as [`Reservations::follow_payments`]
    /// does when they settle: the process may have died after a payment settled and before its
    /// reservation followed (both are idempotent, so following up twice changes nothing).
    pub(crate) async fn resume(self: Arc<Self>) {
        let settled = self.payments.list(|p| {
            p.status == PaymentStatus::Completed as i32 || p.status == PaymentStatus::Failed as i32
        });
        for p in settled {
            let kind = if p.status == PaymentStatus::Completed as i32 {
                EventKind::PaymentApproved
            } else {
                EventKind::PaymentFailed
            };
            self.follow_payment(kind, &p.reservation_id, &p.payment_intent_id)
                .await;
        }
    }

    /// What a payment's outcome does to its reservation. Nobody waits for the change to be on
    /// disk: it follows from the payment's status that is, and [`Reservations::resume`] makes it
    /// again after a restart that lost it.
    async fn follow_payment(&self, kind: EventKind, reservation_id: &str, intent: &str) {
        match kind {
            EventKind::PaymentFailed => {
                match self
                    .end(
                        reservation_id,
                        &Caller::PaymentService,
                        ReservationStatus::Failed,
                    )
                    .await
                {
                    Ok((_, written)) => drop(written),
                    Err(e) => {
                        debug!(reservation = %reservation_id, error = %e.message, "failed payment left the reservation as it was")
                    }
                }
            }
            EventKind::PaymentApproved => {
                let ended = match self.record(reservation_id) {
                    Some(rec) => {
                        let mut r = rec.lock().await;
                        self.expire_locked(&mut r, now_ms());
                        [
                            ReservationStatus::Expired,
                            ReservationStatus::Cancelled,
                            ReservationStatus::Failed,
                        ]
                        .into_iter()
                        .any(|s| is(&r, s))
                    }
                    None => true,
                };
                if ended {
                    self.refund(intent);
                }
            }
            _ => {}
        }
    }

    /// A reservation as its owner may see it (expired on read when its hold ran out).
    pub async fn get(&self, id: &str, caller: &Caller) -> Result<pb::Reservation, PbError> {
        let mut r = self.owned(id, caller).await?;
        self.expire_locked(&mut r, now_ms());
        Ok(r.clone())
    }

    /// Every reservation (for audits and tests).
    pub async fn all(&self) -> Vec<pb::Reservation> {
        let records: Vec<Record> = self.items.lock().values().cloned().collect();
        let mut out = Vec::with_capacity(records.len());
        for rec in records {
            out.push(rec.lock().await.clone());
        }
        out
    }
}
