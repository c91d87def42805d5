//! API for signing a report off: explaining a gap, the scrutineer's comments and review, the
//! responses, each statutory partner's agreement, reopening, publishing and sending.

use assure_core::reports::{Comment, KeptFile, ReportView};
use assure_domain::reports::{
    AgreementInput, CommentInput, ExplanationInput, ResponseInput, ReviewInput, SendingInput,
};
use assure_domain::structure::Choice;
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ReportDetailOut, detail_out};
use crate::AppState;
use crate::api::{ApiJson, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportCommentOut {
    id: i64,
    /// The section it is on.
    section: String,
    comment: String,
    by: String,
    created_at: String,
    response: Option<String>,
    responded_by: Option<String>,
    responded_at: Option<String>,
}

pub(super) fn comment_out(c: &Comment) -> ReportCommentOut {
    ReportCommentOut {
        id: c.id,
        section: c.section.code().into(),
        comment: c.comment.clone(),
        by: c.by.clone(),
        created_at: c.created_at.clone(),
        response: c.response.clone(),
        responded_by: c.responded_by.clone(),
        responded_at: c.responded_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportPartnerOut {
    organisation_id: i64,
    name: String,
    /// Who agreed for the partner (a name and a role), if they have.
    agreed_by: Option<String>,
    agreed_on: Option<String>,
    recorded_by: Option<String>,
    recorded_at: Option<String>,
}

pub(super) fn partners_out(v: &ReportView) -> Vec<ReportPartnerOut> {
    v.partners
        .iter()
        .map(|(id, name)| {
            let a = v.agreement_of(*id);
            ReportPartnerOut {
                organisation_id: *id,
                name: name.clone(),
                agreed_by: a.map(|a| a.agreed_by.clone()),
                agreed_on: a.map(|a| a.agreed_on.to_string()),
                recorded_by: a.map(|a| a.recorded_by.clone()),
                recorded_at: a.map(|a| a.recorded_at.clone()),
            }
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportFileOut {
    /// html, pdf or docx: the file is at `/reports/{id}/report.{format}` in the pages.
    format: String,
    file_name: String,
    content_type: String,
    size: i64,
    /// Lower-case hexadecimal.
    sha256: String,
    created_at: String,
}

pub(super) fn file_out(f: &KeptFile) -> ReportFileOut {
    ReportFileOut {
        format: f.format.clone(),
        file_name: f.file_name.clone(),
        content_type: f.content_type.clone(),
        size: f.size,
        sha256: f.sha256.clone(),
        created_at: f.created_at.clone(),
    }
}

async fn detail(state: &AppState, user: &ApiUser, id: i64) -> Result<Json<ReportDetailOut>, ApiError> {
    Ok(Json(detail_out(&state.core.report(&user.ctx, id).await?)?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GapExplanationIn {
    /// Why the records cannot put the gap right, printed in the report; empty or left out
    /// withdraws the explanation.
    #[serde(default)]
    explanation: Option<String>,
}

/// Explains a gap of the report (the business unit; in a scrutiny report, the scrutineer), by its
/// `code`; refused once a partner has agreed the report (a scrutiny report: once it is signed).
#[utoipa::path(put, path = "/reports/{id}/gaps/{gap}", tag = "reports", params(("id" = i64, Path), ("gap" = String, Path)), request_body = GapExplanationIn, responses((status = 200, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn explain_gap(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, gap)): Path<(String, String)>,
    ApiJson(e): ApiJson<GapExplanationIn>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let input = ExplanationInput { gap, explanation: e.explanation.unwrap_or_default() };
    state.core.explain_report_gap(&user.ctx, id, &input).await?;
    detail(&state, &user, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportCommentIn {
    /// The section's key.
    #[serde(default)]
    #[schema(required = true, example = "learning")]
    section: String,
    #[serde(default)]
    #[schema(required = true)]
    comment: String,
}

/// The independent scrutineer's comment on a section (the scrutineer and administrators).
#[utoipa::path(post, path = "/reports/{id}/comments", tag = "reports", params(("id" = i64, Path)), request_body = ReportCommentIn, responses((status = 200, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn comment(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(c): ApiJson<ReportCommentIn>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.comment_on_report(&user.ctx, id, &CommentInput { section: c.section, comment: c.comment }).await?;
    detail(&state, &user, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentResponseIn {
    #[serde(default)]
    #[schema(required = true)]
    response: String,
}

/// The business unit's response to one of the scrutineer's comments.
#[utoipa::path(put, path = "/reports/{id}/comments/{comment}/response", tag = "reports", params(("id" = i64, Path), ("comment" = i64, Path)), request_body = CommentResponseIn, responses((status = 200, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn respond(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, comment)): Path<(String, String)>,
    ApiJson(r): ApiJson<CommentResponseIn>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    let (id, comment) = (path_id(&id)?, path_id(&comment)?);
    state.core.respond_to_report_comment(&user.ctx, id, comment, &ResponseInput { response: r.response }).await?;
    detail(&state, &user, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportReviewIn {
    /// What the scrutineer concluded.
    #[serde(default)]
    #[schema(required = true)]
    summary: String,
}

/// The independent scrutineer records their review of the draft (of their own scrutiny report:
/// their signature).
#[utoipa::path(post, path = "/reports/{id}/review", tag = "reports", params(("id" = i64, Path)), request_body = ReportReviewIn, responses((status = 200, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn review(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<ReportReviewIn>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.review_report(&user.ctx, id, &ReviewInput { summary: r.summary }).await?;
    detail(&state, &user, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportAgreementIn {
    /// A statutory partner that has not yet agreed.
    #[serde(default)]
    #[schema(required = true)]
    organisation_id: Option<i64>,
    /// Who agreed for it: a name and a role.
    #[serde(default)]
    #[schema(required = true, example = "Jo Bloggs, Chief Constable")]
    agreed_by: String,
    /// `YYYY-MM-DD`, not in the future.
    #[serde(default)]
    #[schema(required = true, example = "2023-09-14")]
    agreed_on: String,
}

/// Records a statutory partner's agreement to a reviewed report whose gaps are all put right or
/// explained (the business unit).
#[utoipa::path(post, path = "/reports/{id}/agreements", tag = "reports", params(("id" = i64, Path)), request_body = ReportAgreementIn, responses((status = 200, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn agree(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(a): ApiJson<ReportAgreementIn>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let input = AgreementInput {
        organisation_id: a.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
        agreed_by: a.agreed_by,
        agreed_on: a.agreed_on,
    };
    state.core.agree_report(&user.ctx, id, &input).await?;
    detail(&state, &user, id).await
}

/// Takes a reviewed report back to draft, withdrawing the scrutineer's review and every
/// agreement (the business unit; a scrutiny report, the scrutineer).
#[utoipa::path(post, path = "/reports/{id}/reopen", tag = "reports", params(("id" = i64, Path)), responses((status = 200, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reopen(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.reopen_report(&user.ctx, id).await?;
    detail(&state, &user, id).await
}

/// Publishes a reviewed report every statutory partner has agreed (a scrutiny report: signed by
/// the scrutineer), with no gap unexplained: keeps it as HTML, PDF and Word with the SHA-256 of
/// each file (the business unit).
#[utoipa::path(post, path = "/reports/{id}/publish", tag = "reports", params(("id" = i64, Path)), responses((status = 200, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.publish_report(&user.ctx, id).await?;
    detail(&state, &user, id).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportSendingOut {
    id: i64,
    /// The configured recipient's code; none for someone named.
    recipient_code: Option<String>,
    recipient_name: String,
    /// email (sent by Assure) or recorded (sent otherwise).
    how: String,
    email: Option<String>,
    sent_on: String,
    by: String,
    created_at: String,
}

pub(super) fn sending_out(s: &assure_core::reports::Sending) -> ReportSendingOut {
    ReportSendingOut {
        id: s.id,
        recipient_code: s.recipient_code.clone(),
        recipient_name: s.recipient_name.clone(),
        how: s.how.clone(),
        email: s.email.clone(),
        sent_on: s.sent_on.to_string(),
        by: s.by.clone(),
        created_at: s.created_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRecipientOut {
    code: String,
    name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDistributionOut {
    /// Where the rule on whom the report is sent to comes from.
    source: String,
    /// When it is published or sent.
    when: String,
    recipients: Vec<ReportRecipientOut>,
}

pub(super) fn distribution_out(v: &ReportView) -> Option<ReportDistributionOut> {
    v.distribution().map(|d| ReportDistributionOut {
        source: d.source.clone(),
        when: d.when.clone(),
        recipients: d
            .recipients
            .iter()
            .map(|r| ReportRecipientOut { code: r.code.clone(), name: r.name.clone() })
            .collect(),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportSendingIn {
    /// A recipient's code from the report's `distribution`, or `other` (with `name`).
    #[serde(default)]
    #[schema(required = true, example = "healthwatch")]
    recipient: String,
    #[serde(default)]
    name: Option<String>,
    /// Assure e-mails the published PDF to this address now (needs an e-mail server).
    #[serde(default)]
    email: Option<String>,
    /// Without `email`: the day it was sent otherwise, `YYYY-MM-DD`, between publication and today.
    #[serde(default)]
    sent_on: Option<String>,
}

/// Sends a published report to a recipient by e-mail from Assure, or records the day it was sent
/// otherwise (the business unit).
#[utoipa::path(post, path = "/reports/{id}/sendings", tag = "reports", params(("id" = i64, Path)), request_body = ReportSendingIn, responses((status = 200, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn send(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(s): ApiJson<ReportSendingIn>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let input = SendingInput {
        recipient: s.recipient,
        name: s.name.unwrap_or_default(),
        email: s.email.unwrap_or_default(),
        sent_on: s.sent_on.unwrap_or_default(),
    };
    state.core.send_report(&user.ctx, id, &input).await?;
    detail(&state, &user, id).await
}
