//! JSON access shared by the pluck family.

use serde_json::Value;

/// The value at `key` of the JSON object `json`.
pub(super) fn field(json: &str, key: &str) -> Option<Value> {
    match serde_json::from_str::<Value>(json).ok()? {
        Value::Object(mut map) => map.remove(key),
        _ => None,
    }
}

/// Strings as themselves, other values as JSON text; `null` as null.
pub(super) fn as_text(v: Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// Numbers, and strings holding numbers.
pub(super) fn as_f64(v: Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Integers, and strings holding integers.
pub(super) fn as_i64(v: Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plucks() {
        let j = r#"{"p50": 1.5, "n": 3, "s": "x", "o": {"a": 1}, "z": null}"#;
        assert_eq!(field(j, "p50").and_then(as_f64), Some(1.5));
        assert_eq!(field(j, "n").and_then(as_i64), Some(3));
        assert_eq!(field(j, "s").and_then(as_text).as_deref(), Some("x"));
        assert_eq!(field(j, "o").and_then(as_text).as_deref(), Some(r#"{"a":1}"#));
        assert_eq!(field(j, "z").and_then(as_text), None);
        assert_eq!(field("not json", "a"), None);
    }
}
