//! Functions whose answer does not depend on their arguments on this host: Kubernetes lookups (empty until
//! Seer resolves Kubernetes metadata: "" for names and ids, `false` for predicates, `"[]"` for CIDR
//! lists) and facts about the executing host (`_exec_hostname()`, `_exec_host_num_cpus()`).

use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Int64Array, StringArray};
use arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature, Volatility,
};

/// The constant answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Answer {
    /// A string (e.g. "" for an unknown pod).
    Text(String),
    /// A boolean (e.g. `false` for `has_service_name`).
    Bool(bool),
    /// An integer.
    Int(i64),
}

/// `name(args...) -> answer` for any one or two arguments (or none).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Fixed {
    name: &'static str,
    answer: Answer,
    signature: Signature,
}

impl Fixed {
    /// A function of up to two arguments of any type, always `answer`.
    pub fn udf(name: &'static str, answer: Answer) -> Arc<ScalarUDF> {
        let sig = TypeSignature::OneOf(vec![
            TypeSignature::Nullary,
            TypeSignature::Any(1),
            TypeSignature::Any(2),
        ]);
        Arc::new(ScalarUDF::new_from_impl(Self {
            name,
            answer,
            signature: Signature::new(sig, Volatility::Stable),
        }))
    }

    /// A Kubernetes name or id: "" until Seer reads Kubernetes metadata.
    pub fn unknown(name: &'static str) -> Arc<ScalarUDF> {
        Self::udf(name, Answer::Text(String::new()))
    }
}

impl ScalarUDFImpl for Fixed {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.answer {
            Answer::Text(_) => DataType::Utf8,
            Answer::Bool(_) => DataType::Boolean,
            Answer::Int(_) => DataType::Int64,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let out: ArrayRef = match &self.answer {
            Answer::Text(s) => Arc::new(StringArray::from_iter_values(std::iter::repeat_n(s.as_str(), n))),
            Answer::Bool(b) => Arc::new(BooleanArray::from(vec![*b; n])),
            Answer::Int(i) => Arc::new(Int64Array::from(vec![*i; n])),
        };
        Ok(ColumnarValue::Array(out))
    }
}
