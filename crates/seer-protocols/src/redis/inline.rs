//! Inline commands (`PING\r\n`, `SET k "a b"\r\n`): a line split into arguments the way Redis
//! splits it (`sdssplitargs`): blanks separate arguments; `"…"` quotes with `\n \r \t \b \a \\ \"`
//! and `\xHH` escapes; `'…'` quotes with `\'`; a closing quote must be followed by a blank or the
//! end. Unbalanced quotes are an error, as Redis answers them with a protocol error.

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Reads a `"…"` argument starting after the opening quote; returns it and the index after the
/// closing quote.
fn double_quoted(line: &[u8], mut i: usize) -> Option<(Vec<u8>, usize)> {
    let mut arg = Vec::new();
    loop {
        match *line.get(i)? {
            b'\\' => {
                let next = *line.get(i + 1)?;
                if next == b'x'
                    && let (Some(h), Some(l)) = (
                        line.get(i + 2).copied().and_then(hex),
                        line.get(i + 3).copied().and_then(hex),
                    )
                {
                    arg.push(h << 4 | l);
                    i += 4;
                    continue;
                }
                arg.push(match next {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'b' => 0x08,
                    b'a' => 0x07,
                    other => other,
                });
                i += 2;
            }
            b'"' => return Some((arg, i + 1)),
            c => {
                arg.push(c);
                i += 1;
            }
        }
    }
}

/// Reads a `'…'` argument starting after the opening quote.
fn single_quoted(line: &[u8], mut i: usize) -> Option<(Vec<u8>, usize)> {
    let mut arg = Vec::new();
    loop {
        match *line.get(i)? {
            b'\\' if line.get(i + 1) == Some(&b'\'') => {
                arg.push(b'\'');
                i += 2;
            }
            b'\'' => return Some((arg, i + 1)),
            c => {
                arg.push(c);
                i += 1;
            }
        }
    }
}

/// A command name: 1–64 bytes of letters, digits and `. _ - | :`, starting with a letter.
pub(crate) fn command_like(name: &[u8]) -> bool {
    name.first().is_some_and(u8::is_ascii_alphabetic)
        && name.len() <= 64
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'|' | b':'))
}

/// Splits one inline command line (without its line end); `None` on unbalanced quotes.
pub(crate) fn split(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut args = Vec::new();
    let mut i = 0;
    loop {
        while line.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let Some(&c) = line.get(i) else { return Some(args) };
        let (arg, end) = match c {
            b'"' => double_quoted(line, i + 1)?,
            b'\'' => single_quoted(line, i + 1)?,
            _ => {
                let end = (i..line.len())
                    .find(|&j| line.get(j).is_some_and(u8::is_ascii_whitespace))
                    .unwrap_or(line.len());
                (line.get(i..end).unwrap_or_default().to_vec(), end)
            }
        };
        if matches!(c, b'"' | b'\'') && line.get(end).is_some_and(|b| !b.is_ascii_whitespace()) {
            return None;
        }
        args.push(arg);
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(line: &str) -> Option<Vec<String>> {
        split(line.as_bytes()).map(|v| {
            v.into_iter()
                .map(|a| String::from_utf8_lossy(&a).into_owned())
                .collect()
        })
    }

    #[test]
    fn splits_like_redis() {
        assert_eq!(s("  SET  k   v "), Some(vec!["SET".into(), "k".into(), "v".into()]));
        assert_eq!(
            s(r#"SET k "a b\x41\n""#),
            Some(vec!["SET".into(), "k".into(), "a bA\n".into()])
        );
        assert_eq!(s(r"SET k 'it\'s'"), Some(vec!["SET".into(), "k".into(), "it's".into()]));
        assert_eq!(s(""), Some(vec![]));
        assert_eq!(s(r#"SET "unbalanced"#), None);
        assert_eq!(s(r#"SET "a"b"#), None);
    }
}
