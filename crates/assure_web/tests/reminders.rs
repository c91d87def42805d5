//! Reminders in the application and by e-mail, through a real SMTP conversation with a sink
//! listening on loopback; never sent twice for the same event.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use assure_domain::ActionId;
use std::sync::{Arc, Mutex};

use assure_core::Settings;
use assure_core::mail::Mailer;
use assure_store::Backend;
use support::TestApp;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

type Inbox = Arc<Mutex<Vec<(Vec<String>, String)>>>;

/// A minimal SMTP server that accepts everything and keeps each message with its recipients.
async fn smtp_sink() -> (String, Inbox) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let inbox: Inbox = Arc::default();
    let kept = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let (mut data, mut rcpt, mut in_data) = (String::new(), Vec::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            kept.lock().unwrap().push((std::mem::take(&mut rcpt), std::mem::take(&mut data)));
                            in_data = false;
                            write.write_all(b"250 OK\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let command = line.to_ascii_uppercase();
                    let reply: &[u8] = if command.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if command.starts_with("RCPT TO") {
                        rcpt.push(line.clone());
                        b"250 OK\r\n"
                    } else if command == "DATA" {
                        in_data = true;
                        b"354 End data with <CR><LF>.<CR><LF>\r\n"
                    } else if command == "QUIT" {
                        write.write_all(b"221 Bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (url, inbox)
}

/// Undoes quoted-printable soft line breaks, so that a sentence can be searched for.
/// A message's text as its reader sees it: quoted-printable soft line breaks joined and
/// escaped bytes (`=E2=80=9C`) decoded.
fn unfold(body: &str) -> String {
    let bytes = body.replace("=\n", "").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn reminders_reach_owners_and_the_business_unit_once_by_email_and_in_the_application() {
    let (url, inbox) = smtp_sink().await;
    let mailer = Mailer::new(&url, "Assure <assure@example.org>").unwrap();
    let settings = Settings {
        mailer: Some(Arc::new(mailer)),
        public_url: "https://assure.example.org".into(),
        ..Settings::default()
    };
    let app = TestApp::with_settings(Backend::Sqlite, settings).await;
    // Loading the demo already e-mailed the business unit (a board seat not represented at two
    // meetings): this test counts only what the reminders send.
    inbox.lock().unwrap().clear();
    // An action owned by the police lead, due yesterday.
    let ctx = app.core.operator().await.unwrap();
    let police_action = app.action_id("Brief every response officer").await;
    let rec = app.core.action_detail(&ctx, ActionId(police_action)).await.unwrap().recommendation.id;
    let yesterday = chrono::Utc::now().date_naive().pred_opt().unwrap();
    let input = assure_domain::learning::ActionInput {
        action: "Repeat the dip-sample of missing-person reports".into(),
        organisation_id: app.org_id("southend", "Essex Police").await.to_string(),
        owner: "Detective Inspector".into(),
        owner_email: "police.lead@example.org".into(),
        target_on: yesterday.to_string(),
    };
    app.core.add_action(&ctx, rec, &input).await.unwrap();

    let first = app.core.send_reminders().await.unwrap();
    assert!(first.notifications > 0);
    assert_eq!((first.emails, first.email_failures), (first.notifications, 0));
    let mail = inbox.lock().unwrap().clone();
    assert_eq!(mail.len(), first.emails);
    // The Essex Police lead is told what their agency owes, with a link to Assure.
    let to_lead: Vec<String> = mail
        .iter()
        .filter(|(to, _)| to.iter().any(|r| r.contains("police.lead@example.org")))
        .map(|(_, b)| unfold(b))
        .collect();
    assert!(
        to_lead.iter().any(|b| b.contains("A case review asks Essex Police for its chronology, which is due on")),
        "{to_lead:?}"
    );
    assert!(to_lead.iter().any(|b| b.contains("https://assure.example.org/")));
    let overdue_action =
        format!("An action for Essex Police (recommendation 1) was due on {}", yesterday.format("%-d %B %Y"));
    assert!(
        to_lead.iter().any(|b| b.contains(&overdue_action)),
        "the owner hears of their overdue action: {to_lead:?}"
    );
    // The business unit is told of the statutory clocks: SAR D's completion is long overdue.
    let to_unit: Vec<String> = mail
        .iter()
        .filter(|(to, _)| to.iter().any(|r| r.contains("business.manager@example.org")))
        .map(|(_, b)| unfold(b))
        .collect();
    assert!(
        // 20 August 2023 was a Sunday: the clock fell due on the Monday.
        to_unit.iter().any(|b| b.contains("On a case review, “Complete the review” was due on 21 August 2023.")),
        "{to_unit:?}"
    );
    assert!(
        to_unit.iter().any(|b| b.contains("An action for Southend Children's Services (recommendation 1) was due on")),
        "the business unit hears of every overdue action: {to_unit:?}"
    );
    assert!(to_unit.iter().any(|b| b.contains("https://assure.example.org/actions/")));
    // E-mail never names a review's subject.
    assert!(mail.iter().all(|(_, b)| !b.contains("Child ") && !b.contains("SAR ")), "a subject leaked into e-mail");

    // Running again sends nothing new.
    let second = app.core.send_reminders().await.unwrap();
    assert_eq!(second, assure_core::reminders::ReminderReport::default());
    assert_eq!(inbox.lock().unwrap().len(), mail.len());

    // The same reminders are in the application.
    let mut lead = app.sign_in("police.lead@example.org").await;
    let notes = lead.get("/").await.texts("#notifications li");
    assert!(notes.iter().any(|n| n.contains("A case review asks Essex Police for its chronology")), "{notes:?}");
    app.finish().await;
}

#[tokio::test]
async fn without_smtp_reminders_appear_in_the_application_only() {
    let app = TestApp::new(Backend::Sqlite).await;
    let report = app.core.send_reminders().await.unwrap();
    assert!(report.notifications > 0);
    assert_eq!(report.emails, 0);
    let mut bm = app.sign_in("business.manager@example.org").await;
    assert!(!bm.get("/").await.texts("#notifications li").is_empty());
    app.finish().await;
}
