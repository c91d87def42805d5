//! Activities: added to a priority of the strategy or to a subgroup's work plan (or both), their
//! schedule and leads changed, and their dated updates (status, RAG, marker and evidence), each
//! kept; a subgroup's work plan; and the "work plan progress" item a body's meeting is given when
//! its work plan has activities scheduled in the meeting's quarter.

use assure_domain::strategy::{ActivityInput, MAX_ACTIVITIES, Quarter, UpdateInput};
use assure_domain::structure::Choice;
use assure_domain::{Action, BodyId, MeetingId, OrganisationId, PartnershipId, ResourceKind as K, Target};
use assure_store::audit_log;
use assure_store::strategy as st;
use serde_json::json;

use super::{Activity, Priority, Strategy, Update};
use crate::{Core, CoreError, CoreResult, Ctx};

/// What the rules need to know of an activity: the subgroup that leads it, and whether that
/// subgroup is restricted (its activities are then seen only by its members and those who see
/// everything).
pub(crate) fn of_activity(p: PartnershipId, body: Option<BodyId>) -> Target {
    Target::new(K::Activity, p).body(body)
}

pub(crate) fn activity_target(a: &Activity) -> Target {
    of_activity(a.partnership_id, a.body_id).restricted(a.body_restricted)
}

/// One activity with its updates.
#[derive(Debug, Clone)]
pub struct ActivityView {
    pub activity: Activity,
    pub strategy: Option<Strategy>,
    pub priority: Option<Priority>,
    /// Its updates, the latest first.
    pub updates: Vec<Update>,
    /// The caller may report progress and change the activity (the business unit, or a member of
    /// the subgroup leading it).
    pub can_update: bool,
}

/// A subgroup's work plan.
#[derive(Debug, Clone)]
pub struct WorkPlan {
    pub body: crate::structure::Body,
    pub activities: Vec<Activity>,
    /// The caller may add to it.
    pub can_add: bool,
    /// The partnership's organisations, and the priorities of its strategies (for the form).
    pub organisations: Vec<(OrganisationId, String)>,
    pub priorities: Vec<(i64, String)>,
}

impl Core {
    /// Adds an activity: to a priority of a strategy (its quarters within the strategy's period),
    /// to the work plan of the subgroup that leads it, or both.
    pub async fn add_activity(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        priority: Option<i64>,
        input: &ActivityInput,
    ) -> CoreResult<i64> {
        let body = input.body_id.trim().parse::<i64>().ok().map(BodyId);
        // A work plan's subgroup is the partnership's (another's is not found), and a
        // restricted one's work plan is seen only by its members and those who see everything.
        let restricted = match (priority, body) {
            (None, Some(b)) => {
                let mut conn = self.store.read().await?;
                let found = assure_store::structure::body(&mut conn, b).await?;
                if found.partnership_id != p {
                    return Err(CoreError::NotFound);
                }
                found.restricted
            }
            _ => false,
        };
        // Adding to a priority is changing the strategy; adding to a work plan, the subgroup's.
        match priority {
            Some(_) => ctx.authorize(Action::Update, &super::of_strategy(p))?,
            None => ctx.authorize(Action::Create, &of_activity(p, body).restricted(restricted))?,
        }
        let mut tx = self.store.write().await?;
        let within = match priority {
            Some(id) => {
                let pr = st::priority(&mut tx, id).await?;
                let s = st::strategy(&mut tx, pr.strategy_id).await?;
                if s.partnership_id != p {
                    return Err(CoreError::NotFound);
                }
                Some(s.quarters())
            }
            None => None,
        };
        let new = input.validate(within)?;
        if priority.is_none() && new.body_id.is_none() {
            return Err(CoreError::field("body_id", "Select the subgroup whose work plan it is on"));
        }
        self.check_leads(&mut tx, p, new.body_id, new.organisation_id).await?;
        let count = match (priority, new.body_id) {
            (Some(id), _) => {
                let pr = st::priority(&mut tx, id).await?;
                st::activities_of_strategy(&mut tx, pr.strategy_id)
                    .await?
                    .iter()
                    .filter(|a| a.priority_id == Some(id))
                    .count()
            }
            (None, Some(b)) => st::activities_of_body(&mut tx, b).await?.len(),
            (None, None) => 0,
        };
        if count >= MAX_ACTIVITIES {
            return Err(CoreError::field(
                "title",
                format!("A priority or work plan has at most {MAX_ACTIVITIES} activities"),
            ));
        }
        let id = st::insert_activity(&mut tx, p, priority, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "activity",
                Some(id.to_string()),
                Some(p),
                json!({"priority_id": priority, "body_id": new.body_id, "organisation_id": new.organisation_id,
                       "quarters": new.quarters.iter().map(|q| q.code()).collect::<Vec<_>>()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The leading subgroup and organisation are the partnership's.
    async fn check_leads(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        body: Option<BodyId>,
        organisation: Option<OrganisationId>,
    ) -> CoreResult<()> {
        if let Some(b) = body {
            match assure_store::structure::body(conn, b).await {
                Ok(found) if found.partnership_id == p => {}
                Ok(_) | Err(assure_store::StoreError::NotFound) => {
                    return Err(CoreError::field("body_id", "Select the subgroup that leads it from the list"));
                }
                Err(e) => return Err(e.into()),
            }
        }
        if let Some(o) = organisation {
            match assure_store::structure::organisation(conn, o).await {
                Ok(found) if found.partnership_id == p => {}
                Ok(_) | Err(assure_store::StoreError::NotFound) => {
                    return Err(CoreError::field(
                        "organisation_id",
                        "Select the organisation that leads it from the list",
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Changes an activity's title, schedule or leads.
    pub async fn update_activity(&self, ctx: &Ctx, id: i64, input: &ActivityInput) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let a = st::activity(&mut tx, id).await?;
        ctx.authorize(Action::Update, &activity_target(&a))?;
        let within = match a.strategy_id {
            Some(s) => Some(st::strategy(&mut tx, s).await?.quarters()),
            None => None,
        };
        let new = input.validate(within)?;
        if a.priority_id.is_none() && new.body_id.is_none() {
            return Err(CoreError::field("body_id", "Select the subgroup whose work plan it is on"));
        }
        // A subgroup's member does not hand the activity to another subgroup.
        if new.body_id != a.body_id {
            ctx.authorize(Action::Update, &of_activity(a.partnership_id, new.body_id))?;
        }
        self.check_leads(&mut tx, a.partnership_id, new.body_id, new.organisation_id).await?;
        st::update_activity(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "activity",
                Some(id.to_string()),
                Some(a.partnership_id),
                json!({"body_id": new.body_id, "organisation_id": new.organisation_id,
                       "quarters": new.quarters.iter().map(|q| q.code()).collect::<Vec<_>>()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an update of an activity: what was done (or why it slipped), its status and RAG,
    /// the marker the reports use, and evidence. The activity stands as its latest update by day.
    pub async fn update_activity_progress(&self, ctx: &Ctx, id: i64, input: &UpdateInput) -> CoreResult<i64> {
        let mut tx = self.store.write().await?;
        let a = st::activity(&mut tx, id).await?;
        ctx.authorize(Action::Update, &activity_target(&a))?;
        let new = input.validate(self.today())?;
        let update = st::insert_update(&mut tx, id, &new, &ctx.name).await?;
        let latest = st::updates_of_activity(&mut tx, id).await?.pop();
        if let Some(u) = latest {
            st::set_standing(&mut tx, id, u.status, u.rag, u.marker, u.marker_reason.as_deref()).await?;
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "progress",
                "activity",
                Some(id.to_string()),
                Some(a.partnership_id),
                json!({"on": new.on, "status": new.status.code(), "rag": new.rag.map(|r| r.code()),
                       "marker": new.marker.map(|m| m.code()), "evidence": new.evidence.len()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(update)
    }

    /// One activity with its updates.
    pub async fn activity(&self, ctx: &Ctx, id: i64) -> CoreResult<ActivityView> {
        let mut conn = self.store.read().await?;
        let activity = st::activity(&mut conn, id).await?;
        ctx.authorize(Action::View, &activity_target(&activity))?;
        let mut updates = st::updates_of_activity(&mut conn, id).await?;
        let priority = match activity.priority_id {
            Some(p) => Some(st::priority(&mut conn, p).await?),
            None => None,
        };
        let strategy = match activity.strategy_id {
            Some(s) => Some(st::strategy(&mut conn, s).await?),
            None => None,
        };
        drop(conn);
        if activity.body_restricted {
            self.log_read(
                ctx,
                "activity",
                Some(id.to_string()),
                Some(activity.partnership_id),
                json!({"body_id": activity.body_id}),
            )
            .await?;
        }
        updates.reverse();
        let target = activity_target(&activity);
        Ok(ActivityView {
            can_update: crate::can(&ctx.actor, Action::Update, &target),
            activity,
            strategy,
            priority,
            updates,
        })
    }

    /// A subgroup's work plan.
    pub async fn work_plan(&self, ctx: &Ctx, body: BodyId) -> CoreResult<WorkPlan> {
        let mut conn = self.store.read().await?;
        let b = assure_store::structure::body(&mut conn, body).await?;
        // A restricted body's work plan is seen by whoever sees the body.
        let seen = Target::new(K::Body, b.partnership_id).body(Some(body)).restricted(b.restricted);
        ctx.authorize(Action::View, &seen)?;
        let activities = st::activities_of_body(&mut conn, body).await?;
        let can_add = crate::can(&ctx.actor, Action::Create, &of_activity(b.partnership_id, Some(body)));
        let mut organisations = Vec::new();
        let mut priorities = Vec::new();
        if can_add {
            let (all, _) = assure_store::structure::organisations(
                &mut conn,
                b.partnership_id,
                false,
                assure_store::structure::Page::ALL,
            )
            .await?;
            organisations = all.into_iter().map(|o| (o.id, o.name)).collect();
            // Linking to a priority is changing the strategy: offered only to those who may.
            let strategies = if crate::can(&ctx.actor, Action::Update, &super::of_strategy(b.partnership_id)) {
                st::strategies_in(&mut conn, b.partnership_id).await?
            } else {
                Vec::new()
            };
            for s in strategies {
                for pr in st::priorities(&mut conn, s.id).await? {
                    priorities.push((pr.id, format!("{} {} ({})", pr.number, pr.title, s.name)));
                }
            }
        }
        drop(conn);
        if b.restricted {
            self.log_read(ctx, "body", Some(body.to_string()), Some(b.partnership_id), json!({"part": "work plan"}))
                .await?;
        }
        Ok(WorkPlan { body: b, activities, can_add, organisations, priorities })
    }

    /// Gives a body's meeting a "work plan progress" item when the body's work plan has
    /// activities scheduled in the meeting's quarter. Returns whether it did.
    pub(crate) async fn propose_work_plan(
        &self,
        tx: &mut assure_store::Conn,
        body: BodyId,
        meeting: MeetingId,
        held_on: chrono::NaiveDate,
        by: &str,
    ) -> CoreResult<bool> {
        let quarter = Quarter::of(held_on);
        let n = st::scheduled_in(tx, body, quarter).await?;
        if n == 0
            || assure_store::meetings::agenda::items(tx, meeting).await?.len()
                >= assure_domain::meetings::agenda::MAX_ITEMS
        {
            return Ok(false);
        }
        let item = assure_domain::meetings::agenda::NewAgendaItem {
            title: format!(
                "Work plan progress: {n} {} scheduled in {}",
                if n == 1 { "activity" } else { "activities" },
                quarter.words()
            ),
            presenter: None,
            purpose: assure_domain::meetings::agenda::Purpose::Discussion,
            minutes: None,
            restricted: false,
            owner_email: None,
        };
        assure_store::meetings::agenda::insert_item(tx, meeting, &item, None, by).await?;
        Ok(true)
    }
}
