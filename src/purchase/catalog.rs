//! Events as buyers see them before joining: what, when and where, the seats left by section
//! and price, and where the queue stands (not open yet, pre-queue, open, paused, gathering,
//! sold out, ended, cancelled).
//!
//! Everyone waiting for a sale reads these at once, so each event's answer is built at most
//! once per `USHER_AVAILABILITY_CACHE_MS` on a node (one store read and one inventory call,
//! whatever the number of readers), unknown ids included, in a bounded cache.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tonic::Code;
use usher_proto::common::v1::ErrorCode;
use utoipa::ToSchema;

use super::PurchaseService;
use super::model::{Availability, SectionAvailability};
use crate::clock::now_ms;
use crate::domain::EventId;
use crate::queue::{QueueError, QueueService};
use crate::store::{Announcement, EventConfig, QueueStore, QueueingMethod, SalePhase, StoreError};
use crate::upstream::{Fresh, UpstreamError};

/// Why an event's public answer could not be built.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Queue(#[from] QueueError),
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
}

/// Events whose public answer a node keeps at once.
const CACHED_EVENTS: usize = 1_024;

/// Most events the public list names.
pub const MAX_LISTED_EVENTS: usize = 100;

/// Where an event's queue stands, as buyers are told before joining.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SaleState {
    /// Joins are refused until `opens_at`.
    NotOpen,
    /// Joins enter the pre-queue; admission starts at `sale_starts_at`.
    Prequeue,
    /// Joins queue and admission runs.
    Open,
    /// Admission is stopped (by an operator, or held by usher while a backend fails); joins
    /// still queue and keep their places.
    Paused,
    /// The operator queues everyone: joins are taken and nobody is admitted yet.
    Gathering,
    /// Every seat is sold or held.
    SoldOut,
    /// The sale is over.
    Ended,
    /// An operator called the sale off.
    Cancelled,
}

/// The queue part of a public event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicQueue {
    pub state: SaleState,
    /// People waiting now.
    pub waiting: u64,
    /// When joins open (ms since the Unix epoch), for a scheduled sale.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub opens_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub sale_starts_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub sale_ends_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub queueing_method: Option<QueueingMethod>,
    /// The operator's last message to everyone waiting.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub announcement: Option<Announcement>,
}

/// Where an event takes place.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicVenue {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub country: Option<String>,
}

/// `GET /api/v1/events/{id}`: an event as buyers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicEvent {
    pub event_id: String,
    /// The inventory's name for it (its id when the inventory does not list it).
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub description: Option<String>,
    /// When the event takes place (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub starts_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub venue: Option<PublicVenue>,
    /// Seats in all and free now; absent when the inventory does not list the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub total: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub remaining: Option<i32>,
    /// Sections with their price and the seats left in each.
    pub sections: Vec<SectionAvailability>,
    pub queue: PublicQueue,
}

/// `GET /api/v1/events`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventList {
    pub events: Vec<PublicEvent>,
}

/// The public answers of this node, recently built from the store and the inventory.
pub struct Catalog {
    one: Fresh<EventId, Option<Arc<PublicEvent>>>,
    list: Fresh<(), Arc<EventList>>,
    /// Events the embedded inventory lists (none with external backends: the public list then
    /// holds the events that have a queue).
    listed: Vec<EventId>,
    store: Arc<dyn QueueStore>,
    queue: QueueService,
    purchase: PurchaseService,
}

fn not_found(e: &UpstreamError) -> bool {
    match e {
        UpstreamError::Status { code, .. } => *code == Code::NotFound,
        UpstreamError::InBand { code, .. } => *code == ErrorCode::NotFound,
    }
}

/// The state buyers are told at `now_ms`.
pub fn sale_state(config: Option<&EventConfig>, remaining: Option<i32>, now_ms: u64) -> SaleState {
    let Some(config) = config else {
        // Nobody has joined yet: the first join opens the queue.
        return if remaining == Some(0) {
            SaleState::SoldOut
        } else {
            SaleState::Open
        };
    };
    match config.sale_phase(now_ms) {
        SalePhase::Ended if config.schedule.as_ref().is_some_and(|s| s.cancelled) => {
            SaleState::Cancelled
        }
        SalePhase::Ended => SaleState::Ended,
        SalePhase::NotOpen { .. } => SaleState::NotOpen,
        _ if remaining == Some(0) => SaleState::SoldOut,
        SalePhase::Prequeue => SaleState::Prequeue,
        SalePhase::Open if config.paused_at(now_ms) => SaleState::Paused,
        SalePhase::Open if config.queue_all => SaleState::Gathering,
        SalePhase::Open => SaleState::Open,
    }
}

impl Catalog {
    pub fn new(
        ttl: Duration,
        listed: Vec<EventId>,
        store: Arc<dyn QueueStore>,
        queue: QueueService,
        purchase: PurchaseService,
    ) -> Self {
        Self {
            one: Fresh::new(CACHED_EVENTS, ttl),
            list: Fresh::new(1, ttl),
            listed,
            store,
            queue,
            purchase,
        }
    }

    /// The public answer for `event`, at most one cache period old; `None` if there is no such
    /// sale.
    pub async fn event(&self, event: &EventId) -> Result<Option<Arc<PublicEvent>>, CatalogError> {
        // Boxed: the answer is built from several calls, a large future to keep on the stack.
        self.one.get(event, Box::pin(self.build(event))).await
    }

    /// The events on sale (at most [`MAX_LISTED_EVENTS`]), by id: those with an inventory,
    /// which the embedded inventory lists or which have a queue.
    pub async fn events(&self) -> Result<Arc<EventList>, CatalogError> {
        let fetch = async {
            let mut ids = self.listed.clone();
            ids.extend(self.store.events().await?);
            ids.sort();
            ids.dedup();
            let mut events = Vec::new();
            for id in ids {
                if events.len() == MAX_LISTED_EVENTS {
                    break;
                }
                // Only events buyers can buy: with an inventory (not ids opened for load tests).
                if let Some(e) = self.event(&id).await?
                    && e.total.is_some()
                {
                    events.push(PublicEvent::clone(&e));
                }
            }
            Ok::<_, CatalogError>(Arc::new(EventList { events }))
        };
        self.list.get(&(), Box::pin(fetch)).await
    }

    /// The public answer for `event`, built from the store and the inventory; `None` if neither
    /// knows it.
    async fn build(&self, event: &EventId) -> Result<Option<Arc<PublicEvent>>, CatalogError> {
        let snapshot = self.store.snapshot(event).await?;
        let known = self.queue.event_known(event).await?;
        let inventory = if known {
            match self.purchase.inventory(event).await {
                Ok(r) => Some(r),
                Err(e) if not_found(&e) => None,
                Err(e) => return Err(e.into()),
            }
        } else {
            None
        };
        if snapshot.is_none() && inventory.is_none() {
            return Ok(None);
        }
        let now = now_ms();
        let config = snapshot.as_ref().map(|s| &s.config);
        let schedule = config.and_then(|c| c.schedule.as_ref());
        let seats = inventory
            .as_deref()
            .map(|r| Availability::new(event.to_string(), r));
        let about = inventory.as_deref().and_then(|r| r.event.as_ref());
        let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Ok(Some(Arc::new(PublicEvent {
            event_id: event.to_string(),
            name: about
                .and_then(|e| text(&e.name))
                .unwrap_or_else(|| event.to_string()),
            description: about.and_then(|e| text(&e.description)),
            starts_at: about
                .and_then(|e| e.start_time.as_ref())
                .map(ToString::to_string),
            venue: about.and_then(|e| e.venue.as_ref()).map(|v| {
                let address = v.address.clone().unwrap_or_default();
                PublicVenue {
                    name: v.name.clone(),
                    city: text(&address.city),
                    address: text(&address.street),
                    country: text(&address.country),
                }
            }),
            total: seats.as_ref().map(|s| s.total),
            remaining: seats.as_ref().map(|s| s.remaining),
            queue: PublicQueue {
                state: sale_state(config, seats.as_ref().map(|s| s.remaining), now),
                waiting: snapshot.as_ref().map_or(0, |s| s.waiting()),
                opens_at: schedule.and_then(|s| s.prequeue_opens_at_ms),
                sale_starts_at: schedule.map(|s| s.sale_starts_at_ms),
                sale_ends_at: schedule.and_then(|s| s.sale_ends_at_ms),
                queueing_method: schedule.map(|s| s.queueing_method),
                announcement: config.and_then(|c| c.announcement.clone()),
            },
            sections: seats.map(|s| s.sections).unwrap_or_default(),
        })))
    }
}
