//! `px.notEqual(a, b)`: a != b.

use crate::ops::Cmp;
use crate::value::NativeFn;

/// `px.notEqual`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.notEqual",
    doc: "a != b.",
    call: |_, a| super::binary::compare(a, "px.notEqual", Cmp::NotEq),
};
