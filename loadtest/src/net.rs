//! The client side of the wire: which addresses we may talk to, from which loopback source
//! addresses, with which HTTP clients and WebSocket settings, within which descriptor limit.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::Value;
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::Semaphore;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use url::Url;

use crate::http1::Http1;

/// A WebSocket to usher.
pub type Ws = WebSocketStream<TcpStream>;

/// One usher node.
#[derive(Clone, Debug)]
pub struct Target {
    /// `http://host:port`, without a trailing slash.
    pub base: String,
    /// `ws://host:port`.
    pub ws_base: String,
    /// Where connections go.
    pub addr: SocketAddr,
}

/// Parses and resolves targets, refusing anything outside loopback unless `allow_remote`.
pub async fn resolve_targets(raw: &[String], allow_remote: bool) -> anyhow::Result<Vec<Target>> {
    let mut out = Vec::new();
    for t in raw {
        let url = Url::parse(t).with_context(|| format!("target {t:?} is not a URL"))?;
        if url.scheme() != "http" {
            bail!("target {t:?}: only http:// targets are supported");
        }
        let port = url.port_or_known_default().unwrap_or(80);
        let (host, host_port) = match url.host().context("target has no host")? {
            url::Host::Ipv6(ip) => (ip.to_string(), format!("[{ip}]:{port}")),
            url::Host::Ipv4(ip) => (ip.to_string(), format!("{ip}:{port}")),
            url::Host::Domain(d) => (d.to_owned(), format!("{d}:{port}")),
        };
        let addr = resolve(&host, port, allow_remote).await?;
        out.push(Target {
            base: format!("http://{host_port}"),
            ws_base: format!("ws://{host_port}"),
            addr,
        });
    }
    if out.is_empty() {
        bail!("no target");
    }
    Ok(out)
}

/// Resolves `host:port`; every address it names must be loopback unless `allow_remote`.
pub async fn resolve(host: &str, port: u16, allow_remote: bool) -> anyhow::Result<SocketAddr> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .with_context(|| format!("cannot resolve {host}"))?
        .collect();
    let first = *addrs
        .first()
        .with_context(|| format!("{host} has no address"))?;
    if !allow_remote && !addrs.iter().all(|a| a.ip().is_loopback()) {
        bail!(
            "{host} is not a loopback address: usher-load only loads this machine \
             (pass --allow-remote for a server you own elsewhere)"
        );
    }
    Ok(first)
}

/// Checks that a Redis URL points at loopback unless `allow_remote`.
pub async fn check_redis_url(raw: &str, allow_remote: bool) -> anyhow::Result<()> {
    let url = Url::parse(raw).with_context(|| format!("redis URL {raw:?}"))?;
    let host = match url.host().context("redis URL has no host")? {
        url::Host::Ipv6(ip) => ip.to_string(),
        other => other.to_string(),
    };
    resolve(&host, url.port().unwrap_or(6379), allow_remote).await?;
    Ok(())
}

/// The `k`-th loopback source address: 127.0.0.1, 127.0.0.2, … 127.0.0.254, 127.0.1.1, …
pub fn source_addr(k: u32) -> Ipv4Addr {
    Ipv4Addr::new(127, 0, (k / 254) as u8, (k % 254 + 1) as u8)
}

/// HTTP clients and WebSocket settings of one process, one client per source address.
pub struct Net {
    pub targets: Vec<Target>,
    /// Source address of each client (`None`: let the kernel choose).
    pub sources: Vec<Option<IpAddr>>,
    http: Vec<reqwest::Client>,
    /// Lean keep-alive clients for joins, one per (target, source address).
    http1: Vec<Http1>,
    /// Bounds the HTTP requests in flight.
    pub http_slots: Arc<Semaphore>,
}

impl Net {
    /// `first_source..first_source + count` are this process's source addresses (shards use
    /// disjoint ranges). Sources are used only towards IPv4 loopback targets.
    pub fn new(
        targets: Vec<Target>,
        first_source: u32,
        count: u32,
        concurrency: usize,
    ) -> anyhow::Result<Self> {
        let bindable = targets
            .iter()
            .all(|t| t.addr.is_ipv4() && t.addr.ip().is_loopback());
        let sources: Vec<Option<IpAddr>> = if bindable {
            (first_source..first_source + count)
                .map(|k| Some(IpAddr::V4(source_addr(k))))
                .collect()
        } else {
            vec![None]
        };
        let http = sources
            .iter()
            .map(|src| {
                reqwest::Client::builder()
                    .local_address(*src)
                    .pool_max_idle_per_host(concurrency.max(1))
                    .tcp_nodelay(true)
                    .timeout(Duration::from_secs(30))
                    .connect_timeout(Duration::from_secs(10))
                    .build()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let http1 = targets
            .iter()
            .flat_map(|t| sources.iter().map(|src| Http1::new(t.addr, *src)))
            .collect();
        Ok(Self {
            targets,
            sources,
            http,
            http1,
            http_slots: Arc::new(Semaphore::new(concurrency.max(1))),
        })
    }

    /// The target of client `i` (spread round-robin).
    pub fn target(&self, i: u64) -> &Target {
        &self.targets[(i % self.targets.len() as u64) as usize]
    }

    /// The HTTP client of client `i`.
    pub fn http(&self, i: u64) -> &reqwest::Client {
        &self.http[self.source_index(i)]
    }

    /// The lean join client of client `i`: towards its target, from its source address.
    pub fn http1(&self, i: u64) -> &Http1 {
        let target = (i % self.targets.len() as u64) as usize;
        &self.http1[target * self.sources.len() + self.source_index(i)]
    }

    /// Which source address client `i` uses.
    fn source_index(&self, i: u64) -> usize {
        (i / self.targets.len() as u64 % self.sources.len() as u64) as usize
    }

    /// The source address of client `i`.
    pub fn source(&self, i: u64) -> Option<IpAddr> {
        self.sources[self.source_index(i)]
    }

    /// Opens the WebSocket of client `i` with waiting token `token`, from its source address,
    /// with small buffers (a waiter reads a few hundred bytes at a time).
    pub async fn ws(&self, i: u64, token: &str) -> anyhow::Result<Ws> {
        let target = self.target(i);
        let stream = connect_from(target.addr, self.source(i)).await?;
        let url = format!("{}/api/v1/queue/ws?token={token}", target.ws_base);
        let config = WebSocketConfig::default()
            .read_buffer_size(4 * 1024)
            .write_buffer_size(0)
            .max_write_buffer_size(64 * 1024)
            .max_message_size(Some(256 * 1024))
            .max_frame_size(Some(256 * 1024));
        let (ws, _) =
            tokio_tungstenite::client_async_with_config(url, stream, Some(config)).await?;
        Ok(ws)
    }
}

/// A TCP connection to `addr` from `source` (the kernel's choice without one), with Nagle off.
pub async fn connect_from(addr: SocketAddr, source: Option<IpAddr>) -> anyhow::Result<TcpStream> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    if let Some(src) = source {
        socket
            .bind(SocketAddr::new(src, 0))
            .with_context(|| format!("bind {src}"))?;
    }
    let stream = socket.connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// Why a connection, a request or a WebSocket upgrade failed, as a counter name: `refused`,
/// `reset`, `closed`, `timeout`, `local_fds` (this process ran out of file descriptors),
/// `local_ports` (out of ephemeral ports), `upgrade_<status>` (the server answered the upgrade
/// with that HTTP status), `protocol` or `other`.
pub fn failure_kind(e: &anyhow::Error) -> String {
    use tokio_tungstenite::tungstenite::Error as WsError;
    for cause in e.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return io_failure_kind(io).to_owned();
        }
        if cause.is::<tokio::time::error::Elapsed>() {
            return "timeout".to_owned();
        }
        match cause.downcast_ref::<WsError>() {
            Some(WsError::Http(resp)) => return format!("upgrade_{}", resp.status().as_u16()),
            Some(WsError::Io(io)) => return io_failure_kind(io).to_owned(),
            Some(WsError::ConnectionClosed | WsError::AlreadyClosed) => {
                return "closed".to_owned();
            }
            Some(WsError::Protocol(_)) => return "protocol".to_owned(),
            Some(_) => return "other".to_owned(),
            None => {}
        }
    }
    "other".to_owned()
}

fn io_failure_kind(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match (e.raw_os_error(), e.kind()) {
        (Some(libc::EMFILE | libc::ENFILE), _) => "local_fds",
        (Some(libc::EADDRNOTAVAIL | libc::EADDRINUSE), _) => "local_ports",
        (_, ErrorKind::ConnectionRefused) => "refused",
        (_, ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe) => {
            "reset"
        }
        (_, ErrorKind::TimedOut) => "timeout",
        (_, ErrorKind::UnexpectedEof) => "closed",
        _ => "other",
    }
}

/// The answer of one HTTP call: status (0 for a transport error) and JSON body.
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    /// No answer: status 0, with the cause in a `TRANSPORT` envelope whose `kind` is its
    /// [`failure_kind`].
    pub fn transport(e: &anyhow::Error) -> Self {
        Answer {
            status: 0,
            body: serde_json::json!({"error": {
                "code": "TRANSPORT",
                "message": format!("{e:#}"),
                "kind": failure_kind(e),
            }}),
        }
    }

    /// The error code of usher's envelope, if any.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

/// Sends `req` and reads its JSON body; transport errors become status 0.
pub async fn call(req: reqwest::RequestBuilder) -> Answer {
    match req.send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let body = resp.json().await.unwrap_or(Value::Null);
            Answer { status, body }
        }
        Err(e) => Answer::transport(&e.into()),
    }
}

/// Raises the soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force.
pub fn raise_fd_limit() -> u64 {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct we pass.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) != 0 {
            return 0;
        }
        if r.rlim_cur < r.rlim_max {
            let wanted = libc::rlimit {
                rlim_cur: r.rlim_max,
                rlim_max: r.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &wanted) == 0 {
                r.rlim_cur = r.rlim_max;
            }
        }
    }
    r.rlim_cur
}

/// CPU seconds (user + system) and peak RSS in bytes of this process so far.
pub fn own_usage() -> (f64, u64) {
    // SAFETY: getrusage writes only the struct we pass; zeroed is a valid rusage.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return (0.0, 0);
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (
        secs(u.ru_utime) + secs(u.ru_stime),
        u.ru_maxrss.max(0) as u64 * 1_024,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_addresses_stay_in_loopback_and_skip_zero_and_broadcast() {
        assert_eq!(source_addr(0), Ipv4Addr::new(127, 0, 0, 1));
        assert_eq!(source_addr(253), Ipv4Addr::new(127, 0, 0, 254));
        assert_eq!(source_addr(254), Ipv4Addr::new(127, 0, 1, 1));
        assert!((0..2_000).all(|k| source_addr(k).is_loopback()));
    }

    #[tokio::test]
    async fn failures_are_named_by_their_cause() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let e = connect_from(addr, None)
            .await
            .unwrap_err()
            .context("joining");
        assert_eq!(failure_kind(&e), "refused");
        let emfile = anyhow::Error::from(std::io::Error::from_raw_os_error(libc::EMFILE));
        assert_eq!(failure_kind(&emfile), "local_fds");
        let resp = tokio_tungstenite::tungstenite::http::Response::builder()
            .status(429)
            .body(None)
            .unwrap();
        let e = anyhow::Error::from(tokio_tungstenite::tungstenite::Error::Http(Box::new(resp)));
        assert_eq!(failure_kind(&e), "upgrade_429");
    }

    #[tokio::test]
    async fn remote_targets_are_refused_unless_allowed() {
        let err = resolve_targets(&["http://192.0.2.1:8000".into()], false)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("not a loopback"), "{err}");
        assert!(
            resolve_targets(&["http://127.0.0.1:8000".into()], false)
                .await
                .is_ok()
        );
        assert!(
            resolve_targets(&["http://[::1]:8000".into()], false)
                .await
                .is_ok()
        );
    }
}
