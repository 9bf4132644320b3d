//! Request guards: security headers, Host check (DNS rebinding), CSRF header and origin, authentication.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::{AppState, CSRF_HEADER, SESSION_COOKIE};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds CSP, `nosniff`, `frame-ancestors`/`X-Frame-Options` and `Referrer-Policy` to every response.
pub(crate) async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    res
}

/// The host part of a `Host` header value (`[::1]:80` → `::1`, `localhost:8080` → `localhost`).
pub(crate) fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

fn loopback_host(host: &str) -> bool {
    let name = host_name(host);
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// On loopback listeners, refuses requests whose `Host` is not a loopback name (a rebound DNS name).
pub(crate) async fn host_check(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if state.config.loopback_hosts_only {
        let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok());
        if !host.is_some_and(loopback_host) {
            return ApiError::forbidden("Host must be a loopback address or localhost").into_response();
        }
    }
    next.run(req).await
}

/// State-changing requests need the custom header, and a same-host `Origin` when one is sent.
pub(crate) async fn csrf(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && let Err(e) = check_csrf(req.headers())
    {
        return e.into_response();
    }
    next.run(req).await
}

fn check_csrf(h: &HeaderMap) -> Result<(), ApiError> {
    if h.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) != Some("1") {
        return Err(ApiError::forbidden(format!("missing {CSRF_HEADER}: 1 header")));
    }
    if let Some(origin) = h.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .unwrap_or("");
        if origin_host.is_empty() || !origin_host.eq_ignore_ascii_case(host) {
            return Err(ApiError::forbidden("cross-origin request refused"));
        }
    }
    Ok(())
}

/// The session id in the request's cookies, if any.
pub(crate) fn session_cookie(h: &HeaderMap) -> Option<String> {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// Whether the request carries a live session cookie or the bearer token.
pub(crate) fn authenticated(state: &AppState, h: &HeaderMap) -> bool {
    if session_cookie(h).is_some_and(|id| state.sessions.valid(&id)) {
        return true;
    }
    let bearer = h.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    bearer.is_some() && state.token.check_header(bearer)
}

/// Refuses unauthenticated API calls with 401.
pub(crate) async fn require_auth(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if authenticated(&state, req.headers()) {
        next.run(req).await
    } else {
        ApiError::unauthenticated().into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(host_name("[::1]:50301"), "::1");
        assert_eq!(host_name("localhost:1"), "localhost");
        assert_eq!(host_name("127.0.0.1"), "127.0.0.1");
        assert!(loopback_host("127.0.0.1:50301"));
        assert!(loopback_host("[::1]:50301"));
        assert!(loopback_host("LOCALHOST"));
        assert!(!loopback_host("evil.example:50301"));
        assert!(!loopback_host("10.0.0.1:50301"));
    }

    #[test]
    fn csrf_rules() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:50301"));
        assert!(check_csrf(&h).is_err());
        h.insert(CSRF_HEADER, HeaderValue::from_static("1"));
        assert!(check_csrf(&h).is_ok());
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:50301"));
        assert!(check_csrf(&h).is_ok());
        h.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(check_csrf(&h).is_err());
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(check_csrf(&h).is_err());
    }

    #[test]
    fn cookies() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=b; seer_session=abc; c=d"));
        assert_eq!(session_cookie(&h).as_deref(), Some("abc"));
        h.insert(header::COOKIE, HeaderValue::from_static("seer_sessionx=abc"));
        assert_eq!(session_cookie(&h), None);
    }
}
