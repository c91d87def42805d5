//! API for the intelligence dashboard: the indicator catalogue and each indicator's computed
//! values, for one area or every area in the published data.

use assure_domain::indicators::{CATALOGUE, Formula};
use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorOut {
    code: String,
    version: u32,
    title: String,
    definition: String,
    unit: String,
    /// How it is computed: count, rate per 10,000 children (over the preceding mid-year 0-17 population) or ratio.
    formula: String,
    decimals: u32,
    polarity: String,
    period: String,
    source: String,
    arm: String,
}

/// The indicator catalogue.
#[utoipa::path(get, path = "/indicators", tag = "dashboard", responses((status = 200, body = Vec<IndicatorOut>), (status = 401, body = Problem)))]
pub async fn list(_user: ApiUser) -> Json<Vec<IndicatorOut>> {
    Json(
        CATALOGUE
            .iter()
            .map(|i| IndicatorOut {
                code: i.code.into(),
                version: i.version,
                title: i.title.into(),
                definition: i.definition.into(),
                unit: i.unit.into(),
                formula: match i.formula {
                    Formula::Count(m) => format!("count of {m}"),
                    Formula::RatePerTenThousandChildren(m) => {
                        format!("{m} / population_0_17 of the preceding mid-year x 10,000")
                    }
                    Formula::Ratio { numerator, denominator, scale } => {
                        format!("{numerator} / {denominator} x {scale}")
                    }
                },
                decimals: i.decimals,
                polarity: i.polarity.label().into(),
                period: i.period.into(),
                source: i.source.into(),
                arm: i.arm.into(),
            })
            .collect(),
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ValuesParams {
    /// One area: its ONS code (E06000033) or DfE number (882); default every area.
    pub area: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ValueOut {
    area_code: String,
    area: String,
    /// "2018-19": the year ending 31 March 2019.
    period: String,
    value: Option<f64>,
    /// The count and what it was divided by, as published.
    numerator: Option<String>,
    denominator: Option<String>,
    /// Why there is no value (a suppressed or missing figure).
    note: Option<String>,
}

/// An indicator's values, computed from the published counts and populations.
#[utoipa::path(get, path = "/indicators/{code}/values", tag = "dashboard", params(("code" = String, Path), ValuesParams), responses((status = 200, body = Vec<ValueOut>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn values(
    State(state): State<AppState>,
    _user: ApiUser,
    Path(code): Path<String>,
    Query(q): Query<ValuesParams>,
) -> Result<Json<Vec<ValueOut>>, ApiError> {
    let (_, values) = state.core.indicator_values(&code, q.area.as_deref()).await?;
    Ok(Json(
        values
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
            .collect(),
    ))
}
