//! The strategy and subgroups' work plans: strategies with their priorities (each beside its
//! dashboard indicators' latest figures), activities scheduled by quarter with dated updates of
//! their status, RAG and marker, and the views the board and the annual report read: the strategy
//! on a page (priorities × quarters), a quarter's progress report (what was due, done, slipped and
//! why) and a year's "little or no progress", each derived from the updates as they stood at the
//! period's end. Everyone in the partnership reads them; the business unit keeps them; a
//! subgroup's members add to their work plan and report its progress.
//!
//! Parts: `activity` (activities, their updates, work plans, the agenda's work plan item),
//! `reports` (the quarter's report, the year's little progress, documents and workbook).

use std::collections::HashMap;

pub use assure_store::strategy::{Activity, Priority, Strategy, Update};

use assure_domain::strategy::{NewStrategy, PriorityInput, Quarter, Standing, StrategyInput};
use assure_domain::structure::Choice;
use assure_domain::{Action, PartnershipId, ResourceKind as K, Target};
use assure_store::audit_log;
use assure_store::strategy as st;
use chrono::NaiveDate;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

mod activity;
mod reports;

pub use activity::{ActivityView, WorkPlan};
pub use reports::{LittleProgress, QuarterReport, ReportLine};

pub(crate) fn of_strategy(p: PartnershipId) -> Target {
    Target::new(K::Strategy, p)
}

/// A dashboard indicator beside a priority: its title, latest figure and the one before.
#[derive(Debug, Clone)]
pub struct IndicatorTrend {
    pub code: String,
    pub title: String,
    /// (period, value) as published.
    pub latest: Option<(String, String)>,
    pub previous: Option<(String, String)>,
    /// "better than England", "worse than England", ...
    pub against_england: Option<&'static str>,
    /// The trend: the latest five periods with a figure, (period, value), oldest first.
    pub series: Vec<(String, String)>,
}

/// A cell of the strategy on a page: one priority's activities scheduled in one quarter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub scheduled: usize,
    /// Of those due in the quarter, as they stood at its end (or now, for this quarter).
    pub done: usize,
    pub slipped: usize,
    pub dropped: usize,
    /// Scheduled in it and due later.
    pub continuing: usize,
    /// The quarter is past, current or to come.
    pub when: When,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum When {
    Past,
    Current,
    #[default]
    Future,
}

impl Cell {
    /// The cell as text (it never depends on colour alone): "1 done, 1 slipped, 2 continuing".
    pub fn words(&self) -> String {
        if self.scheduled == 0 {
            return String::new();
        }
        let mut parts = Vec::new();
        let due = self.done + self.slipped + self.dropped;
        match self.when {
            When::Future => parts.push(format!("{} planned", self.scheduled)),
            _ => {
                if self.done > 0 {
                    parts.push(format!("{} done", self.done));
                }
                if self.slipped > 0 {
                    parts.push(format!(
                        "{} {}",
                        self.slipped,
                        if self.when == When::Past { "slipped" } else { "not yet done" }
                    ));
                }
                if self.dropped > 0 {
                    parts.push(format!("{} deferred or cancelled", self.dropped));
                }
                if self.continuing > 0 || due == 0 {
                    parts.push(format!("{} continuing", self.continuing));
                }
            }
        }
        parts.join(", ")
    }

    /// The cell's state for its colour: "slipped", "done", "current", "planned" or "".
    pub fn state(&self) -> &'static str {
        match (self.scheduled, self.when) {
            (0, _) => "",
            (_, When::Future) => "planned",
            (_, When::Past) if self.slipped > 0 => "slipped",
            (_, When::Past) if self.done > 0 => "done",
            _ => "current",
        }
    }
}

/// A priority as the strategy's page shows it.
#[derive(Debug, Clone)]
pub struct PriorityRow {
    pub priority: Priority,
    pub activities: Vec<Activity>,
    /// One cell per quarter of the period, in order.
    pub cells: Vec<Cell>,
    pub indicators: Vec<IndicatorTrend>,
}

/// A strategy on a page.
#[derive(Debug, Clone)]
pub struct StrategyView {
    pub strategy: Strategy,
    pub quarters: Vec<Quarter>,
    pub rows: Vec<PriorityRow>,
    pub can_edit: bool,
}

impl StrategyView {
    /// The financial years of the period, by the year each starts.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.quarters.iter().map(|q| q.year).collect();
        years.dedup();
        years
    }
}

/// Each activity's standing on `day`, from the updates on or before it (ordered by day).
pub(crate) fn standings(updates: &[Update], day: NaiveDate) -> HashMap<i64, (Standing, Option<&Update>)> {
    let mut out: HashMap<i64, (Standing, Option<&Update>)> = HashMap::new();
    for u in updates.iter().filter(|u| u.on <= day) {
        out.insert(u.activity_id, (Standing { status: u.status, rag: u.rag }, Some(u)));
    }
    out
}

impl Core {
    /// The partnership's strategies.
    pub async fn strategies(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<Strategy>> {
        ctx.authorize(Action::View, &of_strategy(p))?;
        let mut conn = self.store.read().await?;
        Ok(st::strategies_in(&mut conn, p).await?)
    }

    pub async fn create_strategy(&self, ctx: &Ctx, p: PartnershipId, input: &StrategyInput) -> CoreResult<i64> {
        ctx.authorize(Action::Create, &of_strategy(p))?;
        let new = input.validate()?;
        let mut tx = self.store.write().await?;
        let id = st::insert_strategy(&mut tx, p, &new, &ctx.name)
            .await
            .map_err(|e| CoreError::on_unique(e, "name", "The partnership already has a strategy with that name"))?;
        audit_log::append(
            &mut tx,
            ctx.entry("create", "strategy", Some(id.to_string()), Some(p), strategy_detail(&new)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a strategy's name, period or extension. Its activities' quarters must stay inside
    /// the period.
    pub async fn update_strategy(&self, ctx: &Ctx, id: i64, input: &StrategyInput) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let s = st::strategy(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_strategy(s.partnership_id))?;
        let new = input.validate()?;
        let (first, last) = new.quarters();
        let outside = st::activities_of_strategy(&mut tx, id)
            .await?
            .into_iter()
            .find(|a| a.quarters.iter().any(|q| *q < first || *q > last));
        if let Some(a) = outside {
            return Err(CoreError::field(
                "to_year",
                format!(
                    "The activity \u{201c}{}\u{201d} is scheduled outside that period: move it first",
                    crate::risks::clip(&a.title, 80)
                ),
            ));
        }
        st::update_strategy(&mut tx, id, &new, &ctx.name)
            .await
            .map_err(|e| CoreError::on_unique(e, "name", "The partnership already has a strategy with that name"))?;
        audit_log::append(
            &mut tx,
            ctx.entry("update", "strategy", Some(id.to_string()), Some(s.partnership_id), strategy_detail(&new)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A strategy on a page: each priority's activities and, per quarter of the period, what was
    /// scheduled and how it stood at the quarter's end.
    pub async fn strategy(&self, ctx: &Ctx, id: i64) -> CoreResult<StrategyView> {
        let today = self.today();
        let mut conn = self.store.read().await?;
        let s = st::strategy(&mut conn, id).await?;
        ctx.authorize(Action::View, &of_strategy(s.partnership_id))?;
        let priorities = st::priorities(&mut conn, id).await?;
        let activities = st::activities_of_strategy(&mut conn, id).await?;
        let updates = st::updates_of_strategy(&mut conn, id, today).await?;
        drop(conn);
        let activities = visible(ctx, activities);
        self.log_restricted(ctx, s.partnership_id, &activities, "strategy").await?;
        let (first, last) = s.quarters();
        let quarters: Vec<Quarter> = (first.index()..=last.index()).map(Quarter::from_index).collect();
        let now = Quarter::of(today);
        // Each quarter's end (today for this quarter), and the standings then.
        let ends: Vec<(Quarter, NaiveDate)> =
            quarters.iter().map(|q| (*q, if *q >= now { today } else { q.last_day() })).collect();
        let at: HashMap<Quarter, HashMap<i64, (Standing, Option<&Update>)>> =
            ends.iter().filter(|(q, _)| *q <= now).map(|(q, day)| (*q, standings(&updates, *day))).collect();
        let trends = self.indicator_trends(ctx, s.partnership_id, &priorities).await?;
        let rows = priorities
            .into_iter()
            .map(|priority| {
                let mine: Vec<Activity> =
                    activities.iter().filter(|a| a.priority_id == Some(priority.id)).cloned().collect();
                let cells = quarters
                    .iter()
                    .map(|q| {
                        let when = match q.cmp(&now) {
                            std::cmp::Ordering::Less => When::Past,
                            std::cmp::Ordering::Equal => When::Current,
                            std::cmp::Ordering::Greater => When::Future,
                        };
                        let mut cell = Cell { when, ..Cell::default() };
                        for a in mine.iter().filter(|a| a.quarters.contains(q)) {
                            cell.scheduled += 1;
                            if a.due() != Some(*q) {
                                cell.continuing += 1;
                                continue;
                            }
                            let standing =
                                at.get(q).and_then(|m| m.get(&a.id)).map_or(Standing::UNSTARTED, |(s, _)| *s);
                            match assure_domain::strategy::outcome(standing) {
                                assure_domain::strategy::Outcome::Done => cell.done += 1,
                                assure_domain::strategy::Outcome::Slipped => cell.slipped += 1,
                                assure_domain::strategy::Outcome::Dropped => cell.dropped += 1,
                            }
                        }
                        cell
                    })
                    .collect();
                let indicators = trends.get(&priority.id).cloned().unwrap_or_default();
                PriorityRow { priority, activities: mine, cells, indicators }
            })
            .collect();
        Ok(StrategyView {
            can_edit: crate::can(&ctx.actor, Action::Update, &of_strategy(s.partnership_id)),
            strategy: s,
            quarters,
            rows,
        })
    }

    /// Logs the read of the restricted subgroups' activities a page shows, if any.
    pub(crate) async fn log_restricted(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        activities: &[Activity],
        part: &str,
    ) -> CoreResult<()> {
        let ids: Vec<i64> = activities.iter().filter(|a| a.body_restricted).map(|a| a.id).collect();
        if ids.is_empty() {
            return Ok(());
        }
        self.log_read(ctx, "activity", None, Some(p), json!({"ids": ids, "part": part})).await
    }

    /// The dashboard's figures for each priority's indicators (the kept dashboards: no
    /// recomputing).
    async fn indicator_trends(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        priorities: &[Priority],
    ) -> CoreResult<HashMap<i64, Vec<IndicatorTrend>>> {
        let mut out = HashMap::new();
        if priorities.iter().all(|p| p.indicators.is_empty()) {
            return Ok(out);
        }
        let mut boards = HashMap::new();
        for arm in [assure_domain::structure::ArmKind::Children, assure_domain::structure::ArmKind::Adults] {
            match self.kept_dashboard(ctx, p, arm).await {
                Ok((d, _)) => {
                    boards.insert(arm, d);
                }
                Err(CoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        for priority in priorities {
            let mut list = Vec::new();
            for code in &priority.indicators {
                let Some(ind) = assure_domain::intelligence::indicators::indicator(code) else { continue };
                let tile = boards.get(&ind.arm).and_then(|d| d.tiles.iter().find(|t| t.indicator.code == ind.code));
                let pick = |v: &Option<crate::intelligence::indicators::Value>| {
                    v.as_ref().and_then(|v| v.value.clone().map(|value| (v.period.clone(), value)))
                };
                list.push(IndicatorTrend {
                    code: code.clone(),
                    title: ind.title.to_owned(),
                    latest: tile.and_then(|t| pick(&t.latest)),
                    previous: tile.and_then(|t| pick(&t.previous)),
                    against_england: tile.and_then(|t| t.against_england()),
                    series: tile
                        .map(|t| {
                            let all: Vec<(String, String)> = t
                                .series
                                .iter()
                                .filter_map(|p| {
                                    p.ours.map(|v| (p.period.clone(), format!("{:.*}", ind.decimals as usize, v)))
                                })
                                .collect();
                            all[all.len().saturating_sub(5)..].to_vec()
                        })
                        .unwrap_or_default(),
                });
            }
            out.insert(priority.id, list);
        }
        Ok(out)
    }

    /// Adds a priority to a strategy.
    pub async fn add_priority(&self, ctx: &Ctx, strategy: i64, input: &PriorityInput) -> CoreResult<i64> {
        let mut tx = self.store.write().await?;
        let s = st::strategy(&mut tx, strategy).await?;
        ctx.authorize(Action::Update, &of_strategy(s.partnership_id))?;
        let new = input.validate(|c| assure_domain::intelligence::indicators::indicator(c).is_some())?;
        if st::priorities(&mut tx, strategy).await?.len() >= assure_domain::strategy::MAX_PRIORITIES {
            return Err(CoreError::field(
                "number",
                format!("A strategy has at most {} priorities", assure_domain::strategy::MAX_PRIORITIES),
            ));
        }
        let id = st::insert_priority(&mut tx, strategy, &new, &ctx.name)
            .await
            .map_err(|e| CoreError::on_unique(e, "number", "The strategy already has a priority with that number"))?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "priority",
                Some(id.to_string()),
                Some(s.partnership_id),
                json!({"strategy_id": strategy, "number": new.number, "indicators": new.indicators}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a priority.
    pub async fn update_priority(&self, ctx: &Ctx, id: i64, input: &PriorityInput) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let priority = st::priority(&mut tx, id).await?;
        let s = st::strategy(&mut tx, priority.strategy_id).await?;
        ctx.authorize(Action::Update, &of_strategy(s.partnership_id))?;
        let new = input.validate(|c| assure_domain::intelligence::indicators::indicator(c).is_some())?;
        st::update_priority(&mut tx, id, &new, &ctx.name)
            .await
            .map_err(|e| CoreError::on_unique(e, "number", "The strategy already has a priority with that number"))?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "priority",
                Some(id.to_string()),
                Some(s.partnership_id),
                json!({"number": new.number, "indicators": new.indicators}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A priority with its strategy.
    pub async fn priority(&self, ctx: &Ctx, id: i64) -> CoreResult<(Strategy, Priority)> {
        let mut conn = self.store.read().await?;
        let priority = st::priority(&mut conn, id).await?;
        let s = st::strategy(&mut conn, priority.strategy_id).await?;
        ctx.authorize(Action::View, &of_strategy(s.partnership_id))?;
        Ok((s, priority))
    }
}

/// The activities the actor may see: a restricted subgroup's only by its members and those who
/// see everything.
pub(crate) fn visible(ctx: &Ctx, activities: Vec<Activity>) -> Vec<Activity> {
    activities.into_iter().filter(|a| crate::can(&ctx.actor, Action::View, &activity::activity_target(a))).collect()
}

fn strategy_detail(new: &NewStrategy) -> serde_json::Value {
    json!({"name": new.name, "from_year": new.from_year, "to_year": new.to_year, "extended_to": new.extended_to,
           "arm": new.arm.map(|a| a.code())})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_says_what_happened_without_colour() {
        let past = Cell { scheduled: 4, done: 1, slipped: 1, dropped: 0, continuing: 2, when: When::Past };
        assert_eq!(past.words(), "1 done, 1 slipped, 2 continuing");
        assert_eq!(past.state(), "slipped");
        let future = Cell { scheduled: 2, when: When::Future, ..Cell::default() };
        assert_eq!((future.words().as_str(), future.state()), ("2 planned", "planned"));
        let now = Cell { scheduled: 1, slipped: 1, when: When::Current, ..Cell::default() };
        assert_eq!(now.words(), "1 not yet done");
        assert_eq!(Cell::default().words(), "");
    }
}
