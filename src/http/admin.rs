//! The admin API: per-event settings and statistics, behind a bearer token from configuration.
//! With no token configured the admin API is disabled (403), never open.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::operators::{self, Operator, audit};
use crate::auth::AuthError;
use crate::clock::now_ms;
use crate::config::Secret;
use crate::domain::{EventId, Seq, optional_integral};
use crate::error::{ApiError, ApiJson, ErrorBody};
use crate::queue::eta::Rate;
use crate::store::{
    BeaconOutcome, ConfigPatch, DrawRecord, EventConfig, EventSnapshot, QueueingMethod, Schedule,
};

/// Lets an operator through: `Authorization: Bearer <one of USHER_ADMIN_TOKEN>` (compared in
/// constant time), or the dashboard's session cookie ([`super::operators`]). The request then
/// carries who it is ([`Operator`]) for the audit log.
pub async fn require_admin(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let expected = &app.settings.server.admin_tokens;
    if expected.is_empty() {
        return admin_disabled().into_response();
    }
    let who = if req.headers().contains_key(header::AUTHORIZATION) {
        match check_bearer(req.headers(), expected) {
            Ok(token) => Operator::of(token),
            Err(e) => return e.into_response(),
        }
    } else {
        match operators::session_operator(&app, req.headers()) {
            Some((who, _)) => who,
            None => return ApiError::from(AuthError::MissingAuthorization).into_response(),
        }
    };
    req.extensions_mut().insert(who);
    next.run(req).await
}

/// 403 `ADMIN_DISABLED`.
pub(super) fn admin_disabled() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "ADMIN_DISABLED",
        "The admin API is disabled: USHER_ADMIN_TOKEN is not set",
    )
}

/// Checks `Authorization: Bearer <one of expected>` (the admin and metrics tokens), each
/// compared in constant time; returns the one that matched.
pub fn check_bearer<'a>(
    headers: &HeaderMap,
    expected: &'a [Secret],
) -> Result<&'a Secret, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(AuthError::MissingAuthorization.into());
    };
    let Some(given) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) else {
        return Err(AuthError::InvalidTokenFormat.into());
    };
    matching(expected, given.as_bytes()).ok_or_else(|| AuthError::InvalidToken.into())
}

/// The one of `expected` that `given` is. Every token is compared, each in constant time, so
/// the time taken does not say which one matched, or how close a guess came.
pub(super) fn matching<'a>(expected: &'a [Secret], given: &[u8]) -> Option<&'a Secret> {
    expected.iter().fold(None, |found, token| {
        if token.matches(given) {
            Some(token)
        } else {
            found
        }
    })
}

/// An event id from a path, or 400 `INVALID_REQUEST`.
pub(super) fn event_id(raw: &str) -> Result<EventId, ApiError> {
    EventId::parse(raw).map_err(|e| ApiError::invalid_request(e.to_string()))
}

/// An event's settings (`GET` and `PUT /api/v1/admin/events/{id}`).
#[derive(Serialize, ToSchema)]
pub struct EventSettings {
    pub event_id: EventId,
    #[serde(flatten)]
    pub config: EventConfig,
}

/// `GET /api/v1/admin/events/{id}/stats`.
#[derive(Serialize, ToSchema)]
pub struct EventStats {
    pub event_id: EventId,
    pub config: EventConfig,
    pub waiting: u64,
    pub active: u64,
    pub head_seq: Seq,
    pub next_seq: Seq,
    pub joined_total: u64,
    pub admitted_total: u64,
    pub entered_total: u64,
    pub expired_total: u64,
    pub lapsed_total: u64,
    pub left_total: u64,
    pub admission_rate: f64,
    pub eta_confidence: f64,
    /// Open sockets of the event on this node.
    pub local_connections: u64,
    /// Share of this node's ETA predictions that came true, once there are any.
    #[schema(required = true)]
    pub eta_accuracy: Option<f64>,
}

/// `GET /api/v1/admin/events/{id}`.
#[utoipa::path(
    get, path = "/api/v1/admin/events/{id}", operation_id = "get_event", tag = "admin",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 200, description = "The event's settings", body = EventSettings),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`EVENT_NOT_FOUND`", body = ErrorBody),
    )
)]
pub async fn get_event(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EventSettings>, ApiError> {
    let event = event_id(&id)?;
    let config = existing(&app, &event).await?;
    Ok(Json(EventSettings {
        event_id: event,
        config,
    }))
}

/// The settings of an event that exists, or 404 `EVENT_NOT_FOUND`.
pub(super) async fn existing(app: &AppState, event: &EventId) -> Result<EventConfig, ApiError> {
    app.events
        .config(event)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(event_not_found)
}

/// Applies `patch` to the event's settings (creating it from the defaults if it is new).
pub(super) async fn change(
    app: &AppState,
    event: &EventId,
    patch: &ConfigPatch,
) -> Result<EventConfig, ApiError> {
    let defaults = EventConfig::defaults(app.queue.settings());
    app.events
        .update_config(event, patch, &defaults)
        .await
        .map_err(ApiError::from)
}

fn event_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "EVENT_NOT_FOUND", "No such event")
}

/// Body of `PUT /api/v1/admin/events/{id}`: every field optional; `"max_active": null` removes
/// the cap.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigBody {
    #[schema(exclusive_minimum = 0, maximum = 1_000_000)]
    rate_per_sec: Option<f64>,
    #[serde(default, deserialize_with = "optional_integral")]
    #[schema(minimum = 1, maximum = 1_000_000)]
    burst: Option<u32>,
    #[serde(default, deserialize_with = "present_integral")]
    #[schema(value_type = Option<u64>, minimum = 1, maximum = 4_294_967_295_u64)]
    max_active: Option<Option<u32>>,
    #[serde(default, deserialize_with = "optional_integral")]
    #[schema(minimum = 1, maximum = 86_400)]
    entry_window_secs: Option<u32>,
    paused: Option<bool>,
    /// "Queue everyone": take joins and admit nobody until it is lifted (waiters are told the
    /// sale is gathering its queue, not that it is paused).
    queue_all: Option<bool>,
    /// Leading zero bits a join's proof of work must have (0: none); raising it takes effect
    /// for the next challenge checked, older easier solutions are refused (`POW_TOO_EASY`).
    #[serde(default, deserialize_with = "optional_integral")]
    #[schema(minimum = 0, maximum = 32)]
    pow_difficulty: Option<u8>,
    /// When joins open (RFC 3339, or ms since the Unix epoch); null: open until the start.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<At>)]
    prequeue_opens_at: Option<Option<At>>,
    /// When admission starts (RFC 3339, or ms since the Unix epoch); those who joined before
    /// are the pre-queue. Null removes the schedule.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<At>)]
    sale_starts_at: Option<Option<At>>,
    /// When joins close and waiters are told the sale ended (RFC 3339, or ms); null: never.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<At>)]
    sale_ends_at: Option<Option<At>>,
    /// How the pre-queue is ordered at the start; fixed once anyone has joined.
    queueing_method: Option<QueueingMethod>,
    /// The public randomness round the draw will wait for (named before anyone joins; its
    /// value is given after the close, `PUT …/draw/beacon`); null: none.
    #[serde(default, deserialize_with = "present")]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]+$"
    )]
    beacon_round: Option<Option<String>>,
}

/// Distinguishes an absent field from an explicit `null` (`Some(None)`).
fn present_integral<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
    optional_integral(d).map(Some)
}

/// Distinguishes an absent field from an explicit `null` (`Some(None)`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// An instant, as RFC 3339 text (any offset) or ms since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum At {
    Text(Rfc3339),
    Ms(EpochMs),
}

/// The last instant accepted: the end of year 9999.
const LAST_MS: u64 = 253_402_300_799_999;

/// Milliseconds since the Unix epoch, up to the end of year 9999.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EpochMs(u64);

impl utoipa::PartialSchema for EpochMs {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0))
            .maximum(Some(LAST_MS as f64))
            .description(Some("Milliseconds since the Unix epoch."))
            .into()
    }
}

impl ToSchema for EpochMs {}

/// RFC 3339 text, e.g. `2026-12-01T10:00:00+01:00`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[schema(value_type = String, format = DateTime)]
pub struct Rfc3339(String);

/// An instant in ms since the Unix epoch.
fn instant(name: &str, at: &At) -> Result<u64, ApiError> {
    let ms = match at {
        At::Ms(EpochMs(ms)) => Some(*ms),
        At::Text(Rfc3339(text)) => {
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .ok()
                .and_then(|t| u64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok())
        }
    };
    ms.filter(|ms| *ms <= LAST_MS).ok_or_else(|| {
        ApiError::invalid_request(format!(
            "{name} must be an RFC 3339 time from 1970 to 9999 (e.g. \
             2026-12-01T10:00:00+01:00) or ms since the Unix epoch"
        ))
    })
}

/// 1 to `max` characters, none of them a control character (as the schema's pattern says).
pub(super) fn printable(text: &str, max: usize) -> bool {
    (1..=max).contains(&text.chars().count()) && !text.chars().any(char::is_control)
}

/// 409 `SCHEDULE_LOCKED`: a change the sale's progress no longer allows.
fn schedule_locked(why: &str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "SCHEDULE_LOCKED", why.to_owned())
}

impl ConfigBody {
    fn touches_schedule(&self) -> bool {
        self.prequeue_opens_at.is_some()
            || self.sale_starts_at.is_some()
            || self.sale_ends_at.is_some()
            || self.queueing_method.is_some()
            || self.beacon_round.is_some()
    }

    /// The schedule this body makes of the event's current one (`Some(None)`: removed), or
    /// `None` if it leaves it alone. `joined`: anyone ever joined; `draw`: the event's draw.
    fn schedule(
        &self,
        current: Option<&Schedule>,
        joined: bool,
        draw: Option<&DrawRecord>,
    ) -> Result<Option<Option<Schedule>>, ApiError> {
        if !self.touches_schedule() {
            return Ok(None);
        }
        let time = |name, v: &Option<Option<At>>, was: Option<u64>| match v {
            None => Ok(was),
            Some(None) => Ok(None),
            Some(Some(v)) => instant(name, v).map(Some),
        };
        // Every value given is checked, also when the schedule is removed.
        let starts = time(
            "sale_starts_at",
            &self.sale_starts_at,
            current.map(|s| s.sale_starts_at_ms),
        )?;
        let prequeue_opens_at_ms = time(
            "prequeue_opens_at",
            &self.prequeue_opens_at,
            current.and_then(|s| s.prequeue_opens_at_ms),
        )?;
        let sale_ends_at_ms = time(
            "sale_ends_at",
            &self.sale_ends_at,
            current.and_then(|s| s.sale_ends_at_ms),
        )?;
        let beacon_round = match &self.beacon_round {
            None => current.and_then(|s| s.beacon_round.clone()),
            Some(None) => None,
            Some(Some(r)) if printable(r, 200) => Some(r.clone()),
            Some(Some(_)) => {
                return Err(ApiError::invalid_request(
                    "beacon_round must be 1 to 200 printable characters",
                ));
            }
        };
        let next = match starts {
            None if self.sale_starts_at == Some(None) => None,
            None => {
                return Err(ApiError::invalid_request(
                    "sale_starts_at is required to schedule a sale",
                ));
            }
            Some(sale_starts_at_ms) => Some(Schedule {
                prequeue_opens_at_ms,
                sale_starts_at_ms,
                sale_ends_at_ms,
                queueing_method: self
                    .queueing_method
                    .unwrap_or_else(|| current.map(|s| s.queueing_method).unwrap_or_default()),
                beacon_round,
                // A cancelled sale stays so unless its end moves (the operator reopens it).
                cancelled: current
                    .is_some_and(|s| s.cancelled && s.sale_ends_at_ms == sale_ends_at_ms),
            }),
        };
        if let Some(s) = &next {
            if s.prequeue_opens_at_ms
                .is_some_and(|o| o > s.sale_starts_at_ms)
            {
                return Err(ApiError::invalid_request(
                    "prequeue_opens_at must not be after sale_starts_at",
                ));
            }
            if s.sale_ends_at_ms.is_some_and(|e| e <= s.sale_starts_at_ms) {
                return Err(ApiError::invalid_request(
                    "sale_ends_at must be after sale_starts_at",
                ));
            }
            if s.beacon_round.is_some() && !s.is_random() {
                return Err(ApiError::invalid_request(
                    "beacon_round needs queueing_method random_at_start",
                ));
            }
        }
        let random = |s: Option<&Schedule>| s.is_some_and(Schedule::is_random);
        if joined && random(current) != random(next.as_ref()) {
            return Err(schedule_locked(
                "the queueing method is fixed once anyone has joined",
            ));
        }
        if draw.is_some_and(DrawRecord::closed) {
            let fixed = |s: Option<&Schedule>| {
                s.map(|s| {
                    (
                        s.prequeue_opens_at_ms,
                        s.sale_starts_at_ms,
                        s.beacon_round.clone(),
                    )
                })
            };
            if fixed(current) != fixed(next.as_ref()) {
                return Err(schedule_locked(
                    "the entry list is closed: only sale_ends_at can change",
                ));
            }
        }
        Ok(Some(next))
    }

    fn into_patch(self) -> Result<ConfigPatch, ApiError> {
        let bad = |m: &str| Err(ApiError::invalid_request(m.to_owned()));
        if let Some(r) = self.rate_per_sec
            && !(r.is_finite() && r > 0.0 && r <= 1_000_000.0)
        {
            return bad("rate_per_sec must be above 0 and at most 1000000");
        }
        if self.burst.is_some_and(|b| !(1..=1_000_000).contains(&b)) {
            return bad("burst must be 1 to 1000000");
        }
        if self.max_active.flatten() == Some(0) {
            return bad("max_active must be at least 1, or null for no cap");
        }
        if self
            .entry_window_secs
            .is_some_and(|w| !(1..=86_400).contains(&w))
        {
            return bad("entry_window_secs must be 1 to 86400");
        }
        if self
            .pow_difficulty
            .is_some_and(|d| d > crate::queue::pow::MAX_DIFFICULTY)
        {
            return bad("pow_difficulty must be 0 to 32");
        }
        Ok(ConfigPatch {
            rate_per_sec: self.rate_per_sec,
            burst: self.burst,
            max_active: self.max_active,
            entry_window_secs: self.entry_window_secs,
            paused: self.paused,
            hold: None,
            schedule: None,
            draw_seed: None,
            pow_difficulty: self.pow_difficulty,
            queue_all: self.queue_all,
            announcement: None,
        })
    }
}

/// `PUT /api/v1/admin/events/{id}`: creates or updates the event's settings.
#[utoipa::path(
    put, path = "/api/v1/admin/events/{id}", operation_id = "put_event", tag = "admin",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    request_body = ConfigBody, security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 200, description = "The event's settings after the change (an event that \
            did not exist is created)", body = EventSettings,
            links(("join" = (operation_id = "join",
                request_body = json!({"event_id": "$response.body#/event_id"}))))),
        (status = 400, description = "`INVALID_REQUEST`: a value out of range, a schedule \
            that breaks its rules, or an unknown field", body = ErrorBody),
        (status = 409, description = "`SCHEDULE_LOCKED`: the queueing method once anyone has \
            joined, or anything but `sale_ends_at` once the entry list is closed",
            body = ErrorBody),
    )
)]
pub async fn put_event(
    State(app): State<AppState>,
    who: axum::Extension<Operator>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ConfigBody>,
) -> Result<Json<EventSettings>, ApiError> {
    let event = event_id(&id)?;
    let snapshot = app.events.snapshot(&event).await.map_err(ApiError::from)?;
    let schedule = body.schedule(
        snapshot.as_ref().and_then(|s| s.config.schedule.as_ref()),
        snapshot.as_ref().is_some_and(|s| s.next_seq.0 > 0),
        snapshot.as_ref().and_then(|s| s.draw.as_ref()),
    )?;
    let mut patch = body.into_patch()?;
    // A random start commits to its seed now, before anyone can join.
    let committed = snapshot.as_ref().is_some_and(|s| s.draw.is_some());
    if !committed
        && schedule
            .as_ref()
            .is_some_and(|s| s.as_ref().is_some_and(Schedule::is_random))
    {
        let seed = crate::draw::new_seed();
        patch.draw_seed = Some((
            hex::encode(seed),
            hex::encode(crate::draw::commitment(&seed)),
        ));
    }
    patch.schedule = schedule;
    let config = change(&app, &event, &patch).await?;
    let detail = changed(snapshot.as_ref().map(|s| &s.config), &config);
    audit(&app, &who, "event.update", Some(&event), detail).await;
    Ok(Json(EventSettings {
        event_id: event,
        config,
    }))
}

/// The settings that differ from `before` (all of them for a new event), as a JSON object of
/// their new values; a setting removed is `null`.
fn changed(before: Option<&EventConfig>, after: &EventConfig) -> String {
    let as_map = |c: &EventConfig| match serde_json::to_value(c) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let old = before.map(as_map).unwrap_or_default();
    let new = as_map(after);
    let mut diff: serde_json::Map<String, serde_json::Value> = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for k in old.keys().filter(|k| !new.contains_key(*k)) {
        diff.insert(k.clone(), serde_json::Value::Null);
    }
    serde_json::Value::Object(diff).to_string()
}

/// Body of `PUT /api/v1/admin/events/{id}/draw/beacon`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BeaconBody {
    /// The value the named beacon round published (for example its randomness, hex).
    #[schema(
        min_length = 1,
        max_length = 1024,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]+$"
    )]
    value: String,
}

/// `PUT /api/v1/admin/events/{id}/draw/beacon`: the value of the beacon round the event named,
/// once the entry list is closed; the draw waits for it.
#[utoipa::path(
    put, path = "/api/v1/admin/events/{id}/draw/beacon", operation_id = "put_beacon",
    tag = "admin",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    request_body = BeaconBody, security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 204, description = "Recorded: the draw is made with it"),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`EVENT_NOT_FOUND`", body = ErrorBody),
        (status = 409, description = "`NO_BEACON_ROUND` (the event names none), \
            `DRAW_NOT_CLOSED` (too early: a value known before the close could steer who \
            enters) or `BEACON_ALREADY_SET`", body = ErrorBody),
    )
)]
pub async fn put_beacon(
    State(app): State<AppState>,
    who: axum::Extension<Operator>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<BeaconBody>,
) -> Result<StatusCode, ApiError> {
    let event = event_id(&id)?;
    if !printable(&body.value, 1024) {
        return Err(ApiError::invalid_request(
            "value must be 1 to 1024 printable characters",
        ));
    }
    let conflict = |code, message: &str| ApiError::new(StatusCode::CONFLICT, code, message);
    match app
        .events
        .set_beacon(&event, &body.value)
        .await
        .map_err(ApiError::from)?
    {
        BeaconOutcome::Set => {
            audit(&app, &who, "draw.beacon", Some(&event), body.value).await;
            Ok(StatusCode::NO_CONTENT)
        }
        BeaconOutcome::NotFound => Err(event_not_found()),
        BeaconOutcome::NoRound => Err(conflict(
            "NO_BEACON_ROUND",
            "This event's draw names no beacon round",
        )),
        BeaconOutcome::NotClosed => Err(conflict(
            "DRAW_NOT_CLOSED",
            "The entry list is not closed yet: give the value after sale_starts_at",
        )),
        BeaconOutcome::AlreadySet => Err(conflict(
            "BEACON_ALREADY_SET",
            "The beacon value was given already, or the draw is made",
        )),
    }
}

/// `GET /api/v1/admin/events/{id}/stats`.
#[utoipa::path(
    get, path = "/api/v1/admin/events/{id}/stats", operation_id = "event_stats", tag = "admin",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    security(("admin_bearer" = []), ("admin_cookie" = [])),
    responses(
        (status = 200, description = "The event's queue and admission figures",
            body = EventStats),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`EVENT_NOT_FOUND`", body = ErrorBody),
    )
)]
pub async fn event_stats(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EventStats>, ApiError> {
    let event = event_id(&id)?;
    let snap = app
        .events
        .snapshot(&event)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(event_not_found)?;
    Ok(Json(stats_of(&app, event, snap)))
}

/// An event's figures from its snapshot and this node's view of it.
pub(super) fn stats_of(app: &AppState, event: EventId, snap: EventSnapshot) -> EventStats {
    let rate = Rate::measure(&snap.history, &snap.config, now_ms());
    let (local_connections, eta_accuracy) = app.hub.local_stats(&event).unwrap_or((0, None));
    EventStats {
        event_id: event,
        waiting: snap.waiting(),
        active: snap.active,
        head_seq: snap.head,
        next_seq: snap.next_seq,
        joined_total: snap.counters.joined,
        admitted_total: snap.counters.admitted,
        entered_total: snap.counters.entered,
        expired_total: snap.counters.expired,
        lapsed_total: snap.counters.lapsed,
        left_total: snap.counters.left,
        admission_rate: rate.per_sec,
        eta_confidence: rate.confidence,
        local_connections,
        eta_accuracy,
        config: snap.config,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_names_only_the_settings_that_changed() {
        let mut before: EventConfig = serde_json::from_str(
            r#"{"rate_per_sec":2.0,"burst":1,"max_active":null,"entry_window_secs":120,"paused":true,
                "queue_all":true}"#,
        )
        .unwrap();
        let mut after = before.clone();
        after.paused = false;
        after.rate_per_sec = 5.0;
        after.queue_all = false;
        assert_eq!(
            changed(Some(&before), &after),
            r#"{"paused":false,"queue_all":null,"rate_per_sec":5.0}"#
        );
        assert_eq!(changed(Some(&after), &after), "{}");
        before.paused = false;
        assert!(changed(None, &before).contains(r#""entry_window_secs":120"#));
    }

    #[test]
    fn null_max_active_removes_the_cap_and_absent_keeps_it() {
        let b: ConfigBody = serde_json::from_str(r#"{"max_active":null}"#).unwrap();
        assert_eq!(b.into_patch().unwrap().max_active, Some(None));
        let b: ConfigBody = serde_json::from_str(r#"{"paused":true}"#).unwrap();
        assert_eq!(b.into_patch().unwrap().max_active, None);
    }

    #[test]
    fn out_of_range_settings_are_refused() {
        for body in [
            r#"{"rate_per_sec":0}"#,
            r#"{"burst":0}"#,
            r#"{"max_active":0}"#,
        ] {
            let b: ConfigBody = serde_json::from_str(body).unwrap();
            assert!(b.into_patch().is_err(), "{body}");
        }
        assert!(serde_json::from_str::<ConfigBody>(r#"{"rate":1}"#).is_err());
    }
}
