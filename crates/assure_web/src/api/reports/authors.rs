//! API for a report's sections asked of their authors: the business unit asks someone to write a
//! section by a day (or withdraws the request); the author reads and writes that section, and
//! lists the sections asked of them.

use assure_core::reports::{Asked, Author, SectionForm};
use assure_domain::reports::{AuthorInput, SectionInput};
use assure_domain::structure::Choice;
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ReportParams, ReportSectionIn};
use crate::AppState;
use crate::api::{ApiJson, ListOf, Paging, Query, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportAuthorOut {
    /// The author's name and address, as their account has them.
    name: String,
    email: String,
    due_on: String,
    asked_by: String,
    /// When they were asked (UTC).
    asked_at: String,
}

pub(super) fn author_out(a: &Author) -> ReportAuthorOut {
    ReportAuthorOut {
        name: a.name.clone(),
        email: a.email.clone(),
        due_on: a.due_on.to_string(),
        asked_by: a.asked_by.clone(),
        asked_at: a.asked_at.clone(),
    }
}

/// One section as its writer reads it: what it asks, its words, and whom it is asked of (its
/// figures are on the report, for those who read it).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportSectionFormOut {
    report_id: i64,
    report_title: String,
    key: String,
    title: String,
    /// What the section asks for.
    guidance: String,
    /// The codes of the statutory items it answers.
    answers: Vec<String>,
    narrative: Option<String>,
    author: Option<ReportAuthorOut>,
    /// Why its words may not be changed now (the partners have agreed the report, or it is
    /// published).
    locked: Option<String>,
}

fn form_out(f: &SectionForm) -> ReportSectionFormOut {
    ReportSectionFormOut {
        report_id: f.report.id,
        report_title: f.report.title.clone(),
        key: f.key.code().into(),
        title: f.key.label().into(),
        guidance: f.key.guidance().into(),
        answers: f.answers.iter().map(|a| a.code.to_owned()).collect(),
        narrative: f.narrative.clone(),
        author: f.author.as_ref().map(author_out),
        locked: f.locked.clone(),
    }
}

/// One section as its writer reads it (the business unit, the section's author; in a scrutiny
/// report, the scrutineer).
#[utoipa::path(get, path = "/reports/{id}/sections/{key}", tag = "reports", params(("id" = i64, Path), ("key" = String, Path)), responses((status = 200, body = ReportSectionFormOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn section(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, key)): Path<(String, String)>,
) -> Result<Json<ReportSectionFormOut>, ApiError> {
    Ok(Json(form_out(&state.core.report_section(&user.ctx, path_id(&id)?, &key).await?)))
}

/// Writes a section's words (the business unit, the section's author; in a scrutiny report, the
/// scrutineer); returns the section as written.
#[utoipa::path(put, path = "/reports/{id}/sections/{key}", tag = "reports", params(("id" = i64, Path), ("key" = String, Path)), request_body = ReportSectionIn, responses((status = 200, body = ReportSectionFormOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn write_section(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, key)): Path<(String, String)>,
    ApiJson(s): ApiJson<ReportSectionIn>,
) -> Result<Json<ReportSectionFormOut>, ApiError> {
    let id = path_id(&id)?;
    let input = SectionInput { narrative: s.narrative.unwrap_or_default() };
    state.core.write_report_section(&user.ctx, id, &key, &input).await?;
    Ok(Json(form_out(&state.core.report_section(&user.ctx, id, &key).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportAuthorIn {
    /// The e-mail address of an account with a role in the partnership.
    #[serde(default)]
    #[schema(required = true, example = "lead@police.example.org")]
    email: String,
    /// The day the words are due: today or later, within a year.
    #[serde(default)]
    #[schema(required = true, example = "2023-06-01")]
    due_on: String,
}

/// Asks someone with a role in the partnership to write a section by a day, in place of whoever
/// was asked before (the business unit; not in a scrutiny report). They are told in Assure and by
/// e-mail.
#[utoipa::path(put, path = "/reports/{id}/sections/{key}/author", tag = "reports", params(("id" = i64, Path), ("key" = String, Path)), request_body = ReportAuthorIn, responses((status = 200, body = ReportSectionFormOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn ask_author(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, key)): Path<(String, String)>,
    ApiJson(a): ApiJson<ReportAuthorIn>,
) -> Result<Json<ReportSectionFormOut>, ApiError> {
    let id = path_id(&id)?;
    let input = AuthorInput { email: a.email, due_on: a.due_on };
    state.core.ask_report_author(&user.ctx, id, &key, &input).await?;
    Ok(Json(form_out(&state.core.report_section(&user.ctx, id, &key).await?)))
}

/// No longer asks anyone to write a section (its words stay).
#[utoipa::path(delete, path = "/reports/{id}/sections/{key}/author", tag = "reports", params(("id" = i64, Path), ("key" = String, Path)), responses((status = 200, body = ReportSectionFormOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn withdraw_author(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, key)): Path<(String, String)>,
) -> Result<Json<ReportSectionFormOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.withdraw_report_author(&user.ctx, id, &key).await?;
    Ok(Json(form_out(&state.core.report_section(&user.ctx, id, &key).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportAskedOut {
    report_id: i64,
    report_title: String,
    /// children, adults or easy-read.
    kind: String,
    section: String,
    section_title: String,
    due_on: String,
    /// The section has words.
    written: bool,
    /// Its words may still be written (no partner has agreed the report, and it is not
    /// published).
    open: bool,
}

fn asked_out(a: &Asked) -> ReportAskedOut {
    ReportAskedOut {
        report_id: a.report_id,
        report_title: a.title.clone(),
        kind: a.kind.code().into(),
        section: a.author.section.code().into(),
        section_title: a.author.section.label().into(),
        due_on: a.author.due_on.to_string(),
        written: a.written,
        open: a.open(),
    }
}

/// The sections of the partnership's reports asked of you, the soonest due first.
#[utoipa::path(get, path = "/reports/asked", tag = "reports", params(ReportParams), responses((status = 200, body = ListOf<ReportAskedOut>), (status = 404, body = Problem)))]
pub async fn asked(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ReportParams>,
) -> Result<Json<ListOf<ReportAskedOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let asked = state.core.sections_asked_of_me(&user.ctx, p).await?;
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(asked.iter().map(asked_out).collect())))
}
