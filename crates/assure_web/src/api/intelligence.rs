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

/// One answer of a return: a whole number, a percentage, or words (a written answer or a
/// choice's option), as its template's field asks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Answer {
    /// A whole number or a percentage.
    Number(AnswerNumber),
    /// A written answer, or a choice's option.
    Words(String),
}

/// A number as JSON carries it (35, 87.5), kept as written.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = f64)]
pub struct AnswerNumber(serde_json::Number);

impl Answer {
    /// The answer as a form would have sent it.
    fn text(&self) -> String {
        match self {
            Answer::Number(n) => n.0.to_string(),
            Answer::Words(w) => w.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnOut {
    /// The return's id.
    id: i64,
    /// The template the return answers: its code (adults, lado, annual_report, or the
    /// partnership's own).
    template: String,
    /// The template's version.
    template_version: String,
    /// The template's title.
    template_title: String,
    /// The organisation that owes the return.
    organisation_id: i64,
    /// The organisation that owes the return.
    organisation: String,
    /// A period of the template's type: a quarter ("2025-26 Q1"), a financial year
    /// ("2025-26") or an academic year ("2025/26").
    period: String,
    /// The date it is due.
    due_on: String,
    /// owed, draft, submitted or validated.
    status: String,
    /// Past its due date and not yet submitted.
    late: bool,
    /// The figures are provisional.
    provisional: bool,
    /// A footnote the figures carry.
    footnote: Option<String>,
    /// The answers by the template's field codes (`GET /return-templates/{id}` lists them):
    /// whole numbers and percentages as numbers, written answers and choices as text.
    values: std::collections::BTreeMap<String, Answer>,
    /// Figures saved but worth a second look (a big change since the last period, or a value
    /// equal to England's).
    warnings: Vec<String>,
}

fn return_out(v: assure_core::intelligence::returns::ReturnView, warnings: Vec<String>) -> ReturnOut {
    use assure_domain::intelligence::returns::FieldKind;
    let values = v
        .values
        .into_iter()
        .map(|(k, x)| {
            let answer = match v.template.field(&k).map(|f| f.kind) {
                Some(FieldKind::Whole | FieldKind::Percent) => {
                    x.parse::<serde_json::Number>().map(|n| Answer::Number(AnswerNumber(n))).unwrap_or(Answer::Words(x))
                }
                _ => Answer::Words(x),
            };
            (k, answer)
        })
        .collect();
    ReturnOut {
        id: v.r.id.0,
        template: v.r.template_code,
        template_version: v.r.template_version,
        template_title: v.r.template_title,
        organisation_id: v.r.organisation_id,
        organisation: v.r.organisation_name,
        period: v.r.period,
        due_on: v.r.due_on.to_string(),
        status: assure_domain::structure::Choice::code(v.r.status).to_owned(),
        late: v.late,
        provisional: v.r.provisional,
        footnote: v.r.footnote,
        values,
        warnings,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnSummaryOut {
    /// The return's id.
    id: i64,
    /// The template's code.
    template: String,
    /// The template's version.
    template_version: String,
    /// The organisation that owes the return.
    organisation_id: i64,
    /// The organisation that owes the return.
    organisation: String,
    /// A period of the template's type.
    period: String,
    /// The date it is due.
    due_on: String,
    /// owed, draft, submitted or validated.
    status: String,
    /// Past its due date and not yet submitted.
    late: bool,
}

/// The partnership's data returns, the latest period first.
#[utoipa::path(get, path = "/returns", tag = "dashboard", params(PartnershipParam, Paging), responses((status = 200, body = ListOf<ReturnSummaryOut>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_returns(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<ReturnSummaryOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let returns = state.core.data_returns(&user.ctx, p).await?;
    Ok(Json(
        paging.of(returns
            .into_iter()
            .map(|(r, late)| ReturnSummaryOut {
                id: r.id.0,
                template: r.template_code,
                template_version: r.template_version,
                organisation_id: r.organisation_id,
                organisation: r.organisation_name,
                period: r.period,
                due_on: r.due_on.to_string(),
                status: assure_domain::structure::Choice::code(r.status).to_owned(),
                late,
            })
            .collect()),
    ))
}

/// One data return with its answers.
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
    /// Every answer by the template's field code; all but the optional are needed to submit.
    values: std::collections::BTreeMap<String, Answer>,
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

/// Sends a data return's answers (its organisation's agency lead, or the business unit), all
/// or none; the answer carries any warnings.
#[utoipa::path(post, path = "/returns/{id}", tag = "dashboard", params(("id" = i64, Path)), request_body = ReturnIn, responses((status = 200, body = ReturnOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn send_return(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    super::ApiJson(body): super::ApiJson<ReturnIn>,
) -> Result<Json<ReturnOut>, ApiError> {
    let id = super::path_id(&id)?;
    let values: Vec<(String, String)> = body.values.iter().map(|(m, v)| (m.clone(), v.text())).collect();
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

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateSummaryOut {
    /// The template version's id.
    id: i64,
    /// Its code: returns of the code ask for its latest version.
    code: String,
    version: String,
    title: String,
    /// quarter, financial_year or academic_year.
    period_type: String,
    /// Shared by every partnership on the instance (or the partnership's own).
    shared: bool,
    /// When it was added (UTC).
    created_at: String,
}

/// The return template versions the partnership can use: the shared ones and its own.
#[utoipa::path(get, path = "/return-templates", tag = "dashboard", params(PartnershipParam, Paging), responses((status = 200, body = ListOf<TemplateSummaryOut>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_templates(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<TemplateSummaryOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let all = state.core.return_templates(&user.ctx, Some(p)).await?;
    Ok(Json(
        paging.of(all
            .into_iter()
            .map(|t| TemplateSummaryOut {
                id: t.id.0,
                code: t.code,
                version: t.version,
                title: t.title,
                period_type: t.period_type,
                shared: t.partnership_id.is_none(),
                created_at: t.created_at,
            })
            .collect()),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateFieldOut {
    /// The field's code: the key of its answer in a return's values.
    id: String,
    /// The group it is asked in.
    group: Option<String>,
    label: String,
    help: Option<String>,
    /// whole, percent, text or choice.
    kind: String,
    /// A choice's options.
    choices: Vec<String>,
    /// A written answer's longest length, in characters.
    max_chars: Option<usize>,
    /// May be left empty when the return is submitted.
    optional: bool,
    /// The adults' dashboard figure it counts as, if any.
    measure: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateOut {
    id: i64,
    code: String,
    version: String,
    title: String,
    description: Option<String>,
    /// quarter, financial_year or academic_year.
    period_type: String,
    /// Shared by every partnership on the instance (or one partnership's own).
    shared: bool,
    /// The groups, in order: (id, title).
    groups: Vec<(String, String)>,
    fields: Vec<TemplateFieldOut>,
    /// The checks between fields: within (a part no more than its whole) or adds_up (parts to
    /// their total).
    #[schema(value_type = Vec<Object>)]
    checks: Vec<assure_domain::intelligence::returns::Check>,
    /// The template's file (YAML).
    source: String,
}

/// One return template version: its fields, groups, checks and file.
#[utoipa::path(get, path = "/return-templates/{id}", tag = "dashboard", params(("id" = i64, Path)), responses((status = 200, body = TemplateOut), (status = 404, body = Problem)))]
pub async fn get_template(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<TemplateOut>, ApiError> {
    use assure_domain::structure::Choice as _;
    let (stored, t) =
        state.core.return_template(&user.ctx, assure_domain::ReturnTemplateId(super::path_id(&id)?)).await?;
    Ok(Json(TemplateOut {
        id: stored.id.0,
        shared: stored.partnership_id.is_none(),
        source: stored.source,
        period_type: t.period.code().to_owned(),
        groups: t.groups.iter().map(|g| (g.id.clone(), g.title.clone())).collect(),
        fields: t
            .fields
            .iter()
            .map(|f| TemplateFieldOut {
                id: f.id.clone(),
                group: f.group.clone(),
                label: f.label.clone(),
                help: f.help.clone(),
                kind: f.kind.code().to_owned(),
                choices: f.choices.clone(),
                max_chars: (f.kind == assure_domain::intelligence::returns::FieldKind::Text).then_some(f.max_chars),
                optional: f.optional,
                measure: f.measure.clone(),
            })
            .collect(),
        checks: t.checks,
        code: t.code,
        version: t.version,
        title: t.title,
        description: t.description,
    }))
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

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateFigureOut {
    /// The template's field.
    field: String,
    label: String,
    /// whole or percent.
    kind: String,
    /// The period, as the template counts it.
    period: String,
    /// Whole numbers added up over the organisations' returns in; percentages their mean.
    value: f64,
    /// How many organisations' returns gave it.
    organisations: usize,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresParams {
    /// The partnership's slug (needed only by callers in several).
    pub partnership: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Every figure a template's returns have given (submitted or validated), field by field and
/// period by period.
#[utoipa::path(get, path = "/returns/figures/{code}", tag = "dashboard", params(("code" = String, Path), FiguresParams), responses((status = 200, body = ListOf<TemplateFigureOut>), (status = 404, body = Problem)))]
pub async fn template_figures(
    State(state): State<AppState>,
    user: ApiUser,
    Path(code): Path<String>,
    Query(q): Query<FiguresParams>,
) -> Result<Json<ListOf<TemplateFigureOut>>, ApiError> {
    use assure_domain::structure::Choice as _;
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let f = state.core.return_figures(&user.ctx, p, &code, None).await?;
    let mut out = Vec::new();
    for row in &f.rows {
        for (period, v) in f.periods.iter().zip(&row.values) {
            if let Some(v) = v {
                out.push(TemplateFigureOut {
                    field: row.field.id.clone(),
                    label: row.field.label.clone(),
                    kind: row.field.kind.code().to_owned(),
                    period: period.clone(),
                    value: v.value.parse().unwrap_or(0.0),
                    organisations: v.organisations,
                });
            }
        }
    }
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(out)))
}
