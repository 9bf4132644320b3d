//! Header fields as the JSON object string of the `req_headers` / `resp_headers` columns.
//!
//! Like Pixie (a case-insensitive `std::multimap` rendered member by member): members are sorted by
//! case-insensitively compared name, names keep the case they were sent in, and a repeated header
//! appears as repeated members in arrival order (`{"Set-Cookie":"a","Set-Cookie":"b"}`); values are
//! not joined. Unlike Pixie, which cuts the string (leaving invalid JSON), a rendering longer than
//! `max_bytes` drops the members that do not fit and ends with `"[TRUNCATED]":"<n> headers omitted"`,
//! so the column always parses.

use crate::ordered_json::push_quoted;

/// Renders header fields as a JSON object of at most `max_bytes` bytes (when `max_bytes` ≥ 64).
#[cfg(test)]
pub(crate) fn to_json<'a>(fields: impl Iterator<Item = (&'a str, &'a str)>, max_bytes: usize) -> String {
    let mut out = String::new();
    to_json_into(&mut out, fields, max_bytes);
    out
}

/// [`to_json`] into `out` (cleared first), so a caller can reuse one buffer.
pub(crate) fn to_json_into<'a>(out: &mut String, fields: impl Iterator<Item = (&'a str, &'a str)>, max_bytes: usize) {
    out.clear();
    // On the stack for the usual few dozen fields: no allocation per row.
    let mut sorted: smallvec::SmallVec<[(&str, &str); 32]> = fields.collect();
    // Stable: repeated names keep their arrival order.
    sorted.sort_by(|a, b| ci_cmp(a.0, b.0));
    const RESERVE: usize = 48;
    let limit = max_bytes.max(RESERVE + 2);
    let wanted: usize = sorted.iter().map(|(n, v)| n.len() + v.len() + 6).sum();
    out.reserve((wanted + 2).min(limit));
    out.push('{');
    let mut omitted = 0usize;
    for (name, value) in sorted {
        if omitted > 0 {
            omitted += 1;
            continue;
        }
        let before = out.len();
        if before > 1 {
            out.push(',');
        }
        push_quoted(out, name);
        out.push(':');
        push_quoted(out, value);
        if out.len() + 1 + RESERVE > limit {
            out.truncate(before);
            omitted += 1;
        }
    }
    if omitted > 0 {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&format!("\"[TRUNCATED]\":\"{omitted} headers omitted\""));
    }
    out.push('}');
}

/// ASCII case-insensitive ordering of header names.
fn ci_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    for (x, y) in a.bytes().zip(b.bytes()) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        pairs.iter().copied()
    }

    #[test]
    fn sorted_case_insensitively_with_repeats() {
        let json = to_json(
            h(&[("b", "1"), ("Set-Cookie", "x"), ("a", "\"q\""), ("set-cookie", "y")]),
            8192,
        );
        assert_eq!(json, r#"{"a":"\"q\"","b":"1","Set-Cookie":"x","set-cookie":"y"}"#);
        assert_eq!(to_json(h(&[]), 8192), "{}");
    }

    #[test]
    fn cut_output_is_valid_json() {
        let many: Vec<(String, String)> = (0..100).map(|i| (format!("X-H{i:03}"), "v".repeat(50))).collect();
        let json = to_json(many.iter().map(|(n, v)| (n.as_str(), v.as_str())), 1024);
        assert!(json.len() <= 1024, "{}", json.len());
        let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert!(v.get("[TRUNCATED]").is_some());
    }

    #[test]
    fn strings_are_escaped_like_serde_json() {
        let all: String = (0u32..0x80)
            .filter_map(char::from_u32)
            .chain("é€😀 \"\\/".chars())
            .collect();
        for s in [all.as_str(), "", "plain", "\"", "a\u{1}b"] {
            let mut out = String::new();
            push_quoted(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).expect("serialises"), "{s:?}");
        }
        // Every position relative to the eight-byte words, every escaped byte, multi-byte neighbours.
        for len in 0..24 {
            for at in 0..len {
                for c in ['"', '\\', '\n', '\u{1f}', '\u{0}', 'é', '\u{7f}'] {
                    let s: String = (0..len).map(|i| if i == at { c } else { 'a' }).collect();
                    let mut out = String::new();
                    push_quoted(&mut out, &s);
                    assert_eq!(out, serde_json::to_string(&s).expect("serialises"), "{s:?}");
                }
            }
        }
    }
}
