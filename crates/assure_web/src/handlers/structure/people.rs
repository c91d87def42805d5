//! People: members of the partnership's bodies and the agencies' named contacts.

use askama::Template;
use assure_core::CoreError;
use assure_core::structure::person_target;
use assure_core::structure::{Membership, Page as StorePage, Person};
use assure_domain::authz::ResourceKind;
use assure_domain::structure::{Choice, EndInput, PersonInput};
use assure_domain::{Action, FieldErrors, PersonId, Target, can};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::structure::organisations::EndPage;
use crate::handlers::{ListQuery, Opt, Pager, Versioned, changed_since, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] =
    &[NavEntry { section: Section::Partnership, href: "/people", label: "People", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people", get(list).post(create))
        .route("/people/new", get(new))
        .route("/people/{id}", get(show).post(update))
        .route("/people/{id}/edit", get(edit))
        .route("/people/{id}/end", get(show_end).post(end))
}

#[derive(Template)]
#[template(path = "structure/people/list.html")]
struct ListPage {
    layout: Layout,
    people: Vec<Person>,
    pager: Pager,
    can_create: bool,
    include_ended: bool,
}

fn can_create(page: &Page) -> bool {
    // Agency leads may add people to their own organisation, so offer the button to them too.
    can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::Person, page.partnership))
        || page.ctx.actor.grants.iter().any(|g| {
            matches!(g.scope, assure_domain::Scope::Organisation(p, o) if p == page.partnership
                && can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::Person, p).organisation(Some(o))))
        })
}

async fn list(
    State(state): State<AppState>,
    mut page: Page,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let (people, total) =
        state.core.people(&page.ctx, page.partnership, q.include_ended(), Pager::store_page(q.page)).await?;
    page.layout.page("People", "/people", &[]);
    render(&ListPage {
        can_create: can_create(&page),
        layout: page.layout,
        people,
        pager: Pager::new(q.page, total, q.extra()),
        include_ended: q.include_ended(),
    })
}

#[derive(Template)]
#[template(path = "structure/people/show.html")]
struct ShowPage {
    layout: Layout,
    person: Person,
    memberships: Vec<Membership>,
    can_update: bool,
    can_end: bool,
}

async fn show(State(state): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let detail = state.core.person(&page.ctx, PersonId(path_id(&id)?)).await?;
    page.layout.page(detail.person.name.clone(), "/people", &[("People", "/people")]);
    let target = person_target(&detail.person);
    render(&ShowPage {
        can_update: can(&page.ctx.actor, Action::Update, &target),
        can_end: can(&page.ctx.actor, Action::End, &target) && detail.person.ended_on.is_none(),
        layout: page.layout,
        person: detail.person,
        memberships: detail.memberships,
    })
}

#[derive(Template)]
#[template(path = "structure/people/form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    heading: String,
    input: PersonInput,
    errors: FieldErrors,
    organisations: Vec<Opt>,
    restricted: bool,
    /// The version of the person the form was filled from (empty when adding one).
    version: String,
}

async fn form_page(
    state: &AppState,
    mut page: Page,
    existing: Option<&Person>,
    input: PersonInput,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    let (all, _) = state.core.organisations(&page.ctx, page.partnership, false, StorePage::ALL).await?;
    let mut organisations = vec![Opt::new("", "Select the organisation")];
    organisations.extend(all.iter().map(|o| Opt::new(o.id, o.name.clone())));
    let (heading, action) = match existing {
        Some(p) => (format!("Edit {}", p.name), format!("/people/{}", p.id)),
        None => ("Add a person".to_owned(), "/people".to_owned()),
    };
    page.layout.page(heading.clone(), "/people", &[("People", "/people")]);
    let restricted = assure_domain::structure::flag(&input.restricted).unwrap_or(false);
    let version = existing.map(assure_core::version_of).unwrap_or_default();
    Ok(FormPage { layout: page.layout, action, heading, input, errors, organisations, restricted, version })
}

async fn new(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    if !can_create(&page) {
        return Err(PageError::Forbidden);
    }
    render(&form_page(&state, page, None, PersonInput::default(), FieldErrors::new()).await?)
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<PersonInput>,
) -> Result<Response, PageError> {
    match state.core.create_person(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/people/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&form_page(&state, page, None, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

fn input_of(p: &Person) -> PersonInput {
    PersonInput {
        name: p.name.clone(),
        job_title: p.job_title.clone().unwrap_or_default(),
        email: p.email.clone().unwrap_or_default(),
        organisation_id: p.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
        restricted: if p.restricted { "true".into() } else { String::new() },
    }
}

async fn edit(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let detail = state.core.person(&page.ctx, PersonId(path_id(&id)?)).await?;
    page.ctx.authorize(Action::Update, &person_target(&detail.person))?;
    render(&form_page(&state, page, Some(&detail.person), input_of(&detail.person), FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Versioned<PersonInput>>,
) -> Result<Response, PageError> {
    let id = PersonId(path_id(&id)?);
    match state.core.update_person(&page.ctx, id, &form.input, form.seen()).await {
        Ok(()) => Ok(done(&format!("/people/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let detail = state.core.person(&page.ctx, id).await?;
            let mut shown = form_page(&state, page, Some(&detail.person), form.input, errors).await?;
            shown.version = form.version;
            render_invalid(&shown)
        }
        Err(CoreError::Changed) => {
            let detail = state.core.person(&page.ctx, id).await?;
            let input = input_of(&detail.person);
            render_invalid(
                &form_page(&state, page, Some(&detail.person), input, changed_since("name", "person")).await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}

fn end_page(mut page: Page, person: &Person, input: EndInput, errors: FieldErrors) -> EndPage {
    let heading = format!("Record that {} has left", person.name);
    let link = format!("/people/{}", person.id);
    page.layout.page(heading.clone(), "/people", &[("People", "/people"), (&person.name, &link)]);
    EndPage {
        layout: page.layout,
        action: format!("/people/{}/end", person.id),
        heading,
        explanation: "Their memberships stay in the record. End each membership separately if they have also left a board or group.",
        input,
        errors,
    }
}

async fn show_end(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let detail = state.core.person(&page.ctx, PersonId(path_id(&id)?)).await?;
    page.ctx.authorize(Action::End, &person_target(&detail.person))?;
    render(&end_page(page, &detail.person, EndInput::default(), FieldErrors::new()))
}

async fn end(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<EndInput>,
) -> Result<Response, PageError> {
    let id = PersonId(path_id(&id)?);
    match state.core.end_person(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/people/{id}"), "ended")),
        Err(CoreError::Invalid(errors)) => {
            let detail = state.core.person(&page.ctx, id).await?;
            render_invalid(&end_page(page, &detail.person, input, errors))
        }
        Err(e) => Err(e.into()),
    }
}
