//! Signing in and out: the sign-in form (with a double-submit CSRF cookie, since there is no
//! session yet), the second-factor step, and ending sessions.

use askama::Template;
use assure_core::CoreError;
use assure_core::accounts::auth::{SIGN_IN_FAILED, SecondFactor, constant_time_eq, random_token};
use assure_domain::FieldErrors;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ClientInfo, CsrfForm, MaybeUser, Nonce, Page};
use crate::handlers::{Empty, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(show).post(submit))
        .route("/sign-in/second-factor", get(show_second_factor).post(submit_second_factor))
        .route("/sign-out", post(sign_out))
        .route("/sign-out-everywhere", post(sign_out_everywhere))
}

#[derive(Template)]
#[template(path = "accounts/sign_in/show.html")]
struct SignInPage {
    layout: Layout,
    errors: FieldErrors,
    email: String,
    next: String,
    csrf: String,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only local paths: an open redirect would let a phishing link borrow our sign-in page.
/// Where to go after signing in: a local path, else home.
pub(crate) fn safe_next(next: &str) -> String {
    assure_domain::validation::local_path(next).unwrap_or("/").to_owned()
}

/// "1 minute", "5 minutes": how long to wait, rounded up to whole minutes.
fn minutes_text(seconds: u64) -> String {
    match seconds.div_ceil(60) {
        0 | 1 => "1 minute".into(),
        n => format!("{n} minutes"),
    }
}

/// The cookie that deletes `name`: with the same `Secure`, `HttpOnly` and path as the cookie
/// itself, or browsers ignore it (a `__Host-` cookie can only be replaced by a `Secure` one).
fn removal(state: &AppState, name: &'static str) -> Cookie<'static> {
    cookie(state, name, String::new())
}

pub(crate) fn cookie(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Lax)
        .build()
}

async fn show(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
    let csrf = random_token(24);
    let mut layout = Layout::bare("Sign in");
    layout.nonce = nonce;
    let page = SignInPage {
        layout,
        errors: FieldErrors::new(),
        email: String::new(),
        next: safe_next(&q.next),
        csrf: csrf.clone(),
    };
    let jar = jar.add(cookie(&state, state.sign_in_cookie(), csrf));
    Ok((jar, render(&page)?).into_response())
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf_token: String,
}

async fn submit(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    client: ClientInfo,
    MaybeUser(existing): MaybeUser,
    jar: CookieJar,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let expected = jar.get(state.sign_in_cookie()).map(|c| c.value().to_owned()).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(&expected, &form.csrf_token) {
        return Err(PageError::StaleForm);
    }
    let mut errors = FieldErrors::new();
    if form.email.trim().is_empty() {
        errors.add("email", "Enter your email address");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    if errors.is_empty() {
        match state.core.sign_in(&form.email, &form.password, client.ip.clone()).await {
            Ok(session) => {
                // A fresh session id at every sign-in; any session this browser had ends.
                if let Some(old) = existing {
                    state.core.sign_out(&old, client.ip.clone()).await?;
                }
                let jar = jar.remove(removal(&state, state.sign_in_cookie())).add(cookie(
                    &state,
                    state.session_cookie(),
                    session.token,
                ));
                let to = match session.second_factor {
                    SecondFactor::NotNeeded => safe_next(&form.next),
                    SecondFactor::Required => "/sign-in/second-factor".into(),
                    SecondFactor::MustSetUp => "/account/second-factor".into(),
                };
                return Ok((jar, Redirect::to(&to)).into_response());
            }
            Err(CoreError::Unauthenticated) => errors.add(
                "email",
                format!("{SIGN_IN_FAILED}. After 5 failed attempts in a row, the account is locked for 15 minutes."),
            ),
            Err(CoreError::Throttled { retry_after }) => {
                errors.add(
                    "email",
                    format!(
                        "Too many failed sign-ins from your connection. Wait {} and try again.",
                        minutes_text(retry_after)
                    ),
                );
                let mut layout = Layout::bare("Sign in");
                layout.nonce = nonce;
                let page =
                    SignInPage { layout, errors, email: form.email, next: safe_next(&form.next), csrf: expected };
                let mut response = render_invalid(&page)?;
                *response.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
                return Ok(crate::error::with_retry_after(response, retry_after));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let mut layout = Layout::bare("Sign in");
    layout.nonce = nonce;
    let page = SignInPage { layout, errors, email: form.email, next: safe_next(&form.next), csrf: expected };
    render_invalid(&page)
}

#[derive(Template)]
#[template(path = "accounts/sign_in/second_factor.html")]
struct SecondFactorPage {
    layout: Layout,
    errors: FieldErrors,
}

/// A session waiting for its TOTP code.
fn pending(
    user: Option<assure_core::accounts::auth::Authenticated>,
) -> Result<assure_core::accounts::auth::Authenticated, PageError> {
    let auth = user.ok_or(PageError::SignIn("/".into()))?;
    match &auth.session {
        Some(s) if s.second_factor_pending && auth.user.totp_enabled => Ok(auth),
        Some(s) if s.second_factor_pending => Err(PageError::SecondFactor(SecondFactor::MustSetUp)),
        _ => Err(PageError::SignIn("/".into())),
    }
}

async fn show_second_factor(MaybeUser(user): MaybeUser, Nonce(nonce): Nonce) -> Result<Response, PageError> {
    let auth = match pending(user) {
        Ok(auth) => auth,
        Err(PageError::SignIn(_)) => return Ok(Redirect::to("/").into_response()),
        Err(e) => return Err(e),
    };
    let mut layout = Layout::bare("Enter your security code");
    layout.nonce = nonce;
    layout.csrf = auth.session.map(|s| s.csrf_token).unwrap_or_default();
    render(&SecondFactorPage { layout, errors: FieldErrors::new() })
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf_token: String,
}

async fn submit_second_factor(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Nonce(nonce): Nonce,
    client: ClientInfo,
    Form(form): Form<CodeForm>,
) -> Result<Response, PageError> {
    let auth = pending(user)?;
    let csrf = auth.session.as_ref().map(|s| s.csrf_token.clone()).unwrap_or_default();
    if !constant_time_eq(&csrf, &form.csrf_token) {
        return Err(PageError::StaleForm);
    }
    match state.core.verify_second_factor(&auth, &form.code, client.ip).await {
        Ok(()) => Ok(Redirect::to("/").into_response()),
        Err(CoreError::Invalid(errors)) => {
            let mut layout = Layout::bare("Enter your security code");
            layout.nonce = nonce;
            layout.csrf = csrf;
            render_invalid(&SecondFactorPage { layout, errors })
        }
        Err(e) => Err(e.into()),
    }
}

async fn sign_out(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    client: ClientInfo,
    jar: CookieJar,
    Form(form): Form<CodeForm>,
) -> Result<Response, PageError> {
    if let Some(auth) = user {
        let csrf = auth.session.as_ref().map(|s| s.csrf_token.clone()).unwrap_or_default();
        if !constant_time_eq(&csrf, &form.csrf_token) {
            return Err(PageError::StaleForm);
        }
        state.core.sign_out(&auth, client.ip).await?;
    }
    let jar = jar.remove(removal(&state, state.session_cookie()));
    Ok((jar, Redirect::to("/sign-in")).into_response())
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    page: Page,
    client: ClientInfo,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    state.core.sign_out_everywhere(&page.auth, client.ip).await?;
    let jar = jar.remove(removal(&state, state.session_cookie()));
    Ok((jar, Redirect::to("/sign-in")).into_response())
}
