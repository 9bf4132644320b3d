//! Header fields as the JSON object string of the `req_headers` / `resp_headers` columns.
//!
//! Like Pixie (a case-insensitive `std::multimap` rendered member by member): members are sorted by
//! case-insensitively compared name, names keep the case they were sent in, and a repeated header
//! appears as repeated members in arrival order (`{"Set-Cookie":"a","Set-Cookie":"b"}`); values are
//! not joined. Unlike Pixie, which cuts the string (leaving invalid JSON), a rendering longer than
//! `max_bytes` drops the members that do not fit and ends with `"[TRUNCATED]":"<n> headers omitted"`,
//! so the column always parses.

/// Renders headers as a JSON object of at most `max_bytes` bytes (when `max_bytes` ≥ 64).
pub(crate) fn to_json(headers: &[(String, String)], max_bytes: usize) -> String {
    let mut sorted: Vec<&(String, String)> = headers.iter().collect();
    // Stable: repeated names keep their arrival order.
    sorted.sort_by(|a, b| ci_cmp(&a.0, &b.0));
    const RESERVE: usize = 48;
    let limit = max_bytes.max(RESERVE + 2);
    let mut out: Vec<u8> = Vec::with_capacity(64 + headers.len() * 48);
    out.push(b'{');
    let mut member: Vec<u8> = Vec::with_capacity(128);
    let mut omitted = 0usize;
    for (name, value) in sorted {
        member.clear();
        push_json_str(&mut member, name);
        member.push(b':');
        push_json_str(&mut member, value);
        let sep = usize::from(out.len() > 1);
        if omitted == 0 && out.len() + sep + member.len() + 1 + RESERVE <= limit {
            if sep == 1 {
                out.push(b',');
            }
            out.extend_from_slice(&member);
        } else {
            omitted += 1;
        }
    }
    if omitted > 0 {
        if out.len() > 1 {
            out.push(b',');
        }
        out.extend_from_slice(format!("\"[TRUNCATED]\":\"{omitted} headers omitted\"").as_bytes());
    }
    out.push(b'}');
    // Escaped valid UTF-8 stays valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| "{}".to_string())
}

/// ASCII case-insensitive ordering of header names.
fn ci_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Appends `s` as a JSON string literal (serde_json's escaping, no intermediate value).
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    if serde_json::to_writer(&mut *out, s).is_err() {
        // Writing a &str into a Vec cannot fail; keep the output well-formed regardless.
        out.extend_from_slice(b"\"\"");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn sorted_case_insensitively_with_repeats() {
        let json = to_json(
            &h(&[("b", "1"), ("Set-Cookie", "x"), ("a", "\"q\""), ("set-cookie", "y")]),
            8192,
        );
        assert_eq!(json, r#"{"a":"\"q\"","b":"1","Set-Cookie":"x","set-cookie":"y"}"#);
        assert_eq!(to_json(&[], 8192), "{}");
    }

    #[test]
    fn cut_output_is_valid_json() {
        let many: Vec<(String, String)> = (0..100).map(|i| (format!("X-H{i:03}"), "v".repeat(50))).collect();
        let json = to_json(&many, 1024);
        assert!(json.len() <= 1024, "{}", json.len());
        let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert!(v.get("[TRUNCATED]").is_some());
    }
}
