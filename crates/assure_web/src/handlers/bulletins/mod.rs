//! Bulletins inside Assure: the partnership's issues with the subscribers' counts and the form
//! to start one; an issue's page, where a draft is composed (its title and introduction, items
//! added, moved and removed), published and sent, and a sent one shows its counts. The public's
//! own pages are in `public`.

pub(crate) mod public;

use askama::Template;
use assure_core::CoreError;
use assure_core::bulletins::{BulletinList, BulletinView};
use assure_domain::FieldErrors;
use assure_domain::bulletins::{BulletinInput, ItemInput, ItemKind, Status};
use assure_domain::structure::Choice;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Empty, Opt, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    section: Section::Partnership,
    href: "/bulletins",
    label: "Bulletins",
    needs: Some(assure_domain::ResourceKind::Bulletin),
}];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bulletins", get(list).post(create))
        .route("/bulletins/{id}", get(show).post(update))
        .route("/bulletins/{id}/items", post(add_item))
        .route("/bulletins/{id}/items/{item}/{how}", post(change_item))
        .route("/bulletins/{id}/publish", post(publish))
        .route("/bulletins/{id}/send", post(send))
        .merge(public::routes())
}

#[derive(Template)]
#[template(path = "bulletins/list.html")]
struct ListPage {
    layout: Layout,
    list: BulletinList,
    input: BulletinInput,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    mut page: Page,
    input: BulletinInput,
    errors: FieldErrors,
) -> Result<ListPage, PageError> {
    let list = state.core.bulletins(&page.ctx, page.partnership).await?;
    page.layout.page("Bulletins", "/bulletins", &[]);
    Ok(ListPage { layout: page.layout, list, input, errors })
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&list_page(&state, page, BulletinInput::default(), FieldErrors::new()).await?)
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<BulletinInput>,
) -> Result<Response, PageError> {
    match state.core.create_bulletin(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/bulletins/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "bulletins/show.html")]
struct ShowPage {
    layout: Layout,
    view: BulletinView,
    input: BulletinInput,
    item: ItemInput,
    kinds: Vec<Opt>,
    errors: FieldErrors,
}

impl ShowPage {
    fn draft(&self) -> bool {
        self.view.bulletin.status == Status::Draft
    }

    /// A stored moment as a person in England reads it.
    fn when(&self, moment: &Option<String>) -> String {
        moment.as_deref().map(assure_domain::uk_time::uk_timestamp).unwrap_or_default()
    }

    fn name(&self) -> String {
        match self.view.bulletin.number {
            Some(n) => assure_domain::bulletins::issue_name(n),
            None => "Draft bulletin".into(),
        }
    }
}

async fn show_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    input: Option<BulletinInput>,
    item: ItemInput,
    errors: FieldErrors,
) -> Result<ShowPage, PageError> {
    let view = state.core.bulletin(&page.ctx, id).await?;
    page.layout.page(view.bulletin.title.clone(), "/bulletins", &[("Bulletins", "/bulletins")]);
    let input = input.unwrap_or_else(|| BulletinInput {
        title: view.bulletin.title.clone(),
        introduction: view.bulletin.introduction.clone().unwrap_or_default(),
    });
    let mut kinds = vec![Opt::new("", "Choose")];
    kinds.extend(ItemKind::ALL.iter().map(|k| Opt::new(k.code(), k.label())));
    Ok(ShowPage { layout: page.layout, view, input, item, kinds, errors })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&show_page(&state, page, path_id(&id)?, None, ItemInput::default(), FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<BulletinInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.update_bulletin(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/bulletins/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&show_page(&state, page, id, Some(input), ItemInput::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_item(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(item): CsrfForm<ItemInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_bulletin_item(&page.ctx, id, &item).await {
        Ok(_) => Ok(done(&format!("/bulletins/{id}#items"), "item-added")),
        Err(CoreError::Invalid(errors)) => render_invalid(&show_page(&state, page, id, None, item, errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn change_item(
    State(state): State<AppState>,
    page: Page,
    Path((id, item, how)): Path<(String, String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let (id, item) = (path_id(&id)?, path_id(&item)?);
    let result = match how.as_str() {
        "remove" => state.core.remove_bulletin_item(&page.ctx, id, item).await.map(|()| "item-removed"),
        "up" | "down" => state.core.move_bulletin_item(&page.ctx, id, item, how == "up").await.map(|()| "item-moved"),
        _ => return Err(PageError::NotFound),
    };
    match result {
        Ok(flash) => Ok(done(&format!("/bulletins/{id}#items"), flash)),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&show_page(&state, page, id, None, ItemInput::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn publish(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.publish_bulletin(&page.ctx, id).await {
        Ok(_) => Ok(done(&format!("/bulletins/{id}"), "bulletin-published")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&show_page(&state, page, id, None, ItemInput::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn send(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.send_bulletin(&page.ctx, id).await {
        Ok(_) => {
            start_sending(&state);
            Ok(done(&format!("/bulletins/{id}"), "bulletin-sent"))
        }
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&show_page(&state, page, id, None, ItemInput::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// Sends the queued copies now, after the response; what this does not finish (a restart), the
/// hourly work does.
pub(crate) fn start_sending(state: &AppState) {
    let core = state.core.clone();
    tokio::spawn(async move {
        if let Err(e) = core.send_queued_bulletins().await {
            tracing::warn!(error = %e, "sending a bulletin's copies stopped; the hourly work will go on with them");
        }
    });
}
