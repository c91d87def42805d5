//! Surveys' pages for the business unit and the scrutineer: the surveys with the form to start
//! one, a survey's results (counts, means, written answers, a CSV of every response), closing it.

use askama::Template;
use assure_core::CoreError;
use assure_core::voice::{SurveyList, SurveyResults};
use assure_domain::FieldErrors;
use assure_domain::voice::survey::SurveyInput;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Empty, done, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list).post(create))
        .route("/surveys/{id}", get(show))
        .route("/surveys/{id}/responses.csv", get(csv))
        .route("/surveys/{id}/close", post(close))
}

#[derive(Template)]
#[template(path = "voice/surveys.html")]
struct ListPage {
    layout: Layout,
    list: SurveyList,
    input: SurveyInput,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    mut page: Page,
    input: SurveyInput,
    errors: FieldErrors,
) -> Result<ListPage, PageError> {
    let list = state.core.surveys(&page.ctx, page.partnership).await?;
    page.layout.page("Surveys", "/surveys", &[]);
    Ok(ListPage { layout: page.layout, list, input, errors })
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&list_page(&state, page, SurveyInput::default(), FieldErrors::new()).await?)
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<SurveyInput>,
) -> Result<Response, PageError> {
    match state.core.create_survey(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/surveys/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "voice/survey.html")]
struct ShowPage {
    layout: Layout,
    view: SurveyResults,
}

async fn show(State(state): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let view = state.core.survey_results(&page.ctx, path_id(&id)?).await?;
    page.layout.page(view.survey.title.clone(), "/surveys", &[("Surveys", "/surveys")]);
    render(&ShowPage { layout: page.layout, view })
}

async fn csv(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let (survey, csv) = state.core.survey_csv(&page.ctx, path_id(&id)?).await?;
    let name = state.core.download_name(&["survey", &survey.title, "responses"], "csv");
    Ok(crate::handlers::learning::attachment_response(&name, "text/csv; charset=utf-8", csv.into_bytes()))
}

async fn close(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    state.core.close_survey(&page.ctx, id).await?;
    Ok(done(&format!("/surveys/{id}"), "updated"))
}
