//! Logging via `tracing`: JSON (the seed's default) or text, filtered by `LOG_LEVEL`.

use tracing_subscriber::EnvFilter;

tokio::task_local! {
    /// The trace id of the request being served (set by the request-context middleware).
    pub static TRACE_ID: String;
}

/// The current request's trace id, or empty outside a request.
pub fn current_trace_id() -> String {
    TRACE_ID.try_with(Clone::clone).unwrap_or_default()
}

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber.
pub fn init(settings: &LogSettings) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(&settings.level)
        .map_err(|e| anyhow::anyhow!("LOG_LEVEL is not a valid level or filter: {e}"))?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let result = match settings.format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
    result.map_err(|e| anyhow::anyhow!("cannot install the logger: {e}"))
}
