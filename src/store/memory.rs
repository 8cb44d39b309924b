//! The embedded, in-process store: one mutex over all queue state, so every operation is
//! trivially atomic. It is the default when `REDIS_ADDRESS` is not set, and it is what the
//! conformance suite holds every other store to.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::Duration;

use async_trait::async_trait;
use parking_lot::Mutex;
use tokio::sync::{broadcast, watch};

use super::*;
use crate::clock::Clock;

/// Updates buffered per event for slow subscribers before they are told they lagged.
const UPDATE_BUFFER: usize = 4_096;

/// The embedded store.
pub struct MemoryStore {
    inner: Mutex<Inner>,
    /// How long ended tokens are remembered, so that status can say "expired" rather than
    /// "not found".
    retention: Duration,
    /// Always healthy: the store lives in this process.
    health: watch::Sender<bool>,
    clock: Clock,
}

#[derive(Default)]
struct Inner {
    events: HashMap<EventId, EventState>,
    /// Update channels by event, created when a node subscribes and dropped when the last
    /// subscriber leaves: an event nobody watches costs no channel buffer.
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
}

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

struct Waiter {
    record: WaiterRecord,
    /// Reaping deadline while waiting.
    deadline_ms: u64,
    /// Key of this token in its event's `active` set while admitted or entered.
    active_until_ms: Option<u64>,
    /// The grant (reservation token id) recorded when it entered.
    grant: Option<String>,
}

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
        }
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

    /// Removes a waiting token from the queue (it departed before admission).
    fn depart(&mut self, seq: u64, deadline_ms: u64) {
        self.waiting.remove(&seq);
        self.deadlines.remove(&(deadline_ms, seq));
        self.departed.insert(seq);
    }

    /// Someone is waiting or active: the ticker has work here.
    fn is_live(&self) -> bool {
        !self.waiting.is_empty() || !self.active.is_empty()
    }
}

impl MemoryStore {
    pub fn new(retention: Duration) -> Self {
        Self::with_clock(retention, Clock::system())
    }

    /// A store that reads the time from `clock` (a manual clock lets tests move time).
    pub fn with_clock(retention: Duration, clock: Clock) -> Self {
        Self {
            inner: Mutex::new(Inner::default()),
            retention,
            health: watch::Sender::new(true),
            clock,
        }
    }

    /// When a record that ends at `now` is forgotten.
    fn forget_at(&self, now: u64) -> u64 {
        now + self.retention.as_millis() as u64
    }
}

impl Inner {
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

    fn forget_ended(&mut self, now: u64) {
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
    }
}

#[async_trait]
impl QueueStore for MemoryStore {
    async fn join(&self, req: JoinRequest) -> StoreResult<JoinOutcome> {
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        if let Some(claim) = &req.claim
            && let Some(rec) = inner
                .idempotency
                .get(&claim.key)
                .filter(|r| r.expires_ms > now)
        {
            return Ok(match &rec.answer {
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
            });
        }
        let Some(ev) = inner.events.get_mut(&req.event) else {
            return Ok(JoinOutcome::EventNotFound);
        };
        ev.joined_ms = now;
        if ev.waiting.len() as u64 >= req.max_waiting {
            return Ok(JoinOutcome::QueueFull);
        }
        if let Some(user) = &req.user {
            if ev.users.contains_key(user) {
                return Ok(JoinOutcome::UserAlreadyQueued);
            }
            ev.users.insert(user.clone(), req.token);
        }
        ev.next_seq += 1;
        let seq = ev.next_seq;
        let deadline = now + req.heartbeat_ms;
        ev.waiting.insert(seq, req.token);
        ev.deadlines.insert((deadline, seq));
        ev.counters.joined += 1;
        let position = ev.waiting.len() as u64;
        let record = WaiterRecord {
            token: req.token,
            event: req.event,
            user: req.user,
            seq: Seq(seq),
            state: WaiterState::Waiting,
            joined_at_ms: now,
            admitted_at_ms: None,
            entry_deadline_ms: None,
        };
        inner.waiters.insert(
            req.token,
            Waiter {
                record,
                deadline_ms: deadline,
                active_until_ms: None,
                grant: None,
            },
        );
        if let Some(claim) = req.claim {
            let answer = Answer::Joined {
                token: req.token,
                position,
                memo: req.memo,
            };
            inner.remember(
                claim.key,
                claim.fingerprint,
                Some(answer),
                now + claim.ttl_ms,
            );
        }
        Ok(JoinOutcome::Joined {
            seq: Seq(seq),
            position,
            joined_at_ms: now,
        })
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
        for token in tokens {
            let Some(w) = waiters.get_mut(token) else {
                continue;
            };
            if w.record.state != WaiterState::Waiting || &w.record.event != event {
                continue;
            }
            let deadline = match touch {
                Touch::AtLeast(ms) => w.deadline_ms.max(now + ms),
                Touch::Exactly(ms) => now + ms,
            };
            let seq = w.record.seq.0;
            ev.deadlines.remove(&(w.deadline_ms, seq));
            ev.deadlines.insert((deadline, seq));
            w.deadline_ms = deadline;
        }
        Ok(())
    }

    async fn leave(&self, token: WaitingToken) -> StoreResult<LeaveOutcome> {
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        let Inner {
            events,
            waiters,
            ended,
            ..
        } = &mut *inner;
        let Some(w) = waiters.get_mut(&token) else {
            return Ok(LeaveOutcome::NotFound);
        };
        let was = w.record.state;
        if matches!(was, WaiterState::Expired | WaiterState::Left) {
            return Ok(LeaveOutcome::AlreadyEnded(was));
        }
        // An entered token's event may have been deleted once idle: nothing left to free.
        let Some(ev) = events.get_mut(&w.record.event) else {
            return Ok(LeaveOutcome::AlreadyEnded(was));
        };
        match was {
            WaiterState::Waiting => {
                let seq = w.record.seq.0;
                ev.depart(seq, w.deadline_ms);
                ev.publish(
                    now,
                    Change::Departed {
                        seqs: vec![Seq(seq)],
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
                return Ok(LeaveOutcome::AlreadyEnded(was));
            }
        }
        if was == WaiterState::Entered {
            // Entered users keep their finished record; leaving only ends the session early.
            return Ok(LeaveOutcome::AlreadyEnded(was));
        }
        ev.release(w, ended, self.forget_at(now));
        ev.counters.left += 1;
        w.record.state = WaiterState::Left;
        Ok(LeaveOutcome::Left {
            event: w.record.event.clone(),
            was,
        })
    }

    async fn admit(&self, event: &EventId, limits: AdmitLimits) -> StoreResult<AdmitOutcome> {
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        let Inner {
            events,
            waiters,
            ended,
            ..
        } = &mut *inner;
        let Some(ev) = events.get_mut(event) else {
            return Ok(AdmitOutcome::default());
        };

        // Free the slots of admitted users whose window ended, and of finished sessions: as
        // many as the limit allows, the rest in the next steps.
        let mut lapsed = Vec::new();
        for _ in 0..limits.max_freed {
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
                ev.release(w, ended, self.forget_at(now));
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

        let mut n = if cfg.paused {
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
        for _ in 0..n {
            let (seq, token) = ev.waiting.pop_first().expect("n <= waiting");
            let w = waiters.get_mut(&token).expect("waiting token has a record");
            ev.deadlines.remove(&(w.deadline_ms, seq));
            let deadline = now + entry_window_ms;
            w.record.state = WaiterState::Admitted;
            w.record.admitted_at_ms = Some(now);
            w.record.entry_deadline_ms = Some(deadline);
            w.active_until_ms = Some(deadline);
            ev.active.insert((deadline, token));
            ev.head = seq;
        }
        ev.bucket_tokens -= n as f64;
        ev.departed = ev.departed.split_off(&(ev.head + 1));
        ev.counters.admitted += n;
        ev.history.record(now, n);
        if n > 0 || !lapsed.is_empty() {
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
        Ok(AdmitOutcome {
            admitted: n as u32,
            lapsed: lapsed.len() as u32,
            waiting: ev.waiting.len() as u64,
            active: ev.active.len() as u64,
        })
    }

    async fn reap(&self, event: &EventId, limits: ReapLimits) -> StoreResult<u64> {
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        inner.forget_ended(now);
        let Inner {
            events,
            waiters,
            ended,
            ..
        } = &mut *inner;
        let Some(ev) = events.get_mut(event) else {
            return Ok(0);
        };
        if ev
            .reaped_ms
            .is_some_and(|last| now.saturating_sub(last) > limits.gap_ms)
        {
            ev.reap_hold_until = now + limits.hold_ms;
        }
        ev.reaped_ms = Some(now);
        let mut seqs = Vec::new();
        while now >= ev.reap_hold_until && seqs.len() < limits.max {
            let Some(&(deadline, seq)) = ev.deadlines.first() else {
                break;
            };
            if deadline > now {
                break;
            }
            let token = ev.waiting[&seq];
            ev.depart(seq, deadline);
            let w = waiters.get_mut(&token).expect("waiting token has a record");
            w.record.state = WaiterState::Expired;
            ev.release(w, ended, self.forget_at(now));
            seqs.push(Seq(seq));
        }
        ev.history.trim(now);
        if seqs.is_empty() {
            return Ok(0);
        }
        ev.counters.expired += seqs.len() as u64;
        let n = seqs.len() as u64;
        ev.publish(
            now,
            Change::Departed {
                seqs,
                reason: DepartReason::Expired,
            },
        );
        Ok(n)
    }

    async fn enter(
        &self,
        token: WaitingToken,
        grant: &str,
        session_ms: u64,
    ) -> StoreResult<EnterOutcome> {
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        let Inner {
            events,
            waiters,
            ended,
            ..
        } = &mut *inner;
        let Some(w) = waiters.get_mut(&token) else {
            return Ok(EnterOutcome::NotFound);
        };
        match w.record.state {
            WaiterState::Waiting => return Ok(EnterOutcome::NotReady),
            WaiterState::Entered => {
                let open = w.record.entry_deadline_ms.is_some_and(|d| d >= now);
                return Ok(match (&w.grant, open) {
                    (Some(grant), true) => EnterOutcome::Regranted {
                        record: w.record.clone(),
                        grant: grant.clone(),
                    },
                    _ => EnterOutcome::AlreadyEntered,
                });
            }
            WaiterState::Expired => return Ok(EnterOutcome::Expired),
            WaiterState::Left => return Ok(EnterOutcome::Left),
            WaiterState::Admitted => {}
        }
        // An admitted token is active, so its event is not idle and exists.
        let Some(ev) = events.get_mut(&w.record.event) else {
            return Ok(EnterOutcome::Expired);
        };
        let until = w
            .active_until_ms
            .take()
            .expect("admitted tokens are active");
        ev.active.remove(&(until, token));
        ev.release(w, ended, self.forget_at(now));
        if w.record.entry_deadline_ms.is_some_and(|d| d < now) {
            // The window ended before the ticker noticed: the slot is freed here instead.
            w.record.state = WaiterState::Expired;
            ev.counters.lapsed += 1;
            return Ok(EnterOutcome::Expired);
        }
        w.record.state = WaiterState::Entered;
        w.grant = Some(grant.to_owned());
        let session_until = now + session_ms;
        w.active_until_ms = Some(session_until);
        ev.active.insert((session_until, token));
        ev.counters.entered += 1;
        Ok(EnterOutcome::Granted(w.record.clone()))
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
                departed: ev.departed.iter().copied().map(Seq).collect(),
                active: ev.active.len() as u64,
                counters: ev.counters,
                history,
                now_ms: now,
            }
        }))
    }

    async fn live_events(&self) -> StoreResult<Vec<EventId>> {
        let mut inner = self.inner.lock();
        // The ticker calls this every second: the embedded store forgets expired records here
        // too, so they go even while no event is live.
        inner.forget_ended(self.clock.now_ms());
        Ok(inner
            .events
            .iter()
            .filter(|(_, ev)| ev.is_live())
            .map(|(id, _)| id.clone())
            .collect())
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
        let mut inner = self.inner.lock();
        if inner.events.contains_key(event) {
            return Ok(false);
        }
        inner
            .event_or_create(event, config, self.clock.now_ms())
            .auto = auto;
        Ok(true)
    }

    async fn delete_idle_auto_event(&self, event: &EventId, idle_ms: u64) -> StoreResult<bool> {
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        let idle = inner.events.get(event).is_some_and(|ev| {
            ev.auto && !ev.is_live() && now.saturating_sub(ev.joined_ms) >= idle_ms
        });
        if idle {
            inner.events.remove(event);
        }
        Ok(idle)
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
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        let ev = inner.event_or_create(event, defaults, now);
        // Settle the bucket at the old rate before the new one applies.
        let elapsed = now.saturating_sub(ev.bucket_ms) as f64 / 1_000.0;
        ev.bucket_tokens =
            (ev.bucket_tokens + elapsed * ev.config.rate_per_sec).min(f64::from(ev.config.burst));
        ev.bucket_ms = now;
        ev.config = patch.apply(&ev.config);
        ev.bucket_tokens = ev.bucket_tokens.min(f64::from(ev.config.burst));
        let config = ev.config.clone();
        ev.publish(now, Change::Config(config.clone()));
        Ok(config)
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
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        if let Some(rec) = inner.idempotency.get(key).filter(|r| r.expires_ms > now) {
            match rec.released() {
                Some(released) if released == owner => return Ok(IdempotencyBegin::Released),
                // Another attempt's release mark: the key is free.
                Some(_) => {}
                None => {
                    return Ok(match &rec.answer {
                        _ if rec.fingerprint != fingerprint => IdempotencyBegin::Conflict,
                        Some(Answer::Response(resp)) => IdempotencyBegin::Replay(resp.clone()),
                        _ => IdempotencyBegin::InFlight,
                    });
                }
            }
        }
        let running = Some(Answer::Running(owner.to_owned()));
        inner.remember(
            key.to_owned(),
            fingerprint.to_owned(),
            running,
            now + ttl_ms,
        );
        Ok(IdempotencyBegin::Started)
    }

    async fn idempotency_finish(
        &self,
        key: &str,
        response: StoredResponse,
        ttl_ms: u64,
    ) -> StoreResult<()> {
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        let expires_ms = now + ttl_ms;
        if let Some(rec) = inner.idempotency.get_mut(key) {
            rec.answer = Some(Answer::Response(response));
            rec.expires_ms = expires_ms;
            inner
                .idempotency_expiry
                .insert((expires_ms, key.to_owned()));
        }
        Ok(())
    }

    async fn idempotency_release(&self, key: &str, owner: &str) -> StoreResult<()> {
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        match inner.idempotency.get(key).filter(|r| r.expires_ms > now) {
            None => {
                let mark = Some(Answer::Released(owner.to_owned()));
                inner.remember(key.to_owned(), String::new(), mark, now + RELEASE_MARK_MS);
            }
            Some(rec) if matches!(&rec.answer, Some(Answer::Running(o)) if o == owner) => {
                inner.idempotency.remove(key);
            }
            // A stored answer, another attempt's claim, or a mark: left alone.
            Some(_) => {}
        }
        Ok(())
    }
}

#[async_trait]
impl UserStore for MemoryStore {
    async fn create_user(&self, user: &UserRecord) -> StoreResult<bool> {
        let mut inner = self.inner.lock();
        match inner.users.entry(user.username.clone()) {
            std::collections::hash_map::Entry::Occupied(_) => Ok(false),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(user.clone());
                Ok(true)
            }
        }
    }

    async fn user(&self, username: &str) -> StoreResult<Option<UserRecord>> {
        Ok(self.inner.lock().users.get(username).cloned())
    }

    async fn user_count(&self) -> StoreResult<u64> {
        Ok(self.inner.lock().users.len() as u64)
    }

    async fn login_failed(&self, username: &str, window_ms: u64) -> StoreResult<u64> {
        let now = self.clock.now_ms();
        let mut inner = self.inner.lock();
        let entry = inner
            .login_failures
            .entry(username.to_owned())
            .or_insert((0, now + window_ms));
        if entry.1 <= now {
            *entry = (0, now + window_ms);
        }
        entry.0 += 1;
        Ok(entry.0)
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
                claim: None,
                memo: String::new(),
            })
            .await
            .unwrap();
        assert!(matches!(joined, JoinOutcome::Joined { .. }));
        token
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
            .touch(&event, &[held], Touch::AtLeast(30_000))
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
}
