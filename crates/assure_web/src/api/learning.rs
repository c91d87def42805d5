//! API for the learning loop: the Consolidated Action Plan, a review's recommendations, actions
//! and their progress, and a review's chronology.

use assure_core::learning::{PlanItem, RecommendationItem};
use assure_core::reviews::chronology::MergedEntry;
use assure_domain::learning::{ActionInput, PlanFilterInput, ProgressInput, RecommendationInput};
use assure_domain::reviews::chronology::EntryInput;
use assure_domain::structure::Choice;
use assure_domain::{ActionId, RecommendationId, ReviewId};
use axum::Json;
use axum::extract::{Path, State};

use crate::api::Query;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::structure::created;
use super::{ApiJson, ListOf, Paging, as_named, path_id};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct ActionOut {
    /// The action's id.
    id: i64,
    /// What will be done.
    text: String,
    /// The lead organisation's id.
    organisation_id: i64,
    /// The lead organisation's name.
    organisation: String,
    /// The named owner.
    owner: String,
    /// The date it is due to be done.
    target_on: String,
    /// not_started, in_progress, completed or cancelled.
    status: String,
    /// red, amber or green, once progress has been reported.
    rag: Option<String>,
    /// The day it was marked completed; null until then.
    completed_on: Option<String>,
    /// Past its target date and not completed.
    overdue: bool,
    /// The recommendation's id.
    recommendation_id: i64,
    /// The recommendation's number.
    recommendation_number: String,
    /// The recommendation's text.
    recommendation: String,
    /// The source as you may know it: a review you may not see is named only by its type.
    source: String,
    /// Where the recommendation came from: review, audit, inspection or partnership.
    source_kind: String,
    /// The source review, when you may see it.
    review_id: Option<i64>,
    /// The source audit campaign, for an audit's finding.
    campaign_id: Option<i64>,
    /// The source inspection, when you may see it.
    inspection_id: Option<i64>,
    /// The subgroup that owns the recommendation.
    owning_subgroup: String,
    /// How many pieces of evidence have been added.
    evidence_count: i64,
    /// How many pieces of evidence the owning subgroup judged assured.
    assured_count: i64,
    /// You may report progress and evidence on it.
    can_update: bool,
}

impl From<PlanItem> for ActionOut {
    fn from(i: PlanItem) -> Self {
        let a = i.action;
        ActionOut {
            id: a.id.0,
            text: a.text,
            organisation_id: a.organisation_id,
            organisation: a.organisation_name,
            owner: a.owner,
            target_on: a.target_on.to_string(),
            status: a.status.code().into(),
            rag: a.rag.map(|r| r.code().to_owned()),
            completed_on: a.completed_on.map(|d| d.to_string()),
            overdue: i.overdue,
            recommendation_id: a.recommendation_id,
            recommendation_number: a.recommendation_number,
            recommendation: a.recommendation_text,
            source_kind: i.source.kind.code().into(),
            source: i.source.label,
            review_id: i.source.review_id,
            campaign_id: i.source.campaign_id,
            inspection_id: i.source.inspection_id,
            owning_subgroup: a.body_name,
            evidence_count: a.evidence_count,
            assured_count: a.assured_count,
            can_update: i.can_update,
        }
    }
}

/// The plan's filters, paging and partnership.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanParams {
    /// The partnership's short name; defaults to your only partnership.
    pub partnership: Option<String>,
    /// Lead organisation id.
    pub organisation: Option<String>,
    /// Theme id (of the recommendation or its review).
    pub theme: Option<String>,
    /// children or adults.
    pub arm: Option<String>,
    /// not_started, in_progress, completed or cancelled; default: every open action.
    pub status: Option<String>,
    /// review, audit, inspection or partnership: only actions of recommendations from there.
    pub source: Option<String>,
    /// yes: only overdue actions.
    pub overdue: Option<String>,
    pub page: Option<i64>,
    /// Items per page, 1 to 200 (default 50).
    pub per_page: Option<i64>,
}

/// The Consolidated Action Plan: actions from every recommendation, soonest target first.
#[utoipa::path(get, path = "/plan", tag = "learning", params(PlanParams), responses((status = 200, body = ListOf<ActionOut>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn plan(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PlanParams>,
) -> Result<Json<ListOf<ActionOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let filter = PlanFilterInput {
        organisation: q.organisation.unwrap_or_default(),
        theme: q.theme.unwrap_or_default(),
        arm: q.arm.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        source: q.source.unwrap_or_default(),
        overdue: q.overdue.unwrap_or_default(),
        page: None,
    }
    .validate()?;
    let per = super::per_page(q.per_page);
    let page = super::page_number(q.page);
    let store_page = assure_core::structure::Page { limit: per, offset: (page - 1) * per };
    let (items, total) = state.core.plan(&user.ctx, p, &filter, store_page).await?;
    Ok(Json(ListOf { items: items.into_iter().map(Into::into).collect(), total, page, per_page: per }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationOut {
    /// The recommendation's id.
    id: i64,
    /// The recommendation's number, unique on its review.
    number: String,
    /// The recommendation.
    text: String,
    /// local, regional or national.
    scope: String,
    /// The subgroup's id.
    owning_subgroup_id: i64,
    /// The subgroup that owns it.
    owning_subgroup: String,
    /// The theme's name.
    theme: Option<String>,
    /// implement (every recommendation until decided otherwise) or not_implement.
    decision: String,
    /// Why it will not be implemented.
    decision_reason: Option<String>,
    /// The day it was decided, when recorded.
    decided_on: Option<String>,
    /// The actions on the plan that answer it.
    actions: Vec<ActionOut>,
}

impl From<RecommendationItem> for RecommendationOut {
    fn from(i: RecommendationItem) -> Self {
        let r = i.recommendation;
        RecommendationOut {
            id: r.id.0,
            number: r.number,
            text: r.text,
            scope: r.scope.code().into(),
            owning_subgroup_id: r.body_id,
            owning_subgroup: r.body_name,
            theme: r.theme_name,
            decision: r.decision.code().into(),
            decision_reason: r.decision_reason,
            decided_on: r.decided_on.map(|d| d.to_string()),
            actions: i.actions.into_iter().map(Into::into).collect(),
        }
    }
}

/// A review's recommendations with their actions (part of the restricted review; the read is logged).
#[utoipa::path(get, path = "/reviews/{id}/recommendations", tag = "learning", params(("id" = i64, Path), Paging), responses((status = 200, body = ListOf<RecommendationOut>), (status = 404, body = Problem)))]
pub async fn recommendations(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<RecommendationOut>>, ApiError> {
    let items = state.core.review_recommendations(&user.ctx, ReviewId(path_id(&id)?)).await?;
    Ok(Json(paging.of(items.into_iter().map(Into::into).collect())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RecommendationIn {
    /// The recommendation's number, unique on its review.
    #[serde(default)]
    #[schema(required = true, example = "1")]
    number: String,
    /// The recommendation.
    #[serde(default)]
    #[schema(required = true, example = "Agencies share concerns about neglect at the first strategy discussion")]
    text: String,
    /// local, regional or national.
    #[serde(default)]
    #[schema(required = true, example = "local")]
    scope: String,
    /// The subgroup that owns it and judges its evidence.
    #[serde(default)]
    #[schema(required = true, nullable = false)]
    owning_subgroup_id: Option<i64>,
    /// The theme it addresses, if any.
    #[serde(default)]
    theme_id: Option<i64>,
}

impl RecommendationIn {
    /// The recommendation as the use-cases take it.
    pub(crate) fn input(self) -> RecommendationInput {
        let s = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        RecommendationInput {
            number: self.number,
            text: self.text,
            scope: self.scope,
            body_id: s(self.owning_subgroup_id),
            theme_id: s(self.theme_id),
        }
    }
}

/// Adds a recommendation to a review.
#[utoipa::path(post, path = "/reviews/{id}/recommendations", tag = "learning", params(("id" = i64, Path)), request_body = RecommendationIn, responses((status = 201, body = Vec<RecommendationOut>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_recommendation(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RecommendationIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = b.input();
    as_named(
        state.core.add_recommendation(&user.ctx, ReviewId(id), &input).await,
        &[("body_id", "owning_subgroup_id")],
    )?;
    let items = state.core.review_recommendations(&user.ctx, ReviewId(id)).await?;
    let body: Vec<RecommendationOut> = items.into_iter().map(Into::into).collect();
    Ok(created(format!("/api/v1/reviews/{id}/recommendations"), body))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RecommendationDecisionIn {
    /// implement or not_implement.
    #[serde(default)]
    #[schema(required = true, example = "not_implement")]
    decision: String,
    /// Why: required to decide not to implement it.
    #[serde(default)]
    reason: Option<String>,
    /// The day it was decided: not in the future.
    #[serde(default)]
    #[schema(required = true, example = "2023-09-12")]
    decided_on: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationDecisionOut {
    /// The recommendation's id.
    id: i64,
    decision: String,
    reason: Option<String>,
    decided_on: Option<String>,
    /// Who recorded it.
    decided_by: Option<String>,
}

/// Records what the partnership decided about a recommendation: to implement it, or not and why
/// (whoever may change the recommendation).
#[utoipa::path(post, path = "/recommendations/{id}/decision", tag = "learning", params(("id" = i64, Path)), request_body = RecommendationDecisionIn, responses((status = 200, body = RecommendationDecisionOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RecommendationDecisionIn>,
) -> Result<Json<RecommendationDecisionOut>, ApiError> {
    let id = RecommendationId(path_id(&id)?);
    let input = assure_domain::learning::DecisionInput {
        decision: b.decision,
        reason: b.reason.unwrap_or_default(),
        decided_on: b.decided_on,
    };
    state.core.decide_recommendation(&user.ctx, id, &input).await?;
    let r = state.core.recommendation(&user.ctx, id).await?;
    Ok(Json(RecommendationDecisionOut {
        id: r.id.0,
        decision: r.decision.code().into(),
        reason: r.decision_reason,
        decided_on: r.decided_on.map(|d| d.to_string()),
        decided_by: r.decided_by,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionIn {
    /// What will be done.
    #[serde(default)]
    #[schema(required = true, example = "Brief every response officer on the neglect toolkit")]
    text: String,
    /// The lead organisation (one of the partnership's).
    #[serde(default)]
    #[schema(required = true, nullable = false)]
    organisation_id: Option<i64>,
    /// The named owner.
    #[serde(default)]
    #[schema(required = true, example = "Head of Public Protection")]
    owner: String,
    /// The owner's account, if they have one.
    #[serde(default)]
    owner_email: Option<String>,
    /// The date it is due to be done.
    #[serde(default)]
    #[schema(required = true, example = "2027-03-31")]
    target_on: String,
}

/// Adds an action to a recommendation.
#[utoipa::path(post, path = "/recommendations/{id}/actions", tag = "learning", params(("id" = i64, Path)), request_body = ActionIn, responses((status = 201, body = ActionOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_action(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ActionIn>,
) -> Result<Response, ApiError> {
    let input = ActionInput {
        action: b.text,
        organisation_id: b.organisation_id.map(|v| v.to_string()).unwrap_or_default(),
        owner: b.owner,
        owner_email: b.owner_email.unwrap_or_default(),
        target_on: b.target_on,
    };
    let action = as_named(
        state.core.add_action(&user.ctx, RecommendationId(path_id(&id)?), &input).await,
        &[("action", "text")],
    )?;
    let detail = state.core.action_detail(&user.ctx, action).await?;
    Ok(created(format!("/api/v1/actions/{action}"), ActionOut::from(detail.item)))
}

/// One action.
#[utoipa::path(get, path = "/actions/{id}", tag = "learning", params(("id" = i64, Path)), responses((status = 200, body = ActionOut), (status = 404, body = Problem)))]
pub async fn get_action(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ActionOut>, ApiError> {
    Ok(Json(state.core.action_detail(&user.ctx, ActionId(path_id(&id)?)).await?.item.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProgressIn {
    /// What has happened.
    #[serde(default)]
    #[schema(required = true, example = "Briefings delivered to two of three shifts")]
    note: String,
    /// not_started, in_progress, completed or cancelled.
    #[serde(default)]
    #[schema(required = true, example = "in_progress")]
    status: String,
    /// red, amber or green.
    #[serde(default)]
    #[schema(required = true, example = "amber")]
    rag: String,
}

/// Reports progress on an action (its lead organisation's agency leads and the business unit).
#[utoipa::path(post, path = "/actions/{id}/progress", tag = "learning", params(("id" = i64, Path)), request_body = ProgressIn, responses((status = 200, body = ActionOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn progress(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ProgressIn>,
) -> Result<Json<ActionOut>, ApiError> {
    let id = path_id(&id)?;
    let input = ProgressInput { note: b.note, status: b.status, rag: b.rag };
    state.core.record_progress(&user.ctx, ActionId(id), &input).await?;
    Ok(Json(state.core.action_detail(&user.ctx, ActionId(id)).await?.item.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryOut {
    /// The entry's id.
    id: i64,
    /// The agency the entry comes from.
    organisation_id: i64,
    /// The agency's name.
    organisation: String,
    /// The first day of the period the date names.
    date: String,
    /// day, month or year.
    precision: String,
    /// The time of day, if known (HH:MM).
    time: Option<String>,
    /// The record the entry comes from.
    source: String,
    /// What happened.
    event: String,
    /// The panel's comment on it.
    comment: Option<String>,
    /// Ids of entries from other agencies that probably record the same event.
    possible_duplicates: Vec<i64>,
}

impl From<MergedEntry> for EntryOut {
    fn from(m: MergedEntry) -> Self {
        let e = m.entry;
        EntryOut {
            id: e.id,
            organisation_id: e.organisation_id,
            organisation: e.organisation_name,
            date: e.date.on.to_string(),
            precision: e.date.precision.code().into(),
            time: e.time.map(|t| t.format("%H:%M").to_string()),
            source: e.source,
            event: e.event,
            comment: e.comment,
            possible_duplicates: m.duplicates.into_iter().map(|(id, _)| id).collect(),
        }
    }
}

/// A review's merged chronology, sorted (an agency asked for its chronology sees only its own entries).
#[utoipa::path(get, path = "/reviews/{id}/chronology", tag = "learning", params(("id" = i64, Path), Paging), responses((status = 200, body = ListOf<EntryOut>), (status = 404, body = Problem)))]
pub async fn chronology(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<EntryOut>>, ApiError> {
    let v = state.core.chronology(&user.ctx, ReviewId(path_id(&id)?)).await?;
    Ok(Json(paging.of(v.entries.into_iter().map(Into::into).collect())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EntryIn {
    /// The agency the entry comes from.
    #[serde(default)]
    #[schema(required = true, nullable = false)]
    organisation_id: Option<i64>,
    /// 2023-05-04, 04/05/2023, 2023-05, May 2023 or 2023.
    #[serde(default)]
    #[schema(required = true, example = "2026-03-14")]
    date: String,
    /// 24-hour HH:MM, only with a full date.
    #[serde(default)]
    time: Option<String>,
    /// The record the entry comes from.
    #[serde(default)]
    #[schema(required = true, example = "Custody record 4471")]
    source: String,
    /// What happened.
    #[serde(default)]
    #[schema(required = true, example = "Officers attended a report of a child left alone overnight")]
    event: String,
    /// The panel's comment on it.
    #[serde(default)]
    comment: Option<String>,
}

/// Adds a chronology entry for an agency.
#[utoipa::path(post, path = "/reviews/{id}/chronology", tag = "learning", params(("id" = i64, Path)), request_body = EntryIn, responses((status = 201, body = Vec<EntryOut>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_entry(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<EntryIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = EntryInput {
        organisation_id: b.organisation_id.map(|v| v.to_string()).unwrap_or_default(),
        date: b.date,
        time: b.time.unwrap_or_default(),
        source: b.source,
        event: b.event,
        comment: b.comment.unwrap_or_default(),
    };
    state.core.add_chronology_entry(&user.ctx, ReviewId(id), &input).await?;
    let v = state.core.chronology(&user.ctx, ReviewId(id)).await?;
    let body: Vec<EntryOut> = v.entries.into_iter().map(Into::into).collect();
    Ok(created(format!("/api/v1/reviews/{id}/chronology"), body))
}
