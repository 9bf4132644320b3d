//! `seer sql '<query>'`: DataFusion SQL over the same tables, through the running `seer up`.

use std::process::ExitCode;

use anyhow::Result;
use seer_api::pb::{ExecuteSqlRequest, FinalStatus};

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

/// A stream error as `code: message`.
fn status_error(s: tonic::Status) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", s.code(), s.message())
}

async fn execute(args: &ConnectArgs, query: String) -> Result<(Vec<ResultTable>, FinalStatus)> {
    let mut client = crate::client::connect(args).await?;
    let stream = client
        .execute_sql(ExecuteSqlRequest { query })
        .await
        .map_err(status_error)?
        .into_inner();
    crate::client::read_tables(stream, status_error).await
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
