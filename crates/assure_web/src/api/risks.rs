//! API for risk registers: the partnership's registers, one register with its matrix, categories
//! and risks, one risk with its history, adding and editing a risk, reviewing its rating (its
//! owner or the business unit), its status and controls, and the board's appetite.

use assure_core::risks::{
    Category, Control, HistoryEntry, LinkedAction, MatrixVersion, RegisterView, RiskLine, RiskView,
};
use assure_domain::risks::{AppetiteInput, ControlInput, RatingInput, RiskInput, StatusInput};
use assure_domain::structure::Choice;
use assure_domain::{RiskId, RiskRegisterId};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::structure::created;
use crate::api::{ApiJson, IfMatch, ListOf, Paging, Query, Tagged, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

/// A likelihood and an impact, each a level of the register's matrix (1 is the lowest).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct RatingValue {
    #[schema(example = 4)]
    likelihood: u32,
    #[schema(example = 3)]
    impact: u32,
    /// Likelihood times impact.
    #[serde(default, skip_deserializing)]
    #[schema(read_only, example = 12)]
    score: u32,
}

impl From<assure_domain::risks::Rating> for RatingValue {
    fn from(r: assure_domain::risks::Rating) -> Self {
        RatingValue { likelihood: r.likelihood, impact: r.impact, score: r.score() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterSummaryOut {
    id: i64,
    name: String,
    /// children, adults, or null for the whole partnership.
    arm: Option<String>,
    /// The body that oversees it.
    body_id: Option<i64>,
    open: usize,
    above_appetite: usize,
    review_due: usize,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistersParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The partnership's risk registers with their counts.
#[utoipa::path(get, path = "/risk-registers", tag = "risks", params(RegistersParams), responses((status = 200, body = ListOf<RegisterSummaryOut>), (status = 404, body = Problem)))]
pub async fn registers(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<RegistersParams>,
) -> Result<Json<ListOf<RegisterSummaryOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let all = state.core.risk_registers(&user.ctx, p).await?;
    let items = all
        .into_iter()
        .map(|s| RegisterSummaryOut {
            id: s.register.id.0,
            name: s.register.name,
            arm: s.register.arm.map(|a| a.code().into()),
            body_id: s.register.body_id.map(|b| b.0),
            open: s.open,
            above_appetite: s.above_appetite,
            review_due: s.review_due,
        })
        .collect();
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(items)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterIn {
    #[serde(default)]
    #[schema(required = true, example = "Children's risk register")]
    name: String,
    /// children or adults; omit for the whole partnership.
    #[serde(default)]
    arm: Option<String>,
    /// The body that oversees it (its risks above appetite go to its next meeting).
    #[serde(default)]
    body_id: Option<i64>,
    /// The shipped matrix to start from: four_by_four or five_by_five.
    #[serde(default)]
    #[schema(required = true, example = "four_by_four")]
    matrix: String,
    /// The shipped categories to start from: partnership or orange_book.
    #[serde(default)]
    #[schema(required = true, example = "partnership")]
    categories: String,
}

/// Starts a register from a shipped matrix and set of categories.
#[utoipa::path(post, path = "/risk-registers", tag = "risks", params(RegistersParams), request_body = RegisterIn, responses((status = 201, body = RegisterOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_register(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<RegistersParams>,
    ApiJson(b): ApiJson<RegisterIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = assure_domain::risks::RegisterInput {
        name: b.name,
        arm: b.arm.unwrap_or_default(),
        body_id: b.body_id.map(|i| i.to_string()).unwrap_or_default(),
        matrix: b.matrix,
        categories: b.categories,
    };
    let id = state.core.create_risk_register(&user.ctx, p, &input).await?;
    let view = state.core.risk_register(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/risk-registers/{id}"), RegisterOut::from(view)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixLevelOut {
    label: String,
    description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BandOut {
    name: String,
    /// The lowest score in the band.
    lowest_score: u32,
    colour: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatrixOut {
    version: i64,
    /// The likelihood scale, level 1 first.
    likelihood: Vec<MatrixLevelOut>,
    /// The impact scale, level 1 first.
    impact: Vec<MatrixLevelOut>,
    bands: Vec<BandOut>,
}

impl From<MatrixVersion> for MatrixOut {
    fn from(m: MatrixVersion) -> Self {
        let levels = |l: Vec<assure_domain::risks::Level>| {
            l.into_iter().map(|l| MatrixLevelOut { label: l.label, description: l.description }).collect()
        };
        MatrixOut {
            version: m.version,
            likelihood: levels(m.matrix.likelihood),
            impact: levels(m.matrix.impact),
            bands: m
                .matrix
                .bands
                .into_iter()
                .map(|b| BandOut { name: b.name, lowest_score: b.from, colour: b.colour.code().into() })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryOut {
    id: i64,
    name: String,
    /// The highest current score the board accepts; null when not set.
    appetite: Option<u32>,
    appetite_agreed: Option<String>,
}

impl From<Category> for CategoryOut {
    fn from(c: Category) -> Self {
        CategoryOut { id: c.id, name: c.name, appetite: c.appetite, appetite_agreed: c.appetite_agreed }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ControlOut {
    id: i64,
    description: String,
    owner: Option<String>,
    timeframe: Option<String>,
    in_place: bool,
}

impl From<Control> for ControlOut {
    fn from(c: Control) -> Self {
        ControlOut {
            id: c.id.0,
            description: c.description,
            owner: c.owner,
            timeframe: c.timeframe,
            in_place: c.in_place,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedActionOut {
    action_id: i64,
    text: String,
    status: String,
    target_on: String,
}

impl From<LinkedAction> for LinkedActionOut {
    fn from(a: LinkedAction) -> Self {
        LinkedActionOut { action_id: a.action_id.0, text: a.text, status: a.status, target_on: a.target_on.to_string() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RiskOut {
    id: i64,
    register_id: i64,
    reference: String,
    category_id: i64,
    category: String,
    title: String,
    consequence: Option<String>,
    owner: String,
    /// The e-mail address of the owner's account, who reviews its rating.
    owner_email: Option<String>,
    inherent: Option<RatingValue>,
    current: Option<RatingValue>,
    /// The day the current rating was given.
    rated_on: Option<String>,
    /// The current rating before the latest review.
    previous: Option<RatingValue>,
    /// worse, better, same or new: how the current rating moved at the latest review.
    direction: String,
    /// The band of the current rating.
    band: Option<String>,
    target: Option<RatingValue>,
    target_date: Option<String>,
    above_appetite: bool,
    /// The current rating was given on an earlier version of the matrix.
    on_old_matrix: bool,
    review_on: String,
    review_due: bool,
    /// open, tolerated or closed.
    status: String,
    status_reason: Option<String>,
    controls: Vec<ControlOut>,
    actions: Vec<LinkedActionOut>,
}

impl From<RiskLine> for RiskOut {
    fn from(l: RiskLine) -> Self {
        let r = l.risk;
        RiskOut {
            id: r.id.0,
            register_id: r.register_id.0,
            reference: r.reference,
            category_id: r.category_id,
            category: r.category_name,
            title: r.title,
            consequence: r.consequence,
            owner: r.owner,
            owner_email: r.owner_email,
            inherent: l.inherent.map(Into::into),
            rated_on: l.current.as_ref().map(|c| c.rated_on.to_string()),
            current: l.current.map(|c| c.rating.into()),
            previous: l.previous.map(Into::into),
            direction: l.direction.code().into(),
            band: l.band.map(|b| b.name),
            target: l.target.map(Into::into),
            target_date: r.target_date.map(|d| d.to_string()),
            above_appetite: l.above_appetite,
            on_old_matrix: l.on_old_matrix,
            review_on: r.review_on.to_string(),
            review_due: l.review_due,
            status: r.status.code().into(),
            status_reason: r.status_reason,
            controls: l.controls.into_iter().map(Into::into).collect(),
            actions: l.actions.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterOut {
    id: i64,
    name: String,
    arm: Option<String>,
    body_id: Option<i64>,
    matrix: MatrixOut,
    categories: Vec<CategoryOut>,
    risks: Vec<RiskOut>,
}

impl From<RegisterView> for RegisterOut {
    fn from(v: RegisterView) -> Self {
        RegisterOut {
            id: v.register.id.0,
            name: v.register.name,
            arm: v.register.arm.map(|a| a.code().into()),
            body_id: v.register.body_id.map(|b| b.0),
            matrix: v.matrix.into(),
            categories: v.categories.into_iter().map(Into::into).collect(),
            risks: v.lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// One register: its matrix as it now is, its categories with their appetite, and every risk.
#[utoipa::path(get, path = "/risk-registers/{id}", tag = "risks", params(("id" = i64, Path)), responses((status = 200, body = RegisterOut), (status = 404, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<RegisterOut>, ApiError> {
    let view = state.core.risk_register(&user.ctx, RiskRegisterId(path_id(&id)?)).await?;
    Ok(Json(view.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryOut {
    /// inherent, current or target.
    kind: String,
    rating: RatingValue,
    /// The rating of its kind before it; null for the first.
    previous: Option<RatingValue>,
    rated_on: String,
    reason: Option<String>,
    by: String,
    /// The version of the matrix it was given on.
    matrix_version: i64,
}

impl From<HistoryEntry> for HistoryOut {
    fn from(h: HistoryEntry) -> Self {
        HistoryOut {
            kind: h.entry.kind.code().into(),
            rating: h.entry.rating.into(),
            previous: h.from.map(Into::into),
            rated_on: h.entry.rated_on.to_string(),
            reason: h.entry.reason,
            by: h.entry.by_label,
            matrix_version: h.matrix_version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RiskDetailOut {
    #[serde(flatten)]
    risk: RiskOut,
    /// Every rating given, the latest first.
    history: Vec<HistoryOut>,
    /// The signed-in caller may review its rating.
    can_rate: bool,
}

fn detail(v: RiskView) -> Tagged<RiskDetailOut> {
    let version = assure_core::version_of(&v.line.risk);
    Tagged(
        version,
        RiskDetailOut {
            can_rate: v.can_rate,
            history: v.history.into_iter().map(Into::into).collect(),
            risk: v.line.into(),
        },
    )
}

/// One risk with every rating it has been given (who, when, why, from and to).
#[utoipa::path(get, path = "/risks/{id}", tag = "risks", params(("id" = i64, Path)), responses((status = 200, body = RiskDetailOut), (status = 404, body = Problem)))]
pub async fn risk(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Tagged<RiskDetailOut>, ApiError> {
    Ok(detail(state.core.risk(&user.ctx, RiskId(path_id(&id)?)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RiskIn {
    /// The register's own numbering.
    #[serde(default)]
    #[schema(required = true, example = "1.3")]
    reference: String,
    #[serde(default)]
    #[schema(required = true)]
    category_id: Option<i64>,
    /// The risk.
    #[serde(default)]
    #[schema(required = true, example = "Turnover of designated safeguarding leads in schools")]
    title: String,
    #[serde(default)]
    consequence: Option<String>,
    /// Who owns it, as the register names them.
    #[serde(default)]
    #[schema(required = true, example = "Business Manager")]
    owner: String,
    /// The e-mail address of the owner's account (who reviews its rating).
    #[serde(default)]
    owner_email: Option<String>,
    /// Before controls (only when adding a risk).
    #[serde(default)]
    inherent: Option<RatingValue>,
    /// The first current rating (needed when adding a risk; edits change it by review).
    #[serde(default)]
    current: Option<RatingValue>,
    #[serde(default)]
    target: Option<RatingValue>,
    /// Why the target is worse than the current rating, when it is.
    #[serde(default)]
    target_reason: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    target_date: Option<String>,
    /// The next review, today or later.
    #[serde(default)]
    #[schema(required = true, format = Date, example = "2027-03-01")]
    review_on: String,
}

fn level(v: Option<RatingValue>) -> (String, String) {
    v.map(|r| (r.likelihood.to_string(), r.impact.to_string())).unwrap_or_default()
}

impl RiskIn {
    fn input(self) -> RiskInput {
        let (inherent_likelihood, inherent_impact) = level(self.inherent);
        let (current_likelihood, current_impact) = level(self.current);
        let (target_likelihood, target_impact) = level(self.target);
        RiskInput {
            reference: self.reference,
            category_id: self.category_id.map(|c| c.to_string()).unwrap_or_default(),
            title: self.title,
            consequence: self.consequence.unwrap_or_default(),
            owner: self.owner,
            owner_email: self.owner_email.unwrap_or_default(),
            inherent_likelihood,
            inherent_impact,
            current_likelihood,
            current_impact,
            target_likelihood,
            target_impact,
            target_date: self.target_date.unwrap_or_default(),
            target_reason: self.target_reason.unwrap_or_default(),
            review_on: self.review_on,
        }
    }
}

/// Adds a risk to a register with its first ratings.
#[utoipa::path(post, path = "/risk-registers/{id}/risks", tag = "risks", params(("id" = i64, Path)), request_body = RiskIn, responses((status = 201, body = RiskDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_risk(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RiskIn>,
) -> Result<Response, ApiError> {
    let register = RiskRegisterId(path_id(&id)?);
    let id = state.core.add_risk(&user.ctx, register, &b.input()).await?;
    let Tagged(_, out) = detail(state.core.risk(&user.ctx, id).await?);
    Ok(created(format!("/api/v1/risks/{id}"), out))
}

/// Replaces a risk's own fields (its ratings change by review; the rating fields are not read).
#[utoipa::path(put, path = "/risks/{id}", tag = "risks", params(("id" = i64, Path)), request_body = RiskIn, responses((status = 200, body = RiskDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn update_risk(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    seen: IfMatch,
    ApiJson(b): ApiJson<RiskIn>,
) -> Result<Tagged<RiskDetailOut>, ApiError> {
    let id = RiskId(path_id(&id)?);
    state.core.update_risk(&user.ctx, id, &b.input(), seen.seen()).await?;
    Ok(detail(state.core.risk(&user.ctx, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RiskReviewIn {
    /// The current rating: changed, or as it stands.
    #[serde(default)]
    #[schema(required = true)]
    current: Option<RatingValue>,
    /// A new target; omit to keep the target.
    #[serde(default)]
    target: Option<RatingValue>,
    #[serde(default)]
    target_reason: Option<String>,
    /// What changed, or why the rating stands.
    #[serde(default)]
    #[schema(required = true, example = "Budget agreed for three years")]
    reason: String,
    /// The next review, today or later.
    #[serde(default)]
    #[schema(required = true, format = Date, example = "2027-03-01")]
    review_on: String,
}

/// Reviews a risk's rating: its owner or the business unit. Every rating is kept.
#[utoipa::path(post, path = "/risks/{id}/ratings", tag = "risks", params(("id" = i64, Path)), request_body = RiskReviewIn, responses((status = 201, body = RiskDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn rate(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RiskReviewIn>,
) -> Result<Response, ApiError> {
    let id = RiskId(path_id(&id)?);
    let (current_likelihood, current_impact) = level(b.current);
    let (target_likelihood, target_impact) = level(b.target);
    let input = RatingInput {
        current_likelihood,
        current_impact,
        target_likelihood,
        target_impact,
        target_reason: b.target_reason.unwrap_or_default(),
        reason: b.reason,
        review_on: b.review_on,
    };
    state.core.rate_risk(&user.ctx, id, &input).await?;
    let Tagged(_, out) = detail(state.core.risk(&user.ctx, id).await?);
    Ok(created(format!("/api/v1/risks/{id}"), out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusIn {
    /// open, tolerated or closed.
    #[serde(default)]
    #[schema(required = true, example = "tolerated")]
    status: String,
    /// Needed to tolerate or close a risk.
    #[serde(default)]
    reason: Option<String>,
}

/// Opens, tolerates or closes a risk.
#[utoipa::path(put, path = "/risks/{id}/status", tag = "risks", params(("id" = i64, Path)), request_body = StatusIn, responses((status = 200, body = RiskDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_status(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StatusIn>,
) -> Result<Tagged<RiskDetailOut>, ApiError> {
    let id = RiskId(path_id(&id)?);
    let input = StatusInput { status: b.status, reason: b.reason.unwrap_or_default() };
    state.core.set_risk_status(&user.ctx, id, &input).await?;
    Ok(detail(state.core.risk(&user.ctx, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ControlIn {
    #[serde(default)]
    #[schema(required = true, example = "Attendance reported to the board each quarter")]
    description: String,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    timeframe: Option<String>,
    #[serde(default)]
    in_place: bool,
}

/// Adds a control to a risk.
#[utoipa::path(post, path = "/risks/{id}/controls", tag = "risks", params(("id" = i64, Path)), request_body = ControlIn, responses((status = 201, body = RiskDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_control(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ControlIn>,
) -> Result<Response, ApiError> {
    let id = RiskId(path_id(&id)?);
    let input = ControlInput {
        description: b.description,
        owner: b.owner.unwrap_or_default(),
        timeframe: b.timeframe.unwrap_or_default(),
        in_place: if b.in_place { "true".into() } else { String::new() },
    };
    state.core.add_risk_control(&user.ctx, id, &input).await?;
    let Tagged(_, out) = detail(state.core.risk(&user.ctx, id).await?);
    Ok(created(format!("/api/v1/risks/{id}"), out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AppetiteIn {
    /// The highest current score the board accepts; null for none.
    #[serde(default)]
    appetite: Option<u32>,
    /// Where and when the board agreed it.
    #[serde(default)]
    agreed: Option<String>,
}

/// Records the board's appetite for a category's risks.
#[utoipa::path(put, path = "/risk-registers/{id}/categories/{category}/appetite", tag = "risks", params(("id" = i64, Path), ("category" = i64, Path)), request_body = AppetiteIn, responses((status = 200, body = RegisterOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_appetite(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, category)): Path<(String, String)>,
    ApiJson(b): ApiJson<AppetiteIn>,
) -> Result<Json<RegisterOut>, ApiError> {
    let id = RiskRegisterId(path_id(&id)?);
    let input = AppetiteInput {
        appetite: b.appetite.map(|a| a.to_string()).unwrap_or_default(),
        agreed: b.agreed.unwrap_or_default(),
    };
    state.core.set_risk_appetite(&user.ctx, id, path_id(&category)?, &input).await?;
    Ok(Json(state.core.risk_register(&user.ctx, id).await?.into()))
}
