//! The partnership's public voice pages, reached without an account from its own website: give
//! feedback, read what it has published of "You said, we did", and answer a survey. No navigation; the form carries
//! the double-submit token of this browser's cookie, as the booking pages' do.

use askama::Template;
use assure_core::CoreError;
use assure_core::voice::{PublicSurvey, PublicVoice};
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
use crate::handlers::{Opt, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public/{slug}/feedback", get(feedback_page).post(give))
        .route("/public/{slug}/you-said-we-did", get(said_did))
        .route("/public/{slug}/surveys/{id}", get(survey_page).post(answer))
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

#[derive(Template)]
#[template(path = "voice/public/survey.html")]
struct SurveyPage {
    layout: Layout,
    public: PublicSurvey,
    /// What was sent, to show again with its errors.
    sent: Vec<(String, String)>,
    scale: Vec<Opt>,
    errors: FieldErrors,
    thanks: bool,
}

impl SurveyPage {
    /// The question's field: `q1`, `q2`…
    fn field(&self, index: &usize) -> String {
        format!("q{}", index + 1)
    }

    fn sent(&self, index: &usize) -> String {
        let field = self.field(index);
        self.sent.iter().find(|(k, _)| *k == field).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

fn survey_form(
    layout: Layout,
    public: PublicSurvey,
    sent: Vec<(String, String)>,
    errors: FieldErrors,
    thanks: bool,
) -> SurveyPage {
    let scale = assure_domain::voice::survey::SCALE.iter().enumerate().map(|(i, l)| Opt::new(i + 1, *l)).collect();
    SurveyPage { layout, public, sent, scale, errors, thanks }
}

async fn survey_page(
    State(state): State<AppState>,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let public = state.core.public_survey(&slug, path_id(&id)?).await?;
    let (jar, layout) = public_layout(&state, &public.survey.title, nonce, jar);
    Ok((jar, render(&survey_form(layout, public, Vec::new(), FieldErrors::new(), false))?).into_response())
}

async fn answer(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path((slug, id)): Path<(String, String)>,
    LinkForm(sent): LinkForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.answer_survey(&slug, id, &sent, client.ip, client.request_id).await;
    let public = state.core.public_survey(&slug, id).await?;
    let (jar, layout) = public_layout(&state, &public.survey.title, nonce, jar);
    match result {
        Ok(()) => {
            Ok((jar, render(&survey_form(layout, public, Vec::new(), FieldErrors::new(), true))?).into_response())
        }
        Err(CoreError::Invalid(errors)) => {
            Ok((jar, render_invalid(&survey_form(layout, public, sent, errors, false))?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
