//! `px.add(a, b)`: a + b (numbers; strings concatenate; time + duration).

use crate::ops::Arith;
use crate::value::NativeFn;

/// `px.add`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.add",
    doc: "a + b (numbers; strings concatenate; time + duration).",
    call: |_, a| super::binary::arith(a, "px.add", Arith::Add),
};
