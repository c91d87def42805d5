//! Signing a yearly report off, on both stores, through the pages and the API: gaps explained
//! (never an unwritten section; bad words named, nothing saved), the independent scrutineer's
//! comments and the business unit's responses, the scrutineer's review, each statutory partner's
//! agreement (refused before the review and while a gap is unexplained; once per partner; the
//! words locked once one has agreed), reopening (withdrawing the review and agreements), and
//! publication: the files kept with their SHA-256, read by independent tools, on the public site
//! without an account, unchanged by later changes to the records, and nothing of the report
//! changeable afterwards; sending it to the Care Act's recipients, by e-mail through SMTP (a
//! server on loopback) with the PDF attached, or recorded with the day.

use axum::http::{Method, StatusCode};

use super::reports::{ADULTS, report_id};
use super::*;

const PARTNERS: [&str; 3] = ["Essex Police", "Mid and South Essex Integrated Care Board", "Southend City Council"];

async fn agree_all(app: &TestApp, bu: &mut support::Client<'_>, base: &str) {
    for name in PARTNERS {
        let org = app.org_id("southend", name).await.to_string();
        let fields = [("organisation_id", org.as_str()), ("agreed_by", "A chief officer"), ("agreed_on", "2023-09-14")];
        let r = bu.post(&format!("{base}/agreements"), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{name}: {}", r.body);
    }
}

/// Every table's rows but the audit log's (reading a report logs the reviews it names as read,
/// even when what was sent is refused).
async fn records(app: &TestApp) -> Vec<(String, usize)> {
    app.row_counts().await.into_iter().filter(|(table, _)| !table.starts_with("audit_")).collect()
}

async fn review(scrutineer: &mut support::Client<'_>, base: &str) {
    let r = scrutineer.post(&format!("{base}/review"), &[("summary", "A fair account of the year.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

async fn a_report_is_reviewed_agreed_and_published_then_kept_as_it_was(app: &TestApp, inbox: &support::smtp::Inbox) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let mut scrutineer = app.sign_in("scrutineer@example.org").await;
    let id = report_id(&mut bu, ADULTS).await;
    let base = format!("/reports/{id}");

    // The demo's sign-off has begun: a gap explained, the scrutineer's comment answered.
    let page = bu.get(&base).await;
    let gaps = page.texts("#gap-list li");
    assert!(gaps.iter().any(|g| g.contains("Explained") && g.contains("met quarterly")), "{gaps:?}");
    let comments = page.texts("section[aria-labelledby=section-reviews] .govuk-inset-text");
    assert!(
        comments[0].contains("Say what the board learned") && comments[0].contains("Response: Agreed"),
        "{comments:?}"
    );
    let sign_off = bu.get(&format!("{base}/sign-off")).await;
    assert_eq!(sign_off.status, StatusCode::OK, "{}", sign_off.body);
    assert_eq!(sign_off.texts("#status"), vec!["Status: Draft"]);
    assert_eq!(sign_off.texts("#agreements tbody tr").len(), 3, "the three statutory partners, not their services");
    assert!(
        sign_off.texts("#publish")[0].contains("The independent scrutineer reviews the report before it is published")
    );

    // Explaining a gap: only a gap of the report, never an unwritten section; bad words named.
    assert_eq!(bu.get(&format!("{base}/gaps/no-such-gap")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(bu.get(&format!("{base}/gaps/unwritten:members")).await.status, StatusCode::NOT_FOUND);
    let r = bu.post(&format!("{base}/gaps/unwritten:members"), &[("explanation", "We ran out of time.")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "no form explains an unwritten section");
    let mut api = app.api("business.manager@example.org").await;
    let body = serde_json::json!({"explanation": "We ran out of time."});
    let r = api.json(Method::PUT, &format!("/api/v1/reports/{id}/gaps/unwritten:members"), body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Write the section's words: an unwritten section is not explained"), "{}", r.body);
    assert_eq!(scrutineer.get(&format!("{base}/gaps/no-meetings")).await.status, StatusCode::FORBIDDEN);
    let sar_b = app.review_id("SAR B").await;
    let gap = format!("{base}/gaps/review-findings:{sar_b}");
    assert_eq!(bu.get(&gap).await.status, StatusCode::OK);
    let before = records(app).await;
    let r = bu.post(&gap, &[("explanation", "a\u{7}b")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Remove control characters from the explanation"]);
    assert_eq!(records(app).await, before, "nothing saved");
    let why = "SAR B's report was agreed in March 2023; its findings are published with next year's report.";
    assert_eq!(bu.post(&gap, &[("explanation", why)]).await.status, StatusCode::SEE_OTHER);
    let entry = app.audit().await.into_iter().find(|e| e.action == "explain_gap").unwrap();
    assert!(entry.detail.contains(&format!("review-findings:{sar_b}")) && !entry.detail.contains("March"), "{entry:?}");

    // The scrutineer comments on a section; the business unit responds; neither does the other's.
    let comment_form = format!("{base}/sections/members/comment");
    assert_eq!(bu.get(&comment_form).await.status, StatusCode::FORBIDDEN);
    assert_eq!(bu.post(&comment_form, &[("comment", "x")]).await.status, StatusCode::FORBIDDEN);
    let r = scrutineer.post(&comment_form, &[("comment", " ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary().len(), 1);
    let r = scrutineer.post(&comment_form, &[("comment", "Name each member's part.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&base).await;
    let respond = page
        .attrs("section[aria-labelledby=section-members] a", "href")
        .into_iter()
        .find(|h| h.contains("/comments/"))
        .expect("a link to respond");
    assert_eq!(scrutineer.get(&respond).await.status, StatusCode::FORBIDDEN);
    let r = bu.post(&respond, &[("response", "Each member now writes its own paragraph.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = scrutineer.get(&base).await;
    let members = page.texts("section[aria-labelledby=section-members] .govuk-inset-text").join(" ");
    assert!(members.contains("Name each member's part.") && members.contains("Each member now writes"), "{members}");

    // Partners agree a reviewed report only; the review is the scrutineer's alone.
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let agreement = [
        ("organisation_id", police.as_str()),
        ("agreed_by", "Pat Chief, Chief Constable"),
        ("agreed_on", "2023-09-14"),
    ];
    let r = bu.post(&format!("{base}/agreements"), &agreement).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["The independent scrutineer reviews the report before partners agree it"]);
    assert_eq!(bu.post(&format!("{base}/review"), &[("summary", "Fine.")]).await.status, StatusCode::FORBIDDEN);
    let r = scrutineer.post(&format!("{base}/review"), &[("summary", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    review(&mut scrutineer, &base).await;
    let sign_off = scrutineer.get(&format!("{base}/sign-off")).await;
    assert_eq!(sign_off.texts("#status"), vec!["Status: Reviewed by the scrutineer"]);
    assert!(sign_off.texts("#reviewed")[0].starts_with("Reviewed by Jo Scrutineer"));
    let r = scrutineer.post(&format!("{base}/review"), &[("summary", "Again.")]).await;
    assert_eq!(r.error_summary(), vec!["The scrutineer has already reviewed this report"]);

    // While a gap is neither put right nor explained, no partner agrees.
    let r = bu.post(&format!("{base}/agreements"), &agreement).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_summary()[0].starts_with("Put right or explain every gap first: "), "{:?}", r.error_summary());

    // Every gap put right (the words written) or explained, through the API.
    let detail = api.request(Method::GET, &format!("/api/v1/reports/{id}"), None, String::new()).await.json();
    assert_eq!(detail["status"], "reviewed");
    assert_eq!(detail["partners"].as_array().unwrap().len(), 3);
    assert_eq!(detail["comments"].as_array().unwrap().len(), 2);
    for g in detail["gaps"].as_array().unwrap() {
        let (code, section) = (g["code"].as_str().unwrap(), g["section"].as_str().unwrap());
        let r = if g["explainable"] == false {
            let body = serde_json::json!({"narrative": format!("What we did ({section}).")});
            api.json(Method::PUT, &format!("/api/v1/reports/{id}/sections/{section}"), body).await
        } else if g["explanation"].is_null() {
            let body = serde_json::json!({"explanation": "Not held in Assure for 2022/23."});
            api.json(Method::PUT, &format!("/api/v1/reports/{id}/gaps/{code}"), body).await
        } else {
            continue;
        };
        assert_eq!(r.status, StatusCode::OK, "{code}: {}", r.body);
    }
    let detail = api.request(Method::GET, &format!("/api/v1/reports/{id}"), None, String::new()).await.json();
    assert!(detail["gaps"].as_array().unwrap().iter().all(|g| g["explanation"].is_string()), "{detail}");

    // Agreements: every bad input named; a partner's service is not a statutory partner.
    let before = records(app).await;
    let r = bu
        .post(&format!("{base}/agreements"), &[("organisation_id", ""), ("agreed_by", ""), ("agreed_on", "2999-01-01")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    for message in ["Select a statutory partner", "The day they agreed must be today or in the past"] {
        assert!(errors.contains(&message.to_owned()), "{message}: {errors:?}");
    }
    assert_eq!(errors.len(), 3, "{errors:?}");
    let service = app.org_id("southend", "Southend Adult Social Care").await.to_string();
    let r = bu
        .post(
            &format!("{base}/agreements"),
            &[("organisation_id", service.as_str()), ("agreed_by", "X"), ("agreed_on", "2023-09-14")],
        )
        .await;
    assert_eq!(r.error_summary(), vec!["Select a statutory partner"]);
    assert_eq!(records(app).await, before, "nothing saved");
    assert_eq!(bu.post(&format!("{base}/agreements"), &agreement).await.status, StatusCode::SEE_OTHER);
    let r = bu.post(&format!("{base}/agreements"), &agreement).await;
    assert_eq!(r.error_summary(), vec!["Essex Police has already agreed"]);
    // One partner has agreed: the words wait for a reopening, and publication for the others.
    let r = bu.post(&format!("{base}/sections/members"), &[("narrative", "Changed after agreement.")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_summary()[0].contains("reopen it"), "{:?}", r.error_summary());
    // So are the words of the section asked of Essex Police's lead: their page says why.
    let mut lead = app.sign_in("police.lead@example.org").await;
    let page = lead.get(&format!("{base}/sections/next_year")).await;
    assert!(page.texts("#locked")[0].contains("reopen it"), "{}", page.body);
    assert!(page.texts("textarea").is_empty(), "no form to fill");
    let r = lead.post(&format!("{base}/sections/next_year"), &[("narrative", "Late words.")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(lead.get("/reports/asked").await.texts("#asked tbody tr")[0].contains("Closed"));
    let r = bu.post(&format!("{base}/publish"), &[]).await;
    assert_eq!(
        r.error_summary(),
        vec!["Every statutory partner agrees the report before it is published: 1 of 3 have"]
    );

    // Nothing is sent before it is published, nor is it on the public site.
    let r = bu.post(&format!("{base}/sendings"), &[("recipient", "healthwatch"), ("sent_on", "2023-09-20")]).await;
    assert_eq!(r.error_summary(), vec!["Publish the report before sending it"]);
    let public = app.anonymous().get("/public/southend/reports").await;
    assert_eq!(public.texts("#no-reports"), vec!["No reports published yet."]);
    assert_eq!(
        app.anonymous().get(&format!("/public/southend/reports/{id}/report.pdf")).await.status,
        StatusCode::NOT_FOUND
    );

    // Reopening withdraws the review and the agreements; the scrutineer reviews again.
    assert_eq!(bu.post(&format!("{base}/reopen"), &[]).await.status, StatusCode::SEE_OTHER);
    let sign_off = bu.get(&format!("{base}/sign-off")).await;
    assert_eq!(sign_off.texts("#status"), vec!["Status: Draft"]);
    assert!(sign_off.texts("#agreements tbody tr").iter().all(|r| r.contains("Not yet agreed")));
    let entry = app.audit().await.into_iter().find(|e| e.action == "reopen_report").unwrap();
    assert!(entry.detail.contains("\"agreements_withdrawn\":1"), "{}", entry.detail);
    let r = bu.post(&format!("{base}/sections/members"), &[("narrative", "Each member's part, rewritten.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    review(&mut scrutineer, &base).await;
    agree_all(app, &mut bu, &base).await;

    // Published: kept in every format with the SHA-256 of each.
    let r = bu.post(&format!("{base}/publish"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sign_off = bu.get(&format!("{base}/sign-off")).await;
    assert_eq!(sign_off.texts("#status"), vec!["Status: Published"]);
    let rows = sign_off.texts("#files tbody tr");
    assert_eq!(rows.len(), 3, "{rows:?}");
    let entry = app.audit().await.into_iter().find(|e| e.action == "publish_report").unwrap();
    let mut kept = Vec::new();
    for (ext, row) in ["html", "pdf", "docx"].iter().zip(&rows) {
        let (status, _, bytes) = bu.download(&format!("{base}/report.{ext}")).await;
        assert_eq!(status, StatusCode::OK);
        let sha = assure_core::reports::sha256_hex(&bytes);
        assert!(row.contains(&sha), "{ext}: {row}");
        assert!(entry.detail.contains(&sha), "the log names {ext}'s SHA-256");
        kept.push(bytes);
    }
    let html = String::from_utf8(kept[0].clone()).unwrap();
    for words in ["What the records could not show", "report was agreed in March 2023", "part, rewritten."] {
        assert!(html.contains(words), "{words}: {html}");
    }
    let (pdf_text, info) = assure_testing::pdf_text(&kept[1]);
    assert!(info.contains(&format!("Title: {ADULTS}")), "{info}");
    assert!(pdf_text.contains("What the records could not show"), "{pdf_text}");
    let (word, _) = assure_testing::word_text(&kept[2]);
    assert!(word.contains("Each member's part, rewritten."), "{word}");

    // On the public site, without an account: each file as published, with its SHA-256.
    let mut anyone = app.anonymous();
    let public = anyone.get("/public/southend/reports").await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.texts(&format!("#report-{id}")), vec![ADULTS]);
    let listed = public.texts(&format!("#files-{id} li")).join(" ");
    let (status, _, pdf) = anyone.download(&format!("/public/southend/reports/{id}/report.pdf")).await;
    assert_eq!((status, &pdf), (StatusCode::OK, &kept[1]));
    assert!(listed.contains(&assure_core::reports::sha256_hex(&pdf)), "{listed}");
    assert_eq!(anyone.get(&format!("/public/essex/reports/{id}/report.pdf")).await.status, StatusCode::NOT_FOUND);

    // Sent to the Care Act's recipients: by e-mail from Assure with the PDF attached, or recorded.
    let sign_off = bu.get(&format!("{base}/sign-off")).await;
    let rows = sign_off.texts("#sendings tbody tr");
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert!(rows.iter().all(|r| r.ends_with("Not yet sent")), "{rows:?}");
    let today = app.core.today().to_string();
    let before = records(app).await;
    let r = bu.post(&format!("{base}/sendings"), &[("recipient", "la_leader"), ("sent_on", "2023-01-01")]).await;
    assert_eq!(r.error_summary(), vec!["The day it was sent cannot be before the report was published"]);
    let r = bu.post(&format!("{base}/sendings"), &[("recipient", "mayor"), ("email", "x"), ("sent_on", &today)]).await;
    assert_eq!(r.error_summary().len(), 3, "{:?}", r.error_summary());
    assert_eq!(records(app).await, before, "nothing saved");
    inbox.lock().unwrap().clear();
    let fields = [("recipient", "healthwatch"), ("email", "chair@healthwatch.example.org")];
    let r = bu.post(&format!("{base}/sendings"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (to, message) = inbox.lock().unwrap()[0].clone();
    assert!(to[0].contains("chair@healthwatch.example.org"), "{to:?}");
    let text = support::smtp::unfold(&message);
    assert!(text.contains("https://assure.example.org/public/southend/reports"), "{text}");
    assert!(message.contains("Content-Type: application/pdf"), "the PDF attached: {message}");
    let fields =
        [("recipient", "other"), ("name", "The Child Safeguarding Practice Review Panel"), ("sent_on", today.as_str())];
    assert_eq!(bu.post(&format!("{base}/sendings"), &fields).await.status, StatusCode::SEE_OTHER);
    let rows = bu.get(&format!("{base}/sign-off")).await.texts("#sendings tbody tr");
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert!(
        rows.iter().any(|r| r.contains("Healthwatch") && r.contains("E-mailed by Bea Manager to chair@healthwatch")),
        "{rows:?}"
    );
    assert!(rows.iter().any(|r| r.starts_with("The Child Safeguarding Practice Review Panel") && r.contains("Sent outside Assure")), "{rows:?}");
    let entry = app.audit().await.into_iter().find(|e| e.action == "send_report").unwrap();
    assert!(entry.detail.contains("\"recipient\":\"other\"") && !entry.detail.contains("@"), "{}", entry.detail);
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/reports/{id}/sendings"),
            serde_json::json!({"recipient": "la_leader", "sent_on": today}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["sendings"].as_array().unwrap().len(), 3);
    assert_eq!(r.json()["distribution"]["source"], "Care Act 2014, schedule 2, paragraph 4(2)");

    // Later changes to the records do not change it: a "You said, we did" of the year now shows
    // in the live children's report, not in the published adults' one.
    let fields =
        [("you_said", "You said the forms were long"), ("we_did", "We shortened them"), ("done_on", "2022-11-01")];
    assert_eq!(bu.post("/you-said-we-did", &fields).await.status, StatusCode::SEE_OTHER);
    let children = report_id(&mut bu, "Southend Safeguarding Partnership: children").await;
    assert!(bu.get(&format!("/reports/{children}")).await.body.contains("We shortened them"));
    for (ext, bytes) in ["html", "pdf", "docx"].iter().zip(&kept) {
        let (_, _, again) = bu.download(&format!("{base}/report.{ext}")).await;
        assert_eq!(&again, bytes, "{ext} is kept as published");
    }
    // Nothing of it can be changed.
    for (path, fields) in [
        (format!("{base}/sections/members"), vec![("narrative", "x")]),
        (format!("{base}/gaps/no-meetings"), vec![("explanation", "x")]),
        (format!("{base}/reopen"), vec![]),
        (format!("{base}/publish"), vec![]),
    ] {
        let r = bu.post(&path, &fields).await;
        assert!(
            r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::NOT_FOUND,
            "{path}: {}",
            r.status
        );
    }
    let r = scrutineer.post(&comment_form, &[("comment", "Late.")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = api.json(Method::POST, &format!("/api/v1/reports/{id}/reopen"), serde_json::json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("kept exactly as it was published"), "{}", r.body);
    let detail = api.request(Method::GET, &format!("/api/v1/reports/{id}"), None, String::new()).await.json();
    assert_eq!(detail["status"], "published");
    assert_eq!(detail["files"].as_array().unwrap().len(), 3);
    assert_eq!(detail["files"][0]["sha256"], assure_core::reports::sha256_hex(&kept[0]));
}

/// The demo's parts the reports read, with an e-mail server on loopback that keeps what it is sent.
async fn with_mail(backend: assure_store::Backend) {
    use assure_core::demo::DemoPart::*;
    let (url, inbox) = support::smtp::smtp_sink().await;
    let mailer = assure_core::mail::Mailer::new(&url, "Assure <assure@example.org>").unwrap();
    let settings = assure_core::Settings {
        mailer: Some(std::sync::Arc::new(mailer)),
        public_url: "https://assure.example.org".into(),
        ..assure_core::Settings::default()
    };
    let parts = [Learning, Strategy, Finance, Training, Challenges, Inspections, Voice, Reports];
    let app = TestApp::with_demo_and_settings(backend, &parts, settings).await;
    a_report_is_reviewed_agreed_and_published_then_kept_as_it_was(&app, &inbox).await;
    app.finish().await;
}

#[tokio::test]
async fn a_report_is_signed_off_published_and_sent_on_sqlite() {
    with_mail(assure_store::Backend::Sqlite).await;
}

#[tokio::test]
async fn a_report_is_signed_off_published_and_sent_on_postgres() {
    with_mail(assure_store::Backend::Postgres).await;
}
