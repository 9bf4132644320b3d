//! `px.amqp_method_name(class_id, method_id)`: the name of an AMQP 0-9-1 method.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, int};
use crate::udf::{RowUdf, i64x2_to_str};

/// `px.amqp_method_name`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "amqp_method_name",
    params: &["class_id", "method_id"],
    doc: "The name of an AMQP 0-9-1 method, e.g. BasicPublish.",
    build,
};

/// A class id, its name, and its methods (id, name).
type Class = (i64, &'static str, &'static [(i64, &'static str)]);

/// AMQP 0-9-1 classes and their methods.
const METHODS: &[Class] = &[
    (
        10,
        "Connection",
        &[
            (10, "Start"),
            (11, "StartOk"),
            (20, "Secure"),
            (21, "SecureOk"),
            (30, "Tune"),
            (31, "TuneOk"),
            (40, "Open"),
            (41, "OpenOk"),
            (50, "Close"),
            (51, "CloseOk"),
            (60, "Blocked"),
            (61, "Unblocked"),
        ],
    ),
    (
        20,
        "Channel",
        &[
            (10, "Open"),
            (11, "OpenOk"),
            (20, "Flow"),
            (21, "FlowOk"),
            (40, "Close"),
            (41, "CloseOk"),
        ],
    ),
    (
        40,
        "Exchange",
        &[
            (10, "Declare"),
            (11, "DeclareOk"),
            (20, "Delete"),
            (21, "DeleteOk"),
            (30, "Bind"),
            (31, "BindOk"),
            (40, "Unbind"),
            (51, "UnbindOk"),
        ],
    ),
    (
        50,
        "Queue",
        &[
            (10, "Declare"),
            (11, "DeclareOk"),
            (20, "Bind"),
            (21, "BindOk"),
            (30, "Purge"),
            (31, "PurgeOk"),
            (40, "Delete"),
            (41, "DeleteOk"),
            (50, "Unbind"),
            (51, "UnbindOk"),
        ],
    ),
    (
        60,
        "Basic",
        &[
            (10, "Qos"),
            (11, "QosOk"),
            (20, "Consume"),
            (21, "ConsumeOk"),
            (30, "Cancel"),
            (31, "CancelOk"),
            (40, "Publish"),
            (50, "Return"),
            (60, "Deliver"),
            (70, "Get"),
            (71, "GetOk"),
            (72, "GetEmpty"),
            (80, "Ack"),
            (90, "Reject"),
            (100, "RecoverAsync"),
            (110, "Recover"),
            (111, "RecoverOk"),
            (120, "Nack"),
        ],
    ),
    (85, "Confirm", &[(10, "Select"), (11, "SelectOk")]),
    (
        90,
        "Tx",
        &[
            (10, "Select"),
            (11, "SelectOk"),
            (20, "Commit"),
            (21, "CommitOk"),
            (30, "Rollback"),
            (31, "RollbackOk"),
        ],
    ),
];

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf(
        "amqp_method_name",
        vec![DataType::Int64, DataType::Int64],
        DataType::Utf8,
        kernel,
    );
    Ok(call_udf(&udf, vec![int(a, 0)?, int(a, 1)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    i64x2_to_str(args, |class, method| {
        let found = METHODS
            .iter()
            .find(|(c, _, _)| *c == class)
            .and_then(|(_, cname, methods)| {
                methods
                    .iter()
                    .find(|(m, _)| *m == method)
                    .map(|(_, mname)| format!("{cname}{mname}"))
            });
        Some(found.unwrap_or_else(|| format!("Unknown({class}, {method})")))
    })
}
