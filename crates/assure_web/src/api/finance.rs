//! API for the partnership's money: budgets by financial year (worked out: contributions with
//! their amounts and shares, lines with budget, actual to date and forecast, in kind, reserves and
//! what does not add up), starting a year's budget, setting the contributions table whole, adding,
//! changing and removing lines, a quarter's actual and forecast, and locking a closed year.
//! Money is exact integer pence; percentages are exact strings ("49.5") or basis points.

use assure_core::finance::{BudgetView, LineRow, LockInput, Worked};
use assure_domain::finance::{
    BudgetInput, ContributionRow, ContributionsInput, LineInput, QuarterInput, decimal, financial_year, percent,
};
use assure_domain::structure::Choice;
use assure_domain::{BudgetId, BudgetLineId};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::structure::created;
use crate::api::{ApiJson, ListOf, Paging, Query, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresOut {
    budget_pence: i64,
    /// The sum of the quarters' actuals.
    actual_pence: i64,
    /// The latest quarter's forecast of the year, else the four actuals, else the budget.
    forecast_pence: i64,
}

impl From<assure_core::finance::Figures> for FiguresOut {
    fn from(f: assure_core::finance::Figures) -> Self {
        FiguresOut { budget_pence: f.budget, actual_pence: f.actual, forecast_pence: f.forecast }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuarterOut {
    /// 1 (April to June) to 4 (January to March).
    quarter: u8,
    actual_pence: Option<i64>,
    forecast_pence: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetLineOut {
    id: i64,
    side: String,
    /// An income kind, or the group of expenditure or in kind.
    category: String,
    /// The line's description (a contribution's is its organisation's name).
    name: String,
    organisation_id: Option<i64>,
    organisation: Option<String>,
    /// The case review it pays for (only for those who see every review).
    review_id: Option<i64>,
    /// A contribution set as a percentage: "48".
    share: Option<String>,
    /// Its share of every contribution: "46.69".
    share_of_contributions: Option<String>,
    /// In kind given as hours, in tenths.
    tenths: Option<i64>,
    figures: FiguresOut,
    quarters: Vec<QuarterOut>,
}

fn bare_percent(bp: i64) -> String {
    percent(bp).trim_end_matches(" %").to_owned()
}

impl From<LineRow> for BudgetLineOut {
    fn from(r: LineRow) -> Self {
        BudgetLineOut {
            name: r.name(),
            id: r.line.id.0,
            side: r.line.side.code().into(),
            category: r.line.category.code().into(),
            organisation_id: r.line.organisation_id.map(|o| o.0),
            organisation: r.line.organisation_name,
            review_id: r.review.map(|x| x.0),
            share: r.line.share.map(bare_percent),
            share_of_contributions: r.share_of_contributions.map(bare_percent),
            tenths: r.line.tenths,
            figures: r.figures.into(),
            quarters: r
                .line
                .quarters
                .iter()
                .map(|&(quarter, actual_pence, forecast_pence)| QuarterOut { quarter, actual_pence, forecast_pence })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlagOut {
    /// Where it is: contributions, title, reserves_brought_forward, reserves, balance, in_kind.
    code: String,
    message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetSummaryOut {
    id: i64,
    /// The year the financial year starts (2019 for 2019-20).
    year: i32,
    /// "2019-20".
    financial_year: String,
    title: Option<String>,
    locked: bool,
    income: FiguresOut,
    expenditure: FiguresOut,
    /// Entered on the budget and time given to meetings and tasks, valued.
    in_kind_pence: i64,
    reserves_brought_forward_pence: Option<i64>,
    /// As reported at outturn, else from the actuals, else forecast.
    reserves_carried_forward_pence: i64,
    flags: Vec<FlagOut>,
}

impl From<&Worked> for BudgetSummaryOut {
    fn from(w: &Worked) -> Self {
        BudgetSummaryOut {
            id: w.budget.id.0,
            year: w.budget.year,
            financial_year: financial_year(w.budget.year),
            title: w.budget.title.clone(),
            locked: w.budget.locked(),
            income: w.income.into(),
            expenditure: w.spend.into(),
            in_kind_pence: w.all_in_kind(),
            reserves_brought_forward_pence: w.reserves.brought_forward,
            reserves_carried_forward_pence: w.reserves.carried_forward(),
            flags: w.flags.iter().map(|f| FlagOut { code: f.code.into(), message: f.message.clone() }).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeOut {
    what: String,
    reason: String,
    by: String,
    at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetOut {
    #[serde(flatten)]
    summary: BudgetSummaryOut,
    notes: Option<String>,
    /// The contributions table's total as it states it.
    contributions_total_pence: Option<i64>,
    /// The contributions table counts the in kind (cash income is the contributions less it).
    in_kind_counted: bool,
    contributions: Vec<BudgetLineOut>,
    other_income: Vec<BudgetLineOut>,
    /// Expenditure's lines (its totals are `expenditure`).
    expenditure_lines: Vec<BudgetLineOut>,
    /// In kind entered on the budget (its total, with the time given, is `in_kind_pence`).
    in_kind_lines: Vec<BudgetLineOut>,
    /// Changes made after the year was locked, with their reasons.
    changes: Vec<ChangeOut>,
}

impl From<BudgetView> for BudgetOut {
    fn from(v: BudgetView) -> Self {
        let w = v.worked;
        BudgetOut {
            summary: (&w).into(),
            notes: w.budget.notes.clone(),
            contributions_total_pence: w.budget.contributions_total,
            in_kind_counted: w.budget.in_kind_counted,
            contributions: w.contributions.into_iter().map(Into::into).collect(),
            other_income: w.other_income.into_iter().map(Into::into).collect(),
            expenditure_lines: w.expenditure.into_iter().flat_map(|g| g.lines).map(Into::into).collect(),
            in_kind_lines: w.in_kind.into_iter().flat_map(|g| g.lines).map(Into::into).collect(),
            changes: v
                .changes
                .into_iter()
                .map(|c| ChangeOut { what: c.what, reason: c.reason, by: c.by_label, at: c.at })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BudgetParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The partnership's budgets, the latest year first, each summed up.
#[utoipa::path(get, path = "/budgets", tag = "finance", params(BudgetParams), responses((status = 200, body = ListOf<BudgetSummaryOut>), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<BudgetParams>,
) -> Result<Json<ListOf<BudgetSummaryOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let all = state.core.finances(&user.ctx, p).await?.years.iter().map(Into::into).collect();
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(all)))
}

fn pounds(pence: Option<i64>) -> String {
    pence.map(decimal).unwrap_or_default()
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BudgetIn {
    /// The year the financial year starts (2026 for 2026-27).
    #[serde(default)]
    #[schema(required = true, example = 2026)]
    year: Option<i32>,
    #[serde(default)]
    title: Option<String>,
    /// Omitted: the year before's reserves at its outturn.
    #[serde(default)]
    reserves_brought_forward_pence: Option<i64>,
    #[serde(default)]
    in_kind_counted: bool,
    #[serde(default)]
    notes: Option<String>,
    /// Why, when the year is locked.
    #[serde(default)]
    reason: Option<String>,
}

impl BudgetIn {
    fn input(self) -> BudgetInput {
        BudgetInput {
            year: self.year.map(|y| y.to_string()).unwrap_or_default(),
            title: self.title.unwrap_or_default(),
            reserves_brought_forward: pounds(self.reserves_brought_forward_pence),
            in_kind_counted: if self.in_kind_counted { "true".into() } else { String::new() },
            notes: self.notes.unwrap_or_default(),
            reason: self.reason.unwrap_or_default(),
        }
    }
}

/// Starts a year's budget.
#[utoipa::path(post, path = "/budgets", tag = "finance", params(BudgetParams), request_body = BudgetIn, responses((status = 201, body = BudgetOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<BudgetParams>,
    ApiJson(b): ApiJson<BudgetIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let id = state.core.create_budget(&user.ctx, p, &b.input()).await?;
    let out: BudgetOut = state.core.budget(&user.ctx, id).await?.into();
    Ok(created(format!("/api/v1/budgets/{id}"), out))
}

/// A year's budget worked out: every line with its figures and quarters, and what does not add up.
#[utoipa::path(get, path = "/budgets/{id}", tag = "finance", params(("id" = i64, Path)), responses((status = 200, body = BudgetOut), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<BudgetOut>, ApiError> {
    Ok(Json(state.core.budget(&user.ctx, BudgetId(path_id(&id)?)).await?.into()))
}

/// Changes a budget's year, title, reserves brought forward, in-kind counting or notes.
#[utoipa::path(put, path = "/budgets/{id}", tag = "finance", params(("id" = i64, Path)), request_body = BudgetIn, responses((status = 200, body = BudgetOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BudgetIn>,
) -> Result<Json<BudgetOut>, ApiError> {
    let id = BudgetId(path_id(&id)?);
    state.core.update_budget(&user.ctx, id, &b.input()).await?;
    Ok(Json(state.core.budget(&user.ctx, id).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContributionRowIn {
    #[serde(default)]
    #[schema(required = true)]
    organisation_id: Option<i64>,
    /// A percentage of what the total leaves after the amounts: "48", "49.5".
    #[serde(default)]
    share: Option<String>,
    /// Or a fixed amount.
    #[serde(default)]
    amount_pence: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContributionsIn {
    /// The table's total (required with percentages).
    #[serde(default)]
    total_pence: Option<i64>,
    #[serde(default)]
    #[schema(required = true)]
    rows: Vec<ContributionRowIn>,
    /// Why, when the year is locked.
    #[serde(default)]
    reason: Option<String>,
}

/// Replaces the partners' contributions with a whole table: refused whole, with the numbers that
/// disagree, when the percentages do not make 100 %, the amounts do not make the total, or a row
/// names no organisation of the partnership.
#[utoipa::path(put, path = "/budgets/{id}/contributions", tag = "finance", params(("id" = i64, Path)), request_body = ContributionsIn, responses((status = 200, body = BudgetOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn contributions(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ContributionsIn>,
) -> Result<Json<BudgetOut>, ApiError> {
    let id = BudgetId(path_id(&id)?);
    let input = ContributionsInput {
        total: pounds(b.total_pence),
        rows: b
            .rows
            .into_iter()
            .map(|r| ContributionRow {
                organisation_id: r.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
                share: r.share.unwrap_or_default(),
                amount: pounds(r.amount_pence),
            })
            .collect(),
        reason: b.reason.unwrap_or_default(),
    };
    state.core.set_contributions(&user.ctx, id, &input).await?;
    Ok(Json(state.core.budget(&user.ctx, id).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BudgetLineIn {
    /// income, expenditure or in_kind.
    #[serde(default)]
    #[schema(required = true)]
    side: String,
    /// grant or other_income for income; a group for expenditure and in kind.
    #[serde(default)]
    #[schema(required = true)]
    category: String,
    #[serde(default)]
    #[schema(required = true)]
    description: String,
    #[serde(default)]
    organisation_id: Option<i64>,
    /// A case review's cost (group reviews).
    #[serde(default)]
    review_id: Option<i64>,
    #[serde(default)]
    budget_pence: Option<i64>,
    /// In kind given as hours: "7.5".
    #[serde(default)]
    hours: Option<String>,
    /// Why, when the year is locked.
    #[serde(default)]
    reason: Option<String>,
}

impl BudgetLineIn {
    fn input(self) -> LineInput {
        LineInput {
            side: self.side,
            category: self.category,
            description: self.description,
            organisation_id: self.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
            review_id: self.review_id.map(|o| o.to_string()).unwrap_or_default(),
            budget: pounds(self.budget_pence),
            hours: self.hours.unwrap_or_default(),
            reason: self.reason.unwrap_or_default(),
        }
    }
}

/// Adds a line of income (not a contribution), expenditure or in kind.
#[utoipa::path(post, path = "/budgets/{id}/lines", tag = "finance", params(("id" = i64, Path)), request_body = BudgetLineIn, responses((status = 201, body = BudgetOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_line(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BudgetLineIn>,
) -> Result<Response, ApiError> {
    let id = BudgetId(path_id(&id)?);
    let line = state.core.add_budget_line(&user.ctx, id, &b.input()).await?;
    let out: BudgetOut = state.core.budget(&user.ctx, id).await?.into();
    Ok(created(format!("/api/v1/budget-lines/{line}"), out))
}

/// Changes a line (a contribution changes with its table).
#[utoipa::path(put, path = "/budget-lines/{id}", tag = "finance", params(("id" = i64, Path)), request_body = BudgetLineIn, responses((status = 200, body = BudgetOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_line(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BudgetLineIn>,
) -> Result<Json<BudgetOut>, ApiError> {
    let line = BudgetLineId(path_id(&id)?);
    state.core.update_budget_line(&user.ctx, line, &b.input()).await?;
    let (budget, _) = state.core.budget_line(&user.ctx, line).await?;
    Ok(Json(state.core.budget(&user.ctx, budget.id).await?.into()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReasonParams {
    /// Why, when the year is locked.
    pub reason: Option<String>,
}

/// Removes a line with its quarters' figures.
#[utoipa::path(delete, path = "/budget-lines/{id}", tag = "finance", params(("id" = i64, Path), ReasonParams), responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn remove_line(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<ReasonParams>,
) -> Result<Response, ApiError> {
    let line = BudgetLineId(path_id(&id)?);
    state.core.remove_budget_line(&user.ctx, line, q.reason.as_deref().unwrap_or_default()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct QuarterIn {
    /// Spent (or received) in the quarter; null: not yet known.
    #[serde(default)]
    actual_pence: Option<i64>,
    /// The year's forecast outturn as it stood at the quarter's end.
    #[serde(default)]
    forecast_pence: Option<i64>,
    /// Why, when the year is locked.
    #[serde(default)]
    reason: Option<String>,
}

/// Records one quarter's actual and forecast of a line (both null clear them).
#[utoipa::path(put, path = "/budget-lines/{id}/quarters/{quarter}", tag = "finance", params(("id" = i64, Path), ("quarter" = u8, Path)), request_body = QuarterIn, responses((status = 200, body = BudgetOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn quarter(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, quarter)): Path<(String, String)>,
    ApiJson(b): ApiJson<QuarterIn>,
) -> Result<Json<BudgetOut>, ApiError> {
    let line = BudgetLineId(path_id(&id)?);
    let input = QuarterInput {
        quarter,
        actual: pounds(b.actual_pence),
        forecast: pounds(b.forecast_pence),
        reason: b.reason.unwrap_or_default(),
    };
    let budget = state.core.set_budget_quarter(&user.ctx, line, &input).await?;
    Ok(Json(state.core.budget(&user.ctx, budget).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LockIn {
    /// As reported at outturn; omitted: as the actuals give them.
    #[serde(default)]
    reserves_carried_forward_pence: Option<i64>,
}

/// Locks a closed year at its outturn (refused before 31 March has passed, and while the
/// contributions do not add up). Changes after that need a reason and are kept.
#[utoipa::path(post, path = "/budgets/{id}/lock", tag = "finance", params(("id" = i64, Path)), request_body = LockIn, responses((status = 200, body = BudgetOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn lock(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<LockIn>,
) -> Result<Json<BudgetOut>, ApiError> {
    let id = BudgetId(path_id(&id)?);
    let input = LockInput { reserves_carried_forward: pounds(b.reserves_carried_forward_pence) };
    state.core.lock_budget(&user.ctx, id, &input).await?;
    Ok(Json(state.core.budget(&user.ctx, id).await?.into()))
}
