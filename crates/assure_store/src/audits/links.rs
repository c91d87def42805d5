//! Respondent links: each a hash of a token that opens one return, and when it was last used.

use super::*;
use assure_domain::ids::LinkId;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub id: LinkId,
    pub assessment_id: i64,
    pub created_by_label: String,
    pub created_at: String,
    pub expires_on: NaiveDate,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
    pub uses: i64,
}

const LINK_SELECT: &str = "SELECT id, assessment_id, created_by_label, created_at, expires_on, revoked_at, last_used_at, \
    uses FROM respondent_links";

fn link_from_row(r: &AnyRow) -> StoreResult<Link> {
    Ok(Link {
        id: LinkId(r.try_get("id")?),
        assessment_id: r.try_get("assessment_id")?,
        created_by_label: r.try_get("created_by_label")?,
        created_at: r.try_get("created_at")?,
        expires_on: date(r, "expires_on")?,
        revoked_at: r.try_get("revoked_at")?,
        last_used_at: r.try_get("last_used_at")?,
        uses: r.try_get("uses")?,
    })
}

pub async fn insert_link(
    conn: &mut Conn,
    assessment_id: i64,
    token_hash: &str,
    by_label: &str,
    expires_on: NaiveDate,
) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO respondent_links (assessment_id, token_hash, created_by_label, created_at, expires_on, uses) \
         VALUES ($1, $2, $3, $4, $5, 0) RETURNING id",
    )
    .bind(assessment_id)
    .bind(token_hash)
    .bind(by_label)
    .bind(now_text())
    .bind(date_text(expires_on))
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

pub async fn link_by_hash(conn: &mut Conn, token_hash: &str) -> StoreResult<Option<Link>> {
    let row = sqlx::query(&format!("{LINK_SELECT} WHERE token_hash = $1"))
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(link_from_row).transpose()
}

pub async fn link(conn: &mut Conn, id: i64) -> StoreResult<Link> {
    let row = sqlx::query(&format!("{LINK_SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    link_from_row(&row)
}

pub async fn links_of(conn: &mut Conn, assessment_id: i64) -> StoreResult<Vec<Link>> {
    let rows = sqlx::query(&format!("{LINK_SELECT} WHERE assessment_id = $1 ORDER BY id"))
        .bind(assessment_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(link_from_row).collect()
}

pub async fn revoke_link(conn: &mut Conn, id: i64) -> StoreResult<()> {
    sqlx::query("UPDATE respondent_links SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now_text())
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn touch_link(conn: &mut Conn, id: i64) -> StoreResult<()> {
    sqlx::query("UPDATE respondent_links SET uses = uses + 1, last_used_at = $1 WHERE id = $2")
        .bind(now_text())
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

/// The campaign's draft returns that have at least one confirmed answer: started, not yet sent.
pub async fn started_drafts(conn: &mut Conn, campaign_id: i64) -> StoreResult<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT DISTINCT a.id FROM assessments a JOIN answers x ON x.assessment_id = a.id \
         WHERE a.campaign_id = $1 AND a.state = 'draft' AND x.confirmed = 1 ORDER BY a.id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| r.try_get("id").map_err(StoreError::from)).collect()
}
