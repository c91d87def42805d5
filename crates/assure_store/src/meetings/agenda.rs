//! Meetings' agendas, the papers of each item, when each body's papers are due, and each
//! meeting's pack publication.

use assure_domain::meetings::agenda::{NewAgendaItem, Purpose};
use assure_domain::structure::Choice;
use assure_domain::{AgendaItemId, BodyId, MeetingId, PaperId, UserId};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, flag, now_text};

pub const ITEMS: Table = (
    "agenda_items",
    &[
        ("id", Int),
        ("meeting_id", Int),
        ("position", Int),
        ("title", Text),
        ("presenter", Text),
        ("purpose", Text),
        ("minutes", Int),
        ("restricted", Bool),
        ("owner_user_id", Int),
        ("by_label", Text),
        ("created_at", Text),
        ("updated_at", Text),
    ],
);

pub const PAPERS: Table = (
    "meeting_papers",
    &[
        ("id", Int),
        ("item_id", Int),
        ("file_name", Text),
        ("content_type", Text),
        ("size", Int),
        ("sha256", Text),
        ("content", Text),
        ("added_by", Int),
        ("by_label", Text),
        ("created_at", Text),
    ],
);

pub const PAPERS_DUE: Table =
    ("body_papers_due", &[("body_id", Int), ("working_days", Int), ("by_label", Text), ("updated_at", Text)]);

/// One item of a meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub meeting_id: MeetingId,
    pub position: i64,
    pub title: String,
    pub presenter: Option<String>,
    pub purpose: Purpose,
    pub minutes: Option<u32>,
    pub restricted: bool,
    pub owner_user_id: Option<UserId>,
    /// The owner's e-mail address, to show and to edit by.
    pub owner_email: Option<String>,
    pub by_label: String,
    pub updated_at: String,
}

const SELECT_ITEM: &str = "SELECT i.id, i.meeting_id, i.position, i.title, i.presenter, i.purpose, i.minutes, \
    i.restricted, i.owner_user_id, u.email AS owner_email, i.by_label, i.updated_at \
    FROM agenda_items i LEFT JOIN users u ON u.id = i.owner_user_id";

fn item_from(r: &AnyRow) -> StoreResult<AgendaItem> {
    let purpose: String = r.try_get("purpose")?;
    let minutes: Option<i64> = r.try_get("minutes")?;
    Ok(AgendaItem {
        id: AgendaItemId(r.try_get("id")?),
        meeting_id: MeetingId(r.try_get("meeting_id")?),
        position: r.try_get("position")?,
        title: r.try_get("title")?,
        presenter: r.try_get("presenter")?,
        purpose: Purpose::parse(&purpose).ok_or_else(|| StoreError::Corrupt(format!("agenda purpose {purpose}")))?,
        minutes: minutes
            .map(|m| u32::try_from(m).map_err(|_| StoreError::Corrupt(format!("agenda minutes {m}"))))
            .transpose()?,
        restricted: flag(r, "restricted")?,
        owner_user_id: r.try_get::<Option<i64>, _>("owner_user_id")?.map(UserId),
        owner_email: r.try_get("owner_email")?,
        by_label: r.try_get("by_label")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// A meeting's agenda, in order.
pub async fn items(conn: &mut Conn, meeting: MeetingId) -> StoreResult<Vec<AgendaItem>> {
    let rows = sqlx::query(&format!("{SELECT_ITEM} WHERE i.meeting_id = $1 ORDER BY i.position, i.id"))
        .bind(meeting.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(item_from).collect()
}

pub async fn item(conn: &mut Conn, id: AgendaItemId) -> StoreResult<AgendaItem> {
    let row = sqlx::query(&format!("{SELECT_ITEM} WHERE i.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    item_from(&row)
}

/// Adds an item at the end of a meeting's agenda.
pub async fn insert_item(
    conn: &mut Conn,
    meeting: MeetingId,
    new: &NewAgendaItem,
    owner: Option<UserId>,
    by: &str,
) -> StoreResult<AgendaItemId> {
    let now = now_text();
    let last: Option<i64> = sqlx::query("SELECT MAX(position) AS last FROM agenda_items WHERE meeting_id = $1")
        .bind(meeting.0)
        .fetch_one(&mut *conn)
        .await?
        .try_get("last")?;
    let id: i64 = sqlx::query(
        "INSERT INTO agenda_items (meeting_id, position, title, presenter, purpose, minutes, restricted, \
         owner_user_id, by_label, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
         RETURNING id",
    )
    .bind(meeting.0)
    .bind(last.unwrap_or(0) + 1)
    .bind(&new.title)
    .bind(new.presenter.as_deref())
    .bind(new.purpose.code())
    .bind(new.minutes.map(i64::from))
    .bind(i64::from(new.restricted))
    .bind(owner.map(|u| u.0))
    .bind(by)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(AgendaItemId(id))
}

pub async fn update_item(
    conn: &mut Conn,
    id: AgendaItemId,
    new: &NewAgendaItem,
    owner: Option<UserId>,
    by: &str,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE agenda_items SET title = $1, presenter = $2, purpose = $3, minutes = $4, restricted = $5, \
         owner_user_id = $6, by_label = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&new.title)
    .bind(new.presenter.as_deref())
    .bind(new.purpose.code())
    .bind(new.minutes.map(i64::from))
    .bind(i64::from(new.restricted))
    .bind(owner.map(|u| u.0))
    .bind(by)
    .bind(now_text())
    .bind(id.0)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Removes an item with its papers and minutes (the caller refuses an item with decisions,
/// actions or declarations).
pub async fn delete_item(conn: &mut Conn, id: AgendaItemId) -> StoreResult<()> {
    sqlx::query("DELETE FROM meeting_papers WHERE item_id = $1").bind(id.0).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM item_minutes WHERE item_id = $1").bind(id.0).execute(&mut *conn).await?;
    let done = sqlx::query("DELETE FROM agenda_items WHERE id = $1").bind(id.0).execute(&mut *conn).await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Puts a meeting's items in this order (their ids, first to last).
pub async fn set_order(conn: &mut Conn, meeting: MeetingId, order: &[i64]) -> StoreResult<()> {
    for (at, id) in order.iter().enumerate() {
        sqlx::query("UPDATE agenda_items SET position = $1 WHERE id = $2 AND meeting_id = $3")
            .bind(at as i64 + 1)
            .bind(*id)
            .bind(meeting.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A paper of an agenda item, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paper {
    pub id: PaperId,
    pub item_id: AgendaItemId,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub by_label: String,
    /// When it was added (RFC 3339, UTC).
    pub added_at: String,
}

fn paper_from(r: &AnyRow) -> StoreResult<Paper> {
    Ok(Paper {
        id: PaperId(r.try_get("id")?),
        item_id: AgendaItemId(r.try_get("item_id")?),
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        by_label: r.try_get("by_label")?,
        added_at: r.try_get("created_at")?,
    })
}

/// The papers of a meeting's items, in the order they were added.
pub async fn papers(conn: &mut Conn, meeting: MeetingId) -> StoreResult<Vec<Paper>> {
    let rows = sqlx::query(
        "SELECT p.id, p.item_id, p.file_name, p.content_type, p.size, p.sha256, p.by_label, p.created_at \
         FROM meeting_papers p JOIN agenda_items i ON i.id = p.item_id WHERE i.meeting_id = $1 ORDER BY p.id",
    )
    .bind(meeting.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(paper_from).collect()
}

/// A paper to keep with an item.
pub struct NewPaper<'a> {
    pub item_id: AgendaItemId,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    /// The file, base64.
    pub content: &'a str,
    pub added_by: Option<UserId>,
    pub by_label: &'a str,
}

pub async fn insert_paper(conn: &mut Conn, p: &NewPaper<'_>) -> StoreResult<PaperId> {
    let id: i64 = sqlx::query(
        "INSERT INTO meeting_papers (item_id, file_name, content_type, size, sha256, content, added_by, by_label, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(p.item_id.0)
    .bind(p.file_name)
    .bind(p.content_type)
    .bind(p.size)
    .bind(p.sha256)
    .bind(p.content)
    .bind(p.added_by.map(|u| u.0))
    .bind(p.by_label)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(PaperId(id))
}

/// A paper with its bytes (base64).
pub async fn paper(conn: &mut Conn, id: PaperId) -> StoreResult<(Paper, String)> {
    let r = sqlx::query(
        "SELECT id, item_id, file_name, content_type, size, sha256, by_label, created_at, content \
         FROM meeting_papers WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((paper_from(&r)?, r.try_get("content")?))
}

pub async fn delete_paper(conn: &mut Conn, id: PaperId) -> StoreResult<()> {
    let done = sqlx::query("DELETE FROM meeting_papers WHERE id = $1").bind(id.0).execute(&mut *conn).await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// The working days before a body's meetings that their papers are due, if the body set them.
pub async fn papers_days(conn: &mut Conn, body: BodyId) -> StoreResult<Option<u32>> {
    let row = sqlx::query("SELECT working_days FROM body_papers_due WHERE body_id = $1")
        .bind(body.0)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| {
        let days: i64 = r.try_get("working_days")?;
        u32::try_from(days).map_err(|_| StoreError::Corrupt(format!("papers due {days}")))
    })
    .transpose()
}

pub async fn set_papers_days(conn: &mut Conn, body: BodyId, days: u32, by: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO body_papers_due (body_id, working_days, by_label, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (body_id) DO UPDATE SET working_days = excluded.working_days, by_label = excluded.by_label, \
         updated_at = excluded.updated_at",
    )
    .bind(body.0)
    .bind(i64::from(days))
    .bind(by)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Marks a meeting's pack published now by `by`.
pub async fn publish_pack(conn: &mut Conn, meeting: MeetingId, by: &str) -> StoreResult<()> {
    let done = sqlx::query("UPDATE meetings SET pack_published_at = $1, pack_published_by = $2 WHERE id = $3")
        .bind(now_text())
        .bind(by)
        .bind(meeting.0)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// An item whose papers someone owes: theirs to provide, for a meeting not yet held nor
/// cancelled, and none in yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Owed {
    pub item_id: AgendaItemId,
    pub title: String,
    pub restricted: bool,
    pub meeting_id: MeetingId,
    pub held_on: chrono::NaiveDate,
    pub body_id: BodyId,
    pub body_name: String,
    pub body_restricted: bool,
    /// The body's papers deadline, if it set one.
    pub papers_days: Option<u32>,
}

/// The items of a partnership's meetings on or after `from` whose papers `owner` owes.
pub async fn owed_by(
    conn: &mut Conn,
    owner: UserId,
    p: assure_domain::PartnershipId,
    from: chrono::NaiveDate,
) -> StoreResult<Vec<Owed>> {
    let rows = sqlx::query(
        "SELECT i.id, i.title, i.restricted, m.id AS meeting_id, m.held_on, b.id AS body_id, b.name AS body_name, \
         b.restricted AS body_restricted, d.working_days FROM agenda_items i JOIN meetings m ON m.id = i.meeting_id \
         JOIN bodies b ON b.id = m.body_id LEFT JOIN body_papers_due d ON d.body_id = b.id \
         WHERE i.owner_user_id = $1 AND b.partnership_id = $2 AND m.held_on >= $3 AND m.cancelled_reason IS NULL \
         AND NOT EXISTS (SELECT 1 FROM meeting_papers p WHERE p.item_id = i.id) ORDER BY m.held_on, i.position",
    )
    .bind(owner.0)
    .bind(p.0)
    .bind(crate::db::date_text(from))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let days: Option<i64> = r.try_get("working_days")?;
            Ok(Owed {
                item_id: AgendaItemId(r.try_get("id")?),
                title: r.try_get("title")?,
                restricted: flag(r, "restricted")?,
                meeting_id: MeetingId(r.try_get("meeting_id")?),
                held_on: crate::db::parse_date("held_on", r.try_get("held_on")?)?
                    .ok_or_else(|| StoreError::Corrupt("held_on".into()))?,
                body_id: BodyId(r.try_get("body_id")?),
                body_name: r.try_get("body_name")?,
                body_restricted: flag(r, "body_restricted")?,
                papers_days: days
                    .map(|d| u32::try_from(d).map_err(|_| StoreError::Corrupt(format!("papers due {d}"))))
                    .transpose()?,
            })
        })
        .collect()
}

pub const STANDING: Table = (
    "standing_items",
    &[
        ("id", Int),
        ("body_id", Int),
        ("title", Text),
        ("presenter", Text),
        ("purpose", Text),
        ("minutes", Int),
        ("restricted", Bool),
        ("months", Text),
        ("by_label", Text),
        ("created_at", Text),
    ],
);

/// A standing item of a body's annual business cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandingItem {
    pub id: i64,
    pub body_id: BodyId,
    pub item: NewAgendaItem,
    /// Month numbers, 1 to 12, in order.
    pub months: Vec<u32>,
    pub by_label: String,
    pub created_at: String,
}

fn standing_from(r: &AnyRow) -> StoreResult<StandingItem> {
    let purpose: String = r.try_get("purpose")?;
    let minutes: Option<i64> = r.try_get("minutes")?;
    let months: String = r.try_get("months")?;
    Ok(StandingItem {
        id: r.try_get("id")?,
        body_id: BodyId(r.try_get("body_id")?),
        item: NewAgendaItem {
            title: r.try_get("title")?,
            presenter: r.try_get("presenter")?,
            purpose: Purpose::parse(&purpose)
                .ok_or_else(|| StoreError::Corrupt(format!("standing item purpose {purpose}")))?,
            minutes: minutes
                .map(|m| u32::try_from(m).map_err(|_| StoreError::Corrupt(format!("standing item minutes {m}"))))
                .transpose()?,
            restricted: flag(r, "restricted")?,
            owner_email: None,
        },
        months: months
            .split(',')
            .map(|m| m.parse::<u32>().map_err(|_| StoreError::Corrupt(format!("standing item months {months}"))))
            .collect::<StoreResult<_>>()?,
        by_label: r.try_get("by_label")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A body's business cycle, in the order it was set out.
pub async fn standing_items(conn: &mut Conn, body: BodyId) -> StoreResult<Vec<StandingItem>> {
    let rows = sqlx::query(
        "SELECT id, body_id, title, presenter, purpose, minutes, restricted, months, by_label, created_at \
         FROM standing_items WHERE body_id = $1 ORDER BY id",
    )
    .bind(body.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(standing_from).collect()
}

pub async fn standing_item(conn: &mut Conn, id: i64) -> StoreResult<StandingItem> {
    let row = sqlx::query(
        "SELECT id, body_id, title, presenter, purpose, minutes, restricted, months, by_label, created_at \
         FROM standing_items WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    standing_from(&row)
}

pub async fn insert_standing_item(
    conn: &mut Conn,
    body: BodyId,
    new: &assure_domain::meetings::agenda::NewStandingItem,
    by: &str,
) -> StoreResult<i64> {
    let months: Vec<String> = new.months.iter().map(u32::to_string).collect();
    let id: i64 = sqlx::query(
        "INSERT INTO standing_items (body_id, title, presenter, purpose, minutes, restricted, months, by_label, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(body.0)
    .bind(&new.item.title)
    .bind(new.item.presenter.as_deref())
    .bind(new.item.purpose.code())
    .bind(new.item.minutes.map(i64::from))
    .bind(i64::from(new.item.restricted))
    .bind(months.join(","))
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

pub async fn delete_standing_item(conn: &mut Conn, id: i64) -> StoreResult<()> {
    let done = sqlx::query("DELETE FROM standing_items WHERE id = $1").bind(id).execute(&mut *conn).await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
