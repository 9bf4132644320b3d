//! Recognising Redis on a connection's first bytes.
//!
//! Pixie accepts any chunk that starts with `+ - : $ *` and ends with CRLF. Seer is stricter:
//! - a **request** is an array of bulk strings whose first one (the command name, read in full) is
//!   1–64 bytes of letters, digits and `. _ - | :` starting with a letter: `*<n>\r\n$<m>\r\n<name>\r\n`;
//!   the rest of the command may still be on its way;
//! - a **response** is one or more complete RESP2/RESP3 values filling the chunk exactly and ending
//!   with CRLF, where a simple string is printable text and an error starts with an upper-case
//!   letter (Redis error codes: `ERR`, `WRONGTYPE`, …); or, for a large reply cut by the capture,
//!   a bulk string header `$<n>\r\n` followed by at least 16 bytes of its payload.
//!
//! Inline commands (`PING\r\n`) are parsed on connections already known to be Redis but are not
//! used for inference: too many text protocols look like them.

use super::decoder::{Decoder, Limits, Step, parse_int};
use super::inline::command_like;
use crate::stream::ByteStream;
use crate::types::MessageKind;

/// Reads one CRLF-terminated line starting at `at`; returns it and the index after the CRLF.
fn line_at(data: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let rest = data.get(at..)?;
    let nl = rest.windows(2).take(64).position(|w| w == b"\r\n")?;
    Some((rest.get(..nl)?, at + nl + 2))
}

/// `*<n>\r\n$<m>\r\n<command name>\r\n…`
fn is_request(data: &[u8]) -> bool {
    let Some((count, at)) = data.strip_prefix(b"*").and_then(|_| line_at(data, 1)) else {
        return false;
    };
    if !parse_int(count).is_some_and(|n| (1..=1 << 20).contains(&n)) {
        return false;
    }
    let Some((len, at)) = data.get(at).filter(|&&b| b == b'$').and_then(|_| line_at(data, at + 1)) else {
        return false;
    };
    let Some(len) = parse_int(len).and_then(|n| usize::try_from(n).ok()) else {
        return false;
    };
    let name = data.get(at..at + len);
    name.is_some_and(command_like) && data.get(at + len..at + len + 2) == Some(b"\r\n")
}

fn plausible_first_line(data: &[u8]) -> bool {
    let line = data.get(1..).unwrap_or_default();
    let line = line
        .get(..line.iter().position(|&b| b == b'\r').unwrap_or(line.len()))
        .unwrap_or_default();
    match data.first() {
        Some(b'+') => line.iter().all(|b| (0x20..0x7F).contains(b)),
        Some(b'-') => line.first().is_some_and(u8::is_ascii_uppercase),
        _ => true,
    }
}

/// Complete values filling `data` exactly.
fn is_response(data: &[u8]) -> bool {
    if !data.ends_with(b"\r\n") || !plausible_first_line(data) {
        return false;
    }
    let mut s = ByteStream::default();
    s.push(0, data);
    let mut d = Decoder::default();
    let lim = Limits {
        max_string: 64,
        max_retained: 4096,
    };
    let mut values = 0;
    loop {
        match d.step(&mut s, false, lim) {
            Step::Value(_) => values += 1,
            Step::NeedMore => return values > 0 && !d.in_value() && s.len() == 0,
            Step::Invalid => return false,
        }
    }
}

/// A bulk string header and a good part of its payload.
fn is_large_bulk(data: &[u8]) -> bool {
    let Some((len, at)) = data.strip_prefix(b"$").and_then(|_| line_at(data, 1)) else {
        return false;
    };
    parse_int(len)
        .and_then(|n| usize::try_from(n).ok())
        .is_some_and(|n| n + 2 > data.len() - at)
        && data.len() >= at + 16
}

/// Protocol inference.
pub(crate) fn infer(data: &[u8]) -> Option<MessageKind> {
    if is_request(data) {
        Some(MessageKind::Request)
    } else if is_response(data) || is_large_bulk(data) {
        Some(MessageKind::Response)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_responses() {
        assert_eq!(infer(b"*1\r\n$4\r\nPING\r\n"), Some(MessageKind::Request));
        assert_eq!(
            infer(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nabc"),
            Some(MessageKind::Request)
        );
        assert_eq!(
            infer(b"*2\r\n$7\r\nCOMMAND\r\n$4\r\nDOCS\r\n"),
            Some(MessageKind::Request)
        );
        assert_eq!(infer(b"+OK\r\n"), Some(MessageKind::Response));
        assert_eq!(infer(b"+OK\r\n:1\r\n"), Some(MessageKind::Response));
        assert_eq!(infer(b"-ERR unknown command\r\n"), Some(MessageKind::Response));
        assert_eq!(infer(b"$-1\r\n"), Some(MessageKind::Response));
        assert_eq!(infer(b"*2\r\n:5\r\n$1\r\na\r\n"), Some(MessageKind::Response));
        assert_eq!(infer(b"%1\r\n+a\r\n#t\r\n"), Some(MessageKind::Response));
        assert_eq!(infer(b"$100000\r\n0123456789abcdef"), Some(MessageKind::Response));
    }

    #[test]
    fn lookalikes_are_not_redis() {
        for not in [
            &b"PING\r\n"[..],
            b"GET / HTTP/1.1\r\n\r\n",
            b"*1\r\n$4\r\n12AB",
            b"+OK\r\n+",
            b"-err lower\r\n",
            b"+bad\x01\r\n",
            b":1\r\n:",
            b"$5\r\nabc\r\n",
            b"*2\r\n:1\r\n",
            b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03",
            b"",
        ] {
            assert_eq!(infer(not), None, "{not:?}");
        }
    }
}
