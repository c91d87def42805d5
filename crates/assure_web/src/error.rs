//! The HTTP error boundary. Browser routes get an HTML page; `/api/v1` gets RFC 9457
//! `application/problem+json`. A 5xx never shows its cause: it is logged here, once, with the
//! request id, and the client sees a generic message.

use askama::Template;
use assure_core::CoreError;
use assure_domain::FieldErrors;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::layout::Layout;

/// An error on a page route.
#[derive(Debug)]
pub enum PageError {
    NotFound,
    Forbidden,
    /// Not signed in: go to the sign-in page and come back.
    SignIn(String),
    /// The form's CSRF token did not match the session's.
    StaleForm,
    /// Signed in, but the second factor is still to give (or to set up).
    SecondFactor(assure_core::accounts::auth::SecondFactor),
    /// Signed in with a password someone else chose: it must be changed first.
    ChangePassword,
    /// Signed in, but the account holds no role in any partnership.
    NoPartnership,
    /// The body could not be read as a form.
    BadRequest,
    /// The body is larger than the configured limit.
    TooLarge,
    /// Too many attempts: try again after this many seconds.
    Throttled(u64),
    /// At capacity: try again after this many seconds.
    Busy(u64),
    /// Someone else changed the record since the form was filled.
    Changed,
    Internal(String),
}

impl From<CoreError> for PageError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound => PageError::NotFound,
            CoreError::Forbidden => PageError::Forbidden,
            CoreError::Unauthenticated => PageError::SignIn("/".into()),
            CoreError::Throttled { retry_after } => PageError::Throttled(retry_after),
            CoreError::Busy { retry_after } => PageError::Busy(retry_after),
            CoreError::Changed => PageError::Changed,
            // A use-case that reports invalid input where the handler has no form to re-render
            // is a programming error, not the user's.
            CoreError::Invalid(errors) => PageError::Internal(format!("unhandled validation errors: {errors:?}")),
            CoreError::Internal(message) => PageError::Internal(message),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: &'static str,
    message: &'static str,
}

pub(crate) fn error_page(status: StatusCode, heading: &'static str, message: &'static str) -> Response {
    let page = ErrorPage { layout: Layout::bare(heading), heading, message };
    match page.render() {
        Ok(html) => (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(_) => (status, heading).into_response(),
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::NotFound => error_page(
                StatusCode::NOT_FOUND,
                "Page not found",
                "If you typed the web address, check it is correct. If you followed a link, the record may have been removed or you may not have access to it.",
            ),
            PageError::Forbidden => error_page(
                StatusCode::FORBIDDEN,
                "You cannot make this change",
                "Your role lets you see this record but not change it. Ask your partnership's business unit if you need to.",
            ),
            PageError::SignIn(next) => {
                let next = crate::handlers::accounts::sign_in::safe_next(&next);
                Redirect::to(&format!("/sign-in?next={}", urlencode(&next))).into_response()
            }
            PageError::StaleForm => error_page(
                StatusCode::FORBIDDEN,
                "This form has expired",
                "For your security, forms only work for the session they were shown in. Go back, reload the page and try again.",
            ),
            PageError::SecondFactor(assure_core::accounts::auth::SecondFactor::MustSetUp) => {
                Redirect::to("/account/second-factor").into_response()
            }
            PageError::SecondFactor(_) => Redirect::to("/sign-in/second-factor").into_response(),
            PageError::ChangePassword => Redirect::to("/account/password").into_response(),
            PageError::NoPartnership => error_page(
                StatusCode::FORBIDDEN,
                "Your account has no role yet",
                "Ask your partnership's business unit to give your account a role.",
            ),
            PageError::BadRequest => error_page(
                StatusCode::BAD_REQUEST,
                "The form could not be read",
                "Go back, reload the page and try again.",
            ),
            PageError::TooLarge => error_page(
                StatusCode::PAYLOAD_TOO_LARGE,
                "What you sent is too large",
                "Shorten the text or split it up, then try again.",
            ),
            PageError::Throttled(seconds) => with_retry_after(
                error_page(StatusCode::TOO_MANY_REQUESTS, "Too many attempts", "Wait a few minutes and try again."),
                seconds,
            ),
            PageError::Busy(seconds) => with_retry_after(
                error_page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The service is busy",
                    "Too many people are using Assure at this moment. Wait a few seconds and try again. Nothing you entered has been saved.",
                ),
                seconds,
            ),
            PageError::Changed => error_page(
                StatusCode::CONFLICT,
                "Someone else changed this",
                "Someone else changed this record while you were working on it, so nothing you entered has been saved. Go back, reload the page to see their version, and make your change again.",
            ),
            PageError::Internal(message) => {
                tracing::error!(error = %message, "internal error on a page route");
                error_page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    "Try again later. Nothing you entered has been saved.",
                )
            }
        }
    }
}

/// Adds `Retry-After` (in seconds) to a 429 or 503.
pub(crate) fn with_retry_after(mut response: Response, seconds: u64) -> Response {
    response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(seconds.max(1)));
    response
}

pub(crate) fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|e| e.trim_start_matches('=').to_owned()).unwrap_or_default()
}

/// RFC 9457 problem details, with field errors for 422.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// The kind of problem, in a few words.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What is wrong, for a person to read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Field name → messages, when the request was not valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub errors: Option<FieldErrors>,
}

#[derive(Debug)]
pub enum ApiError {
    Core(CoreError),
    Unauthenticated,
    /// The account's password was set by someone else and has not been changed yet.
    ChangePassword,
    BadRequest(String),
    TooLarge,
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        ApiError::Core(e)
    }
}

impl From<FieldErrors> for ApiError {
    fn from(e: FieldErrors) -> Self {
        ApiError::Core(CoreError::Invalid(e))
    }
}

fn problem(
    status: StatusCode,
    slug: &str,
    title: &str,
    detail: Option<String>,
    errors: Option<FieldErrors>,
) -> Response {
    let body = Problem {
        kind: format!("/api/v1/problems/{slug}"),
        title: title.into(),
        status: status.as_u16(),
        detail,
        errors,
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/problem+json")], json).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Unauthenticated | ApiError::Core(CoreError::Unauthenticated) => {
                let mut r = problem(
                    StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    "A valid bearer token is required",
                    None,
                    None,
                );
                r.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
                r
            }
            ApiError::ChangePassword => problem(
                StatusCode::FORBIDDEN,
                "password-change-required",
                "This account must choose its own password before using the API",
                Some("Sign in to Assure in a browser and change the password you were given".into()),
                None,
            ),
            ApiError::TooLarge => {
                problem(StatusCode::PAYLOAD_TOO_LARGE, "too-large", "The request body is too large", None, None)
            }
            ApiError::BadRequest(detail) => {
                problem(StatusCode::BAD_REQUEST, "bad-request", "The request could not be read", Some(detail), None)
            }
            ApiError::Core(CoreError::NotFound) => problem(StatusCode::NOT_FOUND, "not-found", "Not found", None, None),
            ApiError::Core(CoreError::Forbidden) => {
                problem(StatusCode::FORBIDDEN, "forbidden", "Your role does not allow this change", None, None)
            }
            ApiError::Core(CoreError::Invalid(errors)) => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "The request has invalid fields",
                Some("See errors for each field".into()),
                Some(errors),
            ),
            ApiError::Core(CoreError::Throttled { retry_after }) => with_retry_after(
                problem(StatusCode::TOO_MANY_REQUESTS, "throttled", "Too many attempts", None, None),
                retry_after,
            ),
            ApiError::Core(CoreError::Busy { retry_after }) => with_retry_after(
                problem(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "The service is at capacity; try again shortly",
                    None,
                    None,
                ),
                retry_after,
            ),
            ApiError::Core(CoreError::Changed) => problem(
                StatusCode::PRECONDITION_FAILED,
                "changed",
                "The record changed since you read it",
                Some("Nothing was changed: read the record again (its ETag is its version), then send your change with If-Match naming that version".into()),
                None,
            ),
            ApiError::Core(CoreError::Internal(message)) => {
                tracing::error!(error = %message, "internal error on an API route");
                problem(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Something went wrong on our side", None, None)
            }
        }
    }
}
