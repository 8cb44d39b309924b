//! The API's one description: OpenAPI 3.1 built from the code (utoipa). Each handler declares
//! its route, body and own answers; what the router's layers add to many routes at once
//! (idempotency keys, rate limits, authentication, request limits, the store and backends being
//! unavailable) is added here (`Contract`), by the same rules the router applies. The
//! document is served at `/openapi.json` with Swagger UI at `/docs`, and committed as
//! `web-client/src/api/schema.json`, from which the web client's TypeScript types are generated
//! (`schema.d.ts`, by openapi-typescript); tests fail when either falls behind the code.

use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, Required};
use utoipa::{Modify, OpenApi};

use super::admin::{BeaconBody, ConfigBody, EventSettings, EventStats};
use super::auth::{LoginBody, RegisterBody, Session};
use super::draw::DrawPublic;
use super::idempotency::CACHED_HEADER;
use super::operators::{
    AdminEventList, AuditLog, BroadcastBody, EndBody, History, Revoked, SessionInfo, SignIn,
};
use super::queue::{EnterBody, JoinBody, Left};
use super::reservations::ReservationList;
use super::system::{Health, Version};
use crate::error::{ErrorBody, ErrorDetail};
use crate::protocol::{
    ClientMessage, Envelope, ExpiredReason, PaymentNotice, PaymentOutcome, Push, QueueStatus,
    ReservationNotice, ReservationOutcome, SoldOutNotice,
};
use crate::purchase::catalog::{EventList, PublicEvent, PublicQueue, PublicVenue, SaleState};
use crate::purchase::model::{
    Availability, Cancelled, ConfirmReservation, Confirmed, CreateIntent, CreateReservation, Money,
    Payment, PaymentIntent, ProcessPayment, Processed, Reservation, ReservationCreated, Seat,
    SectionAvailability, Settlement, WebhookAnswer,
};
use crate::queue::onsale::EntryProof;
use crate::queue::pow::{Challenge, Solution};
use crate::queue::{Granted, Joined};
use crate::store::{Announcement, AuditEntry, EventConfig, MinuteSample, QueueingMethod, Schedule};
use usher_proto::payment::PaymentWebhook;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "usher",
        description = "A WebSocket-first virtual waiting room and ticketing gateway. Errors are \
            answered as `{\"error\":{\"code\",\"message\",\"trace_id\"}}` (`ErrorBody`); each \
            response lists the codes it can carry. The waiter's WebSocket messages are the \
            `ServerMessage` and `ClientMessage` schemas (see `GET /api/v1/queue/ws`).",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        super::queue::join, super::queue::status, super::queue::enter, super::queue::leave,
        super::queue::challenge,
        crate::ws::upgrade,
        super::auth::register, super::auth::login,
        super::reservations::create, super::reservations::list, super::reservations::get,
        super::reservations::confirm,
        super::reservations::cancel, super::reservations::availability,
        super::payments::intent, super::payments::status, super::payments::process,
        super::payments::webhook,
        super::admin::get_event, super::admin::put_event, super::admin::event_stats,
        super::admin::put_beacon, super::draw::public, super::draw::proof,
        super::events::list, super::events::get,
        super::operators::sign_in, super::operators::session, super::operators::sign_out,
        super::operators::list_events, super::operators::audit_log, super::operators::revoke,
        super::operators::end_sale, super::operators::broadcast, super::operators::withdraw,
        super::operators::history, super::operators::live,
        super::system::healthz, super::system::readyz, super::system::version,
        super::system::metrics, super::system::jwks,
    ),
    components(schemas(
        // Queue.
        JoinBody, Joined, QueueStatus, EnterBody, Granted, Left,
        // WebSocket.
        Envelope, Push, ClientMessage, ExpiredReason,
        ReservationNotice, ReservationOutcome, PaymentNotice, PaymentOutcome, SoldOutNotice,
        // Accounts.
        RegisterBody, LoginBody, Session,
        // Purchase.
        CreateReservation, ReservationCreated, Reservation, Seat, Money, ConfirmReservation,
        Confirmed, Cancelled, Availability, SectionAvailability, CreateIntent, PaymentIntent,
        Payment, ProcessPayment, Processed, PaymentWebhook, WebhookAnswer, Settlement,
        // Admin and operations.
        ConfigBody, EventSettings, EventStats, EventConfig, Health, Version, BeaconBody,
        // Events as buyers see them.
        PublicEvent, PublicQueue, PublicVenue, SaleState, EventList, ReservationList,
        // Operators.
        SignIn, SessionInfo, AdminEventList, AuditLog, AuditEntry, Revoked, EndBody,
        BroadcastBody, History, MinuteSample, Announcement,
        // Scheduled sales.
        Schedule, QueueingMethod, DrawPublic, EntryProof, Challenge, Solution,
        // Errors.
        ErrorBody, ErrorDetail,
    )),
    tags(
        (name = "queue", description = "Join, wait (WebSocket or polling), enter, leave"),
        (name = "accounts", description = "Buyer accounts and their tokens"),
        (name = "purchase", description = "Reservations and payments, over the backends"),
        (name = "events", description = "Events as buyers see them before joining"),
        (name = "admin", description = "Per-event settings, figures and operators' actions \
            (admin token or dashboard session), with their audit log"),
        (name = "operations", description = "Health, readiness, version, metrics, keys"),
    ),
    modifiers(&Contract),
)]
struct Api;

/// The document, as served (with this build's version).
pub fn openapi() -> serde_json::Value {
    let mut doc = Api::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    finish(doc)
}

/// The document as committed in `web-client/src/api/schema.json`: without a version, which
/// would go stale.
pub fn document() -> String {
    let mut doc = Api::openapi();
    doc.info.version = String::new();
    serde_json::to_string_pretty(&finish(doc)).expect("the document serialises") + "\n"
}

/// What utoipa's types cannot say: the names OpenAPI gives a link's fields (utoipa 5 writes
/// them in snake case), and a reservation's "seats or a quantity".
fn finish(doc: Document) -> serde_json::Value {
    let mut doc = serde_json::to_value(doc).expect("the document serialises");
    for item in doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|i| i.values_mut())
        {
            let responses = op.get_mut("responses").and_then(|r| r.as_object_mut());
            for response in responses.into_iter().flat_map(|r| r.values_mut()) {
                let links = response.get_mut("links").and_then(|l| l.as_object_mut());
                for link in links.into_iter().flat_map(|l| l.values_mut()) {
                    let Some(link) = link.as_object_mut() else {
                        continue;
                    };
                    for (from, to) in [
                        ("operation_id", "operationId"),
                        ("request_body", "requestBody"),
                    ] {
                        if let Some(value) = link.remove(from) {
                            link.insert(to.to_owned(), value);
                        }
                    }
                }
            }
        }
    }
    doc["components"]["schemas"]["CreateReservation"]["anyOf"] = serde_json::json!([
        {"required": ["seat_ids"], "properties": {"seat_ids": {"minItems": 1}}},
        {"required": ["quantity"], "properties": {"quantity": {"minimum": 1}}},
    ]);
    doc
}

/// What the router's layers add to the routes they wrap.
struct Contract;

const API: &str = "/api/v1/";
/// `/api/v1` routes outside the general rate limit and idempotency (see [`super::router`]).
const UNLIMITED: [&str; 3] = ["/api/v1/admin/", "/api/v1/webhooks/", "/api/v1/queue/ws"];

const RATE_LIMIT_HEADERS: [(&str, &str); 4] = [
    (
        "X-RateLimit-Limit",
        "Requests per second allowed to this client",
    ),
    (
        "X-RateLimit-Remaining",
        "Requests left in the current burst",
    ),
    (
        "X-RateLimit-Reset",
        "When the burst is full again (seconds since the Unix epoch)",
    ),
    ("X-RateLimit-Window", "The limit's window, e.g. `1s`"),
];

impl Modify for Contract {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        let bearer = |format: &str, description: &str| {
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format(format)
                    .description(Some(description))
                    .build(),
            )
        };
        components.add_security_scheme(
            "user_jwt",
            bearer(
                "JWT",
                "A user token from register or login (or from the configured identity provider)",
            ),
        );
        components.add_security_scheme(
            "admin_bearer",
            bearer(
                "opaque",
                "`USHER_ADMIN_TOKEN`; unset, the admin API is disabled (403)",
            ),
        );
        components.add_security_scheme(
            "admin_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "usher_admin",
                "The dashboard's session, set by `POST /api/v1/admin/session` (HttpOnly, \
                 SameSite=Strict)",
            ))),
        );
        components.add_security_scheme(
            "metrics_bearer",
            bearer("opaque", "`USHER_METRICS_TOKEN`, when it is set"),
        );
        components.add_security_scheme(
            "webhook_signature",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Webhook-Signature",
                "`sha256=<hex HMAC-SHA256(USHER_WEBHOOK_SECRET, raw body)>`",
            ))),
        );
        for (path, item) in doc.paths.paths.iter_mut() {
            for (method, op) in operations(item) {
                add_layers(path, method, op);
            }
        }
        add_aliases(doc);
        let socket = doc
            .paths
            .paths
            .get_mut("/api/v1/queue/ws")
            .and_then(|p| p.get.as_mut());
        if let Some(op) = socket {
            let schema =
                |name: &str| serde_json::json!({"$ref": format!("#/components/schemas/{name}")});
            op.extensions = Some(
                ExtensionsBuilder::new()
                    .add(
                        "x-websocket",
                        serde_json::json!({
                            "server_messages": schema("ServerMessage"),
                            "client_messages": schema("ClientMessage"),
                        }),
                    )
                    .build(),
            );
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("GET", &mut item.get),
        ("PUT", &mut item.put),
        ("POST", &mut item.post),
        ("DELETE", &mut item.delete),
        ("PATCH", &mut item.patch),
    ]
    .into_iter()
    .filter_map(|(method, op)| Some((method, op.as_mut()?)))
}

/// Whether an operation accepts only this security scheme.
/// Whether `op` cannot be called without `scheme` or one of its alternatives (none of them
/// empty: an empty one makes authentication optional).
fn requires(op: &Operation, scheme: &str) -> bool {
    op.security.as_ref().is_some_and(|alternatives| {
        let json = serde_json::to_value(alternatives).unwrap_or_default();
        json.as_array().is_some_and(|a| {
            let all_demand = a
                .iter()
                .all(|alt| alt.as_object().is_some_and(|o| !o.is_empty()));
            all_demand
                && a.iter()
                    .any(|alt| alt.as_object().is_some_and(|o| o.contains_key(scheme)))
        })
    })
}

fn add_layers(path: &str, method: &str, op: &mut Operation) {
    let posted = op.request_body.is_some();
    let limited = path.starts_with(API) && !UNLIMITED.iter().any(|p| path.starts_with(p));
    // The idempotency middleware takes POST and PATCH (crate::http::idempotency).
    let idempotent = limited && matches!(method, "POST" | "PATCH");
    // Every route: the request-size checks (crate::http::limits).
    error(
        op,
        414,
        "`URI_TOO_LONG`: longer than `USHER_MAX_URI_BYTES`",
        &[],
    );
    error(
        op,
        431,
        "`HEADERS_TOO_LARGE`: more than `USHER_MAX_HEADERS` headers or `USHER_MAX_HEADER_BYTES`",
        &[],
    );
    if posted {
        error(
            op,
            400,
            "`INVALID_REQUEST`: the body is not JSON of this shape, or not `application/json`",
            &[],
        );
        error(
            op,
            408,
            "`REQUEST_TIMEOUT`: the body did not arrive in time",
            &[],
        );
        error(
            op,
            413,
            "`PAYLOAD_TOO_LARGE`: over `USHER_MAX_BODY_BYTES`",
            &[],
        );
    }
    if requires(op, "user_jwt") || requires(op, "admin_bearer") {
        error(
            op,
            401,
            "`MISSING_AUTHORIZATION`, `INVALID_TOKEN_FORMAT`, `INVALID_TOKEN`",
            &[],
        );
    }
    if requires(op, "admin_bearer") {
        error(
            op,
            403,
            "`ADMIN_DISABLED`: `USHER_ADMIN_TOKEN` is not set",
            &[],
        );
    }
    if path.starts_with(API) && path != "/api/v1/queue/ws" {
        error(
            op,
            503,
            "`STORE_UNAVAILABLE`: the queue store is unreachable",
            &["Retry-After"],
        );
    }
    if op
        .tags
        .as_ref()
        .is_some_and(|t| t.iter().any(|t| t == "purchase"))
    {
        error(op, 502, "`UPSTREAM_ERROR`: a backend failed", &[]);
        error(
            op,
            503,
            "`UPSTREAM_UNAVAILABLE`: a backend is unreachable or its circuit is open",
            &["Retry-After"],
        );
        error(
            op,
            504,
            "`UPSTREAM_TIMEOUT`: a backend did not answer in time",
            &[],
        );
        error(op, 429, "`RATE_LIMITED` by a backend", &["Retry-After"]);
    }
    if idempotent {
        let key = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some(
                "A UUID. The same key with the same request replays the stored answer; with \
                 another request it is 409 `IDEMPOTENCY_CONFLICT`. Kept 5 minutes, per route and \
                 user; a failed request releases it.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
            ))
            .build();
        push_parameter(op, key);
        error(
            op,
            400,
            "`IDEMPOTENCY_REQUIRED`, `INVALID_IDEMPOTENCY_KEY` (not a UUID)",
            &[],
        );
        error(
            op,
            409,
            "`IDEMPOTENCY_CONFLICT`: the key was used for another request, or one with it is \
             still running (with `Retry-After`)",
            &["Retry-After"],
        );
        error(
            op,
            500,
            "`INTERNAL_ERROR`: the answer is too large to store for replay",
            &[],
        );
        for (status, response) in op.responses.responses.iter_mut() {
            if let (true, RefOr::T(r)) = (status.starts_with('2'), response) {
                r.headers.insert(
                    CACHED_HEADER.to_owned(),
                    header("`true` when this is the replay of an earlier answer"),
                );
            }
        }
    }
    if limited {
        error(
            op,
            429,
            "`RATE_LIMITED`: over this client's request rate",
            &["Retry-After"],
        );
        for response in op.responses.responses.values_mut() {
            if let RefOr::T(r) = response {
                for (name, description) in RATE_LIMIT_HEADERS {
                    r.headers.insert(name.to_owned(), header(description));
                }
            }
        }
    }
}

fn push_parameter(op: &mut Operation, parameter: Parameter) {
    op.parameters.get_or_insert_with(Vec::new).push(parameter);
}

fn header(description: &str) -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(description))
        .build()
}

/// Adds an error answer to `status`, or its codes to the one already there.
fn error(op: &mut Operation, status: u16, description: &str, headers: &[&str]) {
    let key = status.to_string();
    match op.responses.responses.get_mut(&key) {
        Some(RefOr::T(existing)) => {
            if !existing.description.contains(description) {
                existing.description = format!("{}; {description}", existing.description);
            }
            for name in headers {
                existing.headers.insert(
                    (*name).to_owned(),
                    header("Seconds to wait before retrying"),
                );
            }
        }
        _ => {
            let mut response = ResponseBuilder::new().description(description).content(
                "application/json",
                Content::new(Some(RefOr::Ref(Ref::from_schema_name("ErrorBody")))),
            );
            for name in headers {
                response = response.header(*name, header("Seconds to wait before retrying"));
            }
            op.responses
                .responses
                .insert(key, RefOr::T(response.build()));
        }
    }
}

/// The routes that answer the same operation at a second path or method.
fn add_aliases(doc: &mut Document) {
    let paths = &mut doc.paths.paths;
    let mut aliases = Vec::new();
    for (path, item) in paths.iter() {
        if let Some(rest) = path.strip_prefix("/api/v1/payment/") {
            aliases.push((
                format!("/api/v1/payments/{rest}"),
                item.clone(),
                "_at_payments",
            ));
        }
    }
    if let Some(item) = paths.get("/api/v1/queue/ws") {
        aliases.push(("/ws".to_owned(), item.clone(), "_at_root"));
    }
    if let Some(item) = paths.get("/api/v1/reservations") {
        aliases.push((
            "/api/v1/reservations/".to_owned(),
            item.clone(),
            "_trailing_slash",
        ));
    }
    if let Some(cancel) = paths
        .get("/api/v1/reservations/{id}/cancel")
        .and_then(|p| p.post.clone())
    {
        let mut delete = cancel;
        delete.operation_id = Some("delete_reservation".to_owned());
        delete.summary = Some("Cancels a reservation (as `POST …/cancel`)".to_owned());
        if let Some(item) = paths.get_mut("/api/v1/reservations/{id}") {
            item.delete = Some(delete);
        }
    }
    for (path, mut item, suffix) in aliases {
        for (_, op) in operations(&mut item) {
            op.operation_id = op.operation_id.take().map(|id| id + suffix);
            // Links name the main operations; an alias answers the same.
            for response in op.responses.responses.values_mut() {
                if let RefOr::T(r) = response {
                    r.links.clear();
                }
            }
        }
        paths.insert(path, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_unique_id() {
        let doc = openapi();
        let mut ids: Vec<&str> = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .filter_map(|op| op["operationId"].as_str())
            .collect();
        let count = ids.len();
        assert!(count >= 28, "{count} operations");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }

    #[test]
    fn layers_are_documented_where_the_router_applies_them() {
        let doc = openapi();
        let paths = &doc["paths"];
        let has_key = |op: &serde_json::Value| {
            op["parameters"]
                .as_array()
                .is_some_and(|p| p.iter().any(|p| p["name"] == "Idempotency-Key"))
        };
        let join = &paths["/api/v1/queue/join"]["post"];
        assert!(has_key(join));
        assert!(join["responses"]["429"].is_object());
        let cancel = &paths["/api/v1/reservations/{id}/cancel"]["post"];
        assert!(has_key(cancel), "a POST without a body takes a key too");
        assert!(cancel["responses"]["401"].is_object());
        let webhook = &paths["/api/v1/webhooks/payment"]["post"];
        assert!(!has_key(webhook));
        assert!(
            webhook["responses"]["429"]["description"]
                .as_str()
                .is_some_and(|d| !d.contains("this client"))
        );
        assert!(paths["/api/v1/payments/intent"]["post"].is_object());
        assert!(paths["/api/v1/reservations/{id}"]["delete"].is_object());
        let link = &join["responses"]["202"]["links"]["enter"];
        assert_eq!(link["operationId"], "enter");
        assert!(link["requestBody"].is_object());
    }
}
