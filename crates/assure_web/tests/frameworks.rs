//! Assurance frameworks through the pages and the API: the shared versions, one framework's
//! tree, a partnership's business unit importing its own (seen and used only in that
//! partnership), and refusing a broken file with each problem's line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::{Method, StatusCode};
use support::TestApp;

async fn frameworks_are_shared_and_each_partnership_imports_its_own(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let list = viewer.get("/audits/frameworks").await;
    assert_eq!(list.texts("#frameworks tbody tr").len(), 4);
    assert!(list.body.contains("Section 11 self-assessment (Children Act 2004)"));
    assert!(!list.body.contains("Import a framework"), "only the business unit imports");
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

    // The demo partnership's own framework for community groups sits beside the shared ones.
    let whose = list.texts("#frameworks tbody tr");
    assert_eq!(whose.iter().filter(|r| r.contains("Shared by every partnership")).count(), 3, "{whose:?}");
    assert!(
        whose
            .iter()
            .any(|r| r.contains("Community and voluntary groups")
                && r.contains("Southend Safeguarding Partnership's own")),
        "{whose:?}"
    );

    // The business unit imports the partnership's own: a broken file is refused line by line.
    let mut bu = app.sign_in("business.manager@example.org").await;
    assert!(bu.get("/audits/frameworks").await.body.contains("Import a framework of your partnership's own"));
    let (_, _, file) = bu.download(&format!("{s11}/file")).await;
    let text = String::from_utf8(file).unwrap();
    let broken =
        text.replace("version: \"2025.1\"", "version: \"2026.1\"").replace("answer: percent", "answer: slider");
    let r = bu
        .post_multipart("/audits/frameworks", &[], &[("file", "s11.yaml", "application/yaml", broken.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = r.error_summary();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("s11.yaml line 76: unknown answer type 'slider'"), "{problems:?}");
    // The shipped version itself is not a partnership's to import again.
    let r = bu
        .post_multipart("/audits/frameworks", &[], &[("file", "s11.yaml", "application/yaml", text.as_bytes())])
        .await;
    assert_eq!(
        r.error_summary(),
        vec![
            "s11.yaml line 1: version 2025.1 of 'section11' is shared by every partnership already; give the file a new version"
        ]
    );
    let good = text.replace("version: \"2025.1\"", "version: \"2026.1\"");
    let r = bu
        .post_multipart("/audits/frameworks", &[], &[("file", "s11.yaml", "application/yaml", good.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let southends = r.location().split('?').next().unwrap().to_owned();
    assert_eq!(bu.get("/audits/frameworks").await.texts("#frameworks tbody tr").len(), 5);
    let r = bu
        .post_multipart("/audits/frameworks", &[], &[("file", "s11.yaml", "application/yaml", good.as_bytes())])
        .await;
    assert!(r.error_summary()[0].contains("version 2026.1 of 'section11' is already imported"));
    let imported = app.audit().await.into_iter().find(|e| e.action == "import" && e.record_type == "framework");
    let imported = imported.expect("the import is in the audit log");
    assert_eq!(imported.actor_label, "business.manager@example.org");
    assert!(imported.partnership_id.is_some(), "in the partnership's log");
    assert!(imported.detail.contains("\"shared\":false"), "{}", imported.detail);

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
    let r = bu.post_multipart("/audits/frameworks", &[], &[("file", "s11.xlsx", xlsx, &edited)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = bu.download(&format!("{}/file", r.location().split('?').next().unwrap())).await.2;
    assert!(String::from_utf8(stored).unwrap().contains("version: \"2026.2\""), "kept as YAML");
    framework.version = "2026.3".into();
    framework.nodes[1].parent = Some("99".into());
    let r = bu
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
    assert_eq!(bu.get("/audits/frameworks").await.texts("#frameworks tbody tr").len(), 6);
    // An agency lead reads the partnership's own but does not import.
    let mut lead = app.sign_in("police.lead@example.org").await;
    assert_eq!(lead.get(&southends).await.status, StatusCode::OK);
    let r = lead
        .post_multipart("/audits/frameworks", &[], &[("file", "s11.yaml", "application/yaml", good.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Another partnership neither sees nor opens it, and keeps its own versions apart: the
    // same code and version is Essex's own too.
    let mut essex = app.sign_in("essex.manager@example.org").await;
    assert_eq!(essex.get("/audits/frameworks").await.texts("#frameworks tbody tr").len(), 3, "the shared only");
    assert_eq!(essex.get(&southends).await.status, StatusCode::NOT_FOUND);
    assert_eq!(essex.get(&format!("{southends}/file")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(essex.get(&format!("{southends}/framework.xlsx")).await.status, StatusCode::NOT_FOUND);
    let r = essex
        .post_multipart("/audits/frameworks", &[], &[("file", "s11.yaml", "application/yaml", good.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(essex.get("/audits/frameworks").await.texts("#frameworks tbody tr").len(), 4);

    // A campaign uses the partnership's own framework on its own, not jointly with another.
    let new = bu.get("/audits/new").await;
    let options = new.texts("#framework_id option");
    assert!(options.iter().any(|o| o == "Section 11 self-assessment (Children Act 2004) (version 2026.1, Southend Safeguarding Partnership's own)"), "{options:?}");
    assert!(!options.iter().any(|o| o.contains("Essex")), "{options:?}");
    let own_id = southends.rsplit('/').next().unwrap().to_owned();
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let essex_id = app.core.my_partnerships(&app.core.operator().await.unwrap()).await.unwrap();
    let essex_id = essex_id.iter().find(|p| p.slug == "essex").unwrap().id.0.to_string();
    let today = chrono::Utc::now().date_naive();
    let (opens, closes) = (today.to_string(), (today + chrono::Days::new(30)).to_string());
    let campaign = |partnerships: &[&str]| {
        let mut form = vec![
            ("title", "Local Section 11 (own edition)"),
            ("framework_id", own_id.as_str()),
            ("opens_on", opens.as_str()),
            ("closes_on", closes.as_str()),
            ("organisation_ids", police.as_str()),
        ];
        form.extend(partnerships.iter().map(|p| ("partnership_ids", *p)));
        form.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect::<Vec<_>>()
    };
    // The administrator of all three launches campaigns jointly.
    let mut admin = app.sign_in("admin@example.org").await;
    let jointly = campaign(&[essex_id.as_str()]);
    let b: Vec<(&str, &str)> = jointly.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = admin.post("/audits", &b).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.error_summary(),
        vec![
            "This framework is your partnership's own: a campaign run with other partnerships uses a framework shared by all of them"
        ]
    );
    let alone = campaign(&[]);
    let b: Vec<(&str, &str)> = alone.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = bu.post("/audits", &b).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Essex's business unit cannot launch one with Southend's framework.
    let essex_org = app.org_id("essex", "Essex Police").await.to_string();
    let mut theirs = campaign(&[]);
    theirs.retain(|(k, _)| k != "organisation_ids");
    theirs.push(("organisation_ids".into(), essex_org));
    let b: Vec<(&str, &str)> = theirs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = essex.post("/audits", &b).await;
    assert_eq!(r.error_summary(), vec!["Select the framework from the list"]);

    // The shared frameworks are the operator's to add, at the console: no administrator of one
    // partnership changes what every partnership uses.
    let ctx = app.core.operator().await.unwrap();
    assert!(app.core.may_import_frameworks(&ctx, None));
    let r = admin
        .post_multipart("/audits/frameworks", &[], &[("file", "s11.yaml", "application/yaml", good.as_bytes())])
        .await;
    assert!(r.error_summary()[0].contains("already imported"), "the administrator imports the partnership's own");

    let mut api = app.api("viewer@example.org").await;
    let all = api.request(Method::GET, "/api/v1/frameworks", None, String::new()).await.json()["items"].clone();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 6, "the shared and Southend's own: {all:?}");
    assert_eq!(all.iter().filter(|f| f["partnership_id"].is_null()).count(), 3);
    let id = all.iter().find(|f| f["code"] == "s175").unwrap()["id"].as_i64().unwrap();
    let one = api.request(Method::GET, &format!("/api/v1/frameworks/{id}"), None, String::new()).await.json();
    assert_eq!(one["scheme"], "rag");
    assert!(one["items"].as_array().unwrap().iter().any(|i| i["type"] == "question" && i["answer"] == "choice"));
    let mut essex_api = app.api("essex.manager@example.org").await;
    let path = format!("/api/v1/frameworks/{own_id}");
    assert_eq!(essex_api.request(Method::GET, &path, None, String::new()).await.status, StatusCode::NOT_FOUND);
    let theirs = essex_api.request(Method::GET, "/api/v1/frameworks", None, String::new()).await.json();
    assert_eq!(theirs["total"], 4, "the shared and Essex's own");
}

on_both!(demo [Audits]; frameworks_are_shared_and_each_partnership_imports_its_own);
