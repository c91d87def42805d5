//! The demo's strategy (`strategy.toml`): Southend's Strategic Plan 2020–23, extended to 2023-24,
//! with its sixteen themes and their activities, each with dated updates so that the quarter's
//! reports and the year's "little or no progress" have something to say; and the Learning and
//! Development subgroup's work plan for the year now running.

use assure_domain::PartnershipId;
use assure_domain::strategy::{Marker, NewActivity, NewPriority, NewStrategy, NewUpdate, Quarter, Rag, Status};
use assure_domain::structure::Choice;
use assure_store::audit_log;
use assure_store::strategy as st;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use super::lookup;
use super::structure::DemoStructure;
use crate::{CoreError, CoreResult, Ctx};

const DATA: &str = include_str!("strategy.toml");

#[derive(Deserialize)]
struct Data {
    strategy: StrategyData,
    priority: Vec<PriorityData>,
    work_plan: Vec<WorkPlanData>,
}

#[derive(Deserialize)]
struct StrategyData {
    name: String,
    from_year: i32,
    to_year: i32,
    extended_to: i32,
}

#[derive(Deserialize)]
struct PriorityData {
    number: String,
    title: String,
    outcome: String,
    measure: String,
    #[serde(default)]
    indicators: Vec<String>,
    activity: Vec<ActivityData>,
}

#[derive(Deserialize)]
struct ActivityData {
    title: String,
    quarters: Vec<String>,
    body: String,
    #[serde(default)]
    lead: Option<String>,
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    status: Option<String>,
    rag: String,
    reason: String,
    #[serde(default)]
    marker: Option<String>,
    #[serde(default)]
    marker_reason: Option<String>,
}

#[derive(Deserialize)]
struct WorkPlanData {
    body: String,
    activity: Vec<WorkPlanActivity>,
}

#[derive(Deserialize)]
struct WorkPlanActivity {
    title: String,
    /// Quarters from today's: 0 is this quarter.
    quarters: Vec<i32>,
    #[serde(default)]
    lead: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    rag: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

fn bad(what: &str) -> CoreError {
    CoreError::Internal(format!("demo strategy: {what}"))
}

fn quarter(raw: &str) -> CoreResult<Quarter> {
    Quarter::parse(raw).ok_or_else(|| bad(raw))
}

fn parsed<C: Choice>(raw: &str) -> CoreResult<C> {
    C::parse(raw).ok_or_else(|| bad(raw))
}

/// A few days before a quarter's end: when its lead reported.
fn near_end(q: Quarter) -> NaiveDate {
    q.last_day() - chrono::Days::new(5)
}

impl crate::Core {
    /// Loads the demo's strategy and work plan into `p` (Southend) in one transaction.
    pub(super) async fn load_demo_strategy(&self, ctx: &Ctx, p: PartnershipId, s: &DemoStructure) -> CoreResult<()> {
        let data: Data = toml::from_str(DATA).map_err(|e| bad(&e.to_string()))?;
        let today = self.today();
        let mut tx = self.store.write().await?;
        let new = NewStrategy {
            name: data.strategy.name.clone(),
            from_year: data.strategy.from_year,
            to_year: data.strategy.to_year,
            extended_to: Some(data.strategy.extended_to),
            arm: None,
        };
        let strategy = st::insert_strategy(&mut tx, p, &new, &ctx.name).await?;
        let mut activities = 0;
        let mut updates = 0;
        for pr in &data.priority {
            let priority = NewPriority {
                number: pr.number.clone(),
                title: pr.title.clone(),
                outcome: Some(pr.outcome.clone()),
                measure: Some(pr.measure.clone()),
                indicators: pr.indicators.clone(),
            };
            let priority = st::insert_priority(&mut tx, strategy, &priority, &ctx.name).await?;
            for a in &pr.activity {
                let quarters = a.quarters.iter().map(|q| quarter(q)).collect::<CoreResult<Vec<_>>>()?;
                let new = NewActivity {
                    title: a.title.clone(),
                    quarters: quarters.clone(),
                    body_id: Some(lookup(&s.bodies, &a.body)?),
                    organisation_id: None,
                    lead: a.lead.clone(),
                };
                let id = st::insert_activity(&mut tx, p, Some(priority), &new, &ctx.name).await?;
                activities += 1;
                let first = quarters[0];
                let due = quarters[quarters.len() - 1];
                let done = a.done.as_deref().map(quarter).transpose()?;
                let rag: Rag = parsed(&a.rag)?;
                let marker = a.marker.as_deref().map(parsed::<Marker>).transpose()?;
                let mut entries: Vec<NewUpdate> = vec![NewUpdate {
                    on: first.first_day() + chrono::Days::new(20),
                    text: "Work started.".into(),
                    status: Status::InProgress,
                    rag: Some(Rag::Green),
                    marker: None,
                    marker_reason: None,
                    evidence: Vec::new(),
                }];
                let at_due = match (done, &a.status) {
                    (Some(d), _) if d == due => Status::Completed,
                    (_, Some(code)) => parsed(code)?,
                    _ => Status::InProgress,
                };
                let finished_late = done.filter(|d| *d != due);
                entries.push(NewUpdate {
                    on: near_end(due),
                    text: a.reason.clone(),
                    status: at_due,
                    rag: Some(rag),
                    marker: if finished_late.is_none() { marker } else { None },
                    marker_reason: if finished_late.is_none() { a.marker_reason.clone() } else { None },
                    evidence: Vec::new(),
                });
                if let Some(d) = finished_late {
                    entries.push(NewUpdate {
                        on: near_end(d),
                        text: "Completed.".into(),
                        status: Status::Completed,
                        rag: Some(Rag::Green),
                        marker,
                        marker_reason: a.marker_reason.clone(),
                        evidence: Vec::new(),
                    });
                }
                let mut last = None;
                for u in entries.into_iter().filter(|u| u.on <= today) {
                    st::insert_update(&mut tx, id, &u, &ctx.name).await?;
                    updates += 1;
                    last = Some(u);
                }
                if let Some(u) = last {
                    st::set_standing(&mut tx, id, u.status, u.rag, u.marker, u.marker_reason.as_deref()).await?;
                }
            }
        }
        let now = Quarter::of(today);
        for plan in &data.work_plan {
            let body = lookup(&s.bodies, &plan.body)?;
            for a in &plan.activity {
                let quarters: Vec<Quarter> = a.quarters.iter().map(|d| Quarter::from_index(now.index() + d)).collect();
                let new = NewActivity {
                    title: a.title.clone(),
                    quarters,
                    body_id: Some(body),
                    organisation_id: None,
                    lead: a.lead.clone(),
                };
                let id = st::insert_activity(&mut tx, p, None, &new, &ctx.name).await?;
                activities += 1;
                if let (Some(status), Some(reason)) = (&a.status, &a.reason) {
                    let u = NewUpdate {
                        on: today - chrono::Days::new(10),
                        text: reason.clone(),
                        status: parsed(status)?,
                        rag: a.rag.as_deref().map(parsed::<Rag>).transpose()?,
                        marker: None,
                        marker_reason: None,
                        evidence: Vec::new(),
                    };
                    st::insert_update(&mut tx, id, &u, &ctx.name).await?;
                    st::set_standing(&mut tx, id, u.status, u.rag, None, None).await?;
                    updates += 1;
                }
            }
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "import",
                "strategy",
                Some(strategy.to_string()),
                Some(p),
                json!({"priorities": data.priority.len(), "activities": activities, "updates": updates, "source": "demo"}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
