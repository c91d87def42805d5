//! Themes: the taxonomy, tagging a review, and which themes recur across reviews.

use askama::Template;
use assure_core::CoreError;
use assure_core::reviews::Theme;
use assure_core::reviews::themes::ThemeAnalysis;
use assure_domain::authz::ResourceKind;
use assure_domain::{Action, FieldErrors, ReviewId, Target, can};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Opt, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry { section: Section::Learning, href: "/themes", label: "Themes", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/themes", get(show).post(add))
        .route("/themes/{id}", get(edit))
        .route("/themes/{id}/rename", post(rename))
        .route("/themes/{id}/merge", post(merge))
        .route("/reviews/{id}/themes", get(super::task::<{ super::THEMES }>).post(tag))
}

#[derive(Template)]
#[template(path = "reviews/themes/show.html")]
struct ThemesPage {
    layout: Layout,
    themes: Vec<Theme>,
    analysis: ThemeAnalysis,
    can_add: bool,
    errors: FieldErrors,
    theme_name: String,
}

async fn page_for(
    state: &AppState,
    mut page: Page,
    errors: FieldErrors,
    name: String,
) -> Result<ThemesPage, PageError> {
    let themes = state.core.themes(&page.ctx, page.partnership).await?;
    let analysis = state.core.theme_analysis(&page.ctx, page.partnership).await?;
    page.layout.page("Themes across case reviews", "/themes", &[]);
    let can_add = can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::Review, page.partnership));
    Ok(ThemesPage { layout: page.layout, themes, analysis, can_add, errors, theme_name: name })
}

async fn show(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&page_for(&state, page, FieldErrors::new(), String::new()).await?)
}

#[derive(Deserialize)]
struct NameForm {
    #[serde(default)]
    name: String,
}

async fn add(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(f): CsrfForm<NameForm>,
) -> Result<Response, PageError> {
    match state.core.add_theme(&page.ctx, page.partnership, &f.name).await {
        Ok(_) => Ok(done("/themes", "added")),
        Err(CoreError::Invalid(errors)) => render_invalid(&page_for(&state, page, errors, f.name).await?),
        Err(e) => Err(e.into()),
    }
}

/// One theme: rename it, or merge it into another.
#[derive(Template)]
#[template(path = "reviews/themes/edit.html")]
struct EditPage {
    layout: Layout,
    theme: Theme,
    others: Vec<Opt>,
    errors: FieldErrors,
    new_name: String,
    into: String,
    /// The version of the theme the rename form was filled from.
    version: String,
}

async fn edit_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    errors: FieldErrors,
    name: Option<String>,
    into: String,
) -> Result<EditPage, PageError> {
    let theme = state.core.theme_to_manage(&page.ctx, page.partnership, id).await?;
    let themes = state.core.themes(&page.ctx, page.partnership).await?;
    let mut others = vec![Opt::new("", "Select a theme")];
    others.extend(themes.iter().filter(|t| t.id != id).map(|t| Opt::new(t.id, t.name.clone())));
    page.layout.page(format!("Theme: {}", theme.name), "/themes", &[("Themes", "/themes")]);
    let new_name = name.unwrap_or_else(|| theme.name.clone());
    let version = assure_core::version_of(&theme);
    Ok(EditPage { layout: page.layout, theme, others, errors, new_name, into, version })
}

async fn edit(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    render(&edit_page(&state, page, id, FieldErrors::new(), None, String::new()).await?)
}

async fn rename(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<crate::handlers::Versioned<NameForm>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.rename_theme(&page.ctx, page.partnership, id, &f.input.name, f.seen()).await {
        Ok(()) => Ok(done("/themes", "theme-renamed")),
        Err(CoreError::Invalid(errors)) => {
            let mut shown = edit_page(&state, page, id, errors, Some(f.input.name), String::new()).await?;
            shown.version = f.version;
            render_invalid(&shown)
        }
        Err(CoreError::Changed) => {
            let changed = crate::handlers::changed_since("name", "theme");
            render_invalid(&edit_page(&state, page, id, changed, None, String::new()).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct MergeForm {
    #[serde(default)]
    into: String,
}

async fn merge(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<MergeForm>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.merge_themes(&page.ctx, page.partnership, id, &f.into).await {
        Ok(_) => Ok(done("/themes", "themes-merged")),
        Err(CoreError::Invalid(errors)) => render_invalid(&edit_page(&state, page, id, errors, None, f.into).await?),
        Err(e) => Err(e.into()),
    }
}

async fn tag(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let version = f.iter().find(|(k, _)| k == "version").map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let ids: Vec<String> = f.into_iter().filter(|(k, _)| k == "themes").map(|(_, v)| v).collect();
    match state.core.set_review_themes(&page.ctx, ReviewId(id), &ids, version.as_deref()).await {
        Ok(()) => Ok(done(&format!("/reviews/{id}"), "updated")),
        Err(CoreError::Changed) => {
            let changed = crate::handlers::changed_since("themes", "review's themes");
            super::again_filled(&state, page, (id, super::THEMES), changed, |_| {}).await
        }
        Err(CoreError::Invalid(_)) => Err(PageError::BadRequest),
        Err(e) => Err(e.into()),
    }
}
