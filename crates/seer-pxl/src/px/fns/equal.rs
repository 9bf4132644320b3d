//! `px.equal(a, b)`: a == b.

use crate::ops::Cmp;
use crate::value::NativeFn;

/// `px.equal`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.equal",
    doc: "a == b.",
    call: |_, a| super::binary::compare(a, "px.equal", Cmp::Eq),
};
