//! `px.parse_time(t)`: a relative (`'-5m'`) or absolute (`'2024-01-02 03:04:05 -0700'`) time string, or an
//! integer, as nanoseconds since the epoch (compile time).

use crate::args::CallArgs;
use crate::error::DResult;
use crate::interp::Interp;
use crate::px::time;
use crate::value::{NativeFn, Value};

/// `px.parse_time`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.parse_time",
    doc: "A relative or absolute time string, or integer nanoseconds, as nanoseconds since the epoch.",
    call,
};

fn call(interp: &mut Interp, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    let mut b = args.bind("px.parse_time", &["time"], &["time"])?;
    let arg = b.req("time")?;
    let ns = time::resolve(&arg, interp.now_ns(), "time")?;
    ns.map(Value::Int)
        .ok_or_else(|| crate::error::Diag::arg(range, "px.parse_time() needs a time, got None"))
}
