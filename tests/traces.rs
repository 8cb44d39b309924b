//! OpenTelemetry traces, received by an in-process OTLP/gRPC receiver from a real `usher serve`
//! process: one purchase traced by its client is one trace across the gateway, its store and
//! the embedded backends, with the right parents; tokens never reach a span; and requests
//! answer at once while the collector is down.

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::KeyValue;
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use opentelemetry_proto::tonic::trace::v1::Span;
use parking_lot::Mutex;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use support::buyer_token;
use support::redis::RedisServer;
use support::usher::{BackendsProcess, UsherProcess, free_port};
use support::ws::{SECOND, WsClient};

const EVENT: &str = "evt_2025_1001";

/// A span as received, with the `service.name` of the process that sent it.
#[derive(Clone)]
struct Received {
    service: String,
    span: Span,
}

impl Received {
    fn trace_id(&self) -> String {
        hex(&self.span.trace_id)
    }

    fn id(&self) -> String {
        hex(&self.span.span_id)
    }

    fn parent(&self) -> String {
        hex(&self.span.parent_span_id)
    }

    fn attr(&self, key: &str) -> Option<String> {
        let kv = self.span.attributes.iter().find(|kv| kv.key == key)?;
        Some(value_text(kv))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn value_text(kv: &KeyValue) -> String {
    match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
        Some(AnyValue::StringValue(s)) => s.clone(),
        Some(AnyValue::IntValue(i)) => i.to_string(),
        Some(AnyValue::BoolValue(b)) => b.to_string(),
        Some(AnyValue::DoubleValue(d)) => d.to_string(),
        other => format!("{other:?}"),
    }
}

/// An OTLP/gRPC trace receiver on a free loopback port, keeping every span it is sent.
#[derive(Clone, Default)]
struct Receiver {
    spans: Arc<Mutex<Vec<Received>>>,
}

#[async_trait::async_trait]
impl TraceService for Receiver {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let mut spans = self.spans.lock();
        for resource_spans in request.into_inner().resource_spans {
            let service = resource_spans
                .resource
                .iter()
                .flat_map(|r| &r.attributes)
                .find(|kv| kv.key == "service.name")
                .map(value_text)
                .unwrap_or_default();
            for scope in resource_spans.scope_spans {
                spans.extend(scope.spans.into_iter().map(|span| Received {
                    service: service.clone(),
                    span,
                }));
            }
        }
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}

impl Receiver {
    /// Starts serving on a free loopback port (until the test's runtime ends); returns the
    /// endpoint to export to.
    async fn start(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let server = tonic::transport::Server::builder()
            .add_service(TraceServiceServer::new(self.clone()))
            .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener));
        tokio::spawn(server);
        endpoint
    }

    fn spans(&self) -> Vec<Received> {
        self.spans.lock().clone()
    }

    /// Waits (at most 10 s) until the spans received satisfy `done`.
    async fn wait_for(&self, what: &str, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let deadline = Instant::now() + 10 * SECOND;
        loop {
            let spans = self.spans();
            if done(&spans) {
                return spans;
            }
            if Instant::now() > deadline {
                let seen: Vec<String> = spans
                    .iter()
                    .map(|s| format!("{} {}", &s.trace_id()[..8], s.span.name))
                    .collect();
                panic!("never received {what}; received: {seen:#?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The spans of `trace` as a tree of names, children under their parents in start order;
/// roots are the spans whose parent is not among them (named as such).
fn tree(spans: &[Received], trace: &str) -> String {
    let spans: Vec<&Received> = spans.iter().filter(|s| s.trace_id() == trace).collect();
    let ids: Vec<String> = spans.iter().map(|s| s.id()).collect();
    let mut children: HashMap<String, Vec<&Received>> = HashMap::new();
    for s in &spans {
        children.entry(s.parent()).or_default().push(s);
    }
    for list in children.values_mut() {
        list.sort_by_key(|s| s.span.start_time_unix_nano);
    }
    fn walk(
        out: &mut String,
        children: &HashMap<String, Vec<&Received>>,
        span: &Received,
        depth: usize,
    ) {
        out.push_str(&format!(
            "{}{}  [{} {}]\n",
            "    ".repeat(depth),
            span.span.name,
            span.service,
            &span.id()[..8],
        ));
        for child in children.get(&span.id()).into_iter().flatten() {
            walk(out, children, child, depth + 1);
        }
    }
    let mut out = format!("trace {trace}\n");
    let mut parents: Vec<&String> = children.keys().filter(|p| !ids.contains(p)).collect();
    parents.sort();
    for parent in parents {
        let label = if parent.is_empty() {
            "(root)".to_owned()
        } else {
            format!("(parent {parent}, not exported: the caller's span)")
        };
        out.push_str(&format!("{label}\n"));
        for root in &children[parent] {
            walk(&mut out, &children, root, 1);
        }
    }
    out
}

/// Every span of `spans` under `root` (not itself).
fn descendants<'a>(spans: &'a [Received], root: &Received) -> Vec<&'a Received> {
    let mut found = Vec::new();
    let mut frontier = vec![root.id()];
    while let Some(parent) = frontier.pop() {
        for s in spans.iter().filter(|s| s.parent() == parent) {
            frontier.push(s.id());
            found.push(s);
        }
    }
    found
}

fn named<'a>(spans: &'a [Received], trace: &str, name: &str) -> Vec<&'a Received> {
    spans
        .iter()
        .filter(|s| s.trace_id() == trace && s.span.name == name)
        .collect()
}

/// A client that sends `traceparent` (the buyer's page, traced) on every request.
struct TracedClient {
    http: reqwest::Client,
    base: String,
    bearer: String,
    traceparent: String,
}

impl TracedClient {
    async fn send(&self, req: reqwest::RequestBuilder) -> (u16, HeaderMap, Value) {
        let resp = req
            .bearer_auth(&self.bearer)
            .header("traceparent", &self.traceparent)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .send()
            .await
            .unwrap();
        let (status, headers) = (resp.status().as_u16(), resp.headers().clone());
        (status, headers, resp.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: Value) -> (u16, HeaderMap, Value) {
        let url = format!("{}{path}", self.base);
        self.send(self.http.post(url).json(&body)).await
    }

    /// POSTs, checks the answer's status and returns its body.
    async fn post_expecting(&self, status: u16, path: &str, body: Value) -> Value {
        let (answered, _, body) = self.post(path, body).await;
        assert_eq!(answered, status, "{path}: {body}");
        body
    }
}

#[tokio::test]
async fn one_purchase_is_one_trace_across_the_gateway_its_store_and_the_backends() {
    let receiver = Receiver::default();
    let endpoint = receiver.start().await;
    let usher = UsherProcess::start(&[
        ("OBSERVABILITY_OTLP_ENDPOINT", endpoint.as_str()),
        ("OTEL_BSP_SCHEDULE_DELAY", "100"),
    ])
    .await;
    // The buyer's trace: every request of the purchase continues the client's span.
    let trace = uuid::Uuid::new_v4().simple().to_string();
    let client_span = &uuid::Uuid::new_v4().simple().to_string()[..16];
    let buyer = TracedClient {
        http: reqwest::Client::new(),
        base: usher.base(),
        bearer: buyer_token("traced-buyer"),
        traceparent: format!("00-{trace}-{client_span}-01"),
    };

    let (status, headers, joined) = buyer
        .post("/api/v1/queue/join", json!({"event_id": EVENT}))
        .await;
    assert_eq!(status, 202, "{joined}");
    assert_eq!(headers["x-request-id"], trace.as_str());
    let waiting_token = joined["waiting_token"].as_str().unwrap().to_owned();

    let mut request = format!("{}/api/v1/queue/ws?token={waiting_token}", usher.ws_base())
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("traceparent", buyer.traceparent.parse().unwrap());
    let (stream, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut ws = WsClient { stream };
    ws.wait_ready(10 * SECOND).await;

    // An error answer names the same trace.
    let (status, _, refused) = buyer
        .post(
            "/api/v1/queue/enter",
            json!({"waiting_token": "no-such-token"}),
        )
        .await;
    assert!(status >= 400, "{refused}");
    assert_eq!(refused["error"]["trace_id"], trace.as_str());

    let granted = buyer
        .post_expecting(
            200,
            "/api/v1/queue/enter",
            json!({"waiting_token": waiting_token}),
        )
        .await;
    let reservation_token = granted["reservation_token"].as_str().unwrap().to_owned();
    let seat = json!({
        "event_id": EVENT,
        "seat_ids": ["VIP-3-12"],
        "reservation_token": reservation_token,
    });
    let reserved = buyer
        .post_expecting(201, "/api/v1/reservations", seat)
        .await;
    let reservation = reserved["reservation_id"].as_str().unwrap().to_owned();
    let payment = json!({
        "reservation_id": reservation,
        "amount": 150_000,
        "currency": "KRW",
        "scenario": "approve",
    });
    buyer
        .post_expecting(200, "/api/v1/payments/intent", payment)
        .await;
    ws.stream.close(None).await.unwrap();

    // A request with no traceparent starts a trace of its own, and says which.
    let resp = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/reservations/{reservation}",
            usher.base()
        ))
        .bearer_auth(&buyer.bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let own_trace = resp.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(own_trace, trace);

    let spans = receiver
        .wait_for("the purchase's spans", |spans| {
            let has = |trace: &str, name: &str| {
                spans
                    .iter()
                    .any(|s| s.trace_id() == trace && s.span.name == name)
            };
            has(&trace, "ws session")
                && has(&trace, "HTTP POST /api/v1/payments/intent")
                && has(&trace, "HTTP POST /api/v1/webhooks/payment")
                && has(&own_trace, "HTTP GET /api/v1/reservations/{id}")
                && spans.iter().any(|s| s.span.name == "admission tick")
        })
        .await;
    eprintln!("{}", tree(&spans, &trace));
    eprintln!("{}", tree(&spans, &own_trace));
    let tick = spans
        .iter()
        .find(|s| s.span.name == "admission tick")
        .unwrap();
    eprintln!("{}", tree(&spans, &tick.trace_id()));

    // The reservation: HTTP → store and gRPC client → the backends' gRPC server.
    let [reserve] = named(&spans, &trace, "HTTP POST /api/v1/reservations")[..] else {
        panic!("one reservation request span");
    };
    assert_eq!(reserve.parent(), client_span, "continues the client's span");
    assert_eq!(
        reserve.attr("http.response.status_code").as_deref(),
        Some("201")
    );
    let under = descendants(&spans, reserve);
    assert!(
        under.iter().any(|s| s.span.name.starts_with("store ")),
        "a store span under the reservation request"
    );
    let call = "reservation.v1.ReservationService/CreateReservation";
    let client = under
        .iter()
        .find(|s| s.span.name == format!("grpc client {call}"))
        .expect("the gRPC client span under the reservation request");
    let server = spans
        .iter()
        .find(|s| s.span.name == format!("grpc server {call}"))
        .expect("the backends' gRPC server span");
    assert_eq!(server.trace_id(), trace);
    assert_eq!(
        server.parent(),
        client.id(),
        "the server continues the client"
    );
    assert_eq!(server.attr("rpc.grpc.status_code").as_deref(), Some("0"));

    // The settlement: the payment service's webhook continues the call that created the
    // intent, so the confirmation is part of the purchase's trace.
    let intent = spans
        .iter()
        .find(|s| s.span.name == "grpc server payment.v1.PaymentService/CreatePaymentIntent")
        .expect("the payment service's server span");
    let [webhook] = named(&spans, &trace, "HTTP POST /api/v1/webhooks/payment")[..] else {
        panic!("one webhook request span");
    };
    assert_eq!(
        webhook.parent(),
        intent.id(),
        "the webhook continues the intent's call"
    );
    assert!(
        descendants(&spans, webhook)
            .iter()
            .any(|s| s.span.name
                == "grpc client reservation.v1.ReservationService/ConfirmReservation"),
        "the webhook confirms the reservation within the trace"
    );
    // Every gRPC call of the purchase reached the backends within the trace.
    for client in spans
        .iter()
        .filter(|s| s.trace_id() == trace && s.span.name.starts_with("grpc client "))
    {
        let method = client.span.name.trim_start_matches("grpc client ");
        assert!(
            spans.iter().any(
                |s| s.parent() == client.id() && s.span.name == format!("grpc server {method}")
            ),
            "no server span for {}",
            client.span.name
        );
    }

    // The socket: a child of its upgrade request, whose recorded query hides the token.
    let [upgrade] = named(&spans, &trace, "HTTP GET /api/v1/queue/ws")[..] else {
        panic!("one upgrade request span");
    };
    assert_eq!(upgrade.attr("url.query").as_deref(), Some("token=REDACTED"));
    let [session] = named(&spans, &trace, "ws session")[..] else {
        panic!("one socket session span");
    };
    assert_eq!(session.parent(), upgrade.id());
    assert_eq!(session.attr("usher.event_id").as_deref(), Some(EVENT));
    assert!(session.attr("usher.ws.close_reason").is_some());

    // The id a request without traceparent answers with is its exported trace's.
    let [get] = named(&spans, &own_trace, "HTTP GET /api/v1/reservations/{id}")[..] else {
        panic!("the GET's span in the trace its X-Request-ID names");
    };
    assert!(get.parent().is_empty(), "a trace of its own");

    let tick_admitted: u64 = tick.attr("usher.admitted").unwrap().parse().unwrap();
    assert!(tick_admitted >= 1);
    assert_eq!(tick.attr("usher.event_id").as_deref(), Some(EVENT));

    // Bearer secrets appear in no span name or attribute.
    for secret in [&waiting_token, &reservation_token, &buyer.bearer] {
        for s in &spans {
            assert!(!s.span.name.contains(secret.as_str()));
            for kv in &s.span.attributes {
                assert!(
                    !value_text(kv).contains(secret.as_str()),
                    "{} of {} holds a token",
                    kv.key,
                    s.span.name
                );
            }
        }
    }
    assert!(spans.iter().all(|s| s.service == "usher"));
}

#[tokio::test]
async fn on_redis_with_standalone_backends_the_trace_names_lua_scripts_and_crosses_processes() {
    let receiver = Receiver::default();
    let endpoint = receiver.start().await;
    let otlp = [
        ("OBSERVABILITY_OTLP_ENDPOINT", endpoint.as_str()),
        ("OTEL_BSP_SCHEDULE_DELAY", "100"),
    ];
    let redis = RedisServer::start();
    let backends = BackendsProcess::start_with(&otlp).await;
    let mut env: Vec<(String, String)> = backends.env();
    env.push(("REDIS_ADDRESS".into(), redis.address()));
    env.push(("USHER_TICK_MS".into(), "20".into()));
    env.extend(otlp.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let usher = UsherProcess::start(&env).await;
    let trace = uuid::Uuid::new_v4().simple().to_string();
    let buyer = TracedClient {
        http: reqwest::Client::new(),
        base: usher.base(),
        bearer: buyer_token("redis-buyer"),
        traceparent: format!("00-{trace}-{}-01", &trace[..16]),
    };

    let joined = buyer
        .post_expecting(202, "/api/v1/queue/join", json!({"event_id": EVENT}))
        .await;
    let waiting_token = joined["waiting_token"].as_str().unwrap();
    let deadline = Instant::now() + 10 * SECOND;
    let granted = loop {
        let (status, _, body) = buyer
            .post(
                "/api/v1/queue/enter",
                json!({"waiting_token": waiting_token}),
            )
            .await;
        if status == 200 {
            break body;
        }
        assert!(Instant::now() < deadline, "never admitted: {body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let seat = json!({
        "event_id": EVENT,
        "seat_ids": ["VIP-1-1"],
        "reservation_token": granted["reservation_token"],
    });
    buyer
        .post_expecting(201, "/api/v1/reservations", seat)
        .await;

    let call = "grpc server reservation.v1.ReservationService/CreateReservation";
    let spans = receiver
        .wait_for("the reservation's server span", |spans| {
            spans.iter().any(|s| s.span.name == call)
                && spans
                    .iter()
                    .any(|s| s.span.name == "HTTP POST /api/v1/reservations")
        })
        .await;
    eprintln!("{}", tree(&spans, &trace));

    let [join] = named(&spans, &trace, "HTTP POST /api/v1/queue/join")[..] else {
        panic!("one join request span");
    };
    let script = descendants(&spans, join)
        .into_iter()
        .find(|s| s.span.name == "store join")
        .expect("the join script's span under the join request");
    assert_eq!(script.attr("db.system.name").as_deref(), Some("redis"));
    assert_eq!(script.attr("db.operation.name").as_deref(), Some("EVALSHA"));
    assert_eq!(
        script.attr("db.stored_procedure.name").as_deref(),
        Some("join")
    );
    // Health checks and the ticker's steps make no store spans of their own.
    for s in spans.iter().filter(|s| s.span.name.starts_with("store ")) {
        assert_eq!(s.trace_id(), trace, "{} outside the purchase", s.span.name);
    }
    let server = spans.iter().find(|s| s.span.name == call).unwrap();
    assert_eq!(server.service, "usher-backends");
    let client = spans
        .iter()
        .find(|s| s.id() == server.parent())
        .expect("the server span's parent was exported");
    assert_eq!(client.service, "usher");
    assert_eq!(
        client.span.name,
        "grpc client reservation.v1.ReservationService/CreateReservation"
    );
    assert_eq!(server.trace_id(), trace);
}

#[tokio::test]
async fn a_graceful_stop_exports_the_spans_still_queued() {
    let receiver = Receiver::default();
    let endpoint = receiver.start().await;
    let mut usher = UsherProcess::start(&[
        ("OBSERVABILITY_OTLP_ENDPOINT", endpoint.as_str()),
        // Nothing leaves on schedule during the test: only the stop sends it.
        ("OTEL_BSP_SCHEDULE_DELAY", "600000"),
    ])
    .await;
    let (status, body) = usher.try_join(EVENT).await;
    assert_eq!(status, 202, "{body}");
    assert!(receiver.spans().is_empty(), "exported before the stop");
    assert!(usher.terminate(10 * SECOND).await, "usher did not stop");
    receiver
        .wait_for("the join's span", |spans| {
            spans
                .iter()
                .any(|s| s.span.name == "HTTP POST /api/v1/queue/join")
        })
        .await;
    // Health probes are not traced.
    assert!(
        receiver
            .spans()
            .iter()
            .all(|s| !s.span.name.contains("/healthz"))
    );
}

/// Latencies of sequential joins for `period`, sorted.
async fn join_latencies(usher: &UsherProcess, period: Duration) -> Vec<Duration> {
    let mut took = Vec::new();
    let started = Instant::now();
    while started.elapsed() < period {
        let sent = Instant::now();
        let (status, body) = usher.try_join(EVENT).await;
        took.push(sent.elapsed());
        assert_eq!(status, 202, "{body}");
    }
    took.sort();
    took
}

#[tokio::test]
async fn requests_answer_at_once_while_the_collector_is_down() {
    // A collector that accepts connections and never answers: each export waits out its
    // timeout, the worst case for a caller that would wait for it.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_endpoint = format!("http://{}", silent.local_addr().unwrap());
    let accepted = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((conn, _)) = silent.accept().await {
            held.push(conn);
        }
    });
    let closed_endpoint = format!("http://127.0.0.1:{}", free_port());
    // Longer than an export's timeout, so joins go on while one hangs and the queue is full.
    const PERIOD: Duration = Duration::from_millis(2_500);
    let baseline = join_latencies(&UsherProcess::start(&[]).await, PERIOD).await;
    let percentile = |took: &[Duration], p: usize| took[(took.len() - 1) * p / 100];
    for (collector, endpoint) in [
        ("refusing connections", closed_endpoint),
        ("never answering", silent_endpoint),
    ] {
        let usher = UsherProcess::start(&[
            ("OBSERVABILITY_OTLP_ENDPOINT", endpoint.as_str()),
            ("OTEL_BSP_SCHEDULE_DELAY", "50"),
            // A small queue, so it fills and spans are dropped while the exports fail.
            ("OTEL_BSP_MAX_QUEUE_SIZE", "64"),
            ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "64"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "1000"),
        ])
        .await;
        let took = join_latencies(&usher, PERIOD).await;
        let max = percentile(&took, 100);
        eprintln!(
            "{} joins in {PERIOD:?} with the collector {collector}: median {:?}, p99 {:?}, max \
             {max:?} (without tracing: {} joins, median {:?}, p99 {:?}, max {:?})",
            took.len(),
            percentile(&took, 50),
            percentile(&took, 99),
            baseline.len(),
            percentile(&baseline, 50),
            percentile(&baseline, 99),
            percentile(&baseline, 100),
        );
        assert!(max < Duration::from_millis(500), "a join waited {max:?}");
    }
    accepted.abort();
}
