//! The little of the DNS wire format (RFC 1035) the name server needs: the
//! header and the single question of a query, and answers of type A, AAAA
//! and PTR built from scratch. Forwarded replies are passed through byte for
//! byte and never decoded, so no other record type is needed.
//!
//! Why not `hickory-proto`: it would bring a full message model (every
//! record type, DNSSEC, EDNS, its own error and buffer types) into the berth
//! binary for three record types we build and one question we read; this
//! codec is ~200 lines with its own tests, and everything else is relayed
//! untouched, so nothing berth does not understand is ever rewritten.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub const TYPE_A: u16 = 1;
pub const TYPE_PTR: u16 = 12;
pub const TYPE_AAAA: u16 = 28;
pub const CLASS_IN: u16 = 1;

pub const RCODE_NOERROR: u8 = 0;
pub const RCODE_FORMERR: u8 = 1;
pub const RCODE_SERVFAIL: u8 = 2;
pub const RCODE_NOTIMP: u8 = 4;

/// Docker's embedded server answers with a TTL of 600 seconds.
pub const TTL: u32 = 600;
/// The largest message a UDP client gets without EDNS.
pub const UDP_LIMIT: usize = 512;

/// The question of a query, with where it ends in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub id: u16,
    /// The header's second 16 bits (QR, opcode, AA, TC, RD, RA, rcode).
    pub flags: u16,
    /// The name as asked, dots between labels, no trailing dot.
    pub name: String,
    pub qtype: u16,
    pub qclass: u16,
    /// Offset just past the question section.
    pub end: usize,
}

impl Query {
    /// A standard query (opcode 0) asking exactly one question.
    pub fn is_standard(&self) -> bool {
        self.flags & 0x8000 == 0 && (self.flags >> 11) & 0xf == 0
    }
}

/// Parse the header and the first question of `msg`. `None` for anything
/// that is not a well-formed message with at least one question.
pub fn parse_query(msg: &[u8]) -> Option<Query> {
    if msg.len() < 12 {
        return None;
    }
    let id = u16::from_be_bytes([msg[0], msg[1]]);
    let flags = u16::from_be_bytes([msg[2], msg[3]]);
    let qdcount = u16::from_be_bytes([msg[4], msg[5]]);
    if qdcount == 0 {
        return None;
    }
    let mut at = 12;
    let mut labels: Vec<String> = Vec::new();
    loop {
        let len = *msg.get(at)? as usize;
        at += 1;
        if len == 0 {
            break;
        }
        // Compression pointers do not occur in a question that starts the
        // message; refuse them rather than follow them.
        if len & 0xc0 != 0 {
            return None;
        }
        let label = msg.get(at..at + len)?;
        labels.push(String::from_utf8_lossy(label).into_owned());
        at += len;
        if at > 12 + 255 {
            return None;
        }
    }
    let qtype = u16::from_be_bytes([*msg.get(at)?, *msg.get(at + 1)?]);
    let qclass = u16::from_be_bytes([*msg.get(at + 2)?, *msg.get(at + 3)?]);
    Some(Query {
        id,
        flags,
        name: labels.join("."),
        qtype,
        qclass,
        end: at + 4,
    })
}

/// One answer record's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rdata {
    Addr(IpAddr),
    /// A domain name, dots between labels.
    Name(String),
}

/// A reply to `query` (whose raw bytes are `msg`) with `rcode` and these
/// answers, all owned by the question's name. The question is copied; any
/// additional section of the query (EDNS) is not.
pub fn reply(msg: &[u8], query: &Query, rcode: u8, answers: &[Rdata]) -> Vec<u8> {
    let mut out = Vec::with_capacity(query.end + answers.len() * 32);
    out.extend_from_slice(&query.id.to_be_bytes());
    // QR, the opcode and RD as asked, AA, RA.
    let flags = 0x8000 | (query.flags & 0x7900) | 0x0400 | 0x0080 | u16::from(rcode & 0xf);
    out.extend_from_slice(&flags.to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&(answers.len() as u16).to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&msg[12..query.end]);
    for a in answers {
        // The owner is the question's name, at offset 12.
        out.extend_from_slice(&[0xc0, 12]);
        let (rtype, data) = match a {
            Rdata::Addr(IpAddr::V4(ip)) => (TYPE_A, ip.octets().to_vec()),
            Rdata::Addr(IpAddr::V6(ip)) => (TYPE_AAAA, ip.octets().to_vec()),
            Rdata::Name(n) => (TYPE_PTR, encode_name(n)),
        };
        out.extend_from_slice(&rtype.to_be_bytes());
        out.extend_from_slice(&CLASS_IN.to_be_bytes());
        out.extend_from_slice(&TTL.to_be_bytes());
        out.extend_from_slice(&(data.len() as u16).to_be_bytes());
        out.extend_from_slice(&data);
    }
    out
}

/// A header-only error reply for a message we could not read a question
/// from (only its ID is known).
pub fn error_reply(msg: &[u8], rcode: u8) -> Option<Vec<u8>> {
    if msg.len() < 12 {
        return None;
    }
    let mut out = vec![0u8; 12];
    out[..2].copy_from_slice(&msg[..2]);
    let flags = 0x8000 | (u16::from_be_bytes([msg[2], msg[3]]) & 0x7900) | u16::from(rcode);
    out[2..4].copy_from_slice(&flags.to_be_bytes());
    Some(out)
}

/// Set the truncation bit and drop the answers when a reply is larger than
/// a UDP client can take: it retries over TCP.
pub fn truncate_for_udp(mut reply: Vec<u8>, query: &Query) -> Vec<u8> {
    if reply.len() <= UDP_LIMIT {
        return reply;
    }
    reply.truncate(query.end);
    reply[2] |= 0x02;
    reply[6..12].fill(0);
    reply
}

fn encode_name(name: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len() + 2);
    for label in name.split('.').filter(|l| !l.is_empty()) {
        let bytes = &label.as_bytes()[..label.len().min(63)];
        out.push(bytes.len() as u8);
        out.extend_from_slice(bytes);
    }
    out.push(0);
    out
}

/// The address a reverse-lookup name stands for: `4.3.2.1.in-addr.arpa`
/// or the 32 nibbles of `....ip6.arpa` (case-insensitive).
pub fn ptr_address(name: &str) -> Option<IpAddr> {
    let lower = name.to_ascii_lowercase();
    if let Some(rest) = lower.strip_suffix(".in-addr.arpa") {
        let parts: Vec<u8> = rest
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        if parts.len() != 4 {
            return None;
        }
        return Some(IpAddr::V4(Ipv4Addr::new(
            parts[3], parts[2], parts[1], parts[0],
        )));
    }
    let rest = lower.strip_suffix(".ip6.arpa")?;
    let nibbles: Vec<u8> = rest
        .split('.')
        .map(|p| {
            (p.len() == 1)
                .then(|| u8::from_str_radix(p, 16).ok())
                .flatten()
        })
        .collect::<Option<_>>()?;
    if nibbles.len() != 32 {
        return None;
    }
    let mut octets = [0u8; 16];
    for (i, pair) in nibbles.rchunks(2).enumerate() {
        // rchunks of the reversed nibbles: [low, high] read from the end.
        octets[i] = (pair[1] << 4) | pair[0];
    }
    Some(IpAddr::V6(Ipv6Addr::from(octets)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query as `nslookup` sends it (RD set, one question, no EDNS).
    pub fn query(id: u16, name: &str, qtype: u16) -> Vec<u8> {
        let mut m = Vec::new();
        m.extend_from_slice(&id.to_be_bytes());
        m.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
        m.extend_from_slice(&encode_name(name));
        m.extend_from_slice(&qtype.to_be_bytes());
        m.extend_from_slice(&CLASS_IN.to_be_bytes());
        m
    }

    #[test]
    fn parses_a_question() {
        let m = query(0x1234, "Web.Net", TYPE_AAAA);
        let q = parse_query(&m).unwrap();
        assert_eq!(q.id, 0x1234);
        assert_eq!(q.name, "Web.Net");
        assert_eq!(q.qtype, TYPE_AAAA);
        assert_eq!(q.qclass, CLASS_IN);
        assert_eq!(q.end, m.len());
        assert!(q.is_standard());
        assert!(parse_query(&m[..m.len() - 1]).is_none());
        assert!(parse_query(&m[..10]).is_none());
    }

    #[test]
    fn builds_answers() {
        let m = query(7, "web", TYPE_A);
        let q = parse_query(&m).unwrap();
        let r = reply(
            &m,
            &q,
            RCODE_NOERROR,
            &[Rdata::Addr("10.1.0.2".parse().unwrap())],
        );
        assert_eq!(&r[..2], &[0, 7]);
        assert_eq!(r[2] & 0x80, 0x80, "QR");
        assert_eq!(r[2] & 0x01, 0x01, "RD copied");
        assert_eq!(r[3] & 0x0f, 0, "NOERROR");
        assert_eq!(&r[6..8], &[0, 1], "one answer");
        assert_eq!(&r[r.len() - 4..], &[10, 1, 0, 2]);
        let r = reply(&m, &q, RCODE_NOERROR, &[Rdata::Name("web.net".into())]);
        assert!(r.ends_with(&[3, b'w', b'e', b'b', 3, b'n', b'e', b't', 0]));
        let e = error_reply(&m, RCODE_SERVFAIL).unwrap();
        assert_eq!(e.len(), 12);
        assert_eq!(e[3] & 0x0f, RCODE_SERVFAIL);
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            ptr_address("2.0.1.10.IN-ADDR.ARPA"),
            Some("10.1.0.2".parse().unwrap())
        );
        let v6: Ipv6Addr = "fd00::1:2".parse().unwrap();
        let name = v6
            .octets()
            .iter()
            .rev()
            .flat_map(|o| [o & 0xf, o >> 4])
            .map(|n| format!("{n:x}"))
            .collect::<Vec<_>>()
            .join(".")
            + ".ip6.arpa";
        assert_eq!(ptr_address(&name), Some(IpAddr::V6(v6)));
        assert_eq!(ptr_address("1.2.3.in-addr.arpa"), None);
        assert_eq!(ptr_address("example.com"), None);
    }

    #[test]
    fn oversized_udp_replies_are_truncated() {
        let m = query(1, "web", TYPE_A);
        let q = parse_query(&m).unwrap();
        let answers: Vec<Rdata> = (0..40)
            .map(|i| Rdata::Addr(IpAddr::V4(Ipv4Addr::new(10, 0, 0, i))))
            .collect();
        let r = truncate_for_udp(reply(&m, &q, RCODE_NOERROR, &answers), &q);
        assert_eq!(r.len(), m.len());
        assert_eq!(r[2] & 0x02, 0x02);
    }
}
