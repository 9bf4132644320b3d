//! Calls: to natives, methods, user functions; and Python's builtins.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use super::Interp;
use crate::args::CallArgs;
use crate::error::{DResult, Diag, ErrorKind};
use crate::frame::methods;
use crate::value::{NativeFn, Value};

/// Python builtins PxL scripts may call.
static BUILTINS: &[NativeFn] = &[
    NativeFn {
        name: "len",
        doc: "Length of a constant string, list or dict.",
        call: len,
    },
    NativeFn {
        name: "str",
        doc: "A constant as a string.",
        call: to_str,
    },
    NativeFn {
        name: "int",
        doc: "A constant as an integer.",
        call: to_int,
    },
    NativeFn {
        name: "float",
        doc: "A constant as a float.",
        call: to_float,
    },
    NativeFn {
        name: "bool",
        doc: "Truthiness of a constant.",
        call: to_bool,
    },
];

/// The builtin called `name`.
pub(super) fn builtin(name: &str) -> Option<Value> {
    BUILTINS.iter().find(|b| b.name == name).map(Value::Native)
}

impl Interp<'_> {
    pub(super) fn call_expr(&mut self, c: &ast::ExprCall) -> DResult<Value> {
        let callee = self.callee(&c.func)?;
        let mut args = CallArgs {
            range: c.range(),
            positional: Vec::new(),
            keywords: Vec::new(),
        };
        for e in &c.arguments.args {
            args.positional.push(self.arg(e, e.range())?);
        }
        for k in &c.arguments.keywords {
            let name = k
                .arg
                .as_ref()
                .ok_or_else(|| Diag::unsupported(k.range, "PxL does not support `**` arguments"))?;
            args.keywords.push((name.to_string(), self.arg(&k.value, k.range)?));
        }
        self.call(callee, args)
    }

    /// The function being called; `df.name(...)` where `name` is not a method is an error about methods.
    fn callee(&mut self, func: &Expr) -> DResult<Value> {
        if let Expr::Attribute(a) = func {
            let obj = self.eval(&a.value)?;
            if let Value::DataFrame(df) = &obj {
                let attr = a.attr.as_str();
                let known = methods::DATAFRAME.iter().any(|m| m.name == attr) || methods::NOT_YET.contains(&attr);
                if !known {
                    let what = if df.column(attr, a.attr.range).is_ok() {
                        "is a column, not a method"
                    } else {
                        "is not a DataFrame method"
                    };
                    return Err(Diag::new(ErrorKind::Name, a.attr.range, format!("'{attr}' {what}")));
                }
            }
            return self.attribute(obj, &a.attr, a.range);
        }
        self.eval(func)
    }

    /// Calls `callee`.
    pub(super) fn call(&mut self, callee: Value, args: CallArgs) -> DResult<Value> {
        match callee {
            Value::Native(f) => (f.call)(self, args),
            Value::Method(recv, m) => (m.call)(self, *recv, args),
            Value::Scalar(s) => crate::px::scalar::call(s, args),
            Value::Udf(u) => crate::px::ctx::call_udf(&u, args),
            Value::Function(f) => {
                let range = args.range;
                let values = f.bind_args(args)?;
                self.call_user(&f, values, range)
            }
            Value::Agg(a) => {
                let msg = format!(
                    "px.{0} is an aggregate: use it in agg(), e.g. agg(out=('column', px.{0}))",
                    a.name
                );
                Err(Diag::ty(args.range, msg))
            }
            other => Err(Diag::ty(args.range, format!("a {} is not callable", other.type_name()))),
        }
    }
}

fn one(args: CallArgs, func: &str) -> DResult<(Value, TextRange)> {
    let mut b = args.bind(func, &["x"], &["x"])?;
    let arg = b.req("x")?;
    Ok((arg.value, arg.range))
}

fn conversion_error(func: &str, v: &Value, range: TextRange) -> Diag {
    Diag::ty(range, format!("{func}() cannot convert {v} ({})", v.type_name()))
}

fn len(_: &mut Interp<'_>, args: CallArgs) -> DResult<Value> {
    let (v, range) = one(args, "len")?;
    let n = match &v {
        Value::Str(s) => s.chars().count(),
        Value::List(items) | Value::Tuple(items) => items.len(),
        Value::Dict(items) => items.len(),
        other => return Err(Diag::ty(range, format!("a {} has no len()", other.type_name()))),
    };
    Ok(Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

fn to_str(_: &mut Interp<'_>, args: CallArgs) -> DResult<Value> {
    match one(args, "str")? {
        (Value::Str(s), _) => Ok(Value::Str(s)),
        (v, _) if v.is_const() => Ok(Value::Str(v.to_string())),
        (v, range) => Err(conversion_error("str", &v, range)),
    }
}

fn to_int(_: &mut Interp<'_>, args: CallArgs) -> DResult<Value> {
    match one(args, "int")? {
        (Value::Int(i), _) => Ok(Value::Int(i)),
        (Value::Bool(b), _) => Ok(Value::Int(i64::from(b))),
        #[allow(clippy::cast_possible_truncation)]
        (Value::Float(f), _) if f.is_finite() && f.abs() < 9.2e18 => Ok(Value::Int(f.trunc() as i64)),
        (Value::Str(s), range) => s
            .trim()
            .parse()
            .map(Value::Int)
            .map_err(|_| conversion_error("int", &Value::Str(s), range)),
        (v, range) => Err(conversion_error("int", &v, range)),
    }
}

fn to_float(_: &mut Interp<'_>, args: CallArgs) -> DResult<Value> {
    match one(args, "float")? {
        (Value::Float(f), _) => Ok(Value::Float(f)),
        #[allow(clippy::cast_precision_loss)]
        (Value::Int(i), _) => Ok(Value::Float(i as f64)),
        (Value::Bool(b), _) => Ok(Value::Float(f64::from(u8::from(b)))),
        (Value::Str(s), range) => s
            .trim()
            .parse()
            .map(Value::Float)
            .map_err(|_| conversion_error("float", &Value::Str(s), range)),
        (v, range) => Err(conversion_error("float", &v, range)),
    }
}

fn to_bool(_: &mut Interp<'_>, args: CallArgs) -> DResult<Value> {
    let (v, range) = one(args, "bool")?;
    v.truthy()
        .filter(|_| v.is_const())
        .map(Value::Bool)
        .ok_or_else(|| conversion_error("bool", &v, range))
}
