//! One event's state on this node: the local [`EventView`] and the node's own sockets, ordered
//! by admission order (the sequence number, or an entrant's drawn rank once a random start's
//! draw is made: see [`EventView::order`]). Synchronous: the run loop ([`super::run`]) feeds it updates and ticks;
//! everything it tells a socket goes through the socket's [`Conn`].

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::{Conn, HubSettings};
use crate::clock::Clock;
use crate::domain::{EventId, Seq, WaitingToken};
use crate::metrics::Metrics;
use crate::protocol::QueueStatus;
use crate::protocol::{CloseReason, ExpiredReason, Notice, Push};
use crate::queue::eta::Rate;
use crate::queue::view::{EventView, Gap};
use crate::store::{
    Change, DepartReason, DrawRecord, EventConfig, EventSnapshot, EventUpdate, SalePhase,
    WaiterRecord, WaiterState,
};

pub(super) struct LocalWaiter {
    token: WaitingToken,
    seq: Seq,
    conn: Conn,
    joined_at_ms: u64,
    /// What the last push told: the position, or in the pre-queue its size (see
    /// [`told_key`]).
    last_position: Option<u64>,
    last_push: Instant,
    /// Whether the event was paused when this socket was last told (snapshot or notice).
    told_paused: bool,
    /// Whether the event queued everyone when this socket was last told.
    told_queue_all: bool,
    /// When this node predicted, at attach time, the waiter would be admitted (for the ETA
    /// accuracy figure) and when that prediction was made.
    predicted_admit_ms: u64,
    predicted_at_ms: u64,
}

pub(super) struct LocalAdmitted {
    pub(super) conn: Conn,
}

pub(super) struct ChannelState {
    pub(super) view: EventView,
    /// Push slices (bit per slice) that have not pushed since the last change.
    pub(super) dirty: u32,
    /// Set when the channel is evicted; attaching to a closed channel must retry.
    pub(super) closed: bool,
    /// By admission order.
    pub(super) waiting: BTreeMap<Seq, LocalWaiter>,
    /// Each waiting socket's admission order.
    pub(super) by_token: HashMap<WaitingToken, Seq>,
    pub(super) admitted: HashMap<WaitingToken, LocalAdmitted>,
    /// Waiting sockets attached since the last heartbeat renewal: the store learns soon that
    /// this node holds them, not only at the next renewal of all.
    unheld: Vec<WaitingToken>,
    /// Sum and count of relative ETA errors of admitted local waiters.
    eta_error_sum: f64,
    eta_error_count: u64,
}

impl ChannelState {
    /// Keys the waiting sockets by the view's admission order again (a draw was made).
    fn rekey(&mut self) {
        let waiting = std::mem::take(&mut self.waiting);
        for w in waiting.into_values() {
            let order = self.view.order(w.seq);
            self.by_token.insert(w.token, order);
            self.waiting.insert(order, w);
        }
    }

    /// Removes the socket of `token`, waiting or admitted, and returns it.
    fn unregister(&mut self, token: WaitingToken) -> Option<Conn> {
        self.by_token
            .remove(&token)
            .and_then(|seq| self.waiting.remove(&seq).map(|w| w.conn))
            .or_else(|| self.admitted.remove(&token).map(|a| a.conn))
    }

    /// Every local socket of the event: waiting and admitted.
    fn conns(&self) -> impl Iterator<Item = &Conn> {
        self.waiting
            .values()
            .map(|w| &w.conn)
            .chain(self.admitted.values().map(|a| &a.conn))
    }
}

/// One event's state on this node.
pub struct EventChannel {
    pub event: EventId,
    pub(super) state: Mutex<ChannelState>,
    clock: Clock,
    last_used_ms: AtomicU64,
}

/// The outcome of attaching a socket.
pub enum Attached {
    /// Registered; the snapshot is queued on the connection.
    Live,
    /// The token is not live (the local view or store saw it end): nothing registered.
    Ended(WaiterState),
}

/// Tells a socket its place is gone with the store's data, and closes it (4410).
/// What a push told, to tell whether the next one would say something new: the position, or
/// in the pre-queue its size (marked by the top bit) with the phase.
fn told_key(status: &QueueStatus) -> u64 {
    match status.prequeue_size {
        Some(size) if status.position == 0 => {
            (1 << 63) | (u64::from(status.phase == "drawing") << 62) | size
        }
        _ => status.position,
    }
}

fn lost(conn: &Conn) {
    conn.push(Push::Expired {
        reason: ExpiredReason::PlaceLost,
    });
    conn.close(CloseReason::Expired);
}

impl EventChannel {
    pub(super) fn new(event: EventId, view: EventView, clock: Clock) -> Self {
        let used = clock.now_ms();
        Self {
            event,
            clock,
            state: Mutex::new(ChannelState {
                view,
                dirty: 0,
                closed: false,
                waiting: BTreeMap::new(),
                by_token: HashMap::new(),
                admitted: HashMap::new(),
                unheld: Vec::new(),
                eta_error_sum: 0.0,
                eta_error_count: 0,
            }),
            last_used_ms: AtomicU64::new(used),
        }
    }

    fn touch_used(&self) {
        self.last_used_ms
            .store(self.clock.now_ms(), Ordering::Relaxed);
    }

    /// The status of a record as this node sees it (REST status, join response).
    pub fn status_of(&self, record: &WaiterRecord) -> Option<QueueStatus> {
        self.touch_used();
        let now = self.clock.now_ms();
        let mut st = self.state.lock();
        st.view.observe_seq(record.seq);
        let rate = st.view.rate(now);
        QueueStatus::from_record(record, &st.view, &rate, now)
    }

    /// The event's settings and draw, by this node's view.
    pub fn view_of(&self) -> (EventConfig, Option<DrawRecord>) {
        self.touch_used();
        let st = self.state.lock();
        (st.view.config.clone(), st.view.draw.clone())
    }

    /// ETA figures for a fresh join at `position`.
    pub fn rate_now(&self) -> Rate {
        let st = self.state.lock();
        st.view.rate(self.clock.now_ms())
    }

    /// Registers a socket for `record` and queues its snapshot, atomically with respect to
    /// updates (no update can fall between the snapshot and the registration).
    pub(super) fn attach(&self, record: &WaiterRecord, conn: Conn) -> Option<Attached> {
        let now = self.clock.now_ms();
        let mut st = self.state.lock();
        if st.closed {
            return None;
        }
        st.view.observe_seq(record.seq);
        let rate = st.view.rate(now);
        let Some(status) = QueueStatus::from_record(record, &st.view, &rate, now) else {
            return Some(Attached::Ended(record.state));
        };
        // One socket per token per node: a newer connection replaces the older one.
        if let Some(old_seq) = st.by_token.remove(&record.token)
            && let Some(old) = st.waiting.remove(&old_seq)
        {
            old.conn.close(CloseReason::Replaced);
        }
        if let Some(old) = st.admitted.remove(&record.token) {
            old.conn.close(CloseReason::Replaced);
        }
        let eta_sec = status.eta_sec;
        let state = record.state;
        let told = told_key(&status);
        conn.push(Push::Snapshot(status));
        let order = st.view.order(record.seq);
        match state {
            WaiterState::Waiting if !st.view.is_done(order) => {
                st.by_token.insert(record.token, order);
                st.unheld.push(record.token);
                let told_paused = st.view.config.paused_at(now);
                let told_queue_all = st.view.config.queue_all;
                st.waiting.insert(
                    order,
                    LocalWaiter {
                        token: record.token,
                        seq: record.seq,
                        conn,
                        joined_at_ms: record.joined_at_ms,
                        last_position: Some(told),
                        last_push: Instant::now(),
                        told_paused,
                        told_queue_all,
                        predicted_admit_ms: now + eta_sec * 1_000,
                        predicted_at_ms: now,
                    },
                );
            }
            WaiterState::Waiting => {
                // Admitted or departed in the instant between the store read and this lock:
                // the caller re-reads the record and attaches again.
                return None;
            }
            // Entered sockets stay registered too: their purchase outcomes are pushed.
            WaiterState::Admitted | WaiterState::Entered => {
                st.admitted.insert(record.token, LocalAdmitted { conn });
            }
            _ => {}
        }
        self.touch_used();
        Some(Attached::Live)
    }

    /// Removes a socket if it is still the registered one for its token.
    pub(super) fn detach(&self, token: WaitingToken, conn_id: u64) -> bool {
        let mut st = self.state.lock();
        if let Some(&seq) = st.by_token.get(&token)
            && st.waiting.get(&seq).is_some_and(|w| w.conn.id == conn_id)
        {
            st.waiting.remove(&seq);
            st.by_token.remove(&token);
            self.touch_used();
            return true;
        }
        if st
            .admitted
            .get(&token)
            .is_some_and(|a| a.conn.id == conn_id)
        {
            st.admitted.remove(&token);
            self.touch_used();
            return true;
        }
        false
    }

    /// Folds one update into the view and delivers what it means to local sockets.
    pub(super) fn apply(&self, update: &EventUpdate, metrics: &Metrics) -> Result<(), Gap> {
        let mut st = self.state.lock();
        let announced = st.view.config.announcement.clone();
        if !st.view.apply(update)? {
            return Ok(());
        }
        st.dirty = u32::MAX;
        let st = &mut *st;
        match &update.change {
            Change::Step {
                head,
                lapsed,
                entry_window_secs,
                ..
            } => {
                let rest = st.waiting.split_off(&Seq(head.0 + 1));
                let admitted = std::mem::replace(&mut st.waiting, rest);
                if !admitted.is_empty() {
                    let rate = st.view.rate(update.at_ms);
                    let deadline = update.at_ms + u64::from(*entry_window_secs) * 1_000;
                    let now = self.clock.now_ms();
                    metrics
                        .ready_latency
                        .observe(now.saturating_sub(update.at_ms) as f64 / 1_000.0);
                    for w in admitted.into_values() {
                        st.by_token.remove(&w.token);
                        let status = QueueStatus::admitted(
                            false,
                            w.joined_at_ms,
                            update.at_ms,
                            deadline,
                            &st.view,
                            &rate,
                        )
                        .scheduled(&st.view, w.seq, now);
                        w.conn.push(Push::Ready(status));
                        let actual = update.at_ms.saturating_sub(w.predicted_at_ms).max(1_000);
                        let error =
                            update.at_ms.abs_diff(w.predicted_admit_ms) as f64 / actual as f64;
                        metrics.eta_error.observe(error);
                        st.eta_error_sum += error.min(1.0);
                        st.eta_error_count += 1;
                        st.admitted.insert(w.token, LocalAdmitted { conn: w.conn });
                    }
                    if metrics.has_event_series(self.event.as_str()) {
                        metrics
                            .eta_accuracy
                            .with_label_values(&[self.event.as_str()])
                            .set(1.0 - st.eta_error_sum / st.eta_error_count as f64);
                    }
                }
                for token in lapsed {
                    if let Some(a) = st.admitted.remove(token) {
                        a.conn.push(Push::Expired {
                            reason: ExpiredReason::EntryWindowEnded,
                        });
                        a.conn.close(CloseReason::Expired);
                    }
                }
            }
            Change::Departed { seqs, reason } => {
                for seq in seqs {
                    if let Some(w) = st.waiting.remove(seq) {
                        st.by_token.remove(&w.token);
                        match reason {
                            DepartReason::Left => {
                                w.conn.push(Push::Left {});
                                w.conn.close(CloseReason::Left);
                            }
                            DepartReason::Expired => {
                                w.conn.push(Push::Expired {
                                    reason: ExpiredReason::HeartbeatLost,
                                });
                                w.conn.close(CloseReason::Expired);
                            }
                        }
                    }
                }
            }
            Change::Notice {
                token: Some(token),
                notice: Notice::Revoked,
            } => {
                // Told why, closed, and no longer this node's to push to.
                let waiting = st
                    .by_token
                    .remove(token)
                    .and_then(|seq| st.waiting.remove(&seq));
                let conn = waiting
                    .map(|w| w.conn)
                    .or_else(|| st.admitted.remove(token).map(|a| a.conn));
                if let Some(conn) = conn {
                    conn.push(Notice::Revoked.into());
                    conn.close(CloseReason::Expired);
                }
            }
            Change::Notice {
                token: Some(token),
                notice,
            } => {
                let conn = st
                    .by_token
                    .get(token)
                    .and_then(|seq| st.waiting.get(seq))
                    .map(|w| &w.conn)
                    .or_else(|| st.admitted.get(token).map(|a| &a.conn));
                if let Some(conn) = conn {
                    conn.push(notice.clone().into());
                }
            }
            Change::Notice {
                token: None,
                notice,
            } => {
                let push: Push = notice.clone().into();
                st.conns().for_each(|conn| conn.push(push.clone()));
            }
            // A pause or resume is told to each waiting socket in its push slice, just before its
            // position: tens of thousands of notices at once would delay everything behind them.
            // An operator's new message, or its withdrawal, goes to every socket at once: it
            // may be urgent.
            Change::Config(config) if config.announcement != announced => {
                let push = match &config.announcement {
                    Some(a) => Push::Announcement {
                        message: a.message.clone(),
                        at_ms: a.at_ms,
                    },
                    None => Push::AnnouncementWithdrawn {},
                };
                st.conns().for_each(|conn| conn.push(push.clone()));
            }
            Change::Config(_) => {}
            // A made draw orders the entrants by rank: their positions follow at the next push.
            Change::Draw(_) => st.rekey(),
        }
        Ok(())
    }

    /// Pushes positions that changed (or are due a keepalive) to the local waiting sockets of
    /// push slice `slice` of `slices` (by sequence number).
    pub(super) fn push_positions(
        &self,
        settings: &HubSettings,
        metrics: &Metrics,
        slice: u32,
        slices: u32,
    ) {
        let now = self.clock.now_ms();
        let instant = Instant::now();
        let mut st = self.state.lock();
        let st = &mut *st;
        let rate = st.view.rate(now);
        if metrics.has_event_series(self.event.as_str()) {
            metrics
                .admission_rate
                .with_label_values(&[self.event.as_str()])
                .set(rate.per_sec);
            metrics
                .queue_paused
                .with_label_values(&[self.event.as_str()])
                .set(i64::from(st.view.config.paused));
        }
        let bit = 1 << slice;
        let dirty = st.dirty & bit != 0;
        st.dirty &= !bit;
        let in_slice = |seq: &Seq| seq.0 % u64::from(slices) == u64::from(slice);
        let positions: Vec<_> = st
            .view
            .positions(st.waiting.keys().copied().filter(in_slice))
            .map(|(_, p)| p)
            .collect();
        let paused = st.view.config.paused_at(now);
        let queue_all = st.view.config.queue_all;
        let reason = st.view.config.hold_at(now).map(|h| h.reason.clone());
        let cancelled = st
            .view
            .config
            .schedule
            .as_ref()
            .is_some_and(|s| s.cancelled);
        if st.view.sale_phase(now) == SalePhase::Ended {
            // The sale is over: every waiting socket of this slice is told and closed; the
            // reaper ends their places once their heartbeats lapse.
            let ended: Vec<Seq> = st.waiting.keys().copied().filter(in_slice).collect();
            for order in ended {
                if let Some(w) = st.waiting.remove(&order) {
                    st.by_token.remove(&w.token);
                    w.conn.push(Push::SaleEnded {
                        event_id: self.event.to_string(),
                        cancelled,
                    });
                    w.conn.close(CloseReason::SaleEnded);
                }
            }
            return;
        }
        // An unscheduled sale's push says something new when the position changed; a
        // scheduled one's status is built first, since the pre-queue's size may have.
        let scheduled = st.view.config.schedule.is_some();
        let view = &st.view;
        let status_of = |position, w: &LocalWaiter| {
            QueueStatus::waiting(position, w.joined_at_ms, view, &rate, now)
                .scheduled(view, w.seq, now)
        };
        let waiters = st.waiting.iter_mut().filter(|(seq, _)| in_slice(seq));
        for ((_, w), position) in waiters.zip(positions) {
            let Some(position) = position else {
                continue;
            };
            let status = scheduled.then(|| status_of(position, w));
            let told = status.as_ref().map_or(position.0, told_key);
            if w.told_paused != paused {
                w.told_paused = paused;
                w.conn.push(if paused {
                    Push::Paused {
                        reason: reason.clone(),
                    }
                } else {
                    Push::Resumed {}
                });
            }
            // Queueing everyone or no longer: the status says so, whatever the position.
            let gathering = w.told_queue_all != queue_all;
            w.told_queue_all = queue_all;
            let changed = gathering || dirty && w.last_position != Some(told);
            let due = instant.duration_since(w.last_push) >= settings.keepalive;
            if changed || due {
                let status = status.unwrap_or_else(|| status_of(position, w));
                w.conn.push(Push::Position(status));
                w.last_position = Some(told);
                w.last_push = instant;
            }
        }
    }

    /// The position of a waiter that just joined with `seq`, by this node's view (`None` if
    /// the view already counts it admitted).
    pub(super) fn joined_position(&self, seq: Seq) -> Option<u64> {
        let mut st = self.state.lock();
        st.view.observe_seq(seq);
        if st.view.undrawn(seq) {
            // In a random start's pre-queue: no position until the draw.
            return Some(0);
        }
        let order = st.view.order(seq);
        st.view.position(order).map(|p| p.0)
    }

    /// Every waiting socket's token; the renewal this is for holds the fresh ones too.
    pub(super) fn waiting_tokens(&self) -> Vec<WaitingToken> {
        let mut st = self.state.lock();
        st.unheld.clear();
        st.waiting.values().map(|w| w.token).collect()
    }

    /// The tokens of waiting sockets attached since the last renewal.
    pub(super) fn take_unheld(&self) -> Vec<WaitingToken> {
        std::mem::take(&mut self.state.lock().unheld)
    }

    /// Tokens of local sockets, for a resynchronisation.
    pub(super) fn local_tokens(&self) -> Vec<WaitingToken> {
        let st = self.state.lock();
        st.by_token
            .keys()
            .chain(st.admitted.keys())
            .copied()
            .collect()
    }

    pub(super) fn is_idle(&self, idle_ttl: Duration) -> bool {
        let st = self.state.lock();
        st.waiting.is_empty()
            && st.admitted.is_empty()
            && self
                .clock
                .now_ms()
                .saturating_sub(self.last_used_ms.load(Ordering::Relaxed))
                >= idle_ttl.as_millis() as u64
    }

    /// Local sockets and the ETA accuracy figure, for admin stats.
    pub fn local_stats(&self) -> (u64, Option<f64>) {
        let st = self.state.lock();
        let sockets = (st.waiting.len() + st.admitted.len()) as u64;
        let accuracy =
            (st.eta_error_count > 0).then(|| 1.0 - st.eta_error_sum / st.eta_error_count as f64);
        (sockets, accuracy)
    }

    /// Calls `f` with every local socket (waiting and admitted).
    fn for_each_conn(&self, f: impl FnMut(&Conn)) {
        self.state.lock().conns().for_each(f);
    }

    /// Queues `push` on every local socket.
    pub(super) fn broadcast(&self, push: &Push) {
        self.for_each_conn(|conn| conn.push(push.clone()));
    }

    /// Closes every local socket with a reconnect hint (node draining). Hints are spread over
    /// the upper half of `retry_after_ms` so that the sockets do not all return at once.
    pub(super) fn drain(&self, retry_after_ms: u64) {
        let half = retry_after_ms / 2;
        self.for_each_conn(|conn| {
            // A multiplicative hash of the connection id: cheap, deterministic jitter.
            let jitter = conn.id.wrapping_mul(0x9E37_79B9_7F4A_7C15) % (half + 1);
            conn.push(Push::Reconnect {
                retry_after_ms: retry_after_ms - half + jitter,
            });
            conn.close(CloseReason::Restarting);
        });
    }

    /// Tells the socket of `token` that the store lost its place, closes it (4410) and forgets
    /// it. Nothing is invented for a waiter the store no longer knows.
    pub(super) fn lose(&self, token: WaitingToken) {
        if let Some(conn) = self.state.lock().unregister(token) {
            lost(&conn);
        }
    }

    /// The store lost the whole event: every local socket is told and closed, and the channel
    /// closes (a new join opens a new one).
    pub(super) fn lose_all(&self) {
        let mut st = self.state.lock();
        st.closed = true;
        st.conns().for_each(lost);
        st.waiting.clear();
        st.by_token.clear();
        st.admitted.clear();
    }

    /// Replaces the view with one rebuilt from a snapshot after missed updates; the departure
    /// history is this node's own observation and survives.
    pub(super) fn rebuild(&self, snapshot: EventSnapshot) {
        let mut st = self.state.lock();
        let departures = std::mem::take(&mut st.view.departures);
        st.view = EventView::from_snapshot(snapshot);
        st.view.departures = departures;
        st.rekey();
        st.dirty = u32::MAX;
    }

    /// After a rebuild, settles a local socket by its waiter's record as the store has it now:
    /// admitted meanwhile is `ready`, ended meanwhile is `left` or `expired` and closed.
    pub(super) fn settle(&self, token: WaitingToken, record: &WaiterRecord) {
        let mut st = self.state.lock();
        let now = self.clock.now_ms();
        let rate = st.view.rate(now);
        match record.state {
            WaiterState::Waiting => {}
            WaiterState::Admitted | WaiterState::Entered => {
                if let Some(seq) = st.by_token.remove(&token)
                    && let Some(w) = st.waiting.remove(&seq)
                {
                    if let Some(status) = QueueStatus::from_record(record, &st.view, &rate, now) {
                        w.conn.push(Push::Ready(status));
                    }
                    st.admitted.insert(token, LocalAdmitted { conn: w.conn });
                }
            }
            WaiterState::Expired | WaiterState::Left => {
                if let Some(conn) = st.unregister(token) {
                    if record.state == WaiterState::Left {
                        conn.push(Push::Left {});
                        conn.close(CloseReason::Left);
                    } else {
                        let reason = if record.admitted_at_ms.is_some() {
                            ExpiredReason::EntryWindowEnded
                        } else {
                            ExpiredReason::HeartbeatLost
                        };
                        conn.push(Push::Expired { reason });
                        conn.close(CloseReason::Expired);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Outbound;
    use crate::store::{AdmissionHistory, EventConfig, EventCounters};
    use tokio::sync::mpsc;

    /// What a socket was told: a message, or a close.
    #[derive(Debug, PartialEq)]
    #[allow(clippy::large_enum_variant)] // A test's record, matched on by value.
    enum Told {
        Push(Push),
        Close(CloseReason),
    }

    /// A fake connection: the receiving end the session would drain, read synchronously.
    struct FakeSocket {
        conn: Conn,
        rx: mpsc::Receiver<Outbound>,
    }

    impl FakeSocket {
        fn new(id: u64) -> Self {
            let (conn, rx, _kill) = Conn::new(id, 64, Metrics::default());
            Self { conn, rx }
        }

        fn told(&mut self) -> Vec<Told> {
            let mut out = Vec::new();
            while let Ok(o) = self.rx.try_recv() {
                out.push(match o {
                    Outbound::Message(m) => Told::Push(m.push),
                    Outbound::Close(r) => Told::Close(r),
                });
            }
            out
        }

        /// The positions pushed, in order, ignoring other messages.
        fn positions(&mut self) -> Vec<u64> {
            self.told()
                .into_iter()
                .filter_map(|t| match t {
                    Told::Push(Push::Position(s)) => Some(s.position),
                    _ => None,
                })
                .collect()
        }
    }

    const T0: u64 = 1_700_000_000_000;

    fn config(paused: bool) -> EventConfig {
        EventConfig {
            rate_per_sec: 1.0,
            burst: 1,
            max_active: None,
            entry_window_secs: 60,
            paused,
            hold: None,
            schedule: None,
            pow_difficulty: 0,
            queue_all: false,
            announcement: None,
        }
    }

    /// A channel whose event has waiters with sequence numbers 1 to `waiting`.
    fn channel(waiting: u64) -> (EventChannel, Clock) {
        let clock = Clock::manual(T0);
        let view = EventView::from_snapshot(EventSnapshot {
            born: 0,
            version: 1,
            config: config(false),
            head: Seq(0),
            next_seq: Seq(waiting + 1),
            departed: vec![],
            active: 0,
            counters: EventCounters::default(),
            history: AdmissionHistory::default(),
            now_ms: T0,
            draw: None,
        });
        let event = EventId::parse("evt-hub").unwrap();
        (EventChannel::new(event, view, clock.clone()), clock)
    }

    fn record(seq: u64, state: WaiterState) -> WaiterRecord {
        WaiterRecord {
            token: WaitingToken::new(),
            event: EventId::parse("evt-hub").unwrap(),
            user: None,
            seq: Seq(seq),
            state,
            joined_at_ms: T0,
            admitted_at_ms: None,
            entry_deadline_ms: None,
        }
    }

    /// Attaches a socket for the waiter with sequence number `seq` and drops its snapshot.
    fn attach(ch: &EventChannel, seq: u64, id: u64) -> (FakeSocket, WaiterRecord) {
        let mut socket = FakeSocket::new(id);
        let rec = record(seq, WaiterState::Waiting);
        assert!(matches!(
            ch.attach(&rec, socket.conn.clone()),
            Some(Attached::Live)
        ));
        let told = socket.told();
        assert!(
            matches!(&told[..], [Told::Push(Push::Snapshot(s))] if s.position == seq),
            "{told:?}"
        );
        (socket, rec)
    }

    fn settings(keepalive: Duration) -> HubSettings {
        HubSettings {
            push_interval: Duration::from_secs(1),
            keepalive,
            touch_interval: Duration::from_secs(5),
            grace: Duration::from_secs(30),
            idle_ttl: Duration::from_secs(60),
            lease: Duration::from_secs(600),
        }
    }

    fn update(version: u64, change: Change) -> EventUpdate {
        EventUpdate {
            born: 0,
            version,
            at_ms: T0,
            change,
        }
    }

    fn step(version: u64, head: u64, next: u64) -> EventUpdate {
        update(
            version,
            Change::Step {
                head: Seq(head),
                admitted: 1,
                next_seq: Seq(next),
                lapsed: vec![],
                active: head,
                entry_window_secs: 60,
            },
        )
    }

    fn departed(version: u64, seq: u64, reason: DepartReason) -> EventUpdate {
        update(
            version,
            Change::Departed {
                seqs: vec![Seq(seq)],
                reason,
            },
        )
    }

    const QUIET: Duration = Duration::from_secs(3_600);

    #[test]
    fn a_joiner_is_told_the_position_its_socket_will_be_told_first() {
        // The view counts five waiting; whatever the store answered the join with (it may
        // have admitted some already, while this view catches up), the joiner is told the
        // view's number, and the socket's snapshot is no higher.
        let (ch, _) = channel(5);
        assert_eq!(ch.joined_position(Seq(6)), Some(6));
        attach(&ch, 6, 1);
    }

    #[test]
    fn an_admission_is_ready_at_once_and_moves_the_others_at_their_next_push() {
        let (ch, _) = channel(3);
        let m = Metrics::default();
        let (mut first, _) = attach(&ch, 1, 1);
        let (mut third, _) = attach(&ch, 3, 3);
        ch.apply(&step(2, 1, 4), &m).unwrap();
        let told = first.told();
        assert!(
            matches!(&told[..], [Told::Push(Push::Ready(s))] if s.ready_for_entry),
            "{told:?}"
        );
        assert!(third.told().is_empty(), "positions wait for the push tick");
        ch.push_positions(&settings(QUIET), &m, 0, 1);
        assert_eq!(third.positions(), [2]);
    }

    #[test]
    fn changes_between_two_pushes_are_coalesced_into_one_and_an_unchanged_position_is_not_repeated()
    {
        let (ch, _) = channel(5);
        let m = Metrics::default();
        let (mut fifth, _) = attach(&ch, 5, 5);
        ch.apply(&departed(2, 1, DepartReason::Left), &m).unwrap();
        ch.apply(&departed(3, 2, DepartReason::Expired), &m)
            .unwrap();
        ch.apply(&step(4, 3, 6), &m).unwrap();
        ch.push_positions(&settings(QUIET), &m, 0, 1);
        assert_eq!(fifth.positions(), [2], "one push, with the latest position");
        ch.push_positions(&settings(QUIET), &m, 0, 1);
        assert!(fifth.told().is_empty(), "nothing changed");
        ch.push_positions(&settings(Duration::ZERO), &m, 0, 1);
        assert_eq!(fifth.positions(), [2], "a keepalive repeats it");
    }

    #[test]
    fn each_push_slice_serves_only_the_waiters_whose_sequence_number_falls_in_it() {
        let (ch, _) = channel(5);
        let m = Metrics::default();
        let (mut four, _) = attach(&ch, 4, 4);
        let (mut five, _) = attach(&ch, 5, 5);
        ch.apply(&step(2, 1, 6), &m).unwrap();
        // Two slices: even sequence numbers in slice 0, odd ones in slice 1.
        ch.push_positions(&settings(QUIET), &m, 0, 2);
        assert_eq!((four.positions(), five.positions()), (vec![3], vec![]));
        ch.push_positions(&settings(QUIET), &m, 1, 2);
        assert_eq!((four.positions(), five.positions()), (vec![], vec![4]));
        // A slice that has pushed since the last change does not push again.
        ch.push_positions(&settings(QUIET), &m, 0, 2);
        assert!(four.told().is_empty());
    }

    #[test]
    fn a_pause_and_a_resume_are_told_in_each_waiters_slice_once() {
        let (ch, _) = channel(2);
        let m = Metrics::default();
        let (mut one, _) = attach(&ch, 1, 1);
        let (mut two, _) = attach(&ch, 2, 2);
        ch.apply(&update(2, Change::Config(config(true))), &m)
            .unwrap();
        assert!(one.told().is_empty(), "told at the push, not at once");
        ch.push_positions(&settings(QUIET), &m, 1, 2);
        assert_eq!(one.told(), [Told::Push(Push::Paused { reason: None })]);
        assert!(two.told().is_empty(), "slice 0 has not pushed yet");
        ch.push_positions(&settings(QUIET), &m, 0, 2);
        assert_eq!(two.told(), [Told::Push(Push::Paused { reason: None })]);
        ch.push_positions(&settings(QUIET), &m, 1, 2);
        assert!(one.told().is_empty(), "told once");
        ch.apply(&update(3, Change::Config(config(false))), &m)
            .unwrap();
        ch.push_positions(&settings(QUIET), &m, 1, 2);
        assert_eq!(one.told(), [Told::Push(Push::Resumed {})]);
    }

    #[test]
    fn departures_tell_and_close_the_departed_socket_only() {
        let (ch, _) = channel(3);
        let m = Metrics::default();
        let (mut one, _) = attach(&ch, 1, 1);
        let (mut two, _) = attach(&ch, 2, 2);
        let (mut three, _) = attach(&ch, 3, 3);
        ch.apply(&departed(2, 1, DepartReason::Left), &m).unwrap();
        ch.apply(&departed(3, 2, DepartReason::Expired), &m)
            .unwrap();
        assert_eq!(
            one.told(),
            [Told::Push(Push::Left {}), Told::Close(CloseReason::Left)]
        );
        assert_eq!(
            two.told(),
            [
                Told::Push(Push::Expired {
                    reason: ExpiredReason::HeartbeatLost
                }),
                Told::Close(CloseReason::Expired)
            ]
        );
        assert!(three.told().is_empty());
        ch.push_positions(&settings(QUIET), &m, 0, 1);
        assert_eq!(three.positions(), [1]);
        assert_eq!(ch.local_stats().0, 1, "only the third socket is left");
    }

    #[test]
    fn a_gap_is_reported_and_a_rebuild_settles_sockets_whose_waiter_changed_meanwhile() {
        let (ch, clock) = channel(2);
        let m = Metrics::default();
        let (mut one, rec) = attach(&ch, 1, 1);
        let (mut two, rec_two) = attach(&ch, 2, 2);
        assert!(
            ch.apply(&step(5, 1, 3), &m).is_err(),
            "version 2 was missed"
        );
        clock.advance(Duration::from_secs(1));
        ch.rebuild(EventSnapshot {
            born: 0,
            version: 5,
            config: config(false),
            head: Seq(1),
            next_seq: Seq(3),
            departed: vec![Seq(2)],
            active: 1,
            counters: EventCounters::default(),
            history: AdmissionHistory::default(),
            now_ms: clock.now_ms(),
            draw: None,
        });
        let admitted = WaiterRecord {
            state: WaiterState::Admitted,
            admitted_at_ms: Some(clock.now_ms()),
            entry_deadline_ms: Some(clock.now_ms() + 60_000),
            ..rec
        };
        ch.settle(admitted.token, &admitted);
        assert!(matches!(&one.told()[..], [Told::Push(Push::Ready(_))]));
        let left = WaiterRecord {
            state: WaiterState::Left,
            ..rec_two
        };
        ch.settle(left.token, &left);
        assert_eq!(
            two.told(),
            [Told::Push(Push::Left {}), Told::Close(CloseReason::Left)]
        );
    }
}
