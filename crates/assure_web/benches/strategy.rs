//! The strategy and the risk register at the size of a large partnership:
//! `cargo bench -p assure_web --bench strategy`.
//!
//! Loads the demo into a SQLite file and adds a strategy of 20 priorities of 12 activities each
//! over five years, each activity updated every quarter it has run (about 600 updates), and a
//! register of 200 risks, each with ten years of quarterly reviews (40 current ratings, a target
//! changed each year, 3 controls: 10,000 ratings in all); then times the strategy on a page, a
//! quarter's progress report, a year's little or no progress, the strategy as a workbook, the
//! register page (its heat maps and every risk's direction of travel), one risk's page with its
//! history chart, the register as JSON, as a workbook and as a board paper (PDF), through the
//! whole HTTP stack. Prints median and slowest times, peak memory and the ratio to the budgets
//! (200 ms a page, 2 s a download).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use std::time::{Duration, Instant};

use assure_core::{Core, Settings};
use assure_domain::risks::{NewControl, NewRegister, Rating, RatingKind};
use assure_store::Store;
use assure_store::risks::{NewRatingEntry, RiskFields};
use assure_web::{AppState, WebConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Months;
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";
const RISKS: usize = 200;
const YEARS: u32 = 10;
const PRIORITIES: usize = 20;
const ACTIVITIES: usize = 12;
const STRATEGY_YEARS: i32 = 5;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let core = Core::new(store.clone(), Settings::default());
    core.load_demo(PASSWORD).await.unwrap();
    let ctx = core.operator().await.unwrap();
    let southend = core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let today = chrono::Utc::now().date_naive();
    let first = today - Months::new(12 * YEARS);

    let started = Instant::now();
    let presets = assure_core::risks::presets();
    let mut tx = store.write().await.unwrap();
    let new = NewRegister { name: "Large register (fictional)".into(), arm: None, body_id: None };
    let register = assure_store::risks::insert_register(&mut tx, southend, &new, "bench").await.unwrap();
    let matrix =
        assure_store::risks::insert_matrix(&mut tx, register, &presets.matrices[1].matrix(), "bench").await.unwrap();
    let mut categories = Vec::new();
    for name in &presets.category_sets[1].names {
        categories.push(assure_store::risks::insert_category(&mut tx, register, name).await.unwrap());
    }
    assure_store::risks::set_appetite(&mut tx, categories[0], Some(10), None, "bench").await.unwrap();
    let mut ratings = 0;
    let mut first_risk = None;
    for r in 0..RISKS {
        let reference = format!("{}.{}", r / 10 + 1, r % 10 + 1);
        let title = format!("Risk {r:03}: a partner's capacity to deliver its part of the strategy falls (fictional)");
        let fields = RiskFields {
            category_id: categories[r % categories.len()],
            reference: &reference,
            title: &title,
            consequence: Some("Children and adults at risk are not protected as the strategy intends."),
            owner: "Business Manager",
            owner_user_id: None,
            target_date: None,
            review_on: today + chrono::Days::new((r % 90) as u64),
        };
        let id = assure_store::risks::insert_risk(&mut tx, register, &fields, "bench").await.unwrap();
        first_risk.get_or_insert(id);
        for q in 0..(YEARS * 4) {
            let on = first + Months::new(3 * q);
            let rating = Rating { likelihood: 1 + (r as u32 + q) % 5, impact: 1 + (r as u32 * 3 + q / 4) % 5 };
            let entry = NewRatingEntry {
                matrix_id: matrix,
                kind: RatingKind::Current,
                rating,
                rated_on: on,
                reason: Some("Reviewed at the quarter's board"),
            };
            assure_store::risks::insert_rating(&mut tx, id, &entry, "bench").await.unwrap();
            ratings += 1;
            if q % 4 == 0 {
                let target = Rating { likelihood: 1 + q % 2, impact: 2 };
                let entry = NewRatingEntry { kind: RatingKind::Target, rating: target, ..entry };
                assure_store::risks::insert_rating(&mut tx, id, &entry, "bench").await.unwrap();
                ratings += 1;
            }
        }
        for c in 0..3 {
            let control = NewControl {
                description: format!("Control {c}: reported to the board each quarter (fictional)"),
                owner: Some("Business Manager".into()),
                timeframe: Some("Quarterly".into()),
                in_place: c != 2,
            };
            assure_store::risks::insert_control(&mut tx, id, &control, "bench").await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    println!(
        "a register of {RISKS} risks with {YEARS} years of reviews ({ratings} ratings) written in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The strategy: five years ending with this one.
    let started = Instant::now();
    let now = assure_domain::strategy::Quarter::of(today);
    let from_year = now.year - STRATEGY_YEARS + 1;
    let mut tx = store.write().await.unwrap();
    let new = assure_domain::strategy::NewStrategy {
        name: "Large strategy (fictional)".into(),
        from_year,
        to_year: now.year,
        extended_to: None,
        arm: None,
    };
    let strategy = assure_store::strategy::insert_strategy(&mut tx, southend, &new, "bench").await.unwrap();
    let first = assure_domain::strategy::Quarter { year: from_year, q: 1 }.index();
    let mut updates = 0;
    for p in 0..PRIORITIES {
        let priority = assure_domain::strategy::NewPriority {
            number: format!("{}", p + 1),
            title: format!("Priority {p:02} (fictional)"),
            outcome: Some("Children and adults at risk are safer (fictional).".into()),
            measure: None,
            indicators: Vec::new(),
        };
        let priority = assure_store::strategy::insert_priority(&mut tx, strategy, &priority, "bench").await.unwrap();
        for a in 0..ACTIVITIES {
            let start = first + ((p * 7 + a * 5) % 20) as i32;
            let quarters: Vec<_> =
                (start..start + 1 + (a % 4) as i32).map(assure_domain::strategy::Quarter::from_index).collect();
            let new = assure_domain::strategy::NewActivity {
                title: format!("Activity {a:02} of priority {p:02} (fictional)"),
                quarters: quarters.clone(),
                body_id: None,
                organisation_id: None,
                lead: Some("Business Manager".into()),
            };
            let id = assure_store::strategy::insert_activity(&mut tx, southend, Some(priority), &new, "bench")
                .await
                .unwrap();
            for (i, q) in quarters.iter().enumerate() {
                let on = q.last_day() - chrono::Days::new(5);
                if on > today {
                    break;
                }
                let done = i + 1 == quarters.len() && (p + a) % 3 != 0;
                let u = assure_domain::strategy::NewUpdate {
                    on,
                    text: "Reported at the quarter's subgroup (fictional).".into(),
                    status: if done {
                        assure_domain::strategy::Status::Completed
                    } else {
                        assure_domain::strategy::Status::InProgress
                    },
                    rag: Some(if done {
                        assure_domain::strategy::Rag::Green
                    } else {
                        assure_domain::strategy::Rag::Amber
                    }),
                    marker: None,
                    marker_reason: None,
                    evidence: vec![format!("/actions/{}", a + 1)],
                };
                assure_store::strategy::insert_update(&mut tx, id, &u, "bench").await.unwrap();
                updates += 1;
            }
        }
    }
    tx.commit().await.unwrap();
    println!(
        "a strategy of {PRIORITIES} priorities of {ACTIVITIES} activities over {STRATEGY_YEARS} years ({updates} updates) written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let last_year = now.year - 1;
    let past_quarter = assure_domain::strategy::Quarter::from_index(now.index() - 2).code();

    let state = AppState::new(core.clone(), WebConfig { secure_cookies: false, ..WebConfig::default() });
    let router = assure_web::router(state);
    let session = support::sign_in(&router, "business.manager@example.org", PASSWORD).await;
    let risk = first_risk.unwrap();
    let manager = core.user_by_email("business.manager@example.org").await.unwrap().id;
    let token = format!("Bearer {}", core.create_token(&ctx, manager, "bench").await.unwrap());
    println!("{:<44} {:>9} {:>9} {:>8}", "page", "median", "slowest", "budget");
    for path in [
        format!("/strategy/{strategy}"),
        format!("/strategy/{strategy}/quarters/{past_quarter}"),
        format!("/strategy/{strategy}/years/{last_year}"),
        format!("/api/v1/strategies/{strategy}"),
        format!("/strategy/{strategy}/activities.xlsx"),
        format!("/strategy/{strategy}/quarters/{past_quarter}/report.pdf"),
        "/risk-registers".to_owned(),
        format!("/risk-registers/{register}"),
        format!("/risks/{risk}"),
        format!("/api/v1/risk-registers/{register}"),
        format!("/risk-registers/{register}/register.xlsx"),
        format!("/risk-registers/{register}/register.pdf"),
    ] {
        let mut times: Vec<Duration> = Vec::new();
        let mut size = 0;
        let runs = if path.ends_with(".pdf") { 3 } else { 10 };
        for _ in 0..runs {
            let t = Instant::now();
            let res = router
                .clone()
                .oneshot(if path.starts_with("/api/") {
                    Request::get(&path).header(header::AUTHORIZATION, &token).body(Body::empty()).unwrap()
                } else {
                    Request::get(&path).header(header::COOKIE, &session).body(Body::empty()).unwrap()
                })
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            size = res.into_body().collect().await.unwrap().to_bytes().len();
            times.push(t.elapsed());
        }
        times.sort();
        let budget = if path.contains('.') { 2000.0 } else { 200.0 };
        let median = ms(times[times.len() / 2]);
        println!(
            "{:<44} {:>7.1}ms {:>7.1}ms {:>7.2}x   ({size} bytes)",
            path,
            median,
            ms(times[times.len() - 1]),
            median / budget
        );
    }
    println!("peak memory: {:.1} MiB", support::peak_memory_kib() as f64 / 1024.0);
}
