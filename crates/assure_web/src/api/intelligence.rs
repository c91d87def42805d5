//! API for the intelligence dashboard: the indicator catalogue and each indicator's computed
//! values, for one area or every area in the published data.

use assure_domain::DataReturnId;
use assure_domain::intelligence::indicators::CATALOGUE;
use axum::Json;
use axum::extract::{Path, State};

use crate::api::{ListOf, Paging, Query};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorOut {
    /// The indicator's code.
    code: String,
    /// The version of its definition.
    version: u32,
    /// The indicator's title.
    title: String,
    /// What it measures, as published.
    definition: String,
    /// The unit of its values.
    unit: String,
    /// How it is computed: count, rate per 10,000 children (over the preceding mid-year 0-17
    /// population), rate per 100,000 adults (over the 18+ population) or ratio.
    formula: String,
    /// How many decimal places its values are shown with.
    decimals: u32,
    /// Whether higher values are better, worse, or neither.
    polarity: String,
    /// The kind of period its values cover.
    period: String,
    /// The publication it comes from.
    source: String,
    /// The arm: children's or adults' safeguarding.
    arm: String,
}

/// The indicator catalogue.
#[utoipa::path(get, path = "/indicators", tag = "dashboard", params(Paging), responses((status = 200, body = ListOf<IndicatorOut>), (status = 401, body = Problem)))]
pub async fn list(_user: ApiUser, Query(paging): Query<Paging>) -> Json<ListOf<IndicatorOut>> {
    Json(
        paging.of(CATALOGUE
            .iter()
            .map(|i| IndicatorOut {
                code: i.code.into(),
                version: i.version,
                title: i.title.into(),
                definition: i.definition.into(),
                unit: i.unit.into(),
                formula: i.formula.describe(),
                decimals: i.decimals,
                polarity: i.polarity.label().into(),
                period: assure_domain::structure::Choice::label(i.period).into(),
                source: i.source.into(),
                arm: assure_domain::structure::Choice::code(i.arm).into(),
            })
            .collect()),
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ValuesParams {
    /// One area: its ONS code (E06000033) or DfE number (882); default every area. The
    /// adults' indicators are the partnership's own, from its returns.
    pub area: Option<String>,
    /// The partnership whose adults' indicators to read (needed only by callers in several).
    pub partnership: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ValueOut {
    /// The area's code (ONS, or the DfE's number for a local authority).
    area_code: String,
    /// The area's name.
    area: String,
    /// "2018-19": the year ending 31 March 2019; "2025-26 Q1" a quarter of a year.
    period: String,
    /// The value; null where suppressed.
    value: Option<f64>,
    /// The count and what it was divided by, as published.
    numerator: Option<String>,
    /// The number the value is a rate of, if published.
    denominator: Option<String>,
    /// Why there is no value (a suppressed or missing figure).
    note: Option<String>,
}

/// An indicator's values: the children's computed from the published counts and populations
/// (every area, or one); the adults' from the partnership's returns and entered figures, by
/// quarter and by whole financial year.
#[utoipa::path(get, path = "/indicators/{code}/values", tag = "dashboard", params(("code" = String, Path), ValuesParams, Paging), responses((status = 200, body = ListOf<ValueOut>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn values(
    State(state): State<AppState>,
    user: ApiUser,
    Path(code): Path<String>,
    Query(q): Query<ValuesParams>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<ValueOut>>, ApiError> {
    let values = if CATALOGUE.iter().any(|i| i.code == code && i.partnership_own()) {
        let p = user.partnership(&state, q.partnership.as_deref()).await?;
        state.core.indicator_page(&user.ctx, p, &code).await?.1.history
    } else {
        state.core.indicator_values(&code, q.area.as_deref()).await?.1
    };
    Ok(Json(
        paging.of(values
            .into_iter()
            .map(|v| ValueOut {
                value: v.number(),
                area_code: v.area_code,
                area: v.area_name,
                period: v.period,
                numerator: v.numerator,
                denominator: v.denominator,
                note: v.note,
            })
            .collect()),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnOut {
    /// The return's id.
    id: i64,
    /// The organisation that owes the return.
    organisation_id: i64,
    /// The organisation that owes the return.
    organisation: String,
    /// A financial quarter, such as "2025-26 Q1".
    period: String,
    /// The date it is due.
    due_on: String,
    /// owed, draft, submitted or validated.
    status: String,
    /// Submitted after its due date, or still owed after it.
    late: bool,
    /// The figures are provisional.
    provisional: bool,
    /// A footnote the figures carry.
    footnote: Option<String>,
    /// The figures by measure (concerns, s42_enquiries, other_enquiries, msp_asked,
    /// msp_expressed, msp_fully, msp_partly, msp_not).
    values: std::collections::BTreeMap<String, u64>,
    /// Figures saved but worth a second look (a big change since the last quarter).
    warnings: Vec<String>,
}

fn return_out(v: assure_core::intelligence::returns::ReturnView, warnings: Vec<String>) -> ReturnOut {
    ReturnOut {
        id: v.r.id.0,
        organisation_id: v.r.organisation_id,
        organisation: v.r.organisation_name,
        period: v.r.period,
        due_on: v.r.due_on.to_string(),
        status: assure_domain::structure::Choice::code(v.r.status).to_owned(),
        late: v.late,
        provisional: v.r.provisional,
        footnote: v.r.footnote,
        values: v.values.into_iter().filter_map(|(m, x)| Some((m, x.parse().ok()?))).collect(),
        warnings,
    }
}

/// One data return with its figures.
#[utoipa::path(get, path = "/returns/{id}", tag = "dashboard", params(("id" = i64, Path)), responses((status = 200, body = ReturnOut), (status = 404, body = Problem)))]
pub async fn get_return(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ReturnOut>, ApiError> {
    let v = state.core.data_return(&user.ctx, DataReturnId(super::path_id(&id)?)).await?;
    Ok(Json(return_out(v, Vec::new())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnIn {
    /// Every figure by measure; all are needed to submit.
    values: std::collections::BTreeMap<String, u64>,
    /// The figures are provisional.
    #[serde(default)]
    provisional: bool,
    /// A footnote for the figures (for example, a change in how they were counted).
    #[serde(default)]
    footnote: String,
    /// Submit the return (default: keep it as a draft).
    #[serde(default)]
    submit: bool,
}

/// Sends a data return's figures (its organisation's agency lead, or the business unit), all
/// or none; the answer carries any warnings.
#[utoipa::path(post, path = "/returns/{id}", tag = "dashboard", params(("id" = i64, Path)), request_body = ReturnIn, responses((status = 200, body = ReturnOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn send_return(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    super::ApiJson(body): super::ApiJson<ReturnIn>,
) -> Result<Json<ReturnOut>, ApiError> {
    let id = super::path_id(&id)?;
    let values: Vec<(String, String)> = body.values.into_iter().map(|(m, v)| (m, v.to_string())).collect();
    let input = assure_core::intelligence::returns::ReturnInput {
        values: &values,
        provisional: body.provisional,
        footnote: &body.footnote,
        submit: body.submit,
        source: "api",
    };
    let warnings = state.core.save_data_return(&user.ctx, DataReturnId(id), &input).await?;
    Ok(Json(return_out(state.core.data_return(&user.ctx, DataReturnId(id)).await?, warnings)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnershipParam {
    /// The partnership's slug (needed only by callers in several).
    pub partnership: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FigureOut {
    /// The figure's id.
    id: i64,
    /// The area's code (ONS, or the DfE's number for a local authority).
    area_code: String,
    /// The area's name.
    area: String,
    /// population_18_plus, concerns, s42_enquiries, other_enquiries, total_enquiries, msp_asked,
    /// msp_expressed, msp_fully, msp_partly or msp_not.
    measure: String,
    /// "mid-2024" for a population, "2024-25" for a count.
    period: String,
    /// The figure.
    value: u64,
    /// Where the figure comes from.
    source: String,
    /// Who entered it.
    entered_by: String,
    /// When it was entered (UTC).
    entered_at: String,
}

fn figure_out(f: assure_core::intelligence::indicators::EnteredFigure, area: String) -> FigureOut {
    FigureOut {
        period: if f.measure.starts_with("population") {
            format!("mid-{}", f.period)
        } else {
            assure_domain::intelligence::period::Period::label_of_financial_key(&f.period)
        },
        id: f.id.0,
        area_code: f.area_code,
        area,
        measure: f.measure,
        value: f.value.parse().unwrap_or(0),
        source: f.source,
        entered_by: f.by_label,
        entered_at: f.updated_at,
    }
}

/// The published figures the business unit entered (adult populations, England's and the
/// neighbours' Safeguarding Adults Collection counts).
#[utoipa::path(get, path = "/figures", tag = "dashboard", params(PartnershipParam, Paging), responses((status = 200, body = ListOf<FigureOut>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_figures(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<FigureOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let figures = state.core.entered_figures(&user.ctx, p).await?;
    Ok(Json(paging.of(figures.into_iter().map(|(f, area)| figure_out(f, area)).collect())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureIn {
    /// The area's ONS code (E92000001 for England) or DfE number.
    area: String,
    /// The measure's code (see the data return's fields).
    measure: String,
    /// A mid-year ("2024") for a population, a financial year ("2024-25") for a count.
    period: String,
    /// The figure: a whole number.
    value: u64,
    /// The publication it comes from.
    source: String,
}

/// Enters a published figure (the business unit), replacing one entered for the same area,
/// measure and period.
#[utoipa::path(post, path = "/figures", tag = "dashboard", params(PartnershipParam), request_body = FigureIn, responses((status = 200, body = FigureOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn enter_figure(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    super::ApiJson(body): super::ApiJson<FigureIn>,
) -> Result<Json<FigureOut>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = assure_core::intelligence::indicators::FigureInput {
        area: body.area,
        measure: body.measure,
        period: body.period,
        value: body.value.to_string(),
        source: body.source,
    };
    let id = state.core.enter_figure(&user.ctx, p, &input).await?;
    let (f, area) = state
        .core
        .entered_figures(&user.ctx, p)
        .await?
        .into_iter()
        .find(|(f, _)| f.id == id)
        .ok_or(assure_core::CoreError::NotFound)?;
    Ok(Json(figure_out(f, area)))
}
