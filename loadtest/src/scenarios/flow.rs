//! `flow`: full purchases. Each buyer joins (with its user id), holds its socket until `ready`,
//! enters, holds seats with the reservation token, pays through the payment simulator, waits
//! for the `reservation` push on its socket and reads the reservation back; the controller
//! checks the inventory for oversell from those reservations and from availability.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message;

use super::Ctx;
use crate::cli::FlowArgs;
use crate::net::{Ws, call};
use crate::now_us;
use crate::raw::ReservationSample;

pub async fn run(ctx: Arc<Ctx>, args: FlowArgs) {
    let args = Arc::new(args);
    let mut tasks = JoinSet::new();
    for i in ctx.indexes(args.buyers) {
        tasks.spawn(buyer(ctx.clone(), args.clone(), i));
    }
    while tasks.join_next().await.is_some() {}
}

/// A user token as an identity provider would issue it: HS256 with usher's `JWT_SECRET`.
pub fn user_token(user: &str, secret: &str) -> String {
    let exp = crate::now_ms() / 1_000 + 3_600;
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"sub": user, "exp": exp}),
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("HS256 signing cannot fail")
}

async fn buyer(ctx: Arc<Ctx>, args: Arc<FlowArgs>, i: u64) {
    tokio::time::sleep_until(ctx.start_of(i, args.ramp_rate)).await;
    if ctx.expired() {
        ctx.rec.count("flow.not_started");
        return;
    }
    let start = now_us();
    let outcome = purchase(&ctx, &args, i).await;
    if outcome == "completed" {
        ctx.rec.hist("flow_total", now_us().saturating_sub(start));
    }
    ctx.rec.count(&format!("flow.{outcome}"));
}

/// One purchase; the outcome's name.
async fn purchase(ctx: &Ctx, args: &FlowArgs, i: u64) -> &'static str {
    let user = format!("load-{}-{i}", ctx.epoch_us / 1_000);
    let bearer = user_token(&user, &args.jwt_secret);
    let Some(joined) = ctx.join(i, Some(&user)).await else {
        return "join_failed";
    };
    let connect = tokio::time::timeout_at(ctx.deadline, ctx.net.ws(i, &joined.token)).await;
    let Ok(Ok(mut ws)) = connect else {
        return "connect_failed";
    };
    ctx.rec.opened();
    let outcome = with_socket(
        ctx,
        args,
        i,
        &bearer,
        &joined.token,
        joined.done_us,
        &mut ws,
    )
    .await;
    ctx.rec.closed();
    let _ = tokio::time::timeout(Duration::from_secs(1), ws.close(None)).await;
    outcome
}

async fn with_socket(
    ctx: &Ctx,
    args: &FlowArgs,
    i: u64,
    bearer: &str,
    token: &str,
    joined_us: u64,
    ws: &mut Ws,
) -> &'static str {
    // An admitted waiter's snapshot already says `ready_for_entry`; otherwise `ready` is pushed.
    let admitted = |v: &Value| v["type"] == "ready" || v["ready_for_entry"] == true;
    if next_of(ctx, ws, admitted).await.is_none() {
        return "not_admitted";
    }
    ctx.rec
        .hist("time_to_ready", now_us().saturating_sub(joined_us));
    ctx.rec.bin(|b| b.admitted += 1);
    let Some(rt) = ctx.enter(i, token).await else {
        return "enter_refused";
    };
    let http = ctx.net.http(i);
    let base = &ctx.net.target(i).base;
    let post = |path: &str, body: Value| {
        call(
            http.post(format!("{base}{path}"))
                .bearer_auth(bearer)
                .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
                .json(&body),
        )
    };
    let held = ctx
        .request(
            "reserve",
            post(
                "/api/v1/reservations",
                json!({"event_id": ctx.event, "quantity": args.quantity, "reservation_token": rt}),
            ),
        )
        .await;
    match (held.status, held.code()) {
        (201, _) => {}
        // Sold out is the answer a sale ends with, not an error.
        (409, "INSUFFICIENT_INVENTORY" | "INVENTORY_CONFLICT") => return "sold_out",
        _ => return "reserve_failed",
    }
    let id = held.body["reservation_id"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    let intent = ctx
        .request(
            "payment_intent",
            post(
                "/api/v1/payments/intent",
                json!({"reservation_id": id, "amount": held.body["total_amount"]["amount"],
                       "currency": held.body["total_amount"]["currency"],
                       "scenario": args.payment_scenario}),
            ),
        )
        .await;
    if intent.status != 200 {
        return "payment_failed";
    }
    let paid_at = now_us();
    let pushed = next_of(ctx, ws, |v| v["type"] == "reservation").await;
    if pushed.is_some() {
        ctx.rec
            .hist("confirmation_push", now_us().saturating_sub(paid_at));
    }
    let read = ctx
        .request(
            "get_reservation",
            call(
                http.get(format!("{base}/api/v1/reservations/{id}"))
                    .bearer_auth(bearer),
            ),
        )
        .await;
    let status = read.body["status"].as_str().unwrap_or("").to_owned();
    let seat_ids = read.body["seat_ids"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    ctx.rec.reservation(ReservationSample {
        reservation_id: id,
        status: status.clone(),
        seat_ids,
    });
    match (pushed, status.as_str()) {
        (_, "CONFIRMED") => "completed",
        (None, _) => "no_confirmation",
        _ => "not_confirmed",
    }
}

/// The next message that `wanted` accepts, before the deadline (others are skipped).
async fn next_of(ctx: &Ctx, ws: &mut Ws, wanted: impl Fn(&Value) -> bool) -> Option<Value> {
    loop {
        let frame = tokio::time::timeout_at(ctx.deadline, ws.next())
            .await
            .ok()??
            .ok()?;
        match frame {
            Message::Text(t) => {
                let v: Value = serde_json::from_str(&t).ok()?;
                if wanted(&v) {
                    return Some(v);
                }
            }
            Message::Close(_) => return None,
            _ => {}
        }
    }
}
