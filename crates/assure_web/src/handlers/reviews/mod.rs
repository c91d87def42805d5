//! Case reviews: record a serious incident or referral, follow it through its stages against
//! its statutory clocks, and the partnership's deadlines.

pub mod chronology;
pub mod requests;
pub mod themes;

use askama::Template;
use assure_core::CoreError;
use assure_core::reviews::Review;
use assure_core::reviews::conduct::Conduct;
use assure_core::reviews::{Deadline, ReviewDetail};
use assure_domain::authz::ResourceKind;
use assure_domain::reviews::child_deaths::DeathCategory;
use assure_domain::reviews::conduct::{AppointmentInput, AppointmentRole, LearningEventInput};
use assure_domain::reviews::{ClockState, Decision, NewReviewInput, Stage, TransitionInput};
use assure_domain::structure::{ArmKind, Choice};
use assure_domain::{Action, FieldErrors, RequestId, ReviewId, Target, can};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Opt, done, path_id, render, render_invalid};
use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page, PendingUpload, UPLOAD_BYTES};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[
    NavEntry { section: Section::Learning, href: "/reviews", label: "Case reviews", needs: None },
    NavEntry { section: Section::Learning, href: "/deadlines", label: "Deadlines", needs: None },
    NavEntry {
        section: Section::Learning,
        href: "/child-deaths",
        label: "Child death figures",
        needs: Some(ResourceKind::Review),
    },
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reviews", get(list).post(create))
        .route("/reviews/new", get(new))
        .route("/reviews/{id}", get(show))
        .route("/reviews/{id}/move", get(task::<MOVE>).post(move_on))
        .route("/reviews/{id}/publication", get(task::<PUBLICATION>).post(publication))
        .route("/reviews/{id}/pause", get(task::<PAUSE>).post(pause))
        .route("/reviews/{id}/resume", post(resume))
        .route("/reviews/{id}/panel", get(task::<PANEL>).post(add_panel))
        .route("/reviews/{id}/requests", get(task::<REQUESTS>).post(request))
        .route("/reviews/{id}/returns", get(task::<RETURNS>).post(returned))
        .route("/reviews/{id}/appointments", get(task::<APPOINTMENTS>).post(appoint))
        .route("/reviews/{id}/learning-events", get(task::<LEARNING_EVENTS>).post(learning_event))
        .route("/reviews/{id}/terms", get(task::<TERMS>).post(add_terms).layer(DefaultBodyLimit::max(UPLOAD_BYTES)))
        .route("/review-terms/{id}", get(terms_file))
        .route("/reviews/{id}/child-death", get(task::<CHILD_DEATH>).post(child_death))
        .route("/child-deaths", get(child_death_figures))
        .route("/deadlines", get(deadlines))
        .merge(themes::routes())
        .merge(chronology::routes())
        .merge(requests::routes())
}

/// The GOV.UK tag colour for a clock's state; the tag's text always says the state too.
pub fn tag_class(state: &ClockState) -> &'static str {
    match state {
        ClockState::Overdue => "govuk-tag--red",
        ClockState::DueSoon => "govuk-tag--yellow",
        ClockState::MetLate => "govuk-tag--orange",
        ClockState::Met => "govuk-tag--green",
        ClockState::Due => "govuk-tag--blue",
        ClockState::Paused | ClockState::NotStarted | ClockState::NotNeeded => "govuk-tag--grey",
    }
}

pub struct Row {
    pub review: Review,
    pub type_name: String,
    /// The open clock due soonest, if any.
    pub next: Option<assure_domain::reviews::Clock>,
}

#[derive(Template)]
#[template(path = "reviews/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    can_create: bool,
}

async fn list(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let reviews = state.core.reviews(&page.ctx, page.partnership).await?;
    let types = state.core.review_types();
    let rows = reviews
        .into_iter()
        .map(|(review, clocks)| Row {
            type_name: types.get(&review.type_code).map(|t| t.name.clone()).unwrap_or_default(),
            next: clocks.into_iter().filter(|c| c.due.is_some() && c.met_on.is_none()).min_by_key(|c| c.due),
            review,
        })
        .collect();
    page.layout.page("Case reviews", "/reviews", &[]);
    let can_create = can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::Review, page.partnership));
    render(&ListPage { layout: page.layout, rows, can_create })
}

#[derive(Template)]
#[template(path = "reviews/new.html")]
struct NewPage {
    layout: Layout,
    input: NewReviewInput,
    errors: FieldErrors,
    types: Vec<Opt>,
    arms: Vec<Opt>,
}

fn new_page(state: &AppState, mut page: Page, input: NewReviewInput, errors: FieldErrors) -> NewPage {
    page.layout.page("Record a serious incident or referral", "/reviews", &[("Case reviews", "/reviews")]);
    let mut types = vec![Opt::new("", "Select the type of review")];
    types.extend(state.core.review_types().0.iter().map(|t| Opt::new(&t.code, t.name.clone())));
    NewPage { layout: page.layout, input, errors, types, arms: Opt::choices::<ArmKind>("Select the arm") }
}

async fn new(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    page.ctx.authorize(Action::Create, &Target::new(ResourceKind::Review, page.partnership))?;
    render(&new_page(&state, page, NewReviewInput::default(), FieldErrors::new()))
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<NewReviewInput>,
) -> Result<Response, PageError> {
    match state.core.create_review(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/reviews/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&new_page(&state, page, input, errors)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "reviews/show.html")]
pub(crate) struct ShowPage {
    layout: Layout,
    /// The task whose one form this page shows (GOV.UK's one thing per page), or "" for the
    /// review's summary page, which links to each task.
    task: &'static str,
    /// The task page's heading.
    heading: String,
    /// Who is appointed to the review, and its practitioner learning events.
    conduct: Conduct,
    roles: Vec<Opt>,
    /// The version of the review's themes the themes form was filled from.
    themes_version: String,
    /// The categories of death, for a child death review's findings.
    death_categories: Vec<Opt>,
    /// What the appointment and learning-event forms sent, to show again with their errors.
    appointment: AppointmentInput,
    event: LearningEventInput,
    d: ReviewDetail,
    can_update: bool,
    errors: FieldErrors,
    input: TransitionInput,
    next: Vec<Opt>,
    decisions: Vec<Opt>,
    deciding: bool,
    not_publishing: bool,
    /// It may be published next with no notice to the Panel recorded: ask why none was needed.
    publishing_without_notice: bool,
    other: OtherForms,
    /// Every theme of the partnership, and whether this review raised it.
    themes: Vec<(assure_core::reviews::Theme, bool)>,
    organisations: Vec<Opt>,
    kinds: Vec<Opt>,
    open_requests: Vec<Opt>,
}

/// What the smaller forms on the review page sent, to show again with their errors.
#[derive(Default, Deserialize)]
pub struct OtherForms {
    #[serde(default)]
    pub planned_publication_on: String,
    #[serde(default)]
    pub notice_sent_on: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub pause_reason: String,
    #[serde(default)]
    pub resumed_on: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub request_id: String,
    #[serde(default)]
    pub returned_on: String,
    #[serde(default)]
    pub agreed_on: String,
    #[serde(default)]
    pub terms_note: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub modifiable: String,
    #[serde(default)]
    pub reviewed_on: String,
}

/// The review's tasks, each a page of its own with one form: (slug, heading).
pub(crate) const TASKS: [(&str, &str); 11] = [
    ("move", "Move the review to its next stage"),
    ("publication", "Record the publication dates"),
    ("pause", "Pause or resume the review"),
    ("requests", "Ask an agency for information"),
    ("returns", "Record information returned"),
    ("themes", "Change the themes"),
    ("panel", "Add a panel member"),
    ("appointments", "Appoint a reviewer or author"),
    ("learning-events", "Record a practitioner learning event"),
    ("terms", "Add a version of the terms of reference"),
    ("child-death", "Record the panel's findings"),
];
pub(crate) const MOVE: usize = 0;
const PUBLICATION: usize = 1;
const PAUSE: usize = 2;
const REQUESTS: usize = 3;
const RETURNS: usize = 4;
pub(crate) const THEMES: usize = 5;
const PANEL: usize = 6;
const APPOINTMENTS: usize = 7;
const LEARNING_EVENTS: usize = 8;
const TERMS: usize = 9;
const CHILD_DEATH: usize = 10;

/// A task's page: its one form, for those who may change the review.
pub(crate) async fn task<const T: usize>(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    state.core.authorize_review_update(&page.ctx, ReviewId(id)).await?;
    let d = state.core.review(&page.ctx, ReviewId(id)).await?;
    let lists = lists(&state, &page, &d).await?;
    let shown = show_page(page, d, FieldErrors::new(), TransitionInput::default(), OtherForms::default(), lists, T);
    render(&shown)
}

fn show_page(
    mut page: Page,
    d: ReviewDetail,
    errors: FieldErrors,
    input: TransitionInput,
    other: OtherForms,
    (all_themes, all_organisations, conduct): Lists,
    task: usize,
) -> ShowPage {
    let (task, mut heading) = TASKS.get(task).map(|(slug, heading)| (*slug, (*heading).to_owned())).unwrap_or_default();
    if task == "pause" {
        heading = if d.paused { "Resume the review" } else { "Pause the review" }.to_owned();
    }
    let title = format!("{}: {}", d.review.subject, d.kind.name);
    if task.is_empty() {
        page.layout.page(title, "/reviews", &[("Case reviews", "/reviews")]);
    } else {
        let back = format!("/reviews/{}", d.review.id);
        page.layout.page(
            format!("{heading}: {title}"),
            "/reviews",
            &[("Case reviews", "/reviews"), (&d.review.subject, &back)],
        );
    }
    let target = Target::new(ResourceKind::Review, d.review.partnership_id);
    let can_update = can(&page.ctx.actor, Action::Update, &target);
    let mut next = vec![Opt::new("", "Select the next stage")];
    next.extend(d.next.iter().map(|s| Opt::new(s.code(), s.label())));
    let mut decisions = vec![Opt::new("", "Select the decision")];
    decisions.extend(Decision::ALL.iter().map(|x| Opt::new(x.code(), x.label())));
    let deciding = d.next.contains(&Stage::Decision);
    let not_publishing = d.next.contains(&Stage::NotPublished);
    let publishing_without_notice = d.next.contains(&Stage::Published) && d.review.dates.notice_sent_on.is_none();
    let mut other = other;
    if other.planned_publication_on.is_empty() {
        other.planned_publication_on = d.review.dates.planned_publication_on.map(|x| x.to_string()).unwrap_or_default();
    }
    if other.category.is_empty()
        && let Some(f) = &conduct.findings
    {
        other.category = f.category.code().to_owned();
        other.modifiable = if f.modifiable { "yes" } else { "no" }.to_owned();
        other.reviewed_on = f.reviewed_on.to_string();
    }
    if other.notice_sent_on.is_empty() {
        other.notice_sent_on = d.review.dates.notice_sent_on.map(|x| x.to_string()).unwrap_or_default();
    }
    let themes = all_themes
        .into_iter()
        .map(|t| {
            let on = d.themes.iter().any(|x| x.id == t.id);
            (t, on)
        })
        .collect();
    let kinds = vec![
        Opt::new("", "Select what is asked for"),
        Opt::new("summary", "Summary of involvement"),
        Opt::new("chronology", "Chronology"),
    ];
    let mut open_requests = vec![Opt::new("", "Select the request")];
    open_requests.extend(
        d.requests
            .iter()
            .filter(|(q, _)| q.returned_on.is_none())
            .map(|(q, _)| Opt::new(q.id, format!("{}: {}", q.organisation_name, q.kind))),
    );
    let mut roles = vec![Opt::new("", "Select what they are appointed to do")];
    roles.extend(AppointmentRole::ALL.iter().map(|r| Opt::new(r.code(), r.label())));
    ShowPage {
        layout: page.layout,
        task,
        heading,
        conduct,
        roles,
        themes_version: assure_core::version_of(&d.review_theme_ids()),
        death_categories: {
            let mut c = vec![Opt::new("", "Select the category")];
            c.extend(DeathCategory::ALL.iter().map(|x| Opt::new(x.code(), x.label())));
            c
        },
        appointment: AppointmentInput::default(),
        event: LearningEventInput::default(),
        d,
        can_update,
        errors,
        input,
        next,
        decisions,
        deciding,
        not_publishing,
        publishing_without_notice,
        other,
        themes,
        organisations: all_organisations,
        kinds,
        open_requests,
    }
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let d = state.core.review(&page.ctx, ReviewId(path_id(&id)?)).await?;
    let lists = lists(&state, &page, &d).await?;
    render(&show_page(
        page,
        d,
        FieldErrors::new(),
        TransitionInput::default(),
        OtherForms::default(),
        lists,
        usize::MAX,
    ))
}

/// The partnership's themes and organisations, for the review page's forms.
async fn lists(state: &AppState, page: &Page, d: &ReviewDetail) -> Result<Lists, PageError> {
    let themes = state.core.themes(&page.ctx, d.review.partnership_id).await?;
    let (orgs, _) =
        state.core.organisations(&page.ctx, d.review.partnership_id, false, assure_core::structure::Page::ALL).await?;
    let mut organisations = vec![Opt::new("", "Select the organisation")];
    organisations.extend(orgs.into_iter().map(|o| Opt::new(o.id, o.name)));
    let conduct = state.core.conduct_of(d).await?;
    Ok((themes, organisations, conduct))
}

/// What the review's pages list beside the review: the partnership's themes and organisations,
/// and the review's appointments and learning events.
type Lists = (Vec<assure_core::reviews::Theme>, Vec<Opt>, Conduct);

/// A task's page again, with what its form sent and the errors found.
async fn again(
    state: &AppState,
    page: Page,
    (id, task): (i64, usize),
    errors: FieldErrors,
    input: TransitionInput,
    other: OtherForms,
) -> Result<Response, PageError> {
    let d = state.core.review(&page.ctx, ReviewId(id)).await?;
    let lists = lists(state, &page, &d).await?;
    render_invalid(&show_page(page, d, errors, input, other, lists, task))
}

async fn move_on(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<TransitionInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.move_review(&page.ctx, ReviewId(id), &input).await {
        Ok(_) => Ok(done(&format!("/reviews/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => again(&state, page, (id, MOVE), errors, input, OtherForms::default()).await,
        Err(e) => Err(e.into()),
    }
}

/// The end of each small form on the review page: back to the review with its banner, or the
/// page again with the form's errors.
async fn finish(
    state: &AppState,
    page: Page,
    (id, task): (i64, usize),
    result: Result<(), CoreError>,
    flash: &str,
    form: OtherForms,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(done(&format!("/reviews/{id}"), flash)),
        Err(CoreError::Invalid(errors)) => {
            again(state, page, (id, task), errors, TransitionInput::default(), form).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn publication(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<OtherForms>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state
        .core
        .set_publication_dates(&page.ctx, ReviewId(id), &f.planned_publication_on, &f.notice_sent_on)
        .await
        .map(|_| ());
    finish(&state, page, (id, PUBLICATION), result, "updated", f).await
}

async fn pause(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<OtherForms>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.pause_review(&page.ctx, ReviewId(id), &f.from, &f.pause_reason).await.map(|_| ());
    finish(&state, page, (id, PAUSE), result, "updated", f).await
}

async fn resume(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<OtherForms>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.resume_review(&page.ctx, ReviewId(id), &f.resumed_on).await.map(|_| ());
    finish(&state, page, (id, PAUSE), result, "updated", f).await
}

async fn add_panel(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<OtherForms>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.add_to_panel(&page.ctx, ReviewId(id), &f.email).await.map(|_| ());
    finish(&state, page, (id, PANEL), result, "added", f).await
}

async fn request(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<OtherForms>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state
        .core
        .request_information(&page.ctx, ReviewId(id), &f.organisation_id, &f.kind, &f.due_on)
        .await
        .map(|_| ());
    finish(&state, page, (id, REQUESTS), result, "added", f).await
}

async fn returned(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<OtherForms>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    state.core.authorize_review_update(&page.ctx, ReviewId(id)).await?;
    let Ok(request) = f.request_id.trim().parse::<i64>() else {
        return again(
            &state,
            page,
            (id, RETURNS),
            FieldErrors::single("request_id", "Select the request"),
            TransitionInput::default(),
            f,
        )
        .await;
    };
    // The request must belong to this review: a request of another review is simply not found.
    let detail = state.core.review(&page.ctx, ReviewId(id)).await?;
    if !detail.requests.iter().any(|(q, _)| q.id == RequestId(request)) {
        return again(
            &state,
            page,
            (id, RETURNS),
            FieldErrors::single("request_id", "Select the request from the list"),
            TransitionInput::default(),
            f,
        )
        .await;
    }
    match state.core.mark_returned(&page.ctx, RequestId(request), &f.returned_on).await {
        Ok(_) => Ok(done(&format!("/reviews/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            again(&state, page, (id, RETURNS), errors, TransitionInput::default(), f).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "reviews/deadlines.html")]
struct DeadlinesPage {
    layout: Layout,
    open: Vec<Deadline>,
    met: Vec<Deadline>,
}

async fn deadlines(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let all = state.core.deadlines(&page.ctx, page.partnership).await?;
    let (met, open): (Vec<Deadline>, Vec<Deadline>) = all.into_iter().partition(|d| d.clock.met_on.is_some());
    page.layout.page("Deadlines", "/deadlines", &[]);
    render(&DeadlinesPage { layout: page.layout, open, met })
}

async fn appoint(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<AppointmentInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.appoint(&page.ctx, ReviewId(id), &input).await {
        Ok(_) => Ok(done(&format!("/reviews/{id}"), "added")),
        Err(CoreError::Invalid(errors)) => {
            again_filled(&state, page, (id, APPOINTMENTS), errors, |shown| shown.appointment = input).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn learning_event(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let input = LearningEventInput {
        held_on: field("held_on"),
        title: field("title"),
        organisation_ids: form.iter().filter(|(k, _)| k == "organisation_ids").map(|(_, v)| v.clone()).collect(),
        attendees: field("attendees"),
        heard: field("heard"),
    };
    match state.core.record_learning_event(&page.ctx, ReviewId(id), &input).await {
        Ok(_) => Ok(done(&format!("/reviews/{id}"), "added")),
        Err(CoreError::Invalid(errors)) => {
            again_filled(&state, page, (id, LEARNING_EVENTS), errors, |shown| shown.event = input).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_terms(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let permit = state.core.permit_review_terms(&page.ctx, ReviewId(id)).await?;
    let mut upload = pending.read(permit).await?;
    let form = OtherForms {
        agreed_on: upload.field("agreed_on"),
        terms_note: upload.field("terms_note"),
        ..Default::default()
    };
    let file = upload.files_named("file").into_iter().next();
    let result =
        state.core.add_review_terms(&page.ctx, ReviewId(id), &form.agreed_on, &form.terms_note, file).await.map(|_| ());
    let result = result.map_err(|e| match e {
        // The note has its own name on the page.
        CoreError::Invalid(errors) => {
            let mut renamed = FieldErrors::new();
            for (field, messages) in errors.iter() {
                for m in messages {
                    renamed.add(if field == "note" { "terms_note" } else { field }, m.clone());
                }
            }
            CoreError::Invalid(renamed)
        }
        other => other,
    });
    finish(&state, page, (id, TERMS), result, "added", form).await
}

/// A version of a review's terms of reference, always as a download.
async fn terms_file(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let (terms, bytes) = state.core.review_terms_file(&page.ctx, path_id(&id)?).await?;
    Ok(crate::handlers::learning::attachment_response(&terms.file_name, "application/octet-stream", bytes))
}

async fn child_death(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<OtherForms>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let input = assure_domain::reviews::child_deaths::FindingsInput {
        category: f.category.clone(),
        modifiable: f.modifiable.clone(),
        reviewed_on: f.reviewed_on.clone(),
    };
    let result = state.core.record_child_death_findings(&page.ctx, ReviewId(id), &input).await;
    finish(&state, page, (id, CHILD_DEATH), result, "updated", f).await
}

#[derive(Template)]
#[template(path = "reviews/child_deaths.html")]
struct ChildDeathsPage {
    layout: Layout,
    years: Vec<assure_domain::reviews::child_deaths::YearFigures>,
    categories: Vec<&'static str>,
}

/// The partnership's child death figures by financial year, as its annual report gives them.
async fn child_death_figures(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let years = state.core.child_death_figures(&page.ctx, page.partnership).await?;
    page.layout.page("Child death figures", "/child-deaths", &[]);
    let categories = assure_domain::reviews::child_deaths::DeathCategory::ALL.iter().map(|c| c.label()).collect();
    render(&ChildDeathsPage { layout: page.layout, years, categories })
}

/// A task's page again with these errors, its form filled by `fill` (or fresh, after someone
/// else's change).
pub(crate) async fn again_filled(
    state: &AppState,
    page: Page,
    (id, task): (i64, usize),
    errors: FieldErrors,
    fill: impl FnOnce(&mut ShowPage),
) -> Result<Response, PageError> {
    let d = state.core.review(&page.ctx, ReviewId(id)).await?;
    let lists = lists(state, &page, &d).await?;
    let mut shown = show_page(page, d, errors, TransitionInput::default(), OtherForms::default(), lists, task);
    fill(&mut shown);
    render_invalid(&shown)
}
