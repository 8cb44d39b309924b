//! A small run of every attack beside a few legitimate waiters, against a real usher with its
//! default settings (per-client rate limit on) started in this process on 127.0.0.1:0. These
//! check what the generator sends, counts and reports, not how the server holds up: the
//! server's limits are measured with the full-size runs.

use std::time::Duration;

use usher::server::Server;
use usher_load::report::Report;
use usher_load::report::attack::AttackFigures;

mod support;

use support::{load, start_default_usher, tmp};

const LEGIT: u64 = 60;

/// Runs `attack --kind <kind>` with a small legitimate load, a one-second lead and a
/// two-second attack from four addresses, with `extra` arguments after the scenario's.
async fn attack(server: &Server, kind: &str, global: &[&str], extra: &[&str]) -> Report {
    let legit = LEGIT.to_string();
    let mut args: Vec<&str> = global.to_vec();
    args.extend([
        "attack",
        "--kind",
        kind,
        "--legit-waiters",
        &legit,
        "--legit-ramp-rate",
        "200",
        "--legit-sources",
        "4",
        // Admitted over about a second, so that they wait and are pushed their positions.
        "--admit-rate",
        "100",
        "--admit-burst",
        "10",
        "--attack-sources",
        "4",
        "--attack-lead",
        "1",
        "--attack-duration",
        "2",
        "--attack-concurrency",
        "32",
    ]);
    args.extend(extra);
    load(server, &args).await
}

/// This process's pid: usher runs in it, so its /proc entries are the server's.
fn own_pid() -> String {
    std::process::id().to_string()
}

fn figures(r: &Report) -> &AttackFigures {
    r.attack.as_ref().expect("attack figures")
}

fn sent(a: &AttackFigures, name: &str) -> u64 {
    a.sent.get(name).copied().unwrap_or(0)
}

/// Sum of the attacker's counters `<prefix>.<x>` with no further dot in `x`.
fn sent_under(a: &AttackFigures, prefix: &str) -> u64 {
    a.sent
        .iter()
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix(prefix)?.strip_prefix('.')?;
            (!rest.contains('.')).then_some(*v)
        })
        .sum()
}

/// The legitimate waiters all joined, reached `ready` on their sockets and had their pushes
/// timed; the server's peaks were read.
fn assert_legit_admitted_and_server_read(r: &Report, source: &str) {
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let a = figures(r);
    let l = &a.legit;
    assert_eq!(l.waiters, LEGIT);
    assert_eq!((l.joins_ok, l.joins_failed), (LEGIT, 0), "{l:?}");
    assert_eq!((l.ws_ok, l.unfinished), (LEGIT, 0), "{l:?}");
    assert!(l.join_p50_ms.unwrap() <= l.join_p99_ms.unwrap());
    assert!(l.push_p99_ms.is_some(), "pushes were timed");
    let p = a.server.as_ref().expect("server readings");
    assert_eq!(p.source, source);
    assert!(p.samples > p.failed && p.samples >= 4, "{p:?}");
    assert!(p.peak.rss_bytes > 0 && p.peak.fds > 0, "{p:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_baseline_reads_metrics_and_an_attack_is_checked_against_it() {
    let server = start_default_usher(&[]).await;
    let json = tmp("baseline.json");
    let r = attack(&server, "none", &["--json", json.to_str().unwrap()], &[]).await;
    assert_legit_admitted_and_server_read(&r, "metrics");
    let a = figures(&r);
    assert_eq!(a.kind, "none");
    assert!(a.sent.is_empty(), "no attack: {:?}", a.sent);
    assert!(a.server.as_ref().unwrap().first.is_some());
    assert!(
        a.targets.iter().all(|t| t.met),
        "the baseline itself meets them: {:?}",
        a.targets
    );
    let back: Report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(back.attack.unwrap().legit.joins_ok, LEGIT);

    let pid = own_pid();
    let extra = [
        "--baseline",
        json.to_str().unwrap(),
        "--rss-budget-mib",
        "100000",
        "--attack-requests",
        "40",
    ];
    let r = attack(&server, "events", &["--server-pid", &pid], &extra).await;
    let a = figures(&r);
    assert!(a.baseline_join_p99_ms.unwrap() > 0.0);
    let names: Vec<&str> = a.targets.iter().map(|t| t.target.as_str()).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names[2].contains("baseline") && names[3].contains("MiB"));
    assert!(a.targets[3].met, "{:?}", a.targets[3]);
    let _ = std::fs::remove_file(json);
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_joins_never_seen_event_ids_at_the_per_client_limit() {
    let server = start_default_usher(&[]).await;
    let pid = own_pid();
    let r = attack(
        &server,
        "events",
        &["--server-pid", &pid],
        &["--attack-requests", "300"],
    )
    .await;
    assert_legit_admitted_and_server_read(&r, "proc");
    let a = figures(&r);
    // Four addresses' bursts of 100 hold all 300 joins: every one was sent and answered.
    assert_eq!(sent_under(a, "join"), 300, "{:?}", a.sent);
    assert_eq!(r.latency["attack.join"].count, 300);
    // The legitimate join figures are the legitimate waiters' alone.
    assert_eq!(r.latency["join"].count, LEGIT);
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_are_held_until_the_server_or_the_attack_ends_them() {
    let server = start_default_usher(&[]).await;
    let pid = own_pid();
    let r = attack(
        &server,
        "idle",
        &["--server-pid", &pid],
        &["--attack-conns", "300"],
    )
    .await;
    assert_legit_admitted_and_server_read(&r, "proc");
    let a = figures(&r);
    let opened = sent(a, "idle.opened");
    assert_eq!(
        opened + sent_under(a, "idle.connect_failed"),
        300,
        "{:?}",
        a.sent
    );
    assert!(opened > 0);
    let ended = ["closed_by_server", "reset_by_server", "held_to_end"]
        .iter()
        .map(|e| sent(a, &format!("idle.{e}")))
        .sum::<u64>();
    assert_eq!(ended, opened, "{:?}", a.sent);
    assert!(sent(a, "idle.peak_held") > 0);
    assert!(a.server.as_ref().unwrap().peak.fds >= sent(a, "idle.peak_held"));
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slowloris_drips_request_heads_and_sends_unterminated_huge_headers() {
    let server = start_default_usher(&[]).await;
    let pid = own_pid();
    let extra = [
        "--attack-conns",
        "200",
        "--slowloris-interval-ms",
        "500",
        "--huge-headers",
        "4",
    ];
    let r = attack(&server, "slowloris", &["--server-pid", &pid], &extra).await;
    assert_legit_admitted_and_server_read(&r, "proc");
    let a = figures(&r);
    for (name, planned) in [("slowloris", 200), ("huge_header", 4)] {
        let opened = sent(a, &format!("{name}.opened"));
        let failed = sent_under(a, &format!("{name}.connect_failed"));
        assert_eq!(opened + failed, planned, "{name}: {:?}", a.sent);
        let ended = ["closed_by_server", "reset_by_server", "held_to_end"]
            .iter()
            .map(|e| sent(a, &format!("{name}.{e}")))
            .sum::<u64>();
        assert_eq!(ended, opened, "{name}: {:?}", a.sent);
    }
    // Each huge header was written whole, refused, or left stalled by a server that stopped
    // reading.
    let huge_fate = ["sent_whole", "write_failed", "write_stalled"]
        .iter()
        .map(|e| sent(a, &format!("huge_header.{e}")))
        .sum::<u64>();
    assert_eq!(huge_fate, sent(a, "huge_header.opened"), "{:?}", a.sent);
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_sends_each_malformed_request_and_checks_the_error_envelope() {
    let server = start_default_usher(&[]).await;
    let pid = own_pid();
    let r = attack(
        &server,
        "headers",
        &["--server-pid", &pid],
        &["--attack-requests", "70"],
    )
    .await;
    assert_legit_admitted_and_server_read(&r, "proc");
    let a = figures(&r);
    for m in usher_load::scenarios::attack::requests::Malformed::ALL {
        let name = format!("headers.{}", m.name());
        let answered: u64 = a
            .sent
            .iter()
            .filter(|(k, _)| {
                k.strip_prefix(&format!("{name}."))
                    .is_some_and(|s| s.parse::<u16>().is_ok())
            })
            .map(|(_, v)| v)
            .sum();
        let unanswered = sent(a, &format!("{name}.transport"));
        assert_eq!(answered + unanswered, 10, "{name}: {:?}", a.sent);
        let verdicts =
            sent(a, &format!("{name}.envelope")) + sent(a, &format!("{name}.no_envelope"));
        assert_eq!(verdicts, answered, "{name}: {:?}", a.sent);
    }
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_of_unknown_users_are_counted_by_status() {
    let server = start_default_usher(&[]).await;
    let pid = own_pid();
    let r = attack(
        &server,
        "logins",
        &["--server-pid", &pid],
        &["--attack-requests", "16"],
    )
    .await;
    assert_legit_admitted_and_server_read(&r, "proc");
    let a = figures(&r);
    let answered = sent_under(a, "login");
    assert!(answered > 0 && answered <= 16, "{:?}", a.sent);
    assert_eq!(sent(a, "login.200"), 0, "unknown users never log in");
    assert_eq!(r.latency["attack.login"].count, answered);
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_flood_holds_sockets_with_tokens_from_real_joins() {
    let server = start_default_usher(&[]).await;
    let pid = own_pid();
    let r = attack(
        &server,
        "ws-flood",
        &["--server-pid", &pid],
        &["--attack-conns", "120"],
    )
    .await;
    assert_legit_admitted_and_server_read(&r, "proc");
    let a = figures(&r);
    let accepted = sent(a, "ws_flood.accepted");
    let refused = sent_under(a, "ws_flood.refused");
    assert_eq!(accepted + refused, 120, "{:?}", a.sent);
    assert_eq!(
        sent_under(a, "join"),
        120,
        "one join per socket: {:?}",
        a.sent
    );
    let ended: u64 = a
        .sent
        .iter()
        .filter(|(k, _)| {
            k.starts_with("ws_flood.close.")
                || *k == "ws_flood.dropped"
                || *k == "ws_flood.held_to_end"
        })
        .map(|(_, v)| v)
        .sum();
    assert_eq!(ended, accepted, "{:?}", a.sent);
    assert!(sent(a, "ws_flood.peak_held") <= accepted);
    server.shutdown(Duration::ZERO).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ws_bogus_counts_how_upgrades_with_bogus_tokens_end() {
    let server = start_default_usher(&[]).await;
    let pid = own_pid();
    let r = attack(
        &server,
        "ws-bogus",
        &["--server-pid", &pid],
        &["--attack-requests", "200"],
    )
    .await;
    assert_legit_admitted_and_server_read(&r, "proc");
    let a = figures(&r);
    let accepted = sent(a, "ws_bogus.accepted");
    let refused = sent_under(a, "ws_bogus.refused");
    assert!(
        accepted + refused > 0 && accepted + refused <= 200,
        "{:?}",
        a.sent
    );
    assert_eq!(r.latency["attack.ws_bogus"].count, accepted + refused);
    let ended: u64 = a
        .sent
        .iter()
        .filter(|(k, _)| {
            k.starts_with("ws_bogus.close.")
                || *k == "ws_bogus.dropped"
                || *k == "ws_bogus.held_open"
        })
        .map(|(_, v)| v)
        .sum();
    assert_eq!(ended, accepted, "{:?}", a.sent);
    server.shutdown(Duration::ZERO).await;
}

#[test]
fn attack_help_documents_every_kind_and_its_options() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_usher-load"))
        .args(["attack", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for kind in [
        "none",
        "events",
        "idle",
        "slowloris",
        "headers",
        "logins",
        "ws-flood",
        "ws-bogus",
    ] {
        assert!(
            help.contains(&format!("{kind}:")),
            "attack --help lacks {kind}"
        );
    }
    for option in [
        "--legit-waiters",
        "--attack-duration",
        "--attack-conns",
        "--attack-rate",
        "--server-pid",
        "--metrics-token",
        "--baseline",
        "--rss-budget-mib",
    ] {
        assert!(help.contains(option), "attack --help lacks {option}");
    }
    assert!(!help.contains("--part"), "the child's option stays hidden");
}
