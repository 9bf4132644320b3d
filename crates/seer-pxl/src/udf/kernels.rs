//! Helpers that turn a per-value function into a [`Kernel`](super::Kernel) body. Nulls in give nulls out.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Float64Array, Int64Array, StringArray};
use datafusion::arrow::datatypes::{Float64Type, Int64Type};
use datafusion::common::{Result, exec_err};

fn strings(args: &[ArrayRef], i: usize) -> Result<&StringArray> {
    match args.get(i).and_then(|a| a.as_string_opt::<i32>()) {
        Some(s) => Ok(s),
        None => exec_err!("argument {i} must be a Utf8 column"),
    }
}

fn ints(args: &[ArrayRef], i: usize) -> Result<&Int64Array> {
    match args.get(i).and_then(|a| a.as_primitive_opt::<Int64Type>()) {
        Some(s) => Ok(s),
        None => exec_err!("argument {i} must be an Int64 column"),
    }
}

fn floats(args: &[ArrayRef], i: usize) -> Result<&Float64Array> {
    match args.get(i).and_then(|a| a.as_primitive_opt::<Float64Type>()) {
        Some(s) => Ok(s),
        None => exec_err!("argument {i} must be a Float64 column"),
    }
}

fn opt<A: Array, T>(a: &A, i: usize, v: impl FnOnce() -> T) -> Option<T> {
    (!a.is_null(i)).then(v)
}

/// `f(str) -> str`.
pub(crate) fn str_to_str(args: &[ArrayRef], f: impl Fn(&str) -> Option<String>) -> Result<ArrayRef> {
    let a = strings(args, 0)?;
    let out: StringArray = (0..a.len()).map(|i| opt(a, i, || f(a.value(i))).flatten()).collect();
    Ok(Arc::new(out))
}

/// `f(str, str) -> str`.
pub(crate) fn str2_to_str(args: &[ArrayRef], f: impl Fn(&str, &str) -> Option<String>) -> Result<ArrayRef> {
    let (a, b) = (strings(args, 0)?, strings(args, 1)?);
    let out: StringArray = (0..a.len())
        .map(|i| {
            opt(a, i, || opt(b, i, || f(a.value(i), b.value(i))))
                .flatten()
                .flatten()
        })
        .collect();
    Ok(Arc::new(out))
}

/// `f(str, i64) -> str`.
pub(crate) fn str_i64_to_str(args: &[ArrayRef], f: impl Fn(&str, i64) -> Option<String>) -> Result<ArrayRef> {
    let (a, b) = (strings(args, 0)?, ints(args, 1)?);
    let out: StringArray = (0..a.len())
        .map(|i| {
            if a.is_null(i) || b.is_null(i) {
                None
            } else {
                f(a.value(i), b.value(i))
            }
        })
        .collect();
    Ok(Arc::new(out))
}

/// `f(str, str) -> bool`.
pub(crate) fn str2_to_bool(args: &[ArrayRef], f: impl Fn(&str, &str) -> bool) -> Result<ArrayRef> {
    let (a, b) = (strings(args, 0)?, strings(args, 1)?);
    let out: BooleanArray = (0..a.len())
        .map(|i| {
            if a.is_null(i) || b.is_null(i) {
                None
            } else {
                Some(f(a.value(i), b.value(i)))
            }
        })
        .collect();
    Ok(Arc::new(out))
}

/// `f(i64) -> str`.
pub(crate) fn i64_to_str(args: &[ArrayRef], f: impl Fn(i64) -> Option<String>) -> Result<ArrayRef> {
    let a = ints(args, 0)?;
    let out: StringArray = (0..a.len()).map(|i| opt(a, i, || f(a.value(i))).flatten()).collect();
    Ok(Arc::new(out))
}

/// `f(f64, i64) -> str`.
pub(crate) fn f64_to_str(args: &[ArrayRef], f: impl Fn(f64, i64) -> Option<String>) -> Result<ArrayRef> {
    let (a, b) = (floats(args, 0)?, ints(args, 1)?);
    let out: StringArray = (0..a.len())
        .map(|i| {
            if a.is_null(i) || b.is_null(i) {
                None
            } else {
                f(a.value(i), b.value(i))
            }
        })
        .collect();
    Ok(Arc::new(out))
}

/// `f(str, str) -> f64` and friends are written with these.
pub(crate) fn str2_to_f64(args: &[ArrayRef], f: impl Fn(&str, &str) -> Option<f64>) -> Result<ArrayRef> {
    let (a, b) = (strings(args, 0)?, strings(args, 1)?);
    let out: Float64Array = (0..a.len())
        .map(|i| {
            if a.is_null(i) || b.is_null(i) {
                None
            } else {
                f(a.value(i), b.value(i))
            }
        })
        .collect();
    Ok(Arc::new(out))
}

/// `f(str, str) -> i64`.
pub(crate) fn str2_to_i64(args: &[ArrayRef], f: impl Fn(&str, &str) -> Option<i64>) -> Result<ArrayRef> {
    let (a, b) = (strings(args, 0)?, strings(args, 1)?);
    let out: Int64Array = (0..a.len())
        .map(|i| {
            if a.is_null(i) || b.is_null(i) {
                None
            } else {
                f(a.value(i), b.value(i))
            }
        })
        .collect();
    Ok(Arc::new(out))
}

/// `f(i64, i64) -> str`.
pub(crate) fn i64x2_to_str(args: &[ArrayRef], f: impl Fn(i64, i64) -> Option<String>) -> Result<ArrayRef> {
    let (a, b) = (ints(args, 0)?, ints(args, 1)?);
    let out: StringArray = (0..a.len())
        .map(|i| {
            if a.is_null(i) || b.is_null(i) {
                None
            } else {
                f(a.value(i), b.value(i))
            }
        })
        .collect();
    Ok(Arc::new(out))
}
