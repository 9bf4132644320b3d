//! Per-row `px` functions (Pixie UDFs), lowered to DataFusion expressions: one table entry each.

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::functions::math::expr_fn::abs;
use datafusion::functions::string::expr_fn::contains;
use datafusion::logical_expr::{Expr, cast, when};

use crate::args::CallArgs;
use crate::column::{ColumnExpr, Operand};
use crate::error::{DResult, Diag};
use crate::types::{PxType, type_name};
use crate::value::Value;

/// A built expression, or the index of the offending argument and what is wrong with it.
type Built = Result<Expr, (usize, String)>;

/// A per-row function: parameter names and a builder that type-checks the operands.
pub(crate) struct ScalarDef {
    /// Name after `px.`.
    pub name: &'static str,
    pub params: &'static [&'static str],
    /// Builds the expression, or says which argument (by index) has the wrong type and why.
    pub build: fn(&[Operand]) -> Built,
}

/// Every supported per-row function.
pub(crate) static SCALARS: &[ScalarDef] = &[
    ScalarDef {
        name: "select",
        params: &["cond", "if_true", "if_false"],
        build: select,
    },
    ScalarDef {
        name: "contains",
        params: &["arg", "substr"],
        build: |a| Ok(contains(string(a, 0)?, string(a, 1)?)),
    },
    ScalarDef {
        name: "abs",
        params: &["value"],
        build: |a| Ok(abs(numeric(a, 0)?)),
    },
    ScalarDef {
        name: "bin",
        params: &["value", "size"],
        build: bin,
    },
];

/// `px.<name>`, if it is a per-row function.
pub(crate) fn lookup(name: &str) -> Option<&'static ScalarDef> {
    SCALARS.iter().find(|s| s.name == name)
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

fn want(a: &[Operand], i: usize, ok: bool, what: &str) -> Built {
    let dt = a.get(i).map_or(DataType::Null, |o| o.dt.clone());
    match a.get(i) {
        Some(o) if ok => Ok(o.expr.clone()),
        _ => Err((i, format!("must be {what}, got {}", type_name(&dt)))),
    }
}

fn string(a: &[Operand], i: usize) -> Built {
    let ok = a.get(i).is_some_and(|o| o.ty() == PxType::String);
    want(a, i, ok, "STRING").map(|_| a[i].utf8())
}

fn numeric(a: &[Operand], i: usize) -> Built {
    want(a, i, a.get(i).is_some_and(|o| o.ty().is_numeric()), "numeric")
}

/// `px.select(cond, a, b)`: `a` where `cond` holds, else `b`.
fn select(a: &[Operand]) -> Built {
    let cond = want(a, 0, a.first().is_some_and(|o| o.ty() == PxType::Boolean), "BOOLEAN")?;
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

/// `px.bin(x, n)`: `x` rounded down to a multiple of `n` (times stay times, floats become integers).
fn bin(a: &[Operand]) -> Built {
    let ty = a.first().map(Operand::ty);
    let x = want(
        a,
        0,
        matches!(ty, Some(PxType::Int64 | PxType::Float64 | PxType::Time)),
        "INT64, FLOAT64 or TIME64NS",
    )?;
    let n = want(a, 1, a.get(1).is_some_and(|o| o.ty() == PxType::Int64), "INT64")?;
    let x = cast(x, DataType::Int64);
    let binned = x.clone() - x % n;
    Ok(if ty == Some(PxType::Time) {
        cast(binned, DataType::Timestamp(TimeUnit::Nanosecond, None))
    } else {
        binned
    })
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
            error(&format!("{HEAD}x = px.abs(-1)\n")),
            "3:5: expected at least one column argument"
        );
        assert_eq!(
            error(&format!("{HEAD}x = px.abs()\n")),
            "3:5: px.abs() missing required argument 'value'"
        );
    }
}
