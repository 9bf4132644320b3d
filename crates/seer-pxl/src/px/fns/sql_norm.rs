//! SQL normalization shared by `px.normalize_mysql` and `px.normalize_pgsql`: literals become
//! placeholders and are returned as parameters, as JSON `{"query": …, "params": […], "error": ""}`.

/// Placeholder style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// `?` (MySQL).
    Question,
    /// `$1`, `$2`… numbered after the placeholders already in the query (PostgreSQL).
    Dollar,
}

fn highest_dollar(q: &str) -> usize {
    let b = q.as_bytes();
    let mut max = 0;
    for (i, c) in b.iter().enumerate() {
        if *c == b'$' {
            let digits: String = q[i + 1..].chars().take_while(char::is_ascii_digit).collect();
            max = max.max(digits.parse().unwrap_or(0));
        }
    }
    max
}

/// Normalizes `query`; the JSON result always has the three keys.
pub(super) fn normalize(query: &str, style: Style) -> String {
    let chars: Vec<char> = query.chars().collect();
    let mut out = String::with_capacity(query.len());
    let mut params: Vec<String> = Vec::new();
    let mut next = highest_dollar(query);
    let mut i = 0;
    let mut placeholder = |out: &mut String, params: &mut Vec<String>, value: String| {
        params.push(value);
        match style {
            Style::Question => out.push('?'),
            Style::Dollar => {
                next += 1;
                out.push_str(&format!("${next}"));
            }
        }
    };
    let mut error = String::new();
    while i < chars.len() {
        let c = chars[i];
        let prev_ident = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == '$');
        if c == '\'' || (c == '"' && style == Style::Question) {
            let mut j = i + 1;
            let mut value = String::new();
            let mut closed = false;
            while j < chars.len() {
                if chars[j] == c && chars.get(j + 1) == Some(&c) {
                    value.push(c);
                    j += 2;
                } else if chars[j] == '\\' && j + 1 < chars.len() {
                    value.push(chars[j + 1]);
                    j += 2;
                } else if chars[j] == c {
                    closed = true;
                    break;
                } else {
                    value.push(chars[j]);
                    j += 1;
                }
            }
            if !closed {
                error = "unterminated string literal".into();
                out.extend(&chars[i..]);
                break;
            }
            placeholder(&mut out, &mut params, value);
            i = j + 1;
        } else if c.is_ascii_digit() && !prev_ident {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '.') {
                j += 1;
            }
            placeholder(&mut out, &mut params, chars[i..j].iter().collect());
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    serde_json::json!({"query": out, "params": params, "error": error}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_become_placeholders() {
        let q = normalize("SELECT * FROM t1 WHERE a = 'x''y' AND b > 42", Style::Question);
        assert_eq!(
            q,
            r#"{"error":"","params":["x'y","42"],"query":"SELECT * FROM t1 WHERE a = ? AND b > ?"}"#
        );
        let q = normalize("select $1, 'a' from t where id = 7", Style::Dollar);
        assert_eq!(
            q,
            r#"{"error":"","params":["a","7"],"query":"select $1, $2 from t where id = $3"}"#
        );
        let q = normalize("select 'oops", Style::Question);
        assert!(q.contains("unterminated"), "{q}");
    }
}
