//! A circuit breaker per backend service. After `failures` failed calls in a row (unreachable,
//! timed out: the backend is down, not saying no), the circuit opens: calls are refused at once
//! for `open_for`, so buyers get a fast 503 instead of a slow one and a struggling backend gets
//! room. Then one call goes through as a probe: if it succeeds the circuit closes, if it fails
//! it opens again. Business refusals (a seat taken, a payment declined) are answers, not
//! failures. Whoever watches [`Breaker::watch`] learns when the circuit opens and closes (the
//! admission guard holds admission meanwhile, see [`crate::purchase::guard`]).

use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::sync::watch;
use tracing::{info, warn};

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
    },
    /// One probe call is out.
    Probing,
}

/// The circuit breaker of one backend service.
pub struct Breaker {
    name: &'static str,
    failures: u32,
    open_for: Duration,
    state: Mutex<State>,
    open: watch::Sender<bool>,
}

impl Breaker {
    /// A closed breaker for the service `name` (`reservation`, `payment`).
    pub fn new(name: &'static str, failures: u32, open_for: Duration) -> Self {
        Self {
            name,
            failures: failures.max(1),
            open_for,
            state: Mutex::new(State::Closed { failures: 0 }),
            open: watch::Sender::new(false),
        }
    }

    /// The service's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether a call may go out now: the circuit is closed, or it has been open long enough
    /// and this call is the probe.
    pub fn allow(&self) -> bool {
        let mut state = self.state.lock();
        match *state {
            State::Closed { .. } => true,
            State::Open { until } if Instant::now() >= until => {
                *state = State::Probing;
                true
            }
            State::Open { .. } | State::Probing => false,
        }
    }

    /// Records the outcome of a call that [`Breaker::allow`] let through.
    pub fn record(&self, failed: bool) {
        let mut state = self.state.lock();
        let next = match (*state, failed) {
            (_, false) => State::Closed { failures: 0 },
            (State::Closed { failures }, true) if failures + 1 < self.failures => State::Closed {
                failures: failures + 1,
            },
            (State::Open { until }, true) => State::Open { until },
            (_, true) => State::Open {
                until: Instant::now() + self.open_for,
            },
        };
        *state = next;
        let open = !matches!(next, State::Closed { .. });
        if self
            .open
            .send_if_modified(|was| std::mem::replace(was, open) != open)
        {
            if open {
                warn!(
                    service = self.name,
                    "backend failing: circuit open, admission held"
                );
            } else {
                info!(service = self.name, "backend answers again: circuit closed");
            }
        }
    }

    /// A call [`Breaker::allow`] let through ended without an outcome (its caller went
    /// away): if it was the probe, the next call probes instead.
    pub fn forget(&self) {
        let mut state = self.state.lock();
        if *state == State::Probing {
            *state = State::Open {
                until: Instant::now(),
            };
        }
    }

    /// Whether the circuit is open (or probing).
    pub fn is_open(&self) -> bool {
        *self.open.borrow()
    }

    /// Whether the circuit is open (or probing), and every change of it.
    pub fn watch(&self) -> watch::Receiver<bool> {
        self.open.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_failures_in_a_row_refuses_then_probes_once_and_closes_on_success() {
        let b = Breaker::new("reservation", 3, Duration::from_millis(50));
        let open = b.watch();
        for _ in 0..2 {
            assert!(b.allow());
            b.record(true);
        }
        // A success in between starts the count again.
        b.record(false);
        for _ in 0..2 {
            assert!(b.allow());
            b.record(true);
        }
        assert!(!*open.borrow(), "two failures in a row are not three");
        assert!(b.allow());
        b.record(true);
        assert!(*open.borrow());
        assert!(!b.allow(), "open: refused at once");
        std::thread::sleep(Duration::from_millis(60));
        assert!(b.allow(), "the probe");
        assert!(!b.allow(), "one probe at a time");
        b.record(true);
        assert!(!b.allow(), "the probe failed: open again");
        std::thread::sleep(Duration::from_millis(60));
        assert!(b.allow());
        b.record(false);
        assert!(!*open.borrow());
        assert!(b.allow() && b.allow(), "closed");
    }
}
