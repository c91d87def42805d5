//! API for meetings: the meetings of the bodies a caller sees, one meeting with its seats and
//! their marks, planning a meeting, recording its attendance, and a body's attendance review.

use assure_core::meetings::{AttendanceReview, Meeting, MeetingDetail, Record};
use assure_domain::meetings::{MeetingInput, Tally};
use assure_domain::structure::Choice;
use assure_domain::{BodyId, MeetingId};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub mod agenda;
pub mod grid;
pub mod in_kind;
pub mod minutes;

use crate::AppState;
use crate::api::structure::created;
use crate::api::{ApiJson, IfMatch, ListOf, Query, Tagged, path_id};
use crate::error::{ApiError, Problem};
use crate::extract::ApiUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingOut {
    /// The meeting's id.
    id: i64,
    /// The body that meets.
    body_id: i64,
    /// The body's name.
    body_name: String,
    /// The day of the meeting.
    held_on: String,
    /// When it starts (HH:MM, in England's time).
    starts_at: String,
    /// When it ends (HH:MM), if set.
    ends_at: Option<String>,
    /// Where it is held, or its online link.
    place: Option<String>,
    /// Why it was cancelled; null while it stands.
    cancelled_reason: Option<String>,
}

impl From<Meeting> for MeetingOut {
    fn from(m: Meeting) -> Self {
        MeetingOut {
            id: m.id.0,
            body_id: m.body_id.0,
            body_name: m.body_name,
            held_on: m.held_on.to_string(),
            starts_at: m.starts_at.format("%H:%M").to_string(),
            ends_at: m.ends_at.map(|t| t.format("%H:%M").to_string()),
            place: m.place,
            cancelled_reason: m.cancelled_reason,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TallyOut {
    /// Seats held on the day.
    seats: usize,
    /// Seats whose holder, or someone for them, was there.
    represented: usize,
    /// Seats whose holder was there, in the room or remotely.
    present: usize,
    /// Seats filled by a deputy or someone else.
    deputies: usize,
    /// Seats whose holder sent apologies (with or without a deputy).
    apologies: usize,
    /// Seats absent without apologies.
    absent: usize,
    /// Seats with no mark yet.
    not_recorded: usize,
    /// Seats represented as a percentage of seats, to one decimal place; null with no seats.
    represented_percent: Option<f64>,
}

impl From<Tally> for TallyOut {
    fn from(t: Tally) -> Self {
        TallyOut {
            seats: t.seats,
            represented: t.represented,
            present: t.present,
            deputies: t.deputies,
            apologies: t.apologies,
            absent: t.absent,
            not_recorded: t.not_recorded,
            represented_percent: t.represented_percent(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SeatOut {
    /// The membership that is the seat.
    membership_id: i64,
    /// The seat's holder.
    person_name: String,
    /// The holder's role on the body.
    role: String,
    /// The organisation the seat represents, if any.
    organisation_name: Option<String>,
    /// The organisation is a statutory partner.
    statutory: bool,
    /// How the seat was filled.
    presence: String,
    /// Who sat in the seat for its holder (a deputy or someone else).
    attended_by: Option<String>,
    /// The holder's reply to the invitation, if given.
    reply: Option<String>,
    /// The deputy the holder said they send.
    reply_deputy: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingDetailOut {
    /// The meeting.
    meeting: MeetingOut,
    /// Held: on or before today and not cancelled.
    held: bool,
    /// The seats the caller may see, with their marks.
    seats: Vec<SeatOut>,
    /// Seats held by restricted people the caller does not see; they count in the tally.
    hidden_seats: usize,
    /// The seats counted by how they were filled.
    tally: TallyOut,
    /// Whether the meeting was quorate; null before it is held or when the body has no rule.
    quorate: Option<bool>,
    /// Others in attendance, who hold no seat (officers, guests, presenters).
    others: Vec<OtherOut>,
    /// Why the meeting's day is not a working day (a bank holiday), or null when it is one.
    not_a_working_day: Option<String>,
    /// Its agenda, in order, with the papers the caller may read.
    agenda: Vec<agenda::AgendaItemOut>,
    /// The day its papers are due.
    papers_due_on: String,
    /// When the pack was published to the members (RFC 3339, UTC); null until it is.
    pack_published_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OtherOut {
    /// Their name.
    #[schema(example = "Sam Lee")]
    name: String,
    /// What they came as, if recorded.
    #[schema(example = "Business unit")]
    came_as: Option<String>,
}

impl From<MeetingDetail> for MeetingDetailOut {
    fn from(d: MeetingDetail) -> Self {
        MeetingDetailOut {
            held: d.held,
            seats: d
                .seats
                .into_iter()
                .map(|s| SeatOut {
                    membership_id: s.membership.id.0,
                    person_name: s.membership.person_name,
                    role: s.membership.role.code().into(),
                    organisation_name: s.membership.organisation_name,
                    statutory: s.statutory,
                    presence: s.mark.presence.code().into(),
                    attended_by: s.mark.attended_by,
                    reply: s.reply.as_ref().map(|r| r.reply.code().to_owned()),
                    reply_deputy: s.reply.and_then(|r| r.deputy),
                })
                .collect(),
            hidden_seats: d.hidden_seats,
            tally: d.tally.into(),
            quorate: d.quorate,
            others: d.guests.into_iter().map(|g| OtherOut { name: g.name, came_as: g.came_as }).collect(),
            not_a_working_day: d.not_a_working_day,
            papers_due_on: d.agenda.papers_due_on.to_string(),
            pack_published_at: d.meeting.pack_published.as_ref().map(|(at, _)| at.clone()),
            agenda: {
                let edits = d.agenda.can_edit;
                d.agenda.items.into_iter().map(|v| agenda::AgendaItemOut::of(v, edits)).collect()
            },
            meeting: d.meeting.into(),
        }
    }
}

/// Which meetings to list: a partnership and a period (by default the last three months and the
/// next twelve).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingsParams {
    /// The partnership's short name; defaults to your first partnership.
    pub partnership: Option<String>,
    /// The first day (a date); by default 92 days ago.
    pub from: Option<String>,
    /// The last day (a date); by default 366 days ahead.
    pub to: Option<String>,
    /// The page (from 1).
    pub page: Option<i64>,
    /// Items a page (1 to 200).
    pub per_page: Option<i64>,
}

fn date_param(field: &str, raw: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => assure_domain::validation::optional_date(field, s)
            .map_err(|m| ApiError::from(assure_domain::FieldErrors::single(field, m))),
    }
}

/// The meetings of every body the caller sees, in date order.
#[utoipa::path(get, path = "/meetings", tag = "meetings", params(MeetingsParams), responses((status = 200, body = ListOf<MeetingOut>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<MeetingsParams>,
) -> Result<Json<ListOf<MeetingOut>>, ApiError> {
    let p = user.partnership(&state, q.partnership.as_deref()).await?;
    let today = state.core.today();
    let from = date_param("from", q.from.as_deref())?.unwrap_or(today - chrono::Days::new(92));
    let to = date_param("to", q.to.as_deref())?.unwrap_or(today + chrono::Days::new(366));
    let all = state.core.meetings(&user.ctx, p, from, to).await?;
    let paging = crate::api::Paging { page: q.page, per_page: q.per_page };
    Ok(Json(paging.of(all.into_iter().map(Into::into).collect())))
}

/// One meeting with its seats, how each was filled, and whether it was quorate. The ETag is the
/// version of the meeting and its marks.
#[utoipa::path(get, path = "/meetings/{id}", tag = "meetings", params(("id" = i64, Path)), responses((status = 200, body = MeetingDetailOut), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Tagged<MeetingDetailOut>, ApiError> {
    let detail = state.core.meeting(&user.ctx, MeetingId(path_id(&id)?)).await?;
    Ok(Tagged(detail.version.clone(), detail.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MeetingIn {
    /// The day of the meeting.
    #[serde(default)]
    #[schema(required = true, example = "2027-02-09")]
    held_on: String,
    /// When it starts, HH:MM on the 24-hour clock.
    #[serde(default)]
    #[schema(required = true, example = "10:00")]
    starts_at: String,
    /// When it ends, HH:MM, if set.
    #[serde(default)]
    #[schema(example = "12:00")]
    ends_at: Option<String>,
    /// Where it is held, or its online link.
    #[serde(default)]
    #[schema(example = "Civic Centre, Southend")]
    place: Option<String>,
}

/// Plans a meeting of a body.
#[utoipa::path(post, path = "/bodies/{id}/meetings", tag = "meetings", params(("id" = i64, Path)), request_body = MeetingIn, responses((status = 201, body = MeetingOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<MeetingIn>,
) -> Result<Response, ApiError> {
    let input = MeetingInput {
        held_on: b.held_on,
        starts_at: b.starts_at,
        ends_at: b.ends_at.unwrap_or_default(),
        place: b.place.unwrap_or_default(),
    };
    let id = state.core.create_meeting(&user.ctx, BodyId(path_id(&id)?), &input).await?;
    let detail = state.core.meeting(&user.ctx, id).await?;
    Ok(created(format!("/api/v1/meetings/{id}"), MeetingOut::from(detail.meeting)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PlanIn {
    /// Which of the month's weekdays: 1 to 4, or last.
    #[serde(default)]
    #[schema(required = true, example = "2")]
    week: String,
    /// The day of the week, monday to friday.
    #[serde(default)]
    #[schema(required = true, example = "tuesday")]
    weekday: String,
    /// The months it meets in, 1 (January) to 12.
    #[serde(default)]
    #[schema(required = true, example = json!([2, 5, 9, 12]))]
    months: Vec<u32>,
    /// When each meeting starts, HH:MM on the 24-hour clock.
    #[serde(default)]
    #[schema(required = true, example = "10:00")]
    starts_at: String,
    /// When each meeting ends, HH:MM, if set.
    #[serde(default)]
    #[schema(example = "12:00")]
    ends_at: Option<String>,
    /// Where the meetings are held, or their online link.
    #[serde(default)]
    place: Option<String>,
}

/// Plans a body's meetings for the next twelve months by a pattern (the second Tuesday of
/// February, May, September and December), skipping days it already meets. All or nothing.
#[utoipa::path(post, path = "/bodies/{id}/meetings/plan", tag = "meetings", params(("id" = i64, Path)), request_body = PlanIn, responses((status = 201, body = ListOf<MeetingOut>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn plan(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PlanIn>,
) -> Result<Response, ApiError> {
    let body = BodyId(path_id(&id)?);
    let input = assure_domain::meetings::PlanInput {
        week: b.week,
        weekday: b.weekday,
        months: b.months.iter().map(u32::to_string).collect(),
        starts_at: b.starts_at,
        ends_at: b.ends_at.unwrap_or_default(),
        place: b.place.unwrap_or_default(),
    };
    let made = state.core.plan_meetings(&user.ctx, body, state.core.today(), &input).await?;
    let (_, all, _) = state.core.meetings_of_body(&user.ctx, body).await?;
    let planned: Vec<MeetingOut> = all.into_iter().filter(|m| made.contains(&m.id)).map(Into::into).collect();
    // Several meetings: each is at /api/v1/meetings/{id}; no one Location names them all.
    Ok((axum::http::StatusCode::CREATED, Json(crate::api::Paging::default().of(planned))).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkIn {
    /// The seat: a membership of the body current on the meeting's day.
    #[schema(required = true)]
    membership_id: i64,
    /// How the seat was filled.
    #[schema(required = true, example = "deputy")]
    presence: String,
    /// Who sat in the seat for its holder: required for deputy and someone_else.
    #[serde(default)]
    #[schema(example = "June Mitchell")]
    attended_by: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AttendanceIn {
    /// The seats to mark; seats not given keep their marks (not_recorded removes one).
    #[schema(required = true)]
    marks: Vec<MarkIn>,
    /// Others in attendance, who hold no seat: when given, they replace those recorded (an empty
    /// list removes them); when left out, those recorded are kept.
    #[serde(default)]
    others: Option<Vec<OtherIn>>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OtherIn {
    /// Their name.
    #[schema(required = true, example = "Sam Lee")]
    name: String,
    /// What they came as.
    #[serde(default)]
    #[schema(example = "Business unit")]
    came_as: Option<String>,
}

/// Records how seats were filled at a meeting that has been held. All or nothing. Send the
/// meeting's ETag as If-Match to refuse the change (412) if anyone changed it since.
#[utoipa::path(put, path = "/meetings/{id}/attendance", tag = "meetings", params(("id" = i64, Path)), request_body = AttendanceIn, responses((status = 200, body = MeetingDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn record(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    seen: IfMatch,
    ApiJson(b): ApiJson<AttendanceIn>,
) -> Result<Tagged<MeetingDetailOut>, ApiError> {
    let id = MeetingId(path_id(&id)?);
    let marks: Vec<(String, String, String)> = b
        .marks
        .into_iter()
        .map(|m| (m.membership_id.to_string(), m.presence, m.attended_by.unwrap_or_default()))
        .collect();
    let others: Option<Vec<(String, Option<String>)>> =
        b.others.map(|list| list.into_iter().map(|o| (o.name, o.came_as)).collect());
    let others = others.as_deref().map(assure_core::meetings::Others::List);
    state.core.record_attendance(&user.ctx, id, &marks, others, seen.seen()).await?;
    let detail = state.core.meeting(&user.ctx, id).await?;
    Ok(Tagged(detail.version.clone(), detail.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingLineOut {
    /// The meeting's id.
    meeting_id: i64,
    /// The day it was held.
    held_on: String,
    /// Its seats counted by how they were filled.
    tally: TallyOut,
    /// Whether it was quorate; null when the body has no quorum rule.
    quorate: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecordOut {
    /// The seat (its holder and role) or the organisation.
    name: String,
    /// A seat's organisation.
    detail: Option<String>,
    /// A statutory partner (or a seat of one).
    statutory: bool,
    /// Meetings held while it held a seat.
    held: usize,
    /// Of those, meetings at which it was represented.
    represented: usize,
    /// Of those, meetings at which a deputy or someone else sat for it.
    by_deputy: usize,
    /// Represented as a percentage of meetings held, to one decimal place.
    percent: Option<f64>,
}

impl From<Record> for RecordOut {
    fn from(r: Record) -> Self {
        RecordOut {
            percent: r.percent(),
            name: r.name,
            detail: r.detail,
            statutory: r.statutory,
            held: r.held,
            represented: r.represented,
            by_deputy: r.by_deputy,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttendanceOut {
    /// The body.
    body_id: i64,
    /// The first day of the period, if one was given.
    from: Option<String>,
    /// The last day of the period, if one was given.
    to: Option<String>,
    /// Every meeting held in the period, in date order.
    meetings: Vec<MeetingLineOut>,
    /// Each organisation, the statutory partners first.
    organisations: Vec<RecordOut>,
    /// Each seat the caller may see, the statutory partners' first.
    seats: Vec<RecordOut>,
    /// Seats not represented at the last two meetings held.
    unrepresented_twice: Vec<String>,
}

impl From<AttendanceReview> for AttendanceOut {
    fn from(r: AttendanceReview) -> Self {
        AttendanceOut {
            body_id: r.body.id.0,
            from: r.from.map(|d| d.to_string()),
            to: r.to.map(|d| d.to_string()),
            meetings: r
                .meetings
                .into_iter()
                .map(|l| MeetingLineOut {
                    meeting_id: l.meeting.id.0,
                    held_on: l.meeting.held_on.to_string(),
                    tally: l.tally.into(),
                    quorate: l.quorate,
                })
                .collect(),
            organisations: r.organisations.into_iter().map(Into::into).collect(),
            seats: r.seats.into_iter().map(Into::into).collect(),
            unrepresented_twice: r.unrepresented_twice,
        }
    }
}

/// The period of an attendance review.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// The first day (a date); open when absent.
    pub from: Option<String>,
    /// The last day (a date); open when absent.
    pub to: Option<String>,
}

/// A body's attendance over a period: per meeting held, per organisation and per seat.
#[utoipa::path(get, path = "/bodies/{id}/attendance", tag = "meetings", params(("id" = i64, Path), PeriodParams), responses((status = 200, body = AttendanceOut), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn attendance(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<PeriodParams>,
) -> Result<Json<AttendanceOut>, ApiError> {
    let from = date_param("from", q.from.as_deref())?;
    let to = date_param("to", q.to.as_deref())?;
    let review = state.core.attendance_review(&user.ctx, BodyId(path_id(&id)?), from, to).await?;
    Ok(Json(review.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReplyIn {
    /// The reply: attending, remote, deputy or apologies.
    #[serde(default)]
    #[schema(required = true, example = "deputy")]
    reply: String,
    /// The deputy's name, for deputy.
    #[serde(default)]
    #[schema(example = "June Mitchell")]
    deputy: Option<String>,
    /// The seat replied for: the business unit's, for a holder who replied another way; left out,
    /// the caller's own seat (their account's e-mail address on a seat held on the day).
    #[serde(default)]
    membership_id: Option<i64>,
}

/// Replies to a meeting's invitation, until the meeting's day. The attendance form starts from
/// the replies.
#[utoipa::path(put, path = "/meetings/{id}/reply", tag = "meetings", params(("id" = i64, Path)), request_body = ReplyIn, responses((status = 200, body = MeetingDetailOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reply(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReplyIn>,
) -> Result<Tagged<MeetingDetailOut>, ApiError> {
    let id = MeetingId(path_id(&id)?);
    let seat = b.membership_id.map(assure_domain::MembershipId);
    state.core.reply_to_meeting(&user.ctx, id, seat, &b.reply, b.deputy.as_deref().unwrap_or("")).await?;
    let detail = state.core.meeting(&user.ctx, id).await?;
    Ok(Tagged(detail.version.clone(), detail.into()))
}
