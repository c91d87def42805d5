//! Static assets, embedded in the binary at build time (see `scripts/build-assets.mjs`).

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "assure.css",
        "text/css; charset=utf-8",
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/dist/assure.css")),
    ),
    (
        "govuk-frontend.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/dist/govuk-frontend.min.js")),
    ),
    (
        "init.js",
        "text/javascript; charset=utf-8",
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/dist/init.js")),
    ),
];

pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/{file}", get(asset)).route("/assets/pictures/{file}", get(picture))
}

/// One of the Easy Read pictures shipped with Assure (`config/easy_read/pictures/`), as SVG.
async fn picture(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(p) = file.strip_suffix(".svg").and_then(assure_core::reports::easy_read::picture) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let tag = crate::middleware::entity_tag(p.svg.as_bytes());
    let cache = [(header::ETAG, tag.as_str()), (header::CACHE_CONTROL, "public, max-age=86400")];
    let known = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    if known.is_some_and(|v| crate::middleware::matches_tag(v, &tag)) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (cache, [(header::CONTENT_TYPE, "image/svg+xml")], p.svg).into_response()
}

/// Each asset's ETag, computed once.
fn tags() -> &'static [String] {
    static TAGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TAGS.get_or_init(|| ASSETS.iter().map(|(_, _, bytes)| crate::middleware::entity_tag(bytes)).collect())
}

/// An asset, with its ETag; 304 Not Modified when the browser already holds this version.
async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(at) = ASSETS.iter().position(|(name, _, _)| *name == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (_, mime, bytes) = ASSETS[at];
    let tag = tags()[at].as_str();
    let cache = [(header::ETAG, tag), (header::CACHE_CONTROL, "public, max-age=3600")];
    let known = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    if known.is_some_and(|v| crate::middleware::matches_tag(v, tag)) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    (cache, [(header::CONTENT_TYPE, mime)], bytes).into_response()
}
