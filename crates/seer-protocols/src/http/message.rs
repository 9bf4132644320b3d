//! Parsed HTTP/1.x messages: heads (via `httparse`), body capture and body framing.

use crate::types::{MessageKind, ProtocolConfig};

/// Headers per message `httparse` is given room for; more is a parse error.
const MAX_HEADERS: usize = 128;

/// Why bytes are not an HTTP message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Invalid;

/// Byte range of a piece of [`Head::text`].
type Span = (u32, u32);

/// Start line and header fields of a message.
///
/// Every piece (method, target, reason, field names and values) lives in one string, `text`,
/// with spans into it: two allocations per head instead of two per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Head {
    pub(crate) minor_version: u8,
    pub(crate) status: u16,
    text: String,
    method: Span,
    path: Span,
    reason: Span,
    /// Fields in arrival order (name as sent, value lossily decoded), trailers appended.
    fields: Vec<(Span, Span)>,
    /// First `Content-Type` / `Content-Encoding` values, found once when the head is built: every
    /// message asks for them several times (framing, body display, the `content_type` column).
    content_type: Option<Span>,
    content_encoding: Option<Span>,
}

impl Head {
    fn piece(&self, (from, to): Span) -> &str {
        self.text.get(from as usize..to as usize).unwrap_or_default()
    }

    /// A piece as bytes: no character-boundary checks, for name comparisons.
    fn bytes(&self, (from, to): Span) -> &[u8] {
        self.text.as_bytes().get(from as usize..to as usize).unwrap_or_default()
    }

    /// Spans of the values of the fields named `name` (ASCII case-insensitive).
    fn values_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = Span> + 'a {
        self.fields
            .iter()
            .filter(move |&&(n, _)| self.bytes(n).eq_ignore_ascii_case(name.as_bytes()))
            .map(|&(_, v)| v)
    }

    /// Appends `bytes` (lossily decoded) to the text; its span.
    fn push(&mut self, bytes: &[u8]) -> Span {
        let from = self.text.len();
        crate::text::push_utf8_lossy(&mut self.text, bytes);
        (span_end(from), span_end(self.text.len()))
    }

    /// Request method (empty for responses).
    pub(crate) fn method(&self) -> &str {
        self.piece(self.method)
    }

    /// Request target as sent (empty for responses).
    pub(crate) fn path(&self) -> &str {
        self.piece(self.path)
    }

    /// Reason phrase (empty for requests).
    pub(crate) fn reason(&self) -> &str {
        self.piece(self.reason)
    }

    /// Appends a header field (a trailer, after the body).
    pub(crate) fn push_field(&mut self, name: &[u8], value: &[u8]) {
        let n = self.push(name);
        let v = self.push(value);
        self.fields.push((n, v));
        self.note_known(n, v);
    }

    /// Remembers `(n, v)` if it is the first `Content-Type` or `Content-Encoding`.
    fn note_known(&mut self, n: Span, v: Span) {
        let name = self.bytes(n);
        let slot = if name.eq_ignore_ascii_case(b"content-type") {
            &mut self.content_type
        } else if name.eq_ignore_ascii_case(b"content-encoding") {
            &mut self.content_encoding
        } else {
            return;
        };
        slot.get_or_insert(v);
    }

    /// First `Content-Type` value.
    pub(crate) fn content_type(&self) -> Option<&str> {
        self.content_type.map(|v| self.piece(v))
    }

    /// First `Content-Encoding` value.
    pub(crate) fn content_encoding(&self) -> Option<&str> {
        self.content_encoding.map(|v| self.piece(v))
    }

    /// Header fields in arrival order.
    pub(crate) fn fields(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.fields.iter().map(|&(n, v)| (self.piece(n), self.piece(v)))
    }

    /// First value of a header, by case-insensitive name.
    #[cfg(test)]
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values_of(name).next().map(|v| self.piece(v))
    }

    /// Every value of a header, by case-insensitive name.
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values_of(name).map(|v| self.piece(v))
    }

    /// `true` for 1xx responses other than `101 Switching Protocols` (skipped by the stitcher).
    pub(crate) fn is_interim(&self) -> bool {
        (100..200).contains(&self.status) && self.status != 101
    }

    /// Approximate heap bytes held.
    pub(crate) fn held_bytes(&self) -> usize {
        self.text.capacity() + self.fields.capacity() * std::mem::size_of::<(Span, Span)>()
    }

    /// A head with these pieces (start line and fields, all sub-slices of `raw`), as
    /// [`parse_head`] builds it. A valid UTF-8 head (the usual case) is copied once and the pieces
    /// point into the copy; otherwise each piece is decoded lossily on its own.
    fn build<'h>(
        minor_version: u8,
        status: u16,
        raw: &'h [u8],
        start: [&'h [u8]; 3],
        fields: impl ExactSizeIterator<Item = (&'h [u8], &'h [u8])> + Clone,
    ) -> Self {
        let mut h = Head {
            minor_version,
            status,
            ..Head::default()
        };
        if let Ok(text) = std::str::from_utf8(raw) {
            let at = |piece: &[u8]| -> Option<Span> {
                if piece.is_empty() {
                    return Some((0, 0));
                }
                let from = (piece.as_ptr() as usize).checked_sub(raw.as_ptr() as usize)?;
                let to = from.checked_add(piece.len()).filter(|&to| to <= raw.len())?;
                Some((span_end(from), span_end(to)))
            };
            // Sized up front (collecting into `Option<Vec>` cannot know the length and grows).
            let mut spans = Some(Vec::with_capacity(fields.len()));
            for (n, v) in fields.clone() {
                match (at(n), at(v), spans.as_mut()) {
                    (Some(n), Some(v), Some(out)) => out.push((n, v)),
                    _ => spans = None,
                }
            }
            if let (Some(m), Some(p), Some(r), Some(spans)) = (at(start[0]), at(start[1]), at(start[2]), spans) {
                h.text = text.to_owned();
                (h.method, h.path, h.reason) = (m, p, r);
                for &(n, v) in &spans {
                    h.note_known(n, v);
                }
                h.fields = spans;
                return h;
            }
        }
        let [method, path, reason] = start;
        h.fields.reserve_exact(fields.len());
        h.method = h.push(method);
        h.path = h.push(path);
        h.reason = h.push(reason);
        for (n, v) in fields {
            h.push_field(n, v);
        }
        h
    }
}

/// Heads are capped far below 4 GiB; a span end never saturates in practice.
fn span_end(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn fields_of<'h>(hs: &'h [httparse::Header<'h>]) -> impl ExactSizeIterator<Item = (&'h [u8], &'h [u8])> + Clone {
    hs.iter().map(|h| (h.name.as_bytes(), h.value))
}

/// Parses a complete head (`data` ends with the empty line). `Err` if it is not a valid head.
pub(crate) fn parse_head(kind: MessageKind, data: &[u8]) -> Result<Head, Invalid> {
    let mut hs = [httparse::EMPTY_HEADER; MAX_HEADERS];
    match kind {
        MessageKind::Request => {
            let mut req = httparse::Request::new(&mut hs);
            match req.parse(data) {
                Ok(httparse::Status::Complete(_)) => Ok(Head::build(
                    req.version.unwrap_or(1),
                    0,
                    data,
                    [
                        req.method.unwrap_or_default().as_bytes(),
                        req.path.unwrap_or_default().as_bytes(),
                        b"",
                    ],
                    fields_of(req.headers),
                )),
                _ => Err(Invalid),
            }
        }
        MessageKind::Response => {
            let mut resp = httparse::Response::new(&mut hs);
            let mut cfg = httparse::ParserConfig::default();
            cfg.allow_spaces_after_header_name_in_responses(true)
                .allow_obsolete_multiline_headers_in_responses(true);
            match cfg.parse_response(&mut resp, data) {
                Ok(httparse::Status::Complete(_)) => Ok(Head::build(
                    resp.version.unwrap_or(1),
                    resp.code.unwrap_or_default(),
                    data,
                    [b"", b"", resp.reason.unwrap_or_default().as_bytes()],
                    fields_of(resp.headers),
                )),
                _ => Err(Invalid),
            }
        }
    }
}

/// Length of the head at the start of `data` (through the empty line), searching from `from`.
pub(crate) fn find_head_end(data: &[u8], from: usize) -> Option<usize> {
    let start = from.saturating_sub(3);
    let tail = data.get(start..)?;
    let mut i = 0;
    while let Some(off) = tail.get(i..).and_then(|t| t.iter().position(|&b| b == b'\n')) {
        let nl = i + off;
        match (tail.get(nl + 1), tail.get(nl + 2)) {
            (Some(b'\n'), _) => return Some(start + nl + 2),
            (Some(b'\r'), Some(b'\n')) => return Some(start + nl + 3),
            _ => i = nl + 1,
        }
    }
    None
}

/// How a message body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// No body.
    None,
    /// Exactly this many bytes.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Until the connection closes (responses without length).
    UntilClose,
}

/// The request facts a response's framing depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct RequestFacts {
    pub(crate) head: bool,
    pub(crate) connect: bool,
}

fn is_chunked(head: &Head) -> Option<bool> {
    let codings = head
        .all("transfer-encoding")
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let last = codings.last()?;
    Some(last.eq_ignore_ascii_case("chunked"))
}

fn content_length(head: &Head) -> Result<Option<u64>, Invalid> {
    let mut found = None;
    for v in head.all("content-length").flat_map(|v| v.split(',')) {
        let v = v.trim();
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Invalid);
        }
        let n: u64 = v.parse().map_err(|_| Invalid)?;
        if found.is_some_and(|f| f != n) {
            return Err(Invalid);
        }
        found = Some(n);
    }
    Ok(found)
}

/// Body framing of a request (RFC 9112 §6.3): chunked, Content-Length, else none.
pub(crate) fn request_framing(head: &Head) -> Result<Framing, Invalid> {
    match is_chunked(head) {
        Some(true) => return Ok(Framing::Chunked),
        Some(false) => return Err(Invalid),
        None => {}
    }
    Ok(match content_length(head)? {
        Some(0) | None => Framing::None,
        Some(n) => Framing::Length(n),
    })
}

/// Body framing of a response to a request with `req` facts (`None` when unknown).
pub(crate) fn response_framing(head: &Head, req: RequestFacts) -> Result<Framing, Invalid> {
    let s = head.status;
    if (100..200).contains(&s) || s == 204 || s == 304 || req.head || (req.connect && (200..300).contains(&s)) {
        return Ok(Framing::None);
    }
    match is_chunked(head) {
        Some(true) => return Ok(Framing::Chunked),
        Some(false) => return Ok(Framing::UntilClose),
        None => {}
    }
    Ok(match content_length(head)? {
        Some(0) => Framing::None,
        Some(n) => Framing::Length(n),
        None => Framing::UntilClose,
    })
}

/// The part of a body kept for display, and its full size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Body {
    /// First bytes of the (de-chunked) body.
    pub(crate) captured: Vec<u8>,
    /// Bytes to capture at most.
    pub(crate) cap: usize,
    /// Full de-chunked size.
    pub(crate) size: u64,
    /// Some of the body was lost in a gap.
    pub(crate) lost: bool,
}

impl Body {
    /// A body capture sized for how it will be displayed.
    pub(crate) fn for_head(head: &Head, cfg: &ProtocolConfig) -> Self {
        let gzip = head.content_encoding().is_some_and(super::body::is_gzip);
        let form = head.content_type().is_some_and(super::body::is_form);
        // +3: a multi-byte UTF-8 char cut at the display limit is still decoded whole.
        let cap = if gzip {
            cfg.max_inflate_input_bytes
        } else if form {
            cfg.max_body_bytes.saturating_mul(3).saturating_add(3)
        } else {
            cfg.max_body_bytes.saturating_add(3)
        };
        Self { cap, ..Self::default() }
    }

    /// Appends body bytes.
    pub(crate) fn add(&mut self, data: &[u8]) {
        self.size = self.size.saturating_add(data.len() as u64);
        let room = self.cap.saturating_sub(self.captured.len());
        if room > 0 && !self.lost {
            self.captured
                .extend_from_slice(data.get(..room.min(data.len())).unwrap_or_default());
        }
    }

    /// Records `n` body bytes lost in a gap.
    pub(crate) fn skip(&mut self, n: u64) {
        self.size = self.size.saturating_add(n);
        self.lost = true;
    }
}

/// A complete message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Message {
    pub(crate) kind: MessageKind,
    pub(crate) head: Head,
    pub(crate) body: Body,
    /// Time of the event carrying the first byte.
    pub(crate) start_ts: u64,
    /// Time of the event carrying the last byte.
    pub(crate) end_ts: u64,
    /// The first message parsed after a gap in its direction.
    pub(crate) after_gap: bool,
    /// Bytes on the wire (head + framed body), for accounting.
    pub(crate) wire_bytes: u64,
}

impl Message {
    /// Approximate heap bytes held.
    pub(crate) fn held_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.head.held_bytes() + self.body.captured.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &str) -> Head {
        let kind = if raw.starts_with("HTTP/") {
            MessageKind::Response
        } else {
            MessageKind::Request
        };
        parse_head(kind, raw.as_bytes()).expect("valid head")
    }

    #[test]
    fn content_type_and_encoding_are_the_first_values_in_any_case() {
        let h = head("HTTP/1.1 200 OK\r\ncontent-TYPE: text/a\r\nContent-Type: text/b\r\nX: y\r\n\r\n");
        assert_eq!((h.content_type(), h.content_encoding()), (Some("text/a"), None));
        // Invalid UTF-8 takes the piecewise path; a trailer can add what the head lacked.
        let raw = b"HTTP/1.1 200 OK\r\nX-Bin: \xff\r\nContent-Encoding: gzip\r\n\r\n";
        let mut h = parse_head(MessageKind::Response, raw).expect("valid head");
        assert_eq!((h.content_type(), h.content_encoding()), (None, Some("gzip")));
        h.push_field(b"Content-Type", b"application/json");
        h.push_field(b"Content-Encoding", b"br");
        assert_eq!(
            (h.content_type(), h.content_encoding()),
            (Some("application/json"), Some("gzip"))
        );
    }

    #[test]
    fn pieces_of_valid_and_invalid_utf8_heads() {
        let h = head("POST /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Two:  v  w \r\n\r\n");
        assert_eq!((h.method(), h.path(), h.reason()), ("POST", "/a?b=1", ""));
        assert_eq!(h.fields().collect::<Vec<_>>(), vec![("Host", "x"), ("X-Two", "v  w")]);
        let raw = b"HTTP/1.1 404 Nicht da\r\nX-Bin: a\xfeb\r\nServer: s\r\n\r\n";
        let mut h = parse_head(MessageKind::Response, raw).expect("valid head");
        assert_eq!((h.status, h.reason()), (404, "Nicht da"));
        assert_eq!(h.get("x-bin"), Some("a\u{fffd}b"));
        assert_eq!(h.get("SERVER"), Some("s"));
        h.push_field(b"Expires", b"never");
        assert_eq!(h.all("expires").collect::<Vec<_>>(), vec!["never"]);
    }

    #[test]
    fn finds_head_end_with_crlf_or_lf() {
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nbody", 0), Some(24));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\nA: b\n\nbody", 0), Some(21));
        assert_eq!(find_head_end(b"GET / HTTP/1.1\r\nA: b\r\n", 0), None);
        let data = b"GET / HTTP/1.1\r\nA: b\r\n\r\n";
        assert_eq!(find_head_end(data, 22), Some(24));
    }

    #[test]
    fn framing_rules() {
        let h = head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        assert_eq!(response_framing(&h, RequestFacts::default()), Ok(Framing::Length(5)));
        assert_eq!(
            response_framing(
                &h,
                RequestFacts {
                    head: true,
                    connect: false
                }
            ),
            Ok(Framing::None)
        );
        let h = head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n\r\n");
        assert_eq!(response_framing(&h, RequestFacts::default()), Ok(Framing::Chunked));
        let h = head("HTTP/1.0 200 OK\r\n\r\n");
        assert_eq!(response_framing(&h, RequestFacts::default()), Ok(Framing::UntilClose));
        for s in ["204 No Content", "304 Not Modified", "100 Continue"] {
            let h = head(&format!("HTTP/1.1 {s}\r\nContent-Length: 9\r\n\r\n"));
            assert_eq!(response_framing(&h, RequestFacts::default()), Ok(Framing::None), "{s}");
        }
        let h = head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n");
        assert_eq!(response_framing(&h, RequestFacts::default()), Err(Invalid));
        let h = head("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
        assert_eq!(response_framing(&h, RequestFacts::default()), Err(Invalid));
        let h = head("POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\n");
        assert_eq!(request_framing(&h), Ok(Framing::Length(3)));
        let h = head("GET /x HTTP/1.1\r\n\r\n");
        assert_eq!(request_framing(&h), Ok(Framing::None));
        let h = head("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n");
        assert_eq!(request_framing(&h), Err(Invalid));
    }
}
