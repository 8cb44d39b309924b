//! `Idempotency-Key` on POST and PATCH under `/api/v1` (the seed's contract, with its defects
//! fixed): the key is claimed atomically before the handler runs, so a concurrent duplicate
//! never executes twice; it is scoped per route and user; the same key with the same request
//! replays the stored 2xx response with `X-Idempotency-Cached: true`; with a different request
//! it is 409 `IDEMPOTENCY_CONFLICT`. Failed (non-2xx) requests release the key so a retry runs.
//!
//! The join, the hottest route, claims its key in the same store step as the join itself
//! ([`delegated`]): one round trip instead of three, and its record is the place it took, from
//! which the replay rebuilds the same answer.

use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::AppState;
use crate::error::{ApiError, body_read_error};
use crate::store::{Attempt, IdempotencyBegin, IdempotencyClaim, StoredResponse};

/// How long a key and its response are kept (the seed's 5 minutes).
pub const TTL: Duration = Duration::from_secs(300);
/// How long a duplicate waits for the original request to finish before giving up.
const IN_FLIGHT_WAIT: Duration = Duration::from_secs(5);
const IN_FLIGHT_POLL: Duration = Duration::from_millis(20);
/// Largest response body stored for replay.
const MAX_STORED_RESPONSE: usize = 256 * 1024;

pub const CACHED_HEADER: &str = "x-idempotency-cached";
pub const KEY_HEADER: &str = "idempotency-key";

/// The request's Idempotency-Key (already checked by the middleware), to pass on to a backend
/// so that it can deduplicate too; empty when there is none.
pub fn key_of(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub async fn idempotency(State(app): State<AppState>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::POST | Method::PATCH) {
        return next.run(req).await;
    }
    match handle(app, req, next).await {
        Ok(resp) | Err(resp) => resp,
    }
}

/// For a handler that claims the key in the same store step as its own work (the join): checks
/// the key and fingerprints the request as [`idempotency`] does, then hands the claim to the
/// handler as an [`IdempotencyClaim`] extension. The handler answers conflicts, waits for a
/// request in flight with [`InFlightWait`] and marks replays with [`replayed`].
pub async fn delegated(State(app): State<AppState>, req: Request, next: Next) -> Response {
    match claim(&app, req).await {
        Ok((mut parts, body, claim)) => {
            parts.extensions.insert(claim);
            next.run(Request::from_parts(parts, Body::from(body))).await
        }
        Err(resp) => resp,
    }
}

/// The request's key, scoped by route and user, and its fingerprint; the body is read whole.
async fn claim(app: &AppState, req: Request) -> Result<(Parts, Bytes, IdempotencyClaim), Response> {
    let key = match req.headers().get(KEY_HEADER).map(|v| v.to_str()) {
        None => {
            return Err(ApiError::bad_request(
                "IDEMPOTENCY_REQUIRED",
                "Idempotency-Key header is required for POST requests",
            )
            .into_response());
        }
        Some(Ok(k)) if uuid::Uuid::parse_str(k).is_ok() => k.to_owned(),
        Some(_) => {
            return Err(ApiError::bad_request(
                "INVALID_IDEMPOTENCY_KEY",
                "Idempotency-Key must be a UUID",
            )
            .into_response());
        }
    };
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
    let user = req
        .extensions()
        .get::<crate::auth::User>()
        .map_or_else(String::new, |u| u.id.clone());
    let (parts, body) = req.into_parts();
    let limit = app.settings.server.max_body_bytes as usize;
    let body = to_bytes(body, limit)
        .await
        .map_err(|e| body_read_error(&e).into_response())?;
    let claim = IdempotencyClaim {
        key: format!("idem:{route}:{user}:{key}"),
        fingerprint: fingerprint(&parts.method, parts.uri.path(), parts.uri.query(), &body),
        ttl_ms: TTL.as_millis() as u64,
    };
    Ok((parts, body, claim))
}

/// Waiting for a request with the same key to finish: at most `IN_FLIGHT_WAIT` in all.
pub struct InFlightWait {
    deadline: tokio::time::Instant,
}

impl InFlightWait {
    pub fn start() -> Self {
        Self {
            deadline: tokio::time::Instant::now() + IN_FLIGHT_WAIT,
        }
    }

    /// Pauses before the next attempt; once the wait is over, [`ApiError::idempotency_in_progress`].
    pub async fn pause(&self) -> Result<(), ApiError> {
        if tokio::time::Instant::now() >= self.deadline {
            return Err(ApiError::idempotency_in_progress());
        }
        tokio::time::sleep(IN_FLIGHT_POLL).await;
        Ok(())
    }
}

async fn handle(app: AppState, req: Request, next: Next) -> Result<Response, Response> {
    let (parts, body, claim) = claim(&app, req).await?;
    let attempt = Attempt::new(&*app.idempotency, &claim.key);
    let wait = InFlightWait::start();
    loop {
        let begin = attempt
            .begin(&claim.fingerprint, claim.ttl_ms)
            .await
            .map_err(|e| ApiError::from(e).into_response())?;
        match begin {
            IdempotencyBegin::Started => break,
            IdempotencyBegin::Released => {
                return Err(ApiError::store_unavailable().into_response());
            }
            IdempotencyBegin::Replay(stored) => return Ok(replay(stored)),
            IdempotencyBegin::Conflict => {
                return Err(ApiError::idempotency_conflict().into_response());
            }
            IdempotencyBegin::InFlight => {
                wait.pause().await.map_err(IntoResponse::into_response)?
            }
        }
    }

    let resp = next.run(Request::from_parts(parts, Body::from(body))).await;
    if !resp.status().is_success() {
        // Best effort: if the release fails, the claim simply expires with its TTL.
        let _ = attempt.release().await;
        return Ok(resp);
    }
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_STORED_RESPONSE).await else {
        let _ = attempt.release().await;
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Response too large to store for replay",
        )
        .into_response());
    };
    let stored = StoredResponse {
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: bytes.to_vec(),
    };
    if let Err(e) = app
        .idempotency
        .idempotency_finish(&claim.key, stored, claim.ttl_ms)
        .await
    {
        tracing::warn!(error = %e, "could not store a response for idempotent replay");
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

fn fingerprint(method: &Method, path: &str, query: Option<&str>, body: &Bytes) -> String {
    let mut h = Sha256::new();
    for part in [
        method.as_str().as_bytes(),
        path.as_bytes(),
        query.unwrap_or("").as_bytes(),
    ] {
        h.update(part);
        h.update(b":");
    }
    h.update(body);
    hex::encode(h.finalize())
}

fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut resp = (status, stored.body).into_response();
    if let Some(ct) = stored
        .content_type
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        resp.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    replayed(resp)
}

/// Marks a response as the replay of an earlier one.
pub fn replayed(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(CACHED_HEADER, HeaderValue::from_static("true"));
    resp
}
