//! The scrutiny report's record of scrutiny in the pages: what the scrutineer examined (each
//! piece with its method, day and findings) and their recommendations, which they record and
//! remove while the report is a draft; and each partner's response to a recommendation, which
//! the business unit records.

use askama::Template;
use assure_core::CoreError;
use assure_core::reports::{Recommendation, ScrutinyWork, addressed_to};
use assure_domain::FieldErrors;
use assure_domain::reports::{ActivityInput, Method, PartnerResponseInput, RecommendationInput, Stance};
use assure_domain::structure::Choice;
use assure_domain::validation::long_date;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Empty, Opt, done, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports/{id}/scrutiny", get(show))
        .route("/reports/{id}/scrutiny/activities", post(add_activity))
        .route("/reports/{id}/scrutiny/activities/{activity}/remove", post(remove_activity))
        .route("/reports/{id}/scrutiny/recommendations", post(add_recommendation))
        .route("/reports/{id}/scrutiny/recommendations/{rec}", get(response).post(respond))
        .route("/reports/{id}/scrutiny/recommendations/{rec}/remove", post(remove_recommendation))
}

#[derive(Template)]
#[template(path = "reports/scrutiny.html")]
struct ScrutinyPage {
    layout: Layout,
    work: ScrutinyWork,
    id: i64,
    activity: ActivityInput,
    recommendation: RecommendationInput,
    methods: Vec<Opt>,
    partners: Vec<Opt>,
    errors: FieldErrors,
}

impl ScrutinyPage {
    /// The scrutineer may record and remove now (theirs to write, and a draft).
    fn writable(&self) -> bool {
        self.work.can_write && self.work.locked.is_none()
    }

    fn respondable(&self) -> bool {
        self.work.can_respond && self.work.responses_refused().is_none()
    }

    fn day(&self, d: &chrono::NaiveDate) -> String {
        long_date(*d)
    }

    fn to(&self, r: &Recommendation) -> String {
        addressed_to(r)
    }

    fn paragraphs(&self, text: &str) -> Vec<String> {
        assure_domain::reports::paragraphs(text)
    }
}

/// What the forms keep after a refused input.
#[derive(Default)]
struct Inputs {
    activity: ActivityInput,
    recommendation: RecommendationInput,
}

async fn scrutiny_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    inputs: Inputs,
    errors: FieldErrors,
) -> Result<ScrutinyPage, PageError> {
    let work = state.core.report_scrutiny(&page.ctx, id).await?;
    let back = format!("/reports/{id}");
    page.layout.page(
        "What was examined, and the recommendations",
        "/reports",
        &[("Yearly reports", "/reports"), (&work.report.title, &back)],
    );
    let mut methods = vec![Opt::new("", "Choose")];
    methods.extend(Method::ALL.iter().map(|m| Opt::new(m.code(), m.label())));
    let mut partners = vec![Opt::new("", "The safeguarding partners together")];
    partners.extend(work.partners.iter().map(|(p, name)| Opt::new(p.to_string(), name.clone())));
    Ok(ScrutinyPage {
        layout: page.layout,
        work,
        id,
        activity: inputs.activity,
        recommendation: inputs.recommendation,
        methods,
        partners,
        errors,
    })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&scrutiny_page(&state, page, path_id(&id)?, Inputs::default(), FieldErrors::new()).await?)
}

async fn add_activity(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<ActivityInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_scrutiny_activity(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/reports/{id}/scrutiny#examined"), "item-added")),
        Err(CoreError::Invalid(errors)) => render_invalid(
            &scrutiny_page(&state, page, id, Inputs { activity: input, ..Inputs::default() }, errors).await?,
        ),
        Err(e) => Err(e.into()),
    }
}

async fn remove_activity(
    State(state): State<AppState>,
    page: Page,
    Path((id, activity)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.remove_scrutiny_activity(&page.ctx, id, path_id(&activity)?).await {
        Ok(()) => Ok(done(&format!("/reports/{id}/scrutiny#examined"), "item-removed")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&scrutiny_page(&state, page, id, Inputs::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_recommendation(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<RecommendationInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.add_report_recommendation(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/reports/{id}/scrutiny#recommendations"), "item-added")),
        Err(CoreError::Invalid(errors)) => render_invalid(
            &scrutiny_page(&state, page, id, Inputs { recommendation: input, ..Inputs::default() }, errors).await?,
        ),
        Err(e) => Err(e.into()),
    }
}

async fn remove_recommendation(
    State(state): State<AppState>,
    page: Page,
    Path((id, rec)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    match state.core.remove_report_recommendation(&page.ctx, id, path_id(&rec)?).await {
        Ok(()) => Ok(done(&format!("/reports/{id}/scrutiny#recommendations"), "item-removed")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&scrutiny_page(&state, page, id, Inputs::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The form of a partner's response to one recommendation.
#[derive(Template)]
#[template(path = "reports/scrutiny_response.html")]
struct ResponsePage {
    layout: Layout,
    title: String,
    id: i64,
    number: usize,
    rec: Recommendation,
    input: PartnerResponseInput,
    stances: Vec<Opt>,
    errors: FieldErrors,
}

async fn response_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    rec: i64,
    input: Option<PartnerResponseInput>,
    errors: FieldErrors,
) -> Result<ResponsePage, PageError> {
    let work = state.core.report_scrutiny(&page.ctx, id).await?;
    if !work.can_respond {
        return Err(PageError::Forbidden);
    }
    let (n, found) = work.recommendations.iter().enumerate().find(|(_, r)| r.id == rec).ok_or(PageError::NotFound)?;
    let input = input.unwrap_or_else(|| match &found.response {
        Some(r) => PartnerResponseInput {
            stance: r.stance.code().to_owned(),
            response: r.response.clone(),
            responded_by: r.responded_by.clone(),
            responded_on: r.responded_on.to_string(),
        },
        None => PartnerResponseInput::default(),
    });
    let back = format!("/reports/{id}/scrutiny");
    page.layout.page(
        "Record the partner's response",
        "/reports",
        &[("Yearly reports", "/reports"), (&work.report.title, &back)],
    );
    let mut stances = vec![Opt::new("", "Choose")];
    stances.extend(Stance::ALL.iter().map(|s| Opt::new(s.code(), s.label())));
    Ok(ResponsePage {
        layout: page.layout,
        title: work.report.title.clone(),
        id,
        number: n + 1,
        rec: found.clone(),
        input,
        stances,
        errors,
    })
}

impl ResponsePage {
    fn to(&self) -> String {
        addressed_to(&self.rec)
    }
}

async fn response(
    State(state): State<AppState>,
    page: Page,
    Path((id, rec)): Path<(String, String)>,
) -> Result<Response, PageError> {
    render(&response_page(&state, page, path_id(&id)?, path_id(&rec)?, None, FieldErrors::new()).await?)
}

async fn respond(
    State(state): State<AppState>,
    page: Page,
    Path((id, rec)): Path<(String, String)>,
    CsrfForm(input): CsrfForm<PartnerResponseInput>,
) -> Result<Response, PageError> {
    let (id, rec) = (path_id(&id)?, path_id(&rec)?);
    match state.core.respond_to_report_recommendation(&page.ctx, id, rec, &input).await {
        Ok(()) => Ok(done(&format!("/reports/{id}/scrutiny#recommendation-{rec}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&response_page(&state, page, id, rec, Some(input), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}
