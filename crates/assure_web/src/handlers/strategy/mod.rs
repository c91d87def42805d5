//! The strategy: the partnership's strategies (and the business unit's form to start one), a
//! strategy on a page (priorities × quarters, each cell in words and colour), its priorities
//! with their outcomes, measures and indicators, a quarter's progress report and a year's
//! "little or no progress" (pages, PDF and Word), and the strategy as a workbook.

use askama::Template;
use assure_core::CoreError;
use assure_core::documents::Format;
use assure_core::strategy::{LittleProgress, PriorityRow, QuarterReport, StrategyView};
use assure_domain::FieldErrors;
use assure_domain::strategy::{Outcome, PriorityInput, Quarter, StrategyInput, financial_year};
use assure_domain::structure::{ArmKind, Choice};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::learning::download_response;
use crate::handlers::{Opt, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

pub(super) mod activity;

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    section: Section::Partnership,
    href: "/strategy",
    label: "Strategy",
    needs: Some(assure_domain::ResourceKind::Strategy),
}];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/strategy", get(list).post(create))
        .route("/strategy/{id}", get(show).post(update))
        .route("/strategy/{id}/activities.xlsx", get(xlsx))
        .route("/strategy/{id}/priorities", post(add_priority))
        .route("/strategy/{id}/quarters/{quarter}", get(quarter))
        .route("/strategy/{id}/quarters/{quarter}/report.pdf", get(quarter_pdf))
        .route("/strategy/{id}/quarters/{quarter}/report.docx", get(quarter_docx))
        .route("/strategy/{id}/years/{year}", get(year))
        .route("/strategy/{id}/years/{year}/report.pdf", get(year_pdf))
        .route("/strategy/{id}/years/{year}/report.docx", get(year_docx))
        .route("/priorities/{id}", get(show_priority).post(update_priority))
        .merge(activity::routes())
}

fn arms() -> Vec<Opt> {
    let mut arms = vec![Opt::new("", "The whole partnership")];
    arms.extend(ArmKind::ALL.iter().map(|a| Opt::new(a.code(), a.label())));
    arms
}

#[derive(Template)]
#[template(path = "strategy/list.html")]
struct ListPage {
    layout: Layout,
    strategies: Vec<assure_core::strategy::Strategy>,
    can_add: bool,
    input: StrategyInput,
    arms: Vec<Opt>,
    errors: FieldErrors,
}

impl ListPage {
    fn period(&self, s: &assure_core::strategy::Strategy) -> String {
        period_words(s)
    }
}

/// "2020-21 to 2022-23, extended to 2023-24".
pub fn period_words(s: &assure_core::strategy::Strategy) -> String {
    let mut words = format!("{} to {}", financial_year(s.from_year), financial_year(s.to_year));
    if let Some(x) = s.extended_to {
        words.push_str(&format!(", extended to {}", financial_year(x)));
    }
    words
}

async fn list_page(
    state: &AppState,
    mut page: Page,
    input: StrategyInput,
    errors: FieldErrors,
) -> Result<ListPage, PageError> {
    let strategies = state.core.strategies(&page.ctx, page.partnership).await?;
    page.layout.page("Strategy", "/strategy", &[]);
    let can_add = assure_domain::can(
        &page.ctx.actor,
        assure_domain::Action::Create,
        &assure_domain::Target::new(assure_domain::ResourceKind::Strategy, page.partnership),
    );
    Ok(ListPage { layout: page.layout, strategies, can_add, input, arms: arms(), errors })
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&list_page(&state, page, StrategyInput::default(), FieldErrors::new()).await?)
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<StrategyInput>,
) -> Result<Response, PageError> {
    match state.core.create_strategy(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/strategy/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "strategy/show.html")]
struct ShowPage {
    layout: Layout,
    view: StrategyView,
    /// The business unit's forms.
    input: StrategyInput,
    arms: Vec<Opt>,
    priority: PriorityInput,
    errors: FieldErrors,
}

impl ShowPage {
    fn period(&self) -> String {
        period_words(&self.view.strategy)
    }

    fn fy(&self, year: &i32) -> String {
        financial_year(*year)
    }

    fn cell_class(&self, state: &str) -> &'static str {
        match state {
            "slipped" => "govuk-tag--red",
            "done" => "govuk-tag--green",
            "current" => "govuk-tag--blue",
            _ => "govuk-tag--grey",
        }
    }

    fn rag(&self, rag: &Option<assure_domain::strategy::Rag>) -> &'static str {
        activity::rag_class(*rag)
    }

    fn row_id(&self, row: &PriorityRow) -> String {
        format!("priority-{}", row.priority.id)
    }
}

fn strategy_input(s: &assure_core::strategy::Strategy) -> StrategyInput {
    StrategyInput {
        name: s.name.clone(),
        from_year: s.from_year.to_string(),
        to_year: s.to_year.to_string(),
        extended_to: s.extended_to.map(|y| y.to_string()).unwrap_or_default(),
        arm: s.arm.map(|a| a.code().to_owned()).unwrap_or_default(),
    }
}

async fn show_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    input: Option<StrategyInput>,
    priority: PriorityInput,
    errors: FieldErrors,
) -> Result<ShowPage, PageError> {
    let view = state.core.strategy(&page.ctx, id).await?;
    page.layout.page(view.strategy.name.clone(), "/strategy", &[("Strategy", "/strategy")]);
    let input = input.unwrap_or_else(|| strategy_input(&view.strategy));
    Ok(ShowPage { layout: page.layout, view, input, arms: arms(), priority, errors })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&show_page(&state, page, path_id(&id)?, None, PriorityInput::default(), FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<StrategyInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.update_strategy(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/strategy/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&show_page(&state, page, id, Some(input), PriorityInput::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_priority(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<PriorityInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_priority(&page.ctx, id, &input).await {
        Ok(p) => Ok(done(&format!("/strategy/{id}#priority-{p}"), "added")),
        Err(CoreError::Invalid(errors)) => render_invalid(&show_page(&state, page, id, None, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn xlsx(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let view = state.core.strategy(&page.ctx, path_id(&id)?).await?;
    let name = view.strategy.name.clone();
    Ok(download_response(state.core.render_workbook(view.workbook(), &[&name, "activities"]).await?))
}

#[derive(Template)]
#[template(path = "strategy/priority.html")]
struct PriorityPage {
    layout: Layout,
    strategy: assure_core::strategy::Strategy,
    priority: assure_core::strategy::Priority,
    input: PriorityInput,
    can_edit: bool,
    errors: FieldErrors,
}

async fn priority_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    input: Option<PriorityInput>,
    errors: FieldErrors,
) -> Result<PriorityPage, PageError> {
    let (strategy, priority) = state.core.priority(&page.ctx, id).await?;
    let href = format!("/strategy/{}", strategy.id);
    page.layout.page(
        format!("Priority {}", priority.number),
        "/strategy",
        &[("Strategy", "/strategy"), (&strategy.name, &href)],
    );
    let can_edit = assure_domain::can(
        &page.ctx.actor,
        assure_domain::Action::Update,
        &assure_domain::Target::new(assure_domain::ResourceKind::Strategy, strategy.partnership_id),
    );
    let input = input.unwrap_or_else(|| PriorityInput {
        number: priority.number.clone(),
        title: priority.title.clone(),
        outcome: priority.outcome.clone().unwrap_or_default(),
        measure: priority.measure.clone().unwrap_or_default(),
        indicators: priority.indicators.join(", "),
    });
    Ok(PriorityPage { layout: page.layout, strategy, priority, input, can_edit, errors })
}

async fn show_priority(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    render(&priority_page(&state, page, path_id(&id)?, None, FieldErrors::new()).await?)
}

async fn update_priority(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<PriorityInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.update_priority(&page.ctx, id, &input).await {
        Ok(()) => {
            let (s, _) = state.core.priority(&page.ctx, id).await?;
            Ok(done(&format!("/strategy/{}#priority-{id}", s.id), "updated"))
        }
        Err(CoreError::Invalid(errors)) => render_invalid(&priority_page(&state, page, id, Some(input), errors).await?),
        Err(e) => Err(e.into()),
    }
}

fn quarter_of(raw: &str) -> Result<Quarter, PageError> {
    Quarter::parse(raw).ok_or(PageError::NotFound)
}

#[derive(Template)]
#[template(path = "strategy/quarter.html")]
struct QuarterPage {
    layout: Layout,
    report: QuarterReport,
}

impl QuarterPage {
    fn groups(&self) -> Vec<(&'static str, &'static str, Vec<&assure_core::strategy::ReportLine>)> {
        vec![
            ("slipped", "Slipped", self.report.of(Outcome::Slipped)),
            ("done", "Done", self.report.of(Outcome::Done)),
            ("dropped", "Deferred or cancelled", self.report.of(Outcome::Dropped)),
        ]
    }
}

async fn report_of(state: &AppState, page: &Page, id: &str, q: &str) -> Result<QuarterReport, PageError> {
    match state.core.quarter_report(&page.ctx, path_id(id)?, quarter_of(q)?).await {
        Err(CoreError::Invalid(_)) => Err(PageError::NotFound),
        other => Ok(other?),
    }
}

async fn quarter(
    State(state): State<AppState>,
    mut page: Page,
    Path((id, q)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let report = report_of(&state, &page, &id, &q).await?;
    let href = format!("/strategy/{}", report.strategy.id);
    page.layout.page(
        format!("Progress in {}", report.quarter.words()),
        "/strategy",
        &[("Strategy", "/strategy"), (&report.strategy.name, &href)],
    );
    render(&QuarterPage { layout: page.layout, report })
}

async fn quarter_document(
    state: &AppState,
    page: &Page,
    id: &str,
    q: &str,
    format: Format,
) -> Result<Response, PageError> {
    let report = report_of(state, page, id, q).await?;
    let name = report.strategy.name.clone();
    let when = report.quarter.code();
    Ok(download_response(state.core.render(report.document(), format, &[&name, &when]).await?))
}

async fn quarter_pdf(
    State(state): State<AppState>,
    page: Page,
    Path((id, q)): Path<(String, String)>,
) -> Result<Response, PageError> {
    quarter_document(&state, &page, &id, &q, Format::Pdf).await
}

async fn quarter_docx(
    State(state): State<AppState>,
    page: Page,
    Path((id, q)): Path<(String, String)>,
) -> Result<Response, PageError> {
    quarter_document(&state, &page, &id, &q, Format::Docx).await
}

#[derive(Template)]
#[template(path = "strategy/year.html")]
struct YearPage {
    layout: Layout,
    report: LittleProgress,
}

impl YearPage {
    fn fy(&self) -> String {
        financial_year(self.report.year)
    }
}

async fn little_of(state: &AppState, page: &Page, id: &str, year: &str) -> Result<LittleProgress, PageError> {
    let year = year.parse::<i32>().map_err(|_| PageError::NotFound)?;
    match state.core.little_progress(&page.ctx, path_id(id)?, year).await {
        Err(CoreError::Invalid(_)) => Err(PageError::NotFound),
        other => Ok(other?),
    }
}

async fn year(
    State(state): State<AppState>,
    mut page: Page,
    Path((id, year)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let report = little_of(&state, &page, &id, &year).await?;
    let href = format!("/strategy/{}", report.strategy.id);
    page.layout.page(
        format!("Little or no progress in {}", financial_year(report.year)),
        "/strategy",
        &[("Strategy", "/strategy"), (&report.strategy.name, &href)],
    );
    render(&YearPage { layout: page.layout, report })
}

async fn year_document(
    state: &AppState,
    page: &Page,
    id: &str,
    year: &str,
    format: Format,
) -> Result<Response, PageError> {
    let report = little_of(state, page, id, year).await?;
    let name = report.strategy.name.clone();
    let fy = financial_year(report.year);
    Ok(download_response(state.core.render(report.document(), format, &[&name, "little-progress", &fy]).await?))
}

async fn year_pdf(
    State(state): State<AppState>,
    page: Page,
    Path((id, y)): Path<(String, String)>,
) -> Result<Response, PageError> {
    year_document(&state, &page, &id, &y, Format::Pdf).await
}

async fn year_docx(
    State(state): State<AppState>,
    page: Page,
    Path((id, y)): Path<(String, String)>,
) -> Result<Response, PageError> {
    year_document(&state, &page, &id, &y, Format::Docx).await
}
