//! Printing result tables as text tables, JSON (`{"<table>": [{col: value}, …]}`) or CSV.

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use arrow::array::{Array, ArrayRef, AsArray, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use seer_types::Upid;

use crate::client::ResultTable;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Table,
    Json,
    Csv,
}

/// UPID columns (16-byte binary) rendered as `asid:pid:start`.
fn readable(batch: &RecordBatch) -> Result<RecordBatch> {
    let schema = batch.schema();
    let mut fields: Vec<Field> = Vec::new();
    let mut cols: Vec<ArrayRef> = Vec::new();
    for (f, c) in schema.fields().iter().zip(batch.columns()) {
        if f.data_type() == &DataType::FixedSizeBinary(16) {
            let b = c.as_fixed_size_binary();
            let s: StringArray = (0..b.len())
                .map(|i| {
                    if b.is_null(i) {
                        None
                    } else {
                        Upid::from_bytes(b.value(i)).map(|u| u.to_string())
                    }
                })
                .collect();
            fields.push(f.as_ref().clone().with_data_type(DataType::Utf8));
            cols.push(Arc::new(s));
        } else {
            fields.push(f.as_ref().clone());
            cols.push(c.clone());
        }
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?)
}

fn readable_all(t: &ResultTable) -> Result<Vec<RecordBatch>> {
    t.batches.iter().map(readable).collect()
}

/// Longest string cell printed in table format; longer ones end in `…` (JSON and CSV keep everything).
const MAX_CELL_CHARS: usize = 72;

fn shorten(batch: &RecordBatch) -> Result<RecordBatch> {
    let cols: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(|c| match c.as_string_opt::<i32>() {
            Some(s) => {
                let short: StringArray = s
                    .iter()
                    .map(|v| {
                        v.map(|v| match v.char_indices().nth(MAX_CELL_CHARS) {
                            Some((cut, _)) => format!("{}…", &v[..cut]),
                            None => v.to_string(),
                        })
                    })
                    .collect();
                Arc::new(short) as ArrayRef
            }
            None => c.clone(),
        })
        .collect();
    Ok(RecordBatch::try_new(batch.schema(), cols)?)
}

/// Sorts a table's rows by `key` (`column`, `column:desc` or `column:asc`); tables without the column
/// are left as they are.
pub(crate) fn sort(t: &mut ResultTable, key: &str) -> Result<()> {
    let (col, descending) = match key.rsplit_once(':') {
        Some((c, "desc")) => (c, true),
        Some((c, "asc")) => (c, false),
        _ => (key, true),
    };
    let Ok(idx) = t.schema.index_of(col) else { return Ok(()) };
    if t.batches.is_empty() {
        return Ok(());
    }
    let all = arrow::compute::concat_batches(&t.schema, &t.batches)?;
    let opts = arrow::compute::SortOptions {
        descending,
        nulls_first: false,
    };
    let order = arrow::compute::sort_to_indices(all.column(idx), Some(opts), None)?;
    t.batches = vec![arrow::compute::take_record_batch(&all, &order)?];
    Ok(())
}

pub(crate) fn print(tables: &[ResultTable], format: Format, out: &mut dyn Write) -> Result<()> {
    match format {
        Format::Table => {
            for t in tables {
                let batches = readable_all(t)?.iter().map(shorten).collect::<Result<Vec<_>>>()?;
                let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
                writeln!(out, "Table: {} ({rows} rows)", t.name)?;
                if batches.is_empty() {
                    let names: Vec<&str> = t.schema.fields().iter().map(|f| f.name().as_str()).collect();
                    writeln!(out, "  (no rows; columns: {})", names.join(", "))?;
                } else {
                    writeln!(out, "{}", arrow::util::pretty::pretty_format_batches(&batches)?)?;
                }
            }
        }
        Format::Json => {
            let mut obj = serde_json::Map::new();
            for t in tables {
                let batches = readable_all(t)?;
                let mut w = arrow::json::ArrayWriter::new(Vec::new());
                for b in &batches {
                    w.write(b)?;
                }
                w.finish()?;
                let raw = w.into_inner();
                let rows: serde_json::Value = if raw.is_empty() {
                    serde_json::Value::Array(vec![])
                } else {
                    serde_json::from_slice(&raw)?
                };
                obj.insert(t.name.clone(), rows);
            }
            serde_json::to_writer(&mut *out, &serde_json::Value::Object(obj))?;
            writeln!(out)?;
        }
        Format::Csv => {
            for (i, t) in tables.iter().enumerate() {
                if tables.len() > 1 {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    writeln!(out, "# {}", t.name)?;
                }
                let mut w = arrow::csv::WriterBuilder::new().with_header(true).build(&mut *out);
                let batches = readable_all(t)?;
                if batches.is_empty() {
                    let names: Vec<&str> = t.schema.fields().iter().map(|f| f.name().as_str()).collect();
                    drop(w);
                    writeln!(out, "{}", names.join(","))?;
                    continue;
                }
                for b in &batches {
                    w.write(b)?;
                }
            }
        }
    }
    Ok(())
}
