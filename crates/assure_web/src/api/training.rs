//! API for training and events: the programme (events with their sessions), adding events and
//! sessions, a session with the bookings the caller may see, the register (by marks, or an
//! online meeting's attendance report as the request's body), the report for a period and the
//! charges for places not used. Booking itself is the public's, on the booking pages.

use assure_core::training::{Booking, Charge, Event, Report, ReportRow, Session};
use assure_domain::structure::Choice;
use assure_domain::training::{EventInput, SessionInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::structure::created;
use crate::api::{ApiJson, ListOf, Paging, Query, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingSessionOut {
    id: i64,
    event_id: i64,
    /// The day, and the times as a clock in England shows them ("09:00").
    on: String,
    starts_at: String,
    ends_at: String,
    place: Option<String>,
    online: bool,
    capacity: i64,
    booked: i64,
    /// Places offered to the waiting list and held until accepted or lapsed.
    offered: i64,
    waiting: i64,
    per_organisation: Option<i64>,
    trainer: Option<String>,
    /// Why it was cancelled; null while it stands.
    cancelled: Option<String>,
    /// Its public booking page.
    booking_page: String,
}

impl From<&Session> for TrainingSessionOut {
    fn from(s: &Session) -> Self {
        TrainingSessionOut {
            id: s.id,
            event_id: s.event_id,
            on: s.starts.date().to_string(),
            starts_at: s.starts.format("%H:%M").to_string(),
            ends_at: s.ends.format("%H:%M").to_string(),
            place: s.place.clone(),
            online: s.online_link.is_some(),
            capacity: s.capacity,
            booked: s.booked,
            offered: s.offered,
            waiting: s.waiting,
            per_organisation: s.per_organisation,
            trainer: s.trainer.clone(),
            cancelled: s.cancelled_reason.clone(),
            booking_page: format!("/book/{}", s.id),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingEventOut {
    id: i64,
    title: String,
    kind: String,
    description: Option<String>,
    /// Sector codes of the audience; empty: every sector.
    sectors: Vec<String>,
    /// The partnership's agencies it is for; empty: every agency.
    organisation_ids: Vec<i64>,
    levels: Option<String>,
    programme: Option<String>,
    priority_ids: Vec<i64>,
    review_ids: Vec<i64>,
    sessions: Vec<TrainingSessionOut>,
}

fn event_out(e: &Event, sessions: &[Session]) -> TrainingEventOut {
    TrainingEventOut {
        id: e.id,
        title: e.title.clone(),
        kind: e.kind.code().into(),
        description: e.description.clone(),
        sectors: e.sectors.iter().map(|s| s.code().to_owned()).collect(),
        organisation_ids: e.organisation_ids.iter().map(|o| o.0).collect(),
        levels: e.levels.clone(),
        programme: e.programme.clone(),
        priority_ids: e.priority_ids.clone(),
        review_ids: e.review_ids.clone(),
        sessions: sessions.iter().map(Into::into).collect(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrainingParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The partnership's training events with their sessions, the latest first.
#[utoipa::path(get, path = "/training/events", tag = "training", params(TrainingParams), responses((status = 200, body = ListOf<TrainingEventOut>), (status = 404, body = Problem)))]
pub async fn events(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<TrainingParams>,
) -> Result<Json<ListOf<TrainingEventOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let all = state.core.training(&user.ctx, p).await?.events.iter().map(|(e, s)| event_out(e, s)).collect();
    Ok(Json(Paging { page: q.page, per_page: q.per_page }.of(all)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TrainingEventIn {
    #[serde(default)]
    #[schema(required = true, example = "Safeguarding Southend Together Conference")]
    title: String,
    #[serde(default)]
    #[schema(required = true, example = "conference")]
    kind: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    sectors: Vec<String>,
    /// The partnership's agencies it is for, by organisation id; none: every agency.
    #[serde(default)]
    organisation_ids: Vec<i64>,
    #[serde(default)]
    levels: Option<String>,
    /// Required for champions' training.
    #[serde(default)]
    programme: Option<String>,
    #[serde(default)]
    priority_ids: Vec<i64>,
    #[serde(default)]
    review_ids: Vec<i64>,
}

/// Adds an event.
#[utoipa::path(post, path = "/training/events", tag = "training", params(TrainingParams), request_body = TrainingEventIn, responses((status = 201, body = TrainingEventOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_event(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<TrainingParams>,
    ApiJson(b): ApiJson<TrainingEventIn>,
) -> Result<Response, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let input = EventInput {
        title: b.title,
        kind: b.kind,
        description: b.description.unwrap_or_default(),
        sectors: b.sectors,
        organisation_ids: b.organisation_ids.iter().map(i64::to_string).collect(),
        levels: b.levels.unwrap_or_default(),
        programme: b.programme.unwrap_or_default(),
        priority_ids: b.priority_ids.iter().map(i64::to_string).collect(),
        review_ids: b.review_ids.iter().map(i64::to_string).collect(),
    };
    let id = state.core.create_training_event(&user.ctx, p, &input).await?;
    let v = state.core.training_event(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/training/events/{id}"), event_out(&v.event, &v.sessions)))
}

/// An event with its sessions.
#[utoipa::path(get, path = "/training/events/{id}", tag = "training", params(("id" = i64, Path)), responses((status = 200, body = TrainingEventOut), (status = 404, body = Problem)))]
pub async fn event(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<TrainingEventOut>, ApiError> {
    let v = state.core.training_event(&user.ctx, path_id(&id)?).await?;
    Ok(Json(event_out(&v.event, &v.sessions)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TrainingSessionIn {
    #[serde(default)]
    #[schema(required = true, example = "2027-03-24")]
    on: String,
    #[serde(default)]
    #[schema(required = true, example = "09:00")]
    starts_at: String,
    #[serde(default)]
    #[schema(required = true, example = "16:30")]
    ends_at: String,
    #[serde(default)]
    place: Option<String>,
    /// https; given to those booked only.
    #[serde(default)]
    online_link: Option<String>,
    #[serde(default)]
    #[schema(required = true, example = 300)]
    capacity: Option<i64>,
    #[serde(default)]
    trainer: Option<String>,
    #[serde(default)]
    per_organisation: Option<i64>,
}

/// Adds a session to an event.
#[utoipa::path(post, path = "/training/events/{id}/sessions", tag = "training", params(("id" = i64, Path)), request_body = TrainingSessionIn, responses((status = 201, body = TrainingSessionDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_session(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TrainingSessionIn>,
) -> Result<Response, ApiError> {
    let input = SessionInput {
        on: b.on,
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        place: b.place.unwrap_or_default(),
        online_link: b.online_link.unwrap_or_default(),
        capacity: b.capacity.map(|c| c.to_string()).unwrap_or_default(),
        trainer: b.trainer.unwrap_or_default(),
        per_organisation: b.per_organisation.map(|c| c.to_string()).unwrap_or_default(),
    };
    let s = state.core.add_training_session(&user.ctx, path_id(&id)?, &input).await?;
    let out: TrainingSessionDetailOut = state.core.training_session(&user.ctx, s).await?.into();
    Ok(created(format!("/api/v1/training/sessions/{s}"), out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingBookingOut {
    id: i64,
    status: String,
    attendance: Option<String>,
    /// None once the booking's details are erased.
    name: Option<String>,
    email: Option<String>,
    organisation_id: Option<i64>,
    organisation: Option<String>,
    sector: String,
    role: Option<String>,
    champion: Option<String>,
    evaluated: bool,
    confidence_before: Option<i64>,
    confidence_after: Option<i64>,
    rating: Option<i64>,
    followed_up: bool,
    countersigned: bool,
}

impl From<Booking> for TrainingBookingOut {
    fn from(b: Booking) -> Self {
        TrainingBookingOut {
            id: b.id,
            status: b.status.code().into(),
            attendance: b.attendance.map(|a| a.code().into()),
            name: b.name,
            email: b.email,
            organisation_id: b.organisation_id.map(|o| o.0),
            organisation: b.organisation_name,
            sector: b.sector.code().into(),
            role: b.role,
            champion: b.champion.map(|c| c.code().into()),
            evaluated: b.evaluated_at.is_some(),
            confidence_before: b.confidence_before,
            confidence_after: b.confidence_after,
            rating: b.rating,
            followed_up: b.followed_up_at.is_some(),
            countersigned: b.countersigned_at.is_some(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingSessionDetailOut {
    #[serde(flatten)]
    session: TrainingSessionOut,
    event_title: String,
    /// Every booking for the business unit and the scrutineer; an agency lead's organisation's own.
    bookings: Vec<TrainingBookingOut>,
}

impl From<assure_core::training::SessionView> for TrainingSessionDetailOut {
    fn from(v: assure_core::training::SessionView) -> Self {
        TrainingSessionDetailOut {
            session: (&v.session).into(),
            event_title: v.event.title,
            bookings: v.bookings.into_iter().map(Into::into).collect(),
        }
    }
}

/// A session with the bookings the caller may see.
#[utoipa::path(get, path = "/training/sessions/{id}", tag = "training", params(("id" = i64, Path)), responses((status = 200, body = TrainingSessionDetailOut), (status = 404, body = Problem)))]
pub async fn session(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<TrainingSessionDetailOut>, ApiError> {
    Ok(Json(state.core.training_session(&user.ctx, path_id(&id)?).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TrainingCancelIn {
    /// Why it is cancelled: told to everyone booked or waiting.
    #[serde(default)]
    #[schema(required = true, example = "The trainer is ill")]
    reason: String,
}

/// Cancels a session that has not started, with every booking on it (each person told by
/// e-mail; nobody charged).
#[utoipa::path(post, path = "/training/sessions/{id}/cancel", tag = "training", params(("id" = i64, Path)), request_body = TrainingCancelIn, responses((status = 200, body = TrainingSessionDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TrainingCancelIn>,
) -> Result<Json<TrainingSessionDetailOut>, ApiError> {
    let id = path_id(&id)?;
    state.core.cancel_training_session(&user.ctx, id, &b.reason).await?;
    Ok(Json(state.core.training_session(&user.ctx, id).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TrainingMarkIn {
    #[schema(required = true)]
    booking_id: i64,
    /// attended, late_cancellation, no_show, or null to clear.
    #[serde(default)]
    attendance: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TrainingRegisterIn {
    #[serde(default)]
    #[schema(required = true)]
    marks: Vec<TrainingMarkIn>,
}

/// Takes the register: each booked place's attendance (refused whole if any is not a place on
/// the session).
#[utoipa::path(put, path = "/training/sessions/{id}/register", tag = "training", params(("id" = i64, Path)), request_body = TrainingRegisterIn, responses((status = 200, body = TrainingSessionDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TrainingRegisterIn>,
) -> Result<Json<TrainingSessionDetailOut>, ApiError> {
    let id = path_id(&id)?;
    let marks: Vec<(i64, String)> =
        b.marks.into_iter().map(|m| (m.booking_id, m.attendance.unwrap_or_default())).collect();
    state.core.mark_register(&user.ctx, id, &marks).await?;
    Ok(Json(state.core.training_session(&user.ctx, id).await?.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingRegisterImportOut {
    marked: usize,
    /// Addresses in the report with no booking: "Row 4: someone@example.org".
    not_booked: Vec<String>,
    skipped: usize,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportFileParams {
    /// The report's file name (its extension says CSV or XLSX).
    pub name: Option<String>,
}

/// Marks attended every booked place whose address is in an online meeting's attendance report
/// (CSV or XLSX, the body of the request, up to 2 MB); a report that cannot be read is refused
/// by row and column, nothing marked.
#[utoipa::path(post, path = "/training/sessions/{id}/attendance-report", tag = "training", params(("id" = i64, Path), ReportFileParams), request_body(content = crate::api::meetings::agenda::FileBytes, content_type = "application/octet-stream"), responses((status = 200, body = TrainingRegisterImportOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn attendance_report(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<ReportFileParams>,
    body: axum::body::Body,
) -> Result<Json<TrainingRegisterImportOut>, ApiError> {
    let id = path_id(&id)?;
    // Authorized before a byte of the file is read.
    state.core.permit_register_import(&user.ctx, id).await?;
    let name = q.name.unwrap_or_default();
    if name.trim().is_empty() {
        return Err(assure_domain::FieldErrors::single("name", "Give the report's file name in name").into());
    }
    let bytes = crate::api::file_body(&state, body, assure_core::training::REPORT_LIMITS.max_bytes).await?;
    let done = state.core.import_register(&user.ctx, id, &name, bytes.to_vec()).await?;
    Ok(Json(TrainingRegisterImportOut {
        marked: done.marked,
        not_booked: done.not_booked.iter().map(|(row, email)| format!("Row {row}: {email}")).collect(),
        skipped: done.skipped,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    pub partnership: Option<String>,
    /// YYYY-MM-DD; by default the start of this financial year.
    pub from: Option<String>,
    /// YYYY-MM-DD; by default today.
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountsOut {
    name: String,
    booked: i64,
    attended: i64,
    no_show: i64,
    late_cancellation: i64,
    cancelled: i64,
}

impl From<&ReportRow> for CountsOut {
    fn from(r: &ReportRow) -> Self {
        let c = &r.counts;
        CountsOut {
            name: r.name.clone(),
            booked: c.booked,
            attended: c.attended,
            no_show: c.no_show,
            late_cancellation: c.late_cancellation,
            cancelled: c.cancelled,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventResultsOut {
    event_id: i64,
    title: String,
    sessions: i64,
    attended: i64,
    evaluations: i64,
    /// Averages on the 1 to 5 scales, in tenths.
    confidence_before_tenths: Option<i64>,
    confidence_after_tenths: Option<i64>,
    rating_tenths: Option<i64>,
    follow_ups_returned: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChampionsOut {
    programme: String,
    new: i64,
    refreshed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingReportOut {
    from: String,
    to: String,
    sessions: usize,
    booked: i64,
    attended: i64,
    no_show: i64,
    late_cancellation: i64,
    cancelled: i64,
    by_organisation: Vec<CountsOut>,
    by_sector: Vec<CountsOut>,
    by_kind: Vec<CountsOut>,
    by_event: Vec<EventResultsOut>,
    evaluations: i64,
    /// Averages on the 1 to 5 scales, in tenths (34 is 3.4).
    confidence_before_tenths: Option<i64>,
    confidence_after_tenths: Option<i64>,
    rating_tenths: Option<i64>,
    follow_ups_sent: i64,
    follow_ups_returned: i64,
    countersigned: i64,
    champions: Vec<ChampionsOut>,
    /// The caller sees their own organisation's bookings only.
    own_organisation_only: bool,
}

impl From<Report> for TrainingReportOut {
    fn from(r: Report) -> Self {
        TrainingReportOut {
            from: r.from.to_string(),
            to: r.to.to_string(),
            sessions: r.sessions,
            booked: r.total.booked,
            attended: r.total.attended,
            no_show: r.total.no_show,
            late_cancellation: r.total.late_cancellation,
            cancelled: r.total.cancelled,
            by_organisation: r.by_organisation.iter().map(Into::into).collect(),
            by_sector: r.by_sector.iter().map(Into::into).collect(),
            by_kind: r.by_kind.iter().map(Into::into).collect(),
            by_event: r
                .by_event
                .iter()
                .map(|e| EventResultsOut {
                    event_id: e.event_id,
                    title: e.title.clone(),
                    sessions: e.sessions,
                    attended: e.attended,
                    evaluations: e.evaluations,
                    confidence_before_tenths: e.confidence_before,
                    confidence_after_tenths: e.confidence_after,
                    rating_tenths: e.rating,
                    follow_ups_returned: e.follow_ups_returned,
                })
                .collect(),
            evaluations: r.evaluations,
            confidence_before_tenths: r.confidence_before,
            confidence_after_tenths: r.confidence_after,
            rating_tenths: r.rating,
            follow_ups_sent: r.follow_ups_sent,
            follow_ups_returned: r.follow_ups_returned,
            countersigned: r.countersigned,
            champions: r
                .champions
                .into_iter()
                .map(|c| ChampionsOut { programme: c.programme, new: c.new, refreshed: c.refreshed })
                .collect(),
            own_organisation_only: r.own_only,
        }
    }
}

fn period(q: &PeriodParams) -> Result<(chrono::NaiveDate, chrono::NaiveDate), ApiError> {
    assure_domain::training::report_period(
        q.from.as_deref().unwrap_or_default(),
        q.to.as_deref().unwrap_or_default(),
        assure_domain::uk_time::uk_today(),
    )
    .map_err(Into::into)
}

/// What the training of a period reached.
#[utoipa::path(get, path = "/training/report", tag = "training", params(PeriodParams), responses((status = 200, body = TrainingReportOut), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn report(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PeriodParams>,
) -> Result<Json<TrainingReportOut>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let (from, to) = period(&q)?;
    Ok(Json(state.core.training_report(&user.ctx, p, from, to).await?.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChargeOut {
    organisation: String,
    no_shows: i64,
    late_cancellations: i64,
    amount_pence: i64,
}

impl From<Charge> for ChargeOut {
    fn from(c: Charge) -> Self {
        ChargeOut {
            organisation: c.organisation,
            no_shows: c.no_shows,
            late_cancellations: c.late_cancellations,
            amount_pence: c.amount,
        }
    }
}

/// What each organisation is charged for places not used in a period.
#[utoipa::path(get, path = "/training/charges", tag = "training", params(PeriodParams), responses((status = 200, body = ListOf<ChargeOut>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn charges(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PeriodParams>,
) -> Result<Json<ListOf<ChargeOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let (from, to) = period(&q)?;
    let all = state.core.training_charges(&user.ctx, p, from, to).await?.into_iter().map(Into::into).collect();
    Ok(Json(Paging { page: None, per_page: None }.of(all)))
}
