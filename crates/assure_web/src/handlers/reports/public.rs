//! The partnership's published yearly reports on its public site, reached without an account:
//! each report with its files (HTML, PDF, Word), their sizes and SHA-256, and the files exactly as
//! they were published.

use askama::Template;
use assure_core::documents::Format;
use assure_core::reports::{KeptFile, PublicReports, Report, published_on};
use assure_domain::structure::Choice;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;

use crate::AppState;
use crate::error::PageError;
use crate::extract::Nonce;
use crate::handlers::learning::download_response;
use crate::handlers::training::public::public_layout;
use crate::handlers::{path_id, render};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new().route("/public/{slug}/reports", get(list)).route("/public/{slug}/reports/{id}/{file}", get(file))
}

#[derive(Template)]
#[template(path = "reports/public.html")]
struct ListPage {
    layout: Layout,
    public: PublicReports,
}

impl ListPage {
    fn published(&self, r: &Report) -> String {
        published_on(r).map(assure_domain::validation::long_date).unwrap_or_default()
    }

    fn what(&self, f: &KeptFile) -> String {
        let kind = match f.format.as_str() {
            "html" => "Web page (HTML)",
            "pdf" => "PDF",
            _ => "Word document",
        };
        format!("{kind}, {:.1} KB", f.size as f64 / 1024.0)
    }
}

async fn list(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let public = state.core.public_reports(&slug).await?;
    let (jar, layout) = public_layout(&state, &format!("Yearly reports: {}", public.partnership_name), nonce, jar);
    Ok((jar, render(&ListPage { layout, public })?).into_response())
}

/// `report.html`, `report.pdf` or `report.docx`, as published.
async fn file(
    State(state): State<AppState>,
    Path((slug, id, file)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let format = match file.as_str() {
        "report.html" => Format::Html,
        "report.pdf" => Format::Pdf,
        "report.docx" => Format::Docx,
        _ => return Err(PageError::NotFound),
    };
    Ok(download_response(state.core.public_report_file(&slug, path_id(&id)?, format).await?))
}
