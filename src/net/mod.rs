//! The connection layer under the HTTP and WebSocket edge: how a request's client is known and
//! what one client may open or send.
//!
//! - [`listener`]: accepts TCP connections and serves them over hyper, with the node's
//!   connection cap, per-address caps and connection rate, and head timeouts;
//! - [`rate_limit`]: per-client request rates (the seed's headers and 429s);
//! - [`client_ip`]: the socket peer of a request (the client behind trusted proxies is
//!   [`crate::config::proxies`]).

pub mod client_ip;
pub mod listener;
pub mod rate_limit;
