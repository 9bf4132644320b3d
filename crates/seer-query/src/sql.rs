//! SQL over the same tables (`seer sql`): DataFusion SQL with every store table registered under its
//! Pixie name (quote names with dots: `"kafka_events.beta"`) and the `px` and metadata functions
//! (metadata functions and `quantiles`) available. Read-only: DDL, DML and `SET` statements are refused.

use std::sync::Arc;
use std::time::Instant;

use datafusion::common::TableReference;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::SessionContext;
use seer_store::StoreTableProvider;
use tokio::sync::mpsc;

use crate::engine::{QueryEngine, QueryError, QueryEvent, QueryStats, run_output};

/// Name of the single output table of a SQL query.
pub const SQL_OUTPUT: &str = "output";

impl QueryEngine {
    /// Runs one read-only SQL statement; its result is one output table named [`SQL_OUTPUT`], capped at
    /// the engine's `max_output_rows`.
    pub async fn execute_sql(&self, sql: &str, tx: mpsc::Sender<QueryEvent>) -> Result<QueryStats, QueryError> {
        let timeout = self.limits().timeout;
        tokio::time::timeout(timeout, self.execute_sql_inner(sql, tx))
            .await
            .map_err(|_| QueryError::Timeout(timeout))?
    }

    async fn execute_sql_inner(&self, sql: &str, tx: mpsc::Sender<QueryEvent>) -> Result<QueryStats, QueryError> {
        let exec_err = |e: datafusion::error::DataFusionError| QueryError::Execution(e.strip_backtrace());
        let mut stats = QueryStats::default();
        let started = Instant::now();
        let counters = Arc::new(seer_store::ScanCounters::default());
        let ctx = self.session(counters.clone())?;
        self.register_sql_objects(&ctx).map_err(exec_err)?;
        let options = SQLOptions::new()
            .with_allow_ddl(false)
            .with_allow_dml(false)
            .with_allow_statements(false);
        let df = ctx.sql_with_options(sql, options).await.map_err(exec_err)?;
        let df = df.limit(0, Some(self.limits().max_output_rows)).map_err(exec_err)?;
        let plan = df.into_unoptimized_plan();
        stats.compile_time = started.elapsed();
        let started = Instant::now();
        stats.rows_returned = run_output(&ctx, SQL_OUTPUT.to_string(), plan, &tx).await?;
        stats.execution_time = started.elapsed();
        stats.rows_scanned = counters.rows.load(std::sync::atomic::Ordering::Relaxed);
        stats.bytes_scanned = counters.bytes.load(std::sync::atomic::Ordering::Relaxed);
        stats.batches_pruned = counters.batches_pruned.load(std::sync::atomic::Ordering::Relaxed);
        Ok(stats)
    }

    fn register_sql_objects(&self, ctx: &SessionContext) -> datafusion::error::Result<()> {
        for table in self.store().tables() {
            let provider = Arc::new(StoreTableProvider::new(table.clone()));
            ctx.register_table(TableReference::bare(table.def().name), provider)?;
        }
        for udf in self.udfs() {
            ctx.register_udf(udf.as_ref().clone());
        }
        ctx.register_udaf(seer_pxl::quantiles_udaf().as_ref().clone());
        Ok(())
    }
}
