//! W3C trace context (`traceparent`, `tracestate`) in HTTP headers (gRPC metadata is HTTP/2
//! headers too), and what a span's context tells.

use std::time::SystemTime;

use http::HeaderMap;
use http::header::{HeaderName, HeaderValue};
use opentelemetry::KeyValue;
use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
use opentelemetry::trace::{Span as _, TraceContextExt, Tracer};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;

struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(HeaderName::as_str).collect()
    }
}

struct HeadersMut<'a>(&'a mut HeaderMap);

impl Injector for HeadersMut<'_> {
    fn set(&mut self, key: &str, value: String) {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(key.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            self.0.insert(name, value);
        }
    }
}

/// Makes `span` (not yet entered) a child of the caller's span named in `headers`, if they
/// carry a valid `traceparent`; otherwise `span` starts a trace of its own.
pub fn continue_from(span: &Span, headers: &HeaderMap) {
    let parent = TraceContextPropagator::new().extract(&Headers(headers));
    if parent.span().span_context().is_remote() {
        // Fails only for a span no OpenTelemetry layer records: nothing to continue then.
        let _ = span.set_parent(parent);
    }
}

/// Writes `span`'s context into `headers` (`traceparent`, and `tracestate` when there is
/// one), so the callee's span becomes its child. Writes nothing for a span that is not
/// traced.
pub fn inject(span: &Span, headers: &mut HeaderMap) {
    let cx = span.context();
    if cx.span().span_context().is_valid() {
        TraceContextPropagator::new().inject_context(&cx, &mut HeadersMut(headers));
    }
}

/// The trace id of `span` (32 lowercase hex digits), if it is traced: sampled or not, a traced
/// span has one, so logs and answers can name the trace whether or not it is exported.
pub fn trace_id(span: &Span) -> Option<String> {
    let cx = span.context();
    let context = cx.span().span_context().clone();
    context.is_valid().then(|| context.trace_id().to_string())
}

/// Whether the current task is inside a traced span, so that a child span has a parent to
/// join. Work outside any request, socket or tick (health checks, housekeeping) starts no
/// trace. (Entering a traced span makes its context the current one; entering a span the
/// trace does not see, such as the log output's, leaves it.)
pub fn in_trace() -> bool {
    crate::enabled() && opentelemetry::Context::map_current(|cx| cx.has_active_span())
}

/// Records a finished root span named `name` that started at `start` and ends now. For work
/// whose worth is known only afterwards, such as an admission tick that admitted somebody:
/// the ticks that did nothing leave no trace at all.
pub fn record_finished(name: &'static str, start: SystemTime, attributes: Vec<KeyValue>) {
    if let Some(tracer) = crate::pipeline::TRACER.get() {
        tracer
            .span_builder(name)
            .with_start_time(start)
            .with_attributes(attributes)
            .start(tracer)
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untraced_span_has_no_trace_id_and_injects_nothing() {
        let span = Span::none();
        assert_eq!(trace_id(&span), None);
        let mut headers = HeaderMap::new();
        inject(&span, &mut headers);
        assert!(headers.is_empty());
        assert!(!in_trace());
    }

    #[test]
    fn a_traceparent_is_read_from_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "traceparent",
            HeaderValue::from_static("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        );
        let cx = TraceContextPropagator::new().extract(&Headers(&headers));
        let remote = cx.span().span_context().clone();
        assert!(remote.is_remote() && remote.is_sampled());
        assert_eq!(
            remote.trace_id().to_string(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        let mut out = HeaderMap::new();
        TraceContextPropagator::new().inject_context(&cx, &mut HeadersMut(&mut out));
        assert_eq!(out["traceparent"], headers["traceparent"]);
    }
}
