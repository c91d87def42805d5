//! Record-level extracts through the pages: an agency uploads its extract and sees the counts;
//! the stored counts give back exactly the files the console writes; a bad row refuses the file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::StatusCode;
use support::TestApp;

/// A small extract: two people referred twice a few months apart, across a year end.
fn extract() -> String {
    let mut s = String::from("contact_id,person_id,contact_date,source,outcome,age_band,lsoa11cd\n");
    let rows = [
        ("C1", "P1", "2024-02-29", "police", "referral", "E01015878"),
        ("C2", "P2", "2024-03-10", "school", "nfa", "E01015880"),
        ("C3", "P1", "2024-04-02", "police", "referral", "E01015878"),
        ("C4", "P3", "2024-04-15", "health", "referral", ""),
        ("C5", "P2", "2024-05-01", "school", "referral", "E01015880"),
        ("C6", "P4", "2024-05-20", "\"police, custody\"", "information", "W01000001"),
    ];
    for (c, p, d, src, out, lsoa) in rows {
        s.push_str(&format!("{c},{p},{d},{src},{out},5_9,{lsoa}\n"));
    }
    s
}

async fn an_agency_uploads_its_extract_and_sees_the_counts(app: &TestApp) {
    let mut lead = app.sign_in("police.lead@example.org").await;
    let page = lead.get("/extracts").await;
    assert_eq!(page.status, StatusCode::OK);
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let council = app.org_id("southend", "Southend City Council").await.to_string();
    assert_eq!(page.attr("#organisation_id option[selected]", "value"), police, "their own organisation, chosen");
    let text = extract();
    // For another organisation: refused.
    let r = lead
        .post_multipart(
            "/extracts",
            &[("organisation_id", &council)],
            &[("file", "contacts.csv", "text/csv", text.as_bytes())],
        )
        .await;
    assert_eq!(r.error_summary(), vec!["Select the organisation the extract comes from"]);
    // A bad row: refused with its row and column, nothing kept.
    let before = app.row_counts().await;
    let bad = text.replace("2024-04-15", "2024-04-31");
    let r = lead
        .post_multipart(
            "/extracts",
            &[("organisation_id", &police)],
            &[("file", "contacts.csv", "text/csv", bad.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = r.error_summary();
    assert!(e[0].starts_with("contacts.csv: Row 5, column C (contact_date): '2024-04-31'"), "{e:?}");
    assert_eq!(app.row_counts().await, before, "nothing kept");
    // The dashboard's contacts for April 2024, from the latest extract of each organisation.
    let april = |page: support::Reply| -> u64 {
        page.texts("#history tbody tr")
            .iter()
            .find(|r| r.starts_with("2024-04 "))
            .and_then(|r| r.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0)
    };
    let before_april = april(lead.get("/indicators/children.contacts").await);
    // A good one.
    let r = lead
        .post_multipart(
            "/extracts",
            &[("organisation_id", &police)],
            &[("file", "contacts.csv", "text/csv", text.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let run = r.location().split('?').next().unwrap().to_owned();
    let page = lead.get(&run).await;
    assert!(page.texts("#summary").concat().starts_with("6 contacts read"), "{:?}", page.texts("#summary"));
    let months = page.texts("#months-table tbody tr");
    assert_eq!(months, vec!["2024-02 1 1 100.0%", "2024-03 1 0 0.0%", "2024-04 2 2 100.0%", "2024-05 2 1 50.0%"]);
    assert!(page.body.contains("<title>2024-04: 2 contacts</title>"));
    // The stored counts give back exactly what the console writes for the same file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contacts.csv");
    std::fs::write(&file, &text).unwrap();
    let expected = assure_extract::aggregate_file(&file).unwrap();
    for (name, write) in assure_extract::Aggregates::TABLES {
        let mut want = Vec::new();
        write(&expected, &mut want).unwrap();
        let (status, headers, got) = lead.download(&format!("{run}/{name}")).await;
        assert_eq!(status, StatusCode::OK);
        let disposition = headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap();
        let what = name.trim_end_matches(".csv");
        assert!(
            disposition.contains("filename=\"extract-") && disposition.contains(&format!("-{what}-20")),
            "{disposition}"
        );
        // As written by the aggregator, with the byte-order mark every CSV download has.
        assert_eq!(String::from_utf8(got).unwrap(), format!("\u{FEFF}{}", String::from_utf8(want).unwrap()), "{name}");
    }
    // The counts feed the children's dashboard; a new upload by the same organisation replaces
    // its earlier one rather than adding to it.
    let indicator = lead.get("/indicators/children.contacts").await;
    assert_eq!(april(indicator), before_april + 2);
    let r = lead
        .post_multipart(
            "/extracts",
            &[("organisation_id", &police)],
            &[("file", "contacts-again.csv", "text/csv", text.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let indicator = lead.get("/indicators/children.contacts").await;
    let sources = indicator.texts("#history tbody tr").into_iter().find(|r| r.starts_with("2024-04 ")).unwrap();
    assert!(sources.contains("Essex Police's extract contacts-again.csv (6 rows"), "{sources}");
    assert_eq!(april(indicator), before_april + 2, "replaced, not added");
    let dashboard = lead.get("/dashboard/children").await;
    assert!(
        dashboard
            .texts("#tile-children-contact_conversion_percent")
            .concat()
            .contains("from the partners' latest extracts (2)")
    );
    assert!(!dashboard.texts("#deprivation #deciles-table tbody tr").is_empty(), "referrals by deprivation");
    // Everyone in the partnership sees the counts (they hold no personal data); only agencies
    // and the business unit upload.
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get(&run).await.status, StatusCode::OK);
    assert!(viewer.get("/extracts").await.texts("#runs tbody tr")[0].contains("Essex Police"));
    let r = viewer
        .post_multipart(
            "/extracts",
            &[("organisation_id", &police)],
            &[("file", "contacts.csv", "text/csv", text.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(app.audit().await.iter().any(|e| e.action == "extract" && e.record_type == "extract_run"));
}

on_both!(demo [Intelligence]; an_agency_uploads_its_extract_and_sees_the_counts);
