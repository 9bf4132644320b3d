//! `px.equals_any(value, [candidates])`: whether the value equals one of the constants.

use crate::args::CallArgs;
use crate::error::{DResult, Diag};
use crate::interp::Interp;
use crate::ops::{self, Cmp};
use crate::value::{NativeFn, Value};

/// `px.equals_any`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.equals_any",
    doc: "Whether the value equals any of a list of constants.",
    call,
};

fn call(_: &mut Interp, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    let mut b = args.bind("px.equals_any", &["value", "candidates"], &["value", "candidates"])?;
    let value = b.req("value")?.value;
    let list = b.req("candidates")?;
    let (Value::List(items) | Value::Tuple(items)) = list.value else {
        return Err(Diag::arg(
            list.range,
            "argument 'candidates' of px.equals_any() must be a list",
        ));
    };
    let mut acc = Value::Bool(false);
    for item in &items {
        let eq = ops::compare(Cmp::Eq, &value, item, range)?;
        acc = match (acc.is_const(), eq.is_const()) {
            (true, true) => Value::Bool(acc.truthy() == Some(true) || eq.truthy() == Some(true)),
            (true, false) if acc.truthy() == Some(false) => eq,
            _ => ops::logical(false, &acc, &eq, range)?,
        };
    }
    Ok(acc)
}
