//! Connections to Redis: standalone (a small pool of reconnecting multiplexed connections) or
//! cluster (one cluster connection that routes by slot and follows topology changes). Reads
//! always go to primaries: a replica may lag and must never decide a waiter's fate. Every
//! command made for a traced request is a `store` span, named by its script.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::cluster::ClusterClientBuilder;
use redis::cluster_async::ClusterConnection;
use redis::{Arg, Cmd, Pipeline, PushInfo, RedisFuture, RedisResult, Value};
use tokio::sync::mpsc;
use tracing::{Instrument, Span};

use super::scripts;
use crate::config::RedisSettings;
use crate::store::op_span;

/// One connection, either kind; cheap to clone (clones share the underlying connection).
#[derive(Clone)]
pub enum Conn {
    Single(ConnectionManager),
    Cluster(ClusterConnection),
}

/// The `store` span of a command: named by its script for an `EVALSHA`, else by the command.
fn command_span(cmd: &Cmd) -> Span {
    if !usher_otel::in_trace() {
        return Span::none();
    }
    let mut args = cmd.args_iter().map(|arg| match arg {
        Arg::Simple(bytes) => bytes,
        _ => b"",
    });
    let command = String::from_utf8_lossy(args.next().unwrap_or_default()).to_ascii_uppercase();
    let script = match command.as_str() {
        "EVALSHA" => args.next().and_then(scripts::name_of),
        _ => None,
    };
    op_span("redis", &command, script)
}

/// `call` inside `span`, marked as an error when Redis answers with one (a `NOSCRIPT` before
/// a script is loaded, too); as it is when the span is off (no extra allocation).
fn traced<'a, T: Send + 'a>(call: RedisFuture<'a, T>, span: Span) -> RedisFuture<'a, T> {
    if span.is_disabled() {
        return call;
    }
    Box::pin(
        async move {
            let result = call.await;
            if result.is_err() {
                Span::current().record("otel.status_code", "error");
            }
            result
        }
        .instrument(span),
    )
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        let span = command_span(cmd);
        let call = match self {
            Conn::Single(c) => c.req_packed_command(cmd),
            Conn::Cluster(c) => c.req_packed_command(cmd),
        };
        traced(call, span)
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        let span = op_span("redis", "PIPELINE", None);
        let call = match self {
            Conn::Single(c) => c.req_packed_commands(pipeline, offset, count),
            Conn::Cluster(c) => c.req_packed_commands(pipeline, offset, count),
        };
        traced(call, span)
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::Single(c) => c.get_db(),
            Conn::Cluster(c) => c.get_db(),
        }
    }
}

/// Round-robin over a few connections (each multiplexed, so a handful is plenty).
#[derive(Clone)]
pub struct Pool {
    conns: Arc<Vec<Conn>>,
    next: Arc<AtomicUsize>,
}

impl Pool {
    pub fn get(&self) -> Conn {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.conns.len();
        self.conns[i].clone()
    }

    pub fn is_cluster(&self) -> bool {
        matches!(self.conns[0], Conn::Cluster(_))
    }
}

/// Connection URLs for each address in `REDIS_ADDRESS` (`host:port`, or a full `redis://` /
/// `rediss://` URL used as given).
fn urls(s: &RedisSettings, resp3: bool) -> Vec<String> {
    s.addresses()
        .into_iter()
        .map(|addr| {
            let mut url = if addr.contains("://") {
                addr
            } else {
                let scheme = if s.tls { "rediss" } else { "redis" };
                if s.cluster {
                    format!("{scheme}://{addr}")
                } else {
                    format!("{scheme}://{addr}/{}", s.database)
                }
            };
            if resp3 {
                url.push_str(if url.contains('?') {
                    "&protocol=resp3"
                } else {
                    "?protocol=resp3"
                });
            }
            url
        })
        .collect()
}

fn manager_config(s: &RedisSettings) -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_connection_timeout(Some(s.dial_timeout))
        .set_response_timeout(Some(s.read_timeout))
        .set_number_of_retries(s.max_retries as usize)
        .set_min_delay(Duration::from_millis(50))
        .set_max_delay(Duration::from_secs(2))
}

fn client(s: &RedisSettings, url: &str) -> RedisResult<redis::Client> {
    let mut info: redis::ConnectionInfo = redis::IntoConnectionInfo::into_connection_info(url)?;
    if let Some(pw) = &s.password {
        let redis = info.redis_settings().clone().set_password(pw.expose());
        info = info.set_redis_settings(redis);
    }
    redis::Client::open(info)
}

fn cluster_builder(s: &RedisSettings, resp3: bool) -> ClusterClientBuilder {
    let mut b = ClusterClientBuilder::new(urls(s, resp3))
        .connection_timeout(s.dial_timeout)
        .response_timeout(s.read_timeout)
        .retries(s.max_retries);
    if let Some(pw) = &s.password {
        b = b.password(pw.expose());
    }
    if s.tls {
        b = b.tls(redis::cluster::TlsMode::Secure);
    }
    b
}

/// Opens the command connections.
pub async fn connect(s: &RedisSettings) -> RedisResult<Pool> {
    let conns = if s.cluster {
        let client = cluster_builder(s, false).build()?;
        vec![Conn::Cluster(client.get_async_connection().await?)]
    } else {
        let url = &urls(s, false)[0];
        let mut conns = Vec::with_capacity(s.pool_size as usize);
        for _ in 0..s.pool_size {
            let c = client(s, url)?;
            conns.push(Conn::Single(
                ConnectionManager::new_with_config(c, manager_config(s)).await?,
            ));
        }
        conns
    };
    Ok(Pool {
        conns: Arc::new(conns),
        next: Arc::new(AtomicUsize::new(0)),
    })
}

/// Opens the subscriber connection (RESP3, pushes delivered on `tx`, subscriptions restored
/// automatically after a reconnect).
pub async fn connect_subscriber(
    s: &RedisSettings,
    tx: mpsc::UnboundedSender<PushInfo>,
) -> RedisResult<Conn> {
    if s.cluster {
        let client = cluster_builder(s, true)
            .use_protocol(redis::ProtocolVersion::RESP3)
            .push_sender(tx)
            .build()?;
        Ok(Conn::Cluster(client.get_async_connection().await?))
    } else {
        let c = client(s, &urls(s, true)[0])?;
        let config = manager_config(s)
            .set_push_sender(tx)
            .set_automatic_resubscription();
        Ok(Conn::Single(
            ConnectionManager::new_with_config(c, config).await?,
        ))
    }
}
