//! `px.dns_rcode_name(rcode)`: The name of a DNS response code.

use datafusion::arrow::array::ArrayRef;
use datafusion::common::Result;

use super::code_names;
use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef};

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
    code_names::build("dns_rcode_name", a, kernel)
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    code_names::lookup(args, NAMES, None)
}
