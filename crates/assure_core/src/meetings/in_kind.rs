//! In-kind contributions: the business unit records the time an organisation gave to a meeting
//! (chairing, presenting, authoring, hosting) and sets the hourly rate that values it; the totals
//! per financial year and organisation are what the finance pages and the annual report read.

use std::collections::BTreeMap;

pub use assure_store::meetings::{InKind, TaskInKind};

use assure_domain::meetings::in_kind::{self as ik, InKindInput, MAX_RATE_PENCE, TaskInKindInput};
use assure_domain::structure::Choice;
use assure_domain::validation::money_pence;
use assure_domain::{Action, MeetingId, PartnershipId, ResourceKind as K, Target};
use assure_store::audit_log;
use assure_store::meetings as st;
use assure_store::structure as structure_store;
use serde_json::json;

use super::of_meeting;
use crate::{Core, CoreError, CoreResult, Ctx};

/// One organisation's time in one financial year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InKindTotal {
    /// "2022-23".
    pub year: String,
    pub organisation_name: String,
    /// Tenths of an hour.
    pub tenths: i64,
    /// At the partnership's rate, in pence; `None` while no rate is set.
    pub value: Option<i64>,
}

/// The partnership's in-kind contributions.
#[derive(Debug, Clone)]
pub struct InKindTotals {
    /// The hourly rate, in pence, once the business unit has set it.
    pub rate: Option<i64>,
    /// Per financial year (latest first), then organisation.
    pub rows: Vec<InKindTotal>,
    /// The time given to tasks other than meetings, the latest first.
    pub tasks: Vec<TaskInKind>,
    pub can_edit: bool,
    /// The partnership's organisations, for the business unit's form for time given to a task
    /// (empty for those who may not record it).
    pub organisations: Vec<(assure_domain::OrganisationId, String)>,
}

impl InKindTotals {
    /// One row per financial year and organisation, as CSV.
    pub fn csv(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.year.clone(),
                    r.organisation_name.clone(),
                    ik::hours(r.tenths),
                    r.value.map(|v| format!("{}.{:02}", v / 100, v % 100)).unwrap_or_default(),
                ]
            })
            .collect();
        assure_domain::cells::csv_file(&["financial_year", "organisation", "hours", "value_pounds"], &rows)
    }
}

impl Core {
    /// Records time an organisation of the partnership gave to a meeting.
    pub async fn record_in_kind(&self, ctx: &Ctx, meeting: MeetingId, input: &InKindInput) -> CoreResult<i64> {
        let mut tx = self.store.write().await?;
        let m = st::meeting(&mut tx, meeting).await?;
        ctx.authorize(Action::Update, &of_meeting(&m))?;
        let new = input.validate()?;
        let org = structure_store::organisation(&mut tx, new.organisation_id).await;
        if !org.as_ref().is_ok_and(|o| o.partnership_id == m.partnership_id) {
            return Err(CoreError::field("organisation_id", "Select the organisation from the list"));
        }
        if m.cancelled_reason.is_some() {
            return Err(CoreError::field("hours", "The meeting was cancelled: no time was given to it"));
        }
        let id = st::insert_in_kind(&mut tx, meeting, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "in_kind",
                "meeting",
                Some(meeting.to_string()),
                Some(m.partnership_id),
                json!({"organisation_id": new.organisation_id, "given": new.given.code(), "hours": ik::hours(new.tenths)}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The partnership's in-kind contributions per financial year and organisation, valued at
    /// its rate. Totals name no body or meeting, so a restricted body's time counts in them
    /// without being shown.
    pub async fn in_kind_totals(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<InKindTotals> {
        ctx.authorize(Action::View, &Target::new(K::Meeting, p))?;
        let mut conn = self.store.read().await?;
        let rate = st::in_kind_rate(&mut conn, p).await?;
        let all = st::in_kind_in(&mut conn, p).await?;
        let mut tasks = st::task_in_kind_in(&mut conn, p).await?;
        drop(conn);
        let mut sums: BTreeMap<(String, String), i64> = BTreeMap::new();
        for k in all {
            *sums.entry((ik::financial_year(k.held_on), k.organisation_name)).or_default() += k.tenths;
        }
        for t in &tasks {
            *sums.entry((ik::financial_year(t.given_on), t.organisation_name.clone())).or_default() += t.tenths;
        }
        tasks.reverse();
        let mut rows: Vec<InKindTotal> = sums
            .into_iter()
            .map(|((year, organisation_name), tenths)| InKindTotal {
                year,
                organisation_name,
                tenths,
                value: rate.map(|r| ik::value_pence(tenths, r)),
            })
            .collect();
        // The latest year first; its organisations by the time they gave, most first.
        rows.sort_by(|a, b| {
            b.year.cmp(&a.year).then(b.tenths.cmp(&a.tenths)).then(a.organisation_name.cmp(&b.organisation_name))
        });
        let can_edit = assure_domain::can(&ctx.actor, Action::Update, &Target::new(K::Meeting, p));
        let organisations = if can_edit {
            let orgs = self.every_organisation(ctx, p).await?;
            orgs.iter().filter(|o| o.ended_on.is_none()).map(|o| (o.id, o.name.clone())).collect()
        } else {
            Vec::new()
        };
        Ok(InKindTotals { rate, rows, tasks, can_edit, organisations })
    }

    /// Records time an organisation of the partnership gave to a task other than a meeting.
    pub async fn record_task_in_kind(&self, ctx: &Ctx, p: PartnershipId, input: &TaskInKindInput) -> CoreResult<i64> {
        ctx.authorize(Action::Update, &Target::new(K::Meeting, p))?;
        let new = input.validate(self.today())?;
        let mut tx = self.store.write().await?;
        let org = structure_store::organisation(&mut tx, new.time.organisation_id).await;
        if !org.as_ref().is_ok_and(|o| o.partnership_id == p) {
            return Err(CoreError::field("organisation_id", "Select the organisation from the list"));
        }
        let id = st::insert_task_in_kind(&mut tx, p, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "in_kind",
                "partnership",
                Some(p.to_string()),
                Some(p),
                json!({"task": new.task, "given_on": new.given_on, "organisation_id": new.time.organisation_id,
                       "given": new.time.given.code(), "hours": ik::hours(new.time.tenths)}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sets the hourly rate that values the time given ("45.50" pounds).
    pub async fn set_in_kind_rate(&self, ctx: &Ctx, p: PartnershipId, pounds: &str) -> CoreResult<i64> {
        ctx.authorize(Action::Update, &Target::new(K::Meeting, p))?;
        let pence = money_pence("the hourly rate", pounds, MAX_RATE_PENCE)
            .and_then(|v| v.ok_or_else(|| "Enter the hourly rate in pounds, like 45 or 45.50".to_owned()))
            .map_err(|m| CoreError::field("rate", m))?;
        let mut tx = self.store.write().await?;
        st::set_in_kind_rate(&mut tx, p, pence, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("in_kind_rate", "partnership", Some(p.to_string()), Some(p), json!({"pence_per_hour": pence})),
        )
        .await?;
        tx.commit().await?;
        Ok(pence)
    }
}
