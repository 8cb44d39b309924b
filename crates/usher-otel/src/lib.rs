//! # usher-otel
//!
//! OpenTelemetry traces for usher's processes, exported over OTLP/gRPC, and the W3C trace
//! context that ties one purchase together across HTTP, the store and the gRPC backends.
//!
//! Spans are ordinary `tracing` spans under the target [`TARGET`]; the layer [`install`]
//! returns turns them into OpenTelemetry spans. Without that layer nobody is interested in the
//! target, so every such span is disabled at its call site and costs next to nothing: tracing
//! off is the default, and then usher behaves as if this crate did not exist.
//!
//! ## Layout
//!
//! - `pipeline.rs`: [`install`] (tracer provider, batch export that never blocks a caller,
//!   sampling, the `tracing` layer) and [`Pipeline`], whose shutdown flushes what is left;
//! - `context.rs`: trace context in HTTP headers ([`continue_from`], [`inject`]), the trace id
//!   of a span ([`trace_id`]) and spans recorded after the fact ([`record_finished`]);
//! - [`grpc`]: the tower layers that give each gRPC call a span: the client's carries its
//!   context in `traceparent`, the server's continues it.
//!
//! Both sides use it: the gateway (`usher`) for HTTP, store and client spans, the reference
//! backends (`usher-backends`) for their server spans.

mod context;
pub mod grpc;
mod pipeline;

pub use context::{continue_from, in_trace, inject, record_finished, trace_id};
pub use opentelemetry::KeyValue;
pub use pipeline::{Pipeline, TraceConfig, enabled, install};

/// The `tracing` target of every span meant for export. Only the OpenTelemetry layer listens
/// to it; the log output never shows these spans (their attributes are not log fields).
pub const TARGET: &str = "otel";
