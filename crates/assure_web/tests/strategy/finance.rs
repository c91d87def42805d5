//! The partnership's money through the pages: the demo's budgets of 2019-20 and 2022-23, whose
//! shares and totals are the partnership's own papers'; a contributions table refused whole, with
//! the numbers that disagree; a budget titled for another year flagged; quarters' actuals and
//! forecasts, the outturn and a locked year whose changes need a reason; the downloads read back
//! by independent tools; who sees the budget.

use super::*;

/// A budget's page address by its year's words ("2019-20"), from the finance page.
async fn budget(client: &mut support::Client<'_>, year: &str) -> String {
    let page = client.get("/finance").await;
    let html = page.html();
    let sel = scraper::Selector::parse("#budgets a").unwrap();
    html.select(&sel)
        .find(|a| a.text().collect::<String>() == format!("Budget {year}"))
        .and_then(|a| a.value().attr("href"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no budget {year}: {}", page.body))
}

fn row<'a>(rows: &'a [String], starts: &str) -> &'a str {
    rows.iter().find(|r| r.starts_with(starts)).unwrap_or_else(|| panic!("no row {starts}: {rows:?}"))
}

async fn the_demo_budgets_add_up_as_the_partnerships_papers_do(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let b = budget(&mut bu, "2019-20").await;
    let page = bu.get(&b).await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.texts("#contributions-table tbody tr");
    // 48 / 26 / 26 of what is left after £7,794 from minor others, in whole pounds.
    assert_eq!(row(&rows, "Southend City Council"), "Southend City Council 48 % of what is shared £133,038 46.69 % £0");
    assert!(row(&rows, "Essex Police").contains("26 % of what is shared £72,062"));
    assert!(row(&rows, "Mid and South Essex Integrated Care Board").contains("£72,062"));
    assert!(row(&rows, "Essex Community Rehabilitation Company").contains("Fixed amount £4,577"));
    assert!(row(&rows, "All contributions").contains("Table's total £284,956 £284,956 100 %"), "{rows:?}");
    let summary = page.texts("#summary-list .govuk-summary-list__value");
    assert!(
        summary[0].starts_with("£222,916 in cash (£284,956 of contributions, of which £62,040 given in kind)"),
        "{summary:?}"
    );
    assert!(summary[1].starts_with("£222,916 budgeted"), "{summary:?}");
    assert_eq!(summary[2], "£62,040");
    let spend = page.texts("#spend-table tbody tr");
    assert!(row(&spend, "Staff").contains("£156,796"), "salaries and car allowances: {spend:?}");
    assert!(row(&spend, "Total expenditure").starts_with("Total expenditure £222,916"), "{spend:?}");
    let in_kind = page.texts("#in-kind-table tbody tr");
    assert!(row(&in_kind, "Case reviews: Child safeguarding practice reviewer").ends_with("£36,000"), "{in_kind:?}");
    assert!(row(&in_kind, "Total in kind").ends_with("£62,040"));
    assert!(page.texts("#flags").is_empty(), "the seed's budget adds up: {:?}", page.texts("#flag-list li"));

    let b = budget(&mut bu, "2022-23").await;
    let page = bu.get(&b).await;
    let rows = page.texts("#contributions-table tbody tr");
    for partner in ["Southend City Council", "Essex Police", "Mid and South Essex Integrated Care Board"] {
        assert!(row(&rows, partner).contains("Fixed amount £87,779 33.33 %"), "{rows:?}");
    }
    assert!(row(&rows, "All contributions").contains("£263,337"));
    let summary = page.texts("#summary-list .govuk-summary-list__value");
    assert_eq!(summary[4], "£178,000 at outturn");
    assert!(page.body.contains("Locked</strong> at its outturn"));

    // The five years, oldest first, in a chart and its table.
    let finance = bu.get("/finance").await;
    let bars = finance.texts("#years-chart g title");
    assert_eq!(bars[0], "2019-20, income: 222.9 thousand pounds", "{bars:?}");
    assert_eq!(bars.len(), 4, "two bars a year: {bars:?}");
    let trend = finance.texts("#trend-table tbody tr");
    assert_eq!(trend.len(), 2);
    assert!(trend[0].starts_with("2019-20 £222,916"), "{trend:?}");
    assert!(trend[1].starts_with("2022-23 Locked £263,337") && trend[1].ends_with("£178,000"), "{trend:?}");
}

async fn the_budget_downloads_as_a_workbook_and_a_board_paper(app: &TestApp) {
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    let b = budget(&mut scrutineer, "2019-20").await;
    let (status, _, xlsx) = scrutineer.download(&format!("{b}/budget.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    let rows = assure_testing::workbook_rows(&xlsx);
    assert_eq!(rows[0][..5], ["Side", "Group", "Line", "Organisation", "Budget"]);
    let salaries = rows.iter().find(|r| r[2].starts_with("Salaries")).unwrap();
    assert_eq!((salaries[0].as_str(), salaries[4].as_str()), ("Expenditure", "155396"));
    let (status, _, pdf) = scrutineer.download(&format!("{b}/paper.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(info.contains("Title: Budget 2019-20"), "{info}");
    for expected in ["Contributions by partner", "£133,038", "£222,916", "£62,040", "Spend against budget"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let (status, _, docx) = scrutineer.download(&format!("{b}/paper.docx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(assure_testing::word_text(&docx).0.contains("Professional independent advisor"));
}

async fn a_contributions_table_that_does_not_add_up_is_refused_whole(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let r = bu.post("/finance", &[("year", "2015"), ("title", "Proposed Contributions for 2016/17")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let b = r.location().split('?').next().unwrap().to_owned();
    let page = bu.get(&b).await;
    assert_eq!(
        page.texts("#flag-list li"),
        vec![
            "Titled \u{201c}Proposed Contributions for 2016/17\u{201d}, for 2016-17, but used as the budget for 2015-16"
        ]
    );
    let orgs = page.attrs("#organisation_id-0 option", "value");
    let names = page.texts("#organisation_id-0 option");
    let org = |name: &str| orgs[names.iter().position(|n| n == name).unwrap()].clone();
    let (council, police, icb, probation, cafcass) = (
        org("Southend City Council"),
        org("Essex Police"),
        org("Mid and South Essex Integrated Care Board"),
        org("Probation Service (Essex)"),
        org("Cafcass"),
    );
    let before = app.row_counts().await;
    let table = |last_org: &str, last_share: &str| -> Vec<(String, String)> {
        let rows = [
            (council.as_str(), "49.5"),
            (police.as_str(), "16.5"),
            (icb.as_str(), "26.0"),
            (probation.as_str(), "7.2"),
            (cafcass.as_str(), "0.7"),
            (last_org, last_share),
        ];
        let mut f = vec![("total".to_owned(), "87,000".to_owned())];
        for (i, (o, s)) in rows.iter().enumerate() {
            f.push((format!("organisation_id-{i}"), (*o).to_owned()));
            f.push((format!("share-{i}"), (*s).to_owned()));
            f.push((format!("amount-{i}"), String::new()));
        }
        f
    };
    let post = |f: Vec<(String, String)>| f;
    // The seed's own table: its 0.1 % row names no agency.
    let f = post(table("", "0.1"));
    let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = bu.post(&format!("{b}/contributions"), &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_summary(),
        vec!["Row 6: choose the organisation the contribution comes from (the row names none)"]
    );
    // Without the row, the percentages come to 99.9 %.
    let f = post(table("", ""));
    let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = bu.post(&format!("{b}/contributions"), &fields).await;
    assert_eq!(r.error_summary(), vec!["The percentages add up to 99.9 %, not 100 %"]);
    assert_eq!(app.row_counts().await, before, "nothing saved");
    // With the 0.1 % given to a named agency, the table is saved and reproduces the seed's amounts.
    let schools = org("Seaview Primary School (fictional)");
    let f = post(table(&schools, "0.1"));
    let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = bu.post(&format!("{b}/contributions"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rows = bu.get(&b).await.texts("#contributions-table tbody tr");
    assert!(row(&rows, "Southend City Council").contains("£43,065"), "{rows:?}");
    assert!(row(&rows, "Essex Police").contains("£14,355"));
    assert!(row(&rows, "Probation Service (Essex)").contains("£6,264"));
    assert!(row(&rows, "Cafcass").contains("£609"));
    assert!(row(&rows, "Seaview Primary School (fictional)").contains("£87"));
    assert!(row(&rows, "All contributions").contains("£87,000 £87,000 100 %"), "{rows:?}");
}

async fn quarters_the_outturn_and_a_locked_year(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let r = bu.post("/finance", &[("year", "2024"), ("reserves_brought_forward", "10,000")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let b = r.location().split('?').next().unwrap().to_owned();
    let page = bu.get(&b).await;
    let orgs = page.attrs("#organisation_id-0 option", "value");
    let r = bu
        .post(
            &format!("{b}/contributions"),
            &[("total", ""), ("organisation_id-0", &orgs[1]), ("amount-0", "100,000"), ("share-0", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = bu
        .post(
            &format!("{b}/lines"),
            &[
                ("side", "expenditure"),
                ("category", "staff"),
                ("description", "Business unit salaries"),
                ("budget", "90,000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&b).await;
    let lines = page.attrs("#spend-table a", "href");
    let salaries = lines.iter().find(|h| h.starts_with("/budget-lines/")).unwrap().clone();
    let contribution = page.attrs("#contributions-table a", "href")[0].clone();
    // Bad figures are named, and nothing is saved.
    let before = app.row_counts().await;
    let r = bu.post(&format!("{salaries}/quarters"), &[("quarter", "5"), ("actual", "twenty"), ("forecast", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(app.row_counts().await, before);
    for q in 1..=4 {
        let r = bu
            .post(
                &format!("{salaries}/quarters"),
                &[("quarter", &q.to_string()), ("actual", "20,000"), ("forecast", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = bu
            .post(
                &format!("{contribution}/quarters"),
                &[("quarter", &q.to_string()), ("actual", "25,000"), ("forecast", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = bu.get(&b).await;
    let spend = page.texts("#spend-table tbody tr");
    // The four quarters' actuals are the outturn: £10,000 under budget.
    assert!(row(&spend, "Business unit salaries").ends_with("£90,000 £80,000 £80,000 \u{2212}£10,000"), "{spend:?}");
    let summary = page.texts("#summary-list .govuk-summary-list__value");
    assert_eq!(summary[4], "£30,000 from the actuals", "10,000 + 100,000 − 80,000");

    // Locked at outturn, with the reserves as reported: they disagree with the actuals, and say by how much.
    let r = bu.post(&format!("{b}/lock"), &[("reserves_carried_forward", "29,500")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&b).await;
    assert_eq!(
        page.texts("#flag-list li"),
        vec!["The reserves carried forward are reported as £29,500, but the actuals give £30,000 (£500 apart)"]
    );
    // A change now needs a reason, which is kept with the budget and in the audit log.
    let before = app.row_counts().await;
    let r = bu.post(&format!("{salaries}/quarters"), &[("quarter", "4"), ("actual", "20,500"), ("forecast", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["The year is locked: say why it is being changed"]);
    assert_eq!(app.row_counts().await, before);
    let r = bu
        .post(
            &format!("{salaries}/quarters"),
            &[("quarter", "4"), ("actual", "20,500"), ("forecast", ""), ("reason", "Accrual corrected by finance")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&b).await;
    assert!(
        page.texts("#change-list li")[0]
            .starts_with("Changed Q4 of \u{201c}Business unit salaries\u{201d}: Accrual corrected by finance")
    );
    assert!(page.texts("#flag-list li").is_empty(), "the corrected actuals now give £29,500");
    let audit = app.audit().await;
    let lock = audit.iter().find(|e| e.action == "lock_year").expect("the lock is in the audit log");
    assert!(lock.detail.contains("\"reserves_carried_forward_pence\":2950000"), "{}", lock.detail);
    assert!(audit.iter().any(|e| e.action == "figures" && e.detail.contains("Accrual corrected by finance")));

    // The next year brings the reserves forward; a quarter not yet started takes no actual.
    let r = bu.post("/finance", &[("year", "2025")]).await;
    let following = r.location().split('?').next().unwrap().to_owned();
    let page = bu.get(&following).await;
    assert_eq!(page.texts("#summary-list .govuk-summary-list__value")[3], "£29,500");
    let r = bu.post("/finance", &[("year", "2026")]).await;
    let next = r.location().split('?').next().unwrap().to_owned();
    let r = bu
        .post(
            &format!("{next}/lines"),
            &[("side", "income"), ("category", "grant"), ("description", "Training grant"), ("budget", "5,000")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let grant = bu.get(&next).await.attrs("#contributions-table a", "href")[0].clone();
    let r = bu.post(&format!("{grant}/quarters"), &[("quarter", "4"), ("actual", "5,000")]).await;
    assert_eq!(r.error_summary(), vec!["Q4 2026-27 has not started yet: enter its actual once it has"]);
    let r = bu.post(&format!("{next}/lock"), &[]).await;
    assert_eq!(r.error_summary(), vec!["2026-27 ends on 31 March 2027: lock it after that"]);
}

async fn the_budget_is_read_by_the_scrutineer_and_statutory_partners_leads_only(app: &TestApp) {
    let mut police = app.sign_in("police.lead@example.org").await;
    let b = budget(&mut police, "2019-20").await;
    assert_eq!(police.get(&b).await.status, StatusCode::OK);
    let page = police.get(&b).await;
    assert!(page.texts("#add-line").is_empty(), "the police's lead changes nothing");
    let r = police
        .post(&format!("{b}/lines"), &[("side", "expenditure"), ("category", "staff"), ("description", "x")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for reader in ["viewer@example.org", "cpr.member@example.org"] {
        let mut c = app.sign_in(reader).await;
        assert_eq!(c.get("/finance").await.status, StatusCode::NOT_FOUND, "{reader}");
        assert_eq!(c.get(&b).await.status, StatusCode::NOT_FOUND, "{reader}");
        assert!(!c.get("/").await.body.contains("href=\"/finance\""), "{reader} has no finance link");
    }
    let mut essex = app.sign_in("essex.manager@example.org").await;
    assert_eq!(essex.get(&b).await.status, StatusCode::NOT_FOUND, "another partnership's business unit");
}

async fn the_api_keeps_budgets_in_exact_pence(app: &TestApp) {
    use axum::http::Method;
    use serde_json::json;
    let mut api = app.api("business.manager@example.org").await;
    let r = api.json(Method::POST, "/api/v1/budgets?partnership=southend", json!({"year": 2024})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let orgs: Vec<i64> = {
        let all = api
            .request(Method::GET, "/api/v1/organisations?partnership=southend&per_page=100", None, String::new())
            .await;
        all.json()["items"].as_array().unwrap().iter().take(3).map(|o| o["id"].as_i64().unwrap()).collect()
    };
    let before = app.row_counts().await;
    let bad = api
        .json(
            Method::PUT,
            &format!("/api/v1/budgets/{id}/contributions"),
            json!({"total_pence": 10_000_000, "rows": [{"organisation_id": orgs[0], "share": "33.33"}, {"organisation_id": orgs[1], "share": "33.33"}, {"organisation_id": orgs[2], "share": "33.33"}]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"]["total"], json!(["The percentages add up to 99.99 %, not 100 %"]));
    assert_eq!(app.row_counts().await, before);
    let ok = api
        .json(
            Method::PUT,
            &format!("/api/v1/budgets/{id}/contributions"),
            json!({"total_pence": 10_000_001, "rows": [{"organisation_id": orgs[0], "share": "33.33"}, {"organisation_id": orgs[1], "share": "33.33"}, {"organisation_id": orgs[2], "share": "33.34"}]}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let amounts: Vec<i64> = ok.json()["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["figures"]["budget_pence"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts.iter().sum::<i64>(), 10_000_001, "the parts make the total to the penny: {amounts:?}");
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/budgets/{id}/lines"),
            json!({"side": "expenditure", "category": "training", "description": "Conference venue", "budget_pence": 450_050}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let line = r.location().rsplit('/').next().unwrap().to_owned();
    let r = api
        .json(
            Method::PUT,
            &format!("/api/v1/budget-lines/{line}/quarters/3"),
            json!({"actual_pence": 460_000, "forecast_pence": 460_000}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let spend = &r.json()["expenditure_lines"][0];
    assert_eq!(spend["figures"], json!({"budget_pence": 450_050, "actual_pence": 460_000, "forecast_pence": 460_000}));
    assert_eq!(r.json()["flags"], json!([]), "{}", r.body);
    let r = api.request(Method::DELETE, &format!("/api/v1/budget-lines/{line}"), None, String::new()).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let list = api.request(Method::GET, "/api/v1/budgets?partnership=southend", None, String::new()).await;
    let years: Vec<String> = list.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["financial_year"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(years, vec!["2024-25", "2022-23", "2019-20"]);
}

crate::on_both!(demo [Finance]; the_api_keeps_budgets_in_exact_pence, the_demo_budgets_add_up_as_the_partnerships_papers_do, the_budget_downloads_as_a_workbook_and_a_board_paper, a_contributions_table_that_does_not_add_up_is_refused_whole, quarters_the_outturn_and_a_locked_year, the_budget_is_read_by_the_scrutineer_and_statutory_partners_leads_only);
