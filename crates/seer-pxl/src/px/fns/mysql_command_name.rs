//! `px.mysql_command_name(cmd)`: The name of a MySQL client command byte.

use datafusion::arrow::array::ArrayRef;
use datafusion::common::Result;

use super::code_names;
use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef};

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
    code_names::build("mysql_command_name", a, kernel)
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    code_names::lookup(args, NAMES, None)
}
