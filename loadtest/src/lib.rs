//! `usher-load`: a load generator for usher that measures what a waiting room promises —
//! sockets held, pushes delivered on time, admissions in join order, honest ETAs, no oversell —
//! rather than raw requests per second.
//!
//! It only talks to loopback addresses (unless told `--allow-remote`), every run is bounded by
//! a count and by `--max-duration`, and it stops by itself.
//!
//! # Layout
//!
//! - [`cli`]: the command line (clap derive); `usher-load --help` documents every scenario.
//! - [`run`] (this file): the controller. Checks the target, configures the event, samples the
//!   server's `/metrics` (and Redis `INFO commandstats`) around the run, runs the workload
//!   in-process or as child processes (`run/children.rs`: `--procs` shards with `--shard i/N`,
//!   or the attacker of an `attack` whose sockets do not fit beside its legitimate waiters),
//!   merges their raw reports and writes the final report.
//! - [`net`]: the client side of the wire: loopback source addresses, HTTP clients bound to
//!   them, WebSocket connections with small buffers, the file-descriptor limit, names for why a
//!   connection failed; [`http1`]: the lean keep-alive client of joins, and one-shot raw
//!   requests.
//! - [`scenarios`]: one module per scenario (`waiters`, `join_storm`, `poll`, `flow`,
//!   `onsale` (a scheduled sale with a random start: entrants in the pre-queue, the draw,
//!   admission by rank), and `attack/` with one file per family of attacks beside a legitimate
//!   `waiters` load), each a workload that records into a [`raw::Recorder`].
//! - [`raw`]: what one process measured (counters, histograms, per-second bins, per-waiter
//!   samples), serialisable and mergeable across shards; [`hist`] wraps HdrHistogram with a
//!   serialised form so percentiles merge exactly.
//! - [`probe`]: server-side figures: `/metrics` (RSS, WebSocket gauge, CPU) and Redis; the
//!   server's peak RSS and descriptors from `/proc` or `/metrics`.
//! - [`report`]: the final figures computed from merged raw data (fairness, ETA accuracy,
//!   percentiles, per-connection memory; `report::attack`: legitimate failures, the attacker's
//!   counts, targets; `report::onsale`: time to the drawn position, the draw's chi-square
//!   uniformity, admission in drawn order) and their JSON form; [`text`] prints them and [`svg`] draws the chart.

pub mod cli;
pub mod hist;
pub mod http1;
pub mod net;
pub mod probe;
pub mod raw;
pub mod report;
pub mod scenarios;
pub mod svg;
pub mod text;

mod run;

pub use run::{Finished, run};

/// Microseconds since the Unix epoch (the clock every process on the machine shares, so
/// shards and the server's `server_time` are comparable).
pub fn now_us() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    now_us() / 1_000
}
