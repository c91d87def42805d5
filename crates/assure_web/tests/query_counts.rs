//! How many SQL statements each of the busiest pages runs, counted from sqlx's own statement log,
//! before and after the data grows: a page whose count grows with the data runs a query in a
//! loop. One test per binary, so that no other test's statements are counted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};

use assure_domain::learning::{ActionInput, RecommendationInput};
use assure_domain::{PartnershipId, RecommendationId, ReviewId};
use assure_store::Backend;
use axum::http::StatusCode;
use support::TestApp;
use tracing_subscriber::layer::SubscriberExt;

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

/// Counts every statement sqlx logs.
struct Counter;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Counter {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// The busiest pages of a business manager's day, and the API's plan.
async fn pages(app: &TestApp) -> Vec<String> {
    let review = app.review_id("Child K").await;
    let ctx = app.core.operator().await.unwrap();
    let register = app.core.risk_registers(&ctx, PartnershipId(1)).await.unwrap()[0].register.id;
    let strategy = app.core.strategies(&ctx, PartnershipId(1)).await.unwrap()[0].id;
    let budget = app.core.budget_of_year(&ctx, PartnershipId(1), 2019).await.unwrap().worked.budget.id;
    let inspections = app.core.inspections(&ctx, PartnershipId(1), None).await.unwrap();
    let ofsted = inspections.items.iter().find(|l| l.inspection.type_code == "ofsted_sif").unwrap().inspection.id;
    // The integrated care board's: one of its inspections (the CQC's review) is not yet
    // published, so the page logs a restricted read before the data grows and after.
    let icb = app.org_id("southend", "Mid and South Essex Integrated Care Board").await;
    let bulletin = app.core.bulletins(&ctx, PartnershipId(1)).await.unwrap().bulletins;
    let bulletin = bulletin.iter().find(|b| b.number == Some(1)).unwrap().id;
    vec![
        "/bulletins".into(),
        format!("/bulletins/{bulletin}"),
        "/public/southend/bulletins".into(),
        "/public/southend/bulletins/1".into(),
        "/returns".into(),
        "/returns/figures/lado".into(),
        "/returns/figures/annual_report".into(),
        "/dashboard/adults".into(),
        "/challenges".into(),
        "/inspections".into(),
        "/feedback".into(),
        "/you-said-we-did".into(),
        "/surveys".into(),
        "/surveys/1".into(),
        format!("/inspections/{ofsted}"),
        format!("/inspections/agencies/{icb}"),
        "/finance".into(),
        format!("/budgets/{budget}"),
        format!("/risk-registers/{register}"),
        format!("/strategy/{strategy}"),
        format!("/strategy/{strategy}/years/2022"),
        "/".into(),
        "/dashboard/children".into(),
        "/plan".into(),
        format!("/reviews/{review}"),
        "/audits".into(),
        "/audits/1/analysis".into(),
    ]
}

/// Waits until no statement has been logged for 50 ms: sqlx logs a statement as it finishes, on
/// its connection's own thread, so a request's last statement can be logged just after its answer
/// (and was once counted in the next request's window: 18 statements, then 20).
async fn settled() -> usize {
    let mut seen = STATEMENTS.load(Ordering::SeqCst);
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let now = STATEMENTS.load(Ordering::SeqCst);
        if now == seen {
            return now;
        }
        seen = now;
    }
}

/// The statements of one request: the fewest of three, each counted once the statements have
/// settled, because the audit log's writer commits restricted reads on a task of its own.
async fn statements_of(c: &mut support::Client<'_>, path: &str) -> usize {
    // Once to warm anything a first request fills, then counted.
    assert_eq!(c.get(path).await.status, StatusCode::OK, "{path}");
    let mut fewest = usize::MAX;
    for _ in 0..3 {
        let before = settled().await;
        assert_eq!(c.get(path).await.status, StatusCode::OK, "{path}");
        fewest = fewest.min(settled().await - before);
    }
    fewest
}

async fn counts(app: &TestApp) -> Vec<(String, usize)> {
    let mut bm = app.sign_in("business.manager@example.org").await;
    let mut out = Vec::new();
    for path in pages(app).await {
        out.push((path.clone(), statements_of(&mut bm, &path).await));
    }
    // The audit log, as the administrator reads it.
    let mut admin = app.sign_in("admin@example.org").await;
    out.push(("/audit".into(), statements_of(&mut admin, "/audit").await));
    let mut api = app.api("business.manager@example.org").await;
    out.push(("/api/v1/plan".into(), statements_of(&mut api, "/api/v1/plan").await));
    out
}

/// More of everything the busiest pages show: reviews, recommendations and actions on the plan,
/// restricted reads in the audit log.
async fn grow(app: &TestApp) {
    let ctx = app.core.operator().await.unwrap();
    let southend = PartnershipId(1);
    let police = app.org_id("southend", "Essex Police").await.to_string();
    let cpr = app.body_id("southend", "Child Practice Review").await.to_string();
    for n in 0..12 {
        let review = app.add_review(southend, ("lcspr", "children", &format!("Child Z{n}")), "2025-01-06", &[]).await;
        let rec = app
            .core
            .add_recommendation(
                &ctx,
                review,
                &RecommendationInput {
                    number: "1".into(),
                    text: format!("Recommendation {n}"),
                    scope: "local".into(),
                    body_id: cpr.clone(),
                    theme_id: String::new(),
                },
            )
            .await
            .unwrap();
        add_actions(app, rec, &police, 3).await;
        app.core.review(&ctx, review).await.unwrap();
        let _: ReviewId = review;
    }
    // Ten more risks on the first register, each reviewed, with a control; ten more activities
    // on the strategy's first priority, each updated.
    let register = app.core.risk_registers(&ctx, southend).await.unwrap()[0].register.id;
    let category = app.core.risk_register(&ctx, register).await.unwrap().categories[0].id;
    let review_on = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string();
    for n in 0..10 {
        let input = assure_domain::risks::RiskInput {
            reference: format!("8.{n}"),
            category_id: category.to_string(),
            title: format!("Risk {n}"),
            owner: "Business Manager".into(),
            current_likelihood: "2".into(),
            current_impact: "3".into(),
            target_likelihood: "1".into(),
            target_impact: "1".into(),
            review_on: review_on.clone(),
            ..Default::default()
        };
        let risk = app.core.add_risk(&ctx, register, &input).await.unwrap();
        let rating = assure_domain::risks::RatingInput {
            current_likelihood: "3".into(),
            current_impact: "3".into(),
            reason: "Reviewed".into(),
            review_on: review_on.clone(),
            ..Default::default()
        };
        app.core.rate_risk(&ctx, risk, &rating).await.unwrap();
        let control =
            assure_domain::risks::ControlInput { description: "Reported quarterly".into(), ..Default::default() };
        app.core.add_risk_control(&ctx, risk, &control).await.unwrap();
    }
    let strategy = app.core.strategies(&ctx, southend).await.unwrap()[0].id;
    let priority = app.core.strategy(&ctx, strategy).await.unwrap().rows[0].priority.id;
    for n in 0..10 {
        let input = assure_domain::strategy::ActivityInput {
            title: format!("Activity {n}"),
            quarters: vec!["2022-Q1".into(), "2022-Q2".into()],
            ..Default::default()
        };
        let activity = app.core.add_activity(&ctx, southend, Some(priority), &input).await.unwrap();
        let update = assure_domain::strategy::UpdateInput {
            on: "2022-09-20".into(),
            text: "Reported".into(),
            status: "in_progress".into(),
            rag: "amber".into(),
            ..Default::default()
        };
        app.core.update_activity_progress(&ctx, activity, &update).await.unwrap();
    }
    // Two more years' budgets, and twenty more lines with their quarters on 2019-20's.
    let budget = app.core.budget_of_year(&ctx, southend, 2019).await.unwrap().worked.budget.id;
    for n in 0..20 {
        let line = assure_domain::finance::LineInput {
            side: "expenditure".into(),
            category: "training".into(),
            description: format!("Course {n}"),
            budget: "1,000".into(),
            ..Default::default()
        };
        let line = app.core.add_budget_line(&ctx, budget, &line).await.unwrap();
        for q in 1..=4 {
            let figures = assure_domain::finance::QuarterInput {
                quarter: q.to_string(),
                actual: "250".into(),
                ..Default::default()
            };
            app.core.set_budget_quarter(&ctx, line, &figures).await.unwrap();
        }
    }
    for year in [2020, 2021] {
        let input = assure_domain::finance::BudgetInput { year: year.to_string(), ..Default::default() };
        app.core.create_budget(&ctx, southend, &input).await.unwrap();
    }
    // Ten more entries on the challenge log, each with progress.
    for n in 0..10 {
        let input = assure_domain::challenges::ChallengeInput {
            direction: "challenge".into(),
            raised_on: "2026-01-05".into(),
            raised_by: "The independent chair".into(),
            organisation_id: police.clone(),
            details: format!("Concern {n}"),
            action_agreed: "Report back".into(),
            responsible: "Essex Police".into(),
            ..Default::default()
        };
        let (entry, _) = app.core.raise_challenge(&ctx, southend, &input).await.unwrap();
        let progress = assure_domain::challenges::ProgressInput { on: String::new(), progress: "Reported".into() };
        app.core.add_challenge_progress(&ctx, entry, &progress).await.unwrap();
    }
    // Ten more inspections of the integrated care board, each judged, with a recommendation and
    // its actions.
    let exploitation = app.body_id("southend", "Exploitation and Missing").await.to_string();
    let icb = app.org_id("southend", "Mid and South Essex Integrated Care Board").await.to_string();
    for n in 0..10 {
        let input = assure_domain::inspections::InspectionInput {
            type_code: "cqc_provider".into(),
            title: format!("Provider inspection {n}"),
            organisation_ids: vec![icb.clone()],
            fieldwork_from: "2025-09-01".into(),
            fieldwork_to: "2025-09-12".into(),
            published_on: if n % 2 == 0 { "2026-01-10".into() } else { String::new() },
            ..Default::default()
        };
        let inspection = app.core.record_inspection(&ctx, southend, &input).await.unwrap();
        let judgement = assure_domain::inspections::JudgementInput {
            area: "Effectiveness".into(),
            grade: "Good".into(),
            ..Default::default()
        };
        app.core.add_judgement(&ctx, inspection, &judgement).await.unwrap();
        let rec = RecommendationInput {
            number: "1".into(),
            text: format!("Recommendation {n}"),
            scope: "local".into(),
            body_id: exploitation.clone(),
            theme_id: String::new(),
        };
        let rec = app.core.add_inspection_recommendation(&ctx, inspection, &rec).await.unwrap();
        add_actions(app, rec, &police, 2).await;
    }
    // Ten more pieces of feedback, each acknowledged, and ten "You said, we did" entries.
    for n in 0..10 {
        let input = assure_domain::voice::FeedbackInput {
            giver: "practitioner".into(),
            topic: "training".into(),
            feedback: format!("Feedback {n}"),
            ..Default::default()
        };
        let (id, _) = app.core.give_feedback("southend", &input, Some(format!("192.0.2.{n}")), None).await.unwrap();
        let step = assure_domain::voice::TriageInput { step: "acknowledge".into(), ..Default::default() };
        app.core.triage_feedback(&ctx, id, &step).await.unwrap();
        let entry = assure_domain::voice::SaidDidInput {
            you_said: format!("You said {n}"),
            we_did: format!("We did {n}"),
            done_on: "2026-06-01".into(),
            published: "yes".into(),
            feedback_id: id.to_string(),
        };
        app.core.record_said_did(&ctx, southend, &entry).await.unwrap();
        let answers = vec![("q1".to_owned(), "3".to_owned()), ("q2".to_owned(), "Police".to_owned())];
        app.core.answer_survey("southend", 1, &answers, Some(format!("198.51.100.{n}")), None).await.unwrap();
    }
    // Ten more bulletins of three items each, published.
    for n in 0..10 {
        let item = |k: &str| assure_domain::bulletins::ItemInput {
            kind: k.into(),
            title: format!("Item {n} {k}"),
            body: "Text.".into(),
            link: "https://www.example.org/more".into(),
        };
        let input =
            assure_domain::bulletins::BulletinInput { title: format!("Bulletin {n}"), introduction: String::new() };
        let id = app
            .core
            .create_bulletin_with_items(&ctx, southend, &input, &[item("news"), item("briefing"), item("link")])
            .await
            .unwrap();
        app.core.publish_bulletin(&ctx, id).await.unwrap();
    }
    // Two more quarters of LADO figures and a year of annual report contributions, asked of
    // every organisation and answered by each.
    let today = chrono::Utc::now().date_naive();
    let (orgs, _) = app.core.organisations(&ctx, southend, false, assure_core::structure::Page::ALL).await.unwrap();
    let ids: Vec<String> = orgs.iter().map(|o| o.id.to_string()).collect();
    for (template, period) in [("lado", "2031-32 Q1"), ("lado", "2031-32 Q2"), ("annual_report", "2031-32")] {
        let ask = assure_core::intelligence::returns::ReturnRequest {
            template,
            period,
            due_on: &(today + chrono::Days::new(30)).to_string(),
            organisation_ids: &ids,
        };
        app.core.request_returns(&ctx, southend, &ask).await.unwrap();
    }
    for (r, _) in app.core.data_returns(&ctx, southend).await.unwrap() {
        if !r.period.starts_with("2031-32") {
            continue;
        }
        // Every field answered as its type asks (0 for every figure, so breakdowns add up).
        let template = app.core.data_return(&ctx, r.id).await.unwrap().template;
        let values: Vec<(String, String)> = template
            .fields
            .iter()
            .map(|f| {
                let answer = match f.kind {
                    assure_domain::intelligence::returns::FieldKind::Pick => f.choices[0].clone(),
                    assure_domain::intelligence::returns::FieldKind::Text => "Joint work.".into(),
                    _ => "0".into(),
                };
                (f.id.clone(), answer)
            })
            .collect();
        let input = assure_core::intelligence::returns::ReturnInput {
            values: &values,
            provisional: false,
            footnote: "",
            submit: true,
            source: "form",
        };
        app.core.save_data_return(&ctx, r.id, &input).await.unwrap();
    }
    // Two more campaigns, each to every organisation of the partnership.
    let s11 = app.core.frameworks(&ctx, None).await.unwrap().into_iter().find(|f| f.code == "section11").unwrap().id;
    for n in 0..2 {
        app.core
            .create_campaign(
                &ctx,
                southend,
                &assure_core::audits::CampaignInput {
                    title: format!("Section 11 round {n}"),
                    framework_id: s11.to_string(),
                    opens_on: today.to_string(),
                    closes_on: (today + chrono::Days::new(30)).to_string(),
                    organisation_ids: orgs.iter().map(|o| o.id.to_string()).collect(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
}

async fn add_actions(app: &TestApp, rec: RecommendationId, organisation: &str, n: usize) {
    let ctx = app.core.operator().await.unwrap();
    for k in 0..n {
        let input = ActionInput {
            action: format!("Action {k}"),
            organisation_id: organisation.into(),
            owner: "Detective Inspector".into(),
            owner_email: String::new(),
            target_on: "2030-03-31".into(),
        };
        app.core.add_action(&ctx, rec, &input).await.unwrap();
    }
}

async fn for_backend(backend: Backend) {
    let app = TestApp::new(backend).await;
    let before = counts(&app).await;
    grow(&app).await;
    let after = counts(&app).await;
    for ((path, a), (_, b)) in before.iter().zip(&after) {
        println!("{backend:?} {path}: {a} statements, {b} after the data grew");
    }
    let grew: Vec<_> = before.iter().zip(&after).filter(|((_, a), (_, b))| b > a).collect();
    assert!(grew.is_empty(), "statements grew with the data (a query in a loop): {grew:?}");
    app.finish().await;
}

#[tokio::test]
async fn no_busy_page_runs_more_statements_as_the_data_grows() {
    let subscriber = tracing_subscriber::registry()
        .with(Counter)
        .with(tracing_subscriber::filter::Targets::new().with_target("sqlx::query", tracing::Level::TRACE));
    tracing::subscriber::set_global_default(subscriber).unwrap();
    for_backend(Backend::Sqlite).await;
    for_backend(Backend::Postgres).await;
}
