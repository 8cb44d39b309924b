//! Buyer accounts: `POST /api/v1/auth/register` and `POST /api/v1/auth/login`, with the seed's
//! JSON shapes. Passwords are hashed with argon2id (memory-hard) on the bounded
//! [`crate::auth::passwords::HashPool`]; a login for an unknown user costs the same hash as one with
//! a wrong password, so response times do not reveal which usernames exist.
//!
//! Bounds: an account's failed logins are counted in the store (so across replicas), and past
//! `USHER_LOGIN_MAX_FAILURES` in `USHER_LOGIN_FAILURE_WINDOW` its logins are refused (429)
//! before any hashing until the window ends; registrations stop at `USHER_MAX_USERS` accounts.
//! Both routes also have their own per-address rate limit (see [`crate::http::router`]).

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::auth::passwords::{DECOY_HASH, hash, verify};
use crate::auth::{AuthError, Authenticator, User};
use crate::error::{ApiError, ApiJson, ErrorBody};
use crate::store::UserRecord;

const MIN_PASSWORD: usize = 8;
const MAX_PASSWORD: usize = 128;

/// Usernames: 3 to 64 of letters, digits, `.`, `_`, `-`; compared case-insensitively.
fn parse_username(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim().to_ascii_lowercase();
    let ok = (3..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(name)
    } else {
        Err(ApiError::invalid_request(
            "username must be 3 to 64 letters, digits, '.', '_' or '-'",
        ))
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterBody {
    /// Compared case-insensitively.
    #[schema(pattern = r"^[A-Za-z0-9._-]{3,64}$", example = "alice")]
    pub username: String,
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    #[serde(default)]
    #[schema(max_length = 254)]
    pub email: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub display_name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginBody {
    pub username: String,
    pub password: String,
}

/// Login and register answer: a user token and who it is for.
#[derive(Serialize, ToSchema)]
pub struct Session {
    pub token: String,
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    /// Seconds the token is valid for.
    pub expires_in: u64,
}

fn answer(app: &AppState, user: &UserRecord) -> Result<Session, ApiError> {
    let (token, ttl) = app.auth.issue(&User {
        id: user.id.clone(),
        username: user.username.clone(),
        role: user.role.clone(),
    })?;
    Ok(Session {
        token,
        user_id: user.id.clone(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role.clone(),
        expires_in: ttl,
    })
}

/// `POST /api/v1/auth/register` → 201 with a token.
#[utoipa::path(
    post, path = "/api/v1/auth/register", operation_id = "register", tag = "accounts",
    request_body = RegisterBody,
    responses(
        (status = 201, description = "Registered: a user token", body = Session),
        (status = 400, description = "`INVALID_REQUEST`: username, password (8 to 128 \
            characters), email or display name out of bounds", body = ErrorBody),
        (status = 409, description = "`USERNAME_EXISTS`", body = ErrorBody),
        (status = 500, description = "`HASH_ERROR`, `TOKEN_ERROR`", body = ErrorBody),
        (status = 503, description = "`REGISTRATION_CLOSED` (`USHER_MAX_USERS` accounts), \
            `SERVER_BUSY` (password hashing is saturated)", body = ErrorBody,
            headers(("Retry-After" = u64))),
    )
)]
pub async fn register(
    State(app): State<AppState>,
    ApiJson(body): ApiJson<RegisterBody>,
) -> Result<(StatusCode, Json<Session>), ApiError> {
    let username = parse_username(&body.username)?;
    if !(MIN_PASSWORD..=MAX_PASSWORD).contains(&body.password.chars().count()) {
        return Err(ApiError::invalid_request(format!(
            "password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters"
        )));
    }
    if body.email.chars().count() > 254 || body.display_name.chars().count() > 100 {
        return Err(ApiError::invalid_request(
            "email or display_name is too long",
        ));
    }
    if app.users.user_count().await.map_err(ApiError::from)? >= app.settings.auth.max_users {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "REGISTRATION_CLOSED",
            "No more accounts can be registered",
        ));
    }
    let password = body.password;
    let password_hash = app
        .hash_pool
        .run(move || hash(&password))
        .await?
        .map_err(|_| AuthError::HashFailed)?;
    let user = UserRecord {
        id: format!("usr_{}", uuid::Uuid::new_v4().simple()),
        display_name: if body.display_name.is_empty() {
            username.clone()
        } else {
            body.display_name
        },
        username,
        email: body.email,
        role: "user".into(),
        password_hash,
        created_at_ms: crate::clock::now_ms(),
    };
    if !app.users.create_user(&user).await.map_err(ApiError::from)? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "USERNAME_EXISTS",
            "Username already exists",
        ));
    }
    Ok((StatusCode::CREATED, Json(answer(&app, &user)?)))
}

/// `POST /api/v1/auth/login` → 200 with a token; 401 `INVALID_CREDENTIALS` for an unknown user
/// and a wrong password alike.
#[utoipa::path(
    post, path = "/api/v1/auth/login", operation_id = "login", tag = "accounts",
    request_body = LoginBody,
    responses(
        (status = 200, description = "A user token", body = Session),
        (status = 400, description = "`INVALID_REQUEST`", body = ErrorBody),
        (status = 401, description = "`INVALID_CREDENTIALS` (unknown user and wrong password \
            alike)", body = ErrorBody),
        (status = 429, description = "`TOO_MANY_LOGIN_ATTEMPTS` for this account, or \
            `RATE_LIMITED` for this address", body = ErrorBody,
            headers(("Retry-After" = u64))),
        (status = 500, description = "`HASH_ERROR`, `TOKEN_ERROR`", body = ErrorBody),
        (status = 503, description = "`SERVER_BUSY`: password hashing is saturated",
            body = ErrorBody, headers(("Retry-After" = u64))),
    )
)]
pub async fn login(
    State(app): State<AppState>,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Json<Session>, ApiError> {
    let invalid = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_CREDENTIALS",
            "Invalid username or password",
        )
    };
    let user = match parse_username(&body.username) {
        Ok(name) => app.users.user(&name).await.map_err(ApiError::from)?,
        Err(_) => None,
    };
    let auth = &app.settings.auth;
    if let Some(user) = &user
        && app
            .users
            .login_failures(&user.username)
            .await
            .map_err(ApiError::from)?
            >= u64::from(auth.login_max_failures)
    {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TOO_MANY_LOGIN_ATTEMPTS",
            "Too many failed logins for this account; try again later",
        )
        .with_retry_after(auth.login_failure_window.as_secs().max(1)));
    }
    let phc = user
        .as_ref()
        .map_or_else(|| DECOY_HASH.clone(), |u| u.password_hash.clone());
    let password = body.password;
    let ok = app.hash_pool.run(move || verify(&password, &phc)).await?;
    match user {
        Some(user) if ok => Ok(Json(answer(&app, &user)?)),
        Some(user) => {
            // Only existing accounts are counted: the store holds at most one counter per
            // account, whatever names are tried.
            app.users
                .login_failed(&user.username, auth.login_failure_window.as_millis() as u64)
                .await
                .map_err(ApiError::from)?;
            Err(invalid())
        }
        None => Err(invalid()),
    }
}

/// The authenticated caller of a protected route, put there by [`require_user`].
impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<User>()
            .cloned()
            .ok_or_else(|| AuthError::MissingAuthorization.into())
    }
}

/// Middleware for protected routes: the caller must present a valid token; the [`User`] is
/// put into the request for handlers (and for the idempotency scope).
pub async fn require_user(
    State(auth): State<Arc<Authenticator>>,
    mut req: Request,
    next: Next,
) -> Response {
    match auth.authenticate(req.headers()).await {
        Ok(user) => {
            req.extensions_mut().insert(user);
            next.run(req).await
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(parse_username(" Alice ").unwrap(), "alice");
        assert!(parse_username("a").is_err());
        assert!(parse_username("bad name").is_err());
    }
}
