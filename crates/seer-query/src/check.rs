//! Compile-only checks (`seer check`): a script compiled against every table's schema, with no data and
//! no store, so that errors are found without running anything.

use std::sync::{Arc, LazyLock};

use datafusion::datasource::empty::EmptyTable;
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{ScalarUDF, TableSource};
use seer_pxl::{Catalog, CompileOptions, CompiledScript, Entry, PxlError};

/// Every catalogue table, empty, with its storage schema; and the metadata functions.
struct SchemaCatalog {
    udfs: Vec<Arc<ScalarUDF>>,
}

impl Catalog for SchemaCatalog {
    fn table(&self, name: &str) -> Option<Arc<dyn TableSource>> {
        let def = seer_types::tables::get(name)?;
        Some(provider_as_source(Arc::new(EmptyTable::new(def.storage_schema()))))
    }

    fn udf(&self, name: &str) -> Option<Arc<ScalarUDF>> {
        self.udfs.iter().find(|u| u.name() == name).cloned()
    }

    fn udf_names(&self) -> Vec<String> {
        self.udfs.iter().map(|u| u.name().to_string()).collect()
    }
}

static CATALOG: LazyLock<SchemaCatalog> = LazyLock::new(|| SchemaCatalog {
    udfs: seer_meta::udfs(),
});

/// Compiles and type-checks `source` against the table schemas without executing it.
pub fn check(source: &str, entry: &Entry) -> Result<CompiledScript, PxlError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    seer_pxl::compile(source, &*CATALOG, entry, &CompileOptions::new(now))
}

/// Names of the host metadata functions (`upid_to_pid`, `nslookup`…), sorted.
pub fn host_functions() -> Vec<String> {
    let mut names = CATALOG.udf_names();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_without_data() {
        assert!(check("import px\npx.display(px.DataFrame('conn_stats'))\n", &Entry::Script).is_ok());
        let err = check("import px\npx.display(px.DataFrame('nope'))\n", &Entry::Script).err();
        assert_eq!(err.map(|e| (e.line, e.column)), Some((2, 25)));
        assert!(host_functions().iter().any(|f| f == "nslookup"));
    }
}
