//! What the reports and the hourly work read of bookings: each booking with its session and
//! event, and the counts, results by event and follow-ups of a period, summed in the database.

use assure_domain::structure::{Choice, Sector};
use assure_domain::training::{Attendance, BookingStatus, ChampionKind, EventKind};
use assure_domain::{OrganisationId, PartnershipId};
use chrono::NaiveDateTime;
use sqlx::Row;

use super::bookings::{BOOKING_SELECT, booking_from};
use super::{Booking, parse_moment};
use crate::db::{Conn, StoreError, StoreResult};

/// A booking as the reports and the reminders read it: with its session's start, its event's
/// kind, title and programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub booking: Booking,
    pub starts: NaiveDateTime,
    pub event_id: i64,
    pub event_title: String,
    pub event_kind: EventKind,
    pub programme: Option<String>,
}

/// Every booking on a partnership's sessions starting from `from` up to (not including) `to`.
pub async fn lines_between(conn: &mut Conn, p: PartnershipId, from: &str, to: &str) -> StoreResult<Vec<Line>> {
    let select = BOOKING_SELECT.replacen(
        " FROM training_bookings b",
        ", s.starts_at, e.id AS event_id, e.title AS event_title, e.kind AS event_kind, e.programme FROM training_bookings b \
         JOIN training_sessions s ON s.id = b.session_id JOIN training_events e ON e.id = s.event_id",
        1,
    );
    let rows = sqlx::query(&format!(
        "{select} WHERE e.partnership_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 ORDER BY s.starts_at, b.id"
    ))
    .bind(p.0)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("event_kind")?;
            let starts: String = r.try_get("starts_at")?;
            Ok(Line {
                booking: booking_from(r)?,
                starts: parse_moment("starts_at", &starts)?,
                event_id: r.try_get("event_id")?,
                event_title: r.try_get("event_title")?,
                event_kind: EventKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("kind {kind}")))?,
                programme: r.try_get("programme")?,
            })
        })
        .collect()
}

/// One group of a report's bookings: what they share, and how many there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    pub organisation: Option<String>,
    pub sector: Sector,
    pub kind: EventKind,
    pub programme: Option<String>,
    pub event_title: String,
    pub status: BookingStatus,
    pub attendance: Option<Attendance>,
    pub champion: Option<ChampionKind>,
    pub n: i64,
    /// Of them, how many evaluated, and the sums of their scores.
    pub evaluated: i64,
    pub sum_before: i64,
    pub sum_after: i64,
    pub sum_rating: i64,
    pub follow_ups_sent: i64,
    pub followed_up: i64,
    pub countersigned: i64,
}

/// `AND b.organisation_id IN (...)` for a reader limited to some organisations.
fn only(orgs: Option<&[OrganisationId]>) -> String {
    match orgs {
        None => String::new(),
        Some([]) => " AND 1 = 0".into(),
        Some(ids) => {
            format!(" AND b.organisation_id IN ({})", ids.iter().map(|o| o.0.to_string()).collect::<Vec<_>>().join(","))
        }
    }
}

/// A partnership's bookings on sessions starting from `from` up to (not including) `to`, counted
/// by organisation, sector, kind of event, status, register and champion in the database (a few
/// hundred rows whatever the number of bookings); `orgs` limits them to some organisations.
pub async fn report_counts(
    conn: &mut Conn,
    p: PartnershipId,
    from: &str,
    to: &str,
    orgs: Option<&[OrganisationId]>,
) -> StoreResult<(Vec<CountRow>, i64)> {
    let filter = format!(
        "FROM training_bookings b JOIN training_sessions s ON s.id = b.session_id JOIN training_events e \
         ON e.id = s.event_id LEFT JOIN organisations o ON o.id = b.organisation_id WHERE e.partnership_id = $1 \
         AND s.starts_at >= $2 AND s.starts_at < $3{}",
        only(orgs)
    );
    let rows = sqlx::query(&format!(
        "SELECT COALESCE(o.name, b.organisation_name) AS organisation, b.sector, e.kind, e.programme, \
         MIN(e.title) AS event_title, b.status, b.attendance, b.champion, COUNT(*) AS n, \
         COUNT(b.rating) AS evaluated, CAST(COALESCE(SUM(b.confidence_before), 0) AS BIGINT) AS sum_before, \
         CAST(COALESCE(SUM(b.confidence_after), 0) AS BIGINT) AS sum_after, \
         CAST(COALESCE(SUM(b.rating), 0) AS BIGINT) AS sum_rating, \
         COUNT(b.follow_up_sent_at) AS sent, COUNT(b.followed_up_at) AS followed, COUNT(b.countersigned_at) AS signed \
         {filter} GROUP BY COALESCE(o.name, b.organisation_name), b.sector, e.kind, e.programme, b.status, \
         b.attendance, b.champion"
    ))
    .bind(p.0)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let sessions: i64 = sqlx::query(&format!("SELECT COUNT(DISTINCT b.session_id) AS n {filter}"))
        .bind(p.0)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    let out = rows
        .iter()
        .map(|r| {
            let sector: String = r.try_get("sector")?;
            let kind: String = r.try_get("kind")?;
            let status: String = r.try_get("status")?;
            let attendance: Option<String> = r.try_get("attendance")?;
            let champion: Option<String> = r.try_get("champion")?;
            Ok(CountRow {
                organisation: r.try_get("organisation")?,
                sector: Sector::parse(&sector).unwrap_or(Sector::Other),
                kind: EventKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("kind {kind}")))?,
                programme: r.try_get("programme")?,
                event_title: r.try_get("event_title")?,
                status: BookingStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
                attendance: attendance.as_deref().and_then(Attendance::parse),
                champion: champion.as_deref().and_then(ChampionKind::parse),
                n: r.try_get("n")?,
                evaluated: r.try_get("evaluated")?,
                sum_before: r.try_get("sum_before")?,
                sum_after: r.try_get("sum_after")?,
                sum_rating: r.try_get("sum_rating")?,
                follow_ups_sent: r.try_get("sent")?,
                followed_up: r.try_get("followed")?,
                countersigned: r.try_get("signed")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok((out, sessions))
}

/// One event's results in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventResult {
    pub event_id: i64,
    pub title: String,
    pub kind: EventKind,
    pub sessions: i64,
    pub attended: i64,
    pub evaluated: i64,
    pub sum_before: i64,
    pub sum_after: i64,
    pub sum_rating: i64,
    pub followed_up: i64,
}

/// Each event's results on sessions in a period, in the order they began: attended,
/// evaluations with their sums, follow-ups returned.
pub async fn results_by_event(
    conn: &mut Conn,
    p: PartnershipId,
    from: &str,
    to: &str,
    orgs: Option<&[OrganisationId]>,
) -> StoreResult<Vec<EventResult>> {
    let rows = sqlx::query(&format!(
        "SELECT e.id AS event_id, e.title, e.kind, COUNT(DISTINCT s.id) AS sessions, \
         CAST(SUM(CASE WHEN b.status = 'booked' AND b.attendance = 'attended' THEN 1 ELSE 0 END) AS BIGINT) AS attended, \
         COUNT(b.rating) AS evaluated, CAST(COALESCE(SUM(b.confidence_before), 0) AS BIGINT) AS sum_before, \
         CAST(COALESCE(SUM(b.confidence_after), 0) AS BIGINT) AS sum_after, \
         CAST(COALESCE(SUM(b.rating), 0) AS BIGINT) AS sum_rating, COUNT(b.followed_up_at) AS followed \
         FROM training_bookings b JOIN training_sessions s ON s.id = b.session_id JOIN training_events e \
         ON e.id = s.event_id WHERE e.partnership_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3{} \
         GROUP BY e.id, e.title, e.kind ORDER BY MIN(s.starts_at), e.id",
        only(orgs)
    ))
    .bind(p.0)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(EventResult {
                event_id: r.try_get("event_id")?,
                title: r.try_get("title")?,
                kind: EventKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("kind {kind}")))?,
                sessions: r.try_get("sessions")?,
                attended: r.try_get("attended")?,
                evaluated: r.try_get("evaluated")?,
                sum_before: r.try_get("sum_before")?,
                sum_after: r.try_get("sum_after")?,
                sum_rating: r.try_get("sum_rating")?,
                followed_up: r.try_get("followed")?,
            })
        })
        .collect()
}

/// The follow-ups returned on a partnership's sessions in a period: (event, session's start,
/// what changed, the example, the manager's countersignature).
pub async fn impacts_between(
    conn: &mut Conn,
    p: PartnershipId,
    from: &str,
    to: &str,
    orgs: Option<&[OrganisationId]>,
) -> StoreResult<Vec<(String, NaiveDateTime, String, String, Option<bool>)>> {
    let rows = sqlx::query(&format!(
        "SELECT e.title, s.starts_at, b.practice_change, b.example, b.manager_agrees FROM training_bookings b \
         JOIN training_sessions s ON s.id = b.session_id JOIN training_events e ON e.id = s.event_id \
         WHERE e.partnership_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 AND b.followed_up_at IS NOT NULL \
         AND b.practice_change IS NOT NULL{} ORDER BY s.starts_at, b.id",
        only(orgs)
    ))
    .bind(p.0)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let starts: String = r.try_get("starts_at")?;
            let agrees: Option<i64> = r.try_get("manager_agrees")?;
            Ok((
                r.try_get("title")?,
                parse_moment("starts_at", &starts)?,
                r.try_get("practice_change")?,
                r.try_get::<Option<String>, _>("example")?.unwrap_or_default(),
                agrees.map(|a| a != 0),
            ))
        })
        .collect()
}
