//! Record-level extracts uploaded by partners: each run and the counts it gave.

use assure_domain::PartnershipId;
use assure_domain::ids::ExtractId;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, now_text};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "extract_runs",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("organisation_id", Int),
            ("file_name", Text),
            ("size", Int),
            ("sha256", Text),
            ("rows_read", Int),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "extract_counts",
        &[
            ("id", Int),
            ("run_id", Int),
            ("kind", Text),
            ("period", Text),
            ("category", Text),
            ("contacts", Int),
            ("referrals", Int),
            ("persons", Int),
            ("rereferrals", Int),
        ],
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub id: ExtractId,
    pub partnership_id: PartnershipId,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub file_name: String,
    pub size: i64,
    pub sha256: String,
    pub rows_read: i64,
    pub by_label: String,
    pub created_at: String,
}

/// One row of counts: monthly (period a month, category the source), imd (a financial year and
/// decile) or rereferrals (a financial year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub kind: String,
    pub period: String,
    pub category: String,
    pub contacts: Option<i64>,
    pub referrals: i64,
    pub persons: Option<i64>,
    pub rereferrals: Option<i64>,
}

pub struct NewRun<'a> {
    pub partnership: PartnershipId,
    pub organisation: i64,
    pub file_name: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub rows_read: i64,
    pub by_label: &'a str,
}

pub async fn insert_run(conn: &mut Conn, run: &NewRun<'_>, counts: &[Count]) -> StoreResult<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO extract_runs (partnership_id, organisation_id, file_name, size, sha256, rows_read, by_label, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(run.partnership.0)
    .bind(run.organisation)
    .bind(run.file_name)
    .bind(run.size)
    .bind(run.sha256)
    .bind(run.rows_read)
    .bind(run.by_label)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    for chunk in counts.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO extract_counts (run_id, kind, period, category, contacts, referrals, persons, rereferrals) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 8;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8
            ));
        }
        let mut q = sqlx::query(&sql);
        for c in chunk {
            q = q
                .bind(id)
                .bind(&c.kind)
                .bind(&c.period)
                .bind(&c.category)
                .bind(c.contacts)
                .bind(c.referrals)
                .bind(c.persons)
                .bind(c.rereferrals);
        }
        q.execute(&mut *conn).await.map_err(StoreError::from_write)?;
    }
    Ok(id)
}

const RUN_SELECT: &str = "SELECT r.id, r.partnership_id, r.organisation_id, o.name AS organisation_name, r.file_name, \
    r.size, r.sha256, r.rows_read, r.by_label, r.created_at FROM extract_runs r JOIN organisations o ON o.id = r.organisation_id";

fn run_from_row(r: &AnyRow) -> StoreResult<Run> {
    Ok(Run {
        id: ExtractId(r.try_get("id")?),
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: r.try_get("organisation_name")?,
        file_name: r.try_get("file_name")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        rows_read: r.try_get("rows_read")?,
        by_label: r.try_get("by_label")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A partnership's runs, newest first.
pub async fn runs(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Run>> {
    let rows = sqlx::query(&format!("{RUN_SELECT} WHERE r.partnership_id = $1 ORDER BY r.id DESC"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(run_from_row).collect()
}

pub async fn run(conn: &mut Conn, id: i64) -> StoreResult<Run> {
    let row = sqlx::query(&format!("{RUN_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    run_from_row(&row)
}

/// A run's counts, in the order they were written (each table sorted as the aggregator sorts it).
pub async fn counts(conn: &mut Conn, run: i64) -> StoreResult<Vec<Count>> {
    let rows = sqlx::query(
        "SELECT kind, period, category, contacts, referrals, persons, rereferrals FROM extract_counts \
         WHERE run_id = $1 ORDER BY id",
    )
    .bind(run)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Count {
                kind: r.try_get("kind")?,
                period: r.try_get("period")?,
                category: r.try_get("category")?,
                contacts: r.try_get("contacts")?,
                referrals: r.try_get("referrals")?,
                persons: r.try_get("persons")?,
                rereferrals: r.try_get("rereferrals")?,
            })
        })
        .collect()
}
