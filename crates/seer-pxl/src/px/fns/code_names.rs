//! Shared by the `px` functions that name a numeric code from a table (`px.cql_opcode_name`,
//! `px.dns_rcode_name`, `px.protocol_name`, …): the call of the one-`Int64`-argument UDF and its
//! lookup kernel.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, call_udf, int};
use crate::udf::{Kernel, RowUdf, i64_to_str};

/// `name(a[0])`: the UDF `name` from `Int64` to `Utf8`, computed by `kernel`.
pub(super) fn build(name: &'static str, a: &[Operand], kernel: Kernel) -> Built {
    let udf = RowUdf::udf(name, vec![DataType::Int64], DataType::Utf8, kernel);
    Ok(call_udf(&udf, vec![int(a, 0)?]))
}

/// Each code of `args[0]` as its name in `names`; a code not there as `unknown`, or as its number
/// when `unknown` is `None`.
pub(super) fn lookup(args: &[ArrayRef], names: &[(i64, &str)], unknown: Option<&str>) -> Result<ArrayRef> {
    i64_to_str(args, |v| {
        Some(names.iter().find(|(k, _)| *k == v).map_or_else(
            || unknown.map_or_else(|| format!("{v}"), str::to_string),
            |(_, n)| (*n).to_string(),
        ))
    })
}
