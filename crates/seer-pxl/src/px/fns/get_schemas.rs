//! `px.GetSchemas()`: every column of every table, with its type, pattern and description.

use crate::args::CallArgs;
use crate::error::DResult;
use crate::interp::Interp;
use crate::value::{NativeFn, Value};

/// `px.GetSchemas`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.GetSchemas",
    doc: "Every column of every table: table_name, column_name, column_type, semantic_type, pattern_type, column_desc.",
    call,
};

fn call(_: &mut Interp, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    args.none("px.GetSchemas")?;
    let mut rows = Vec::new();
    for t in seer_types::tables::all() {
        for c in t.columns {
            rows.push(vec![
                t.name.to_string(),
                c.name.to_string(),
                c.data_type.name().to_string(),
                c.semantic.name().to_string(),
                format!("{:?}", c.pattern),
                c.desc.to_string(),
            ]);
        }
    }
    let cols = [
        "table_name",
        "column_name",
        "column_type",
        "semantic_type",
        "pattern_type",
        "column_desc",
    ];
    super::frame_of::strings("schemas", &cols, &rows, range)
}
