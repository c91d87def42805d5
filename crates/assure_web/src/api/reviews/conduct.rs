//! API for how a review is conducted: its appointments (with the agreed costs), practitioner
//! learning events and own terms of reference, and the child death figures from child death
//! reviews' findings.

use assure_domain::ReviewId;
use assure_domain::structure::Choice;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::structure::{PartnershipParam, created};
use crate::api::{ApiJson, ListOf, Paging, Query, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentOut {
    /// The appointment's id.
    id: i64,
    /// independent_reviewer, author or lead_reviewer.
    role: String,
    /// The reviewer's or author's name.
    name: String,
    /// Their organisation or practice, if any.
    organisation: Option<String>,
    /// ISO date.
    appointed_on: String,
    /// ISO date, if the appointment has an end.
    ends_on: Option<String>,
    /// The agreed cost in pence, if one was agreed.
    cost_pence: Option<i64>,
    /// Anything else about the appointment.
    note: Option<String>,
    /// Who recorded it.
    recorded_by: String,
}

impl From<assure_core::reviews::conduct::Appointment> for AppointmentOut {
    fn from(a: assure_core::reviews::conduct::Appointment) -> Self {
        AppointmentOut {
            id: a.id,
            role: a.role.code().into(),
            name: a.name,
            organisation: a.organisation,
            appointed_on: a.appointed_on.to_string(),
            ends_on: a.ends_on.map(|d| d.to_string()),
            cost_pence: a.cost_pence,
            note: a.note,
            recorded_by: a.by_label,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AppointmentIn {
    /// independent_reviewer, author or lead_reviewer.
    #[serde(default)]
    #[schema(required = true, example = "independent_reviewer")]
    role: String,
    /// The reviewer's or author's name.
    #[serde(default)]
    #[schema(required = true, example = "Jules Carver")]
    name: String,
    /// Their organisation or practice, if any.
    #[serde(default)]
    organisation: Option<String>,
    /// ISO date.
    #[serde(default)]
    #[schema(required = true, example = "2026-11-16")]
    appointed_on: String,
    /// ISO date, or null while it continues.
    #[serde(default)]
    ends_on: Option<String>,
    /// The agreed cost in pence (0 to 100,000,000), or null if none was agreed.
    #[serde(default)]
    cost_pence: Option<i64>,
    /// Anything else about the appointment.
    #[serde(default)]
    note: Option<String>,
}

/// A review's appointments (independent reviewer, author), with the agreed costs.
#[utoipa::path(get, path = "/reviews/{id}/appointments", tag = "reviews", params(("id" = i64, Path), Paging), responses((status = 200, body = ListOf<AppointmentOut>), (status = 404, body = Problem)))]
pub async fn appointments(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<AppointmentOut>>, ApiError> {
    let c = state.core.review_conduct(&user.ctx, ReviewId(path_id(&id)?)).await?;
    Ok(Json(paging.of(c.appointments.into_iter().map(Into::into).collect())))
}

/// Appoints someone to lead or write a review.
#[utoipa::path(post, path = "/reviews/{id}/appointments", tag = "reviews", params(("id" = i64, Path)), request_body = AppointmentIn, responses((status = 201, body = AppointmentOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn appoint(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AppointmentIn>,
) -> Result<Response, ApiError> {
    let id = ReviewId(path_id(&id)?);
    let cost = match b.cost_pence {
        Some(p) if p < 0 => {
            return Err(assure_domain::FieldErrors::single("cost_pence", "The agreed cost cannot be negative").into());
        }
        Some(p) => format!("{}.{:02}", p / 100, p % 100),
        None => String::new(),
    };
    let input = assure_domain::reviews::conduct::AppointmentInput {
        role: b.role,
        name: b.name,
        organisation: b.organisation.unwrap_or_default(),
        appointed_on: b.appointed_on,
        ends_on: b.ends_on.unwrap_or_default(),
        cost,
        note: b.note.unwrap_or_default(),
    };
    let made = crate::api::as_named(state.core.appoint(&user.ctx, id, &input).await, &[("cost", "cost_pence")])?;
    let c = state.core.review_conduct(&user.ctx, id).await?;
    let a = c.appointments.into_iter().find(|a| a.id == made).ok_or(assure_core::CoreError::NotFound)?;
    Ok(created(format!("/api/v1/reviews/{id}/appointments"), AppointmentOut::from(a)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LearningEventOut {
    /// The event's id.
    id: i64,
    /// ISO date.
    held_on: String,
    /// What the event was.
    title: String,
    /// The agencies whose practitioners attended.
    organisation_ids: Vec<i64>,
    /// How many practitioners attended.
    attendees: i64,
    /// What the practitioners said.
    heard: String,
    /// Who recorded it.
    recorded_by: String,
}

impl From<assure_core::reviews::conduct::LearningEvent> for LearningEventOut {
    fn from(e: assure_core::reviews::conduct::LearningEvent) -> Self {
        LearningEventOut {
            id: e.id,
            held_on: e.held_on.to_string(),
            title: e.title,
            organisation_ids: e.agencies.into_iter().map(|(id, _)| id).collect(),
            attendees: e.attendees,
            heard: e.heard,
            recorded_by: e.by_label,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LearningEventIn {
    /// ISO date, today or earlier.
    #[serde(default)]
    #[schema(required = true, example = "2027-01-20")]
    held_on: String,
    /// What the event was.
    #[serde(default)]
    #[schema(required = true, example = "Practitioner learning event")]
    title: String,
    /// The agencies whose practitioners attended (from the partnership).
    #[serde(default)]
    #[schema(required = true)]
    organisation_ids: Vec<i64>,
    /// 1 to 10,000.
    #[serde(default)]
    #[schema(required = true, nullable = false)]
    attendees: Option<i64>,
    /// What the practitioners said.
    #[serde(default)]
    #[schema(required = true, example = "Staff did not know who held the lead for the family")]
    heard: String,
}

/// A review's practitioner learning events.
#[utoipa::path(get, path = "/reviews/{id}/learning-events", tag = "reviews", params(("id" = i64, Path), Paging), responses((status = 200, body = ListOf<LearningEventOut>), (status = 404, body = Problem)))]
pub async fn learning_events(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<LearningEventOut>>, ApiError> {
    let c = state.core.review_conduct(&user.ctx, ReviewId(path_id(&id)?)).await?;
    Ok(Json(paging.of(c.events.into_iter().map(Into::into).collect())))
}

/// Records a practitioner learning event of a review.
#[utoipa::path(post, path = "/reviews/{id}/learning-events", tag = "reviews", params(("id" = i64, Path)), request_body = LearningEventIn, responses((status = 201, body = LearningEventOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn record_learning_event(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<LearningEventIn>,
) -> Result<Response, ApiError> {
    let id = ReviewId(path_id(&id)?);
    let input = assure_domain::reviews::conduct::LearningEventInput {
        held_on: b.held_on,
        title: b.title,
        organisation_ids: b.organisation_ids.iter().map(i64::to_string).collect(),
        attendees: b.attendees.map(|n| n.to_string()).unwrap_or_default(),
        heard: b.heard,
    };
    let made = state.core.record_learning_event(&user.ctx, id, &input).await?;
    let c = state.core.review_conduct(&user.ctx, id).await?;
    let e = c.events.into_iter().find(|e| e.id == made).ok_or(assure_core::CoreError::NotFound)?;
    Ok(created(format!("/api/v1/reviews/{id}/learning-events"), LearningEventOut::from(e)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewTermsOut {
    /// The version's id.
    id: i64,
    /// The version number (1 is the first).
    version: i64,
    /// ISO date the panel agreed them.
    agreed_on: String,
    /// Whether this is the version in force (the newest).
    in_force: bool,
    /// What changed in this version.
    note: Option<String>,
    /// The document's file name.
    file_name: String,
    /// The document's size in bytes.
    size: i64,
    /// The document's SHA-256 hash.
    sha256: String,
    /// Who recorded it.
    recorded_by: String,
}

/// A review's own terms of reference, newest version first (the documents are downloaded from
/// the pages).
#[utoipa::path(get, path = "/reviews/{id}/terms", tag = "reviews", params(("id" = i64, Path), Paging), responses((status = 200, body = ListOf<ReviewTermsOut>), (status = 404, body = Problem)))]
pub async fn review_terms(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<ReviewTermsOut>>, ApiError> {
    let c = state.core.review_conduct(&user.ctx, ReviewId(path_id(&id)?)).await?;
    let items = c
        .terms
        .into_iter()
        .enumerate()
        .map(|(i, t)| ReviewTermsOut {
            id: t.id,
            version: t.version,
            agreed_on: t.agreed_on.to_string(),
            in_force: i == 0,
            note: t.note,
            file_name: t.file_name,
            size: t.size,
            sha256: t.sha256,
            recorded_by: t.by_label,
        })
        .collect();
    Ok(Json(paging.of(items)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChildDeathYearOut {
    /// The financial year, as 2024-25.
    year: String,
    /// Deaths the panel reviewed that year.
    reviewed: i64,
    /// By category of death (deliberately_inflicted, suicide, trauma, malignancy, acute_medical,
    /// chronic_medical, congenital, perinatal, infection, unexplained).
    by_category: std::collections::BTreeMap<String, i64>,
    /// Of them, with modifiable factors.
    modifiable: i64,
}

/// The partnership's child death figures by financial year, most recent first: counts only
/// (the business unit, administrators and the scrutineer).
#[utoipa::path(get, path = "/child-deaths", tag = "reviews", params(PartnershipParam, Paging), responses((status = 200, body = ListOf<ChildDeathYearOut>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn child_deaths(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<ChildDeathYearOut>>, ApiError> {
    use assure_domain::reviews::child_deaths::DeathCategory;
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let years = state.core.child_death_figures(&user.ctx, p).await?;
    let items = years
        .into_iter()
        .map(|y| ChildDeathYearOut {
            year: y.year,
            reviewed: y.reviewed,
            by_category: DeathCategory::ALL.iter().map(|c| c.code().to_owned()).zip(y.by_category).collect(),
            modifiable: y.modifiable,
        })
        .collect();
    Ok(Json(paging.of(items)))
}
