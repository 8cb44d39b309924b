//! The connection layer: the accept loop in front of the router.
//!
//! Every TCP connection holds a slot of a node-wide cap derived from the process's real file
//! limit (`RLIMIT_NOFILE`, less room for Redis, gRPC and files) and, unless its peer is a
//! trusted proxy, a slot of a per-address cap and a token of a per-address rate of new
//! connections (refusing a flood of new connections at accept costs far less than answering
//! each with 429). Both slots travel with the socket itself
//! ([`Tracked`]), so a connection upgraded to a WebSocket keeps them until it closes. A
//! connection over either cap is closed at once, before any byte is read.
//!
//! Each connection is served by hyper's HTTP/1.1 with a header-read timeout that also runs
//! while a keep-alive connection waits for its next request (so idle and slow-header
//! connections are closed), and a head buffer of [`HYPER_MAX_HEAD_BYTES`], above usher's own
//! URI and header limits ([`crate::http::limits`]) so that those answer in the seed's envelope. A
//! request line or head hyper cannot parse, or one larger than that buffer, still gets hyper's
//! bare 400 or 431.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;
use tracing::{debug, info, warn};

use super::rate_limit::RateLimit;
use crate::config::ConnSettings;
use crate::config::proxies::TrustedProxies;
use crate::metrics::Metrics;
use crate::shutdown::stopped;

/// hyper's own limit on a request head: above usher's URI and header limits, so those are
/// enforced (in the seed's envelope) by [`crate::http::limits`]; a larger head is hyper's bare 431.
pub const HYPER_MAX_HEAD_BYTES: usize = 64 * 1024;
/// hyper's own limit on the number of request headers, above usher's (`USHER_MAX_HEADERS`).
pub const HYPER_MAX_HEADERS: usize = 512;
/// How long shutdown waits for requests in flight.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(10);
/// File descriptors kept back from the connection cap for Redis, gRPC, the web root and logs.
const FD_RESERVE: u64 = 512;

/// The node-wide connection cap: `USHER_MAX_CONNECTIONS`, or the file limit less a reserve.
/// Raises the soft file limit to the hard one first.
pub fn connection_cap(configured: u32) -> u32 {
    let soft = rlimit::increase_nofile_limit(u64::MAX).unwrap_or_else(|e| {
        warn!(error = %e, "cannot read or raise the open-file limit; assuming 1024");
        1_024
    });
    let derived = soft.saturating_sub(FD_RESERVE.min(soft / 4)).max(1);
    let cap = match configured {
        0 => derived,
        n if u64::from(n) > derived => {
            warn!(
                configured = n,
                usable = derived,
                "USHER_MAX_CONNECTIONS is above what the open-file limit allows; using the limit"
            );
            derived
        }
        n => u64::from(n),
    };
    cap.min(u64::from(u32::MAX)) as u32
}

/// Open connections (or WebSockets) per client address, capped. Holds an entry only for
/// addresses with something open, so its size is bounded by the open connections.
pub struct PerAddress {
    open: Mutex<HashMap<IpAddr, u32>>,
    cap: u32,
}

/// A slot of a per-address cap; frees it on drop.
pub struct AddressSlot {
    table: Arc<PerAddress>,
    ip: IpAddr,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self.table.open.lock();
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

impl PerAddress {
    /// A cap of `cap` per address; 0 is no cap.
    pub fn new(cap: u32) -> Arc<Self> {
        Arc::new(Self {
            open: Mutex::new(HashMap::new()),
            cap: if cap == 0 { u32::MAX } else { cap },
        })
    }

    /// A slot for `ip`, or `None` at its cap.
    pub fn take(self: &Arc<Self>, ip: IpAddr) -> Option<AddressSlot> {
        let mut open = self.open.lock();
        let n = open.entry(ip).or_insert(0);
        if *n >= self.cap {
            return None;
        }
        *n += 1;
        Some(AddressSlot {
            table: self.clone(),
            ip,
        })
    }
}

/// A TCP stream with the cap slots it holds: they are freed when the socket is dropped,
/// whether by hyper or, after an upgrade, by the WebSocket session.
pub struct Tracked {
    stream: TcpStream,
    _global: OwnedSemaphorePermit,
    _address: Option<AddressSlot>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// Resolves once `shutdown` is true (or its sender is gone).
/// The accept loop's settings and shared state.
pub struct Listener {
    listener: TcpListener,
    global: Arc<Semaphore>,
    cap: u32,
    per_address: Arc<PerAddress>,
    /// New connections per second per address, before any byte is read.
    address_rate: Option<Arc<RateLimit>>,
    trusted: TrustedProxies,
    header_read_timeout: Duration,
    metrics: Metrics,
}

impl Listener {
    /// `cap` is the node-wide connection cap ([`connection_cap`]).
    pub fn new(
        listener: TcpListener,
        cap: u32,
        settings: &ConnSettings,
        trusted: TrustedProxies,
        metrics: Metrics,
    ) -> Self {
        Self {
            listener,
            global: Arc::new(Semaphore::new(cap as usize)),
            cap,
            per_address: PerAddress::new(settings.max_connections_per_ip),
            address_rate: RateLimit::per_second(
                settings.connection_rate_per_ip,
                &trusted,
                metrics.clone(),
                "connection",
            ),
            trusted,
            header_read_timeout: settings.header_read_timeout,
            metrics,
        }
    }

    /// Admits a new connection under both caps, or says which one it is over.
    fn admit(&self, stream: TcpStream, peer: SocketAddr) -> Result<Tracked, &'static str> {
        let Ok(global) = self.global.clone().try_acquire_owned() else {
            return Err("node_cap");
        };
        let ip = peer.ip().to_canonical();
        let address = if self.trusted.trusts(ip) {
            None
        } else {
            if self
                .address_rate
                .as_ref()
                .is_some_and(|rate| !rate.allows(ip))
            {
                return Err("address_rate");
            }
            Some(self.per_address.take(ip).ok_or("address_cap")?)
        };
        Ok(Tracked {
            stream,
            _global: global,
            _address: address,
        })
    }

    /// Serves `router` until `shutdown` turns true, then stops accepting, asks every open
    /// connection to finish its request in flight and close, and waits for them (upgraded
    /// WebSockets are closed by the hub's drain beforehand).
    pub async fn serve(self, router: Router, shutdown: watch::Receiver<bool>) -> io::Result<()> {
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(self.header_read_timeout)
            .max_buf_size(HYPER_MAX_HEAD_BYTES)
            .max_headers(HYPER_MAX_HEADERS)
            .keep_alive(true);
        let http = Arc::new(http);
        // One clone per connection task: the tasks still running at shutdown.
        let running = Arc::new(());
        info!(cap = self.cap, "accepting connections");
        loop {
            let (stream, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors (or another transient error): back off
                        // rather than spin; the caps make this rare.
                        warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                () = stopped(shutdown.clone()) => break,
            };
            let tracked = match self.admit(stream, peer) {
                Ok(tracked) => tracked,
                Err(reason) => {
                    debug!(%peer, reason, "connection refused");
                    self.metrics
                        .connections_refused
                        .with_label_values(&[reason])
                        .inc();
                    continue;
                }
            };
            let _ = tracked.stream.set_nodelay(true);
            let router = router.clone();
            let http = http.clone();
            let stop = shutdown.clone();
            let task = running.clone();
            tokio::spawn(async move {
                let _task = task;
                let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                    let mut req = req.map(axum::body::Body::new);
                    // The peer address is the per-client limits' identity (see client_ip).
                    req.extensions_mut().insert(ConnectInfo(peer));
                    router.clone().oneshot(req)
                });
                let conn = http
                    .serve_connection(TokioIo::new(tracked), service)
                    .with_upgrades();
                tokio::pin!(conn);
                tokio::select! {
                    result = conn.as_mut() => {
                        if let Err(e) = result {
                            debug!(%peer, error = %e, "connection ended with an error");
                        }
                        return;
                    }
                    () = stopped(stop) => conn.as_mut().graceful_shutdown(),
                }
                let _ = conn.await;
            });
        }
        drop(self.listener);
        // Requests in flight get a bounded time to finish (upgraded sockets are not waited
        // for: their tasks ended at the upgrade, and the hub drained them).
        let deadline = tokio::time::Instant::now() + SHUTDOWN_WAIT;
        while Arc::strong_count(&running) > 1 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
    }
}
