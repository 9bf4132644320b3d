//! The compiler's public inputs and outputs.

use std::collections::BTreeMap;
use std::sync::Arc;

use datafusion::logical_expr::{LogicalPlan, ScalarUDF, TableSource};

/// Where the compiler looks up the tables a script scans.
pub trait Catalog {
    /// The table called `name` (Pixie's name, e.g. `"http_events"` or `"kafka_events.beta"`), if it exists.
    fn table(&self, name: &str) -> Option<Arc<dyn TableSource>>;

    /// A host-provided per-row function called as `px.<name>(...)` (e.g. the metadata functions
    /// `upid_to_pid`, `upid_to_cmdline`), if the catalogue has one. Used for `df.ctx[...]` too.
    fn udf(&self, _name: &str) -> Option<Arc<ScalarUDF>> {
        None
    }

    /// Names of every host-provided function (for `px.GetUDFList()`).
    fn udf_names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Default cap on the rows of each output table (Pixie's `max_output_rows_per_table`).
pub const DEFAULT_MAX_OUTPUT_ROWS: usize = 10_000;

/// Knobs of one compilation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileOptions {
    /// "Now" in nanoseconds since the Unix epoch: relative times such as `'-5m'` are resolved against it.
    pub now_ns: i64,
    /// Row cap appended to every output; a `#px:set max_output_rows_per_table=N` directive overrides it.
    pub max_output_rows: usize,
}

impl CompileOptions {
    /// Options for a script compiled at `now_ns`, with the default row cap.
    pub fn new(now_ns: i64) -> Self {
        Self {
            now_ns,
            ..Self::default()
        }
    }
}

impl Default for CompileOptions {
    fn default() -> Self {
        Self {
            now_ns: 0,
            max_output_rows: DEFAULT_MAX_OUTPUT_ROWS,
        }
    }
}

/// One function call requested by a client in function mode (Live View widgets, `exec_funcs`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FuncCall {
    /// Name of a function the script defines at module level.
    pub name: String,
    /// Arguments as strings; each is converted according to the parameter's annotation.
    pub args: BTreeMap<String, String>,
    /// Name of the output table the call's returned DataFrame becomes.
    pub output: String,
}

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Script mode: run the module; every `px.display(df, name)` is an output.
    Script,
    /// Function mode: run the module (where `px.display` is a no-op), then call each function; each call's
    /// returned DataFrame is an output.
    Functions(Vec<FuncCall>),
}

/// One output table of a compiled script.
#[derive(Debug, Clone)]
pub struct CompiledOutput {
    /// Output (result table) name, unique within the script.
    pub name: String,
    /// The plan producing it, row cap included.
    pub plan: LogicalPlan,
}

/// The result of [`compile`](crate::compile).
#[derive(Debug, Clone)]
pub struct CompiledScript {
    /// Outputs in the order the script produced them.
    pub outputs: Vec<CompiledOutput>,
    /// Row cap applied to every output (from the options or a `#px:set` directive).
    pub max_output_rows: usize,
    /// Every `#px:set key=value` directive in the script (e.g. `explain`, `analyze`).
    pub directives: BTreeMap<String, String>,
}
