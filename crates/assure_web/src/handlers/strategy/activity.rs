//! Activities: adding one to a priority or to a subgroup's work plan, changing it, its page with
//! every update, and reporting its progress (the business unit, or a member of the subgroup that
//! leads it); and a subgroup's work plan.

use askama::Template;
use assure_core::CoreError;
use assure_core::strategy::{ActivityView, WorkPlan};
use assure_domain::strategy::{ActivityInput, Marker, Quarter, Rag, Status, UpdateInput};
use assure_domain::structure::Choice;
use assure_domain::{BodyId, FieldErrors};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Opt, done, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/priorities/{id}/activities", get(show_new).post(add))
        .route("/activities/{id}", get(show).post(progress))
        .route("/activities/{id}/edit", get(edit).post(update))
        .route("/bodies/{id}/work-plan", get(work_plan).post(add_to_plan))
}

/// An activity from its form: the quarters repeat under one name.
fn activity_input(fields: Vec<(String, String)>) -> ActivityInput {
    let mut input = ActivityInput::default();
    for (name, value) in fields {
        match name.as_str() {
            "title" => input.title = value,
            "quarters" => input.quarters.push(value),
            "body_id" => input.body_id = value,
            "organisation_id" => input.organisation_id = value,
            "lead" => input.lead = value,
            _ => {}
        }
    }
    input
}

/// A quarter's checkbox: its code, its words, and whether it is ticked.
pub struct QuarterBox {
    pub code: String,
    pub words: String,
    pub checked: bool,
}

fn boxes(range: (Quarter, Quarter), chosen: &[String]) -> Vec<QuarterBox> {
    (range.0.index()..=range.1.index())
        .map(Quarter::from_index)
        .map(|q| QuarterBox { code: q.code(), words: q.words(), checked: chosen.iter().any(|c| *c == q.code()) })
        .collect()
}

/// A work plan's quarters to choose from: the last year and the next two.
fn plan_range() -> (Quarter, Quarter) {
    let now = Quarter::of(assure_domain::uk_time::uk_today());
    (Quarter::from_index(now.index() - 4), Quarter::from_index(now.index() + 8))
}

#[derive(Template)]
#[template(path = "strategy/activity_form.html")]
struct FormPage {
    layout: Layout,
    heading: String,
    action: String,
    input: ActivityInput,
    quarters: Vec<QuarterBox>,
    bodies: Vec<Opt>,
    organisations: Vec<Opt>,
    errors: FieldErrors,
}

async fn choices(state: &AppState, page: &Page) -> Result<(Vec<Opt>, Vec<Opt>), PageError> {
    let (bodies, _) = state.core.bodies(&page.ctx, page.partnership, false, assure_core::structure::Page::ALL).await?;
    let mut b = vec![Opt::new("", "None")];
    b.extend(bodies.into_iter().map(|x| Opt::new(x.id, x.name)));
    let (orgs, _) =
        state.core.organisations(&page.ctx, page.partnership, false, assure_core::structure::Page::ALL).await?;
    let mut o = vec![Opt::new("", "None")];
    o.extend(orgs.into_iter().map(|x| Opt::new(x.id, x.name)));
    Ok((b, o))
}

async fn new_page(
    state: &AppState,
    mut page: Page,
    priority: i64,
    input: ActivityInput,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    let (strategy, pr) = state.core.priority(&page.ctx, priority).await?;
    let may = assure_domain::can(
        &page.ctx.actor,
        assure_domain::Action::Update,
        &assure_domain::Target::new(assure_domain::ResourceKind::Strategy, strategy.partnership_id),
    );
    if !may {
        return Err(CoreError::Forbidden.into());
    }
    let href = format!("/strategy/{}", strategy.id);
    page.layout.page(
        format!("Add an activity to {}", pr.number),
        "/strategy",
        &[("Strategy", "/strategy"), (&strategy.name, &href)],
    );
    let (bodies, organisations) = choices(state, &page).await?;
    Ok(FormPage {
        layout: page.layout,
        heading: format!("Add an activity to {} {}", pr.number, pr.title),
        action: format!("/priorities/{priority}/activities"),
        quarters: boxes(strategy.quarters(), &input.quarters),
        input,
        bodies,
        organisations,
        errors,
    })
}

async fn show_new(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&new_page(&state, page, path_id(&id)?, ActivityInput::default(), FieldErrors::new()).await?)
}

async fn add(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let priority = path_id(&id)?;
    let input = activity_input(fields);
    match state.core.add_activity(&page.ctx, page.partnership, Some(priority), &input).await {
        Ok(a) => Ok(done(&format!("/activities/{a}"), "added")),
        Err(CoreError::Invalid(errors)) => render_invalid(&new_page(&state, page, priority, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn edit_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    input: Option<ActivityInput>,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    let v = state.core.activity(&page.ctx, id).await?;
    if !v.can_update {
        return Err(CoreError::Forbidden.into());
    }
    let a = &v.activity;
    let back = format!("/activities/{id}");
    page.layout.page("Change the activity", "/strategy", &[("Strategy", "/strategy"), ("The activity", &back)]);
    let input = input.unwrap_or_else(|| ActivityInput {
        title: a.title.clone(),
        quarters: a.quarters.iter().map(|q| q.code()).collect(),
        body_id: a.body_id.map(|b| b.to_string()).unwrap_or_default(),
        organisation_id: a.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
        lead: a.lead.clone().unwrap_or_default(),
    });
    let range = match &v.strategy {
        Some(s) => s.quarters(),
        None => plan_range(),
    };
    let (bodies, organisations) = choices(state, &page).await?;
    Ok(FormPage {
        layout: page.layout,
        heading: "Change the activity".into(),
        action: format!("/activities/{id}/edit"),
        quarters: boxes(range, &input.quarters),
        input,
        bodies,
        organisations,
        errors,
    })
}

async fn edit(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&edit_page(&state, page, path_id(&id)?, None, FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let input = activity_input(fields);
    match state.core.update_activity(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/activities/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&edit_page(&state, page, id, Some(input), errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "strategy/activity.html")]
struct ActivityPage {
    layout: Layout,
    v: ActivityView,
    input: UpdateInput,
    statuses: Vec<Opt>,
    rags: Vec<Opt>,
    markers: Vec<Opt>,
    errors: FieldErrors,
}

impl ActivityPage {
    fn quarters(&self) -> String {
        self.v.activity.quarters.iter().map(|q| q.words()).collect::<Vec<_>>().join(", ")
    }

    fn rag_class(&self, rag: &Option<Rag>) -> &'static str {
        rag_class(*rag)
    }
}

/// The GOV.UK tag a RAG rating is shown in, as on the plan (its word is always written in it).
pub fn rag_class(rag: Option<Rag>) -> &'static str {
    rag.as_ref().map_or("govuk-tag--grey", crate::handlers::learning::rag_class)
}

async fn activity_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    input: Option<UpdateInput>,
    errors: FieldErrors,
) -> Result<ActivityPage, PageError> {
    let v = state.core.activity(&page.ctx, id).await?;
    let mut crumbs: Vec<(String, String)> = vec![("Strategy".into(), "/strategy".into())];
    if let Some(s) = &v.strategy {
        crumbs.push((s.name.clone(), format!("/strategy/{}", s.id)));
    } else if let (Some(b), Some(name)) = (v.activity.body_id, &v.activity.body_name) {
        crumbs.push((format!("{name}: work plan"), format!("/bodies/{b}/work-plan")));
    }
    let borrowed: Vec<(&str, &str)> = crumbs.iter().map(|(l, h)| (l.as_str(), h.as_str())).collect();
    page.layout.page("Activity", "/strategy", &borrowed);
    let input = input.unwrap_or_else(|| UpdateInput {
        status: v.activity.status.code().to_owned(),
        rag: v.activity.rag.map(|r| r.code().to_owned()).unwrap_or_default(),
        marker: v.activity.marker.map(|m| m.code().to_owned()).unwrap_or_default(),
        marker_reason: v.activity.marker_reason.clone().unwrap_or_default(),
        ..Default::default()
    });
    let mut rags = vec![Opt::new("", "Not rated")];
    rags.extend(Rag::ALL.iter().map(|r| Opt::new(r.code(), r.label())));
    let mut markers = vec![Opt::new("", "None")];
    markers.extend(Marker::ALL.iter().map(|m| Opt::new(m.code(), m.label())));
    Ok(ActivityPage {
        layout: page.layout,
        v,
        input,
        statuses: Opt::choices::<Status>("Select the status"),
        rags,
        markers,
        errors,
    })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&activity_page(&state, page, path_id(&id)?, None, FieldErrors::new()).await?)
}

async fn progress(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<UpdateInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.update_activity_progress(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/activities/{id}#updates"), "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&activity_page(&state, page, id, Some(input), errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "strategy/work_plan.html")]
struct WorkPlanPage {
    layout: Layout,
    plan: WorkPlan,
    input: ActivityInput,
    quarters: Vec<QuarterBox>,
    organisations: Vec<Opt>,
    priorities: Vec<Opt>,
    priority_id: String,
    errors: FieldErrors,
}

impl WorkPlanPage {
    fn quarters_of(&self, a: &assure_core::strategy::Activity) -> String {
        a.quarters.iter().map(|q| q.words()).collect::<Vec<_>>().join(", ")
    }

    fn rag_class(&self, rag: &Option<Rag>) -> &'static str {
        rag_class(*rag)
    }
}

async fn plan_page(
    state: &AppState,
    mut page: Page,
    body: BodyId,
    input: ActivityInput,
    priority_id: String,
    errors: FieldErrors,
) -> Result<WorkPlanPage, PageError> {
    let plan = state.core.work_plan(&page.ctx, body).await?;
    let href = format!("/bodies/{body}");
    page.layout.page(
        format!("{}: work plan", plan.body.name),
        "/bodies",
        &[("Boards and groups", "/bodies"), (&plan.body.name, &href)],
    );
    let mut organisations = vec![Opt::new("", "None")];
    organisations.extend(plan.organisations.iter().map(|(id, n)| Opt::new(id, n.clone())));
    let mut priorities = vec![Opt::new("", "None: the subgroup's own")];
    priorities.extend(plan.priorities.iter().map(|(id, n)| Opt::new(id, n.clone())));
    Ok(WorkPlanPage {
        layout: page.layout,
        quarters: boxes(plan_range(), &input.quarters),
        plan,
        input,
        organisations,
        priorities,
        priority_id,
        errors,
    })
}

async fn work_plan(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let body = BodyId(path_id(&id)?);
    render(&plan_page(&state, page, body, ActivityInput::default(), String::new(), FieldErrors::new()).await?)
}

async fn add_to_plan(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let body = BodyId(path_id(&id)?);
    let priority_raw = fields.iter().find(|(k, _)| k == "priority_id").map(|(_, v)| v.clone()).unwrap_or_default();
    let mut input = activity_input(fields);
    // A work plan's activity is led by its subgroup.
    input.body_id = body.to_string();
    let priority = match priority_raw.trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| PageError::BadRequest)?),
    };
    match state.core.add_activity(&page.ctx, page.partnership, priority, &input).await {
        Ok(a) => Ok(done(&format!("/activities/{a}"), "added")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&plan_page(&state, page, body, input, priority_raw, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}
