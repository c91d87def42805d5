//! API for inspections: the register (filtered by agency), recording one, an inspection with its
//! judgements and its recommendations on the plan, recording a judgement and a recommendation.
//! (A recommendation's actions are added through `/recommendations/{id}/actions`.)

use assure_core::inspections::{InspectionView, Listed};
use assure_domain::OrganisationId;
use assure_domain::inspections::{InspectionInput, JudgementInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::learning::{RecommendationIn, RecommendationOut};
use crate::AppState;
use crate::api::structure::created;
use crate::api::{ApiJson, ListOf, Paging, Query, as_named, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct InspectedAgencyOut {
    organisation_id: i64,
    name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JudgementOut {
    id: i64,
    /// What was judged: "Overall effectiveness".
    area: String,
    /// One of the kind's grades; null when the kind does not grade.
    grade: Option<String>,
    /// The agency judged; null for the agencies inspected together.
    organisation_id: Option<i64>,
    finding: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionOut {
    id: i64,
    /// The kind's code, from the server's configuration of inspections.
    kind: String,
    /// The kind's name: the inspectorate and the framework.
    kind_name: String,
    title: String,
    agencies: Vec<InspectedAgencyOut>,
    fieldwork_from: String,
    fieldwork_to: String,
    /// The day the report was published; null until it is.
    published_on: Option<String>,
    /// The published report's address.
    link: Option<String>,
    summary: Option<String>,
    judgements: Vec<JudgementOut>,
}

fn judgement_out(j: &assure_core::inspections::Judgement) -> JudgementOut {
    JudgementOut {
        id: j.id,
        area: j.area.clone(),
        grade: j.grade.clone(),
        organisation_id: j.organisation_id.map(|o| o.0),
        finding: j.finding.clone(),
    }
}

fn inspection_out(
    i: &assure_core::inspections::Inspection,
    kind_name: String,
    judgements: &[assure_core::inspections::Judgement],
) -> InspectionOut {
    InspectionOut {
        id: i.id,
        kind: i.type_code.clone(),
        kind_name,
        title: i.title.clone(),
        agencies: i
            .agencies
            .iter()
            .map(|a| InspectedAgencyOut { organisation_id: a.id.0, name: a.name.clone() })
            .collect(),
        fieldwork_from: i.fieldwork_from.to_string(),
        fieldwork_to: i.fieldwork_to.to_string(),
        published_on: i.published_on.map(|d| d.to_string()),
        link: i.link.clone(),
        summary: i.summary.clone(),
        judgements: judgements.iter().map(judgement_out).collect(),
    }
}

fn listed_out(l: &Listed) -> InspectionOut {
    inspection_out(&l.inspection, l.kind.clone(), &l.judgements)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionDetailOut {
    #[serde(flatten)]
    inspection: InspectionOut,
    /// Its recommendations on the plan, each with its actions.
    recommendations: Vec<RecommendationOut>,
}

fn detail_out(v: InspectionView) -> InspectionDetailOut {
    InspectionDetailOut {
        inspection: inspection_out(&v.inspection, v.kind_name.clone(), &v.judgements),
        recommendations: v.recommendations.into_iter().map(Into::into).collect(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InspectionParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
    /// Only the inspections of this agency (an organisation's id).
    pub organisation: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The partnership's inspections you may read (the published ones; those not yet published only
/// to the business unit, the scrutineer and the agencies inspected), the latest fieldwork first.
#[utoipa::path(get, path = "/inspections", tag = "inspections", params(InspectionParams), responses((status = 200, body = ListOf<InspectionOut>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn inspections(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<InspectionParams>,
) -> Result<Json<ListOf<InspectionOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let register = state.core.inspections(&user.ctx, p, q.organisation.map(OrganisationId)).await?;
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(register.items.iter().map(listed_out).collect())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InspectionIn {
    /// The kind's code, one of the server's configured kinds of inspection.
    #[serde(default)]
    #[schema(required = true, example = "ofsted_ilacs")]
    kind: String,
    #[serde(default)]
    #[schema(required = true, example = "Inspection of children's social care services")]
    title: String,
    /// The agencies inspected: the partnership's organisations' ids, one or more.
    #[serde(default)]
    #[schema(required = true)]
    organisation_ids: Vec<i64>,
    #[serde(default)]
    #[schema(required = true, example = "2016-04-18")]
    fieldwork_from: String,
    #[serde(default)]
    #[schema(required = true, example = "2016-05-12")]
    fieldwork_to: String,
    /// YYYY-MM-DD; leave it out until the report is published.
    #[serde(default)]
    published_on: Option<String>,
    /// The published report's address (https).
    #[serde(default)]
    link: Option<String>,
    #[serde(default)]
    summary: Option<String>,
}

/// Records an inspection.
#[utoipa::path(post, path = "/inspections", tag = "inspections", params(InspectionParams), request_body = InspectionIn, responses((status = 201, body = InspectionDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn record(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<InspectionParams>,
    ApiJson(b): ApiJson<InspectionIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = InspectionInput {
        type_code: b.kind,
        title: b.title,
        organisation_ids: b.organisation_ids.iter().map(i64::to_string).collect(),
        fieldwork_from: b.fieldwork_from,
        fieldwork_to: b.fieldwork_to,
        published_on: b.published_on.unwrap_or_default(),
        link: b.link.unwrap_or_default(),
        summary: b.summary.unwrap_or_default(),
    };
    let id = as_named(state.core.record_inspection(&user.ctx, p, &input).await, &[("type_code", "kind")])?;
    let v = state.core.inspection(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/inspections/{id}"), detail_out(v)))
}

/// An inspection with its judgements and its recommendations on the plan.
#[utoipa::path(get, path = "/inspections/{id}", tag = "inspections", params(("id" = i64, Path)), responses((status = 200, body = InspectionDetailOut), (status = 404, body = Problem)))]
pub async fn inspection(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<InspectionDetailOut>, ApiError> {
    Ok(Json(detail_out(state.core.inspection(&user.ctx, path_id(&id)?).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct JudgementIn {
    #[serde(default)]
    #[schema(required = true, example = "Overall effectiveness")]
    area: String,
    /// One of the kind's grades; leave it out for a kind that does not grade.
    #[serde(default)]
    grade: Option<String>,
    /// One of the agencies inspected; leave it out for the only one, or for the agencies together.
    #[serde(default)]
    organisation_id: Option<i64>,
    /// Required for a kind that does not grade.
    #[serde(default)]
    finding: Option<String>,
}

/// Records a judgement of an inspection.
#[utoipa::path(post, path = "/inspections/{id}/judgements", tag = "inspections", params(("id" = i64, Path)), request_body = JudgementIn, responses((status = 201, body = InspectionDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_judgement(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<JudgementIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = JudgementInput {
        area: b.area,
        grade: b.grade.unwrap_or_default(),
        organisation_id: b.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
        finding: b.finding.unwrap_or_default(),
    };
    state.core.add_judgement(&user.ctx, id, &input).await?;
    let v = state.core.inspection(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/inspections/{id}"), detail_out(v)))
}

/// Records one of an inspection's recommendations on the partnership's plan.
#[utoipa::path(post, path = "/inspections/{id}/recommendations", tag = "inspections", params(("id" = i64, Path)), request_body = RecommendationIn, responses((status = 201, body = InspectionDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_recommendation(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RecommendationIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    as_named(
        state.core.add_inspection_recommendation(&user.ctx, id, &b.input()).await,
        &[("body_id", "owning_subgroup_id")],
    )?;
    let v = state.core.inspection(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/inspections/{id}"), detail_out(v)))
}
