//! What the `req_body` / `resp_body` columns show (Pixie's `PreProcessMessage` rules):
//!
//! - empty body → `""`;
//! - response without `Content-Type` → `<removed: unknown content-type>`;
//! - response whose `Content-Type` contains neither `json` nor `text/` (Pixie's default
//!   `--http_response_header_filters`) → `<removed: non-text content-type>`;
//! - `Content-Encoding: gzip` → inflated (bounded output; `<Failed to gunzip body>` if nothing inflates);
//! - request with media type `application/x-www-form-urlencoded` → URL-decoded;
//! - then cut to `max_body_bytes` with Pixie's `... [TRUNCATED]` suffix (the size columns keep the
//!   de-chunked wire size).
//!
//! Differences from Pixie, on purpose: Pixie runs these rules on responses only (its request branch is
//! dead code), so request bodies are never removed but also never URL-decoded or inflated; Seer
//! URL-decodes and inflates request bodies too and, like Pixie, never removes them. The removal rules
//! leave empty bodies empty (Pixie's non-text rule rewrites even an empty body). Inflation runs before
//! URL decoding (Pixie decodes first, which garbles compressed forms).

use std::io::Read;

use flate2::read::MultiGzDecoder;

use super::message::{Body, Head};
use crate::text::{truncate_marked, url_decode};
use crate::types::MessageKind;

/// Placeholder for a response without `Content-Type`.
pub const REMOVED_UNKNOWN: &str = "<removed: unknown content-type>";
/// Placeholder for a response whose `Content-Type` is not text or JSON.
pub const REMOVED_NON_TEXT: &str = "<removed: non-text content-type>";
/// Placeholder for a gzip body that does not inflate.
pub const GUNZIP_FAILED: &str = "<Failed to gunzip body>";

/// `Content-Encoding` value meaning gzip.
pub(crate) fn is_gzip(v: &str) -> bool {
    let v = v.trim();
    v.eq_ignore_ascii_case("gzip") || v.eq_ignore_ascii_case("x-gzip")
}

/// `Content-Type` value meaning an HTML form.
pub(crate) fn is_form(v: &str) -> bool {
    media_type(v).eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

fn media_type(v: &str) -> &str {
    v.split(';').next().unwrap_or_default().trim()
}

/// Pixie's response filter: `Content-Type` contains `json` or `text/`.
fn is_text(v: &str) -> bool {
    contains_ci(v, "json") || contains_ci(v, "text/")
}

/// `hay` contains the ASCII `needle`, ignoring ASCII case.
pub(crate) fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The displayed body and whether it was cut.
#[cfg(test)]
pub(crate) fn render(kind: MessageKind, head: &Head, body: &Body, max_bytes: usize) -> (String, bool) {
    let mut out = String::new();
    let cut = render_into(&mut out, kind, head, body, max_bytes);
    (out, cut)
}

/// [`render`] into `out` (cleared first), so a caller can reuse one buffer; whether it was cut.
pub(crate) fn render_into(out: &mut String, kind: MessageKind, head: &Head, body: &Body, max_bytes: usize) -> bool {
    out.clear();
    if body.size == 0 {
        return false;
    }
    let content_type = head.content_type();
    if kind == MessageKind::Response {
        match content_type {
            None => {
                out.push_str(REMOVED_UNKNOWN);
                return false;
            }
            Some(ct) if !is_text(ct) => {
                out.push_str(REMOVED_NON_TEXT);
                return false;
            }
            Some(_) => {}
        }
    }
    let mut incomplete = body.captured.len() as u64 != body.size;
    let mut bytes = std::borrow::Cow::Borrowed(body.captured.as_slice());
    if head.content_encoding().is_some_and(is_gzip) {
        match inflate(&body.captured, max_bytes) {
            Some((inflated, more)) => {
                bytes = inflated.into();
                incomplete = more || body.captured.len() as u64 != body.size;
            }
            None => {
                out.push_str(GUNZIP_FAILED);
                return false;
            }
        }
    }
    if kind == MessageKind::Request && content_type.is_some_and(is_form) {
        bytes = url_decode(&bytes).into();
    }
    // Only what can be shown is converted (a few bytes more, so a cut is still detected and a
    // character split at the limit does not matter).
    let shown = bytes.get(..max_bytes.saturating_add(4)).unwrap_or(&bytes);
    crate::text::push_utf8_lossy(out, shown);
    let cut = truncate_marked(out, max_bytes);
    if !cut && incomplete {
        out.push_str(crate::text::TRUNCATED_SUFFIX);
        return true;
    }
    cut
}

/// Inflates at most `max_out + 4` bytes; `None` if nothing could be inflated. The flag says output
/// was left over (or the input ended early).
fn inflate(data: &[u8], max_out: usize) -> Option<(Vec<u8>, bool)> {
    let limit = max_out.saturating_add(4);
    let mut out = Vec::with_capacity(limit.min(64 * 1024));
    let mut dec = MultiGzDecoder::new(data).take(limit as u64);
    let res = dec.read_to_end(&mut out);
    match res {
        Ok(_) => {
            let more = out.len() >= limit;
            Some((out, more))
        }
        Err(_) if !out.is_empty() => Some((out, true)),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn head(pairs: &[(&str, &str)]) -> Head {
        let mut h = Head::default();
        for (n, v) in pairs {
            h.push_field(n.as_bytes(), v.as_bytes());
        }
        h
    }

    fn body(data: &[u8]) -> Body {
        let mut b = Body {
            cap: 1 << 20,
            ..Body::default()
        };
        b.add(data);
        b
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).expect("write");
        e.finish().expect("finish")
    }

    #[test]
    fn pixie_removal_rules_for_responses() {
        let r = MessageKind::Response;
        assert_eq!(render(r, &head(&[]), &body(b"x"), 512).0, REMOVED_UNKNOWN);
        assert_eq!(render(r, &head(&[]), &body(b""), 512).0, "");
        assert_eq!(
            render(r, &head(&[("Content-Type", "image/png")]), &body(b"x"), 512).0,
            REMOVED_NON_TEXT
        );
        assert_eq!(
            render(r, &head(&[("content-type", "application/json")]), &body(b"{}"), 512).0,
            "{}"
        );
        assert_eq!(
            render(
                r,
                &head(&[("Content-Type", "text/html; charset=utf-8")]),
                &body(b"<p>"),
                512
            )
            .0,
            "<p>"
        );
        // Requests are never removed.
        assert_eq!(render(MessageKind::Request, &head(&[]), &body(b"raw"), 512).0, "raw");
    }

    #[test]
    fn truncation_keeps_marker() {
        let (s, cut) = render(MessageKind::Request, &head(&[]), &body(&[b'a'; 600]), 512);
        assert!(cut);
        assert_eq!(s, format!("{}... [TRUNCATED]", "a".repeat(512)));
    }

    #[test]
    fn gzip_and_forms() {
        let h = head(&[("Content-Type", "text/plain"), ("Content-Encoding", "gzip")]);
        assert_eq!(
            render(MessageKind::Response, &h, &body(&gzip(b"hello")), 512),
            ("hello".to_string(), false)
        );
        assert_eq!(
            render(MessageKind::Response, &h, &body(b"not gzip"), 512).0,
            GUNZIP_FAILED
        );
        let (big, cut) = render(MessageKind::Response, &h, &body(&gzip(&[b'z'; 100_000])), 512);
        assert!(cut);
        assert_eq!(big.len(), 512 + crate::text::TRUNCATED_SUFFIX.len());
        let f = head(&[("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")]);
        assert_eq!(
            render(MessageKind::Request, &f, &body(b"a=b+c&d=%2F"), 512).0,
            "a=b c&d=/"
        );
    }
}
