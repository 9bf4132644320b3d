//! `px.pluck_float64(json, key)`: The number at `key` of a JSON object string (null when absent or not a number).

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, string};
use crate::udf::{RowUdf, str2_to_f64};

/// `px.pluck_float64`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "pluck_float64",
    params: &["json", "key"],
    doc: "The number at `key` of a JSON object string (null when absent or not a number).",
    build,
};

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf(
        "pluck_float64",
        vec![DataType::Utf8, DataType::Utf8],
        DataType::Float64,
        kernel,
    );
    Ok(call_udf(&udf, vec![string(a, 0)?, string(a, 1)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    str2_to_f64(args, |json, key| {
        super::json::field(json, key).and_then(super::json::as_f64)
    })
}
