//! Test support for the web edge: the real router over a fresh database holding the demo
//! partnership, and a client that signs in through the real sign-in page.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use assure_core::demo::DemoPart;
use assure_core::{Core, Settings};
use assure_store::Backend;
use assure_testing::TestDb;
use assure_web::{AppState, WebConfig};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

mod given;
pub mod smtp;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub db: TestDb,
    pub core: Core,
    pub state: AppState,
    pub router: Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// Text of every element matching `selector`, trimmed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.html()
            .select(&sel)
            // Text nodes are joined with spaces so that adjacent table cells stay apart.
            .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    /// The `attr` attribute of the first element matching `selector` (empty when absent).
    pub fn attr(&self, selector: &str, attr: &str) -> String {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.html().select(&sel).next().and_then(|e| e.value().attr(attr)).unwrap_or_default().to_owned()
    }

    /// The attribute of every element the selector finds, in document order.
    #[allow(dead_code)]
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).unwrap();
        self.html().select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_owned)).collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> String {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    }

    pub fn error_summary(&self) -> Vec<String> {
        self.texts(".govuk-error-summary__list li")
    }
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        Self::with_settings(backend, Settings::default()).await
    }

    pub async fn with_settings(backend: Backend, settings: Settings) -> TestApp {
        Self::build(backend, settings, Some(DemoPart::ALL)).await
    }

    /// The demo's partnerships, structure and accounts, and of the rest only `parts`: a
    /// capability's tests load their own part of the demo, so another part's change cannot
    /// break them.
    pub async fn with_demo(backend: Backend, parts: &[DemoPart]) -> TestApp {
        Self::build(backend, Settings::default(), Some(parts)).await
    }

    /// [`TestApp::with_demo`] with settings of its own (an SMTP server, say).
    #[allow(dead_code)]
    pub async fn with_demo_and_settings(backend: Backend, parts: &[DemoPart], settings: Settings) -> TestApp {
        Self::build(backend, settings, Some(parts)).await
    }

    /// The application over a fresh database, with the demo's `parts` loaded (none: empty).
    async fn build(backend: Backend, settings: Settings, demo: Option<&[DemoPart]>) -> TestApp {
        let db = TestDb::new(backend).await;
        let core = Core::new(db.store.clone(), settings);
        if let Some(parts) = demo {
            core.load_demo_parts(PASSWORD, parts).await.unwrap();
        }
        let state = AppState::new(core.clone(), WebConfig::default());
        let router = assure_web::router(state.clone());
        TestApp { db, core, state, router }
    }

    pub async fn finish(self) {
        self.db.finish().await;
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub fn anonymous(&self) -> Client<'_> {
        Client {
            app: self,
            cookies: BTreeMap::new(),
            csrf: String::new(),
            token: None,
            request_id: None,
            if_match: None,
        }
    }

    /// Signs in as `email` through the sign-in page, expecting success.
    pub async fn sign_in(&self, email: &str) -> Client<'_> {
        let mut client = self.anonymous();
        let reply = client.try_sign_in(email, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "sign-in as {email} failed: {}", reply.body);
        client.refresh_csrf().await;
        client
    }

    /// An API client with a fresh token for `email`.
    pub async fn api(&self, email: &str) -> Client<'_> {
        let ctx = self.core.operator().await.unwrap();
        let user = self.core.user_by_email(email).await.unwrap();
        let token = self.core.create_token(&ctx, user.id, "test").await.unwrap();
        Client {
            app: self,
            cookies: BTreeMap::new(),
            csrf: String::new(),
            token: Some(token),
            request_id: None,
            if_match: None,
        }
    }

    pub async fn org_id(&self, partnership: &str, name: &str) -> i64 {
        let ctx = self.core.operator().await.unwrap();
        let p = self.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == partnership).unwrap();
        let (orgs, _) = self.core.organisations(&ctx, p.id, true, assure_store::structure::Page::ALL).await.unwrap();
        orgs.into_iter().find(|o| o.name == name).unwrap_or_else(|| panic!("no organisation {name}")).id.0
    }

    pub async fn body_id(&self, partnership: &str, name: &str) -> i64 {
        let ctx = self.core.operator().await.unwrap();
        let p = self.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == partnership).unwrap();
        let (bodies, _) = self.core.bodies(&ctx, p.id, true, assure_store::structure::Page::ALL).await.unwrap();
        bodies.into_iter().find(|b| b.name == name).unwrap_or_else(|| panic!("no body {name}")).id.0
    }

    pub async fn person_id(&self, name: &str) -> i64 {
        let ctx = self.core.operator().await.unwrap();
        let p = self.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap();
        let (people, _) = self.core.people(&ctx, p.id, true, assure_store::structure::Page::ALL).await.unwrap();
        people.into_iter().find(|x| x.name == name).unwrap_or_else(|| panic!("no person {name}")).id.0
    }

    /// Audit entries (all partnerships), newest first.
    /// A review's id by its subject, in Southend.
    pub async fn review_id(&self, subject: &str) -> i64 {
        let ctx = self.core.operator().await.unwrap();
        let p = self.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap();
        let reviews = self.core.reviews(&ctx, p.id).await.unwrap();
        (reviews.into_iter().find(|(r, _)| r.subject == subject).unwrap_or_else(|| panic!("no review {subject}")).0.id)
            .0
    }

    /// An action's id by the start of its text, in Southend's plan.
    pub async fn action_id(&self, starts: &str) -> i64 {
        let ctx = self.core.operator().await.unwrap();
        let p = self.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap();
        let all = assure_domain::learning::PlanFilter::default();
        let mut found = None;
        for status in [None, Some(assure_domain::learning::ActionStatus::Completed)] {
            let filter = assure_domain::learning::PlanFilter { status, ..all.clone() };
            let (items, _) = self.core.plan(&ctx, p.id, &filter, assure_store::structure::Page::ALL).await.unwrap();
            found = found.or(items.into_iter().find(|i| i.action.text.starts_with(starts)).map(|i| i.action.id));
        }
        (found.unwrap_or_else(|| panic!("no action {starts}"))).0
    }

    /// Whether a read of a restricted record was logged by the request with this id.
    pub async fn read_logged(&self, request_id: &str) -> bool {
        let mut conn = self.db.store.read().await.unwrap();
        let filter = assure_store::audit_log::Filter { action: Some("read".into()), limit: 50, ..Default::default() };
        assure_store::audit_log::list(&mut conn, &filter)
            .await
            .unwrap()
            .0
            .iter()
            .any(|e| e.request_id.as_deref() == Some(request_id))
    }

    pub async fn audit(&self) -> Vec<assure_store::audit_log::Entry> {
        let mut conn = self.db.store.read().await.unwrap();
        assure_store::audit_log::list(&mut conn, &assure_store::audit_log::Filter { limit: 500, ..Default::default() })
            .await
            .unwrap()
            .0
    }

    /// Rows in every table, to prove that a refused request wrote nothing.
    pub async fn row_counts(&self) -> Vec<(String, usize)> {
        let snapshot = assure_store::backup::snapshot(&self.db.store).await.unwrap();
        snapshot.tables.into_iter().map(|(t, rows)| (t, rows.len())).collect()
    }
}

pub struct Client<'a> {
    pub app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
    pub csrf: String,
    pub token: Option<String>,
    /// Sent as `x-request-id`, so that a test can find the audit entries of one request.
    pub request_id: Option<String>,
    /// Sent as `If-Match` (the version of the record a change was made to).
    pub if_match: Option<String>,
}

impl<'a> Client<'a> {
    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep_cookies(&mut self, headers: &HeaderMap) {
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            let removed = text.contains("Max-Age=0") || value.is_empty();
            if removed {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub async fn request(&mut self, method: Method, path: &str, content_type: Option<&str>, body: String) -> Reply {
        self.request_bytes(method, path, content_type, body.into_bytes()).await
    }

    /// A request whose body is bytes (a file sent as the body of an API request).
    pub async fn request_bytes(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            req = req.header(header::COOKIE, self.cookie_header());
        }
        if let Some(token) = &self.token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(id) = &self.request_id {
            req = req.header("x-request-id", id);
        }
        if let Some(version) = &self.if_match {
            req = req.header(header::IF_MATCH, version);
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let reply = self.app.send(req.body(Body::from(body)).unwrap()).await;
        self.keep_cookies(&reply.headers);
        reply
    }

    /// Posts `multipart/form-data` with this session's CSRF token: text fields, then files as
    /// (field, file name, content type, bytes).
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Reply {
        let boundary = "assure-test-boundary-7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        let csrf = self.csrf.clone();
        for (name, value) in std::iter::once(("csrf_token", csrf.as_str())).chain(fields.iter().copied()) {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, file_name, content_type, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
        if !self.cookies.is_empty() {
            req = req.header(header::COOKIE, self.cookie_header());
        }
        if let Some(id) = &self.request_id {
            req = req.header("x-request-id", id);
        }
        let reply = self.app.send(req.body(Body::from(body)).unwrap()).await;
        self.keep_cookies(&reply.headers);
        reply
    }

    /// Gets a file: its status, headers and bytes.
    pub async fn download(&mut self, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut req = Request::builder().method(Method::GET).uri(path);
        if !self.cookies.is_empty() {
            req = req.header(header::COOKIE, self.cookie_header());
        }
        if let Some(token) = &self.token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(id) = &self.request_id {
            req = req.header("x-request-id", id);
        }
        let res = self.app.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, headers, bytes)
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.request(Method::GET, path, None, String::new()).await
    }

    /// Posts a form with this session's CSRF token added.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let body = serde_urlencoded::to_string(&all).unwrap();
        self.request(Method::POST, path, Some("application/x-www-form-urlencoded"), body).await
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.request(Method::POST, path, Some("application/x-www-form-urlencoded"), body).await
    }

    pub async fn json(&mut self, method: Method, path: &str, body: serde_json::Value) -> Reply {
        self.request(method, path, Some("application/json"), body.to_string()).await
    }

    pub async fn try_sign_in(&mut self, email: &str, password: &str) -> Reply {
        let page = self.get("/sign-in").await;
        let csrf = page.attr("input[name=csrf_token]", "value");
        self.post_raw("/sign-in", &[("csrf_token", &csrf), ("email", email), ("password", password), ("next", "/")])
            .await
    }

    /// Reads this session's CSRF token from a page's sign-out form.
    pub async fn refresh_csrf(&mut self) {
        let page = self.get("/account").await;
        self.csrf = page.attr("input[name=csrf_token]", "value");
    }
}

/// Runs `test` on a fresh demo app for each backend in turn.
#[macro_export]
macro_rules! on_both {
    // Each test on an empty database that `$given` fills with what the tests need.
    (given $given:ident; $($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::support::TestApp::empty(assure_store::Backend::Sqlite).await;
                super::$given(&app).await;
                super::$name(&app).await;
                app.finish().await;
            }
            #[tokio::test]
            async fn postgres() {
                let app = $crate::support::TestApp::empty(assure_store::Backend::Postgres).await;
                super::$given(&app).await;
                super::$name(&app).await;
                app.finish().await;
            }
        }
    )*};
    // Each test over the demo's structure and accounts and only the named parts of the rest.
    (demo $parts:tt; $($name:ident),* $(,)?) => {$(
        $crate::on_both!(@part $parts $name);
    )*};
    (@part [$($part:ident),*] $name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let parts = [$(assure_core::demo::DemoPart::$part),*];
                let app = $crate::support::TestApp::with_demo(assure_store::Backend::Sqlite, &parts).await;
                super::$name(&app).await;
                app.finish().await;
            }
            #[tokio::test]
            async fn postgres() {
                let parts = [$(assure_core::demo::DemoPart::$part),*];
                let app = $crate::support::TestApp::with_demo(assure_store::Backend::Postgres, &parts).await;
                super::$name(&app).await;
                app.finish().await;
            }
        }
    };
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::support::TestApp::new(assure_store::Backend::Sqlite).await;
                super::$name(&app).await;
                app.finish().await;
            }
            #[tokio::test]
            async fn postgres() {
                let app = $crate::support::TestApp::new(assure_store::Backend::Postgres).await;
                super::$name(&app).await;
                app.finish().await;
            }
        }
    )*};
}
