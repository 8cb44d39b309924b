//! The socket peer of a request. Who the client is behind trusted proxies is
//! [`crate::config::proxies::TrustedProxies::client_ip`].

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::Extensions;
use axum::http::request::Parts;

/// The socket peer of a request, as the listener recorded it. Without connection info (a
/// router not served by the listener) it is the unspecified address, so every such request
/// shares one identity rather than going unlimited.
pub fn peer_ip(extensions: &Extensions) -> IpAddr {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// Extractor of [`peer_ip`].
pub struct Peer(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self(peer_ip(&parts.extensions)))
    }
}
