//! Reminders before and after due dates: in the application and, when an SMTP server is
//! configured, by e-mail. Each user is told of each event once, however often this runs.
//!
//! Messages never name a review's subject: e-mail leaves the service, and an agency lead may not
//! know which review is asking.

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::reminders::Notification;

use assure_domain::reviews::ClockState;
use assure_domain::{PartnershipId, UserId};
use assure_store::reminders::{self as st, Recipient};
use chrono::NaiveDate;

use crate::{Core, CoreResult};

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderReport {
    pub notifications: usize,
    pub emails: usize,
    pub email_failures: usize,
}

/// Something to tell people once: in the application (in `partnership`) and by e-mail.
pub(crate) struct Event {
    /// Who has been told is recorded under this key, so each person hears of it once.
    pub key: String,
    pub partnership: PartnershipId,
    pub message: String,
    pub link: String,
    pub recipients: Vec<Recipient>,
}

/// The state a reminder is sent in (due soon, or overdue), if `state` is one.
pub(crate) fn phase(state: ClockState) -> Option<ClockState> {
    state.reminds().then_some(state)
}

/// Whether something due on `due` is reminded of today: its state by the one due rule
/// ([`ClockState::of_due`]), when that is due soon or overdue.
pub(crate) fn due_phase(
    today: NaiveDate,
    due: NaiveDate,
    days: i64,
    cal: &assure_domain::reviews::calendar::WorkingCalendar,
) -> Option<ClockState> {
    phase(ClockState::of_due(today, due, days, cal))
}

pub(crate) fn wording(phase: ClockState, due: NaiveDate) -> String {
    format!("{} {}", phase.was_or_is_due(), due.format("%-d %B %Y"))
}

pub(crate) fn merge(mut a: Vec<Recipient>, b: Vec<Recipient>) -> Vec<Recipient> {
    for r in b {
        if !a.iter().any(|x| x.user_id == r.user_id) {
            a.push(r);
        }
    }
    a
}

impl Core {
    /// Sends every reminder that is due and not yet sent, in every partnership.
    pub async fn send_reminders(&self) -> CoreResult<ReminderReport> {
        let mut report = ReminderReport::default();
        let today = self.today();
        let cal = self.working_calendar().await?;
        let mut conn = self.store.read().await?;
        let partnerships = assure_store::structure::partnerships(&mut conn).await?;
        drop(conn);
        for p in partnerships {
            let events = self.reminder_events(p.id, today, &cal).await?;
            let sent = self.deliver(events, "Assure: a safeguarding deadline", async |_| Ok(())).await?;
            report.notifications += sent.notifications;
            report.emails += sent.emails;
            report.email_failures += sent.email_failures;
        }
        // Practitioners' follow-ups (they have no account: e-mail only) and erasing booking
        // details past their retention.
        let training = self.training_work().await?;
        // Feedback's contact details, past their keeping.
        self.erase_feedback_contacts().await?;
        // Bulletins' copies still waiting (a sending interrupted by a restart), and subscriptions
        // never confirmed.
        let bulletins = self.send_queued_bulletins().await?;
        self.forget_unconfirmed_subscriptions().await?;
        if self.settings.mailer.is_some() {
            report.emails += training.emails().saturating_sub(training.email_failures);
            report.email_failures += training.email_failures;
            report.emails += bulletins.delivered;
            report.email_failures += bulletins.failed;
        }
        Ok(report)
    }

    /// Tells each event's recipients who have not yet heard of it: a notification in the
    /// application, and an e-mail when SMTP is configured. `also` writes in the same
    /// transaction (a record of the sending, say), so that all of it is kept or none.
    pub(crate) async fn deliver<F>(&self, events: Vec<Event>, subject: &str, also: F) -> CoreResult<ReminderReport>
    where
        F: AsyncFnOnce(&mut assure_store::WriteTx) -> CoreResult<()>,
    {
        let mut report = ReminderReport::default();
        let mut outbox: Vec<(String, String)> = Vec::new();
        let mut tx = self.store.write().await?;
        for event in events {
            for r in &event.recipients {
                if st::mark_reminded(&mut tx, &event.key, r.user_id).await? {
                    st::insert_notification(&mut tx, r.user_id, event.partnership, &event.message, &event.link).await?;
                    report.notifications += 1;
                    outbox.push((
                        r.email.clone(),
                        format!("{}\n\n{}{}\n", event.message, self.settings.public_url, event.link),
                    ));
                }
            }
        }
        also(&mut tx).await?;
        tx.commit().await?;
        // Sent after the commit, so that a failed write never sends a reminder it did not record.
        if let Some(mailer) = &self.settings.mailer {
            for (to, body) in outbox {
                match mailer.send(&to, subject, body).await {
                    Ok(()) => report.emails += 1,
                    Err(e) => {
                        tracing::warn!(error = %e, "a reminder e-mail could not be sent");
                        report.email_failures += 1;
                    }
                }
            }
        }
        Ok(report)
    }

    async fn reminder_events(
        &self,
        p: PartnershipId,
        today: NaiveDate,
        cal: &assure_domain::reviews::calendar::WorkingCalendar,
    ) -> CoreResult<Vec<Event>> {
        let mut conn = self.store.read().await?;
        // Every capability with deadlines, one line each.
        let mut events = self.review_reminder_events(&mut conn, p, today, cal).await?;
        events.extend(self.action_reminder_events(&mut conn, p, today, cal).await?);
        events.extend(self.campaign_reminder_events(&mut conn, p, today, cal).await?);
        events.extend(self.return_reminder_events(&mut conn, p, today, cal).await?);
        events.extend(self.paper_reminder_events(&mut conn, p, today, cal).await?);
        events.extend(self.report_author_reminder_events(&mut conn, p, today, cal).await?);
        events.extend(self.meeting_action_reminder_events(&mut conn, p, today, cal).await?);
        events.extend(self.risk_reminder_events(&mut conn, p, today, cal).await?);
        events.extend(self.challenge_reminder_events(&mut conn, p, today).await?);
        events.extend(self.feedback_reminder_events(&mut conn, p).await?);
        Ok(events)
    }

    /// The user's latest notifications in a partnership.
    pub async fn notifications(&self, user: UserId, p: PartnershipId) -> CoreResult<Vec<st::Notification>> {
        let mut conn = self.store.read().await?;
        Ok(st::notifications(&mut conn, user, p, 10).await?)
    }
}
