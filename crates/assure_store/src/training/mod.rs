//! Training events, their sessions, practitioners' bookings (with the register, evaluation and
//! follow-up), and each partnership's settings (retention, charges). A booking's links are kept
//! only as SHA-256 hashes of their tokens.

use assure_domain::structure::{Choice, Sector};
use assure_domain::training::{EventKind, NewEvent, NewSession, Settings};
use assure_domain::{OrganisationId, PartnershipId};
use chrono::NaiveDateTime;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, now_text};

mod bookings;
mod reports;
pub use bookings::*;
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
