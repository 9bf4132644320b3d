//! `px.greaterThan(a, b)`: a > b.

use crate::ops::Cmp;
use crate::value::NativeFn;

/// `px.greaterThan`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.greaterThan",
    doc: "a > b.",
    call: |_, a| super::binary::compare(a, "px.greaterThan", Cmp::Gt),
};
