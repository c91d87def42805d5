//! The partnership's in-kind contributions: the time each organisation gave to meetings, per
//! financial year, valued at the hourly rate the business unit sets here.

use askama::Template;
use assure_core::CoreError;
use assure_core::meetings::InKindTotals;
use assure_domain::FieldErrors;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::learning::attachment_response;
use crate::handlers::{done, render, render_invalid};
use crate::layout::Layout;

#[derive(Template)]
#[template(path = "meetings/in_kind.html")]
struct TotalsPage {
    layout: Layout,
    totals: InKindTotals,
    rate: String,
    errors: FieldErrors,
}

impl TotalsPage {
    fn hours(&self, tenths: &i64) -> String {
        assure_domain::meetings::in_kind::hours(*tenths)
    }

    fn money(&self, pence: &i64) -> String {
        assure_domain::cells::pounds(*pence)
    }
}

async fn totals_page(
    state: &AppState,
    mut page: Page,
    rate: Option<String>,
    errors: FieldErrors,
) -> Result<TotalsPage, PageError> {
    let totals = state.core.in_kind_totals(&page.ctx, page.partnership).await?;
    page.layout.page("Time given to meetings", "/meetings", &[("Meetings", "/meetings")]);
    let rate = rate.unwrap_or_else(|| totals.rate.map(|p| format!("{}.{:02}", p / 100, p % 100)).unwrap_or_default());
    Ok(TotalsPage { layout: page.layout, totals, rate, errors })
}

pub(super) async fn show(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&totals_page(&state, page, None, FieldErrors::new()).await?)
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct RateForm {
    #[serde(default)]
    rate: String,
}

pub(super) async fn set_rate(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<RateForm>,
) -> Result<Response, PageError> {
    match state.core.set_in_kind_rate(&page.ctx, page.partnership, &form.rate).await {
        Ok(_) => Ok(done("/in-kind", "in-kind-rate-saved")),
        Err(CoreError::Invalid(errors)) => render_invalid(&totals_page(&state, page, Some(form.rate), errors).await?),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn csv(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let totals = state.core.in_kind_totals(&page.ctx, page.partnership).await?;
    Ok(attachment_response("in-kind-contributions.csv", "text/csv; charset=utf-8", totals.csv().into_bytes()))
}
