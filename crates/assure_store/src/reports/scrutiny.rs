//! The scrutineer's own report: the pieces of scrutiny of its period, and the recommendations
//! with the partners' responses.

use assure_domain::PartnershipId;
use assure_domain::reports::{Method, NewActivity, NewPartnerResponse, NewRecommendation, Stance};
use assure_domain::structure::Choice;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::day;
use crate::db::{Conn, StoreError, StoreResult, code, date_text, now_text};

/// A piece of scrutiny: what was examined, how, when, and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub id: i64,
    pub examined: String,
    pub method: Method,
    pub done_on: NaiveDate,
    pub found: String,
    pub by: String,
    pub created_at: String,
}

/// A statutory partner's response to a recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {
    pub stance: Stance,
    pub response: String,
    pub responded_by: String,
    pub responded_on: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// A recommendation of the scrutineer's, to one partner or (no organisation) to them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    pub id: i64,
    pub recommendation: String,
    pub organisation_id: Option<i64>,
    /// The partner's name (none: the partners together).
    pub organisation: Option<String>,
    pub by: String,
    pub created_at: String,
    pub response: Option<Response>,
}

const ACTIVITY: &str = "SELECT a.report_id, a.id, a.examined, a.method, a.done_on, a.found, a.by_label, \
    a.created_at FROM report_scrutiny_activities a";

/// The report's pieces of scrutiny, in the order they were done.
pub async fn activities(conn: &mut Conn, report_id: i64) -> StoreResult<Vec<Activity>> {
    let rows = sqlx::query(&format!("{ACTIVITY} WHERE a.report_id = $1 ORDER BY a.done_on, a.id"))
        .bind(report_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(activities_from(&rows)?.into_iter().map(|(_, a)| a).collect())
}

/// The pieces of scrutiny of every scrutiny report of the partnership, with their report's id.
pub async fn activities_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<(i64, Activity)>> {
    let rows = sqlx::query(&format!(
        "{ACTIVITY} JOIN reports r ON r.id = a.report_id WHERE r.partnership_id = $1 ORDER BY a.done_on, a.id"
    ))
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    activities_from(&rows)
}

fn activities_from(rows: &[AnyRow]) -> StoreResult<Vec<(i64, Activity)>> {
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("report_id")?,
                Activity {
                    id: row.try_get("id")?,
                    examined: row.try_get("examined")?,
                    method: code(row, "method")?,
                    done_on: day(row, "done_on")?,
                    found: row.try_get("found")?,
                    by: row.try_get("by_label")?,
                    created_at: row.try_get("created_at")?,
                },
            ))
        })
        .collect()
}

pub async fn insert_activity(conn: &mut Conn, report_id: i64, a: &NewActivity, by: &str) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO report_scrutiny_activities (report_id, examined, method, done_on, found, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(report_id)
    .bind(&a.examined)
    .bind(a.method.code())
    .bind(date_text(a.done_on))
    .bind(&a.found)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// Removes a piece of scrutiny of the report (one of another report is not found).
pub async fn delete_activity(conn: &mut Conn, report_id: i64, id: i64) -> StoreResult<()> {
    let done = sqlx::query("DELETE FROM report_scrutiny_activities WHERE id = $1 AND report_id = $2")
        .bind(id)
        .bind(report_id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

const RECOMMENDATION: &str = "SELECT r.report_id, r.id, r.recommendation, r.organisation_id, o.name, r.by_label, \
    r.created_at, r.stance, r.response, r.responded_by, r.responded_on, r.recorded_by, r.recorded_at \
    FROM report_recommendations r LEFT JOIN organisations o ON o.id = r.organisation_id";

/// The report's recommendations, in the order they were made, each with its response.
pub async fn recommendations(conn: &mut Conn, report_id: i64) -> StoreResult<Vec<Recommendation>> {
    let rows = sqlx::query(&format!("{RECOMMENDATION} WHERE r.report_id = $1 ORDER BY r.id"))
        .bind(report_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(recommendations_from(&rows)?.into_iter().map(|(_, r)| r).collect())
}

/// The recommendations of every scrutiny report of the partnership, with their report's id.
pub async fn recommendations_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<(i64, Recommendation)>> {
    let rows = sqlx::query(&format!(
        "{RECOMMENDATION} JOIN reports rep ON rep.id = r.report_id WHERE rep.partnership_id = $1 ORDER BY r.id"
    ))
    .bind(p.0)
    .fetch_all(&mut *conn)
    .await?;
    recommendations_from(&rows)
}

fn recommendations_from(rows: &[AnyRow]) -> StoreResult<Vec<(i64, Recommendation)>> {
    rows.iter()
        .map(|row| {
            let stance: Option<String> = row.try_get("stance")?;
            let response = match stance {
                Some(_) => Some(Response {
                    stance: code(row, "stance")?,
                    response: row.try_get("response")?,
                    responded_by: row.try_get("responded_by")?,
                    responded_on: day(row, "responded_on")?,
                    recorded_by: row.try_get("recorded_by")?,
                    recorded_at: row.try_get("recorded_at")?,
                }),
                None => None,
            };
            Ok((
                row.try_get("report_id")?,
                Recommendation {
                    id: row.try_get("id")?,
                    recommendation: row.try_get("recommendation")?,
                    organisation_id: row.try_get("organisation_id")?,
                    organisation: row.try_get("name")?,
                    by: row.try_get("by_label")?,
                    created_at: row.try_get("created_at")?,
                    response,
                },
            ))
        })
        .collect()
}

pub async fn insert_recommendation(
    conn: &mut Conn,
    report_id: i64,
    r: &NewRecommendation,
    by: &str,
) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO report_recommendations (report_id, recommendation, organisation_id, by_label, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(report_id)
    .bind(&r.recommendation)
    .bind(r.organisation_id)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?)
}

/// Removes a recommendation of the report no partner has responded to; false when one has (or
/// it is not the report's).
pub async fn delete_recommendation(conn: &mut Conn, report_id: i64, id: i64) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM report_recommendations WHERE id = $1 AND report_id = $2 AND stance IS NULL")
        .bind(id)
        .bind(report_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Records (or replaces) the partner's response to a recommendation of the report.
pub async fn respond_to_recommendation(
    conn: &mut Conn,
    report_id: i64,
    id: i64,
    r: &NewPartnerResponse,
    by: &str,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE report_recommendations SET stance = $1, response = $2, responded_by = $3, responded_on = $4, \
         recorded_by = $5, recorded_at = $6 WHERE id = $7 AND report_id = $8",
    )
    .bind(r.stance.code())
    .bind(&r.response)
    .bind(&r.responded_by)
    .bind(date_text(r.responded_on))
    .bind(by)
    .bind(now_text())
    .bind(id)
    .bind(report_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
