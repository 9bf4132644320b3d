//! `px.grpc_status_code_to_str(code)`: The name of a gRPC status code.

use datafusion::arrow::array::ArrayRef;
use datafusion::common::Result;

use super::code_names;
use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef};

/// `px.grpc_status_code_to_str`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "grpc_status_code_to_str",
    params: &["code"],
    doc: "The name of a gRPC status code.",
    build,
};

/// gRPC status codes.
const NAMES: &[(i64, &str)] = &[
    (0, "OK"),
    (1, "CANCELLED"),
    (2, "UNKNOWN"),
    (3, "INVALID_ARGUMENT"),
    (4, "DEADLINE_EXCEEDED"),
    (5, "NOT_FOUND"),
    (6, "ALREADY_EXISTS"),
    (7, "PERMISSION_DENIED"),
    (8, "RESOURCE_EXHAUSTED"),
    (9, "FAILED_PRECONDITION"),
    (10, "ABORTED"),
    (11, "OUT_OF_RANGE"),
    (12, "UNIMPLEMENTED"),
    (13, "INTERNAL"),
    (14, "UNAVAILABLE"),
    (15, "DATA_LOSS"),
    (16, "UNAUTHENTICATED"),
];

fn build(a: &[Operand]) -> Built {
    code_names::build("grpc_status_code_to_str", a, kernel)
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    code_names::lookup(args, NAMES, None)
}
