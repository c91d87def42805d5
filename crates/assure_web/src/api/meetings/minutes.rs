//! API for a meeting's record: the minutes with their declarations, decisions and actions;
//! writing them; approving them; an action's progress; and the search of decisions.

use assure_core::meetings::{Decision, MeetingAction, MinutesView};
use assure_domain::MeetingId;
use assure_domain::meetings::minutes::{DecisionInput, DeclarationInput, MeetingActionInput};
use assure_domain::structure::Choice;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::structure::created;
use crate::api::{ApiJson, IfMatch, ListOf, Query, Tagged, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionOut {
    /// The decision's id.
    id: i64,
    /// Its number among its body's decisions, from 1.
    number: i64,
    /// The body that made it.
    body_id: i64,
    body_name: String,
    /// The meeting it was made at, and its day.
    meeting_id: i64,
    held_on: String,
    /// The agenda item it was made on, if any.
    item_id: Option<i64>,
    /// What was decided.
    text: String,
}

impl From<Decision> for DecisionOut {
    fn from(d: Decision) -> Self {
        DecisionOut {
            id: d.id,
            number: d.number,
            body_id: d.body_id.0,
            body_name: d.body_name,
            meeting_id: d.meeting_id.0,
            held_on: d.held_on.to_string(),
            item_id: d.item_id.map(|i| i.0),
            text: d.text,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingActionOut {
    /// The action's id.
    id: i64,
    /// The agenda item it arose from, if any.
    item_id: Option<i64>,
    /// What is to be done.
    text: String,
    /// The e-mail address of its owner's account.
    owner_email: String,
    /// When it is due.
    due_on: String,
    /// open or done.
    state: String,
    /// The day it was done.
    done_on: Option<String>,
}

impl From<MeetingAction> for MeetingActionOut {
    fn from(a: MeetingAction) -> Self {
        MeetingActionOut {
            id: a.id,
            item_id: a.item_id.map(|i| i.0),
            text: a.text,
            owner_email: a.owner_email,
            due_on: a.due_on.to_string(),
            state: a.state.code().into(),
            done_on: a.done_on.map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationOut {
    /// Who declared it.
    person: String,
    /// The interest.
    interest: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemRecordOut {
    /// The agenda item.
    item_id: i64,
    /// Its number on the agenda.
    number: usize,
    title: String,
    /// A restricted item whose record the caller may not read: only its title is given.
    withheld: bool,
    /// Its minutes.
    minutes: Option<String>,
    declarations: Vec<DeclarationOut>,
    decisions: Vec<DecisionOut>,
    actions: Vec<MeetingActionOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MinutesOut {
    /// The meeting.
    meeting_id: i64,
    /// draft (not yet approved), approved, or none (nothing written yet).
    status: String,
    /// The meeting that approved them, its day, and when the approval was recorded (RFC 3339, UTC).
    approved_at_meeting_id: Option<i64>,
    approved_at_held_on: Option<String>,
    approved_recorded_at: Option<String>,
    /// Each agenda item's record.
    items: Vec<ItemRecordOut>,
    /// Decisions and actions on no item.
    decisions: Vec<DecisionOut>,
    actions: Vec<MeetingActionOut>,
}

impl From<MinutesView> for MinutesOut {
    fn from(v: MinutesView) -> Self {
        let approval = v.state.as_ref().and_then(|s| s.approval.clone());
        MinutesOut {
            meeting_id: v.meeting.id.0,
            status: match (&v.state, &approval) {
                (_, Some(_)) => "approved",
                (Some(_), None) => "draft",
                (None, None) => "none",
            }
            .into(),
            approved_at_meeting_id: approval.as_ref().map(|a| a.at_meeting.0),
            approved_at_held_on: approval.as_ref().map(|a| a.at_held_on.to_string()),
            approved_recorded_at: approval.map(|a| a.at),
            items: v
                .items
                .into_iter()
                .map(|r| ItemRecordOut {
                    item_id: r.item.id.0,
                    number: r.number,
                    title: r.item.title,
                    withheld: r.withheld,
                    minutes: r.minutes,
                    declarations: r
                        .declarations
                        .into_iter()
                        .map(|d| DeclarationOut { person: d.person, interest: d.interest })
                        .collect(),
                    decisions: r.decisions.into_iter().map(Into::into).collect(),
                    actions: r.actions.into_iter().map(Into::into).collect(),
                })
                .collect(),
            decisions: v.decisions.into_iter().map(Into::into).collect(),
            actions: v.actions.into_iter().map(Into::into).collect(),
        }
    }
}

async fn minutes_out(state: &AppState, user: &ApiUser, id: MeetingId) -> Result<Tagged<MinutesOut>, ApiError> {
    let view = state.core.minutes(&user.ctx, id).await?;
    Ok(Tagged(view.version.clone(), view.into()))
}

/// A meeting's record: each item's minutes, the interests declared, decisions and actions, and
/// whether the minutes were approved. The ETag is the record's version.
#[utoipa::path(get, path = "/meetings/{id}/minutes", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, body = MinutesOut), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Tagged<MinutesOut>, ApiError> {
    minutes_out(&state, &user, MeetingId(path_id(&id)?)).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ItemMinutesIn {
    /// The agenda item.
    #[schema(required = true)]
    item_id: i64,
    /// Its minutes; empty clears them.
    #[serde(default)]
    #[schema(required = true)]
    text: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MinutesIn {
    /// The items whose minutes change; others keep theirs.
    #[schema(required = true)]
    items: Vec<ItemMinutesIn>,
}

/// Writes items' minutes, all or nothing, while they are a draft of a meeting held. Send the
/// ETag as If-Match to refuse the change (412) if anyone changed the record since.
#[utoipa::path(put, path = "/meetings/{id}/minutes", tag = "meetings", params(("id" = i64, Path)), request_body = MinutesIn, responses((status = 200, body = MinutesOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn save(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    seen: IfMatch,
    ApiJson(b): ApiJson<MinutesIn>,
) -> Result<Tagged<MinutesOut>, ApiError> {
    let id = MeetingId(path_id(&id)?);
    let texts: Vec<(String, String)> = b.items.into_iter().map(|i| (i.item_id.to_string(), i.text)).collect();
    state.core.save_minutes(&user.ctx, id, &texts, seen.seen()).await?;
    minutes_out(&state, &user, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeclarationIn {
    /// The agenda item it is declared on.
    #[schema(required = true)]
    item_id: i64,
    /// Who declared it.
    #[serde(default)]
    #[schema(required = true, example = "Dana Whitfield")]
    person: String,
    /// The interest.
    #[serde(default)]
    #[schema(required = true, example = "A trustee of the charity whose grant is discussed")]
    interest: String,
}

/// Records an interest declared on an item.
#[utoipa::path(post, path = "/meetings/{id}/declarations", tag = "meetings", params(("id" = i64, Path)), request_body = DeclarationIn, responses((status = 201, body = MinutesOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn declare(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DeclarationIn>,
) -> Result<Response, ApiError> {
    let id = MeetingId(path_id(&id)?);
    let input = DeclarationInput { item_id: b.item_id.to_string(), person: b.person, interest: b.interest };
    state.core.declare_interest(&user.ctx, id, &input).await?;
    let Tagged(_, out) = minutes_out(&state, &user, id).await?;
    Ok(created(format!("/api/v1/meetings/{id}/minutes"), out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionIn {
    /// The agenda item it was made on, if any.
    #[serde(default)]
    item_id: Option<i64>,
    /// What was decided.
    #[serde(default)]
    #[schema(required = true, example = "The board approved the annual report for publication.")]
    text: String,
}

/// Records a decision under its body's next number.
#[utoipa::path(post, path = "/meetings/{id}/decisions", tag = "meetings", params(("id" = i64, Path)), request_body = DecisionIn, responses((status = 201, body = DecisionOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecisionIn>,
) -> Result<Response, ApiError> {
    let id = MeetingId(path_id(&id)?);
    let input = DecisionInput { item_id: b.item_id.map(|i| i.to_string()).unwrap_or_default(), text: b.text };
    let number = state.core.record_decision(&user.ctx, id, &input).await?;
    let view = state.core.minutes(&user.ctx, id).await?;
    let made = view
        .items
        .into_iter()
        .flat_map(|r| r.decisions)
        .chain(view.decisions)
        .find(|d| d.number == number)
        .ok_or(ApiError::from(assure_core::CoreError::NotFound))?;
    Ok(created(format!("/api/v1/meetings/{id}/minutes"), DecisionOut::from(made)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MeetingActionIn {
    /// The agenda item it arose from, if any.
    #[serde(default)]
    item_id: Option<i64>,
    /// What is to be done.
    #[serde(default)]
    #[schema(required = true, example = "Circulate the exploitation dashboard to every agency")]
    text: String,
    /// The e-mail address of the owner's account (with a role in the partnership).
    #[serde(default)]
    #[schema(required = true, example = "police.lead@example.org")]
    owner_email: String,
    /// When it is due.
    #[serde(default)]
    #[schema(required = true, example = "2027-03-01")]
    due_on: String,
}

/// Records an action from a meeting: it is in its owner's tasks and reminders.
#[utoipa::path(post, path = "/meetings/{id}/actions", tag = "meetings", params(("id" = i64, Path)), request_body = MeetingActionIn, responses((status = 201, body = MeetingActionOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_action(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MeetingActionIn>,
) -> Result<Response, ApiError> {
    let id = MeetingId(path_id(&id)?);
    let input = MeetingActionInput {
        item_id: b.item_id.map(|i| i.to_string()).unwrap_or_default(),
        text: b.text,
        owner_email: b.owner_email,
        due_on: b.due_on,
    };
    let made = state.core.add_meeting_action(&user.ctx, id, &input).await?;
    let view = state.core.minutes(&user.ctx, id).await?;
    let action = view
        .items
        .into_iter()
        .flat_map(|r| r.actions)
        .chain(view.actions)
        .find(|a| a.id == made)
        .ok_or(ApiError::from(assure_core::CoreError::NotFound))?;
    Ok(created(format!("/api/v1/meetings/{id}/minutes"), MeetingActionOut::from(action)))
}

/// Records the minutes approved as a correct record at the body's next meeting held. From then
/// on they are read-only.
#[utoipa::path(post, path = "/meetings/{id}/minutes/approve", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, body = MinutesOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn approve(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Tagged<MinutesOut>, ApiError> {
    let id = MeetingId(path_id(&id)?);
    state.core.approve_minutes(&user.ctx, id).await?;
    minutes_out(&state, &user, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionStateIn {
    /// open or done.
    #[serde(default)]
    #[schema(required = true, example = "done")]
    state: String,
}

/// Marks a meeting's action done (today) or open again: its owner, or the business unit.
#[utoipa::path(put, path = "/meeting-actions/{id}", tag = "meetings", params(("id" = i64, Path)), request_body = ActionStateIn, responses((status = 200, body = MinutesOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn progress(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ActionStateIn>,
) -> Result<Tagged<MinutesOut>, ApiError> {
    let meeting = state.core.set_meeting_action_state(&user.ctx, path_id(&id)?, &b.state).await?;
    minutes_out(&state, &user, meeting).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionsParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
    /// Words in the decision (any case); empty for the latest.
    pub q: Option<String>,
    /// The page (from 1).
    pub page: Option<i64>,
    /// Items a page (1 to 200).
    pub per_page: Option<i64>,
}

/// The partnership's decisions, the latest first (at most 200), that the caller may read.
#[utoipa::path(get, path = "/decisions", tag = "meetings", params(DecisionsParams), responses((status = 200, body = ListOf<DecisionOut>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn search(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<DecisionsParams>,
) -> Result<Json<ListOf<DecisionOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let found = state.core.search_decisions(&user.ctx, p, q.q.as_deref().unwrap_or("")).await?;
    let paging = crate::api::Paging { page: q.page, per_page: q.per_page };
    Ok(Json(paging.of(found.into_iter().map(Into::into).collect())))
}
