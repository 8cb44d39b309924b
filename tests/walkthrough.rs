//! The README's walkthrough, run as written: its shell blocks, in order, in one shell, against a
//! usher this test starts, so that the walkthrough cannot drift from what usher does. The only
//! substitutions: a free port for 8000; the built binary (with `make run`'s settings and the
//! variables the walkthrough sets on that line) instead of `make run`; and a scripted WebSocket
//! client (`tests/walkthrough/ws_watch.py`, in the background) instead of the interactive
//! `npx --yes wscat -c`. The messages the walkthrough shows arriving on the socket must arrive,
//! in that order, and the purchase must end confirmed.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const README: &str = include_str!("../README.md");
const WSCAT: &str = "npx --yes wscat -c";

/// The walkthrough's shell blocks, in order.
fn walkthrough_blocks() -> Vec<&'static str> {
    let start = README
        .find("\n## Walkthrough\n")
        .expect("a Walkthrough section");
    let section = &README[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    section
        .split("```sh\n")
        .skip(1)
        .map(|rest| &rest[..rest.find("```").expect("a closed block")])
        .collect()
}

/// The `type`s of the socket messages the walkthrough shows (`# < {"type":"…"`), in order.
fn documented_socket_types(blocks: &[&str]) -> Vec<String> {
    blocks
        .iter()
        .flat_map(|b| b.lines())
        .filter_map(|l| l.trim_start().strip_prefix("# < {\"type\":\""))
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_readme_walkthrough_runs_as_written() {
    let blocks = walkthrough_blocks();
    assert!(
        blocks.len() >= 5,
        "the walkthrough has {} blocks",
        blocks.len()
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = std::env::temp_dir().join(format!("usher-walkthrough-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let socket_log = dir.join("socket.log");
    let watcher = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/walkthrough/ws_watch.py");

    let mut server = None;
    let mut script = String::from("set -euo pipefail\n");
    for block in &blocks {
        for line in block.lines() {
            if let Some(vars) = line.strip_suffix("make run") {
                // `make run`: the built binary, as the Makefile starts it.
                let mut cmd = Command::new(env!("CARGO_BIN_EXE_usher"));
                cmd.arg("serve")
                    .env("SERVER_PORT", port.to_string())
                    .env("USHER_BIND", "127.0.0.1")
                    .env("LOG_FORMAT", "text")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null());
                for assignment in vars.split_whitespace() {
                    let (k, v) = assignment
                        .split_once('=')
                        .expect("VAR=value before make run");
                    cmd.env(k, v);
                }
                server = Some(Server(cmd.spawn().expect("usher runs")));
                continue;
            }
            let line = line.replace("localhost:8000", &format!("localhost:{port}"));
            if let Some(at) = line.find(WSCAT) {
                let (before, after) = line.split_at(at);
                script += &format!(
                    "{before}python3 {watcher} --seconds 60{} > {} 2>&1 &\n",
                    &after[WSCAT.len()..],
                    socket_log.display()
                );
                // Let the socket open before the next step, as a person would.
                script += "sleep 1\n";
                continue;
            }
            script += &line;
            script += "\n";
        }
    }
    let _server = server.expect("the walkthrough starts usher with make run");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "usher did not start");
        std::thread::sleep(Duration::from_millis(50));
    }

    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(&dir)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Give the watcher its last messages, then read what the socket said.
    let socket = std::fs::read_to_string(&socket_log).unwrap_or_default();
    let _ = Command::new("pkill").args(["-f", watcher]).status();
    eprintln!("--- script ---\n{script}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}");
    eprintln!("--- socket ---\n{socket}");
    assert!(
        out.status.success(),
        "the walkthrough failed: {}",
        out.status
    );
    assert!(!stdout.contains("\"error\":{"), "a step answered an error");

    let arrived: Vec<String> = socket
        .lines()
        .filter_map(|l| l.strip_prefix("< "))
        .filter_map(|m| serde_json::from_str::<serde_json::Value>(m).ok())
        .map(|m| m["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    let documented = documented_socket_types(&blocks);
    assert!(
        !documented.is_empty(),
        "the walkthrough shows the socket's messages"
    );
    let mut rest = arrived.iter();
    for kind in &documented {
        assert!(
            rest.any(|a| a == kind),
            "the walkthrough shows a `{kind}` message that did not arrive (in order): {arrived:?}"
        );
    }
    assert!(
        stdout.contains("\"status\":\"CONFIRMED\""),
        "the reservation ends confirmed"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
