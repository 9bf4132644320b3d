//! `px.normalize_mysql(query, cmd)`: a MySQL query with literals replaced by `?`, as JSON.

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{Result, exec_err};

use super::sql_norm::{Style, normalize};
use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, int, string};
use crate::udf::RowUdf;

/// `px.normalize_mysql`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "normalize_mysql",
    params: &["query", "cmd"],
    doc: "JSON {query, params, error}: the query with literals replaced by ? (cmd must be 3, COM_QUERY).",
    build,
};

/// MySQL's COM_QUERY command byte.
const COM_QUERY: i64 = 3;

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf(
        "normalize_mysql",
        vec![DataType::Utf8, DataType::Int64],
        DataType::Utf8,
        kernel,
    );
    Ok(call_udf(&udf, vec![string(a, 0)?, int(a, 1)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let (Some(cmds), Some(queries)) = (
        args.get(1).and_then(|a| a.as_primitive_opt::<Int64Type>()),
        args.first().and_then(|a| a.as_string_opt::<i32>()),
    ) else {
        return exec_err!("normalize_mysql expects (Utf8, Int64)");
    };
    let out: datafusion::arrow::array::StringArray = queries
        .iter()
        .zip(cmds.iter())
        .map(|(q, c)| match (q, c) {
            (Some(q), Some(COM_QUERY)) => Some(normalize(q, Style::Question)),
            (Some(_), Some(_)) => {
                Some(serde_json::json!({"query": "", "params": [], "error": "not a COM_QUERY command"}).to_string())
            }
            _ => None,
        })
        .collect();
    Ok(std::sync::Arc::new(out))
}
