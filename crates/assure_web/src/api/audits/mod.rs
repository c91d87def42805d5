//! API for assurance audits: campaigns and their progress, one organisation's return (read,
//! answer, submit, moderate, discuss), the analysis, and reminders to the organisations yet to
//! return. The same rules as the pages: a return is seen by its organisation and by the
//! business unit and scrutineer of the partnerships running the campaign, and every read is
//! logged.

pub mod frameworks;

use assure_domain::{AssessmentId, CampaignId};
use std::collections::BTreeMap;

use assure_core::audits::{AnalysisFilter, AssessmentView, CampaignView, Progress};
use assure_domain::audits::assessment::{AnswerInput, ModerationInput};
use assure_domain::structure::Choice;
use axum::Json;
use axum::extract::{Path, State};

use crate::api::Query;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ListOf, Paging, path_id};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressOut {
    /// Every organisation the campaign went to, with its return's state.
    recipients: usize,
    /// Returns submitted or closed.
    returned: usize,
    /// Returns started but not submitted.
    in_progress: usize,
    /// Returns not started.
    not_started: usize,
    /// "58 of 62 returned (93.5%)".
    summary: String,
}

impl From<&Progress> for ProgressOut {
    fn from(p: &Progress) -> Self {
        ProgressOut {
            recipients: p.recipients,
            returned: p.returned,
            in_progress: p.in_progress,
            not_started: p.not_started,
            summary: p.summary(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignOut {
    /// The campaign's id.
    id: i64,
    /// The campaign's title.
    title: String,
    /// The framework version it uses.
    framework_id: i64,
    /// The framework's title and version.
    framework: String,
    /// The opening date.
    opens_on: String,
    /// The closing date.
    closes_on: String,
    /// The partnerships running it, the lead first.
    partnership_ids: Vec<i64>,
    /// How many returns are in.
    progress: ProgressOut,
}

fn campaign_out(c: &assure_core::audits::Campaign, p: &Progress) -> CampaignOut {
    CampaignOut {
        id: c.id.0,
        title: c.title.clone(),
        framework_id: c.framework_id,
        framework: c.framework_title.clone(),
        opens_on: c.opens_on.to_string(),
        closes_on: c.closes_on.to_string(),
        partnership_ids: c.partnerships.iter().map(|p| p.0).collect(),
        progress: p.into(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnershipParam {
    /// The partnership's short name; defaults to your only partnership.
    pub partnership: Option<String>,
}

/// The campaigns a partnership leads or runs jointly, newest first, with their progress.
#[utoipa::path(get, path = "/campaigns", tag = "audits", params(PartnershipParam, Paging), responses((status = 200, body = ListOf<CampaignOut>), (status = 401, body = Problem)))]
pub async fn campaigns(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<CampaignOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let list = state.core.campaigns(&user.ctx, p).await?;
    Ok(Json(paging.of(list.iter().map(|(c, progress)| campaign_out(c, progress)).collect())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecipientOut {
    /// The return's id.
    assessment_id: i64,
    /// The organisation's id.
    organisation_id: i64,
    /// The organisation's name.
    organisation: String,
    /// draft, submitted, changes_requested, resubmitted or closed.
    state: String,
    /// The business unit lifted the lock after the closing date.
    lock_lifted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignDetailOut {
    #[serde(flatten)]
    campaign: CampaignOut,
    recipients: Vec<RecipientOut>,
}

fn campaign_detail(v: &CampaignView) -> CampaignDetailOut {
    CampaignDetailOut {
        campaign: campaign_out(&v.campaign, &v.progress),
        recipients: v
            .assessments
            .iter()
            .map(|a| RecipientOut {
                assessment_id: a.id.0,
                organisation_id: a.organisation_id,
                organisation: a.organisation_name.clone(),
                state: a.state.code().into(),
                lock_lifted: a.unlocked,
            })
            .collect(),
    }
}

/// One campaign: where each recipient's return has got.
#[utoipa::path(get, path = "/campaigns/{id}", tag = "audits", params(("id" = i64, Path)), responses((status = 200, body = CampaignDetailOut), (status = 404, body = Problem)))]
pub async fn campaign(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<CampaignDetailOut>, ApiError> {
    let v = state.core.campaign(&user.ctx, CampaignId(path_id(&id)?)).await?;
    Ok(Json(campaign_detail(&v)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnalysisParams {
    /// self (default) or moderated.
    pub scores: Option<String>,
    /// A sector code, such as education or police.
    pub sector: Option<String>,
    /// The id of one of the partnerships running the campaign.
    pub partnership: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StandardOut {
    /// The standard's id in the framework.
    id: String,
    /// The standard's title.
    title: String,
    /// The mean score on the standard, this campaign.
    mean: Option<f64>,
    /// The mean score last cycle; null if none.
    previous_mean: Option<f64>,
    /// Returns nearest each level of the scheme, in the scheme's order.
    distribution: Vec<usize>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnalysisRowOut {
    /// The return's id.
    assessment_id: i64,
    /// The organisation's name.
    organisation: String,
    /// The organisation's sector.
    sector: String,
    /// The organisation's partnership (a campaign may be run jointly).
    partnership_id: i64,
    /// Each standard's score, in the order of `standards`.
    scores: Vec<Option<f64>>,
    /// The same organisation's scores in the previous cycle.
    previous: Vec<Option<f64>>,
    /// Scores are the moderated ones where the assessor moderated.
    moderated: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnalysisOut {
    /// The campaign analysed.
    campaign_id: i64,
    /// self or moderated.
    scores: String,
    /// The scheme's level values, for reading `distribution`.
    levels: Vec<i64>,
    /// The framework's standards, with their mean scores now and last cycle.
    standards: Vec<StandardOut>,
    /// One row per return, with its score on each standard.
    rows: Vec<AnalysisRowOut>,
    /// The last campaign of the same framework, compared with; null if none.
    previous_campaign_id: Option<i64>,
}

/// A campaign's returns side by side (the business unit and the scrutineer): scores by
/// organisation and standard, each standard's spread, and the change since the last cycle.
#[utoipa::path(get, path = "/campaigns/{id}/analysis", tag = "audits", params(("id" = i64, Path), AnalysisParams), responses((status = 200, body = AnalysisOut), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn analysis(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<AnalysisParams>,
) -> Result<Json<AnalysisOut>, ApiError> {
    let query: Vec<(String, String)> = [("scores", q.scores), ("sector", q.sector), ("partnership", q.partnership)]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
        .collect();
    let filter = AnalysisFilter::from_query(&query)?;
    let a = state.core.campaign_analysis(&user.ctx, CampaignId(path_id(&id)?), &filter).await?;
    Ok(Json(AnalysisOut {
        campaign_id: a.campaign.id.0,
        scores: a.filter.view.code().into(),
        levels: a.framework.scheme.levels.iter().map(|l| l.value).collect(),
        standards: a
            .standards
            .iter()
            .map(|s| StandardOut {
                id: s.id.clone(),
                title: s.title.clone(),
                mean: s.mean,
                previous_mean: s.previous_mean,
                distribution: s.distribution.clone(),
            })
            .collect(),
        rows: a
            .rows
            .iter()
            .map(|r| AnalysisRowOut {
                assessment_id: r.assessment_id,
                organisation: r.organisation.clone(),
                sector: r.sector.clone(),
                partnership_id: r.partnership.0,
                scores: r.scores.clone(),
                previous: r.previous.clone(),
                moderated: r.moderated,
            })
            .collect(),
        previous_campaign_id: a.previous.as_ref().map(|c| c.id.0),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NudgeOut {
    /// The organisations reminded.
    organisations: usize,
    /// How many people were e-mailed.
    people: usize,
    /// Organisations yet to return with no one holding an account: send them a link.
    without_accounts: Vec<String>,
    /// What was done, in a sentence.
    summary: String,
}

/// Reminds every organisation yet to return (its agency leads, in the application and by
/// e-mail), at most once a day for each return. The business unit only.
#[utoipa::path(post, path = "/campaigns/{id}/reminders", tag = "audits", params(("id" = i64, Path)), responses((status = 200, body = NudgeOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remind(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<NudgeOut>, ApiError> {
    let r = state.core.remind_laggards(&user.ctx, CampaignId(path_id(&id)?)).await?;
    Ok(Json(NudgeOut {
        summary: r.summary(),
        organisations: r.organisations,
        people: r.people,
        without_accounts: r.unreachable,
    }))
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AnswerIo {
    /// The question's id, such as "1.1".
    question: String,
    /// A score on the framework's scheme (score questions).
    score: Option<i64>,
    /// Why the question does not apply (where the framework allows it).
    not_applicable: Option<String>,
    /// The answer to any other question: yes/no/partly, a choice, text, a number or a date.
    value: Option<String>,
    /// The evidence the answer rests on (a document's name, a link, a sentence).
    evidence: Option<String>,
}

/// One answer of a return, as read: what was answered, and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerOut {
    /// The question's id, such as "1.1".
    question: String,
    /// A score on the framework's scheme (score questions).
    score: Option<i64>,
    /// Why the question does not apply.
    not_applicable: Option<String>,
    /// The answer to any other question.
    value: Option<String>,
    /// The evidence the answer rests on.
    evidence: Option<String>,
    /// False for an answer carried from the last cycle and not yet confirmed.
    confirmed: bool,
    /// The assessor's moderated score; null if not moderated.
    moderated_score: Option<i64>,
    /// The file given as the answer, if any (download it from the page).
    file: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentOut {
    /// The question's id in the framework.
    question: String,
    /// assessor or respondent.
    party: String,
    /// The comment.
    body: String,
    /// Who wrote it.
    by: String,
    /// When (UTC).
    at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentOut {
    /// The return's id.
    id: i64,
    /// The campaign's id.
    campaign_id: i64,
    /// The organisation's id.
    organisation_id: i64,
    /// The organisation's name.
    organisation: String,
    /// Where the return is.
    state: String,
    /// The respondent may change answers now.
    editable: bool,
    /// Closed to changes (after closing, until the lock is lifted).
    locked: bool,
    /// Each standard's self score and moderated score, by standard id.
    scores: BTreeMap<String, Option<f64>>,
    /// The assessor's moderated scores, by question.
    moderated_scores: BTreeMap<String, Option<f64>>,
    /// Every answer given, by question.
    answers: Vec<AnswerOut>,
    /// The challenge threads, one comment at a time.
    discussion: Vec<CommentOut>,
}

fn assessment_out(v: AssessmentView) -> AssessmentOut {
    AssessmentOut {
        id: v.assessment.id.0,
        campaign_id: v.campaign.id.0,
        organisation_id: v.assessment.organisation_id,
        organisation: v.assessment.organisation_name.clone(),
        state: v.assessment.state.code().into(),
        editable: v.editable,
        locked: v.locked,
        answers: v
            .answers
            .values()
            .map(|a| AnswerOut {
                question: a.question.clone(),
                score: a.score,
                not_applicable: a.not_applicable.clone(),
                value: a.value.clone(),
                evidence: a.evidence.clone(),
                confirmed: a.confirmed,
                moderated_score: v.moderated.get(&a.question).map(|m| m.score),
                file: v.files.get(&a.question).map(|f| f.file_name.clone()),
            })
            .collect(),
        discussion: v
            .challenges
            .values()
            .flatten()
            .map(|c| CommentOut {
                question: c.question.clone(),
                party: assure_domain::structure::Choice::code(c.party).to_owned(),
                body: c.body.clone(),
                by: c.by_label.clone(),
                at: c.created_at.clone(),
            })
            .collect(),
        scores: v.scores,
        moderated_scores: v.moderated_scores,
    }
}

/// One organisation's return: answers, moderated scores, discussion. The read is logged.
#[utoipa::path(get, path = "/assessments/{id}", tag = "audits", params(("id" = i64, Path)), responses((status = 200, body = AssessmentOut), (status = 404, body = Problem)))]
pub async fn assessment(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<AssessmentOut>, ApiError> {
    Ok(Json(assessment_out(state.core.assessment(&user.ctx, AssessmentId(path_id(&id)?)).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersIn {
    /// The answers to change; questions left out keep their answers. An answer with neither
    /// score, not_applicable nor value clears that question.
    answers: Vec<AnswerIo>,
}

/// Answers questions of a return (the answering organisation), all or none; each answer sent
/// counts as confirmed.
#[utoipa::path(post, path = "/assessments/{id}/answers", tag = "audits", params(("id" = i64, Path)), request_body = AnswersIn, responses((status = 200, body = AssessmentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AnswersIn>,
) -> Result<Json<AssessmentOut>, ApiError> {
    let id = path_id(&id)?;
    let current = state.core.assessment(&user.ctx, AssessmentId(id)).await?;
    // The form's whole set: every answer kept, with the ones sent in their place.
    let mut merged: BTreeMap<String, AnswerIo> = current
        .answers
        .values()
        .map(|a| {
            (
                a.question.clone(),
                AnswerIo {
                    question: a.question.clone(),
                    score: a.score,
                    not_applicable: a.not_applicable.clone(),
                    value: a.value.clone(),
                    evidence: a.evidence.clone(),
                },
            )
        })
        .collect();
    for a in body.answers {
        merged.insert(a.question.trim().to_owned(), a);
    }
    let answers: Vec<AnswerInput> = merged
        .into_iter()
        .map(|(question, a)| AnswerInput {
            question,
            score: a.score.map(|s| s.to_string()).unwrap_or_default(),
            not_applicable: a.not_applicable.unwrap_or_default(),
            value: a.value.unwrap_or_default(),
            evidence: a.evidence.unwrap_or_default(),
        })
        .collect();
    state.core.save_answers(&user.ctx, AssessmentId(id), &answers).await?;
    Ok(Json(assessment_out(state.core.assessment(&user.ctx, AssessmentId(id)).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepIn {
    /// submit (the organisation), or request_changes, close or reopen (the assessor).
    step: String,
    /// Required to request changes or reopen.
    #[serde(default)]
    reason: String,
}

/// Moves a return on: submit, request changes, close or reopen.
#[utoipa::path(post, path = "/assessments/{id}/steps", tag = "audits", params(("id" = i64, Path)), request_body = StepIn, responses((status = 200, body = AssessmentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn step(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepIn>,
) -> Result<Json<AssessmentOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.step_assessment(&user.ctx, AssessmentId(id), &body.step, &body.reason).await?;
    Ok(Json(assessment_out(state.core.assessment(&user.ctx, AssessmentId(id)).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerationIn {
    /// Moderated scores by question id; null goes back to the self score.
    scores: BTreeMap<String, Option<i64>>,
}

/// Sets the assessor's moderated scores on a submitted return, all or none.
#[utoipa::path(post, path = "/assessments/{id}/moderation", tag = "audits", params(("id" = i64, Path)), request_body = ModerationIn, responses((status = 200, body = AssessmentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn moderate(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ModerationIn>,
) -> Result<Json<AssessmentOut>, ApiError> {
    let id = path_id(&id)?;
    let scores: Vec<ModerationInput> = body
        .scores
        .into_iter()
        .map(|(question, s)| ModerationInput { question, score: s.map(|s| s.to_string()).unwrap_or_default() })
        .collect();
    state.core.moderate(&user.ctx, AssessmentId(id), &scores).await?;
    Ok(Json(assessment_out(state.core.assessment(&user.ctx, AssessmentId(id)).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentIn {
    /// The question's id in the framework.
    question: String,
    /// The comment.
    body: String,
}

/// Adds to a question's discussion: the assessor challenges, the organisation replies.
#[utoipa::path(post, path = "/assessments/{id}/challenges", tag = "audits", params(("id" = i64, Path)), request_body = CommentIn, responses((status = 200, body = AssessmentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn discuss(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CommentIn>,
) -> Result<Json<AssessmentOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.add_challenge(&user.ctx, AssessmentId(id), &body.question, &body.body).await?;
    Ok(Json(assessment_out(state.core.assessment(&user.ctx, AssessmentId(id)).await?)))
}
