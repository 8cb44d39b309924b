//! `payment.v1.PaymentService` over [`Payments`]. `ProcessPayment` takes the outcome from the
//! [`ACTION_METADATA`] entry when a caller chooses one; reads are for their caller only.

use std::sync::Arc;
use std::time::Duration;

use tonic::{Request, Response, Status};
use usher_proto::common::v1::{ErrorCode, Money};
use usher_proto::payment::ACTION_METADATA;
use usher_proto::payment::v1 as pb;

use super::Payments;
use crate::clock::{now_ms, timestamp};
use crate::journal::durable;
use crate::new_id;
use crate::rpc::{caller_of, in_band};
use pb::PaymentStatus;

fn not_found() -> pb::Payment {
    pb::Payment::default()
}

/// `payment.v1.PaymentService` over [`Payments`].
pub struct PaymentApi {
    pub payments: Arc<Payments>,
}

#[tonic::async_trait]
impl pb::payment_service_server::PaymentService for PaymentApi {
    async fn create_payment_intent(
        &self,
        request: Request<pb::CreatePaymentIntentRequest>,
    ) -> Result<Response<pb::CreatePaymentIntentResponse>, Status> {
        let (resp, written) = self.payments.create(request.into_inner())?;
        durable([written]).await?;
        Ok(Response::new(resp))
    }

    async fn process_payment(
        &self,
        request: Request<pb::ProcessPaymentRequest>,
    ) -> Result<Response<pb::ProcessPaymentResponse>, Status> {
        let action = request
            .metadata()
            .get(ACTION_METADATA)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let req = request.into_inner();
        let Some(scenario) = self.payments.scenario(&req.payment_intent_id) else {
            return Ok(Response::new(pb::ProcessPaymentResponse {
                error: Some(in_band(ErrorCode::NotFound, "unknown payment intent")),
                ..Default::default()
            }));
        };
        let status = match action.as_deref() {
            Some("approve") => PaymentStatus::Completed,
            Some("fail") => PaymentStatus::Failed,
            Some(other) => {
                return Err(Status::invalid_argument(format!(
                    "{ACTION_METADATA} must be approve or fail, not {other}"
                )));
            }
            None => self.payments.outcome(scenario),
        };
        let p = self
            .payments
            .settle(&req.payment_intent_id, status)
            .await?
            .unwrap_or_else(not_found);
        Ok(Response::new(pb::ProcessPaymentResponse {
            payment_id: p.payment_id.clone(),
            status: p.status,
            processed_at: p.processed_at,
            transaction_id: p.transaction_id.clone(),
            result: p.result.clone(),
            error: None,
        }))
    }

    async fn get_payment_status(
        &self,
        request: Request<pb::GetPaymentStatusRequest>,
    ) -> Result<Response<pb::GetPaymentStatusResponse>, Status> {
        let caller = caller_of(&request, &request.get_ref().user_id)?;
        let req = request.into_inner();
        let resp = match self.payments.get(&req.payment_intent_id) {
            Some(p) if caller.may_act_on(&p.user_id) => pb::GetPaymentStatusResponse {
                payment: Some(p),
                error: None,
            },
            Some(_) => pb::GetPaymentStatusResponse {
                payment: None,
                error: Some(in_band(ErrorCode::Forbidden, "not your payment")),
            },
            None => pb::GetPaymentStatusResponse {
                payment: None,
                error: Some(in_band(ErrorCode::NotFound, "unknown payment intent")),
            },
        };
        Ok(Response::new(resp))
    }

    async fn cancel_payment(
        &self,
        request: Request<pb::CancelPaymentRequest>,
    ) -> Result<Response<pb::CancelPaymentResponse>, Status> {
        let req = request.into_inner();
        let Some((p, written)) = self.payments.cancel(&req.payment_intent_id) else {
            return Ok(Response::new(pb::CancelPaymentResponse {
                error: Some(in_band(ErrorCode::NotFound, "unknown payment intent")),
                ..Default::default()
            }));
        };
        durable([written]).await?;
        let refunded = p.status == PaymentStatus::Refunded as i32;
        Ok(Response::new(pb::CancelPaymentResponse {
            status: p.status,
            cancelled_at: p.updated_at,
            refunded_amount: if refunded {
                p.amount.clone()
            } else {
                Some(Money::default())
            },
            refund_id: if refunded {
                new_id("rfd")
            } else {
                String::new()
            },
            error: None,
        }))
    }

    async fn list_payments(
        &self,
        request: Request<pb::ListPaymentsRequest>,
    ) -> Result<Response<pb::ListPaymentsResponse>, Status> {
        let caller = caller_of(&request, &request.get_ref().user_id)?;
        let req = request.into_inner();
        let payments = self.payments.list(|p| {
            caller.may_act_on(&p.user_id)
                && (req.reservation_id.is_empty() || p.reservation_id == req.reservation_id)
                && (req.status == 0 || p.status == req.status)
        });
        Ok(Response::new(pb::ListPaymentsResponse {
            payments,
            page_info: None,
            error: None,
        }))
    }

    async fn simulate_webhook(
        &self,
        request: Request<pb::SimulateWebhookRequest>,
    ) -> Result<Response<pb::SimulateWebhookResponse>, Status> {
        let req = request.into_inner();
        let status = match PaymentStatus::try_from(req.target_status) {
            Ok(s @ (PaymentStatus::Completed | PaymentStatus::Failed)) => s,
            _ => {
                return Err(Status::invalid_argument(
                    "target_status must be COMPLETED or FAILED",
                ));
            }
        };
        let has_url = self.payments.has_webhook(&req.payment_intent_id);
        let delay = Duration::from_secs(u64::try_from(req.delay_seconds).unwrap_or(0));
        let at_ms = now_ms() + delay.as_millis() as u64;
        let scheduled = self
            .payments
            .settle_later(&req.payment_intent_id, at_ms, status);
        let (Some(has_url), Some(written)) = (has_url, scheduled) else {
            return Ok(Response::new(pb::SimulateWebhookResponse {
                error: Some(in_band(ErrorCode::NotFound, "unknown payment intent")),
                ..Default::default()
            }));
        };
        durable([written]).await?;
        Ok(Response::new(pb::SimulateWebhookResponse {
            webhook_sent: has_url,
            webhook_id: new_id("whk"),
            scheduled_at: Some(timestamp(at_ms)),
            error: None,
        }))
    }
}
