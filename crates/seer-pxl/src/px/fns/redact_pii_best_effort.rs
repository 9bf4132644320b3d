//! `px.redact_pii_best_effort(text)`: the text with personal data replaced by markers such as
//! `<REDACTED_EMAIL>` (categories in `crate::pii`).

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, string};
use crate::udf::{RowUdf, str_to_str};

/// `px.redact_pii_best_effort`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "redact_pii_best_effort",
    params: &["text"],
    doc: "The text with IBANs, e-mails, IP and MAC addresses, IMEIs, card numbers and SSNs redacted.",
    build,
};

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf("redact_pii_best_effort", vec![DataType::Utf8], DataType::Utf8, kernel);
    Ok(call_udf(&udf, vec![string(a, 0)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    str_to_str(args, |s| Some(crate::pii::redact(s)))
}
