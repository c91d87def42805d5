//! The partnership's public voice pages, reached without an account from its own website: give
//! feedback, and read what it has published of "You said, we did". No navigation; the form carries
//! the double-submit token of this browser's cookie, as the booking pages' do.

use askama::Template;
use assure_core::CoreError;
use assure_core::voice::PublicVoice;
use assure_domain::FieldErrors;
use assure_domain::structure::Choice;
use assure_domain::voice::{FeedbackInput, Giver, MAX_FEEDBACK_CHARS, Topic};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ClientInfo, LinkForm, Nonce};
use crate::handlers::training::public::public_layout;
use crate::handlers::{Opt, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public/{slug}/feedback", get(feedback_page).post(give))
        .route("/public/{slug}/you-said-we-did", get(said_did))
}

#[derive(Template)]
#[template(path = "voice/public/feedback.html")]
struct FeedbackPage {
    layout: Layout,
    voice: PublicVoice,
    input: FeedbackInput,
    givers: Vec<Opt>,
    topics: Vec<Opt>,
    feedback_hint: String,
    errors: FieldErrors,
}

fn feedback_form(layout: Layout, voice: PublicVoice, input: FeedbackInput, errors: FieldErrors) -> FeedbackPage {
    FeedbackPage {
        layout,
        voice,
        input,
        givers: Giver::ALL.iter().map(|g| Opt::new(g.code(), g.label())).collect(),
        topics: Topic::ALL.iter().map(|t| Opt::new(t.code(), t.label())).collect(),
        feedback_hint: format!(
            "Up to {MAX_FEEDBACK_CHARS} characters. Please do not include anyone's name or other details that could identify them."
        ),
        errors,
    }
}

async fn feedback_page(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let voice = state.core.public_voice(&slug).await?;
    let (jar, layout) = public_layout(&state, &format!("Give feedback to {}", voice.partnership_name), nonce, jar);
    Ok((jar, render(&feedback_form(layout, voice, FeedbackInput::default(), FieldErrors::new()))?).into_response())
}

#[derive(Template)]
#[template(path = "voice/public/thanks.html")]
struct ThanksPage {
    layout: Layout,
    voice: PublicVoice,
    reference: String,
    reply: bool,
}

async fn give(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(slug): Path<String>,
    LinkForm(input): LinkForm<FeedbackInput>,
) -> Result<Response, PageError> {
    match state.core.give_feedback(&slug, &input, client.ip, client.request_id).await {
        Ok((_, reference)) => {
            let voice = state.core.public_voice(&slug).await?;
            let (jar, layout) = public_layout(&state, "Thank you for your feedback", nonce, jar);
            let reply = !input.reply_to.trim().is_empty();
            Ok((jar, render(&ThanksPage { layout, voice, reference, reply })?).into_response())
        }
        Err(CoreError::Invalid(errors)) => {
            let voice = state.core.public_voice(&slug).await?;
            let (jar, layout) =
                public_layout(&state, &format!("Give feedback to {}", voice.partnership_name), nonce, jar);
            Ok((jar, render_invalid(&feedback_form(layout, voice, input, errors))?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "voice/public/said_did.html")]
struct SaidDidPage {
    layout: Layout,
    voice: PublicVoice,
}

async fn said_did(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let voice = state.core.public_voice(&slug).await?;
    let (jar, layout) = public_layout(&state, &format!("You said, we did: {}", voice.partnership_name), nonce, jar);
    Ok((jar, render(&SaidDidPage { layout, voice })?).into_response())
}
