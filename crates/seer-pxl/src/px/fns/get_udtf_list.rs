//! `px.GetUDTFList()`: the udtf functions of `px`.

use crate::args::CallArgs;
use crate::error::DResult;
use crate::interp::Interp;
use crate::registry::{FunctionKind, functions};
use crate::value::{NativeFn, Value};

/// `px.GetUDTFList`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.GetUDTFList",
    doc: "The udtf functions: name, args, doc.",
    call,
};

fn call(_: &mut Interp, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    args.none("px.GetUDTFList")?;
    let rows: Vec<Vec<String>> = functions()
        .into_iter()
        .filter(|f| f.kind == FunctionKind::Table)
        .map(|f| vec![f.name, f.params.join(", "), f.doc])
        .collect();
    super::frame_of::strings("udtfs", &["name", "args", "doc"], &rows, range)
}
