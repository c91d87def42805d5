//! Meetings at the size of a large partnership: `cargo bench -p assure_web --bench meetings`.
//!
//! Loads the demo into a SQLite file, adds 20 bodies of 40 seats each (held by 400 people) with
//! five years of monthly meetings, every seat marked (60 meetings a body, 48,000 marks), then
//! times the forward plan (planning a body's next twelve months, and the `/meetings` page of
//! every body's meetings), a meeting page, the attendance review over the five years (page and
//! workbook), and importing a grid of 40 seats by 24 meetings, through the whole HTTP stack where
//! a person would use a page. Prints median and slowest times, peak memory and the ratio to the
//! budgets (200 ms a page, 2 s a download or an import).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use std::time::{Duration, Instant};

use assure_core::meetings::GridOptionsInput;
use assure_core::{Core, Settings};
use assure_domain::meetings::grid::{GridRow, GridText};
use assure_domain::meetings::{Mark, NewMeeting, PlanInput, Presence};
use assure_domain::structure::{ArmKind, BodyKind, Cadence, MembershipRole, NewBody, NewMembership, NewPerson};
use assure_domain::{BodyId, MembershipId};
use assure_store::Store;
use assure_web::{AppState, WebConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Datelike, Months, NaiveDate, NaiveTime};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";
const BODIES: usize = 20;
const SEATS: usize = 40;
const YEARS: u32 = 5;

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
    let first = NaiveDate::from_ymd_opt(today.year() - YEARS as i32, today.month(), 1).unwrap();

    let started = Instant::now();
    let mut tx = store.write().await.unwrap();
    let mut people = Vec::new();
    for i in 0..(BODIES * SEATS / 2) {
        let new = NewPerson {
            name: format!("Member {i:03} (fictional)"),
            job_title: None,
            email: None,
            organisation_id: None,
            restricted: false,
        };
        people.push(assure_store::structure::insert_person(&mut tx, southend, &new).await.unwrap());
    }
    let presences = [Presence::Present, Presence::Present, Presence::Remote, Presence::Deputy, Presence::Apologies];
    let mut bodies: Vec<BodyId> = Vec::new();
    let mut marks = 0;
    for b in 0..BODIES {
        let new = NewBody {
            name: format!("Subgroup {b:02} (fictional)"),
            kind: BodyKind::Subgroup,
            arm: Some(ArmKind::Children),
            parent_id: None,
            purpose: None,
            cadence: Cadence::Monthly,
            restricted: false,
        };
        let body = assure_store::structure::insert_body(&mut tx, southend, &new).await.unwrap();
        bodies.push(body);
        let mut seats: Vec<MembershipId> = Vec::new();
        for s in 0..SEATS {
            let new = NewMembership {
                person_id: people[(b * 17 + s) % people.len()],
                organisation_id: None,
                role: if s == 0 { MembershipRole::Chair } else { MembershipRole::Member },
                from_date: first,
                to_date: None,
            };
            seats.push(assure_store::structure::insert_membership(&mut tx, body, &new).await.unwrap());
        }
        for m in 0..(YEARS * 12) {
            let held_on = (first + Months::new(m)).with_day(10).unwrap();
            if held_on > today {
                break;
            }
            let new = NewMeeting {
                held_on,
                starts_at: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                ends_at: None,
                place: None,
            };
            let meeting = assure_store::meetings::insert_meeting(&mut tx, body, &new, "bench").await.unwrap();
            let marked: Vec<(MembershipId, Mark)> = seats
                .iter()
                .enumerate()
                .map(|(s, seat)| {
                    let presence = presences[(s + m as usize) % presences.len()];
                    let attended_by = presence.by_someone_else().then(|| "A deputy (fictional)".to_owned());
                    (*seat, Mark { presence, attended_by })
                })
                .collect();
            marks += marked.len();
            assure_store::meetings::set_marks(&mut tx, meeting, &marked, "bench").await.unwrap();
            for d in 0..2 {
                let decision = assure_domain::meetings::minutes::NewDecision {
                    item_id: None,
                    text: format!("Subgroup {b:02} agreed its work plan, part {d} (fictional)"),
                };
                assure_store::meetings::minutes::insert_decision(&mut tx, body, meeting, &decision, "bench")
                    .await
                    .unwrap();
            }
        }
    }
    tx.commit().await.unwrap();
    println!(
        "{BODIES} bodies of {SEATS} seats, {YEARS} years of monthly meetings, {marks} marks: loaded in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // The forward plan: a body's next twelve months from its pattern, in one transaction.
    let plan = PlanInput {
        week: "2".into(),
        weekday: "tuesday".into(),
        months: (1..=12).map(|m| m.to_string()).collect(),
        starts_at: "10:00".into(),
        ends_at: "12:00".into(),
        place: String::new(),
    };
    let t = Instant::now();
    let planned = core.plan_meetings(&ctx, bodies[0], today + chrono::Days::new(1), &plan).await.unwrap();
    let planning = t.elapsed();
    println!(
        "plan a body's next twelve months ({} meetings): {:.1} ms ({:.2}x the 200 ms budget)",
        planned.len(),
        ms(planning),
        ms(planning) / 200.0
    );

    let state = AppState::new(core.clone(), WebConfig { secure_cookies: false, ..WebConfig::default() });
    let router = assure_web::router(state);
    let session = support::sign_in(&router, "business.manager@example.org", PASSWORD).await;
    let (_, meetings, _) = core.meetings_of_body(&ctx, bodies[1]).await.unwrap();
    let held = meetings.iter().rev().find(|m| m.held_on <= today).unwrap().id;

    // The held meeting's agenda of twelve items, each minuted.
    let mut texts = Vec::new();
    for i in 0..12 {
        let input = assure_domain::meetings::agenda::AgendaItemInput {
            title: format!("Item {i} (fictional)"),
            purpose: "discussion".into(),
            minutes: "10".into(),
            ..Default::default()
        };
        let item = core.add_agenda_item(&ctx, held, &input).await.unwrap();
        texts.push((item.to_string(), "Members discussed the item and agreed the next steps. ".repeat(20)));
    }
    core.save_minutes(&ctx, held, &texts, None).await.unwrap();

    println!("{:<44} {:>9} {:>9} {:>8}", "page", "median", "slowest", "budget");
    for path in [
        "/meetings".to_owned(),
        format!("/bodies/{}/meetings", bodies[1]),
        format!("/meetings/{held}"),
        format!("/meetings/{held}/attendance"),
        format!("/bodies/{}/attendance", bodies[1]),
        format!("/bodies/{}/attendance.xlsx", bodies[1]),
        format!("/bodies/{}/attendance.csv", bodies[1]),
        format!("/meetings/{held}/minutes"),
        format!("/meetings/{held}/minutes.pdf"),
        "/decisions?q=work%20plan".to_owned(),
    ] {
        let mut times: Vec<Duration> = Vec::new();
        let mut size = 0;
        for _ in 0..10 {
            let t = Instant::now();
            let res = router
                .clone()
                .oneshot(Request::get(&path).header(header::COOKIE, &session).body(Body::empty()).unwrap())
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

    // A grid of 40 seats by 24 meetings, into a body of its own: read, then saved.
    let grid_body = core.create_body_for_grid(&ctx, southend, "Grid board (fictional)").await.unwrap();
    let dates: Vec<String> = (0..24u32).map(|m| (first + Months::new(m)).with_day(12).unwrap().to_string()).collect();
    let marks_written = ["✓", "Apologies", "Apologies – A Deputy attended", "", "Remote", "B Someone attended"];
    let grid = GridText {
        heading: "Seat".into(),
        heading_line: 1,
        dates: dates.clone(),
        rows: (0..SEATS)
            .map(|s| GridRow {
                line: s + 2,
                seat: format!("Grid Member {s:02} – member for an agency (fictional)"),
                cells: (0..dates.len()).map(|m| marks_written[(s + m) % marks_written.len()].to_owned()).collect(),
            })
            .collect(),
    };
    let input = GridOptionsInput { blank: "absent".into(), starts_at: "10:00".into() };
    let t = Instant::now();
    let preview = core.check_attendance_grid(&ctx, grid_body, grid.clone(), &input).await.unwrap();
    let checking = t.elapsed();
    assert!(preview.reading.is_ok(), "{:?}", preview.reading.errors);
    let t = Instant::now();
    let done = core.import_attendance_grid(&ctx, grid_body, &grid, &input).await.unwrap();
    let importing = t.elapsed();
    println!(
        "read a grid of {SEATS} seats by 24 meetings: {:.1} ms ({:.2}x the 200 ms budget)",
        ms(checking),
        ms(checking) / 200.0
    );
    println!(
        "import it ({} people, {} meetings, {} marks): {:.1} ms ({:.2}x the 2 s budget)",
        done.people_created,
        done.meetings_created,
        done.marks,
        ms(importing),
        ms(importing) / 2000.0
    );
    println!("peak memory: {:.1} MiB", support::peak_memory_kib() as f64 / 1024.0);
}
