//! Every route × every kind of caller, asserting the exact status. The callers are the fields
//! of [`Expect`]: anonymous, viewer, agency lead (Essex Police), body member (Child Practice
//! Review), scrutineer, business unit, administrator, and Essex's business manager (the right
//! role in the wrong partnership for every Southend record).
//!
//! Each capability keeps its rows in its own module beside this file, and joins the matrix with
//! one line in [`CAPABILITIES`].
//!
//! 404 means "you may not know this exists"; 403 means "you can see it but not change it".

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod audit_log;
mod audits;
mod bulletins;
mod challenges;
mod finance;
mod inspections;
mod intelligence;
mod learning;
mod meetings;
mod reports;
mod reviews;
mod risks;
mod strategy;
mod structure;
mod training;
mod voice;

use assure_domain::{ActionId, ReviewId};
use axum::http::Method;
use serde_json::json;
use support::{Client, TestApp};

const CALLERS: [&str; 8] = [
    "",
    "viewer@example.org",
    "police.lead@example.org",
    "cpr.member@example.org",
    "scrutineer@example.org",
    "business.manager@example.org",
    "admin@example.org",
    "essex.manager@example.org",
];

struct Ids {
    police: i64,
    council: i64,
    probation: i64,
    fire: i64,
    board: i64,
    executive: i64,
    cpr: i64,
    task: i64,
    reviewer: i64,
    pat: i64,
    kit: i64,
    toni: i64,
    pat_user: i64,
    board_memberships: Vec<i64>,
    cpr_membership: i64,
    child_h: i64,
    child_j: i64,
    sar_d: i64,
    k_request: i64,
    child_k: i64,
    sar_a: i64,
    police_action: i64,
    other_action: i64,
    recommendation: i64,
    evidence: i64,
    file: i64,
    campaign: i64,
    police_return: i64,
    council_return: i64,
    school_return: i64,
    link_to_revoke: i64,
    link_token: String,
    theme: i64,
    /// The demo partnership's own framework (for community groups).
    own_framework: i64,
    /// The children's board's last meeting held, and the (restricted) Child Practice Review's next.
    board_meeting: i64,
    panel_meeting: i64,
    /// An item of the board's next meeting whose papers the police lead provides.
    police_item: i64,
    /// The last meeting's papers (published): one of an open item, one of a restricted item.
    paper: i64,
    restricted_paper: i64,
    /// The cancelled meeting, and its one item.
    cancelled_meeting: i64,
    cancelled_item: i64,
    /// Two standing items of the board's business cycle, to be removed (through the pages, and
    /// through the API).
    standing: [i64; 2],
    /// The last meeting's action owned by the police lead.
    police_meeting_action: i64,
    /// The adults' risk register, one of its categories, and a risk on it the police lead owns.
    risk_register: i64,
    risk_category: i64,
    police_risk: i64,
    /// The demo's strategy, its first priority, an activity of it (led by the executive), and an
    /// activity on the (restricted) Child Practice Review's work plan.
    strategy: i64,
    priority: i64,
    open_activity: i64,
    restricted_activity: i64,
    /// The demo's 2019-20 budget, its first expenditure line, another (removed through the API)
    /// and a partner's contribution.
    budget: i64,
    budget_line: i64,
    budget_line_to_remove: i64,
    budget_contribution: i64,
    /// The demo's lunch and learn of this year, and its session held seven weeks ago.
    training_event: i64,
    training_session: i64,
    /// This year's challenge to the police, and the youth justice service's escalation.
    police_challenge: i64,
    other_challenge: i64,
    /// HMIC's published inspection of the police, and the CQC's review of health services not yet
    /// published.
    inspection: i64,
    unpublished_inspection: i64,
    /// Feedback passed on to the police, feedback not passed on, and Southend's published "You
    /// said, we did" entry.
    police_feedback: i64,
    other_feedback: i64,
    said_did: i64,
    /// The demo's survey after the lunch and learn.
    survey: i64,
    /// Southend's published bulletin, its draft, and the published one's item with a link.
    published_bulletin: i64,
    draft_bulletin: i64,
    bulletin_item: i64,
    /// Southend's adults' yearly report of 2022/23.
    report: i64,
    /// The scrutineer's comment on it.
    report_comment: i64,
    /// The scrutineer's own report, and its recommendation the partners have responded to.
    scrutiny_report: i64,
    responded_recommendation: i64,
}

async fn ids(app: &TestApp) -> Ids {
    let ctx = app.core.operator().await.unwrap();
    let board = app.body_id("southend", "SSP Children's Board (SSPC)").await;
    let detail = app.core.body(&ctx, assure_domain::BodyId(board)).await.unwrap();
    let police_action = app.action_id("Brief every response officer").await;
    let police = app.core.action_detail(&ctx, ActionId(police_action)).await.unwrap();
    let southend = app.core.my_partnerships(&ctx).await.unwrap().into_iter().find(|p| p.slug == "southend").unwrap().id;
    let campaign = app.core.campaigns(&ctx, southend).await.unwrap()[0].0.id;
    let returns = app.core.campaign(&ctx, campaign).await.unwrap().assessments;
    // Southend's own return: the joint campaign also went to Essex's Essex Police, and returns
    // come in the order of their organisations' names, which two of the same name share.
    let return_of = |name: &str| {
        returns.iter().find(|a| a.organisation_name == name && a.organisation_partnership == southend).unwrap().id
    };
    let council_return = return_of("Southend City Council");
    let schools = app.core.campaigns(&ctx, southend).await.unwrap();
    let schools = schools.iter().find(|(c, _)| c.framework_code == "s175").unwrap().0.id;
    let school_return = app.core.campaign(&ctx, schools).await.unwrap().assessments[0].id;
    let (link_to_revoke, _) = app.core.create_respondent_link(&ctx, council_return).await.unwrap();
    let (_, link_token) = app.core.create_respondent_link(&ctx, council_return).await.unwrap();
    let theme = app.core.themes(&ctx, southend).await.unwrap()[0].id;
    let own_framework = app.core.frameworks(&ctx, None).await.unwrap().into_iter().find(|f| f.code == "community");
    let today = chrono::Utc::now().date_naive();
    let (_, held, _) = app.core.meetings_of_body(&ctx, assure_domain::BodyId(board)).await.unwrap();
    let board_meeting = held.iter().rev().find(|m| m.held_on <= today && m.cancelled_reason.is_none()).unwrap().id.0;
    let cpr = app.body_id("southend", "Child Practice Review").await;
    let panel_meeting = app.core.meetings_of_body(&ctx, assure_domain::BodyId(cpr)).await.unwrap().1[0].id.0;
    let next = held.iter().find(|m| m.held_on > today && m.cancelled_reason.is_none()).unwrap().id;
    let next = app.core.meeting(&ctx, next).await.unwrap();
    let police_item = next.agenda.items.iter().find(|v| v.item.owner_email.is_some()).unwrap().item.id.0;
    let last = app.core.meeting(&ctx, assure_domain::MeetingId(board_meeting)).await.unwrap();
    let paper_of = |restricted: bool| {
        last.agenda.items.iter().find(|v| v.item.restricted == restricted && !v.papers.is_empty()).unwrap().papers[0]
            .id
            .0
    };
    let cancelled = held.iter().find(|m| m.cancelled_reason.is_some()).unwrap().id;
    let cancelled_item = app.core.meeting(&ctx, cancelled).await.unwrap().agenda.items[0].item.id.0;
    let mut standing = [0; 2];
    for (i, title) in ["Matrix: through the pages", "Matrix: through the API"].into_iter().enumerate() {
        let input = assure_domain::meetings::agenda::StandingItemInput {
            title: title.into(),
            purpose: "information".into(),
            months: vec!["1".into()],
            ..Default::default()
        };
        standing[i] = app.core.add_standing_item(&ctx, assure_domain::BodyId(board), &input).await.unwrap();
    }
    let record = app.core.minutes(&ctx, assure_domain::MeetingId(board_meeting)).await.unwrap();
    let police_meeting_action = record
        .items
        .iter()
        .flat_map(|r| r.actions.iter())
        .find(|a| a.owner_email == "police.lead@example.org")
        .unwrap()
        .id;
    let registers = app.core.risk_registers(&ctx, southend).await.unwrap();
    let register = registers.iter().find(|r| r.register.name == "Adults' risk register").unwrap().register.id;
    let view = app.core.risk_register(&ctx, register).await.unwrap();
    let risk_category = view.categories[0].id;
    let input = assure_domain::risks::RiskInput {
        reference: "9.9".into(),
        category_id: risk_category.to_string(),
        title: "Police attendance at strategy discussions falls".into(),
        owner: "Essex Police safeguarding lead".into(),
        owner_email: "police.lead@example.org".into(),
        current_likelihood: "2".into(),
        current_impact: "2".into(),
        review_on: (today + chrono::Days::new(30)).to_string(),
        ..Default::default()
    };
    let police_risk = app.core.add_risk(&ctx, register, &input).await.unwrap().0;
    let strategy = app.core.strategies(&ctx, southend).await.unwrap()[0].id;
    let view = app.core.strategy(&ctx, strategy).await.unwrap();
    let priority = view.rows[0].priority.id;
    let open_activity = view.rows[2].activities[0].id;
    let now = assure_domain::strategy::Quarter::of(today);
    let input = assure_domain::strategy::ActivityInput {
        title: "Publish the review's learning briefing".into(),
        quarters: vec![now.code()],
        body_id: app.body_id("southend", "Child Practice Review").await.to_string(),
        ..Default::default()
    };
    let restricted_activity = app.core.add_activity(&ctx, southend, None, &input).await.unwrap();
    let budget = app.core.budget_of_year(&ctx, southend, 2019).await.unwrap();
    let mut spend = budget.worked.expenditure.iter().flat_map(|g| &g.lines).map(|l| l.line.id.0);
    let (budget_line, budget_line_to_remove) = (spend.next().unwrap(), spend.next().unwrap());
    let budget_contribution = budget.worked.contributions[0].line.id.0;
    let programme = app.core.training(&ctx, southend).await.unwrap();
    let (event, sessions) =
        programme.events.iter().find(|(e, _)| e.title == "Professional curiosity: lunch and learn").unwrap();
    let (training_event, training_session) = (event.id, sessions[0].id);
    let budget = budget.worked.budget.id.0;
    let log = app.core.challenges(&ctx, southend, assure_core::challenges::Filter::default()).await.unwrap();
    let open_of = |agency: &str| {
        log.entries
            .iter()
            .find(|e| {
                e.challenge.organisation == agency && e.challenge.status == assure_domain::challenges::Status::Open
            })
            .unwrap()
            .challenge
            .id
    };
    let (police_challenge, other_challenge) = (open_of("Essex Police"), open_of("Southend Youth Justice Service"));
    let inspections = app.core.inspections(&ctx, southend, None).await.unwrap();
    let inspection_of =
        |starts: &str| inspections.items.iter().find(|l| l.inspection.title.starts_with(starts)).unwrap().inspection.id;
    let (inspection, unpublished_inspection) =
        (inspection_of("Essex Police: national child protection"), inspection_of("Review of health services"));
    let inbox = app.core.feedback_inbox(&ctx, southend).await.unwrap();
    let police_feedback = inbox.items.iter().find(|f| f.routed_to.as_deref() == Some("Essex Police")).unwrap().id;
    let other_feedback = inbox.items.iter().find(|f| f.organisation_id.is_none()).unwrap().id;
    let said_did = app.core.said_did_list(&ctx, southend).await.unwrap().entries[0].id;
    let survey = app.core.surveys(&ctx, southend).await.unwrap().surveys[0].0.id;
    let bulletins = app.core.bulletins(&ctx, southend).await.unwrap().bulletins;
    let bulletin_of = |published: bool| bulletins.iter().find(|b| b.number.is_some() == published).unwrap().id;
    let (published_bulletin, draft_bulletin) = (bulletin_of(true), bulletin_of(false));
    let bulletin_item =
        app.core.bulletin(&ctx, published_bulletin).await.unwrap().items.iter().find(|i| i.link.is_some()).unwrap().id;
    let report = app
        .core
        .reports(&ctx, southend)
        .await
        .unwrap()
        .reports
        .iter()
        .find(|r| r.kind == assure_domain::reports::ReportKind::Adults)
        .unwrap()
        .id;
    let report_comment = app.core.report(&ctx, report).await.unwrap().comments[0].id;
    let scrutiny_report = app
        .core
        .reports(&ctx, southend)
        .await
        .unwrap()
        .reports
        .iter()
        .find(|r| r.kind == assure_domain::reports::ReportKind::Scrutiny)
        .unwrap()
        .id;
    let responded_recommendation = app
        .core
        .report_scrutiny(&ctx, scrutiny_report)
        .await
        .unwrap()
        .recommendations
        .iter()
        .find(|r| r.response.is_some())
        .unwrap()
        .id;
    Ids {
        report,
        report_comment,
        scrutiny_report,
        responded_recommendation,
        survey,
        published_bulletin,
        draft_bulletin,
        bulletin_item,
        police_feedback,
        other_feedback,
        said_did,
        inspection,
        unpublished_inspection,
        police_challenge,
        other_challenge,
        strategy,
        priority,
        open_activity,
        restricted_activity,
        budget,
        budget_line,
        budget_line_to_remove,
        budget_contribution,
        training_event,
        training_session,
        risk_register: register.0,
        risk_category,
        police_risk,
        police_meeting_action,
        standing,
        police_item,
        paper: paper_of(false),
        restricted_paper: paper_of(true),
        cancelled_meeting: cancelled.0,
        cancelled_item,
        board_meeting,
        panel_meeting,
        own_framework: own_framework.unwrap().id.0,
        theme,
        school_return: school_return.0,
        link_to_revoke: link_to_revoke.0,
        link_token,
        campaign: campaign.0,
        police_return: return_of("Essex Police").0,
        council_return: return_of("Southend City Council").0,
        police: app.org_id("southend", "Essex Police").await,
        council: app.org_id("southend", "Southend City Council").await,
        probation: app.org_id("southend", "Probation Service (Essex)").await,
        fire: app.org_id("southend", "Essex County Fire and Rescue Service").await,
        board,
        executive: app.body_id("southend", "SSP Executive").await,
        cpr: app.body_id("southend", "Child Practice Review").await,
        task: app.body_id("southend", "Neglect Strategy Task and Finish Group").await,
        reviewer: app.person_id("Jules Carver").await,
        pat: app.person_id("Pat Constable").await,
        kit: app.person_id("Kit Morrow").await,
        toni: app.person_id("Toni Baird").await,
        pat_user: app.core.user_by_email("police.lead@example.org").await.unwrap().id.0,
        board_memberships: detail.members.iter().map(|m| m.id.0).collect(),
        cpr_membership: app
            .core
            .body(&ctx, assure_domain::BodyId(app.body_id("southend", "Child Practice Review").await))
            .await
            .unwrap()
            .members[0]
            .id
            .0,
        child_h: app.review_id("Child H").await,
        child_j: app.review_id("Child J").await,
        sar_d: app.review_id("SAR D").await,
        k_request: (app.core.review(&ctx, ReviewId(app.review_id("Child K").await)).await.unwrap().requests[0].0.id).0,
        child_k: app.review_id("Child K").await,
        sar_a: app.review_id("SAR A").await,
        police_action,
        other_action: app.action_id("Add adultification to the return-home").await,
        recommendation: police.recommendation.id.0,
        evidence: police.evidence[0].id.0,
        file: police.evidence[0].files[0].id.0,
    }
}

enum Call {
    Get(String),
    Form(String, Vec<(String, String)>),
    Api(Method, String, Option<serde_json::Value>),
    /// A multipart form (a file upload) with these text fields and no file.
    Upload(String, Vec<(String, String)>),
    /// A form posted through a respondent link (a multipart one if `upload`), with the token
    /// its page gave: (the link's page, where the form posts, fields, upload).
    Link(String, String, Vec<(String, String)>, bool),
}

fn link(page: String, path: String, fields: &[(&str, String)], upload: bool) -> Call {
    Call::Link(page, path, fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(), upload)
}

fn upload(path: impl Into<String>, fields: &[(&str, String)]) -> Call {
    Call::Upload(path.into(), fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
}

fn get(path: impl Into<String>) -> Call {
    Call::Get(path.into())
}

fn form(path: impl Into<String>, fields: &[(&str, String)]) -> Call {
    Call::Form(path.into(), fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
}

fn api(method: Method, path: impl Into<String>, body: Option<serde_json::Value>) -> Call {
    Call::Api(method, format!("/api/v1{}", path.into()), body)
}

async fn call(client: &mut Client<'_>, call: &Call) -> u16 {
    match call {
        Call::Get(path) => client.get(path).await.status.as_u16(),
        Call::Form(path, fields) => {
            let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            client.post(path, &borrowed).await.status.as_u16()
        }
        Call::Upload(path, fields) => {
            let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            client.post_multipart(path, &borrowed, &[]).await.status.as_u16()
        }
        Call::Link(page, path, fields, upload) => {
            let token = client.get(page).await.attr("input[name=csrf_token]", "value");
            let own = std::mem::replace(&mut client.csrf, token);
            let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let status = if *upload {
                client.post_multipart(path, &borrowed, &[]).await.status.as_u16()
            } else {
                client.post(path, &borrowed).await.status.as_u16()
            };
            client.csrf = own;
            status
        }
        Call::Api(method, path, body) => match body {
            Some(b) => client.json(method.clone(), path, b.clone()).await.status.as_u16(),
            None => client.request(method.clone(), path, None, String::new()).await.status.as_u16(),
        },
    }
}

/// Every caller's expected status for one call, one field per caller.
#[derive(Clone, Copy)]
struct Expect {
    anonymous: u16,
    viewer: u16,
    agency_lead: u16,
    member: u16,
    scrutineer: u16,
    business_unit: u16,
    administrator: u16,
    other_partnership: u16,
}

impl Expect {
    /// The status expected of the caller signed in as `CALLERS[index]`.
    fn of(&self, index: usize) -> u16 {
        [
            self.anonymous,
            self.viewer,
            self.agency_lead,
            self.member,
            self.scrutineer,
            self.business_unit,
            self.administrator,
            self.other_partnership,
        ][index]
    }
}

/// One row of the matrix: a named call and what each caller gets.
struct Row {
    name: &'static str,
    call: Call,
    expect: Expect,
    /// The call shows a restricted record whenever it answers 200, on whichever channel: each
    /// such answer must have written a `read` entry to the audit log, with the request's id.
    restricted_read: bool,
}

impl Row {
    fn new(name: &'static str, call: Call, expect: Expect) -> Self {
        Self { name, call, expect, restricted_read: false }
    }

    /// A row whose 200 shows a restricted record, so must log the read.
    fn restricted(name: &'static str, call: Call, expect: Expect) -> Self {
        Self { name, call, expect, restricted_read: true }
    }
}

fn s(v: i64) -> String {
    v.to_string()
}

fn date() -> String {
    "2024-03-31".to_owned()
}

/// One capability's part of the matrix.
struct Capability {
    /// Its rows: `n` makes names unique per caller so that creates do not collide.
    rows: fn(&Ids, usize) -> Vec<Row>,
    /// The API operations its rows cover, as (method, path template).
    api: &'static [(&'static str, &'static str)],
}

/// Each capability's rows and the API operations they cover, one line per capability, run in
/// this order (a later capability's rows may rely on an earlier one's writes).
const CAPABILITIES: &[Capability] = &[
    Capability { rows: structure::rows, api: structure::API },
    Capability { rows: accounts::rows, api: accounts::API },
    Capability { rows: reviews::rows, api: reviews::API },
    Capability { rows: learning::rows, api: learning::API },
    Capability { rows: meetings::rows, api: meetings::API },
    Capability { rows: risks::rows, api: risks::API },
    Capability { rows: strategy::rows, api: strategy::API },
    Capability { rows: finance::rows, api: finance::API },
    Capability { rows: training::rows, api: training::API },
    Capability { rows: challenges::rows, api: challenges::API },
    Capability { rows: inspections::rows, api: inspections::API },
    Capability { rows: voice::rows, api: voice::API },
    Capability { rows: bulletins::rows, api: bulletins::API },
    Capability { rows: reports::rows, api: reports::API },
    Capability { rows: audits::rows, api: audits::API },
    Capability { rows: intelligence::rows, api: intelligence::API },
    Capability { rows: audit_log::rows, api: audit_log::API },
];

fn rows(ids: &Ids, n: usize) -> Vec<Row> {
    CAPABILITIES.iter().flat_map(|c| (c.rows)(ids, n)).collect()
}

async fn matrix(app: &TestApp) {
    let ids = ids(app).await;
    let mut failures = Vec::new();
    let mut names: Vec<&str> = rows(&ids, 0).iter().map(|r| r.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "two rows share a name");
    for (col, email) in CALLERS.iter().enumerate() {
        let mut page_client = if email.is_empty() { app.anonymous() } else { app.sign_in(email).await };
        let mut api_client = if email.is_empty() { app.anonymous() } else { app.api(email).await };
        for (i, row) in rows(&ids, col).into_iter().enumerate() {
            let client = if matches!(row.call, Call::Api(..)) { &mut api_client } else { &mut page_client };
            let request_id = format!("matrix-{col}-{i}");
            client.request_id = Some(request_id.clone());
            let got = call(client, &row.call).await;
            client.request_id = None;
            let who = if email.is_empty() { "anonymous" } else { email };
            let expected = row.expect.of(col);
            if got != expected {
                failures.push(format!("{} as {who}: expected {expected}, got {got}", row.name));
            }
            if got == 200 && row.restricted_read && !app.read_logged(&request_id).await {
                failures.push(format!("{} as {who}: answered 200 without logging the read", row.name));
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_matrix_covers_every_api_operation_in_the_openapi_document() {
    let doc = serde_json::to_value(assure_web::openapi()).unwrap();
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    documented.sort();
    let mut covered: Vec<(String, String)> =
        CAPABILITIES.iter().flat_map(|c| c.api.iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))).collect();
    covered.sort();
    assert_eq!(documented, covered);
}

on_both!(matrix);
