//! The store's tables and the metadata functions as the PxL compiler's catalogue.

use std::sync::Arc;

use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{ScalarUDF, TableSource};
use seer_store::{Store, StoreTableProvider};

/// Resolves table names to store tables.
pub(crate) struct StoreCatalog<'a> {
    pub store: &'a Store,
    pub udfs: &'a [Arc<ScalarUDF>],
}

impl seer_pxl::Catalog for StoreCatalog<'_> {
    fn table(&self, name: &str) -> Option<Arc<dyn TableSource>> {
        let table = self.store.table(name)?.clone();
        Some(provider_as_source(Arc::new(StoreTableProvider::new(table))))
    }

    fn udf(&self, name: &str) -> Option<Arc<ScalarUDF>> {
        self.udfs.iter().find(|u| u.name() == name).cloned()
    }

    fn udf_names(&self) -> Vec<String> {
        self.udfs.iter().map(|u| u.name().to_string()).collect()
    }
}
