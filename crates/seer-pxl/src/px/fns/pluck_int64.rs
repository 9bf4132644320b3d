//! `px.pluck_int64(json, key)`: The integer at `key` of a JSON object string (null when absent or not an integer).

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, string};
use crate::udf::{RowUdf, str2_to_i64};

/// `px.pluck_int64`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "pluck_int64",
    params: &["json", "key"],
    doc: "The integer at `key` of a JSON object string (null when absent or not an integer).",
    build,
};

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf(
        "pluck_int64",
        vec![DataType::Utf8, DataType::Utf8],
        DataType::Int64,
        kernel,
    );
    Ok(call_udf(&udf, vec![string(a, 0)?, string(a, 1)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    str2_to_i64(args, |json, key| {
        super::json::field(json, key).and_then(super::json::as_i64)
    })
}
