//! The crate's one clock: milliseconds since the Unix epoch by this node's system time.
//!
//! Code that needs "now" calls [`now_ms`], or holds a [`Clock`] where a test must control time
//! (a [`Clock::manual`] only moves when told to).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch by this node's clock.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
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
    fn the_system_clock_reads_the_time_of_day() {
        let a = now_ms();
        let b = Clock::system().now_ms();
        assert!(b >= a && b - a < 60_000);
    }
}
