//! Many people at once: every page that reads the database answers 64 concurrent requests
//! without an error. A use-case that held one pooled connection while waiting for another
//! would deadlock the pool here (16 requests were enough before), and a restricted read that
//! waited for its log entry while holding a connection would too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use support::TestApp;
use tower::ServiceExt;

const AT_ONCE: usize = 64;

async fn sixty_four_at_once_on_every_page(app: &TestApp) {
    let bm = app.sign_in("business.manager@example.org").await;
    let cookie = bm.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let api = app.api("business.manager@example.org").await;
    let token = api.token.clone().unwrap();
    let review = app.review_id("Child K").await;
    let closed = app.review_id("Child F").await;
    let action = app.action_id("Brief every response officer").await;
    let board = app.body_id("southend", "Child Practice Review").await;
    let police = app.org_id("southend", "Essex Police").await;
    let reviewer = app.person_id("Jules Carver").await;
    let ctx = app.core.operator().await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap();
    let campaign = app.core.campaigns(&ctx, southend.id).await.unwrap()[0].0.id;
    let a_return = app.core.campaign(&ctx, campaign).await.unwrap().assessments[0].id;
    let user = app.core.user_by_email("police.lead@example.org").await.unwrap().id;
    let pages = [
        "/".to_owned(),
        "/reviews".into(),
        "/deadlines".into(),
        "/themes".into(),
        format!("/reviews/{review}"),
        format!("/reviews/{review}/chronology"),
        format!("/reviews/{review}/recommendations"),
        "/plan".into(),
        format!("/actions/{action}"),
        "/organisations".into(),
        "/people".into(),
        "/bodies".into(),
        format!("/bodies/{board}"),
        "/users".into(),
        "/audits".into(),
        "/audits/frameworks".into(),
        "/dashboard/children".into(),
        "/dashboard/adults".into(),
        "/returns".into(),
        "/returns/1".into(),
        "/extracts".into(),
        "/extracts/1".into(),
        format!("/organisations/{police}"),
        format!("/people/{reviewer}"),
        format!("/users/{user}"),
        format!("/audits/{campaign}"),
        format!("/audits/{campaign}/analysis"),
        format!("/audits/assessments/{a_return}"),
        format!("/reviews/{closed}/briefing"),
        "/audits/frameworks/1".into(),
        "/indicators/children.referral_rate".into(),
        "/dashboard/figures".into(),
    ];
    let apis = [
        "/api/v1/reviews?partnership=southend".to_owned(),
        "/api/v1/deadlines?partnership=southend".into(),
        "/api/v1/plan?partnership=southend".into(),
        "/api/v1/people?partnership=southend".into(),
        format!("/api/v1/reviews/{review}"),
    ];
    let mut failures = Vec::new();
    for (path, auth) in pages
        .iter()
        .map(|p| (p, (header::COOKIE, cookie.clone())))
        .chain(apis.iter().map(|p| (p, (header::AUTHORIZATION, format!("Bearer {token}")))))
    {
        let mut running = Vec::new();
        for _ in 0..AT_ONCE {
            let router = app.router.clone();
            let req = Request::get(path.as_str()).header(auth.0.clone(), auth.1.clone()).body(Body::empty()).unwrap();
            running.push(tokio::spawn(async move {
                let res = router.oneshot(req).await.unwrap();
                let status = res.status();
                let _ = res.into_body().collect().await.unwrap();
                status
            }));
        }
        for task in running {
            let status = task.await.unwrap();
            if status != StatusCode::OK {
                failures.push(format!("{path}: {status}"));
            }
        }
    }
    let total = AT_ONCE * (pages.len() + apis.len());
    assert!(failures.is_empty(), "{} of {total} requests failed:\n{}", failures.len(), failures.join("\n"));
    // Every one of the restricted reads was logged, and the chain is whole.
    let ctx = app.core.operator().await.unwrap();
    let verified = app.core.verify_audit(&ctx).await.unwrap();
    assert_eq!(verified.problem, None);
}

mod sixty_four_at_once {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        let app = super::TestApp::new(assure_store::Backend::Sqlite).await;
        super::sixty_four_at_once_on_every_page(&app).await;
        app.finish().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        let app = super::TestApp::new(assure_store::Backend::Postgres).await;
        super::sixty_four_at_once_on_every_page(&app).await;
        app.finish().await;
    }
}
