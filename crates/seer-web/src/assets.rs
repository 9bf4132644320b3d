//! The browser app, embedded from `ui/dist` at build time (see `build.rs`), with an SPA fallback to
//! `index.html` and a help page when the UI was not built.

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use include_dir::{Dir, include_dir};

static DIST: Dir<'static> = include_dir!("$SEER_UI_DIST");

/// Whether `ui/dist` was embedded.
pub(crate) fn built() -> bool {
    DIST.get_file("index.html").is_some()
}

const NOT_BUILT: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Seer — web UI not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>The Seer web UI was not built into this binary</h1>
<p>The API is up, but the browser app's assets were missing when <code>seer</code> was compiled.
Build them and then the binary:</p>
<pre>tools/ui.sh               # npm ci &amp;&amp; npm run build in ui/ (writes ui/dist)
cargo build -p seer-cli   # embeds ui/dist</pre>
<p>or simply run <code>tools/up.sh</code>, which does both.</p>
</body></html>
"#;

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves an embedded file, `index.html` for app routes, or the "not built" page.
pub(crate) async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let Some(index) = DIST.get_file("index.html") else {
        return (StatusCode::OK, Html(NOT_BUILT)).into_response();
    };
    let (file, cache) = match DIST.get_file(path).filter(|_| !path.is_empty()) {
        Some(f) if path.starts_with("assets/") => (f, "public, max-age=31536000, immutable"),
        Some(f) => (f, "no-cache"),
        // Client-side routes (/scripts, /view/px/processes…) get the app; missing assets get 404.
        None if path.starts_with("assets/") || path.contains('.') => {
            return (StatusCode::NOT_FOUND, "not found").into_response();
        }
        None => (index, "no-cache"),
    };
    let mut res = file.contents().to_vec().into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(file.path().to_str().unwrap_or(""))),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(content_type("assets/index-abc.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x"), "application/octet-stream");
    }
}
