//! `px.multiply(a, b)`: a * b.

use crate::ops::Arith;
use crate::value::NativeFn;

/// `px.multiply`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.multiply",
    doc: "a * b.",
    call: |_, a| super::binary::arith(a, "px.multiply", Arith::Mul),
};
