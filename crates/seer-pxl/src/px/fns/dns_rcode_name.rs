//! `px.dns_rcode_name(rcode)`: The name of a DNS response code.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, int};
use crate::udf::{RowUdf, i64_to_str};

/// `px.dns_rcode_name`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "dns_rcode_name",
    params: &["rcode"],
    doc: "The name of a DNS response code.",
    build,
};

/// DNS RCODEs (RFC 1035, 2136, 6895).
const NAMES: &[(i64, &str)] = &[
    (0, "NOERROR"),
    (1, "FORMERR"),
    (2, "SERVFAIL"),
    (3, "NXDOMAIN"),
    (4, "NOTIMP"),
    (5, "REFUSED"),
    (6, "YXDOMAIN"),
    (7, "YXRRSET"),
    (8, "NXRRSET"),
    (9, "NOTAUTH"),
    (10, "NOTZONE"),
];

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf("dns_rcode_name", vec![DataType::Int64], DataType::Utf8, kernel);
    Ok(call_udf(&udf, vec![int(a, 0)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    i64_to_str(args, |v| {
        Some(
            NAMES
                .iter()
                .find(|(k, _)| *k == v)
                .map_or_else(|| format!("{v}"), |(_, n)| (*n).to_string()),
        )
    })
}
