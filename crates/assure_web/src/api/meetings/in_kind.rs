//! API for in-kind contributions: the totals per financial year and organisation, and time given
//! to a task other than a meeting.

use assure_core::meetings::InKindTotals;
use assure_domain::meetings::in_kind::{InKindInput, TaskInKindInput, hours};
use assure_domain::structure::Choice;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::structure::created;
use crate::api::{ApiJson, Query};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct InKindTotalOut {
    /// The financial year, April to March.
    #[schema(example = "2022-23")]
    financial_year: String,
    organisation: String,
    /// Hours, to a tenth.
    #[schema(example = "3.5")]
    hours: String,
    /// The value at the partnership's hourly rate, in pence; null while no rate is set.
    value_pence: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskTimeOut {
    id: i64,
    task: String,
    /// The day the time was given.
    given_on: String,
    organisation: String,
    /// What the time was given for.
    given: String,
    /// Hours, to a tenth.
    hours: String,
    note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InKindOut {
    /// The hourly rate, in pence, once the business unit has set it.
    rate_pence: Option<i64>,
    /// Per financial year (latest first), then organisation: meetings and other tasks together.
    totals: Vec<InKindTotalOut>,
    /// The time given to tasks other than meetings, the latest first.
    tasks: Vec<TaskTimeOut>,
}

impl From<InKindTotals> for InKindOut {
    fn from(t: InKindTotals) -> Self {
        InKindOut {
            rate_pence: t.rate,
            totals: t
                .rows
                .into_iter()
                .map(|r| InKindTotalOut {
                    financial_year: r.year,
                    organisation: r.organisation_name,
                    hours: hours(r.tenths),
                    value_pence: r.value,
                })
                .collect(),
            tasks: t
                .tasks
                .into_iter()
                .map(|k| TaskTimeOut {
                    id: k.id,
                    task: k.task,
                    given_on: k.given_on.to_string(),
                    organisation: k.organisation_name,
                    given: k.given.code().into(),
                    hours: hours(k.tenths),
                    note: k.note,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InKindParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
}

/// The partnership's in-kind contributions: the time each organisation gave, per financial year,
/// valued at the partnership's rate, and the time given to tasks other than meetings.
#[utoipa::path(get, path = "/in-kind", tag = "meetings", params(InKindParams), responses((status = 200, body = InKindOut), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn totals(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<InKindParams>,
) -> Result<Json<InKindOut>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    Ok(Json(state.core.in_kind_totals(&user.ctx, p).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TaskTimeIn {
    /// The task.
    #[serde(default)]
    #[schema(required = true, example = "Authoring the SAR D overview report")]
    task: String,
    /// The day the time was given (the last day, for work over several).
    #[serde(default)]
    #[schema(required = true, example = "2026-10-01")]
    given_on: String,
    /// The organisation that gave it.
    #[serde(default)]
    #[schema(required = true)]
    organisation_id: Option<i64>,
    /// What the time was given for.
    #[serde(default)]
    #[schema(required = true, example = "authoring")]
    given: String,
    /// Hours, to a tenth: "12", "1.5".
    #[serde(default)]
    #[schema(required = true, example = "12")]
    hours: String,
    #[serde(default)]
    note: Option<String>,
}

/// Records time an organisation gave to a task other than a meeting.
#[utoipa::path(post, path = "/in-kind/tasks", tag = "meetings", params(InKindParams), request_body = TaskTimeIn, responses((status = 201, body = InKindOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn record_task(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<InKindParams>,
    ApiJson(b): ApiJson<TaskTimeIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = TaskInKindInput {
        task: b.task,
        given_on: b.given_on,
        time: InKindInput {
            organisation_id: b.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
            given: b.given,
            hours: b.hours,
            note: b.note.unwrap_or_default(),
        },
    };
    state.core.record_task_in_kind(&user.ctx, p, &input).await?;
    let out: InKindOut = state.core.in_kind_totals(&user.ctx, p).await?.into();
    Ok(created("/api/v1/in-kind".to_owned(), out))
}
