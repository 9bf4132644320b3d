//! The query engine: compile, plan, execute under limits, stream results.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::logical_expr::ScalarUDF;
use datafusion::prelude::{DataFrame, SessionConfig, SessionContext};
use futures::StreamExt;
use seer_pxl::{CompileOptions, Entry, PxlError};
use seer_store::{ScanCounters, Store};
use tokio::sync::mpsc;

use crate::catalog::StoreCatalog;
use crate::health::{DataWarning, warnings};
use crate::output::{logical_schema, to_logical};

/// Bounds on one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryLimits {
    /// Rows per output table unless the script sets `#px:set max_output_rows_per_table` (default 10000).
    pub max_output_rows: usize,
    /// Memory DataFusion may use for joins, sorts and aggregations (default 512 MiB).
    pub memory_bytes: usize,
    /// Wall-clock limit for compile + execution (default 60 s).
    pub timeout: Duration,
}

impl Default for QueryLimits {
    fn default() -> Self {
        Self {
            max_output_rows: 10_000,
            memory_bytes: 512 << 20,
            timeout: Duration::from_secs(60),
        }
    }
}

/// What to run.
#[derive(Debug, Clone)]
pub struct QueryRequest {
    /// PxL source.
    pub source: String,
    /// Script mode or function mode.
    pub entry: Entry,
}

/// A piece of the result stream.
#[derive(Debug, Clone)]
pub enum QueryEvent {
    /// An output table starts; sent once per table before its batches.
    Schema {
        /// Output table name.
        table: String,
        /// Its schema (logical types).
        schema: SchemaRef,
    },
    /// Rows of an output table.
    Batch {
        /// Output table name.
        table: String,
        /// Rows.
        batch: RecordBatch,
    },
}

/// What a query cost and what it may have missed.
#[derive(Debug, Clone, Default)]
pub struct QueryStats {
    /// Rows handed to the engine by table scans (after time pruning).
    pub rows_scanned: u64,
    /// Bytes handed to the engine by table scans.
    pub bytes_scanned: u64,
    /// Stored batches skipped by time pruning.
    pub batches_pruned: u64,
    /// Rows returned over all output tables.
    pub rows_returned: u64,
    /// Time to compile the script.
    pub compile_time: Duration,
    /// Time to plan and execute.
    pub execution_time: Duration,
    /// Tables whose queried window may be incomplete.
    pub warnings: Vec<DataWarning>,
}

/// Why a query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The script did not compile.
    #[error("{0}")]
    Compile(#[from] PxlError),
    /// Planning or execution failed.
    #[error("execution failed: {0}")]
    Execution(String),
    /// The query ran past its time limit.
    #[error("query exceeded its {0:?} time limit")]
    Timeout(Duration),
    /// The receiver of the results went away.
    #[error("query cancelled: result receiver closed")]
    Cancelled,
}

/// Runs PxL queries over one store.
#[derive(Debug, Clone)]
pub struct QueryEngine {
    store: Arc<Store>,
    limits: QueryLimits,
    udfs: Arc<[Arc<ScalarUDF>]>,
}

fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

impl QueryEngine {
    /// An engine over `store` with `limits`.
    pub fn new(store: Arc<Store>, limits: QueryLimits) -> Self {
        Self {
            store,
            limits,
            udfs: seer_meta::udfs().into(),
        }
    }

    /// The same engine with `udf` as a host function, replacing any function of the same name (e.g. a
    /// metadata source other than this host's `/proc`, as benchmarks and tests over synthetic UPIDs need).
    pub fn with_udf(mut self, udf: Arc<ScalarUDF>) -> Self {
        let mut udfs: Vec<Arc<ScalarUDF>> = self.udfs.iter().filter(|u| u.name() != udf.name()).cloned().collect();
        udfs.push(udf);
        self.udfs = udfs.into();
        self
    }

    /// The store queried.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The limits applied to every query.
    pub fn limits(&self) -> &QueryLimits {
        &self.limits
    }

    /// The host metadata functions scripts can call.
    pub(crate) fn udfs(&self) -> &[Arc<ScalarUDF>] {
        &self.udfs
    }

    /// Compiles and runs `req`, sending every output table's schema and batches to `tx`.
    pub async fn execute(&self, req: QueryRequest, tx: mpsc::Sender<QueryEvent>) -> Result<QueryStats, QueryError> {
        let timeout = self.limits.timeout;
        tokio::time::timeout(timeout, self.execute_inner(req, tx))
            .await
            .map_err(|_| QueryError::Timeout(timeout))?
    }

    async fn execute_inner(&self, req: QueryRequest, tx: mpsc::Sender<QueryEvent>) -> Result<QueryStats, QueryError> {
        let mut stats = QueryStats::default();
        let started = Instant::now();
        let opts = CompileOptions {
            now_ns: now_ns(),
            max_output_rows: self.limits.max_output_rows,
        };
        let script = seer_pxl::compile(
            &req.source,
            &StoreCatalog {
                store: &self.store,
                udfs: &self.udfs,
            },
            &req.entry,
            &opts,
        )?;
        stats.compile_time = started.elapsed();

        let started = Instant::now();
        let counters = Arc::new(ScanCounters::default());
        let ctx = self.session(counters.clone())?;
        for output in script.outputs {
            stats.rows_returned += run_output(&ctx, output.name, output.plan, &tx).await?;
        }
        stats.execution_time = started.elapsed();
        stats.rows_scanned = counters.rows.load(Ordering::Relaxed);
        stats.bytes_scanned = counters.bytes.load(Ordering::Relaxed);
        stats.batches_pruned = counters.batches_pruned.load(Ordering::Relaxed);
        let scans = counters.scans.lock().unwrap_or_else(|e| e.into_inner()).clone();
        stats.warnings = warnings(&self.store, &scans);
        Ok(stats)
    }

    pub(crate) fn session(&self, counters: Arc<ScanCounters>) -> Result<SessionContext, QueryError> {
        let runtime = RuntimeEnvBuilder::new()
            .with_memory_limit(self.limits.memory_bytes, 1.0)
            .build_arc()
            .map_err(|e| QueryError::Execution(e.to_string()))?;
        let config = SessionConfig::new().with_target_partitions(2).with_extension(counters);
        Ok(SessionContext::new_with_config_rt(config, runtime))
    }
}

pub(crate) async fn run_output(
    ctx: &SessionContext,
    name: String,
    plan: datafusion::logical_expr::LogicalPlan,
    tx: &mpsc::Sender<QueryEvent>,
) -> Result<u64, QueryError> {
    let exec_err = |e: datafusion::error::DataFusionError| QueryError::Execution(e.to_string());
    let df = DataFrame::new(ctx.state(), plan);
    let mut stream = df.execute_stream().await.map_err(exec_err)?;
    let schema = logical_schema(&stream.schema());
    send(
        tx,
        QueryEvent::Schema {
            table: name.clone(),
            schema: schema.clone(),
        },
    )
    .await?;
    let mut rows = 0u64;
    while let Some(batch) = stream.next().await {
        let batch = batch.map_err(exec_err)?;
        if batch.num_rows() == 0 {
            continue;
        }
        rows += batch.num_rows() as u64;
        let batch = to_logical(&batch, &schema).map_err(|e| QueryError::Execution(e.to_string()))?;
        send(
            tx,
            QueryEvent::Batch {
                table: name.clone(),
                batch,
            },
        )
        .await?;
    }
    Ok(rows)
}

async fn send(tx: &mpsc::Sender<QueryEvent>, ev: QueryEvent) -> Result<(), QueryError> {
    tx.send(ev).await.map_err(|_| QueryError::Cancelled)
}
