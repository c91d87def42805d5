//! Audit campaigns: launch one, follow its progress, and answer, submit, challenge and close
//! each organisation's return.

use askama::Template;
use assure_core::CoreError;
use assure_core::audits::Campaign;
use assure_core::audits::{AssessmentView, CampaignInput, CampaignView, Progress};
use assure_domain::audits::assessment::{AnswerInput, AssessmentState, ModerationInput};
use assure_domain::audits::framework::{AnswerType, NodeKind};
use assure_domain::authz::ResourceKind;
use assure_domain::structure::Choice as _;
use assure_domain::{Action, FieldErrors, Target, can};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;

use super::{Opt, done, field, path_id, render, render_invalid};
use crate::AppState;
use crate::error::PageError;
use crate::extract::{ClientInfo, CsrfForm, CsrfUpload, LinkForm, Nonce, Page, PendingUpload, UPLOAD_BYTES};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] =
    &[NavEntry { section: Section::Assurance, href: "/campaigns", label: "Audits", needs: None }];

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
        .route("/assessments/{id}/moderation", post(moderation))
        .route("/assessments/{id}/challenges", post(challenge))
        .route("/assessments/{id}/files", post(upload_file).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/assessments/{id}/files/{question}", get(download_file))
        .route("/campaigns/{id}/reminders", post(remind))
        .route("/links/{id}/revoke", post(revoke_link))
        .route("/respond/{token}", get(respond))
        .route("/respond/{token}/answers", post(respond_answers))
        .route("/respond/{token}/steps", post(respond_step))
        .route("/respond/{token}/challenges", post(respond_challenge))
        .route("/respond/{token}/files", post(respond_upload).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/respond/{token}/files/{question}", get(respond_download))
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

/// A checkbox: (id, label, ticked).
type Tick = (i64, String, bool);

#[derive(Template)]
#[template(path = "audits/new.html")]
struct NewPage {
    layout: Layout,
    errors: FieldErrors,
    input: CampaignInput,
    frameworks: Vec<Opt>,
    /// Other partnerships that may run it jointly.
    partnerships: Vec<Tick>,
    /// Organisations by partnership, the current one first: (partnership, its organisations).
    groups: Vec<(String, Vec<Tick>)>,
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
    let mine = state.core.my_partnerships(&page.ctx).await?;
    let mut ordered: Vec<&assure_core::structure::Partnership> =
        mine.iter().filter(|p| p.id == page.partnership).collect();
    ordered.extend(mine.iter().filter(|p| {
        p.id != page.partnership && can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::Campaign, p.id))
    }));
    let mut partnerships = Vec::new();
    let mut groups = Vec::new();
    for p in ordered {
        if p.id != page.partnership {
            partnerships.push((p.id.0, p.name.clone(), input.partnership_ids.contains(&p.id.0.to_string())));
        }
        let (orgs, _) = state.core.organisations(&page.ctx, p.id, false, assure_core::structure::Page::ALL).await?;
        let orgs =
            orgs.into_iter().map(|o| (o.id.0, o.name, input.organisation_ids.contains(&o.id.0.to_string()))).collect();
        groups.push((p.name.clone(), orgs));
    }
    page.layout.page("Launch an audit campaign", "/campaigns", &[("Audit campaigns", "/campaigns")]);
    Ok(NewPage { layout: page.layout, errors, input, frameworks, partnerships, groups })
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
        partnership_ids: form.iter().filter(|(k, _)| k == "partnership_ids").map(|(_, v)| v.clone()).collect(),
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
    /// This actor records findings on the current partnership's plan.
    records_findings: bool,
    /// What the last one-click reminder did, shown once.
    nudged: Option<String>,
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

/// A bar or a segment of one, as drawn.
pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub fill: &'static str,
    pub ink: &'static str,
    /// Printed inside when there is room.
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
    /// Each standard's spread over the levels: stacked bars.
    spread: Vec<Bar>,
    spread_height: u32,
    /// This cycle against the previous: paired bars.
    change: Vec<Bar>,
    change_height: u32,
    /// Standard labels down the left of both bar charts.
    bar_labels: Vec<(u32, String)>,
    sectors: Vec<Opt>,
    partnerships: Vec<Opt>,
    views: Vec<Opt>,
    sector_chosen: String,
    partnership_chosen: String,
    /// A filter that made no sense (the analysis is then unfiltered).
    errors: FieldErrors,
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
/// The bar charts' plotting width, after the labels.
const BAR_WIDTH: u32 = 400;

fn one_dp(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "none".into())
}

async fn analysis(
    State(state): State<AppState>,
    mut page: Page,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    use assure_core::audits::AnalysisFilter;
    let id = path_id(&id)?;
    // A filter that does not make sense is said so above the unfiltered analysis.
    let (filter, errors) = match AnalysisFilter::from_query(&query) {
        Ok(f) => (f, FieldErrors::new()),
        Err(CoreError::Invalid(e)) => (AnalysisFilter::default(), e),
        Err(e) => return Err(e.into()),
    };
    let (a, errors) = match state.core.campaign_analysis(&page.ctx, id, &filter).await {
        Ok(a) => (a, errors),
        Err(CoreError::Invalid(e)) => {
            (state.core.campaign_analysis(&page.ctx, id, &AnalysisFilter::default()).await?, e)
        }
        Err(e) => return Err(e.into()),
    };
    let filter = a.filter.clone();
    let scheme = &a.framework.scheme;
    let level_colour = |score: f64| {
        let level = assure_core::audits::analysis::nearest_level(scheme, score).map(|i| &scheme.levels[i]);
        colour(level.map(|l| l.colour.as_str()).unwrap_or("grey"))
    };
    let mut cells = Vec::new();
    for (r, row) in a.rows.iter().enumerate() {
        for (c, score) in row.scores.iter().enumerate() {
            let (fill, ink, label) = match score {
                Some(s) => {
                    let (fill, ink) = level_colour(*s);
                    (fill, ink, format!("{s:.1}"))
                }
                None => ("#f3f2f1", "#0b0c0c", "none".to_owned()),
            };
            let before =
                if a.previous.is_some() { format!(" (last cycle {})", one_dp(row.previous[c])) } else { String::new() };
            cells.push(Cell {
                x: LABEL_WIDTH + c as u32 * CELL_WIDTH,
                y: CELL_HEIGHT + r as u32 * CELL_HEIGHT,
                fill,
                ink,
                title: format!("{}, standard {}: {label}{before}", row.organisation, a.standards[c].id),
                label,
            });
        }
    }
    let columns =
        a.standards.iter().enumerate().map(|(c, s)| (LABEL_WIDTH + c as u32 * CELL_WIDTH, s.id.clone())).collect();
    let row_labels = a
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| (CELL_HEIGHT + r as u32 * CELL_HEIGHT, row.organisation.clone()))
        .collect();
    let width = LABEL_WIDTH + a.standards.len() as u32 * CELL_WIDTH;
    let height = CELL_HEIGHT * (a.rows.len() as u32 + 1);

    // Spread: one stacked bar per standard, each level's share of the returns.
    let mut spread = Vec::new();
    for (i, s) in a.standards.iter().enumerate() {
        let total: usize = s.distribution.iter().sum();
        let mut x = LABEL_WIDTH;
        for (level, count) in scheme.levels.iter().zip(&s.distribution) {
            if *count == 0 || total == 0 {
                continue;
            }
            let w = (*count as u32 * BAR_WIDTH) / total as u32;
            let (fill, ink) = colour(&level.colour);
            spread.push(Bar {
                x,
                y: 10 + i as u32 * CELL_HEIGHT,
                width: w.max(1),
                fill,
                ink,
                label: if w >= 24 { count.to_string() } else { String::new() },
                title: format!("Standard {}: {count} of {total} at {} {}", s.id, level.value, level.label),
            });
            x += w;
        }
    }
    let spread_height = 20 + a.standards.len() as u32 * CELL_HEIGHT;
    // Change: this cycle's mean (blue) under the previous cycle's (grey), on the scheme's scale.
    let top = scheme.levels.iter().map(|l| l.value).max().unwrap_or(1).max(1) as f64;
    let mut change = Vec::new();
    if a.previous.is_some() {
        for (i, s) in a.standards.iter().enumerate() {
            let y = 10 + i as u32 * (2 * CELL_HEIGHT);
            for (k, (value, fill, ink, when)) in
                [(s.previous_mean, "#b1b4b6", "#0b0c0c", "last cycle"), (s.mean, "#1d70b8", "#ffffff", "this cycle")]
                    .into_iter()
                    .enumerate()
            {
                let Some(v) = value else { continue };
                let w = ((v / top) * BAR_WIDTH as f64).round().clamp(1.0, BAR_WIDTH as f64) as u32;
                change.push(Bar {
                    x: LABEL_WIDTH,
                    y: y + k as u32 * CELL_HEIGHT,
                    width: w,
                    fill,
                    ink,
                    label: if w >= 40 { format!("{v:.1}") } else { String::new() },
                    title: format!("Standard {}, {when}: {v:.1}", s.id),
                });
            }
        }
    }
    let change_height = 20 + a.standards.len() as u32 * 2 * CELL_HEIGHT;
    let bar_labels = a.standards.iter().enumerate().map(|(i, s)| (i as u32, s.id.clone())).collect();

    let mut sectors = vec![Opt::new("", "All sectors")];
    sectors.extend(a.sectors.iter().map(|(code, label)| Opt::new(code, label.clone())));
    let mut partnerships = vec![Opt::new("", "All partnerships")];
    if a.partnerships.len() > 1 {
        partnerships.extend(a.partnerships.iter().map(|(id, name)| Opt::new(id.0, name.clone())));
    }
    let views = vec![Opt::new("self", "Self-assessed scores"), Opt::new("moderated", "Moderated scores")];
    let back = format!("/campaigns/{}", a.campaign.id);
    page.layout.page(
        format!("Analysis: {}", a.campaign.title),
        "/campaigns",
        &[("Audit campaigns", "/campaigns"), (&a.campaign.title, &back)],
    );
    let invalid = !errors.is_empty();
    let p = AnalysisPage {
        layout: page.layout,
        a,
        cells,
        width,
        height,
        columns,
        row_labels,
        spread,
        spread_height,
        change,
        change_height,
        bar_labels,
        sectors,
        partnerships,
        views,
        sector_chosen: filter.sector.clone().unwrap_or_default(),
        partnership_chosen: filter.partnership.map(|p| p.0.to_string()).unwrap_or_default(),
        errors,
    };
    if invalid { render_invalid(&p) } else { render(&p) }
}

async fn export(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // The link comes from the analysis page, so a filter that makes no sense is a bad request.
    let filter = assure_core::audits::AnalysisFilter::from_query(&query).map_err(|_| PageError::BadRequest)?;
    let bytes = match state.core.campaign_xlsx(&page.ctx, path_id(&id)?, &filter).await {
        Err(CoreError::Invalid(_)) => return Err(PageError::BadRequest),
        other => other?,
    };
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
    let findings = state.core.campaign_findings(&page.ctx, id, page.partnership).await?;
    let p = page.partnership;
    let records_findings = v.campaign.partnerships.contains(&p)
        && can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::Campaign, p));
    let (bodies, themes, organisations) = if records_findings {
        let (bodies, _) = state.core.bodies(&page.ctx, p, false, assure_core::structure::Page::ALL).await?;
        let themes = state.core.themes(&page.ctx, p).await?;
        let (orgs, _) = state.core.organisations(&page.ctx, p, false, assure_core::structure::Page::ALL).await?;
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
            page.ctx.may_in_any(
                Action::View,
                ResourceKind::Assessment,
                &v.campaign.partnerships,
                Some(assure_domain::OrganisationId(a.organisation_id)),
            )
        })
        .map(|a| a.id)
        .collect();
    let can_analyse = page.ctx.may_in_any(Action::View, ResourceKind::Assessment, &v.campaign.partnerships, None);
    page.layout.page(v.campaign.title.clone(), "/campaigns", &[("Audit campaigns", "/campaigns")]);
    Ok(ShowPage {
        layout: page.layout,
        v,
        can_open,
        can_analyse,
        findings,
        records_findings,
        nudged: None,
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
    let p = page.partnership;
    match state.core.add_finding(&page.ctx, id, p, &rec).await {
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
    state.core.campaign(&page.ctx, id).await?;
    page.ctx.authorize(Action::Create, &Target::new(ResourceKind::PlanAction, page.partnership))?;
    let findings = state.core.campaign_findings(&page.ctx, id, page.partnership).await?;
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
    links: Vec<assure_core::audits::Link>,
    /// A link just made: shown once, since only its hash is kept.
    new_link: Option<String>,
    /// Questions that take a document: (id, wording).
    file_questions: Vec<(String, String)>,
    /// Every question, for the discussion form.
    question_options: Vec<Opt>,
    /// What the discussion or upload form sent, to show again with its errors.
    sent_question: String,
    sent_body: String,
    /// Scored questions for the moderation form: (id, wording, self score, moderated score).
    scored_rows: Vec<(String, String, String, String)>,
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
    let questions = || v.framework.nodes.iter().filter(|n| n.kind == NodeKind::Question);
    let file_questions =
        questions().filter(|n| n.answer == Some(AnswerType::File)).map(|n| (n.id.clone(), n.title.clone())).collect();
    let mut question_options = vec![Opt::new("", "Select the question")];
    question_options.extend(questions().map(|n| Opt::new(&n.id, format!("{} {}", n.id, n.title))));
    let scored_rows = questions()
        .filter(|n| n.answer == Some(AnswerType::Score))
        .map(|n| {
            let own = v.answers.get(&n.id).and_then(|a| a.score).map(|s| s.to_string()).unwrap_or_default();
            let moderated = sent_value("moderated", &n.id)
                .unwrap_or_else(|| v.moderated.get(&n.id).map(|m| m.score.to_string()).unwrap_or_default());
            (n.id.clone(), n.title.clone(), own, moderated)
        })
        .collect();
    AssessmentPage {
        sent_question: sent.map(|f| field(f, "question")).unwrap_or_default(),
        sent_body: sent.map(|f| field(f, "body")).unwrap_or_default(),
        layout,
        v,
        rows,
        errors,
        reason,
        base,
        links: Vec::new(),
        new_link: None,
        file_questions,
        question_options,
        scored_rows,
    }
}

async fn assessment(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let v = state.core.assessment(&page.ctx, id).await?;
    let links = if v.can_link { state.core.respondent_links(&page.ctx, id).await? } else { Vec::new() };
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
    (nonce, jar): (String, &CookieJar),
    errors: FieldErrors,
    sent: Option<&[(String, String)]>,
) -> Result<AssessmentPage, PageError> {
    let v = state.core.assessment(ctx, *id).await?;
    let mut layout = Layout::bare(&format!("{}: {}", v.assessment.organisation_name, v.campaign.title));
    layout.nonce = nonce;
    layout.csrf = jar.get(state.respond_cookie()).map(|c| c.value().to_owned()).unwrap_or_default();
    Ok(respondent_page(layout, v, errors, sent, format!("/respond/{token}")))
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

/// The end of every change to a return through its signed-in page: back to `to`, or the page
/// again with the form's errors and what was sent.
async fn after_return_change(
    state: &AppState,
    page: Page,
    id: i64,
    result: Result<(), CoreError>,
    to: String,
    sent: &[(String, String)],
) -> Result<Response, PageError> {
    after_change(result, to, async |errors| {
        let v = state.core.assessment(&page.ctx, id).await?;
        Ok(assessment_page(page, v, errors, Some(sent)))
    })
    .await
}

async fn respond(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    // The forms' double-submit token: this browser's, or a new one.
    let jar = match jar.get(state.respond_cookie()) {
        Some(_) => jar,
        None => {
            let fresh = assure_core::auth::random_token(32);
            jar.add(super::sign_in::cookie(&state, state.respond_cookie(), fresh))
        }
    };
    let mut page = respond_page(&state, &holder, &token, (nonce, &jar), FieldErrors::new(), None).await?;
    // The banner after saving or submitting, as signed-in pages show it.
    page.layout.flash = crate::layout::Flash::parse(&field(&query, "done"));
    Ok((jar, render(&page)?).into_response())
}

/// Answers sent through a link: the link is the credential, and the form carries the link
/// page's double-submit token.
async fn respond_answers(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    LinkForm(form): LinkForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    let result = state.core.save_answers(&holder.0, holder.1, &answers_sent(&form)).await;
    after_change(result, format!("/respond/{token}"), async |errors| {
        respond_page(&state, &holder, &token, (nonce, &jar), errors, Some(&form)).await
    })
    .await
}

/// Through a link a return can only be submitted: moderation is the assessor's.
async fn respond_step(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    LinkForm(form): LinkForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    if field(&form, "step") != "submit" {
        return Err(PageError::Forbidden);
    }
    let result = state.core.step_assessment(&holder.0, holder.1, "submit", "").await.map(|_| ());
    after_change(result, format!("/respond/{token}"), async |errors| {
        respond_page(&state, &holder, &token, (nonce, &jar), errors, Some(&form)).await
    })
    .await
}

/// The answers in a return's form, whose fields are named `score:Q`, `na:Q`, `value:Q` and
/// `evidence:Q` for each question Q, in the order the questions first appear.
fn answers_sent(form: &[(String, String)]) -> Vec<AnswerInput> {
    let mut answers: Vec<AnswerInput> = Vec::new();
    for (key, value) in form {
        let Some((part, question)) = key.split_once(':') else { continue };
        if !["score", "na", "value", "evidence"].contains(&part) {
            continue;
        }
        let at = match answers.iter().position(|a| a.question == question) {
            Some(at) => at,
            None => {
                answers.push(AnswerInput { question: question.to_owned(), ..AnswerInput::default() });
                answers.len() - 1
            }
        };
        let answer = &mut answers[at];
        let slot = match part {
            "score" => &mut answer.score,
            "na" => &mut answer.not_applicable,
            "value" => &mut answer.value,
            _ => &mut answer.evidence,
        };
        *slot = value.clone();
    }
    answers
}

/// The moderated scores in the moderation form, whose fields are named `moderated:Q`.
fn moderation_sent(form: &[(String, String)]) -> Vec<ModerationInput> {
    form.iter()
        .filter_map(|(key, value)| {
            let question = key.strip_prefix("moderated:")?;
            Some(ModerationInput { question: question.to_owned(), score: value.clone() })
        })
        .collect()
}

async fn answers(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.save_answers(&page.ctx, id, &answers_sent(&form)).await;
    after_return_change(&state, page, id, result, format!("/assessments/{id}"), &form).await
}

async fn step(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.step_assessment(&page.ctx, id, &field(&form, "step"), &field(&form, "reason")).await;
    after_return_change(&state, page, id, result.map(|_| ()), format!("/assessments/{id}"), &form).await
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

async fn moderation(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.moderate(&page.ctx, id, &moderation_sent(&form)).await.map(|_| ());
    after_return_change(&state, page, id, result, format!("/assessments/{id}"), &form).await
}

async fn challenge(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let question = field(&form, "question");
    let result = state.core.add_challenge(&page.ctx, id, &question, &field(&form, "body")).await.map(|_| ());
    after_return_change(&state, page, id, result, format!("/assessments/{id}#question-{question}"), &form).await
}

/// The upload form's question and file, as the answer form would have sent them.
fn upload_parts(mut upload: CsrfUpload) -> (String, Option<assure_core::learning::UploadFile>, Vec<(String, String)>) {
    let question = upload.field("question");
    let file = upload.files.drain(..).find(|(n, _)| n == "file").map(|(_, f)| f);
    (question.clone(), file, vec![("question".to_owned(), question)])
}

async fn upload_file(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let permit = state.core.permit_answer_file(&page.ctx, id).await?;
    let (question, file, sent) = upload_parts(pending.read(permit).await?);
    let result = state.core.upload_answer_file(&page.ctx, id, &question, file).await;
    after_return_change(&state, page, id, result, format!("/assessments/{id}#question-{question}"), &sent).await
}

/// A file given as an answer, always as a download of opaque bytes: never rendered in the browser.
fn file_response(f: assure_core::audits::AnswerFile, bytes: Vec<u8>) -> Response {
    super::learning::attachment_response(&f.file_name, "application/octet-stream", bytes)
}

async fn download_file(
    State(state): State<AppState>,
    page: Page,
    Path((id, question)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (f, bytes) = state.core.answer_file(&page.ctx, path_id(&id)?, &question).await?;
    Ok(file_response(f, bytes))
}

async fn remind(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let report = state.core.remind_laggards(&page.ctx, id).await?;
    let mut p = show_page(&state, page, id, FieldErrors::new(), FindingForms::default()).await?;
    p.nudged = Some(report.summary());
    render(&p)
}

/// A comment through a link: the organisation replies to a challenge.
async fn respond_challenge(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    LinkForm(form): LinkForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    let question = field(&form, "question");
    let result = state.core.add_challenge(&holder.0, holder.1, &question, &field(&form, "body")).await.map(|_| ());
    after_change(result, format!("/respond/{token}"), async |errors| {
        respond_page(&state, &holder, &token, (nonce, &jar), errors, Some(&form)).await
    })
    .await
}

async fn respond_upload(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    let permit = state.core.permit_answer_file(&holder.0, holder.1).await?;
    let (question, file, sent) = upload_parts(pending.read(permit).await?);
    let result = state.core.upload_answer_file(&holder.0, holder.1, &question, file).await;
    after_change(result, format!("/respond/{token}"), async |errors| {
        respond_page(&state, &holder, &token, (nonce, &jar), errors, Some(&sent)).await
    })
    .await
}

async fn respond_download(
    State(state): State<AppState>,
    client: ClientInfo,
    Path((token, question)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (ctx, id) = state.core.respondent(&token, client.ip, client.request_id).await?;
    let (f, bytes) = state.core.answer_file(&ctx, id, &question).await?;
    Ok(file_response(f, bytes))
}
