//! Seer's query service: the authenticated gRPC `SeerService` (`ExecuteScript`, `Health`) over a node's
//! store, and the bearer-token file that guards it.
//!
//! Every call must carry `authorization: Bearer <token>`; the token is generated on first start into a
//! `0600` file in the data directory and compared in constant time. The token is held as a
//! [`secrecy::SecretString`] and never logged.

pub mod auth;
pub mod server;
mod service;

pub use auth::{AuthError, Token};
pub use server::{ServeError, serve};
