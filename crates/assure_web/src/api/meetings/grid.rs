//! API for importing an attendance grid: the file is the request's body, read whole or refused
//! whole, as the pages and the console import it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::agenda::FileBytes;
use crate::AppState;
use crate::api::{Query, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GridParams {
    /// The file's name, ending .csv or .xlsx.
    #[param(example = "lscb-2015-16.xlsx")]
    pub name: Option<String>,
    /// What a blank cell means where the seat was held: absent (the default) or not_recorded.
    pub blank: Option<String>,
    /// When the meetings the grid adds start (HH:MM; 10:00 unless given).
    pub starts_at: Option<String>,
    /// true to read the grid and report what it would add, saving nothing.
    pub dry_run: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GridImportOut {
    /// The meetings' days the grid's columns give.
    meetings: Vec<String>,
    /// The seats (rows) read.
    seats: usize,
    /// The marks the grid records.
    marks: usize,
    /// Whether anything was saved (false for a dry run).
    saved: bool,
    /// What the import added: meetings, people, seats, marks and others in attendance.
    meetings_created: usize,
    people_created: usize,
    seats_created: usize,
    marks_saved: usize,
    others_saved: usize,
}

/// Imports an attendance grid (CSV or XLSX, the body of the request, up to 2 MB) into a body,
/// whole or not at all: a grid any cell of which does not read is refused (422) with every
/// problem by row and column. With dry_run=true it is only read.
#[utoipa::path(post, path = "/bodies/{id}/attendance/import", tag = "meetings", params(("id" = i64, Path), GridParams), request_body(content = FileBytes, content_type = "application/octet-stream"), responses((status = 200, body = GridImportOut), (status = 201, body = GridImportOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn import_grid(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<GridParams>,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    let id = assure_domain::BodyId(path_id(&id)?);
    // Authorized before a byte of the file is read.
    state.core.permit_attendance_import(&user.ctx, id).await?;
    let name = q.name.unwrap_or_default();
    if name.trim().is_empty() {
        return Err(assure_domain::FieldErrors::single("name", "Give the grid's file name in name").into());
    }
    let bytes = crate::api::file_body(&state, body, assure_core::tables::Limits::ATTENDANCE.max_bytes).await?;
    let file = assure_core::learning::UploadFile { name, content_type: String::new(), bytes: bytes.to_vec() };
    let input = assure_core::meetings::GridOptionsInput {
        blank: q.blank.unwrap_or_default(),
        starts_at: q.starts_at.unwrap_or_else(|| "10:00".into()),
    };
    let dry_run = q.dry_run.unwrap_or(false);
    let (preview, done) = state.core.import_attendance_file(&user.ctx, id, file, &input, dry_run).await?;
    let done = done.unwrap_or_default();
    let out = GridImportOut {
        meetings: preview.reading.columns.iter().filter_map(|c| c.date).map(|d| d.to_string()).collect(),
        seats: preview.reading.seats.len(),
        marks: preview.reading.marks(),
        saved: !dry_run,
        meetings_created: done.meetings_created,
        people_created: done.people_created,
        seats_created: done.seats_created,
        marks_saved: done.marks,
        others_saved: done.guests,
    };
    let status = if dry_run { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(out)).into_response())
}
