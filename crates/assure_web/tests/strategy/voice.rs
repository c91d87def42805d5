//! The voice of practitioners and the public: feedback given on the public page without an account
//! (every bad input named, a script's refused, nothing saved; a limit per address; links shown as
//! the words they are); the business unit's triage, each step kept and in the audit log; an agency
//! reading what was passed on to it, and told once; every read logged; "You said, we did"
//! recorded, published on the public page and withdrawn; contact details erased 90 days after
//! closing; surveys; the API and its refusals.

use super::*;

async fn the_public_gives_feedback_and_the_business_unit_triages_it(app: &TestApp) {
    let mut anyone = app.anonymous();
    let page = anyone.get("/public/southend/feedback").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.texts("nav a").is_empty() || !page.body.contains("/feedback\""), "no navigation for the public");
    anyone.csrf = page.attr("input[name=csrf_token]", "value");
    assert_eq!(anyone.get("/public/nowhere/feedback").await.status, StatusCode::NOT_FOUND);
    let before = app.row_counts().await;
    let r = anyone.post("/public/southend/feedback", &[("reply_to", "call me maybe")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    for message in ["Select who you are", "Select what your feedback is about", "Enter your feedback"] {
        assert!(errors.contains(&message.to_owned()), "{message}: {errors:?}");
    }
    assert!(errors.iter().any(|e| e.starts_with("Enter an email address")), "{errors:?}");
    let long = "x".repeat(3001);
    let r =
        anyone.post("/public/southend/feedback", &[("giver", "other"), ("topic", "other"), ("feedback", &long)]).await;
    assert_eq!(r.error_summary(), vec!["Your feedback must be 3000 characters or fewer"]);
    let r = anyone
        .post(
            "/public/southend/feedback",
            &[("giver", "other"), ("topic", "other"), ("feedback", "Buy now"), ("website", "https://spam.example")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a script's submission");
    assert_eq!(app.row_counts().await, before, "nothing saved");
    let words = "The page <a href=\"https://evil.example\">here</a> is broken: https://evil.example/x";
    let r = anyone
        .post(
            "/public/southend/feedback",
            &[("giver", "parent_carer"), ("topic", "website"), ("feedback", words), ("reply_to", "01702 215000")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let reference = r.texts("#reference")[0].clone();
    assert!(reference.starts_with("FB-"), "{reference}");
    assert!(!r.body.contains("evil.example"), "the thanks page shows nothing but the reference");
    // The business unit's inbox, and the piece itself: the words as written, never a link.
    let mut bu = app.sign_in("business.manager@example.org").await;
    let inbox = bu.get("/feedback").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert_eq!(inbox.attr("#public-link", "href"), "/public/southend/feedback");
    let row = inbox.texts("#feedback tbody tr").into_iter().find(|r| r.starts_with(&reference)).unwrap();
    assert!(row.contains("A parent or carer") && row.contains("This website") && row.ends_with("Received"), "{row}");
    let url = inbox.attrs("#feedback tbody th a", "href")[0].clone();
    let page = bu.get(&url).await;
    assert_eq!(page.texts("#words"), vec![words]);
    assert!(page.html().select(&scraper::Selector::parse("#words a").unwrap()).next().is_none(), "no link rendered");
    assert_eq!(page.texts("#reply-to"), vec!["01702 215000"]);
    let id = url.rsplit('/').next().unwrap().to_owned();
    assert!(
        app.audit()
            .await
            .iter()
            .any(|e| e.action == "read" && e.record_type == "feedback" && e.record_id.as_deref() == Some(id.as_str())),
        "the read is logged"
    );
    // The hourly reminders tell the business unit of it, once.
    app.core.send_reminders().await.unwrap();
    assert!(bu.get("/").await.body.contains(&format!("New feedback {reference}")), "told of new feedback");
    // Triage: each step named when it cannot be taken.
    let triage = format!("{url}/triage");
    assert_eq!(bu.post(&triage, &[("step", "respond")]).await.error_summary(), vec!["Enter the response"]);
    assert_eq!(
        bu.post(&triage, &[("step", "route")]).await.error_summary(),
        vec!["Select the subgroup or the agency it goes to"]
    );
    assert_eq!(
        bu.post(&triage, &[("step", "route"), ("organisation_id", "999999")]).await.error_summary(),
        vec!["Select the agency from the list"]
    );
    assert_eq!(bu.post(&triage, &[("step", "acknowledge")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bu.post(&triage, &[("step", "acknowledge")]).await.error_summary(),
        vec!["This feedback has already been acknowledged"]
    );
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let r = bu.post(&triage, &[("step", "route"), ("organisation_id", &police), ("note", "Their page")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(bu.get(&url).await.texts("#status"), vec!["Passed on to Essex Police"]);
    // The police's agency lead reads what was passed on to them, and is told once.
    let mut lead = app.sign_in("police.lead@example.org").await;
    let theirs = lead.get("/feedback").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.texts("#feedback tbody tr").iter().all(|r| r.contains("Essex Police")), "only their own");
    assert_eq!(lead.get(&url).await.status, StatusCode::OK);
    assert_eq!(lead.post(&triage, &[("step", "close"), ("note", "x")]).await.status, StatusCode::FORBIDDEN);
    app.core.send_reminders().await.unwrap();
    assert!(lead.get("/").await.body.contains(&format!("Feedback {reference} has been passed on")));
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get("/feedback").await.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.get(&url).await.status, StatusCode::NOT_FOUND);
    // Responded, closed, and reopened.
    let r = bu.post(&triage, &[("step", "respond"), ("note", "Fixed the link; replied by telephone")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = bu.post(&triage, &[("step", "close"), ("note", "Done")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bu.post(&triage, &[("step", "respond"), ("note", "More")]).await.error_summary(),
        vec!["This feedback is closed: reopen it first"]
    );
    // Its contact details are kept for 90 days after it closed, then erased by the hourly work.
    assert_eq!(app.core.erase_feedback_contacts().await.unwrap(), 0, "closed today: kept");
    {
        let mut tx = app.db.store.write().await.unwrap();
        sqlx::query("UPDATE feedback SET updated_at = '2020-01-01T00:00:00.000000Z' WHERE id = $1")
            .bind(id.parse::<i64>().unwrap())
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    app.core.send_reminders().await.unwrap();
    assert_eq!(bu.get(&url).await.texts("#reply-to"), vec!["None: not given, or erased 90 days after it closed"]);
    assert_eq!(bu.get(&url).await.texts("#words"), vec![words], "the words stay");
    assert!(app.audit().await.iter().any(|e| e.action == "erase_contacts" && e.record_type == "feedback"));
    assert_eq!(bu.post(&triage, &[("step", "reopen")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(bu.get(&url).await.texts("#steps li").len(), 5);
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.action == "create" && e.record_type == "feedback"));
    assert_eq!(
        audit.iter().filter(|e| e.action == "triage_feedback" && e.record_id.as_deref() == Some(&id)).count(),
        5
    );
}

async fn an_address_that_gives_too_much_is_slowed_down(app: &TestApp) {
    let mut anyone = app.anonymous();
    let page = anyone.get("/public/southend/feedback").await;
    anyone.csrf = page.attr("input[name=csrf_token]", "value");
    let fields = [("giver", "other"), ("topic", "other"), ("feedback", "Thank you")];
    for _ in 0..assure_core::voice::FEEDBACK_PER_ADDRESS {
        assert_eq!(anyone.post("/public/southend/feedback", &fields).await.status, StatusCode::OK);
    }
    let r = anyone.post("/public/southend/feedback", &fields).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
}

async fn you_said_we_did_is_recorded_and_published(app: &TestApp) {
    let mut anyone = app.anonymous();
    let public = anyone.get("/public/southend/you-said-we-did").await;
    assert_eq!(public.status, StatusCode::OK);
    let shown = public.texts("#said-did .govuk-summary-list__row");
    assert_eq!(shown.len(), 1, "the demo's published one: {shown:?}");
    assert!(shown[0].contains("night staff"), "{shown:?}");
    let essex = anyone.get("/public/essex/you-said-we-did").await.texts("#said-did .govuk-summary-list__row");
    assert_eq!(essex.len(), 3, "seed 004's three");
    let mut bu = app.sign_in("business.manager@example.org").await;
    let before = app.row_counts().await;
    let r = bu.post("/you-said-we-did", &[("done_on", "2099-01-01"), ("feedback_id", "999999")]).await;
    let errors = r.error_summary();
    for message in ["Enter what you heard", "Enter what was done", "The day it was done must be today or in the past"] {
        assert!(errors.contains(&message.to_owned()), "{message}: {errors:?}");
    }
    assert_eq!(app.row_counts().await, before, "nothing saved");
    let fields = [
        ("you_said", "You told us the assemblies felt too young"),
        ("we_did", "So sixth formers now help write them"),
        ("done_on", "2026-10-01"),
    ];
    let r = bu.post("/you-said-we-did", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = bu.get("/you-said-we-did").await;
    let row = list.texts("#entries tbody tr").into_iter().find(|r| r.contains("assemblies")).unwrap();
    assert!(row.ends_with("Not published"), "{row}");
    assert_eq!(
        anyone.get("/public/southend/you-said-we-did").await.texts("#said-did .govuk-summary-list__row").len(),
        1
    );
    let links = list.attrs("#entries tbody a", "href");
    let texts = list.texts("#entries tbody a");
    let edit = links[texts.iter().position(|t| t.contains("assemblies")).unwrap()].clone();
    let mut publish = fields.to_vec();
    publish.push(("published", "yes"));
    assert_eq!(bu.post(&edit, &publish).await.status, StatusCode::SEE_OTHER);
    let shown = anyone.get("/public/southend/you-said-we-did").await.texts("#said-did .govuk-summary-list__row");
    assert_eq!(shown.len(), 2);
    assert!(shown.iter().any(|r| r.contains("sixth formers")));
    // Everyone in the partnership reads it; only the business unit changes it.
    let mut viewer = app.sign_in("viewer@example.org").await;
    let theirs = viewer.get("/you-said-we-did").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.texts("#add").is_empty());
    assert_eq!(viewer.post(&edit, &publish).await.status, StatusCode::FORBIDDEN);
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.action == "update" && e.record_type == "said_did"));
}

async fn the_api_reads_and_triages_feedback(app: &TestApp) {
    use axum::http::Method;
    use serde_json::json;
    let mut api = app.api("business.manager@example.org").await;
    let r = api.request(Method::GET, "/api/v1/feedback?partnership=southend", None, String::new()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 4, "the demo's four");
    let new = items.iter().find(|i| i["status"] == "received").unwrap();
    let id = new["id"].as_i64().unwrap();
    let r = api.json(Method::POST, &format!("/api/v1/feedback/{id}/triage"), json!({"step": "close"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"]["note"], json!(["Enter what was done, or why it closes without more"]));
    let r = api.json(Method::POST, &format!("/api/v1/feedback/{id}/triage"), json!({"step": "acknowledge"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "acknowledged");
    assert_eq!(r.json()["steps"][0]["step"], "acknowledge");
    let r = api
        .json(
            Method::POST,
            "/api/v1/you-said-we-did?partnership=southend",
            json!({"you_said": "You said the forms were long", "we_did": "So we cut them", "done_on": "2026-11-01",
                   "published": true, "feedback_id": id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["feedback_id"], json!(id));
    let r = api.request(Method::GET, "/api/v1/you-said-we-did?partnership=southend", None, String::new()).await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 2);
    let mut lead = app.api("police.lead@example.org").await;
    let r = lead.request(Method::GET, "/api/v1/feedback?partnership=southend", None, String::new()).await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1, "what was passed on to the police");
    let r = lead.json(Method::POST, &format!("/api/v1/feedback/{id}/triage"), json!({"step": "close"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "not theirs to see");
}

async fn a_survey_is_started_answered_counted_and_closed(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let list = bu.get("/surveys").await;
    assert_eq!(list.status, StatusCode::OK);
    let rows = list.texts("#surveys tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("After the professional curiosity") && rows[0].contains("Taking answers"), "{rows:?}");
    let demo = bu.get(&list.attr("#surveys tbody a", "href")).await;
    assert_eq!(demo.texts("#responses"), vec!["6"]);
    assert!(demo.body.contains("mean 4.2 out of 5"), "(4+5+3+4+5+4)/6");
    assert_eq!(demo.texts("#written-3 li").len(), 4, "four wrote something");
    let before = app.row_counts().await;
    let r = bu
        .post("/surveys", &[("title", "After the neglect briefing"), ("questions", "scale: Useful?\nrate: Clear?")])
        .await;
    assert_eq!(r.error_summary(), vec!["Line 2: start it with scale:, choice: or text:"]);
    assert_eq!(app.row_counts().await, before, "nothing saved");
    let questions = "scale: How useful was the briefing?\nchoice: Will you use the tool? | Yes | No | Not sure\ntext: Anything else?";
    let r = bu.post("/surveys", &[("title", "After the neglect briefing"), ("questions", questions)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location().split('?').next().unwrap().to_owned();
    let page = bu.get(&url).await;
    let public = page.attr("#public-link", "href");
    assert!(public.starts_with("/public/southend/surveys/"), "{public}");
    // Answered without an account: every question named when it is not answered.
    let mut anyone = app.anonymous();
    let form = anyone.get(&public).await;
    assert_eq!(form.status, StatusCode::OK);
    anyone.csrf = form.attr("input[name=csrf_token]", "value");
    let r = anyone.post(&public, &[("q2", "Maybe")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec!["How useful was the briefing?: choose a point from 1 to 5", "Will you use the tool?: choose one"]
    );
    let r = anyone.post(&public, &[("q1", "4"), ("q2", "Yes"), ("website", "spam")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a script's answers");
    let r = anyone.post(&public, &[("q1", "4"), ("q2", "Yes"), ("q3", "More case studies, please")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.texts("#thanks h1"), vec!["Thank you for your answers"]);
    let r = anyone.post(&public, &[("q1", "2"), ("q2", "Not sure")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let page = bu.get(&url).await;
    assert_eq!(page.texts("#responses"), vec!["2"]);
    assert!(page.body.contains("mean 3 out of 5"), "{}", page.body);
    let counts = page.texts("#counts-2 tbody tr");
    assert_eq!(counts, vec!["Yes 1", "No 0", "Not sure 1"]);
    let (status, _, csv) = bu.download(&format!("{url}/responses.csv")).await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    let csv = csv.strip_prefix('\u{FEFF}').expect("a byte-order mark for Excel");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "How useful was the briefing?,Will you use the tool?,Anything else?");
    assert_eq!(lines[1], "4,Yes,\"More case studies, please\"");
    // Closed: the public page says so and takes no more.
    assert_eq!(bu.post(&format!("{url}/close"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(anyone.get(&public).await.texts("#closed").len(), 1);
    let r = anyone.post(&public, &[("q1", "5"), ("q2", "Yes")]).await;
    assert_eq!(r.error_summary(), vec!["This survey has closed: thank you for your interest"]);
    assert_eq!(anyone.get("/public/essex/surveys/1").await.status, StatusCode::NOT_FOUND, "another partnership's");
    // The business unit keeps surveys; the scrutineer reads them; nobody else sees them.
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    let theirs = scrutineer.get("/surveys").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(theirs.texts("#start").is_empty());
    assert_eq!(scrutineer.post(&format!("{url}/close"), &[]).await.status, StatusCode::FORBIDDEN);
    for who in ["viewer@example.org", "police.lead@example.org"] {
        let mut c = app.sign_in(who).await;
        assert_eq!(c.get("/surveys").await.status, StatusCode::NOT_FOUND, "{who}");
        assert_eq!(c.get(&url).await.status, StatusCode::NOT_FOUND, "{who}");
    }
    let audit = app.audit().await;
    for action in ["create", "answer_survey", "close_survey"] {
        assert!(audit.iter().any(|e| e.action == action && e.record_type == "survey"), "{action}");
    }
    // The API reads the results.
    use axum::http::Method;
    let id = url.rsplit('/').next().unwrap();
    let mut api = app.api("business.manager@example.org").await;
    let r = api.request(Method::GET, "/api/v1/surveys?partnership=southend", None, String::new()).await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 2);
    let r = api.request(Method::GET, &format!("/api/v1/surveys/{id}"), None, String::new()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["results"][0]["mean"], serde_json::json!(3.0));
    assert_eq!(r.json()["questions"][1], "choice: Will you use the tool? | Yes | No | Not sure");
}

crate::on_both!(demo [Voice]; a_survey_is_started_answered_counted_and_closed, the_public_gives_feedback_and_the_business_unit_triages_it, an_address_that_gives_too_much_is_slowed_down, you_said_we_did_is_recorded_and_published, the_api_reads_and_triages_feedback);
