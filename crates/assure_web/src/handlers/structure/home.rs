//! The home page: the partnership at a glance.

use askama::Template;
use assure_core::structure::{Arm, Counts};
use assure_domain::structure::Choice as _;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::error::PageError;
use crate::extract::Page;
use crate::handlers::render;
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry { section: Section::Home, href: "/", label: "Home", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(show))
}

#[derive(Template)]
#[template(path = "structure/home/show.html")]
struct HomePage {
    layout: Layout,
    name: String,
    arms: Vec<Arm>,
    counts: Counts,
    tasks: assure_core::reviews::Tasks,
    actions: Vec<assure_core::learning::PlanItem>,
    notifications: Vec<assure_core::reminders::Notification>,
}

async fn show(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let (partnership, arms, counts) = state.core.partnership(&page.ctx, page.partnership).await?;
    let tasks = state.core.my_tasks(&page.ctx, page.partnership).await?;
    let actions = state.core.my_actions(&page.ctx, page.partnership).await?;
    let notifications = state.core.notifications(page.auth.user.id, page.partnership).await?;
    page.layout.page("Home", "/", &[]);
    render(&HomePage { layout: page.layout, name: partnership.name, arms, counts, tasks, actions, notifications })
}
