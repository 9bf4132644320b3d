//! `px.round(value, decimals)`: The value formatted with `decimals` digits after the point (STRING).

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, float, int};
use crate::udf::{RowUdf, f64_to_str};

/// `px.round`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "round",
    params: &["value", "decimals"],
    doc: "The value formatted with `decimals` digits after the point (STRING).",
    build,
};

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf(
        "px_round",
        vec![DataType::Float64, DataType::Int64],
        DataType::Utf8,
        kernel,
    );
    Ok(call_udf(&udf, vec![float(a, 0)?, int(a, 1)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    f64_to_str(args, |x, d| {
        let d = usize::try_from(d.clamp(0, 18)).unwrap_or(0);
        Some(format!("{x:.d$}"))
    })
}
