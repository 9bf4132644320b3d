//! `px.lessThan(a, b)`: a < b.

use crate::ops::Cmp;
use crate::value::NativeFn;

/// `px.lessThan`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.lessThan",
    doc: "a < b.",
    call: |_, a| super::binary::compare(a, "px.lessThan", Cmp::Lt),
};
