//! Case reviews: the review row with its dates, the history of stage changes, pauses and the
//! panel of users who may see it.

pub mod calendar;
pub mod chronology;
pub mod conduct;

use assure_domain::ids::{RequestDocumentId, RequestId, ReviewId};
use assure_domain::reviews::{Decision, NewReview, Pause, ReviewDates, Stage};
use assure_domain::structure::{ArmKind, Choice};
use assure_domain::{PartnershipId, UserId};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, code, date_text, now_text, parse_date};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "reviews",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("arm", Text),
            ("type_code", Text),
            ("subject", Text),
            ("summary", Text),
            ("stage", Text),
            ("decision", Text),
            ("decision_rationale", Text),
            ("not_published_reason", Text),
            ("aware_on", Text),
            ("notified_on", Text),
            ("decided_on", Text),
            ("signed_off_on", Text),
            ("planned_publication_on", Text),
            ("notice_sent_on", Text),
            ("published_on", Text),
            ("closed_on", Text),
            ("created_by", Int),
            ("created_at", Text),
            ("updated_at", Text),
            ("notice_not_needed", Text),
        ],
    ),
    (
        "review_events",
        &[
            ("id", Int),
            ("review_id", Int),
            ("stage_from", Text),
            ("stage_to", Text),
            ("on_date", Text),
            ("note", Text),
            ("by_user", Int),
            ("by_label", Text),
            ("at", Text),
        ],
    ),
    ("review_pauses", &[("id", Int), ("review_id", Int), ("from_date", Text), ("to_date", Text), ("reason", Text)]),
    ("review_panel", &[("review_id", Int), ("user_id", Int), ("added_at", Text)]),
    ("themes", &[("id", Int), ("partnership_id", Int), ("name", Text), ("created_at", Text)]),
    ("review_themes", &[("review_id", Int), ("theme_id", Int)]),
    (
        "review_requests",
        &[
            ("id", Int),
            ("review_id", Int),
            ("organisation_id", Int),
            ("kind", Text),
            ("requested_on", Text),
            ("due_on", Text),
            ("returned_on", Text),
            ("created_at", Text),
        ],
    ),
    (
        "review_request_documents",
        &[
            ("id", Int),
            ("request_id", Int),
            ("file_name", Text),
            ("content_type", Text),
            ("size", Int),
            ("sha256", Text),
            ("content", Text),
            ("sent_by", Int),
            ("sent_by_label", Text),
            ("created_at", Text),
        ],
    ),
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub id: ReviewId,
    pub partnership_id: PartnershipId,
    pub arm: ArmKind,
    pub type_code: String,
    pub subject: String,
    pub summary: Option<String>,
    pub stage: Stage,
    pub decision: Option<Decision>,
    pub decision_rationale: Option<String>,
    pub not_published_reason: Option<String>,
    /// Published without a notice to the Panel and the Secretary of State: why none was needed.
    pub notice_not_needed: Option<String>,
    pub dates: ReviewDates,
    pub created_at: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT id, partnership_id, arm, type_code, subject, summary, stage, decision, decision_rationale, \
    not_published_reason, notice_not_needed, aware_on, notified_on, decided_on, signed_off_on, planned_publication_on, notice_sent_on, \
    published_on, closed_on, created_at, updated_at FROM reviews";

fn review_from_row(row: &AnyRow) -> StoreResult<Review> {
    let date = |c: &str| -> StoreResult<Option<NaiveDate>> { parse_date(c, row.try_get(c)?) };
    let decision: Option<String> = row.try_get("decision")?;
    let notice_not_needed: Option<String> = row.try_get("notice_not_needed")?;
    Ok(Review {
        id: ReviewId(row.try_get("id")?),
        partnership_id: PartnershipId(row.try_get("partnership_id")?),
        arm: code(row, "arm")?,
        type_code: row.try_get("type_code")?,
        subject: row.try_get("subject")?,
        summary: row.try_get("summary")?,
        stage: code(row, "stage")?,
        decision: decision
            .map(|d| Decision::parse(&d).ok_or_else(|| StoreError::Corrupt(format!("decision: {d}"))))
            .transpose()?,
        decision_rationale: row.try_get("decision_rationale")?,
        not_published_reason: row.try_get("not_published_reason")?,
        dates: ReviewDates {
            notice_not_needed: notice_not_needed.is_some(),
            aware_on: date("aware_on")?,
            notified_on: date("notified_on")?,
            decided_on: date("decided_on")?,
            signed_off_on: date("signed_off_on")?,
            planned_publication_on: date("planned_publication_on")?,
            notice_sent_on: date("notice_sent_on")?,
            published_on: date("published_on")?,
            closed_on: date("closed_on")?,
        },
        notice_not_needed,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn insert_review(conn: &mut Conn, p: PartnershipId, new: &NewReview, by: Option<UserId>) -> StoreResult<i64> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO reviews (partnership_id, arm, type_code, subject, summary, stage, aware_on, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(p.0)
    .bind(new.arm.code())
    .bind(&new.type_code)
    .bind(&new.subject)
    .bind(&new.summary)
    .bind(Stage::Referral.code())
    .bind(date_text(new.aware_on))
    .bind(by.map(|u| u.0))
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

pub async fn review(conn: &mut Conn, id: i64) -> StoreResult<Review> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    review_from_row(&row)
}

/// The reviews' clocks' inputs' generation: triggers add one on every write to reviews, their
/// pauses and requests, organisations and closed days (migration 0024), in the writing transaction.
pub async fn reviews_generation(conn: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT generation FROM reviews_generation WHERE id = 1").fetch_one(&mut *conn).await?.try_get(0)?)
}

pub async fn reviews(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Review>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE partnership_id = $1 ORDER BY aware_on DESC, id DESC"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(review_from_row).collect()
}

/// Saves a review's stage, decision fields and dates after a checked transition.
pub async fn save_progress(conn: &mut Conn, r: &Review) -> StoreResult<()> {
    let d = |v: Option<NaiveDate>| v.map(date_text);
    let done = sqlx::query(
        "UPDATE reviews SET stage = $1, decision = $2, decision_rationale = $3, not_published_reason = $4, \
         notified_on = $5, decided_on = $6, signed_off_on = $7, planned_publication_on = $8, notice_sent_on = $9, \
         published_on = $10, closed_on = $11, updated_at = $12, notice_not_needed = $14 WHERE id = $13",
    )
    .bind(r.stage.code())
    .bind(r.decision.map(|x| x.code()))
    .bind(&r.decision_rationale)
    .bind(&r.not_published_reason)
    .bind(d(r.dates.notified_on))
    .bind(d(r.dates.decided_on))
    .bind(d(r.dates.signed_off_on))
    .bind(d(r.dates.planned_publication_on))
    .bind(d(r.dates.notice_sent_on))
    .bind(d(r.dates.published_on))
    .bind(d(r.dates.closed_on))
    .bind(now_text())
    .bind(r.id.0)
    .bind(&r.notice_not_needed)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: i64,
    pub stage_from: Option<Stage>,
    pub stage_to: Stage,
    pub on_date: NaiveDate,
    pub note: Option<String>,
    pub by_label: String,
    pub at: String,
}

pub struct NewEvent<'a> {
    pub review_id: i64,
    pub from: Option<Stage>,
    pub to: Stage,
    pub on: NaiveDate,
    pub note: Option<&'a str>,
    pub by: Option<UserId>,
    pub by_label: &'a str,
}

pub async fn insert_event(conn: &mut Conn, e: NewEvent<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO review_events (review_id, stage_from, stage_to, on_date, note, by_user, by_label, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.review_id)
    .bind(e.from.map(|s| s.code()))
    .bind(e.to.code())
    .bind(date_text(e.on))
    .bind(e.note)
    .bind(e.by.map(|u| u.0))
    .bind(e.by_label)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn events(conn: &mut Conn, review_id: i64) -> StoreResult<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT id, stage_from, stage_to, on_date, note, by_label, at FROM review_events WHERE review_id = $1 ORDER BY id",
    )
    .bind(review_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let from: Option<String> = r.try_get("stage_from")?;
            Ok(Event {
                id: r.try_get("id")?,
                stage_from: from
                    .map(|f| Stage::parse(&f).ok_or_else(|| StoreError::Corrupt(format!("stage: {f}"))))
                    .transpose()?,
                stage_to: code(r, "stage_to")?,
                on_date: parse_date("on_date", r.try_get("on_date")?)?
                    .ok_or_else(|| StoreError::Corrupt("on_date".into()))?,
                note: r.try_get("note")?,
                by_label: r.try_get("by_label")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PauseRow {
    pub id: i64,
    pub pause: Pause,
    pub reason: String,
}

pub async fn pauses(conn: &mut Conn, review_id: i64) -> StoreResult<Vec<PauseRow>> {
    let rows = sqlx::query(
        "SELECT id, from_date, to_date, reason FROM review_pauses WHERE review_id = $1 ORDER BY from_date, id",
    )
    .bind(review_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PauseRow {
                id: r.try_get("id")?,
                pause: Pause {
                    from: parse_date("from_date", r.try_get("from_date")?)?
                        .ok_or_else(|| StoreError::Corrupt("from_date".into()))?,
                    to: parse_date("to_date", r.try_get("to_date")?)?,
                },
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

/// Every review's pauses in a partnership, by review, in date order: one statement for a list of
/// reviews' clocks.
pub async fn pauses_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<std::collections::HashMap<i64, Vec<Pause>>> {
    let rows = sqlx::query(
        "SELECT rp.review_id, rp.from_date, rp.to_date FROM review_pauses rp JOIN reviews r ON r.id = rp.review_id \
         WHERE r.partnership_id = $1 ORDER BY rp.review_id, rp.from_date, rp.id",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: std::collections::HashMap<i64, Vec<Pause>> = std::collections::HashMap::new();
    for r in &rows {
        let pause = Pause {
            from: parse_date("from_date", r.try_get("from_date")?)?
                .ok_or_else(|| StoreError::Corrupt("from_date".into()))?,
            to: parse_date("to_date", r.try_get("to_date")?)?,
        };
        out.entry(r.try_get("review_id")?).or_default().push(pause);
    }
    Ok(out)
}

pub async fn insert_pause(conn: &mut Conn, review_id: i64, from: NaiveDate, reason: &str) -> StoreResult<()> {
    sqlx::query("INSERT INTO review_pauses (review_id, from_date, reason) VALUES ($1, $2, $3)")
        .bind(review_id)
        .bind(date_text(from))
        .bind(reason)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn end_pause(conn: &mut Conn, pause_id: i64, to: NaiveDate) -> StoreResult<()> {
    sqlx::query("UPDATE review_pauses SET to_date = $1 WHERE id = $2")
        .bind(date_text(to))
        .bind(pause_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelMember {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
}

pub async fn panel(conn: &mut Conn, review_id: i64) -> StoreResult<Vec<PanelMember>> {
    let rows = sqlx::query(
        "SELECT u.id, u.email, u.display_name FROM review_panel rp JOIN users u ON u.id = rp.user_id \
         WHERE rp.review_id = $1 ORDER BY u.display_name",
    )
    .bind(review_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PanelMember {
                user_id: UserId(r.try_get("id")?),
                email: r.try_get("email")?,
                display_name: r.try_get("display_name")?,
            })
        })
        .collect()
}

pub async fn add_to_panel(conn: &mut Conn, review_id: i64, user: UserId) -> StoreResult<()> {
    sqlx::query("INSERT INTO review_panel (review_id, user_id, added_at) VALUES ($1, $2, $3)")
        .bind(review_id)
        .bind(user.0)
        .bind(now_text())
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

/// The reviews whose panel `user` sits on.
pub async fn panels_of(conn: &mut Conn, user: UserId) -> StoreResult<Vec<i64>> {
    let rows =
        sqlx::query("SELECT review_id FROM review_panel WHERE user_id = $1").bind(user.0).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok(r.try_get("review_id")?)).collect()
}

// --- themes ---------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Theme {
    pub id: i64,
    pub name: String,
}

pub async fn themes(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Theme>> {
    let rows = sqlx::query("SELECT id, name FROM themes WHERE partnership_id = $1 ORDER BY name")
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(Theme { id: r.try_get("id")?, name: r.try_get("name")? })).collect()
}

pub async fn insert_theme(conn: &mut Conn, p: PartnershipId, name: &str) -> StoreResult<i64> {
    Ok(sqlx::query("INSERT INTO themes (partnership_id, name, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(p.0)
        .bind(name)
        .bind(now_text())
        .fetch_one(&mut *conn)
        .await
        .map_err(StoreError::from_write)?
        .try_get("id")?)
}

/// Renames a theme (the reviews and recommendations tagged with it follow, by id).
pub async fn rename_theme(conn: &mut Conn, id: i64, name: &str) -> StoreResult<()> {
    let done = sqlx::query("UPDATE themes SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Merges theme `from` into theme `into`: every review tagged with `from` is tagged with `into`
/// (once), every recommendation of `from` becomes one of `into`, and `from` goes. Returns how
/// many reviews were tagged with `from`.
pub async fn merge_themes(conn: &mut Conn, from: i64, into: i64) -> StoreResult<i64> {
    let moved: i64 = sqlx::query("SELECT COUNT(*) AS n FROM review_themes WHERE theme_id = $1")
        .bind(from)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    sqlx::query(
        "INSERT INTO review_themes (review_id, theme_id) SELECT review_id, $2 FROM review_themes \
         WHERE theme_id = $1 AND review_id NOT IN (SELECT review_id FROM review_themes WHERE theme_id = $2)",
    )
    .bind(from)
    .bind(into)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    sqlx::query("DELETE FROM review_themes WHERE theme_id = $1").bind(from).execute(&mut *conn).await?;
    sqlx::query("UPDATE recommendations SET theme_id = $2 WHERE theme_id = $1")
        .bind(from)
        .bind(into)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    sqlx::query("DELETE FROM themes WHERE id = $1")
        .bind(from)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(moved)
}

/// Replaces the themes a review raised.
pub async fn set_review_themes(conn: &mut Conn, review_id: i64, theme_ids: &[i64]) -> StoreResult<()> {
    sqlx::query("DELETE FROM review_themes WHERE review_id = $1").bind(review_id).execute(&mut *conn).await?;
    for t in theme_ids {
        sqlx::query("INSERT INTO review_themes (review_id, theme_id) VALUES ($1, $2)")
            .bind(review_id)
            .bind(*t)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_write)?;
    }
    Ok(())
}

/// (review id, theme id) for every tagged review of the partnership.
/// The themes one review is tagged with, by name.
pub async fn themes_of_review(conn: &mut Conn, review_id: i64) -> StoreResult<Vec<Theme>> {
    let rows = sqlx::query(
        "SELECT t.id, t.name FROM review_themes rt JOIN themes t ON t.id = rt.theme_id \
         WHERE rt.review_id = $1 ORDER BY t.name",
    )
    .bind(review_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok(Theme { id: r.try_get("id")?, name: r.try_get("name")? })).collect()
}

pub async fn review_theme_pairs(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT rt.review_id, rt.theme_id FROM review_themes rt JOIN reviews r ON r.id = rt.review_id \
         WHERE r.partnership_id = $1 ORDER BY rt.review_id, rt.theme_id",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("review_id")?, r.try_get("theme_id")?))).collect()
}

// --- information requests -------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    pub id: RequestId,
    pub review_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    /// `summary` or `chronology`.
    pub kind: String,
    pub requested_on: NaiveDate,
    pub due_on: NaiveDate,
    pub returned_on: Option<NaiveDate>,
}

const REQUESTS: &str = "SELECT q.id, q.review_id, q.organisation_id, o.name AS organisation_name, q.kind, \
    q.requested_on, q.due_on, q.returned_on FROM review_requests q JOIN organisations o ON o.id = q.organisation_id";

fn request_from(r: &AnyRow) -> StoreResult<Request> {
    let date = |c: &str| -> StoreResult<NaiveDate> {
        parse_date(c, r.try_get(c)?)?.ok_or_else(|| StoreError::Corrupt(c.into()))
    };
    Ok(Request {
        id: RequestId(r.try_get("id")?),
        review_id: r.try_get("review_id")?,
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: r.try_get("organisation_name")?,
        kind: r.try_get("kind")?,
        requested_on: date("requested_on")?,
        due_on: date("due_on")?,
        returned_on: parse_date("returned_on", r.try_get("returned_on")?)?,
    })
}

/// A review's requests to agencies, soonest due first.
pub async fn requests(conn: &mut Conn, review_id: i64) -> StoreResult<Vec<Request>> {
    let rows = sqlx::query(&format!("{REQUESTS} WHERE q.review_id = $1 ORDER BY q.due_on, o.name"))
        .bind(review_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(request_from).collect()
}

/// Every request of every review in a partnership, by review then soonest due: one statement
/// for the deadlines of a list of reviews.
pub async fn requests_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Request>> {
    let rows = sqlx::query(&format!(
        "{REQUESTS} JOIN reviews r ON r.id = q.review_id WHERE r.partnership_id = $1 ORDER BY q.review_id, q.due_on, o.name"
    ))
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(request_from).collect()
}

pub async fn insert_request(
    conn: &mut Conn,
    review_id: i64,
    organisation_id: i64,
    kind: &str,
    requested_on: NaiveDate,
    due_on: NaiveDate,
) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO review_requests (review_id, organisation_id, kind, requested_on, due_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(review_id)
    .bind(organisation_id)
    .bind(kind)
    .bind(date_text(requested_on))
    .bind(date_text(due_on))
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

pub async fn set_request_returned(conn: &mut Conn, id: i64, returned_on: Option<NaiveDate>) -> StoreResult<()> {
    let done = sqlx::query("UPDATE review_requests SET returned_on = $1 WHERE id = $2")
        .bind(returned_on.map(date_text))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// The review a request belongs to.
pub async fn request_review(conn: &mut Conn, id: i64) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT review_id FROM review_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_get("review_id")?)
}

/// A document an agency sent in answer to a request, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestDocument {
    pub id: RequestDocumentId,
    pub request_id: RequestId,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub sent_by_label: String,
    /// When it was sent (RFC 3339, UTC).
    pub sent_at: String,
}

/// A document to keep with a request.
pub struct NewRequestDocument<'a> {
    pub request_id: i64,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    /// The bytes, base64.
    pub content: &'a str,
    pub sent_by: Option<UserId>,
    pub sent_by_label: &'a str,
}

const REQUEST_DOCUMENTS: &str = "SELECT id, request_id, file_name, content_type, size, sha256, sent_by_label, \
    created_at FROM review_request_documents";

fn request_document_from(r: &AnyRow) -> StoreResult<RequestDocument> {
    Ok(RequestDocument {
        id: RequestDocumentId(r.try_get("id")?),
        request_id: RequestId(r.try_get("request_id")?),
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        sent_by_label: r.try_get("sent_by_label")?,
        sent_at: r.try_get("created_at")?,
    })
}

pub async fn insert_request_document(conn: &mut Conn, d: &NewRequestDocument<'_>) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO review_request_documents (request_id, file_name, content_type, size, sha256, content, sent_by, \
         sent_by_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(d.request_id)
    .bind(d.file_name)
    .bind(d.content_type)
    .bind(d.size)
    .bind(d.sha256)
    .bind(d.content)
    .bind(d.sent_by.map(|u| u.0))
    .bind(d.sent_by_label)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// The documents sent in answer to a request, in the order they came.
pub async fn request_documents(conn: &mut Conn, request_id: i64) -> StoreResult<Vec<RequestDocument>> {
    let rows = sqlx::query(&format!("{REQUEST_DOCUMENTS} WHERE request_id = $1 ORDER BY id"))
        .bind(request_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(request_document_from).collect()
}

/// One document with its bytes (base64).
pub async fn request_document(conn: &mut Conn, id: i64) -> StoreResult<(RequestDocument, String)> {
    let r = sqlx::query(
        "SELECT id, request_id, file_name, content_type, size, sha256, sent_by_label, created_at, content \
         FROM review_request_documents WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((request_document_from(&r)?, r.try_get("content")?))
}

/// Requests to one organisation not yet returned, across the reviews of its partnership.
pub async fn open_requests_to(conn: &mut Conn, organisation_id: i64) -> StoreResult<Vec<Request>> {
    let rows = sqlx::query(
        "SELECT q.id, q.review_id, q.organisation_id, o.name AS organisation_name, q.kind, q.requested_on, q.due_on, \
         q.returned_on FROM review_requests q JOIN organisations o ON o.id = q.organisation_id \
         WHERE q.organisation_id = $1 AND q.returned_on IS NULL ORDER BY q.due_on",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let date = |c: &str| -> StoreResult<NaiveDate> {
                parse_date(c, r.try_get(c)?)?.ok_or_else(|| StoreError::Corrupt(c.into()))
            };
            Ok(Request {
                id: RequestId(r.try_get("id")?),
                review_id: r.try_get("review_id")?,
                organisation_id: r.try_get("organisation_id")?,
                organisation_name: r.try_get("organisation_name")?,
                kind: r.try_get("kind")?,
                requested_on: date("requested_on")?,
                due_on: date("due_on")?,
                returned_on: None,
            })
        })
        .collect()
}
