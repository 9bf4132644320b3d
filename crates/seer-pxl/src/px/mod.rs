//! The `px` module: every attribute is one table entry (functions, type objects, aggregates).

pub(crate) mod agg;
pub(crate) mod ctx;
mod dataframe;
pub(crate) mod fns;
mod quantiles;
mod quantiles_groups;

pub(crate) use quantiles::udaf as quantiles_udaf;
pub(crate) mod scalar;
pub(crate) mod time;

use crate::args::CallArgs;
use crate::error::{DResult, Diag};
use crate::frame::groupby_needs_agg;
use crate::interp::Interp;
use crate::value::{NativeFn, Value};

const NS_PER_US: i64 = 1_000;
const NS_PER_MS: i64 = 1_000_000;
const NS_PER_S: i64 = 1_000_000_000;

/// Callable `px.*` attributes.
static FUNCTIONS: &[NativeFn] = &[
    NativeFn {
        name: "px.DataFrame",
        doc: "Rows of a table: DataFrame(table, select=[...], start_time=None, end_time=None).",
        call: dataframe::new,
    },
    NativeFn {
        name: "px.display",
        doc: "Show a DataFrame as an output table: display(df, name='output', cols=[]).",
        call: |i, a| sink(i, a, "px.display", ""),
    },
    NativeFn {
        name: "px.debug",
        doc: "Like display, in both modes; the output table is named _<name>.",
        call: |i, a| sink(i, a, "px.debug", "_"),
    },
    NativeFn {
        name: "px.now",
        doc: "The query time, in nanoseconds since the epoch.",
        call: time::now,
    },
    NativeFn {
        name: "px.parse_duration",
        doc: "A duration string such as '-5m' in nanoseconds.",
        call: time::parse_duration_fn,
    },
    NativeFn {
        name: "px.microseconds",
        doc: "n microseconds in nanoseconds.",
        call: |_, a| time::duration(a, "px.microseconds", NS_PER_US),
    },
    NativeFn {
        name: "px.milliseconds",
        doc: "n milliseconds in nanoseconds.",
        call: |_, a| time::duration(a, "px.milliseconds", NS_PER_MS),
    },
    NativeFn {
        name: "px.seconds",
        doc: "n seconds in nanoseconds.",
        call: |_, a| time::duration(a, "px.seconds", NS_PER_S),
    },
    NativeFn {
        name: "px.minutes",
        doc: "n minutes in nanoseconds.",
        call: |_, a| time::duration(a, "px.minutes", 60 * NS_PER_S),
    },
    NativeFn {
        name: "px.hours",
        doc: "n hours in nanoseconds.",
        call: |_, a| time::duration(a, "px.hours", 3600 * NS_PER_S),
    },
    NativeFn {
        name: "px.days",
        doc: "n days in nanoseconds.",
        call: |_, a| time::duration(a, "px.days", 86_400 * NS_PER_S),
    },
];

/// Semantic type objects: usable as annotations and callable as (value-preserving) casts.
static TYPES: &[NativeFn] = &[
    NativeFn {
        name: "px.Time",
        doc: "Time type (annotation; calling it keeps the value).",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Pod",
        doc: "Pod name type (annotation; calling it keeps the value).",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Service",
        doc: "Service name type (annotation; calling it keeps the value).",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Node",
        doc: "Node name type (annotation; calling it keeps the value).",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Namespace",
        doc: "Namespace name type (annotation; calling it keeps the value).",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Container",
        doc: "Container name type (annotation; calling it keeps the value).",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.UPID",
        doc: "UPID type (annotation; calling it keeps the value).",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Bytes",
        doc: "Bytes semantic type (calling it keeps the value).",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.DurationNanos",
        doc: "Duration-in-nanoseconds semantic type (calling it keeps the value).",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Percent",
        doc: "Percentage semantic type (calling it keeps the value).",
        call: semantic_cast,
    },
];

/// Every compiler-evaluated `px` function.
pub(crate) fn natives() -> impl Iterator<Item = &'static NativeFn> {
    FUNCTIONS.iter().chain(TYPES).chain(fns::NATIVES.iter().copied())
}

/// `px.<name>`, if it exists.
pub(crate) fn attr(name: &str) -> Option<Value> {
    let qualified = |f: &&NativeFn| f.name.strip_prefix("px.") == Some(name);
    if let Some(f) = natives().find(qualified) {
        return Some(Value::Native(f));
    }
    if let Some(s) = scalar::lookup(name) {
        return Some(Value::Scalar(s));
    }
    agg::lookup(name).map(Value::Agg)
}

/// `px.display(df, name='output', cols=[])` and `px.debug(...)` (whose outputs are prefixed `_`).
fn sink(interp: &mut Interp, args: CallArgs, func: &str, prefix: &str) -> DResult<Value> {
    let mut b = args.bind(func, &["out", "name", "cols"], &["out"])?;
    let out = b.req("out")?;
    let mut df = match out.value {
        Value::DataFrame(df) => df,
        Value::GroupBy(g) => return Err(groupby_needs_agg(g.range)),
        other => {
            return Err(Diag::arg(
                out.range,
                format!("{func}() needs a DataFrame, got {}", other.type_name()),
            ));
        }
    };
    let name = match b.take("name") {
        Some(arg) => arg.str(func, "name")?,
        None => "output".to_string(),
    };
    if let Some(cols) = b.take("cols") {
        let names = cols.names(func, "cols")?;
        if !names.is_empty() {
            df = df.select(&names, cols.range)?;
        }
    }
    let debug = !prefix.is_empty();
    interp.emit(format!("{prefix}{name}"), df, debug);
    Ok(Value::None)
}

fn semantic_cast(_: &mut Interp, args: CallArgs) -> DResult<Value> {
    let mut b = args.bind("px type", &["value"], &["value"])?;
    Ok(b.req("value")?.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes() {
        assert!(matches!(attr("DataFrame"), Some(Value::Native(_))));
        assert!(matches!(attr("mean"), Some(Value::Agg(_))));
        assert!(matches!(attr("Pod"), Some(Value::Native(_))));
        assert!(matches!(attr("select"), Some(Value::Scalar(_))));
        assert!(matches!(attr("quantiles"), Some(Value::Agg(_))));
    }
}
