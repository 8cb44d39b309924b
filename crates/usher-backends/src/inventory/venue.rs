//! One event's seats and holds: the seat model. Every method runs with the venue's lock held
//! (the caller, [`super::Inventory`], takes it), so each multi-seat change is one critical
//! section: either every target seat changes state or none does.

use std::collections::{BTreeSet, HashMap};

use usher_proto::common::v1::{Money, Seat, SeatStatus};

use super::file::{EventDetails, EventSpec};
use super::{
    Availability, CommitOutcome, Counts, Granted, HoldError, ReleaseOutcome, SectionStatus,
    VenueStatus,
};
use crate::new_id;

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
    Committed {
        order_id: String,
        buyer: String,
        seats: Vec<usize>,
    },
    Released,
}

/// One reservation's seats as the journal keeps them ([`crate::journal::SEAT_HOLDS`]): held
/// until `expires_ms`, sold (`order_id` set) or released. A hold whose deadline passed reads
/// back as released, as it is in memory, so expiries are never written.
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct HoldRecord {
    #[prost(string, tag = "1")]
    pub event_id: String,
    #[prost(string, tag = "2")]
    pub reservation_id: String,
    #[prost(string, tag = "3")]
    pub buyer: String,
    #[prost(string, tag = "4")]
    pub hold_id: String,
    #[prost(string, repeated, tag = "5")]
    pub seat_ids: Vec<String>,
    #[prost(uint64, tag = "6")]
    pub expires_ms: u64,
    /// The order that bought the seats, once sold.
    #[prost(string, tag = "7")]
    pub order_id: String,
    /// The hold was released (cancelled, failed, or found expired).
    #[prost(bool, tag = "8")]
    pub released: bool,
}

/// One event's seats, behind one lock.
pub(super) struct Venue {
    event_id: String,
    name: String,
    details: EventDetails,
    sections: Vec<Section>,
    seats: Vec<SeatSlot>,
    /// Seat id → index in `seats`.
    pub(super) index: HashMap<String, usize>,
    holds: HashMap<String, Hold>,
    /// `(expires_ms, reservation id)` of every live hold, soonest first.
    expiries: BTreeSet<(u64, String)>,
    ended: HashMap<String, Ended>,
    held: usize,
    sold: usize,
    /// Seats each buyer holds or bought in this event, for the per-buyer limit.
    per_buyer: HashMap<String, usize>,
}

impl Venue {
    pub(super) fn new(spec: &EventSpec) -> Self {
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
            details: spec.details.clone(),
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
    pub(super) fn reclaim(&mut self, now_ms: u64) -> usize {
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

    pub(super) fn counts(&self, section: Option<usize>) -> Counts {
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

    pub(super) fn section_index(&self, id: &str) -> Option<usize> {
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
    pub(super) fn hold(
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

    pub(super) fn commit(&mut self, reservation: &str, now_ms: u64) -> CommitOutcome {
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
                    buyer: hold.buyer,
                    seats: hold.seats.clone(),
                },
            );
            return CommitOutcome::Sold {
                order_id,
                seats: hold.seats.iter().map(|&i| self.seat(i)).collect(),
            };
        }
        match self.ended.get(reservation).cloned() {
            Some(Ended::Committed {
                order_id, seats, ..
            }) => CommitOutcome::Sold {
                order_id,
                seats: seats.iter().map(|&i| self.seat(i)).collect(),
            },
            Some(Ended::Released) => CommitOutcome::Expired,
            None => CommitOutcome::UnknownReservation,
        }
    }

    pub(super) fn release(&mut self, reservation: &str, now_ms: u64) -> ReleaseOutcome {
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

    /// The journal's record of `reservation`'s seats as they are now, if the venue knows it.
    pub(super) fn record(&self, reservation: &str) -> Option<HoldRecord> {
        let ids = |seats: &[usize]| seats.iter().map(|&i| self.seats[i].id.clone()).collect();
        let mut record = HoldRecord {
            event_id: self.event_id.clone(),
            reservation_id: reservation.to_owned(),
            ..HoldRecord::default()
        };
        if let Some(h) = self.holds.get(reservation) {
            record.buyer = h.buyer.clone();
            record.hold_id = h.hold_id.clone();
            record.seat_ids = ids(&h.seats);
            record.expires_ms = h.expires_ms;
            return Some(record);
        }
        match self.ended.get(reservation)? {
            Ended::Committed {
                order_id,
                buyer,
                seats,
            } => {
                record.order_id = order_id.clone();
                record.buyer = buyer.clone();
                record.seat_ids = ids(seats);
            }
            Ended::Released => record.released = true,
        }
        Some(record)
    }

    /// Puts back the seats of the journal's records, as they were before a restart. Sales come
    /// first, so a stale hold can never take a sold seat, then the latest holds; a hold whose
    /// deadline passed, or whose seats are taken (only if the clock went back), comes back
    /// released.
    pub(super) fn restore(
        &mut self,
        mut records: Vec<HoldRecord>,
        now_ms: u64,
    ) -> Result<(), String> {
        records.sort_by_key(|r| {
            (
                r.order_id.is_empty(),
                r.released,
                std::cmp::Reverse(r.expires_ms),
            )
        });
        for r in records {
            let mut seats = Vec::with_capacity(r.seat_ids.len());
            for id in &r.seat_ids {
                seats.push(*self.index.get(id).ok_or_else(|| {
                    format!(
                        "reservation {} names seat {id}, which event {} does not have",
                        r.reservation_id, self.event_id
                    )
                })?);
            }
            let free = seats
                .iter()
                .all(|&i| self.seats[i].state == SeatState::Available);
            if !r.order_id.is_empty() {
                if !free {
                    return Err(format!(
                        "reservation {} bought seats already sold",
                        r.reservation_id
                    ));
                }
                for &i in &seats {
                    self.seats[i].state = SeatState::Sold {
                        reservation: r.reservation_id.clone(),
                    };
                }
                self.sold += seats.len();
                *self.per_buyer.entry(r.buyer.clone()).or_insert(0) += seats.len();
                self.ended.insert(
                    r.reservation_id,
                    Ended::Committed {
                        order_id: r.order_id,
                        buyer: r.buyer,
                        seats,
                    },
                );
            } else if r.released || r.expires_ms <= now_ms || !free {
                self.ended.insert(r.reservation_id, Ended::Released);
            } else {
                for &i in &seats {
                    self.seats[i].state = SeatState::Held {
                        reservation: r.reservation_id.clone(),
                    };
                }
                self.held += seats.len();
                *self.per_buyer.entry(r.buyer.clone()).or_insert(0) += seats.len();
                self.expiries
                    .insert((r.expires_ms, r.reservation_id.clone()));
                self.holds.insert(
                    r.reservation_id,
                    Hold {
                        hold_id: r.hold_id,
                        buyer: r.buyer,
                        seats,
                        expires_ms: r.expires_ms,
                    },
                );
            }
        }
        Ok(())
    }

    /// Checks the invariants: every seat has at most one owner and its state agrees with the
    /// holds; counters add up.
    pub(super) fn check(&self) -> Result<(), String> {
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

    /// Whether the named seats are all free or, with none named, whether `quantity` seats are
    /// free in `section` (the whole venue without one); the free seats found and how many
    /// remain in the section. Takes nothing.
    pub(super) fn availability(
        &self,
        seat_ids: &[String],
        quantity: usize,
        section: Option<usize>,
    ) -> Availability {
        let mut unavailable = Vec::new();
        let mut seats = Vec::new();
        for id in seat_ids {
            match self.index.get(id) {
                Some(&i) if self.seats[i].state == SeatState::Available => seats.push(self.seat(i)),
                _ => unavailable.push(id.clone()),
            }
        }
        let available = if seat_ids.is_empty() {
            seats = self
                .pick(quantity, section)
                .into_iter()
                .map(|i| self.seat(i))
                .collect();
            seats.len() >= quantity
        } else {
            unavailable.is_empty()
        };
        Availability {
            available,
            seats,
            unavailable,
            remaining_in_section: self.counts(section).available,
        }
    }

    /// The venue's counts, and each section's (only the one with id `section` if given).
    pub(super) fn status(&self, section: Option<&str>, at_ms: u64) -> VenueStatus {
        let sections = self
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| section.is_none_or(|id| s.id == id))
            .map(|(i, s)| SectionStatus {
                id: s.id.clone(),
                price: s.price.clone(),
                counts: self.counts(Some(i)),
            })
            .collect();
        VenueStatus {
            event_id: self.event_id.clone(),
            name: self.name.clone(),
            details: self.details.clone(),
            all: self.counts(None),
            sections,
            at_ms,
        }
    }

    /// Each sold seat and the reservation that bought it.
    pub(super) fn sold_seats(&self) -> Vec<(String, String)> {
        self.seats
            .iter()
            .filter_map(|s| match &s.state {
                SeatState::Sold { reservation } => Some((s.id.clone(), reservation.clone())),
                _ => None,
            })
            .collect()
    }
}
