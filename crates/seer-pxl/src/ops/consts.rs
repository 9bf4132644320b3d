//! Compile-time folding of operators on constants, with Python semantics.

use std::cmp::Ordering;

use ruff_text_size::TextRange;

use super::{Arith, Cmp, Unary, unary_symbol};
use crate::error::{DResult, Diag};
use crate::value::Value;

/// A number: bools count as integers, as in Python.
#[derive(Clone, Copy)]
enum Num {
    I(i64),
    F(f64),
}

fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::I(i64::from(*b))),
        Value::Int(i) => Some(Num::I(*i)),
        Value::Float(f) => Some(Num::F(*f)),
        _ => None,
    }
}

#[allow(clippy::cast_precision_loss)]
fn as_f64(n: Num) -> f64 {
    match n {
        Num::I(i) => i as f64,
        Num::F(f) => f,
    }
}

pub(super) fn arith(op: Arith, l: &Value, r: &Value, range: TextRange) -> DResult<Value> {
    match (num(l), num(r)) {
        (Some(Num::I(a)), Some(Num::I(b))) => int_arith(op, a, b, range),
        (Some(a), Some(b)) => float_arith(op, as_f64(a), as_f64(b), range).map(Value::Float),
        _ => match (op, l, r) {
            (Arith::Add, Value::Str(a), Value::Str(b)) => Ok(Value::Str(format!("{a}{b}"))),
            (Arith::Add, Value::List(a), Value::List(b)) => Ok(Value::List([a.clone(), b.clone()].concat())),
            (Arith::Add, Value::Tuple(a), Value::Tuple(b)) => Ok(Value::Tuple([a.clone(), b.clone()].concat())),
            _ => Err(Diag::ty(
                range,
                format!(
                    "unsupported operand types for {}: '{}' and '{}'",
                    op.symbol(),
                    l.type_name(),
                    r.type_name()
                ),
            )),
        },
    }
}

fn int_arith(op: Arith, a: i64, b: i64, range: TextRange) -> DResult<Value> {
    let overflow = || Diag::ty(range, format!("integer overflow in {a} {} {b}", op.symbol()));
    let zero = || Diag::ty(range, "division by zero");
    Ok(Value::Int(match op {
        Arith::Add => a.checked_add(b).ok_or_else(overflow)?,
        Arith::Sub => a.checked_sub(b).ok_or_else(overflow)?,
        Arith::Mul => a.checked_mul(b).ok_or_else(overflow)?,
        Arith::Div => return float_arith(op, as_f64(Num::I(a)), as_f64(Num::I(b)), range).map(Value::Float),
        Arith::FloorDiv if b == 0 => return Err(zero()),
        Arith::FloorDiv => {
            let q = a.checked_div(b).ok_or_else(overflow)?;
            if a % b != 0 && ((a < 0) != (b < 0)) { q - 1 } else { q }
        }
        Arith::Mod if b == 0 => return Err(zero()),
        Arith::Mod => {
            let m = a.checked_rem(b).ok_or_else(overflow)?;
            if m != 0 && ((m < 0) != (b < 0)) { m + b } else { m }
        }
        Arith::Pow if b < 0 => return float_arith(op, as_f64(Num::I(a)), as_f64(Num::I(b)), range).map(Value::Float),
        Arith::Pow => u32::try_from(b)
            .ok()
            .and_then(|e| a.checked_pow(e))
            .ok_or_else(overflow)?,
    }))
}

fn float_arith(op: Arith, a: f64, b: f64, range: TextRange) -> DResult<f64> {
    if b == 0.0 && matches!(op, Arith::Div | Arith::FloorDiv | Arith::Mod) {
        return Err(Diag::ty(range, "division by zero"));
    }
    Ok(match op {
        Arith::Add => a + b,
        Arith::Sub => a - b,
        Arith::Mul => a * b,
        Arith::Div => a / b,
        Arith::FloorDiv => (a / b).floor(),
        Arith::Mod => a - b * (a / b).floor(),
        Arith::Pow => a.powf(b),
    })
}

pub(super) fn compare(op: Cmp, l: &Value, r: &Value, range: TextRange) -> DResult<bool> {
    match op {
        Cmp::Eq => return Ok(eq(l, r)),
        Cmp::NotEq => return Ok(!eq(l, r)),
        _ => {}
    }
    let ord = match (num(l), num(r), l, r) {
        (Some(a), Some(b), _, _) => as_f64(a).partial_cmp(&as_f64(b)),
        (_, _, Value::Str(a), Value::Str(b)) => Some(a.cmp(b)),
        _ => {
            let msg = format!(
                "'{}' not supported between '{}' and '{}'",
                op.symbol(),
                l.type_name(),
                r.type_name()
            );
            return Err(Diag::ty(range, msg));
        }
    };
    Ok(match (op, ord) {
        (_, None) => false,
        (Cmp::Lt, Some(o)) => o == Ordering::Less,
        (Cmp::LtE, Some(o)) => o != Ordering::Greater,
        (Cmp::Gt, Some(o)) => o == Ordering::Greater,
        (Cmp::GtE, Some(o)) => o != Ordering::Less,
        (Cmp::Eq | Cmp::NotEq, Some(_)) => false,
    })
}

pub(super) fn eq(l: &Value, r: &Value) -> bool {
    match (num(l), num(r)) {
        (Some(Num::I(a)), Some(Num::I(b))) => a == b,
        (Some(a), Some(b)) => as_f64(a) == as_f64(b),
        _ => match (l, r) {
            (Value::None, Value::None) => true,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y))
            }
            (Value::Dict(a), Value::Dict(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.iter().any(|(k2, v2)| eq(k, k2) && eq(v, v2)))
            }
            _ => false,
        },
    }
}

pub(super) fn unary(op: Unary, v: &Value, range: TextRange) -> DResult<Value> {
    let bad = || {
        Diag::ty(
            range,
            format!("bad operand type for unary {}: '{}'", unary_symbol(op), v.type_name()),
        )
    };
    match (op, num(v)) {
        (Unary::Not, _) => Ok(Value::Bool(!v.truthy().unwrap_or(true))),
        (Unary::Neg, Some(Num::I(i))) => i
            .checked_neg()
            .map(Value::Int)
            .ok_or_else(|| Diag::ty(range, "integer overflow")),
        (Unary::Neg, Some(Num::F(f))) => Ok(Value::Float(-f)),
        (Unary::Pos, Some(Num::I(i))) => Ok(Value::Int(i)),
        (Unary::Pos, Some(Num::F(f))) => Ok(Value::Float(f)),
        (Unary::Invert, Some(Num::I(i))) => Ok(Value::Int(!i)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(op: Arith, l: Value, r: Value) -> String {
        match arith(op, &l, &r, TextRange::default()) {
            Ok(v) => v.to_string(),
            Err(e) => format!("error: {}", e.message),
        }
    }

    #[test]
    fn python_arithmetic() {
        assert_eq!(a(Arith::Mul, Value::Int(5), Value::Int(60)), "300");
        assert_eq!(a(Arith::Div, Value::Int(7), Value::Int(2)), "3.5");
        assert_eq!(a(Arith::FloorDiv, Value::Int(-7), Value::Int(2)), "-4");
        assert_eq!(a(Arith::Mod, Value::Int(-7), Value::Int(3)), "2");
        assert_eq!(a(Arith::Mod, Value::Float(-7.0), Value::Int(3)), "2.0");
        assert_eq!(a(Arith::Pow, Value::Int(2), Value::Int(10)), "1024");
        assert_eq!(a(Arith::Pow, Value::Int(2), Value::Int(-1)), "0.5");
        assert_eq!(a(Arith::Add, Value::Bool(true), Value::Int(1)), "2");
        assert_eq!(a(Arith::Add, Value::Str("a".into()), Value::Str("b".into())), "'ab'");
    }

    #[test]
    fn arithmetic_errors() {
        assert_eq!(a(Arith::Div, Value::Int(1), Value::Int(0)), "error: division by zero");
        assert_eq!(
            a(Arith::Add, Value::Int(i64::MAX), Value::Int(1)),
            format!("error: integer overflow in {} + 1", i64::MAX)
        );
        assert_eq!(
            a(Arith::Add, Value::Str("a".into()), Value::Int(1)),
            "error: unsupported operand types for +: 'str' and 'int'"
        );
    }

    #[test]
    fn comparisons() -> DResult<()> {
        let r = TextRange::default();
        assert!(compare(Cmp::Eq, &Value::Int(1), &Value::Float(1.0), r)?);
        assert!(compare(Cmp::Lt, &Value::Str("a".into()), &Value::Str("b".into()), r)?);
        assert!(!compare(Cmp::Eq, &Value::Str("1".into()), &Value::Int(1), r)?);
        assert!(compare(Cmp::Lt, &Value::Str("1".into()), &Value::Int(1), r).is_err());
        Ok(())
    }

    #[test]
    fn unary_ops() -> DResult<()> {
        let r = TextRange::default();
        assert!(matches!(
            unary(Unary::Not, &Value::Str(String::new()), r)?,
            Value::Bool(true)
        ));
        assert!(matches!(unary(Unary::Neg, &Value::Int(3), r)?, Value::Int(-3)));
        assert!(unary(Unary::Neg, &Value::Str("x".into()), r).is_err());
        Ok(())
    }
}
