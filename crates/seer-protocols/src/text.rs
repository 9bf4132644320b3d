//! Small text helpers shared by protocols: lossy UTF-8 decoding, truncation with Pixie's marker, URL
//! decoding.

/// `bytes` as text: borrowed when valid UTF-8 (the common case), else with each invalid sequence
/// replaced by U+FFFD.
///
/// Same result as `String::from_utf8_lossy`, but valid input is checked with `str::from_utf8`, which
/// skips ASCII a word at a time: `from_utf8_lossy` walks it chunk by chunk and was 10 % of the
/// agent's tracer thread under HTTP load when bodies went through it.
pub(crate) fn utf8_lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.into(),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Appends `bytes` to `out` as [`utf8_lossy`] decodes them.
pub(crate) fn push_utf8_lossy(out: &mut String, bytes: &[u8]) {
    out.push_str(&utf8_lossy(bytes));
}

/// Pixie's suffix for cut strings (`kTruncatedMsg`).
pub(crate) const TRUNCATED_SUFFIX: &str = "... [TRUNCATED]";

/// Cuts `s` to at most `max` bytes on a char boundary and appends [`TRUNCATED_SUFFIX`]; returns
/// whether it cut.
pub(crate) fn truncate_marked(s: &mut String, max: usize) -> bool {
    if s.len() <= max {
        return false;
    }
    let mut cut = max;
    while cut > 0 && !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    s.push_str(TRUNCATED_SUFFIX);
    true
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `application/x-www-form-urlencoded` decoding as Pixie does it: `+` is a space, `%XX` a byte,
/// anything else (including a malformed `%`) is kept as is.
pub(crate) fn url_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&c) = input.get(i) {
        match c {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => match (
                input.get(i + 1).and_then(|&h| hex_val(h)),
                input.get(i + 2).and_then(|&l| hex_val(l)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                }
                _ => {
                    out.push(c);
                    i += 1;
                }
            },
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_char_boundaries() {
        let mut s = "héllo".to_string();
        assert!(truncate_marked(&mut s, 2));
        assert_eq!(s, format!("h{TRUNCATED_SUFFIX}"));
        let mut t = "abc".to_string();
        assert!(!truncate_marked(&mut t, 3));
        assert_eq!(t, "abc");
    }

    #[test]
    fn lossy_decoding_matches_std() {
        let cases: [&[u8]; 6] = [
            b"",
            b"plain ascii",
            "héllo ✓ 😀".as_bytes(),
            b"a\xffb",
            b"\xe2\x9c",
            b"ok\xc3",
        ];
        for b in cases {
            assert_eq!(utf8_lossy(b), String::from_utf8_lossy(b), "{b:?}");
            let mut out = "x".to_string();
            push_utf8_lossy(&mut out, b);
            assert_eq!(out, format!("x{}", String::from_utf8_lossy(b)));
        }
        assert!(matches!(utf8_lossy(b"abc"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn url_decoding_matches_pixie() {
        assert_eq!(url_decode(b"a+b%20c%2Fd%zz%4"), b"a b c/d%zz%4");
        assert_eq!(url_decode(b"%E2%9C%93"), "✓".as_bytes());
    }
}
