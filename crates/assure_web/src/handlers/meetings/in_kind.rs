//! The partnership's in-kind contributions: the time each organisation gave to meetings, per
//! financial year, valued at the hourly rate the business unit sets here.

use askama::Template;
use assure_core::CoreError;
use assure_core::meetings::InKindTotals;
use assure_domain::FieldErrors;
use assure_domain::structure::Choice as _;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::learning::attachment_response;
use crate::handlers::{Opt, done, render, render_invalid};
use crate::layout::Layout;
use assure_domain::meetings::in_kind::TaskInKindInput;

#[derive(Template)]
#[template(path = "meetings/in_kind.html")]
struct TotalsPage {
    layout: Layout,
    totals: InKindTotals,
    rate: String,
    /// The form for time given to a task: its choices, and what was sent.
    organisations: Vec<Opt>,
    givens: Vec<Opt>,
    task: TaskInKindInput,
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
    task: TaskInKindInput,
    errors: FieldErrors,
) -> Result<TotalsPage, PageError> {
    let totals = state.core.in_kind_totals(&page.ctx, page.partnership).await?;
    page.layout.page("Time given to meetings", "/meetings", &[("Meetings", "/meetings")]);
    let rate = rate.unwrap_or_else(|| totals.rate.map(|p| format!("{}.{:02}", p / 100, p % 100)).unwrap_or_default());
    let mut organisations = vec![Opt::new("", "Select the organisation")];
    organisations.extend(totals.organisations.iter().map(|(id, name)| Opt::new(id, name.clone())));
    let givens = Opt::choices::<assure_domain::meetings::in_kind::Given>("Select what for");
    Ok(TotalsPage { layout: page.layout, totals, rate, organisations, givens, task, errors })
}

pub(super) async fn record_task(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<TaskInKindInput>,
) -> Result<Response, PageError> {
    match state.core.record_task_in_kind(&page.ctx, page.partnership, &input).await {
        Ok(_) => Ok(done("/in-kind#tasks", "in-kind-recorded")),
        Err(CoreError::Invalid(errors)) => render_invalid(&totals_page(&state, page, None, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn show(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&totals_page(&state, page, None, TaskInKindInput::default(), FieldErrors::new()).await?)
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
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&totals_page(&state, page, Some(form.rate), TaskInKindInput::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn csv(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let totals = state.core.in_kind_totals(&page.ctx, page.partnership).await?;
    Ok(attachment_response("in-kind-contributions.csv", "text/csv; charset=utf-8", totals.csv().into_bytes()))
}
