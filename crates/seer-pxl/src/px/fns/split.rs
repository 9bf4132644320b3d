//! `px.split(arg, delimiter)`: The string split at `delimiter`, as a JSON array string.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, string};
use crate::udf::{RowUdf, str2_to_str};

/// `px.split`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "split",
    params: &["arg", "delimiter"],
    doc: "The string split at `delimiter`, as a JSON array string.",
    build,
};

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf("px_split", vec![DataType::Utf8, DataType::Utf8], DataType::Utf8, kernel);
    Ok(call_udf(&udf, vec![string(a, 0)?, string(a, 1)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    str2_to_str(args, |s, d| {
        let parts: Vec<&str> = if d.is_empty() { vec![s] } else { s.split(d).collect() };
        serde_json::to_string(&parts).ok()
    })
}
