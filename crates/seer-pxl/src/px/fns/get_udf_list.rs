//! `px.GetUDFList()`: the udf functions of `px` (host metadata functions included).

use crate::args::CallArgs;
use crate::error::DResult;
use crate::interp::Interp;
use crate::registry::{FunctionKind, functions};
use crate::value::{NativeFn, Value};

/// `px.GetUDFList`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.GetUDFList",
    doc: "The udf functions: name, args, doc.",
    call,
};

fn call(interp: &mut Interp, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    args.none("px.GetUDFList")?;
    let mut rows: Vec<Vec<String>> = functions()
        .into_iter()
        .filter(|f| f.kind == FunctionKind::Scalar)
        .map(|f| vec![f.name, f.params.join(", "), f.doc])
        .collect();
    for name in interp.catalog().udf_names() {
        rows.push(vec![name, String::new(), "Host metadata function.".into()]);
    }
    super::frame_of::strings("udfs", &["name", "args", "doc"], &rows, range)
}
