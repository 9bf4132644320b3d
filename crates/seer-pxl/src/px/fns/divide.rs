//! `px.divide(a, b)`: a / b as FLOAT64.

use crate::ops::Arith;
use crate::value::NativeFn;

/// `px.divide`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.divide",
    doc: "a / b as FLOAT64.",
    call: |_, a| super::binary::arith(a, "px.divide", Arith::Div),
};
