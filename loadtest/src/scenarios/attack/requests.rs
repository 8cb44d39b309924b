//! Attacks of single requests: joins of never-seen events, malformed requests, logins of
//! unknown users. Each request is recorded by [`Ctx::request`] under its name: latency, and a
//! count per status (`transport` when no answer came, with its cause).

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use super::{drive, paced_cap, pacing};
use crate::cli::AttackArgs;
use crate::http1::one_shot;
use crate::net::Answer;
use crate::scenarios::Ctx;

/// Logins and bogus upgrades when `--attack-requests` does not say.
pub const DEFAULT_UNPACED_REQUESTS: u64 = 100_000;

/// One malformed request's answer, from a server that is still reachable, may take this long.
const ONE_SHOT_TIMEOUT: Duration = Duration::from_secs(10);

/// `events`: joins of fresh random event ids, every address at the per-client limit. A server
/// that creates an event for any id it is asked about keeps state for each.
pub async fn events(a: &Arc<Ctx>, args: &AttackArgs) {
    let when = pacing(a, args);
    drive(
        a,
        paced_cap(args),
        args.attack_concurrency,
        when,
        |a, n| async move {
            let event = format!("atk-{}", uuid::Uuid::new_v4().simple());
            a.join_event(n, &event, None).await;
        },
    )
    .await;
}

/// `logins`: logins of unknown users, `--attack-concurrency` in flight, as fast as answered.
pub async fn logins(a: &Arc<Ctx>, args: &AttackArgs) {
    let cap = args.attack_requests.unwrap_or(DEFAULT_UNPACED_REQUESTS);
    drive(
        a,
        cap,
        args.attack_concurrency,
        |_| None,
        |a, n| async move {
            let body = json!({
                "username": format!("atk-{}", uuid::Uuid::new_v4().simple()),
                "password": "not-the-password",
            });
            let body = serde_json::to_vec(&body).unwrap_or_default();
            let key = uuid::Uuid::new_v4().to_string();
            let headers = [("Idempotency-Key", key.as_str())];
            let req = a
                .net
                .http1(n)
                .post_json("/api/v1/auth/login", &headers, &body);
            a.request("login", req).await;
        },
    )
    .await;
}

/// The malformed requests of `headers`, sent in turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Malformed {
    /// A 20 KB header on a status call.
    BigHeader,
    /// A status call with a 16 KB URI.
    BigUri,
    /// 200 small headers.
    ManyHeaders,
    /// A request line that is not one.
    BadRequestLine,
    /// `PUT` on the join route.
    WrongMethod,
    /// A join whose body is cut-off JSON.
    BadJson,
    /// A join with a 100 KB body (over usher's default 64 KiB).
    BigBody,
}

impl Malformed {
    pub const ALL: [Malformed; 7] = [
        Malformed::BigHeader,
        Malformed::BigUri,
        Malformed::ManyHeaders,
        Malformed::BadRequestLine,
        Malformed::WrongMethod,
        Malformed::BadJson,
        Malformed::BigBody,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Malformed::BigHeader => "big_header",
            Malformed::BigUri => "big_uri",
            Malformed::ManyHeaders => "many_headers",
            Malformed::BadRequestLine => "bad_request_line",
            Malformed::WrongMethod => "wrong_method",
            Malformed::BadJson => "bad_json",
            Malformed::BigBody => "big_body",
        }
    }

    /// The request's bytes, for `host`.
    pub fn request(self, host: &str) -> Vec<u8> {
        let status = "/api/v1/queue/status?token=bogus";
        let key = uuid::Uuid::new_v4();
        let join = |method: &str, body: &[u8]| {
            let mut r = format!(
                "{method} /api/v1/queue/join HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
                 Content-Type: application/json\r\nIdempotency-Key: {key}\r\n\
                 Content-Length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(body);
            r
        };
        let get = |uri: &str, headers: &str| {
            format!("GET {uri} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{headers}\r\n")
                .into_bytes()
        };
        match self {
            Malformed::BigHeader => get(status, &format!("X-Filler: {}\r\n", "a".repeat(20_000))),
            Malformed::BigUri => get(&format!("{status}{}", "a".repeat(16_384)), ""),
            Malformed::ManyHeaders => {
                let headers: String = (0..200).map(|k| format!("X-H{k}: v\r\n")).collect();
                get(status, &headers)
            }
            Malformed::BadRequestLine => {
                format!("NOT A REQUEST LINE\r\nHost: {host}\r\n\r\n").into_bytes()
            }
            Malformed::WrongMethod => join("PUT", br#"{"event_id":"atk-wrong-method"}"#),
            Malformed::BadJson => join("POST", br#"{"event_id":"#),
            Malformed::BigBody => {
                let filler = "a".repeat(100_000);
                join("POST", format!(r#"{{"event_id":"{filler}"}}"#).as_bytes())
            }
        }
    }
}

/// Whether `body` is usher's error envelope: `{"error":{"code":…,"message":…,"trace_id":…}}`
/// with three strings.
pub fn is_envelope(body: &serde_json::Value) -> bool {
    ["code", "message", "trace_id"]
        .iter()
        .all(|k| body["error"][k].is_string())
}

/// `headers`: the malformed requests in turn, every address at the per-client limit, one
/// connection each. Counts statuses per request (`headers.<name>.<status>`) and whether the
/// answer was the JSON error envelope (`.envelope` or `.no_envelope`).
pub async fn headers(a: &Arc<Ctx>, args: &AttackArgs) {
    let when = pacing(a, args);
    drive(
        a,
        paced_cap(args),
        args.attack_concurrency,
        when,
        |a, n| async move {
            let kind = Malformed::ALL[n as usize % Malformed::ALL.len()];
            let target = a.net.target(n);
            let request = kind.request(&target.addr.to_string());
            let (addr, source) = (target.addr, a.net.source(n));
            let name = format!("headers.{}", kind.name());
            let answer = a
                .request(&name, async move {
                    match one_shot(addr, source, &request, ONE_SHOT_TIMEOUT).await {
                        Ok((status, body)) => Answer {
                            status,
                            body: serde_json::from_slice(&body).unwrap_or_default(),
                        },
                        Err(e) => Answer::transport(&e),
                    }
                })
                .await;
            if answer.status != 0 {
                let envelope = if is_envelope(&answer.body) {
                    "envelope"
                } else {
                    "no_envelope"
                };
                a.rec.count(&format!("{name}.{envelope}"));
            }
        },
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_requests_are_what_they_say() {
        let text = |m: Malformed| String::from_utf8(m.request("127.0.0.1:8000")).unwrap();
        assert!(text(Malformed::BigHeader).len() > 20_000);
        assert!(text(Malformed::BigUri).lines().next().unwrap().len() > 16_384);
        assert_eq!(text(Malformed::ManyHeaders).matches("X-H").count(), 200);
        assert!(text(Malformed::WrongMethod).starts_with("PUT /api/v1/queue/join HTTP/1.1\r\n"));
        let big = text(Malformed::BigBody);
        let (head, body) = big.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
        assert!(body.len() > 65_536);
    }

    #[test]
    fn the_envelope_has_code_message_and_trace_id() {
        let ok = json!({"error": {"code": "X", "message": "m", "trace_id": "t"}});
        assert!(is_envelope(&ok));
        assert!(!is_envelope(
            &json!({"error": {"code": "X", "message": "m"}})
        ));
        assert!(!is_envelope(&serde_json::Value::Null));
    }
}
