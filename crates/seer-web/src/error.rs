//! Errors of the web server and how API errors become HTTP responses.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Why the server could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The OS random generator failed.
    #[error("random generator failed: {0}")]
    Random(String),
    /// Serving failed.
    #[error("web server failed: {0}")]
    Serve(#[source] std::io::Error),
}

/// A compile error's position, for the scratch pad's inline markers.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ErrorPos {
    pub line: u32,
    pub column: u32,
}

/// An API error: an HTTP status and a JSON body `{"error": {...}}`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    /// `unauthenticated`, `forbidden`, `bad_request`, `not_found`, `compile`, `timeout`, `execution`, …
    pub kind: &'static str,
    pub message: String,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub position: Option<ErrorPos>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            kind,
            message: message.into(),
            position: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", "log in first")
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a ApiError,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(Body { error: &self })).into_response()
    }
}
