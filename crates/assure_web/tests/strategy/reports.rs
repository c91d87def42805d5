//! The statutory yearly reports, on both stores: the demo's 2022/23 reports filled from the
//! records (reviews concluded and ongoing with their findings, the finding decided not to be
//! implemented with its reason, the budget, the training, the meetings), the completeness check
//! naming each gap with where to put it right, writing a section (every bad input named, nothing
//! saved; a gap closes), starting a report (one per kind and period), the report as HTML, PDF and
//! Word read back by independent tools, every review it names logged as read, who may read and
//! write it, and the API.

use axum::http::{Method, StatusCode};

use super::*;

pub(super) async fn report_id(client: &mut support::Client<'_>, starts: &str) -> i64 {
    let page = client.get("/reports").await;
    let html = page.html();
    let sel = scraper::Selector::parse("#reports a").unwrap();
    let href = html
        .select(&sel)
        .find(|a| a.text().collect::<String>().starts_with(starts))
        .and_then(|a| a.value().attr("href"))
        .unwrap_or_else(|| panic!("no report {starts}: {}", page.body))
        .to_owned();
    href.rsplit('/').next().unwrap().parse().unwrap()
}

pub(super) const ADULTS: &str = "Southend Safeguarding Partnership: Safeguarding Adults Board annual report 2022/23";

async fn a_report_is_filled_from_the_records_and_names_its_gaps(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let list = bu.get("/reports").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(
        list.texts("#reports tbody tr").len(),
        4,
        "the demo's children's, adults', scrutiny and Easy Read reports"
    );
    let id = report_id(&mut bu, ADULTS).await;
    let page = bu.get(&format!("/reports/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let text = page.texts("main").join(" ");
    // (d) and (e): SAR A and SAR B concluded in the year, SAR A's findings; SAR C and D ongoing.
    for words in [
        "Reviews concluded in 2022/23",
        "The findings of the review of SAR A:",
        "1. Practitioners should use the self-neglect toolkit",
        "Reviews ongoing at 31 March 2023",
        "SAR C",
        "SAR D",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    // (g): the finding decided not to be implemented in the year, with its reason.
    assert!(text.contains("Findings decided not to be implemented"), "{text}");
    assert!(text.contains("Essex County Council's new hoarding pathway"), "the reason: {text}");
    // The budget of 2022-23 and the training of the year, from their records.
    assert!(text.contains("Budget 2022-23") && text.contains("£87,779"), "{text}");
    assert!(text.contains("sessions were held"), "{text}");
    // (b): the strategy's activities due in the year, and those with little or no progress.
    assert!(text.contains("Strategic Plan 2020–23: 2022-23"), "{text}");
    assert!(
        text.contains("activities were due in 2022-23;") && text.contains("Where there was little or no progress:"),
        "{text}"
    );
    // (c): what each member did, in its own words from its annual report contribution; a
    // contribution asked for and never sent is a gap.
    let members = page.texts("section[aria-labelledby=section-members]").join(" ");
    assert!(members.contains("Southend City Council (2022-23)"), "{members}");
    assert!(members.contains("Named GPs for safeguarding joined the partnership's case reviews"), "{members}");
    assert!(!members.contains("Essex Police (2022-23)"), "{members}");
    // Every statutory item of the Care Act is listed with the sections that answer it.
    assert_eq!(page.texts("#items tbody tr").len(), 7);
    // The gaps: unwritten sections, a concluded review with no findings, and what the records lack.
    let gaps = page.texts("#gap-list .gap-message");
    for gap in [
        "What each member did to implement the strategy: nothing written yet",
        "SAR B: no findings or recommendations recorded",
        "No meetings recorded in 2022/23",
        "No \u{201c}You said, we did\u{201d} recorded in 2022/23",
        "Essex Police has not sent its contribution for 2022-23",
    ] {
        assert!(gaps.contains(&gap.to_owned()), "{gap}: {gaps:?}");
    }
    assert!(!gaps.iter().any(|g| g.starts_with("Foreword")), "the demo wrote the foreword: {gaps:?}");
    let links = page.attrs("#gap-list a", "href");
    assert!(links.contains(&format!("/reports/{id}/sections/members")), "{links:?}");
    assert!(links.contains(&format!("/reviews/{}", app.review_id("SAR B").await)), "{links:?}");
    // Naming the reviews is a read of them, logged.
    let sar_a = app.review_id("SAR A").await;
    let logged = app.audit().await.into_iter().any(|e| {
        let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
        e.action == "read"
            && e.record_type == "review"
            && detail["part"] == "report"
            && detail["ids"].as_array().is_some_and(|ids| ids.contains(&serde_json::json!(sar_a)))
    });
    assert!(logged, "the report's reviews are logged as read");

    // Writing a section: a bad input is named and nothing saved; good words close the gap.
    let form = format!("/reports/{id}/sections/members");
    assert_eq!(bu.get(&form).await.status, StatusCode::OK);
    let before = app.row_counts().await;
    let r = bu.post(&form, &[("narrative", "a\u{7}b")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Remove control characters from the section's text"]);
    let long = "x".repeat(assure_domain::reports::MAX_NARRATIVE_CHARS + 1);
    let r = bu.post(&form, &[("narrative", &long)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.row_counts().await, before, "nothing saved");
    let words = "Essex Police trained every response officer.\n\nThe council <b>rewrote</b> its policy.";
    let r = bu.post(&form, &[("narrative", words)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&format!("/reports/{id}")).await;
    let gaps = page.texts("#gap-list .gap-message");
    assert!(!gaps.iter().any(|g| g.starts_with("What each member did")), "{gaps:?}");
    let section = page.texts("section[aria-labelledby=section-members] p.govuk-body");
    assert_eq!(
        section[..2],
        ["Essex Police trained every response officer.", "The council <b>rewrote</b> its policy."]
    );
    assert!(page.body.contains("The council &#60;b&#62;rewrote&#60;/b&#62; its policy."), "escaped");
    let entry = app.audit().await.into_iter().find(|e| e.record_type == "report").unwrap();
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
    assert_eq!((entry.action.as_str(), detail["section"].as_str()), ("update", Some("members")));
    // A section not in this report's template, or none at all, is not found.
    assert_eq!(bu.get(&format!("/reports/{id}/sections/scrutiny")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        bu.post(&format!("/reports/{id}/sections/nothing"), &[("narrative", "x")]).await.status,
        StatusCode::NOT_FOUND
    );

    // The files, read back by independent tools.
    let (status, headers, pdf) = bu.download(&format!("/reports/{id}/report.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    let (pdf_text, info) = assure_testing::pdf_text(&pdf);
    assert!(
        info.contains("Title: Southend Safeguarding Partnership: Safeguarding Adults Board annual report 2022/23"),
        "{info}"
    );
    for words in
        ["What each member did to implement the strategy", "Essex Police trained every response officer.", "SAR A"]
    {
        assert!(pdf_text.contains(words), "{words}: {pdf_text}");
    }
    let (status, _, html) = bu.download(&format!("/reports/{id}/report.html")).await;
    assert_eq!(status, StatusCode::OK);
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("lang=\"en-GB\"") && html.contains("<h2>Case reviews</h2>"), "{html}");
    let (status, _, docx) = bu.download(&format!("/reports/{id}/report.docx")).await;
    assert_eq!(status, StatusCode::OK);
    let (word, _) = assure_testing::word_text(&docx);
    assert!(word.contains("Findings decided not to be implemented"), "{word}");
    assert_eq!(bu.get(&format!("/reports/{id}/report.exe")).await.status, StatusCode::NOT_FOUND);

    // Figures that would not add up in print are gaps too: the budget's own checks.
    let mut tx = app.db.store.write().await.unwrap();
    sqlx::query("UPDATE budgets SET title = 'Budget 2021-22' WHERE year = 2022").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let gaps = bu.get(&format!("/reports/{id}")).await.texts("#gap-list li");
    assert!(
        gaps.iter().any(|g| g.starts_with("Budget 2022-23: Titled \u{201c}Budget 2021-22\u{201d}, for 2021-22")),
        "{gaps:?}"
    );
}

async fn a_report_is_started_once_per_kind_and_period(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let before = app.row_counts().await;
    let r = bu.post("/reports", &[("kind", "easy_read"), ("period", "last year")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    assert_eq!(errors[0], "Select which report it is");
    assert!(errors[1].starts_with("Enter a financial year like 2022-23"), "{errors:?}");
    let r = bu.post("/reports", &[("kind", "children"), ("period", "2022/23")]).await;
    assert_eq!(
        r.error_summary(),
        vec!["There is already a safeguarding children partnership yearly report for 2022/23"]
    );
    assert_eq!(app.row_counts().await, before, "nothing saved");
    let r = bu.post("/reports", &[("kind", "children"), ("period", "2021-10 to 2023-03")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(r.location().split('?').next().unwrap()).await;
    assert_eq!(
        page.texts("h1"),
        vec!["Southend Safeguarding Partnership: children's safeguarding yearly report October 2021 to March 2023"]
    );
    // Nothing is written in a new report: every section that needs words says so.
    assert!(page.texts("#gap-list .gap-message").iter().any(|g| g == "Independent scrutiny: nothing written yet"));
    let entry = app.audit().await.into_iter().find(|e| e.record_type == "report").unwrap();
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
    assert_eq!((entry.action.as_str(), detail["period"].as_str()), ("create", Some("2021-10 to 2023-03")));

    // The registers of the last few months: this year's challenge and escalation, and the
    // inspection published three weeks ago (the demo dates them from today).
    let today = assure_domain::uk_time::uk_today();
    let from = today - chrono::Duration::days(150);
    let span = format!("{} to {}", from.format("%Y-%m"), today.format("%Y-%m"));
    let r = bu.post("/reports", &[("kind", "children"), ("period", &span)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(r.location().split('?').next().unwrap()).await;
    let challenges = page.texts("section[aria-labelledby=section-challenges]").join(" ");
    assert!(challenges.contains("Escalation to the partnership"), "{challenges}");
    let inspections = page.texts("section[aria-labelledby=section-inspections] td").join(" ");
    assert!(
        !inspections.is_empty() && !inspections.contains("Review of health services"),
        "published only: {inspections}"
    );
}

async fn only_the_business_unit_writes_reports_and_few_read_them(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let id = report_id(&mut bu, ADULTS).await;
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    assert_eq!(scrutineer.get(&format!("/reports/{id}")).await.status, StatusCode::OK);
    let list = scrutineer.get("/reports").await;
    assert_eq!(list.texts("#kind option"), vec!["Choose", "Independent scrutiny report"], "only their own to start");
    let r = scrutineer.post(&format!("/reports/{id}/sections/members"), &[("narrative", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for who in ["viewer@example.org", "police.lead@example.org", "cpr.member@example.org"] {
        let mut c = app.sign_in(who).await;
        for path in ["/reports".to_owned(), format!("/reports/{id}"), format!("/reports/{id}/report.pdf")] {
            assert_eq!(c.get(&path).await.status, StatusCode::NOT_FOUND, "{who} {path}");
        }
    }
    let mut essex = app.sign_in("essex.manager@example.org").await;
    assert_eq!(essex.get(&format!("/reports/{id}")).await.status, StatusCode::NOT_FOUND, "another partnership's");
}

async fn the_api_starts_reads_and_writes_reports(app: &TestApp) {
    let mut api = app.api("business.manager@example.org").await;
    let r = api.request(Method::GET, "/api/v1/reports?partnership=southend", None, String::new()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 4);
    let bad = serde_json::json!({"kind": "annual", "period": "2022-24"});
    let r = api.json(Method::POST, "/api/v1/reports?partnership=southend", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"kind\"") && r.body.contains("\"period\""), "{}", r.body);
    let r = api
        .json(
            Method::POST,
            "/api/v1/reports?partnership=southend",
            serde_json::json!({"kind": "adults", "period": "2023-24"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let report = r.json();
    assert_eq!((report["kind"].as_str(), report["period"].as_str()), (Some("adults"), Some("2023-24")));
    assert_eq!(report["items"].as_array().unwrap().len(), 7);
    let id = report["id"].as_i64().unwrap();
    let gaps = report["gaps"].as_array().unwrap().len();
    let r = api
        .json(
            Method::PUT,
            &format!("/api/v1/reports/{id}/sections/objective"),
            serde_json::json!({"narrative": "We met."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The answer is the section as written; the report has one gap fewer.
    let objective = r.json();
    assert_eq!((objective["narrative"].as_str(), objective["answers"][0].as_str()), (Some("We met."), Some("ca-a")));
    assert_eq!((objective["key"].as_str(), objective["report_id"].as_i64()), (Some("objective"), Some(id)));
    let report = api.request(Method::GET, &format!("/api/v1/reports/{id}"), None, String::new()).await.json();
    assert_eq!(report["gaps"].as_array().unwrap().len(), gaps - 1);
    let r = api
        .json(Method::PUT, &format!("/api/v1/reports/{id}/sections/scrutiny"), serde_json::json!({"narrative": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "not in the adults' template");
    let mut viewer = app.api("viewer@example.org").await;
    let r = viewer.request(Method::GET, &format!("/api/v1/reports/{id}"), None, String::new()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

crate::on_both!(demo [Learning, Strategy, Finance, Training, Challenges, Inspections, Voice, Reports]; a_report_is_filled_from_the_records_and_names_its_gaps, a_report_is_started_once_per_kind_and_period, only_the_business_unit_writes_reports_and_few_read_them, the_api_starts_reads_and_writes_reports);

/// "How our area compares", from the dashboard of the report's arm, with its checks.
async fn a_report_compares_the_area_with_england_and_checks_its_figures(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let id = report_id(&mut bu, "Southend Safeguarding Partnership: children").await;
    let page = bu.get(&format!("/reports/{id}")).await;
    let rows = page.texts("section[aria-labelledby=section-dashboard] tbody tr");
    assert!(
        rows.contains(
            &"Referral rate per 10,000 children (rate per 10,000 children aged 0–17) 2022-23 630.1 538.1 608.8"
                .to_owned()
        ),
        "Southend's published figure beside England's and the neighbours': {rows:?}"
    );
    let latest: Vec<&String> = rows.iter().filter(|r| r.starts_with("Referral rate per 10,000 children (")).collect();
    assert!(latest.iter().all(|r| r.contains(" 2022-23 ")), "whole years of the period only: {rows:?}");
    // Each indicator's trend up to the period, charted as on the dashboard, its figures in a table.
    assert!(rows.iter().any(|r| r.starts_with("2021-22 ")), "the trend's years: {rows:?}");
    assert!(!rows.iter().any(|r| r.starts_with("2023-24 ")), "nothing after the period: {rows:?}");
    let (_, _, pdf) = bu.download(&format!("/reports/{id}/report.pdf")).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let expanded = dir.path().join("expanded.pdf");
    let qpdf = std::process::Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable", path.to_str().unwrap(), expanded.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(qpdf.success());
    let raw = String::from_utf8_lossy(&std::fs::read(&expanded).unwrap()).into_owned();
    assert!(raw.contains("/Alt (Line chart of Referral rate per 10,000 children"), "the chart's alternative text");
    let (_, _, html) = bu.download(&format!("/reports/{id}/report.html")).await;
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("<figure><div role=\"img\" aria-label=\"Line chart of Referral rate"), "{html}");
    let (_, _, docx) = bu.download(&format!("/reports/{id}/report.docx")).await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    assert!(zip.by_name("word/charts/chart1.xml").is_ok(), "Word draws the trend as its own chart");
    let gaps = page.texts("#gap-list .gap-message");
    assert!(!gaps.iter().any(|g| g.starts_with("How our area compares") || g.contains("England's")), "{gaps:?}");
    // A publication that carried England's count as Southend's (a file mis-keyed before import):
    // the figure equals England's, and the check says so.
    let mut tx = app.core.store.write().await.unwrap();
    let batch =
        assure_store::intelligence::indicators::insert_batch(&mut tx, "published", "mis-keyed.csv", "0", 1, "test")
            .await
            .unwrap();
    let wrong = assure_store::intelligence::indicators::Observation {
        measure: "referrals".into(),
        area_code: "E06000033".into(),
        period: "2023".into(),
        value: Some("640430".into()),
        suppressed: None,
    };
    assure_store::intelligence::indicators::upsert_observations(&mut tx, batch, &[wrong]).await.unwrap();
    tx.commit().await.unwrap();
    let page = bu.get(&format!("/reports/{id}")).await;
    let gaps = page.texts("#gap-list .gap-message");
    assert!(
        gaps.contains(&"Referrals to children's social care, 2022-23: the area's figure is the same as England's (640430); check it is the area's own".to_owned()),
        "{gaps:?}"
    );
}

crate::on_both!(demo [Intelligence, Reports]; a_report_compares_the_area_with_england_and_checks_its_figures);

/// The assurance the registers and returns give a report: the audits of its arm closed in the
/// period with each standard's scores, the risks on its registers with their rating at the
/// period's end, and the LADO's quarterly figures summed, each breakdown checked against the
/// whole it is printed with; a quarter with no figures is a gap.
async fn a_report_shows_the_audits_the_risks_and_the_lado_figures(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let id = report_id(&mut bu, "Southend Safeguarding Partnership: children").await;
    let page = bu.get(&format!("/reports/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The LADO's four quarters of 2022-23, summed, each breakdown with its whole.
    let lado = page.texts("section[aria-labelledby=section-allegations] tr");
    for row in [
        "Contacts to the LADO 157",
        "Allegations meeting the threshold 30",
        "Education 12",
        "Total: Allegations meeting the threshold 30",
        "Cases concluded 24",
        "Total: Cases concluded 24",
    ] {
        assert!(lado.contains(&row.to_owned()), "{row}: {lado:?}");
    }
    let text = page.texts("section[aria-labelledby=section-allegations]").join(" ");
    assert!(text.contains("(4 of 4 quarters returned)"), "{text}");
    // The figures the return marks as indicators, quarter by quarter (their charts are in the
    // files; the page shows their tables).
    assert!(text.contains("Allegations meeting the threshold, quarter by quarter"), "{text}");
    for row in ["2022-23 Q1 38", "2022-23 Q4 40", "2022-23 Q1 7", "2022-23 Q4 8"] {
        assert!(lado.contains(&row.to_owned()), "{row}: {lado:?}");
    }
    let quarters = lado.iter().filter(|r| r.starts_with("2022-23 Q")).count();
    assert_eq!(quarters, 16, "four quarters of each of the return's four indicators: {lado:?}");
    // The children's risk register of January 2020, as rated at the end of the period.
    let risks = page.texts("section[aria-labelledby=section-risks]").join(" ");
    assert!(risks.contains("Rating at 31 March 2023"), "{risks}");
    assert!(risks.contains("risks were on the register during the period"), "{risks}");
    // No Section 11 or 175 audit closed in 2022/23 (the demo's are of 2019 and this year).
    let audits = page.texts("section[aria-labelledby=section-audits]").join(" ");
    assert!(audits.contains("No assurance audit of the partnership's agencies closed in the period."), "{audits}");
    let gaps = page.texts("#gap-list .gap-message");
    assert!(!gaps.iter().any(|g| g.contains("LADO")), "{gaps:?}");
    // At a glance: the period's key figures, on the page and in every file.
    let facts = page.texts("#facts .govuk-summary-list__row");
    let allegations = "Allegations against people who work with children that met the threshold for the LADO 30";
    assert!(facts.contains(&allegations.to_owned()), "{facts:?}");
    assert!(facts.iter().any(|f| f.starts_with("Child safeguarding practice reviews concluded ")), "{facts:?}");
    let (_, _, pdf) = bu.download(&format!("/reports/{id}/report.pdf")).await;
    let (pdf_text, _) = assure_testing::pdf_text(&pdf);
    assert!(pdf_text.contains("At a glance") && pdf_text.contains("Allegations against people who work"), "{pdf_text}");
    let (_, _, html) = bu.download(&format!("/reports/{id}/report.html")).await;
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("<dl class=\"facts\">") && html.contains("<dd>30</dd>"), "{html}");
    let drawn = "aria-label=\"Line chart of Allegations meeting the threshold, quarter by quarter: Allegations \
                 meeting the threshold, 2022-23 Q1 to 2022-23 Q4.";
    assert!(html.contains(drawn), "the quarterly chart with its alternative text: {html}");
    let (_, _, docx) = bu.download(&format!("/reports/{id}/report.docx")).await;
    assert!(assure_testing::word_text(&docx).0.contains("What it counts"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut chart = String::new();
    let mut charts = 0;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        if part.name().unwrap().starts_with("word/charts/chart") {
            charts += 1;
            std::io::Read::read_to_string(&mut part, &mut chart).unwrap();
        }
    }
    assert!(charts >= 2, "Word draws the quarterly figures as its own charts: {charts}");
    assert!(chart.contains("2022-23 Q4") && chart.contains("Contacts to the LADO"), "{chart}");

    // A stored figure that makes a breakdown disagree with its whole: the sums are checked.
    let mut tx = app.core.store.write().await.unwrap();
    sqlx::query(
        "UPDATE data_return_values SET value = '5' WHERE measure = 'sector_education' AND return_id = \
         (SELECT id FROM data_returns WHERE template_code = 'lado' AND period = '2022-23 Q1')",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let page = bu.get(&format!("/reports/{id}")).await;
    let gaps = page.texts("#gap-list .gap-message");
    let wrong = "LADO figures, 2022/23: Allegations by employment sector against Allegations meeting the threshold: \
                 the parts add up to 32, not 30";
    assert!(gaps.contains(&wrong.to_owned()), "{gaps:?}");
    assert!(page.attrs("#gap-list a", "href").contains(&"/returns/figures/lado".to_owned()));

    // A report of 2019-20: the Section 11 audit of 2019 with each standard's scores, and every
    // quarter of LADO figures missing.
    let r = bu.post("/reports", &[("kind", "children"), ("period", "2019-20"), ("title", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let earlier =
        report_id(&mut bu, "Southend Safeguarding Partnership: children's safeguarding yearly report 2019/20").await;
    let page = bu.get(&format!("/reports/{earlier}")).await;
    let audits = page.texts("section[aria-labelledby=section-audits] tr");
    assert!(audits.iter().any(|r| r.starts_with("Section 11 audit 2019")), "{audits:?}");
    assert!(audits.iter().any(|r| r.starts_with("Standard Mean score Inadequate")), "{audits:?}");
    let gaps = page.texts("#gap-list .gap-message");
    for q in 1..=4 {
        assert!(gaps.contains(&format!("No LADO figures returned for 2019-20 Q{q}")), "{gaps:?}");
    }
}

crate::on_both!(demo [Audits, Risks, Reports]; a_report_shows_the_audits_the_risks_and_the_lado_figures);

/// The Easy Read checker on a passage of Southend's published 2022/23 Easy Read report (seed 003),
/// which breaks most of the rules, on the page and through the API; an empty text is refused.
async fn the_easy_read_checker_finds_what_breaks_the_rules(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    assert!(bu.get("/reports").await.attrs("#easy-read-check", "href").contains(&"/reports/easy-read-check".into()));
    let page = bu.get("/reports/easy-read-check").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let passage = "The Section 175/157 schools safeguarding audit was completed and returned by 58 schools in \
                   Southend.\nThe AQA subgroup reviewed 85% of cases.\nWe keep children safe.";
    let before = app.row_counts().await;
    let r = bu.post("/reports/easy-read-check", &[("text", passage), ("glossary", "")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.row_counts().await, before, "nothing is kept");
    let sentences = r.texts("#sentences > li");
    assert_eq!(sentences.len(), 3, "{sentences:?}");
    for words in ["Sentence over 15 words", "More than one verb", "Passive voice (was completed)"] {
        assert!(sentences[0].contains(words), "{words}: {}", sentences[0]);
    }
    assert!(sentences[1].contains("Acronym not explained (AQA)"), "{}", sentences[1]);
    assert!(sentences[1].contains("Percentage not in words (85%)"), "{}", sentences[1]);
    assert!(sentences[2].ends_with("Easy Read"), "the good sentence: {}", sentences[2]);
    assert!(r.texts("#ease")[0].starts_with("Reading ease (Flesch): "), "{:?}", r.texts("#ease"));
    // The glossary explains the acronym.
    let r = bu.post("/reports/easy-read-check", &[("text", passage), ("glossary", "AQA")]).await;
    assert!(!r.texts("#sentences > li")[1].contains("Acronym not explained"), "explained in the glossary");
    let r = bu.post("/reports/easy-read-check", &[("text", " "), ("glossary", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Enter the text to check"]);

    let mut api = app.api("business.manager@example.org").await;
    let body = serde_json::json!({"text": passage, "glossary": ["AQA", "subgroup"]});
    let r = api.json(Method::POST, "/api/v1/reports/easy-read-check?partnership=southend", body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let out = r.json();
    assert_eq!(out["sentences"].as_array().unwrap().len(), 3);
    let rules: Vec<&str> =
        out["sentences"][1]["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["percentage"], "AQA and subgroup are in the glossary: {out}");
    let counts = out["counts"].as_array().unwrap();
    assert!(counts.iter().any(|c| c["rule"] == "passive" && c["count"] == 1), "{out}");
    assert!(out["reading_ease"].as_f64().is_some());
    let mut viewer = app.api("viewer@example.org").await;
    let r =
        viewer.json(Method::POST, "/api/v1/reports/easy-read-check?partnership=southend", serde_json::json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

crate::on_both!(demo [Reports]; the_easy_read_checker_finds_what_breaks_the_rules);
