//! Data return templates: every version the partnership can ask for (the shared ones and its
//! own), what one asks for, the stored file, importing one of the partnership's own (its
//! business unit), and the figures its returns have given over time.

use assure_core::CoreError;
use assure_core::intelligence::returns::templates::StoredTemplate;
use assure_domain::intelligence::returns::{Check, FieldKind, Template};
use assure_domain::structure::Choice as _;
use assure_domain::{FieldErrors, ReturnTemplateId};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{Page, PendingUpload, UPLOAD_BYTES};
use crate::handlers::learning::attachment_response;
use crate::handlers::{done, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/returns/templates", get(list).post(import).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/returns/templates/{id}", get(show))
        .route("/returns/templates/{id}/file", get(download))
        .route("/returns/templates/{id}/template.xlsx", get(download_xlsx))
        .route("/returns/figures/{code}", get(figures))
        .route("/returns/figures/{code}/figures.csv", get(figures_csv))
}

#[derive(askama::Template)]
#[template(path = "intelligence/returns/templates.html")]
struct ListPage {
    layout: Layout,
    templates: Vec<StoredTemplate>,
    can_import: bool,
    errors: FieldErrors,
}

async fn list_page(state: &AppState, mut page: Page, errors: FieldErrors) -> Result<ListPage, PageError> {
    let templates = state.core.return_templates(&page.ctx, Some(page.partnership)).await?;
    let can_import = state.core.may_import_return_templates(&page.ctx, Some(page.partnership));
    page.layout.page("Return templates", "/dashboard/adults", &[("Data returns", "/returns")]);
    Ok(ListPage { layout: page.layout, templates, can_import, errors })
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&list_page(&state, page, FieldErrors::new()).await?)
}

async fn import(State(state): State<AppState>, page: Page, pending: PendingUpload) -> Result<Response, PageError> {
    let permit = state.core.permit_return_template_import(&page.ctx, Some(page.partnership))?;
    let mut upload = pending.read(permit).await?;
    let Some(file) = upload.files_named("file").into_iter().next() else {
        let errors = FieldErrors::single("file", "Select a template file (a workbook or YAML)");
        return render_invalid(&list_page(&state, page, errors).await?);
    };
    match state.core.import_return_template(&page.ctx, Some(page.partnership), &file.name, file.bytes).await {
        Ok(id) => Ok(done(&format!("/returns/templates/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, errors).await?),
        Err(e) => Err(e.into()),
    }
}

/// A field as the template's page lists it.
struct FieldLine {
    id: String,
    label: String,
    /// Its type, with a choice's options or a written answer's length.
    kind: String,
    optional: bool,
    measure: String,
}

#[derive(askama::Template)]
#[template(path = "intelligence/returns/template.html")]
struct ShowPage {
    layout: Layout,
    stored: StoredTemplate,
    t: Template,
    groups: Vec<(String, Vec<FieldLine>)>,
    /// Each check between fields, in words.
    checks: Vec<String>,
}

async fn show(State(state): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let (stored, t) = state.core.return_template(&page.ctx, ReturnTemplateId(path_id(&id)?)).await?;
    let groups = t
        .grouped()
        .into_iter()
        .map(|(g, fields)| {
            let lines = fields
                .into_iter()
                .map(|f| FieldLine {
                    id: f.id.clone(),
                    label: f.label.clone(),
                    kind: match f.kind {
                        assure_domain::intelligence::returns::FieldKind::Pick => {
                            format!("one of: {}", f.choices.join("; "))
                        }
                        assure_domain::intelligence::returns::FieldKind::Text => {
                            format!(
                                "written answer, up to {} characters",
                                assure_domain::cells::thousands(f.max_chars as i64)
                            )
                        }
                        kind => kind.label().to_owned(),
                    },
                    optional: f.optional,
                    measure: f.measure.clone().unwrap_or_default(),
                })
                .collect();
            (g.map(|g| g.title.clone()).unwrap_or_default(), lines)
        })
        .collect();
    let label = |id: &str| t.field(id).map_or(id.to_owned(), |f| f.label.clone());
    let checks = t
        .checks
        .iter()
        .map(|c| match c {
            Check::Within { part, whole } => format!("{} is no more than {}", label(part), label(whole)),
            Check::AddsUp { parts, total } => {
                format!("{} add up to {}", parts.iter().map(|p| label(p)).collect::<Vec<_>>().join(", "), label(total))
            }
        })
        .collect();
    let title = t.named();
    page.layout.page(
        title,
        "/dashboard/adults",
        &[("Data returns", "/returns"), ("Return templates", "/returns/templates")],
    );
    render(&ShowPage { layout: page.layout, stored, t, groups, checks })
}

async fn download(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let (stored, _) = state.core.return_template(&page.ctx, ReturnTemplateId(path_id(&id)?)).await?;
    let name = format!("{}-{}.yaml", stored.code, stored.version);
    Ok(attachment_response(&name, "application/yaml", stored.source.into_bytes()))
}

async fn download_xlsx(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (stored, bytes) = state.core.return_template_xlsx(&page.ctx, ReturnTemplateId(path_id(&id)?)).await?;
    let name = format!("{}-{}.xlsx", stored.code, stored.version);
    Ok(attachment_response(&name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes))
}

/// An indicator of a template: a field's latest figure, the one before, and its columns.
struct Tile {
    id: String,
    label: String,
    latest: String,
    previous: String,
    chart_width: u32,
    columns: Vec<crate::charts::bars::Column>,
}

/// A figure as shown: a number with its separators, or a percentage.
fn shown(kind: FieldKind, value: &str) -> String {
    match kind {
        FieldKind::Percent => format!("{value}%"),
        _ => crate::charts::number(&value),
    }
}

/// A group's title, and its rows: each a field's label and its figures shown, one per period.
type FigureGroup = (String, Vec<(String, Vec<String>)>);

#[derive(askama::Template)]
#[template(path = "intelligence/returns/figures.html")]
struct FiguresPage {
    layout: Layout,
    code: String,
    title: String,
    periods: Vec<String>,
    groups: Vec<FigureGroup>,
    tiles: Vec<Tile>,
    returns_counted: usize,
    /// The period whose written answers are shown.
    answers_period: String,
    answers: Vec<AnswerBlock>,
}

#[derive(serde::Deserialize)]
struct PeriodQuery {
    period: Option<String>,
}

async fn figures(
    State(state): State<AppState>,
    mut page: Page,
    Path(code): Path<String>,
    axum::extract::Query(q): axum::extract::Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let f = state.core.return_figures(&page.ctx, page.partnership, &code, q.period.as_deref()).await?;
    let mut groups: Vec<FigureGroup> = Vec::new();
    for row in &f.rows {
        let cells = row
            .values
            .iter()
            .map(|v| v.as_ref().map(|v| shown(row.field.kind, &v.value)).unwrap_or_else(|| "–".into()))
            .collect();
        match groups.last_mut() {
            Some((g, rows)) if *g == row.group => rows.push((row.field.label.clone(), cells)),
            _ => groups.push((row.group.clone(), vec![(row.field.label.clone(), cells)])),
        }
    }
    let tiles = f
        .rows
        .iter()
        .filter(|r| r.field.indicator)
        .map(|r| {
            let given: Vec<(&String, &assure_core::intelligence::returns::figures::Figure)> =
                f.periods.iter().zip(&r.values).filter_map(|(p, v)| Some((p, v.as_ref()?))).collect();
            let scaled: Vec<(String, u64)> = given
                .iter()
                .map(|(p, v)| {
                    let n = v.value.replace('.', "").parse::<u64>().unwrap_or(0);
                    ((*p).clone(), n)
                })
                .collect();
            let (chart_width, mut columns) = crate::charts::bars::columns(&scaled, "");
            for (c, (p, v)) in columns.iter_mut().zip(&given) {
                c.title = format!("{p}: {}", shown(r.field.kind, &v.value));
            }
            let at = |i: usize| given.get(i).map(|(p, v)| format!("{} in {p}", shown(r.field.kind, &v.value)));
            Tile {
                id: r.field.id.clone(),
                label: r.field.label.clone(),
                latest: given.len().checked_sub(1).and_then(at).unwrap_or_else(|| "No returns in yet".into()),
                previous: given.len().checked_sub(2).and_then(at).unwrap_or_default(),
                chart_width,
                columns,
            }
        })
        .collect();
    let title = format!("{}: figures", f.template.title);
    page.layout.page(
        title.clone(),
        "/dashboard/adults",
        &[("Data returns", "/returns"), ("Return templates", "/returns/templates")],
    );
    render(&FiguresPage {
        layout: page.layout,
        code,
        title,
        periods: f.periods,
        groups,
        tiles,
        returns_counted: f.returns_counted,
        answers_period: f.answers_period.unwrap_or_default(),
        answers: f
            .answers
            .into_iter()
            .map(|a| AnswerBlock {
                id: a.field.id,
                label: a.field.label,
                group: a.group,
                given: a.given,
                counts: a.counts.into_iter().map(|(c, n)| format!("{c}: {n}")).collect(),
            })
            .collect(),
    })
}

/// A written answer or choice field's answers in the period shown.
struct AnswerBlock {
    id: String,
    label: String,
    group: String,
    /// (organisation, answer).
    given: Vec<(String, String)>,
    /// A choice's options with how many gave each, as shown.
    counts: Vec<String>,
}

async fn figures_csv(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let f = state.core.return_figures(&page.ctx, page.partnership, &code, None).await?;
    let mut rows = Vec::new();
    for row in &f.rows {
        for (period, v) in f.periods.iter().zip(&row.values) {
            if let Some(v) = v {
                rows.push(vec![
                    row.field.id.clone(),
                    row.field.label.clone(),
                    period.clone(),
                    v.value.clone(),
                    v.organisations.to_string(),
                ]);
            }
        }
    }
    let body = assure_domain::cells::csv_file(&["field", "label", "period", "value", "organisations"], &rows);
    Ok(attachment_response(&format!("{}-figures.csv", f.template.code), "text/csv; charset=utf-8", body.into_bytes()))
}
