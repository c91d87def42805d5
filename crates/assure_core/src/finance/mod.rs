//! The partnership's money: a budget per financial year with partners' contributions (amounts or
//! shares of a total), grants and other income, expenditure grouped as the partnerships' budgets
//! group it (a case review's costs linked to the review), in kind entered on the budget beside the
//! time given to meetings and tasks, each line's actual and forecast by quarter, the outturn and
//! reserves, and the year locked once closed (a change after that needs a reason and is kept).
//! The business unit keeps it; the scrutineer and agency leads of the statutory partners read it.
//!
//! Parts: `view` (a budget worked out from its lines, pure), `papers` (the workbook and the board
//! paper).

use std::collections::HashMap;

pub use assure_store::finance::{Budget, Change, Line};
pub use view::{Figures, Flag, GroupRows, LineRow, Reserves, TimeGiven, Worked};

use assure_domain::finance::{
    self as fin, BudgetInput, ContributionsInput, LineInput, MAX_LINES, QuarterInput, financial_year,
};
use assure_domain::structure::{Choice, OrganisationKind};
use assure_domain::{Action, BudgetId, BudgetLineId, OrganisationId, PartnershipId, ResourceKind as K, Target};
use assure_store::audit_log;
use assure_store::finance as st;
use assure_store::meetings as meetings_store;
use assure_store::structure as structure_store;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

mod papers;
mod view;

/// The budget as the business unit keeps it.
pub(crate) fn of_budget(p: PartnershipId) -> Target {
    Target::new(K::Budget, p)
}

/// The partnership's budgets, the latest year first, with what the business unit may do.
#[derive(Debug, Clone)]
pub struct Finances {
    pub years: Vec<Worked>,
    pub can_edit: bool,
    /// The year a new budget would most likely be for: the one after the latest.
    pub next_year: i32,
}

impl Finances {
    /// The trend: the latest five years, oldest first.
    pub fn trend(&self) -> Vec<TrendYear> {
        self.years.iter().take(5).rev().map(TrendYear::of).collect()
    }
}

/// One budget on its page.
#[derive(Debug, Clone)]
pub struct BudgetView {
    pub worked: Worked,
    pub changes: Vec<Change>,
    pub can_edit: bool,
    /// The year has ended (31 March has passed), so it may be locked.
    pub year_ended: bool,
    /// The partnership's organisations (id, name, statutory partner), for the business unit's forms.
    pub organisations: Vec<(OrganisationId, String, bool)>,
    /// The budgets before and after, by id and year.
    pub previous: Option<(BudgetId, i32)>,
    pub following: Option<(BudgetId, i32)>,
    /// The partnership's in-kind hourly rate.
    pub rate: Option<i64>,
    /// The five years to this one, oldest first.
    pub trend: Vec<TrendYear>,
}

/// A year in the five-year trend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendYear {
    pub year: i32,
    pub income: Figures,
    pub spend: Figures,
    pub in_kind: i64,
    pub reserves: i64,
    pub locked: bool,
}

impl TrendYear {
    fn of(w: &Worked) -> TrendYear {
        TrendYear {
            year: w.budget.year,
            income: w.income,
            spend: w.spend,
            in_kind: w.all_in_kind(),
            reserves: w.reserves.carried_forward(),
            locked: w.budget.locked(),
        }
    }
}

/// Locking a year: the reserves carried forward as reported at outturn (blank: as the lines give them).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LockInput {
    #[serde(default)]
    pub reserves_carried_forward: String,
}

/// The day after a financial year ends.
fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year + 1, 4, 1).unwrap_or(NaiveDate::MAX)
}

impl Core {
    /// The target by which `ctx` reads the partnership's budgets: as the business unit and the
    /// scrutineer do, or as the lead of a statutory partner (named as the target's organisation).
    async fn budget_reader(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Target> {
        let target = of_budget(p);
        if assure_domain::can(&ctx.actor, Action::View, &target) {
            return Ok(target);
        }
        let orgs = self.every_organisation(ctx, p).await?;
        let statutory = orgs.iter().find(|o| {
            o.kind == OrganisationKind::StatutoryPartner && o.ended_on.is_none() && ctx.actor.acts_for(p, o.id)
        });
        Ok(target.organisation(statutory.map(|o| o.id)))
    }

    /// Refuses a change to the partnership's budgets unless `ctx` may make it: 403 for those who
    /// read the budget, 404 for everyone else. Called before any write connection is taken.
    async fn authorize_change(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<()> {
        if assure_domain::can(&ctx.actor, Action::Update, &of_budget(p)) {
            return Ok(());
        }
        let target = self.budget_reader(ctx, p).await?;
        ctx.authorize(Action::Update, &target)
    }

    /// The partnership a budget, or a budget's line, belongs to.
    async fn partnership_of(&self, budget: Option<BudgetId>, line: Option<BudgetLineId>) -> CoreResult<PartnershipId> {
        let mut conn = self.store.read().await?;
        let id = match (budget, line) {
            (Some(b), _) => b,
            (None, Some(l)) => st::line(&mut conn, l).await?.budget_id,
            (None, None) => return Err(CoreError::NotFound),
        };
        Ok(st::budget(&mut conn, id).await?.partnership_id)
    }

    /// Every budget of the partnership worked out, the latest year first (six statements whatever
    /// the number of years or lines).
    /// The partnership's in-kind hourly rate comes with them.
    async fn work_all(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<(Vec<Worked>, Option<i64>)> {
        let mut conn = self.store.read().await?;
        let budgets = st::budgets_in(&mut conn, p).await?;
        let ids: Vec<BudgetId> = budgets.iter().map(|b| b.id).collect();
        let lines = st::lines_of(&mut conn, &ids).await?;
        let rate = meetings_store::in_kind_rate(&mut conn, p).await?;
        let meetings = meetings_store::in_kind_in(&mut conn, p).await?;
        let tasks = meetings_store::task_in_kind_in(&mut conn, p).await?;
        drop(conn);
        let mut time: HashMap<i32, std::collections::BTreeMap<String, i64>> = HashMap::new();
        for k in &meetings {
            *time
                .entry(fin::Quarter::of(k.held_on).year)
                .or_default()
                .entry(k.organisation_name.clone())
                .or_default() += k.tenths;
        }
        for t in &tasks {
            *time
                .entry(fin::Quarter::of(t.given_on).year)
                .or_default()
                .entry(t.organisation_name.clone())
                .or_default() += t.tenths;
        }
        let mut by_budget: HashMap<BudgetId, Vec<Line>> = HashMap::new();
        for l in lines {
            by_budget.entry(l.budget_id).or_default().push(l);
        }
        let sees_reviews = assure_domain::can(&ctx.actor, Action::View, &Target::new(K::Review, p));
        // Oldest first, so each year knows the one before's closing reserves.
        let mut worked: Vec<Worked> = Vec::with_capacity(budgets.len());
        for b in budgets.into_iter().rev() {
            let previous_reserves =
                worked.last().filter(|w| w.budget.year == b.year - 1).map(|w| w.reserves.carried_forward());
            let mut time_given: Vec<(String, i64)> = time.remove(&b.year).unwrap_or_default().into_iter().collect();
            time_given.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let cx = view::Context { rate, time_given, previous_reserves, sees_reviews };
            let lines = by_budget.remove(&b.id).unwrap_or_default();
            worked.push(view::work(b, lines, &cx));
        }
        worked.reverse();
        Ok((worked, rate))
    }

    /// The partnership's budgets, each worked out, with the five-year trend.
    pub async fn finances(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Finances> {
        let target = self.budget_reader(ctx, p).await?;
        ctx.authorize(Action::View, &target)?;
        let (years, _) = self.work_all(ctx, p).await?;
        let can_edit = assure_domain::can(&ctx.actor, Action::Create, &of_budget(p));
        let next_year = years.first().map(|w| w.budget.year + 1).unwrap_or_else(|| fin::Quarter::of(self.today()).year);
        Ok(Finances { years, can_edit, next_year })
    }

    /// The budget of one year, by id.
    pub async fn budget(&self, ctx: &Ctx, id: BudgetId) -> CoreResult<BudgetView> {
        let mut conn = self.store.read().await?;
        let b = st::budget(&mut conn, id).await?;
        let changes = st::changes(&mut conn, id).await?;
        drop(conn);
        let p = b.partnership_id;
        let target = self.budget_reader(ctx, p).await?;
        ctx.authorize(Action::View, &target)?;
        let (all, rate) = self.work_all(ctx, p).await?;
        let at = all.iter().position(|w| w.budget.id == id).ok_or(CoreError::NotFound)?;
        let following = at.checked_sub(1).map(|i| (all[i].budget.id, all[i].budget.year));
        let previous = all.get(at + 1).map(|w| (w.budget.id, w.budget.year));
        let trend: Vec<TrendYear> = all.iter().skip(at).take(5).rev().map(TrendYear::of).collect();
        let worked = all.into_iter().nth(at).ok_or(CoreError::NotFound)?;
        let can_edit = assure_domain::can(&ctx.actor, Action::Update, &of_budget(p));
        let organisations = if can_edit { self.budget_organisations(ctx, p).await? } else { Vec::new() };
        Ok(BudgetView {
            year_ended: self.today() >= year_end(worked.budget.year),
            worked,
            changes,
            can_edit,
            organisations,
            previous,
            following,
            rate,
            trend,
        })
    }

    /// The partnership's budget for the financial year starting in `year`.
    pub async fn budget_of_year(&self, ctx: &Ctx, p: PartnershipId, year: i32) -> CoreResult<BudgetView> {
        let target = self.budget_reader(ctx, p).await?;
        ctx.authorize(Action::View, &target)?;
        let id = {
            let mut conn = self.store.read().await?;
            st::budgets_in(&mut conn, p).await?.into_iter().find(|b| b.year == year).map(|b| b.id)
        };
        self.budget(ctx, id.ok_or(CoreError::NotFound)?).await
    }

    /// Starts a year's budget. The reserves brought forward, when not given, are the year
    /// before's carried forward as reported at its outturn.
    pub async fn create_budget(&self, ctx: &Ctx, p: PartnershipId, input: &BudgetInput) -> CoreResult<BudgetId> {
        self.authorize_change(ctx, p).await?;
        let mut new = input.validate()?;
        let mut tx = self.store.write().await?;
        if new.reserves_brought_forward.is_none() {
            new.reserves_brought_forward = st::budgets_in(&mut tx, p)
                .await?
                .into_iter()
                .find(|b| b.year == new.year - 1)
                .and_then(|b| b.reserves_carried_forward);
        }
        let id = st::insert_budget(&mut tx, p, &new, &ctx.name).await.map_err(|e| {
            CoreError::on_unique(e, "year", &format!("There is already a budget for {}", financial_year(new.year)))
        })?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "budget",
                Some(id.to_string()),
                Some(p),
                json!({"year": financial_year(new.year), "title": new.title, "reserves_brought_forward": new.reserves_brought_forward}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records why a change is made to a locked year (refused without a reason), and keeps it.
    async fn change_of_locked(
        &self,
        tx: &mut assure_store::WriteTx,
        ctx: &Ctx,
        b: &Budget,
        reason: &str,
        what: &str,
    ) -> CoreResult<Option<String>> {
        let reason = fin::reason(b.locked(), reason).map_err(|m| CoreError::field("reason", m))?;
        if b.locked() {
            st::insert_change(tx, b.id, what, reason.as_deref().unwrap_or_default(), &ctx.name).await?;
        }
        Ok(reason.filter(|_| b.locked()))
    }

    /// Changes a budget's year, title, reserves brought forward or notes.
    pub async fn update_budget(&self, ctx: &Ctx, id: BudgetId, input: &BudgetInput) -> CoreResult<()> {
        self.authorize_change(ctx, self.partnership_of(Some(id), None).await?).await?;
        let new = input.validate()?;
        let mut tx = self.store.write().await?;
        let b = st::budget(&mut tx, id).await?;
        let reason = self.change_of_locked(&mut tx, ctx, &b, &input.reason, "Changed the budget's details").await?;
        st::update_budget(&mut tx, id, &new, &ctx.name).await.map_err(|e| {
            CoreError::on_unique(e, "year", &format!("There is already a budget for {}", financial_year(new.year)))
        })?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "budget",
                Some(id.to_string()),
                Some(b.partnership_id),
                json!({"year": financial_year(new.year), "title": new.title,
                       "reserves_brought_forward": new.reserves_brought_forward, "reason": reason}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the partners' contributions with a whole table: refused whole, with the numbers
    /// that disagree, when it does not add up ([`ContributionsInput::validate`]) or names an
    /// organisation outside the partnership.
    pub async fn set_contributions(&self, ctx: &Ctx, id: BudgetId, input: &ContributionsInput) -> CoreResult<()> {
        let p = self.partnership_of(Some(id), None).await?;
        self.authorize_change(ctx, p).await?;
        let new = input.validate()?;
        let orgs = self.every_organisation(ctx, p).await?;
        for (i, r) in new.rows.iter().enumerate() {
            if !orgs.iter().any(|o| o.id == r.organisation_id) {
                return Err(CoreError::field(
                    &format!("rows.{i}"),
                    format!("Row {}: choose the organisation from the list", i + 1),
                ));
            }
        }
        let mut tx = self.store.write().await?;
        let b = st::budget(&mut tx, id).await?;
        let reason =
            self.change_of_locked(&mut tx, ctx, &b, &input.reason, "Changed the partners' contributions").await?;
        let rows: Vec<(OrganisationId, fin::Basis)> = new.rows.iter().map(|r| (r.organisation_id, r.basis)).collect();
        st::replace_contributions(&mut tx, id, &rows, &ctx.name).await?;
        st::set_contributions_total(&mut tx, id, new.total, &ctx.name).await?;
        let detail: Vec<serde_json::Value> = new
            .rows
            .iter()
            .map(|r| match r.basis {
                fin::Basis::Share(bp) => json!({"organisation_id": r.organisation_id, "share_bp": bp}),
                fin::Basis::Amount(p) => json!({"organisation_id": r.organisation_id, "pence": p}),
            })
            .collect();
        audit_log::append(
            &mut tx,
            ctx.entry(
                "contributions",
                "budget",
                Some(id.to_string()),
                Some(b.partnership_id),
                json!({"total_pence": new.total, "rows": detail, "reason": reason}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks a line's organisation and case review belong to the partnership.
    async fn check_line(&self, tx: &mut assure_store::WriteTx, p: PartnershipId, new: &fin::NewLine) -> CoreResult<()> {
        if let Some(o) = new.organisation_id {
            let org = structure_store::organisation(tx, o).await;
            if !org.as_ref().is_ok_and(|x| x.partnership_id == p) {
                return Err(CoreError::field("organisation_id", "Select the organisation from the list"));
            }
        }
        if let Some(r) = new.review_id {
            let review = assure_store::reviews::review(tx, r.0).await;
            if !review.as_ref().is_ok_and(|x| x.partnership_id == p) {
                return Err(CoreError::field("review_id", "Enter the number of one of the partnership's case reviews"));
            }
        }
        Ok(())
    }

    /// Adds a line of income (not a contribution), expenditure or in kind.
    pub async fn add_budget_line(&self, ctx: &Ctx, id: BudgetId, input: &LineInput) -> CoreResult<BudgetLineId> {
        self.authorize_change(ctx, self.partnership_of(Some(id), None).await?).await?;
        let new = input.validate()?;
        let mut tx = self.store.write().await?;
        let b = st::budget(&mut tx, id).await?;
        self.check_line(&mut tx, b.partnership_id, &new).await?;
        if st::lines_of(&mut tx, &[id]).await?.len() >= MAX_LINES {
            return Err(CoreError::field("description", format!("A budget holds at most {MAX_LINES} lines")));
        }
        let what = format!("Added the line \u{201c}{}\u{201d}", new.description);
        let reason = self.change_of_locked(&mut tx, ctx, &b, &input.reason, &what).await?;
        let line = st::insert_line(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "budget_line",
                Some(line.to_string()),
                Some(b.partnership_id),
                line_detail(&b, &new, reason),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(line)
    }

    /// A line of a budget the reader may see, with its budget.
    /// The partnership's current organisations as a budget's forms offer them: (id, name,
    /// statutory partner).
    pub async fn budget_organisations(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
    ) -> CoreResult<Vec<(OrganisationId, String, bool)>> {
        Ok(self
            .every_organisation(ctx, p)
            .await?
            .iter()
            .filter(|o| o.ended_on.is_none())
            .map(|o| (o.id, o.name.clone(), o.kind == OrganisationKind::StatutoryPartner))
            .collect())
    }

    pub async fn budget_line(&self, ctx: &Ctx, line: BudgetLineId) -> CoreResult<(Budget, Line)> {
        let (b, l) = {
            let mut conn = self.store.read().await?;
            let l = st::line(&mut conn, line).await?;
            (st::budget(&mut conn, l.budget_id).await?, l)
        };
        let target = self.budget_reader(ctx, b.partnership_id).await?;
        ctx.authorize(Action::View, &target)?;
        Ok((b, l))
    }

    /// Changes a line (not a contribution: those change with their table).
    pub async fn update_budget_line(&self, ctx: &Ctx, line: BudgetLineId, input: &LineInput) -> CoreResult<()> {
        self.authorize_change(ctx, self.partnership_of(None, Some(line)).await?).await?;
        let mut tx = self.store.write().await?;
        let l = st::line(&mut tx, line).await?;
        let b = st::budget(&mut tx, l.budget_id).await?;
        if l.is_contribution() {
            return Err(CoreError::field("category", "Change partners' contributions in the contributions table"));
        }
        let new = input.validate()?;
        self.check_line(&mut tx, b.partnership_id, &new).await?;
        let what = format!("Changed the line \u{201c}{}\u{201d}", l.description);
        let reason = self.change_of_locked(&mut tx, ctx, &b, &input.reason, &what).await?;
        st::update_line(&mut tx, line, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "budget_line",
                Some(line.to_string()),
                Some(b.partnership_id),
                line_detail(&b, &new, reason),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a line with its quarters' figures (a contribution changes with its table).
    pub async fn remove_budget_line(&self, ctx: &Ctx, line: BudgetLineId, reason: &str) -> CoreResult<BudgetId> {
        self.authorize_change(ctx, self.partnership_of(None, Some(line)).await?).await?;
        let mut tx = self.store.write().await?;
        let l = st::line(&mut tx, line).await?;
        let b = st::budget(&mut tx, l.budget_id).await?;
        if l.is_contribution() {
            return Err(CoreError::field("category", "Change partners' contributions in the contributions table"));
        }
        let what = format!("Removed the line \u{201c}{}\u{201d}", l.description);
        let reason = self.change_of_locked(&mut tx, ctx, &b, reason, &what).await?;
        st::delete_line(&mut tx, line).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "delete",
                "budget_line",
                Some(line.to_string()),
                Some(b.partnership_id),
                json!({"year": financial_year(b.year), "description": l.description, "budget_pence": l.budget, "reason": reason}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(b.id)
    }

    /// Records one quarter's actual and forecast of a line (both blank clear them).
    pub async fn set_budget_quarter(
        &self,
        ctx: &Ctx,
        line: BudgetLineId,
        input: &QuarterInput,
    ) -> CoreResult<BudgetId> {
        self.authorize_change(ctx, self.partnership_of(None, Some(line)).await?).await?;
        let q = input.validate()?;
        let mut tx = self.store.write().await?;
        let l = st::line(&mut tx, line).await?;
        let b = st::budget(&mut tx, l.budget_id).await?;
        if l.side == fin::Side::InKind {
            return Err(CoreError::field(
                "actual",
                "In kind has no quarterly actuals: change the line's value instead",
            ));
        }
        let starts = fin::Quarter { year: b.year, q: q.quarter };
        if q.actual.is_some() && first_day(starts) > self.today() {
            return Err(CoreError::field(
                "actual",
                format!("{} has not started yet: enter its actual once it has", starts.words()),
            ));
        }
        let name =
            if l.is_contribution() { l.organisation_name.clone().unwrap_or_default() } else { l.description.clone() };
        let what = format!("Changed Q{} of \u{201c}{name}\u{201d}", q.quarter);
        let reason = self.change_of_locked(&mut tx, ctx, &b, &input.reason, &what).await?;
        st::set_quarter(&mut tx, line, &q, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "figures",
                "budget_line",
                Some(line.to_string()),
                Some(b.partnership_id),
                json!({"year": financial_year(b.year), "quarter": q.quarter, "actual_pence": q.actual,
                       "forecast_pence": q.forecast, "reason": reason}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(b.id)
    }

    /// Locks a closed year at its outturn, with the reserves carried forward as reported (or as
    /// the actuals give them). Refused before the year has ended, and while its contributions
    /// do not add up.
    pub async fn lock_budget(&self, ctx: &Ctx, id: BudgetId, input: &LockInput) -> CoreResult<()> {
        let p = self.partnership_of(Some(id), None).await?;
        self.authorize_change(ctx, p).await?;
        let reported = fin::money_pence_signed("the reserves carried forward", &input.reserves_carried_forward)
            .map_err(|m| CoreError::field("reserves_carried_forward", m))?;
        let (all, _) = self.work_all(ctx, p).await?;
        let w = all.iter().find(|w| w.budget.id == id).ok_or(CoreError::NotFound)?;
        if w.budget.locked() {
            return Err(CoreError::field("reserves_carried_forward", "The year is already locked"));
        }
        if self.today() < year_end(w.budget.year) {
            return Err(CoreError::field(
                "reserves_carried_forward",
                format!("{} ends on 31 March {}: lock it after that", financial_year(w.budget.year), w.budget.year + 1),
            ));
        }
        if let Some(f) = w.flags.iter().find(|f| f.code == "contributions") {
            return Err(CoreError::field(
                "reserves_carried_forward",
                format!("The contributions do not add up, so the year cannot be locked: {}", f.message),
            ));
        }
        let reserves = reported.or(w.reserves.from_actuals);
        let mut tx = self.store.write().await?;
        let b = st::budget(&mut tx, id).await?;
        if b.locked() {
            return Err(CoreError::field("reserves_carried_forward", "The year is already locked"));
        }
        st::lock(&mut tx, id, reserves, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "lock_year",
                "budget",
                Some(id.to_string()),
                Some(p),
                json!({"year": financial_year(b.year), "reserves_carried_forward_pence": reserves,
                       "from_actuals_pence": w.reserves.from_actuals, "income_actual_pence": w.income.actual,
                       "expenditure_actual_pence": w.spend.actual}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn first_day(q: fin::Quarter) -> NaiveDate {
    let (year, month) = match q.q {
        1 => (q.year, 4),
        2 => (q.year, 7),
        3 => (q.year, 10),
        _ => (q.year + 1, 1),
    };
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MAX)
}

fn line_detail(b: &Budget, new: &fin::NewLine, reason: Option<String>) -> serde_json::Value {
    json!({"year": financial_year(b.year), "side": new.side.code(), "category": new.category.code(),
           "description": new.description, "organisation_id": new.organisation_id, "review_id": new.review_id,
           "budget_pence": new.budget, "tenths": new.tenths, "reason": reason})
}
