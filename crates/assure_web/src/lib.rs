//! Assure's HTTP edge: server-rendered pages on GOV.UK Frontend, the `/api/v1` JSON API,
//! sessions and CSRF, security headers, and the one place that turns errors into responses.
//!
//! Handlers are organised by resource (`handlers/organisations.rs`), each page a typed
//! template next to its handler. Handlers hold no SQL and no rules: they parse the request,
//! call one `assure_core` use-case and render.

mod api;
mod assets;
mod charts;
mod error;
mod extract;
mod handlers;
mod layout;
mod middleware;

use std::net::SocketAddr;
use std::sync::Arc;

use assure_core::Core;
use axum::Router;

pub use api::openapi;
pub use middleware::Metrics;

/// What the web edge needs from the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (and use the `__Host-` prefix). Only plain-HTTP local use turns this off.
    pub secure_cookies: bool,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig { secure_cookies: true, max_body_bytes: 1024 * 1024, trust_proxy: false }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub core: Core,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<Metrics>,
    /// Turns for reading uploads into memory: see [`extract::UPLOADS_AT_ONCE`].
    uploads: Arc<tokio::sync::Semaphore>,
    /// The dashboards' tiles as last rendered: see [`handlers::intelligence::dashboard::KeptTiles`].
    tiles: Arc<handlers::intelligence::dashboard::KeptTiles>,
}

impl AppState {
    pub fn new(core: Core, config: WebConfig) -> AppState {
        AppState {
            core,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
            uploads: Arc::new(tokio::sync::Semaphore::new(extract::UPLOADS_AT_ONCE)),
            tiles: Default::default(),
        }
    }

    fn session_cookie(&self) -> &'static str {
        if self.config.secure_cookies { "__Host-assure_session" } else { "assure_session" }
    }

    fn sign_in_cookie(&self) -> &'static str {
        if self.config.secure_cookies { "__Host-assure_sign_in" } else { "assure_sign_in" }
    }

    /// The double-submit token of a respondent link's forms.
    fn respond_cookie(&self) -> &'static str {
        if self.config.secure_cookies { "__Host-assure_respond" } else { "assure_respond" }
    }
}

/// The whole application: pages, API, assets and operations endpoints, with their middleware.
pub fn router(state: AppState) -> Router {
    let pages = handlers::routes();
    let api = api::routes();
    // Every route's body is capped at the largest ordinary upload, except the record-level
    // extract upload, which streams to disk and has its own cap.
    // The API's answers carry an ETag and answer 304 when the caller already has them.
    let api = api.layer(axum::middleware::from_fn(middleware::etag));
    let limited =
        Router::new().merge(pages).nest("/api/v1", api).merge(assets::routes()).merge(handlers::ops::routes()).layer(
            tower_http::limit::RequestBodyLimitLayer::new(state.config.max_body_bytes.max(extract::UPLOAD_BYTES)),
        );
    let extracts = handlers::intelligence::extracts::upload_routes()
        .layer(tower_http::limit::RequestBodyLimitLayer::new(extract::EXTRACT_BYTES));
    Router::new()
        .merge(limited)
        .merge(extracts)
        .fallback(handlers::not_found)
        // Pages, API answers and assets go compressed (brotli or gzip) to every client that
        // accepts it; level 4 keeps compressing a 150 KB page to about a millisecond.
        .layer(tower_http::compression::CompressionLayer::new().quality(tower_http::CompressionLevel::Precise(4)))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(axum::extract::DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::observe))
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(tower_http::request_id::MakeRequestUuid))
        .with_state(state)
}

/// Serves until `shutdown` completes, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state.clone());
    let purge = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
        let mut ticks: u64 = 0;
        loop {
            every.tick().await;
            if let Err(e) = assure_core::one_connection_per_task(state.core.purge_expired_sessions()).await {
                tracing::warn!(error = %e, "could not purge expired sessions");
            }
            // Reminders once an hour (and at start); each is sent only once, so a restart is harmless.
            if ticks.is_multiple_of(12) {
                match assure_core::one_connection_per_task(state.core.send_reminders()).await {
                    Ok(report) => tracing::info!(
                        notifications = report.notifications,
                        emails = report.emails,
                        failures = report.email_failures,
                        "reminders sent"
                    ),
                    Err(e) => tracing::warn!(error = %e, "could not send reminders"),
                }
            }
            ticks += 1;
        }
    });
    let result = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await;
    purge.abort();
    result
}
