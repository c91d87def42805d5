//! Assurance frameworks through the pages and the API: the shipped versions, one framework's
//! tree, importing a new version, and refusing a broken file with each problem's line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::{Method, StatusCode};
use support::TestApp;

async fn frameworks_are_shown_and_imported_by_administrators(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let list = viewer.get("/audits/frameworks").await;
    assert_eq!(list.texts("#frameworks tbody tr").len(), 3);
    assert!(list.body.contains("Section 11 self-assessment (Children Act 2004)"));
    assert!(!list.body.contains("Import a framework"), "only administrators import");
    let html = list.html();
    let links = scraper::Selector::parse("#frameworks a").unwrap();
    let s11 = html
        .select(&links)
        .find(|a| a.text().collect::<String>().starts_with("Section 11"))
        .and_then(|a| a.value().attr("href"))
        .unwrap()
        .to_owned();
    let page = viewer.get(&s11).await;
    let rows = page.texts("#tree tbody tr");
    assert!(rows.iter().any(|r| r.starts_with("1. Senior leadership and accountability")), "{rows:?}");
    assert_eq!(page.texts("#tree strong").len(), 8, "the eight standards");
    assert!(page.texts("#scheme").concat().contains("4 Outstanding"));

    let mut admin = app.sign_in("admin@example.org").await;
    let (_, _, file) = admin.download(&format!("{s11}/file")).await;
    let text = String::from_utf8(file).unwrap();
    let broken =
        text.replace("version: \"2025.1\"", "version: \"2026.1\"").replace("answer: percent", "answer: slider");
    let r = admin
        .post_multipart("/audits/frameworks", &[], &[("file", "s11.yaml", "application/yaml", broken.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = r.error_summary();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("s11.yaml line 76: unknown answer type 'slider'"), "{problems:?}");
    let good = text.replace("version: \"2025.1\"", "version: \"2026.1\"");
    let r = admin
        .post_multipart("/audits/frameworks", &[], &[("file", "s11.yaml", "application/yaml", good.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(admin.get("/audits/frameworks").await.texts("#frameworks tbody tr").len(), 4);
    let r = admin
        .post_multipart("/audits/frameworks", &[], &[("file", "s11.yaml", "application/yaml", good.as_bytes())])
        .await;
    assert!(r.error_summary()[0].contains("version 2026.1 of 'section11' is already imported"));
    // The same framework as a spreadsheet: edited and imported, or broken and refused cell by cell.
    let (status, headers, book) = viewer.download(&format!("{s11}/framework.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap().contains("section11-2025.1.xlsx"));
    let sheets = assure_testing::workbook_sheets(&book);
    let mut framework = assure_core::audits::frameworks::workbook::read(&book).unwrap();
    assert_eq!(sheets.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["Framework", "Levels", "Items"]);
    framework.version = "2026.2".into();
    let edited = assure_core::audits::frameworks::workbook::write(&framework).unwrap();
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let r = admin.post_multipart("/audits/frameworks", &[], &[("file", "s11.xlsx", xlsx, &edited)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = admin.download(&format!("{}/file", r.location().split('?').next().unwrap())).await.2;
    assert!(String::from_utf8(stored).unwrap().contains("version: \"2026.2\""), "kept as YAML");
    framework.version = "2026.3".into();
    framework.nodes[1].parent = Some("99".into());
    let r = admin
        .post_multipart(
            "/audits/frameworks",
            &[],
            &[("file", "s11.xlsx", xlsx, &assure_core::audits::frameworks::workbook::write(&framework).unwrap())],
        )
        .await;
    assert_eq!(
        r.error_summary(),
        vec!["s11.xlsx: Items sheet, row 3, column B (Parent): the parent '99' is not an item above this one"]
    );
    assert_eq!(admin.get("/audits/frameworks").await.texts("#frameworks tbody tr").len(), 5);
    // The business unit of one partnership does not change what every partnership uses.
    let mut bu = app.sign_in("business.manager@example.org").await;
    let r = bu
        .post_multipart("/audits/frameworks", &[], &[("file", "s11.yaml", "application/yaml", good.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut api = app.api("viewer@example.org").await;
    let all = api.request(Method::GET, "/api/v1/frameworks", None, String::new()).await.json()["items"].clone();
    assert_eq!(all.as_array().unwrap().len(), 5);
    let id = all.as_array().unwrap().iter().find(|f| f["code"] == "s175").unwrap()["id"].as_i64().unwrap();
    let one = api.request(Method::GET, &format!("/api/v1/frameworks/{id}"), None, String::new()).await.json();
    assert_eq!(one["scheme"], "rag");
    assert!(one["items"].as_array().unwrap().iter().any(|i| i["type"] == "question" && i["answer"] == "choice"));
}

on_both!(demo [Audits]; frameworks_are_shown_and_imported_by_administrators);
