//! Seer's query execution: compiles PxL against the store's tables, runs the plans with DataFusion under
//! limits, and streams each output table's schema and batches with execution statistics and data-health
//! warnings (evictions or refused rows in the queried window).
//!
//! The engine never parses PxL itself (that is `seer-pxl`) and never touches store internals beyond
//! its `TableProvider` and counters.

mod catalog;
mod check;
pub mod engine;
mod health;
mod output;
mod sql;

pub use check::{check, host_functions};
pub use engine::{QueryEngine, QueryError, QueryEvent, QueryLimits, QueryRequest, QueryStats};
pub use health::DataWarning;
pub use seer_pxl::{Entry, FuncCall, PxlError};
pub use sql::SQL_OUTPUT;
