//! Server-side figures: usher's `/metrics` (resident memory, open WebSockets, CPU seconds),
//! summed over the targets, and Redis `INFO commandstats`; the server's peak memory and file
//! descriptors, sampled often, for the `attack` scenario.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::net::Target;

/// The gauges usher-load reads from `/metrics`. RSS and CPU come from the prometheus crate's
/// process collector (Linux), the socket count from usher's own gauge.
pub const RSS_METRIC: &str = "process_resident_memory_bytes";
pub const CPU_METRIC: &str = "process_cpu_seconds_total";
pub const WS_METRIC: &str = "usher_ws_connections";
pub const FDS_METRIC: &str = "process_open_fds";

/// The HTTP client of the controller's readings: `/metrics` (with `metrics_token` as a bearer
/// token when the server asks for one), the admin API (whose calls bring their own token) and
/// availability.
pub fn client(metrics_token: Option<&str>) -> anyhow::Result<reqwest::Client> {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(token) = metrics_token {
        let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}"))
            .context("--metrics-token is not a valid header value")?;
        value.set_sensitive(true);
        headers.insert(reqwest::header::AUTHORIZATION, value);
    }
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .default_headers(headers)
        .build()?)
}

/// One reading of every target's `/metrics`, summed.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ServerSample {
    /// When it was read (ms since the epoch).
    pub at_ms: u64,
    pub rss_bytes: u64,
    pub cpu_seconds: f64,
    pub ws_connections: u64,
    /// Targets that answered.
    pub answered: u32,
}

/// The value of the sample named exactly `name` (no labels) in a Prometheus exposition.
pub fn metric_value(text: &str, name: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(name)?;
        let value = rest.strip_prefix(' ')?;
        value.trim().parse().ok()
    })
}

/// Reads every target's `/metrics`; targets that do not answer are left out of the sums. With
/// `pids`, CPU and RSS come from `/proc` instead: the process collector counts CPU in whole
/// seconds, too coarse for an idle window.
pub async fn sample(http: &reqwest::Client, targets: &[Target], pids: &[u32]) -> ServerSample {
    let mut s = ServerSample {
        at_ms: crate::now_ms(),
        ..Default::default()
    };
    for t in targets {
        let Ok(resp) = http.get(format!("{}/metrics", t.base)).send().await else {
            continue;
        };
        let Ok(text) = resp.text().await else {
            continue;
        };
        s.answered += 1;
        s.rss_bytes += metric_value(&text, RSS_METRIC).unwrap_or(0.0) as u64;
        s.cpu_seconds += metric_value(&text, CPU_METRIC).unwrap_or(0.0);
        s.ws_connections += metric_value(&text, WS_METRIC).unwrap_or(0.0) as u64;
    }
    if !pids.is_empty() {
        (s.cpu_seconds, s.rss_bytes) = (0.0, 0);
        for &pid in pids {
            if let Some((cpu, rss)) = proc_usage(pid) {
                s.cpu_seconds += cpu;
                s.rss_bytes += rss;
            }
        }
    }
    s
}

/// CPU seconds (user + system) and resident bytes of process `pid`, from `/proc`.
pub fn proc_usage(pid: u32) -> Option<(f64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; rss is 24.
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    let pages: u64 = f.get(21)?.parse().ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let (hz, page) = unsafe {
        (
            libc::sysconf(libc::_SC_CLK_TCK),
            libc::sysconf(libc::_SC_PAGESIZE),
        )
    };
    Some((ticks / hz.max(1) as f64, pages * page.max(1) as u64))
}

/// The server's memory and descriptors at one moment, summed over its processes (or targets).
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Footprint {
    pub rss_bytes: u64,
    /// Peak resident memory since the process started (`VmHWM`; 0 from `/metrics`).
    pub hwm_bytes: u64,
    pub fds: u64,
}

/// `VmRSS`, `VmHWM` and the number of open descriptors of process `pid`, from `/proc`.
pub fn proc_footprint(pid: u32) -> Option<Footprint> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |name: &str| {
        status.lines().find_map(|l| {
            let v = l.strip_prefix(name)?.trim().strip_suffix("kB")?;
            v.trim().parse::<u64>().ok().map(|k| k * 1_024)
        })
    };
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count() as u64;
    Some(Footprint {
        rss_bytes: kib("VmRSS:")?,
        hwm_bytes: kib("VmHWM:").unwrap_or(0),
        fds,
    })
}

/// Peaks of the server's memory and descriptors over a run.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Peaks {
    /// Where the readings came from: `proc` (`--server-pid`) or `metrics`.
    pub source: String,
    /// Readings taken, and those that failed (a scrape the server did not answer in time, or a
    /// process that was gone).
    pub samples: u64,
    pub failed: u64,
    /// The first reading, before the load.
    pub first: Option<Footprint>,
    /// The largest RSS, `VmHWM` and descriptor count read.
    pub peak: Footprint,
}

impl Peaks {
    fn record(&mut self, f: Option<Footprint>) {
        self.samples += 1;
        let Some(f) = f else {
            self.failed += 1;
            return;
        };
        self.first.get_or_insert(f);
        self.peak.rss_bytes = self.peak.rss_bytes.max(f.rss_bytes);
        self.peak.hwm_bytes = self.peak.hwm_bytes.max(f.hwm_bytes);
        self.peak.fds = self.peak.fds.max(f.fds);
    }
}

/// One footprint of the server: from `/proc` when its pids are known, else from every target's
/// `/metrics` (which a server under attack may fail to answer within `timeout`).
pub async fn footprint(
    http: &reqwest::Client,
    targets: &[Target],
    pids: &[u32],
    timeout: Duration,
) -> Option<Footprint> {
    let mut sum = Footprint::default();
    if !pids.is_empty() {
        for &pid in pids {
            let f = proc_footprint(pid)?;
            sum.rss_bytes += f.rss_bytes;
            sum.hwm_bytes += f.hwm_bytes;
            sum.fds += f.fds;
        }
        return Some(sum);
    }
    for t in targets {
        let req = http.get(format!("{}/metrics", t.base)).timeout(timeout);
        let resp = req.send().await.ok()?;
        if !resp.status().is_success() {
            return None;
        }
        let text = resp.text().await.ok()?;
        sum.rss_bytes += metric_value(&text, RSS_METRIC)? as u64;
        sum.fds += metric_value(&text, FDS_METRIC).unwrap_or(0.0) as u64;
    }
    Some(sum)
}

/// Reads the server's footprint every `every` until `stop` is set (or `limit`), and returns
/// the peaks.
pub fn watch_peaks(
    http: reqwest::Client,
    targets: Vec<Target>,
    pids: Vec<u32>,
    every: Duration,
    stop: Arc<AtomicBool>,
    limit: Instant,
) -> JoinHandle<Peaks> {
    tokio::spawn(async move {
        let mut peaks = Peaks {
            source: if pids.is_empty() { "metrics" } else { "proc" }.to_owned(),
            ..Default::default()
        };
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            peaks
                .record(footprint(&http, &targets, &pids, every.max(Duration::from_secs(2))).await);
            if stop.load(Ordering::Relaxed) || Instant::now() >= limit {
                return peaks;
            }
        }
    })
}

/// Calls per command from `INFO commandstats`.
pub type CommandStats = BTreeMap<String, u64>;

/// Parses `cmdstat_<name>:calls=<n>,...` lines.
pub fn parse_commandstats(info: &str) -> CommandStats {
    info.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("cmdstat_")?;
            let (name, fields) = rest.split_once(':')?;
            let calls = fields
                .split(',')
                .find_map(|f| f.strip_prefix("calls="))?
                .parse()
                .ok()?;
            Some((name.to_owned(), calls))
        })
        .collect()
}

/// Reads Redis `INFO commandstats`.
pub async fn redis_commandstats(url: &str) -> anyhow::Result<CommandStats> {
    let client = redis::Client::open(url)?;
    let mut conn = client.get_multiplexed_async_connection().await?;
    let info: String = redis::cmd("INFO")
        .arg("commandstats")
        .query_async(&mut conn)
        .await?;
    Ok(parse_commandstats(&info))
}

/// Commands run between two readings, by command, without our own `INFO` calls.
pub fn commands_between(before: &CommandStats, after: &CommandStats) -> CommandStats {
    after
        .iter()
        .filter(|(name, _)| name.as_str() != "info")
        .filter_map(|(name, &n)| {
            let d = n.saturating_sub(before.get(name).copied().unwrap_or(0));
            (d > 0).then(|| (name.clone(), d))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_values_are_found_by_exact_name() {
        let text = "# HELP x\nprocess_resident_memory_bytes 1.2e7\nusher_ws_connections 42\n\
                    usher_ws_connections_total{a=\"b\"} 7\n";
        assert_eq!(metric_value(text, RSS_METRIC), Some(1.2e7));
        assert_eq!(metric_value(text, WS_METRIC), Some(42.0));
        assert_eq!(metric_value(text, CPU_METRIC), None);
    }

    #[test]
    fn own_process_usage_reads_from_proc() {
        let (cpu, rss) = proc_usage(std::process::id()).unwrap();
        assert!(cpu >= 0.0 && rss > 1_000_000, "{cpu} {rss}");
    }

    #[test]
    fn own_footprint_reads_rss_peak_and_descriptors() {
        let f = proc_footprint(std::process::id()).unwrap();
        assert!(
            f.rss_bytes > 1_000_000 && f.hwm_bytes >= f.rss_bytes,
            "{f:?}"
        );
        assert!(f.fds >= 3, "{f:?}");
        let mut peaks = Peaks::default();
        peaks.record(Some(f));
        peaks.record(None);
        assert_eq!((peaks.samples, peaks.failed, peaks.first), (2, 1, Some(f)));
    }

    #[test]
    fn commandstats_parse_and_subtract_without_info() {
        let a = parse_commandstats(
            "# Commandstats\r\ncmdstat_evalsha:calls=10,usec=5\r\ncmdstat_info:calls=1,usec=1\r\n",
        );
        let b = parse_commandstats(
            "cmdstat_evalsha:calls=25,usec=9\r\ncmdstat_info:calls=2,usec=1\r\ncmdstat_get:calls=3,usec=1\r\n",
        );
        let d = commands_between(&a, &b);
        assert_eq!(d.get("evalsha"), Some(&15));
        assert_eq!(d.get("get"), Some(&3));
        assert!(!d.contains_key("info"));
    }
}
