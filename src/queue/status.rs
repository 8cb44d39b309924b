//! How a waiter's status is derived: one payload ([`QueueStatus`], in the protocol) for REST
//! `status` and for WebSocket `snapshot`, `position` and `ready` messages, so both transports
//! always say the same thing.

use super::eta::Rate;
use super::view::EventView;
use crate::domain::{Position, Seq};
use crate::protocol::QueueStatus;
use crate::store::{SalePhase, WaiterRecord, WaiterState};

/// Poll hints grow with the expected wait: 2 s near the front, up to 30 s far back.
const POLL_MIN_MS: u64 = 2_000;
const POLL_MAX_MS: u64 = 30_000;

impl QueueStatus {
    /// A waiter at `position`.
    pub fn waiting(
        position: Position,
        joined_at_ms: u64,
        view: &EventView,
        rate: &Rate,
        now_ms: u64,
    ) -> Self {
        let eta = rate.eta(position.0);
        Self {
            status: "waiting",
            phase: "waiting",
            position: position.0,
            eta_sec: eta.eta_sec,
            waiting_time: now_ms.saturating_sub(joined_at_ms) / 1_000,
            ready_for_entry: false,
            eta_range: eta.range,
            confidence: rate.confidence,
            admission_rate: round3(rate.per_sec),
            total_waiting: view.waiting(),
            poll_after_ms: (eta.eta_sec * 1_000 / 4).clamp(POLL_MIN_MS, POLL_MAX_MS),
            paused: view.config.paused_at(now_ms),
            pause_reason: view.config.hold_at(now_ms).map(|h| h.reason.clone()),
            entry_deadline: None,
            admitted_at: None,
            queueing_method: None,
            sale_starts_at: None,
            sale_ends_at: None,
            prequeue_size: None,
            drawn_rank: None,
            queue_all: view.config.queue_all,
            announcement: view.config.announcement.clone(),
        }
    }

    /// What a scheduled sale adds for the waiter with sequence number `seq`: its times, the
    /// pre-queue, the drawn rank. Before the start a waiter is in the `prequeue` phase; an
    /// entrant of a random start has no position until its draw is made (`drawing` once the
    /// start has passed), and in a FIFO pre-queue the wait includes the time to the start.
    /// After the end a waiter's phase is `ended`.
    pub fn scheduled(mut self, view: &EventView, seq: Seq, now_ms: u64) -> Self {
        let Some(schedule) = &view.config.schedule else {
            return self;
        };
        self.queueing_method = Some(if schedule.is_random() {
            "random_at_start"
        } else {
            "fifo"
        });
        self.sale_starts_at = Some(schedule.sale_starts_at_ms);
        self.sale_ends_at = schedule.sale_ends_at_ms;
        self.drawn_rank = view.drawn_rank(seq);
        if self.phase != "waiting" {
            return self;
        }
        let phase = view.sale_phase(now_ms);
        if phase == SalePhase::Ended {
            self.phase = "ended";
            return self;
        }
        let undrawn = view.undrawn(seq);
        if !undrawn && phase != SalePhase::Prequeue {
            return self;
        }
        self.prequeue_size = Some(view.prequeue_size());
        if undrawn {
            self.phase = if phase == SalePhase::Prequeue {
                "prequeue"
            } else {
                "drawing"
            };
            self.position = 0;
            self.eta_sec = 0;
            self.eta_range = None;
            self.confidence = 0.0;
        } else {
            self.phase = "prequeue";
            let to_start = schedule.sale_starts_at_ms.saturating_sub(now_ms) / 1_000;
            self.eta_sec += to_start;
            self.eta_range = self
                .eta_range
                .map(|[lo, hi]| [lo + to_start, hi + to_start]);
        }
        self
    }

    /// An admitted waiter (may enter), or one that already entered.
    pub fn admitted(
        entered: bool,
        joined_at_ms: u64,
        admitted_at_ms: u64,
        entry_deadline_ms: u64,
        view: &EventView,
        rate: &Rate,
    ) -> Self {
        Self {
            status: if entered { "ready" } else { "waiting" },
            phase: if entered { "entered" } else { "admitted" },
            position: 0,
            eta_sec: 0,
            waiting_time: admitted_at_ms.saturating_sub(joined_at_ms) / 1_000,
            ready_for_entry: !entered,
            eta_range: Some([0, 0]),
            confidence: rate.confidence,
            admission_rate: round3(rate.per_sec),
            total_waiting: view.waiting(),
            poll_after_ms: POLL_MIN_MS,
            paused: view.config.paused,
            pause_reason: None,
            entry_deadline: Some(entry_deadline_ms),
            admitted_at: Some(admitted_at_ms),
            queueing_method: None,
            sale_starts_at: None,
            sale_ends_at: None,
            prequeue_size: None,
            drawn_rank: None,
            queue_all: view.config.queue_all,
            announcement: view.config.announcement.clone(),
        }
    }

    /// The status of a live token from its record; `None` for ended tokens (expired, left).
    ///
    /// If the local view has already seen this waiter admitted while the record (read a moment
    /// earlier) still says waiting, the waiter is reported at position 1: the next push or poll
    /// brings the admission.
    pub fn from_record(
        record: &WaiterRecord,
        view: &EventView,
        rate: &Rate,
        now_ms: u64,
    ) -> Option<Self> {
        match record.state {
            WaiterState::Waiting => {
                let position = view.position(view.order(record.seq)).unwrap_or(Position(1));
                Some(
                    Self::waiting(position, record.joined_at_ms, view, rate, now_ms)
                        .scheduled(view, record.seq, now_ms),
                )
            }
            WaiterState::Admitted | WaiterState::Entered => Some(
                Self::admitted(
                    record.state == WaiterState::Entered,
                    record.joined_at_ms,
                    record.admitted_at_ms.unwrap_or(record.joined_at_ms),
                    record.entry_deadline_ms.unwrap_or(now_ms),
                    view,
                    rate,
                )
                .scheduled(view, record.seq, now_ms),
            ),
            WaiterState::Expired | WaiterState::Left => None,
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1_000.0).round() / 1_000.0
}
