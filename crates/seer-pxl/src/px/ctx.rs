//! `df.ctx['<key>']` (metadata of each row's process) and calls of catalogue-provided functions.
//!
//! Keys map to metadata functions of the `upid` column, as Pixie's metadata handler does (host
//! equivalents: node = host name, container = the process's cgroup). Without Kubernetes, pod, service,
//! namespace, deployment and replica-set keys are empty strings.

use std::sync::Arc;

use datafusion::logical_expr::{ScalarUDF, lit};
use ruff_text_size::TextRange;

use crate::api::Catalog;
use crate::args::{Arg, CallArgs};
use crate::column::{ColumnExpr, Operand};
use crate::error::{DResult, Diag, ErrorKind};
use crate::frame::DataFrame;
use crate::value::Value;

/// `ctx` keys answered by a function of `upid`.
const UPID_KEYS: &[(&str, &str)] = &[
    ("cmdline", "upid_to_cmdline"),
    ("cmd", "upid_to_cmdline"),
    ("pid", "upid_to_pid"),
    ("asid", "upid_to_asid"),
    ("hostname", "upid_to_hostname"),
    ("host", "upid_to_hostname"),
    ("node_name", "upid_to_node_name"),
    ("node", "upid_to_node_name"),
    ("container_id", "upid_to_container_id"),
    ("container_name", "upid_to_container_name"),
    ("container", "upid_to_container_name"),
];

/// Kubernetes keys: empty until Seer resolves Kubernetes metadata.
const KUBERNETES_KEYS: &[&str] = &[
    "service_id",
    "service_name",
    "service",
    "pod_id",
    "pod_name",
    "pod",
    "namespace",
    "deployment_id",
    "deployment_name",
    "deployment",
    "replicaset_id",
    "replica_set_id",
    "replicaset_name",
    "replica_set",
    "replicaset",
];

/// `df.ctx[key]`.
pub(crate) fn lookup(catalog: &dyn Catalog, df: &DataFrame, key: &Arg, range: TextRange) -> DResult<Value> {
    let name = key.str("ctx", "key")?;
    if KUBERNETES_KEYS.contains(&name.as_str()) {
        return Ok(Value::Column(ColumnExpr::new(lit(""), df.schema().clone(), range)?));
    }
    let Some((_, func)) = UPID_KEYS.iter().find(|(k, _)| *k == name) else {
        let known: Vec<&str> = UPID_KEYS
            .iter()
            .map(|(k, _)| *k)
            .chain(KUBERNETES_KEYS.iter().copied())
            .collect();
        return Err(Diag::new(
            ErrorKind::Name,
            key.range,
            format!("unknown ctx key '{name}'; known keys: {}", known.join(", ")),
        ));
    };
    let upid = df.column("upid", range).map_err(|_| {
        Diag::new(
            ErrorKind::Column,
            range,
            format!("df.ctx['{name}'] needs a 'upid' column in the DataFrame"),
        )
    })?;
    let udf = catalog
        .udf(func)
        .ok_or_else(|| Diag::unsupported(range, format!("df.ctx['{name}'] is not available: no {func} function")))?;
    ColumnExpr::new(udf.call(vec![upid.expr]), df.schema().clone(), range).map(Value::Column)
}

/// `px.<udf>(args...)`: positional arguments only; at least one must be a column.
pub(crate) fn call_udf(udf: &Arc<ScalarUDF>, args: CallArgs) -> DResult<Value> {
    if let Some((name, arg)) = args.keywords.first() {
        return Err(Diag::new(
            ErrorKind::Argument,
            arg.range,
            format!("px.{}() takes positional arguments only, got '{name}='", udf.name()),
        ));
    }
    let operands = args
        .positional
        .iter()
        .map(|a| Operand::of(&a.value, a.range))
        .collect::<DResult<Vec<_>>>()?;
    let exprs = operands.iter().map(|o| o.expr.clone()).collect();
    let refs: Vec<&Operand> = operands.iter().collect();
    ColumnExpr::from_operands(udf.call(exprs), &refs, args.range).map(Value::Column)
}
