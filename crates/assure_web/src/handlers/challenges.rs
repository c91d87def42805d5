//! The challenge and escalation log's pages: the log (filtered by open or closed, direction and
//! flag, with the business unit's form to raise an entry and its setting for the flag), its
//! downloads (workbook, PDF, Word), and an entry with its progress, the plan's actions it produced
//! and its closing.

use askama::Template;
use assure_core::CoreError;
use assure_core::challenges::{ChallengeView, Choices, Filter, Log};
use assure_domain::FieldErrors;
use assure_domain::challenges::{ChallengeInput, CloseInput, Direction, ProgressInput, SettingsInput, Status};
use assure_domain::structure::Choice;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::learning::download_response;
use crate::handlers::{Empty, Opt, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    section: Section::Partnership,
    href: "/challenges",
    label: "Challenges",
    needs: Some(assure_domain::ResourceKind::Challenge),
}];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/challenges", get(list).post(raise))
        .route("/challenges/settings", post(save_settings))
        .route("/challenges/log.xlsx", get(xlsx))
        .route("/challenges/log.pdf", get(pdf))
        .route("/challenges/log.docx", get(docx))
        .route("/challenges/{id}", get(show).post(update))
        .route("/challenges/{id}/progress", post(progress))
        .route("/challenges/{id}/close", post(close))
        .route("/challenges/{id}/reopen", post(reopen))
        .route("/challenges/{id}/actions", post(link_action))
        .route("/challenges/{id}/actions/{action}/remove", post(unlink_action))
}

/// The log's filters as the query sends them.
#[derive(Debug, Default, Deserialize)]
pub struct LogQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub flagged: String,
}

impl LogQuery {
    pub fn filter(&self) -> Filter {
        Filter {
            open: match self.status.as_str() {
                "open" => Some(true),
                "closed" => Some(false),
                _ => None,
            },
            direction: Direction::parse(&self.direction),
            flagged: self.flagged == "yes",
        }
    }
}

fn directions() -> Vec<Opt> {
    let mut out = vec![Opt::new("", "Choose")];
    out.extend(Direction::ALL.iter().map(|d| Opt::new(d.code(), d.label())));
    out
}

fn organisations(c: &Choices) -> Vec<Opt> {
    let mut out = vec![Opt::new("", "Choose the agency")];
    out.extend(c.organisations.iter().map(|(id, name)| Opt::new(id, name.clone())));
    out
}

fn meetings(c: &Choices) -> Vec<Opt> {
    let mut out = vec![Opt::new("", "None")];
    out.extend(c.meetings.iter().map(|(id, label)| Opt::new(id, label.clone())));
    out
}

#[derive(Template)]
#[template(path = "challenges/list.html")]
struct ListPage {
    layout: Layout,
    log: Log,
    query: LogQuery,
    input: ChallengeInput,
    directions: Vec<Opt>,
    organisations: Vec<Opt>,
    meetings: Vec<Opt>,
    flag_after_days: String,
    status_options: Vec<Opt>,
    direction_options: Vec<Opt>,
    errors: FieldErrors,
}

fn status_options() -> Vec<Opt> {
    vec![Opt::new("", "Open and closed"), Opt::new("open", "Open"), Opt::new("closed", "Closed")]
}

fn direction_options() -> Vec<Opt> {
    let mut out = vec![Opt::new("", "Both")];
    out.extend(Direction::ALL.iter().map(|d| Opt::new(d.code(), d.label())));
    out
}

async fn list_page(
    state: &AppState,
    mut page: Page,
    query: LogQuery,
    input: ChallengeInput,
    flag_after_days: Option<String>,
    errors: FieldErrors,
) -> Result<ListPage, PageError> {
    let log = state.core.challenges(&page.ctx, page.partnership, query.filter()).await?;
    page.layout.page("Challenge and escalation log", "/challenges", &[]);
    let input = if input.raised_on.is_empty() && errors.is_empty() {
        ChallengeInput { raised_on: log.today.to_string(), ..input }
    } else {
        input
    };
    Ok(ListPage {
        layout: page.layout,
        organisations: organisations(&log.choices),
        meetings: meetings(&log.choices),
        flag_after_days: flag_after_days.unwrap_or_else(|| log.flag_after_days.to_string()),
        log,
        query,
        input,
        directions: directions(),
        status_options: status_options(),
        direction_options: direction_options(),
        errors,
    })
}

async fn list(State(state): State<AppState>, page: Page, Query(q): Query<LogQuery>) -> Result<Response, PageError> {
    render(&list_page(&state, page, q, ChallengeInput::default(), None, FieldErrors::new()).await?)
}

async fn raise(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<ChallengeInput>,
) -> Result<Response, PageError> {
    match state.core.raise_challenge(&page.ctx, page.partnership, &input).await {
        Ok((id, _)) => Ok(done(&format!("/challenges/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&list_page(&state, page, LogQuery::default(), input, None, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn save_settings(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<SettingsInput>,
) -> Result<Response, PageError> {
    match state.core.set_challenge_settings(&page.ctx, page.partnership, &input).await {
        Ok(()) => Ok(done("/challenges", "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(
            &list_page(
                &state,
                page,
                LogQuery::default(),
                ChallengeInput::default(),
                Some(input.flag_after_days),
                errors,
            )
            .await?,
        ),
        Err(e) => Err(e.into()),
    }
}

async fn download(
    state: &AppState,
    page: &Page,
    format: Option<assure_core::documents::Format>,
) -> Result<Response, PageError> {
    let paper = state.core.challenge_paper(&page.ctx, page.partnership).await?;
    let name = ["challenge-log"];
    Ok(download_response(match format {
        None => state.core.render_workbook(paper.workbook(), &name).await?,
        Some(f) => state.core.render(paper.document(), f, &name).await?,
    }))
}

async fn xlsx(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    download(&state, &page, None).await
}

async fn pdf(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    download(&state, &page, Some(assure_core::documents::Format::Pdf)).await
}

async fn docx(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    download(&state, &page, Some(assure_core::documents::Format::Docx)).await
}

#[derive(Template)]
#[template(path = "challenges/show.html")]
struct ShowPage {
    layout: Layout,
    view: ChallengeView,
    input: ChallengeInput,
    progress: ProgressInput,
    closing: CloseInput,
    directions: Vec<Opt>,
    organisations: Vec<Opt>,
    meetings: Vec<Opt>,
    outcomes: Vec<Opt>,
    errors: FieldErrors,
}

impl ShowPage {
    fn open(&self) -> bool {
        self.view.entry.challenge.status == Status::Open
    }
}

#[derive(Default)]
struct Forms {
    input: Option<ChallengeInput>,
    progress: ProgressInput,
    closing: CloseInput,
}

async fn show_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    forms: Forms,
    errors: FieldErrors,
) -> Result<ShowPage, PageError> {
    let view = state.core.challenge(&page.ctx, id).await?;
    let c = &view.entry.challenge;
    page.layout.page(
        format!("{}: {}", view.entry.reference(), c.organisation),
        "/challenges",
        &[("Challenge and escalation log", "/challenges")],
    );
    let input = forms.input.unwrap_or_else(|| ChallengeInput {
        direction: c.direction.code().into(),
        raised_on: c.raised_on.to_string(),
        raised_by: c.raised_by.clone(),
        organisation_id: c.organisation_id.map(|o| o.0.to_string()).unwrap_or_default(),
        organisation_name: if c.organisation_id.is_some() { String::new() } else { c.organisation.clone() },
        meeting_id: c.meeting_id.map(|m| m.to_string()).unwrap_or_default(),
        details: c.details.clone(),
        action_agreed: c.action_agreed.clone(),
        responsible: c.responsible.clone(),
    });
    let outcomes = vec![
        Opt::new("", "Choose"),
        Opt::new(Status::Resolved.code(), "Resolved"),
        Opt::new(Status::Unresolved.code(), "Closed without being resolved"),
    ];
    Ok(ShowPage {
        layout: page.layout,
        organisations: organisations(&view.choices),
        meetings: meetings(&view.choices),
        view,
        input,
        progress: forms.progress,
        closing: forms.closing,
        directions: directions(),
        outcomes,
        errors,
    })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&show_page(&state, page, path_id(&id)?, Forms::default(), FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<ChallengeInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.update_challenge(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/challenges/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let forms = Forms { input: Some(input), ..Forms::default() };
            render_invalid(&show_page(&state, page, id, forms, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn progress(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<ProgressInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_challenge_progress(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/challenges/{id}#progress"), "added")),
        Err(CoreError::Invalid(errors)) => {
            let forms = Forms { progress: input, ..Forms::default() };
            render_invalid(&show_page(&state, page, id, forms, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn close(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<CloseInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.close_challenge(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/challenges/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let forms = Forms { closing: input, ..Forms::default() };
            render_invalid(&show_page(&state, page, id, forms, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn reopen(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    state.core.reopen_challenge(&page.ctx, id).await?;
    Ok(done(&format!("/challenges/{id}"), "updated"))
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    action_id: String,
}

async fn link_action(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let action = form.action_id.trim().trim_start_matches('#').parse::<i64>().unwrap_or(0);
    match state.core.link_challenge_action(&page.ctx, id, assure_domain::ActionId(action), true).await {
        Ok(()) => Ok(done(&format!("/challenges/{id}#actions"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&show_page(&state, page, id, Forms::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn unlink_action(
    State(state): State<AppState>,
    page: Page,
    Path((id, action)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let action = path_id(&action)?;
    state.core.link_challenge_action(&page.ctx, id, assure_domain::ActionId(action), false).await?;
    Ok(done(&format!("/challenges/{id}#actions"), "updated"))
}
