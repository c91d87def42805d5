//! Signing a report off in the pages: explaining a gap, the scrutineer's comment on a section and
//! the business unit's response, and the sign-off page (the scrutineer's review, each statutory
//! partner's agreement, reopening, publishing, and a published report's files with their SHA-256).

use askama::Template;
use assure_core::CoreError;
use assure_core::reports::{Comment, ReportView};
use assure_domain::FieldErrors;
use assure_domain::reports::{
    AgreementInput, CommentInput, ExplanationInput, OTHER_RECIPIENT, ResponseInput, ReviewInput, SendingInput, Step,
};
use assure_domain::structure::Choice;
use assure_domain::uk_time::uk_timestamp;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{CsrfForm, Page};
use crate::handlers::{Empty, Opt, done, path_id, render, render_invalid};
use crate::layout::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports/{id}/gaps/{gap}", get(gap).post(explain))
        .route("/reports/{id}/sections/{key}/comment", get(comment).post(add_comment))
        .route("/reports/{id}/comments/{comment}", get(response).post(respond))
        .route("/reports/{id}/sign-off", get(sign_off))
        .route("/reports/{id}/review", post(review))
        .route("/reports/{id}/agreements", post(agree))
        .route("/reports/{id}/reopen", post(reopen))
        .route("/reports/{id}/publish", post(publish))
        .route("/reports/{id}/sendings", post(send))
}

/// A form of one text: a gap's explanation, a comment, a response.
#[derive(Template)]
#[template(path = "reports/note.html")]
struct NotePage {
    layout: Layout,
    caption: String,
    heading: String,
    /// What the note is about, as the reader needs it (the gap, the section, the comment).
    about: Vec<String>,
    action: String,
    /// The hidden field naming what it is about (`gap`, `section`), if any.
    hidden: Option<(&'static str, String)>,
    field: &'static str,
    label: &'static str,
    hint: &'static str,
    value: String,
    button: &'static str,
    back: String,
    errors: FieldErrors,
}

fn note_layout(mut page: Page, title: &str, id: i64, heading: &str) -> Layout {
    let back = format!("/reports/{id}");
    page.layout.page(heading.to_owned(), "/reports", &[("Yearly reports", "/reports"), (title, &back)]);
    page.layout
}

async fn gap_page(
    state: &AppState,
    page: Page,
    id: i64,
    code: &str,
    input: Option<ExplanationInput>,
    errors: FieldErrors,
) -> Result<NotePage, PageError> {
    let view = state.core.report(&page.ctx, id).await?;
    if !view.can_write {
        return Err(PageError::Forbidden);
    }
    let gaps = view.gaps();
    let gap = gaps.iter().find(|g| g.code == code && g.explainable()).ok_or(PageError::NotFound)?;
    let value = input.map(|i| i.explanation).unwrap_or_else(|| gap.explanation.clone().unwrap_or_default());
    let about = vec![gap.message.clone(), format!("In the section \u{201c}{}\u{201d}.", gap.section.label())];
    let back = format!("/reports/{id}#gaps");
    Ok(NotePage {
        layout: note_layout(page, &view.title, id, "Explain a gap"),
        caption: view.title.clone(),
        heading: "Explain a gap".into(),
        about,
        action: format!("/reports/{id}/gaps/{code}"),
        hidden: Some(("gap", code.to_owned())),
        field: "explanation",
        label: "Why the records cannot put it right",
        hint: "Printed in the report under the section. Leave it blank to withdraw the explanation.",
        value,
        button: "Save the explanation",
        back,
        errors,
    })
}

async fn gap(
    State(state): State<AppState>,
    page: Page,
    Path((id, code)): Path<(String, String)>,
) -> Result<Response, PageError> {
    render(&gap_page(&state, page, path_id(&id)?, &code, None, FieldErrors::new()).await?)
}

async fn explain(
    State(state): State<AppState>,
    page: Page,
    Path((id, code)): Path<(String, String)>,
    CsrfForm(input): CsrfForm<ExplanationInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let input = ExplanationInput { gap: code.clone(), ..input };
    match state.core.explain_report_gap(&page.ctx, id, &input).await {
        Ok(()) => Ok(done(&format!("/reports/{id}#gaps"), "updated")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&gap_page(&state, page, id, &code, Some(input), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn comment_page(
    state: &AppState,
    page: Page,
    id: i64,
    key: &str,
    input: Option<CommentInput>,
    errors: FieldErrors,
) -> Result<NotePage, PageError> {
    // The form needs no figures: the report's row and who may comment.
    let kept = state.core.report_comments(&page.ctx, id).await?;
    if !kept.can_scrutinise {
        return Err(PageError::Forbidden);
    }
    let section = kept.report.kind.template().iter().find(|k| k.code() == key).ok_or(PageError::NotFound)?;
    let about = vec![format!("On the section \u{201c}{}\u{201d}.", section.label())];
    Ok(NotePage {
        layout: note_layout(page, &kept.report.title, id, "Comment on a section"),
        caption: kept.report.title.clone(),
        heading: format!("Comment on \u{201c}{}\u{201d}", section.label()),
        about,
        action: format!("/reports/{id}/sections/{key}/comment"),
        hidden: Some(("section", key.to_owned())),
        field: "comment",
        label: "Your comment",
        hint: "The business unit sees it on the report and responds to it.",
        value: input.map(|i| i.comment).unwrap_or_default(),
        button: "Add the comment",
        back: format!("/reports/{id}#section-{key}"),
        errors,
    })
}

async fn comment(
    State(state): State<AppState>,
    page: Page,
    Path((id, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    render(&comment_page(&state, page, path_id(&id)?, &key, None, FieldErrors::new()).await?)
}

async fn add_comment(
    State(state): State<AppState>,
    page: Page,
    Path((id, key)): Path<(String, String)>,
    CsrfForm(input): CsrfForm<CommentInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let input = CommentInput { section: key.clone(), ..input };
    match state.core.comment_on_report(&page.ctx, id, &input).await {
        Ok(section) => Ok(done(&format!("/reports/{id}#section-{}", section.code()), "added")),
        Err(CoreError::Invalid(errors)) if errors.get("section").is_some() => Err(PageError::NotFound),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&comment_page(&state, page, id, &key, Some(input), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

async fn response_page(
    state: &AppState,
    page: Page,
    id: i64,
    comment_id: i64,
    input: Option<ResponseInput>,
    errors: FieldErrors,
) -> Result<NotePage, PageError> {
    let kept = state.core.report_comments(&page.ctx, id).await?;
    if !kept.can_edit {
        return Err(PageError::Forbidden);
    }
    let c: &Comment = kept.comments.iter().find(|c| c.id == comment_id).ok_or(PageError::NotFound)?;
    let about = vec![
        format!("{} commented on \u{201c}{}\u{201d}, {}:", c.by, c.section.label(), uk_timestamp(&c.created_at)),
        c.comment.clone(),
    ];
    let value = input.map(|i| i.response).unwrap_or_else(|| c.response.clone().unwrap_or_default());
    Ok(NotePage {
        layout: note_layout(page, &kept.report.title, id, "Respond to a comment"),
        caption: kept.report.title.clone(),
        heading: "Respond to the scrutineer's comment".into(),
        about,
        action: format!("/reports/{id}/comments/{comment_id}"),
        hidden: None,
        field: "response",
        label: "Your response",
        hint: "What the partnership did, or why it did not.",
        value,
        button: "Save the response",
        back: format!("/reports/{id}#section-{}", c.section.code()),
        errors,
    })
}

async fn response(
    State(state): State<AppState>,
    page: Page,
    Path((id, comment)): Path<(String, String)>,
) -> Result<Response, PageError> {
    render(&response_page(&state, page, path_id(&id)?, path_id(&comment)?, None, FieldErrors::new()).await?)
}

async fn respond(
    State(state): State<AppState>,
    page: Page,
    Path((id, comment)): Path<(String, String)>,
    CsrfForm(input): CsrfForm<ResponseInput>,
) -> Result<Response, PageError> {
    let (id, comment) = (path_id(&id)?, path_id(&comment)?);
    match state.core.respond_to_report_comment(&page.ctx, id, comment, &input).await {
        Ok(section) => Ok(done(&format!("/reports/{id}#section-{}", section.code()), "updated")),
        Err(CoreError::Invalid(errors)) => {
            render_invalid(&response_page(&state, page, id, comment, Some(input), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The sign-off page: where the report stands, the scrutineer's review, each statutory partner's
/// agreement, and publishing (or a published report's files).
#[derive(Template)]
#[template(path = "reports/sign_off.html")]
struct SignOffPage {
    layout: Layout,
    view: ReportView,
    id: i64,
    review: ReviewInput,
    agreement: AgreementInput,
    waiting: Vec<Opt>,
    sending: SendingInput,
    recipients: Vec<Opt>,
    errors: FieldErrors,
}

impl SignOffPage {
    /// A scrutiny report's recommendations with the partner's response recorded.
    fn responded(&self) -> usize {
        self.view.recommendations.iter().filter(|r| r.response.is_some()).count()
    }

    /// No recipient is configured and none recorded: there is no table to show.
    fn nothing_to_list(&self) -> bool {
        self.view.sendings.is_empty() && self.view.distribution().is_none_or(|d| d.recipients.is_empty())
    }

    fn day(&self, d: &chrono::NaiveDate) -> String {
        assure_domain::validation::long_date(*d)
    }

    /// How a sending went, in words.
    fn how(&self, s: &assure_core::reports::Sending) -> String {
        match (&s.email, s.how.as_str()) {
            (Some(address), "email") => format!("E-mailed by {} to {address}", s.by),
            _ => format!("Sent outside Assure, recorded by {}", s.by),
        }
    }

    fn refuses(&self, step: &str) -> String {
        let step = match step {
            "review" => Step::Review,
            "agree" => Step::Agree,
            "reopen" => Step::Reopen,
            _ => Step::Publish,
        };
        self.view.refuses(step).unwrap_or_default()
    }

    fn when(&self, at: &Option<String>) -> String {
        at.as_deref().map(uk_timestamp).unwrap_or_default()
    }

    fn agreed(&self, organisation: &i64) -> String {
        match self.view.agreement_of(*organisation) {
            Some(a) => format!("Agreed by {} on {}", a.agreed_by, assure_domain::validation::long_date(a.agreed_on)),
            None => "Not yet agreed".into(),
        }
    }

    fn recorded(&self, organisation: &i64) -> String {
        match self.view.agreement_of(*organisation) {
            Some(a) => format!("{}, {}", a.recorded_by, uk_timestamp(&a.recorded_at)),
            None => String::new(),
        }
    }

    fn size(&self, bytes: &i64) -> String {
        format!("{:.1} KB", *bytes as f64 / 1024.0)
    }
}

/// What the sign-off page's forms were sent with, to show again with what is wrong.
#[derive(Default)]
struct Sent {
    review: ReviewInput,
    agreement: AgreementInput,
    sending: SendingInput,
}

async fn sign_off_page(
    state: &AppState,
    mut page: Page,
    id: i64,
    sent: Sent,
    errors: FieldErrors,
) -> Result<SignOffPage, PageError> {
    let Sent { review, agreement, sending } = sent;
    let view = state.core.report(&page.ctx, id).await?;
    let back = format!("/reports/{id}");
    page.layout.page("Sign-off", "/reports", &[("Yearly reports", "/reports"), (&view.title, &back)]);
    let mut waiting = vec![Opt::new("", "Choose")];
    waiting.extend(
        view.partners.iter().filter(|(p, _)| view.agreement_of(*p).is_none()).map(|(p, name)| Opt::new(p, name)),
    );
    let mut recipients = vec![Opt::new("", "Choose")];
    if let Some(d) = view.distribution() {
        recipients.extend(d.recipients.iter().map(|r| Opt::new(&r.code, &r.name)));
    }
    recipients.push(Opt::new(OTHER_RECIPIENT, "Someone else (name them below)"));
    Ok(SignOffPage { layout: page.layout, view, id, review, agreement, waiting, sending, recipients, errors })
}

async fn sign_off(State(state): State<AppState>, page: Page, Path(id): Path<String>) -> Result<Response, PageError> {
    render(&sign_off_page(&state, page, path_id(&id)?, Sent::default(), FieldErrors::new()).await?)
}

/// After a step: back to the sign-off page, or the page again with what is wrong.
async fn after(
    state: &AppState,
    page: Page,
    id: i64,
    result: Result<(), CoreError>,
    sent: Sent,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(done(&format!("/reports/{id}/sign-off"), "updated")),
        Err(CoreError::Invalid(errors)) => render_invalid(&sign_off_page(state, page, id, sent, errors).await?),
        Err(e) => Err(e.into()),
    }
}

async fn review(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<ReviewInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.review_report(&page.ctx, id, &input).await;
    after(&state, page, id, result, Sent { review: input, ..Sent::default() }).await
}

async fn agree(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<AgreementInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.agree_report(&page.ctx, id, &input).await;
    after(&state, page, id, result, Sent { agreement: input, ..Sent::default() }).await
}

async fn reopen(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.reopen_report(&page.ctx, id).await;
    after(&state, page, id, result, Sent::default()).await
}

async fn publish(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.publish_report(&page.ctx, id).await.map(|_| ());
    after(&state, page, id, result, Sent::default()).await
}

async fn send(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<SendingInput>,
) -> Result<Response, PageError> {
    let id = path_id(&id)?;
    let result = state.core.send_report(&page.ctx, id, &input).await;
    after(&state, page, id, result, Sent { sending: input, ..Sent::default() }).await
}
