//! Inference from a connection's first bytes.
//!
//! Pixie's rule: a packet header with a payload length of 1..=10000 and sequence id 0 whose command
//! byte is `COM_QUERY`, `COM_CONNECT`, `COM_STMT_PREPARE`, `COM_STMT_EXECUTE` or `COM_STMT_CLOSE`
//! → request; a chunk that is only such a header (a server reading the header on its own) → request. Ours in addition: the server greeting (protocol version 10, a NUL-terminated version
//! string that starts with a digit, the packet exactly filling the chunk) → response. Without it a
//! traced server that reads packet headers separately (MariaDB does) spends the collector's
//! 4-chunk inference budget on the handshake before the first command arrives.

use crate::types::MessageKind;

/// The protocol's inference rule.
pub(crate) fn infer(data: &[u8]) -> Option<MessageKind> {
    classify(data, true)
}

/// The rule; `exact` requires a greeting to fill `data` exactly (inference on one chunk). Sessions
/// with an unknown role use it without, on the bytes buffered so far.
pub(crate) fn classify(data: &[u8], exact: bool) -> Option<MessageKind> {
    if exact && let [a, b, c, 0] = *data {
        // A packet header read on its own (servers read the header, then the payload): Pixie keeps it
        // and checks the command byte in the next read; a session can only start at a chunk, so we
        // accept the lone header of a plausible command length.
        let len = usize::from(a) | usize::from(b) << 8 | usize::from(c) << 16;
        return (1..=10_000).contains(&len).then_some(MessageKind::Request);
    }
    let h = data.get(..5)?;
    let len = usize::from(h[0]) | usize::from(h[1]) << 8 | usize::from(h[2]) << 16;
    if h[3] != 0 {
        return None;
    }
    if (1..=10_000).contains(&len) && matches!(h[4], 0x03 | 0x0b | 0x16 | 0x17 | 0x19) {
        return Some(MessageKind::Request);
    }
    greeting(data, len, exact).then_some(MessageKind::Response)
}

fn greeting(data: &[u8], len: usize, exact: bool) -> bool {
    let fits = if exact {
        data.len() == 4 + len
    } else {
        data.len() >= 4 + len
    };
    if !fits || !(32..=1024).contains(&len) || data.get(4) != Some(&0x0a) {
        return false;
    }
    let version = data.get(5..4 + len).unwrap_or_default();
    let Some(end) = version.iter().position(|&b| b == 0) else {
        return false;
    };
    let v = version.get(..end).unwrap_or_default();
    v.first().is_some_and(u8::is_ascii_digit) && v.iter().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkt(seq: u8, payload: &[u8]) -> Vec<u8> {
        let n = payload.len();
        let mut v = vec![n as u8, (n >> 8) as u8, (n >> 16) as u8, seq];
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn commands_and_greeting() {
        assert_eq!(infer(&pkt(0, b"\x03select 1")), Some(MessageKind::Request));
        assert_eq!(infer(&pkt(0, b"\x16select ?")), Some(MessageKind::Request));
        assert_eq!(infer(&pkt(1, b"\x03select 1")), None);
        assert_eq!(infer(&pkt(0, b"\x0e")), None, "COM_PING is not in Pixie's list");
        let mut g = b"\x0a10.11.19-MariaDB-0+deb12u1\0".to_vec();
        g.extend_from_slice(&[1u8; 40]);
        assert_eq!(infer(&pkt(0, &g)), Some(MessageKind::Response));
        let mut trailing = pkt(0, &g);
        trailing.push(0);
        assert_eq!(infer(&trailing), None);
        assert_eq!(infer(b"GET / HTTP/1.1\r\n"), None);
        assert_eq!(infer(b"\x03\0\0"), None);
        assert_eq!(infer(b"\x11\0\0\0"), Some(MessageKind::Request), "lone header");
        assert_eq!(infer(b"\x11\0\0\x01"), None);
        assert_eq!(infer(b"\0\0\0\0"), None);
    }
}
