//! Seer's own DataFusion scalar functions behind `px` functions that DataFusion lacks: one generic
//! implementation ([`RowUdf`]) driven by a kernel over Arrow arrays, plus helpers to write kernels.

mod kernels;

use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

pub(crate) use kernels::{
    f64_to_str, i64_to_str, i64x2_to_str, str_i64_to_str, str_to_str, str2_to_bool, str2_to_f64, str2_to_i64,
    str2_to_str,
};

/// A kernel: the argument columns (all of the same length) to the result column.
pub(crate) type Kernel = fn(&[ArrayRef]) -> Result<ArrayRef>;

/// A scalar function with exact argument types, computed by a [`Kernel`]. Names are unique, so the
/// name is the identity.
#[derive(Debug)]
pub(crate) struct RowUdf {
    name: &'static str,
    signature: Signature,
    ret: DataType,
    kernel: Kernel,
}

impl RowUdf {
    /// `name(args...) -> ret`.
    pub fn udf(name: &'static str, args: Vec<DataType>, ret: DataType, kernel: Kernel) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self {
            name,
            signature: Signature::exact(args, Volatility::Immutable),
            ret,
            kernel,
        }))
    }

    /// A function taking any number of `Utf8` arguments.
    pub fn variadic_utf8(name: &'static str, ret: DataType, kernel: Kernel) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self {
            name,
            signature: Signature::variadic(vec![DataType::Utf8], Volatility::Immutable),
            ret,
            kernel,
        }))
    }
}

impl PartialEq for RowUdf {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for RowUdf {}

impl std::hash::Hash for RowUdf {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for RowUdf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.ret.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = args
            .args
            .iter()
            .map(|a| a.to_array(args.number_rows))
            .collect::<Result<Vec<_>>>()?;
        let out = (self.kernel)(&arrays)?;
        if out.len() != args.number_rows {
            return exec_err!("{} returned {} rows for {}", self.name, out.len(), args.number_rows);
        }
        Ok(ColumnarValue::Array(out))
    }
}
