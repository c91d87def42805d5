//! Training and events, as the partnership sees them: the programme (and the business unit's
//! form to add an event), an event with its sessions, a session with its bookings, register and
//! attendance report, the reports for any period with their downloads, the charges for places
//! not used, and the settings. The public's pages (booking, a booking's own link, the manager's
//! countersignature) are in `public`.

use askama::Template;
use assure_core::CoreError;
use assure_core::training::{Charge, EventChoices, EventView, Programme, RegisterImport, Report, SessionView, tenths};
use assure_domain::FieldErrors;
use assure_domain::structure::{Choice, Sector};
use assure_domain::training::{Attendance, BookingStatus, EventInput, EventKind, SessionInput, SettingsInput, rate};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::AppState;
use crate::charts::bars::{BarChart, Pair, Stack};
use crate::error::PageError;
use crate::extract::{CsrfForm, Page, PendingUpload};
use crate::handlers::finance::Pence;
use crate::handlers::{Opt, done, field, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

pub(crate) mod public;

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    section: Section::Partnership,
    href: "/training",
    label: "Training",
    needs: Some(assure_domain::ResourceKind::TrainingEvent),
}];

/// The largest attendance report a session's page takes.
const REPORT_BYTES: usize = 2 * 1024 * 1024 + 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/training", get(list).post(create))
        .route("/training/events/{id}", get(show_event).post(update_event))
        .route("/training/events/{id}/sessions", post(add_session))
        .route("/training/sessions/{id}", get(show_session))
        .route("/training/sessions/{id}/register", post(register))
        .route("/training/sessions/{id}/cancel", post(cancel_session))
        .route(
            "/training/sessions/{id}/attendance-report",
            post(import_report).layer(DefaultBodyLimit::max(REPORT_BYTES)),
        )
        .route("/training/report", get(report))
        .route("/training/report.csv", get(report_csv))
        .route("/training/charges", get(charges))
        .route("/training/charges.csv", get(charges_csv))
        .route("/training/settings", get(settings).post(save_settings))
        .merge(public::routes())
}

fn kinds() -> Vec<Opt> {
    let mut out = vec![Opt::new("", "Choose the kind of event")];
    out.extend(EventKind::ALL.iter().map(|k| Opt::new(k.code(), k.label())));
    out
}

fn sectors() -> Vec<Opt> {
    Sector::ALL.iter().map(|s| Opt::new(s.code(), s.label())).collect()
}

/// "Tuesday 24 March 2027, 09:00 to 16:30".
pub fn when(s: &assure_core::training::Session) -> String {
    format!("{}, {} to {}", s.starts.format("%A %-d %B %Y"), s.starts.format("%H:%M"), s.ends.format("%H:%M"))
}

#[derive(Template)]
#[template(path = "training/list.html")]
struct ListPage {
    layout: Layout,
    programme: Programme,
    input: EventInput,
    kinds: Vec<Opt>,
    sectors: Vec<Opt>,
    errors: FieldErrors,
}

impl ListPage {
    fn when(&self, s: &assure_core::training::Session) -> String {
        when(s)
    }

    fn checked(&self, code: &str) -> bool {
        self.input.sectors.iter().any(|s| s == code)
    }

    fn choices(&self) -> &EventChoices {
        &self.programme.choices
    }

    fn chosen(&self, list: &str, id: &i64) -> bool {
        chosen(&self.input, list, *id)
    }
}

/// Whether an event's form has the agency or priority `id` ticked.
fn chosen(input: &EventInput, list: &str, id: i64) -> bool {
    let ids = if list == "organisation_ids" { &input.organisation_ids } else { &input.priority_ids };
    ids.iter().any(|v| v.trim() == id.to_string())
}

async fn list_page(
    state: &AppState,
    mut page: Page,
    input: EventInput,
    errors: FieldErrors,
) -> Result<ListPage, PageError> {
    let programme = state.core.training(&page.ctx, page.partnership).await?;
    page.layout.page("Training", "/training", &[]);
    Ok(ListPage { layout: page.layout, programme, input, kinds: kinds(), sectors: sectors(), errors })
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&list_page(&state, page, EventInput::default(), FieldErrors::new()).await?)
}

fn event_input(form: &[(String, String)]) -> EventInput {
    let all = |name: &str| form.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    EventInput {
        title: field(form, "title"),
        kind: field(form, "kind"),
        description: field(form, "description"),
        sectors: all("sectors"),
        organisation_ids: all("organisation_ids"),
        levels: field(form, "levels"),
        programme: field(form, "programme"),
        priority_ids: all("priority_ids"),
        review_ids: field(form, "review_ids").split([',', ' ']).map(str::to_owned).collect(),
    }
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = event_input(&form);
    match state.core.create_training_event(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/training/events/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&list_page(&state, page, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "training/event.html")]
struct EventPage {
    layout: Layout,
    view: EventView,
    input: EventInput,
    session: SessionInput,
    kinds: Vec<Opt>,
    sectors: Vec<Opt>,
    errors: FieldErrors,
}

impl EventPage {
    fn when(&self, s: &assure_core::training::Session) -> String {
        when(s)
    }

    fn checked(&self, code: &str) -> bool {
        self.input.sectors.iter().any(|s| s == code)
    }

    fn choices(&self) -> &EventChoices {
        &self.view.choices
    }

    fn chosen(&self, list: &str, id: &i64) -> bool {
        chosen(&self.input, list, *id)
    }
}

async fn event_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    input: Option<EventInput>,
    session: SessionInput,
    errors: FieldErrors,
) -> Result<EventPage, PageError> {
    let view = state.core.training_event(&page.ctx, id).await?;
    page.layout.page(view.event.title.clone(), "/training", &[("Training", "/training")]);
    let e = &view.event;
    let input = input.unwrap_or_else(|| EventInput {
        title: e.title.clone(),
        kind: e.kind.code().into(),
        description: e.description.clone().unwrap_or_default(),
        sectors: e.sectors.iter().map(|s| s.code().to_owned()).collect(),
        organisation_ids: e.organisation_ids.iter().map(|o| o.0.to_string()).collect(),
        levels: e.levels.clone().unwrap_or_default(),
        programme: e.programme.clone().unwrap_or_default(),
        priority_ids: e.priority_ids.iter().map(i64::to_string).collect(),
        review_ids: e.review_ids.iter().map(i64::to_string).collect(),
    });
    Ok(EventPage { layout: page.layout, view, input, session, kinds: kinds(), sectors: sectors(), errors })
}

async fn show_event(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&event_page(&state, page, path_id(&id)?, None, SessionInput::default(), FieldErrors::new()).await?)
}

async fn update_event(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let input = event_input(&form);
    match state.core.update_training_event(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/training/events/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&event_page(&state, page, id, Some(input), SessionInput::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_session(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<SessionInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_training_session(&page.ctx, id, &input).await {
        Ok(s) => Ok(done(&format!("/training/sessions/{s}"), "added")),
        Err(CoreError::Invalid(errors)) => render_invalid(&event_page(&state, page, id, None, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "training/session.html")]
struct SessionPage {
    layout: Layout,
    view: SessionView,
    public_url: String,
    marks: Vec<Opt>,
    import: Option<RegisterImport>,
    errors: FieldErrors,
}

impl SessionPage {
    fn when(&self) -> String {
        when(&self.view.session)
    }

    fn mark(&self, a: &Option<Attendance>) -> String {
        a.map(|a| a.code().to_owned()).unwrap_or_default()
    }

    fn booked(&self, s: &BookingStatus) -> bool {
        *s == BookingStatus::Booked
    }

    fn started(&self) -> bool {
        self.view.session.starts.date() <= assure_domain::uk_time::uk_today()
    }
}

async fn session_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    import: Option<RegisterImport>,
    errors: FieldErrors,
) -> Result<SessionPage, PageError> {
    let view = state.core.training_session(&page.ctx, id).await?;
    let href = format!("/training/events/{}", view.event.id);
    page.layout.page(
        format!("{}: {}", view.event.title, view.session.starts.format("%-d %B %Y")),
        "/training",
        &[("Training", "/training"), (&view.event.title, &href)],
    );
    let mut marks = vec![Opt::new("", "Not marked")];
    marks.extend(Attendance::ALL.iter().map(|a| Opt::new(a.code(), a.label())));
    let public_url = format!("{}{}", state.core.settings.public_url, view.public_path);
    Ok(SessionPage { layout: page.layout, view, public_url, marks, import, errors })
}

async fn show_session(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    render(&session_page(&state, page, path_id(&id)?, None, FieldErrors::new()).await?)
}

#[derive(Deserialize)]
struct CancelForm {
    #[serde(default)]
    reason: String,
}

async fn cancel_session(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<CancelForm>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.cancel_training_session(&page.ctx, id, &form.reason).await {
        Ok(_) => Ok(done(&format!("/training/sessions/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&session_page(&state, page, id, None, errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn register(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let marks: Vec<(i64, String)> = form
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("mark-").and_then(|b| b.parse::<i64>().ok()).map(|b| (b, v.clone())))
        .collect();
    match state.core.mark_register(&page.ctx, id, &marks).await {
        Ok(_) => Ok(done(&format!("/training/sessions/{id}#register"), "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&session_page(&state, page, id, None, errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn import_report(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    // Authorized before a byte of the file is read.
    let permit = state.core.permit_register_import(&page.ctx, id).await?;
    let mut form = pending.read(permit).await?;
    let Some(file) = form.files_named("file").into_iter().next().filter(|f| !f.bytes.is_empty()) else {
        let errors = FieldErrors::single("file", "Choose the attendance report to upload");
        return render_invalid(&session_page(&state, page, id, None, errors).await?);
    };
    match state.core.import_register(&page.ctx, id, &file.name, file.bytes).await {
        Ok(done_import) => render(&session_page(&state, page, id, Some(done_import), FieldErrors::new()).await?),
        Err(CoreError::Invalid(errors)) => render_invalid(&session_page(&state, page, id, None, errors).await?),
        Err(e) => Err(e.into()),
    }
}

/// A period as the report's form sends it: from and to (YYYY-MM-DD); by default this financial
/// year to date.
#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub table: String,
}

/// The period asked for, or the financial year so far; a date that is not one is a 422.
pub fn period(q: &PeriodQuery) -> Result<(NaiveDate, NaiveDate), FieldErrors> {
    assure_domain::training::report_period(&q.from, &q.to, assure_domain::uk_time::uk_today())
}

#[derive(Template)]
#[template(path = "training/report.html")]
struct ReportPage {
    layout: Layout,
    report: Option<Report>,
    from: String,
    to: String,
    /// Attended by kind of event, as columns.
    columns: Vec<crate::charts::bars::Column>,
    chart_width: u32,
    /// A chart beside each of the report's other figures.
    charts: Option<ReportCharts>,
    errors: FieldErrors,
}

/// The report's charts: what became of the places booked, the follow-ups, attendance by agency
/// and by sector (each row what became of its places), confidence before and after by event, and
/// champions by programme.
struct ReportCharts {
    places: BarChart,
    follow_ups: BarChart,
    events: BarChart,
    organisations: BarChart,
    sectors: BarChart,
    champions: BarChart,
}

/// What became of a row's places, in the key's order.
const PLACES_KEY: &[(&str, &str)] = &[
    ("blue", "attended"),
    ("red", "did not attend"),
    ("orange", "late cancellation"),
    ("purple", "not marked yet"),
    ("grey", "cancelled in time"),
];

fn places(name: &str, c: &assure_domain::training::Counts) -> Stack {
    let unmarked = c.booked - c.attended - c.no_show - c.late_cancellation;
    let parts = [c.attended, c.no_show, c.late_cancellation, unmarked, c.cancelled];
    Stack {
        name: name.to_owned(),
        parts: parts
            .iter()
            .zip(PLACES_KEY)
            .map(|(n, (colour, what))| ((*n).max(0) as usize, (*colour).to_owned(), (*what).to_owned()))
            .collect(),
    }
}

fn tenths_value(v: Option<i64>) -> Option<f64> {
    v.map(|t| t as f64 / 10.0)
}

impl ReportCharts {
    fn of(r: &Report) -> ReportCharts {
        let rows = |rows: &[assure_core::training::ReportRow]| {
            rows.iter().map(|row| places(&row.name, &row.counts)).collect::<Vec<_>>()
        };
        let returned = r.follow_ups_returned - r.countersigned;
        let follow_ups = Stack {
            name: "Impact follow-ups sent".into(),
            parts: vec![
                (r.countersigned.max(0) as usize, "green".into(), "returned and countersigned".into()),
                (returned.max(0) as usize, "blue".into(), "returned".into()),
                ((r.follow_ups_sent - r.follow_ups_returned).max(0) as usize, "grey".into(), "not returned".into()),
            ],
        };
        let events: Vec<Pair> = r
            .by_event
            .iter()
            .map(|e| Pair {
                name: e.title.clone(),
                before: tenths_value(e.confidence_before),
                now: tenths_value(e.confidence_after),
            })
            .collect();
        let champions: Vec<Stack> = r
            .champions
            .iter()
            .map(|c| Stack {
                name: c.programme.clone(),
                parts: vec![
                    (c.new.max(0) as usize, "blue".into(), "new".into()),
                    (c.refreshed.max(0) as usize, "purple".into(), "refreshed".into()),
                ],
            })
            .collect();
        ReportCharts {
            places: BarChart::stacked(
                "places-chart",
                "What became of the places booked in the period",
                &[places("Places booked", &r.total)],
                PLACES_KEY,
            ),
            follow_ups: BarChart::stacked(
                "follow-ups-chart",
                "Impact follow-ups sent, returned and countersigned",
                &[follow_ups],
                &[("green", "returned and countersigned"), ("blue", "returned"), ("grey", "not returned")],
            ),
            events: BarChart::paired(
                "event-chart",
                "Average confidence before and after, out of 5, by event",
                &events,
                5.0,
                ("confidence before", "confidence after"),
            ),
            organisations: BarChart::stacked(
                "organisation-chart",
                "What became of the places booked, by agency",
                &rows(&r.by_organisation),
                PLACES_KEY,
            ),
            sectors: BarChart::stacked(
                "sector-chart",
                "What became of the places booked, by sector",
                &rows(&r.by_sector),
                PLACES_KEY,
            ),
            champions: BarChart::stacked(
                "champions-chart",
                "Champions trained, new and refreshed, by programme",
                &champions,
                &[("blue", "new"), ("purple", "refreshed")],
            ),
        }
    }
}

impl ReportPage {
    fn rate(&self, v: impl Pence) -> String {
        v.pence().map(rate).unwrap_or_default()
    }

    fn tenths(&self, v: impl Pence) -> String {
        v.pence().map(tenths).unwrap_or_else(|| "none".into())
    }

    fn query(&self) -> String {
        format!("from={}&to={}", self.from, self.to)
    }
}

async fn report(
    State(state): State<AppState>,
    mut page: Page,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    page.layout.page("Training report", "/training", &[("Training", "/training")]);
    let (from, to) = match period(&q) {
        Ok(p) => p,
        Err(errors) => {
            let page = ReportPage {
                layout: page.layout,
                report: None,
                from: q.from,
                to: q.to,
                columns: vec![],
                chart_width: 0,
                charts: None,
                errors,
            };
            return render_invalid(&page);
        }
    };
    match state.core.training_report(&page.ctx, page.partnership, from, to).await {
        Ok(r) => {
            let values: Vec<(String, u64)> =
                r.by_kind.iter().map(|k| (k.name.clone(), k.counts.attended.max(0) as u64)).collect();
            let (chart_width, columns) = crate::charts::bars::columns(&values, "attended");
            let charts = Some(ReportCharts::of(&r));
            render(&ReportPage {
                layout: page.layout,
                report: Some(r),
                from: from.to_string(),
                to: to.to_string(),
                columns,
                chart_width,
                charts,
                errors: FieldErrors::new(),
            })
        }
        Err(CoreError::Invalid(errors)) => render_invalid(&ReportPage {
            layout: page.layout,
            report: None,
            from: from.to_string(),
            to: to.to_string(),
            columns: vec![],
            chart_width: 0,
            charts: None,
            errors,
        }),
        Err(e) => Err(e.into()),
    }
}

async fn report_csv(
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (from, to) = period(&q).map_err(|_| PageError::NotFound)?;
    let r = state.core.training_report(&page.ctx, page.partnership, from, to).await?;
    let csv = r.csv(&q.table).ok_or(PageError::NotFound)?;
    let name = state.core.download_name(&["training", "by", &q.table, &from.to_string(), "to", &to.to_string()], "csv");
    Ok(crate::handlers::learning::attachment_response(&name, "text/csv; charset=utf-8", csv.into_bytes()))
}

#[derive(Template)]
#[template(path = "training/charges.html")]
struct ChargesPage {
    layout: Layout,
    charges: Vec<Charge>,
    from: String,
    to: String,
    total: i64,
}

impl ChargesPage {
    fn pounds(&self, p: &i64) -> String {
        assure_domain::cells::pounds(*p)
    }
}

async fn charges(
    State(state): State<AppState>,
    mut page: Page,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (from, to) = period(&q).map_err(|_| PageError::NotFound)?;
    let charges = state.core.training_charges(&page.ctx, page.partnership, from, to).await?;
    page.layout.page("Charges for places not used", "/training", &[("Training", "/training")]);
    let total = charges.iter().map(|c| c.amount).sum();
    render(&ChargesPage { layout: page.layout, charges, from: from.to_string(), to: to.to_string(), total })
}

async fn charges_csv(
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let (from, to) = period(&q).map_err(|_| PageError::NotFound)?;
    let charges = state.core.training_charges(&page.ctx, page.partnership, from, to).await?;
    let rows: Vec<Vec<String>> = charges
        .iter()
        .flat_map(|c| {
            c.places.iter().map(move |(day, event, a)| {
                vec![c.organisation.clone(), day.to_string(), event.clone(), a.label().to_owned()]
            })
        })
        .collect();
    let mut csv = assure_domain::cells::csv_file(&["organisation", "day", "event", "what_happened"], &rows);
    for c in &charges {
        csv.push_str(&assure_domain::cells::csv_line([
            c.organisation.clone(),
            String::new(),
            "Total".into(),
            assure_domain::finance::decimal(c.amount),
        ]));
    }
    let name = state.core.download_name(&["training", "charges", &from.to_string(), "to", &to.to_string()], "csv");
    Ok(crate::handlers::learning::attachment_response(&name, "text/csv; charset=utf-8", csv.into_bytes())
        .into_response())
}

#[derive(Template)]
#[template(path = "training/settings.html")]
struct SettingsPage {
    layout: Layout,
    input: SettingsInput,
    can_edit: bool,
    errors: FieldErrors,
}

async fn settings_page(
    state: &AppState,
    mut page: Page,
    input: Option<SettingsInput>,
    errors: FieldErrors,
) -> Result<SettingsPage, PageError> {
    let s = state.core.training_settings(&page.ctx, page.partnership).await?;
    page.layout.page("Training settings", "/training", &[("Training", "/training")]);
    let money = |p: Option<i64>| p.map(assure_domain::finance::decimal).unwrap_or_default();
    let input = input.unwrap_or_else(|| SettingsInput {
        retention_days: s.retention_days.to_string(),
        no_show_charge: money(s.no_show_charge),
        late_cancellation_charge: money(s.late_cancellation_charge),
        late_within_days: s.late_within_days.to_string(),
        offer_hours: s.offer_hours.to_string(),
    });
    let can_edit = assure_domain::can(
        &page.ctx.actor,
        assure_domain::Action::Update,
        &assure_domain::Target::new(assure_domain::ResourceKind::Booking, page.partnership),
    );
    Ok(SettingsPage { layout: page.layout, input, can_edit, errors })
}

async fn settings(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&settings_page(&state, page, None, FieldErrors::new()).await?)
}

async fn save_settings(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<SettingsInput>,
) -> Result<Response, PageError> {
    match state.core.set_training_settings(&page.ctx, page.partnership, &input).await {
        Ok(()) => Ok(done("/training/settings", "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&settings_page(&state, page, Some(input), errors).await?),
        Err(e) => Err(e.into()),
    }
}
