//! Expressions.

use ruff_python_ast::{self as ast, Expr, Number};
use ruff_text_size::{Ranged, TextRange};

use super::Interp;
use crate::args::Arg;
use crate::error::{DResult, Diag, ErrorKind};
use crate::frame::{DataFrame, groupby_needs_agg, methods};
use crate::ops::{self, Arith, Cmp, Unary};
use crate::px;
use crate::value::{Module, Value};

/// Positions of the elements of a list or tuple literal (empty for anything else).
pub(super) fn elems(e: &Expr) -> Vec<TextRange> {
    match e {
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => {
            elts.iter().map(Ranged::range).collect()
        }
        _ => Vec::new(),
    }
}

impl Interp<'_> {
    /// Evaluates an expression.
    pub(super) fn eval(&mut self, e: &Expr) -> DResult<Value> {
        Ok(match e {
            Expr::Name(n) => self.name(n.id.as_str(), n.range)?,
            Expr::StringLiteral(s) => Value::Str(s.value.to_str().to_string()),
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => Value::Int(
                    i.as_i64()
                        .ok_or_else(|| Diag::ty(n.range, "integer literal out of range"))?,
                ),
                Number::Float(f) => Value::Float(*f),
                Number::Complex { .. } => {
                    return Err(Diag::unsupported(n.range, "PxL does not support complex numbers"));
                }
            },
            Expr::BooleanLiteral(b) => Value::Bool(b.value),
            Expr::NoneLiteral(_) => Value::None,
            Expr::List(l) => Value::List(self.eval_all(&l.elts)?),
            Expr::Tuple(t) => Value::Tuple(self.eval_all(&t.elts)?),
            Expr::Dict(d) => self.dict(d)?,
            Expr::Attribute(a) => {
                let obj = self.eval(&a.value)?;
                self.attribute(obj, &a.attr, a.range)?
            }
            Expr::Subscript(s) => self.subscript(s)?,
            Expr::Call(c) => self.call_expr(c)?,
            Expr::BinOp(b) => {
                let (l, r) = (self.eval(&b.left)?, self.eval(&b.right)?);
                let op = Arith::from_ast(b.op).ok_or_else(|| Diag::unsupported(b.range, "unsupported operator"))?;
                ops::arith(op, &l, &r, b.range)?
            }
            Expr::UnaryOp(u) => ops::unary(Unary::from_ast(u.op), &self.eval(&u.operand)?, u.range)?,
            Expr::BoolOp(b) => self.bool_op(b)?,
            Expr::Compare(c) => self.compare(c)?,
            Expr::If(i) => {
                let branch = if self.condition(&i.test)? { &i.body } else { &i.orelse };
                self.eval(branch)?
            }
            other => return Err(Diag::unsupported(other.range(), "PxL does not support this expression")),
        })
    }

    pub(super) fn eval_all(&mut self, exprs: &[Expr]) -> DResult<Vec<Value>> {
        exprs.iter().map(|e| self.eval(e)).collect()
    }

    /// Evaluates `e` as an argument (value, position, element positions).
    pub(super) fn arg(&mut self, e: &Expr, range: TextRange) -> DResult<Arg> {
        Ok(Arg {
            value: self.eval(e)?,
            range,
            elems: elems(e),
        })
    }

    fn name(&self, name: &str, range: TextRange) -> DResult<Value> {
        self.lookup(name).ok_or_else(|| match name {
            "px" => Diag::new(ErrorKind::Import, range, "name 'px' is not defined: add `import px`"),
            _ => Diag::new(ErrorKind::Name, range, format!("name '{name}' is not defined")),
        })
    }

    fn dict(&mut self, d: &ast::ExprDict) -> DResult<Value> {
        let mut items = Vec::with_capacity(d.items.len());
        for item in &d.items {
            let Some(key_expr) = &item.key else {
                return Err(Diag::unsupported(
                    d.range,
                    "PxL does not support `**` unpacking in dicts",
                ));
            };
            let key = self.eval(key_expr)?;
            if !key.is_const() {
                return Err(Diag::ty(
                    key_expr.range(),
                    format!("dict keys must be constants, got {}", key.type_name()),
                ));
            }
            let value = self.eval(&item.value)?;
            match items.iter_mut().find(|(k, _)| ops::const_eq(k, &key)) {
                Some(slot) => slot.1 = value,
                None => items.push((key, value)),
            }
        }
        Ok(Value::Dict(items))
    }

    /// `obj.name`.
    pub(super) fn attribute(&self, obj: Value, name: &ast::Identifier, range: TextRange) -> DResult<Value> {
        let attr = name.as_str();
        match obj {
            Value::Module(Module::Px) => px::attr(attr)
                .or_else(|| self.catalog().udf(attr).map(Value::Udf))
                .ok_or_else(|| {
                    Diag::new(
                        ErrorKind::Name,
                        range,
                        format!("px.{attr} is not a supported PxL function or object"),
                    )
                }),
            Value::Module(Module::Library(lib)) => self.library_attr(lib, attr, range),
            Value::DataFrame(df) => {
                if attr == "ctx" {
                    return Ok(Value::Ctx(df));
                }
                if let Some(m) = methods::DATAFRAME.iter().find(|m| m.name == attr) {
                    return Ok(Value::Method(Box::new(Value::DataFrame(df)), m));
                }
                if methods::NOT_YET.contains(&attr) {
                    return Err(Diag::unsupported(
                        name.range,
                        format!("DataFrame.{attr} is not supported by Seer yet"),
                    ));
                }
                Ok(Value::Column(df.column(attr, name.range)?))
            }
            Value::GroupBy(g) => match methods::GROUPBY.iter().find(|m| m.name == attr) {
                Some(m) => Ok(Value::Method(Box::new(Value::GroupBy(g)), m)),
                None => Err(groupby_needs_agg(g.range)),
            },
            other => Err(Diag::new(
                ErrorKind::Name,
                range,
                format!("'{}' object has no attribute '{attr}'", other.type_name()),
            )),
        }
    }

    fn subscript(&mut self, s: &ast::ExprSubscript) -> DResult<Value> {
        let obj = self.eval(&s.value)?;
        let key = self.arg(&s.slice, s.slice.range())?;
        match obj {
            Value::DataFrame(df) => index_frame(&df, key, s.range),
            Value::Ctx(df) => crate::px::ctx::lookup(self.catalog(), &df, &key, s.range),
            Value::GroupBy(g) => Err(groupby_needs_agg(g.range)),
            other => index_const(other, &key),
        }
    }

    fn bool_op(&mut self, b: &ast::ExprBoolOp) -> DResult<Value> {
        let and = b.op == ast::BoolOp::And;
        let (first, rest) = b
            .values
            .split_first()
            .ok_or_else(|| Diag::ty(b.range, "empty boolean expression"))?;
        let mut acc = self.eval(first)?;
        for e in rest {
            if let Some(truth) = acc.is_const().then(|| acc.truthy()).flatten() {
                // Python semantics on constants: short-circuit, else the result is the next operand.
                if truth != and {
                    return Ok(acc);
                }
                acc = self.eval(e)?;
                continue;
            }
            let rhs = self.eval(e)?;
            acc = ops::logical(and, &acc, &rhs, b.range)?;
        }
        Ok(acc)
    }

    fn compare(&mut self, c: &ast::ExprCompare) -> DResult<Value> {
        let mut left = self.eval(&c.left)?;
        let mut result: Option<Value> = None;
        for (op, right_expr) in c.ops.iter().zip(c.comparators.iter()) {
            let right = self.eval(right_expr)?;
            let v = match Cmp::from_ast(*op) {
                Some(cmp) => ops::compare(cmp, &left, &right, c.range)?,
                None => membership(*op, &left, &right, c.range)?,
            };
            result = Some(match result {
                None => v,
                Some(prev) if prev.is_const() && v.is_const() => {
                    if prev.truthy().unwrap_or(true) {
                        v
                    } else {
                        prev
                    }
                }
                Some(prev) => ops::logical(true, &prev, &v, c.range)?,
            });
            left = right;
        }
        result.ok_or_else(|| Diag::ty(c.range, "empty comparison"))
    }
}

/// `df['col']`, `df[['a', 'b']]`, `df[predicate]`.
fn index_frame(df: &DataFrame, key: Arg, range: TextRange) -> DResult<Value> {
    match &key.value {
        Value::Str(name) => Ok(Value::Column(df.column(name, key.range)?)),
        Value::List(_) | Value::Tuple(_) => Ok(Value::DataFrame(
            df.select(&key.names("DataFrame.__getitem__", "key")?, range)?,
        )),
        Value::Column(_) => Ok(Value::DataFrame(df.filter(&key.value, key.range)?)),
        other => Err(Diag::ty(
            key.range,
            format!("cannot index a DataFrame with a {}", other.type_name()),
        )),
    }
}

/// Indexing of constant lists, tuples, strings and dicts.
fn index_const(obj: Value, key: &Arg) -> DResult<Value> {
    let index = |len: usize| -> DResult<usize> {
        let Value::Int(i) = key.value else {
            return Err(Diag::ty(
                key.range,
                format!("indices must be integers, got {}", key.value.type_name()),
            ));
        };
        let len_i = i64::try_from(len).unwrap_or(i64::MAX);
        let pos = if i < 0 { i + len_i } else { i };
        usize::try_from(pos)
            .ok()
            .filter(|p| *p < len)
            .ok_or_else(|| Diag::ty(key.range, "index out of range"))
    };
    match obj {
        Value::List(items) | Value::Tuple(items) => Ok(items[index(items.len())?].clone()),
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            Ok(Value::Str(chars[index(chars.len())?].to_string()))
        }
        Value::Dict(items) => items
            .into_iter()
            .find(|(k, _)| ops::const_eq(k, &key.value))
            .map(|(_, v)| v)
            .ok_or_else(|| Diag::ty(key.range, format!("key {} not found", key.value))),
        other => Err(Diag::ty(
            key.range,
            format!("'{}' object is not subscriptable", other.type_name()),
        )),
    }
}

/// `is`, `is not`, `in`, `not in` on constants.
fn membership(op: ast::CmpOp, l: &Value, r: &Value, range: TextRange) -> DResult<Value> {
    if !l.is_const() || !r.is_const() {
        return Err(Diag::unsupported(
            range,
            format!("PxL does not support `{}` on columns or DataFrames", op.as_str()),
        ));
    }
    let result = match op {
        ast::CmpOp::Is | ast::CmpOp::IsNot => {
            let same = match (l, r) {
                (Value::None, Value::None) => true,
                (Value::Bool(a), Value::Bool(b)) => a == b,
                (Value::None | Value::Bool(_), _) | (_, Value::None | Value::Bool(_)) => false,
                _ => return Err(Diag::ty(range, "`is` is only supported with None, True and False")),
            };
            same == (op == ast::CmpOp::Is)
        }
        _ => {
            let found = match (l, r) {
                (Value::Str(needle), Value::Str(hay)) => hay.contains(needle.as_str()),
                (_, Value::List(items) | Value::Tuple(items)) => items.iter().any(|i| ops::const_eq(i, l)),
                (_, Value::Dict(items)) => items.iter().any(|(k, _)| ops::const_eq(k, l)),
                _ => {
                    return Err(Diag::ty(
                        range,
                        format!("argument of type '{}' is not iterable", r.type_name()),
                    ));
                }
            };
            found == (op == ast::CmpOp::In)
        }
    };
    Ok(Value::Bool(result))
}
