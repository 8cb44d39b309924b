//! A node's local copy of one event's queue state, kept current from published updates.
//!
//! This is what makes pushes cheap: a node derives every one of its waiters' positions from
//! `head` and the departed set, with no store round trip per waiter per tick.

use std::collections::BTreeSet;

use crate::domain::{Position, Seq};
use crate::draw::Permutation;
use crate::queue::eta::Rate;
use crate::store::{
    AdmissionHistory, Change, DrawRecord, EventConfig, EventSnapshot, EventUpdate, SalePhase,
};

/// The update did not follow the view's version: at least one message was missed and the view
/// must be rebuilt from a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub expected: u64,
    pub got: u64,
}

#[derive(Debug, Clone)]
pub struct EventView {
    /// Which life of the event this view is of (see [`crate::store::EventUpdate::born`]).
    pub born: u64,
    pub version: u64,
    pub config: EventConfig,
    /// Highest admitted sequence number.
    pub head: Seq,
    /// Highest issued sequence number this node has heard of.
    pub next_seq: Seq,
    /// Departed sequence numbers above `head`.
    departed: BTreeSet<u64>,
    pub active: u64,
    pub history: AdmissionHistory,
    /// Departures before admission (leaves and reaps) seen by this node, for the ETA.
    pub departures: AdmissionHistory,
    /// A random start's draw as far as it went.
    pub draw: Option<DrawRecord>,
    /// Once the draw is made: the order entrants are admitted in. `head`, the departed and
    /// every position then count in that order (see [`Self::order`]).
    permutation: Option<Permutation>,
}

impl EventView {
    pub fn from_snapshot(s: EventSnapshot) -> Self {
        Self {
            born: s.born,
            version: s.version,
            config: s.config,
            head: s.head,
            next_seq: s.next_seq,
            departed: s.departed.into_iter().map(|s| s.0).collect(),
            active: s.active,
            history: s.history,
            departures: AdmissionHistory::default(),
            permutation: s.draw.as_ref().and_then(DrawRecord::permutation),
            draw: s.draw,
        }
    }

    /// Where `seq` stands in the admission order: its drawn rank for an entrant of a made
    /// draw, itself otherwise. Positions, `head` and departures are all in this order.
    pub fn order(&self, seq: Seq) -> Seq {
        match &self.permutation {
            Some(p) => p.order(seq),
            None => seq,
        }
    }

    /// The rank `seq` drew, for an entrant of a made draw.
    pub fn drawn_rank(&self, seq: Seq) -> Option<u64> {
        self.permutation.as_ref()?.drawn(seq)
    }

    /// Whether `seq` is an entrant of a random start whose draw is not made yet (it has no
    /// position until it is).
    pub fn undrawn(&self, seq: Seq) -> bool {
        self.draw
            .as_ref()
            .is_some_and(|d| !d.drawn() && d.entrants.is_none_or(|n| seq.0 <= n))
    }

    /// The sale's phase at `now_ms` by its schedule; `Open` for an unscheduled event.
    pub fn sale_phase(&self, now_ms: u64) -> SalePhase {
        self.config.sale_phase(now_ms)
    }

    /// Entrants of the pre-queue: those waiting before the close, then the closed list's size.
    pub fn prequeue_size(&self) -> u64 {
        match self.draw.as_ref().and_then(|d| d.entrants) {
            Some(n) => n,
            None => self.waiting(),
        }
    }

    /// The admission and departure rates the ETA of this event is based on.
    /// While admission is stopped (paused or held) the queue does not move: the rate is the
    /// configured one with confidence 0, for the wait once admission resumes.
    pub fn rate(&self, now_ms: u64) -> Rate {
        if self.config.stopped_at(now_ms) {
            return Rate {
                per_sec: self.config.rate_per_sec,
                confidence: 0.0,
                leave_per_waiter: 0.0,
            };
        }
        Rate::measure(&self.history, &self.config, now_ms).with_departures(
            &self.departures,
            self.waiting(),
            now_ms,
        )
    }

    /// Folds one update in. Updates at or below the current version are already included and
    /// are ignored; an update beyond the next version is a gap.
    pub fn apply(&mut self, update: &EventUpdate) -> Result<bool, Gap> {
        if update.born != self.born {
            // Another life of the event (the store lost its data and the event was created
            // again): nothing of this view holds, whatever the version says.
            return Err(Gap {
                expected: self.version + 1,
                got: update.version,
            });
        }
        if update.version <= self.version {
            return Ok(false);
        }
        if update.version != self.version + 1 {
            return Err(Gap {
                expected: self.version + 1,
                got: update.version,
            });
        }
        self.version = update.version;
        match &update.change {
            Change::Step {
                head,
                admitted,
                next_seq,
                active,
                ..
            } => {
                self.head = self.head.max(*head);
                self.next_seq = self.next_seq.max(*next_seq);
                self.departed = self.departed.split_off(&(self.head.0 + 1));
                self.active = *active;
                self.history.record(update.at_ms, u64::from(*admitted));
            }
            Change::Departed { seqs, .. } => {
                self.departed
                    .extend(seqs.iter().map(|s| s.0).filter(|s| *s > self.head.0));
                self.departures.record(update.at_ms, seqs.len() as u64);
            }
            Change::Config(config) => self.config = config.clone(),
            Change::Draw(record) => {
                if self.permutation.is_none()
                    && let Some(p) = record.permutation()
                {
                    // Departures so far counted by sequence number: from now on by rank.
                    let head = self.head.0;
                    self.departed = std::mem::take(&mut self.departed)
                        .into_iter()
                        .map(|s| p.order(Seq(s)).0)
                        .filter(|&o| o > head)
                        .collect();
                    self.permutation = Some(p);
                }
                self.draw = Some(record.clone());
            }
            Change::Notice { .. } => {}
        }
        Ok(true)
    }

    /// Notes a sequence number issued by a join this node served or saw.
    pub fn observe_seq(&mut self, seq: Seq) {
        self.next_seq = self.next_seq.max(seq);
    }

    /// Waiters in the queue, as far as this node knows.
    pub fn waiting(&self) -> u64 {
        self.next_seq
            .0
            .saturating_sub(self.head.0)
            .saturating_sub(self.departed.len() as u64)
    }

    /// True when `seq` is no longer waiting: admitted (at or below head) or departed.
    pub fn is_done(&self, seq: Seq) -> bool {
        seq <= self.head || self.departed.contains(&seq.0)
    }

    /// The position of a waiting sequence number: everyone still waiting with a lower number,
    /// plus one. `None` if it is no longer waiting.
    ///
    /// ```
    /// # use usher::queue::view::EventView;
    /// # use usher::domain::{Position, Seq};
    /// # use usher::store::*;
    /// // Admitted through #10; #12 and #15 left before their turn.
    /// let view = EventView::from_snapshot(EventSnapshot {
    ///     born: 1,
    ///     version: 1,
    ///     config: EventConfig { rate_per_sec: 50.0, burst: 500, max_active: None,
    ///                           entry_window_secs: 120, paused: false, hold: None,
    ///                           schedule: None, pow_difficulty: 0, queue_all: false,
    ///                           announcement: None },
    ///     head: Seq(10),
    ///     next_seq: Seq(20),
    ///     departed: vec![Seq(12), Seq(15)],
    ///     active: 0,
    ///     counters: EventCounters::default(),
    ///     history: AdmissionHistory::default(),
    ///     now_ms: 0,
    ///     draw: None,
    /// });
    /// assert_eq!(view.position(Seq(16)), Some(Position(4))); // #11, #13, #14, then #16
    /// assert_eq!(view.position(Seq(12)), None);
    /// ```
    pub fn position(&self, seq: Seq) -> Option<Position> {
        if self.is_done(seq) {
            return None;
        }
        let departed_ahead = self.departed.range(self.head.0 + 1..seq.0).count() as u64;
        Some(Position(seq.0 - self.head.0 - departed_ahead))
    }

    /// Positions of many waiting sequence numbers, given in ascending order, in one merged walk
    /// over the departed set: O(seqs + departed) however long the queue is.
    pub fn positions<I>(&self, ascending: I) -> impl Iterator<Item = (Seq, Option<Position>)>
    where
        I: IntoIterator<Item = Seq>,
    {
        let mut departed = self.departed.iter().copied().peekable();
        let mut departed_ahead = 0u64;
        let head = self.head.0;
        ascending.into_iter().map(move |seq| {
            while let Some(&d) = departed.peek() {
                if d >= seq.0 {
                    break;
                }
                departed.next();
                departed_ahead += 1;
            }
            let done = seq.0 <= head || departed.peek() == Some(&seq.0);
            let position = (!done).then(|| Position(seq.0 - head - departed_ahead));
            (seq, position)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DepartReason, EventCounters};

    fn config() -> EventConfig {
        EventConfig {
            rate_per_sec: 10.0,
            burst: 10,
            max_active: None,
            entry_window_secs: 60,
            paused: false,
            hold: None,
            schedule: None,
            pow_difficulty: 0,
            queue_all: false,
            announcement: None,
        }
    }

    fn view(head: u64, next: u64, departed: &[u64]) -> EventView {
        EventView::from_snapshot(EventSnapshot {
            born: 0,
            version: 7,
            config: config(),
            head: Seq(head),
            next_seq: Seq(next),
            departed: departed.iter().copied().map(Seq).collect(),
            active: 0,
            counters: EventCounters::default(),
            history: AdmissionHistory::default(),
            now_ms: 0,
            draw: None,
        })
    }

    fn update(version: u64, change: Change) -> EventUpdate {
        EventUpdate {
            born: 0,
            version,
            at_ms: 1_000,
            change,
        }
    }

    #[test]
    fn position_counts_only_waiters_ahead() {
        let v = view(10, 20, &[12, 15]);
        assert_eq!(v.position(Seq(11)), Some(Position(1)));
        assert_eq!(v.position(Seq(13)), Some(Position(2)));
        assert_eq!(v.position(Seq(16)), Some(Position(4)));
        assert_eq!(v.position(Seq(15)), None);
        assert_eq!(v.position(Seq(10)), None);
        assert_eq!(v.waiting(), 8);
    }

    #[test]
    fn merged_walk_agrees_with_single_lookups() {
        let v = view(3, 40, &[4, 9, 10, 22, 39]);
        let seqs: Vec<Seq> = (1..=40).map(Seq).collect();
        for (seq, pos) in v.positions(seqs) {
            assert_eq!(pos, v.position(seq), "seq {seq:?}");
        }
    }

    #[test]
    fn departures_and_steps_move_everyone_behind() {
        let mut v = view(0, 10, &[]);
        assert_eq!(v.position(Seq(5)), Some(Position(5)));
        let left = Change::Departed {
            seqs: vec![Seq(2)],
            reason: DepartReason::Left,
        };
        assert_eq!(v.apply(&update(8, left)), Ok(true));
        assert_eq!(v.position(Seq(5)), Some(Position(4)));
        let step = Change::Step {
            head: Seq(3),
            admitted: 2,
            next_seq: Seq(12),
            lapsed: vec![],
            active: 2,
            entry_window_secs: 60,
        };
        assert_eq!(v.apply(&update(9, step)), Ok(true));
        assert_eq!(v.position(Seq(5)), Some(Position(2)));
        assert_eq!(v.waiting(), 9);
        assert_eq!(v.history.count_within(1_000, 60_000), 2);
    }

    #[test]
    fn an_update_from_another_life_of_the_event_is_a_gap_whatever_its_version() {
        let mut v = view(0, 10, &[]);
        let step = Change::Step {
            head: Seq(1),
            admitted: 1,
            next_seq: Seq(2),
            lapsed: vec![],
            active: 1,
            entry_window_secs: 60,
        };
        let reborn = EventUpdate {
            born: 1,
            ..update(8, step)
        };
        assert!(v.apply(&reborn).is_err());
        assert_eq!(v.head, Seq(0), "nothing of it applied");
    }

    #[test]
    fn stale_updates_are_ignored_and_gaps_reported() {
        let mut v = view(0, 10, &[]);
        let cfg = Change::Config(config());
        assert_eq!(v.apply(&update(7, cfg.clone())), Ok(false));
        assert_eq!(
            v.apply(&update(9, cfg)),
            Err(Gap {
                expected: 8,
                got: 9
            })
        );
    }
}
