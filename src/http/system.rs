//! Operational routes: `/healthz`, `/readyz`, `/version`, `/metrics`, and the web client at `/`.

use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value, json};

use super::AppState;

const SERVICE: &str = "usher";

fn timestamp() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

/// Liveness: the process answers.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "healthy", "timestamp": timestamp(), "service": SERVICE}))
}

/// Readiness: not draining, and the store has not been unreachable for longer than
/// `USHER_READY_OUTAGE_SECS`. A slow answer is still an answer: the seed's readiness, a PING
/// on every probe, flapped with Redis latency and took whole fleets out of service.
pub async fn readyz(State(app): State<AppState>) -> Response {
    let reason = if app.draining.load(Ordering::Relaxed) {
        Some("draining".to_owned())
    } else {
        app.readiness
            .check()
            .err()
            .map(|e| format!("{} {e}", app.store_kind))
    };
    match reason {
        None => Json(json!({"status": "ready", "timestamp": timestamp(), "service": SERVICE}))
            .into_response(),
        Some(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "not ready", "reason": reason, "timestamp": timestamp()})),
        )
            .into_response(),
    }
}

/// The public keys of reservation tokens, so that backends can verify them.
pub async fn jwks(State(app): State<AppState>) -> Json<jsonwebtoken::jwk::JwkSet> {
    Json(app.reservation_tokens.jwks())
}

/// The real version and the git commit it was built from.
pub async fn version() -> Json<Value> {
    Json(json!({
        "service": SERVICE,
        "version": env!("CARGO_PKG_VERSION"),
        "commit": crate::GIT_COMMIT,
        "built": crate::BUILT_AT,
    }))
}

pub async fn metrics(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &app.settings.server.metrics_token
        && let Err(e) = super::admin::check_bearer(&headers, token)
    {
        return e.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        app.metrics.render(),
    )
        .into_response()
}

/// Shown at `/` when the web client has not been built.
pub async fn client_missing(State(app): State<AppState>) -> Html<String> {
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>usher</title>\
         <h1>usher is running</h1>\
         <p>The web client is not built (looked in <code>{}</code>). Build it with \
         <code>npm --prefix web-client ci &amp;&amp; npm --prefix web-client run build</code>, \
         or use the API: <code>POST /api/v1/queue/join</code>.</p>",
        app.settings.server.web_root.display()
    ))
}
