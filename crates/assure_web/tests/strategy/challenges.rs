//! The challenge and escalation log through the pages, the API and its downloads: seed 002's six
//! challenges with their progress and closing, this year's escalation flagged for standing too
//! long; raising an entry (every bad input named, nothing saved), its progress, the plan's action
//! it produced, closing and reopening it, each in the audit log; an agency lead seeing and
//! reporting on their own organisation's entries only; the workbook and the board paper read back
//! by independent tools.

use super::*;

/// An entry's page, by the start of its concern, from the log.
async fn entry(client: &mut support::Client<'_>, starts: &str) -> String {
    let page = client.get("/challenges").await;
    let rows = page.texts("#entries tbody tr");
    let links = page.attrs("#entries tbody th a", "href");
    let i = rows.iter().position(|r| r.contains(starts)).unwrap_or_else(|| panic!("no entry {starts}: {rows:?}"));
    links[i].clone()
}

async fn the_log_holds_seed_002s_challenges_and_flags_one_standing_too_long(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let page = bu.get("/challenges").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.texts("#entries tbody tr").len(), 8, "seed 002's six and this year's two");
    let summary = page.texts("#log-summary dd");
    assert_eq!(summary[0], "2", "open");
    assert!(summary[1].starts_with('1'), "one open longer than 90 days: {summary:?}");
    let rows = page.texts("#entries tbody tr");
    let escalation = rows.iter().find(|r| r.contains("Southend Youth Justice Service")).unwrap();
    assert!(
        escalation.contains("Escalation to the partnership") && escalation.ends_with("Open 120 days"),
        "{escalation}"
    );
    let closed = bu.get("/challenges?status=closed").await.texts("#entries tbody tr");
    assert_eq!(closed.len(), 6);
    assert!(closed.iter().all(|r| r.contains("Closed")), "{closed:?}");
    assert_eq!(bu.get("/challenges?flagged=yes").await.texts("#entries tbody tr").len(), 1);
    assert_eq!(bu.get("/challenges?direction=escalation").await.texts("#entries tbody tr").len(), 1);
    // NHS England's attendance: closed without being resolved, with the report's words.
    let nhs = entry(&mut bu, "NHS England advised").await;
    let page = bu.get(&nhs).await;
    assert_eq!(page.texts("#status"), vec!["Closed without being resolved on 31 March 2016"]);
    assert_eq!(
        page.texts("#closure"),
        vec!["NHS England has agreed to attend the Executive of both the LSCB and SAB. Attendance has been variable"]
    );
    // This year's challenge to the police was raised at the latest meeting.
    let police = entry(&mut bu, "Police attendance at initial child protection").await;
    let page = bu.get(&police).await;
    assert!(page.texts("#entry a")[0].contains(", "), "the meeting that raised it: {}", page.body);
    // The meeting's page names it, to those who may see it.
    let meeting = page.attr("#entry a", "href");
    let reference = page.texts("h1")[0].split(':').next().unwrap().to_owned();
    assert_eq!(bu.get(&meeting).await.texts("#challenge-list li"), vec![format!("{reference}: Essex Police (Open)")]);
    let viewer_sees = app.sign_in("viewer@example.org").await.get(&meeting).await;
    assert_eq!(viewer_sees.status, StatusCode::OK);
    assert!(viewer_sees.texts("#challenge-list li").is_empty(), "a viewer does not see the log");
    // The business unit (and the agency concerned's leads) are told of it once.
    app.core.send_reminders().await.unwrap();
    let home = bu.get("/").await;
    assert!(
        home.body.contains("(Southend Youth Justice Service) has been open for more than 90 days"),
        "{}",
        home.body
    );
    assert_eq!(app.core.send_reminders().await.unwrap().notifications, 0, "each is told once");
    // A longer set time unflags the escalation.
    let r = bu.post("/challenges/settings", &[("flag_after_days", "5")]).await;
    assert_eq!(r.error_summary(), vec!["Enter the days an open entry may stand as a whole number from 7 to 730"]);
    let r = bu.post("/challenges/settings", &[("flag_after_days", "180")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(bu.get("/challenges").await.texts("#log-summary dd")[1], "None");
}

async fn an_entry_is_raised_progressed_linked_closed_and_reopened(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let before = app.row_counts().await;
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let r = bu
        .post("/challenges", &[("direction", "sideways"), ("raised_on", &tomorrow), ("organisation_id", "999999")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    for message in [
        "Select whether it is a challenge or an escalation",
        "The day it was raised must be today or in the past",
        "Enter who raised it",
        "Enter the details of the concern",
        "Enter the action agreed",
        "Enter who is responsible for the action",
    ] {
        assert!(errors.contains(&message.to_owned()), "{message}: {errors:?}");
    }
    let fields = [
        ("direction", "escalation"),
        ("raised_on", "2026-01-12"),
        ("raised_by", "Designated safeguarding lead, Cliffside Academy"),
        ("organisation_id", "999999"),
        ("details", "Referrals about neglect are closed without a visit"),
        ("action_agreed", "Children's services to audit ten closed referrals"),
        ("responsible", "Southend Children's Services"),
    ];
    assert_eq!(bu.post("/challenges", &fields).await.error_summary(), vec!["Select the agency from the list"]);
    assert_eq!(app.row_counts().await, before, "nothing saved");
    let mut fields = fields.to_vec();
    fields[3] = ("organisation_id", "");
    fields.push(("organisation_name", "Cliffside Academy Trust"));
    let r = bu.post("/challenges", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page_url = r.location().split('?').next().unwrap().to_owned();
    let page = bu.get(&page_url).await;
    assert!(page.texts("h1")[0].ends_with(": Cliffside Academy Trust"), "{:?}", page.texts("h1"));
    assert_eq!(page.texts("#status"), vec!["Open"]);
    // Progress: not before it was raised; then recorded.
    let r = bu.post(&format!("{page_url}/progress"), &[("on", "2026-01-01"), ("progress", "Audit booked")]).await;
    assert_eq!(
        r.error_summary(),
        vec!["The day of the progress must be on or after the day it was raised, 12 January 2026"]
    );
    let r =
        bu.post(&format!("{page_url}/progress"), &[("on", "2026-02-02"), ("progress", "Audit booked for March")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(bu.get(&page_url).await.texts("#progress-list li")[0].contains("Audit booked for March"));
    // The plan's action it produced.
    let r = bu.post(&format!("{page_url}/actions"), &[("action_id", "999999")]).await;
    assert_eq!(r.error_summary(), vec!["Enter the number of an action on the partnership's plan"]);
    let action = app.action_id("Add adultification to the return-home").await;
    let r = bu.post(&format!("{page_url}/actions"), &[("action_id", &action.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        bu.post(&format!("{page_url}/actions"), &[("action_id", &action.to_string())]).await.error_summary(),
        vec!["That action is already linked to this entry"]
    );
    assert_eq!(bu.get(&page_url).await.texts("#action-list li").len(), 1);
    // Closing needs the evidence, on or after the day raised.
    let r = bu.post(&format!("{page_url}/close"), &[("outcome", "resolved"), ("closed_on", "2025-12-01")]).await;
    let errors = r.error_summary();
    assert!(errors.contains(&"Enter the evidence that it was resolved".to_owned()), "{errors:?}");
    assert!(
        errors.contains(&"The day it was closed must be on or after the day it was raised, 12 January 2026".to_owned()),
        "{errors:?}"
    );
    let r = bu
        .post(
            &format!("{page_url}/close"),
            &[("outcome", "resolved"), ("closed_on", "2026-03-20"), ("closure", "Audit found every closure reasoned")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&page_url).await;
    assert_eq!(page.texts("#status"), vec!["Closed: resolved on 20 March 2026"]);
    assert_eq!(
        bu.post(&format!("{page_url}/progress"), &[("progress", "More")]).await.error_summary(),
        vec!["This entry is closed: reopen it to record progress"]
    );
    let r = bu.post(&format!("{page_url}/reopen"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(bu.get(&page_url).await.texts("#status"), vec!["Open"]);
    let audit = app.audit().await;
    for action in ["create", "progress", "link_action", "close_challenge", "reopen_challenge"] {
        assert!(audit.iter().any(|e| e.action == action && e.record_type == "challenge_entry"), "{action}");
    }
}

async fn an_agency_lead_sees_and_reports_on_their_own_organisations_entries(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let escalation = entry(&mut bu, "Health information for the joint assessments").await;
    let police_entry = entry(&mut bu, "Police attendance at initial child protection").await;
    let mut lead = app.sign_in("police.lead@example.org").await;
    let page = lead.get("/challenges").await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.texts("#entries tbody tr");
    assert_eq!(rows.len(), 4, "the police's three of seed 002 and this year's: {rows:?}");
    assert!(rows.iter().all(|r| r.contains("Essex Police")), "{rows:?}");
    assert!(page.texts("#raise").is_empty(), "no form to add entries");
    assert!(page.attrs("nav a", "href").contains(&"/challenges".to_owned()), "the log in their navigation");
    assert!(
        !app.sign_in("viewer@example.org")
            .await
            .get("/")
            .await
            .attrs("nav a", "href")
            .contains(&"/challenges".to_owned())
    );
    assert_eq!(lead.get(&escalation).await.status, StatusCode::NOT_FOUND);
    let r = lead.post(&format!("{police_entry}/progress"), &[("progress", "Recovery plan drafted")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        lead.post(&format!("{police_entry}/close"), &[("outcome", "resolved"), ("closure", "x")]).await.status,
        StatusCode::FORBIDDEN
    );
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get("/challenges").await.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.get(&police_entry).await.status, StatusCode::NOT_FOUND);
}

async fn the_log_downloads_for_the_board_and_the_scrutineer(app: &TestApp) {
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    let (status, headers, xlsx) = scrutineer.download("/challenges/log.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap().contains("challenge-log"));
    let sheets = assure_testing::workbook_sheets(&xlsx);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Log", "Progress"]);
    assert_eq!(sheets[0].1.len(), 9, "a header and eight entries");
    assert_eq!(sheets[0].1[0][0..3], ["Reference", "Direction", "Raised on"]);
    assert!(sheets[1].1.iter().any(|r| r[2].starts_with("Southend specific solution")), "{:?}", sheets[1].1);
    let (status, _, pdf) = scrutineer.download("/challenges/log.pdf").await;
    assert_eq!(status, StatusCode::OK);
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(info.contains("Title: Challenge and escalation log: Southend Safeguarding Partnership"), "{info}");
    assert!(
        text.contains("Open longer than the set time") && text.contains("CH-1") && text.contains("Closed"),
        "{text}"
    );
    let (status, _, docx) = scrutineer.download("/challenges/log.docx").await;
    assert_eq!(status, StatusCode::OK);
    let (word, _) = assure_testing::word_text(&docx);
    let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(word.contains("Southend Youth Justice Service (escalation to the partnership)"), "{word}");
}

async fn the_api_lists_raises_reports_and_closes(app: &TestApp) {
    use axum::http::Method;
    use serde_json::json;
    let mut api = app.api("business.manager@example.org").await;
    let r = api.request(Method::GET, "/api/v1/challenges?partnership=southend&status=open", None, String::new()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 2);
    let bad = api.json(Method::POST, "/api/v1/challenges?partnership=southend", json!({"direction": "up"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"]["direction"], json!(["Select whether it is a challenge or an escalation"]));
    let r = api
        .json(
            Method::POST,
            "/api/v1/challenges?partnership=southend",
            json!({"direction": "challenge", "raised_on": "2026-02-01", "raised_by": "The independent chair",
                   "organisation_name": "Southend Health and Wellbeing Board", "details": "No response to the annual report",
                   "action_agreed": "Chair to write to the board's chair", "responsible": "The independent chair"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["reference"], "CH-9");
    let id = r.json()["id"].as_i64().unwrap();
    let r =
        api.json(Method::POST, &format!("/api/v1/challenges/{id}/progress"), json!({"progress": "Letter sent"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["progress"][0]["progress"], "Letter sent");
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/challenges/{id}/close"),
            json!({"outcome": "resolved", "closure": "Reply received"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "resolved");
    let r = api.request(Method::GET, &format!("/api/v1/challenges/{id}"), None, String::new()).await;
    assert_eq!(r.json()["closure"], "Reply received");
}

crate::on_both!(demo [Challenges, Learning]; the_log_holds_seed_002s_challenges_and_flags_one_standing_too_long, an_entry_is_raised_progressed_linked_closed_and_reopened, an_agency_lead_sees_and_reports_on_their_own_organisations_entries, the_log_downloads_for_the_board_and_the_scrutineer, the_api_lists_raises_reports_and_closes);
