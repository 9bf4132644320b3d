//! Seer's gRPC API: generated protobuf/tonic types for `seer.api.v1`, plus Arrow IPC encoding helpers
//! used on both ends of a result stream.

#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod pb {
    //! Generated from `proto/seer.proto`.
    tonic::include_proto!("seer.api.v1");
}

pub mod ipc;

/// Metadata key carrying the bearer token.
pub const AUTHORIZATION: &str = "authorization";
