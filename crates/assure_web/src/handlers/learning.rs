//! The learning loop's pages: a review's recommendations and actions, an action with its
//! progress, milestones and evidence, the owning subgroup's judgement, and the Consolidated
//! Action Plan with its spreadsheet export.

use askama::Template;
use assure_core::CoreError;
use assure_core::documents::Format;
use assure_core::learning::{ActionDetail, PlanItem, RecommendationItem};
use assure_domain::authz::ResourceKind;
use assure_domain::learning::{
    ActionInput, ActionStatus, EvidenceInput, EvidenceKind, Judgement, JudgementInput, MilestoneInput, PlanFilterInput,
    ProgressInput, Rag, RecScope, RecommendationInput,
};
use assure_domain::structure::{ArmKind, Choice};
use assure_domain::{Action, ActionId, AttachmentId, EvidenceId, FieldErrors, RecommendationId, ReviewId, Target, can};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Opt, Pager, done, path_id, render, render_invalid};
use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page, PendingUpload, UPLOAD_BYTES};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] =
    &[NavEntry { section: Section::Learning, href: "/plan", label: "Action plan", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reviews/{id}/recommendations", get(recommendations).post(add_recommendation))
        .route("/reviews/{id}/actions", post(add_action))
        .route("/recommendations/{id}/edit", get(edit_recommendation).post(update_recommendation))
        .route("/recommendations/{id}/decision", post(decide_recommendation))
        .route("/actions/{id}", get(show_action))
        .route("/actions/{id}/edit", get(edit_action).post(revise_action))
        .route("/actions/{id}/progress", post(progress))
        .route("/actions/{id}/milestones", post(add_milestone))
        .route("/actions/{id}/milestones/met", post(milestone_met))
        .route("/actions/{id}/evidence", post(add_evidence).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/evidence/{id}/judgement", post(judge))
        .route("/files/{id}", get(download))
        .route("/plan", get(plan))
        .route("/plan.xlsx", get(plan_xlsx))
        .route("/plan.pdf", get(plan_pdf))
        .route("/plan.archive.pdf", get(plan_archival_pdf))
        .route("/plan.docx", get(plan_docx))
}

/// The GOV.UK tag colour for a RAG rating.
/// The choices of the forms that add a recommendation and its action to the plan (an audit's
/// findings, an inspection's recommendations): the partnership's subgroups, themes and lead
/// organisations, each after its blank option.
pub struct PlanChoices {
    pub bodies: Vec<crate::handlers::Opt>,
    pub themes: Vec<crate::handlers::Opt>,
    pub organisations: Vec<crate::handlers::Opt>,
}

impl PlanChoices {
    /// None to offer: for a page whose reader adds nothing to the plan.
    pub fn none() -> PlanChoices {
        PlanChoices { bodies: Vec::new(), themes: Vec::new(), organisations: Vec::new() }
    }

    pub async fn of(
        state: &AppState,
        ctx: &assure_core::Ctx,
        p: assure_domain::PartnershipId,
    ) -> Result<PlanChoices, crate::error::PageError> {
        use crate::handlers::Opt;
        let (bodies, _) = state.core.bodies(ctx, p, false, assure_core::structure::Page::ALL).await?;
        let themes = state.core.themes(ctx, p).await?;
        let (orgs, _) = state.core.organisations(ctx, p, false, assure_core::structure::Page::ALL).await?;
        let with_blank = |blank: &str, rest: Vec<Opt>| std::iter::once(Opt::new("", blank)).chain(rest).collect();
        Ok(PlanChoices {
            bodies: with_blank("Select the subgroup", bodies.into_iter().map(|x| Opt::new(x.id, x.name)).collect()),
            themes: with_blank("No theme", themes.into_iter().map(|x| Opt::new(x.id, x.name)).collect()),
            organisations: with_blank(
                "Select the lead organisation",
                orgs.into_iter().map(|x| Opt::new(x.id, x.name)).collect(),
            ),
        })
    }
}

pub fn rag_class(rag: &Rag) -> &'static str {
    match rag {
        Rag::Red => "govuk-tag--red",
        Rag::Amber => "govuk-tag--yellow",
        Rag::Green => "govuk-tag--green",
    }
}

pub fn status_class(status: &ActionStatus) -> &'static str {
    match status {
        ActionStatus::NotStarted => "govuk-tag--grey",
        ActionStatus::InProgress => "govuk-tag--blue",
        ActionStatus::Completed => "govuk-tag--green",
        ActionStatus::Cancelled => "govuk-tag--grey",
    }
}

pub fn judgement_class(j: &Judgement) -> &'static str {
    match j {
        Judgement::Assured => "govuk-tag--green",
        Judgement::PartlyAssured => "govuk-tag--yellow",
        Judgement::NotAssured => "govuk-tag--red",
    }
}

// --- a review's recommendations ------------------------------------------------------------

#[derive(Template)]
#[template(path = "learning/recommendations.html")]
struct RecommendationsPage {
    layout: Layout,
    review_id: i64,
    subject: String,
    items: Vec<RecommendationItem>,
    can_add: bool,
    errors: FieldErrors,
    rec: RecommendationInput,
    act: ActionInput,
    act_recommendation: String,
    scopes: Vec<Opt>,
    bodies: Vec<Opt>,
    themes: Vec<Opt>,
    organisations: Vec<Opt>,
    recommendation_options: Vec<Opt>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewActionForm {
    recommendation_id: String,
    #[serde(flatten)]
    action: ActionInput,
}

async fn recommendations_page(
    state: &AppState,
    mut page: Page,
    review_id: i64,
    errors: FieldErrors,
    rec: RecommendationInput,
    act: NewActionForm,
) -> Result<RecommendationsPage, PageError> {
    let detail = state.core.review(&page.ctx, ReviewId(review_id)).await?;
    let items = state.core.review_recommendations(&page.ctx, ReviewId(review_id)).await?;
    let p = detail.review.partnership_id;
    let can_add = can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::Recommendation, p))
        && can(&page.ctx.actor, Action::Update, &Target::new(ResourceKind::Review, p));
    let (bodies, _) = state.core.bodies(&page.ctx, p, false, assure_core::structure::Page::ALL).await?;
    let themes = state.core.themes(&page.ctx, p).await?;
    let (orgs, _) = state.core.organisations(&page.ctx, p, false, assure_core::structure::Page::ALL).await?;
    let mut body_opts = vec![Opt::new("", "Select the subgroup")];
    body_opts.extend(bodies.into_iter().map(|b| Opt::new(b.id, b.name)));
    let mut theme_opts = vec![Opt::new("", "No theme")];
    theme_opts.extend(themes.into_iter().map(|t| Opt::new(t.id, t.name)));
    let mut org_opts = vec![Opt::new("", "Select the lead organisation")];
    org_opts.extend(orgs.into_iter().map(|o| Opt::new(o.id, o.name)));
    let mut rec_opts = vec![Opt::new("", "Select the recommendation")];
    rec_opts.extend(
        items.iter().map(|i| Opt::new(i.recommendation.id, format!("Recommendation {}", i.recommendation.number))),
    );
    let title = format!("Recommendations: {}", detail.review.subject);
    let back = format!("/reviews/{review_id}");
    page.layout.page(title, "/reviews", &[("Case reviews", "/reviews"), (&detail.review.subject, &back)]);
    Ok(RecommendationsPage {
        layout: page.layout,
        review_id,
        subject: detail.review.subject,
        items,
        can_add,
        errors,
        rec,
        act: act.action,
        act_recommendation: act.recommendation_id,
        scopes: Opt::choices::<RecScope>("Select who it is for"),
        bodies: body_opts,
        themes: theme_opts,
        organisations: org_opts,
        recommendation_options: rec_opts,
    })
}

async fn recommendations(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    render(
        &recommendations_page(
            &state,
            page,
            id,
            FieldErrors::new(),
            RecommendationInput::default(),
            NewActionForm::default(),
        )
        .await?,
    )
}

async fn add_recommendation(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<RecommendationInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_recommendation(&page.ctx, ReviewId(id), &input).await {
        Ok(_) => Ok(done(&format!("/reviews/{id}/recommendations"), "added")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&recommendations_page(&state, page, id, errors, input, NewActionForm::default()).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_action(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<NewActionForm>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    state.core.authorize_review_update(&page.ctx, ReviewId(id)).await?;
    let rec = form.recommendation_id.trim().parse::<i64>().ok();
    // The recommendation must be one of this review's: any other is "select from the list".
    let rec = match rec {
        Some(r) => match state.core.recommendation(&page.ctx, RecommendationId(r)).await {
            Ok(found) if found.review_id == Some(id) => Some(r),
            Ok(_) | Err(CoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let result = match rec {
        Some(r) => state.core.add_action(&page.ctx, RecommendationId(r), &form.action).await,
        None => {
            let mut errors = form.action.validate().err().unwrap_or_default();
            errors.add(
                "recommendation_id",
                if form.recommendation_id.trim().is_empty() {
                    "Select the recommendation"
                } else {
                    "Select the recommendation from the list"
                },
            );
            Err(CoreError::Invalid(errors))
        }
    };
    match result {
        Ok(_) => Ok(done(&format!("/reviews/{id}/recommendations"), "added")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&recommendations_page(&state, page, id, errors, RecommendationInput::default(), form).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "learning/recommendation_edit.html")]
struct EditRecommendationPage {
    layout: Layout,
    id: i64,
    back: String,
    errors: FieldErrors,
    rec: RecommendationInput,
    scopes: Vec<Opt>,
    bodies: Vec<Opt>,
    themes: Vec<Opt>,
    /// What was decided about it, as it stands.
    decided: String,
    decision: assure_domain::learning::DecisionInput,
    decisions: Vec<Opt>,
}

async fn edit_recommendation_page(
    state: &AppState,
    page: Page,
    id: i64,
    errors: FieldErrors,
    input: Option<RecommendationInput>,
) -> Result<EditRecommendationPage, PageError> {
    edit_recommendation_page_with(state, page, id, errors, input, None).await
}

async fn edit_recommendation_page_with(
    state: &AppState,
    mut page: Page,
    id: i64,
    errors: FieldErrors,
    input: Option<RecommendationInput>,
    decision: Option<assure_domain::learning::DecisionInput>,
) -> Result<EditRecommendationPage, PageError> {
    let rec = state.core.recommendation(&page.ctx, RecommendationId(id)).await?;
    let p = rec.partnership_id;
    page.ctx.authorize(Action::Update, &Target::new(ResourceKind::Recommendation, p))?;
    let back = match rec.review_id {
        Some(r) => {
            state.core.authorize_review_update(&page.ctx, ReviewId(r)).await?;
            format!("/reviews/{r}/recommendations")
        }
        None => "/plan".to_owned(),
    };
    let (bodies, _) = state.core.bodies(&page.ctx, p, false, assure_core::structure::Page::ALL).await?;
    let themes = state.core.themes(&page.ctx, p).await?;
    let mut body_opts = vec![Opt::new("", "Select the subgroup")];
    body_opts.extend(bodies.into_iter().map(|b| Opt::new(b.id, b.name)));
    let mut theme_opts = vec![Opt::new("", "No theme")];
    theme_opts.extend(themes.into_iter().map(|t| Opt::new(t.id, t.name)));
    let input = input.unwrap_or_else(|| RecommendationInput {
        number: rec.number.clone(),
        text: rec.text.clone(),
        scope: rec.scope.code().to_owned(),
        body_id: rec.body_id.to_string(),
        theme_id: rec.theme_id.map(|t| t.to_string()).unwrap_or_default(),
    });
    page.layout.page(format!("Change recommendation {}", rec.number), "/plan", &[("Recommendations", &back)]);
    let decided = match (&rec.decided_on, &rec.decided_by) {
        (Some(on), Some(by)) => format!(
            "{}: recorded by {by} as decided on {}{}",
            rec.decision.label(),
            on.format("%-d %B %Y"),
            rec.decision_reason.as_deref().map(|r| format!(". Why: {r}")).unwrap_or_default()
        ),
        _ => format!("{} (nothing recorded yet)", rec.decision.label()),
    };
    let decision = decision.unwrap_or_else(|| assure_domain::learning::DecisionInput {
        decision: rec.decision.code().to_owned(),
        reason: rec.decision_reason.clone().unwrap_or_default(),
        decided_on: rec.decided_on.map(|d| d.to_string()).unwrap_or_default(),
    });
    Ok(EditRecommendationPage {
        decided,
        decision,
        decisions: Opt::choices::<assure_domain::learning::RecDecision>("Select what was decided"),
        layout: page.layout,
        id,
        back,
        errors,
        rec: input,
        scopes: Opt::choices::<RecScope>("Select who it is for"),
        bodies: body_opts,
        themes: theme_opts,
    })
}

async fn edit_recommendation(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    render(&edit_recommendation_page(&state, page, id, FieldErrors::new(), None).await?)
}

async fn update_recommendation(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<RecommendationInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.update_recommendation(&page.ctx, RecommendationId(id), &input).await {
        Ok(()) => {
            let back = state.core.recommendation(&page.ctx, RecommendationId(id)).await?.review_id;
            let to = back.map(|r| format!("/reviews/{r}/recommendations")).unwrap_or_else(|| "/plan".into());
            Ok(done(&to, "updated"))
        }
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&edit_recommendation_page(&state, page, id, errors, Some(input)).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn decide_recommendation(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<assure_domain::learning::DecisionInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.decide_recommendation(&page.ctx, RecommendationId(id), &input).await {
        Ok(()) => Ok(done(&format!("/recommendations/{id}/edit#decision"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&edit_recommendation_page_with(&state, page, id, errors, None, Some(input)).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "learning/action_edit.html")]
struct EditActionPage {
    layout: Layout,
    id: i64,
    errors: FieldErrors,
    input: assure_core::learning::ActionRevisionInput,
    organisations: Vec<Opt>,
    /// The version of the action the form was filled from.
    version: String,
}

async fn edit_action_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    errors: FieldErrors,
    input: Option<assure_core::learning::ActionRevisionInput>,
) -> Result<EditActionPage, PageError> {
    let d = state.core.action_detail(&page.ctx, ActionId(id)).await?;
    let a = &d.item.action;
    page.ctx.authorize(Action::Create, &Target::new(ResourceKind::PlanAction, a.partnership_id))?;
    let (orgs, _) =
        state.core.organisations(&page.ctx, a.partnership_id, false, assure_core::structure::Page::ALL).await?;
    let mut organisations = vec![Opt::new("", "Select the lead organisation")];
    organisations.extend(orgs.into_iter().map(|o| Opt::new(o.id, o.name)));
    let input = input.unwrap_or_else(|| assure_core::learning::ActionRevisionInput {
        action: ActionInput {
            action: a.text.clone(),
            organisation_id: a.organisation_id.to_string(),
            owner: a.owner.clone(),
            owner_email: d.owner_email.clone().unwrap_or_default(),
            target_on: a.target_on.to_string(),
        },
        reason: String::new(),
    });
    let back = format!("/actions/{id}");
    page.layout.page("Change the action", "/plan", &[("Action plan", "/plan"), ("The action", &back)]);
    let version = assure_core::version_of(&assure_core::learning::revisable(a));
    Ok(EditActionPage { layout: page.layout, id, errors, input, organisations, version })
}

async fn edit_action(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    render(&edit_action_page(&state, page, id, FieldErrors::new(), None).await?)
}

async fn revise_action(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<super::Versioned<assure_core::learning::ActionRevisionInput>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.revise_action(&page.ctx, ActionId(id), &form.input, form.seen()).await {
        Ok(()) => Ok(done(&format!("/actions/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let mut shown = edit_action_page(&state, page, id, errors, Some(form.input)).await?;
            shown.version = form.version;
            render_invalid(&shown)
        }
        Err(CoreError::Changed) => {
            render_invalid(&edit_action_page(&state, page, id, super::changed_since("action", "action"), None).await?)
        }
        Err(e) => Err(e.into()),
    }
}

// --- one action ------------------------------------------------------------------------------

#[derive(Default, Deserialize)]
#[serde(default)]
struct ActionForms {
    #[serde(flatten)]
    progress: ProgressInput,
    #[serde(flatten)]
    milestone: MilestoneInput,
    milestone_id: String,
    done_on: String,
    kind: String,
    narrative: String,
    judgement: String,
    comment: String,
}

#[derive(Template)]
#[template(path = "learning/action.html")]
struct ActionPage {
    layout: Layout,
    d: ActionDetail,
    errors: FieldErrors,
    form: ActionForms,
    /// The evidence whose judgement form sent `errors`.
    judging: i64,
    statuses: Vec<Opt>,
    rags: Vec<Opt>,
    kinds: Vec<Opt>,
    judgements: Vec<Opt>,
    open_milestones: Vec<Opt>,
}

async fn action_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    errors: FieldErrors,
    form: ActionForms,
    judging: i64,
) -> Result<ActionPage, PageError> {
    let d = state.core.action_detail(&page.ctx, ActionId(id)).await?;
    let title = format!("Action for {}", d.item.action.organisation_name);
    page.layout.page(title, "/plan", &[("Action plan", "/plan")]);
    let mut open_milestones = vec![Opt::new("", "Select the milestone")];
    open_milestones.extend(d.milestones.iter().filter(|m| m.done_on.is_none()).map(|m| Opt::new(m.id, m.text.clone())));
    Ok(ActionPage {
        layout: page.layout,
        d,
        errors,
        form,
        judging,
        statuses: Opt::choices::<ActionStatus>("Select the status"),
        rags: Opt::choices::<Rag>("Select the RAG rating"),
        kinds: Opt::choices::<EvidenceKind>("Select the type of evidence"),
        judgements: Opt::choices::<Judgement>("Select the judgement"),
        open_milestones,
    })
}

async fn show_action(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    render(&action_page(&state, page, id, FieldErrors::new(), ActionForms::default(), 0).await?)
}

/// The end of each form on the action page.
async fn finish_action(
    state: &AppState,
    page: Page,
    id: i64,
    result: Result<(), CoreError>,
    flash: &str,
    form: ActionForms,
    judging: i64,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(done(&format!("/actions/{id}"), flash)),
        Err(CoreError::Invalid(errors)) => render_invalid(&action_page(state, page, id, errors, form, judging).await?),
        Err(e) => Err(e.into()),
    }
}

async fn progress(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForms>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.record_progress(&page.ctx, ActionId(id), &form.progress).await;
    finish_action(&state, page, id, result, "updated", form, 0).await
}

async fn add_milestone(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForms>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.add_milestone(&page.ctx, ActionId(id), &form.milestone).await;
    finish_action(&state, page, id, result, "added", form, 0).await
}

async fn milestone_met(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForms>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.complete_milestone(&page.ctx, ActionId(id), &form.milestone_id, &form.done_on).await;
    finish_action(&state, page, id, result, "updated", form, 0).await
}

async fn add_evidence(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let permit = state.core.permit_evidence(&page.ctx, ActionId(id)).await?;
    let mut upload = pending.read(permit).await?;
    let input = EvidenceInput { kind: upload.field("kind"), narrative: upload.field("narrative") };
    let result =
        state.core.add_evidence(&page.ctx, ActionId(id), &input, upload.files_named("files")).await.map(|_| ());
    let form = ActionForms { kind: input.kind, narrative: input.narrative, ..Default::default() };
    finish_action(&state, page, id, result, "added", form, 0).await
}

async fn judge(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForms>,
) -> Result<Response, PageError> {
    let evidence = path_id(&id)?;
    let input = JudgementInput { judgement: form.judgement.clone(), comment: form.comment.clone() };
    match state.core.judge_evidence(&page.ctx, EvidenceId(evidence), &input).await {
        Ok(action) => Ok(done(&format!("/actions/{action}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let action = state.core.evidence_action(&page.ctx, EvidenceId(evidence)).await?;
            render_invalid(&action_page(&state, page, action.0, errors, form, evidence).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// An attachment, always as a download (never rendered in the browser: it is the uploader's content).
async fn download(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let (meta, bytes) = state.core.attachment(&page.ctx, AttachmentId(path_id(&id)?)).await?;
    Ok(attachment_response(&meta.file_name, "application/octet-stream", bytes))
}

/// A rendered document (PDF, Word, workbook) as a download under its own name.
pub fn download_response(d: assure_core::documents::Download) -> Response {
    attachment_response(&d.file_name, d.content_type, d.bytes)
}

/// A file response that the browser saves rather than shows.
pub fn attachment_response(file_name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    let ascii: String =
        file_name.chars().map(|c| if c.is_ascii_alphanumeric() || " ._-()".contains(c) { c } else { '_' }).collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

// --- the Consolidated Action Plan ----------------------------------------------------------

#[derive(Template)]
#[template(path = "learning/plan.html")]
struct PlanPage {
    layout: Layout,
    items: Vec<PlanItem>,
    pager: Pager,
    filter: PlanFilterInput,
    errors: FieldErrors,
    organisations: Vec<Opt>,
    themes: Vec<Opt>,
    arms: Vec<Opt>,
    statuses: Vec<Opt>,
    sources: Vec<Opt>,
    query: String,
}

fn filter_query(f: &PlanFilterInput) -> String {
    let pairs: Vec<(&str, &str)> = [
        ("organisation", f.organisation.as_str()),
        ("theme", f.theme.as_str()),
        ("arm", f.arm.as_str()),
        ("status", f.status.as_str()),
        ("source", f.source.as_str()),
        ("overdue", f.overdue.as_str()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

async fn plan(
    State(state): State<AppState>,
    mut page: Page,
    Query(input): Query<PlanFilterInput>,
) -> Result<Response, PageError> {
    let p = page.partnership;
    let (items, total, errors) = match input.validate() {
        Ok(filter) => {
            let (items, total) = state.core.plan(&page.ctx, p, &filter, Pager::store_page(input.page)).await?;
            (items, total, FieldErrors::new())
        }
        Err(errors) => (Vec::new(), 0, errors),
    };
    let (orgs, _) = state.core.organisations(&page.ctx, p, true, assure_core::structure::Page::ALL).await?;
    let themes = state.core.themes(&page.ctx, p).await?;
    let mut organisations = vec![Opt::new("", "All organisations")];
    organisations.extend(orgs.into_iter().map(|o| Opt::new(o.id, o.name)));
    let mut theme_opts = vec![Opt::new("", "All themes")];
    theme_opts.extend(themes.into_iter().map(|t| Opt::new(t.id, t.name)));
    let query = filter_query(&input);
    let extra = if query.is_empty() { String::new() } else { format!("&{query}") };
    page.layout.page("Consolidated Action Plan", "/plan", &[]);
    let body = PlanPage {
        layout: page.layout,
        items,
        pager: Pager::new(input.page, total, extra),
        errors,
        organisations,
        themes: theme_opts,
        arms: Opt::choices::<ArmKind>("Both arms"),
        statuses: Opt::choices::<ActionStatus>("Open (not started or in progress)"),
        sources: Opt::choices::<assure_domain::learning::PlanSource>("Every source"),
        query,
        filter: input,
    };
    if body.errors.is_empty() { render(&body) } else { render_invalid(&body) }
}

async fn plan_xlsx(
    State(state): State<AppState>,
    page: Page,
    Query(input): Query<PlanFilterInput>,
) -> Result<Response, PageError> {
    let filter = input.validate().map_err(|_| PageError::BadRequest)?;
    Ok(download_response(state.core.plan_xlsx(&page.ctx, page.partnership, &filter).await?))
}

/// How the plan's board paper groups its actions: `?group=organisation`, or by source (the
/// filters are read from the same query as the page's).
#[derive(Debug, Default, Deserialize)]
struct PlanPaperQuery {
    #[serde(default)]
    group: String,
}

async fn plan_pdf(
    state: State<AppState>,
    page: Page,
    filter: Query<PlanFilterInput>,
    query: Query<PlanPaperQuery>,
) -> Result<Response, PageError> {
    plan_paper(state, page, filter, query, Format::Pdf).await
}

async fn plan_archival_pdf(
    state: State<AppState>,
    page: Page,
    filter: Query<PlanFilterInput>,
    query: Query<PlanPaperQuery>,
) -> Result<Response, PageError> {
    plan_paper(state, page, filter, query, Format::ArchivalPdf).await
}

async fn plan_docx(
    state: State<AppState>,
    page: Page,
    filter: Query<PlanFilterInput>,
    query: Query<PlanPaperQuery>,
) -> Result<Response, PageError> {
    plan_paper(state, page, filter, query, Format::Docx).await
}

async fn plan_paper(
    State(state): State<AppState>,
    page: Page,
    Query(filter): Query<PlanFilterInput>,
    Query(query): Query<PlanPaperQuery>,
    format: Format,
) -> Result<Response, PageError> {
    let filter = filter.validate().map_err(|_| PageError::BadRequest)?;
    let by_organisation = match query.group.as_str() {
        "" | "source" => false,
        "organisation" => true,
        _ => return Err(PageError::BadRequest),
    };
    let rendered = state.core.plan_document(&page.ctx, page.partnership, &filter, by_organisation, format).await?;
    Ok(download_response(rendered))
}
