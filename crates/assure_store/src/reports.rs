//! The statutory yearly reports: one row per report (its partnership, kind and period), and the
//! words of each of its sections. The figures a report shows are read from the records each time.

use assure_domain::PartnershipId;
use assure_domain::reports::{NewReport, Period, ReportKind, SectionKey};
use assure_domain::structure::Choice;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, code, date_text, now_text, parse_date};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "reports",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("kind", Text),
            ("period_start", Text),
            ("period_end", Text),
            ("title", Text),
            ("status", Text),
            ("created_by", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "report_sections",
        &[
            ("id", Int),
            ("report_id", Int),
            ("section", Text),
            ("narrative", Text),
            ("updated_by", Text),
            ("updated_at", Text),
        ],
    ),
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub kind: ReportKind,
    #[serde(skip)]
    pub period: Period,
    pub title: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

/// The words written in one section, by whom and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Written {
    pub section: SectionKey,
    pub narrative: Option<String>,
    pub updated_by: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT id, partnership_id, kind, period_start, period_end, title, created_by, created_at, \
    updated_at FROM reports";

fn day(row: &AnyRow, column: &str) -> StoreResult<NaiveDate> {
    parse_date(column, row.try_get(column)?)?.ok_or_else(|| StoreError::Corrupt(column.into()))
}

fn report_from(row: &AnyRow) -> StoreResult<Report> {
    Ok(Report {
        id: row.try_get("id")?,
        partnership_id: PartnershipId(row.try_get("partnership_id")?),
        kind: code(row, "kind")?,
        period: Period { start: day(row, "period_start")?, end: day(row, "period_end")? },
        title: row.try_get("title")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Keeps a new report; a second report of the same kind and period is refused (unique).
pub async fn insert(conn: &mut Conn, p: PartnershipId, new: &NewReport, by: &str) -> StoreResult<i64> {
    let now = now_text();
    Ok(sqlx::query(
        "INSERT INTO reports (partnership_id, kind, period_start, period_end, title, status, created_by, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $7) RETURNING id",
    )
    .bind(p.0)
    .bind(new.kind.code())
    .bind(date_text(new.period.start))
    .bind(date_text(new.period.end))
    .bind(&new.title)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// The partnership's reports, the latest period first.
pub async fn reports_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Report>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE partnership_id = $1 ORDER BY period_end DESC, kind, id DESC"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(report_from).collect()
}

pub async fn report(conn: &mut Conn, id: i64) -> StoreResult<Report> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    report_from(&row)
}

/// The partnership's report of this kind for exactly this period, if it has one.
pub async fn report_for(
    conn: &mut Conn,
    p: PartnershipId,
    kind: ReportKind,
    period: &Period,
) -> StoreResult<Option<Report>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE partnership_id = $1 AND kind = $2 AND period_start = $3 AND period_end = $4"
    ))
    .bind(p.0)
    .bind(kind.code())
    .bind(date_text(period.start))
    .bind(date_text(period.end))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(report_from).transpose()
}

/// What has been written in the report's sections.
pub async fn sections(conn: &mut Conn, report_id: i64) -> StoreResult<Vec<Written>> {
    let rows = sqlx::query(
        "SELECT section, narrative, updated_by, updated_at FROM report_sections WHERE report_id = $1 ORDER BY id",
    )
    .bind(report_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Written {
                section: code(row, "section")?,
                narrative: row.try_get("narrative")?,
                updated_by: row.try_get("updated_by")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect()
}

/// Writes a section's words (none empties it), and marks the report changed.
pub async fn write_section(
    conn: &mut Conn,
    report_id: i64,
    section: SectionKey,
    narrative: Option<&str>,
    by: &str,
) -> StoreResult<()> {
    let now = now_text();
    let key = section.code();
    let changed = sqlx::query(
        "UPDATE report_sections SET narrative = $1, updated_by = $2, updated_at = $3 WHERE report_id = $4 AND section = $5",
    )
    .bind(narrative)
    .bind(by)
    .bind(&now)
    .bind(report_id)
    .bind(key)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        sqlx::query(
            "INSERT INTO report_sections (report_id, section, narrative, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(report_id)
        .bind(key)
        .bind(narrative)
        .bind(by)
        .bind(&now)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    }
    sqlx::query("UPDATE reports SET updated_at = $1 WHERE id = $2")
        .bind(&now)
        .bind(report_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
