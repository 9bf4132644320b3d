//! Seer's web UI server: the browser app (`ui/`, built with Vite and embedded at build time) and the
//! JSON/HTTP API it calls, served by `seer up` on its own listener (loopback by default).
//!
//! API (JSON; every call needs a session cookie or `Authorization: Bearer <token>`, except login):
//!
//! | call | what |
//! |---|---|
//! | `POST /api/login` | `{"token": …}` or `{"nonce": …}` (one-time login link) → session cookie |
//! | `POST /api/logout` | ends the session |
//! | `GET /api/session` | 200 when the session is valid |
//! | `GET /api/scripts` | bundled scripts: name, short/long description, has vis |
//! | `GET /api/scripts/{group}/{name}` | PxL, vis.json, manifest and the script's function signatures |
//! | `POST /api/signatures` | function signatures of a PxL source (for the scratch pad's argument form) |
//! | `POST /api/run` | runs a script (name or source; vis.json function mode, one function, or top level) |
//! | `GET /api/tables` | every table's schema, rows held, budget and eviction counters |
//!
//! Browser protections: the session cookie holds a random session id (never the token) and is
//! `HttpOnly; SameSite=Strict; Path=/` (`Secure` on loopback, which browsers treat as a secure context);
//! every POST must carry `X-Seer-Request: 1` and, if it sends `Origin`, a same-host origin; on a loopback
//! listener the `Host` header must name a loopback address or `localhost` (DNS-rebinding guard); login
//! failures are rate-limited; responses carry CSP, `X-Content-Type-Options`, `frame-ancestors 'none'`.

mod api;
mod assets;
mod error;
mod guard;
mod json;
mod run;
mod session;
mod signature;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use seer_broker::Token;
use seer_query::QueryEngine;
use tokio::net::TcpListener;

pub use error::WebError;
pub use json::{JsonColumn, JsonTable};
pub use signature::{FunctionSig, ParamSig, signatures};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "seer_session";
/// Header every state-changing request must carry (CSRF guard; forms and cross-site requests cannot set it).
pub const CSRF_HEADER: &str = "x-seer-request";

/// Knobs of the web server.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Add `Secure` to the session cookie (browsers accept it on loopback `http://` too).
    pub secure_cookie: bool,
    /// Only accept `Host` headers naming a loopback address or `localhost` (for loopback listeners).
    pub loopback_hosts_only: bool,
    /// Session lifetime.
    pub session_ttl: Duration,
    /// Lifetime of a one-time login link.
    pub login_link_ttl: Duration,
    /// Failed logins allowed per minute before `429 Too Many Requests`.
    pub max_login_failures_per_minute: usize,
}

impl WebConfig {
    /// Defaults for a listener on `addr`.
    pub fn for_addr(addr: SocketAddr) -> Self {
        let loopback = addr.ip().is_loopback();
        Self {
            secure_cookie: loopback,
            loopback_hosts_only: loopback,
            session_ttl: Duration::from_secs(12 * 3600),
            login_link_ttl: Duration::from_secs(15 * 60),
            max_login_failures_per_minute: 20,
        }
    }
}

/// Shared state of the handlers.
pub(crate) struct AppState {
    pub engine: QueryEngine,
    pub token: Token,
    pub sessions: session::Sessions,
    pub config: WebConfig,
}

/// The web server: build it, print a login link, serve.
#[derive(Clone)]
pub struct Web {
    state: Arc<AppState>,
}

impl std::fmt::Debug for Web {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Web")
            .field("config", &self.state.config)
            .finish_non_exhaustive()
    }
}

impl Web {
    /// A server over `engine`, accepting `token` at login.
    pub fn new(engine: QueryEngine, token: Token, config: WebConfig) -> Self {
        let sessions = session::Sessions::new(config.session_ttl, config.login_link_ttl);
        Self {
            state: Arc::new(AppState {
                engine,
                token,
                sessions,
                config,
            }),
        }
    }

    /// A fresh single-use login link for `base` (e.g. `http://127.0.0.1:50301`). The nonce travels in
    /// the URL fragment, which browsers never send to the server; the page posts it once and drops it.
    pub fn login_link(&self, base: &str) -> Result<String, WebError> {
        let nonce = self.state.sessions.new_login_nonce()?;
        Ok(format!("{}/#login={nonce}", base.trim_end_matches('/')))
    }

    /// Whether the UI assets were embedded in this build.
    pub fn ui_built() -> bool {
        assets::built()
    }

    /// The HTTP router (API + assets + guards).
    pub fn router(&self) -> Router {
        api::router(self.state.clone())
    }

    /// Serves on `listener` until `shutdown` resolves.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), WebError> {
        axum::serve(listener, self.router())
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(WebError::Serve)
    }
}
