//! `px.hex_to_ascii(arg)`: Hex digits decoded to text (invalid input gives an empty string).

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, string};
use crate::udf::{RowUdf, str_to_str};

/// `px.hex_to_ascii`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "hex_to_ascii",
    params: &["arg"],
    doc: "Hex digits decoded to text (invalid input gives an empty string).",
    build,
};

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf("px_hex_to_ascii", vec![DataType::Utf8], DataType::Utf8, kernel);
    Ok(call_udf(&udf, vec![string(a, 0)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    str_to_str(args, |s| Some(decode(s).unwrap_or_default()))
}

fn decode(s: &str) -> Option<String> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let bytes = digits
        .chunks(2)
        .map(|p| std::str::from_utf8(p).ok().and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect::<Option<Vec<u8>>>()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes() {
        assert_eq!(super::decode("6869").as_deref(), Some("hi"));
        assert_eq!(super::decode("6"), None);
    }
}
