//! The figures of an `attack` run: how the legitimate waiters fared, what the attacker sent
//! and was answered, the server's peaks, and the targets (no legitimate join or
//! WebSocket failed, join p99 within 3× the baseline's, peak RSS within a budget).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Report;
use crate::hist::round3;
use crate::probe::Peaks;
use crate::raw::Raw;

/// How much slower the legitimate joins' p99 may be under attack than in the baseline.
pub const JOIN_P99_FACTOR: f64 = 3.0;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AttackFigures {
    /// `none` for the baseline.
    pub kind: String,
    pub attack_sources: u32,
    pub attack_duration_s: u64,
    pub legit_sources: u32,
    pub legit: LegitFigures,
    /// What the attacker sent and how the server answered: the run's `attack.` counters,
    /// without the prefix.
    pub sent: BTreeMap<String, u64>,
    /// The server's peak memory and descriptors over the run.
    pub server: Option<Peaks>,
    /// The baseline's legitimate join p99, from `--baseline`.
    pub baseline_join_p99_ms: Option<f64>,
    pub targets: Vec<TargetCheck>,
}

/// The legitimate waiters. A join failed when it was answered anything but 202 (429 and 503
/// included) or not at all; a WebSocket failed when its connection or upgrade was refused or
/// it ended before `ready` (each attempt counts: a waiter may reconnect and still be admitted).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LegitFigures {
    pub waiters: u64,
    pub joins_ok: u64,
    pub joins_failed: u64,
    /// Failed joins by status (`429`, `503`, `transport`, ...).
    pub join_failures: BTreeMap<String, u64>,
    pub join_p50_ms: Option<f64>,
    pub join_p99_ms: Option<f64>,
    /// Waiters whose socket brought them `ready`.
    pub ws_ok: u64,
    pub ws_failed: u64,
    /// Failed sockets by cause: `connect_error.<kind>` (`upgrade_<status>`, `refused`, ...),
    /// `dropped`, `close.<code>`.
    pub ws_failures: BTreeMap<String, u64>,
    /// Position and `ready` pushes, from the server's `server_time` to receipt.
    pub push_p99_ms: Option<f64>,
    /// Waiters still waiting (or not started) when the run ended.
    pub unfinished: u64,
}

/// One target of the issue and whether this run met it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TargetCheck {
    pub target: String,
    pub met: bool,
    pub detail: String,
}

/// What the controller knew of the attack besides the raw data.
#[derive(Clone, Debug, Default)]
pub struct AttackExtras {
    pub kind: String,
    pub attack_sources: u32,
    pub attack_duration_s: u64,
    pub legit_sources: u32,
    pub legit_waiters: u64,
    pub peaks: Option<Peaks>,
    pub baseline_join_p99_ms: Option<f64>,
    pub rss_budget_mib: Option<f64>,
}

/// The legitimate join p99 of a report (a baseline's).
pub fn join_p99_ms(r: &Report) -> Option<f64> {
    r.attack
        .as_ref()
        .and_then(|a| a.legit.join_p99_ms)
        .or_else(|| r.latency.get("join").map(|s| s.p99_ms))
}

/// Counters named `<prefix>.<x>` with no further dot in `x`, by `x`.
fn under<'a>(raw: &'a Raw, prefix: &'a str) -> impl Iterator<Item = (&'a str, u64)> + 'a {
    raw.counters.iter().filter_map(move |(k, &v)| {
        let rest = k.strip_prefix(prefix)?.strip_prefix('.')?;
        (!rest.contains('.')).then_some((rest, v))
    })
}

pub fn figures(raw: &Raw, x: AttackExtras) -> AttackFigures {
    let p = |name: &str, q: f64| {
        raw.hists
            .get(name)
            .filter(|h| !h.is_empty())
            .map(|h| round3(h.quantile_ms(q)))
    };
    let join_failures: BTreeMap<String, u64> = under(raw, "join")
        .filter(|(status, _)| *status != "202")
        .map(|(s, v)| (s.to_owned(), v))
        .collect();
    let mut ws_failures: BTreeMap<String, u64> = under(raw, "ws.connect_error")
        .map(|(kind, v)| (format!("connect_error.{kind}"), v))
        .chain(under(raw, "ws.close").map(|(code, v)| (format!("close.{code}"), v)))
        .collect();
    if raw.counter("ws.dropped") > 0 {
        ws_failures.insert("dropped".to_owned(), raw.counter("ws.dropped"));
    }
    let legit = LegitFigures {
        waiters: x.legit_waiters,
        joins_ok: raw.counter("join.202"),
        joins_failed: join_failures.values().sum(),
        join_failures,
        join_p50_ms: p("join", 0.5),
        join_p99_ms: p("join", 0.99),
        ws_ok: raw.counter("waiters.admitted"),
        ws_failed: ws_failures.values().sum(),
        ws_failures,
        push_p99_ms: p("push", 0.99),
        unfinished: raw.counter("waiters.unfinished") + raw.counter("waiters.not_started"),
    };
    let sent = raw
        .counters
        .iter()
        .filter_map(|(k, &v)| Some((k.strip_prefix("attack.")?.to_owned(), v)))
        .collect();
    let targets = targets(&legit, &x);
    AttackFigures {
        kind: x.kind,
        attack_sources: x.attack_sources,
        attack_duration_s: x.attack_duration_s,
        legit_sources: x.legit_sources,
        legit,
        sent,
        server: x.peaks,
        baseline_join_p99_ms: x.baseline_join_p99_ms,
        targets,
    }
}

fn targets(legit: &LegitFigures, x: &AttackExtras) -> Vec<TargetCheck> {
    let mut out = vec![
        TargetCheck {
            target: "no legitimate join failed".to_owned(),
            met: legit.joins_failed == 0 && legit.joins_ok > 0,
            detail: format!("{} ok, {} failed", legit.joins_ok, legit.joins_failed),
        },
        TargetCheck {
            target: "no legitimate WebSocket failed".to_owned(),
            met: legit.ws_failed == 0 && legit.ws_ok > 0,
            detail: format!("{} reached ready, {} failed", legit.ws_ok, legit.ws_failed),
        },
    ];
    if let (Some(base), Some(p99)) = (x.baseline_join_p99_ms, legit.join_p99_ms) {
        let limit = base * JOIN_P99_FACTOR;
        out.push(TargetCheck {
            target: format!("legitimate join p99 within {JOIN_P99_FACTOR}x the baseline"),
            met: p99 <= limit,
            detail: format!("{p99:.1} ms against {limit:.1} ms (baseline {base:.1} ms)"),
        });
    }
    if let Some(budget) = x.rss_budget_mib {
        let peak = x.peaks.as_ref().filter(|p| p.samples > p.failed);
        let mib = peak.map(|p| p.peak.rss_bytes as f64 / 1_048_576.0);
        out.push(TargetCheck {
            target: format!("server RSS under {budget} MiB"),
            met: mib.is_some_and(|m| m <= budget),
            detail: mib.map_or("no reading".to_owned(), |m| format!("peak {m:.1} MiB")),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::Footprint;

    fn raw(counters: &[(&str, u64)]) -> Raw {
        Raw {
            counters: counters.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn legitimate_failures_are_every_refusal_and_every_early_close() {
        let r = raw(&[
            ("join.202", 95),
            ("join.429", 3),
            ("join.transport", 2),
            ("join.transport.reset", 2),
            ("waiters.join_failed", 5),
            ("waiters.admitted", 93),
            ("waiters.unfinished", 2),
            ("ws.connect_error", 4),
            ("ws.connect_error.upgrade_503", 3),
            ("ws.connect_error.refused", 1),
            ("ws.close.1013", 2),
            ("ws.dropped", 1),
            ("attack.idle.opened", 500),
        ]);
        let f = figures(
            &r,
            AttackExtras {
                kind: "idle".into(),
                legit_waiters: 100,
                ..Default::default()
            },
        );
        let l = &f.legit;
        assert_eq!((l.joins_ok, l.joins_failed), (95, 5));
        assert_eq!(
            l.join_failures.keys().collect::<Vec<_>>(),
            ["429", "transport"]
        );
        assert_eq!((l.ws_ok, l.ws_failed, l.unfinished), (93, 7, 2));
        assert_eq!(l.ws_failures["connect_error.upgrade_503"], 3);
        assert_eq!(f.sent["idle.opened"], 500);
        assert!(f.targets.iter().all(|t| !t.met), "{:?}", f.targets);
    }

    #[test]
    fn targets_compare_with_the_baseline_and_the_budget() {
        let mut r = raw(&[("join.202", 10), ("waiters.admitted", 10)]);
        let mut h = crate::hist::Hist::precise();
        h.record_us(25_000);
        r.hists.insert("join".into(), h);
        let peaks = Peaks {
            samples: 4,
            peak: Footprint {
                rss_bytes: 300 << 20,
                ..Default::default()
            },
            ..Default::default()
        };
        let f = figures(
            &r,
            AttackExtras {
                peaks: Some(peaks),
                baseline_join_p99_ms: Some(10.0),
                rss_budget_mib: Some(256.0),
                ..Default::default()
            },
        );
        let met: Vec<bool> = f.targets.iter().map(|t| t.met).collect();
        assert_eq!(met, [true, true, true, false], "{:?}", f.targets);
    }
}
