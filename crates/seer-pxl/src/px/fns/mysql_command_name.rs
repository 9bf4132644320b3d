//! `px.mysql_command_name(cmd)`: The name of a MySQL client command byte.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, int};
use crate::udf::{RowUdf, i64_to_str};

/// `px.mysql_command_name`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "mysql_command_name",
    params: &["cmd"],
    doc: "The name of a MySQL client command byte.",
    build,
};

/// MySQL client/server protocol command bytes.
const NAMES: &[(i64, &str)] = &[
    (0, "Sleep"),
    (1, "Quit"),
    (2, "InitDB"),
    (3, "Query"),
    (4, "FieldList"),
    (5, "CreateDB"),
    (6, "DropDB"),
    (7, "Refresh"),
    (8, "Shutdown"),
    (9, "Statistics"),
    (10, "ProcessInfo"),
    (11, "Connect"),
    (12, "ProcessKill"),
    (13, "Debug"),
    (14, "Ping"),
    (15, "Time"),
    (16, "DelayedInsert"),
    (17, "ChangeUser"),
    (18, "BinlogDump"),
    (19, "TableDump"),
    (20, "ConnectOut"),
    (21, "RegisterSlave"),
    (22, "StmtPrepare"),
    (23, "StmtExecute"),
    (24, "StmtSendLongData"),
    (25, "StmtClose"),
    (26, "StmtReset"),
    (27, "SetOption"),
    (28, "StmtFetch"),
    (29, "Daemon"),
    (30, "BinlogDumpGTID"),
    (31, "ResetConnection"),
];

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf("mysql_command_name", vec![DataType::Int64], DataType::Utf8, kernel);
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
