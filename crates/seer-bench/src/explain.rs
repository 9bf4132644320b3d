//! `--explain`: the physical plan DataFusion runs for the benchmark script, to see where time can go.

use std::sync::Arc;

use anyhow::{Context, Result};
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{ScalarUDF, TableSource};
use datafusion::physical_plan::displayable;
use datafusion::prelude::{DataFrame, SessionConfig, SessionContext};
use seer_pxl::{Catalog, CompileOptions, Entry};
use seer_store::{Store, StoreTableProvider};

/// The engine's catalogue: store tables and metadata functions (with `udf` replacing its namesake).
pub(crate) struct StoreCatalog<'a> {
    store: &'a Store,
    udfs: Vec<Arc<ScalarUDF>>,
}

impl<'a> StoreCatalog<'a> {
    pub(crate) fn new(store: &'a Store, udf: Arc<ScalarUDF>) -> Self {
        let mut udfs = seer_meta::udfs();
        udfs.retain(|u| u.name() != udf.name());
        udfs.push(udf);
        Self { store, udfs }
    }
}

impl Catalog for StoreCatalog<'_> {
    fn table(&self, name: &str) -> Option<Arc<dyn TableSource>> {
        let table = self.store.table(name)?.clone();
        Some(provider_as_source(Arc::new(StoreTableProvider::new(table))))
    }

    fn udf(&self, name: &str) -> Option<Arc<ScalarUDF>> {
        self.udfs.iter().find(|u| u.name() == name).cloned()
    }
}

/// Prints the optimized logical plan and the physical plan of `source` over `store`.
pub async fn explain(store: &Store, source: &str, udf: Arc<ScalarUDF>) -> Result<()> {
    let catalog = StoreCatalog::new(store, udf);
    let script = seer_pxl::compile(source, &catalog, &Entry::Script, &CompileOptions::new(0))?;
    let output = script.outputs.into_iter().next().context("one output")?;
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(2));
    let df = DataFrame::new(ctx.state(), output.plan);
    let logical = df.clone().into_optimized_plan()?;
    eprintln!("{}", logical.display_indent());
    let physical = df.create_physical_plan().await?;
    eprintln!("{}", displayable(physical.as_ref()).indent(true));
    Ok(())
}
