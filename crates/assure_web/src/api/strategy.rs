//! API for the strategy and work plans: strategies with their priorities and activities, a
//! quarter's progress report, a year's "little or no progress", an activity with its updates,
//! reporting progress, adding an activity, and a subgroup's work plan.

use assure_core::strategy::{
    Activity, ActivityView, LittleProgress, QuarterReport, ReportLine, Strategy, StrategyView, Update,
};
use assure_domain::BodyId;
use assure_domain::strategy::{ActivityInput, Quarter, StrategyInput, UpdateInput, financial_year};
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
pub struct StrategySummaryOut {
    id: i64,
    name: String,
    /// children, adults, or null for the whole partnership.
    arm: Option<String>,
    /// The first financial year, by the year it starts (2020 for 2020-21).
    from_year: i32,
    to_year: i32,
    /// The last year once extended.
    extended_to: Option<i32>,
}

impl From<Strategy> for StrategySummaryOut {
    fn from(s: Strategy) -> Self {
        StrategySummaryOut {
            id: s.id,
            name: s.name,
            arm: s.arm.map(|a| a.code().into()),
            from_year: s.from_year,
            to_year: s.to_year,
            extended_to: s.extended_to,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StrategyParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The partnership's strategies.
#[utoipa::path(get, path = "/strategies", tag = "strategy", params(StrategyParams), responses((status = 200, body = ListOf<StrategySummaryOut>), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<StrategyParams>,
) -> Result<Json<ListOf<StrategySummaryOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let all = state.core.strategies(&user.ctx, p).await?.into_iter().map(Into::into).collect();
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(all)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StrategyIn {
    #[serde(default)]
    #[schema(required = true, example = "Strategic Plan 2024–27")]
    name: String,
    /// The first financial year, by the year it starts.
    #[serde(default)]
    #[schema(required = true, example = 2024)]
    from_year: Option<i32>,
    #[serde(default)]
    #[schema(required = true, example = 2026)]
    to_year: Option<i32>,
    #[serde(default)]
    extended_to: Option<i32>,
    /// children or adults; omit for the whole partnership.
    #[serde(default)]
    arm: Option<String>,
}

fn year_text(y: Option<i32>) -> String {
    y.map(|y| y.to_string()).unwrap_or_default()
}

/// Starts a strategy.
#[utoipa::path(post, path = "/strategies", tag = "strategy", params(StrategyParams), request_body = StrategyIn, responses((status = 201, body = StrategyOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<StrategyParams>,
    ApiJson(b): ApiJson<StrategyIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = StrategyInput {
        name: b.name,
        from_year: year_text(b.from_year),
        to_year: year_text(b.to_year),
        extended_to: year_text(b.extended_to),
        arm: b.arm.unwrap_or_default(),
    };
    let id = state.core.create_strategy(&user.ctx, p, &input).await?;
    let out: StrategyOut = state.core.strategy(&user.ctx, id).await?.into();
    Ok(created(format!("/api/v1/strategies/{id}"), out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityOut {
    id: i64,
    title: String,
    /// The priority it serves, if any, by id and number.
    priority_id: Option<i64>,
    priority_number: Option<String>,
    /// The quarters it is scheduled in ("2020-Q1"), in order; it is due in the last.
    quarters: Vec<String>,
    /// The subgroup that leads it (its work plan holds it).
    body_id: Option<i64>,
    body: Option<String>,
    organisation_id: Option<i64>,
    organisation: Option<String>,
    lead: Option<String>,
    status: String,
    rag: Option<String>,
    marker: Option<String>,
    marker_reason: Option<String>,
}

impl From<Activity> for ActivityOut {
    fn from(a: Activity) -> Self {
        ActivityOut {
            id: a.id,
            title: a.title,
            priority_id: a.priority_id,
            priority_number: a.priority_number,
            quarters: a.quarters.iter().map(|q| q.code()).collect(),
            body_id: a.body_id.map(|b| b.0),
            body: a.body_name,
            organisation_id: a.organisation_id.map(|o| o.0),
            organisation: a.organisation_name,
            lead: a.lead,
            status: a.status.code().into(),
            rag: a.rag.map(|r| r.code().into()),
            marker: a.marker.map(|m| m.code().into()),
            marker_reason: a.marker_reason,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PriorityOut {
    id: i64,
    number: String,
    title: String,
    outcome: Option<String>,
    measure: Option<String>,
    /// Codes of the dashboard indicators beside it.
    indicators: Vec<String>,
    activities: Vec<ActivityOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StrategyOut {
    #[serde(flatten)]
    strategy: StrategySummaryOut,
    /// The quarters of its period, in order.
    quarters: Vec<String>,
    priorities: Vec<PriorityOut>,
}

impl From<StrategyView> for StrategyOut {
    fn from(v: StrategyView) -> Self {
        StrategyOut {
            quarters: v.quarters.iter().map(|q| q.code()).collect(),
            priorities: v
                .rows
                .into_iter()
                .map(|r| PriorityOut {
                    id: r.priority.id,
                    number: r.priority.number,
                    title: r.priority.title,
                    outcome: r.priority.outcome,
                    measure: r.priority.measure,
                    indicators: r.priority.indicators,
                    activities: r.activities.into_iter().map(Into::into).collect(),
                })
                .collect(),
            strategy: v.strategy.into(),
        }
    }
}

/// A strategy with its priorities and their activities.
#[utoipa::path(get, path = "/strategies/{id}", tag = "strategy", params(("id" = i64, Path)), responses((status = 200, body = StrategyOut), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<StrategyOut>, ApiError> {
    Ok(Json(state.core.strategy(&user.ctx, path_id(&id)?).await?.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateOut {
    id: i64,
    /// The day it speaks for.
    on: String,
    text: String,
    status: String,
    rag: Option<String>,
    marker: Option<String>,
    marker_reason: Option<String>,
    /// Assure addresses or https links.
    evidence: Vec<String>,
    by: String,
}

impl From<Update> for UpdateOut {
    fn from(u: Update) -> Self {
        UpdateOut {
            id: u.id,
            on: u.on.to_string(),
            text: u.text,
            status: u.status.code().into(),
            rag: u.rag.map(|r| r.code().into()),
            marker: u.marker.map(|m| m.code().into()),
            marker_reason: u.marker_reason,
            evidence: u.evidence,
            by: u.by_label,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportLineOut {
    activity: ActivityOut,
    /// "9.1 Domestic abuse".
    priority: String,
    /// Its status and RAG at the period's end.
    status: String,
    rag: Option<String>,
    /// done, slipped or dropped (deferred or cancelled).
    outcome: String,
    /// Its latest update on or before the period's end.
    latest: Option<UpdateOut>,
}

impl From<ReportLine> for ReportLineOut {
    fn from(l: ReportLine) -> Self {
        ReportLineOut {
            priority: l.priority,
            status: l.standing.status.code().into(),
            rag: l.standing.rag.map(|r| r.code().into()),
            outcome: l.outcome.code().into(),
            latest: l.latest.map(Into::into),
            activity: l.activity.into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuarterReportOut {
    /// "2021-Q4".
    quarter: String,
    /// The day the records are read as of.
    as_of: String,
    /// Every activity due in the quarter.
    lines: Vec<ReportLineOut>,
}

impl From<QuarterReport> for QuarterReportOut {
    fn from(r: QuarterReport) -> Self {
        QuarterReportOut {
            quarter: r.quarter.code(),
            as_of: r.as_of.to_string(),
            lines: r.lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// What was due in a quarter of the strategy and how each activity stood at its end.
#[utoipa::path(get, path = "/strategies/{id}/quarters/{quarter}", tag = "strategy", params(("id" = i64, Path), ("quarter" = String, Path, example = "2021-Q4")), responses((status = 200, body = QuarterReportOut), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn quarter(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, quarter)): Path<(String, String)>,
) -> Result<Json<QuarterReportOut>, ApiError> {
    let q = Quarter::parse(&quarter)
        .ok_or_else(|| ApiError::from(assure_core::CoreError::field("quarter", "Give the quarter like 2021-Q4")))?;
    Ok(Json(state.core.quarter_report(&user.ctx, path_id(&id)?, q).await?.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LittleProgressOut {
    /// "2022-23".
    financial_year: String,
    as_of: String,
    /// Activities due in the year, and how many of them were completed.
    due: usize,
    completed: usize,
    /// Those not completed by the year's end, or rated red or amber then.
    lines: Vec<ReportLineOut>,
}

impl From<LittleProgress> for LittleProgressOut {
    fn from(r: LittleProgress) -> Self {
        LittleProgressOut {
            financial_year: financial_year(r.year),
            as_of: r.as_of.to_string(),
            due: r.due,
            completed: r.completed,
            lines: r.lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// A financial year's "little or no progress" (the year it starts: 2022 for 2022-23).
#[utoipa::path(get, path = "/strategies/{id}/years/{year}", tag = "strategy", params(("id" = i64, Path), ("year" = i32, Path)), responses((status = 200, body = LittleProgressOut), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn year(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, year)): Path<(String, String)>,
) -> Result<Json<LittleProgressOut>, ApiError> {
    let y = year
        .parse::<i32>()
        .map_err(|_| ApiError::from(assure_core::CoreError::field("year", "Give the year it starts, like 2022")))?;
    Ok(Json(state.core.little_progress(&user.ctx, path_id(&id)?, y).await?.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityDetailOut {
    #[serde(flatten)]
    activity: ActivityOut,
    /// Its updates, the latest first.
    updates: Vec<UpdateOut>,
    /// The caller may report its progress.
    can_update: bool,
}

impl From<ActivityView> for ActivityDetailOut {
    fn from(v: ActivityView) -> Self {
        ActivityDetailOut {
            can_update: v.can_update,
            updates: v.updates.into_iter().map(Into::into).collect(),
            activity: v.activity.into(),
        }
    }
}

/// One activity with its updates.
#[utoipa::path(get, path = "/activities/{id}", tag = "strategy", params(("id" = i64, Path)), responses((status = 200, body = ActivityDetailOut), (status = 404, body = Problem)))]
pub async fn activity(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ActivityDetailOut>, ApiError> {
    Ok(Json(state.core.activity(&user.ctx, path_id(&id)?).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActivityProgressIn {
    /// What was done, or why it slipped.
    #[serde(default)]
    #[schema(required = true, example = "Scoping agreed with the designated leads")]
    text: String,
    /// not_started, in_progress, completed, deferred or cancelled.
    #[serde(default)]
    #[schema(required = true, example = "in_progress")]
    status: String,
    /// red, amber or green.
    #[serde(default)]
    rag: Option<String>,
    /// notable_progress or development.
    #[serde(default)]
    marker: Option<String>,
    #[serde(default)]
    marker_reason: Option<String>,
    /// Assure addresses (/actions/12) or https links.
    #[serde(default)]
    evidence: Vec<String>,
    /// The day it speaks for; omit for today.
    #[serde(default)]
    #[schema(format = Date)]
    on: Option<String>,
}

/// Reports an activity's progress: the business unit, or a member of the subgroup that leads it.
#[utoipa::path(post, path = "/activities/{id}/updates", tag = "strategy", params(("id" = i64, Path)), request_body = ActivityProgressIn, responses((status = 201, body = ActivityDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn progress(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ActivityProgressIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = UpdateInput {
        on: b.on.unwrap_or_default(),
        text: b.text,
        status: b.status,
        rag: b.rag.unwrap_or_default(),
        marker: b.marker.unwrap_or_default(),
        marker_reason: b.marker_reason.unwrap_or_default(),
        evidence: b.evidence.join("\n"),
    };
    state.core.update_activity_progress(&user.ctx, id, &input).await?;
    let out: ActivityDetailOut = state.core.activity(&user.ctx, id).await?.into();
    Ok(created(format!("/api/v1/activities/{id}"), out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActivityIn {
    #[serde(default)]
    #[schema(required = true, example = "Peer review with a neighbouring partnership")]
    title: String,
    /// The quarters it is scheduled in, like 2023-Q3.
    #[serde(default)]
    #[schema(required = true)]
    quarters: Vec<String>,
    #[serde(default)]
    body_id: Option<i64>,
    #[serde(default)]
    organisation_id: Option<i64>,
    #[serde(default)]
    lead: Option<String>,
}

impl ActivityIn {
    fn input(self) -> ActivityInput {
        ActivityInput {
            title: self.title,
            quarters: self.quarters,
            body_id: self.body_id.map(|b| b.to_string()).unwrap_or_default(),
            organisation_id: self.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
            lead: self.lead.unwrap_or_default(),
        }
    }
}

/// Adds an activity to a priority of the strategy (the business unit).
#[utoipa::path(post, path = "/priorities/{id}/activities", tag = "strategy", params(("id" = i64, Path)), request_body = ActivityIn, responses((status = 201, body = ActivityDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_activity(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ActivityIn>,
) -> Result<Response, ApiError> {
    let (s, _) = state.core.priority(&user.ctx, path_id(&id)?).await?;
    let a = state.core.add_activity(&user.ctx, s.partnership_id, Some(path_id(&id)?), &b.input()).await?;
    let out: ActivityDetailOut = state.core.activity(&user.ctx, a).await?.into();
    Ok(created(format!("/api/v1/activities/{a}"), out))
}

/// A subgroup's work plan: the activities it leads.
#[utoipa::path(get, path = "/bodies/{id}/work-plan", tag = "strategy", params(("id" = i64, Path), Paging), responses((status = 200, body = ListOf<ActivityOut>), (status = 404, body = Problem)))]
pub async fn work_plan(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<ActivityOut>>, ApiError> {
    let plan = state.core.work_plan(&user.ctx, BodyId(path_id(&id)?)).await?;
    Ok(Json(paging.of(plan.activities.into_iter().map(Into::into).collect())))
}

/// Adds an activity to a subgroup's work plan: the business unit, or the subgroup's members.
#[utoipa::path(post, path = "/bodies/{id}/work-plan", tag = "strategy", params(("id" = i64, Path)), request_body = ActivityIn, responses((status = 201, body = ActivityDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_to_work_plan(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ActivityIn>,
) -> Result<Response, ApiError> {
    let body = BodyId(path_id(&id)?);
    let plan = state.core.work_plan(&user.ctx, body).await?;
    let mut input = b.input();
    input.body_id = body.to_string();
    let a = state.core.add_activity(&user.ctx, plan.body.partnership_id, None, &input).await?;
    let out: ActivityDetailOut = state.core.activity(&user.ctx, a).await?.into();
    Ok(created(format!("/api/v1/activities/{a}"), out))
}
