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
pub(crate) fn to_json<'a>(fields: impl ExactSizeIterator<Item = (&'a str, &'a str)>, max_bytes: usize) -> String {
    let mut out = String::new();
    to_json_into(&mut out, fields, max_bytes);
    out
}

/// [`to_json`] into `out` (cleared first), so a caller can reuse one buffer.
pub(crate) fn to_json_into<'a>(
    out: &mut String,
    fields: impl ExactSizeIterator<Item = (&'a str, &'a str)>,
    max_bytes: usize,
) {
    out.clear();
    // Sorted in place in a stack array for the usual few dozen fields: no allocation, no move.
    let mut inline = [("", ""); 32];
    let n = fields.len();
    if n > inline.len() {
        let mut heap: Vec<(&str, &str)> = fields.collect();
        return render_sorted(out, &mut heap, max_bytes);
    }
    for (slot, f) in inline.iter_mut().zip(fields) {
        *slot = f;
    }
    render_sorted(out, inline.get_mut(..n).unwrap_or_default(), max_bytes);
}

/// Sorts `sorted` by name and renders it into `out` (already cleared).
fn render_sorted(out: &mut String, sorted: &mut [(&str, &str)], max_bytes: usize) {
    // Stable: repeated names keep their arrival order.
    sorted.sort_by(|a, b| ci_cmp(a.0, b.0));
    const RESERVE: usize = 48;
    let limit = max_bytes.max(RESERVE + 2);
    let wanted: usize = sorted.iter().map(|(n, v)| n.len() + v.len() + 6).sum();
    out.reserve((wanted + 2).min(limit));
    out.push('{');
    let mut omitted = 0usize;
    for &mut (name, value) in sorted {
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

/// ASCII case-insensitive ordering of header names (bytewise after ASCII lowercasing; a prefix sorts
/// first). Names that share a prefix (`Content-…`, `Access-Control-…`) are compared eight bytes at a
/// time.
fn ci_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut wa, mut wb) = (a.chunks_exact(8), b.chunks_exact(8));
    let mut done = 0;
    for (x, y) in (&mut wa).zip(&mut wb) {
        let (x, y) = (lower8(x), lower8(y));
        if x != y {
            return x.cmp(&y);
        }
        done += 8;
    }
    let (ra, rb) = (a.get(done..).unwrap_or_default(), b.get(done..).unwrap_or_default());
    for (x, y) in ra.iter().zip(rb) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// Eight bytes (a full chunk) as a big-endian word with `A`–`Z` lowered: words then order as the
/// lowered bytes do.
fn lower8(chunk: &[u8]) -> u64 {
    let x = chunk.try_into().map(u64::from_be_bytes).unwrap_or(0);
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = x & LOW7;
    // Per byte (no carries: each low part is < 0x80): high bit set when the byte is >= 'A' (0x41)
    // and when it is > 'Z' (0x5a); bytes with their own high bit set are not letters.
    let ge_a = low + 0x3f3f_3f3f_3f3f_3f3f;
    let gt_z = low + 0x2525_2525_2525_2525;
    let upper = ge_a & !gt_z & !x & HIGH;
    x | (upper >> 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl ExactSizeIterator<Item = (&'a str, &'a str)> + 'a {
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
    fn word_compare_matches_bytewise_lowercase_compare() {
        let naive = |a: &str, b: &str| a.to_ascii_lowercase().as_bytes().cmp(b.to_ascii_lowercase().as_bytes());
        let mut names: Vec<String> = [
            "Content-Type",
            "content-length",
            "CONTENT-ENCODING",
            "Content-",
            "Content",
            "content-typE",
            "Access-Control-Allow-Origin",
            "access-control-allow-headers",
            "X",
            "",
            "@",
            "[",
            "`",
            "{",
            "Z",
            "a",
            "ZZZZZZZZ",
            "zzzzzzzz",
            "@@@@@@@@[",
            "é-header",
            "AAAAAAAAB",
            "aaaaaaaab",
            "aaaaaaaa",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every byte value at every position of a word, against its neighbours.
        for b in 0u8..0x80 {
            for at in [0, 3, 7, 8, 10] {
                let mut s = "mmmmmmmmmmm".to_string().into_bytes();
                s[at] = b;
                names.push(String::from_utf8(s).expect("ascii"));
            }
        }
        for a in &names {
            for b in &names {
                assert_eq!(ci_cmp(a, b), naive(a, b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn more_fields_than_the_stack_array_are_sorted_too() {
        for count in [31, 32, 33, 70] {
            let names: Vec<String> = (0..count).rev().map(|i| format!("X-{i:03}")).collect();
            let json = to_json(names.iter().map(|n| (n.as_str(), "v")), 1 << 20);
            let want: Vec<String> = (0..count).map(|i| format!("\"X-{i:03}\":\"v\"")).collect();
            assert_eq!(json, format!("{{{}}}", want.join(",")), "{count} fields");
        }
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
