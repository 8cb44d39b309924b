//! Request-size limits and the envelope for the errors no handler writes.
//!
//! hyper's own head limit is set above these ([`crate::net::listener::HYPER_MAX_HEAD_BYTES`]), so a
//! long URI or a large header block reaches this layer and gets 414 or 431 in the seed's
//! envelope. Answers that come from the framework rather than a handler (405 for a method a
//! route does not have, 413 from the body limit, 408 from the body-read timeout) are given the
//! envelope here too, once for every route.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::error::ApiError;

/// Checks the request's URI and header sizes, then puts a bare framework error in the
/// envelope.
pub async fn limits(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let s = &app.settings.conn;
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > s.max_uri_bytes as usize {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            "URI_TOO_LONG",
            format!("The request URI is longer than {} bytes", s.max_uri_bytes),
        )
        .into_response();
    }
    if req.headers().len() > s.max_headers as usize {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "HEADERS_TOO_LARGE",
            format!("The request has more than {} headers", s.max_headers),
        )
        .into_response();
    }
    let header_bytes: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if header_bytes > s.max_header_bytes as usize {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "HEADERS_TOO_LARGE",
            format!(
                "The request headers are larger than {} bytes",
                s.max_header_bytes
            ),
        )
        .into_response();
    }
    envelope(next.run(req).await)
}

/// A framework error without a body of ours, in the envelope; anything else unchanged.
fn envelope(resp: Response) -> Response {
    let (status, code, message) = match resp.status() {
        StatusCode::METHOD_NOT_ALLOWED => (
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "This route does not accept that method",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "Request body is larger than the server accepts",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            StatusCode::REQUEST_TIMEOUT,
            "REQUEST_TIMEOUT",
            "The request body did not arrive in time",
        ),
        _ => return resp,
    };
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|c| c.as_bytes().starts_with(b"application/json"));
    if is_json {
        return resp;
    }
    // Keep what the framework said about the request (Allow on a 405); the body and its
    // headers are the envelope's.
    let (mut parts, _) = resp.into_parts();
    let (fresh, body) = ApiError::new(status, code, message)
        .into_response()
        .into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.extend(fresh.headers);
    Response::from_parts(parts, body)
}
