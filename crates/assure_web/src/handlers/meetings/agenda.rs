//! A meeting's agenda and papers: adding, changing, moving and removing items; adding papers to
//! an item (the business unit or the item's owner) and downloading them; publishing the pack;
//! and a body's papers deadline.

use askama::Template;
use assure_core::CoreError;
use assure_core::meetings::{ItemView, Meeting, StandingItem};
use assure_core::structure::Body;
use assure_domain::meetings::MONTHS;
use assure_domain::meetings::agenda::{AgendaItemInput, Move, Purpose, StandingItemInput};
use assure_domain::structure::Choice;
use assure_domain::{AgendaItemId, BodyId, FieldErrors, MeetingId, PaperId};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use super::frame;
use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page, PendingUpload, UPLOAD_BYTES};
use crate::handlers::learning::attachment_response;
use crate::handlers::{Opt, done, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/meetings/{id}/agenda", get(show_new).post(add))
        .route("/meetings/{id}/pack", post(publish))
        .route("/agenda/{id}", get(show_item).post(update))
        .route("/agenda/{id}/papers", post(add_papers).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/agenda/{id}/move", post(move_item))
        .route("/agenda/{id}/remove", post(remove))
        .route("/papers/{id}", get(download))
        .route("/papers/{id}/remove", post(remove_paper))
        .route("/bodies/{id}/papers-due", post(set_papers_days))
        .route("/bodies/{id}/business-cycle", get(show_cycle).post(add_standing))
        .route("/standing-items/{id}/remove", post(remove_standing))
}

#[derive(Template)]
#[template(path = "meetings/item.html")]
struct ItemPage {
    layout: Layout,
    meeting: Meeting,
    /// The item being changed; `None` while adding one.
    item: Option<ItemView>,
    /// The business unit may change the item (an owner only adds papers).
    can_edit: bool,
    input: AgendaItemInput,
    purposes: Vec<Opt>,
    errors: FieldErrors,
}

impl ItemPage {
    fn action(&self) -> String {
        match &self.item {
            Some(v) => format!("/agenda/{}", v.item.id),
            None => format!("/meetings/{}/agenda", self.meeting.id),
        }
    }

    fn restricted(&self) -> bool {
        assure_domain::structure::flag(&self.input.restricted).unwrap_or(false)
    }
}

fn input_of(v: &ItemView) -> AgendaItemInput {
    let i = &v.item;
    AgendaItemInput {
        title: i.title.clone(),
        presenter: i.presenter.clone().unwrap_or_default(),
        purpose: i.purpose.code().to_owned(),
        minutes: i.minutes.map(|m| m.to_string()).unwrap_or_default(),
        restricted: if i.restricted { "true".into() } else { String::new() },
        owner_email: i.owner_email.clone().unwrap_or_default(),
    }
}

async fn new_page(
    state: &AppState,
    mut page: Page,
    id: MeetingId,
    input: AgendaItemInput,
    errors: FieldErrors,
) -> Result<ItemPage, PageError> {
    let detail = state.core.meeting(&page.ctx, id).await?;
    if !detail.agenda.can_edit {
        return Err(CoreError::Forbidden.into());
    }
    let m = detail.meeting;
    frame(&mut page, &m, "Add an agenda item".into());
    Ok(ItemPage {
        layout: page.layout,
        meeting: m,
        item: None,
        can_edit: true,
        input,
        purposes: Opt::choices::<Purpose>("Select the purpose"),
        errors,
    })
}

async fn show_new(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    render(&new_page(&state, page, id, AgendaItemInput::default(), FieldErrors::new()).await?)
}

async fn add(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<AgendaItemInput>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    match state.core.add_agenda_item(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/meetings/{id}#agenda"), "agenda-item-added")),
        Err(CoreError::Invalid(errors)) => render_invalid(&new_page(&state, page, id, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn item_page(
    state: &AppState,
    mut page: Page,
    id: AgendaItemId,
    input: Option<AgendaItemInput>,
    errors: FieldErrors,
) -> Result<ItemPage, PageError> {
    let (meeting, view) = state.core.agenda_item(&page.ctx, id).await?;
    let can_edit = assure_domain::can(
        &page.ctx.actor,
        assure_domain::Action::Update,
        &assure_core::meetings::meeting_target(meeting.partnership_id, meeting.body_id, meeting.body_restricted),
    );
    frame(&mut page, &meeting, format!("Item {}: {}", view.number, view.item.title));
    Ok(ItemPage {
        layout: page.layout,
        input: input.unwrap_or_else(|| input_of(&view)),
        meeting,
        item: Some(view),
        can_edit,
        purposes: Opt::choices::<Purpose>("Select the purpose"),
        errors,
    })
}

async fn show_item(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = AgendaItemId(path_id(&id)?);
    render(&item_page(&state, page, id, None, FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<AgendaItemInput>,
) -> Result<Response, PageError> {
    let id = AgendaItemId(path_id(&id)?);
    match state.core.update_agenda_item(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/agenda/{id}"), "agenda-item-saved")),
        Err(CoreError::Invalid(errors)) => render_invalid(&item_page(&state, page, id, Some(input), errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn add_papers(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let id = AgendaItemId(path_id(&id)?);
    let permit = match state.core.permit_papers(&page.ctx, id).await {
        Ok(permit) => permit,
        Err(CoreError::Invalid(errors)) => return render_invalid(&item_page(&state, page, id, None, errors).await?),
        Err(e) => return Err(e.into()),
    };
    let mut upload = pending.read(permit).await?;
    match state.core.add_papers(&page.ctx, id, upload.files_named("files")).await {
        Ok(_) => Ok(done(&format!("/agenda/{id}#papers"), "papers-added")),
        Err(CoreError::Invalid(errors)) => render_invalid(&item_page(&state, page, id, None, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
struct MoveForm {
    #[serde(default)]
    to: String,
}

async fn move_item(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> Result<Response, PageError> {
    let id = AgendaItemId(path_id(&id)?);
    let to = Move::parse(&form.to).ok_or(PageError::BadRequest)?;
    match state.core.move_agenda_item(&page.ctx, id, to).await {
        Ok(meeting) => Ok(done(&format!("/meetings/{meeting}#agenda"), "agenda-item-moved")),
        // Already first or last: the agenda is as asked.
        Err(CoreError::Invalid(_)) => {
            let (meeting, _) = state.core.agenda_item(&page.ctx, id).await?;
            Ok(done(&format!("/meetings/{}#agenda", meeting.id), "agenda-item-moved"))
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = AgendaItemId(path_id(&id)?);
    match state.core.remove_agenda_item(&page.ctx, id).await {
        Ok(meeting) => Ok(done(&format!("/meetings/{meeting}#agenda"), "agenda-item-removed")),
        Err(CoreError::Invalid(errors)) => render_invalid(&item_page(&state, page, id, None, errors).await?),
        Err(e) => Err(e.into()),
    }
}

/// A paper, always as a download of opaque bytes: never rendered in the browser.
async fn download(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let (paper, bytes) = state.core.paper(&page.ctx, PaperId(path_id(&id)?)).await?;
    Ok(attachment_response(&paper.file_name, "application/octet-stream", bytes))
}

async fn remove_paper(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = PaperId(path_id(&id)?);
    match state.core.remove_paper(&page.ctx, id).await {
        Ok(item) => Ok(done(&format!("/agenda/{item}#papers"), "paper-removed")),
        Err(CoreError::Invalid(errors)) => {
            let (paper, _) = state.core.paper(&page.ctx, id).await?;
            render_invalid(&item_page(&state, page, paper.item_id, None, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn publish(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    match state.core.publish_pack(&page.ctx, id).await {
        Ok(_) => Ok(done(&format!("/meetings/{id}#agenda"), "pack-published")),
        Err(CoreError::Invalid(errors)) => {
            let page = super::show_page(&state, page, id, Default::default(), errors).await?;
            render_invalid(&page)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
struct PapersDaysForm {
    #[serde(default)]
    papers_days: String,
}

async fn set_papers_days(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<PapersDaysForm>,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    match state.core.set_papers_days(&page.ctx, id, &form.papers_days).await {
        Ok(_) => Ok(done(&format!("/bodies/{id}/meetings#papers-due"), "papers-due-saved")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&super::body_page(&state, page, id, Default::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "meetings/cycle.html")]
struct CyclePage {
    layout: Layout,
    body: Body,
    items: Vec<StandingItem>,
    can_edit: bool,
    input: StandingItemInput,
    purposes: Vec<Opt>,
    /// (number, name, ticked)
    months: Vec<(u32, &'static str, bool)>,
    errors: FieldErrors,
}

impl CyclePage {
    fn restricted(&self) -> bool {
        assure_domain::structure::flag(&self.input.restricted).unwrap_or(false)
    }
}

async fn cycle_page(
    state: &AppState,
    mut page: Page,
    id: BodyId,
    input: StandingItemInput,
    errors: FieldErrors,
) -> Result<CyclePage, PageError> {
    let (body, items, can_edit) = state.core.business_cycle(&page.ctx, id).await?;
    let (body_href, meetings_href) = (format!("/bodies/{}", body.id), format!("/bodies/{}/meetings", body.id));
    page.layout.page(
        format!("Annual business cycle of {}", body.name),
        "/meetings",
        &[(&body.name, &body_href), ("Meetings", &meetings_href)],
    );
    let months = MONTHS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let n = i as u32 + 1;
            (n, *name, input.months.iter().any(|m| m.trim() == n.to_string()))
        })
        .collect();
    Ok(CyclePage {
        layout: page.layout,
        body,
        items,
        can_edit,
        input,
        purposes: Opt::choices::<Purpose>("Select the purpose"),
        months,
        errors,
    })
}

async fn show_cycle(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    render(&cycle_page(&state, page, id, StandingItemInput::default(), FieldErrors::new()).await?)
}

async fn add_standing(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let input = StandingItemInput {
        title: field("title"),
        presenter: field("presenter"),
        purpose: field("purpose"),
        minutes: field("minutes"),
        restricted: field("restricted"),
        months: form.iter().filter(|(k, _)| k == "months").map(|(_, v)| v.clone()).collect(),
    };
    match state.core.add_standing_item(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/bodies/{id}/business-cycle"), "standing-item-added")),
        Err(CoreError::Invalid(errors)) => render_invalid(&cycle_page(&state, page, id, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn remove_standing(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let body = state.core.remove_standing_item(&page.ctx, path_id(&id)?).await?;
    Ok(done(&format!("/bodies/{body}/business-cycle"), "standing-item-removed"))
}
