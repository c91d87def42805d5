//! Partners' data returns: what each organisation owes for a period, by when, and its figures.

use assure_domain::PartnershipId;
use assure_domain::ids::DataReturnId;
use assure_domain::intelligence::returns::ReturnStatus;
use assure_domain::structure::Choice;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, date_text, flag, now_text, parse_date};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "data_returns",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("organisation_id", Int),
            ("period", Text),
            ("due_on", Text),
            ("status", Text),
            ("provisional", Bool),
            ("footnote", Text),
            ("source", Text),
            ("updated_by_label", Text),
            ("submitted_at", Text),
            ("updated_at", Text),
        ],
    ),
    ("data_return_values", &[("return_id", Int), ("measure", Text), ("value", Text)]),
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataReturn {
    pub id: DataReturnId,
    pub partnership_id: PartnershipId,
    pub organisation_id: i64,
    pub organisation_name: String,
    /// A financial quarter, such as "2025-26 Q1".
    pub period: String,
    pub due_on: NaiveDate,
    pub status: ReturnStatus,
    pub provisional: bool,
    pub footnote: Option<String>,
    /// form, api, or the file's name.
    pub source: Option<String>,
    pub updated_by_label: Option<String>,
    pub submitted_at: Option<String>,
    pub updated_at: String,
}

const SELECT: &str = "SELECT r.id, r.partnership_id, r.organisation_id, o.name AS organisation_name, r.period, r.due_on, \
    r.status, r.provisional, r.footnote, r.source, r.updated_by_label, r.submitted_at, r.updated_at \
    FROM data_returns r JOIN organisations o ON o.id = r.organisation_id";

fn from_row(r: &AnyRow) -> StoreResult<DataReturn> {
    Ok(DataReturn {
        id: DataReturnId(r.try_get("id")?),
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: r.try_get("organisation_name")?,
        period: r.try_get("period")?,
        due_on: parse_date("due_on", r.try_get("due_on")?)?.ok_or_else(|| StoreError::Corrupt("due_on".into()))?,
        status: {
            let code: String = r.try_get("status")?;
            ReturnStatus::parse(&code).ok_or_else(|| StoreError::Corrupt(format!("return status {code}")))?
        },
        provisional: flag(r, "provisional")?,
        footnote: r.try_get("footnote")?,
        source: r.try_get("source")?,
        updated_by_label: r.try_get("updated_by_label")?,
        submitted_at: r.try_get("submitted_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Records that an organisation owes a return; false if it already did for that period.
pub async fn insert_owed(
    conn: &mut Conn,
    p: PartnershipId,
    organisation: i64,
    period: &str,
    due_on: NaiveDate,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO data_returns (partnership_id, organisation_id, period, due_on, status, provisional, updated_at) \
         VALUES ($1, $2, $3, $4, 'owed', 0, $5) ON CONFLICT DO NOTHING",
    )
    .bind(p.0)
    .bind(organisation)
    .bind(period)
    .bind(date_text(due_on))
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(conn: &mut Conn, id: i64) -> StoreResult<DataReturn> {
    let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// A partnership's returns, latest period first, then by organisation.
pub async fn list(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<DataReturn>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE r.partnership_id = $1 ORDER BY r.period DESC, o.name"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn values(conn: &mut Conn, id: i64) -> StoreResult<Vec<(String, String)>> {
    let rows = sqlx::query("SELECT measure, value FROM data_return_values WHERE return_id = $1 ORDER BY measure")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("measure")?, r.try_get("value")?))).collect()
}

/// Every submitted or validated value of a partnership's returns: (period, measure, value).
pub async fn returned_values(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<(String, String, String)>> {
    let rows = sqlx::query(
        "SELECT r.period, v.measure, v.value FROM data_return_values v JOIN data_returns r ON r.id = v.return_id \
         WHERE r.partnership_id = $1 AND r.status IN ('submitted', 'validated') ORDER BY r.period, v.measure",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("period")?, r.try_get("measure")?, r.try_get("value")?))).collect()
}

/// What a save writes: the figures, the new status, the quality flags and where they came from.
pub struct Save<'a> {
    pub values: &'a [(String, String)],
    pub status: ReturnStatus,
    pub provisional: bool,
    pub footnote: Option<&'a str>,
    pub source: &'a str,
    pub by_label: &'a str,
}

/// Replaces a return's figures and moves it on, in one go.
pub async fn save(conn: &mut Conn, id: i64, s: &Save<'_>) -> StoreResult<()> {
    sqlx::query("DELETE FROM data_return_values WHERE return_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    for (m, v) in s.values {
        sqlx::query("INSERT INTO data_return_values (return_id, measure, value) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(m)
            .bind(v)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_write)?;
    }
    let now = now_text();
    sqlx::query(
        "UPDATE data_returns SET status = $1, provisional = $2, footnote = $3, source = $4, updated_by_label = $5, \
         updated_at = $6, submitted_at = CASE WHEN $1 = 'submitted' THEN $6 ELSE submitted_at END WHERE id = $7",
    )
    .bind(s.status.code())
    .bind(i64::from(s.provisional))
    .bind(s.footnote)
    .bind(s.source)
    .bind(s.by_label)
    .bind(&now)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn set_status(conn: &mut Conn, id: i64, status: ReturnStatus, by_label: &str) -> StoreResult<()> {
    sqlx::query("UPDATE data_returns SET status = $1, updated_by_label = $2, updated_at = $3 WHERE id = $4")
        .bind(status.code())
        .bind(by_label)
        .bind(now_text())
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}
