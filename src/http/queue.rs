//! Queue routes: join, status, enter, leave (the seed's paths, shapes and codes).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::idempotency::{InFlightWait, replayed};
use crate::domain::{EventId, ParseError, UserId};
use crate::error::{ApiError, ApiJson, ApiQuery};
use crate::protocol::QueueStatus;
use crate::queue::{Granted, Join, QueueError, parse_token};
use crate::store::IdempotencyClaim;

#[derive(Deserialize, ToSchema)]
pub struct JoinBody {
    event_id: Option<String>,
    /// The seed's field, accepted and checked for shape only: a client can write any id here,
    /// so it never decides who holds a place (see [`join`]).
    user_id: Option<String>,
}

/// `DELETE /api/v1/queue/leave` → 200.
#[derive(Serialize, ToSchema)]
pub struct Left {
    /// Always `left`.
    pub status: &'static str,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct EnterBody {
    waiting_token: Option<String>,
}

/// `POST /api/v1/queue/join` → 202. Its Idempotency-Key is claimed with the join itself
/// ([`super::idempotency::delegated`]).
///
/// Anonymous joins are allowed (the seed's contract). With a user token (`Authorization:
/// Bearer`), the place is bound to the token's subject, and one subject holds at most one live
/// place per event (409 `DUPLICATE_REQUEST`); an invalid token is 401. The body's `user_id`
/// binds nothing, so naming someone else's id can neither take nor block their place.
pub async fn join(
    State(app): State<AppState>,
    headers: HeaderMap,
    Extension(claim): Extension<IdempotencyClaim>,
    ApiJson(body): ApiJson<JoinBody>,
) -> Result<Response, ApiError> {
    let event = match EventId::parse(body.event_id.as_deref().unwrap_or("")) {
        Ok(event) => event,
        Err(ParseError::Missing(_)) => {
            return Err(ApiError::bad_request(
                "MISSING_EVENT_ID",
                "event_id is required",
            ));
        }
        Err(e) => return Err(ApiError::invalid_request(e.to_string())),
    };
    UserId::parse_optional(body.user_id.as_deref())
        .map_err(|e| ApiError::invalid_request(e.to_string()))?;
    let user = if headers.contains_key(header::AUTHORIZATION) {
        let subject = app.auth.authenticate(&headers).await?.id;
        Some(UserId::of_subject(&subject))
    } else {
        None
    };
    let wait = InFlightWait::start();
    let join = loop {
        match app
            .queue
            .join(event.clone(), user.clone(), claim.clone())
            .await
        {
            Err(QueueError::IdempotencyInFlight) => wait.pause().await?,
            other => break other?,
        }
    };
    Ok(match join {
        Join::New(joined) => (StatusCode::ACCEPTED, Json(joined)).into_response(),
        Join::Replayed(joined) => replayed((StatusCode::ACCEPTED, Json(joined)).into_response()),
    })
}

/// `GET /api/v1/queue/status?token=` → 200; a heartbeat.
pub async fn status(
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> Result<Json<QueueStatus>, ApiError> {
    let token = parse_token(q.token.as_deref())?;
    Ok(Json(app.queue.status(token).await?))
}

/// `POST /api/v1/queue/enter` → 200 with the one reservation grant of this token.
pub async fn enter(
    State(app): State<AppState>,
    ApiJson(body): ApiJson<EnterBody>,
) -> Result<Json<Granted>, ApiError> {
    let token = parse_token(body.waiting_token.as_deref())?;
    Ok(Json(app.queue.enter(token).await?))
}

/// `DELETE /api/v1/queue/leave?token=` → 200 `{"status":"left"}`, also for ended or unknown
/// tokens (leaving is idempotent).
pub async fn leave(
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> Result<Json<Left>, ApiError> {
    match parse_token(q.token.as_deref()) {
        Ok(token) => {
            app.queue.leave(token).await?;
        }
        Err(e @ QueueError::MissingToken) => return Err(e.into()),
        Err(_) => {}
    }
    Ok(Json(Left { status: "left" }))
}
