//! One risk: its page (ratings with their band and direction of travel, the history of every
//! rating with who, when, why, from and to, and its chart; controls; actions on the plan), the
//! business unit's forms to add and edit it, its status and controls, and the review of its
//! rating by its owner or the business unit.

use askama::Template;
use assure_core::CoreError;
use assure_core::risks::{RegisterView, RiskView};
use assure_domain::risks::{ControlInput, RatingInput, RiskInput, Status, StatusInput};
use assure_domain::structure::Choice;
use assure_domain::{ActionId, FieldErrors, RiskControlId, RiskId};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::register_id;
use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Opt, Versioned, changed_since, done, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/risk-registers/{id}/risks", get(show_new).post(add))
        .route("/risks/{id}", get(show).post(update))
        .route("/risks/{id}/edit", get(edit))
        .route("/risks/{id}/review", post(review))
        .route("/risks/{id}/status", post(set_status))
        .route("/risks/{id}/controls", post(add_control))
        .route("/risk-controls/{id}", post(change_control))
        .route("/risk-controls/{id}/remove", post(remove_control))
        .route("/risks/{id}/actions", post(link_action))
        .route("/risks/{id}/actions/{action}/remove", post(unlink_action))
}

/// Errors with one field's messages under another name (a page with two fields of one name).
pub(super) fn renamed(sent: FieldErrors, from: &str, to: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for (field, messages) in sent.iter() {
        for message in messages {
            errors.add(if field == from { to } else { field }, message.clone());
        }
    }
    errors
}

fn risk_id(raw: &str) -> Result<RiskId, PageError> {
    Ok(RiskId(path_id(raw)?))
}

/// The levels of a scale as choices: "3 Likely".
fn levels(blank: &str, levels: &[assure_domain::risks::Level]) -> Vec<Opt> {
    let mut out = vec![Opt::new("", blank)];
    out.extend(levels.iter().enumerate().map(|(i, l)| Opt::new(i + 1, format!("{} {}", i + 1, l.label))));
    out
}

#[derive(Template)]
#[template(path = "risks/form.html")]
struct FormPage {
    layout: Layout,
    register: assure_core::risks::Register,
    /// The risk being edited; `None` while adding one.
    risk: Option<assure_core::risks::Risk>,
    version: String,
    input: RiskInput,
    categories: Vec<Opt>,
    likelihood: Vec<Opt>,
    impact: Vec<Opt>,
    errors: FieldErrors,
}

impl FormPage {
    fn action(&self) -> String {
        match &self.risk {
            Some(r) => format!("/risks/{}", r.id),
            None => format!("/risk-registers/{}/risks", self.register.id),
        }
    }
}

fn form_page(
    mut page: Page,
    view: &RegisterView,
    risk: Option<assure_core::risks::Risk>,
    input: RiskInput,
    errors: FieldErrors,
) -> FormPage {
    let g = &view.register;
    let href = format!("/risk-registers/{}", g.id);
    let title = match &risk {
        Some(r) => format!("Edit risk {}", r.reference),
        None => "Add a risk".to_owned(),
    };
    page.layout.page(title, "/risk-registers", &[("Risk registers", "/risk-registers"), (&g.name, &href)]);
    let mut categories = vec![Opt::new("", "Select the category")];
    categories.extend(view.categories.iter().map(|c| Opt::new(c.id, c.name.clone())));
    let m = &view.matrix.matrix;
    FormPage {
        layout: page.layout,
        register: g.clone(),
        version: risk.as_ref().map(assure_core::version_of).unwrap_or_default(),
        risk,
        input,
        categories,
        likelihood: levels("Select the likelihood", &m.likelihood),
        impact: levels("Select the impact", &m.impact),
        errors,
    }
}

async fn show_new(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let view = state.core.risk_register(&page.ctx, register_id(&id)?).await?;
    if !view.can_edit {
        return Err(CoreError::Forbidden.into());
    }
    let input = RiskInput {
        review_on: (view.today + chrono::Days::new(91)).format("%Y-%m-%d").to_string(),
        ..Default::default()
    };
    render(&form_page(page, &view, None, input, FieldErrors::new()))
}

async fn add(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<RiskInput>,
) -> Result<Response, PageError> {
    let id = register_id(&id)?;
    match state.core.add_risk(&page.ctx, id, &input).await {
        Ok(risk) => Ok(done(&format!("/risks/{risk}"), "risk-added")),
        Err(CoreError::Invalid(errors)) => {
            let view = state.core.risk_register(&page.ctx, id).await?;
            render_invalid(&form_page(page, &view, None, input, errors))
        }
        Err(e) => Err(e.into()),
    }
}

fn input_of(v: &RiskView) -> RiskInput {
    let r = &v.line.risk;
    RiskInput {
        reference: r.reference.clone(),
        category_id: r.category_id.to_string(),
        title: r.title.clone(),
        consequence: r.consequence.clone().unwrap_or_default(),
        owner: r.owner.clone(),
        owner_email: r.owner_email.clone().unwrap_or_default(),
        target_date: r.target_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        review_on: r.review_on.format("%Y-%m-%d").to_string(),
        ..Default::default()
    }
}

async fn edit_page(
    state: &AppState,
    page: Page,
    id: RiskId,
    input: Option<RiskInput>,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    let v = state.core.risk(&page.ctx, id).await?;
    if !v.can_edit {
        return Err(CoreError::Forbidden.into());
    }
    let register = state.core.risk_register(&page.ctx, v.register.id).await?;
    let input = input.unwrap_or_else(|| input_of(&v));
    Ok(form_page(page, &register, Some(v.line.risk), input, errors))
}

async fn edit(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&edit_page(&state, page, risk_id(&id)?, None, FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Versioned<RiskInput>>,
) -> Result<Response, PageError> {
    let id = risk_id(&id)?;
    match state.core.update_risk(&page.ctx, id, &form.input, Some(&form.version)).await {
        Ok(()) => Ok(done(&format!("/risks/{id}"), "risk-saved")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&edit_page(&state, page, id, Some(form.input), errors).await?)
        }
        Err(CoreError::Changed) => {
            render_invalid(&edit_page(&state, page, id, None, changed_since("title", "risk")).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "risks/risk.html")]
struct RiskPage {
    layout: Layout,
    v: RiskView,
    chart: crate::charts::line::Chart,
    rating: RatingInput,
    status: StatusInput,
    statuses: Vec<Opt>,
    control: ControlInput,
    likelihood: Vec<Opt>,
    impact: Vec<Opt>,
    errors: FieldErrors,
}

impl RiskPage {
    fn tag(&self, band: &Option<assure_domain::risks::Band>) -> &'static str {
        super::tag_class(band.as_ref())
    }

    fn review_words(&self) -> String {
        assure_core::risks::review_words(self.v.line.risk.review_on, assure_domain::uk_time::uk_today())
    }
}

/// What the forms on a risk's page were sent, when one comes back with errors.
#[derive(Default)]
struct Sent {
    rating: Option<RatingInput>,
    status: Option<StatusInput>,
    control: Option<ControlInput>,
}

async fn risk_page(
    state: &AppState,
    mut page: Page,
    id: RiskId,
    sent: Sent,
    errors: FieldErrors,
) -> Result<RiskPage, PageError> {
    let v = state.core.risk(&page.ctx, id).await?;
    let g = &v.register;
    let href = format!("/risk-registers/{}", g.id);
    page.layout.page(
        format!("Risk {}: {}", v.line.risk.reference, g.name),
        "/risk-registers",
        &[("Risk registers", "/risk-registers"), (&g.name, &href)],
    );
    let points: Vec<assure_core::intelligence::indicators::Point> = v
        .currents
        .iter()
        .map(|(on, r)| assure_core::intelligence::indicators::Point {
            year: on.format("%Y").to_string(),
            period: on.format("%-d %b %Y").to_string(),
            ours: Some(f64::from(r.score())),
            england: None,
            neighbours: None,
        })
        .collect();
    let chart = crate::charts::line::trend(&points, "Current score", 0, false);
    let current = v.line.current.as_ref().map(|c| c.rating);
    let rating = sent.rating.unwrap_or_else(|| RatingInput {
        current_likelihood: current.map(|c| c.likelihood.to_string()).unwrap_or_default(),
        current_impact: current.map(|c| c.impact.to_string()).unwrap_or_default(),
        ..Default::default()
    });
    let status = sent.status.unwrap_or_else(|| StatusInput {
        status: v.line.risk.status.code().to_owned(),
        reason: v.line.risk.status_reason.clone().unwrap_or_default(),
    });
    let m = &v.matrix.matrix;
    Ok(RiskPage {
        layout: page.layout,
        chart,
        rating,
        status,
        statuses: Opt::choices::<Status>("Select the status"),
        control: sent.control.unwrap_or_default(),
        likelihood: levels("Select the likelihood", &m.likelihood),
        impact: levels("Select the impact", &m.impact),
        v,
        errors,
    })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&risk_page(&state, page, risk_id(&id)?, Sent::default(), FieldErrors::new()).await?)
}

async fn review(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<RatingInput>,
) -> Result<Response, PageError> {
    let id = risk_id(&id)?;
    match state.core.rate_risk(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/risks/{id}#history"), "risk-rated")),
        Err(CoreError::Invalid(errors)) => render_invalid(
            &risk_page(&state, page, id, Sent { rating: Some(input), ..Default::default() }, errors).await?,
        ),
        Err(e) => Err(e.into()),
    }
}

async fn set_status(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<StatusInput>,
) -> Result<Response, PageError> {
    let id = risk_id(&id)?;
    match state.core.set_risk_status(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/risks/{id}"), "risk-status-saved")),
        Err(CoreError::Invalid(errors)) => render_invalid(
            // On the risk's page the status's reason is `status_reason`.
            &risk_page(
                &state,
                page,
                id,
                Sent { status: Some(input), ..Default::default() },
                renamed(errors, "reason", "status_reason"),
            )
            .await?,
        ),
        Err(e) => Err(e.into()),
    }
}

async fn add_control(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<ControlInput>,
) -> Result<Response, PageError> {
    let id = risk_id(&id)?;
    match state.core.add_risk_control(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/risks/{id}#controls"), "risk-control-saved")),
        Err(CoreError::Invalid(errors)) => render_invalid(
            &risk_page(&state, page, id, Sent { control: Some(input), ..Default::default() }, errors).await?,
        ),
        Err(e) => Err(e.into()),
    }
}

async fn change_control(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<ControlInput>,
) -> Result<Response, PageError> {
    let control = RiskControlId(path_id(&id)?);
    match state.core.change_risk_control(&page.ctx, control, Some(&input)).await {
        Ok(risk) => Ok(done(&format!("/risks/{risk}#controls"), "risk-control-saved")),
        Err(CoreError::Invalid(errors)) => {
            // The control's own row shows the message: its risk's page, with the text as sent.
            let risk = state.core.risk_of_control(&page.ctx, control).await?;
            render_invalid(&risk_page(&state, page, risk, Sent::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove_control(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let risk = state.core.change_risk_control(&page.ctx, RiskControlId(path_id(&id)?), None).await?;
    Ok(done(&format!("/risks/{risk}#controls"), "risk-control-saved"))
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct LinkForm {
    #[serde(default)]
    action_id: String,
}

async fn link_action(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> Result<Response, PageError> {
    let id = risk_id(&id)?;
    // Not a number is no action on the plan: the use-case says so, after it has authorized.
    let action = form.action_id.trim().trim_start_matches('#').parse::<i64>().unwrap_or(0);
    let result = state.core.link_risk_action(&page.ctx, id, ActionId(action), true).await;
    match result {
        Ok(()) => Ok(done(&format!("/risks/{id}#actions"), "risk-action-linked")),
        Err(CoreError::Invalid(errors)) => render_invalid(&risk_page(&state, page, id, Sent::default(), errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn unlink_action(
    State(state): State<AppState>,
    page: Page,
    Path((id, action)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = risk_id(&id)?;
    state.core.link_risk_action(&page.ctx, id, ActionId(path_id(&action)?), false).await?;
    Ok(done(&format!("/risks/{id}#actions"), "risk-action-linked"))
}
