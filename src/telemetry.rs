//! Logging via `tracing`: JSON (the seed's default) or text, filtered by `LOG_LEVEL`; and, when
//! a collector is configured, OpenTelemetry traces ([`usher_otel`]) beside the logs.

use tracing::Span;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::{FilterExt, filter_fn};
use tracing_subscriber::prelude::*;

use crate::config::{LogFormat, LogSettings, TracingSettings};

tokio::task_local! {
    /// The trace id of the request being served (set by the request-context middleware).
    pub static TRACE_ID: String;
}

/// The current request's trace id, or empty outside a request.
pub fn current_trace_id() -> String {
    TRACE_ID.try_with(Clone::clone).unwrap_or_default()
}

/// Installs the global subscriber: the log output and, when `tracing` names a collector, the
/// trace export, whose pipeline is returned to be shut down (flushed) at exit. With tracing on
/// it must run inside the Tokio runtime the process serves on. `service` is the traces'
/// `service.name` unless `OTEL_SERVICE_NAME` says otherwise.
pub fn init(
    log: &LogSettings,
    tracing: &TracingSettings,
    service: &'static str,
) -> anyhow::Result<Option<usher_otel::Pipeline>> {
    let filter = EnvFilter::try_new(&log.level)
        .map_err(|e| anyhow::anyhow!("LOG_LEVEL is not a valid level or filter: {e}"))?;
    // The exported spans are not log lines: their attributes stay out of the log output.
    let logs = filter.and(filter_fn(|meta| meta.target() != usher_otel::TARGET));
    let (traces, pipeline) = if tracing.enabled() {
        let config = usher_otel::TraceConfig {
            endpoint: tracing.otlp_endpoint.clone(),
            sample_ratio: tracing.sample_ratio,
            service_name: service,
        };
        let (layer, pipeline) = usher_otel::install(config).map_err(anyhow::Error::msg)?;
        (Some(layer), Some(pipeline))
    } else {
        (None, None)
    };
    let output = match log.format {
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            // With traces on, a line written while serving a request carries its trace id
            // (see [`log_span`]); without them there is no such span, as before.
            .with_current_span(pipeline.is_some())
            .with_span_list(false)
            .boxed(),
        LogFormat::Text => tracing_subscriber::fmt::layer().boxed(),
    };
    tracing_subscriber::registry()
        .with(traces)
        .with(output.with_filter(logs))
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot install the logger: {e}"))?;
    Ok(pipeline)
}

/// With traces on, a span for the log output alone that names the request's trace: every log
/// line written inside it carries `trace_id`, the id the collector received. At ERROR level
/// so that no `LOG_LEVEL` hides it from lines it lets through. Without traces, none.
pub fn log_span(trace_id: &str) -> Span {
    if usher_otel::enabled() {
        tracing::error_span!("request", trace_id)
    } else {
        Span::none()
    }
}
