//! `px.mux_frame_type_name(frame_type)`: The name of a Finagle Mux message type.

use datafusion::arrow::array::ArrayRef;
use datafusion::common::Result;

use super::code_names;
use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef};

/// `px.mux_frame_type_name`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "mux_frame_type_name",
    params: &["frame_type"],
    doc: "The name of a Finagle Mux message type.",
    build,
};

/// Mux message types (T = request, R = reply).
const NAMES: &[(i64, &str)] = &[
    (1, "Treq"),
    (-1, "Rreq"),
    (2, "Tdispatch"),
    (-2, "Rdispatch"),
    (64, "Tdrain"),
    (-64, "Rdrain"),
    (65, "Tping"),
    (-65, "Rping"),
    (66, "Tdiscarded"),
    (-66, "Rdiscarded"),
    (67, "Tlease"),
    (68, "Tinit"),
    (-68, "Rinit"),
    (-128, "Rerr"),
    (127, "Rerr_old"),
    (-62, "Tdiscarded_old"),
];

fn build(a: &[Operand]) -> Built {
    code_names::build("mux_frame_type_name", a, kernel)
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    code_names::lookup(args, NAMES, None)
}
