//! API for organisations, bodies, terms of reference and memberships.

pub mod people;

use assure_core::structure::{Body, Membership, Organisation, Terms};
use assure_domain::structure::{BodyInput, Choice, EndInput, MembershipInput, OrganisationInput, TermsInput};
use assure_domain::{BodyId, MembershipId, OrganisationId};
use axum::Json;
use axum::extract::{Path, State};

use crate::api::Query;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, IfMatch, ListOf, ListParams, Paging, Tagged, path_id};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

pub(super) fn created<T: Serialize>(location: String, body: T) -> Response {
    (StatusCode::CREATED, [(header::LOCATION, location)], Json(body)).into_response()
}

fn opt_id(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The date a record ended.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EndIn {
    /// ISO date, e.g. 2024-03-31.
    #[serde(default)]
    #[schema(required = true, example = "2026-12-31")]
    pub ended_on: String,
}

impl EndIn {
    pub fn input(self) -> EndInput {
        EndInput { ended_on: self.ended_on }
    }
}

// --- organisations ------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationOut {
    /// The organisation's id.
    id: i64,
    /// The partnership it belongs to.
    partnership_id: i64,
    /// The organisation's name.
    name: String,
    /// statutory_partner, relevant_agency, school, voluntary_sector or other.
    kind: String,
    /// The organisation's sector.
    sector: String,
    /// The organisation it is part of, if any.
    parent_id: Option<i64>,
    /// The name of the organisation it is part of.
    parent_name: Option<String>,
    /// The day it ended; null while it is current.
    ended_on: Option<String>,
    /// When the organisation was recorded (UTC).
    created_at: String,
    /// When the organisation last changed (UTC).
    updated_at: String,
}

impl From<Organisation> for OrganisationOut {
    fn from(o: Organisation) -> Self {
        OrganisationOut {
            id: o.id.0,
            partnership_id: o.partnership_id.0,
            name: o.name,
            kind: o.kind.code().into(),
            sector: o.sector.code().into(),
            parent_id: o.parent_id.map(|p| p.0),
            parent_name: o.parent_name,
            ended_on: o.ended_on.map(|d| d.to_string()),
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OrganisationIn {
    /// The organisation's name, unique in the partnership.
    #[serde(default)]
    #[schema(required = true, example = "Southend Community Food Bank (fictional)")]
    name: String,
    /// The kind of organisation.
    #[serde(default)]
    #[schema(required = true, example = "voluntary_sector")]
    kind: String,
    /// The organisation's sector.
    #[serde(default)]
    #[schema(required = true, example = "voluntary")]
    sector: String,
    /// The organisation it is part of, if any.
    #[serde(default)]
    parent_id: Option<i64>,
}

impl OrganisationIn {
    fn input(self) -> OrganisationInput {
        OrganisationInput { name: self.name, kind: self.kind, sector: self.sector, parent_id: opt_id(self.parent_id) }
    }
}

/// The partnership's organisations, by name.
#[utoipa::path(get, path = "/organisations", tag = "organisations", params(ListParams), responses((status = 200, body = ListOf<OrganisationOut>), (status = 401, body = Problem)))]
pub async fn list_organisations(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ListParams>,
) -> Result<Json<ListOf<OrganisationOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let (items, total) = state.core.organisations(&user.ctx, p, q.include_ended.unwrap_or(false), q.page()).await?;
    Ok(Json(q.envelope(items.into_iter().map(Into::into).collect(), total)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnershipParam {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
}

/// Adds an organisation.
#[utoipa::path(post, path = "/organisations", tag = "organisations", params(PartnershipParam), request_body = OrganisationIn, responses((status = 201, body = OrganisationOut), (status = 422, body = Problem), (status = 404, body = Problem)))]
pub async fn create_organisation(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    ApiJson(body): ApiJson<OrganisationIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let id = state.core.create_organisation(&user.ctx, p, &body.input()).await?;
    let org = state.core.organisation(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/organisations/{id}"), OrganisationOut::from(org)))
}

/// One organisation.
#[utoipa::path(get, path = "/organisations/{id}", tag = "organisations", params(("id" = i64, Path)), responses((status = 200, body = OrganisationOut), (status = 404, body = Problem)))]
pub async fn get_organisation(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Tagged<OrganisationOut>, ApiError> {
    let org = state.core.organisation(&user.ctx, OrganisationId(path_id(&id)?)).await?;
    Ok(Tagged(assure_core::version_of(&org), org.into()))
}

/// Replaces an organisation's details.
#[utoipa::path(put, path = "/organisations/{id}", tag = "organisations", params(("id" = i64, Path)), request_body = OrganisationIn, responses((status = 200, body = OrganisationOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn update_organisation(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    seen: IfMatch,
    ApiJson(body): ApiJson<OrganisationIn>,
) -> Result<Tagged<OrganisationOut>, ApiError> {
    let id = OrganisationId(path_id(&id)?);
    state.core.update_organisation(&user.ctx, id, &body.input(), seen.seen()).await?;
    let org = state.core.organisation(&user.ctx, id).await?;
    Ok(Tagged(assure_core::version_of(&org), org.into()))
}

/// Records that an organisation has ended.
#[utoipa::path(post, path = "/organisations/{id}/end", tag = "organisations", params(("id" = i64, Path)), request_body = EndIn, responses((status = 200, body = OrganisationOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn end_organisation(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EndIn>,
) -> Result<Json<OrganisationOut>, ApiError> {
    let id = OrganisationId(path_id(&id)?);
    state.core.end_organisation(&user.ctx, id, &body.input()).await?;
    Ok(Json(state.core.organisation(&user.ctx, id).await?.into()))
}

// --- bodies -------------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct BodyOut {
    /// The body's id.
    id: i64,
    /// The partnership it belongs to.
    partnership_id: i64,
    /// The body's name.
    name: String,
    /// board, executive, subgroup, forum, task_and_finish or set_workstream.
    kind: String,
    /// children, adults, or null for both.
    arm: Option<String>,
    /// The body it reports to; null for a top-level board.
    parent_id: Option<i64>,
    /// The name of the body it reports to.
    parent_name: Option<String>,
    /// What it is for.
    purpose: Option<String>,
    /// How often it meets.
    cadence: String,
    /// Restricted: seen only by its members, the business unit and the scrutineer.
    restricted: bool,
    /// The day it ended; null while it is current.
    ended_on: Option<String>,
    /// When the body was recorded (UTC).
    created_at: String,
    /// When the body last changed (UTC).
    updated_at: String,
}

impl From<Body> for BodyOut {
    fn from(b: Body) -> Self {
        BodyOut {
            id: b.id.0,
            partnership_id: b.partnership_id.0,
            name: b.name,
            kind: b.kind.code().into(),
            arm: b.arm.map(|a| a.code().to_owned()),
            parent_id: b.parent_id.map(|p| p.0),
            parent_name: b.parent_name,
            purpose: b.purpose,
            cadence: b.cadence.code().into(),
            restricted: b.restricted,
            ended_on: b.ended_on.map(|d| d.to_string()),
            created_at: b.created_at,
            updated_at: b.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BodyIn {
    /// The body's name, unique in the partnership.
    #[serde(default)]
    #[schema(required = true, example = "Neglect Task and Finish Group")]
    name: String,
    /// The kind of body.
    #[serde(default)]
    #[schema(required = true, example = "task_and_finish")]
    kind: String,
    /// children, adults, or null/"both".
    #[serde(default)]
    arm: Option<String>,
    /// The body it reports to; null for a top-level board.
    #[serde(default)]
    parent_id: Option<i64>,
    /// What it is for.
    #[serde(default)]
    purpose: Option<String>,
    /// How often it meets.
    #[serde(default)]
    #[schema(required = true, example = "quarterly")]
    cadence: String,
    /// Restricted: seen only by its members, the business unit and the scrutineer.
    #[serde(default)]
    restricted: bool,
}

impl BodyIn {
    fn input(self) -> BodyInput {
        BodyInput {
            name: self.name,
            kind: self.kind,
            arm: self.arm.unwrap_or_default(),
            parent_id: opt_id(self.parent_id),
            purpose: self.purpose.unwrap_or_default(),
            cadence: self.cadence,
            restricted: self.restricted.to_string(),
        }
    }
}

/// The partnership's boards and groups that you may see.
#[utoipa::path(get, path = "/bodies", tag = "bodies", params(ListParams), responses((status = 200, body = ListOf<BodyOut>), (status = 401, body = Problem)))]
pub async fn list_bodies(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ListParams>,
) -> Result<Json<ListOf<BodyOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let (items, total) = state.core.bodies(&user.ctx, p, q.include_ended.unwrap_or(false), q.page()).await?;
    Ok(Json(q.envelope(items.into_iter().map(Into::into).collect(), total)))
}

/// Adds a board or group.
#[utoipa::path(post, path = "/bodies", tag = "bodies", params(PartnershipParam), request_body = BodyIn, responses((status = 201, body = BodyOut), (status = 422, body = Problem), (status = 404, body = Problem)))]
pub async fn create_body(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    ApiJson(body): ApiJson<BodyIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let id = state.core.create_body(&user.ctx, p, &body.input()).await?;
    let detail = state.core.body(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/bodies/{id}"), BodyOut::from(detail.body)))
}

/// One board or group (reading a restricted one is logged).
#[utoipa::path(get, path = "/bodies/{id}", tag = "bodies", params(("id" = i64, Path)), responses((status = 200, body = BodyOut), (status = 404, body = Problem)))]
pub async fn get_body(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Tagged<BodyOut>, ApiError> {
    let body = state.core.body(&user.ctx, BodyId(path_id(&id)?)).await?.body;
    Ok(Tagged(assure_core::version_of(&body), body.into()))
}

/// Replaces a body's details.
#[utoipa::path(put, path = "/bodies/{id}", tag = "bodies", params(("id" = i64, Path)), request_body = BodyIn, responses((status = 200, body = BodyOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn update_body(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    seen: IfMatch,
    ApiJson(body): ApiJson<BodyIn>,
) -> Result<Tagged<BodyOut>, ApiError> {
    let id = BodyId(path_id(&id)?);
    state.core.update_body(&user.ctx, id, &body.input(), seen.seen()).await?;
    let body = state.core.body(&user.ctx, id).await?.body;
    Ok(Tagged(assure_core::version_of(&body), body.into()))
}

/// Stands a body down.
#[utoipa::path(post, path = "/bodies/{id}/end", tag = "bodies", params(("id" = i64, Path)), request_body = EndIn, responses((status = 200, body = BodyOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn end_body(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EndIn>,
) -> Result<Json<BodyOut>, ApiError> {
    let id = BodyId(path_id(&id)?);
    state.core.end_body(&user.ctx, id, &body.input()).await?;
    Ok(Json(state.core.body(&user.ctx, id).await?.body.into()))
}

// --- terms of reference -------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct TermsOut {
    /// The version's id.
    id: i64,
    /// The body's id.
    body_id: i64,
    /// The version number (1 is the first).
    version: i64,
    /// The terms of reference.
    text: String,
    /// The day they take effect.
    effective_from: String,
    /// "current" (in effect today), "not yet in effect", or "superseded".
    standing: String,
    /// When the version was recorded (UTC).
    created_at: String,
}

impl TermsOut {
    fn of(t: Terms, detail: &assure_core::structure::BodyDetail) -> TermsOut {
        let standing = match detail.terms_standing(&t) {
            "" => "superseded",
            s => s,
        };
        TermsOut {
            id: t.id.0,
            body_id: t.body_id.0,
            version: t.version,
            effective_from: t.effective_from.to_string(),
            standing: standing.to_owned(),
            text: t.text,
            created_at: t.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TermsIn {
    /// The terms of reference.
    #[serde(default)]
    #[schema(required = true)]
    text: String,
    /// ISO date.
    #[serde(default)]
    #[schema(required = true, example = "2027-04-01")]
    effective_from: String,
}

/// Every version of a body's terms of reference, newest first.
#[utoipa::path(get, path = "/bodies/{id}/terms", tag = "bodies", params(("id" = i64, Path), Paging), responses((status = 200, body = ListOf<TermsOut>), (status = 404, body = Problem)))]
pub async fn list_terms(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<TermsOut>>, ApiError> {
    let detail = state.core.body(&user.ctx, BodyId(path_id(&id)?)).await?;
    Ok(Json(paging.of(detail.terms.iter().cloned().map(|t| TermsOut::of(t, &detail)).collect())))
}

/// Adds a new version of a body's terms of reference.
#[utoipa::path(post, path = "/bodies/{id}/terms", tag = "bodies", params(("id" = i64, Path)), request_body = TermsIn, responses((status = 201, body = TermsOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_terms(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TermsIn>,
) -> Result<Response, ApiError> {
    let id = BodyId(path_id(&id)?);
    let (terms_id, _) = state
        .core
        .add_terms(&user.ctx, id, &TermsInput { text: body.text, effective_from: body.effective_from })
        .await?;
    let detail = state.core.body(&user.ctx, id).await?;
    let terms = detail
        .terms
        .iter()
        .find(|t| t.id == terms_id)
        .cloned()
        .ok_or(ApiError::Core(assure_core::CoreError::NotFound))?;
    Ok(created(format!("/api/v1/bodies/{id}/terms"), TermsOut::of(terms, &detail)))
}

// --- memberships --------------------------------------------------------------------------

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipOut {
    /// The membership's id.
    id: i64,
    /// The body's id.
    body_id: i64,
    /// The body's name.
    body_name: String,
    /// The person's id.
    person_id: i64,
    /// The person's name.
    person_name: String,
    /// The organisation they represent on the body, if any.
    organisation_id: Option<i64>,
    /// The organisation's name.
    organisation_name: Option<String>,
    /// chair, vice_chair, member, adviser or deputy.
    role: String,
    /// The first day of the membership.
    from_date: String,
    /// The last day of the membership; null while it continues.
    to_date: Option<String>,
}

impl From<Membership> for MembershipOut {
    fn from(m: Membership) -> Self {
        MembershipOut {
            id: m.id.0,
            body_id: m.body_id.0,
            body_name: m.body_name,
            person_id: m.person_id.0,
            person_name: m.person_name,
            organisation_id: m.organisation_id.map(|o| o.0),
            organisation_name: m.organisation_name,
            role: m.role.code().into(),
            from_date: m.from_date.to_string(),
            to_date: m.to_date.map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MembershipIn {
    /// The person's id.
    #[serde(default)]
    #[schema(required = true, nullable = false)]
    person_id: Option<i64>,
    /// The organisation they represent on the body, if any.
    #[serde(default)]
    organisation_id: Option<i64>,
    /// Their role on the body (one chair and one vice-chair at a time).
    #[serde(default)]
    #[schema(required = true, example = "member")]
    role: String,
    /// The first day of the membership.
    #[serde(default)]
    #[schema(required = true, example = "2026-04-01")]
    from_date: String,
    /// The last day of the membership; null while it continues.
    #[serde(default)]
    to_date: Option<String>,
}

impl MembershipIn {
    fn input(self) -> MembershipInput {
        MembershipInput {
            person_id: opt_id(self.person_id),
            organisation_id: opt_id(self.organisation_id),
            role: self.role,
            from_date: self.from_date,
            to_date: self.to_date.unwrap_or_default(),
        }
    }
}

/// A body's members, chair first.
#[utoipa::path(get, path = "/bodies/{id}/memberships", tag = "bodies", params(("id" = i64, Path), Paging), responses((status = 200, body = ListOf<MembershipOut>), (status = 404, body = Problem)))]
pub async fn list_memberships(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<MembershipOut>>, ApiError> {
    let detail = state.core.body(&user.ctx, BodyId(path_id(&id)?)).await?;
    Ok(Json(paging.of(detail.members.into_iter().map(Into::into).collect())))
}

/// Adds a member to a body.
#[utoipa::path(post, path = "/bodies/{id}/memberships", tag = "bodies", params(("id" = i64, Path)), request_body = MembershipIn, responses((status = 201, body = MembershipOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_membership(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MembershipIn>,
) -> Result<Response, ApiError> {
    let id = BodyId(path_id(&id)?);
    let mid = state.core.add_membership(&user.ctx, id, &body.input()).await?;
    let m = state.core.membership(&user.ctx, mid).await?;
    Ok(created(format!("/api/v1/memberships/{mid}"), MembershipOut::from(m)))
}

/// One membership.
#[utoipa::path(get, path = "/memberships/{id}", tag = "bodies", params(("id" = i64, Path)), responses((status = 200, body = MembershipOut), (status = 404, body = Problem)))]
pub async fn get_membership(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Tagged<MembershipOut>, ApiError> {
    let m = state.core.membership(&user.ctx, MembershipId(path_id(&id)?)).await?;
    Ok(Tagged(assure_core::version_of(&m), m.into()))
}

/// Replaces a membership's details.
#[utoipa::path(put, path = "/memberships/{id}", tag = "bodies", params(("id" = i64, Path)), request_body = MembershipIn, responses((status = 200, body = MembershipOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn update_membership(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    seen: IfMatch,
    ApiJson(body): ApiJson<MembershipIn>,
) -> Result<Tagged<MembershipOut>, ApiError> {
    let id = MembershipId(path_id(&id)?);
    state.core.update_membership(&user.ctx, id, &body.input(), seen.seen()).await?;
    let m = state.core.membership(&user.ctx, id).await?;
    Ok(Tagged(assure_core::version_of(&m), m.into()))
}

/// Ends a membership.
#[utoipa::path(post, path = "/memberships/{id}/end", tag = "bodies", params(("id" = i64, Path)), request_body = EndIn, responses((status = 200, body = MembershipOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn end_membership(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<EndIn>,
) -> Result<Json<MembershipOut>, ApiError> {
    let id = MembershipId(path_id(&id)?);
    state.core.end_membership(&user.ctx, id, &body.input()).await?;
    Ok(Json(state.core.membership(&user.ctx, id).await?.into()))
}
