//! Partners' data returns through the pages: asked for by the business unit, answered by the
//! form or the template, checked, validated, chased when late, and summed on the adults'
//! dashboard.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::StatusCode;
use support::TestApp;

/// The link to Essex Police's return on the business unit's list of returns.
async fn police_return(bu: &mut support::Client<'_>) -> String {
    let html = bu.get("/returns").await.html();
    html.select(&scraper::Selector::parse("#returns a").unwrap())
        .find(|a| a.text().collect::<String>() == "Essex Police")
        .and_then(|a| a.value().attr("href"))
        .unwrap()
        .to_owned()
}

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
            "Enter the quarter as a financial year and quarter, such as 2025-26 Q1",
            "The due date must be a real date",
            "Select at least one organisation to ask"
        ]
    );
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
    let r = bu.post("/returns", &[("period", "2030-31 Q1"), ("due_on", &due), ("organisation_ids", &police)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let link = police_return(&mut bu).await;

    // The police lead answers: checked whole, drafts allowed part-filled, submitting needs all.
    let mut lead = app.sign_in("police.lead@example.org").await;
    let r = lead.post(&link, &[("concerns", "40"), ("s42_enquiries", "55"), ("action", "save")]).await;
    assert_eq!(r.error_summary(), vec!["Section 42 enquiries (55) cannot be more than the concerns received (40)"]);
    let saved = lead.post(&link, &[("concerns", "40"), ("action", "save")]).await;
    assert_eq!(saved.location(), format!("{link}?done=return-saved"));
    let banner = lead.get(&saved.location()).await.texts(".govuk-notification-banner__heading").concat();
    assert_eq!(banner, "Draft saved: the business unit sees it only once you submit it");
    let r = lead.post(&link, &[("concerns", "40"), ("action", "submit")]).await;
    assert!(r.error_summary().contains(&"Section 42 enquiries started: enter the figure (0 if none)".to_owned()));
    // The template, with a bad row, then good.
    let (status, _, template) = lead.download("/returns/template.csv").await;
    assert_eq!(status, StatusCode::OK);
    let template = String::from_utf8(template).unwrap();
    assert!(template.starts_with("\u{FEFF}measure,value,what\nconcerns,,"), "UTF-8 with a byte-order mark");
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
    assert_eq!(r.location(), format!("{link}?done=return-submitted"), "{}", r.body);
    let page = lead.get(&r.location()).await;
    assert_eq!(page.texts(".govuk-notification-banner__heading").concat(), "Return submitted to the business unit");
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
    let accepted = bu.post(&format!("{link}/validation"), &[("accept", "yes")]).await;
    assert_eq!(accepted.location(), format!("{link}?done=return-accepted"));
    let r = lead.post(&link, &[("concerns", "41"), ("action", "save")]).await;
    assert_eq!(r.error_summary(), vec!["The return has been validated: ask the business unit to reopen it"]);
    let tile = viewer.get("/dashboard/adults").await.texts("#tile-adults-concerns").concat();
    assert!(tile.contains("40 in 2030-31 Q1"), "{tile}");
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.record_type == "data_return" && e.action == "validate"));
}

on_both!(demo [Intelligence]; a_quarterly_return_is_asked_for_answered_checked_and_validated);

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

on_both!(demo [Intelligence]; returns_due_soon_are_reminded_once);

async fn a_return_is_sent_through_the_api(app: &TestApp) {
    use axum::http::Method;
    let mut bu = app.sign_in("business.manager@example.org").await;
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(20)).to_string();
    bu.post("/returns", &[("period", "2030-31 Q3"), ("due_on", &due), ("organisation_ids", &police)]).await;
    let id = police_return(&mut bu).await.rsplit('/').next().unwrap().to_owned();
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

on_both!(demo [Intelligence]; a_return_is_sent_through_the_api);

async fn adults_rates_and_englands_figures_come_from_entered_publications(app: &TestApp) {
    use axum::http::Method;
    // The demo's entered figures: Southend's 2018/19 concerns and enquiries with the adult
    // population its published rates imply, and England's counts that year.
    let mut viewer = app.sign_in("viewer@example.org").await;
    let page = viewer.get("/dashboard/adults").await;
    let conversion = page.texts("#tile-adults-conversion_percent").concat();
    assert!(conversion.contains("Year 2018-19: 56.3; England 39.0 (above England)"), "{conversion}");
    let rate = viewer.get("/indicators/adults.concerns_rate").await;
    assert_eq!(rate.status, StatusCode::OK);
    let rows = rate.texts("#history tbody tr");
    let year = rows.iter().find(|r| r.starts_with("2018-19")).expect("the 2018-19 row");
    assert!(year.contains("944.6") && year.contains("1,350") && year.contains("142,918"), "{year}");
    assert!(year.contains("section 1.8"), "the row names its sources: {year}");
    // A quarter divides by the mid-year before its year ends; without it, the row says so.
    assert!(rows.iter().any(|r| r.contains("Q1") && r.contains("146,200")), "{rows:?}");
    let (status, _, csv) = viewer.download("/dashboard/adults/values.csv").await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("adults.concerns_rate,\"Safeguarding concerns per 100,000 adults\",2018-19,E06000033,944.6,"),
        "{csv}"
    );

    // Only the business unit enters figures; bad input is named, and nothing is kept.
    assert_eq!(viewer.post("/dashboard/figures", &[("area", "E92000001")]).await.status, StatusCode::FORBIDDEN);
    let mut bu = app.sign_in("business.manager@example.org").await;
    let r = bu
        .post(
            "/dashboard/figures",
            &[
                ("area", "E99"),
                ("measure", "population_18_plus"),
                ("period", "2024-25"),
                ("value", "0"),
                ("source", ""),
            ],
        )
        .await;
    assert_eq!(
        r.error_summary(),
        vec![
            "Enter an area of the published data: E92000001 for England, or a local authority's ONS code or DfE number",
            "Enter the mid-year of the estimate, such as 2024",
            "A population cannot be 0",
            "Say which publication the figure comes from"
        ]
    );
    let before = bu.get("/dashboard/figures").await.texts("#figures tbody tr").len();
    // England's counts for this financial year: a return that repeats England's conversion
    // rate is saved with a warning.
    let today = chrono::Utc::now().date_naive();
    let start = if chrono::Datelike::month(&today) >= 4 {
        chrono::Datelike::year(&today)
    } else {
        chrono::Datelike::year(&today) - 1
    };
    let fy = format!("{start}-{:02}", (start + 1) % 100);
    for (m, v) in [("concerns", "600000"), ("s42_enquiries", "200000"), ("other_enquiries", "40000")] {
        let r = bu
            .post(
                "/dashboard/figures",
                &[
                    ("area", "E92000001"),
                    ("measure", m),
                    ("period", &fy),
                    ("value", v),
                    ("source", "A test publication"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
    }
    let listed = bu.get("/dashboard/figures").await.texts("#figures tbody tr");
    assert_eq!(listed.len(), before + 3, "{listed:?}");
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let due = (today + chrono::Days::new(20)).to_string();
    let quarter = format!("{fy} Q4");
    assert_eq!(
        bu.post("/returns", &[("period", &quarter), ("due_on", &due), ("organisation_ids", &police)]).await.status,
        StatusCode::SEE_OTHER
    );
    let link = police_return(&mut bu).await;
    let mut lead = app.sign_in("police.lead@example.org").await;
    let r = lead
        .post(
            &link,
            &[
                ("concerns", "100"),
                ("s42_enquiries", "30"),
                ("other_enquiries", "10"),
                ("msp_asked", "20"),
                ("msp_expressed", "10"),
                ("msp_fully", "5"),
                ("msp_partly", "3"),
                ("msp_not", "2"),
                ("action", "submit"),
            ],
        )
        .await;
    let warnings = r.texts("#warnings").concat();
    assert!(
        warnings.contains(&format!("Conversion of concerns to enquiries: 40.0 is England's figure for {fy}")),
        "{warnings}"
    );

    // The API lists and enters figures, and reads the adults' values of the partnership.
    let mut api = app.api("business.manager@example.org").await;
    let listed =
        api.request(Method::GET, "/api/v1/figures?per_page=200", None, String::new()).await.json()["items"].clone();
    assert!(listed.as_array().unwrap().iter().any(|f| f["period"] == "mid-2018" && f["value"] == 142918), "{listed}");
    let bad = api
        .json(
            Method::POST,
            "/api/v1/figures",
            serde_json::json!({"area": "E92000001", "measure": "concerns", "period": "2018", "value": 1, "source": "x"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Enter the financial year, such as 2024-25"), "{}", bad.body);
    let values = api
        .request(Method::GET, "/api/v1/indicators/adults.concerns_rate/values?per_page=200", None, String::new())
        .await
        .json()["items"]
        .clone();
    assert!(values.as_array().unwrap().iter().any(|v| v["period"] == "2018-19" && v["value"] == 944.6), "{values}");
    // Removing England's 2018-19 other enquiries takes that year's comparison away: the tile
    // compares the latest whole year instead.
    let id = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["measure"] == "other_enquiries" && f["period"] == "2018-19")
        .unwrap()["id"]
        .clone();
    let mut essex = app.sign_in("essex.manager@example.org").await;
    assert_eq!(
        essex.post(&format!("/dashboard/figures/{id}/delete"), &[]).await.status,
        StatusCode::NOT_FOUND,
        "another partnership's business unit cannot touch it"
    );
    assert_eq!(bu.post(&format!("/dashboard/figures/{id}/delete"), &[]).await.status, StatusCode::SEE_OTHER);
    let conversion = bu.get("/dashboard/adults").await.texts("#tile-adults-conversion_percent").concat();
    assert!(conversion.contains("Year 2025-26: 35.6; England none"), "{conversion}");
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.record_type == "entered_figure" && e.action == "delete"));
}

on_both!(demo [Intelligence]; adults_rates_and_englands_figures_come_from_entered_publications);
