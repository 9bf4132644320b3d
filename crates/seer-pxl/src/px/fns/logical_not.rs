//! `px.logicalNot(a)`: not a.

use crate::value::NativeFn;

/// `px.logicalNot`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.logicalNot",
    doc: "not a.",
    call: |_, a| super::binary::not(a, "px.logicalNot"),
};
