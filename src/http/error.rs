//! The seed's error envelope, `{"error":{"code","message","trace_id"}}`, and the one place where
//! domain errors become HTTP statuses and codes.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::queue::QueueError;

tokio::task_local! {
    /// The trace id of the request being served (set by the request-context middleware).
    pub static TRACE_ID: String;
}

/// The current request's trace id, or empty outside a request.
pub fn current_trace_id() -> String {
    TRACE_ID.try_with(Clone::clone).unwrap_or_default()
}

/// An error answer in the seed's envelope.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Seconds for a `Retry-After` header.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::bad_request("INVALID_REQUEST", message)
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
        let body = json!({"error": {
            "code": self.code,
            "message": self.message,
            "trace_id": current_trace_id(),
        }});
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

impl From<QueueError> for ApiError {
    fn from(e: QueueError) -> Self {
        use QueueError::*;
        let message = e.to_string();
        match e {
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
            IdempotencyConflict => super::idempotency::conflict(),
            IdempotencyInFlight => super::idempotency::in_progress(),
            QueueFull => Self::new(StatusCode::SERVICE_UNAVAILABLE, "QUEUE_FULL", message)
                .with_retry_after(30),
            EventNotFound => Self::new(StatusCode::NOT_FOUND, "EVENT_NOT_FOUND", "Event not found"),
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
            Store(err) => {
                tracing::error!(error = %err, "store failure");
                Self::store_unavailable()
            }
        }
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
