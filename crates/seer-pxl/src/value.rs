//! Compile-time values: what PxL variables hold while the script is evaluated.

use std::fmt;
use std::rc::Rc;

use crate::args::CallArgs;
use crate::column::ColumnExpr;
use crate::error::DResult;
use crate::frame::{DataFrame, GroupBy};
use crate::interp::{Interp, UserFunction};
use crate::px::agg::AggDef;
use crate::px::scalar::ScalarDef;

/// A function implemented by the compiler (`px.display`, `len`…).
pub(crate) struct NativeFn {
    /// Name as the user writes it, e.g. `px.display`.
    pub name: &'static str,
    /// One-line description (shown by `seer functions` and `px/funcs`).
    pub doc: &'static str,
    pub call: fn(&mut Interp, CallArgs) -> DResult<Value>,
}

/// A method implemented by the compiler; `recv` is the object it was looked up on.
pub(crate) struct NativeMethod {
    pub name: &'static str,
    pub call: fn(&mut Interp, Value, CallArgs) -> DResult<Value>,
}

/// A module a script can import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Module {
    Px,
    /// A PxL library compiled into Seer (`pxviews`).
    Library(&'static str),
}

/// A compile-time value.
#[derive(Clone)]
pub(crate) enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// A per-row expression over a DataFrame's columns.
    Column(ColumnExpr),
    DataFrame(DataFrame),
    /// `df.groupby(...)` awaiting `.agg(...)`.
    GroupBy(GroupBy),
    Module(Module),
    Native(&'static NativeFn),
    Method(Box<Value>, &'static NativeMethod),
    /// An aggregate function object such as `px.sum`.
    Agg(&'static AggDef),
    /// A per-row function such as `px.contains`.
    Scalar(&'static ScalarDef),
    /// A per-row function provided by the catalogue (e.g. metadata lookups).
    Udf(std::sync::Arc<datafusion::logical_expr::ScalarUDF>),
    /// `df.ctx`: metadata of a DataFrame's rows, indexed by key.
    Ctx(DataFrame),
    Function(Rc<UserFunction>),
}

impl Value {
    /// Python-style name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::None => "None",
            Self::Bool(_) => "bool",
            Self::Int(_) => "int",
            Self::Float(_) => "float",
            Self::Str(_) => "str",
            Self::List(_) => "list",
            Self::Tuple(_) => "tuple",
            Self::Dict(_) => "dict",
            Self::Column(_) => "column expression",
            Self::DataFrame(_) => "DataFrame",
            Self::GroupBy(_) => "groupby",
            Self::Module(_) => "module",
            Self::Native(_) | Self::Method(..) | Self::Function(_) | Self::Scalar(_) | Self::Udf(_) => "function",
            Self::Ctx(_) => "metadata context",
            Self::Agg(_) => "aggregate function",
        }
    }

    /// Whether the value is known at compile time (not a column, DataFrame or callable).
    pub fn is_const(&self) -> bool {
        match self {
            Self::None | Self::Bool(_) | Self::Int(_) | Self::Float(_) | Self::Str(_) => true,
            Self::List(items) | Self::Tuple(items) => items.iter().all(Self::is_const),
            Self::Dict(items) => items.iter().all(|(k, v)| k.is_const() && v.is_const()),
            _ => false,
        }
    }

    /// Python truthiness of a constant; `None` for values whose truth is not known at compile time.
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            Self::None => false,
            Self::Bool(b) => *b,
            Self::Int(i) => *i != 0,
            Self::Float(f) => *f != 0.0,
            Self::Str(s) => !s.is_empty(),
            Self::List(items) | Self::Tuple(items) => !items.is_empty(),
            Self::Dict(items) => !items.is_empty(),
            Self::Column(_) | Self::DataFrame(_) | Self::GroupBy(_) | Self::Ctx(_) => return None,
            Self::Module(_)
            | Self::Native(_)
            | Self::Method(..)
            | Self::Agg(_)
            | Self::Scalar(_)
            | Self::Udf(_)
            | Self::Function(_) => true,
        })
    }
}

/// Python `repr`-like rendering of constants, for messages and `str()`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Bool(true) => f.write_str("True"),
            Self::Bool(false) => f.write_str("False"),
            Self::Int(i) => write!(f, "{i}"),
            Self::Float(x) if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e16 => write!(f, "{x:.1}"),
            Self::Float(x) => write!(f, "{x}"),
            Self::Str(s) => write!(f, "'{s}'"),
            Self::List(items) => write_seq(f, "[", items, "]"),
            Self::Tuple(items) if items.len() == 1 => write_seq(f, "(", items, ",)"),
            Self::Tuple(items) => write_seq(f, "(", items, ")"),
            Self::Dict(items) => {
                f.write_str("{")?;
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
            Self::Native(n) => write!(f, "<function {}>", n.name),
            Self::Method(_, m) => write!(f, "<method {}>", m.name),
            Self::Agg(a) => write!(f, "<aggregate px.{}>", a.name),
            Self::Scalar(s) => write!(f, "<function px.{}>", s.name),
            Self::Udf(u) => write!(f, "<function px.{}>", u.name()),
            Self::Function(u) => write!(f, "<function {}>", u.name),
            other => write!(f, "<{}>", other.type_name()),
        }
    }
}

fn write_seq(f: &mut fmt::Formatter<'_>, open: &str, items: &[Value], close: &str) -> fmt::Result {
    f.write_str(open)?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    f.write_str(close)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_python_like() {
        let v = Value::List(vec![
            Value::Int(1),
            Value::Str("a".into()),
            Value::Float(2.0),
            Value::None,
        ]);
        assert_eq!(v.to_string(), "[1, 'a', 2.0, None]");
        assert_eq!(Value::Tuple(vec![Value::Bool(true)]).to_string(), "(True,)");
        assert_eq!(
            Value::Dict(vec![(Value::Str("k".into()), Value::Float(0.5))]).to_string(),
            "{'k': 0.5}"
        );
    }

    #[test]
    fn truthiness_and_constness() {
        assert_eq!(Value::Str(String::new()).truthy(), Some(false));
        assert_eq!(Value::List(vec![Value::None]).truthy(), Some(true));
        assert!(Value::Tuple(vec![Value::Int(1)]).is_const());
        assert!(!Value::Module(Module::Px).is_const());
    }
}
