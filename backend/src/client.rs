//! Who a request comes from, for the per-address login limits.
//!
//! The address is the connection's peer, unless the peer is one of the proxies the
//! operator named with `--trusted-proxy` (the TLS proxy in front of the server). Only then
//! is `X-Forwarded-For` read, from the right: each proxy appends the address it saw, so the
//! rightmost address that is not itself a trusted proxy is the client as the outermost
//! trusted proxy saw it. Anything further left was written by the client and is ignored.
//! A header from a peer that is not a trusted proxy is never read.

use std::net::{IpAddr, SocketAddr};

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpAddr>);

impl TrustedProxies {
    pub fn new(proxies: Vec<IpAddr>) -> TrustedProxies {
        TrustedProxies(proxies.into_iter().map(canonical).collect())
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.contains(&canonical(ip))
    }

    /// The client's address: the peer's, or, behind a trusted proxy, the one it forwarded.
    /// `forwarded_for` is every `X-Forwarded-For` header of the request, in order.
    pub fn client_ip<'a>(
        &self,
        peer: Option<SocketAddr>,
        forwarded_for: impl Iterator<Item = &'a str>,
    ) -> Option<IpAddr> {
        let peer = canonical(peer?.ip());
        if !self.trusts(peer) {
            return Some(peer);
        }
        let hops: Vec<&str> = forwarded_for.flat_map(|h| h.split(',')).map(str::trim).collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            // A hop that is not an address was not written by our proxy; stop at what the
            // last trusted hop said.
            let Some(ip) = parse_hop(hop) else { break };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        Some(client)
    }
}

impl TrustedProxies {
    /// Whether a request comes straight from this machine: its peer is a loopback address
    /// that is not a trusted proxy, and it carries no forwarding header. A proxy on the same
    /// machine relays requests from anywhere, so what it passes on never counts as local.
    pub fn is_local(&self, peer: Option<SocketAddr>, forwarded: bool) -> bool {
        match peer {
            Some(peer) => {
                let ip = canonical(peer.ip());
                ip.is_loopback() && !self.trusts(ip) && !forwarded
            }
            None => false,
        }
    }
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`, `[::1]:5`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    hop.parse::<SocketAddr>().ok().map(|s| canonical(s.ip()))
}

/// IPv4 addresses mapped into IPv6 (`::ffff:1.2.3.4`) are the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The network a client's failures are counted against: its IPv4 address, or the /64 of
/// its IPv6 address, because one IPv6 host can use any address in its /64 and would
/// otherwise get a fresh allowance with each.
pub fn client_key(ip: Option<IpAddr>) -> String {
    match ip.map(canonical) {
        Some(IpAddr::V4(ip)) => ip.to_string(),
        Some(IpAddr::V6(ip)) => {
            let s = ip.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "unknown".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(ip: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(ip.parse().unwrap(), 40000))
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::new(list.iter().map(|p| p.parse().unwrap()).collect())
    }

    #[test]
    fn without_trusted_proxies_the_header_is_never_read() {
        let ip = TrustedProxies::default().client_ip(peer("203.0.113.9"), ["198.51.100.1"].into_iter());
        assert_eq!(ip, Some("203.0.113.9".parse().unwrap()));
    }

    #[test]
    fn a_trusted_proxy_names_the_client_it_saw() {
        let ip = proxies(&["127.0.0.1"]).client_ip(peer("127.0.0.1"), ["198.51.100.7"].into_iter());
        assert_eq!(ip, Some("198.51.100.7".parse().unwrap()));
    }

    #[test]
    fn addresses_the_client_wrote_itself_are_ignored() {
        // The client sent "X-Forwarded-For: 10.9.9.9"; the proxy appended what it saw.
        let ip = proxies(&["127.0.0.1"]).client_ip(peer("127.0.0.1"), ["10.9.9.9, 198.51.100.7"].into_iter());
        assert_eq!(ip, Some("198.51.100.7".parse().unwrap()));
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked_from_the_right() {
        let list = proxies(&["127.0.0.1", "192.0.2.10"]);
        let ip = list.client_ip(peer("127.0.0.1"), ["6.6.6.6, 198.51.100.7", "192.0.2.10"].into_iter());
        assert_eq!(ip, Some("198.51.100.7".parse().unwrap()));
    }

    #[test]
    fn garbage_in_the_header_stops_the_walk_at_the_proxy() {
        let ip = proxies(&["127.0.0.1"]).client_ip(peer("127.0.0.1"), ["not-an-address"].into_iter());
        assert_eq!(ip, Some("127.0.0.1".parse().unwrap()));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(client_key(Some("2001:db8:1:2:aaaa::1".parse().unwrap())), "2001:db8:1:2::/64");
        assert_eq!(client_key(Some("::ffff:192.0.2.1".parse().unwrap())), "192.0.2.1");
    }
}
