//! What treats a risk: the controls on it, and the plan's actions linked to it.

use assure_domain::risks::NewControl;
use assure_domain::{ActionId, RiskControlId, RiskId, RiskRegisterId};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Conn, StoreError, StoreResult, flag, now_text, parse_date};

/// A control on a risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Control {
    pub id: RiskControlId,
    pub risk_id: RiskId,
    pub description: String,
    pub owner: Option<String>,
    pub timeframe: Option<String>,
    pub in_place: bool,
    pub by_label: String,
    pub updated_at: String,
}

/// An action on the plan that treats a risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkedAction {
    pub risk_id: RiskId,
    pub action_id: ActionId,
    pub text: String,
    pub status: String,
    pub target_on: NaiveDate,
}

fn control_from(r: &AnyRow) -> StoreResult<Control> {
    Ok(Control {
        id: RiskControlId(r.try_get("id")?),
        risk_id: RiskId(r.try_get("risk_id")?),
        description: r.try_get("description")?,
        owner: r.try_get("owner")?,
        timeframe: r.try_get("timeframe")?,
        in_place: flag(r, "in_place")?,
        by_label: r.try_get("by_label")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn insert_control(conn: &mut Conn, risk: RiskId, new: &NewControl, by: &str) -> StoreResult<RiskControlId> {
    let id: i64 = sqlx::query(
        "INSERT INTO risk_controls (risk_id, description, owner, timeframe, in_place, by_label, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(risk.0)
    .bind(&new.description)
    .bind(new.owner.as_deref())
    .bind(new.timeframe.as_deref())
    .bind(i64::from(new.in_place))
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(RiskControlId(id))
}

pub async fn update_control(conn: &mut Conn, id: RiskControlId, new: &NewControl, by: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE risk_controls SET description = $1, owner = $2, timeframe = $3, in_place = $4, by_label = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(&new.description)
    .bind(new.owner.as_deref())
    .bind(new.timeframe.as_deref())
    .bind(i64::from(new.in_place))
    .bind(by)
    .bind(now_text())
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn delete_control(conn: &mut Conn, id: RiskControlId) -> StoreResult<()> {
    sqlx::query("DELETE FROM risk_controls WHERE id = $1").bind(id.0).execute(&mut *conn).await?;
    Ok(())
}

pub async fn control(conn: &mut Conn, id: RiskControlId) -> StoreResult<Control> {
    let row = sqlx::query(
        "SELECT id, risk_id, description, owner, timeframe, in_place, by_label, updated_at FROM risk_controls WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    control_from(&row)
}

/// The controls on a register's risks (or one risk's), in the order added.
pub async fn controls(conn: &mut Conn, register: RiskRegisterId, risk: Option<RiskId>) -> StoreResult<Vec<Control>> {
    let rows = sqlx::query(
        "SELECT k.id, k.risk_id, k.description, k.owner, k.timeframe, k.in_place, k.by_label, k.updated_at \
         FROM risk_controls k JOIN risks r ON r.id = k.risk_id WHERE r.register_id = $1 \
         AND ($2 = 0 OR k.risk_id = $2) ORDER BY k.risk_id, k.id",
    )
    .bind(register.0)
    .bind(risk.map_or(0, |r| r.0))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(control_from).collect()
}

pub async fn link_action(conn: &mut Conn, risk: RiskId, action: ActionId, by: &str) -> StoreResult<()> {
    sqlx::query("INSERT INTO risk_actions (risk_id, action_id, by_label, linked_at) VALUES ($1, $2, $3, $4)")
        .bind(risk.0)
        .bind(action.0)
        .bind(by)
        .bind(now_text())
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn unlink_action(conn: &mut Conn, risk: RiskId, action: ActionId) -> StoreResult<()> {
    sqlx::query("DELETE FROM risk_actions WHERE risk_id = $1 AND action_id = $2")
        .bind(risk.0)
        .bind(action.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The plan's actions that treat a register's risks (or one risk's).
pub async fn linked_actions(
    conn: &mut Conn,
    register: RiskRegisterId,
    risk: Option<RiskId>,
) -> StoreResult<Vec<LinkedAction>> {
    let rows = sqlx::query(
        "SELECT l.risk_id, a.id AS action_id, a.text, a.status, a.target_on FROM risk_actions l \
         JOIN risks r ON r.id = l.risk_id JOIN plan_actions a ON a.id = l.action_id \
         WHERE r.register_id = $1 AND ($2 = 0 OR l.risk_id = $2) ORDER BY l.risk_id, a.id",
    )
    .bind(register.0)
    .bind(risk.map_or(0, |r| r.0))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LinkedAction {
                risk_id: RiskId(r.try_get("risk_id")?),
                action_id: ActionId(r.try_get("action_id")?),
                text: r.try_get("text")?,
                status: r.try_get("status")?,
                target_on: parse_date("target_on", r.try_get("target_on")?)?
                    .ok_or_else(|| StoreError::Corrupt("target_on".into()))?,
            })
        })
        .collect()
}
