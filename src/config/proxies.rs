//! Who a request comes from, for per-client limits.
//!
//! The client is the socket peer, unless the peer is a trusted proxy (`USHER_TRUSTED_PROXIES`);
//! then it is the right-most `X-Forwarded-For` entry that is not itself a trusted proxy, else
//! `X-Real-IP`, else the peer. Each proxy appends the address it received the request from, so
//! only the entries added by proxies we trust are true; anything further left may have been
//! written by the client. (The seed took the left-most entry from anyone, so every client could
//! pick its own identity and a fresh rate-limit bucket per request.)

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// Parses one `USHER_TRUSTED_PROXIES` entry: an IP address or a CIDR block.
pub fn parse_ip_net(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    if let Ok(net) = s.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    s.parse::<IpAddr>()
        .map(|ip| IpNet::from(ip.to_canonical()))
        .map_err(|_| format!("{s:?} is neither an IP address nor a CIDR block such as 10.0.0.0/8"))
}

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses `USHER_TRUSTED_PROXIES`: addresses and CIDR blocks, comma-separated; empty
    /// trusts none.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(parse_ip_net)
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The address of the client behind a request that arrived from `peer`.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        self.forwarded_client(headers)
            .or_else(|| {
                let value = headers.get("x-real-ip")?.to_str().ok()?;
                parse_hop(value)
            })
            .unwrap_or(peer)
    }

    /// The right-most untrusted `X-Forwarded-For` hop; the left-most hop if every hop is
    /// trusted (the client is itself inside a trusted network); `None` without the header or
    /// when a hop cannot be read before an untrusted one is found.
    fn forwarded_client(&self, headers: &HeaderMap) -> Option<IpAddr> {
        // Several X-Forwarded-For headers form one list, in order.
        let mut hops = Vec::new();
        for value in headers.get_all("x-forwarded-for") {
            hops.extend(value.to_str().ok()?.split(','));
        }
        let mut leftmost = None;
        for hop in hops.iter().rev() {
            // A malformed hop: nothing to its left can be attributed to anyone.
            let ip = parse_hop(hop)?;
            if !self.trusts(ip) {
                return Some(ip);
            }
            leftmost = Some(ip);
        }
        leftmost
    }
}

/// One hop: `1.2.3.4`, `2001:db8::1`, `[2001:db8::1]`, or either with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    let ip = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| hop.strip_prefix('[')?.strip_suffix(']')?.parse().ok())?;
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&list.join(",")).unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, value.parse().unwrap());
        }
        h
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let h = headers(&[("x-forwarded-for", "1.1.1.1"), ("x-real-ip", "2.2.2.2")]);
        assert_eq!(
            TrustedProxies::default().client_ip(ip("9.9.9.9"), &h),
            ip("9.9.9.9")
        );
        let p = proxies(&["10.0.0.0/8"]);
        assert_eq!(p.client_ip(ip("9.9.9.9"), &h), ip("9.9.9.9"));
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client() {
        let p = proxies(&["10.0.0.0/8", "192.168.1.7"]);
        // The client claims 6.6.6.6; the edge proxy saw 3.3.3.3; an inner proxy 10.1.1.1.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 3.3.3.3, 10.1.1.1")]);
        assert_eq!(p.client_ip(ip("192.168.1.7"), &h), ip("3.3.3.3"));
        // Split over two headers, with ports and brackets.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "[2001:db8::1]:443, 10.1.1.1:80"),
        ]);
        assert_eq!(p.client_ip(ip("10.0.0.2"), &h), ip("2001:db8::1"));
    }

    #[test]
    fn x_real_ip_then_the_peer_are_the_fallbacks() {
        let p = proxies(&["127.0.0.1"]);
        let h = headers(&[("x-real-ip", "4.4.4.4")]);
        assert_eq!(p.client_ip(ip("127.0.0.1"), &h), ip("4.4.4.4"));
        let h = headers(&[("x-forwarded-for", "not-an-ip"), ("x-real-ip", "junk")]);
        assert_eq!(p.client_ip(ip("127.0.0.1"), &h), ip("127.0.0.1"));
    }

    #[test]
    fn an_all_trusted_chain_gives_its_first_hop() {
        let p = proxies(&["10.0.0.0/8"]);
        let h = headers(&[("x-forwarded-for", "10.9.9.9, 10.1.1.1")]);
        assert_eq!(p.client_ip(ip("10.0.0.1"), &h), ip("10.9.9.9"));
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_proxies() {
        let p = proxies(&["127.0.0.1"]);
        let h = headers(&[("x-forwarded-for", "5.5.5.5")]);
        assert_eq!(p.client_ip(ip("::ffff:127.0.0.1"), &h), ip("5.5.5.5"));
    }

    #[test]
    fn proxy_entries_parse_as_addresses_or_cidrs() {
        assert_eq!(
            parse_ip_net("10.1.2.3/8").unwrap(),
            "10.0.0.0/8".parse().unwrap()
        );
        assert_eq!(
            parse_ip_net(" 2001:db8::1 ").unwrap(),
            "2001:db8::1/128".parse().unwrap()
        );
        assert!(parse_ip_net("10.0.0.0/33").is_err());
        assert!(parse_ip_net("proxy.internal").is_err());
        assert!(TrustedProxies::parse("").unwrap().0.is_empty());
        assert_eq!(TrustedProxies::parse("10.0.0.0/8, ::1").unwrap().0.len(), 2);
        assert!(TrustedProxies::parse("10.0.0.0/8,bogus").is_err());
    }
}
