//! `px.greaterThanEqual(a, b)`: a >= b.

use crate::ops::Cmp;
use crate::value::NativeFn;

/// `px.greaterThanEqual`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.greaterThanEqual",
    doc: "a >= b.",
    call: |_, a| super::binary::compare(a, "px.greaterThanEqual", Cmp::GtE),
};
