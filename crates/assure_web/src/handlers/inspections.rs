//! The inspections' pages: the register (filtered by agency), recording and changing an
//! inspection, an inspection with its judgements and its recommendations on the plan (with their
//! actions), and an agency's grades over time.

use askama::Template;
use assure_core::CoreError;
use assure_core::inspections::{GradeHistory, InspectionView, Register};
use assure_domain::inspections::{InspectionInput, InspectionType, JudgementInput};
use assure_domain::learning::{ActionInput, RecScope, RecommendationInput};
use assure_domain::structure::Choice;
use assure_domain::{FieldErrors, OrganisationId, RecommendationId};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Empty, Opt, done, field, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    section: Section::Partnership,
    href: "/inspections",
    label: "Inspections",
    needs: Some(assure_domain::ResourceKind::Inspection),
}];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections", get(list).post(record))
        .route("/inspections/new", get(new))
        .route("/inspections/agencies/{org}", get(grades))
        .route("/inspections/{id}", get(show).post(update))
        .route("/inspections/{id}/edit", get(edit))
        .route("/inspections/{id}/judgements", post(add_judgement))
        .route("/inspections/{id}/judgements/{judgement}/remove", post(remove_judgement))
        .route("/inspections/{id}/recommendations", post(add_recommendation))
        .route("/inspections/{id}/actions", post(add_action))
}

/// The register's filter as the query sends it.
#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    organisation: String,
}

#[derive(Template)]
#[template(path = "inspections/list.html")]
struct ListPage {
    layout: Layout,
    register: Register,
    organisation: String,
    organisation_options: Vec<Opt>,
    errors: FieldErrors,
}

async fn list(
    State(state): State<AppState>,
    mut page: Page,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let organisation = match q.organisation.trim() {
        "" => None,
        raw => Some(OrganisationId(raw.parse::<i64>().ok().filter(|v| *v > 0).ok_or(PageError::BadRequest)?)),
    };
    let register = match state.core.inspections(&page.ctx, page.partnership, organisation).await {
        Err(CoreError::Invalid(_)) => return Err(PageError::BadRequest),
        other => other?,
    };
    let mut organisation_options = vec![Opt::new("", "Every agency")];
    organisation_options.extend(register.organisations.iter().map(|(id, name)| Opt::new(id, name.clone())));
    page.layout.page("Inspections", "/inspections", &[]);
    render(&ListPage {
        layout: page.layout,
        organisation: q.organisation,
        organisation_options,
        register,
        errors: FieldErrors::new(),
    })
}

#[derive(Template)]
#[template(path = "inspections/form.html")]
struct FormPage {
    layout: Layout,
    /// The inspection being changed; none for a new one.
    id: Option<i64>,
    input: InspectionInput,
    kinds: Vec<Opt>,
    organisations: Vec<(OrganisationId, String)>,
    errors: FieldErrors,
}

impl FormPage {
    fn ticked(&self, id: &OrganisationId) -> bool {
        self.input.organisation_ids.iter().any(|v| v.trim() == id.0.to_string())
    }
}

fn kinds() -> Vec<Opt> {
    let mut out = vec![Opt::new("", "Select the kind of inspection")];
    out.extend(assure_core::inspections::types().types.iter().map(|t| Opt::new(&t.code, t.name.clone())));
    out
}

fn inspection_input(form: &[(String, String)]) -> InspectionInput {
    InspectionInput {
        type_code: field(form, "type_code"),
        title: field(form, "title"),
        organisation_ids: form.iter().filter(|(k, _)| k == "organisation_ids").map(|(_, v)| v.clone()).collect(),
        fieldwork_from: field(form, "fieldwork_from"),
        fieldwork_to: field(form, "fieldwork_to"),
        published_on: field(form, "published_on"),
        link: field(form, "link"),
        summary: field(form, "summary"),
    }
}

async fn form_page(
    state: &AppState,
    mut page: Page,
    id: Option<i64>,
    input: InspectionInput,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    let organisations = state.core.inspection_choices(&page.ctx, page.partnership).await?;
    match id {
        None => page.layout.page("Record an inspection", "/inspections", &[("Inspections", "/inspections")]),
        Some(id) => page.layout.page(
            "Change the inspection",
            "/inspections",
            &[("Inspections", "/inspections"), ("The inspection", &format!("/inspections/{id}"))],
        ),
    }
    Ok(FormPage { layout: page.layout, id, input, kinds: kinds(), organisations, errors })
}

async fn new(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    render(&form_page(&state, page, None, InspectionInput::default(), FieldErrors::new()).await?)
}

async fn record(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let input = inspection_input(&form);
    match state.core.record_inspection(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/inspections/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&form_page(&state, page, None, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn edit(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let view = state.core.inspection(&page.ctx, id).await?;
    if !view.can_edit {
        return Err(PageError::Forbidden);
    }
    let i = view.inspection;
    let input = InspectionInput {
        type_code: i.type_code,
        title: i.title,
        organisation_ids: i.agencies.iter().map(|a| a.id.0.to_string()).collect(),
        fieldwork_from: i.fieldwork_from.to_string(),
        fieldwork_to: i.fieldwork_to.to_string(),
        published_on: i.published_on.map(|d| d.to_string()).unwrap_or_default(),
        link: i.link.unwrap_or_default(),
        summary: i.summary.unwrap_or_default(),
    };
    render(&form_page(&state, page, Some(id), input, FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let input = inspection_input(&form);
    match state.core.update_inspection(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/inspections/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&form_page(&state, page, Some(id), input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "inspections/show.html")]
struct ShowPage {
    layout: Layout,
    view: InspectionView,
    judgement: JudgementInput,
    rec: RecommendationInput,
    act: ActionInput,
    act_recommendation: String,
    grades: Vec<Opt>,
    agencies: Vec<Opt>,
    scopes: Vec<Opt>,
    bodies: Vec<Opt>,
    themes: Vec<Opt>,
    organisations: Vec<Opt>,
    recommendation_options: Vec<Opt>,
    errors: FieldErrors,
}

impl ShowPage {
    fn kind(&self) -> Option<&InspectionType> {
        self.view.kind.as_ref()
    }

    fn grades(&self) -> bool {
        self.kind().is_some_and(InspectionType::grades)
    }
}

/// What the page's forms sent, to show again with their errors.
#[derive(Default)]
struct Forms {
    judgement: JudgementInput,
    rec: RecommendationInput,
    act: ActionInput,
    act_recommendation: String,
}

async fn show_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    forms: Forms,
    errors: FieldErrors,
) -> Result<ShowPage, PageError> {
    let view = state.core.inspection(&page.ctx, id).await?;
    let p = view.inspection.partnership_id;
    let crate::handlers::learning::PlanChoices { bodies, themes, organisations } = if view.can_edit {
        crate::handlers::learning::PlanChoices::of(state, &page.ctx, p).await?
    } else {
        crate::handlers::learning::PlanChoices::none()
    };
    let mut grades = vec![Opt::new("", "Select the grade")];
    if let Some(k) = &view.kind {
        grades.extend(k.scale.iter().map(|g| Opt::new(g, g.clone())));
    }
    let mut agencies = vec![Opt::new("", "The agencies inspected together")];
    agencies.extend(view.inspection.agencies.iter().map(|a| Opt::new(a.id, a.name.clone())));
    let mut recommendation_options = vec![Opt::new("", "Select the recommendation")];
    recommendation_options.extend(
        view.recommendations
            .iter()
            .map(|i| Opt::new(i.recommendation.id, format!("Recommendation {}", i.recommendation.number))),
    );
    page.layout.page(view.inspection.title.clone(), "/inspections", &[("Inspections", "/inspections")]);
    Ok(ShowPage {
        layout: page.layout,
        view,
        judgement: forms.judgement,
        rec: forms.rec,
        act: forms.act,
        act_recommendation: forms.act_recommendation,
        grades,
        agencies,
        scopes: Opt::choices::<RecScope>("Select who it is for"),
        bodies,
        themes,
        organisations,
        recommendation_options,
        errors,
    })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&show_page(&state, page, path_id(&id)?, Forms::default(), FieldErrors::new()).await?)
}

async fn add_judgement(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<JudgementInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_judgement(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/inspections/{id}#judgements"), "added")),
        Err(CoreError::Invalid(errors)) => {
            let forms = Forms { judgement: input, ..Forms::default() };
            render_invalid(&show_page(&state, page, id, forms, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove_judgement(
    State(state): State<AppState>,
    page: Page,
    Path((id, judgement)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    state.core.remove_judgement(&page.ctx, id, path_id(&judgement)?).await?;
    Ok(done(&format!("/inspections/{id}#judgements"), "updated"))
}

async fn add_recommendation(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(rec): CsrfForm<RecommendationInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_inspection_recommendation(&page.ctx, id, &rec).await {
        Ok(_) => Ok(done(&format!("/inspections/{id}#recommendations"), "added")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&show_page(&state, page, id, Forms { rec, ..Forms::default() }, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewActionForm {
    recommendation_id: String,
    #[serde(flatten)]
    action: ActionInput,
}

async fn add_action(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<NewActionForm>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let view = state.core.inspection(&page.ctx, id).await?;
    if !view.can_edit {
        return Err(PageError::Forbidden);
    }
    let rec = form
        .recommendation_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|r| view.recommendations.iter().any(|i| i.recommendation.id == RecommendationId(*r)));
    let result = match rec {
        Some(r) => state.core.add_action(&page.ctx, RecommendationId(r), &form.action).await,
        None => {
            let mut errors = form.action.validate().err().unwrap_or_default();
            errors.add("recommendation_id", "Select the recommendation from the list");
            Err(CoreError::Invalid(errors))
        }
    };
    match result {
        Ok(_) => Ok(done(&format!("/inspections/{id}#recommendations"), "added")),
        Err(CoreError::Invalid(errors)) => {
            let forms = Forms { act: form.action, act_recommendation: form.recommendation_id, ..Forms::default() };
            render_invalid(&show_page(&state, page, id, forms, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "inspections/grades.html")]
struct GradesPage {
    layout: Layout,
    history: GradeHistory,
}

async fn grades(State(state): State<AppState>, mut page: Page, Path(org): Path<String>) -> Result<Response, PageError> {
    let org = OrganisationId(path_id(&org)?);
    let history = state.core.agency_grades(&page.ctx, page.partnership, org).await?;
    page.layout.page(
        format!("{}: grades over time", history.organisation_name),
        "/inspections",
        &[("Inspections", "/inspections")],
    );
    render(&GradesPage { layout: page.layout, history })
}
