//! Hostile files against every upload route: each refused with a clear message (or read, when
//! it is merely unusual), nothing written, memory bounded; and no upload is read at all before
//! its sender is known to be allowed to send it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use assure_testing::hostile::{Expect, corpus};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use support::TestApp;
use tower::ServiceExt;

/// The process's peak resident memory so far, in MB.
fn peak_memory_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() / 1024
}

/// Row counts of every table but those a refused upload may still touch (the log of reads and
/// sign-ins, and sessions).
async fn data_rows(app: &TestApp) -> Vec<(String, usize)> {
    app.row_counts()
        .await
        .into_iter()
        .filter(|(t, _)| {
            !["audit_log", "audit_head", "sessions", "chronology_entries", "review_request_documents", "meeting_papers"]
                .contains(&t.as_str())
        })
        .collect()
}

async fn chronology_entries(app: &TestApp) -> usize {
    app.row_counts().await.into_iter().find(|(t, _)| t == "chronology_entries").unwrap().1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_upload_route_answers_hostile_files_clearly_in_bounded_memory_and_writes_nothing() {
    let app = TestApp::new(assure_store::Backend::Sqlite).await;
    let k = app.review_id("Child K").await;
    let school = app.org_id("southend", "Pier Hill High School (fictional)").await.to_string();
    let mut bu = app.sign_in("business.manager@example.org").await;
    let mut admin = app.sign_in("admin@example.org").await;
    // A return for Essex Police to answer.
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let due = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
    let r = bu
        .post(
            "/returns",
            &[("template", "adults"), ("period", "2030-31 Q1"), ("due_on", &due), ("organisation_ids", &police)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = bu.get("/returns").await.html();
    let police_return = list
        .select(&scraper::Selector::parse("#returns a").unwrap())
        .filter(|a| a.text().collect::<String>() == "Essex Police")
        .filter_map(|a| a.value().attr("href"))
        .max_by_key(|href| href.rsplit('/').next().unwrap().parse::<i64>().unwrap())
        .unwrap()
        .to_owned();
    let mut lead = app.sign_in("police.lead@example.org").await;
    let mut api = app.api("business.manager@example.org").await;
    let board = app.body_id("southend", "SSP Children's Board (SSPC)").await;
    // Child K's request to Essex Police, which its lead answers with documents.
    let ctx = app.core.operator().await.unwrap();
    let request = app.core.review(&ctx, assure_domain::ReviewId(k)).await.unwrap().requests[0].0.id;
    // An item of the board's next meeting, to send papers to.
    let (_, meetings, _) = app.core.meetings_of_body(&ctx, assure_domain::BodyId(board)).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let next = meetings.iter().find(|m| m.held_on > today && m.cancelled_reason.is_none()).unwrap().id;
    let item = app.core.meeting(&ctx, next).await.unwrap().agenda.items[0].item.id;
    let papers_before = app.row_counts().await.into_iter().find(|(t, _)| t == "meeting_papers").unwrap().1;
    // The demo's lunch and learn held seven weeks ago, to read attendance reports into.
    let programme = app.core.training(&ctx, assure_domain::PartnershipId(1)).await.unwrap();
    let held = programme
        .events
        .iter()
        .find(|(e, _)| e.title == "Professional curiosity: lunch and learn")
        .map(|(_, sessions)| sessions[0].id)
        .unwrap();

    let before = data_rows(&app).await;
    let entries_before = chronology_entries(&app).await;
    let memory_before = peak_memory_mb();
    let mut read = 0;
    let mut documents_kept = 0;
    let mut papers_kept = 0;
    for file in corpus() {
        let sent = [("file", file.name, "application/octet-stream", file.bytes.as_slice())];
        // A chronology upload.
        let r = bu
            .post_multipart(&format!("/reviews/{k}/chronology/upload"), &[("upload_organisation_id", &school)], &sent)
            .await;
        match file.chronology {
            Expect::Refused(message) => {
                assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", file.name, r.body);
                let said = r.error_summary().join("\n");
                assert!(said.contains(message), "{}: said {said:?}, expected {message:?}", file.name);
            }
            Expect::Read => {
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {:?}", file.name, r.error_summary());
                read += 1;
            }
        }
        // A data return's template and a framework: none of these is either; each is refused
        // with a message, never a server error.
        let r = lead.post_multipart(&format!("{police_return}/upload"), &[("action", "save")], &sent).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{} as a return: {}", file.name, r.body);
        assert!(!r.error_summary().is_empty(), "{}", file.name);
        let r = admin.post_multipart("/audits/frameworks", &[], &sent).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{} as a framework: {}", file.name, r.body);
        assert!(!r.error_summary().is_empty(), "{}", file.name);
        let r = bu.post_multipart("/returns/templates", &[], &sent).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{} as a return template: {}", file.name, r.body);
        assert!(!r.error_summary().is_empty(), "{}", file.name);
        // As a document sent in answer to a request: kept only if it is the document, image,
        // spreadsheet or text file its name says.
        let docs = [("files", file.name, "application/octet-stream", file.bytes.as_slice())];
        let r = lead.post_multipart(&format!("/requests/{request}/documents"), &[], &docs).await;
        documents_kept += usize::from(r.status == StatusCode::SEE_OTHER);
        assert!(
            r.status == StatusCode::SEE_OTHER
                || (r.status == StatusCode::UNPROCESSABLE_ENTITY && !r.error_summary().is_empty()),
            "{} as a request's document: {} {}",
            file.name,
            r.status,
            r.body
        );
        // As a meeting's paper: kept only if it is what its name says.
        let r = bu.post_multipart(&format!("/agenda/{item}/papers"), &[], &docs).await;
        papers_kept += usize::from(r.status == StatusCode::SEE_OTHER);
        assert!(
            r.status == StatusCode::SEE_OTHER
                || (r.status == StatusCode::UNPROCESSABLE_ENTITY && !r.error_summary().is_empty()),
            "{} as a paper: {} {}",
            file.name,
            r.status,
            r.body
        );
        // As a body's attendance grid: refused, or previewed with every problem named, and
        // nothing saved either way.
        let r =
            bu.post_multipart(&format!("/bodies/{board}/attendance/import"), &[("starts_at", "10:00")], &sent).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{} as an attendance grid: {}", file.name, r.body);
        assert!(!r.error_summary().is_empty(), "{}", file.name);
        // And through the API, the file as the request's body: refused whole, with the problem.
        let r = api
            .request_bytes(
                Method::POST,
                &format!("/api/v1/bodies/{board}/attendance/import?name={}", file.name),
                Some("application/octet-stream"),
                file.bytes.clone(),
            )
            .await;
        assert!(
            r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::PAYLOAD_TOO_LARGE,
            "{} as a grid through the API: {} {}",
            file.name,
            r.status,
            r.body
        );
        // As an online meeting's attendance report: refused by what is wrong (past its 2 MB,
        // by the route's limit), nothing marked.
        let r = bu.post_multipart(&format!("/training/sessions/{held}/attendance-report"), &[], &sent).await;
        assert!(
            (r.status == StatusCode::PAYLOAD_TOO_LARGE && file.bytes.len() > 2 * 1024 * 1024)
                || (r.status == StatusCode::UNPROCESSABLE_ENTITY && !r.error_summary().is_empty()),
            "{} as an attendance report: {} {}",
            file.name,
            r.status,
            r.body
        );
        // And as a record-level extract, streamed to disk and aggregated.
        let r = bu.post_multipart("/extracts", &[("organisation_id", &police)], &sent).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{} as an extract: {}", file.name, r.body);
        assert!(!r.error_summary().is_empty(), "{}", file.name);
    }
    assert_eq!(data_rows(&app).await, before, "a refused file wrote nothing");
    assert_eq!(read, 2);
    let kept = app.row_counts().await.into_iter().find(|(t, _)| t == "review_request_documents").unwrap().1;
    assert_eq!(kept, documents_kept, "a document is kept only when it was accepted");
    let papers = app.row_counts().await.into_iter().find(|(t, _)| t == "meeting_papers").unwrap().1;
    assert_eq!(papers, papers_before + papers_kept, "a paper is kept only when it was accepted");
    assert_eq!(chronology_entries(&app).await, entries_before + 3, "the well-formed files' three entries");
    // A formula arrives as text, and leaves the chronology's download as text, never a formula.
    let (_, _, book) = bu.download(&format!("/reviews/{k}/chronology.xlsx")).await;
    let cells: Vec<String> = assure_testing::workbook_rows(&book).into_iter().flatten().collect();
    assert!(cells.iter().any(|c| c.starts_with("=HYPERLINK(")) && cells.iter().any(|c| c == "@SUM(A1)"));
    let sheet =
        assure_testing::workbook_parts(&book).into_iter().find(|(n, _)| n.contains("worksheets/sheet1")).unwrap().1;
    assert!(!sheet.contains("<f>"), "no cell of the download is a formula");
    let grown = peak_memory_mb().saturating_sub(memory_before);
    assert!(grown < 300, "reading the corpus took the peak memory up by {grown} MB");
    app.finish().await;
}

/// A multipart body (a CSRF field, then a 4 MB file) that counts how much of it was read.
fn counted_upload(read: Arc<AtomicUsize>) -> (String, Body) {
    let boundary = "assure-test-boundary";
    let mut chunks: Vec<Vec<u8>> = vec![
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nx\r\n").into_bytes(),
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .into_bytes(),
    ];
    chunks.extend((0..4).map(|_| vec![b'a'; 1 << 20]));
    chunks.push(format!("\r\n--{boundary}--\r\n").into_bytes());
    let stream = futures_util::stream::iter(chunks.into_iter().map(move |c| {
        read.fetch_add(c.len(), Ordering::SeqCst);
        Ok::<_, std::io::Error>(axum::body::Bytes::from(c))
    }));
    (format!("multipart/form-data; boundary={boundary}"), Body::from_stream(stream))
}

#[tokio::test]
async fn an_upload_from_someone_who_may_not_send_it_is_refused_unread() {
    let app = TestApp::new(assure_store::Backend::Sqlite).await;
    let viewer = app.sign_in("viewer@example.org").await;
    let cookie = viewer.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let k = app.review_id("Child K").await;
    let action = app.action_id("Brief every response officer").await;
    let ctx = app.core.operator().await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap();
    let campaign = app.core.campaigns(&ctx, southend.id).await.unwrap()[0].0.id;
    let a_return = app.core.campaign(&ctx, campaign).await.unwrap().assessments[0].id;
    let request = app.core.review(&ctx, assure_domain::ReviewId(k)).await.unwrap().requests[0].0.id;
    let board = app.body_id("southend", "SSP Children's Board (SSPC)").await;
    let (_, meetings, _) = app.core.meetings_of_body(&ctx, assure_domain::BodyId(board)).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let next = meetings.iter().find(|m| m.held_on > today && m.cancelled_reason.is_none()).unwrap().id;
    let item = app.core.meeting(&ctx, next).await.unwrap().agenda.items[0].item.id;
    for (path, refused) in [
        (format!("/reviews/{k}/chronology/upload"), StatusCode::NOT_FOUND),
        ("/returns/1/upload".to_owned(), StatusCode::FORBIDDEN),
        ("/audits/frameworks".to_owned(), StatusCode::FORBIDDEN),
        ("/returns/templates".to_owned(), StatusCode::FORBIDDEN),
        (format!("/actions/{action}/evidence"), StatusCode::FORBIDDEN),
        (format!("/audits/assessments/{a_return}/files"), StatusCode::NOT_FOUND),
        ("/extracts".to_owned(), StatusCode::FORBIDDEN),
        ("/respond/not-a-link/files".to_owned(), StatusCode::NOT_FOUND),
        (format!("/requests/{request}/documents"), StatusCode::NOT_FOUND),
        (format!("/reviews/{k}/terms"), StatusCode::NOT_FOUND),
        (format!("/bodies/{board}/attendance/import"), StatusCode::FORBIDDEN),
        (format!("/agenda/{item}/papers"), StatusCode::FORBIDDEN),
    ] {
        let read = Arc::new(AtomicUsize::new(0));
        let (content_type, body) = counted_upload(read.clone());
        let req = Request::post(path.as_str())
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, content_type)
            .body(body)
            .unwrap();
        let res = app.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), refused, "{path}");
        assert_eq!(read.load(Ordering::SeqCst), 0, "{path}: the upload was read before it was refused");
    }
    app.finish().await;
}
