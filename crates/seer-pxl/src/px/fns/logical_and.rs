//! `px.logicalAnd(a, b)`: a and b.

use crate::value::NativeFn;

/// `px.logicalAnd`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.logicalAnd",
    doc: "a and b.",
    call: |_, a| super::binary::logical(a, "px.logicalAnd", true),
};
