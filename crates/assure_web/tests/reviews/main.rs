//! Case reviews through the pages and the API: the pipeline on statutory clocks, refused
//! transitions, pauses, deadlines, restricted reads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod conduct;
#[path = "../support/mod.rs"]
mod support;

use assure_domain::PartnershipId;
use assure_store::Backend;
use axum::http::{Method, StatusCode};
use serde_json::json;
use support::TestApp;

/// Southend (with Essex Police among its organisations) and Essex (with its own Essex Police);
/// Southend's business manager, a viewer, the scrutineer and Essex Police's agency lead; the
/// starter themes.
async fn given_a_partnership(app: &TestApp) -> PartnershipId {
    let southend = app.add_partnership("southend", "Southend Safeguarding Partnership").await;
    let essex = app.add_partnership("essex", "Essex Safeguarding Partnership").await;
    let police = app.add_organisation(southend, "Essex Police", "statutory_partner", "police").await;
    app.add_organisation(essex, "Essex Police", "statutory_partner", "police").await;
    app.add_account(southend, "business.manager@example.org", "business_unit", None, None).await;
    app.add_account(southend, "viewer@example.org", "viewer", None, None).await;
    app.add_account(southend, "scrutineer@example.org", "scrutineer", None, None).await;
    app.add_account(southend, "police.lead@example.org", "agency_lead", Some(police), None).await;
    app.add_starter_themes(southend).await;
    southend
}

/// Two live rapid reviews whose clocks run from today: Child J, recorded three working days ago
/// and not yet notified to the Panel; Child K, notified and in rapid review, which has asked three
/// agencies (Essex Police among them) for what they knew.
async fn given_live_reviews(app: &TestApp) -> PartnershipId {
    let southend = given_a_partnership(app).await;
    let cal = app.core.working_calendar().await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let back = |n: u32| cal.sub_working_days(today, n).to_string();
    app.add_review(southend, ("lcspr", "children", "Child J"), &back(3), &[]).await;
    let k = app
        .add_review(
            southend,
            ("lcspr", "children", "Child K"),
            &back(12),
            &[("notification", &back(10)), ("rapid_review", &back(9))],
        )
        .await;
    let police = assure_domain::OrganisationId(app.org_id("southend", "Essex Police").await);
    let trust = app
        .add_organisation(southend, "Essex Partnership University NHS Foundation Trust", "statutory_partner", "health")
        .await;
    let school =
        app.add_organisation(southend, "Pier Hill High School (fictional)", "relevant_agency", "education").await;
    app.request_information(k, police, "chronology", cal.add_working_days(today, 2)).await;
    app.request_information(k, trust, "summary", cal.add_working_days(today, 4)).await;
    app.request_information(k, school, "chronology", cal.add_working_days(today, 4)).await;
    southend
}

/// A review's type, arm and subject.
type Kind = (&'static str, &'static str, &'static str);

/// The reviews of a year's report with the themes each raised (as seed 003 lists them), and the
/// live Child J, not yet tagged.
async fn given_tagged_reviews(app: &TestApp) -> PartnershipId {
    let southend = given_live_reviews(app).await;
    let reviews: &[(Kind, &str, &[&str])] = &[
        (
            ("lcspr", "children", "Child F"),
            "2021-03-08",
            &[
                "Mental health",
                "Exploitation",
                "Neglect",
                "Housing and accommodation",
                "Missing episodes",
                "Transition",
                "Adultification",
                "Communication",
            ],
        ),
        (
            ("lcspr", "children", "Child H"),
            "2022-10-03",
            &[
                "Transition",
                "Engagement",
                "Mental health",
                "Physical health",
                "Adultification",
                "Housing and accommodation",
                "Missing episodes",
                "Communication",
            ],
        ),
        (("sar_mandatory", "adults", "SAR A"), "2021-11-01", &["Neglect", "Communication"]),
        (
            ("sar_discretionary", "adults", "SAR B"),
            "2022-05-09",
            &[
                "Housing and accommodation",
                "Risk assessment and management",
                "Escalation",
                "Planning and case management",
                "Mental health",
            ],
        ),
        (
            ("action_learning", "adults", "SAR C"),
            "2022-08-15",
            &["System failings in care homes", "Communication", "Escalation"],
        ),
        (
            ("sar_mandatory", "adults", "SAR D"),
            "2023-01-16",
            &[
                "Substance misuse",
                "Mental health",
                "Housing and accommodation",
                "Escalation",
                "Risk assessment and management",
                "Thresholds",
            ],
        ),
        (
            ("action_learning", "adults", "AT"),
            "2023-02-01",
            &[
                "Mental health",
                "Substance misuse",
                "Housing and accommodation",
                "Risk assessment and management",
                "Communication",
                "Planning and case management",
            ],
        ),
    ];
    for (kind, aware_on, themes) in reviews {
        let id = app.add_review(southend, *kind, aware_on, &[]).await;
        app.tag_review(southend, id, themes).await;
    }
    southend
}

async fn record(c: &mut support::Client<'_>, subject: &str, aware_on: &str) -> String {
    let r = c
        .post(
            "/reviews",
            &[
                ("type_code", "lcspr"),
                ("arm", "children"),
                ("subject", subject),
                ("aware_on", aware_on),
                ("summary", "Serious injury"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().split('?').next().unwrap().to_owned()
}

fn clock_row(page: &support::Reply, label: &str) -> String {
    page.texts("#clocks tbody tr")
        .into_iter()
        .find(|row| row.starts_with(label))
        .unwrap_or_else(|| panic!("no clock {label}"))
}

async fn a_rapid_review_runs_from_incident_to_decision_on_its_clocks(app: &TestApp) {
    let mut c = app.sign_in("business.manager@example.org").await;
    // Aware on Friday 20 December 2024: the Panel must be told by Tuesday 31 December.
    let review = record(&mut c, "Child Q", "2024-12-20").await;
    let page = c.get(&review).await;
    assert_eq!(page.texts("h1"), vec!["Child Q"]);
    assert!(
        clock_row(&page, "Notify the Child Safeguarding Practice Review Panel")
            .contains("Tuesday 31 December 2024 Overdue"),
        "{}",
        clock_row(&page, "Notify")
    );
    assert!(clock_row(&page, "Complete the rapid review").contains("Starts later"));
    // Publication cannot be planned before the partners decide to hold the review.
    let publication = format!("{review}/publication");
    let r = c.post(&publication, &[("planned_publication_on", "2025-01-10"), ("notice_sent_on", "")]).await;
    assert_eq!(r.error_summary(), vec!["Publication can be planned once the partners have decided to hold the review"]);

    let step = |to: &'static str, on: &'static str| vec![("to", to), ("on", on)];
    assert_eq!(
        c.post(&format!("{review}/move"), &step("notification", "2024-12-30")).await.status,
        StatusCode::SEE_OTHER
    );
    let page = c.get(&review).await;
    assert!(clock_row(&page, "Notify the Child Safeguarding Practice Review Panel").contains("Met"));
    // Notified Monday 30 December: 15 working days, past New Year's Day, is Tuesday 21 January.
    assert!(
        clock_row(&page, "Complete the rapid review").contains("Tuesday 21 January 2025"),
        "{}",
        clock_row(&page, "Complete the rapid review")
    );
    assert_eq!(
        c.post(&format!("{review}/move"), &step("rapid_review", "2024-12-31")).await.status,
        StatusCode::SEE_OTHER
    );

    // The decision needs its outcome, rationale and each statutory partner's sign-off.
    let bare = c.post(&format!("{review}/move"), &step("decision", "2025-01-20")).await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bare.error_summary(),
        vec![
            "Select the decision",
            "Enter the rationale for the decision",
            "Each statutory partner (local authority, police and ICB) must sign the decision off"
        ]
    );
    let mut decide = step("decision", "2025-01-20");
    decide.extend([
        ("decision", "review"),
        ("rationale", "Criteria met"),
        ("signed_la", "on"),
        ("signed_police", "on"),
        ("signed_icb", "on"),
    ]);
    assert_eq!(c.post(&format!("{review}/move"), &decide).await.status, StatusCode::SEE_OTHER);
    let page = c.get(&review).await;
    assert!(clock_row(&page, "Complete the rapid review").contains("Met"));
    assert!(
        // Six months from the decision is Sunday 20 July 2025: due the next working day.
        clock_row(&page, "Complete the review").contains("Monday 21 July 2025"),
        "{}",
        clock_row(&page, "Complete the review")
    );
    // Decided: publication is planned ahead, never in the past.
    let r = c.post(&publication, &[("planned_publication_on", "2025-01-10"), ("notice_sent_on", "")]).await;
    assert_eq!(r.error_summary(), vec!["The planned publication date must be today or later"]);
    let history = page.texts("#history tbody tr");
    assert_eq!(history.len(), 4, "{history:?}");
    assert!(history[3].starts_with("20 January 2025 Decision made business manager"), "{history:?}");
    let actions: Vec<String> =
        app.audit().await.iter().filter(|e| e.record_type == "review").map(|e| e.action.clone()).collect();
    assert!(actions.iter().filter(|a| *a == "transition").count() >= 3);
    assert!(actions.contains(&"read".to_owned()));

    // Published only with the notice to the Panel recorded, or why none was needed.
    for (to, on) in [("in_progress", "2025-02-03"), ("draft", "2025-05-01"), ("final_signoff", "2025-06-02")] {
        assert_eq!(c.post(&format!("{review}/move"), &step(to, on)).await.status, StatusCode::SEE_OTHER);
    }
    let bare = c.post(&format!("{review}/move"), &step("published", "2025-06-27")).await;
    assert_eq!(
        bare.error_summary(),
        vec![
            "Enter why no notice to the Panel and the Secretary of State was needed (or record the date it was sent, under Publication)"
        ]
    );
    let mut publish = step("published", "2025-06-27");
    publish.push(("notice_not_needed", "The Panel agreed by letter that no notice was needed."));
    assert_eq!(c.post(&format!("{review}/move"), &publish).await.status, StatusCode::SEE_OTHER);
    let page = c.get(&review).await;
    let notice = clock_row(&page, "Tell the Panel and the Secretary of State before publication");
    assert!(notice.contains("Not needed"), "{notice}");
}

async fn impossible_dates_and_skipped_stages_are_refused_and_change_nothing(app: &TestApp) {
    let mut c = app.sign_in("business.manager@example.org").await;
    let review = record(&mut c, "Child R", "2025-03-03").await;
    c.post(&format!("{review}/move"), &[("to", "notification"), ("on", "2025-03-05")]).await;
    let before = app.row_counts().await;
    let skip = c.post(&format!("{review}/move"), &[("to", "draft"), ("on", "2025-03-10")]).await;
    assert_eq!(
        skip.error_summary(),
        vec![
            "A review at \"Notified to the national Panel\" cannot move to \"Draft report\"; it can move to: Rapid review"
        ]
    );
    c.post(&format!("{review}/move"), &[("to", "rapid_review"), ("on", "2025-03-06")]).await;
    let early = c
        .post(
            &format!("{review}/move"),
            &[
                ("to", "decision"),
                ("on", "2025-03-04"),
                ("decision", "no_review"),
                ("rationale", "x"),
                ("signed_la", "on"),
                ("signed_police", "on"),
                ("signed_icb", "on"),
            ],
        )
        .await;
    assert_eq!(
        early.error_summary(),
        vec!["Decision made (4 March 2025) cannot be before panel notified (5 March 2025)"]
    );
    let future = c
        .post(
            "/reviews",
            &[("type_code", "lcspr"), ("arm", "children"), ("subject", "Child S"), ("aware_on", "2999-01-01")],
        )
        .await;
    assert_eq!(future.error_summary(), vec!["The date the partnership became aware cannot be in the future"]);
    let wrong_arm = c
        .post(
            "/reviews",
            &[("type_code", "sar_mandatory"), ("arm", "children"), ("subject", "SAR Z"), ("aware_on", "2025-01-01")],
        )
        .await;
    assert_eq!(wrong_arm.error_summary(), vec!["A safeguarding adults review (mandatory) belongs to the other arm"]);
    let named = c
        .post(
            "/reviews",
            &[
                ("type_code", "lcspr"),
                ("arm", "children"),
                ("subject", "Jane Mary Ann Smith"),
                ("aware_on", "2025-01-01"),
            ],
        )
        .await;
    assert_eq!(named.error_summary(), vec!["Use a pseudonym such as Child H or SAR B, not a name"]);
    let after = app.row_counts().await;
    let changed: Vec<_> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b && a.0 != "audit_log" && a.0 != "audit_head" && a.0 != "review_events")
        .collect();
    // Only the valid rapid-review step wrote (its review row and event).
    assert!(changed.is_empty(), "{changed:?}");
}

on_both!(given given_a_partnership;
    a_rapid_review_runs_from_incident_to_decision_on_its_clocks,
    impossible_dates_and_skipped_stages_are_refused_and_change_nothing
);

#[tokio::test]
async fn a_paused_review_stops_its_clocks_and_cannot_move_on_until_it_resumes() {
    let app = TestApp::empty(Backend::Sqlite).await;
    given_a_partnership(&app).await;
    let mut c = app.sign_in("business.manager@example.org").await;
    let review = record(&mut c, "Child P", "2025-06-02").await;
    c.post(&format!("{review}/move"), &[("to", "notification"), ("on", "2025-06-03")]).await;
    let before = clock_row(&c.get(&review).await, "Complete the rapid review");
    assert!(before.contains("Tuesday 24 June 2025"), "{before}");
    assert_eq!(
        c.post(&format!("{review}/pause"), &[("from", "2025-06-09"), ("pause_reason", "Criminal proceedings")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let paused = c.get(&review).await;
    assert!(clock_row(&paused, "Complete the rapid review").contains("Paused"));
    let blocked = c.post(&format!("{review}/move"), &[("to", "rapid_review"), ("on", "2025-06-10")]).await;
    assert_eq!(blocked.status, StatusCode::UNPROCESSABLE_ENTITY);
    let early = c.post(&format!("{review}/resume"), &[("resumed_on", "2025-06-01")]).await;
    assert_eq!(early.error_summary(), vec!["The review cannot resume before it paused (9 June 2025)"]);
    assert_eq!(
        c.post(&format!("{review}/resume"), &[("resumed_on", "2025-06-16")]).await.status,
        StatusCode::SEE_OTHER
    );
    // Five working days paused: the rapid review is now due a week later.
    let after = clock_row(&c.get(&review).await, "Complete the rapid review");
    assert!(after.contains("Tuesday 1 July 2025"), "{after}");
    app.finish().await;
}

#[tokio::test]
async fn the_deadlines_page_lists_open_clocks_soonest_first() {
    let app = TestApp::empty(Backend::Sqlite).await;
    given_live_reviews(&app).await;
    let mut c = app.sign_in("business.manager@example.org").await;
    let page = c.get("/deadlines").await;
    let rows = page.texts("#open-deadlines tbody tr");
    assert!(rows.len() >= 4, "{rows:?}");
    // Dates ascend down the table.
    let dues: Vec<chrono::NaiveDate> = page
        .texts("#open-deadlines tbody tr td:first-child")
        .iter()
        .map(|d| chrono::NaiveDate::parse_from_str(d, "%a %e %b %Y").unwrap_or_else(|_| panic!("{d}")))
        .collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "{dues:?}");
    assert!(
        rows.iter().any(|r| r.contains("Notify the Child Safeguarding Practice Review Panel") && r.contains("Child J"))
    );
    assert!(rows.iter().any(|r| r.contains("Complete the rapid review") && r.contains("Child K")));
    // A viewer sees no reviews at all, and no deadlines.
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert!(viewer.get("/deadlines").await.texts("#open-deadlines tbody tr").is_empty());
    app.finish().await;
}

/// Every review's clocks are kept computed between requests (the caseload); a change to their
/// inputs, by any use-case or by another process writing the database directly, shows on the
/// next request.
async fn the_deadlines_follow_a_change_to_their_inputs_on_the_next_request(app: &TestApp) {
    let mut bm = app.sign_in("business.manager@example.org").await;
    let rows = |page: &support::Reply| page.texts("#open-deadlines tbody tr").join("\n");
    let before = rows(&bm.get("/deadlines").await);
    assert_eq!(rows(&bm.get("/deadlines").await), before, "the same deadlines while nothing changes");
    assert!(before.contains("Child K") && before.contains("Essex Police to send its chronology"), "{before}");
    // Another process renames a review's subject and an organisation, outside every use-case.
    let mut tx = app.db.store.write().await.unwrap();
    sqlx::query("UPDATE reviews SET subject = 'Child Q' WHERE subject = 'Child K'").execute(&mut *tx).await.unwrap();
    sqlx::query("UPDATE organisations SET name = 'Essex Constabulary' WHERE name = 'Essex Police'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let after = rows(&bm.get("/deadlines").await);
    assert!(!after.contains("Child K") && after.contains("Child Q"), "{after}");
    assert!(after.contains("Essex Constabulary to send its chronology"), "{after}");
    // A use-case's change shows too: Child J's panel asks the police for a summary.
    let j = assure_domain::ReviewId(app.review_id("Child J").await);
    let police = assure_domain::OrganisationId(app.org_id("southend", "Essex Constabulary").await);
    let cal = app.core.working_calendar().await.unwrap();
    app.request_information(j, police, "summary", cal.add_working_days(chrono::Utc::now().date_naive(), 1)).await;
    let asked = rows(&bm.get("/deadlines").await);
    assert!(asked.contains("Essex Constabulary to send its summary"), "{asked}");
}

on_both!(given given_live_reviews; the_deadlines_follow_a_change_to_their_inputs_on_the_next_request);

#[tokio::test]
async fn the_api_records_and_moves_a_review_and_lists_deadlines() {
    let app = TestApp::empty(Backend::Sqlite).await;
    given_a_partnership(&app).await;
    let mut api = app.api("business.manager@example.org").await;
    let r = api
        .json(
            Method::POST,
            "/api/v1/reviews",
            json!({"type_code": "lcspr", "arm": "children", "subject": "Child V", "aware_on": "2024-12-20"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["clocks"][0]["due"], "2024-12-31");
    assert_eq!(r.json()["next_stages"], json!(["notification"]));
    let moved = api
        .json(
            Method::POST,
            &format!("/api/v1/reviews/{id}/transitions"),
            json!({"to": "notification", "on": "2024-12-23"}),
        )
        .await
        .json();
    assert_eq!(moved["stage"], "notification");
    assert_eq!(moved["clocks"][0]["state"], "met");
    let bad = api
        .json(Method::POST, &format!("/api/v1/reviews/{id}/transitions"), json!({"to": "closed", "on": "2024-12-24"}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.json()["errors"]["to"][0].as_str().unwrap().contains("cannot move to \"Closed\""));
    let deadlines = api.get("/api/v1/deadlines").await.json()["items"].clone();
    assert!(deadlines.as_array().unwrap().iter().any(|d| d["review_id"] == id && d["clock"]["code"] == "rapid_review"));
    app.finish().await;
}

#[tokio::test]
async fn themes_recur_across_reviews_by_year_type_and_together() {
    let app = TestApp::empty(Backend::Sqlite).await;
    given_tagged_reviews(&app).await;
    let mut c = app.sign_in("scrutineer@example.org").await;
    let page = c.get("/themes").await;
    assert_eq!(page.status, StatusCode::OK);
    let by_year = page.texts("#themes-by-year tbody tr");
    assert_eq!(page.texts("#themes-by-year thead th"), vec!["Theme", "2021", "2022", "2023", "All years"]);
    // Seed 003: three themes are raised by five reviews each, listed by name; mental health by
    // Child F (2021), Child H and SAR B (2022), SAR D and AT (2023).
    assert_eq!(
        &by_year[..3],
        &["Communication 2 2 1 5", "Housing and accommodation 1 2 2 5", "Mental health 1 2 2 5"],
        "{by_year:?}"
    );
    let together = page.texts("#themes-together tbody tr");
    let housing = together.iter().find(|r| r.starts_with("Housing and accommodation")).unwrap();
    // Housing goes with communication in three reviews (F, H, AT) and with mental health in all five.
    assert!(housing.starts_with("Housing and accommodation 3 5 5"), "{housing}");
    // The API gives the same counts.
    let mut api = app.api("viewer@example.org").await;
    let json = api.get("/api/v1/themes").await.json();
    assert_eq!(json["themes"][2]["theme"], "Mental health");
    assert_eq!(json["themes"][2]["total"], 5);
    assert_eq!(json["reviews_tagged"], 7);
    // The business manager retags a review; the counts follow.
    let mut bm = app.sign_in("business.manager@example.org").await;
    let child_j = app
        .core
        .reviews(
            &app.core.operator().await.unwrap(),
            app.core
                .my_partnerships(&app.core.operator().await.unwrap())
                .await
                .unwrap()
                .into_iter()
                .find(|p| p.slug == "southend")
                .unwrap()
                .id,
        )
        .await
        .unwrap()
        .into_iter()
        .find(|(r, _)| r.subject == "Child J")
        .unwrap()
        .0
        .id;
    let neglect = app
        .core
        .themes(&app.core.operator().await.unwrap(), assure_domain::PartnershipId(1))
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "Neglect")
        .unwrap()
        .id;
    let r = bm.post(&format!("/reviews/{child_j}/themes"), &[("themes", &neglect.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(bm.get(&format!("/reviews/{child_j}")).await.texts("#review-themes"), vec!["Neglect"]);
    let json = api.get("/api/v1/themes").await.json();
    assert_eq!(json["reviews_tagged"], 8);
    let bad = bm.post(&format!("/reviews/{child_j}/themes"), &[("themes", "999999")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // One theme is one name, whatever its case or spacing.
    let before = app.row_counts().await;
    let r = bm.post("/themes", &[("name", "  communication ")]).await;
    assert_eq!(r.error_summary(), vec!["“Communication” is already in the list"]);
    assert_eq!(app.row_counts().await, before);
    // The business unit renames a theme and merges another into it; the reviews follow.
    let core = &app.core;
    let theme_id = |name: &'static str| async move {
        let ctx = core.operator().await.unwrap();
        let themes = core.themes(&ctx, assure_domain::PartnershipId(1)).await.unwrap();
        themes.into_iter().find(|t| t.name == name).map(|t| t.id)
    };
    let communication = theme_id("Communication").await.unwrap();
    let page = bm.get(&format!("/themes/{communication}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let r = bm.post(&format!("/themes/{communication}/rename"), &[("name", "Mental  HEALTH")]).await;
    assert_eq!(r.error_summary(), vec!["“Mental health” is already in the list"]);
    let r = bm.post(&format!("/themes/{communication}/rename"), &[("name", "Communication between  agencies")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(theme_id("Communication between agencies").await, Some(communication));
    let r = bm.post(&format!("/themes/{neglect}/merge"), &[("into", &neglect.to_string())]).await;
    assert_eq!(r.error_summary(), vec!["Select the theme to merge it into from the list"]);
    let r = bm.post(&format!("/themes/{neglect}/merge"), &[("into", &communication.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(theme_id("Neglect").await, None, "the merged theme leaves the list");
    assert_eq!(
        bm.get(&format!("/reviews/{child_j}")).await.texts("#review-themes"),
        vec!["Communication between agencies"]
    );
    let by_year = bm.get("/themes").await.texts("#themes-by-year tbody tr");
    // Five reviews raised communication, and Child J (2024) raised neglect: six now.
    assert_eq!(by_year[0], "Communication between agencies 2 2 1 1 6", "{by_year:?}");
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.action == "rename" && e.detail.contains("Communication between agencies")));
    assert!(audit.iter().any(|e| e.action == "merge" && e.detail.contains(r#""from":"Neglect""#)));
    // The API does the same.
    let mut bm_api = app.api("business.manager@example.org").await;
    let r = bm_api.json(Method::POST, "/api/v1/themes", json!({"name": "Information  sharing"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["name"], "Information sharing");
    let sharing = r.json()["id"].as_i64().unwrap();
    let r = bm_api.json(Method::POST, "/api/v1/themes", json!({"name": "information sharing"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r =
        bm_api.json(Method::PUT, &format!("/api/v1/themes/{sharing}"), json!({"name": "Sharing information"})).await;
    assert_eq!(r.json()["name"], "Sharing information");
    let r = bm_api.json(Method::POST, &format!("/api/v1/themes/{sharing}/merge"), json!({"into": communication})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.json()["into"]["name"].as_str(), r.json()["reviews"].as_i64()),
        (Some("Communication between agencies"), Some(0))
    );
    // Only those who manage reviews rename or merge.
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    assert_eq!(scrutineer.get(&format!("/themes/{communication}")).await.status, StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test]
async fn agencies_are_asked_for_information_and_their_returns_are_tracked() {
    let app = TestApp::empty(Backend::Sqlite).await;
    given_a_partnership(&app).await;
    let mut c = app.sign_in("business.manager@example.org").await;
    let review = record(&mut c, "Child T", "2025-06-02").await;
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let essex_police = app.org_id("essex", "Essex Police").await.to_string();
    let today = chrono::Utc::now().date_naive();
    let due = (today + chrono::Duration::days(14)).to_string();
    let past = (today - chrono::Duration::days(1)).to_string();
    let late = c
        .post(&format!("{review}/requests"), &[("organisation_id", &police), ("kind", "chronology"), ("due_on", &past)])
        .await;
    assert_eq!(late.error_summary(), vec!["The date it is due cannot be in the past"]);
    let elsewhere = c
        .post(
            &format!("{review}/requests"),
            &[("organisation_id", &essex_police), ("kind", "chronology"), ("due_on", &due)],
        )
        .await;
    assert_eq!(elsewhere.error_summary(), vec!["Select the organisation from the list"]);
    let ok = c
        .post(&format!("{review}/requests"), &[("organisation_id", &police), ("kind", "chronology"), ("due_on", &due)])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = c.get(&review).await;
    let rows = page.texts("#requests tbody tr");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].starts_with("Essex Police chronology") && rows[0].contains("Due"), "{rows:?}");
    // It shows on the deadlines page.
    assert!(
        c.get("/deadlines")
            .await
            .texts("#open-deadlines tbody tr")
            .iter()
            .any(|r| r.contains("Essex Police to send its chronology") && r.contains("Child T"))
    );
    // Each task has a page of its own, linked from the review's summary page.
    assert!(page.attrs("#review-tasks a", "href").contains(&format!("{review}/returns")));
    assert!(page.texts("main form").is_empty(), "the summary page holds no form");
    let returns = c.get(&format!("{review}/returns")).await;
    assert_eq!(returns.texts("h1"), vec!["Record information returned"]);
    let request = returns.attr("#request_id option:nth-child(2)", "value");
    let future = (today + chrono::Duration::days(1)).to_string();
    let bad = c.post(&format!("{review}/returns"), &[("request_id", &request), ("returned_on", &future)]).await;
    assert_eq!(bad.error_summary(), vec!["The date it was returned cannot be in the future"]);
    let r =
        c.post(&format!("{review}/returns"), &[("request_id", &request), ("returned_on", &today.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let rows = c.get(&review).await.texts("#requests tbody tr");
    assert!(rows[0].contains("Returned"), "{rows:?}");
    // The API shows the same request, returned in time.
    let mut api = app.api("business.manager@example.org").await;
    let id = review.rsplit('/').next().unwrap();
    let json = api.get(&format!("/api/v1/reviews/{id}")).await.json();
    assert_eq!(json["requests"][0]["state"], "met");
    assert_eq!(json["requests"][0]["returned_on"], today.to_string());
    app.finish().await;
}

#[tokio::test]
async fn my_tasks_show_each_user_what_is_due_without_naming_reviews_they_may_not_see() {
    let app = TestApp::empty(Backend::Sqlite).await;
    given_live_reviews(&app).await;
    let mut bm = app.sign_in("business.manager@example.org").await;
    let tasks = bm.get("/").await.texts("#my-tasks tbody tr");
    assert!(
        tasks.iter().any(|t| t.contains("Notify the Child Safeguarding Practice Review Panel: Child J")),
        "{tasks:?}"
    );
    assert!(tasks.iter().any(|t| t.contains("Essex Police to send its chronology: Child K")), "{tasks:?}");
    // One list, soonest due first, whatever kind of task.
    let due: Vec<chrono::NaiveDate> = bm
        .get("/")
        .await
        .texts("#my-tasks tbody tr td:first-child")
        .iter()
        .map(|d| chrono::NaiveDate::parse_from_str(d, "%a %-d %b %Y").unwrap())
        .collect();
    assert!(due.windows(2).all(|w| w[0] <= w[1]), "{due:?}");
    // The Essex Police lead sees the request to Essex Police, but not which review asks.
    let mut lead = app.sign_in("police.lead@example.org").await;
    let page = lead.get("/").await;
    let tasks = page.texts("#my-tasks tbody tr");
    assert!(tasks.iter().any(|t| t.contains("A case review asks Essex Police for its chronology")), "{tasks:?}");
    assert!(!page.body.contains("Child K"), "the lead is not on Child K's panel");
    // On Child J's panel, the lead sees the review but not the business unit's clocks in their
    // tasks: those are on the deadlines page.
    let ctx = app.core.operator().await.unwrap();
    let child_j = assure_domain::ReviewId(app.review_id("Child J").await);
    app.core.add_to_panel(&ctx, child_j, "police.lead@example.org").await.unwrap();
    let page = lead.get("/").await;
    assert!(!page.texts("#my-tasks tbody tr").iter().any(|t| t.contains("Notify the")), "not theirs to do");
    assert!(lead.get("/deadlines").await.texts("#open-deadlines tbody tr").iter().any(|t| t.contains("Child J")));
    // A viewer has no tasks.
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert!(
        viewer
            .get("/")
            .await
            .body
            .contains("Nothing is due in the next ten working days, and you own no open actions, owe no papers, have no risk to review and no report's section to write.")
    );
    app.finish().await;
}

/// The home page lists the soonest twenty review deadlines and says how many more the deadlines
/// page has, however many reviews are running.
#[tokio::test]
async fn the_home_page_lists_the_soonest_deadlines_and_counts_the_rest() {
    let app = TestApp::empty(Backend::Sqlite).await;
    let southend = given_a_partnership(&app).await;
    let cal = app.core.working_calendar().await.unwrap();
    let today = chrono::Utc::now().date_naive();
    for n in 0..22 {
        let aware = cal.sub_working_days(today, 1 + n % 3).to_string();
        app.add_review(southend, ("lcspr", "children", &format!("Child N{n}")), &aware, &[]).await;
    }
    let mut bm = app.sign_in("business.manager@example.org").await;
    let home = bm.get("/").await;
    let tasks = home.texts("#my-tasks tbody tr");
    assert_eq!(tasks.len(), 20, "{tasks:?}");
    let more = home.texts("#more-deadlines").concat();
    assert!(more.starts_with("2 more review deadlines are due: see every deadline"), "{more}");
    // The read logged is of the twenty reviews the page names.
    let read = app.audit().await.into_iter().find(|e| e.action == "read" && e.record_type == "review").unwrap();
    let ids: serde_json::Value = serde_json::from_str(&read.detail).unwrap();
    assert_eq!(ids["ids"].as_array().unwrap().len(), 20, "{}", read.detail);
    assert_eq!(bm.get("/deadlines").await.texts("#open-deadlines tbody tr").len(), 22);
    app.finish().await;
}
