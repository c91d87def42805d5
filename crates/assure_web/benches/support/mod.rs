//! What the benchmarks share: peak memory, and a signed-in session through the real sign-in form.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The process's peak resident memory so far, in KiB.
pub fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

fn cookies(headers: &axum::http::HeaderMap) -> Vec<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect()
}

/// Signs in through the sign-in page and returns the session's Cookie header.
pub async fn sign_in(router: &Router, email: &str, password: &str) -> String {
    let page = router.clone().oneshot(Request::get("/sign-in").body(Body::empty()).unwrap()).await.unwrap();
    let jar = cookies(page.headers());
    let html = String::from_utf8(page.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let csrf = html.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let form = serde_urlencoded::to_string([
        ("csrf_token", csrf.as_str()),
        ("email", email),
        ("password", password),
        ("next", "/"),
    ])
    .unwrap();
    let res = router
        .clone()
        .oneshot(
            Request::post("/sign-in")
                .header(header::COOKIE, jar.join("; "))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in failed");
    cookies(res.headers()).join("; ")
}
