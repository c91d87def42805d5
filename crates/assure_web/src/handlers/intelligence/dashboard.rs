//! The intelligence dashboard: a tile per indicator (latest value, change, RAG, England and the
//! statistical neighbours), a trend chart per indicator drawn on the server as SVG with its data
//! in a table, and each indicator's page (definition, history, where each figure came from,
//! commentary, thresholds). Every view downloads as CSV and XLSX.

use std::sync::Arc;

use assure_core::kept::Kept;

use crate::charts::line::trend;
use askama::Template;
use assure_core::CoreError;
use assure_core::documents::xlsx::{Sheet, Workbook};
use assure_core::documents::{Cell, Marking};
use assure_core::intelligence::indicators::{Dashboard, Tile};
use assure_domain::intelligence::period::Period;
use assure_domain::structure::{ArmKind, Choice as _};
use assure_domain::{FieldErrors, FigureId, PartnershipId};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Opt, done, field, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[
    NavEntry {
        section: Section::Intelligence,
        href: "/dashboard/children",
        label: "Children's dashboard",
        needs: None,
    },
    NavEntry { section: Section::Intelligence, href: "/dashboard/adults", label: "Adults' dashboard", needs: None },
    NavEntry { section: Section::Intelligence, href: "/dashboard/figures", label: "Published figures", needs: None },
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard/children", get(children))
        .route("/dashboard/children/values.csv", get(children_csv))
        .route("/dashboard/children/values.xlsx", get(children_xlsx))
        .route("/dashboard/adults/values.csv", get(adults_csv))
        .route("/dashboard/adults/values.xlsx", get(adults_xlsx))
        .route("/dashboard/figures", get(figures).post(enter_figure))
        .route("/dashboard/figures/{id}/delete", post(remove_figure))
        .route("/dashboard/area", post(set_area))
        .route("/indicators/{code}", get(indicator))
        .route("/indicators/{code}/values.csv", get(indicator_csv))
        .route("/indicators/{code}/values.xlsx", get(indicator_xlsx))
        .route("/indicators/{code}/thresholds", post(thresholds))
        .route("/indicators/{code}/commentary", post(comment))
        .route("/indicators/{code}/deep-dives", post(deep_dive))
        .route("/indicators/{code}/versions", post(add_version))
}

/// A figure as a tile shows it: thousands separated, or "none".
fn fmt(v: Option<f64>, decimals: u32) -> String {
    match v {
        Some(v) => crate::charts::figure(v, decimals as usize),
        None => "none".into(),
    }
}

/// A tile as the page shows it.
pub struct TileView {
    pub tile: Tile,
    pub chart: crate::charts::line::Chart,
    pub change: String,
    /// The latest figure, thousands separated.
    pub latest: String,
    pub england: String,
    pub neighbours: String,
}

pub fn tile_view(tile: Tile, area: &str) -> TileView {
    let d = tile.def.decimals;
    TileView {
        // A count is drawn alone: England's total on the same axis would flatten the area's line.
        chart: trend(&tile.series, area, d, tile.indicator.formula.scale().is_some()),
        change: match tile.change() {
            Some(c) if c > 0.0 => format!(
                "up {} on {}",
                crate::charts::figure(c, d as usize),
                tile.previous.as_ref().map(|p| p.period.as_str()).unwrap_or("")
            ),
            Some(c) if c < 0.0 => format!(
                "down {} on {}",
                crate::charts::figure(-c, d as usize),
                tile.previous.as_ref().map(|p| p.period.as_str()).unwrap_or("")
            ),
            Some(_) => "no change".into(),
            None => "no earlier year".into(),
        },
        latest: tile
            .latest
            .as_ref()
            .and_then(|v| v.value.as_deref())
            .map(crate::charts::figure_text)
            .unwrap_or_default(),
        england: fmt(tile.england, d),
        neighbours: fmt(tile.neighbours, d),
        tile,
    }
}

#[derive(Template)]
#[template(path = "intelligence/dashboard/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    d: Arc<Dashboard>,
    can_edit: bool,
    /// The tiles with their charts, as kept: see [`KeptTiles`].
    tiles_html: Arc<String>,
    errors: FieldErrors,
    area_input: String,
    decile_width: u32,
    decile_bars: Vec<crate::charts::bars::Column>,
}

/// A dashboard's tiles: what [`KeptTiles`] keeps rendered.
#[derive(Template)]
#[template(path = "intelligence/dashboard/tiles.html")]
struct Tiles<'a> {
    d: &'a Dashboard,
    area_name: &'a str,
    tiles: Vec<TileView>,
}

/// Each partnership's dashboard tiles as last rendered (their charts are most of the page and
/// most of its work: every point of every series placed and written), with the generation of the
/// figures they were drawn from. A kept rendering is used only for a dashboard of the same
/// generation, which [`assure_core::Core::kept_dashboard`] gives only while no input of the
/// figures has changed: the tiles are drawn once per change, not once per request. Nothing in
/// them depends on who is looking. At most one entry per partnership and arm.
#[derive(Default)]
pub struct KeptTiles(Kept<(PartnershipId, ArmKind), String>);

impl KeptTiles {
    /// The tiles of `d`, rendered now or as kept.
    fn of(&self, p: PartnershipId, d: &Dashboard) -> Result<Arc<String>, PageError> {
        let key = (p, d.arm);
        if let Some(html) = self.0.get(&key, d.generation) {
            return Ok(html);
        }
        let area_name = d.area.as_ref().map(|a| a.name.as_str()).unwrap_or_default();
        let tiles = d.tiles.iter().cloned().map(|t| tile_view(t, area_name)).collect();
        let html = crate::handlers::render_string(&Tiles { d, area_name, tiles })?;
        Ok(self.0.put(key, d.generation, html))
    }
}

async fn dashboard_page(
    state: &AppState,
    mut page: Page,
    errors: FieldErrors,
    area_input: String,
) -> Result<DashboardPage, PageError> {
    let (d, can_edit) = state.core.kept_dashboard(&page.ctx, page.partnership, ArmKind::Children).await?;
    let tiles_html = state.tiles.of(page.partnership, &d)?;
    let (decile_width, decile_bars) = crate::handlers::intelligence::extracts::decile_bars(&d.deciles);
    page.layout.page("Children's safeguarding dashboard", "/dashboard/children", &[]);
    Ok(DashboardPage { layout: page.layout, d, can_edit, tiles_html, errors, area_input, decile_width, decile_bars })
}

async fn children(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&dashboard_page(&state, page, FieldErrors::new(), String::new()).await?)
}

async fn set_area(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let area = form.iter().find(|(k, _)| k == "area").map(|(_, v)| v.clone()).unwrap_or_default();
    match state.core.set_partnership_area(&page.ctx, page.partnership, &area).await {
        Ok(()) => Ok(done("/dashboard/children", "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&dashboard_page(&state, page, errors, area).await?),
        Err(e) => Err(e.into()),
    }
}

/// Rows of every tile's series and whole years: indicator, period, area, England, neighbours.
fn dashboard_rows(d: &Dashboard) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec!["indicator", "title", "period", "area_code", "value", "england", "neighbours_mean"];
    let area = d.area.as_ref().map(|a| a.code.clone()).unwrap_or_default();
    let rows = d
        .tiles
        .iter()
        .flat_map(|t| {
            let area = area.clone();
            let years = t.annual.iter().filter(|a| !t.series.iter().any(|p| p.year == a.year));
            t.series.iter().chain(years).map(move |p| {
                let f = |v: Option<f64>| v.map(|v| format!("{v:.*}", t.def.decimals as usize)).unwrap_or_default();
                vec![
                    t.indicator.code.to_owned(),
                    t.def.title.clone(),
                    p.period.clone(),
                    area.clone(),
                    f(p.ours),
                    f(p.england),
                    f(p.neighbours),
                ]
            })
        })
        .collect();
    (header, rows)
}

fn csv_response(name: &str, header: &[&str], rows: &[Vec<String>]) -> Result<Response, PageError> {
    let bytes = assure_domain::cells::csv_file(header, rows).into_bytes();
    Ok(crate::handlers::learning::attachment_response(name, "text/csv; charset=utf-8", bytes))
}

/// A figure as Assure wrote it ("1,234", "45.2") as a spreadsheet number with its decimals;
/// nothing (or "none") is an empty cell; anything else stays text.
fn figure_cell(text: &str) -> Cell {
    let plain = text.trim().replace(',', "");
    if plain.is_empty() || plain == "none" {
        return Cell::Empty;
    }
    match plain.parse::<f64>() {
        Ok(v) if v.is_finite() && !plain.contains(['e', 'E']) => {
            let decimals = plain.split_once('.').map_or(0, |(_, d)| d.len().min(4) as u8);
            Cell::Number(v, decimals)
        }
        _ => Cell::from(text),
    }
}

/// Figures as a workbook, named for the partnership's dashboard or indicator and the day. The
/// columns listed in `text_columns` stay text whatever they hold (codes, periods, notes).
async fn xlsx_response(
    state: &AppState,
    name: &[&str],
    title: &str,
    header: &[&str],
    rows: &[Vec<String>],
    text_columns: &[usize],
) -> Result<Response, PageError> {
    let widths: Vec<f64> = header.iter().map(|h| if *h == "title" || *h == "sources" { 50.0 } else { 16.0 }).collect();
    let mut sheet = Sheet::new(title, header.iter().copied(), &widths);
    for row in rows {
        sheet.row(
            row.iter().enumerate().map(
                |(c, v)| {
                    if text_columns.contains(&c) { Cell::from(v.as_str()) } else { figure_cell(v) }
                },
            ),
        );
    }
    let book = Workbook::of(title, Some(Marking::Official), sheet);
    Ok(crate::handlers::learning::download_response(state.core.render_workbook(book, name).await?))
}

async fn arm_download(state: &AppState, page: &Page, kind: ArmKind, xlsx: bool) -> Result<Response, PageError> {
    let d = state.core.dashboard(&page.ctx, page.partnership, kind).await?;
    let (header, rows) = dashboard_rows(&d);
    let title = if kind == ArmKind::Adults { "Adults' dashboard" } else { "Children's dashboard" };
    if xlsx {
        xlsx_response(state, &[title], title, &header, &rows, &[0, 1, 2, 3]).await
    } else {
        csv_response(&state.core.download_name(&[title], "csv"), &header, &rows)
    }
}

async fn children_csv(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    arm_download(&state, &page, ArmKind::Children, false).await
}

async fn children_xlsx(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    arm_download(&state, &page, ArmKind::Children, true).await
}

async fn adults_csv(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    arm_download(&state, &page, ArmKind::Adults, false).await
}

async fn adults_xlsx(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    arm_download(&state, &page, ArmKind::Adults, true).await
}

/// An entered figure as the page lists it.
pub struct FigureRow {
    pub id: i64,
    pub area: String,
    pub figure: String,
    pub period: String,
    pub value: String,
    pub source: String,
    pub entered: String,
}

#[derive(Template)]
#[template(path = "intelligence/dashboard/figures.html")]
struct FiguresPage {
    layout: Layout,
    rows: Vec<FigureRow>,
    can_edit: bool,
    measures: Vec<Opt>,
    input: assure_core::intelligence::indicators::FigureInput,
    errors: FieldErrors,
}

async fn figures_page(
    state: &AppState,
    mut page: Page,
    input: assure_core::intelligence::indicators::FigureInput,
    errors: FieldErrors,
) -> Result<FiguresPage, PageError> {
    use assure_domain::intelligence::indicators::ENTERABLE;
    let d = state.core.dashboard(&page.ctx, page.partnership, ArmKind::Adults).await?;
    let rows = state
        .core
        .entered_figures(&page.ctx, page.partnership)
        .await?
        .into_iter()
        .map(|(f, area)| {
            let (label, mid_year) = ENTERABLE
                .iter()
                .find(|(m, _, _)| *m == f.measure)
                .map(|(_, l, y)| (*l, *y))
                .unwrap_or((f.measure.as_str(), false));
            FigureRow {
                id: f.id.0,
                area: format!("{area} ({})", f.area_code),
                figure: label.to_owned(),
                period: if mid_year { format!("mid-{}", f.period) } else { Period::label_of_financial_key(&f.period) },
                value: f.value.clone(),
                source: f.source.clone(),
                entered: format!("{} on {}", f.by_label, f.updated_at.get(..10).unwrap_or(&f.updated_at)),
            }
        })
        .collect();
    let mut measures = vec![Opt::new("", "Select the figure")];
    measures.extend(ENTERABLE.iter().map(|(m, l, _)| Opt::new(m, *l)));
    page.layout.page("Published figures", "/dashboard/adults", &[("Adults' dashboard", "/dashboard/adults")]);
    Ok(FiguresPage { layout: page.layout, rows, can_edit: d.can_edit, measures, input, errors })
}

async fn figures(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&figures_page(&state, page, Default::default(), FieldErrors::new()).await?)
}

async fn enter_figure(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = assure_core::intelligence::indicators::FigureInput {
        area: field(&form, "area"),
        measure: field(&form, "measure"),
        period: field(&form, "period"),
        value: field(&form, "value"),
        source: field(&form, "source"),
    };
    match state.core.enter_figure(&page.ctx, page.partnership, &input).await {
        Ok(_) => Ok(done("/dashboard/figures", "added")),
        Err(CoreError::Invalid(errors)) => render_invalid(&figures_page(&state, page, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn remove_figure(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = crate::handlers::path_id(&id)?;
    state.core.remove_figure(&page.ctx, page.partnership, FigureId(id)).await?;
    Ok(done("/dashboard/figures", "updated"))
}

/// One row of the indicator's history with where its figures came from.
pub struct HistoryRow {
    pub period: String,
    pub value: String,
    pub numerator: String,
    pub denominator: String,
    pub england: String,
    pub neighbours: String,
    pub note: String,
    pub sources: String,
    pub version: u32,
}

#[derive(Template)]
#[template(path = "intelligence/dashboard/indicator.html")]
struct IndicatorPage {
    layout: Layout,
    d: Dashboard,
    view: TileView,
    history: Vec<HistoryRow>,
    comments: Vec<assure_core::intelligence::indicators::Comment>,
    periods: Vec<Opt>,
    organisations: Vec<Opt>,
    bodies: Vec<Opt>,
    dive: assure_core::intelligence::indicators::DeepDiveInput,
    errors: FieldErrors,
    green: String,
    red: String,
    period: String,
    body: String,
    def_input: assure_domain::intelligence::indicators::DefinitionInput,
    polarities: Vec<Opt>,
    suppliers: Vec<Opt>,
    supplier_name: String,
    versions: Vec<VersionRow>,
}

/// A version of the indicator's definition as the page lists it.
pub struct VersionRow {
    pub version: u32,
    pub from: String,
    pub title: String,
    pub changes: String,
    pub by: String,
}

fn history_rows(tile: &Tile, sources: &[assure_core::intelligence::indicators::Source]) -> Vec<HistoryRow> {
    tile.history
        .iter()
        .rev()
        .map(|v| {
            // Each row under the version it was made with.
            let d = assure_core::intelligence::indicators::version_for(&tile.versions, &v.year)
                .map_or(tile.def.decimals, |x| x.decimals);
            let point = tile.series.iter().chain(&tile.annual).find(|p| p.year == v.year);
            let population_year = Period::from_financial_key(&v.year)
                .and_then(|p| p.population_year())
                .map(|p| p.key())
                .unwrap_or_default();
            let quarter_of = format!("{} ", v.year);
            let mut files: Vec<String> = Vec::new();
            for (m, period, text) in sources {
                let is_population = m.starts_with("population");
                let counts = !is_population && (*period == v.year || period.starts_with(&quarter_of));
                let population = is_population && *period == population_year;
                if (counts || population) && !files.contains(text) {
                    files.push(text.clone());
                }
            }
            HistoryRow {
                period: v.period.clone(),
                value: v.value.clone().unwrap_or_default(),
                numerator: v.numerator.clone().unwrap_or_default(),
                denominator: v.denominator.clone().unwrap_or_default(),
                england: fmt(point.and_then(|p| p.england), d),
                neighbours: fmt(point.and_then(|p| p.neighbours), d),
                note: v.note.clone().unwrap_or_default(),
                sources: files.join("; "),
                version: v.version,
            }
        })
        .collect()
}

#[derive(Default)]
struct IndicatorForms {
    green: String,
    red: String,
    period: String,
    body: String,
    dive: assure_core::intelligence::indicators::DeepDiveInput,
    def: Option<assure_domain::intelligence::indicators::DefinitionInput>,
}

async fn indicator_page(
    state: &AppState,
    mut page: Page,
    code: &str,
    errors: FieldErrors,
    forms: IndicatorForms,
) -> Result<IndicatorPage, PageError> {
    let (d, tile, provenance, comments) = state.core.indicator_page(&page.ctx, page.partnership, code).await?;
    let name = d.area.as_ref().map(|a| a.name.clone()).unwrap_or_default();
    let history = history_rows(&tile, &provenance);
    let mut periods = vec![Opt::new("", "Select the period")];
    periods.extend(tile.history.iter().rev().map(|v| Opt::new(&v.period, v.period.clone())));
    let green = if forms.green.is_empty() {
        tile.threshold.as_ref().map(|t| t.green.clone()).unwrap_or_default()
    } else {
        forms.green
    };
    let red = if forms.red.is_empty() {
        tile.threshold.as_ref().map(|t| t.red.clone()).unwrap_or_default()
    } else {
        forms.red
    };
    let (mut organisations, mut bodies, mut suppliers) = (Vec::new(), Vec::new(), Vec::new());
    let (orgs, _) =
        state.core.organisations(&page.ctx, page.partnership, false, assure_core::structure::Page::ALL).await?;
    let name_of = |id: Option<i64>| -> String {
        id.and_then(|id| orgs.iter().find(|o| o.id.0 == id)).map(|o| o.name.clone()).unwrap_or_default()
    };
    let supplier_name = name_of(tile.def.supplier_id);
    let versions = tile
        .versions
        .iter()
        .rev()
        .map(|v| VersionRow {
            version: v.version,
            from: v.effective_from.as_deref().map(Period::label_of_financial_key).unwrap_or_else(|| "the start".into()),
            title: v.title.clone(),
            changes: format!(
                "{}; {} decimal place{}; {}{}{}",
                v.polarity.label(),
                v.decimals,
                if v.decimals == 1 { "" } else { "s" },
                if v.suppress_below > 1 {
                    format!("counts from 1 to {} suppressed", v.suppress_below - 1)
                } else {
                    "no suppression".to_owned()
                },
                v.owner.as_deref().map(|o| format!("; owner {o}")).unwrap_or_default(),
                match name_of(v.supplier_id) {
                    n if n.is_empty() => String::new(),
                    n => format!("; supplied by {n}"),
                },
            ),
            by: match (&v.by_label, &v.created_at, &v.reason) {
                (Some(by), Some(at), Some(why)) => format!("{by}, {}: {why}", at.get(..10).unwrap_or(at)),
                _ => "as shipped with Assure".into(),
            },
        })
        .collect();
    let def_input = forms.def.unwrap_or_else(|| assure_domain::intelligence::indicators::DefinitionInput {
        title: tile.def.title.clone(),
        definition: tile.def.definition.clone(),
        polarity: tile.def.polarity.code().into(),
        decimals: tile.def.decimals.to_string(),
        suppress_below: tile.def.suppress_below.to_string(),
        owner: tile.def.owner.clone().unwrap_or_default(),
        supplier_id: tile.def.supplier_id.map(|i| i.to_string()).unwrap_or_default(),
        effective_from: String::new(),
        reason: String::new(),
    });
    let polarities = [
        assure_domain::intelligence::indicators::Polarity::HigherIsBetter,
        assure_domain::intelligence::indicators::Polarity::LowerIsBetter,
        assure_domain::intelligence::indicators::Polarity::Neither,
    ]
    .into_iter()
    .map(|p| Opt::new(p.code(), p.label()))
    .collect();
    if d.can_edit {
        organisations.push(Opt::new("", "Select the organisation"));
        suppliers.push(Opt::new("", "None named"));
        for o in &orgs {
            organisations.push(Opt::new(o.id, o.name.clone()));
            suppliers.push(Opt::new(o.id, o.name.clone()));
        }
        let (bs, _) = state.core.bodies(&page.ctx, page.partnership, false, assure_core::structure::Page::ALL).await?;
        bodies.push(Opt::new("", "Select the subgroup"));
        bodies.extend(bs.into_iter().map(|b| Opt::new(b.id, b.name)));
    }
    let back = if tile.indicator.arm == ArmKind::Adults { "/dashboard/adults" } else { "/dashboard/children" };
    page.layout.page(tile.def.title.clone(), back, &[("Dashboard", back)]);
    Ok(IndicatorPage {
        organisations,
        bodies,
        dive: forms.dive,
        layout: page.layout,
        view: tile_view(tile, &name),
        d,
        history,
        comments,
        periods,
        errors,
        green,
        red,
        period: forms.period,
        body: forms.body,
        def_input,
        polarities,
        suppliers,
        supplier_name,
        versions,
    })
}

async fn indicator(State(state): State<AppState>, page: Page, Path(code): Path<String>) -> Result<Response, PageError> {
    render(&indicator_page(&state, page, &code, FieldErrors::new(), IndicatorForms::default()).await?)
}

fn history_table(
    tile: &Tile,
    provenance: &[assure_core::intelligence::indicators::Source],
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header =
        vec!["period", "value", "numerator", "denominator", "england", "neighbours_mean", "note", "sources", "version"];
    let rows = history_rows(tile, provenance)
        .into_iter()
        .map(|r| {
            vec![
                r.period,
                r.value,
                r.numerator,
                r.denominator,
                r.england,
                r.neighbours,
                r.note,
                r.sources,
                r.version.to_string(),
            ]
        })
        .collect();
    (header, rows)
}

async fn indicator_csv(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let (_, tile, provenance, _) = state.core.indicator_page(&page.ctx, page.partnership, &code).await?;
    let (header, rows) = history_table(&tile, &provenance);
    csv_response(&state.core.download_name(&[code.as_str(), "values"], "csv"), &header, &rows)
}

async fn indicator_xlsx(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let (_, tile, provenance, _) = state.core.indicator_page(&page.ctx, page.partnership, &code).await?;
    let (header, rows) = history_table(&tile, &provenance);
    let title = format!("{}: values", tile.def.title);
    xlsx_response(&state, &[code.as_str(), "values"], &title, &header, &rows, &[0, 6, 7]).await
}

async fn thresholds(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (green, red) = (field(&form, "green"), field(&form, "red"));
    match state.core.set_indicator_threshold(&page.ctx, page.partnership, &code, &green, &red).await {
        Ok(()) => Ok(done(&format!("/indicators/{code}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let forms = IndicatorForms { green, red, ..Default::default() };
            render_invalid(&indicator_page(&state, page, &code, errors, forms).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn comment(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (period, body) = (field(&form, "period"), field(&form, "body"));
    match state.core.add_indicator_comment(&page.ctx, page.partnership, &code, &period, &body).await {
        Ok(_) => Ok(done(&format!("/indicators/{code}"), "added")),
        Err(CoreError::Invalid(errors)) => {
            let forms = IndicatorForms { period, body, ..Default::default() };
            render_invalid(&indicator_page(&state, page, &code, errors, forms).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn deep_dive(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    CsrfForm(dive): CsrfForm<assure_core::intelligence::indicators::DeepDiveInput>,
) -> Result<Response, PageError> {
    match state.core.request_deep_dive(&page.ctx, page.partnership, &code, &dive).await {
        Ok(action) => Ok(done(&format!("/actions/{action}"), "created")),
        Err(CoreError::Invalid(errors)) => {
            let forms = IndicatorForms { dive, ..Default::default() };
            render_invalid(&indicator_page(&state, page, &code, errors, forms).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_version(
    State(state): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    CsrfForm(def): CsrfForm<assure_domain::intelligence::indicators::DefinitionInput>,
) -> Result<Response, PageError> {
    match state.core.add_indicator_version(&page.ctx, page.partnership, &code, &def).await {
        Ok(_) => Ok(done(&format!("/indicators/{code}#versions"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let forms = IndicatorForms { def: Some(def), ..Default::default() };
            render_invalid(&indicator_page(&state, page, &code, errors, forms).await?)
        }
        Err(e) => Err(e.into()),
    }
}
