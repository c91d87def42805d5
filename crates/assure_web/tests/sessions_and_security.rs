//! Sign-in, lockout, throttling, sessions, CSRF, second factor, security headers, restricted
//! reads in the audit log, and the error boundary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use assure_core::Settings;
use assure_store::Backend;
use axum::http::{Method, StatusCode, header};
use support::{PASSWORD, TestApp};

/// One partnership with an agency and an account for each role these tests sign in as: what
/// sign-in, sessions and the security headers need, without the demo.
async fn accounts_partnership(app: &TestApp) {
    let southend = app.add_partnership("southend", "Southend Safeguarding Partnership").await;
    let police = app.add_organisation(southend, "Essex Police", "statutory_partner", "police").await;
    for (email, role) in [
        ("viewer@example.org", "viewer"),
        ("scrutineer@example.org", "scrutineer"),
        ("business.manager@example.org", "business_unit"),
        ("admin@example.org", "administrator"),
    ] {
        app.add_account(southend, email, role, None, None).await;
    }
    app.add_account(southend, "police.lead@example.org", "agency_lead", Some(police), None).await;
}

async fn accounts(backend: Backend) -> TestApp {
    let app = TestApp::empty(backend).await;
    accounts_partnership(&app).await;
    app
}

async fn unknown_account_and_wrong_password_fail_alike(app: &TestApp) {
    let mut c = app.anonymous();
    let wrong = c.try_sign_in("business.manager@example.org", "not the password at all").await;
    let unknown = c.try_sign_in("nobody@example.org", PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.error_summary(), unknown.error_summary());
    assert!(wrong.error_summary()[0].starts_with("Enter a correct email address and password"));
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.action == "sign_in_failed" && e.detail.contains("wrong password")));
    assert!(audit.iter().any(|e| e.action == "sign_in_failed" && e.actor_label == "unknown account"));
}

async fn five_failures_lock_the_account_even_against_the_right_password(app: &TestApp) {
    let mut c = app.anonymous();
    for _ in 0..5 {
        assert_eq!(
            c.try_sign_in("viewer@example.org", "wrong wrong wrong").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let locked = c.try_sign_in("viewer@example.org", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::UNPROCESSABLE_ENTITY, "a locked account must not sign in");
    assert!(app.audit().await.iter().any(|e| e.action == "sign_in_failed" && e.detail.contains("account locked")));
    // Another account is unaffected.
    assert_eq!(c.try_sign_in("scrutineer@example.org", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

async fn signing_in_issues_a_fresh_session_and_ends_the_old_one(app: &TestApp) {
    let mut c = app.sign_in("viewer@example.org").await;
    let first = c.cookies.get("__Host-assure_session").cloned().unwrap();
    assert_eq!(c.try_sign_in("viewer@example.org", PASSWORD).await.status, StatusCode::SEE_OTHER);
    let second = c.cookies.get("__Host-assure_session").cloned().unwrap();
    assert_ne!(first, second);
    let mut old = app.anonymous();
    old.cookies.insert("__Host-assure_session".into(), first);
    assert_eq!(old.get("/").await.status, StatusCode::SEE_OTHER, "the old session id no longer works");
}

on_both!(
    given accounts_partnership;
    unknown_account_and_wrong_password_fail_alike,
    five_failures_lock_the_account_even_against_the_right_password,
    signing_in_issues_a_fresh_session_and_ends_the_old_one,
);

#[tokio::test]
async fn session_cookie_is_secure_http_only_same_site_and_host_prefixed() {
    let app = accounts(Backend::Sqlite).await;
    let mut c = app.anonymous();
    let reply = c.try_sign_in("viewer@example.org", PASSWORD).await;
    let cookie = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("__Host-assure_session="))
        .expect("a session cookie");
    for part in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    app.finish().await;
}

#[tokio::test]
async fn too_many_failed_sign_ins_from_one_address_are_throttled_with_retry_after() {
    let settings = Settings { attempts_per_address: 3, ..Settings::default() };
    let app = TestApp::with_settings(Backend::Sqlite, settings).await;
    let mut c = app.anonymous();
    // Successful sign-ins are not counted: an office behind one address signs in all day.
    for _ in 0..5 {
        assert_eq!(app.anonymous().try_sign_in("viewer@example.org", PASSWORD).await.status, StatusCode::SEE_OTHER);
    }
    for email in ["a@example.org", "b@example.org", "c@example.org"] {
        let r = c.try_sign_in(email, "whatever whatever").await;
        assert!(r.error_summary()[0].starts_with("Enter a correct email"));
    }
    let r = c.try_sign_in("viewer@example.org", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=300).contains(&wait), "Retry-After {wait}");
    assert_eq!(r.error_summary(), vec!["Too many failed sign-ins from your connection. Wait 5 minutes and try again."]);
    app.finish().await;
}

#[tokio::test]
async fn forms_without_the_session_csrf_token_are_refused_and_change_nothing() {
    let app = accounts(Backend::Sqlite).await;
    let mut c = app.sign_in("business.manager@example.org").await;
    let before = app.row_counts().await;
    let fields = [("name", "Forged agency"), ("kind", "other"), ("sector", "other")];
    let missing = c.post_raw("/organisations", &fields).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(missing.texts("h1"), vec!["This form has expired"]);
    let mut wrong: Vec<(&str, &str)> = vec![("csrf_token", "not-the-token")];
    wrong.extend_from_slice(&fields);
    assert_eq!(c.post_raw("/organisations", &wrong).await.status, StatusCode::FORBIDDEN);
    // A sign-in form posted without its cookie is refused too (login CSRF).
    let mut other = app.anonymous();
    let r = other
        .post_raw("/sign-in", &[("csrf_token", "x"), ("email", "viewer@example.org"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.row_counts().await.iter().filter(|(t, _)| t != "audit_log" && t != "audit_head").collect::<Vec<_>>(),
        before.iter().filter(|(t, _)| t != "audit_log" && t != "audit_head").collect::<Vec<_>>()
    );
    app.finish().await;
}

#[tokio::test]
async fn signing_out_ends_the_session_and_everywhere_ends_all() {
    let app = accounts(Backend::Sqlite).await;
    let mut a = app.sign_in("viewer@example.org").await;
    let mut b = app.sign_in("viewer@example.org").await;
    let csrf = a.csrf.clone();
    let out = a.post("/sign-out", &[]).await;
    assert_eq!(out.location(), "/sign-in");
    // The deleting cookie carries Secure like the cookie itself, or browsers ignore it.
    let deleting = out.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(deleting.starts_with("__Host-assure_session=;"), "{deleting}");
    for part in ["Secure", "HttpOnly", "Path=/", "Max-Age=0"] {
        assert!(deleting.contains(part), "{deleting} lacks {part}");
    }
    assert_eq!(a.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get("/").await.status, StatusCode::OK, "signing out one session leaves others");
    let mut c = app.sign_in("viewer@example.org").await;
    assert_ne!(c.csrf, csrf, "each session has its own CSRF token");
    assert_eq!(c.post("/sign-out-everywhere", &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get("/").await.status, StatusCode::SEE_OTHER, "every session of the user ended");
    app.finish().await;
}

#[tokio::test]
async fn expired_sessions_are_refused() {
    for settings in [
        Settings { session_absolute: chrono::Duration::seconds(-1), ..Settings::default() },
        Settings { session_idle: chrono::Duration::seconds(-1), ..Settings::default() },
    ] {
        let app = TestApp::with_settings(Backend::Sqlite, settings).await;
        let mut c = app.anonymous();
        assert_eq!(c.try_sign_in("viewer@example.org", PASSWORD).await.status, StatusCode::SEE_OTHER);
        let r = c.get("/organisations").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/sign-in?next=%2Forganisations");
        app.finish().await;
    }
}

#[tokio::test]
async fn sign_in_never_redirects_off_site() {
    let app = accounts(Backend::Sqlite).await;
    for hostile in ["//evil.example/", "%2F%09%2Fevil.example%2F", "%2F%5Cevil.example", "https://evil.example/"] {
        let mut c = app.anonymous();
        let page = c.get(&format!("/sign-in?next={hostile}")).await;
        assert_eq!(page.attr("input[name=next]", "value"), "/", "{hostile}");
    }
    // Posted straight to the form, with a tab, a backslash or a line break: home, never a 500.
    for hostile in ["/\t/evil.example/", "/\\evil.example", "/x\r\nSet-Cookie: a=b", "//evil.example"] {
        let mut c = app.anonymous();
        let page = c.get("/sign-in").await;
        let csrf = page.attr("input[name=csrf_token]", "value");
        let r = c
            .post_raw(
                "/sign-in",
                &[("csrf_token", &csrf), ("email", "viewer@example.org"), ("password", PASSWORD), ("next", hostile)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{hostile:?}");
        assert_eq!(r.location(), "/", "{hostile:?}");
    }
    app.finish().await;
}

fn code_for(secret: &str) -> String {
    code_at(secret, 0)
}

/// The code `offset` seconds from now (Assure accepts one 30-second step either side).
fn code_at(secret: &str, offset: i64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, Some("Assure".into()), "x".into())
        .unwrap()
        .generate((now + offset) as u64)
}

#[tokio::test]
async fn a_role_that_requires_a_second_factor_must_set_one_up_then_use_it() {
    let app = accounts(Backend::Sqlite).await;
    let ctx = app.core.operator().await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    app.core.require_second_factor(&ctx, southend, assure_domain::Role::Viewer, true).await.unwrap();

    let mut c = app.anonymous();
    let r = c.try_sign_in("viewer@example.org", PASSWORD).await;
    assert_eq!(r.location(), "/account/second-factor");
    assert_eq!(c.get("/organisations").await.location(), "/account/second-factor", "nothing else until it is set up");
    let setup = c.get("/account/second-factor").await;
    let csrf = setup.attr("input[name=csrf_token]", "value");
    c.csrf = csrf;
    let started = c.post("/account/second-factor", &[]).await;
    let secret = started.texts("#totp-secret").pop().unwrap();
    // The set-up link is also a QR code, drawn on the server, with a text alternative.
    assert_eq!(started.texts("#totp-qr svg title"), vec!["QR code of the set-up link"]);
    assert!(started.body.contains(&format!("secret={secret}")), "the link carries the key");
    let wrong = c.post("/account/second-factor/confirm", &[("code", "000000")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let first = code_for(&secret);
    let ok = c.post("/account/second-factor/confirm", &[("code", &first)]).await;
    assert_eq!(ok.status, StatusCode::OK);
    // Ten single-use recovery codes are shown, once.
    let codes = ok.texts("#recovery-codes li");
    assert_eq!(codes.len(), 10, "{codes:?}");
    assert!(codes.iter().all(|c| c.len() == 19 && c.matches('-').count() == 3), "{codes:?}");
    assert_eq!(c.get("/organisations").await.status, StatusCode::OK);
    assert_eq!(c.get("/account/second-factor").await.texts("#codes-left"), vec!["You have 10 unused recovery codes."]);

    // Next time: password, then code.
    let mut d = app.anonymous();
    assert_eq!(d.try_sign_in("viewer@example.org", PASSWORD).await.location(), "/sign-in/second-factor");
    assert_eq!(d.get("/").await.location(), "/sign-in/second-factor");
    let page = d.get("/sign-in/second-factor").await;
    d.csrf = page.attr("input[name=csrf_token]", "value");
    assert_eq!(d.post("/sign-in/second-factor", &[("code", "123456")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The code that confirmed the set-up is spent; the next one signs in, once.
    let spent = d.post("/sign-in/second-factor", &[("code", &first)]).await;
    assert_eq!(spent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        spent.error_summary(),
        vec!["This code has already been used: wait for the next code in your authenticator app"]
    );
    let next = code_at(&secret, 30);
    assert_eq!(d.post("/sign-in/second-factor", &[("code", &next)]).await.location(), "/");
    assert_eq!(d.get("/organisations").await.status, StatusCode::OK);
    // A second browser replaying the same code within its 30 seconds is refused.
    let mut e = app.anonymous();
    assert_eq!(e.try_sign_in("viewer@example.org", PASSWORD).await.location(), "/sign-in/second-factor");
    let page = e.get("/sign-in/second-factor").await;
    e.csrf = page.attr("input[name=csrf_token]", "value");
    let replayed = e.post("/sign-in/second-factor", &[("code", &next)]).await;
    assert_eq!(replayed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e.get("/organisations").await.location(), "/sign-in/second-factor");
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.action == "second_factor_failed"));
    assert!(audit.iter().any(|e| e.action == "totp_enabled"));

    // Without the authenticator: a recovery code signs in, typed however, once.
    let mut f = app.anonymous();
    assert_eq!(f.try_sign_in("viewer@example.org", PASSWORD).await.location(), "/sign-in/second-factor");
    let page = f.get("/sign-in/second-factor").await;
    f.csrf = page.attr("input[name=csrf_token]", "value");
    let typed = codes[3].to_lowercase().replace('-', " ");
    assert_eq!(f.post("/sign-in/second-factor", &[("code", &typed)]).await.location(), "/");
    let mut g = app.anonymous();
    g.try_sign_in("viewer@example.org", PASSWORD).await;
    let page = g.get("/sign-in/second-factor").await;
    g.csrf = page.attr("input[name=csrf_token]", "value");
    let again = g.post("/sign-in/second-factor", &[("code", &codes[3])]).await;
    assert_eq!(again.error_summary(), vec!["That recovery code is not one of yours or has been used: each works once"]);
    assert_eq!(f.get("/account/second-factor").await.texts("#codes-left"), vec!["You have 9 unused recovery codes."]);
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.action == "second_factor" && e.detail.contains("recovery code")));
    app.finish().await;
}

/// New recovery codes take a code from the authenticator (a session alone cannot make them), and
/// the old codes stop working.
#[tokio::test]
async fn new_recovery_codes_need_the_authenticator_and_replace_the_old() {
    let app = accounts(Backend::Sqlite).await;
    let mut c = app.sign_in("scrutineer@example.org").await;
    c.csrf = c.get("/account/second-factor").await.attr("input[name=csrf_token]", "value");
    let started = c.post("/account/second-factor", &[]).await;
    let secret = started.texts("#totp-secret").pop().unwrap();
    let codes =
        c.post("/account/second-factor/confirm", &[("code", &code_for(&secret))]).await.texts("#recovery-codes li");
    assert_eq!(codes.len(), 10);
    let refused = c.post("/account/recovery-codes", &[("code", &codes[0])]).await;
    assert_eq!(refused.error_summary(), vec!["Enter the 6-digit code shown in your authenticator app now"]);
    let fresh = c.post("/account/recovery-codes", &[("code", &code_at(&secret, 30))]).await;
    let new_codes = fresh.texts("#recovery-codes li");
    assert_eq!(new_codes.len(), 10);
    assert!(new_codes.iter().all(|n| !codes.contains(n)));
    let mut d = app.anonymous();
    d.try_sign_in("scrutineer@example.org", PASSWORD).await;
    d.csrf = d.get("/sign-in/second-factor").await.attr("input[name=csrf_token]", "value");
    assert_eq!(d.post("/sign-in/second-factor", &[("code", &codes[1])]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(d.post("/sign-in/second-factor", &[("code", &new_codes[0])]).await.location(), "/");
    assert!(app.audit().await.iter().any(|e| e.action == "recovery_codes_replaced"));
    // An administrator's reset of two-step sign-in takes the codes with it.
    let ctx = app.core.operator().await.unwrap();
    let user = app.core.user_by_email("scrutineer@example.org").await.unwrap();
    app.core.reset_second_factor(&ctx, user.id).await.unwrap();
    assert!(app.row_counts().await.contains(&("recovery_codes".to_owned(), 0)));
    let mut e = app.anonymous();
    assert_eq!(e.try_sign_in("scrutineer@example.org", PASSWORD).await.location(), "/", "no second step now");
    app.finish().await;
}

#[tokio::test]
async fn every_read_of_a_restricted_record_is_in_the_audit_log() {
    let app = TestApp::new(Backend::Sqlite).await;
    let reviewer = app.person_id("Jules Carver").await;
    let cpr = app.body_id("southend", "Child Practice Review").await;
    let mut c = app.sign_in("scrutineer@example.org").await;
    assert_eq!(c.get(&format!("/people/{reviewer}")).await.status, StatusCode::OK);
    assert_eq!(c.get(&format!("/bodies/{cpr}")).await.status, StatusCode::OK);
    let audit = app.audit().await;
    let reads: Vec<_> =
        audit.iter().filter(|e| e.action == "read" && e.actor_label == "scrutineer@example.org").collect();
    assert!(reads.iter().any(|e| e.record_type == "person" && e.record_id == Some(reviewer.to_string())));
    assert!(reads.iter().any(|e| e.record_type == "body" && e.record_id == Some(cpr.to_string())));
    // An unrestricted read is not logged.
    let pat = app.person_id("Pat Constable").await;
    c.get(&format!("/people/{pat}")).await;
    assert!(
        !app.audit()
            .await
            .iter()
            .any(|e| e.action == "read" && e.record_type == "person" && e.record_id == Some(pat.to_string()))
    );
    app.finish().await;
}

#[tokio::test]
async fn every_response_carries_a_csp_whose_nonce_is_on_the_page_script() {
    let app = accounts(Backend::Sqlite).await;
    let mut c = app.sign_in("viewer@example.org").await;
    let page = c.get("/organisations").await;
    let csp = page.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    let script = page
        .html()
        .select(&scraper::Selector::parse("script").unwrap())
        .map(|s| s.value().attr("nonce").unwrap_or_default().to_owned())
        .collect::<Vec<_>>();
    assert_eq!(script, vec![nonce.to_owned()]);
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"));
    assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert_eq!(page.headers.get("x-content-type-options").unwrap(), "nosniff");
    // Secure cookies mean TLS in front: browsers are told to keep to HTTPS.
    assert_eq!(page.headers[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000; includeSubDomains");
    assert!(page.headers.get("x-request-id").is_some());
    let again = c.get("/organisations").await;
    assert_ne!(
        again.headers.get(header::CONTENT_SECURITY_POLICY),
        page.headers.get(header::CONTENT_SECURITY_POLICY),
        "a fresh nonce each time"
    );
    app.finish().await;
}

#[tokio::test]
async fn a_failing_database_shows_a_generic_error_and_no_internals() {
    let app = accounts(Backend::Sqlite).await;
    let mut page = app.sign_in("viewer@example.org").await;
    let mut api = app.api("viewer@example.org").await;
    app.db.store.close().await;
    let html = page.get("/organisations").await;
    assert_eq!(html.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(html.texts("h1"), vec!["Sorry, there is a problem with the service"]);
    let json = api.get("/api/v1/organisations").await;
    assert_eq!(json.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(json.headers.get(header::CONTENT_TYPE).unwrap(), "application/problem+json");
    for body in [&html.body, &json.body] {
        let lower = body.to_lowercase();
        for leak in ["sqlx", "pool", "sqlite", "select ", "closed", ".rs", "panicked"] {
            assert!(!lower.contains(leak), "response leaks {leak:?}");
        }
    }
    let ready = page.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    app.finish().await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let app = accounts(Backend::Sqlite).await;
    let mut c = app.sign_in("business.manager@example.org").await;
    let big = "x".repeat(2 * 1024 * 1024);
    let r = c
        .request(Method::POST, "/organisations", Some("application/x-www-form-urlencoded"), format!("name={big}"))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let mut api = app.api("business.manager@example.org").await;
    let r = api
        .request(
            Method::POST,
            "/api/v1/organisations?partnership=southend",
            Some("application/json"),
            format!("{{\"name\":\"{big}\"}}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    app.finish().await;
}

#[tokio::test]
async fn changing_a_password_checks_the_current_one_and_the_rule() {
    let app = accounts(Backend::Sqlite).await;
    let mut c = app.sign_in("viewer@example.org").await;
    let wrong = c
        .post(
            "/account/password",
            &[
                ("current_password", "nope nope nope"),
                ("new_password", "lighthouse pebble orchard"),
                ("confirm_password", "lighthouse pebble orchard"),
            ],
        )
        .await;
    assert_eq!(wrong.error_summary(), vec!["Enter your current password correctly"]);
    let weak = c
        .post(
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "password1234"), ("confirm_password", "password1234")],
        )
        .await;
    assert!(weak.error_summary()[0].contains("too common"));
    let mismatch = c
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "lighthouse pebble orchard"),
                ("confirm_password", "lighthouse pebble"),
            ],
        )
        .await;
    assert_eq!(mismatch.error_summary(), vec!["The passwords do not match"]);
    let ok = c
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "lighthouse pebble orchard"),
                ("confirm_password", "lighthouse pebble orchard"),
            ],
        )
        .await;
    assert_eq!(ok.location(), "/account?done=password-changed");
    let mut d = app.anonymous();
    assert_eq!(d.try_sign_in("viewer@example.org", "lighthouse pebble orchard").await.status, StatusCode::SEE_OTHER);
    app.finish().await;
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions_and_tokens() {
    let app = accounts(Backend::Sqlite).await;
    let mut lead = app.sign_in("police.lead@example.org").await;
    let mut token = app.api("police.lead@example.org").await;
    let mut admin = app.sign_in("admin@example.org").await;
    let id = app.core.user_by_email("police.lead@example.org").await.unwrap().id;
    assert_eq!(admin.post(&format!("/users/{id}/disable"), &[]).await.location(), format!("/users/{id}?done=disabled"));
    assert_eq!(lead.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(token.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.anonymous().try_sign_in("police.lead@example.org", PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    app.finish().await;
}

#[tokio::test]
async fn restricted_bodies_and_people_are_never_named_to_those_who_may_not_see_them() {
    let app = TestApp::new(Backend::Sqlite).await;
    let pat = app.person_id("Pat Constable").await;
    let jules = app.person_id("Jules Carver").await;
    let board = app.body_id("southend", "SSP Children's Board (SSPC)").await;
    let mut manager = app.sign_in("business.manager@example.org").await;
    // The restricted reviewer also sits on an unrestricted board.
    let r = manager
        .post(
            &format!("/bodies/{board}/members"),
            &[("person_id", &jules.to_string()), ("role", "adviser"), ("from_date", "2023-04-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut viewer = app.sign_in("viewer@example.org").await;
    let person = viewer.get(&format!("/people/{pat}")).await;
    assert_eq!(person.status, StatusCode::OK);
    assert!(!person.body.contains("Child Practice Review"), "Pat's restricted panel is not named to a viewer");
    let body = viewer.get(&format!("/bodies/{board}")).await;
    assert!(!body.body.contains("Jules Carver"), "the restricted reviewer is not named to a viewer");
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    assert!(scrutineer.get(&format!("/people/{pat}")).await.body.contains("Child Practice Review"));
    assert!(scrutineer.get(&format!("/bodies/{board}")).await.body.contains("Jules Carver"));
    let logged = app.audit().await;
    assert!(logged.iter().any(|e| e.actor_label == "scrutineer@example.org"
        && e.action == "read"
        && e.record_type == "person"
        && e.record_id == Some(jules.to_string())));
    app.finish().await;
}

#[tokio::test]
async fn the_business_unit_cannot_make_itself_an_administrator_or_the_scrutineer() {
    let app = accounts(Backend::Sqlite).await;
    let id = |email: &'static str| {
        let core = app.core.clone();
        async move { core.user_by_email(email).await.unwrap().id }
    };
    let (admin, scrutineer, me, viewer) = (
        id("admin@example.org").await,
        id("scrutineer@example.org").await,
        id("business.manager@example.org").await,
        id("viewer@example.org").await,
    );
    let mut bm = app.sign_in("business.manager@example.org").await;
    let before = app.row_counts().await;
    // Nothing on an administrator's or the scrutineer's account...
    for user in [admin, scrutineer] {
        for action in ["reset-password", "reset-second-factor", "disable"] {
            let r = bm.post(&format!("/users/{user}/{action}"), &[]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{action} of {user}");
        }
        let page = bm.get(&format!("/users/{user}")).await;
        assert!(
            page.texts("button").iter().all(|b| !b.contains("Reset password")),
            "{user}: {:?}",
            page.texts("button")
        );
    }
    // ...no role to oneself, and no role the business unit does not hold, to anyone.
    let to_self = bm.post(&format!("/users/{me}/grants"), &[("role", "scrutineer")]).await;
    assert_eq!(to_self.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(to_self.error_summary(), vec!["You cannot give yourself a role: ask an administrator"]);
    for role in ["scrutineer", "administrator"] {
        let r = bm.post(&format!("/users/{viewer}/grants"), &[("role", role)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{role}");
        assert!(r.error_summary()[0].starts_with("Only an administrator can give the role"), "{:?}", r.error_summary());
    }
    let options = bm.get(&format!("/users/{viewer}")).await.texts("select[name=role] option");
    assert!(!options.iter().any(|o| o == "Independent scrutineer" || o == "Administrator"), "{options:?}");
    // An API token for the administrator's account would be a way in too.
    let operator = app.core.operator().await.unwrap();
    let token = app.core.create_token(&operator, me, "t").await.unwrap();
    let bm_ctx = app.core.api_token(&token).await.unwrap().unwrap().ctx(None, None);
    assert!(matches!(app.core.create_token(&bm_ctx, admin, "mine now").await, Err(assure_core::CoreError::Forbidden)));
    // Nothing was written but the audit log and that one token.
    let changed = |counts: Vec<(String, usize)>| -> Vec<(String, usize)> {
        counts.into_iter().filter(|(t, _)| !["audit_log", "audit_head", "api_tokens"].contains(&t.as_str())).collect()
    };
    assert_eq!(changed(app.row_counts().await), changed(before));
    // The business unit still manages the accounts it may: a viewer's password, for one.
    let reset = bm.post(&format!("/users/{viewer}/reset-password"), &[]).await;
    assert_eq!(reset.status, StatusCode::OK);
    app.finish().await;
}

#[tokio::test]
async fn a_password_someone_else_chose_must_be_changed_at_first_sign_in() {
    let app = accounts(Backend::Sqlite).await;
    let mut admin = app.sign_in("admin@example.org").await;
    let scrutineer = app.core.user_by_email("scrutineer@example.org").await.unwrap().id;
    let reset = admin.post(&format!("/users/{scrutineer}/reset-password"), &[]).await;
    assert_eq!(reset.status, StatusCode::OK);
    let temporary = reset.texts("#temporary-password").pop().unwrap();
    let mut token = app.api("scrutineer@example.org").await;
    let refused = token.get("/api/v1/reviews?partnership=southend").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["type"], "/api/v1/problems/password-change-required");

    let mut s = app.anonymous();
    let signed_in = s.try_sign_in("scrutineer@example.org", &temporary).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    for path in ["/", "/reviews", "/audit", "/account"] {
        assert_eq!(s.get(path).await.location(), "/account/password", "{path}");
    }
    let form = s.get("/account/password").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.texts(".govuk-inset-text")[0].starts_with("Your password was set by someone else"));
    s.csrf = form.attr("input[name=csrf_token]", "value");
    let same = s
        .post(
            "/account/password",
            &[("current_password", &temporary), ("new_password", &temporary), ("confirm_password", &temporary)],
        )
        .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    let changed = s
        .post(
            "/account/password",
            &[
                ("current_password", &temporary),
                ("new_password", "harbour lantern meadow"),
                ("confirm_password", "harbour lantern meadow"),
            ],
        )
        .await;
    assert_eq!(changed.location(), "/account?done=password-changed");
    assert_eq!(s.get("/reviews").await.status, StatusCode::OK);
    assert_eq!(token.get("/api/v1/reviews?partnership=southend").await.status, StatusCode::OK);

    // A new account's first password is temporary too.
    let created = admin
        .post("/users", &[("email", "new.viewer@example.org"), ("display_name", "New Viewer"), ("role", "viewer")])
        .await;
    let first = created.texts("#temporary-password").pop().unwrap();
    let mut n = app.anonymous();
    assert_eq!(n.try_sign_in("new.viewer@example.org", &first).await.status, StatusCode::SEE_OTHER);
    assert_eq!(n.get("/organisations").await.location(), "/account/password");
    app.finish().await;
}

#[tokio::test]
async fn the_navigation_shows_sections_and_only_the_pages_a_caller_may_open() {
    let app = accounts(Backend::Sqlite).await;
    let sections = "ul.govuk-service-navigation__list a";
    let mut viewer = app.sign_in("viewer@example.org").await;
    let page = viewer.get("/plan").await;
    assert_eq!(
        page.texts(sections),
        vec!["Home", "Partnership", "Reviews and learning", "Assurance", "Intelligence"],
        "a viewer has no administration section"
    );
    assert_eq!(page.texts(".govuk-service-navigation__item--active a"), vec!["Reviews and learning"]);
    assert_eq!(page.texts(".assure-sub-navigation a"), vec!["Case reviews", "Deadlines", "Action plan", "Themes"]);
    assert_eq!(page.texts(".assure-sub-navigation a[aria-current=page]"), vec!["Action plan"]);
    // Data returns and extracts are reachable from the navigation.
    let intelligence = viewer.get("/returns").await;
    assert_eq!(
        intelligence.texts(".assure-sub-navigation a"),
        vec!["Children's dashboard", "Adults' dashboard", "Published figures", "Data returns", "Extracts"]
    );
    // A section with one page has no sub-navigation.
    assert!(viewer.get("/").await.texts(".assure-sub-navigation a").is_empty());
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    let audit = scrutineer.get("/audit").await;
    assert_eq!(audit.texts(sections).last().unwrap(), "Administration");
    assert_eq!(audit.texts(".assure-sub-navigation a"), vec!["Accounts", "Audit log"]);
    // The business unit manages accounts but may not read the audit log: one page, no sub-navigation.
    let mut manager = app.sign_in("business.manager@example.org").await;
    let users = manager.get("/users").await;
    assert_eq!(users.texts(".govuk-service-navigation__item--active a"), vec!["Administration"]);
    assert!(users.texts(".assure-sub-navigation a").is_empty());
    app.finish().await;
}

/// Who someone is and what they may do is kept between requests, but a change made anywhere (here
/// a grant deleted by another process, outside every use-case) counts on the very next request,
/// for a session and for an API token alike.
async fn a_grant_removed_elsewhere_counts_on_the_next_request(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let mut token = app.api("viewer@example.org").await;
    assert_eq!(viewer.get("/organisations").await.status, StatusCode::OK);
    assert_eq!(viewer.get("/organisations").await.status, StatusCode::OK, "again, from what was kept");
    assert_eq!(token.get("/api/v1/organisations").await.status, StatusCode::OK);
    let mut tx = app.db.store.write().await.unwrap();
    sqlx::query("DELETE FROM role_grants WHERE user_id = (SELECT id FROM users WHERE email = 'viewer@example.org')")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_ne!(viewer.get("/organisations").await.status, StatusCode::OK);
    assert_ne!(token.get("/api/v1/organisations").await.status, StatusCode::OK);
}
on_both!(given accounts_partnership; a_grant_removed_elsewhere_counts_on_the_next_request);

/// The partnership's organisations are kept between requests (nearly every page lists them); a
/// change made anywhere (here by another process, in SQL) shows on the next request, on the pages
/// and through the API.
async fn organisations_changed_elsewhere_show_on_the_next_request(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let mut token = app.api("viewer@example.org").await;
    assert!(viewer.get("/organisations").await.body.contains("Essex Police"));
    assert!(viewer.get("/organisations").await.body.contains("Essex Police"), "again, from what was kept");
    let mut tx = app.db.store.write().await.unwrap();
    sqlx::query("UPDATE organisations SET name = 'Essex Constabulary' WHERE name = 'Essex Police'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let page = viewer.get("/organisations").await;
    assert!(page.body.contains("Essex Constabulary") && !page.body.contains("Essex Police"));
    let listed = token.get("/api/v1/organisations").await.json();
    assert_eq!(listed["items"][0]["name"], "Essex Constabulary", "{listed}");
}
on_both!(given accounts_partnership; organisations_changed_elsewhere_show_on_the_next_request);

/// The demo's password is every demo account's: a sensible passphrase is accepted, and a refusal
/// names the account it fails for and the rule.
#[tokio::test]
async fn the_demo_password_is_checked_against_the_demo_accounts_only() {
    let app = TestApp::empty(Backend::Sqlite).await;
    let refused = app.core.load_demo_parts("viewer-passphrase-2026", &[]).await.unwrap_err();
    let assure_core::CoreError::Invalid(errors) = refused else { panic!("{refused:?}") };
    assert_eq!(
        errors.get("password"),
        Some(
            "ASSURE_DEMO_PASSWORD cannot be the password of the demo account viewer@example.org: Password must not contain your email address"
        )
    );
    app.core.load_demo_parts("Demo-passphrase-2026", &[]).await.unwrap();
    let mut c = app.anonymous();
    let r = c.try_sign_in("business.manager@example.org", "Demo-passphrase-2026").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.finish().await;
}

/// The audit log reads as sentences naming people, in UK time, filtered with lists and the
/// GOV.UK date input; the entry as written stays one click away.
#[tokio::test]
async fn the_audit_log_says_who_did_what_to_which_record_in_uk_time() {
    let app = accounts(Backend::Sqlite).await;
    let mut bm = app.sign_in("business.manager@example.org").await;
    assert_eq!(bm.post("/themes", &[("name", "Fathers' voices")]).await.status, StatusCode::SEE_OTHER);
    let mut admin = app.sign_in("admin@example.org").await;
    let page = admin.get("/audit?action=create").await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.texts("#audit-entries tbody tr td:nth-child(2)");
    assert!(rows[0].starts_with("business manager created theme "), "{rows:?}");
    assert!(rows.contains(&"The operator created the account of police lead".to_owned()), "{rows:?}");
    assert!(rows.iter().all(|r| r.contains(" created ")), "only creations: {rows:?}");
    // UK time: GMT in winter, BST in summer, named.
    let when = page.texts("#audit-entries tbody tr td:first-child");
    let today = assure_domain::uk_time::uk_today();
    assert!(when[0].starts_with(&assure_domain::validation::long_date(today)), "{when:?}");
    assert!(when[0].ends_with(" GMT") || when[0].ends_with(" BST"), "{when:?}");
    // Every filter but the record number is chosen from a list.
    let actors = page.texts("#actor option");
    assert!(actors.contains(&"business manager (business.manager@example.org)".to_owned()), "{actors:?}");
    assert!(page.texts("#action option").contains(&"Moved a case review on".to_owned()));
    assert!(page.texts("#record_type option").contains(&"Audit return".to_owned()));
    assert_eq!(page.attr("#action option[selected]", "value"), "create");
    // Dates come as day, month and year; a day in the future finds nothing, a bad one says so.
    let next_year = (today + chrono::Days::new(366)).format("%Y").to_string();
    let later = admin.get(&format!("/audit?from-day=1&from-month=1&from-year={next_year}")).await;
    assert_eq!(later.texts("#entry-count"), vec!["0 entries."]);
    assert_eq!(later.attr("#from-year", "value"), next_year);
    let bad = admin.get("/audit?from-day=31&from-month=2&from-year=2026").await;
    assert_eq!(bad.error_summary(), vec!["The first day must be a real date"]);
    // The entry as written, for the scrutineer who checks it.
    assert!(page.body.contains("business.manager@example.org · create · theme"));
    app.finish().await;
}
