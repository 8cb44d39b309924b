//! Buyers before and after the purchase (the public event, "my orders") and operators' verbs
//! (sign-in, revoke, end and cancel, broadcast, queue everyone, the live view), each recorded
//! in the audit log.

use std::time::{Duration, Instant};

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::support::buyer_token;

const EVENT: &str = "evt_2025_1001";

impl TestApp {
    /// An admin request with the admin token.
    async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, self.url(path))
            .bearer_auth(ADMIN_TOKEN);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn audit(&self) -> Vec<Value> {
        let (st, log) = self
            .admin(reqwest::Method::GET, "/api/v1/admin/audit", None)
            .await;
        assert_eq!(st, StatusCode::OK, "{log}");
        log["entries"].as_array().unwrap().clone()
    }

    async fn public_event(&self, event: &str) -> (StatusCode, Value) {
        self.get(&format!("/api/v1/events/{event}")).await
    }
}

#[tokio::test]
async fn buyers_see_the_sale_before_joining_and_an_unknown_one_is_no_such_sale() {
    let app = spawn_app(&["--availability-cache-ms", "50"]).await;
    let (st, e) = app.public_event(EVENT).await;
    assert_eq!(st, StatusCode::OK, "{e}");
    assert_eq!(e["name"], "Stadium tour 2025, night 1");
    assert_eq!(e["venue"]["name"], "Olympic Stadium");
    assert_eq!(e["venue"]["city"], "Seoul");
    assert_eq!(e["starts_at"], "2025-10-01T10:00:00Z");
    assert!(e["description"].as_str().unwrap().contains("doors open"));
    assert_eq!(
        (e["total"].as_u64(), e["remaining"].as_u64()),
        (Some(10_000), Some(10_000))
    );
    let vip = &e["sections"][0];
    assert_eq!(vip["id"], "VIP");
    assert_eq!(vip["price"], json!({"amount": 150_000, "currency": "KRW"}));
    // Nobody has joined: the first join opens the queue.
    assert_eq!(e["queue"], json!({"state": "open", "waiting": 0}));

    let (st, list) = app.get("/api/v1/events").await;
    assert_eq!(st, StatusCode::OK);
    let ids: Vec<&str> = list["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [EVENT], "only events with an inventory are listed");

    // A mistyped id is no sale at all, and changes nothing.
    let (st, err) = app.public_event("evt_2025_1002").await;
    assert_eq!(
        (st, err["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("EVENT_NOT_FOUND"))
    );
    let (st, _) = app.public_event("bad id!").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (_, list) = app.get("/api/v1/events").await;
    assert_eq!(list["events"].as_array().unwrap().len(), 1);

    // The queue's state follows the operator's settings.
    let states = [
        (json!({"paused": true}), "paused"),
        (json!({"paused": false, "queue_all": true}), "gathering"),
        (json!({"queue_all": false}), "open"),
    ];
    for (settings, state) in states {
        app.configure(EVENT, settings).await;
        tokio::time::sleep(Duration::from_millis(80)).await;
        let (_, e) = app.public_event(EVENT).await;
        assert_eq!(e["queue"]["state"], state, "{e}");
    }
    app.join(EVENT).await;
    app.join(EVENT).await;
    let (st, _) = app
        .admin(
            reqwest::Method::POST,
            &format!("/api/v1/admin/events/{EVENT}/end"),
            Some(json!({"cancel": true})),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(80)).await;
    let (_, e) = app.public_event(EVENT).await;
    assert_eq!(e["queue"]["state"], "cancelled", "{e}");
}

#[tokio::test]
async fn seat_counts_read_by_many_at_once_cost_one_inventory_read_per_period() {
    let app = spawn_app(&[]).await;
    let reads = || app.metric("usher_inventory_reads_total");
    let before = reads().await;
    let started = Instant::now();
    let answers = join_all((0..300).map(|i| {
        let path = if i % 2 == 0 {
            format!("/api/v1/events/{EVENT}/availability")
        } else {
            format!("/api/v1/events/{EVENT}")
        };
        let app = &app;
        async move { app.get(&path).await.0 }
    }))
    .await;
    let took = started.elapsed();
    assert!(answers.iter().all(|st| *st == StatusCode::OK));
    let made = reads().await - before;
    // One read per started second of the burst (it usually lasts well under one).
    let periods = took.as_secs_f64().ceil().max(1.0);
    assert!(
        made >= 1.0 && made <= periods,
        "{made} inventory reads for 300 readers in {took:?}"
    );
    // The next period reads again.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let before = reads().await;
    app.get(&format!("/api/v1/events/{EVENT}/availability"))
        .await;
    app.get(&format!("/api/v1/events/{EVENT}/availability"))
        .await;
    assert_eq!(reads().await - before, 1.0);
}

#[tokio::test]
async fn a_flood_of_unknown_sale_ids_is_refused_and_changes_nothing_while_buyers_read_the_sale() {
    let app = spawn_app(&[]).await;
    let reads = || app.metric("usher_inventory_reads_total");
    let (st, _) = app.public_event(EVENT).await;
    assert_eq!(st, StatusCode::OK);
    let before = reads().await;
    let started = Instant::now();
    // 500 distinct made-up ids at once (far past USHER_EVENT_LOOKUPS_MAX), with a buyer's
    // reads among them.
    let flood = join_all((0..500).map(|i| {
        let app = &app;
        async move {
            if i % 25 == 0 {
                let (st, e) = app.public_event(EVENT).await;
                (true, st, e["name"].as_str().map(str::to_owned))
            } else {
                let (st, e) = app.public_event(&format!("evt_made_up_{i}")).await;
                (false, st, e["error"]["code"].as_str().map(str::to_owned))
            }
        }
    }))
    .await;
    let took = started.elapsed();
    let mut seen = std::collections::BTreeMap::new();
    for (real, st, said) in &flood {
        *seen.entry((*real, st.as_u16(), said.clone())).or_insert(0) += 1;
    }
    eprintln!("answers: {seen:?} in {took:?}");
    for (real, st, said) in &flood {
        if *real {
            assert_eq!(
                (*st, said.as_deref()),
                (StatusCode::OK, Some("Stadium tour 2025, night 1")),
                "{seen:?}"
            );
        } else {
            // Looked up and not found, or refused at once past USHER_EVENT_LOOKUPS_MAX.
            assert!(
                matches!(
                    (*st, said.as_deref()),
                    (StatusCode::NOT_FOUND, Some("EVENT_NOT_FOUND"))
                        | (
                            StatusCode::SERVICE_UNAVAILABLE,
                            Some("UPSTREAM_UNAVAILABLE")
                        )
                ),
                "{seen:?}"
            );
        }
    }
    // Unknown ids never read seat counts; the real sale's are read once per started period.
    let made = reads().await - before;
    assert!(
        made <= took.as_secs_f64().ceil() + 1.0,
        "{made} inventory reads in {took:?}"
    );
    // Nothing was created: the sale list and the store know only the real sale.
    let (_, list) = app.get("/api/v1/events").await;
    assert_eq!(list["events"].as_array().unwrap().len(), 1);
    let (_, admin) = app
        .admin(reqwest::Method::GET, "/api/v1/admin/events", None)
        .await;
    assert!(admin["events"].as_array().unwrap().is_empty(), "{admin}");
}

#[tokio::test]
async fn my_orders_lists_the_buyers_own_reservations_newest_first() {
    let app = spawn_app(&[]).await;
    let (alice, bob) = (buyer_token("alice"), buyer_token("bob"));
    for (bearer, seat) in [(&alice, "A-1-1"), (&bob, "A-1-2"), (&alice, "A-1-3")] {
        let (_, rt) = app.admitted(EVENT).await;
        let (st, r) = app
            .post_as(
                bearer,
                "/api/v1/reservations",
                &json!({"event_id": EVENT, "seat_ids": [seat], "reservation_token": rt}),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        // Creation times are whole seconds apart at most: keep the order observable.
        tokio::time::sleep(Duration::from_millis(1_050)).await;
    }
    let (st, mine) = app.get_as(&alice, "/api/v1/reservations").await;
    assert_eq!(st, StatusCode::OK, "{mine}");
    let seats: Vec<&str> = mine["reservations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["seat_ids"][0].as_str().unwrap())
        .collect();
    assert_eq!(seats, ["A-1-3", "A-1-1"], "newest first, Alice's only");
    assert_eq!(mine["reservations"][0]["status"], "HOLD");
    assert_eq!(
        mine["reservations"][0]["total_amount"],
        json!({"amount": 90_000, "currency": "KRW"})
    );
    let (_, theirs) = app.get_as(&bob, "/api/v1/reservations").await;
    assert_eq!(theirs["reservations"].as_array().unwrap().len(), 1);
    let (st, _) = app.get("/api/v1/reservations").await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
}

fn cookie_of(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_operator_signs_in_once_and_the_dashboard_works_on_an_httponly_cookie() {
    let app = spawn_app(&[]).await;
    let sign_in = |token: &str| {
        app.http
            .post(app.url("/api/v1/admin/session"))
            .json(&json!({"token": token}))
            .send()
    };
    let refused = sign_in("not-the-admin-token").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(refused.headers().get("set-cookie").is_none());

    let resp = sign_in(ADMIN_TOKEN).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let set = cookie_of(&resp);
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/admin",
        "Max-Age=28800",
    ] {
        assert!(set.contains(attribute), "{set}");
    }
    assert!(
        !set.contains(ADMIN_TOKEN),
        "the cookie never holds the token: {set}"
    );
    let session: Value = resp.json().await.unwrap();
    let operator = session["operator"].as_str().unwrap().to_owned();
    assert!(
        operator.starts_with("admin:") && operator.len() == 14,
        "{operator}"
    );
    let cookie = set.split(';').next().unwrap().to_owned();

    let with_cookie = |path: &str, cookie: &str| {
        app.http
            .get(app.url(path))
            .header("cookie", cookie.to_owned())
            .send()
    };
    let resp = with_cookie("/api/v1/admin/session", &cookie).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["operator"], operator);
    assert!(me["expires_at"].as_u64().unwrap() > now_ms());
    app.configure("evt_ops", json!({"rate_per_sec": 2})).await;
    let resp = with_cookie("/api/v1/admin/events", &cookie).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let events: Value = resp.json().await.unwrap();
    assert_eq!(events["events"][0]["event_id"], "evt_ops");
    assert_eq!(events["events"][0]["config"]["rate_per_sec"], 2.0);

    // A forged or altered cookie is refused; so is none at all.
    let forged = format!("{}0", cookie.trim_end_matches(char::is_alphanumeric));
    for bad in [
        forged.as_str(),
        "usher_admin=v1.99999999999999.deadbeef.00",
        "",
    ] {
        let resp = with_cookie("/api/v1/admin/events", bad).await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{bad}");
    }
    // Signing out clears it.
    let out = app
        .http
        .delete(app.url("/api/v1/admin/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(cookie_of(&out).contains("Max-Age=0"));
    let log = app.audit().await;
    assert!(
        log.iter()
            .any(|e| e["action"] == "session.sign_in" && e["actor"] == operator.as_str()),
        "{log:?}"
    );
}

#[tokio::test]
async fn revoking_a_waiter_tells_its_socket_why_closes_it_and_moves_the_queue_up() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt_revoke").await;
    let first = app.join_token("evt_revoke").await;
    let second = app.join_token("evt_revoke").await;
    let mut ws = app.ws(&first).await;
    ws.wait_for("snapshot", 5 * SECOND).await;

    let (st, r) = app
        .admin(
            reqwest::Method::DELETE,
            &format!("/api/v1/admin/waiters/{first}"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["event_id"], "evt_revoke");
    let told = ws.wait_for("expired", 5 * SECOND).await;
    assert_eq!(told["reason"], "revoked");
    assert_eq!(ws.closed(5 * SECOND).await, Ended::Closed(4410));
    let (_, s) = app.status(&second).await;
    assert_eq!(s["position"], 1, "{s}");
    let (st, _) = app.status(&first).await;
    assert_ne!(st, StatusCode::OK);

    // Again, or a token that never was: nothing to revoke.
    for token in [first.clone(), uuid::Uuid::new_v4().to_string()] {
        let (st, e) = app
            .admin(
                reqwest::Method::DELETE,
                &format!("/api/v1/admin/waiters/{token}"),
                None,
            )
            .await;
        assert_eq!(
            (st, e["error"]["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("TOKEN_NOT_FOUND"))
        );
    }
    let log = app.audit().await;
    assert_eq!(log[0]["action"], "waiter.revoke");
    assert_eq!(log[0]["event_id"], "evt_revoke");
    assert_eq!(log[0]["detail"], format!("token {}…", &first[..8]));
    assert!(log[0]["actor"].as_str().unwrap().starts_with("admin:"));
    assert!(log[0]["at_ms"].as_u64().unwrap() <= now_ms());
}

#[tokio::test]
async fn ending_or_cancelling_a_sale_tells_every_waiter_and_refuses_joins() {
    let app = spawn_app(&[]).await;
    for (event, cancel) in [("evt_end", false), ("evt_cancel", true)] {
        app.paused_event(event).await;
        let mut sockets = Vec::new();
        for _ in 0..3 {
            let mut ws = app.ws(&app.join_token(event).await).await;
            ws.wait_for("snapshot", 5 * SECOND).await;
            sockets.push(ws);
        }
        let (st, settings) = app
            .admin(
                reqwest::Method::POST,
                &format!("/api/v1/admin/events/{event}/end"),
                Some(json!({"cancel": cancel})),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{settings}");
        assert!(settings["schedule"]["sale_ends_at_ms"].as_u64().unwrap() <= now_ms());
        for ws in &mut sockets {
            let ended = ws.wait_for("sale_ended", 5 * SECOND).await;
            assert_eq!(ended["event_id"], event);
            assert_eq!(ended.get("cancelled").is_some(), cancel, "{ended}");
            assert_eq!(ws.closed(5 * SECOND).await, Ended::Closed(4410));
        }
        let (st, e) = app
            .post("/api/v1/queue/join", &json!({"event_id": event}))
            .await;
        assert_eq!(
            (st, e["error"]["code"].as_str()),
            (StatusCode::GONE, Some("SALE_ENDED"))
        );
    }
    let ends: Vec<(Value, Value)> = app
        .audit()
        .await
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("sale."))
        .map(|e| (e["action"].clone(), e["event_id"].clone()))
        .collect();
    assert_eq!(
        ends,
        [
            (json!("sale.cancel"), json!("evt_cancel")),
            (json!("sale.end"), json!("evt_end"))
        ]
    );
    let (st, _) = app
        .admin(
            reqwest::Method::POST,
            "/api/v1/admin/events/evt_never/end",
            Some(json!({})),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_broadcast_reaches_every_socket_at_once_and_later_arrivals_see_it() {
    let app = spawn_app(&[]).await;
    app.paused_event("evt_news").await;
    let token = app.join_token("evt_news").await;
    let mut ws = app.ws(&token).await;
    ws.wait_for("snapshot", 5 * SECOND).await;
    let path = "/api/v1/admin/events/evt_news/broadcast";
    let message = "Doors open at 10:00 — keep this page open";
    let (st, sent) = app
        .admin(
            reqwest::Method::POST,
            path,
            Some(json!({"message": message})),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{sent}");
    let pushed = ws.wait_for("announcement", 5 * SECOND).await;
    assert_eq!(
        (pushed["message"].as_str(), &pushed["at_ms"]),
        (Some(message), &sent["at_ms"])
    );
    // Those who look later see it in their status.
    let later = app.join_token("evt_news").await;
    let (_, s) = app.status(&later).await;
    assert_eq!(s["announcement"]["message"], message);

    // Bad messages change nothing.
    for bad in [
        json!({"message": ""}),
        json!({"message": "x".repeat(501)}),
        json!({"message": "a\u{7}b"}),
        json!({"text": "hi"}),
    ] {
        let (st, e) = app.admin(reqwest::Method::POST, path, Some(bad)).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    }
    let (st, _) = app
        .admin(
            reqwest::Method::POST,
            "/api/v1/admin/events/evt_nobody/broadcast",
            Some(json!({"message": "hello"})),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (_, s) = app.status(&later).await;
    assert_eq!(s["announcement"]["message"], message);

    let (st, _) = app.admin(reqwest::Method::DELETE, path, None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    ws.wait_for("announcement_withdrawn", 5 * SECOND).await;
    let (_, s) = app.status(&later).await;
    assert!(s.get("announcement").is_none(), "{s}");
    let actions: Vec<Value> = app
        .audit()
        .await
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(
        actions[..2],
        [json!("broadcast.withdraw"), json!("broadcast")]
    );
}

#[tokio::test]
async fn queueing_everyone_takes_joins_admits_nobody_and_is_not_a_pause() {
    let app = spawn_app(&[]).await;
    app.configure(
        "evt_gather",
        json!({"queue_all": true, "rate_per_sec": 100, "burst": 10}),
    )
    .await;
    let tokens = [
        app.join_token("evt_gather").await,
        app.join_token("evt_gather").await,
    ];
    let mut ws = app.ws(&tokens[0]).await;
    let snapshot = ws.wait_for("snapshot", 5 * SECOND).await;
    assert_eq!(
        (
            snapshot["queue_all"].as_bool(),
            snapshot["paused"].as_bool()
        ),
        (Some(true), Some(false))
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    for t in &tokens {
        let (_, s) = app.status(t).await;
        assert_eq!(s["phase"], "waiting", "{s}");
        assert_eq!(s["queue_all"], true);
    }
    app.configure("evt_gather", json!({"queue_all": false}))
        .await;
    ws.wait_ready(5 * SECOND).await;
    let (_, s) = app.status(&tokens[1]).await;
    assert_eq!(s["phase"], "admitted", "{s}");
    assert!(s.get("queue_all").is_none());
    // Each change is recorded by what it changed.
    let log = app.audit().await;
    assert_eq!(log[0]["action"], "event.update");
    assert_eq!(log[0]["detail"], r#"{"queue_all":null}"#);
    let created = log[1]["detail"].as_str().unwrap();
    assert!(created.contains(r#""queue_all":true"#) && created.contains(r#""rate_per_sec":100"#));
}

#[tokio::test]
async fn the_live_view_streams_figures_and_its_streams_are_bounded() {
    let app = spawn_app(&["--admin-live-max", "1"]).await;
    app.paused_event("evt_live").await;
    app.join("evt_live").await;
    let live = || {
        app.http
            .get(app.url("/api/v1/admin/events/evt_live/live"))
            .bearer_auth(ADMIN_TOKEN)
            .send()
    };
    let mut first = live().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["content-type"], "text/event-stream");
    let mut text = String::new();
    while !text.contains("\n\n") {
        let chunk = tokio::time::timeout(5 * SECOND, first.chunk())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(text.starts_with("event: stats\ndata: "), "{text}");
    let data: Value =
        serde_json::from_str(text.lines().nth(1).unwrap().trim_start_matches("data: ")).unwrap();
    assert_eq!(
        (data["event_id"].as_str(), data["waiting"].as_u64()),
        (Some("evt_live"), Some(1))
    );

    // A second stream on this node is refused while the first lasts, and served after.
    let second = live().await.unwrap();
    assert_eq!(second.status(), StatusCode::SERVICE_UNAVAILABLE);
    drop(first);
    // The node notices the stream is gone at its next beat, and frees its place.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(live().await.unwrap().status(), StatusCode::OK);

    let (st, h) = app
        .admin(
            reqwest::Method::GET,
            "/api/v1/admin/events/evt_live/history",
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{h}");
    assert!(h["minutes"].is_array());
    let (st, _) = app
        .admin(
            reqwest::Method::GET,
            "/api/v1/admin/events/evt_none/live",
            None,
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = app
        .admin(reqwest::Method::GET, "/api/v1/admin/audit?limit=0", None)
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_web_client_is_served_precompressed_to_browsers_that_accept_it() {
    let root = crate::support::TempDir::new("usher-web-root");
    let write = |name: &str, body: &[u8]| std::fs::write(root.path().join(name), body).unwrap();
    write("index.html", b"<!doctype html><title>usher</title>");
    write("index.html.br", b"brotli bytes");
    write("app.js", b"console.log('usher')");
    write("app.js.gz", b"gzip bytes");
    let app = spawn_app(&["--web-root", root.path().to_str().unwrap()]).await;
    let fetch = |path: &str, accept: &str| {
        app.http
            .get(app.url(path))
            .header("accept-encoding", accept)
            .send()
    };
    let encoding = |r: &reqwest::Response| {
        r.headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let br = fetch("/app.js", "br").await.unwrap();
    assert_eq!(encoding(&br), None, "no .br copy of app.js: the original");
    let gz = fetch("/app.js", "gzip, br").await.unwrap();
    assert_eq!(encoding(&gz).as_deref(), Some("gzip"));
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"gzip bytes");
    // A page's route falls back to index.html, precompressed too.
    let page = fetch("/events/evt_1", "br").await.unwrap();
    assert_eq!(encoding(&page).as_deref(), Some("br"));
    let plain = fetch("/events/evt_1", "identity").await.unwrap();
    assert_eq!(encoding(&plain), None);
    assert!(plain.text().await.unwrap().contains("<title>usher</title>"));
}
