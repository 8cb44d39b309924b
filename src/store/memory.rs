//! The embedded, in-process store: one mutex over all queue state, so every operation is
//! trivially atomic. It is the default when `REDIS_ADDRESS` is not set, and it is what the
//! conformance suite holds every other store to.
//!
//! With a data directory ([`MemoryStore::open`]) it is durable: every change is appended to a
//! log on disk, in the order the changes were made, and no caller is answered before its
//! change is committed (group commit, see [`usher_durable`]). Every so many changes the whole
//! state is written as a snapshot and the log before it dropped. A restart loads the snapshot
//! and replays the log: each logged change runs again with the time it first ran at, so it has
//! the same effect. Heartbeats are not logged (they only move reaping deadlines, and reaping
//! is logged by its effect), so after a restart reaping holds, as after an outage, until
//! reconnecting sockets have renewed their places.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use parking_lot::Mutex;
use tokio::sync::{broadcast, watch};
use tracing::Instrument;
use usher_durable::{Durable, Write};

use super::*;
use crate::clock::Clock;

/// Updates buffered per event for slow subscribers before they are told they lagged.
const UPDATE_BUFFER: usize = 4_096;

/// Fewest logged changes between two snapshots of a durable store. A snapshot is written once
/// the log since the last one is at least this long and at least as long as the state has
/// records, so writing snapshots costs O(1) per change, and a restart replays a log no longer
/// than the state.
const SNAPSHOT_EVERY: u64 = 50_000;

/// The durable store's tables.
const LOG: &str = "log";
const META: &str = "meta";
const SNAPSHOT_KEY: &[u8] = b"snapshot";
const LAYOUT_KEY: &[u8] = b"layout";

/// The embedded store.
pub struct MemoryStore {
    inner: Mutex<Inner>,
    /// Healthy unless the disk of a durable store refused a write.
    health: watch::Sender<bool>,
    clock: Clock,
    /// The log on disk, for a durable store.
    disk: Option<Durable>,
    /// The layout of the data, once recorded (kept on disk in a durable store).
    layout: Mutex<Option<u32>>,
}

#[derive(Default, Serialize, Deserialize)]
struct Inner {
    events: HashMap<EventId, EventState>,
    /// Update channels by event, created when a node subscribes and dropped when the last
    /// subscriber leaves: an event nobody watches costs no channel buffer.
    #[serde(skip)]
    channels: HashMap<EventId, broadcast::Sender<EventUpdate>>,
    waiters: HashMap<WaitingToken, Waiter>,
    /// Ended tokens in the order they ended (retention is constant, so this is expiry order).
    ended: VecDeque<(u64, WaitingToken)>,
    idempotency: HashMap<String, IdempotencyRecord>,
    users: HashMap<String, UserRecord>,
    /// Failed logins by username: (count, end of the window).
    login_failures: HashMap<String, (u64, u64)>,
    /// Idempotency keys by expiry, to forget them without scanning.
    idempotency_expiry: BTreeSet<(u64, String)>,
    /// Operators' actions, oldest first.
    #[serde(default)]
    audit: VecDeque<AuditEntry>,
    /// Each event's totals by the minute.
    #[serde(default)]
    minutes: HashMap<EventId, BTreeMap<u64, MinuteSample>>,
    /// How long ended tokens are remembered, so that status can say "expired" rather than
    /// "not found" (a setting, not state).
    #[serde(skip)]
    retention_ms: u64,
    /// Index of the last change written to the log, and changes logged since the last snapshot.
    #[serde(skip)]
    logged: u64,
    #[serde(skip)]
    since_snapshot: u64,
}

#[derive(Serialize, Deserialize)]
struct IdempotencyRecord {
    fingerprint: String,
    /// `None` while the request runs.
    answer: Option<Answer>,
    expires_ms: u64,
}

impl IdempotencyRecord {
    /// The attempt whose release this record marks, if it is such a mark.
    fn released(&self) -> Option<&str> {
        match &self.answer {
            Some(Answer::Released(owner)) => Some(owner),
            _ => None,
        }
    }
}

/// What a finished request left for its replays.
#[derive(Serialize, Deserialize)]
enum Answer {
    Response(StoredResponse),
    /// Not an answer: the claimant running the request.
    Running(String),
    /// Not an answer: a release that found no claim, by this attempt.
    Released(String),
    /// A join claimed with its key: the place it took.
    Joined {
        token: WaitingToken,
        position: u64,
        memo: String,
    },
}

#[derive(Serialize, Deserialize)]
struct Waiter {
    record: WaiterRecord,
    /// Reaping deadline while waiting.
    deadline_ms: u64,
    /// Key of this token in its event's `active` set while admitted or entered.
    active_until_ms: Option<u64>,
    /// The grant (reservation token id) recorded when it entered.
    grant: Option<String>,
    /// The node whose open socket holds this waiting token (see [`NodeLease`]), and when it
    /// last renewed it.
    #[serde(default)]
    holder: Option<(u64, u64)>,
}

#[derive(Serialize, Deserialize)]
struct EventState {
    config: EventConfig,
    version: u64,
    /// Last sequence number issued.
    next_seq: u64,
    head: u64,
    waiting: BTreeMap<u64, WaitingToken>,
    departed: BTreeSet<u64>,
    /// `(deadline, seq)` of waiting tokens: the reaper's index.
    deadlines: BTreeSet<(u64, u64)>,
    /// `(until, token)` of admitted and entered users: the `max_active` count and the entry
    /// window / session expiry index.
    active: BTreeSet<(u64, WaitingToken)>,
    bucket_tokens: f64,
    bucket_ms: u64,
    history: AdmissionHistory,
    /// Users with a live (waiting or admitted) token, for one place per user.
    users: HashMap<UserId, WaitingToken>,
    counters: EventCounters,
    /// The event's update channel while some node subscribes to it.
    #[serde(skip)]
    updates: Option<broadcast::Sender<EventUpdate>>,
    /// Opened by a join on its own: deleted once idle.
    auto: bool,
    /// Store clock of the last join (or of the creation).
    joined_ms: u64,
    /// Which life of the event this is (see [`EventUpdate::born`]).
    born: u64,
    /// Store clock of the last reap, and until when reaping holds after a gap.
    reaped_ms: Option<u64>,
    reap_hold_until: u64,
    /// Lease of each node holding sockets of the event: until when, and when the node last
    /// renewed all its sockets.
    #[serde(default)]
    leases: HashMap<u64, (u64, u64)>,
    /// The draw of a random start, from the patch that scheduled it.
    #[serde(default)]
    lottery: Option<Lottery>,
    /// The highest sequence number a published step told the nodes of: in the pre-queue,
    /// steps are published as it grows although nobody is admitted.
    #[serde(default)]
    published_seq: u64,
}

/// How long the node given a draw to make has before another is given it.
const DRAW_LEASE_MS: u64 = 30_000;

/// A random start's draw, as the store keeps it.
#[derive(Serialize, Deserialize)]
struct Lottery {
    /// What is published; the seed only once drawn.
    record: DrawRecord,
    seed: String,
    /// The entry list: the token of entry index i at i - 1.
    entries: Vec<WaitingToken>,
    /// Entrants who departed before the draw, by sequence number: their ranks are known only
    /// once it is made.
    pre_departed: BTreeSet<u64>,
    chunk_roots: Vec<String>,
    /// Until when the node last given the draw to make has it.
    lease_until: u64,
    permutation: Option<crate::draw::Permutation>,
}

/// One logged change: the operation and the store-clock time it ran at.
#[derive(Serialize, Deserialize)]
struct Entry {
    now: u64,
    op: Op,
}

/// The changes a durable store logs. Each runs again on replay with its logged time; a reap
/// is logged by what it expired, since the heartbeats it depended on are not logged.
#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Op {
    Join {
        req: JoinRequest,
    },
    Leave {
        token: WaitingToken,
    },
    Admit {
        event: EventId,
        limits: AdmitLimits,
    },
    Reap {
        event: EventId,
        seqs: Vec<u64>,
    },
    PublishDraw {
        event: EventId,
        reveal: Box<DrawReveal>,
    },
    SetBeacon {
        event: EventId,
        value: String,
    },
    /// Ended records and idempotency keys past their retention were forgotten.
    Forget,
    Enter {
        token: WaitingToken,
        grant: String,
        session_ms: u64,
    },
    CreateEvent {
        event: EventId,
        config: EventConfig,
        auto: bool,
    },
    DeleteIdle {
        event: EventId,
        idle_ms: u64,
    },
    UpdateConfig {
        event: EventId,
        patch: Box<ConfigPatch>,
        defaults: Box<EventConfig>,
    },
    IdempotencyBegin {
        key: String,
        fingerprint: String,
        owner: String,
        ttl_ms: u64,
    },
    IdempotencyFinish {
        key: String,
        response: StoredResponse,
        ttl_ms: u64,
    },
    IdempotencyRelease {
        key: String,
        owner: String,
    },
    CreateUser {
        user: UserRecord,
    },
    LoginFailed {
        username: String,
        window_ms: u64,
    },
    AuditAppend {
        entry: AuditEntry,
        keep: u64,
    },
    RecordMinute {
        event: EventId,
        sample: MinuteSample,
        keep: u64,
    },
}

/// The whole state at a log index, written every [`SNAPSHOT_EVERY`] changes.
#[derive(Serialize, Deserialize)]
struct Snapshot<S> {
    logged: u64,
    state: S,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

impl EventState {
    fn new(
        config: EventConfig,
        now_ms: u64,
        updates: Option<broadcast::Sender<EventUpdate>>,
    ) -> Self {
        Self {
            bucket_tokens: f64::from(config.burst),
            bucket_ms: now_ms,
            config,
            version: 0,
            next_seq: 0,
            head: 0,
            waiting: BTreeMap::new(),
            departed: BTreeSet::new(),
            deadlines: BTreeSet::new(),
            active: BTreeSet::new(),
            history: AdmissionHistory::default(),
            users: HashMap::new(),
            counters: EventCounters::default(),
            updates,
            auto: false,
            joined_ms: now_ms,
            born: now_ms,
            reaped_ms: None,
            reap_hold_until: 0,
            leases: HashMap::new(),
            lottery: None,
            published_seq: 0,
        }
    }

    /// The admission order of `seq`: its rank once a draw ranked it, else itself.
    fn order(&self, seq: u64) -> u64 {
        match self.lottery.as_ref().and_then(|l| l.permutation.as_ref()) {
            Some(p) => p.order(Seq(seq)).0,
            None => seq,
        }
    }

    /// An entrant of a draw not made yet: its rank is not known.
    fn undrawn(&self, seq: u64) -> bool {
        self.lottery
            .as_ref()
            .is_some_and(|l| !l.record.drawn() && l.record.entrants.is_none_or(|n| seq <= n))
    }

    /// Closes a random start's entry list once the sale has started (the first operation at
    /// or after `sale_starts_at` does), and publishes the close. An empty pre-queue is drawn
    /// at once: there is nobody to order.
    fn close_if_due(&mut self, now: u64) {
        let due = self
            .config
            .schedule
            .as_ref()
            .is_some_and(|s| s.is_random() && now >= s.sale_starts_at_ms);
        let next_seq = self.next_seq;
        let Some(l) = self.lottery.as_mut().filter(|l| due && !l.record.closed()) else {
            return;
        };
        l.record.entrants = Some(next_seq);
        l.record.closed_at_ms = Some(now);
        if next_seq == 0 {
            l.record.seed = Some(l.seed.clone());
            l.record.drawn_at_ms = Some(now);
        }
        let record = l.record.clone();
        self.publish(now, Change::Draw(record));
    }

    /// Whether admission may run at `now` by the schedule: the sale started (and its draw, if
    /// any, is made) and has not ended.
    fn sale_admits(&self, now: u64) -> bool {
        self.config.sale_phase(now) == SalePhase::Open
            && self.lottery.as_ref().is_none_or(|l| l.record.drawn())
    }

    fn publish(&mut self, at_ms: u64, change: Change) {
        self.version += 1;
        // No channel or no receivers is fine: nobody watches the event right now.
        if let Some(updates) = &self.updates {
            let _ = updates.send(EventUpdate {
                born: self.born,
                version: self.version,
                at_ms,
                change,
            });
        }
    }

    /// Ends a waiter's place (left, expired, lapsed or entered): its user may join again, and
    /// its record is forgotten at `forget_at`.
    fn release(&mut self, w: &Waiter, ended: &mut VecDeque<(u64, WaitingToken)>, forget_at: u64) {
        if let Some(user) = &w.record.user {
            self.users.remove(user);
        }
        ended.push_back((forget_at, w.record.token));
    }

    /// Removes a waiting token from the queue (it departed before admission) and returns the
    /// number its departure is published under: its admission order, or its sequence number
    /// while the draw that ranks it is not made.
    fn depart(&mut self, seq: u64, deadline_ms: u64) -> u64 {
        self.waiting.remove(&seq);
        self.deadlines.remove(&(deadline_ms, seq));
        if self.undrawn(seq) {
            if let Some(l) = self.lottery.as_mut() {
                l.pre_departed.insert(seq);
            }
            return seq;
        }
        let order = self.order(seq);
        self.departed.insert(order);
        order
    }

    /// The departed above `head`, in the order departures are published in (see
    /// [`Self::depart`]), ascending.
    fn departed_now(&self) -> Vec<Seq> {
        let lottery = self.lottery.as_ref();
        departed_in_order(
            self.departed.iter().copied(),
            lottery
                .into_iter()
                .flat_map(|l| l.pre_departed.iter().copied()),
            lottery.and_then(|l| l.permutation.as_ref()),
            self.head,
        )
    }

    /// The next waiter to admit: in rank order through a made draw's entrants (skipping those
    /// who departed, at most `skips` of them), then in sequence order. Moves `head`.
    fn next_admitted(&mut self, skips: &mut usize) -> Option<(u64, WaitingToken)> {
        let EventState {
            lottery,
            waiting,
            head,
            ..
        } = self;
        if let Some(p) = lottery.as_ref().and_then(|l| l.permutation.as_ref()) {
            while *head < p.entrants() {
                if *skips == 0 {
                    return None;
                }
                *head += 1;
                let seq = p.entrant(*head);
                if let Some(token) = waiting.remove(&seq) {
                    return Some((seq, token));
                }
                *skips -= 1;
            }
        }
        let (seq, token) = waiting.pop_first()?;
        *head = seq;
        Some((seq, token))
    }

    /// Someone is waiting or active: the ticker has work here.
    fn is_live(&self) -> bool {
        !self.waiting.is_empty() || !self.active.is_empty()
    }
}

/// Until when a lapsed waiter is kept for its holder, if it is: the holder's lease (`until`,
/// last renewed in full at `renewed`) is live, and the holder has not renewed all its sockets
/// since it last renewed this waiter (`touched`): it may be cut off from the store with the
/// socket open. A node whose full renewal since left this waiter out no longer holds it. The waiter is looked at
/// again after `recheck_ms` (at least a second), or when the lease ends.
fn held_until(lease: Option<((u64, u64), u64)>, now: u64, recheck_ms: u64) -> Option<u64> {
    let ((until, renewed), touched) = lease?;
    (until > now && renewed <= touched).then(|| until.min(now + recheck_ms.max(1_000)))
}

impl MemoryStore {
    /// An in-memory store: everything is lost when the process ends.
    pub fn new(retention: Duration) -> Self {
        Self::with_clock(retention, Clock::system())
    }

    /// A store that reads the time from `clock` (a manual clock lets tests move time).
    pub fn with_clock(retention: Duration, clock: Clock) -> Self {
        Self::build(Inner::default(), retention, clock, None, None)
    }

    fn build(
        mut inner: Inner,
        retention: Duration,
        clock: Clock,
        disk: Option<Durable>,
        layout: Option<u32>,
    ) -> Self {
        inner.retention_ms = retention.as_millis() as u64;
        Self {
            inner: Mutex::new(inner),
            health: watch::Sender::new(true),
            clock,
            disk,
            layout: Mutex::new(layout),
        }
    }

    /// A durable store kept in `dir` (the file `store.redb`): loads what an earlier process
    /// left there, and logs every change before answering.
    pub fn open(retention: Duration, dir: &Path) -> StoreResult<Self> {
        Self::open_with_clock(retention, dir, Clock::system())
    }

    /// [`MemoryStore::open`] with a clock of the caller's.
    pub fn open_with_clock(retention: Duration, dir: &Path, clock: Clock) -> StoreResult<Self> {
        let unavailable = |e: usher_durable::DurableError| StoreError::Unavailable(e.to_string());
        let disk = Durable::open(&dir.join("store.redb")).map_err(unavailable)?;
        let mut inner = match disk.get(META, SNAPSHOT_KEY).map_err(unavailable)? {
            Some(bytes) => {
                let snapshot: Snapshot<Inner> =
                    serde_json::from_slice(&bytes).map_err(|e| corrupt("store snapshot", e))?;
                let mut inner = snapshot.state;
                inner.logged = snapshot.logged;
                inner
            }
            None => Inner::default(),
        };
        inner.retention_ms = retention.as_millis() as u64;
        for (key, value) in disk.scan(LOG).map_err(unavailable)? {
            let index = <[u8; 8]>::try_from(key.as_slice())
                .map(u64::from_be_bytes)
                .map_err(|e| corrupt("store log key", e))?;
            if index <= inner.logged {
                continue;
            }
            let entry: Entry =
                serde_json::from_slice(&value).map_err(|e| corrupt("store log entry", e))?;
            inner.replay(entry.now, entry.op);
            inner.logged = index;
            inner.since_snapshot += 1;
        }
        // Heartbeats renewed before the restart were not logged: reaping holds at first, as
        // after an outage, so reconnecting sockets renew their places before anyone is reaped.
        for ev in inner.events.values_mut() {
            ev.reaped_ms = Some(0);
        }
        let layout = match disk.get(META, LAYOUT_KEY).map_err(unavailable)? {
            Some(bytes) => Some(
                <[u8; 4]>::try_from(bytes.as_slice())
                    .map(u32::from_be_bytes)
                    .map_err(|e| corrupt("store layout", e))?,
            ),
            None => None,
        };
        Ok(Self::build(inner, retention, clock, Some(disk), layout))
    }

    /// Runs one change under the lock and, in a durable store, logs it (when `log` says what
    /// to log) and waits for the disk before answering. `operation` names its `store` span,
    /// when it is made for a traced request.
    async fn change<T>(
        &self,
        operation: &'static str,
        apply: impl FnOnce(&mut Inner, u64) -> T,
        log: impl FnOnce(&T) -> Option<Op>,
    ) -> StoreResult<T> {
        self.apply_and_log(apply, log)
            .instrument(super::op_span("memory", operation, None))
            .await
    }

    async fn apply_and_log<T>(
        &self,
        apply: impl FnOnce(&mut Inner, u64) -> T,
        log: impl FnOnce(&T) -> Option<Op>,
    ) -> StoreResult<T> {
        let now = self.clock.now_ms();
        let (out, pending) = {
            let mut inner = self.inner.lock();
            let out = apply(&mut inner, now);
            let pending = match (&self.disk, log(&out)) {
                (Some(disk), Some(op)) => Some(disk.write(inner.append(now, op))),
                _ => None,
            };
            (out, pending)
        };
        if let Some(pending) = pending
            && let Err(e) = pending.wait().await
        {
            self.health.send_replace(false);
            return Err(StoreError::Unavailable(e.to_string()));
        }
        Ok(out)
    }
}

impl Inner {
    /// When a record that ends at `now` is forgotten.
    fn forget_at(&self, now: u64) -> u64 {
        now + self.retention_ms
    }

    /// The log writes of one change: its entry, and every [`SNAPSHOT_EVERY`] changes the whole
    /// state with the log before it dropped.
    fn append(&mut self, now: u64, op: Op) -> Vec<Write> {
        self.logged += 1;
        self.since_snapshot += 1;
        let key = self.logged.to_be_bytes().to_vec();
        let entry = serde_json::to_vec(&Entry { now, op }).expect("log entries serialise");
        let mut writes = vec![Write::Put {
            table: LOG,
            key: key.clone(),
            value: entry,
        }];
        let records = (self.waiters.len() + self.idempotency.len() + self.users.len()) as u64;
        if self.since_snapshot >= SNAPSHOT_EVERY.max(records) {
            self.since_snapshot = 0;
            let snapshot = Snapshot {
                logged: self.logged,
                state: &*self,
            };
            let value = serde_json::to_vec(&snapshot).expect("store state serialises");
            writes.push(Write::Put {
                table: META,
                key: SNAPSHOT_KEY.to_vec(),
                value,
            });
            writes.push(Write::DeleteThrough { table: LOG, key });
        }
        writes
    }

    /// Runs a logged change again, at the time it first ran.
    fn replay(&mut self, now: u64, op: Op) {
        match op {
            Op::Join { req } => {
                self.join(now, &req);
            }
            Op::Leave { token } => {
                self.leave(now, token);
            }
            Op::Admit { event, limits } => {
                self.admit(now, &event, limits);
            }
            Op::PublishDraw { event, reveal } => {
                self.publish_draw(now, &event, &reveal);
            }
            Op::SetBeacon { event, value } => {
                self.set_beacon(&event, &value);
            }
            Op::Reap { event, seqs } => {
                self.forget_ended(now);
                self.expire(now, &event, &seqs);
            }
            Op::Forget => {
                self.forget_ended(now);
            }
            Op::Enter {
                token,
                grant,
                session_ms,
            } => {
                self.enter(now, token, &grant, session_ms);
            }
            Op::CreateEvent {
                event,
                config,
                auto,
            } => {
                self.create_event(now, &event, &config, auto);
            }
            Op::DeleteIdle { event, idle_ms } => {
                self.delete_idle_auto_event(now, &event, idle_ms);
            }
            Op::UpdateConfig {
                event,
                patch,
                defaults,
            } => {
                self.update_config(now, &event, &patch, &defaults);
            }
            Op::IdempotencyBegin {
                key,
                fingerprint,
                owner,
                ttl_ms,
            } => {
                self.idempotency_begin(now, &key, &fingerprint, &owner, ttl_ms);
            }
            Op::IdempotencyFinish {
                key,
                response,
                ttl_ms,
            } => self.idempotency_finish(now, &key, response, ttl_ms),
            Op::IdempotencyRelease { key, owner } => self.idempotency_release(now, &key, &owner),
            Op::CreateUser { user } => {
                self.create_user(&user);
            }
            Op::LoginFailed {
                username,
                window_ms,
            } => {
                self.login_failed(now, &username, window_ms);
            }
            Op::AuditAppend { entry, keep } => self.audit_append(entry, keep),
            Op::RecordMinute {
                event,
                sample,
                keep,
            } => {
                self.record_minute(&event, &sample, keep);
            }
        }
    }

    fn audit_append(&mut self, entry: AuditEntry, keep: u64) {
        self.audit.push_back(entry);
        while self.audit.len() as u64 > keep {
            self.audit.pop_front();
        }
    }

    fn record_minute(&mut self, event: &EventId, sample: &MinuteSample, keep: u64) -> bool {
        let minutes = self.minutes.entry(event.clone()).or_default();
        if minutes.contains_key(&sample.minute_ms) {
            return false;
        }
        minutes.insert(sample.minute_ms, *sample);
        while minutes.len() as u64 > keep {
            minutes.pop_first();
        }
        true
    }

    /// The event's state, created with `config` if it does not exist yet.
    fn event_or_create(
        &mut self,
        event: &EventId,
        config: &EventConfig,
        now: u64,
    ) -> &mut EventState {
        let Inner {
            events, channels, ..
        } = self;
        events
            .entry(event.clone())
            .or_insert_with(|| EventState::new(config.clone(), now, channels.get(event).cloned()))
    }

    /// Records an idempotency key until `expires_ms`.
    fn remember(
        &mut self,
        key: String,
        fingerprint: String,
        answer: Option<Answer>,
        expires_ms: u64,
    ) {
        self.idempotency_expiry.insert((expires_ms, key.clone()));
        self.idempotency.insert(
            key,
            IdempotencyRecord {
                fingerprint,
                answer,
                expires_ms,
            },
        );
    }

    /// Forgets ended tokens, login windows and idempotency keys past their time. Returns
    /// whether anything was forgotten.
    fn forget_ended(&mut self, now: u64) -> bool {
        let before = (
            self.login_failures.len(),
            self.ended.len(),
            self.idempotency_expiry.len(),
        );
        self.login_failures.retain(|_, (_, until)| *until > now);
        while let Some(&(until, token)) = self.ended.front() {
            if until > now {
                break;
            }
            self.ended.pop_front();
            self.waiters.remove(&token);
        }
        while let Some((until, key)) = self.idempotency_expiry.first().cloned() {
            if until > now {
                break;
            }
            self.idempotency_expiry.pop_first();
            if self
                .idempotency
                .get(&key)
                .is_some_and(|r| r.expires_ms == until)
            {
                self.idempotency.remove(&key);
            }
        }
        before
            != (
                self.login_failures.len(),
                self.ended.len(),
                self.idempotency_expiry.len(),
            )
    }

    fn join(&mut self, now: u64, req: &JoinRequest) -> JoinOutcome {
        if let Some(claim) = &req.claim
            && let Some(rec) = self
                .idempotency
                .get(&claim.key)
                .filter(|r| r.expires_ms > now)
        {
            return match &rec.answer {
                _ if rec.fingerprint != claim.fingerprint => JoinOutcome::Conflict,
                Some(Answer::Joined {
                    token,
                    position,
                    memo,
                }) => JoinOutcome::Replay {
                    token: *token,
                    position: *position,
                    memo: memo.clone(),
                },
                _ => JoinOutcome::InFlight,
            };
        }
        let Some(ev) = self.events.get_mut(&req.event) else {
            return JoinOutcome::EventNotFound;
        };
        match ev.config.sale_phase(now) {
            SalePhase::NotOpen { opens_at_ms } => return JoinOutcome::NotOpen { opens_at_ms },
            SalePhase::Ended => return JoinOutcome::Ended,
            SalePhase::Prequeue | SalePhase::Open => {}
        }
        ev.close_if_due(now);
        ev.joined_ms = now;
        let entrant = ev.lottery.as_ref().filter(|l| !l.record.closed());
        if ev.waiting.len() as u64 >= req.max_waiting
            || entrant.is_some_and(|l| l.entries.len() as u64 >= req.max_entrants)
        {
            return JoinOutcome::QueueFull;
        }
        if let Some(user) = &req.user {
            if ev.users.contains_key(user) {
                return JoinOutcome::UserAlreadyQueued;
            }
            ev.users.insert(user.clone(), req.token);
        }
        ev.next_seq += 1;
        let seq = ev.next_seq;
        if let Some(l) = ev.lottery.as_mut().filter(|l| !l.record.closed()) {
            l.entries.push(req.token);
        }
        let deadline = now + req.heartbeat_ms;
        ev.waiting.insert(seq, req.token);
        ev.deadlines.insert((deadline, seq));
        ev.counters.joined += 1;
        let position = ev.waiting.len() as u64;
        let record = WaiterRecord {
            token: req.token,
            event: req.event.clone(),
            user: req.user.clone(),
            seq: Seq(seq),
            state: WaiterState::Waiting,
            joined_at_ms: now,
            admitted_at_ms: None,
            entry_deadline_ms: None,
        };
        self.waiters.insert(
            req.token,
            Waiter {
                record,
                deadline_ms: deadline,
                active_until_ms: None,
                grant: None,
                holder: None,
            },
        );
        if let Some(claim) = &req.claim {
            let answer = Answer::Joined {
                token: req.token,
                position,
                memo: req.memo.clone(),
            };
            self.remember(
                claim.key.clone(),
                claim.fingerprint.clone(),
                Some(answer),
                now + claim.ttl_ms,
            );
        }
        JoinOutcome::Joined {
            seq: Seq(seq),
            position,
            joined_at_ms: now,
        }
    }

    fn leave(&mut self, now: u64, token: WaitingToken) -> LeaveOutcome {
        let forget_at = self.forget_at(now);
        let Inner {
            events,
            waiters,
            ended,
            ..
        } = self;
        let Some(w) = waiters.get_mut(&token) else {
            return LeaveOutcome::NotFound;
        };
        let was = w.record.state;
        if matches!(was, WaiterState::Expired | WaiterState::Left) {
            return LeaveOutcome::AlreadyEnded(was);
        }
        // An entered token's event may have been deleted once idle: nothing left to free.
        let Some(ev) = events.get_mut(&w.record.event) else {
            return LeaveOutcome::AlreadyEnded(was);
        };
        match was {
            WaiterState::Waiting => {
                let order = ev.depart(w.record.seq.0, w.deadline_ms);
                ev.publish(
                    now,
                    Change::Departed {
                        seqs: vec![Seq(order)],
                        reason: DepartReason::Left,
                    },
                );
            }
            WaiterState::Admitted | WaiterState::Entered => {
                if let Some(until) = w.active_until_ms.take() {
                    ev.active.remove(&(until, token));
                }
            }
            WaiterState::Expired | WaiterState::Left => {
                return LeaveOutcome::AlreadyEnded(was);
            }
        }
        if was == WaiterState::Entered {
            // Entered users keep their finished record; leaving only ends the session early.
            return LeaveOutcome::AlreadyEnded(was);
        }
        ev.release(w, ended, forget_at);
        ev.counters.left += 1;
        w.record.state = WaiterState::Left;
        LeaveOutcome::Left {
            event: w.record.event.clone(),
            was,
        }
    }

    /// One admission step; also says whether it changed anything besides refilling the
    /// bucket (what a durable store logs).
    fn admit(&mut self, now: u64, event: &EventId, limits: AdmitLimits) -> (AdmitOutcome, bool) {
        let forget_at = self.forget_at(now);
        let Inner {
            events,
            waiters,
            ended,
            ..
        } = self;
        let Some(ev) = events.get_mut(event) else {
            return (AdmitOutcome::default(), false);
        };
        let version = ev.version;
        ev.close_if_due(now);
        let beacon_ready = |l: &Lottery, s: Option<&Schedule>| {
            s.and_then(|s| s.beacon_round.as_ref()).is_none() || l.record.beacon_value.is_some()
        };
        let schedule = ev.config.schedule.as_ref();
        let draw_due = ev.lottery.as_mut().is_some_and(|l| {
            let due = l.record.closed()
                && !l.record.drawn()
                && beacon_ready(l, schedule)
                && l.lease_until <= now;
            if due {
                l.lease_until = now + DRAW_LEASE_MS;
            }
            due
        });

        // Free the slots of admitted users whose window ended, and of finished sessions: as
        // many as the limit allows, the rest in the next steps. While usher holds admission
        // (a backend is failing), no entry window lapses either.
        let held = ev.config.hold_at(now).is_some();
        let mut lapsed = Vec::new();
        for _ in 0..if held { 0 } else { limits.max_freed } {
            let Some(&(until, token)) = ev.active.first() else {
                break;
            };
            if until > now {
                break;
            }
            ev.active.pop_first();
            let Some(w) = waiters.get_mut(&token) else {
                continue;
            };
            w.active_until_ms = None;
            if w.record.state == WaiterState::Admitted {
                w.record.state = WaiterState::Expired;
                ev.release(w, ended, forget_at);
                ev.counters.lapsed += 1;
                lapsed.push(token);
            }
        }

        // Refill the bucket by the store's clock; fractional tokens carry over, so no refill
        // is ever lost to rounding.
        let cfg = &ev.config;
        let elapsed = now.saturating_sub(ev.bucket_ms) as f64 / 1_000.0;
        ev.bucket_tokens =
            (ev.bucket_tokens + elapsed * cfg.rate_per_sec).min(f64::from(cfg.burst));
        ev.bucket_ms = now;

        let mut n = if cfg.stopped_at(now) || !ev.sale_admits(now) {
            0
        } else {
            (ev.bucket_tokens.floor() as u64)
                .min(ev.waiting.len() as u64)
                .min(u64::from(limits.max_batch))
        };
        if let Some(max) = cfg.max_active {
            n = n.min(u64::from(max).saturating_sub(ev.active.len() as u64));
        }
        let entry_window_ms = u64::from(cfg.entry_window_secs) * 1_000;
        let entry_window_secs = cfg.entry_window_secs;
        let mut admitted = 0;
        let mut skips = limits.max_freed;
        let head = ev.head;
        while admitted < n {
            let Some((seq, token)) = ev.next_admitted(&mut skips) else {
                break;
            };
            admitted += 1;
            let w = waiters.get_mut(&token).expect("waiting token has a record");
            ev.deadlines.remove(&(w.deadline_ms, seq));
            let deadline = now + entry_window_ms;
            w.record.state = WaiterState::Admitted;
            w.record.admitted_at_ms = Some(now);
            w.record.entry_deadline_ms = Some(deadline);
            w.active_until_ms = Some(deadline);
            ev.active.insert((deadline, token));
        }
        let n = admitted;
        ev.bucket_tokens -= n as f64;
        ev.departed = ev.departed.split_off(&(ev.head + 1));
        if let Some(l) = ev.lottery.as_mut()
            && l.record.entrants.is_some_and(|e| ev.head >= e)
        {
            l.pre_departed.clear();
        }
        ev.counters.admitted += n;
        ev.history.record(now, n);
        // A pre-queue grows with nobody admitted: a step tells every node how large it is.
        let grown = !ev.sale_admits(now) && ev.next_seq != ev.published_seq;
        if n > 0 || !lapsed.is_empty() || ev.head != head || grown {
            ev.published_seq = ev.next_seq;
            let change = Change::Step {
                head: Seq(ev.head),
                admitted: n as u32,
                next_seq: Seq(ev.next_seq),
                lapsed: lapsed.clone(),
                active: ev.active.len() as u64,
                entry_window_secs,
            };
            ev.publish(now, change);
        }
        let outcome = AdmitOutcome {
            admitted: n as u32,
            lapsed: lapsed.len() as u32,
            waiting: ev.waiting.len() as u64,
            active: ev.active.len() as u64,
            draw_due,
        };
        (outcome, draw_due || ev.version != version)
    }

    /// Picks the waiters whose heartbeat lapsed (unless reaping holds after a gap) and expires
    /// them, except those a silent node with a live lease holds (see [`held_until`]). Returns
    /// the expired sequence numbers.
    fn reap(&mut self, now: u64, event: &EventId, limits: ReapLimits) -> Vec<u64> {
        let Inner {
            events, waiters, ..
        } = self;
        let Some(ev) = events.get_mut(event) else {
            return Vec::new();
        };
        if ev
            .reaped_ms
            .is_some_and(|last| now.saturating_sub(last) > limits.gap_ms)
        {
            ev.reap_hold_until = now + limits.hold_ms;
        }
        ev.reaped_ms = Some(now);
        ev.leases.retain(|_, (until, _)| *until > now);
        let mut seqs = Vec::new();
        if now >= ev.reap_hold_until {
            let due: Vec<(u64, u64)> = ev
                .deadlines
                .iter()
                .take_while(|(deadline, _)| *deadline <= now)
                .take(limits.max)
                .copied()
                .collect();
            for (deadline, seq) in due {
                let w = waiters
                    .get_mut(&ev.waiting[&seq])
                    .expect("waiting token has a record");
                let lease = w
                    .holder
                    .and_then(|(node, touched)| Some((*ev.leases.get(&node)?, touched)));
                match held_until(lease, now, limits.hold_ms) {
                    Some(until) => {
                        ev.deadlines.remove(&(deadline, seq));
                        ev.deadlines.insert((until, seq));
                        w.deadline_ms = until;
                    }
                    None => seqs.push(seq),
                }
            }
        }
        self.expire(now, event, &seqs);
        if let Some(ev) = self.events.get_mut(event) {
            ev.history.trim(now);
        }
        seqs
    }

    /// Expires these waiting sequence numbers of the event and publishes their departure.
    fn expire(&mut self, now: u64, event: &EventId, seqs: &[u64]) {
        let forget_at = self.forget_at(now);
        let Inner {
            events,
            waiters,
            ended,
            ..
        } = self;
        let Some(ev) = events.get_mut(event) else {
            return;
        };
        ev.reaped_ms = Some(now);
        let mut gone = Vec::with_capacity(seqs.len());
        for &seq in seqs {
            let Some(&token) = ev.waiting.get(&seq) else {
                continue;
            };
            let w = waiters.get_mut(&token).expect("waiting token has a record");
            let order = ev.depart(seq, w.deadline_ms);
            w.record.state = WaiterState::Expired;
            ev.release(w, ended, forget_at);
            gone.push(Seq(order));
        }
        if gone.is_empty() {
            return;
        }
        ev.counters.expired += gone.len() as u64;
        ev.publish(
            now,
            Change::Departed {
                seqs: gone,
                reason: DepartReason::Expired,
            },
        );
    }

    fn enter(
        &mut self,
        now: u64,
        token: WaitingToken,
        grant: &str,
        session_ms: u64,
    ) -> EnterOutcome {
        let forget_at = self.forget_at(now);
        let Inner {
            events,
            waiters,
            ended,
            ..
        } = self;
        let Some(w) = waiters.get_mut(&token) else {
            return EnterOutcome::NotFound;
        };
        match w.record.state {
            WaiterState::Waiting => return EnterOutcome::NotReady,
            WaiterState::Entered => {
                let open = w.record.entry_deadline_ms.is_some_and(|d| d >= now);
                return match (&w.grant, open) {
                    (Some(grant), true) => EnterOutcome::Regranted {
                        record: w.record.clone(),
                        grant: grant.clone(),
                    },
                    _ => EnterOutcome::AlreadyEntered,
                };
            }
            WaiterState::Expired => return EnterOutcome::Expired,
            WaiterState::Left => return EnterOutcome::Left,
            WaiterState::Admitted => {}
        }
        // An admitted token is active, so its event is not idle and exists.
        let Some(ev) = events.get_mut(&w.record.event) else {
            return EnterOutcome::Expired;
        };
        let until = w
            .active_until_ms
            .take()
            .expect("admitted tokens are active");
        ev.active.remove(&(until, token));
        ev.release(w, ended, forget_at);
        if w.record.entry_deadline_ms.is_some_and(|d| d < now) {
            // The window ended before the ticker noticed: the slot is freed here instead.
            w.record.state = WaiterState::Expired;
            ev.counters.lapsed += 1;
            return EnterOutcome::Expired;
        }
        w.record.state = WaiterState::Entered;
        w.grant = Some(grant.to_owned());
        let session_until = now + session_ms;
        w.active_until_ms = Some(session_until);
        ev.active.insert((session_until, token));
        ev.counters.entered += 1;
        EnterOutcome::Granted(w.record.clone())
    }

    fn create_event(
        &mut self,
        now: u64,
        event: &EventId,
        config: &EventConfig,
        auto: bool,
    ) -> bool {
        if self.events.contains_key(event) {
            return false;
        }
        self.event_or_create(event, config, now).auto = auto;
        true
    }

    fn delete_idle_auto_event(&mut self, now: u64, event: &EventId, idle_ms: u64) -> bool {
        let idle = self.events.get(event).is_some_and(|ev| {
            ev.auto && !ev.is_live() && now.saturating_sub(ev.joined_ms) >= idle_ms
        });
        if idle {
            self.events.remove(event);
        }
        idle
    }

    fn update_config(
        &mut self,
        now: u64,
        event: &EventId,
        patch: &ConfigPatch,
        defaults: &EventConfig,
    ) -> EventConfig {
        self.event_or_create(event, defaults, now);
        let Inner {
            events, waiters, ..
        } = self;
        let ev = events.get_mut(event).expect("created above");
        // Lifting a hold gives the admitted back the time it held them.
        let extension = patch.extension_ms(&ev.config, now);
        if extension > 0 {
            let admitted: Vec<(u64, WaitingToken)> = ev
                .active
                .iter()
                .filter(|(_, t)| {
                    waiters
                        .get(t)
                        .is_some_and(|w| w.record.state == WaiterState::Admitted)
                })
                .copied()
                .collect();
            for (until, token) in admitted {
                let w = waiters.get_mut(&token).expect("filtered above");
                ev.active.remove(&(until, token));
                ev.active.insert((until + extension, token));
                w.active_until_ms = Some(until + extension);
                w.record.entry_deadline_ms = Some(until + extension);
            }
        }
        // Settle the bucket at the old rate before the new one applies.
        let elapsed = now.saturating_sub(ev.bucket_ms) as f64 / 1_000.0;
        ev.bucket_tokens =
            (ev.bucket_tokens + elapsed * ev.config.rate_per_sec).min(f64::from(ev.config.burst));
        ev.bucket_ms = now;
        ev.config = patch.apply(&ev.config);
        if let Some((seed, commitment)) = &patch.draw_seed
            && ev.lottery.is_none()
        {
            ev.lottery = Some(Lottery {
                record: DrawRecord {
                    commitment: commitment.clone(),
                    ..DrawRecord::default()
                },
                seed: seed.clone(),
                entries: Vec::new(),
                pre_departed: BTreeSet::new(),
                chunk_roots: Vec::new(),
                lease_until: 0,
                permutation: None,
            });
        }
        ev.bucket_tokens = ev.bucket_tokens.min(f64::from(ev.config.burst));
        let config = ev.config.clone();
        ev.publish(now, Change::Config(config.clone()));
        config
    }

    fn publish_draw(&mut self, now: u64, event: &EventId, reveal: &DrawReveal) -> bool {
        let Some(ev) = self.events.get_mut(event) else {
            return false;
        };
        let Some(l) = ev.lottery.as_mut() else {
            return false;
        };
        let r = &l.record;
        if !r.closed()
            || r.drawn()
            || r.entrants != Some(reveal.entrants)
            || reveal.seed != l.seed
            || reveal.beacon_value != r.beacon_value
        {
            return false;
        }
        l.record.root = Some(reveal.root.clone());
        l.record.seed = Some(reveal.seed.clone());
        l.record.key = Some(reveal.key.clone());
        l.record.drawn_at_ms = Some(now);
        l.chunk_roots = reveal.chunk_roots.clone();
        l.permutation = l.record.permutation();
        let record = l.record.clone();
        ev.publish(now, Change::Draw(record));
        true
    }

    fn set_beacon(&mut self, event: &EventId, value: &str) -> BeaconOutcome {
        let Some(ev) = self.events.get_mut(event) else {
            return BeaconOutcome::NotFound;
        };
        let named = ev
            .config
            .schedule
            .as_ref()
            .is_some_and(|s| s.beacon_round.is_some());
        match ev.lottery.as_mut() {
            None => BeaconOutcome::NoRound,
            Some(_) if !named => BeaconOutcome::NoRound,
            Some(l) if !l.record.closed() => BeaconOutcome::NotClosed,
            Some(l) if l.record.drawn() || l.record.beacon_value.is_some() => {
                BeaconOutcome::AlreadySet
            }
            Some(l) => {
                l.record.beacon_value = Some(value.to_owned());
                BeaconOutcome::Set
            }
        }
    }

    fn idempotency_begin(
        &mut self,
        now: u64,
        key: &str,
        fingerprint: &str,
        owner: &str,
        ttl_ms: u64,
    ) -> IdempotencyBegin {
        if let Some(rec) = self.idempotency.get(key).filter(|r| r.expires_ms > now) {
            match rec.released() {
                Some(released) if released == owner => return IdempotencyBegin::Released,
                // Another attempt's release mark: the key is free.
                Some(_) => {}
                None => {
                    return match &rec.answer {
                        _ if rec.fingerprint != fingerprint => IdempotencyBegin::Conflict,
                        Some(Answer::Response(resp)) => IdempotencyBegin::Replay(resp.clone()),
                        _ => IdempotencyBegin::InFlight,
                    };
                }
            }
        }
        let running = Some(Answer::Running(owner.to_owned()));
        self.remember(
            key.to_owned(),
            fingerprint.to_owned(),
            running,
            now + ttl_ms,
        );
        IdempotencyBegin::Started
    }

    fn idempotency_finish(&mut self, now: u64, key: &str, response: StoredResponse, ttl_ms: u64) {
        let expires_ms = now + ttl_ms;
        if let Some(rec) = self.idempotency.get_mut(key) {
            rec.answer = Some(Answer::Response(response));
            rec.expires_ms = expires_ms;
            self.idempotency_expiry.insert((expires_ms, key.to_owned()));
        }
    }

    fn idempotency_release(&mut self, now: u64, key: &str, owner: &str) {
        match self.idempotency.get(key).filter(|r| r.expires_ms > now) {
            None => {
                let mark = Some(Answer::Released(owner.to_owned()));
                self.remember(key.to_owned(), String::new(), mark, now + RELEASE_MARK_MS);
            }
            Some(rec) if matches!(&rec.answer, Some(Answer::Running(o)) if o == owner) => {
                self.idempotency.remove(key);
            }
            // A stored answer, another attempt's claim, or a mark: left alone.
            Some(_) => {}
        }
    }

    fn create_user(&mut self, user: &UserRecord) -> bool {
        match self.users.entry(user.username.clone()) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(user.clone());
                true
            }
        }
    }

    fn login_failed(&mut self, now: u64, username: &str, window_ms: u64) -> u64 {
        let entry = self
            .login_failures
            .entry(username.to_owned())
            .or_insert((0, now + window_ms));
        if entry.1 <= now {
            *entry = (0, now + window_ms);
        }
        entry.0 += 1;
        entry.0
    }
}

#[async_trait]
impl QueueStore for MemoryStore {
    async fn join(&self, req: JoinRequest) -> StoreResult<JoinOutcome> {
        self.change(
            "join",
            |inner, now| inner.join(now, &req),
            |_| Some(Op::Join { req: req.clone() }),
        )
        .await
    }

    async fn status(
        &self,
        token: WaitingToken,
        heartbeat_ms: Option<u64>,
    ) -> StoreResult<Option<WaiterRecord>> {
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        let Inner {
            events, waiters, ..
        } = &mut *inner;
        let Some(w) = waiters.get_mut(&token) else {
            return Ok(None);
        };
        if let (Some(ms), WaiterState::Waiting) = (heartbeat_ms, w.record.state) {
            let deadline = w.deadline_ms.max(now + ms);
            if deadline != w.deadline_ms {
                // A waiting token's event is live, so it exists.
                if let Some(ev) = events.get_mut(&w.record.event) {
                    let seq = w.record.seq.0;
                    ev.deadlines.remove(&(w.deadline_ms, seq));
                    ev.deadlines.insert((deadline, seq));
                    w.deadline_ms = deadline;
                }
            }
        }
        Ok(Some(w.record.clone()))
    }

    async fn records(
        &self,
        event: &EventId,
        tokens: &[WaitingToken],
    ) -> StoreResult<Vec<Option<WaiterRecord>>> {
        let inner = self.inner.lock();
        Ok(tokens
            .iter()
            .map(|t| {
                let w = inner.waiters.get(t).filter(|w| &w.record.event == event);
                w.map(|w| w.record.clone())
            })
            .collect())
    }

    async fn touch(
        &self,
        event: &EventId,
        tokens: &[WaitingToken],
        touch: Touch,
    ) -> StoreResult<()> {
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        let Inner {
            events, waiters, ..
        } = &mut *inner;
        let Some(ev) = events.get_mut(event) else {
            return Ok(());
        };
        if let Touch::Held { lease, all, .. } = touch {
            let renewed = match ev.leases.get(&lease.node) {
                Some(&(_, renewed)) if !all => renewed,
                _ => now,
            };
            ev.leases.insert(lease.node, (now + lease.ms, renewed));
        }
        for token in tokens {
            let Some(w) = waiters.get_mut(token) else {
                continue;
            };
            if w.record.state != WaiterState::Waiting || &w.record.event != event {
                continue;
            }
            let (deadline, holder) = match touch {
                Touch::Held { ms, lease, .. } => {
                    (w.deadline_ms.max(now + ms), Some((lease.node, now)))
                }
                Touch::Exactly(ms) => (now + ms, None),
            };
            let seq = w.record.seq.0;
            ev.deadlines.remove(&(w.deadline_ms, seq));
            ev.deadlines.insert((deadline, seq));
            w.deadline_ms = deadline;
            w.holder = holder;
        }
        Ok(())
    }

    async fn leave(&self, token: WaitingToken) -> StoreResult<LeaveOutcome> {
        self.change(
            "leave",
            |inner, now| inner.leave(now, token),
            |out| (*out != LeaveOutcome::NotFound).then_some(Op::Leave { token }),
        )
        .await
    }

    async fn admit(&self, event: &EventId, limits: AdmitLimits) -> StoreResult<AdmitOutcome> {
        // A step that admitted and freed nobody is not logged: its refill of the bucket is
        // made again, whole, by the next logged step (the bucket is capped, not summed).
        self.change(
            "admit",
            |inner, now| inner.admit(now, event, limits),
            |(_, changed)| {
                changed.then(|| Op::Admit {
                    event: event.clone(),
                    limits,
                })
            },
        )
        .await
        .map(|(outcome, _)| outcome)
    }

    async fn reap(&self, event: &EventId, limits: ReapLimits) -> StoreResult<u64> {
        self.change(
            "reap",
            |inner, now| (inner.forget_ended(now), inner.reap(now, event, limits)),
            |(forgot, seqs)| {
                (*forgot || !seqs.is_empty()).then(|| Op::Reap {
                    event: event.clone(),
                    seqs: seqs.clone(),
                })
            },
        )
        .await
        .map(|(_, seqs)| seqs.len() as u64)
    }

    async fn enter(
        &self,
        token: WaitingToken,
        grant: &str,
        session_ms: u64,
    ) -> StoreResult<EnterOutcome> {
        self.change(
            "enter",
            |inner, now| inner.enter(now, token, grant, session_ms),
            |out| {
                matches!(out, EnterOutcome::Granted(_) | EnterOutcome::Expired).then(|| Op::Enter {
                    token,
                    grant: grant.to_owned(),
                    session_ms,
                })
            },
        )
        .await
    }

    async fn snapshot(&self, event: &EventId) -> StoreResult<Option<EventSnapshot>> {
        let now = self.clock.now_ms();
        let inner = self.inner.lock();
        Ok(inner.events.get(event).map(|ev| {
            let mut history = ev.history.clone();
            history.trim(now);
            EventSnapshot {
                born: ev.born,
                version: ev.version,
                config: ev.config.clone(),
                head: Seq(ev.head),
                next_seq: Seq(ev.next_seq),
                departed: ev.departed_now(),
                active: ev.active.len() as u64,
                counters: ev.counters,
                history,
                now_ms: now,
                draw: ev.lottery.as_ref().map(|l| l.record.clone()),
            }
        }))
    }

    async fn live_events(&self) -> StoreResult<Vec<EventId>> {
        // The ticker calls this every second: the embedded store forgets expired records here
        // too, so they go even while no event is live.
        self.change(
            "live_events",
            |inner, now| {
                let forgot = inner.forget_ended(now);
                let live = inner
                    .events
                    .iter()
                    .filter(|(_, ev)| ev.is_live())
                    .map(|(id, _)| id.clone())
                    .collect::<Vec<_>>();
                (forgot, live)
            },
            |(forgot, _)| forgot.then_some(Op::Forget),
        )
        .await
        .map(|(_, live)| live)
    }

    async fn event_count(&self) -> StoreResult<u64> {
        Ok(self.inner.lock().events.len() as u64)
    }

    async fn events(&self) -> StoreResult<Vec<EventId>> {
        Ok(self.inner.lock().events.keys().cloned().collect())
    }

    async fn create_event(
        &self,
        event: &EventId,
        config: &EventConfig,
        auto: bool,
    ) -> StoreResult<bool> {
        self.change(
            "create_event",
            |inner, now| inner.create_event(now, event, config, auto),
            |created| {
                created.then(|| Op::CreateEvent {
                    event: event.clone(),
                    config: config.clone(),
                    auto,
                })
            },
        )
        .await
    }

    async fn delete_idle_auto_event(&self, event: &EventId, idle_ms: u64) -> StoreResult<bool> {
        self.change(
            "delete_idle_auto_event",
            |inner, now| inner.delete_idle_auto_event(now, event, idle_ms),
            |deleted| {
                deleted.then(|| Op::DeleteIdle {
                    event: event.clone(),
                    idle_ms,
                })
            },
        )
        .await
    }

    async fn config(&self, event: &EventId) -> StoreResult<Option<EventConfig>> {
        Ok(self
            .inner
            .lock()
            .events
            .get(event)
            .map(|e| e.config.clone()))
    }

    async fn update_config(
        &self,
        event: &EventId,
        patch: &ConfigPatch,
        defaults: &EventConfig,
    ) -> StoreResult<EventConfig> {
        self.change(
            "update_config",
            |inner, now| inner.update_config(now, event, patch, defaults),
            |_| {
                Some(Op::UpdateConfig {
                    event: event.clone(),
                    patch: Box::new(patch.clone()),
                    defaults: Box::new(defaults.clone()),
                })
            },
        )
        .await
    }

    async fn draw_secret(&self, event: &EventId) -> StoreResult<Option<DrawSecret>> {
        let inner = self.inner.lock();
        let lottery = inner.events.get(event).and_then(|e| e.lottery.as_ref());
        Ok(lottery.map(|l| DrawSecret {
            seed: l.seed.clone(),
            beacon_value: l.record.beacon_value.clone(),
        }))
    }

    async fn entries(
        &self,
        event: &EventId,
        first: u64,
        count: usize,
    ) -> StoreResult<Vec<Option<WaitingToken>>> {
        let inner = self.inner.lock();
        let entries = inner
            .events
            .get(event)
            .and_then(|e| e.lottery.as_ref())
            .map(|l| &l.entries[..])
            .unwrap_or_default();
        let from = first.saturating_sub(1);
        Ok((from..from + count.min(RECORDS_BATCH) as u64)
            .map(|i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| entries.get(i))
                    .copied()
            })
            .collect())
    }

    async fn publish_draw(&self, event: &EventId, reveal: &DrawReveal) -> StoreResult<bool> {
        self.change(
            "publish_draw",
            |inner, now| inner.publish_draw(now, event, reveal),
            |done| {
                done.then(|| Op::PublishDraw {
                    event: event.clone(),
                    reveal: Box::new(reveal.clone()),
                })
            },
        )
        .await
    }

    async fn chunk_roots(&self, event: &EventId) -> StoreResult<Vec<String>> {
        let inner = self.inner.lock();
        let lottery = inner.events.get(event).and_then(|e| e.lottery.as_ref());
        Ok(lottery.map(|l| l.chunk_roots.clone()).unwrap_or_default())
    }

    async fn set_beacon(&self, event: &EventId, value: &str) -> StoreResult<BeaconOutcome> {
        self.change(
            "set_beacon",
            |inner, _| inner.set_beacon(event, value),
            |out| {
                (*out == BeaconOutcome::Set).then(|| Op::SetBeacon {
                    event: event.clone(),
                    value: value.to_owned(),
                })
            },
        )
        .await
    }
}

#[async_trait]
impl IdempotencyStore for MemoryStore {
    async fn idempotency_begin(
        &self,
        key: &str,
        fingerprint: &str,
        owner: &str,
        ttl_ms: u64,
    ) -> StoreResult<IdempotencyBegin> {
        self.change(
            "idempotency_begin",
            |inner, now| inner.idempotency_begin(now, key, fingerprint, owner, ttl_ms),
            |out| {
                matches!(out, IdempotencyBegin::Started).then(|| Op::IdempotencyBegin {
                    key: key.to_owned(),
                    fingerprint: fingerprint.to_owned(),
                    owner: owner.to_owned(),
                    ttl_ms,
                })
            },
        )
        .await
    }

    async fn idempotency_finish(
        &self,
        key: &str,
        response: StoredResponse,
        ttl_ms: u64,
    ) -> StoreResult<()> {
        let logged = self.disk.is_some().then(|| response.clone());
        self.change(
            "idempotency_finish",
            |inner, now| inner.idempotency_finish(now, key, response, ttl_ms),
            |_| {
                logged.map(|response| Op::IdempotencyFinish {
                    key: key.to_owned(),
                    response,
                    ttl_ms,
                })
            },
        )
        .await
    }

    async fn idempotency_release(&self, key: &str, owner: &str) -> StoreResult<()> {
        self.change(
            "idempotency_release",
            |inner, now| inner.idempotency_release(now, key, owner),
            |_| {
                Some(Op::IdempotencyRelease {
                    key: key.to_owned(),
                    owner: owner.to_owned(),
                })
            },
        )
        .await
    }
}

#[async_trait]
impl UserStore for MemoryStore {
    async fn create_user(&self, user: &UserRecord) -> StoreResult<bool> {
        self.change(
            "create_user",
            |inner, _| inner.create_user(user),
            |created| created.then(|| Op::CreateUser { user: user.clone() }),
        )
        .await
    }

    async fn user(&self, username: &str) -> StoreResult<Option<UserRecord>> {
        Ok(self.inner.lock().users.get(username).cloned())
    }

    async fn user_count(&self) -> StoreResult<u64> {
        Ok(self.inner.lock().users.len() as u64)
    }

    async fn login_failed(&self, username: &str, window_ms: u64) -> StoreResult<u64> {
        self.change(
            "login_failed",
            |inner, now| inner.login_failed(now, username, window_ms),
            |_| {
                Some(Op::LoginFailed {
                    username: username.to_owned(),
                    window_ms,
                })
            },
        )
        .await
    }

    async fn login_failures(&self, username: &str) -> StoreResult<u64> {
        let now = self.clock.now_ms();
        Ok(self
            .inner
            .lock()
            .login_failures
            .get(username)
            .filter(|(_, until)| *until > now)
            .map_or(0, |(n, _)| *n))
    }
}

#[async_trait]
impl OperatorStore for MemoryStore {
    async fn audit_append(&self, entry: &AuditEntry, keep: u64) -> StoreResult<()> {
        self.change(
            "audit_append",
            |inner, _| inner.audit_append(entry.clone(), keep),
            |()| {
                Some(Op::AuditAppend {
                    entry: entry.clone(),
                    keep,
                })
            },
        )
        .await
    }

    async fn audit(&self, limit: u64) -> StoreResult<Vec<AuditEntry>> {
        let inner = self.inner.lock();
        Ok(inner
            .audit
            .iter()
            .rev()
            .take(limit as usize)
            .cloned()
            .collect())
    }

    async fn record_minute(
        &self,
        event: &EventId,
        sample: &MinuteSample,
        keep: u64,
    ) -> StoreResult<bool> {
        self.change(
            "record_minute",
            |inner, _| inner.record_minute(event, sample, keep),
            |recorded| {
                recorded.then(|| Op::RecordMinute {
                    event: event.clone(),
                    sample: *sample,
                    keep,
                })
            },
        )
        .await
    }

    async fn minutes(&self, event: &EventId) -> StoreResult<Vec<MinuteSample>> {
        let inner = self.inner.lock();
        Ok(inner
            .minutes
            .get(event)
            .map(|m| m.values().copied().collect())
            .unwrap_or_default())
    }
}

#[async_trait]
impl UpdateBus for MemoryStore {
    async fn notify(
        &self,
        event: &EventId,
        token: Option<WaitingToken>,
        notice: &Notice,
    ) -> StoreResult<()> {
        let mut inner = self.inner.lock();
        if let Some(ev) = inner.events.get_mut(event) {
            ev.publish(
                self.clock.now_ms(),
                Change::Notice {
                    token,
                    notice: notice.clone(),
                },
            );
        }
        Ok(())
    }

    async fn subscribe(&self, event: &EventId) -> StoreResult<broadcast::Receiver<EventUpdate>> {
        let mut inner = self.inner.lock();
        let Inner {
            events, channels, ..
        } = &mut *inner;
        let tx = channels
            .entry(event.clone())
            .or_insert_with(|| broadcast::channel(UPDATE_BUFFER).0);
        if let Some(ev) = events.get_mut(event) {
            ev.updates = Some(tx.clone());
        }
        Ok(tx.subscribe())
    }

    async fn unsubscribe(&self, event: &EventId) {
        let mut inner = self.inner.lock();
        let unused = inner
            .channels
            .get(event)
            .is_some_and(|c| c.receiver_count() == 0);
        if unused {
            inner.channels.remove(event);
            if let Some(ev) = inner.events.get_mut(event) {
                ev.updates = None;
            }
        }
    }
}

#[async_trait]
impl Store for MemoryStore {
    fn kind(&self) -> &'static str {
        "memory"
    }

    async fn ping(&self) -> StoreResult<()> {
        Ok(())
    }

    async fn layout(&self, ours: u32) -> StoreResult<u32> {
        {
            let mut layout = self.layout.lock();
            if let Some(held) = *layout {
                return Ok(held);
            }
            *layout = Some(ours);
        }
        if let Some(disk) = &self.disk {
            let write = Write::Put {
                table: META,
                key: LAYOUT_KEY.to_vec(),
                value: ours.to_be_bytes().to_vec(),
            };
            disk.write(vec![write])
                .wait()
                .await
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        }
        Ok(ours)
    }

    fn health(&self) -> watch::Receiver<bool> {
        self.health.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paused() -> EventConfig {
        EventConfig {
            rate_per_sec: 1.0,
            burst: 1,
            max_active: None,
            entry_window_secs: 60,
            paused: true,
            hold: None,
            schedule: None,
            pow_difficulty: 0,
            queue_all: false,
            announcement: None,
        }
    }

    async fn join(store: &MemoryStore, event: &EventId, heartbeat_ms: u64) -> WaitingToken {
        let token = WaitingToken::new();
        let joined = store
            .join(JoinRequest {
                event: event.clone(),
                user: None,
                token,
                heartbeat_ms,
                max_waiting: 10,
                max_entrants: 1_000_000,
                claim: None,
                memo: String::new(),
            })
            .await
            .unwrap();
        assert!(matches!(joined, JoinOutcome::Joined { .. }));
        token
    }

    /// A node's heartbeat, under a lease that outlives nothing in these tests.
    fn socket_heartbeat(ms: u64) -> Touch {
        Touch::Held {
            ms,
            lease: NodeLease { node: 1, ms: 1 },
            all: true,
        }
    }

    async fn state(store: &MemoryStore, token: WaitingToken) -> WaiterState {
        store.status(token, None).await.unwrap().unwrap().state
    }

    #[tokio::test]
    async fn a_lapsed_heartbeat_is_reaped_by_the_stores_clock_not_before() {
        let clock = Clock::manual(1_700_000_000_000);
        let store = MemoryStore::with_clock(Duration::from_secs(60), clock.clone());
        let event = EventId::parse("evt_clock").unwrap();
        assert!(store.create_event(&event, &paused(), false).await.unwrap());
        let token = join(&store, &event, 30_000).await;
        let limits = ReapLimits {
            max: 10,
            gap_ms: 60_000,
            hold_ms: 0,
        };
        clock.advance(Duration::from_millis(29_999));
        assert_eq!(store.reap(&event, limits).await.unwrap(), 0);
        clock.advance(Duration::from_millis(2));
        assert_eq!(store.reap(&event, limits).await.unwrap(), 1);
        assert_eq!(state(&store, token).await, WaiterState::Expired);
    }

    #[tokio::test]
    async fn after_an_outage_reaping_holds_until_nodes_could_renew_their_sockets() {
        let clock = Clock::manual(1_700_000_000_000);
        let store = MemoryStore::with_clock(Duration::from_secs(600), clock.clone());
        let event = EventId::parse("evt_outage").unwrap();
        store.create_event(&event, &paused(), false).await.unwrap();
        let limits = ReapLimits {
            max: 10,
            gap_ms: 3_000,
            hold_ms: 10_000,
        };
        let second = Duration::from_secs(1);
        // Reaping every second: a lapsed heartbeat is reaped at the next reap.
        assert_eq!(store.reap(&event, limits).await.unwrap(), 0);
        let lapsed = join(&store, &event, 1_000).await;
        clock.advance(2 * second);
        assert_eq!(store.reap(&event, limits).await.unwrap(), 1);
        assert_eq!(state(&store, lapsed).await, WaiterState::Expired);
        // A 20 s outage: nobody reaps, nobody renews; this waiter's heartbeat lapses in it.
        let held = join(&store, &event, 5_000).await;
        clock.advance(20 * second);
        for _ in 0..9 {
            assert_eq!(store.reap(&event, limits).await.unwrap(), 0, "held");
            clock.advance(second);
        }
        // Its node renews it during the hold: it keeps its place after the hold.
        store
            .touch(&event, &[held], socket_heartbeat(30_000))
            .await
            .unwrap();
        clock.advance(2 * second);
        assert_eq!(store.reap(&event, limits).await.unwrap(), 0);
        assert_eq!(state(&store, held).await, WaiterState::Waiting);
        // A waiter nobody renews is reaped once the hold is over.
        let gone = join(&store, &event, 1_000).await;
        clock.advance(2 * second);
        assert_eq!(store.reap(&event, limits).await.unwrap(), 1);
        assert_eq!(state(&store, gone).await, WaiterState::Expired);
    }

    /// A directory of its own, removed when dropped.
    struct TempDir(std::path::PathBuf);

    impl TempDir {
        fn new() -> Self {
            let dir = std::env::temp_dir().join(format!("usher-store-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const RETENTION: Duration = Duration::from_secs(600);

    /// Everything a client can read of the store, to compare before and after a restart.
    async fn observe(
        store: &MemoryStore,
        events: &[EventId],
        tokens: &[WaitingToken],
    ) -> (
        Vec<Option<EventSnapshot>>,
        Vec<Option<WaiterRecord>>,
        Option<UserRecord>,
        u64,
    ) {
        let mut snapshots = Vec::new();
        for e in events {
            snapshots.push(store.snapshot(e).await.unwrap());
        }
        let mut records = Vec::new();
        for t in tokens {
            records.push(store.status(*t, None).await.unwrap());
        }
        let user = store.user("ada").await.unwrap();
        (
            snapshots,
            records,
            user,
            store.login_failures("ada").await.unwrap(),
        )
    }

    #[tokio::test]
    async fn a_durable_store_keeps_its_layout_across_restarts() {
        let dir = TempDir::new();
        let open = || MemoryStore::open(RETENTION, &dir.0).unwrap();
        assert_eq!(open().layout(3).await.unwrap(), 3);
        assert_eq!(open().layout(4).await.unwrap(), 3, "the layout read back");
    }

    #[tokio::test]
    async fn a_durable_store_comes_back_as_it_was_and_holds_reaping_until_sockets_renew() {
        let dir = TempDir::new();
        let clock = Clock::manual(1_700_000_000_000);
        let open = || MemoryStore::open_with_clock(RETENTION, &dir.0, clock.clone()).unwrap();
        let store = open();
        let sale = EventId::parse("evt_durable").unwrap();
        let paused_sale = EventId::parse("evt_durable_paused").unwrap();
        let mut cfg = paused();
        cfg.paused = false;
        cfg.burst = 2;
        store.create_event(&sale, &cfg, false).await.unwrap();
        store
            .update_config(
                &paused_sale,
                &ConfigPatch {
                    paused: Some(true),
                    rate_per_sec: Some(7.5),
                    ..ConfigPatch::default()
                },
                &cfg,
            )
            .await
            .unwrap();
        let mut tokens = Vec::new();
        for _ in 0..5 {
            tokens.push(join(&store, &sale, 5_000).await);
        }
        let keyed = JoinRequest {
            event: paused_sale.clone(),
            user: Some(UserId::parse_optional(Some("u1")).unwrap().unwrap()),
            token: WaitingToken::new(),
            heartbeat_ms: 60_000,
            max_waiting: 10,
            max_entrants: 1_000_000,
            claim: Some(IdempotencyClaim {
                key: "join-key".into(),
                fingerprint: "fp".into(),
                ttl_ms: 60_000,
            }),
            memo: "memo".into(),
        };
        store.join(keyed.clone()).await.unwrap();
        tokens.push(keyed.token);
        // Two admitted, one of them enters; one waiter leaves; one is reaped.
        let limits = AdmitLimits {
            max_batch: 10,
            max_freed: 10,
        };
        assert_eq!(store.admit(&sale, limits).await.unwrap().admitted, 2);
        assert!(matches!(
            store.enter(tokens[0], "grant-1", 60_000).await.unwrap(),
            EnterOutcome::Granted(_)
        ));
        store.leave(tokens[2]).await.unwrap();
        let reap = ReapLimits {
            max: 10,
            gap_ms: 60_000,
            hold_ms: 10_000,
        };
        store.reap(&sale, reap).await.unwrap();
        store
            .touch(&sale, &[tokens[4]], socket_heartbeat(60_000))
            .await
            .unwrap();
        clock.advance(Duration::from_secs(6));
        assert_eq!(
            store.reap(&sale, reap).await.unwrap(),
            1,
            "tokens[3] lapsed"
        );
        // Idempotency, users, login failures.
        assert_eq!(
            store
                .idempotency_begin("k1", "f1", "o1", 60_000)
                .await
                .unwrap(),
            IdempotencyBegin::Started
        );
        let response = StoredResponse {
            status: 201,
            content_type: Some("application/json".into()),
            body: b"{\"ok\":true}".to_vec(),
        };
        store
            .idempotency_finish("k1", response.clone(), 60_000)
            .await
            .unwrap();
        store.idempotency_release("k2", "o2").await.unwrap();
        let user = UserRecord {
            id: "usr_1".into(),
            username: "ada".into(),
            display_name: "Ada".into(),
            email: "ada@example.com".into(),
            role: "user".into(),
            password_hash: "$argon2id$...".into(),
            created_at_ms: 1,
        };
        assert!(store.create_user(&user).await.unwrap());
        store.login_failed("ada", 60_000).await.unwrap();
        store.login_failed("ada", 60_000).await.unwrap();
        let events = [sale.clone(), paused_sale.clone()];
        let before = observe(&store, &events, &tokens).await;
        drop(store);

        let store = open();
        assert_eq!(observe(&store, &events, &tokens).await, before);
        assert!(store.config(&paused_sale).await.unwrap().unwrap().paused);
        assert_eq!(
            store
                .idempotency_begin("k1", "f1", "o9", 60_000)
                .await
                .unwrap(),
            IdempotencyBegin::Replay(response)
        );
        assert_eq!(
            store
                .idempotency_begin("k2", "", "o2", 60_000)
                .await
                .unwrap(),
            IdempotencyBegin::Released
        );
        assert!(matches!(
            store.join(keyed.clone()).await.unwrap(),
            JoinOutcome::Replay { token, position: 1, .. } if token == keyed.token
        ));
        assert!(matches!(
            store.enter(tokens[0], "grant-2", 60_000).await.unwrap(),
            EnterOutcome::Regranted { grant, .. } if grant == "grant-1"
        ));
        // The heartbeat of tokens[4] was renewed before the restart, but heartbeats are not
        // logged: reaping holds after the restart until sockets had the time to renew.
        clock.advance(Duration::from_secs(60));
        assert_eq!(store.reap(&sale, reap).await.unwrap(), 0, "held");
        store
            .touch(&sale, &[tokens[4]], socket_heartbeat(60_000))
            .await
            .unwrap();
        clock.advance(Duration::from_secs(11));
        assert_eq!(store.reap(&sale, reap).await.unwrap(), 0);
        assert_eq!(state(&store, tokens[4]).await, WaiterState::Waiting);
        // The store goes on logging after a restart.
        let late = join(&store, &sale, 60_000).await;
        drop(store);
        let store = open();
        assert_eq!(state(&store, late).await, WaiterState::Waiting);
    }

    #[tokio::test]
    async fn a_snapshot_replaces_the_log_it_covers_and_a_restart_resumes_from_it() {
        let dir = TempDir::new();
        let clock = Clock::manual(1_700_000_000_000);
        let store = std::sync::Arc::new(
            MemoryStore::open_with_clock(RETENTION, &dir.0, clock.clone()).unwrap(),
        );
        let event = EventId::parse("evt_snapshot").unwrap();
        store.create_event(&event, &paused(), false).await.unwrap();
        let n = SNAPSHOT_EVERY as usize + 1_000;
        let joins = (0..n).map(|_| {
            let store = store.clone();
            let event = event.clone();
            tokio::spawn(async move {
                let mut req = JoinRequest {
                    event,
                    user: None,
                    token: WaitingToken::new(),
                    heartbeat_ms: 60_000,
                    max_waiting: u64::MAX,
                    max_entrants: 1_000_000,
                    claim: None,
                    memo: String::new(),
                };
                req.max_waiting = u64::MAX;
                let token = req.token;
                store.join(req).await.unwrap();
                token
            })
        });
        let tokens = futures::future::join_all(joins).await;
        let last = *tokens.last().unwrap().as_ref().unwrap();
        let before = store.snapshot(&event).await.unwrap();
        let last_record = store.status(last, None).await.unwrap();
        drop(store);
        let disk = Durable::open(&dir.0.join("store.redb")).unwrap();
        assert!(disk.get(META, SNAPSHOT_KEY).unwrap().is_some());
        let log = disk.scan(LOG).unwrap().len();
        assert!(
            log < 2_000,
            "the log before the snapshot is dropped: {log} entries left"
        );
        drop(disk);
        let store = MemoryStore::open_with_clock(RETENTION, &dir.0, clock).unwrap();
        assert_eq!(store.snapshot(&event).await.unwrap(), before);
        assert_eq!(before.unwrap().waiting(), n as u64);
        assert_eq!(store.status(last, None).await.unwrap(), last_record);
    }
}
