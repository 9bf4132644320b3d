//! Operators: folded at compile time when both sides are constants, lowered to DataFusion expressions when
//! a column is involved.

mod columns;
mod consts;

use ruff_python_ast as ast;
use ruff_text_size::TextRange;

use crate::error::{DResult, Diag};
use crate::value::Value;

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unary {
    Not,
    Neg,
    Pos,
    Invert,
}

impl Arith {
    /// Maps a Python operator; `None` for operators PxL lacks (bitwise, `@`).
    pub fn from_ast(op: ast::Operator) -> Option<Self> {
        Some(match op {
            ast::Operator::Add => Self::Add,
            ast::Operator::Sub => Self::Sub,
            ast::Operator::Mult => Self::Mul,
            ast::Operator::Div => Self::Div,
            ast::Operator::FloorDiv => Self::FloorDiv,
            ast::Operator::Mod => Self::Mod,
            ast::Operator::Pow => Self::Pow,
            _ => return None,
        })
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Add => "+",
            Self::Sub => "-",
            Self::Mul => "*",
            Self::Div => "/",
            Self::FloorDiv => "//",
            Self::Mod => "%",
            Self::Pow => "**",
        }
    }
}

impl Cmp {
    /// Maps a Python comparison; `None` for `is`/`in` forms.
    pub fn from_ast(op: ast::CmpOp) -> Option<Self> {
        Some(match op {
            ast::CmpOp::Eq => Self::Eq,
            ast::CmpOp::NotEq => Self::NotEq,
            ast::CmpOp::Lt => Self::Lt,
            ast::CmpOp::LtE => Self::LtE,
            ast::CmpOp::Gt => Self::Gt,
            ast::CmpOp::GtE => Self::GtE,
            _ => return None,
        })
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Eq => "==",
            Self::NotEq => "!=",
            Self::Lt => "<",
            Self::LtE => "<=",
            Self::Gt => ">",
            Self::GtE => ">=",
        }
    }
}

impl Unary {
    /// Maps a Python unary operator.
    pub fn from_ast(op: ast::UnaryOp) -> Self {
        match op {
            ast::UnaryOp::Not => Self::Not,
            ast::UnaryOp::USub => Self::Neg,
            ast::UnaryOp::UAdd => Self::Pos,
            ast::UnaryOp::Invert => Self::Invert,
        }
    }
}

/// `l op r`; `range` is the whole expression.
pub(crate) fn arith(op: Arith, l: &Value, r: &Value, range: TextRange) -> DResult<Value> {
    if l.is_const() && r.is_const() {
        return consts::arith(op, l, r, range);
    }
    columns::arith(op, l, r, range).map(Value::Column)
}

/// `l op r` for comparisons.
pub(crate) fn compare(op: Cmp, l: &Value, r: &Value, range: TextRange) -> DResult<Value> {
    if l.is_const() && r.is_const() {
        return consts::compare(op, l, r, range).map(Value::Bool);
    }
    columns::compare(op, l, r, range).map(Value::Column)
}

/// `l and r` / `l or r` where at least one side is a column (constants are handled with short-circuiting by
/// the interpreter).
pub(crate) fn logical(and: bool, l: &Value, r: &Value, range: TextRange) -> DResult<Value> {
    columns::logical(and, l, r, range).map(Value::Column)
}

/// `op v`.
pub(crate) fn unary(op: Unary, v: &Value, range: TextRange) -> DResult<Value> {
    if v.is_const() {
        return consts::unary(op, v, range);
    }
    match v {
        Value::Column(c) => columns::unary(op, c, range).map(Value::Column),
        other => Err(Diag::ty(
            range,
            format!(
                "bad operand type for unary {}: '{}'",
                unary_symbol(op),
                other.type_name()
            ),
        )),
    }
}

/// Structural equality of two constants (`1 == 1.0`, `True == 1`, as in Python).
pub(crate) fn const_eq(l: &Value, r: &Value) -> bool {
    consts::eq(l, r)
}

fn unary_symbol(op: Unary) -> &'static str {
    match op {
        Unary::Not => "not",
        Unary::Neg => "-",
        Unary::Pos => "+",
        Unary::Invert => "~",
    }
}
