//! `px.lessThanEqual(a, b)`: a <= b.

use crate::ops::Cmp;
use crate::value::NativeFn;

/// `px.lessThanEqual`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.lessThanEqual",
    doc: "a <= b.",
    call: |_, a| super::binary::compare(a, "px.lessThanEqual", Cmp::LtE),
};
