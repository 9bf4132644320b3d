//! `--compile-iters N` (default 2000): compile time of PxL scripts in this release binary — the same scripts and the same
//! `seer_pxl::compile` call as the criterion bench `crates/seer-pxl/benches/compile.rs`, timed with a plain
//! loop. (The criterion bench needs `serde/alloc` through criterion's `ciborium`, which changes the feature
//! set and rebuilds most of DataFusion; this binary shares the seer-cli release artifacts.)

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use anyhow::Result;
use seer_pxl::{CompileOptions, Entry, FuncCall};
use seer_store::{Store, StoreConfig};
use serde_json::{Value, json};

use crate::explain::StoreCatalog;

const NOW_NS: i64 = 1_700_000_000_000_000_000;
const HTTP_REQUEST_STATS: &str = include_str!("../../../scripts/px/http_request_stats/http_request_stats.pxl");
const SERVICE_OVERVIEW: &str = include_str!("../../seer-pxl/benches/scripts/service_overview.pxl");

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

fn cases() -> Vec<(&'static str, String, Entry)> {
    let svc = [("start_time", "-5m"), ("service", "svc")];
    let overview = [
        "service_let_timeseries",
        "inbound_by_client",
        "endpoints",
        "outbound_connections",
        "summary",
    ];
    vec![
        (
            "http_stats_script",
            crate::query::script(NOW_NS - 300_000_000_000, NOW_NS, 400),
            Entry::Script,
        ),
        (
            "px_http_request_stats",
            HTTP_REQUEST_STATS.to_string(),
            Entry::Functions(vec![
                call("request_stats", &[("start_time", "-5m")]),
                call("request_timeseries", &[("start_time", "-5m"), ("window_s", "10")]),
            ]),
        ),
        (
            "service_overview",
            SERVICE_OVERVIEW.to_string(),
            Entry::Functions(overview.iter().map(|f| call(f, &svc)).collect()),
        ),
    ]
}

/// Compiles each script `iters` times (after 100 warm-up compiles); mean and median in microseconds.
pub fn run(iters: usize) -> Result<Value> {
    let store = Store::with_all_tables(&StoreConfig::default());
    let catalog = StoreCatalog::new(&store, crate::meta::cmdline_udf());
    let opts = CompileOptions::new(NOW_NS);
    let mut out = serde_json::Map::new();
    for (name, src, entry) in cases() {
        for _ in 0..100 {
            seer_pxl::compile(&src, &catalog, &entry, &opts)?;
        }
        let mut us: Vec<f64> = Vec::with_capacity(iters);
        for _ in 0..iters.max(1) {
            let t = Instant::now();
            let compiled = seer_pxl::compile(black_box(&src), &catalog, &entry, &opts)?;
            us.push(t.elapsed().as_secs_f64() * 1e6);
            black_box(compiled);
        }
        us.sort_by(f64::total_cmp);
        let mean = us.iter().sum::<f64>() / us.len() as f64;
        eprintln!("compile {name}: mean {mean:.1} µs, median {:.1} µs", us[us.len() / 2]);
        out.insert(
            name.to_string(),
            json!({"iters": us.len(), "mean_us": mean, "median_us": us[us.len() / 2], "min_us": us[0], "lines": src.lines().count()}),
        );
    }
    Ok(Value::Object(out))
}
