//! Accounts: who can sign in, with which roles; disabling, password and second-factor resets,
//! and the partnership's two-step sign-in policy.

use askama::Template;
use assure_core::CoreError;
use assure_core::accounts::User;
use assure_core::accounts::{GrantInput, NewUserInput, UserDetail};
use assure_core::structure::Page as StorePage;
use assure_domain::authz::{ResourceKind, Role};
use assure_domain::{Action, FieldErrors, GrantId, Target, UserId, can};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Empty, Opt, done, path_id, render, render_invalid};
use crate::layout::{Layout, NavEntry, Section};

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    section: Section::Administration,
    href: "/users",
    label: "Accounts",
    needs: Some(ResourceKind::User),
}];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/new", get(new))
        .route("/users/second-factor-policy", get(show_policy).post(save_policy))
        .route("/users/{id}", get(show))
        .route("/users/{id}/grants", post(grant))
        .route("/users/{id}/grants/{grant}/revoke", post(revoke))
        .route("/users/{id}/disable", post(disable))
        .route("/users/{id}/enable", post(enable))
        .route("/users/{id}/reset-password", post(reset_password))
        .route("/users/{id}/reset-second-factor", post(reset_second_factor))
}

#[derive(Template)]
#[template(path = "accounts/users/list.html")]
struct ListPage {
    layout: Layout,
    users: Vec<User>,
    can_create: bool,
    can_set_policy: bool,
}

async fn list(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    let users = state.core.users(&page.ctx, page.partnership).await?;
    page.layout.page("Accounts", "/users", &[]);
    let can_create = can(&page.ctx.actor, Action::Create, &Target::new(ResourceKind::User, page.partnership));
    let can_set_policy =
        can(&page.ctx.actor, Action::Administer, &Target::new(ResourceKind::Partnership, page.partnership));
    render(&ListPage { layout: page.layout, users, can_create, can_set_policy })
}

/// The roles the signed-in user may give: only those they hold themselves.
fn role_options(state: &AppState, page: &Page) -> Vec<Opt> {
    let mut out = vec![Opt::new("", "Select a role")];
    out.extend(state.core.grantable_roles(&page.ctx, page.partnership).iter().map(|r| Opt::new(r.code(), r.label())));
    out
}

async fn scope_options(state: &AppState, page: &Page) -> Result<(Vec<Opt>, Vec<Opt>), PageError> {
    let (orgs, _) = state.core.organisations(&page.ctx, page.partnership, false, StorePage::ALL).await?;
    let (bodies, _) = state.core.bodies(&page.ctx, page.partnership, false, StorePage::ALL).await?;
    let mut o = vec![Opt::new("", "Not needed for this role")];
    o.extend(orgs.iter().map(|x| Opt::new(x.id, x.name.clone())));
    let mut b = vec![Opt::new("", "Not needed for this role")];
    b.extend(bodies.iter().map(|x| Opt::new(x.id, x.name.clone())));
    Ok((o, b))
}

#[derive(Template)]
#[template(path = "accounts/users/new.html")]
struct NewPage {
    layout: Layout,
    input: NewUserInput,
    errors: FieldErrors,
    roles: Vec<Opt>,
    organisations: Vec<Opt>,
    bodies: Vec<Opt>,
}

async fn new_page(
    state: &AppState,
    mut page: Page,
    input: NewUserInput,
    errors: FieldErrors,
) -> Result<NewPage, PageError> {
    let (organisations, bodies) = scope_options(state, &page).await?;
    page.layout.page("Create an account", "/users", &[("Accounts", "/users")]);
    let roles = role_options(state, &page);
    Ok(NewPage { layout: page.layout, input, errors, roles, organisations, bodies })
}

async fn new(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    page.ctx.authorize(Action::Create, &Target::new(ResourceKind::User, page.partnership))?;
    render(&new_page(&state, page, NewUserInput::default(), FieldErrors::new()).await?)
}

#[derive(Template)]
#[template(path = "accounts/users/password.html")]
struct PasswordShownPage {
    layout: Layout,
    heading: &'static str,
    user_id: UserId,
    email: String,
    password: String,
}

async fn create(
    State(state): State<AppState>,
    mut page: Page,
    CsrfForm(mut input): CsrfForm<NewUserInput>,
) -> Result<Response, PageError> {
    // Accounts made here always get a generated temporary password, passed on by the manager.
    input.password = String::new();
    match state.core.create_user(&page.ctx, page.partnership, &input).await {
        Ok((id, password)) => {
            page.layout.page("Account created", "/users", &[("Accounts", "/users")]);
            render(&PasswordShownPage {
                layout: page.layout,
                heading: "Account created",
                user_id: id,
                email: input.email.trim().to_lowercase(),
                password: password.unwrap_or_default(),
            })
        }
        Err(CoreError::Invalid(errors)) => render_invalid(&new_page(&state, page, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "accounts/users/show.html")]
struct ShowPage {
    layout: Layout,
    detail: UserDetail,
    errors: FieldErrors,
    input: GrantInput,
    roles: Vec<Opt>,
    organisations: Vec<Opt>,
    bodies: Vec<Opt>,
    can_administer: bool,
    is_self: bool,
}

async fn show_page(
    state: &AppState,
    mut page: Page,
    id: UserId,
    input: GrantInput,
    errors: FieldErrors,
) -> Result<ShowPage, PageError> {
    let detail = state.core.user_detail(&page.ctx, id).await?;
    let (organisations, bodies) = scope_options(state, &page).await?;
    page.layout.page(detail.user.display_name.clone(), "/users", &[("Accounts", "/users")]);
    let can_administer = can(&page.ctx.actor, Action::Administer, &Target::new(ResourceKind::User, page.partnership));
    let is_self = page.ctx.user_id() == Some(id);
    let roles = role_options(state, &page);
    Ok(ShowPage { layout: page.layout, detail, errors, input, roles, organisations, bodies, can_administer, is_self })
}

async fn show(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    let id = UserId(path_id(&id)?);
    render(&show_page(&state, page, id, GrantInput::default(), FieldErrors::new()).await?)
}

async fn grant(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<GrantInput>,
) -> Result<Response, PageError> {
    let id = UserId(path_id(&id)?);
    state.core.user_detail(&page.ctx, id).await?;
    match state.core.grant_role(&page.ctx, page.partnership, id, &input).await {
        Ok(_) => Ok(done(&format!("/users/{id}"), "granted")),
        Err(CoreError::Invalid(errors)) => render_invalid(&show_page(&state, page, id, input, errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn revoke(
    State(state): State<AppState>,
    page: Page,
    Path((id, grant)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = UserId(path_id(&id)?);
    state.core.revoke_grant(&page.ctx, id, GrantId(path_id(&grant)?)).await?;
    Ok(done(&format!("/users/{id}"), "revoked"))
}

async fn set_disabled(state: AppState, page: Page, id: String, disabled: bool) -> Result<Response, PageError> {
    let id = UserId(path_id(&id)?);
    match state.core.set_user_disabled(&page.ctx, id, disabled).await {
        Ok(()) => Ok(done(&format!("/users/{id}"), if disabled { "disabled" } else { "enabled" })),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&show_page(&state, page, id, GrantInput::default(), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn disable(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    set_disabled(state, page, id, true).await
}

async fn enable(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    set_disabled(state, page, id, false).await
}

async fn reset_password(
    State(state): State<AppState>,
    mut page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = UserId(path_id(&id)?);
    let detail = state.core.user_detail(&page.ctx, id).await?;
    let password = state.core.reset_password(&page.ctx, id, "").await?.unwrap_or_default();
    page.layout.page("Password reset", "/users", &[("Accounts", "/users")]);
    render(&PasswordShownPage {
        layout: page.layout,
        heading: "Password reset",
        user_id: id,
        email: detail.user.email,
        password,
    })
}

async fn reset_second_factor(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = UserId(path_id(&id)?);
    state.core.reset_second_factor(&page.ctx, id).await?;
    Ok(done(&format!("/users/{id}"), "updated"))
}

#[derive(Template)]
#[template(path = "accounts/users/policy.html")]
struct PolicyPage {
    layout: Layout,
    roles: Vec<(Role, bool)>,
}

async fn show_policy(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    page.ctx.authorize(Action::Administer, &Target::new(ResourceKind::Partnership, page.partnership))?;
    let required = state.core.second_factor_roles(&page.ctx, page.partnership).await?;
    page.layout.page("Two-step sign-in policy", "/users", &[("Accounts", "/users")]);
    render(&PolicyPage { layout: page.layout, roles: Role::ALL.iter().map(|r| (*r, required.contains(r))).collect() })
}

async fn save_policy(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let chosen: Vec<&str> = form.iter().filter(|(k, _)| k == "role").map(|(_, v)| v.as_str()).collect();
    for role in Role::ALL {
        state.core.require_second_factor(&page.ctx, page.partnership, role, chosen.contains(&role.code())).await?;
    }
    Ok(done("/users", "policy-saved"))
}
