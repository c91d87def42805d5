//! Risk registers: the partnership's registers (and the business unit's form to start one), one
//! register with its heat maps of current and target ratings, the risks above appetite, each
//! category's risks with their direction of travel, the board's appetite per category, the
//! register's matrix and its versions, and its downloads (workbook, board paper as PDF or Word).

use askama::Template;
use assure_core::CoreError;
use assure_core::documents::Format;
use assure_core::risks::{HeatCell, RegisterChoices, RegisterSummary, RegisterView, RiskLine};
use assure_domain::risks::{AppetiteInput, BandColour, CategoryInput, MatrixInput, RegisterInput};
use assure_domain::structure::{ArmKind, Choice};
use assure_domain::{FieldErrors, RiskRegisterId};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::charts::colour;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::learning::download_response;
use crate::handlers::{Opt, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

pub(super) mod risk;

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    section: Section::Partnership,
    href: "/risk-registers",
    label: "Risk registers",
    needs: Some(assure_domain::ResourceKind::Risk),
}];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/risk-registers", get(list).post(create))
        .route("/risk-registers/{id}", get(show).post(update))
        .route("/risk-registers/{id}/register.xlsx", get(xlsx))
        .route("/risk-registers/{id}/register.pdf", get(pdf))
        .route("/risk-registers/{id}/register.docx", get(docx))
        .route("/risk-registers/{id}/categories", post(add_category))
        .route("/risk-registers/{id}/categories/{category}/appetite", post(set_appetite))
        .route("/risk-registers/{id}/matrix", get(show_matrix).post(change_matrix))
        .merge(risk::routes())
}

/// The GOV.UK tag a band is shown in (its name is always written in it).
pub fn tag_class(band: Option<&assure_domain::risks::Band>) -> &'static str {
    match band.map(|b| b.colour) {
        Some(BandColour::Green) => "govuk-tag--green",
        Some(BandColour::Yellow) => "govuk-tag--yellow",
        Some(BandColour::Amber) => "govuk-tag--orange",
        Some(BandColour::Red) => "govuk-tag--red",
        None => "govuk-tag--grey",
    }
}

fn register_id(raw: &str) -> Result<RiskRegisterId, PageError> {
    Ok(RiskRegisterId(path_id(raw)?))
}

#[derive(Template)]
#[template(path = "risks/list.html")]
struct ListPage {
    layout: Layout,
    registers: Vec<RegisterSummary>,
    /// The business unit's form: its choices (none for those who may not start a register).
    choices: Option<RegisterChoices>,
    input: RegisterInput,
    bodies: Vec<Opt>,
    arms: Vec<Opt>,
    matrices: Vec<Opt>,
    category_sets: Vec<Opt>,
    errors: FieldErrors,
}

fn arm_options() -> Vec<Opt> {
    let mut arms = vec![Opt::new("", "The whole partnership")];
    arms.extend(ArmKind::ALL.iter().map(|a| Opt::new(a.code(), a.label())));
    arms
}

fn body_options(choices: Option<&RegisterChoices>) -> Vec<Opt> {
    let mut bodies = vec![Opt::new("", "None")];
    if let Some(c) = choices {
        bodies.extend(c.bodies.iter().map(|(id, name)| Opt::new(id, name.clone())));
    }
    bodies
}

async fn list_page(
    state: &AppState,
    mut page: Page,
    input: RegisterInput,
    errors: FieldErrors,
) -> Result<ListPage, PageError> {
    let registers = state.core.risk_registers(&page.ctx, page.partnership).await?;
    let choices = match state.core.risk_register_choices(&page.ctx, page.partnership).await {
        Ok(c) => Some(c),
        Err(CoreError::NotFound | CoreError::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    page.layout.page("Risk registers", "/risk-registers", &[]);
    let opts = |list: &[(String, String)]| list.iter().map(|(c, n)| Opt::new(c, n.clone())).collect::<Vec<_>>();
    Ok(ListPage {
        layout: page.layout,
        registers,
        bodies: body_options(choices.as_ref()),
        arms: arm_options(),
        matrices: choices.as_ref().map(|c| opts(&c.matrices)).unwrap_or_default(),
        category_sets: choices.as_ref().map(|c| opts(&c.category_sets)).unwrap_or_default(),
        choices,
        input,
        errors,
    })
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let input = RegisterInput { matrix: "four_by_four".into(), categories: "partnership".into(), ..Default::default() };
    render(&list_page(&state, page, input, FieldErrors::new()).await?)
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<RegisterInput>,
) -> Result<Response, PageError> {
    match state.core.create_risk_register(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/risk-registers/{id}"), "risk-register-created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

/// A heat map as drawn: a cell per likelihood and impact, coloured by its band, its count on it.
pub struct HeatSvg {
    pub id: &'static str,
    pub what: &'static str,
    pub width: u32,
    pub height: u32,
    /// (x, y, fill, ink, count, tooltip)
    pub cells: Vec<(u32, u32, &'static str, &'static str, usize, String)>,
    pub rows: Vec<(u32, String)>,
    pub columns: Vec<(u32, String)>,
    pub grid: Vec<Vec<HeatCell>>,
}

const CELL: u32 = 64;
const LABEL: u32 = 130;

fn heat_svg(view: &RegisterView, target: bool) -> HeatSvg {
    let grid = view.heat(target);
    let m = &view.matrix.matrix;
    let mut cells = Vec::new();
    for (r, row) in grid.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (fill, ink) = colour(cell.band.as_ref().map(|b| b.colour.code()).unwrap_or("grey"));
            let band = cell.band.as_ref().map(|b| b.name.as_str()).unwrap_or("");
            let title = format!(
                "Likelihood {} × impact {} (score {}, {band}): {} {}{}",
                cell.likelihood,
                cell.impact,
                cell.likelihood * cell.impact,
                cell.count,
                if cell.count == 1 { "risk" } else { "risks" },
                if cell.references.is_empty() { String::new() } else { format!(", {}", cell.references.join(", ")) }
            );
            cells.push((LABEL + c as u32 * CELL, 8 + r as u32 * CELL, fill, ink, cell.count, title));
        }
    }
    let rows = grid
        .iter()
        .enumerate()
        .filter_map(|(r, row)| {
            let l = row.first()?.likelihood;
            Some((8 + r as u32 * CELL + CELL / 2 + 4, format!("{l} {}", m.likelihood[l as usize - 1].label)))
        })
        .collect();
    let columns = m
        .impact
        .iter()
        .enumerate()
        .map(|(i, level)| (LABEL + i as u32 * CELL + CELL / 2, format!("{} {}", i + 1, level.label)))
        .collect();
    HeatSvg {
        id: if target { "heat-target" } else { "heat-current" },
        what: if target { "target" } else { "current" },
        width: LABEL + m.impact.len() as u32 * CELL + 8,
        height: 8 + m.likelihood.len() as u32 * CELL + 48,
        cells,
        rows,
        columns,
        grid,
    }
}

#[derive(Template)]
#[template(path = "risks/register.html")]
struct RegisterPage {
    layout: Layout,
    view: RegisterView,
    current: HeatSvg,
    target: HeatSvg,
    /// The business unit's forms.
    input: RegisterInput,
    bodies: Vec<Opt>,
    arms: Vec<Opt>,
    category: CategoryInput,
    /// Per category: what was sent for its appetite, when it came back with errors.
    appetite: Option<(i64, AppetiteInput)>,
    errors: FieldErrors,
}

impl RegisterPage {
    fn lines(&self, category: &i64) -> Vec<&RiskLine> {
        self.view.category_lines(*category)
    }

    fn tag(&self, band: &Option<assure_domain::risks::Band>) -> &'static str {
        tag_class(band.as_ref())
    }

    fn appetite_value(&self, category: &i64, now: &Option<u32>) -> String {
        match &self.appetite {
            Some((c, input)) if c == category => input.appetite.clone(),
            _ => now.map(|a| a.to_string()).unwrap_or_default(),
        }
    }

    fn appetite_agreed(&self, category: &i64, now: &Option<String>) -> String {
        match &self.appetite {
            Some((c, input)) if c == category => input.agreed.clone(),
            _ => now.clone().unwrap_or_default(),
        }
    }
}

async fn register_page(
    state: &AppState,
    mut page: Page,
    id: RiskRegisterId,
    input: Option<RegisterInput>,
    category: CategoryInput,
    appetite: Option<(i64, AppetiteInput)>,
    errors: FieldErrors,
) -> Result<RegisterPage, PageError> {
    let view = state.core.risk_register(&page.ctx, id).await?;
    let choices =
        if view.can_edit { Some(state.core.risk_register_choices(&page.ctx, page.partnership).await?) } else { None };
    page.layout.page(view.register.name.clone(), "/risk-registers", &[("Risk registers", "/risk-registers")]);
    let g = &view.register;
    let input = input.unwrap_or_else(|| RegisterInput {
        name: g.name.clone(),
        arm: g.arm.map(|a| a.code().to_owned()).unwrap_or_default(),
        body_id: g.body_id.map(|b| b.to_string()).unwrap_or_default(),
        ..Default::default()
    });
    Ok(RegisterPage {
        layout: page.layout,
        current: heat_svg(&view, false),
        target: heat_svg(&view, true),
        bodies: body_options(choices.as_ref()),
        arms: arm_options(),
        view,
        input,
        category,
        appetite,
        errors,
    })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = register_id(&id)?;
    render(&register_page(&state, page, id, None, CategoryInput::default(), None, FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<RegisterInput>,
) -> Result<Response, PageError> {
    let id = register_id(&id)?;
    match state.core.update_risk_register(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/risk-registers/{id}"), "risk-register-saved")),
        Err(CoreError::Invalid(sent)) => {
            // On the register's page its name field is `register_name`.
            let errors = risk::renamed(sent, "name", "register_name");
            render_invalid(&register_page(&state, page, id, Some(input), CategoryInput::default(), None, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_category(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<CategoryInput>,
) -> Result<Response, PageError> {
    let id = register_id(&id)?;
    match state.core.add_risk_category(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/risk-registers/{id}#categories"), "risk-category-added")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&register_page(&state, page, id, None, input, None, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_appetite(
    State(state): State<AppState>,
    page: Page,
    Path((id, category)): Path<(String, String)>,
    CsrfForm(input): CsrfForm<AppetiteInput>,
) -> Result<Response, PageError> {
    let id = register_id(&id)?;
    let category = path_id(&category)?;
    match state.core.set_risk_appetite(&page.ctx, id, category, &input).await {
        Ok(()) => Ok(done(&format!("/risk-registers/{id}#categories"), "risk-appetite-saved")),
        Err(CoreError::Invalid(errors)) => render_invalid(
            &register_page(&state, page, id, None, CategoryInput::default(), Some((category, input)), errors).await?,
        ),
        Err(e) => Err(e.into()),
    }
}

async fn xlsx(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let view = state.core.risk_register(&page.ctx, register_id(&id)?).await?;
    let name = view.register.name.clone();
    Ok(download_response(state.core.render_workbook(view.workbook(), &[&name]).await?))
}

async fn document(state: &AppState, page: &Page, id: &str, format: Format) -> Result<Response, PageError> {
    let view = state.core.risk_register(&page.ctx, register_id(id)?).await?;
    let name = view.register.name.clone();
    Ok(download_response(state.core.render(view.document(), format, &[&name]).await?))
}

async fn pdf(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    document(&state, &page, &id, Format::Pdf).await
}

async fn docx(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    document(&state, &page, &id, Format::Docx).await
}

/// A level's row on the matrix form: its number, label and description.
type LevelRow = (usize, String, String);

#[derive(Template)]
#[template(path = "risks/matrix.html")]
struct MatrixPage {
    layout: Layout,
    view: RegisterView,
    input: MatrixInput,
    colours: Vec<Opt>,
    errors: FieldErrors,
}

impl MatrixPage {
    /// Five rows for each scale and band, filled from what is set or was sent.
    fn rows(values: &[String]) -> Vec<String> {
        (0..5).map(|i| values.get(i).cloned().unwrap_or_default()).collect()
    }

    fn likelihood(&self) -> Vec<(usize, String, String)> {
        Self::rows(&self.input.likelihood_label)
            .into_iter()
            .zip(Self::rows(&self.input.likelihood_description))
            .enumerate()
            .map(|(i, (l, d))| (i + 1, l, d))
            .collect()
    }

    fn impact(&self) -> Vec<(usize, String, String)> {
        Self::rows(&self.input.impact_label)
            .into_iter()
            .zip(Self::rows(&self.input.impact_description))
            .enumerate()
            .map(|(i, (l, d))| (i + 1, l, d))
            .collect()
    }

    fn scales(&self) -> Vec<(&'static str, &'static str, Vec<LevelRow>)> {
        vec![("likelihood", "Likelihood levels", self.likelihood()), ("impact", "Impact levels", self.impact())]
    }

    fn bands(&self) -> Vec<(usize, String, String, String)> {
        let names = Self::rows(&self.input.band_name);
        let from = Self::rows(&self.input.band_from);
        let colours = Self::rows(&self.input.band_colour);
        (0..5).map(|i| (i + 1, names[i].clone(), from[i].clone(), colours[i].clone())).collect()
    }

    fn day(&self, timestamp: &str) -> String {
        crate::handlers::day(timestamp)
    }
}

async fn matrix_page(
    state: &AppState,
    mut page: Page,
    id: RiskRegisterId,
    input: Option<MatrixInput>,
    errors: FieldErrors,
) -> Result<MatrixPage, PageError> {
    let view = state.core.risk_register(&page.ctx, id).await?;
    let href = format!("/risk-registers/{id}");
    page.layout.page(
        format!("Risk matrix: {}", view.register.name),
        "/risk-registers",
        &[("Risk registers", "/risk-registers"), (&view.register.name, &href)],
    );
    let input = input.unwrap_or_else(|| MatrixInput::of(&view.matrix.matrix));
    let mut colours = vec![Opt::new("", "Select")];
    colours.extend(BandColour::ALL.iter().map(|c| Opt::new(c.code(), c.label())));
    Ok(MatrixPage { layout: page.layout, view, input, colours, errors })
}

/// A matrix from its form: each row's fields repeat under one name, in order.
fn matrix_input(fields: Vec<(String, String)>) -> MatrixInput {
    let mut input = MatrixInput::default();
    for (name, value) in fields {
        let list = match name.as_str() {
            "likelihood_label" => &mut input.likelihood_label,
            "likelihood_description" => &mut input.likelihood_description,
            "impact_label" => &mut input.impact_label,
            "impact_description" => &mut input.impact_description,
            "band_name" => &mut input.band_name,
            "band_from" => &mut input.band_from,
            "band_colour" => &mut input.band_colour,
            _ => continue,
        };
        list.push(value);
    }
    input
}

async fn show_matrix(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = register_id(&id)?;
    render(&matrix_page(&state, page, id, None, FieldErrors::new()).await?)
}

async fn change_matrix(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = register_id(&id)?;
    let input = matrix_input(fields);
    match state.core.change_risk_matrix(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/risk-registers/{id}/matrix"), "risk-matrix-saved")),
        Err(CoreError::Invalid(errors)) => render_invalid(&matrix_page(&state, page, id, Some(input), errors).await?),
        Err(e) => Err(e.into()),
    }
}
