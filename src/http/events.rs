//! Events as buyers see them before joining (`GET /api/v1/events`, `GET /api/v1/events/{id}`),
//! from this node's catalog ([`crate::purchase::catalog`]).

use axum::Json;
use axum::extract::{Path, State};

use super::AppState;
use super::admin::event_id;
use crate::error::{ApiError, ErrorBody};
use crate::purchase::catalog::{CatalogError, EventList, PublicEvent};

fn answer(e: CatalogError) -> ApiError {
    match e {
        CatalogError::Store(e) => e.into(),
        CatalogError::Queue(e) => e.into(),
        CatalogError::Upstream(e) => e.into(),
    }
}

fn no_such_sale() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        "EVENT_NOT_FOUND",
        "No such sale",
    )
}

/// `GET /api/v1/events/{id}`.
#[utoipa::path(
    get, path = "/api/v1/events/{id}", operation_id = "public_event", tag = "events",
    params(("id" = String, Path, description = "The event id",
        pattern = r"^[A-Za-z0-9_.:-]{1,64}$")),
    responses(
        (status = 200, description = "The event, its seats and its queue (at most about a \
            second old)", body = PublicEvent),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 404, description = "`EVENT_NOT_FOUND`: no such sale", body = ErrorBody),
    )
)]
pub async fn get(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PublicEvent>, ApiError> {
    let event = event_id(&id)?;
    let found = app
        .catalog
        .event(&event)
        .await
        .map_err(answer)?
        .ok_or_else(no_such_sale)?;
    Ok(Json(PublicEvent::clone(&found)))
}

/// `GET /api/v1/events`: the events on sale (at most [`MAX_LISTED_EVENTS`]), by id.
#[utoipa::path(
    get, path = "/api/v1/events", operation_id = "public_events", tag = "events",
    responses(
        (status = 200, description = "Events with an inventory: those the embedded inventory \
            lists and those with a queue (at most about a second old)", body = EventList),
    )
)]
pub async fn list(State(app): State<AppState>) -> Result<Json<EventList>, ApiError> {
    let list = app.catalog.events().await.map_err(answer)?;
    Ok(Json(EventList::clone(&list)))
}
