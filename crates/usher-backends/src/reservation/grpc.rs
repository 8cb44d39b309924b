//! `reservation.v1.ReservationService` over [`Reservations`]: each call's caller (a buyer, or
//! the payment service) is read from the request and handed to the life cycle, which decides.

use std::sync::Arc;

use tonic::{Request, Response, Status};
use usher_proto::reservation::v1 as pb;

use super::Reservations;
use crate::journal::durable;
use crate::rpc::caller_of;
use pb::ReservationStatus;

/// `reservation.v1.ReservationService` over [`Reservations`].
pub struct ReservationApi {
    pub reservations: Arc<Reservations>,
}

#[tonic::async_trait]
impl pb::reservation_service_server::ReservationService for ReservationApi {
    async fn create_reservation(
        &self,
        request: Request<pb::CreateReservationRequest>,
    ) -> Result<Response<pb::CreateReservationResponse>, Status> {
        self.reservations
            .create(request.into_inner())
            .await
            .map(Response::new)
    }

    async fn get_reservation(
        &self,
        request: Request<pb::GetReservationRequest>,
    ) -> Result<Response<pb::GetReservationResponse>, Status> {
        let caller = caller_of(&request, &request.get_ref().user_id)?;
        let req = request.into_inner();
        let resp = match self.reservations.get(&req.reservation_id, &caller).await {
            Ok(r) => pb::GetReservationResponse {
                reservation: Some(r),
                error: None,
            },
            Err(e) => pb::GetReservationResponse {
                reservation: None,
                error: Some(e),
            },
        };
        Ok(Response::new(resp))
    }

    async fn confirm_reservation(
        &self,
        request: Request<pb::ConfirmReservationRequest>,
    ) -> Result<Response<pb::ConfirmReservationResponse>, Status> {
        let caller = caller_of(&request, &request.get_ref().user_id)?;
        self.reservations
            .confirm(&caller, request.into_inner())
            .await
            .map(Response::new)
    }

    async fn cancel_reservation(
        &self,
        request: Request<pb::CancelReservationRequest>,
    ) -> Result<Response<pb::CancelReservationResponse>, Status> {
        let caller = caller_of(&request, &request.get_ref().user_id)?;
        let req = request.into_inner();
        let resp = match self
            .reservations
            .end(&req.reservation_id, &caller, ReservationStatus::Cancelled)
            .await
        {
            Ok((r, written)) => {
                durable([written]).await?;
                pb::CancelReservationResponse {
                    status: r.status,
                    cancelled_at: r.updated_at,
                    released_seats: r.seats,
                    error: None,
                }
            }
            Err(e) => pb::CancelReservationResponse {
                error: Some(e),
                ..Default::default()
            },
        };
        Ok(Response::new(resp))
    }

    async fn list_reservations(
        &self,
        request: Request<pb::ListReservationsRequest>,
    ) -> Result<Response<pb::ListReservationsResponse>, Status> {
        let caller = caller_of(&request, &request.get_ref().user_id)?;
        let req = request.into_inner();
        let mut reservations: Vec<pb::Reservation> = self
            .reservations
            .all()
            .await
            .into_iter()
            .filter(|r| caller.may_act_on(&r.user_id))
            .filter(|r| req.event_id.is_empty() || r.event_id == req.event_id)
            .filter(|r| req.status == 0 || r.status == req.status)
            .collect();
        reservations.sort_by(|a, b| a.reservation_id.cmp(&b.reservation_id));
        Ok(Response::new(pb::ListReservationsResponse {
            reservations,
            page_info: None,
            error: None,
        }))
    }

    async fn extend_hold(
        &self,
        request: Request<pb::ExtendHoldRequest>,
    ) -> Result<Response<pb::ExtendHoldResponse>, Status> {
        // Holds are not extended: a fixed hold keeps seats moving in a busy sale.
        let caller = caller_of(&request, &request.get_ref().user_id)?;
        let req = request.into_inner();
        let r = self.reservations.get(&req.reservation_id, &caller).await;
        Ok(Response::new(match r {
            Ok(r) => pb::ExtendHoldResponse {
                new_expires_at: r.hold_expires_at,
                extended_seconds: 0,
                extension_allowed: false,
                error: None,
            },
            Err(e) => pb::ExtendHoldResponse {
                error: Some(e),
                ..Default::default()
            },
        }))
    }
}
