//! What agencies send in answer to a review's requests, how a review is conducted (its
//! reviewer and costs, practitioner learning events, terms of reference), child death reviews
//! (CDOP), and a review's themes changed meanwhile.

use super::*;

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
    // The whole list, as the document requires: a body without it clears nothing.
    let empty = api.json(Method::PUT, &path, json!({})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
    assert_eq!(empty.json()["errors"]["theme_ids"][0], "theme_ids is required");
    assert_eq!(api.get(&path).await.json()["total"], 1);
    assert_eq!(api.json(Method::PUT, &path, json!({"theme_ids": [id]})).await.status, StatusCode::OK);
    let again = api.json(Method::PUT, &path, json!({"theme_ids": []})).await;
    assert_eq!(again.status, StatusCode::PRECONDITION_FAILED, "{}", again.body);
    app.finish().await;
}
