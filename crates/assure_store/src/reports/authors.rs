//! Sections of a report asked of their authors: who (an account), by when, and who asked.

use assure_domain::reports::{ReportKind, ReportStatus, SectionKey};
use assure_domain::structure::Choice;
use assure_domain::{PartnershipId, UserId};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::day;
use crate::db::{Conn, StoreError, StoreResult, code, date_text, now_text};

/// A section asked of its author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    pub section: SectionKey,
    pub user_id: UserId,
    /// The author's name and address, as their account has them.
    pub name: String,
    pub email: String,
    pub due_on: NaiveDate,
    pub asked_by: String,
    pub asked_at: String,
}

/// A section asked of someone, with where its report stands: what their list of sections to
/// write shows, and what reminders are sent from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Asked {
    pub report_id: i64,
    pub partnership_id: PartnershipId,
    pub title: String,
    pub kind: ReportKind,
    pub status: ReportStatus,
    /// A statutory partner has agreed the report (its words are locked).
    pub agreed: bool,
    pub author: Author,
    /// The section has words.
    pub written: bool,
}

impl Asked {
    /// The words may still be written (the report is not published and no partner has agreed it).
    pub fn open(&self) -> bool {
        self.status != ReportStatus::Published && !self.agreed
    }
}

const AUTHOR: &str = "a.section, a.user_id, u.display_name, u.email, a.due_on, a.asked_by, a.asked_at";

fn author_from(row: &AnyRow) -> StoreResult<Author> {
    Ok(Author {
        section: code(row, "section")?,
        user_id: UserId(row.try_get("user_id")?),
        name: row.try_get("display_name")?,
        email: row.try_get("email")?,
        due_on: day(row, "due_on")?,
        asked_by: row.try_get("asked_by")?,
        asked_at: row.try_get("asked_at")?,
    })
}

/// The report's sections asked of authors.
pub async fn authors(conn: &mut Conn, report_id: i64) -> StoreResult<Vec<Author>> {
    let rows = sqlx::query(&format!(
        "SELECT {AUTHOR} FROM report_section_authors a JOIN users u ON u.id = a.user_id WHERE a.report_id = $1 \
         ORDER BY a.id"
    ))
    .bind(report_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(author_from).collect()
}

/// The author a section is asked of, if any.
pub async fn author_of(conn: &mut Conn, report_id: i64, section: SectionKey) -> StoreResult<Option<Author>> {
    let row = sqlx::query(&format!(
        "SELECT {AUTHOR} FROM report_section_authors a JOIN users u ON u.id = a.user_id \
         WHERE a.report_id = $1 AND a.section = $2"
    ))
    .bind(report_id)
    .bind(section.code())
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(author_from).transpose()
}

/// Asks `user` to write a section by `due_on` (in place of whoever was asked before).
pub async fn ask(
    conn: &mut Conn,
    report_id: i64,
    section: SectionKey,
    user: UserId,
    due_on: NaiveDate,
    by: &str,
) -> StoreResult<()> {
    let now = now_text();
    let changed = sqlx::query(
        "UPDATE report_section_authors SET user_id = $1, due_on = $2, asked_by = $3, asked_at = $4 \
         WHERE report_id = $5 AND section = $6",
    )
    .bind(user.0)
    .bind(date_text(due_on))
    .bind(by)
    .bind(&now)
    .bind(report_id)
    .bind(section.code())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        sqlx::query(
            "INSERT INTO report_section_authors (report_id, section, user_id, due_on, asked_by, asked_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(report_id)
        .bind(section.code())
        .bind(user.0)
        .bind(date_text(due_on))
        .bind(by)
        .bind(&now)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    }
    Ok(())
}

/// No longer asks anyone to write the section; false when nobody was asked.
pub async fn withdraw(conn: &mut Conn, report_id: i64, section: SectionKey) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM report_section_authors WHERE report_id = $1 AND section = $2")
        .bind(report_id)
        .bind(section.code())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

const ASKED: &str = "SELECT r.id AS report_id, r.partnership_id, r.title, r.kind, r.status, \
    CAST((SELECT COUNT(*) FROM report_agreements g WHERE g.report_id = r.id) AS BIGINT) AS agreements, \
    CAST(CASE WHEN s.narrative IS NULL THEN 0 ELSE 1 END AS BIGINT) AS written, \
    a.section, a.user_id, u.display_name, u.email, a.due_on, a.asked_by, a.asked_at \
    FROM report_section_authors a JOIN reports r ON r.id = a.report_id JOIN users u ON u.id = a.user_id \
    LEFT JOIN report_sections s ON s.report_id = a.report_id AND s.section = a.section";

fn asked_from(row: &AnyRow) -> StoreResult<Asked> {
    Ok(Asked {
        report_id: row.try_get("report_id")?,
        partnership_id: PartnershipId(row.try_get("partnership_id")?),
        title: row.try_get("title")?,
        kind: code(row, "kind")?,
        status: code(row, "status")?,
        agreed: row.try_get::<i64, _>("agreements")? > 0,
        written: row.try_get::<i64, _>("written")? > 0,
        author: author_from(row)?,
    })
}

/// The sections asked of `user` in the partnership, the soonest due first.
pub async fn asked_of(conn: &mut Conn, user: UserId, p: PartnershipId) -> StoreResult<Vec<Asked>> {
    let rows =
        sqlx::query(&format!("{ASKED} WHERE a.user_id = $1 AND r.partnership_id = $2 ORDER BY a.due_on, r.id, a.id"))
            .bind(user.0)
            .bind(p.0)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(asked_from).collect()
}

/// The sections of the partnership's reports asked of an active account, not yet written and
/// due by `horizon`, of reports whose words may still be written (for reminders).
pub async fn unwritten_due(conn: &mut Conn, p: PartnershipId, horizon: NaiveDate) -> StoreResult<Vec<Asked>> {
    let rows = sqlx::query(&format!(
        "{ASKED} WHERE r.partnership_id = $1 AND a.due_on <= $2 AND r.status <> 'published' \
         AND s.narrative IS NULL AND u.disabled = 0 ORDER BY a.due_on, a.id"
    ))
    .bind(p.0)
    .bind(date_text(horizon))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(asked_from).collect::<StoreResult<Vec<_>>>()?.into_iter().filter(Asked::open).collect())
}
