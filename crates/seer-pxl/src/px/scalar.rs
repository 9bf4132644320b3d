//! Per-row `px` functions (Pixie UDFs), lowered to DataFusion expressions: one table entry each.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::{Expr, ScalarUDF, cast};

use crate::args::CallArgs;
use crate::column::{ColumnExpr, Operand};
use crate::error::{DResult, Diag};
use crate::types::{PxType, type_name};
use crate::value::Value;

/// A built expression, or the index of the offending argument and what is wrong with it.
pub(crate) type Built = Result<Expr, (usize, String)>;

/// A per-row function: parameter names and a builder that type-checks the operands.
pub(crate) struct ScalarDef {
    /// Name after `px.`.
    pub name: &'static str,
    pub params: &'static [&'static str],
    /// One-line description (shown by `seer functions` and `px/funcs`).
    pub doc: &'static str,
    /// Builds the expression, or says which argument (by index) has the wrong type and why.
    pub build: fn(&[Operand]) -> Built,
}

/// `px.<name>`, if it is a per-row function.
pub(crate) fn lookup(name: &str) -> Option<&'static ScalarDef> {
    super::fns::SCALARS.iter().copied().find(|s| s.name == name)
}

/// Calls `def` on evaluated arguments; at least one must be a column.
pub(crate) fn call(def: &ScalarDef, args: CallArgs) -> DResult<Value> {
    let func = format!("px.{}", def.name);
    let range = args.range;
    let mut bound = args.bind(&func, def.params, def.params)?;
    let args = def.params.iter().map(|p| bound.req(p)).collect::<DResult<Vec<_>>>()?;
    let operands = args
        .iter()
        .map(|a| Operand::of(&a.value, a.range))
        .collect::<DResult<Vec<_>>>()?;
    let expr = (def.build)(&operands).map_err(|(i, msg)| {
        let (param, at) = (
            def.params.get(i).copied().unwrap_or("?"),
            args.get(i).map_or(range, |a| a.range),
        );
        Diag::ty(at, format!("argument '{param}' of {func}() {msg}"))
    })?;
    let refs: Vec<&Operand> = operands.iter().collect();
    Ok(Value::Column(ColumnExpr::from_operands(expr, &refs, range)?))
}

pub(crate) fn want(a: &[Operand], i: usize, ok: bool, what: &str) -> Built {
    let dt = a.get(i).map_or(DataType::Null, |o| o.dt.clone());
    match a.get(i) {
        Some(o) if ok => Ok(o.expr.clone()),
        _ => Err((i, format!("must be {what}, got {}", type_name(&dt)))),
    }
}

pub(crate) fn string(a: &[Operand], i: usize) -> Built {
    let ok = a.get(i).is_some_and(|o| o.ty() == PxType::String);
    want(a, i, ok, "STRING").map(|_| a[i].utf8())
}

pub(crate) fn numeric(a: &[Operand], i: usize) -> Built {
    want(a, i, a.get(i).is_some_and(|o| o.ty().is_numeric()), "numeric")
}

/// A FLOAT64 operand (integers are converted).
pub(crate) fn float(a: &[Operand], i: usize) -> Built {
    numeric(a, i).map(|e| cast(e, DataType::Float64))
}

/// An INT64 operand.
pub(crate) fn int(a: &[Operand], i: usize) -> Built {
    want(a, i, a.get(i).is_some_and(|o| o.ty() == PxType::Int64), "INT64").map(|e| cast(e, DataType::Int64))
}

/// A BOOLEAN operand.
pub(crate) fn boolean(a: &[Operand], i: usize) -> Built {
    want(a, i, a.get(i).is_some_and(|o| o.ty() == PxType::Boolean), "BOOLEAN")
}

/// A TIME64NS operand.
pub(crate) fn time(a: &[Operand], i: usize) -> Built {
    want(a, i, a.get(i).is_some_and(|o| o.ty() == PxType::Time), "TIME64NS")
}

/// Calls a DataFusion scalar function.
pub(crate) fn call_udf(udf: &Arc<ScalarUDF>, args: Vec<Expr>) -> Expr {
    udf.call(args)
}

#[cfg(test)]
mod tests {
    use crate::PxlError;
    use crate::testing::{columns, error};

    const HEAD: &str = "import px\ndf = px.DataFrame('http_events')\n";

    #[test]
    fn builds_typed_columns() -> Result<(), PxlError> {
        let src = format!(
            "{HEAD}df.t = px.bin(df.time_, 10)\ndf.f = px.bin(df.latency / 2, 10)\npx.display(df[['t', 'f']])\n"
        );
        assert_eq!(columns(&src)?, [["t", "f"]]);
        Ok(())
    }

    #[test]
    fn errors_name_the_argument() {
        assert_eq!(
            error(&format!("{HEAD}df.x = px.abs(df.req_path)\n")),
            "3:15: argument 'value' of px.abs() must be numeric, got STRING"
        );
        assert_eq!(
            error(&format!("{HEAD}df.x = px.bin(df.latency, 1.5)\n")),
            "3:27: argument 'size' of px.bin() must be INT64, got FLOAT64"
        );
        assert_eq!(
            error(&format!("{HEAD}df.x = px.select(df.latency, 1, 2)\n")),
            "3:18: argument 'cond' of px.select() must be BOOLEAN, got INT64"
        );
        assert_eq!(
            error(&format!("{HEAD}x = px.abs()\n")),
            "3:5: px.abs() missing required argument 'value'"
        );
    }
}
