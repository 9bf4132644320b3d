//! `px.modulo(a, b)`: a % b.

use crate::ops::Arith;
use crate::value::NativeFn;

/// `px.modulo`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.modulo",
    doc: "a % b.",
    call: |_, a| super::binary::arith(a, "px.modulo", Arith::Mod),
};
