//! Test support: a catalog of empty tables with Seer's real storage schemas, and compile shorthands.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::datasource::{MemTable, provider_as_source};
use datafusion::logical_expr::TableSource;

use crate::{Catalog, CompileOptions, CompiledScript, Entry, PxlError, compile};

/// "Now" for unit tests: 2023-11-14T22:13:20Z.
pub(crate) const NOW_NS: i64 = 1_700_000_000_000_000_000;

/// Every seer-types table, empty.
pub(crate) struct EmptyCatalog(HashMap<String, Arc<dyn TableSource>>);

impl EmptyCatalog {
    pub fn new() -> Self {
        let mut tables = HashMap::new();
        for def in seer_types::tables::all() {
            if let Ok(t) = MemTable::try_new(def.storage_schema(), vec![vec![]]) {
                tables.insert(def.name.to_string(), provider_as_source(Arc::new(t)));
            }
        }
        Self(tables)
    }
}

impl Catalog for EmptyCatalog {
    fn table(&self, name: &str) -> Option<Arc<dyn TableSource>> {
        self.0.get(name).cloned()
    }
}

/// Compiles in script mode.
pub(crate) fn script(src: &str) -> Result<CompiledScript, PxlError> {
    compile(src, &EmptyCatalog::new(), &Entry::Script, &CompileOptions::new(NOW_NS))
}

/// The error message of a script that must fail (empty if it compiles).
pub(crate) fn error(src: &str) -> String {
    script(src).err().map(|e| e.to_string()).unwrap_or_default()
}

/// Output column names of each output.
pub(crate) fn columns(src: &str) -> Result<Vec<Vec<String>>, PxlError> {
    let names = |o: &crate::CompiledOutput| o.plan.schema().fields().iter().map(|f| f.name().clone()).collect();
    Ok(script(src)?.outputs.iter().map(names).collect())
}
