//! Aggregate functions usable in `agg(out=(column, px.<fn>))`: one table entry each.

use datafusion::arrow::datatypes::DataType;
use datafusion::functions_aggregate::expr_fn::{any_value, avg, count, max, min, sum};
use datafusion::logical_expr::{Expr, cast, lit};

use crate::types::{PxType, type_name};

/// An aggregate function: its PxL name and how to build the DataFusion aggregate from the input column.
pub(crate) struct AggDef {
    /// Name after `px.`.
    pub name: &'static str,
    /// One-line description (shown by `seer functions` and `px/funcs`).
    pub doc: &'static str,
    /// Builds the aggregate over `input` (of type `dt`), or explains why the type is not accepted.
    pub build: fn(input: Expr, dt: &DataType) -> Result<Expr, String>,
}

/// Every supported aggregate.
pub(crate) static AGGS: &[AggDef] = &[
    AggDef {
        name: "count",
        doc: "Number of rows.",
        build: |_, _| Ok(count(lit(1i64))),
    },
    AggDef {
        name: "sum",
        doc: "Sum (booleans count as 0/1).",
        build: |e, dt| numeric("sum", e, dt).map(sum),
    },
    AggDef {
        name: "mean",
        doc: "Arithmetic mean (of booleans: the fraction true).",
        build: |e, dt| numeric("mean", e, dt).map(avg),
    },
    AggDef {
        name: "min",
        doc: "Smallest value.",
        build: |e, dt| ordered("min", e, dt).map(min),
    },
    AggDef {
        name: "max",
        doc: "Largest value.",
        build: |e, dt| ordered("max", e, dt).map(max),
    },
    AggDef {
        name: "any",
        doc: "Any one value of the group.",
        build: |e, _| Ok(any_value(e)),
    },
    AggDef {
        name: "quantiles",
        doc: r#"t-digest quantiles as JSON {"p01",...,"p99"}; read with px.pluck_float64."#,
        build: |e, dt| {
            numeric("quantiles", e, dt).map(|e| super::quantiles::udaf().call(vec![cast(e, DataType::Float64)]))
        },
    },
];

/// The aggregate called `px.<name>`.
pub(crate) fn lookup(name: &str) -> Option<&'static AggDef> {
    AGGS.iter().find(|a| a.name == name)
}

/// Numbers, and booleans counted as 0/1 (so `px.mean(failed)` is a failure rate, as in Pixie).
fn numeric(name: &str, e: Expr, dt: &DataType) -> Result<Expr, String> {
    match PxType::of(dt) {
        PxType::Int64 | PxType::Float64 => Ok(e),
        PxType::Boolean => Ok(cast(e, DataType::Int64)),
        _ => Err(format!(
            "px.{name} needs a numeric or BOOLEAN column, got {}",
            type_name(dt)
        )),
    }
}

/// Anything with an order.
fn ordered(name: &str, e: Expr, dt: &DataType) -> Result<Expr, String> {
    match PxType::of(dt) {
        PxType::Int64 | PxType::Float64 | PxType::Boolean | PxType::String | PxType::Time => Ok(e),
        _ => Err(format!("px.{name} cannot aggregate a {} column", type_name(dt))),
    }
}

#[cfg(test)]
mod tests {
    use datafusion::logical_expr::col;

    use super::*;

    #[test]
    fn lookup_and_type_checks() {
        let sum = lookup("sum").map(|a| a.build);
        assert!(sum.is_some_and(|b| b(col("x"), &DataType::Int64).is_ok()));
        let err = sum.and_then(|b| b(col("x"), &DataType::Utf8).err());
        assert_eq!(
            err.as_deref(),
            Some("px.sum needs a numeric or BOOLEAN column, got STRING")
        );
        assert!(lookup("quantiles").is_some());
    }
}
