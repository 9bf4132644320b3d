//! The benchmark data as Arrow IPC files, for DuckDB to load: the table in its logical schema (plain
//! strings, as a client sees it) and the UPID → command line map.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use arrow::array::{ArrayRef, FixedSizeBinaryArray, RecordBatch, StringArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::ipc::writer::FileWriter;
use seer_store::Table;

use crate::generate::{PROCS_PER_SERVICE, SERVICES, cmdline, upid};

/// Writes every row of `table` to `path` in the table's logical schema; returns the bytes written.
pub fn write_table(table: &Table, path: &Path) -> Result<u64> {
    let logical = table.def().arrow_schema();
    let mut w = writer(path, &logical)?;
    for batch in table.scan_all() {
        w.write(&to_logical(&batch, &logical)?)?;
    }
    w.finish()?;
    Ok(std::fs::metadata(path)?.len())
}

/// Writes the `processes(upid, cmdline)` table to `path`.
pub fn write_processes(path: &Path) -> Result<()> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("upid", DataType::FixedSizeBinary(16), false),
        Field::new("cmdline", DataType::Utf8, false),
    ]));
    let n = SERVICES * PROCS_PER_SERVICE;
    let upids = FixedSizeBinaryArray::try_from_iter((0..n).map(|i| upid(i).to_bytes()))?;
    let cmds = StringArray::from_iter_values((0..n).map(cmdline));
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(upids), Arc::new(cmds)])?;
    let mut w = writer(path, &schema)?;
    w.write(&batch)?;
    w.finish()?;
    Ok(())
}

fn writer(path: &Path, schema: &SchemaRef) -> Result<FileWriter<BufWriter<File>>> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(FileWriter::try_new(BufWriter::with_capacity(1 << 20, file), schema)?)
}

fn to_logical(batch: &RecordBatch, logical: &SchemaRef) -> Result<RecordBatch> {
    let cols = batch
        .columns()
        .iter()
        .zip(logical.fields())
        .map(|(c, f)| {
            if c.data_type() == f.data_type() {
                Ok(c.clone())
            } else {
                cast(c, f.data_type())
            }
        })
        .collect::<Result<Vec<ArrayRef>, _>>()?;
    Ok(RecordBatch::try_new(logical.clone(), cols)?)
}
