//! Prometheus metrics: the seed's HTTP metrics plus WebSocket, queue, admission and ETA metrics.
//! One registry per server instance (so tests in one process do not share counters).

use std::sync::Arc;

use prometheus::{
    Encoder, Gauge, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec,
    IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

/// All collectors of one server. Cheap to clone.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

pub struct Inner {
    registry: Registry,
    /// `http_server_requests_total{method,route,status_code}` (seed name and labels).
    pub http_requests: IntCounterVec,
    /// `http_server_requests_duration_seconds{method,route,status_code}` (seed name and labels).
    pub http_duration: HistogramVec,
    /// Connections closed on accept, by cap (`node_cap`, `address_cap`).
    pub connections_refused: IntCounterVec,
    /// Open WebSockets on this node.
    pub ws_connections: IntGauge,
    /// The most WebSockets this node holds (`USHER_WS_MAX_CONNECTIONS`, bounded by the
    /// connection cap).
    pub ws_connections_max: IntGauge,
    /// 1 while the store answered its last health check, 0 while it is unreachable (as of the
    /// scrape).
    pub store_up: IntGauge,
    /// 1 while `/readyz` would answer 200, 0 while not (draining, at the WebSocket cap, or the
    /// store unreachable past `USHER_READY_OUTAGE_SECS`), as of the scrape.
    pub ready: IntGauge,
    /// Connection attempts by outcome (`accepted`, `over_capacity`, `rejected`).
    pub ws_connects: IntCounterVec,
    /// Closed WebSockets by reason.
    pub ws_disconnects: IntCounterVec,
    /// Messages pushed to WebSockets by type.
    pub ws_messages: IntCounterVec,
    /// Joins by result.
    pub queue_joins: IntCounterVec,
    /// Waiters admitted by this node's ticker.
    pub queue_admitted: IntCounter,
    /// Seat counts read from the inventory service (the rest are served from this node's
    /// cache, `USHER_AVAILABILITY_CACHE_MS`).
    pub inventory_reads: IntCounter,
    /// Waiters in each event's queue, as of this node's last admission step.
    pub queue_waiting: IntGaugeVec,
    /// Admission rate (per second) each event's ETAs are based on.
    pub admission_rate: GaugeVec,
    /// 1 while an operator has paused the event (not while usher holds admission by itself),
    /// on the nodes that hold sockets of it.
    pub queue_paused: IntGaugeVec,
    /// |actual − predicted| / actual wait of each admitted waiter held by this node.
    pub eta_error: Histogram,
    /// 1 − mean absolute percentage error of ETAs, per event, on this node.
    pub eta_accuracy: GaugeVec,
    /// Seconds from admission step to `ready` handed to the socket.
    pub ready_latency: Histogram,
    /// Build information, value 1.
    pub build_info: Gauge,
    /// `ratelimit_dropped_total{key_type}` (seed name): requests refused by the HTTP rate limit.
    pub ratelimit_dropped: IntCounterVec,
    /// Events that have per-event series, at most `max_event_series` of them: each series costs
    /// every scrape, so their number is bounded whatever happens to the events.
    event_series: parking_lot::Mutex<std::collections::HashSet<String>>,
    max_event_series: usize,
}

impl std::ops::Deref for Metrics {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_EVENT_SERIES)
    }
}

/// Default of `USHER_METRICS_MAX_EVENTS`.
pub const DEFAULT_MAX_EVENT_SERIES: usize = 1_000;

impl Metrics {
    /// A registry whose per-event series cover at most `max_event_series` events.
    pub fn new(max_event_series: usize) -> Self {
        let registry = Registry::new();
        let reg = |c: Box<dyn prometheus::core::Collector>| {
            registry.register(c).expect("metric names are unique");
        };
        let http_labels = &["method", "route", "status_code"];
        let http_requests = IntCounterVec::new(
            Opts::new("http_server_requests_total", "HTTP requests served."),
            http_labels,
        )
        .unwrap();
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "http_server_requests_duration_seconds",
                "HTTP request latency.",
            ),
            http_labels,
        )
        .unwrap();
        let connections_refused = IntCounterVec::new(
            Opts::new(
                "usher_connections_refused_total",
                "Connections closed on accept, by cap.",
            ),
            &["cap"],
        )
        .unwrap();
        let ws_connections = IntGauge::new("usher_ws_connections", "Open WebSockets.").unwrap();
        let ws_connections_max = IntGauge::new(
            "usher_ws_connections_max",
            "The most WebSockets this node holds.",
        )
        .unwrap();
        let store_up = IntGauge::new(
            "usher_store_up",
            "1 while the store answers its health checks, 0 while it is unreachable.",
        )
        .unwrap();
        let ready = IntGauge::new(
            "usher_ready",
            "1 while /readyz answers 200 (not draining, below the WebSocket cap, store reachable).",
        )
        .unwrap();
        let ws_connects = IntCounterVec::new(
            Opts::new(
                "usher_ws_connects_total",
                "WebSocket connection attempts by outcome.",
            ),
            &["outcome"],
        )
        .unwrap();
        let ws_disconnects = IntCounterVec::new(
            Opts::new("usher_ws_disconnects_total", "Closed WebSockets by reason."),
            &["reason"],
        )
        .unwrap();
        let ws_messages = IntCounterVec::new(
            Opts::new(
                "usher_ws_messages_total",
                "Messages pushed to WebSockets by type.",
            ),
            &["type"],
        )
        .unwrap();
        let queue_joins = IntCounterVec::new(
            Opts::new("usher_queue_joins_total", "Queue joins by result."),
            &["result"],
        )
        .unwrap();
        let queue_admitted = IntCounter::new(
            "usher_queue_admitted_total",
            "Waiters admitted by this node.",
        )
        .unwrap();
        let inventory_reads = IntCounter::new(
            "usher_inventory_reads_total",
            "Seat counts read from the inventory service (not from this node's cache).",
        )
        .unwrap();
        let queue_waiting = IntGaugeVec::new(
            Opts::new("usher_queue_waiting", "Waiters in the queue."),
            &["event_id"],
        )
        .unwrap();
        let queue_paused = IntGaugeVec::new(
            Opts::new(
                "usher_queue_paused",
                "1 while an operator has paused the event's admission.",
            ),
            &["event_id"],
        )
        .unwrap();
        let admission_rate = GaugeVec::new(
            Opts::new(
                "usher_queue_admission_rate",
                "Admission rate used for ETAs, per second.",
            ),
            &["event_id"],
        )
        .unwrap();
        let eta_error = Histogram::with_opts(
            HistogramOpts::new("usher_eta_error_ratio", "Relative ETA error at admission.")
                .buckets(vec![0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0]),
        )
        .unwrap();
        let eta_accuracy = GaugeVec::new(
            Opts::new(
                "usher_eta_accuracy",
                "1 - mean absolute percentage error of ETAs.",
            ),
            &["event_id"],
        )
        .unwrap();
        let ready_latency = Histogram::with_opts(
            HistogramOpts::new(
                "usher_ready_push_seconds",
                "Admission step to ready queued.",
            )
            .buckets(vec![0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0]),
        )
        .unwrap();
        let build_info = Gauge::with_opts(
            Opts::new("usher_build_info", "Build information.")
                .const_label("version", env!("CARGO_PKG_VERSION"))
                .const_label("commit", crate::GIT_COMMIT),
        )
        .unwrap();
        build_info.set(1.0);
        let ratelimit_dropped = IntCounterVec::new(
            Opts::new(
                "ratelimit_dropped_total",
                "Requests refused by the HTTP rate limit.",
            ),
            &["key_type"],
        )
        .unwrap();
        // Exported from the start (at 0), so dashboards see the series before the first refusal.
        ratelimit_dropped.with_label_values(&["ip"]);
        for c in [
            Box::new(http_requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(http_duration.clone()),
            Box::new(connections_refused.clone()),
            Box::new(ws_connections.clone()),
            Box::new(ws_connections_max.clone()),
            Box::new(store_up.clone()),
            Box::new(ready.clone()),
            Box::new(ws_connects.clone()),
            Box::new(ws_disconnects.clone()),
            Box::new(ws_messages.clone()),
            Box::new(queue_joins.clone()),
            Box::new(queue_admitted.clone()),
            Box::new(inventory_reads.clone()),
            Box::new(queue_waiting.clone()),
            Box::new(admission_rate.clone()),
            Box::new(queue_paused.clone()),
            Box::new(eta_error.clone()),
            Box::new(eta_accuracy.clone()),
            Box::new(ready_latency.clone()),
            Box::new(build_info.clone()),
            Box::new(ratelimit_dropped.clone()),
        ] {
            reg(c);
        }
        #[cfg(target_os = "linux")]
        reg(Box::new(
            prometheus::process_collector::ProcessCollector::for_self(),
        ));
        Self(Arc::new(Inner {
            registry,
            http_requests,
            http_duration,
            connections_refused,
            ws_connections,
            ws_connections_max,
            store_up,
            ready,
            ws_connects,
            ws_disconnects,
            ws_messages,
            queue_joins,
            queue_admitted,
            inventory_reads,
            queue_waiting,
            admission_rate,
            queue_paused,
            eta_error,
            eta_accuracy,
            ready_latency,
            build_info,
            ratelimit_dropped,
            event_series: parking_lot::Mutex::new(std::collections::HashSet::new()),
            max_event_series,
        }))
    }

    /// Whether `event` has per-event series: the first `max_event_series` events seen do.
    /// Only existing events get here (the ticker and the hub work on nothing else).
    pub fn has_event_series(&self, event: &str) -> bool {
        let mut seen = self.event_series.lock();
        if seen.contains(event) {
            return true;
        }
        if seen.len() >= self.max_event_series {
            return false;
        }
        seen.insert(event.to_owned());
        true
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("text encoding cannot fail");
        String::from_utf8(buf).expect("exposition is UTF-8")
    }
}
