//! `SeerService` implementation: runs queries and turns their events into the response stream.

use std::collections::BTreeMap;
use std::time::Instant;

use seer_api::ipc::{encode_batch, encode_schema};
use seer_api::pb::{
    self, ExecuteScriptRequest, ExecuteScriptResponse, ExecuteSqlRequest, FinalStatus, HealthRequest, HealthResponse,
    execute_script_response::Result as Payload, seer_service_server::SeerService,
};
use seer_query::{Entry, FuncCall, QueryEngine, QueryError, QueryEvent, QueryRequest, QueryStats};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

/// gRPC status codes used in [`FinalStatus::code`].
const CODE_INVALID_ARGUMENT: i32 = 3;
const CODE_DEADLINE_EXCEEDED: i32 = 4;
const CODE_CANCELLED: i32 = 1;
const CODE_INTERNAL: i32 = 13;

pub(crate) struct Service {
    pub engine: QueryEngine,
    pub started: Instant,
}

type ResponseStream = ReceiverStream<Result<ExecuteScriptResponse, Status>>;

#[tonic::async_trait]
impl SeerService for Service {
    type ExecuteScriptStream = ResponseStream;
    type ExecuteSqlStream = ResponseStream;

    async fn execute_sql(
        &self,
        request: Request<ExecuteSqlRequest>,
    ) -> Result<Response<Self::ExecuteSqlStream>, Status> {
        let sql = request.into_inner().query;
        let (tx, rx) = mpsc::channel(16);
        let engine = self.engine.clone();
        let (etx, erx) = mpsc::channel(16);
        let exec = tokio::spawn(async move { engine.execute_sql(&sql, etx).await });
        tokio::spawn(forward(exec, erx, "<sql>".to_string(), tx));
        Ok(Response::new(ReceiverStream::new(rx)))
    }

    async fn execute_script(
        &self,
        request: Request<ExecuteScriptRequest>,
    ) -> Result<Response<Self::ExecuteScriptStream>, Status> {
        let req = request.into_inner();
        let entry = if req.exec_funcs.is_empty() {
            Entry::Script
        } else {
            Entry::Functions(
                req.exec_funcs
                    .into_iter()
                    .map(|f| FuncCall {
                        output: if f.output_table.is_empty() {
                            f.func_name.clone()
                        } else {
                            f.output_table
                        },
                        name: f.func_name,
                        args: f.args.into_iter().collect::<BTreeMap<_, _>>(),
                    })
                    .collect(),
            )
        };
        let query = QueryRequest {
            source: req.query_str,
            entry,
        };
        let (tx, rx) = mpsc::channel(16);
        let engine = self.engine.clone();
        let label = if req.script_name.is_empty() {
            "<inline>".to_string()
        } else {
            req.script_name
        };
        tokio::spawn(run(engine, query, label, tx));
        Ok(Response::new(ReceiverStream::new(rx)))
    }

    async fn health(&self, _: Request<HealthRequest>) -> Result<Response<HealthResponse>, Status> {
        Ok(Response::new(HealthResponse {
            status: "SERVING".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            uptime_seconds: self.started.elapsed().as_secs(),
            tables: u32::try_from(self.engine.store().tables().count()).unwrap_or(u32::MAX),
        }))
    }
}

async fn run(
    engine: QueryEngine,
    query: QueryRequest,
    label: String,
    tx: mpsc::Sender<Result<ExecuteScriptResponse, Status>>,
) {
    let (etx, erx) = mpsc::channel(16);
    let exec = tokio::spawn(async move { engine.execute(query, etx).await });
    forward(exec, erx, label, tx).await;
}

/// Streams a running query's events to the client, then its final status.
async fn forward(
    exec: tokio::task::JoinHandle<Result<QueryStats, QueryError>>,
    mut erx: mpsc::Receiver<QueryEvent>,
    label: String,
    tx: mpsc::Sender<Result<ExecuteScriptResponse, Status>>,
) {
    let mut encode_error = None;
    while let Some(ev) = erx.recv().await {
        match encode(ev) {
            Ok(msg) => {
                if tx.send(Ok(msg)).await.is_err() {
                    exec.abort();
                    tracing::info!(script = %label, "client went away; query cancelled");
                    return;
                }
            }
            Err(e) => {
                encode_error = Some(e);
                exec.abort();
                break;
            }
        }
    }
    let outcome = match (encode_error, exec.await) {
        (Some(e), _) => Err(QueryError::Execution(format!("encoding results: {e}"))),
        (None, Ok(r)) => r,
        (None, Err(e)) => Err(QueryError::Execution(format!("query task failed: {e}"))),
    };
    match &outcome {
        Ok(s) => tracing::info!(script = %label, rows = s.rows_returned, scanned = s.rows_scanned, "query done"),
        Err(e) => tracing::info!(script = %label, error = %e, "query failed"),
    }
    let _ = tx
        .send(Ok(ExecuteScriptResponse {
            result: Some(Payload::Status(final_status(outcome))),
        }))
        .await;
}

fn encode(ev: QueryEvent) -> Result<ExecuteScriptResponse, arrow::error::ArrowError> {
    let payload = match ev {
        QueryEvent::Schema { table, schema } => Payload::Schema(pb::TableSchema {
            table_name: table,
            arrow_ipc: encode_schema(&schema)?,
        }),
        QueryEvent::Batch { table, batch } => Payload::Batch(pb::TableBatch {
            table_name: table,
            arrow_ipc: encode_batch(&batch)?,
        }),
    };
    Ok(ExecuteScriptResponse { result: Some(payload) })
}

fn final_status(outcome: Result<QueryStats, QueryError>) -> FinalStatus {
    match outcome {
        Ok(stats) => FinalStatus {
            code: 0,
            message: String::new(),
            errors: vec![],
            warnings: stats
                .warnings
                .iter()
                .map(|w| pb::DataWarning {
                    table_name: w.table.clone(),
                    message: w.message.clone(),
                    rows_evicted: w.rows_evicted,
                    rows_dropped: w.rows_dropped,
                })
                .collect(),
            stats: Some(pb::ExecutionStats {
                rows_scanned: stats.rows_scanned,
                bytes_scanned: stats.bytes_scanned,
                batches_pruned: stats.batches_pruned,
                rows_returned: stats.rows_returned,
                compile_time_ns: u64::try_from(stats.compile_time.as_nanos()).unwrap_or(u64::MAX),
                execution_time_ns: u64::try_from(stats.execution_time.as_nanos()).unwrap_or(u64::MAX),
            }),
        },
        Err(QueryError::Compile(e)) => FinalStatus {
            code: CODE_INVALID_ARGUMENT,
            message: e.to_string(),
            errors: vec![pb::CompilerError {
                line: e.line,
                column: e.column,
                message: e.message.clone(),
            }],
            ..Default::default()
        },
        Err(e) => FinalStatus {
            code: match e {
                QueryError::Timeout(_) => CODE_DEADLINE_EXCEEDED,
                QueryError::Cancelled => CODE_CANCELLED,
                _ => CODE_INTERNAL,
            },
            message: e.to_string(),
            ..Default::default()
        },
    }
}
