//! The Redis store: the storage contract on a standalone Redis or a Redis Cluster.
//!
//! Every atomic operation is one Lua script in `lua/` (prelude + body), run by EVALSHA. All
//! keys of an event carry the hash tag `{<event id>}`, so one event's keys share a cluster slot
//! and a script never crosses slots; events spread over the cluster's masters. Time comes from
//! the server (`TIME`). No request path uses KEYS or SCAN.
//!
//! Keys (E = event id, T = waiting token):
//! - `usher:{E}:meta|waiting|departed|deadlines|active|users|hist`: the event (see
//!   `lua/prelude.lua`); they live as long as the event's sale;
//! - `usher:{E}:w:T`: a waiter's record; expires `USHER_RETENTION_SECS` after it ends;
//! - `usher:t:T`: token → event, so a token alone finds its event; expires after 7 days;
//! - `usher:events`: the set of event ids (bounded by the number of events, which only
//!   operators and the inventory create);
//! - `usher:events:live`: the ticker's work list, events with someone waiting or active (a ZSET
//!   scored by the highest sequence number joined): a join adds its event, an admission step
//!   that leaves nobody waiting or active removes it unless a later join came in between;
//! - `usher:idem:<key>`: idempotency records, expiring with their TTL: a stored response, or for
//!   a join the place it took (`lua/join_claim.lua`), written by the join script itself on a
//!   standalone server and by a claim before and a record after the join on a cluster;
//! - `usher:user:<username>`: registered users (JSON); accounts do not expire;
//!   `usher:users:count`: how many there are;
//! - `usher:loginfail:<username>`: failed logins of an existing account in the current window,
//!   expiring with it;
//! - channel `usher:{E}:updates`: the event's sharded pub/sub channel.

mod conn;
mod scripts;
mod subscriber;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use redis::{AsyncCommands, RedisError, ScriptInvocation, Value};
use tokio::sync::{broadcast, mpsc, watch};
use tracing::{info, warn};

use super::*;
use crate::config::RedisSettings;
use conn::Pool;
use scripts::Scripts;
use subscriber::Subscriber;

/// How long the token → event index lives (longer than any wait).
const TOKEN_INDEX_TTL_MS: u64 = 7 * 24 * 3_600 * 1_000;
/// How often the store's health is checked.
const HEALTH_INTERVAL: Duration = Duration::from_secs(1);

/// Key names, in one place.
pub(crate) mod keys {
    use crate::domain::{EventId, WaitingToken};

    pub const EVENTS: &str = "usher:events";
    /// A random id written once: if it changes or vanishes, Redis lost its data.
    pub const GENERATION: &str = "usher:generation";
    /// The layout the data is in (see [`crate::store::LAYOUT`]).
    pub const LAYOUT: &str = "usher:layout";
    pub const LIVE: &str = "usher:events:live";
    /// Operators' actions, newest first.
    pub const AUDIT: &str = "usher:audit";

    /// The eight event keys in the order every event script expects them.
    pub fn event(event: &EventId) -> [String; 8] {
        [
            "meta",
            "waiting",
            "departed",
            "deadlines",
            "active",
            "users",
            "hist",
            "updates",
        ]
        .map(|k| {
            // On every script call: plain concatenation, no formatting machinery.
            let mut key = String::with_capacity(10 + event.as_str().len() + k.len());
            key.push_str("usher:{");
            key.push_str(event.as_str());
            key.push_str("}:");
            key.push_str(k);
            key
        })
    }

    /// An event's totals by the minute (lua/minute.lua).
    pub fn minutes(event: &EventId) -> String {
        format!("usher:{{{event}}}:minutes")
    }

    /// A random start's entry list (lua/prelude.lua).
    pub fn entries(event: &EventId) -> String {
        format!("usher:{{{event}}}:entries")
    }

    /// The chunk roots of a random start's entry list.
    pub fn chunks(event: &EventId) -> String {
        format!("usher:{{{event}}}:chunks")
    }

    pub fn waiter(event: &EventId, token: &WaitingToken) -> String {
        format!("usher:{{{event}}}:w:{token}")
    }

    pub fn channel(event: &EventId) -> String {
        format!("usher:{{{event}}}:updates")
    }

    pub fn token(token: &WaitingToken) -> String {
        format!("usher:t:{token}")
    }

    pub fn idempotency(key: &str) -> String {
        format!("usher:idem:{key}")
    }

    pub fn user(username: &str) -> String {
        format!("usher:user:{username}")
    }

    pub const USER_COUNT: &str = "usher:users:count";

    pub fn login_failures(username: &str) -> String {
        format!("usher:loginfail:{username}")
    }

    /// The event of an update channel name.
    pub fn event_of_channel(channel: &[u8]) -> Option<EventId> {
        let s = std::str::from_utf8(channel).ok()?;
        let inner = s.strip_prefix("usher:{")?.strip_suffix("}:updates")?;
        EventId::parse(inner).ok()
    }
}

/// A failed Redis call: a reply of the wrong type or shape is corrupt data (retrying will not
/// mend it); anything else (connection, timeout, server busy) may pass.
fn unavailable(e: RedisError) -> StoreError {
    match e.kind() {
        redis::ErrorKind::UnexpectedReturnType | redis::ErrorKind::Parse => {
            StoreError::Corrupt(e.to_string())
        }
        _ => StoreError::Unavailable(e.to_string()),
    }
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("unexpected reply from Redis: {what}"))
}

/// The reply of join.lua or claim.lua.
fn parse_join(r: &[Value]) -> StoreResult<JoinOutcome> {
    let int = |i: usize| match r.get(i) {
        Some(Value::Int(n)) => Some(*n),
        Some(Value::BulkString(b)) => std::str::from_utf8(b).ok()?.parse().ok(),
        _ => None,
    };
    let text = |i: usize| match r.get(i) {
        Some(Value::BulkString(b)) => String::from_utf8(b.clone()).ok(),
        _ => None,
    };
    Ok(match int(0) {
        Some(1) => JoinOutcome::Joined {
            seq: Seq(int(1).ok_or_else(|| corrupt("join"))? as u64),
            position: int(2).ok_or_else(|| corrupt("join"))? as u64,
            joined_at_ms: int(3).ok_or_else(|| corrupt("join"))? as u64,
        },
        Some(0) => JoinOutcome::QueueFull,
        Some(-1) => JoinOutcome::UserAlreadyQueued,
        Some(-4) => JoinOutcome::EventNotFound,
        Some(2) => JoinOutcome::Replay {
            token: text(1)
                .and_then(|t| WaitingToken::parse(&t).ok())
                .ok_or_else(|| corrupt("join replay"))?,
            position: int(2).ok_or_else(|| corrupt("join replay"))? as u64,
            memo: text(3).unwrap_or_default(),
        },
        Some(-2) => JoinOutcome::Conflict,
        Some(-3) => JoinOutcome::InFlight,
        Some(-5) => JoinOutcome::NotOpen {
            opens_at_ms: int(1).ok_or_else(|| corrupt("join"))? as u64,
        },
        Some(-6) => JoinOutcome::Ended,
        _ => return Err(corrupt("join")),
    })
}

pub struct RedisStore {
    pool: Pool,
    scripts: Scripts,
    subscriber: Arc<Subscriber>,
    retention_ms: u64,
    health: watch::Receiver<bool>,
}

impl RedisStore {
    /// Connects (command pool and subscriber) and starts the health monitor.
    pub async fn connect(settings: &RedisSettings, retention: Duration) -> StoreResult<Self> {
        let pool = conn::connect(settings).await.map_err(unavailable)?;
        let (tx, rx) = mpsc::unbounded_channel();
        let sub = conn::connect_subscriber(settings, tx)
            .await
            .map_err(unavailable)?;
        let subscriber = Arc::new(Subscriber::start(sub, rx));
        // Start on the store's clock, before serving anybody.
        align_clock(&pool).await.map_err(unavailable)?;
        let (health_tx, health) = watch::channel(true);
        tokio::spawn(monitor(
            pool.clone(),
            subscriber.clone(),
            health_tx,
            settings.read_timeout,
        ));
        info!(cluster = settings.cluster, addresses = ?settings.addresses(), "connected to Redis");
        Ok(Self {
            pool,
            scripts: Scripts::load(),
            subscriber,
            retention_ms: retention.as_millis() as u64,
            health,
        })
    }

    fn event_script<'a>(
        &'a self,
        script: &'a redis::Script,
        event: &EventId,
    ) -> ScriptInvocation<'a> {
        let mut inv = script.prepare_invoke();
        for key in keys::event(event) {
            inv.key(key);
        }
        inv
    }

    /// The event a token belongs to, from the token index.
    async fn event_of(&self, token: &WaitingToken) -> StoreResult<Option<EventId>> {
        let raw: Option<String> = self
            .pool
            .get()
            .get(keys::token(token))
            .await
            .map_err(unavailable)?;
        Ok(raw.and_then(|e| EventId::parse(&e).ok()))
    }

    /// Runs an event script bound to one token (KEYS[9] = its record).
    async fn token_script<T: redis::FromRedisValue>(
        &self,
        script: &redis::Script,
        event: &EventId,
        token: &WaitingToken,
        args: &[String],
    ) -> StoreResult<T> {
        let mut inv = self.event_script(script, event);
        inv.key(keys::waiter(event, token));
        for a in args {
            inv.arg(a);
        }
        inv.invoke_async(&mut self.pool.get())
            .await
            .map_err(unavailable)
    }
}

/// The store's generation: the id in [`keys::GENERATION`], written by whoever finds it missing
/// (the first node, or any node after Redis lost its data).
async fn generation(pool: &Pool) -> Result<String, RedisError> {
    let fresh = uuid::Uuid::new_v4().simple().to_string();
    let before: Option<String> = redis::cmd("SET")
        .arg(keys::GENERATION)
        .arg(&fresh)
        .arg("NX")
        .arg("GET")
        .query_async(&mut pool.get())
        .await?;
    Ok(before.unwrap_or(fresh))
}

/// Reads Redis's clock and aligns this node's to it (see [`crate::clock`]); says so when the
/// node's own clock is more than a second off.
async fn align_clock(pool: &Pool) -> Result<(), RedisError> {
    let sent = crate::clock::system_ms();
    let (secs, micros): (u64, u64) = redis::cmd("TIME").query_async(&mut pool.get()).await?;
    let received = crate::clock::system_ms();
    let before = crate::clock::store_offset_ms();
    let offset = crate::clock::align_to_store(secs * 1_000 + micros / 1_000, sent, received);
    if offset.abs() > 1_000 && (offset - before).abs() > 1_000 {
        warn!(
            offset_ms = offset,
            "this node's clock differs from Redis's: usher uses Redis's clock"
        );
    }
    Ok(())
}

/// Checks both connections every second and reads Redis's clock; on recovery, makes every
/// watcher resynchronise. It also watches the store's generation: when Redis lost its data (a restart without
/// persistence, a flush), every watcher resynchronises too, and finds that the places of its
/// sockets are gone.
async fn monitor(
    pool: Pool,
    subscriber: Arc<Subscriber>,
    health: watch::Sender<bool>,
    timeout: Duration,
) {
    let mut tick = tokio::time::interval(HEALTH_INTERVAL);
    let mut known: Option<String> = None;
    while !health.is_closed() {
        tick.tick().await;
        let _ = tokio::time::timeout(timeout, align_clock(&pool)).await;
        if let Ok(Ok(current)) = tokio::time::timeout(timeout, generation(&pool)).await {
            if known.as_ref().is_some_and(|k| *k != current) {
                warn!("Redis lost its data (its generation changed); resynchronising");
                subscriber.reset();
            }
            known = Some(current);
        }
        let ping = async {
            redis::cmd("PING")
                .query_async::<Value>(&mut pool.get())
                .await?;
            subscriber.ping().await
        };
        let ok = matches!(tokio::time::timeout(timeout, ping).await, Ok(Ok(())));
        let was = *health.borrow();
        if ok != was {
            if ok {
                info!("Redis reachable again; resynchronising");
                subscriber.reset();
            } else {
                warn!("Redis unreachable");
            }
            health.send_replace(ok);
        }
    }
}

fn fields(list: Vec<String>) -> HashMap<String, String> {
    let mut it = list.into_iter();
    let mut map = HashMap::new();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        map.insert(k, v);
    }
    map
}

fn field<T: std::str::FromStr>(map: &HashMap<String, String>, name: &str) -> Option<T> {
    map.get(name).and_then(|v| v.parse().ok())
}

fn parse_state(s: &str) -> StoreResult<WaiterState> {
    Ok(match s {
        "waiting" => WaiterState::Waiting,
        "admitted" => WaiterState::Admitted,
        "entered" => WaiterState::Entered,
        "expired" => WaiterState::Expired,
        "left" => WaiterState::Left,
        other => return Err(corrupt(other)),
    })
}

fn parse_record(
    token: WaitingToken,
    event: EventId,
    map: &HashMap<String, String>,
) -> StoreResult<WaiterRecord> {
    Ok(WaiterRecord {
        token,
        event,
        user: map
            .get("user")
            .and_then(|u| UserId::parse_optional(Some(u)).ok().flatten()),
        seq: Seq(field(map, "seq").ok_or_else(|| corrupt("record without seq"))?),
        state: parse_state(map.get("state").map_or("", String::as_str))?,
        joined_at_ms: field(map, "joined").unwrap_or(0),
        admitted_at_ms: field(map, "admitted"),
        entry_deadline_ms: field(map, "entry_deadline"),
    })
}

fn parse_config(map: &HashMap<String, String>) -> Option<EventConfig> {
    Some(EventConfig {
        rate_per_sec: field(map, "rate")?,
        burst: field(map, "burst")?,
        max_active: field(map, "max_active"),
        entry_window_secs: field(map, "window")?,
        paused: map.get("paused").is_some_and(|p| p == "1"),
        schedule: map
            .get("schedule")
            .and_then(|s| serde_json::from_str(s).ok()),
        pow_difficulty: field(map, "pow").unwrap_or(0),
        queue_all: map.get("queue_all").is_some_and(|q| q == "1"),
        announcement: map
            .get("announce")
            .and_then(|a| serde_json::from_str(a).ok()),
        hold: map
            .get("hold_reason")
            .filter(|r| !r.is_empty())
            .map(|reason| Hold {
                reason: reason.clone(),
                since_ms: field(map, "hold_since").unwrap_or(0),
                until_ms: field(map, "hold_until").unwrap_or(0),
            }),
    })
}

/// The meta fields of an event's settings, in the order scripts return them.
const CONFIG_FIELDS: [&str; 12] = [
    "rate",
    "burst",
    "max_active",
    "window",
    "paused",
    "hold_reason",
    "hold_since",
    "hold_until",
    "schedule",
    "pow",
    "queue_all",
    "announce",
];

/// A random start's public draw record, from the event's meta fields.
fn parse_draw(meta: &HashMap<String, String>) -> Option<DrawRecord> {
    let drawn_at_ms = field(meta, "draw_at");
    Some(DrawRecord {
        commitment: meta.get("draw_commit")?.clone(),
        entrants: field(meta, "draw_n"),
        closed_at_ms: field(meta, "draw_closed"),
        root: meta.get("draw_root").cloned(),
        beacon_value: meta.get("draw_beacon").cloned(),
        seed: drawn_at_ms.and_then(|_| meta.get("draw_seed").cloned()),
        key: meta.get("draw_key").cloned(),
        drawn_at_ms,
    })
}

fn config_from_list(values: &[Option<String>]) -> Option<EventConfig> {
    let names = CONFIG_FIELDS;
    let map = names
        .iter()
        .zip(values)
        .filter_map(|(n, v)| v.clone().map(|v| (n.to_string(), v)))
        .collect();
    parse_config(&map)
}

#[async_trait]
impl QueueStore for RedisStore {
    async fn join(&self, req: JoinRequest) -> StoreResult<JoinOutcome> {
        let standalone = !self.pool.is_cluster();
        let mut conn = self.pool.get();
        let event = req.event.to_string();
        if !standalone {
            if let Some(claim) = &req.claim {
                let r: Vec<Value> = self
                    .scripts
                    .claim
                    .key(keys::idempotency(&claim.key))
                    .arg(&claim.fingerprint)
                    .arg(claim.ttl_ms)
                    .invoke_async(&mut conn)
                    .await
                    .map_err(unavailable)?;
                if r.first() != Some(&Value::Int(1)) {
                    return parse_join(&r);
                }
            }
            let _: () = conn
                .pset_ex(keys::token(&req.token), &event, TOKEN_INDEX_TTL_MS)
                .await
                .map_err(unavailable)?;
        }
        let mut inv = self.event_script(&self.scripts.join, &req.event);
        inv.key(keys::waiter(&req.event, &req.token));
        if standalone {
            inv.key(keys::token(&req.token)).key(keys::LIVE);
        }
        inv.arg(req.token.to_string())
            .arg(req.user.as_ref().map_or("", |u| u.as_str()))
            .arg(req.heartbeat_ms)
            .arg(req.max_waiting)
            .arg(&event)
            .arg(TOKEN_INDEX_TTL_MS);
        if let (true, Some(claim)) = (standalone, &req.claim) {
            inv.key(keys::idempotency(&claim.key))
                .arg(&claim.fingerprint)
                .arg(claim.ttl_ms)
                .arg(&req.memo);
        } else {
            inv.arg("").arg("").arg("");
        }
        inv.arg(req.max_entrants);
        let r: Vec<Value> = inv.invoke_async(&mut conn).await.map_err(unavailable)?;
        let outcome = parse_join(&r);
        if !standalone {
            if let Ok(JoinOutcome::Joined { seq, .. }) = &outcome {
                // GT: never below a later join's number, which live_remove.lua relies on.
                let _: i64 = redis::cmd("ZADD")
                    .arg(keys::LIVE)
                    .arg("GT")
                    .arg(seq.0)
                    .arg(&event)
                    .query_async(&mut conn)
                    .await
                    .map_err(unavailable)?;
            }
            if let Some(claim) = &req.claim {
                match &outcome {
                    Ok(JoinOutcome::Joined { position, .. }) => {
                        let _: i64 = self
                            .scripts
                            .claim_record
                            .key(keys::idempotency(&claim.key))
                            .arg(&claim.fingerprint)
                            .arg(claim.ttl_ms)
                            .arg(req.token.to_string())
                            .arg(position)
                            .arg(&req.memo)
                            .invoke_async(&mut conn)
                            .await
                            .map_err(unavailable)?;
                    }
                    // Best effort: an unreleased claim expires with its TTL. (This claim and its
                    // release travel on one connection, in order.)
                    _ => {
                        let _: Result<i64, _> = redis::cmd("DEL")
                            .arg(keys::idempotency(&claim.key))
                            .query_async(&mut conn)
                            .await;
                    }
                }
            }
        }
        outcome
    }

    async fn status(
        &self,
        token: WaitingToken,
        heartbeat_ms: Option<u64>,
    ) -> StoreResult<Option<WaiterRecord>> {
        let Some(event) = self.event_of(&token).await? else {
            return Ok(None);
        };
        let args = [token.to_string(), heartbeat_ms.unwrap_or(0).to_string()];
        let list: Vec<String> = self
            .token_script(&self.scripts.status, &event, &token, &args)
            .await?;
        if list.is_empty() {
            return Ok(None);
        }
        parse_record(token, event, &fields(list)).map(Some)
    }

    async fn records(
        &self,
        event: &EventId,
        tokens: &[WaitingToken],
    ) -> StoreResult<Vec<Option<WaiterRecord>>> {
        let mut out = Vec::with_capacity(tokens.len());
        for batch in tokens.chunks(RECORDS_BATCH) {
            let mut inv = self.event_script(&self.scripts.records, event);
            for t in batch {
                inv.arg(t.to_string());
            }
            let lists: Vec<Vec<String>> = inv
                .invoke_async(&mut self.pool.get())
                .await
                .map_err(unavailable)?;
            if lists.len() != batch.len() {
                return Err(corrupt("records"));
            }
            for (token, list) in batch.iter().zip(lists) {
                out.push(if list.is_empty() {
                    None
                } else {
                    Some(parse_record(*token, event.clone(), &fields(list))?)
                });
            }
        }
        Ok(out)
    }

    async fn touch(
        &self,
        event: &EventId,
        tokens: &[WaitingToken],
        touch: Touch,
    ) -> StoreResult<()> {
        if tokens.is_empty() {
            return Ok(());
        }
        let mut inv = self.event_script(&self.scripts.touch, event);
        match touch {
            Touch::Held { ms, lease, all } => inv
                .arg(if all { "held_all" } else { "held" })
                .arg(ms)
                .arg(lease.node)
                .arg(lease.ms),
            Touch::Exactly(ms) => inv.arg("exactly").arg(ms).arg(0).arg(0),
        };
        for t in tokens {
            inv.arg(t.to_string());
        }
        let _: i64 = inv
            .invoke_async(&mut self.pool.get())
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn leave(&self, token: WaitingToken) -> StoreResult<LeaveOutcome> {
        let Some(event) = self.event_of(&token).await? else {
            return Ok(LeaveOutcome::NotFound);
        };
        let args = [token.to_string(), self.retention_ms.to_string()];
        let r: Vec<String> = self
            .token_script(&self.scripts.leave, &event, &token, &args)
            .await?;
        match (r.first().map(String::as_str), r.get(1)) {
            (Some("left"), Some(was)) => Ok(LeaveOutcome::Left {
                event,
                was: parse_state(was)?,
            }),
            (Some("ended"), Some(state)) => Ok(LeaveOutcome::AlreadyEnded(parse_state(state)?)),
            (Some("not_found"), _) => Ok(LeaveOutcome::NotFound),
            _ => Err(corrupt("leave")),
        }
    }

    async fn admit(&self, event: &EventId, limits: AdmitLimits) -> StoreResult<AdmitOutcome> {
        let standalone = !self.pool.is_cluster();
        let mut inv = self.event_script(&self.scripts.admit, event);
        if standalone {
            inv.key(keys::LIVE);
        }
        inv.arg(limits.max_batch)
            .arg(self.retention_ms)
            .arg(event.as_str())
            .arg(limits.max_freed);
        let mut conn = self.pool.get();
        let r: Vec<u64> = inv.invoke_async(&mut conn).await.map_err(unavailable)?;
        let (outcome, next_seq) = match r[..] {
            [admitted, lapsed, waiting, active, next_seq, draw_due] => (
                AdmitOutcome {
                    admitted: admitted as u32,
                    lapsed: lapsed as u32,
                    waiting,
                    active,
                    draw_due: draw_due == 1,
                },
                next_seq,
            ),
            _ => return Err(corrupt("admit")),
        };
        if !standalone && outcome.waiting == 0 && outcome.active == 0 {
            let _: i64 = self
                .scripts
                .live_remove
                .key(keys::LIVE)
                .arg(event.as_str())
                .arg(next_seq)
                .invoke_async(&mut conn)
                .await
                .map_err(unavailable)?;
        }
        Ok(outcome)
    }

    async fn reap(&self, event: &EventId, limits: ReapLimits) -> StoreResult<u64> {
        let mut inv = self.event_script(&self.scripts.reap, event);
        inv.arg(limits.max)
            .arg(self.retention_ms)
            .arg(limits.gap_ms)
            .arg(limits.hold_ms);
        inv.invoke_async(&mut self.pool.get())
            .await
            .map_err(unavailable)
    }

    async fn enter(
        &self,
        token: WaitingToken,
        grant: &str,
        session_ms: u64,
    ) -> StoreResult<EnterOutcome> {
        let Some(event) = self.event_of(&token).await? else {
            return Ok(EnterOutcome::NotFound);
        };
        let args = [
            token.to_string(),
            grant.to_owned(),
            session_ms.to_string(),
            self.retention_ms.to_string(),
        ];
        let mut r: Vec<String> = self
            .token_script(&self.scripts.enter, &event, &token, &args)
            .await?;
        if r.is_empty() {
            return Err(corrupt("enter"));
        }
        let rest = r.split_off(1);
        Ok(match r[0].as_str() {
            "granted" => EnterOutcome::Granted(parse_record(token, event, &fields(rest))?),
            "regranted" => {
                let mut rest = rest.into_iter();
                let grant = rest.next().ok_or_else(|| corrupt("regranted"))?;
                EnterOutcome::Regranted {
                    record: parse_record(token, event, &fields(rest.collect()))?,
                    grant,
                }
            }
            "not_ready" => EnterOutcome::NotReady,
            "already" => EnterOutcome::AlreadyEntered,
            "expired" => EnterOutcome::Expired,
            "left" => EnterOutcome::Left,
            "not_found" => EnterOutcome::NotFound,
            other => return Err(corrupt(other)),
        })
    }

    async fn snapshot(&self, event: &EventId) -> StoreResult<Option<EventSnapshot>> {
        let inv = self.event_script(&self.scripts.snapshot, event);
        let raw: Value = inv
            .invoke_async(&mut self.pool.get())
            .await
            .map_err(unavailable)?;
        if matches!(&raw, Value::Array(v) if v.is_empty()) {
            return Ok(None);
        }
        type Reply = (Vec<String>, Vec<u64>, u64, Vec<String>, u64, Vec<u64>);
        let (meta, departed, active, hist, now_ms, pre_departed): Reply =
            redis::from_redis_value(raw).map_err(|e| corrupt(&e.to_string()))?;
        let meta = fields(meta);
        let config = parse_config(&meta).ok_or_else(|| corrupt("event settings"))?;
        let draw = parse_draw(&meta);
        let head = field(&meta, "head").unwrap_or(0);
        let permutation = draw.as_ref().and_then(DrawRecord::permutation);
        let departed = departed_in_order(departed, pre_departed, permutation.as_ref(), head);
        let mut buckets: Vec<(u64, u64)> = fields(hist)
            .into_iter()
            .filter_map(|(k, v)| Some((k.parse().ok()?, v.parse().ok()?)))
            .collect();
        buckets.sort_unstable();
        let counter = |name: &str| field(&meta, name).unwrap_or(0);
        Ok(Some(EventSnapshot {
            born: counter("born"),
            version: counter("version"),
            config,
            head: Seq(head),
            next_seq: Seq(counter("next_seq")),
            departed,
            active,
            counters: EventCounters {
                joined: counter("c_joined"),
                admitted: counter("c_admitted"),
                entered: counter("c_entered"),
                expired: counter("c_expired"),
                lapsed: counter("c_lapsed"),
                left: counter("c_left"),
            },
            history: AdmissionHistory {
                buckets: buckets.into(),
                since_ms: field(&meta, "hist_since"),
            },
            now_ms,
            draw,
        }))
    }

    async fn live_events(&self) -> StoreResult<Vec<EventId>> {
        let ids: Vec<String> = self
            .pool
            .get()
            .zrange(keys::LIVE, 0, -1)
            .await
            .map_err(unavailable)?;
        Ok(ids.iter().filter_map(|e| EventId::parse(e).ok()).collect())
    }

    async fn events(&self) -> StoreResult<Vec<EventId>> {
        let ids: Vec<String> = self
            .pool
            .get()
            .smembers(keys::EVENTS)
            .await
            .map_err(unavailable)?;
        Ok(ids.iter().filter_map(|e| EventId::parse(e).ok()).collect())
    }

    async fn create_event(
        &self,
        event: &EventId,
        config: &EventConfig,
        auto: bool,
    ) -> StoreResult<bool> {
        let standalone = !self.pool.is_cluster();
        let mut inv = self.event_script(&self.scripts.create, event);
        if standalone {
            inv.key(keys::EVENTS);
        }
        inv.arg(config.rate_per_sec.to_string())
            .arg(config.burst)
            .arg(
                config
                    .max_active
                    .map_or_else(String::new, |m| m.to_string()),
            )
            .arg(config.entry_window_secs)
            .arg(if auto { "1" } else { "0" })
            .arg(event.as_str());
        let mut conn = self.pool.get();
        let created: i64 = inv.invoke_async(&mut conn).await.map_err(unavailable)?;
        if created == 1 && !standalone {
            let _: () = conn
                .sadd(keys::EVENTS, event.as_str())
                .await
                .map_err(unavailable)?;
        }
        Ok(created == 1)
    }

    async fn delete_idle_auto_event(&self, event: &EventId, idle_ms: u64) -> StoreResult<bool> {
        let standalone = !self.pool.is_cluster();
        let mut inv = self.event_script(&self.scripts.delete_idle, event);
        if standalone {
            inv.key(keys::EVENTS).key(keys::LIVE);
        }
        inv.arg(idle_ms).arg(event.as_str());
        let mut conn = self.pool.get();
        let deleted: i64 = inv.invoke_async(&mut conn).await.map_err(unavailable)?;
        if deleted == 1 && !standalone {
            // Two slots: two commands.
            let _: () = conn
                .srem(keys::EVENTS, event.as_str())
                .await
                .map_err(unavailable)?;
            let _: () = conn
                .zrem(keys::LIVE, event.as_str())
                .await
                .map_err(unavailable)?;
        }
        Ok(deleted == 1)
    }

    async fn event_count(&self) -> StoreResult<u64> {
        self.pool
            .get()
            .scard(keys::EVENTS)
            .await
            .map_err(unavailable)
    }

    async fn config(&self, event: &EventId) -> StoreResult<Option<EventConfig>> {
        let [meta, ..] = keys::event(event);
        let values: Vec<Option<String>> = self
            .pool
            .get()
            .hmget(meta, &CONFIG_FIELDS)
            .await
            .map_err(unavailable)?;
        Ok(config_from_list(&values))
    }

    async fn update_config(
        &self,
        event: &EventId,
        patch: &ConfigPatch,
        defaults: &EventConfig,
    ) -> StoreResult<EventConfig> {
        let standalone = !self.pool.is_cluster();
        let mut inv = self.event_script(&self.scripts.config, event);
        if standalone {
            inv.key(keys::EVENTS);
        }
        let opt = |v: Option<String>| v.unwrap_or_default();
        inv.arg(defaults.rate_per_sec.to_string())
            .arg(defaults.burst)
            .arg(
                defaults
                    .max_active
                    .map_or_else(String::new, |m| m.to_string()),
            )
            .arg(defaults.entry_window_secs)
            .arg(opt(patch.rate_per_sec.map(|r| r.to_string())))
            .arg(opt(patch.burst.map(|b| b.to_string())))
            .arg(opt(patch
                .max_active
                .map(|m| m.map_or_else(|| "none".into(), |m| m.to_string()))))
            .arg(opt(patch.entry_window_secs.map(|w| w.to_string())))
            .arg(opt(patch
                .paused
                .map(|p| if p { "1".into() } else { "0".into() })))
            .arg(opt(patch.hold.as_ref().map(|h| match h {
                None => "none".into(),
                Some(h) => format!("{}:{}:{}", h.since_ms, h.until_ms, h.reason),
            })))
            .arg(event.as_str())
            .arg(opt(patch.schedule.as_ref().map(|s| match s {
                None => "none".into(),
                Some(s) => serde_json::to_string(s).expect("a schedule serialises"),
            })))
            .arg(opt(patch
                .draw_seed
                .as_ref()
                .map(|(seed, commitment)| format!("{seed}:{commitment}"))))
            .arg(opt(patch.pow_difficulty.map(|d| d.to_string())))
            .arg(opt(patch
                .queue_all
                .map(|q| if q { "1" } else { "0" }.to_owned())))
            .arg(opt(patch.announcement.as_ref().map(|a| match a {
                None => "none".into(),
                Some(a) => serde_json::to_string(a).expect("an announcement serialises"),
            })));
        let mut conn = self.pool.get();
        let r: Vec<Option<String>> = inv.invoke_async(&mut conn).await.map_err(unavailable)?;
        if !standalone && r.first().cloned().flatten().as_deref() == Some("1") {
            let _: () = conn
                .sadd(keys::EVENTS, event.as_str())
                .await
                .map_err(unavailable)?;
        }
        config_from_list(r.get(1..).unwrap_or_default()).ok_or_else(|| corrupt("config"))
    }

    async fn draw_secret(&self, event: &EventId) -> StoreResult<Option<DrawSecret>> {
        let [meta, ..] = keys::event(event);
        let mut values: Vec<Option<String>> = self
            .pool
            .get()
            .hmget(meta, &["draw_seed", "draw_beacon"])
            .await
            .map_err(unavailable)?;
        let beacon_value = values.pop().flatten();
        let seed = values.pop().flatten();
        Ok(seed.map(|seed| DrawSecret { seed, beacon_value }))
    }

    async fn entries(
        &self,
        event: &EventId,
        first: u64,
        count: usize,
    ) -> StoreResult<Vec<Option<WaitingToken>>> {
        let count = count.min(RECORDS_BATCH) as u64;
        if count == 0 {
            return Ok(Vec::new());
        }
        let indices: Vec<u64> = (first..first + count).collect();
        let raw: Vec<Option<String>> = self
            .pool
            .get()
            .hmget(keys::entries(event), &indices)
            .await
            .map_err(unavailable)?;
        raw.into_iter()
            .map(|t| match t {
                None => Ok(None),
                Some(t) => WaitingToken::parse(&t)
                    .map(Some)
                    .map_err(|_| corrupt("entry list")),
            })
            .collect()
    }

    async fn publish_draw(&self, event: &EventId, reveal: &DrawReveal) -> StoreResult<bool> {
        let mut inv = self.event_script(&self.scripts.draw, event);
        inv.arg(reveal.entrants)
            .arg(&reveal.root)
            .arg(reveal.beacon_value.as_deref().unwrap_or(""))
            .arg(&reveal.seed)
            .arg(&reveal.key)
            .arg(reveal.chunk_roots.join(","));
        let done: i64 = inv
            .invoke_async(&mut self.pool.get())
            .await
            .map_err(unavailable)?;
        Ok(done == 1)
    }

    async fn chunk_roots(&self, event: &EventId) -> StoreResult<Vec<String>> {
        let raw: Option<String> = self
            .pool
            .get()
            .get(keys::chunks(event))
            .await
            .map_err(unavailable)?;
        Ok(raw
            .filter(|r| !r.is_empty())
            .map(|r| r.split(',').map(str::to_owned).collect())
            .unwrap_or_default())
    }

    async fn set_beacon(&self, event: &EventId, value: &str) -> StoreResult<BeaconOutcome> {
        let mut inv = self.event_script(&self.scripts.beacon, event);
        inv.arg(value);
        let r: String = inv
            .invoke_async(&mut self.pool.get())
            .await
            .map_err(unavailable)?;
        Ok(match r.as_str() {
            "set" => BeaconOutcome::Set,
            "no_round" => BeaconOutcome::NoRound,
            "not_closed" => BeaconOutcome::NotClosed,
            "already" => BeaconOutcome::AlreadySet,
            "not_found" => BeaconOutcome::NotFound,
            other => return Err(corrupt(other)),
        })
    }
}

#[async_trait]
impl IdempotencyStore for RedisStore {
    async fn idempotency_begin(
        &self,
        key: &str,
        fingerprint: &str,
        owner: &str,
        ttl_ms: u64,
    ) -> StoreResult<IdempotencyBegin> {
        let r: Vec<Vec<u8>> = self
            .scripts
            .idempotency_begin
            .key(keys::idempotency(key))
            .arg(fingerprint)
            .arg(ttl_ms)
            .arg(owner)
            .invoke_async(&mut self.pool.get())
            .await
            .map_err(unavailable)?;
        let text = |i: usize| r.get(i).map(|b| String::from_utf8_lossy(b).into_owned());
        Ok(match text(0).as_deref() {
            Some("started") => IdempotencyBegin::Started,
            Some("in_flight") => IdempotencyBegin::InFlight,
            Some("conflict") => IdempotencyBegin::Conflict,
            Some("released") => IdempotencyBegin::Released,
            Some("replay") if r.len() == 4 => IdempotencyBegin::Replay(StoredResponse {
                status: text(1)
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| corrupt("status"))?,
                content_type: text(2).filter(|c| !c.is_empty()),
                body: r[3].clone(),
            }),
            _ => return Err(corrupt("idempotency")),
        })
    }

    async fn idempotency_finish(
        &self,
        key: &str,
        response: StoredResponse,
        ttl_ms: u64,
    ) -> StoreResult<()> {
        let _: i64 = self
            .scripts
            .idempotency_finish
            .key(keys::idempotency(key))
            .arg(response.status)
            .arg(response.content_type.unwrap_or_default())
            .arg(response.body)
            .arg(ttl_ms)
            .invoke_async(&mut self.pool.get())
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn idempotency_release(&self, key: &str, owner: &str) -> StoreResult<()> {
        let _: i64 = self
            .scripts
            .idempotency_release
            .key(keys::idempotency(key))
            .arg(owner)
            .arg(RELEASE_MARK_MS)
            .invoke_async(&mut self.pool.get())
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}

#[async_trait]
impl UserStore for RedisStore {
    async fn create_user(&self, user: &UserRecord) -> StoreResult<bool> {
        let json = serde_json::to_string(user).map_err(|e| corrupt(&e.to_string()))?;
        // SET NX: the username is claimed atomically, once.
        let created: Option<String> = redis::cmd("SET")
            .arg(keys::user(&user.username))
            .arg(json)
            .arg("NX")
            .query_async(&mut self.pool.get())
            .await
            .map_err(unavailable)?;
        if created.is_some() {
            let _: u64 = self
                .pool
                .get()
                .incr(keys::USER_COUNT, 1)
                .await
                .map_err(unavailable)?;
        }
        Ok(created.is_some())
    }

    async fn user(&self, username: &str) -> StoreResult<Option<UserRecord>> {
        let json: Option<String> = self
            .pool
            .get()
            .get(keys::user(username))
            .await
            .map_err(unavailable)?;
        json.map(|j| serde_json::from_str(&j).map_err(|_| corrupt("user record")))
            .transpose()
    }

    async fn user_count(&self) -> StoreResult<u64> {
        let n: Option<u64> = self
            .pool
            .get()
            .get(keys::USER_COUNT)
            .await
            .map_err(unavailable)?;
        Ok(n.unwrap_or(0))
    }

    async fn login_failed(&self, username: &str, window_ms: u64) -> StoreResult<u64> {
        let key = keys::login_failures(username);
        // One key, so one MULTI even on a cluster: the window starts with the first failure.
        let (n, _): (u64, i64) = redis::pipe()
            .atomic()
            .incr(&key, 1)
            .cmd("PEXPIRE")
            .arg(&key)
            .arg(window_ms)
            .arg("NX")
            .query_async(&mut self.pool.get())
            .await
            .map_err(unavailable)?;
        Ok(n)
    }

    async fn login_failures(&self, username: &str) -> StoreResult<u64> {
        let n: Option<u64> = self
            .pool
            .get()
            .get(keys::login_failures(username))
            .await
            .map_err(unavailable)?;
        Ok(n.unwrap_or(0))
    }
}

#[async_trait]
impl UpdateBus for RedisStore {
    async fn notify(
        &self,
        event: &EventId,
        token: Option<WaitingToken>,
        notice: &Notice,
    ) -> StoreResult<()> {
        let json = serde_json::to_string(notice).map_err(|e| corrupt(&e.to_string()))?;
        let mut inv = self.event_script(&self.scripts.notify, event);
        inv.arg(token.map_or_else(String::new, |t| t.to_string()))
            .arg(json);
        let _: i64 = inv
            .invoke_async(&mut self.pool.get())
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn subscribe(&self, event: &EventId) -> StoreResult<broadcast::Receiver<EventUpdate>> {
        self.subscriber.subscribe(event).await
    }

    async fn unsubscribe(&self, event: &EventId) {
        self.subscriber.unsubscribe(event).await;
    }
}

#[async_trait]
impl OperatorStore for RedisStore {
    async fn audit_append(&self, entry: &AuditEntry, keep: u64) -> StoreResult<()> {
        let json = serde_json::to_string(entry).expect("an audit entry serialises");
        // One key: atomic on a cluster too.
        redis::pipe()
            .atomic()
            .lpush(keys::AUDIT, json)
            .ignore()
            .ltrim(keys::AUDIT, 0, keep.saturating_sub(1) as isize)
            .ignore()
            .query_async::<()>(&mut self.pool.get())
            .await
            .map_err(unavailable)
    }

    async fn audit(&self, limit: u64) -> StoreResult<Vec<AuditEntry>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let raw: Vec<String> = self
            .pool
            .get()
            .lrange(keys::AUDIT, 0, (limit - 1) as isize)
            .await
            .map_err(unavailable)?;
        raw.iter()
            .map(|r| serde_json::from_str(r).map_err(|e| corrupt(&format!("audit entry: {e}"))))
            .collect()
    }

    async fn record_minute(
        &self,
        event: &EventId,
        sample: &MinuteSample,
        keep: u64,
    ) -> StoreResult<bool> {
        let json = serde_json::to_string(sample).expect("a sample serialises");
        let recorded: i64 = self
            .scripts
            .minute
            .key(keys::minutes(event))
            .arg(sample.minute_ms)
            .arg(json)
            .arg(keep)
            .invoke_async(&mut self.pool.get())
            .await
            .map_err(unavailable)?;
        Ok(recorded == 1)
    }

    async fn minutes(&self, event: &EventId) -> StoreResult<Vec<MinuteSample>> {
        let raw: Vec<String> = self
            .pool
            .get()
            .zrange(keys::minutes(event), 0, -1)
            .await
            .map_err(unavailable)?;
        raw.iter()
            .map(|r| serde_json::from_str(r).map_err(|e| corrupt(&format!("minute: {e}"))))
            .collect()
    }
}

#[async_trait]
impl Store for RedisStore {
    fn kind(&self) -> &'static str {
        if self.pool.is_cluster() {
            "redis-cluster"
        } else {
            "redis"
        }
    }

    async fn ping(&self) -> StoreResult<()> {
        redis::cmd("PING")
            .query_async::<Value>(&mut self.pool.get())
            .await
            .map(drop)
            .map_err(unavailable)
    }

    async fn layout(&self, ours: u32) -> StoreResult<u32> {
        let mut conn = self.pool.get();
        let held: Option<String> = redis::cmd("SET")
            .arg(keys::LAYOUT)
            .arg(ours)
            .arg("NX")
            .arg("GET")
            .query_async(&mut conn)
            .await
            .map_err(unavailable)?;
        match held {
            None => Ok(ours),
            Some(v) => v
                .parse()
                .map_err(|_| corrupt("usher:layout is not a number")),
        }
    }

    fn health(&self) -> watch::Receiver<bool> {
        self.health.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_keys_share_one_hash_tag() {
        let e = EventId::parse("evt_1").unwrap();
        for k in keys::event(&e) {
            assert!(k.starts_with("usher:{evt_1}:"), "{k}");
        }
        assert_eq!(
            keys::event_of_channel(keys::channel(&e).as_bytes()),
            Some(e)
        );
        assert_eq!(keys::event_of_channel(b"other"), None);
    }
}
