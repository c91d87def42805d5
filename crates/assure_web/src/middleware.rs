//! Middleware: security headers with a per-response CSP nonce, and request metrics and logs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use crate::AppState;
use crate::extract::Nonce;

/// Sets the Content-Security-Policy (scripts only from this origin and with this response's
/// nonce), and the other headers every response carries.
pub async fn security_headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let nonce = assure_core::accounts::auth::random_token(18);
    req.extensions_mut().insert(Nonce(nonce.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if state.config.secure_cookies {
        // Served behind TLS (which is what Secure cookies mean): browsers keep to HTTPS.
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        // Pages hold personal data: never keep them in shared or browser caches.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Counters for `/metrics`, in Prometheus text format.
#[derive(Default)]
pub struct Metrics {
    by_class: [AtomicU64; 5],
    duration_micros: AtomicU64,
    requests: AtomicU64,
}

impl Metrics {
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# HELP assure_http_requests_total HTTP requests answered, by status class.\n\
             # TYPE assure_http_requests_total counter\n",
        );
        for (i, class) in ["1xx", "2xx", "3xx", "4xx", "5xx"].iter().enumerate() {
            out.push_str(&format!(
                "assure_http_requests_total{{status=\"{class}\"}} {}\n",
                self.by_class[i].load(Ordering::Relaxed)
            ));
        }
        out.push_str(&format!(
            "# HELP assure_http_request_duration_seconds Time spent answering HTTP requests.\n\
             # TYPE assure_http_request_duration_seconds summary\n\
             assure_http_request_duration_seconds_sum {:.6}\n\
             assure_http_request_duration_seconds_count {}\n",
            self.duration_micros.load(Ordering::Relaxed) as f64 / 1e6,
            self.requests.load(Ordering::Relaxed)
        ));
        out.push_str(&format!(
            "# HELP assure_build_info The running version.\n# TYPE assure_build_info gauge\nassure_build_info{{version=\"{}\"}} 1\n",
            env!("CARGO_PKG_VERSION")
        ));
        out
    }
}

/// Logs each request once (method, path, status, time, request id) and counts it. Request
/// bodies and query strings are never logged: they can hold personal data.
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    // Everything logged while answering (errors at the boundary included) carries the request id.
    let span = tracing::info_span!("request", request_id = %request_id);
    // A request holds at most one pooled connection at a time: see `one_connection_per_task`.
    let res = assure_core::one_connection_per_task(next.run(req).instrument(span)).await;
    let elapsed = start.elapsed();
    let status = res.status().as_u16();
    let m = &state.metrics;
    if let Some(counter) = m.by_class.get((status / 100).saturating_sub(1) as usize) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
    m.requests.fetch_add(1, Ordering::Relaxed);
    m.duration_micros.fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    tracing::info!(%method, %path, status, elapsed_ms = elapsed.as_secs_f64() * 1000.0, request_id, "request");
    res
}

/// The largest answer given an ETag; a larger one (none of the API's today) passes as it is.
const ETAG_MAX_BYTES: usize = 16 << 20;

/// A weak ETag (the same for every encoding of the answer) on each successful JSON answer to a
/// GET, from a digest of its bytes, and 304 Not Modified with no body when the request's
/// `If-None-Match` names it: a caller polling for changes downloads only what changed.
pub async fn etag(req: Request, next: Next) -> Response {
    let conditional = req.headers().get(header::IF_NONE_MATCH).cloned();
    let is_get = req.method() == axum::http::Method::GET || req.method() == axum::http::Method::HEAD;
    let res = next.run(req).await;
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_get || res.status() != axum::http::StatusCode::OK || !is_json {
        return res;
    }
    // Only an answer whose whole length is known and within the limit is read to tag it; any
    // other passes untouched.
    let known = axum::body::HttpBody::size_hint(res.body()).exact();
    if known.is_none_or(|n| n > ETAG_MAX_BYTES as u64) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ETAG_MAX_BYTES).await else {
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // A record answered with its version keeps that as its tag (a change sends it back in
    // If-Match); any other answer is tagged by a digest of its bytes.
    let tag = match parts.headers.get(header::ETAG).and_then(|v| v.to_str().ok()) {
        Some(version) => version.to_owned(),
        None => entity_tag(&bytes),
    };
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
    }
    if conditional.as_ref().and_then(|v| v.to_str().ok()).is_some_and(|v| matches_tag(v, &tag)) {
        parts.status = axum::http::StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A weak entity tag from a digest of the bytes.
pub fn entity_tag(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    format!("W/\"{}\"", hex::encode(&digest[..16]))
}

/// Whether an `If-None-Match` value names `tag` (weak comparison; `*` matches anything).
pub fn matches_tag(if_none_match: &str, tag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    if_none_match.split(',').any(|t| t.trim() == "*" || bare(t) == bare(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_in_lists() {
        let tag = entity_tag(b"{}");
        assert!(tag.starts_with("W/\""));
        assert!(matches_tag(&tag, &tag));
        assert!(matches_tag(&tag.replace("W/", ""), &tag));
        assert!(matches_tag(&format!("\"other\", {tag}"), &tag));
        assert!(matches_tag("*", &tag));
        assert!(!matches_tag("W/\"other\"", &tag));
        assert_ne!(entity_tag(b"{}"), entity_tag(b"[]"));
    }
}
