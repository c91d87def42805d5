//! The challenge and escalation log: its entries, their progress, the plan's actions they
//! produced, and each partnership's setting for when an open entry is flagged.

use assure_domain::challenges::{Direction, NewChallenge, NewClosure, NewProgress, Status};
use assure_domain::structure::Choice;
use assure_domain::{ActionId, OrganisationId, PartnershipId};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, date_text, now_text, parse_date};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "challenge_entries",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("number", Int),
            ("direction", Text),
            ("raised_on", Text),
            ("raised_by", Text),
            ("organisation_id", Int),
            ("organisation_name", Text),
            ("meeting_id", Int),
            ("details", Text),
            ("action_agreed", Text),
            ("responsible", Text),
            ("status", Text),
            ("closed_on", Text),
            ("closure", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "challenge_progress",
        &[
            ("id", Int),
            ("challenge_id", Int),
            ("progress_on", Text),
            ("progress", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    ("challenge_actions", &[("challenge_id", Int), ("action_id", Int), ("by_label", Text), ("linked_at", Text)]),
    (
        "challenge_settings",
        &[("partnership_id", Int), ("flag_after_days", Int), ("by_label", Text), ("updated_at", Text)],
    ),
];

/// An entry of the log, with the names it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Challenge {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub number: i64,
    pub direction: Direction,
    pub raised_on: NaiveDate,
    pub raised_by: String,
    pub organisation_id: Option<OrganisationId>,
    /// The partnership's organisation's name, or the name typed.
    pub organisation: String,
    pub meeting_id: Option<i64>,
    /// The meeting that raised it: "SSPC board, 10 February 2016".
    pub meeting: Option<String>,
    pub details: String,
    pub action_agreed: String,
    pub responsible: String,
    pub status: Status,
    pub closed_on: Option<NaiveDate>,
    pub closure: Option<String>,
    /// The latest progress, when there is any: (day, words).
    pub latest: Option<(NaiveDate, String)>,
    pub by_label: String,
    pub updated_at: String,
}

const SELECT: &str = "SELECT c.id, c.partnership_id, c.number, c.direction, c.raised_on, c.raised_by, \
    c.organisation_id, COALESCE(o.name, c.organisation_name) AS organisation, c.meeting_id, b.name AS body_name, \
    m.held_on, c.details, c.action_agreed, c.responsible, c.status, c.closed_on, c.closure, c.by_label, c.updated_at, \
    (SELECT p.progress_on FROM challenge_progress p WHERE p.challenge_id = c.id ORDER BY p.progress_on DESC, p.id DESC \
     LIMIT 1) AS latest_on, \
    (SELECT p.progress FROM challenge_progress p WHERE p.challenge_id = c.id ORDER BY p.progress_on DESC, p.id DESC \
     LIMIT 1) AS latest \
    FROM challenge_entries c LEFT JOIN organisations o ON o.id = c.organisation_id \
    LEFT JOIN meetings m ON m.id = c.meeting_id LEFT JOIN bodies b ON b.id = m.body_id";

fn challenge_from(r: &AnyRow) -> StoreResult<Challenge> {
    let direction: String = r.try_get("direction")?;
    let status: String = r.try_get("status")?;
    let held_on = parse_date("held_on", r.try_get("held_on")?)?;
    let body: Option<String> = r.try_get("body_name")?;
    let latest_on = parse_date("latest_on", r.try_get("latest_on")?)?;
    let latest: Option<String> = r.try_get("latest")?;
    Ok(Challenge {
        id: r.try_get("id")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        number: r.try_get("number")?,
        direction: Direction::parse(&direction)
            .ok_or_else(|| StoreError::Corrupt(format!("challenge_entries.direction {direction}")))?,
        raised_on: parse_date("raised_on", r.try_get("raised_on")?)?
            .ok_or_else(|| StoreError::Corrupt("challenge_entries.raised_on".into()))?,
        raised_by: r.try_get("raised_by")?,
        organisation_id: r.try_get::<Option<i64>, _>("organisation_id")?.map(OrganisationId),
        organisation: r.try_get::<Option<String>, _>("organisation")?.unwrap_or_default(),
        meeting_id: r.try_get("meeting_id")?,
        meeting: match (body, held_on) {
            (Some(b), Some(d)) => Some(format!("{b}, {}", d.format("%-d %B %Y"))),
            _ => None,
        },
        details: r.try_get("details")?,
        action_agreed: r.try_get("action_agreed")?,
        responsible: r.try_get("responsible")?,
        status: Status::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("challenge_entries.status {status}")))?,
        closed_on: parse_date("closed_on", r.try_get("closed_on")?)?,
        closure: r.try_get("closure")?,
        latest: latest_on.zip(latest),
        by_label: r.try_get("by_label")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Records an entry with the next number of its partnership's log.
pub async fn insert(conn: &mut Conn, p: PartnershipId, new: &NewChallenge, by: &str) -> StoreResult<(i64, i64)> {
    let number: i64 =
        sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 AS next FROM challenge_entries WHERE partnership_id = $1")
            .bind(p.0)
            .fetch_one(&mut *conn)
            .await?
            .try_get("next")?;
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO challenge_entries (partnership_id, number, direction, raised_on, raised_by, organisation_id, \
         organisation_name, meeting_id, details, action_agreed, responsible, status, by_label, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12, $13, $13) RETURNING id",
    )
    .bind(p.0)
    .bind(number)
    .bind(new.direction.code())
    .bind(date_text(new.raised_on))
    .bind(&new.raised_by)
    .bind(new.organisation_id.map(|o| o.0))
    .bind(new.organisation_name.as_deref())
    .bind(new.meeting_id)
    .bind(&new.details)
    .bind(&new.action_agreed)
    .bind(&new.responsible)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok((id, number))
}

/// Changes what an entry says (not where it stands).
pub async fn update(conn: &mut Conn, id: i64, new: &NewChallenge, by: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE challenge_entries SET direction = $1, raised_on = $2, raised_by = $3, organisation_id = $4, \
         organisation_name = $5, meeting_id = $6, details = $7, action_agreed = $8, responsible = $9, by_label = $10, \
         updated_at = $11 WHERE id = $12",
    )
    .bind(new.direction.code())
    .bind(date_text(new.raised_on))
    .bind(&new.raised_by)
    .bind(new.organisation_id.map(|o| o.0))
    .bind(new.organisation_name.as_deref())
    .bind(new.meeting_id)
    .bind(&new.details)
    .bind(&new.action_agreed)
    .bind(&new.responsible)
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Closes an entry (resolved or not), or with `None` reopens it.
pub async fn set_closure(conn: &mut Conn, id: i64, closure: Option<&NewClosure>, by: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE challenge_entries SET status = $1, closed_on = $2, closure = $3, by_label = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(closure.map_or(Status::Open, |c| c.outcome).code())
    .bind(closure.map(|c| date_text(c.closed_on)))
    .bind(closure.map(|c| c.closure.clone()))
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn challenge(conn: &mut Conn, id: i64) -> StoreResult<Challenge> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    challenge_from(&row)
}

/// A partnership's log, the latest raised first; `orgs` limits it to entries concerning some
/// organisations (an agency lead's own).
pub async fn challenges_in(
    conn: &mut Conn,
    p: PartnershipId,
    orgs: Option<&[OrganisationId]>,
) -> StoreResult<Vec<Challenge>> {
    let only = match orgs {
        None => String::new(),
        Some([]) => " AND 1 = 0".into(),
        Some(ids) => {
            format!(" AND c.organisation_id IN ({})", ids.iter().map(|o| o.0.to_string()).collect::<Vec<_>>().join(","))
        }
    };
    let rows =
        sqlx::query(&format!("{SELECT} WHERE c.partnership_id = $1{only} ORDER BY c.raised_on DESC, c.number DESC"))
            .bind(p.0)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(challenge_from).collect()
}

/// The entries a meeting raised, in the order they were added.
pub async fn of_meeting(conn: &mut Conn, meeting: i64) -> StoreResult<Vec<Challenge>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE c.meeting_id = $1 ORDER BY c.number"))
        .bind(meeting)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(challenge_from).collect()
}

/// One progress update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub id: i64,
    pub on: NaiveDate,
    pub progress: String,
    pub by_label: String,
}

fn progress_from(r: &AnyRow) -> StoreResult<Progress> {
    Ok(Progress {
        id: r.try_get("id")?,
        on: parse_date("progress_on", r.try_get("progress_on")?)?
            .ok_or_else(|| StoreError::Corrupt("challenge_progress.progress_on".into()))?,
        progress: r.try_get("progress")?,
        by_label: r.try_get("by_label")?,
    })
}

pub async fn insert_progress(conn: &mut Conn, challenge: i64, new: &NewProgress, by: &str) -> StoreResult<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO challenge_progress (challenge_id, progress_on, progress, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(challenge)
    .bind(date_text(new.on))
    .bind(&new.progress)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    sqlx::query("UPDATE challenge_entries SET updated_at = $1 WHERE id = $2")
        .bind(now_text())
        .bind(challenge)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// An entry's progress, in the order it came.
pub async fn progress_of(conn: &mut Conn, challenge: i64) -> StoreResult<Vec<Progress>> {
    let rows = sqlx::query(
        "SELECT id, progress_on, progress, by_label FROM challenge_progress WHERE challenge_id = $1 \
         ORDER BY progress_on, id",
    )
    .bind(challenge)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(progress_from).collect()
}

pub async fn link_action(conn: &mut Conn, challenge: i64, action: ActionId, by: &str) -> StoreResult<()> {
    sqlx::query("INSERT INTO challenge_actions (challenge_id, action_id, by_label, linked_at) VALUES ($1, $2, $3, $4)")
        .bind(challenge)
        .bind(action.0)
        .bind(by)
        .bind(now_text())
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn unlink_action(conn: &mut Conn, challenge: i64, action: ActionId) -> StoreResult<()> {
    sqlx::query("DELETE FROM challenge_actions WHERE challenge_id = $1 AND action_id = $2")
        .bind(challenge)
        .bind(action.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An action on the plan an entry produced: (id, what it is, its status code, its target day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkedAction {
    pub challenge_id: i64,
    pub action_id: ActionId,
    pub text: String,
    pub status: String,
    pub target_on: NaiveDate,
}

/// The plan's actions a partnership's entries produced (or one entry's).
pub async fn linked_actions(
    conn: &mut Conn,
    p: PartnershipId,
    challenge: Option<i64>,
) -> StoreResult<Vec<LinkedAction>> {
    let rows = sqlx::query(
        "SELECT l.challenge_id, a.id AS action_id, a.text, a.status, a.target_on FROM challenge_actions l \
         JOIN challenge_entries c ON c.id = l.challenge_id JOIN plan_actions a ON a.id = l.action_id \
         WHERE c.partnership_id = $1 AND ($2 = 0 OR l.challenge_id = $2) ORDER BY l.challenge_id, a.id",
    )
    .bind(p.0)
    .bind(challenge.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LinkedAction {
                challenge_id: r.try_get("challenge_id")?,
                action_id: ActionId(r.try_get("action_id")?),
                text: r.try_get("text")?,
                status: r.try_get("status")?,
                target_on: parse_date("target_on", r.try_get("target_on")?)?
                    .ok_or_else(|| StoreError::Corrupt("target_on".into()))?,
            })
        })
        .collect()
}

/// How many days an open entry may stand before it is flagged.
pub async fn flag_after_days(conn: &mut Conn, p: PartnershipId) -> StoreResult<i64> {
    let row = sqlx::query("SELECT flag_after_days FROM challenge_settings WHERE partnership_id = $1")
        .bind(p.0)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(r) => r.try_get("flag_after_days")?,
        None => assure_domain::challenges::DEFAULT_FLAG_AFTER_DAYS,
    })
}

pub async fn set_flag_after_days(conn: &mut Conn, p: PartnershipId, days: i64, by: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM challenge_settings WHERE partnership_id = $1").bind(p.0).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO challenge_settings (partnership_id, flag_after_days, by_label, updated_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(p.0)
    .bind(days)
    .bind(by)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every progress update on a partnership's entries: (entry's id, progress), entry by entry.
pub async fn progress_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<(i64, Progress)>> {
    let rows = sqlx::query(
        "SELECT g.challenge_id, g.id, g.progress_on, g.progress, g.by_label FROM challenge_progress g \
         JOIN challenge_entries c ON c.id = g.challenge_id WHERE c.partnership_id = $1 \
         ORDER BY c.number, g.progress_on, g.id",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("challenge_id")?, progress_from(r)?))).collect()
}
