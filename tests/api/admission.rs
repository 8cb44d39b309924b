use std::time::Duration;

use futures::future::join_all;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn two_hundred_concurrent_joins_are_admitted_exactly_in_join_order() {
    const N: usize = 200;
    let app = spawn_app(&["--tick-ms", "10"]).await;
    app.configure(
        "evt",
        json!({"paused": true, "burst": 1, "rate_per_sec": 200}),
    )
    .await;
    let joins = join_all((0..N).map(|_| app.join("evt"))).await;
    // Join order is the order the store issued places in: the position at join time.
    let mut by_join_order: Vec<(u64, String)> = joins
        .iter()
        .map(|j| {
            (
                j["position_hint"].as_u64().unwrap(),
                j["waiting_token"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    by_join_order.sort();
    let places: Vec<u64> = by_join_order.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        places,
        (1..=N as u64).collect::<Vec<_>>(),
        "every place issued once"
    );

    let mut sockets = join_all(by_join_order.iter().map(|(_, t)| app.ws(t))).await;
    for ws in &mut sockets {
        ws.wait_for("snapshot", SECOND).await;
    }
    app.configure("evt", json!({"paused": false})).await;
    let readies = join_all(
        sockets
            .iter_mut()
            .map(|ws| ws.wait_for("ready", 10 * SECOND)),
    )
    .await;
    let admitted_at: Vec<u64> = readies
        .iter()
        .map(|r| r["admitted_at"].as_u64().unwrap())
        .collect();
    // Admission steps happen in join order: nobody is admitted in a step before someone who
    // joined ahead of them.
    let inversions = admitted_at.windows(2).filter(|w| w[0] > w[1]).count();
    assert_eq!(inversions, 0, "admission order differs from join order");
    let steps = admitted_at.windows(2).filter(|w| w[0] < w[1]).count() + 1;
    assert!(steps > N / 4, "admissions were spread over {steps} steps");
}

#[tokio::test]
async fn cold_start_eta_uses_the_configured_rate_then_follows_the_measured_rate() {
    let app = spawn_app(&["--tick-ms", "20", "--queue-rate", "10"]).await;
    app.paused_event("evt").await;
    let tokens: Vec<String> = {
        let mut v = Vec::new();
        for _ in 0..100 {
            v.push(app.join_token("evt").await);
        }
        v
    };
    let (_, cold) = app.status(&tokens[49]).await;
    assert_eq!(cold["position"], 50);
    assert_eq!(cold["admission_rate"], 10.0);
    assert_eq!(cold["eta_sec"], 5);
    // Paused: the wait once admission resumes at the configured rate, with no confidence.
    assert_eq!(cold["confidence"], 0.0);
    assert!(cold["eta_range"].is_null(), "{cold}");

    // A cap of 5 active users with a 1 s entry window lets about 5 waiters in per second:
    // half the configured rate. After enough admissions the ETA follows what was measured.
    app.configure(
        "evt",
        json!({"paused": false, "max_active": 5, "entry_window_secs": 1}),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (_, warm) = app.status(&tokens[99]).await;
    let rate = warm["admission_rate"].as_f64().unwrap();
    let position = warm["position"].as_u64().unwrap();
    assert!((3.0..7.0).contains(&rate), "measured rate {rate}");
    let expected = (position as f64 / rate).round().max(1.0) as u64;
    assert_eq!(warm["eta_sec"].as_u64().unwrap(), expected);
    assert!(warm["confidence"].as_f64().unwrap() > 0.2);
    let range = warm["eta_range"].as_array().unwrap();
    assert!(range[0].as_u64().unwrap() <= expected && expected <= range[1].as_u64().unwrap());
}

#[tokio::test]
async fn the_token_bucket_admits_the_burst_then_the_rate() {
    let app = spawn_app(&["--tick-ms", "20"]).await;
    app.configure(
        "evt",
        json!({"paused": true, "burst": 10, "rate_per_sec": 20}),
    )
    .await;
    for _ in 0..100 {
        app.join("evt").await;
    }
    let resumed = std::time::Instant::now();
    app.configure("evt", json!({"paused": false})).await;
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let admitted = app.stats("evt").await["admitted_total"].as_u64().unwrap() as f64;
    let elapsed = resumed.elapsed().as_secs_f64();
    // 10 at once, then 20 per second (one tick of slack either way).
    let (low, high) = (
        10.0 + 20.0 * (elapsed - 0.2) - 1.0,
        10.0 + 20.0 * elapsed + 1.0,
    );
    assert!(
        low <= admitted && admitted <= high,
        "admitted {admitted} in {elapsed:.2}s"
    );
}
