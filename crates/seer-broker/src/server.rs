//! The gRPC server: authentication on every call, graceful shutdown.

use std::future::Future;
use std::time::Instant;

use seer_api::AUTHORIZATION;
use seer_api::pb::seer_service_server::SeerServiceServer;
use seer_query::QueryEngine;
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::service::interceptor::InterceptedService;
use tonic::{Request, Status};

use crate::auth::Token;
use crate::service::Service;

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
#[error("gRPC server failed: {0}")]
pub struct ServeError(#[from] tonic::transport::Error);

/// Serves `SeerService` on `listener` until `shutdown` resolves; every call must present `token`.
pub async fn serve(
    listener: TcpListener,
    engine: QueryEngine,
    token: Token,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), ServeError> {
    let service = Service {
        engine,
        started: Instant::now(),
    };
    let check = move |req: Request<()>| -> Result<Request<()>, Status> {
        let header = req.metadata().get(AUTHORIZATION).and_then(|v| v.to_str().ok());
        if token.check_header(header) {
            Ok(req)
        } else {
            tracing::warn!("refused a call without a valid bearer token");
            Err(Status::unauthenticated("missing or invalid bearer token"))
        }
    };
    tonic::transport::Server::builder()
        .add_service(InterceptedService::new(SeerServiceServer::new(service), check))
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown)
        .await?;
    Ok(())
}
