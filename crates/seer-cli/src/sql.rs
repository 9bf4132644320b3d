//! `seer sql '<query>'`: DataFusion SQL over the same tables, through the running `seer up`.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use seer_api::pb::execute_script_response::Result as Payload;
use seer_api::pb::seer_service_client::SeerServiceClient;
use seer_api::pb::{ExecuteSqlRequest, FinalStatus};
use tonic::metadata::MetadataValue;

use crate::ConnectArgs;
use crate::client::ResultTable;
use crate::format::{self, Format};

/// Flags of `seer sql`.
#[derive(Debug, clap::Args)]
pub(crate) struct SqlArgs {
    /// One SQL statement, e.g. `SELECT req_path, count(*) FROM http_events GROUP BY req_path`.
    query: String,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    output: Format,
    #[command(flatten)]
    connect: ConnectArgs,
}

async fn execute(args: &ConnectArgs, query: String) -> Result<(Vec<ResultTable>, FinalStatus)> {
    let token = crate::client::token(args)?;
    let header: MetadataValue<_> = format!("Bearer {}", token.expose())
        .parse()
        .context("token is not valid header text")?;
    let channel = tonic::transport::Endpoint::from_shared(args.addr.clone())
        .context("invalid --addr")?
        .connect()
        .await
        .with_context(|| format!("cannot reach seer at {} (is `seer up` running?)", args.addr))?;
    let mut client = SeerServiceClient::with_interceptor(channel, move |mut req: tonic::Request<()>| {
        req.metadata_mut().insert(seer_api::AUTHORIZATION, header.clone());
        Ok(req)
    })
    .max_decoding_message_size(256 << 20);
    let mut stream = client
        .execute_sql(ExecuteSqlRequest { query })
        .await
        .map_err(|s| anyhow::anyhow!("{}: {}", s.code(), s.message()))?
        .into_inner();
    let mut tables: Vec<ResultTable> = Vec::new();
    while let Some(msg) = stream
        .message()
        .await
        .map_err(|s| anyhow::anyhow!("{}: {}", s.code(), s.message()))?
    {
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

/// `seer sql`.
pub(crate) fn sql(a: SqlArgs) -> Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (tables, status) = rt.block_on(execute(&a.connect, a.query))?;
    if status.code != 0 {
        eprintln!("error: {}", status.message);
        return Ok(ExitCode::from(2));
    }
    let mut out = std::io::stdout().lock();
    format::print(&tables, a.output, &mut out)?;
    Ok(ExitCode::SUCCESS)
}
