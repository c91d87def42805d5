//! The Consolidated Action Plan as pages: the statements that read one page of a filter, in
//! target-date order by index, and count what the filter matches.

use assure_domain::PartnershipId;
use assure_domain::learning::{PlanFilter, PlanSource};
use assure_domain::structure::Choice;
use chrono::NaiveDate;
use sqlx::Row;

use super::{ACTION_SELECT, PlanAction, action_from_row};
use crate::db::{Conn, StoreResult, date_text};
use crate::structure::Page;

/// The conditions of a plan filter and their values, in order: only the filters that are set, so
/// that each statement can use the index that serves it (`plan_actions_target_on` walks the plan
/// in target-date order and stops at the page's end).
fn plan_conditions(p: PartnershipId, filter: &PlanFilter, today: NaiveDate) -> (String, Vec<PlanValue>) {
    // `+r.partnership_id`: not by the recommendations' partnership index, which would read every
    // action of the partnership and sort them; the page is read in target-date order instead.
    let mut sql = String::from("+r.partnership_id = $1");
    let mut values = vec![PlanValue::Int(p.0)];
    let mut next = |sql: &mut String, clause: &str, value: PlanValue| {
        values.push(value);
        sql.push_str(&clause.replace("$n", &format!("${}", values.len())));
    };
    if let Some(o) = filter.organisation {
        next(&mut sql, " AND a.organisation_id = $n", PlanValue::Int(o));
    }
    if let Some(t) = filter.theme {
        next(
            &mut sql,
            " AND (r.theme_id = $n OR EXISTS (SELECT 1 FROM review_themes rt WHERE rt.review_id = r.review_id \
             AND rt.theme_id = $n))",
            PlanValue::Int(t),
        );
    }
    if let Some(arm) = filter.arm {
        next(&mut sql, " AND COALESCE(v.arm, b.arm) = $n", PlanValue::Text(arm.code().to_owned()));
    }
    match filter.status {
        Some(status) => next(&mut sql, " AND a.status = $n", PlanValue::Text(status.code().to_owned())),
        None => sql.push_str(" AND a.status IN ('not_started', 'in_progress')"),
    }
    match filter.source {
        Some(PlanSource::Review) => sql.push_str(" AND r.review_id IS NOT NULL"),
        Some(PlanSource::Audit) => sql.push_str(" AND r.campaign_id IS NOT NULL"),
        Some(PlanSource::Inspection) => sql.push_str(" AND r.inspection_id IS NOT NULL"),
        Some(PlanSource::Partnership) => {
            sql.push_str(" AND r.review_id IS NULL AND r.campaign_id IS NULL AND r.inspection_id IS NULL")
        }
        None => {}
    }
    if filter.overdue_only {
        next(
            &mut sql,
            " AND a.target_on < $n AND a.status IN ('not_started', 'in_progress')",
            PlanValue::Text(date_text(today)),
        );
    }
    (sql, values)
}

/// A value bound to a plan filter's condition.
enum PlanValue {
    Int(i64),
    Text(String),
}

fn bind_plan<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    values: Vec<PlanValue>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for v in values {
        q = match v {
            PlanValue::Int(i) => q.bind(i),
            PlanValue::Text(t) => q.bind(t),
        };
    }
    q
}

/// One page of the partnership's plan: the actions that match the filter, by target date.
pub async fn plan(
    conn: &mut Conn,
    p: PartnershipId,
    filter: &PlanFilter,
    today: NaiveDate,
    page: Page,
) -> StoreResult<Vec<PlanAction>> {
    let (conditions, values) = plan_conditions(p, filter, today);
    let sql = format!(
        "{ACTION_SELECT} WHERE {conditions} ORDER BY a.target_on, a.id LIMIT {} OFFSET {}",
        page.limit, page.offset
    );
    let rows = bind_plan(sqlx::query(&sql), values).fetch_all(&mut *conn).await?;
    rows.iter().map(action_from_row).collect()
}

/// The plan's generation: triggers add one on every write to actions, recommendations, reviews,
/// their themes and bodies (migration 0025), in the writing transaction.
pub async fn plan_generation(conn: &mut Conn) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT generation FROM plan_generation WHERE id = 1").fetch_one(&mut *conn).await?.try_get(0)?)
}

/// How many actions of the partnership's plan match the filter.
pub async fn plan_count(conn: &mut Conn, p: PartnershipId, filter: &PlanFilter, today: NaiveDate) -> StoreResult<i64> {
    let (conditions, values) = plan_conditions(p, filter, today);
    let sql = format!(
        "SELECT COUNT(*) AS n FROM plan_actions a JOIN recommendations r ON r.id = a.recommendation_id \
         JOIN bodies b ON b.id = r.body_id LEFT JOIN reviews v ON v.id = r.review_id WHERE {conditions}"
    );
    Ok(bind_plan(sqlx::query(&sql), values).fetch_one(&mut *conn).await?.try_get("n")?)
}
