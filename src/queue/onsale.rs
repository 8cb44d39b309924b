//! A random start's draw, as the store hands it out ([`crate::store::AdmitOutcome::draw_due`]):
//! the node given it reads the closed entry list in batches, builds its Merkle root, derives
//! the key from the committed seed (and the beacon value), and records the draw in one small
//! write. Also the public proof of one entrant's place, read in bounded steps.

use std::sync::Arc;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::EventId;
use crate::draw::{self, CHUNK, Hash};
use crate::store::{
    DrawRecord, DrawReveal, QueueStore, RECORDS_BATCH, StoreError, StoreResult, WaiterRecord,
};

/// The leaves of entry indices `first..first + count` (1-based), read in batches.
async fn leaves(
    store: &dyn QueueStore,
    event: &EventId,
    first: u64,
    count: u64,
) -> StoreResult<Vec<Hash>> {
    let mut out = Vec::with_capacity(count as usize);
    let mut next = first;
    while next < first + count {
        let n = (first + count - next).min(RECORDS_BATCH as u64) as usize;
        for (i, token) in store.entries(event, next, n).await?.iter().enumerate() {
            let token = token.ok_or_else(|| {
                StoreError::Corrupt(format!("entry {} of {event} is missing", next + i as u64))
            })?;
            out.push(draw::leaf(&token));
        }
        next += n as u64;
    }
    Ok(out)
}

/// Makes the draw of `event` if it is due (closed, undrawn, its beacon value given): returns
/// whether this call recorded it. Reads the whole entry list once, a batch at a time; the
/// store takes one small write.
pub async fn make_draw(store: &dyn QueueStore, event: &EventId) -> StoreResult<bool> {
    let Some(record) = store.snapshot(event).await?.and_then(|s| s.draw) else {
        return Ok(false);
    };
    let (Some(entrants), false) = (record.entrants, record.drawn()) else {
        return Ok(false);
    };
    let Some(secret) = store.draw_secret(event).await? else {
        return Ok(false);
    };
    let seed = draw::parse_hash(&secret.seed)
        .ok_or_else(|| StoreError::Corrupt(format!("the draw seed of {event} is not 32 bytes")))?;
    let mut chunk_roots = Vec::new();
    let mut first = 1;
    while first <= entrants {
        let count = CHUNK.min(entrants - first + 1);
        let leaves = leaves(store, event, first, count).await?;
        chunk_roots.push(draw::root(&leaves).expect("a chunk holds a leaf"));
        first += count;
    }
    let root = draw::root(&chunk_roots).expect("a closed list with entrants has a root");
    let key = draw::key(&seed, &root, secret.beacon_value.as_deref().unwrap_or(""));
    let reveal = DrawReveal {
        entrants,
        root: hex::encode(root),
        beacon_value: secret.beacon_value,
        seed: secret.seed,
        key,
        chunk_roots: chunk_roots.iter().map(hex::encode).collect(),
    };
    let recorded = store.publish_draw(event, &reveal).await?;
    if recorded {
        tracing::info!(%event, entrants, root = %reveal.root, "draw made");
    }
    Ok(recorded)
}

/// `GET /api/v1/events/{id}/draw/proof`: one entrant's place in the draw, and what proves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EntryProof {
    pub event_id: EventId,
    /// The entrant's 1-based entry index: its place in the pre-queue's arrival order.
    pub index: u64,
    /// SHA-256(0x00 ‖ token), hex.
    pub leaf: String,
    /// Sibling hashes from the leaf up to the root, hex, only where a level has one.
    pub siblings: Vec<String>,
    pub entrants: u64,
    pub entry_root: String,
    /// The rank the draw gave this entrant (1 = admitted first).
    pub rank: u64,
}

/// Why a proof cannot be given.
#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    #[error("the draw is not made yet")]
    NotDrawn,
    #[error("this token is not in the event's entry list")]
    NotAnEntrant,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The chunk roots a made draw recorded, for proofs: read once per node and kept (see
/// [`ProofCache`]).
pub async fn chunk_roots(store: &dyn QueueStore, event: &EventId) -> StoreResult<Vec<Hash>> {
    store
        .chunk_roots(event)
        .await?
        .iter()
        .map(|h| draw::parse_hash(h))
        .collect::<Option<_>>()
        .ok_or_else(|| StoreError::Corrupt(format!("chunk roots of {event}")))
}

/// The chunk roots of the draws this node gave proofs of, by event and entry root (a made draw
/// never changes; another life of the event has another root). Bounded.
pub struct ProofCache(quick_cache::sync::Cache<(EventId, String), Arc<Vec<Hash>>>);

impl ProofCache {
    pub fn new(events: usize) -> Self {
        Self(quick_cache::sync::Cache::new(events))
    }
}

/// The proof of `record`'s place in `draw`: the leaves of its chunk (one bounded read) and the
/// chunk roots (read once per node).
pub async fn proof(
    store: &dyn QueueStore,
    cache: &ProofCache,
    draw: &DrawRecord,
    record: &WaiterRecord,
) -> Result<EntryProof, ProofError> {
    let (Some(entrants), Some(root), Some(permutation)) =
        (draw.entrants, draw.root.clone(), draw.permutation())
    else {
        return Err(ProofError::NotDrawn);
    };
    let index = record.seq.0;
    if index == 0 || index > entrants {
        return Err(ProofError::NotAnEntrant);
    }
    let event = &record.event;
    let chunk = (index - 1) / CHUNK;
    let first = chunk * CHUNK + 1;
    let leaves = leaves(store, event, first, CHUNK.min(entrants - first + 1)).await?;
    let chunk_roots = cache
        .0
        .get_or_insert_async(&(event.clone(), root.clone()), async {
            chunk_roots(store, event).await.map(Arc::new)
        })
        .await?;
    let within = (index - first) as usize;
    let mut siblings = draw::siblings(&leaves, within);
    siblings.extend(draw::siblings(&chunk_roots, chunk as usize));
    Ok(EntryProof {
        event_id: event.clone(),
        index,
        leaf: hex::encode(leaves[within]),
        siblings: siblings.iter().map(hex::encode).collect(),
        entrants,
        entry_root: root,
        rank: permutation.rank(index),
    })
}
