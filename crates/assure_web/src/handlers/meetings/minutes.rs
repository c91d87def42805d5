//! A meeting's record: the minutes of each item, the interests declared, the decisions and the
//! actions; their approval at the next meeting; an action marked done by its owner; and the
//! search of the partnership's decisions.

use askama::Template;
use assure_core::CoreError;
use assure_core::meetings::{Decision, ItemRecord, MeetingAction, MinutesView};
use assure_domain::meetings::minutes::{DecisionInput, DeclarationInput, MeetingActionInput};
use assure_domain::structure::Choice as _;
use assure_domain::{FieldErrors, MeetingId};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::frame;
use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Opt, changed_since, done, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/meetings/{id}/minutes", get(show).post(save))
        .route("/meetings/{id}/minutes/approve", post(approve))
        .route("/meetings/{id}/declarations", post(declare))
        .route("/meetings/{id}/decisions", post(decide))
        .route("/meetings/{id}/actions", post(add_action))
        .route("/meeting-actions/{id}", post(progress))
        .route("/decisions", get(search))
        .route("/meetings/{id}/minutes.pdf", get(minutes_pdf))
        .route("/meetings/{id}/minutes.docx", get(minutes_docx))
        .route("/meetings/{id}/agenda.pdf", get(agenda_pdf))
        .route("/meetings/{id}/agenda.docx", get(agenda_docx))
        .route("/meetings/{id}/pack.zip", get(pack))
}

#[derive(Template)]
#[template(path = "meetings/minutes.html")]
struct MinutesPage {
    layout: Layout,
    view: MinutesView,
    /// What was sent for each item's minutes, when shown again with errors.
    sent: Vec<(String, String)>,
    items_required: Vec<Opt>,
    items_optional: Vec<Opt>,
    declaration: DeclarationInput,
    decision: DecisionInput,
    action: MeetingActionInput,
    /// The signed-in user, who may progress the actions they own; the business unit may progress any.
    user: i64,
    may_update: bool,
    errors: FieldErrors,
}

impl MinutesPage {
    fn field(&self, item: &assure_domain::AgendaItemId) -> String {
        format!("minutes:{item}")
    }

    fn text_of(&self, r: &ItemRecord) -> String {
        let field = format!("minutes:{}", r.item.id);
        match self.sent.iter().find(|(k, _)| *k == field) {
            Some((_, v)) => v.clone(),
            None => r.minutes.clone().unwrap_or_default(),
        }
    }

    fn paragraphs(&self, text: &str) -> Vec<String> {
        text.split("\n\n").map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect()
    }

    fn may_progress(&self, a: &MeetingAction) -> bool {
        a.owner_user_id.0 == self.user || self.may_update
    }
}

/// The forms of the record page as sent, to show again with their errors.
#[derive(Default)]
struct Sent {
    texts: Vec<(String, String)>,
    declaration: DeclarationInput,
    decision: DecisionInput,
    action: MeetingActionInput,
}

async fn minutes_page(
    state: &AppState,
    mut page: Page,
    id: MeetingId,
    sent: Sent,
    errors: FieldErrors,
) -> Result<MinutesPage, PageError> {
    let view = state.core.minutes(&page.ctx, id).await?;
    frame(
        &mut page,
        &view.meeting,
        format!("Minutes: {}, {}", view.meeting.body_name, assure_domain::validation::long_date(view.meeting.held_on)),
    );
    let mut items_required = vec![Opt::new("", "Select the item")];
    let mut items_optional = vec![Opt::new("", "No item: other business")];
    for r in &view.items {
        let label = format!("{}. {}", r.number, r.item.title);
        items_required.push(Opt::new(r.item.id, label.clone()));
        items_optional.push(Opt::new(r.item.id, label));
    }
    Ok(MinutesPage {
        layout: page.layout,
        sent: sent.texts,
        items_required,
        items_optional,
        declaration: sent.declaration,
        decision: sent.decision,
        action: sent.action,
        user: page.auth.user.id.0,
        may_update: assure_domain::can(
            &page.ctx.actor,
            assure_domain::Action::Update,
            &assure_core::meetings::meeting_target(
                view.meeting.partnership_id,
                view.meeting.body_id,
                view.meeting.body_restricted,
            ),
        ),
        view,
        errors,
    })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    render(&minutes_page(&state, page, id, Sent::default(), FieldErrors::new()).await?)
}

async fn save(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    let version = form.iter().find(|(k, _)| k == "version").map(|(_, v)| v.clone()).unwrap_or_default();
    let texts: Vec<(String, String)> =
        form.iter().filter_map(|(k, v)| k.strip_prefix("minutes:").map(|item| (item.to_owned(), v.clone()))).collect();
    match state.core.save_minutes(&page.ctx, id, &texts, Some(&version)).await {
        Ok(_) => Ok(done(&format!("/meetings/{id}/minutes"), "minutes-saved")),
        Err(CoreError::Invalid(errors)) => {
            let sent = Sent {
                texts: texts.into_iter().map(|(k, v)| (format!("minutes:{k}"), v)).collect(),
                ..Sent::default()
            };
            render_invalid(&minutes_page(&state, page, id, sent, errors).await?)
        }
        Err(CoreError::Changed) => {
            render_invalid(&minutes_page(&state, page, id, Sent::default(), changed_since("minutes", "minutes")).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// Field errors renamed for the record page, where two forms share field names.
fn renamed(errors: FieldErrors, names: &[(&str, &str)]) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (field, messages) in errors.iter() {
        let to = names.iter().find(|(from, _)| *from == field).map(|(_, to)| *to).unwrap_or(field);
        for m in messages {
            out.add(to, m.clone());
        }
    }
    out
}

async fn declare(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<DeclarationInput>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    match state.core.declare_interest(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/meetings/{id}/minutes"), "declaration-recorded")),
        Err(CoreError::Invalid(errors)) => render_invalid(
            &minutes_page(&state, page, id, Sent { declaration: input, ..Sent::default() }, errors).await?,
        ),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    decision_item_id: String,
    #[serde(default)]
    text: String,
}

async fn decide(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    let input = DecisionInput { item_id: form.decision_item_id, text: form.text };
    match state.core.record_decision(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/meetings/{id}/minutes"), "decision-recorded")),
        Err(CoreError::Invalid(errors)) => {
            let errors = renamed(errors, &[("item_id", "decision_item_id")]);
            render_invalid(&minutes_page(&state, page, id, Sent { decision: input, ..Sent::default() }, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct ActionForm {
    #[serde(default)]
    action_item_id: String,
    #[serde(default)]
    action_text: String,
    #[serde(default)]
    owner_email: String,
    #[serde(default)]
    due_on: String,
}

async fn add_action(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    let input = MeetingActionInput {
        item_id: form.action_item_id,
        text: form.action_text,
        owner_email: form.owner_email,
        due_on: form.due_on,
    };
    match state.core.add_meeting_action(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/meetings/{id}/minutes"), "meeting-action-recorded")),
        Err(CoreError::Invalid(errors)) => {
            let errors = renamed(errors, &[("item_id", "action_item_id"), ("text", "action_text")]);
            render_invalid(&minutes_page(&state, page, id, Sent { action: input, ..Sent::default() }, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn approve(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    match state.core.approve_minutes(&page.ctx, id).await {
        Ok(_) => Ok(done(&format!("/meetings/{id}/minutes"), "minutes-approved")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&minutes_page(&state, page, id, Sent::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct StateForm {
    #[serde(default)]
    state: String,
}

async fn progress(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<StateForm>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.set_meeting_action_state(&page.ctx, id, &form.state).await {
        Ok(meeting) => Ok(done(&format!("/meetings/{meeting}/minutes"), "meeting-action-saved")),
        Err(CoreError::Invalid(_)) => Err(PageError::BadRequest),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "meetings/decisions.html")]
struct DecisionsPage {
    layout: Layout,
    q: String,
    found: Vec<Decision>,
    errors: FieldErrors,
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn search(
    State(state): State<AppState>,
    mut page: Page,
    Query(query): Query<SearchQuery>,
) -> Result<Response, PageError> {
    page.layout.page("Decisions", "/meetings", &[("Meetings", "/meetings")]);
    match state.core.search_decisions(&page.ctx, page.partnership, &query.q).await {
        Ok(found) => render(&DecisionsPage { layout: page.layout, q: query.q, found, errors: FieldErrors::new() }),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&DecisionsPage { layout: page.layout, q: query.q, found: Vec::new(), errors })
        }
        Err(e) => Err(e.into()),
    }
}

/// The minutes, or the agenda, as a document for the board.
async fn document(
    state: &AppState,
    page: &Page,
    id: &str,
    what: &str,
    format: assure_core::documents::Format,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(id)?);
    let detail = state.core.meeting(&page.ctx, id).await?;
    let name = format!("{} {}", detail.meeting.body_name, detail.meeting.held_on);
    let doc = if what == "minutes" {
        state.core.minutes(&page.ctx, id).await?.document(&detail)
    } else {
        assure_core::meetings::agenda_document(&detail)
    };
    let d = state.core.render(doc, format, &[&name, what]).await?;
    Ok(crate::handlers::learning::download_response(d))
}

async fn minutes_pdf(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    document(&state, &page, &id, "minutes", assure_core::documents::Format::Pdf).await
}

async fn minutes_docx(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    document(&state, &page, &id, "minutes", assure_core::documents::Format::Docx).await
}

async fn agenda_pdf(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    document(&state, &page, &id, "agenda", assure_core::documents::Format::Pdf).await
}

async fn agenda_docx(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    document(&state, &page, &id, "agenda", assure_core::documents::Format::Docx).await
}

/// The pack: the agenda and every paper the reader may read, in one ZIP file.
async fn pack(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    match state.core.meeting_pack(&page.ctx, id).await {
        Ok(d) => Ok(crate::handlers::learning::download_response(d)),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&super::show_page(&state, page, id, Default::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}
