//! The voice of practitioners and the public, inside Assure: the feedback given on the public page
//! (the business unit's inbox, and each piece with its triage), and "You said, we did" (recorded,
//! changed, published). Surveys' pages are in `surveys`; the public's own pages in `public`.

pub(crate) mod public;
mod surveys;

use askama::Template;
use assure_core::CoreError;
use assure_core::voice::{FeedbackView, Inbox, SaidDid, SaidDidList};
use assure_domain::FieldErrors;
use assure_domain::structure::Choice;
use assure_domain::voice::{SaidDidInput, Status, Step, TriageInput};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Opt, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// How long a closed piece's contact details are kept, as its page says.
pub const CONTACT_DAYS: i64 = assure_core::voice::CONTACT_KEPT_DAYS;

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[
    NavEntry {
        section: Section::Partnership,
        href: "/feedback",
        label: "Feedback",
        needs: Some(assure_domain::ResourceKind::Feedback),
    },
    NavEntry {
        section: Section::Partnership,
        href: "/you-said-we-did",
        label: "You said, we did",
        needs: Some(assure_domain::ResourceKind::SaidDid),
    },
    NavEntry {
        section: Section::Partnership,
        href: "/surveys",
        label: "Surveys",
        needs: Some(assure_domain::ResourceKind::Survey),
    },
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feedback", get(inbox))
        .route("/feedback/{id}", get(show))
        .route("/feedback/{id}/triage", post(triage))
        .route("/you-said-we-did", get(said_did).post(record))
        .route("/you-said-we-did/{id}", get(edit).post(update))
        .merge(public::routes())
        .merge(surveys::routes())
}

#[derive(Template)]
#[template(path = "voice/inbox.html")]
struct InboxPage {
    layout: Layout,
    inbox: Inbox,
}

impl InboxPage {
    fn open(&self) -> usize {
        self.inbox.items.iter().filter(|f| f.status != Status::Closed).count()
    }
}

async fn inbox(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let inbox = state.core.feedback_inbox(&page.ctx, page.partnership).await?;
    page.layout.page("Feedback", "/feedback", &[]);
    render(&InboxPage { layout: page.layout, inbox })
}

#[derive(Template)]
#[template(path = "voice/show.html")]
struct ShowPage {
    layout: Layout,
    view: FeedbackView,
    input: TriageInput,
    steps: Vec<Opt>,
    bodies: Vec<Opt>,
    organisations: Vec<Opt>,
    errors: FieldErrors,
}

impl ShowPage {
    fn reference(&self) -> String {
        assure_domain::voice::reference(self.view.feedback.number)
    }
}

async fn show_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    input: TriageInput,
    errors: FieldErrors,
) -> Result<ShowPage, PageError> {
    let view = state.core.feedback_item(&page.ctx, id).await?;
    page.layout.page(
        format!("Feedback {}", assure_domain::voice::reference(view.feedback.number)),
        "/feedback",
        &[("Feedback", "/feedback")],
    );
    let mut bodies = vec![Opt::new("", "None")];
    bodies.extend(view.routes.bodies.iter().map(|(id, name)| Opt::new(id, name.clone())));
    let mut organisations = vec![Opt::new("", "None")];
    organisations.extend(view.routes.organisations.iter().map(|(id, name)| Opt::new(id, name.clone())));
    let mut steps = vec![Opt::new("", "Choose")];
    steps.extend(Step::ALL.iter().map(|s| Opt::new(s.code(), s.label())));
    Ok(ShowPage { layout: page.layout, view, input, steps, bodies, organisations, errors })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&show_page(&state, page, path_id(&id)?, TriageInput::default(), FieldErrors::new()).await?)
}

async fn triage(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<TriageInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.triage_feedback(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/feedback/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&show_page(&state, page, id, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "voice/said_did.html")]
struct SaidDidPage {
    layout: Layout,
    list: SaidDidList,
    input: SaidDidInput,
    errors: FieldErrors,
}

async fn said_did_page(
    state: &AppState,
    mut page: Page,
    input: SaidDidInput,
    errors: FieldErrors,
) -> Result<SaidDidPage, PageError> {
    let list = state.core.said_did_list(&page.ctx, page.partnership).await?;
    page.layout.page("You said, we did", "/you-said-we-did", &[]);
    Ok(SaidDidPage { layout: page.layout, list, input, errors })
}

async fn said_did(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&said_did_page(&state, page, SaidDidInput::default(), FieldErrors::new()).await?)
}

async fn record(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<SaidDidInput>,
) -> Result<Response, PageError> {
    match state.core.record_said_did(&page.ctx, page.partnership, &input).await {
        Ok(_) => Ok(done("/you-said-we-did", "added")),
        Err(CoreError::Invalid(errors)) => render_invalid(&said_did_page(&state, page, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "voice/said_did_edit.html")]
struct EditPage {
    layout: Layout,
    entry: SaidDid,
    input: SaidDidInput,
    errors: FieldErrors,
}

async fn edit_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    input: Option<SaidDidInput>,
    errors: FieldErrors,
) -> Result<EditPage, PageError> {
    let entry = state.core.said_did_entry(&page.ctx, id).await?;
    if !page.ctx.may_in_any(
        assure_domain::Action::Update,
        assure_domain::ResourceKind::SaidDid,
        &[entry.partnership_id],
        None,
    ) {
        return Err(PageError::Forbidden);
    }
    page.layout.page("Change the entry", "/you-said-we-did", &[("You said, we did", "/you-said-we-did")]);
    let input = input.unwrap_or_else(|| SaidDidInput {
        you_said: entry.you_said.clone(),
        we_did: entry.we_did.clone(),
        done_on: entry.done_on.to_string(),
        published: if entry.published { "yes".into() } else { String::new() },
        feedback_id: entry.feedback_id.map(|f| f.to_string()).unwrap_or_default(),
    });
    Ok(EditPage { layout: page.layout, entry, input, errors })
}

async fn edit(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&edit_page(&state, page, path_id(&id)?, None, FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<SaidDidInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.update_said_did(&page.ctx, id, &input).await {
        Ok(()) => Ok(done("/you-said-we-did", "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&edit_page(&state, page, id, Some(input), errors).await?),
        Err(e) => Err(e.into()),
    }
}
