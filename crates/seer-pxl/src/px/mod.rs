//! The `px` module: every attribute is one table entry (functions, type objects, aggregates).

pub(crate) mod agg;
pub(crate) mod ctx;
mod dataframe;
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
        call: dataframe::new,
    },
    NativeFn {
        name: "px.display",
        call: |i, a| sink(i, a, "px.display", ""),
    },
    NativeFn {
        name: "px.debug",
        call: |i, a| sink(i, a, "px.debug", "_"),
    },
    NativeFn {
        name: "px.now",
        call: time::now,
    },
    NativeFn {
        name: "px.parse_duration",
        call: time::parse_duration_fn,
    },
    NativeFn {
        name: "px.microseconds",
        call: |_, a| time::duration(a, "px.microseconds", NS_PER_US),
    },
    NativeFn {
        name: "px.milliseconds",
        call: |_, a| time::duration(a, "px.milliseconds", NS_PER_MS),
    },
    NativeFn {
        name: "px.seconds",
        call: |_, a| time::duration(a, "px.seconds", NS_PER_S),
    },
    NativeFn {
        name: "px.minutes",
        call: |_, a| time::duration(a, "px.minutes", 60 * NS_PER_S),
    },
    NativeFn {
        name: "px.hours",
        call: |_, a| time::duration(a, "px.hours", 3600 * NS_PER_S),
    },
    NativeFn {
        name: "px.days",
        call: |_, a| time::duration(a, "px.days", 86_400 * NS_PER_S),
    },
];

/// Semantic type objects: usable as annotations and callable as (value-preserving) casts.
static TYPES: &[NativeFn] = &[
    NativeFn {
        name: "px.Time",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Pod",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Service",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Node",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Namespace",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Container",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.UPID",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Bytes",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.DurationNanos",
        call: semantic_cast,
    },
    NativeFn {
        name: "px.Percent",
        call: semantic_cast,
    },
];

/// `px.<name>`, if it exists.
pub(crate) fn attr(name: &str) -> Option<Value> {
    let qualified = |f: &&NativeFn| f.name.strip_prefix("px.") == Some(name);
    if let Some(f) = FUNCTIONS.iter().chain(TYPES).find(qualified) {
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
        assert!(attr("quantiles").is_none());
    }
}
