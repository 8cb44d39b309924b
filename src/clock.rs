//! The crate's one clock: milliseconds since the Unix epoch by the store's clock.
//!
//! Code that needs "now" calls [`now_ms`], or holds a [`Clock`] where a test must control time
//! (a [`Clock::manual`] only moves when told to).
//!
//! A shared store (Redis) decides by its own clock (its scripts read `TIME`); every node reads
//! that clock every second ([`align_to_store`]) and keeps the difference to its system clock,
//! so the figures a node computes (ETA rate windows, waiting times, token lifetimes) agree
//! with the store's decisions and with the other nodes, however wrong the node's own clock.
//! The embedded store lives in the process: its clock is the system clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What to add to this node's system clock to read the store's.
static STORE_OFFSET_MS: AtomicI64 = AtomicI64::new(0);
static ALIGNED: AtomicBool = AtomicBool::new(false);

/// A reading of the store's clock is trusted only from a round trip this short: its error is
/// at most half of it.
pub const MAX_ALIGNMENT_RTT_MS: u64 = 500;

/// Milliseconds since the Unix epoch by the store's clock (this node's clock, corrected).
pub fn now_ms() -> u64 {
    system_ms().saturating_add_signed(STORE_OFFSET_MS.load(Ordering::Relaxed))
}

/// Milliseconds since the Unix epoch by this node's system clock, uncorrected.
pub fn system_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Aligns [`now_ms`] to the store's clock from one reading of it: `store_ms`, read between
/// `sent_ms` and `received_ms` by [`system_ms`]. Once aligned, readings whose round trip is
/// longer than [`MAX_ALIGNMENT_RTT_MS`] are ignored. Returns the offset in force.
pub fn align_to_store(store_ms: u64, sent_ms: u64, received_ms: u64) -> i64 {
    let aligned = ALIGNED.load(Ordering::Relaxed);
    if let Some(offset) = reading_offset(store_ms, sent_ms, received_ms, aligned) {
        STORE_OFFSET_MS.store(offset, Ordering::Relaxed);
        ALIGNED.store(true, Ordering::Relaxed);
    }
    store_offset_ms()
}

/// The offset one reading of the store's clock gives, if it is to be trusted: the store read
/// `store_ms` at about the midpoint of the round trip.
fn reading_offset(store_ms: u64, sent_ms: u64, received_ms: u64, aligned: bool) -> Option<i64> {
    let rtt = received_ms.saturating_sub(sent_ms);
    (rtt <= MAX_ALIGNMENT_RTT_MS || !aligned).then(|| store_ms as i64 - (sent_ms + rtt / 2) as i64)
}

/// How far the store's clock is ahead of this node's (negative: behind), in milliseconds.
pub fn store_offset_ms() -> i64 {
    STORE_OFFSET_MS.load(Ordering::Relaxed)
}

/// Whether a token's time claims hold now: `exp` not passed and `nbf` reached, each with
/// `leeway_secs` of tolerance. Tokens are checked by [`now_ms`], not by the node's own clock,
/// so every node accepts the same tokens.
pub fn token_time_valid(exp: u64, nbf: Option<u64>, leeway_secs: u64) -> Result<(), &'static str> {
    token_time_valid_at(now_ms() / 1_000, exp, nbf, leeway_secs)
}

fn token_time_valid_at(
    now_s: u64,
    exp: u64,
    nbf: Option<u64>,
    leeway_secs: u64,
) -> Result<(), &'static str> {
    if exp.saturating_add(leeway_secs) < now_s {
        return Err("ExpiredSignature");
    }
    if nbf.is_some_and(|nbf| nbf > now_s.saturating_add(leeway_secs)) {
        return Err("ImmatureSignature");
    }
    Ok(())
}

/// A source of "now": the system clock, or a manual one for tests.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<AtomicU64>>,
}

impl Clock {
    /// The system clock ([`now_ms`]).
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that reads `start_ms` until [`Clock::advance`] moves it.
    pub fn manual(start_ms: u64) -> Self {
        Self {
            manual: Some(Arc::new(AtomicU64::new(start_ms))),
        }
    }

    /// Milliseconds since the Unix epoch by this clock.
    pub fn now_ms(&self) -> u64 {
        match &self.manual {
            Some(ms) => ms.load(Ordering::Relaxed),
            None => now_ms(),
        }
    }

    /// Moves a manual clock (and every clone of it) forward; the system clock cannot be moved.
    ///
    /// # Panics
    /// On the system clock.
    pub fn advance(&self, by: Duration) {
        let ms = self
            .manual
            .as_ref()
            .expect("only a manual clock can be advanced");
        ms.fetch_add(by.as_millis() as u64, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_advanced_and_its_clones_follow() {
        let clock = Clock::manual(1_000);
        let clone = clock.clone();
        assert_eq!(clock.now_ms(), 1_000);
        clock.advance(Duration::from_millis(250));
        assert_eq!(clone.now_ms(), 1_250);
    }

    #[test]
    fn a_reading_of_the_store_clock_gives_its_offset_unless_it_came_too_slowly() {
        let sys = 1_700_000_000_000;
        // The store is 300 s ahead, read with a 40 ms round trip; or 45 s behind.
        assert_eq!(
            reading_offset(sys + 300_020, sys, sys + 40, true),
            Some(300_000)
        );
        assert_eq!(
            reading_offset(sys - 44_990, sys, sys + 20, true),
            Some(-45_000)
        );
        // A reading delayed by a stall says little: ignored, unless it is the first one.
        assert_eq!(reading_offset(sys, sys, sys + 5_000, true), None);
        assert_eq!(
            reading_offset(sys + 2_500, sys, sys + 5_000, false),
            Some(0)
        );
    }

    #[test]
    fn token_times_are_checked_with_leeway() {
        let now = 1_700_000_000;
        assert!(token_time_valid_at(now, now + 1, None, 0).is_ok());
        assert!(token_time_valid_at(now, now - 5, None, 5).is_ok());
        assert_eq!(
            token_time_valid_at(now, now - 6, None, 5),
            Err("ExpiredSignature")
        );
        assert!(token_time_valid_at(now, now + 60, Some(now + 5), 5).is_ok());
        assert_eq!(
            token_time_valid_at(now, now + 60, Some(now + 30), 5),
            Err("ImmatureSignature")
        );
    }

    #[test]
    fn the_system_clock_reads_the_time_of_day() {
        let a = now_ms();
        let b = Clock::system().now_ms();
        assert!(b >= a && b - a < 60_000);
    }
}
