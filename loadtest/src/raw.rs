//! What one process measured, before any figure is derived from it. A shard writes its [`Raw`]
//! as JSON; the parent merges the shards' raws and computes the report from the merge, so
//! fairness and ETA accuracy are computed over all waiters, and percentiles over all samples.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::hist::Hist;

/// One second of the run (keyed by its Unix second in [`Raw::series`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Bin {
    /// Latency of what arrived in this second: pushes for `waiters`, requests otherwise.
    pub latency: Hist,
    pub joins: u64,
    pub admitted: u64,
    pub requests: u64,
    pub errors: u64,
    /// Connections (sockets, or polling waiters) this process held when the second was sampled.
    pub open: i64,
}

impl Default for Bin {
    fn default() -> Self {
        Self {
            latency: Hist::coarse(),
            joins: 0,
            admitted: 0,
            requests: 0,
            errors: 0,
            open: 0,
        }
    }
}

impl Bin {
    fn merge(&mut self, o: &Bin) {
        self.latency.merge(&o.latency);
        self.joins += o.joins;
        self.admitted += o.admitted;
        self.requests += o.requests;
        self.errors += o.errors;
        self.open += o.open;
    }
}

/// What one waiter saw, for the figures that need every waiter at once (fairness, ETA).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct WaiterSample {
    /// Index in the run's arrival order.
    pub index: u64,
    /// When the join request was sent and its answer received (µs since the epoch). The
    /// server's join order lies between the two.
    pub join_start_us: u64,
    pub join_done_us: u64,
    /// Position the join answered.
    pub join_position: u64,
    /// The first ETA given while the event was admitting: (server time ms, eta seconds,
    /// position).
    pub eta_ref: Option<(u64, u64, u64)>,
    /// The server's admission time (`admitted_at`, ms), once admitted.
    pub admitted_at_ms: Option<u64>,
    /// Times a reported position was higher than the one before.
    pub position_increases: u32,
    /// Of those, a first status (snapshot or first poll) above the position the join answered.
    #[serde(default)]
    pub above_join_position: u32,
    /// The largest single increase.
    #[serde(default)]
    pub largest_increase: u64,
    /// Position pushes received.
    pub pushes: u32,
    pub left: bool,
}

/// What one entrant of an `onsale` run saw. Times are µs (client wall clock) or ms (the
/// server's `server_time`, `admitted_at`) since the epoch.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct EntrantSample {
    /// Arrival index: the entrant's slot on the generator's ramp (global join order).
    pub index: u64,
    pub join_start_us: u64,
    pub join_done_us: u64,
    /// Position the join answered (0 in a random start's pre-queue).
    pub join_position: u64,
    /// The first status with phase `waiting` (the drawn position, for an entrant): its
    /// `type` (`position`, or `snapshot` after a reconnect), receipt, `server_time`,
    /// `position` and `drawn_rank` (none for a join after the entry list closed).
    pub first_kind: Option<String>,
    pub first_recv_us: Option<u64>,
    pub first_server_ms: Option<u64>,
    pub first_position: Option<u64>,
    pub drawn_rank: Option<u64>,
    /// Statuses that said `phase: drawing` (the list closed, the draw being made).
    pub drawing_seen: u32,
    /// `ready`: receipt, `server_time`, and the admission step's time (`admitted_at`).
    pub ready_recv_us: Option<u64>,
    pub ready_server_ms: Option<u64>,
    pub admitted_at_ms: Option<u64>,
    /// Times a position went up after the first drawn one.
    pub position_increases: u32,
    /// Statuses whose `drawn_rank` differed from the first one given.
    pub rank_changes: u32,
    /// Position pushes received.
    pub pushes: u32,
}

/// What every process of an `onsale` run knows of its set-up (from its arguments and the
/// shared ramp start), kept with the raw data so a merge alone can compute the figures.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct OnsaleSetup {
    pub sale_starts_at_ms: u64,
    pub window_s: f64,
    pub start_after_s: f64,
    pub admit_rate: f64,
    pub admit_burst: u32,
    #[serde(default)]
    pub admit_delay_ms: u64,
    pub ready_tolerance_ms: u64,
}

/// One reservation a buyer made, as read back at the end of its flow.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReservationSample {
    pub reservation_id: String,
    pub status: String,
    pub seat_ids: Vec<String>,
}

/// Everything one process (or, after [`Raw::merge`], all of them) measured.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Raw {
    pub scenario: String,
    /// Processes merged into this raw.
    pub processes: u32,
    /// Workload start and end (ms since the epoch).
    pub started_ms: u64,
    pub ended_ms: u64,
    /// Named counts (outcomes, status codes, refusals, errors).
    pub counters: BTreeMap<String, u64>,
    /// Named latency histograms.
    pub hists: BTreeMap<String, Hist>,
    /// Per-second bins by Unix second.
    pub series: BTreeMap<u64, Bin>,
    pub waiters: Vec<WaiterSample>,
    pub reservations: Vec<ReservationSample>,
    /// `onsale`: every entrant, and the run's set-up.
    #[serde(default)]
    pub entrants: Vec<EntrantSample>,
    #[serde(default)]
    pub onsale: Option<OnsaleSetup>,
    /// CPU seconds (user + system) the load generator's processes used.
    pub client_cpu_secs: f64,
    /// Largest RSS of a load-generator process, in bytes.
    pub client_max_rss_bytes: u64,
    /// Soft file-descriptor limit of the processes (the smallest).
    pub fd_limit: u64,
    /// First join sent and last join answered (µs since the epoch), for the join rate.
    pub join_span_us: Option<(u64, u64)>,
}

impl Raw {
    pub fn merge(&mut self, o: Raw) {
        if self.scenario.is_empty() {
            self.scenario = o.scenario.clone();
        }
        self.processes += o.processes;
        self.started_ms = match (self.started_ms, o.started_ms) {
            (0, b) => b,
            (a, 0) => a,
            (a, b) => a.min(b),
        };
        self.ended_ms = self.ended_ms.max(o.ended_ms);
        for (k, v) in o.counters {
            *self.counters.entry(k).or_default() += v;
        }
        for (k, v) in o.hists {
            match self.hists.get_mut(&k) {
                Some(h) => h.merge(&v),
                None => {
                    self.hists.insert(k, v);
                }
            }
        }
        for (k, v) in o.series {
            self.series.entry(k).or_default().merge(&v);
        }
        self.waiters.extend(o.waiters);
        self.reservations.extend(o.reservations);
        self.entrants.extend(o.entrants);
        if self.onsale.is_none() {
            self.onsale = o.onsale;
        }
        self.client_cpu_secs += o.client_cpu_secs;
        self.client_max_rss_bytes = self.client_max_rss_bytes.max(o.client_max_rss_bytes);
        self.join_span_us = match (self.join_span_us, o.join_span_us) {
            (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
            (a, b) => a.or(b),
        };
        self.fd_limit = match (self.fd_limit, o.fd_limit) {
            (0, b) => b,
            (a, 0) => a,
            (a, b) => a.min(b),
        };
    }

    pub fn counter(&self, name: &str) -> u64 {
        self.counters.get(name).copied().unwrap_or(0)
    }
}

/// The shared, locked [`Raw`] that a workload's tasks record into, plus the live count of open
/// connections. A lock per record is cheap next to a network message.
#[derive(Clone, Default)]
pub struct Recorder {
    raw: Arc<Mutex<Raw>>,
    open: Arc<AtomicI64>,
}

impl Recorder {
    pub fn new(scenario: &str) -> Self {
        let r = Self::default();
        r.raw.lock().scenario = scenario.to_owned();
        r
    }

    pub fn count(&self, name: &str) {
        self.add(name, 1);
    }

    pub fn add(&self, name: &str, n: u64) {
        let mut raw = self.raw.lock();
        match raw.counters.get_mut(name) {
            Some(v) => *v += n,
            None => {
                raw.counters.insert(name.to_owned(), n);
            }
        }
    }

    pub fn hist(&self, name: &str, us: u64) {
        let mut raw = self.raw.lock();
        match raw.hists.get_mut(name) {
            Some(h) => h.record_us(us),
            None => {
                let mut h = Hist::precise();
                h.record_us(us);
                raw.hists.insert(name.to_owned(), h);
            }
        }
    }

    /// Changes the bin of the current second.
    pub fn bin(&self, f: impl FnOnce(&mut Bin)) {
        let sec = crate::now_ms() / 1_000;
        f(self.raw.lock().series.entry(sec).or_default());
    }

    /// Widens the join span to include a join sent at `start` and answered at `done`.
    pub fn join_span(&self, start: u64, done: u64) {
        let mut raw = self.raw.lock();
        raw.join_span_us = Some(match raw.join_span_us {
            Some((a, b)) => (a.min(start), b.max(done)),
            None => (start, done),
        });
    }

    pub fn waiter(&self, s: WaiterSample) {
        self.raw.lock().waiters.push(s);
    }

    pub fn entrant(&self, s: EntrantSample) {
        self.raw.lock().entrants.push(s);
    }

    pub fn reservation(&self, s: ReservationSample) {
        self.raw.lock().reservations.push(s);
    }

    pub fn opened(&self) {
        self.open.fetch_add(1, Ordering::Relaxed);
    }

    pub fn closed(&self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
    }

    pub fn open(&self) -> i64 {
        self.open.load(Ordering::Relaxed)
    }

    /// Records the open count into the current second (called once a second).
    pub fn sample_open(&self) {
        let open = self.open();
        self.bin(|b| b.open = open);
    }

    pub fn with_raw<T>(&self, f: impl FnOnce(&mut Raw) -> T) -> T {
        f(&mut self.raw.lock())
    }

    /// Adds `other`'s counters and histograms under `prefix.`, leaving out its time series and
    /// samples: another party's measurements kept apart from this run's own figures (the
    /// attacker beside the legitimate waiters).
    pub fn absorb(&self, prefix: &str, other: Raw) {
        for (k, v) in other.counters {
            self.add(&format!("{prefix}.{k}"), v);
        }
        let mut raw = self.raw.lock();
        for (k, h) in other.hists {
            match raw.hists.entry(format!("{prefix}.{k}")) {
                std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().merge(&h),
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(h);
                }
            }
        }
    }

    /// The raw so far.
    pub fn take(&self) -> Raw {
        std::mem::take(&mut *self.raw.lock())
    }
}
