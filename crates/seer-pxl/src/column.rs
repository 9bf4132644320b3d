//! Column expressions: per-row expressions over a DataFrame's columns, type-checked as they are built.

use datafusion::arrow::datatypes::DataType;
use std::sync::Arc;

use datafusion::common::{Column, DFSchema, DFSchemaRef};
use datafusion::logical_expr::{Expr, ExprSchemable, cast, lit};
use ruff_text_size::TextRange;

use crate::error::{DResult, Diag, ErrorKind};
use crate::types::PxType;
use crate::value::Value;

/// A DataFusion expression with the schema it was built against and its type.
#[derive(Clone, Debug)]
pub(crate) struct ColumnExpr {
    pub expr: Expr,
    pub schema: DFSchemaRef,
    pub dt: DataType,
}

impl ColumnExpr {
    /// Type-checks `expr` against `schema`; errors point at `range`.
    pub fn new(expr: Expr, schema: DFSchemaRef, range: TextRange) -> DResult<Self> {
        check_columns(&expr, &schema, range)?;
        let dt = expr
            .get_type(schema.as_ref())
            .map_err(|e| Diag::ty(range, e.strip_backtrace()))?;
        Ok(Self { expr, schema, dt })
    }

    /// A reference to column `name` of `schema`.
    pub fn column(schema: &DFSchemaRef, name: &str, range: TextRange) -> DResult<Self> {
        let expr = resolve(schema, name, range)?;
        Self::new(expr, schema.clone(), range)
    }

    /// The PxL type class.
    pub fn ty(&self) -> PxType {
        PxType::of(&self.dt)
    }

    /// `expr` over the widest schema of its column operands; with constants only, over no columns (the
    /// expression is re-checked against the DataFrame it is assigned to or filters).
    pub fn from_operands(expr: Expr, operands: &[&Operand], range: TextRange) -> DResult<Self> {
        let schema = operands
            .iter()
            .filter_map(|o| o.schema.clone())
            .max_by_key(|s| s.fields().len())
            .unwrap_or_else(|| Arc::new(DFSchema::empty()));
        Self::new(expr, schema, range)
    }

    /// The same expression checked against another DataFrame's schema (columns are matched by name).
    pub fn rebase(&self, schema: &DFSchemaRef, range: TextRange) -> DResult<Self> {
        Self::new(self.expr.clone(), schema.clone(), range)
    }
}

/// One argument of an operator or function: a column expression or a constant as a literal.
pub(crate) struct Operand {
    pub expr: Expr,
    pub dt: DataType,
    /// The schema of a column operand; `None` for literals.
    pub schema: Option<DFSchemaRef>,
}

impl Operand {
    /// Converts a column expression or a scalar constant.
    pub fn of(v: &Value, range: TextRange) -> DResult<Self> {
        let (expr, dt) = match v {
            Value::Column(c) => {
                return Ok(Self {
                    expr: c.expr.clone(),
                    dt: c.dt.clone(),
                    schema: Some(c.schema.clone()),
                });
            }
            Value::Bool(b) => (lit(*b), DataType::Boolean),
            Value::Int(i) => (lit(*i), DataType::Int64),
            Value::Float(f) => (lit(*f), DataType::Float64),
            Value::Str(s) => (lit(s.clone()), DataType::Utf8),
            other => {
                return Err(Diag::ty(
                    range,
                    format!("cannot use a {} in a column expression", other.type_name()),
                ));
            }
        };
        Ok(Self { expr, dt, schema: None })
    }

    /// The PxL type class.
    pub fn ty(&self) -> PxType {
        PxType::of(&self.dt)
    }

    /// The expression, with dictionary-encoded strings decoded (for string functions).
    pub fn utf8(&self) -> Expr {
        if matches!(self.dt, DataType::Dictionary(..)) {
            cast(self.expr.clone(), DataType::Utf8)
        } else {
            self.expr.clone()
        }
    }
}

/// `Expr::Column` for the column called `name`, or an error listing the available columns.
pub(crate) fn resolve(schema: &DFSchemaRef, name: &str, range: TextRange) -> DResult<Expr> {
    let found = schema.iter().find(|(_, f)| f.name() == name);
    match found {
        Some((qualifier, field)) => Ok(Expr::Column(Column::new(qualifier.cloned(), field.name()))),
        None => Err(missing(schema, name, range)),
    }
}

fn missing(schema: &DFSchemaRef, name: &str, range: TextRange) -> Diag {
    let available: Vec<&str> = schema.iter().map(|(_, f)| f.name().as_str()).collect();
    let msg = format!(
        "column '{name}' not found in DataFrame; available: {}",
        available.join(", ")
    );
    Diag::new(ErrorKind::Column, range, msg)
}

fn check_columns(expr: &Expr, schema: &DFSchemaRef, range: TextRange) -> DResult<()> {
    let mut refs: Vec<&Column> = expr.column_refs().into_iter().collect();
    refs.sort_by(|a, b| a.name.cmp(&b.name));
    for col in refs {
        let ok = match &col.relation {
            Some(q) => {
                schema.has_column_with_qualified_name(q, &col.name)
                    || schema.has_column_with_unqualified_name(&col.name)
            }
            None => schema.has_column_with_unqualified_name(&col.name),
        };
        if !ok {
            return Err(missing(schema, &col.name, range));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::datatypes::{Field, Schema};
    use datafusion::common::DFSchema;
    use datafusion::logical_expr::{col, lit};

    use super::*;

    fn schema() -> DFSchemaRef {
        let s = Schema::new(vec![
            Field::new("a", DataType::Int64, false),
            Field::new("b", DataType::Utf8, false),
        ]);
        Arc::new(DFSchema::try_from_qualified_schema("t", &s).unwrap_or_else(|_| DFSchema::empty()))
    }

    #[test]
    fn resolves_unqualified_names_against_qualified_schema() -> DResult<()> {
        let c = ColumnExpr::column(&schema(), "a", TextRange::default())?;
        assert_eq!(c.ty(), PxType::Int64);
        assert_eq!(c.expr, Expr::Column(Column::new(Some("t"), "a")));
        Ok(())
    }

    #[test]
    fn unknown_columns_list_the_available_ones() {
        let err = ColumnExpr::column(&schema(), "zz", TextRange::default()).err();
        let msg = err.map(|e| e.message).unwrap_or_default();
        assert_eq!(msg, "column 'zz' not found in DataFrame; available: a, b");
        let err = ColumnExpr::new(col("q") + lit(1), schema(), TextRange::default()).err();
        assert_eq!(err.map(|e| e.kind), Some(ErrorKind::Column));
    }
}
