//! Compile time of PxL scripts: parse, check, interpret and build the DataFusion logical plans, against a
//! catalogue with every Seer table (empty) and the host metadata functions — what `seer run` and the query
//! engine do before executing anything. Target (issue 4): ≤ 2 ms for a typical script.
//!
//! Run: `cargo bench -p seer-cli -p seer-pxl --bench compile` (selecting seer-cli too keeps the feature
//! set, and so every release artifact, identical to the seer-cli release build).

use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use datafusion::datasource::{MemTable, provider_as_source};
use datafusion::logical_expr::{ScalarUDF, TableSource};
use seer_pxl::{Catalog, CompileOptions, Entry, FuncCall, compile};

/// 2023-11-14T22:13:20Z.
const NOW_NS: i64 = 1_700_000_000_000_000_000;

/// The bundled `px/http_request_stats` (two widget functions).
const HTTP_REQUEST_STATS: &str = include_str!("../../../scripts/px/http_request_stats/http_request_stats.pxl");
/// The PxL-vs-DuckDB benchmark's script (script mode), with its placeholders to fill in.
const HTTP_STATS: &str = include_str!("../../seer-bench/src/http_stats.pxl");
/// A larger live-view-style script: six functions, merges, time series, ctx lookups.
const SERVICE_OVERVIEW: &str = include_str!("scripts/service_overview.pxl");

struct Tables {
    tables: HashMap<&'static str, Arc<dyn TableSource>>,
    udfs: Vec<Arc<ScalarUDF>>,
}

impl Tables {
    fn new() -> Self {
        let tables = seer_types::tables::all()
            .iter()
            .map(|def| {
                let t = MemTable::try_new(def.storage_schema(), vec![vec![]]).expect("empty table");
                (def.name, provider_as_source(Arc::new(t)))
            })
            .collect();
        Self {
            tables,
            udfs: seer_meta::udfs(),
        }
    }
}

impl Catalog for Tables {
    fn table(&self, name: &str) -> Option<Arc<dyn TableSource>> {
        self.tables.get(name).cloned()
    }

    fn udf(&self, name: &str) -> Option<Arc<ScalarUDF>> {
        self.udfs.iter().find(|u| u.name() == name).cloned()
    }
}

fn call(name: &str, args: &[(&str, &str)]) -> FuncCall {
    FuncCall {
        name: name.into(),
        args: args
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        output: name.into(),
    }
}

fn bench(c: &mut Criterion) {
    let catalog = Tables::new();
    let opts = CompileOptions::new(NOW_NS);
    let window = [("start_time", "-5m")];
    let http_stats = HTTP_STATS
        .replace("{start_ns}", &(NOW_NS - 300_000_000_000).to_string())
        .replace("{end_ns}", &NOW_NS.to_string())
        .replace("{min_status}", "400");
    let cases = [
        ("http_stats_script", http_stats.as_str(), Entry::Script),
        (
            "px_http_request_stats",
            HTTP_REQUEST_STATS,
            Entry::Functions(vec![
                call("request_stats", &window),
                call("request_timeseries", &[("start_time", "-5m"), ("window_s", "10")]),
            ]),
        ),
        (
            "service_overview",
            SERVICE_OVERVIEW,
            Entry::Functions(vec![
                call("service_let_timeseries", &[("start_time", "-5m"), ("service", "svc")]),
                call("inbound_by_client", &[("start_time", "-5m"), ("service", "svc")]),
                call("endpoints", &[("start_time", "-5m"), ("service", "svc")]),
                call("outbound_connections", &[("start_time", "-5m"), ("service", "svc")]),
                call("summary", &[("start_time", "-5m"), ("service", "svc")]),
            ]),
        ),
    ];
    let mut group = c.benchmark_group("pxl_compile");
    for (name, src, entry) in &cases {
        let compiled = compile(src, &catalog, entry, &opts).expect("script compiles");
        assert!(!compiled.outputs.is_empty(), "{name} has outputs");
        group.bench_function(*name, |b| {
            b.iter(|| compile(black_box(src), &catalog, entry, &opts).map(|s| s.outputs.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
