//! Calendars: the page where a person makes (or resets) their private feed's address, and the
//! feed itself, which a calendar program fetches by that address without signing in.

use askama::Template;
use assure_core::meetings::FeedStatus;
use assure_domain::BodyId;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ClientInfo, CsrfForm, Page};
use crate::handlers::{path_id, render};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new().route("/account/calendar", get(show).post(reset)).route("/calendar/{file}", get(feed))
}

#[derive(Template)]
#[template(path = "meetings/calendar.html")]
struct CalendarPage {
    layout: Layout,
    status: FeedStatus,
    /// The feed's address, just made: shown once.
    address: Option<String>,
}

impl CalendarPage {
    fn made_on(&self) -> String {
        self.status.made.as_deref().map(crate::handlers::day).unwrap_or_default()
    }
}

async fn calendar_page(state: &AppState, mut page: Page, address: Option<String>) -> Result<CalendarPage, PageError> {
    let status = state.core.calendar_feed_status(&page.ctx, page.partnership).await?;
    page.layout.page("Your calendar feed", "/account", &[("Your account", "/account")]);
    Ok(CalendarPage { layout: page.layout, status, address })
}

async fn show(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&calendar_page(&state, page, None).await?)
}

#[derive(Debug, Default, Deserialize)]
struct ResetForm {}

async fn reset(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(_): CsrfForm<ResetForm>,
) -> Result<Response, PageError> {
    let token = state.core.reset_calendar_feed(&page.ctx).await?;
    let address = format!("{}/calendar/{token}.ics", state.core.settings.public_url.trim_end_matches('/'));
    render(&calendar_page(&state, page, Some(address)).await?)
}

#[derive(Debug, Default, Deserialize)]
struct FeedQuery {
    #[serde(default)]
    body: String,
}

/// A feed, by the secret in its address (`/calendar/{secret}.ics`, `?body=` for one body).
async fn feed(
    State(state): State<AppState>,
    client: ClientInfo,
    Path(file): Path<String>,
    Query(query): Query<FeedQuery>,
) -> Result<Response, PageError> {
    let token = file.strip_suffix(".ics").ok_or(PageError::NotFound)?;
    let body = if query.body.is_empty() { None } else { Some(BodyId(path_id(&query.body)?)) };
    let text = state.core.calendar_feed(token, body, client.ip, client.request_id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"assure.ics\""),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        text,
    )
        .into_response())
}
