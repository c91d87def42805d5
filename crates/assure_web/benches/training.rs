//! The training report at the size of a busy partnership: `cargo bench -p assure_web --bench training`.
//!
//! Loads the demo's structure, accounts and training into a SQLite file, then adds five years of
//! 400 sessions (eight events of ten sessions a year) and 20,000 bookings spread over the
//! partnership's agencies (registers taken, half evaluated); then times the attendance-by-agency
//! report over the five years through the whole HTTP stack (the page, its CSV download and the
//! API) and the use-case alone. Prints median and slowest times, peak memory and the ratio to the
//! budgets (200 ms a page, 2 s a download).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use std::time::{Duration, Instant};

use assure_core::demo::DemoPart;
use assure_core::{Core, Settings};
use assure_domain::training::{Attendance, EventInput, SessionInput};
use assure_store::Store;
use assure_store::training::PastBooking;
use assure_web::{AppState, WebConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";
const YEARS: i32 = 5;
const EVENTS: usize = 8;
const SESSIONS_A_YEAR: usize = 10;
const BOOKINGS_A_SESSION: usize = 50;

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
    core.load_demo_parts(PASSWORD, &[DemoPart::Training]).await.unwrap();
    let ctx = core.operator().await.unwrap();
    let southend = core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let (orgs, _) = core.organisations(&ctx, southend, false, assure_core::structure::Page::ALL).await.unwrap();

    let started = Instant::now();
    let first_year = 2040;
    let kinds = ["course", "conference", "lunch_and_learn", "briefing", "roll_out", "e_learning", "workshop", "course"];
    let mut sessions = 0;
    let mut bookings = 0;
    for (e, kind) in kinds.iter().enumerate().take(EVENTS) {
        let input =
            EventInput { title: format!("Bench event {e} (fictional)"), kind: (*kind).into(), ..Default::default() };
        let event = core.create_training_event(&ctx, southend, &input).await.unwrap();
        for year in 0..YEARS {
            for s in 0..SESSIONS_A_YEAR {
                let on = chrono::NaiveDate::from_ymd_opt(first_year + year, 4, 1).unwrap()
                    + chrono::Days::new((s * 30 + e) as u64);
                let input = SessionInput {
                    on: on.to_string(),
                    starts_at: "10:00".into(),
                    ends_at: "12:00".into(),
                    place: "Civic Centre".into(),
                    capacity: "60".into(),
                    ..Default::default()
                };
                let session = core.add_training_session(&ctx, event, &input).await.unwrap();
                sessions += 1;
                let rows: Vec<PastBooking> = (0..BOOKINGS_A_SESSION)
                    .map(|n| {
                        let org = &orgs[(n * 7 + s) % orgs.len()];
                        PastBooking {
                            organisation_id: Some(org.id),
                            sector: org.sector,
                            attendance: Some(match n % 20 {
                                0 => Attendance::NoShow,
                                1 => Attendance::LateCancellation,
                                _ => Attendance::Attended,
                            }),
                            champion: None,
                            evaluation: (n % 2 == 0).then_some((2, 4, 4)),
                            token_hash: format!("bench-{session}-{n}"),
                        }
                    })
                    .collect();
                let mut tx = store.write().await.unwrap();
                assure_store::training::insert_past_bookings(&mut tx, session, &rows, &format!("{on}T00:00:00Z"))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                bookings += rows.len();
            }
        }
    }
    println!(
        "{sessions} sessions and {bookings} bookings over {YEARS} years written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let from = format!("{first_year}-04-01");
    let to = format!("{}-03-31", first_year + YEARS);

    let state = AppState::new(core.clone(), WebConfig { secure_cookies: false, ..WebConfig::default() });
    let router = assure_web::router(state);
    let session = support::sign_in(&router, "business.manager@example.org", PASSWORD).await;
    let manager = core.user_by_email("business.manager@example.org").await.unwrap().id;
    let token = format!("Bearer {}", core.create_token(&ctx, manager, "bench").await.unwrap());
    println!("{:<72} {:>9} {:>9} {:>8}", "attendance by agency over five years", "median", "slowest", "budget");
    let mut times: Vec<Duration> = Vec::new();
    let (f, t) = (
        chrono::NaiveDate::parse_from_str(&from, "%Y-%m-%d").unwrap(),
        chrono::NaiveDate::parse_from_str(&to, "%Y-%m-%d").unwrap(),
    );
    let mut attended = 0;
    for _ in 0..10 {
        let started = Instant::now();
        let r = core.training_report(&ctx, southend, f, t).await.unwrap();
        times.push(started.elapsed());
        attended = r.total.attended;
    }
    times.sort();
    println!(
        "{:<72} {:>7.1}ms {:>7.1}ms {:>7.2}x   ({attended} attended, {} agencies)",
        "the use-case (training_report)",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        ms(times[times.len() / 2]) / 200.0,
        orgs.len()
    );
    for path in [
        format!("/training/report?from={from}&to={to}"),
        format!("/training/report.csv?table=organisation&from={from}&to={to}"),
        format!("/api/v1/training/report?partnership=southend&from={from}&to={to}"),
    ] {
        let mut times: Vec<Duration> = Vec::new();
        let mut size = 0;
        for _ in 0..10 {
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
        let budget = if path.contains(".csv") { 2000.0 } else { 200.0 };
        let median = ms(times[times.len() / 2]);
        println!(
            "{:<72} {:>7.1}ms {:>7.1}ms {:>7.2}x   ({size} bytes)",
            path.split('?').next().unwrap(),
            median,
            ms(times[times.len() - 1]),
            median / budget
        );
    }
    println!("peak memory: {:.1} MiB", support::peak_memory_kib() as f64 / 1024.0);
}
