//! How a review is conducted: its appointments (reviewer, author, with the agreed cost) and its
//! practitioner learning events with the agencies that attended.

use assure_domain::reviews::conduct::{AppointmentRole, NewAppointment, NewLearningEvent};
use assure_domain::structure::Choice;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, date_text, flag, now_text, parse_date};
use assure_domain::PartnershipId;
use assure_domain::reviews::child_deaths::{DeathCategory, Findings};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "review_appointments",
        &[
            ("id", Int),
            ("review_id", Int),
            ("role", Text),
            ("name", Text),
            ("organisation", Text),
            ("appointed_on", Text),
            ("ends_on", Text),
            ("cost_pence", Int),
            ("note", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "review_learning_events",
        &[
            ("id", Int),
            ("review_id", Int),
            ("held_on", Text),
            ("title", Text),
            ("attendees", Int),
            ("heard", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    ("review_learning_event_agencies", &[("event_id", Int), ("organisation_id", Int)]),
    (
        "review_terms",
        &[
            ("id", Int),
            ("review_id", Int),
            ("version", Int),
            ("agreed_on", Text),
            ("note", Text),
            ("file_name", Text),
            ("content_type", Text),
            ("size", Int),
            ("sha256", Text),
            ("content", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "child_death_findings",
        &[
            ("review_id", Int),
            ("category", Text),
            ("modifiable", Bool),
            ("reviewed_on", Text),
            ("by_label", Text),
            ("updated_at", Text),
        ],
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appointment {
    pub id: i64,
    pub review_id: i64,
    pub role: AppointmentRole,
    pub name: String,
    pub organisation: Option<String>,
    pub appointed_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub cost_pence: Option<i64>,
    pub note: Option<String>,
    pub by_label: String,
    pub created_at: String,
}

fn appointment_from(r: &AnyRow) -> StoreResult<Appointment> {
    let role: String = r.try_get("role")?;
    Ok(Appointment {
        id: r.try_get("id")?,
        review_id: r.try_get("review_id")?,
        role: AppointmentRole::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("appointment role {role}")))?,
        name: r.try_get("name")?,
        organisation: r.try_get("organisation")?,
        appointed_on: parse_date("appointed_on", r.try_get("appointed_on")?)?
            .ok_or_else(|| StoreError::Corrupt("appointed_on".into()))?,
        ends_on: parse_date("ends_on", r.try_get("ends_on")?)?,
        cost_pence: r.try_get("cost_pence")?,
        note: r.try_get("note")?,
        by_label: r.try_get("by_label")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A review's appointments, in the order they were made.
pub async fn appointments(conn: &mut Conn, review_id: i64) -> StoreResult<Vec<Appointment>> {
    let rows = sqlx::query(
        "SELECT id, review_id, role, name, organisation, appointed_on, ends_on, cost_pence, note, by_label, \
         created_at FROM review_appointments WHERE review_id = $1 ORDER BY appointed_on, id",
    )
    .bind(review_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(appointment_from).collect()
}

pub async fn insert_appointment(conn: &mut Conn, review_id: i64, a: &NewAppointment, by: &str) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO review_appointments (review_id, role, name, organisation, appointed_on, ends_on, cost_pence, \
         note, by_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(review_id)
    .bind(a.role.code())
    .bind(&a.name)
    .bind(a.organisation.as_deref())
    .bind(date_text(a.appointed_on))
    .bind(a.ends_on.map(date_text))
    .bind(a.cost_pence)
    .bind(a.note.as_deref())
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LearningEvent {
    pub id: i64,
    pub review_id: i64,
    pub held_on: NaiveDate,
    pub title: String,
    pub attendees: i64,
    pub heard: String,
    /// The agencies whose practitioners attended: (id, name), by name.
    pub agencies: Vec<(i64, String)>,
    pub by_label: String,
    pub created_at: String,
}

/// A review's learning events, earliest first, each with its agencies.
pub async fn learning_events(conn: &mut Conn, review_id: i64) -> StoreResult<Vec<LearningEvent>> {
    let rows = sqlx::query(
        "SELECT id, review_id, held_on, title, attendees, heard, by_label, created_at FROM review_learning_events \
         WHERE review_id = $1 ORDER BY held_on, id",
    )
    .bind(review_id)
    .fetch_all(&mut *conn)
    .await?;
    let agencies = sqlx::query(
        "SELECT a.event_id, o.id, o.name FROM review_learning_event_agencies a \
         JOIN review_learning_events e ON e.id = a.event_id JOIN organisations o ON o.id = a.organisation_id \
         WHERE e.review_id = $1 ORDER BY o.name",
    )
    .bind(review_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            let mut list = Vec::new();
            for a in &agencies {
                if a.try_get::<i64, _>("event_id")? == id {
                    list.push((a.try_get("id")?, a.try_get("name")?));
                }
            }
            Ok(LearningEvent {
                id,
                review_id: r.try_get("review_id")?,
                held_on: parse_date("held_on", r.try_get("held_on")?)?
                    .ok_or_else(|| StoreError::Corrupt("held_on".into()))?,
                title: r.try_get("title")?,
                attendees: r.try_get("attendees")?,
                heard: r.try_get("heard")?,
                agencies: list,
                by_label: r.try_get("by_label")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

pub async fn insert_learning_event(
    conn: &mut Conn,
    review_id: i64,
    e: &NewLearningEvent,
    by: &str,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO review_learning_events (review_id, held_on, title, attendees, heard, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(review_id)
    .bind(date_text(e.held_on))
    .bind(&e.title)
    .bind(e.attendees)
    .bind(&e.heard)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    for org in &e.organisation_ids {
        sqlx::query("INSERT INTO review_learning_event_agencies (event_id, organisation_id) VALUES ($1, $2)")
            .bind(id)
            .bind(org)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_write)?;
    }
    Ok(id)
}

/// One version of a review's terms of reference, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewTerms {
    pub id: i64,
    pub review_id: i64,
    pub version: i64,
    pub agreed_on: NaiveDate,
    pub note: Option<String>,
    pub file_name: String,
    pub size: i64,
    pub sha256: String,
    pub by_label: String,
    pub created_at: String,
}

/// A version of terms of reference to keep: the document (base64) and when it was agreed.
pub struct NewReviewTerms<'a> {
    pub agreed_on: NaiveDate,
    pub note: Option<&'a str>,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub content: &'a str,
}

const TERMS: &str =
    "SELECT id, review_id, version, agreed_on, note, file_name, size, sha256, by_label, created_at FROM review_terms";

fn terms_from(r: &AnyRow) -> StoreResult<ReviewTerms> {
    Ok(ReviewTerms {
        id: r.try_get("id")?,
        review_id: r.try_get("review_id")?,
        version: r.try_get("version")?,
        agreed_on: parse_date("agreed_on", r.try_get("agreed_on")?)?
            .ok_or_else(|| StoreError::Corrupt("agreed_on".into()))?,
        note: r.try_get("note")?,
        file_name: r.try_get("file_name")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        by_label: r.try_get("by_label")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A review's terms of reference, newest version first.
pub async fn review_terms(conn: &mut Conn, review_id: i64) -> StoreResult<Vec<ReviewTerms>> {
    let rows = sqlx::query(&format!("{TERMS} WHERE review_id = $1 ORDER BY version DESC"))
        .bind(review_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(terms_from).collect()
}

/// Keeps a new version of a review's terms of reference, numbered after the last; returns its
/// id and number.
pub async fn insert_review_terms(
    conn: &mut Conn,
    review_id: i64,
    t: &NewReviewTerms<'_>,
    by: &str,
) -> StoreResult<(i64, i64)> {
    let last: Option<i64> = sqlx::query("SELECT MAX(version) AS v FROM review_terms WHERE review_id = $1")
        .bind(review_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("v")?;
    let version = last.unwrap_or(0) + 1;
    let id: i64 = sqlx::query(
        "INSERT INTO review_terms (review_id, version, agreed_on, note, file_name, content_type, size, sha256, \
         content, by_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(review_id)
    .bind(version)
    .bind(date_text(t.agreed_on))
    .bind(t.note)
    .bind(t.file_name)
    .bind(t.content_type)
    .bind(t.size)
    .bind(t.sha256)
    .bind(t.content)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok((id, version))
}

/// One version with its bytes (base64).
pub async fn review_terms_file(conn: &mut Conn, id: i64) -> StoreResult<(ReviewTerms, String)> {
    let r = sqlx::query(&format!(
        "{} , content FROM review_terms WHERE id = $1",
        TERMS.trim_end_matches(" FROM review_terms")
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((terms_from(&r)?, r.try_get("content")?))
}

/// Records (or replaces) the Child Death Overview Panel's findings on a review.
pub async fn put_findings(conn: &mut Conn, review_id: i64, f: &Findings, by: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO child_death_findings (review_id, category, modifiable, reviewed_on, by_label, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (review_id) DO UPDATE SET category = excluded.category, \
         modifiable = excluded.modifiable, reviewed_on = excluded.reviewed_on, by_label = excluded.by_label, \
         updated_at = excluded.updated_at",
    )
    .bind(review_id)
    .bind(f.category.code())
    .bind(i64::from(f.modifiable))
    .bind(date_text(f.reviewed_on))
    .bind(by)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

fn findings_from(r: &AnyRow) -> StoreResult<Findings> {
    let category: String = r.try_get("category")?;
    Ok(Findings {
        category: DeathCategory::parse(&category).ok_or_else(|| StoreError::Corrupt(format!("category {category}")))?,
        modifiable: flag(r, "modifiable")?,
        reviewed_on: parse_date("reviewed_on", r.try_get("reviewed_on")?)?
            .ok_or_else(|| StoreError::Corrupt("reviewed_on".into()))?,
    })
}

/// The findings on one review, if the panel has recorded them.
pub async fn findings(conn: &mut Conn, review_id: i64) -> StoreResult<Option<Findings>> {
    let row = sqlx::query("SELECT category, modifiable, reviewed_on FROM child_death_findings WHERE review_id = $1")
        .bind(review_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(findings_from).transpose()
}

/// Every finding of a partnership's child death reviews.
pub async fn findings_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Findings>> {
    let rows = sqlx::query(
        "SELECT f.category, f.modifiable, f.reviewed_on FROM child_death_findings f \
         JOIN reviews r ON r.id = f.review_id WHERE r.partnership_id = $1 ORDER BY f.reviewed_on",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(findings_from).collect()
}
