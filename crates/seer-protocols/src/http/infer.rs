//! Recognising the start of an HTTP/1.x message: used for protocol inference and for finding the
//! next message boundary after a gap or garbage.
//!
//! Rule (stricter than Pixie's BPF check, which only knows five methods, and than its user-space
//! resync, which knows nine):
//! - response: `HTTP/1.<d> <ddd>` followed by a space or line end;
//! - request: a method token of 1–32 chars `[A-Z][A-Z0-9_-]*`, one space, a request target that is
//!   origin-form (`/…`), asterisk-form (`*`), absolute-form (`scheme://…`) or, for `CONNECT` only,
//!   authority-form (`host:port`), one space, `HTTP/1.<d>` and a line end. Any method token is
//!   accepted once the whole request line is there; before that only well-known methods are
//!   accepted, and only once the first byte of the target has been seen.
//!   `PRI * HTTP/2.0` (the HTTP/2 preface) is rejected by the version check.

use crate::types::MessageKind;

/// How a byte slice relates to the start of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// A message starts here.
    Yes,
    /// No message starts here.
    No,
    /// So far so good; more bytes are needed to decide. `confident` when enough was seen for
    /// protocol inference to accept it.
    NeedMore { confident: bool },
}

const MAX_METHOD_LEN: usize = 32;
const MAX_TARGET_LEN: usize = 64 * 1024;

/// Methods accepted before the request line is complete (IANA registry, common ones).
const KNOWN_METHODS: &[&[u8]] = &[
    b"GET",
    b"HEAD",
    b"POST",
    b"PUT",
    b"DELETE",
    b"CONNECT",
    b"OPTIONS",
    b"TRACE",
    b"PATCH",
    b"PROPFIND",
    b"PROPPATCH",
    b"MKCOL",
    b"COPY",
    b"MOVE",
    b"LOCK",
    b"UNLOCK",
    b"REPORT",
    b"SEARCH",
    b"PURGE",
    b"QUERY",
];

/// Classifies `data` as the start of a message of `kind`.
pub(crate) fn classify(kind: MessageKind, data: &[u8]) -> Start {
    match kind {
        MessageKind::Request => classify_request(data),
        MessageKind::Response => classify_response(data),
    }
}

/// Protocol inference on a connection's first bytes.
pub(crate) fn infer(data: &[u8]) -> Option<MessageKind> {
    for kind in [MessageKind::Response, MessageKind::Request] {
        match classify(kind, data) {
            Start::Yes | Start::NeedMore { confident: true } => return Some(kind),
            Start::No | Start::NeedMore { confident: false } => {}
        }
    }
    None
}

/// Matches `data` against a sequence of byte classes.
fn match_classes(data: &[u8], classes: &[fn(u8) -> bool]) -> Option<bool> {
    for (i, class) in classes.iter().enumerate() {
        match data.get(i) {
            None => return None,
            Some(&b) if !class(b) => return Some(false),
            Some(_) => {}
        }
    }
    Some(true)
}

fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

/// `HTTP/1.<d>`: `Some(true)` matched, `Some(false)` mismatch, `None` too short.
fn match_version(data: &[u8]) -> Option<bool> {
    const PREFIX: &[u8] = b"HTTP/1.";
    let n = data.len().min(PREFIX.len());
    if data.get(..n) != PREFIX.get(..n) {
        return Some(false);
    }
    data.get(PREFIX.len()).map(u8::is_ascii_digit)
}

fn classify_response(data: &[u8]) -> Start {
    match match_version(data) {
        Some(false) => return Start::No,
        None => return Start::NeedMore { confident: false },
        Some(true) => {}
    }
    let rest = data.get(8..).unwrap_or_default();
    let classes: [fn(u8) -> bool; 5] = [
        |b| b == b' ',
        is_digit,
        is_digit,
        is_digit,
        |b| matches!(b, b' ' | b'\r' | b'\n'),
    ];
    match match_classes(rest, &classes) {
        Some(true) => Start::Yes,
        Some(false) => Start::No,
        None => Start::NeedMore {
            confident: !rest.is_empty(),
        },
    }
}

fn is_method_char(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
}

fn is_target_char(b: u8) -> bool {
    b > b' ' && b != 0x7f
}

fn classify_request(data: &[u8]) -> Start {
    let need = |confident| Start::NeedMore { confident };
    match data.first() {
        None => return need(false),
        Some(b) if !b.is_ascii_uppercase() => return Start::No,
        Some(_) => {}
    }
    let method_len = data.iter().take_while(|&&b| is_method_char(b)).count();
    if method_len > MAX_METHOD_LEN {
        return Start::No;
    }
    let Some(&sep) = data.get(method_len) else {
        return need(false);
    };
    if sep != b' ' {
        return Start::No;
    }
    let method = data.get(..method_len).unwrap_or_default();
    let known = KNOWN_METHODS.contains(&method);
    let target = data.get(method_len + 1..).unwrap_or_default();
    match target.first() {
        None => return need(false),
        Some(b'/' | b'*') => {}
        Some(b) if b.is_ascii_alphabetic() => {
            if method != b"CONNECT" {
                match absolute_form(target) {
                    Some(false) => return Start::No,
                    None => return need(false),
                    Some(true) => {}
                }
            }
        }
        Some(_) => return Start::No,
    }
    let target_len = target.iter().take_while(|&&b| is_target_char(b)).count();
    if target_len > MAX_TARGET_LEN {
        return Start::No;
    }
    let Some(&sep) = target.get(target_len) else {
        return need(known);
    };
    if sep != b' ' {
        return Start::No;
    }
    let version = target.get(target_len + 1..).unwrap_or_default();
    match match_version(version) {
        Some(false) => return Start::No,
        None => return need(known),
        Some(true) => {}
    }
    match (version.get(8), version.get(9)) {
        (Some(b'\n'), _) | (Some(b'\r'), Some(b'\n')) => Start::Yes,
        (None, _) | (Some(b'\r'), None) => need(known),
        _ => Start::No,
    }
}

/// `scheme://` at the start of `target`.
fn absolute_form(target: &[u8]) -> Option<bool> {
    let scheme_len = target
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        .count();
    if scheme_len > 32 {
        return Some(false);
    }
    let rest = target.get(scheme_len..).unwrap_or_default();
    const SEP: &[u8] = b"://";
    let n = rest.len().min(SEP.len());
    if rest.get(..n) != SEP.get(..n) {
        return Some(false);
    }
    (n == SEP.len()).then_some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MessageKind::{Request, Response};

    #[test]
    fn responses() {
        assert_eq!(classify(Response, b"HTTP/1.1 200 OK\r\n"), Start::Yes);
        assert_eq!(classify(Response, b"HTTP/1.0 404\r\n"), Start::Yes);
        assert_eq!(classify(Response, b"HTTP/1.1 20"), Start::NeedMore { confident: true });
        assert_eq!(classify(Response, b"HTT"), Start::NeedMore { confident: false });
        assert_eq!(classify(Response, b"HTTP/2 200 OK"), Start::No);
        assert_eq!(classify(Response, b"HTTP/1.1 2000"), Start::No);
        assert_eq!(classify(Response, b"GET / HTTP/1.1\r\n"), Start::No);
    }

    #[test]
    fn requests_with_any_method_token() {
        for line in [
            "GET / HTTP/1.1\r\n",
            "M-SEARCH * HTTP/1.1\r\n",
            "BREW /pot HTTP/1.1\n",
            "OPTIONS * HTTP/1.0\r\n",
            "GET http://example.com/x HTTP/1.1\r\n",
            "CONNECT example.com:443 HTTP/1.1\r\n",
            "VERSION-CONTROL /a?b=c HTTP/1.1\r\n",
        ] {
            assert_eq!(classify(Request, line.as_bytes()), Start::Yes, "{line}");
        }
    }

    #[test]
    fn rejects_non_http() {
        for data in [
            &b"get / HTTP/1.1\r\n"[..],
            b"GET  / HTTP/1.1\r\n",
            b"GET / HTTP/2.0\r\n",
            b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            b"GET example.com HTTP/1.1\r\n",
            b"GET / HTTP/1.1 extra\r\n",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
            b"*3\r\n$3\r\nSET\r\n",
            b"SELECT 1;",
        ] {
            assert_eq!(classify(Request, data), Start::No, "{}", String::from_utf8_lossy(data));
            assert_eq!(infer(data), None, "{}", String::from_utf8_lossy(data));
        }
    }

    #[test]
    fn inference_on_partial_lines() {
        assert_eq!(infer(b"GET /index.html"), Some(Request));
        assert_eq!(infer(b"BREW /pot"), None, "unknown method needs the whole line");
        assert_eq!(infer(b"BREW /pot HTTP/1.1\r\n"), Some(Request));
        assert_eq!(infer(b"GET "), None);
        assert_eq!(infer(b"HTTP/1.1 200 OK\r\n"), Some(Response));
        assert_eq!(infer(b"HTTP/1.1"), None);
        assert_eq!(infer(b""), None);
    }
}
