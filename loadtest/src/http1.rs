//! A lean HTTP/1.1 client for the hottest request, the join: keep-alive connections kept per
//! target and source address, requests written in one piece, answers read just far enough to
//! know their status and JSON body. In a join storm the generator shares the machine with the
//! server, so every microsecond it spends is one the server does not get; a general-purpose
//! client (URL parsing, header maps, a connection pool behind a tower stack) cost about twice
//! as much per request.
//!
//! [`one_shot`] sends any bytes at all on a fresh connection and reads the answer the same way:
//! the `attack` scenario's malformed requests.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use anyhow::{Context, bail};
use parking_lot::Mutex;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::net::{Answer, connect_from};

/// Largest response header block and body read.
const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 1024 * 1024;
/// One request, from writing it to the end of its answer.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Idle keep-alive connections to one address from one source address.
pub struct Http1 {
    addr: SocketAddr,
    source: Option<IpAddr>,
    /// `Host` header value.
    host: String,
    idle: Mutex<Vec<Conn>>,
}

struct Conn {
    stream: TcpStream,
    /// Bytes read past the previous answer (none with a well-behaved server).
    buf: Vec<u8>,
}

impl Http1 {
    pub fn new(addr: SocketAddr, source: Option<IpAddr>) -> Self {
        Self {
            addr,
            source,
            host: addr.to_string(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// POSTs a JSON `body` to `path` with extra `headers`; transport errors become status 0.
    /// A kept-alive connection the server closed meanwhile is retried once on a new one (the
    /// requests sent here carry an Idempotency-Key, so a retry is safe).
    pub async fn post_json(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        let request = self.request(path, headers, body);
        let reused = self.idle.lock().pop();
        let result = match reused {
            Some(conn) => match self.exchange(Ok(conn), &request).await {
                Err(_) => self.exchange(self.connect().await, &request).await,
                ok => ok,
            },
            None => self.exchange(self.connect().await, &request).await,
        };
        match result {
            Ok((status, body, conn)) => {
                if let Some(conn) = conn {
                    self.idle.lock().push(conn);
                }
                Answer {
                    status,
                    body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                }
            }
            Err(e) => Answer::transport(&e),
        }
    }

    fn request(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
        let mut req = Vec::with_capacity(256 + body.len());
        for part in [
            "POST ",
            path,
            " HTTP/1.1\r\nHost: ",
            &self.host,
            "\r\nContent-Type: application/json\r\nContent-Length: ",
            &body.len().to_string(),
            "\r\n",
        ] {
            req.extend_from_slice(part.as_bytes());
        }
        for (name, value) in headers {
            for part in [*name, ": ", *value, "\r\n"] {
                req.extend_from_slice(part.as_bytes());
            }
        }
        req.extend_from_slice(b"\r\n");
        req.extend_from_slice(body);
        req
    }

    async fn connect(&self) -> anyhow::Result<Conn> {
        Conn::open(self.addr, self.source, TIMEOUT).await
    }

    /// Writes `request` and reads its answer: status, body, and the connection if it may be
    /// used again.
    async fn exchange(
        &self,
        conn: anyhow::Result<Conn>,
        request: &[u8],
    ) -> anyhow::Result<(u16, Vec<u8>, Option<Conn>)> {
        let mut conn = conn?;
        tokio::time::timeout(TIMEOUT, async {
            conn.stream.write_all(request).await?;
            let (status, body, keep) = read_answer(&mut conn).await?;
            Ok((status, body, keep.then_some(conn)))
        })
        .await
        .context("request timed out")?
    }
}

impl Conn {
    async fn open(
        addr: SocketAddr,
        source: Option<IpAddr>,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        let stream = tokio::time::timeout(timeout, connect_from(addr, source))
            .await
            .context("connect timed out")??;
        Ok(Self {
            stream,
            buf: Vec::with_capacity(1024),
        })
    }
}

/// Writes `request` (any bytes, malformed heads included) on a new connection to `addr` from
/// `source` and reads the answer: status and body. The connection is not kept. A server may
/// answer and close before it has read a large request whole; a failed write is therefore not
/// an error as long as an answer can be read.
pub async fn one_shot(
    addr: SocketAddr,
    source: Option<IpAddr>,
    request: &[u8],
    timeout: Duration,
) -> anyhow::Result<(u16, Vec<u8>)> {
    let mut conn = Conn::open(addr, source, timeout).await?;
    tokio::time::timeout(timeout, async {
        let _ = conn.stream.write_all(request).await;
        let (status, body, _) = read_answer(&mut conn).await?;
        Ok((status, body))
    })
    .await
    .context("request timed out")?
}

async fn read_answer(conn: &mut Conn) -> anyhow::Result<(u16, Vec<u8>, bool)> {
    let head_end = loop {
        if let Some(at) = conn.buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if conn.buf.len() > MAX_HEAD {
            bail!("response head over {MAX_HEAD} bytes");
        }
        read_more(conn).await?;
    };
    let head = std::str::from_utf8(&conn.buf[..head_end]).context("response head")?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| status_of(l.as_bytes()))
        .context("status line")?;
    let mut length = None;
    let mut keep = true;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.parse::<usize>().context("content-length")?);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            bail!("unsupported transfer-encoding {value}");
        } else if name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close") {
            keep = false;
        }
    }
    let length = match length {
        Some(n) => n,
        // Without a length the body ends with the connection.
        None => {
            keep = false;
            while conn.buf.len() <= head_end + MAX_BODY && read_more(conn).await.is_ok() {}
            conn.buf.len() - head_end
        }
    };
    if length > MAX_BODY {
        bail!("response body over {MAX_BODY} bytes");
    }
    while conn.buf.len() < head_end + length {
        read_more(conn).await?;
    }
    let body = conn.buf[head_end..head_end + length].to_vec();
    conn.buf.drain(..head_end + length);
    Ok((status, body, keep))
}

/// The status of an answer that starts with `head` (`HTTP/1.1 404 Not Found...`).
pub fn status_of(head: &[u8]) -> Option<u16> {
    let line = head.split(|&b| b == b'\r').next()?;
    let rest = line.strip_prefix(b"HTTP/1.")?;
    std::str::from_utf8(rest.get(2..5)?).ok()?.parse().ok()
}

async fn read_more(conn: &mut Conn) -> anyhow::Result<()> {
    let mut chunk = [0u8; 4096];
    let n = conn.stream.read(&mut chunk).await?;
    if n == 0 {
        bail!("connection closed");
    }
    conn.buf.extend_from_slice(&chunk[..n]);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    /// A server that answers each request on a connection with the given raw answers in turn.
    async fn serve(answers: Vec<&'static str>) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut seen = Vec::new();
            for answer in answers {
                // Read one request: head, then its Content-Length body.
                let mut buf = [0u8; 4096];
                loop {
                    let n = s.read(&mut buf).await.unwrap();
                    seen.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&seen).into_owned();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len: usize = text
                            .lines()
                            .find_map(|l| l.strip_prefix("Content-Length: "))
                            .unwrap()
                            .parse()
                            .unwrap();
                        if seen.len() >= end + 4 + len {
                            seen.drain(..end + 4 + len);
                            break;
                        }
                    }
                }
                s.write_all(answer.as_bytes()).await.unwrap();
            }
        });
        addr
    }

    #[tokio::test]
    async fn answers_are_read_by_content_length_and_connections_are_kept_alive() {
        let addr = serve(vec![
            "HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: 14\r\n\r\n{\"position\":1}",
            "HTTP/1.1 409 Conflict\r\nContent-Length: 2\r\n\r\n{}",
        ])
        .await;
        let client = Http1::new(addr, None);
        let first = client
            .post_json("/j", &[("Idempotency-Key", "k")], b"{}")
            .await;
        assert_eq!(
            (first.status, first.body["position"].as_u64()),
            (202, Some(1))
        );
        // The same (only) connection serves the second request.
        let second = client.post_json("/j", &[], b"{\"a\":1}").await;
        assert_eq!(second.status, 409);
        assert_eq!(client.idle.lock().len(), 1);
    }

    #[test]
    fn statuses_are_read_from_status_lines_only() {
        assert_eq!(
            status_of(b"HTTP/1.1 431 Request Header Fields Too Large\r\n"),
            Some(431)
        );
        assert_eq!(status_of(b"HTTP/1.0 408 Request Timeout"), Some(408));
        assert_eq!(status_of(b"HTTP/1.1 20"), None);
        assert_eq!(status_of(b"garbage"), None);
    }

    #[tokio::test]
    async fn a_one_shot_answer_without_length_is_read_to_the_close() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 64];
            let _ = s.read(&mut buf).await;
            s.write_all(b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\nbad")
                .await
                .unwrap();
        });
        let (status, body) = one_shot(addr, None, b"GARBAGE\r\n\r\n", Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!((status, body.as_slice()), (400, b"bad".as_slice()));
    }

    #[tokio::test]
    async fn a_refused_connection_is_a_transport_error() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let answer = Http1::new(addr, None).post_json("/j", &[], b"{}").await;
        assert_eq!((answer.status, answer.code()), (0, "TRANSPORT"));
    }
}
