//! The Consolidated Action Plan with 10,000 actions: `cargo bench -p assure_web --bench plan`.
//!
//! Loads the demo partnership into a SQLite file, adds 1,000 recommendations with ten actions
//! each, signs in as the business manager and times, through the whole HTTP stack (routing,
//! session, authorization, query, template): the plan's first page, a filtered page, a late
//! page, and the spreadsheet export of every open action. Prints the median and slowest time,
//! requests per second, peak memory, and the ratio to the budget (200 ms a page, 2 s the export).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use std::time::{Duration, Instant};

use assure_core::{Core, Settings};
use assure_domain::learning::{NewAction, NewRecommendation, RecScope};
use assure_store::Store;
use assure_web::{AppState, WebConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

const BUDGET_MS: f64 = 200.0;
const EXPORT_BUDGET_MS: f64 = 2000.0;
const PASSWORD: &str = "correct horse battery";

async fn body(res: axum::response::Response) -> Vec<u8> {
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let core = Core::new(store.clone(), Settings::default());
    core.load_demo(PASSWORD).await.unwrap();

    // 1,000 recommendations with ten actions each, across the partnership's organisations.
    let ctx = core.operator().await.unwrap();
    let southend = core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let orgs = core.organisations(&ctx, southend, false, assure_store::structure::Page::ALL).await.unwrap().0;
    let bodies = core.bodies(&ctx, southend, false, assure_store::structure::Page::ALL).await.unwrap().0;
    let reviews: Vec<i64> = core.reviews(&ctx, southend).await.unwrap().into_iter().map(|(r, _)| r.id.0).collect();
    let today = chrono::Utc::now().date_naive();
    let started = Instant::now();
    let mut tx = store.write().await.unwrap();
    for r in 0..1_000 {
        let rec = assure_store::learning::insert_recommendation(
            &mut tx,
            southend,
            assure_store::learning::Origin::review(reviews[r % reviews.len()]),
            &NewRecommendation {
                number: format!("{}", r + 1),
                text: format!("Recommendation {r}: agencies should strengthen how they share information."),
                scope: RecScope::Local,
                body_id: bodies[r % bodies.len()].id.0,
                theme_id: None,
            },
        )
        .await
        .unwrap();
        for a in 0..10 {
            let n = r * 10 + a;
            assure_store::learning::insert_action(
                &mut tx,
                rec,
                &NewAction {
                    text: format!("Action {n}: brief practitioners and audit ten cases."),
                    organisation_id: orgs[n % orgs.len()].id.0,
                    owner: "Head of Service".into(),
                    owner_email: None,
                    target_on: today + chrono::Duration::days((n % 720) as i64 - 360),
                },
                None,
            )
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
    println!("seeded 10,000 actions in {:.2} s", started.elapsed().as_secs_f64());

    let state = AppState::new(core.clone(), WebConfig { secure_cookies: false, ..WebConfig::default() });
    let router = assure_web::router(state);
    let session = support::sign_in(&router, "business.manager@example.org", PASSWORD).await;

    println!("{:<44} {:>9} {:>9} {:>9} {:>8}", "request", "median", "slowest", "req/s", "budget");
    // Pages have a budget of 200 ms; the spreadsheet of all 10,000 actions one of 2 s.
    for (path, runs, budget_ms) in [
        ("/plan", 40, BUDGET_MS),
        ("/plan?overdue=true&arm=children", 40, BUDGET_MS),
        ("/plan?page=150", 40, BUDGET_MS),
        ("/plan.xlsx", 5, EXPORT_BUDGET_MS),
    ] {
        let mut times: Vec<Duration> = Vec::new();
        let mut size = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let res = router
                .clone()
                .oneshot(Request::get(path).header(header::COOKIE, &session).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            size = body(res).await.len();
            times.push(t.elapsed());
        }
        times.sort();
        let median = times[times.len() / 2].as_secs_f64() * 1000.0;
        let slowest = times[times.len() - 1].as_secs_f64() * 1000.0;
        println!(
            "{:<44} {:>7.1}ms {:>7.1}ms {:>9.1} {:>7.2}x   ({} bytes)",
            path,
            median,
            slowest,
            1000.0 / median,
            median / budget_ms,
            size
        );
    }
    println!("peak memory: {:.1} MiB", support::peak_memory_kib() as f64 / 1024.0);
}
