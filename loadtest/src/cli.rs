//! The command line. Options shared by every scenario are global (they may stand before or
//! after the scenario name); each scenario has its own counts and rates.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;

/// The development HS256 secret of usher's user tokens (`JWT_SECRET`'s default), used by
/// `flow` to mint buyer tokens unless `--jwt-secret` says otherwise.
pub const DEV_JWT_SECRET: &str = "change-me-in-production";

/// Largest number of waiters, joins or buyers one run may ask for.
pub const MAX_COUNT: u64 = 1_000_000;
/// Most child processes `--procs` may start.
pub const MAX_PROCS: u32 = 64;
/// Longest run `--max-duration` allows, in seconds.
pub const MAX_DURATION_SECS: u64 = 3_600;

#[derive(Parser, Debug, Clone)]
#[command(
    name = "usher-load",
    version,
    about = "Load generator for usher: WebSocket waiters, join storms, REST polling, purchase flows, attacks and scheduled sales",
    long_about = "Load generator for usher: WebSocket waiters, join storms, REST polling, \
purchase flows, attacks and scheduled sales with a random start, against one hot event.\n\n\
Only loopback targets (127.0.0.0/8, ::1, localhost) are accepted unless --allow-remote is \
given. Every run is bounded by its counts and by --max-duration, and stops by itself. \
Connections are spread over several loopback source addresses (--sources) to pass the \
ephemeral-port limit, the soft file-descriptor limit is raised to the hard limit, and \
--procs N runs N copies of this program (--shard i/N) whose reports are merged.\n\n\
usher's per-client rate limit (50/s per IP by default) would refuse most of a load test: run \
the server with RATE_LIMIT_ENABLED=false (but for `attack`, which measures the defaults). \
Refusals are counted apart from errors.\n\n\
Exit status: 0 when the run completed, 1 on a usage or setup error, 2 when the run found a \
correctness problem (a position that went up, a waiter admitted out of join order, an \
oversold seat, a draw that is not uniform or not followed).",
    after_help = "Examples:\n  \
usher-load waiters --waiters 5000 --ramp-rate 1000 --admit-rate 100 --admin-token $USHER_ADMIN_TOKEN\n  \
usher-load join-storm --joins 20000 --concurrency 256\n  \
usher-load poll --waiters 5000 --ramp-rate 1000 --redis-url redis://127.0.0.1:6380\n  \
usher-load flow --buyers 200 --admit-rate 50 --admin-token $USHER_ADMIN_TOKEN\n  \
usher-load attack --kind idle --server-pid $(pidof usher) --admin-token $USHER_ADMIN_TOKEN\n  \
usher-load onsale -n 2000 --window-secs 10 --admit-rate 500 --admin-token $USHER_ADMIN_TOKEN"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub scenario: Scenario,
}

/// Options of every scenario.
#[derive(Args, Debug, Clone, Serialize)]
pub struct Common {
    /// Base URL of usher; several (comma-separated or repeated) for replicas: waiters are spread
    /// over them round-robin, and their /metrics are summed.
    #[arg(
        long,
        global = true,
        value_delimiter = ',',
        default_value = "http://127.0.0.1:8000"
    )]
    pub target: Vec<String>,

    /// Accept targets (and a Redis URL) outside the loopback range. Never point a load test at
    /// a machine you do not own.
    #[arg(long, global = true)]
    pub allow_remote: bool,

    /// Loopback source addresses per process (127.0.0.1, 127.0.0.2, ...). Each gives about
    /// 28,000 ephemeral ports towards one server port.
    #[arg(long, global = true, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=250))]
    pub sources: u32,

    /// Run the workload in N child processes (this program with --shard i/N), each holding
    /// its share of the connections, and merge their reports. One process holds at most about
    /// the file-descriptor limit (20,000 here) of sockets.
    #[arg(long, global = true, default_value_t = 1)]
    pub procs: u32,

    /// Run only shard i of N (0-based): waiters whose index is i modulo N, with source
    /// addresses apart from other shards. Writes the raw, mergeable report to --json and does
    /// not configure the event or read the server's metrics (the --procs parent does).
    #[arg(long, global = true, value_name = "i/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,

    /// Stop after this many seconds whatever is left (waiters still queued count as
    /// unfinished).
    #[arg(long, global = true, default_value_t = 300)]
    pub max_duration: u64,

    /// Event to load. Default: a fresh `load-<scenario>-<time>` event, or evt_2025_1001 (the
    /// embedded inventory's example event) for `flow`.
    #[arg(long, global = true)]
    pub event: Option<String>,

    /// usher's admin token: needed to set the event's admission rate (--admit-rate,
    /// --admit-burst) or to pause it (--paused-hold), and by `onsale` (which schedules the
    /// sale).
    #[arg(long, global = true, env = "USHER_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// Bearer token sent with every /metrics request, for a server that protects its metrics.
    #[arg(long, global = true, hide_env_values = true)]
    #[serde(skip)]
    pub metrics_token: Option<String>,

    /// Redis behind usher (redis://host:port): commands are counted from INFO commandstats
    /// before and after, and reported per second and per waiter per second.
    #[arg(long, global = true)]
    pub redis_url: Option<String>,

    /// Process ids of the usher nodes (comma-separated): CPU and RSS are then read from
    /// /proc/<pid> (10 ms CPU resolution) instead of /metrics (whole CPU seconds).
    #[arg(long, global = true, value_delimiter = ',')]
    pub server_pid: Vec<u32>,

    /// Write the report as JSON to this file (with --shard: the raw, mergeable report).
    #[arg(long, global = true)]
    pub json: Option<PathBuf>,

    /// Write an SVG chart (latency over time, connections, admissions) to this file.
    #[arg(long, global = true)]
    pub svg: Option<PathBuf>,

    /// Most HTTP requests in flight per process (joins, status polls, purchase calls).
    #[arg(long, global = true, default_value_t = 64)]
    pub http_concurrency: usize,

    /// Print nothing but errors.
    #[arg(long, global = true)]
    pub quiet: bool,

    /// Wall-clock start of the ramp (ms since the epoch), so that shards share one ramp.
    #[arg(long, global = true, hide = true)]
    pub epoch_ms: Option<u64>,
}

/// One shard of a multi-process run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

fn parse_shard(raw: &str) -> Result<Shard, String> {
    let (i, n) = raw.split_once('/').ok_or("expected i/N, e.g. 0/4")?;
    let index: u32 = i.trim().parse().map_err(|_| "i is not a number")?;
    let count: u32 = n.trim().parse().map_err(|_| "N is not a number")?;
    if count == 0 || count > MAX_PROCS || index >= count {
        return Err(format!("need 0 <= i < N <= {MAX_PROCS}"));
    }
    Ok(Shard { index, count })
}

#[derive(Subcommand, Debug, Clone)]
pub enum Scenario {
    /// N WebSocket waiters on one hot event: each joins over REST (ramped at --ramp-rate),
    /// holds its socket (answering pings) until `ready`, then closes. Measures time to
    /// snapshot, push latency (receipt - server_time), position monotonicity, time to ready,
    /// fairness (Spearman rank correlation of join order and admission order; 1.0 is FIFO),
    /// ETA accuracy (1 - mean absolute percentage error of the ETA first given while admitting,
    /// per position decile), and with the server's /metrics, RSS per connection and CPU.
    Waiters(WaitersArgs),
    /// Joins as fast as the server takes them (or at --rate): join rate and latency
    /// percentiles; refusals (429, 503) are counted apart from errors.
    JoinStorm(JoinStormArgs),
    /// The seed's design for comparison: the same N waiters without sockets, each calling REST
    /// status every --poll-interval-ms until admitted. Reports requests/s and, with
    /// --redis-url, Redis commands/s and per waiter per second.
    Poll(PollArgs),
    /// Full purchases: join, socket, ready, enter, hold seats (POST /reservations), pay
    /// (POST /payments/intent), wait for the confirmation push, read the reservation back.
    /// Checks for oversell from availability before and after and from every reservation.
    Flow(FlowArgs),
    /// An attack from a few loopback addresses while legitimate waiters queue from others:
    /// what the attackers sent and how the server answered, the legitimate users' join and
    /// push latency and failures, and the server's peak RSS and file descriptors.
    #[command(long_about = ATTACK_ABOUT, after_help = ATTACK_EXAMPLES)]
    Attack(AttackArgs),
    /// A scheduled sale with a random start: the event's pre-queue opens now, N entrants join
    /// over --window-secs (each holding a WebSocket), the sale starts --start-after-secs
    /// later, the draw ranks them, and they are admitted at --admit-rate. Checks the time to
    /// every entrant's drawn position, the draw's uniformity (chi-square of rank decile by
    /// arrival decile) and admission in drawn-rank order.
    #[command(long_about = ONSALE_ABOUT)]
    Onsale(OnsaleArgs),
    /// Merge raw shard reports (written with --shard and --json) into one report.
    Merge(MergeArgs),
}

const ATTACK_ABOUT: &str = "An attack from --attack-sources loopback addresses (127.0.2.1, \
127.0.2.2, ...) while --legit-waiters WebSocket waiters join one event from --legit-sources \
other addresses (127.0.0.1, 127.0.0.2, ...), both against usher with its default settings (the \
per-client rate limit on).\n\n\
The attack starts --attack-lead seconds before the legitimate ramp and lasts --attack-duration \
seconds; the waiters join over REST, hold their sockets and are admitted. With --admin-token the \
event is created first with --admit-rate admissions per second.\n\n\
Reported: the legitimate joins that succeeded and failed (any answer but 202 is a failure, 429 \
and 503 included), join p50 and p99, WebSockets that reached `ready` and those that failed \
(connection or upgrade refused, closed before `ready`), position-push p99; what the attack sent \
and how the server answered (statuses, close codes, connections accepted, closed or refused); \
the server's peak RSS and open file descriptors, sampled every 250 ms from /proc/<pid> with \
--server-pid, else from /metrics (process_resident_memory_bytes, process_open_fds; scrapes that \
fail under attack are counted).\n\n\
--kind none runs the legitimate load alone: the baseline each attack is compared with. With \
--baseline (the JSON report of such a run) and --rss-budget-mib the report says whether the \
targets hold: no legitimate join or WebSocket failed, join p99 within 3x the baseline's, peak \
RSS within the budget.\n\n\
Attacks that hold more sockets than this process's descriptor limit leaves beside the \
legitimate waiters run in a child process (this same program).\n\n\
Exit status as for every scenario: 0 when the run completed, missed targets included (they are \
reported); 2 when the legitimate waiters saw a correctness problem.";

const ATTACK_EXAMPLES: &str = "Examples (usher started with its defaults and USHER_ADMIN_TOKEN):\n  \
usher-load --server-pid $(pidof usher) --json none.json attack --kind none\n  \
usher-load --server-pid $(pidof usher) attack --kind idle --baseline none.json --rss-budget-mib 512";

const ONSALE_ABOUT: &str = "A scheduled sale with a random start (queueing_method \
random_at_start), measured from the entrants' side.\n\n\
The generator (the --procs parent) creates the event paused, with sale_starts_at = the ramp's \
start + --window-secs + --start-after-secs. The N entrants join evenly over the window (entrant \
i at i x window / N: its arrival index), each holding a WebSocket; a join before the start puts \
it in the pre-queue (position 0). At the start usher closes the entry list and makes the draw; \
once GET /api/v1/events/{id}/draw says `drawn` (and --admit-delay-ms later, so that the drawn \
positions are pushed first), the generator sets the admission rate (--admit-rate, \
--admit-burst) and resumes the event.\n\n\
Recorded per entrant: arrival index, join time, its first status with phase `waiting` (normally \
a `position` push: client receipt time, server_time, position, drawn_rank), its `ready` \
(receipt, server_time, admitted_at). Reported: (1) time from sale_starts_at to each entrant's \
first drawn position, by client receipt (p50, p99, max; an entrant admitted before its \
position push counts its `ready`, which carries the rank) and how many were never told; (2) the \
draw's uniformity: Pearson's chi-square over the 10 x 10 table of drawn-rank decile by \
arrival decile (81 degrees of freedom, about N/100 expected per cell), its p-value by the \
Wilson-Hilferty normal approximation, pass at p >= 0.001; (3) admission in drawn-rank order: \
pairs of entrants whose `ready` server_time runs against their ranks by more than \
--ready-tolerance-ms (the admission tick), and pairs whose admission steps (admitted_at, one \
per atomic step) run against their ranks, both must be 0; and how many of those who joined \
were admitted. The run ends when everyone is admitted or at --max-duration.\n\n\
Exit status 2 when a check fails: the draw not uniform (p < 0.001), an order inversion, a \
drawn rank given twice or changed, a position that went up after the draw, or an entrant \
never told its rank.";

/// What an `attack` run does besides the legitimate load.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttackKind {
    /// No attack: the legitimate load alone, the baseline.
    None,
    /// Joins of fresh, never-seen event ids, from every attacker address at --attack-rate per
    /// second after a burst of --attack-burst (the default per-client limit).
    Events,
    /// As many idle TCP connections as it can hold (up to --attack-conns, default 19,995),
    /// sending nothing; counts how many the server closed and after how long.
    Idle,
    /// Up to --attack-conns (default 2,000) connections each sending a request head one byte
    /// every --slowloris-interval-ms, plus --huge-headers connections sending an unterminated
    /// header of --huge-header-bytes; counts closes and answers.
    Slowloris,
    /// Malformed requests at --attack-rate per address: a 20 KB header, a 16 KB URI, a bad
    /// request line, a wrong method, bad JSON, a body over the limit; counts statuses and
    /// whether the body is usher's JSON error envelope.
    Headers,
    /// Logins of unknown users (POST /api/v1/auth/login), --attack-concurrency in flight;
    /// counts statuses (429, 503, 401, ...).
    Logins,
    /// As many WebSockets as it can hold (up to --attack-conns, default 5,015), each with a
    /// valid waiting token from a join of the legitimate event (a bogus one when the join is
    /// refused); counts upgrades accepted and refused, and close codes.
    WsFlood,
    /// WebSocket upgrades with bogus tokens, --attack-concurrency in flight; counts upgrade
    /// statuses and close codes.
    WsBogus,
}

impl AttackKind {
    pub fn name(self) -> &'static str {
        match self {
            AttackKind::None => "none",
            AttackKind::Events => "events",
            AttackKind::Idle => "idle",
            AttackKind::Slowloris => "slowloris",
            AttackKind::Headers => "headers",
            AttackKind::Logins => "logins",
            AttackKind::WsFlood => "ws-flood",
            AttackKind::WsBogus => "ws-bogus",
        }
    }

    /// Connections the attack holds by default (`--attack-conns`), for the kinds that hold
    /// them.
    pub fn default_conns(self) -> Option<u64> {
        match self {
            AttackKind::Idle => Some(19_995),
            AttackKind::Slowloris => Some(2_000),
            AttackKind::WsFlood => Some(5_015),
            _ => None,
        }
    }
}

/// Which part of an attack run one process does (a child runs the attacker alone when both do
/// not fit in one process's descriptors).
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AttackPart {
    Both,
    Legit,
    Attacker,
}

#[derive(Args, Debug, Clone, Serialize)]
#[command(next_help_heading = "Attack")]
pub struct AttackArgs {
    /// The attack (see the list below).
    #[arg(long, value_enum)]
    pub kind: AttackKind,

    /// Legitimate WebSocket waiters.
    #[arg(long, default_value_t = 2_000)]
    pub legit_waiters: u64,

    /// Legitimate joins per second while ramping up.
    #[arg(long, default_value_t = 200.0)]
    pub legit_ramp_rate: f64,

    /// Loopback source addresses of the legitimate waiters (127.0.0.1 onwards), each well
    /// under the per-client rate limit.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=ATTACK_FIRST_SOURCE as i64))]
    pub legit_sources: u32,

    /// Admissions per second of the legitimate event, set when it is created (needs
    /// --admin-token). Slower than the ramp, so that most waiters hold their sockets while
    /// the attack runs.
    #[arg(long, default_value_t = 40.0)]
    pub admit_rate: f64,

    /// Admission burst (token-bucket capacity) of the legitimate event. Default: one second's
    /// worth of --admit-rate.
    #[arg(long)]
    pub admit_burst: Option<u32>,

    /// Attacker source addresses (127.0.2.1 onwards, apart from the legitimate ones).
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=250))]
    pub attack_sources: u32,

    /// Seconds the attack lasts.
    #[arg(long, default_value_t = 20)]
    pub attack_duration: u64,

    /// Seconds the attack runs before the legitimate ramp starts.
    #[arg(long, default_value_t = 3)]
    pub attack_lead: u64,

    /// Requests per second per attacker address (events, headers, and ws-flood's joins).
    #[arg(long, default_value_t = 50.0)]
    pub attack_rate: f64,

    /// Requests each attacker address sends at once before keeping to --attack-rate.
    #[arg(long, default_value_t = 100)]
    pub attack_burst: u64,

    /// Most requests or upgrades in all (events, headers, logins, ws-bogus). Default: what
    /// --attack-rate allows over the attack (events, headers), 100,000 (logins, ws-bogus).
    #[arg(long)]
    pub attack_requests: Option<u64>,

    /// Requests or upgrades in flight at once (logins, ws-bogus, events, headers).
    #[arg(long, default_value_t = 250)]
    pub attack_concurrency: usize,

    /// Connections held (idle 19,995, slowloris 2,000, ws-flood 5,015).
    #[arg(long)]
    pub attack_conns: Option<u64>,

    /// Slowloris: milliseconds between two bytes of a connection's request head.
    #[arg(long, default_value_t = 10_000)]
    pub slowloris_interval_ms: u64,

    /// Slowloris: connections sending one unterminated huge header.
    #[arg(long, default_value_t = 16)]
    pub huge_headers: u64,

    /// Slowloris: size of that header, in bytes.
    #[arg(long, default_value_t = 400_000)]
    pub huge_header_bytes: usize,

    /// The JSON report of a `--kind none` run: the join p99 target is 3x its join p99.
    #[arg(long)]
    pub baseline: Option<PathBuf>,

    /// The server's RSS budget for this attack, in MiB: a target in the report.
    #[arg(long)]
    pub rss_budget_mib: Option<f64>,

    /// Which part this process runs (set for the child that runs the attacker alone).
    #[arg(long, value_enum, default_value = "both", hide = true)]
    pub part: AttackPart,
}

impl AttackArgs {
    /// The legitimate event's admission burst.
    pub fn admit_burst(&self) -> u32 {
        self.admit_burst
            .unwrap_or_else(|| self.admit_rate.ceil().max(1.0) as u32)
    }

    /// Connections the attack holds (0 for the kinds that hold none for long).
    pub fn conns(&self) -> u64 {
        match self.kind.default_conns() {
            Some(default) => self.attack_conns.unwrap_or(default),
            None => 0,
        }
    }

    /// Sockets the attacker may have open at once.
    pub fn attacker_sockets(&self) -> u64 {
        match self.kind {
            AttackKind::None => 0,
            AttackKind::Idle | AttackKind::WsFlood => self.conns(),
            AttackKind::Slowloris => self.conns() + self.huge_headers,
            _ => self.attack_concurrency as u64,
        }
    }
}

/// Index of the first attacker source address ([`crate::net::source_addr`]): 127.0.2.1, past
/// every legitimate one.
pub const ATTACK_FIRST_SOURCE: u32 = 2 * 254;

impl Scenario {
    pub fn name(&self) -> &'static str {
        match self {
            Scenario::Waiters(_) => "waiters",
            Scenario::JoinStorm(_) => "join-storm",
            Scenario::Poll(_) => "poll",
            Scenario::Flow(_) => "flow",
            Scenario::Attack(_) => "attack",
            Scenario::Onsale(_) => "onsale",
            Scenario::Merge(_) => "merge",
        }
    }
}

/// A queue of waiters on one event: how many, how fast they arrive, how fast they are let in.
#[derive(Args, Debug, Clone, Serialize)]
pub struct QueueArgs {
    /// Number of waiters (all processes together).
    #[arg(long, short = 'n', default_value_t = 1_000)]
    pub waiters: u64,

    /// Joins per second while ramping up (all processes together).
    #[arg(long, default_value_t = 500.0)]
    pub ramp_rate: f64,

    /// Set the event's admission rate (admissions per second) before the run; needs
    /// --admin-token. Default: the event's current setting.
    #[arg(long)]
    pub admit_rate: Option<f64>,

    /// Set the event's admission burst (token-bucket capacity); needs --admin-token.
    #[arg(long)]
    pub admit_burst: Option<u32>,

    /// Keep the event paused while the waiters arrive and for this many seconds after the
    /// last one joined (the idle window: RSS per connection, store commands and CPU of idle
    /// waiters), then resume it. Needs --admin-token. 0: the sale runs from the start.
    #[arg(long, default_value_t = 0)]
    pub paused_hold: u64,

    /// Call enter after `ready` (counting grants and refusals).
    #[arg(long)]
    pub enter: bool,
}

#[derive(Args, Debug, Clone, Serialize)]
pub struct WaitersArgs {
    #[command(flatten)]
    pub queue: QueueArgs,

    /// Share of waiters (0 to 1, spread evenly over join order) that leave midway: once their
    /// position has halved they send {"type":"leave"}.
    #[arg(long, default_value_t = 0.0)]
    pub leave_fraction: f64,

    /// Reconnects allowed per waiter after a close that asks for one (1011, 1012, 1013, 4001,
    /// 4008) or a dropped connection.
    #[arg(long, default_value_t = 3)]
    pub max_reconnects: u32,

    #[command(flatten)]
    pub faults: FaultArgs,
}

/// Faults injected while the waiters wait (none without `--fault-pids`).
#[derive(Args, Debug, Clone, Default, Serialize)]
pub struct FaultArgs {
    /// Processes to freeze at random while the waiters wait (SIGSTOP, then SIGCONT after
    /// --fault-secs): usher replicas (a replica cut off, its sockets open), redis-server (a
    /// store outage), `usher backends`. Pids, comma-separated; processes this user may signal.
    /// With faults, a waiter that loses its place is a correctness problem.
    #[arg(long, value_delimiter = ',')]
    pub fault_pids: Vec<i32>,

    /// Seconds between the end of one fault and the start of the next (one at a time).
    #[arg(long, default_value_t = 20)]
    pub fault_every_secs: u64,

    /// How long each fault lasts, in seconds.
    #[arg(long, default_value_t = 5)]
    pub fault_secs: u64,

    /// Seed of the choice of processes to freeze (the same seed, the same sequence).
    #[arg(long, default_value_t = 1)]
    pub fault_seed: u64,
}

#[derive(Args, Debug, Clone, Serialize)]
pub struct JoinStormArgs {
    /// Number of joins (all processes together).
    #[arg(long, default_value_t = 10_000)]
    pub joins: u64,

    /// Joins in flight at once per process.
    #[arg(long, default_value_t = 256)]
    pub concurrency: usize,

    /// Cap on joins per second (all processes together). Default: as fast as possible.
    #[arg(long)]
    pub rate: Option<f64>,
}

#[derive(Args, Debug, Clone, Serialize)]
pub struct PollArgs {
    #[command(flatten)]
    pub queue: QueueArgs,

    /// Interval between two status calls of one waiter, in milliseconds (the seed's 2 s).
    #[arg(long, default_value_t = 2_000)]
    pub poll_interval_ms: u64,
}

#[derive(Args, Debug, Clone, Serialize)]
pub struct FlowArgs {
    /// Number of buyers (all processes together).
    #[arg(long, default_value_t = 100)]
    pub buyers: u64,

    /// Buyers arriving per second.
    #[arg(long, default_value_t = 100.0)]
    pub ramp_rate: f64,

    /// Seats each buyer asks for (a quantity request: the inventory picks the seats).
    #[arg(long, default_value_t = 1)]
    pub quantity: u32,

    /// Payment simulator scenario: approve, fail, random, delay or timeout.
    #[arg(long, default_value = "approve")]
    pub payment_scenario: String,

    /// HS256 secret to mint buyer tokens with (usher's JWT_SECRET).
    #[arg(long, env = "JWT_SECRET", hide_env_values = true, default_value = DEV_JWT_SECRET)]
    #[serde(skip)]
    pub jwt_secret: String,

    /// Set the event's admission rate before the run; needs --admin-token.
    #[arg(long)]
    pub admit_rate: Option<f64>,

    /// Set the event's admission burst; needs --admin-token.
    #[arg(long)]
    pub admit_burst: Option<u32>,
}

#[derive(Args, Debug, Clone, Serialize)]
pub struct OnsaleArgs {
    /// Entrants (all processes together), joining the pre-queue evenly over --window-secs.
    #[arg(long = "entrants", short = 'n', default_value_t = 1_000)]
    pub entrants: u64,

    /// Seconds over which the entrants join (the pre-queue's window).
    #[arg(long, default_value_t = 10.0)]
    pub window_secs: f64,

    /// Seconds from the end of the window to sale_starts_at.
    #[arg(long, default_value_t = 5.0)]
    pub start_after_secs: f64,

    /// Admissions per second once the draw is made (the event's rate_per_sec).
    #[arg(long, default_value_t = 500.0)]
    pub admit_rate: f64,

    /// Admission burst (token-bucket capacity). Default: a tenth of a second's worth of
    /// --admit-rate, at least 1 (one admission step admits at most this many, so a burst
    /// under rate × USHER_TICK_MS caps the rate).
    #[arg(long)]
    pub admit_burst: Option<u32>,

    /// Milliseconds between the draw being made and admission opening. usher pushes the drawn
    /// positions over one push interval (USHER_PUSH_INTERVAL_MS, 1 s by default); an entrant
    /// admitted before its push learns its rank from `ready` instead (counted apart). 0 opens
    /// admission at once.
    #[arg(long, default_value_t = 2_000)]
    pub admit_delay_ms: u64,

    /// Two `ready` pushes count as delivered out of rank order only when the lower rank's
    /// server_time is later than the higher rank's by more than this (ms): the admission tick
    /// (USHER_TICK_MS, 100 by default) within which one step's pushes leave. Reported, not a
    /// failure: the admission order itself is checked on `admitted_at`.
    #[arg(long, default_value_t = 100)]
    pub ready_tolerance_ms: u64,

    /// Reconnects allowed per entrant after a close that asks for one or a dropped connection.
    #[arg(long, default_value_t = 3)]
    pub max_reconnects: u32,
}

impl OnsaleArgs {
    /// The admission burst.
    pub fn admit_burst(&self) -> u32 {
        self.admit_burst
            .unwrap_or_else(|| (self.admit_rate / 10.0).ceil().max(1.0) as u32)
    }

    /// Joins per second on the ramp.
    pub fn ramp_rate(&self) -> f64 {
        self.entrants as f64 / self.window_secs
    }

    /// The sale's start for a ramp starting at `epoch_ms`: every process derives the same one.
    pub fn sale_starts_at_ms(&self, epoch_ms: u64) -> u64 {
        epoch_ms + ((self.window_secs + self.start_after_secs) * 1_000.0).round() as u64
    }
}

#[derive(Args, Debug, Clone, Serialize)]
pub struct MergeArgs {
    /// Raw shard reports to merge.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}
