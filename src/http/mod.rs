//! The HTTP edge: routes, middleware and the mapping of errors to the seed's envelope.
//!
//! - [`queue`]: join, status, enter, leave;
//! - [`reservations`], [`payments`]: the purchase, over the backends' gRPC services
//!   ([`crate::upstream`]), behind user authentication ([`crate::auth`]); the payment webhook;
//! - [`admin`]: per-event settings and stats behind the admin token;
//! - [`system`]: health, readiness, version, metrics, the web client;
//! - [`auth`]: register and login;
//! - [`idempotency`], [`context`], [`limits`]: cross-cutting middleware (per-client rate
//!   limits are [`crate::net::rate_limit`]);
//! - [`schema`]: the OpenAPI document (`/openapi.json`, Swagger UI at `/docs`): every route, body
//!   and WebSocket message.
//!
//! Errors are answered in the seed's envelope ([`crate::error`]).

pub mod admin;
pub mod auth;
pub mod context;
pub mod draw;
pub mod events;
pub mod idempotency;
pub mod limits;
pub mod operators;
pub mod payments;
pub mod queue;
pub mod reservations;
pub mod schema;
pub mod system;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodRouter, delete, get, post, put};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::app::AppState;
use crate::error::ApiError;
use crate::net::rate_limit;
use crate::ws;

/// CORS as the seed configured it: its methods and headers, credentials only with explicit
/// origins (a wildcard with credentials is refused by browsers, and by the seed's framework).
fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::HEAD,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
            Method::OPTIONS,
        ])
        .allow_headers(
            [
                "origin",
                "content-type",
                "accept",
                "authorization",
                "x-requested-with",
                "idempotency-key",
                "x-trace-id",
                "x-request-id",
                "traceparent",
            ]
            .map(HeaderName::from_static),
        )
        .expose_headers(
            [
                "x-request-id",
                "x-idempotency-cached",
                "retry-after",
                "x-ratelimit-limit",
                "x-ratelimit-remaining",
                "x-ratelimit-reset",
                "x-ratelimit-window",
            ]
            .map(HeaderName::from_static),
        )
        .max_age(Duration::from_secs(86_400));
    if origins.iter().any(|o| o == "*") {
        layer.allow_origin(AllowOrigin::any())
    } else {
        let list = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok());
        layer
            .allow_origin(AllowOrigin::list(list))
            .allow_credentials(true)
    }
}

/// The metrics alone, for `USHER_METRICS_BIND`.
pub fn metrics_router(app: AppState) -> Router {
    Router::new()
        .route(&app.settings.server.metrics_path, get(system::metrics))
        .with_state(app)
}

/// Builds the whole router.
pub fn router(app: AppState) -> Router {
    // Middleware that belongs to a route's handlers is put on its methods (MethodRouter's
    // route_layer), not on a Router: a Router's route_layer also wraps the 405 answer for a
    // method the route lacks, which then became an idempotency or authentication error.
    let idempotent = |m: MethodRouter<AppState>| {
        m.route_layer(from_fn_with_state(app.clone(), idempotency::idempotency))
    };
    // Authentication runs before idempotency, so keys are scoped per user and a stored
    // response is never replayed to someone without a valid token.
    let buyer = |m: MethodRouter<AppState>| {
        idempotent(m).route_layer(from_fn_with_state(app.auth.clone(), auth::require_user))
    };
    let queue_routes = Router::new()
        .route("/status", get(queue::status))
        .route("/challenge", get(queue::challenge))
        .route("/enter", idempotent(post(queue::enter)))
        .route("/leave", delete(queue::leave));
    // Auth routes hash passwords: their own, stricter per-address limits, and one more on
    // registrations. Inside the general limit, outside idempotency.
    let a = &app.settings.auth;
    let auth_limit = |key_type, rps, burst, window| {
        let limiter = rate_limit::RateLimit::per_address(
            rps,
            burst,
            window,
            &app.settings.rate_limit.trusted_proxies,
            app.metrics.clone(),
            key_type,
        );
        from_fn_with_state(limiter, rate_limit::rate_limit)
    };
    // Each admin route checks its operator (on its methods, as above); signing in and out do
    // not need one.
    let admin = |m: MethodRouter<AppState>| {
        m.route_layer(from_fn_with_state(app.clone(), admin::require_admin))
    };
    let admin_routes = Router::new()
        .route(
            "/session",
            admin(get(operators::session))
                // Guessing admin tokens is limited per address like logins are.
                .merge(post(operators::sign_in).route_layer(auth_limit(
                    "admin_sign_in",
                    a.rate_per_min,
                    a.auth_burst,
                    Duration::from_secs(60),
                )))
                .delete(operators::sign_out),
        )
        .route("/events", admin(get(operators::list_events)))
        .route(
            "/events/{id}",
            admin(get(admin::get_event).put(admin::put_event)),
        )
        .route("/events/{id}/stats", admin(get(admin::event_stats)))
        .route("/events/{id}/live", admin(get(operators::live)))
        .route("/events/{id}/history", admin(get(operators::history)))
        .route("/events/{id}/end", admin(post(operators::end_sale)))
        .route(
            "/events/{id}/broadcast",
            admin(post(operators::broadcast).delete(operators::withdraw)),
        )
        .route("/events/{id}/draw/beacon", admin(put(admin::put_beacon)))
        .route("/waiters/{token}", admin(delete(operators::revoke)))
        .route("/audit", admin(get(operators::audit_log)));
    let mut purchase = Router::new()
        .route(
            "/reservations",
            buyer(get(reservations::list).post(reservations::create)),
        )
        .route(
            "/reservations/",
            buyer(get(reservations::list).post(reservations::create)),
        )
        .route(
            "/reservations/{id}",
            buyer(get(reservations::get).delete(reservations::cancel)),
        )
        .route(
            "/reservations/{id}/confirm",
            buyer(post(reservations::confirm)),
        )
        .route(
            "/reservations/{id}/cancel",
            buyer(post(reservations::cancel)),
        );
    for prefix in ["/payment", "/payments"] {
        purchase = purchase
            .route(&format!("{prefix}/intent"), buyer(post(payments::intent)))
            .route(
                &format!("{prefix}/{{id}}/status"),
                buyer(get(payments::status)),
            )
            .route(&format!("{prefix}/process"), buyer(post(payments::process)));
    }
    let hour = Duration::from_secs(3_600);
    let auth_routes = Router::new()
        .route("/login", idempotent(post(auth::login)))
        .route(
            "/register",
            idempotent(post(auth::register)).route_layer(auth_limit(
                "registration",
                a.registrations_per_ip_per_hour,
                a.registrations_per_ip_per_hour,
                hour,
            )),
        )
        .route_layer(auth_limit(
            "auth",
            a.rate_per_min,
            a.auth_burst,
            Duration::from_secs(60),
        ));
    let mut api = Router::new()
        .nest("/queue", queue_routes)
        .nest("/auth", auth_routes)
        .route(
            "/queue/join",
            post(queue::join).route_layer(from_fn_with_state(app.clone(), idempotency::delegated)),
        )
        .merge(purchase)
        .route("/events", get(events::list))
        .route("/events/{id}", get(events::get))
        .route("/events/{id}/availability", get(reservations::availability))
        .route("/events/{id}/draw", get(draw::public))
        .route("/events/{id}/draw/proof", get(draw::proof));
    if app.settings.rate_limit.enabled {
        // Outside idempotency, so it runs first (the seed's order).
        let limiter = rate_limit::RateLimit::new(&app.settings.rate_limit, app.metrics.clone());
        api = api.layer(from_fn_with_state(limiter, rate_limit::rate_limit));
    }
    // Routes added below get neither layer: the WebSocket upgrade has its own connection
    // limits, and admin its own authentication.
    // The payment webhook is authenticated by its signature and deduplicated by payment and
    // status; it comes from the payment service's few addresses, so it is not rate limited.
    let api = api
        .route("/webhooks/payment", post(payments::webhook))
        .route("/queue/ws", get(ws::upgrade))
        .nest("/admin", admin_routes)
        .fallback(|| async { ApiError::not_found() });

    let index = app.settings.server.web_root.join("index.html");
    let site = if index.is_file() {
        // The client's build writes Brotli and gzip copies of its text files: served to the
        // browsers that accept them, with nothing compressed per request.
        Router::new().fallback_service(
            ServeDir::new(&app.settings.server.web_root)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(
                    ServeFile::new(index)
                        .precompressed_br()
                        .precompressed_gzip(),
                ),
        )
    } else {
        Router::new().fallback(system::client_missing)
    };

    let mut root = Router::new()
        .route("/healthz", get(system::healthz))
        .route("/readyz", get(system::readyz))
        .route("/version", get(system::version));
    if app.settings.server.metrics_bind.is_none() {
        root = root.route(&app.settings.server.metrics_path, get(system::metrics));
    }
    // The API's description and its docs page, whose assets are compiled in (Swagger UI,
    // vendored: nothing is fetched at build or run time).
    let docs = SwaggerUi::new("/docs")
        .external_url_unchecked("/openapi.json", schema::openapi())
        .config(
            Config::default()
                .validator_url("none")
                .try_it_out_enabled(true),
        );
    root.route("/ws", get(ws::upgrade))
        .merge(docs)
        .route("/.well-known/jwks.json", get(system::jwks))
        .nest("/api/v1", api)
        .merge(site)
        .layer(DefaultBodyLimit::max(
            app.settings.server.max_body_bytes as usize,
        ))
        .layer(RequestBodyTimeoutLayer::new(
            app.settings.conn.body_read_timeout,
        ))
        .layer(from_fn_with_state(app.clone(), limits::limits))
        .layer(from_fn_with_state(app.clone(), context::request_context))
        .layer(cors(&app.settings.server.cors_allow_origins))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .with_state(app)
}
