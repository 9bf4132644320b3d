//! `px.GetTables()`: every table with its description and column count.

use crate::args::CallArgs;
use crate::error::DResult;
use crate::interp::Interp;
use crate::value::{NativeFn, Value};

/// `px.GetTables`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.GetTables",
    doc: "Every table: table_name, table_desc, num_columns.",
    call,
};

fn call(_: &mut Interp, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    args.none("px.GetTables")?;
    let rows: Vec<Vec<String>> = seer_types::tables::all()
        .iter()
        .map(|t| vec![t.name.to_string(), t.desc.to_string(), t.columns.len().to_string()])
        .collect();
    super::frame_of::strings("tables", &["table_name", "table_desc", "num_columns"], &rows, range)
}
