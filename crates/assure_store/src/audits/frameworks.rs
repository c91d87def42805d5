//! Framework versions, each stored as the file it came from: shared by every partnership on the
//! instance, or one partnership's own.

use assure_domain::ids::{FrameworkId, PartnershipId};
use serde::Serialize;
use sqlx::Row;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, now_text};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[(
    "frameworks",
    &[
        ("id", Int),
        ("code", Text),
        ("version", Text),
        ("title", Text),
        ("source", Text),
        ("created_at", Text),
        ("partnership_id", Int),
    ],
)];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredFramework {
    pub id: FrameworkId,
    pub code: String,
    pub version: String,
    pub title: String,
    pub source: String,
    pub created_at: String,
    /// The partnership whose own framework this is; `None`: shared by every partnership.
    pub partnership_id: Option<PartnershipId>,
}

const SELECT: &str = "SELECT id, code, version, title, source, created_at, partnership_id FROM frameworks";

fn from_row(r: &sqlx::any::AnyRow) -> StoreResult<StoredFramework> {
    Ok(StoredFramework {
        id: FrameworkId(r.try_get("id")?),
        code: r.try_get("code")?,
        version: r.try_get("version")?,
        title: r.try_get("title")?,
        source: r.try_get("source")?,
        created_at: r.try_get("created_at")?,
        partnership_id: r.try_get::<Option<i64>, _>("partnership_id")?.map(PartnershipId),
    })
}

pub async fn insert(
    conn: &mut Conn,
    owner: Option<PartnershipId>,
    code: &str,
    version: &str,
    title: &str,
    source: &str,
) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO frameworks (partnership_id, code, version, title, source, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(owner.map(|p| p.0))
    .bind(code)
    .bind(version)
    .bind(title)
    .bind(source)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// A version with this code that would sit beside a new one of `owner`'s: for a partnership's
/// own, one shared or its own; for a shared one, any. With its owner.
pub async fn find(
    conn: &mut Conn,
    owner: Option<PartnershipId>,
    code: &str,
    version: &str,
) -> StoreResult<Option<(i64, Option<PartnershipId>)>> {
    let row = sqlx::query(
        "SELECT id, partnership_id FROM frameworks WHERE code = $1 AND version = $2 \
         AND ($3 IS NULL OR partnership_id IS NULL OR partnership_id = $3) ORDER BY id LIMIT 1",
    )
    .bind(code)
    .bind(version)
    .bind(owner.map(|p| p.0))
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| -> StoreResult<_> {
        Ok((r.try_get("id")?, r.try_get::<Option<i64>, _>("partnership_id")?.map(PartnershipId)))
    })
    .transpose()
}

/// The shared version with this code, if there is one.
pub async fn find_shared(conn: &mut Conn, code: &str, version: &str) -> StoreResult<Option<i64>> {
    let row = sqlx::query("SELECT id FROM frameworks WHERE code = $1 AND version = $2 AND partnership_id IS NULL")
        .bind(code)
        .bind(version)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| r.try_get("id").map_err(StoreError::from)).transpose()
}

pub async fn list(conn: &mut Conn) -> StoreResult<Vec<StoredFramework>> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY code, id")).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut Conn, id: i64) -> StoreResult<StoredFramework> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&row)
}
