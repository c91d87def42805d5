//! Bulletins: issues with their items, subscribers (addresses kept only while subscribed, tokens
//! only as hashes), and each subscriber's copy of an issue sent.

use assure_domain::PartnershipId;
use assure_domain::bulletins::{DeliveryStatus, ItemKind, NewBulletin, NewItem, Status, SubscriberStatus};
use assure_domain::structure::Choice;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, code, now_text};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "bulletins",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("number", Int),
            ("title", Text),
            ("introduction", Text),
            ("status", Text),
            ("published_at", Text),
            ("published_by", Text),
            ("sent_at", Text),
            ("sent_by", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "bulletin_items",
        &[
            ("id", Int),
            ("bulletin_id", Int),
            ("position", Int),
            ("kind", Text),
            ("title", Text),
            ("body", Text),
            ("link", Text),
            ("clicks", Int),
        ],
    ),
    (
        "bulletin_subscribers",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("email", Text),
            ("status", Text),
            ("confirm_hash", Text),
            ("asked_at", Text),
            ("confirmed_at", Text),
            ("ended_at", Text),
        ],
    ),
    (
        "bulletin_deliveries",
        &[
            ("id", Int),
            ("bulletin_id", Int),
            ("subscriber_id", Int),
            ("status", Text),
            ("unsubscribe_hash", Text),
            ("sent_at", Text),
            ("unsubscribed_at", Text),
        ],
    ),
];

/// An issue with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bulletin {
    pub id: i64,
    pub partnership_id: PartnershipId,
    /// Its number in the partnership, given when it is published.
    pub number: Option<i64>,
    pub title: String,
    pub introduction: Option<String>,
    pub status: Status,
    pub published_at: Option<String>,
    pub published_by: Option<String>,
    pub sent_at: Option<String>,
    pub sent_by: Option<String>,
    pub by_label: String,
    pub updated_at: String,
    pub counts: Counts,
}

/// What became of an issue sent: copies made for subscribers, handed to the mail server, not
/// sent, unsubscribes from its link, and clicks on its items' links.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub recipients: i64,
    pub delivered: i64,
    pub failed: i64,
    pub unsubscribes: i64,
    pub clicks: i64,
}

/// An item of an issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: i64,
    pub position: i64,
    pub kind: ItemKind,
    pub title: String,
    pub body: Option<String>,
    pub link: Option<String>,
    pub clicks: i64,
}

/// How many subscribers stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SubscriberCounts {
    pub pending: i64,
    pub confirmed: i64,
    pub unsubscribed: i64,
}

/// A subscriber as a sending or a confirmation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub email: Option<String>,
    pub status: SubscriberStatus,
    pub asked_at: String,
}

/// One copy waiting to be sent: to whom, of which issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub delivery_id: i64,
    pub bulletin_id: i64,
    pub email: String,
}

const SELECT: &str = "SELECT b.id, b.partnership_id, b.number, b.title, b.introduction, b.status, b.published_at, \
    b.published_by, b.sent_at, b.sent_by, b.by_label, b.updated_at, \
    (SELECT COUNT(*) FROM bulletin_deliveries d WHERE d.bulletin_id = b.id) AS recipients, \
    (SELECT COUNT(*) FROM bulletin_deliveries d WHERE d.bulletin_id = b.id AND d.status = 'delivered') AS delivered, \
    (SELECT COUNT(*) FROM bulletin_deliveries d WHERE d.bulletin_id = b.id AND d.status = 'failed') AS failed, \
    (SELECT COUNT(*) FROM bulletin_deliveries d WHERE d.bulletin_id = b.id AND d.unsubscribed_at IS NOT NULL) AS unsubscribes, \
    (SELECT CAST(COALESCE(SUM(i.clicks), 0) AS BIGINT) FROM bulletin_items i WHERE i.bulletin_id = b.id) AS clicks \
    FROM bulletins b";

fn bulletin_from(r: &AnyRow) -> StoreResult<Bulletin> {
    Ok(Bulletin {
        id: r.try_get("id")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        number: r.try_get("number")?,
        title: r.try_get("title")?,
        introduction: r.try_get("introduction")?,
        status: code(r, "status")?,
        published_at: r.try_get("published_at")?,
        published_by: r.try_get("published_by")?,
        sent_at: r.try_get("sent_at")?,
        sent_by: r.try_get("sent_by")?,
        by_label: r.try_get("by_label")?,
        updated_at: r.try_get("updated_at")?,
        counts: Counts {
            recipients: r.try_get("recipients")?,
            delivered: r.try_get("delivered")?,
            failed: r.try_get("failed")?,
            unsubscribes: r.try_get("unsubscribes")?,
            clicks: r.try_get("clicks")?,
        },
    })
}

pub async fn insert(conn: &mut Conn, p: PartnershipId, new: &NewBulletin, by: &str) -> StoreResult<i64> {
    let now = now_text();
    Ok(sqlx::query(
        "INSERT INTO bulletins (partnership_id, title, introduction, status, by_label, created_at, updated_at) \
         VALUES ($1, $2, $3, 'draft', $4, $5, $5) RETURNING id",
    )
    .bind(p.0)
    .bind(&new.title)
    .bind(new.introduction.as_deref())
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

pub async fn update(conn: &mut Conn, id: i64, new: &NewBulletin, by: &str) -> StoreResult<()> {
    sqlx::query("UPDATE bulletins SET title = $1, introduction = $2, by_label = $3, updated_at = $4 WHERE id = $5")
        .bind(&new.title)
        .bind(new.introduction.as_deref())
        .bind(by)
        .bind(now_text())
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn bulletin(conn: &mut Conn, id: i64) -> StoreResult<Bulletin> {
    let row = sqlx::query(&format!("{SELECT} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    bulletin_from(&row)
}

/// A partnership's issues: drafts first (the latest changed first), then the published, the
/// latest first; `published_only` for the public archive.
pub async fn bulletins_in(conn: &mut Conn, p: PartnershipId, published_only: bool) -> StoreResult<Vec<Bulletin>> {
    let only = if published_only { " AND b.status = 'published'" } else { "" };
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE b.partnership_id = $1{only} \
         ORDER BY CASE WHEN b.number IS NULL THEN 0 ELSE 1 END, b.number DESC, b.updated_at DESC, b.id DESC"
    ))
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(bulletin_from).collect()
}

/// A published issue by its number in the partnership.
pub async fn published(conn: &mut Conn, p: PartnershipId, number: i64) -> StoreResult<Bulletin> {
    let row =
        sqlx::query(&format!("{SELECT} WHERE b.partnership_id = $1 AND b.number = $2 AND b.status = 'published'"))
            .bind(p.0)
            .bind(number)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    bulletin_from(&row)
}

/// Publishes a draft with the next number of its partnership's; returns the number, or `None`
/// when it was no longer a draft (someone else published it first).
pub async fn publish(conn: &mut Conn, id: i64, p: PartnershipId, by: &str) -> StoreResult<Option<i64>> {
    let number: i64 =
        sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 AS next FROM bulletins WHERE partnership_id = $1")
            .bind(p.0)
            .fetch_one(&mut *conn)
            .await?
            .try_get("next")?;
    let now = now_text();
    let done = sqlx::query(
        "UPDATE bulletins SET status = 'published', number = $1, published_at = $2, published_by = $3, updated_at = $2 \
         WHERE id = $4 AND status = 'draft'",
    )
    .bind(number)
    .bind(now)
    .bind(by)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok((done.rows_affected() == 1).then_some(number))
}

const ITEM_SELECT: &str = "SELECT id, position, kind, title, body, link, clicks FROM bulletin_items";

fn item_from(r: &AnyRow) -> StoreResult<Item> {
    Ok(Item {
        id: r.try_get("id")?,
        position: r.try_get("position")?,
        kind: code(r, "kind")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        link: r.try_get("link")?,
        clicks: r.try_get("clicks")?,
    })
}

/// An issue's items, in order.
pub async fn items(conn: &mut Conn, bulletin: i64) -> StoreResult<Vec<Item>> {
    let rows = sqlx::query(&format!("{ITEM_SELECT} WHERE bulletin_id = $1 ORDER BY position, id"))
        .bind(bulletin)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(item_from).collect()
}

/// Adds an item at the end of an issue and marks the issue changed.
pub async fn insert_item(conn: &mut Conn, bulletin: i64, new: &NewItem, by: &str) -> StoreResult<i64> {
    let position: i64 =
        sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 AS next FROM bulletin_items WHERE bulletin_id = $1")
            .bind(bulletin)
            .fetch_one(&mut *conn)
            .await?
            .try_get("next")?;
    let id: i64 = sqlx::query(
        "INSERT INTO bulletin_items (bulletin_id, position, kind, title, body, link, clicks) \
         VALUES ($1, $2, $3, $4, $5, $6, 0) RETURNING id",
    )
    .bind(bulletin)
    .bind(position)
    .bind(new.kind.code())
    .bind(&new.title)
    .bind(new.body.as_deref())
    .bind(new.link.as_deref())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    touch(conn, bulletin, by).await?;
    Ok(id)
}

/// Removes an item of an issue: whether there was one.
pub async fn delete_item(conn: &mut Conn, bulletin: i64, item: i64, by: &str) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM bulletin_items WHERE id = $1 AND bulletin_id = $2")
        .bind(item)
        .bind(bulletin)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    touch(conn, bulletin, by).await?;
    Ok(done.rows_affected() == 1)
}

/// Swaps an item with the one before it (`up`) or after it: whether it moved.
pub async fn move_item(conn: &mut Conn, bulletin: i64, item: i64, up: bool, by: &str) -> StoreResult<bool> {
    let all = items(conn, bulletin).await?;
    let Some(at) = all.iter().position(|i| i.id == item) else { return Ok(false) };
    let other = if up { at.checked_sub(1) } else { Some(at + 1).filter(|n| *n < all.len()) };
    let Some(other) = other else { return Ok(false) };
    for (id, position) in [(all[at].id, all[other].position), (all[other].id, all[at].position)] {
        sqlx::query("UPDATE bulletin_items SET position = $1 WHERE id = $2")
            .bind(position)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_write)?;
    }
    touch(conn, bulletin, by).await?;
    Ok(true)
}

async fn touch(conn: &mut Conn, bulletin: i64, by: &str) -> StoreResult<()> {
    sqlx::query("UPDATE bulletins SET by_label = $1, updated_at = $2 WHERE id = $3")
        .bind(by)
        .bind(now_text())
        .bind(bulletin)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

/// Counts a click on a published issue's item; returns where it leads (none: no such item, or
/// no link).
pub async fn click(conn: &mut Conn, bulletin: i64, item: i64) -> StoreResult<Option<String>> {
    let row = sqlx::query(
        "UPDATE bulletin_items SET clicks = clicks + 1 WHERE id = $1 AND bulletin_id = $2 AND link IS NOT NULL \
         RETURNING link",
    )
    .bind(item)
    .bind(bulletin)
    .fetch_optional(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(match row {
        Some(r) => r.try_get("link")?,
        None => None,
    })
}

fn subscriber_from(r: &AnyRow) -> StoreResult<Subscriber> {
    Ok(Subscriber {
        id: r.try_get("id")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        email: r.try_get("email")?,
        status: code(r, "status")?,
        asked_at: r.try_get("asked_at")?,
    })
}

const SUBSCRIBER_SELECT: &str = "SELECT id, partnership_id, email, status, asked_at FROM bulletin_subscribers";

pub async fn subscriber_by_email(conn: &mut Conn, p: PartnershipId, email: &str) -> StoreResult<Option<Subscriber>> {
    let row = sqlx::query(&format!("{SUBSCRIBER_SELECT} WHERE partnership_id = $1 AND email = $2"))
        .bind(p.0)
        .bind(email)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(subscriber_from).transpose()
}

/// Asks for an address to be subscribed (a new one, or one still pending with a fresh token).
pub async fn ask(conn: &mut Conn, p: PartnershipId, email: &str, confirm_hash: &str) -> StoreResult<i64> {
    let now = now_text();
    if let Some(s) = subscriber_by_email(conn, p, email).await? {
        sqlx::query(
            "UPDATE bulletin_subscribers SET confirm_hash = $1, asked_at = $2 WHERE id = $3 AND status = 'pending'",
        )
        .bind(confirm_hash)
        .bind(now)
        .bind(s.id)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
        return Ok(s.id);
    }
    Ok(sqlx::query(
        "INSERT INTO bulletin_subscribers (partnership_id, email, status, confirm_hash, asked_at) \
         VALUES ($1, $2, 'pending', $3, $4) RETURNING id",
    )
    .bind(p.0)
    .bind(email)
    .bind(confirm_hash)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// The pending subscription a confirmation link's token stands for, asked for after `since`.
pub async fn pending_by_token(conn: &mut Conn, confirm_hash: &str, since: &str) -> StoreResult<Subscriber> {
    let row =
        sqlx::query(&format!("{SUBSCRIBER_SELECT} WHERE confirm_hash = $1 AND status = 'pending' AND asked_at >= $2"))
            .bind(confirm_hash)
            .bind(since)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    subscriber_from(&row)
}

/// Confirms a pending subscription: whether it was still pending.
pub async fn confirm(conn: &mut Conn, id: i64) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE bulletin_subscribers SET status = 'confirmed', confirm_hash = NULL, confirmed_at = $1 \
         WHERE id = $2 AND status = 'pending'",
    )
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(done.rows_affected() == 1)
}

/// The delivery an unsubscribe link's token stands for, with its subscriber and the issue: (delivery id,
/// subscriber id, bulletin id, the subscriber's status).
pub async fn delivery_by_token(
    conn: &mut Conn,
    unsubscribe_hash: &str,
) -> StoreResult<(i64, i64, i64, SubscriberStatus, PartnershipId)> {
    let r = sqlx::query(
        "SELECT d.id, d.subscriber_id, d.bulletin_id, s.status, s.partnership_id FROM bulletin_deliveries d \
         JOIN bulletin_subscribers s ON s.id = d.subscriber_id WHERE d.unsubscribe_hash = $1",
    )
    .bind(unsubscribe_hash)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok((
        r.try_get("id")?,
        r.try_get("subscriber_id")?,
        r.try_get("bulletin_id")?,
        code(&r, "status")?,
        PartnershipId(r.try_get("partnership_id")?),
    ))
}

/// Ends a subscription from a delivery's link: the address erased, the unsubscribe counted
/// against the issue it came from. Whether it was still subscribed.
pub async fn unsubscribe(conn: &mut Conn, delivery: i64, subscriber: i64) -> StoreResult<bool> {
    let now = now_text();
    let done = sqlx::query(
        "UPDATE bulletin_subscribers SET status = 'unsubscribed', email = NULL, confirm_hash = NULL, ended_at = $1 \
         WHERE id = $2 AND status = 'confirmed'",
    )
    .bind(&now)
    .bind(subscriber)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("UPDATE bulletin_deliveries SET unsubscribed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(delivery)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    // Nothing more goes to an address that has gone.
    sqlx::query("DELETE FROM bulletin_deliveries WHERE subscriber_id = $1 AND status = 'queued'")
        .bind(subscriber)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(true)
}

/// Forgets subscriptions asked for before `before` and never confirmed: how many.
pub async fn forget_unconfirmed(conn: &mut Conn, before: &str) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM bulletin_subscribers WHERE status = 'pending' AND asked_at < $1")
        .bind(before)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(done.rows_affected())
}

pub async fn subscriber_counts(conn: &mut Conn, p: PartnershipId) -> StoreResult<SubscriberCounts> {
    let rows =
        sqlx::query("SELECT status, COUNT(*) AS n FROM bulletin_subscribers WHERE partnership_id = $1 GROUP BY status")
            .bind(p.0)
            .fetch_all(&mut *conn)
            .await?;
    let mut counts = SubscriberCounts::default();
    for r in &rows {
        let n: i64 = r.try_get("n")?;
        match code::<SubscriberStatus>(r, "status")? {
            SubscriberStatus::Pending => counts.pending = n,
            SubscriberStatus::Confirmed => counts.confirmed = n,
            SubscriberStatus::Unsubscribed => counts.unsubscribed = n,
        }
    }
    Ok(counts)
}

/// Marks a published issue sent and makes a copy for each confirmed subscriber: how many.
/// `None` if it had already been sent.
pub async fn queue(conn: &mut Conn, id: i64, p: PartnershipId, by: &str) -> StoreResult<Option<u64>> {
    let now = now_text();
    let done = sqlx::query(
        "UPDATE bulletins SET sent_at = $1, sent_by = $2 WHERE id = $3 AND status = 'published' AND sent_at IS NULL",
    )
    .bind(&now)
    .bind(by)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    let queued = sqlx::query(
        "INSERT INTO bulletin_deliveries (bulletin_id, subscriber_id, status) \
         SELECT $1, id, 'queued' FROM bulletin_subscribers WHERE partnership_id = $2 AND status = 'confirmed'",
    )
    .bind(id)
    .bind(p.0)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(Some(queued.rows_affected()))
}

/// Up to `most` copies waiting to be sent, the oldest first: those queued, and those a sender
/// claimed before `stale` and never finished (it stopped).
pub async fn queued(conn: &mut Conn, most: i64, stale: &str) -> StoreResult<Vec<Queued>> {
    let rows = sqlx::query(
        "SELECT d.id, d.bulletin_id, s.email FROM bulletin_deliveries d \
         JOIN bulletin_subscribers s ON s.id = d.subscriber_id \
         WHERE (d.status = 'queued' OR (d.status = 'sending' AND d.sent_at < $2)) \
         AND s.status = 'confirmed' AND s.email IS NOT NULL ORDER BY d.id LIMIT $1",
    )
    .bind(most)
    .bind(stale)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Queued {
                delivery_id: r.try_get("id")?,
                bulletin_id: r.try_get("bulletin_id")?,
                email: r.try_get("email")?,
            })
        })
        .collect()
}

/// Claims a copy for sending, so that two senders (the hourly work and a sending just asked
/// for, or two processes) never both send it: whether this one has it.
pub async fn claim(conn: &mut Conn, delivery: i64, stale: &str) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE bulletin_deliveries SET status = 'sending', sent_at = $1 \
         WHERE id = $2 AND (status = 'queued' OR (status = 'sending' AND sent_at < $3))",
    )
    .bind(now_text())
    .bind(delivery)
    .bind(stale)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(done.rows_affected() == 1)
}

/// Records what became of a copy, with the hash of the unsubscribe token it carried.
pub async fn delivered(
    conn: &mut Conn,
    delivery: i64,
    status: DeliveryStatus,
    unsubscribe_hash: &str,
) -> StoreResult<()> {
    sqlx::query("UPDATE bulletin_deliveries SET status = $1, unsubscribe_hash = $2, sent_at = $3 WHERE id = $4")
        .bind(status.code())
        .bind(unsubscribe_hash)
        .bind(now_text())
        .bind(delivery)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}
