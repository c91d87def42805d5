//! Static assets, embedded in the binary at build time (see `scripts/build-assets.mjs`).

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
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
    Router::new().route("/assets/{file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, bytes)) => {
            ([(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, "public, max-age=3600")], *bytes).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
