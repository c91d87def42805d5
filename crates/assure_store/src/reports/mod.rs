//! The statutory yearly reports: one row per report (its partnership, kind and period), and the
//! words of each of its sections. The figures a report shows are read from the records each time.
//! The scrutineer's own report keeps what they examined and their recommendations (`scrutiny`);
//! a section may be asked of its author (`authors`).

mod authors;
mod scrutiny;

pub use authors::{Asked, Author, ask, asked_of, author_of, authors, unwritten_due, withdraw};

pub use scrutiny::{
    Activity, Recommendation, Response, activities, activities_in, delete_activity, delete_recommendation,
    insert_activity, insert_recommendation, recommendations, recommendations_in, respond_to_recommendation,
};

use assure_domain::PartnershipId;
use assure_domain::reports::{NewAgreement, NewReport, Period, ReportKind, ReportStatus, SectionKey};
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
            ("reviewed_by", Text),
            ("reviewed_at", Text),
            ("review_summary", Text),
            ("published_by", Text),
            ("published_at", Text),
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
    (
        "report_section_authors",
        &[
            ("id", Int),
            ("report_id", Int),
            ("section", Text),
            ("user_id", Int),
            ("due_on", Text),
            ("asked_by", Text),
            ("asked_at", Text),
        ],
    ),
    (
        "report_comments",
        &[
            ("id", Int),
            ("report_id", Int),
            ("section", Text),
            ("comment", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("response", Text),
            ("responded_by", Text),
            ("responded_at", Text),
        ],
    ),
    (
        "report_explanations",
        &[
            ("id", Int),
            ("report_id", Int),
            ("gap", Text),
            ("explanation", Text),
            ("by_label", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "report_agreements",
        &[
            ("id", Int),
            ("report_id", Int),
            ("organisation_id", Int),
            ("agreed_by", Text),
            ("agreed_on", Text),
            ("recorded_by", Text),
            ("recorded_at", Text),
        ],
    ),
    (
        "report_sendings",
        &[
            ("id", Int),
            ("report_id", Int),
            ("recipient_code", Text),
            ("recipient_name", Text),
            ("how", Text),
            ("email", Text),
            ("sent_on", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "report_scrutiny_activities",
        &[
            ("id", Int),
            ("report_id", Int),
            ("examined", Text),
            ("method", Text),
            ("done_on", Text),
            ("found", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "report_recommendations",
        &[
            ("id", Int),
            ("report_id", Int),
            ("recommendation", Text),
            ("organisation_id", Int),
            ("by_label", Text),
            ("created_at", Text),
            ("stance", Text),
            ("response", Text),
            ("responded_by", Text),
            ("responded_on", Text),
            ("recorded_by", Text),
            ("recorded_at", Text),
        ],
    ),
    (
        "report_files",
        &[
            ("id", Int),
            ("report_id", Int),
            ("format", Text),
            ("file_name", Text),
            ("content_type", Text),
            ("size", Int),
            ("sha256", Text),
            ("content", Text),
            ("created_at", Text),
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
    pub status: ReportStatus,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    /// The scrutineer's review: who, when, and what they concluded.
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub review_summary: Option<String>,
    pub published_by: Option<String>,
    pub published_at: Option<String>,
}

/// The words written in one section, by whom and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Written {
    pub section: SectionKey,
    pub narrative: Option<String>,
    pub updated_by: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT id, partnership_id, kind, period_start, period_end, title, status, created_by, \
    created_at, updated_at, reviewed_by, reviewed_at, review_summary, published_by, published_at FROM reports";

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
        status: code(row, "status")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        reviewed_by: row.try_get("reviewed_by")?,
        reviewed_at: row.try_get("reviewed_at")?,
        review_summary: row.try_get("review_summary")?,
        published_by: row.try_get("published_by")?,
        published_at: row.try_get("published_at")?,
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

/// A comment of the scrutineer's on a section, with the business unit's response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub id: i64,
    pub section: SectionKey,
    pub comment: String,
    pub by: String,
    pub created_at: String,
    pub response: Option<String>,
    pub responded_by: Option<String>,
    pub responded_at: Option<String>,
}

pub async fn comments(conn: &mut Conn, report_id: i64) -> StoreResult<Vec<Comment>> {
    let rows = sqlx::query(
        "SELECT id, section, comment, by_label, created_at, response, responded_by, responded_at \
         FROM report_comments WHERE report_id = $1 ORDER BY id",
    )
    .bind(report_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Comment {
                id: row.try_get("id")?,
                section: code(row, "section")?,
                comment: row.try_get("comment")?,
                by: row.try_get("by_label")?,
                created_at: row.try_get("created_at")?,
                response: row.try_get("response")?,
                responded_by: row.try_get("responded_by")?,
                responded_at: row.try_get("responded_at")?,
            })
        })
        .collect()
}

pub async fn insert_comment(
    conn: &mut Conn,
    report_id: i64,
    section: SectionKey,
    comment: &str,
    by: &str,
) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO report_comments (report_id, section, comment, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(report_id)
    .bind(section.code())
    .bind(comment)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// Answers a comment of the report (a comment of another report is not found).
pub async fn respond(conn: &mut Conn, report_id: i64, comment_id: i64, response: &str, by: &str) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE report_comments SET response = $1, responded_by = $2, responded_at = $3 WHERE id = $4 AND report_id = $5",
    )
    .bind(response)
    .bind(by)
    .bind(now_text())
    .bind(comment_id)
    .bind(report_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// An explanation, printed in the report, of a gap the records do not fill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub gap: String,
    pub explanation: String,
    pub by: String,
    pub updated_at: String,
}

pub async fn explanations(conn: &mut Conn, report_id: i64) -> StoreResult<Vec<Explanation>> {
    let rows = sqlx::query(
        "SELECT gap, explanation, by_label, updated_at FROM report_explanations WHERE report_id = $1 ORDER BY id",
    )
    .bind(report_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Explanation {
                gap: row.try_get("gap")?,
                explanation: row.try_get("explanation")?,
                by: row.try_get("by_label")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect()
}

/// Explains a gap (none withdraws the explanation).
pub async fn explain(conn: &mut Conn, report_id: i64, gap: &str, text: Option<&str>, by: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM report_explanations WHERE report_id = $1 AND gap = $2")
        .bind(report_id)
        .bind(gap)
        .execute(&mut *conn)
        .await?;
    if let Some(text) = text {
        sqlx::query(
            "INSERT INTO report_explanations (report_id, gap, explanation, by_label, updated_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(report_id)
        .bind(gap)
        .bind(text)
        .bind(by)
        .bind(now_text())
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    }
    Ok(())
}

/// A statutory partner's agreement to the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agreement {
    pub organisation_id: i64,
    pub organisation: String,
    pub agreed_by: String,
    pub agreed_on: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: String,
}

pub async fn agreements(conn: &mut Conn, report_id: i64) -> StoreResult<Vec<Agreement>> {
    let rows = sqlx::query(
        "SELECT a.organisation_id, o.name, a.agreed_by, a.agreed_on, a.recorded_by, a.recorded_at \
         FROM report_agreements a JOIN organisations o ON o.id = a.organisation_id WHERE a.report_id = $1 \
         ORDER BY o.name, a.id",
    )
    .bind(report_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Agreement {
                organisation_id: row.try_get("organisation_id")?,
                organisation: row.try_get("name")?,
                agreed_by: row.try_get("agreed_by")?,
                agreed_on: day(row, "agreed_on")?,
                recorded_by: row.try_get("recorded_by")?,
                recorded_at: row.try_get("recorded_at")?,
            })
        })
        .collect()
}

/// Records an agreement; a partner's second is refused (unique).
pub async fn insert_agreement(conn: &mut Conn, report_id: i64, a: &NewAgreement, by: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO report_agreements (report_id, organisation_id, agreed_by, agreed_on, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(report_id)
    .bind(a.organisation_id)
    .bind(&a.agreed_by)
    .bind(date_text(a.agreed_on))
    .bind(by)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// What a change claims of the report it changes, in the transaction that makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Its words: not published, and no partner has agreed them.
    Words,
    /// A comment or a response: not published.
    Comments,
    /// An agreement: reviewed (not a draft, not published).
    Agreement,
    /// The scrutineer's words in their own report: a draft.
    Draft,
}

impl Claim {
    /// What writing a report's words claims: the scrutineer's own report is theirs to change
    /// only while it is a draft (their review is their signature).
    pub fn words(kind: ReportKind) -> Claim {
        if kind.by_scrutineer() { Claim::Draft } else { Claim::Words }
    }
}

/// Marks the report changed if it still stands as `claim` needs, which also holds the row
/// against a concurrent publication until the transaction ends; false when it no longer does.
pub async fn claim(conn: &mut Conn, report_id: i64, claim: Claim) -> StoreResult<bool> {
    let condition = match claim {
        Claim::Words => {
            "status <> 'published' AND NOT EXISTS (SELECT 1 FROM report_agreements a WHERE a.report_id = reports.id)"
        }
        Claim::Comments => "status <> 'published'",
        Claim::Agreement => "status = 'reviewed'",
        Claim::Draft => "status = 'draft'",
    };
    let done = sqlx::query(&format!("UPDATE reports SET updated_at = $1 WHERE id = $2 AND {condition}"))
        .bind(now_text())
        .bind(report_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Records the scrutineer's review of a draft; false when it is no longer a draft.
pub async fn set_reviewed(conn: &mut Conn, report_id: i64, by: &str, summary: &str) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE reports SET status = 'reviewed', reviewed_by = $1, reviewed_at = $2, review_summary = $3, \
         updated_at = $2 WHERE id = $4 AND status = 'draft'",
    )
    .bind(by)
    .bind(now_text())
    .bind(summary)
    .bind(report_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Back to draft: the review and the agreements are withdrawn (the audit log keeps them); false
/// when the report is not (or no longer) reviewed.
pub async fn reopen(conn: &mut Conn, report_id: i64) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE reports SET status = 'draft', reviewed_by = NULL, reviewed_at = NULL, review_summary = NULL, \
         updated_at = $1 WHERE id = $2 AND status = 'reviewed'",
    )
    .bind(now_text())
    .bind(report_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM report_agreements WHERE report_id = $1").bind(report_id).execute(&mut *conn).await?;
    Ok(true)
}

/// Marks a reviewed report published; false when it is not (or no longer) reviewed.
pub async fn set_published(conn: &mut Conn, report_id: i64, by: &str) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE reports SET status = 'published', published_by = $1, published_at = $2, updated_at = $2 \
         WHERE id = $3 AND status = 'reviewed'",
    )
    .bind(by)
    .bind(now_text())
    .bind(report_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A file of a published report, as it was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeptFile {
    pub format: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: String,
}

pub struct NewFile<'a> {
    pub format: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    /// The file, base64.
    pub content: &'a str,
}

pub async fn insert_file(conn: &mut Conn, report_id: i64, f: &NewFile<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO report_files (report_id, format, file_name, content_type, size, sha256, content, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(report_id)
    .bind(f.format)
    .bind(f.file_name)
    .bind(f.content_type)
    .bind(f.size)
    .bind(f.sha256)
    .bind(f.content)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

fn kept_from(row: &AnyRow) -> StoreResult<KeptFile> {
    Ok(KeptFile {
        format: row.try_get("format")?,
        file_name: row.try_get("file_name")?,
        content_type: row.try_get("content_type")?,
        size: row.try_get("size")?,
        sha256: row.try_get("sha256")?,
        created_at: row.try_get("created_at")?,
    })
}

/// The published report's files (without their bytes).
pub async fn files(conn: &mut Conn, report_id: i64) -> StoreResult<Vec<KeptFile>> {
    let rows = sqlx::query(
        "SELECT format, file_name, content_type, size, sha256, created_at FROM report_files WHERE report_id = $1 \
         ORDER BY id",
    )
    .bind(report_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(kept_from).collect()
}

/// One file of the published report with its bytes (base64).
pub async fn file(conn: &mut Conn, report_id: i64, format: &str) -> StoreResult<(KeptFile, String)> {
    let row = sqlx::query(
        "SELECT format, file_name, content_type, size, sha256, created_at, content FROM report_files \
         WHERE report_id = $1 AND format = $2",
    )
    .bind(report_id)
    .bind(format)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((kept_from(&row)?, row.try_get("content")?))
}

/// Whom a published report was sent to, how and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sending {
    pub id: i64,
    /// The configured recipient, or none for someone named.
    pub recipient_code: Option<String>,
    pub recipient_name: String,
    /// `email` (sent by Assure) or `recorded` (sent otherwise).
    pub how: String,
    pub email: Option<String>,
    pub sent_on: NaiveDate,
    pub by: String,
    pub created_at: String,
}

pub async fn sendings(conn: &mut Conn, report_id: i64) -> StoreResult<Vec<Sending>> {
    let rows = sqlx::query(
        "SELECT id, recipient_code, recipient_name, how, email, sent_on, by_label, created_at FROM report_sendings \
         WHERE report_id = $1 ORDER BY sent_on, id",
    )
    .bind(report_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Sending {
                id: row.try_get("id")?,
                recipient_code: row.try_get("recipient_code")?,
                recipient_name: row.try_get("recipient_name")?,
                how: row.try_get("how")?,
                email: row.try_get("email")?,
                sent_on: day(row, "sent_on")?,
                by: row.try_get("by_label")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// What a new sending records.
pub struct NewSendingRow<'a> {
    pub code: Option<&'a str>,
    pub name: &'a str,
    pub how: &'a str,
    pub email: Option<&'a str>,
    pub sent_on: NaiveDate,
}

pub async fn insert_sending(conn: &mut Conn, report_id: i64, s: &NewSendingRow<'_>, by: &str) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO report_sendings (report_id, recipient_code, recipient_name, how, email, sent_on, by_label, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(report_id)
    .bind(s.code)
    .bind(s.name)
    .bind(s.how)
    .bind(s.email)
    .bind(date_text(s.sent_on))
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// The partnership's published reports, the latest period first.
pub async fn published_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Report>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE partnership_id = $1 AND status = 'published' ORDER BY period_end DESC, kind, id DESC"
    ))
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(report_from).collect()
}
