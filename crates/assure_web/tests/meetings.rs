//! Meetings through the pages and the API: planning, moving and cancelling a body's meetings,
//! recording how each seat was filled (a deputy counting for the seat), whether a meeting was
//! quorate, and the attendance review with its CSV.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use assure_domain::{BodyId, MeetingId};
use axum::http::{Method, StatusCode};
use serde_json::json;
use support::TestApp;
use support::smtp::{smtp_sink, unfold};

const BOARD: &str = "SSP Children's Board (SSPC)";

/// The board's meetings, as the operator sees them: (id, day, cancelled).
async fn board_meetings(app: &TestApp) -> Vec<(i64, chrono::NaiveDate, bool)> {
    let ctx = app.core.operator().await.unwrap();
    let board = BodyId(app.body_id("southend", BOARD).await);
    let (_, meetings, _) = app.core.meetings_of_body(&ctx, board).await.unwrap();
    meetings.into_iter().map(|m| (m.id.0, m.held_on, m.cancelled_reason.is_some())).collect()
}

/// The board's last meeting held (three weeks ago in the demo).
async fn last_held(app: &TestApp) -> i64 {
    let today = chrono::Utc::now().date_naive();
    board_meetings(app).await.into_iter().rev().find(|(_, d, cancelled)| *d <= today && !cancelled).unwrap().0
}

async fn meetings_are_planned_moved_cancelled_and_their_attendance_recorded(app: &TestApp) {
    let board = app.body_id("southend", BOARD).await;
    let mut bu = app.sign_in("business.manager@example.org").await;
    let page = bu.get(&format!("/bodies/{board}/meetings")).await;
    assert_eq!(page.texts("#meetings tbody tr").len(), 9, "a year, the last one held, one cancelled, three ahead");
    assert!(page.texts("#meetings tbody tr").iter().any(|r| r.contains("Tuesday 14 June 2022")));

    // Planning one: every problem named, in the order of the fields.
    let r = bu.post(&format!("/bodies/{board}/meetings"), &[("starts_at", "25:00"), ("ends_at", "9:00")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("<title>Error: "));
    assert_eq!(
        r.error_summary(),
        vec![
            "Enter the date of the meeting",
            "Enter the start time as hours and minutes on the 24-hour clock, like 14:30",
        ]
    );
    let ahead = chrono::Utc::now().date_naive() + chrono::Days::new(60);
    let day = ahead.format("%d").to_string();
    let month = ahead.format("%m").to_string();
    let year = ahead.format("%Y").to_string();
    let fields = [
        ("held_on-day", day.as_str()),
        ("held_on-month", month.as_str()),
        ("held_on-year", year.as_str()),
        ("starts_at", "14:00"),
        ("ends_at", "16:00"),
        ("place", "Online"),
    ];
    let r = bu.post(&format!("/bodies/{board}/meetings"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let meeting = r.location().split('?').next().unwrap().to_owned();
    let page = bu.get(&meeting).await;
    assert_eq!(page.texts("#quorate"), vec!["Not yet held"]);
    assert_eq!(page.texts("#seats tbody tr").len(), 8, "the board's eight seats");
    assert!(!page.body.contains("Record attendance"), "not before it is held");
    let r = bu.post(&format!("{meeting}/attendance"), &[("presence:1", "present")]).await;
    assert!(r.error_summary()[0].contains("record attendance once it has been held"), "{:?}", r.error_summary());

    // Moving it: from a stale version, the other person's version is shown; then moved.
    let r = bu.post(&meeting, &[("held_on", &ahead.to_string()), ("starts_at", "15:00"), ("version", "stale")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_summary()[0].starts_with("Someone else changed this meeting"), "{:?}", r.error_summary());
    let version = bu.get(&format!("{meeting}/edit")).await.attr("input[name=version]", "value");
    let r = bu.post(&meeting, &[("held_on", &ahead.to_string()), ("starts_at", "15:00"), ("version", &version)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(bu.get(&meeting).await.texts("#meeting").concat().contains("15:00"));

    // Cancelling it needs a reason, and keeps it on the plan, marked cancelled.
    let version = bu.get(&format!("{meeting}/cancel")).await.attr("input[name=version]", "value");
    let r = bu.post(&format!("{meeting}/cancel"), &[("reason", " "), ("version", &version)]).await;
    assert_eq!(r.error_summary(), vec!["Enter the reason for cancelling"]);
    let r = bu
        .post(&format!("{meeting}/cancel"), &[("reason", "Clashes with the inspection"), ("version", &version)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(bu.get(&meeting).await.texts("#cancelled"), vec!["Cancelled: Clashes with the inspection"]);
    let audit = app.audit().await;
    let id = meeting.rsplit('/').next().unwrap();
    for action in ["create", "update", "cancel"] {
        assert!(
            audit
                .iter()
                .any(|e| e.action == action && e.record_type == "meeting" && e.record_id.as_deref() == Some(id)),
            "{action} is in the audit log"
        );
    }

    // Planning the next twelve months by a pattern: each day added once, days it meets skipped.
    let form = bu.get(&format!("/bodies/{board}/meetings/plan")).await;
    assert_eq!(form.status, StatusCode::OK);
    let r = bu.post(&format!("/bodies/{board}/meetings/plan"), &[("starts_at", "10:00")]).await;
    assert_eq!(
        r.error_summary(),
        vec!["Select which week of the month", "Select the day of the week", "Select at least one month"]
    );
    let pattern = [
        ("week", "2"),
        ("weekday", "wednesday"),
        ("months", "1"),
        ("months", "4"),
        ("months", "7"),
        ("months", "10"),
        ("starts_at", "09:30"),
        ("place", "Civic Centre"),
    ];
    let plan = assure_domain::meetings::PlanInput {
        week: "2".into(),
        weekday: "wednesday".into(),
        months: vec!["1".into(), "4".into(), "7".into(), "10".into()],
        starts_at: "09:30".into(),
        ..Default::default()
    };
    let taken: Vec<chrono::NaiveDate> = board_meetings(app).await.into_iter().map(|(_, d, _)| d).collect();
    let today = chrono::Utc::now().date_naive();
    let expected = plan.validate().unwrap().days_from(today).into_iter().filter(|d| !taken.contains(d)).count();
    assert!(expected >= 3, "four quarters, less any day the board already meets");
    let before = bu.get(&format!("/bodies/{board}/meetings")).await.texts("#meetings tbody tr").len();
    let r = bu.post(&format!("/bodies/{board}/meetings/plan"), &pattern).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = bu.get(&format!("/bodies/{board}/meetings")).await.texts("#meetings tbody tr");
    assert_eq!(after.len(), before + expected, "{after:?}");
    assert_eq!(after.iter().filter(|r| r.contains("09:30")).count(), expected);
    let again = bu.post(&format!("/bodies/{board}/meetings/plan"), &pattern).await;
    assert_eq!(
        again.error_summary(),
        vec![
            "Every day of the second Wednesday of January, April, July and October in the next twelve months already has a meeting"
        ]
    );
    assert!(app.audit().await.iter().any(|e| e.action == "plan" && e.record_id.as_deref() == Some(&board.to_string())));

    // Recording a held meeting's attendance, seat by seat.
    let held = last_held(app).await;
    let form = bu.get(&format!("/meetings/{held}/attendance")).await;
    assert_eq!(form.status, StatusCode::OK);
    let seats = form.attrs("select[name^='presence:']", "name");
    assert_eq!(seats.len(), 8);
    let version = form.attr("input[name=version]", "value");
    let (first, second) = (seats[0].clone(), seats[1].clone());
    let first_by = first.replace("presence:", "attended_by:");
    let r = bu
        .post(&format!("/meetings/{held}/attendance"), &[(&first, "deputy"), (&first_by, ""), ("version", &version)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_summary()[0].ends_with(": Enter the name of who attended for the seat"), "{:?}", r.error_summary());
    let r = bu
        .post(&format!("/meetings/{held}/attendance"), &[("presence:999999", "present"), ("version", &version)])
        .await;
    assert_eq!(r.error_summary(), vec!["999999 is not a seat at this meeting: mark only the seats listed"]);
    let marks = [
        (first.as_str(), "deputy"),
        (first_by.as_str(), "June Mitchell"),
        (second.as_str(), "absent"),
        ("version", &version),
    ];
    let r = bu.post(&format!("/meetings/{held}/attendance"), &marks).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&format!("/meetings/{held}")).await;
    assert!(page.texts("#seats tbody tr").iter().any(|r| r.ends_with("Apologies, a deputy attended: June Mitchell")));
    assert!(page.texts("#tally").concat().contains("1 absent"), "{:?}", page.texts("#tally"));
    assert!(
        page.texts("#recorded").concat().starts_with("Recorded by Bea Manager on "),
        "{:?}",
        page.texts("#recorded")
    );
    let r = bu.post(&format!("/meetings/{held}/attendance"), &marks).await;
    assert!(r.error_summary()[0].starts_with("Someone else changed this meeting"), "the version moved on");
    assert!(
        app.audit().await.iter().any(|e| e.action == "attendance" && e.record_id.as_deref() == Some(&held.to_string()))
    );

    // A seat not represented at the last two meetings: the business unit heard when it was
    // recorded (the demo's Drew Kenning), and the chair too once they have an account.
    let ctx = app.core.operator().await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let bm = app.core.user_by_email("business.manager@example.org").await.unwrap().id;
    let told = |notes: Vec<assure_core::reminders::Notification>| {
        notes
            .into_iter()
            .filter(|n| n.message.starts_with("Drew Kenning") && n.message.contains("last two meetings"))
            .count()
    };
    assert_eq!(told(app.core.notifications(bm, southend).await.unwrap()), 2, "after March 2023 and after the last");
    let chair = assure_core::accounts::NewUserInput {
        email: "morgan.hale@example.org".into(),
        display_name: "Morgan Hale".into(),
        role: "viewer".into(),
        ..Default::default()
    };
    let (chair, _) = app.core.create_user(&ctx, southend, &chair).await.unwrap();
    let detail = app.core.meeting(&ctx, MeetingId(held)).await.unwrap();
    let drew = detail.seats.iter().find(|s| s.membership.person_name == "Drew Kenning").unwrap().membership.id;
    let version = bu.get(&format!("/meetings/{held}/attendance")).await.attr("input[name=version]", "value");
    let field = format!("presence:{drew}");
    let r = bu.post(&format!("/meetings/{held}/attendance"), &[(&field, "absent"), ("version", &version)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let chairs = app.core.notifications(chair, southend).await.unwrap();
    assert_eq!(told(chairs.clone()), 1, "{chairs:?}");
    assert_eq!(chairs[0].link, format!("/bodies/{board}/attendance"));
    assert_eq!(told(app.core.notifications(bm, southend).await.unwrap()), 2, "told once of each");

    // Everyone who sees the board sees its meetings; only the business unit records them.
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get(&format!("/meetings/{held}")).await.status, StatusCode::OK);
    assert!(!viewer.get(&format!("/meetings/{held}")).await.body.contains("Record attendance"));
    assert_eq!(viewer.get(&format!("/meetings/{held}/attendance")).await.status, StatusCode::FORBIDDEN);
    let list = viewer.get("/meetings").await;
    assert!(!list.texts("#ahead tbody tr").is_empty() && !list.texts("#recent tbody tr").is_empty());
    assert!(!list.body.contains("Child Practice Review"), "a restricted body's meetings are not the viewer's");
    let mut member = app.sign_in("cpr.member@example.org").await;
    assert!(member.get("/meetings").await.body.contains("Child Practice Review"));

    // A meeting on a bank holiday is kept, and flagged to be moved.
    let christmas = [("held_on-day", "25"), ("held_on-month", "12"), ("held_on-year", "2030"), ("starts_at", "10:00")];
    let r = bu.post(&format!("/bodies/{board}/meetings"), &christmas).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let flagged = bu.get(&format!("/bodies/{board}/meetings")).await.texts("#meetings tbody tr");
    assert!(
        flagged
            .iter()
            .any(|r| r.contains("Wednesday 25 December 2030") && r.contains("Not a working day: Christmas Day")),
        "{flagged:?}"
    );
    let page = bu.get(r.location().split('?').next().unwrap()).await;
    assert!(page.texts("#not-a-working-day").concat().contains("not a working day (Christmas Day)"));
}

async fn the_attendance_review_counts_deputies_for_their_seats(app: &TestApp) {
    let board = app.body_id("southend", BOARD).await;
    let mut viewer = app.sign_in("viewer@example.org").await;
    let review = viewer.get(&format!("/bodies/{board}/attendance")).await;
    let rows = review.texts("#by-meeting tbody tr");
    assert_eq!(rows.len(), 5, "the meetings held, not the cancelled one nor those ahead: {rows:?}");
    assert!(rows[0].starts_with("14 June 2022") && rows[0].contains("7 (87.5%)"), "{rows:?}");
    assert!(rows[2].starts_with("13 December 2022") && rows[2].ends_with("No"), "a statutory partner away: {rows:?}");
    let orgs = review.texts("#by-organisation tbody tr");
    assert!(orgs[0].contains("Statutory partner"), "the statutory partners first: {orgs:?}");
    assert!(review.texts("#unrepresented").concat().contains("Drew Kenning"), "away at the last two meetings");
    let seats = review.texts("#by-seat tbody tr");
    let kit = seats.iter().find(|s| s.starts_with("Kit Morrow")).unwrap();
    assert!(kit.contains("5") && kit.contains("2"), "represented at all five, twice by a deputy: {kit}");

    // A period: the 2022/23 year alone; a date that is not one is refused.
    let year = viewer.get(&format!("/bodies/{board}/attendance?from=2022-04-01&to=2023-03-31")).await;
    assert_eq!(year.texts("#by-meeting tbody tr").len(), 4);
    let bad = viewer.get(&format!("/bodies/{board}/attendance?from=2022-13-01")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.error_summary(), vec!["The start of the period must be a real date"]);
    let (status, headers, csv) =
        viewer.download(&format!("/bodies/{board}/attendance.csv?from=2022-04-01&to=2023-03-31")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[axum::http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    let text = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        [
            "date,seats,represented,present,deputies,apologies,absent,not_recorded,represented_percent,quorate",
            "2022-06-14,8,7,6,1,2,0,0,87.5,yes",
            "2022-09-13,8,7,6,1,0,1,0,87.5,yes",
            "2022-12-13,8,6,5,1,2,1,0,75.0,no",
            "2023-03-14,8,7,7,0,0,1,0,87.5,yes",
        ]
    );

    // The review as a workbook, read back by an independent reader: numbers are numbers.
    let (status, _, book) =
        viewer.download(&format!("/bodies/{board}/attendance.xlsx?from=2022-04-01&to=2023-03-31")).await;
    assert_eq!(status, StatusCode::OK);
    let sheets = assure_testing::workbook_sheets(&book);
    assert_eq!(sheets.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["Meetings", "Organisations", "Seats"]);
    let rows = assure_testing::workbook_rows(&book);
    assert_eq!(rows.len(), 5, "a header and the four meetings: {rows:?}");
    assert_eq!(rows[0][0], "Date");
    assert_eq!(rows[3][1..4], ["8", "6", "5"], "13 December 2022: {:?}", rows[3]);
    assert_eq!(rows[3][9], "No");

    // The trend, drawn on the page and in the board's PDF and Word documents, each read back by
    // a tool independent of the engine that wrote it.
    assert!(year.body.contains("<figure") && year.body.contains("id=\"attendance-trend\""));
    let period = "?from=2022-04-01&to=2023-03-31";
    let (status, headers, pdf) = viewer.download(&format!("/bodies/{board}/attendance.pdf{period}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[axum::http::header::CONTENT_TYPE], "application/pdf");
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(text.contains("Attendance review: SSP Children's Board (SSPC)"), "{text}");
    assert!(text.contains("13 December 2022") && text.contains("Kit Morrow"), "{text}");
    assert!(text.contains("from 1 April 2022 to 31 March 2023"), "{text}");
    assert!(info.contains("Title: Attendance review: SSP Children's Board (SSPC)"), "{info}");
    let objects = assure_testing::pdf_objects(&pdf);
    assert!(objects.contains("/S /Figure") && objects.contains("Line chart of the seats"), "the chart is tagged");
    let (status, _, docx) = viewer.download(&format!("/bodies/{board}/attendance.docx{period}")).await;
    assert_eq!(status, StatusCode::OK);
    let (word, _) = assure_testing::word_text(&docx);
    assert!(word.contains("Attendance review: SSP Children's Board (SSPC)") && word.contains("Kit Morrow"), "{word}");

    // The quorum: refused when it is no number of seats; set, and every meeting is checked again.
    let mut bu = app.sign_in("business.manager@example.org").await;
    let r = bu.post(&format!("/bodies/{board}/quorum"), &[("members", "0")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Enter the number of seats as a whole number from 1 to 500, or leave it empty"]);
    let r = bu.post(&format!("/bodies/{board}/quorum"), &[("members", "8")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let rows = bu.get(&format!("/bodies/{board}/attendance")).await.texts("#by-meeting tbody tr");
    assert!(rows.iter().all(|r| r.ends_with("No")), "no meeting had all eight seats: {rows:?}");
    assert!(
        app.audit().await.iter().any(|e| e.action == "quorum" && e.record_id.as_deref() == Some(&board.to_string()))
    );

    // The API: the meetings, one meeting with its ETag, attendance replaced only from the
    // version read, a meeting planned, and the review.
    let mut api = app.api("business.manager@example.org").await;
    let list = api.get("/api/v1/meetings?partnership=southend").await.json();
    assert!(list["total"].as_i64().unwrap() >= 5, "{list}");
    let held = last_held(app).await;
    let path = format!("/api/v1/meetings/{held}");
    let one = api.get(&path).await;
    assert_eq!(one.status, StatusCode::OK);
    let etag = one.headers[axum::http::header::ETAG].to_str().unwrap().to_owned();
    let detail = one.json();
    assert_eq!(detail["tally"]["seats"], 8);
    let seat = detail["seats"][2]["membership_id"].as_i64().unwrap();
    let attendance = format!("{path}/attendance");
    api.if_match = Some("\"stale\"".into());
    let stale =
        api.json(Method::PUT, &attendance, json!({"marks": [{"membership_id": seat, "presence": "absent"}]})).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    api.if_match = Some(etag);
    let unnamed = api
        .json(Method::PUT, &attendance, json!({"marks": [{"membership_id": seat, "presence": "someone_else"}]}))
        .await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unnamed.json()["errors"][format!("attended_by:{seat}")][0]
            .as_str()
            .unwrap()
            .ends_with("Enter the name of who attended for the seat")
    );
    let done = api
        .json(
            Method::PUT,
            &attendance,
            json!({"marks": [{"membership_id": seat, "presence": "someone_else", "attended_by": "Sue Kent"}]}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let seat_out =
        done.json()["seats"].as_array().unwrap().iter().find(|s| s["membership_id"] == seat).cloned().unwrap();
    assert_eq!(
        (seat_out["presence"].as_str(), seat_out["attended_by"].as_str()),
        (Some("someone_else"), Some("Sue Kent"))
    );
    // Others in attendance: replaced when given, kept when left out.
    api.if_match = Some(done.headers[axum::http::header::ETAG].to_str().unwrap().to_owned());
    let mark = json!({"membership_id": seat, "presence": "someone_else", "attended_by": "Sue Kent"});
    let others = json!({"marks": [mark], "others": [{"name": "Sam Lee", "came_as": "Business unit"}, {"name": ""}]});
    let unnamed = api.json(Method::PUT, &attendance, others).await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unnamed.json()["errors"]["others"][0], "Enter the name on line 2 of others in attendance");
    let others = json!({"marks": [mark], "others": [{"name": "Sam Lee", "came_as": "Business unit"}]});
    let with = api.json(Method::PUT, &attendance, others).await;
    assert_eq!(with.status, StatusCode::OK, "{}", with.body);
    assert_eq!(with.json()["others"], json!([{"name": "Sam Lee", "came_as": "Business unit"}]));
    api.if_match = None;
    let kept = api.json(Method::PUT, &attendance, json!({"marks": [mark]})).await;
    assert_eq!(kept.json()["others"][0]["name"], "Sam Lee");
    let made = api
        .json(
            Method::POST,
            &format!("/api/v1/bodies/{board}/meetings"),
            json!({"held_on": "2031-02-11", "starts_at": "10:00"}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert!(made.headers[axum::http::header::LOCATION].to_str().unwrap().starts_with("/api/v1/meetings/"));
    let planned = api
        .json(
            Method::POST,
            &format!("/api/v1/bodies/{board}/meetings/plan"),
            json!({"week": "last", "weekday": "friday", "months": [3, 6], "starts_at": "13:00"}),
        )
        .await;
    assert_eq!(planned.status, StatusCode::CREATED, "{}", planned.body);
    assert_eq!(planned.json()["total"], 2);
    assert!(planned.json()["items"].as_array().unwrap().iter().all(|m| m["starts_at"] == "13:00"));
    let bad =
        api.json(Method::POST, &format!("/api/v1/bodies/{board}/meetings"), json!({"held_on": "2031-02-11"})).await;
    assert_eq!(bad.json()["errors"]["starts_at"][0], "Enter the start time");
    let review = api.get(&format!("/api/v1/bodies/{board}/attendance?from=2022-04-01&to=2023-03-31")).await.json();
    assert_eq!(review["meetings"].as_array().unwrap().len(), 4);
    assert_eq!(review["meetings"][0]["tally"]["represented_percent"], 87.5);
    assert_eq!(review["organisations"][0]["statutory"], true);

    // A restricted body's meeting: its members see it (and the read is logged); a viewer does not.
    let ctx = app.core.operator().await.unwrap();
    let cpr = BodyId(app.body_id("southend", "Child Practice Review").await);
    let panel = app.core.meetings_of_body(&ctx, cpr).await.unwrap().1[0].id;
    assert_eq!(viewer.get(&format!("/meetings/{panel}")).await.status, StatusCode::NOT_FOUND);
    let mut member = app.sign_in("cpr.member@example.org").await;
    member.request_id = Some("restricted-meeting".into());
    assert_eq!(member.get(&format!("/meetings/{panel}")).await.status, StatusCode::OK);
    assert!(app.read_logged("restricted-meeting").await);
}

/// The inputs of a page's form (but its CSRF token, which a session adds), in order.
fn form_inputs(page: &support::Reply, form: &str) -> Vec<(String, String)> {
    let html = page.html();
    let selector = scraper::Selector::parse(&format!("{form} input")).unwrap();
    html.select(&selector)
        .filter_map(|i| Some((i.value().attr("name")?.to_owned(), i.value().attr("value").unwrap_or("").to_owned())))
        .filter(|(name, _)| name != "csrf_token")
        .collect()
}

async fn an_attendance_grid_is_previewed_corrected_and_imported_whole(app: &TestApp) {
    let ctx = app.core.operator().await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap();
    let lscb = app.core.create_body_for_grid(&ctx, southend.id, "Southend LSCB (fictional grid)").await.unwrap();
    let grid = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/attendance_grid.csv")).unwrap();
    let sent = [("file", "attendance.csv", "text/csv", grid.as_slice())];
    let import = format!("/bodies/{lscb}/attendance/import");

    // Nobody but those who keep the body's attendance may send one.
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get(&import).await.status, StatusCode::FORBIDDEN);
    let mut bu = app.sign_in("business.manager@example.org").await;
    assert_eq!(bu.get(&import).await.status, StatusCode::OK);
    let r = bu.post_multipart(&import, &[("blank", "absent"), ("starts_at", "")], &sent).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), ["Enter when the meetings the grid adds start, like 10:00"]);

    // The preview reads every seat and cell, and names the one it cannot read by row and column.
    let rows_before = app.row_counts().await;
    let preview = bu.post_multipart(&import, &[("blank", "absent"), ("starts_at", "09:30")], &sent).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", preview.body);
    let problems = preview.error_summary();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("Row 8, column E: 'maybe' is not an attendance mark"), "{problems:?}");
    let summary = preview.texts("#grid-summary").concat();
    assert!(summary.contains("5 seats and 4 meetings (4 new)"), "{summary}");
    assert!(summary.contains("7 people to add"), "{summary}");
    let hints = preview.texts("#grid tbody td .govuk-hint");
    assert!(hints.contains(&"Apologies, a deputy attended: June Tarrant".to_owned()), "{hints:?}");
    assert!(hints.contains(&"Present; also attended: Sam Kerr".to_owned()), "{hints:?}");
    assert_eq!(app.row_counts().await, rows_before, "a preview writes nothing");

    // Corrected on the preview, checked again, then saved.
    let mut fields = form_inputs(&preview, "form[action$='/import/grid']");
    let bad = fields.iter_mut().find(|(_, v)| v == "maybe").unwrap();
    bad.1 = "Apologies".into();
    let with_action = |action: &str| {
        let mut f = fields.clone();
        f.push(("action".to_owned(), action.to_owned()));
        f
    };
    let checked = with_action("check");
    let pairs: Vec<(&str, &str)> = checked.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let again = bu.post(&format!("{import}/grid"), &pairs).await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.error_summary());
    assert!(again.body.contains("Save the attendance"));
    let saving = with_action("save");
    let pairs: Vec<(&str, &str)> = saving.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let saved = bu.post(&format!("{import}/grid"), &pairs).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{:?}", saved.error_summary());
    assert_eq!(saved.location(), format!("/bodies/{lscb}/attendance?done=attendance-imported"));

    // The review counts each seat's holder on their own days, and deputies for their seats.
    let (_, _, csv) = bu.download(&format!("/bodies/{lscb}/attendance.csv")).await;
    let text = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        [
            "date,seats,represented,present,deputies,apologies,absent,not_recorded,represented_percent,quorate",
            "2015-11-19,5,5,3,2,1,0,0,100.0,",
            "2016-02-22,5,4,3,1,0,1,0,80.0,",
            "2016-07-07,5,4,3,1,1,0,0,80.0,",
            "2016-09-29,5,3,3,0,1,0,1,60.0,",
        ]
    );
    let (_, meetings, _) = app.core.meetings_of_body(&ctx, lscb).await.unwrap();
    assert!(meetings.iter().all(|m| m.starts_at.format("%H:%M").to_string() == "09:30"));
    let july = meetings.iter().find(|m| m.held_on.to_string() == "2016-07-07").unwrap().id;
    let page = bu.get(&format!("/meetings/{july}")).await;
    assert_eq!(page.texts("#others li"), ["Sam Kerr (Also attended)"]);
    assert!(page.texts("#seats tbody tr").iter().any(|r| r.contains("Luke Orme and Tracy Vale")));
    let entry = app.audit().await.into_iter().rev().find(|e| e.action == "import" && e.record_type == "body").unwrap();
    assert_eq!(entry.record_id.as_deref(), Some(lscb.to_string().as_str()));

    // The same grid again adds nothing new: its people, seats and meetings are the body's now.
    let rows_before = app.row_counts().await;
    let again = bu.post(&format!("{import}/grid"), &pairs).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{:?}", again.error_summary());
    let grown: Vec<(String, usize, usize)> = app
        .row_counts()
        .await
        .into_iter()
        .zip(rows_before)
        .filter(|((_, after), (_, before))| after != before)
        .map(|((t, after), (_, before))| (t, before, after))
        .collect();
    assert!(grown.iter().all(|(t, _, _)| t.starts_with("audit") || t == "meeting_attendance"), "{grown:?}");
}

async fn an_attendance_grid_is_imported_through_the_api_whole_or_not_at_all(app: &TestApp) {
    let ctx = app.core.operator().await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap();
    let lscb = app.core.create_body_for_grid(&ctx, southend.id, "Southend LSCB (through the API)").await.unwrap();
    let grid = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/attendance_grid.csv")).unwrap();
    let path = |query: &str| format!("/api/v1/bodies/{lscb}/attendance/import{query}");
    let mut viewer = app.api("viewer@example.org").await;
    assert_eq!(
        viewer.request(Method::POST, &path("?name=a.csv"), None, grid.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let mut api = app.api("business.manager@example.org").await;
    let r = api.request(Method::POST, &path(""), None, grid.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A cell that does not read refuses the whole grid, named by row and column.
    let rows_before = app.row_counts().await;
    let r = api.request(Method::POST, &path("?name=lscb.csv"), None, grid.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Row 8, column E: 'maybe' is not an attendance mark"), "{}", r.body);
    assert_eq!(app.row_counts().await, rows_before, "nothing saved");
    let fixed = grid.replace("maybe", "Apologies");
    let r = api.request(Method::POST, &path("?name=lscb.csv&dry_run=true&starts_at=09:30"), None, fixed.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.json()["saved"].as_bool(), r.json()["seats"].as_u64()), (Some(false), Some(5)));
    assert_eq!(r.json()["meetings"].as_array().unwrap().len(), 4);
    assert_eq!(app.row_counts().await, rows_before, "a dry run saves nothing");
    let r = api.request(Method::POST, &path("?name=lscb.csv&starts_at=09:30"), None, fixed.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!((r.json()["meetings_created"].as_u64(), r.json()["people_created"].as_u64()), (Some(4), Some(7)));
    // Again: nothing new.
    let r = api.request(Method::POST, &path("?name=lscb.csv"), None, fixed).await;
    assert_eq!((r.json()["meetings_created"].as_u64(), r.json()["seats_created"].as_u64()), (Some(0), Some(0)));
}

async fn members_reply_to_an_invitation_and_the_attendance_form_starts_from_their_replies(app: &TestApp) {
    let cpr = app.body_id("southend", "Child Practice Review").await;
    let mut api = app.api("business.manager@example.org").await;
    let today = chrono::Utc::now().date_naive();
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/bodies/{cpr}/meetings"),
            json!({"held_on": today.to_string(), "starts_at": "09:00"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let page = format!("/meetings/{id}");

    // The member replies from the meeting's page: a deputy must be named.
    let mut member = app.sign_in("cpr.member@example.org").await;
    assert!(member.get(&page).await.body.contains("Your reply: will you attend?"));
    let r = member.post(&format!("{page}/reply"), &[("reply", "deputy")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), ["Enter the name of your deputy"]);
    let r = member.post(&format!("{page}/reply"), &[("reply", "deputy"), ("deputy", "Sam Tully")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
    let rows = member.get(&page).await.texts("#seats tbody tr");
    assert!(
        rows.iter().any(|r| r.contains("Chris Panel") && r.contains("Apologies, sending a deputy: Sam Tully")),
        "{rows:?}"
    );
    // Someone who holds no seat has nothing to reply from; the business unit replies for a seat.
    let mut bu = app.sign_in("business.manager@example.org").await;
    assert!(!bu.get(&page).await.body.contains("Your reply: will you attend?"));
    assert_eq!(bu.post(&format!("{page}/reply"), &[("reply", "attending")]).await.status, StatusCode::FORBIDDEN);
    let detail = api.get(&format!("/api/v1/meetings/{id}")).await.json();
    let pat = detail["seats"].as_array().unwrap().iter().find(|s| s["person_name"] == "Pat Constable").unwrap()["membership_id"].as_i64().unwrap();
    let r = api
        .json(Method::PUT, &format!("/api/v1/meetings/{id}/reply"), json!({"reply": "apologies", "membership_id": pat}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let seat = r.json()["seats"].as_array().unwrap().iter().find(|s| s["membership_id"] == pat).unwrap().clone();
    assert_eq!(seat["reply"], "apologies");
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.post(&format!("{page}/reply"), &[("reply", "attending")]).await.status, StatusCode::NOT_FOUND);

    // The attendance form starts from the replies, for the seats not yet marked.
    let form = bu.get(&format!("{page}/attendance")).await;
    let chris = detail["seats"].as_array().unwrap().iter().find(|s| s["person_name"] == "Chris Panel").unwrap()["membership_id"].as_i64().unwrap();
    assert_eq!(form.attr(&format!("select[name='presence:{chris}'] option[selected]"), "value"), "deputy");
    assert_eq!(form.attr(&format!("input[name='attended_by:{chris}']"), "value"), "Sam Tully");
    assert_eq!(form.attr(&format!("select[name='presence:{pat}'] option[selected]"), "value"), "apologies");

    // A member declares an interest of their own on an item, recorded under their name.
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/meetings/{id}/agenda"),
            json!({"title": "Rapid review: Child K", "purpose": "decision"}),
        )
        .await;
    let item = r.json()["id"].as_i64().unwrap().to_string();
    let r = member.post(&format!("{page}/interests"), &[("item_id", item.as_str())]).await;
    assert_eq!(r.error_summary(), ["Enter the interest"]);
    let r = member
        .post(
            &format!("{page}/interests"),
            &[("item_id", item.as_str()), ("interest", "Supervised the lead practitioner")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
    let declared = member.get(&format!("{page}/minutes")).await.texts("li");
    assert!(declared.contains(&"Chris Panel: Supervised the lead practitioner".to_owned()), "{declared:?}");
    let board_meeting = last_held(app).await;
    let r = member.post(&format!("/meetings/{board_meeting}/interests"), &[("item_id", "1"), ("interest", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no seat on the board");

    // A meeting past takes no replies.
    let held = last_held(app).await;
    let seat = api.get(&format!("/api/v1/meetings/{held}")).await.json()["seats"][0]["membership_id"].as_i64().unwrap();
    let r = api
        .json(
            Method::PUT,
            &format!("/api/v1/meetings/{held}/reply"),
            json!({"reply": "attending", "membership_id": seat}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == "reply" && e.record_id.as_deref() == Some(id.to_string().as_str()))
    );
}

/// A calendar as an independent parser reads it: each event's properties by name.
fn events_of(text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = parser.next().expect("a calendar").expect("it parses");
    assert!(parser.next().is_none(), "one calendar");
    calendar
        .events
        .into_iter()
        .map(|e| e.properties.into_iter().map(|p| (p.name, p.value.unwrap_or_default())).collect())
        .collect()
}

async fn a_person_subscribes_to_their_meetings_and_deadlines_by_a_secret_address(app: &TestApp) {
    let cpr = app.body_id("southend", "Child Practice Review").await;
    let board = app.body_id("southend", BOARD).await;
    let mut member = app.sign_in("cpr.member@example.org").await;
    let page = member.get("/account/calendar").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("#feed-none").concat().contains("no calendar feed yet"));
    assert!(page.body.contains("You sit on"), "the bodies their person sits on, by e-mail");
    let made = member.post("/account/calendar", &[]).await;
    assert_eq!(made.status, StatusCode::OK);
    let address = made.attr("#address", "value");
    let path = address.strip_prefix("http://127.0.0.1:8080").unwrap().to_owned();
    assert!(path.starts_with("/calendar/") && path.ends_with(".ics"), "{address}");
    assert_eq!(made.attr(&format!("#address-{cpr}"), "value"), format!("{address}?body={cpr}"));

    // The feed needs no session; the restricted subgroup's meeting next week is in it, and its
    // read is logged as the member's.
    let mut anonymous = app.anonymous();
    anonymous.request_id = Some("calendar-feed".into());
    let feed = anonymous.get(&path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.headers[axum::http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/calendar"));
    let events = events_of(&feed.body);
    let meeting = events.iter().find(|e| e["SUMMARY"] == "Child Practice Review").expect("the subgroup's meeting");
    assert!(meeting["DTSTART"].ends_with('Z'), "an exact time: {meeting:?}");
    assert!(meeting["UID"].starts_with("meeting-"));
    assert!(app.read_logged("calendar-feed").await, "the restricted body's read is logged");
    // The papers they owe that meeting are a deadline of theirs, a whole day.
    let papers = events.iter().find(|e| e["SUMMARY"] == "Papers due: Rapid review: Child H").expect("papers owed");
    assert!(papers["UID"].starts_with("papers-"), "{papers:?}");
    // One body's feed: the children's board, which this member sees but does not sit on.
    let board_feed = events_of(&anonymous.get(&format!("{path}?body={board}")).await.body);
    assert!(board_feed.len() >= 3 && board_feed.iter().all(|e| e["SUMMARY"] == BOARD), "{board_feed:?}");

    // A new address replaces the old one at once; an unknown one, or a body the person may not
    // see, is not found.
    let again = member.post("/account/calendar", &[]).await;
    let second = again.attr("#address", "value");
    assert_ne!(second, address);
    assert_eq!(anonymous.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(anonymous.get("/calendar/not-a-secret.ics").await.status, StatusCode::NOT_FOUND);
    let mut viewer = app.sign_in("viewer@example.org").await;
    let viewer_address = viewer.post("/account/calendar", &[]).await.attr("#address", "value");
    let viewer_path = viewer_address.strip_prefix("http://127.0.0.1:8080").unwrap();
    assert_eq!(anonymous.get(&format!("{viewer_path}?body={cpr}")).await.status, StatusCode::NOT_FOUND);
    assert!(app.audit().await.iter().any(|e| e.action == "calendar_feed" && e.actor_label == "viewer@example.org"));
}

#[tokio::test(flavor = "multi_thread")]
async fn members_are_invited_told_of_changes_and_of_cancellations_with_an_ics() {
    let (url, inbox) = smtp_sink().await;
    let mailer = assure_core::mail::Mailer::new(&url, "Assure <assure@example.org>").unwrap();
    let settings = assure_core::Settings {
        mailer: Some(std::sync::Arc::new(mailer)),
        public_url: "https://assure.example.org".into(),
        ..assure_core::Settings::default()
    };
    let app = TestApp::with_settings(assure_store::Backend::Sqlite, settings).await;
    // Loading the demo sends no invitations (the console's changes send none); it may have sent
    // an alert, which this test does not count.
    inbox.lock().unwrap().clear();
    let board = app.body_id("southend", BOARD).await;
    let mut bu = app.sign_in("business.manager@example.org").await;
    let ahead = chrono::Utc::now().date_naive() + chrono::Days::new(90);
    let fields = [
        ("held_on-day", ahead.format("%d").to_string()),
        ("held_on-month", ahead.format("%m").to_string()),
        ("held_on-year", ahead.format("%Y").to_string()),
        ("starts_at", "14:00".to_owned()),
        ("place", "Civic Centre, Room 1".to_owned()),
    ];
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = bu.post(&format!("/bodies/{board}/meetings"), &borrowed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let id = r.location().split('/').nth(2).unwrap().split('?').next().unwrap().to_owned();
    let wait_for = |n: usize| {
        let inbox = inbox.clone();
        async move {
            for _ in 0..200 {
                if inbox.lock().unwrap().len() >= n {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            }
            std::mem::take(&mut *inbox.lock().unwrap())
        }
    };
    // The board's eight seats, each with an e-mail address.
    let invited = wait_for(8).await;
    assert_eq!(invited.len(), 8, "one invitation a member");
    let (to, message) = &invited[0];
    assert_eq!(to.len(), 1);
    let message = unfold(message);
    assert!(message.contains("Subject: Invitation: SSP Children's Board (SSPC)"), "{message}");
    assert!(message.contains("text/calendar; charset=utf-8; method=REQUEST"), "{message}");
    assert!(message.contains("invite.ics"));
    let ics = &message[message.find("BEGIN:VCALENDAR").unwrap()..message.find("END:VCALENDAR").unwrap() + 13];
    let events = events_of(&ics.replace('\n', "\r\n"));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["UID"], format!("meeting-{id}@assure.example.org"));
    assert_eq!(events[0]["SEQUENCE"], "0");
    assert_eq!(events[0]["ORGANIZER"], "mailto:assure@example.org");
    assert!(events[0]["ATTENDEE"].starts_with("mailto:") && to[0].contains(&events[0]["ATTENDEE"][7..]));
    assert_eq!(events[0]["LOCATION"], "Civic Centre\\, Room 1");

    // Moved: the same UID, a higher sequence; cancelled: METHOD:CANCEL.
    let edit = bu.get(&format!("/meetings/{id}/edit")).await;
    let version = edit.attr("input[name=version]", "value");
    let moved = [
        ("held_on-day", ahead.format("%d").to_string()),
        ("held_on-month", ahead.format("%m").to_string()),
        ("held_on-year", ahead.format("%Y").to_string()),
        ("starts_at", "15:00".to_owned()),
        ("version", version),
    ];
    let borrowed: Vec<(&str, &str)> = moved.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(bu.post(&format!("/meetings/{id}"), &borrowed).await.status, StatusCode::SEE_OTHER);
    let updated = unfold(&wait_for(8).await[0].1);
    assert!(updated.contains("Subject: Updated: SSP Children's Board (SSPC)"), "{updated}");
    assert!(updated.contains("SEQUENCE:1") && updated.contains("METHOD:REQUEST"));
    let version = bu.get(&format!("/meetings/{id}/cancel")).await.attr("input[name=version]", "value");
    let r = bu.post(&format!("/meetings/{id}/cancel"), &[("reason", "Not quorate"), ("version", &version)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cancelled = unfold(&wait_for(8).await[0].1);
    assert!(cancelled.contains("Subject: Cancelled: SSP Children's Board (SSPC)"), "{cancelled}");
    assert!(cancelled.contains("METHOD:CANCEL") && cancelled.contains("STATUS:CANCELLED"));
    assert!(cancelled.contains("SEQUENCE:2"));
    app.finish().await;
}

async fn time_given_to_meetings_is_recorded_and_valued_per_organisation_and_year(app: &TestApp) {
    let held = last_held(app).await;
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let mut bu = app.sign_in("business.manager@example.org").await;
    let path = format!("/meetings/{held}/in-kind");
    let r = bu.post(&path, &[("hours", "1.25")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let said = r.error_summary();
    assert_eq!(said.len(), 3, "{said:?}");
    assert!(said.contains(&"Enter the hours as a number from 0.1 to 500, like 2 or 1.5".to_owned()), "{said:?}");
    let chaired =
        [("organisation_id", police.as_str()), ("given", "chairing"), ("hours", "2"), ("note", "Chaired the board")];
    let r = bu.post(&path, &chaired).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
    assert_eq!(r.location(), format!("/meetings/{held}?done=in-kind-recorded#time-given"));
    let presented = [("organisation_id", police.as_str()), ("given", "presenting"), ("hours", "1.5")];
    assert_eq!(bu.post(&path, &presented).await.status, StatusCode::SEE_OTHER);
    // The demo recorded the chairing and the hosting; these two follow them.
    let rows = bu.get(&format!("/meetings/{held}")).await.texts("#in-kind tbody tr");
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows[2].contains("Essex Police") && rows[2].contains("Chairing") && rows[2].contains("Chaired the board"));

    // Totals per financial year and organisation, valued at the rate (the demo's £40 an hour).
    let year =
        assure_domain::meetings::in_kind::financial_year(chrono::Utc::now().date_naive() - chrono::Days::new(21));
    let totals = bu.get("/in-kind").await.texts("#in-kind tbody tr");
    let line = totals.iter().find(|r| r.contains("Essex Police")).unwrap();
    assert!(line.contains(&year) && line.contains("3.5") && line.contains("£140"), "{line}");
    assert!(totals.iter().any(|r| r.contains("2022-23") && r.contains("Southend City Council")), "{totals:?}");
    let r = bu.post("/in-kind", &[("rate", "forty")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), ["Enter the hourly rate in pounds, like 4,500 or 4,500.50"]);
    assert_eq!(bu.post("/in-kind", &[("rate", "45.50")]).await.status, StatusCode::SEE_OTHER);
    let totals = bu.get("/in-kind").await.texts("#in-kind tbody tr");
    assert!(
        totals.iter().any(|r| r.contains("Essex Police") && r.contains("£159.25")),
        "3.5 hours at £45.50: {totals:?}"
    );
    let (_, _, csv) = bu.download("/in-kind.csv").await;
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.lines().any(|l| l == format!("{year},Essex Police,3.5,159.25")), "{csv}");
    assert!(
        app.audit().await.iter().any(|e| e.action == "in_kind" && e.record_id.as_deref() == Some(&held.to_string()))
    );
    assert!(app.audit().await.iter().any(|e| e.action == "in_kind_rate"));

    // Time given to a task other than a meeting counts in the same totals.
    let r = bu.post("/in-kind/tasks", &[("hours", "3")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_summary().contains(&"Enter the task".to_owned()), "{:?}", r.error_summary());
    let day = chrono::Utc::now().date_naive() - chrono::Days::new(21);
    let task = [
        ("task", "Authoring the SAR D overview report"),
        ("given_on-day", &day.format("%d").to_string()),
        ("given_on-month", &day.format("%m").to_string()),
        ("given_on-year", &day.format("%Y").to_string()),
        ("organisation_id", police.as_str()),
        ("given", "authoring"),
        ("hours", "10"),
    ]
    .map(|(k, v)| (k, v.to_owned()));
    let borrowed: Vec<(&str, &str)> = task.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = bu.post("/in-kind/tasks", &borrowed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
    let page = bu.get("/in-kind").await;
    assert!(page.texts("#task-time tbody tr")[0].contains("Authoring the SAR D overview report"));
    let line = page.texts("#in-kind tbody tr").into_iter().find(|r| r.contains("Essex Police")).unwrap();
    assert!(line.contains(&year) && line.contains("13.5"), "3.5 hours at meetings and 10 on the report: {line}");
    let mut api = app.api("business.manager@example.org").await;
    let r = api
        .json(
            Method::POST,
            "/api/v1/in-kind/tasks?partnership=southend",
            json!({"task": "Running a learning event", "given_on": day.to_string(), "organisation_id": police.parse::<i64>().unwrap(), "given": "presenting", "hours": "2"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let totals = api.get("/api/v1/in-kind?partnership=southend").await.json();
    assert_eq!(totals["tasks"][0]["task"], "Running a learning event");
    assert!(
        totals["totals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["organisation"] == "Essex Police" && t["hours"] == "15.5")
    );

    // Everyone who sees the meetings sees the totals; only the business unit records time.
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get("/in-kind").await.status, StatusCode::OK);
    assert_eq!(viewer.post("/in-kind/tasks", &borrowed).await.status, StatusCode::FORBIDDEN);
    assert_eq!(viewer.post(&path, &chaired).await.status, StatusCode::FORBIDDEN);
    assert_eq!(viewer.post("/in-kind", &[("rate", "1")]).await.status, StatusCode::FORBIDDEN);
}

/// The board's next meeting ahead (five weeks away in the demo).
async fn next_board_meeting(app: &TestApp) -> i64 {
    let today = chrono::Utc::now().date_naive();
    board_meetings(app).await.into_iter().find(|(_, d, cancelled)| *d > today && !cancelled).unwrap().0
}

/// The agenda's rows as the page shows them.
async fn agenda_rows(client: &mut support::Client<'_>, meeting: i64) -> Vec<String> {
    client.get(&format!("/meetings/{meeting}")).await.texts("#agenda-items tbody tr")
}

async fn an_agenda_is_set_out_its_papers_added_and_the_pack_published(app: &TestApp) {
    let meeting = next_board_meeting(app).await;
    let mut bu = app.sign_in("business.manager@example.org").await;
    let before = agenda_rows(&mut bu, meeting).await.len();
    let add = format!("/meetings/{meeting}/agenda");
    assert_eq!(bu.get(&add).await.status, StatusCode::OK);
    let r = bu.post(&add, &[("minutes", "0"), ("owner_email", "nobody@example.org")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        [
            "Enter the item's title",
            "Select what the meeting is asked to do with the item",
            "Enter the minutes as a whole number from 1 to 480, like 15",
        ]
    );
    let r = bu
        .post(&add, &[("title", "Section 11 findings"), ("purpose", "decision"), ("owner_email", "nobody@example.org")])
        .await;
    assert_eq!(r.error_summary(), ["There is no active account with that email address"]);
    let items = [
        ("Partnership budget", "decision", "20", "", ""),
        ("Section 11 audit: the year's findings", "discussion", "30", "police.lead@example.org", ""),
        ("Case review: emerging learning", "discussion", "15", "", "true"),
    ];
    let mut ids = Vec::new();
    for (title, purpose, minutes, owner, restricted) in items {
        let fields = [
            ("title", title),
            ("purpose", purpose),
            ("minutes", minutes),
            ("presenter", "Business manager"),
            ("owner_email", owner),
            ("restricted", restricted),
        ];
        let r = bu.post(&add, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
        assert_eq!(r.location(), format!("/meetings/{meeting}?done=agenda-item-added#agenda"));
    }
    let api_view = app.api("business.manager@example.org").await.get(&format!("/api/v1/meetings/{meeting}")).await;
    for item in api_view.json()["agenda"].as_array().unwrap().iter().skip(before) {
        ids.push(item["id"].as_i64().unwrap());
    }
    assert_eq!(ids.len(), 3);
    // Each item starts when the one before it ends (the meeting starts at 10:00).
    let rows = agenda_rows(&mut bu, meeting).await;
    assert_eq!(rows.len(), before + 3);
    assert!(rows[before + 1].contains("Section 11 audit") && rows[before + 1].contains("For discussion"), "{rows:?}");
    // Each starts when the items before it end: the demo's items (its three, and the business
    // cycle's for the month), all timed, from 10:00.
    let taken: i64 =
        api_view.json()["agenda"].as_array().unwrap()[..before].iter().map(|i| i["minutes"].as_i64().unwrap()).sum();
    let at = |minutes: i64| {
        (chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap() + chrono::Duration::minutes(minutes))
            .format("%H:%M")
            .to_string()
    };
    assert!(before >= 3);
    assert!(rows[before].contains(&at(taken)), "{rows:?}");
    assert!(rows[before + 1].contains(&at(taken + 20)) && rows[before + 2].contains(&at(taken + 50)), "{rows:?}");
    // Moving the restricted item up puts it before the Section 11 item.
    let r = bu.post(&format!("/agenda/{}/move", ids[2]), &[("to", "up")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let rows = agenda_rows(&mut bu, meeting).await;
    assert!(rows[before + 1].contains("Case review") && rows[before + 2].contains("Section 11"), "{rows:?}");

    // The owner adds the papers to their item; nobody else but the business unit may. What they
    // owe is in their tasks (the demo's exploitation report, and this item until its paper is in).
    let mut police = app.sign_in("police.lead@example.org").await;
    let tasks = police.get("/").await.texts("#my-tasks tbody tr");
    assert!(tasks.iter().any(|t| t.contains("Exploitation: the police's quarterly report")), "{tasks:?}");
    assert!(tasks.iter().any(|t| t.contains("Section 11 audit: the year's findings")), "{tasks:?}");
    let s11 = format!("/agenda/{}", ids[1]);
    assert_eq!(police.get(&s11).await.status, StatusCode::OK);
    let paper = b"Section 11: 14 of 16 agencies returned; three areas for development.\n";
    let r =
        police.post_multipart(&format!("{s11}/papers"), &[], &[("files", "findings.txt", "text/plain", paper)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(police.post(&s11, &[("title", "Renamed"), ("purpose", "decision")]).await.status, StatusCode::FORBIDDEN);
    let tasks = police.get("/").await.texts("#my-tasks tbody tr");
    assert!(!tasks.iter().any(|t| t.contains("Section 11 audit: the year's findings")), "paper in: {tasks:?}");
    let budget = format!("/agenda/{}", ids[0]);
    let r = police.post_multipart(&format!("{budget}/papers"), &[], &[("files", "b.txt", "text/plain", b"x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r =
        bu.post_multipart(&format!("{budget}/papers"), &[], &[("files", "budget.exe", "text/plain", b"MZ\x90")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_summary()[0].contains("budget.exe is not a document"), "{:?}", r.error_summary());
    let restricted_paper = b"Emerging learning: restricted to the board.\n";
    let case = format!("/agenda/{}", ids[2]);
    let r = bu
        .post_multipart(&format!("{case}/papers"), &[], &[("files", "learning.txt", "text/plain", restricted_paper)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = bu.get(&s11).await;
    let s11_paper = page.attr("#paper-list a", "href");
    let case_paper = bu.get(&case).await.attr("#paper-list a", "href");

    // Before the pack is published, the members read no papers.
    let mut viewer = app.sign_in("viewer@example.org").await;
    let rows = agenda_rows(&mut viewer, meeting).await;
    assert!(rows[before + 2].contains("Not yet published"), "{rows:?}");
    assert_eq!(viewer.download(&s11_paper).await.0, StatusCode::NOT_FOUND);
    assert_eq!(viewer.get(&s11).await.status, StatusCode::FORBIDDEN);
    let r = bu.post(&format!("/meetings/{meeting}/pack"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(bu.get(&format!("/meetings/{meeting}")).await.texts("#papers-due").concat().contains("published"));

    // Then they do, but a restricted item's papers only the body's members and the business unit.
    let rows = agenda_rows(&mut viewer, meeting).await;
    assert!(rows[before + 2].contains("findings.txt"), "{rows:?}");
    assert!(rows[before + 1].contains("Restricted to the body's members"), "{rows:?}");
    let (status, headers, bytes) = viewer.download(&s11_paper).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, paper.as_slice()));
    assert!(headers["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(viewer.download(&case_paper).await.0, StatusCode::NOT_FOUND);
    assert_eq!(police.download(&case_paper).await.0, StatusCode::NOT_FOUND);
    // The pack in one file: the agenda and the papers the reader may read.
    let names_in = |zip: Vec<u8>| -> Vec<String> {
        let archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        archive.file_names().map(|n| n.unwrap().into_owned()).collect::<Vec<_>>()
    };
    let (status, headers, zip) = viewer.download(&format!("/meetings/{meeting}/pack.zip")).await;
    assert_eq!((status, headers["content-type"].to_str().unwrap()), (StatusCode::OK, "application/zip"));
    let names = names_in(zip);
    assert!(names.contains(&"00 Agenda.pdf".to_owned()), "{names:?}");
    assert!(
        names.iter().any(|n| n.ends_with(" findings.txt")) && !names.iter().any(|n| n.ends_with("learning.txt")),
        "{names:?}"
    );
    let (_, _, zip) = bu.download(&format!("/meetings/{meeting}/pack.zip")).await;
    assert!(
        names_in(zip).iter().any(|n| n.ends_with("learning.txt")),
        "the business unit's pack has the restricted paper"
    );
    bu.request_id = Some("read-restricted-paper".into());
    let (status, _, bytes) = bu.download(&case_paper).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, restricted_paper.as_slice()));
    assert!(app.read_logged("read-restricted-paper").await, "a restricted paper's read is logged");
    bu.request_id = None;

    // The API sets out and reads the same agenda; a paper is the body of a request.
    let mut api = app.api("business.manager@example.org").await;
    let r = api.json(Method::POST, &format!("/api/v1/meetings/{meeting}/agenda"), json!({"purpose": "vote"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/meetings/{meeting}/agenda"),
            json!({"title": "Any other business", "purpose": "information", "minutes": 5}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let aob = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["number"], before + 4);
    let r = api
        .request(Method::POST, &format!("/api/v1/agenda/{aob}/papers?name=aob.txt"), None, "Late item.\n".into())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let paper_id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["size"], 11);
    let (status, _, bytes) = api.download(&format!("/api/v1/papers/{paper_id}")).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, b"Late item.\n".as_slice()));
    let r =
        api.request(Method::POST, &format!("/api/v1/agenda/{aob}/papers?name=aob.pdf"), None, "not a pdf".into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let view = api.get(&format!("/api/v1/meetings/{meeting}")).await.json();
    let last = &view["agenda"][before + 3];
    assert_eq!(
        (last["title"].as_str(), last["papers"][0]["file_name"].as_str()),
        (Some("Any other business"), Some("aob.txt"))
    );
    assert!(view["pack_published_at"].is_string());
    let mut viewer_api = app.api("viewer@example.org").await;
    let seen = viewer_api.get(&format!("/api/v1/meetings/{meeting}")).await.json();
    assert_eq!(seen["agenda"][before + 1]["papers_withheld"], "restricted");
    assert!(seen["agenda"][before + 2]["owner_email"].is_null(), "owners are shown to the business unit");
    assert_eq!(
        viewer_api.request(Method::DELETE, &format!("/api/v1/agenda/{aob}"), None, String::new()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.request(Method::DELETE, &format!("/api/v1/agenda/{aob}"), None, String::new()).await.status,
        StatusCode::NO_CONTENT
    );

    // Taking an item off removes its papers; the audit log keeps what they were.
    let r = bu.post(&format!("{budget}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(agenda_rows(&mut bu, meeting).await.len(), before + 2);
    let audit = app.audit().await;
    for action in ["create", "papers", "reorder", "publish_pack", "delete"] {
        assert!(
            audit.iter().any(|e| e.action == action && matches!(e.record_type.as_str(), "agenda_item" | "meeting")),
            "{action}"
        );
    }

    // When papers are due is the body's to set, in working days.
    let board = app.body_id("southend", BOARD).await;
    let r = bu.post(&format!("/bodies/{board}/papers-due"), &[("papers_days", "30")]).await;
    assert_eq!(r.error_summary(), ["Enter the working days as a whole number from 0 to 20, like 5"]);
    assert_eq!(
        bu.post(&format!("/bodies/{board}/papers-due"), &[("papers_days", "3")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(
        bu.get(&format!("/meetings/{meeting}")).await.texts("#papers-due").concat().contains("3 working days before")
    );
    assert_eq!(
        viewer.post(&format!("/bodies/{board}/papers-due"), &[("papers_days", "2")]).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn owners_and_the_business_unit_are_reminded_of_papers_due(app: &TestApp) {
    let board = app.body_id("southend", BOARD).await;
    let mut api = app.api("business.manager@example.org").await;
    // A meeting in two days: its papers were due five working days before, so they are late.
    let day = chrono::Utc::now().date_naive() + chrono::Days::new(2);
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/bodies/{board}/meetings"),
            json!({"held_on": day.to_string(), "starts_at": "14:00"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let meeting = r.json()["id"].as_i64().unwrap();
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/meetings/{meeting}/agenda"),
            json!({"title": "Exploitation dashboard", "purpose": "information", "owner_email": "police.lead@example.org"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["late"], true);
    app.core.send_reminders().await.unwrap();
    let police = app.core.user_by_email("police.lead@example.org").await.unwrap();
    let ctx = app.core.operator().await.unwrap();
    let p = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let told = app.core.notifications(police.id, p).await.unwrap();
    let said = told.iter().find(|n| n.message.contains("Exploitation dashboard")).expect("the owner is reminded");
    assert!(said.message.contains("were due on"), "{}", said.message);
    let manager = app.core.user_by_email("business.manager@example.org").await.unwrap();
    assert!(
        app.core
            .notifications(manager.id, p)
            .await
            .unwrap()
            .iter()
            .any(|n| n.message.contains("Exploitation dashboard"))
    );
    // Once only.
    app.core.send_reminders().await.unwrap();
    let again = app.core.notifications(police.id, p).await.unwrap();
    assert_eq!(again.iter().filter(|n| n.message.contains("Exploitation dashboard")).count(), 1);
}

async fn a_business_cycle_puts_its_standing_items_on_the_meetings_planned(app: &TestApp) {
    let adults = app.body_id("southend", "SSP Adults' Board (SSPA)").await;
    let cycle = format!("/bodies/{adults}/business-cycle");
    let mut bu = app.sign_in("business.manager@example.org").await;
    assert_eq!(bu.get(&cycle).await.texts("#standing-items tbody tr").len(), 0);
    let r = bu.post(&cycle, &[("title", "Safeguarding Adults Collection"), ("purpose", "information")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), ["Select at least one month"]);
    // Every month, so whichever month the meetings fall in has it.
    let mut every: Vec<(&str, String)> =
        vec![("title", "Risk register".into()), ("purpose", "discussion".into()), ("minutes", "10".into())];
    every.extend((1..=12).map(|m| ("months", m.to_string())));
    let borrowed: Vec<(&str, &str)> = every.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = bu.post(&cycle, &borrowed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
    let rows = bu.get(&cycle).await.texts("#standing-items tbody tr");
    assert!(rows[0].contains("Risk register") && rows[0].contains("January, February"), "{rows:?}");
    // And one for a single month: the month of the meeting planned below, and no other.
    let ahead = chrono::Utc::now().date_naive() + chrono::Days::new(40);
    let month = chrono::Datelike::month(&ahead).to_string();
    let other = (chrono::Datelike::month(&ahead) % 12 + 1).to_string();
    let r = bu
        .post(&cycle, &[("title", "Section 11 audit report"), ("purpose", "decision"), ("months", month.as_str())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut api = app.api("business.manager@example.org").await;
    let listed = api.get(&format!("/api/v1/bodies/{adults}/business-cycle")).await.json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
    assert_eq!(listed["items"][1]["months"], json!([month.parse::<u32>().unwrap()]));

    // A meeting planned in that month has both on its agenda; one the month after only the first.
    let plan = |day: chrono::NaiveDate| json!({"held_on": day.to_string(), "starts_at": "10:00"});
    let r = api.json(Method::POST, &format!("/api/v1/bodies/{adults}/meetings"), plan(ahead)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let first = r.json()["id"].as_i64().unwrap();
    let titles = |v: serde_json::Value| -> Vec<String> {
        v["agenda"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_owned()).collect()
    };
    let agenda = titles(api.get(&format!("/api/v1/meetings/{first}")).await.json());
    assert_eq!(agenda, ["Risk register", "Section 11 audit report"]);
    let first_of_month = chrono::Datelike::with_day(&ahead, 1).unwrap();
    let later = chrono::Datelike::with_day(&(first_of_month + chrono::Days::new(32)), 1).unwrap();
    assert_eq!(chrono::Datelike::month(&later).to_string(), other);
    let r = api.json(Method::POST, &format!("/api/v1/bodies/{adults}/meetings"), plan(later)).await;
    let second = r.json()["id"].as_i64().unwrap();
    assert_eq!(titles(api.get(&format!("/api/v1/meetings/{second}")).await.json()), ["Risk register"]);

    // Taken out of the cycle, it comes to no meeting planned afterwards; agendas set out keep it.
    let same_month =
        if chrono::Datelike::day(&ahead) > 1 { ahead - chrono::Days::new(1) } else { ahead + chrono::Days::new(1) };
    let remove = bu.get(&cycle).await.attrs("#standing-items form", "action");
    assert_eq!(bu.post(&remove[0], &[]).await.status, StatusCode::SEE_OTHER);
    let r = api.json(Method::POST, &format!("/api/v1/bodies/{adults}/meetings"), plan(same_month)).await;
    let third = r.json()["id"].as_i64().unwrap();
    assert_eq!(titles(api.get(&format!("/api/v1/meetings/{third}")).await.json()), ["Section 11 audit report"]);
    assert_eq!(titles(api.get(&format!("/api/v1/meetings/{first}")).await.json()).len(), 2);
    assert!(app.audit().await.iter().any(|e| e.action == "delete" && e.record_type == "standing_item"));
    // Planning a year puts the item on the meeting in its month (on a weekday with none yet).
    let taken = [chrono::Datelike::weekday(&ahead), chrono::Datelike::weekday(&same_month)];
    let weekday =
        [(chrono::Weekday::Mon, "monday"), (chrono::Weekday::Tue, "tuesday"), (chrono::Weekday::Wed, "wednesday")]
            .into_iter()
            .find(|(d, _)| !taken.contains(d))
            .unwrap()
            .1;
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/bodies/{adults}/meetings/plan"),
            json!({"week": "last", "weekday": weekday, "months": [month.parse::<u32>().unwrap()], "starts_at": "09:30"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1, "{}", r.body);
    for m in r.json()["items"].as_array().unwrap() {
        let agenda = titles(api.get(&format!("/api/v1/meetings/{}", m["id"])).await.json());
        assert_eq!(agenda, ["Section 11 audit report"], "{m}");
    }

    // Everyone who sees the body sees its cycle; only the business unit changes it.
    let mut viewer = app.sign_in("viewer@example.org").await;
    let page = viewer.get(&cycle).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Add a standing item"));
    assert_eq!(viewer.post(&cycle, &borrowed).await.status, StatusCode::FORBIDDEN);
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/bodies/{adults}/business-cycle"),
            json!({"title": "x", "purpose": "vote", "months": [13]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_meeting_is_minuted_and_its_minutes_approved_at_the_next_then_read_only(app: &TestApp) {
    let last = last_held(app).await;
    let minutes = format!("/meetings/{last}/minutes");
    let mut bu = app.sign_in("business.manager@example.org").await;
    let page = bu.get(&minutes).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("#minutes-state").concat().contains("Draft"), "{:?}", page.texts("#minutes-state"));
    assert!(page.texts("#approve").concat().contains("once it has been held"));
    let version = page.attr("#minutes-form input[name=version]", "value");
    let fields = page.attrs("textarea[form=minutes-form]", "name");
    assert_eq!(fields.len(), 5, "the demo's five items");
    // The demo's three decisions at this meeting follow the budget decision of the one before.
    let decided = page.texts("li");
    assert!(decided.iter().any(|t| t.starts_with("Decision 2") && t.contains("Section 11 findings")), "{decided:?}");

    // A restricted item's record is withheld from those who may not read its papers, and so are
    // its decisions in the search.
    let mut viewer = app.sign_in("viewer@example.org").await;
    let seen = viewer.get(&minutes).await;
    assert!(seen.body.contains("its record is read only by the body's members"));
    assert!(!seen.body.contains("rapid review's emerging learning"));
    assert!(viewer.get("/decisions?q=rapid").await.texts("#decisions tbody tr").is_empty());
    assert_eq!(bu.get("/decisions?q=RAPID").await.texts("#decisions tbody tr").len(), 1);
    assert_eq!(viewer.post(&minutes, &[("version", &version)]).await.status, StatusCode::FORBIDDEN);

    // The minutes for the board, as PDF and Word, read back by tools independent of the engine:
    // the viewer's copy leaves the restricted item's record out.
    let (status, headers, pdf) = viewer.download(&format!("{minutes}.pdf")).await;
    assert_eq!(
        (status, &headers[axum::http::header::CONTENT_TYPE]),
        (StatusCode::OK, &"application/pdf".parse::<axum::http::HeaderValue>().unwrap())
    );
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(info.contains("Title: Minutes: SSP Children's Board (SSPC)"), "{info}");
    assert!(text.contains("Draft: not yet approved") && text.contains("Decision 2"), "{text}");
    assert!(text.contains("Noor Hadley") && !text.contains("rapid review's emerging learning"), "{text}");
    let (status, _, docx) = bu.download(&format!("{minutes}.docx")).await;
    assert_eq!(status, StatusCode::OK);
    let (word, _) = assure_testing::word_text(&docx);
    assert!(word.contains("rapid review") && word.contains("OFFICIAL-SENSITIVE"), "the business unit's copy: {word}");
    let (status, _, agenda) = viewer.download(&format!("/meetings/{last}/agenda.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    let (text, _) = assure_testing::pdf_text(&agenda);
    assert!(text.contains("findings.txt") && text.contains("Restricted") && text.contains("10:40"), "{text}");
    let (status, _, agenda) = bu.download(&format!("/meetings/{last}/agenda.docx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(assure_testing::word_text(&agenda).0.contains("Performance dashboard"));

    // Minutes saved from the version read; a stale one shows the other person's.
    let first = fields[0].clone();
    let r = bu.post(&minutes, &[(first.as_str(), "Stale"), ("version", "stale")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = bu
        .post(
            &minutes,
            &[(first.as_str(), "The chair welcomed members and Sam Lee, observing."), ("version", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{:?}", r.error_summary());
    // Decisions take the body's next number; an action needs an owner with an account.
    let r = bu
        .post(&format!("/meetings/{last}/decisions"), &[("text", "The board agreed to meet in person in future.")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let lis = bu.get(&minutes).await.texts("li");
    assert!(lis.iter().any(|t| t.starts_with("Decision 5") && t.contains("meet in person")), "{lis:?}");
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string();
    let action =
        [("action_text", "Book the Civic Centre"), ("owner_email", "nobody@example.org"), ("due_on", due.as_str())];
    let r = bu.post(&format!("/meetings/{last}/actions"), &action).await;
    assert_eq!(r.error_summary(), ["There is no active account with that email address"]);
    let action = [
        ("action_text", "Book the Civic Centre"),
        ("owner_email", "police.lead@example.org"),
        ("due_on", due.as_str()),
    ];
    assert_eq!(bu.post(&format!("/meetings/{last}/actions"), &action).await.status, StatusCode::SEE_OTHER);
    let item = fields[2].trim_start_matches("minutes:").to_owned();
    let declared = [("item_id", item.as_str()), ("person", "Kit Morrow"), ("interest", "Chairs a provider's board")];
    assert_eq!(bu.post(&format!("/meetings/{last}/declarations"), &declared).await.status, StatusCode::SEE_OTHER);
    assert!(bu.get(&minutes).await.texts("li").iter().any(|t| t == "Kit Morrow: Chairs a provider's board"));

    // The owner has it in their tasks and marks it done; others may not.
    let mut police = app.sign_in("police.lead@example.org").await;
    let tasks = police.get("/").await.texts("#my-tasks tbody tr");
    assert!(tasks.iter().any(|t| t.contains("Book the Civic Centre")), "{tasks:?}");
    let api = app.api("business.manager@example.org").await;
    let mut api = api;
    let record = api.get(&format!("/api/v1/meetings/{last}/minutes")).await.json();
    assert_eq!(record["status"], "draft");
    let booked =
        record["actions"].as_array().unwrap().iter().find(|a| a["text"] == "Book the Civic Centre").unwrap()["id"]
            .as_i64()
            .unwrap();
    assert_eq!(
        viewer.post(&format!("/meeting-actions/{booked}"), &[("state", "done")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        police.post(&format!("/meeting-actions/{booked}"), &[("state", "done")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(!police.get("/").await.texts("#my-tasks tbody tr").iter().any(|t| t.contains("Book the Civic Centre")));

    // The overdue action of the demo reminds its owner, the business unit.
    app.core.send_reminders().await.unwrap();
    let manager = app.core.user_by_email("business.manager@example.org").await.unwrap();
    let ctx = app.core.operator().await.unwrap();
    let p = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let told = app.core.notifications(manager.id, p).await.unwrap();
    assert!(
        told.iter().any(|n| n.message.contains("re-referral rate") && n.message.contains("was due on")),
        "{told:?}"
    );

    // Approved only at the next meeting held: none yet.
    let r = bu.post(&format!("{minutes}/approve"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_summary()[0].contains("has not been held yet"), "{:?}", r.error_summary());
    let board = app.body_id("southend", BOARD).await;
    let yesterday = chrono::Utc::now().date_naive() - chrono::Days::new(1);
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/bodies/{board}/meetings"),
            json!({"held_on": yesterday.to_string(), "starts_at": "10:00"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = api.json(Method::POST, &format!("/api/v1/meetings/{last}/minutes/approve"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "approved");
    assert_eq!(r.json()["approved_at_held_on"], yesterday.to_string());
    let page = bu.get(&minutes).await;
    assert!(page.texts("#minutes-state").concat().contains("Approved as a correct record"));
    assert!(page.attrs("textarea[form=minutes-form]", "name").is_empty(), "read-only");
    let r = bu.post(&format!("/meetings/{last}/decisions"), &[("text", "Too late")]).await;
    assert!(r.error_summary()[0].contains("read-only"), "{:?}", r.error_summary());
    let r = api.json(Method::PUT, &format!("/api/v1/meetings/{last}/minutes"), json!({"items": []})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let item_path = format!("/agenda/{item}");
    let r = bu.post(&item_path, &[("title", "Renamed"), ("purpose", "decision")]).await;
    assert!(r.error_summary()[0].contains("the agenda is kept as it was"), "{:?}", r.error_summary());
    let audit = app.audit().await;
    for action in ["minutes", "decide", "declare", "approve_minutes", "progress"] {
        assert!(audit.iter().any(|e| e.action == action), "{action}");
    }
    // The demo's meeting before was approved at this one.
    let decisions = api.get("/api/v1/decisions?q=budget").await.json();
    let budget = &decisions["items"][0];
    assert_eq!(budget["number"], 1);
    let before = budget["meeting_id"].as_i64().unwrap();
    let approved = api.get(&format!("/api/v1/meetings/{before}/minutes")).await.json();
    assert_eq!(
        (approved["status"].as_str(), approved["approved_at_meeting_id"].as_i64()),
        (Some("approved"), Some(last))
    );
}

on_both!(demo []; meetings_are_planned_moved_cancelled_and_their_attendance_recorded, time_given_to_meetings_is_recorded_and_valued_per_organisation_and_year, a_person_subscribes_to_their_meetings_and_deadlines_by_a_secret_address, the_attendance_review_counts_deputies_for_their_seats, an_attendance_grid_is_previewed_corrected_and_imported_whole, an_agenda_is_set_out_its_papers_added_and_the_pack_published, owners_and_the_business_unit_are_reminded_of_papers_due, a_business_cycle_puts_its_standing_items_on_the_meetings_planned, a_meeting_is_minuted_and_its_minutes_approved_at_the_next_then_read_only, an_attendance_grid_is_imported_through_the_api_whole_or_not_at_all, members_reply_to_an_invitation_and_the_attendance_form_starts_from_their_replies);
