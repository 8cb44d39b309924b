//! The storage contract: a narrow set of atomic operations on queue state.
//!
//! Every method of [`Store`] is one atomic step against the shared state of an event (for the
//! Redis implementation, one Lua script). Queue *rules* (what a position is, when to push, how the
//! ETA is estimated) live above this trait in [`crate::queue`] and [`crate::hub`], once; a store
//! only keeps the ordered state and changes it atomically.
//!
//! The model every implementation keeps per event:
//! - a sequence counter: each join takes the next [`Seq`], so join order is total and exact;
//! - `head`: the highest sequence number admitted so far. FIFO admission means every sequence
//!   number at or below `head` is no longer waiting;
//! - `departed`: sequence numbers above `head` that left or were reaped before admission.
//!
//! From those three values anyone can derive a waiter's position without asking the store:
//! `position(seq) = seq - head - |departed ∩ (head, seq)|`. Every change to them is published
//! on the event's update channel with a version number, so each node keeps a local copy
//! ([`crate::queue::view::EventView`]) and notices a missed message as a version gap.

pub mod memory;
pub mod redis_store;

use std::collections::VecDeque;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, watch};
use tracing::Span;
use tracing::field::Empty;

use crate::config::QueueSettings;
use crate::domain::{EventId, Seq, UserId, WaitingToken};
pub use crate::protocol::{Announcement, Notice};

pub use memory::MemoryStore;
pub use redis_store::RedisStore;

/// Store failures. Callers answer these with 5xx; they never mean "bad input".
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store could not be reached or did not answer in time: retrying may succeed (503).
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// The store answered, but with something that cannot be: a malformed reply, a record that
    /// does not parse, a broken invariant. Retrying will not help (500, logged).
    #[error("store data is corrupt: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Most records [`QueueStore::records`] reads in one store round trip.
pub const RECORDS_BATCH: usize = 1_000;

/// Admission settings of one event. An event exists once an operator created it (admin API) or
/// the queue created it for an event the inventory knows (see [`crate::queue::EventDirectory`]);
/// joins never create events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventConfig {
    /// Token-bucket refill: admissions per second.
    pub rate_per_sec: f64,
    /// Token-bucket capacity: the most admissions one step can make after a quiet spell.
    pub burst: u32,
    /// Cap on concurrently active users (admitted but not yet entered, or entered and still in
    /// their session); `None` is unlimited.
    #[schema(required = true)]
    pub max_active: Option<u32>,
    /// How long an admitted waiter may take to call `enter` before the slot is freed.
    pub entry_window_secs: u32,
    /// A paused event admits nobody; waiters keep their places.
    pub paused: bool,
    /// Admission held by usher itself (a backend is failing), apart from the operator's
    /// `paused`: nobody is admitted and no entry window lapses until it is lifted or runs out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub hold: Option<Hold>,
    /// When the sale opens, starts and ends, and how those who arrive before it starts are
    /// ordered; none: the queue is open, FIFO, from its first join.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub schedule: Option<Schedule>,
    /// Leading zero bits a join's proof of work must have (see [`crate::queue::pow`]);
    /// 0: none is asked for.
    #[serde(default, skip_serializing_if = "is_zero")]
    #[schema(maximum = 32)]
    pub pow_difficulty: u8,
    /// "Queue everyone": joins are taken and nobody is admitted, until the operator lifts it.
    /// Unlike `paused`, waiters are told the sale is gathering its queue, not that it stopped.
    #[serde(default, skip_serializing_if = "is_false")]
    pub queue_all: bool,
    /// The operator's last message to everyone waiting for the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub announcement: Option<Announcement>,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How a scheduled sale orders those who join before it starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QueueingMethod {
    /// In order of arrival, from the first join.
    #[default]
    Fifo,
    /// Everyone in the pre-queue at `sale_starts_at` is put in a random order by a verifiable
    /// draw (see [`crate::draw`]); later joins queue in order of arrival behind them.
    RandomAtStart,
}

/// A scheduled sale. Times are the store clock's, ms since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Schedule {
    /// Joins before this instant are refused (`SALE_NOT_OPEN`); none: the pre-queue is open
    /// until the sale starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub prequeue_opens_at_ms: Option<u64>,
    /// Nobody is admitted before this instant; those who joined before it are the pre-queue.
    pub sale_starts_at_ms: u64,
    /// Joins from this instant are refused (`SALE_ENDED`) and waiters are told the sale ended;
    /// admitted buyers keep their entry window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub sale_ends_at_ms: Option<u64>,
    pub queueing_method: QueueingMethod,
    /// The public randomness the draw waits for, named before the pre-queue opens (for
    /// example a beacon's round number); its value is given by the operator after the close.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub beacon_round: Option<String>,
    /// The sale was called off by an operator (it ended at `sale_ends_at_ms`): waiters are
    /// told it was cancelled rather than over.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cancelled: bool,
}

/// Where a scheduled sale stands at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalePhase {
    /// Joins are refused until `opens_at_ms`.
    NotOpen { opens_at_ms: u64 },
    /// Joins enter the pre-queue; nobody is admitted.
    Prequeue,
    /// Admission runs (for a random start, once the draw is made).
    Open,
    /// Joins are refused; waiters are told.
    Ended,
}

impl Schedule {
    pub fn is_random(&self) -> bool {
        self.queueing_method == QueueingMethod::RandomAtStart
    }

    /// The phase at `now_ms`.
    pub fn phase(&self, now_ms: u64) -> SalePhase {
        match self.prequeue_opens_at_ms {
            _ if self.sale_ends_at_ms.is_some_and(|end| now_ms >= end) => SalePhase::Ended,
            Some(opens) if now_ms < opens => SalePhase::NotOpen { opens_at_ms: opens },
            _ if now_ms < self.sale_starts_at_ms => SalePhase::Prequeue,
            _ => SalePhase::Open,
        }
    }
}

/// The public record of a random start's draw, as it progresses: the commitment from the
/// moment the sale is scheduled, the close of the entry list at the start, then the reveal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DrawRecord {
    /// SHA-256 of the secret seed, hex.
    pub commitment: String,
    /// Entrants in the closed entry list (entry indices 1..=entrants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrants: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at_ms: Option<u64>,
    /// Merkle root of the entry list, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beacon_value: Option<String>,
    /// The seed, hex: revealed with the draw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// The permutation's key ([`crate::draw::key`]), hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drawn_at_ms: Option<u64>,
}

impl DrawRecord {
    pub fn closed(&self) -> bool {
        self.closed_at_ms.is_some()
    }

    pub fn drawn(&self) -> bool {
        self.drawn_at_ms.is_some()
    }

    /// The permutation of a made draw (none for an empty pre-queue).
    pub fn permutation(&self) -> Option<crate::draw::Permutation> {
        let key = self.key.as_deref()?;
        Some(crate::draw::Permutation::new(key, self.entrants?))
    }
}

/// What the node that makes a draw needs besides the public record: the secret seed, hex,
/// and the beacon value the operator gave, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawSecret {
    pub seed: String,
    pub beacon_value: Option<String>,
}

/// The draw, as the node that made it hands it to the store ([`QueueStore::publish_draw`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawReveal {
    pub entrants: u64,
    pub root: String,
    pub beacon_value: Option<String>,
    pub seed: String,
    pub key: String,
    /// Roots of the entry list's chunks of [`crate::draw::CHUNK`] leaves, hex, for proofs.
    pub chunk_roots: Vec<String>,
}

/// Result of [`QueueStore::set_beacon`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BeaconOutcome {
    Set,
    /// The event names no beacon round.
    NoRound,
    /// The entry list is not closed yet: a value given before the close could steer it.
    NotClosed,
    /// A value was given already (it is kept), or the draw is made.
    AlreadySet,
    NotFound,
}

/// Why and since when usher holds an event's admission, and until when the hold lasts unless
/// renewed (a node that set it and died does not hold the sale for ever).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hold {
    /// What is failing, for waiters and operators (e.g. `reservation_service_unavailable`).
    pub reason: String,
    /// Store clock, ms since the Unix epoch.
    pub since_ms: u64,
    pub until_ms: u64,
}

impl EventConfig {
    /// Settings a new event starts with.
    pub fn defaults(settings: &QueueSettings) -> Self {
        Self {
            rate_per_sec: settings.rate,
            burst: settings.burst,
            max_active: settings.max_active,
            // Whole seconds, at most a day: parsed so.
            entry_window_secs: settings.entry_window.as_secs() as u32,
            paused: false,
            hold: None,
            schedule: None,
            pow_difficulty: 0,
            queue_all: false,
            announcement: None,
        }
    }

    /// The hold in force at `now_ms`, if any.
    pub fn hold_at(&self, now_ms: u64) -> Option<&Hold> {
        self.hold.as_ref().filter(|h| h.until_ms > now_ms)
    }

    /// The sale's phase at `now_ms` by its schedule; `Open` for an unscheduled event.
    pub fn sale_phase(&self, now_ms: u64) -> SalePhase {
        self.schedule
            .as_ref()
            .map_or(SalePhase::Open, |s| s.phase(now_ms))
    }

    /// Whether admission is stopped at `now_ms`: paused by the operator, or held.
    pub fn stopped_at(&self, now_ms: u64) -> bool {
        self.paused_at(now_ms) || self.queue_all
    }

    /// Whether waiters are told admission is paused (by the operator, or held by usher); a
    /// queue that gathers everyone ([`Self::queue_all`]) is stopped too, but not paused.
    pub fn paused_at(&self, now_ms: u64) -> bool {
        self.paused || self.hold_at(now_ms).is_some()
    }
}

/// The departed above `head` in admission order, as a snapshot gives them: those recorded in
/// that order, and the entrants of a random start who departed before its draw (recorded by
/// sequence number), ranked once the draw is made.
pub(crate) fn departed_in_order(
    departed: impl IntoIterator<Item = u64>,
    pre_departed: impl IntoIterator<Item = u64>,
    permutation: Option<&crate::draw::Permutation>,
    head: u64,
) -> Vec<Seq> {
    let ranked = pre_departed
        .into_iter()
        .map(|s| permutation.map_or(s, |p| p.order(Seq(s)).0))
        .filter(|&o| o > head);
    let mut all: Vec<u64> = departed.into_iter().chain(ranked).collect();
    all.sort_unstable();
    all.into_iter().map(Seq).collect()
}

/// A partial update of an [`EventConfig`]; absent fields are unchanged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigPatch {
    pub rate_per_sec: Option<f64>,
    pub burst: Option<u32>,
    /// `Some(None)` removes the cap.
    pub max_active: Option<Option<u32>>,
    pub entry_window_secs: Option<u32>,
    pub paused: Option<bool>,
    /// `Some(None)` lifts the hold, and extends the entry windows of the admitted by as long
    /// as it held them.
    pub hold: Option<Option<Hold>>,
    /// `Some(None)` removes the schedule.
    pub schedule: Option<Option<Schedule>>,
    pub pow_difficulty: Option<u8>,
    pub queue_all: Option<bool>,
    /// `Some(None)` removes the message.
    pub announcement: Option<Option<Announcement>>,
    /// The seed a random start draws with, hex, and its commitment: recorded by the first
    /// patch that carries one, never replaced.
    pub draw_seed: Option<(String, String)>,
}

impl ConfigPatch {
    /// The configuration that results from applying this patch to `base`.
    pub fn apply(&self, base: &EventConfig) -> EventConfig {
        EventConfig {
            rate_per_sec: self.rate_per_sec.unwrap_or(base.rate_per_sec),
            burst: self.burst.unwrap_or(base.burst),
            max_active: self.max_active.unwrap_or(base.max_active),
            entry_window_secs: self.entry_window_secs.unwrap_or(base.entry_window_secs),
            paused: self.paused.unwrap_or(base.paused),
            hold: self.hold.clone().unwrap_or_else(|| base.hold.clone()),
            schedule: self
                .schedule
                .clone()
                .unwrap_or_else(|| base.schedule.clone()),
            pow_difficulty: self.pow_difficulty.unwrap_or(base.pow_difficulty),
            queue_all: self.queue_all.unwrap_or(base.queue_all),
            announcement: self
                .announcement
                .clone()
                .unwrap_or_else(|| base.announcement.clone()),
        }
    }

    /// How long the entry windows of the admitted are extended when this patch lifts `old`'s
    /// hold at `now_ms`: as long as the hold held them.
    pub fn extension_ms(&self, old: &EventConfig, now_ms: u64) -> u64 {
        match (&self.hold, &old.hold) {
            (Some(None), Some(h)) => now_ms.min(h.until_ms).saturating_sub(h.since_ms),
            _ => 0,
        }
    }
}

/// Where a waiting token is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaiterState {
    /// In the queue.
    Waiting,
    /// Admitted by the ticker; may call `enter` until the entry deadline.
    Admitted,
    /// Called `enter` and received its one reservation grant.
    Entered,
    /// Reaped (heartbeat lost) or its entry window ended unused.
    Expired,
    /// Left the queue on request.
    Left,
}

/// What the store knows of one waiting token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaiterRecord {
    pub token: WaitingToken,
    pub event: EventId,
    pub user: Option<UserId>,
    pub seq: Seq,
    pub state: WaiterState,
    /// Store clock, milliseconds since the Unix epoch.
    pub joined_at_ms: u64,
    pub admitted_at_ms: Option<u64>,
    /// Admitted waiters must enter before this instant.
    pub entry_deadline_ms: Option<u64>,
}

/// Input of [`QueueStore::join`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JoinRequest {
    pub event: EventId,
    pub user: Option<UserId>,
    pub token: WaitingToken,
    /// Initial heartbeat: the waiter is reaped if nothing refreshes it within this time.
    pub heartbeat_ms: u64,
    /// Longest the queue may be; a join beyond it is refused.
    pub max_waiting: u64,
    /// Most entrants a random start's pre-queue records (leavers included: their slots stay
    /// in the entry list); a join beyond it is refused as a full queue.
    #[serde(default = "default_max_entrants")]
    pub max_entrants: u64,
    /// An idempotency key this join claims in the same atomic step (standalone Redis and the
    /// embedded store; a cluster claims it first, in its own slot): a retried join replays the
    /// first one's place instead of taking a second one.
    pub claim: Option<IdempotencyClaim>,
    /// Kept with the claim and handed back on replay: with the token and the position, what the
    /// caller needs to rebuild its first answer exactly. Unused without a claim.
    pub memo: String,
}

fn default_max_entrants() -> u64 {
    crate::draw::MAX_ENTRANTS
}

/// An idempotency key, scoped by the caller, and the fingerprint of the request that uses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdempotencyClaim {
    pub key: String,
    /// The same key with another fingerprint is a conflict.
    pub fingerprint: String,
    /// How long the key and its record are kept.
    pub ttl_ms: u64,
}

/// Result of [`QueueStore::join`].
#[derive(Debug, Clone, PartialEq)]
pub enum JoinOutcome {
    Joined {
        seq: Seq,
        /// Exact 1-based position at the moment of joining.
        position: u64,
        joined_at_ms: u64,
    },
    /// The queue already holds `max_waiting` waiters.
    QueueFull,
    /// No such event: nothing was created.
    EventNotFound,
    /// This user already holds a live place (waiting or admitted) in this event's queue.
    UserAlreadyQueued,
    /// The claim's key was used before by the same request, which joined: its place, as it was
    /// given then, and the memo stored with it.
    Replay {
        token: WaitingToken,
        position: u64,
        memo: String,
    },
    /// The claim's key was used before by a different request.
    Conflict,
    /// The same request is still running (only where the claim is a separate step).
    InFlight,
    /// A scheduled sale whose pre-queue opens later.
    NotOpen { opens_at_ms: u64 },
    /// A scheduled sale that has ended.
    Ended,
}

/// How a batch heartbeat moves waiters' reaping deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// A node's open sockets: deadline = max(deadline, now + ms), and the node holds these
    /// waiters under its lease, which this extends. `all`: these are all the event's sockets
    /// the node holds (a full renewal), so a waiter it held before and leaves out now is no
    /// longer held by it.
    Held {
        ms: u64,
        lease: NodeLease,
        all: bool,
    },
    /// deadline = now + ms, and no node holds the waiter: the socket closed, the grace period
    /// starts now.
    Exactly(u64),
}

/// A node's claim on the waiters whose sockets it holds. While it lasts, reapers leave those
/// waiters alone even when their heartbeats lapse (the node may be cut off from the store
/// while its sockets are open); once it lapses the node counts as gone. Every heartbeat
/// renewal renews it for `ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeLease {
    /// The node's id, random per process.
    pub node: u64,
    pub ms: u64,
}

/// Result of [`QueueStore::leave`].
#[derive(Debug, Clone, PartialEq)]
pub enum LeaveOutcome {
    /// The token was live and is now `Left`; `was` is its state before.
    Left {
        event: EventId,
        was: WaiterState,
    },
    /// The token had already ended (left, expired or entered earlier).
    AlreadyEnded(WaiterState),
    NotFound,
}

/// Result of [`QueueStore::enter`].
#[derive(Debug, Clone, PartialEq)]
pub enum EnterOutcome {
    /// The one grant of this token.
    Granted(WaiterRecord),
    /// The token entered before and its entry window is still open: the grant it got then,
    /// again (an answer lost on the way must not cost the buyer their turn).
    Regranted {
        record: WaiterRecord,
        grant: String,
    },
    /// Still waiting: not admitted yet.
    NotReady,
    /// The token entered once, and its entry window is over.
    AlreadyEntered,
    /// Reaped, or the entry window ended.
    Expired,
    Left,
    NotFound,
}

/// Input of [`QueueStore::admit`].
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct AdmitLimits {
    /// Most waiters one step may admit, whatever the bucket holds.
    pub max_batch: u32,
    /// Most active slots (of lapsed entry windows and ended sessions) one step frees, so that
    /// a step stays short however many lapse at once; the rest are freed by the next steps.
    pub max_freed: usize,
}

/// Input of [`QueueStore::reap`].
#[derive(Debug, Clone, Copy)]
pub struct ReapLimits {
    /// Most waiters one call expires; the rest go in the next call.
    pub max: usize,
    /// A reap that comes longer than this after the event's previous one (nobody could reach
    /// the store, or nobody ran) means heartbeats may have been lost on the way: reaping holds.
    pub gap_ms: u64,
    /// How long such a hold lasts, by the store's clock: long enough for every live node to
    /// renew its sockets' heartbeats and for polling clients to poll again.
    pub hold_ms: u64,
}

/// Result of [`QueueStore::admit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AdmitOutcome {
    pub admitted: u32,
    /// Admitted waiters whose entry window ended unused in this step.
    pub lapsed: u32,
    /// Waiters still in the queue after the step.
    pub waiting: u64,
    /// Admitted or entered users still counted as active after the step.
    pub active: u64,
    /// The entry list of a random start is closed and its draw is to be made: this caller
    /// makes it (the store gives the task to one caller at a time, for a while).
    pub draw_due: bool,
}

/// Why waiters left the queue before admission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartReason {
    Left,
    Expired,
}

/// A published change of an event's queue state. `version` increases by exactly one per message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventUpdate {
    /// Which life of the event this is about: set when the event is created, so a store that
    /// lost its data and created the event again publishes under another one.
    #[serde(default)]
    pub born: u64,
    pub version: u64,
    /// Store clock when the change happened.
    pub at_ms: u64,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// An admission step: everyone waiting with a sequence number up to `head` is admitted.
    Step {
        head: Seq,
        admitted: u32,
        /// Highest sequence number issued so far (joins are not published one by one).
        next_seq: Seq,
        /// Admitted tokens whose entry window ended unused.
        lapsed: Vec<WaitingToken>,
        /// Active users after the step.
        active: u64,
        /// Entry window in force for the admitted, so every node computes the same deadline.
        entry_window_secs: u32,
    },
    /// Waiters left or were reaped before admission; everyone behind them moves up.
    Departed {
        seqs: Vec<Seq>,
        reason: DepartReason,
    },
    /// The event's settings changed (rate, pause, ...).
    Config(EventConfig),
    /// A random start's draw progressed: the entry list closed, or the draw was made. From a
    /// made draw on, sequence numbers of entrants are published by their rank
    /// ([`crate::draw::Permutation::order`]), and `head` and departures count in that order.
    Draw(DrawRecord),
    /// A notice for one waiter's socket (their reservation or payment), delivered by whichever
    /// node holds it; without a token, for every socket of the event (sold out).
    Notice {
        token: Option<WaitingToken>,
        notice: Notice,
    },
}

/// Lifetime totals of one event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCounters {
    pub joined: u64,
    pub admitted: u64,
    pub entered: u64,
    pub expired: u64,
    pub lapsed: u64,
    pub left: u64,
}

/// The whole derivable state of one event, for building a node's local view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSnapshot {
    /// Version of the last update folded into this snapshot.
    /// See [`EventUpdate::born`].
    pub born: u64,
    pub version: u64,
    pub config: EventConfig,
    pub head: Seq,
    pub next_seq: Seq,
    /// Departed sequence numbers above `head`, ascending.
    pub departed: Vec<Seq>,
    pub active: u64,
    pub counters: EventCounters,
    pub history: AdmissionHistory,
    /// Store clock when the snapshot was taken.
    pub now_ms: u64,
    /// The draw of a random start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw: Option<DrawRecord>,
}

impl EventSnapshot {
    /// Waiters currently in the queue.
    pub fn waiting(&self) -> u64 {
        self.next_seq.0 - self.head.0 - self.departed.len() as u64
    }
}

/// A stored response for idempotent replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// Result of [`IdempotencyStore::idempotency_begin`].
#[derive(Debug, Clone, PartialEq)]
pub enum IdempotencyBegin {
    /// No record: this request owns the key and must finish or release it.
    Started,
    /// Another request with the same key and fingerprint is executing now.
    InFlight,
    /// The key was used for a different request.
    Conflict,
    /// The same request completed before: replay this.
    Replay(StoredResponse),
    /// This claim arrived after its own release (the store stalled, and the request gave up
    /// and released the key first): it claims nothing.
    Released,
}

/// One attempt at a keyed request: names its claim (see [`IdempotencyStore::idempotency_begin`])
/// so that its release is told apart from a retry's claim, whichever reaches the store first.
pub struct Attempt<'a> {
    store: &'a dyn IdempotencyStore,
    key: &'a str,
    owner: String,
}

impl<'a> Attempt<'a> {
    pub fn new(store: &'a dyn IdempotencyStore, key: &'a str) -> Self {
        Self {
            store,
            key,
            owner: uuid::Uuid::new_v4().to_string(),
        }
    }

    /// Claims the key for this attempt. When the store does not answer, the claim may still
    /// land later (a stalled store delivers it late): it is released at once, so that the key
    /// is not left in flight whichever arrives first.
    pub async fn begin(&self, fingerprint: &str, ttl_ms: u64) -> StoreResult<IdempotencyBegin> {
        let begin = self
            .store
            .idempotency_begin(self.key, fingerprint, &self.owner, ttl_ms)
            .await;
        if begin.is_err() {
            let _ = self.release().await;
        }
        begin
    }

    /// Releases this attempt's claim: the request failed, so a retry runs again.
    pub async fn release(&self) -> StoreResult<()> {
        self.store.idempotency_release(self.key, &self.owner).await
    }
}

/// How long the mark of a release that found no claim is kept: a claim delayed by a stalled
/// store that arrives within it is recognised and dropped (see
/// [`IdempotencyStore::idempotency_release`]).
pub const RELEASE_MARK_MS: u64 = 600_000;

/// A registered buyer. Accounts are kept until deleted (no expiry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRecord {
    pub id: String,
    /// Unique, stored lower-case.
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: String,
    /// PHC string of a memory-hard hash (argon2id); never the password.
    pub password_hash: String,
    pub created_at_ms: u64,
}

/// Admissions per time bucket over the last 15 minutes: the input of the ETA estimate.
/// Kept by the store (so a node that starts mid-sale has it) and extended by each node from the
/// published steps.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AdmissionHistory {
    /// `(bucket start in ms, admissions)` in ascending time, at most [`Self::SPAN_MS`] old.
    pub buckets: VecDeque<(u64, u64)>,
    /// When admissions were first recorded for this event (store clock), if ever.
    pub since_ms: Option<u64>,
}

impl AdmissionHistory {
    /// Width of one bucket.
    pub const BUCKET_MS: u64 = 1_000;
    /// How much history is kept: the longest ETA window.
    pub const SPAN_MS: u64 = 15 * 60 * 1_000;

    /// Records `count` admissions at `at_ms`. Measurement starts with the first admission.
    pub fn record(&mut self, at_ms: u64, count: u64) {
        if count == 0 && self.buckets.is_empty() {
            return;
        }
        self.since_ms.get_or_insert(at_ms);
        let start = at_ms - at_ms % Self::BUCKET_MS;
        match self.buckets.back_mut() {
            Some((last, n)) if *last == start => *n += count,
            Some((last, _)) if *last > start => {
                // A step from a node whose message arrived late: fold it into its own bucket.
                if let Some(entry) = self.buckets.iter_mut().rev().find(|(s, _)| *s == start) {
                    entry.1 += count;
                } else if count > 0 {
                    let at = self.buckets.partition_point(|(s, _)| *s < start);
                    self.buckets.insert(at, (start, count));
                }
            }
            _ if count > 0 => self.buckets.push_back((start, count)),
            _ => {}
        }
        self.trim(at_ms);
    }

    /// Drops buckets older than the span. With none left, measurement starts afresh at the
    /// next admission (a sale that resumes after a quiet hour is not measured over the quiet).
    pub fn trim(&mut self, now_ms: u64) {
        let cutoff = now_ms.saturating_sub(Self::SPAN_MS);
        while self
            .buckets
            .front()
            .is_some_and(|(s, _)| *s + Self::BUCKET_MS <= cutoff)
        {
            self.buckets.pop_front();
        }
        if self.buckets.is_empty() {
            self.since_ms = None;
        }
    }

    /// Admissions in the last `window_ms` before `now_ms`.
    pub fn count_within(&self, now_ms: u64, window_ms: u64) -> u64 {
        let cutoff = now_ms.saturating_sub(window_ms);
        self.buckets
            .iter()
            .rev()
            .take_while(|(s, _)| *s + Self::BUCKET_MS > cutoff)
            .map(|(_, n)| n)
            .sum()
    }
}

/// Queue state: the atomic operations on events, waiters and admissions. The queue service,
/// the ticker and the hub hold this capability. See the module documentation for the model.
#[async_trait]
pub trait QueueStore: Send + Sync + 'static {
    /// Appends a waiter to an existing event's queue; an unknown event is
    /// [`JoinOutcome::EventNotFound`] and creates nothing.
    async fn join(&self, req: JoinRequest) -> StoreResult<JoinOutcome>;

    /// Reads a token's record; with `heartbeat_ms`, also extends a waiting token's reaping
    /// deadline to at least now + `heartbeat_ms` (a REST status call is a heartbeat).
    async fn status(
        &self,
        token: WaitingToken,
        heartbeat_ms: Option<u64>,
    ) -> StoreResult<Option<WaiterRecord>>;

    /// The records of `tokens` in `event`, in order (`None` for a token that is not one of the
    /// event's): what a node that missed updates reads to settle its sockets, in batches of at
    /// most [`RECORDS_BATCH`] tokens per store round trip, however many there are.
    async fn records(
        &self,
        event: &EventId,
        tokens: &[WaitingToken],
    ) -> StoreResult<Vec<Option<WaiterRecord>>>;

    /// Moves the reaping deadlines of a batch of one event's waiting tokens (the heartbeat of a
    /// node's open sockets), and records or clears which node holds them (see [`Touch`]).
    /// Tokens that are not waiting are ignored.
    async fn touch(
        &self,
        event: &EventId,
        tokens: &[WaitingToken],
        touch: Touch,
    ) -> StoreResult<()>;

    /// Ends a token on request. A waiting token departs (published); an admitted or entered one
    /// frees its active slot.
    async fn leave(&self, token: WaitingToken) -> StoreResult<LeaveOutcome>;

    /// One admission step of the event's ticker: frees slots of admitted users whose entry
    /// window ended (up to `limits.max_freed`), refills the token bucket by the store's clock, admits the next waiters in
    /// sequence order (bounded by the bucket, `max_active` and `limits`), publishes the step.
    /// Safe to call from any number of nodes at once: nothing is admitted twice or lost.
    async fn admit(&self, event: &EventId, limits: AdmitLimits) -> StoreResult<AdmitOutcome>;

    /// Expires up to `limits.max` waiting tokens whose heartbeat deadline has passed
    /// (publishing the departure) and forgets ended tokens older than the retention period.
    /// Returns how many waiters were expired. A lapsed waiter held by a node whose lease is
    /// live is not expired: its deadline moves to the end of the lease.
    ///
    /// After an outage nobody's heartbeat could be renewed, so deadlines say nothing: a reap
    /// that comes more than `limits.gap_ms` after the event's previous one expires nobody until
    /// `limits.hold_ms` after it. Every live node renews its sockets in the
    /// meantime, so only places nobody holds any more are reaped afterwards.
    async fn reap(&self, event: &EventId, limits: ReapLimits) -> StoreResult<u64>;

    /// Turns an admitted token into an entered one, exactly once, recording `grant` (the
    /// reservation token id) and counting the user as active for `session_ms`. Entering again
    /// within the entry window gives back the recorded grant ([`EnterOutcome::Regranted`]).
    async fn enter(
        &self,
        token: WaitingToken,
        grant: &str,
        session_ms: u64,
    ) -> StoreResult<EnterOutcome>;

    /// The event's full derivable state, or `None` if it does not exist.
    async fn snapshot(&self, event: &EventId) -> StoreResult<Option<EventSnapshot>>;

    /// The ticker's work list: events with someone waiting or active. A join puts its event in
    /// it; an admission step that leaves nobody waiting or active takes it out (never one that
    /// a join raced into), so idle events cost the ticker nothing.
    async fn live_events(&self) -> StoreResult<Vec<EventId>>;

    /// How many events exist.
    async fn event_count(&self) -> StoreResult<u64>;

    /// Every event (bounded by the number of events).
    async fn events(&self) -> StoreResult<Vec<EventId>>;

    /// Creates an event with `config` unless it exists; `auto` marks one a join opened on its
    /// own (`USHER_AUTO_CREATE_EVENTS`), which [`QueueStore::delete_idle_auto_event`] may delete.
    /// Returns whether it was created.
    async fn create_event(
        &self,
        event: &EventId,
        config: &EventConfig,
        auto: bool,
    ) -> StoreResult<bool>;

    /// Deletes an event marked `auto` once nobody waits or is active in it and nobody has
    /// joined it for `idle_ms`; other events are never deleted. Returns whether it was.
    async fn delete_idle_auto_event(&self, event: &EventId, idle_ms: u64) -> StoreResult<bool>;

    /// The event's settings, or `None` if it does not exist.
    async fn config(&self, event: &EventId) -> StoreResult<Option<EventConfig>>;

    /// Applies `patch` to the event's settings (creating it from `defaults`), publishes and
    /// returns the result.
    async fn update_config(
        &self,
        event: &EventId,
        patch: &ConfigPatch,
        defaults: &EventConfig,
    ) -> StoreResult<EventConfig>;

    /// The secret seed of a random start's draw and the beacon value given, for the node that
    /// makes the draw; `None` if the event has no draw.
    async fn draw_secret(&self, event: &EventId) -> StoreResult<Option<DrawSecret>>;

    /// The tokens of a random start's entry list from 1-based index `first`, at most
    /// [`RECORDS_BATCH`] of them (`None` past the end).
    async fn entries(
        &self,
        event: &EventId,
        first: u64,
        count: usize,
    ) -> StoreResult<Vec<Option<WaitingToken>>>;

    /// Records a made draw, once: only while the entry list is closed with `reveal.entrants`,
    /// undrawn, and `reveal.seed` is the committed one (and the beacon value the one given).
    /// Publishes it. Returns whether it was recorded.
    async fn publish_draw(&self, event: &EventId, reveal: &DrawReveal) -> StoreResult<bool>;

    /// The chunk roots recorded with the draw (empty before it).
    async fn chunk_roots(&self, event: &EventId) -> StoreResult<Vec<String>>;

    /// Gives the value of the beacon round the event names, once, after the close.
    async fn set_beacon(&self, event: &EventId, value: &str) -> StoreResult<BeaconOutcome>;
}

/// Idempotency records: claims of `Idempotency-Key`s and the responses stored for replay.
#[async_trait]
pub trait IdempotencyStore: Send + Sync + 'static {
    /// Claims an idempotency key for a request with `fingerprint`, unless it is in flight,
    /// conflicting or already answered. `owner` names this one attempt (a fresh id per
    /// request), so that its release is recognised whichever arrives first. A claim lives for
    /// `ttl_ms` unless finished.
    async fn idempotency_begin(
        &self,
        key: &str,
        fingerprint: &str,
        owner: &str,
        ttl_ms: u64,
    ) -> StoreResult<IdempotencyBegin>;

    /// Stores the response of a claimed key for replay during `ttl_ms`.
    async fn idempotency_finish(
        &self,
        key: &str,
        response: StoredResponse,
        ttl_ms: u64,
    ) -> StoreResult<()>;

    /// Drops `owner`'s claim of a request that failed, so that a retry runs again. A release
    /// may overtake its own claim (they can travel on different connections, and a stalled
    /// store delivers the claim late): finding no claim, it leaves a mark for
    /// [`RELEASE_MARK_MS`], and the late claim finds it and claims nothing. Another request's
    /// claim, and a stored answer, are left alone.
    async fn idempotency_release(&self, key: &str, owner: &str) -> StoreResult<()>;
}

/// Buyer accounts and their failed-login counters.
#[async_trait]
pub trait UserStore: Send + Sync + 'static {
    /// Registers a user under a unique username; `false` if the username is taken.
    async fn create_user(&self, user: &UserRecord) -> StoreResult<bool>;

    /// The user registered under `username`.
    async fn user(&self, username: &str) -> StoreResult<Option<UserRecord>>;

    /// How many users are registered.
    async fn user_count(&self) -> StoreResult<u64>;

    /// Counts a failed login for `username` and returns the failures counted in the current
    /// window: it starts at the first failure and lasts `window_ms` (a fixed window, so the
    /// count of a username nobody tries any more expires with it).
    async fn login_failed(&self, username: &str, window_ms: u64) -> StoreResult<u64>;

    /// Failed logins for `username` in its current window (0 without one).
    async fn login_failures(&self, username: &str) -> StoreResult<u64>;
}

/// One operator action, as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Store clock, ms since the Unix epoch.
    pub at_ms: u64,
    /// Who acted: the admin credential's name (`admin:` and a fingerprint of its token).
    pub actor: String,
    /// What was done, e.g. `event.update`, `waiter.revoke`, `sale.cancel`, `broadcast`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub event_id: Option<String>,
    /// The change in words (the settings given, the token's prefix, the message).
    pub detail: String,
}

/// An event's lifetime totals at the end of one minute, as the sale's history keeps them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MinuteSample {
    /// The minute's start, ms since the Unix epoch (a multiple of 60,000).
    pub minute_ms: u64,
    pub joined: u64,
    pub admitted: u64,
    pub entered: u64,
    /// Seats sold so far.
    pub sold: u64,
    /// Waiting at the end of the minute.
    pub waiting: u64,
    pub active: u64,
}

/// What operators leave behind: the audit log of their actions, and each event's history by
/// the minute. Both are bounded: the oldest entries go first.
#[async_trait]
pub trait OperatorStore: Send + Sync + 'static {
    /// Appends to the audit log, keeping the newest `keep` entries.
    async fn audit_append(&self, entry: &AuditEntry, keep: u64) -> StoreResult<()>;

    /// The newest `limit` audit entries, newest first.
    async fn audit(&self, limit: u64) -> StoreResult<Vec<AuditEntry>>;

    /// Records an event's totals for `sample.minute_ms` unless that minute has one already
    /// (every node samples; the first wins), keeping the newest `keep` minutes. Returns
    /// whether it was recorded.
    async fn record_minute(
        &self,
        event: &EventId,
        sample: &MinuteSample,
        keep: u64,
    ) -> StoreResult<bool>;

    /// An event's recorded minutes, oldest first.
    async fn minutes(&self, event: &EventId) -> StoreResult<Vec<MinuteSample>>;
}

/// The update bus: one channel per event, carrying admission steps, departures and notices to
/// every node that watches the event.
#[async_trait]
pub trait UpdateBus: Send + Sync + 'static {
    /// Publishes `notice` on the event's update channel: for `token` (the node holding its
    /// socket pushes it), or with `None` for every socket of the event.
    async fn notify(
        &self,
        event: &EventId,
        token: Option<WaitingToken>,
        notice: &Notice,
    ) -> StoreResult<()>;

    /// Subscribes to the event's updates. Call before [`QueueStore::snapshot`] so no update is lost;
    /// a receiver that lags is told so and must resynchronise from a snapshot.
    async fn subscribe(&self, event: &EventId) -> StoreResult<broadcast::Receiver<EventUpdate>>;

    /// Says that this node no longer needs the event's updates.
    async fn unsubscribe(&self, event: &EventId);
}

/// The layout of what a store keeps: its keys, its records and the state its operations
/// expect. A release that changes it so that another release could not work on the same data
/// raises it, and replicas refuse a store in a layout other than theirs
/// ([`check_layout`]). A store that has no layout recorded is in layout 1, that of every
/// release before layouts were recorded.
pub const LAYOUT: u32 = 1;

/// Whether a replica of layout [`LAYOUT`] may serve a store that holds `held`; if not, why, in
/// words for the operator.
pub fn check_layout(held: u32) -> Result<(), String> {
    match held.cmp(&LAYOUT) {
        std::cmp::Ordering::Equal => Ok(()),
        std::cmp::Ordering::Greater => Err(format!(
            "the store holds data in layout {held}, written by a newer usher; this usher works \
             on layout {LAYOUT}: run the newer release, or point this one at another store"
        )),
        std::cmp::Ordering::Less => Err(format!(
            "the store holds data in layout {held}, which this usher (layout {LAYOUT}) cannot \
             work on: follow the upgrade procedure of the release notes (drain the sale, or \
             start on an empty store)"
        )),
    }
}

/// A whole store: every capability, and its health. Built once at startup and handed out as
/// the capabilities each consumer needs (an `Arc<dyn Store>` coerces to any of them).
#[async_trait]
pub trait Store: QueueStore + IdempotencyStore + UserStore + OperatorStore + UpdateBus {
    /// A short name for logs and `/readyz` ("memory", "redis").
    fn kind(&self) -> &'static str;

    /// Checks that the store answers.
    async fn ping(&self) -> StoreResult<()>;

    /// The layout the store's data is in: `ours` is recorded first if it has none (an empty
    /// store, or data of a release before layouts were recorded, which is layout 1).
    async fn layout(&self, ours: u32) -> StoreResult<u32>;

    /// Whether the store is reachable, as last checked, and every change of it. While it is
    /// not, update channels may miss messages; after it recovers, watchers resynchronise.
    fn health(&self) -> watch::Receiver<bool>;
}

/// The `store <operation>` span (`db.*` attributes, never keys or arguments: they hold tokens)
/// of an operation made while serving a traced request, socket session or tick. Outside a
/// trace, none: health checks and housekeeping start no traces of their own. `procedure` is
/// the Lua script a Redis `EVALSHA` runs, and then names the span.
pub(crate) fn op_span(system: &'static str, operation: &str, procedure: Option<&str>) -> Span {
    if !usher_otel::in_trace() {
        return Span::none();
    }
    tracing::info_span!(
        target: usher_otel::TARGET,
        "store",
        otel.name = format!("store {}", procedure.unwrap_or(operation)),
        otel.kind = "client",
        otel.status_code = Empty,
        db.system.name = system,
        db.operation.name = operation,
        db.stored_procedure.name = procedure,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_counts_by_window_and_forgets_old_buckets() {
        let mut h = AdmissionHistory::default();
        h.record(1_000, 5);
        h.record(1_500, 5);
        h.record(61_000, 7);
        assert_eq!(h.count_within(62_500, 60_000), 7);
        assert_eq!(h.count_within(62_500, 61_600), 17);
        h.record(1_000 + AdmissionHistory::SPAN_MS + 2_000, 1);
        assert_eq!(h.buckets.front().map(|b| b.0), Some(61_000));
        assert_eq!(h.since_ms, Some(1_000));
    }

    #[test]
    fn late_steps_land_in_their_own_bucket() {
        let mut h = AdmissionHistory::default();
        h.record(5_000, 1);
        h.record(3_200, 2);
        h.record(5_100, 0);
        assert_eq!(h.since_ms, Some(5_000));
        assert_eq!(h.buckets, VecDeque::from(vec![(3_000, 2), (5_000, 1)]));
    }

    #[test]
    fn published_updates_load_and_an_invalid_token_in_one_is_refused() {
        let token = WaitingToken::new();
        // As lua/admit.lua and lua/notify.lua write them.
        let step = |lapsed: &str| {
            format!(
                r#"{{"version":7,"at_ms":5,"change":{{"kind":"step","head":3,"admitted":1,"next_seq":9,"lapsed":["{lapsed}"],"active":2,"entry_window_secs":60}}}}"#
            )
        };
        let update: EventUpdate = serde_json::from_str(&step(&token.to_string())).unwrap();
        assert!(matches!(update.change, Change::Step { lapsed, .. } if lapsed == vec![token]));
        assert!(serde_json::from_str::<EventUpdate>(&step("not-a-token")).is_err());
        let notice = |token: &str| {
            format!(
                r#"{{"version":8,"at_ms":6,"change":{{"kind":"notice","token":{token},"notice":{{"payment":{{"payment_intent_id":"pay_1","status":"COMPLETED","reservation_id":"rsv_1"}}}}}}}}"#
            )
        };
        let update: EventUpdate = serde_json::from_str(&notice(&format!("\"{token}\""))).unwrap();
        assert!(matches!(update.change, Change::Notice { token: Some(t), .. } if t == token));
        assert!(serde_json::from_str::<EventUpdate>(&notice("null")).is_ok());
        assert!(serde_json::from_str::<EventUpdate>(&notice("\"\"")).is_err());
    }
}
