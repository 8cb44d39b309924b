//! One span per gRPC call, on both sides: `grpc client <service>/<method>` around a call the
//! gateway makes, `grpc server <service>/<method>` around a call a backend serves. The client
//! sends its span's context in `traceparent`; the server continues it, so the server span is
//! the client span's child even across processes.
//!
//! Both are tower-http trace layers configured here: the span lasts until the response body
//! ends (where gRPC puts its status, in the trailers), and records `rpc.grpc.status_code`.
//! Message bodies and metadata values are never recorded.

use std::time::Duration;

use http::{HeaderMap, Request, Response};
use tower::util::MapRequest;
use tower_http::classify::{GrpcErrorsAsFailures, GrpcFailureClass, SharedClassifier};
use tower_http::trace::{MakeSpan, OnEos, OnFailure, OnResponse, Trace, TraceLayer};
use tracing::Span;
use tracing::field::Empty;

/// Which end of a call a span stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Client,
    Server,
}

/// Makes a call's span and records its outcome.
#[derive(Debug, Clone, Copy)]
pub struct Spans(Side);

/// The trace layer of [`server`] and [`client`].
pub type Layer =
    TraceLayer<SharedClassifier<GrpcErrorsAsFailures>, Spans, (), Spans, (), Spans, Spans>;

/// A client service: [`client`]'s wrapping of `S` for request bodies `B`.
pub type Client<S, B> = Trace<
    MapRequest<S, fn(Request<B>) -> Request<B>>,
    SharedClassifier<GrpcErrorsAsFailures>,
    Spans,
    (),
    Spans,
    (),
    Spans,
    Spans,
>;

fn layer(side: Side) -> Layer {
    TraceLayer::new_for_grpc()
        .make_span_with(Spans(side))
        .on_request(())
        .on_response(Spans(side))
        .on_body_chunk(())
        .on_eos(Spans(side))
        .on_failure(Spans(side))
}

/// The layer for a gRPC server: a `grpc server` span per call, the child of the caller's span
/// when the call carries a `traceparent`.
pub fn server() -> Layer {
    layer(Side::Server)
}

/// Wraps a gRPC client's channel: a `grpc client` span per call, within the current span,
/// whose context the call carries in `traceparent` (replacing any the caller set).
pub fn client<S, B>(channel: S) -> Client<S, B> {
    let inject: fn(Request<B>) -> Request<B> = inject_current;
    tower::Layer::layer(&layer(Side::Client), MapRequest::new(channel, inject))
}

/// Runs inside the client span (the trace layer enters it around the inner call).
fn inject_current<B>(mut request: Request<B>) -> Request<B> {
    crate::inject(&Span::current(), request.headers_mut());
    request
}

/// `/package.Service/Method` → (`package.Service`, `Method`).
fn service_and_method(path: &str) -> (&str, &str) {
    path.trim_start_matches('/')
        .split_once('/')
        .unwrap_or((path, ""))
}

impl<B> MakeSpan<B> for Spans {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        let (service, method) = service_and_method(request.uri().path());
        let side = match self.0 {
            Side::Client => "client",
            Side::Server => "server",
        };
        let span = tracing::info_span!(
            target: crate::TARGET,
            "grpc",
            otel.name = format!("grpc {side} {service}/{method}"),
            otel.kind = side,
            otel.status_code = Empty,
            rpc.system = "grpc",
            rpc.service = service,
            rpc.method = method,
            rpc.grpc.status_code = Empty,
        );
        if self.0 == Side::Server {
            crate::continue_from(&span, request.headers());
        }
        span
    }
}

fn record_status(headers: Option<&HeaderMap>, span: &Span) {
    let code = headers
        .and_then(|h| h.get("grpc-status"))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok());
    if let Some(code) = code {
        span.record("rpc.grpc.status_code", code);
    }
}

impl<B> OnResponse<B> for Spans {
    /// A status in the headers: a trailers-only answer (an error, usually).
    fn on_response(self, response: &Response<B>, _: Duration, span: &Span) {
        record_status(Some(response.headers()), span);
    }
}

impl OnEos for Spans {
    fn on_eos(self, trailers: Option<&HeaderMap>, _: Duration, span: &Span) {
        record_status(trailers, span);
    }
}

impl OnFailure<GrpcFailureClass> for Spans {
    /// Every failed call is an error for the client. For the server only the codes that say
    /// the server failed are (the semantic conventions' rule): a refused or unknown request
    /// is the caller's error, not the service's.
    fn on_failure(&mut self, failure: GrpcFailureClass, _: Duration, span: &Span) {
        let server_fault = match failure {
            GrpcFailureClass::Code(code) => {
                // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS.
                matches!(code.get(), 2 | 4 | 12 | 13 | 14 | 15)
            }
            GrpcFailureClass::Error(_) => true,
        };
        if self.0 == Side::Client || server_fault {
            span.record("otel.status_code", "error");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grpc_path_names_its_service_and_method() {
        assert_eq!(
            service_and_method("/reservation.v1.ReservationService/CreateReservation"),
            ("reservation.v1.ReservationService", "CreateReservation")
        );
        assert_eq!(service_and_method("/odd"), ("/odd", ""));
    }
}
