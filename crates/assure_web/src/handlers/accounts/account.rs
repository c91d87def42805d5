//! The signed-in user's own account: roles, password, two-step sign-in, partnership switch.

use askama::Template;
use assure_core::CoreError;
use assure_core::accounts::GrantRow;
use assure_core::accounts::auth::{Authenticated, constant_time_eq};
use assure_domain::{FieldErrors, PartnershipId};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ClientInfo, CsrfForm, MaybeUser, Nonce, Page};
use crate::handlers::{done, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(show))
        .route("/account/password", get(show_password).post(change_password))
        .route("/account/second-factor", get(show_second_factor).post(start_second_factor))
        .route("/account/second-factor/confirm", post(confirm_second_factor))
        .route("/account/recovery-codes", post(new_recovery_codes))
        .route("/partnerships/switch", post(switch))
}

#[derive(Template)]
#[template(path = "accounts/account/show.html")]
struct AccountPage {
    layout: Layout,
    email: String,
    grants: Vec<GrantRow>,
    totp_enabled: bool,
}

async fn show(State(state): State<AppState>, mut page: Page) -> Result<Response, PageError> {
    page.layout.page("Your account", "", &[("Home", "/")]);
    let grants = state.core.own_grants(&page.ctx).await?;
    render(&AccountPage {
        email: page.auth.user.email.clone(),
        totp_enabled: page.auth.user.totp_enabled,
        grants,
        layout: page.layout,
    })
}

#[derive(Template)]
#[template(path = "accounts/account/password.html")]
struct PasswordPage {
    layout: Layout,
    errors: FieldErrors,
    /// The current password was chosen by someone else and must be replaced first.
    temporary: bool,
}

async fn show_password(mut page: Page) -> Result<Response, PageError> {
    page.layout.page("Change your password", "", &[("Home", "/"), ("Your account", "/account")]);
    let temporary = page.auth.user.must_change_password;
    render(&PasswordPage { layout: page.layout, errors: FieldErrors::new(), temporary })
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    mut page: Page,
    client: ClientInfo,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, PageError> {
    let result = if form.new_password != form.confirm_password {
        Err(CoreError::field("confirm_password", "The passwords do not match"))
    } else {
        state.core.change_own_password(&page.auth, &form.current_password, &form.new_password, client.ip).await
    };
    match result {
        Ok(()) => Ok(done("/account", "password-changed")),
        Err(CoreError::Invalid(errors)) => {
            page.layout.page("Change your password", "", &[("Home", "/"), ("Your account", "/account")]);
            let temporary = page.auth.user.must_change_password;
            render_invalid(&PasswordPage { layout: page.layout, errors, temporary })
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "accounts/account/second_factor.html")]
struct SecondFactorSetupPage {
    layout: Layout,
    errors: FieldErrors,
    enabled: bool,
    required: bool,
    secret: Option<(String, String)>,
    /// Recovery codes just made, shown this once.
    new_codes: Vec<String>,
    /// Unused recovery codes, when two-step sign-in is on.
    codes_left: i64,
}

/// Set-up is open to a session that is waiting to set up its required second factor, which
/// [`Page`] would turn away.
fn session_user(user: Option<Authenticated>) -> Result<(Authenticated, String), PageError> {
    let auth = user.ok_or(PageError::SignIn("/account/second-factor".into()))?;
    let csrf = auth.session.as_ref().map(|s| s.csrf_token.clone()).ok_or(PageError::SignIn("/".into()))?;
    if auth.session.as_ref().is_some_and(|s| s.second_factor_pending) && auth.user.totp_enabled {
        return Err(PageError::SecondFactor(assure_core::accounts::auth::SecondFactor::Required));
    }
    Ok((auth, csrf))
}

fn setup_layout(nonce: String, csrf: String) -> Layout {
    let mut layout = Layout::bare("Set up two-step sign-in");
    layout.nonce = nonce;
    layout.csrf = csrf;
    layout
}

async fn show_second_factor(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Nonce(nonce): Nonce,
) -> Result<Response, PageError> {
    let (auth, csrf) = session_user(user)?;
    let required = auth.session.as_ref().is_some_and(|s| s.second_factor_pending);
    let codes_left = if auth.user.totp_enabled { state.core.recovery_codes_left(&auth).await? } else { 0 };
    render(&SecondFactorSetupPage {
        layout: setup_layout(nonce, csrf),
        errors: FieldErrors::new(),
        enabled: auth.user.totp_enabled,
        required,
        secret: None,
        new_codes: Vec::new(),
        codes_left,
    })
}

/// New recovery codes for an account with two-step sign-in on, on a current authenticator code.
async fn new_recovery_codes(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Nonce(nonce): Nonce,
    client: ClientInfo,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let (auth, csrf) = session_user(user)?;
    if !constant_time_eq(&csrf, &form.csrf_token) {
        return Err(PageError::StaleForm);
    }
    let page = |errors, new_codes: Vec<String>, codes_left| SecondFactorSetupPage {
        layout: setup_layout(nonce.clone(), csrf.clone()),
        errors,
        enabled: true,
        required: false,
        secret: None,
        codes_left: if new_codes.is_empty() { codes_left } else { new_codes.len() as i64 },
        new_codes,
    };
    match state.core.replace_recovery_codes(&auth, &form.code, client.ip).await {
        Ok(codes) => render(&page(FieldErrors::new(), codes, 0)),
        Err(CoreError::Invalid(errors)) => {
            let left = state.core.recovery_codes_left(&auth).await?;
            render_invalid(&page(errors, Vec::new(), left))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

async fn start_second_factor(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Nonce(nonce): Nonce,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    let (auth, csrf) = session_user(user)?;
    if !constant_time_eq(&csrf, &form.csrf_token) {
        return Err(PageError::StaleForm);
    }
    if auth.user.totp_enabled {
        return Ok(Redirect::to("/account/second-factor").into_response());
    }
    let secret = state.core.begin_totp_setup(&auth).await?;
    let required = auth.session.as_ref().is_some_and(|s| s.second_factor_pending);
    render(&SecondFactorSetupPage {
        layout: setup_layout(nonce, csrf),
        errors: FieldErrors::new(),
        enabled: false,
        required,
        secret: Some(secret),
        new_codes: Vec::new(),
        codes_left: 0,
    })
}

#[derive(Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf_token: String,
}

async fn confirm_second_factor(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Nonce(nonce): Nonce,
    client: ClientInfo,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let (auth, csrf) = session_user(user)?;
    if !constant_time_eq(&csrf, &form.csrf_token) {
        return Err(PageError::StaleForm);
    }
    match state.core.confirm_totp_setup(&auth, &form.code, client.ip).await {
        Ok(codes) => render(&SecondFactorSetupPage {
            layout: setup_layout(nonce, csrf),
            errors: FieldErrors::new(),
            enabled: true,
            required: false,
            secret: None,
            codes_left: codes.len() as i64,
            new_codes: codes,
        }),
        Err(CoreError::Invalid(errors)) => {
            let user = state.core.user_by_email(&auth.user.email).await?;
            let secret = user.totp_secret.map(|s| {
                let url = assure_core::accounts::auth::totp(&s, &user.email).map(|t| t.get_url()).unwrap_or_default();
                (s, url)
            });
            let required = auth.session.as_ref().is_some_and(|s| s.second_factor_pending);
            render_invalid(&SecondFactorSetupPage {
                layout: setup_layout(nonce, csrf),
                errors,
                enabled: false,
                required,
                secret,
                new_codes: Vec::new(),
                codes_left: 0,
            })
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct SwitchForm {
    #[serde(default)]
    partnership_id: String,
}

async fn switch(
    State(state): State<AppState>,
    page: Page,
    CsrfForm(form): CsrfForm<SwitchForm>,
) -> Result<Response, PageError> {
    let id: i64 = form.partnership_id.trim().parse().map_err(|_| PageError::BadRequest)?;
    state.core.switch_partnership(&page.auth, PartnershipId(id)).await?;
    Ok(Redirect::to("/").into_response())
}
