//! The independent scrutineer's own report, on both stores, through the pages and the API: the
//! scrutineer starts it (and no other kind), writes its words, records what they examined and
//! their recommendations (every bad input named, nothing saved; a recommendation a partner has
//! answered stays); the business unit records each partner's response (and writes none of the
//! scrutineer's words); the report shows both, with the gaps (no response yet) and the same
//! records as the children's report; the scrutineer's signature locks it, partners respond
//! rather than agree, and the business unit publishes it; the audit log keeps each step.

use axum::http::{Method, StatusCode};

use super::reports::report_id;
use super::*;

const SCRUTINY: &str = "Southend Safeguarding Partnership: independent scrutiny report 2022/23";

async fn records(app: &TestApp) -> Vec<(String, usize)> {
    app.row_counts().await.into_iter().filter(|(table, _)| !table.starts_with("audit_")).collect()
}

async fn the_scrutineer_writes_their_report_and_the_partners_respond(app: &TestApp) {
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    let mut bu = app.sign_in("business.manager@example.org").await;
    let id = report_id(&mut scrutineer, SCRUTINY).await;
    let base = format!("/reports/{id}");

    // The demo's report: two pieces of scrutiny, two recommendations, one answered.
    let page = scrutineer.get(&base).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let examined = page.texts("section[aria-labelledby=section-examined]").join(" ");
    for words in
        ["The front door: how contacts about children become referrals", "A multi-agency audit, 20 February 2023"]
    {
        assert!(examined.contains(words), "{words}: {examined}");
    }
    let recs = page.texts("section[aria-labelledby=section-recommendations]").join(" ");
    assert!(recs.contains("Recommendation 1, to the safeguarding partners together"), "{recs}");
    assert!(
        recs.contains("Response: Accepted, by Chair of the safeguarding partners' executive on 24 May 2023"),
        "{recs}"
    );
    assert!(recs.contains("Recommendation 2, to Essex Police"), "{recs}");
    // The same records as the children's report: the reviews and the partnership's meetings.
    assert!(!page.texts("section[aria-labelledby=section-reviews]").is_empty());
    assert_eq!(page.texts("#items tbody tr").len(), 3, "what was examined, found, recommended");
    let gaps = page.texts("#gap-list .gap-message");
    for gap in
        ["Recommendation 2 (to Essex Police): no response recorded", "What the scrutineer found: nothing written yet"]
    {
        assert!(gaps.contains(&gap.to_owned()), "{gap}: {gaps:?}");
    }
    let facts = page.texts("#facts .govuk-summary-list__row").join(" | ");
    assert!(facts.contains("Pieces of scrutiny 2") && facts.contains("Recommendations made 2"), "{facts}");

    // The children's yearly report shows the scrutineer's work under "Independent scrutiny".
    let children = report_id(&mut bu, "Southend Safeguarding Partnership: children's safeguarding yearly report").await;
    let yearly = bu.get(&format!("/reports/{children}")).await;
    let scrutiny = yearly.texts("section[aria-labelledby=section-scrutiny]").join(" ");
    assert!(
        scrutiny.contains(&format!("{SCRUTINY} (draft): 2 pieces of scrutiny in 2022/23, and 2 recommendations.")),
        "{scrutiny}"
    );
    assert!(scrutiny.contains("Share information about domestic abuse") && scrutiny.contains("Awaited"), "{scrutiny}");

    // The scrutineer writes the words; the business unit does not.
    let found = format!("{base}/sections/found");
    assert_eq!(bu.post(&found, &[("narrative", "x")]).await.status, StatusCode::FORBIDDEN);
    let r = scrutineer.post(&found, &[("narrative", "The arrangements work well at the front door.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // What was examined: every bad input named, nothing saved.
    let work = format!("{base}/scrutiny");
    assert_eq!(scrutineer.get(&work).await.status, StatusCode::OK);
    let before = records(app).await;
    let bad = [("examined", " "), ("method", "guesswork"), ("done_on", "2023-04-01"), ("found", "")];
    let r = scrutineer.post(&format!("{work}/activities"), &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.error_summary();
    assert!(errors.contains(&"Select how it was examined".to_owned()), "{errors:?}");
    assert!(
        errors.contains(
            &"The day it was done must be within the report's period (1 April 2022 to 31 March 2023) and not after today"
                .to_owned()
        ),
        "{errors:?}"
    );
    assert_eq!(errors.len(), 4, "{errors:?}");
    let not_a_partner = app.org_id("southend", "Southend Children's Services").await.to_string();
    let r = scrutineer
        .post(
            &format!("{work}/recommendations"),
            &[("recommendation", "Audit it."), ("organisation_id", not_a_partner.as_str())],
        )
        .await;
    assert_eq!(r.error_summary(), vec!["Select a statutory partner, or every partner together"]);
    assert_eq!(records(app).await, before, "nothing saved");
    let good = [
        ("examined", "Practitioners' views of escalation"),
        ("method", "practitioners"),
        ("done_on", "2023-03-01"),
        ("found", "Practitioners knew the escalation policy.\n\nFew had used it."),
    ];
    let r = scrutineer.post(&format!("{work}/activities"), &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let listed = scrutineer.get(&work).await;
    assert!(listed.texts("#examined ~ div h3").contains(&"Practitioners' views of escalation".to_owned()));
    assert_eq!(bu.post(&format!("{work}/activities"), &good).await.status, StatusCode::FORBIDDEN);

    // A recommendation a partner has answered stays; one not answered may go.
    let mut api = app.api("scrutineer@example.org").await;
    let detail = api.request(Method::GET, &format!("/api/v1/reports/{id}"), None, String::new()).await.json();
    let answered = detail["recommendations"][0]["id"].as_i64().unwrap();
    let police_rec = detail["recommendations"][1]["id"].as_i64().unwrap();
    let added = detail["activities"].as_array().unwrap().iter().find(|a| a["method"] == "practitioners").unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = scrutineer.post(&format!("{work}/recommendations/{answered}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["A response to this recommendation is recorded: it stays in the report"]);
    let r = scrutineer.post(&format!("{work}/activities/{added}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The business unit records Essex Police's response; the scrutineer does not.
    let respond = format!("{work}/recommendations/{police_rec}");
    assert_eq!(scrutineer.get(&respond).await.status, StatusCode::FORBIDDEN);
    assert_eq!(bu.get(&respond).await.status, StatusCode::OK);
    let future = (chrono::Utc::now().date_naive() + chrono::Days::new(2)).to_string();
    let r = bu
        .post(
            &respond,
            &[
                ("stance", "partly"),
                ("response", "We will."),
                ("responded_by", "A chief officer"),
                ("responded_on", &future),
            ],
        )
        .await;
    assert_eq!(r.error_summary(), vec!["The day they responded must be today or in the past"]);
    let fields = [
        ("stance", "partly"),
        ("response", "Domestic abuse notifications reach the plan within two working days; one is not yet possible."),
        ("responded_by", "Detective Superintendent, Public Protection"),
        ("responded_on", "2023-06-02"),
    ];
    assert_eq!(bu.post(&respond, &fields).await.status, StatusCode::SEE_OTHER);
    let page = bu.get(&base).await;
    let gaps = page.texts("#gap-list .gap-message");
    assert!(!gaps.iter().any(|g| g.starts_with("Recommendation 2")), "{gaps:?}");
    let recs = page.texts("section[aria-labelledby=section-recommendations]").join(" ");
    assert!(recs.contains("Response: Accepted in part, by Detective Superintendent, Public Protection"), "{recs}");

    // Every other gap explained by the scrutineer, then they sign: their words are locked.
    let detail = api.request(Method::GET, &format!("/api/v1/reports/{id}"), None, String::new()).await.json();
    for gap in detail["gaps"].as_array().unwrap() {
        let code = gap["code"].as_str().unwrap();
        assert!(gap["explainable"].as_bool().unwrap(), "only explainable gaps are left: {code}");
        let r = api
            .json(
                Method::PUT,
                &format!("/api/v1/reports/{id}/gaps/{code}"),
                serde_json::json!({"explanation": "Outside what this year's scrutiny examined."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{code}: {}", r.body);
    }
    let r = bu.post(&format!("{base}/review"), &[("summary", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the business unit does not sign the scrutineer's report");
    let r = scrutineer.post(&format!("{base}/review"), &[("summary", "My account of 2022/23.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = scrutineer.post(&found, &[("narrative", "Changed.")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("The scrutineer has signed this report: reopen it to change it"), "{}", r.body);
    let r = scrutineer.post(&format!("{work}/activities"), &good).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sign_off = bu.get(&format!("{base}/sign-off")).await;
    assert!(sign_off.texts("#reviewed")[0].starts_with("Signed by Jo Scrutineer"), "{:?}", sign_off.texts("#reviewed"));
    assert!(sign_off.texts("#agreements").is_empty(), "partners respond rather than agree");
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let agreement =
        [("organisation_id", police.as_str()), ("agreed_by", "A chief officer"), ("agreed_on", "2023-09-14")];
    let r = bu.post(&format!("{base}/agreements"), &agreement).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Partners respond to the recommendations of a scrutiny report rather than agree it"));

    // The business unit publishes it without agreements: the files say what was examined.
    let r = bu.post(&format!("{base}/publish"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (status, _, pdf) = bu.download(&format!("{base}/report.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    let (text, _) = assure_testing::pdf_text(&pdf);
    for words in ["What the scrutineer examined, and how", "Recommendation 2, to Essex Police", "Accepted in part"] {
        assert!(text.contains(words), "{words}: {text}");
    }
    let r = bu.post(&respond, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a published report's responses are kept");

    let actions: Vec<String> =
        app.audit().await.into_iter().filter(|e| e.record_type == "report").map(|e| e.action).collect();
    for action in
        ["scrutiny_activity", "remove_scrutiny_activity", "respond_recommendation", "review_report", "publish_report"]
    {
        assert!(actions.contains(&action.to_owned()), "{action}: {actions:?}");
    }
}

async fn the_scrutineer_starts_only_their_own_report_and_the_api_records_scrutiny(app: &TestApp) {
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    let r = scrutineer.post("/reports", &[("kind", "children"), ("period", "2021-10 to 2023-03")]).await;
    assert_eq!(r.error_summary(), vec!["You may not start this kind of report"]);
    let r = scrutineer.post("/reports", &[("kind", "scrutiny"), ("period", "2021-10 to 2023-03")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r.location().split(['/', '?']).nth(2).unwrap().parse().unwrap();
    let page = scrutineer.get(&format!("/reports/{id}")).await;
    assert!(
        page.texts("#gap-list .gap-message")
            .contains(&"What the scrutineer examined: no piece of scrutiny recorded for the period".to_owned())
    );
    // A yearly report no scrutiny report covers says so.
    let mut bu_api = app.api("business.manager@example.org").await;
    let r = bu_api
        .json(
            Method::POST,
            "/api/v1/reports?partnership=southend",
            serde_json::json!({"kind": "children", "period": "2019-20"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let gaps: Vec<String> =
        r.json()["gaps"].as_array().unwrap().iter().map(|g| g["message"].as_str().unwrap().to_owned()).collect();
    assert!(gaps.contains(&"No scrutiny report of the independent scrutineer covers 2019/20".to_owned()), "{gaps:?}");

    let mut api = app.api("scrutineer@example.org").await;
    let path = format!("/api/v1/reports/{id}/activities");
    let r = api
        .json(Method::POST, &path, serde_json::json!({"examined": "x", "method": "x", "done_on": "2020-01-01"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for field in ["method", "done_on", "found"] {
        assert!(r.body.contains(&format!("\"{field}\"")), "{field}: {}", r.body);
    }
    let good = serde_json::json!({"examined": "Early help", "method": "cases", "done_on": "2022-01-10", "found": "Plans were clear."});
    let r = api.json(Method::POST, &path, good.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let activity = r.json()["activities"][0].clone();
    assert_eq!((activity["method"].as_str(), activity["done_on"].as_str()), (Some("cases"), Some("2022-01-10")));
    let police = app.org_id("southend", "Essex Police").await;
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/reports/{id}/recommendations"),
            serde_json::json!({"recommendation": "Train the front counter.", "organisation_id": police}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rec = r.json()["recommendations"][0].clone();
    assert_eq!((rec["to"].as_str(), rec["stance"].as_str()), (Some("Essex Police"), None));
    let rec_id = rec["id"].as_i64().unwrap();

    let mut bu = app.api("business.manager@example.org").await;
    assert_eq!(bu.json(Method::POST, &path, good).await.status, StatusCode::FORBIDDEN);
    let response = serde_json::json!({"stance": "accepted", "response": "Done.", "responded_by": "A chief officer", "responded_on": "2023-04-20"});
    let r = api
        .json(Method::PUT, &format!("/api/v1/reports/{id}/recommendations/{rec_id}/response"), response.clone())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the scrutineer does not record partners' responses");
    let r = bu.json(Method::PUT, &format!("/api/v1/reports/{id}/recommendations/{rec_id}/response"), response).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["recommendations"][0]["stance"].as_str(), Some("accepted"));
    let r = api
        .request(Method::DELETE, &format!("/api/v1/reports/{id}/recommendations/{rec_id}"), None, String::new())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "answered: {}", r.body);
    let activity_id = activity["id"].as_i64().unwrap();
    let r = api
        .request(Method::DELETE, &format!("/api/v1/reports/{id}/activities/{activity_id}"), None, String::new())
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = api
        .request(Method::DELETE, &format!("/api/v1/reports/{id}/activities/{activity_id}"), None, String::new())
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "already gone");
    // Another kind of report has no record of scrutiny.
    let mut bu_pages = app.sign_in("business.manager@example.org").await;
    let adults = report_id(&mut bu_pages, super::reports::ADULTS).await;
    assert_eq!(bu_pages.get(&format!("/reports/{adults}/scrutiny")).await.status, StatusCode::NOT_FOUND);
}

crate::on_both!(demo [Reports]; the_scrutineer_writes_their_report_and_the_partners_respond, the_scrutineer_starts_only_their_own_report_and_the_api_records_scrutiny);
