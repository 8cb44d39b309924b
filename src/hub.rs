//! The per-node fan-out hub.
//!
//! For every event that has local sockets (or recent REST status calls) the hub keeps one
//! [`EventChannel`]: a local [`EventView`] fed by the store's update channel, and the node's
//! own waiters ordered by sequence number. One task per channel
//! - applies updates as they arrive; admissions become `ready` pushes at once, departures
//!   become `expired`/`left`;
//! - every push interval, derives the local positions (one merged walk per slice, below),
//!   pushes those that changed (or that have heard nothing for the keepalive interval) and
//!   tells each socket of a pause or resume (`paused`/`resumed`). The interval is cut into
//!   slices of about 100 ms and each slice serves the waiters whose sequence number falls in
//!   it, so a node's pushes leave evenly over the interval rather than in one burst per
//!   interval (at tens of thousands of sockets, a burst is what makes the last push of it late);
//! - every touch interval, refreshes the heartbeat of all its open sockets in one store call;
//! - on a version gap, resubscribes and rebuilds its view from a snapshot.
//!
//! Store work is therefore O(1) per event per interval per node, whatever the number of
//! waiters: no store round trip per waiter per tick.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::sync::{Notify, broadcast, mpsc};
use tracing::{debug, warn};

use crate::clock::now_ms;
use crate::domain::{EventId, Seq, WaitingToken};
use crate::metrics::Metrics;
use crate::protocol::{CloseReason, ExpiredReason, Outbound, Outgoing, Push};
use crate::queue::LocalViews;
use crate::queue::eta::Rate;
use crate::queue::status::QueueStatus;
use crate::queue::view::EventView;
use crate::store::{
    Change, DepartReason, EventUpdate, Notice, Store, StoreError, StoreResult, Touch, WaiterRecord,
    WaiterState,
};

/// First wait before retrying a failed resynchronisation; it grows to ten times this.
const RESYNC_BACKOFF: Duration = Duration::from_millis(200);

/// How many slices a push interval is cut into: about 100 ms each, at most 10 (and 1 for
/// intervals under 200 ms).
fn push_slices(interval: Duration) -> u32 {
    (interval.as_millis() / 100).clamp(1, 10) as u32
}

/// Timing of the hub's work.
#[derive(Debug, Clone)]
pub struct HubSettings {
    /// Least time between two position pushes to one waiter.
    pub push_interval: Duration,
    /// Longest time without a position push to a waiting socket.
    pub keepalive: Duration,
    /// How often open sockets' heartbeats are refreshed in the store.
    pub touch_interval: Duration,
    /// Grace period a closed socket's place is kept.
    pub grace: Duration,
    /// How long a channel with no sockets is kept for REST status calls.
    pub idle_ttl: Duration,
}

/// One connection's handle, held by the hub: a bounded outbound queue and a kill switch for
/// consumers that let it overflow.
#[derive(Clone)]
pub struct Conn {
    pub id: u64,
    tx: mpsc::Sender<Outbound>,
    kill: Arc<Notify>,
    metrics: Metrics,
}

impl Conn {
    /// Creates a handle and the receiving ends the connection task owns.
    pub fn new(
        id: u64,
        capacity: usize,
        metrics: Metrics,
    ) -> (Self, mpsc::Receiver<Outbound>, Arc<Notify>) {
        let (tx, rx) = mpsc::channel(capacity);
        let kill = Arc::new(Notify::new());
        (
            Self {
                id,
                tx,
                kill: kill.clone(),
                metrics,
            },
            rx,
            kill,
        )
    }

    /// Queues a message without waiting. A full queue means the client is not reading: it is
    /// disconnected rather than allowed to grow memory.
    pub fn push(&self, push: Push) {
        let kind = push.kind();
        let out = Outbound::Message(Box::new(Outgoing {
            push,
            server_time: now_ms(),
        }));
        match self.tx.try_send(out) {
            Ok(()) => self.metrics.ws_messages.with_label_values(&[kind]).inc(),
            Err(mpsc::error::TrySendError::Full(_)) => self.kill.notify_one(),
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }

    /// Queues a close after everything queued so far.
    pub fn close(&self, reason: CloseReason) {
        if let Err(mpsc::error::TrySendError::Full(_)) = self.tx.try_send(Outbound::Close(reason)) {
            self.kill.notify_one();
        }
    }
}

struct LocalWaiter {
    token: WaitingToken,
    conn: Conn,
    joined_at_ms: u64,
    last_position: Option<u64>,
    last_push: Instant,
    /// Whether the event was paused when this socket was last told (snapshot or notice).
    told_paused: bool,
    /// When this node predicted, at attach time, the waiter would be admitted (for the ETA
    /// accuracy figure) and when that prediction was made.
    predicted_admit_ms: u64,
    predicted_at_ms: u64,
}

struct LocalAdmitted {
    conn: Conn,
}

struct ChannelState {
    view: EventView,
    /// Push slices (bit per slice) that have not pushed since the last change.
    dirty: u32,
    /// Set when the channel is evicted; attaching to a closed channel must retry.
    closed: bool,
    waiting: BTreeMap<Seq, LocalWaiter>,
    by_token: HashMap<WaitingToken, Seq>,
    admitted: HashMap<WaitingToken, LocalAdmitted>,
    /// Sum and count of relative ETA errors of admitted local waiters.
    eta_error_sum: f64,
    eta_error_count: u64,
}

impl ChannelState {
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
    state: Mutex<ChannelState>,
    last_used_ms: AtomicU64,
}

/// The outcome of attaching a socket.
pub enum Attached {
    /// Registered; the snapshot is queued on the connection.
    Live,
    /// The token is not live (the local view or store saw it end): nothing registered.
    Ended(WaiterState),
}

impl EventChannel {
    fn new(event: EventId, view: EventView) -> Self {
        Self {
            event,
            state: Mutex::new(ChannelState {
                view,
                dirty: 0,
                closed: false,
                waiting: BTreeMap::new(),
                by_token: HashMap::new(),
                admitted: HashMap::new(),
                eta_error_sum: 0.0,
                eta_error_count: 0,
            }),
            last_used_ms: AtomicU64::new(now_ms()),
        }
    }

    fn touch_used(&self) {
        self.last_used_ms.store(now_ms(), Ordering::Relaxed);
    }

    /// The status of a record as this node sees it (REST status, join response).
    pub fn status_of(&self, record: &WaiterRecord) -> Option<QueueStatus> {
        self.touch_used();
        let now = now_ms();
        let mut st = self.state.lock();
        st.view.observe_seq(record.seq);
        let rate = st.view.rate(now);
        QueueStatus::from_record(record, &st.view, &rate, now)
    }

    /// ETA figures for a fresh join at `position`.
    pub fn rate_now(&self) -> Rate {
        let st = self.state.lock();
        st.view.rate(now_ms())
    }

    /// Registers a socket for `record` and queues its snapshot, atomically with respect to
    /// updates (no update can fall between the snapshot and the registration).
    fn attach(&self, record: &WaiterRecord, conn: Conn) -> Option<Attached> {
        let now = now_ms();
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
        conn.push(Push::Snapshot(status));
        match state {
            WaiterState::Waiting if !st.view.is_done(record.seq) => {
                st.by_token.insert(record.token, record.seq);
                let position = st.view.position(record.seq).map(|p| p.0);
                let told_paused = st.view.config.paused;
                st.waiting.insert(
                    record.seq,
                    LocalWaiter {
                        token: record.token,
                        conn,
                        joined_at_ms: record.joined_at_ms,
                        last_position: position,
                        last_push: Instant::now(),
                        told_paused,
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
    fn detach(&self, token: WaitingToken, conn_id: u64) -> bool {
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
    fn apply(
        &self,
        update: &EventUpdate,
        metrics: &Metrics,
    ) -> Result<(), crate::queue::view::Gap> {
        let mut st = self.state.lock();
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
                    let now = now_ms();
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
                        );
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
            Change::Config(_) => {}
        }
        Ok(())
    }

    /// Pushes positions that changed (or are due a keepalive) to the local waiting sockets of
    /// push slice `slice` of `slices` (by sequence number).
    fn push_positions(&self, settings: &HubSettings, metrics: &Metrics, slice: u32, slices: u32) {
        let now = now_ms();
        let instant = Instant::now();
        let mut st = self.state.lock();
        let st = &mut *st;
        let rate = st.view.rate(now);
        if metrics.has_event_series(self.event.as_str()) {
            metrics
                .admission_rate
                .with_label_values(&[self.event.as_str()])
                .set(rate.per_sec);
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
        let paused = st.view.config.paused;
        let waiters = st.waiting.iter_mut().filter(|(seq, _)| in_slice(seq));
        for ((_, w), position) in waiters.zip(positions) {
            let Some(position) = position else {
                continue;
            };
            if w.told_paused != paused {
                w.told_paused = paused;
                w.conn.push(if paused {
                    Push::Paused {}
                } else {
                    Push::Resumed {}
                });
            }
            let changed = dirty && w.last_position != Some(position.0);
            let due = instant.duration_since(w.last_push) >= settings.keepalive;
            if changed || due {
                let status = QueueStatus::waiting(position, w.joined_at_ms, &st.view, &rate, now);
                w.conn.push(Push::Position(status));
                w.last_position = Some(position.0);
                w.last_push = instant;
            }
        }
    }

    fn waiting_tokens(&self) -> Vec<WaitingToken> {
        self.state
            .lock()
            .waiting
            .values()
            .map(|w| w.token)
            .collect()
    }

    /// Tokens of local sockets, for a resynchronisation.
    fn local_tokens(&self) -> Vec<WaitingToken> {
        let st = self.state.lock();
        st.by_token
            .keys()
            .chain(st.admitted.keys())
            .copied()
            .collect()
    }

    fn is_idle(&self, idle_ttl: Duration) -> bool {
        let st = self.state.lock();
        st.waiting.is_empty()
            && st.admitted.is_empty()
            && now_ms().saturating_sub(self.last_used_ms.load(Ordering::Relaxed))
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
    fn broadcast(&self, push: &Push) {
        self.for_each_conn(|conn| conn.push(push.clone()));
    }

    /// Closes every local socket with a reconnect hint (node draining). Hints are spread over
    /// the upper half of `retry_after_ms` so that the sockets do not all return at once.
    fn drain(&self, retry_after_ms: u64) {
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
}

/// The hub of one node.
pub struct Hub {
    store: Arc<dyn Store>,
    settings: HubSettings,
    metrics: Metrics,
    channels: Mutex<HashMap<EventId, Arc<EventChannel>>>,
    next_conn_id: AtomicU64,
    /// Signalled when this node sees an event for the first time or an event gets its first
    /// waiter, so the ticker starts admitting for it at once rather than at its next periodic
    /// look at its work list.
    pub new_event: Arc<Notify>,
}

#[async_trait::async_trait]
impl LocalViews for Arc<Hub> {
    async fn join_rate(&self, event: &EventId) -> StoreResult<Option<Rate>> {
        Hub::join_rate(self, event).await
    }

    async fn joined(&self, event: &EventId, position: u64) -> StoreResult<()> {
        // Starts this node's copy of a new event's state (and its ticker).
        self.channel(event).await?;
        if position == 1 {
            // The first waiter may have just made the event live again: the ticker re-reads
            // its work list now rather than at its next periodic look.
            self.new_event.notify_one();
        }
        Ok(())
    }

    async fn status_of(&self, record: &WaiterRecord) -> StoreResult<Option<QueueStatus>> {
        Ok(self.channel(&record.event).await?.status_of(record))
    }
}

impl Hub {
    pub fn new(store: Arc<dyn Store>, settings: HubSettings, metrics: Metrics) -> Arc<Self> {
        Arc::new(Self {
            store,
            settings,
            metrics,
            channels: Mutex::new(HashMap::new()),
            next_conn_id: AtomicU64::new(1),
            new_event: Arc::new(Notify::new()),
        })
    }

    pub fn next_conn_id(&self) -> u64 {
        self.next_conn_id.fetch_add(1, Ordering::Relaxed)
    }

    /// The rate a join's ETA is based on (this node's measurement), or `None` if the event does
    /// not exist. Costs no store call once this node watches the event.
    pub async fn join_rate(self: &Arc<Self>, event: &EventId) -> StoreResult<Option<Rate>> {
        if self.channels.lock().contains_key(event) || self.store.config(event).await?.is_some() {
            return Ok(Some(self.channel(event).await?.rate_now()));
        }
        Ok(None)
    }

    /// The event's channel on this node, subscribing and taking a snapshot on first use.
    pub async fn channel(self: &Arc<Self>, event: &EventId) -> StoreResult<Arc<EventChannel>> {
        if let Some(ch) = self.channels.lock().get(event)
            && !ch.state.lock().closed
        {
            return Ok(ch.clone());
        }
        // Subscribe before reading the snapshot so that no update falls in between.
        let rx = self.store.subscribe(event).await?;
        let snapshot = self
            .store
            .snapshot(event)
            .await?
            .ok_or_else(|| StoreError::Unavailable(format!("event {event} has no state")))?;
        let fresh = Arc::new(EventChannel::new(
            event.clone(),
            EventView::from_snapshot(snapshot),
        ));
        let mut channels = self.channels.lock();
        match channels.entry(event.clone()) {
            Entry::Occupied(e) if !e.get().state.lock().closed => Ok(e.get().clone()),
            entry => {
                let ch = match entry {
                    Entry::Occupied(mut e) => {
                        e.insert(fresh.clone());
                        fresh
                    }
                    Entry::Vacant(e) => e.insert(fresh).clone(),
                };
                tokio::spawn(self.clone().run_channel(ch.clone(), rx));
                self.new_event.notify_one();
                Ok(ch)
            }
        }
    }

    /// Registers a socket for a live token and queues its snapshot.
    pub async fn attach(
        self: &Arc<Self>,
        record: &WaiterRecord,
        conn: &Conn,
    ) -> StoreResult<Attached> {
        let mut record = record.clone();
        // Bounded: each retry follows an eviction or an admission racing this call.
        for _ in 0..4 {
            let ch = self.channel(&record.event).await?;
            if let Some(attached) = ch.attach(&record, conn.clone()) {
                return Ok(attached);
            }
            match self.store.status(record.token, None).await? {
                Some(fresh) => record = fresh,
                None => return Ok(Attached::Ended(WaiterState::Expired)),
            }
        }
        Err(StoreError::Unavailable(
            "could not attach the socket".into(),
        ))
    }

    /// Unregisters a socket. When it still held a place, its grace period starts now.
    pub async fn detach(
        &self,
        event: &EventId,
        token: WaitingToken,
        conn_id: u64,
        keeps_place: bool,
    ) {
        let ch = self.channels.lock().get(event).cloned();
        let Some(ch) = ch else { return };
        if ch.detach(token, conn_id) && keeps_place {
            let grace = self.settings.grace.as_millis() as u64;
            if let Err(e) = self
                .store
                .touch(event, &[token], Touch::Exactly(grace))
                .await
            {
                warn!(error = %e, "could not start the grace period of a closed socket");
            }
        }
    }

    /// Pushes purchase outcomes to a waiter's socket, on whichever node holds it; with no
    /// token, to every socket of the event.
    pub async fn notify(
        &self,
        event: &str,
        token: Option<WaitingToken>,
        notices: &[Notice],
    ) -> StoreResult<()> {
        let event = EventId::parse(event)
            .map_err(|_| StoreError::Unavailable(format!("invalid event id {event}")))?;
        for notice in notices {
            self.store.notify(&event, token, notice).await?;
        }
        Ok(())
    }

    /// Sends every local socket a reconnect hint and closes it (node draining).
    pub fn drain(&self, retry_after_ms: u64) {
        let channels: Vec<_> = self.channels.lock().values().cloned().collect();
        for ch in channels {
            ch.drain(retry_after_ms);
        }
    }

    /// Local figures of an event, if this node has a channel for it.
    pub fn local_stats(&self, event: &EventId) -> Option<(u64, Option<f64>)> {
        let ch = self.channels.lock().get(event).cloned();
        ch.map(|c| c.local_stats())
    }

    /// Evicts an idle channel: no sockets and no recent REST use.
    fn evict_if_idle(&self, ch: &Arc<EventChannel>) -> bool {
        let mut channels = self.channels.lock();
        if !ch.is_idle(self.settings.idle_ttl) {
            return false;
        }
        ch.state.lock().closed = true;
        if channels.get(&ch.event).is_some_and(|c| Arc::ptr_eq(c, ch)) {
            channels.remove(&ch.event);
        }
        true
    }

    /// Refreshes the heartbeats of the channel's open sockets in one store call.
    async fn touch_sockets(&self, ch: &EventChannel) {
        let tokens = ch.waiting_tokens();
        if tokens.is_empty() {
            return;
        }
        let ms = (self.settings.grace + self.settings.touch_interval).as_millis() as u64;
        if let Err(e) = self
            .store
            .touch(&ch.event, &tokens, Touch::AtLeast(ms))
            .await
        {
            warn!(event = %ch.event, error = %e, "could not refresh socket heartbeats");
        }
    }

    async fn run_channel(
        self: Arc<Self>,
        ch: Arc<EventChannel>,
        mut rx: broadcast::Receiver<EventUpdate>,
    ) {
        let slices = push_slices(self.settings.push_interval);
        let mut slice = 0;
        let mut push = tokio::time::interval(self.settings.push_interval / slices);
        let mut touch = tokio::time::interval(self.settings.touch_interval);
        push.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        touch.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        touch.tick().await;
        let mut health = self.store.health();
        // A channel opened during an outage tells its first sockets through their snapshot's
        // failure; from here on, every change of the store's health is pushed.
        health.mark_unchanged();
        let mut failed_resyncs = 0;
        loop {
            tokio::select! {
                update = rx.recv() => {
                    let resync = match update {
                        Ok(update) => ch.apply(&update, &self.metrics).is_err(),
                        Err(broadcast::error::RecvError::Lagged(n)) => {
                            debug!(event = %ch.event, missed = n, "update channel lagged");
                            true
                        }
                        Err(broadcast::error::RecvError::Closed) => true,
                    };
                    if resync {
                        match self.resync(&ch).await {
                            Ok(fresh) => {
                                rx = fresh;
                                failed_resyncs = 0;
                            }
                            Err(e) => {
                                // An outage: retry with backoff, warning once rather than on
                                // every attempt.
                                if failed_resyncs == 0 {
                                    warn!(event = %ch.event, error = %e, "resync failed; retrying");
                                }
                                failed_resyncs += 1;
                                let backoff = RESYNC_BACKOFF * failed_resyncs.min(10);
                                tokio::time::sleep(backoff).await;
                            }
                        }
                    }
                }
                _ = push.tick() => {
                    ch.push_positions(&self.settings, &self.metrics, slice, slices);
                    slice = (slice + 1) % slices;
                    if self.evict_if_idle(&ch) {
                        // Unsubscribed with no receiver left, the store can drop the channel.
                        drop(rx);
                        self.store.unsubscribe(&ch.event).await;
                        return;
                    }
                }
                _ = touch.tick() => self.touch_sockets(&ch).await,
                Ok(()) = health.changed() => {
                    // Sockets stay open through a store outage: places are kept, positions
                    // just stop moving. On recovery the heartbeats the outage swallowed are
                    // renewed at once, and the view resynchronises (the store closes the
                    // update channel, which the update branch treats as a gap).
                    let healthy = *health.borrow_and_update();
                    if healthy {
                        self.touch_sockets(&ch).await;
                        ch.broadcast(&Push::Recovered {});
                    } else {
                        ch.broadcast(&Push::Degraded {});
                    }
                }
            }
        }
    }

    /// Rebuilds a channel's view after missed updates and settles local sockets whose waiter
    /// changed state meanwhile.
    async fn resync(
        &self,
        ch: &Arc<EventChannel>,
    ) -> StoreResult<broadcast::Receiver<EventUpdate>> {
        let rx = self.store.subscribe(&ch.event).await?;
        let snapshot =
            self.store.snapshot(&ch.event).await?.ok_or_else(|| {
                StoreError::Unavailable(format!("event {} has no state", ch.event))
            })?;
        {
            let mut st = ch.state.lock();
            // The departure history is this node's own observation: it survives a resync.
            let departures = std::mem::take(&mut st.view.departures);
            st.view = EventView::from_snapshot(snapshot);
            st.view.departures = departures;
            st.dirty = u32::MAX;
        }
        for token in ch.local_tokens() {
            let record = self.store.status(token, None).await?;
            let mut st = ch.state.lock();
            let now = now_ms();
            let rate = st.view.rate(now);
            let Some(record) = record else { continue };
            match record.state {
                WaiterState::Waiting => {}
                WaiterState::Admitted | WaiterState::Entered => {
                    if let Some(seq) = st.by_token.remove(&token)
                        && let Some(w) = st.waiting.remove(&seq)
                    {
                        if let Some(status) =
                            QueueStatus::from_record(&record, &st.view, &rate, now)
                        {
                            w.conn.push(Push::Ready(status));
                        }
                        st.admitted.insert(token, LocalAdmitted { conn: w.conn });
                    }
                }
                WaiterState::Expired | WaiterState::Left => {
                    let conn = st
                        .by_token
                        .remove(&token)
                        .and_then(|seq| st.waiting.remove(&seq).map(|w| w.conn))
                        .or_else(|| st.admitted.remove(&token).map(|a| a.conn));
                    if let Some(conn) = conn {
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
        Ok(rx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_intervals_are_cut_into_slices_of_about_100_ms() {
        let slices = |ms| push_slices(Duration::from_millis(ms));
        assert_eq!(
            [
                slices(50),
                slices(199),
                slices(250),
                slices(1_000),
                slices(5_000)
            ],
            [1, 1, 2, 10, 10]
        );
    }
}
