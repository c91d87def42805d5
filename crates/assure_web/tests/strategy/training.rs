//! Training and events through the pages: the demo's 2022-23 offer in the report (the annual
//! report's figures: about 200 at the lunch and learns, over 300 at the conference, 58 new and 15
//! refreshed champions, over 200 in each roll-out); booking by someone with no account (every bad
//! input named, nothing saved; the honeypot; a full session's waiting list, offered a freed place
//! in order; an organisation's limit); the register and an online meeting's attendance report;
//! evaluation, certificate, follow-up and countersignature through their links; who sees whose
//! bookings. The e-mails, through a real SMTP server, are in `training_mail`.

use assure_domain::training::{BookingStatus, NewBooking};
use assure_store::training as st;

use super::*;

/// An event's page by its title, from the programme.
pub(super) async fn event(client: &mut support::Client<'_>, title: &str) -> String {
    let page = client.get("/training").await;
    let html = page.html();
    let sel = scraper::Selector::parse("#events th a").unwrap();
    html.select(&sel)
        .find(|a| a.text().collect::<String>() == title)
        .and_then(|a| a.value().attr("href"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no event {title}: {}", page.body))
}

fn row<'a>(rows: &'a [String], starts: &str) -> &'a str {
    rows.iter().find(|r| r.starts_with(starts)).unwrap_or_else(|| panic!("no row {starts}: {rows:?}"))
}

async fn the_report_says_what_the_training_reached(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let page = bu.get("/training/report?from=2022-04-01&to=2023-03-31").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let summary = page.texts("#summary-list .govuk-summary-list__value");
    assert_eq!(summary[0], "24", "sessions");
    assert_eq!(summary[2], "988", "attended: 200 + 305 + 73 + 205 + 205");
    let kinds = page.texts("#kind-table tbody tr");
    assert!(row(&kinds, "Conference").starts_with("Conference 323 305 12 6"), "{kinds:?}");
    assert!(row(&kinds, "Lunch and learn").contains(" 200 "), "{kinds:?}");
    assert!(row(&kinds, "Tool roll-out").contains(" 410 "), "{kinds:?}");
    assert_eq!(page.texts("#champions-table tbody tr"), vec!["Child exploitation champions 58 15"]);
    assert_eq!(page.texts("#kind-chart g title").len(), kinds.len(), "a column per kind, titled with its figure");
    // Every other figure has its chart too, each part titled with its figure.
    let places = page.texts("#places-chart g title");
    assert!(places.contains(&"Places booked: 988 of 1,065 attended".to_owned()), "{places:?}");
    assert_eq!(
        page.texts("#champions-chart g title"),
        vec!["Child exploitation champions: 58 of 73 new", "Child exploitation champions: 15 of 73 refreshed"]
    );
    let agencies = page.texts("#organisation-chart > text");
    assert_eq!(agencies.len(), page.texts("#organisation-table tbody tr").len(), "a bar per agency");
    assert!(agencies.contains(&"Essex Police".to_owned()), "{agencies:?}");
    assert!(agencies.iter().all(|a| a.chars().count() <= 38), "names shortened to fit: {agencies:?}");
    assert_eq!(page.texts("#sector-chart > text").len(), page.texts("#sector-table tbody tr").len());
    assert!(page.texts("#organisation-chart + figcaption")[0].starts_with("Key:"));
    // Every table downloads.
    let (status, _, csv) = bu.download("/training/report.csv?table=organisation&from=2022-04-01&to=2023-03-31").await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("organisation,booked,attended,did_not_attend"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("Essex Police,")), "{csv}");
    // The last sixty days: the lunch and learn held seven weeks ago, evaluated and followed up.
    let since = (chrono::Utc::now().date_naive() - chrono::Days::new(60)).to_string();
    let this_year = bu.get(&format!("/training/report?from={since}")).await;
    let summary = this_year.texts("#summary-list .govuk-summary-list__value");
    assert!(summary[5].starts_with("5: confidence 2.4 before, 4.0 after"), "{summary:?}");
    assert_eq!(summary[6], "5 sent, 2 returned, 1 countersigned by a manager");
    assert_eq!(this_year.texts("#impacts li").len(), 2);
    assert_eq!(
        this_year.texts("#follow-ups-chart g title"),
        vec![
            "Impact follow-ups sent: 1 of 5 returned and countersigned",
            "Impact follow-ups sent: 1 of 5 returned",
            "Impact follow-ups sent: 3 of 5 not returned"
        ]
    );
    assert_eq!(
        this_year.texts("#event-chart g title"),
        vec![
            "Professional curiosity: lunch and learn, confidence before: 2.4",
            "Professional curiosity: lunch and learn, confidence after: 4.0"
        ]
    );
    // Each event's results: the lunch and learn's five evaluations and two follow-ups.
    let events = this_year.texts("#event-table tbody tr");
    assert_eq!(events, vec!["Professional curiosity: lunch and learn 1 6 5 2.4 4.0 4.4 2"], "{events:?}");
    let (status, _, csv) = bu.download(&format!("/training/report.csv?table=event&from={since}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        String::from_utf8(csv)
            .unwrap()
            .contains("Professional curiosity: lunch and learn,Lunch and learn,1,6,5,2.4,4.0,4.4,2")
    );
    // The bad period is named.
    let bad = bu.get("/training/report?from=2023-13-01").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let backwards = bu.get("/training/report?from=2023-03-31&to=2022-04-01").await;
    assert_eq!(backwards.error_summary(), vec!["The end of the period must be on or after its start"]);
}

async fn someone_without_an_account_books_a_place(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let e = event(&mut bu, "Professional curiosity: lunch and learn").await;
    let day = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
    let r = bu
        .post(
            &format!("{e}/sessions"),
            &[
                ("on", &day),
                ("starts_at", "12:30"),
                ("ends_at", "13:30"),
                ("place", "Civic Centre, Room 4"),
                ("capacity", "1"),
                ("per_organisation", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let session = r.location().split('?').next().unwrap().to_owned();
    let public = bu.get(&session).await.attr("#public-link", "href");
    assert!(public.starts_with("/book/"));

    let mut anyone = app.anonymous();
    let page = anyone.get(&public).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("#places"), vec!["1 left"]);
    let token = page.attr("input[name=csrf_token]", "value");
    anyone.csrf = token;
    let orgs = page.attrs("#organisation_id option", "value");
    let names = page.texts("#organisation_id option");
    let org = |name: &str| orgs[names.iter().position(|n| n == name).unwrap()].clone();
    let before = app.row_counts().await;
    let r = anyone.post(&public, &[("name", ""), ("email", "not an address"), ("sector", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    assert!(errors.contains(&"Enter your name".to_owned()), "{errors:?}");
    assert!(
        errors.contains(&"Select your organisation, or type its name if it is not listed".to_owned()),
        "{errors:?}"
    );
    assert!(errors.contains(&"Select the sector you work in".to_owned()), "{errors:?}");
    // A script filling the hidden field is refused.
    let r = anyone
        .post(
            &public,
            &[
                ("name", "Bot"),
                ("email", "bot@example.org"),
                ("organisation_name", "X"),
                ("sector", "other"),
                ("website", "http://spam.example"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.row_counts().await, before, "nothing saved");

    let police = org("Essex Police");
    let r = anyone
        .post(
            &public,
            &[
                ("name", "Ash Patel"),
                ("email", "ash.patel@example.org"),
                ("organisation_id", &police),
                ("sector", "police"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.texts("#booked h1"), vec!["Your place is booked"]);
    let first = r.attr("#booking-link", "href");
    let again = anyone
        .post(
            &public,
            &[
                ("name", "Ash Patel"),
                ("email", "ash.patel@example.org"),
                ("organisation_id", &police),
                ("sector", "police"),
            ],
        )
        .await;
    assert_eq!(
        again.error_summary(),
        vec!["That address already has a booking on this session: use its link to change it"]
    );
    // The session is full: the next joins the waiting list.
    let r = anyone
        .post(
            &public,
            &[
                ("name", "Bo Grant"),
                ("email", "bo.grant@example.org"),
                ("organisation_name", "Seafront Surgery"),
                ("sector", "health"),
            ],
        )
        .await;
    assert_eq!(r.texts("#booked h1"), vec!["You are on the waiting list"]);
    let second = r.attr("#booking-link", "href");
    assert_eq!(anyone.get(&second).await.texts("#status"), vec!["On the waiting list"]);
    let r = anyone
        .post(
            &public,
            &[
                ("name", "Cy Moss"),
                ("email", "cy.moss@example.org"),
                ("organisation_name", "Seafront Surgery"),
                ("sector", "health"),
            ],
        )
        .await;
    let third = r.attr("#booking-link", "href");
    // The first cancels; the place is offered to the second, held for them: the third waits on.
    let page = anyone.get(&first).await;
    assert_eq!(page.texts("#status"), vec!["Booked"]);
    let r = anyone.post(&format!("{first}/cancel"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(anyone.get(&first).await.texts("#status"), vec!["Cancelled"]);
    let offered = anyone.get(&second).await;
    assert_eq!(offered.texts("#status"), vec!["Place offered"]);
    assert!(offered.texts("#offer + form p")[0].contains("It is held for you until"), "{}", offered.body);
    assert_eq!(anyone.get(&third).await.texts("#status"), vec!["On the waiting list"]);
    assert_eq!(anyone.get(&public).await.texts("#places"), vec!["Full: you can join the waiting list (1 waiting)"]);
    let places = bu.get(&session).await.texts("#places");
    assert!(places[0].starts_with("0 of 1 booked, 1 offered to the waiting list, 1 waiting"), "{places:?}");
    // The second declines: the place is offered to the third, who accepts it.
    let r = anyone.post(&format!("{second}/cancel"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(anyone.get(&second).await.texts("#status"), vec!["Cancelled"]);
    assert_eq!(anyone.post(&format!("{second}/accept"), &[]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = anyone.post(&format!("{third}/accept"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = anyone.get(&r.location()).await;
    assert_eq!(page.texts("#done"), vec!["The place is yours: we have e-mailed you the invitation."]);
    assert_eq!(page.texts("#status"), vec!["Booked"]);
    assert!(page.texts("#offer").is_empty(), "accepted once");
    let rows = bu.get(&session).await.texts("#bookings tbody tr");
    assert!(rows[0].starts_with("Ash Patel Essex Police Police Cancelled"), "{rows:?}");
    assert!(rows[1].starts_with("Bo Grant Seafront Surgery Health Cancelled"), "{rows:?}");
    assert!(rows[2].starts_with("Cy Moss Seafront Surgery Health Booked"), "{rows:?}");
    // An offer not accepted in time lapses, at the hourly work.
    let r = anyone
        .post(
            &public,
            &[
                ("name", "Di Shaw"),
                ("email", "di.shaw@example.org"),
                ("organisation_name", "Seafront Surgery"),
                ("sector", "health"),
            ],
        )
        .await;
    let fourth = r.attr("#booking-link", "href");
    assert_eq!(anyone.post(&format!("{third}/cancel"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(anyone.get(&fourth).await.texts("#status"), vec!["Place offered"]);
    let mut tx = app.core.store.write().await.unwrap();
    sqlx::query("UPDATE training_bookings SET offer_expires_at = '2000-01-01T00:00' WHERE status = 'offered'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let work = app.core.training_work().await.unwrap();
    assert_eq!((work.offers_lapsed, work.offers_made), (1, 0), "nobody left to offer it to: {work:?}");
    assert_eq!(anyone.get(&fourth).await.texts("#status"), vec!["Offer lapsed"]);
    assert_eq!(anyone.get(&public).await.texts("#places"), vec!["1 left"]);
    // An unknown link opens nothing.
    assert_eq!(anyone.get("/bookings/not-a-token").await.status, StatusCode::NOT_FOUND);
    // The audit log has the booking and the cancellation, naming nobody.
    let audit = app.audit().await;
    let booked = audit.iter().find(|e| e.action == "book").unwrap();
    assert!(!booked.detail.contains("Ash"), "{}", booked.detail);
    assert!(audit.iter().any(|e| e.action == "cancel_booking"));
    assert!(audit.iter().any(|e| e.action == "accept_offer"));
}

async fn an_organisations_limit_and_the_register(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let e = event(&mut bu, "Professional curiosity: lunch and learn").await;
    let sessions = bu.get(&e).await.attrs("#sessions a", "href");
    // The session to come allows five places an organisation.
    let next = sessions.last().unwrap().clone();
    let public = bu.get(&next).await.attr("#public-link", "href");
    let mut anyone = app.anonymous();
    let page = anyone.get(&public).await;
    anyone.csrf = page.attr("input[name=csrf_token]", "value");
    let council = {
        let orgs = page.attrs("#organisation_id option", "value");
        let names = page.texts("#organisation_id option");
        orgs[names.iter().position(|n| n == "Southend City Council").unwrap()].clone()
    };
    for n in 0..4 {
        let email = format!("council.{n}@example.org");
        let r = anyone
            .post(
                &public,
                &[
                    ("name", "Council worker"),
                    ("email", &email),
                    ("organisation_id", &council),
                    ("sector", "local_authority"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = anyone
        .post(
            &public,
            &[
                ("name", "Council worker"),
                ("email", "council.5@example.org"),
                ("organisation_id", &council),
                ("sector", "local_authority"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.error_summary()[0].starts_with("Your organisation has all the places it may take on this session (5)"));

    // The session held seven weeks ago: its register, and an attendance report.
    let held = sessions.first().unwrap().clone();
    let page = bu.get(&held).await;
    let rows = page.texts("#bookings tbody tr");
    assert_eq!(rows.len(), 8, "{rows:?}");
    let report =
        "Name,Email,Join time\nYan Li,Yan.Li@example.org,12:31\nGuest,,12:40\nSomeone,someone.else@example.org,12:35\n";
    let r = bu
        .post_multipart(
            &format!("{held}/attendance-report"),
            &[],
            &[("file", "attendance.csv", "text/csv", report.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.texts("#import-result p")[0].starts_with("1 booked place marked attended"),
        "{:?}",
        r.texts("#import-result p")
    );
    assert_eq!(r.texts("#not-booked li"), vec!["Row 4: someone.else@example.org"]);
    let bad = "Name,Email\nBo,not-an-address\n";
    let before = app.row_counts().await;
    let r = bu
        .post_multipart(
            &format!("{held}/attendance-report"),
            &[],
            &[("file", "attendance.csv", "text/csv", bad.as_bytes())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_summary(), vec!["Row 2, column B: \u{201c}not-an-address\u{201d} is not an e-mail address"]);
    assert_eq!(app.row_counts().await, before);
    // The register by hand: Robin did not attend after all.
    let page = bu.get(&held).await;
    let first = page.attrs("#bookings select", "name")[0].clone();
    let r = bu.post(&format!("{held}/register"), &[(first.as_str(), "no_show")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rows = bu.get(&held).await.texts("#bookings tbody tr");
    assert!(rows[0].contains("Did not attend"), "{rows:?}");

    // Charges for places not used, once the business unit sets them.
    let r = bu
        .post(
            "/training/settings",
            &[
                ("retention_days", "365"),
                ("no_show_charge", "50"),
                ("late_cancellation_charge", "25"),
                ("late_within_days", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let from = (chrono::Utc::now().date_naive() - chrono::Days::new(60)).to_string();
    let charges = bu.get(&format!("/training/charges?from={from}")).await.texts("#charges tbody tr");
    assert!(row(&charges, "Southend City Council").ends_with("1 0 £50"), "{charges:?}");
    assert!(row(&charges, "Cliffside Academy (fictional)").ends_with("0 1 £25"), "{charges:?}");
    // The police's lead sees their own organisation's bookings and charges only.
    let mut police = app.sign_in("police.lead@example.org").await;
    let rows = police.get(&held).await.texts("#bookings tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("Essex Police"));
    let charges = police.get(&format!("/training/charges?from={from}")).await;
    assert!(charges.texts("#charges tbody tr").is_empty(), "the police's own attended: nothing to charge them");
    assert_eq!(charges.texts("#no-charges").len(), 1);
    assert_eq!(police.post(&format!("{held}/register"), &[]).await.status, StatusCode::FORBIDDEN);
    let mut viewer = app.sign_in("viewer@example.org").await;
    assert!(viewer.get(&held).await.texts("#bookings tbody tr").is_empty(), "a viewer sees no bookings");
    assert_eq!(viewer.get("/training/report").await.status, StatusCode::NOT_FOUND);
}

/// A booking on a session held `days_ago`, with a link the test knows.
pub(super) async fn held_booking(app: &TestApp, manager: Option<&str>, days_ago: u64) -> (i64, String) {
    let ctx = app.core.operator().await.unwrap();
    let p = assure_domain::PartnershipId(1);
    let event = app
        .core
        .create_training_event(
            &ctx,
            p,
            &assure_domain::training::EventInput {
                title: "Neglect: the new toolkit".into(),
                kind: "briefing".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let day = (chrono::Utc::now().date_naive() - chrono::Days::new(days_ago)).to_string();
    let input = assure_domain::training::SessionInput {
        on: day,
        starts_at: "10:00".into(),
        ends_at: "11:30".into(),
        place: "Civic Centre".into(),
        capacity: "20".into(),
        trainer: "Lee Marsh".into(),
        ..Default::default()
    };
    let session = app.core.add_training_session(&ctx, event, &input).await.unwrap();
    let token = assure_core::accounts::auth::random_token(32);
    let new = NewBooking {
        name: "Cam Dorsey".into(),
        email: "cam.dorsey@example.org".into(),
        organisation_id: None,
        organisation_name: Some("Seafront Surgery".into()),
        sector: assure_domain::structure::Sector::Health,
        role: None,
        manager_email: manager.map(str::to_owned),
        champion: None,
    };
    let mut tx = app.core.store.write().await.unwrap();
    let id = st::insert_booking(
        &mut tx,
        session,
        &new,
        BookingStatus::Booked,
        &assure_core::accounts::auth::token_hash(&token),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (id, format!("/bookings/{token}"))
}

async fn an_evaluation_unlocks_the_certificate_and_the_follow_up_is_countersigned(app: &TestApp) {
    let (_, link) = held_booking(app, None, 1).await;
    let mut anyone = app.anonymous();
    let page = anyone.get(&link).await;
    assert!(page.texts("#certificate").is_empty(), "no certificate before the evaluation");
    let (status, _, _) = anyone.download(&format!("{link}/certificate.pdf")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    anyone.csrf = page.attr("input[name=csrf_token]", "value");
    let before = app.row_counts().await;
    let r = anyone.post(&format!("{link}/evaluation"), &[("learned", "The toolkit"), ("confidence_before", "9")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    assert!(errors.contains(&"Choose how confident you were before, from 1 to 5".to_owned()), "{errors:?}");
    assert!(errors.contains(&"Enter what you will do differently".to_owned()), "{errors:?}");
    assert_eq!(app.row_counts().await, before);
    let r = anyone
        .post(
            &format!("{link}/evaluation"),
            &[
                ("learned", "How to score a home's conditions"),
                ("confidence_before", "2"),
                ("confidence_after", "4"),
                ("will_do", "Use the toolkit at every first visit"),
                ("rating", "5"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = anyone.get(&r.location()).await;
    assert_eq!(page.texts("#done"), vec!["Thank you for your evaluation. Your certificate is ready."]);
    let (status, _, pdf) = anyone.download(&format!("{link}/certificate.pdf")).await;
    assert_eq!(status, StatusCode::OK);
    let (text, info) = assure_testing::pdf_text(&pdf);
    assert!(info.contains("Title: Certificate of attendance: Cam Dorsey"), "{info}");
    assert!(text.contains("Neglect: the new toolkit") && text.contains("Learning time: 1 hours 30 minutes"), "{text}");
    // The follow-up opens six weeks on (or when it is sent): not yet.
    assert!(page.texts("#follow-up").is_empty());
    let r = anyone.post(&format!("{link}/follow-up"), &[("practice_change", "x"), ("example", "y")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_business_units_forms_name_every_bad_input(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let before = app.row_counts().await;
    let r = bu.post("/training", &[("title", ""), ("kind", "party"), ("sectors", "space")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.error_summary();
    assert!(errors.contains(&"Enter the event's title".to_owned()), "{errors:?}");
    assert!(errors.contains(&"Select the kind of event from the list".to_owned()), "{errors:?}");
    assert!(errors.contains(&"Select the sectors from the list".to_owned()), "{errors:?}");
    let r = bu.post("/training", &[("title", "Champions"), ("kind", "champions")]).await;
    assert_eq!(r.error_summary(), vec!["Name the champions' programme, like Child exploitation champions"]);
    let e = event(&mut bu, "Professional curiosity: lunch and learn").await;
    let r = bu
        .post(&format!("{e}/sessions"), &[("on", "2027-02-30"), ("starts_at", "25:00"), ("online_link", "http://x")])
        .await;
    let errors = r.error_summary();
    assert!(errors.contains(&"The day must be a real date".to_owned()), "{errors:?}");
    assert!(errors.contains(&"Enter the online meeting's link, starting https://".to_owned()), "{errors:?}");
    assert!(errors.contains(&"Enter how many places there are".to_owned()), "{errors:?}");
    assert_eq!(app.row_counts().await, before, "nothing saved");
    let r = bu.post("/training/settings", &[("retention_days", "5")]).await;
    assert_eq!(r.error_summary(), vec!["Enter the days booking details are kept as a whole number from 30 to 3650"]);
}

async fn an_event_names_the_agencies_and_priorities_it_is_for(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let form = bu.get("/training").await;
    let ids = form.attrs("input[name=organisation_ids]", "value");
    let names = form.texts("input[name=organisation_ids] + label");
    let org =
        |name: &str| ids[names.iter().position(|n| n == name).unwrap_or_else(|| panic!("{name}: {names:?}"))].clone();
    let priorities = form.attrs("input[name=priority_ids]", "value");
    assert!(!priorities.is_empty(), "the strategy's priorities are offered");
    let (police, schools) = (org("Essex Police"), org("Cliffside Academy (fictional)"));
    let before = app.row_counts().await;
    let r = bu
        .post("/training", &[("title", "Exploitation briefing"), ("kind", "briefing"), ("organisation_ids", "999999")])
        .await;
    assert_eq!(r.error_summary(), vec!["Select the agencies from the list"]);
    assert_eq!(app.row_counts().await, before, "nothing saved");
    let r = bu
        .post(
            "/training",
            &[
                ("title", "Exploitation briefing"),
                ("kind", "briefing"),
                ("organisation_ids", &police),
                ("organisation_ids", &schools),
                ("sectors", "education"),
                ("levels", "Designated leads"),
                ("priority_ids", &priorities[0]),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let e = r.location().split('?').next().unwrap().to_owned();
    let page = bu.get(&e).await;
    let details = page.texts("#event-details dd");
    assert_eq!(details[0], "Cliffside Academy (fictional), Essex Police; Education; Designated leads", "{details:?}");
    assert!(!details[1].starts_with("Nothing recorded"), "the priority it serves: {details:?}");
    // Its form keeps what was chosen, so saving it again changes nothing.
    let mut kept = page.attrs("input[name=organisation_ids][checked]", "value");
    kept.sort();
    let mut want = vec![police.clone(), schools.clone()];
    want.sort();
    assert_eq!(kept, want);
    assert_eq!(page.attrs("input[name=priority_ids][checked]", "value"), vec![priorities[0].clone()]);
    let day = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string();
    let r = bu
        .post(
            &format!("{e}/sessions"),
            &[
                ("on", &day),
                ("starts_at", "10:00"),
                ("ends_at", "11:00"),
                ("place", "Civic Centre"),
                ("capacity", "20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let session = r.location().split('?').next().unwrap().to_owned();
    let public = bu.get(&session).await.attr("#public-link", "href");
    assert_eq!(
        app.anonymous().get(&public).await.texts("#audience"),
        vec!["Cliffside Academy (fictional), Essex Police; Education; Designated leads"]
    );
    // The API says the same, by id.
    let mut api = app.api("business.manager@example.org").await;
    let id = e.rsplit('/').next().unwrap();
    let r = api.request(axum::http::Method::GET, &format!("/api/v1/training/events/{id}"), None, String::new()).await;
    let mut got: Vec<String> =
        r.json()["organisation_ids"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap().to_string()).collect();
    got.sort();
    assert_eq!(got, want);
}

async fn the_api_adds_events_and_sessions_and_takes_the_register(app: &TestApp) {
    use axum::http::Method;
    use serde_json::json;
    let mut api = app.api("business.manager@example.org").await;
    let r = api
        .json(
            Method::POST,
            "/api/v1/training/events?partnership=southend",
            json!({"title": "Neglect briefing", "kind": "briefing", "sectors": ["health", "education"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let event = r.json()["id"].as_i64().unwrap();
    let bad = api
        .json(
            Method::POST,
            &format!("/api/v1/training/events/{event}/sessions"),
            json!({"on": "2027-02-30", "capacity": 0}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"]["on"], json!(["The day must be a real date"]));
    let r = api
        .json(
            Method::POST,
            &format!("/api/v1/training/events/{event}/sessions"),
            json!({"on": "2027-02-03", "starts_at": "10:00", "ends_at": "11:00", "online_link": "https://meetings.example.org/neglect", "capacity": 40}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["booking_page"], format!("/book/{}", r.json()["id"]));
    assert_eq!(r.json()["online"], true);
    let added = r.json()["id"].as_i64().unwrap();
    let bad = api.json(Method::POST, &format!("/api/v1/training/sessions/{added}/cancel"), json!({})).await;
    assert_eq!(bad.json()["errors"]["reason"], json!(["Enter why the session is cancelled"]));
    let r = api
        .json(Method::POST, &format!("/api/v1/training/sessions/{added}/cancel"), json!({"reason": "Moved online"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["cancelled"], "Moved online");
    // The register of the session held seven weeks ago, through the API.
    let list = api.request(Method::GET, "/api/v1/training/events?partnership=southend", None, String::new()).await;
    let curiosity = list.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "Professional curiosity: lunch and learn")
        .unwrap()["sessions"][0]["id"]
        .as_i64()
        .unwrap();
    let session =
        api.request(Method::GET, &format!("/api/v1/training/sessions/{curiosity}"), None, String::new()).await;
    let bookings = session.json()["bookings"].as_array().unwrap().clone();
    assert_eq!(bookings.len(), 8);
    let first = bookings[0]["id"].as_i64().unwrap();
    let r = api
        .json(
            Method::PUT,
            &format!("/api/v1/training/sessions/{curiosity}/register"),
            json!({"marks": [{"booking_id": first, "attendance": "no_show"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["bookings"][0]["attendance"], "no_show");
    let report = "Email\nrobin.hale@example.org\n";
    let r = api
        .request_bytes(
            Method::POST,
            &format!("/api/v1/training/sessions/{curiosity}/attendance-report?name=report.csv"),
            Some("application/octet-stream"),
            report.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["marked"], 1);
    let r = api
        .request(
            Method::GET,
            "/api/v1/training/report?partnership=southend&from=2022-04-01&to=2023-03-31",
            None,
            String::new(),
        )
        .await;
    assert_eq!(r.json()["attended"], 988);
    assert_eq!(
        r.json()["champions"],
        json!([{"programme": "Child exploitation champions", "new": 58, "refreshed": 15}])
    );
}

async fn booking_details_are_erased_after_the_retention_period(app: &TestApp) {
    let mut bu = app.sign_in("business.manager@example.org").await;
    let r = bu.post("/training/settings", &[("retention_days", "30"), ("late_within_days", "2")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let work = app.core.training_work().await.unwrap();
    assert_eq!(work.erased, 8, "the eight bookings on the session held seven weeks ago: {work:?}");
    let e = event(&mut bu, "Professional curiosity: lunch and learn").await;
    let held = bu.get(&e).await.attrs("#sessions a", "href")[0].clone();
    let rows = bu.get(&held).await.texts("#bookings tbody tr");
    assert!(rows.iter().all(|r| r.starts_with("Details erased")), "{rows:?}");
    // What happened stays for the reports; the follow-ups' words too, with nobody's name.
    let since = (chrono::Utc::now().date_naive() - chrono::Days::new(60)).to_string();
    let report = bu.get(&format!("/training/report?from={since}")).await;
    assert_eq!(report.texts("#impacts li").len(), 2);
    let audit = app.audit().await;
    assert!(audit.iter().any(|e| e.action == "training_work" && e.detail.contains("\"erased\":8")));
    assert_eq!(app.core.training_work().await.unwrap().erased, 0, "erased once");
}

crate::on_both!(demo [Training, Strategy]; an_event_names_the_agencies_and_priorities_it_is_for);
crate::on_both!(demo [Training]; the_api_adds_events_and_sessions_and_takes_the_register, booking_details_are_erased_after_the_retention_period, the_report_says_what_the_training_reached, someone_without_an_account_books_a_place, an_organisations_limit_and_the_register, an_evaluation_unlocks_the_certificate_and_the_follow_up_is_countersigned, the_business_units_forms_name_every_bad_input);
