//! `px.script_reference(label, script, args={})`: a deep link to another script, as the JSON string
//! `{"label": …, "script": …, "args": {…}}` (per row: label and argument values may be columns).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{Expr, cast, lit};

use crate::args::{Arg, CallArgs};
use crate::column::{ColumnExpr, Operand};
use crate::error::{DResult, Diag};
use crate::interp::Interp;
use crate::types::PxType;
use crate::udf::RowUdf;
use crate::value::{NativeFn, Value};

/// `px.script_reference`.
pub(crate) static DEF: NativeFn = NativeFn {
    name: "px.script_reference",
    doc: "A link to another script with arguments, as JSON {label, script, args}.",
    call,
};

fn text(arg: &Arg) -> DResult<(Expr, Operand)> {
    let op = Operand::of(&arg.value, arg.range)?;
    let e = match op.ty() {
        PxType::String => op.utf8(),
        PxType::Int64 | PxType::Float64 | PxType::Boolean | PxType::Time => cast(op.expr.clone(), DataType::Utf8),
        _ => {
            return Err(Diag::ty(
                arg.range,
                "script_reference arguments must be strings, numbers or times",
            ));
        }
    };
    Ok((e, op))
}

fn call(_: &mut Interp, args: CallArgs) -> DResult<Value> {
    let range = args.range;
    let mut b = args.bind(
        "px.script_reference",
        &["label", "script", "args"],
        &["label", "script"],
    )?;
    let mut exprs = Vec::new();
    let mut operands = Vec::new();
    for a in [b.req("label")?, b.req("script")?] {
        let (e, op) = text(&a)?;
        exprs.push(e);
        operands.push(op);
    }
    if let Some(a) = b.take("args") {
        let Value::Dict(items) = &a.value else {
            return Err(Diag::arg(
                a.range,
                "argument 'args' of px.script_reference() must be a dict",
            ));
        };
        for (k, v) in items {
            let Value::Str(key) = k else {
                return Err(Diag::arg(
                    a.range,
                    "px.script_reference() argument names must be strings",
                ));
            };
            exprs.push(lit(key.clone()));
            let (e, op) = text(&Arg {
                value: v.clone(),
                range: a.range,
                elems: vec![],
            })?;
            exprs.push(e);
            operands.push(op);
        }
    }
    let udf = RowUdf::variadic_utf8("_script_reference", DataType::Utf8, kernel);
    let refs: Vec<&Operand> = operands.iter().collect();
    ColumnExpr::from_operands(udf.call(exprs), &refs, range).map(Value::Column)
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let cols = args
        .iter()
        .map(|a| a.as_string_opt::<i32>())
        .collect::<Option<Vec<&StringArray>>>();
    let Some(cols) = cols.filter(|c| c.len() >= 2) else {
        return exec_err!("_script_reference expects at least two Utf8 arguments");
    };
    let rows = cols[0].len();
    let value = |c: &StringArray, i: usize| {
        if c.is_null(i) {
            String::new()
        } else {
            c.value(i).to_string()
        }
    };
    let out: StringArray = (0..rows)
        .map(|i| {
            let mut map = serde_json::Map::new();
            for pair in cols[2..].chunks(2) {
                if let [k, v] = pair {
                    map.insert(value(k, i), serde_json::Value::String(value(v, i)));
                }
            }
            let json = serde_json::json!({"label": value(cols[0], i), "script": value(cols[1], i), "args": map});
            Some(json.to_string())
        })
        .collect();
    Ok(Arc::new(out))
}
