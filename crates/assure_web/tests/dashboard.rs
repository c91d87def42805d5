//! The children's dashboard through the pages: Southend's published figures against England and
//! its statistical neighbours, an indicator's history with its sources, the business unit's
//! thresholds and commentary, and the downloads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::{StatusCode, header};
use support::TestApp;

async fn the_children_dashboard_shows_southend_against_england_and_its_neighbours(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let page = viewer.get("/dashboard/children").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("#neighbours").concat().contains("Medway"), "Southend's statistical neighbours");
    let tile = page.texts("#tile-children-referral_rate").concat();
    assert!(tile.contains("334.5 in 2024-25"), "{tile}");
    assert!(tile.contains("down 74.4 on 2023-24"), "{tile}");
    let rereferrals = page.texts("#tile-children-rereferral_percent").concat();
    assert!(rereferrals.contains("17.1 in 2024-25") && rereferrals.contains("Green"), "{rereferrals}");
    assert!(page.body.contains("<title>Southend-on-Sea, 2018-19: 719.2</title>"), "each point has its figure");
    // A rate is drawn against England and the neighbours; a count alone (England's total on the
    // same axis would flatten the area's line), its figures with thousands separated.
    let series = |chart: &str| page.attrs(&format!("#{chart} path[data-series]"), "data-series");
    assert_eq!(series("chart-children-referral_rate"), vec!["area", "England", "neighbours"]);
    assert_eq!(series("chart-children-referrals"), vec!["area"]);
    assert!(page.body.contains("<title>Southend-on-Sea, 2018-19: 2,772</title>"), "a count's figure is separated");
    let referrals = page.texts("#tile-children-referrals [data-latest]").concat();
    assert!(referrals.contains(',') && referrals.replace(',', "").parse::<u32>().is_ok(), "{referrals}");
    assert!(tile.contains("Neither higher nor lower is better."), "a sentence of its own: {tile}");
    assert!(page.texts("#tile-children-referral_rate").concat().contains("Commentary, 2024-25"));
    assert!(!page.body.contains("Set the area"), "only the business unit sets the area");

    // The indicator's page: definition, history with its sources, commentary.
    let page = viewer.get("/indicators/children.referral_rate").await;
    assert!(page.texts("#definition").concat().contains("preceding June"));
    let rows = page.texts("#history tbody tr");
    let y2019 = rows.iter().find(|r| r.starts_with("2018-19")).unwrap();
    // Every figure in a table has its thousands separated.
    assert!(y2019.contains("719.2") && y2019.contains("2,772") && y2019.contains("38,542"), "{y2019}");
    assert!(y2019.contains("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"), "{y2019}");
    assert!(y2019.contains("ons_mid-year_population_estimates_2012_to_2024.csv"), "{y2019}");
    assert_eq!(viewer.get("/indicators/children.happiness").await.status, StatusCode::NOT_FOUND);
    let (status, _, csv) = viewer.download("/indicators/children.referral_rate/values.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(csv).unwrap().contains("2018-19,719.2,2772,38542"));
    let (status, headers, csv) = viewer.download("/dashboard/children/values.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("children-s-dashboard-20"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("\u{FEFF}indicator,title,period,area_code,value,england,neighbours_mean"));
    assert!(csv.contains("children.rereferral_percent,Re-referrals within 12 months,2018-19,E06000033,24.4,"), "{csv}");
    let (status, headers, book) = viewer.download("/dashboard/children/values.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("children-s-dashboard-"));
    assert!(assure_testing::workbook_rows(&book).len() > 50);
    // Figures are numbers a spreadsheet can sum, codes and periods stay text, and a missing
    // figure is an empty cell, never the word "none".
    let sheet =
        assure_testing::workbook_parts(&book).into_iter().find(|(n, _)| n.contains("worksheets/sheet1")).unwrap().1;
    assert!(sheet.contains("<v>24.4</v>") || sheet.contains("<v>24.399999999999999</v>"), "24.4 is a number");
    let strings =
        assure_testing::workbook_parts(&book).into_iter().find(|(n, _)| n.contains("sharedStrings")).unwrap().1;
    assert!(strings.contains("<t>2018-19</t>") && !strings.contains("<t>none</t>"));
    // The board pack: every indicator's chart as a vector figure with alternative text, and its
    // figures as a table, in a tagged PDF and in Word.
    let (status, headers, pdf) = viewer.download("/dashboard/children/board-pack.pdf").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("childrens-dashboard-board-pack-"));
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(
        info.contains("Tagged: yes") && info.contains("Title: Children's safeguarding dashboard: Southend"),
        "{info}"
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Re-referrals within 12 months") && flat.contains("24.4"), "{flat}");
    let objects = assure_testing::pdf_objects(&pdf);
    let figures = objects.matches("/S /Figure").count();
    assert!(figures >= 5, "{figures} figures");
    assert!(objects.matches("/Alt (Line chart of").count() >= figures, "every figure has alternative text");
    let (status, _, archival) = viewer.download("/dashboard/children/board-pack.archive.pdf").await;
    assert_eq!(status, StatusCode::OK);
    let objects = assure_testing::pdf_objects(&archival);
    assert!(objects.contains("pdfaid:part") && objects.contains("pdfuaid:part"), "PDF/A and PDF/UA");
    assert!(objects.matches("/S /Figure").count() >= figures, "the archival copy keeps its figures");
    let (status, _, docx) = viewer.download("/dashboard/children/board-pack.docx").await;
    assert_eq!(status, StatusCode::OK);
    let parts = assure_testing::workbook_parts(&docx);
    let body = &parts.iter().find(|(n, _)| n == "word/document.xml").unwrap().1;
    assert!(body.contains("Re-referrals within 12 months") && body.contains(r#"descr="Line chart of"#));
    let charts = parts.iter().filter(|(n, _)| n.starts_with("word/charts/chart")).count();
    assert!(charts >= 5, "every indicator's chart is a Word chart: {charts}");
    // LibreOffice opens the Word file and draws its charts: their legends are in its text.
    let (text, _) = assure_testing::word_text(&docx);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Re-referrals within 12 months, year by year"), "{flat}");
    assert!(flat.contains("Southend-on-Sea England Neighbours' mean"), "the legend: {flat}");
    assert_eq!(
        viewer
            .post("/indicators/children.referral_rate/commentary", &[("period", "2024-25"), ("body", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The business unit sets thresholds and writes commentary; bad input is named.
    let mut bu = app.sign_in("business.manager@example.org").await;
    let r = bu.post("/indicators/children.referral_rate/thresholds", &[("green", "500"), ("red", "600")]).await;
    assert_eq!(
        r.error_summary(),
        vec!["Neither a higher nor a lower value is better for this indicator, so it has no RAG"]
    );
    let r = bu.post("/indicators/children.rereferral_percent/thresholds", &[("green", "25"), ("red", "twenty")]).await;
    assert_eq!(r.error_summary(), vec!["Enter the red threshold as a number, such as 25"]);
    let r = bu.post("/indicators/children.rereferral_percent/thresholds", &[("green", "25"), ("red", "20")]).await;
    assert_eq!(r.error_summary(), vec!["Lower is better here: the red threshold must be above the green one"]);
    assert_eq!(
        bu.post("/indicators/children.rereferral_percent/thresholds", &[("green", "15"), ("red", "17")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(bu.get("/dashboard/children").await.texts("#tile-children-rereferral_percent").concat().contains("Red"));
    let r = bu.post("/indicators/children.cin_rate/commentary", &[("period", "1999-00"), ("body", "")]).await;
    assert_eq!(r.error_summary(), vec!["Select the period from the list", "Enter the commentary"]);
    assert_eq!(
        bu.post(
            "/indicators/children.cin_rate/commentary",
            &[("period", "2024-25"), ("body", "Stable since the step-down review.")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert!(bu.get("/indicators/children.cin_rate").await.texts("#commentary li").concat().contains("Stable since"));
    // A deep dive asked of the police: an action on the plan, in their tasks.
    let dive = "/indicators/children.referral_rate/deep-dives";
    let r = bu.post(dive, &[("question", " ")]).await;
    let e = r.error_summary();
    assert!(e.contains(&"Say what the organisation should look into".to_owned()), "{e:?}");
    assert!(e.contains(&"Select the subgroup that owns it".to_owned()), "{e:?}");
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let body = app.body_id("southend", "Child Practice Review").await.to_string();
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(20)).to_string();
    let r = bu
        .post(
            dive,
            &[
                ("question", "Why police referrals fell in the autumn"),
                ("period", "2024-25"),
                ("organisation_id", &police),
                ("owner", "Detective Inspector, MASH"),
                ("target_on", &due),
                ("body_id", &body),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with("/actions/"));
    let plan = viewer.get("/plan").await.body;
    assert!(plan.contains("Why police referrals fell in the autumn"), "on the plan");
    let mut lead = app.sign_in("police.lead@example.org").await;
    assert!(lead.get("/").await.body.contains("Why police referrals fell in the autumn"), "in the police lead's tasks");
    assert_eq!(viewer.post(dive, &[("question", "x")]).await.status, StatusCode::FORBIDDEN);
    let r = bu.post("/dashboard/area", &[("area", "E12000006")]).await;
    assert_eq!(
        r.error_summary(),
        vec!["Enter a local authority's ONS code (such as E06000033) or DfE number (882) from the published data"]
    );
    assert_eq!(bu.post("/dashboard/area", &[("area", "882")]).await.status, StatusCode::SEE_OTHER);
    let audit = app.audit().await;
    for action in ["threshold", "comment"] {
        assert!(audit.iter().any(|e| e.action == action && e.record_type == "indicator"), "{action}");
    }

    // A partnership whose area has no published figures says so.
    let mut essex = app.sign_in("essex.manager@example.org").await;
    let page = essex.get("/dashboard/children").await;
    assert!(page.body.contains("say which it is"), "Essex has not set its area");
    assert_eq!(essex.post("/dashboard/area", &[("area", "E10000012")]).await.status, StatusCode::SEE_OTHER);
    let intro = essex
        .get("/dashboard/children")
        .await
        .texts("main p")
        .into_iter()
        .find(|p| p.contains("against England"))
        .unwrap();
    // Essex has one statistical neighbour in the published list, and is told so in the singular.
    assert!(intro.contains("against England and its statistical neighbour ( Kent )"), "{intro}");
}

on_both!(demo [Intelligence]; the_children_dashboard_shows_southend_against_england_and_its_neighbours);

async fn the_business_unit_versions_an_indicator_without_rewriting_old_values(app: &TestApp) {
    let path = "/indicators/children.rereferral_percent";
    let mut viewer = app.sign_in("viewer@example.org").await;
    let before = viewer.get(path).await.texts("#history tbody tr");
    let old = before.iter().find(|r| r.starts_with("2018-19")).unwrap().clone();
    assert!(old.contains("24.4") && old.ends_with('1'), "{old}");
    assert_eq!(viewer.post(&format!("{path}/versions"), &[("title", "x")]).await.status, StatusCode::FORBIDDEN);

    let mut bu = app.sign_in("business.manager@example.org").await;
    let council = app.org_id("southend", "Southend City Council").await.to_string();
    let form = |from: &'static str, decimals: &'static str, reason: &'static str| -> Vec<(&'static str, String)> {
        vec![
            ("title", "Re-referrals within a year".into()),
            ("definition", "Referrals within 12 months of a previous referral, over all referrals.".into()),
            ("polarity", "lower".into()),
            ("decimals", decimals.into()),
            ("suppress_below", "6".into()),
            ("owner", "Head of the children's front door".into()),
            ("supplier_id", council.clone()),
            ("effective_from", from.into()),
            ("reason", reason.into()),
        ]
    };
    let post = |fields: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { fields.clone() };
    let bad = post(&form("2023-24 Q1", "9", ""));
    let fields: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = bu.post(&format!("{path}/versions"), &fields).await;
    assert_eq!(
        r.error_summary(),
        vec![
            "Enter the decimal places, from 0 to 3",
            "Enter the first year it applies to, such as 2025-26",
            "Say why the definition changes"
        ]
    );
    let good = post(&form("2023-24", "2", "The subgroup compares to two places"));
    let fields: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(bu.post(&format!("{path}/versions"), &fields).await.status, StatusCode::SEE_OTHER);

    // Values from 2023-24 follow version 2; earlier ones keep version 1.
    let page = viewer.get(path).await;
    assert!(page.texts("h1").concat().contains("Re-referrals within a year"));
    let definition = page.texts("#definition").concat();
    assert!(definition.contains("Head of the children's front door") && definition.contains("Southend City Council"));
    let rows = page.texts("#history tbody tr");
    assert_eq!(rows.iter().find(|r| r.starts_with("2018-19")), Some(&old), "an old value is not rewritten");
    let recent = rows.iter().find(|r| r.starts_with("2024-25")).unwrap();
    let value = recent.split_whitespace().nth(1).unwrap();
    assert!(value.split_once('.').is_some_and(|(_, d)| d.len() == 2), "{recent}");
    assert!(recent.ends_with('2'), "{recent}");
    let versions = page.texts("#versions-table tbody tr");
    assert!(versions[0].starts_with("2 2023-24 Re-referrals within a year"), "{versions:?}");
    assert!(versions[1].contains("as shipped with Assure"), "{versions:?}");
    // A later version must start later.
    let again = post(&form("2022-23", "1", "Back to one place"));
    let fields: Vec<(&str, &str)> = again.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = bu.post(&format!("{path}/versions"), &fields).await;
    assert_eq!(r.error_summary(), vec!["Version 2 already applies from 2023-24: a new version must start later"]);
    let (_, _, csv) = viewer.download(&format!("{path}/values.csv")).await;
    assert!(String::from_utf8(csv).unwrap().lines().next().unwrap().ends_with(",version"));
    assert!(
        viewer
            .get("/dashboard/children")
            .await
            .texts("#tile-children-rereferral_percent")
            .concat()
            .contains("Re-referrals within a year")
    );
    assert!(app.audit().await.iter().any(|e| e.record_type == "indicator" && e.action == "version"));
}

on_both!(demo [Intelligence]; the_business_unit_versions_an_indicator_without_rewriting_old_values);

/// The dashboards are kept computed between requests; a change to any of their inputs, by any
/// use-case or by another process writing the database directly, shows on the next request.
async fn a_dashboard_shows_a_change_to_its_inputs_on_the_next_request(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let tile = |page: &support::Reply| page.texts("#tile-children-referral_rate").concat();
    let before = tile(&viewer.get("/dashboard/children").await);
    assert_eq!(tile(&viewer.get("/dashboard/children").await), before, "the same figures while nothing changes");
    // Another process halves Southend's referrals, outside every use-case.
    let mut tx = app.db.store.write().await.unwrap();
    sqlx::query(
        "UPDATE observations SET value = '1' WHERE measure = 'referrals' \
         AND area_code = (SELECT area_code FROM partnership_areas WHERE partnership_id = 1)",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let after = tile(&viewer.get("/dashboard/children").await);
    assert_ne!(after, before, "the dashboard follows its inputs at once");
}
on_both!(demo [Intelligence]; a_dashboard_shows_a_change_to_its_inputs_on_the_next_request);
