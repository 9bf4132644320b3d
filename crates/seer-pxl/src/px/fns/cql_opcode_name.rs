//! `px.cql_opcode_name(opcode)`: The name of a Cassandra native-protocol opcode.

use datafusion::arrow::array::ArrayRef;
use datafusion::common::Result;

use super::code_names;
use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef};

/// `px.cql_opcode_name`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "cql_opcode_name",
    params: &["opcode"],
    doc: "The name of a Cassandra native-protocol opcode.",
    build,
};

/// CQL native protocol (v3-v5) opcodes.
const NAMES: &[(i64, &str)] = &[
    (0, "Error"),
    (1, "Startup"),
    (2, "Ready"),
    (3, "Authenticate"),
    (5, "Options"),
    (6, "Supported"),
    (7, "Query"),
    (8, "Result"),
    (9, "Prepare"),
    (10, "Execute"),
    (11, "Register"),
    (12, "Event"),
    (13, "Batch"),
    (14, "AuthChallenge"),
    (15, "AuthResponse"),
    (16, "AuthSuccess"),
];

fn build(a: &[Operand]) -> Built {
    code_names::build("cql_opcode_name", a, kernel)
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    code_names::lookup(args, NAMES, None)
}
