//! `px.normalize_pgsql(query, cmd)`: a PostgreSQL query with literals replaced by `$n`, as JSON.

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use super::sql_norm::{Style, normalize};
use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, string};
use crate::udf::{RowUdf, str2_to_str};

/// `px.normalize_pgsql`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "normalize_pgsql",
    params: &["query", "cmd"],
    doc: "JSON {query, params, error}: the query with literals replaced by $n placeholders.",
    build,
};

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf(
        "normalize_pgsql",
        vec![DataType::Utf8, DataType::Utf8],
        DataType::Utf8,
        kernel,
    );
    Ok(call_udf(&udf, vec![string(a, 0)?, string(a, 1)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    str2_to_str(args, |q, _cmd| Some(normalize(q, Style::Dollar)))
}
