//! Estimated time to admission.
//!
//! The admission rate is measured over 1, 5 and 15 minute windows and weighted 0.5/0.3/0.2, as in
//! the seed, but each window only spans the time that measurement has actually run (a sale that
//! started 20 s ago has a 20 s "1 minute" window, not a rate diluted by 40 s that never
//! happened). On cold start the event's configured rate is the prior; the measurement takes over
//! as admissions accumulate. ETA = position ÷ rate, reported with a confidence and a range.

use serde::{Deserialize, Serialize};

use crate::store::{AdmissionHistory, EventConfig};

/// `(window, weight)` pairs.
const WINDOWS: [(u64, f64); 3] = [(60_000, 0.5), (300_000, 0.3), (900_000, 0.2)];
/// Less measurement than this is no measurement.
const MIN_SPAN_MS: u64 = 2_000;
/// Admissions after which the measured rate fully replaces the prior.
const FULL_TRUST_ADMISSIONS: f64 = 20.0;
/// Longest ETA reported (one week); anything longer is not a useful promise.
const MAX_ETA_SEC: u64 = 7 * 24 * 3_600;

/// Window over which departures (leaves, reaps) are measured.
const DEPARTURE_WINDOW_MS: u64 = 300_000;

/// What a join keeps with its idempotency claim (the store holds it as opaque text): the rate its
/// ETA used, so that a replay answers exactly as the join did. JSON, whose numbers read back
/// exactly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JoinMemo {
    pub per_sec: f64,
    pub confidence: f64,
    pub leave_per_waiter: f64,
}

impl JoinMemo {
    pub fn of(rate: &Rate) -> Self {
        Self {
            per_sec: rate.per_sec,
            confidence: rate.confidence,
            leave_per_waiter: rate.leave_per_waiter,
        }
    }

    pub fn rate(&self) -> Rate {
        Rate {
            per_sec: self.per_sec,
            confidence: self.confidence,
            leave_per_waiter: self.leave_per_waiter,
        }
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("numbers serialise")
    }

    /// Reads [`Self::encode`]'s text, or the three space-separated numbers that releases before
    /// it wrote (claims live for minutes, so one made by an older replica may be replayed by a
    /// newer one during a rolling upgrade).
    pub fn decode(text: &str) -> Option<Self> {
        if let Ok(memo) = serde_json::from_str(text) {
            return Some(memo);
        }
        let mut parts = text.split(' ').map(|p| p.parse::<f64>().ok());
        let memo = Self {
            per_sec: parts.next()??,
            confidence: parts.next()??,
            leave_per_waiter: parts.next()??,
        };
        parts.next().is_none().then_some(memo)
    }
}

/// The admission rate an ETA is based on, measured once per event per push and applied to
/// every waiter's position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rate {
    /// Admissions per second.
    pub per_sec: f64,
    /// 0.2 (cold start, prior only) to 1.0 (15 minutes of steady measurement).
    pub confidence: f64,
    /// How often one waiter leaves the queue before admission, per second (departures per
    /// second ÷ waiters). Places also fall when people ahead leave; 0 when none were seen.
    #[serde(skip)]
    pub leave_per_waiter: f64,
}

/// An estimate for one position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Eta {
    pub eta_sec: u64,
    /// `[low, high]` seconds; `None` while admission is stopped (confidence 0): the queue is
    /// not moving, and `eta_sec` is the wait once admission resumes at the configured rate.
    pub range: Option<[u64; 2]>,
}

impl Rate {
    /// Measures the rate of an event at `now_ms`.
    pub fn measure(history: &AdmissionHistory, config: &EventConfig, now_ms: u64) -> Self {
        let prior = config.rate_per_sec;
        let elapsed = history.since_ms.map_or(0, |s| now_ms.saturating_sub(s));
        if elapsed < MIN_SPAN_MS {
            return Self {
                per_sec: prior,
                confidence: 0.2,
                leave_per_waiter: 0.0,
            };
        }
        let mut weighted = 0.0;
        let mut weights = 0.0;
        for (window, weight) in WINDOWS {
            let span = window.min(elapsed);
            let count = history.count_within(now_ms, span) as f64;
            weighted += weight * count / (span as f64 / 1_000.0);
            weights += weight;
        }
        let measured = weighted / weights;
        let seen = history.count_within(now_ms, AdmissionHistory::SPAN_MS);
        if measured <= 0.0 {
            // Nothing admitted for 15 minutes (paused or capped): the measurement says nothing
            // about the future, so fall back to the configured rate with the lowest confidence.
            return Self {
                per_sec: prior,
                confidence: 0.2,
                leave_per_waiter: 0.0,
            };
        }
        let trust = (seen as f64 / FULL_TRUST_ADMISSIONS).min(1.0);
        let per_sec = trust * measured + (1.0 - trust) * prior;
        Self {
            per_sec,
            confidence: confidence(history, now_ms),
            leave_per_waiter: 0.0,
        }
    }

    /// Adds the departure rate measured in `departures` (a history of leaves and reaps) with
    /// `waiting` people in the queue.
    pub fn with_departures(
        mut self,
        departures: &AdmissionHistory,
        waiting: u64,
        now_ms: u64,
    ) -> Self {
        let elapsed = departures.since_ms.map_or(0, |s| now_ms.saturating_sub(s));
        if elapsed >= MIN_SPAN_MS && waiting > 0 {
            let span = DEPARTURE_WINDOW_MS.min(elapsed);
            let per_sec = departures.count_within(now_ms, span) as f64 / (span as f64 / 1_000.0);
            self.leave_per_waiter = per_sec / waiting as f64;
        }
        self
    }

    /// The estimate for a 1-based position. Without departures it is position ÷ rate; with
    /// each waiter leaving at `leave_per_waiter` per second, the people ahead also thin out:
    /// dp/dt = −rate − λ·p, which reaches 0 after ln(1 + λ·p / rate) / λ.
    ///
    /// ```
    /// use usher::queue::eta::Rate;
    /// let rate = Rate { per_sec: 50.0, confidence: 1.0, leave_per_waiter: 0.0 };
    /// let eta = rate.eta(500);
    /// assert_eq!(eta.eta_sec, 10);
    /// assert_eq!(eta.range, Some([9, 11]));
    /// let leaving = Rate { leave_per_waiter: 0.01, ..rate };
    /// assert_eq!(leaving.eta(500).eta_sec, 10); // ln(1.1) / 0.01 = 9.5 s
    /// ```
    pub fn eta(&self, position: u64) -> Eta {
        if position == 0 || self.per_sec <= 0.0 {
            return Eta {
                eta_sec: 0,
                range: Some([0, 0]),
            };
        }
        let p = position as f64;
        let lambda = self.leave_per_waiter;
        let secs = if lambda > 1e-9 {
            (lambda * p / self.per_sec).ln_1p() / lambda
        } else {
            p / self.per_sec
        };
        let spread = 0.1 + 0.5 * (1.0 - self.confidence);
        let clamp = |s: f64| (s.max(0.0) as u64).min(MAX_ETA_SEC);
        Eta {
            // To the nearest second (a ceiling would add half a second to every estimate, which
            // is most of the error of short waits), and never 0 while waiting.
            eta_sec: clamp(secs.round().max(1.0)),
            range: (self.confidence > 0.0).then(|| {
                [
                    clamp((secs * (1.0 - spread)).floor()),
                    clamp((secs * (1.0 + spread)).ceil()),
                ]
            }),
        }
    }
}

/// The seed's confidence table, from how much was admitted recently.
fn confidence(history: &AdmissionHistory, now_ms: u64) -> f64 {
    if history.count_within(now_ms, 900_000) >= 30 {
        1.0
    } else if history.count_within(now_ms, 300_000) >= 10 {
        0.8
    } else if history.count_within(now_ms, 60_000) >= 3 {
        0.6
    } else if history.count_within(now_ms, 60_000) >= 1 {
        0.4
    } else {
        0.2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(rate: f64) -> EventConfig {
        EventConfig {
            rate_per_sec: rate,
            burst: 1,
            max_active: None,
            entry_window_secs: 60,
            paused: false,
            hold: None,
            schedule: None,
            pow_difficulty: 0,
            queue_all: false,
            announcement: None,
        }
    }

    #[test]
    fn a_rate_survives_its_memo_exactly() {
        let rate = Rate {
            per_sec: 1.0 / 3.0,
            confidence: 0.8,
            leave_per_waiter: 2.5e-5,
        };
        let memo = JoinMemo::of(&rate);
        assert_eq!(
            JoinMemo::decode(&memo.encode()).map(|m| m.rate()),
            Some(rate)
        );
        // As releases before JSON memos wrote them.
        let legacy = format!(
            "{} {} {}",
            rate.per_sec, rate.confidence, rate.leave_per_waiter
        );
        assert_eq!(JoinMemo::decode(&legacy), Some(memo));
        for bad in ["", "1 2", "1 2 x", "1 2 3 4", "{\"per_sec\":1}"] {
            assert_eq!(JoinMemo::decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn cold_start_uses_the_configured_rate() {
        let rate = Rate::measure(&AdmissionHistory::default(), &config(50.0), 1_000_000);
        assert_eq!(rate.per_sec, 50.0);
        assert_eq!(rate.confidence, 0.2);
        assert_eq!(rate.eta(100).eta_sec, 2);
    }

    #[test]
    fn steady_measurement_replaces_the_prior() {
        let mut h = AdmissionHistory::default();
        let start = 10_000_000;
        for s in 0..120 {
            h.record(start + s * 1_000, 5);
        }
        let now = start + 120_000;
        let rate = Rate::measure(&h, &config(50.0), now);
        assert!((rate.per_sec - 5.0).abs() < 0.1, "{rate:?}");
        assert_eq!(rate.confidence, 1.0);
        let eta = rate.eta(100);
        assert_eq!(eta.eta_sec, 20);
        let [low, high] = eta.range.unwrap();
        assert!(low <= 20 && high >= 20);
    }

    #[test]
    fn a_young_sale_is_not_diluted_by_empty_window_time() {
        let mut h = AdmissionHistory::default();
        let start = 5_000_000;
        for s in 0..10 {
            h.record(start + s * 1_000, 10);
        }
        let rate = Rate::measure(&h, &config(10.0), start + 10_000);
        assert!((rate.per_sec - 10.0).abs() < 0.5, "{rate:?}");
    }

    #[test]
    fn eta_is_bounded() {
        let rate = Rate {
            per_sec: 1e-9,
            confidence: 0.2,
            leave_per_waiter: 0.0,
        };
        assert_eq!(rate.eta(10).eta_sec, MAX_ETA_SEC);
    }

    #[test]
    fn departures_ahead_shorten_the_wait() {
        let mut departures = AdmissionHistory::default();
        let start = 1_000_000;
        // 10 departures per second out of 1,000 waiters: each leaves at 1 % per second.
        for s in 0..60 {
            departures.record(start + s * 1_000, 10);
        }
        let base = Rate {
            per_sec: 10.0,
            confidence: 1.0,
            leave_per_waiter: 0.0,
        };
        let rate = base.with_departures(&departures, 1_000, start + 60_000);
        assert!((rate.leave_per_waiter - 0.01).abs() < 1e-3, "{rate:?}");
        // Position 500: 50 s at the admission rate alone, ln(1.5)/0.01 = 40.5 s with leavers.
        assert_eq!(base.eta(500).eta_sec, 50);
        assert_eq!(rate.eta(500).eta_sec, 41);
        // Nobody seen leaving, or nobody waiting: admissions alone.
        let none = base.with_departures(&AdmissionHistory::default(), 1_000, start);
        assert_eq!(none.eta(500).eta_sec, 50);
    }
}
