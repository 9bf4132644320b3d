//! `px.subtract(a, b)`: a - b.

use crate::ops::Arith;
use crate::value::NativeFn;

/// `px.subtract`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.subtract",
    doc: "a - b.",
    call: |_, a| super::binary::arith(a, "px.subtract", Arith::Sub),
};
