//! Days closed by an administrator, on top of the built-in bank holidays.

use chrono::NaiveDate;
use sqlx::Row;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, date_text, now_text, parse_date};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] =
    &[("closed_days", &[("day", Text), ("name", Text), ("added_by", Int), ("added_at", Text)])];

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClosedDay {
    pub day: NaiveDate,
    pub name: String,
    pub added_at: String,
}

pub async fn closed_days(conn: &mut Conn) -> StoreResult<Vec<ClosedDay>> {
    let rows = sqlx::query("SELECT day, name, added_at FROM closed_days ORDER BY day").fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(ClosedDay {
                day: parse_date("day", r.try_get("day")?)?.ok_or_else(|| StoreError::Corrupt("day".into()))?,
                name: r.try_get("name")?,
                added_at: r.try_get("added_at")?,
            })
        })
        .collect()
}

pub async fn insert_closed_day(conn: &mut Conn, day: NaiveDate, name: &str, by: Option<i64>) -> StoreResult<()> {
    sqlx::query("INSERT INTO closed_days (day, name, added_by, added_at) VALUES ($1, $2, $3, $4)")
        .bind(date_text(day))
        .bind(name)
        .bind(by)
        .bind(now_text())
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn delete_closed_day(conn: &mut Conn, day: NaiveDate) -> StoreResult<()> {
    let done = sqlx::query("DELETE FROM closed_days WHERE day = $1").bind(date_text(day)).execute(&mut *conn).await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
