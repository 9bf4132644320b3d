//! Seer's PxL compiler: turns a PxL script (Pixie's Python-syntax query language) into DataFusion logical
//! plans, one per output table. Pure: no I/O, no execution.
//!
//! Pipeline:
//! 1. [`ruff_python_parser`] parses the script as Python ([`ErrorKind::Syntax`] on failure);
//! 2. a syntax pass (`check`) rejects Python that PxL does not support (loops, classes, lambdas…);
//! 3. an interpreter (`interp`) evaluates the module at compile time over values — constants, lists,
//!    dicts, user functions, the `px` module, DataFrames (wrapping a [`LogicalPlan`]), column expressions
//!    and aggregate objects — building and type-checking plans as it goes;
//! 4. each displayed DataFrame (script mode) or each called function's result (function mode, see
//!    [`Entry`]) becomes a [`CompiledOutput`] capped at `max_output_rows` rows.
//!
//! Every error is a [`PxlError`] with the 1-based line and column of the offending construct.
//!
//! Extending PxL is mostly one table entry: `px` functions in `px/mod.rs`, aggregates in `px/agg.rs`,
//! DataFrame methods in `frame/methods.rs`, operator typing rules in `ops/columns.rs`.
//!
//! [`vis`] parses Live View specs (`vis.json`) into the [`FuncCall`]s of function mode.
//!
//! [`LogicalPlan`]: datafusion::logical_expr::LogicalPlan

mod api;
mod args;
mod check;
mod column;
mod commas;
mod directives;
mod error;
mod frame;
mod interp;
mod ops;
mod pii;
mod px;
mod registry;
mod source;
#[cfg(test)]
mod testing;
mod types;
mod udf;
mod value;
pub mod vis;

pub use api::{Catalog, CompileOptions, CompiledOutput, CompiledScript, DEFAULT_MAX_OUTPUT_ROWS, Entry, FuncCall};
pub use error::{ErrorKind, PxlError};
pub use registry::{FunctionInfo, FunctionKind, functions};

/// The `quantiles` aggregate as a DataFusion UDAF (for SQL over the same tables).
pub fn quantiles_udaf() -> std::sync::Arc<datafusion::logical_expr::AggregateUDF> {
    px::quantiles_udaf()
}

use error::{DResult, Diag};
use interp::Interp;
use source::LineIndex;

/// Compiles `source` against `catalog`.
///
/// In [`Entry::Script`] mode the outputs are the script's `px.display` calls; in [`Entry::Functions`] mode
/// they are the results of the requested calls, named by [`FuncCall::output`].
pub fn compile(
    source: &str,
    catalog: &dyn Catalog,
    entry: &Entry,
    opts: &CompileOptions,
) -> Result<CompiledScript, PxlError> {
    let index = LineIndex::new(source);
    match ruff_python_parser::parse_module(source) {
        Ok(parsed) => compile_parsed(source, &parsed, catalog, entry, opts).map_err(|d| d.resolve(&index)),
        Err(strict) => {
            // Pixie accepts missing commas between keyword arguments on separate lines: retry with them.
            let syntax = |e: ruff_python_parser::ParseError| {
                Diag::new(ErrorKind::Syntax, e.location, format!("syntax error: {}", e.error))
            };
            let Some((fixed, fixups)) = commas::insert(source) else {
                return Err(syntax(strict).resolve(&index));
            };
            let parsed = ruff_python_parser::parse_module(&fixed).map_err(|_| syntax(strict).resolve(&index))?;
            compile_parsed(&fixed, &parsed, catalog, entry, opts).map_err(|d| d.remap(&fixups).resolve(&index))
        }
    }
}

fn compile_parsed(
    source: &str,
    parsed: &ruff_python_parser::Parsed<ruff_python_ast::ModModule>,
    catalog: &dyn Catalog,
    entry: &Entry,
    opts: &CompileOptions,
) -> DResult<CompiledScript> {
    let directives = directives::parse(source)?;
    let max_output_rows = directives::max_output_rows(source, &directives, opts.max_output_rows)?;
    let body = &parsed.syntax().body;
    check::check(body)?;
    let mut interp = Interp::new(catalog, opts.now_ns, matches!(entry, Entry::Functions(_)));
    interp.run_module(body)?;
    if let Entry::Functions(calls) = entry {
        for call in calls {
            interp.run_call(call)?;
        }
    }
    let outputs = interp
        .into_outputs()
        .into_iter()
        .map(|(name, df)| {
            Ok(CompiledOutput {
                name,
                plan: df.limit(max_output_rows)?,
            })
        })
        .collect::<DResult<Vec<_>>>()?;
    Ok(CompiledScript {
        outputs,
        max_output_rows,
        directives,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use datafusion::logical_expr::LogicalPlan;

    use super::*;
    use crate::testing::{EmptyCatalog, NOW_NS, error, script};

    #[test]
    fn every_output_is_capped() -> Result<(), PxlError> {
        let compiled = script(
            "#px:set max_output_rows_per_table=7 explain=true\nimport px\npx.display(px.DataFrame('http_events'))\n",
        )?;
        assert_eq!(compiled.max_output_rows, 7);
        assert_eq!(compiled.directives.get("explain").map(String::as_str), Some("true"));
        assert!(matches!(&compiled.outputs[0].plan, LogicalPlan::Limit(l) if l.fetch.is_some()));
        let default = script("import px\npx.display(px.DataFrame('http_events'))\n")?;
        assert_eq!(default.max_output_rows, DEFAULT_MAX_OUTPUT_ROWS);
        Ok(())
    }

    #[test]
    fn function_mode_ignores_display_and_names_outputs_by_call() -> Result<(), PxlError> {
        let src = "import px\npx.display(px.DataFrame('http_events'))\ndef f(n: int):\n    return px.DataFrame('http_events').head(n)\n";
        let call = FuncCall {
            name: "f".into(),
            args: BTreeMap::from([("n".into(), "3".into())]),
            output: "o".into(),
        };
        let compiled = compile(
            src,
            &EmptyCatalog::new(),
            &Entry::Functions(vec![call]),
            &CompileOptions::new(NOW_NS),
        )?;
        let names: Vec<&str> = compiled.outputs.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["o"]);
        Ok(())
    }

    #[test]
    fn errors_carry_kind_and_position() {
        let err = script("import px\n\ndf = px.DataFrame('nope')\n").err();
        let err = err.map(|e| (e.line, e.column, e.kind));
        assert_eq!(err, Some((3, 19, ErrorKind::Table)));
        let err = script("x = (\n").err().map(|e| e.kind);
        assert_eq!(err, Some(ErrorKind::Syntax));
    }

    #[test]
    fn module_level_return_is_rejected() {
        assert_eq!(error("return 1\n"), "1:1: 'return' outside function");
    }
}
