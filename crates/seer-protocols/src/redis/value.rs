//! Decoded RESP2/RESP3 values and their text renderings.
//!
//! The `resp` column follows Pixie at the top level: a simple string, error (without its `-`),
//! integer or bulk string is its text; a null bulk string is `<NULL>`, a null array `[NULL]`; an
//! array is a JSON array whose scalar elements are strings (`["OK","1","<NULL>"]`). Pixie embeds a
//! nested array as the string of its JSON; Seer nests it as JSON. RESP3 types (Pixie has none):
//! null `_` is `<NULL>`, booleans `true`/`false`, doubles and big numbers their text, verbatim
//! strings their text without the `txt:` format prefix, blob errors their text; sets and pushes are
//! arrays and maps JSON objects (keys as their text). Strings are cut when decoded, so a value
//! holds at most a bounded amount of text (see `decoder.rs`).

use crate::ordered_json::{Object, quote, raw_array};

/// Marker for the elements an aggregate had but that were not kept (memory bound).
pub(crate) const OMITTED: &str = "...";

/// The RESP3 aggregate kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AggKind {
    /// `*`
    Array,
    /// `~`
    Set,
    /// `>`
    Push,
    /// `%` (items alternate key, value)
    Map,
}

/// One RESP value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// `+` simple string.
    Simple(String),
    /// `-` error or `!` blob error (text without the marker).
    Error(String),
    /// `:` integer or `(` big number (digits as sent).
    Integer(String),
    /// `$` bulk or `=` verbatim string (text, format prefix removed).
    Bulk(String),
    /// `,` double (as sent).
    Double(String),
    /// `#` boolean.
    Bool(bool),
    /// `$-1`, `*-1` or `_`.
    Null {
        /// `*-1` (rendered `[NULL]`) rather than a null string.
        array: bool,
    },
    /// An aggregate with the elements kept and how many more there were.
    Agg {
        /// Which aggregate.
        kind: AggKind,
        /// Elements kept (maps: key, value, key, value …).
        items: Vec<Value>,
        /// Elements not kept.
        omitted: u64,
    },
}

impl Value {
    /// Bytes held, for memory accounting.
    pub(crate) fn size(&self) -> usize {
        match self {
            Self::Simple(s) | Self::Error(s) | Self::Integer(s) | Self::Bulk(s) | Self::Double(s) => s.len() + 32,
            Self::Bool(_) | Self::Null { .. } => 32,
            Self::Agg { items, .. } => 48 + items.iter().map(Self::size).sum::<usize>(),
        }
    }

    /// The text of a scalar (`None` for aggregates).
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Self::Simple(s) | Self::Error(s) | Self::Integer(s) | Self::Bulk(s) | Self::Double(s) => Some(s),
            Self::Bool(true) => Some("true"),
            Self::Bool(false) => Some("false"),
            Self::Null { array: false } => Some("<NULL>"),
            Self::Null { array: true } => Some("[NULL]"),
            Self::Agg { .. } => None,
        }
    }

    /// Elements of an array, set or push.
    pub(crate) fn elements(&self) -> Option<&[Value]> {
        match self {
            Self::Agg {
                kind: AggKind::Array | AggKind::Set | AggKind::Push,
                items,
                ..
            } => Some(items),
            _ => None,
        }
    }

    /// The `resp` column text.
    pub(crate) fn render(&self) -> String {
        match self.text() {
            Some(t) => t.to_string(),
            None => self.json(),
        }
    }

    /// As a JSON value: scalars as strings, aggregates nested.
    pub(crate) fn json(&self) -> String {
        match self {
            Self::Agg {
                kind: AggKind::Map,
                items,
                omitted,
            } => {
                let mut o = Object::new();
                for pair in items.chunks(2) {
                    if let [k, v] = pair {
                        let key = k.text().map(str::to_string).unwrap_or_else(|| k.json());
                        o = o.raw(&key, &v.json());
                    }
                }
                if *omitted > 0 {
                    o = o.str(OMITTED, &format!("{omitted} elements omitted"));
                }
                o.finish()
            }
            Self::Agg { items, omitted, .. } => {
                let mut parts: Vec<String> = items.iter().map(Self::json).collect();
                if *omitted > 0 {
                    parts.push(quote(&format!("{OMITTED} {omitted} elements omitted")));
                }
                raw_array(&parts)
            }
            scalar => quote(scalar.text().unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk(s: &str) -> Value {
        Value::Bulk(s.to_string())
    }

    #[test]
    fn renders_like_pixie_at_the_top_level() {
        assert_eq!(Value::Simple("OK".into()).render(), "OK");
        assert_eq!(Value::Error("ERR bad".into()).render(), "ERR bad");
        assert_eq!(Value::Integer("42".into()).render(), "42");
        assert_eq!(Value::Null { array: false }.render(), "<NULL>");
        assert_eq!(Value::Null { array: true }.render(), "[NULL]");
        let arr = Value::Agg {
            kind: AggKind::Array,
            items: vec![
                Value::Simple("OK".into()),
                Value::Integer("1".into()),
                Value::Null { array: false },
                bulk("x"),
            ],
            omitted: 0,
        };
        assert_eq!(arr.render(), r#"["OK","1","<NULL>","x"]"#);
    }

    #[test]
    fn resp3_aggregates_nest() {
        let map = Value::Agg {
            kind: AggKind::Map,
            items: vec![
                bulk("server"),
                bulk("redis"),
                bulk("modules"),
                Value::Agg {
                    kind: AggKind::Set,
                    items: vec![Value::Bool(true), Value::Double("1.5".into())],
                    omitted: 2,
                },
            ],
            omitted: 0,
        };
        assert_eq!(
            map.render(),
            r#"{"server":"redis","modules":["true","1.5","... 2 elements omitted"]}"#
        );
    }
}
