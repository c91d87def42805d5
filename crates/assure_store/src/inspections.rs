//! Inspections of the partnership's agencies: each inspection, the agencies it covered, and its
//! judgements; an agency's grades over time. (Its recommendations are the plan's, in `learning`.)

use assure_domain::inspections::{NewInspection, NewJudgement};
use assure_domain::{OrganisationId, PartnershipId};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, date_text, now_text, parse_date};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "inspections",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("type_code", Text),
            ("title", Text),
            ("fieldwork_from", Text),
            ("fieldwork_to", Text),
            ("published_on", Text),
            ("link", Text),
            ("summary", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    ("inspection_agencies", &[("inspection_id", Int), ("organisation_id", Int)]),
    (
        "inspection_judgements",
        &[
            ("id", Int),
            ("inspection_id", Int),
            ("area", Text),
            ("grade", Text),
            ("organisation_id", Int),
            ("finding", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
];

/// An agency inspected: the partnership's organisation and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    pub id: OrganisationId,
    pub name: String,
}

/// An inspection with the agencies it covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub type_code: String,
    pub title: String,
    pub fieldwork_from: NaiveDate,
    pub fieldwork_to: NaiveDate,
    pub published_on: Option<NaiveDate>,
    pub link: Option<String>,
    pub summary: Option<String>,
    /// By name.
    pub agencies: Vec<Agency>,
    pub by_label: String,
    pub updated_at: String,
}

/// A judgement of an area, with the agency's name when it judged one agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judgement {
    pub id: i64,
    pub inspection_id: i64,
    pub area: String,
    pub grade: Option<String>,
    pub organisation_id: Option<OrganisationId>,
    pub organisation: Option<String>,
    pub finding: Option<String>,
}

/// One line of an agency's grades over time: a judgement with its inspection's kind and dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GradeLine {
    pub inspection_id: i64,
    pub title: String,
    pub type_code: String,
    pub fieldwork_from: NaiveDate,
    pub fieldwork_to: NaiveDate,
    pub published_on: Option<NaiveDate>,
    pub area: String,
    pub grade: Option<String>,
    /// The judgement was of the agencies inspected together, not of this one alone.
    pub joint: bool,
}

const SELECT: &str = "SELECT i.id, i.partnership_id, i.type_code, i.title, i.fieldwork_from, i.fieldwork_to, \
    i.published_on, i.link, i.summary, i.by_label, i.updated_at FROM inspections i";

fn required_date(r: &AnyRow, column: &str) -> StoreResult<NaiveDate> {
    parse_date(column, r.try_get(column)?)?.ok_or_else(|| StoreError::Corrupt(format!("inspections.{column}")))
}

fn inspection_from(r: &AnyRow) -> StoreResult<Inspection> {
    Ok(Inspection {
        id: r.try_get("id")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        type_code: r.try_get("type_code")?,
        title: r.try_get("title")?,
        fieldwork_from: required_date(r, "fieldwork_from")?,
        fieldwork_to: required_date(r, "fieldwork_to")?,
        published_on: parse_date("published_on", r.try_get("published_on")?)?,
        link: r.try_get("link")?,
        summary: r.try_get("summary")?,
        agencies: Vec::new(),
        by_label: r.try_get("by_label")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Fills each inspection's agencies, in one statement for them all.
async fn with_agencies(conn: &mut Conn, mut list: Vec<Inspection>) -> StoreResult<Vec<Inspection>> {
    if list.is_empty() {
        return Ok(list);
    }
    let ids = list.iter().map(|i| i.id.to_string()).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!(
        "SELECT a.inspection_id, a.organisation_id, o.name FROM inspection_agencies a \
         JOIN organisations o ON o.id = a.organisation_id WHERE a.inspection_id IN ({ids}) ORDER BY o.name, o.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut by: HashMap<i64, Vec<Agency>> = HashMap::new();
    for r in rows {
        by.entry(r.try_get("inspection_id")?)
            .or_default()
            .push(Agency { id: OrganisationId(r.try_get("organisation_id")?), name: r.try_get("name")? });
    }
    for i in &mut list {
        i.agencies = by.remove(&i.id).unwrap_or_default();
    }
    Ok(list)
}

async fn set_agencies(conn: &mut Conn, id: i64, orgs: &[OrganisationId]) -> StoreResult<()> {
    sqlx::query("DELETE FROM inspection_agencies WHERE inspection_id = $1").bind(id).execute(&mut *conn).await?;
    for o in orgs {
        sqlx::query("INSERT INTO inspection_agencies (inspection_id, organisation_id) VALUES ($1, $2)")
            .bind(id)
            .bind(o.0)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_write)?;
    }
    Ok(())
}

/// Records an inspection with its agencies.
pub async fn insert(conn: &mut Conn, p: PartnershipId, new: &NewInspection, by: &str) -> StoreResult<i64> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO inspections (partnership_id, type_code, title, fieldwork_from, fieldwork_to, published_on, link, \
         summary, by_label, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(p.0)
    .bind(&new.type_code)
    .bind(&new.title)
    .bind(date_text(new.fieldwork_from))
    .bind(date_text(new.fieldwork_to))
    .bind(new.published_on.map(date_text))
    .bind(new.link.as_deref())
    .bind(new.summary.as_deref())
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    set_agencies(conn, id, &new.organisation_ids).await?;
    Ok(id)
}

/// Changes what an inspection says, and the agencies it covered.
pub async fn update(conn: &mut Conn, id: i64, new: &NewInspection, by: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE inspections SET type_code = $1, title = $2, fieldwork_from = $3, fieldwork_to = $4, published_on = $5, \
         link = $6, summary = $7, by_label = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&new.type_code)
    .bind(&new.title)
    .bind(date_text(new.fieldwork_from))
    .bind(date_text(new.fieldwork_to))
    .bind(new.published_on.map(date_text))
    .bind(new.link.as_deref())
    .bind(new.summary.as_deref())
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    set_agencies(conn, id, &new.organisation_ids).await
}

pub async fn inspection(conn: &mut Conn, id: i64) -> StoreResult<Inspection> {
    let row = sqlx::query(&format!("{SELECT} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let one = inspection_from(&row)?;
    Ok(with_agencies(conn, vec![one]).await?.remove(0))
}

/// A partnership's inspections, the latest fieldwork first; `organisation` limits them to those
/// that covered one agency.
pub async fn inspections_in(
    conn: &mut Conn,
    p: PartnershipId,
    organisation: Option<OrganisationId>,
) -> StoreResult<Vec<Inspection>> {
    let rows = match organisation {
        None => {
            sqlx::query(&format!("{SELECT} WHERE i.partnership_id = $1 ORDER BY i.fieldwork_from DESC, i.id DESC"))
                .bind(p.0)
                .fetch_all(&mut *conn)
                .await?
        }
        Some(o) => {
            sqlx::query(&format!(
                "{SELECT} WHERE i.partnership_id = $1 AND EXISTS (SELECT 1 FROM inspection_agencies a \
                 WHERE a.inspection_id = i.id AND a.organisation_id = $2) ORDER BY i.fieldwork_from DESC, i.id DESC"
            ))
            .bind(p.0)
            .bind(o.0)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    let list = rows.iter().map(inspection_from).collect::<StoreResult<Vec<_>>>()?;
    with_agencies(conn, list).await
}

const JUDGEMENT_SELECT: &str = "SELECT j.id, j.inspection_id, j.area, j.grade, j.organisation_id, o.name AS organisation, \
    j.finding FROM inspection_judgements j LEFT JOIN organisations o ON o.id = j.organisation_id";

fn judgement_from(r: &AnyRow) -> StoreResult<Judgement> {
    Ok(Judgement {
        id: r.try_get("id")?,
        inspection_id: r.try_get("inspection_id")?,
        area: r.try_get("area")?,
        grade: r.try_get("grade")?,
        organisation_id: r.try_get::<Option<i64>, _>("organisation_id")?.map(OrganisationId),
        organisation: r.try_get("organisation")?,
        finding: r.try_get("finding")?,
    })
}

/// An inspection's judgements in the order they were recorded.
pub async fn judgements(conn: &mut Conn, inspection: i64) -> StoreResult<Vec<Judgement>> {
    let rows = sqlx::query(&format!("{JUDGEMENT_SELECT} WHERE j.inspection_id = $1 ORDER BY j.id"))
        .bind(inspection)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(judgement_from).collect()
}

/// The judgements of several inspections (a list's worth), by inspection, in one statement.
pub async fn judgements_of(conn: &mut Conn, inspections: &[i64]) -> StoreResult<HashMap<i64, Vec<Judgement>>> {
    let mut by: HashMap<i64, Vec<Judgement>> = HashMap::new();
    if inspections.is_empty() {
        return Ok(by);
    }
    let ids = inspections.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!("{JUDGEMENT_SELECT} WHERE j.inspection_id IN ({ids}) ORDER BY j.id"))
        .fetch_all(&mut *conn)
        .await?;
    for r in &rows {
        let j = judgement_from(r)?;
        by.entry(j.inspection_id).or_default().push(j);
    }
    Ok(by)
}

/// Records a judgement.
pub async fn insert_judgement(conn: &mut Conn, inspection: i64, new: &NewJudgement, by: &str) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO inspection_judgements (inspection_id, area, grade, organisation_id, finding, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(inspection)
    .bind(&new.area)
    .bind(new.grade.as_deref())
    .bind(new.organisation_id.map(|o| o.0))
    .bind(new.finding.as_deref())
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// Removes one of an inspection's judgements; false when it has no such judgement.
pub async fn delete_judgement(conn: &mut Conn, inspection: i64, judgement: i64) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM inspection_judgements WHERE id = $1 AND inspection_id = $2")
        .bind(judgement)
        .bind(inspection)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Judgements that name an agency no longer among those an inspection covered (after its agencies
/// changed): how many there are.
pub async fn judgements_outside_agencies(conn: &mut Conn, inspection: i64) -> StoreResult<i64> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM inspection_judgements j WHERE j.inspection_id = $1 AND j.organisation_id IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM inspection_agencies a WHERE a.inspection_id = j.inspection_id \
         AND a.organisation_id = j.organisation_id)",
    )
    .bind(inspection)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?)
}

/// An agency's grades over time in a partnership: every judgement of it, and every judgement of
/// the agencies together in an inspection that covered it; the earliest fieldwork first.
pub async fn grades_of(conn: &mut Conn, p: PartnershipId, org: OrganisationId) -> StoreResult<Vec<GradeLine>> {
    let rows = sqlx::query(
        "SELECT i.id, i.title, i.type_code, i.fieldwork_from, i.fieldwork_to, i.published_on, j.area, j.grade, \
         j.organisation_id FROM inspection_judgements j JOIN inspections i ON i.id = j.inspection_id \
         WHERE i.partnership_id = $1 AND (j.organisation_id = $2 OR (j.organisation_id IS NULL AND EXISTS \
         (SELECT 1 FROM inspection_agencies a WHERE a.inspection_id = i.id AND a.organisation_id = $2))) \
         ORDER BY i.fieldwork_from, i.id, j.id",
    )
    .bind(p.0)
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(GradeLine {
                inspection_id: r.try_get("id")?,
                title: r.try_get("title")?,
                type_code: r.try_get("type_code")?,
                fieldwork_from: required_date(r, "fieldwork_from")?,
                fieldwork_to: required_date(r, "fieldwork_to")?,
                published_on: parse_date("published_on", r.try_get("published_on")?)?,
                area: r.try_get("area")?,
                grade: r.try_get("grade")?,
                joint: r.try_get::<Option<i64>, _>("organisation_id")?.is_none(),
            })
        })
        .collect()
}
