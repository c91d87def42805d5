//! Risk registers through the pages: the demo's registers of January 2020 with their direction
//! of travel and appetite; adding a risk (every bad input named, nothing saved); its owner
//! reviewing its rating with every change kept; controls, status and linked actions; a new
//! version of the matrix that leaves past ratings as they were; risks above appetite proposed for
//! the board's next meeting; the downloads, read back by independent tools; and reminders.

use super::*;

const ADULTS: &str = "Adults' risk register";

/// A register's id by name, from the list page.
async fn register(client: &mut support::Client<'_>, name: &str) -> String {
    let page = client.get("/risk-registers").await;
    let html = page.html();
    let sel = scraper::Selector::parse("#registers a").unwrap();
    html.select(&sel)
        .find(|a| a.text().collect::<String>() == name)
        .and_then(|a| a.value().attr("href"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no register {name}: {}", page.body))
}

/// A risk's page address on a register, by its reference.
async fn risk(client: &mut support::Client<'_>, register: &str, reference: &str) -> String {
    let page = client.get(register).await;
    let html = page.html();
    let sel = scraper::Selector::parse("#categories table a").unwrap();
    html.select(&sel)
        .find(|a| a.text().collect::<String>() == reference)
        .and_then(|a| a.value().attr("href"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no risk {reference}"))
}

fn ahead(days: u64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Days::new(days)).to_string()
}

async fn the_demo_registers_show_direction_of_travel_and_risks_above_appetite(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let list = viewer.get("/risk-registers").await;
    assert_eq!(list.status, StatusCode::OK);
    let rows = list.texts("#registers tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].starts_with("Adults' risk register Adults' safeguarding SSP Adults' Board (SSPA) 10 2"),
        "{rows:?}"
    );
    assert!(list.texts("#new").is_empty(), "a viewer starts no register");

    let adults = register(&mut viewer, ADULTS).await;
    let page = viewer.get(&adults).await;
    assert!(page.texts("#above-appetite + .govuk-warning-text").concat().contains("2 risks are rated above"));
    // The heat map of current ratings: two risks at 4 × 3, none at 4 × 4; the same in its table.
    let top = page.texts("#heat-current-table tbody tr");
    assert!(top[0].starts_with("4 0 (Medium) 0 (High) 2 (Very high) 1.1, 1.2 0 (Very high)"), "{top:?}");
    let svg_titles = page.texts("#heat-current g title");
    assert!(svg_titles.iter().any(|t| t == "Likelihood 4 × impact 3 (score 12, Very high): 2 risks, 1.1, 1.2"));
    // Direction of travel from the first day: 1.1 was 1 × 1 before January 2020.
    let financial = page.texts("#categories table tbody tr");
    assert!(financial[0].contains("Increased (from 1 × 1)"), "{financial:?}");
    assert!(financial[1].contains("New"), "{financial:?}");

    let one = risk(&mut viewer, &adults, "1.1").await;
    let page = viewer.get(&one).await;
    assert_eq!(page.texts("#direction"), vec!["Increased (from 1 × 1, a score of 1)"]);
    let history = page.texts("#ratings tbody tr");
    assert_eq!(history.len(), 3, "{history:?}");
    assert!(
        history.iter().any(|h| h.starts_with("15 Jan 2020 Current 1 × 1 (1) 4 × 3 (12) Rating amended from 1 x 1"))
    );
    assert_eq!(page.texts("#control-list tbody tr").len(), 3);
    assert!(page.texts("#review").is_empty(), "a viewer who does not own it does not review it");
    assert!(page.body.contains("id=\"risk-trend\""), "the history chart");
}

async fn a_risk_is_added_only_when_all_of_it_is_valid(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let adults = register(&mut bu, ADULTS).await;
    let form = bu.get(&format!("{adults}/risks")).await;
    assert_eq!(form.status, StatusCode::OK);
    let category = form.attrs("#category_id option", "value")[1].clone();
    let before = app.row_counts().await;
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let r = bu
        .post(
            &format!("{adults}/risks"),
            &[
                ("reference", "5.1"),
                ("category_id", &category),
                ("title", ""),
                ("owner", "Business Manager"),
                ("current_likelihood", "5"),
                ("current_impact", "2"),
                ("review_on", &yesterday),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    assert!(errors.contains(&"Enter the risk".to_owned()), "{errors:?}");
    assert!(
        errors.contains(
            &"The current rating 5 × 2 is not on the register's matrix: likelihood is 1 to 4, impact 1 to 4".to_owned()
        ),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e.starts_with("The next review date must be today or later")), "{errors:?}");
    // A target worse than the current rating needs a reason.
    let fields = [
        ("reference", "5.1"),
        ("category_id", category.as_str()),
        ("title", "Turnover of designated safeguarding leads in schools"),
        ("owner", "Essex Police safeguarding lead"),
        ("owner_email", "police.lead@example.org"),
        ("current_likelihood", "2"),
        ("current_impact", "2"),
        ("target_likelihood", "3"),
        ("target_impact", "2"),
        ("review_on", &ahead(30)),
    ];
    let r = bu.post(&format!("{adults}/risks"), &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec!["Say why the target rating (3 × 2, a score of 6) is worse than the current rating (2 × 2, 4)"]
    );
    assert_eq!(app.row_counts().await, before, "nothing saved");

    let mut good = fields.to_vec();
    good.push(("target_reason", "Recruitment is expected to get harder next year"));
    let r = bu.post(&format!("{adults}/risks"), &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&r.location()).await;
    assert!(page.texts("#current").concat().contains("2 × 2, a score of 4"));
    assert_eq!(page.texts("#ratings tbody tr").len(), 2, "current and target");
    // The same reference again is refused.
    let r = bu.post(&format!("{adults}/risks"), &good).await;
    assert_eq!(r.error_summary(), vec!["The register already has a risk with that reference"]);
}

async fn a_risks_owner_reviews_its_rating_and_every_change_is_kept(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let adults = register(&mut bu, ADULTS).await;
    let category = bu.get(&format!("{adults}/risks")).await.attrs("#category_id option", "value")[4].clone();
    let r = bu
        .post(
            &format!("{adults}/risks"),
            &[
                ("reference", "4.2"),
                ("category_id", &category),
                ("title", "Police attendance at strategy discussions falls"),
                ("owner", "Essex Police safeguarding lead"),
                ("owner_email", "police.lead@example.org"),
                ("current_likelihood", "2"),
                ("current_impact", "3"),
                ("review_on", &ahead(20)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let risk = r.location().split('?').next().unwrap().to_owned();

    // Someone else who may read it may not review it.
    let mut viewer = app.sign_in("viewer@example.org").await;
    let refused = viewer.post(&format!("{risk}/review"), &[("current_likelihood", "1")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Its owner, an agency lead, reviews it: a reason and a review date are needed.
    let mut owner = app.sign_in("police.lead@example.org").await;
    let page = owner.get(&risk).await;
    assert!(!page.texts("#review").is_empty(), "the owner sees the review form");
    let r = owner
        .post(&format!("{risk}/review"), &[("current_likelihood", "3"), ("current_impact", "3"), ("review_on", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Enter what changed, or why the rating stands", "Enter the next review date"]);
    let r = owner
        .post(
            &format!("{risk}/review"),
            &[
                ("current_likelihood", "3"),
                ("current_impact", "3"),
                ("reason", "Two strategy discussions in October had no police officer"),
                ("review_on", &ahead(40)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = owner.get(&risk).await;
    assert_eq!(page.texts("#direction"), vec!["Increased (from 2 × 3, a score of 6)"]);
    let latest = &page.texts("#ratings tbody tr")[0];
    assert!(latest.contains("Current 2 × 3 (6) 3 × 3 (9) Two strategy discussions in October"), "{latest}");
    let entry = app.audit().await.into_iter().rev().find(|e| e.action == "rate").unwrap();
    assert_eq!(entry.actor_label, "police.lead@example.org");
    assert!(
        entry.detail.contains("\"from\":\"2 × 3\"") && entry.detail.contains("\"to\":\"3 × 3\""),
        "{}",
        entry.detail
    );
    // The owner changes nothing else: the business unit edits the risk.
    let r = owner.post(&format!("{risk}/status"), &[("status", "closed"), ("reason", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Controls, status and a linked action, by the business unit.
    let r = bu.post(&format!("{risk}/controls"), &[("description", ""), ("in_place", "true")]).await;
    assert_eq!(r.error_summary(), vec!["Enter the control"]);
    let r = bu
        .post(
            &format!("{risk}/controls"),
            &[("description", "Police attendance reported to the board each quarter"), ("owner", "Business Manager")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = bu.get(&risk).await;
    assert_eq!(page.texts("#control-list tbody tr td:nth-child(4)"), vec!["Not yet"]);
    let r = bu.post(&format!("{risk}/actions"), &[("action_id", "999999")]).await;
    assert_eq!(r.error_summary(), vec!["Enter the number of an action on the partnership's plan"]);
    let r = bu.post(&format!("{risk}/status"), &[("status", "tolerated"), ("status_reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Say why the risk is tolerated"]);
    assert!(r.body.contains("href=\"#status_reason\""), "the message leads to the status's own field");
    let r = bu
        .post(
            &format!("{risk}/status"),
            &[("status", "closed"), ("status_reason", "Attendance restored for six months")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = owner.get(&risk).await;
    assert_eq!(page.texts("#status-value"), vec!["Closed: Attendance restored for six months"]);
    assert!(page.texts("#review").is_empty(), "a closed risk is not reviewed");
}

async fn a_new_matrix_leaves_past_ratings_as_they_were(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let adults = register(&mut bu, ADULTS).await;
    let matrix = format!("{adults}/matrix");
    let page = bu.get(&matrix).await;
    assert_eq!(page.texts("#likelihood-table tbody tr").len(), 4);
    // Bands out of order are refused, with nothing saved.
    let five: Vec<(&str, &str)> = vec![
        ("likelihood_label", "Rare"),
        ("likelihood_label", "Unlikely"),
        ("likelihood_label", "Possible"),
        ("likelihood_label", "Likely"),
        ("likelihood_label", "Almost certain"),
        ("impact_label", "Insignificant"),
        ("impact_label", "Minor"),
        ("impact_label", "Moderate"),
        ("impact_label", "Major"),
        ("impact_label", "Catastrophic"),
        ("band_name", "Low"),
        ("band_from", "1"),
        ("band_colour", "green"),
        ("band_name", "High"),
        ("band_from", "10"),
        ("band_colour", "amber"),
        ("band_name", "Very high"),
        ("band_from", "8"),
        ("band_colour", "red"),
    ];
    let r = bu.post(&matrix, &five).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Band 3 must start at a higher score than band 2"]);
    let mut good = five.clone();
    good[17] = ("band_from", "16");
    let r = bu.post(&matrix, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(bu.get(&matrix).await.body.contains("Version 2"));
    // Every risk was rated on version 1: off the heat maps until reviewed, its history unchanged.
    let page = bu.get(&adults).await;
    assert!(page.body.contains("10 risks were last rated on an earlier version of the matrix"), "{}", page.body);
    let one = risk(&mut bu, &adults, "1.1").await;
    let page = bu.get(&one).await;
    assert!(page.texts("#current").concat().contains("4 × 3, a score of 12"));
    assert!(page.texts("#current").concat().contains("on an earlier version of the matrix"));
    // A review on the new matrix may use its fifth level.
    let r = bu
        .post(
            &format!("{one}/review"),
            &[
                ("current_likelihood", "5"),
                ("current_impact", "4"),
                ("reason", "Rated on the five-point matrix: partners' budgets cut again"),
                ("review_on", &ahead(10)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&one).await;
    let history = page.texts("#ratings tbody tr");
    assert!(history[0].contains("5 × 4 (20)"), "{history:?}");
    assert!(history.iter().skip(1).all(|h| h.contains("(matrix version 1)")), "{history:?}");
    assert!(page.texts("#current").concat().contains("Very high"));
}

async fn risks_above_appetite_are_proposed_for_the_boards_next_meeting(app: &TestApp) {
    // The demo's board meetings were planned after its registers: the next has the two
    // financial risks on its agenda, for decision.
    let mut bu = app.sign_in("business.manager@example.org").await;
    let board = app.body_id("southend", "SSP Children's Board (SSPC)").await;
    let ctx = app.core.operator().await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let (_, meetings, _) = app.core.meetings_of_body(&ctx, assure_domain::BodyId(board)).await.unwrap();
    let ahead: Vec<_> = meetings.iter().filter(|m| m.held_on >= today && m.cancelled_reason.is_none()).collect();
    let next = bu.get(&format!("/meetings/{}", ahead[0].id)).await;
    let items = next.texts("#agenda-items tbody tr");
    assert_eq!(items.iter().filter(|i| i.contains("Risk above appetite: 1.")).count(), 2, "{items:?}");
    let after = bu.get(&format!("/meetings/{}", ahead[1].id)).await;
    assert!(!after.body.contains("Risk above appetite"), "only the next meeting");

    // The appetite raised to 12: nothing is above it, and a meeting planned now proposes nothing.
    let children = register(&mut bu, "Children's risk register").await;
    let page = bu.get(&children).await;
    let action = page.attrs("#categories form", "action").into_iter().find(|a| a.ends_with("/appetite")).unwrap();
    let r = bu.post(&action, &[("appetite", "17")]).await;
    assert_eq!(r.error_summary(), vec!["Enter the appetite as a score from 1 to 16, or leave it blank"]);
    let r = bu.post(&action, &[("appetite", "12"), ("agreed", "The board, November 2026")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bu.get(&children).await.texts("#none-above"),
        vec!["No open risk is rated above the board's appetite for its category."]
    );
}

async fn the_register_downloads_as_a_workbook_and_a_board_paper(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let adults = register(&mut viewer, ADULTS).await;
    let (status, headers, xlsx) = viewer.download(&format!("{adults}/register.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap().contains("adults-risk-register"));
    let sheets = assure_testing::workbook_sheets(&xlsx);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Risks", "Controls", "Heat map"]);
    let risks = &sheets[0].1;
    assert_eq!(risks.len(), 11, "a header and ten risks");
    assert_eq!(risks[1][0..2], ["1.1", "Financial"]);
    assert_eq!(risks[1][6], "4 × 3 (12)");
    assert_eq!(risks[1][8], "Increased");
    let (status, _, pdf) = viewer.download(&format!("{adults}/register.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(info.contains("Title: Risk register: Adults' risk register"), "{info}");
    assert!(text.contains("2 risks are rated above the board's appetite"), "{text}");
    assert!(text.contains("Heat map of target ratings"), "{text}");
    let (status, _, docx) = viewer.download(&format!("{adults}/register.docx")).await;
    assert_eq!(status, StatusCode::OK);
    let (word, _) = assure_testing::word_text(&docx);
    assert!(word.contains("Strategic leadership") && word.contains("Increased"), "{word}");
}

async fn owners_and_the_business_unit_are_reminded_of_reviews_due(app: &TestApp) {
    // The demo's first review falls due a week from today: within ten working days.
    app.core.send_reminders().await.unwrap();
    let mut bu = app.sign_in("business.manager@example.org").await;
    let home = bu.get("/").await;
    assert!(home.body.contains("The review of risk 1.1 (Financial) is due"), "{}", home.body);
    // The owner's tasks list the risks whose review falls due within two weeks.
    let tasks = home.texts("#my-tasks tbody tr");
    assert!(tasks.iter().any(|t| t.contains("Review of risk 1.1 (Financial): review its rating")), "{tasks:?}");
    let again = app.core.send_reminders().await.unwrap();
    assert_eq!(again.notifications, 0, "each is told once");
}

async fn the_api_lists_reads_and_reviews_risks_with_versions(app: &TestApp) {
    let mut api = app.api("business.manager@example.org").await;
    let list = api.get("/api/v1/risk-registers?partnership=southend").await;
    assert_eq!(list.status, StatusCode::OK);
    let list = list.json();
    assert_eq!(list["total"], 2);
    let adults = list["items"].as_array().unwrap().iter().find(|r| r["name"] == ADULTS).unwrap().clone();
    assert_eq!(adults["above_appetite"], 2);
    let register = api.get(&format!("/api/v1/risk-registers/{}", adults["id"])).await.json();
    assert_eq!(register["matrix"]["likelihood"].as_array().unwrap().len(), 4);
    assert_eq!(register["matrix"]["bands"][3]["lowest_score"], 12);
    let one = register["risks"].as_array().unwrap().iter().find(|r| r["reference"] == "1.1").unwrap().clone();
    assert_eq!(one["current"], serde_json::json!({"likelihood": 4, "impact": 3, "score": 12}));
    assert_eq!(one["direction"], "worse");
    assert!(one["above_appetite"].as_bool().unwrap());

    // A review: invalid first (off the matrix, no reason), then recorded and in the history.
    let path = format!("/api/v1/risks/{}", one["id"]);
    let bad = api
        .json(
            axum::http::Method::POST,
            &format!("{path}/ratings"),
            serde_json::json!({"current": {"likelihood": 6, "impact": 1}, "review_on": ahead(5)}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = bad.json()["errors"].clone();
    assert!(errors["current_likelihood"][0].as_str().unwrap().contains("not on the register's matrix"), "{errors}");
    assert!(errors["reason"][0].as_str().unwrap().starts_with("Enter what changed"), "{errors}");
    let good = api
        .json(
            axum::http::Method::POST,
            &format!("{path}/ratings"),
            serde_json::json!({"current": {"likelihood": 3, "impact": 3}, "reason": "Budget agreed for two years",
                               "review_on": ahead(90)}),
        )
        .await;
    assert_eq!(good.status, StatusCode::CREATED, "{}", good.body);
    let detail = good.json();
    assert_eq!(detail["direction"], "better");
    assert_eq!(detail["history"][0]["previous"], serde_json::json!({"likelihood": 4, "impact": 3, "score": 12}));
    assert_eq!(detail["history"][0]["by"], "Bea Manager");

    // Editing its details from a stale version is refused with 412; from the current one, saved.
    let read = api.get(&path).await;
    let etag = read.headers["etag"].to_str().unwrap().to_owned();
    let body = serde_json::json!({"reference": "1.1", "category_id": one["category_id"], "title": one["title"],
                                  "owner": "Chair", "review_on": ahead(90)});
    api.if_match = Some("\"stale\"".into());
    let stale = api.json(axum::http::Method::PUT, &path, body.clone()).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    api.if_match = Some(etag);
    let saved = api.json(axum::http::Method::PUT, &path, body).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["owner"], "Chair");
}

crate::on_both!(demo [Risks]; the_demo_registers_show_direction_of_travel_and_risks_above_appetite, a_risk_is_added_only_when_all_of_it_is_valid, a_risks_owner_reviews_its_rating_and_every_change_is_kept, a_new_matrix_leaves_past_ratings_as_they_were, risks_above_appetite_are_proposed_for_the_boards_next_meeting, the_register_downloads_as_a_workbook_and_a_board_paper, owners_and_the_business_unit_are_reminded_of_reviews_due, the_api_lists_reads_and_reviews_risks_with_versions);
