//! Audit campaigns through the pages: launching one, answering and submitting a return, the
//! assessor's challenge and close, the lock after the closing date, and answers carried
//! forward to the next campaign.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::StatusCode;
use support::{Client, TestApp};

/// Every Section 11 question with a valid answer, as the form sends it.
fn complete_section11(score: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = ["1.1", "1.2", "2.1", "2.2", "3.1", "4.1", "4.3", "5.1", "6.1", "7.1", "8.1"]
        .iter()
        .map(|q| (format!("score:{q}"), score.to_owned()))
        .collect();
    f.push(("value:3.2".into(), "Young people's panel changed the referral leaflet".into()));
    f.push(("value:4.2".into(), "91.5".into()));
    f.push(("value:6.2".into(), "yes".into()));
    f.push(("value:8.2".into(), "Allegations policy v4 on the intranet".into()));
    f
}

async fn post(c: &mut Client<'_>, path: &str, form: &[(String, String)]) -> support::Reply {
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post(path, &borrowed).await
}

async fn launch(app: &TestApp, bu: &mut Client<'_>, title: &str, opens: &str, closes: &str, orgs: &[&str]) -> String {
    let page = bu.get("/audits/new").await;
    let html = page.html();
    let sel = scraper::Selector::parse("#framework_id option").unwrap();
    let s11 = html
        .select(&sel)
        .find(|o| o.text().collect::<String>().starts_with("Section 11"))
        .and_then(|o| o.value().attr("value"))
        .unwrap()
        .to_owned();
    let mut form = vec![
        ("title".to_owned(), title.to_owned()),
        ("framework_id".to_owned(), s11),
        ("opens_on".to_owned(), opens.to_owned()),
        ("closes_on".to_owned(), closes.to_owned()),
    ];
    for o in orgs {
        form.push(("organisation_ids".into(), app.org_id("southend", o).await.to_string()));
    }
    let r = post(bu, "/audits", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().split('?').next().unwrap().to_owned()
}

fn return_link(page: &support::Reply, org: &str) -> String {
    let html = page.html();
    let sel = scraper::Selector::parse("#returns a").unwrap();
    html.select(&sel)
        .find(|a| a.text().collect::<String>() == org)
        .and_then(|a| a.value().attr("href"))
        .unwrap_or_else(|| panic!("no link to {org}'s return"))
        .to_owned()
}

async fn a_return_is_answered_submitted_challenged_and_closed(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let r = post(
        &mut bu,
        "/audits",
        &[("opens_on".into(), "2025-06-01".into()), ("closes_on".into(), "2025-05-01".into())],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec![
            "Enter the campaign's title",
            "Select the framework",
            "The closing date cannot be before the opening date",
            "Select at least one organisation to send it to"
        ],
        "in the order of the fields"
    );
    let today = chrono::Utc::now().date_naive();
    let opens = (today - chrono::Days::new(1)).to_string();
    let closes = (today + chrono::Days::new(30)).to_string();
    let campaign =
        launch(app, &mut bu, "Section 11 audit 2025", &opens, &closes, &["Essex Police", "Southend City Council"])
            .await;
    let page = bu.get(&campaign).await;
    assert_eq!(page.texts("#progress-summary"), vec!["0 of 2 returned (0.0%)"]);
    let police_return = return_link(&page, "Essex Police");
    let council_return = return_link(&page, "Southend City Council");

    // The police lead answers for the police only; a viewer sees the progress but no return.
    let mut lead = app.sign_in("police.lead@example.org").await;
    assert_eq!(lead.get(&council_return).await.status, StatusCode::NOT_FOUND);
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get(&campaign).await.status, StatusCode::OK);
    assert_eq!(viewer.get(&police_return).await.status, StatusCode::NOT_FOUND);

    let answers = format!("{police_return}/answers");
    let steps = format!("{police_return}/steps");
    let bad = vec![
        ("score:1.1".to_owned(), "5".to_owned()),
        ("value:4.2".to_owned(), "150".to_owned()),
        ("evidence:1.2".to_owned(), "Board minutes".to_owned()),
    ];
    let before = app.row_counts().await.into_iter().filter(|(t, _)| t == "answers").collect::<Vec<_>>();
    let r = post(&mut lead, &answers, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec![
            "Question 1.1 (A named senior leader is accountable for safeguarding…): choose a score on the scheme",
            "Question 1.2 (Safeguarding risks are on the corporate risk register and…): answer the question as well as giving evidence",
            "Question 4.2 (Percentage of staff whose safeguarding training is in date): enter a percentage from 0 to 100, not '150'"
        ]
    );
    assert_eq!(app.row_counts().await.into_iter().filter(|(t, _)| t == "answers").collect::<Vec<_>>(), before);
    // Part answered: it cannot go in yet.
    post(&mut lead, &answers, &complete_section11("4")[..3]).await;
    let r = lead.post(&steps, &[("step", "submit")]).await;
    assert_eq!(r.error_summary(), vec!["It cannot be submitted yet: 12 questions are not answered"]);
    let mut full = complete_section11("4");
    full[1] = ("na:1.2".into(), "We hold no corporate risk register".into());
    assert_eq!(post(&mut lead, &answers, &full).await.status, StatusCode::SEE_OTHER);
    let page = lead.get(&police_return).await;
    assert!(page.texts("#scores td").contains(&"4.0".to_owned()), "{:?}", page.texts("#scores td"));
    assert_eq!(lead.post(&steps, &[("step", "submit")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(bu.get(&campaign).await.texts("#progress-summary"), vec!["1 of 2 returned (50.0%)"]);
    // Submitted: no more changes unless the assessor asks.
    let r = post(&mut lead, &answers, &full).await;
    assert!(r.error_summary()[0].starts_with("The return has been submitted"));
    assert_eq!(lead.post(&steps, &[("step", "close")]).await.status, StatusCode::FORBIDDEN);

    let r = bu.post(&steps, &[("step", "request_changes"), ("reason", "")]).await;
    assert_eq!(r.error_summary(), vec!["Say what needs to change"]);
    assert_eq!(
        bu.post(&steps, &[("step", "request_changes"), ("reason", "Why not 4 on standard 1.2?")]).await.status,
        StatusCode::SEE_OTHER
    );
    full[1] = ("score:1.2".into(), "3".into());
    assert_eq!(post(&mut lead, &answers, &full).await.status, StatusCode::SEE_OTHER);
    assert_eq!(lead.post(&steps, &[("step", "submit")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(bu.post(&steps, &[("step", "close")]).await.status, StatusCode::SEE_OTHER);
    let page = bu.get(&police_return).await;
    let history = page.texts("#history li");
    assert_eq!(history.len(), 4, "{history:?}");
    assert!(history[1].contains("Why not 4 on standard 1.2?"));
    assert!(page.texts("#return-state").concat().contains("Closed"));
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == "read" && e.record_type == "assessment" && e.actor_label == "police.lead@example.org")
    );

    // The return on paper.
    let (status, headers, pdf) = lead.download(&format!("{police_return}/return.pdf")).await;
    assert_eq!(
        (status, headers[axum::http::header::CONTENT_TYPE].to_str().unwrap()),
        (StatusCode::OK, "application/pdf")
    );
    let disposition = headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains("section-11-audit-2025-essex-police-return-"), "{disposition}");
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(info.contains("Tagged: yes"), "{info}");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Essex Police: Section 11 audit 2025")
            && text.contains("Why not 4 on standard 1.2?")
            && text.contains("Self score")
            && text.contains("Moderated")
            && text.contains("OFFICIAL-SENSITIVE"),
        "the PDF has the return, its moderated scores and its history: {text}"
    );

    // Every return side by side: for the business unit and the scrutineer, not the agencies.
    let analysis = bu.get(&format!("{campaign}/analysis")).await;
    assert_eq!(analysis.status, StatusCode::OK);
    assert_eq!(analysis.texts("#scores-table tbody th"), vec!["Essex Police"]);
    let weakest = analysis.texts("#weakest li");
    assert_eq!(weakest[0], "1. Senior leadership and accountability for safeguarding: 3.50 on average");
    assert!(
        analysis.body.contains("<title>Essex Police, standard 1: 3.5 (last cycle"),
        "compared with the demo's cycle"
    );
    assert_eq!(lead.get(&format!("{campaign}/analysis")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.get(&format!("{campaign}/analysis")).await.status, StatusCode::NOT_FOUND);
    let (status, _, bytes) = bu.download(&format!("{campaign}/returns.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    let summary = assure_testing::workbook_rows(&bytes);
    assert_eq!(summary[0][2], "1. Senior leadership and accountability for safeguarding");
    assert_eq!(summary[1][..3], ["Essex Police".to_owned(), "Police".to_owned(), "3.5".to_owned()]);

    // A finding becomes an action on the plan, in the agency's tasks.
    let r = post(&mut bu, &format!("{campaign}/findings"), &[("number".into(), "2.2".into())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec!["Enter the recommendation", "Select who the recommendation is for", "Select the subgroup that owns it"]
    );
    let cpr = app.body_id("southend", "Child Practice Review").await.to_string();
    let finding = vec![
        ("number".to_owned(), "2.2".to_owned()),
        ("text".to_owned(), "Implement an online safety policy".to_owned()),
        ("scope".to_owned(), "local".to_owned()),
        ("body_id".to_owned(), cpr),
    ];
    assert_eq!(post(&mut bu, &format!("{campaign}/findings"), &finding).await.status, StatusCode::SEE_OTHER);
    let page = bu.get(&campaign).await;
    let rec = page.attr("#recommendation_id option:last-child", "value");
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let target = (today + chrono::Days::new(20)).to_string();
    let action = vec![
        ("recommendation_id".to_owned(), rec),
        ("action".to_owned(), "Publish the online safety policy and brief staff".to_owned()),
        ("organisation_id".to_owned(), police),
        ("owner".to_owned(), "Head of Digital".to_owned()),
        ("owner_email".to_owned(), "police.lead@example.org".to_owned()),
        ("target_on".to_owned(), target),
    ];
    assert_eq!(post(&mut bu, &format!("{campaign}/actions"), &action).await.status, StatusCode::SEE_OTHER);
    assert!(bu.get(&campaign).await.body.contains("Publish the online safety policy and brief staff"));
    let tasks = lead.get("/").await.texts("#my-tasks td");
    assert!(tasks.iter().any(|t| t.contains("Publish the online safety policy")), "{tasks:?}");
    let plan = lead.get("/plan").await.texts("#plan td");
    assert!(plan.iter().any(|t| t.starts_with("Audit: Section 11 audit 2025")), "{plan:?}");
    assert_eq!(post(&mut lead, &format!("{campaign}/findings"), &finding).await.status, StatusCode::FORBIDDEN);

    // The next campaign carries the police's answers forward, to be confirmed.
    let next = launch(app, &mut bu, "Section 11 audit 2027", &opens, &closes, &["Essex Police"]).await;
    let next_return = return_link(&bu.get(&next).await, "Essex Police");
    let page = lead.get(&next_return).await;
    assert_eq!(page.body.matches("Carried forward, not yet confirmed").count(), 15);
    let r = lead.post(&format!("{next_return}/steps"), &[("step", "submit")]).await;
    assert_eq!(
        r.error_summary(),
        vec![
            "It cannot be submitted yet: 15 answers are carried from the last audit and not yet confirmed (save the answers to confirm them)"
        ]
    );
}

async fn after_the_closing_date_a_return_is_locked_until_the_lock_is_lifted(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let campaign = launch(app, &mut bu, "Section 11 audit 2024", "2024-04-01", "2024-06-30", &["Essex Police"]).await;
    let police_return = return_link(&bu.get(&campaign).await, "Essex Police");
    let mut lead = app.sign_in("police.lead@example.org").await;
    let page = lead.get(&police_return).await;
    assert!(page.texts("#return-state").concat().contains("Locked"));
    let r = post(&mut lead, &format!("{police_return}/answers"), &complete_section11("3")).await;
    assert_eq!(
        r.error_summary(),
        vec!["The audit closed: ask the business unit to lift the lock if you still need to answer"]
    );
    assert_eq!(lead.post(&format!("{police_return}/lock"), &[("unlocked", "yes")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(bu.post(&format!("{police_return}/lock"), &[("unlocked", "yes")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        post(&mut lead, &format!("{police_return}/answers"), &complete_section11("3")).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(lead.post(&format!("{police_return}/steps"), &[("step", "submit")]).await.status, StatusCode::SEE_OTHER);
}

on_both!(demo [Audits];
    a_return_is_answered_submitted_challenged_and_closed,
    after_the_closing_date_a_return_is_locked_until_the_lock_is_lifted,
);

async fn a_school_answers_through_its_link_and_nothing_else(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let today = chrono::Utc::now().date_naive();
    let opens = (today - chrono::Days::new(1)).to_string();
    let closes = (today + chrono::Days::new(30)).to_string();
    let campaign = launch(
        app,
        &mut bu,
        "Section 11 audit 2025",
        &opens,
        &closes,
        &["Pier Hill High School (fictional)", "Essex Police"],
    )
    .await;
    let school_return = return_link(&bu.get(&campaign).await, "Pier Hill High School (fictional)");
    let made = bu.post(&format!("{school_return}/links"), &[]).await;
    assert_eq!(made.status, StatusCode::OK);
    let url = made.texts("#new-link code").concat();
    let path = url.split_once("/respond/").map(|(_, t)| format!("/respond/{t}")).unwrap();
    // Shown once: the return's page lists the link but never its token again.
    let page = bu.get(&school_return).await;
    assert!(!page.body.contains(&path) && page.texts("#links tbody tr").len() == 1);

    // No account: the link opens this return and nothing else.
    let mut school = app.anonymous();
    let form = school.get(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Pier Hill High School (fictional)") && !form.body.contains("Essex Police"));
    let answers = complete_section11("3");
    let borrowed: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // The forms carry the link page's double-submit token: without it, nothing is changed.
    let forged = school.post_raw(&format!("{path}/answers"), &borrowed).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    school.csrf = form.attr("input[name=csrf_token]", "value");
    assert!(!school.csrf.is_empty());
    let r = school.post(&format!("{path}/answers"), &borrowed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = school.post(&format!("{path}/steps"), &[("step", "submit")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A link cannot moderate.
    let r = school.post(&format!("{path}/steps"), &[("step", "close")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(bu.get(&campaign).await.texts("#progress-summary"), vec!["1 of 2 returned (50.0%)"]);
    assert!(app.audit().await.iter().any(|e| e.action == "submit"
        && e.actor_label.starts_with("link ")
        && e.actor_label.ends_with("(Pier Hill High School (fictional))")));
    assert_eq!(bu.get(&school_return).await.texts("#links td")[2], "4 times");

    // A wrong token is "not found" and logged; revoked, the link stops working.
    assert_eq!(school.get("/respond/not-a-real-token").await.status, StatusCode::NOT_FOUND);
    assert!(app.audit().await.iter().any(|e| e.action == "link_refused"));
    let revoke = bu.get(&school_return).await.attr("#links form", "action");
    assert_eq!(bu.post(&revoke, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(school.get(&path).await.status, StatusCode::NOT_FOUND);
    // Guessing is throttled per address.
    let mut last = StatusCode::OK;
    for i in 0..40 {
        last = school.get(&format!("/respond/guess-{i}")).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

on_both!(demo [Audits]; a_school_answers_through_its_link_and_nothing_else);

async fn the_demo_holds_the_2019_cycle_the_schools_audit_and_an_open_section_11(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let list = viewer.get("/audits").await;
    let rows = list.texts("#campaigns tbody tr");
    assert!(
        rows.iter().any(|r| r.contains("Section 175/157 schools audit") && r.contains("58 of 62 returned (93.5%)")),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.starts_with("Section 11 audit 2019") && r.contains("4 of 4 returned (100.0%)")),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("Section 11 audit (demo)") && r.contains("5 of 11 returned (45.5%)")),
        "{rows:?}"
    );
    // The 2019 findings are on the plan, completed, attributed to the audit.
    let plan = viewer.get("/plan?status=completed").await.texts("#plan td");
    assert!(plan.iter().any(|t| t.starts_with("Audit: Section 11 audit 2019")), "{plan:?}");
    assert!(viewer.get("/plan?status=completed").await.body.contains("Implement E Safety Policy"));
}

on_both!(demo [Audits]; the_demo_holds_the_2019_cycle_the_schools_audit_and_an_open_section_11);

/// Campaigns' returns and progress are kept between requests; a change made anywhere (here by
/// another process, in SQL) shows on the next request, in the list and in the analysis.
async fn kept_returns_follow_a_change_made_anywhere(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let row = |page: &support::Reply| {
        page.texts("#campaigns tbody tr").into_iter().find(|r| r.contains("Section 11 audit (demo)")).unwrap()
    };
    assert!(row(&bu.get("/audits").await).contains("5 of 11 returned"));
    let mut conn = app.db.store.read().await.unwrap();
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM campaigns WHERE title = 'Section 11 audit (demo)'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    let analysis = format!("/audits/{id}/analysis");
    let shown = |page: &support::Reply| page.texts("#shown").concat();
    assert_eq!(shown(&bu.get(&analysis).await), "5");
    // A kept analysis is still authorized and logged on every request.
    let reads = app.audit().await.iter().filter(|e| e.action == "read" && e.record_type == "campaign").count();
    assert_eq!(shown(&bu.get(&analysis).await), "5", "again, as kept");
    let again = app.audit().await.iter().filter(|e| e.action == "read" && e.record_type == "campaign").count();
    assert_eq!(again, reads + 1, "the kept analysis's read is logged too");
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get(&analysis).await.status, StatusCode::NOT_FOUND, "kept for one is not shown to another");
    let mut tx = app.db.store.write().await.unwrap();
    sqlx::query(
        "UPDATE assessments SET state = 'submitted' WHERE id = (SELECT MIN(a.id) FROM assessments a \
         JOIN campaigns c ON c.id = a.campaign_id WHERE c.title = 'Section 11 audit (demo)' AND a.state = 'draft')",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(row(&bu.get("/audits").await).contains("6 of 11 returned"));
    assert_eq!(shown(&bu.get(&analysis).await), "6");
}

on_both!(demo [Audits]; kept_returns_follow_a_change_made_anywhere);

/// The value of the input whose label starts with `label`.
fn value_labelled(page: &support::Reply, inputs: &str, label: &str) -> String {
    let html = page.html();
    let labels = scraper::Selector::parse("label").unwrap();
    let target = html
        .select(&labels)
        .find(|l| l.text().collect::<String>().trim().starts_with(label))
        .and_then(|l| l.value().attr("for"))
        .unwrap_or_else(|| panic!("no label {label}"))
        .to_owned();
    let sel = scraper::Selector::parse(inputs).unwrap();
    html.select(&sel)
        .find(|i| i.value().attr("id") == Some(target.as_str()))
        .and_then(|i| i.value().attr("value"))
        .unwrap()
        .to_owned()
}

async fn a_joint_campaign_is_moderated_discussed_compared_and_chased(app: &TestApp) {
    let today = chrono::Utc::now().date_naive();
    let (opens, closes) = ((today - chrono::Days::new(1)).to_string(), (today + chrono::Days::new(3)).to_string());
    // Southend's business manager launches campaigns for Southend only: no partnership is offered,
    // and a forged one is refused.
    let mut bu = app.sign_in("business.manager@example.org").await;
    let page = bu.get("/audits/new").await;
    assert!(page.texts("#partnership_ids label").is_empty());
    let html = page.html();
    let s11 = html
        .select(&scraper::Selector::parse("#framework_id option").unwrap())
        .find(|o| o.text().collect::<String>().starts_with("Section 11"))
        .and_then(|o| o.value().attr("value"))
        .unwrap()
        .to_owned();
    let mut admin = app.sign_in("admin@example.org").await;
    let page = admin.get("/audits/new").await;
    assert_eq!(
        page.texts("#partnership_ids label"),
        vec!["Essex Safeguarding Partnership", "Thurrock Safeguarding Partnership"]
    );
    let essex = value_labelled(&page, "#partnership_ids input", "Essex Safeguarding Partnership");
    let (southend_police, council) =
        (app.org_id("southend", "Essex Police").await, app.org_id("southend", "Southend City Council").await);
    let (essex_police, essex_council) =
        (app.org_id("essex", "Essex Police").await, app.org_id("essex", "Essex County Council").await);
    let form = |orgs: &[i64], joint: &[&str]| {
        let mut f = vec![
            ("title".to_owned(), "Joint Section 11 audit".to_owned()),
            ("framework_id".to_owned(), s11.clone()),
            ("opens_on".to_owned(), opens.clone()),
            ("closes_on".to_owned(), closes.clone()),
        ];
        f.extend(orgs.iter().map(|o| ("organisation_ids".to_owned(), o.to_string())));
        f.extend(joint.iter().map(|p| ("partnership_ids".to_owned(), (*p).to_owned())));
        f
    };
    let r = post(&mut bu, "/audits", &form(&[southend_police], &[&essex])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec![
            "Select the partnerships from the list: you can run a campaign only with partnerships where you launch campaigns"
        ]
    );
    let r = post(&mut admin, "/audits", &form(&[southend_police, essex_council], &[])).await;
    assert_eq!(
        r.error_summary(),
        vec!["Essex County Council belongs to a partnership not running this campaign: tick that partnership too"]
    );
    let r =
        post(&mut admin, "/audits", &form(&[southend_police, council, essex_police, essex_council], &[&essex])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let campaign = r.location().split('?').next().unwrap().to_owned();

    // Essex's business manager sees the shared campaign and Southend's returns.
    let mut essex_bu = app.sign_in("essex.manager@example.org").await;
    assert!(essex_bu.get("/audits").await.texts("#campaigns tbody tr").iter().any(|r| r.contains("Joint Section 11")));
    let page = essex_bu.get(&campaign).await;
    assert_eq!(page.texts("#joint"), vec!["Southend Safeguarding Partnership, Essex Safeguarding Partnership"]);
    let police_return = return_link(&bu.get(&campaign).await, "Essex Police");
    assert_eq!(essex_bu.get(&police_return).await.status, StatusCode::OK);
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get(&police_return).await.status, StatusCode::NOT_FOUND);

    // The police lead answers, giving the allegations policy itself as the answer to 8.2.
    let mut lead = app.sign_in("police.lead@example.org").await;
    assert_eq!(
        post(&mut lead, &format!("{police_return}/answers"), &complete_section11("3")).await.status,
        StatusCode::SEE_OTHER
    );
    let files = format!("{police_return}/files");
    let r = lead.post_multipart(&files, &[("question", "1.1")], &[("file", "a.pdf", "application/pdf", b"%PDF")]).await;
    assert_eq!(r.error_summary(), vec!["Select a question that asks for a file"]);
    let r = lead.post_multipart(&files, &[("question", "8.2")], &[("file", "", "application/octet-stream", b"")]).await;
    assert_eq!(r.error_summary(), vec!["Choose the file to upload"]);
    let r = lead
        .post_multipart(&files, &[("question", "8.2")], &[("file", "policy.docx", "application/msword", b"MZ\x90\x00")])
        .await;
    assert_eq!(
        r.error_summary(),
        vec![
            "The file policy.docx is not what its name says: its content is not a Word, Excel, PowerPoint or OpenDocument file"
        ]
    );
    let policy = b"%PDF-1.4 allegations policy version 4";
    let r = lead
        .post_multipart(
            &files,
            &[("question", "8.2")],
            &[("file", "allegations-policy.pdf", "application/pdf", policy)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = lead.get(&police_return).await;
    assert!(page.body.contains("allegations-policy.pdf"));
    let (status, headers, bytes) = bu.download(&format!("{police_return}/files/8.2")).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, &policy[..]));
    assert_eq!(headers[axum::http::header::CONTENT_TYPE], "application/octet-stream");
    assert_eq!(viewer.download(&format!("{police_return}/files/8.2")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(lead.post(&format!("{police_return}/steps"), &[("step", "submit")]).await.status, StatusCode::SEE_OTHER);

    // The assessor moderates 1.1 down and asks why; the lead cannot moderate.
    let moderation = format!("{police_return}/moderation");
    let r = bu.post(&moderation, &[("moderated:1.1", "9")]).await;
    assert_eq!(
        r.error_summary(),
        vec![
            "Question 1.1 (A named senior leader is accountable for safeguarding…): choose a moderated score on the scheme"
        ]
    );
    assert_eq!(lead.post(&moderation, &[("moderated:1.1", "4")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(bu.post(&moderation, &[("moderated:1.1", "1")]).await.status, StatusCode::SEE_OTHER);
    let page = bu.get(&police_return).await;
    assert!(page.body.contains("Moderated score 1"), "the moderated score beside the self score");
    let challenges = format!("{police_return}/challenges");
    let r = bu.post(&challenges, &[("question", "1.1"), ("body", " ")]).await;
    assert_eq!(r.error_summary(), vec!["Enter the challenge"]);
    assert_eq!(
        bu.post(&challenges, &[("question", "1.1"), ("body", "Why 3? The board minutes do not show it.")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(
        lead.get("/").await.texts("#notifications li").iter().any(|n| n.contains("challenged answer 1.1")),
        "the organisation is told"
    );
    assert_eq!(
        lead.post(&challenges, &[("question", "1.1"), ("body", "The lead reports to the board from May.")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(
        bu.get("/")
            .await
            .texts("#notifications li")
            .iter()
            .any(|n| n.contains("Essex Police has replied on answer 1.1"))
    );
    let thread = bu.get(&police_return).await.texts("[id='thread-1.1'] li");
    assert_eq!(thread.len(), 2, "{thread:?}");
    assert!(
        thread[0].starts_with("Assessor, Bea Manager") && thread[1].starts_with("Organisation, Pat Constable"),
        "people are named, not their e-mail: {thread:?}"
    );

    // The analysis: self or moderated scores, by sector and partnership, against the last cycle.
    let analysis = format!("{campaign}/analysis");
    let own = bu.get(&analysis).await;
    assert_eq!(own.texts("#scores-table tbody th"), vec!["Essex Police Moderated"]);
    let moderated = bu.get(&format!("{analysis}?scores=moderated")).await;
    let (own_cells, moderated_cells) = (own.texts("#scores-table td"), moderated.texts("#scores-table td"));
    assert!(
        own_cells[0].starts_with("3.0") && !moderated_cells[0].starts_with("3.0"),
        "{own_cells:?} {moderated_cells:?}"
    );
    let spread = own.texts("#spread-table tbody tr");
    assert!(spread[0].contains("1. Senior leadership"), "{spread:?}");
    assert_eq!(own.texts("#spread-table tbody tr:first-child td"), vec!["0", "0", "1", "0"]);
    assert_eq!(own.texts("#change-table tbody tr").len(), 8, "compared with the demo's open cycle");
    assert_eq!(bu.get(&format!("{analysis}?sector=education")).await.texts("#scores-table tbody th").len(), 0);
    assert_eq!(bu.get(&format!("{analysis}?partnership={essex}")).await.texts("#shown"), vec!["0"]);
    assert_eq!(bu.get(&format!("{analysis}?sector=spaceships")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(essex_bu.get(&analysis).await.status, StatusCode::OK, "each partnership running it analyses it");
    assert_eq!(lead.get(&analysis).await.status, StatusCode::NOT_FOUND);
    let (status, _, bytes) = bu.download(&format!("{campaign}/returns.xlsx?scores=moderated&sector=police")).await;
    assert_eq!(status, StatusCode::OK);
    let sheet = assure_testing::workbook_rows(&bytes);
    assert_eq!(sheet.len(), 2, "the police return only");

    // One click reminds the organisations yet to return; those without accounts need a link.
    let page = bu.post(&format!("{campaign}/reminders"), &[]).await;
    assert_eq!(
        page.texts("#nudged"),
        vec![
            "Reminded 1 person at 1 organisation. No one at 2 organisations has an account: send them a link (Essex County Council, Southend City Council)"
        ]
    );
    let again = bu.post(&format!("{campaign}/reminders"), &[]).await;
    assert!(
        again.texts("#nudged")[0]
            .starts_with("Everyone with an account yet to return has already been reminded today. No one at 2")
    );
    assert_eq!(lead.post(&format!("{campaign}/reminders"), &[]).await.status, StatusCode::FORBIDDEN);
    assert!(bu.get(&campaign).await.texts("#nudges").concat().contains("1 people at 1 organisations"));
    lead.post("/partnerships/switch", &[("partnership_id", &essex)]).await;
    let notes = lead.get("/").await.texts("#notifications li");
    assert!(
        notes.iter().any(|n| n.contains("Essex Police's return to Joint Section 11 audit is not in yet")),
        "{notes:?}"
    );
    // The hourly run reminds as the closing date nears, once.
    let sent = app.core.send_reminders().await.unwrap();
    assert!(sent.notifications >= 1);
    let notes = lead.get("/").await.texts("#notifications li");
    assert!(notes.iter().any(|n| n.contains("return to Joint Section 11 audit is due on")), "{notes:?}");
    let audit = app.audit().await;
    for action in ["moderate", "challenge", "answer_file", "remind"] {
        assert!(audit.iter().any(|e| e.action == action), "{action} is in the audit log");
    }
}

on_both!(demo [Audits]; a_joint_campaign_is_moderated_discussed_compared_and_chased);

async fn a_return_is_answered_moderated_and_analysed_through_the_api(app: &TestApp) {
    use axum::http::Method;
    let mut bu_page = app.sign_in("business.manager@example.org").await;
    let today = chrono::Utc::now().date_naive();
    let (opens, closes) = ((today - chrono::Days::new(1)).to_string(), (today + chrono::Days::new(20)).to_string());
    let campaign = launch(app, &mut bu_page, "Section 11 by API", &opens, &closes, &["Essex Police"]).await;
    let id: i64 = campaign.rsplit('/').next().unwrap().parse().unwrap();
    let mut lead = app.api("police.lead@example.org").await;
    let mut bu = app.api("business.manager@example.org").await;
    let detail = bu.request(Method::GET, &format!("/api/v1/campaigns/{id}"), None, String::new()).await.json();
    assert_eq!(detail["progress"]["summary"], "0 of 1 returned (0.0%)");
    let ret = detail["recipients"][0]["assessment_id"].as_i64().unwrap();
    let path = format!("/api/v1/assessments/{ret}");
    // Answers in two goes: the second keeps the first.
    let first: Vec<serde_json::Value> = ["1.1", "1.2", "2.1", "2.2", "3.1", "4.1", "4.3"]
        .iter()
        .map(|q| serde_json::json!({"question": q, "score": 3, "evidence": "Board minutes"}))
        .collect();
    let r = lead.json(Method::POST, &format!("{path}/answers"), serde_json::json!({"answers": first})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // An answer to a question the framework does not ask is refused, not dropped, and nothing changes.
    let before = app.row_counts().await.into_iter().filter(|(t, _)| t == "answers").collect::<Vec<_>>();
    let stray = serde_json::json!({"answers": [{"question": "9.9", "score": 3}, {"question": "5.1", "score": 4}]});
    let r = lead.json(Method::POST, &format!("{path}/answers"), stray).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("9.9 is not a question of this framework"), "{}", r.body);
    assert_eq!(app.row_counts().await.into_iter().filter(|(t, _)| t == "answers").collect::<Vec<_>>(), before);
    let mut rest: Vec<serde_json::Value> =
        ["5.1", "6.1", "7.1", "8.1"].iter().map(|q| serde_json::json!({"question": q, "score": 4})).collect();
    rest.push(serde_json::json!({"question": "3.2", "value": "Young people's panel"}));
    rest.push(serde_json::json!({"question": "4.2", "value": "ninety"}));
    let r = lead.json(Method::POST, &format!("{path}/answers"), serde_json::json!({"answers": rest.clone()})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Question 4.2 (Percentage of staff whose safeguarding training is in date): enter a percentage from 0 to 100, not 'ninety'"), "{}", r.body);
    rest.pop();
    rest.push(serde_json::json!({"question": "4.2", "value": "90"}));
    rest.push(serde_json::json!({"question": "6.2", "value": "yes"}));
    rest.push(serde_json::json!({"question": "8.2", "value": "Allegations policy v4"}));
    let r = lead.json(Method::POST, &format!("{path}/answers"), serde_json::json!({"answers": rest})).await.json();
    assert_eq!(r["answers"].as_array().unwrap().len(), 15, "{r}");
    let r = lead.json(Method::POST, &format!("{path}/steps"), serde_json::json!({"step": "submit"})).await;
    assert_eq!(r.json()["state"], "submitted");
    // The assessor moderates and asks; the analysis shows both views.
    let r =
        bu.json(Method::POST, &format!("{path}/moderation"), serde_json::json!({"scores": {"1.1": 1}})).await.json();
    assert_eq!(r["answers"].as_array().unwrap().iter().find(|a| a["question"] == "1.1").unwrap()["moderated_score"], 1);
    assert_ne!(r["moderated_scores"]["1"], r["scores"]["1"]);
    let r = bu
        .json(Method::POST, &format!("{path}/challenges"), serde_json::json!({"question": "1.1", "body": "Why 3?"}))
        .await
        .json();
    assert_eq!(r["discussion"][0]["party"], "assessor");
    let a = bu
        .request(Method::GET, &format!("/api/v1/campaigns/{id}/analysis?scores=moderated"), None, String::new())
        .await;
    let a = a.json();
    assert_eq!(a["scores"], "moderated");
    assert_eq!(a["rows"][0]["organisation"], "Essex Police");
    assert_eq!(a["standards"].as_array().unwrap().len(), 8);
    let bad =
        bu.request(Method::GET, &format!("/api/v1/campaigns/{id}/analysis?scores=best"), None, String::new()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let nudge =
        bu.request(Method::POST, &format!("/api/v1/campaigns/{id}/reminders"), None, String::new()).await.json();
    assert_eq!(nudge["summary"], "No one was reminded");
}

on_both!(demo [Audits]; a_return_is_answered_moderated_and_analysed_through_the_api);

/// Audit pages moved under `/audits`; the old addresses (bookmarks, e-mails already sent)
/// answer with a permanent redirect that keeps the query and, for a form, the method.
async fn old_audit_addresses_redirect_to_their_new_place(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let r = bu.get("/campaigns/1/analysis?scores=moderated").await;
    assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.location(), "/audits/1/analysis?scores=moderated");
    assert_eq!(bu.get(&r.location()).await.status, StatusCode::OK);
    let r = bu.post("/assessments/1/answers", &[]).await;
    assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.location(), "/audits/assessments/1/answers");
    let r = app.anonymous().get("/frameworks").await;
    assert_eq!((r.status, r.location()), (StatusCode::PERMANENT_REDIRECT, "/audits/frameworks".to_owned()));
    assert_eq!(app.anonymous().get("/campaignsX").await.status, StatusCode::NOT_FOUND);
}
on_both!(demo [Audits]; old_audit_addresses_redirect_to_their_new_place);
