//! `px.amqp_frame_type_name(frame_type)`: The name of an AMQP 0-9-1 frame type.

use datafusion::arrow::array::ArrayRef;
use datafusion::common::Result;

use super::code_names;
use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef};

/// `px.amqp_frame_type_name`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "amqp_frame_type_name",
    params: &["frame_type"],
    doc: "The name of an AMQP 0-9-1 frame type.",
    build,
};

/// AMQP 0-9-1 frame types.
const NAMES: &[(i64, &str)] = &[(1, "Method"), (2, "Header"), (3, "Body"), (8, "Heartbeat")];

fn build(a: &[Operand]) -> Built {
    code_names::build("amqp_frame_type_name", a, kernel)
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    code_names::lookup(args, NAMES, None)
}
