//! What the pages under test need beyond the demo: the children's report signed off and
//! published, and the public training pages with a booking.

use crate::support::TestApp;

/// Signs the demo's children's report off as the operator (every gap put right or explained, the
/// review, each statutory partner's agreement) and publishes it, for the pages of a published
/// report and the public reports page.
pub(crate) async fn publish_the_children_report(app: &TestApp) -> i64 {
    use assure_domain::reports::{AgreementInput, ExplanationInput, ReportKind, ReviewInput, SectionInput};
    use assure_domain::structure::Choice;
    let ctx = app.core.operator().await.unwrap();
    let reports = app.core.reports(&ctx, assure_domain::PartnershipId(1)).await.unwrap().reports;
    let id = reports.iter().find(|r| r.kind == ReportKind::Children).unwrap().id;
    let view = app.core.report(&ctx, id).await.unwrap();
    for g in view.gaps() {
        if g.explainable() {
            let input =
                ExplanationInput { gap: g.code.clone(), explanation: "Not held in Assure for that year.".into() };
            app.core.explain_report_gap(&ctx, id, &input).await.unwrap();
        } else {
            let input = SectionInput { narrative: "What the partners did.".into() };
            app.core.write_report_section(&ctx, id, g.section.code(), &input).await.unwrap();
        }
    }
    app.core.review_report(&ctx, id, &ReviewInput { summary: "A fair account.".into() }).await.unwrap();
    let today = app.core.today().to_string();
    for (org, _) in &view.partners {
        let input = AgreementInput {
            organisation_id: org.to_string(),
            agreed_by: "A chief officer".into(),
            agreed_on: today.clone(),
        };
        app.core.agree_report(&ctx, id, &input).await.unwrap();
    }
    app.core.publish_report(&ctx, id).await.unwrap();
    id
}

/// The public's training pages: the booking page of the demo's session to come, and, for a
/// booking made here on a session held yesterday, its own page and its manager's; and the page of
/// a place offered from the waiting list of the session to come.
pub(crate) async fn public_training_pages(app: &TestApp) -> Vec<String> {
    use assure_core::accounts::auth::{random_token, token_hash};
    let ctx = app.core.operator().await.unwrap();
    let p = assure_domain::PartnershipId(1);
    let programme = app.core.training(&ctx, p).await.unwrap();
    let (_, sessions) =
        programme.events.iter().find(|(e, _)| e.title == "Professional curiosity: lunch and learn").unwrap();
    let next = sessions.last().unwrap().id;
    let event = programme.events[0].0.id;
    let day = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let input = assure_domain::training::SessionInput {
        on: day,
        starts_at: "10:00".into(),
        ends_at: "11:00".into(),
        place: "Civic Centre".into(),
        capacity: "10".into(),
        ..Default::default()
    };
    let held = app.core.add_training_session(&ctx, event, &input).await.unwrap();
    let (own, manager) = (random_token(32), random_token(32));
    let new = assure_domain::training::NewBooking {
        name: "Cam Dorsey".into(),
        email: "cam.dorsey@example.org".into(),
        organisation_id: None,
        organisation_name: Some("Seafront Surgery".into()),
        sector: assure_domain::structure::Sector::Health,
        role: None,
        manager_email: Some("their.manager@example.org".into()),
        champion: None,
    };
    let mut tx = app.core.store.write().await.unwrap();
    let booking = assure_store::training::insert_booking(
        &mut tx,
        held,
        &new,
        assure_domain::training::BookingStatus::Booked,
        &token_hash(&own),
    )
    .await
    .unwrap();
    let follow_up = assure_domain::training::NewFollowUp {
        practice_change: "I ask to see where a child sleeps.".into(),
        example: "A home visit last month.".into(),
    };
    assure_store::training::set_follow_up(&mut tx, booking, &follow_up, Some(&token_hash(&manager))).await.unwrap();
    let offer = random_token(32);
    let waiting = assure_store::training::insert_booking(
        &mut tx,
        next,
        &assure_domain::training::NewBooking { email: "dee.ford@example.org".into(), ..new },
        assure_domain::training::BookingStatus::Waiting,
        &token_hash(&random_token(32)),
    )
    .await
    .unwrap();
    let lapses = chrono::Utc::now().naive_utc() + chrono::Duration::hours(48);
    assure_store::training::offer(&mut tx, waiting, lapses, &token_hash(&offer)).await.unwrap();
    // A subscription to the bulletin waiting for its address to be confirmed.
    let confirm = random_token(32);
    assure_store::bulletins::ask(&mut tx, p, "dee.ford@example.org", &token_hash(&confirm)).await.unwrap();
    tx.commit().await.unwrap();
    publish_the_children_report(app).await;
    vec![
        "/public/southend/reports".into(),
        "/public/southend/bulletins".into(),
        "/public/southend/bulletins/1".into(),
        "/public/southend/bulletins/subscribe".into(),
        format!("/public/southend/bulletins/confirm/{confirm}"),
        "/public/southend/bulletins/unsubscribe/not-a-token".into(),
        "/public/southend/feedback".into(),
        "/public/southend/you-said-we-did".into(),
        "/public/southend/surveys/1".into(),
        format!("/book/{next}"),
        format!("/bookings/{own}"),
        format!("/countersign/{manager}"),
        format!("/bookings/{offer}"),
    ]
}
