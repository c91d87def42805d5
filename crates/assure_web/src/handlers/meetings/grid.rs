//! Importing a body's attendance grid: the upload form, the preview that shows how every seat
//! and cell was read (each an input the business unit may correct before checking again), and
//! saving it, all or nothing.

use askama::Template;
use assure_core::CoreError;
use assure_core::meetings::{GridOptionsInput, GridPreview};
use assure_core::structure::Body;
use assure_domain::meetings::grid::{self as g, CellOutcome, Column, GridRow, GridText};
use assure_domain::structure::Choice;
use assure_domain::validation::long_date;
use assure_domain::{BodyId, FieldErrors};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page, PendingUpload, UPLOAD_BYTES};
use crate::handlers::{done, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bodies/{id}/attendance/import", get(show).post(upload).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        // A grid sent back from the preview: up to 150 seats by 24 meetings of cells.
        .route("/bodies/{id}/attendance/import/grid", post(check_or_save).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
}

#[derive(Template)]
#[template(path = "meetings/import.html")]
struct FormPage {
    layout: Layout,
    body: Body,
    input: GridOptionsInput,
    errors: FieldErrors,
    blanks: Vec<(&'static str, &'static str)>,
}

fn blanks() -> Vec<(&'static str, &'static str)> {
    g::Blank::ALL.iter().map(|b| (b.code(), b.label())).collect()
}

fn crumbs(page: &mut Page, body: &Body, title: &str) {
    let href = format!("/bodies/{}", body.id);
    let review = format!("/bodies/{}/attendance", body.id);
    page.layout.page(
        title.to_owned(),
        "/meetings",
        &[("Boards and groups", "/bodies"), (&body.name, &href), ("Attendance review", &review)],
    );
}

async fn form_page(
    state: &AppState,
    mut page: Page,
    id: BodyId,
    input: GridOptionsInput,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    let body = state.core.attendance_import_body(&page.ctx, id).await?;
    crumbs(&mut page, &body, "Import an attendance grid");
    Ok(FormPage { layout: page.layout, body, input, errors, blanks: blanks() })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    let input = GridOptionsInput { blank: "absent".into(), starts_at: "10:00".into() };
    render(&form_page(&state, page, id, input, FieldErrors::new()).await?)
}

#[derive(Template)]
#[template(path = "meetings/grid.html")]
struct PreviewPage {
    layout: Layout,
    preview: GridPreview,
    errors: FieldErrors,
    /// New meetings, people and seats the grid would add.
    new_meetings: usize,
    new_people: usize,
    marks: usize,
}

impl PreviewPage {
    fn column_words(&self, c: &usize) -> String {
        let column = &self.preview.reading.columns[*c];
        match (&column.error, column.date, column.meeting) {
            (Some(e), _, _) => e.clone(),
            (None, Some(day), Some(Column::Existing(_))) => format!("{}: the body's meeting", long_date(day)),
            (None, Some(day), _) => format!("{}: a new meeting", long_date(day)),
            _ => String::new(),
        }
    }

    fn cell_error(&self, r: &usize, c: &usize) -> bool {
        matches!(self.preview.reading.seats[*r].cells[*c].outcome, CellOutcome::Error(_))
    }

    fn heading(&self, c: &usize) -> &str {
        self.preview.grid.dates.get(*c).map_or("", String::as_str)
    }

    fn column_label(&self, c: &usize) -> String {
        let heading = &self.preview.grid.dates[*c];
        if heading.is_empty() { format!("meeting {}", c + 1) } else { heading.clone() }
    }
}

fn preview_page(mut page: Page, preview: GridPreview) -> PreviewPage {
    crumbs(&mut page, &preview.body, "Check the attendance grid");
    let r = &preview.reading;
    let mut errors = FieldErrors::new();
    for (c, column) in r.columns.iter().enumerate() {
        if let Some(e) = &column.error {
            errors.add(&format!("date-{c}"), format!("Column {}: {e}", assure_domain::cells::column_letter(c + 1)));
        }
    }
    for (s, seat) in r.seats.iter().enumerate() {
        if let Some(e) = &seat.error {
            errors.add(&format!("seat-{s}"), format!("Row {}, column A: {e}", seat.line));
        }
        for (c, cell) in seat.cells.iter().enumerate() {
            if let CellOutcome::Error(e) = &cell.outcome {
                let column = assure_domain::cells::column_letter(c + 1);
                errors.add(&format!("cell-{s}-{c}"), format!("Row {}, column {column}: {e}", seat.line));
            }
        }
    }
    let new_meetings = r.columns.iter().filter(|c| c.meeting == Some(Column::New)).count();
    let mut names: Vec<String> = r
        .seats
        .iter()
        .flat_map(|s| &s.holders)
        .filter(|h| h.holding == g::Holding::NewPerson)
        .map(|h| g::comparable_name(&h.name))
        .collect();
    names.sort();
    names.dedup();
    let marks = r.marks();
    PreviewPage { layout: page.layout, preview, errors, new_meetings, new_people: names.len(), marks }
}

async fn upload(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    let permit = state.core.permit_attendance_import(&page.ctx, id).await?;
    let mut form = pending.read(permit).await?;
    let input = GridOptionsInput { blank: form.field("blank"), starts_at: form.field("starts_at") };
    let file = form.files_named("file").into_iter().next();
    match state.core.read_attendance_grid(&page.ctx, id, file, &input).await {
        Ok(preview) => {
            let shown = preview_page(page, preview);
            if shown.errors.is_empty() { render(&shown) } else { render_invalid(&shown) }
        }
        Err(CoreError::Invalid(errors)) => render_invalid(&form_page(&state, page, id, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

/// The grid as the preview's inputs send it back.
fn grid_sent(form: &[(String, String)]) -> (GridText, GridOptionsInput, String) {
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let heading_line = field("heading_line").parse::<usize>().unwrap_or(1).min(1_000_000);
    let mut grid = GridText { heading: field("heading"), heading_line, ..GridText::default() };
    // Indices are bounded by the grid's own limits; anything past them is ignored.
    let index = |raw: &str, max: usize| raw.parse::<usize>().ok().filter(|i| *i < max);
    let mut dates: Vec<(usize, String)> = Vec::new();
    let mut rows: std::collections::BTreeMap<usize, GridRow> = std::collections::BTreeMap::new();
    let mut cells: Vec<(usize, usize, String)> = Vec::new();
    for (key, value) in form {
        let mut parts = key.split('-');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("date"), Some(c), None, None) => {
                if let Some(c) = index(c, g::MAX_MEETINGS) {
                    dates.push((c, value.clone()));
                }
            }
            (Some("seat"), Some(r), None, None) => {
                if let Some(r) = index(r, g::MAX_SEATS) {
                    rows.entry(r).or_default().seat = value.clone();
                }
            }
            (Some("line"), Some(r), None, None) => {
                if let (Some(r), Ok(line)) = (index(r, g::MAX_SEATS), value.parse::<usize>()) {
                    rows.entry(r).or_default().line = line.min(1_000_000);
                }
            }
            (Some("cell"), Some(r), Some(c), None) => {
                if let (Some(r), Some(c)) = (index(r, g::MAX_SEATS), index(c, g::MAX_MEETINGS)) {
                    cells.push((r, c, value.clone()));
                }
            }
            _ => {}
        }
    }
    dates.sort();
    let width = dates.last().map_or(0, |(c, _)| c + 1);
    grid.dates = vec![String::new(); width];
    for (c, value) in dates {
        grid.dates[c] = value;
    }
    for row in rows.values_mut() {
        row.cells = vec![String::new(); width];
    }
    for (r, c, value) in cells {
        if let Some(row) = rows.get_mut(&r)
            && c < width
        {
            row.cells[c] = value;
        }
    }
    grid.rows = rows.into_values().collect();
    let input = GridOptionsInput { blank: field("blank"), starts_at: field("starts_at") };
    (grid, input, field("action"))
}

async fn check_or_save(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    let (grid, input, action) = grid_sent(&form);
    if action == "save" {
        match state.core.import_attendance_grid(&page.ctx, id, &grid, &input).await {
            Ok(_) => return Ok(done(&format!("/bodies/{id}/attendance"), "attendance-imported")),
            Err(CoreError::Invalid(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    match state.core.check_attendance_grid(&page.ctx, id, grid, &input).await {
        Ok(preview) => {
            let shown = preview_page(page, preview);
            if shown.errors.is_empty() { render(&shown) } else { render_invalid(&shown) }
        }
        Err(CoreError::Invalid(errors)) => render_invalid(&form_page(&state, page, id, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}
