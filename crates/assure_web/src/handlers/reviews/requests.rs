//! One request to an agency: what is asked and by when, and the documents the agency sends in
//! answer (its summary, a report the request asks for), which only the review's panel and the
//! business unit open.

use askama::Template;
use assure_core::CoreError;
use assure_core::reviews::requests::RequestView;
use assure_domain::structure::Choice as _;
use assure_domain::{FieldErrors, RequestDocumentId, RequestId};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{Page, PendingUpload, UPLOAD_BYTES};
use crate::handlers::learning::attachment_response;
use crate::handlers::{done, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/requests/{id}", get(show))
        .route("/requests/{id}/documents", post(send).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/request-documents/{id}", get(download))
}

#[derive(Template)]
#[template(path = "reviews/request.html")]
struct RequestPage {
    layout: Layout,
    v: RequestView,
    errors: FieldErrors,
}

async fn page_for(state: &AppState, mut page: Page, id: i64, errors: FieldErrors) -> Result<RequestPage, PageError> {
    let v = state.core.information_request(&page.ctx, RequestId(id)).await?;
    let title = format!("{} asked for its {}", v.request.organisation_name, v.request.kind);
    let href = format!("/requests/{id}");
    match &v.review_subject {
        Some(_) => {
            let review = format!("/reviews/{}", v.request.review_id);
            page.layout.page(title, &href, &[("Case reviews", "/reviews"), ("The review", review.as_str())]);
        }
        None => page.layout.page(title, &href, &[("Home", "/")]),
    }
    Ok(RequestPage { layout: page.layout, v, errors })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    render(&page_for(&state, page, id, FieldErrors::new()).await?)
}

async fn send(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let permit = state.core.permit_request_documents(&page.ctx, RequestId(id)).await?;
    let mut upload = pending.read(permit).await?;
    match state.core.send_request_documents(&page.ctx, RequestId(id), upload.files_named("files")).await {
        Ok(()) => Ok(done(&format!("/requests/{id}"), "documents-sent")),
        Err(CoreError::Invalid(errors)) => render_invalid(&page_for(&state, page, id, errors).await?),
        Err(e) => Err(e.into()),
    }
}

/// A document sent in answer, always as a download of opaque bytes: never rendered in the browser.
async fn download(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let (doc, bytes) = state.core.request_document(&page.ctx, RequestDocumentId(path_id(&id)?)).await?;
    Ok(attachment_response(&doc.file_name, "application/octet-stream", bytes))
}
