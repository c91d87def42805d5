//! The public's training pages, reached without an account: a session's booking page, the page a
//! booking's own link opens (cancel; accept a place offered from the waiting list; after the session, evaluate and download the certificate;
//! six weeks on, say what changed), and the manager's countersignature. No navigation; forms
//! carry the double-submit token of this browser's cookie, as respondent links' do.

use askama::Template;
use assure_core::CoreError;
use assure_core::training::{BookingPage, PublicSession};
use assure_domain::FieldErrors;
use assure_domain::structure::{Choice, Sector};
use assure_domain::training::{
    BookingInput, BookingStatus, ChampionKind, CountersignInput, EvaluationInput, EventKind, FollowUpInput,
};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ClientInfo, LinkForm, Nonce};
use crate::handlers::learning::download_response;
use crate::handlers::{Empty, Opt, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/book/{session}", get(book_page).post(book))
        .route("/bookings/{token}", get(booking))
        .route("/bookings/{token}/cancel", post(cancel))
        .route("/bookings/{token}/accept", post(accept))
        .route("/bookings/{token}/evaluation", post(evaluate))
        .route("/bookings/{token}/follow-up", post(follow_up))
        .route("/bookings/{token}/certificate.pdf", get(certificate))
        .route("/countersign/{token}", get(countersign_page).post(countersign))
}

/// This browser's double-submit token: its cookie's, or a new one set with the answer.
pub(crate) fn public_layout(state: &AppState, title: &str, nonce: String, jar: CookieJar) -> (CookieJar, Layout) {
    let jar = match jar.get(state.respond_cookie()) {
        Some(_) => jar,
        None => {
            let fresh = assure_core::accounts::auth::random_token(32);
            jar.add(crate::handlers::accounts::sign_in::cookie(state, state.respond_cookie(), fresh))
        }
    };
    let mut layout = Layout::bare(title);
    layout.nonce = nonce;
    layout.csrf = jar.get(state.respond_cookie()).map(|c| c.value().to_owned()).unwrap_or_default();
    (jar, layout)
}

/// "Tuesday 24 March 2027, 09:00 to 16:30".
fn when(starts: chrono::NaiveDateTime, ends: chrono::NaiveDateTime) -> String {
    format!("{}, {} to {}", starts.format("%A %-d %B %Y"), starts.format("%H:%M"), ends.format("%H:%M"))
}

#[derive(Template)]
#[template(path = "training/public/book.html")]
struct BookPage {
    layout: Layout,
    session: PublicSession,
    input: BookingInput,
    organisations: Vec<Opt>,
    sectors: Vec<Opt>,
    champions: bool,
    errors: FieldErrors,
}

impl BookPage {
    fn when(&self) -> String {
        when(self.session.starts, self.session.ends)
    }

    /// Who it is for: its agencies, its sectors, its levels ("" for everyone).
    fn audience(&self) -> String {
        let s = &self.session;
        let sectors = s.sectors.iter().map(|s| s.label()).collect::<Vec<_>>().join(", ");
        [s.audience.join(", "), sectors, s.levels.clone().unwrap_or_default()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn book_form(layout: Layout, session: PublicSession, input: BookingInput, errors: FieldErrors) -> BookPage {
    let mut organisations = vec![Opt::new("", "Choose your organisation")];
    organisations.extend(session.organisations.iter().map(|(id, name)| Opt::new(id, name.clone())));
    let mut sectors = vec![Opt::new("", "Choose your sector")];
    sectors.extend(Sector::ALL.iter().map(|s| Opt::new(s.code(), s.label())));
    let champions = session.kind == EventKind::Champions;
    BookPage { layout, session, input, organisations, sectors, champions, errors }
}

async fn book_page(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(session): Path<String>,
) -> Result<Response, PageError> {
    let session = state.core.public_session(path_id(&session)?).await?;
    let (jar, layout) = public_layout(&state, &format!("Book: {}", session.event_title), nonce, jar);
    Ok((jar, render(&book_form(layout, session, BookingInput::default(), FieldErrors::new()))?).into_response())
}

#[derive(Template)]
#[template(path = "training/public/booked.html")]
struct BookedPage {
    layout: Layout,
    title: String,
    when: String,
    waiting: bool,
    link: String,
}

async fn book(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(session): Path<String>,
    LinkForm(input): LinkForm<BookingInput>,
) -> Result<Response, PageError> {
    let id = path_id(&session)?;
    match state.core.book(id, &input, client.ip, client.request_id).await {
        Ok(booked) => {
            let s = state.core.public_session(id).await?;
            let (jar, layout) = public_layout(&state, &format!("Booked: {}", s.event_title), nonce, jar);
            let page = BookedPage {
                layout,
                title: s.event_title.clone(),
                when: when(s.starts, s.ends),
                waiting: booked.status == BookingStatus::Waiting,
                link: format!("/bookings/{}", booked.token),
            };
            Ok((jar, render(&page)?).into_response())
        }
        Err(CoreError::Invalid(errors)) => {
            let s = state.core.public_session(id).await?;
            let (jar, layout) = public_layout(&state, &format!("Book: {}", s.event_title), nonce, jar);
            Ok((jar, render_invalid(&book_form(layout, s, input, errors))?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "training/public/booking.html")]
struct OwnBookingPage {
    layout: Layout,
    page: BookingPage,
    token: String,
    evaluation: EvaluationInput,
    follow_up: FollowUpInput,
    scale: Vec<Opt>,
    errors: FieldErrors,
    done: &'static str,
}

impl OwnBookingPage {
    fn when(&self) -> String {
        when(self.page.session.starts, self.page.session.ends)
    }

    /// When an offered place lapses: "18:00 on Wednesday 2 June".
    fn lapses(&self) -> String {
        self.page.booking.offer_expires_at.map(|l| l.format("%H:%M on %A %-d %B").to_string()).unwrap_or_default()
    }

    fn status(&self) -> &'static str {
        match (self.page.booking.status, self.page.booking.attendance) {
            (BookingStatus::Cancelled, Some(_)) => "Cancelled (late)",
            (s, _) => s.label(),
        }
    }
}

fn scale() -> Vec<Opt> {
    let mut out = vec![Opt::new("", "Choose")];
    out.extend(
        [("1", "1: not at all"), ("2", "2: a little"), ("3", "3: fairly"), ("4", "4: quite"), ("5", "5: very")]
            .iter()
            .map(|(v, l)| Opt::new(*v, *l)),
    );
    out
}

async fn own_page(
    state: &AppState,
    token: &str,
    nonce: String,
    jar: CookieJar,
    forms: (EvaluationInput, FollowUpInput),
    errors: FieldErrors,
    done: &'static str,
) -> Result<(CookieJar, OwnBookingPage), PageError> {
    let page = state.core.booking_page(token).await?;
    let (jar, layout) = public_layout(state, &format!("Your booking: {}", page.event_title), nonce, jar);
    Ok((
        jar,
        OwnBookingPage {
            layout,
            page,
            token: token.to_owned(),
            evaluation: forms.0,
            follow_up: forms.1,
            scale: scale(),
            errors,
            done,
        },
    ))
}

async fn booking(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let done = match crate::handlers::field(&query, "done").as_str() {
        "cancelled" => "Your booking is cancelled. Thank you for letting us know.",
        "accepted" => "The place is yours: we have e-mailed you the invitation.",
        "evaluated" => "Thank you for your evaluation. Your certificate is ready.",
        "followed-up" => "Thank you for telling us what has changed.",
        _ => "",
    };
    let (jar, page) = own_page(&state, &token, nonce, jar, Default::default(), FieldErrors::new(), done).await?;
    Ok((jar, render(&page)?).into_response())
}

fn back(token: &str, what: &str) -> Response {
    axum::response::Redirect::to(&format!("/bookings/{token}?done={what}")).into_response()
}

async fn cancel(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    LinkForm(_): LinkForm<Empty>,
) -> Result<Response, PageError> {
    match state.core.cancel_booking(&token, client.ip).await {
        Ok(()) => Ok(back(&token, "cancelled")),
        Err(CoreError::Invalid(errors)) => {
            let (jar, page) = own_page(&state, &token, nonce, jar, Default::default(), errors, "").await?;
            Ok((jar, render_invalid(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn accept(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    LinkForm(_): LinkForm<Empty>,
) -> Result<Response, PageError> {
    match state.core.accept_offer(&token, client.ip).await {
        Ok(()) => Ok(back(&token, "accepted")),
        Err(CoreError::Invalid(errors)) => {
            let (jar, page) = own_page(&state, &token, nonce, jar, Default::default(), errors, "").await?;
            Ok((jar, render_invalid(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn evaluate(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    LinkForm(input): LinkForm<EvaluationInput>,
) -> Result<Response, PageError> {
    match state.core.evaluate_booking(&token, &input).await {
        Ok(()) => Ok(back(&token, "evaluated")),
        Err(CoreError::Invalid(errors)) => {
            let (jar, page) =
                own_page(&state, &token, nonce, jar, (input, FollowUpInput::default()), errors, "").await?;
            Ok((jar, render_invalid(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn follow_up(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    LinkForm(input): LinkForm<FollowUpInput>,
) -> Result<Response, PageError> {
    match state.core.follow_up(&token, &input).await {
        Ok(()) => Ok(back(&token, "followed-up")),
        Err(CoreError::Invalid(errors)) => {
            let (jar, page) =
                own_page(&state, &token, nonce, jar, (EvaluationInput::default(), input), errors, "").await?;
            Ok((jar, render_invalid(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn certificate(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    Ok(download_response(state.core.certificate(&token).await?))
}

#[derive(Template)]
#[template(path = "training/public/countersign.html")]
struct CountersignPage {
    layout: Layout,
    booking: assure_core::training::Booking,
    session: assure_core::training::Session,
    input: CountersignInput,
    errors: FieldErrors,
    done: bool,
}

impl CountersignPage {
    fn champion(&self) -> Option<&'static str> {
        self.booking.champion.map(ChampionKind::label)
    }
}

async fn countersign_view(
    state: &AppState,
    token: &str,
    nonce: String,
    jar: CookieJar,
    input: CountersignInput,
    errors: FieldErrors,
    done: bool,
) -> Result<(CookieJar, CountersignPage), PageError> {
    let (booking, session) = state.core.countersign_page(token).await?;
    let (jar, layout) = public_layout(state, &format!("Countersign: {}", session.event_title), nonce, jar);
    Ok((jar, CountersignPage { layout, booking, session, input, errors, done }))
}

async fn countersign_page(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let (jar, page) =
        countersign_view(&state, &token, nonce, jar, CountersignInput::default(), FieldErrors::new(), false).await?;
    Ok((jar, render(&page)?).into_response())
}

async fn countersign(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    LinkForm(input): LinkForm<CountersignInput>,
) -> Result<Response, PageError> {
    match state.core.countersign(&token, &input).await {
        Ok(()) => {
            let (jar, page) = countersign_view(&state, &token, nonce, jar, input, FieldErrors::new(), true).await?;
            Ok((jar, render(&page)?).into_response())
        }
        Err(CoreError::Invalid(errors)) => {
            let (jar, page) = countersign_view(&state, &token, nonce, jar, input, errors, false).await?;
            Ok((jar, render_invalid(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
