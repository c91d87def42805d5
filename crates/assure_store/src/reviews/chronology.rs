//! A review's chronology entries and its 7-minute briefing.

use assure_domain::UserId;
use assure_domain::reviews::chronology::{ChronoDate, NewEntry, Precision};
use assure_domain::structure::Choice;
use chrono::NaiveTime;
use serde::Serialize;
use sqlx::Row;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, date_text, now_text, parse_date};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "chronology_entries",
        &[
            ("id", Int),
            ("review_id", Int),
            ("organisation_id", Int),
            ("occurred_on", Text),
            ("date_precision", Text),
            ("occurred_at", Text),
            ("source", Text),
            ("event", Text),
            ("comment", Text),
            ("by_user_id", Int),
            ("created_at", Text),
        ],
    ),
    (
        "briefings",
        &[
            ("review_id", Int),
            ("background", Text),
            ("learning", Text),
            ("questions", Text),
            ("updated_by_label", Text),
            ("updated_at", Text),
        ],
    ),
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: i64,
    pub review_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub date: ChronoDate,
    pub time: Option<NaiveTime>,
    pub source: String,
    pub event: String,
    pub comment: Option<String>,
    pub created_at: String,
}

pub async fn insert_entries(
    conn: &mut Conn,
    review_id: i64,
    organisation_id: i64,
    entries: &[NewEntry],
    by: Option<UserId>,
) -> StoreResult<()> {
    let now = now_text();
    for e in entries {
        sqlx::query(
            "INSERT INTO chronology_entries (review_id, organisation_id, occurred_on, date_precision, occurred_at, \
             source, event, comment, by_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(review_id)
        .bind(organisation_id)
        .bind(date_text(e.date.on))
        .bind(e.date.precision.code())
        .bind(e.time.map(|t| t.format("%H:%M").to_string()))
        .bind(&e.source)
        .bind(&e.event)
        .bind(e.comment.as_deref())
        .bind(by.map(|u| u.0))
        .bind(&now)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    }
    Ok(())
}

/// How many entries the review's chronology holds.
pub async fn count_entries(conn: &mut Conn, review_id: i64) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM chronology_entries WHERE review_id = $1")
        .bind(review_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?)
}

/// Removes one entry of a review; false if the review has no such entry.
pub async fn delete_entry(conn: &mut Conn, review_id: i64, id: i64) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM chronology_entries WHERE id = $1 AND review_id = $2")
        .bind(id)
        .bind(review_id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(done.rows_affected() == 1)
}

/// The review's entries in date order (entries without a time first on their day), optionally
/// only one agency's.
pub async fn entries(conn: &mut Conn, review_id: i64, organisation_id: Option<i64>) -> StoreResult<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT c.id, c.review_id, c.organisation_id, o.name AS organisation_name, c.occurred_on, c.date_precision, \
         c.occurred_at, c.source, c.event, c.comment, c.created_at FROM chronology_entries c \
         JOIN organisations o ON o.id = c.organisation_id WHERE c.review_id = $1 AND ($2 = 0 OR c.organisation_id = $2) \
         ORDER BY c.occurred_on, COALESCE(c.occurred_at, ''), o.name, c.id",
    )
    .bind(review_id)
    .bind(organisation_id.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let precision: String = r.try_get("date_precision")?;
            let on = parse_date("occurred_on", r.try_get("occurred_on")?)?
                .ok_or_else(|| StoreError::Corrupt("occurred_on".into()))?;
            let time: Option<String> = r.try_get("occurred_at")?;
            Ok(Entry {
                id: r.try_get("id")?,
                review_id: r.try_get("review_id")?,
                organisation_id: r.try_get("organisation_id")?,
                organisation_name: r.try_get("organisation_name")?,
                date: ChronoDate {
                    on,
                    precision: Precision::parse(&precision)
                        .ok_or_else(|| StoreError::Corrupt(format!("date_precision: {precision}")))?,
                },
                time: time
                    .map(|t| {
                        NaiveTime::parse_from_str(&t, "%H:%M").map_err(|_| StoreError::Corrupt(format!("time: {t}")))
                    })
                    .transpose()?,
                source: r.try_get("source")?,
                event: r.try_get("event")?,
                comment: r.try_get("comment")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// A review's 7-minute briefing: what the business unit wrote; themes and recommendations come
/// from the review itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Briefing {
    pub background: String,
    pub learning: String,
    pub questions: String,
    pub updated_by_label: String,
    pub updated_at: String,
}

pub async fn briefing(conn: &mut Conn, review_id: i64) -> StoreResult<Option<Briefing>> {
    let row = sqlx::query(
        "SELECT background, learning, questions, updated_by_label, updated_at FROM briefings WHERE review_id = $1",
    )
    .bind(review_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Briefing {
            background: r.try_get("background")?,
            learning: r.try_get("learning")?,
            questions: r.try_get("questions")?,
            updated_by_label: r.try_get("updated_by_label")?,
            updated_at: r.try_get("updated_at")?,
        })
    })
    .transpose()
}

pub async fn save_briefing(
    conn: &mut Conn,
    review_id: i64,
    background: &str,
    learning: &str,
    questions: &str,
    by_label: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO briefings (review_id, background, learning, questions, updated_by_label, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (review_id) DO UPDATE SET background = excluded.background, \
         learning = excluded.learning, questions = excluded.questions, updated_by_label = excluded.updated_by_label, \
         updated_at = excluded.updated_at",
    )
    .bind(review_id)
    .bind(background)
    .bind(learning)
    .bind(questions)
    .bind(by_label)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}
