//! The Easy Read checker's page: the author pastes a text (and the glossary's terms) and sees,
//! sentence by sentence, what breaks the Easy Read rules, with the counts and the reading ease.

use askama::Template;
use assure_core::CoreError;
use assure_domain::FieldErrors;
use assure_domain::reports::easy_read::{CheckInput, Checked, MAX_WORDS};
use assure_domain::structure::Choice;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new().route("/reports/easy-read-check", get(form).post(run))
}

#[derive(Template)]
#[template(path = "reports/easy_read.html")]
struct CheckPage {
    layout: Layout,
    input: CheckInput,
    errors: FieldErrors,
    checked: Option<Checked>,
}

impl CheckPage {
    fn max_words(&self) -> usize {
        MAX_WORDS
    }

    fn ease(&self) -> String {
        ease(self.checked.as_ref())
    }

    fn counts(&self) -> Vec<(&'static str, usize)> {
        counts(self.checked.as_ref())
    }
}

/// A check's reading ease with what it means (this page's and an Easy Read section's).
pub(super) fn ease(checked: Option<&Checked>) -> String {
    match checked.and_then(|c| c.reading_ease) {
        Some(e) if e >= 80.0 => format!("{e:.1}: easy to read"),
        Some(e) if e >= 60.0 => format!("{e:.1}: plain English, but not yet Easy Read (aim for 80 or more)"),
        Some(e) => format!("{e:.1}: hard to read (aim for 80 or more)"),
        None => "no words to score".into(),
    }
}

/// Each rule with how many times a check found it broken.
pub(super) fn counts(checked: Option<&Checked>) -> Vec<(&'static str, usize)> {
    checked.map(|c| c.counts().into_iter().map(|(r, n)| (r.label(), n)).collect()).unwrap_or_default()
}

fn check_page(mut page: Page, input: CheckInput, errors: FieldErrors, checked: Option<Checked>) -> CheckPage {
    page.layout.page("Check Easy Read", "/reports", &[("Yearly reports", "/reports")]);
    CheckPage { layout: page.layout, input, errors, checked }
}

async fn form(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    state.core.may_check_easy_read(&page.ctx, page.partnership)?;
    render(&check_page(page, CheckInput::default(), FieldErrors::new(), None))
}

async fn run(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<CheckInput>,
) -> Result<Response, PageError> {
    match state.core.check_easy_read(&page.ctx, page.partnership, &input).await {
        Ok(checked) => render(&check_page(page, input, FieldErrors::new(), Some(checked))),
        Err(CoreError::Invalid(errors)) => render_invalid(&check_page(page, input, errors, None)),
        Err(e) => Err(e.into()),
    }
}
