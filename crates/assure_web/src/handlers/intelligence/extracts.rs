//! Record-level extracts through the pages: an agency's analyst (or the business unit) uploads
//! the month's pseudonymised contacts extract, streamed to disk with a progress bar, and sees the
//! counts it gives; each of the three tables downloads exactly as the console writes it.

use askama::Template;
use assure_core::CoreError;
use assure_core::intelligence::extracts::ExtractView;
use assure_domain::{ExtractId, FieldErrors};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::charts::bars::{Column, columns};
use crate::error::PageError;
use crate::extract::{EXTRACT_BYTES, Page, PendingUpload};
use crate::handlers::{Opt, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] =
    &[NavEntry { section: Section::Intelligence, href: "/extracts", label: "Extracts", needs: None }];

/// The pages; the upload itself is in [`upload_routes`], outside the usual body limit.
pub fn routes() -> Router<AppState> {
    Router::new().route("/extracts/{id}", get(show)).route("/extracts/{id}/{file}", get(download))
}

/// Routes that take a whole extract (up to [`EXTRACT_BYTES`]): the application layers them with
/// their own body limit.
pub fn upload_routes() -> Router<AppState> {
    Router::new().route("/extracts", get(list).post(upload).layer(DefaultBodyLimit::max(EXTRACT_BYTES)))
}

#[derive(Template)]
#[template(path = "intelligence/extracts/list.html")]
struct ListPage {
    layout: Layout,
    runs: Vec<assure_core::intelligence::extracts::Run>,
    organisations: Vec<Opt>,
    organisation_id: String,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    mut page: Page,
    errors: FieldErrors,
    chosen: String,
) -> Result<ListPage, PageError> {
    let runs = state.core.extract_runs(&page.ctx, page.partnership).await?;
    let orgs = state.core.extract_organisations(&page.ctx, page.partnership).await?;
    let chosen = if chosen.is_empty() && orgs.len() == 1 { orgs[0].0.to_string() } else { chosen };
    let mut organisations = vec![Opt::new("", "Select the organisation")];
    organisations.extend(orgs.into_iter().map(|(id, name)| Opt::new(id, name)));
    page.layout.page(
        "Record-level extracts",
        "/dashboard/children",
        &[("Children's dashboard", "/dashboard/children")],
    );
    Ok(ListPage { layout: page.layout, runs, organisations, organisation_id: chosen, errors })
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&list_page(&state, page, FieldErrors::new(), String::new()).await?)
}

async fn upload(State(state): State<AppState>, page: Page, pending: PendingUpload) -> Result<Response, PageError> {
    // A viewer is refused before a byte of a (possibly 2 GB) extract is read.
    let permit = state.core.permit_extract_upload(&page.ctx, page.partnership).await?;
    let upload = pending.spool(permit).await?;
    let organisation = upload.fields.get("organisation_id").cloned().unwrap_or_default();
    let result = match &upload.file {
        Some(f) => {
            let file = assure_core::intelligence::extracts::ExtractFile {
                name: &f.name,
                path: &f.path,
                size: f.size,
                sha256: &f.sha256,
            };
            state.core.record_extract(&page.ctx, page.partnership, &organisation, &file).await
        }
        None => Err(CoreError::field("file", "Choose the extract to upload (a CSV file)")),
    };
    // The spooled file is deleted here, whatever happened.
    drop(upload);
    match result {
        Ok(id) => Ok(done(&format!("/extracts/{id}"), "added")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, errors, organisation).await?),
        Err(e) => Err(e.into()),
    }
}

/// Referrals by IMD decile as bars (decile 0, a neighbourhood outside England's LSOAs, as
/// "unknown").
pub fn decile_bars(deciles: &[(u8, u64, u64)]) -> (u32, Vec<Column>) {
    columns(
        &deciles
            .iter()
            .map(|(d, _, r)| (if *d == 0 { "unknown".to_owned() } else { d.to_string() }, *r))
            .collect::<Vec<_>>(),
        "referrals",
    )
}

#[derive(Template)]
#[template(path = "intelligence/extracts/show.html")]
struct ShowPage {
    layout: Layout,
    v: ExtractView,
    month_width: u32,
    month_bars: Vec<Column>,
    decile_width: u32,
    decile_bars: Vec<Column>,
}

async fn show(State(state): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let v = state.core.extract(&page.ctx, ExtractId(path_id(&id)?)).await?;
    let (month_width, month_bars) =
        columns(&v.months.iter().map(|(m, c, _)| (m.clone(), *c)).collect::<Vec<_>>(), "contacts");
    let (decile_width, decile_bars) = decile_bars(&v.deciles);
    page.layout.page(
        format!("Extract: {}", v.run.file_name),
        "/dashboard/children",
        &[("Record-level extracts", "/extracts")],
    );
    render(&ShowPage { layout: page.layout, v, month_width, month_bars, decile_width, decile_bars })
}

async fn download(
    State(state): State<AppState>,
    page: Page,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let extract = path_id(&id)?;
    let stored = state.core.extract_file(&page.ctx, ExtractId(extract), &file).await?;
    // Stored as written; given to people with the byte-order mark every CSV download has.
    let mut bytes = assure_domain::cells::BOM.as_bytes().to_vec();
    bytes.extend_from_slice(stored.strip_prefix(assure_domain::cells::BOM.as_bytes()).unwrap_or(&stored));
    // Named for the extract, so that two extracts' counts do not overwrite each other.
    let what = file.trim_end_matches(".csv");
    let name = state.core.download_name(&["extract", &extract.to_string(), what], "csv");
    Ok(crate::handlers::learning::attachment_response(&name, "text/csv; charset=utf-8", bytes))
}
