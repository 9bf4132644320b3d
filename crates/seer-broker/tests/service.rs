//! The gRPC service over a real loopback socket: authentication, health, results and compile errors.

use std::sync::Arc;
use std::time::Duration;

use seer_api::pb::execute_script_response::Result as Payload;
use seer_api::pb::seer_service_client::SeerServiceClient;
use seer_api::pb::{ExecuteScriptRequest, HealthRequest};
use seer_broker::Token;
use seer_query::{QueryEngine, QueryLimits};
use seer_store::{Store, StoreConfig};
use tokio::sync::oneshot;
use tonic::transport::Channel;

async fn start() -> (String, Token, oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let store = Arc::new(Store::with_all_tables(&StoreConfig {
        total_budget_bytes: 16 << 20,
        ..Default::default()
    }));
    let engine = QueryEngine::new(store, QueryLimits::default());
    let token = Token::generate().expect("token");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = oneshot::channel::<()>();
    let server_token = token.clone();
    let handle = tokio::spawn(async move {
        seer_broker::serve(listener, engine, server_token, async move {
            let _ = rx.await;
        })
        .await
        .expect("serve");
    });
    (addr, token, tx, handle)
}

async fn client(addr: &str) -> SeerServiceClient<Channel> {
    for _ in 0..50 {
        if let Ok(c) = SeerServiceClient::connect(addr.to_string()).await {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("cannot connect to {addr}");
}

fn with_token<T>(msg: T, token: &str) -> tonic::Request<T> {
    let mut req = tonic::Request::new(msg);
    req.metadata_mut()
        .insert("authorization", format!("Bearer {token}").parse().expect("header"));
    req
}

#[tokio::test]
async fn every_call_needs_the_token() {
    let (addr, token, stop, handle) = start().await;
    let mut c = client(&addr).await;
    let err = c.health(HealthRequest {}).await.expect_err("no token");
    assert_eq!(err.code(), tonic::Code::Unauthenticated);
    let err = c
        .health(with_token(HealthRequest {}, "seer_wrong"))
        .await
        .expect_err("wrong token");
    assert_eq!(err.code(), tonic::Code::Unauthenticated);
    let req = ExecuteScriptRequest {
        query_str: "import px\n".into(),
        ..Default::default()
    };
    let err = c.execute_script(req).await.expect_err("no token");
    assert_eq!(err.code(), tonic::Code::Unauthenticated);

    let health = c
        .health(with_token(HealthRequest {}, token.expose()))
        .await
        .expect("health")
        .into_inner();
    assert_eq!(health.status, "SERVING");
    assert_eq!(health.tables as usize, seer_types::tables::all().len());

    stop.send(()).expect("stop");
    tokio::time::timeout(Duration::from_secs(5), handle)
        .await
        .expect("graceful shutdown")
        .expect("join");
}

#[tokio::test]
async fn streams_schema_then_status_and_reports_compile_errors() {
    let (addr, token, stop, _handle) = start().await;
    let mut c = client(&addr).await;
    let script = "import px\ndf = px.DataFrame(table='http_events', start_time='-5m')\npx.display(df[['req_path', 'latency']], 'http')\n";
    let req = ExecuteScriptRequest {
        query_str: script.into(),
        ..Default::default()
    };
    let mut stream = c
        .execute_script(with_token(req, token.expose()))
        .await
        .expect("execute")
        .into_inner();
    let mut kinds = Vec::new();
    while let Some(msg) = stream.message().await.expect("message") {
        match msg.result.expect("payload") {
            Payload::Schema(s) => {
                assert_eq!(s.table_name, "http");
                let schema = seer_api::ipc::decode_schema(&s.arrow_ipc).expect("schema");
                let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
                assert_eq!(names, ["req_path", "latency"]);
                assert_eq!(
                    schema.field(0).data_type(),
                    &arrow::datatypes::DataType::Utf8,
                    "dictionary decoded"
                );
                kinds.push("schema");
            }
            Payload::Batch(_) => kinds.push("batch"),
            Payload::Status(s) => {
                assert_eq!(s.code, 0, "{}", s.message);
                assert_eq!(s.stats.expect("stats").rows_returned, 0);
                kinds.push("status");
            }
        }
    }
    assert_eq!(
        kinds,
        ["schema", "status"],
        "an empty table still sends its schema, then the status"
    );

    let bad = ExecuteScriptRequest {
        query_str: "import px\n\ndf = px.DataFrame(table='nope')\n".into(),
        ..Default::default()
    };
    let mut stream = c
        .execute_script(with_token(bad, token.expose()))
        .await
        .expect("execute")
        .into_inner();
    let msg = stream.message().await.expect("message").expect("status");
    let Some(Payload::Status(s)) = msg.result else {
        panic!("expected a final status")
    };
    assert_eq!(s.code, 3);
    let e = &s.errors[0];
    assert_eq!((e.line, e.column), (3, 19), "the table= argument: {}", e.message);
    assert!(e.message.contains("nope"), "{}", e.message);
    let _ = stop.send(());
}
