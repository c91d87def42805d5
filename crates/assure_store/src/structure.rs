//! The partnership's structure: partnerships and arms, organisations, people, bodies, their
//! versioned terms of reference, and memberships.

use assure_domain::structure::{
    ArmKind, BodyKind, Cadence, Choice, MembershipRole, NewBody, NewMembership, NewOrganisation, NewPerson, NewTerms,
    OrganisationKind, Sector,
};
use assure_domain::{BodyId, MembershipId, OrganisationId, PartnershipId, PersonId, TermsId, UserId};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, date_text, flag, now_text, parse_date};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    ("partnerships", &[("id", Int), ("slug", Text), ("name", Text), ("created_at", Text)]),
    ("arms", &[("id", Int), ("partnership_id", Int), ("kind", Text), ("name", Text)]),
    (
        "organisations",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("name", Text),
            ("kind", Text),
            ("sector", Text),
            ("parent_id", Int),
            ("ended_on", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "people",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("name", Text),
            ("job_title", Text),
            ("email", Text),
            ("organisation_id", Int),
            ("restricted", Bool),
            ("ended_on", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "bodies",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("name", Text),
            ("kind", Text),
            ("arm", Text),
            ("parent_id", Int),
            ("purpose", Text),
            ("cadence", Text),
            ("restricted", Bool),
            ("ended_on", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "terms_of_reference",
        &[
            ("id", Int),
            ("body_id", Int),
            ("version", Int),
            ("text", Text),
            ("effective_from", Text),
            ("created_by", Int),
            ("created_at", Text),
        ],
    ),
    (
        "memberships",
        &[
            ("id", Int),
            ("body_id", Int),
            ("person_id", Int),
            ("organisation_id", Int),
            ("role", Text),
            ("from_date", Text),
            ("to_date", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
];

fn choice<C: Choice>(row: &AnyRow, column: &str) -> StoreResult<C> {
    let code: String = row.try_get(column)?;
    C::parse(&code).ok_or_else(|| StoreError::Corrupt(format!("{column}: {code}")))
}

/// One page of a list, and how many there are in all.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl Page {
    pub const ALL: Page = Page { limit: 100_000, offset: 0 };
}

// --- partnerships -------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Partnership {
    pub id: PartnershipId,
    pub slug: String,
    pub name: String,
}

fn partnership_from_row(row: &AnyRow) -> StoreResult<Partnership> {
    Ok(Partnership { id: PartnershipId(row.try_get("id")?), slug: row.try_get("slug")?, name: row.try_get("name")? })
}

pub async fn create_partnership(
    conn: &mut Conn,
    slug: &str,
    name: &str,
    arms: &[(ArmKind, &str)],
) -> StoreResult<PartnershipId> {
    let id: i64 = sqlx::query("INSERT INTO partnerships (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(slug)
        .bind(name)
        .bind(now_text())
        .fetch_one(&mut *conn)
        .await
        .map_err(StoreError::from_write)?
        .try_get("id")?;
    for (kind, arm_name) in arms {
        sqlx::query("INSERT INTO arms (partnership_id, kind, name) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(kind.code())
            .bind(*arm_name)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_write)?;
    }
    Ok(PartnershipId(id))
}

pub async fn partnerships(conn: &mut Conn) -> StoreResult<Vec<Partnership>> {
    let rows = sqlx::query("SELECT id, slug, name FROM partnerships ORDER BY name").fetch_all(&mut *conn).await?;
    rows.iter().map(partnership_from_row).collect()
}

pub async fn partnership(conn: &mut Conn, id: PartnershipId) -> StoreResult<Partnership> {
    let row = sqlx::query("SELECT id, slug, name FROM partnerships WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    partnership_from_row(&row)
}

pub async fn partnership_by_slug(conn: &mut Conn, slug: &str) -> StoreResult<Partnership> {
    let row = sqlx::query("SELECT id, slug, name FROM partnerships WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    partnership_from_row(&row)
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Arm {
    pub kind: ArmKind,
    pub name: String,
}

pub async fn arms(conn: &mut Conn, partnership: PartnershipId) -> StoreResult<Vec<Arm>> {
    let rows = sqlx::query("SELECT kind, name FROM arms WHERE partnership_id = $1 ORDER BY kind")
        .bind(partnership.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(Arm { kind: choice(r, "kind")?, name: r.try_get("name")? })).collect()
}

// --- organisations ------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub partnership_id: PartnershipId,
    pub name: String,
    pub kind: OrganisationKind,
    pub sector: Sector,
    pub parent_id: Option<OrganisationId>,
    pub parent_name: Option<String>,
    pub ended_on: Option<NaiveDate>,
    pub created_at: String,
    pub updated_at: String,
}

const ORGANISATION_SELECT: &str = "SELECT o.id, o.partnership_id, o.name, o.kind, o.sector, o.parent_id, \
    p.name AS parent_name, o.ended_on, o.created_at, o.updated_at FROM organisations o \
    LEFT JOIN organisations p ON p.id = o.parent_id";

fn organisation_from_row(row: &AnyRow) -> StoreResult<Organisation> {
    Ok(Organisation {
        id: OrganisationId(row.try_get("id")?),
        partnership_id: PartnershipId(row.try_get("partnership_id")?),
        name: row.try_get("name")?,
        kind: choice(row, "kind")?,
        sector: choice(row, "sector")?,
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(OrganisationId),
        parent_name: row.try_get("parent_name")?,
        ended_on: parse_date("ended_on", row.try_get("ended_on")?)?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn organisations(
    conn: &mut Conn,
    partnership: PartnershipId,
    include_ended: bool,
    page: Page,
) -> StoreResult<(Vec<Organisation>, i64)> {
    let ended = if include_ended { "" } else { " AND o.ended_on IS NULL" };
    let total: i64 =
        sqlx::query(&format!("SELECT COUNT(*) AS n FROM organisations o WHERE o.partnership_id = $1{ended}"))
            .bind(partnership.0)
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?;
    let rows = sqlx::query(&format!(
        "{ORGANISATION_SELECT} WHERE o.partnership_id = $1{ended} ORDER BY o.name LIMIT $2 OFFSET $3"
    ))
    .bind(partnership.0)
    .bind(page.limit)
    .bind(page.offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok((rows.iter().map(organisation_from_row).collect::<StoreResult<_>>()?, total))
}

pub async fn organisation(conn: &mut Conn, id: OrganisationId) -> StoreResult<Organisation> {
    let row = sqlx::query(&format!("{ORGANISATION_SELECT} WHERE o.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    organisation_from_row(&row)
}

pub async fn insert_organisation(
    conn: &mut Conn,
    partnership: PartnershipId,
    new: &NewOrganisation,
) -> StoreResult<OrganisationId> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO organisations (partnership_id, name, kind, sector, parent_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(partnership.0)
    .bind(&new.name)
    .bind(new.kind.code())
    .bind(new.sector.code())
    .bind(new.parent_id.map(|p| p.0))
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(OrganisationId(id))
}

pub async fn update_organisation(conn: &mut Conn, id: OrganisationId, new: &NewOrganisation) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE organisations SET name = $1, kind = $2, sector = $3, parent_id = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(&new.name)
    .bind(new.kind.code())
    .bind(new.sector.code())
    .bind(new.parent_id.map(|p| p.0))
    .bind(now_text())
    .bind(id.0)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Sets (or clears, with `None`) the date a record ended; `table` is one of ours, never input.
pub async fn set_ended(conn: &mut Conn, table: EndableTable, id: i64, ended_on: Option<NaiveDate>) -> StoreResult<()> {
    let (table, column) = match table {
        EndableTable::Organisations => ("organisations", "ended_on"),
        EndableTable::People => ("people", "ended_on"),
        EndableTable::Bodies => ("bodies", "ended_on"),
        EndableTable::Memberships => ("memberships", "to_date"),
    };
    let done = sqlx::query(&format!("UPDATE {table} SET {column} = $1, updated_at = $2 WHERE id = $3"))
        .bind(ended_on.map(date_text))
        .bind(now_text())
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndableTable {
    Organisations,
    People,
    Bodies,
    Memberships,
}

/// The tables whose rows form a tree through `parent_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hierarchy {
    Organisations,
    Bodies,
}

/// Would making `parent` the parent of `id` create a cycle? Walks up from `parent`.
pub async fn parent_would_cycle(conn: &mut Conn, tree: Hierarchy, id: i64, parent: i64) -> StoreResult<bool> {
    let sql = match tree {
        Hierarchy::Organisations => "SELECT parent_id FROM organisations WHERE id = $1",
        Hierarchy::Bodies => "SELECT parent_id FROM bodies WHERE id = $1",
    };
    let mut current = Some(parent);
    // Depth is bounded so that a cycle already in the data cannot hang the walk.
    for _ in 0..1000 {
        let Some(at) = current else { return Ok(false) };
        if at == id {
            return Ok(true);
        }
        current = sqlx::query(sql)
            .bind(at)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.try_get::<Option<i64>, _>("parent_id"))
            .transpose()?
            .flatten();
    }
    Ok(true)
}

// --- people -------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Person {
    pub id: PersonId,
    pub partnership_id: PartnershipId,
    pub name: String,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub restricted: bool,
    pub ended_on: Option<NaiveDate>,
    pub created_at: String,
    pub updated_at: String,
}

const PERSON_SELECT: &str = "SELECT p.id, p.partnership_id, p.name, p.job_title, p.email, p.organisation_id, \
    o.name AS organisation_name, p.restricted, p.ended_on, p.created_at, p.updated_at FROM people p \
    LEFT JOIN organisations o ON o.id = p.organisation_id";

fn person_from_row(row: &AnyRow) -> StoreResult<Person> {
    Ok(Person {
        id: PersonId(row.try_get("id")?),
        partnership_id: PartnershipId(row.try_get("partnership_id")?),
        name: row.try_get("name")?,
        job_title: row.try_get("job_title")?,
        email: row.try_get("email")?,
        organisation_id: row.try_get::<Option<i64>, _>("organisation_id")?.map(OrganisationId),
        organisation_name: row.try_get("organisation_name")?,
        restricted: flag(row, "restricted")?,
        ended_on: parse_date("ended_on", row.try_get("ended_on")?)?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn people(
    conn: &mut Conn,
    partnership: PartnershipId,
    include_ended: bool,
    page: Page,
) -> StoreResult<(Vec<Person>, i64)> {
    let ended = if include_ended { "" } else { " AND p.ended_on IS NULL" };
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM people p WHERE p.partnership_id = $1{ended}"))
        .bind(partnership.0)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    let rows =
        sqlx::query(&format!("{PERSON_SELECT} WHERE p.partnership_id = $1{ended} ORDER BY p.name LIMIT $2 OFFSET $3"))
            .bind(partnership.0)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(&mut *conn)
            .await?;
    Ok((rows.iter().map(person_from_row).collect::<StoreResult<_>>()?, total))
}

pub async fn person(conn: &mut Conn, id: PersonId) -> StoreResult<Person> {
    let row = sqlx::query(&format!("{PERSON_SELECT} WHERE p.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    person_from_row(&row)
}

pub async fn insert_person(conn: &mut Conn, partnership: PartnershipId, new: &NewPerson) -> StoreResult<PersonId> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO people (partnership_id, name, job_title, email, organisation_id, restricted, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(partnership.0)
    .bind(&new.name)
    .bind(&new.job_title)
    .bind(&new.email)
    .bind(new.organisation_id.map(|o| o.0))
    .bind(i64::from(new.restricted))
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(PersonId(id))
}

pub async fn update_person(conn: &mut Conn, id: PersonId, new: &NewPerson) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE people SET name = $1, job_title = $2, email = $3, organisation_id = $4, restricted = $5, updated_at = $6 \
         WHERE id = $7",
    )
    .bind(&new.name)
    .bind(&new.job_title)
    .bind(&new.email)
    .bind(new.organisation_id.map(|o| o.0))
    .bind(i64::from(new.restricted))
    .bind(now_text())
    .bind(id.0)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

// --- bodies -------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Body {
    pub id: BodyId,
    pub partnership_id: PartnershipId,
    pub name: String,
    pub kind: BodyKind,
    pub arm: Option<ArmKind>,
    pub parent_id: Option<BodyId>,
    pub parent_name: Option<String>,
    pub purpose: Option<String>,
    pub cadence: Cadence,
    pub restricted: bool,
    pub ended_on: Option<NaiveDate>,
    pub created_at: String,
    pub updated_at: String,
}

const BODY_SELECT: &str = "SELECT b.id, b.partnership_id, b.name, b.kind, b.arm, b.parent_id, p.name AS parent_name, \
    b.purpose, b.cadence, b.restricted, b.ended_on, b.created_at, b.updated_at FROM bodies b \
    LEFT JOIN bodies p ON p.id = b.parent_id";

fn body_from_row(row: &AnyRow) -> StoreResult<Body> {
    let arm: Option<String> = row.try_get("arm")?;
    Ok(Body {
        id: BodyId(row.try_get("id")?),
        partnership_id: PartnershipId(row.try_get("partnership_id")?),
        name: row.try_get("name")?,
        kind: choice(row, "kind")?,
        arm: arm.map(|a| ArmKind::parse(&a).ok_or_else(|| StoreError::Corrupt(format!("arm: {a}")))).transpose()?,
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(BodyId),
        parent_name: row.try_get("parent_name")?,
        purpose: row.try_get("purpose")?,
        cadence: choice(row, "cadence")?,
        restricted: flag(row, "restricted")?,
        ended_on: parse_date("ended_on", row.try_get("ended_on")?)?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn bodies(
    conn: &mut Conn,
    partnership: PartnershipId,
    include_ended: bool,
    page: Page,
) -> StoreResult<(Vec<Body>, i64)> {
    let ended = if include_ended { "" } else { " AND b.ended_on IS NULL" };
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM bodies b WHERE b.partnership_id = $1{ended}"))
        .bind(partnership.0)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    let rows =
        sqlx::query(&format!("{BODY_SELECT} WHERE b.partnership_id = $1{ended} ORDER BY b.name LIMIT $2 OFFSET $3"))
            .bind(partnership.0)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(&mut *conn)
            .await?;
    Ok((rows.iter().map(body_from_row).collect::<StoreResult<_>>()?, total))
}

pub async fn body(conn: &mut Conn, id: BodyId) -> StoreResult<Body> {
    let row = sqlx::query(&format!("{BODY_SELECT} WHERE b.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    body_from_row(&row)
}

pub async fn insert_body(conn: &mut Conn, partnership: PartnershipId, new: &NewBody) -> StoreResult<BodyId> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO bodies (partnership_id, name, kind, arm, parent_id, purpose, cadence, restricted, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(partnership.0)
    .bind(&new.name)
    .bind(new.kind.code())
    .bind(new.arm.map(|a| a.code()))
    .bind(new.parent_id.map(|p| p.0))
    .bind(&new.purpose)
    .bind(new.cadence.code())
    .bind(i64::from(new.restricted))
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(BodyId(id))
}

pub async fn update_body(conn: &mut Conn, id: BodyId, new: &NewBody) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE bodies SET name = $1, kind = $2, arm = $3, parent_id = $4, purpose = $5, cadence = $6, restricted = $7, \
         updated_at = $8 WHERE id = $9",
    )
    .bind(&new.name)
    .bind(new.kind.code())
    .bind(new.arm.map(|a| a.code()))
    .bind(new.parent_id.map(|p| p.0))
    .bind(&new.purpose)
    .bind(new.cadence.code())
    .bind(i64::from(new.restricted))
    .bind(now_text())
    .bind(id.0)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

// --- terms of reference -------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Terms {
    pub id: TermsId,
    pub body_id: BodyId,
    pub version: i64,
    pub text: String,
    pub effective_from: NaiveDate,
    pub created_by: Option<UserId>,
    pub created_at: String,
}

/// Every version, newest first. Versions are never rewritten: a change is a new version.
pub async fn terms(conn: &mut Conn, body: BodyId) -> StoreResult<Vec<Terms>> {
    let rows = sqlx::query(
        "SELECT id, body_id, version, text, effective_from, created_by, created_at FROM terms_of_reference \
         WHERE body_id = $1 ORDER BY version DESC",
    )
    .bind(body.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Terms {
                id: TermsId(r.try_get("id")?),
                body_id: BodyId(r.try_get("body_id")?),
                version: r.try_get("version")?,
                text: r.try_get("text")?,
                effective_from: parse_date("effective_from", r.try_get("effective_from")?)?
                    .ok_or_else(|| StoreError::Corrupt("effective_from".into()))?,
                created_by: r.try_get::<Option<i64>, _>("created_by")?.map(UserId),
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

pub async fn insert_terms(
    conn: &mut Conn,
    body: BodyId,
    new: &NewTerms,
    by: Option<UserId>,
) -> StoreResult<(TermsId, i64)> {
    let version: i64 =
        sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 AS v FROM terms_of_reference WHERE body_id = $1")
            .bind(body.0)
            .fetch_one(&mut *conn)
            .await?
            .try_get("v")?;
    let id: i64 = sqlx::query(
        "INSERT INTO terms_of_reference (body_id, version, text, effective_from, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(body.0)
    .bind(version)
    .bind(&new.text)
    .bind(date_text(new.effective_from))
    .bind(by.map(|u| u.0))
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok((TermsId(id), version))
}

// --- memberships --------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Membership {
    pub id: MembershipId,
    pub body_id: BodyId,
    pub body_name: String,
    pub person_id: PersonId,
    pub person_name: String,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub role: MembershipRole,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    /// What the rules need to decide who may see this row: the body's and the person's flags.
    pub partnership_id: PartnershipId,
    pub body_restricted: bool,
    pub person_restricted: bool,
    pub person_organisation_id: Option<OrganisationId>,
}

const MEMBERSHIP_SELECT: &str = "SELECT m.id, m.body_id, b.name AS body_name, m.person_id, p.name AS person_name, \
    m.organisation_id, o.name AS organisation_name, m.role, m.from_date, m.to_date, b.partnership_id, \
    b.restricted AS body_restricted, p.restricted AS person_restricted, \
    p.organisation_id AS person_organisation_id FROM memberships m \
    JOIN bodies b ON b.id = m.body_id JOIN people p ON p.id = m.person_id \
    LEFT JOIN organisations o ON o.id = m.organisation_id";

fn membership_from_row(row: &AnyRow) -> StoreResult<Membership> {
    Ok(Membership {
        id: MembershipId(row.try_get("id")?),
        body_id: BodyId(row.try_get("body_id")?),
        body_name: row.try_get("body_name")?,
        person_id: PersonId(row.try_get("person_id")?),
        person_name: row.try_get("person_name")?,
        organisation_id: row.try_get::<Option<i64>, _>("organisation_id")?.map(OrganisationId),
        organisation_name: row.try_get("organisation_name")?,
        role: choice(row, "role")?,
        from_date: parse_date("from_date", row.try_get("from_date")?)?
            .ok_or_else(|| StoreError::Corrupt("from_date".into()))?,
        to_date: parse_date("to_date", row.try_get("to_date")?)?,
        partnership_id: PartnershipId(row.try_get("partnership_id")?),
        body_restricted: flag(row, "body_restricted")?,
        person_restricted: flag(row, "person_restricted")?,
        person_organisation_id: row.try_get::<Option<i64>, _>("person_organisation_id")?.map(OrganisationId),
    })
}

/// Role order: chair first, then vice-chair, members, advisers, deputies.
const ROLE_ORDER: &str = "CASE m.role WHEN 'chair' THEN 1 WHEN 'vice_chair' THEN 2 WHEN 'member' THEN 3 \
    WHEN 'adviser' THEN 4 ELSE 5 END";

pub async fn memberships_of_body(conn: &mut Conn, body: BodyId) -> StoreResult<Vec<Membership>> {
    let rows =
        sqlx::query(&format!("{MEMBERSHIP_SELECT} WHERE m.body_id = $1 ORDER BY {ROLE_ORDER}, p.name, m.from_date"))
            .bind(body.0)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(membership_from_row).collect()
}

/// The seats, in a partnership, of the people recorded with this e-mail address: an account's own
/// seats (the people of a partnership are matched to accounts by e-mail).
pub async fn memberships_of_email(conn: &mut Conn, p: PartnershipId, email: &str) -> StoreResult<Vec<Membership>> {
    let rows = sqlx::query(&format!(
        "{MEMBERSHIP_SELECT} WHERE b.partnership_id = $1 AND LOWER(p.email) = LOWER($2) ORDER BY m.id"
    ))
    .bind(p.0)
    .bind(email)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(membership_from_row).collect()
}

pub async fn memberships_of_person(conn: &mut Conn, person: PersonId) -> StoreResult<Vec<Membership>> {
    let rows = sqlx::query(&format!("{MEMBERSHIP_SELECT} WHERE m.person_id = $1 ORDER BY b.name, m.from_date"))
        .bind(person.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(membership_from_row).collect()
}

pub async fn membership(conn: &mut Conn, id: MembershipId) -> StoreResult<Membership> {
    let row = sqlx::query(&format!("{MEMBERSHIP_SELECT} WHERE m.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    membership_from_row(&row)
}

pub async fn insert_membership(conn: &mut Conn, body: BodyId, new: &NewMembership) -> StoreResult<MembershipId> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO memberships (body_id, person_id, organisation_id, role, from_date, to_date, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(body.0)
    .bind(new.person_id.0)
    .bind(new.organisation_id.map(|o| o.0))
    .bind(new.role.code())
    .bind(date_text(new.from_date))
    .bind(new.to_date.map(date_text))
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(MembershipId(id))
}

pub async fn update_membership(conn: &mut Conn, id: MembershipId, new: &NewMembership) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE memberships SET person_id = $1, organisation_id = $2, role = $3, from_date = $4, to_date = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(new.person_id.0)
    .bind(new.organisation_id.map(|o| o.0))
    .bind(new.role.code())
    .bind(date_text(new.from_date))
    .bind(new.to_date.map(date_text))
    .bind(now_text())
    .bind(id.0)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Counts for the home page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub organisations: i64,
    pub people: i64,
    pub bodies: i64,
    pub memberships: i64,
}

pub async fn counts(conn: &mut Conn, partnership: PartnershipId) -> StoreResult<Counts> {
    let row = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM organisations WHERE partnership_id = $1 AND ended_on IS NULL) AS organisations, \
           (SELECT COUNT(*) FROM people WHERE partnership_id = $1 AND ended_on IS NULL) AS people, \
           (SELECT COUNT(*) FROM bodies WHERE partnership_id = $1 AND ended_on IS NULL) AS bodies, \
           (SELECT COUNT(*) FROM memberships m JOIN bodies b ON b.id = m.body_id \
              WHERE b.partnership_id = $1 AND m.to_date IS NULL) AS memberships",
    )
    .bind(partnership.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Counts {
        organisations: row.try_get("organisations")?,
        people: row.try_get("people")?,
        bodies: row.try_get("bodies")?,
        memberships: row.try_get("memberships")?,
    })
}
