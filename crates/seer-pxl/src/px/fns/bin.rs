//! `px.bin(value, size)`: `value` rounded down to a multiple of `size` (`x - x % size`); times stay times, floats become INT64.

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::logical_expr::cast;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, want};
use crate::types::PxType;

/// `px.bin`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "bin",
    params: &["value", "size"],
    doc: "`value` rounded down to a multiple of `size` (`x - x % size`); times stay times, floats become INT64.",
    build,
};

fn build(a: &[Operand]) -> Built {
    let ty = a.first().map(Operand::ty);
    let x = want(
        a,
        0,
        matches!(ty, Some(PxType::Int64 | PxType::Float64 | PxType::Time)),
        "INT64, FLOAT64 or TIME64NS",
    )?;
    let n = want(a, 1, a.get(1).is_some_and(|o| o.ty() == PxType::Int64), "INT64")?;
    let x = cast(x, DataType::Int64);
    let binned = x.clone() - x % n;
    Ok(if ty == Some(PxType::Time) {
        cast(binned, DataType::Timestamp(TimeUnit::Nanosecond, None))
    } else {
        binned
    })
}
