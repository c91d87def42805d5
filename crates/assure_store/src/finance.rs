//! Budgets: one per partnership and financial year, their lines (income, expenditure, in kind;
//! partners' contributions are income lines set as an amount or a share), each line's actual and
//! forecast per quarter, and the changes made to a locked year with their reasons.

use assure_domain::finance::{Basis, Category, NewBudget, NewLine, NewQuarter, Side};
use assure_domain::structure::Choice;
use assure_domain::{BudgetId, BudgetLineId, OrganisationId, PartnershipId, ReviewId};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::backup::{Col::*, Table};
use crate::db::{Conn, StoreError, StoreResult, flag, now_text};

/// This module's tables, parents before children, with their columns, for the backup.
pub const TABLES: &[Table] = &[
    (
        "budgets",
        &[
            ("id", Int),
            ("partnership_id", Int),
            ("year", Int),
            ("title", Text),
            ("contributions_total", Int),
            ("reserves_brought_forward", Int),
            ("reserves_carried_forward", Int),
            ("in_kind_counted", Bool),
            ("notes", Text),
            ("locked_at", Text),
            ("locked_by", Text),
            ("by_label", Text),
            ("created_at", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "budget_lines",
        &[
            ("id", Int),
            ("budget_id", Int),
            ("side", Text),
            ("category", Text),
            ("description", Text),
            ("organisation_id", Int),
            ("review_id", Int),
            ("budget", Int),
            ("share", Int),
            ("tenths", Int),
            ("position", Int),
            ("by_label", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "budget_quarters",
        &[
            ("line_id", Int),
            ("quarter", Int),
            ("actual", Int),
            ("forecast", Int),
            ("by_label", Text),
            ("updated_at", Text),
        ],
    ),
    (
        "budget_changes",
        &[("id", Int), ("budget_id", Int), ("what", Text), ("reason", Text), ("by_label", Text), ("at", Text)],
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Budget {
    pub id: BudgetId,
    pub partnership_id: PartnershipId,
    /// The year the financial year starts in (2019 for 2019-20).
    pub year: i32,
    pub title: Option<String>,
    /// The total the contributions table states (pence).
    pub contributions_total: Option<i64>,
    pub reserves_brought_forward: Option<i64>,
    /// As reported at outturn, when the business unit gave it on locking the year.
    pub reserves_carried_forward: Option<i64>,
    /// The contributions table counts the in kind entered on the budget (as seed budgets do):
    /// the cash the partners give is the contributions less that in kind.
    pub in_kind_counted: bool,
    pub notes: Option<String>,
    pub locked_at: Option<String>,
    pub locked_by: Option<String>,
    pub by_label: String,
    pub updated_at: String,
}

impl Budget {
    pub fn locked(&self) -> bool {
        self.locked_at.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub id: BudgetLineId,
    pub budget_id: BudgetId,
    pub side: Side,
    #[serde(skip)]
    pub category: Category,
    pub description: String,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub review_id: Option<ReviewId>,
    /// The year's budget (pence); for a contribution set as a share, none (it is derived).
    pub budget: Option<i64>,
    /// A contribution's share, in basis points.
    pub share: Option<i64>,
    /// In kind given as time, in tenths of an hour.
    pub tenths: Option<i64>,
    pub position: i64,
    /// Its quarters' figures: (quarter, actual, forecast), in order.
    pub quarters: Vec<(u8, Option<i64>, Option<i64>)>,
}

impl Line {
    pub fn is_contribution(&self) -> bool {
        self.category == Category::Income(assure_domain::finance::IncomeKind::Contribution)
    }

    /// The actual to date: the sum of the quarters' actuals.
    pub fn actual(&self) -> i64 {
        self.quarters.iter().filter_map(|q| q.1).sum()
    }
}

/// A change made after the year was locked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub what: String,
    pub reason: String,
    pub by_label: String,
    pub at: String,
}

const BUDGET_SELECT: &str = "SELECT id, partnership_id, year, title, contributions_total, reserves_brought_forward, \
    reserves_carried_forward, in_kind_counted, notes, locked_at, locked_by, by_label, updated_at FROM budgets";

fn budget_from(r: &AnyRow) -> StoreResult<Budget> {
    let year: i64 = r.try_get("year")?;
    Ok(Budget {
        id: BudgetId(r.try_get("id")?),
        partnership_id: PartnershipId(r.try_get("partnership_id")?),
        year: i32::try_from(year).map_err(|_| StoreError::Corrupt("budgets.year".into()))?,
        title: r.try_get("title")?,
        contributions_total: r.try_get("contributions_total")?,
        reserves_brought_forward: r.try_get("reserves_brought_forward")?,
        reserves_carried_forward: r.try_get("reserves_carried_forward")?,
        in_kind_counted: flag(r, "in_kind_counted")?,
        notes: r.try_get("notes")?,
        locked_at: r.try_get("locked_at")?,
        locked_by: r.try_get("locked_by")?,
        by_label: r.try_get("by_label")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn insert_budget(conn: &mut Conn, p: PartnershipId, new: &NewBudget, by: &str) -> StoreResult<BudgetId> {
    let now = now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO budgets (partnership_id, year, title, reserves_brought_forward, in_kind_counted, notes, by_label, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(p.0)
    .bind(i64::from(new.year))
    .bind(new.title.as_deref())
    .bind(new.reserves_brought_forward)
    .bind(i64::from(new.in_kind_counted))
    .bind(new.notes.as_deref())
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(BudgetId(id))
}

pub async fn update_budget(conn: &mut Conn, id: BudgetId, new: &NewBudget, by: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE budgets SET year = $1, title = $2, reserves_brought_forward = $3, in_kind_counted = $8, notes = $4, \
         by_label = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(i64::from(new.year))
    .bind(new.title.as_deref())
    .bind(new.reserves_brought_forward)
    .bind(new.notes.as_deref())
    .bind(by)
    .bind(now_text())
    .bind(id.0)
    .bind(i64::from(new.in_kind_counted))
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

pub async fn budget(conn: &mut Conn, id: BudgetId) -> StoreResult<Budget> {
    let row = sqlx::query(&format!("{BUDGET_SELECT} WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    budget_from(&row)
}

/// A partnership's budgets, the latest year first.
pub async fn budgets_in(conn: &mut Conn, p: PartnershipId) -> StoreResult<Vec<Budget>> {
    let rows = sqlx::query(&format!("{BUDGET_SELECT} WHERE partnership_id = $1 ORDER BY year DESC"))
        .bind(p.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(budget_from).collect()
}

/// Locks the year, with the reserves carried forward as reported (if given).
pub async fn lock(conn: &mut Conn, id: BudgetId, reserves: Option<i64>, by: &str) -> StoreResult<()> {
    let now = now_text();
    sqlx::query(
        "UPDATE budgets SET locked_at = $1, locked_by = $2, reserves_carried_forward = $3, by_label = $2, \
         updated_at = $1 WHERE id = $4",
    )
    .bind(now)
    .bind(by)
    .bind(reserves)
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn set_contributions_total(conn: &mut Conn, id: BudgetId, total: Option<i64>, by: &str) -> StoreResult<()> {
    sqlx::query("UPDATE budgets SET contributions_total = $1, by_label = $2, updated_at = $3 WHERE id = $4")
        .bind(total)
        .bind(by)
        .bind(now_text())
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records a change made after the year was locked.
pub async fn insert_change(conn: &mut Conn, id: BudgetId, what: &str, reason: &str, by: &str) -> StoreResult<()> {
    sqlx::query("INSERT INTO budget_changes (budget_id, what, reason, by_label, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.0)
        .bind(what)
        .bind(reason)
        .bind(by)
        .bind(now_text())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn changes(conn: &mut Conn, id: BudgetId) -> StoreResult<Vec<Change>> {
    let rows = sqlx::query("SELECT what, reason, by_label, at FROM budget_changes WHERE budget_id = $1 ORDER BY id")
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Change {
                what: r.try_get("what")?,
                reason: r.try_get("reason")?,
                by_label: r.try_get("by_label")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

const LINE_SELECT: &str = "SELECT l.id, l.budget_id, l.side, l.category, l.description, l.organisation_id, \
    o.name AS organisation_name, l.review_id, l.budget, l.share, l.tenths, l.position FROM budget_lines l \
    LEFT JOIN organisations o ON o.id = l.organisation_id";

fn line_from(r: &AnyRow) -> StoreResult<Line> {
    let side: String = r.try_get("side")?;
    let side = Side::parse(&side).ok_or_else(|| StoreError::Corrupt(format!("budget_lines.side {side}")))?;
    let category: String = r.try_get("category")?;
    let category = Category::parse(side, &category)
        .ok_or_else(|| StoreError::Corrupt(format!("budget_lines.category {category}")))?;
    Ok(Line {
        id: BudgetLineId(r.try_get("id")?),
        budget_id: BudgetId(r.try_get("budget_id")?),
        side,
        category,
        description: r.try_get("description")?,
        organisation_id: r.try_get::<Option<i64>, _>("organisation_id")?.map(OrganisationId),
        organisation_name: r.try_get("organisation_name")?,
        review_id: r.try_get::<Option<i64>, _>("review_id")?.map(ReviewId),
        budget: r.try_get("budget")?,
        share: r.try_get("share")?,
        tenths: r.try_get("tenths")?,
        position: r.try_get("position")?,
        quarters: Vec::new(),
    })
}

async fn next_position(conn: &mut Conn, budget: BudgetId) -> StoreResult<i64> {
    Ok(sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 AS next FROM budget_lines WHERE budget_id = $1")
        .bind(budget.0)
        .fetch_one(&mut *conn)
        .await?
        .try_get("next")?)
}

pub async fn insert_line(conn: &mut Conn, budget: BudgetId, new: &NewLine, by: &str) -> StoreResult<BudgetLineId> {
    let position = next_position(conn, budget).await?;
    let id: i64 = sqlx::query(
        "INSERT INTO budget_lines (budget_id, side, category, description, organisation_id, review_id, budget, \
         share, tenths, position, by_label, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11) \
         RETURNING id",
    )
    .bind(budget.0)
    .bind(new.side.code())
    .bind(new.category.code())
    .bind(&new.description)
    .bind(new.organisation_id.map(|o| o.0))
    .bind(new.review_id.map(|r| r.0))
    .bind(new.budget)
    .bind(new.tenths)
    .bind(position)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?
    .try_get("id")?;
    Ok(BudgetLineId(id))
}

pub async fn update_line(conn: &mut Conn, id: BudgetLineId, new: &NewLine, by: &str) -> StoreResult<()> {
    sqlx::query(
        "UPDATE budget_lines SET side = $1, category = $2, description = $3, organisation_id = $4, review_id = $5, \
         budget = $6, tenths = $7, by_label = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(new.side.code())
    .bind(new.category.code())
    .bind(&new.description)
    .bind(new.organisation_id.map(|o| o.0))
    .bind(new.review_id.map(|r| r.0))
    .bind(new.budget)
    .bind(new.tenths)
    .bind(by)
    .bind(now_text())
    .bind(id.0)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Removes a line with its quarters' figures.
pub async fn delete_line(conn: &mut Conn, id: BudgetLineId) -> StoreResult<()> {
    sqlx::query("DELETE FROM budget_quarters WHERE line_id = $1").bind(id.0).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM budget_lines WHERE id = $1").bind(id.0).execute(&mut *conn).await?;
    Ok(())
}

/// Replaces the budget's contributions (its income lines of that category) with `rows`, in order.
pub async fn replace_contributions(
    conn: &mut Conn,
    budget: BudgetId,
    rows: &[(OrganisationId, Basis)],
    by: &str,
) -> StoreResult<()> {
    sqlx::query(
        "DELETE FROM budget_quarters WHERE line_id IN (SELECT id FROM budget_lines WHERE budget_id = $1 \
         AND category = 'contribution')",
    )
    .bind(budget.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM budget_lines WHERE budget_id = $1 AND category = 'contribution'")
        .bind(budget.0)
        .execute(&mut *conn)
        .await?;
    let now = now_text();
    for (i, (org, basis)) in rows.iter().enumerate() {
        let (amount, share) = match basis {
            Basis::Amount(p) => (Some(*p), None),
            Basis::Share(bp) => (None, Some(*bp)),
        };
        sqlx::query(
            "INSERT INTO budget_lines (budget_id, side, category, description, organisation_id, budget, share, \
             position, by_label, updated_at) VALUES ($1, 'income', 'contribution', '', $2, $3, $4, $5, $6, $7)",
        )
        .bind(budget.0)
        .bind(org.0)
        .bind(amount)
        .bind(share)
        .bind(i as i64)
        .bind(by)
        .bind(&now)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    }
    Ok(())
}

pub async fn line(conn: &mut Conn, id: BudgetLineId) -> StoreResult<Line> {
    let row = sqlx::query(&format!("{LINE_SELECT} WHERE l.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut line = line_from(&row)?;
    let rows = sqlx::query("SELECT quarter, actual, forecast FROM budget_quarters WHERE line_id = $1 ORDER BY quarter")
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    for r in rows {
        line.quarters.push(quarter_from(&r)?);
    }
    Ok(line)
}

fn quarter_from(r: &AnyRow) -> StoreResult<(u8, Option<i64>, Option<i64>)> {
    let q: i64 = r.try_get("quarter")?;
    Ok((u8::try_from(q).unwrap_or(0), r.try_get("actual")?, r.try_get("forecast")?))
}

/// The lines of the budgets `ids` with their quarters, in order (two statements whatever the
/// number of budgets or lines).
pub async fn lines_of(conn: &mut Conn, ids: &[BudgetId]) -> StoreResult<Vec<Line>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(|i| i.0.to_string()).collect::<Vec<_>>().join(",");
    let rows =
        sqlx::query(&format!("{LINE_SELECT} WHERE l.budget_id IN ({list}) ORDER BY l.budget_id, l.position, l.id"))
            .fetch_all(&mut *conn)
            .await?;
    let mut lines: Vec<Line> = rows.iter().map(line_from).collect::<StoreResult<_>>()?;
    let rows = sqlx::query(&format!(
        "SELECT q.line_id, q.quarter, q.actual, q.forecast FROM budget_quarters q JOIN budget_lines l \
         ON l.id = q.line_id WHERE l.budget_id IN ({list}) ORDER BY q.line_id, q.quarter"
    ))
    .fetch_all(&mut *conn)
    .await?;
    attach_quarters(&mut lines, &rows)?;
    Ok(lines)
}

/// Sets one quarter's figures of a line (both blank removes them).
pub async fn set_quarter(conn: &mut Conn, line: BudgetLineId, q: &NewQuarter, by: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM budget_quarters WHERE line_id = $1 AND quarter = $2")
        .bind(line.0)
        .bind(i64::from(q.quarter))
        .execute(&mut *conn)
        .await?;
    if q.actual.is_some() || q.forecast.is_some() {
        sqlx::query(
            "INSERT INTO budget_quarters (line_id, quarter, actual, forecast, by_label, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(line.0)
        .bind(i64::from(q.quarter))
        .bind(q.actual)
        .bind(q.forecast)
        .bind(by)
        .bind(now_text())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

fn attach_quarters(lines: &mut [Line], rows: &[AnyRow]) -> StoreResult<()> {
    let index: std::collections::HashMap<i64, usize> = lines.iter().enumerate().map(|(i, l)| (l.id.0, i)).collect();
    for r in rows {
        let line_id: i64 = r.try_get("line_id")?;
        if let Some(&i) = index.get(&line_id) {
            lines[i].quarters.push(quarter_from(r)?);
        }
    }
    Ok(())
}
