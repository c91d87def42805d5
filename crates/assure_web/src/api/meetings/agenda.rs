//! API for a meeting's agenda and papers: adding, changing and removing items, adding a paper
//! (the body is the file), downloading one, and publishing the pack.

use assure_core::meetings::{ItemView, Withheld};
use assure_domain::meetings::agenda::AgendaItemInput;
use assure_domain::structure::Choice;
use assure_domain::{AgendaItemId, MeetingId, PaperId};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::structure::created;
use crate::api::{ApiJson, ListOf, Query, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct PaperOut {
    /// The paper's id: download it at /api/v1/papers/{id}.
    id: i64,
    /// Its file name.
    #[schema(example = "Section 11 findings.pdf")]
    file_name: String,
    /// Its size in bytes.
    size: i64,
    /// The SHA-256 of its bytes, in hex.
    sha256: String,
    /// Who added it.
    added_by: String,
    /// When it was added (RFC 3339, UTC).
    added_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaItemOut {
    /// The item's id.
    id: i64,
    /// Its number on the agenda, from 1.
    number: usize,
    /// Its title.
    title: String,
    /// Who presents it.
    presenter: Option<String>,
    /// What the meeting is asked to do with it.
    purpose: String,
    /// The minutes it is given, if timed.
    minutes: Option<u32>,
    /// When it starts (HH:MM), from the meeting's start and the items before it; null after an
    /// item that is not timed.
    starts_at: Option<String>,
    /// Only the body's members and those who see everything read its papers.
    restricted: bool,
    /// The e-mail address of the account that provides its papers (shown to the business unit).
    owner_email: Option<String>,
    /// Its papers, when the caller may read them.
    papers: Vec<PaperOut>,
    /// Why its papers are not shown to the caller: restricted, or not_published (the pack is not
    /// yet published); null when they are shown.
    papers_withheld: Option<String>,
    /// Its papers were due and none has come.
    late: bool,
}

impl AgendaItemOut {
    pub(super) fn of(v: ItemView, shows_owner: bool) -> Self {
        AgendaItemOut {
            id: v.item.id.0,
            number: v.number,
            title: v.item.title,
            presenter: v.item.presenter,
            purpose: v.item.purpose.code().into(),
            minutes: v.item.minutes,
            starts_at: v.starts_at.map(|t| t.format("%H:%M").to_string()),
            restricted: v.item.restricted,
            owner_email: if shows_owner { v.item.owner_email } else { None },
            papers: v
                .papers
                .into_iter()
                .map(|p| PaperOut {
                    id: p.id.0,
                    file_name: p.file_name,
                    size: p.size,
                    sha256: p.sha256,
                    added_by: p.by_label,
                    added_at: p.added_at,
                })
                .collect(),
            papers_withheld: v.withheld.map(|w| {
                match w {
                    Withheld::Restricted => "restricted",
                    Withheld::NotPublished => "not_published",
                }
                .into()
            }),
            late: v.late,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AgendaItemIn {
    /// Its title.
    #[serde(default)]
    #[schema(required = true, example = "Section 11 audit: the year's findings")]
    title: String,
    /// Who presents it.
    #[serde(default)]
    #[schema(example = "Business manager")]
    presenter: Option<String>,
    /// What the meeting is asked to do with it.
    #[serde(default)]
    #[schema(required = true, example = "decision")]
    purpose: String,
    /// The minutes it is given (1 to 480), if timed.
    #[serde(default)]
    #[schema(example = 20)]
    minutes: Option<u32>,
    /// Only the body's members and those who see everything read its papers.
    #[serde(default)]
    restricted: bool,
    /// The e-mail address of the account (with a role in the partnership) that provides its papers.
    #[serde(default)]
    #[schema(example = "manager@example.org")]
    owner_email: Option<String>,
}

impl From<AgendaItemIn> for AgendaItemInput {
    fn from(b: AgendaItemIn) -> Self {
        AgendaItemInput {
            title: b.title,
            presenter: b.presenter.unwrap_or_default(),
            purpose: b.purpose,
            minutes: b.minutes.map(|m| m.to_string()).unwrap_or_default(),
            restricted: if b.restricted { "true".into() } else { String::new() },
            owner_email: b.owner_email.unwrap_or_default(),
        }
    }
}

async fn item_out(state: &AppState, user: &ApiUser, id: AgendaItemId) -> Result<AgendaItemOut, ApiError> {
    let (m, view) = state.core.agenda_item(&user.ctx, id).await?;
    let edits = assure_domain::can(
        &user.ctx.actor,
        assure_domain::Action::Update,
        &assure_core::meetings::meeting_target(m.partnership_id, m.body_id, m.body_restricted),
    );
    Ok(AgendaItemOut::of(view, edits))
}

/// Adds an item at the end of a meeting's agenda.
#[utoipa::path(post, path = "/meetings/{id}/agenda", tag = "meetings", params(("id" = i64, Path)), request_body = AgendaItemIn, responses((status = 201, body = AgendaItemOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AgendaItemIn>,
) -> Result<Response, ApiError> {
    let id = MeetingId(path_id(&id)?);
    let item = state.core.add_agenda_item(&user.ctx, id, &b.into()).await?;
    Ok(created(format!("/api/v1/agenda/{item}"), item_out(&state, &user, item).await?))
}

/// One agenda item, for the business unit or the item's owner.
#[utoipa::path(get, path = "/agenda/{id}", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, body = AgendaItemOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<AgendaItemOut>, ApiError> {
    Ok(Json(item_out(&state, &user, AgendaItemId(path_id(&id)?)).await?))
}

/// Changes an agenda item.
#[utoipa::path(put, path = "/agenda/{id}", tag = "meetings", params(("id" = i64, Path)), request_body = AgendaItemIn, responses((status = 200, body = AgendaItemOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AgendaItemIn>,
) -> Result<Json<AgendaItemOut>, ApiError> {
    let id = AgendaItemId(path_id(&id)?);
    state.core.update_agenda_item(&user.ctx, id, &b.into()).await?;
    Ok(Json(item_out(&state, &user, id).await?))
}

/// Takes an item off the agenda with its papers (the audit log keeps what they were).
#[utoipa::path(delete, path = "/agenda/{id}", tag = "meetings", params(("id" = i64, Path)), responses((status = 204, description = "The item is gone"), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state.core.remove_agenda_item(&user.ctx, AgendaItemId(path_id(&id)?)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A file's bytes, as the body of a request or a response.
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] Vec<u8>);

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaperParams {
    /// The paper's file name, with the extension that says what it is.
    #[param(example = "Section 11 findings.pdf")]
    pub name: Option<String>,
}

/// Adds a paper to an item: the request's body is the file (any content type), its name in
/// `name`. The business unit, or the item's owner. At most 8 MB.
#[utoipa::path(post, path = "/agenda/{id}/papers", tag = "meetings", params(("id" = i64, Path), PaperParams), request_body(content = FileBytes, content_type = "application/octet-stream"), responses((status = 201, body = PaperOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn add_paper(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<PaperParams>,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    let id = AgendaItemId(path_id(&id)?);
    // Authorized before a byte of the file is read.
    state.core.permit_papers(&user.ctx, id).await?;
    let name = q.name.unwrap_or_default();
    if name.trim().is_empty() {
        return Err(assure_domain::FieldErrors::single("name", "Give the paper's file name in name").into());
    }
    let bytes = crate::api::file_body(&state, body, assure_core::learning::MAX_FILE_BYTES).await?;
    let file = assure_core::learning::UploadFile {
        name,
        content_type: "application/octet-stream".into(),
        bytes: bytes.to_vec(),
    };
    let added = state.core.add_papers(&user.ctx, id, vec![file]).await.map_err(|e| match e {
        // The one file is the body.
        assure_core::CoreError::Invalid(errors) => {
            let mut body = assure_domain::FieldErrors::new();
            for (_, messages) in errors.iter() {
                for m in messages {
                    body.add("body", m.clone());
                }
            }
            ApiError::from(body)
        }
        e => e.into(),
    })?;
    let paper = added.first().copied().ok_or_else(|| ApiError::from(assure_core::CoreError::NotFound))?;
    let out = item_out(&state, &user, id).await?;
    let p = out.papers.into_iter().find(|p| p.id == paper.0).ok_or(ApiError::from(assure_core::CoreError::NotFound))?;
    Ok(created(format!("/api/v1/papers/{paper}"), p))
}

/// A paper's bytes, for whoever may read it: the business unit and the item's owner at any time,
/// the members once the pack is published (a restricted item's only the body's members).
#[utoipa::path(get, path = "/papers/{id}", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, description = "The paper", content_type = "application/octet-stream", body = FileBytes), (status = 404, body = Problem)))]
pub async fn paper(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (paper, bytes) = state.core.paper(&user.ctx, PaperId(path_id(&id)?)).await?;
    Ok(crate::handlers::learning::attachment_response(&paper.file_name, "application/octet-stream", bytes))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PackOut {
    /// The members told (seat holders on the day with an account).
    members_told: usize,
}

/// Publishes the meeting's papers to its members, who are told. Publishing again tells them again.
#[utoipa::path(post, path = "/meetings/{id}/pack", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, body = PackOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<PackOut>, ApiError> {
    let told = state.core.publish_pack(&user.ctx, MeetingId(path_id(&id)?)).await?;
    Ok(Json(PackOut { members_told: told }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StandingItemOut {
    /// The standing item's id.
    id: i64,
    /// Its title.
    title: String,
    /// Who presents it.
    presenter: Option<String>,
    /// What the meeting is asked to do with it.
    purpose: String,
    /// The minutes it is given, if timed.
    minutes: Option<u32>,
    /// Only the body's members and those who see everything read its papers.
    restricted: bool,
    /// The months it comes in, 1 to 12.
    #[schema(example = json!([3, 9]))]
    months: Vec<u32>,
}

impl From<assure_core::meetings::StandingItem> for StandingItemOut {
    fn from(s: assure_core::meetings::StandingItem) -> Self {
        StandingItemOut {
            id: s.id,
            title: s.item.title,
            presenter: s.item.presenter,
            purpose: s.item.purpose.code().into(),
            minutes: s.item.minutes,
            restricted: s.item.restricted,
            months: s.months,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StandingItemIn {
    /// Its title.
    #[serde(default)]
    #[schema(required = true, example = "Section 11 audit report")]
    title: String,
    /// Who presents it.
    #[serde(default)]
    presenter: Option<String>,
    /// What the meeting is asked to do with it.
    #[serde(default)]
    #[schema(required = true, example = "discussion")]
    purpose: String,
    /// The minutes it is given (1 to 480), if timed.
    #[serde(default)]
    minutes: Option<u32>,
    /// Only the body's members and those who see everything read its papers.
    #[serde(default)]
    restricted: bool,
    /// The months it comes in, 1 to 12.
    #[serde(default)]
    #[schema(required = true, example = json!([3]))]
    months: Vec<u32>,
}

/// A body's annual business cycle: the standing items that come to its meetings in the months
/// named, put on each meeting's agenda when the meeting is planned.
#[utoipa::path(get, path = "/bodies/{id}/business-cycle", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, body = ListOf<StandingItemOut>), (status = 404, body = Problem)))]
pub async fn cycle(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ListOf<StandingItemOut>>, ApiError> {
    let (_, items, _) = state.core.business_cycle(&user.ctx, assure_domain::BodyId(path_id(&id)?)).await?;
    Ok(Json(crate::api::Paging::default().of(items.into_iter().map(Into::into).collect())))
}

/// Adds a standing item to a body's business cycle.
#[utoipa::path(post, path = "/bodies/{id}/business-cycle", tag = "meetings", params(("id" = i64, Path)), request_body = StandingItemIn, responses((status = 201, body = StandingItemOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_standing(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StandingItemIn>,
) -> Result<Response, ApiError> {
    let body = assure_domain::BodyId(path_id(&id)?);
    let input = assure_domain::meetings::agenda::StandingItemInput {
        title: b.title,
        presenter: b.presenter.unwrap_or_default(),
        purpose: b.purpose,
        minutes: b.minutes.map(|m| m.to_string()).unwrap_or_default(),
        restricted: if b.restricted { "true".into() } else { String::new() },
        months: b.months.iter().map(u32::to_string).collect(),
    };
    let made = state.core.add_standing_item(&user.ctx, body, &input).await?;
    let (_, items, _) = state.core.business_cycle(&user.ctx, body).await?;
    let item = items.into_iter().find(|s| s.id == made).ok_or(ApiError::from(assure_core::CoreError::NotFound))?;
    Ok(created(format!("/api/v1/bodies/{body}/business-cycle"), StandingItemOut::from(item)))
}

/// Takes a standing item out of its body's business cycle (agendas already set out keep it).
#[utoipa::path(delete, path = "/standing-items/{id}", tag = "meetings", params(("id" = i64, Path)), responses((status = 204, description = "The standing item is gone"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn remove_standing(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state.core.remove_standing_item(&user.ctx, path_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
