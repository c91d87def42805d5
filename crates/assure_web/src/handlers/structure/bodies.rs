//! Boards, executives, subgroups, forums, task-and-finish groups and SET workstreams, with
//! their versioned terms of reference and their members.

use askama::Template;
use assure_core::CoreError;
use assure_core::structure::{Body, Membership, Page as StorePage};
use assure_core::structure::{BodyDetail, body_target};
use assure_domain::authz::ResourceKind;
use assure_domain::structure::{
    ArmKind, BodyInput, BodyKind, Cadence, Choice, EndInput, MembershipInput, MembershipRole, TermsInput,
};
use assure_domain::{Action, BodyId, FieldErrors, MembershipId, Target, can};
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
    &[NavEntry { section: Section::Partnership, href: "/bodies", label: "Boards and groups", needs: None }];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bodies", get(list).post(create))
        .route("/bodies/new", get(new))
        .route("/bodies/{id}", get(show).post(update))
        .route("/bodies/{id}/edit", get(edit))
        .route("/bodies/{id}/end", get(show_end).post(end))
        .route("/bodies/{id}/terms", get(new_terms).post(add_terms))
        .route("/bodies/{id}/members", get(new_member).post(add_member))
        .route("/memberships/{id}", get(edit_membership).post(update_membership))
        .route("/memberships/{id}/end", get(show_end_membership).post(end_membership))
}

#[derive(Template)]
#[template(path = "structure/bodies/list.html")]
struct ListPage {
    layout: Layout,
    bodies: Vec<Body>,
    pager: Pager,
    can_create: bool,
    include_ended: bool,
}

async fn list(
    State(state): State<AppState>,
    mut page: Page,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let (bodies, total) =
        state.core.bodies(&page.ctx, page.partnership, q.include_ended(), Pager::store_page(q.page)).await?;
    page.layout.page("Boards and groups", "/bodies", &[]);
    let can_create = can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::Body, page.partnership));
    render(&ListPage {
        layout: page.layout,
        bodies,
        pager: Pager::new(q.page, total, q.extra()),
        can_create,
        include_ended: q.include_ended(),
    })
}

#[derive(Template)]
#[template(path = "structure/bodies/show.html")]
struct ShowPage {
    layout: Layout,
    detail: BodyDetail,
    can_update: bool,
    can_end: bool,
    can_add_terms: bool,
    can_add_member: bool,
    can_change_members: bool,
}

async fn show(State(state): State<AppState>, mut page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let detail = state.core.body(&page.ctx, BodyId(path_id(&id)?)).await?;
    page.layout.page(detail.body.name.clone(), "/bodies", &[("Boards and groups", "/bodies")]);
    let b = &detail.body;
    let actor = &page.ctx.actor;
    let target = body_target(b);
    let sub = |kind| Target::new(kind, b.partnership_id).body(Some(b.id)).restricted(b.restricted);
    render(&ShowPage {
        can_update: can(actor, Action::Update, &target),
        can_end: can(actor, Action::End, &target) && b.ended_on.is_none(),
        can_add_terms: can(actor, Action::Create, &sub(ResourceKind::TermsOfReference)),
        can_add_member: can(actor, Action::Create, &sub(ResourceKind::Membership)),
        can_change_members: can(actor, Action::Update, &sub(ResourceKind::Membership)),
        layout: page.layout,
        detail,
    })
}

#[derive(Template)]
#[template(path = "structure/bodies/form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    heading: String,
    input: BodyInput,
    errors: FieldErrors,
    kinds: Vec<Opt>,
    arms: Vec<Opt>,
    cadences: Vec<Opt>,
    parents: Vec<Opt>,
    restricted: bool,
    /// The version of the body the form was filled from (empty when adding one).
    version: String,
}

async fn form_page(
    state: &AppState,
    mut page: Page,
    existing: Option<&Body>,
    input: BodyInput,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    let (all, _) = state.core.bodies(&page.ctx, page.partnership, false, StorePage::ALL).await?;
    let mut parents = vec![Opt::new("", "None: it reports to no other body")];
    parents.extend(all.iter().filter(|b| Some(b.id) != existing.map(|e| e.id)).map(|b| Opt::new(b.id, b.name.clone())));
    let (heading, action) = match existing {
        Some(b) => (format!("Edit {}", b.name), format!("/bodies/{}", b.id)),
        None => ("Add a board or group".to_owned(), "/bodies".to_owned()),
    };
    page.layout.page(heading.clone(), "/bodies", &[("Boards and groups", "/bodies")]);
    let mut arms = vec![Opt::new("both", "Both arms")];
    arms.extend(ArmKind::ALL.iter().map(|a| Opt::new(a.code(), a.label())));
    let restricted = assure_domain::structure::flag(&input.restricted).unwrap_or(false);
    Ok(FormPage {
        layout: page.layout,
        action,
        heading,
        input,
        errors,
        kinds: Opt::choices::<BodyKind>("Select the kind"),
        arms,
        cadences: Opt::choices::<Cadence>("Select how often it meets"),
        parents,
        restricted,
        version: existing.map(assure_core::version_of).unwrap_or_default(),
    })
}

async fn new(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    page.ctx.authorize(Action::Create, &Target::new(ResourceKind::Body, page.partnership))?;
    render(&form_page(&state, page, None, BodyInput::default(), FieldErrors::new()).await?)
}

async fn create(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(input): CsrfForm<BodyInput>,
) -> Result<Response, PageError> {
    match state.core.create_body(&page.ctx, page.partnership, &input).await {
        Ok(id) => Ok(done(&format!("/bodies/{id}"), "created")),
        Err(CoreError::Invalid(errors)) => render_invalid(&form_page(&state, page, None, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

fn input_of(b: &Body) -> BodyInput {
    BodyInput {
        name: b.name.clone(),
        kind: b.kind.code().into(),
        arm: b.arm.map(|a| a.code()).unwrap_or("both").into(),
        parent_id: b.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        purpose: b.purpose.clone().unwrap_or_default(),
        cadence: b.cadence.code().into(),
        restricted: if b.restricted { "true".into() } else { String::new() },
    }
}

async fn edit(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let detail = state.core.body(&page.ctx, BodyId(path_id(&id)?)).await?;
    page.ctx.authorize(Action::Update, &body_target(&detail.body))?;
    render(&form_page(&state, page, Some(&detail.body), input_of(&detail.body), FieldErrors::new()).await?)
}

async fn update(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Versioned<BodyInput>>,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    match state.core.update_body(&page.ctx, id, &form.input, form.seen()).await {
        Ok(()) => Ok(done(&format!("/bodies/{id}"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            let detail = state.core.body(&page.ctx, id).await?;
            let mut shown = form_page(&state, page, Some(&detail.body), form.input, errors).await?;
            shown.version = form.version;
            render_invalid(&shown)
        }
        Err(CoreError::Changed) => {
            let body = state.core.body(&page.ctx, id).await?.body;
            render_invalid(&form_page(&state, page, Some(&body), input_of(&body), changed_since("name", "body")).await?)
        }
        Err(e) => Err(e.into()),
    }
}

fn end_page(mut page: Page, body: &Body, input: EndInput, errors: FieldErrors) -> EndPage {
    let heading = format!("Stand down {}", body.name);
    let link = format!("/bodies/{}", body.id);
    page.layout.page(heading.clone(), "/bodies", &[("Boards and groups", "/bodies"), (&body.name, &link)]);
    EndPage {
        layout: page.layout,
        action: format!("/bodies/{}/end", body.id),
        heading,
        explanation: "The body keeps its history, terms of reference and memberships, but no longer appears in current lists.",
        input,
        errors,
    }
}

async fn show_end(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let detail = state.core.body(&page.ctx, BodyId(path_id(&id)?)).await?;
    page.ctx.authorize(Action::End, &body_target(&detail.body))?;
    render(&end_page(page, &detail.body, EndInput::default(), FieldErrors::new()))
}

async fn end(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<EndInput>,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    match state.core.end_body(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/bodies/{id}"), "ended")),
        Err(CoreError::Invalid(errors)) => {
            let detail = state.core.body(&page.ctx, id).await?;
            render_invalid(&end_page(page, &detail.body, input, errors))
        }
        Err(e) => Err(e.into()),
    }
}

// --- terms of reference ----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "structure/bodies/terms.html")]
struct TermsPage {
    layout: Layout,
    body: Body,
    input: TermsInput,
    errors: FieldErrors,
}

fn terms_page(mut page: Page, body: Body, input: TermsInput, errors: FieldErrors) -> TermsPage {
    let link = format!("/bodies/{}", body.id);
    page.layout.page(
        "New version of the terms of reference",
        "/bodies",
        &[("Boards and groups", "/bodies"), (&body.name, &link)],
    );
    TermsPage { layout: page.layout, body, input, errors }
}

async fn new_terms(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let detail = state.core.body(&page.ctx, BodyId(path_id(&id)?)).await?;
    let b = &detail.body;
    page.ctx.authorize(
        Action::Create,
        &Target::new(ResourceKind::TermsOfReference, b.partnership_id).body(Some(b.id)).restricted(b.restricted),
    )?;
    let input = TermsInput {
        text: detail.terms.first().map(|t| t.text.clone()).unwrap_or_default(),
        effective_from: String::new(),
    };
    render(&terms_page(page, detail.body, input, FieldErrors::new()))
}

async fn add_terms(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<TermsInput>,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    match state.core.add_terms(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/bodies/{id}"), "added")),
        Err(CoreError::Invalid(errors)) => {
            let detail = state.core.body(&page.ctx, id).await?;
            render_invalid(&terms_page(page, detail.body, input, errors))
        }
        Err(e) => Err(e.into()),
    }
}

// --- memberships -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "structure/bodies/member.html")]
struct MemberPage {
    layout: Layout,
    heading: String,
    action: String,
    input: MembershipInput,
    errors: FieldErrors,
    people: Vec<Opt>,
    organisations: Vec<Opt>,
    roles: Vec<Opt>,
    /// The version of the membership the form was filled from (empty when adding one).
    version: String,
}

async fn member_page(
    state: &AppState,
    mut page: Page,
    body: &Body,
    membership: Option<&Membership>,
    input: MembershipInput,
    errors: FieldErrors,
) -> Result<MemberPage, PageError> {
    let (people, _) = state.core.people(&page.ctx, body.partnership_id, false, StorePage::ALL).await?;
    let (orgs, _) = state.core.organisations(&page.ctx, body.partnership_id, false, StorePage::ALL).await?;
    let mut people_opts = vec![Opt::new("", "Select the person")];
    people_opts.extend(people.iter().map(|p| {
        let org = p.organisation_name.as_deref().map(|o| format!(" ({o})")).unwrap_or_default();
        Opt::new(p.id, format!("{}{org}", p.name))
    }));
    let mut org_opts = vec![Opt::new("", "Not representing an organisation")];
    org_opts.extend(orgs.iter().map(|o| Opt::new(o.id, o.name.clone())));
    let (heading, action) = match membership {
        Some(m) => {
            (format!("Change {}'s membership of {}", m.person_name, body.name), format!("/memberships/{}", m.id))
        }
        None => (format!("Add a member to {}", body.name), format!("/bodies/{}/members", body.id)),
    };
    let link = format!("/bodies/{}", body.id);
    page.layout.page(heading.clone(), "/bodies", &[("Boards and groups", "/bodies"), (&body.name, &link)]);
    Ok(MemberPage {
        layout: page.layout,
        heading,
        action,
        input,
        errors,
        people: people_opts,
        organisations: org_opts,
        roles: Opt::choices::<MembershipRole>("Select the role"),
        version: membership.map(assure_core::version_of).unwrap_or_default(),
    })
}

async fn new_member(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let detail = state.core.body(&page.ctx, BodyId(path_id(&id)?)).await?;
    let b = &detail.body;
    page.ctx.authorize(
        Action::Create,
        &Target::new(ResourceKind::Membership, b.partnership_id).body(Some(b.id)).restricted(b.restricted),
    )?;
    render(&member_page(&state, page, &detail.body, None, MembershipInput::default(), FieldErrors::new()).await?)
}

async fn add_member(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<MembershipInput>,
) -> Result<Response, PageError> {
    let id = BodyId(path_id(&id)?);
    match state.core.add_membership(&page.ctx, id, &input).await {
        Ok(_) => Ok(done(&format!("/bodies/{id}"), "added")),
        Err(CoreError::Invalid(errors)) => {
            let detail = state.core.body(&page.ctx, id).await?;
            render_invalid(&member_page(&state, page, &detail.body, None, input, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

fn membership_input(m: &Membership) -> MembershipInput {
    MembershipInput {
        person_id: m.person_id.to_string(),
        organisation_id: m.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
        role: m.role.code().into(),
        from_date: m.from_date.to_string(),
        to_date: m.to_date.map(|d| d.to_string()).unwrap_or_default(),
    }
}

async fn edit_membership(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let m = state.core.membership(&page.ctx, MembershipId(path_id(&id)?)).await?;
    let detail = state.core.body(&page.ctx, m.body_id).await?;
    let b = &detail.body;
    page.ctx.authorize(
        Action::Update,
        &Target::new(ResourceKind::Membership, b.partnership_id).body(Some(b.id)).restricted(b.restricted),
    )?;
    render(&member_page(&state, page, &detail.body, Some(&m), membership_input(&m), FieldErrors::new()).await?)
}

async fn update_membership(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Versioned<MembershipInput>>,
) -> Result<Response, PageError> {
    let id = MembershipId(path_id(&id)?);
    match state.core.update_membership(&page.ctx, id, &form.input, form.seen()).await {
        Ok(()) => {
            let m = state.core.membership(&page.ctx, id).await?;
            Ok(done(&format!("/bodies/{}", m.body_id), "updated"))
        }
        Err(CoreError::Invalid(errors)) => {
            let m = state.core.membership(&page.ctx, id).await?;
            let detail = state.core.body(&page.ctx, m.body_id).await?;
            let mut shown = member_page(&state, page, &detail.body, Some(&m), form.input, errors).await?;
            shown.version = form.version;
            render_invalid(&shown)
        }
        Err(CoreError::Changed) => {
            let m = state.core.membership(&page.ctx, id).await?;
            let detail = state.core.body(&page.ctx, m.body_id).await?;
            let changed = changed_since("person_id", "membership");
            render_invalid(&member_page(&state, page, &detail.body, Some(&m), membership_input(&m), changed).await?)
        }
        Err(e) => Err(e.into()),
    }
}

fn end_membership_page(mut page: Page, m: &Membership, input: EndInput, errors: FieldErrors) -> EndPage {
    let heading = format!("End {}'s membership of {}", m.person_name, m.body_name);
    let link = format!("/bodies/{}", m.body_id);
    page.layout.page(heading.clone(), "/bodies", &[("Boards and groups", "/bodies"), (&m.body_name, &link)]);
    EndPage {
        layout: page.layout,
        action: format!("/memberships/{}/end", m.id),
        heading,
        explanation: "The membership stays in the record, so attendance and decisions keep their history.",
        input,
        errors,
    }
}

async fn show_end_membership(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let m = state.core.membership(&page.ctx, MembershipId(path_id(&id)?)).await?;
    let detail = state.core.body(&page.ctx, m.body_id).await?;
    let b = &detail.body;
    page.ctx.authorize(
        Action::End,
        &Target::new(ResourceKind::Membership, b.partnership_id).body(Some(b.id)).restricted(b.restricted),
    )?;
    render(&end_membership_page(page, &m, EndInput::default(), FieldErrors::new()))
}

async fn end_membership(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<EndInput>,
) -> Result<Response, PageError> {
    let id = MembershipId(path_id(&id)?);
    match state.core.end_membership(&page.ctx, id, &input).await {
        Ok(()) => {
            let m = state.core.membership(&page.ctx, id).await?;
            Ok(done(&format!("/bodies/{}", m.body_id), "ended"))
        }
        Err(CoreError::Invalid(errors)) => {
            let m = state.core.membership(&page.ctx, id).await?;
            render_invalid(&end_membership_page(page, &m, input, errors))
        }
        Err(e) => Err(e.into()),
    }
}
