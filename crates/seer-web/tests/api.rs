//! The web API through its router: authentication (no cookie, wrong token, login, one-time links,
//! logout, bearer), CSRF and Host guards, security headers, and real queries over a store.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use arrow::array::{
    ArrayRef, BooleanArray, FixedSizeBinaryArray, Float64Array, Int64Array, StringArray, TimestampNanosecondArray,
};
use arrow::datatypes::{DataType, TimeUnit};
use arrow::record_batch::RecordBatch;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use seer_broker::Token;
use seer_query::{QueryEngine, QueryLimits};
use seer_store::{Store, StoreConfig};
use seer_types::Upid;
use seer_web::{CSRF_HEADER, SESSION_COOKIE, Web, WebConfig};
use serde_json::{Value, json};
use tower::ServiceExt;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const TOKEN: &str = "seer_testtoken0123456789";
const HOST: &str = "127.0.0.1:50301";

fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// One row of `process_stats` for our own process, in the table's logical schema.
fn process_row(store: &Store) -> Result<(), Box<dyn std::error::Error>> {
    let table = store.table("process_stats").ok_or("process_stats missing")?;
    let schema = table.def().arrow_schema();
    let pid = std::process::id();
    let cols: Vec<ArrayRef> = schema
        .fields()
        .iter()
        .map(|f| -> Result<ArrayRef, Box<dyn std::error::Error>> {
            Ok(match f.data_type() {
                DataType::Int64 => Arc::new(Int64Array::from(vec![4096i64])),
                DataType::Float64 => Arc::new(Float64Array::from(vec![1.0])),
                DataType::Boolean => Arc::new(BooleanArray::from(vec![false])),
                DataType::Utf8 => Arc::new(StringArray::from(vec!["x"])),
                DataType::Timestamp(TimeUnit::Nanosecond, _) => {
                    Arc::new(TimestampNanosecondArray::from(vec![now_ns()]))
                }
                DataType::FixedSizeBinary(16) => Arc::new(FixedSizeBinaryArray::try_from_iter(
                    [Upid::new(0, pid, 1).to_bytes()].into_iter(),
                )?),
                other => return Err(format!("unexpected type {other}").into()),
            })
        })
        .collect::<Result<_, _>>()?;
    table.append(RecordBatch::try_new(schema, cols)?)?;
    Ok(())
}

fn web(config: WebConfig) -> Result<(Web, Router), Box<dyn std::error::Error>> {
    let store = Arc::new(Store::with_all_tables(&StoreConfig {
        total_budget_bytes: 64 << 20,
        ..Default::default()
    }));
    process_row(&store)?;
    let engine = QueryEngine::new(store, QueryLimits::default());
    let web = Web::new(engine, Token::new(TOKEN.into()), config);
    let router = web.router();
    Ok((web, router))
}

fn config() -> WebConfig {
    WebConfig::for_addr(([127, 0, 0, 1], 50301).into())
}

fn get(path: &str, cookie: Option<&str>) -> Result<Request<Body>, axum::http::Error> {
    let mut b = Request::get(path).header(header::HOST, HOST);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, format!("{SESSION_COOKIE}={c}"));
    }
    b.body(Body::empty())
}

fn post(path: &str, body: &Value, cookie: Option<&str>) -> Result<Request<Body>, axum::http::Error> {
    let mut b = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/json")
        .header(CSRF_HEADER, "1");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, format!("{SESSION_COOKIE}={c}"));
    }
    b.body(Body::from(body.to_string()))
}

async fn send(router: &Router, req: Request<Body>) -> Result<(StatusCode, Response<Body>), Box<dyn std::error::Error>> {
    let res = router.clone().oneshot(req).await?;
    Ok((res.status(), res))
}

async fn json_of(res: Response<Body>) -> Result<Value, Box<dyn std::error::Error>> {
    let bytes = res.into_body().collect().await?.to_bytes();
    Ok(serde_json::from_slice(&bytes)?)
}

/// The session id from a login response's Set-Cookie, checking its attributes.
fn session_from(res: &Response<Body>) -> Result<String, Box<dyn std::error::Error>> {
    let c = res.headers().get(header::SET_COOKIE).ok_or("no Set-Cookie")?.to_str()?;
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/", "Secure"] {
        assert!(c.contains(attr), "cookie lacks {attr}: {c}");
    }
    assert!(!c.contains(TOKEN), "the cookie must not hold the token");
    let v = c
        .strip_prefix(&format!("{SESSION_COOKIE}="))
        .and_then(|r| r.split(';').next())
        .ok_or("malformed cookie")?;
    assert_eq!(v.len(), 64);
    Ok(v.to_string())
}

async fn login(router: &Router) -> Result<String, Box<dyn std::error::Error>> {
    let (status, res) = send(router, post("/api/login", &json!({"token": TOKEN}), None)?).await?;
    assert_eq!(status, StatusCode::OK);
    session_from(&res)
}

#[tokio::test]
async fn sec_auth_no_cookie_and_wrong_token_are_refused() -> TestResult {
    let (_, r) = web(config())?;
    for path in [
        "/api/scripts",
        "/api/tables",
        "/api/session",
        "/api/scripts/px/processes",
    ] {
        let (status, res) = send(&r, get(path, None)?).await?;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(json_of(res).await?["error"]["kind"], "unauthenticated");
    }
    let (status, _) = send(&r, get("/api/scripts", Some(&"0".repeat(64)))?).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "made-up session id");
    let (status, _) = send(&r, post("/api/run", &json!({"script": "px/processes"}), None)?).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, res) = send(&r, post("/api/login", &json!({"token": "seer_wrong"}), None)?).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    let (status, _) = send(
        &r,
        post("/api/login", &json!({"token": &TOKEN[..TOKEN.len() - 1]}), None)?,
    )
    .await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "prefix of the token");
    Ok(())
}

#[tokio::test]
async fn login_gives_a_cookie_that_reaches_data() -> TestResult {
    let (_, r) = web(config())?;
    let sid = login(&r).await?;
    let (status, res) = send(&r, get("/api/scripts", Some(&sid))?).await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        res.headers().get(header::CACHE_CONTROL).map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    let scripts = json_of(res).await?;
    let names: Vec<&str> = scripts
        .as_array()
        .ok_or("array")?
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(names.contains(&"px/processes"), "{names:?}");

    let (status, res) = send(&r, get("/api/scripts/px/processes", Some(&sid))?).await?;
    assert_eq!(status, StatusCode::OK);
    let detail = json_of(res).await?;
    assert!(detail["vis"].as_str().is_some_and(|v| v.contains("widgets")));
    assert_eq!(detail["functions"][0]["name"], "processes");
    assert_eq!(detail["functions"][0]["params"][0]["name"], "start_time");

    let (status, res) = send(
        &r,
        post(
            "/api/run",
            &json!({"script": "px/processes", "start_time": "-5m"}),
            Some(&sid),
        )?,
    )
    .await?;
    assert_eq!(status, StatusCode::OK);
    let out = json_of(res).await?;
    let t = &out["tables"][0];
    assert_eq!(t["name"], "Processes");
    let cols: Vec<&str> = t["columns"]
        .as_array()
        .ok_or("columns")?
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert!(cols.contains(&"pid") && cols.contains(&"cmd"), "{cols:?}");
    let pid_at = cols.iter().position(|c| *c == "pid").ok_or("pid")?;
    let rows = t["rows"].as_array().ok_or("rows")?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][pid_at], json!(std::process::id()));
    assert!(out["stats"]["rows_scanned"].as_u64().is_some_and(|n| n >= 1));
    assert!(out["warnings"].as_array().is_some());

    let (status, res) = send(&r, get("/api/tables", Some(&sid))?).await?;
    assert_eq!(status, StatusCode::OK);
    let tables = json_of(res).await?;
    let ps = tables
        .as_array()
        .ok_or("array")?
        .iter()
        .find(|t| t["name"] == "process_stats")
        .ok_or("process_stats listed")?;
    assert_eq!(ps["rows_held"], 1);
    assert!(
        ps["columns"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["name"] == "upid" && c["semantic_type"] == "ST_UPID"))
    );
    Ok(())
}

#[tokio::test]
async fn compile_errors_carry_line_and_column() -> TestResult {
    let (_, r) = web(config())?;
    let sid = login(&r).await?;
    let (status, res) = send(
        &r,
        post(
            "/api/run",
            &json!({"pxl": "import px\n\ndf = px.DataFrame('nope')\n"}),
            Some(&sid),
        )?,
    )
    .await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = json_of(res).await?;
    assert_eq!(e["error"]["kind"], "compile");
    assert_eq!(
        (e["error"]["line"].as_u64(), e["error"]["column"].as_u64()),
        (Some(3), Some(19))
    );
    let (status, _) = send(&r, post("/api/run", &json!({"pxl": "x = (\n"}), Some(&sid))?).await?;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, res) = send(
        &r,
        post(
            "/api/run",
            &json!({"script": "px/processes", "args": {"nope": "1"}}),
            Some(&sid),
        )?,
    )
    .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json_of(res).await?["error"]["kind"], "vis");
    let (status, res) = send(
        &r,
        post(
            "/api/signatures",
            &json!({"pxl": "def f(a: int, b='x'):\n    return 1\n"}),
            Some(&sid),
        )?,
    )
    .await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json_of(res).await?[0]["params"][1]["default"], "'x'");
    Ok(())
}

#[tokio::test]
async fn one_time_login_link_works_once() -> TestResult {
    let (web, r) = web(config())?;
    let link = web.login_link("http://127.0.0.1:50301/")?;
    let nonce = link
        .strip_prefix("http://127.0.0.1:50301/#login=")
        .ok_or("link shape")?;
    assert!(!link.contains(TOKEN));
    let (status, res) = send(&r, post("/api/login", &json!({"nonce": nonce}), None)?).await?;
    assert_eq!(status, StatusCode::OK);
    let sid = session_from(&res)?;
    let (status, _) = send(&r, get("/api/session", Some(&sid))?).await?;
    assert_eq!(status, StatusCode::OK);
    let (status, res) = send(&r, post("/api/login", &json!({"nonce": nonce}), None)?).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "second use");
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    let (status, _) = send(&r, post("/api/login", &json!({"nonce": "ab".repeat(32)}), None)?).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "unknown nonce");
    Ok(())
}

#[tokio::test]
async fn expired_login_link_is_refused() -> TestResult {
    let (web, r) = web(WebConfig {
        login_link_ttl: Duration::ZERO,
        ..config()
    })?;
    let link = web.login_link("http://127.0.0.1:50301")?;
    let nonce = link.rsplit('=').next().ok_or("nonce")?;
    let (status, _) = send(&r, post("/api/login", &json!({"nonce": nonce}), None)?).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    Ok(())
}

#[tokio::test]
async fn logout_ends_the_session() -> TestResult {
    let (_, r) = web(config())?;
    let sid = login(&r).await?;
    let (status, res) = send(&r, post("/api/logout", &json!({}), Some(&sid))?).await?;
    assert_eq!(status, StatusCode::OK);
    let cleared = res
        .headers()
        .get(header::SET_COOKIE)
        .ok_or("cookie cleared")?
        .to_str()?;
    assert!(cleared.contains("Max-Age=0"));
    let (status, _) = send(&r, get("/api/scripts", Some(&sid))?).await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    Ok(())
}

#[tokio::test]
async fn sec_csrf_header_origin_and_host_are_enforced() -> TestResult {
    let (_, r) = web(config())?;
    let no_header = Request::post("/api/login")
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"token": TOKEN}).to_string()))?;
    let (status, _) = send(&r, no_header).await?;
    assert_eq!(status, StatusCode::FORBIDDEN, "POST without the CSRF header");
    let mut cross = post("/api/login", &json!({"token": TOKEN}), None)?;
    cross
        .headers_mut()
        .insert(header::ORIGIN, "http://evil.example".parse()?);
    let (status, _) = send(&r, cross).await?;
    assert_eq!(status, StatusCode::FORBIDDEN, "cross-origin POST");
    let mut same = post("/api/login", &json!({"token": TOKEN}), None)?;
    same.headers_mut()
        .insert(header::ORIGIN, format!("http://{HOST}").parse()?);
    assert_eq!(send(&r, same).await?.0, StatusCode::OK);
    let rebound = Request::get("/api/session")
        .header(header::HOST, "evil.example:50301")
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())?;
    assert_eq!(send(&r, rebound).await?.0, StatusCode::FORBIDDEN, "DNS-rebound Host");
    Ok(())
}

#[tokio::test]
async fn bearer_token_works_for_api_clients() -> TestResult {
    let (_, r) = web(config())?;
    let ok = Request::get("/api/tables")
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())?;
    assert_eq!(send(&r, ok).await?.0, StatusCode::OK);
    let bad = Request::get("/api/tables")
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, "Bearer seer_nope")
        .body(Body::empty())?;
    assert_eq!(send(&r, bad).await?.0, StatusCode::UNAUTHORIZED);
    Ok(())
}

#[tokio::test]
async fn sec_auth_06_failed_logins_are_throttled() -> TestResult {
    let (_, r) = web(WebConfig {
        max_login_failures_per_minute: 3,
        ..config()
    })?;
    for _ in 0..3 {
        let (status, _) = send(&r, post("/api/login", &json!({"token": "seer_guess"}), None)?).await?;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = send(&r, post("/api/login", &json!({"token": TOKEN}), None)?).await?;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    Ok(())
}

#[tokio::test]
async fn sec_priv_04_pages_carry_security_headers() -> TestResult {
    let (_, r) = web(config())?;
    for path in ["/", "/view/px/processes", "/api/scripts"] {
        let (status, res) = send(&r, get(path, None)?).await?;
        assert!(
            status == StatusCode::OK || status == StatusCode::UNAUTHORIZED,
            "{path}: {status}"
        );
        let h = res.headers();
        let csp = h.get(header::CONTENT_SECURITY_POLICY).ok_or("CSP")?.to_str()?;
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
        assert_eq!(
            h.get(header::X_CONTENT_TYPE_OPTIONS).map(|v| v.as_bytes()),
            Some(&b"nosniff"[..])
        );
    }
    let (status, res) = send(&r, get("/", None)?).await?;
    assert_eq!(status, StatusCode::OK);
    let bytes = res.into_body().collect().await?.to_bytes();
    let html = String::from_utf8_lossy(&bytes);
    if Web::ui_built() {
        assert!(html.contains("<div id=\"root\">"), "the app's index.html");
    } else {
        assert!(html.contains("tools/ui.sh"), "the page says how to build the UI");
    }
    let (status, _) = send(&r, get("/assets/missing.js", None)?).await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}
