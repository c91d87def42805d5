//! Strategies, their priorities, activities (of a priority, a subgroup's work plan, or both) with
//! the quarters they are scheduled in, and every dated update of an activity. An activity row
//! carries its standing as of its latest update (by day), so lists read it without the history.

use assure_domain::strategy::{Marker, NewActivity, NewPriority, NewStrategy, NewUpdate, Quarter, Rag, Status};
use assure_domain::structure::{ArmKind, Choice};
use assure_domain::{BodyId, OrganisationId, PartnershipId};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, date_text, now_text, parse_date};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "strategies",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("name", Text),
            ("arm", Text),
            ("from_year", Int),
            ("to_year", Int),
            ("extended_to", Int),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "strategy_priorities",
        &[
            ("id", Int),
            ("strategy_id", Int),
            ("number", Text),
            ("title", Text),
            ("outcome", Text),
            ("measure", Text),
            ("indicators", Text),
            ("position", Int),
            ("by_label", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "activities",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("priority_id", Int),
            ("body_id", Int),
            ("organisation_id", Int),
            ("lead", Text),
            ("title", Text),
            ("first_quarter", Int),
            ("last_quarter", Int),
            ("status", Text),
            ("rag", Text),
            ("marker", Text),
            ("marker_reason", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    ("activity_quarters", &[("activity_id", Int), ("quarter", Int)]),
    (
        "activity_updates",
        &[
            ("id", Int),
            ("activity_id", Int),
            ("on_day", Text),
            ("text", Text),
            ("status", Text),
            ("rag", Text),
            ("marker", Text),
            ("marker_reason", Text),
            ("evidence", Text),
            ("by_label", Text),
            ("recorded_at", Text),
        ],
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Strategy {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub name: String,
    pub arm: Option<ArmKind>,
    pub from_year: i32,
    pub to_year: i32,
    pub extended_to: Option<i32>,
    pub by_label: String,
    pub updated_at: String,
}

impl Strategy {
    /// Its first and last quarters, with the extension.
    pub fn quarters(&self) -> (Quarter, Quarter) {
        assure_domain::strategy::period(self.from_year, self.extended_to.unwrap_or(self.to_year))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Priority {
    pub id: i64,
    pub strategy_id: i64,
    pub number: String,
    pub title: String,
    pub outcome: Option<String>,
    pub measure: Option<String>,
    pub indicators: Vec<String>,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub id: i64,
    pub partnership_id: PartnershipId,
    pub priority_id: Option<i64>,
    /// The priority's number and its strategy, when it has one.
    pub priority_number: Option<String>,
    pub strategy_id: Option<i64>,
    pub body_id: Option<BodyId>,
    pub body_name: Option<String>,
    /// The subgroup that leads it is restricted: only its members and those who see everything
    /// see the activity.
    pub body_restricted: bool,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub lead: Option<String>,
    pub title: String,
    /// In order.
    pub quarters: Vec<Quarter>,
    pub status: Status,
    pub rag: Option<Rag>,
    pub marker: Option<Marker>,
    pub marker_reason: Option<String>,
    pub updated_at: String,
}

impl Activity {
    /// The quarter it is due: its last scheduled quarter.
    pub fn due(&self) -> Option<Quarter> {
        self.quarters.last().copied()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Update {
    pub id: i64,
    pub activity_id: i64,
    pub on: NaiveDate,
    pub text: String,
    pub status: Status,
    pub rag: Option<Rag>,
    pub marker: Option<Marker>,
    pub marker_reason: Option<String>,
    pub evidence: Vec<String>,
    pub by_label: String,
    pub recorded_at: String,
}

fn choice<C: Choice>(field: &str, raw: Option<String>) -> StoreResult<Option<C>> {
    raw.map(|c| C::parse(&c).ok_or_else(|| StoreError::Corrupt(format!("{field} {c}")))).transpose()
}

const STRATEGY_SELECT: &str = "SELECT id, partnership_id, name, arm, from_year, to_year, extended_to, by_label, \
    updated_at FROM strategies";

fn strategy_from(r: &AnyRow) -> StoreResult<Strategy> {
    let year = |c: &str| -> StoreResult<i32> {
        i32::try_from(r.try_get::<i64, _>(c)?).map_err(|_| StoreError::Corrupt(c.into()))
    };
    Ok(Strategy {
        id: r.try_get("id")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        name: r.try_get("name")?,
        arm: choice("arm", r.try_get("arm")?)?,
        from_year: year("from_year")?,
        to_year: year("to_year")?,
        extended_to: r.try_get::<Option<i64>, _>("extended_to")?.and_then(|y| i32::try_from(y).ok()),
        by_label: r.try_get("by_label")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn insert_strategy(conn: &mut Conn, p: PartnershipId, new: &NewStrategy, by: &str) -> StoreResult<i64> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO strategies (partnership_id, name, arm, from_year, to_year, extended_to, by_label, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(p.0)
    .bind(&new.name)
    .bind(new.arm.map(|a| a.code()))
    .bind(i64::from(new.from_year))
    .bind(i64::from(new.to_year))
    .bind(new.extended_to.map(i64::from))
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

pub async fn update_strategy(conn: &mut Conn, id: i64, new: &NewStrategy, by: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE strategies SET name = $1, arm = $2, from_year = $3, to_year = $4, extended_to = $5, by_label = $6, \
         updated_at = $7 WHERE id = $8",
    )
    .bind(&new.name)
    .bind(new.arm.map(|a| a.code()))
    .bind(i64::from(new.from_year))
    .bind(i64::from(new.to_year))
    .bind(new.extended_to.map(i64::from))
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn strategy(conn: &mut Conn, id: i64) -> StoreResult<Strategy> {
    let row = sqlx::query(&format!("{STRATEGY_SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    strategy_from(&row)
}

/// A partnership's strategies, the latest first.
pub async fn strategies_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Strategy>> {
    let rows = sqlx::query(&format!("{STRATEGY_SELECT} WHERE partnership_id = $1 ORDER BY from_year DESC, id DESC"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(strategy_from).collect()
}

fn priority_from(r: &AnyRow) -> StoreResult<Priority> {
    let indicators: String = r.try_get("indicators")?;
    Ok(Priority {
        id: r.try_get("id")?,
        strategy_id: r.try_get("strategy_id")?,
        number: r.try_get("number")?,
        title: r.try_get("title")?,
        outcome: r.try_get("outcome")?,
        measure: r.try_get("measure")?,
        indicators: indicators.split(',').filter(|c| !c.is_empty()).map(str::to_owned).collect(),
        position: r.try_get("position")?,
    })
}

pub async fn insert_priority(conn: &mut Conn, strategy: i64, new: &NewPriority, by: &str) -> StoreResult<i64> {
    let position: i64 =
        sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 AS next FROM strategy_priorities WHERE strategy_id = $1")
            .bind(strategy)
            .fetch_one(&mut *conn)
            .await?
            .try_get("next")?;
    let id: i64 = sqlx::query(
        "INSERT INTO strategy_priorities (strategy_id, number, title, outcome, measure, indicators, position, \
         by_label, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(strategy)
    .bind(&new.number)
    .bind(&new.title)
    .bind(new.outcome.as_deref())
    .bind(new.measure.as_deref())
    .bind(new.indicators.join(","))
    .bind(position)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

pub async fn update_priority(conn: &mut Conn, id: i64, new: &NewPriority, by: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE strategy_priorities SET number = $1, title = $2, outcome = $3, measure = $4, indicators = $5, \
         by_label = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(&new.number)
    .bind(&new.title)
    .bind(new.outcome.as_deref())
    .bind(new.measure.as_deref())
    .bind(new.indicators.join(","))
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

const PRIORITY_SELECT: &str =
    "SELECT id, strategy_id, number, title, outcome, measure, indicators, position FROM strategy_priorities";

pub async fn priority(conn: &mut Conn, id: i64) -> StoreResult<Priority> {
    let row = sqlx::query(&format!("{PRIORITY_SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    priority_from(&row)
}

/// A strategy's priorities, in order.
pub async fn priorities(conn: &mut Conn, strategy: i64) -> StoreResult<Vec<Priority>> {
    let rows = sqlx::query(&format!("{PRIORITY_SELECT} WHERE strategy_id = $1 ORDER BY position, id"))
        .bind(strategy)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(priority_from).collect()
}

/// Every priority of a partnership's strategies, strategy by strategy, each in order.
pub async fn priorities_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Priority>> {
    let rows = sqlx::query(
        "SELECT x.id, x.strategy_id, x.number, x.title, x.outcome, x.measure, x.indicators, x.position \
         FROM strategy_priorities x JOIN strategies s ON s.id = x.strategy_id WHERE s.partnership_id = $1 \
         ORDER BY x.strategy_id, x.position, x.id",
    )
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(priority_from).collect()
}

const ACTIVITY_SELECT: &str = "SELECT a.id, a.partnership_id, a.priority_id, p.number AS priority_number, \
    p.strategy_id, a.body_id, b.name AS body_name, COALESCE(b.restricted, 0) AS body_restricted, a.organisation_id, o.name AS organisation_name, a.lead, a.title, \
    a.status, a.rag, a.marker, a.marker_reason, a.updated_at, \
    (SELECT STRING_AGG(CAST(q.quarter AS TEXT), ',') FROM activity_quarters q WHERE q.activity_id = a.id) AS quarters \
    FROM activities a LEFT JOIN strategy_priorities p ON p.id = a.priority_id LEFT JOIN bodies b ON b.id = a.body_id \
    LEFT JOIN organisations o ON o.id = a.organisation_id";

fn activity_from(r: &AnyRow) -> StoreResult<Activity> {
    let quarters: Option<String> = r.try_get("quarters")?;
    let mut quarters: Vec<Quarter> = quarters
        .unwrap_or_default()
        .split(',')
        .filter(|q| !q.is_empty())
        .map(|q| q.parse::<i32>().map(Quarter::from_index).map_err(|_| StoreError::Corrupt(format!("quarter {q}"))))
        .collect::<StoreResult<_>>()?;
    quarters.sort();
    let status: String = r.try_get("status")?;
    Ok(Activity {
        id: r.try_get("id")?,
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        priority_id: r.try_get("priority_id")?,
        priority_number: r.try_get("priority_number")?,
        strategy_id: r.try_get("strategy_id")?,
        body_id: r.try_get::<Option<i64>, _>("body_id")?.map(BodyId),
        body_name: r.try_get("body_name")?,
        body_restricted: crate::db::flag(r, "body_restricted")?,
        organisation_id: r.try_get::<Option<i64>, _>("organisation_id")?.map(OrganisationId),
        organisation_name: r.try_get("organisation_name")?,
        lead: r.try_get("lead")?,
        title: r.try_get("title")?,
        quarters,
        status: Status::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
        rag: choice("rag", r.try_get("rag")?)?,
        marker: choice("marker", r.try_get("marker")?)?,
        marker_reason: r.try_get("marker_reason")?,
        updated_at: r.try_get("updated_at")?,
    })
}

async fn set_quarters(conn: &mut Conn, id: i64, quarters: &[Quarter]) -> StoreResult<()> {
    sqlx::query("DELETE FROM activity_quarters WHERE activity_id = $1").bind(id).execute(&mut *conn).await?;
    for q in quarters {
        sqlx::query("INSERT INTO activity_quarters (activity_id, quarter) VALUES ($1, $2)")
            .bind(id)
            .bind(i64::from(q.index()))
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from_write)?;
    }
    Ok(())
}

fn span(quarters: &[Quarter]) -> (i64, i64) {
    let first = quarters.first().map_or(0, |q| q.index());
    let last = quarters.last().map_or(0, |q| q.index());
    (i64::from(first), i64::from(last))
}

pub async fn insert_activity(
    conn: &mut Conn,
    p: PartnershipId,
    priority: Option<i64>,
    new: &NewActivity,
    by: &str,
) -> StoreResult<i64> {
    let now = now_text();
    let (first, last) = span(&new.quarters);
    let id: i64 = sqlx::query(
        "INSERT INTO activities (partnership_id, priority_id, body_id, organisation_id, lead, title, first_quarter, \
         last_quarter, status, by_label, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'not_started', $9, $10, $10) RETURNING id",
    )
    .bind(p.0)
    .bind(priority)
    .bind(new.body_id.map(|b| b.0))
    .bind(new.organisation_id.map(|o| o.0))
    .bind(new.lead.as_deref())
    .bind(&new.title)
    .bind(first)
    .bind(last)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    set_quarters(conn, id, &new.quarters).await?;
    Ok(id)
}

pub async fn update_activity(conn: &mut Conn, id: i64, new: &NewActivity, by: &str) -> StoreResult<()> {
    let (first, last) = span(&new.quarters);
    sqlx::query(
        "UPDATE activities SET body_id = $1, organisation_id = $2, lead = $3, title = $4, first_quarter = $5, \
         last_quarter = $6, by_label = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(new.body_id.map(|b| b.0))
    .bind(new.organisation_id.map(|o| o.0))
    .bind(new.lead.as_deref())
    .bind(&new.title)
    .bind(first)
    .bind(last)
    .bind(by)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    set_quarters(conn, id, &new.quarters).await
}

pub async fn activity(conn: &mut Conn, id: i64) -> StoreResult<Activity> {
    let row = sqlx::query(&format!("{ACTIVITY_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    activity_from(&row)
}

/// A strategy's activities, by priority then schedule.
pub async fn activities_of_strategy(conn: &mut Conn, strategy: i64) -> StoreResult<Vec<Activity>> {
    let rows = sqlx::query(&format!(
        "{ACTIVITY_SELECT} WHERE p.strategy_id = $1 ORDER BY p.position, a.first_quarter, a.last_quarter, a.id"
    ))
    .bind(strategy)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(activity_from).collect()
}

/// A subgroup's work plan: the activities it leads, by schedule.
pub async fn activities_of_body(conn: &mut Conn, body: BodyId) -> StoreResult<Vec<Activity>> {
    let rows =
        sqlx::query(&format!("{ACTIVITY_SELECT} WHERE a.body_id = $1 ORDER BY a.first_quarter, a.last_quarter, a.id"))
            .bind(body.0)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(activity_from).collect()
}

/// How many of a body's activities are scheduled in a quarter.
pub async fn scheduled_in(conn: &mut Conn, body: BodyId, quarter: Quarter) -> StoreResult<i64> {
    Ok(sqlx::query(
        "SELECT COUNT(*) AS n FROM activities a JOIN activity_quarters q ON q.activity_id = a.id \
         WHERE a.body_id = $1 AND q.quarter = $2",
    )
    .bind(body.0)
    .bind(i64::from(quarter.index()))
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?)
}

/// Sets an activity's standing as of its latest update.
pub async fn set_standing(
    conn: &mut Conn,
    id: i64,
    status: Status,
    rag: Option<Rag>,
    marker: Option<Marker>,
    marker_reason: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE activities SET status = $1, rag = $2, marker = $3, marker_reason = $4, updated_at = $5 WHERE id = $6",
    )
    .bind(status.code())
    .bind(rag.map(|r| r.code()))
    .bind(marker.map(|m| m.code()))
    .bind(marker_reason)
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn update_from(r: &AnyRow) -> StoreResult<Update> {
    let status: String = r.try_get("status")?;
    let evidence: String = r.try_get("evidence")?;
    Ok(Update {
        id: r.try_get("id")?,
        activity_id: r.try_get("activity_id")?,
        on: parse_date("on_day", r.try_get("on_day")?)?.ok_or_else(|| StoreError::Corrupt("on_day".into()))?,
        text: r.try_get("text")?,
        status: Status::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
        rag: choice("rag", r.try_get("rag")?)?,
        marker: choice("marker", r.try_get("marker")?)?,
        marker_reason: r.try_get("marker_reason")?,
        evidence: evidence.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        by_label: r.try_get("by_label")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

pub async fn insert_update(conn: &mut Conn, activity: i64, new: &NewUpdate, by: &str) -> StoreResult<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO activity_updates (activity_id, on_day, text, status, rag, marker, marker_reason, evidence, \
         by_label, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(activity)
    .bind(date_text(new.on))
    .bind(&new.text)
    .bind(new.status.code())
    .bind(new.rag.map(|r| r.code()))
    .bind(new.marker.map(|m| m.code()))
    .bind(new.marker_reason.as_deref())
    .bind(new.evidence.join("\n"))
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(id)
}

const UPDATE_COLUMNS: &str = "u.id, u.activity_id, u.on_day, u.text, u.status, u.rag, u.marker, u.marker_reason, \
    u.evidence, u.by_label, u.recorded_at";

/// An activity's updates, in the order of their days.
pub async fn updates_of_activity(conn: &mut Conn, activity: i64) -> StoreResult<Vec<Update>> {
    let rows = sqlx::query(&format!(
        "SELECT {UPDATE_COLUMNS} FROM activity_updates u WHERE u.activity_id = $1 ORDER BY u.on_day, u.id"
    ))
    .bind(activity)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(update_from).collect()
}

/// Every update of a strategy's activities on or before `by`, by activity then day.
pub async fn updates_of_strategy(conn: &mut Conn, strategy: i64, by: NaiveDate) -> StoreResult<Vec<Update>> {
    let rows = sqlx::query(&format!(
        "SELECT {UPDATE_COLUMNS} FROM activity_updates u JOIN activities a ON a.id = u.activity_id \
         JOIN strategy_priorities p ON p.id = a.priority_id WHERE p.strategy_id = $1 AND u.on_day <= $2 \
         ORDER BY u.activity_id, u.on_day, u.id"
    ))
    .bind(strategy)
    .bind(date_text(by))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(update_from).collect()
}
