//! Organisations: the partnership's statutory partners, relevant agencies, schools and charities.

use askama::Template;
use assure_core::CoreError;
use assure_core::structure::org_target;
use assure_core::structure::{Organisation, Page as StorePage, Person};
use assure_domain::authz::ResourceKind;
use assure_domain::structure::{Choice, EndInput, OrganisationInput, OrganisationKind, Sector};
use assure_domain::{Action, FieldErrors, OrganisationId, Target, can};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{ListQuery, Opt, Pager, Versioned, changed_since, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] =
    &[NavEntry { section: Section::Partnership, href: "/organisations", label: "Organisations", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(list).post(create))
        .route("/organisations/new", get(new))
        .route("/organisations/{id}", get(show).post(update))
        .route("/organisations/{id}/edit", get(edit))
        .route("/organisations/{id}/end", get(show_end).post(end))
}

#[derive(Template)]
#[template(path = "structure/organisations/list.html")]
struct ListPage {
    layout: Layout,
    organisations: Vec<Organisation>,
    pager: Pager,
    can_create: bool,
    include_ended: bool,
}

async fn list(
    State(state): State<AppState>,
    mut page: Page,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let (organisations, total) =
        state.core.organisations(&page.ctx, page.partnership, q.include_ended(), Pager::store_page(q.page)).await?;
    page.layout.page("Organisations", "/organisations", &[]);
    let can_create = can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::Organisation, page.partnership));
    render(&ListPage {
        layout: page.layout,
        organisations,
        pager: Pager::new(q.page, total, q.extra()),
        can_create,
        include_ended: q.include_ended(),
    })
}

#[derive(Template)]
#[template(path = "structure/organisations/show.html")]
struct ShowPage {
    layout: Layout,
    org: Organisation,
    people: Vec<Person>,
    can_update: bool,
    can_end: bool,
}

async fn show(State(state): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let org = state.core.organisation(&page.ctx, OrganisationId(path_id(&id)?)).await?;
    let (people, _) = state.core.people(&page.ctx, org.partnership_id, false, StorePage::ALL).await?;
    let people = people.into_iter().filter(|p| p.organisation_id == Some(org.id)).collect();
    page.layout.page(org.name.clone(), "/organisations", &[("Organisations", "/organisations")]);
    let target = org_target(&org);
    render(&ShowPage {
        can_update: can(&page.ctx.actor, Action::Update, &target),
        can_end: can(&page.ctx.actor, Action::End, &target) && org.ended_on.is_none(),
        layout: page.layout,
        org,
        people,
    })
}

#[derive(Template)]
#[template(path = "structure/organisations/form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    heading: String,
    input: OrganisationInput,
    errors: FieldErrors,
    kinds: Vec<Opt>,
    sectors: Vec<Opt>,
    parents: Vec<Opt>,
    /// The version of the organisation the form was filled from (empty when adding one).
    version: String,
}

async fn form_page(
    state: &AppState,
    mut page: Page,
    existing: Option<&Organisation>,
    input: OrganisationInput,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    let (all, _) = state.core.organisations(&page.ctx, page.partnership, false, StorePage::ALL).await?;
    let mut parents = vec![Opt::new("", "None: it is not part of another organisation")];
    parents.extend(all.iter().filter(|o| Some(o.id) != existing.map(|e| e.id)).map(|o| Opt::new(o.id, o.name.clone())));
    let (heading, action) = match existing {
        Some(o) => (format!("Edit {}", o.name), format!("/organisations/{}", o.id)),
        None => ("Add an organisation".to_owned(), "/organisations".to_owned()),
    };
    let crumbs: Vec<(String, String)> = match existing {
        Some(o) => vec![
            ("Organisations".into(), "/organisations".into()),
            (o.name.clone(), format!("/organisations/{}", o.id)),
        ],
        None => vec![("Organisations".into(), "/organisations".into())],
    };
    let crumbs: Vec<(&str, &str)> = crumbs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    page.layout.page(heading.clone(), "/organisations", &crumbs);
    Ok(FormPage {
        layout: page.layout,
        action,
        heading,
        input,
        errors,
        kinds: Opt::choices::<OrganisationKind>("Select the kind"),
        sectors: Opt::choices::<Sector>("Select the sector"),
        parents,
        version: existing.map(assure_core::version_of).unwrap_or_default(),
    })
}

async fn new(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    page.ctx.authorize(Action::Create, &Target::new(ResourceKind::Organisation, page.partnership))?;
    render(&form_page(&state, page, None, OrganisationInput::default(), FieldErrors::new()).await?)
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<OrganisationInput>,
) -> Result<Response, PageError> {
    match state.core.create_organisation(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/organisations/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&form_page(&state, page, None, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

fn input_of(o: &Organisation) -> OrganisationInput {
    OrganisationInput {
        name: o.name.clone(),
        kind: o.kind.code().into(),
        sector: o.sector.code().into(),
        parent_id: o.parent_id.map(|p| p.to_string()).unwrap_or_default(),
    }
}

async fn edit(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let org = state.core.organisation(&page.ctx, OrganisationId(path_id(&id)?)).await?;
    page.ctx.authorize(Action::Update, &org_target(&org))?;
    render(&form_page(&state, page, Some(&org), input_of(&org), FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Versioned<OrganisationInput>>,
) -> Result<Response, PageError> {
    let id = OrganisationId(path_id(&id)?);
    match state.core.update_organisation(&page.ctx, id, &form.input, form.seen()).await {
        Ok(()) => Ok(done(&format!("/organisations/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let org = state.core.organisation(&page.ctx, id).await?;
            let mut shown = form_page(&state, page, Some(&org), form.input, errors).await?;
            // The version the person read stays: their next save is checked against it too.
            shown.version = form.version;
            render_invalid(&shown)
        }
        Err(CoreError::Changed) => {
            let org = state.core.organisation(&page.ctx, id).await?;
            render_invalid(
                &form_page(&state, page, Some(&org), input_of(&org), changed_since("name", "organisation")).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "shared/end.html")]
pub struct EndPage {
    pub layout: Layout,
    pub action: String,
    pub heading: String,
    pub explanation: &'static str,
    pub input: EndInput,
    pub errors: FieldErrors,
}

fn end_page(mut page: Page, org: &Organisation, input: EndInput, errors: FieldErrors) -> EndPage {
    let heading = format!("Record that {} has ended", org.name);
    let link = format!("/organisations/{}", org.id);
    page.layout.page(heading.clone(), "/organisations", &[("Organisations", "/organisations"), (&org.name, &link)]);
    EndPage {
        layout: page.layout,
        action: format!("/organisations/{}/end", org.id),
        heading,
        explanation: "The organisation stays in the record, with its history, but no longer appears in current lists.",
        input,
        errors,
    }
}

async fn show_end(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let org = state.core.organisation(&page.ctx, OrganisationId(path_id(&id)?)).await?;
    page.ctx.authorize(Action::End, &org_target(&org))?;
    render(&end_page(page, &org, EndInput::default(), FieldErrors::new()))
}

async fn end(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<EndInput>,
) -> Result<Response, PageError> {
    let id = OrganisationId(path_id(&id)?);
    match state.core.end_organisation(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/organisations/{id}"), "ended")),
        Err(CoreError::Invalid(errors)) => {
            let org = state.core.organisation(&page.ctx, id).await?;
            render_invalid(&end_page(page, &org, input, errors))
        }
        Err(e) => Err(e.into()),
    }
}
