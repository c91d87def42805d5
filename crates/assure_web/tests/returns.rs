//! Partners' data returns through the pages: asked for by the business unit, answered by the
//! form or the template, checked, validated, chased when late, and summed on the adults'
//! dashboard.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::StatusCode;
use support::TestApp;

async fn a_quarterly_return_is_asked_for_answered_checked_and_validated(app: &TestApp) {
    // The demo: Southend Adult Social Care's returns, the latest late, one provisional.
    let mut viewer = app.sign_in("viewer@example.org").await;
    let page = viewer.get("/dashboard/adults").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.texts("#owed li").iter().any(|l| l.contains("Southend Adult Social Care") && l.contains("Late")),
        "{:?}",
        page.texts("#owed li")
    );
    let conversion = page.texts("#tile-adults-conversion_percent").concat();
    assert!(conversion.contains(" in 20"), "{conversion}");
    let list = viewer.get("/returns").await.texts("#returns tbody tr");
    assert!(list.iter().any(|r| r.contains("Provisional")), "{list:?}");
    assert!(list.iter().filter(|r| r.contains("validated")).count() >= 4, "{list:?}");

    // The business unit asks Essex Police for a quarter; bad input is named.
    let mut bu = app.sign_in("business.manager@example.org").await;
    let r = bu.post("/returns", &[("period", "2026 Q3"), ("due_on", "soon")]).await;
    assert_eq!(
        r.error_summary(),
        vec![
            "The due date must be a real date, like 2023-04-01",
            "Select at least one organisation to ask",
            "Enter the quarter as a financial year and quarter, such as 2025-26 Q1"
        ]
    );
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
    let r = bu.post("/returns", &[("period", "2030-31 Q1"), ("due_on", &due), ("organisation_ids", &police)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = bu.get("/returns").await.html();
    let link = html
        .select(&scraper::Selector::parse("#returns a").unwrap())
        .find(|a| a.text().collect::<String>() == "Essex Police")
        .and_then(|a| a.value().attr("href"))
        .unwrap()
        .to_owned();

    // The police lead answers: checked whole, drafts allowed part-filled, submitting needs all.
    let mut lead = app.sign_in("police.lead@example.org").await;
    let r = lead.post(&link, &[("concerns", "40"), ("s42_enquiries", "55"), ("action", "save")]).await;
    assert_eq!(r.error_summary(), vec!["Section 42 enquiries (55) cannot be more than the concerns received (40)"]);
    assert_eq!(lead.post(&link, &[("concerns", "40"), ("action", "save")]).await.status, StatusCode::SEE_OTHER);
    let r = lead.post(&link, &[("concerns", "40"), ("action", "submit")]).await;
    assert!(r.error_summary().contains(&"Section 42 enquiries started: enter the figure (0 if none)".to_owned()));
    // The template, with a bad row, then good.
    let (status, _, template) = lead.download("/returns/template.csv").await;
    assert_eq!(status, StatusCode::OK);
    let template = String::from_utf8(template).unwrap();
    assert!(template.starts_with("measure,value,what\nconcerns,,"));
    let bad = "measure,value\nconcerns,40\ns42_enquiries,lots\nmood,3\n";
    let r = lead
        .post_multipart(
            &format!("{link}/upload"),
            &[("action", "submit")],
            &[("file", "q1.csv", "text/csv", bad.as_bytes())],
        )
        .await;
    assert_eq!(
        r.error_summary(),
        vec![
            "Row 3, column B (value): 'lots' is not a whole number of 0 or more",
            "Row 4, column A (measure): 'mood' is not a figure this return asks for"
        ]
    );
    let good = "measure,value\nconcerns,40\ns42_enquiries,12\nother_enquiries,3\nmsp_asked,10\nmsp_expressed,8\nmsp_fully,5\nmsp_partly,2\nmsp_not,1\n";
    let r = lead
        .post_multipart(
            &format!("{link}/upload"),
            &[("action", "submit")],
            &[("file", "q1.csv", "text/csv", good.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = lead.get(&link).await;
    assert!(page.texts("#return-status").concat().contains("submitted"));
    assert!(page.texts("#provenance").concat().contains("from q1.csv"));
    // Another organisation's return, and a viewer: no.
    let asc = bu.get("/returns").await.html();
    let asc_link = asc
        .select(&scraper::Selector::parse("#returns a").unwrap())
        .find(|a| a.text().collect::<String>() == "Southend Adult Social Care")
        .and_then(|a| a.value().attr("href"))
        .unwrap()
        .to_owned();
    assert_eq!(lead.post(&asc_link, &[("concerns", "1"), ("action", "save")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(viewer.post(&link, &[("concerns", "1"), ("action", "save")]).await.status, StatusCode::FORBIDDEN);
    // Validated, it is fixed; the dashboard counts it.
    assert_eq!(lead.post(&format!("{link}/validation"), &[("accept", "yes")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(bu.post(&format!("{link}/validation"), &[("accept", "yes")]).await.status, StatusCode::SEE_OTHER);
    let r = lead.post(&link, &[("concerns", "41"), ("action", "save")]).await;
    assert_eq!(r.error_summary(), vec!["The return has been validated: ask the business unit to reopen it"]);
    let tile = viewer.get("/dashboard/adults").await.texts("#tile-adults-concerns").concat();
    assert!(tile.contains("40 in 2030-31 Q1"), "{tile}");
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.record_type == "data_return" && e.action == "validate"));
}

on_both!(a_quarterly_return_is_asked_for_answered_checked_and_validated);

async fn returns_due_soon_are_reminded_once(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(2)).to_string();
    bu.post("/returns", &[("period", "2030-31 Q2"), ("due_on", &due), ("organisation_ids", &police)]).await;
    let first = app.core.send_reminders().await.unwrap();
    let again = app.core.send_reminders().await.unwrap();
    assert!(first.notifications > again.notifications);
    let mut lead = app.sign_in("police.lead@example.org").await;
    let notes = lead.get("/").await.texts("#notifications li");
    assert_eq!(
        notes.iter().filter(|n| n.contains("Essex Police's data return for 2030-31 Q2 is due on")).count(),
        1,
        "{notes:?}"
    );
}

on_both!(returns_due_soon_are_reminded_once);

async fn a_return_is_sent_through_the_api(app: &TestApp) {
    use axum::http::Method;
    let mut bu = app.sign_in("business.manager@example.org").await;
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(20)).to_string();
    bu.post("/returns", &[("period", "2030-31 Q3"), ("due_on", &due), ("organisation_ids", &police)]).await;
    let html = bu.get("/returns").await.html();
    let id = html
        .select(&scraper::Selector::parse("#returns a").unwrap())
        .find(|a| a.text().collect::<String>() == "Essex Police")
        .and_then(|a| a.value().attr("href"))
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let mut api = app.api("police.lead@example.org").await;
    let path = format!("/api/v1/returns/{id}");
    let bad = api
        .json(Method::POST, &path, serde_json::json!({"values": {"concerns": 5, "s42_enquiries": 9}, "submit": true}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("cannot be more than the concerns received"), "{}", bad.body);
    let values = serde_json::json!({"concerns": 50, "s42_enquiries": 20, "other_enquiries": 2, "msp_asked": 18,
        "msp_expressed": 15, "msp_fully": 9, "msp_partly": 4, "msp_not": 2});
    let r =
        api.json(Method::POST, &path, serde_json::json!({"values": values, "submit": true, "provisional": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = r.json();
    assert_eq!(
        (r["status"].as_str(), r["provisional"].as_bool(), r["values"]["concerns"].as_u64()),
        (Some("submitted"), Some(true), Some(50))
    );
    let got = api.request(Method::GET, &path, None, String::new()).await.json();
    assert_eq!(got["values"]["msp_not"], 2);
}

on_both!(a_return_is_sent_through_the_api);
