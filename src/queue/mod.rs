//! Queue rules, written once above the storage contract: joining, status, entering and
//! leaving, with the seed's semantics and its defects fixed.
//!
//! - [`view`]: a node's local copy of an event's order state and the position math;
//! - [`eta`]: the admission-rate measurement and ETA estimate;
//! - [`status`]: the one status payload shared by REST and WebSocket;
//! - [`ticker`]: the admission ticker and the reaper;
//! - [`onsale`]: a random start's draw (made by the node the store gives it to) and each
//!   entrant's proof;
//! - [`pow`]: the optional proof of work on join.

pub mod eta;
pub mod onsale;
pub mod pow;
pub mod status;
pub mod ticker;
pub mod view;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;
use uuid::Uuid;

use crate::auth::reservation_token::ReservationTokens;
use crate::config::QueueSettings;
use crate::domain::{EventId, ParseError, Seq, UserId, WaitingToken};
use crate::metrics::Metrics;
use crate::protocol::QueueStatus;
use crate::store::{
    EnterOutcome, EventConfig, IdempotencyClaim, JoinOutcome, JoinRequest, LeaveOutcome,
    QueueStore, StoreError, WaiterRecord, WaiterState,
};
use eta::{JoinMemo, Rate};

/// Why a queue operation was refused. Mapped to the seed's error envelope in one place
/// ([`crate::error`]).
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("waiting token is required")]
    MissingToken,
    #[error("waiting token not found")]
    TokenNotFound,
    #[error("waiting token has left the queue")]
    TokenLeft,
    #[error("waiting token expired")]
    TokenExpired,
    #[error("your turn has not arrived yet")]
    NotReady,
    #[error("this waiting token has already been used to enter")]
    AlreadyEntered,
    #[error("the queue for this event is full")]
    QueueFull,
    /// A scheduled sale whose pre-queue opens later.
    #[error("this sale is not open yet: its waiting room opens at {}", rfc3339(*opens_at_ms))]
    SaleNotOpen { opens_at_ms: u64 },
    /// A scheduled sale that has ended: joins are refused, and waiters' places are gone.
    #[error("this sale has ended")]
    SaleEnded,
    /// Nobody created the event and the inventory does not know it: joining creates nothing.
    #[error("event not found")]
    EventNotFound,
    /// The event directory (the inventory service) could not say whether the event exists.
    #[error("cannot look the event up: {0}")]
    Directory(String),
    #[error("this user already holds a place in this event's queue")]
    UserAlreadyQueued,
    #[error("the idempotency key was used for another request")]
    IdempotencyConflict,
    /// A request with the same idempotency key is still running: wait and try again.
    #[error("a request with this idempotency key is still running")]
    IdempotencyInFlight,
    #[error("cannot sign the reservation token: {0}")]
    Signing(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// `ms` since the Unix epoch as RFC 3339 text (UTC, whole seconds).
pub fn rfc3339(ms: u64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + Duration::from_millis(ms)).to_string()
}

/// A waiting token as a client sent it: absent or empty is `MissingToken`; anything that is
/// not a token cannot name a place, so it is `TokenNotFound`.
pub fn parse_token(raw: Option<&str>) -> Result<WaitingToken, QueueError> {
    match WaitingToken::parse(raw.unwrap_or("")) {
        Ok(token) => Ok(token),
        Err(ParseError::Missing(_)) => Err(QueueError::MissingToken),
        Err(_) => Err(QueueError::TokenNotFound),
    }
}

/// Response body of a join (the seed's fields, then usher's).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Joined {
    pub waiting_token: WaitingToken,
    /// The seed always sent 0 here; usher sends the real position.
    pub position_hint: u64,
    pub status: &'static str,
    pub position: u64,
    /// Seconds to admission; while paused, the wait once admission resumes at the configured
    /// rate.
    pub eta_sec: u64,
    /// `[low, high]` seconds; null while admission is paused.
    #[schema(min_items = 2, max_items = 2)]
    pub eta_range: Option<[u64; 2]>,
    /// Where to open the WebSocket (relative to this origin).
    pub ws_url: String,
}

impl Joined {
    /// `position` 0: an entrant of a random start's pre-queue, with no position (nor ETA range)
    /// until the draw.
    fn new(token: WaitingToken, position: u64, rate: &Rate) -> Self {
        let eta = rate.eta(position);
        Self {
            waiting_token: token,
            position_hint: position,
            status: "waiting",
            position,
            eta_sec: eta.eta_sec,
            eta_range: eta.range.filter(|_| position > 0),
            ws_url: format!("/api/v1/queue/ws?token={token}"),
        }
    }
}

/// The answer to a join.
#[derive(Debug)]
pub enum Join {
    New(Joined),
    /// A retry of an earlier join with the same Idempotency-Key: its answer, again.
    Replayed(Joined),
}

/// Response body of a successful enter.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Granted {
    pub admission: &'static str,
    pub reservation_token: String,
    pub ttl_sec: u32,
    pub event_id: EventId,
}

/// Which events are on sale, by the word of the inventory: a join for an event the store does
/// not have yet opens its queue only if the directory knows it. Implementations bound the cost
/// of asking about ids that do not exist (see [`crate::upstream::InventoryDirectory`]).
#[async_trait]
pub trait EventDirectory: Send + Sync + 'static {
    /// Whether `event` exists; `Err` when the directory cannot say.
    async fn exists(&self, event: &EventId) -> Result<bool, String>;
}

/// This node's live copy of events' queues ([`crate::hub::Hub`]): what the queue service reads
/// without a store round trip.
#[async_trait]
pub trait LocalViews: Send + Sync + 'static {
    /// The rate a join's ETA is based on, or `None` if the event does not exist.
    async fn join_rate(&self, event: &EventId) -> Result<Option<Rate>, StoreError>;
    /// A waiter just joined `event` with `seq`, at `position` by the store: this node watches
    /// the event from now on. Returns the position to tell the joiner: this node's view of it,
    /// which every later status and push of the waiter on this node comes from, so the
    /// position told never goes up (a view that is catching up, after this node or the store
    /// stalled, counts some admissions later than the store did).
    async fn joined(&self, event: &EventId, seq: Seq, position: u64) -> Result<u64, StoreError>;
    /// A waiter's status by this node's view; `None` once its place is gone.
    async fn status_of(&self, record: &WaiterRecord) -> Result<Option<QueueStatus>, StoreError>;
}

/// The queue operations behind the REST routes and the WebSocket.
#[derive(Clone)]
pub struct QueueService {
    store: Arc<dyn QueueStore>,
    /// Says whether an event the store does not have yet may be opened by a join.
    directory: Arc<dyn EventDirectory>,
    /// Signs the reservation token each admitted waiter receives at `enter`.
    tokens: Arc<ReservationTokens>,
    views: Arc<dyn LocalViews>,
    settings: Arc<QueueSettings>,
    metrics: Metrics,
}

impl QueueService {
    pub fn new(
        store: Arc<dyn QueueStore>,
        directory: Arc<dyn EventDirectory>,
        views: Arc<dyn LocalViews>,
        tokens: Arc<ReservationTokens>,
        settings: QueueSettings,
        metrics: Metrics,
    ) -> Self {
        Self {
            store,
            directory,
            tokens,
            views,
            settings: Arc::new(settings),
            metrics,
        }
    }

    pub fn settings(&self) -> &QueueSettings {
        &self.settings
    }

    /// Whether the inventory knows `event` (cached, absence included).
    pub async fn event_known(&self, event: &EventId) -> Result<bool, QueueError> {
        self.directory
            .exists(event)
            .await
            .map_err(QueueError::Directory)
    }

    /// Opens the queue of an event the store does not have yet, with the default settings: an
    /// event the directory knows, or with `USHER_AUTO_CREATE_EVENTS` (development and load
    /// tests) any event while fewer than `USHER_AUTO_CREATE_MAX_EVENTS` exist.
    async fn open_event(&self, event: &EventId) -> Result<(), QueueError> {
        let known = self.event_known(event).await?;
        if !known {
            let s = &self.settings;
            if !s.auto_create_events || self.store.event_count().await? >= s.auto_create_max_events
            {
                return Err(QueueError::EventNotFound);
            }
        }
        // Created once however many nodes try; an event opened for an unknown id expires once
        // idle (the ticker's sweep).
        let defaults = EventConfig::defaults(&self.settings);
        self.store.create_event(event, &defaults, !known).await?;
        Ok(())
    }

    /// Appends a waiter to the queue of an existing event; an event that does not exist yet is
    /// opened first if `open_event` allows, and is `EventNotFound` otherwise.
    pub async fn join(
        &self,
        event: EventId,
        user: Option<UserId>,
        claim: IdempotencyClaim,
    ) -> Result<Join, QueueError> {
        let token = WaitingToken::new();
        // The ETA is based on the rate before the join, so that it can be stored with the
        // idempotency claim in the same step and a replay answers exactly as the join did.
        let rate = match self.views.join_rate(&event).await? {
            Some(rate) => rate,
            None => {
                if let Err(e) = self.open_event(&event).await {
                    if matches!(e, QueueError::EventNotFound) {
                        self.metrics
                            .queue_joins
                            .with_label_values(&["event_not_found"])
                            .inc();
                    }
                    return Err(e);
                }
                self.views
                    .join_rate(&event)
                    .await?
                    .ok_or(QueueError::EventNotFound)?
            }
        };
        let request = JoinRequest {
            event: event.clone(),
            user,
            token,
            heartbeat_ms: self.settings.heartbeat.as_millis() as u64,
            max_waiting: self.settings.max_queue_len,
            max_entrants: self.settings.prequeue_max_entrants,
            claim: Some(claim),
            memo: JoinMemo::of(&rate).encode(),
        };
        let mut outcome = self.store.join(request.clone()).await?;
        if outcome == JoinOutcome::EventNotFound && self.open_event(&event).await.is_ok() {
            // This node still watched an event that was deleted once idle: opened again.
            outcome = self.store.join(request).await?;
        }
        let (result, join) = match outcome {
            JoinOutcome::Joined { seq, position, .. } => {
                let position = self.views.joined(&event, seq, position).await?;
                ("joined", Ok(Join::New(Joined::new(token, position, &rate))))
            }
            JoinOutcome::Replay {
                token,
                position,
                memo,
            } => {
                let rate = JoinMemo::decode(&memo)
                    .ok_or_else(|| {
                        StoreError::Corrupt(format!("unreadable join record: {memo:?}"))
                    })?
                    .rate();
                (
                    "replayed",
                    Ok(Join::Replayed(Joined::new(token, position, &rate))),
                )
            }
            JoinOutcome::QueueFull => ("queue_full", Err(QueueError::QueueFull)),
            JoinOutcome::EventNotFound => ("event_not_found", Err(QueueError::EventNotFound)),
            JoinOutcome::UserAlreadyQueued => {
                ("duplicate_user", Err(QueueError::UserAlreadyQueued))
            }
            JoinOutcome::Conflict => ("conflict", Err(QueueError::IdempotencyConflict)),
            JoinOutcome::InFlight => ("in_flight", Err(QueueError::IdempotencyInFlight)),
            JoinOutcome::NotOpen { opens_at_ms } => {
                ("not_open", Err(QueueError::SaleNotOpen { opens_at_ms }))
            }
            JoinOutcome::Ended => ("sale_ended", Err(QueueError::SaleEnded)),
        };
        self.metrics.queue_joins.with_label_values(&[result]).inc();
        join
    }

    /// The token's record; a heartbeat that keeps a waiting token for at least `keep`.
    pub async fn record(
        &self,
        token: WaitingToken,
        keep: Duration,
    ) -> Result<WaiterRecord, QueueError> {
        self.store
            .status(token, Some(keep.as_millis() as u64))
            .await?
            .ok_or(QueueError::TokenNotFound)
    }

    /// The token's status; a REST heartbeat.
    pub async fn status(&self, token: WaitingToken) -> Result<QueueStatus, QueueError> {
        let record = self.record(token, self.settings.heartbeat).await?;
        match record.state {
            WaiterState::Expired => return Err(QueueError::TokenExpired),
            WaiterState::Left => return Err(QueueError::TokenLeft),
            _ => {}
        }
        let status = self
            .views
            .status_of(&record)
            .await?
            .ok_or(QueueError::TokenExpired)?;
        if status.phase == "ended" {
            return Err(QueueError::SaleEnded);
        }
        Ok(status)
    }

    /// Exchanges an admitted token for its one reservation grant: a signed reservation token
    /// whose id the store records.
    pub async fn enter(&self, token: WaitingToken) -> Result<Granted, QueueError> {
        let grant = Uuid::new_v4().to_string();
        let session_ms = self.settings.session.as_millis() as u64;
        match self.store.enter(token, &grant, session_ms).await? {
            EnterOutcome::Granted(record) => self.sign(token, record, &grant),
            // The same grant again: a buyer whose answer was lost keeps their turn, and the
            // grant still buys once (its id is spent at the first reservation).
            EnterOutcome::Regranted { record, grant } => self.sign(token, record, &grant),
            EnterOutcome::NotReady => Err(QueueError::NotReady),
            EnterOutcome::AlreadyEntered => Err(QueueError::AlreadyEntered),
            EnterOutcome::Expired => Err(QueueError::TokenExpired),
            EnterOutcome::Left => Err(QueueError::TokenLeft),
            EnterOutcome::NotFound => Err(QueueError::TokenNotFound),
        }
    }

    /// The reservation token of `grant`, signed now for the configured lifetime.
    fn sign(
        &self,
        token: WaitingToken,
        record: WaiterRecord,
        grant: &str,
    ) -> Result<Granted, QueueError> {
        // Whole seconds, at most an hour: parsed so.
        let ttl_sec = self.settings.reservation_ttl.as_secs() as u32;
        let reservation_token = self
            .tokens
            .issue(
                record.event.as_str(),
                &token.to_string(),
                grant,
                u64::from(ttl_sec),
                record.entry_deadline_ms.unwrap_or(0),
            )
            .map_err(|e| QueueError::Signing(e.to_string()))?;
        Ok(Granted {
            admission: "granted",
            reservation_token,
            ttl_sec,
            event_id: record.event,
        })
    }

    /// Leaves the queue. Leaving is idempotent: an unknown or ended token also succeeds, as in
    /// the seed. Returns the event if the token was live.
    pub async fn leave(&self, token: WaitingToken) -> Result<Option<EventId>, QueueError> {
        Ok(match self.store.leave(token).await? {
            LeaveOutcome::Left { event, .. } => Some(event),
            LeaveOutcome::AlreadyEnded(_) | LeaveOutcome::NotFound => None,
        })
    }
}
