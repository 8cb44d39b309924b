//! Store work per admission tick must not grow with the number of waiters: positions are
//! derived on the node, not read from the store per waiter. And a slow store must not hold up
//! pushes: the hub's store work runs beside its push loop.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures::future::join_all;
use parking_lot::Mutex;
use serde_json::json;
use tokio::sync::broadcast;
use usher::domain::{EventId, WaitingToken};
use usher::store::*;

use crate::helpers::*;

/// Delegates to the embedded store and counts calls per operation; heartbeat renewals can be
/// made to stall.
struct Counting {
    inner: MemoryStore,
    calls: Mutex<HashMap<&'static str, u64>>,
    /// How long each `touch` hangs before it runs.
    touch_stall: Mutex<Duration>,
}

impl Counting {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            inner: MemoryStore::new(Duration::from_secs(60)),
            calls: Mutex::new(HashMap::new()),
            touch_stall: Mutex::new(Duration::ZERO),
        })
    }

    fn count(&self, op: &'static str) {
        *self.calls.lock().entry(op).or_default() += 1;
    }

    fn take(&self) -> HashMap<&'static str, u64> {
        std::mem::take(&mut *self.calls.lock())
    }
}

#[async_trait]
impl QueueStore for Counting {
    async fn join(&self, req: JoinRequest) -> StoreResult<JoinOutcome> {
        self.count("join");
        self.inner.join(req).await
    }

    async fn status(&self, t: WaitingToken, hb: Option<u64>) -> StoreResult<Option<WaiterRecord>> {
        self.count("status");
        self.inner.status(t, hb).await
    }

    async fn records(
        &self,
        e: &EventId,
        t: &[WaitingToken],
    ) -> StoreResult<Vec<Option<WaiterRecord>>> {
        self.count("records");
        self.inner.records(e, t).await
    }

    async fn touch(&self, e: &EventId, t: &[WaitingToken], touch: Touch) -> StoreResult<()> {
        self.count("touch");
        let stall = *self.touch_stall.lock();
        tokio::time::sleep(stall).await;
        self.inner.touch(e, t, touch).await
    }

    async fn leave(&self, t: WaitingToken) -> StoreResult<LeaveOutcome> {
        self.count("leave");
        self.inner.leave(t).await
    }

    async fn admit(&self, e: &EventId, l: AdmitLimits) -> StoreResult<AdmitOutcome> {
        self.count("admit");
        self.inner.admit(e, l).await
    }

    async fn reap(&self, e: &EventId, limits: ReapLimits) -> StoreResult<u64> {
        self.count("reap");
        self.inner.reap(e, limits).await
    }

    async fn enter(&self, t: WaitingToken, g: &str, s: u64) -> StoreResult<EnterOutcome> {
        self.count("enter");
        self.inner.enter(t, g, s).await
    }

    async fn snapshot(&self, e: &EventId) -> StoreResult<Option<EventSnapshot>> {
        self.count("snapshot");
        self.inner.snapshot(e).await
    }

    async fn live_events(&self) -> StoreResult<Vec<EventId>> {
        self.count("live_events");
        self.inner.live_events().await
    }

    async fn events(&self) -> StoreResult<Vec<EventId>> {
        self.count("events");
        self.inner.events().await
    }

    async fn create_event(&self, e: &EventId, c: &EventConfig, a: bool) -> StoreResult<bool> {
        self.count("create_event");
        self.inner.create_event(e, c, a).await
    }

    async fn delete_idle_auto_event(&self, e: &EventId, idle: u64) -> StoreResult<bool> {
        self.count("delete_idle_auto_event");
        self.inner.delete_idle_auto_event(e, idle).await
    }

    async fn event_count(&self) -> StoreResult<u64> {
        self.count("event_count");
        self.inner.event_count().await
    }

    async fn config(&self, e: &EventId) -> StoreResult<Option<EventConfig>> {
        self.count("config");
        self.inner.config(e).await
    }

    async fn update_config(
        &self,
        e: &EventId,
        p: &ConfigPatch,
        d: &EventConfig,
    ) -> StoreResult<EventConfig> {
        self.count("update_config");
        self.inner.update_config(e, p, d).await
    }

    async fn draw_secret(&self, e: &EventId) -> StoreResult<Option<DrawSecret>> {
        self.count("draw_secret");
        self.inner.draw_secret(e).await
    }

    async fn entries(
        &self,
        e: &EventId,
        first: u64,
        count: usize,
    ) -> StoreResult<Vec<Option<WaitingToken>>> {
        self.count("entries");
        self.inner.entries(e, first, count).await
    }

    async fn publish_draw(&self, e: &EventId, r: &DrawReveal) -> StoreResult<bool> {
        self.count("publish_draw");
        self.inner.publish_draw(e, r).await
    }

    async fn chunk_roots(&self, e: &EventId) -> StoreResult<Vec<String>> {
        self.count("chunk_roots");
        self.inner.chunk_roots(e).await
    }

    async fn set_beacon(&self, e: &EventId, v: &str) -> StoreResult<BeaconOutcome> {
        self.count("set_beacon");
        self.inner.set_beacon(e, v).await
    }
}

#[async_trait]
impl IdempotencyStore for Counting {
    async fn idempotency_begin(
        &self,
        k: &str,
        f: &str,
        owner: &str,
        ttl: u64,
    ) -> StoreResult<IdempotencyBegin> {
        self.count("idempotency_begin");
        self.inner.idempotency_begin(k, f, owner, ttl).await
    }

    async fn idempotency_finish(&self, k: &str, r: StoredResponse, ttl: u64) -> StoreResult<()> {
        self.count("idempotency_finish");
        self.inner.idempotency_finish(k, r, ttl).await
    }

    async fn idempotency_release(&self, k: &str, owner: &str) -> StoreResult<()> {
        self.count("idempotency_release");
        self.inner.idempotency_release(k, owner).await
    }
}

#[async_trait]
impl UserStore for Counting {
    async fn user_count(&self) -> StoreResult<u64> {
        self.inner.user_count().await
    }

    async fn login_failed(&self, u: &str, w: u64) -> StoreResult<u64> {
        self.inner.login_failed(u, w).await
    }

    async fn login_failures(&self, u: &str) -> StoreResult<u64> {
        self.inner.login_failures(u).await
    }

    async fn create_user(&self, user: &UserRecord) -> StoreResult<bool> {
        self.count("create_user");
        self.inner.create_user(user).await
    }

    async fn user(&self, username: &str) -> StoreResult<Option<UserRecord>> {
        self.count("user");
        self.inner.user(username).await
    }
}

#[async_trait]
impl OperatorStore for Counting {
    async fn audit_append(&self, entry: &AuditEntry, keep: u64) -> StoreResult<()> {
        self.count("audit_append");
        self.inner.audit_append(entry, keep).await
    }

    async fn audit(&self, limit: u64) -> StoreResult<Vec<AuditEntry>> {
        self.count("audit");
        self.inner.audit(limit).await
    }

    async fn record_minute(
        &self,
        e: &EventId,
        sample: &MinuteSample,
        keep: u64,
    ) -> StoreResult<bool> {
        self.count("record_minute");
        self.inner.record_minute(e, sample, keep).await
    }

    async fn minutes(&self, e: &EventId) -> StoreResult<Vec<MinuteSample>> {
        self.count("minutes");
        self.inner.minutes(e).await
    }
}

#[async_trait]
impl UpdateBus for Counting {
    async fn notify(&self, e: &EventId, t: Option<WaitingToken>, n: &Notice) -> StoreResult<()> {
        self.count("notify");
        self.inner.notify(e, t, n).await
    }

    async fn subscribe(&self, e: &EventId) -> StoreResult<broadcast::Receiver<EventUpdate>> {
        self.count("subscribe");
        self.inner.subscribe(e).await
    }

    async fn unsubscribe(&self, e: &EventId) {
        self.count("unsubscribe");
        self.inner.unsubscribe(e).await
    }
}

#[async_trait]
impl Store for Counting {
    fn kind(&self) -> &'static str {
        "counting"
    }

    async fn ping(&self) -> StoreResult<()> {
        self.count("ping");
        self.inner.ping().await
    }

    async fn layout(&self, ours: u32) -> StoreResult<u32> {
        self.count("layout");
        self.inner.layout(ours).await
    }

    fn health(&self) -> tokio::sync::watch::Receiver<bool> {
        self.inner.health()
    }
}

#[tokio::test]
async fn store_calls_per_admission_tick_do_not_depend_on_the_number_of_waiters() {
    const WAITERS: usize = 400;
    let store = Counting::new();
    let app = spawn_app_with(
        &[
            "--tick-ms",
            "50",
            "--push-interval-ms",
            "50",
            "--reap-interval-ms",
            "500",
        ],
        Some(store.clone()),
    )
    .await;
    app.configure(
        "evt",
        json!({"paused": true, "burst": 1, "rate_per_sec": 20}),
    )
    .await;
    let tokens: Vec<String> = join_all((0..WAITERS).map(|_| app.join_token("evt"))).await;
    let mut sockets = join_all(tokens.iter().map(|t| app.ws(t))).await;
    for ws in &mut sockets {
        ws.wait_for("snapshot", SECOND).await;
    }
    // The node tells the store it holds the new sockets (one batched touch) within a push slice.
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.configure("evt", json!({"paused": false})).await;
    store.take();

    let window = Duration::from_secs(2);
    let mut pushes = 0usize;
    let deadline = tokio::time::Instant::now() + window;
    // Every waiter hears about every admission step: count what the sockets receive.
    while tokio::time::Instant::now() < deadline {
        let received = join_all(
            sockets
                .iter_mut()
                .map(|ws| ws.next(Duration::from_millis(100))),
        )
        .await;
        pushes += received.iter().flatten().count();
    }
    let calls = store.take();
    let total: u64 = calls.values().sum();
    let admits = calls.get("admit").copied().unwrap_or(0);
    eprintln!(
        "store calls in {window:?} with {WAITERS} waiters: {calls:?}; pushes received: {pushes}"
    );
    assert!(admits >= 20, "the ticker ran {admits} steps");
    // No per-waiter reads or writes happened while positions were pushed.
    for op in ["status", "touch", "subscribe"] {
        assert_eq!(
            calls.get(op).copied().unwrap_or(0),
            0,
            "{op} called: {calls:?}"
        );
    }
    // The event's totals are read once a minute for its history: at most once in the window
    // (if a minute ended within it), never per waiter.
    assert!(
        calls.get("snapshot").copied().unwrap_or(0) <= 1,
        "{calls:?}"
    );
    // Only the ticker's own calls: one admit per tick, one reap per reap interval, one event
    // list per second; and at most one minute's sample (an event list, a snapshot, a record).
    assert!(total <= admits + 13, "{calls:?}");
    assert!(
        pushes >= WAITERS,
        "only {pushes} pushes reached {WAITERS} waiters"
    );
}

#[tokio::test]
async fn positions_are_pushed_while_heartbeat_renewal_stalls() {
    let store = Counting::new();
    // Heartbeats of open sockets are renewed every 250 ms (a quarter of the grace period).
    let app = spawn_app_with(
        &["--grace-secs", "1", "--push-interval-ms", "100"],
        Some(store.clone()),
    )
    .await;
    app.configure("evt", json!({"paused": true})).await;
    let ahead = app.join_token("evt").await;
    let mine = app.join_token("evt").await;
    let mut ws = app.ws(&mine).await;
    assert_eq!(ws.wait_for("snapshot", SECOND).await["position"], 2);
    // Every renewal from now on hangs for 3 s; let one start.
    *store.touch_stall.lock() = Duration::from_secs(3);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let left = tokio::time::Instant::now();
    app.leave(&ahead).await;
    let moved = ws.wait_for("position", SECOND).await;
    assert_eq!(moved["position"], 1);
    assert!(
        left.elapsed() < Duration::from_millis(800),
        "the push waited for the stalled store: {:?}",
        left.elapsed()
    );
    *store.touch_stall.lock() = Duration::ZERO;
}
