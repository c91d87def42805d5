//! A report's sections asked of their authors, on both stores, through the pages and the API:
//! the business unit asks someone with a role in the partnership to write one section by a day
//! (every bad input named, nothing saved; never in the scrutineer's own report); the author is
//! told, finds it among their tasks and on their list, reads and writes that section and nothing
//! else of the report; the report shows whom each section is asked of, and its gap names them;
//! reminders come as the day nears; withdrawing the request takes the section back; the audit log
//! keeps each step. The demo asks Essex Police's lead for the adults' board's next year's
//! priorities, due ten days after it is loaded.

use axum::http::{Method, StatusCode};

use super::reports::{ADULTS, report_id};
use super::*;

async fn records(app: &TestApp) -> Vec<(String, usize)> {
    app.row_counts().await.into_iter().filter(|(table, _)| !table.starts_with("audit_")).collect()
}

async fn a_section_is_asked_of_its_author_who_writes_only_that(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let mut lead = app.sign_in("police.lead@example.org").await;
    let id = report_id(&mut bu, ADULTS).await;
    let base = format!("/reports/{id}");
    let section = format!("{base}/sections/next_year");

    // The report shows whom the section is asked of, and its gap names them.
    let page = bu.get(&base).await;
    let asked = page.texts("section[aria-labelledby=section-next_year] p").join(" | ");
    assert!(asked.contains("Asked of Pat Constable by "), "{asked}");
    let gaps = page.texts("#gap-list .gap-message");
    assert!(
        gaps.iter().any(|g| g.starts_with("Next year's priorities: asked of Pat Constable by ")
            && g.ends_with("nothing written yet")),
        "{gaps:?}"
    );

    // The author: told in Assure, the section among their tasks and on their list.
    let home = lead.get("/").await;
    let tasks = home.texts("#my-tasks td").join(" | ");
    assert!(tasks.contains(&format!("A section of {ADULTS}: write \u{201c}Next year's priorities\u{201d}")), "{tasks}");
    let told = home.texts("#notifications li").join(" | ");
    assert!(told.contains("You are asked to write \u{201c}Next year's priorities\u{201d} of"), "{told}");
    let list = lead.get("/reports/asked").await;
    assert_eq!(list.status, StatusCode::OK);
    let rows = list.texts("#asked tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("Next year's priorities") && rows[0].contains("Not yet written"), "{}", rows[0]);

    // They read and write that section; nothing else of the report.
    let form = lead.get(&section).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.texts("#asked")[0].starts_with("The business unit asked you to write this section by "));
    assert!(form.texts("#author").is_empty(), "the author asks nobody else");
    assert_eq!(lead.get(&base).await.status, StatusCode::NOT_FOUND);
    assert_eq!(lead.get(&format!("{base}/sections/members")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        lead.post(&format!("{base}/sections/members"), &[("narrative", "x")]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(lead.get(&format!("{base}/report.pdf")).await.status, StatusCode::NOT_FOUND);
    let words = "Next year the board will focus on self-neglect and on transitions to adulthood.";
    let r = lead.post(&section, &[("narrative", words)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with(&section), "{}", r.location());
    let entry = app.audit().await.into_iter().find(|e| e.action == "update" && e.record_type == "report").unwrap();
    assert_eq!(entry.actor_label, "police.lead@example.org");
    assert!(entry.detail.contains("\"section\":\"next_year\""), "{}", entry.detail);
    assert!(!entry.detail.contains("self-neglect"), "the log keeps no words");
    assert!(lead.get("/reports/asked").await.texts("#asked tbody tr")[0].contains("Written"));
    assert!(!lead.get("/").await.texts("#my-tasks td").join(" ").contains("Next year's priorities"));
    let shown = bu.get(&base).await.texts("section[aria-labelledby=section-next_year] p").join(" | ");
    assert!(shown.contains(words) && shown.contains("Written by Pat Constable"), "{shown}");

    // Asking: every bad input named, nothing saved.
    let before = records(app).await;
    let ask = format!("{base}/sections/partnership/author");
    let r = bu.post(&ask, &[("email", "nobody@example.org"), ("due_on", "2001-01-01")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["The day it is due must be today or later"]);
    let due = (assure_domain::uk_time::uk_today() + chrono::Days::new(7)).to_string();
    let r = bu.post(&ask, &[("email", "nobody@example.org"), ("due_on", due.as_str())]).await;
    assert_eq!(r.error_summary(), vec!["There is no active account with that email address"]);
    let r = bu.post(&ask, &[("email", "essex.manager@example.org"), ("due_on", due.as_str())]).await;
    assert_eq!(r.error_summary(), vec!["That account has no role in this partnership"]);
    let r = bu.post(&ask, &[("email", "not an address"), ("due_on", "")]).await;
    assert_eq!(r.error_summary().len(), 2, "{:?}", r.error_summary());
    assert_eq!(records(app).await, before, "nothing saved");
    // The scrutineer asks nobody (they read the report), nor does the author.
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    let fields = [("email", "police.lead@example.org"), ("due_on", due.as_str())];
    assert_eq!(scrutineer.post(&ask, &fields).await.status, StatusCode::FORBIDDEN);
    assert_eq!(lead.post(&ask, &fields).await.status, StatusCode::NOT_FOUND);
    // The scrutineer's own report is theirs to write.
    let scrutiny = report_id(&mut bu, "Southend Safeguarding Partnership: independent scrutiny report").await;
    let r = bu.post(&format!("/reports/{scrutiny}/sections/found/author"), &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "its section's page is not the business unit's");
    let mut bu_api = app.api("business.manager@example.org").await;
    let body = serde_json::json!({"email": "police.lead@example.org", "due_on": due});
    let r = bu_api.json(Method::PUT, &format!("/api/v1/reports/{scrutiny}/sections/found/author"), body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let why = "The scrutineer writes their own report: its sections are not asked of anyone";
    assert!(r.body.contains(why), "{}", r.body);

    // A second section asked of the same author, then withdrawn: theirs no longer.
    let r = bu.post(&ask, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let asked = bu.get(&format!("{base}/sections/partnership")).await.texts("#asked-of");
    assert!(asked[0].starts_with("Asked of Pat Constable (police.lead@example.org) by "), "{asked:?}");
    let entry = app.audit().await.into_iter().find(|e| e.action == "ask_section_author").unwrap();
    assert!(entry.detail.contains("\"section\":\"partnership\"") && entry.detail.contains(&due), "{}", entry.detail);
    assert_eq!(lead.get(&format!("{base}/sections/partnership")).await.status, StatusCode::OK);
    assert_eq!(lead.get("/reports/asked").await.texts("#asked tbody tr").len(), 2);
    let r = bu.post(&format!("{base}/sections/partnership/author/withdraw"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(app.audit().await.iter().any(|e| e.action == "withdraw_section_author"));
    assert_eq!(lead.get(&format!("{base}/sections/partnership")).await.status, StatusCode::NOT_FOUND);
    let r = bu.post(&format!("{base}/sections/partnership/author/withdraw"), &[]).await;
    assert_eq!(r.error_summary(), vec!["Nobody is asked to write this section"]);
}

async fn authors_are_reminded_and_work_through_the_api(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let id = report_id(&mut bu, ADULTS).await;

    // The demo's section is due within ten working days: its author is reminded, once.
    let sent = app.core.send_reminders().await.unwrap();
    assert!(sent.notifications >= 1, "{sent:?}");
    let mut lead = app.sign_in("police.lead@example.org").await;
    let told = lead.get("/").await.texts("#notifications li").join(" | ");
    assert!(told.contains("Your section \u{201c}Next year's priorities\u{201d} of"), "{told}");
    let again = app.core.send_reminders().await.unwrap();
    let mut lead_told = lead.get("/").await.texts("#notifications li");
    lead_told.retain(|n| n.contains("Your section"));
    assert_eq!(lead_told.len(), 1, "told once: {again:?}");

    // The author's API: the sections asked of them, the section, and writing it.
    let mut api = app.api("police.lead@example.org").await;
    let list = api.request(Method::GET, "/api/v1/reports/asked?partnership=southend", None, String::new()).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let items = list.json()["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    assert_eq!(items[0]["section"], "next_year");
    assert_eq!(items[0]["written"], false);
    assert_eq!(items[0]["open"], true);
    let path = format!("/api/v1/reports/{id}/sections/next_year");
    let got = api.request(Method::GET, &path, None, String::new()).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert_eq!(got.json()["author"]["email"], "police.lead@example.org");
    let r = api.json(Method::PUT, &path, serde_json::json!({"narrative": "Self-neglect and transitions."})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["narrative"], "Self-neglect and transitions.");
    let other = format!("/api/v1/reports/{id}/sections/members");
    assert_eq!(api.request(Method::GET, &other, None, String::new()).await.status, StatusCode::NOT_FOUND);
    let r = api.request(Method::GET, &format!("/api/v1/reports/{id}"), None, String::new()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The business unit's API: ask, see, withdraw.
    let mut bu_api = app.api("business.manager@example.org").await;
    let ask = format!("/api/v1/reports/{id}/sections/training/author");
    let r = bu_api.json(Method::PUT, &ask, serde_json::json!({"email": "cpr.member@example.org"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let due = (assure_domain::uk_time::uk_today() + chrono::Days::new(30)).to_string();
    let r = bu_api.json(Method::PUT, &ask, serde_json::json!({"email": "cpr.member@example.org", "due_on": due})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["author"]["name"], "Chris Panel");
    assert_eq!(r.json()["author"]["due_on"], due.as_str());
    let detail = bu_api.request(Method::GET, &format!("/api/v1/reports/{id}"), None, String::new()).await.json();
    let training = detail["sections"].as_array().unwrap().iter().find(|s| s["key"] == "training").unwrap().clone();
    assert_eq!(training["author"]["email"], "cpr.member@example.org");
    let mut member = app.api("cpr.member@example.org").await;
    let training_path = format!("/api/v1/reports/{id}/sections/training");
    assert_eq!(member.request(Method::GET, &training_path, None, String::new()).await.status, StatusCode::OK);
    let r = bu_api.request(Method::DELETE, &ask, None, String::new()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json()["author"].is_null());
    assert_eq!(member.request(Method::GET, &training_path, None, String::new()).await.status, StatusCode::NOT_FOUND);
}

crate::on_both!(demo [Reports]; a_section_is_asked_of_its_author_who_writes_only_that, authors_are_reminded_and_work_through_the_api);

/// Asking an author e-mails them through SMTP (a server on loopback) with the section's address.
#[tokio::test(flavor = "multi_thread")]
async fn the_author_is_told_by_e_mail() {
    let (url, inbox) = support::smtp::smtp_sink().await;
    let mailer = assure_core::mail::Mailer::new(&url, "Assure <assure@example.org>").unwrap();
    let settings = assure_core::Settings {
        mailer: Some(std::sync::Arc::new(mailer)),
        public_url: "https://assure.example.org".into(),
        ..assure_core::Settings::default()
    };
    let app = TestApp::with_demo_and_settings(
        assure_store::Backend::Sqlite,
        &[assure_core::demo::DemoPart::Reports],
        settings,
    )
    .await;
    inbox.lock().unwrap().clear();
    let mut bu = app.sign_in("business.manager@example.org").await;
    let id = report_id(&mut bu, ADULTS).await;
    let due = (assure_domain::uk_time::uk_today() + chrono::Days::new(21)).to_string();
    let r = bu
        .post(
            &format!("/reports/{id}/sections/training/author"),
            &[("email", "cpr.member@example.org"), ("due_on", due.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mail = inbox.lock().unwrap().clone();
    let (to, message) = mail.iter().find(|(to, _)| to.iter().any(|t| t.contains("cpr.member@example.org"))).unwrap();
    assert_eq!(to.len(), 1);
    let text = support::smtp::unfold(message);
    assert!(text.contains("Subject: Assure: a section of a yearly report to write"), "{text}");
    assert!(text.contains("You are asked to write"), "{text}");
    assert!(text.contains(&format!("https://assure.example.org/reports/{id}/sections/training")), "{text}");
    app.finish().await;
}
