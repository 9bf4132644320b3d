//! `px.format_duration(ns)`: a duration in nanoseconds as a string such as `-5m` (compile time).

use crate::args::CallArgs;
use crate::error::DResult;
use crate::interp::Interp;
use crate::value::{NativeFn, Value};

/// `px.format_duration`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.format_duration",
    doc: "Nanoseconds as a duration string in the largest exact unit, e.g. -300000000000 -> '-5m'.",
    call,
};

const UNITS: &[(&str, i64)] = &[
    ("d", 86_400_000_000_000),
    ("h", 3_600_000_000_000),
    ("m", 60_000_000_000),
    ("s", 1_000_000_000),
    ("ms", 1_000_000),
    ("us", 1_000),
    ("ns", 1),
];

/// The formatted duration.
pub(crate) fn format(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let (n, unit) = UNITS
        .iter()
        .find(|(_, per)| ns % per == 0)
        .map_or((ns, "ns"), |(u, per)| (ns / per, *u));
    format!("{n}{unit}")
}

fn call(_: &mut Interp, args: CallArgs) -> DResult<Value> {
    let mut b = args.bind("px.format_duration", &["duration"], &["duration"])?;
    let ns = b.req("duration")?.int("px.format_duration", "duration")?;
    Ok(Value::Str(format(ns)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats() {
        assert_eq!(super::format(-300_000_000_000), "-5m");
        assert_eq!(super::format(90_000_000_000), "90s");
        assert_eq!(super::format(1_500), "1500ns");
        assert_eq!(super::format(0), "0s");
    }
}
