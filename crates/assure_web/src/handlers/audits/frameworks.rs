//! Assurance frameworks: every version the partnership uses (the shared ones and its own), one
//! framework's tree, the stored file, and importing one of the partnership's own (its business
//! unit).

use askama::Template;
use assure_core::CoreError;
use assure_core::audits::frameworks::StoredFramework;
use assure_domain::audits::framework::{Framework, NodeKind};
use assure_domain::structure::Choice as _;
use assure_domain::{FieldErrors, FrameworkId};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{Page, PendingUpload, UPLOAD_BYTES};
use crate::handlers::learning::attachment_response;
use crate::handlers::{done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] =
    &[NavEntry { section: Section::Assurance, href: "/audits/frameworks", label: "Frameworks", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/audits/frameworks", get(list).post(import).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/audits/frameworks/{id}", get(show))
        .route("/audits/frameworks/{id}/file", get(download))
        .route("/audits/frameworks/{id}/framework.xlsx", get(download_xlsx))
}

#[derive(Template)]
#[template(path = "audits/frameworks/list.html")]
struct ListPage {
    layout: Layout,
    frameworks: Vec<StoredFramework>,
    can_import: bool,
    errors: FieldErrors,
}

async fn list_page(state: &AppState, mut page: Page, errors: FieldErrors) -> Result<ListPage, PageError> {
    let frameworks = state.core.frameworks(&page.ctx, Some(page.partnership)).await?;
    let can_import = state.core.may_import_frameworks(&page.ctx, Some(page.partnership));
    page.layout.page("Assurance frameworks", "/audits/frameworks", &[]);
    Ok(ListPage { layout: page.layout, frameworks, can_import, errors })
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&list_page(&state, page, FieldErrors::new()).await?)
}

async fn import(State(state): State<AppState>, page: Page, pending: PendingUpload) -> Result<Response, PageError> {
    let permit = state.core.permit_framework_import(&page.ctx, Some(page.partnership))?;
    let mut upload = pending.read(permit).await?;
    let Some(file) = upload.files_named("file").into_iter().next() else {
        let errors = FieldErrors::single("file", "Select a framework file (a workbook or YAML)");
        return render_invalid(&list_page(&state, page, errors).await?);
    };
    match state.core.import_framework(&page.ctx, Some(page.partnership), &file.name, file.bytes).await {
        Ok(id) => Ok(done(&format!("/audits/frameworks/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, errors).await?),
        Err(e) => Err(e.into()),
    }
}

/// A node of the tree with its depth, for the page.
pub struct Row {
    pub depth: usize,
    pub node: assure_domain::audits::framework::Node,
}

#[derive(Template)]
#[template(path = "audits/frameworks/show.html")]
struct ShowPage {
    layout: Layout,
    stored: StoredFramework,
    framework: Framework,
    rows: Vec<Row>,
}

async fn show(State(state): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let (stored, framework) = state.core.framework(&page.ctx, FrameworkId(path_id(&id)?)).await?;
    let rows = framework
        .nodes
        .iter()
        .map(|n| Row {
            depth: match n.kind {
                NodeKind::Standard => 0,
                NodeKind::Criterion => 1,
                NodeKind::Question => {
                    let parent = framework.nodes.iter().find(|p| Some(&p.id) == n.parent.as_ref());
                    if parent.is_some_and(|p| p.kind == NodeKind::Criterion) { 2 } else { 1 }
                }
            },
            node: n.clone(),
        })
        .collect();
    let title = format!("{} (version {})", stored.title, stored.version);
    page.layout.page(title, "/audits/frameworks", &[("Assurance frameworks", "/audits/frameworks")]);
    render(&ShowPage { layout: page.layout, stored, framework, rows })
}

async fn download(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let (stored, _) = state.core.framework(&page.ctx, FrameworkId(path_id(&id)?)).await?;
    let name = format!("{}-{}.yaml", stored.code, stored.version);
    Ok(attachment_response(&name, "application/yaml", stored.source.into_bytes()))
}

async fn download_xlsx(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (stored, bytes) = state.core.framework_xlsx(&page.ctx, FrameworkId(path_id(&id)?)).await?;
    let name = format!("{}-{}.xlsx", stored.code, stored.version);
    Ok(attachment_response(&name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes))
}
