//! What every test binary of usher-load needs: a real usher started in the test's own process
//! on 127.0.0.1:0, and usher-load run in-process against it.

// Each test binary uses its own part of these helpers.
#![allow(dead_code)]

use std::path::PathBuf;

use clap::Parser;
use usher::server::Server;
use usher_load::cli::Cli;
use usher_load::report::Report;

pub const ADMIN: &str = "loadtest-admin-token-0123456789";

/// A usher node on a free loopback port with the admin API on and otherwise usher's defaults
/// (per-client rate limit included) but for `extra`.
pub async fn start_default_usher(extra: &[&str]) -> Server {
    let mut argv = vec![
        "usher",
        "serve",
        "--bind",
        "127.0.0.1",
        "--port",
        "0",
        "--admin-token",
        ADMIN,
        "--web-root",
        "/nonexistent",
        "--log-level",
        "warn",
    ];
    argv.extend_from_slice(extra);
    let settings = usher::cli::Cli::try_parse_from(argv)
        .expect("usher arguments parse")
        .into_settings()
        .expect("settings");
    Server::start(settings).await.expect("usher starts")
}

/// A usher node as [`start_default_usher`], with the per-IP rate limit and the per-address
/// caps off (a load test comes from a handful of addresses), joins that open the load's fresh
/// events, and fast position pushes.
pub async fn start_usher(extra: &[&str]) -> Server {
    let mut argv = vec![
        "--rate-limit-enabled",
        "false",
        "--auto-create-events",
        "true",
        "--max-connections-per-ip",
        "0",
        "--connection-rate-per-ip",
        "0",
        "--ws-max-per-ip",
        "0",
        "--ws-upgrade-rate-per-ip",
        "0",
        "--push-interval-ms",
        "100",
    ];
    argv.extend_from_slice(extra);
    start_default_usher(&argv).await
}

pub fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("usher-load-test-{}-{name}", uuid::Uuid::new_v4()))
}

/// Runs usher-load in this process with `args` (after the program name) against `server`.
pub async fn load(server: &Server, args: &[&str]) -> Report {
    let target = format!("http://{}", server.local_addr());
    let mut argv: Vec<String> = vec!["usher-load".into(), "--target".into(), target];
    argv.extend(
        [
            "--admin-token",
            ADMIN,
            "--sources",
            "2",
            "--max-duration",
            "40",
        ]
        .iter()
        .chain(args)
        .map(|s| s.to_string()),
    );
    let cli = Cli::try_parse_from(&argv).expect("usher-load arguments parse");
    usher_load::run(cli, &argv)
        .await
        .expect("run completes")
        .report
        .expect("a report")
}

pub fn count(r: &Report, name: &str) -> u64 {
    r.counters.get(name).copied().unwrap_or(0)
}
