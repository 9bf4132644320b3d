//! `POST /api/run`: resolve the script, choose the entry (vis.json function mode, one function, or the
//! top level), execute it on the engine and gather the tables as JSON.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use seer_pxl::vis::VisSpec;
use seer_query::{Entry, FuncCall, QueryEngine, QueryError, QueryEvent, QueryRequest};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::error::{ApiError, ErrorPos};
use crate::json::{self, JsonTable};

/// Variable (and parameter) the time-range picker sets.
pub(crate) const START_TIME: &str = "start_time";

/// What to run.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RunRequest {
    /// A bundled script's name (`px/processes`); or give `pxl` (and optionally `vis`).
    #[serde(default)]
    pub script: Option<String>,
    /// PxL source.
    #[serde(default)]
    pub pxl: Option<String>,
    /// vis.json text for `pxl` (function mode over its widgets).
    #[serde(default)]
    pub vis: Option<String>,
    /// Variable values (vis.json) or arguments of `func`.
    #[serde(default)]
    pub args: BTreeMap<String, String>,
    /// Call only this function of the script, with `args`.
    #[serde(default)]
    pub func: Option<String>,
    /// The time range's start (`-5m`…): fills a `start_time` variable or parameter not given in `args`.
    #[serde(default)]
    pub start_time: Option<String>,
}

/// A data-health warning with its counts.
#[derive(Debug, Serialize)]
pub(crate) struct Warning {
    table: String,
    message: String,
    rows_evicted: u64,
    rows_dropped: u64,
}

/// Execution statistics.
#[derive(Debug, Serialize)]
pub(crate) struct Stats {
    rows_scanned: u64,
    bytes_scanned: u64,
    batches_pruned: u64,
    rows_returned: u64,
    compile_ms: f64,
    exec_ms: f64,
}

/// The result of a run.
#[derive(Debug, Serialize)]
pub(crate) struct RunResponse {
    tables: Vec<JsonTable>,
    warnings: Vec<Warning>,
    stats: Stats,
}

fn vis_err(e: seer_pxl::vis::VisError) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "vis", e.0)
}

/// The source and entry point for `req`.
pub(crate) fn plan(req: RunRequest) -> Result<(String, String, Entry), ApiError> {
    let (label, pxl, vis) = match (req.script, req.pxl) {
        (Some(name), None) => {
            if req.vis.is_some() {
                return Err(ApiError::bad_request("give `vis` only with `pxl`"));
            }
            let s =
                seer_scripts::get(&name).ok_or_else(|| ApiError::not_found(format!("no bundled script {name:?}")))?;
            (s.name, s.pxl, s.vis)
        }
        (None, Some(pxl)) => ("<scratch>".to_string(), pxl, req.vis.filter(|v| !v.trim().is_empty())),
        _ => return Err(ApiError::bad_request("give exactly one of `script` and `pxl`")),
    };
    let mut args = req.args;
    let entry = match (req.func, vis) {
        (Some(func), _) => {
            let takes_start = crate::signature::signatures(&pxl)
                .iter()
                .any(|f| f.name == func && f.params.iter().any(|p| p.name == START_TIME));
            if let Some(st) = req.start_time.filter(|_| takes_start) {
                args.entry(START_TIME.to_string()).or_insert(st);
            }
            Entry::Functions(vec![FuncCall {
                name: func.clone(),
                args,
                output: func,
            }])
        }
        (None, Some(vis)) => {
            let spec = VisSpec::parse(&vis).map_err(vis_err)?;
            if let Some(st) = req
                .start_time
                .filter(|_| spec.variables.iter().any(|v| v.name == START_TIME))
            {
                args.entry(START_TIME.to_string()).or_insert(st);
            }
            Entry::Functions(spec.func_calls(&args).map_err(vis_err)?)
        }
        (None, None) if !args.is_empty() => {
            return Err(ApiError::bad_request(
                "arguments need function mode: give `func`, or a script with a vis.json",
            ));
        }
        (None, None) => Entry::Script,
    };
    Ok((label, pxl, entry))
}

fn query_error(e: QueryError) -> ApiError {
    match e {
        QueryError::Compile(c) => ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            kind: "compile",
            message: c.message.clone(),
            position: Some(ErrorPos {
                line: c.line,
                column: c.column,
            }),
        },
        QueryError::Timeout(_) => ApiError::new(StatusCode::GATEWAY_TIMEOUT, "timeout", e.to_string()),
        other => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "execution", other.to_string()),
    }
}

/// Runs `source` with `entry` and gathers every output table.
pub(crate) async fn execute(
    engine: &QueryEngine,
    label: &str,
    source: String,
    entry: Entry,
) -> Result<RunResponse, ApiError> {
    let (tx, mut rx) = mpsc::channel(16);
    let run = engine.execute(QueryRequest { source, entry }, tx);
    let collect = async {
        let mut tables: Vec<JsonTable> = Vec::new();
        while let Some(ev) = rx.recv().await {
            match ev {
                QueryEvent::Schema { table, schema } => {
                    let fields: Vec<&arrow::datatypes::Field> = schema.fields().iter().map(|f| f.as_ref()).collect();
                    tables.push(JsonTable {
                        name: table,
                        columns: json::columns(&fields),
                        rows: Vec::new(),
                    });
                }
                QueryEvent::Batch { table, batch } => {
                    if let Some(t) = tables.iter_mut().rev().find(|t| t.name == table) {
                        json::append_rows(&batch, &mut t.rows);
                    }
                }
            }
        }
        tables
    };
    let (outcome, tables) = tokio::join!(run, collect);
    let stats = outcome.map_err(|e| {
        tracing::info!(script = %label, error = %e, "web query failed");
        query_error(e)
    })?;
    tracing::debug!(script = %label, rows = stats.rows_returned, "web query done");
    Ok(RunResponse {
        tables,
        warnings: stats
            .warnings
            .iter()
            .map(|w| Warning {
                table: w.table.clone(),
                message: w.message.clone(),
                rows_evicted: w.rows_evicted,
                rows_dropped: w.rows_dropped,
            })
            .collect(),
        stats: Stats {
            rows_scanned: stats.rows_scanned,
            bytes_scanned: stats.bytes_scanned,
            batches_pruned: stats.batches_pruned,
            rows_returned: stats.rows_returned,
            compile_ms: stats.compile_time.as_secs_f64() * 1e3,
            exec_ms: stats.execution_time.as_secs_f64() * 1e3,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(e: &Entry) -> Vec<FuncCall> {
        match e {
            Entry::Functions(c) => c.clone(),
            Entry::Script => vec![],
        }
    }

    #[test]
    fn bundled_script_uses_its_vis_and_the_time_range() -> Result<(), ApiError> {
        let (label, pxl, entry) = plan(RunRequest {
            script: Some("px/processes".into()),
            start_time: Some("-5m".into()),
            ..Default::default()
        })?;
        assert_eq!(label, "px/processes");
        assert!(pxl.contains("def processes"));
        let c = calls(&entry);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].args.get(START_TIME).map(String::as_str), Some("-5m"));
        Ok(())
    }

    #[test]
    fn explicit_args_beat_the_time_range_and_func_mode_works() -> Result<(), ApiError> {
        let (_, _, entry) = plan(RunRequest {
            pxl: Some("import px\ndef f(start_time: str, n: int):\n    return px.DataFrame('process_stats')\n".into()),
            func: Some("f".into()),
            args: [
                ("n".to_string(), "3".to_string()),
                (START_TIME.to_string(), "-1h".to_string()),
            ]
            .into(),
            start_time: Some("-5m".into()),
            ..Default::default()
        })?;
        let c = calls(&entry);
        assert_eq!(c[0].args.get(START_TIME).map(String::as_str), Some("-1h"));
        assert_eq!(c[0].output, "f");
        Ok(())
    }

    #[test]
    fn bad_requests() {
        let r = plan(RunRequest::default());
        assert!(r.is_err_and(|e| e.kind == "bad_request"));
        let r = plan(RunRequest {
            script: Some("px/none".into()),
            ..Default::default()
        });
        assert!(r.is_err_and(|e| e.kind == "not_found"));
        let r = plan(RunRequest {
            pxl: Some("import px\n".into()),
            args: [("a".to_string(), "1".to_string())].into(),
            ..Default::default()
        });
        assert!(r.is_err_and(|e| e.kind == "bad_request"));
        let r = plan(RunRequest {
            pxl: Some("import px\n".into()),
            vis: Some("{".into()),
            ..Default::default()
        });
        assert!(r.is_err_and(|e| e.kind == "vis"));
    }
}
