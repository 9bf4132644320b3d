//! `px.logicalOr(a, b)`: a or b.

use crate::value::NativeFn;

/// `px.logicalOr`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.logicalOr",
    doc: "a or b.",
    call: |_, a| super::binary::logical(a, "px.logicalOr", false),
};
