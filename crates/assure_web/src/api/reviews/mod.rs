//! API for case reviews and their deadlines.

pub mod conduct;

use assure_core::reviews::ReviewDetail;
use assure_domain::reviews::{Clock, NewReviewInput, TransitionInput};
use assure_domain::structure::Choice;
use assure_domain::{RequestId, ReviewId};
use axum::Json;
use axum::extract::{Path, State};

use crate::api::Query;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::structure::{PartnershipParam, created};
use super::{ApiJson, IfMatch, ListOf, Paging, Tagged, path_id};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct ClockOut {
    /// The clock's code (notification, rapid_review, ...).
    code: String,
    /// What must be done by then.
    label: String,
    /// The due date (moved to the next working day if it falls on a non-working day).
    due: Option<String>,
    /// not_started, due, due_soon, overdue, met, met_late or paused.
    state: String,
    /// The day it was met; null until then.
    met_on: Option<String>,
    /// Working days until it is due; null once met.
    working_days_left: Option<i64>,
}

impl From<Clock> for ClockOut {
    fn from(c: Clock) -> Self {
        ClockOut {
            code: c.code,
            label: c.label,
            due: c.due.map(|d| d.to_string()),
            state: c.state.code().into(),
            met_on: c.met_on.map(|d| d.to_string()),
            working_days_left: c.working_days_left,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewOut {
    /// The review's id.
    id: i64,
    /// The partnership it belongs to.
    partnership_id: i64,
    /// The arm: children's or adults' safeguarding.
    arm: String,
    /// The review type's code, from the partnership's configured review types.
    type_code: String,
    /// The review type's name.
    type_name: String,
    /// The pseudonym of the child or adult the review is about.
    subject: String,
    /// The stage the review is at.
    stage: String,
    /// The review is paused (its clocks stop).
    paused: bool,
    /// The decision: review, another route, or no review.
    decision: Option<String>,
    /// The day the partnership became aware of the incident.
    aware_on: Option<String>,
    /// The day the national panel was notified.
    notified_on: Option<String>,
    /// The day the decision whether to review was made.
    decided_on: Option<String>,
    /// The day the final report was signed off.
    signed_off_on: Option<String>,
    /// The day publication is planned.
    planned_publication_on: Option<String>,
    /// The day the publication notice was sent.
    notice_sent_on: Option<String>,
    /// The day the report was published.
    published_on: Option<String>,
    /// The day the review was closed.
    closed_on: Option<String>,
    /// The stages it may move to next.
    next_stages: Vec<String>,
    /// The statutory clocks, each with its due date and state.
    clocks: Vec<ClockOut>,
    /// The themes the review raised.
    themes: Vec<String>,
    /// Information asked of agencies, each as a clock.
    requests: Vec<RequestOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestOut {
    /// The request's id.
    id: i64,
    /// The organisation asked.
    organisation_id: i64,
    /// The organisation asked.
    organisation: String,
    /// summary or chronology.
    kind: String,
    /// The day it was asked for.
    requested_on: String,
    /// The date it is due.
    due_on: String,
    /// The day it came back; null until then.
    returned_on: Option<String>,
    /// due, due_soon, overdue, met (returned in time) or met_late.
    state: String,
}

fn out(d: ReviewDetail) -> ReviewOut {
    let s = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string());
    let r = d.review;
    ReviewOut {
        id: r.id.0,
        partnership_id: r.partnership_id.0,
        arm: r.arm.code().into(),
        type_code: r.type_code,
        type_name: d.kind.name,
        subject: r.subject,
        stage: r.stage.code().into(),
        paused: d.paused,
        decision: r.decision.map(|x| x.code().to_owned()),
        aware_on: s(r.dates.aware_on),
        notified_on: s(r.dates.notified_on),
        decided_on: s(r.dates.decided_on),
        signed_off_on: s(r.dates.signed_off_on),
        planned_publication_on: s(r.dates.planned_publication_on),
        notice_sent_on: s(r.dates.notice_sent_on),
        published_on: s(r.dates.published_on),
        closed_on: s(r.dates.closed_on),
        next_stages: d.next.iter().map(|x| x.code().to_owned()).collect(),
        clocks: d.clocks.into_iter().map(Into::into).collect(),
        themes: d.themes.into_iter().map(|t| t.name).collect(),
        requests: d
            .requests
            .into_iter()
            .map(|(q, c)| RequestOut {
                id: q.id.0,
                organisation_id: q.organisation_id,
                organisation: q.organisation_name,
                kind: q.kind,
                requested_on: q.requested_on.to_string(),
                due_on: q.due_on.to_string(),
                returned_on: q.returned_on.map(|d| d.to_string()),
                state: c.state.code().into(),
            })
            .collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewSummary {
    /// The review's id.
    id: i64,
    /// The review type's code, from the partnership's configured review types.
    type_code: String,
    /// The pseudonym of the child or adult the review is about.
    subject: String,
    /// The stage the review is at.
    stage: String,
    /// The statutory clocks, each with its due date and state.
    clocks: Vec<ClockOut>,
}

/// The case reviews you may see (their panel, the business unit, the scrutineer); listing is logged.
#[utoipa::path(get, path = "/reviews", tag = "reviews", params(PartnershipParam, Paging), responses((status = 200, body = ListOf<ReviewSummary>), (status = 401, body = Problem)))]
pub async fn list_reviews(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<ReviewSummary>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let reviews = state.core.reviews(&user.ctx, p).await?;
    Ok(Json(
        paging.of(reviews
            .into_iter()
            .map(|(r, clocks)| ReviewSummary {
                id: r.id.0,
                type_code: r.type_code,
                subject: r.subject,
                stage: r.stage.code().into(),
                clocks: clocks.into_iter().map(Into::into).collect(),
            })
            .collect()),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewIn {
    /// The review type's code, from the partnership's configured review types.
    #[serde(default)]
    #[schema(required = true, example = "lcspr")]
    type_code: String,
    /// The arm: children's or adults' safeguarding.
    #[serde(default)]
    #[schema(required = true, example = "children")]
    arm: String,
    /// A pseudonym such as "Child H"; never a name.
    #[serde(default)]
    #[schema(required = true, example = "Child M")]
    subject: String,
    /// A short summary of the circumstances (no names).
    #[serde(default)]
    summary: Option<String>,
    /// ISO date the partnership became aware; the clocks start from it.
    #[serde(default)]
    #[schema(required = true, example = "2026-11-02")]
    aware_on: String,
}

/// Records a serious incident or referral.
#[utoipa::path(post, path = "/reviews", tag = "reviews", params(PartnershipParam), request_body = ReviewIn, responses((status = 201, body = ReviewOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_review(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    ApiJson(b): ApiJson<ReviewIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = NewReviewInput {
        type_code: b.type_code,
        arm: b.arm,
        subject: b.subject,
        summary: b.summary.unwrap_or_default(),
        aware_on: b.aware_on,
    };
    let id = state.core.create_review(&user.ctx, p, &input).await?;
    Ok(created(format!("/api/v1/reviews/{id}"), out(state.core.review(&user.ctx, id).await?)))
}

/// One review with its clocks (every read is logged).
#[utoipa::path(get, path = "/reviews/{id}", tag = "reviews", params(("id" = i64, Path)), responses((status = 200, body = ReviewOut), (status = 404, body = Problem)))]
pub async fn get_review(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ReviewOut>, ApiError> {
    Ok(Json(out(state.core.review(&user.ctx, ReviewId(path_id(&id)?)).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TransitionIn {
    /// The stage to move to: one of the review's `next_stages`.
    #[serde(default)]
    #[schema(required = true, example = "rapid_review")]
    to: String,
    /// ISO date it happened.
    #[serde(default)]
    #[schema(required = true, example = "2026-11-05")]
    on: String,
    /// A note for the history.
    #[serde(default)]
    note: Option<String>,
    /// At the decision: review, other_route or no_review.
    #[serde(default)]
    decision: Option<String>,
    /// Why the decision was made (at the decision).
    #[serde(default)]
    rationale: Option<String>,
    /// At the decision of a children's review: each statutory partner signed it off.
    #[serde(default)]
    signed_off_by_all_statutory_partners: bool,
    /// At the decision of a safeguarding adults review: the s44 conditions met.
    #[serde(default)]
    care_act_s44_conditions_met: bool,
    /// When not publishing.
    #[serde(default)]
    reason: Option<String>,
    /// When publishing with no notice to the Panel and the Secretary of State recorded: why none
    /// was needed.
    #[serde(default)]
    notice_not_needed: Option<String>,
}

/// Moves a review to its next stage.
#[utoipa::path(post, path = "/reviews/{id}/transitions", tag = "reviews", params(("id" = i64, Path)), request_body = TransitionIn, responses((status = 200, body = ReviewOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn transition(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TransitionIn>,
) -> Result<Json<ReviewOut>, ApiError> {
    let id = path_id(&id)?;
    let flag = |v: bool| if v { "on".to_owned() } else { String::new() };
    let input = TransitionInput {
        to: b.to,
        on: b.on,
        note: b.note.unwrap_or_default(),
        decision: b.decision.unwrap_or_default(),
        rationale: b.rationale.unwrap_or_default(),
        signed_la: flag(b.signed_off_by_all_statutory_partners),
        signed_police: flag(b.signed_off_by_all_statutory_partners),
        signed_icb: flag(b.signed_off_by_all_statutory_partners),
        s44_needs: flag(b.care_act_s44_conditions_met),
        s44_concern: flag(b.care_act_s44_conditions_met),
        s44_harm: flag(b.care_act_s44_conditions_met),
        reason: b.reason.unwrap_or_default(),
        notice_not_needed: b.notice_not_needed.unwrap_or_default(),
    };
    state.core.move_review(&user.ctx, ReviewId(id), &input).await?;
    Ok(Json(out(state.core.review(&user.ctx, ReviewId(id)).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PauseIn {
    /// The day the review paused.
    #[serde(default)]
    #[schema(required = true, example = "2026-11-20")]
    from: String,
    /// Why it paused (for example, a criminal trial).
    #[serde(default)]
    #[schema(required = true, example = "Awaiting the outcome of a criminal trial")]
    pause_reason: String,
}

/// Pauses a review: its clocks stop until it resumes.
#[utoipa::path(post, path = "/reviews/{id}/pause", tag = "reviews", params(("id" = i64, Path)), request_body = PauseIn, responses((status = 200, body = ReviewOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn pause(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PauseIn>,
) -> Result<Json<ReviewOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.pause_review(&user.ctx, ReviewId(id), &b.from, &b.pause_reason).await?;
    Ok(Json(out(state.core.review(&user.ctx, ReviewId(id)).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResumeIn {
    /// The day the review resumed.
    #[serde(default)]
    #[schema(required = true, example = "2027-02-01")]
    resumed_on: String,
}

/// Resumes a paused review.
#[utoipa::path(post, path = "/reviews/{id}/resume", tag = "reviews", params(("id" = i64, Path)), request_body = ResumeIn, responses((status = 200, body = ReviewOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn resume(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ResumeIn>,
) -> Result<Json<ReviewOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.resume_review(&user.ctx, ReviewId(id), &b.resumed_on).await?;
    Ok(Json(out(state.core.review(&user.ctx, ReviewId(id)).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineOut {
    /// The review's id.
    review_id: i64,
    /// The review's subject (pseudonym).
    subject: String,
    /// The review type's name.
    type_name: String,
    /// The clock.
    clock: ClockOut,
}

/// Every clock of the reviews you may see, open ones first, soonest due first.
#[utoipa::path(get, path = "/deadlines", tag = "reviews", params(PartnershipParam, Paging), responses((status = 200, body = ListOf<DeadlineOut>), (status = 401, body = Problem)))]
pub async fn deadlines(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    Query(paging): Query<Paging>,
) -> Result<Json<ListOf<DeadlineOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let all = state.core.deadlines(&user.ctx, p).await?;
    Ok(Json(
        paging.of(all
            .into_iter()
            .map(|d| DeadlineOut {
                review_id: d.review_id,
                subject: d.subject,
                type_name: d.type_name,
                clock: d.clock.into(),
            })
            .collect()),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeCount {
    /// The theme's id.
    theme_id: i64,
    /// The theme's name.
    theme: String,
    /// How many reviews raised it.
    total: i64,
    /// Counts by year, in the order of `years`.
    by_year: Vec<i64>,
    /// Counts by review type, in the order of `types`.
    by_type: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeAnalysisOut {
    /// The years counted.
    years: Vec<i32>,
    /// Review type codes, in column order.
    types: Vec<String>,
    /// Each theme with how many reviews raised it.
    themes: Vec<ThemeCount>,
    /// `cooccurrence[i][j]`: reviews raising both theme i and theme j.
    cooccurrence: Vec<Vec<i64>>,
    /// How many reviews carry at least one theme.
    reviews_tagged: i64,
}

/// Which themes recur across the partnership's reviews (counts only).
#[utoipa::path(get, path = "/themes", tag = "reviews", params(PartnershipParam), responses((status = 200, body = ThemeAnalysisOut), (status = 401, body = Problem)))]
pub async fn themes(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
) -> Result<Json<ThemeAnalysisOut>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let a = state.core.theme_analysis(&user.ctx, p).await?;
    Ok(Json(ThemeAnalysisOut {
        years: a.years,
        types: a.types.into_iter().map(|(c, _)| c).collect(),
        themes: a
            .rows
            .into_iter()
            .map(|r| ThemeCount {
                theme_id: r.theme.id,
                theme: r.theme.name,
                total: r.total,
                by_year: r.by_year,
                by_type: r.by_type,
            })
            .collect(),
        cooccurrence: a.cooccurrence,
        reviews_tagged: a.reviews_tagged,
    }))
}

/// A theme of the partnership's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeOut {
    /// The theme's id.
    id: i64,
    /// The theme's name.
    name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ThemeIn {
    /// The theme's name; one already in the list in another case or spacing is refused.
    #[serde(default)]
    #[schema(required = true, example = "Neglect")]
    name: String,
}

/// Adds a theme to the partnership's list (those who manage reviews).
#[utoipa::path(post, path = "/themes", tag = "reviews", params(PartnershipParam), request_body = ThemeIn, responses((status = 201, body = ThemeOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_theme(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PartnershipParam>,
    ApiJson(b): ApiJson<ThemeIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let id = state.core.add_theme(&user.ctx, p, &b.name).await?;
    let theme = state.core.theme_to_manage(&user.ctx, p, id).await?;
    Ok(created(format!("/api/v1/themes/{id}"), ThemeOut { id, name: theme.name }))
}

/// One theme, with its version as its ETag (for those who manage themes).
#[utoipa::path(get, path = "/themes/{id}", tag = "reviews", params(("id" = i64, Path), PartnershipParam), responses((status = 200, body = ThemeOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_theme(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<PartnershipParam>,
) -> Result<Tagged<ThemeOut>, ApiError> {
    let id = path_id(&id)?;
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let theme = state.core.theme_to_manage(&user.ctx, p, id).await?;
    Ok(Tagged(assure_core::version_of(&theme), ThemeOut { id, name: theme.name }))
}

/// Renames a theme; the reviews and recommendations tagged with it follow. Send the version you
/// read as If-Match: a theme renamed since answers 412.
#[utoipa::path(put, path = "/themes/{id}", tag = "reviews", params(("id" = i64, Path), PartnershipParam), request_body = ThemeIn, responses((status = 200, body = ThemeOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn rename_theme(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<PartnershipParam>,
    seen: IfMatch,
    ApiJson(b): ApiJson<ThemeIn>,
) -> Result<Tagged<ThemeOut>, ApiError> {
    let id = path_id(&id)?;
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    state.core.rename_theme(&user.ctx, p, id, &b.name, seen.seen()).await?;
    let theme = state.core.theme_to_manage(&user.ctx, p, id).await?;
    Ok(Tagged(assure_core::version_of(&theme), ThemeOut { id, name: theme.name }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MergeIn {
    /// The theme that takes this one's reviews and recommendations.
    #[serde(default)]
    #[schema(required = true, nullable = false)]
    into: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MergedOut {
    /// The theme kept.
    into: ThemeOut,
    /// Reviews that were tagged with the merged theme.
    reviews: i64,
}

/// Merges a theme into another: its reviews and recommendations take the other, and it leaves
/// the list.
#[utoipa::path(post, path = "/themes/{id}/merge", tag = "reviews", params(("id" = i64, Path), PartnershipParam), request_body = MergeIn, responses((status = 200, body = MergedOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn merge_theme(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<PartnershipParam>,
    ApiJson(b): ApiJson<MergeIn>,
) -> Result<Json<MergedOut>, ApiError> {
    let id = path_id(&id)?;
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let into = b.into.map(|i| i.to_string()).unwrap_or_default();
    let reviews = state.core.merge_themes(&user.ctx, p, id, &into).await?;
    let kept = state.core.theme_to_manage(&user.ctx, p, b.into.unwrap_or_default()).await?;
    Ok(Json(MergedOut { into: ThemeOut { id: kept.id, name: kept.name }, reviews }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ThemesIn {
    /// Every theme the review raised (an empty list clears them): the whole list, replacing it.
    #[schema(required = true)]
    theme_ids: Vec<i64>,
}

/// The themes a review raised, with their version as the ETag (sent back as If-Match when
/// replacing them).
#[utoipa::path(get, path = "/reviews/{id}/themes", tag = "reviews", params(("id" = i64, Path), Paging), responses((status = 200, body = ListOf<ThemeOut>), (status = 404, body = Problem)))]
pub async fn review_themes(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Tagged<ListOf<ThemeOut>>, ApiError> {
    let id = ReviewId(path_id(&id)?);
    let d = state.core.review(&user.ctx, id).await?;
    let version = assure_core::version_of(&d.review_theme_ids());
    let themes = d.themes.into_iter().map(|t| ThemeOut { id: t.id, name: t.name }).collect();
    Ok(Tagged(version, paging.of(themes)))
}

/// Replaces the themes a review raised. Send the version you read (the ETag of GET
/// /reviews/{id}/themes) as If-Match: themes changed since answer 412.
#[utoipa::path(put, path = "/reviews/{id}/themes", tag = "reviews", params(("id" = i64, Path)), request_body = ThemesIn, responses((status = 200, body = ReviewOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn set_themes(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    seen: IfMatch,
    ApiJson(b): ApiJson<ThemesIn>,
) -> Result<Tagged<ReviewOut>, ApiError> {
    let id = path_id(&id)?;
    let ids: Vec<String> = b.theme_ids.iter().map(|t| t.to_string()).collect();
    state.core.set_review_themes(&user.ctx, ReviewId(id), &ids, seen.seen()).await?;
    let d = state.core.review(&user.ctx, ReviewId(id)).await?;
    Ok(Tagged(assure_core::version_of(&d.review_theme_ids()), out(d)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RequestIn {
    /// The organisation asked.
    #[serde(default)]
    #[schema(required = true, nullable = false)]
    organisation_id: Option<i64>,
    /// summary or chronology.
    #[serde(default)]
    #[schema(required = true, example = "chronology")]
    kind: String,
    /// ISO date, today or later.
    #[serde(default)]
    #[schema(required = true, example = "2026-12-11")]
    due_on: String,
}

/// Asks an agency for its summary or chronology by a date.
#[utoipa::path(post, path = "/reviews/{id}/requests", tag = "reviews", params(("id" = i64, Path)), request_body = RequestIn, responses((status = 201, body = ReviewOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn request_information(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RequestIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let org = b.organisation_id.map(|o| o.to_string()).unwrap_or_default();
    state.core.request_information(&user.ctx, ReviewId(id), &org, &b.kind, &b.due_on).await?;
    Ok(created(format!("/api/v1/reviews/{id}"), out(state.core.review(&user.ctx, ReviewId(id)).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReturnedIn {
    /// ISO date the agency returned it.
    #[serde(default)]
    #[schema(required = true, example = "2026-12-09")]
    returned_on: String,
}

/// Records the date an agency returned what was asked.
#[utoipa::path(post, path = "/requests/{id}/returned", tag = "reviews", params(("id" = i64, Path)), request_body = ReturnedIn, responses((status = 200, body = ReviewOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn returned(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReturnedIn>,
) -> Result<Json<ReviewOut>, ApiError> {
    let review = state.core.mark_returned(&user.ctx, RequestId(path_id(&id)?), &b.returned_on).await?;
    Ok(Json(out(state.core.review(&user.ctx, review).await?)))
}
