//! One organisation's return: its page for the business unit and the agency lead, and the same
//! page through a respondent link; answers, steps, moderation, discussion and documents.

use super::*;
use assure_domain::{AssessmentId, LinkId};

/// A question as the return's page shows it, with what was sent or saved.
pub struct QuestionRow {
    pub depth: usize,
    pub id: String,
    pub title: String,
    pub help: Option<String>,
    pub kind: NodeKind,
    pub answer: Option<AnswerType>,
    pub choices: Vec<String>,
    pub score: String,
    pub na: String,
    pub value: String,
    pub evidence: String,
    pub carried: bool,
    pub target: Option<i64>,
}

#[derive(Template)]
#[template(path = "audits/assessment.html")]
pub(super) struct AssessmentPage {
    layout: Layout,
    v: AssessmentView,
    rows: Vec<QuestionRow>,
    errors: FieldErrors,
    reason: String,
    /// Where the answer and submit forms post: the return's page, or the respondent link.
    base: String,
    /// Links made for this return (for the business unit).
    links: Vec<assure_core::audits::Link>,
    /// A link just made: shown once, since only its hash is kept.
    new_link: Option<String>,
    /// Questions that take a document: (id, wording).
    file_questions: Vec<(String, String)>,
    /// Every question, for the discussion form.
    question_options: Vec<Opt>,
    /// What the discussion or upload form sent, to show again with its errors.
    sent_question: String,
    sent_body: String,
    /// Scored questions for the moderation form: (id, wording, self score, moderated score).
    scored_rows: Vec<(String, String, String, String)>,
}

pub(super) fn assessment_page(
    page: Page,
    v: AssessmentView,
    errors: FieldErrors,
    sent: Option<&[(String, String)]>,
) -> AssessmentPage {
    let base = format!("/audits/assessments/{}", v.assessment.id);
    let mut p = respondent_page(page.layout, v, errors, sent, base);
    let title = format!("{}: {}", p.v.assessment.organisation_name, p.v.campaign.title);
    let back = format!("/audits/{}", p.v.campaign.id);
    let campaign_title = p.v.campaign.title.clone();
    p.layout.page(title, "/audits", &[("Audit campaigns", "/audits"), (&campaign_title, &back)]);
    p
}

/// The return's page around any layout: the signed-in one, or the bare one a link gets.
pub(super) fn respondent_page(
    layout: Layout,
    v: AssessmentView,
    errors: FieldErrors,
    sent: Option<&[(String, String)]>,
    base: String,
) -> AssessmentPage {
    let sent_value = |prefix: &str, id: &str| {
        sent.and_then(|f| f.iter().find(|(k, _)| *k == format!("{prefix}:{id}")).map(|(_, v)| v.clone()))
    };
    let rows = v
        .framework
        .nodes
        .iter()
        .map(|n| {
            let saved = v.answers.get(&n.id);
            let depth = match n.kind {
                NodeKind::Standard => 0,
                NodeKind::Criterion => 1,
                NodeKind::Question => {
                    let parent = v.framework.nodes.iter().find(|p| Some(&p.id) == n.parent.as_ref());
                    if parent.is_some_and(|p| p.kind == NodeKind::Criterion) { 2 } else { 1 }
                }
            };
            QuestionRow {
                depth,
                id: n.id.clone(),
                title: n.title.clone(),
                help: n.help.clone(),
                kind: n.kind,
                answer: n.answer,
                choices: n.choices.clone(),
                score: sent_value("score", &n.id)
                    .unwrap_or_else(|| saved.and_then(|a| a.score).map(|s| s.to_string()).unwrap_or_default()),
                na: sent_value("na", &n.id)
                    .unwrap_or_else(|| saved.and_then(|a| a.not_applicable.clone()).unwrap_or_default()),
                value: sent_value("value", &n.id)
                    .unwrap_or_else(|| saved.and_then(|a| a.value.clone()).unwrap_or_default()),
                evidence: sent_value("evidence", &n.id)
                    .unwrap_or_else(|| saved.and_then(|a| a.evidence.clone()).unwrap_or_default()),
                carried: saved.is_some_and(|a| !a.confirmed),
                target: n.target,
            }
        })
        .collect();
    let reason = sent.map(|f| field(f, "reason")).unwrap_or_default();
    let questions = || v.framework.nodes.iter().filter(|n| n.kind == NodeKind::Question);
    let file_questions =
        questions().filter(|n| n.answer == Some(AnswerType::File)).map(|n| (n.id.clone(), n.title.clone())).collect();
    let mut question_options = vec![Opt::new("", "Select the question")];
    question_options.extend(questions().map(|n| Opt::new(&n.id, format!("{} {}", n.id, n.title))));
    let scored_rows = questions()
        .filter(|n| n.answer == Some(AnswerType::Score))
        .map(|n| {
            let own = v.answers.get(&n.id).and_then(|a| a.score).map(|s| s.to_string()).unwrap_or_default();
            let moderated = sent_value("moderated", &n.id)
                .unwrap_or_else(|| v.moderated.get(&n.id).map(|m| m.score.to_string()).unwrap_or_default());
            (n.id.clone(), n.title.clone(), own, moderated)
        })
        .collect();
    AssessmentPage {
        sent_question: sent.map(|f| field(f, "question")).unwrap_or_default(),
        sent_body: sent.map(|f| field(f, "body")).unwrap_or_default(),
        layout,
        v,
        rows,
        errors,
        reason,
        base,
        links: Vec::new(),
        new_link: None,
        file_questions,
        question_options,
        scored_rows,
    }
}

pub(super) async fn assessment(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let v = state.core.assessment(&page.ctx, AssessmentId(id)).await?;
    let links = if v.can_link { state.core.respondent_links(&page.ctx, AssessmentId(id)).await? } else { Vec::new() };
    let mut p = assessment_page(page, v, FieldErrors::new(), None);
    p.links = links;
    render(&p)
}

pub(super) async fn return_pdf(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    return_download(state, page, id, assure_core::documents::Format::Pdf).await
}

/// The return as an archival copy (PDF/A-2a as well as PDF/UA-1).
pub(super) async fn return_archival_pdf(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    return_download(state, page, id, assure_core::documents::Format::ArchivalPdf).await
}

async fn return_download(
    state: AppState,
    page: Page,
    id: String,
    format: assure_core::documents::Format,
) -> Result<Response, PageError> {
    let v = state.core.assessment(&page.ctx, AssessmentId(path_id(&id)?)).await?;
    let name = [v.campaign.title.as_str(), v.assessment.organisation_name.as_str(), "return"];
    let rendered = state.core.render(v.document(), format, &name).await?;
    Ok(crate::handlers::learning::download_response(rendered))
}

pub(super) async fn make_link(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let (_, token) = state.core.create_respondent_link(&page.ctx, AssessmentId(id)).await?;
    let v = state.core.assessment(&page.ctx, AssessmentId(id)).await?;
    let links = state.core.respondent_links(&page.ctx, AssessmentId(id)).await?;
    let mut p = assessment_page(page, v, FieldErrors::new(), None);
    p.links = links;
    p.new_link = Some(format!("{}/respond/{token}", state.core.settings.public_url.trim_end_matches('/')));
    render(&p)
}

pub(super) async fn revoke_link(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let assessment = state.core.revoke_respondent_link(&page.ctx, LinkId(path_id(&id)?)).await?;
    Ok(done(&format!("/audits/assessments/{assessment}"), "updated"))
}

/// The page a respondent link opens: no account, no navigation, only this one return. `ctx`
/// and `id` come from resolving the link once for the request.
pub(super) async fn respond_page(
    state: &AppState,
    (ctx, id): &(assure_core::Ctx, AssessmentId),
    token: &str,
    (nonce, jar): (String, &CookieJar),
    errors: FieldErrors,
    sent: Option<&[(String, String)]>,
) -> Result<AssessmentPage, PageError> {
    let v = state.core.assessment(ctx, *id).await?;
    let mut layout = Layout::bare(&format!("{}: {}", v.assessment.organisation_name, v.campaign.title));
    layout.nonce = nonce;
    layout.csrf = jar.get(state.respond_cookie()).map(|c| c.value().to_owned()).unwrap_or_default();
    Ok(respondent_page(layout, v, errors, sent, format!("/respond/{token}")))
}

/// The end of every change to a return: back to `to` with the banner, or the page again with
/// the form's errors.
pub(super) async fn after_change<F>(result: Result<(), CoreError>, to: String, again: F) -> Result<Response, PageError>
where
    F: AsyncFnOnce(FieldErrors) -> Result<AssessmentPage, PageError>,
{
    match result {
        Ok(()) => Ok(done(&to, "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&again(errors).await?),
        Err(e) => Err(e.into()),
    }
}

/// The end of every change to a return through its signed-in page: back to `to`, or the page
/// again with the form's errors and what was sent.
pub(super) async fn after_return_change(
    state: &AppState,
    page: Page,
    id: i64,
    result: Result<(), CoreError>,
    to: String,
    sent: &[(String, String)],
) -> Result<Response, PageError> {
    after_change(result, to, async |errors| {
        let v = state.core.assessment(&page.ctx, AssessmentId(id)).await?;
        Ok(assessment_page(page, v, errors, Some(sent)))
    })
    .await
}

pub(super) async fn respond(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    // The forms' double-submit token: this browser's, or a new one.
    let jar = match jar.get(state.respond_cookie()) {
        Some(_) => jar,
        None => {
            let fresh = assure_core::accounts::auth::random_token(32);
            jar.add(crate::handlers::accounts::sign_in::cookie(&state, state.respond_cookie(), fresh))
        }
    };
    let mut page = respond_page(&state, &holder, &token, (nonce, &jar), FieldErrors::new(), None).await?;
    // The banner after saving or submitting, as signed-in pages show it.
    page.layout.flash = crate::layout::Flash::parse(&field(&query, "done"));
    Ok((jar, render(&page)?).into_response())
}

/// Answers sent through a link: the link is the credential, and the form carries the link
/// page's double-submit token.
pub(super) async fn respond_answers(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    LinkForm(form): LinkForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    let result = state.core.save_answers(&holder.0, AssessmentId(holder.1.0), &answers_sent(&form)).await;
    after_change(result, format!("/respond/{token}"), async |errors| {
        respond_page(&state, &holder, &token, (nonce, &jar), errors, Some(&form)).await
    })
    .await
}

/// Through a link a return can only be submitted: moderation is the assessor's.
pub(super) async fn respond_step(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    LinkForm(form): LinkForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    if field(&form, "step") != "submit" {
        return Err(PageError::Forbidden);
    }
    let result = state.core.step_assessment(&holder.0, AssessmentId(holder.1.0), "submit", "").await.map(|_| ());
    after_change(result, format!("/respond/{token}"), async |errors| {
        respond_page(&state, &holder, &token, (nonce, &jar), errors, Some(&form)).await
    })
    .await
}

/// The answers in a return's form, whose fields are named `score:Q`, `na:Q`, `value:Q` and
/// `evidence:Q` for each question Q, in the order the questions first appear.
pub(super) fn answers_sent(form: &[(String, String)]) -> Vec<AnswerInput> {
    let mut answers: Vec<AnswerInput> = Vec::new();
    for (key, value) in form {
        let Some((part, question)) = key.split_once(':') else { continue };
        if !["score", "na", "value", "evidence"].contains(&part) {
            continue;
        }
        let at = match answers.iter().position(|a| a.question == question) {
            Some(at) => at,
            None => {
                answers.push(AnswerInput { question: question.to_owned(), ..AnswerInput::default() });
                answers.len() - 1
            }
        };
        let answer = &mut answers[at];
        let slot = match part {
            "score" => &mut answer.score,
            "na" => &mut answer.not_applicable,
            "value" => &mut answer.value,
            _ => &mut answer.evidence,
        };
        *slot = value.clone();
    }
    answers
}

/// The moderated scores in the moderation form, whose fields are named `moderated:Q`.
pub(super) fn moderation_sent(form: &[(String, String)]) -> Vec<ModerationInput> {
    form.iter()
        .filter_map(|(key, value)| {
            let question = key.strip_prefix("moderated:")?;
            Some(ModerationInput { question: question.to_owned(), score: value.clone() })
        })
        .collect()
}

pub(super) async fn answers(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.save_answers(&page.ctx, AssessmentId(id), &answers_sent(&form)).await;
    after_return_change(&state, page, id, result, format!("/audits/assessments/{id}"), &form).await
}

pub(super) async fn step(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result =
        state.core.step_assessment(&page.ctx, AssessmentId(id), &field(&form, "step"), &field(&form, "reason")).await;
    after_return_change(&state, page, id, result.map(|_| ()), format!("/audits/assessments/{id}"), &form).await
}

pub(super) async fn lock(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let unlocked = form.iter().any(|(k, v)| k == "unlocked" && v == "yes");
    state.core.set_assessment_unlocked(&page.ctx, AssessmentId(id), unlocked).await?;
    Ok(done(&format!("/audits/assessments/{id}"), "updated"))
}

pub(super) async fn moderation(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.moderate(&page.ctx, AssessmentId(id), &moderation_sent(&form)).await.map(|_| ());
    after_return_change(&state, page, id, result, format!("/audits/assessments/{id}"), &form).await
}

pub(super) async fn challenge(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let question = field(&form, "question");
    let result =
        state.core.add_challenge(&page.ctx, AssessmentId(id), &question, &field(&form, "body")).await.map(|_| ());
    after_return_change(&state, page, id, result, format!("/audits/assessments/{id}#question-{question}"), &form).await
}

/// The upload form's question and file, as the answer form would have sent them.
pub(super) fn upload_parts(
    mut upload: CsrfUpload,
) -> (String, Option<assure_core::learning::UploadFile>, Vec<(String, String)>) {
    let question = upload.field("question");
    let file = upload.files.drain(..).find(|(n, _)| n == "file").map(|(_, f)| f);
    (question.clone(), file, vec![("question".to_owned(), question)])
}

pub(super) async fn upload_file(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let permit = state.core.permit_answer_file(&page.ctx, AssessmentId(id)).await?;
    let (question, file, sent) = upload_parts(pending.read(permit).await?);
    let result = state.core.upload_answer_file(&page.ctx, AssessmentId(id), &question, file).await;
    after_return_change(&state, page, id, result, format!("/audits/assessments/{id}#question-{question}"), &sent).await
}

/// A file given as an answer, always as a download of opaque bytes: never rendered in the browser.
pub(super) fn file_response(f: assure_core::audits::AnswerFile, bytes: Vec<u8>) -> Response {
    crate::handlers::learning::attachment_response(&f.file_name, "application/octet-stream", bytes)
}

pub(super) async fn download_file(
    State(state): State<AppState>,
    page: Page,
    Path((id, question)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (f, bytes) = state.core.answer_file(&page.ctx, AssessmentId(path_id(&id)?), &question).await?;
    Ok(file_response(f, bytes))
}

/// A comment through a link: the organisation replies to a challenge.
pub(super) async fn respond_challenge(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    LinkForm(form): LinkForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    let question = field(&form, "question");
    let result = state
        .core
        .add_challenge(&holder.0, AssessmentId(holder.1.0), &question, &field(&form, "body"))
        .await
        .map(|_| ());
    after_change(result, format!("/respond/{token}"), async |errors| {
        respond_page(&state, &holder, &token, (nonce, &jar), errors, Some(&form)).await
    })
    .await
}

pub(super) async fn respond_upload(
    State(state): State<AppState>,
    client: ClientInfo,
    Nonce(nonce): Nonce,
    jar: CookieJar,
    Path(token): Path<String>,
    pending: PendingUpload,
) -> Result<Response, PageError> {
    let holder = state.core.respondent(&token, client.ip, client.request_id).await?;
    let permit = state.core.permit_answer_file(&holder.0, AssessmentId(holder.1.0)).await?;
    let (question, file, sent) = upload_parts(pending.read(permit).await?);
    let result = state.core.upload_answer_file(&holder.0, AssessmentId(holder.1.0), &question, file).await;
    after_change(result, format!("/respond/{token}"), async |errors| {
        respond_page(&state, &holder, &token, (nonce, &jar), errors, Some(&sent)).await
    })
    .await
}

pub(super) async fn respond_download(
    State(state): State<AppState>,
    client: ClientInfo,
    Path((token, question)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (ctx, id) = state.core.respondent(&token, client.ip, client.request_id).await?;
    let (f, bytes) = state.core.answer_file(&ctx, id, &question).await?;
    Ok(file_response(f, bytes))
}
