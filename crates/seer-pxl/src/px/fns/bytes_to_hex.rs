//! `px.bytes_to_hex(arg)`: The string's bytes as lower-case hex digits.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, string};
use crate::udf::{RowUdf, str_to_str};

/// `px.bytes_to_hex`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "bytes_to_hex",
    params: &["arg"],
    doc: "The string's bytes as lower-case hex digits.",
    build,
};

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf("px_bytes_to_hex", vec![DataType::Utf8], DataType::Utf8, kernel);
    Ok(call_udf(&udf, vec![string(a, 0)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    str_to_str(args, |s| Some(s.bytes().map(|b| format!("{b:02x}")).collect()))
}
