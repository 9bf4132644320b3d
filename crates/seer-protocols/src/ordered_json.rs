//! Compact JSON text with members in insertion order (`serde_json::Map` sorts its keys; Pixie's
//! columns list members in a fixed, meaningful order, and scripts search these strings by text).

/// A JSON string literal for `s`.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_quoted(&mut out, s);
    out
}

/// Appends `s` as a JSON string literal (serde_json's escapes). Runs that need no escape are
/// found eight bytes at a time and copied whole; every byte that needs an escape is ASCII, so a
/// run never ends inside a character.
pub(crate) fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    let mut rest = s;
    while let Some(i) = first_escape(rest.as_bytes()) {
        out.push_str(rest.get(..i).unwrap_or_default());
        let b = rest.as_bytes().get(i).copied().unwrap_or_default();
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => out.push_str(&format!("\\u{b:04x}")),
        }
        rest = rest.get(i + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out.push('"');
}

fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Index of the first byte of `b` that JSON must escape.
fn first_escape(b: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // Some byte of `w` is below `n` (n ≤ 128) / equal to `c`, tested on all eight at once.
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH != 0;
    let has = |w: u64, c: u8| below(w ^ (ONES * u64::from(c)), 1);
    let mut at = 0;
    for chunk in b.chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_ne_bytes(word);
        if below(w, 0x20) || has(w, b'"') || has(w, b'\\') {
            break;
        }
        at += 8;
    }
    b.get(at..)?.iter().position(|&c| needs_escape(c)).map(|i| at + i)
}

/// A JSON array of string literals.
pub(crate) fn string_array<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<String> = items.iter().map(|s| quote(s.as_ref())).collect();
    format!("[{}]", parts.join(","))
}

/// A JSON array of already-rendered JSON values.
pub(crate) fn raw_array<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    format!("[{}]", parts.join(","))
}

/// Builds one JSON object, members in the order they are added.
#[derive(Debug)]
pub(crate) struct Object {
    out: String,
}

impl Object {
    /// An empty object.
    pub(crate) fn new() -> Self {
        Self { out: String::from("{") }
    }

    /// Starts a member: the separator, the quoted key and the colon.
    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        push_quoted(&mut self.out, key);
        self.out.push(':');
    }

    /// Adds `"key":<raw>` where `raw` is already valid JSON.
    pub(crate) fn raw(mut self, key: &str, raw: &str) -> Self {
        self.key(key);
        self.out.push_str(raw);
        self
    }

    /// Adds a string member.
    pub(crate) fn str(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        push_quoted(&mut self.out, value);
        self
    }

    /// Adds a number member.
    pub(crate) fn num(self, key: &str, value: impl Into<i64>) -> Self {
        self.raw(key, &value.into().to_string())
    }

    /// The object's text.
    pub(crate) fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_their_order_and_escape() {
        let o = Object::new()
            .str("z", "a\"b")
            .num("a", 3u16)
            .raw("m", &string_array(&["x", "y"]))
            .finish();
        assert_eq!(o, r#"{"z":"a\"b","a":3,"m":["x","y"]}"#);
        assert_eq!(Object::new().finish(), "{}");
        assert_eq!(raw_array(&["{}", "1"]), "[{},1]");
        assert!(serde_json::from_str::<serde_json::Value>(&o).is_ok());
    }
}
