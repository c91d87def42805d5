//! API for people.

use assure_core::structure::Person;
use assure_domain::PersonId;
use assure_domain::structure::PersonInput;
use axum::Json;
use axum::extract::{Path, State};

use crate::api::Query;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::structure::{EndIn, PartnershipParam, created};
use crate::api::{ApiJson, IfMatch, ListOf, ListParams, Tagged, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    /// The person's id.
    id: i64,
    /// The partnership it belongs to.
    partnership_id: i64,
    /// The person's name.
    name: String,
    /// The job title.
    job_title: Option<String>,
    /// The e-mail address.
    email: Option<String>,
    /// Their employer, if one of the partnership's organisations.
    organisation_id: Option<i64>,
    /// Their employer's name.
    organisation_name: Option<String>,
    /// Restricted records are seen by few, and every read is logged.
    restricted: bool,
    /// The day it ended; null while it is current.
    ended_on: Option<String>,
    /// When the person was recorded (UTC).
    created_at: String,
    /// When the person last changed (UTC).
    updated_at: String,
}

impl From<Person> for PersonOut {
    fn from(p: Person) -> Self {
        PersonOut {
            id: p.id.0,
            partnership_id: p.partnership_id.0,
            name: p.name,
            job_title: p.job_title,
            email: p.email,
            organisation_id: p.organisation_id.map(|o| o.0),
            organisation_name: p.organisation_name,
            restricted: p.restricted,
            ended_on: p.ended_on.map(|d| d.to_string()),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PersonIn {
    /// The person's name.
    #[serde(default)]
    #[schema(required = true, example = "Sam Example")]
    name: String,
    /// The job title.
    #[serde(default)]
    #[schema(example = "Designated safeguarding lead")]
    job_title: Option<String>,
    /// Their work e-mail address, if known.
    #[serde(default)]
    email: Option<String>,
    /// Their employer, if one of the partnership's organisations.
    #[serde(default)]
    organisation_id: Option<i64>,
    /// Restricted: seen only by the business unit, the scrutineer and their employer's agency leads.
    #[serde(default)]
    restricted: bool,
}

impl PersonIn {
    fn input(self) -> PersonInput {
        PersonInput {
            name: self.name,
            job_title: self.job_title.unwrap_or_default(),
            email: self.email.unwrap_or_default(),
            organisation_id: self.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
            restricted: self.restricted.to_string(),
        }
    }
}

/// The people you may see in the partnership, by name.
#[utoipa::path(get, path = "/people", tag = "people", params(ListParams), responses((status = 200, body = ListOf<PersonOut>), (status = 401, body = Problem)))]
pub async fn list_people(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ListParams>,
) -> Result<Json<ListOf<PersonOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let (items, total) = state.core.people(&user.ctx, p, q.include_ended.unwrap_or(false), q.page()).await?;
    Ok(Json(q.envelope(items.into_iter().map(Into::into).collect(), total)))
}

/// Adds a person.
#[utoipa::path(post, path = "/people", tag = "people", params(PartnershipParam), request_body = PersonIn, responses((status = 201, body = PersonOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_person(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    ApiJson(body): ApiJson<PersonIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let id = state.core.create_person(&user.ctx, p, &body.input()).await?;
    let person = state.core.person(&user.ctx, id).await?.person;
    Ok(created(format!("/api/v1/people/{id}"), PersonOut::from(person)))
}

/// One person (reading a restricted one is logged).
#[utoipa::path(get, path = "/people/{id}", tag = "people", params(("id" = i64, Path)), responses((status = 200, body = PersonOut), (status = 404, body = Problem)))]
pub async fn get_person(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Tagged<PersonOut>, ApiError> {
    let person = state.core.person(&user.ctx, PersonId(path_id(&id)?)).await?.person;
    Ok(Tagged(assure_core::version_of(&person), person.into()))
}

/// Replaces a person's details.
#[utoipa::path(put, path = "/people/{id}", tag = "people", params(("id" = i64, Path)), request_body = PersonIn, responses((status = 200, body = PersonOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn update_person(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    seen: IfMatch,
    ApiJson(body): ApiJson<PersonIn>,
) -> Result<Tagged<PersonOut>, ApiError> {
    let id = PersonId(path_id(&id)?);
    state.core.update_person(&user.ctx, id, &body.input(), seen.seen()).await?;
    let person = state.core.person(&user.ctx, id).await?.person;
    Ok(Tagged(assure_core::version_of(&person), person.into()))
}

/// Records that a person has left.
#[utoipa::path(post, path = "/people/{id}/end", tag = "people", params(("id" = i64, Path)), request_body = EndIn, responses((status = 200, body = PersonOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn end_person(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EndIn>,
) -> Result<Json<PersonOut>, ApiError> {
    let id = PersonId(path_id(&id)?);
    state.core.end_person(&user.ctx, id, &body.input()).await?;
    Ok(Json(state.core.person(&user.ctx, id).await?.person.into()))
}
