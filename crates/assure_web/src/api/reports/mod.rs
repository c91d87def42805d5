//! API for the statutory yearly reports: the partnership's reports, starting one, one report
//! with its sections, the statutory items and whether each is answered, and the gaps that remain;
//! and writing a section's words. (The report as a file, HTML, PDF or Word, is on its page and
//! from the console's `assure report build`.)

use assure_core::reports::{Gap, Report, ReportView};
use assure_domain::reports::ReportInput;
use assure_domain::structure::Choice;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

mod authors;
mod easy_read;
mod scrutiny;
mod sign_off;

pub use authors::*;
pub use easy_read::*;
pub use scrutiny::*;
pub use sign_off::*;

use crate::AppState;
use crate::api::structure::created;
use crate::api::{ApiJson, ListOf, Paging, Query, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportOut {
    id: i64,
    /// children, adults or scrutiny (the independent scrutineer's own report).
    kind: String,
    title: String,
    /// As the console writes it: `2022-23`, or `2021-10 to 2023-03`.
    period: String,
    period_start: String,
    period_end: String,
    /// draft, reviewed (by the independent scrutineer; for a scrutiny report, signed by them) or
    /// published.
    status: String,
    created_by: String,
    created_at: String,
    updated_at: String,
    /// The scrutineer's review: who, when (UTC), and what they concluded.
    reviewed_by: Option<String>,
    reviewed_at: Option<String>,
    review_summary: Option<String>,
    published_by: Option<String>,
    published_at: Option<String>,
}

fn report_out(r: &Report) -> ReportOut {
    ReportOut {
        id: r.id,
        kind: r.kind.code().into(),
        title: r.title.clone(),
        period: r.period.code(),
        period_start: r.period.start.to_string(),
        period_end: r.period.end.to_string(),
        status: r.status.code().into(),
        created_by: r.created_by.clone(),
        created_at: r.created_at.clone(),
        updated_at: r.updated_at.clone(),
        reviewed_by: r.reviewed_by.clone(),
        reviewed_at: r.reviewed_at.clone(),
        review_summary: r.review_summary.clone(),
        published_by: r.published_by.clone(),
        published_at: r.published_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportGapOut {
    /// Names the gap while the records stand: explain it with `PUT /reports/{id}/gaps/{code}`.
    code: String,
    /// The section it belongs to.
    section: String,
    message: String,
    /// The page where it is put right.
    link: String,
    /// Why the records cannot put it right, printed in the report.
    explanation: Option<String>,
    /// It may be explained (a section with nothing written is put right only by writing it).
    explainable: bool,
}

fn gap_out(g: &Gap) -> ReportGapOut {
    ReportGapOut {
        code: g.code.clone(),
        section: g.section.code().into(),
        message: g.message.clone(),
        link: g.link.clone(),
        explanation: g.explanation.clone(),
        explainable: g.explainable(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportSectionOut {
    key: String,
    title: String,
    /// The codes of the statutory items it answers.
    answers: Vec<String>,
    narrative: Option<String>,
    written_by: Option<String>,
    written_at: Option<String>,
    /// Whom it is asked of, and by when.
    author: Option<authors::ReportAuthorOut>,
    gaps: Vec<ReportGapOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatutoryItemOut {
    code: String,
    text: String,
    source: String,
    /// The sections that answer it.
    sections: Vec<String>,
    /// Every section that answers it is without a gap.
    answered: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDetailOut {
    #[serde(flatten)]
    report: ReportOut,
    /// The day the records were read.
    as_of: String,
    items: Vec<StatutoryItemOut>,
    sections: Vec<ReportSectionOut>,
    /// Every gap once, section by section.
    gaps: Vec<ReportGapOut>,
    /// The scrutineer's comments on sections, with the responses.
    comments: Vec<sign_off::ReportCommentOut>,
    /// Each statutory partner with its agreement, if recorded.
    partners: Vec<sign_off::ReportPartnerOut>,
    /// The files as published, with the SHA-256 of each (a published report only).
    files: Vec<sign_off::ReportFileOut>,
    /// Whom this kind of report is sent to, from the configuration, with its source.
    distribution: Option<sign_off::ReportDistributionOut>,
    /// Whom it was sent to, how and when.
    sendings: Vec<sign_off::ReportSendingOut>,
    /// A scrutiny report's pieces of scrutiny (empty for the others).
    activities: Vec<scrutiny::ReportActivityOut>,
    /// A scrutiny report's recommendations with the partners' responses (empty for the others).
    recommendations: Vec<scrutiny::ReportRecommendationOut>,
}

pub(crate) fn detail_out(v: &ReportView) -> Result<ReportDetailOut, ApiError> {
    let report = v.report.as_ref().ok_or(ApiError::Core(assure_core::CoreError::NotFound))?;
    Ok(ReportDetailOut {
        report: report_out(report),
        as_of: v.as_of.to_string(),
        items: v
            .items()
            .into_iter()
            .map(|(item, sections, answered)| StatutoryItemOut {
                code: item.code.into(),
                text: item.text.into(),
                source: item.source.into(),
                sections: sections.iter().map(|s| s.code().to_owned()).collect(),
                answered,
            })
            .collect(),
        sections: v
            .sections
            .iter()
            .map(|s| ReportSectionOut {
                key: s.key.code().into(),
                title: s.title().into(),
                answers: s.answers.iter().map(|a| a.code.to_owned()).collect(),
                narrative: s.narrative.clone(),
                written_by: s.written_by.as_ref().map(|w| w.0.clone()),
                written_at: s.written_by.as_ref().map(|w| w.1.clone()),
                author: s.author.as_ref().map(authors::author_out),
                gaps: s.gaps.iter().map(gap_out).collect(),
            })
            .collect(),
        gaps: v.gaps().into_iter().map(gap_out).collect(),
        comments: v.comments.iter().map(sign_off::comment_out).collect(),
        partners: sign_off::partners_out(v),
        files: v.files.iter().map(sign_off::file_out).collect(),
        distribution: sign_off::distribution_out(v),
        sendings: v.sendings.iter().map(sign_off::sending_out).collect(),
        activities: v.activities.iter().map(scrutiny::activity_out).collect(),
        recommendations: v.recommendations.iter().map(scrutiny::recommendation_out).collect(),
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The partnership's yearly reports, the latest period first (the business unit, the
/// scrutineer and administrators).
#[utoipa::path(get, path = "/reports", tag = "reports", params(ReportParams), responses((status = 200, body = ListOf<ReportOut>), (status = 404, body = Problem)))]
pub async fn reports(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ReportParams>,
) -> Result<Json<ListOf<ReportOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let list = state.core.reports(&user.ctx, p).await?;
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(list.reports.iter().map(report_out).collect())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportIn {
    /// children, adults or scrutiny (the scrutineer starts their own).
    #[serde(default)]
    #[schema(required = true, example = "adults")]
    kind: String,
    /// A financial year (`2022-23`) or whole months (`2021-10 to 2023-03`), at most 36 months.
    #[serde(default)]
    #[schema(required = true, example = "2022-23")]
    period: String,
    /// Leave out for the usual title.
    #[serde(default)]
    title: Option<String>,
}

/// Starts a report of a kind for a period (the business unit; the scrutineer their scrutiny
/// report); one report per kind and period.
#[utoipa::path(post, path = "/reports", tag = "reports", params(ReportParams), request_body = ReportIn, responses((status = 201, body = ReportDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ReportParams>,
    ApiJson(r): ApiJson<ReportIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = ReportInput { kind: r.kind, period: r.period, title: r.title.unwrap_or_default() };
    let id = state.core.create_report(&user.ctx, p, &input).await?;
    let view = state.core.report(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/reports/{id}"), detail_out(&view)?))
}

/// One report as the records stand today: its sections, the statutory items and whether each
/// is answered, and every gap with the page where it is put right. Every case review it names
/// is logged as read.
#[utoipa::path(get, path = "/reports/{id}", tag = "reports", params(("id" = i64, Path)), responses((status = 200, body = ReportDetailOut), (status = 404, body = Problem)))]
pub async fn report(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ReportDetailOut>, ApiError> {
    Ok(Json(detail_out(&state.core.report(&user.ctx, path_id(&id)?).await?)?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportSectionIn {
    /// The section's words; paragraphs separated by a blank line. Empty or left out clears them.
    #[serde(default)]
    narrative: Option<String>,
}
