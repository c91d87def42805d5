//! How a review is conducted: appointing its independent reviewer or author (with the agreed
//! cost, which the partnership's finances count as review costs), and recording the learning
//! events where the practitioners involved were heard. Restricted like the review: read by its
//! panel, the business unit and the scrutineer; recorded by those who keep the review.

use super::*;
use assure_domain::reviews::conduct::{AppointmentInput, LearningEventInput};

pub use assure_store::reviews::conduct::{Appointment, LearningEvent};

/// A review's appointments and learning events.
#[derive(Debug, Clone, Default)]
pub struct Conduct {
    pub appointments: Vec<Appointment>,
    pub events: Vec<LearningEvent>,
    /// The agreed costs of its appointments, in pence.
    pub total_cost_pence: i64,
}

impl Core {
    /// A review's appointments and learning events, for whoever may see the review. The read is
    /// logged.
    pub async fn review_conduct(&self, ctx: &Ctx, id: ReviewId) -> CoreResult<Conduct> {
        let (review, _) = self.load(ctx, id.0).await?;
        let mut conn = self.store.read().await?;
        let appointments = assure_store::reviews::conduct::appointments(&mut conn, id.0).await?;
        let events = assure_store::reviews::conduct::learning_events(&mut conn, id.0).await?;
        drop(conn);
        self.log_read(ctx, "review", Some(id.to_string()), Some(review.partnership_id), json!({"part": "conduct"}))
            .await?;
        let total_cost_pence = appointments.iter().filter_map(|a| a.cost_pence).sum();
        Ok(Conduct { appointments, events, total_cost_pence })
    }

    /// Records who is appointed to lead or write a review, from when, and the agreed cost.
    pub async fn appoint(&self, ctx: &Ctx, id: ReviewId, input: &AppointmentInput) -> CoreResult<i64> {
        let (review, on_panel) = self.load(ctx, id.0).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let a = input.validate()?;
        let mut tx = self.store.write().await?;
        let appointment = assure_store::reviews::conduct::insert_appointment(&mut tx, id.0, &a, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "appoint",
                "review",
                Some(id.to_string()),
                Some(review.partnership_id),
                json!({"appointment_id": appointment, "role": a.role.code(), "appointed_on": a.appointed_on, "cost_pence": a.cost_pence}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(appointment)
    }

    /// Records a practitioner learning event of a review: when, which agencies' practitioners
    /// attended and how many, and what was heard. The agencies are the partnership's.
    pub async fn record_learning_event(&self, ctx: &Ctx, id: ReviewId, input: &LearningEventInput) -> CoreResult<i64> {
        let (review, on_panel) = self.load(ctx, id.0).await?;
        ctx.authorize(Action::Update, &review_target(&review, on_panel))?;
        let e = input.validate(self.today())?;
        let mut tx = self.store.write().await?;
        for org in &e.organisation_ids {
            match assure_store::structure::organisation(&mut tx, assure_domain::OrganisationId(*org)).await {
                Ok(o) if o.partnership_id == review.partnership_id => {}
                Ok(_) | Err(assure_store::StoreError::NotFound) => {
                    return Err(CoreError::field("organisation_ids", "Select the agencies from the list"));
                }
                Err(other) => return Err(other.into()),
            }
        }
        let event = assure_store::reviews::conduct::insert_learning_event(&mut tx, id.0, &e, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "learning_event",
                "review",
                Some(id.to_string()),
                Some(review.partnership_id),
                json!({"event_id": event, "held_on": e.held_on, "organisation_ids": e.organisation_ids, "attendees": e.attendees}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(event)
    }
}
