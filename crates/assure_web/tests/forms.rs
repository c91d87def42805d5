//! Every form, posted with empty, too-long, wrong-type and script-injection values: each bad
//! value is refused with the GOV.UK error summary and a message at the field, as 422, and
//! nothing at all is written. Script is stored as text and always shown escaped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use assure_store::Backend;
use axum::http::StatusCode;
use support::TestApp;

struct Case {
    form: String,
    fields: Vec<(&'static str, String)>,
    field: &'static str,
    /// Where the message shows: the field to correct, which is not always the one changed.
    error_field: &'static str,
    value: String,
    message: &'static str,
}

fn with(base: &[(&'static str, String)], field: &'static str, value: String) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = base.iter().filter(|(k, _)| *k != field).cloned().collect();
    out.push((field, value));
    out
}

/// What the forms need: two partnerships, an organisation of the same name in each, a board,
/// two people (one restricted), and three accounts (not the whole demo).
async fn forms_partnership(app: &TestApp) {
    let southend = app.add_partnership("southend", "Southend Safeguarding Partnership").await;
    let essex = app.add_partnership("essex", "Essex Safeguarding Partnership").await;
    app.add_organisation(southend, "Essex Police", "statutory_partner", "police").await;
    let council = app.add_organisation(southend, "Southend City Council", "statutory_partner", "local_authority").await;
    app.add_organisation(essex, "Essex Police", "statutory_partner", "police").await;
    app.add_body(southend, "SSP Children's Board (SSPC)", "board", "children").await;
    app.add_person(southend, "Toni Baird", council, false).await;
    // Someone whose details are restricted: the membership form lists them, and logs the read.
    app.add_person(southend, "Jules Carver", council, true).await;
    app.add_account(southend, "admin@example.org", "administrator", None, None).await;
    app.add_account(southend, "business.manager@example.org", "business_unit", None, None).await;
    // An account that exists already, which a new one may not duplicate.
    app.add_account(southend, "viewer@example.org", "viewer", None, None).await;
}

async fn cases(app: &TestApp) -> Vec<Case> {
    let board = app.body_id("southend", "SSP Children's Board (SSPC)").await;
    let police = app.org_id("southend", "Essex Police").await;
    let essex_police = app.org_id("essex", "Essex Police").await;
    let toni = app.person_id("Toni Baird").await;
    let org =
        vec![("name", "Valid Agency".to_owned()), ("kind", "relevant_agency".into()), ("sector", "health".into())];
    let person = vec![("name", "Valid Person".to_owned()), ("organisation_id", police.to_string())];
    let body = vec![("name", "Valid Group".to_owned()), ("kind", "subgroup".into()), ("cadence", "monthly".into())];
    let terms = vec![("text", "Valid terms.".to_owned()), ("effective_from", "2024-04-01".into())];
    let member = vec![("person_id", toni.to_string()), ("role", "member".into()), ("from_date", "2024-04-01".into())];
    let end = vec![("ended_on", "2024-03-31".to_owned())];
    let user = vec![
        ("email", "valid.person@example.org".to_owned()),
        ("display_name", "Valid Person".into()),
        ("role", "viewer".into()),
    ];
    let long = |n: usize| "x".repeat(n);
    let mut v = Vec::new();
    let mut add =
        |form: String, base: &[(&'static str, String)], field: &'static str, value: String, message: &'static str| {
            let error_field = match (field, value.as_str()) {
                ("role", "agency_lead") => "organisation_id",
                ("role", "body_member") => "body_id",
                _ => field,
            };
            v.push(Case { form, fields: with(base, field, value.clone()), field, error_field, value, message });
        };
    let f = "/organisations".to_owned();
    add(f.clone(), &org, "name", String::new(), "Enter the organisation's name");
    add(f.clone(), &org, "name", long(201), "The organisation's name must be 200 characters or fewer");
    add(f.clone(), &org, "kind", "spaceship".into(), "Select the kind of organisation from the list");
    add(f.clone(), &org, "sector", "<script>alert(1)</script>".into(), "Select the sector from the list");
    add(f.clone(), &org, "parent_id", "abc".into(), "Select the parent organisation from the list");
    add(f.clone(), &org, "parent_id", essex_police.to_string(), "Select the parent organisation from the list");
    add(
        f.clone(),
        &org,
        "name",
        "Essex Police".into(),
        "An organisation with this name already exists in the partnership",
    );
    let f = format!("/organisations/{police}");
    add(
        f.clone(),
        &org,
        "parent_id",
        police.to_string(),
        "An organisation cannot sit under itself or one of its own parts",
    );
    let f = "/people".to_owned();
    add(f.clone(), &person, "name", "   ".into(), "Enter the person's name");
    add(f.clone(), &person, "name", long(201), "The person's name must be 200 characters or fewer");
    add(
        f.clone(),
        &person,
        "email",
        "not-an-email".into(),
        "Enter an email address in the correct format, like name@example.org",
    );
    add(f.clone(), &person, "organisation_id", "abc".into(), "Select the organisation from the list");
    add(f.clone(), &person, "restricted", "maybe".into(), "Choose yes or no");
    add(f.clone(), &person, "job_title", "line\u{0}break".into(), "Remove control characters from the job title");
    let f = "/bodies".to_owned();
    add(f.clone(), &body, "name", String::new(), "Enter the body's name");
    add(f.clone(), &body, "kind", "council_of_elrond".into(), "Select the kind of body from the list");
    add(f.clone(), &body, "cadence", String::new(), "Select how often it meets");
    add(f.clone(), &body, "arm", "martian".into(), "Select the arm from the list");
    add(f.clone(), &body, "purpose", long(2001), "The purpose must be 2000 characters or fewer");
    add(f.clone(), &body, "parent_id", "-1".into(), "Select the parent body from the list");
    let f = format!("/bodies/{board}/terms");
    add(f.clone(), &terms, "text", String::new(), "Enter the terms of reference");
    add(f.clone(), &terms, "text", long(20_001), "The terms of reference must be 20000 characters or fewer");
    add(f.clone(), &terms, "effective_from", "2023-02-30".into(), "The date they take effect must be a real date");
    let f = format!("/bodies/{board}/members");
    add(f.clone(), &member, "person_id", String::new(), "Select the person");
    add(f.clone(), &member, "person_id", "999999".into(), "Select the person from the list");
    add(f.clone(), &member, "role", "king".into(), "Select the role from the list");
    add(f.clone(), &member, "from_date", "tomorrow".into(), "The start date must be a real date");
    add(f.clone(), &member, "to_date", "2024-03-01".into(), "The end date must be the same as or after the start date");
    add(
        f.clone(),
        &member,
        "organisation_id",
        essex_police.to_string(),
        "Select the organisation represented from the list",
    );
    let f = format!("/organisations/{police}/end");
    add(f.clone(), &end, "ended_on", String::new(), "Enter the end date");
    add(f.clone(), &end, "ended_on", "31/03/2024".into(), "The end date must be a real date");
    let f = "/users".to_owned();
    add(
        f.clone(),
        &user,
        "email",
        "bad@".into(),
        "Enter an email address in the correct format, like name@example.org",
    );
    add(f.clone(), &user, "email", "viewer@example.org".into(), "An account with this email address already exists");
    add(f.clone(), &user, "display_name", String::new(), "Enter the person's name");
    add(f.clone(), &user, "role", String::new(), "Select a role");
    add(f.clone(), &user, "role", "agency_lead".into(), "Select the organisation this agency lead acts for");
    add(f.clone(), &user, "role", "body_member".into(), "Select the body this person is a member of");
    add(f.clone(), &user, "role", "overlord".into(), "Select a role from the list");
    v
}

async fn every_bad_value_is_refused_with_its_message_and_writes_nothing(app: &TestApp) {
    let mut c = app.sign_in("admin@example.org").await;
    let before = app.row_counts().await;
    let mut failures = Vec::new();
    for case in cases(app).await {
        let fields: Vec<(&str, &str)> = case.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = c.post(&case.form, &fields).await;
        let label = format!("{} {}={:.30?}", case.form, case.field, case.value);
        if r.status != StatusCode::UNPROCESSABLE_ENTITY {
            failures.push(format!("{label}: status {}", r.status));
            continue;
        }
        if !r.error_summary().iter().any(|m| m == case.message) {
            failures.push(format!("{label}: summary {:?}", r.error_summary()));
        }
        let at_field = r.texts(&format!("#{}-error", case.error_field));
        if at_field != vec![format!("Error: {}", case.message)] {
            failures.push(format!("{label}: field message {at_field:?}"));
        }
        let link = r
            .html()
            .select(&scraper::Selector::parse(".govuk-error-summary__list a").unwrap())
            .any(|a| a.value().attr("href") == Some(&format!("#{}", case.error_field)));
        if !link {
            failures.push(format!("{label}: the summary does not link to #{}", case.error_field));
        }
        if r.body.contains("<script>alert(1)</script>") {
            failures.push(format!("{label}: script echoed unescaped"));
        }
        let title = r.texts("title").concat();
        if !title.starts_with("Error: ") {
            failures.push(format!("{label}: the page title does not start with \"Error: \": {title}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // No table gains or loses a row. The audit log gains only the reads of restricted people
    // whose names the membership form lists.
    let audit_tables = |t: &str| t == "audit_log" || t == "audit_head";
    let after = app.row_counts().await;
    assert_eq!(
        after.iter().filter(|(t, _)| !audit_tables(t)).collect::<Vec<_>>(),
        before.iter().filter(|(t, _)| !audit_tables(t)).collect::<Vec<_>>()
    );
    let logged_before = before.iter().find(|(t, _)| t == "audit_log").map(|(_, n)| *n).unwrap();
    let new_entries: Vec<String> = app
        .audit()
        .await
        .iter()
        .take(after.iter().find(|(t, _)| t == "audit_log").unwrap().1 - logged_before)
        .map(|e| e.action.clone())
        .collect();
    assert!(!new_entries.is_empty() && new_entries.iter().all(|a| a == "read"), "{new_entries:?}");
}

async fn script_in_text_is_stored_as_text_and_shown_escaped(app: &TestApp) {
    let mut c = app.sign_in("business.manager@example.org").await;
    let script = "<script>alert(1)</script>";
    let r = c.post("/organisations", &[("name", script), ("kind", "other"), ("sector", "other")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&r.location()).await;
    assert_eq!(page.texts("h1"), vec![script.to_owned()]);
    assert!(!page.body.contains(script));
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || page.body.contains("&#60;script&#62;"));
    let list = c.get("/organisations").await;
    assert!(!list.body.contains(script));
}

/// A body has one chair and one vice-chair at a time, a handover is an end and a start, and the
/// current terms of reference are those in effect today, not the last added.
fn as_pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn one_chair_at_a_time_and_the_terms_in_effect_today(app: &TestApp) {
    let board = app.body_id("southend", "SSP Children's Board (SSPC)").await;
    let (toni, jules) = (app.person_id("Toni Baird").await, app.person_id("Jules Carver").await);
    let mut c = app.sign_in("business.manager@example.org").await;
    let members = format!("/bodies/{board}/members");
    let chair = |person: i64, from: &str| {
        vec![("person_id", person.to_string()), ("role", "chair".to_owned()), ("from_date", from.to_owned())]
    };
    assert_eq!(c.post(&members, &as_pairs(&chair(toni, "2024-04-01"))).await.status, StatusCode::SEE_OTHER);
    // The re-rendered form lists a restricted person, whose read the audit log records.
    let data =
        || async { app.row_counts().await.into_iter().filter(|(t, _)| !t.starts_with("audit_")).collect::<Vec<_>>() };
    let before = data().await;
    let r = c.post(&members, &as_pairs(&chair(jules, "2024-04-01"))).await;
    assert_eq!(
        r.error_summary(),
        vec![
            "The body has a chair from 1 April 2024 whose time overlaps this one: a body has one at a time, so end that membership the day before this one starts"
        ]
    );
    assert_eq!(data().await, before, "nothing written");
    // The handover: Toni's time ends on 31 May, Jules's begins on 1 June.
    let ctx = app.core.operator().await.unwrap();
    let toni_chair = app.core.body(&ctx, assure_domain::BodyId(board)).await.unwrap().members[0].id.0;
    let r = c.post(&format!("/memberships/{toni_chair}/end"), &[("ended_on", "2024-05-31")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.post(&members, &as_pairs(&chair(jules, "2024-06-01"))).await.status, StatusCode::SEE_OTHER);
    // A vice-chair is another seat.
    let vice = [("person_id", toni.to_string()), ("role", "vice_chair".to_owned()), ("from_date", "2024-06-01".into())];
    assert_eq!(c.post(&members, &as_pairs(&vice)).await.status, StatusCode::SEE_OTHER);

    // Version 2 is added last but takes effect next year: version 1 is current.
    let terms = format!("/bodies/{board}/terms");
    let next_year = (chrono::Utc::now().date_naive() + chrono::Duration::days(365)).to_string();
    for (text, from) in [("The board's first terms.", "2024-04-01"), ("The board's terms from next year.", &next_year)]
    {
        let r = c.post(&terms, &[("text", text), ("effective_from", from)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let titles = c.get(&format!("/bodies/{board}")).await.texts(".govuk-summary-card__title");
    assert!(titles[0].starts_with("Version 2 (not yet in effect), in effect from"), "{titles:?}");
    assert!(titles[1].starts_with("Version 1 (current), in effect from 1 April 2024"), "{titles:?}");
    let mut api = app.api("business.manager@example.org").await;
    let listed = api.get(&format!("/api/v1/bodies/{board}/terms")).await.json()["items"].clone();
    assert_eq!(
        (listed[0]["standing"].as_str(), listed[1]["standing"].as_str()),
        (Some("not yet in effect"), Some("current"))
    );
}

on_both!(
    given forms_partnership;
    every_bad_value_is_refused_with_its_message_and_writes_nothing,
    script_in_text_is_stored_as_text_and_shown_escaped,
    one_chair_at_a_time_and_the_terms_in_effect_today,
    two_people_editing_one_record_do_not_overwrite_each_other
);

#[tokio::test]
async fn a_form_re_renders_what_was_typed() {
    let app = TestApp::empty(Backend::Sqlite).await;
    forms_partnership(&app).await;
    let mut c = app.sign_in("business.manager@example.org").await;
    let r = c.post("/people", &[("name", "Robin \"Rob\" O'Neil"), ("email", "nope"), ("organisation_id", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let value = r.attr("#name", "value");
    assert_eq!(value, "Robin \"Rob\" O'Neil");
    app.finish().await;
}

/// Two people open the same organisation's edit form; the first saves; the second's save is
/// refused with "someone else changed this", shows the first's version, and goes in when saved
/// again from it. Nothing is overwritten silently.
async fn two_people_editing_one_record_do_not_overwrite_each_other(app: &TestApp) {
    let id = app.org_id("southend", "Southend City Council").await;
    let edit = format!("/organisations/{id}/edit");
    let save = format!("/organisations/{id}");
    let mut first = app.sign_in("business.manager@example.org").await;
    let mut second = app.sign_in("business.manager@example.org").await;
    let form = |page: &support::Reply, name: &str| -> Vec<(String, String)> {
        vec![
            ("name".into(), name.into()),
            ("kind".into(), page.attr("#kind option[selected]", "value")),
            ("sector".into(), page.attr("#sector option[selected]", "value")),
            ("version".into(), page.attr("input[name=version]", "value")),
        ]
    };
    let post = async |c: &mut support::Client<'_>, fields: Vec<(String, String)>| {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        c.post(&save, &borrowed).await
    };
    let theirs = first.get(&edit).await;
    let mine = second.get(&edit).await;
    assert!(!mine.attr("input[name=version]", "value").is_empty());
    assert_eq!(post(&mut first, form(&theirs, "Southend-on-Sea City Council")).await.status, StatusCode::SEE_OTHER);
    let refused = post(&mut second, form(&mine, "Southend Council")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.error_summary(),
        vec![
            "Someone else changed this organisation while you were editing it. This is their version: make your change again"
        ]
    );
    assert_eq!(refused.attr("#name", "value"), "Southend-on-Sea City Council", "their version is shown");
    let name = async || {
        let ctx = app.core.operator().await.unwrap();
        app.core.organisation(&ctx, assure_domain::OrganisationId(id)).await.unwrap().name
    };
    assert_eq!(name().await, "Southend-on-Sea City Council", "nothing was overwritten");
    // Saved again from their version, the change goes in.
    assert_eq!(post(&mut second, form(&refused, "Southend Council")).await.status, StatusCode::SEE_OTHER);
    assert_eq!(name().await, "Southend Council");
}
