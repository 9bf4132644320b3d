//! Client side of the query service: find the token, connect, collect a script's result tables.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use seer_api::pb::execute_script_response::Result as Payload;
use seer_api::pb::seer_service_client::SeerServiceClient;
use seer_api::pb::{ExecuteScriptRequest, ExecuteScriptResponse, FinalStatus};
use seer_broker::Token;
use tonic::Streaming;
use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use crate::ConnectArgs;

/// One output table.
pub(crate) struct ResultTable {
    pub name: String,
    pub schema: SchemaRef,
    pub batches: Vec<RecordBatch>,
}

/// Token from `--token-file`, then `SEER_TOKEN`, then `<data-dir>/token`.
pub(crate) fn token(args: &ConnectArgs) -> Result<Token> {
    if let Some(f) = &args.token_file {
        return Token::read_file(f).context("reading --token-file");
    }
    if let Ok(t) = std::env::var("SEER_TOKEN") {
        return Ok(Token::new(t));
    }
    let dir: PathBuf = args.data_dir.clone().unwrap_or_else(crate::config::default_data_dir);
    let path = dir.join(seer_broker::auth::TOKEN_FILE);
    Token::read_file(&path).with_context(|| {
        format!(
            "no access token: is `seer up` running with data dir {}? (or pass --token-file / SEER_TOKEN)",
            dir.display()
        )
    })
}

/// Sends the bearer token with every call.
#[derive(Clone)]
pub(crate) struct Bearer(MetadataValue<Ascii>);

impl Interceptor for Bearer {
    fn call(&mut self, mut req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        req.metadata_mut().insert(seer_api::AUTHORIZATION, self.0.clone());
        Ok(req)
    }
}

/// A client of the running `seer up`.
pub(crate) type Client = SeerServiceClient<InterceptedService<Channel, Bearer>>;

/// Connects to `args.addr` with the token of [`token`].
pub(crate) async fn connect(args: &ConnectArgs) -> Result<Client> {
    let token = token(args)?;
    let header: MetadataValue<Ascii> = format!("Bearer {}", token.expose())
        .parse()
        .context("token is not valid header text")?;
    let channel = tonic::transport::Endpoint::from_shared(args.addr.clone())
        .context("invalid --addr")?
        .connect()
        .await
        .with_context(|| format!("cannot reach seer at {} (is `seer up` running?)", args.addr))?;
    Ok(SeerServiceClient::with_interceptor(channel, Bearer(header)).max_decoding_message_size(256 << 20))
}

/// Reads a result stream (schemas, then batches, then the final status) into tables; `err` turns
/// a stream error into the error returned.
pub(crate) async fn read_tables(
    mut stream: Streaming<ExecuteScriptResponse>,
    err: fn(tonic::Status) -> anyhow::Error,
) -> Result<(Vec<ResultTable>, FinalStatus)> {
    let mut tables: Vec<ResultTable> = Vec::new();
    while let Some(msg) = stream.message().await.map_err(err)? {
        match msg.result {
            Some(Payload::Schema(s)) => tables.push(ResultTable {
                name: s.table_name,
                schema: seer_api::ipc::decode_schema(&s.arrow_ipc).context("decoding a schema")?,
                batches: vec![],
            }),
            Some(Payload::Batch(b)) => {
                let Some(t) = tables.iter_mut().find(|t| t.name == b.table_name) else {
                    bail!("rows for table {:?} arrived before its schema", b.table_name);
                };
                t.batches
                    .extend(seer_api::ipc::decode_batches(&b.arrow_ipc).context("decoding rows")?);
            }
            Some(Payload::Status(s)) => return Ok((tables, s)),
            None => {}
        }
    }
    bail!("the server closed the stream without a final status")
}

/// Runs `request` and returns every output table and the final status.
pub(crate) async fn execute(
    args: &ConnectArgs,
    request: ExecuteScriptRequest,
) -> Result<(Vec<ResultTable>, FinalStatus)> {
    let mut client = connect(args).await?;
    let stream = client.execute_script(request).await.map_err(status_error)?.into_inner();
    read_tables(stream, status_error).await
}

fn status_error(s: tonic::Status) -> anyhow::Error {
    match s.code() {
        tonic::Code::Unauthenticated => anyhow::anyhow!("authentication failed: {}", s.message()),
        _ => anyhow::anyhow!("{}: {}", s.code(), s.message()),
    }
}
