//! Seat inventory: the zero-oversell core, and `reservation.v1.InventoryService` over it.
//!
//! Seats are the unit of truth. Each event's seats sit behind one mutex, and every multi-seat
//! change (hold, commit, release) happens inside one critical section, all or nothing: either
//! every target seat changes state, or none does. Quantity requests ("any N seats") pick their
//! seats inside that same step, so two buyers can never be promised the same seat.
//!
//! Holds expire: a held seat whose hold has passed its deadline counts as available from that
//! instant (every operation reclaims expired holds first), so seats come back even if nobody
//! sweeps. A sold seat never becomes available again.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use parking_lot::Mutex;
use serde::Deserialize;
use tonic::{Request, Response, Status};

use super::{in_band, new_id, timestamp};
use crate::clock::now_ms;
use crate::proto::common::v1::{
    Error as PbError, ErrorCode, ErrorDetail, Event, Money, Seat, SeatStatus,
};
use crate::proto::reservation::v1 as pb;

/// Most seats one hold may take (as the seed's reservation DTO allowed).
pub const MAX_SEATS_PER_HOLD: usize = 10;

/// The venue file (`USHER_INVENTORY_FILE`).
#[derive(Debug, Clone, Deserialize)]
pub struct InventoryFile {
    pub events: Vec<EventSpec>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EventSpec {
    pub event_id: String,
    pub name: String,
    pub sections: Vec<SectionSpec>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SectionSpec {
    pub id: String,
    pub rows: u32,
    pub seats_per_row: u32,
    pub price: PriceSpec,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PriceSpec {
    /// Minor units (won for KRW).
    pub amount: i64,
    pub currency: String,
}

impl InventoryFile {
    /// The seed's example event: `evt_2025_1001`, 10,000 seats in sections VIP, R, S and A–F.
    pub fn example() -> Self {
        let sections = [
            ("VIP", 10, 40, 150_000),
            ("R", 20, 50, 120_000),
            ("S", 20, 55, 100_000),
            ("A", 25, 50, 90_000),
            ("B", 25, 50, 80_000),
            ("C", 25, 50, 70_000),
            ("D", 25, 50, 60_000),
            ("E", 25, 50, 55_000),
            ("F", 25, 50, 50_000),
        ];
        Self {
            events: vec![EventSpec {
                event_id: "evt_2025_1001".into(),
                name: "Stadium tour 2025, night 1".into(),
                sections: sections
                    .iter()
                    .map(|&(id, rows, seats_per_row, amount)| SectionSpec {
                        id: id.into(),
                        rows,
                        seats_per_row,
                        price: PriceSpec {
                            amount,
                            currency: "KRW".into(),
                        },
                    })
                    .collect(),
            }],
        }
    }

    /// Checks what a file could get wrong: empty or duplicate ids, empty sections, bad prices.
    pub fn validate(&self) -> Result<(), String> {
        let mut events = std::collections::HashSet::new();
        for e in &self.events {
            if e.event_id.is_empty() || !events.insert(&e.event_id) {
                return Err(format!("event id {:?} is empty or repeated", e.event_id));
            }
            let mut sections = std::collections::HashSet::new();
            for s in &e.sections {
                if s.id.is_empty() || s.id.contains('-') || !sections.insert(&s.id) {
                    return Err(format!(
                        "event {}: section id {:?} is empty, repeated or contains '-'",
                        e.event_id, s.id
                    ));
                }
                if s.rows == 0 || s.seats_per_row == 0 || s.price.amount <= 0 {
                    return Err(format!(
                        "event {}: section {} needs rows, seats_per_row and a positive price",
                        e.event_id, s.id
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Where one seat is in its life.
#[derive(Debug, Clone, PartialEq)]
enum SeatState {
    Available,
    Held { reservation: String },
    Sold { reservation: String },
}

#[derive(Debug)]
struct SeatSlot {
    id: String,
    section: usize,
    row: u32,
    number: u32,
    state: SeatState,
}

struct Section {
    id: String,
    price: Money,
    first: usize,
    len: usize,
}

/// One hold: the seats a reservation holds for a buyer until `expires_ms`.
struct Hold {
    hold_id: String,
    buyer: String,
    seats: Vec<usize>,
    expires_ms: u64,
}

/// What became of a reservation's seats after its hold ended (for idempotent answers).
#[derive(Clone)]
enum Ended {
    Committed { order_id: String, seats: Vec<usize> },
    Released,
}

/// One event's seats, behind one lock.
struct Venue {
    event_id: String,
    name: String,
    sections: Vec<Section>,
    seats: Vec<SeatSlot>,
    index: HashMap<String, usize>,
    holds: HashMap<String, Hold>,
    /// `(expires_ms, reservation id)` of every live hold, soonest first.
    expiries: BTreeSet<(u64, String)>,
    ended: HashMap<String, Ended>,
    held: usize,
    sold: usize,
    /// Seats each buyer holds or bought in this event, for the per-buyer limit.
    per_buyer: HashMap<String, usize>,
}

/// Counts of one venue or section.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub available: usize,
    pub held: usize,
    pub sold: usize,
}

/// Why a hold was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum HoldError {
    UnknownEvent,
    Invalid(String),
    /// Specific seats are taken: `(seat id, "HELD" | "SOLD")`.
    Conflict(Vec<(String, &'static str)>),
    /// Fewer than the requested number of seats are free.
    Insufficient {
        remaining: usize,
    },
    /// The buyer would hold or own more than `limit` seats of the event; `has` already.
    BuyerLimit {
        limit: usize,
        has: usize,
    },
}

/// A granted hold.
#[derive(Debug, Clone)]
pub struct Granted {
    pub hold_id: String,
    pub seats: Vec<Seat>,
    pub expires_ms: u64,
}

/// Result of a commit.
#[derive(Debug, Clone, PartialEq)]
pub enum CommitOutcome {
    Sold {
        order_id: String,
        seats: Vec<Seat>,
    },
    /// The hold expired or was released: nothing is sold.
    Expired,
    UnknownReservation,
}

/// Result of a release.
#[derive(Debug, Clone, PartialEq)]
pub enum ReleaseOutcome {
    Released(Vec<Seat>),
    AlreadyEnded,
    NotFound,
}

impl Venue {
    fn new(spec: &EventSpec) -> Self {
        let mut sections = Vec::new();
        let mut seats = Vec::new();
        for (si, s) in spec.sections.iter().enumerate() {
            let first = seats.len();
            for row in 1..=s.rows {
                for number in 1..=s.seats_per_row {
                    seats.push(SeatSlot {
                        id: format!("{}-{row}-{number}", s.id),
                        section: si,
                        row,
                        number,
                        state: SeatState::Available,
                    });
                }
            }
            sections.push(Section {
                id: s.id.clone(),
                price: Money {
                    amount: s.price.amount,
                    currency: s.price.currency.clone(),
                },
                first,
                len: seats.len() - first,
            });
        }
        let index = seats
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        Self {
            event_id: spec.event_id.clone(),
            name: spec.name.clone(),
            sections,
            seats,
            index,
            holds: HashMap::new(),
            expiries: BTreeSet::new(),
            ended: HashMap::new(),
            held: 0,
            sold: 0,
            per_buyer: HashMap::new(),
        }
    }

    fn seat(&self, i: usize) -> Seat {
        let s = &self.seats[i];
        let status = match s.state {
            SeatState::Available => SeatStatus::Available,
            SeatState::Held { .. } => SeatStatus::Reserved,
            SeatState::Sold { .. } => SeatStatus::Sold,
        };
        Seat {
            id: s.id.clone(),
            section: self.sections[s.section].id.clone(),
            row: s.row.to_string(),
            number: s.number.to_string(),
            price: Some(self.sections[s.section].price.clone()),
            status: status as i32,
        }
    }

    /// Ends every hold whose deadline has passed: its seats are available again.
    fn reclaim(&mut self, now_ms: u64) -> usize {
        let mut reclaimed = 0;
        while let Some((at, _)) = self.expiries.first()
            && *at <= now_ms
        {
            let (_, reservation) = self.expiries.pop_first().expect("non-empty");
            reclaimed += self.end_hold(&reservation).len();
        }
        reclaimed
    }

    /// Returns a hold's seats to the available pool.
    fn end_hold(&mut self, reservation: &str) -> Vec<usize> {
        let Some(hold) = self.holds.remove(reservation) else {
            return Vec::new();
        };
        self.expiries
            .remove(&(hold.expires_ms, reservation.to_owned()));
        for &i in &hold.seats {
            debug_assert!(
                matches!(&self.seats[i].state, SeatState::Held { reservation: r } if r == reservation)
            );
            self.seats[i].state = SeatState::Available;
        }
        self.held -= hold.seats.len();
        self.uncount_buyer(&hold.buyer, hold.seats.len());
        self.ended.insert(reservation.to_owned(), Ended::Released);
        hold.seats
    }

    fn uncount_buyer(&mut self, buyer: &str, seats: usize) {
        if let Some(n) = self.per_buyer.get_mut(buyer) {
            *n = n.saturating_sub(seats);
            if *n == 0 {
                self.per_buyer.remove(buyer);
            }
        }
    }

    fn counts(&self, section: Option<usize>) -> Counts {
        let range = match section {
            Some(s) => self.sections[s].first..self.sections[s].first + self.sections[s].len,
            None => 0..self.seats.len(),
        };
        let mut c = Counts {
            total: range.len(),
            ..Counts::default()
        };
        for s in &self.seats[range] {
            match s.state {
                SeatState::Available => c.available += 1,
                SeatState::Held { .. } => c.held += 1,
                SeatState::Sold { .. } => c.sold += 1,
            }
        }
        c
    }

    fn section_index(&self, id: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.id == id)
    }

    /// The first `n` available seats, in `section` if given (best seats first: sections in
    /// venue order, then rows, then numbers).
    fn pick(&self, n: usize, section: Option<usize>) -> Vec<usize> {
        let range = match section {
            Some(s) => self.sections[s].first..self.sections[s].first + self.sections[s].len,
            None => 0..self.seats.len(),
        };
        range
            .filter(|&i| self.seats[i].state == SeatState::Available)
            .take(n)
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn hold(
        &mut self,
        buyer: &str,
        max_per_buyer: usize,
        reservation: &str,
        seat_ids: &[String],
        quantity: usize,
        section: Option<&str>,
        expires_ms: u64,
        now_ms: u64,
    ) -> Result<Granted, HoldError> {
        self.reclaim(now_ms);
        // Idempotent on the reservation id: the same hold again.
        if let Some(h) = self.holds.get(reservation) {
            let same = seat_ids.is_empty() && h.seats.len() == quantity
                || seat_ids.len() == h.seats.len()
                    && seat_ids
                        .iter()
                        .all(|id| self.index.get(id).is_some_and(|i| h.seats.contains(i)));
            if !same {
                return Err(HoldError::Invalid(
                    "reservation already holds other seats".into(),
                ));
            }
            return Ok(Granted {
                hold_id: h.hold_id.clone(),
                seats: h.seats.iter().map(|&i| self.seat(i)).collect(),
                expires_ms: h.expires_ms,
            });
        }
        if self.ended.contains_key(reservation) {
            return Err(HoldError::Invalid(
                "reservation's hold already ended".into(),
            ));
        }
        // Across every reservation of the buyer, under the venue's lock like the seats.
        let has = self.per_buyer.get(buyer).copied().unwrap_or(0);
        if has + quantity > max_per_buyer {
            return Err(HoldError::BuyerLimit {
                limit: max_per_buyer,
                has,
            });
        }
        let targets = if seat_ids.is_empty() {
            let section = match section.filter(|s| !s.is_empty()) {
                Some(s) => Some(
                    self.section_index(s)
                        .ok_or_else(|| HoldError::Invalid(format!("unknown section {s}")))?,
                ),
                None => None,
            };
            let picked = self.pick(quantity, section);
            if picked.len() < quantity {
                return Err(HoldError::Insufficient {
                    remaining: picked.len(),
                });
            }
            picked
        } else {
            let mut targets = Vec::with_capacity(seat_ids.len());
            let mut taken = Vec::new();
            for id in seat_ids {
                let i = *self
                    .index
                    .get(id)
                    .ok_or_else(|| HoldError::Invalid(format!("unknown seat {id}")))?;
                if targets.contains(&i) {
                    return Err(HoldError::Invalid(format!("seat {id} requested twice")));
                }
                match self.seats[i].state {
                    SeatState::Available => {}
                    SeatState::Held { .. } => taken.push((id.clone(), "HELD")),
                    SeatState::Sold { .. } => taken.push((id.clone(), "SOLD")),
                }
                targets.push(i);
            }
            if !taken.is_empty() {
                return Err(HoldError::Conflict(taken));
            }
            targets
        };
        // Every target is free, and nothing can change between that check and this write: the
        // caller holds the venue's lock.
        for &i in &targets {
            self.seats[i].state = SeatState::Held {
                reservation: reservation.to_owned(),
            };
        }
        self.held += targets.len();
        *self.per_buyer.entry(buyer.to_owned()).or_insert(0) += targets.len();
        let hold_id = new_id("hold");
        self.expiries.insert((expires_ms, reservation.to_owned()));
        let seats = targets.iter().map(|&i| self.seat(i)).collect();
        self.holds.insert(
            reservation.to_owned(),
            Hold {
                hold_id: hold_id.clone(),
                buyer: buyer.to_owned(),
                seats: targets,
                expires_ms,
            },
        );
        Ok(Granted {
            hold_id,
            seats,
            expires_ms,
        })
    }

    fn commit(&mut self, reservation: &str, now_ms: u64) -> CommitOutcome {
        self.reclaim(now_ms);
        if let Some(hold) = self.holds.remove(reservation) {
            self.expiries
                .remove(&(hold.expires_ms, reservation.to_owned()));
            for &i in &hold.seats {
                self.seats[i].state = SeatState::Sold {
                    reservation: reservation.to_owned(),
                };
            }
            self.held -= hold.seats.len();
            self.sold += hold.seats.len();
            let order_id = new_id("ord");
            self.ended.insert(
                reservation.to_owned(),
                Ended::Committed {
                    order_id: order_id.clone(),
                    seats: hold.seats.clone(),
                },
            );
            return CommitOutcome::Sold {
                order_id,
                seats: hold.seats.iter().map(|&i| self.seat(i)).collect(),
            };
        }
        match self.ended.get(reservation).cloned() {
            Some(Ended::Committed { order_id, seats }) => CommitOutcome::Sold {
                order_id,
                seats: seats.iter().map(|&i| self.seat(i)).collect(),
            },
            Some(Ended::Released) => CommitOutcome::Expired,
            None => CommitOutcome::UnknownReservation,
        }
    }

    fn release(&mut self, reservation: &str, now_ms: u64) -> ReleaseOutcome {
        self.reclaim(now_ms);
        if self.holds.contains_key(reservation) {
            let seats = self.end_hold(reservation);
            return ReleaseOutcome::Released(seats.iter().map(|&i| self.seat(i)).collect());
        }
        if self.ended.contains_key(reservation) {
            ReleaseOutcome::AlreadyEnded
        } else {
            ReleaseOutcome::NotFound
        }
    }

    /// Checks the invariants: every seat has at most one owner and its state agrees with the
    /// holds; counters add up.
    fn check(&self) -> Result<(), String> {
        let c = self.counts(None);
        if c.available + c.held + c.sold != c.total || c.held != self.held || c.sold != self.sold {
            return Err(format!(
                "{}: counts do not add up: {c:?}, held {}, sold {}",
                self.event_id, self.held, self.sold
            ));
        }
        let mut owned = vec![false; self.seats.len()];
        for (reservation, hold) in &self.holds {
            for &i in &hold.seats {
                if std::mem::replace(&mut owned[i], true) {
                    return Err(format!("seat {} held twice", self.seats[i].id));
                }
                if !matches!(&self.seats[i].state, SeatState::Held { reservation: r } if r == reservation)
                {
                    return Err(format!("seat {} disagrees with its hold", self.seats[i].id));
                }
            }
        }
        let held_by_holds: usize = self.holds.values().map(|h| h.seats.len()).sum();
        if held_by_holds != c.held {
            return Err(format!("{held_by_holds} seats in holds, {} held", c.held));
        }
        let by_buyers: usize = self.per_buyer.values().sum();
        if by_buyers != c.held + c.sold {
            return Err(format!(
                "buyers hold or own {by_buyers} seats, {} held and {} sold",
                c.held, c.sold
            ));
        }
        Ok(())
    }
}

/// Every event's venue.
pub struct Inventory {
    venues: HashMap<String, Arc<Mutex<Venue>>>,
    /// Most seats one buyer may hold or own per event, across reservations.
    max_per_buyer: usize,
}

impl Inventory {
    pub fn new(file: &InventoryFile, max_per_buyer: usize) -> Self {
        Self {
            max_per_buyer,
            venues: file
                .events
                .iter()
                .map(|e| (e.event_id.clone(), Arc::new(Mutex::new(Venue::new(e)))))
                .collect(),
        }
    }

    fn venue(&self, event: &str) -> Option<&Arc<Mutex<Venue>>> {
        self.venues.get(event)
    }

    /// Holds seats for `reservation` of `buyer` until `expires_ms`: the given seats, or any
    /// `quantity` seats (in `section` if given). All or nothing, and never more than the
    /// per-buyer limit of the event across the buyer's reservations.
    #[allow(clippy::too_many_arguments)]
    pub fn hold(
        &self,
        event: &str,
        buyer: &str,
        reservation: &str,
        seat_ids: &[String],
        quantity: usize,
        section: Option<&str>,
        expires_ms: u64,
    ) -> Result<Granted, HoldError> {
        let venue = self.venue(event).ok_or(HoldError::UnknownEvent)?;
        let n = if seat_ids.is_empty() {
            quantity
        } else {
            seat_ids.len()
        };
        if n == 0 || n > MAX_SEATS_PER_HOLD {
            return Err(HoldError::Invalid(format!(
                "between 1 and {MAX_SEATS_PER_HOLD} seats per reservation"
            )));
        }
        if !seat_ids.is_empty() && quantity != 0 && quantity != seat_ids.len() {
            return Err(HoldError::Invalid(
                "quantity must match the number of seat ids".into(),
            ));
        }
        let now = now_ms();
        if expires_ms <= now {
            return Err(HoldError::Invalid("hold_expires_at is in the past".into()));
        }
        if buyer.is_empty() {
            return Err(HoldError::Invalid("a buyer is required".into()));
        }
        venue.lock().hold(
            buyer,
            self.max_per_buyer,
            reservation,
            seat_ids,
            n,
            section,
            expires_ms,
            now,
        )
    }

    /// Sells the seats `reservation` holds, if its hold is still live.
    pub fn commit(&self, event: &str, reservation: &str) -> CommitOutcome {
        match self.venue(event) {
            Some(v) => v.lock().commit(reservation, now_ms()),
            None => CommitOutcome::UnknownReservation,
        }
    }

    /// Returns the seats `reservation` holds to the pool. Sold seats are never released.
    pub fn release(&self, event: &str, reservation: &str) -> ReleaseOutcome {
        match self.venue(event) {
            Some(v) => v.lock().release(reservation, now_ms()),
            None => ReleaseOutcome::NotFound,
        }
    }

    /// Reclaims expired holds in every venue; returns how many seats came back.
    pub fn sweep(&self) -> usize {
        let now = now_ms();
        self.venues.values().map(|v| v.lock().reclaim(now)).sum()
    }

    /// Counts for the event (or one of its sections), after reclaiming expired holds.
    pub fn counts(&self, event: &str, section: Option<&str>) -> Option<Counts> {
        let mut v = self.venue(event)?.lock();
        v.reclaim(now_ms());
        let section = match section {
            Some(s) => Some(v.section_index(s)?),
            None => None,
        };
        Some(v.counts(section))
    }

    /// Checks every venue's invariants.
    pub fn check(&self) -> Result<(), String> {
        self.venues.values().try_for_each(|v| v.lock().check())
    }

    /// Each seat's owning reservation, if sold (for tests and audits).
    pub fn sold_seats(&self, event: &str) -> Vec<(String, String)> {
        let Some(v) = self.venue(event) else {
            return Vec::new();
        };
        let v = v.lock();
        v.seats
            .iter()
            .filter_map(|s| match &s.state {
                SeatState::Sold { reservation } => Some((s.id.clone(), reservation.clone())),
                _ => None,
            })
            .collect()
    }
}

/// `reservation.v1.InventoryService` over an [`Inventory`].
pub struct InventoryApi {
    pub inventory: Arc<Inventory>,
    /// Hold length when a request names no deadline.
    pub hold_ms: u64,
}

impl HoldError {
    /// The refusal as an in-band `common.v1.Error`.
    pub fn to_error(&self) -> PbError {
        match self {
            HoldError::UnknownEvent => in_band(ErrorCode::NotFound, "unknown event"),
            HoldError::Invalid(m) => in_band(ErrorCode::InvalidArgument, m),
            HoldError::Conflict(seats) => {
                let mut err = in_band(ErrorCode::InventoryConflict, "seats are not available");
                err.details = seats
                    .iter()
                    .map(|(id, reason)| ErrorDetail {
                        field: "seat_id".into(),
                        reason: (*reason).into(),
                        value: id.clone(),
                    })
                    .collect();
                err
            }
            HoldError::Insufficient { remaining } => in_band(
                ErrorCode::InsufficientInventory,
                &format!("only {remaining} seats are available"),
            ),
            HoldError::BuyerLimit { limit, has } => in_band(
                ErrorCode::FailedPrecondition,
                &format!(
                    "at most {limit} seats per buyer for this event; this buyer has {has} held or bought"
                ),
            ),
        }
    }
}

#[tonic::async_trait]
impl pb::inventory_service_server::InventoryService for InventoryApi {
    async fn check_availability(
        &self,
        request: Request<pb::CheckAvailabilityRequest>,
    ) -> Result<Response<pb::CheckAvailabilityResponse>, Status> {
        let req = request.into_inner();
        let venue = self
            .inventory
            .venue(&req.event_id)
            .ok_or_else(|| Status::not_found("unknown event"))?;
        let mut v = venue.lock();
        v.reclaim(now_ms());
        let section = match req.section.as_str() {
            "" => None,
            s => Some(
                v.section_index(s)
                    .ok_or_else(|| Status::invalid_argument("unknown section"))?,
            ),
        };
        let mut unavailable = Vec::new();
        let mut available = Vec::new();
        for id in &req.seat_ids {
            match v.index.get(id) {
                Some(&i) if v.seats[i].state == SeatState::Available => available.push(v.seat(i)),
                _ => unavailable.push(id.clone()),
            }
        }
        if req.seat_ids.is_empty() {
            let n = usize::try_from(req.quantity.max(1)).unwrap_or(1);
            available = v.pick(n, section).into_iter().map(|i| v.seat(i)).collect();
        }
        let ok = if req.seat_ids.is_empty() {
            available.len() >= usize::try_from(req.quantity.max(1)).unwrap_or(1)
        } else {
            unavailable.is_empty()
        };
        Ok(Response::new(pb::CheckAvailabilityResponse {
            available: ok,
            available_seats: available,
            unavailable_seat_ids: unavailable,
            remaining_in_section: v.counts(section).available as i32,
            error: None,
        }))
    }

    async fn reserve_seat(
        &self,
        request: Request<pb::ReserveSeatRequest>,
    ) -> Result<Response<pb::ReserveSeatResponse>, Status> {
        let req = request.into_inner();
        if req.reservation_id.is_empty() || req.event_id.is_empty() {
            return Err(Status::invalid_argument(
                "reservation_id and event_id are required",
            ));
        }
        let expires_ms = req
            .hold_expires_at
            .as_ref()
            .map_or(now_ms() + self.hold_ms, super::millis);
        let quantity = usize::try_from(req.quantity)
            .map_err(|_| Status::invalid_argument("quantity must not be negative"))?;
        match self.inventory.hold(
            &req.event_id,
            &req.user_id,
            &req.reservation_id,
            &req.seat_ids,
            quantity,
            None,
            expires_ms,
        ) {
            Ok(g) => Ok(Response::new(pb::ReserveSeatResponse {
                hold_id: g.hold_id,
                reserved_seats: g.seats,
                hold_expires_at: Some(timestamp(g.expires_ms)),
                status: pb::HoldStatus::Active as i32,
                error: None,
            })),
            // Malformed requests are gRPC errors; taken seats are business outcomes, in-band.
            Err(HoldError::UnknownEvent) => Err(Status::not_found("unknown event")),
            Err(HoldError::Invalid(m)) => Err(Status::invalid_argument(m)),
            Err(e) => Ok(Response::new(pb::ReserveSeatResponse {
                status: pb::HoldStatus::Unspecified as i32,
                error: Some(e.to_error()),
                ..Default::default()
            })),
        }
    }

    async fn commit_reservation(
        &self,
        request: Request<pb::CommitReservationRequest>,
    ) -> Result<Response<pb::CommitReservationResponse>, Status> {
        let req = request.into_inner();
        let now = now_ms();
        let resp = match self.inventory.commit(&req.event_id, &req.reservation_id) {
            CommitOutcome::Sold { order_id, seats } => pb::CommitReservationResponse {
                order_id,
                sold_seats: seats,
                status: pb::CommitStatus::Success as i32,
                committed_at: Some(timestamp(now)),
                error: None,
            },
            CommitOutcome::Expired => pb::CommitReservationResponse {
                status: pb::CommitStatus::FailedExpired as i32,
                error: Some(in_band(ErrorCode::ReservationExpired, "the hold has ended")),
                ..Default::default()
            },
            CommitOutcome::UnknownReservation => pb::CommitReservationResponse {
                status: pb::CommitStatus::FailedConflict as i32,
                error: Some(in_band(ErrorCode::NotFound, "no hold for this reservation")),
                ..Default::default()
            },
        };
        Ok(Response::new(resp))
    }

    async fn release_hold(
        &self,
        request: Request<pb::ReleaseHoldRequest>,
    ) -> Result<Response<pb::ReleaseHoldResponse>, Status> {
        let req = request.into_inner();
        let now = now_ms();
        let resp = match self.inventory.release(&req.event_id, &req.reservation_id) {
            ReleaseOutcome::Released(seats) => pb::ReleaseHoldResponse {
                released_seats: seats,
                status: pb::ReleaseStatus::Success as i32,
                released_at: Some(timestamp(now)),
                error: None,
            },
            ReleaseOutcome::AlreadyEnded => pb::ReleaseHoldResponse {
                status: pb::ReleaseStatus::AlreadyReleased as i32,
                released_at: Some(timestamp(now)),
                ..Default::default()
            },
            ReleaseOutcome::NotFound => pb::ReleaseHoldResponse {
                status: pb::ReleaseStatus::NotFound as i32,
                error: Some(in_band(ErrorCode::NotFound, "no hold for this reservation")),
                ..Default::default()
            },
        };
        Ok(Response::new(resp))
    }

    async fn get_inventory_status(
        &self,
        request: Request<pb::GetInventoryStatusRequest>,
    ) -> Result<Response<pb::GetInventoryStatusResponse>, Status> {
        let req = request.into_inner();
        let venue = self
            .inventory
            .venue(&req.event_id)
            .ok_or_else(|| Status::not_found("unknown event"))?;
        let mut v = venue.lock();
        let now = now_ms();
        v.reclaim(now);
        let all = v.counts(None);
        let sections = (0..v.sections.len())
            .filter(|&s| req.section.is_empty() || v.sections[s].id == req.section)
            .map(|s| {
                let c = v.counts(Some(s));
                pb::SectionInventory {
                    section_id: v.sections[s].id.clone(),
                    section_name: v.sections[s].id.clone(),
                    total_seats: c.total as i32,
                    available_seats: c.available as i32,
                    reserved_seats: c.held as i32,
                    sold_seats: c.sold as i32,
                    blocked_seats: 0,
                    min_price: Some(v.sections[s].price.clone()),
                    max_price: Some(v.sections[s].price.clone()),
                }
            })
            .collect();
        Ok(Response::new(pb::GetInventoryStatusResponse {
            event: Some(Event {
                id: v.event_id.clone(),
                name: v.name.clone(),
                total_seats: all.total as i32,
                remaining_seats: all.available as i32,
                ..Default::default()
            }),
            sections,
            stats: Some(pb::InventoryStats {
                total_seats: all.total as i32,
                available_seats: all.available as i32,
                reserved_seats: all.held as i32,
                sold_seats: all.sold as i32,
                blocked_seats: 0,
                availability_percentage: (all.available as f64 * 100.0 / all.total.max(1) as f64)
                    as f32,
                last_updated: Some(timestamp(now)),
            }),
            error: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny(seats: u32) -> Inventory {
        tiny_with_limit(seats, 8)
    }

    fn tiny_with_limit(seats: u32, max_per_buyer: usize) -> Inventory {
        let file = InventoryFile {
            events: vec![EventSpec {
                event_id: "evt".into(),
                name: "tiny".into(),
                sections: vec![SectionSpec {
                    id: "A".into(),
                    rows: 1,
                    seats_per_row: seats,
                    price: PriceSpec {
                        amount: 100,
                        currency: "KRW".into(),
                    },
                }],
            }],
        };
        Inventory::new(&file, max_per_buyer)
    }

    #[test]
    fn a_buyer_holds_and_owns_at_most_the_limit_across_reservations() {
        let inv = tiny_with_limit(20, 4);
        let later = now_ms() + 60_000;
        inv.hold("evt", "mallory", "r1", &[], 3, None, later)
            .unwrap();
        assert_eq!(
            inv.hold("evt", "mallory", "r2", &[], 2, None, later)
                .unwrap_err(),
            HoldError::BuyerLimit { limit: 4, has: 3 }
        );
        inv.hold("evt", "mallory", "r3", &[], 1, None, later)
            .unwrap();
        // Bought seats still count; released ones do not.
        assert!(matches!(
            inv.commit("evt", "r1"),
            CommitOutcome::Sold { .. }
        ));
        assert!(
            inv.hold("evt", "mallory", "r4", &[], 1, None, later)
                .is_err()
        );
        assert!(matches!(
            inv.release("evt", "r3"),
            ReleaseOutcome::Released(_)
        ));
        inv.hold("evt", "mallory", "r5", &[], 1, None, later)
            .unwrap();
        // Another buyer is not affected.
        inv.hold("evt", "alice", "r6", &[], 4, None, later).unwrap();
        inv.check().unwrap();
    }

    #[test]
    fn holds_are_all_or_nothing() {
        let inv = tiny(3);
        let later = now_ms() + 60_000;
        inv.hold("evt", "buyer", "r1", &["A-1-1".into()], 0, None, later)
            .unwrap();
        let e = inv
            .hold(
                "evt",
                "buyer",
                "r2",
                &["A-1-2".into(), "A-1-1".into()],
                0,
                None,
                later,
            )
            .unwrap_err();
        assert_eq!(e, HoldError::Conflict(vec![("A-1-1".into(), "HELD")]));
        // A-1-2 was not taken by the failed request.
        inv.hold("evt", "buyer", "r3", &["A-1-2".into()], 0, None, later)
            .unwrap();
        assert_eq!(
            inv.hold("evt", "buyer", "r4", &[], 2, None, later)
                .unwrap_err(),
            HoldError::Insufficient { remaining: 1 }
        );
        inv.check().unwrap();
    }

    #[test]
    fn expired_holds_release_their_seats_and_cannot_be_committed() {
        let inv = tiny(2);
        let g = inv
            .hold("evt", "buyer", "r1", &[], 2, None, now_ms() + 30)
            .unwrap();
        assert_eq!(g.seats.len(), 2);
        std::thread::sleep(std::time::Duration::from_millis(40));
        assert_eq!(inv.commit("evt", "r1"), CommitOutcome::Expired);
        assert_eq!(inv.counts("evt", None).unwrap().available, 2);
        inv.check().unwrap();
    }

    #[test]
    fn commit_is_idempotent_and_sold_seats_are_never_released() {
        let inv = tiny(2);
        inv.hold("evt", "buyer", "r1", &[], 1, None, now_ms() + 60_000)
            .unwrap();
        let first = inv.commit("evt", "r1");
        assert!(matches!(first, CommitOutcome::Sold { .. }));
        assert_eq!(inv.commit("evt", "r1"), first);
        assert_eq!(inv.release("evt", "r1"), ReleaseOutcome::AlreadyEnded);
        let c = inv.counts("evt", None).unwrap();
        assert_eq!((c.sold, c.available, c.held), (1, 1, 0));
        inv.check().unwrap();
    }

    #[test]
    fn the_example_venue_has_ten_thousand_seats() {
        let file = InventoryFile::example();
        file.validate().unwrap();
        let inv = Inventory::new(&file, 8);
        assert_eq!(inv.counts("evt_2025_1001", None).unwrap().total, 10_000);
        assert!(
            inv.venue("evt_2025_1001")
                .unwrap()
                .lock()
                .index
                .contains_key("VIP-3-12")
        );
    }
}
