//! Result tables as JSON: columns with Pixie data and semantic types, rows as arrays of values.
//!
//! Values: integers and floats as numbers (non-finite floats as `null`), booleans, strings, `TIME64NS`
//! as nanoseconds since the epoch (a number), UPIDs as `asid:pid:start_ticks`, anything else as Arrow's
//! display string.

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{
    DataType, Field, Float64Type, Int32Type, Int64Type, TimeUnit, TimestampNanosecondType, UInt32Type, UInt64Type,
};
use arrow::record_batch::RecordBatch;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use seer_types::Upid;
use seer_types::schema::{META_DATA_TYPE, semantic_of};
use serde::Serialize;
use serde_json::Value;

/// A column of a result table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonColumn {
    /// Name.
    pub name: String,
    /// Pixie data type: `INT64`, `FLOAT64`, `STRING`, `BOOLEAN`, `TIME64NS`, `UINT128`.
    pub data_type: String,
    /// Pixie semantic type, e.g. `ST_BYTES` (`ST_NONE` when unknown).
    pub semantic_type: String,
}

/// A result table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonTable {
    /// Output table name (the widget or function output name).
    pub name: String,
    /// Columns.
    pub columns: Vec<JsonColumn>,
    /// Rows, each as many values as columns.
    pub rows: Vec<Vec<Value>>,
}

fn data_type_name(f: &Field) -> String {
    if let Some(t) = f.metadata().get(META_DATA_TYPE) {
        return t.clone();
    }
    match f.data_type() {
        DataType::Boolean => "BOOLEAN",
        DataType::Float16 | DataType::Float32 | DataType::Float64 => "FLOAT64",
        t if t.is_integer() => "INT64",
        DataType::Timestamp(..) => "TIME64NS",
        DataType::FixedSizeBinary(16) => "UINT128",
        _ => "STRING",
    }
    .to_string()
}

/// The column descriptions of `fields`.
pub fn columns(fields: &[&Field]) -> Vec<JsonColumn> {
    fields
        .iter()
        .map(|f| JsonColumn {
            name: f.name().clone(),
            data_type: data_type_name(f),
            semantic_type: semantic_of(f).name().to_string(),
        })
        .collect()
}

fn num(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// One column's values as JSON.
fn values(col: &ArrayRef) -> Vec<Value> {
    let n = col.len();
    let each = |f: &dyn Fn(usize) -> Value| -> Vec<Value> {
        (0..n)
            .map(|i| if col.is_null(i) { Value::Null } else { f(i) })
            .collect()
    };
    match col.data_type() {
        DataType::Int64 => {
            let a = col.as_primitive::<Int64Type>();
            each(&|i| Value::from(a.value(i)))
        }
        DataType::Int32 => {
            let a = col.as_primitive::<Int32Type>();
            each(&|i| Value::from(a.value(i)))
        }
        DataType::UInt64 => {
            let a = col.as_primitive::<UInt64Type>();
            each(&|i| Value::from(a.value(i)))
        }
        DataType::UInt32 => {
            let a = col.as_primitive::<UInt32Type>();
            each(&|i| Value::from(a.value(i)))
        }
        DataType::Float64 => {
            let a = col.as_primitive::<Float64Type>();
            each(&|i| num(a.value(i)))
        }
        DataType::Boolean => {
            let a = col.as_boolean();
            each(&|i| Value::Bool(a.value(i)))
        }
        DataType::Utf8 => {
            let a = col.as_string::<i32>();
            each(&|i| Value::String(a.value(i).to_string()))
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            let a = col.as_primitive::<TimestampNanosecondType>();
            each(&|i| Value::from(a.value(i)))
        }
        DataType::FixedSizeBinary(16) => {
            let a = col.as_fixed_size_binary();
            each(&|i| {
                Upid::from_bytes(a.value(i)).map_or_else(
                    || Value::String(hex::encode(a.value(i))),
                    |u| Value::String(u.to_string()),
                )
            })
        }
        _ => {
            let opts = FormatOptions::default();
            match ArrayFormatter::try_new(col.as_ref(), &opts) {
                Ok(fmt) => each(&|i| Value::String(fmt.value(i).to_string())),
                Err(_) => vec![Value::Null; n],
            }
        }
    }
}

/// Appends `batch`'s rows to `rows`.
pub(crate) fn append_rows(batch: &RecordBatch, rows: &mut Vec<Vec<Value>>) {
    let cols: Vec<Vec<Value>> = batch.columns().iter().map(values).collect();
    let start = rows.len();
    rows.extend((0..batch.num_rows()).map(|_| Vec::with_capacity(cols.len())));
    for col in cols {
        for (r, v) in col.into_iter().enumerate() {
            if let Some(row) = rows.get_mut(start + r) {
                row.push(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{
        BooleanArray, FixedSizeBinaryArray, Float64Array, Int64Array, StringArray, TimestampNanosecondArray,
    };
    use arrow::datatypes::Schema;
    use seer_types::SemanticType;

    use super::*;

    #[test]
    fn converts_every_logical_type() -> Result<(), Box<dyn std::error::Error>> {
        let upid = Upid::new(1, 42, 7);
        let bytes_field = Field::new("rss", DataType::Int64, true).with_metadata(
            [(
                seer_types::schema::META_SEMANTIC_TYPE.to_string(),
                SemanticType::Bytes.name().to_string(),
            )]
            .into(),
        );
        let schema = Arc::new(Schema::new(vec![
            bytes_field,
            Field::new("f", DataType::Float64, true),
            Field::new("b", DataType::Boolean, true),
            Field::new("s", DataType::Utf8, true),
            Field::new("t", DataType::Timestamp(TimeUnit::Nanosecond, None), true),
            Field::new("u", DataType::FixedSizeBinary(16), true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(vec![Some(1), None])),
                Arc::new(Float64Array::from(vec![1.5, f64::NAN])),
                Arc::new(BooleanArray::from(vec![true, false])),
                Arc::new(StringArray::from(vec!["a", "b"])),
                Arc::new(TimestampNanosecondArray::from(vec![10, 20])),
                Arc::new(FixedSizeBinaryArray::try_from_iter(
                    [upid.to_bytes(), upid.to_bytes()].into_iter(),
                )?),
            ],
        )?;
        let fields: Vec<&Field> = schema.fields().iter().map(|f| f.as_ref()).collect();
        let cols = columns(&fields);
        assert_eq!(cols[0].semantic_type, "ST_BYTES");
        assert_eq!(
            cols.iter().map(|c| c.data_type.as_str()).collect::<Vec<_>>(),
            ["INT64", "FLOAT64", "BOOLEAN", "STRING", "TIME64NS", "UINT128"]
        );
        let mut rows = Vec::new();
        append_rows(&batch, &mut rows);
        assert_eq!(
            serde_json::to_string(&rows)?,
            r#"[[1,1.5,true,"a",10,"1:42:7"],[null,null,false,"b",20,"1:42:7"]]"#
        );
        Ok(())
    }
}
