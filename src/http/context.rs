//! Per-request context: the trace id (from W3C `traceparent`, else `X-Request-ID`, else new),
//! echoed as `X-Request-ID` and used in error envelopes, and the seed's HTTP metrics.
//!
//! With traces exported, each request is also a server span (`HTTP <method> <route>`) that
//! continues the caller's `traceparent`, and the request's trace id is that span's: the id the
//! collector receives is the one answers and logs name.

use std::borrow::Cow;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;
use tracing::field::Empty;
use uuid::Uuid;

use super::AppState;
use crate::telemetry::{TRACE_ID, log_span};

const REQUEST_ID: &str = "x-request-id";

/// The trace id of a `traceparent` header (`00-<32 hex>-<16 hex>-<2 hex>`), if well formed and
/// not all zeros.
fn traceparent_trace_id(value: &str) -> Option<&str> {
    let mut parts = value.split('-');
    let (_version, trace, span, _flags) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(trace, 32) && hex(span, 16) && trace.bytes().any(|b| b != b'0')).then_some(trace)
}

/// A client-sent request id is reused only if it is short and plain.
fn sane_request_id(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 128
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// A query string with the value of every `…token` parameter (`token`, `waiting_token`, …)
/// replaced: those are bearer secrets and never recorded.
fn redacted_query(query: &str) -> Cow<'_, str> {
    let secret = |pair: &str| {
        pair.split_once('=')
            .is_some_and(|(key, _)| key.to_ascii_lowercase().ends_with("token"))
    };
    if !query.split('&').any(secret) {
        return Cow::Borrowed(query);
    }
    let pairs: Vec<Cow<'_, str>> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if secret(pair) => Cow::Owned(format!("{key}=REDACTED")),
            _ => Cow::Borrowed(pair),
        })
        .collect();
    Cow::Owned(pairs.join("&"))
}

/// The server span of a request (disabled unless traces are exported). Probes and metric
/// scrapes, which arrive every few seconds from machines, have none.
fn request_span(app: &AppState, req: &Request, method: &str, route: Option<&str>) -> tracing::Span {
    let probe = matches!(route, Some("/healthz" | "/readyz"))
        || route == Some(app.settings.server.metrics_path.as_str());
    if probe {
        return tracing::Span::none();
    }
    let uri = req.uri();
    let span = tracing::info_span!(
        target: usher_otel::TARGET,
        "HTTP",
        otel.name = match route {
            Some(route) => format!("HTTP {method} {route}"),
            None => format!("HTTP {method}"),
        },
        otel.kind = "server",
        otel.status_code = Empty,
        http.request.method = method,
        http.route = route,
        url.path = uri.path(),
        url.query = uri.query().map(redacted_query).as_deref(),
        http.response.status_code = Empty,
    );
    usher_otel::continue_from(&span, req.headers());
    span
}

pub async fn request_context(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let headers = req.headers();
    let request_id = headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| sane_request_id(v))
        .map(str::to_owned);
    let method = req.method().as_str().to_owned();
    let matched = req
        .extensions()
        .get::<MatchedPath>()
        .map(MatchedPath::as_str);
    let span = request_span(&app, &req, &method, matched);
    let route = matched.unwrap_or("unmatched").to_owned();
    // The exported trace's id when there is one (it continues a valid traceparent).
    let trace_id = usher_otel::trace_id(&span)
        .or_else(|| {
            headers
                .get("traceparent")
                .and_then(|v| v.to_str().ok())
                .and_then(traceparent_trace_id)
                .map(str::to_ascii_lowercase)
        })
        .or_else(|| request_id.clone())
        .unwrap_or_else(|| Uuid::new_v4().simple().to_string());

    let mut resp = TRACE_ID
        .scope(trace_id.clone(), next.run(req))
        .instrument(log_span(&trace_id))
        .instrument(span.clone())
        .await;

    let status = resp.status().as_u16();
    span.record("http.response.status_code", status);
    if status >= 500 {
        span.record("otel.status_code", "error");
    }
    let echo = request_id.unwrap_or(trace_id);
    if let Ok(v) = HeaderValue::from_str(&echo) {
        resp.headers_mut().insert(REQUEST_ID, v);
    }
    let status = status.to_string();
    let labels = [method.as_str(), route.as_str(), status.as_str()];
    app.metrics.http_requests.with_label_values(&labels).inc();
    app.metrics
        .http_duration
        .with_label_values(&labels)
        .observe(started.elapsed().as_secs_f64());
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceparent_gives_its_trace_id() {
        let tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert_eq!(
            traceparent_trace_id(tp),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        assert_eq!(traceparent_trace_id("00-abc-def-01"), None);
        let zeros = "00-00000000000000000000000000000000-00f067aa0ba902b7-01";
        assert_eq!(traceparent_trace_id(zeros), None);
    }

    #[test]
    fn token_values_are_redacted_from_queries() {
        assert_eq!(redacted_query("token=6a1f0c&x=1"), "token=REDACTED&x=1");
        assert_eq!(
            redacted_query("a=b&waiting_token=s3cret&Reservation_Token=eyJ"),
            "a=b&waiting_token=REDACTED&Reservation_Token=REDACTED"
        );
        assert!(matches!(redacted_query("event_id=e1"), Cow::Borrowed(_)));
    }

    #[test]
    fn request_ids_are_filtered() {
        assert!(sane_request_id("req-123"));
        assert!(!sane_request_id("a b"));
        assert!(!sane_request_id(&"x".repeat(200)));
    }
}
