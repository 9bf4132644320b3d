//! `px.select(cond, if_true, if_false)`: `if_true` where `cond` holds, else `if_false` (per row).

use datafusion::logical_expr::when;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, boolean};
use crate::types::{PxType, type_name};

/// `px.select`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "select",
    params: &["cond", "if_true", "if_false"],
    doc: "`if_true` where `cond` holds, else `if_false` (per row).",
    build,
};

fn build(a: &[Operand]) -> Built {
    let cond = boolean(a, 0)?;
    let (t, f) = (&a[1], &a[2]);
    let compatible = t.ty() == f.ty() || (t.ty().is_numeric() && f.ty().is_numeric());
    if !compatible {
        return Err((
            2,
            format!(
                "must have the type of 'if_true' ({}), got {}",
                type_name(&t.dt),
                type_name(&f.dt)
            ),
        ));
    }
    let (te, fe) = if t.ty() == PxType::String {
        (t.utf8(), f.utf8())
    } else {
        (t.expr.clone(), f.expr.clone())
    };
    when(cond, te).otherwise(fe).map_err(|e| (0, e.strip_backtrace()))
}
