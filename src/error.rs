//! The seed's error envelope, `{"error":{"code","message","trace_id"}}`, and the one place where
//! domain errors become HTTP statuses and codes.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::auth::AuthError;
use crate::purchase::webhook::WebhookError;
use crate::purchase::{ConfirmError, IntentError, ProcessError, ReserveError};
use crate::queue::QueueError;
use crate::queue::pow::PowError;
use crate::store::StoreError;
use crate::telemetry::current_trace_id;
use crate::upstream::UpstreamError;

/// The seed's error envelope, the body of every error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable code, e.g. `TOKEN_NOT_FOUND`.
    pub code: &'static str,
    pub message: String,
    /// The request's trace id (also in `X-Request-ID`).
    pub trace_id: String,
    /// `SALE_NOT_OPEN`: when the pre-queue opens (ms since the Unix epoch).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub opens_at: Option<u64>,
}

/// An error answer in the seed's envelope.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Seconds for a `Retry-After` header.
    pub retry_after: Option<u64>,
    /// See [`ErrorDetail::opens_at`].
    pub opens_at: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
            opens_at: None,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::bad_request("INVALID_REQUEST", message)
    }

    /// 409: the Idempotency-Key was used for a different request.
    pub fn idempotency_conflict() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "IDEMPOTENCY_CONFLICT",
            "Request body differs from original request with same Idempotency-Key",
        )
    }

    /// 409 with a hint to retry: a request with the same Idempotency-Key is still running.
    pub fn idempotency_in_progress() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "IDEMPOTENCY_CONFLICT",
            "A request with this Idempotency-Key is still in progress",
        )
        .with_retry_after(1)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", "Route not found")
    }

    pub fn store_unavailable() -> Self {
        Self {
            retry_after: Some(1),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "STORE_UNAVAILABLE",
                "The queue store is unavailable; try again shortly",
            )
        }
    }

    /// 429 for a client over its request rate (the seed's code and message).
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            "Rate limit exceeded. Please try again later.",
        )
        .with_retry_after(retry_after_secs)
    }

    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                trace_id: current_trace_id(),
                opens_at: self.opens_at,
            },
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

impl From<PowError> for ApiError {
    fn from(e: PowError) -> Self {
        let message = e.to_string();
        match e {
            PowError::Required { .. } => Self::new(StatusCode::FORBIDDEN, "POW_REQUIRED", message),
            // Well-formed, but not a proof usher accepts: refused like a bad credential.
            PowError::Invalid(_) => Self::new(StatusCode::FORBIDDEN, "POW_INVALID", message),
            PowError::Expired => Self::new(StatusCode::FORBIDDEN, "POW_EXPIRED", message),
            PowError::TooEasy { .. } => Self::new(StatusCode::FORBIDDEN, "POW_TOO_EASY", message),
            PowError::Reused => Self::new(StatusCode::CONFLICT, "POW_REUSED", message),
        }
    }
}

impl From<QueueError> for ApiError {
    fn from(e: QueueError) -> Self {
        use QueueError::*;
        let message = e.to_string();
        match e {
            MissingToken => Self::bad_request("MISSING_TOKEN", "waiting token is required"),
            TokenNotFound | TokenLeft => {
                Self::new(StatusCode::NOT_FOUND, "TOKEN_NOT_FOUND", message)
            }
            TokenExpired => Self::new(StatusCode::NOT_FOUND, "TOKEN_EXPIRED", message),
            NotReady => Self::new(
                StatusCode::FORBIDDEN,
                "NOT_READY",
                "Your turn has not arrived yet",
            ),
            AlreadyEntered => Self::new(StatusCode::CONFLICT, "ALREADY_ENTERED", message),
            UserAlreadyQueued => Self::new(StatusCode::CONFLICT, "DUPLICATE_REQUEST", message),
            IdempotencyConflict => ApiError::idempotency_conflict(),
            IdempotencyInFlight => ApiError::idempotency_in_progress(),
            QueueFull => Self::new(StatusCode::SERVICE_UNAVAILABLE, "QUEUE_FULL", message)
                .with_retry_after(30),
            EventNotFound => Self::new(StatusCode::NOT_FOUND, "EVENT_NOT_FOUND", "Event not found"),
            SaleNotOpen { opens_at_ms } => {
                let wait_ms = opens_at_ms.saturating_sub(crate::clock::now_ms());
                Self {
                    opens_at: Some(opens_at_ms),
                    ..Self::new(StatusCode::FORBIDDEN, "SALE_NOT_OPEN", message)
                }
                .with_retry_after(wait_ms.div_ceil(1_000).max(1))
            }
            SaleEnded => Self::new(StatusCode::GONE, "SALE_ENDED", message),
            Directory(err) => {
                tracing::warn!(error = %err, "event lookup failed");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "UPSTREAM_UNAVAILABLE",
                    "The backend is unavailable; try again shortly",
                )
                .with_retry_after(1)
            }
            Signing(err) => {
                tracing::error!(error = %err, "reservation token signing failed");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "TOKEN_ERROR",
                    "Could not issue the reservation token",
                )
            }
            Store(err) => err.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "store failure");
        match e {
            StoreError::Unavailable(_) => Self::store_unavailable(),
            StoreError::Corrupt(_) => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "The queue store returned data that cannot be right",
            ),
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        use AuthError::*;
        let message = e.to_string();
        let code = match e {
            MissingAuthorization => "MISSING_AUTHORIZATION",
            InvalidTokenFormat => "INVALID_TOKEN_FORMAT",
            MissingToken => "MISSING_TOKEN",
            InvalidToken => "INVALID_TOKEN",
            Signing => return Self::new(StatusCode::INTERNAL_SERVER_ERROR, "TOKEN_ERROR", message),
            HashFailed => {
                return Self::new(StatusCode::INTERNAL_SERVER_ERROR, "HASH_ERROR", message);
            }
            Busy => {
                return Self::new(StatusCode::SERVICE_UNAVAILABLE, "SERVER_BUSY", message)
                    .with_retry_after(1);
            }
        };
        Self::new(StatusCode::UNAUTHORIZED, code, message)
    }
}

impl From<UpstreamError> for ApiError {
    fn from(e: UpstreamError) -> Self {
        let (status, name) = e.status_and_code();
        let message = match &e {
            UpstreamError::Status { code, message, .. } => {
                if status.is_server_error() {
                    tracing::warn!(?code, message, "backend call failed");
                }
                message
            }
            UpstreamError::InBand { message, .. } => message,
        };
        let err = ApiError::new(status, name, upstream_message(message, status));
        match &e {
            UpstreamError::Status { .. } if status == StatusCode::SERVICE_UNAVAILABLE => {
                err.with_retry_after(1)
            }
            _ => err,
        }
    }
}

impl From<ReserveError> for ApiError {
    fn from(e: ReserveError) -> Self {
        use ReserveError::*;
        let message = e.to_string();
        match e {
            MissingEventId => Self::bad_request("MISSING_EVENT_ID", message),
            MissingSeats => Self::bad_request("MISSING_SEATS", message),
            TooManySeats => Self::invalid_request(message),
            TokenRequired => {
                Self::new(StatusCode::FORBIDDEN, "RESERVATION_TOKEN_REQUIRED", message)
            }
            InvalidToken | TokenForAnotherEvent => {
                Self::new(StatusCode::FORBIDDEN, "INVALID_RESERVATION_TOKEN", message)
            }
            TokenInUse => Self::new(StatusCode::CONFLICT, "RESERVATION_TOKEN_IN_USE", message),
            TokenUsed => Self::new(StatusCode::CONFLICT, "RESERVATION_TOKEN_USED", message),
            Store(e) => e.into(),
            Upstream(e) => e.into(),
        }
    }
}

impl From<ConfirmError> for ApiError {
    fn from(e: ConfirmError) -> Self {
        match e {
            ConfirmError::MissingPaymentIntentId => {
                Self::bad_request("MISSING_PAYMENT_INTENT_ID", e.to_string())
            }
            ConfirmError::Upstream(e) => e.into(),
        }
    }
}

impl From<IntentError> for ApiError {
    fn from(e: IntentError) -> Self {
        use IntentError::*;
        let message = e.to_string();
        match e {
            MissingReservationId => Self::bad_request("MISSING_RESERVATION_ID", message),
            InvalidAmount => Self::bad_request("INVALID_AMOUNT", message),
            InvalidScenario => Self::bad_request("INVALID_SCENARIO", message),
            AmountMismatch { .. } => Self::bad_request("AMOUNT_MISMATCH", message),
            Upstream(e) => e.into(),
        }
    }
}

impl From<ProcessError> for ApiError {
    fn from(e: ProcessError) -> Self {
        use ProcessError::*;
        let message = e.to_string();
        match e {
            MissingPaymentIntentId => Self::bad_request("MISSING_PAYMENT_INTENT_ID", message),
            InvalidAction => Self::bad_request("INVALID_ACTION", message),
            Upstream(e) => e.into(),
        }
    }
}

impl From<WebhookError> for ApiError {
    fn from(e: WebhookError) -> Self {
        use WebhookError::*;
        let message = e.to_string();
        match e {
            MissingSignature | BadSignature => {
                Self::new(StatusCode::UNAUTHORIZED, "INVALID_SIGNATURE", message)
            }
            Stale => Self::new(StatusCode::UNAUTHORIZED, "STALE_WEBHOOK", message),
            InvalidBody(_) | UnexpectedStatus(_) => Self::invalid_request(message),
            ReservationMismatch => Self::new(
                StatusCode::CONFLICT,
                "PAYMENT_RESERVATION_MISMATCH",
                message,
            ),
            Store(e) => e.into(),
            Upstream(e) => e.into(),
        }
    }
}

/// Backend messages for client errors are shown; server-side details are not.
fn upstream_message(message: &str, status: StatusCode) -> String {
    match status {
        StatusCode::GATEWAY_TIMEOUT => "The backend did not answer in time".into(),
        StatusCode::SERVICE_UNAVAILABLE => "The backend is unavailable; try again shortly".into(),
        s if s.is_server_error() => "The backend failed".into(),
        _ => message.to_owned(),
    }
}

/// `axum::Json` with rejections in the seed's envelope.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::invalid_request(format!(
                "Invalid request body: {}",
                e.body_text()
            ))),
            Err(JsonRejection::JsonSyntaxError(_)) => Err(ApiError::invalid_request(
                "Invalid request body: malformed JSON",
            )),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::invalid_request(
                "Content-Type must be application/json",
            )),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(payload_too_large())
            }
            Err(JsonRejection::BytesRejection(e)) if timed_out(&e) => Err(body_timeout()),
            Err(e) => Err(ApiError::invalid_request(e.body_text())),
        }
    }
}

/// 408: the body did not arrive within `USHER_BODY_READ_TIMEOUT`.
fn body_timeout() -> ApiError {
    ApiError::new(
        StatusCode::REQUEST_TIMEOUT,
        "REQUEST_TIMEOUT",
        "The request body did not arrive in time",
    )
}

/// Why a body could not be read whole within `limit`: too slow (408) or too large (413).
pub fn body_read_error(e: &(dyn std::error::Error + 'static)) -> ApiError {
    if timed_out(e) {
        body_timeout()
    } else {
        payload_too_large()
    }
}

/// Whether reading the body failed on the body-read timeout (`USHER_BODY_READ_TIMEOUT`).
fn timed_out(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(err) = cause {
        if err.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = err.source();
    }
    false
}

/// A body over the configured limit.
pub fn payload_too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        "Request body is larger than the server accepts",
    )
}

/// `axum::extract::Query` with rejections in the seed's envelope.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|e: QueryRejection| ApiError::invalid_request(e.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::Resource;
    use tonic::Code;
    use usher_proto::common::v1::ErrorCode;

    fn status(code: Code, resource: Resource) -> UpstreamError {
        UpstreamError::Status {
            code,
            message: "backend says".into(),
            resource,
        }
    }

    #[test]
    fn codes_map_explicitly() {
        let e = ApiError::from(status(Code::DeadlineExceeded, Resource::Reservation));
        assert_eq!(
            (e.status, e.code),
            (StatusCode::GATEWAY_TIMEOUT, "UPSTREAM_TIMEOUT")
        );
        let e = ApiError::from(status(Code::NotFound, Resource::Payment));
        assert_eq!(
            (e.status, e.code),
            (StatusCode::NOT_FOUND, "PAYMENT_NOT_FOUND")
        );
        let e = ApiError::from(UpstreamError::InBand {
            code: ErrorCode::PaymentNotApproved,
            message: "pending".into(),
            resource: Resource::Reservation,
        });
        assert_eq!(
            (e.status, e.code),
            (StatusCode::PRECONDITION_FAILED, "PAYMENT_NOT_APPROVED")
        );
    }

    #[test]
    fn an_unreachable_store_is_retryable_and_corrupt_data_is_not() {
        let e = ApiError::from(StoreError::Unavailable("timeout".into()));
        assert_eq!(
            (e.status, e.code, e.retry_after),
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "STORE_UNAVAILABLE",
                Some(1)
            )
        );
        let e = ApiError::from(QueueError::Store(StoreError::Corrupt("bad reply".into())));
        assert_eq!(
            (e.status, e.code, e.retry_after),
            (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", None)
        );
    }
}
