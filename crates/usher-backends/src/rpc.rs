//! What the three gRPC adapters share: the backends' key check, the caller of a request, and
//! business outcomes reported in-band.

use tonic::{Request, Status};
use usher_proto::common::v1::{Error as PbError, ErrorCode};
use usher_proto::{BACKEND_KEY_METADATA, Caller, Secret};

/// A business outcome reported in-band (gRPC OK, `error` set), as the seed's services do.
pub(crate) fn in_band(code: ErrorCode, message: &str) -> PbError {
    PbError {
        code: code as i32,
        message: message.to_owned(),
        ..Default::default()
    }
}

/// The [`Caller`] of a backend request: its message's `user_id`, or the payment service's mark
/// in its metadata; a request that names neither is PERMISSION_DENIED.
pub(crate) fn caller_of<T>(request: &Request<T>, user_id: &str) -> Result<Caller, Status> {
    let mark = request
        .metadata()
        .get(Caller::METADATA)
        .and_then(|v| v.to_str().ok());
    Caller::of(user_id, mark).ok_or_else(|| {
        Status::permission_denied("the call names no caller: a user_id or the payment service")
    })
}

/// An interceptor that lets a call through only when it carries `key` in
/// [`BACKEND_KEY_METADATA`] (every call, when there is no key).
pub(crate) fn require_key(
    key: Option<Secret>,
) -> impl Fn(Request<()>) -> Result<Request<()>, Status> + Clone + Send + Sync + 'static {
    move |req: Request<()>| match &key {
        None => Ok(req),
        Some(key) => {
            let given = req
                .metadata()
                .get(BACKEND_KEY_METADATA)
                .map(|v| v.as_bytes())
                .unwrap_or_default();
            if key.matches(given) {
                Ok(req)
            } else {
                Err(Status::unauthenticated(
                    "the backends' key is missing or wrong",
                ))
            }
        }
    }
}
