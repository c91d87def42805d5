//! API for the challenge and escalation log: the log (filtered), raising an entry, an entry with
//! its progress and linked actions, recording progress, and closing an entry.

use assure_core::challenges::{ChallengeView, Entry, Filter};
use assure_domain::challenges::{ChallengeInput, CloseInput, Direction, ProgressInput};
use assure_domain::structure::Choice;
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
pub struct ChallengeOut {
    id: i64,
    /// As people quote it: "CH-7".
    reference: String,
    direction: String,
    raised_on: String,
    raised_by: String,
    /// The partnership's organisation it concerns, when it is one of them.
    organisation_id: Option<i64>,
    /// The agency's name (the organisation's, or as typed).
    organisation: String,
    meeting_id: Option<i64>,
    details: String,
    action_agreed: String,
    responsible: String,
    status: String,
    closed_on: Option<String>,
    /// The evidence that it was resolved, or the reason it was closed without.
    closure: Option<String>,
    /// Open longer than the partnership's set time.
    flagged: bool,
    /// Days since it was raised (to its closing, once closed).
    days: i64,
}

fn entry_out(e: &Entry) -> ChallengeOut {
    let c = &e.challenge;
    ChallengeOut {
        id: c.id,
        reference: e.reference(),
        direction: c.direction.code().into(),
        raised_on: c.raised_on.to_string(),
        raised_by: c.raised_by.clone(),
        organisation_id: c.organisation_id.map(|o| o.0),
        organisation: c.organisation.clone(),
        meeting_id: c.meeting_id,
        details: c.details.clone(),
        action_agreed: c.action_agreed.clone(),
        responsible: c.responsible.clone(),
        status: c.status.code().into(),
        closed_on: c.closed_on.map(|d| d.to_string()),
        closure: c.closure.clone(),
        flagged: e.flagged,
        days: e.age_days,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChallengeProgressOut {
    on: String,
    progress: String,
    by: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChallengeDetailOut {
    #[serde(flatten)]
    entry: ChallengeOut,
    progress: Vec<ChallengeProgressOut>,
    /// The plan's actions it produced, by id.
    action_ids: Vec<i64>,
}

fn detail_out(v: &ChallengeView) -> ChallengeDetailOut {
    ChallengeDetailOut {
        entry: entry_out(&v.entry),
        progress: v
            .progress
            .iter()
            .map(|p| ChallengeProgressOut {
                on: p.on.to_string(),
                progress: p.progress.clone(),
                by: p.by_label.clone(),
            })
            .collect(),
        action_ids: v.actions.iter().map(|a| a.action_id.0).collect(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChallengeParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
    /// "open" or "closed"; both when left out.
    pub status: Option<String>,
    /// "challenge" or "escalation"; both when left out.
    pub direction: Option<String>,
    /// Only the entries open longer than the set time.
    pub flagged: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The log the caller may see (all of it, or an agency lead's own organisation's), the latest
/// raised first.
#[utoipa::path(get, path = "/challenges", tag = "challenges", params(ChallengeParams), responses((status = 200, body = ListOf<ChallengeOut>), (status = 404, body = Problem)))]
pub async fn challenges(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ChallengeParams>,
) -> Result<Json<ListOf<ChallengeOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let filter = Filter {
        open: match q.status.as_deref() {
            Some("open") => Some(true),
            Some("closed") => Some(false),
            _ => None,
        },
        direction: q.direction.as_deref().and_then(Direction::parse),
        flagged: q.flagged.unwrap_or(false),
    };
    let log = state.core.challenges(&user.ctx, p, filter).await?;
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(log.entries.iter().map(entry_out).collect())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChallengeIn {
    #[serde(default)]
    #[schema(required = true, example = "challenge")]
    direction: String,
    #[serde(default)]
    #[schema(required = true, example = "2016-02-10")]
    raised_on: String,
    #[serde(default)]
    #[schema(required = true, example = "The independent chair")]
    raised_by: String,
    /// One of the partnership's organisations; or leave it out and give `organisation_name`.
    #[serde(default)]
    organisation_id: Option<i64>,
    #[serde(default)]
    organisation_name: Option<String>,
    #[serde(default)]
    meeting_id: Option<i64>,
    #[serde(default)]
    #[schema(required = true)]
    details: String,
    #[serde(default)]
    #[schema(required = true)]
    action_agreed: String,
    #[serde(default)]
    #[schema(required = true)]
    responsible: String,
}

/// Adds an entry to the log.
#[utoipa::path(post, path = "/challenges", tag = "challenges", params(ChallengeParams), request_body = ChallengeIn, responses((status = 201, body = ChallengeDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn raise(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ChallengeParams>,
    ApiJson(b): ApiJson<ChallengeIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = ChallengeInput {
        direction: b.direction,
        raised_on: b.raised_on,
        raised_by: b.raised_by,
        organisation_id: b.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
        organisation_name: b.organisation_name.unwrap_or_default(),
        meeting_id: b.meeting_id.map(|m| m.to_string()).unwrap_or_default(),
        details: b.details,
        action_agreed: b.action_agreed,
        responsible: b.responsible,
    };
    let (id, _) = state.core.raise_challenge(&user.ctx, p, &input).await?;
    let v = state.core.challenge(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/challenges/{id}"), detail_out(&v)))
}

/// An entry with its progress and the plan's actions it produced.
#[utoipa::path(get, path = "/challenges/{id}", tag = "challenges", params(("id" = i64, Path)), responses((status = 200, body = ChallengeDetailOut), (status = 404, body = Problem)))]
pub async fn challenge(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ChallengeDetailOut>, ApiError> {
    let v = state.core.challenge(&user.ctx, path_id(&id)?).await?;
    Ok(Json(detail_out(&v)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChallengeProgressIn {
    /// YYYY-MM-DD; today when left out.
    #[serde(default)]
    on: Option<String>,
    #[serde(default)]
    #[schema(required = true)]
    progress: String,
}

/// Records progress on an open entry (the business unit, or an agency lead of the agency it
/// concerns).
#[utoipa::path(post, path = "/challenges/{id}/progress", tag = "challenges", params(("id" = i64, Path)), request_body = ChallengeProgressIn, responses((status = 201, body = ChallengeDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn progress(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ChallengeProgressIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = ProgressInput { on: b.on.unwrap_or_default(), progress: b.progress };
    state.core.add_challenge_progress(&user.ctx, id, &input).await?;
    let v = state.core.challenge(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/challenges/{id}"), detail_out(&v)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChallengeCloseIn {
    #[serde(default)]
    #[schema(required = true, example = "resolved")]
    outcome: String,
    /// YYYY-MM-DD; today when left out.
    #[serde(default)]
    closed_on: Option<String>,
    /// The evidence that it was resolved, or the reason it is closed without.
    #[serde(default)]
    #[schema(required = true)]
    closure: String,
}

/// Closes an open entry.
#[utoipa::path(post, path = "/challenges/{id}/close", tag = "challenges", params(("id" = i64, Path)), request_body = ChallengeCloseIn, responses((status = 200, body = ChallengeDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn close(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ChallengeCloseIn>,
) -> Result<Json<ChallengeDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let input = CloseInput { outcome: b.outcome, closed_on: b.closed_on.unwrap_or_default(), closure: b.closure };
    state.core.close_challenge(&user.ctx, id, &input).await?;
    let v = state.core.challenge(&user.ctx, id).await?;
    Ok(Json(detail_out(&v)))
}
