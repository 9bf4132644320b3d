//! Golden tests: every `tests/golden/<case>.pxl` is compiled at a fixed "now" against the fixture tables and
//! its outputs are executed and compared with `<case>.out`, or its error with `<case>.err`.
//!
//! Function mode: `#test:call <output> <function> [arg=value ...]` lines, or a `<case>.vis.json` Live View
//! spec (with `#test:var name=value` overrides). Regenerate expectations with `SEER_BLESS=1`.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, FixedSizeBinaryArray, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::util::pretty::pretty_format_batches_with_schema;
use common::{FixtureCatalog, NOW_NS, execute, session};
use seer_pxl::vis::VisSpec;
use seer_pxl::{CompileOptions, CompiledScript, Entry, FuncCall, compile};
use seer_types::Upid;

fn entry(path: &Path, source: &str) -> Entry {
    let mut calls = Vec::new();
    let mut vars = BTreeMap::new();
    for line in source.lines() {
        if let Some(rest) = line.strip_prefix("#test:call ") {
            let mut words = rest.split_whitespace();
            let output = words.next().unwrap().to_string();
            let name = words.next().unwrap().to_string();
            let args = words
                .map(|w| w.split_once('=').unwrap())
                .map(|(k, v)| (k.into(), v.into()))
                .collect();
            calls.push(FuncCall { name, args, output });
        } else if let Some(rest) = line.strip_prefix("#test:var ") {
            let (k, v) = rest.trim().split_once('=').unwrap();
            vars.insert(k.to_string(), v.to_string());
        }
    }
    let vis = path.with_extension("vis.json");
    if vis.exists() {
        let spec = VisSpec::parse(&std::fs::read_to_string(vis).unwrap()).unwrap();
        calls.extend(spec.func_calls(&vars).unwrap());
    }
    if calls.is_empty() {
        Entry::Script
    } else {
        Entry::Functions(calls)
    }
}

/// Renders UPID columns as `asid:pid:start` so expectations are readable.
fn readable(batch: &RecordBatch) -> RecordBatch {
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (field, col) in batch.schema().fields().iter().zip(batch.columns()) {
        if let Some(bin) = col.as_any().downcast_ref::<FixedSizeBinaryArray>() {
            let upids: StringArray = (0..bin.len())
                .map(|i| Upid::from_bytes(bin.value(i)).map(|u| u.to_string()))
                .collect();
            fields.push(Field::new(field.name(), DataType::Utf8, true));
            columns.push(Arc::new(upids));
        } else {
            fields.push(field.as_ref().clone());
            columns.push(col.clone());
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

/// Pretty-printed table with body rows sorted (row order is not part of PxL's semantics).
fn table(schema: &SchemaRef, batches: &[RecordBatch]) -> String {
    let batches: Vec<RecordBatch> = batches.iter().map(readable).collect();
    let schema = batches.first().map_or_else(
        || readable(&RecordBatch::new_empty(schema.clone())).schema(),
        |b| b.schema(),
    );
    let text = pretty_format_batches_with_schema(schema, &batches).unwrap().to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= 4 {
        return text + "\n";
    }
    let (head, rest) = lines.split_at(3);
    let (body, tail) = rest.split_at(rest.len() - 1);
    let mut body = body.to_vec();
    body.sort_unstable();
    [head, &body, tail].concat().join("\n") + "\n"
}

async fn render(script: CompiledScript) -> String {
    let ctx = session();
    let mut out = String::new();
    for output in script.outputs {
        writeln!(out, "== {} ==", output.name).unwrap();
        match execute(&ctx, output.plan).await {
            Ok((schema, batches)) => {
                let types: Vec<String> = schema
                    .fields()
                    .iter()
                    .map(|f| format!("{}: {}", f.name(), f.data_type()))
                    .collect();
                writeln!(out, "schema: {}", types.join(", ")).unwrap();
                out.push_str(&table(&schema, &batches));
                let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
                writeln!(out, "({rows} rows)").unwrap();
            }
            Err(e) => writeln!(out, "execution error: {}", e.strip_backtrace()).unwrap(),
        }
    }
    out
}

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pxl"))
        .collect();
    cases.sort();
    cases
}

#[tokio::test]
async fn golden() {
    let bless = std::env::var("SEER_BLESS").is_ok_and(|v| v == "1");
    let catalog = FixtureCatalog::load();
    let mut failures = Vec::new();
    let (mut outs, mut errs) = (0, 0);
    for case in cases() {
        let source = std::fs::read_to_string(&case).unwrap();
        let entry = entry(&case, &source);
        let (actual, ext, other) = match compile(&source, &catalog, &entry, &CompileOptions::new(NOW_NS)) {
            Ok(script) => (render(script).await, "out", "err"),
            Err(e) => (format!("{e}\n"), "err", "out"),
        };
        if ext == "out" {
            outs += 1
        } else {
            errs += 1
        }
        let expected_path = case.with_extension(ext);
        let stale = case.with_extension(other);
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            if stale.exists() {
                std::fs::remove_file(&stale).unwrap();
            }
            continue;
        }
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{name}: mismatch\n--- expected .{ext}\n{expected}--- actual\n{actual}"
            )),
            Err(_) => failures.push(format!("{name}: no .{ext} expectation; actual:\n{actual}")),
        }
        if stale.exists() {
            failures.push(format!("{name}: stale .{other} file (the case now produces .{ext})"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden failures (SEER_BLESS=1 regenerates):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("golden: {outs} output cases, {errs} error cases");
    if !bless {
        assert!(
            outs >= 30 && errs >= 15,
            "too few golden cases: {outs} .out, {errs} .err"
        );
    }
}
