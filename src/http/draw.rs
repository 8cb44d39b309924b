//! The public record of a random start's draw, and each entrant's proof: what anyone needs to
//! check a draw (`usher verify-draw`, the web client's verify page). No authentication: the
//! record holds no secret (the seed only once the draw is made) and a proof is asked for with
//! the entrant's own waiting token.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::admin::event_id;
use super::queue::TokenQuery;
use crate::domain::EventId;
use crate::draw::ALGORITHM;
use crate::error::{ApiError, ApiQuery, ErrorBody};
use crate::queue::onsale::{self, EntryProof, ProofError};
use crate::queue::parse_token;
use crate::store::{DrawRecord, Schedule};

/// `GET /api/v1/events/{id}/draw`: a random start's draw as far as it went.
#[derive(Debug, Serialize, ToSchema)]
pub struct DrawPublic {
    pub event_id: EventId,
    /// `usher-draw-v1`: the algorithm the README states.
    pub algorithm: &'static str,
    /// `open` (entrants join the pre-queue), `closed` (the entry list is fixed; the draw is
    /// being made) or `drawn`.
    pub state: &'static str,
    /// ms since the Unix epoch.
    #[schema(required = true)]
    pub prequeue_opens_at: Option<u64>,
    pub sale_starts_at: u64,
    /// SHA-256 of the secret seed, hex: published before anyone could join.
    pub commitment: String,
    /// The public randomness round the draw waits for, named in advance.
    #[schema(required = true)]
    pub beacon_round: Option<String>,
    #[schema(required = true)]
    pub entrants: Option<u64>,
    #[schema(required = true)]
    pub closed_at: Option<u64>,
    /// Merkle root of the entry list, hex.
    #[schema(required = true)]
    pub entry_root: Option<String>,
    #[schema(required = true)]
    pub beacon_value: Option<String>,
    /// The seed, hex: revealed with the draw.
    #[schema(required = true)]
    pub seed: Option<String>,
    #[schema(required = true)]
    pub drawn_at: Option<u64>,
}

impl DrawPublic {
    fn new(event_id: EventId, schedule: &Schedule, d: DrawRecord) -> Self {
        let state = match (d.closed(), d.drawn()) {
            (_, true) => "drawn",
            (true, false) => "closed",
            _ => "open",
        };
        Self {
            event_id,
            algorithm: ALGORITHM,
            state,
            prequeue_opens_at: schedule.prequeue_opens_at_ms,
            sale_starts_at: schedule.sale_starts_at_ms,
            commitment: d.commitment,
            beacon_round: schedule.beacon_round.clone(),
            entrants: d.entrants,
            closed_at: d.closed_at_ms,
            entry_root: d.root,
            beacon_value: d.beacon_value,
            seed: d.seed,
            drawn_at: d.drawn_at_ms,
        }
    }
}

fn no_draw() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "DRAW_NOT_FOUND",
        "This event has no draw: it is not a random start",
    )
}

/// The event's schedule and draw: from this node's view when it watches the event, else from
/// the store.
async fn draw_of(app: &AppState, event: &EventId) -> Result<(Schedule, DrawRecord), ApiError> {
    let (schedule, draw) = match app.hub.view_of(event) {
        Some((config, draw)) => (config.schedule, draw),
        None => {
            let snapshot = app.events.snapshot(event).await.map_err(ApiError::from)?;
            snapshot.map_or((None, None), |s| (s.config.schedule, s.draw))
        }
    };
    match (schedule, draw) {
        (Some(schedule), Some(draw)) => Ok((schedule, draw)),
        _ => Err(no_draw()),
    }
}

/// `GET /api/v1/events/{id}/draw`.
#[utoipa::path(
    get, path = "/api/v1/events/{id}/draw", operation_id = "get_draw", tag = "queue",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    responses(
        (status = 200, description = "The draw's public record: what anyone needs to check \
            it, as far as it went", body = DrawPublic),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`DRAW_NOT_FOUND`: not a random start", body = ErrorBody),
    )
)]
pub async fn public(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<DrawPublic>, ApiError> {
    let event = event_id(&id)?;
    let (schedule, draw) = draw_of(&app, &event).await?;
    Ok(Json(DrawPublic::new(event, &schedule, draw)))
}

/// `GET /api/v1/events/{id}/draw/proof?token=`.
#[utoipa::path(
    get, path = "/api/v1/events/{id}/draw/proof", operation_id = "get_draw_proof", tag = "queue",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$"), TokenQuery),
    responses(
        (status = 200, description = "The entrant's entry index, its inclusion proof in the \
            entry root and its drawn rank", body = EntryProof),
        (status = 400, description = "`MISSING_TOKEN`, `INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`DRAW_NOT_FOUND`, `TOKEN_NOT_FOUND` (not an entrant of \
            this draw)", body = ErrorBody),
        (status = 409, description = "`DRAW_NOT_MADE`: the draw is not made yet",
            body = ErrorBody),
    )
)]
pub async fn proof(
    State(app): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> Result<Json<EntryProof>, ApiError> {
    let event = event_id(&id)?;
    let token = parse_token(q.token.as_deref())?;
    let (_, draw) = draw_of(&app, &event).await?;
    let not_an_entrant = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "TOKEN_NOT_FOUND",
            "This token is not in the event's entry list",
        )
    };
    let record = app
        .events
        .status(token, None)
        .await
        .map_err(ApiError::from)?
        .filter(|r| r.event == event)
        .ok_or_else(not_an_entrant)?;
    match onsale::proof(app.events.as_ref(), &app.proofs, &draw, &record).await {
        Ok(proof) => Ok(Json(proof)),
        Err(ProofError::NotDrawn) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "DRAW_NOT_MADE",
            "The draw is not made yet: the proof exists once it is",
        )),
        Err(ProofError::NotAnEntrant) => Err(not_an_entrant()),
        Err(ProofError::Store(e)) => Err(e.into()),
    }
}
