//! Queue routes: join, status, enter, leave (the seed's paths, shapes and codes).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::idempotency::{InFlightWait, replayed};
use crate::domain::{EventId, ParseError, UserId};
use crate::error::{ApiError, ApiJson, ApiQuery, ErrorBody};
use crate::protocol::QueueStatus;
use crate::queue::pow::{Challenge, PowError, Solution};
use crate::queue::{Granted, Join, Joined, QueueError, parse_token};
use crate::store::{EventConfig, IdempotencyBegin, IdempotencyClaim, SalePhase};

#[derive(Deserialize, ToSchema)]
pub struct JoinBody {
    #[schema(
        required = true,
        nullable = false,
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$",
        example = "evt_2025_1001"
    )]
    event_id: Option<String>,
    /// The seed's field, accepted and checked for shape only: a client can write any id here,
    /// so it never decides who holds a place (see [`join`]).
    #[schema(pattern = r"^[A-Za-z0-9_.:-]{0,128}$")]
    user_id: Option<String>,
    /// A solved proof-of-work challenge, when the event asks for one
    /// (`GET /api/v1/queue/challenge`); absent or null otherwise.
    pow: Option<Solution>,
}

/// The event of a challenge request.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChallengeQuery {
    #[param(
        required = true,
        nullable = false,
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$"
    )]
    event_id: Option<String>,
}

/// The event's settings: this node's view of them, or the store's.
async fn config_of(app: &AppState, event: &EventId) -> Result<Option<EventConfig>, ApiError> {
    if let Some((config, _)) = app.hub.view_of(event) {
        return Ok(Some(config));
    }
    app.events.config(event).await.map_err(ApiError::from)
}

/// The proof-of-work difficulty `event` asks for now.
async fn difficulty(app: &AppState, event: &EventId) -> Result<u8, ApiError> {
    Ok(config_of(app, event).await?.map_or(0, |c| c.pow_difficulty))
}

/// `GET /api/v1/queue/challenge?event_id=` → 200 a challenge at the event's difficulty now.
#[utoipa::path(
    get, path = "/api/v1/queue/challenge", operation_id = "challenge", tag = "queue",
    params(ChallengeQuery),
    responses(
        (status = 200, description = "A signed, expiring, single-use challenge; with \
            `difficulty` 0 the event asks for none and a join needs no `pow`", body = Challenge),
        (status = 400, description = "`MISSING_EVENT_ID`, `INVALID_REQUEST`", body = ErrorBody),
    )
)]
pub async fn challenge(
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<ChallengeQuery>,
) -> Result<Json<Challenge>, ApiError> {
    let event = event_of(q.event_id.as_deref())?;
    let difficulty = difficulty(&app, &event).await?;
    Ok(Json(app.pow.issue(
        &event,
        difficulty,
        crate::clock::now_ms(),
    )))
}

fn event_of(raw: Option<&str>) -> Result<EventId, ApiError> {
    match EventId::parse(raw.unwrap_or("")) {
        Ok(event) => Ok(event),
        Err(ParseError::Missing(_)) => Err(ApiError::bad_request(
            "MISSING_EVENT_ID",
            "event_id is required",
        )),
        Err(e) => Err(ApiError::invalid_request(e.to_string())),
    }
}

/// Checks a join's proof of work, if the event asks for one, and spends it: a solution joins
/// once (a retry of the same join, with its Idempotency-Key, is the same join). A sale that is
/// not open yet, or has ended, says so first: no solution is spent on a join that cannot be.
async fn spend_pow(
    app: &AppState,
    event: &EventId,
    pow: Option<&Solution>,
    claim: &IdempotencyClaim,
) -> Result<(), ApiError> {
    if pow.is_some_and(|p| !p.well_formed()) {
        return Err(ApiError::invalid_request(
            "pow must be a challenge of at most 256 characters and a nonce of 1 to 20 digits",
        ));
    }
    let now = crate::clock::now_ms();
    let config = config_of(app, event).await?;
    match config.as_ref().map(|c| c.sale_phase(now)) {
        Some(SalePhase::NotOpen { opens_at_ms }) => {
            return Err(QueueError::SaleNotOpen { opens_at_ms }.into());
        }
        Some(SalePhase::Ended) => return Err(QueueError::SaleEnded.into()),
        _ => {}
    }
    let required = config.map_or(0, |c| c.pow_difficulty);
    let Some(spend) = app.pow.check(event, pow, required, now)? else {
        return Ok(());
    };
    let owner = uuid::Uuid::new_v4().to_string();
    let key = format!("pow:{}", spend.id);
    match app
        .idempotency
        .idempotency_begin(&key, &claim.key, &owner, spend.ttl_ms)
        .await
        .map_err(ApiError::from)?
    {
        IdempotencyBegin::Started | IdempotencyBegin::InFlight => Ok(()),
        IdempotencyBegin::Conflict | IdempotencyBegin::Replay(_) | IdempotencyBegin::Released => {
            Err(PowError::Reused.into())
        }
    }
}

/// `DELETE /api/v1/queue/leave` → 200.
#[derive(Serialize, ToSchema)]
pub struct Left {
    /// Always `left`.
    pub status: &'static str,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    /// The waiting token the join answered.
    #[param(required = true, nullable = false, value_type = String, format = Uuid)]
    pub(super) token: Option<String>,
}

/// The token of a leave: any string, since leaving with an ended or unknown token is fine.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeaveQuery {
    /// The waiting token the join answered.
    #[param(required = true, nullable = false, value_type = String, min_length = 1)]
    token: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct EnterBody {
    #[schema(required = true, nullable = false, value_type = String, format = Uuid)]
    waiting_token: Option<String>,
}

/// `POST /api/v1/queue/join` → 202. Its Idempotency-Key is claimed with the join itself
/// ([`super::idempotency::delegated`]).
///
/// Anonymous joins are allowed (the seed's contract). With a user token (`Authorization:
/// Bearer`), the place is bound to the token's subject, and one subject holds at most one live
/// place per event (409 `DUPLICATE_REQUEST`); an invalid token is 401. The body's `user_id`
/// binds nothing, so naming someone else's id can neither take nor block their place.
#[utoipa::path(
    post, path = "/api/v1/queue/join", operation_id = "join", tag = "queue",
    request_body = JoinBody,
    security((), ("user_jwt" = [])),
    responses(
        (status = 202, description = "In the queue (a replay of the same key and body answers \
            the same place)", body = Joined,
            links(
                ("status" = (operation_id = "status",
                    parameters(("token" = "$response.body#/waiting_token")))),
                ("enter" = (operation_id = "enter",
                    request_body = json!({"waiting_token": "$response.body#/waiting_token"}))),
                ("leave" = (operation_id = "leave",
                    parameters(("token" = "$response.body#/waiting_token")))),
            )),
        (status = 400, description = "`MISSING_EVENT_ID`, `INVALID_REQUEST`", body = ErrorBody),
        (status = 401, description = "A user token was sent and is not valid: \
            `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN`", body = ErrorBody),
        (status = 403, description = "`SALE_NOT_OPEN` (the pre-queue opens at `opens_at`), \
            `POW_REQUIRED` (the event asks for a proof of work); a refused proof of work: \
            `POW_INVALID`, `POW_EXPIRED`, `POW_TOO_EASY` (fetch a new challenge)",
            body = ErrorBody,
            headers(("Retry-After" = u64))),
        (status = 404, description = "`EVENT_NOT_FOUND`", body = ErrorBody),
        (status = 409, description = "`DUPLICATE_REQUEST`: this user already holds a place \
            in the event; `POW_REUSED`: the challenge was spent by another join",
            body = ErrorBody),
        (status = 410, description = "`SALE_ENDED`", body = ErrorBody),
        (status = 503, description = "`QUEUE_FULL` (the event's queue is at its cap), \
            `UPSTREAM_UNAVAILABLE` (the inventory cannot say whether the event exists)",
            body = ErrorBody, headers(("Retry-After" = u64))),
    )
)]
pub async fn join(
    State(app): State<AppState>,
    headers: HeaderMap,
    Extension(claim): Extension<IdempotencyClaim>,
    ApiJson(body): ApiJson<JoinBody>,
) -> Result<Response, ApiError> {
    let event = event_of(body.event_id.as_deref())?;
    UserId::parse_optional(body.user_id.as_deref())
        .map_err(|e| ApiError::invalid_request(e.to_string()))?;
    spend_pow(&app, &event, body.pow.as_ref(), &claim).await?;
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
#[utoipa::path(
    get, path = "/api/v1/queue/status", operation_id = "status", tag = "queue",
    params(TokenQuery),
    responses(
        (status = 200, description = "The waiter's place; a heartbeat that keeps it",
            body = QueueStatus),
        (status = 400, description = "`MISSING_TOKEN`, `INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`TOKEN_NOT_FOUND`, `TOKEN_EXPIRED`", body = ErrorBody),
        (status = 410, description = "`SALE_ENDED`: the sale ended and the place with it",
            body = ErrorBody),
    )
)]
pub async fn status(
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> Result<Json<QueueStatus>, ApiError> {
    let token = parse_token(q.token.as_deref())?;
    Ok(Json(app.queue.status(token).await?))
}

/// `POST /api/v1/queue/enter` → 200 with the one reservation grant of this token.
#[utoipa::path(
    post, path = "/api/v1/queue/enter", operation_id = "enter", tag = "queue",
    request_body = EnterBody,
    responses(
        (status = 200, description = "Admitted: the one reservation token of this place \
            (valid for `ttl_sec`; register or log in before entering)", body = Granted,
            links(("reserve" = (operation_id = "create_reservation",
                request_body = json!({"reservation_token": "$response.body#/reservation_token",
                    "event_id": "$response.body#/event_id", "seat_ids": ["A-1"], "quantity": 1})))),
        ),
        (status = 400, description = "`MISSING_TOKEN`, `INVALID_REQUEST`", body = ErrorBody),
        (status = 403, description = "`NOT_READY`: the turn has not come yet", body = ErrorBody),
        (status = 404, description = "`TOKEN_NOT_FOUND`, `TOKEN_EXPIRED`", body = ErrorBody),
        (status = 409, description = "`ALREADY_ENTERED`", body = ErrorBody),
        (status = 500, description = "`TOKEN_ERROR`: the reservation token could not be signed",
            body = ErrorBody),
    )
)]
pub async fn enter(
    State(app): State<AppState>,
    ApiJson(body): ApiJson<EnterBody>,
) -> Result<Json<Granted>, ApiError> {
    let token = parse_token(body.waiting_token.as_deref())?;
    Ok(Json(app.queue.enter(token).await?))
}

/// `DELETE /api/v1/queue/leave?token=` → 200 `{"status":"left"}`, also for ended or unknown
/// tokens (leaving is idempotent).
#[utoipa::path(
    delete, path = "/api/v1/queue/leave", operation_id = "leave", tag = "queue",
    params(LeaveQuery),
    responses(
        (status = 200, description = "Left (also for an ended or unknown token)", body = Left),
        (status = 400, description = "`MISSING_TOKEN`", body = ErrorBody),
    )
)]
pub async fn leave(
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<LeaveQuery>,
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
