//! `seer`: start the agent on this host (`seer up`), run PxL scripts against it (`seer run`), and
//! browse the bundled script library. Thin: argument parsing and wiring; the logic lives in the
//! libraries.

// Printing results to stdout is this binary's job.
#![allow(clippy::print_stdout)]

mod check;
mod client;
mod config;
mod format;
mod introspect;
mod run;
mod scripts;
mod sql;
mod thp;
mod up;

use std::path::PathBuf;
use std::process::ExitCode;

/// The agent's hot path (parsing, row building) allocates many small strings; mimalloc spends less
/// CPU per allocation than glibc's malloc (which took ~20% of the agent's CPU under load).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

/// Zero-instrumentation observability for this host.
#[derive(Debug, Parser)]
#[command(name = "seer", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start collecting on this host and serve queries (foreground; stop with Ctrl-C or SIGTERM).
    Up(up::UpArgs),
    /// Run a PxL script: a file, `-` for stdin, a script directory, or a bundled script name.
    Run(run::RunArgs),
    /// The bundled script library.
    Scripts {
        #[command(subcommand)]
        command: ScriptsCommand,
    },
    /// Run one read-only SQL statement over the same tables (through `seer up`).
    Sql(sql::SqlArgs),
    /// List the tables.
    Tables,
    /// Show a table's columns.
    Schema {
        /// Table name, e.g. http_events.
        table: String,
    },
    /// List the px functions.
    Functions,
    /// Compile and type-check scripts (a .pxl file or every .pxl under a directory) without running them.
    Check {
        /// A .pxl file or a directory.
        path: PathBuf,
    },
    /// Print the version.
    Version,
}

#[derive(Debug, Subcommand)]
enum ScriptsCommand {
    /// List bundled scripts.
    List,
    /// Print a bundled script's PxL (and its vis.json with --vis).
    Show {
        /// Script name, e.g. px/processes.
        name: String,
        /// Print vis.json instead of the PxL.
        #[arg(long)]
        vis: bool,
    },
}

/// Connection options shared by client commands.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ConnectArgs {
    /// Address of `seer up`'s query service.
    #[arg(long, env = "SEER_ADDR", default_value = "http://127.0.0.1:50300")]
    addr: String,
    /// File holding the access token (default: <data-dir>/token; SEER_TOKEN is also read).
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Data directory of `seer up`, where its token file lives.
    #[arg(long, env = "SEER_DATA_DIR")]
    data_dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Up(args) => up::up(args),
        Command::Run(args) => run::run(args),
        Command::Scripts {
            command: ScriptsCommand::List,
        } => scripts::list(),
        Command::Scripts {
            command: ScriptsCommand::Show { name, vis },
        } => scripts::show(&name, vis),
        Command::Sql(args) => sql::sql(args),
        Command::Tables => introspect::tables(),
        Command::Schema { table } => introspect::schema(&table),
        Command::Functions => introspect::functions(),
        Command::Check { path } => check::check(&path),
        Command::Version => {
            println!("seer {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
