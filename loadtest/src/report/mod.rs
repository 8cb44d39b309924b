//! The final figures, computed from the merged raw data and the controller's server readings,
//! and their text form. The JSON form is [`Report`] serialised.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::hist::{Summary, round3};
use crate::probe::{CommandStats, ServerSample, commands_between};
use crate::raw::{Raw, ReservationSample, WaiterSample};

pub mod attack;
pub mod onsale;

/// Everything a run found.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    pub scenario: String,
    /// The command line as given.
    pub command: String,
    pub targets: Vec<String>,
    pub event: String,
    pub started_unix_ms: u64,
    pub duration_s: f64,
    pub processes: u32,
    pub sources_per_process: u32,
    pub fd_limit: u64,
    /// Clients asked for (waiters, joins or buyers).
    pub planned: u64,
    pub counters: BTreeMap<String, u64>,
    /// Latency percentiles by name (`join`, `push`, `time_to_ready`, ...).
    pub latency: BTreeMap<String, Summary>,
    pub rates: Rates,
    pub waiters: Option<WaiterFigures>,
    pub server: Option<ServerFigures>,
    pub redis: Option<RedisFigures>,
    pub oversell: Option<OversellCheck>,
    /// The `attack` scenario's figures.
    pub attack: Option<attack::AttackFigures>,
    /// The `onsale` scenario's figures.
    #[serde(default)]
    pub onsale: Option<onsale::OnsaleFigures>,
    pub client: ClientFigures,
    /// Per second of the run, for the chart.
    pub series: Vec<Point>,
    /// The server's `/metrics`, sampled about once a second.
    pub server_series: Vec<ServerSample>,
    /// Correctness problems found (a non-empty list makes the exit status 2).
    pub problems: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Rates {
    /// Accepted joins per second, between the first join sent and the last answered.
    pub joins_per_s: f64,
    /// HTTP requests per second over the run.
    pub requests_per_s: f64,
    /// Admissions seen per second over the run.
    pub admissions_per_s: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WaiterFigures {
    /// Waiters that joined (and so have a sample).
    pub joined: u64,
    pub admitted: u64,
    pub left: u64,
    /// Times any waiter was told a higher position than before (must be 0).
    pub position_increases: u64,
    pub waiters_with_increases: u64,
    /// Increases between the join's answer and the first status after it (the join answers
    /// from the store, the socket from the node's view of it).
    pub increases_after_join: u64,
    /// The largest single increase.
    pub largest_increase: u64,
    /// Mean position pushes per waiter (WebSocket only).
    pub mean_position_pushes: f64,
    pub fairness: Option<Fairness>,
    pub eta: Option<EtaAccuracy>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Fairness {
    /// Spearman rank correlation between join order and admission order, over admitted
    /// waiters (admissions in the same step are ordered by join). 1.0 is strict FIFO.
    pub spearman: f64,
    pub admitted: u64,
    /// Waiters admitted in a later step than someone whose join was sent after theirs was
    /// answered (certainly later): FIFO violations beyond doubt. Must be 0.
    pub overtaken: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EtaAccuracy {
    /// 1 − mean absolute percentage error of the first ETA given while admitting, against the
    /// actual admission time; each error is |actual − predicted| ÷ max(actual wait, 1 s),
    /// capped at 1 (as usher's own `usher_eta_accuracy`).
    pub accuracy: f64,
    pub samples: u64,
    /// The same by decile of the position the ETA was given for.
    pub deciles: Vec<Decile>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Decile {
    pub positions: [u64; 2],
    pub samples: u64,
    pub accuracy: f64,
    /// Mean actual wait of the decile, in seconds.
    pub mean_wait_s: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServerFigures {
    pub before: ServerSample,
    /// The reading with the most open WebSockets.
    pub peak: ServerSample,
    pub after: ServerSample,
    /// (RSS at peak − RSS before) ÷ (sockets at peak − sockets before). Includes the queue
    /// state of those waiters.
    pub rss_per_connection_bytes: Option<f64>,
    pub cpu_seconds: f64,
    /// Server CPU seconds per 10,000 waiters per minute over the run.
    pub cpu_per_10k_waiters_per_min: Option<f64>,
    /// The paused window (`--paused-hold`), when there was one.
    pub idle: Option<IdleServer>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IdleServer {
    pub seconds: f64,
    pub ws_connections: u64,
    pub rss_per_connection_bytes: Option<f64>,
    pub cpu_seconds: f64,
    pub cpu_per_10k_waiters_per_min: Option<f64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RedisFigures {
    pub commands: u64,
    pub per_second: f64,
    pub per_waiter_per_second: Option<f64>,
    /// Largest commands by count.
    pub top: Vec<(String, u64)>,
    pub idle: Option<RedisWindow>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RedisWindow {
    pub seconds: f64,
    pub commands: u64,
    pub per_second: f64,
    pub per_waiter_per_second: Option<f64>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OversellCheck {
    pub ok: bool,
    pub total_seats: u64,
    pub sold_before: u64,
    pub sold_after: u64,
    pub held_after: u64,
    pub confirmed_reservations: u64,
    pub confirmed_seats: u64,
    /// Seats that appear in two confirmed reservations (must be empty).
    pub double_sold: Vec<String>,
    pub findings: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ClientFigures {
    pub cpu_seconds: f64,
    pub max_rss_bytes: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Point {
    /// Seconds since the start.
    pub t: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub samples: u64,
    pub open: i64,
    pub joins_total: u64,
    pub admitted_total: u64,
    pub requests: u64,
    pub errors: u64,
}

/// What the controller saw besides the workload's raw data.
#[derive(Default)]
pub struct Extras {
    pub command: String,
    pub targets: Vec<String>,
    pub event: String,
    pub sources: u32,
    pub planned: u64,
    /// Server readings: before, after, every second, and the idle window.
    pub server: Option<(ServerSample, ServerSample, Vec<ServerSample>)>,
    pub server_idle: Option<(ServerSample, ServerSample)>,
    /// Redis commandstats before and after, and around the idle window.
    pub redis: Option<(CommandStats, CommandStats)>,
    pub redis_idle: Option<(CommandStats, CommandStats, f64)>,
    /// Availability before and after (`flow`).
    pub availability: Option<(Value, Value)>,
    pub attack: Option<attack::AttackExtras>,
    /// What the controller saw of an `onsale` run's draw.
    pub onsale: Option<onsale::OnsaleExtras>,
}

pub fn compute(raw: &Raw, x: Extras) -> Report {
    let duration_s = (raw.ended_ms.saturating_sub(raw.started_ms)) as f64 / 1_000.0;
    let mut problems = Vec::new();
    let latency = raw
        .hists
        .iter()
        .filter(|(_, h)| !h.is_empty())
        .map(|(k, h)| (k.clone(), h.summary()))
        .collect();
    let requests: u64 = raw.series.values().map(|b| b.requests).sum();
    let admitted: u64 = raw.series.values().map(|b| b.admitted).sum();
    let per_s = |n: u64, s: f64| if s > 0.0 { round3(n as f64 / s) } else { 0.0 };
    let joins_per_s = raw
        .join_span_us
        .map(|(a, b)| per_s(raw.counter("join.202"), b.saturating_sub(a) as f64 / 1e6))
        .unwrap_or(0.0);
    let waiters = (!raw.waiters.is_empty()).then(|| waiter_figures(&raw.waiters));
    if let Some(w) = &waiters {
        if w.position_increases > 0 {
            problems.push(format!(
                "{} waiters were told a higher position than before ({} increases, {} of them \
                 from the join's answer to the first status; largest +{})",
                w.waiters_with_increases,
                w.position_increases,
                w.increases_after_join,
                w.largest_increase
            ));
        }
        if let Some(f) = &w.fairness
            && f.overtaken > 0
        {
            problems.push(format!(
                "{} waiters were admitted after someone who joined after them",
                f.overtaken
            ));
        }
    }
    // Under injected faults, every waiter must keep its place.
    let lost = raw.counter("waiters.expired") + raw.counter("waiters.closed");
    if raw.counter("faults.injected") > 0 && lost > 0 {
        problems.push(format!(
            "{lost} waiters lost their place (expired or closed) while {} faults were injected",
            raw.counter("faults.injected")
        ));
    }
    let onsale = raw
        .onsale
        .as_ref()
        .map(|setup| onsale::figures(raw, setup, x.onsale.as_ref()));
    if let Some(o) = &onsale {
        problems.extend(onsale::problems(o));
    }
    // Per-waiter figures only where waiters wait (not for a join storm or purchases).
    let held = match raw.scenario.as_str() {
        "waiters" | "poll" => waiters.as_ref().map_or(0, |w| w.joined),
        "onsale" => onsale.as_ref().map_or(0, |o| o.joined),
        _ => 0,
    };
    let server = x.server.map(|(before, after, samples)| {
        server_figures(before, after, &samples, x.server_idle, held, duration_s)
    });
    let redis = x.redis.map(|(before, after)| {
        let d = commands_between(&before, &after);
        let commands: u64 = d.values().sum();
        let mut top: Vec<(String, u64)> = d.into_iter().collect();
        top.sort_by_key(|t| std::cmp::Reverse(t.1));
        top.truncate(8);
        let idle = x.redis_idle.map(|(b, a, seconds)| {
            let commands: u64 = commands_between(&b, &a).values().sum();
            RedisWindow {
                seconds: round3(seconds),
                commands,
                per_second: per_s(commands, seconds),
                per_waiter_per_second: per_waiter(commands, seconds, held),
            }
        });
        RedisFigures {
            commands,
            per_second: per_s(commands, duration_s),
            per_waiter_per_second: per_waiter(commands, duration_s, held),
            top,
            idle,
        }
    });
    let oversell = x
        .availability
        .map(|(before, after)| oversell_check(&before, &after, &raw.reservations));
    if let Some(o) = &oversell
        && !o.ok
    {
        problems.push(format!("oversell check failed: {}", o.findings.join("; ")));
    }
    Report {
        scenario: raw.scenario.clone(),
        command: x.command,
        targets: x.targets,
        event: x.event,
        started_unix_ms: raw.started_ms,
        duration_s: round3(duration_s),
        processes: raw.processes,
        sources_per_process: x.sources,
        fd_limit: raw.fd_limit,
        planned: x.planned,
        counters: raw.counters.clone(),
        latency,
        rates: Rates {
            joins_per_s,
            requests_per_s: per_s(requests, duration_s),
            admissions_per_s: per_s(admitted, duration_s),
        },
        waiters,
        server,
        redis,
        oversell,
        attack: x.attack.map(|a| attack::figures(raw, a)),
        onsale,
        client: ClientFigures {
            cpu_seconds: round3(raw.client_cpu_secs),
            max_rss_bytes: raw.client_max_rss_bytes,
        },
        series: series(raw),
        server_series: Vec::new(),
        problems,
    }
}

fn per_waiter(commands: u64, seconds: f64, waiters: u64) -> Option<f64> {
    (seconds > 0.0 && waiters > 0).then(|| {
        let v = commands as f64 / seconds / waiters as f64;
        (v * 1e5).round() / 1e5
    })
}

fn series(raw: &Raw) -> Vec<Point> {
    let Some(&first) = raw.series.keys().next() else {
        return Vec::new();
    };
    let (mut joins, mut admitted) = (0, 0);
    raw.series
        .iter()
        .map(|(&sec, b)| {
            joins += b.joins;
            admitted += b.admitted;
            Point {
                t: sec - first,
                p50_ms: round3(b.latency.quantile_ms(0.5)),
                p99_ms: round3(b.latency.quantile_ms(0.99)),
                samples: b.latency.len(),
                open: b.open,
                joins_total: joins,
                admitted_total: admitted,
                requests: b.requests,
                errors: b.errors,
            }
        })
        .collect()
}

pub fn waiter_figures(samples: &[WaiterSample]) -> WaiterFigures {
    let admitted: Vec<&WaiterSample> = samples
        .iter()
        .filter(|s| s.admitted_at_ms.is_some() && !s.left)
        .collect();
    WaiterFigures {
        joined: samples.len() as u64,
        admitted: admitted.len() as u64,
        left: samples.iter().filter(|s| s.left).count() as u64,
        position_increases: samples
            .iter()
            .map(|s| u64::from(s.position_increases))
            .sum(),
        waiters_with_increases: samples.iter().filter(|s| s.position_increases > 0).count() as u64,
        increases_after_join: samples
            .iter()
            .map(|s| u64::from(s.above_join_position))
            .sum(),
        largest_increase: samples
            .iter()
            .map(|s| s.largest_increase)
            .max()
            .unwrap_or(0),
        mean_position_pushes: round3(
            samples.iter().map(|s| f64::from(s.pushes)).sum::<f64>() / samples.len().max(1) as f64,
        ),
        fairness: fairness(&admitted),
        eta: eta_accuracy(&admitted),
    }
}

/// Join order is the midpoint of each join request (the server ordered it somewhere between
/// send and answer); admission order is `admitted_at`, then join order within one step.
pub fn fairness(admitted: &[&WaiterSample]) -> Option<Fairness> {
    let n = admitted.len();
    if n < 2 {
        return None;
    }
    let mid = |s: &WaiterSample| (s.join_start_us + s.join_done_us) / 2;
    let mut by_join: Vec<usize> = (0..n).collect();
    by_join.sort_by_key(|&k| (mid(admitted[k]), admitted[k].index));
    let mut join_rank = vec![0usize; n];
    for (r, &k) in by_join.iter().enumerate() {
        join_rank[k] = r;
    }
    let mut by_admit: Vec<usize> = (0..n).collect();
    by_admit.sort_by_key(|&k| (admitted[k].admitted_at_ms, join_rank[k]));
    let d2: f64 = by_admit
        .iter()
        .enumerate()
        .map(|(r, &k)| {
            let d = r as f64 - join_rank[k] as f64;
            d * d
        })
        .sum();
    let nf = n as f64;
    let spearman = 1.0 - 6.0 * d2 / (nf * (nf * nf - 1.0));
    // Overtaken: someone whose join started after mine was answered got in in an earlier step.
    let mut by_start: Vec<&WaiterSample> = admitted.to_vec();
    by_start.sort_by_key(|s| s.join_start_us);
    let mut suffix_min = vec![u64::MAX; n + 1];
    for k in (0..n).rev() {
        suffix_min[k] = suffix_min[k + 1].min(by_start[k].admitted_at_ms.unwrap_or(u64::MAX));
    }
    let overtaken = admitted
        .iter()
        .filter(|s| {
            let later = by_start.partition_point(|o| o.join_start_us <= s.join_done_us);
            suffix_min[later] < s.admitted_at_ms.unwrap_or(0)
        })
        .count() as u64;
    Some(Fairness {
        spearman: (spearman * 1e6).round() / 1e6,
        admitted: n as u64,
        overtaken,
    })
}

pub fn eta_accuracy(admitted: &[&WaiterSample]) -> Option<EtaAccuracy> {
    // (position, error, actual wait ms)
    let mut errs: Vec<(u64, f64, u64)> = admitted
        .iter()
        .filter_map(|s| {
            let (at, eta, pos) = s.eta_ref?;
            let admitted = s.admitted_at_ms?;
            let predicted = at + eta * 1_000;
            let actual = admitted.saturating_sub(at);
            let err = admitted.abs_diff(predicted) as f64 / actual.max(1_000) as f64;
            Some((pos, err.min(1.0), actual))
        })
        .collect();
    if errs.is_empty() {
        return None;
    }
    let acc =
        |e: &[(u64, f64, u64)]| round3(1.0 - e.iter().map(|x| x.1).sum::<f64>() / e.len() as f64);
    errs.sort_by_key(|e| e.0);
    let n = errs.len();
    let deciles = if n >= 10 {
        (0..10)
            .map(|d| {
                let part = &errs[d * n / 10..(d + 1) * n / 10];
                Decile {
                    positions: [part[0].0, part[part.len() - 1].0],
                    samples: part.len() as u64,
                    accuracy: acc(part),
                    mean_wait_s: round3(
                        part.iter().map(|x| x.2 as f64).sum::<f64>() / part.len() as f64 / 1e3,
                    ),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(EtaAccuracy {
        accuracy: acc(&errs),
        samples: n as u64,
        deciles,
    })
}

fn server_figures(
    before: ServerSample,
    after: ServerSample,
    samples: &[ServerSample],
    idle: Option<(ServerSample, ServerSample)>,
    waiters: u64,
    duration_s: f64,
) -> ServerFigures {
    let peak = samples
        .iter()
        .chain([&before, &after])
        .max_by_key(|s| (s.ws_connections, s.rss_bytes))
        .copied()
        .unwrap_or(after);
    let per_conn = |base: &ServerSample, at: &ServerSample| {
        let conns = at.ws_connections.saturating_sub(base.ws_connections);
        (conns > 0).then(|| round3((at.rss_bytes as f64 - base.rss_bytes as f64) / conns as f64))
    };
    let per_10k_min = |cpu: f64, secs: f64| {
        (secs > 0.0 && waiters > 0)
            .then(|| round3(cpu / (waiters as f64 / 10_000.0) / (secs / 60.0)))
    };
    let cpu_seconds = round3(after.cpu_seconds - before.cpu_seconds);
    ServerFigures {
        rss_per_connection_bytes: per_conn(&before, &peak),
        cpu_seconds,
        cpu_per_10k_waiters_per_min: per_10k_min(cpu_seconds, duration_s),
        idle: idle.map(|(a, b)| {
            let seconds = b.at_ms.saturating_sub(a.at_ms) as f64 / 1e3;
            let cpu = round3(b.cpu_seconds - a.cpu_seconds);
            IdleServer {
                seconds: round3(seconds),
                ws_connections: b.ws_connections,
                rss_per_connection_bytes: per_conn(&before, &b),
                cpu_seconds: cpu,
                cpu_per_10k_waiters_per_min: per_10k_min(cpu, seconds),
            }
        }),
        before,
        peak,
        after,
    }
}

/// No seat sold twice, sold seats match confirmed reservations, counts add up.
pub fn oversell_check(before: &Value, after: &Value, res: &[ReservationSample]) -> OversellCheck {
    let n = |v: &Value, k: &str| v[k].as_u64().unwrap_or(0);
    let confirmed: Vec<&ReservationSample> =
        res.iter().filter(|r| r.status == "CONFIRMED").collect();
    let mut owners: HashMap<&str, u32> = HashMap::new();
    for r in &confirmed {
        for s in &r.seat_ids {
            *owners.entry(s.as_str()).or_default() += 1;
        }
    }
    let mut double_sold: Vec<String> = owners
        .iter()
        .filter(|(_, c)| **c > 1)
        .map(|(s, _)| (*s).to_owned())
        .collect();
    double_sold.sort();
    let confirmed_seats: u64 = confirmed.iter().map(|r| r.seat_ids.len() as u64).sum();
    let (total, sold_before) = (n(after, "total"), n(before, "sold"));
    let (sold_after, held_after, remaining) =
        (n(after, "sold"), n(after, "held"), n(after, "remaining"));
    let mut findings = Vec::new();
    if !double_sold.is_empty() {
        findings.push(format!(
            "{} seats in two confirmed reservations",
            double_sold.len()
        ));
    }
    if sold_after > total {
        findings.push(format!("sold {sold_after} of {total} seats"));
    }
    if remaining + held_after + sold_after != total {
        findings.push(format!(
            "remaining {remaining} + held {held_after} + sold {sold_after} != total {total}"
        ));
    }
    if sold_after.saturating_sub(sold_before) != confirmed_seats {
        findings.push(format!(
            "sold went from {sold_before} to {sold_after}, but confirmed reservations hold \
             {confirmed_seats} seats (other buyers on the event would explain this)"
        ));
    }
    OversellCheck {
        ok: findings.is_empty(),
        total_seats: total,
        sold_before,
        sold_after,
        held_after,
        confirmed_reservations: confirmed.len() as u64,
        confirmed_seats,
        double_sold,
        findings,
    }
}
