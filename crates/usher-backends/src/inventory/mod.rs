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
//!
//! With a data directory every hold, sale and release is written to the journal under the
//! venue's lock, with whatever the caller changed along with it (a reservation's new state),
//! and the venues are rebuilt from it at start (`journal.rs`).
//!
//! - [`InventoryFile`] (`file.rs`): the venue file, parsed and checked at start;
//! - `venue.rs`: one event's seats, holds and sales (the seat model, with its invariants);
//! - [`Inventory`] (here): every event's venue behind its lock, and the per-buyer seat limit;
//! - [`InventoryApi`] (`grpc.rs`): `reservation.v1.InventoryService` over an [`Inventory`].

mod file;
mod grpc;
mod venue;

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::anyhow;
use parking_lot::Mutex;
use usher_durable::{Pending, Write};
use usher_proto::common::v1::{Money, Seat};

use crate::clock::now_ms;
use crate::journal::{Journal, SEAT_HOLDS, pair, put};
pub use file::{EventDetails, EventSpec, InventoryFile, PriceSpec, SectionSpec, VenueSpec};
pub use grpc::InventoryApi;
use venue::{HoldRecord, Venue};

/// Most seats one hold may take (as the seed's reservation DTO allowed).
pub const MAX_SEATS_PER_HOLD: usize = 10;

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

/// An event or section that the inventory does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    Event,
    Section,
}

/// Whether seats are free, as `CheckAvailability` asks.
#[derive(Debug, Clone, PartialEq)]
pub struct Availability {
    /// Every named seat is free, or (none named) enough seats are.
    pub available: bool,
    /// The free seats among those named, or the seats a quantity request would take.
    pub seats: Vec<Seat>,
    /// The named seats that are taken or do not exist.
    pub unavailable: Vec<String>,
    /// Free seats in the section asked about (the whole venue without one).
    pub remaining_in_section: usize,
}

/// An event's counts and its sections', at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueStatus {
    pub event_id: String,
    pub name: String,
    pub details: EventDetails,
    pub all: Counts,
    pub sections: Vec<SectionStatus>,
    /// When the counts were taken (ms since the Unix epoch).
    pub at_ms: u64,
}

/// One section's counts and price.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionStatus {
    pub id: String,
    pub price: Money,
    pub counts: Counts,
}

/// Every event's venue.
pub struct Inventory {
    venues: HashMap<String, Arc<Mutex<Venue>>>,
    /// Most seats one buyer may hold or own per event, across reservations.
    max_per_buyer: usize,
    /// Where every change to a reservation's seats is written.
    journal: Journal,
}

impl Inventory {
    /// The venues of `file`, with the holds and sales the journal kept (none in memory).
    pub(crate) fn new(
        file: &InventoryFile,
        max_per_buyer: usize,
        journal: Journal,
    ) -> anyhow::Result<Self> {
        let mut venues: HashMap<String, Venue> = file
            .events
            .iter()
            .map(|e| (e.event_id.clone(), Venue::new(e)))
            .collect();
        let mut records: HashMap<String, Vec<HoldRecord>> = HashMap::new();
        for r in journal.load::<HoldRecord>(SEAT_HOLDS)? {
            records.entry(r.event_id.clone()).or_default().push(r);
        }
        let now = now_ms();
        for (event, records) in records {
            venues
                .get_mut(&event)
                .ok_or_else(|| {
                    anyhow!("the backends' state has seats of event {event}, which the inventory file does not list")
                })?
                .restore(records, now)
                .map_err(|e| anyhow!("the backends' state does not fit the inventory file: {e}"))?;
        }
        Ok(Self {
            max_per_buyer,
            venues: venues
                .into_iter()
                .map(|(id, v)| (id, Arc::new(Mutex::new(v))))
                .collect(),
            journal,
        })
    }

    /// The ids of every event the venue file lists, sorted.
    pub fn event_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.venues.keys().cloned().collect();
        ids.sort();
        ids
    }

    fn venue(&self, event: &str) -> Option<&Arc<Mutex<Venue>>> {
        self.venues.get(event)
    }

    /// Hands the record of `reservation`'s seats over to the journal with `also`, the caller's
    /// part of the same change: called with the venue's lock held, so records land in the order
    /// the seats changed.
    fn log(&self, venue: &Venue, reservation: &str, also: Vec<Write>) -> Pending {
        let mut writes = Vec::with_capacity(1 + also.len());
        if let Some(r) = venue.record(reservation) {
            writes.push(put(SEAT_HOLDS, pair(&r.event_id, &r.reservation_id), &r));
        }
        writes.extend(also);
        self.journal.write(writes)
    }

    /// Holds seats for `reservation` of `buyer` until `expires_ms`: the given seats, or any
    /// `quantity` seats (in `section` if given). All or nothing, and never more than the
    /// per-buyer limit of the event across the buyer's reservations. `with` returns the
    /// caller's writes for a granted hold (run under the venue's lock; they land with it), and
    /// the hold is durable once the returned [`Pending`] resolves.
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
        with: impl FnOnce(&Granted) -> Vec<Write>,
    ) -> Result<(Granted, Pending), HoldError> {
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
        let mut v = venue.lock();
        let granted = v.hold(
            buyer,
            self.max_per_buyer,
            reservation,
            seat_ids,
            n,
            section,
            expires_ms,
            now,
        )?;
        let also = with(&granted);
        let pending = self.log(&v, reservation, also);
        Ok((granted, pending))
    }

    /// Sells the seats `reservation` holds, if its hold is still live. `with` returns the
    /// caller's writes for the outcome, as for [`Inventory::hold`].
    pub fn commit(
        &self,
        event: &str,
        reservation: &str,
        with: impl FnOnce(&CommitOutcome) -> Vec<Write>,
    ) -> (CommitOutcome, Pending) {
        let Some(v) = self.venue(event) else {
            let outcome = CommitOutcome::UnknownReservation;
            let pending = self.journal.write(with(&outcome));
            return (outcome, pending);
        };
        let mut v = v.lock();
        let outcome = v.commit(reservation, now_ms());
        let also = with(&outcome);
        let pending = match outcome {
            CommitOutcome::Sold { .. } => self.log(&v, reservation, also),
            _ => self.journal.write(also),
        };
        (outcome, pending)
    }

    /// Returns the seats `reservation` holds to the pool. Sold seats are never released.
    /// `with` returns the caller's writes for the outcome, as for [`Inventory::hold`].
    pub fn release(
        &self,
        event: &str,
        reservation: &str,
        with: impl FnOnce(&ReleaseOutcome) -> Vec<Write>,
    ) -> (ReleaseOutcome, Pending) {
        let Some(v) = self.venue(event) else {
            let outcome = ReleaseOutcome::NotFound;
            let pending = self.journal.write(with(&outcome));
            return (outcome, pending);
        };
        let mut v = v.lock();
        let outcome = v.release(reservation, now_ms());
        let also = with(&outcome);
        let pending = match outcome {
            ReleaseOutcome::Released(_) => self.log(&v, reservation, also),
            _ => self.journal.write(also),
        };
        (outcome, pending)
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
        self.venue(event)
            .map(|v| v.lock().sold_seats())
            .unwrap_or_default()
    }

    /// Whether the given seats (or, with none given, `quantity` seats in `section`) are free,
    /// after reclaiming expired holds. Holds nothing.
    pub fn availability(
        &self,
        event: &str,
        seat_ids: &[String],
        quantity: usize,
        section: Option<&str>,
    ) -> Result<Availability, Unknown> {
        let mut v = self.venue(event).ok_or(Unknown::Event)?.lock();
        v.reclaim(now_ms());
        let section = match section {
            Some(s) => Some(v.section_index(s).ok_or(Unknown::Section)?),
            None => None,
        };
        Ok(v.availability(seat_ids, quantity, section))
    }

    /// The event's counts and its sections' (only `section`'s if given), after reclaiming
    /// expired holds; `None` for an unknown event.
    pub fn status(&self, event: &str, section: Option<&str>) -> Option<VenueStatus> {
        let mut v = self.venue(event)?.lock();
        let now = now_ms();
        v.reclaim(now);
        Some(v.status(section, now))
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
                details: EventDetails::default(),
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
        Inventory::new(&file, max_per_buyer, Journal::default()).unwrap()
    }

    /// No writes of the caller's own.
    fn none<T>(_: &T) -> Vec<Write> {
        Vec::new()
    }

    #[test]
    fn a_buyer_holds_and_owns_at_most_the_limit_across_reservations() {
        let inv = tiny_with_limit(20, 4);
        let later = now_ms() + 60_000;
        inv.hold("evt", "mallory", "r1", &[], 3, None, later, none)
            .map(|(g, _)| g)
            .unwrap();
        assert_eq!(
            inv.hold("evt", "mallory", "r2", &[], 2, None, later, none)
                .map(|(g, _)| g)
                .unwrap_err(),
            HoldError::BuyerLimit { limit: 4, has: 3 }
        );
        inv.hold("evt", "mallory", "r3", &[], 1, None, later, none)
            .map(|(g, _)| g)
            .unwrap();
        // Bought seats still count; released ones do not.
        assert!(matches!(
            inv.commit("evt", "r1", none).0,
            CommitOutcome::Sold { .. }
        ));
        assert!(
            inv.hold("evt", "mallory", "r4", &[], 1, None, later, none)
                .map(|(g, _)| g)
                .is_err()
        );
        assert!(matches!(
            inv.release("evt", "r3", none).0,
            ReleaseOutcome::Released(_)
        ));
        inv.hold("evt", "mallory", "r5", &[], 1, None, later, none)
            .map(|(g, _)| g)
            .unwrap();
        // Another buyer is not affected.
        inv.hold("evt", "alice", "r6", &[], 4, None, later, none)
            .map(|(g, _)| g)
            .unwrap();
        inv.check().unwrap();
    }

    #[test]
    fn holds_are_all_or_nothing() {
        let inv = tiny(3);
        let later = now_ms() + 60_000;
        inv.hold(
            "evt",
            "buyer",
            "r1",
            &["A-1-1".into()],
            0,
            None,
            later,
            none,
        )
        .map(|(g, _)| g)
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
                none,
            )
            .map(|(g, _)| g)
            .unwrap_err();
        assert_eq!(e, HoldError::Conflict(vec![("A-1-1".into(), "HELD")]));
        // A-1-2 was not taken by the failed request.
        inv.hold(
            "evt",
            "buyer",
            "r3",
            &["A-1-2".into()],
            0,
            None,
            later,
            none,
        )
        .map(|(g, _)| g)
        .unwrap();
        assert_eq!(
            inv.hold("evt", "buyer", "r4", &[], 2, None, later, none)
                .map(|(g, _)| g)
                .unwrap_err(),
            HoldError::Insufficient { remaining: 1 }
        );
        inv.check().unwrap();
    }

    #[test]
    fn expired_holds_release_their_seats_and_cannot_be_committed() {
        let inv = tiny(2);
        let g = inv
            .hold("evt", "buyer", "r1", &[], 2, None, now_ms() + 30, none)
            .map(|(g, _)| g)
            .unwrap();
        assert_eq!(g.seats.len(), 2);
        std::thread::sleep(std::time::Duration::from_millis(40));
        assert_eq!(inv.commit("evt", "r1", none).0, CommitOutcome::Expired);
        assert_eq!(inv.counts("evt", None).unwrap().available, 2);
        inv.check().unwrap();
    }

    #[test]
    fn commit_is_idempotent_and_sold_seats_are_never_released() {
        let inv = tiny(2);
        inv.hold("evt", "buyer", "r1", &[], 1, None, now_ms() + 60_000, none)
            .map(|(g, _)| g)
            .unwrap();
        let first = inv.commit("evt", "r1", none).0;
        assert!(matches!(first, CommitOutcome::Sold { .. }));
        assert_eq!(inv.commit("evt", "r1", none).0, first);
        assert_eq!(
            inv.release("evt", "r1", none).0,
            ReleaseOutcome::AlreadyEnded
        );
        let c = inv.counts("evt", None).unwrap();
        assert_eq!((c.sold, c.available, c.held), (1, 1, 0));
        inv.check().unwrap();
    }

    #[test]
    fn the_example_venue_has_ten_thousand_seats() {
        let file = InventoryFile::example();
        file.validate().unwrap();
        let inv = Inventory::new(&file, 8, Journal::default()).unwrap();
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
