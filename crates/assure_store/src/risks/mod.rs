//! Risk registers: their matrices in versions, their categories and appetite, their risks, every
//! rating each risk has been given, the controls on each risk and the plan's actions that treat
//! it.

use assure_domain::risks::{Matrix, NewRegister, Rating, RatingKind, Status};
use assure_domain::structure::{ArmKind, Choice};
use assure_domain::{BodyId, PartnershipId, RiskId, RiskRegisterId, UserId};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, date_text, now_text, parse_date};

mod controls;

pub use controls::*;

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "risk_registers",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("name", Text),
            ("arm", Text),
            ("body_id", Int),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "risk_matrices",
        &[
            ("id", Int),
            ("register_id", Int),
            ("version", Int),
            ("definition", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "risk_categories",
        &[
            ("id", Int),
            ("register_id", Int),
            ("name", Text),
            ("position", Int),
            ("appetite", Int),
            ("appetite_agreed", Text),
            ("appetite_by", Text),
            ("appetite_at", Text),
        ],
    ),
    (
        "risks",
        &[
            ("id", Int),
            ("register_id", Int),
            ("category_id", Int),
            ("reference", Text),
            ("title", Text),
            ("consequence", Text),
            ("owner", Text),
            ("owner_user_id", Int),
            ("status", Text),
            ("status_reason", Text),
            ("target_date", Text),
            ("review_on", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "risk_ratings",
        &[
            ("id", Int),
            ("risk_id", Int),
            ("matrix_id", Int),
            ("kind", Text),
            ("likelihood", Int),
            ("impact", Int),
            ("rated_on", Text),
            ("reason", Text),
            ("by_label", Text),
            ("recorded_at", Text),
        ],
    ),
    (
        "risk_controls",
        &[
            ("id", Int),
            ("risk_id", Int),
            ("description", Text),
            ("owner", Text),
            ("timeframe", Text),
            ("in_place", Bool),
            ("by_label", Text),
            ("updated_at", Text),
        ],
    ),
    ("risk_actions", &[("risk_id", Int), ("action_id", Int), ("by_label", Text), ("linked_at", Text)]),
];

/// A risk register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Register {
    pub id: RiskRegisterId,
    pub partnership_id: PartnershipId,
    pub name: String,
    pub arm: Option<ArmKind>,
    /// The body that oversees it: risks above appetite go to its meetings.
    pub body_id: Option<BodyId>,
    pub body_name: Option<String>,
    pub by_label: String,
    pub created_at: String,
}

/// One version of a register's matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixVersion {
    pub id: i64,
    pub version: i64,
    pub matrix: Matrix,
    pub by_label: String,
    pub created_at: String,
}

/// A category of a register, with the board's appetite for its risks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    pub id: i64,
    pub register_id: RiskRegisterId,
    pub name: String,
    pub position: i64,
    /// The highest current score the board accepts; none: not set.
    pub appetite: Option<u32>,
    pub appetite_agreed: Option<String>,
    /// Who recorded the appetite, and when (UTC).
    pub appetite_set: Option<(String, String)>,
}

/// A risk as stored (its ratings are read apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Risk {
    pub id: RiskId,
    pub register_id: RiskRegisterId,
    pub partnership_id: PartnershipId,
    pub category_id: i64,
    pub category_name: String,
    pub reference: String,
    pub title: String,
    pub consequence: Option<String>,
    pub owner: String,
    pub owner_user_id: Option<UserId>,
    pub owner_email: Option<String>,
    pub status: Status,
    pub status_reason: Option<String>,
    pub target_date: Option<NaiveDate>,
    pub review_on: NaiveDate,
    pub by_label: String,
    pub created_at: String,
    pub updated_at: String,
}

/// One rating given to a risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingEntry {
    pub id: i64,
    pub risk_id: RiskId,
    pub matrix_id: i64,
    pub kind: RatingKind,
    pub rating: Rating,
    pub rated_on: NaiveDate,
    pub reason: Option<String>,
    pub by_label: String,
    pub recorded_at: String,
}

const REGISTER_SELECT: &str = "SELECT g.id, g.partnership_id, g.name, g.arm, g.body_id, b.name AS body_name, \
    g.by_label, g.created_at FROM risk_registers g LEFT JOIN bodies b ON b.id = g.body_id";

fn register_from(r: &AnyRow) -> StoreResult<Register> {
    let arm: Option<String> = r.try_get("arm")?;
    Ok(Register {
        id: RiskRegisterId(r.try_get("id")?),
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        name: r.try_get("name")?,
        arm: arm.map(|a| ArmKind::parse(&a).ok_or_else(|| StoreError::Corrupt(format!("arm {a}")))).transpose()?,
        body_id: r.try_get::<Option<i64>, _>("body_id")?.map(BodyId),
        body_name: r.try_get("body_name")?,
        by_label: r.try_get("by_label")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn insert_register(
    conn: &mut Conn,
    p: PartnershipId,
    new: &NewRegister,
    by: &str,
) -> StoreResult<RiskRegisterId> {
    let id: i64 = sqlx::query(
        "INSERT INTO risk_registers (partnership_id, name, arm, body_id, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(p.0)
    .bind(&new.name)
    .bind(new.arm.map(|a| a.code()))
    .bind(new.body_id.map(|b| b.0))
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(RiskRegisterId(id))
}

pub async fn update_register(conn: &mut Conn, id: RiskRegisterId, new: &NewRegister) -> StoreResult<()> {
    sqlx::query("UPDATE risk_registers SET name = $1, arm = $2, body_id = $3 WHERE id = $4")
        .bind(&new.name)
        .bind(new.arm.map(|a| a.code()))
        .bind(new.body_id.map(|b| b.0))
        .bind(id.0)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn register(conn: &mut Conn, id: RiskRegisterId) -> StoreResult<Register> {
    let row = sqlx::query(&format!("{REGISTER_SELECT} WHERE g.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    register_from(&row)
}

/// A partnership's registers, by name.
pub async fn registers_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Register>> {
    let rows = sqlx::query(&format!("{REGISTER_SELECT} WHERE g.partnership_id = $1 ORDER BY g.name, g.id"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(register_from).collect()
}

/// The registers a body oversees.
pub async fn registers_of_body(conn: &mut Conn, body: BodyId) -> StoreResult<Vec<Register>> {
    let rows = sqlx::query(&format!("{REGISTER_SELECT} WHERE g.body_id = $1 ORDER BY g.id"))
        .bind(body.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(register_from).collect()
}

fn matrix_from(r: &AnyRow) -> StoreResult<MatrixVersion> {
    let definition: String = r.try_get("definition")?;
    Ok(MatrixVersion {
        id: r.try_get("id")?,
        version: r.try_get("version")?,
        matrix: serde_json::from_str(&definition).map_err(|e| StoreError::Corrupt(format!("risk matrix: {e}")))?,
        by_label: r.try_get("by_label")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Adds a new version of a register's matrix (the next number) and returns its id.
pub async fn insert_matrix(conn: &mut Conn, register: RiskRegisterId, matrix: &Matrix, by: &str) -> StoreResult<i64> {
    let next: i64 =
        sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 AS next FROM risk_matrices WHERE register_id = $1")
            .bind(register.0)
            .fetch_one(&mut *conn)
            .await?
            .try_get("next")?;
    let definition = serde_json::to_string(matrix).map_err(|e| StoreError::Corrupt(format!("risk matrix: {e}")))?;
    let id: i64 = sqlx::query(
        "INSERT INTO risk_matrices (register_id, version, definition, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(register.0)
    .bind(next)
    .bind(definition)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

/// Every version of a register's matrix, the first first.
pub async fn matrices(conn: &mut Conn, register: RiskRegisterId) -> StoreResult<Vec<MatrixVersion>> {
    let rows = sqlx::query(
        "SELECT id, version, definition, by_label, created_at FROM risk_matrices WHERE register_id = $1 ORDER BY version",
    )
    .bind(register.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(matrix_from).collect()
}

/// A register's matrix as it now is: its latest version.
pub async fn matrix(conn: &mut Conn, register: RiskRegisterId) -> StoreResult<MatrixVersion> {
    let row = sqlx::query(
        "SELECT id, version, definition, by_label, created_at FROM risk_matrices WHERE register_id = $1 \
         ORDER BY version DESC LIMIT 1",
    )
    .bind(register.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    matrix_from(&row)
}

fn category_from(r: &AnyRow) -> StoreResult<Category> {
    let by: Option<String> = r.try_get("appetite_by")?;
    let at: Option<String> = r.try_get("appetite_at")?;
    Ok(Category {
        id: r.try_get("id")?,
        register_id: RiskRegisterId(r.try_get("register_id")?),
        name: r.try_get("name")?,
        position: r.try_get("position")?,
        appetite: r.try_get::<Option<i64>, _>("appetite")?.map(|a| a as u32),
        appetite_agreed: r.try_get("appetite_agreed")?,
        appetite_set: by.zip(at),
    })
}

pub async fn insert_category(conn: &mut Conn, register: RiskRegisterId, name: &str) -> StoreResult<i64> {
    let position: i64 =
        sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 AS next FROM risk_categories WHERE register_id = $1")
            .bind(register.0)
            .fetch_one(&mut *conn)
            .await?
            .try_get("next")?;
    let id: i64 =
        sqlx::query("INSERT INTO risk_categories (register_id, name, position) VALUES ($1, $2, $3) RETURNING id")
            .bind(register.0)
            .bind(name)
            .bind(position)
            .fetch_one(&mut *conn)
            .await
            .map_err(StoreError::from_write)?
            .try_get("id")?;
    Ok(id)
}

pub async fn rename_category(conn: &mut Conn, id: i64, name: &str) -> StoreResult<()> {
    sqlx::query("UPDATE risk_categories SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn set_appetite(
    conn: &mut Conn,
    id: i64,
    appetite: Option<u32>,
    agreed: Option<&str>,
    by: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE risk_categories SET appetite = $1, appetite_agreed = $2, appetite_by = $3, appetite_at = $4 WHERE id = $5",
    )
    .bind(appetite.map(i64::from))
    .bind(agreed)
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A register's categories, in order.
pub async fn categories(conn: &mut Conn, register: RiskRegisterId) -> StoreResult<Vec<Category>> {
    let rows = sqlx::query(
        "SELECT id, register_id, name, position, appetite, appetite_agreed, appetite_by, appetite_at \
         FROM risk_categories WHERE register_id = $1 ORDER BY position, id",
    )
    .bind(register.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(category_from).collect()
}

const RISK_SELECT: &str = "SELECT r.id, r.register_id, g.partnership_id, r.category_id, c.name AS category_name, \
    r.reference, r.title, r.consequence, r.owner, r.owner_user_id, u.email AS owner_email, r.status, r.status_reason, \
    r.target_date, r.review_on, r.by_label, r.created_at, r.updated_at FROM risks r \
    JOIN risk_registers g ON g.id = r.register_id JOIN risk_categories c ON c.id = r.category_id \
    LEFT JOIN users u ON u.id = r.owner_user_id";

fn risk_from(r: &AnyRow) -> StoreResult<Risk> {
    let status: String = r.try_get("status")?;
    Ok(Risk {
        id: RiskId(r.try_get("id")?),
        register_id: RiskRegisterId(r.try_get("register_id")?),
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        category_id: r.try_get("category_id")?,
        category_name: r.try_get("category_name")?,
        reference: r.try_get("reference")?,
        title: r.try_get("title")?,
        consequence: r.try_get("consequence")?,
        owner: r.try_get("owner")?,
        owner_user_id: r.try_get::<Option<i64>, _>("owner_user_id")?.map(UserId),
        owner_email: r.try_get("owner_email")?,
        status: Status::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("risk status {status}")))?,
        status_reason: r.try_get("status_reason")?,
        target_date: parse_date("target_date", r.try_get("target_date")?)?,
        review_on: parse_date("review_on", r.try_get("review_on")?)?
            .ok_or_else(|| StoreError::Corrupt("review_on".into()))?,
        by_label: r.try_get("by_label")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// What a risk's own fields are set to (its ratings are written apart).
pub struct RiskFields<'a> {
    pub category_id: i64,
    pub reference: &'a str,
    pub title: &'a str,
    pub consequence: Option<&'a str>,
    pub owner: &'a str,
    pub owner_user_id: Option<UserId>,
    pub target_date: Option<NaiveDate>,
    pub review_on: NaiveDate,
}

pub async fn insert_risk(
    conn: &mut Conn,
    register: RiskRegisterId,
    f: &RiskFields<'_>,
    by: &str,
) -> StoreResult<RiskId> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO risks (register_id, category_id, reference, title, consequence, owner, owner_user_id, status, \
         target_date, review_on, by_label, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(register.0)
    .bind(f.category_id)
    .bind(f.reference)
    .bind(f.title)
    .bind(f.consequence)
    .bind(f.owner)
    .bind(f.owner_user_id.map(|u| u.0))
    .bind(f.target_date.map(date_text))
    .bind(date_text(f.review_on))
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(RiskId(id))
}

pub async fn update_risk(conn: &mut Conn, id: RiskId, f: &RiskFields<'_>, by: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE risks SET category_id = $1, reference = $2, title = $3, consequence = $4, owner = $5, \
         owner_user_id = $6, target_date = $7, review_on = $8, by_label = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(f.category_id)
    .bind(f.reference)
    .bind(f.title)
    .bind(f.consequence)
    .bind(f.owner)
    .bind(f.owner_user_id.map(|u| u.0))
    .bind(f.target_date.map(date_text))
    .bind(date_text(f.review_on))
    .bind(by)
    .bind(now_text())
    .bind(id.0)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn set_review_on(conn: &mut Conn, id: RiskId, on: NaiveDate, by: &str) -> StoreResult<()> {
    sqlx::query("UPDATE risks SET review_on = $1, by_label = $2, updated_at = $3 WHERE id = $4")
        .bind(date_text(on))
        .bind(by)
        .bind(now_text())
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_status(
    conn: &mut Conn,
    id: RiskId,
    status: Status,
    reason: Option<&str>,
    by: &str,
) -> StoreResult<()> {
    sqlx::query("UPDATE risks SET status = $1, status_reason = $2, by_label = $3, updated_at = $4 WHERE id = $5")
        .bind(status.code())
        .bind(reason)
        .bind(by)
        .bind(now_text())
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn risk(conn: &mut Conn, id: RiskId) -> StoreResult<Risk> {
    let row = sqlx::query(&format!("{RISK_SELECT} WHERE r.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    risk_from(&row)
}

/// A register's risks, by category then reference.
pub async fn risks_of_register(conn: &mut Conn, register: RiskRegisterId) -> StoreResult<Vec<Risk>> {
    let rows =
        sqlx::query(&format!("{RISK_SELECT} WHERE r.register_id = $1 ORDER BY c.position, c.id, r.reference, r.id"))
            .bind(register.0)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(risk_from).collect()
}

/// How many risks a register holds.
pub async fn risk_count(conn: &mut Conn, register: RiskRegisterId) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT COUNT(*) AS n FROM risks WHERE register_id = $1")
        .bind(register.0)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?)
}

/// The open risks due for review on or before `by`, in the partnership, soonest first.
pub async fn risks_due(conn: &mut Conn, p: PartnershipId, by: NaiveDate) -> StoreResult<Vec<Risk>> {
    let rows = sqlx::query(&format!(
        "{RISK_SELECT} WHERE g.partnership_id = $1 AND r.status = 'open' AND r.review_on <= $2 \
         ORDER BY r.review_on, r.id"
    ))
    .bind(p.0)
    .bind(date_text(by))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(risk_from).collect()
}

/// The open risks an account owns, in the partnership, by review date.
pub async fn risks_owned(conn: &mut Conn, p: PartnershipId, user: UserId) -> StoreResult<Vec<Risk>> {
    let rows = sqlx::query(&format!(
        "{RISK_SELECT} WHERE g.partnership_id = $1 AND r.owner_user_id = $2 AND r.status = 'open' \
         ORDER BY r.review_on, r.id"
    ))
    .bind(p.0)
    .bind(user.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(risk_from).collect()
}

fn rating_from(r: &AnyRow) -> StoreResult<RatingEntry> {
    let kind: String = r.try_get("kind")?;
    let level = |c: &str| -> StoreResult<u32> {
        u32::try_from(r.try_get::<i64, _>(c)?).map_err(|_| StoreError::Corrupt(format!("risk rating {c}")))
    };
    Ok(RatingEntry {
        id: r.try_get("id")?,
        risk_id: RiskId(r.try_get("risk_id")?),
        matrix_id: r.try_get("matrix_id")?,
        kind: RatingKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("rating kind {kind}")))?,
        rating: Rating { likelihood: level("likelihood")?, impact: level("impact")? },
        rated_on: parse_date("rated_on", r.try_get("rated_on")?)?
            .ok_or_else(|| StoreError::Corrupt("rated_on".into()))?,
        reason: r.try_get("reason")?,
        by_label: r.try_get("by_label")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

/// One rating to record.
pub struct NewRatingEntry<'a> {
    pub matrix_id: i64,
    pub kind: RatingKind,
    pub rating: Rating,
    pub rated_on: NaiveDate,
    pub reason: Option<&'a str>,
}

pub async fn insert_rating(conn: &mut Conn, risk: RiskId, new: &NewRatingEntry<'_>, by: &str) -> StoreResult<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO risk_ratings (risk_id, matrix_id, kind, likelihood, impact, rated_on, reason, by_label, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(risk.0)
    .bind(new.matrix_id)
    .bind(new.kind.code())
    .bind(i64::from(new.rating.likelihood))
    .bind(i64::from(new.rating.impact))
    .bind(date_text(new.rated_on))
    .bind(new.reason)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

const RATING_COLUMNS: &str =
    "id, risk_id, matrix_id, kind, likelihood, impact, rated_on, reason, by_label, recorded_at";

/// Every rating a risk has been given, in the order given.
pub async fn ratings_of_risk(conn: &mut Conn, risk: RiskId) -> StoreResult<Vec<RatingEntry>> {
    let rows =
        sqlx::query(&format!("SELECT {RATING_COLUMNS} FROM risk_ratings WHERE risk_id = $1 ORDER BY rated_on, id"))
            .bind(risk.0)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(rating_from).collect()
}

/// Every rating given to the risks of a register, by risk, in the order given (a yearly report
/// reads each risk's rating as it stood at the end of its period).
pub async fn ratings_of_register(conn: &mut Conn, register: RiskRegisterId) -> StoreResult<Vec<RatingEntry>> {
    let rows = sqlx::query(&format!(
        "SELECT {RATING_COLUMNS} FROM risk_ratings WHERE risk_id IN (SELECT id FROM risks WHERE register_id = $1) \
         ORDER BY risk_id, rated_on, id"
    ))
    .bind(register.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(rating_from).collect()
}

/// The latest two ratings of each kind for each risk of a register (the latest current rating
/// and the one before it give the direction of travel), in the order given.
pub async fn latest_ratings(conn: &mut Conn, register: RiskRegisterId) -> StoreResult<Vec<RatingEntry>> {
    let rows = sqlx::query(&format!(
        "SELECT {RATING_COLUMNS} FROM (SELECT t.*, ROW_NUMBER() OVER \
         (PARTITION BY t.risk_id, t.kind ORDER BY t.rated_on DESC, t.id DESC) AS rn \
         FROM risk_ratings t JOIN risks r ON r.id = t.risk_id WHERE r.register_id = $1) x \
         WHERE rn <= 2 ORDER BY risk_id, rated_on, id"
    ))
    .bind(register.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(rating_from).collect()
}
