//! API for the scrutineer's own report: the pieces of scrutiny and the recommendations (the
//! scrutineer), and the partners' responses (the business unit).

use assure_core::reports::{Activity, Recommendation, addressed_to};
use assure_domain::reports::{ActivityInput, PartnerResponseInput, RecommendationInput};
use assure_domain::structure::Choice;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ReportDetailOut, detail_out};
use crate::AppState;
use crate::api::{ApiJson, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportActivityOut {
    id: i64,
    /// What was examined.
    examined: String,
    /// How it was examined.
    method: String,
    /// The day it was done (the last day, for work over several).
    done_on: String,
    /// What was found.
    found: String,
    by: String,
    created_at: String,
}

pub(super) fn activity_out(a: &Activity) -> ReportActivityOut {
    ReportActivityOut {
        id: a.id,
        examined: a.examined.clone(),
        method: a.method.code().into(),
        done_on: a.done_on.to_string(),
        found: a.found.clone(),
        by: a.by.clone(),
        created_at: a.created_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRecommendationOut {
    id: i64,
    recommendation: String,
    /// The statutory partner it is made to; none when it is to the partners together.
    organisation_id: Option<i64>,
    /// Whom it is made to, as the report says it.
    to: String,
    by: String,
    created_at: String,
    /// Whether the partner accepted it; none until a response is recorded.
    stance: Option<String>,
    response: Option<String>,
    /// Who responded for the partner (a name and a role), and the day.
    responded_by: Option<String>,
    responded_on: Option<String>,
    recorded_by: Option<String>,
    recorded_at: Option<String>,
}

pub(super) fn recommendation_out(r: &Recommendation) -> ReportRecommendationOut {
    let resp = r.response.as_ref();
    ReportRecommendationOut {
        id: r.id,
        recommendation: r.recommendation.clone(),
        organisation_id: r.organisation_id,
        to: addressed_to(r),
        by: r.by.clone(),
        created_at: r.created_at.clone(),
        stance: resp.map(|x| x.stance.code().to_owned()),
        response: resp.map(|x| x.response.clone()),
        responded_by: resp.map(|x| x.responded_by.clone()),
        responded_on: resp.map(|x| x.responded_on.to_string()),
        recorded_by: resp.map(|x| x.recorded_by.clone()),
        recorded_at: resp.map(|x| x.recorded_at.clone()),
    }
}

async fn detail(state: &AppState, user: &ApiUser, id: i64) -> Result<Json<ReportDetailOut>, ApiError> {
    Ok(Json(detail_out(&state.core.report(&user.ctx, id).await?)?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportActivityIn {
    #[serde(default)]
    #[schema(required = true, example = "The front door: how contacts become referrals")]
    examined: String,
    #[serde(default)]
    #[schema(required = true, example = "observation")]
    method: String,
    /// Within the report's period, and not after today.
    #[serde(default)]
    #[schema(required = true, example = "2022-11-14")]
    done_on: String,
    #[serde(default)]
    #[schema(required = true)]
    found: String,
}

/// Records a piece of scrutiny in a scrutiny report still a draft (the scrutineer and
/// administrators).
#[utoipa::path(post, path = "/reports/{id}/activities", tag = "reports", params(("id" = i64, Path)), request_body = ReportActivityIn, responses((status = 200, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_activity(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(a): ApiJson<ReportActivityIn>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let input = ActivityInput { examined: a.examined, method: a.method, done_on: a.done_on, found: a.found };
    state.core.add_scrutiny_activity(&user.ctx, id, &input).await?;
    detail(&state, &user, id).await
}

/// Removes a piece of scrutiny from a scrutiny report still a draft (the scrutineer and
/// administrators).
#[utoipa::path(delete, path = "/reports/{id}/activities/{activity}", tag = "reports", params(("id" = i64, Path), ("activity" = i64, Path)), responses((status = 204, description = "The piece of scrutiny is gone"), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn remove_activity(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, activity)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    state.core.remove_scrutiny_activity(&user.ctx, path_id(&id)?, path_id(&activity)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportRecommendationIn {
    #[serde(default)]
    #[schema(required = true)]
    recommendation: String,
    /// A statutory partner's id; left out for the partners together.
    #[serde(default)]
    organisation_id: Option<i64>,
}

/// Makes a recommendation in a scrutiny report still a draft (the scrutineer and
/// administrators).
#[utoipa::path(post, path = "/reports/{id}/recommendations", tag = "reports", params(("id" = i64, Path)), request_body = ReportRecommendationIn, responses((status = 200, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_recommendation(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<ReportRecommendationIn>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let input = RecommendationInput {
        recommendation: r.recommendation,
        organisation_id: r.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
    };
    state.core.add_report_recommendation(&user.ctx, id, &input).await?;
    detail(&state, &user, id).await
}

/// Removes a recommendation no partner has responded to from a scrutiny report still a draft
/// (the scrutineer and administrators).
#[utoipa::path(delete, path = "/reports/{id}/recommendations/{rec}", tag = "reports", params(("id" = i64, Path), ("rec" = i64, Path)), responses((status = 204, description = "The recommendation is gone"), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn remove_recommendation(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, rec)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    state.core.remove_report_recommendation(&user.ctx, path_id(&id)?, path_id(&rec)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportPartnerResponseIn {
    #[serde(default)]
    #[schema(required = true, example = "accepted")]
    stance: String,
    /// What the partner will do, or why not.
    #[serde(default)]
    #[schema(required = true)]
    response: String,
    /// A name and a role.
    #[serde(default)]
    #[schema(required = true, example = "Jo Bloggs, Director of Children's Services")]
    responded_by: String,
    /// Not after today.
    #[serde(default)]
    #[schema(required = true, example = "2023-05-30")]
    responded_on: String,
}

/// Records (or corrects) the partner's response to a recommendation of a scrutiny report not
/// yet published (the business unit and administrators).
#[utoipa::path(put, path = "/reports/{id}/recommendations/{rec}/response", tag = "reports", params(("id" = i64, Path), ("rec" = i64, Path)), request_body = ReportPartnerResponseIn, responses((status = 200, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn respond_to_recommendation(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, rec)): Path<(String, String)>,
    ApiJson(r): ApiJson<ReportPartnerResponseIn>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let input = PartnerResponseInput {
        stance: r.stance,
        response: r.response,
        responded_by: r.responded_by,
        responded_on: r.responded_on,
    };
    state.core.respond_to_report_recommendation(&user.ctx, id, path_id(&rec)?, &input).await?;
    detail(&state, &user, id).await
}
