//! Inference from a connection's first bytes (Pixie's rules, plus the messages a connection picked
//! up mid-stream or opened with TLS negotiation starts with):
//! - StartupMessage: BE length 9..=10240, protocol 3.0, then three bytes ≥ `'A'` (a parameter name);
//! - SSLRequest / GSSENCRequest alone in the chunk (exactly 8 bytes) — ours, so that the 4-chunk
//!   inference budget is not spent on the TLS negotiation;
//! - simple Query: `'Q'`, BE length 8..=30000, NUL-terminated when complete;
//! - Parse / Bind (ours, for connections picked up mid-stream with the extended protocol): a
//!   complete message whose fields account for its length exactly.
//!
//! All are requests.

use super::frame::{GSSENC_REQUEST, SSL_REQUEST, STARTUP, untagged_header};
use super::msg;
use crate::types::MessageKind;

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map(u32::from_be_bytes)
}

/// The protocol's inference rule.
pub(crate) fn infer(data: &[u8]) -> Option<MessageKind> {
    let ok = match data.first()? {
        0 => untagged(data),
        b'Q' => query(data),
        b'P' => complete(data)
            .is_some_and(|p| msg::parse(p).is_some_and(|m| !m.query.is_empty() && parse_len(&m) == p.len())),
        b'B' => complete(data).is_some_and(|p| msg::bind(p).is_some_and(|b| bind_len(&b) == p.len())),
        _ => false,
    };
    ok.then_some(MessageKind::Request)
}

fn untagged(data: &[u8]) -> bool {
    match untagged_header(data) {
        Some((STARTUP, _)) => data.get(8..11).is_some_and(|s| s.iter().all(|&b| b >= b'A')),
        Some((SSL_REQUEST | GSSENC_REQUEST, _)) => data.len() == 8,
        _ => false,
    }
}

fn query(data: &[u8]) -> bool {
    let Some(len) = be_u32(data, 1) else { return false };
    if !(8..=30_000).contains(&len) {
        return false;
    }
    match data.get(len as usize) {
        Some(&last) => last == 0,
        None => true,
    }
}

/// The payload of the complete message at the start of `data`.
fn complete(data: &[u8]) -> Option<&[u8]> {
    let len = be_u32(data, 1)? as usize;
    if !(4..=30_000).contains(&len) {
        return None;
    }
    data.get(5..1 + len)
}

fn parse_len(m: &msg::Parse) -> usize {
    m.name.len() + 1 + m.query.len() + 1 + 2 + 4 * m.param_oids.len()
}

fn bind_len(b: &msg::Bind) -> usize {
    b.portal.len()
        + 1
        + b.statement.len()
        + 1
        + 2
        + 2 * b.param_formats
        + 2
        + 2
        + 2 * b.result_binary.len()
        + b.params
            .iter()
            .map(|p| 4 + p.value.as_ref().map_or(0, Vec::len))
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixie_rules() {
        let mut startup = vec![0, 0, 0, 0, 0, 3, 0, 0];
        startup.extend_from_slice(b"user\0postgres\0\0");
        let len = startup.len() as u32;
        startup[..4].copy_from_slice(&len.to_be_bytes());
        assert_eq!(infer(&startup), Some(MessageKind::Request));
        assert_eq!(infer(b"Q\0\0\0\x0dselect 1\0"), Some(MessageKind::Request));
        assert_eq!(infer(b"Q\0\0\0\x0dselect 1X"), None);
        assert_eq!(infer(&[0, 0, 0, 8, 4, 210, 22, 47]), Some(MessageKind::Request));
        assert_eq!(infer(&[0, 0, 0, 8, 4, 210, 22, 47, 0]), None);
        assert_eq!(infer(b"GET / HTTP/1.1\r\n"), None);
        assert_eq!(infer(b""), None);
    }

    #[test]
    fn extended_protocol_mid_stream() {
        let parse = b"P\0\0\0\x15\0select $1\0\0\x01\0\0\0\x17";
        assert_eq!(infer(parse), Some(MessageKind::Request));
        let mut bad = parse.to_vec();
        bad.push(0);
        bad[4] += 1;
        assert_eq!(infer(&bad), None);
        // Bind: unnamed portal and statement, no formats, one text parameter "7", no result formats.
        let bind = b"B\0\0\0\x11\0\0\0\0\0\x01\0\0\0\x017\0\0";
        assert_eq!(infer(bind), Some(MessageKind::Request));
    }
}
