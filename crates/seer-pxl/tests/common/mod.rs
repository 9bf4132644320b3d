//! Shared test support: fixture tables as DataFusion providers, a catalog over them, and plan execution.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanBuilder, FixedSizeBinaryBuilder, Float64Builder, Int64Builder, RecordBatch, StringBuilder,
    StringDictionaryBuilder, TimestampNanosecondBuilder,
};
use arrow::datatypes::{DataType, Int32Type, SchemaRef};
use datafusion::datasource::{MemTable, provider_as_source};
use datafusion::logical_expr::{LogicalPlan, TableSource};
use datafusion::prelude::{SessionConfig, SessionContext};
use seer_pxl::Catalog;
use seer_types::Upid;
use serde_json::Value as Json;

/// The tests' "now": 2023-11-14T22:13:20Z.
pub const NOW_NS: i64 = 1_700_000_000_000_000_000;

/// Every table of the seer-types catalogue: fixture rows where `tests/fixtures/<table>.json` exists, else
/// empty.
pub struct FixtureCatalog {
    tables: HashMap<String, Arc<dyn TableSource>>,
}

impl Catalog for FixtureCatalog {
    fn table(&self, name: &str) -> Option<Arc<dyn TableSource>> {
        self.tables.get(name).cloned()
    }

    /// Seer's real metadata functions; those that read the host are replaced by deterministic ones.
    fn udf(&self, name: &str) -> Option<Arc<datafusion::logical_expr::ScalarUDF>> {
        use seer_meta::{Answer, Fixed, UpidFn};
        let host = |n: &'static str| Answer::Text(format!("{n}.test"));
        Some(match name {
            "upid_to_cmdline" => UpidFn::utf8("upid_to_cmdline", |u| format!("/usr/bin/app{} --serve", u.pid)).udf(),
            "upid_to_hostname" | "upid_to_node_name" | "_exec_hostname" => Fixed::udf("_exec_hostname", host("host")),
            "upid_to_container_id" => UpidFn::utf8("upid_to_container_id", |_| String::new()).udf(),
            "upid_to_container_name" => {
                UpidFn::utf8("upid_to_container_name", |u| format!("app{}.service", u.pid)).udf()
            }
            "nslookup" => Fixed::udf("nslookup", host("peer")),
            "_exec_host_num_cpus" => Fixed::udf("_exec_host_num_cpus", Answer::Int(4)),
            _ => return seer_meta::udfs().into_iter().find(|u| u.name() == name),
        })
    }
}

impl FixtureCatalog {
    pub fn load() -> Self {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut tables = HashMap::new();
        for def in seer_types::tables::all() {
            let schema = def.storage_schema();
            let path = dir.join(format!("{}.json", def.name));
            let batches = match std::fs::read_to_string(&path) {
                Ok(text) => vec![batch(&schema, &serde_json::from_str::<Vec<Json>>(&text).unwrap())],
                Err(_) => vec![],
            };
            let table = MemTable::try_new(schema, vec![batches]).unwrap();
            tables.insert(def.name.to_string(), provider_as_source(Arc::new(table)));
        }
        Self { tables }
    }
}

/// Builds a batch from JSON rows (see `tests/fixtures/README.md` for the conventions).
pub fn batch(schema: &SchemaRef, rows: &[Json]) -> RecordBatch {
    let columns: Vec<ArrayRef> = schema
        .fields()
        .iter()
        .map(|f| column(f.name(), f.data_type(), rows))
        .collect();
    RecordBatch::try_new(schema.clone(), columns).unwrap()
}

fn column(name: &str, dt: &DataType, rows: &[Json]) -> ArrayRef {
    let values = rows.iter().map(|r| r.get(name).cloned().unwrap_or(Json::Null));
    match dt {
        DataType::Timestamp(..) => {
            let mut b = TimestampNanosecondBuilder::new();
            values.for_each(|v| b.append_value(NOW_NS + (v.as_f64().unwrap_or(0.0) * 1e9) as i64));
            Arc::new(b.finish())
        }
        DataType::FixedSizeBinary(16) => {
            let mut b = FixedSizeBinaryBuilder::new(16);
            for v in values {
                let upid: Upid = v.as_str().unwrap_or("0:0:0").parse().unwrap();
                b.append_value(upid.to_bytes()).unwrap();
            }
            Arc::new(b.finish())
        }
        DataType::Dictionary(..) => {
            let mut b = StringDictionaryBuilder::<Int32Type>::new();
            values.for_each(|v| b.append_value(v.as_str().unwrap_or("")));
            Arc::new(b.finish())
        }
        DataType::Utf8 => {
            let mut b = StringBuilder::new();
            values.for_each(|v| b.append_value(v.as_str().unwrap_or("")));
            Arc::new(b.finish())
        }
        DataType::Int64 => {
            let mut b = Int64Builder::new();
            values.for_each(|v| b.append_value(v.as_i64().unwrap_or(0)));
            Arc::new(b.finish())
        }
        DataType::Float64 => {
            let mut b = Float64Builder::new();
            values.for_each(|v| b.append_value(v.as_f64().unwrap_or(0.0)));
            Arc::new(b.finish())
        }
        DataType::Boolean => {
            let mut b = BooleanBuilder::new();
            values.for_each(|v| b.append_value(v.as_bool().unwrap_or(false)));
            Arc::new(b.finish())
        }
        other => panic!("fixture column {name}: unsupported type {other}"),
    }
}

/// A single-partition session, so results are deterministic.
pub fn session() -> SessionContext {
    SessionContext::new_with_config(SessionConfig::new().with_target_partitions(1))
}

/// Executes a plan; returns its output schema and batches.
pub async fn execute(
    ctx: &SessionContext,
    plan: LogicalPlan,
) -> datafusion::error::Result<(SchemaRef, Vec<RecordBatch>)> {
    let df = ctx.execute_logical_plan(plan).await?;
    let schema: SchemaRef = df.schema().inner().clone();
    Ok((schema, df.collect().await?))
}
