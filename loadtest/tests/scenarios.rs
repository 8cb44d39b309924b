//! A small, fast run of every scenario against a real usher started in this process on
//! 127.0.0.1:0, checking what the generator counts and reports (not how fast anything is).

use std::time::Duration;

use usher_load::report::Report;

mod support;

use support::{ADMIN, count, load, start_usher, tmp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiters_are_all_admitted_in_join_order_with_monotonic_positions() {
    let server = start_usher(&[]).await;
    let (json, svg) = (tmp("waiters.json"), tmp("waiters.svg"));
    let r = load(
        &server,
        &[
            "waiters",
            "--waiters",
            "60",
            "--ramp-rate",
            "100",
            "--admit-rate",
            "40",
            "--admit-burst",
            "4",
            // One join at a time: the generator's join order is then exactly the server's.
            "--http-concurrency",
            "1",
            "--json",
            json.to_str().unwrap(),
            "--svg",
            svg.to_str().unwrap(),
        ],
    )
    .await;
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(count(&r, "join.202"), 60);
    assert_eq!(count(&r, "waiters.admitted"), 60, "{:?}", r.counters);
    let w = r.waiters.as_ref().unwrap();
    assert_eq!((w.joined, w.admitted, w.left), (60, 60, 0));
    assert_eq!(w.position_increases, 0);
    assert!(w.mean_position_pushes > 0.0, "positions were pushed");
    let f = w.fairness.as_ref().unwrap();
    assert_eq!((f.spearman, f.overtaken, f.admitted), (1.0, 0, 60));
    let eta = w.eta.as_ref().unwrap();
    assert_eq!(eta.deciles.len(), 10);
    assert!((0.0..=1.0).contains(&eta.accuracy));
    for name in ["join", "time_to_snapshot", "push", "time_to_ready"] {
        assert!(r.latency.contains_key(name), "no {name} latency");
    }
    assert_eq!(r.latency["time_to_ready"].count, 60);
    let s = r.server.as_ref().expect("server figures from /metrics");
    assert!(s.before.rss_bytes > 0, "process_resident_memory_bytes");
    assert!(s.peak.ws_connections > 0, "usher_ws_connections");
    assert!(!r.series.is_empty() && !r.server_series.is_empty());

    let back: Report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(back.counters, r.counters);
    assert_eq!(back.waiters.unwrap().fairness.unwrap().spearman, 1.0);
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(chart.starts_with("<svg") && chart.contains("<polyline"));
    let _ = (std::fs::remove_file(json), std::fs::remove_file(svg));
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leavers_leave_midway_and_the_rest_are_admitted_in_order_after_a_paused_hold() {
    let server = start_usher(&[]).await;
    // usher runs in this process: read its CPU and RSS from /proc as well.
    let pid = std::process::id().to_string();
    let r = load(
        &server,
        &[
            "--server-pid",
            &pid,
            "waiters",
            "-n",
            "40",
            "--ramp-rate",
            "200",
            "--admit-rate",
            "30",
            "--admit-burst",
            "1",
            "--leave-fraction",
            "0.25",
            "--paused-hold",
            "1",
            "--http-concurrency",
            "1",
        ],
    )
    .await;
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let w = r.waiters.as_ref().unwrap();
    assert_eq!(w.joined, 40);
    assert_eq!(w.left + w.admitted, 40, "{:?}", r.counters);
    assert!(
        w.left >= 5,
        "most of the 10 leavers left before admission: {}",
        w.left
    );
    assert_eq!(w.position_increases, 0);
    assert_eq!(w.fairness.as_ref().unwrap().spearman, 1.0);
    let idle = r
        .server
        .as_ref()
        .unwrap()
        .idle
        .as_ref()
        .expect("idle window");
    assert!(idle.seconds >= 0.9 && idle.ws_connections >= 40, "{idle:?}");
    // The ETA is taken once the event admits, not from the paused snapshot.
    assert!(w.eta.as_ref().unwrap().samples > 0);
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_freeze_the_named_processes_one_at_a_time_and_always_thaw_them() {
    let server = start_usher(&[]).await;
    // A stand-in for a replica or redis-server: the test's usher runs in this process.
    let mut victim = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    let pid = victim.id().to_string();
    let state = |pid: &str| {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        stat.rsplit(") ").next().unwrap().chars().next().unwrap()
    };
    let r = load(
        &server,
        &[
            "waiters",
            "-n",
            "20",
            "--ramp-rate",
            "100",
            "--admit-rate",
            "5",
            "--admit-burst",
            "1",
            "--fault-pids",
            &pid,
            "--fault-every-secs",
            "1",
            "--fault-secs",
            "1",
        ],
    )
    .await;
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(count(&r, "faults.injected") >= 1, "{:?}", r.counters);
    assert_eq!(
        count(&r, &format!("faults.frozen.{pid}")),
        count(&r, "faults.injected")
    );
    assert_eq!(count(&r, "waiters.admitted"), 20);
    assert_ne!(state(&pid), 'T', "the frozen process was thawed");
    let _ = victim.kill();
    let _ = victim.wait();
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_storm_counts_every_join_and_its_latency() {
    let server = start_usher(&[]).await;
    let r = load(
        &server,
        &["join-storm", "--joins", "300", "--concurrency", "16"],
    )
    .await;
    assert_eq!(count(&r, "joins.accepted"), 300, "{:?}", r.counters);
    assert_eq!(count(&r, "join.202"), 300);
    assert_eq!(count(&r, "joins.not_started"), 0);
    assert_eq!(r.latency["join"].count, 300);
    assert!(r.rates.joins_per_s > 0.0);
    assert!(r.waiters.is_none());
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pollers_call_status_until_ready_and_are_admitted_in_order() {
    let server = start_usher(&[]).await;
    let r = load(
        &server,
        &[
            "poll",
            "-n",
            "20",
            "--ramp-rate",
            "100",
            "--admit-rate",
            "40",
            "--admit-burst",
            "4",
            "--poll-interval-ms",
            "100",
            "--http-concurrency",
            "1",
            "--enter",
        ],
    )
    .await;
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(count(&r, "waiters.admitted"), 20, "{:?}", r.counters);
    assert_eq!(count(&r, "enter.200"), 20);
    assert!(count(&r, "status.200") >= 20);
    assert!(r.rates.requests_per_s > 0.0);
    let w = r.waiters.as_ref().unwrap();
    assert_eq!(w.fairness.as_ref().unwrap().spearman, 1.0);
    assert_eq!(w.position_increases, 0);
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buyers_complete_purchases_and_a_sold_out_event_is_not_oversold() {
    let dir = tmp("venue");
    std::fs::create_dir_all(&dir).unwrap();
    let venue = dir.join("venue.json");
    std::fs::write(
        &venue,
        r#"{"events":[{"event_id":"evt_small","name":"small","sections":[
            {"id":"A","rows":1,"seats_per_row":6,"price":{"amount":1000,"currency":"KRW"}}]}]}"#,
    )
    .unwrap();
    let server = start_usher(&[
        "--payment-delay-ms",
        "50",
        "--inventory-file",
        venue.to_str().unwrap(),
    ])
    .await;
    let r = load(
        &server,
        &[
            "flow",
            "--event",
            "evt_small",
            "--buyers",
            "10",
            "--ramp-rate",
            "50",
            "--admit-rate",
            "50",
        ],
    )
    .await;
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(count(&r, "flow.completed"), 6, "{:?}", r.counters);
    assert_eq!(
        count(&r, "flow.sold_out"),
        4,
        "sold out is a denial, not an error"
    );
    let o = r.oversell.as_ref().unwrap();
    assert!(o.ok, "{o:?}");
    assert_eq!((o.confirmed_seats, o.sold_after, o.total_seats), (6, 6, 6));
    assert!(o.double_sold.is_empty());
    assert!(r.latency.contains_key("confirmation_push"));
    server.shutdown(Duration::ZERO).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn procs_run_shards_as_child_processes_and_merge_their_reports() {
    let server = start_usher(&[]).await;
    let json = tmp("procs.json");
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_usher-load"))
        .args(["--target", &format!("http://{}", server.local_addr())])
        .args(["--admin-token", ADMIN, "--procs", "2", "--sources", "2"])
        .args(["--max-duration", "40", "--json", json.to_str().unwrap()])
        .args([
            "waiters",
            "-n",
            "30",
            "--ramp-rate",
            "50",
            "--admit-rate",
            "40",
        ])
        .args(["--admit-burst", "4", "--http-concurrency", "1"])
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("fairness: Spearman 1.000000"), "{text}");
    let r: Report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(r.processes, 2);
    assert_eq!(count(&r, "waiters.admitted"), 30, "{:?}", r.counters);
    assert_eq!(r.latency["time_to_ready"].count, 30, "histograms merged");
    let f = r.waiters.as_ref().unwrap().fairness.as_ref().unwrap();
    assert_eq!((f.spearman, f.admitted), (1.0, 30));
    let _ = std::fs::remove_file(json);
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_onsale_tells_every_entrant_a_uniformly_drawn_rank_and_admits_in_that_order() {
    let server = start_usher(&[]).await;
    let json = tmp("onsale.json");
    // Two shards, as a big run has: each derives the sale's start from the shared ramp.
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_usher-load"))
        .args(["--target", &format!("http://{}", server.local_addr())])
        .args(["--admin-token", ADMIN, "--procs", "2", "--sources", "2"])
        .args(["--max-duration", "40", "--json", json.to_str().unwrap()])
        .args(["onsale", "-n", "500", "--window-secs", "2"])
        .args([
            "--start-after-secs",
            "1",
            "--admit-rate",
            "500",
            "--admit-burst",
            "25",
        ])
        // The test's usher pushes every 100 ms: every drawn position is out before admission.
        .args(["--admit-delay-ms", "500"])
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("on-sale (random start)") && text.contains("problems: none"));
    let r: Report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.processes, 2);
    assert_eq!(count(&r, "join.202"), 500);
    assert_eq!(count(&r, "onsale.admitted"), 500, "{:?}", r.counters);
    let o = r.onsale.as_ref().expect("onsale figures");
    assert_eq!((o.joined, o.ranked, o.late_joiners), (500, 500, 0));
    let draw = o.draw.as_ref().expect("the draw record");
    assert_eq!((draw.state.as_str(), draw.entrants), ("drawn", Some(500)));
    assert!(draw.admission_opened_after_start_ms >= draw.drawn_after_start_ms);
    // 1. Everyone was told their drawn position, soon after the start.
    let f = &o.first_position;
    assert_eq!((f.received, f.missing, f.told_by_ready), (500, 0, 0));
    assert!(f.p50_ms > 0.0 && f.p50_ms <= f.p99_ms && f.p99_ms <= f.max_ms);
    assert!(f.max_ms < 10_000.0, "{f:?}");
    let k = &o.ranks;
    assert_eq!((k.duplicates, k.out_of_range, k.changed), (0, 0, 0));
    assert_eq!(k.position_increases, 0);
    assert_eq!(
        k.position_equals_rank, 500,
        "nobody was admitted before the draw"
    );
    // 2. The draw is uniform over arrival order.
    let u = o.uniformity.as_ref().expect("uniformity");
    assert_eq!((u.entrants, u.degrees_of_freedom), (500, 81));
    assert_eq!(u.table.iter().flatten().sum::<u64>(), 500);
    assert!(u.pass && u.p_value >= 0.001, "{u:?}");
    // 3. Admission followed the drawn ranks.
    let a = &o.order;
    assert_eq!((a.admitted, a.ranked_admitted), (500, 500));
    assert_eq!((a.inversions, a.step_inversions), (0, 0), "{a:?}");
    assert!(a.steps >= 500 / 25, "{a:?}");
    let _ = std::fs::remove_file(json);
    server.shutdown(Duration::ZERO).await;
}

#[test]
fn help_documents_every_scenario_and_option() {
    let bin = env!("CARGO_BIN_EXE_usher-load");
    let help = |args: &[&str]| {
        let out = std::process::Command::new(bin).args(args).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let top = help(&["--help"]);
    for s in [
        "waiters",
        "join-storm",
        "poll",
        "flow",
        "onsale",
        "--procs",
        "--shard",
        "--sources",
    ] {
        assert!(top.contains(s), "--help lacks {s}");
    }
    for s in [
        "--allow-remote",
        "--max-duration",
        "--json",
        "--svg",
        "--redis-url",
    ] {
        assert!(top.contains(s), "--help lacks {s}");
    }
    let waiters = help(&["waiters", "--help"]);
    for s in [
        "--waiters",
        "--ramp-rate",
        "--admit-rate",
        "--leave-fraction",
        "--paused-hold",
    ] {
        assert!(waiters.contains(s), "waiters --help lacks {s}");
    }
    assert!(help(&["poll", "--help"]).contains("--poll-interval-ms"));
    assert!(help(&["join-storm", "--help"]).contains("--concurrency"));
    assert!(help(&["flow", "--help"]).contains("--payment-scenario"));
    let onsale = help(&["onsale", "--help"]);
    for s in [
        "--entrants",
        "--window-secs",
        "--start-after-secs",
        "--admit-rate",
        "--admit-burst",
        "--ready-tolerance-ms",
        "--admit-delay-ms",
        "Wilson-Hilferty",
    ] {
        assert!(onsale.contains(s), "onsale --help lacks {s}");
    }
}

#[test]
fn targets_outside_loopback_are_refused_before_any_traffic() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_usher-load"))
        .args([
            "--target",
            "http://192.0.2.10:8000",
            "join-storm",
            "--joins",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a loopback address"));
}
