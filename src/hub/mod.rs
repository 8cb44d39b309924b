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

//!
//! - `conn`: a socket's handle ([`Conn`]): the bounded queue the session drains;
//! - `channel`: one event's state on this node ([`EventChannel`]), synchronous and
//!   unit-tested: what each update and each push slice tells which socket;
//! - `run`: the task per channel (updates, push slices, heartbeats, health, resync);
//! - here: the registry of channels ([`Hub`]), attaching and detaching sockets, notices.

mod channel;
mod conn;
mod run;

pub use channel::{Attached, EventChannel};
pub use conn::Conn;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::Mutex;
use tokio::sync::{Notify, watch};
use tracing::warn;

use crate::clock::Clock;
use crate::domain::{EventId, Seq, WaitingToken};
use crate::metrics::Metrics;
use crate::protocol::QueueStatus;
use crate::queue::LocalViews;
use crate::queue::eta::Rate;
use crate::queue::view::EventView;
use crate::store::{
    DrawRecord, EventConfig, QueueStore, Store, StoreError, StoreResult, Touch, UpdateBus,
    WaiterRecord, WaiterState,
};

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
    /// How long this node's hold on its sockets' places outlasts its last heartbeat renewal:
    /// a node cut off from the store keeps its sockets' places this long (see
    /// [`crate::store::NodeLease`]).
    pub lease: Duration,
}

fn forget(channels: &mut HashMap<EventId, Arc<EventChannel>>, ch: &Arc<EventChannel>) {
    if channels.get(&ch.event).is_some_and(|c| Arc::ptr_eq(c, ch)) {
        channels.remove(&ch.event);
    }
}

/// The hub of one node.
pub struct Hub {
    queue: Arc<dyn QueueStore>,
    bus: Arc<dyn UpdateBus>,
    health: watch::Receiver<bool>,
    settings: HubSettings,
    metrics: Metrics,
    channels: Mutex<HashMap<EventId, Arc<EventChannel>>>,
    next_conn_id: AtomicU64,
    /// This node's id in the store's leases, random per process.
    node: u64,
    /// Signalled when this node sees an event for the first time or an event gets its first
    /// waiter, so the ticker starts admitting for it at once rather than at its next periodic
    /// look at its work list.
    pub new_event: Arc<Notify>,
}

#[async_trait::async_trait]
impl LocalViews for Arc<Hub> {
    /// This node's measurement; costs no store call once this node watches the event.
    async fn join_rate(&self, event: &EventId) -> StoreResult<Option<Rate>> {
        if self.channels.lock().contains_key(event) || self.queue.config(event).await?.is_some() {
            return Ok(Some(self.channel(event).await?.rate_now()));
        }
        Ok(None)
    }

    async fn joined(&self, event: &EventId, seq: Seq, position: u64) -> StoreResult<u64> {
        // Starts this node's copy of a new event's state (and its ticker).
        let ch = self.channel(event).await?;
        if position == 1 {
            // The first waiter may have just made the event live again: the ticker re-reads
            // its work list now rather than at its next periodic look.
            self.new_event.notify_one();
        }
        Ok(ch.joined_position(seq).unwrap_or(position))
    }

    async fn status_of(&self, record: &WaiterRecord) -> StoreResult<Option<QueueStatus>> {
        Ok(self.channel(&record.event).await?.status_of(record))
    }
}

impl Hub {
    /// A hub over `store`'s queue state and update bus.
    pub fn new(store: Arc<dyn Store>, settings: HubSettings, metrics: Metrics) -> Arc<Self> {
        Arc::new(Self {
            health: store.health(),
            queue: store.clone(),
            bus: store,
            settings,
            metrics,
            channels: Mutex::new(HashMap::new()),
            next_conn_id: AtomicU64::new(1),
            node: uuid::Uuid::new_v4().as_u64_pair().0,
            new_event: Arc::new(Notify::new()),
        })
    }

    pub fn next_conn_id(&self) -> u64 {
        self.next_conn_id.fetch_add(1, Ordering::Relaxed)
    }

    /// The event's channel on this node, subscribing and taking a snapshot on first use.
    pub async fn channel(self: &Arc<Self>, event: &EventId) -> StoreResult<Arc<EventChannel>> {
        if let Some(ch) = self.channels.lock().get(event)
            && !ch.state.lock().closed
        {
            return Ok(ch.clone());
        }
        // Subscribe before reading the snapshot so that no update falls in between.
        let rx = self.bus.subscribe(event).await?;
        let snapshot = self
            .queue
            .snapshot(event)
            .await?
            .ok_or_else(|| StoreError::Unavailable(format!("event {event} has no state")))?;
        let fresh = Arc::new(EventChannel::new(
            event.clone(),
            EventView::from_snapshot(snapshot),
            Clock::system(),
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
            match self.queue.status(record.token, None).await? {
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
                .queue
                .touch(event, &[token], Touch::Exactly(grace))
                .await
            {
                warn!(error = %e, "could not start the grace period of a closed socket");
            }
        }
    }

    /// Sends every local socket a reconnect hint and closes it (node draining).
    pub fn drain(&self, retry_after_ms: u64) {
        let channels: Vec<_> = self.channels.lock().values().cloned().collect();
        for ch in channels {
            ch.drain(retry_after_ms);
        }
    }

    /// An event's settings and draw as this node's view has them, if it has a channel for it.
    pub fn view_of(&self, event: &EventId) -> Option<(EventConfig, Option<DrawRecord>)> {
        let ch = self.channels.lock().get(event).cloned();
        ch.map(|c| c.view_of())
    }

    /// Local figures of an event, if this node has a channel for it.
    pub fn local_stats(&self, event: &EventId) -> Option<(u64, Option<f64>)> {
        let ch = self.channels.lock().get(event).cloned();
        ch.map(|c| c.local_stats())
    }

    /// Evicts an idle channel: no sockets and no recent REST use.
    fn evict_if_idle(&self, ch: &Arc<EventChannel>) -> bool {
        // Under the registry's lock, so that no socket attaches between the check and the
        // close (an attach to a closed channel retries on a new one).
        let mut channels = self.channels.lock();
        if !ch.is_idle(self.settings.idle_ttl) {
            return false;
        }
        ch.state.lock().closed = true;
        forget(&mut channels, ch);
        true
    }

    /// Removes a closed channel from the registry (unless a newer one replaced it).
    fn forget(&self, ch: &Arc<EventChannel>) {
        forget(&mut self.channels.lock(), ch);
    }
}
