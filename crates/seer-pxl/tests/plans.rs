//! Plan shape: time bounds become a filter directly above the scan that the optimizer pushes into a
//! provider that accepts filters, and every output ends in the row cap.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use arrow::datatypes::SchemaRef;
use datafusion::error::Result as DfResult;
use datafusion::logical_expr::{Expr, LogicalPlan, TableProviderFilterPushDown, TableSource};
use datafusion::prelude::SessionContext;
use seer_pxl::{Catalog, CompileOptions, CompiledScript, Entry, compile};

const NOW_NS: i64 = 1_700_000_000_000_000_000;

/// A source that accepts every filter as inexact, like the runtime store's time pruning.
#[derive(Debug)]
struct Pruning(SchemaRef);

impl TableSource for Pruning {
    fn schema(&self) -> SchemaRef {
        self.0.clone()
    }
    fn supports_filters_pushdown(&self, filters: &[&Expr]) -> DfResult<Vec<TableProviderFilterPushDown>> {
        Ok(vec![TableProviderFilterPushDown::Inexact; filters.len()])
    }
}

struct Tables;

impl Catalog for Tables {
    fn table(&self, name: &str) -> Option<Arc<dyn TableSource>> {
        let def = seer_types::tables::get(name)?;
        Some(Arc::new(Pruning(def.storage_schema())))
    }
}

fn compile_script(src: &str) -> CompiledScript {
    compile(src, &Tables, &Entry::Script, &CompileOptions::new(NOW_NS)).unwrap()
}

fn indent(plan: &LogicalPlan) -> String {
    plan.display_indent().to_string()
}

#[test]
fn time_bounds_are_a_filter_above_the_scan_under_the_cap() {
    let script = compile_script(
        "import px\ndf = px.DataFrame('http_events', start_time='-5m', end_time='-1m', select=['req_path'])\npx.display(df)\n",
    );
    let start = NOW_NS - 300_000_000_000;
    let end = NOW_NS - 60_000_000_000;
    let expected = format!(
        "Limit: skip=0, fetch=10000\
        \n  Projection: http_events.req_path\
        \n    Filter: http_events.time_ >= TimestampNanosecond({start}, None) AND http_events.time_ < TimestampNanosecond({end}, None)\
        \n      TableScan: http_events"
    );
    assert_eq!(indent(&script.outputs[0].plan), expected);
}

#[test]
fn the_optimizer_pushes_time_bounds_into_the_scan() {
    let script = compile_script(
        "import px\ndf = px.DataFrame('http_events', start_time='-5m')\ndf = df[df.req_method == 'GET']\npx.display(df)\n",
    );
    let ctx = SessionContext::new();
    let optimized = ctx.state().optimize(&script.outputs[0].plan).unwrap();
    let text = indent(&optimized);
    let scan = text.lines().find(|l| l.contains("TableScan")).unwrap();
    let start = NOW_NS - 300_000_000_000;
    assert!(
        scan.contains(&format!("http_events.time_ >= TimestampNanosecond({start}, None)")),
        "{text}"
    );
    assert!(scan.contains("http_events.req_method = "), "{text}");
}

#[test]
fn unbounded_times_add_no_filter() {
    let script = compile_script("import px\npx.display(px.DataFrame('http_events', start_time=None, end_time=None))\n");
    assert_eq!(
        indent(&script.outputs[0].plan),
        "Limit: skip=0, fetch=10000\n  TableScan: http_events"
    );
}

#[test]
fn directive_sets_the_cap() {
    let script = compile_script(
        "#px:set max_output_rows_per_table=3\nimport px\npx.display(px.DataFrame('http_events').head(100))\n",
    );
    assert!(indent(&script.outputs[0].plan).starts_with("Limit: skip=0, fetch=3\n  Limit: skip=0, fetch=100\n"));
}
