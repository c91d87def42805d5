//! The record of a meeting: declarations, each item's minutes, decisions, actions, and the
//! minutes' approval.

use assure_domain::meetings::minutes::{ActionState, NewDecision, NewDeclaration, NewMeetingAction};
use assure_domain::structure::Choice;
use assure_domain::{AgendaItemId, BodyId, MeetingId, PartnershipId, UserId};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, date_text, flag, now_text, parse_date};

pub const TABLES: &[Table] = &[
    (
        "meeting_minutes",
        &[
            ("meeting_id", Int),
            ("approved_at_meeting_id", Int),
            ("approved_by_label", Text),
            ("approved_at", Text),
            ("by_label", Text),
            ("updated_at", Text),
        ],
    ),
    ("item_minutes", &[("item_id", Int), ("text", Text), ("by_label", Text), ("updated_at", Text)]),
    (
        "declarations",
        &[
            ("id", Int),
            ("item_id", Int),
            ("person", Text),
            ("interest", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "decisions",
        &[
            ("id", Int),
            ("body_id", Int),
            ("number", Int),
            ("meeting_id", Int),
            ("item_id", Int),
            ("text", Text),
            ("by_label", Text),
            ("created_at", Text),
        ],
    ),
    (
        "meeting_actions",
        &[
            ("id", Int),
            ("meeting_id", Int),
            ("item_id", Int),
            ("text", Text),
            ("owner_user_id", Int),
            ("due_on", Text),
            ("state", Text),
            ("done_on", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
];

/// A meeting's minutes approved as a correct record: at which meeting, by whom, when (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub at_meeting: MeetingId,
    pub at_held_on: NaiveDate,
    pub by_label: String,
    pub at: String,
}

/// When the minutes were last changed, and the approval if given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinutesState {
    pub by_label: String,
    pub updated_at: String,
    pub approval: Option<Approval>,
}

pub async fn state(conn: &mut Conn, meeting: MeetingId) -> StoreResult<Option<MinutesState>> {
    let row = sqlx::query(
        "SELECT n.approved_at_meeting_id, a.held_on AS at_held_on, n.approved_by_label, n.approved_at, n.by_label, \
         n.updated_at FROM meeting_minutes n LEFT JOIN meetings a ON a.id = n.approved_at_meeting_id \
         WHERE n.meeting_id = $1",
    )
    .bind(meeting.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let approval = match (
        r.try_get::<Option<i64>, _>("approved_at_meeting_id")?,
        r.try_get::<Option<String>, _>("approved_at")?,
    ) {
        (Some(at_meeting), Some(at)) => Some(Approval {
            at_meeting: MeetingId(at_meeting),
            at_held_on: parse_date("at_held_on", r.try_get("at_held_on")?)?
                .ok_or_else(|| StoreError::Corrupt("at_held_on".into()))?,
            by_label: r.try_get::<Option<String>, _>("approved_by_label")?.unwrap_or_default(),
            at,
        }),
        _ => None,
    };
    Ok(Some(MinutesState { by_label: r.try_get("by_label")?, updated_at: r.try_get("updated_at")?, approval }))
}

/// Notes that the minutes were changed now by `by`.
pub async fn touch(conn: &mut Conn, meeting: MeetingId, by: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO meeting_minutes (meeting_id, by_label, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (meeting_id) DO UPDATE SET by_label = excluded.by_label, updated_at = excluded.updated_at",
    )
    .bind(meeting.0)
    .bind(by)
    .bind(now_text())
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn approve(conn: &mut Conn, meeting: MeetingId, at: MeetingId, by: &str) -> StoreResult<()> {
    touch(conn, meeting, by).await?;
    sqlx::query(
        "UPDATE meeting_minutes SET approved_at_meeting_id = $1, approved_by_label = $2, approved_at = $3 \
         WHERE meeting_id = $4",
    )
    .bind(at.0)
    .bind(by)
    .bind(now_text())
    .bind(meeting.0)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Each item's minutes, for a meeting's items.
pub async fn item_minutes(conn: &mut Conn, meeting: MeetingId) -> StoreResult<Vec<(AgendaItemId, String)>> {
    let rows = sqlx::query(
        "SELECT n.item_id, n.text FROM item_minutes n JOIN agenda_items i ON i.id = n.item_id WHERE i.meeting_id = $1",
    )
    .bind(meeting.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((AgendaItemId(r.try_get("item_id")?), r.try_get("text")?))).collect()
}

/// Sets an item's minutes, or (with `None`) clears them.
pub async fn set_item_minutes(conn: &mut Conn, item: AgendaItemId, text: Option<&str>, by: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM item_minutes WHERE item_id = $1").bind(item.0).execute(&mut *conn).await?;
    if let Some(text) = text {
        sqlx::query("INSERT INTO item_minutes (item_id, text, by_label, updated_at) VALUES ($1, $2, $3, $4)")
            .bind(item.0)
            .bind(text)
            .bind(by)
            .bind(now_text())
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_write)?;
    }
    Ok(())
}

/// How many declarations, decisions and actions an item carries.
pub async fn records_on_item(conn: &mut Conn, item: AgendaItemId) -> StoreResult<i64> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM declarations WHERE item_id = $1) + (SELECT COUNT(*) FROM decisions WHERE item_id = $1) \
         + (SELECT COUNT(*) FROM meeting_actions WHERE item_id = $1) AS n",
    )
    .bind(item.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(r.try_get("n")?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Declaration {
    pub id: i64,
    pub item_id: AgendaItemId,
    pub person: String,
    pub interest: String,
    pub by_label: String,
}

pub async fn declarations(conn: &mut Conn, meeting: MeetingId) -> StoreResult<Vec<Declaration>> {
    let rows = sqlx::query(
        "SELECT d.id, d.item_id, d.person, d.interest, d.by_label FROM declarations d \
         JOIN agenda_items i ON i.id = d.item_id WHERE i.meeting_id = $1 ORDER BY d.id",
    )
    .bind(meeting.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Declaration {
                id: r.try_get("id")?,
                item_id: AgendaItemId(r.try_get("item_id")?),
                person: r.try_get("person")?,
                interest: r.try_get("interest")?,
                by_label: r.try_get("by_label")?,
            })
        })
        .collect()
}

pub async fn insert_declaration(conn: &mut Conn, new: &NewDeclaration, by: &str) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO declarations (item_id, person, interest, by_label, created_at) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id",
    )
    .bind(new.item_id)
    .bind(&new.person)
    .bind(&new.interest)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// A decision, with what the rules and a search need of its meeting and item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub id: i64,
    pub body_id: BodyId,
    pub body_name: String,
    pub body_restricted: bool,
    /// Its number among the body's decisions, from 1.
    pub number: i64,
    pub meeting_id: MeetingId,
    pub held_on: NaiveDate,
    pub item_id: Option<AgendaItemId>,
    pub item_restricted: bool,
    pub text: String,
    pub by_label: String,
}

const SELECT_DECISION: &str = "SELECT d.id, d.body_id, b.name AS body_name, b.restricted AS body_restricted, d.number, \
    d.meeting_id, m.held_on, d.item_id, COALESCE(i.restricted, 0) AS item_restricted, d.text, d.by_label \
    FROM decisions d JOIN bodies b ON b.id = d.body_id JOIN meetings m ON m.id = d.meeting_id \
    LEFT JOIN agenda_items i ON i.id = d.item_id";

fn decision_from(r: &AnyRow) -> StoreResult<Decision> {
    Ok(Decision {
        id: r.try_get("id")?,
        body_id: BodyId(r.try_get("body_id")?),
        body_name: r.try_get("body_name")?,
        body_restricted: flag(r, "body_restricted")?,
        number: r.try_get("number")?,
        meeting_id: MeetingId(r.try_get("meeting_id")?),
        held_on: parse_date("held_on", r.try_get("held_on")?)?.ok_or_else(|| StoreError::Corrupt("held_on".into()))?,
        item_id: r.try_get::<Option<i64>, _>("item_id")?.map(AgendaItemId),
        item_restricted: flag(r, "item_restricted")?,
        text: r.try_get("text")?,
        by_label: r.try_get("by_label")?,
    })
}

pub async fn decisions(conn: &mut Conn, meeting: MeetingId) -> StoreResult<Vec<Decision>> {
    let rows = sqlx::query(&format!("{SELECT_DECISION} WHERE d.meeting_id = $1 ORDER BY d.number"))
        .bind(meeting.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(decision_from).collect()
}

/// Records a decision under the body's next number.
pub async fn insert_decision(
    conn: &mut Conn,
    body: BodyId,
    meeting: MeetingId,
    new: &NewDecision,
    by: &str,
) -> StoreResult<(i64, i64)> {
    let last: Option<i64> = sqlx::query("SELECT MAX(number) AS last FROM decisions WHERE body_id = $1")
        .bind(body.0)
        .fetch_one(&mut *conn)
        .await?
        .try_get("last")?;
    let number = last.unwrap_or(0) + 1;
    let id: i64 = sqlx::query(
        "INSERT INTO decisions (body_id, number, meeting_id, item_id, text, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(body.0)
    .bind(number)
    .bind(meeting.0)
    .bind(new.item_id)
    .bind(&new.text)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok((id, number))
}

/// The partnership's decisions whose wording contains `words` (any case), the latest first, at
/// most `limit`: the rules are applied by the caller.
pub async fn search_decisions(
    conn: &mut Conn,
    p: PartnershipId,
    words: &str,
    limit: i64,
) -> StoreResult<Vec<Decision>> {
    let pattern = format!("%{}%", words.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let rows = sqlx::query(&format!(
        "{SELECT_DECISION} WHERE b.partnership_id = $1 AND LOWER(d.text) LIKE $2 ESCAPE '\\' \
         ORDER BY m.held_on DESC, d.number DESC LIMIT $3"
    ))
    .bind(p.0)
    .bind(pattern)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(decision_from).collect()
}

/// An action from a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingAction {
    pub id: i64,
    pub meeting_id: MeetingId,
    pub body_id: BodyId,
    pub body_name: String,
    pub body_restricted: bool,
    pub partnership_id: PartnershipId,
    pub held_on: NaiveDate,
    pub item_id: Option<AgendaItemId>,
    pub item_restricted: bool,
    pub text: String,
    pub owner_user_id: UserId,
    pub owner_email: String,
    pub due_on: NaiveDate,
    pub state: ActionState,
    pub done_on: Option<NaiveDate>,
    pub by_label: String,
}

const SELECT_ACTION: &str = "SELECT a.id, a.meeting_id, m.body_id, b.name AS body_name, b.restricted AS body_restricted, \
    b.partnership_id, m.held_on, a.item_id, COALESCE(i.restricted, 0) AS item_restricted, a.text, a.owner_user_id, \
    u.email AS owner_email, a.due_on, a.state, a.done_on, a.by_label FROM meeting_actions a \
    JOIN meetings m ON m.id = a.meeting_id JOIN bodies b ON b.id = m.body_id JOIN users u ON u.id = a.owner_user_id \
    LEFT JOIN agenda_items i ON i.id = a.item_id";

fn action_from(r: &AnyRow) -> StoreResult<MeetingAction> {
    let state: String = r.try_get("state")?;
    Ok(MeetingAction {
        id: r.try_get("id")?,
        meeting_id: MeetingId(r.try_get("meeting_id")?),
        body_id: BodyId(r.try_get("body_id")?),
        body_name: r.try_get("body_name")?,
        body_restricted: flag(r, "body_restricted")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        held_on: parse_date("held_on", r.try_get("held_on")?)?.ok_or_else(|| StoreError::Corrupt("held_on".into()))?,
        item_id: r.try_get::<Option<i64>, _>("item_id")?.map(AgendaItemId),
        item_restricted: flag(r, "item_restricted")?,
        text: r.try_get("text")?,
        owner_user_id: UserId(r.try_get("owner_user_id")?),
        owner_email: r.try_get("owner_email")?,
        due_on: parse_date("due_on", r.try_get("due_on")?)?.ok_or_else(|| StoreError::Corrupt("due_on".into()))?,
        state: ActionState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("action state {state}")))?,
        done_on: parse_date("done_on", r.try_get("done_on")?)?,
        by_label: r.try_get("by_label")?,
    })
}

pub async fn actions(conn: &mut Conn, meeting: MeetingId) -> StoreResult<Vec<MeetingAction>> {
    let rows = sqlx::query(&format!("{SELECT_ACTION} WHERE a.meeting_id = $1 ORDER BY a.id"))
        .bind(meeting.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(action_from).collect()
}

pub async fn action(conn: &mut Conn, id: i64) -> StoreResult<MeetingAction> {
    let row = sqlx::query(&format!("{SELECT_ACTION} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    action_from(&row)
}

/// The open actions of a partnership's meetings: of one owner, or (with `None`) everyone's.
pub async fn open_actions(conn: &mut Conn, p: PartnershipId, owner: Option<UserId>) -> StoreResult<Vec<MeetingAction>> {
    let rows = sqlx::query(&format!(
        "{SELECT_ACTION} WHERE b.partnership_id = $1 AND a.state = 'open' AND ($2 = 0 OR a.owner_user_id = $2) \
         ORDER BY a.due_on, a.id"
    ))
    .bind(p.0)
    .bind(owner.map(|u| u.0).unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(action_from).collect()
}

pub async fn insert_action(
    conn: &mut Conn,
    meeting: MeetingId,
    new: &NewMeetingAction,
    owner: UserId,
    by: &str,
) -> StoreResult<i64> {
    let now = now_text();
    Ok(sqlx::query(
        "INSERT INTO meeting_actions (meeting_id, item_id, text, owner_user_id, due_on, state, done_on, by_label, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'open', NULL, $6, $7, $7) RETURNING id",
    )
    .bind(meeting.0)
    .bind(new.item_id)
    .bind(&new.text)
    .bind(owner.0)
    .bind(date_text(new.due_on))
    .bind(by)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

pub async fn set_action_state(
    conn: &mut Conn,
    id: i64,
    state: ActionState,
    done_on: Option<NaiveDate>,
    by: &str,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE meeting_actions SET state = $1, done_on = $2, by_label = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(state.code())
    .bind(done_on.map(date_text))
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
