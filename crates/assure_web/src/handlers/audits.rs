//! Audit campaigns: launch one, follow its progress, and answer, submit, challenge and close
//! each organisation's return.

use askama::Template;
use assure_core::CoreError;
use assure_core::audits::{AssessmentView, CampaignInput, CampaignView, Progress};
use assure_domain::assessment::AssessmentState;
use assure_domain::authz::ResourceKind;
use assure_domain::framework::{AnswerType, NodeKind};
use assure_domain::structure::Choice as _;
use assure_domain::{Action, FieldErrors, Target, can};
use assure_store::campaigns::Campaign;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use super::{Opt, done, path_id, render, render_invalid};
use crate::AppState;
use crate::error::PageError;
use crate::extract::{ClientInfo, CsrfForm, Nonce, Page};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list).post(create))
        .route("/campaigns/new", get(new))
        .route("/campaigns/{id}", get(show))
        .route("/campaigns/{id}/analysis", get(analysis))
        .route("/campaigns/{id}/findings", post(add_finding))
        .route("/campaigns/{id}/actions", post(add_action))
        .route("/campaigns/{id}/returns.xlsx", get(export))
        .route("/assessments/{id}", get(assessment))
        .route("/assessments/{id}/answers", post(answers))
        .route("/assessments/{id}/steps", post(step))
        .route("/assessments/{id}/lock", post(lock))
        .route("/assessments/{id}/links", post(make_link))
        .route("/assessments/{id}/return.pdf", get(return_pdf))
        .route("/links/{id}/revoke", post(revoke_link))
        .route("/respond/{token}", get(respond))
        .route("/respond/{token}/answers", post(respond_answers))
        .route("/respond/{token}/steps", post(respond_step))
}

pub fn state_class(s: &AssessmentState) -> &'static str {
    match s {
        AssessmentState::Draft => "govuk-tag--grey",
        AssessmentState::Submitted | AssessmentState::Resubmitted => "govuk-tag--blue",
        AssessmentState::ChangesRequested => "govuk-tag--yellow",
        AssessmentState::Closed => "govuk-tag--green",
    }
}

#[derive(Template)]
#[template(path = "audits/list.html")]
struct ListPage {
    layout: Layout,
    campaigns: Vec<(Campaign, Progress)>,
    can_create: bool,
}

async fn list(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let campaigns = state.core.campaigns(&page.ctx, page.partnership).await?;
    let can_create = can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::Campaign, page.partnership));
    page.layout.page("Audit campaigns", "/campaigns", &[]);
    render(&ListPage { layout: page.layout, campaigns, can_create })
}

#[derive(Template)]
#[template(path = "audits/new.html")]
struct NewPage {
    layout: Layout,
    errors: FieldErrors,
    input: CampaignInput,
    frameworks: Vec<Opt>,
    organisations: Vec<(i64, String, bool)>,
}

async fn new_page(
    state: &AppState,
    mut page: Page,
    errors: FieldErrors,
    input: CampaignInput,
) -> Result<NewPage, PageError> {
    page.ctx.authorize(Action::Create, &Target::new(ResourceKind::Campaign, page.partnership))?;
    let mut frameworks = vec![Opt::new("", "Select the framework")];
    frameworks.extend(
        state
            .core
            .frameworks()
            .await?
            .into_iter()
            .map(|f| Opt::new(f.id, format!("{} (version {})", f.title, f.version))),
    );
    let (orgs, _) =
        state.core.organisations(&page.ctx, page.partnership, false, assure_store::structure::Page::ALL).await?;
    let organisations =
        orgs.into_iter().map(|o| (o.id.0, o.name, input.organisation_ids.contains(&o.id.0.to_string()))).collect();
    page.layout.page("Launch an audit campaign", "/campaigns", &[("Audit campaigns", "/campaigns")]);
    Ok(NewPage { layout: page.layout, errors, input, frameworks, organisations })
}

async fn new(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&new_page(&state, page, FieldErrors::new(), CampaignInput::default()).await?)
}

fn campaign_input(form: &[(String, String)]) -> CampaignInput {
    CampaignInput {
        title: field(form, "title"),
        framework_id: field(form, "framework_id"),
        opens_on: field(form, "opens_on"),
        closes_on: field(form, "closes_on"),
        organisation_ids: form.iter().filter(|(k, _)| k == "organisation_ids").map(|(_, v)| v.clone()).collect(),
    }
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = campaign_input(&form);
    match state.core.create_campaign(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/campaigns/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&new_page(&state, page, errors, input).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "audits/show.html")]
struct ShowPage {
    layout: Layout,
    v: CampaignView,
    /// Which returns this actor may open.
    can_open: Vec<i64>,
    /// This actor may see every return's scores side by side.
    can_analyse: bool,
    findings: Vec<assure_core::learning::RecommendationItem>,
    errors: FieldErrors,
    rec: assure_domain::learning::RecommendationInput,
    act: assure_domain::learning::ActionInput,
    act_recommendation: String,
    scopes: Vec<Opt>,
    bodies: Vec<Opt>,
    themes: Vec<Opt>,
    organisations: Vec<Opt>,
    recommendation_options: Vec<Opt>,
}

/// What the findings forms sent, to show again with their errors.
#[derive(Default)]
struct FindingForms {
    rec: assure_domain::learning::RecommendationInput,
    act: assure_domain::learning::ActionInput,
    act_recommendation: String,
}

/// One cell of the heat map as drawn.
pub struct Cell {
    pub x: u32,
    pub y: u32,
    pub fill: &'static str,
    pub ink: &'static str,
    pub label: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "audits/analysis.html")]
struct AnalysisPage {
    layout: Layout,
    a: assure_core::audits::Analysis,
    cells: Vec<Cell>,
    width: u32,
    height: u32,
    columns: Vec<(u32, String)>,
    row_labels: Vec<(u32, String)>,
}

/// GOV.UK colours by the names frameworks use.
fn colour(name: &str) -> (&'static str, &'static str) {
    match name {
        "red" => ("#d4351c", "#ffffff"),
        "orange" => ("#f47738", "#0b0c0c"),
        "yellow" => ("#ffdd00", "#0b0c0c"),
        "green" => ("#00703c", "#ffffff"),
        "blue" => ("#1d70b8", "#ffffff"),
        "purple" => ("#4c2c92", "#ffffff"),
        _ => ("#b1b4b6", "#0b0c0c"),
    }
}

const LABEL_WIDTH: u32 = 300;
const CELL_WIDTH: u32 = 56;
const CELL_HEIGHT: u32 = 30;

async fn analysis(
    State(state): State<AppState>,
    mut page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let a = state.core.campaign_analysis(&page.ctx, path_id(&id)?).await?;
    let levels = &a.framework.scheme.levels;
    let mut cells = Vec::new();
    for (r, (org, scores)) in a.rows.iter().enumerate() {
        for (c, score) in scores.iter().enumerate() {
            let (fill, ink, label) = match score {
                Some(s) => {
                    // The level the score rounds to gives the colour.
                    let level =
                        levels.iter().min_by(|x, y| (x.value as f64 - s).abs().total_cmp(&(y.value as f64 - s).abs()));
                    let (fill, ink) = colour(level.map(|l| l.colour.as_str()).unwrap_or("grey"));
                    (fill, ink, format!("{s:.1}"))
                }
                None => ("#f3f2f1", "#0b0c0c", "none".to_owned()),
            };
            cells.push(Cell {
                x: LABEL_WIDTH + c as u32 * CELL_WIDTH,
                y: CELL_HEIGHT + r as u32 * CELL_HEIGHT,
                fill,
                ink,
                title: format!("{org}, standard {}: {label}", a.standards[c].0),
                label,
            });
        }
    }
    let columns = a
        .standards
        .iter()
        .enumerate()
        .map(|(c, (sid, _))| (LABEL_WIDTH + c as u32 * CELL_WIDTH, sid.clone()))
        .collect();
    let row_labels =
        a.rows.iter().enumerate().map(|(r, (org, _))| (CELL_HEIGHT + r as u32 * CELL_HEIGHT, org.clone())).collect();
    let width = LABEL_WIDTH + a.standards.len() as u32 * CELL_WIDTH;
    let height = CELL_HEIGHT * (a.rows.len() as u32 + 1);
    let back = format!("/campaigns/{}", a.campaign.id);
    page.layout.page(
        format!("Analysis: {}", a.campaign.title),
        "/campaigns",
        &[("Audit campaigns", "/campaigns"), (&a.campaign.title, &back)],
    );
    render(&AnalysisPage { layout: page.layout, a, cells, width, height, columns, row_labels })
}

async fn export(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let bytes = state.core.campaign_xlsx(&page.ctx, path_id(&id)?).await?;
    Ok(super::learning::attachment_response(
        "campaign-returns.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    render(&show_page(&state, page, id, FieldErrors::new(), FindingForms::default()).await?)
}

async fn show_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    errors: FieldErrors,
    forms: FindingForms,
) -> Result<ShowPage, PageError> {
    let v = state.core.campaign(&page.ctx, id).await?;
    let findings = state.core.campaign_findings(&page.ctx, id).await?;
    let p = v.campaign.partnership_id;
    let (bodies, themes, organisations) = if v.can_run {
        let (bodies, _) = state.core.bodies(&page.ctx, p, false, assure_store::structure::Page::ALL).await?;
        let themes = state.core.themes(&page.ctx, p).await?;
        let (orgs, _) = state.core.organisations(&page.ctx, p, false, assure_store::structure::Page::ALL).await?;
        let mut b = vec![Opt::new("", "Select the subgroup")];
        b.extend(bodies.into_iter().map(|x| Opt::new(x.id, x.name)));
        let mut t = vec![Opt::new("", "No theme")];
        t.extend(themes.into_iter().map(|x| Opt::new(x.id, x.name)));
        let mut o = vec![Opt::new("", "Select the lead organisation")];
        o.extend(orgs.into_iter().map(|x| Opt::new(x.id, x.name)));
        (b, t, o)
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let mut recommendation_options = vec![Opt::new("", "Select the finding")];
    recommendation_options
        .extend(findings.iter().map(|i| Opt::new(i.recommendation.id, format!("Finding {}", i.recommendation.number))));
    let can_open = v
        .assessments
        .iter()
        .filter(|a| {
            let target = Target::new(ResourceKind::Assessment, v.campaign.partnership_id)
                .organisation(Some(assure_domain::OrganisationId(a.organisation_id)));
            can(&page.ctx.actor, Action::View, &target)
        })
        .map(|a| a.id)
        .collect();
    let can_analyse =
        can(&page.ctx.actor, Action::View, &Target::new(ResourceKind::Assessment, v.campaign.partnership_id));
    page.layout.page(v.campaign.title.clone(), "/campaigns", &[("Audit campaigns", "/campaigns")]);
    Ok(ShowPage {
        layout: page.layout,
        v,
        can_open,
        can_analyse,
        findings,
        errors,
        rec: forms.rec,
        act: forms.act,
        act_recommendation: forms.act_recommendation,
        scopes: Opt::choices::<assure_domain::learning::RecScope>("Select who it is for"),
        bodies,
        themes,
        organisations,
        recommendation_options,
    })
}

async fn add_finding(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(rec): CsrfForm<assure_domain::learning::RecommendationInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_finding(&page.ctx, id, &rec).await {
        Ok(_) => Ok(done(&format!("/campaigns/{id}"), "added")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&show_page(&state, page, id, errors, FindingForms { rec, ..Default::default() }).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NewActionForm {
    recommendation_id: String,
    #[serde(flatten)]
    action: assure_domain::learning::ActionInput,
}

async fn add_action(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<NewActionForm>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let campaign = state.core.campaign(&page.ctx, id).await?.campaign;
    page.ctx.authorize(Action::Create, &Target::new(ResourceKind::PlanAction, campaign.partnership_id))?;
    let findings = state.core.campaign_findings(&page.ctx, id).await?;
    let rec = form
        .recommendation_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|r| findings.iter().any(|i| i.recommendation.id == *r));
    let result = match rec {
        Some(r) => state.core.add_action(&page.ctx, r, &form.action).await,
        None => {
            let mut errors = form.action.validate().err().unwrap_or_default();
            errors.add("recommendation_id", "Select the finding from the list");
            Err(CoreError::Invalid(errors))
        }
    };
    match result {
        Ok(_) => Ok(done(&format!("/campaigns/{id}"), "added")),
        Err(CoreError::Invalid(errors)) => {
            let forms =
                FindingForms { act: form.action, act_recommendation: form.recommendation_id, ..Default::default() };
            render_invalid(&show_page(&state, page, id, errors, forms).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// A question as the return's page shows it, with what was sent or saved.
pub struct QuestionRow {
    pub depth: usize,
    pub id: String,
    pub title: String,
    pub help: Option<String>,
    pub kind: NodeKind,
    pub answer: Option<AnswerType>,
    pub choices: Vec<String>,
    pub score: String,
    pub na: String,
    pub value: String,
    pub evidence: String,
    pub carried: bool,
    pub target: Option<i64>,
}

#[derive(Template)]
#[template(path = "audits/assessment.html")]
struct AssessmentPage {
    layout: Layout,
    v: AssessmentView,
    rows: Vec<QuestionRow>,
    errors: FieldErrors,
    reason: String,
    /// Where the answer and submit forms post: the return's page, or the respondent link.
    base: String,
    /// Links made for this return (for the business unit).
    links: Vec<assure_store::campaigns::Link>,
    /// A link just made: shown once, since only its hash is kept.
    new_link: Option<String>,
}

fn assessment_page(
    page: Page,
    v: AssessmentView,
    errors: FieldErrors,
    sent: Option<&[(String, String)]>,
) -> AssessmentPage {
    let base = format!("/assessments/{}", v.assessment.id);
    let mut p = respondent_page(page.layout, v, errors, sent, base);
    let title = format!("{}: {}", p.v.assessment.organisation_name, p.v.campaign.title);
    let back = format!("/campaigns/{}", p.v.campaign.id);
    let campaign_title = p.v.campaign.title.clone();
    p.layout.page(title, "/campaigns", &[("Audit campaigns", "/campaigns"), (&campaign_title, &back)]);
    p
}

/// The return's page around any layout: the signed-in one, or the bare one a link gets.
fn respondent_page(
    layout: Layout,
    v: AssessmentView,
    errors: FieldErrors,
    sent: Option<&[(String, String)]>,
    base: String,
) -> AssessmentPage {
    let sent_value = |prefix: &str, id: &str| {
        sent.and_then(|f| f.iter().find(|(k, _)| *k == format!("{prefix}:{id}")).map(|(_, v)| v.clone()))
    };
    let rows = v
        .framework
        .nodes
        .iter()
        .map(|n| {
            let saved = v.answers.get(&n.id);
            let depth = match n.kind {
                NodeKind::Standard => 0,
                NodeKind::Criterion => 1,
                NodeKind::Question => {
                    let parent = v.framework.nodes.iter().find(|p| Some(&p.id) == n.parent.as_ref());
                    if parent.is_some_and(|p| p.kind == NodeKind::Criterion) { 2 } else { 1 }
                }
            };
            QuestionRow {
                depth,
                id: n.id.clone(),
                title: n.title.clone(),
                help: n.help.clone(),
                kind: n.kind,
                answer: n.answer,
                choices: n.choices.clone(),
                score: sent_value("score", &n.id)
                    .unwrap_or_else(|| saved.and_then(|a| a.score).map(|s| s.to_string()).unwrap_or_default()),
                na: sent_value("na", &n.id)
                    .unwrap_or_else(|| saved.and_then(|a| a.not_applicable.clone()).unwrap_or_default()),
                value: sent_value("value", &n.id)
                    .unwrap_or_else(|| saved.and_then(|a| a.value.clone()).unwrap_or_default()),
                evidence: sent_value("evidence", &n.id)
                    .unwrap_or_else(|| saved.and_then(|a| a.evidence.clone()).unwrap_or_default()),
                carried: saved.is_some_and(|a| !a.confirmed),
                target: n.target,
            }
        })
        .collect();
    let reason = sent.map(|f| field(f, "reason")).unwrap_or_default();
    AssessmentPage { layout, v, rows, errors, reason, base, links: Vec::new(), new_link: None }
}

async fn assessment(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let v = state.core.assessment(&page.ctx, id).await?;
    let links = if v.can_assess { state.core.respondent_links(&page.ctx, id).await? } else { Vec::new() };
    let mut p = assessment_page(page, v, FieldErrors::new(), None);
    p.links = links;
    render(&p)
}

async fn return_pdf(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let v = state.core.assessment(&page.ctx, path_id(&id)?).await?;
    let name = format!("return-{}.pdf", v.assessment.id);
    Ok(super::learning::attachment_response(
        &name,
        "application/pdf",
        assure_core::documents::pdf::write(&v.document()),
    ))
}

async fn make_link(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let (_, token) = state.core.create_respondent_link(&page.ctx, id).await?;
    let v = state.core.assessment(&page.ctx, id).await?;
    let links = state.core.respondent_links(&page.ctx, id).await?;
    let mut p = assessment_page(page, v, FieldErrors::new(), None);
    p.links = links;
    p.new_link = Some(format!("{}/respond/{token}", state.core.settings.public_url.trim_end_matches('/')));
    render(&p)
}

async fn revoke_link(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let assessment = state.core.revoke_respondent_link(&page.ctx, path_id(&id)?).await?;
    Ok(done(&format!("/assessments/{assessment}"), "updated"))
}

/// The page a respondent link opens: no account, no navigation, only this one return. `ctx`
/// and `id` come from resolving the link once for the request.
async fn respond_page(
    state: &AppState,
    (ctx, id): &(assure_core::Ctx, i64),
    token: &str,
    nonce: String,
    errors: FieldErrors,
    sent: Option<&[(String, String)]>,
) -> Result<AssessmentPage, PageError> {
    let v = state.core.assessment(ctx, *id).await?;
    let mut layout = Layout::bare(&format!("{}: {}", v.assessment.organisation_name, v.campaign.title));
    layout.nonce = nonce;
    Ok(respondent_page(layout, v, errors, sent, format!("/respond/{token}")))
}

/// A field of a form read as pairs (kept as pairs for repeated fields such as checkboxes); "" if absent.
fn field(form: &[(String, String)], name: &str) -> String {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// The end of every change to a return: back to `to` with the banner, or the page again with
/// the form's errors.
async fn after_change<F>(result: Result<(), CoreError>, to: String, again: F) -> Result<Response, PageError>
where
    F: AsyncFnOnce(FieldErrors) -> Result<AssessmentPage, PageError>,
{
    match result {
        Ok(()) => Ok(done(&to, "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&again(errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn respond(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    Path(token): Path<String>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    let mut page = respond_page(&state, &holder, &token, nonce, FieldErrors::new(), None).await?;
    // The banner after saving or submitting, as signed-in pages show it.
    page.layout.flash = crate::layout::Flash::parse(&field(&query, "done"));
    render(&page)
}

/// Answers sent through a link. No CSRF token is needed: the link itself is the credential and
/// no cookie carries authority, so another site cannot post on the respondent's behalf.
async fn respond_answers(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    Path(token): Path<String>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    let result = state.core.save_answers(&holder.0, holder.1, &form).await;
    after_change(result, format!("/respond/{token}"), async |errors| {
        respond_page(&state, &holder, &token, nonce, errors, Some(&form)).await
    })
    .await
}

/// Through a link a return can only be submitted: moderation is the assessor's.
async fn respond_step(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    Path(token): Path<String>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    if field(&form, "step") != "submit" {
        return Err(PageError::Forbidden);
    }
    let result = state.core.step_assessment(&holder.0, holder.1, "submit", "").await.map(|_| ());
    after_change(result, format!("/respond/{token}"), async |errors| {
        respond_page(&state, &holder, &token, nonce, errors, Some(&form)).await
    })
    .await
}

async fn answers(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.save_answers(&page.ctx, id, &form).await;
    after_change(result, format!("/assessments/{id}"), async |errors| {
        let v = state.core.assessment(&page.ctx, id).await?;
        Ok(assessment_page(page, v, errors, Some(&form)))
    })
    .await
}

async fn step(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.step_assessment(&page.ctx, id, &field(&form, "step"), &field(&form, "reason")).await;
    after_change(result.map(|_| ()), format!("/assessments/{id}"), async |errors| {
        let v = state.core.assessment(&page.ctx, id).await?;
        Ok(assessment_page(page, v, errors, Some(&form)))
    })
    .await
}

async fn lock(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let unlocked = form.iter().any(|(k, v)| k == "unlocked" && v == "yes");
    state.core.set_assessment_unlocked(&page.ctx, id, unlocked).await?;
    Ok(done(&format!("/assessments/{id}"), "updated"))
}
