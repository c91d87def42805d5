//! Reminders in the application and by e-mail, through a real SMTP conversation with a sink
//! listening on loopback; never sent twice for the same event.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use assure_domain::ActionId;
use std::sync::Arc;

use assure_core::Settings;
use assure_core::mail::Mailer;
use assure_store::Backend;
use support::TestApp;
use support::smtp::{smtp_sink, unfold};

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
    // The subgroup member owes the papers of the restricted subgroup's next meeting: reminded
    // without the item or the body being named.
    let to_member: Vec<String> = mail
        .iter()
        .filter(|(to, _)| to.iter().any(|r| r.contains("cpr.member@example.org")))
        .map(|(_, b)| unfold(b))
        .collect();
    assert!(to_member.iter().any(|b| b.contains("The papers for item 1 at the meeting on")), "{to_member:?}");
    let papers: Vec<&String> = to_member.iter().filter(|b| b.contains("The papers for")).collect();
    assert!(papers.iter().all(|b| !b.contains("Child Practice Review") && !b.contains("Rapid review")), "{papers:?}");
    // E-mail never names a review's subject (a clock's own name, such as "Notify the Child
    // Safeguarding Practice Review Panel", is no subject).
    let ctx = app.core.operator().await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap();
    let subjects: Vec<String> =
        app.core.deadlines(&ctx, southend.id).await.unwrap().into_iter().map(|d| d.subject).collect();
    assert!(subjects.iter().any(|s| s == "Child J"), "{subjects:?}");
    for subject in &subjects {
        assert!(mail.iter().all(|(_, b)| !b.contains(subject.as_str())), "{subject} leaked into e-mail");
    }

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
