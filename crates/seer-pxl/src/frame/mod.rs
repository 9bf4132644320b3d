//! DataFrames: immutable wrappers around a DataFusion logical plan; every operation returns a new one.

mod groupby;
pub(crate) mod join;
pub(crate) mod methods;

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Column, DFSchemaRef, ScalarValue, TableReference};
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder, TableSource, cast, lit};
use ruff_text_size::TextRange;

pub(crate) use groupby::{GroupBy, needs_agg as groupby_needs_agg};

use crate::column::{ColumnExpr, resolve};
use crate::error::{DResult, Diag, ErrorKind};
use crate::types::{PxType, type_name};
use crate::value::Value;

/// A column name and where the script wrote it.
pub(crate) type Name = (String, TextRange);

/// A DataFrame value.
#[derive(Clone, Debug)]
pub(crate) struct DataFrame {
    plan: Arc<LogicalPlan>,
}

impl DataFrame {
    /// Scans table `name`.
    pub fn scan(name: &str, source: Arc<dyn TableSource>, range: TextRange) -> DResult<Self> {
        let builder = LogicalPlanBuilder::scan(TableReference::bare(name), source, None);
        Self::build(builder, range)
    }

    /// The output schema.
    pub fn schema(&self) -> &DFSchemaRef {
        self.plan.schema()
    }

    fn builder(&self) -> LogicalPlanBuilder {
        LogicalPlanBuilder::new_from_arc(self.plan.clone())
    }

    fn build(builder: datafusion::error::Result<LogicalPlanBuilder>, range: TextRange) -> DResult<Self> {
        let plan = builder
            .and_then(LogicalPlanBuilder::build)
            .map_err(|e| Diag::plan(range, &e))?;
        Ok(Self { plan: Arc::new(plan) })
    }

    /// `df.name` / `df['name']`.
    pub fn column(&self, name: &str, range: TextRange) -> DResult<ColumnExpr> {
        ColumnExpr::column(self.schema(), name, range)
    }

    /// Keeps rows with `time_` in `[start, end)`; `None` leaves that side open.
    pub fn time_bounds(&self, start: Option<i64>, end: Option<i64>, range: TextRange) -> DResult<Self> {
        let time = resolve(self.schema(), seer_types::schema::TIME_COLUMN, range)
            .map_err(|_| Diag::arg(range, "start_time/end_time need a table with a time_ column"))?;
        let ts = |t: i64| lit(ScalarValue::TimestampNanosecond(Some(t), None));
        let bounds = [
            start.map(|t| time.clone().gt_eq(ts(t))),
            end.map(|t| time.clone().lt(ts(t))),
        ];
        let Some(pred) = bounds.into_iter().flatten().reduce(Expr::and) else {
            return Ok(self.clone());
        };
        Self::build(self.builder().filter(pred), range)
    }

    /// `df[predicate]`.
    pub fn filter(&self, pred: &Value, range: TextRange) -> DResult<Self> {
        let pred = match pred {
            Value::Column(c) => c.rebase(self.schema(), range)?,
            other => {
                return Err(Diag::ty(
                    range,
                    format!("a filter needs a BOOLEAN column expression, got {}", other.type_name()),
                ));
            }
        };
        if pred.ty() != PxType::Boolean {
            return Err(Diag::ty(
                range,
                format!("filter condition must be BOOLEAN, got {}", type_name(&pred.dt)),
            ));
        }
        Self::build(self.builder().filter(pred.expr), range)
    }

    /// `df.name = value`: replaces column `name` in place or appends it.
    pub fn assign(&self, name: &str, value: &Value, range: TextRange) -> DResult<Self> {
        let expr = match value {
            Value::Column(c) => c.rebase(self.schema(), range)?.expr,
            Value::Bool(b) => lit(*b),
            Value::Int(i) => lit(*i),
            Value::Float(f) => lit(*f),
            Value::Str(s) => lit(s.clone()),
            other => {
                return Err(Diag::ty(
                    range,
                    format!("cannot assign a {} to column '{name}'", other.type_name()),
                ));
            }
        }
        .alias(name);
        let mut exprs: Vec<Expr> = Vec::new();
        let mut replaced = false;
        for (q, f) in self.schema().iter() {
            if f.name() == name {
                exprs.push(expr.clone());
                replaced = true;
            } else {
                exprs.push(Expr::Column(Column::new(q.cloned(), f.name())));
            }
        }
        if !replaced {
            exprs.push(expr);
        }
        Self::build(self.builder().project(exprs), range)
    }

    /// `df[['a', 'b']]`: keeps these columns, in this order.
    pub fn select(&self, names: &[Name], range: TextRange) -> DResult<Self> {
        let mut seen = HashSet::new();
        let mut exprs = Vec::with_capacity(names.len());
        for (name, at) in names {
            if !seen.insert(name.as_str()) {
                return Err(Diag::new(
                    ErrorKind::Column,
                    *at,
                    format!("column '{name}' selected twice"),
                ));
            }
            exprs.push(resolve(self.schema(), name, *at)?);
        }
        if exprs.is_empty() {
            return Err(Diag::arg(range, "select at least one column"));
        }
        Self::build(self.builder().project(exprs), range)
    }

    /// `df.drop(names)`.
    pub fn drop(&self, names: &[Name], range: TextRange) -> DResult<Self> {
        for (name, at) in names {
            resolve(self.schema(), name, *at)?;
        }
        let keep: Vec<Name> = (self.schema().iter())
            .filter(|(_, f)| !names.iter().any(|(n, _)| n == f.name()))
            .map(|(_, f)| (f.name().clone(), range))
            .collect();
        if keep.is_empty() {
            return Err(Diag::arg(range, "cannot drop every column of a DataFrame"));
        }
        self.select(&keep, range)
    }

    /// `df.head(n)`.
    pub fn head(&self, n: usize, range: TextRange) -> DResult<Self> {
        Self::build(self.builder().limit(0, Some(n)), range)
    }

    /// Group by `keys` (may be empty) and compute `aggs` (already aliased): keys first, then aggregates.
    pub fn aggregate(&self, keys: &[Name], aggs: Vec<Expr>, range: TextRange) -> DResult<Self> {
        let plain = keys.len() > 1;
        let keys = keys
            .iter()
            .map(|(k, at)| {
                let key = resolve(self.schema(), k, *at)?;
                Ok(if plain {
                    decode_dictionary(key, self.schema(), k)
                } else {
                    key
                })
            })
            .collect::<DResult<Vec<_>>>()?;
        Self::build(self.builder().aggregate(keys, aggs), range)
    }

    /// Caps the output at `n` rows.
    pub fn limit(&self, n: usize) -> DResult<LogicalPlan> {
        let range = TextRange::default();
        Ok(Self::build(self.builder().limit(0, Some(n)), range)?
            .plan
            .as_ref()
            .clone())
    }
}

/// A dictionary-encoded string key as a plain string key. DataFusion groups several plain-string and
/// primitive keys with its vectorised column-wise group table, but falls back to encoding every row into
/// a byte row when one key is a dictionary (measured in `bench/pxl_duckdb.sh`).
fn decode_dictionary(key: Expr, schema: &DFSchemaRef, name: &str) -> Expr {
    let field = schema
        .iter()
        .find(|(_, f)| f.name() == name)
        .map(|(_, f)| f.data_type());
    match field {
        Some(DataType::Dictionary(_, v)) if **v == DataType::Utf8 => cast(key, DataType::Utf8).alias(name),
        _ => key,
    }
}

#[cfg(test)]
mod tests {
    use crate::PxlError;
    use crate::testing::{columns, error};

    const HEAD: &str = "import px\ndf = px.DataFrame('http_events', select=['req_path', 'latency', 'resp_status'])\n";

    #[test]
    fn assignment_replaces_in_place_and_appends_new_columns() -> Result<(), PxlError> {
        let cols = columns(&format!(
            "{HEAD}df.latency = df.latency * 2\ndf.x = 1\npx.display(df)\n"
        ))?;
        assert_eq!(cols, [["req_path", "latency", "resp_status", "x"]]);
        Ok(())
    }

    #[test]
    fn aggregate_outputs_keys_then_aggregates_in_kwarg_order() -> Result<(), PxlError> {
        let src = format!(
            "{HEAD}px.display(df.groupby(['resp_status', 'req_path']).agg(z=('latency', px.max), a=('latency', px.count)))\n"
        );
        assert_eq!(columns(&src)?, [["resp_status", "req_path", "z", "a"]]);
        Ok(())
    }

    #[test]
    fn selection_and_drop_errors() {
        assert_eq!(
            error(&format!("{HEAD}df = df[['latency', 'latency']]\n")),
            "3:21: column 'latency' selected twice"
        );
        assert_eq!(
            error(&format!("{HEAD}df = df.drop(['req_path', 'latency', 'resp_status'])\n")),
            "3:6: cannot drop every column of a DataFrame"
        );
        assert_eq!(
            error(&format!(
                "{HEAD}df = df.groupby('req_path').agg(req_path=('latency', px.count))\n"
            )),
            "3:33: duplicate output column 'req_path'"
        );
        assert_eq!(
            error(&format!("{HEAD}df = df.groupby(['latency', 'latency']).agg()\n")),
            "3:29: column 'latency' grouped twice"
        );
    }

    #[test]
    fn time_bounds_need_a_time_column() -> Result<(), PxlError> {
        // The time filter is applied before `select`, so time_ need not be selected.
        let cols =
            columns("import px\npx.display(px.DataFrame('http_events', select=['req_path'], start_time='-5m'))\n")?;
        assert_eq!(cols, [["req_path"]]);
        Ok(())
    }
}
