//! Per-request context: the trace id (from W3C `traceparent`, else `X-Request-ID`, else new),
//! echoed as `X-Request-ID` and used in error envelopes, and the seed's HTTP metrics.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use uuid::Uuid;

use super::AppState;
use crate::telemetry::TRACE_ID;

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

pub async fn request_context(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let headers = req.headers();
    let request_id = headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| sane_request_id(v))
        .map(str::to_owned);
    let trace_id = headers
        .get("traceparent")
        .and_then(|v| v.to_str().ok())
        .and_then(traceparent_trace_id)
        .map(str::to_ascii_lowercase)
        .or_else(|| request_id.clone())
        .unwrap_or_else(|| Uuid::new_v4().simple().to_string());
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();

    let mut resp = TRACE_ID.scope(trace_id.clone(), next.run(req)).await;

    let echo = request_id.unwrap_or(trace_id);
    if let Ok(v) = HeaderValue::from_str(&echo) {
        resp.headers_mut().insert(REQUEST_ID, v);
    }
    let status = resp.status().as_u16().to_string();
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
    fn request_ids_are_filtered() {
        assert!(sane_request_id("req-123"));
        assert!(!sane_request_id("a b"));
        assert!(!sane_request_id(&"x".repeat(200)));
    }
}
