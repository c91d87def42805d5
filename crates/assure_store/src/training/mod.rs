//! Training events, their sessions, practitioners' bookings (with the register, evaluation and
//! follow-up), and each partnership's settings (retention, charges). A booking's links are kept
//! only as SHA-256 hashes of their tokens.

use assure_domain::structure::{Choice, Sector};
use assure_domain::training::{
    Attendance, BookingStatus, ChampionKind, EventKind, NewBooking, NewCountersign, NewEvaluation, NewEvent,
    NewFollowUp, NewSession, Settings,
};
use assure_domain::{OrganisationId, PartnershipId};
use chrono::NaiveDateTime;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, now_text};

mod reports;
pub use reports::{CountRow, EventResult, Line, impacts_between, lines_between, report_counts, results_by_event};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "training_events",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("title", Text),
            ("kind", Text),
            ("description", Text),
            ("sectors", Text),
            ("levels", Text),
            ("programme", Text),
            ("priority_ids", Text),
            ("review_ids", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
            ("organisation_ids", Text),
        ],
    ),
    (
        "training_sessions",
        &[
            ("id", Int),
            ("event_id", Int),
            ("starts_at", Text),
            ("ends_at", Text),
            ("place", Text),
            ("online_link", Text),
            ("capacity", Int),
            ("trainer", Text),
            ("per_organisation", Int),
            ("cancelled_reason", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "training_bookings",
        &[
            ("id", Int),
            ("session_id", Int),
            ("status", Text),
            ("attendance", Text),
            ("position", Int),
            ("name", Text),
            ("email", Text),
            ("organisation_id", Int),
            ("organisation_name", Text),
            ("sector", Text),
            ("role", Text),
            ("manager_email", Text),
            ("champion", Text),
            ("token_hash", Text),
            ("manager_token_hash", Text),
            ("follow_up_token_hash", Text),
            ("booked_at", Text),
            ("cancelled_at", Text),
            ("offered_at", Text),
            ("evaluated_at", Text),
            ("learned", Text),
            ("confidence_before", Int),
            ("confidence_after", Int),
            ("will_do", Text),
            ("rating", Int),
            ("follow_up_sent_at", Text),
            ("follow_up_reminded_at", Text),
            ("followed_up_at", Text),
            ("practice_change", Text),
            ("example", Text),
            ("countersigned_at", Text),
            ("manager_agrees", Bool),
            ("manager_comment", Text),
            ("erased_at", Text),
            ("offer_expires_at", Text),
            ("offer_token_hash", Text),
            ("manager_reminded_at", Text),
            ("manager_reminder_token_hash", Text),
        ],
    ),
    (
        "training_settings",
        &[
            ("partnership_id", Int),
            ("retention_days", Int),
            ("no_show_charge", Int),
            ("late_cancellation_charge", Int),
            ("late_within_days", Int),
            ("by_label", Text),
            ("updated_at", Text),
            ("offer_hours", Int),
        ],
    ),
];

/// A session's start or end as stored: "2027-03-24T09:00".
pub fn moment(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

fn parse_moment(field: &str, raw: &str) -> StoreResult<NaiveDateTime> {
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M").map_err(|_| StoreError::Corrupt(format!("{field}: {raw}")))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub title: String,
    pub kind: EventKind,
    pub description: Option<String>,
    pub sectors: Vec<Sector>,
    /// The agencies it is for (none: every agency).
    pub organisation_ids: Vec<OrganisationId>,
    pub levels: Option<String>,
    pub programme: Option<String>,
    pub priority_ids: Vec<i64>,
    pub review_ids: Vec<i64>,
    pub by_label: String,
    pub updated_at: String,
}

const EVENT_SELECT: &str = "SELECT id, partnership_id, title, kind, description, sectors, organisation_ids, levels, \
    programme, priority_ids, review_ids, by_label, updated_at FROM training_events";

fn list_of<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    raw.split(',').filter(|c| !c.is_empty()).filter_map(parse).collect()
}

fn event_from(r: &AnyRow) -> StoreResult<Event> {
    let kind: String = r.try_get("kind")?;
    let sectors: String = r.try_get("sectors")?;
    let priorities: String = r.try_get("priority_ids")?;
    let organisations: String = r.try_get("organisation_ids")?;
    let reviews: String = r.try_get("review_ids")?;
    Ok(Event {
        id: r.try_get("id")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        title: r.try_get("title")?,
        kind: EventKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("training_events.kind {kind}")))?,
        description: r.try_get("description")?,
        sectors: list_of(&sectors, Sector::parse),
        organisation_ids: list_of(&organisations, |c| c.parse().ok().map(OrganisationId)),
        levels: r.try_get("levels")?,
        programme: r.try_get("programme")?,
        priority_ids: list_of(&priorities, |c| c.parse().ok()),
        review_ids: list_of(&reviews, |c| c.parse().ok()),
        by_label: r.try_get("by_label")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn joined(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

fn organisation_list(ids: &[OrganisationId]) -> String {
    joined(&ids.iter().map(|o| o.0).collect::<Vec<_>>())
}

pub async fn insert_event(conn: &mut Conn, p: PartnershipId, new: &NewEvent, by: &str) -> StoreResult<i64> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO training_events (partnership_id, title, kind, description, sectors, levels, programme, \
         priority_ids, review_ids, by_label, created_at, updated_at, organisation_ids) VALUES ($1, $2, $3, $4, $5, $6, \
         $7, $8, $9, $10, $11, $11, $12) RETURNING id",
    )
    .bind(p.0)
    .bind(&new.title)
    .bind(new.kind.code())
    .bind(new.description.as_deref())
    .bind(new.sectors.iter().map(|s| s.code()).collect::<Vec<_>>().join(","))
    .bind(new.levels.as_deref())
    .bind(new.programme.as_deref())
    .bind(joined(&new.priority_ids))
    .bind(joined(&new.review_ids))
    .bind(by)
    .bind(now)
    .bind(organisation_list(&new.organisation_ids))
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

pub async fn update_event(conn: &mut Conn, id: i64, new: &NewEvent, by: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE training_events SET title = $1, kind = $2, description = $3, sectors = $4, levels = $5, \
         programme = $6, priority_ids = $7, review_ids = $8, by_label = $9, updated_at = $10, organisation_ids = $11 \
         WHERE id = $12",
    )
    .bind(&new.title)
    .bind(new.kind.code())
    .bind(new.description.as_deref())
    .bind(new.sectors.iter().map(|s| s.code()).collect::<Vec<_>>().join(","))
    .bind(new.levels.as_deref())
    .bind(new.programme.as_deref())
    .bind(joined(&new.priority_ids))
    .bind(joined(&new.review_ids))
    .bind(by)
    .bind(now_text())
    .bind(organisation_list(&new.organisation_ids))
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn event(conn: &mut Conn, id: i64) -> StoreResult<Event> {
    let row = sqlx::query(&format!("{EVENT_SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    event_from(&row)
}

pub async fn events_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Event>> {
    let rows = sqlx::query(&format!("{EVENT_SELECT} WHERE partnership_id = $1 ORDER BY id DESC"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(event_from).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub id: i64,
    pub event_id: i64,
    pub partnership_id: PartnershipId,
    pub event_title: String,
    pub event_kind: EventKind,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub capacity: i64,
    pub trainer: Option<String>,
    pub per_organisation: Option<i64>,
    pub cancelled_reason: Option<String>,
    /// Places booked, places offered to the waiting list and held for them, and people waiting.
    pub booked: i64,
    pub offered: i64,
    pub waiting: i64,
}

impl Session {
    /// Places neither booked nor held for someone offered one.
    pub fn free(&self) -> i64 {
        (self.capacity - self.booked - self.offered).max(0)
    }

    /// Places taken: booked, or held for an offer.
    pub fn taken(&self) -> i64 {
        self.booked + self.offered
    }
}

const SESSION_SELECT: &str = "SELECT s.id, s.event_id, e.partnership_id, e.title AS event_title, e.kind AS event_kind, \
    s.starts_at, s.ends_at, s.place, s.online_link, s.capacity, s.trainer, s.per_organisation, s.cancelled_reason, \
    (SELECT COUNT(*) FROM training_bookings b WHERE b.session_id = s.id AND b.status = 'booked') AS booked, \
    (SELECT COUNT(*) FROM training_bookings b WHERE b.session_id = s.id AND b.status = 'offered') AS offered, \
    (SELECT COUNT(*) FROM training_bookings b WHERE b.session_id = s.id AND b.status = 'waiting') AS waiting \
    FROM training_sessions s JOIN training_events e ON e.id = s.event_id";

fn session_from(r: &AnyRow) -> StoreResult<Session> {
    let kind: String = r.try_get("event_kind")?;
    let starts: String = r.try_get("starts_at")?;
    let ends: String = r.try_get("ends_at")?;
    Ok(Session {
        id: r.try_get("id")?,
        event_id: r.try_get("event_id")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        event_title: r.try_get("event_title")?,
        event_kind: EventKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("kind {kind}")))?,
        starts: parse_moment("starts_at", &starts)?,
        ends: parse_moment("ends_at", &ends)?,
        place: r.try_get("place")?,
        online_link: r.try_get("online_link")?,
        capacity: r.try_get("capacity")?,
        trainer: r.try_get("trainer")?,
        per_organisation: r.try_get("per_organisation")?,
        cancelled_reason: r.try_get("cancelled_reason")?,
        booked: r.try_get("booked")?,
        offered: r.try_get("offered")?,
        waiting: r.try_get("waiting")?,
    })
}

pub async fn insert_session(conn: &mut Conn, event: i64, new: &NewSession, by: &str) -> StoreResult<i64> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO training_sessions (event_id, starts_at, ends_at, place, online_link, capacity, trainer, \
         per_organisation, by_label, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
         RETURNING id",
    )
    .bind(event)
    .bind(moment(new.starts))
    .bind(moment(new.ends))
    .bind(new.place.as_deref())
    .bind(new.online_link.as_deref())
    .bind(new.capacity)
    .bind(new.trainer.as_deref())
    .bind(new.per_organisation)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

pub async fn session(conn: &mut Conn, id: i64) -> StoreResult<Session> {
    let row = sqlx::query(&format!("{SESSION_SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    session_from(&row)
}

/// A partnership's sessions, soonest first (or one event's, when `event` is given).
pub async fn sessions_in(conn: &mut Conn, p: PartnershipId, event: Option<i64>) -> StoreResult<Vec<Session>> {
    let rows = match event {
        Some(e) => {
            sqlx::query(&format!(
                "{SESSION_SELECT} WHERE e.partnership_id = $1 AND s.event_id = $2 ORDER BY s.starts_at, s.id"
            ))
            .bind(p.0)
            .bind(e)
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query(&format!("{SESSION_SELECT} WHERE e.partnership_id = $1 ORDER BY s.starts_at, s.id"))
                .bind(p.0)
                .fetch_all(&mut *conn)
                .await?
        }
    };
    rows.iter().map(session_from).collect()
}

/// Cancels a session (every booking on it is cancelled by the use-case).
pub async fn cancel_session(conn: &mut Conn, id: i64, reason: &str, by: &str) -> StoreResult<()> {
    sqlx::query("UPDATE training_sessions SET cancelled_reason = $1, by_label = $2, updated_at = $3 WHERE id = $4")
        .bind(reason)
        .bind(by)
        .bind(now_text())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Booking {
    pub id: i64,
    pub session_id: i64,
    pub status: BookingStatus,
    pub attendance: Option<Attendance>,
    /// Its place in the order people booked (the waiting list's order).
    pub position: i64,
    /// None once erased.
    pub name: Option<String>,
    pub email: Option<String>,
    pub organisation_id: Option<OrganisationId>,
    /// The partnership's organisation's name, or the name typed.
    pub organisation_name: Option<String>,
    pub sector: Sector,
    pub role: Option<String>,
    pub manager_email: Option<String>,
    pub champion: Option<ChampionKind>,
    pub booked_at: String,
    pub cancelled_at: Option<String>,
    pub offered_at: Option<String>,
    /// When an offered place lapses unless accepted (UK time, like the session's start).
    pub offer_expires_at: Option<NaiveDateTime>,
    pub evaluated_at: Option<String>,
    pub learned: Option<String>,
    pub confidence_before: Option<i64>,
    pub confidence_after: Option<i64>,
    pub will_do: Option<String>,
    pub rating: Option<i64>,
    pub follow_up_sent_at: Option<String>,
    pub follow_up_reminded_at: Option<String>,
    pub followed_up_at: Option<String>,
    pub practice_change: Option<String>,
    pub example: Option<String>,
    pub manager_reminded_at: Option<String>,
    pub countersigned_at: Option<String>,
    pub manager_agrees: Option<bool>,
    pub manager_comment: Option<String>,
    pub erased_at: Option<String>,
}

const BOOKING_SELECT: &str = "SELECT b.id, b.session_id, b.status, b.attendance, b.position, b.name, b.email, \
    b.organisation_id, COALESCE(o.name, b.organisation_name) AS organisation_name, b.sector, b.role, b.manager_email, \
    b.champion, b.booked_at, b.cancelled_at, b.offered_at, b.evaluated_at, b.learned, b.confidence_before, \
    b.confidence_after, b.will_do, b.rating, b.follow_up_sent_at, b.follow_up_reminded_at, b.followed_up_at, \
    b.practice_change, b.example, b.countersigned_at, b.manager_agrees, b.manager_comment, b.erased_at, \
    b.offer_expires_at, b.manager_reminded_at \
    FROM training_bookings b LEFT JOIN organisations o ON o.id = b.organisation_id";

fn booking_from(r: &AnyRow) -> StoreResult<Booking> {
    let status: String = r.try_get("status")?;
    let attendance: Option<String> = r.try_get("attendance")?;
    let sector: String = r.try_get("sector")?;
    let champion: Option<String> = r.try_get("champion")?;
    let agrees: Option<i64> = r.try_get("manager_agrees")?;
    let lapses: Option<String> = r.try_get("offer_expires_at")?;
    Ok(Booking {
        id: r.try_get("id")?,
        session_id: r.try_get("session_id")?,
        status: BookingStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
        attendance: attendance.as_deref().and_then(Attendance::parse),
        position: r.try_get("position")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        organisation_id: r.try_get::<Option<i64>, _>("organisation_id")?.map(OrganisationId),
        organisation_name: r.try_get("organisation_name")?,
        sector: Sector::parse(&sector).unwrap_or(Sector::Other),
        role: r.try_get("role")?,
        manager_email: r.try_get("manager_email")?,
        champion: champion.as_deref().and_then(ChampionKind::parse),
        booked_at: r.try_get("booked_at")?,
        cancelled_at: r.try_get("cancelled_at")?,
        offered_at: r.try_get("offered_at")?,
        offer_expires_at: lapses.map(|l| parse_moment("offer_expires_at", &l)).transpose()?,
        evaluated_at: r.try_get("evaluated_at")?,
        learned: r.try_get("learned")?,
        confidence_before: r.try_get("confidence_before")?,
        confidence_after: r.try_get("confidence_after")?,
        will_do: r.try_get("will_do")?,
        rating: r.try_get("rating")?,
        follow_up_sent_at: r.try_get("follow_up_sent_at")?,
        follow_up_reminded_at: r.try_get("follow_up_reminded_at")?,
        followed_up_at: r.try_get("followed_up_at")?,
        practice_change: r.try_get("practice_change")?,
        example: r.try_get("example")?,
        manager_reminded_at: r.try_get("manager_reminded_at")?,
        countersigned_at: r.try_get("countersigned_at")?,
        manager_agrees: agrees.map(|a| a != 0),
        manager_comment: r.try_get("manager_comment")?,
        erased_at: r.try_get("erased_at")?,
    })
}

/// Places a booking; its position follows every booking on the session before it.
pub async fn insert_booking(
    conn: &mut Conn,
    session: i64,
    new: &NewBooking,
    status: BookingStatus,
    token_hash: &str,
) -> StoreResult<i64> {
    let position: i64 =
        sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 AS next FROM training_bookings WHERE session_id = $1")
            .bind(session)
            .fetch_one(&mut *conn)
            .await?
            .try_get("next")?;
    let id: i64 = sqlx::query(
        "INSERT INTO training_bookings (session_id, status, position, name, email, organisation_id, organisation_name, \
         sector, role, manager_email, champion, token_hash, booked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13) RETURNING id",
    )
    .bind(session)
    .bind(status.code())
    .bind(position)
    .bind(&new.name)
    .bind(&new.email)
    .bind(new.organisation_id.map(|o| o.0))
    .bind(new.organisation_name.as_deref())
    .bind(new.sector.code())
    .bind(new.role.as_deref())
    .bind(new.manager_email.as_deref())
    .bind(new.champion.map(|c| c.code()))
    .bind(token_hash)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

/// A booking recorded as it stands after the session, already past its retention (the demo's
/// history, or earlier years' records): no name or address, only who it was for and what
/// happened.
#[derive(Debug, Clone)]
pub struct PastBooking {
    pub organisation_id: Option<OrganisationId>,
    pub sector: Sector,
    pub attendance: Option<Attendance>,
    pub champion: Option<ChampionKind>,
    /// Confidence before and after, and usefulness, when evaluated.
    pub evaluation: Option<(i64, i64, i64)>,
    /// Unique per booking (the hash of a token nobody holds).
    pub token_hash: String,
}

/// Records past bookings on a session, a hundred to a statement.
pub async fn insert_past_bookings(conn: &mut Conn, session: i64, rows: &[PastBooking], at: &str) -> StoreResult<()> {
    let mut position: i64 =
        sqlx::query("SELECT COALESCE(MAX(position), 0) AS last FROM training_bookings WHERE session_id = $1")
            .bind(session)
            .fetch_one(&mut *conn)
            .await?
            .try_get("last")?;
    for chunk in rows.chunks(100) {
        let mut sql = String::from(
            "INSERT INTO training_bookings (session_id, status, attendance, position, organisation_id, sector, champion, \
             token_hash, booked_at, confidence_before, confidence_after, rating, evaluated_at, erased_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 13;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8,
                b + 9,
                b + 10,
                b + 11,
                b + 12,
                b + 13,
                b + 9
            ));
        }
        let mut q = sqlx::query(&sql);
        for r in chunk {
            position += 1;
            let status = if r.attendance == Some(Attendance::LateCancellation) { "cancelled" } else { "booked" };
            q = q
                .bind(session)
                .bind(status)
                .bind(r.attendance.map(|a| a.code()))
                .bind(position)
                .bind(r.organisation_id.map(|o| o.0))
                .bind(r.sector.code())
                .bind(r.champion.map(|c| c.code()))
                .bind(r.token_hash.clone())
                .bind(at.to_owned())
                .bind(r.evaluation.map(|e| e.0))
                .bind(r.evaluation.map(|e| e.1))
                .bind(r.evaluation.map(|e| e.2))
                .bind(r.evaluation.map(|_| at.to_owned()));
        }
        q.execute(&mut *conn).await.map_err(StoreError::from_write)?;
    }
    Ok(())
}

pub async fn booking(conn: &mut Conn, id: i64) -> StoreResult<Booking> {
    let row = sqlx::query(&format!("{BOOKING_SELECT} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    booking_from(&row)
}

/// The booking a link's token opens (its own, its offer's or its follow-up's; or, with `manager`,
/// its manager's or the manager's reminder's).
pub async fn booking_by_token(conn: &mut Conn, hash: &str, manager: bool) -> StoreResult<Booking> {
    let filter = if manager {
        "(b.manager_token_hash = $1 OR b.manager_reminder_token_hash = $1)"
    } else {
        "(b.token_hash = $1 OR b.follow_up_token_hash = $1 OR b.offer_token_hash = $1)"
    };
    let row = sqlx::query(&format!("{BOOKING_SELECT} WHERE {filter}"))
        .bind(hash)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    booking_from(&row)
}

/// A session's bookings in the order they were made.
pub async fn bookings_of(conn: &mut Conn, session: i64) -> StoreResult<Vec<Booking>> {
    let rows = sqlx::query(&format!("{BOOKING_SELECT} WHERE b.session_id = $1 ORDER BY b.position, b.id"))
        .bind(session)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(booking_from).collect()
}

/// Bookings of the same address on a session that are not cancelled (one person books once).
pub async fn active_booking_of(conn: &mut Conn, session: i64, email: &str) -> StoreResult<Option<i64>> {
    let row = sqlx::query(
        "SELECT id FROM training_bookings WHERE session_id = $1 AND email = $2 AND status <> 'cancelled' LIMIT 1",
    )
    .bind(session)
    .bind(email)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.try_get("id")).transpose()?)
}

/// Places taken on a session by one organisation (booked, or held for an offer).
pub async fn booked_by_organisation(conn: &mut Conn, session: i64, org: OrganisationId) -> StoreResult<i64> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM training_bookings WHERE session_id = $1 AND organisation_id = $2 \
         AND status IN ('booked', 'offered')",
    )
    .bind(session)
    .bind(org.0)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?)
}

pub async fn set_status(
    conn: &mut Conn,
    id: i64,
    status: BookingStatus,
    attendance: Option<Attendance>,
    cancelled: bool,
) -> StoreResult<()> {
    let now = now_text();
    sqlx::query(
        "UPDATE training_bookings SET status = $1, attendance = $2, cancelled_at = CASE WHEN $3 = 1 THEN $4 ELSE \
         cancelled_at END, offered_at = CASE WHEN $1 = 'booked' AND status = 'waiting' THEN $4 ELSE offered_at END \
         WHERE id = $5",
    )
    .bind(status.code())
    .bind(attendance.map(|a| a.code()))
    .bind(i64::from(cancelled))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Offers a booking on the waiting list a freed place until `lapses`, with the offer's link.
pub async fn offer(conn: &mut Conn, id: i64, lapses: NaiveDateTime, token_hash: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE training_bookings SET status = 'offered', offered_at = $1, offer_expires_at = $2, \
         offer_token_hash = $3 WHERE id = $4 AND status = 'waiting'",
    )
    .bind(now_text())
    .bind(moment(lapses))
    .bind(token_hash)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A partnership's offers of places not accepted by `at` (UK time).
pub async fn offers_lapsed_by(conn: &mut Conn, p: PartnershipId, at: NaiveDateTime) -> StoreResult<Vec<Booking>> {
    let rows = sqlx::query(&format!(
        "{BOOKING_SELECT} WHERE b.status = 'offered' AND b.offer_expires_at <= $1 AND b.session_id IN \
         (SELECT s.id FROM training_sessions s JOIN training_events e ON e.id = s.event_id WHERE e.partnership_id = $2) \
         ORDER BY b.session_id, b.position"
    ))
    .bind(moment(at))
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(booking_from).collect()
}

pub async fn set_attendance(conn: &mut Conn, id: i64, attendance: Option<Attendance>) -> StoreResult<()> {
    sqlx::query("UPDATE training_bookings SET attendance = $1 WHERE id = $2")
        .bind(attendance.map(|a| a.code()))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_evaluation(conn: &mut Conn, id: i64, e: &NewEvaluation) -> StoreResult<()> {
    sqlx::query(
        "UPDATE training_bookings SET learned = $1, confidence_before = $2, confidence_after = $3, will_do = $4, \
         rating = $5, evaluated_at = $6 WHERE id = $7",
    )
    .bind(&e.learned)
    .bind(e.confidence_before)
    .bind(e.confidence_after)
    .bind(&e.will_do)
    .bind(e.rating)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the follow-up sent (or, with `reminder`, chased) with the link it carries.
pub async fn mark_follow_up(conn: &mut Conn, id: i64, reminder: bool, token_hash: &str) -> StoreResult<()> {
    let column = if reminder { "follow_up_reminded_at" } else { "follow_up_sent_at" };
    sqlx::query(&format!("UPDATE training_bookings SET {column} = $1, follow_up_token_hash = $2 WHERE id = $3"))
        .bind(now_text())
        .bind(token_hash)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_follow_up(
    conn: &mut Conn,
    id: i64,
    f: &NewFollowUp,
    manager_token_hash: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE training_bookings SET practice_change = $1, example = $2, followed_up_at = $3, manager_token_hash = $4 \
         WHERE id = $5",
    )
    .bind(&f.practice_change)
    .bind(&f.example)
    .bind(now_text())
    .bind(manager_token_hash)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the manager chased for the countersignature, with the reminder's link (the first
/// link still opens it).
pub async fn mark_manager_reminded(conn: &mut Conn, id: i64, token_hash: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE training_bookings SET manager_reminded_at = $1, manager_reminder_token_hash = $2 WHERE id = $3",
    )
    .bind(now_text())
    .bind(token_hash)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn countersign(conn: &mut Conn, id: i64, c: &NewCountersign) -> StoreResult<()> {
    sqlx::query(
        "UPDATE training_bookings SET manager_agrees = $1, manager_comment = $2, countersigned_at = $3 WHERE id = $4",
    )
    .bind(i64::from(c.agrees))
    .bind(c.comment.as_deref())
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Erases the personal details of every booking on sessions that ended before `before` (name,
/// addresses, role, the evaluation's and the manager's words), keeping the organisation, sector,
/// what happened, the scores and the follow-up's account of what changed (the impact the reports
/// quote, with nobody's name); returns how many.
pub async fn erase_before(conn: &mut Conn, p: PartnershipId, before: &str) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE training_bookings SET name = NULL, email = NULL, role = NULL, manager_email = NULL, learned = NULL, \
         will_do = NULL, manager_comment = NULL, erased_at = $1 \
         WHERE erased_at IS NULL AND session_id IN (SELECT s.id FROM training_sessions s JOIN training_events e \
         ON e.id = s.event_id WHERE e.partnership_id = $2 AND s.ends_at < $3)",
    )
    .bind(now_text())
    .bind(p.0)
    .bind(before)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

pub async fn settings(conn: &mut Conn, p: PartnershipId) -> StoreResult<Settings> {
    let row = sqlx::query(
        "SELECT retention_days, no_show_charge, late_cancellation_charge, late_within_days, offer_hours \
         FROM training_settings WHERE partnership_id = $1",
    )
    .bind(p.0)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        None => Ok(Settings::default()),
        Some(r) => Ok(Settings {
            retention_days: r.try_get("retention_days")?,
            no_show_charge: r.try_get("no_show_charge")?,
            late_cancellation_charge: r.try_get("late_cancellation_charge")?,
            late_within_days: r.try_get("late_within_days")?,
            offer_hours: r.try_get("offer_hours")?,
        }),
    }
}

pub async fn set_settings(conn: &mut Conn, p: PartnershipId, s: &Settings, by: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM training_settings WHERE partnership_id = $1").bind(p.0).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO training_settings (partnership_id, retention_days, no_show_charge, late_cancellation_charge, \
         late_within_days, by_label, updated_at, offer_hours) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(p.0)
    .bind(s.retention_days)
    .bind(s.no_show_charge)
    .bind(s.late_cancellation_charge)
    .bind(s.late_within_days)
    .bind(by)
    .bind(now_text())
    .bind(s.offer_hours)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every partnership with training settings or sessions, for the hourly work.
pub async fn partnerships_with_sessions(conn: &mut Conn) -> StoreResult<Vec<PartnershipId>> {
    let rows = sqlx::query(
        "SELECT DISTINCT e.partnership_id FROM training_events e JOIN training_sessions s ON s.event_id = e.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok(PartnershipId(r.try_get("partnership_id")?))).collect()
}
