//! The reminders the action plan gives.

use assure_domain::PartnershipId;
use assure_domain::structure::Choice;
use assure_store::reminders::{self as rst};
use chrono::NaiveDate;

use crate::reminders::{Event, due_phase, merge, wording};
use crate::{Core, CoreResult};

impl Core {
    /// Each open action due soon or overdue: to its owner, the lead organisation's agency leads
    /// and the business unit.
    pub(crate) async fn action_reminder_events(
        &self,
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        today: NaiveDate,
        cal: &assure_domain::reviews::calendar::WorkingCalendar,
    ) -> CoreResult<Vec<Event>> {
        let business_unit = rst::holders(conn, p, "business_unit", None).await?;
        let mut events = Vec::new();
        for a in assure_store::learning::open_actions(conn, p, None).await? {
            let Some(ph) = due_phase(today, a.target_on, 5, cal) else { continue };
            let mut recipients =
                rst::holders(conn, p, "agency_lead", Some(assure_domain::OrganisationId(a.organisation_id))).await?;
            if let Some(owner) = a.owner_user_id
                && let Some(r) = rst::active_user(conn, owner).await?
            {
                recipients = merge(vec![r], recipients);
            }
            events.push(Event {
                partnership: p,
                key: format!("action:{}:{}:{}", a.id, a.target_on, ph.code()),
                message: format!(
                    "An action for {} (recommendation {}) {}.",
                    a.organisation_name,
                    a.recommendation_number,
                    wording(ph, a.target_on)
                ),
                link: format!("/actions/{}", a.id),
                recipients: merge(recipients, business_unit.clone()),
            });
        }
        Ok(events)
    }
}
