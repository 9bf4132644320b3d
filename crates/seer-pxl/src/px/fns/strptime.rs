//! `px.strptime(text, format)`: a time string parsed with a C `strptime`-style format, as nanoseconds since
//! the epoch (compile time; times without a zone are UTC).

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use crate::args::CallArgs;
use crate::error::{DResult, Diag};
use crate::interp::Interp;
use crate::value::{NativeFn, Value};

/// `px.strptime`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.strptime",
    doc: "A time string parsed with a strptime format (e.g. '%Y-%m-%d %H:%M:%S'), in ns since the epoch.",
    call,
};

/// Parses `text` with `format`.
pub(crate) fn parse(text: &str, format: &str) -> Option<i64> {
    if let Ok(t) = DateTime::parse_from_str(text, format) {
        return t.timestamp_nanos_opt();
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
        return t.and_utc().timestamp_nanos_opt();
    }
    NaiveDate::parse_from_str(text, format)
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| t.and_utc().timestamp_nanos_opt())
}

fn call(_: &mut Interp, args: CallArgs) -> DResult<Value> {
    let mut b = args.bind("px.strptime", &["text", "format"], &["text", "format"])?;
    let text = b.req("text")?;
    let format = b.req("format")?.str("px.strptime", "format")?;
    let s = text.str("px.strptime", "text")?;
    parse(&s, &format)
        .map(Value::Int)
        .ok_or_else(|| Diag::arg(text.range, format!("cannot parse '{s}' with format '{format}'")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses() {
        assert_eq!(
            super::parse("2023-11-14 22:13:20", "%Y-%m-%d %H:%M:%S"),
            Some(1_700_000_000_000_000_000)
        );
        assert_eq!(
            super::parse("2023-11-14 23:13:20 +0100", "%Y-%m-%d %H:%M:%S %z"),
            Some(1_700_000_000_000_000_000)
        );
        assert_eq!(super::parse("2023-11-14", "%Y-%m-%d"), Some(1_699_920_000_000_000_000));
        assert_eq!(super::parse("nope", "%Y"), None);
    }
}
