//! The strategy, work plans and the risk register (one test binary; the risk register's tests
//! are in `risks.rs`). The strategy and work plans through the pages: the demo's Strategic Plan 2020–23 on a page, a
//! quarter's progress report and a year's "little or no progress" derived from the updates as
//! they stood, with their downloads read back by independent tools; reporting progress (every bad
//! input named, nothing saved) by the business unit and by a subgroup's members on their own work
//! plan only; and the work plan item a subgroup's meeting is given.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulletins;
mod challenges;
mod finance;
mod inspections;
mod report_authors;
mod report_easy_read;
mod report_scrutiny;
mod report_sign_off;
mod reports;
mod risks;
#[path = "../support/mod.rs"]
mod support;
mod training;
mod training_mail;
mod voice;

use axum::http::StatusCode;
use support::TestApp;

async fn strategy(client: &mut support::Client<'_>) -> String {
    client.get("/strategy").await.attr("#strategies a", "href")
}

/// An activity's page address on the strategy's page, by its title's start.
async fn activity(client: &mut support::Client<'_>, strategy: &str, starts: &str) -> String {
    let page = client.get(strategy).await;
    let html = page.html();
    let sel = scraper::Selector::parse("#priorities a").unwrap();
    html.select(&sel)
        .find(|a| a.text().collect::<String>().starts_with(starts))
        .and_then(|a| a.value().attr("href"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no activity {starts}"))
}

async fn the_strategy_shows_on_a_page_by_priority_and_quarter(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let list = viewer.get("/strategy").await;
    assert_eq!(list.texts("#strategies li"), vec!["Strategic Plan 2020–23 (2020-21 to 2022-23, extended to 2023-24)"]);
    assert!(list.texts("#new").is_empty(), "a viewer starts no strategy");
    let s = strategy(&mut viewer).await;
    let page = viewer.get(&s).await;
    let header = page.texts("#grid thead th");
    assert_eq!(header.len(), 17, "the priority and sixteen quarters");
    assert_eq!((header[1].as_str(), header[16].as_str()), ("Q1 2020-21", "Q4 2023-24"));
    let rows = page.texts("#grid tbody tr");
    assert_eq!(rows.len(), 16);
    // 9.1's first activity, due in Q3 2020-21, was done; 9.3's second slipped in Q4 2021-22.
    let cells = |row: usize| -> Vec<String> {
        let html = page.html();
        let tr = scraper::Selector::parse("#grid tbody tr").unwrap();
        let td = scraper::Selector::parse("td").unwrap();
        let row = html.select(&tr).nth(row).unwrap();
        row.select(&td).map(|c| c.text().collect::<String>().trim().to_owned()).collect()
    };
    assert_eq!(cells(0)[1..4], ["1 continuing", "1 done", ""], "{:?}", cells(0));
    assert_eq!(cells(2)[6..8], ["1 continuing", "1 slipped"], "{:?}", cells(2));
    assert_eq!(page.texts("#priorities section h3").len(), 16);
    // The indicators beside a priority link to their pages.
    assert!(page.body.contains("href=\"/indicators/children.referral_rate\""));
    let (status, _, xlsx) = viewer.download(&format!("{s}/activities.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    let rows = assure_testing::workbook_rows(&xlsx);
    assert_eq!(rows.len(), 24, "a header and 23 activities");
    assert_eq!(rows[1][0], "9.1 Domestic abuse");
}

async fn a_quarters_report_and_a_years_little_progress_come_from_the_updates(app: &TestApp) {
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    let s = strategy(&mut scrutineer).await;
    let q = scrutineer.get(&format!("{s}/quarters/2021-Q4")).await;
    assert_eq!(q.status, StatusCode::OK);
    assert_eq!(
        q.texts("#summary"),
        vec![
            "As the records stood on 31 March 2022: 3 activities were due; 2 done, 1 slipped, 0 deferred or cancelled."
        ]
    );
    let slipped = q.texts("#slipped-table tbody tr");
    assert!(slipped[0].contains("Audit postponed twice"), "{slipped:?}");
    assert_eq!(scrutineer.get(&format!("{s}/quarters/2030-Q1")).await.status, StatusCode::NOT_FOUND);

    let y = scrutineer.get(&format!("{s}/years/2022")).await;
    assert!(
        y.texts("#summary")[0].starts_with(
            "As the records stood on 31 March 2023: of 6 activities due in 2022-23, 3 were completed. These 3"
        ),
        "{:?}",
        y.texts("#summary")
    );
    let rows = y.texts("#little-progress tbody tr");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("SSP supervision review") && r.contains("Not started, Red")));
    // 9.9 slipped at its quarter but was completed in the year: not listed.
    assert!(!rows.iter().any(|r| r.contains("recruitment")), "{rows:?}");
    let (status, _, pdf) = scrutineer.download(&format!("{s}/years/2022/report.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(info.contains("Title: Strategic Plan 2020–23: little or no progress in 2022-23"), "{info}");
    assert!(text.contains("SSP supervision review"), "{text}");
    let (status, _, docx) = scrutineer.download(&format!("{s}/quarters/2021-Q4/report.docx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(assure_testing::word_text(&docx).0.contains("Audit postponed twice"));
}

async fn progress_is_reported_by_the_business_unit_and_by_the_subgroup_that_leads_it(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let s = strategy(&mut bu).await;
    let one = activity(&mut bu, &s, "SSP supervision review").await;
    let before = app.row_counts().await;
    let r =
        bu.post(&one, &[("status", "in_progress"), ("evidence", "the shared drive"), ("marker", "development")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    assert!(errors.contains(&"Enter what was done, or why it slipped".to_owned()), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("\"the shared drive\" is not evidence")), "{errors:?}");
    assert!(errors.contains(&"Say why it is an area for development".to_owned()), "{errors:?}");
    assert_eq!(app.row_counts().await, before, "nothing saved");
    let r = bu
        .post(
            &one,
            &[
                ("text", "Scoping agreed with the designated leads"),
                ("status", "in_progress"),
                ("rag", "amber"),
                ("evidence", "/audits/1\nhttps://example.org/scope.pdf"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&one).await;
    assert_eq!(page.texts("#status-value"), vec!["In progress Amber"]);
    assert!(page.texts("#update-list tbody tr")[0].contains("Scoping agreed"));
    assert!(app.audit().await.iter().any(|e| e.action == "progress" && e.record_type == "activity"));

    // The Child Practice Review's member reports on their group's work plan, not another's.
    let ctx = app.core.operator().await.unwrap();
    let cpr = app.body_id("southend", "Child Practice Review").await;
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let now = assure_domain::strategy::Quarter::of(chrono::Utc::now().date_naive());
    let input = assure_domain::strategy::ActivityInput {
        title: "Publish the review's learning briefing".into(),
        quarters: vec![now.code()],
        body_id: cpr.to_string(),
        ..Default::default()
    };
    let own = app.core.add_activity(&ctx, southend, None, &input).await.unwrap();
    let mut member = app.sign_in("cpr.member@example.org").await;
    let r =
        member.post(&format!("/activities/{own}"), &[("text", "Briefing drafted"), ("status", "in_progress")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = member.post(&one, &[("text", "Not mine"), ("status", "completed")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A restricted group's work plan is not shown to a viewer.
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get(&format!("/bodies/{cpr}/work-plan")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.get(&format!("/activities/{own}")).await.status, StatusCode::NOT_FOUND);
}

async fn activities_are_scheduled_inside_the_strategy_and_on_work_plans(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let s = strategy(&mut bu).await;
    let page = bu.get(&s).await;
    let add = page.attrs("#priorities a", "href").into_iter().find(|h| h.ends_with("/activities")).unwrap();
    let r = bu.post(&add, &[("title", "Peer review with a neighbouring partnership"), ("quarters", "2024-Q1")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Q1 2024-25 is outside the strategy's period, Q1 2020-21 to Q4 2023-24"]);
    let r = bu.post(&add, &[("title", "Peer review with a neighbouring partnership"), ("quarters", "2023-Q3")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The Learning and Development work plan: this year's activities, and one added.
    let ld = app.body_id("southend", "Learning and Development").await;
    let plan = bu.get(&format!("/bodies/{ld}/work-plan")).await;
    assert_eq!(plan.texts("#work-plan tbody tr").len(), 3 + 6, "its own three and six of the strategy's");
    let r = bu.post(&format!("/bodies/{ld}/work-plan"), &[("title", "Multi-agency training needs analysis")]).await;
    assert_eq!(r.error_summary(), vec!["Select at least one quarter it is scheduled in"]);
    let now = assure_domain::strategy::Quarter::of(chrono::Utc::now().date_naive());
    let next = now.next().code();
    let r = bu
        .post(
            &format!("/bodies/{ld}/work-plan"),
            &[("title", "Multi-agency training needs analysis"), ("quarters", &next)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // A meeting of the group planned in this quarter is given a work plan item.
    let day = now.last_day() - chrono::Days::new(2);
    let day = if day < chrono::Utc::now().date_naive() { chrono::Utc::now().date_naive() } else { day };
    let r = bu.post(&format!("/bodies/{ld}/meetings"), &[("held_on", &day.to_string()), ("starts_at", "10:00")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let meeting = r.location().split('?').next().unwrap().to_owned();
    let items = bu.get(&meeting).await.texts("#agenda-items tbody tr");
    assert!(
        items.iter().any(|i| i.contains(&format!("Work plan progress: 2 activities scheduled in {}", now.words()))),
        "{items:?}"
    );
}

async fn a_priority_shows_its_indicators_latest_figures_and_trend(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let s = strategy(&mut viewer).await;
    let page = viewer.get(&s).await;
    let line = page
        .texts("#priorities li")
        .into_iter()
        .find(|l| l.starts_with("Referral rate per 10,000 children"))
        .unwrap_or_else(|| panic!("{:?}", page.texts("#priorities li")));
    assert!(line.contains(" in ") && line.contains("(was ") && line.contains("Trend: "), "{line}");
}

on_both!(demo [Strategy, Intelligence]; a_priority_shows_its_indicators_latest_figures_and_trend);

on_both!(demo [Strategy]; the_strategy_shows_on_a_page_by_priority_and_quarter, a_quarters_report_and_a_years_little_progress_come_from_the_updates, progress_is_reported_by_the_business_unit_and_by_the_subgroup_that_leads_it, activities_are_scheduled_inside_the_strategy_and_on_work_plans);
