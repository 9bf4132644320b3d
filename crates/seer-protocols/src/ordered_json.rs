//! Compact JSON text with members in insertion order (`serde_json::Map` sorts its keys; Pixie's
//! columns list members in a fixed, meaningful order, and scripts search these strings by text).

/// A JSON string literal for `s`.
pub(crate) fn quote(s: &str) -> String {
    serde_json::Value::from(s).to_string()
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

    /// Adds `"key":<raw>` where `raw` is already valid JSON.
    pub(crate) fn raw(mut self, key: &str, raw: &str) -> Self {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        self.out.push_str(&quote(key));
        self.out.push(':');
        self.out.push_str(raw);
        self
    }

    /// Adds a string member.
    pub(crate) fn str(self, key: &str, value: &str) -> Self {
        self.raw(key, &quote(value))
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
