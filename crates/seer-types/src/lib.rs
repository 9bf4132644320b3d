//! Seer's data model: the table schemas every other crate agrees on.
//!
//! Table and column names, data types and semantic types follow Pixie's Stirling tables so that PxL
//! scripts written for Pixie select the same names on Seer. This crate does no I/O.
//!
//! - [`schema`]: [`DataType`], [`SemanticType`], [`ColumnDef`], [`TableDef`] and their Arrow mapping.
//! - [`tables`]: the catalogue of every table ([`tables::all`], [`tables::get`]).
//! - [`upid`]: the 128-bit unique process id ([`Upid`]).
//! - [`sink`]: [`RecordSink`], the one interface producers use to hand rows to storage.

pub mod schema;
pub mod sink;
pub mod tables;
pub mod upid;

pub use schema::{ColumnDef, DataType, PatternType, SemanticType, TableDef};
pub use sink::{RecordSink, SinkError};
pub use upid::{Upid, UpidParseError};
