//! A scalar function from a UPID column to an `Int64` or `Utf8` value.

use std::sync::Arc;

use arrow::array::{ArrayRef, AsArray, Int64Array, StringBuilder};
use arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use seer_types::Upid;

use crate::distinct::Distinct;

#[derive(Debug, Clone, Copy)]
enum Map {
    Int64(fn(Upid) -> i64),
    Utf8(fn(Upid) -> String),
}

/// `name(upid) -> value`, computed once per distinct UPID of each batch. Function names are unique, so identity is the name.
#[derive(Debug)]
pub struct UpidFn {
    name: &'static str,
    map: Map,
    signature: Signature,
}

impl UpidFn {
    fn new(name: &'static str, map: Map) -> Self {
        Self {
            name,
            map,
            signature: Signature::exact(vec![DataType::FixedSizeBinary(16)], Volatility::Stable),
        }
    }

    /// A function returning `Int64`.
    pub fn int64(name: &'static str, f: fn(Upid) -> i64) -> Self {
        Self::new(name, Map::Int64(f))
    }

    /// A function returning `Utf8`.
    pub fn utf8(name: &'static str, f: fn(Upid) -> String) -> Self {
        Self::new(name, Map::Utf8(f))
    }

    /// As a DataFusion UDF.
    pub fn udf(self) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(self))
    }
}

impl PartialEq for UpidFn {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for UpidFn {}

impl std::hash::Hash for UpidFn {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for UpidFn {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.map {
            Map::Int64(_) => DataType::Int64,
            Map::Utf8(_) => DataType::Utf8,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [arg] = args.args.as_slice() else {
            return exec_err!("{} takes one UPID argument", self.name);
        };
        let array = arg.to_array(args.number_rows)?;
        let Some(upids) = array.as_fixed_size_binary_opt() else {
            return exec_err!("{} expects a UPID column, got {}", self.name, array.data_type());
        };
        // A batch holds few distinct processes: compute the answer once per UPID, then copy it per row.
        let (rows, distinct) = Distinct::of(upids);
        let out: ArrayRef = match self.map {
            Map::Int64(f) => {
                let values: Vec<i64> = distinct.into_iter().map(f).collect();
                Arc::new(
                    rows.iter()
                        .map(|r| r.map(|i| values[i as usize]))
                        .collect::<Int64Array>(),
                )
            }
            Map::Utf8(f) => {
                let values: Vec<String> = distinct.into_iter().map(f).collect();
                let bytes = rows.iter().flatten().map(|&i| values[i as usize].len()).sum();
                let mut b = StringBuilder::with_capacity(rows.len(), bytes);
                for r in &rows {
                    match r {
                        Some(i) => b.append_value(&values[*i as usize]),
                        None => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
        };
        Ok(ColumnarValue::Array(out))
    }
}
