//! The controller: checks, event set-up, server readings around the run, the workload
//! in-process or in `--procs` child processes, merging and output.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use parking_lot::Mutex;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::cli::{
    AttackPart, Cli, Common, MAX_COUNT, MAX_DURATION_SECS, MAX_PROCS, Scenario, Shard,
};
use crate::net::{Net, Target, check_redis_url, own_usage, raise_fd_limit, resolve_targets};
use crate::probe::{self, ServerSample};
use crate::raw::{OnsaleSetup, Raw, Recorder};
use crate::report::attack::{self, AttackExtras};
use crate::report::onsale::OnsaleExtras;
use crate::report::{self, Extras, Report};
use crate::scenarios::{self, Ctx};
use crate::{now_ms, svg, text};

/// What a run produced: the report (none for a shard, which writes its raw data instead) and
/// the merged raw data.
pub struct Finished {
    pub report: Option<Report>,
    pub raw: Raw,
}

mod children;

/// Sockets a process keeps for itself besides its clients (HTTP pools, probes, stdio).
const FD_RESERVE: u64 = 512;

/// How often `attack` reads the server's memory and descriptors.
const PEAK_INTERVAL: Duration = Duration::from_millis(250);

/// Runs `cli` (parsed from `argv`, which `--procs` re-uses for its children).
pub async fn run(cli: Cli, argv: &[String]) -> anyhow::Result<Finished> {
    let c = &cli.common;
    check(&cli)?;
    if let Scenario::Merge(m) = &cli.scenario {
        let mut raw = Raw::default();
        for f in &m.files {
            raw.merge(read_raw(f)?);
        }
        let report = report::compute(
            &raw,
            Extras {
                command: argv.join(" "),
                targets: c.target.clone(),
                event: c.event.clone().unwrap_or_default(),
                sources: c.sources,
                ..Default::default()
            },
        );
        output(c, &report)?;
        return Ok(Finished {
            report: Some(report),
            raw,
        });
    }
    let targets = resolve_targets(&c.target, c.allow_remote).await?;
    if let Some(url) = &c.redis_url {
        check_redis_url(url, c.allow_remote).await?;
    }
    let fd_limit = raise_fd_limit();
    let procs = c.shard.map_or(c.procs, |s| s.count);
    let per_process = planned(&cli.scenario).div_ceil(u64::from(procs.max(1)));
    if fd_limit > 0 && holds_sockets(&cli.scenario) && per_process + FD_RESERVE > fd_limit {
        bail!(
            "{per_process} connections per process do not fit in the file-descriptor limit \
             ({fd_limit}): use --procs {}",
            (planned(&cli.scenario) / fd_limit.saturating_sub(FD_RESERVE).max(1)) + 1
        );
    }
    let event = c.event.clone().unwrap_or_else(|| match cli.scenario {
        Scenario::Flow(_) => "evt_2025_1001".to_owned(),
        _ => format!("load-{}-{}", cli.scenario.name(), now_ms()),
    });

    if let Some(shard) = c.shard {
        let epoch_ms = c.epoch_ms.unwrap_or_else(now_ms);
        let raw = workload(&cli, targets, shard, &event, epoch_ms, fd_limit).await?;
        let text = serde_json::to_string(&raw)?;
        match &c.json {
            Some(path) => {
                std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
            }
            None => println!("{text}"),
        }
        return Ok(Finished { report: None, raw });
    }
    control(&cli, argv, targets, event, fd_limit).await
}

/// Bounds and combinations that make no sense.
fn check(cli: &Cli) -> anyhow::Result<()> {
    let c = &cli.common;
    if c.procs == 0 || c.procs > MAX_PROCS {
        bail!("--procs must be 1 to {MAX_PROCS}");
    }
    if c.procs > 1 && c.shard.is_some() {
        bail!("--procs and --shard exclude each other");
    }
    if c.max_duration == 0 || c.max_duration > MAX_DURATION_SECS {
        bail!("--max-duration must be 1 to {MAX_DURATION_SECS} seconds");
    }
    let n = planned(&cli.scenario);
    if n > MAX_COUNT {
        bail!("at most {MAX_COUNT} clients per run");
    }
    let (rate, admit, paused) = match &cli.scenario {
        Scenario::Waiters(w) => {
            if !(0.0..=1.0).contains(&w.leave_fraction) {
                bail!("--leave-fraction must be between 0 and 1");
            }
            (
                Some(w.queue.ramp_rate),
                w.queue.admit_rate.is_some() || w.queue.admit_burst.is_some(),
                w.queue.paused_hold,
            )
        }
        Scenario::Poll(p) => (
            Some(p.queue.ramp_rate),
            p.queue.admit_rate.is_some() || p.queue.admit_burst.is_some(),
            p.queue.paused_hold,
        ),
        Scenario::Flow(f) => (
            Some(f.ramp_rate),
            f.admit_rate.is_some() || f.admit_burst.is_some(),
            0,
        ),
        Scenario::JoinStorm(j) => (j.rate, false, 0),
        Scenario::Attack(a) => {
            if c.procs > 1 {
                bail!("attack starts its own child process when it needs one: drop --procs");
            }
            if a.attack_duration == 0 || a.attack_lead + a.attack_duration >= c.max_duration {
                bail!("--attack-lead plus --attack-duration must be under --max-duration");
            }
            if ![a.attack_rate, a.admit_rate]
                .iter()
                .all(|r| *r > 0.0 && r.is_finite())
            {
                bail!("rates must be positive");
            }
            (Some(a.legit_ramp_rate), false, 0)
        }
        Scenario::Onsale(o) => {
            let secs = [o.window_secs, o.start_after_secs];
            if !(o.window_secs > 0.0 && secs.iter().all(|s| s.is_finite() && *s >= 0.0)) {
                bail!("--window-secs must be above 0 and --start-after-secs at least 0");
            }
            if o.window_secs + o.start_after_secs >= c.max_duration as f64 {
                bail!("--window-secs plus --start-after-secs must be under --max-duration");
            }
            if !(o.admit_rate > 0.0 && o.admit_rate <= 1_000_000.0) {
                bail!("--admit-rate must be above 0 and at most 1000000");
            }
            if o.admit_burst == Some(0) {
                bail!("--admit-burst must be at least 1");
            }
            if c.admin_token.is_none() && c.shard.is_none() {
                bail!("onsale schedules the sale: it needs --admin-token");
            }
            if o.entrants == 0 {
                bail!("onsale needs at least one entrant");
            }
            (Some(o.ramp_rate()), false, 0)
        }
        Scenario::Merge(_) => (None, false, 0),
    };
    if rate.is_some_and(|r| !(r > 0.0 && r.is_finite())) {
        bail!("rates must be positive");
    }
    if (admit || paused > 0) && c.admin_token.is_none() && c.shard.is_none() {
        bail!("--admit-rate, --admit-burst and --paused-hold need --admin-token");
    }
    if paused >= c.max_duration {
        bail!("--paused-hold must be shorter than --max-duration");
    }
    Ok(())
}

fn planned(s: &Scenario) -> u64 {
    match s {
        Scenario::Waiters(w) => w.queue.waiters,
        Scenario::Poll(p) => p.queue.waiters,
        Scenario::JoinStorm(j) => j.joins,
        Scenario::Flow(f) => f.buyers,
        Scenario::Attack(a) => a.legit_waiters,
        Scenario::Onsale(o) => o.entrants,
        Scenario::Merge(_) => 0,
    }
}

/// Whether every client holds a socket for the whole run.
fn holds_sockets(s: &Scenario) -> bool {
    match s {
        Scenario::Waiters(_) | Scenario::Flow(_) | Scenario::Onsale(_) => true,
        Scenario::Attack(a) => a.part != AttackPart::Attacker,
        _ => false,
    }
}

/// For an attack whose sockets do not fit in this process's descriptors beside the
/// legitimate waiters': the command line of this process's part, the legitimate one (the
/// attacker then runs in a child).
fn attacker_apart(cli: &Cli, fd_limit: u64) -> Option<Cli> {
    let Scenario::Attack(a) = &cli.scenario else {
        return None;
    };
    let needed = a.legit_waiters + a.attacker_sockets() + 2 * FD_RESERVE;
    if a.part != AttackPart::Both || fd_limit == 0 || needed <= fd_limit {
        return None;
    }
    let mut legit = cli.clone();
    if let Scenario::Attack(a) = &mut legit.scenario {
        a.part = AttackPart::Legit;
    }
    Some(legit)
}

/// This process's share of the clients; its raw measurements.
async fn workload(
    cli: &Cli,
    targets: Vec<Target>,
    shard: Shard,
    event: &str,
    epoch_ms: u64,
    fd_limit: u64,
) -> anyhow::Result<Raw> {
    let c = &cli.common;
    let concurrency = match &cli.scenario {
        Scenario::JoinStorm(j) => j.concurrency.max(c.http_concurrency),
        _ => c.http_concurrency,
    };
    // An attack's legitimate waiters have their own addresses (the attacker's come after
    // them), and their ramp starts once the attack has had its lead.
    let (first_source, sources, lead_ms) = match &cli.scenario {
        Scenario::Attack(a) => (0, a.legit_sources, a.attack_lead * 1_000),
        _ => (shard.index * c.sources, c.sources, 0),
    };
    let net = Net::new(targets, first_source, sources, concurrency)?;
    let rec = Recorder::new(cli.scenario.name());
    let ctx = Arc::new(Ctx {
        net,
        rec: rec.clone(),
        event: event.to_owned(),
        deadline: Instant::now() + Duration::from_secs(c.max_duration),
        epoch_us: (epoch_ms + lead_ms) * 1_000,
        shard,
    });
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (rec, done, deadline) = (rec.clone(), done.clone(), ctx.deadline);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            while !done.load(Ordering::Relaxed) && Instant::now() < deadline {
                tick.tick().await;
                rec.sample_open();
            }
        })
    };
    match cli.scenario.clone() {
        Scenario::Waiters(a) => scenarios::waiters::run(ctx.clone(), a).await,
        Scenario::JoinStorm(a) => scenarios::join_storm::run(ctx.clone(), a).await,
        Scenario::Poll(a) => scenarios::poll::run(ctx.clone(), a).await,
        Scenario::Flow(a) => scenarios::flow::run(ctx.clone(), a).await,
        Scenario::Attack(a) => scenarios::attack::run(ctx.clone(), a).await?,
        Scenario::Onsale(a) => scenarios::onsale::run(ctx.clone(), a).await,
        Scenario::Merge(_) => unreachable!("merge runs no workload"),
    }
    done.store(true, Ordering::Relaxed);
    sampler.abort();
    rec.sample_open();
    let (cpu, rss) = own_usage();
    Ok(rec.with_raw(|raw| {
        raw.processes = 1;
        raw.started_ms = epoch_ms;
        raw.ended_ms = now_ms();
        raw.client_cpu_secs = cpu;
        raw.client_max_rss_bytes = rss;
        raw.fd_limit = fd_limit;
        std::mem::take(raw)
    }))
}

/// The parent's part: everything around the workload.
async fn control(
    cli: &Cli,
    argv: &[String],
    targets: Vec<Target>,
    event: String,
    fd_limit: u64,
) -> anyhow::Result<Finished> {
    let c = &cli.common;
    let attack_run = match &cli.scenario {
        Scenario::Attack(a) => Some((a, baseline(a.baseline.as_deref())?)),
        _ => None,
    };
    let probe_http = probe::client(c.metrics_token.as_deref())?;
    let admin = Admin {
        http: probe_http.clone(),
        base: targets[0].base.clone(),
        token: c.admin_token.clone(),
        event: event.clone(),
    };
    let (admit_rate, admit_burst, paused_hold) = match &cli.scenario {
        Scenario::Waiters(w) => (w.queue.admit_rate, w.queue.admit_burst, w.queue.paused_hold),
        Scenario::Poll(p) => (p.queue.admit_rate, p.queue.admit_burst, p.queue.paused_hold),
        Scenario::Flow(f) => (f.admit_rate, f.admit_burst, 0),
        // The attack's legitimate event exists before anyone joins it.
        Scenario::Attack(a) => match c.admin_token {
            Some(_) => (Some(a.admit_rate), Some(a.admit_burst()), 0),
            None => (None, None, 0),
        },
        _ => (None, None, 0),
    };
    let procs = c.procs;
    let apart = attacker_apart(cli, fd_limit);
    // Children need a moment to start before the shared ramp does.
    let lead_ms = if procs > 1 || apart.is_some() {
        1_500
    } else {
        100
    };
    // A scheduled sale starts at a time derived from the ramp's start, so that start is fixed
    // now (with a second more for the readings below) and the sale scheduled on it, paused:
    // admission opens once the draw is made.
    let onsale = match &cli.scenario {
        Scenario::Onsale(o) => {
            let epoch_ms = now_ms() + lead_ms + 1_000;
            let setup = scenarios::onsale::setup(o, epoch_ms);
            admin
                .configure(json!({
                    "paused": true,
                    "sale_starts_at": setup.sale_starts_at_ms,
                    "queueing_method": "random_at_start",
                    "rate_per_sec": setup.admit_rate,
                    "burst": setup.admit_burst,
                }))
                .await?;
            Some((epoch_ms, setup))
        }
        _ => None,
    };
    if admit_rate.is_some() || admit_burst.is_some() || paused_hold > 0 {
        let mut cfg = json!({"paused": paused_hold > 0});
        if let Some(r) = admit_rate {
            cfg["rate_per_sec"] = json!(r);
        }
        if let Some(b) = admit_burst {
            cfg["burst"] = json!(b);
        }
        admin.configure(cfg).await?;
    }
    let availability = |base: String| {
        let http = probe_http.clone();
        let url = format!("{base}/api/v1/events/{event}/availability");
        async move {
            let resp = http.get(&url).send().await.context("availability")?;
            anyhow::ensure!(
                resp.status().is_success(),
                "availability: {}",
                resp.status()
            );
            Ok::<Value, anyhow::Error>(resp.json().await?)
        }
    };
    let is_flow = matches!(cli.scenario, Scenario::Flow(_));
    let avail_before = if is_flow {
        Some(availability(targets[0].base.clone()).await?)
    } else {
        None
    };
    let before = probe::sample(&probe_http, &targets, &c.server_pid).await;
    let redis_before = match &c.redis_url {
        Some(url) => Some(probe::redis_commandstats(url).await.context("redis INFO")?),
        None => None,
    };
    let joined_base = admin.joined_total().await.unwrap_or(0);

    // Server readings about once a second, until the run ends.
    let samples = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let limit = Instant::now() + Duration::from_secs(c.max_duration + 120);
    let sampler = {
        let (samples, stop, http, targets, pids) = (
            samples.clone(),
            stop.clone(),
            probe_http.clone(),
            targets.clone(),
            c.server_pid.clone(),
        );
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) && Instant::now() < limit {
                let s = probe::sample(&http, &targets, &pids).await;
                samples.lock().push(s);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    };

    // The attack's server readings, four a second.
    let peaks = attack_run.is_some().then(|| {
        probe::watch_peaks(
            probe_http.clone(),
            targets.clone(),
            c.server_pid.clone(),
            PEAK_INTERVAL,
            stop.clone(),
            limit,
        )
    });

    let epoch_ms = onsale
        .as_ref()
        .map_or_else(|| now_ms() + lead_ms, |(epoch, _)| *epoch);
    let ramp_end_ms = epoch_ms + ramp_ms(&cli.scenario);
    let work_done = AtomicBool::new(false);
    let work = async {
        let raw = if procs > 1 {
            children::shards(cli, argv, &event, epoch_ms).await
        } else if let Some(legit) = &apart {
            let shard = Shard { index: 0, count: 1 };
            let (legit, attacker) = tokio::join!(
                workload(legit, targets.clone(), shard, &event, epoch_ms, fd_limit),
                children::attacker(cli, argv, &event, epoch_ms)
            );
            let mut raw = legit?;
            raw.merge(attacker?);
            Ok(raw)
        } else {
            let shard = Shard { index: 0, count: 1 };
            workload(cli, targets.clone(), shard, &event, epoch_ms, fd_limit).await
        };
        work_done.store(true, Ordering::Relaxed);
        raw
    };
    let opener = async {
        let (_, setup) = onsale.as_ref()?;
        let deadline = Instant::now() + Duration::from_secs(c.max_duration);
        Some(open_after_draw(&admin, setup, deadline, &work_done).await)
    };
    let hold = async {
        if paused_hold == 0 {
            return Ok::<_, anyhow::Error>(None);
        }
        let expect = planned(&cli.scenario);
        let sockets = matches!(cli.scenario, Scenario::Waiters(_));
        settle(
            &admin,
            &probe_http,
            &targets,
            expect,
            joined_base,
            before,
            sockets,
            ramp_end_ms,
        )
        .await;
        let a = probe::sample(&probe_http, &targets, &c.server_pid).await;
        let ra = match &c.redis_url {
            Some(url) => Some(probe::redis_commandstats(url).await?),
            None => None,
        };
        tokio::time::sleep(Duration::from_secs(paused_hold)).await;
        let b = probe::sample(&probe_http, &targets, &c.server_pid).await;
        let rb = match &c.redis_url {
            Some(url) => Some(probe::redis_commandstats(url).await?),
            None => None,
        };
        admin.configure(json!({"paused": false})).await?;
        let secs = b.at_ms.saturating_sub(a.at_ms) as f64 / 1e3;
        Ok(Some(((a, b), ra.zip(rb).map(|(x, y)| (x, y, secs)))))
    };
    let (raw, idle, onsale_seen) = tokio::join!(work, hold, opener);
    let raw = raw?;
    let idle = idle?;
    let after = probe::sample(&probe_http, &targets, &c.server_pid).await;
    stop.store(true, Ordering::Relaxed);
    let _ = sampler.await;
    let peaks = match peaks {
        Some(p) => p.await.ok(),
        None => None,
    };
    let redis_after = match &c.redis_url {
        Some(url) => Some(probe::redis_commandstats(url).await?),
        None => None,
    };
    let avail_after = if is_flow {
        Some(availability(targets[0].base.clone()).await?)
    } else {
        None
    };
    let server_series: Vec<ServerSample> = std::mem::take(&mut *samples.lock());
    let (server_idle, redis_idle) = match idle {
        Some((s, r)) => (Some(s), r),
        None => (None, None),
    };
    let mut report = report::compute(
        &raw,
        Extras {
            command: argv.join(" "),
            targets: targets.iter().map(|t| t.base.clone()).collect(),
            event: event.clone(),
            sources: match &cli.scenario {
                Scenario::Attack(a) => a.legit_sources,
                _ => c.sources,
            },
            planned: planned(&cli.scenario),
            server: (before.answered > 0).then(|| (before, after, server_series.clone())),
            server_idle,
            redis: redis_before.zip(redis_after),
            redis_idle,
            availability: avail_before.zip(avail_after),
            attack: attack_run.map(|(a, baseline_join_p99_ms)| AttackExtras {
                kind: a.kind.name().to_owned(),
                attack_sources: a.attack_sources,
                attack_duration_s: a.attack_duration,
                legit_sources: a.legit_sources,
                legit_waiters: a.legit_waiters,
                peaks,
                baseline_join_p99_ms,
                rss_budget_mib: a.rss_budget_mib,
            }),
            onsale: onsale_seen,
        },
    );
    report.server_series = server_series;
    output(c, &report)?;
    Ok(Finished {
        report: Some(report),
        raw,
    })
}

/// An `onsale` run's controller from the sale's start: reads the public draw record until the
/// draw is made, then (after `--admit-delay-ms`) opens admission at the run's rate (the event
/// was created paused, so that nobody is admitted before every rank is known). Gives up at
/// `deadline`, or once the workload has ended.
async fn open_after_draw(
    admin: &Admin,
    setup: &OnsaleSetup,
    deadline: Instant,
    work_done: &AtomicBool,
) -> OnsaleExtras {
    let mut seen = OnsaleExtras::default();
    let start = setup.sale_starts_at_ms;
    let until_start = Duration::from_millis(start.saturating_sub(now_ms()));
    tokio::time::sleep_until((Instant::now() + until_start).min(deadline)).await;
    while Instant::now() < deadline && !work_done.load(Ordering::Relaxed) {
        if let Some(draw) = admin.draw().await {
            let drawn = draw["state"] == "drawn";
            seen.draw = Some(draw);
            if drawn {
                seen.drawn_seen_ms = Some(now_ms());
                break;
            }
        }
        tokio::time::sleep(DRAW_POLL).await;
    }
    if seen.drawn_seen_ms.is_none() {
        return seen;
    }
    let delay = Instant::now() + Duration::from_millis(setup.admit_delay_ms);
    while Instant::now() < delay.min(deadline) && !work_done.load(Ordering::Relaxed) {
        tokio::time::sleep(DRAW_POLL).await;
    }
    let open = json!({
        "paused": false,
        "rate_per_sec": setup.admit_rate,
        "burst": setup.admit_burst,
    });
    for attempt in 1..=OPEN_ATTEMPTS {
        match admin.configure(open.clone()).await {
            Ok(()) => {
                seen.admission_opened_ms = Some(now_ms());
                break;
            }
            Err(e) if attempt == OPEN_ATTEMPTS || Instant::now() >= deadline => {
                eprintln!("usher-load: opening admission after the draw: {e:#}");
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
    seen
}

/// How often the controller reads the draw record while waiting for the draw.
const DRAW_POLL: Duration = Duration::from_millis(20);

/// Tries at opening admission after the draw, a second apart.
const OPEN_ATTEMPTS: u32 = 5;

/// How long the ramp lasts, in ms.
fn ramp_ms(s: &Scenario) -> u64 {
    let (n, rate) = match s {
        Scenario::Waiters(w) => (w.queue.waiters, w.queue.ramp_rate),
        Scenario::Poll(p) => (p.queue.waiters, p.queue.ramp_rate),
        Scenario::Flow(f) => (f.buyers, f.ramp_rate),
        Scenario::Onsale(o) => (o.entrants, o.ramp_rate()),
        _ => return 0,
    };
    (n as f64 / rate * 1e3) as u64
}

/// Waits until the waiters have arrived: all joined (and, for sockets, all connected), or
/// nothing has changed for 3 s after the ramp, or 60 s after the ramp at most.
#[allow(clippy::too_many_arguments)]
async fn settle(
    admin: &Admin,
    http: &reqwest::Client,
    targets: &[Target],
    expect: u64,
    joined_base: u64,
    before: ServerSample,
    sockets: bool,
    ramp_end_ms: u64,
) {
    let (mut last, mut since) = (u64::MAX, now_ms());
    loop {
        let joined = admin
            .joined_total()
            .await
            .unwrap_or(0)
            .saturating_sub(joined_base);
        let held = if sockets {
            probe::sample(http, targets, &[])
                .await
                .ws_connections
                .saturating_sub(before.ws_connections)
        } else {
            joined
        };
        let now = now_ms();
        if held != last {
            (last, since) = (held, now);
        }
        let quiet = now > ramp_end_ms + 3_000 && now - since > 3_000;
        if (joined >= expect && held >= expect) || quiet || now > ramp_end_ms + 60_000 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The legitimate join p99 of the baseline report at `path`, if one is given.
fn baseline(path: Option<&Path>) -> anyhow::Result<Option<f64>> {
    let Some(path) = path else {
        return Ok(None);
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let report: Report = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a usher-load JSON report", path.display()))?;
    let p99 = attack::join_p99_ms(&report)
        .with_context(|| format!("{} has no join latency", path.display()))?;
    Ok(Some(p99))
}

pub(super) fn read_raw(path: &Path) -> anyhow::Result<Raw> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

fn output(c: &Common, report: &Report) -> anyhow::Result<()> {
    if let Some(path) = &c.json {
        write(path, &serde_json::to_string_pretty(report)?)?;
    }
    if let Some(path) = &c.svg {
        write(path, &svg::render(report))?;
    }
    if !c.quiet {
        print!("{}", text::render(report));
    }
    Ok(())
}

fn write(path: &PathBuf, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// The admin API of the first target.
struct Admin {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
    event: String,
}

impl Admin {
    async fn configure(&self, body: Value) -> anyhow::Result<()> {
        let token = self.token.as_deref().context("no admin token")?;
        let resp = self
            .http
            .put(format!("{}/api/v1/admin/events/{}", self.base, self.event))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .context("configuring the event")?;
        anyhow::ensure!(
            resp.status().is_success(),
            "configuring the event: {} {}",
            resp.status(),
            resp.text().await.unwrap_or_default()
        );
        Ok(())
    }

    /// The event's public draw record, if it answers.
    async fn draw(&self) -> Option<Value> {
        let resp = self
            .http
            .get(format!("{}/api/v1/events/{}/draw", self.base, self.event))
            .send()
            .await
            .ok()?;
        if !resp.status().is_success() {
            return None;
        }
        resp.json().await.ok()
    }

    /// The event's `joined_total`, if the admin API answers.
    async fn joined_total(&self) -> Option<u64> {
        let token = self.token.as_deref()?;
        let resp = self
            .http
            .get(format!(
                "{}/api/v1/admin/events/{}/stats",
                self.base, self.event
            ))
            .bearer_auth(token)
            .send()
            .await
            .ok()?;
        let v: Value = resp.json().await.ok()?;
        v["joined_total"].as_u64()
    }
}
