//! Practitioners' bookings: taking them (and the history of past ones), finding them by their
//! links, the waiting list's offers, the register, the evaluation, the follow-up with its
//! countersignature, and erasing their personal details after the retention period.

use assure_domain::structure::{Choice, Sector};
use assure_domain::training::{
    Attendance, BookingStatus, ChampionKind, NewBooking, NewCountersign, NewEvaluation, NewFollowUp,
};
use assure_domain::{OrganisationId, PartnershipId};
use chrono::NaiveDateTime;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{moment, parse_moment};
use crate::db::{Conn, StoreError, StoreResult, now_text};

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

pub(super) const BOOKING_SELECT: &str = "SELECT b.id, b.session_id, b.status, b.attendance, b.position, b.name, b.email, \
    b.organisation_id, COALESCE(o.name, b.organisation_name) AS organisation_name, b.sector, b.role, b.manager_email, \
    b.champion, b.booked_at, b.cancelled_at, b.offered_at, b.evaluated_at, b.learned, b.confidence_before, \
    b.confidence_after, b.will_do, b.rating, b.follow_up_sent_at, b.follow_up_reminded_at, b.followed_up_at, \
    b.practice_change, b.example, b.countersigned_at, b.manager_agrees, b.manager_comment, b.erased_at, \
    b.offer_expires_at, b.manager_reminded_at \
    FROM training_bookings b LEFT JOIN organisations o ON o.id = b.organisation_id";

pub(super) fn booking_from(r: &AnyRow) -> StoreResult<Booking> {
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
         cancelled_at END WHERE id = $5",
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
