//! Where the backends keep their state when `USHER_DATA_DIR` is set: one embedded database file,
//! `<USHER_DATA_DIR>/backends.redb` ([`usher_durable::Durable`]), written through on every
//! change and read back once at start. Without a data directory the [`Journal`] is off: every
//! write is done at once and nothing is read back, so the backends live in memory only.
//!
//! The file holds one table per record type, each record the whole current state of one thing
//! (a put replaces it), protobuf-encoded:
//!
//! - [`RESERVATIONS`]: reservation id → the `reservation.v1.Reservation` as served;
//! - [`RESERVATION_KEYS`]: `(user, idempotency key)` → the create request's claim;
//! - [`SEAT_HOLDS`]: `(event, reservation)` → the seats the inventory holds or sold for it;
//! - [`PAYMENTS`]: intent id → the payment, its scenario, its pending settlement and its
//!   undelivered webhook.
//!
//! Each service hands its batch over while it still holds the lock under which it changed its
//! memory, so the file changes in the order memory did, and waits for the batch to be on disk
//! before it answers a call. A change that spans two services is one batch: a reservation's
//! new state rides in the inventory's batch for its seats ([`crate::inventory::Inventory`]
//! takes it as a closure run under the venue's lock), so a crash never leaves seats sold for a
//! reservation still on hold, nor a reservation confirmed without its seats.
//!
//! Some changes are not written because they follow from what is: a hold whose deadline passed
//! is free again when it is read back, as it would be in memory.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use tonic::Status;
use usher_durable::{Durable, Pending, Write};

/// Reservation id → `reservation.v1.Reservation`.
pub(crate) const RESERVATIONS: &str = "reservations";
/// `(user, idempotency key)` → the claim of the create request that used it.
pub(crate) const RESERVATION_KEYS: &str = "reservation_keys";
/// `(event, reservation)` → the seats the inventory holds or sold for the reservation.
pub(crate) const SEAT_HOLDS: &str = "seat_holds";
/// Payment intent id → the intent.
pub(crate) const PAYMENTS: &str = "payments";

/// The backends' file name in the data directory.
pub(crate) const FILE_NAME: &str = "backends.redb";

/// The backends' durable state, or nothing (memory only). Cheap to clone.
#[derive(Clone, Default)]
pub(crate) struct Journal(Option<Arc<Durable>>);

impl Journal {
    /// Opens `<dir>/backends.redb`, or an off journal without a directory.
    pub(crate) fn open(dir: Option<&Path>) -> anyhow::Result<Self> {
        let Some(dir) = dir else {
            return Ok(Self(None));
        };
        let path = dir.join(FILE_NAME);
        let durable = Durable::open(&path).with_context(|| {
            format!(
                "cannot open the backends' state at {} (USHER_DATA_DIR)",
                path.display()
            )
        })?;
        Ok(Self(Some(Arc::new(durable))))
    }

    /// Hands `writes` over, after every batch handed over before (done at once when off).
    pub(crate) fn write(&self, writes: Vec<Write>) -> Pending {
        match &self.0 {
            Some(durable) => durable.write(writes),
            None => Pending::ready(),
        }
    }

    /// Every record of `table`, decoded (none when off).
    pub(crate) fn load<T: prost::Message + Default>(
        &self,
        table: &'static str,
    ) -> anyhow::Result<Vec<T>> {
        let Some(durable) = &self.0 else {
            return Ok(Vec::new());
        };
        durable
            .scan(table)?
            .into_iter()
            .map(|(key, value)| {
                T::decode(value.as_slice()).with_context(|| {
                    format!(
                        "{}: unreadable record {} in table {table}",
                        durable.path().display(),
                        String::from_utf8_lossy(&key)
                    )
                })
            })
            .collect()
    }
}

/// A put of `value` under `key`.
pub(crate) fn put(table: &'static str, key: Vec<u8>, value: &impl prost::Message) -> Write {
    Write::Put {
        table,
        key,
        value: value.encode_to_vec(),
    }
}

/// A key of two strings (the first length-prefixed, so no pair reads as another).
pub(crate) fn pair(first: &str, second: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(4 + first.len() + second.len());
    key.extend_from_slice(&(first.len() as u32).to_be_bytes());
    key.extend_from_slice(first.as_bytes());
    key.extend_from_slice(second.as_bytes());
    key
}

/// Waits until every batch of a call is on disk; a batch that could not be kept fails the call
/// with UNAVAILABLE (the change stays in memory but was never acknowledged).
pub(crate) async fn durable(batches: impl IntoIterator<Item = Pending>) -> Result<(), Status> {
    for batch in batches {
        batch.wait().await.map_err(|e| {
            Status::unavailable(format!("the change could not be made durable: {e}"))
        })?;
    }
    Ok(())
}
