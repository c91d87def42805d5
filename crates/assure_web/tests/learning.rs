//! The learning loop through the pages: recommendations, actions owned by agencies, progress,
//! evidence with attachments, the subgroup's judgement, the Consolidated Action Plan; the merged
//! chronology (form, upload, exports) and the 7-minute briefing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Read;

use assure_core::documents::xlsx;
use axum::http::{StatusCode, header};
use support::TestApp;

/// Row counts of every table but the audit log (showing a form again logs a read of the review).
async fn data_rows(app: &TestApp) -> Vec<(String, usize)> {
    app.row_counts().await.into_iter().filter(|(t, _)| t != "audit_log").collect()
}

async fn business_unit_adds_a_recommendation_and_an_action_and_bad_input_changes_nothing(app: &TestApp) {
    let mut c = app.sign_in("business.manager@example.org").await;
    let review = app.review_id("Child H").await;
    let path = format!("/reviews/{review}/recommendations");
    let before = data_rows(app).await;
    let r = c.post(&path, &[("number", ""), ("text", "Do better"), ("scope", "galactic"), ("body_id", "999999")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec!["Enter the recommendation's number", "Select who the recommendation is for from the list"]
    );
    let r = c.post(&path, &[("number", "2"), ("text", "Do better"), ("scope", "local"), ("body_id", "999999")]).await;
    assert_eq!(r.error_summary(), vec!["Select the subgroup that owns it from the list"]);
    assert_eq!(data_rows(app).await, before, "refused input leaves nothing behind");

    let cpr = app.body_id("southend", "Child Practice Review").await.to_string();
    let r = c
        .post(
            &path,
            &[
                ("number", "2"),
                ("text", "Health and social care should share transition plans."),
                ("scope", "local"),
                ("body_id", &cpr),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Through the API, an error names the field as the API does.
    let mut api = app.api("business.manager@example.org").await;
    let r = api
        .json(
            axum::http::Method::POST,
            &format!("/api/v1/reviews/{review}/recommendations"),
            serde_json::json!({"number": "9", "text": "Share plans", "scope": "local"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.json()["errors"]["owning_subgroup_id"].is_array(), "{}", r.body);
    // A number is unique on its review, whatever its case or spacing.
    let before = data_rows(app).await;
    let r = c.post(&path, &[("number", " 2 "), ("text", "Again"), ("scope", "local"), ("body_id", &cpr)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Recommendation 2 is already on this review: give this one another number"]);
    assert_eq!(data_rows(app).await, before, "refused input leaves nothing behind");
    let page = c.get(&path).await;
    assert!(page.texts("h2").contains(&"Recommendation 2".to_owned()));
    let rec = page.attr("#recommendation_id option:last-child", "value");
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let actions = format!("/reviews/{review}/actions");
    let r = c
        .post(
            &actions,
            &[
                ("recommendation_id", &rec),
                ("action", ""),
                ("organisation_id", &police),
                ("owner", "DI"),
                ("target_on", "2026-02-30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Enter the action", "The target date must be a real date"]);
    let r = c
        .post(
            &actions,
            &[
                ("recommendation_id", &rec),
                ("action", "Share transition plans with the police missing-person coordinator."),
                ("organisation_id", &police),
                ("owner", "Missing Person Coordinator"),
                ("owner_email", "nobody@example.org"),
                ("target_on", "2027-03-31"),
            ],
        )
        .await;
    assert_eq!(r.error_summary(), vec!["There is no account with that email address"]);
    let r = c
        .post(
            &actions,
            &[
                ("recommendation_id", &rec),
                ("action", "Share transition plans with the police missing-person coordinator."),
                ("organisation_id", &police),
                ("owner", "Missing Person Coordinator"),
                ("owner_email", "police.lead@example.org"),
                ("target_on", "2027-03-31"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The owner sees it in their tasks.
    let mut lead = app.sign_in("police.lead@example.org").await;
    let home = lead.get("/").await;
    assert!(
        home.texts("#my-tasks td").iter().any(|t| t.contains("Share transition plans")),
        "{:?}",
        home.texts("#my-tasks td")
    );
    // A recommendation of another review cannot be used here.
    let other = app.review_id("Child F").await;
    let r = c
        .post(
            &format!("/reviews/{other}/actions"),
            &[
                ("recommendation_id", &rec),
                ("action", "x"),
                ("organisation_id", &police),
                ("owner", "x"),
                ("target_on", "2027-01-01"),
            ],
        )
        .await;
    assert_eq!(r.error_summary(), vec!["Select the recommendation from the list"]);
}

async fn an_agency_lead_reports_on_their_own_actions_only_and_the_subgroup_judges_the_evidence(app: &TestApp) {
    let own = app.action_id("Brief every response officer").await;
    let other = app.action_id("Add adultification to the return-home").await;
    let mut lead = app.sign_in("police.lead@example.org").await;
    // Another agency's action: visible on the plan, but not theirs to change.
    assert_eq!(lead.get(&format!("/actions/{other}")).await.status, StatusCode::OK);
    let progress = [("note", "Refresher planned"), ("status", "in_progress"), ("rag", "green")];
    assert_eq!(lead.post(&format!("/actions/{other}/progress"), &progress).await.status, StatusCode::FORBIDDEN);
    let r = lead.post(&format!("/actions/{own}/progress"), &[("note", ""), ("status", "done"), ("rag", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec!["Enter what has happened", "Select the status from the list", "Select the RAG rating"]
    );
    assert_eq!(lead.post(&format!("/actions/{own}/progress"), &progress).await.status, StatusCode::SEE_OTHER);
    let page = lead.get(&format!("/actions/{own}")).await;
    assert!(page.texts("#action-status").concat().contains("In progress"));
    // The update is dated as a person reads dates, not as the database keeps them.
    let today = chrono::Utc::now().date_naive();
    assert!(
        page.texts("#progress tbody tr")[0].starts_with(&today.format("%-d %B %Y").to_string()),
        "{:?}",
        page.texts("#progress tbody tr")
    );
    // A milestone is a step towards the action: due by its target date.
    let ctx = app.core.operator().await.unwrap();
    let target = app.core.action_detail(&ctx, assure_domain::ActionId(own)).await.unwrap().item.action.target_on;
    let after = (target + chrono::Duration::days(1)).to_string();
    let milestones = format!("/actions/{own}/milestones");
    let r = lead.post(&milestones, &[("milestone", "Half briefed"), ("milestone_due_on", &after)]).await;
    assert_eq!(
        r.error_summary(),
        vec![format!(
            "The milestone's date must be on or before the action's target date, {}",
            target.format("%-d %B %Y")
        )]
    );
    let r = lead.post(&milestones, &[("milestone", "Half briefed"), ("milestone_due_on", &target.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // Evidence with an attachment: all or nothing.
    let path = format!("/actions/{own}/evidence");
    let before = data_rows(app).await;
    let r = lead
        .post_multipart(
            &path,
            &[("kind", "training"), ("narrative", "")],
            &[("files", "a.pdf", "application/pdf", b"%PDF-1.4 x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Enter what the evidence shows"]);
    let r = lead
        .post_multipart(
            &path,
            &[("kind", "training"), ("narrative", "Re-audit")],
            &[("files", "empty.txt", "text/plain", b"")],
        )
        .await;
    assert_eq!(r.error_summary(), vec!["The file empty.txt is empty"]);
    // Evidence is a document, image, spreadsheet or text, by its content as well as its name.
    let program: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00";
    let r = lead
        .post_multipart(
            &path,
            &[("kind", "training"), ("narrative", "Re-audit")],
            &[("files", "setup.exe", "application/octet-stream", program)],
        )
        .await;
    assert_eq!(
        r.error_summary(),
        vec![
            "The file setup.exe is not a document, image, spreadsheet or text file: attach PDF, Word, Excel, PowerPoint, OpenDocument, RTF, PNG, JPEG, GIF, CSV or text"
        ]
    );
    let r = lead
        .post_multipart(
            &path,
            &[("kind", "training"), ("narrative", "Re-audit")],
            &[("files", "report.pdf", "application/pdf", program)],
        )
        .await;
    assert_eq!(r.error_summary(), vec!["The file report.pdf is not what its name says: its content is not a PDF"]);
    assert_eq!(data_rows(app).await, before);
    let content: &[u8] = b"<script>alert(1)</script> dip-sample results";
    let r = lead
        .post_multipart(
            &path,
            &[("kind", "audit_result"), ("narrative", "Second dip-sample: 19 of 20 reports record vulnerability.")],
            &[("files", "..\\dip sample.txt", "text/html", content)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = lead.get(&format!("/actions/{own}")).await;
    let html = page.html();
    let links = scraper::Selector::parse("a[download]").unwrap();
    let file = html.select(&links).next_back().unwrap().value().attr("href").unwrap().to_owned();
    assert_eq!(page.texts("a[download]"), vec!["dip-sample-summary.csv", "dip sample.txt"]);
    let (status, headers, bytes) = lead.download(&file).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, content);
    assert_eq!(headers[header::CONTENT_TYPE], "application/octet-stream", "never rendered as a page");
    assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment;"));

    // Judging belongs to the owning subgroup (Child Practice Review) and the business unit.
    let forms = page.html();
    let selector = scraper::Selector::parse("div[id^='evidence-']").unwrap();
    let card = forms.select(&selector).next_back().unwrap().value().attr("id").unwrap().to_owned();
    let evidence = format!("/evidence/{}/judgement", card.trim_start_matches("evidence-"));
    let judgement = [("judgement", "assured"), ("comment", "Sustained improvement.")];
    assert_eq!(lead.post(&evidence, &judgement).await.status, StatusCode::FORBIDDEN);
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.post(&evidence, &judgement).await.status, StatusCode::FORBIDDEN);
    let mut member = app.sign_in("cpr.member@example.org").await;
    let r = member.post(&evidence, &[("judgement", "assured"), ("comment", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Enter the subgroup's comment"]);
    assert_eq!(member.post(&evidence, &judgement).await.status, StatusCode::SEE_OTHER);
    let page = member.get(&format!("/actions/{own}")).await;
    assert!(page.body.contains("Sustained improvement."));
    assert!(app.audit().await.iter().any(|e| e.action == "judge" && e.actor_label == "cpr.member@example.org"));
}

async fn the_plan_filters_pages_and_exports(app: &TestApp) {
    let mut c = app.sign_in("viewer@example.org").await;
    let all = c.get("/plan").await;
    assert_eq!(all.status, StatusCode::OK);
    // Open actions only by default: the demo has 7 actions, 2 of them completed.
    assert_eq!(all.texts("#plan-count"), vec!["5 actions"]);
    // The viewer may not see the reviews, so the plan names only their type.
    assert!(all.texts("#plan td").iter().any(|t| t.starts_with("A case review (")));
    assert!(!all.body.contains("Child F"));
    let overdue = c.get("/plan?overdue=true").await;
    assert_eq!(overdue.texts("#plan-count"), vec!["3 actions"]);
    let police = app.org_id("southend", "Essex Police").await;
    // The briefing of response officers, and the 2019 Section 11 finding on the voice of the child.
    let done = c.get(&format!("/plan?status=completed&organisation={police}")).await;
    assert_eq!(done.texts("#plan-count"), vec!["2 actions"]);
    let adults = c.get("/plan?arm=adults").await;
    assert_eq!(adults.texts("#plan-count"), vec!["2 actions"]);
    let bad = c.get("/plan?status=finished").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_summary(), vec!["Select the status from the list"]);

    let (status, headers, bytes) = c.download("/plan.xlsx?overdue=true").await;
    assert_eq!(status, StatusCode::OK);
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains("southend-safeguarding-partnership-consolidated-action-plan-"), "{disposition}");
    let rows = assure_testing::workbook_rows(&bytes);
    assert_eq!(rows[0][0], "Source");
    assert_eq!(rows.len(), 4, "a header and the three overdue actions");
    assert!(rows[1..].iter().all(|r| r[9] == "Overdue"));
    // Target dates are dates and evidence counts are numbers, read back by calamine.
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let range = book.worksheet_range("Action plan").unwrap();
    assert!(matches!(range.get((1, 6)), Some(calamine::Data::DateTime(_))), "{:?}", range.get((1, 6)));
    assert!(matches!(range.get((1, 12)), Some(calamine::Data::Float(_))), "{:?}", range.get((1, 12)));
    // The same plan as a board paper, grouped by source or by lead organisation, in words.
    let (status, headers, pdf) = c.download("/plan.pdf?overdue=true").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(info.contains("Tagged: yes") && info.contains("Title: Consolidated Action Plan: Southend"), "{info}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(flat.matches("Overdue").count(), 2 + 3, "two groups' column headings and three actions: {flat}");
    assert!(flat.contains("3 actions, 3 overdue, filtered as on the plan page"), "{flat}");
    let (status, _, docx) = c.download("/plan.docx?group=organisation").await;
    assert_eq!(status, StatusCode::OK);
    let body = assure_testing::workbook_parts(&docx).into_iter().find(|(n, _)| n == "word/document.xml").unwrap().1;
    assert!(body.contains(
        r#"<w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t xml:space="preserve">Southend Children's Services</w:t>"#
    ));
    assert_eq!(c.download("/plan.pdf?group=colour").await.0, StatusCode::BAD_REQUEST);

    // The business unit sees the reviews' names.
    let mut bu = app.sign_in("business.manager@example.org").await;
    assert!(
        bu.get("/plan")
            .await
            .texts("#plan td")
            .iter()
            .any(|t| t.starts_with("Local child safeguarding practice review: Child F"))
    );

    // Each theme's filter counts the actions whose recommendation, or whose review, has the theme.
    let mut conn = app.db.store.read().await.unwrap();
    let themes: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT t.id, (SELECT COUNT(*) FROM plan_actions a JOIN recommendations r ON r.id = a.recommendation_id \
         WHERE a.status IN ('not_started', 'in_progress') AND (r.theme_id = t.id OR EXISTS (SELECT 1 FROM \
         review_themes rt WHERE rt.review_id = r.review_id AND rt.theme_id = t.id))) FROM themes t \
         WHERE t.partnership_id = 1 ORDER BY t.id",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    assert!(themes.iter().any(|(_, n)| *n > 0), "{themes:?}");
    for (theme, n) in themes {
        let counted = c.get(&format!("/plan?theme={theme}")).await.texts("#plan-count").concat();
        assert_eq!(counted, format!("{n} action{}", if n == 1 { "" } else { "s" }), "theme {theme}");
    }

    // Counts are kept between requests; a change made anywhere (here by another process, in SQL)
    // counts on the next request.
    let mut tx = app.db.store.write().await.unwrap();
    sqlx::query(
        "UPDATE plan_actions SET status = 'completed' WHERE id = (SELECT MIN(id) FROM plan_actions \
         WHERE status IN ('not_started', 'in_progress'))",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(c.get("/plan").await.texts("#plan-count"), vec!["4 actions"]);
    // A page's rows are kept too: an organisation renamed elsewhere shows on the next request.
    let police_done = format!("/plan?status=completed&organisation={police}");
    assert!(c.get(&police_done).await.texts("#plan td").iter().any(|t| t == "Essex Police"));
    let mut tx = app.db.store.write().await.unwrap();
    sqlx::query("UPDATE organisations SET name = 'Essex Constabulary' WHERE id = $1")
        .bind(police)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let cells = c.get(&police_done).await.texts("#plan td");
    assert!(cells.iter().any(|t| t == "Essex Constabulary") && !cells.iter().any(|t| t == "Essex Police"), "{cells:?}");
}

async fn agencies_add_chronology_entries_and_uploads_are_checked_whole(app: &TestApp) {
    let k = app.review_id("Child K").await;
    let path = format!("/reviews/{k}/chronology");
    let mut bu = app.sign_in("business.manager@example.org").await;
    let page = bu.get(&path).await;
    assert_eq!(page.texts("#chronology tbody tr").len(), 4);
    assert_eq!(page.texts(".govuk-tag--yellow").len(), 2, "the strategy discussion is flagged on both entries");

    // An upload with wrong cells: every problem by row and column, and nothing added.
    let school = app.org_id("southend", "Pier Hill High School (fictional)").await.to_string();
    let csv = "Date,Time,Source,Event,Agency comment\n2024-01-10,,Safeguarding log,Concern raised by a teacher,\n31/02/2024,,Attendance,Absent,\n2024-02,09:00,,Meeting,\n";
    let before = data_rows(app).await;
    let r = bu
        .post_multipart(
            &format!("{path}/upload"),
            &[("upload_organisation_id", &school)],
            &[("file", "school.csv", "text/csv", csv.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec![
            "Row 3, column A: '31/02/2024' is not a date: use 2023-05-04, 04/05/2023, 2023-05, May 2023 or 2023",
            "Row 4, column B: A time needs a full date (day, month and year)",
            "Row 4, column C: Enter the source (the record the entry comes from)",
        ]
    );
    assert_eq!(data_rows(app).await, before);
    let r = bu
        .post_multipart(
            &format!("{path}/upload"),
            &[("upload_organisation_id", &school)],
            &[("file", "school.csv", "text/csv", b"Date,When,Source\n")],
        )
        .await;
    assert!(
        r.error_summary().contains(&"Row 1, column B: The heading should be 'Time' but is 'When'".to_owned()),
        "{:?}",
        r.error_summary()
    );

    // A good workbook, made from the template.
    let rows = vec![
        vec![
            "2024-01-10".to_owned(),
            "".into(),
            "Safeguarding log".into(),
            "Concern raised by a teacher".into(),
            "".into(),
        ],
        vec![
            "March 2024".to_owned(),
            "".into(),
            "Attendance record".into(),
            "Attendance fell to 70%".into(),
            "Should have been escalated".into(),
        ],
    ];
    let book = xlsx::text_workbook("Chronology", &assure_domain::reviews::chronology::COLUMNS, &rows).unwrap();
    let r = bu
        .post_multipart(
            &format!("{path}/upload"),
            &[("upload_organisation_id", &school)],
            &[("file", "school.xlsx", "application/octet-stream", &book)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&path).await;
    let rows = page.texts("#chronology tbody tr");
    assert_eq!(rows.len(), 6);
    assert!(rows[0].starts_with("September 2023") && rows[2].starts_with("March 2024"), "sorted by date: {rows:?}");

    let (status, headers, bytes) = bu.download(&format!("{path}.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("child-k-chronology-"));
    assert_eq!(assure_testing::workbook_rows(&bytes).len(), 7);
    // A month-only date is a date shown as a month; the restricted review's marking is on every
    // printed page, with the title and page numbers.
    let parts = assure_testing::workbook_parts(&bytes);
    let sheet = &parts.iter().find(|(n, _)| n.contains("worksheets/sheet1")).unwrap().1;
    assert!(sheet.contains("&amp;C&amp;BOFFICIAL-SENSITIVE") && sheet.contains("Page &amp;P of &amp;N"), "{sheet}");
    let styles = &parts.iter().find(|(n, _)| n.contains("styles.xml")).unwrap().1;
    assert!(styles.contains(r#"formatCode="mmm yyyy""#));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let range = book.worksheet_range("Chronology").unwrap();
    match range.get((1, 0)) {
        Some(calamine::Data::DateTime(d)) => assert_eq!(d.as_datetime().unwrap().date().to_string(), "2023-09-01"),
        other => panic!("September 2023 is a date, not {other:?}"),
    }
    let (status, _, pdf) = bu.download(&format!("{path}.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(info.contains("Tagged: yes") && info.contains("Page size: 841.89 x 595.276 pts (A4)"), "landscape: {info}");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("OFFICIAL-SENSITIVE") && text.contains("September 2023"), "{text}");
    let (status, _, bytes) = bu.download(&format!("{path}.docx")).await;
    assert_eq!(status, StatusCode::OK);
    let mut doc = String::new();
    zip::ZipArchive::new(std::io::Cursor::new(&bytes))
        .unwrap()
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut doc)
        .unwrap();
    assert!(doc.contains("Attendance fell to 70%") && doc.contains("Possible duplicate of"));
    // LibreOffice lays the Word file out: the marking heads the page and its footer's fields
    // count the pages.
    let (text, _) = assure_testing::word_text(&bytes);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.starts_with("OFFICIAL-SENSITIVE") && text.contains("Attendance fell to 70%"), "{text}");
    assert!(text.contains("Page 1 of "), "{text}");

    // The police were asked for their chronology: their lead sees and adds only their own
    // entries, without the review's name.
    let mut lead = app.sign_in("police.lead@example.org").await;
    let page = lead.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("#chronology tbody tr").len(), 2);
    // Their one agency is the one choice, so it is chosen already.
    assert_eq!(page.texts("#organisation_id option[selected]"), vec!["Essex Police"]);
    assert_eq!(
        bu.get(&path).await.texts("#organisation_id option[selected]"),
        vec!["Select the agency"],
        "many choices: none chosen"
    );
    assert!(!page.body.contains("Child K"));
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let entry = [
        ("organisation_id", police.as_str()),
        ("date", "2024-03-02"),
        ("time", "14:05"),
        ("source", "Custody record"),
        ("event", "Arrested and released"),
    ];
    assert_eq!(lead.post(&path, &entry).await.status, StatusCode::SEE_OTHER);
    let mut for_school = entry;
    for_school[0].1 = &school;
    let r = lead.post(&path, &for_school).await;
    assert_eq!(r.error_summary(), vec!["You can add entries only for your own agency"]);
    // The lead's export holds only their own agency's entries.
    let (status, _, bytes) = lead.download(&format!("{path}.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(assure_testing::workbook_rows(&bytes).len(), 4);
    // The same entry given twice by one agency is flagged, on both, with the agency's name.
    assert_eq!(lead.post(&path, &entry).await.status, StatusCode::SEE_OTHER);
    let page = lead.get(&path).await;
    let arrested: Vec<String> =
        page.texts("#chronology tbody tr").into_iter().filter(|r| r.contains("Arrested and released")).collect();
    assert_eq!(arrested.len(), 2);
    assert!(arrested.iter().all(|r| r.contains("Possible duplicate of Essex Police's entry")), "{arrested:?}");
    assert!(page.body.contains("Essex Police&#39;s entry</a>") || page.body.contains("Essex Police's entry</a>"));
    assert!(!page.body.contains("entry</a> ,"), "no space before a comma between flags");
    // Not asked about this review: not found, like the review itself.
    let h = app.review_id("Child H").await;
    assert_eq!(lead.get(&format!("/reviews/{h}/chronology")).await.status, StatusCode::NOT_FOUND);
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(app.audit().await.iter().any(|e| e.action == "read"
        && e.actor_label == "police.lead@example.org"
        && e.record_id == Some(k.to_string())));
}

async fn a_briefing_is_written_then_printed_as_pdf_and_docx(app: &TestApp) {
    let h = app.review_id("Child H").await;
    let path = format!("/reviews/{h}/briefing");
    let mut bu = app.sign_in("business.manager@example.org").await;
    assert!(bu.get(&path).await.body.contains("No briefing has been written"));
    assert_eq!(bu.download(&format!("{path}.pdf")).await.0, StatusCode::NOT_FOUND);
    let r = bu
        .post(&path, &[("background", "A young person moving to adult services."), ("learning", ""), ("questions", "")])
        .await;
    assert_eq!(r.error_summary(), vec!["Enter the learning", "Enter the questions for practitioners"]);
    let r = bu
        .post(
            &path,
            &[
                ("background", "A young person moving to adult services (age 17)."),
                ("learning", "Plan transitions early."),
                ("questions", "Who leads the transition plan?\nWhen does it start?"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = bu.get(&path).await;
    assert_eq!(page.texts("#briefing li").iter().filter(|t| t.contains('?')).count(), 2);
    assert!(page.texts("#briefing li").iter().any(|t| t == "Transition"), "themes come from the review");
    let (status, headers, pdf) = bu.download(&format!("{path}.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("child-h-7-minute-briefing-"));
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(info.contains("Tagged: yes") && info.contains("Title: 7-minute briefing: Child H"));
    assert!(
        text.contains("Who leads the transition plan?")
            && text.contains("(age 17)")
            && text.contains("OFFICIAL-SENSITIVE")
    );
    let (status, _, archival) = bu.download(&format!("{path}.archive.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&archival).contains("pdfaid:part"), "an archival copy claims PDF/A");
    let (_, _, docx) = bu.download(&format!("{path}.docx")).await;
    let (text, _) = assure_testing::word_text(&docx);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.starts_with("OFFICIAL-SENSITIVE") && text.contains("Questions for practitioners"), "{text}");
    let mut doc = String::new();
    zip::ZipArchive::new(std::io::Cursor::new(docx))
        .unwrap()
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut doc)
        .unwrap();
    assert!(doc.contains("Questions for practitioners") && doc.contains("When does it start?"));
    // The briefing is part of the restricted review.
    let mut lead = app.sign_in("police.lead@example.org").await;
    assert_eq!(lead.get(&path).await.status, StatusCode::NOT_FOUND);
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    assert_eq!(
        scrutineer.post(&path, &[("background", "x"), ("learning", "x"), ("questions", "x")]).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn the_business_unit_revises_recommendations_and_actions_with_reasons(app: &TestApp) {
    let action = app.action_id("Add adultification to the return-home").await;
    let mut bu = app.sign_in("business.manager@example.org").await;
    let page = bu.get(&format!("/actions/{action}/edit")).await;
    assert_eq!(page.status, StatusCode::OK);
    // The date input's three boxes, as ISO.
    let target = format!(
        "{}-{:0>2}-{:0>2}",
        page.attr("#target_on-year", "value"),
        page.attr("#target_on-month", "value"),
        page.attr("#target_on", "value")
    );
    let org = page.attr("#organisation_id option[selected]", "value");
    let text = page.texts("#action").concat();
    let fields = |target: &str, reason: &str| {
        vec![
            ("action", text.clone()),
            ("organisation_id", org.clone()),
            ("owner", "Head of Service, Children's Social Care".to_owned()),
            ("owner_email", String::new()),
            ("target_on", target.to_owned()),
            ("reason", reason.to_owned()),
        ]
    };
    let post = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let f = post(&fields("2027-03-31", ""));
    let borrowed: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = bu.post(&format!("/actions/{action}/edit"), &borrowed).await;
    assert_eq!(r.error_summary(), vec!["Enter the reason for the change"]);
    let f = post(&fields(&target, "No change"));
    let borrowed: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = bu.post(&format!("/actions/{action}/edit"), &borrowed).await;
    assert_eq!(r.error_summary(), vec!["Nothing has changed: change a field, or go back"]);
    let read_before = page.attr("input[name=version]", "value");
    let f = post(&fields("2027-03-31", "Agreed at the subgroup: the audit waits for the new case system."));
    let borrowed: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(bu.post(&format!("/actions/{action}/edit"), &borrowed).await.status, StatusCode::SEE_OTHER);
    // Someone who opened the form before that revision cannot overwrite it unseen.
    let mut f = post(&fields("2027-06-30", "Moved again"));
    f.push(("version", read_before));
    let borrowed: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let stale = bu.post(&format!("/actions/{action}/edit"), &borrowed).await;
    assert_eq!(
        stale.error_summary(),
        vec![
            "Someone else changed this action while you were editing it. This is their version: make your change again"
        ]
    );
    assert_eq!(stale.attr("#target_on-year", "value"), "2027", "their version is shown");
    assert_eq!(stale.attr("#target_on-month", "value"), "3");
    let page = bu.get(&format!("/actions/{action}")).await;
    let history = page.texts("#revisions li").concat();
    assert!(history.contains("to 31 March 2027") && history.contains("waits for the new case system"), "{history}");
    assert!(!page.body.contains(">Overdue<"), "no longer overdue");
    // Agency leads report progress; they do not rewrite the plan.
    let mut lead = app.sign_in("police.lead@example.org").await;
    let police = app.action_id("Brief every response officer").await;
    assert_eq!(lead.get(&format!("/actions/{police}/edit")).await.status, StatusCode::FORBIDDEN);

    // A recommendation's wording is corrected.
    let f = app.review_id("Child F").await;
    let page = bu.get(&format!("/reviews/{f}/recommendations")).await;
    let edit = page.attr("a[href$='/edit']", "href");
    let r = bu.post(&edit, &[("number", "1"), ("text", ""), ("scope", "local"), ("body_id", "")]).await;
    assert_eq!(r.error_summary(), vec!["Enter the recommendation", "Select the subgroup that owns it"]);
    let cpr = app.body_id("southend", "Child Practice Review").await.to_string();
    let r = bu
        .post(
            &edit,
            &[
                ("number", "1"),
                ("text", "Practitioners should respond to older children as children."),
                ("scope", "local"),
                ("body_id", &cpr),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        bu.get(&format!("/reviews/{f}/recommendations")).await.body.contains("respond to older children as children.")
    );
}

async fn entries_added_in_error_are_removed_with_a_reason(app: &TestApp) {
    let k = app.review_id("Child K").await;
    let path = format!("/reviews/{k}/chronology");
    let mut lead = app.sign_in("police.lead@example.org").await;
    let page = lead.get(&path).await;
    // The police lead may remove only the police's entries.
    let options = page.texts("#entry_id option");
    assert_eq!(options.len(), 3, "a blank and the two police entries: {options:?}");
    let school_entry = {
        let mut bu = app.sign_in("business.manager@example.org").await;
        let all = bu.get(&path).await;
        let html = all.html();
        let sel = scraper::Selector::parse("#entry_id option").unwrap();
        let opts: Vec<(String, String)> = html
            .select(&sel)
            .map(|o| (o.value().attr("value").unwrap().to_owned(), o.text().collect::<String>()))
            .collect();
        opts.into_iter().find(|(_, t)| t.contains("Pier Hill")).unwrap().0
    };
    let r = lead.post(&format!("{path}/remove"), &[("entry_id", &school_entry), ("reason", "Not ours")]).await;
    assert_eq!(r.error_summary(), vec!["Select the entry from the list"]);
    let police_entry = page.attr("#entry_id option:nth-child(2)", "value");
    let r = lead.post(&format!("{path}/remove"), &[("entry_id", &police_entry), ("reason", "")]).await;
    assert_eq!(r.error_summary(), vec!["Enter why the entry is removed"]);
    let r = lead.post(&format!("{path}/remove"), &[("entry_id", &police_entry), ("reason", "Entered twice")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(lead.get(&path).await.texts("#chronology tbody tr").len(), 1);
    assert!(app.audit().await.iter().any(|e| e.action == "chronology_remove" && e.detail.contains("Entered twice")));
}

/// A board paper reads at most `PAPER_MOST` actions, soonest first, and says that it is cut.
async fn a_board_paper_holds_the_first_thousand_actions_and_says_so(app: &TestApp) {
    app.core.scale_demo(100).await.unwrap();
    let mut bu = app.sign_in("business.manager@example.org").await;
    assert_eq!(bu.get("/plan").await.texts("#plan-count"), vec!["1,005 actions"]);
    let (status, _, pdf) = bu.download("/plan.pdf").await;
    assert_eq!(status, StatusCode::OK);
    let (text, info) = assure_testing::pdf_text(&pdf);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("1,005 actions, "), "{flat}");
    assert!(flat.contains("This paper holds the first 1,000 of 1,005 actions, soonest target first"), "{flat}");
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages: ")).unwrap().parse().unwrap();
    assert!(pages > 20, "{pages} pages");
}

/// A recommendation decided not to be implemented, with the reason (the adults' annual report's
/// item (g)): refused without a reason or with a day to come, shown on the review's
/// recommendations and in the API, no action added to it, and decided again to be implemented.
async fn a_recommendation_decided_not_to_be_implemented_keeps_its_reason(app: &TestApp) {
    let ctx = app.core.operator().await.unwrap();
    let action = app.action_id("Add adultification to the return-home").await;
    let rec =
        app.core.action_detail(&ctx, assure_domain::ActionId(action)).await.unwrap().item.action.recommendation_id;
    let review = app.core.recommendation(&ctx, assure_domain::RecommendationId(rec)).await.unwrap().review_id.unwrap();
    let mut bu = app.sign_in("business.manager@example.org").await;
    let page = bu.get(&format!("/recommendations/{rec}/edit")).await;
    assert_eq!(page.texts("#decided"), vec!["To be implemented (nothing recorded yet)"]);
    let before = data_rows(app).await;
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let r = bu
        .post(&format!("/recommendations/{rec}/decision"), &[("decision", "not_implement"), ("decided_on", &tomorrow)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec!["Enter why it will not be implemented", "The day it was decided must be today or in the past"]
    );
    assert_eq!(data_rows(app).await, before, "nothing saved");
    let why = "The national review of the return-home interview replaces it; agreed at the board.";
    let r = bu
        .post(
            &format!("/recommendations/{rec}/decision"),
            &[("decision", "not_implement"), ("reason", why), ("decided_on", "2024-03-12")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&format!("/recommendations/{rec}/edit")).await;
    let decided = page.texts("#decided").concat();
    assert!(
        decided.starts_with("Decided not to implement: recorded by") && decided.contains("12 March 2024"),
        "{decided}"
    );
    assert!(decided.ends_with(why), "{decided}");
    let list = bu.get(&format!("/reviews/{review}/recommendations")).await;
    assert!(
        list.body.contains("Decided not to implement") && list.body.contains(why),
        "shown with the recommendations"
    );
    // No action is added to it while it stands.
    let refused = app
        .core
        .add_action(
            &ctx,
            assure_domain::RecommendationId(rec),
            &assure_domain::learning::ActionInput {
                action: "More".into(),
                organisation_id: "1".into(),
                owner: "Someone".into(),
                owner_email: String::new(),
                target_on: "2030-01-01".into(),
            },
        )
        .await;
    assert!(matches!(refused, Err(assure_core::CoreError::Invalid(_))), "{refused:?}");
    // The API reads it and decides again.
    use axum::http::Method;
    let mut api = app.api("business.manager@example.org").await;
    let r = api.request(Method::GET, &format!("/api/v1/reviews/{review}/recommendations"), None, String::new()).await;
    let item = r.json()["items"].as_array().unwrap().iter().find(|i| i["id"] == rec).unwrap().clone();
    assert_eq!((item["decision"].as_str(), item["decision_reason"].as_str()), (Some("not_implement"), Some(why)));
    let body = serde_json::json!({"decision": "implement", "decided_on": "2024-06-01"});
    let r = api.json(Method::POST, &format!("/api/v1/recommendations/{rec}/decision"), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["decision"], "implement");
    assert!(r.json()["reason"].is_null());
    let audit = app.audit().await;
    let mine = rec.to_string();
    let decided = audit.iter().filter(|e| e.action == "decide_recommendation" && e.record_id.as_deref() == Some(&mine));
    assert_eq!(decided.count(), 2);
}

on_both!(demo [Learning];
    a_recommendation_decided_not_to_be_implemented_keeps_its_reason,
    a_board_paper_holds_the_first_thousand_actions_and_says_so,
    the_business_unit_revises_recommendations_and_actions_with_reasons,
    entries_added_in_error_are_removed_with_a_reason,
    business_unit_adds_a_recommendation_and_an_action_and_bad_input_changes_nothing,
    an_agency_lead_reports_on_their_own_actions_only_and_the_subgroup_judges_the_evidence,
    agencies_add_chronology_entries_and_uploads_are_checked_whole,
    a_briefing_is_written_then_printed_as_pdf_and_docx,
);
// The plan holds every source's actions: the reviews' and the audits' findings.
on_both!(demo [Learning, Audits]; the_plan_filters_pages_and_exports);
