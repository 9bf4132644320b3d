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
    sorted.sort_by_cached_key(|(n, _)| n.to_ascii_lowercase());
    let mut out = String::from("{");
    let mut omitted = 0usize;
    const RESERVE: usize = 48;
    for (name, value) in sorted {
        let member = format!("{}:{}", quote(name), quote(value));
        let sep = usize::from(out.len() > 1);
        if omitted == 0 && out.len() + sep + member.len() + 1 + RESERVE <= max_bytes.max(RESERVE + 2) {
            if sep == 1 {
                out.push(',');
            }
            out.push_str(&member);
        } else {
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
    out
}

fn quote(s: &str) -> String {
    serde_json::Value::from(s).to_string()
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
