//! Case reviews through the pages and the API: the pipeline on statutory clocks, refused
//! transitions, pauses, deadlines, restricted reads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

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
            .contains("Nothing is due in the next ten working days, and you own no open actions.")
    );
    app.finish().await;
}

/// An agency asked for its summary sends it on the request's page: the request is marked
/// returned, only the review's panel and the business unit open what was sent, every opening is
/// logged, and a program dressed as a document is refused with nothing kept.
#[tokio::test]
async fn an_agency_sends_its_summary_on_the_request_and_only_the_panel_and_business_unit_read_it() {
    let app = TestApp::empty(Backend::Sqlite).await;
    given_live_reviews(&app).await;
    let k = assure_domain::ReviewId(app.review_id("Child K").await);
    let police = assure_domain::OrganisationId(app.org_id("southend", "Essex Police").await);
    let cal = app.core.working_calendar().await.unwrap();
    let due = cal.add_working_days(chrono::Utc::now().date_naive(), 5);
    let request = app.request_information(k, police, "summary", due).await;
    let page_path = format!("/requests/{request}");
    // The police lead is sent from their tasks to the request, which does not name the review.
    let mut lead = app.sign_in("police.lead@example.org").await;
    let home = lead.get("/").await;
    assert!(home.body.contains(&format!("href=\"{page_path}\"")), "the task links to the request");
    let page = lead.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Essex Police asked for its summary") && !page.body.contains("Child K"));
    // A program named as a document is refused, and nothing is kept.
    let exe = lead
        .post_multipart(
            &format!("{page_path}/documents"),
            &[],
            &[("files", "summary.pdf", "application/pdf", b"MZ\x90\x00\x03\x00\x00\x00")],
        )
        .await;
    assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(exe.error_summary(), vec!["The file summary.pdf is not what its name says: its content is not a PDF"]);
    let nothing = lead.post_multipart(&format!("{page_path}/documents"), &[], &[]).await;
    assert_eq!(nothing.error_summary(), vec!["Choose the file to send"]);
    assert!(lead.get(&page_path).await.body.contains("Nothing has been sent yet."));
    // The summary is sent; the request is returned today.
    let pdf = b"%PDF-1.7\nEssex Police summary for the rapid review\n%%EOF\n";
    let sent = lead
        .post_multipart(
            &format!("{page_path}/documents"),
            &[],
            &[("files", "Police summary.pdf", "application/pdf", pdf)],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = lead.get(&format!("{page_path}?done=documents-sent")).await;
    assert_eq!(
        page.texts(".govuk-notification-banner__heading"),
        vec!["Sent: the review's panel and the business unit can now read it"]
    );
    let rows = page.texts("#documents tbody tr");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].starts_with("Police summary.pdf police lead"), "{rows:?}");
    assert!(page.texts("dd").iter().any(|d| d.starts_with("Returned")), "{:?}", page.texts("dd"));
    // The lead cannot open it again: only the panel and the business unit read it.
    let link = {
        let mut bm = app.sign_in("business.manager@example.org").await;
        let page = bm.get(&page_path).await;
        assert!(page.body.contains("Case review: Child K"));
        let link = page.attr("#documents a", "href");
        bm.request_id = Some("read-the-summary".into());
        let (status, headers, bytes) = bm.download(&link).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(bytes, pdf);
        assert!(headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"));
        assert!(app.read_logged("read-the-summary").await, "the business unit's read is logged");
        let rows = bm.get(&format!("/reviews/{k}")).await.texts("#requests tbody tr");
        assert!(rows.iter().any(|r| r.starts_with("Essex Police summary") && r.contains("Returned")), "{rows:?}");
        link
    };
    assert_eq!(lead.download(&link).await.0, StatusCode::NOT_FOUND);
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    assert_eq!(scrutineer.get(&page_path).await.status, StatusCode::OK, "the scrutineer sees the review");
    assert_eq!(scrutineer.download(&link).await.0, StatusCode::NOT_FOUND, "but not what agencies send its panel");
    // Someone neither asked nor able to see the review finds nothing, and cannot send.
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get(&page_path).await.status, StatusCode::NOT_FOUND);
    let refused = viewer
        .post_multipart(&format!("{page_path}/documents"), &[], &[("files", "x.pdf", "application/pdf", pdf)])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.download(&link).await.0, StatusCode::NOT_FOUND);
    let sends: Vec<_> = app.audit().await.into_iter().filter(|e| e.action == "request_documents").collect();
    assert_eq!(sends.len(), 1, "one send, by the lead");
    assert_eq!(sends[0].actor_label, "police.lead@example.org");
    app.finish().await;
}

/// The business unit records who is appointed to a review, with the agreed cost, and the
/// practitioner learning events with the agencies that attended: on the review's task pages and
/// through the API; the review's readers see them; others find nothing.
#[tokio::test]
async fn a_reviews_reviewer_costs_and_learning_events_are_recorded() {
    let app = TestApp::empty(Backend::Sqlite).await;
    given_live_reviews(&app).await;
    let k = app.review_id("Child K").await;
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let mut bm = app.sign_in("business.manager@example.org").await;
    let review = format!("/reviews/{k}");
    assert!(bm.get(&review).await.body.contains("No one has been appointed yet."));
    let appointments = format!("{review}/appointments");
    assert_eq!(bm.get(&appointments).await.texts("h1"), vec!["Appoint a reviewer or author"]);
    let bad = bm
        .post(
            &appointments,
            &[("role", "independent_reviewer"), ("name", ""), ("appointed_on", "2025-02-03"), ("cost", "six thousand")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.error_summary(),
        vec!["Enter their name", "Enter the agreed cost in pounds, like 4,500 or 4,500.50"]
    );
    assert_eq!(bad.attr("#cost", "value"), "six thousand", "what was typed is shown again");
    let ok = bm
        .post(
            &appointments,
            &[
                ("role", "independent_reviewer"),
                ("name", "Dr Morgan Ashby (fictional)"),
                ("appointed_on-day", "3"),
                ("appointed_on-month", "2"),
                ("appointed_on-year", "2025"),
                ("cost", "£6,000"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{:?}", ok.error_summary());
    let events = format!("{review}/learning-events");
    let none = bm
        .post(
            &events,
            &[("held_on", "2025-05-14"), ("title", "Practitioner event"), ("attendees", "18"), ("heard", "x")],
        )
        .await;
    assert_eq!(none.error_summary(), vec!["Select at least one agency whose practitioners attended"]);
    let ok = bm
        .post(
            &events,
            &[
                ("held_on", "2025-05-14"),
                ("title", "Practitioner learning event"),
                ("organisation_ids", &police),
                ("attendees", "18"),
                ("heard", "Staff did not know the escalation route."),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{:?}", ok.error_summary());
    let page = bm.get(&review).await;
    let rows = page.texts("#appointments tbody tr");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].starts_with("Independent reviewer Dr Morgan Ashby (fictional) 3 February 2025 £6,000"), "{rows:?}");
    assert_eq!(page.texts("#review-cost"), vec!["Agreed costs in all: £6,000"]);
    let event = page.texts("#learning-events").concat();
    assert!(event.contains("18 practitioners from Essex Police") && event.contains("escalation route"), "{event}");
    // The API lists them, and appoints an author too.
    let mut api = app.api("business.manager@example.org").await;
    let listed = api.get(&format!("/api/v1/reviews/{k}/appointments")).await.json();
    assert_eq!(listed["items"][0]["cost_pence"], 600_000);
    let author = api
        .json(
            Method::POST,
            &format!("/api/v1/reviews/{k}/appointments"),
            json!({"role": "author", "name": "Sam Writer (fictional)", "appointed_on": "2025-03-01", "cost_pence": 150050}),
        )
        .await;
    assert_eq!(author.status, StatusCode::CREATED, "{}", author.body);
    assert_eq!(author.json()["cost_pence"], 150_050);
    assert_eq!(bm.get(&review).await.texts("#review-cost"), vec!["Agreed costs in all: £7,500.50"]);
    let negative = api
        .json(
            Method::POST,
            &format!("/api/v1/reviews/{k}/appointments"),
            json!({"role": "author", "name": "X", "appointed_on": "2025-03-01", "cost_pence": -1}),
        )
        .await;
    assert_eq!(negative.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(negative.json()["errors"]["cost_pence"].is_array(), "{}", negative.body);
    let events = api.get(&format!("/api/v1/reviews/{k}/learning-events")).await.json();
    assert_eq!(events["items"][0]["attendees"], 18);
    // The scrutineer reads them; a viewer finds nothing and cannot add.
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    assert!(scrutineer.get(&review).await.body.contains("Dr Morgan Ashby"));
    assert_eq!(scrutineer.get(&appointments).await.status, StatusCode::FORBIDDEN);
    let mut viewer = app.api("viewer@example.org").await;
    assert_eq!(viewer.get(&format!("/api/v1/reviews/{k}/appointments")).await.status, StatusCode::NOT_FOUND);
    let actions: Vec<String> = app.audit().await.iter().map(|e| e.action.clone()).collect();
    assert_eq!(actions.iter().filter(|a| *a == "appoint").count(), 2);
    assert_eq!(actions.iter().filter(|a| *a == "learning_event").count(), 1);
    app.finish().await;
}

/// A review's own terms of reference are versioned documents, each with the date the panel
/// agreed it: the newest is in force, the earlier ones are kept, each opening is logged.
#[tokio::test]
async fn a_reviews_terms_of_reference_are_versioned_documents_agreed_by_its_panel() {
    let app = TestApp::empty(Backend::Sqlite).await;
    given_live_reviews(&app).await;
    let k = app.review_id("Child K").await;
    let review = format!("/reviews/{k}");
    let terms = format!("{review}/terms");
    let mut bm = app.sign_in("business.manager@example.org").await;
    assert_eq!(bm.get(&terms).await.texts("h1"), vec!["Add a version of the terms of reference"]);
    let nothing = bm.post_multipart(&terms, &[], &[]).await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(nothing.error_summary(), vec!["Enter the date the panel agreed them", "Choose the document"]);
    let exe = bm
        .post_multipart(
            &terms,
            &[("agreed_on-day", "2"), ("agreed_on-month", "1"), ("agreed_on-year", "2025")],
            &[("file", "terms.pdf", "application/pdf", b"MZ\x90\x00")],
        )
        .await;
    assert_eq!(exe.error_summary(), vec!["The file terms.pdf is not what its name says: its content is not a PDF"]);
    assert_eq!(exe.attr("#agreed_on-year", "value"), "2025", "the date typed is shown again");
    let v1 = b"%PDF-1.7\nTerms of reference, version 1\n%%EOF\n";
    let r = bm
        .post_multipart(
            &terms,
            &[("agreed_on-day", "2"), ("agreed_on-month", "1"), ("agreed_on-year", "2025")],
            &[("file", "Child K terms.pdf", "application/pdf", v1)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
    let r = bm
        .post_multipart(
            &terms,
            &[("agreed_on", "2025-02-10"), ("terms_note", "The school's involvement added.")],
            &[("file", "Child K terms v2.pdf", "application/pdf", b"%PDF-1.7\nversion 2\n%%EOF\n")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
    let page = bm.get(&review).await;
    let listed = page.texts("#review-terms li");
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(
        listed[0].starts_with("Version 2")
            && listed[0].contains("agreed by the panel on 10 February 2025 In force")
            && listed[0].contains("The school's involvement added."),
        "{listed:?}"
    );
    assert!(
        listed[1].starts_with("Version 1")
            && listed[1].contains("on 2 January 2025 (Child K terms.pdf")
            && !listed[1].contains("In force"),
        "{listed:?}"
    );
    let links = page.attrs("#review-terms a", "href");
    bm.request_id = Some("open-the-terms".into());
    let (status, _, bytes) = bm.download(&links[1]).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, v1.as_slice()));
    assert!(app.read_logged("open-the-terms").await);
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.download(&links[1]).await.0, StatusCode::NOT_FOUND);
    let mut api = app.api("business.manager@example.org").await;
    let listed = api.get(&format!("/api/v1/reviews/{k}/terms")).await.json();
    assert_eq!((listed["total"].as_i64(), listed["items"][0]["version"].as_i64()), (Some(2), Some(2)));
    assert_eq!(
        (listed["items"][0]["in_force"].as_bool(), listed["items"][1]["in_force"].as_bool()),
        (Some(true), Some(false))
    );
    let versions: Vec<String> =
        app.audit().await.iter().filter(|e| e.action == "terms").map(|e| e.detail.clone()).collect();
    assert_eq!(versions.len(), 2);
    app.finish().await;
}

/// A child's death is reviewed as a child death review (CDOP): the panel's findings (category,
/// modifiable factors, when reviewed) are recorded on the review, and the partnership's figures by
/// financial year come from them, for those who see its reviews.
#[tokio::test]
async fn child_death_reviews_record_the_panels_findings_and_give_the_years_figures() {
    let app = TestApp::empty(Backend::Sqlite).await;
    let southend = given_a_partnership(&app).await;
    let a = app.add_review(southend, ("cdr", "children", "Child D1"), "2024-06-03", &[]).await;
    let b = app.add_review(southend, ("cdr", "children", "Child D2"), "2024-09-02", &[]).await;
    let other = app.add_review(southend, ("lcspr", "children", "Child L"), "2024-09-02", &[]).await;
    let mut bm = app.sign_in("business.manager@example.org").await;
    let page = bm.get(&format!("/reviews/{a}")).await;
    assert!(page.body.contains("The panel has not recorded its findings yet."));
    assert!(page.attrs("#review-tasks a", "href").contains(&format!("/reviews/{a}/child-death")));
    let findings = format!("/reviews/{a}/child-death");
    let bad = bm.post(&findings, &[("category", ""), ("reviewed_on", "2025-02-30")]).await;
    assert_eq!(
        bad.error_summary(),
        vec![
            "Select the category of death",
            "Say whether the panel found modifiable factors",
            "The date the panel reviewed it must be a real date"
        ]
    );
    for (id, category, modifiable, on) in [(a, "perinatal", "no", "2025-01-14"), (b, "suicide", "yes", "2025-05-20")] {
        let r = bm
            .post(
                &format!("/reviews/{id}/child-death"),
                &[("category", category), ("modifiable", modifiable), ("reviewed_on", on)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
    }
    let shown = bm.get(&format!("/reviews/{a}")).await.texts("#child-death-findings dd");
    assert_eq!(shown, vec!["Perinatal or neonatal event", "No", "14 January 2025"]);
    // Correcting the findings replaces them; a review of another type has none to record.
    assert_eq!(bm.get(&findings).await.attr("#category option[selected]", "value"), "perinatal");
    let wrong = bm
        .post(
            &format!("/reviews/{other}/child-death"),
            &[("category", "suicide"), ("modifiable", "no"), ("reviewed_on", "2025-01-01")],
        )
        .await;
    assert_eq!(wrong.error_summary(), vec!["Only a child death review has the panel's findings"]);
    // The figures by financial year.
    let figures = bm.get("/child-deaths").await;
    assert_eq!(figures.texts("#child-deaths thead th"), vec!["Category", "2025-26", "2024-25"]);
    let rows = figures.texts("#child-deaths tbody tr");
    assert!(rows.contains(&"Suicide or deliberate self-inflicted harm 1 0".to_owned()), "{rows:?}");
    assert!(rows.contains(&"Perinatal or neonatal event 0 1".to_owned()), "{rows:?}");
    assert!(
        rows.contains(&"All deaths reviewed 1 1".to_owned())
            && rows.contains(&"With modifiable factors 1 0".to_owned()),
        "{rows:?}"
    );
    let mut api = app.api("scrutineer@example.org").await;
    let years = api.get("/api/v1/child-deaths").await.json();
    assert_eq!(years["items"][0]["by_category"]["suicide"], 1);
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get("/child-deaths").await.status, StatusCode::NOT_FOUND);
    assert!(app.audit().await.iter().any(|e| e.action == "findings"));
    app.finish().await;
}

/// Two people changing one review's themes: the second, who read them before the first's
/// change, is told and shown the first's, on the page and through the API (412).
#[tokio::test]
async fn a_reviews_themes_changed_meanwhile_are_not_overwritten() {
    let app = TestApp::empty(Backend::Sqlite).await;
    given_live_reviews(&app).await;
    let k = app.review_id("Child K").await;
    let mut first = app.sign_in("business.manager@example.org").await;
    let mut second = app.sign_in("business.manager@example.org").await;
    let task = format!("/reviews/{k}/themes");
    let theirs = first.get(&task).await;
    let mine = second.get(&task).await;
    let theme = |page: &support::Reply, n: usize| page.attrs("input[name=themes]", "value")[n].clone();
    let version = |page: &support::Reply| page.attr("input[name=version]", "value");
    let r = first.post(&task, &[("themes", &theme(&theirs, 0)), ("version", &version(&theirs))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let stale = second.post(&task, &[("themes", &theme(&mine, 1)), ("version", &version(&mine))]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        stale.error_summary(),
        vec![
            "Someone else changed this review's themes while you were editing it. This is their version: make your change again"
        ]
    );
    assert_eq!(stale.attrs("input[name=themes][checked]", "value"), vec![theme(&theirs, 0)], "their version is shown");
    // The API: the themes' ETag, and 412 for a change made from a stale one.
    let mut api = app.api("business.manager@example.org").await;
    let path = format!("/api/v1/reviews/{k}/themes");
    let read = api.get(&path).await;
    assert_eq!(read.json()["total"], 1);
    let etag = read.headers[axum::http::header::ETAG].to_str().unwrap().to_owned();
    api.if_match = Some(etag.clone());
    let id: i64 = theme(&theirs, 1).parse().unwrap();
    assert_eq!(api.json(Method::PUT, &path, json!({"theme_ids": [id]})).await.status, StatusCode::OK);
    let again = api.json(Method::PUT, &path, json!({"theme_ids": []})).await;
    assert_eq!(again.status, StatusCode::PRECONDITION_FAILED, "{}", again.body);
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
