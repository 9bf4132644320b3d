//! `px.pluck(json, key)`: The value at `key` of a JSON object string, as a string (null when absent).

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, string};
use crate::udf::{RowUdf, str2_to_str};

/// `px.pluck`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "pluck",
    params: &["json", "key"],
    doc: "The value at `key` of a JSON object string, as a string (null when absent).",
    build,
};

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf("pluck", vec![DataType::Utf8, DataType::Utf8], DataType::Utf8, kernel);
    Ok(call_udf(&udf, vec![string(a, 0)?, string(a, 1)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    str2_to_str(args, |json, key| {
        super::json::field(json, key).and_then(super::json::as_text)
    })
}
