//! `px.amqp_frame_type_name(frame_type)`: The name of an AMQP 0-9-1 frame type.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, int};
use crate::udf::{RowUdf, i64_to_str};

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
    let udf = RowUdf::udf("amqp_frame_type_name", vec![DataType::Int64], DataType::Utf8, kernel);
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
