//! Inspections through the pages, the API and the plan: seed 002's inspections with their
//! fieldwork and publication kept apart, their grades on their inspectorates' scales and their
//! recommendations; an agency's grades over time; an inspection not yet published seen only by
//! the business unit, the scrutineer and the agencies inspected, each read logged; recording one
//! (every bad input named, nothing saved), its judgements, recommendations and actions, which the
//! plan shows and filters by source.

use super::*;

/// An inspection's page, by the start of its title, from the register.
async fn inspection(client: &mut support::Client<'_>, starts: &str) -> String {
    let page = client.get("/inspections").await;
    let rows = page.texts("#inspections tbody tr");
    let links = page.attrs("#inspections tbody th a", "href");
    let i = rows.iter().position(|r| r.contains(starts)).unwrap_or_else(|| panic!("no inspection {starts}: {rows:?}"));
    links[i].clone()
}

async fn the_register_keeps_fieldwork_and_publication_apart_and_grades_on_their_scales(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let page = viewer.get("/inspections").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let rows = page.texts("#inspections tbody tr");
    assert_eq!(rows.len(), 4, "the CQC review not yet published is not the viewer's to see: {rows:?}");
    assert!(page.texts("a.govuk-button").is_empty(), "a viewer records no inspection");
    let ofsted = rows.iter().find(|r| r.starts_with("Inspection of services for children")).unwrap();
    assert!(ofsted.contains("18 Apr 2016 to 12 May 2016") && ofsted.contains("4 Jul 2016"), "{ofsted}");
    assert!(ofsted.contains("Overall effectiveness: Requires improvement to be good"), "{ofsted}");
    let mut bu = app.sign_in("business.manager@example.org").await;
    let rows = bu.get("/inspections").await.texts("#inspections tbody tr");
    assert_eq!(rows.len(), 5);
    let cqc = rows.iter().find(|r| r.starts_with("Review of health services")).unwrap();
    assert!(cqc.contains("Not yet published"), "{cqc}");
    // Ofsted's page: its scale, its judgement and its twelve recommendations.
    let url = inspection(&mut viewer, "Inspection of services for children").await;
    let page = viewer.get(&url).await;
    assert_eq!(page.texts("#fieldwork"), vec!["18 April 2016 to 12 May 2016"]);
    assert_eq!(page.texts("#published"), vec!["4 July 2016"]);
    assert!(page.body.contains("Outstanding, Good, Requires improvement to be good, Inadequate"));
    assert_eq!(page.texts("h3[id^=recommendation-]").len(), 12);
    assert!(page.texts("main form").is_empty(), "no forms for a viewer");
    // HMIC's child protection inspection does not grade: its finding stands alone.
    let hmic = inspection(&mut viewer, "Essex Police: national child protection").await;
    let page = viewer.get(&hmic).await;
    let judgements = page.texts("#judgement-list tbody tr");
    assert_eq!(judgements.len(), 1);
    assert!(judgements[0].contains("Not graded") && judgements[0].contains("widespread serious and systemic failings"));
    // Essex Police's grades over time, the earliest fieldwork first.
    let police = viewer.get("/inspections?organisation=").await;
    assert_eq!(police.status, StatusCode::OK);
    let org_id = app.org_id("southend", "Essex Police").await;
    let filtered = viewer.get(&format!("/inspections?organisation={org_id}")).await;
    assert_eq!(filtered.texts("#inspections tbody tr").len(), 3, "two of 2015 and this year's joint inspection");
    let grades = viewer.get(&filtered.attr("#grades-link", "href")).await;
    let lines = grades.texts("#grades tbody tr");
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("Sep 2015") && lines[0].ends_with("Not graded"), "{}", lines[0]);
    assert!(lines[1].contains("Inadequate") && lines[1].contains("4 of 4 on its scale"), "{}", lines[1]);
    assert!(lines[2].contains("the agencies together"), "{}", lines[2]);
    assert_eq!(viewer.get("/inspections?organisation=abc").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(viewer.get("/inspections/agencies/999999").await.status, StatusCode::NOT_FOUND);
    // Not yet published: the business unit reads it, and the read is logged; a viewer does not.
    let cqc = inspection(&mut bu, "Review of health services").await;
    assert_eq!(viewer.get(&cqc).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.sign_in("police.lead@example.org").await.get(&cqc).await.status, StatusCode::NOT_FOUND);
    let page = bu.get(&cqc).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("#unpublished").len(), 1);
    let id = cqc.rsplit('/').next().unwrap();
    let audit = app.audit().await;
    assert!(
        audit.iter().any(|e| e.action == "read" && e.record_type == "inspection" && e.record_id.as_deref() == Some(id)),
        "the read of an unpublished inspection is logged"
    );
    assert_eq!(app.sign_in("scrutineer@example.org").await.get(&cqc).await.status, StatusCode::OK);
}

async fn the_plan_shows_and_filters_the_recommendations_by_source(app: &TestApp) {
    let mut viewer = app.sign_in("viewer@example.org").await;
    let page = viewer.get("/plan?source=inspection").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let rows = page.texts("#plan tbody tr");
    assert_eq!(rows.len(), 2, "the joint inspection's two open actions: {rows:?}");
    assert!(rows.iter().all(|r| r.contains("Inspection: Joint targeted area inspection")), "{rows:?}");
    let done = viewer.get("/plan?source=inspection&status=completed").await.texts("#plan tbody tr");
    assert_eq!(done.len(), 2, "Ofsted's two of 2016, completed: {done:?}");
    let reviews = viewer.get("/plan?source=review").await.texts("#plan tbody tr");
    assert!(!reviews.is_empty() && reviews.iter().all(|r| !r.contains("Inspection:")), "{reviews:?}");
    let all = viewer.get("/plan").await.texts("#plan-count")[0].clone();
    let by_source = viewer.get("/plan?source=review").await.texts("#plan-count")[0].clone();
    assert_ne!(all, by_source);
    let r = viewer.get("/plan?source=gossip").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary().len(), 1);
    let (status, _, xlsx) = viewer.download("/plan.xlsx?source=inspection").await;
    assert_eq!(status, StatusCode::OK);
    let sheets = assure_testing::workbook_sheets(&xlsx);
    assert_eq!(sheets[0].1.len(), 3, "a header and the two actions: {:?}", sheets[0].1);
}

async fn an_inspection_is_recorded_judged_and_its_recommendations_go_on_the_plan(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let children = app.org_id("southend", "Southend Children's Services").await.to_string();
    let before = app.row_counts().await;
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let r = bu
        .post(
            "/inspections",
            &[
                ("type_code", "ofsted_2099"),
                ("organisation_ids", "999999"),
                ("fieldwork_from", &tomorrow),
                ("fieldwork_to", "2026-01-01"),
                ("link", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    for message in [
        "Select the kind of inspection from the list",
        "Enter the inspection's title",
        "The fieldwork's first day must be today or in the past",
        "The fieldwork's last day must be on or after its first day",
        "Enter the report's address, starting https://",
    ] {
        assert!(errors.contains(&message.to_owned()), "{message}: {errors:?}");
    }
    let fields = vec![
        ("type_code", "hmicfrs_peel"),
        ("title", "PEEL 2025: Essex Police"),
        ("organisation_ids", "999999"),
        ("fieldwork_from", "2026-09-07"),
        ("fieldwork_to", "2026-09-18"),
    ];
    assert_eq!(
        bu.post("/inspections", &fields).await.error_summary(),
        vec!["Select the agencies inspected from the list"]
    );
    assert_eq!(app.row_counts().await, before, "nothing saved");
    let mut fields = fields;
    fields[2] = ("organisation_ids", &police);
    let r = bu.post("/inspections", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location().split('?').next().unwrap().to_owned();
    // Unpublished: the agency inspected reads it; a viewer does not; neither changes it.
    let mut lead = app.sign_in("police.lead@example.org").await;
    assert_eq!(lead.get(&url).await.status, StatusCode::OK);
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert_eq!(viewer.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        lead.post(&format!("{url}/judgements"), &[("area", "Effectiveness"), ("grade", "Good")]).await.status,
        StatusCode::FORBIDDEN
    );
    // Judgements: a grade on HMICFRS's five-point scale.
    let r =
        bu.post(&format!("{url}/judgements"), &[("area", "Protecting vulnerable people"), ("grade", "Superb")]).await;
    assert_eq!(
        r.error_summary(),
        vec!["Select one of the grades: Outstanding, Good, Adequate, Requires improvement, Inadequate"]
    );
    let r =
        bu.post(&format!("{url}/judgements"), &[("area", "Protecting vulnerable people"), ("grade", "Adequate")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(bu.get(&url).await.texts("#judgement-list tbody tr")[0].contains("Essex Police"), "the only agency");
    // Recommendations, numbered once, and an action on the plan.
    let body = app.body_id("southend", "Exploitation and Missing").await.to_string();
    let rec =
        [("number", "1"), ("text", "Improve the response to missing children"), ("scope", "local"), ("body_id", &body)];
    let r = bu.post(&format!("{url}/recommendations"), &rec).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        bu.post(&format!("{url}/recommendations"), &rec).await.error_summary(),
        vec!["Recommendation 1 is already on this inspection: give this one another number"]
    );
    let page = bu.get(&url).await;
    let rec_id = page.attr("#recommendation_id option:nth-child(2)", "value");
    let r = bu
        .post(
            &format!("{url}/actions"),
            &[
                ("recommendation_id", rec_id.as_str()),
                ("action", "Missing persons liaison officers in every district"),
                ("organisation_id", &police),
                ("owner", "Head of public protection"),
                ("target_on", "2027-03-31"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let plan = bu.get("/plan?source=inspection").await.texts("#plan tbody tr");
    assert!(plan.iter().any(|r| r.contains("Inspection: PEEL 2025: Essex Police")), "{plan:?}");
    // The plan names an unpublished inspection only to those who read it.
    let plan = viewer.get("/plan?source=inspection").await.texts("#plan tbody tr");
    let row = plan.iter().find(|r| r.contains("Missing persons liaison")).unwrap();
    assert!(row.contains("An inspection not yet published") && !row.contains("PEEL 2025"), "{row}");
    // Changing it: not its kind while judged, not without the agency a judgement names.
    let mut change = fields.clone();
    change[0] = ("type_code", "hmic_peel_2014");
    assert_eq!(
        bu.post(&url, &change).await.error_summary(),
        vec!["Remove the judgements before changing the kind of inspection: their grades are on its scale"]
    );
    let mut change = fields.clone();
    change[2] = ("organisation_ids", &children);
    assert_eq!(
        bu.post(&url, &change).await.error_summary(),
        vec!["A judgement names an agency you have unticked: remove that judgement first"]
    );
    let page = bu.get(&url).await;
    assert_eq!(page.texts("#inspection dd a"), vec!["Essex Police"], "nothing changed");
    // Published: everyone in the partnership reads it.
    let today = chrono::Utc::now().date_naive().to_string();
    let mut publish = fields.clone();
    publish.push(("published_on", &today));
    let r = bu.post(&url, &publish).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(viewer.get(&url).await.status, StatusCode::OK);
    let remove = bu.get(&url).await.attr("#judgement-list form", "action");
    assert_eq!(bu.post(&remove, &[]).await.status, StatusCode::SEE_OTHER);
    assert!(bu.get(&url).await.texts("#judgement-list").is_empty());
    let audit = app.audit().await;
    for (action, record) in [
        ("create", "inspection"),
        ("update", "inspection"),
        ("create", "inspection_judgement"),
        ("delete", "inspection_judgement"),
    ] {
        assert!(audit.iter().any(|e| e.action == action && e.record_type == record), "{action} {record}");
    }
}

async fn the_api_lists_records_and_reads_inspections(app: &TestApp) {
    use axum::http::Method;
    use serde_json::json;
    let mut api = app.api("business.manager@example.org").await;
    let r = api.request(Method::GET, "/api/v1/inspections?partnership=southend", None, String::new()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 5);
    let bad = api.json(Method::POST, "/api/v1/inspections?partnership=southend", json!({"kind": "rumour"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"]["kind"], json!(["Select the kind of inspection from the list"]));
    let police = app.org_id("southend", "Essex Police").await;
    let r = api
        .json(
            Method::POST,
            "/api/v1/inspections?partnership=southend",
            json!({"kind": "jtai", "title": "JTAI: domestic abuse", "organisation_ids": [police],
                   "fieldwork_from": "2026-06-01", "fieldwork_to": "2026-06-05", "published_on": "2026-07-20",
                   "link": "https://www.gov.uk/"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["published_on"], "2026-07-20");
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/inspections/{id}/judgements"),
            json!({"area": "Strengths", "grade": "Good"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"]["grade"],
        json!(["This kind of inspection does not grade: leave the grade blank and write the finding"])
    );
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/inspections/{id}/judgements"),
            json!({"area": "Strengths", "finding": "The MARAC knows its families"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["judgements"][0]["grade"], json!(null));
    let body = app.body_id("southend", "Exploitation and Missing").await;
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/inspections/{id}/recommendations"),
            json!({"number": "1", "text": "Share risk assessments with schools", "scope": "local", "owning_subgroup_id": body}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let rec = r.json()["recommendations"][0]["id"].as_i64().unwrap();
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/recommendations/{rec}/actions"),
            json!({"text": "Schools' notification within a day", "organisation_id": police, "owner": "Head of public protection",
                   "target_on": "2027-01-31"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = api.request(Method::GET, "/api/v1/plan?partnership=southend&source=inspection", None, String::new()).await;
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 3, "the joint inspection's two, and this one");
    assert!(items.iter().all(|i| i["source_kind"] == "inspection"), "{items:?}");
    assert!(items.iter().any(|i| i["inspection_id"] == json!(id)));
    let r = api.request(Method::GET, &format!("/api/v1/inspections/{id}"), None, String::new()).await;
    assert_eq!(r.json()["recommendations"][0]["actions"].as_array().unwrap().len(), 1);
}

crate::on_both!(demo [Inspections, Learning]; the_register_keeps_fieldwork_and_publication_apart_and_grades_on_their_scales, the_plan_shows_and_filters_the_recommendations_by_source, an_inspection_is_recorded_judged_and_its_recommendations_go_on_the_plan, the_api_lists_records_and_reads_inspections);
