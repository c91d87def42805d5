//! Finance: the partnership's budgets year by year with the five-year trend (and the business
//! unit's form to start one), a year's budget (contributions by partner with their shares, spend
//! against budget by group, in kind beside the cash, reserves, what does not add up, changes
//! after locking) with its forms, a line's page with its quarters, and the downloads (workbook,
//! board paper as PDF and Word).

use askama::Template;
use assure_core::CoreError;
use assure_core::documents::Format;
use assure_core::finance::{BudgetView, Finances, LockInput, TrendYear};
use assure_domain::finance::{
    BudgetInput, ContributionRow, ContributionsInput, Group, IncomeKind, LineInput, QuarterInput, Side, money, percent,
};
use assure_domain::meetings::in_kind::hours;
use assure_domain::structure::Choice;
use assure_domain::{BudgetId, BudgetLineId, FieldErrors};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::learning::download_response;
use crate::handlers::{Opt, done, field, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    section: Section::Partnership,
    href: "/finance",
    label: "Finance",
    needs: Some(assure_domain::ResourceKind::Budget),
}];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/finance", get(list).post(create))
        .route("/budgets/{id}", get(show).post(update))
        .route("/budgets/{id}/contributions", post(contributions))
        .route("/budgets/{id}/lines", post(add_line))
        .route("/budgets/{id}/lock", post(lock))
        .route("/budgets/{id}/budget.xlsx", get(xlsx))
        .route("/budgets/{id}/paper.pdf", get(pdf))
        .route("/budgets/{id}/paper.docx", get(docx))
        .route("/budget-lines/{id}", get(show_line).post(update_line))
        .route("/budget-lines/{id}/quarters", post(quarter))
        .route("/budget-lines/{id}/remove", post(remove_line))
}

/// A whole number (an amount, a count) as templates hand it over: by value or by reference,
/// present or not.
pub(crate) trait Pence {
    fn pence(&self) -> Option<i64>;
}

impl Pence for i64 {
    fn pence(&self) -> Option<i64> {
        Some(*self)
    }
}

impl Pence for &i64 {
    fn pence(&self) -> Option<i64> {
        Some(**self)
    }
}

impl Pence for &&i64 {
    fn pence(&self) -> Option<i64> {
        Some(***self)
    }
}

impl Pence for Option<i64> {
    fn pence(&self) -> Option<i64> {
        *self
    }
}

impl Pence for Option<&i64> {
    fn pence(&self) -> Option<i64> {
        self.copied()
    }
}

impl Pence for Option<&&i64> {
    fn pence(&self) -> Option<i64> {
        self.map(|v| **v)
    }
}

impl Pence for &Option<i64> {
    fn pence(&self) -> Option<i64> {
        **self
    }
}

/// Helpers the finance templates share.
trait Money {
    fn pounds(&self, pence: impl Pence) -> String {
        pence.pence().map(money).unwrap_or_default()
    }

    fn percent(&self, bp: impl Pence) -> String {
        bp.pence().map(percent).unwrap_or_default()
    }

    fn hours(&self, tenths: impl Pence) -> String {
        tenths.pence().map(hours).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "finance/list.html")]
struct ListPage {
    layout: Layout,
    finances: Finances,
    trend: Vec<TrendYear>,
    /// The five years as paired bars: income budgeted (grey) above expenditure budgeted (blue),
    /// in thousands of pounds.
    bars: Vec<crate::charts::bars::Bar>,
    bars_height: u32,
    /// Each year's label, by its row.
    bar_labels: Vec<(u32, String)>,
    input: BudgetInput,
    errors: FieldErrors,
}

impl Money for ListPage {}

impl ListPage {
    fn fy(&self, year: &i32) -> String {
        assure_domain::finance::financial_year(*year)
    }
}

async fn list_page(
    state: &AppState,
    mut page: Page,
    input: Option<BudgetInput>,
    errors: FieldErrors,
) -> Result<ListPage, PageError> {
    let finances = state.core.finances(&page.ctx, page.partnership).await?;
    page.layout.page("Finance", "/finance", &[]);
    let input = input.unwrap_or_else(|| BudgetInput { year: finances.next_year.to_string(), ..Default::default() });
    let trend = finances.trend();
    let thousands = |pence: i64| pence as f64 / 100_000.0;
    let pairs: Vec<crate::charts::bars::Pair> = trend
        .iter()
        .map(|t| crate::charts::bars::Pair {
            name: assure_domain::finance::financial_year(t.year),
            before: Some(thousands(t.income.budget)),
            now: Some(thousands(t.spend.budget)),
        })
        .collect();
    let top = trend.iter().map(|t| thousands(t.income.budget.max(t.spend.budget))).fold(0.0, f64::max);
    let (bars, bars_height) = crate::charts::bars::paired(&pairs, top, ("income", "expenditure"));
    let bar_labels = pairs.iter().enumerate().map(|(i, p)| (i as u32, p.name.clone())).collect();
    Ok(ListPage { layout: page.layout, finances, trend, bars, bars_height, bar_labels, input, errors })
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&list_page(&state, page, None, FieldErrors::new()).await?)
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<BudgetInput>,
) -> Result<Response, PageError> {
    match state.core.create_budget(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/budgets/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, Some(input), errors).await?),
        Err(e) => Err(e.into()),
    }
}

/// The forms of a budget's page, as sent back with their errors.
#[derive(Default)]
struct Forms {
    details: Option<BudgetInput>,
    contributions: Option<ContributionsInput>,
    line: Option<LineInput>,
    lock: Option<LockInput>,
}

#[derive(Template)]
#[template(path = "finance/budget.html")]
struct BudgetPage {
    layout: Layout,
    view: BudgetView,
    details: BudgetInput,
    total: String,
    reason: String,
    /// The contributions table's rows as the form shows them (with three blank rows to add).
    rows: Vec<ContributionRow>,
    organisations: Vec<Opt>,
    line: LineInput,
    sides: Vec<Opt>,
    categories: Vec<Opt>,
    lock: LockInput,
    errors: FieldErrors,
}

impl Money for BudgetPage {}

impl BudgetPage {
    fn fy(&self, year: &i32) -> String {
        assure_domain::finance::financial_year(*year)
    }

    fn row_error(&self, i: &usize) -> Option<&str> {
        self.errors.get(&format!("rows.{i}"))
    }

    fn selected(&self, row: &ContributionRow, o: &Opt) -> bool {
        row.organisation_id == o.value
    }
}

fn organisations(view: &BudgetView) -> Vec<Opt> {
    let mut out = vec![Opt::new("", "Choose an organisation")];
    out.extend(view.organisations.iter().map(|(id, name, _)| Opt::new(id, name.clone())));
    out
}

fn categories() -> Vec<Opt> {
    let mut out = vec![Opt::new("", "Choose")];
    out.extend(
        [IncomeKind::Grant, IncomeKind::Other].iter().map(|k| Opt::new(k.code(), format!("Income: {}", k.label()))),
    );
    out.extend(Group::ALL.iter().map(|g| Opt::new(g.code(), g.label())));
    out
}

async fn budget_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    forms: Forms,
    errors: FieldErrors,
) -> Result<BudgetPage, PageError> {
    let view = state.core.budget(&page.ctx, BudgetId(id)).await?;
    let b = &view.worked.budget;
    page.layout.page(format!("Budget {}", view.worked.year_words()), "/finance", &[("Finance", "/finance")]);
    let details = forms.details.unwrap_or_else(|| BudgetInput {
        year: b.year.to_string(),
        title: b.title.clone().unwrap_or_default(),
        reserves_brought_forward: b.reserves_brought_forward.map(assure_domain::finance::decimal).unwrap_or_default(),
        in_kind_counted: if b.in_kind_counted { "true".into() } else { String::new() },
        notes: b.notes.clone().unwrap_or_default(),
        reason: String::new(),
    });
    let (total, reason, mut rows) = match forms.contributions {
        Some(c) => (c.total, c.reason, c.rows),
        None => (
            b.contributions_total.map(assure_domain::finance::decimal).unwrap_or_default(),
            String::new(),
            view.worked
                .contributions
                .iter()
                .map(|c| ContributionRow {
                    organisation_id: c.line.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
                    share: c.line.share.map(|bp| percent(bp).trim_end_matches(" %").to_owned()).unwrap_or_default(),
                    amount: if c.line.share.is_none() {
                        c.line.budget.map(assure_domain::finance::decimal).unwrap_or_default()
                    } else {
                        String::new()
                    },
                })
                .collect(),
        ),
    };
    rows.extend((0..3).map(|_| ContributionRow::default()));
    let organisations = organisations(&view);
    let sides = Side::ALL.iter().map(|s| Opt::new(s.code(), s.label())).collect();
    Ok(BudgetPage {
        layout: page.layout,
        details,
        total,
        reason,
        rows,
        organisations,
        line: forms.line.unwrap_or_default(),
        sides,
        categories: categories(),
        lock: forms.lock.unwrap_or_default(),
        errors,
        view,
    })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&budget_page(&state, page, path_id(&id)?, Forms::default(), FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<BudgetInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.update_budget(&page.ctx, BudgetId(id), &input).await {
        Ok(()) => Ok(done(&format!("/budgets/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let forms = Forms { details: Some(input), ..Default::default() };
            render_invalid(&budget_page(&state, page, id, forms, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The contributions table's form: `organisation_id-N`, `share-N` and `amount-N` per row.
fn contributions_input(form: &[(String, String)]) -> ContributionsInput {
    let mut rows = Vec::new();
    for i in 0..assure_domain::finance::MAX_CONTRIBUTIONS + 3 {
        let (o, s, a) = (
            field(form, &format!("organisation_id-{i}")),
            field(form, &format!("share-{i}")),
            field(form, &format!("amount-{i}")),
        );
        if form.iter().any(|(k, _)| k == &format!("organisation_id-{i}")) {
            rows.push(ContributionRow { organisation_id: o, share: s, amount: a });
        }
    }
    // Blank rows are the form's spares, not rows of the table.
    while rows
        .last()
        .is_some_and(|r| r.organisation_id.is_empty() && r.share.trim().is_empty() && r.amount.trim().is_empty())
    {
        rows.pop();
    }
    ContributionsInput { total: field(form, "total"), rows, reason: field(form, "reason") }
}

async fn contributions(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let input = contributions_input(&form);
    match state.core.set_contributions(&page.ctx, BudgetId(id), &input).await {
        Ok(()) => Ok(done(&format!("/budgets/{id}#contributions"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let forms = Forms { contributions: Some(input), ..Default::default() };
            render_invalid(&budget_page(&state, page, id, forms, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_line(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<LineInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_budget_line(&page.ctx, BudgetId(id), &input).await {
        Ok(line) => Ok(done(&format!("/budgets/{id}#line-{line}"), "added")),
        Err(CoreError::Invalid(errors)) => {
            let forms = Forms { line: Some(input), ..Default::default() };
            render_invalid(&budget_page(&state, page, id, forms, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn lock(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<LockInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.lock_budget(&page.ctx, BudgetId(id), &input).await {
        Ok(()) => Ok(done(&format!("/budgets/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let forms = Forms { lock: Some(input), ..Default::default() };
            render_invalid(&budget_page(&state, page, id, forms, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn xlsx(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let view = state.core.budget(&page.ctx, BudgetId(path_id(&id)?)).await?;
    let year = view.worked.year_words();
    Ok(download_response(state.core.render_workbook(view.workbook(), &["budget", &year]).await?))
}

async fn paper(state: &AppState, page: &Page, id: &str, format: Format) -> Result<Response, PageError> {
    let view = state.core.budget(&page.ctx, BudgetId(path_id(id)?)).await?;
    let year = view.worked.year_words();
    let doc = view.document(state.core.today());
    Ok(download_response(state.core.render(doc, format, &["budget", &year]).await?))
}

async fn pdf(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    paper(&state, &page, &id, Format::Pdf).await
}

async fn docx(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    paper(&state, &page, &id, Format::Docx).await
}

#[derive(Template)]
#[template(path = "finance/line.html")]
struct LinePage {
    layout: Layout,
    budget: assure_core::finance::Budget,
    line: assure_core::finance::Line,
    can_edit: bool,
    input: LineInput,
    quarter: QuarterInput,
    sides: Vec<Opt>,
    categories: Vec<Opt>,
    organisations: Vec<Opt>,
    errors: FieldErrors,
}

impl Money for LinePage {}

impl LinePage {
    fn fy(&self) -> String {
        assure_domain::finance::financial_year(self.budget.year)
    }

    fn q(&self, q: &u8) -> (Option<i64>, Option<i64>) {
        self.line.quarters.iter().find(|x| x.0 == *q).map(|x| (x.1, x.2)).unwrap_or((None, None))
    }

    fn name(&self) -> String {
        if self.line.is_contribution() {
            format!("Contribution from {}", self.line.organisation_name.clone().unwrap_or_default())
        } else {
            self.line.description.clone()
        }
    }
}

async fn line_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    input: Option<LineInput>,
    quarter: Option<QuarterInput>,
    errors: FieldErrors,
) -> Result<LinePage, PageError> {
    let (budget, line) = state.core.budget_line(&page.ctx, BudgetLineId(id)).await?;
    let year = assure_domain::finance::financial_year(budget.year);
    let href = format!("/budgets/{}", budget.id);
    let title = if line.is_contribution() {
        format!("Contribution from {}", line.organisation_name.clone().unwrap_or_default())
    } else {
        line.description.clone()
    };
    page.layout.page(title, "/finance", &[("Finance", "/finance"), (&format!("Budget {year}"), &href)]);
    let can_edit = assure_domain::can(
        &page.ctx.actor,
        assure_domain::Action::Update,
        &assure_domain::Target::new(assure_domain::ResourceKind::Budget, budget.partnership_id),
    );
    let orgs =
        if can_edit { state.core.budget_organisations(&page.ctx, budget.partnership_id).await? } else { Vec::new() };
    let mut organisations = vec![Opt::new("", "None")];
    organisations.extend(orgs.iter().map(|(id, name, _)| Opt::new(id, name.clone())));
    let input = input.unwrap_or_else(|| LineInput {
        side: line.side.code().into(),
        category: line.category.code().into(),
        description: line.description.clone(),
        organisation_id: line.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
        review_id: line.review_id.map(|r| r.to_string()).unwrap_or_default(),
        budget: line.budget.map(assure_domain::finance::decimal).unwrap_or_default(),
        hours: line.tenths.map(hours).unwrap_or_default(),
        reason: String::new(),
    });
    let sides = Side::ALL.iter().map(|s| Opt::new(s.code(), s.label())).collect();
    Ok(LinePage {
        layout: page.layout,
        budget,
        line,
        can_edit,
        input,
        quarter: quarter.unwrap_or_default(),
        sides,
        categories: categories(),
        organisations,
        errors,
    })
}

async fn show_line(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&line_page(&state, page, path_id(&id)?, None, None, FieldErrors::new()).await?)
}

async fn update_line(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<LineInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.update_budget_line(&page.ctx, BudgetLineId(id), &input).await {
        Ok(()) => Ok(done(&format!("/budget-lines/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&line_page(&state, page, id, Some(input), None, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn quarter(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<QuarterInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.set_budget_quarter(&page.ctx, BudgetLineId(id), &input).await {
        Ok(_) => Ok(done(&format!("/budget-lines/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&line_page(&state, page, id, None, Some(input), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
struct RemoveInput {
    #[serde(default, rename = "remove_reason")]
    reason: String,
}

async fn remove_line(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<RemoveInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.remove_budget_line(&page.ctx, BudgetLineId(id), &input.reason).await {
        Ok(budget) => Ok(done(&format!("/budgets/{budget}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            // The reason asked for belongs to the removal's own field.
            let mut renamed = FieldErrors::new();
            for (field, messages) in errors.iter() {
                for m in messages {
                    renamed.add(if field == "reason" { "remove_reason" } else { field }, m.clone());
                }
            }
            render_invalid(&line_page(&state, page, id, None, None, renamed).await?)
        }
        Err(e) => Err(e.into()),
    }
}
