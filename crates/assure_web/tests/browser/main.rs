//! Browser tests in real headless Chromium through ChromeDriver: a business manager's journey
//! through the pages, and axe-core's WCAG 2.2 AA rules on every page they check, at desktop
//! width and at 320 CSS pixels, where no page may scroll sideways (any violation fails).
//!
//! Needs ASSURE_TEST_CHROMEDRIVER and ASSURE_TEST_CHROMIUM (scripts/test sets them).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod driver;
mod fixtures;
#[path = "../support/mod.rs"]
mod support;

use assure_store::Backend;
use fantoccini::{Client, Locator};
use support::TestApp;

use driver::*;
use fixtures::*;

#[tokio::test]
async fn every_main_page_passes_axe_wcag_2_2_aa() {
    let app = TestApp::new(Backend::Sqlite).await;
    let base = serve(&app).await;
    let driver = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;

    let mut failures = Vec::new();
    c.goto(&format!("{base}/sign-in")).await.unwrap();
    for v in axe(&c).await {
        failures.push(format!("/sign-in: {v}"));
    }
    // The public's training pages, as someone without an account: a session's booking page (and
    // with its errors), a booking's own page after the session (the evaluation form), and a
    // manager's countersignature.
    for page in public_training_pages(&app).await {
        c.goto(&format!("{base}{page}")).await.unwrap();
        for v in axe(&c).await {
            failures.push(format!("{page}: {v}"));
        }
        if page.starts_with("/book/") || page.ends_with("/feedback") || page.contains("/surveys/") {
            submit_form(&c, &page).await;
            c.wait().for_element(Locator::Css(".govuk-error-summary__title")).await.unwrap();
            for v in axe(&c).await {
                failures.push(format!("{page} with errors: {v}"));
            }
        }
    }
    sign_in(&c, &base, "admin@example.org").await;
    let org = app.org_id("southend", "Essex Police").await;
    let body = app.body_id("southend", "Child Practice Review").await;
    let person = app.person_id("Jules Carver").await;
    let user = app.core.user_by_email("police.lead@example.org").await.unwrap().id;
    // The children's board's last meeting held, with its attendance.
    let board = app.body_id("southend", "SSP Children's Board (SSPC)").await;
    let today = chrono::Utc::now().date_naive();
    let held = app
        .core
        .meetings_of_body(&app.core.operator().await.unwrap(), assure_domain::BodyId(board))
        .await
        .unwrap()
        .1
        .into_iter()
        .rev()
        .find(|m| m.held_on <= today && m.cancelled_reason.is_none())
        .unwrap()
        .id;
    // An item of that meeting with its paper.
    let item = app
        .core
        .meeting(&app.core.operator().await.unwrap(), held)
        .await
        .unwrap()
        .agenda
        .items
        .into_iter()
        .find(|v| !v.papers.is_empty())
        .unwrap()
        .item
        .id;
    // The open joint Section 11 campaign: its analysis against the 2019 cycle, and the police
    // return with a moderated score, a challenge and a document.
    let ctx = app.core.operator().await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let open = app.core.campaigns(&ctx, southend).await.unwrap()[0].0.id;
    let police_return = app
        .core
        .campaign(&ctx, open)
        .await
        .unwrap()
        .assessments
        .into_iter()
        .find(|a| a.organisation_name == "Essex Police" && a.organisation_partnership == southend)
        .unwrap()
        .id;
    let register = app.core.risk_registers(&ctx, southend).await.unwrap()[0].register.id;
    let risk = app.core.risk_register(&ctx, register).await.unwrap().lines[0].risk.id;
    let strategy = app.core.strategies(&ctx, southend).await.unwrap()[0].id;
    let view = app.core.strategy(&ctx, strategy).await.unwrap();
    let (priority, activity) = (view.rows[0].priority.id, view.rows[0].activities[0].id);
    let ld = app.body_id("southend", "Learning and Development").await;
    let programme = app.core.training(&ctx, southend).await.unwrap();
    let (event, sessions) =
        programme.events.iter().find(|(e, _)| e.title == "Professional curiosity: lunch and learn").unwrap();
    let (event, held_session) = (event.id, sessions[0].id);
    let budget = app.core.budget_of_year(&ctx, southend, 2019).await.unwrap();
    let budget_line = budget.worked.expenditure[0].lines[0].line.id;
    let budget = budget.worked.budget.id;
    let log = app.core.challenges(&ctx, southend, assure_core::challenges::Filter::default()).await.unwrap();
    let flagged = log.entries.iter().find(|e| e.flagged).unwrap().challenge.id;
    let closed = log.entries.iter().find(|e| e.challenge.closure.is_some()).unwrap().challenge.id;
    let inspections = app.core.inspections(&ctx, southend, None).await.unwrap();
    let inspection_of =
        |kind: &str| inspections.items.iter().find(|l| l.inspection.type_code == kind).unwrap().inspection.id;
    let (ofsted, jtai, unpublished) = (inspection_of("ofsted_sif"), inspection_of("jtai"), inspection_of("cqc_clas"));
    let police_org = app.org_id("southend", "Essex Police").await;
    let inbox = app.core.feedback_inbox(&ctx, southend).await.unwrap();
    let feedback = inbox.items.iter().find(|f| f.routed_to.is_some()).unwrap().id;
    let said_did = app.core.said_did_list(&ctx, southend).await.unwrap().entries[0].id;
    let survey = app.core.surveys(&ctx, southend).await.unwrap().surveys[0].0.id;
    let bulletins = app.core.bulletins(&ctx, southend).await.unwrap().bulletins;
    let (published_bulletin, draft_bulletin) = (
        bulletins.iter().find(|b| b.number.is_some()).unwrap().id,
        bulletins.iter().find(|b| b.number.is_none()).unwrap().id,
    );
    let report = app.core.reports(&ctx, southend).await.unwrap().reports[0].id;
    let report_comment = app.core.report(&ctx, report).await.unwrap().comments[0].id;
    let published_report = app.core.reports(&ctx, southend).await.unwrap().reports[1].id;
    let reports = app.core.reports(&ctx, southend).await.unwrap().reports;
    let of_kind = |k| reports.iter().find(|r| r.kind == k).unwrap().id;
    let scrutiny_report = of_kind(assure_domain::reports::ReportKind::Scrutiny);
    let easy_read_report = of_kind(assure_domain::reports::ReportKind::EasyRead);
    let adults_report = of_kind(assure_domain::reports::ReportKind::Adults);
    let scrutiny_rec = app.core.report_scrutiny(&ctx, scrutiny_report).await.unwrap().recommendations[0].id;
    let returns = app.core.data_returns(&ctx, southend).await.unwrap();
    let return_of = |code: &str, status: &str| {
        returns
            .iter()
            .find(|(r, _)| r.template_code == code && assure_domain::structure::Choice::code(r.status) == status)
            .unwrap()
            .0
            .id
    };
    let (lado_validated, lado_submitted) = (return_of("lado", "validated"), return_of("lado", "submitted"));
    let annual_owed = return_of("annual_report", "owed");
    let templates = app.core.return_templates(&ctx, Some(southend)).await.unwrap();
    let lado_template = templates.iter().find(|t| t.code == "lado").unwrap().id;
    let pages = [
        format!("/returns/{lado_validated}"),
        format!("/returns/{lado_submitted}"),
        format!("/returns/{annual_owed}"),
        "/returns/templates".into(),
        format!("/returns/templates/{lado_template}"),
        "/returns/figures/lado".into(),
        "/returns/figures/annual_report".into(),
        "/reports".into(),
        format!("/reports/{report}"),
        format!("/reports/{report}/sections/foreword"),
        format!("/reports/{report}/sign-off"),
        format!("/reports/{report}/gaps/no-meetings"),
        format!("/reports/{report}/comments/{report_comment}"),
        format!("/reports/{published_report}"),
        format!("/reports/{published_report}/sign-off"),
        format!("/reports/{scrutiny_report}"),
        format!("/reports/{scrutiny_report}/scrutiny"),
        format!("/reports/{scrutiny_report}/scrutiny/recommendations/{scrutiny_rec}"),
        format!("/reports/{scrutiny_report}/sign-off"),
        format!("/reports/{easy_read_report}"),
        format!("/reports/{easy_read_report}/sections/what_we_did"),
        format!("/reports/{adults_report}/sections/next_year"),
        "/reports/asked".into(),
        "/reports/easy-read-check".into(),
        "/bulletins".into(),
        format!("/bulletins/{published_bulletin}"),
        format!("/bulletins/{draft_bulletin}"),
        "/surveys".into(),
        format!("/surveys/{survey}"),
        "/feedback".into(),
        format!("/feedback/{feedback}"),
        "/you-said-we-did".into(),
        format!("/you-said-we-did/{said_did}"),
        "/inspections".into(),
        format!("/inspections?organisation={police_org}"),
        "/inspections/new".into(),
        format!("/inspections/{ofsted}"),
        format!("/inspections/{ofsted}/edit"),
        format!("/inspections/{jtai}"),
        format!("/inspections/{unpublished}"),
        format!("/inspections/agencies/{police_org}"),
        "/plan?source=inspection".into(),
        "/challenges".into(),
        format!("/challenges/{flagged}"),
        format!("/challenges/{closed}"),
        "/training".into(),
        format!("/training/events/{event}"),
        format!("/training/sessions/{held_session}"),
        "/training/report?from=2022-04-01&to=2023-03-31".into(),
        "/training/report".into(),
        "/training/charges".into(),
        "/training/settings".into(),
        "/finance".into(),
        format!("/budgets/{budget}"),
        format!("/budget-lines/{budget_line}"),
        "/strategy".into(),
        format!("/strategy/{strategy}"),
        format!("/strategy/{strategy}/quarters/2021-Q4"),
        format!("/strategy/{strategy}/years/2022"),
        format!("/priorities/{priority}"),
        format!("/priorities/{priority}/activities"),
        format!("/activities/{activity}"),
        format!("/activities/{activity}/edit"),
        format!("/bodies/{ld}/work-plan"),
        "/risk-registers".into(),
        format!("/risk-registers/{register}"),
        format!("/risk-registers/{register}/matrix"),
        format!("/risk-registers/{register}/risks"),
        format!("/risks/{risk}"),
        format!("/risks/{risk}/edit"),
        format!("/audits/{open}"),
        format!("/audits/{open}/analysis"),
        format!("/audits/{open}/analysis?scores=moderated&sector=police"),
        format!("/audits/{open}/analysis?sector=spaceships"),
        format!("/audits/assessments/{police_return}"),
        "/dashboard/children".into(),
        "/extracts".into(),
        "/dashboard/adults".into(),
        "/returns".into(),
        "/returns/1".into(),
        "/extracts/1".into(),
        "/indicators/children.referral_rate".into(),
        "/indicators/children.rereferral_percent".into(),
        "/indicators/adults.concerns_rate".into(),
        "/indicators/children.contact_conversion_percent".into(),
        "/dashboard/figures".into(),
        "/".to_owned(),
        "/organisations".into(),
        format!("/organisations/{org}"),
        "/organisations/new".into(),
        format!("/organisations/{org}/edit"),
        format!("/organisations/{org}/end"),
        "/people".into(),
        format!("/people/{person}"),
        "/people/new".into(),
        "/bodies".into(),
        format!("/bodies/{body}"),
        "/bodies/new".into(),
        format!("/bodies/{body}/members"),
        "/meetings".into(),
        format!("/bodies/{board}/meetings"),
        format!("/bodies/{board}/meetings/plan"),
        format!("/meetings/{held}"),
        format!("/meetings/{held}/attendance"),
        format!("/meetings/{held}/edit"),
        format!("/meetings/{held}/cancel"),
        format!("/meetings/{held}/agenda"),
        format!("/agenda/{item}"),
        format!("/bodies/{board}/business-cycle"),
        format!("/meetings/{held}/minutes"),
        "/decisions?q=board".into(),
        format!("/bodies/{board}/attendance"),
        format!("/bodies/{board}/attendance/import"),
        "/account/calendar".into(),
        format!("/bodies/{body}/terms"),
        "/users".into(),
        format!("/users/{user}"),
        "/users/new".into(),
        "/users/second-factor-policy".into(),
        "/audit".into(),
        "/account".into(),
        "/account/password".into(),
        "/account/second-factor".into(),
        "/reviews".into(),
        "/reviews/new".into(),
        format!("/reviews/{}", app.review_id("Child K").await),
        format!("/reviews/{}/move", app.review_id("Child K").await),
        format!("/reviews/{}/requests", app.review_id("Child K").await),
        format!("/reviews/{}/themes", app.review_id("Child K").await),
        format!("/reviews/{}/appointments", app.review_id("Child K").await),
        format!("/reviews/{}/learning-events", app.review_id("Child K").await),
        format!("/reviews/{}/terms", app.review_id("Child K").await),
        "/child-deaths".into(),
        format!("/reviews/{}", app.review_id("SAR B").await),
        "/deadlines".into(),
        "/themes".into(),
        "/plan".into(),
        "/audits/frameworks".into(),
        "/audits".into(),
        "/audits/new".into(),
        "/audits/1".into(),
        "/audits/1/analysis".into(),
        "/audits/assessments/1".into(),
        "/audits/assessments/2".into(),
        "/audits/frameworks/1".into(),
        "/plan?overdue=true&arm=children".into(),
        format!("/actions/{}", app.action_id("Brief every response officer").await),
        format!("/actions/{}/edit", app.action_id("Brief every response officer").await),
        format!("/reviews/{}/recommendations", app.review_id("Child F").await),
        format!("/reviews/{}/chronology", app.review_id("Child K").await),
        format!("/reviews/{}/briefing", app.review_id("SAR A").await),
        format!("/reviews/{}/briefing", app.review_id("Child H").await),
        "/no-such-page".into(),
    ];
    for page in &pages {
        c.goto(&format!("{base}{page}")).await.unwrap();
        for v in axe(&c).await {
            failures.push(format!("{page}: {v}"));
        }
    }
    // A form shown again with its errors.
    c.goto(&format!("{base}/organisations/new")).await.unwrap();
    submit(&c).await;
    assert_eq!(
        c.wait().for_element(Locator::Css(".govuk-error-summary__title")).await.unwrap().text().await.unwrap(),
        "There is a problem"
    );
    for v in axe(&c).await {
        failures.push(format!("/organisations/new with errors: {v}"));
    }
    // An attendance grid: read into a preview whose unreadable cell is named (each seat and
    // cell an input, the table scrolling inside its container at 320 px), corrected in place,
    // checked again and saved.
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap();
    let lscb = app.core.create_body_for_grid(&ctx, southend.id, "Southend LSCB (fictional grid)").await.unwrap();
    c.goto(&format!("{base}/bodies/{lscb}/attendance/import")).await.unwrap();
    let grid = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/attendance_grid.csv");
    c.find(Locator::Id("file")).await.unwrap().send_keys(grid).await.unwrap();
    submit(&c).await;
    let summary = c.wait().for_element(Locator::Css(".govuk-error-summary__list")).await.unwrap().text().await.unwrap();
    assert!(summary.contains("Row 8, column E: 'maybe' is not an attendance mark"), "{summary}");
    for v in axe(&c).await {
        failures.push(format!("the attendance grid's preview with a problem: {v}"));
    }
    let cell = c.find(Locator::Css(".govuk-input--error[id^=cell-]")).await.unwrap();
    cell.clear().await.unwrap();
    cell.send_keys("Apologies").await.unwrap();
    c.find(Locator::Css("button[value=check]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("button[value=save]")).await.unwrap().click().await.unwrap();
    let banner =
        c.wait().for_element(Locator::Css(".govuk-notification-banner__heading")).await.unwrap().text().await.unwrap();
    assert!(banner.starts_with("Attendance grid imported"), "{banner}");
    assert_eq!(c.find_all(Locator::Css("#by-meeting tbody tr")).await.unwrap().len(), 4);
    c.goto(&format!("{base}/dashboard/figures")).await.unwrap();
    submit_form(&c, "/dashboard/figures").await;
    c.wait().for_element(Locator::Css(".govuk-error-summary__title")).await.unwrap();
    for v in axe(&c).await {
        failures.push(format!("/dashboard/figures with errors: {v}"));
    }
    c.close().await.unwrap();
    assert!(failures.is_empty(), "accessibility violations:\n{}", failures.join("\n"));
    app.finish().await;
}

#[tokio::test]
async fn a_business_manager_adds_an_organisation_and_a_member_in_the_browser() {
    let app = TestApp::new(Backend::Sqlite).await;
    let base = serve(&app).await;
    let driver = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    sign_in(&c, &base, "business.manager@example.org").await;

    // The GOV.UK Frontend script ran (it marks the body), so the CSP allowed our scripts.
    let classes = c.find(Locator::Css("body")).await.unwrap().attr("class").await.unwrap().unwrap_or_default();
    assert!(classes.contains("govuk-frontend-supported"), "body classes: {classes}");

    // The service navigation's section, then the page inside it from the section's own navigation.
    c.find(Locator::LinkText("Partnership")).await.unwrap().click().await.unwrap();
    let current = c.find(Locator::Css(".assure-sub-navigation [aria-current=page]")).await.unwrap();
    assert_eq!(current.text().await.unwrap(), "Organisations", "a section opens at its first page");
    c.find(Locator::LinkText("People")).await.unwrap().click().await.unwrap();
    c.find(Locator::LinkText("Organisations")).await.unwrap().click().await.unwrap();
    c.find(Locator::LinkText("Add an organisation")).await.unwrap().click().await.unwrap();
    submit(&c).await;
    let summary = c.wait().for_element(Locator::Css(".govuk-error-summary__list")).await.unwrap().text().await.unwrap();
    assert!(summary.contains("Enter the organisation's name"), "{summary}");
    c.find(Locator::Id("name")).await.unwrap().send_keys("Southend Carers Network (fictional)").await.unwrap();
    c.find(Locator::Css("#kind option[value=voluntary_sector]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#sector option[value=voluntary]")).await.unwrap().click().await.unwrap();
    submit(&c).await;
    assert_eq!(
        c.wait().for_element(Locator::Css(".govuk-notification-banner__heading")).await.unwrap().text().await.unwrap(),
        "Record created"
    );
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "Southend Carers Network (fictional)");

    let board = app.body_id("southend", "SSP Adults' Board (SSPA)").await;
    c.goto(&format!("{base}/bodies/{board}")).await.unwrap();
    c.find(Locator::LinkText("Add a member")).await.unwrap().click().await.unwrap();
    let toni = app.person_id("Toni Baird").await;
    c.find(Locator::Css(&format!("#person_id option[value='{toni}']"))).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#role option[value=deputy]")).await.unwrap().click().await.unwrap();
    type_date(&c, "from_date", "2024-04-01").await;
    submit(&c).await;
    let banner =
        c.wait().for_element(Locator::Css(".govuk-notification-banner__heading")).await.unwrap().text().await.unwrap();
    assert_eq!(banner, "Added");
    let table = c.find(Locator::Css("table")).await.unwrap().text().await.unwrap();
    assert!(table.contains("Toni Baird") && table.contains("Deputy"), "{table}");
    c.close().await.unwrap();
    app.finish().await;
}

#[tokio::test]
async fn a_rapid_review_is_walked_from_incident_to_decision_and_its_deadlines_show() {
    let app = TestApp::new(Backend::Sqlite).await;
    let base = serve(&app).await;
    let driver = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    sign_in(&c, &base, "business.manager@example.org").await;

    c.find(Locator::LinkText("Reviews and learning")).await.unwrap().click().await.unwrap();
    c.find(Locator::LinkText("Case reviews")).await.unwrap().click().await.unwrap();
    c.find(Locator::LinkText("Record a serious incident or referral")).await.unwrap().click().await.unwrap();
    select(&c, "type_code", "lcspr").await;
    select(&c, "arm", "children").await;
    c.find(Locator::Id("subject")).await.unwrap().send_keys("Child W").await.unwrap();
    type_date(&c, "aware_on", "2024-12-20").await;
    submit(&c).await;
    assert_eq!(
        c.wait().for_element(Locator::Css(".govuk-notification-banner__heading")).await.unwrap().text().await.unwrap(),
        "Record created"
    );
    let clocks = c.find(Locator::Id("clocks")).await.unwrap().text().await.unwrap();
    assert!(clocks.contains("Tuesday 31 December 2024"), "{clocks}");

    for (to, on, label) in [
        ("notification", "2024-12-30", "Notified to the national Panel"),
        ("rapid_review", "2024-12-31", "Rapid review"),
    ] {
        // Each task is a page of its own, reached from the review's summary page.
        c.find(Locator::LinkText("Move the review to its next stage")).await.unwrap().click().await.unwrap();
        select(&c, "to", to).await;
        type_date(&c, "on", on).await;
        submit_form(&c, "/move").await;
        wait_for_history(&c, label).await;
    }
    c.find(Locator::LinkText("Move the review to its next stage")).await.unwrap().click().await.unwrap();
    select(&c, "to", "decision").await;
    type_date(&c, "on", "2025-01-20").await;
    select(&c, "decision", "review").await;
    c.find(Locator::Id("rationale"))
        .await
        .unwrap()
        .send_keys("The criteria for a local review are met.")
        .await
        .unwrap();
    for id in ["signed_la", "signed_police", "signed_icb"] {
        c.find(Locator::Css(&format!("label[for={id}]"))).await.unwrap().click().await.unwrap();
    }
    submit_form(&c, "/move").await;
    wait_for_history(&c, "Decision made").await;
    let clocks = c.find(Locator::Id("clocks")).await.unwrap().text().await.unwrap();
    assert!(clocks.contains("Complete the rapid review") && clocks.contains("Met"), "{clocks}");
    // Six months from the decision is Sunday 20 July 2025: due the next working day.
    assert!(clocks.contains("Monday 21 July 2025"), "{clocks}");

    c.find(Locator::LinkText("Deadlines")).await.unwrap().click().await.unwrap();
    let open = c.wait().for_element(Locator::Id("open-deadlines")).await.unwrap().text().await.unwrap();
    assert!(open.contains("Child W") && open.contains("Complete the review"), "{open}");
    let violations = axe(&c).await;
    assert!(violations.is_empty(), "/deadlines: {violations:?}");
    c.close().await.unwrap();
    app.finish().await;
}

/// Waits for the review page to show `stage` in its history: every move reloads the same
/// address with the same banner, so only the new history row tells the new page from the old.
async fn wait_for_history(c: &Client, stage: &str) {
    c.wait().for_element(Locator::XPath(&format!("//td[normalize-space()='{stage}']"))).await.unwrap();
}

/// Submits the form whose action ends with `suffix` (the review page has several).
async fn submit_form(c: &Client, suffix: &str) {
    c.find(Locator::Css(&format!("main form[action$='{suffix}'] button[type=submit]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn an_agency_lead_reports_progress_on_their_action_in_the_browser() {
    let app = TestApp::new(Backend::Sqlite).await;
    let base = serve(&app).await;
    let driver = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    sign_in(&c, &base, "police.lead@example.org").await;
    let action = app.action_id("Brief every response officer").await;
    c.goto(&format!("{base}/actions/{action}")).await.unwrap();
    // Nothing typed: the form comes back with its errors.
    submit(&c).await;
    let summary = c.wait().for_element(Locator::Css(".govuk-error-summary__list")).await.unwrap().text().await.unwrap();
    assert!(summary.contains("Enter what has happened"), "{summary}");
    c.find(Locator::Id("note")).await.unwrap().send_keys("Refresher briefing booked for new recruits.").await.unwrap();
    select(&c, "status", "in_progress").await;
    select(&c, "rag", "amber").await;
    submit(&c).await;
    c.wait().for_element(Locator::Css(".govuk-notification-banner__heading")).await.unwrap();
    let status = c.find(Locator::Id("action-status")).await.unwrap().text().await.unwrap();
    assert!(status.contains("In progress") && status.contains("RAG: Amber"), "{status}");
    let progress = c.find(Locator::Id("progress")).await.unwrap().text().await.unwrap();
    assert!(progress.contains("Refresher briefing booked"), "{progress}");
    let violations = axe(&c).await;
    assert!(violations.is_empty(), "{violations:?}");

    // The section of the adults' report asked of them: from their list, written, saved.
    c.goto(&format!("{base}/reports/asked")).await.unwrap();
    let violations = axe(&c).await;
    assert!(violations.is_empty(), "{violations:?}");
    c.find(Locator::LinkText("Next year's priorities")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Id("asked")).await.unwrap();
    c.find(Locator::Id("narrative"))
        .await
        .unwrap()
        .send_keys("Self-neglect and transitions to adulthood.")
        .await
        .unwrap();
    submit(&c).await;
    c.wait().for_element(Locator::Css(".govuk-notification-banner__heading")).await.unwrap();
    let words = c.find(Locator::Id("narrative")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(words, "Self-neglect and transitions to adulthood.");
    let violations = axe(&c).await;
    assert!(violations.is_empty(), "{violations:?}");
    c.close().await.unwrap();
    app.finish().await;
}

#[tokio::test]
async fn a_school_answers_through_its_link_and_the_heat_map_shows_it() {
    let app = TestApp::new(Backend::Sqlite).await;
    let base = serve(&app).await;
    let driver = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;

    // The business manager sends the demo's Section 11 campaign to a school too, with a link.
    let ctx = app.core.operator().await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let today = chrono::Utc::now().date_naive();
    let s11 = app.core.frameworks(&ctx, None).await.unwrap().into_iter().find(|f| f.code == "section11").unwrap().id;
    let school = app.org_id("southend", "Pier Hill High School (fictional)").await;
    let campaign = app
        .core
        .create_campaign(
            &ctx,
            southend,
            &assure_core::audits::CampaignInput {
                title: "Section 11 for schools".into(),
                framework_id: s11.to_string(),
                opens_on: today.to_string(),
                closes_on: (today + chrono::Days::new(30)).to_string(),
                organisation_ids: vec![school.to_string()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let school_return = app.core.campaign(&ctx, campaign).await.unwrap().assessments[0].id;
    let (_, token) = app.core.create_respondent_link(&ctx, school_return).await.unwrap();

    // The school's designated safeguarding lead opens the link: no account, no sign-in.
    c.goto(&format!("{base}/respond/{token}")).await.unwrap();
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "Pier Hill High School (fictional)");
    let violations = axe(&c).await;
    assert!(violations.is_empty(), "{violations:?}");
    // Every scored question 3, the others answered; selects are set as a person would choose.
    c.execute(
        r#"for (const s of document.querySelectorAll('select[name^="score:"]')) { s.value = '3'; }
           document.getElementById('value:3.2').value = 'Pupil voice group reviewed the policy';
           document.getElementById('value:4.2').value = '96';
           document.getElementById('value:6.2').value = 'yes';
           document.getElementById('value:8.2').value = 'Staff handbook, section 4';"#,
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Css("main form[action$='/answers'] button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_url(url::Url::parse(&format!("{base}/respond/{token}?done=updated")).unwrap()).await.unwrap();
    c.find(Locator::Css("main form[action$='/steps'] button[type=submit]")).await.unwrap().click().await.unwrap();
    // The same address comes back: wait for the new page's state rather than any banner.
    let state = c
        .wait()
        .for_element(Locator::XPath("//*[@id='return-state'][contains(., 'Submitted')]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(state.contains("Submitted"), "{state}");

    // The business manager's heat map now has the school's row.
    let profile2 = tempfile::tempdir().unwrap();
    let bm = browser(&driver, profile2.path()).await;
    sign_in(&bm, &base, "business.manager@example.org").await;
    bm.goto(&format!("{base}/audits/{campaign}/analysis")).await.unwrap();
    let rows = bm.find(Locator::Css("#scores-table tbody")).await.unwrap().text().await.unwrap();
    assert!(rows.contains("Pier Hill High School (fictional)") && rows.contains("3.0"), "{rows}");
    let cell = bm.find(Locator::Css("#heatmap g title")).await.unwrap().html(true).await.unwrap();
    assert!(cell.contains("Pier Hill High School (fictional), standard 1: 3.0"), "{cell}");
    let violations = axe(&bm).await;
    assert!(violations.is_empty(), "{violations:?}");

    // She challenges an answer; the school replies through its link; she moderates the score
    // and the moderated heat map shows it.
    let fill = |question: &str, body: &str| {
        format!(
            "document.getElementById('question').value = '{question}'; document.getElementById('body').value = '{body}';"
        )
    };
    bm.goto(&format!("{base}/audits/assessments/{school_return}")).await.unwrap();
    bm.execute(&fill("1.1", "Why 3? Governors have not seen the safeguarding report."), vec![]).await.unwrap();
    bm.find(Locator::Css("main form[action$='/challenges'] button[type=submit]")).await.unwrap().click().await.unwrap();
    bm.wait()
        .for_url(
            url::Url::parse(&format!("{base}/audits/assessments/{school_return}?done=updated#question-1.1")).unwrap(),
        )
        .await
        .unwrap();
    c.goto(&format!("{base}/respond/{token}")).await.unwrap();
    let thread = c.find(Locator::Css("[id='thread-1.1']")).await.unwrap().text().await.unwrap();
    assert!(thread.contains("Why 3? Governors have not seen the safeguarding report."), "{thread}");
    c.execute(&fill("1.1", "The report goes to governors in the spring term."), vec![]).await.unwrap();
    c.find(Locator::Css("main form[action$='/challenges'] button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_url(url::Url::parse(&format!("{base}/respond/{token}?done=updated")).unwrap()).await.unwrap();
    let thread = c.find(Locator::Css("[id='thread-1.1']")).await.unwrap().text().await.unwrap();
    assert!(thread.contains("The report goes to governors in the spring term."), "{thread}");
    let violations = axe(&c).await;
    assert!(violations.is_empty(), "the link page with its discussion: {violations:?}");
    bm.goto(&format!("{base}/audits/assessments/{school_return}")).await.unwrap();
    bm.execute("document.getElementById('moderated:1.1').value = '1';", vec![]).await.unwrap();
    bm.find(Locator::Css("#moderation button[type=submit]")).await.unwrap().click().await.unwrap();
    bm.wait()
        .for_url(url::Url::parse(&format!("{base}/audits/assessments/{school_return}?done=updated")).unwrap())
        .await
        .unwrap();
    bm.goto(&format!("{base}/audits/{campaign}/analysis?scores=moderated")).await.unwrap();
    let rows = bm.find(Locator::Css("#scores-table tbody")).await.unwrap().text().await.unwrap();
    assert!(rows.starts_with("Pier Hill High School (fictional) Moderated 2.0"), "standard 1 with 1.1 at 1: {rows}");
    c.close().await.unwrap();
    bm.close().await.unwrap();
    app.finish().await;
}
