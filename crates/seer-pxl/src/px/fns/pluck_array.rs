//! `px.pluck_array(json, index)`: the element at `index` of a JSON array string, as a string.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, int, string};
use crate::udf::{RowUdf, str_i64_to_str};

/// `px.pluck_array`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "pluck_array",
    params: &["json", "index"],
    doc: "The element at `index` of a JSON array string, as a string (null when out of range).",
    build,
};

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf(
        "pluck_array",
        vec![DataType::Utf8, DataType::Int64],
        DataType::Utf8,
        kernel,
    );
    Ok(call_udf(&udf, vec![string(a, 0)?, int(a, 1)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    str_i64_to_str(args, |json, i| {
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        let item = value.as_array()?.get(usize::try_from(i).ok()?)?;
        super::json::as_text(item.clone())
    })
}
