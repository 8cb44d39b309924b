//! Operational routes: `/healthz`, `/readyz`, `/version`, `/metrics`, and the web client at `/`.

use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use crate::error::ErrorBody;

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
#[utoipa::path(
    get, path = "/healthz", operation_id = "healthz", tag = "operations",
    responses((status = 200, description = "The process answers", body = Health))
)]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "healthy",
        reason: None,
        timestamp: timestamp(),
        service: Some(SERVICE),
    })
}

/// Readiness: not draining, not at the WebSocket cap, and the store has not been unreachable
/// for longer than `USHER_READY_OUTAGE_SECS`. A slow answer is still an answer: the seed's
/// readiness, a PING on every probe, flapped with Redis latency and took whole fleets out of
/// service.
#[utoipa::path(
    get, path = "/readyz", operation_id = "readyz", tag = "operations",
    responses(
        (status = 200, description = "Serving", body = Health),
        (status = 503, description = "Draining, at the WebSocket cap, or the store has been \
            unreachable for longer than `USHER_READY_OUTAGE_SECS` (`reason` says which)",
            body = Health),
    )
)]
pub async fn readyz(State(app): State<AppState>) -> Response {
    let reason = not_ready(&app);
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

/// Why this node is not ready, if it is not.
fn not_ready(app: &AppState) -> Option<String> {
    if app.draining.load(Ordering::Relaxed) {
        Some("draining".to_owned())
    } else if app.ws_slots.available_permits() == 0 {
        // Full: new sockets belong on a node with room (the open ones are not affected).
        Some("at the WebSocket cap (USHER_WS_MAX_CONNECTIONS)".to_owned())
    } else {
        app.readiness
            .check()
            .err()
            .map(|e| format!("{} {e}", app.store_kind))
    }
}

/// The public keys of reservation tokens, so that backends can verify them.
#[utoipa::path(
    get, path = "/.well-known/jwks.json", operation_id = "jwks", tag = "operations",
    responses((status = 200, description = "A JSON Web Key Set (RFC 7517) of the ES256 keys \
        that sign reservation tokens", body = serde_json::Value))
)]
pub async fn jwks(State(app): State<AppState>) -> Json<jsonwebtoken::jwk::JwkSet> {
    Json(app.reservation_tokens.jwks())
}

/// The real version and the git commit it was built from.
#[utoipa::path(
    get, path = "/version", operation_id = "version", tag = "operations",
    responses((status = 200, description = "The build", body = Version))
)]
pub async fn version() -> Json<Version> {
    Json(Version {
        service: SERVICE,
        version: env!("CARGO_PKG_VERSION"),
        commit: crate::GIT_COMMIT,
        built: crate::BUILT_AT,
    })
}

/// Prometheus metrics, at `USHER_METRICS_PATH` (on `USHER_METRICS_BIND` when that is set);
/// behind `USHER_METRICS_TOKEN` when that is set.
#[utoipa::path(
    get, path = "/metrics", operation_id = "metrics", tag = "operations",
    security((), ("metrics_bearer" = [])),
    responses(
        (status = 200, description = "The Prometheus text format",
            content_type = "text/plain; version=0.0.4; charset=utf-8", body = String),
        (status = 401, description = "`USHER_METRICS_TOKEN` is set and was not given: \
            `MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN`", body = ErrorBody),
    )
)]
pub async fn metrics(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &app.settings.server.metrics_token
        && let Err(e) = super::admin::check_bearer(&headers, std::slice::from_ref(token))
    {
        return e.into_response();
    }
    // States, as of this scrape.
    let m = &app.metrics;
    m.store_up.set(i64::from(app.readiness.store_reachable()));
    m.ready.set(i64::from(not_ready(&app).is_none()));
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
