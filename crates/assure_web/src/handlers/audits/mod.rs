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
use assure_domain::{Action, CampaignId, FieldErrors, RecommendationId, Target, can};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum_extra::extract::CookieJar;

use super::{Opt, done, field, path_id, render, render_invalid};
use crate::AppState;
use crate::error::PageError;
use crate::extract::{ClientInfo, CsrfForm, CsrfUpload, LinkForm, Nonce, Page, PendingUpload, UPLOAD_BYTES};
use crate::layout::{Layout, NavEntry, Section};

mod analysis;
pub mod frameworks;
mod returns;

use analysis::analysis;
use returns::*;

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry { section: Section::Assurance, href: "/audits", label: "Audits", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/audits", get(list).post(create))
        .route("/audits/new", get(new))
        .route("/audits/{id}", get(show))
        .route("/audits/{id}/analysis", get(analysis))
        .route("/audits/{id}/findings", post(add_finding))
        .route("/audits/{id}/actions", post(add_action))
        .route("/audits/{id}/returns.xlsx", get(export))
        .route("/audits/assessments/{id}", get(assessment))
        .route("/audits/assessments/{id}/answers", post(answers))
        .route("/audits/assessments/{id}/steps", post(step))
        .route("/audits/assessments/{id}/lock", post(lock))
        .route("/audits/assessments/{id}/links", post(make_link))
        .route("/audits/assessments/{id}/return.pdf", get(return_pdf))
        .route("/audits/assessments/{id}/return.archive.pdf", get(return_archival_pdf))
        .route("/audits/assessments/{id}/moderation", post(moderation))
        .route("/audits/assessments/{id}/challenges", post(challenge))
        .route("/audits/assessments/{id}/files", post(upload_file).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/audits/assessments/{id}/files/{question}", get(download_file))
        .route("/audits/{id}/reminders", post(remind))
        .route("/audits/links/{id}/revoke", post(revoke_link))
        .route("/respond/{token}", get(respond))
        .route("/respond/{token}/answers", post(respond_answers))
        .route("/respond/{token}/steps", post(respond_step))
        .route("/respond/{token}/challenges", post(respond_challenge))
        .route("/respond/{token}/files", post(respond_upload).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/respond/{token}/files/{question}", get(respond_download))
        .merge(frameworks::routes())
        .merge(moved_routes())
}

/// The addresses audits had before every audit page moved under `/audits`. They answer with a
/// permanent redirect (308, so a form posted to an old address is posted again, unchanged, to the
/// new one), so bookmarks, e-mails already sent and reminders already listed keep working.
const MOVED: &[(&str, &str)] = &[
    ("/campaigns", "/audits"),
    ("/assessments", "/audits/assessments"),
    ("/frameworks", "/audits/frameworks"),
    ("/links", "/audits/links"),
];

fn moved_routes() -> Router<AppState> {
    MOVED.iter().fold(Router::new(), |router, (old, _)| {
        router.route(old, any(moved)).route(&format!("{old}/{{*rest}}"), any(moved))
    })
}

async fn moved(uri: Uri) -> Response {
    match moved_to(uri.path()) {
        Some(to) => {
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, format!("{to}{query}"))]).into_response()
        }
        None => PageError::NotFound.into_response(),
    }
}

/// Where an old audit address lives now: `/campaigns/4/analysis` is `/audits/4/analysis`.
fn moved_to(path: &str) -> Option<String> {
    MOVED.iter().find_map(|(old, new)| {
        let rest = path.strip_prefix(old)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| format!("{new}{rest}"))
    })
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
    page.layout.page("Audit campaigns", "/audits", &[]);
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
    frameworks.extend(state.core.frameworks(&page.ctx, Some(page.partnership)).await?.into_iter().map(|f| {
        match f.partnership_id {
            Some(_) => {
                Opt::new(f.id, format!("{} (version {}, {}'s own)", f.title, f.version, page.layout.partnership_name))
            }
            None => Opt::new(f.id, format!("{} (version {})", f.title, f.version)),
        }
    }));
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
    page.layout.page("Launch an audit campaign", "/audits", &[("Audit campaigns", "/audits")]);
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
        Ok(id) => Ok(done(&format!("/audits/{id}"), "created")),
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
    can_open: Vec<assure_domain::AssessmentId>,
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

async fn export(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // The link comes from the analysis page, so a filter that makes no sense is a bad request.
    let filter = assure_core::audits::AnalysisFilter::from_query(&query).map_err(|_| PageError::BadRequest)?;
    let rendered = match state.core.campaign_xlsx(&page.ctx, CampaignId(path_id(&id)?), &filter).await {
        Err(CoreError::Invalid(_)) => return Err(PageError::BadRequest),
        other => other?,
    };
    Ok(super::learning::download_response(rendered))
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
    let v = state.core.campaign(&page.ctx, CampaignId(id)).await?;
    let findings = state.core.campaign_findings(&page.ctx, CampaignId(id), page.partnership).await?;
    let p = page.partnership;
    let records_findings = v.campaign.partnerships.contains(&p)
        && can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::Campaign, p));
    let crate::handlers::learning::PlanChoices { bodies, themes, organisations } = if records_findings {
        crate::handlers::learning::PlanChoices::of(state, &page.ctx, p).await?
    } else {
        crate::handlers::learning::PlanChoices::none()
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
    page.layout.page(v.campaign.title.clone(), "/audits", &[("Audit campaigns", "/audits")]);
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
    match state.core.add_finding(&page.ctx, CampaignId(id), p, &rec).await {
        Ok(_) => Ok(done(&format!("/audits/{id}"), "added")),
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
    state.core.campaign(&page.ctx, CampaignId(id)).await?;
    page.ctx.authorize(Action::Create, &Target::new(ResourceKind::PlanAction, page.partnership))?;
    let findings = state.core.campaign_findings(&page.ctx, CampaignId(id), page.partnership).await?;
    let rec = form
        .recommendation_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|r| findings.iter().any(|i| i.recommendation.id == RecommendationId(*r)));
    let result = match rec {
        Some(r) => state.core.add_action(&page.ctx, RecommendationId(r), &form.action).await,
        None => {
            let mut errors = form.action.validate().err().unwrap_or_default();
            errors.add("recommendation_id", "Select the finding from the list");
            Err(CoreError::Invalid(errors))
        }
    };
    match result {
        Ok(_) => Ok(done(&format!("/audits/{id}"), "added")),
        Err(CoreError::Invalid(errors)) => {
            let forms =
                FindingForms { act: form.action, act_recommendation: form.recommendation_id, ..Default::default() };
            render_invalid(&show_page(&state, page, id, errors, forms).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn remind(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let report = state.core.remind_laggards(&page.ctx, CampaignId(id)).await?;
    let mut p = show_page(&state, page, id, FieldErrors::new(), FindingForms::default()).await?;
    p.nudged = Some(report.summary());
    render(&p)
}

#[cfg(test)]
mod tests {
    use super::moved_to;

    #[test]
    fn old_audit_addresses_map_to_their_new_place() {
        assert_eq!(moved_to("/campaigns").as_deref(), Some("/audits"));
        assert_eq!(moved_to("/campaigns/4/analysis").as_deref(), Some("/audits/4/analysis"));
        assert_eq!(moved_to("/assessments/9/answers").as_deref(), Some("/audits/assessments/9/answers"));
        assert_eq!(moved_to("/frameworks/2").as_deref(), Some("/audits/frameworks/2"));
        assert_eq!(moved_to("/links/3/revoke").as_deref(), Some("/audits/links/3/revoke"));
        assert_eq!(moved_to("/campaignsX"), None);
        assert_eq!(moved_to("/reviews/1"), None);
    }
}
