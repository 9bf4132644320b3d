//! The router and the API handlers.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::guard::{self, session_cookie};
use crate::signature::{FunctionSig, signatures};
use crate::{AppState, SESSION_COOKIE, assets, run};

pub(crate) fn router(state: Arc<AppState>) -> Router {
    let protected = Router::new()
        .route("/api/session", get(session))
        .route("/api/scripts", get(list_scripts))
        .route("/api/scripts/{*name}", get(get_script))
        .route("/api/signatures", post(post_signatures))
        .route("/api/run", post(post_run))
        .route("/api/tables", get(tables))
        .route_layer(from_fn_with_state(state.clone(), guard::require_auth));
    Router::new()
        .merge(protected)
        .route("/api/login", post(login))
        .route("/api/logout", post(logout))
        .route(
            "/api/{*rest}",
            any(|| async { ApiError::not_found("no such API call") }),
        )
        .fallback(get(assets::serve))
        .layer(from_fn(guard::csrf))
        .layer(from_fn_with_state(state.clone(), guard::host_check))
        .layer(from_fn(guard::security_headers))
        .layer(from_fn(no_store))
        .with_state(state)
}

/// API responses are never cached.
async fn no_store(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    if api {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginRequest {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
}

fn cookie(state: &AppState, value: &str, max_age: u64) -> Result<HeaderValue, ApiError> {
    let secure = if state.config.secure_cookie { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "bad cookie"))
}

async fn login(State(state): State<Arc<AppState>>, Json(req): Json<LoginRequest>) -> Result<Response, ApiError> {
    let limit = state.config.max_login_failures_per_minute;
    if state.sessions.throttled(limit) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            "too many failed logins; wait a minute",
        ));
    }
    let ok = match (&req.token, &req.nonce) {
        (Some(t), None) => state.token.matches(t.trim()),
        (None, Some(n)) => state.sessions.consume_nonce(n.trim()),
        _ => return Err(ApiError::bad_request("give `token` or `nonce`")),
    };
    if !ok {
        state.sessions.record_failure();
        tracing::warn!("web UI: refused a login with an invalid token or login link");
        let msg = if req.nonce.is_some() {
            "this login link is invalid, used or expired; log in with the token"
        } else {
            "invalid token"
        };
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", msg));
    }
    let id = state
        .sessions
        .create()
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    tracing::info!("web UI: session started");
    let mut res = Json(json!({"ok": true})).into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, cookie(&state, &id, state.sessions.ttl_secs())?);
    Ok(res)
}

async fn logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(id) = session_cookie(&headers) {
        state.sessions.remove(&id);
    }
    let mut res = Json(json!({"ok": true})).into_response();
    res.headers_mut().insert(header::SET_COOKIE, cookie(&state, "", 0)?);
    Ok(res)
}

async fn session() -> Json<Value> {
    Json(json!({"authenticated": true, "version": env!("CARGO_PKG_VERSION")}))
}

#[derive(Serialize)]
struct ScriptSummary {
    name: String,
    short: String,
    long: String,
    has_vis: bool,
}

async fn list_scripts() -> Json<Vec<ScriptSummary>> {
    Json(
        seer_scripts::all()
            .into_iter()
            .map(|s| ScriptSummary {
                name: s.name,
                short: s.manifest.short.trim().to_string(),
                long: s.manifest.long.trim().to_string(),
                has_vis: s.vis.is_some(),
            })
            .collect(),
    )
}

#[derive(Serialize)]
struct ScriptDetail {
    name: String,
    pxl: String,
    /// vis.json as written (the UI parses it).
    vis: Option<String>,
    manifest: seer_scripts::Manifest,
    functions: Vec<FunctionSig>,
}

async fn get_script(Path(name): Path<String>) -> Result<Json<ScriptDetail>, ApiError> {
    let s = seer_scripts::get(&name).ok_or_else(|| ApiError::not_found(format!("no bundled script {name:?}")))?;
    Ok(Json(ScriptDetail {
        functions: signatures(&s.pxl),
        name: s.name,
        pxl: s.pxl,
        vis: s.vis,
        manifest: s.manifest,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignaturesRequest {
    pxl: String,
}

async fn post_signatures(Json(req): Json<SignaturesRequest>) -> Json<Vec<FunctionSig>> {
    Json(signatures(&req.pxl))
}

async fn post_run(State(state): State<Arc<AppState>>, Json(req): Json<run::RunRequest>) -> Result<Response, ApiError> {
    let (label, pxl, entry) = run::plan(req)?;
    let res = run::execute(&state.engine, &label, pxl, entry).await?;
    Ok(Json(res).into_response())
}

#[derive(Serialize)]
struct ColumnInfo {
    name: &'static str,
    data_type: &'static str,
    semantic_type: &'static str,
    desc: &'static str,
}

#[derive(Serialize)]
struct TableInfo {
    name: &'static str,
    desc: &'static str,
    columns: Vec<ColumnInfo>,
    rows_held: u64,
    bytes_held: u64,
    budget_bytes: u64,
    rows_appended: u64,
    rows_evicted: u64,
    rows_refused: u64,
    min_time_ns: Option<i64>,
    max_time_ns: Option<i64>,
}

async fn tables(State(state): State<Arc<AppState>>) -> Json<Vec<TableInfo>> {
    let mut out: Vec<TableInfo> = state
        .engine
        .store()
        .tables()
        .map(|t| {
            let def = t.def();
            let s = t.stats();
            TableInfo {
                name: def.name,
                desc: def.desc,
                columns: def
                    .columns
                    .iter()
                    .map(|c| ColumnInfo {
                        name: c.name,
                        data_type: c.data_type.name(),
                        semantic_type: c.semantic.name(),
                        desc: c.desc,
                    })
                    .collect(),
                rows_held: s.rows_held,
                bytes_held: s.bytes_held,
                budget_bytes: s.budget_bytes,
                rows_appended: s.rows_appended,
                rows_evicted: s.rows_evicted,
                rows_refused: s.rows_refused,
                min_time_ns: s.min_time_ns,
                max_time_ns: s.max_time_ns,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(b.name));
    Json(out)
}
