//! Reminders: who holds which role (the recipients), what each user has already been told, and
//! the notifications shown in the application.

use assure_domain::{OrganisationId, PartnershipId, UserId};
use serde::Serialize;
use sqlx::Row;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, flag, now_text};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    ("reminders_sent", &[("event_key", Text), ("user_id", Int), ("sent_at", Text)]),
    (
        "notifications",
        &[
            ("id", Int),
            ("user_id", Int),
            ("partnership_id", Int),
            ("message", Text),
            ("link", Text),
            ("created_at", Text),
        ],
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    pub user_id: UserId,
    pub email: String,
}

/// Active users holding `role` in the partnership, optionally only over one organisation.
pub async fn holders(
    conn: &mut Conn,
    p: PartnershipId,
    role: &str,
    organisation: Option<OrganisationId>,
) -> StoreResult<Vec<Recipient>> {
    let rows = sqlx::query(
        "SELECT DISTINCT u.id, u.email, u.disabled FROM users u JOIN role_grants g ON g.user_id = u.id \
         WHERE g.partnership_id = $1 AND g.role = $2 AND ($3 = 0 OR g.organisation_id = $3) ORDER BY u.id",
    )
    .bind(p.0)
    .bind(role)
    .bind(organisation.map(|o| o.0).unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        if !flag(r, "disabled")? {
            out.push(Recipient { user_id: UserId(r.try_get("id")?), email: r.try_get("email")? });
        }
    }
    Ok(out)
}

/// One user as a recipient, if their account is active.
pub async fn active_user(conn: &mut Conn, user: UserId) -> StoreResult<Option<Recipient>> {
    let row = sqlx::query("SELECT id, email, disabled FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(r) if !flag(&r, "disabled")? => {
            Ok(Some(Recipient { user_id: UserId(r.try_get("id")?), email: r.try_get("email")? }))
        }
        _ => Ok(None),
    }
}

/// The active account with this e-mail address (in any case), if there is one.
pub async fn active_user_by_email(conn: &mut Conn, email: &str) -> StoreResult<Option<Recipient>> {
    let row = sqlx::query("SELECT id, email, disabled FROM users WHERE lower(email) = lower($1)")
        .bind(email.trim())
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(r) if !flag(&r, "disabled")? => {
            Ok(Some(Recipient { user_id: UserId(r.try_get("id")?), email: r.try_get("email")? }))
        }
        _ => Ok(None),
    }
}

/// Records that `user` has been told of `event_key`; false if they already had been.
pub async fn mark_reminded(conn: &mut Conn, event_key: &str, user: UserId) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO reminders_sent (event_key, user_id, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(event_key)
    .bind(user.0)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: i64,
    pub message: String,
    pub link: String,
    pub created_at: String,
}

pub async fn insert_notification(
    conn: &mut Conn,
    user: UserId,
    p: PartnershipId,
    message: &str,
    link: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO notifications (user_id, partnership_id, message, link, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user.0)
    .bind(p.0)
    .bind(message)
    .bind(link)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// The user's latest notifications in a partnership, newest first.
pub async fn notifications(
    conn: &mut Conn,
    user: UserId,
    p: PartnershipId,
    limit: i64,
) -> StoreResult<Vec<Notification>> {
    let rows = sqlx::query(
        "SELECT id, message, link, created_at FROM notifications WHERE user_id = $1 AND partnership_id = $2 \
         ORDER BY id DESC LIMIT $3",
    )
    .bind(user.0)
    .bind(p.0)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Notification {
                id: r.try_get("id")?,
                message: r.try_get("message")?,
                link: r.try_get("link")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}
