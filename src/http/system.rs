//! Operational routes: `/healthz`, `/readyz`, `/version`, `/metrics`, and the web client at `/`.

use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;

const SERVICE: &str = "usher";

/// `/healthz` and `/readyz`: whether this node serves, and why not.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `healthy`, `ready` or `not ready`.
    pub status: &'static str,
    /// Why the node is not ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub reason: Option<String>,
    /// RFC 3339.
    pub timestamp: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub service: Option<&'static str>,
}

/// `/version`.
#[derive(Serialize, ToSchema)]
pub struct Version {
    pub service: &'static str,
    pub version: &'static str,
    /// The git commit it was built from.
    pub commit: &'static str,
    /// When it was built (RFC 3339).
    pub built: &'static str,
}

fn timestamp() -> String {
    let now = std::time::UNIX_EPOCH + std::time::Duration::from_millis(crate::clock::now_ms());
    humantime::format_rfc3339_millis(now).to_string()
}

/// Liveness: the process answers.
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "healthy",
        reason: None,
        timestamp: timestamp(),
        service: Some(SERVICE),
    })
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
        None => Json(Health {
            status: "ready",
            reason: None,
            timestamp: timestamp(),
            service: Some(SERVICE),
        })
        .into_response(),
        Some(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "not ready",
                reason: Some(reason),
                timestamp: timestamp(),
                service: None,
            }),
        )
            .into_response(),
    }
}

/// The public keys of reservation tokens, so that backends can verify them.
pub async fn jwks(State(app): State<AppState>) -> Json<jsonwebtoken::jwk::JwkSet> {
    Json(app.reservation_tokens.jwks())
}

/// The real version and the git commit it was built from.
pub async fn version() -> Json<Version> {
    Json(Version {
        service: SERVICE,
        version: env!("CARGO_PKG_VERSION"),
        commit: crate::GIT_COMMIT,
        built: crate::BUILT_AT,
    })
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
