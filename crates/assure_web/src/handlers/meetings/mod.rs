//! Meetings of the partnership's bodies: the meetings ahead and just held, a body's meetings
//! (with the business unit's form to plan one), one meeting with who came, recording its
//! attendance seat by seat, moving or cancelling it, and a body's attendance review with its
//! quorum.

use askama::Template;
use assure_core::CoreError;
use assure_core::meetings::{AttendanceReview, Meeting, MeetingDetail, Others};
use assure_core::structure::Body;
use assure_domain::meetings::{MONTHS, MeetingInput, PlanInput, Presence, QuorumInput, WEEKDAYS, Week};
use assure_domain::structure::Choice;
use assure_domain::{BodyId, FieldErrors, MeetingId};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::learning::attachment_response;
use crate::handlers::{Opt, Versioned, changed_since, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};
use assure_domain::meetings::in_kind::InKindInput;

mod agenda;
mod calendar;
mod grid;
mod in_kind;
mod minutes;

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] =
    &[NavEntry { section: Section::Partnership, href: "/meetings", label: "Meetings", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/meetings", get(list))
        .route("/bodies/{id}/meetings", get(of_body).post(create))
        .route("/bodies/{id}/meetings/plan", get(show_plan).post(plan))
        .route("/bodies/{id}/attendance", get(review))
        .route("/bodies/{id}/attendance.csv", get(review_csv))
        .route("/bodies/{id}/attendance.xlsx", get(review_xlsx))
        .route("/bodies/{id}/attendance.pdf", get(review_pdf))
        .route("/bodies/{id}/attendance.docx", get(review_docx))
        .route("/bodies/{id}/quorum", get(review).post(set_quorum))
        .route("/meetings/{id}", get(show).post(update))
        .route("/meetings/{id}/edit", get(edit))
        .route("/meetings/{id}/cancel", get(show_cancel).post(cancel))
        .route("/meetings/{id}/attendance", get(attendance).post(record))
        .route("/meetings/{id}/in-kind", post(record_in_kind))
        .route("/meetings/{id}/reply", post(reply))
        .route("/meetings/{id}/interests", post(declare_own))
        .route("/in-kind", get(in_kind::show).post(in_kind::set_rate))
        .route("/in-kind.csv", get(in_kind::csv))
        .route("/in-kind/tasks", post(in_kind::record_task))
        .merge(agenda::routes())
        .merge(minutes::routes())
        .merge(grid::routes())
        .merge(calendar::routes())
}

/// A time of day as the pages show it: "10:00".
pub fn hm(t: &chrono::NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// A date with its weekday, as a meeting is announced: "Tuesday 14 February 2023".
pub fn weekday_date(d: &NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

#[derive(Template)]
#[template(path = "meetings/list.html")]
struct ListPage {
    layout: Layout,
    ahead: Vec<Meeting>,
    recent: Vec<Meeting>,
}

async fn list(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let today = state.core.today();
    let from = today - chrono::Days::new(92);
    let to = today + chrono::Days::new(366);
    let all = state.core.meetings(&page.ctx, page.partnership, from, to).await?;
    let (recent, ahead): (Vec<Meeting>, Vec<Meeting>) = all.into_iter().partition(|m| m.held_on < today);
    let recent = recent.into_iter().rev().collect();
    page.layout.page("Meetings", "/meetings", &[]);
    render(&ListPage { layout: page.layout, ahead, recent })
}

#[derive(Template)]
#[template(path = "meetings/body.html")]
struct BodyPage {
    layout: Layout,
    body: Body,
    meetings: Vec<Meeting>,
    /// The meetings on a day that is not a working day, with why.
    closed: Vec<(MeetingId, String)>,
    can_create: bool,
    input: MeetingInput,
    /// The working days before each meeting that its papers are due.
    papers_days: u32,
    errors: FieldErrors,
}

impl BodyPage {
    fn papers_days_text(&self) -> String {
        self.papers_days.to_string()
    }

    fn closed_on(&self, id: &MeetingId) -> Option<&str> {
        self.closed.iter().find(|(m, _)| m == id).map(|(_, why)| why.as_str())
    }
}

async fn body_page(
    state: &AppState,
    mut page: Page,
    id: BodyId,
    input: MeetingInput,
    errors: FieldErrors,
) -> Result<BodyPage, PageError> {
    let (body, meetings, can_create) = state.core.meetings_of_body(&page.ctx, id).await?;
    let papers_days = state.core.papers_days_of(&page.ctx, id).await?;
    let cal = state.core.working_calendar().await?;
    let closed = meetings
        .iter()
        .filter(|m| m.cancelled_reason.is_none())
        .filter_map(|m| assure_domain::meetings::not_a_working_day(m.held_on, &cal).map(|why| (m.id, why)))
        .collect();
    let body_href = format!("/bodies/{}", body.id);
    page.layout.page(
        format!("Meetings of {}", body.name),
        "/meetings",
        &[("Boards and groups", "/bodies"), (&body.name, &body_href)],
    );
    Ok(BodyPage { layout: page.layout, body, meetings, closed, can_create, input, papers_days, errors })
}

async fn of_body(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    render(&body_page(&state, page, id, MeetingInput::default(), FieldErrors::new()).await?)
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<MeetingInput>,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    match state.core.create_meeting(&page.ctx, id, &input).await {
        Ok(meeting) => Ok(done(&format!("/meetings/{meeting}"), "meeting-planned")),
        Err(CoreError::Invalid(errors)) => render_invalid(&body_page(&state, page, id, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "meetings/plan.html")]
struct PlanPage {
    layout: Layout,
    body: Body,
    input: PlanInput,
    errors: FieldErrors,
    weeks: Vec<Opt>,
    weekdays: Vec<Opt>,
    /// (number, name, ticked)
    months: Vec<(u32, &'static str, bool)>,
}

async fn plan_page(
    state: &AppState,
    mut page: Page,
    id: BodyId,
    input: PlanInput,
    errors: FieldErrors,
) -> Result<PlanPage, PageError> {
    let (body, _, can_create) = state.core.meetings_of_body(&page.ctx, id).await?;
    if !can_create {
        return Err(CoreError::Forbidden.into());
    }
    let (body_href, meetings_href) = (format!("/bodies/{}", body.id), format!("/bodies/{}/meetings", body.id));
    page.layout.page(
        format!("Plan the meetings of {}", body.name),
        "/meetings",
        &[(&body.name, &body_href), ("Meetings", &meetings_href)],
    );
    let mut weekdays = vec![Opt::new("", "Select the day")];
    weekdays.extend(WEEKDAYS.iter().map(|(_, code, label)| Opt::new(*code, *label)));
    let months = MONTHS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let n = i as u32 + 1;
            (n, *name, input.months.iter().any(|m| m.trim() == n.to_string()))
        })
        .collect();
    Ok(PlanPage {
        layout: page.layout,
        body,
        input,
        errors,
        weeks: Opt::choices::<Week>("Select the week"),
        weekdays,
        months,
    })
}

async fn show_plan(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    let input = PlanInput { starts_at: "10:00".into(), ends_at: "12:00".into(), ..PlanInput::default() };
    render(&plan_page(&state, page, id, input, FieldErrors::new()).await?)
}

async fn plan(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let input = PlanInput {
        week: field("week"),
        weekday: field("weekday"),
        months: form.iter().filter(|(k, _)| k == "months").map(|(_, v)| v.clone()).collect(),
        starts_at: field("starts_at"),
        ends_at: field("ends_at"),
        place: field("place"),
    };
    let today = state.core.today();
    match state.core.plan_meetings(&page.ctx, id, today, &input).await {
        Ok(_) => Ok(done(&format!("/bodies/{id}/meetings"), "meetings-planned")),
        Err(CoreError::Invalid(errors)) => render_invalid(&plan_page(&state, page, id, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "meetings/show.html")]
struct ShowPage {
    layout: Layout,
    detail: MeetingDetail,
    /// The form for time given: its options, what was sent, and what was wrong with it.
    organisations: Vec<Opt>,
    givens: Vec<Opt>,
    in_kind: InKindInput,
    /// The reply form as sent, when shown again with its errors.
    reply: ReplyForm,
    replies: Vec<(&'static str, &'static str)>,
    /// A member's own declaration of interest, as sent; the items to declare it on.
    declaration: assure_domain::meetings::minutes::DeclarationInput,
    items: Vec<Opt>,
    errors: FieldErrors,
}

impl ShowPage {
    /// The reply shown in the form: as sent, or the actor's own as recorded.
    fn my_reply(&self) -> (String, String) {
        if !self.reply.reply.is_empty() {
            return (self.reply.reply.clone(), self.reply.deputy.clone());
        }
        let mine = self.detail.my_seat.and_then(|m| self.detail.seats.iter().find(|s| s.membership.id == m));
        match mine.and_then(|s| s.reply.as_ref()) {
            Some(r) => (r.reply.code().to_owned(), r.deputy.clone().unwrap_or_default()),
            None => (String::new(), String::new()),
        }
    }

    fn hours(&self, tenths: &i64) -> String {
        assure_domain::meetings::in_kind::hours(*tenths)
    }
}

async fn show_page(
    state: &AppState,
    mut page: Page,
    id: MeetingId,
    in_kind: InKindInput,
    errors: FieldErrors,
) -> Result<ShowPage, PageError> {
    let detail = state.core.meeting(&page.ctx, id).await?;
    let m = &detail.meeting;
    frame(&mut page, m, format!("{}, {}", m.body_name, assure_domain::validation::long_date(m.held_on)));
    let mut organisations = vec![Opt::new("", "Select the organisation")];
    organisations.extend(detail.organisations.iter().map(|(id, name)| Opt::new(id, name.clone())));
    let givens = Opt::choices::<assure_domain::meetings::in_kind::Given>("Select what for");
    let replies = assure_domain::meetings::Reply::ALL.iter().map(|r| (r.code(), r.label())).collect();
    let mut items = vec![Opt::new("", "Select the item")];
    items.extend(detail.agenda.items.iter().map(|v| Opt::new(v.item.id, format!("{}. {}", v.number, v.item.title))));
    Ok(ShowPage {
        layout: page.layout,
        detail,
        organisations,
        givens,
        in_kind,
        reply: ReplyForm { reply: String::new(), deputy: String::new() },
        replies,
        declaration: Default::default(),
        items,
        errors,
    })
}

async fn record_in_kind(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<InKindInput>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    match state.core.record_in_kind(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/meetings/{id}#time-given"), "in-kind-recorded")),
        Err(CoreError::Invalid(errors)) => render_invalid(&show_page(&state, page, id, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

/// Titles a page of one meeting, under the body and its meetings in the breadcrumbs.
fn frame(page: &mut Page, m: &Meeting, title: String) {
    let (body_href, meetings_href) = (format!("/bodies/{}", m.body_id), format!("/bodies/{}/meetings", m.body_id));
    page.layout.page(title, "/meetings", &[(&m.body_name, &body_href), ("Meetings", &meetings_href)]);
}

/// A meeting the actor may change (403 for one they only see), its page framed with `title`.
async fn editable(
    state: &AppState,
    page: &mut Page,
    id: MeetingId,
    title: impl FnOnce(&Meeting) -> String,
) -> Result<MeetingDetail, PageError> {
    let detail = state.core.meeting(&page.ctx, id).await?;
    if !detail.can_edit {
        return Err(CoreError::Forbidden.into());
    }
    frame(page, &detail.meeting, title(&detail.meeting));
    Ok(detail)
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    render(&show_page(&state, page, id, InKindInput::default(), FieldErrors::new()).await?)
}

#[derive(serde::Deserialize)]
struct ReplyForm {
    #[serde(default)]
    reply: String,
    #[serde(default)]
    deputy: String,
}

async fn reply(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ReplyForm>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    match state.core.reply_to_meeting(&page.ctx, id, None, &form.reply, &form.deputy).await {
        Ok(()) => Ok(done(&format!("/meetings/{id}#reply"), "reply-saved")),
        Err(CoreError::Invalid(errors)) => {
            let mut shown = show_page(&state, page, id, InKindInput::default(), errors).await?;
            shown.reply = form;
            render_invalid(&shown)
        }
        Err(e) => Err(e.into()),
    }
}

/// A member declares an interest of their own on an item, from the meeting's page.
async fn declare_own(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<assure_domain::meetings::minutes::DeclarationInput>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    let input = assure_domain::meetings::minutes::DeclarationInput { person: String::new(), ..input };
    match state.core.declare_interest(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/meetings/{id}#interests"), "declaration-recorded")),
        Err(CoreError::Invalid(errors)) => {
            let mut shown = show_page(&state, page, id, InKindInput::default(), errors).await?;
            shown.declaration = input;
            render_invalid(&shown)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "meetings/attendance.html")]
struct AttendancePage {
    layout: Layout,
    detail: MeetingDetail,
    presences: Vec<(&'static str, &'static str)>,
    /// What was sent, when shown again with errors: (membership id, presence, attended by).
    sent: Vec<(String, String, String)>,
    /// Others in attendance, one per line: as sent, or as recorded.
    others: String,
    errors: FieldErrors,
}

impl AttendancePage {
    /// The presence and name shown for a seat: as sent, or as recorded.
    fn shown(&self, membership: &i64) -> (String, String) {
        let id = membership.to_string();
        match self.sent.iter().find(|(m, _, _)| *m == id) {
            Some((_, p, by)) => (p.clone(), by.clone()),
            // As recorded; a seat not yet marked as its holder replied.
            None => self
                .detail
                .seats
                .iter()
                .find(|s| s.membership.id.0 == *membership)
                .map(|s| {
                    let mark = match &s.reply {
                        Some(r) if s.mark.presence == Presence::NotRecorded => r.reply.expected(r.deputy.as_deref()),
                        _ => s.mark.clone(),
                    };
                    (mark.presence.code().to_owned(), mark.attended_by.unwrap_or_default())
                })
                .unwrap_or_default(),
        }
    }
}

async fn attendance_page(
    state: &AppState,
    mut page: Page,
    id: MeetingId,
    sent: Vec<(String, String, String)>,
    others: Option<String>,
    errors: FieldErrors,
) -> Result<AttendancePage, PageError> {
    let detail = editable(state, &mut page, id, |m| {
        format!("Attendance: {}, {}", m.body_name, assure_domain::validation::long_date(m.held_on))
    })
    .await?;
    let presences = Presence::ALL.iter().map(|p| (p.code(), p.label())).collect();
    let others = others.unwrap_or_else(|| assure_domain::meetings::guests_text(&detail.guests));
    Ok(AttendancePage { layout: page.layout, detail, presences, sent, others, errors })
}

async fn attendance(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    render(&attendance_page(&state, page, id, Vec::new(), None, FieldErrors::new()).await?)
}

/// The seats' marks a form sends: `presence:{membership}` and `attended_by:{membership}`.
fn marks_sent(form: &[(String, String)]) -> Vec<(String, String, String)> {
    let mut marks: Vec<(String, String, String)> = Vec::new();
    for (key, value) in form {
        let Some((part, membership)) = key.split_once(':') else { continue };
        let at = match marks.iter().position(|(m, _, _)| m == membership) {
            Some(at) => at,
            None => {
                marks.push((membership.to_owned(), String::new(), String::new()));
                marks.len() - 1
            }
        };
        match part {
            "presence" => marks[at].1 = value.clone(),
            "attended_by" => marks[at].2 = value.clone(),
            _ => {}
        }
    }
    marks.retain(|(_, presence, _)| !presence.is_empty());
    marks
}

async fn record(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    let version = form.iter().find(|(k, _)| k == "version").map(|(_, v)| v.clone()).unwrap_or_default();
    let sent = marks_sent(&form);
    let others = form.iter().find(|(k, _)| k == "others").map(|(_, v)| v.clone());
    match state.core.record_attendance(&page.ctx, id, &sent, others.as_deref().map(Others::Lines), Some(&version)).await
    {
        Ok(_) => Ok(done(&format!("/meetings/{id}"), "attendance-recorded")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&attendance_page(&state, page, id, sent, others, errors).await?)
        }
        Err(CoreError::Changed) => render_invalid(
            &attendance_page(&state, page, id, Vec::new(), None, changed_since("attendance", "meeting")).await?,
        ),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "meetings/form.html")]
struct FormPage {
    layout: Layout,
    meeting: Meeting,
    input: MeetingInput,
    errors: FieldErrors,
    version: String,
}

fn input_of(m: &Meeting) -> MeetingInput {
    MeetingInput {
        held_on: m.held_on.to_string(),
        starts_at: hm(&m.starts_at),
        ends_at: m.ends_at.as_ref().map(hm).unwrap_or_default(),
        place: m.place.clone().unwrap_or_default(),
    }
}

async fn form_page(
    state: &AppState,
    mut page: Page,
    id: MeetingId,
    input: Option<MeetingInput>,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    let detail = editable(state, &mut page, id, |m| format!("Move the meeting of {}", m.body_name)).await?;
    let m = detail.meeting;
    Ok(FormPage {
        layout: page.layout,
        input: input.unwrap_or_else(|| input_of(&m)),
        meeting: m,
        errors,
        version: detail.version,
    })
}

async fn edit(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    render(&form_page(&state, page, id, None, FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Versioned<MeetingInput>>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    match state.core.update_meeting(&page.ctx, id, &form.input, form.seen()).await {
        Ok(()) => Ok(done(&format!("/meetings/{id}"), "meeting-moved")),
        Err(CoreError::Invalid(errors)) => {
            let mut shown = form_page(&state, page, id, Some(form.input), errors).await?;
            shown.version = form.version;
            render_invalid(&shown)
        }
        Err(CoreError::Changed) => {
            render_invalid(&form_page(&state, page, id, None, changed_since("held_on", "meeting")).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "meetings/cancel.html")]
struct CancelPage {
    layout: Layout,
    meeting: Meeting,
    reason: String,
    errors: FieldErrors,
    version: String,
}

#[derive(Debug, Default, Deserialize)]
struct CancelForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    version: String,
}

async fn cancel_page(
    state: &AppState,
    mut page: Page,
    id: MeetingId,
    reason: String,
    errors: FieldErrors,
) -> Result<CancelPage, PageError> {
    let detail = editable(state, &mut page, id, |m| format!("Cancel the meeting of {}", m.body_name)).await?;
    let m = detail.meeting;
    Ok(CancelPage { layout: page.layout, meeting: m, reason, errors, version: detail.version })
}

async fn show_cancel(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    render(&cancel_page(&state, page, id, String::new(), FieldErrors::new()).await?)
}

async fn cancel(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<CancelForm>,
) -> Result<Response, PageError> {
    let id = MeetingId(path_id(&id)?);
    match state.core.cancel_meeting(&page.ctx, id, &form.reason, Some(&form.version)).await {
        Ok(()) => Ok(done(&format!("/meetings/{id}"), "meeting-cancelled")),
        Err(CoreError::Invalid(errors)) => render_invalid(&cancel_page(&state, page, id, form.reason, errors).await?),
        Err(CoreError::Changed) => {
            render_invalid(&cancel_page(&state, page, id, form.reason, changed_since("reason", "meeting")).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The period of an attendance review, as its page's query gives it (ISO dates).
#[derive(Debug, Default, Deserialize)]
pub struct Period {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl Period {
    fn dates(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), FieldErrors> {
        let mut e = FieldErrors::new();
        let from = e.check("from", assure_domain::validation::optional_date("the start of the period", &self.from));
        let to = e.check("to", assure_domain::validation::optional_date("the end of the period", &self.to));
        if e.is_empty() { Ok((from.flatten(), to.flatten())) } else { Err(e) }
    }
}

/// The attendance review's trend chart: seats represented, as a percentage, meeting by meeting.
#[derive(Template)]
#[template(path = "meetings/trend_svg.html")]
struct TrendSvg<'a> {
    c: &'a crate::charts::line::Chart,
    chart_id: &'a str,
    body_name: &'a str,
}

fn trend_chart(review: &AttendanceReview) -> crate::charts::line::Chart {
    let points: Vec<assure_core::intelligence::indicators::Point> = review
        .meetings
        .iter()
        .map(|l| assure_core::intelligence::indicators::Point {
            year: l.meeting.held_on.format("%Y").to_string(),
            period: l.meeting.held_on.format("%b %Y").to_string(),
            ours: l.tally.represented_percent(),
            england: None,
            neighbours: None,
        })
        .collect();
    crate::charts::line::trend(&points, "Seats represented (%)", 1, false)
}

/// The trend as a document's figure: its drawing, what a screen reader reads, and its figures
/// for Word to draw as a chart of its own.
fn trend_figure(review: &AttendanceReview) -> Result<assure_core::documents::Block, PageError> {
    let chart = trend_chart(review);
    let svg = TrendSvg { c: &chart, chart_id: "attendance-trend", body_name: &review.body.name }
        .render()
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let span = match (review.meetings.first(), review.meetings.last()) {
        (Some(a), Some(b)) => format!(
            ", {} to {}",
            assure_domain::validation::long_date(a.meeting.held_on),
            assure_domain::validation::long_date(b.meeting.held_on)
        ),
        _ => String::new(),
    };
    Ok(assure_core::documents::Block::Figure {
        svg,
        alt: format!(
            "Line chart of the seats of {} represented at each meeting, as a percentage{span}. The table that follows gives every figure.",
            review.body.name
        ),
        caption: "Seats represented at each meeting (%)".into(),
        chart: Some(review.trend()),
    })
}

#[derive(Template)]
#[template(path = "meetings/review.html")]
struct ReviewPage {
    layout: Layout,
    /// The trend chart, when at least two meetings were held.
    trend: Option<crate::charts::line::Chart>,
    review: AttendanceReview,
    period: Period,
    quorum_members: String,
    errors: FieldErrors,
}

async fn review_page(
    state: &AppState,
    mut page: Page,
    id: BodyId,
    period: Period,
    quorum_members: Option<String>,
    mut errors: FieldErrors,
) -> Result<ReviewPage, PageError> {
    let (from, to) = match period.dates() {
        Ok(dates) => dates,
        Err(e) => {
            errors = e;
            (None, None)
        }
    };
    let review = state.core.attendance_review(&page.ctx, id, from, to).await?;
    let body_href = format!("/bodies/{}", review.body.id);
    page.layout.page(
        format!("Attendance at {}", review.body.name),
        "/meetings",
        &[("Boards and groups", "/bodies"), (&review.body.name, &body_href)],
    );
    let quorum_members =
        quorum_members.unwrap_or_else(|| review.quorum.members.map(|n| n.to_string()).unwrap_or_default());
    let trend = (review.meetings.len() > 1).then(|| trend_chart(&review));
    Ok(ReviewPage { layout: page.layout, trend, review, period, quorum_members, errors })
}

async fn review(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(period): Query<Period>,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    let shown = review_page(&state, page, id, period, None, FieldErrors::new()).await?;
    if shown.errors.is_empty() { render(&shown) } else { render_invalid(&shown) }
}

/// The review a download asks for, and its file's name without the extension.
async fn review_to_download(
    state: &AppState,
    page: &Page,
    id: &str,
    period: &Period,
) -> Result<(AttendanceReview, String), PageError> {
    let (from, to) = period.dates().map_err(|_| PageError::BadRequest)?;
    let review = state.core.attendance_review(&page.ctx, BodyId(path_id(id)?), from, to).await?;
    let name = format!("attendance-{}", review.body.name.to_lowercase().replace(' ', "-"));
    Ok((review, name))
}

async fn review_csv(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(period): Query<Period>,
) -> Result<Response, PageError> {
    let (review, name) = review_to_download(&state, &page, &id, &period).await?;
    Ok(attachment_response(&format!("{name}.csv"), "text/csv; charset=utf-8", review.csv().into_bytes()))
}

async fn review_xlsx(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(period): Query<Period>,
) -> Result<Response, PageError> {
    let (review, name) = review_to_download(&state, &page, &id, &period).await?;
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(attachment_response(&format!("{name}.xlsx"), xlsx, review.xlsx()?))
}

async fn review_document(
    state: &AppState,
    page: &Page,
    id: &str,
    period: &Period,
    format: assure_core::documents::Format,
) -> Result<Response, PageError> {
    let (review, name) = review_to_download(state, page, id, period).await?;
    let figure = (review.meetings.len() > 1).then(|| trend_figure(&review)).transpose()?;
    let doc = review.document(figure);
    let d = state.core.render(doc, format, &[&name]).await?;
    Ok(crate::handlers::learning::download_response(d))
}

async fn review_pdf(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(period): Query<Period>,
) -> Result<Response, PageError> {
    review_document(&state, &page, &id, &period, assure_core::documents::Format::Pdf).await
}

async fn review_docx(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(period): Query<Period>,
) -> Result<Response, PageError> {
    review_document(&state, &page, &id, &period, assure_core::documents::Format::Docx).await
}

async fn set_quorum(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<QuorumInput>,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    match state.core.set_quorum(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/bodies/{id}/attendance"), "quorum-saved")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&review_page(&state, page, id, Period::default(), Some(input.members), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}
