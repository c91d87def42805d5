//! API for the voice of practitioners and the public: the feedback the caller may read (always
//! restricted: every read logged), one piece with its triage, a triage step, and "You said, we
//! did" (listed and recorded).

use assure_core::voice::{Feedback, FeedbackView, SaidDid};
use assure_domain::structure::Choice;
use assure_domain::voice::{SaidDidInput, TriageInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::structure::created;
use crate::api::{ApiJson, ListOf, Paging, Query, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackOut {
    id: i64,
    /// As people quote it: "FB-12".
    reference: String,
    giver: String,
    topic: String,
    feedback: String,
    /// How to reply, when the person asked for a reply.
    reply_to: Option<String>,
    status: String,
    /// The subgroup it was passed on to.
    body_id: Option<i64>,
    /// The agency it was passed on to.
    organisation_id: Option<i64>,
    received_at: String,
}

fn feedback_out(f: &Feedback) -> FeedbackOut {
    FeedbackOut {
        id: f.id,
        reference: assure_domain::voice::reference(f.number),
        giver: f.giver.code().into(),
        topic: f.topic.code().into(),
        feedback: f.feedback.clone(),
        reply_to: f.reply_to.clone(),
        status: f.status.code().into(),
        body_id: f.body_id,
        organisation_id: f.organisation_id.map(|o| o.0),
        received_at: f.received_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackStepOut {
    step: String,
    /// Where it left the feedback.
    status: String,
    /// The subgroup's or agency's name it was passed on to.
    routed_to: Option<String>,
    note: Option<String>,
    by: String,
    created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackDetailOut {
    #[serde(flatten)]
    feedback: FeedbackOut,
    steps: Vec<FeedbackStepOut>,
}

fn detail_out(v: &FeedbackView) -> FeedbackDetailOut {
    FeedbackDetailOut {
        feedback: feedback_out(&v.feedback),
        steps: v
            .steps
            .iter()
            .map(|s| FeedbackStepOut {
                step: s.step.code().into(),
                status: s.status.code().into(),
                routed_to: s.routed_to.clone(),
                note: s.note.clone(),
                by: s.by_label.clone(),
                created_at: s.created_at.clone(),
            })
            .collect(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VoiceParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The feedback you may read (the business unit and the scrutineer all of it, an agency lead what
/// was passed on to their organisation), the latest first. The read is logged.
#[utoipa::path(get, path = "/feedback", tag = "voice", params(VoiceParams), responses((status = 200, body = ListOf<FeedbackOut>), (status = 404, body = Problem)))]
pub async fn feedback(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<VoiceParams>,
) -> Result<Json<ListOf<FeedbackOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let inbox = state.core.feedback_inbox(&user.ctx, p).await?;
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(inbox.items.iter().map(feedback_out).collect())))
}

/// One piece of feedback with its triage. The read is logged.
#[utoipa::path(get, path = "/feedback/{id}", tag = "voice", params(("id" = i64, Path)), responses((status = 200, body = FeedbackDetailOut), (status = 404, body = Problem)))]
pub async fn feedback_item(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<FeedbackDetailOut>, ApiError> {
    Ok(Json(detail_out(&state.core.feedback_item(&user.ctx, path_id(&id)?).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TriageIn {
    /// acknowledge, route, respond, close or reopen.
    #[serde(default)]
    #[schema(required = true, example = "acknowledge")]
    step: String,
    /// To pass it on to a subgroup (a body's id)...
    #[serde(default)]
    body_id: Option<i64>,
    /// ...or to an agency (an organisation's id).
    #[serde(default)]
    organisation_id: Option<i64>,
    /// The response, what was done, or why it closes (required to respond and to close).
    #[serde(default)]
    note: Option<String>,
}

/// Moves a piece of feedback on (the business unit).
#[utoipa::path(post, path = "/feedback/{id}/triage", tag = "voice", params(("id" = i64, Path)), request_body = TriageIn, responses((status = 200, body = FeedbackDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn triage(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TriageIn>,
) -> Result<Json<FeedbackDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let s = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let input = TriageInput {
        step: b.step,
        body_id: s(b.body_id),
        organisation_id: s(b.organisation_id),
        note: b.note.unwrap_or_default(),
    };
    state.core.triage_feedback(&user.ctx, id, &input).await?;
    Ok(Json(detail_out(&state.core.feedback_item(&user.ctx, id).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SaidDidOut {
    id: i64,
    you_said: String,
    we_did: String,
    done_on: String,
    /// Shown on the partnership's public page.
    published: bool,
    /// The feedback it answers.
    feedback_id: Option<i64>,
}

fn said_did_out(s: &SaidDid) -> SaidDidOut {
    SaidDidOut {
        id: s.id,
        you_said: s.you_said.clone(),
        we_did: s.we_did.clone(),
        done_on: s.done_on.to_string(),
        published: s.published,
        feedback_id: s.feedback_id,
    }
}

/// "You said, we did", the latest done first.
#[utoipa::path(get, path = "/you-said-we-did", tag = "voice", params(VoiceParams), responses((status = 200, body = ListOf<SaidDidOut>), (status = 404, body = Problem)))]
pub async fn said_did(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<VoiceParams>,
) -> Result<Json<ListOf<SaidDidOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let list = state.core.said_did_list(&user.ctx, p).await?;
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(list.entries.iter().map(said_did_out).collect())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SaidDidIn {
    #[serde(default)]
    #[schema(required = true, example = "You told us that the festive season can be hard for care leavers")]
    you_said: String,
    #[serde(default)]
    #[schema(required = true, example = "So every care leaver gets a pack in December")]
    we_did: String,
    #[serde(default)]
    #[schema(required = true, example = "2022-12-01")]
    done_on: String,
    /// Show it on the partnership's public page.
    #[serde(default)]
    published: Option<bool>,
    #[serde(default)]
    feedback_id: Option<i64>,
}

/// Records a "You said, we did" entry (the business unit).
#[utoipa::path(post, path = "/you-said-we-did", tag = "voice", params(VoiceParams), request_body = SaidDidIn, responses((status = 201, body = SaidDidOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn record_said_did(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<VoiceParams>,
    ApiJson(b): ApiJson<SaidDidIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = SaidDidInput {
        you_said: b.you_said,
        we_did: b.we_did,
        done_on: b.done_on,
        published: if b.published.unwrap_or(false) { "yes".into() } else { String::new() },
        feedback_id: b.feedback_id.map(|f| f.to_string()).unwrap_or_default(),
    };
    let id = state.core.record_said_did(&user.ctx, p, &input).await?;
    let entry = state.core.said_did_entry(&user.ctx, id).await?;
    Ok(created("/api/v1/you-said-we-did".to_owned(), said_did_out(&entry)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyOut {
    id: i64,
    title: String,
    intro: Option<String>,
    /// The questions as the question set writes them: "scale: …", "choice: … | option | option",
    /// "text: …".
    questions: Vec<String>,
    closes_on: Option<String>,
    /// It takes answers today.
    open: bool,
    responses: i64,
}

fn survey_out(s: &assure_core::voice::Survey, open: bool) -> SurveyOut {
    SurveyOut {
        id: s.id,
        title: s.title.clone(),
        intro: s.intro.clone(),
        questions: s.questions.iter().map(|q| q.line()).collect(),
        closes_on: s.closes_on.map(|d| d.to_string()),
        open,
        responses: s.responses,
    }
}

/// The partnership's surveys (the business unit and the scrutineer), the latest first.
#[utoipa::path(get, path = "/surveys", tag = "voice", params(VoiceParams), responses((status = 200, body = ListOf<SurveyOut>), (status = 404, body = Problem)))]
pub async fn surveys(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<VoiceParams>,
) -> Result<Json<ListOf<SurveyOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let list = state.core.surveys(&user.ctx, p).await?;
    Ok(Json(
        Paging { page: q.page, per_page: q.per_page }.of(list.surveys.iter().map(|(s, o)| survey_out(s, *o)).collect()),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionResultOut {
    question: String,
    answered: usize,
    /// A scale's points or a choice's options, each with how many chose it.
    counts: Vec<CountOut>,
    /// A scale's mean, to one decimal place.
    mean: Option<f64>,
    /// The written answers.
    written: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountOut {
    answer: String,
    count: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyResultsOut {
    #[serde(flatten)]
    survey: SurveyOut,
    results: Vec<QuestionResultOut>,
}

/// A survey with its results counted.
#[utoipa::path(get, path = "/surveys/{id}", tag = "voice", params(("id" = i64, Path)), responses((status = 200, body = SurveyResultsOut), (status = 404, body = Problem)))]
pub async fn survey(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<SurveyResultsOut>, ApiError> {
    let v = state.core.survey_results(&user.ctx, path_id(&id)?).await?;
    Ok(Json(SurveyResultsOut {
        survey: survey_out(&v.survey, v.open),
        results: v
            .results
            .iter()
            .map(|r| QuestionResultOut {
                question: r.question.text().to_owned(),
                answered: r.answered,
                counts: r.counts.iter().map(|(a, n)| CountOut { answer: a.clone(), count: *n }).collect(),
                mean: r.mean,
                written: r.written.clone(),
            })
            .collect(),
    }))
}
