//! `px.mux_frame_type_name(frame_type)`: The name of a Finagle Mux message type.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, int};
use crate::udf::{RowUdf, i64_to_str};

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
    let udf = RowUdf::udf("mux_frame_type_name", vec![DataType::Int64], DataType::Utf8, kernel);
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
