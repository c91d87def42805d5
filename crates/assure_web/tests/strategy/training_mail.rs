//! Training's e-mails through a real SMTP server: a booking confirmed with the session as a
//! calendar invitation; a freed place offered with a link of its own, lapsing to the next, who
//! accepts; the session cancelled with everyone told and the invitation withdrawn; the follow-up
//! six weeks on; the manager asked to countersign, and chased once.

use assure_store::training as st;

use super::training::{event, held_booking};
use super::*;
use support::smtp::{smtp_sink, unfold};

#[tokio::test(flavor = "multi_thread")]
async fn bookings_are_confirmed_by_e_mail_with_an_invitation_and_followed_up_with_the_manager() {
    let (url, inbox) = smtp_sink().await;
    let mailer = assure_core::mail::Mailer::new(&url, "Assure <assure@example.org>").unwrap();
    let settings = assure_core::Settings {
        mailer: Some(std::sync::Arc::new(mailer)),
        public_url: "https://assure.example.org".into(),
        ..assure_core::Settings::default()
    };
    let app = TestApp::with_settings(assure_store::Backend::Sqlite, settings).await;
    inbox.lock().unwrap().clear();
    let mut bu = app.sign_in("business.manager@example.org").await;
    let e = event(&mut bu, "Professional curiosity: lunch and learn").await;
    let next = bu.get(&e).await.attrs("#sessions a", "href").last().unwrap().clone();
    let public = bu.get(&next).await.attr("#public-link", "href");
    let mut anyone = app.anonymous();
    let page = anyone.get(&public).await;
    anyone.csrf = page.attr("input[name=csrf_token]", "value");
    let r = anyone
        .post(
            &public,
            &[
                ("name", "Dee Ford"),
                ("email", "dee.ford@example.org"),
                ("organisation_name", "Seafront Surgery"),
                ("sector", "health"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let link = r.attr("#booking-link", "href");
    let mail = inbox.lock().unwrap().clone();
    let (to, message) =
        mail.iter().find(|(to, _)| to.iter().any(|t| t.contains("dee.ford@example.org"))).expect("a confirmation");
    assert_eq!(to.len(), 1);
    let text = unfold(message);
    assert!(text.contains("Subject: Booked: Professional curiosity: lunch and learn"), "{text}");
    assert!(text.contains(&format!("https://assure.example.org{link}")), "the booking's link: {text}");
    assert!(text.contains("https://meetings.example.org/ssp-curiosity"), "the online link, to those booked: {text}");
    assert!(text.contains("BEGIN:VEVENT") && text.contains("METHOD:REQUEST"), "the invitation: {text}");

    // A freed place is offered by e-mail, with a link of its own and a time to accept it by;
    // not accepted, the offer lapses and the place is offered to the next, who accepts.
    let day = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
    let r = bu
        .post(
            &format!("{e}/sessions"),
            &[("on", &day), ("starts_at", "12:30"), ("ends_at", "13:30"), ("place", "Civic Centre"), ("capacity", "1")],
        )
        .await;
    let small = r.location().split('?').next().unwrap().to_owned();
    let small_public = bu.get(&small).await.attr("#public-link", "href");
    let mut links = Vec::new();
    for (name, email) in
        [("Eli Ward", "eli.ward@example.org"), ("Fay Lund", "fay.lund@example.org"), ("Gus Roy", "gus.roy@example.org")]
    {
        let r = anyone
            .post(
                &small_public,
                &[("name", name), ("email", email), ("organisation_name", "Seafront Surgery"), ("sector", "health")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        links.push(r.attr("#booking-link", "href"));
    }
    inbox.lock().unwrap().clear();
    let r = anyone.post(&format!("{}/cancel", links[0]), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let link_in = |to: &str, subject: &str| {
        let mail = inbox.lock().unwrap().clone();
        let (_, message) = mail
            .iter()
            .find(|(t, m)| t.iter().any(|t| t.contains(to)) && unfold(m).contains(subject))
            .unwrap_or_else(|| panic!("no {subject} to {to}: {mail:?}"));
        let text = unfold(message);
        text.split_whitespace()
            .find(|w| w.starts_with("https://assure.example.org/bookings/"))
            .map(|w| w.trim_start_matches("https://assure.example.org").to_owned())
            .unwrap_or_else(|| panic!("no link: {text}"))
    };
    let offer = link_in("fay.lund@example.org", "Subject: A place is offered to you");
    assert_ne!(offer, links[1], "the offer's own link");
    assert_eq!(anyone.get(&offer).await.texts("#status"), vec!["Place offered"]);
    let mut tx = app.core.store.write().await.unwrap();
    sqlx::query("UPDATE training_bookings SET offer_expires_at = '2000-01-01T00:00' WHERE status = 'offered'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    inbox.lock().unwrap().clear();
    let work = app.core.training_work().await.unwrap();
    assert_eq!((work.offers_lapsed, work.offers_made, work.email_failures), (1, 1, 0), "{work:?}");
    let mail = inbox.lock().unwrap().clone();
    assert!(
        mail.iter()
            .any(|(t, m)| t[0].contains("fay.lund") && unfold(m).contains("Subject: Your offer of a place has lapsed")),
        "{mail:?}"
    );
    let lapsed = anyone.get(&offer).await;
    assert_eq!(lapsed.texts("#status"), vec!["Offer lapsed"]);
    assert!(lapsed.texts("#offer").is_empty());
    assert_eq!(anyone.post(&format!("{offer}/accept"), &[]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let next_offer = link_in("gus.roy@example.org", "Subject: A place is offered to you");
    inbox.lock().unwrap().clear();
    let r = anyone.post(&format!("{next_offer}/accept"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let confirmed = link_in("gus.roy@example.org", "Subject: Booked: Professional curiosity");
    assert_eq!(confirmed, next_offer, "the confirmation carries the link used");
    assert!(bu.get(&small).await.texts("#places")[0].starts_with("1 of 1 booked"));
    assert_eq!(app.core.training_work().await.unwrap().offers_made, 0, "nothing more to offer");
    // The business unit cancels the session: the reason is asked for; everyone on it is told,
    // the one with a place with the calendar's cancellation of the invitation.
    let r = bu.post(&format!("{small}/cancel"), &[("reason", " ")]).await;
    assert_eq!(r.error_summary(), vec!["Enter why the session is cancelled"]);
    inbox.lock().unwrap().clear();
    let r = bu.post(&format!("{small}/cancel"), &[("reason", "The trainer is ill")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = bu.get(&small).await;
    assert_eq!(page.texts("#cancelled"), vec!["Warning This session is cancelled: The trainer is ill"]);
    assert!(page.texts("#cancel").is_empty(), "cancelled once");
    let mail = inbox.lock().unwrap().clone();
    let (_, message) = mail.iter().find(|(t, _)| t[0].contains("gus.roy@example.org")).expect("the one booked is told");
    let text = unfold(message);
    assert!(
        text.contains("Subject: Cancelled: Professional curiosity") && text.contains("The trainer is ill"),
        "{text}"
    );
    assert!(text.contains("METHOD:CANCEL") && text.contains("STATUS:CANCELLED"), "the invitation withdrawn: {text}");
    assert_eq!(anyone.get(&next_offer).await.texts("#status"), vec!["Cancelled"]);
    assert_eq!(anyone.get(&small_public).await.texts("#closed"), vec!["Booking has closed for this session."]);
    assert!(app.audit().await.iter().any(|e| e.action == "cancel_session"));

    // The follow-up goes six weeks after a session, to those who attended and evaluated it (the
    // demo's were sent a week ago: their reminders are due at eight weeks); a second run sends
    // nothing more.
    let (booking, _) = held_booking(&app, Some("their.manager@example.org"), 43).await;
    let mut tx = app.core.store.write().await.unwrap();
    st::set_attendance(&mut tx, booking, Some(assure_domain::training::Attendance::Attended)).await.unwrap();
    let evaluation = assure_domain::training::NewEvaluation {
        learned: "The toolkit".into(),
        confidence_before: 2,
        confidence_after: 4,
        will_do: "Use it".into(),
        rating: 4,
    };
    st::set_evaluation(&mut tx, booking, &evaluation).await.unwrap();
    tx.commit().await.unwrap();
    inbox.lock().unwrap().clear();
    let work = app.core.training_work().await.unwrap();
    assert_eq!((work.follow_ups, work.reminders), (1, 0), "{work:?}");
    assert_eq!(app.core.training_work().await.unwrap().follow_ups, 0);
    let mail = inbox.lock().unwrap().clone();
    assert_eq!(mail.len(), 1);
    assert!(mail[0].0[0].contains("cam.dorsey@example.org"), "{:?}", mail[0].0);
    let text = unfold(&mail[0].1);
    let follow_link = text
        .split_whitespace()
        .find(|w| w.starts_with("https://assure.example.org/bookings/"))
        .unwrap()
        .trim_start_matches("https://assure.example.org")
        .to_owned();
    let page = anyone.get(&follow_link).await;
    assert!(!page.texts("#follow-up").is_empty(), "the follow-up form: {}", page.body);
    anyone.csrf = page.attr("input[name=csrf_token]", "value");
    inbox.lock().unwrap().clear();
    let r = anyone
        .post(
            &format!("{follow_link}/follow-up"),
            &[("practice_change", "I ask to see where a child sleeps."), ("example", "A home visit last month.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mail = inbox.lock().unwrap().clone();
    let (to, message) = &mail[0];
    assert!(to[0].contains("their.manager@example.org"), "{to:?}");
    let text = unfold(message);
    let countersign = text
        .split_whitespace()
        .find(|w| w.starts_with("https://assure.example.org/countersign/"))
        .unwrap()
        .trim_start_matches("https://assure.example.org")
        .to_owned();
    // A manager who has not countersigned two weeks on is chased once, with a link of its own
    // (the first still works).
    let two_weeks_ago = (chrono::Utc::now() - chrono::Duration::days(15)).format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let mut tx = app.core.store.write().await.unwrap();
    sqlx::query("UPDATE training_bookings SET followed_up_at = $1 WHERE id = $2")
        .bind(&two_weeks_ago)
        .bind(booking)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    inbox.lock().unwrap().clear();
    let work = app.core.training_work().await.unwrap();
    assert_eq!(work.countersign_reminders, 1, "{work:?}");
    assert_eq!(app.core.training_work().await.unwrap().countersign_reminders, 0, "chased once");
    let mail = inbox.lock().unwrap().clone();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert!(mail[0].0[0].contains("their.manager@example.org"));
    let text = unfold(&mail[0].1);
    assert!(text.contains("Subject: Reminder: please countersign for Neglect: the new toolkit"), "{text}");
    assert!(text.contains("I ask to see where a child sleeps."), "{text}");
    let reminder = text
        .split_whitespace()
        .find(|w| w.starts_with("https://assure.example.org/countersign/"))
        .unwrap()
        .trim_start_matches("https://assure.example.org")
        .to_owned();
    assert_ne!(reminder, countersign);
    assert_eq!(anyone.get(&countersign).await.status, StatusCode::OK, "the first link still opens it");
    let countersign = reminder;
    let page = anyone.get(&countersign).await;
    assert!(page.texts("#change")[0].starts_with("I ask to see where a child sleeps."));
    anyone.csrf = page.attr("input[name=csrf_token]", "value");
    let r = anyone.post(&countersign, &[("agrees", "no")]).await;
    assert_eq!(r.error_summary(), vec!["Say what you have seen instead"]);
    let r = anyone.post(&countersign, &[("agrees", "yes")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.texts("#countersigned"), vec!["Thank you: your countersignature is recorded."]);
    app.finish().await;
}
