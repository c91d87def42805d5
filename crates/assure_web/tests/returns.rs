//! Partners' data returns through the pages: asked for by the business unit, answered by the
//! form or the template, checked, validated, chased when late, and summed on the adults'
//! dashboard.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::StatusCode;
use support::TestApp;

/// The link to Essex Police's return for a period on the business unit's list of returns.
async fn police_return(bu: &mut support::Client<'_>, period: &str) -> String {
    let html = bu.get("/returns").await.html();
    let row = scraper::Selector::parse("#returns tbody tr").unwrap();
    let (cell, link) = (scraper::Selector::parse("td").unwrap(), scraper::Selector::parse("a").unwrap());
    html.select(&row)
        .find(|r| r.select(&cell).next().is_some_and(|c| c.text().collect::<String>() == period))
        .and_then(|r| r.select(&link).find(|a| a.text().collect::<String>() == "Essex Police"))
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
    let r = bu.post("/returns", &[("template", "adults"), ("period", "2026 Q3"), ("due_on", "soon")]).await;
    assert_eq!(
        r.error_summary(),
        vec![
            "Enter the period as a financial year and quarter, such as 2025-26 Q1",
            "The due date must be a real date",
            "Select at least one organisation to ask"
        ]
    );
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
    let r = bu
        .post(
            "/returns",
            &[("template", "adults"), ("period", "2030-31 Q1"), ("due_on", &due), ("organisation_ids", &police)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let link = police_return(&mut bu, "2030-31 Q1").await;

    // The police lead answers: checked whole, drafts allowed part-filled, submitting needs all.
    let mut lead = app.sign_in("police.lead@example.org").await;
    let r = lead.post(&link, &[("concerns", "40"), ("s42_enquiries", "55"), ("action", "save")]).await;
    assert_eq!(
        r.error_summary(),
        vec!["Section 42 enquiries started (55) cannot be more than Safeguarding concerns received (40)"]
    );
    let saved = lead.post(&link, &[("concerns", "40"), ("action", "save")]).await;
    assert_eq!(saved.location(), format!("{link}?done=return-saved"));
    let banner = lead.get(&saved.location()).await.texts(".govuk-notification-banner__heading").concat();
    assert_eq!(banner, "Draft saved: the business unit sees it only once you submit it");
    let r = lead.post(&link, &[("concerns", "40"), ("action", "submit")]).await;
    assert!(r.error_summary().contains(&"Section 42 enquiries started: enter the figure (0 if none)".to_owned()));
    // The template, with a bad row, then good.
    let (status, _, template) = lead.download(&format!("{link}/template.csv")).await;
    assert_eq!(status, StatusCode::OK);
    let template = String::from_utf8(template).unwrap();
    assert!(
        template.starts_with("\u{FEFF}field,value,what\nconcerns,40,Safeguarding concerns received (whole number)"),
        "UTF-8 with a byte-order mark, and the draft's answers: {template}"
    );
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
            "Row 3, column B (value): enter a whole number of 0 or more, not 'lots'",
            "Row 4, column A (field): 'mood' is not a field this return asks for"
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
    bu.post(
        "/returns",
        &[("template", "adults"), ("period", "2030-31 Q2"), ("due_on", &due), ("organisation_ids", &police)],
    )
    .await;
    let first = app.core.send_reminders().await.unwrap();
    let again = app.core.send_reminders().await.unwrap();
    assert!(first.notifications > again.notifications);
    let mut lead = app.sign_in("police.lead@example.org").await;
    let notes = lead.get("/").await.texts("#notifications li");
    assert_eq!(
        notes
            .iter()
            .filter(|n| n
                .contains("Essex Police's return of Safeguarding Adults Collection figures for 2030-31 Q2 is due on"))
            .count(),
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
    bu.post(
        "/returns",
        &[("template", "adults"), ("period", "2030-31 Q3"), ("due_on", &due), ("organisation_ids", &police)],
    )
    .await;
    let id = police_return(&mut bu, "2030-31 Q3").await.rsplit('/').next().unwrap().to_owned();
    let mut api = app.api("police.lead@example.org").await;
    let path = format!("/api/v1/returns/{id}");
    let bad = api
        .json(Method::POST, &path, serde_json::json!({"values": {"concerns": 5, "s42_enquiries": 9}, "submit": true}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("cannot be more than Safeguarding concerns received"), "{}", bad.body);
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
        bu.post(
            "/returns",
            &[("template", "adults"), ("period", &quarter), ("due_on", &due), ("organisation_ids", &police)]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let link = police_return(&mut bu, &quarter).await;
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

/// A Essex Police return of a template for a period, asked for by the business unit.
async fn ask_police(app: &TestApp, bu: &mut support::Client<'_>, template: &str, period: &str) -> String {
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(20)).to_string();
    let r = bu
        .post(
            "/returns",
            &[("template", template), ("period", period), ("due_on", &due), ("organisation_ids", &police)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
    police_return(bu, period).await
}

async fn any_template_is_asked_for_answered_and_checked(app: &TestApp) {
    use axum::http::Method;
    let mut bu = app.sign_in("business.manager@example.org").await;
    let mut viewer = app.sign_in("viewer@example.org").await;
    // The shipped templates, and what one asks for.
    let page = bu.get("/returns/templates").await;
    let listed = page.texts("#templates tbody tr");
    assert_eq!(listed.len(), 3, "{listed:?}");
    let html = page.html();
    let lado = html
        .select(&scraper::Selector::parse("#templates a").unwrap())
        .find(|a| a.text().collect::<String>() == "LADO quarterly figures")
        .and_then(|a| a.value().attr("href"))
        .unwrap()
        .to_owned();
    let checks = bu.get(&lado).await.texts("#checks li");
    assert!(
        checks.contains(
            &"Substantiated, Unsubstantiated, Unfounded, False, Malicious add up to Cases concluded".to_owned()
        ),
        "{checks:?}"
    );
    let (status, _, file) = bu.download(&format!("{lado}/file")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(file).unwrap().contains("code: lado"));

    // A period of the template's own type.
    let r =
        bu.post("/returns", &[("template", "annual_report"), ("period", "2030-31 Q1"), ("due_on", "2030-06-01")]).await;
    assert_eq!(r.error_summary()[0], "Enter the period as a financial year, such as 2025-26");
    let r = bu.post("/returns", &[("template", "nonsense"), ("period", "2030-31")]).await;
    assert_eq!(r.error_summary()[0], "Choose what the return asks for from the list");

    // The LADO's figures: breakdowns must add up to their totals; a percentage is 0 to 100.
    let link = ask_police(app, &mut bu, "lado", "2030-31 Q1").await;
    let mut lead = app.sign_in("police.lead@example.org").await;
    let page = lead.get(&link).await;
    assert!(page.texts("h2").iter().any(|h| h == "Allegations by employment sector"), "{:?}", page.texts("h2"));
    let zeros = [
        "sector_early_years",
        "sector_social_care",
        "sector_fostering",
        "sector_police",
        "sector_faith",
        "sector_sport",
        "sector_voluntary",
        "sector_other",
        "referrer_social_care",
        "referrer_education",
        "referrer_health",
        "referrer_employer",
        "referrer_other",
        "outcome_unsubstantiated",
        "outcome_unfounded",
        "outcome_false",
        "outcome_malicious",
        "within_3_months",
        "within_6_months",
        "within_12_months",
        "over_12_months",
    ];
    let mut answers: Vec<(&str, &str)> = vec![
        ("contacts", "20"),
        ("advice_only", "14"),
        ("allegations", "4"),
        ("meetings", "5"),
        ("sector_education", "3"),
        ("sector_health", "2"),
        ("referrer_police", "4"),
        ("concluded", "2"),
        ("outcome_substantiated", "2"),
        ("within_1_month", "2"),
        ("positive_percent", "104"),
        ("themes", "Online contact with pupils."),
        ("action", "submit"),
    ];
    answers.extend(zeros.iter().map(|z| (*z, "0")));
    let r = lead.post(&link, &answers).await;
    assert_eq!(
        r.error_summary(),
        vec![
            "Education, Early years and childcare, Social care (including residential), Foster carers, Health, Police, Faith organisations, Sport and leisure, Voluntary and community and Other sectors (3 + 0 + 0 + 0 + 2 + 0 + 0 + 0 + 0 + 0 = 5) must add up to Allegations meeting the threshold (4)",
            "Evaluation questionnaires rating the process positive (%): enter a percentage from 0 to 100 (one decimal place at most), not '104'",
        ]
    );
    // Without a figure, submitting names it.
    let r = lead.post(&link, &[("contacts", "20"), ("action", "submit")]).await;
    assert!(r.error_summary().contains(&"Early years and childcare: enter the figure (0 if none)".to_owned()));
    // Every figure given (0 where none), adding up, it is submitted.
    answers.retain(|(k, _)| !["sector_health", "positive_percent"].contains(k));
    answers.extend([("sector_health", "1"), ("positive_percent", "87.5")]);
    let r = lead.post(&link, &answers).await;
    assert_eq!(r.location(), format!("{link}?done=return-submitted"), "{:?}", r.error_summary());
    let shown = viewer.get(&link).await.texts("table tr").concat();
    assert!(shown.contains("87.5%") && shown.contains("Online contact with pupils."), "{shown}");
    // The template's figures: the demo's two quarters from Southend Children's Services and this
    // one from the police, its indicators with their trend, and as CSV.
    let figures = viewer.get("/returns/figures/lado").await;
    assert_eq!(figures.status, StatusCode::OK);
    let allegations = figures.texts("#tile-allegations").concat();
    assert!(allegations.contains("4 in 2030-31 Q1"), "{allegations}");
    let positive = figures.texts("#tile-positive_percent").concat();
    assert!(positive.contains("87.5% in 2030-31 Q1"), "{positive}");
    let (status, _, csv) = viewer.download("/returns/figures/lado/figures.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(csv).unwrap().contains("allegations,Allegations meeting the threshold,2030-31 Q1,4,1"));
    assert_eq!(viewer.get("/returns/figures/nonsense").await.status, StatusCode::NOT_FOUND);
    let mut api = app.api("viewer@example.org").await;
    let listed = api
        .request(Method::GET, "/api/v1/returns/figures/lado?partnership=southend&per_page=200", None, String::new())
        .await
        .json();
    let items = listed["items"].as_array().unwrap();
    assert!(
        items.iter().any(|f| f["field"] == "positive_percent" && f["period"] == "2030-31 Q1" && f["value"] == 87.5),
        "{listed}"
    );
    // The LADO's figures do not count on the adults' dashboard.
    let tile = bu.get("/dashboard/adults").await.texts("#tile-adults-concerns").concat();
    assert!(!tile.contains("2030-31 Q1"), "{tile}");

    // The annual report contribution: written answers and a choice, through the API too.
    let demo = bu.get("/returns").await.texts("#returns tbody tr");
    assert!(
        demo.iter().any(|r| r.contains("Annual report contribution")
            && r.contains("Southend City Council")
            && r.contains("submitted")),
        "{demo:?}"
    );
    // The contributions read together, question by question: the council's is in, the police's
    // draft is not counted.
    let read = viewer.get("/returns/figures/annual_report").await;
    assert_eq!(read.status, StatusCode::OK);
    let confidence = read.texts("#answers-priorities_confidence").concat();
    assert!(confidence.contains("Fairly confident: 1") && confidence.contains("Very confident: 0"), "{confidence}");
    let impact = read.texts("#answers-greatest_impact").concat();
    assert!(impact.contains("Southend City Council") && !impact.contains("Essex Police"), "{impact}");
    assert_eq!(viewer.get("/returns/figures/annual_report?period=1999-00").await.status, StatusCode::NOT_FOUND);
    let link = ask_police(app, &mut bu, "annual_report", "2030-31").await;
    let id = link.rsplit('/').next().unwrap();
    api = app.api("police.lead@example.org").await;
    let templates =
        api.request(Method::GET, "/api/v1/return-templates?partnership=southend", None, String::new()).await;
    assert_eq!(templates.status, StatusCode::OK, "{}", templates.body);
    let templates = templates.json();
    let annual =
        templates["items"].as_array().unwrap().iter().find(|t| t["code"] == "annual_report").unwrap()["id"].clone();
    let t = api.request(Method::GET, &format!("/api/v1/return-templates/{annual}"), None, String::new()).await.json();
    assert_eq!(t["period_type"], "financial_year");
    assert!(
        t["fields"].as_array().unwrap().iter().any(|f| f["id"] == "priorities_confidence" && f["kind"] == "choice")
    );
    let path = format!("/api/v1/returns/{id}");
    let bad = api
        .json(
            Method::POST,
            &path,
            serde_json::json!({"values": {"priorities_confidence": "Somewhat", "greatest_impact": 5}}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains(
            "choose one of Very confident, Fairly confident, Not very confident, Not confident at all, not 'Somewhat'"
        ),
        "{}",
        bad.body
    );
    let r = api
        .json(
            Method::POST,
            &path,
            serde_json::json!({"values": {"priorities_confidence": "fairly confident", "greatest_impact": "Joint missing-children meetings."}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = r.json();
    assert_eq!(r["template"], "annual_report");
    assert_eq!(r["values"]["priorities_confidence"], "Fairly confident");
    let listed = api.request(Method::GET, "/api/v1/returns?partnership=southend", None, String::new()).await.json();
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"].as_i64() == id.parse().ok() && x["status"] == "draft")
    );
}

on_both!(demo [Intelligence]; any_template_is_asked_for_answered_and_checked);

async fn a_partnership_imports_a_template_of_its_own(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let broken = "code: cdop\nversion: '1'\ntitle: Child deaths\nperiod: month\nfields:\n  - {id: deaths, type: whole, label: Deaths}\n  - {id: expected, type: whole, label: Expected, colour: red}\n";
    let r = bu
        .post_multipart("/returns/templates", &[], &[("file", "cdop.yaml", "application/yaml", broken.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.texts("#file-error li"),
        vec![
            "cdop.yaml line 7: unknown key 'colour' in a field: use id, group, label, help, type, choices, max, optional, measure, indicator"
        ]
    );
    let good = "code: cdop\nversion: '1'\ntitle: Child death reviews\nperiod: financial_year\nfields:\n  - {id: deaths, type: whole, label: Child deaths notified}\n  - {id: modifiable, type: whole, label: Reviews finding modifiable factors}\nchecks:\n  - {part: modifiable, whole: deaths}\n";
    let r = bu
        .post_multipart("/returns/templates", &[], &[("file", "cdop.yaml", "application/yaml", good.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let again = bu
        .post_multipart("/returns/templates", &[], &[("file", "cdop.yaml", "application/yaml", good.as_bytes())])
        .await;
    assert_eq!(
        again.texts("#file-error li"),
        vec!["cdop.yaml line 1: version 1 of 'cdop' is already imported; give the file a new version"]
    );
    // Southend asks for it; Essex's business unit does not see it.
    let link = ask_police(app, &mut bu, "cdop", "2030-31").await;
    let mut lead = app.sign_in("police.lead@example.org").await;
    let r = lead.post(&link, &[("deaths", "3"), ("modifiable", "4"), ("action", "save")]).await;
    assert_eq!(
        r.error_summary(),
        vec!["Reviews finding modifiable factors (4) cannot be more than Child deaths notified (3)"]
    );
    let mut essex = app.sign_in("essex.manager@example.org").await;
    assert!(
        !essex.get("/returns/templates").await.texts("#templates tbody tr").concat().contains("Child death reviews")
    );
    // As a spreadsheet: downloaded, edited (a new version, a field's group gone), imported.
    let ctx = app.core.operator().await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let lado =
        app.core.return_templates(&ctx, Some(southend)).await.unwrap().into_iter().find(|t| t.code == "lado").unwrap();
    let (status, _, book) = bu.download(&format!("/returns/templates/{}/template.xlsx", lado.id)).await;
    assert_eq!(status, StatusCode::OK);
    let mut t = assure_core::intelligence::returns::workbook::read(&book).expect("the downloaded workbook reads back");
    t.version = "2027.1".into();
    t.fields[0].group = Some("nowhere".into());
    let broken = assure_core::intelligence::returns::workbook::write(&t).unwrap();
    let r = bu
        .post_multipart("/returns/templates", &[], &[("file", "lado.xlsx", "application/octet-stream", &broken)])
        .await;
    assert_eq!(
        r.texts("#file-error li"),
        vec!["lado.xlsx: Fields sheet, row 2, column B (Group): the group 'nowhere' is not one of the groups"]
    );
    t.fields[0].group = Some("activity".into());
    let good = assure_core::intelligence::returns::workbook::write(&t).unwrap();
    let r =
        bu.post_multipart("/returns/templates", &[], &[("file", "lado.xlsx", "application/octet-stream", &good)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (_, _, yaml) = bu.download(&format!("{}/file", r.location().split('?').next().unwrap())).await;
    assert!(String::from_utf8(yaml).unwrap().starts_with("code: \"lado\"\nversion: \"2027.1\""), "kept as YAML");
    // New returns of the code ask for its latest version.
    let link = ask_police(app, &mut bu, "lado", "2031-32 Q1").await;
    assert!(bu.get(&link).await.texts(".govuk-caption-l").concat().starts_with("LADO quarterly figures"));
    let id: i64 = link.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(app.core.data_return(&ctx, assure_domain::DataReturnId(id)).await.unwrap().r.template_version, "2027.1");
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.record_type == "return_template" && e.action == "import"));
}

on_both!(demo [Intelligence]; a_partnership_imports_a_template_of_its_own);
