//! A review's merged chronology (form, upload, exports) and its 7-minute briefing (page, PDF,
//! DOCX).

use askama::Template;
use assure_core::reviews::chronology::{BriefingInput, BriefingView, ChronologyView};
use assure_core::{Core, CoreError};
use assure_domain::reviews::chronology::EntryInput;
use assure_domain::structure::Choice as _;
use assure_domain::{FieldErrors, ReviewId};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page, PendingUpload, UPLOAD_BYTES};
use crate::handlers::learning::{attachment_response, download_response};
use crate::handlers::{Opt, done, path_id, render, render_invalid};
use crate::layout::Layout;
use assure_core::documents::Format;

use assure_core::documents::XLSX;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reviews/{id}/chronology", get(show).post(add_entry))
        .route("/reviews/{id}/chronology/remove", post(remove_entry))
        .route("/reviews/{id}/chronology/upload", post(upload).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/reviews/{id}/chronology.xlsx", get(export_xlsx))
        .route("/reviews/{id}/chronology.docx", get(export_docx))
        .route("/reviews/{id}/chronology.pdf", get(export_pdf))
        .route("/reviews/{id}/chronology.archive.pdf", get(export_archival_pdf))
        .route("/chronology-template.xlsx", get(template_xlsx))
        .route("/chronology-template.csv", get(template_csv))
        .route("/reviews/{id}/briefing", get(briefing).post(save_briefing))
        .route("/reviews/{id}/briefing.pdf", get(briefing_pdf))
        .route("/reviews/{id}/briefing.archive.pdf", get(briefing_archival_pdf))
        .route("/reviews/{id}/briefing.docx", get(briefing_docx))
}

/// Entries on one page of a chronology: the page stays small however long the chronology is
/// (a review holds up to 20,000 entries; the downloads hold them all).
const ENTRIES_PER_PAGE: i64 = 200;

#[derive(Template)]
#[template(path = "reviews/chronology/show.html")]
struct ChronologyPage {
    layout: Layout,
    /// The chronology, holding only this page's entries.
    v: ChronologyView,
    pager: crate::handlers::Pager,
    /// Each entry's page, for links to a likely duplicate on another page.
    page_of: std::collections::HashMap<i64, i64>,
    errors: FieldErrors,
    input: EntryInput,
    upload_organisation: String,
    organisations: Vec<Opt>,
    /// Entries this actor may remove (their own agency's, or any for the business unit).
    removable: Vec<Opt>,
    removal: RemovalForm,
}

#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct RemovalForm {
    entry_id: String,
    reason: String,
}

impl ChronologyPage {
    /// Where an entry is: its anchor on its page.
    fn entry_href(&self, id: &i64) -> String {
        format!("?page={}#entry-{id}", self.page_of.get(id).copied().unwrap_or(1))
    }
}

fn chronology_page(
    mut page: Page,
    mut v: ChronologyView,
    errors: FieldErrors,
    input: EntryInput,
    upload_organisation: String,
    removal: RemovalForm,
    at: Option<i64>,
) -> ChronologyPage {
    let pager = crate::handlers::Pager::sized(at, v.entries.len() as i64, ENTRIES_PER_PAGE, String::new());
    let page_of = v.entries.iter().enumerate().map(|(i, m)| (m.entry.id, i as i64 / ENTRIES_PER_PAGE + 1)).collect();
    let from = ((pager.page - 1) * ENTRIES_PER_PAGE) as usize;
    v.entries = v.entries.drain(..).skip(from).take(ENTRIES_PER_PAGE as usize).collect();
    let title = format!("Chronology: {}", v.title);
    if v.full {
        let back = format!("/reviews/{}", v.review_id);
        page.layout.page(title, "/reviews", &[("Case reviews", "/reviews"), (&v.title, &back)]);
    } else {
        page.layout.page(title, "/", &[]);
    }
    let mut organisations = vec![Opt::new("", "Select the agency")];
    organisations.extend(v.can_add_for.iter().map(|(id, name)| Opt::new(id, name.clone())));
    let mut removable = vec![Opt::new("", "Select the entry")];
    removable.extend(
        v.entries.iter().filter(|m| v.can_add_for.iter().any(|(id, _)| *id == m.entry.organisation_id)).map(|m| {
            let e = &m.entry;
            Opt::new(e.id, format!("{}, {}: {}", e.date.display(), e.organisation_name, e.source))
        }),
    );
    ChronologyPage {
        layout: page.layout,
        v,
        pager,
        page_of,
        errors,
        input,
        upload_organisation,
        organisations,
        removable,
        removal,
    }
}

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    page: Option<i64>,
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<PageQuery>,
) -> Result<Response, PageError> {
    let v = state.core.chronology(&page.ctx, ReviewId(path_id(&id)?)).await?;
    render(&chronology_page(
        page,
        v,
        FieldErrors::new(),
        EntryInput::default(),
        String::new(),
        RemovalForm::default(),
        q.page,
    ))
}

async fn add_entry(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<EntryInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_chronology_entry(&page.ctx, ReviewId(id), &input).await {
        Ok(()) => Ok(done(&format!("/reviews/{id}/chronology"), "added")),
        Err(CoreError::Invalid(errors)) => {
            let v = state.core.chronology(&page.ctx, ReviewId(id)).await?;
            render_invalid(&chronology_page(page, v, errors, input, String::new(), RemovalForm::default(), None))
        }
        Err(e) => Err(e.into()),
    }
}

async fn upload(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let permit = state.core.permit_chronology_upload(&page.ctx, ReviewId(id)).await?;
    let mut form = pending.read(permit).await?;
    let org = form.field("upload_organisation_id");
    let file = form.files_named("file").into_iter().next();
    match state.core.upload_chronology(&page.ctx, ReviewId(id), &org, file).await {
        Ok(_) => Ok(done(&format!("/reviews/{id}/chronology"), "added")),
        Err(CoreError::Invalid(errors)) => {
            // The upload form's agency field has its own name on the page.
            let mut renamed = FieldErrors::new();
            for (field, messages) in errors.iter() {
                let field = if field == "organisation_id" { "upload_organisation_id" } else { field };
                for m in messages {
                    renamed.add(field, m.clone());
                }
            }
            let v = state.core.chronology(&page.ctx, ReviewId(id)).await?;
            render_invalid(&chronology_page(page, v, renamed, EntryInput::default(), org, RemovalForm::default(), None))
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove_entry(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<RemovalForm>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.remove_chronology_entry(&page.ctx, ReviewId(id), &form.entry_id, &form.reason).await {
        Ok(()) => Ok(done(&format!("/reviews/{id}/chronology"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let v = state.core.chronology(&page.ctx, ReviewId(id)).await?;
            render_invalid(&chronology_page(page, v, errors, EntryInput::default(), String::new(), form, None))
        }
        Err(e) => Err(e.into()),
    }
}

async fn export_xlsx(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let v = state.core.chronology(&page.ctx, ReviewId(path_id(&id)?)).await?;
    let name = [v.title.as_str(), "chronology"];
    Ok(download_response(state.core.render_workbook(Core::chronology_workbook(&v), &name).await?))
}

async fn export_docx(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    export(state, page, id, Format::Docx).await
}

async fn export_pdf(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    export(state, page, id, Format::Pdf).await
}

async fn export_archival_pdf(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    export(state, page, id, Format::ArchivalPdf).await
}

async fn export(state: AppState, page: Page, id: String, format: Format) -> Result<Response, PageError> {
    let v = state.core.chronology(&page.ctx, ReviewId(path_id(&id)?)).await?;
    let name = [v.title.as_str(), "chronology"];
    Ok(download_response(state.core.render(Core::chronology_document(&v), format, &name).await?))
}

async fn template_xlsx(_page: Page) -> Result<Response, PageError> {
    Ok(attachment_response("chronology-template.xlsx", XLSX, Core::chronology_template_xlsx()?))
}

async fn template_csv(_page: Page) -> Result<Response, PageError> {
    Ok(attachment_response(
        "chronology-template.csv",
        "text/csv; charset=utf-8",
        Core::chronology_template_csv().into_bytes(),
    ))
}

#[derive(Template)]
#[template(path = "reviews/chronology/briefing.html")]
struct BriefingPage {
    layout: Layout,
    v: BriefingView,
    errors: FieldErrors,
    input: BriefingInput,
    questions: Vec<String>,
}

fn briefing_page(mut page: Page, v: BriefingView, errors: FieldErrors, input: Option<BriefingInput>) -> BriefingPage {
    let back = format!("/reviews/{}", v.review.id);
    let title = format!("7-minute briefing: {}", v.review.subject);
    page.layout.page(title, "/reviews", &[("Case reviews", "/reviews"), (&v.review.subject, &back)]);
    let input = input.unwrap_or_else(|| {
        let b = v.briefing.clone().unwrap_or_default();
        BriefingInput { background: b.background, learning: b.learning, questions: b.questions }
    });
    let questions = v
        .briefing
        .as_ref()
        .map(|b| b.questions.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    BriefingPage { layout: page.layout, v, errors, input, questions }
}

async fn briefing(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let v = state.core.briefing(&page.ctx, ReviewId(path_id(&id)?)).await?;
    render(&briefing_page(page, v, FieldErrors::new(), None))
}

async fn save_briefing(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<BriefingInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.save_briefing(&page.ctx, ReviewId(id), &input).await {
        Ok(()) => Ok(done(&format!("/reviews/{id}/briefing"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let v = state.core.briefing(&page.ctx, ReviewId(id)).await?;
            render_invalid(&briefing_page(page, v, errors, Some(input)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn briefing_pdf(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    briefing_download(state, page, id, Format::Pdf).await
}

async fn briefing_archival_pdf(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    briefing_download(state, page, id, Format::ArchivalPdf).await
}

async fn briefing_docx(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    briefing_download(state, page, id, Format::Docx).await
}

async fn briefing_download(state: AppState, page: Page, id: String, format: Format) -> Result<Response, PageError> {
    let v = state.core.briefing(&page.ctx, ReviewId(path_id(&id)?)).await?;
    if v.briefing.is_none() {
        return Err(PageError::NotFound);
    }
    let name = [v.review.subject.as_str(), "7-minute briefing"];
    Ok(download_response(state.core.render(Core::briefing_document(&v), format, &name).await?))
}
