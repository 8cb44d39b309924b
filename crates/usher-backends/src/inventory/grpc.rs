//! `reservation.v1.InventoryService` over an [`Inventory`]: requests in, the seat model's
//! answers out. Malformed requests are gRPC errors; taken seats are business outcomes, in-band.

use std::sync::Arc;

use tonic::{Request, Response, Status};
use usher_proto::common::v1::{Address, Error as PbError, ErrorCode, ErrorDetail, Event, Venue};
use usher_proto::reservation::v1 as pb;

use super::{CommitOutcome, HoldError, Inventory, ReleaseOutcome, Unknown};
use crate::clock::{millis, now_ms, timestamp};
use crate::journal::durable;
use crate::rpc::in_band;

/// `reservation.v1.InventoryService` over an [`Inventory`].
pub struct InventoryApi {
    pub inventory: Arc<Inventory>,
    /// Hold length when a request names no deadline.
    pub hold_ms: u64,
}

impl HoldError {
    /// The refusal as an in-band `common.v1.Error`.
    pub fn to_error(&self) -> PbError {
        match self {
            HoldError::UnknownEvent => in_band(ErrorCode::NotFound, "unknown event"),
            HoldError::Invalid(m) => in_band(ErrorCode::InvalidArgument, m),
            HoldError::Conflict(seats) => {
                let mut err = in_band(ErrorCode::InventoryConflict, "seats are not available");
                err.details = seats
                    .iter()
                    .map(|(id, reason)| ErrorDetail {
                        field: "seat_id".into(),
                        reason: (*reason).into(),
                        value: id.clone(),
                    })
                    .collect();
                err
            }
            HoldError::Insufficient { remaining } => in_band(
                ErrorCode::InsufficientInventory,
                &format!("only {remaining} seats are available"),
            ),
            HoldError::BuyerLimit { limit, has } => in_band(
                ErrorCode::FailedPrecondition,
                &format!(
                    "at most {limit} seats per buyer for this event; this buyer has {has} held or bought"
                ),
            ),
        }
    }
}

#[tonic::async_trait]
impl pb::inventory_service_server::InventoryService for InventoryApi {
    async fn check_availability(
        &self,
        request: Request<pb::CheckAvailabilityRequest>,
    ) -> Result<Response<pb::CheckAvailabilityResponse>, Status> {
        let req = request.into_inner();
        let quantity = usize::try_from(req.quantity.max(1)).unwrap_or(1);
        let section = Some(req.section.as_str()).filter(|s| !s.is_empty());
        let a = self
            .inventory
            .availability(&req.event_id, &req.seat_ids, quantity, section)
            .map_err(|e| match e {
                Unknown::Event => Status::not_found("unknown event"),
                Unknown::Section => Status::invalid_argument("unknown section"),
            })?;
        Ok(Response::new(pb::CheckAvailabilityResponse {
            available: a.available,
            available_seats: a.seats,
            unavailable_seat_ids: a.unavailable,
            remaining_in_section: a.remaining_in_section as i32,
            error: None,
        }))
    }

    async fn reserve_seat(
        &self,
        request: Request<pb::ReserveSeatRequest>,
    ) -> Result<Response<pb::ReserveSeatResponse>, Status> {
        let req = request.into_inner();
        if req.reservation_id.is_empty() || req.event_id.is_empty() {
            return Err(Status::invalid_argument(
                "reservation_id and event_id are required",
            ));
        }
        let expires_ms = req
            .hold_expires_at
            .as_ref()
            .map_or(now_ms() + self.hold_ms, millis);
        let quantity = usize::try_from(req.quantity)
            .map_err(|_| Status::invalid_argument("quantity must not be negative"))?;
        match self.inventory.hold(
            &req.event_id,
            &req.user_id,
            &req.reservation_id,
            &req.seat_ids,
            quantity,
            None,
            expires_ms,
            |_| Vec::new(),
        ) {
            Ok((g, pending)) => {
                durable([pending]).await?;
                Ok(Response::new(pb::ReserveSeatResponse {
                    hold_id: g.hold_id,
                    reserved_seats: g.seats,
                    hold_expires_at: Some(timestamp(g.expires_ms)),
                    status: pb::HoldStatus::Active as i32,
                    error: None,
                }))
            }
            // Malformed requests are gRPC errors; taken seats are business outcomes, in-band.
            Err(HoldError::UnknownEvent) => Err(Status::not_found("unknown event")),
            Err(HoldError::Invalid(m)) => Err(Status::invalid_argument(m)),
            Err(e) => Ok(Response::new(pb::ReserveSeatResponse {
                status: pb::HoldStatus::Unspecified as i32,
                error: Some(e.to_error()),
                ..Default::default()
            })),
        }
    }

    async fn commit_reservation(
        &self,
        request: Request<pb::CommitReservationRequest>,
    ) -> Result<Response<pb::CommitReservationResponse>, Status> {
        let req = request.into_inner();
        let now = now_ms();
        let (outcome, pending) = self
            .inventory
            .commit(&req.event_id, &req.reservation_id, |_| Vec::new());
        durable([pending]).await?;
        let resp = match outcome {
            CommitOutcome::Sold { order_id, seats } => pb::CommitReservationResponse {
                order_id,
                sold_seats: seats,
                status: pb::CommitStatus::Success as i32,
                committed_at: Some(timestamp(now)),
                error: None,
            },
            CommitOutcome::Expired => pb::CommitReservationResponse {
                status: pb::CommitStatus::FailedExpired as i32,
                error: Some(in_band(ErrorCode::ReservationExpired, "the hold has ended")),
                ..Default::default()
            },
            CommitOutcome::UnknownReservation => pb::CommitReservationResponse {
                status: pb::CommitStatus::FailedConflict as i32,
                error: Some(in_band(ErrorCode::NotFound, "no hold for this reservation")),
                ..Default::default()
            },
        };
        Ok(Response::new(resp))
    }

    async fn release_hold(
        &self,
        request: Request<pb::ReleaseHoldRequest>,
    ) -> Result<Response<pb::ReleaseHoldResponse>, Status> {
        let req = request.into_inner();
        let now = now_ms();
        let (outcome, pending) = self
            .inventory
            .release(&req.event_id, &req.reservation_id, |_| Vec::new());
        durable([pending]).await?;
        let resp = match outcome {
            ReleaseOutcome::Released(seats) => pb::ReleaseHoldResponse {
                released_seats: seats,
                status: pb::ReleaseStatus::Success as i32,
                released_at: Some(timestamp(now)),
                error: None,
            },
            ReleaseOutcome::AlreadyEnded => pb::ReleaseHoldResponse {
                status: pb::ReleaseStatus::AlreadyReleased as i32,
                released_at: Some(timestamp(now)),
                ..Default::default()
            },
            ReleaseOutcome::NotFound => pb::ReleaseHoldResponse {
                status: pb::ReleaseStatus::NotFound as i32,
                error: Some(in_band(ErrorCode::NotFound, "no hold for this reservation")),
                ..Default::default()
            },
        };
        Ok(Response::new(resp))
    }

    async fn get_inventory_status(
        &self,
        request: Request<pb::GetInventoryStatusRequest>,
    ) -> Result<Response<pb::GetInventoryStatusResponse>, Status> {
        let req = request.into_inner();
        let section = Some(req.section.as_str()).filter(|s| !s.is_empty());
        let status = self
            .inventory
            .status(&req.event_id, section)
            .ok_or_else(|| Status::not_found("unknown event"))?;
        let all = status.all;
        let sections = status
            .sections
            .into_iter()
            .map(|s| pb::SectionInventory {
                section_id: s.id.clone(),
                section_name: s.id,
                total_seats: s.counts.total as i32,
                available_seats: s.counts.available as i32,
                reserved_seats: s.counts.held as i32,
                sold_seats: s.counts.sold as i32,
                blocked_seats: 0,
                min_price: Some(s.price.clone()),
                max_price: Some(s.price),
            })
            .collect();
        Ok(Response::new(pb::GetInventoryStatusResponse {
            event: Some(Event {
                description: status.details.description.clone().unwrap_or_default(),
                start_time: status.details.starts_at(),
                venue: status.details.venue.map(|v| Venue {
                    id: String::new(),
                    name: v.name,
                    address: Some(Address {
                        street: v.address.unwrap_or_default(),
                        city: v.city.unwrap_or_default(),
                        country: v.country.unwrap_or_default(),
                        ..Default::default()
                    }),
                    total_capacity: all.total as i32,
                }),
                id: status.event_id,
                name: status.name,
                total_seats: all.total as i32,
                remaining_seats: all.available as i32,
                ..Default::default()
            }),
            sections,
            stats: Some(pb::InventoryStats {
                total_seats: all.total as i32,
                available_seats: all.available as i32,
                reserved_seats: all.held as i32,
                sold_seats: all.sold as i32,
                blocked_seats: 0,
                availability_percentage: (all.available as f64 * 100.0 / all.total.max(1) as f64)
                    as f32,
                last_updated: Some(timestamp(status.at_ms)),
            }),
            error: None,
        }))
    }
}
