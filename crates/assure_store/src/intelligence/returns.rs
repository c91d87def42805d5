//! Partners' data returns: what each organisation owes for a period, by when, and its figures.

use assure_domain::PartnershipId;
use assure_domain::ids::{DataReturnId, ReturnTemplateId};
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
        "return_templates",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("code", Text),
            ("version", Text),
            ("title", Text),
            ("period_type", Text),
            ("source", Text),
            ("created_at", Text),
        ],
    ),
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
            ("template_code", Text),
            ("template_version", Text),
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
    /// The template the return answers: its code and version.
    pub template_code: String,
    pub template_version: String,
    /// The template's title.
    pub template_title: String,
    /// A period of the template's type, as shown: "2025-26 Q1", "2025-26", "2025/26".
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

// A return's template is the one of its code and version that is shared, or the partnership's
// own (Assure refuses a partnership's version that a shared one already has).
const SELECT: &str = "SELECT r.id, r.partnership_id, r.organisation_id, o.name AS organisation_name, \
    r.template_code, r.template_version, t.title AS template_title, r.period, r.due_on, \
    r.status, r.provisional, r.footnote, r.source, r.updated_by_label, r.submitted_at, r.updated_at \
    FROM data_returns r JOIN organisations o ON o.id = r.organisation_id \
    JOIN return_templates t ON t.code = r.template_code AND t.version = r.template_version \
    AND (t.partnership_id IS NULL OR t.partnership_id = r.partnership_id)";

fn from_row(r: &AnyRow) -> StoreResult<DataReturn> {
    Ok(DataReturn {
        id: DataReturnId(r.try_get("id")?),
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: r.try_get("organisation_name")?,
        template_code: r.try_get("template_code")?,
        template_version: r.try_get("template_version")?,
        template_title: r.try_get("template_title")?,
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

/// Records that an organisation owes a return of a template; false if it already did for that
/// period (of any version of the template).
pub async fn insert_owed(
    conn: &mut Conn,
    p: PartnershipId,
    organisation: i64,
    template: (&str, &str),
    period: &str,
    due_on: NaiveDate,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO data_returns (partnership_id, organisation_id, template_code, template_version, period, due_on, \
         status, provisional, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'owed', 0, $7) ON CONFLICT DO NOTHING",
    )
    .bind(p.0)
    .bind(organisation)
    .bind(template.0)
    .bind(template.1)
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

/// A partnership's returns, latest period first, then by template and organisation.
pub async fn list(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<DataReturn>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE r.partnership_id = $1 ORDER BY r.period DESC, t.title, o.name"))
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

/// One submitted or validated value of a partnership's returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    pub template_code: String,
    pub template_version: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub period: String,
    /// The template's field.
    pub field: String,
    pub value: String,
}

/// Every submitted or validated value of a partnership's returns (of one template's code, or
/// of all), by period and field.
pub async fn returned_values(conn: &mut Conn, p: PartnershipId, code: Option<&str>) -> StoreResult<Vec<Returned>> {
    let rows = sqlx::query(
        "SELECT r.template_code, r.template_version, r.organisation_id, o.name AS organisation_name, r.period, \
         v.measure, v.value FROM data_return_values v JOIN data_returns r ON r.id = v.return_id \
         JOIN organisations o ON o.id = r.organisation_id \
         WHERE r.partnership_id = $1 AND r.status IN ('submitted', 'validated') AND ($2 IS NULL OR r.template_code = $2) \
         ORDER BY r.period, o.name, v.measure",
    )
    .bind(p.0)
    .bind(code)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Returned {
                template_code: r.try_get("template_code")?,
                template_version: r.try_get("template_version")?,
                organisation_id: r.try_get("organisation_id")?,
                organisation_name: r.try_get("organisation_name")?,
                period: r.try_get("period")?,
                field: r.try_get("measure")?,
                value: r.try_get("value")?,
            })
        })
        .collect()
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

/// A template version, stored as the file it came from: shared by every partnership on the
/// instance, or one partnership's own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredTemplate {
    pub id: ReturnTemplateId,
    pub code: String,
    pub version: String,
    pub title: String,
    /// quarter, financial_year or academic_year.
    pub period_type: String,
    pub source: String,
    pub created_at: String,
    /// The partnership whose own template this is; `None`: shared by every partnership.
    pub partnership_id: Option<PartnershipId>,
}

const TEMPLATE: &str =
    "SELECT id, code, version, title, period_type, source, created_at, partnership_id FROM return_templates";

fn template_from_row(r: &AnyRow) -> StoreResult<StoredTemplate> {
    Ok(StoredTemplate {
        id: ReturnTemplateId(r.try_get("id")?),
        code: r.try_get("code")?,
        version: r.try_get("version")?,
        title: r.try_get("title")?,
        period_type: r.try_get("period_type")?,
        source: r.try_get("source")?,
        created_at: r.try_get("created_at")?,
        partnership_id: r.try_get::<Option<i64>, _>("partnership_id")?.map(PartnershipId),
    })
}

/// What a new template version is.
pub struct NewTemplate<'a> {
    pub owner: Option<PartnershipId>,
    pub code: &'a str,
    pub version: &'a str,
    pub title: &'a str,
    pub period_type: &'a str,
    pub source: &'a str,
}

pub async fn insert_template(conn: &mut Conn, t: &NewTemplate<'_>) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO return_templates (partnership_id, code, version, title, period_type, source, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(t.owner.map(|p| p.0))
    .bind(t.code)
    .bind(t.version)
    .bind(t.title)
    .bind(t.period_type)
    .bind(t.source)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// A version with this code that would sit beside a new one of `owner`'s: for a partnership's
/// own, one shared or its own; for a shared one, any. With its owner.
pub async fn find_template(
    conn: &mut Conn,
    owner: Option<PartnershipId>,
    code: &str,
    version: &str,
) -> StoreResult<Option<(i64, Option<PartnershipId>)>> {
    let row = sqlx::query(
        "SELECT id, partnership_id FROM return_templates WHERE code = $1 AND version = $2 \
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

/// Every template version, by code then age.
pub async fn templates(conn: &mut Conn) -> StoreResult<Vec<StoredTemplate>> {
    let rows = sqlx::query(&format!("{TEMPLATE} ORDER BY code, id")).fetch_all(&mut *conn).await?;
    rows.iter().map(template_from_row).collect()
}

pub async fn template(conn: &mut Conn, id: i64) -> StoreResult<StoredTemplate> {
    let row = sqlx::query(&format!("{TEMPLATE} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    template_from_row(&row)
}

/// The version of a code that partnership `p` uses: shared, or its own.
pub async fn template_of(conn: &mut Conn, p: PartnershipId, code: &str, version: &str) -> StoreResult<StoredTemplate> {
    let row = sqlx::query(&format!(
        "{TEMPLATE} WHERE code = $1 AND version = $2 AND (partnership_id IS NULL OR partnership_id = $3) ORDER BY id LIMIT 1"
    ))
    .bind(code)
    .bind(version)
    .bind(p.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    template_from_row(&row)
}
