//! Compile-time time values: durations such as `'-5m'`, `px.now()`, `px.minutes(n)`.

use ruff_text_size::TextRange;

use crate::args::{Arg, CallArgs};
use crate::error::{DResult, Diag};
use crate::interp::Interp;
use crate::value::Value;

/// Nanoseconds per unit, longest unit names first so that `ms` is not read as `m`.
const UNITS: &[(&str, i64)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
    ("d", 86_400_000_000_000),
];

/// Parses a duration such as `-5m`, `30s`, `1h30m`, `1.5h` or `-100ms` into nanoseconds.
pub(crate) fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    let (sign, mut rest) = match s.strip_prefix('-') {
        Some(r) => (-1.0, r),
        None => (1.0, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0_f64;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let number: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let (_, per) = UNITS.iter().find(|(u, _)| *u == &rest[..unit_len])?;
        rest = &rest[unit_len..];
        #[allow(clippy::cast_precision_loss)]
        let per = *per as f64;
        total += number * per;
    }
    let ns = (sign * total).round();
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    let fits = ns.abs() < i64::MAX as f64;
    #[allow(clippy::cast_possible_truncation)]
    fits.then_some(ns as i64)
}

/// A `start_time`/`end_time` argument as absolute nanoseconds; `None` for `None` (unbounded).
pub(crate) fn resolve(arg: &Arg, now_ns: i64, param: &str) -> DResult<Option<i64>> {
    match &arg.value {
        Value::None => Ok(None),
        Value::Int(ns) => Ok(Some(*ns)),
        Value::Str(s) => parse_duration(s)
            .and_then(|d| now_ns.checked_add(d))
            .or_else(|| parse_absolute(s))
            .map(Some)
            .ok_or_else(|| {
                let msg = format!(
                    "cannot parse {param} '{s}': expected a relative time such as '-5m', an absolute time such as \
                     '2024-01-02 15:04:05 -0700', or an integer (ns since epoch)"
                );
                Diag::arg(arg.range, msg)
            }),
        other => {
            let msg = format!(
                "{param} must be a relative time string, an integer or None, got {}",
                other.type_name()
            );
            Err(Diag::arg(arg.range, msg))
        }
    }
}

/// Absolute time formats accepted as `start_time`/`end_time` strings (without a zone: UTC).
const ABSOLUTE: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
];

/// An absolute time string as nanoseconds since the epoch.
pub(crate) fn parse_absolute(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return t.timestamp_nanos_opt();
    }
    ABSOLUTE.iter().find_map(|f| super::fns::strptime_parse(s, f))
}

/// `px.now()`: the compile time's "now" in nanoseconds.
pub(crate) fn now(interp: &mut Interp, args: CallArgs) -> DResult<Value> {
    args.none("px.now")?;
    Ok(Value::Int(interp.now_ns()))
}

/// `px.parse_duration('-5m')`: nanoseconds.
pub(crate) fn parse_duration_fn(_: &mut Interp, args: CallArgs) -> DResult<Value> {
    let mut b = args.bind("px.parse_duration", &["duration"], &["duration"])?;
    let arg = b.req("duration")?;
    let s = arg.str("px.parse_duration", "duration")?;
    parse_duration(&s)
        .map(Value::Int)
        .ok_or_else(|| Diag::arg(arg.range, format!("cannot parse duration '{s}'")))
}

/// `px.<unit>(n)`: `n` units in nanoseconds.
pub(crate) fn duration(args: CallArgs, func: &str, unit_ns: i64) -> DResult<Value> {
    let mut b = args.bind(func, &["n"], &["n"])?;
    let arg = b.req("n")?;
    let overflow = |r: TextRange| Diag::arg(r, format!("{func}() overflows 64-bit nanoseconds"));
    match arg.value {
        Value::Int(n) => n
            .checked_mul(unit_ns)
            .map(Value::Int)
            .ok_or_else(|| overflow(arg.range)),
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
        Value::Float(f) => Ok(Value::Int((f * unit_ns as f64).round() as i64)),
        ref other => Err(Diag::arg(
            arg.range,
            format!("{func}() needs a number, got {}", other.type_name()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("-5m"), Some(-300_000_000_000));
        assert_eq!(parse_duration("-30s"), Some(-30_000_000_000));
        assert_eq!(parse_duration("-1h"), Some(-3_600_000_000_000));
        assert_eq!(parse_duration("-2d"), Some(-172_800_000_000_000));
        assert_eq!(parse_duration("-100ms"), Some(-100_000_000));
        assert_eq!(parse_duration("1h30m"), Some(5_400_000_000_000));
        assert_eq!(parse_duration("1.5s"), Some(1_500_000_000));
        assert_eq!(parse_duration("-7us"), Some(-7_000));
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration("-"), None);
        assert_eq!(parse_duration("-5x"), None);
        assert_eq!(parse_duration("yesterday"), None);
    }

    #[test]
    fn resolve_relative_and_absolute() -> DResult<()> {
        let arg = |value| Arg {
            value,
            range: TextRange::default(),
            elems: vec![],
        };
        assert_eq!(
            resolve(&arg(Value::Str("-1s".into())), 10_000_000_000, "start_time")?,
            Some(9_000_000_000)
        );
        assert_eq!(resolve(&arg(Value::Int(42)), 0, "start_time")?, Some(42));
        assert_eq!(resolve(&arg(Value::None), 0, "start_time")?, None);
        assert!(resolve(&arg(Value::Str("soon".into())), 0, "start_time").is_err());
        assert_eq!(
            resolve(&arg(Value::Str("2020-07-13 18:02:5.00 -0700".into())), 0, "start_time")?,
            Some(1_594_688_525_000_000_000)
        );
        assert_eq!(
            resolve(&arg(Value::Str("2023-11-14T22:13:20Z".into())), 0, "start_time")?,
            Some(1_700_000_000_000_000_000)
        );
        Ok(())
    }
}
