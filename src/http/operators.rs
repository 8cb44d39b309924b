//! What operators do during a sale, beyond settings: sign in to the dashboard, watch an event
//! live and over its whole history, and act on it (revoke a waiter, end or cancel the sale,
//! broadcast a message). Every action is written to the audit log (who, what, when), which
//! the admin API reads back.
//!
//! The dashboard signs in with an admin token once (`POST /api/v1/admin/session`) and then works
//! on a session cookie ([`crate::auth::admin_session`]).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::admin::{EventStats, change, event_id, existing, matching, printable, stats_of};
pub use crate::auth::admin_session::{Operator, SESSION_COOKIE};
use crate::clock::now_ms;
use crate::domain::{EventId, WaitingToken};
use crate::error::{ApiError, ApiJson, ApiQuery, ErrorBody};
use crate::protocol::Notice;
use crate::store::{
    Announcement, AuditEntry, ConfigPatch, MinuteSample, QueueingMethod, Schedule, WaiterState,
};

/// Longest message an operator may broadcast, in characters.
pub const MAX_MESSAGE_CHARS: usize = 500;

/// Most audit entries one read returns.
pub const MAX_AUDIT_READ: u64 = 1_000;

/// The value of the session cookie in `headers`, if any.
fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
}

/// The operator a request's session cookie stands for.
pub fn session_operator(app: &AppState, headers: &HeaderMap) -> Option<(Operator, u64)> {
    let value = session_cookie(headers)?;
    app.sessions
        .check(value, &app.settings.server.admin_tokens, now_ms())
}

/// Records an operator's action. The action is done whatever happens here: a store that
/// cannot take the entry is logged as an error, with the entry, so it is not lost.
pub async fn audit(
    app: &AppState,
    who: &Operator,
    action: &str,
    event: Option<&EventId>,
    detail: String,
) {
    let entry = AuditEntry {
        at_ms: now_ms(),
        actor: who.0.clone(),
        action: action.to_owned(),
        event_id: event.map(ToString::to_string),
        detail,
    };
    tracing::info!(actor = %entry.actor, action = %entry.action, event = ?entry.event_id,
        detail = %entry.detail, "operator action");
    if let Err(e) = app
        .operators
        .audit_append(&entry, app.settings.server.audit_keep)
        .await
    {
        tracing::error!(error = %e, ?entry, "the audit log could not record an operator action");
    }
}

/// Body of `POST /api/v1/admin/session`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// One of the admin tokens (`USHER_ADMIN_TOKEN`).
    #[schema(min_length = 1, max_length = 4096)]
    token: String,
}

/// A dashboard session.
#[derive(Serialize, ToSchema)]
pub struct SessionInfo {
    /// Who is signed in (the admin token's name, never the token).
    pub operator: String,
    /// When the session ends, ms since the Unix epoch.
    pub expires_at: u64,
}

/// `POST /api/v1/admin/session`: signs in with an admin token; the answer sets the session
/// cookie.
#[utoipa::path(
    post, path = "/api/v1/admin/session", operation_id = "admin_sign_in", tag = "admin",
    request_body = SignIn,
    responses(
        (status = 200, description = "Signed in: `Set-Cookie: usher_admin=…; HttpOnly; \
            SameSite=Strict`", body = SessionInfo),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 401, description = "`INVALID_TOKEN`: not an admin token", body = ErrorBody),
        (status = 403, description = "`ADMIN_DISABLED`", body = ErrorBody),
        (status = 429, description = "`RATE_LIMITED`: too many sign-ins from this address \
            (`USHER_AUTH_RATE_PER_MIN`, `USHER_AUTH_BURST`)", body = ErrorBody),
    )
)]
pub async fn sign_in(
    State(app): State<AppState>,
    ApiJson(body): ApiJson<SignIn>,
) -> Result<Response, ApiError> {
    let tokens = &app.settings.server.admin_tokens;
    if tokens.is_empty() {
        return Err(super::admin::admin_disabled());
    }
    let Some(token) = matching(tokens, body.token.as_bytes()) else {
        return Err(crate::auth::AuthError::InvalidToken.into());
    };
    let (value, expires_at) = app.sessions.issue(token, now_ms());
    let who = Operator::of(token);
    audit(&app, &who, "session.sign_in", None, String::new()).await;
    let mut response = Json(SessionInfo {
        operator: who.0,
        expires_at,
    })
    .into_response();
    let max_age = app.sessions.lifetime().as_secs();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, app.sessions.cookie(&value, max_age));
    Ok(response)
}

/// `GET /api/v1/admin/session`: who is signed in.
#[utoipa::path(
    get, path = "/api/v1/admin/session", operation_id = "admin_session", tag = "admin",
    security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 200, description = "The session (or the bearer token's holder)",
            body = SessionInfo),
    )
)]
pub async fn session(State(app): State<AppState>, req: Request) -> Json<SessionInfo> {
    let who = req.extensions().get::<Operator>().cloned();
    let expires_at = session_operator(&app, req.headers()).map_or(0, |(_, at)| at);
    Json(SessionInfo {
        operator: who.map(|w| w.0).unwrap_or_default(),
        expires_at,
    })
}

/// `DELETE /api/v1/admin/session`: signs out (the cookie is cleared).
#[utoipa::path(
    delete, path = "/api/v1/admin/session", operation_id = "admin_sign_out", tag = "admin",
    responses((status = 204, description = "Signed out")),
)]
pub async fn sign_out(State(app): State<AppState>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, app.sessions.cookie("", 0));
    response
}

/// `GET /api/v1/admin/events`.
#[derive(Serialize, ToSchema)]
pub struct AdminEventList {
    pub events: Vec<EventStats>,
}

/// `GET /api/v1/admin/events`: every event with its settings and figures, by id.
#[utoipa::path(
    get, path = "/api/v1/admin/events", operation_id = "list_events", tag = "admin",
    security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses((status = 200, description = "Every event (bounded by the number of events)",
        body = AdminEventList)),
)]
pub async fn list_events(State(app): State<AppState>) -> Result<Json<AdminEventList>, ApiError> {
    let mut ids = app.events.events().await.map_err(ApiError::from)?;
    ids.sort();
    let mut events = Vec::with_capacity(ids.len());
    for id in ids {
        // An event deleted in between is left out.
        if let Some(snap) = app.events.snapshot(&id).await.map_err(ApiError::from)? {
            events.push(stats_of(&app, id, snap));
        }
    }
    Ok(Json(AdminEventList { events }))
}

/// Query of `GET /api/v1/admin/audit`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Entries to return, newest first (1 to 1000; 100 by default).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u64>,
}

/// `GET /api/v1/admin/audit`.
#[derive(Serialize, ToSchema)]
pub struct AuditLog {
    /// Newest first.
    pub entries: Vec<AuditEntry>,
}

/// `GET /api/v1/admin/audit`: operators' actions, newest first.
#[utoipa::path(
    get, path = "/api/v1/admin/audit", operation_id = "audit_log", tag = "admin",
    params(AuditQuery), security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 200, description = "The newest entries", body = AuditLog),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
    )
)]
pub async fn audit_log(
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<AuditLog>, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=MAX_AUDIT_READ).contains(&limit) {
        return Err(ApiError::invalid_request("limit must be 1 to 1000"));
    }
    let entries = app.operators.audit(limit).await.map_err(ApiError::from)?;
    Ok(Json(AuditLog { entries }))
}

/// `DELETE /api/v1/admin/waiters/{token}` → 200.
#[derive(Serialize, ToSchema)]
pub struct Revoked {
    pub event_id: EventId,
    pub revoked: bool,
}

/// `DELETE /api/v1/admin/waiters/{token}`: removes a waiter's place. Its socket is told
/// (`expired`, reason `revoked`) and closed, and the people behind it move up.
#[utoipa::path(
    delete, path = "/api/v1/admin/waiters/{token}", operation_id = "revoke_waiter",
    tag = "admin",
    params(("token" = String, Path, description = "The waiting token", format = Uuid)),
    security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 200, description = "Revoked", body = Revoked),
        (status = 400, description = "`INVALID_TOKEN_FORMAT`", body = ErrorBody),
        (status = 404, description = "`TOKEN_NOT_FOUND`: unknown or already ended",
            body = ErrorBody),
    )
)]
pub async fn revoke(
    State(app): State<AppState>,
    who: axum::Extension<Operator>,
    Path(raw): Path<String>,
) -> Result<Json<Revoked>, ApiError> {
    let gone = || ApiError::new(StatusCode::NOT_FOUND, "TOKEN_NOT_FOUND", "No live place");
    let token = WaitingToken::parse(&raw)
        .map_err(|_| ApiError::bad_request("INVALID_TOKEN_FORMAT", "Not a waiting token"))?;
    let record = app
        .events
        .status(token, None)
        .await
        .map_err(ApiError::from)?
        .filter(|r| matches!(r.state, WaiterState::Waiting | WaiterState::Admitted))
        .ok_or_else(gone)?;
    // Told first, so its socket closes for this reason rather than as if it had left.
    app.updates
        .notify(&record.event, Some(token), &Notice::Revoked)
        .await
        .map_err(ApiError::from)?;
    let event = app.queue.leave(token).await?.ok_or_else(gone)?;
    let prefix: String = raw.chars().take(8).collect();
    audit(
        &app,
        &who,
        "waiter.revoke",
        Some(&event),
        format!("token {prefix}…"),
    )
    .await;
    Ok(Json(Revoked {
        event_id: event,
        revoked: true,
    }))
}

/// Body of `POST /api/v1/admin/events/{id}/end`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EndBody {
    /// Call the sale off rather than close it: waiters are told it was cancelled.
    #[serde(default)]
    cancel: bool,
}

/// `POST /api/v1/admin/events/{id}/end`: ends (or cancels) the sale now. Joins are refused
/// from now on (`SALE_ENDED`) and every waiter is told over the WebSocket (`sale_ended`,
/// with `cancelled`) and closed; admitted buyers keep their entry window.
#[utoipa::path(
    post, path = "/api/v1/admin/events/{id}/end", operation_id = "end_sale", tag = "admin",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    request_body = EndBody, security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 200, description = "Ended: the event's settings",
            body = super::admin::EventSettings),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`EVENT_NOT_FOUND`", body = ErrorBody),
    )
)]
pub async fn end_sale(
    State(app): State<AppState>,
    who: axum::Extension<Operator>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EndBody>,
) -> Result<Json<super::admin::EventSettings>, ApiError> {
    let event = event_id(&id)?;
    let current = existing(&app, &event).await?;
    let now = now_ms();
    let schedule = match current.schedule {
        Some(mut s) => {
            s.sale_ends_at_ms = Some(s.sale_ends_at_ms.map_or(now, |end| end.min(now)));
            s.cancelled = body.cancel;
            s
        }
        None => Schedule {
            prequeue_opens_at_ms: None,
            sale_starts_at_ms: now,
            sale_ends_at_ms: Some(now),
            queueing_method: QueueingMethod::Fifo,
            beacon_round: None,
            cancelled: body.cancel,
        },
    };
    let patch = ConfigPatch {
        schedule: Some(Some(schedule)),
        ..ConfigPatch::default()
    };
    let config = change(&app, &event, &patch).await?;
    let action = if body.cancel {
        "sale.cancel"
    } else {
        "sale.end"
    };
    audit(&app, &who, action, Some(&event), String::new()).await;
    Ok(Json(super::admin::EventSettings {
        event_id: event,
        config,
    }))
}

/// Body of `POST /api/v1/admin/events/{id}/broadcast`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BroadcastBody {
    /// What everyone waiting is told (1 to 500 characters, no control characters).
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]+$"
    )]
    message: String,
}

/// `POST /api/v1/admin/events/{id}/broadcast`: a message to everyone waiting for the event,
/// pushed at once (`announcement`) and shown to those who connect later until replaced or
/// withdrawn.
#[utoipa::path(
    post, path = "/api/v1/admin/events/{id}/broadcast", operation_id = "broadcast",
    tag = "admin",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    request_body = BroadcastBody, security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 200, description = "Sent", body = Announcement),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`EVENT_NOT_FOUND`", body = ErrorBody),
    )
)]
pub async fn broadcast(
    State(app): State<AppState>,
    who: axum::Extension<Operator>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<BroadcastBody>,
) -> Result<Json<Announcement>, ApiError> {
    let event = event_id(&id)?;
    if !printable(&body.message, MAX_MESSAGE_CHARS) {
        return Err(ApiError::invalid_request(
            "message must be 1 to 500 characters, without control characters",
        ));
    }
    existing(&app, &event).await?;
    let announcement = Announcement {
        message: body.message,
        at_ms: now_ms(),
    };
    let patch = ConfigPatch {
        announcement: Some(Some(announcement.clone())),
        ..ConfigPatch::default()
    };
    change(&app, &event, &patch).await?;
    audit(
        &app,
        &who,
        "broadcast",
        Some(&event),
        announcement.message.clone(),
    )
    .await;
    Ok(Json(announcement))
}

/// `DELETE /api/v1/admin/events/{id}/broadcast`: withdraws the message.
#[utoipa::path(
    delete, path = "/api/v1/admin/events/{id}/broadcast", operation_id = "withdraw_broadcast",
    tag = "admin",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`EVENT_NOT_FOUND`", body = ErrorBody),
    )
)]
pub async fn withdraw(
    State(app): State<AppState>,
    who: axum::Extension<Operator>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let event = event_id(&id)?;
    existing(&app, &event).await?;
    let patch = ConfigPatch {
        announcement: Some(None),
        ..ConfigPatch::default()
    };
    change(&app, &event, &patch).await?;
    audit(
        &app,
        &who,
        "broadcast.withdraw",
        Some(&event),
        String::new(),
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/admin/events/{id}/history`.
#[derive(Serialize, ToSchema)]
pub struct History {
    pub event_id: EventId,
    /// The event's totals at the end of each recorded minute, oldest first (a week by
    /// default, `USHER_HISTORY_MINUTES`); the figures of a minute are the differences
    /// between consecutive samples.
    pub minutes: Vec<MinuteSample>,
}

/// `GET /api/v1/admin/events/{id}/history`: the whole sale by the minute.
#[utoipa::path(
    get, path = "/api/v1/admin/events/{id}/history", operation_id = "event_history",
    tag = "admin",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 200, description = "Waiting, admitted, entered and sold by the minute",
            body = History),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`EVENT_NOT_FOUND`", body = ErrorBody),
    )
)]
pub async fn history(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<History>, ApiError> {
    let event = event_id(&id)?;
    existing(&app, &event).await?;
    let minutes = app
        .operators
        .minutes(&event)
        .await
        .map_err(ApiError::from)?;
    Ok(Json(History {
        event_id: event,
        minutes,
    }))
}

/// `GET /api/v1/admin/events/{id}/live`: the event's figures (`EventStats`) pushed once a
/// second as server-sent events (`event: stats`), for as long as the dashboard watches. At
/// most `USHER_ADMIN_LIVE_MAX` streams per node.
#[utoipa::path(
    get, path = "/api/v1/admin/events/{id}/live", operation_id = "event_live", tag = "admin",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 200, description = "`text/event-stream`: an `EventStats` per second",
            content_type = "text/event-stream", body = EventStats),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`EVENT_NOT_FOUND`", body = ErrorBody),
        (status = 503, description = "`TOO_MANY_STREAMS`: this node serves its most live \
            views", body = ErrorBody),
    )
)]
pub async fn live(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let event = event_id(&id)?;
    existing(&app, &event).await?;
    let permit = app.live_streams.clone().try_acquire_owned().map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "TOO_MANY_STREAMS",
            "This node serves as many live views as it may: try again later",
        )
    })?;
    let stream = futures::stream::unfold(
        (
            app,
            event,
            permit,
            tokio::time::interval(Duration::from_secs(1)),
        ),
        |(app, event, permit, mut tick)| async move {
            tick.tick().await;
            // A store that does not answer skips a beat; the view shows the last figures.
            let stats = match app.events.snapshot(&event).await {
                Ok(Some(snap)) => Some(stats_of(&app, event.clone(), snap)),
                Ok(None) => return None,
                Err(_) => None,
            };
            let message = match stats {
                Some(s) => SseEvent::default()
                    .event("stats")
                    .json_data(s)
                    .unwrap_or_default(),
                None => SseEvent::default().comment("store unavailable"),
            };
            Some((Ok(message), (app, event, permit, tick)))
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// Records every event's totals once a minute, until `shutdown`: each node does, and the first
/// sample of a minute is kept, so the history has no hole while any node runs. A minute in
/// which nothing changed is not recorded again: an idle event costs nothing, however long it
/// stays.
pub async fn sample_minutes(app: AppState, shutdown: tokio::sync::watch::Receiver<bool>) {
    let keep = app.settings.server.history_minutes;
    // What this node last recorded or saw of each event (its minute aside).
    let mut last: HashMap<EventId, MinuteSample> = HashMap::new();
    loop {
        let now = now_ms();
        // Just after the next minute starts: the sample closes the minute that ended.
        let next = (now / 60_000 + 1) * 60_000 + 500;
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(next - now)) => {}
            () = crate::shutdown::stopped(shutdown.clone()) => return,
        }
        let minute_ms = (now_ms() / 60_000 - 1) * 60_000;
        let events = match app.events.events().await {
            Ok(events) => events,
            Err(e) => {
                tracing::warn!(error = %e, "minute sample skipped: the store did not answer");
                continue;
            }
        };
        last.retain(|e, _| events.contains(e));
        for event in events {
            let Ok(Some(snap)) = app.events.snapshot(&event).await else {
                continue;
            };
            // Seats sold, for events the inventory lists (cached, absence included).
            let sold = match app.queue.event_known(&event).await {
                Ok(true) => app
                    .purchase
                    .inventory(&event)
                    .await
                    .ok()
                    .and_then(|r| r.stats)
                    .map_or(0, |s| s.sold_seats.max(0) as u64),
                _ => 0,
            };
            let sample = MinuteSample {
                minute_ms,
                joined: snap.counters.joined,
                admitted: snap.counters.admitted,
                entered: snap.counters.entered,
                sold,
                waiting: snap.waiting(),
                active: snap.active,
            };
            let unchanged = last
                .get(&event)
                .is_some_and(|l| MinuteSample { minute_ms, ..*l } == sample);
            if unchanged {
                continue;
            }
            match app.operators.record_minute(&event, &sample, keep).await {
                Ok(_) => {
                    last.insert(event, sample);
                }
                Err(e) => tracing::warn!(error = %e, event = %event, "minute sample not recorded"),
            }
        }
    }
}

/// Live streams share this many permits per node.
pub fn live_permits(max: u32) -> Arc<Semaphore> {
    Arc::new(Semaphore::new(max as usize))
}
