//! The export pipeline: an SDK tracer provider with a batch span processor and an OTLP/gRPC
//! exporter, and the `tracing` layer that feeds it.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{SpanExporter, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::{Sampler, SdkTracer, SdkTracerProvider};
use tracing::Subscriber;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::registry::LookupSpan;

/// Whether [`install`] ran (read where a span would cost more than a disabled call site).
static ENABLED: AtomicBool = AtomicBool::new(false);
/// The tracer of [`crate::record_finished`].
pub(crate) static TRACER: OnceLock<SdkTracer> = OnceLock::new();

/// How long shutdown waits for the last spans to leave.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(3);

/// Whether spans are exported (a pipeline is installed in this process).
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// What the pipeline needs beyond the standard `OTEL_*` variables the SDK reads itself
/// (`OTEL_EXPORTER_OTLP_TIMEOUT`, `OTEL_BSP_*`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`).
#[derive(Debug, Clone)]
pub struct TraceConfig {
    /// The collector's OTLP/gRPC endpoint; `None` lets the exporter read
    /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT`.
    pub endpoint: Option<String>,
    /// The share of new traces to record; a trace continued from a caller follows the
    /// caller's decision. `None` leaves the sampler to `OTEL_TRACES_SAMPLER` (by default,
    /// every trace).
    pub sample_ratio: Option<f64>,
    /// `service.name`, unless `OTEL_SERVICE_NAME` names another.
    pub service_name: &'static str,
}

/// The installed pipeline. [`Pipeline::shutdown`] exports what is still queued.
pub struct Pipeline {
    provider: SdkTracerProvider,
}

impl Pipeline {
    /// Exports the spans still queued, waiting at most a few seconds (a collector that is down
    /// must not hold the process). Blocks: call it off the async workers.
    pub fn shutdown(self) {
        let _ = self.provider.shutdown_with_timeout(SHUTDOWN_TIMEOUT);
    }
}

/// Builds the pipeline and returns the layer to add to the process's subscriber. Must run
/// inside a Tokio runtime (the exporter's channel lives on it); export happens on the batch
/// processor's own thread, so a caller never waits for the collector: when its queue
/// (`OTEL_BSP_MAX_QUEUE_SIZE`) is full, spans are dropped.
pub fn install<S>(config: TraceConfig) -> Result<(impl Layer<S>, Pipeline), String>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    let mut exporter = SpanExporter::builder().with_tonic();
    if let Some(endpoint) = config.endpoint {
        exporter = exporter.with_endpoint(endpoint);
    }
    let exporter = exporter
        .build()
        .map_err(|e| format!("cannot build the OTLP exporter: {e}"))?;
    let mut resource = Resource::builder();
    if std::env::var_os("OTEL_SERVICE_NAME").is_none() {
        resource = resource.with_service_name(config.service_name);
    }
    let mut provider = SdkTracerProvider::builder()
        .with_resource(resource.build())
        .with_batch_exporter(exporter);
    if let Some(ratio) = config.sample_ratio {
        provider = provider.with_sampler(Sampler::ParentBased(Box::new(
            Sampler::TraceIdRatioBased(ratio),
        )));
    }
    let provider = provider.build();
    let tracer = provider.tracer(config.service_name);
    let _ = TRACER.set(tracer.clone());
    ENABLED.store(true, Ordering::Relaxed);
    let layer = tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_location(false)
        .with_threads(false)
        .with_target(false)
        .with_tracked_inactivity(false)
        // Only usher's own spans: libraries' spans and every log event stay out of the trace.
        .with_filter(filter_fn(|meta| meta.target() == crate::TARGET));
    Ok((layer, Pipeline { provider }))
}
