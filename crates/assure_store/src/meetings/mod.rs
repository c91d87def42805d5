//! Meetings of bodies, the mark of each seat at each meeting, who else attended, and each body's
//! quorum.

pub use assure_domain::meetings::Guest;
use assure_domain::meetings::in_kind::{Given, NewInKind};
use assure_domain::meetings::{Mark, NewMeeting, Presence, Quorum};
use assure_domain::structure::Choice;
use assure_domain::{BodyId, MeetingId, MembershipId, OrganisationId, PartnershipId};
use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
pub mod agenda;
pub mod minutes;

use crate::db::{Conn, StoreError, StoreResult, date_text, flag, now_text, parse_date};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "meetings",
        &[
            ("id", Int),
            ("body_id", Int),
            ("held_on", Text),
            ("starts_at", Text),
            ("ends_at", Text),
            ("place", Text),
            ("cancelled_reason", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
            ("sequence", Int),
            ("pack_published_at", Text),
            ("pack_published_by", Text),
        ],
    ),
    (
        "meeting_attendance",
        &[
            ("meeting_id", Int),
            ("membership_id", Int),
            ("presence", Text),
            ("attended_by", Text),
            ("by_label", Text),
            ("recorded_at", Text),
        ],
    ),
    (
        "meeting_guests",
        &[
            ("id", Int),
            ("meeting_id", Int),
            ("name", Text),
            ("came_as", Text),
            ("by_label", Text),
            ("recorded_at", Text),
        ],
    ),
    ("calendar_feeds", &[("user_id", Int), ("token_hash", Text), ("created_at", Text)]),
    (
        "in_kind",
        &[
            ("id", Int),
            ("meeting_id", Int),
            ("organisation_id", Int),
            ("given", Text),
            ("tenths", Int),
            ("note", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    ("in_kind_rates", &[("partnership_id", Int), ("pence_per_hour", Int), ("by_label", Text), ("updated_at", Text)]),
    agenda::ITEMS,
    agenda::PAPERS,
    agenda::PAPERS_DUE,
    agenda::STANDING,
    (
        "in_kind_tasks",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("organisation_id", Int),
            ("task", Text),
            ("given_on", Text),
            ("given", Text),
            ("tenths", Int),
            ("note", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "meeting_replies",
        &[
            ("meeting_id", Int),
            ("membership_id", Int),
            ("reply", Text),
            ("deputy", Text),
            ("by_label", Text),
            ("replied_at", Text),
        ],
    ),
    (
        "body_quorums",
        &[("body_id", Int), ("members", Int), ("statutory_partners", Bool), ("by_label", Text), ("updated_at", Text)],
    ),
];

/// A meeting, with what the rules need of its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meeting {
    pub id: MeetingId,
    pub body_id: BodyId,
    pub body_name: String,
    pub partnership_id: PartnershipId,
    pub body_restricted: bool,
    pub held_on: NaiveDate,
    pub starts_at: NaiveTime,
    pub ends_at: Option<NaiveTime>,
    pub place: Option<String>,
    /// Why it was cancelled; `None` while it stands.
    pub cancelled_reason: Option<String>,
    pub by_label: String,
    pub created_at: String,
    pub updated_at: String,
    /// Grows by one with every move or cancellation (an invitation's `SEQUENCE`).
    pub sequence: i64,
    /// When the business unit published its papers to the members (UTC), and who did.
    pub pack_published: Option<(String, String)>,
}

const SELECT: &str = "SELECT m.id, m.body_id, b.name AS body_name, b.partnership_id, b.restricted AS body_restricted, \
    m.held_on, m.starts_at, m.ends_at, m.place, m.cancelled_reason, m.by_label, m.created_at, m.updated_at, \
    m.sequence, m.pack_published_at, m.pack_published_by FROM meetings m JOIN bodies b ON b.id = m.body_id";

fn time(field: &str, raw: Option<String>) -> StoreResult<Option<NaiveTime>> {
    raw.map(|t| NaiveTime::parse_from_str(&t, "%H:%M").map_err(|_| StoreError::Corrupt(format!("{field} {t}"))))
        .transpose()
}

fn time_text(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn meeting_from(r: &AnyRow) -> StoreResult<Meeting> {
    Ok(Meeting {
        id: MeetingId(r.try_get("id")?),
        body_id: BodyId(r.try_get("body_id")?),
        body_name: r.try_get("body_name")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        body_restricted: flag(r, "body_restricted")?,
        held_on: parse_date("held_on", r.try_get("held_on")?)?.ok_or_else(|| StoreError::Corrupt("held_on".into()))?,
        starts_at: time("starts_at", r.try_get("starts_at")?)?
            .ok_or_else(|| StoreError::Corrupt("starts_at".into()))?,
        ends_at: time("ends_at", r.try_get("ends_at")?)?,
        place: r.try_get("place")?,
        cancelled_reason: r.try_get("cancelled_reason")?,
        by_label: r.try_get("by_label")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        sequence: r.try_get("sequence")?,
        pack_published: match (r.try_get("pack_published_at")?, r.try_get("pack_published_by")?) {
            (Some(at), Some(by)) => Some((at, by)),
            _ => None,
        },
    })
}

pub async fn insert_meeting(conn: &mut Conn, body: BodyId, new: &NewMeeting, by: &str) -> StoreResult<MeetingId> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO meetings (body_id, held_on, starts_at, ends_at, place, cancelled_reason, by_label, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $7) RETURNING id",
    )
    .bind(body.0)
    .bind(date_text(new.held_on))
    .bind(time_text(new.starts_at))
    .bind(new.ends_at.map(time_text))
    .bind(new.place.as_deref())
    .bind(by)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(MeetingId(id))
}

/// Moves a meeting (its day, times or place).
pub async fn update_meeting(conn: &mut Conn, id: MeetingId, new: &NewMeeting) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE meetings SET held_on = $1, starts_at = $2, ends_at = $3, place = $4, updated_at = $5, \
         sequence = sequence + 1 WHERE id = $6",
    )
    .bind(date_text(new.held_on))
    .bind(time_text(new.starts_at))
    .bind(new.ends_at.map(time_text))
    .bind(new.place.as_deref())
    .bind(now_text())
    .bind(id.0)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Cancels a meeting with its reason, or (with `None`) reinstates it.
pub async fn set_cancelled(conn: &mut Conn, id: MeetingId, reason: Option<&str>) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE meetings SET cancelled_reason = $1, updated_at = $2, sequence = sequence + 1 WHERE id = $3",
    )
    .bind(reason)
    .bind(now_text())
    .bind(id.0)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn meeting(conn: &mut Conn, id: MeetingId) -> StoreResult<Meeting> {
    let row = sqlx::query(&format!("{SELECT} WHERE m.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    meeting_from(&row)
}

/// A body's meetings from `from` to `to` (either open), in date order.
pub async fn meetings_of_body(
    conn: &mut Conn,
    body: BodyId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> StoreResult<Vec<Meeting>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE m.body_id = $1 AND ($2 IS NULL OR m.held_on >= $2) AND ($3 IS NULL OR m.held_on <= $3) \
         ORDER BY m.held_on, m.starts_at, m.id"
    ))
    .bind(body.0)
    .bind(from.map(date_text))
    .bind(to.map(date_text))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(meeting_from).collect()
}

/// Every body's meetings in a partnership from `from` to `to`, in date order.
pub async fn meetings_in(
    conn: &mut Conn,
    p: PartnershipId,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<Meeting>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE b.partnership_id = $1 AND m.held_on >= $2 AND m.held_on <= $3 \
         ORDER BY m.held_on, m.starts_at, m.id"
    ))
    .bind(p.0)
    .bind(date_text(from))
    .bind(date_text(to))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(meeting_from).collect()
}

/// One seat's mark at one meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeatMark {
    pub meeting_id: MeetingId,
    pub membership_id: MembershipId,
    pub mark: Mark,
    pub by_label: String,
    pub recorded_at: String,
}

fn mark_from(r: &AnyRow) -> StoreResult<SeatMark> {
    let presence: String = r.try_get("presence")?;
    Ok(SeatMark {
        meeting_id: MeetingId(r.try_get("meeting_id")?),
        membership_id: MembershipId(r.try_get("membership_id")?),
        mark: Mark {
            presence: Presence::parse(&presence).ok_or_else(|| StoreError::Corrupt(format!("presence {presence}")))?,
            attended_by: r.try_get("attended_by")?,
        },
        by_label: r.try_get("by_label")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

const MARK_SELECT: &str = "SELECT a.meeting_id, a.membership_id, a.presence, a.attended_by, a.by_label, a.recorded_at \
    FROM meeting_attendance a";

/// The marks recorded at one meeting.
pub async fn marks(conn: &mut Conn, meeting: MeetingId) -> StoreResult<Vec<SeatMark>> {
    let rows = sqlx::query(&format!("{MARK_SELECT} WHERE a.meeting_id = $1 ORDER BY a.membership_id"))
        .bind(meeting.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(mark_from).collect()
}

/// Every mark at a body's meetings from `from` to `to`, in one statement.
pub async fn marks_of_body(
    conn: &mut Conn,
    body: BodyId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> StoreResult<Vec<SeatMark>> {
    let rows = sqlx::query(&format!(
        "{MARK_SELECT} JOIN meetings m ON m.id = a.meeting_id WHERE m.body_id = $1 \
         AND ($2 IS NULL OR m.held_on >= $2) AND ($3 IS NULL OR m.held_on <= $3) ORDER BY a.meeting_id, a.membership_id"
    ))
    .bind(body.0)
    .bind(from.map(date_text))
    .bind(to.map(date_text))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(mark_from).collect()
}

/// Records a meeting's marks: each seat given replaces its mark; a seat marked not recorded
/// loses its mark.
pub async fn set_marks(
    conn: &mut Conn,
    meeting: MeetingId,
    marks: &[(MembershipId, Mark)],
    by: &str,
) -> StoreResult<()> {
    let now = now_text();
    for (membership, mark) in marks {
        sqlx::query("DELETE FROM meeting_attendance WHERE meeting_id = $1 AND membership_id = $2")
            .bind(meeting.0)
            .bind(membership.0)
            .execute(&mut *conn)
            .await?;
        if mark.presence == Presence::NotRecorded {
            continue;
        }
        sqlx::query(
            "INSERT INTO meeting_attendance (meeting_id, membership_id, presence, attended_by, by_label, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(meeting.0)
        .bind(membership.0)
        .bind(mark.presence.code())
        .bind(mark.attended_by.as_deref())
        .bind(by)
        .bind(&now)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    }
    Ok(())
}

/// A body's quorum (the default, no rule, when none is set).
pub async fn quorum(conn: &mut Conn, body: BodyId) -> StoreResult<Quorum> {
    let row = sqlx::query("SELECT members, statutory_partners FROM body_quorums WHERE body_id = $1")
        .bind(body.0)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(Quorum::default()) };
    let members: Option<i64> = row.try_get("members")?;
    Ok(Quorum {
        members: members
            .map(|n| u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("quorum {n}"))))
            .transpose()?,
        statutory_partners: flag(&row, "statutory_partners")?,
    })
}

pub async fn set_quorum(conn: &mut Conn, body: BodyId, quorum: &Quorum, by: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM body_quorums WHERE body_id = $1").bind(body.0).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO body_quorums (body_id, members, statutory_partners, by_label, updated_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(body.0)
    .bind(quorum.members.map(i64::from))
    .bind(i64::from(quorum.statutory_partners))
    .bind(by)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Who else attended a meeting, in the order recorded.
pub async fn guests(conn: &mut Conn, meeting: MeetingId) -> StoreResult<Vec<Guest>> {
    let rows = sqlx::query("SELECT name, came_as FROM meeting_guests WHERE meeting_id = $1 ORDER BY id")
        .bind(meeting.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(Guest { name: r.try_get("name")?, came_as: r.try_get("came_as")? })).collect()
}

/// Replaces who else attended a meeting.
pub async fn set_guests(conn: &mut Conn, meeting: MeetingId, guests: &[Guest], by: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM meeting_guests WHERE meeting_id = $1").bind(meeting.0).execute(&mut *conn).await?;
    let now = now_text();
    for guest in guests {
        sqlx::query(
            "INSERT INTO meeting_guests (meeting_id, name, came_as, by_label, recorded_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(meeting.0)
        .bind(&guest.name)
        .bind(guest.came_as.as_deref())
        .bind(by)
        .bind(&now)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    }
    Ok(())
}

/// Sets (or replaces) a user's calendar feed secret, by its hash.
pub async fn set_calendar_feed(conn: &mut Conn, user: i64, token_hash: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1").bind(user).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(user)
        .bind(token_hash)
        .bind(now_text())
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

/// The user whose calendar feed secret has this hash.
pub async fn calendar_feed_user(conn: &mut Conn, token_hash: &str) -> StoreResult<Option<i64>> {
    let row = sqlx::query("SELECT user_id FROM calendar_feeds WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get("user_id")).transpose()?)
}

/// When a user's calendar feed was made, if they have one.
pub async fn calendar_feed_made(conn: &mut Conn, user: i64) -> StoreResult<Option<String>> {
    let row = sqlx::query("SELECT created_at FROM calendar_feeds WHERE user_id = $1")
        .bind(user)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get("created_at")).transpose()?)
}

/// Time an organisation gave to a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InKind {
    pub id: i64,
    pub meeting_id: MeetingId,
    pub held_on: NaiveDate,
    pub body_name: String,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub given: Given,
    /// Tenths of an hour.
    pub tenths: i64,
    pub note: Option<String>,
    pub by_label: String,
}

const IN_KIND_SELECT: &str = "SELECT k.id, k.meeting_id, m.held_on, b.name AS body_name, k.organisation_id, \
    o.name AS organisation_name, k.given, k.tenths, k.note, k.by_label FROM in_kind k \
    JOIN meetings m ON m.id = k.meeting_id JOIN bodies b ON b.id = m.body_id \
    JOIN organisations o ON o.id = k.organisation_id";

fn in_kind_from(r: &AnyRow) -> StoreResult<InKind> {
    let given: String = r.try_get("given")?;
    Ok(InKind {
        id: r.try_get("id")?,
        meeting_id: MeetingId(r.try_get("meeting_id")?),
        held_on: parse_date("held_on", r.try_get("held_on")?)?.ok_or_else(|| StoreError::Corrupt("held_on".into()))?,
        body_name: r.try_get("body_name")?,
        organisation_id: OrganisationId(r.try_get("organisation_id")?),
        organisation_name: r.try_get("organisation_name")?,
        given: Given::parse(&given).ok_or_else(|| StoreError::Corrupt(format!("given {given}")))?,
        tenths: r.try_get("tenths")?,
        note: r.try_get("note")?,
        by_label: r.try_get("by_label")?,
    })
}

pub async fn insert_in_kind(conn: &mut Conn, meeting: MeetingId, new: &NewInKind, by: &str) -> StoreResult<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO in_kind (meeting_id, organisation_id, given, tenths, note, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(meeting.0)
    .bind(new.organisation_id.0)
    .bind(new.given.code())
    .bind(new.tenths)
    .bind(new.note.as_deref())
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

/// The time given to one meeting, in the order recorded.
pub async fn in_kind_of_meeting(conn: &mut Conn, meeting: MeetingId) -> StoreResult<Vec<InKind>> {
    let rows = sqlx::query(&format!("{IN_KIND_SELECT} WHERE k.meeting_id = $1 ORDER BY k.id"))
        .bind(meeting.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(in_kind_from).collect()
}

/// Every piece of time given to the meetings of a partnership's bodies, by meeting day.
pub async fn in_kind_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<InKind>> {
    let rows = sqlx::query(&format!("{IN_KIND_SELECT} WHERE b.partnership_id = $1 ORDER BY m.held_on, k.id"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(in_kind_from).collect()
}

/// A partnership's hourly rate for time given, in pence (none until the business unit sets it).
pub async fn in_kind_rate(conn: &mut Conn, p: PartnershipId) -> StoreResult<Option<i64>> {
    let row = sqlx::query("SELECT pence_per_hour FROM in_kind_rates WHERE partnership_id = $1")
        .bind(p.0)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.try_get("pence_per_hour")).transpose()?)
}

pub async fn set_in_kind_rate(conn: &mut Conn, p: PartnershipId, pence: i64, by: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM in_kind_rates WHERE partnership_id = $1").bind(p.0).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO in_kind_rates (partnership_id, pence_per_hour, by_label, updated_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(p.0)
    .bind(pence)
    .bind(by)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// A seat holder's reply to a meeting's invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeatReply {
    pub membership_id: MembershipId,
    pub reply: assure_domain::meetings::Reply,
    pub deputy: Option<String>,
    pub by_label: String,
    pub replied_at: String,
}

pub async fn replies(conn: &mut Conn, meeting: MeetingId) -> StoreResult<Vec<SeatReply>> {
    let rows = sqlx::query(
        "SELECT membership_id, reply, deputy, by_label, replied_at FROM meeting_replies WHERE meeting_id = $1 \
         ORDER BY membership_id",
    )
    .bind(meeting.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("reply")?;
            Ok(SeatReply {
                membership_id: MembershipId(r.try_get("membership_id")?),
                reply: assure_domain::meetings::Reply::parse(&code)
                    .ok_or_else(|| StoreError::Corrupt(format!("reply {code}")))?,
                deputy: r.try_get("deputy")?,
                by_label: r.try_get("by_label")?,
                replied_at: r.try_get("replied_at")?,
            })
        })
        .collect()
}

pub async fn set_reply(
    conn: &mut Conn,
    meeting: MeetingId,
    membership: MembershipId,
    reply: assure_domain::meetings::Reply,
    deputy: Option<&str>,
    by: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO meeting_replies (meeting_id, membership_id, reply, deputy, by_label, replied_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (meeting_id, membership_id) DO UPDATE SET reply = excluded.reply, \
         deputy = excluded.deputy, by_label = excluded.by_label, replied_at = excluded.replied_at",
    )
    .bind(meeting.0)
    .bind(membership.0)
    .bind(reply.code())
    .bind(deputy)
    .bind(by)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Time an organisation gave to a task other than a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskInKind {
    pub id: i64,
    pub task: String,
    pub given_on: NaiveDate,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub given: Given,
    /// Tenths of an hour.
    pub tenths: i64,
    pub note: Option<String>,
    pub by_label: String,
}

pub async fn insert_task_in_kind(
    conn: &mut Conn,
    p: PartnershipId,
    new: &assure_domain::meetings::in_kind::NewTaskInKind,
    by: &str,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO in_kind_tasks (partnership_id, organisation_id, task, given_on, given, tenths, note, by_label, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(p.0)
    .bind(new.time.organisation_id.0)
    .bind(&new.task)
    .bind(date_text(new.given_on))
    .bind(new.time.given.code())
    .bind(new.time.tenths)
    .bind(new.time.note.as_deref())
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

/// The time a partnership's organisations gave to tasks other than meetings, by day.
pub async fn task_in_kind_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<TaskInKind>> {
    let rows = sqlx::query(
        "SELECT t.id, t.task, t.given_on, t.organisation_id, o.name AS organisation_name, t.given, t.tenths, t.note, \
         t.by_label FROM in_kind_tasks t JOIN organisations o ON o.id = t.organisation_id \
         WHERE t.partnership_id = $1 ORDER BY t.given_on, t.id",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let given: String = r.try_get("given")?;
            Ok(TaskInKind {
                id: r.try_get("id")?,
                task: r.try_get("task")?,
                given_on: parse_date("given_on", r.try_get("given_on")?)?
                    .ok_or_else(|| StoreError::Corrupt("given_on".into()))?,
                organisation_id: OrganisationId(r.try_get("organisation_id")?),
                organisation_name: r.try_get("organisation_name")?,
                given: Given::parse(&given).ok_or_else(|| StoreError::Corrupt(format!("given {given}")))?,
                tenths: r.try_get("tenths")?,
                note: r.try_get("note")?,
                by_label: r.try_get("by_label")?,
            })
        })
        .collect()
}
