//! Fixtures shared by the integration tests and benches.
pub mod http_fixture;
