//! Audit campaigns at the size of a county's schools: `cargo bench -p assure_web --bench audits`.
//!
//! Loads the demo into a SQLite file, adds 500 organisations, times launching a Section 11
//! campaign to all 500 (one return each, with last cycle's answers carried forward for half of
//! them), fills and submits every return, then times the analysis page (the heat map of 500
//! organisations by 8 standards) through the whole HTTP stack. Prints median and slowest
//! times, peak memory and the ratio to the budgets (5 s to launch, 200 ms a page).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod support;

use std::time::{Duration, Instant};

use assure_core::audits::CampaignInput;
use assure_core::{Core, Settings};
use assure_domain::audits::assessment::AnswerInput;
use assure_domain::audits::framework::AnswerType;
use assure_domain::structure::{NewOrganisation, OrganisationKind, Sector};
use assure_store::Store;
use assure_web::{AppState, WebConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let core = Core::new(store.clone(), Settings::default());
    core.load_demo(PASSWORD).await.unwrap();
    let ctx = core.operator().await.unwrap();
    let southend = core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let mut tx = store.write().await.unwrap();
    let mut orgs = Vec::new();
    for i in 0..500 {
        let new = NewOrganisation {
            name: format!("School {i:03} (fictional)"),
            kind: OrganisationKind::School,
            sector: Sector::Education,
            parent_id: None,
        };
        orgs.push(assure_store::structure::insert_organisation(&mut tx, southend, &new).await.unwrap().0.to_string());
    }
    tx.commit().await.unwrap();
    let s11 = core.frameworks(&ctx, None).await.unwrap().into_iter().find(|f| f.code == "section11").unwrap().id;
    let (_, framework) = core.framework(&ctx, s11).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let input = |title: &str, recipients: Vec<String>| CampaignInput {
        title: title.into(),
        framework_id: s11.to_string(),
        opens_on: today.to_string(),
        closes_on: (today + chrono::Days::new(30)).to_string(),
        organisation_ids: recipients,
        ..CampaignInput::default()
    };
    let answers = |score: &str| -> Vec<AnswerInput> {
        framework
            .nodes
            .iter()
            .filter_map(|n| {
                let mut answer = AnswerInput { question: n.id.clone(), ..AnswerInput::default() };
                match n.answer? {
                    AnswerType::Score => answer.score = score.to_owned(),
                    AnswerType::Number | AnswerType::Percent => answer.value = "90".into(),
                    AnswerType::YesNoPartly => answer.value = "yes".into(),
                    _ => answer.value = "Policy on the intranet".into(),
                }
                Some(answer)
            })
            .collect()
    };

    // Last cycle, for half the schools: their answers carry forward.
    let previous = core.create_campaign(&ctx, southend, &input("Last cycle", orgs[..250].to_vec())).await.unwrap();
    for a in core.campaign(&ctx, previous).await.unwrap().assessments {
        core.save_answers(&ctx, a.id, &answers("3")).await.unwrap();
    }

    let started = Instant::now();
    let campaign = core.create_campaign(&ctx, southend, &input("This cycle", orgs.clone())).await.unwrap();
    let launch = started.elapsed();
    let returns = core.campaign(&ctx, campaign).await.unwrap().assessments;
    let started = Instant::now();
    for (i, a) in returns.iter().enumerate() {
        core.save_answers(&ctx, a.id, &answers(["1", "2", "3", "4"][i % 4])).await.unwrap();
        core.step_assessment(&ctx, a.id, "submit", "").await.unwrap();
    }
    let filling = started.elapsed();

    let state = AppState::new(core.clone(), WebConfig { secure_cookies: false, ..WebConfig::default() });
    let router = assure_web::router(state);
    let session = support::sign_in(&router, "business.manager@example.org", PASSWORD).await;

    println!(
        "launch a campaign to 500 organisations (250 carrying answers forward): {:.0} ms ({:.2}x the 5 s budget)",
        launch.as_secs_f64() * 1000.0,
        launch.as_secs_f64() / 5.0
    );
    println!(
        "answer and submit 500 returns of 15 questions: {:.1} s ({:.1} ms a return)",
        filling.as_secs_f64(),
        filling.as_secs_f64() * 1000.0 / 500.0
    );
    println!("{:<40} {:>9} {:>9} {:>8}", "page (500 returned)", "median", "slowest", "budget");
    for path in [
        format!("/campaigns/{campaign}"),
        format!("/campaigns/{campaign}/analysis"),
        format!("/campaigns/{campaign}/returns.xlsx"),
    ] {
        let mut times: Vec<Duration> = Vec::new();
        let mut size = 0;
        for _ in 0..10 {
            let t = Instant::now();
            let res = router
                .clone()
                .oneshot(Request::get(&path).header(header::COOKIE, &session).body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            size = res.into_body().collect().await.unwrap().to_bytes().len();
            times.push(t.elapsed());
        }
        times.sort();
        let budget = if path.ends_with(".xlsx") { 2000.0 } else { 200.0 };
        let median = times[times.len() / 2].as_secs_f64() * 1000.0;
        println!(
            "{:<40} {:>7.1}ms {:>7.1}ms {:>7.2}x   ({size} bytes)",
            path,
            median,
            times[times.len() - 1].as_secs_f64() * 1000.0,
            median / budget
        );
    }
    println!("peak memory: {:.1} MiB", support::peak_memory_kib() as f64 / 1024.0);
}
