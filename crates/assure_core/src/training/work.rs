//! The hourly work of training: six weeks after a session, each attendee who evaluated it is
//! sent the impact follow-up (and chased once at eight weeks if it has not come back); and every
//! booking's personal details are erased once its session is older than the partnership's
//! retention period (what happened, the organisation and sector, and the follow-up's words stay
//! for the reports).

use assure_domain::PartnershipId;
use assure_domain::training::{self as tr, Attendance, BookingStatus};
use assure_store::audit_log::{self, NewEntry};
use assure_store::training as st;
use serde_json::json;

use crate::accounts::auth::{random_token, token_hash};
use crate::{Core, CoreResult};

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainingWork {
    pub follow_ups: usize,
    pub reminders: usize,
    pub erased: u64,
    pub email_failures: usize,
}

impl Core {
    /// Sends the follow-ups and reminders due, and erases booking details past their retention,
    /// in every partnership with sessions.
    pub async fn training_work(&self) -> CoreResult<TrainingWork> {
        let partnerships = {
            let mut conn = self.store.read().await?;
            st::partnerships_with_sessions(&mut conn).await?
        };
        let mut out = TrainingWork::default();
        for p in partnerships {
            let one = self.training_work_in(p).await?;
            out.follow_ups += one.follow_ups;
            out.reminders += one.reminders;
            out.erased += one.erased;
            out.email_failures += one.email_failures;
        }
        Ok(out)
    }

    async fn training_work_in(&self, p: PartnershipId) -> CoreResult<TrainingWork> {
        let mut out = TrainingWork::default();
        let now = assure_domain::uk_time::uk_local(chrono::Utc::now()).0;
        let (settings, lines) = {
            let mut conn = self.store.read().await?;
            let settings = st::settings(&mut conn, p).await?;
            let from = now - chrono::Duration::days(tr::FOLLOW_UP_REMINDER_DAYS + 30);
            let to = now - chrono::Duration::days(tr::FOLLOW_UP_AFTER_DAYS);
            let lines = st::lines_between(&mut conn, p, &st::moment(from), &st::moment(to)).await?;
            (settings, lines)
        };
        // Each follow-up e-mail carries a link of its own to the booking (its first link still
        // opens it): the token is sent once and kept only as its hash.
        let mut outbox: Vec<(String, String, String)> = Vec::new();
        let mut tx = self.store.write().await?;
        for l in &lines {
            let b = &l.booking;
            let due = b.status == BookingStatus::Booked
                && b.attendance == Some(Attendance::Attended)
                && b.evaluated_at.is_some()
                && b.followed_up_at.is_none()
                && b.erased_at.is_none();
            let Some(email) = b.email.clone().filter(|_| due) else { continue };
            let days = (now - l.starts).num_days();
            let reminder = if b.follow_up_sent_at.is_none() {
                false
            } else if b.follow_up_reminded_at.is_none() && days >= tr::FOLLOW_UP_REMINDER_DAYS {
                true
            } else {
                continue;
            };
            let token = random_token(32);
            st::mark_follow_up(&mut tx, b.id, reminder, &token_hash(&token)).await?;
            let subject = if reminder { "Reminder: what has changed since" } else { "What has changed since" };
            outbox.push((
                email,
                format!("{subject} {}?", l.event_title),
                format!(
                    "Dear {},\n\nSix weeks ago you attended {} on {}. What has changed in your practice since? Please tell us, with an example, here (it takes five minutes; your manager is then asked to countersign):\n{}/bookings/{token}\n",
                    b.name.clone().unwrap_or_default(),
                    l.event_title,
                    l.starts.format("%-d %B %Y"),
                    self.settings.public_url
                ),
            ));
            if reminder {
                out.reminders += 1;
            } else {
                out.follow_ups += 1;
            }
        }
        let before = now - chrono::Duration::days(settings.retention_days);
        out.erased = st::erase_before(&mut tx, p, &st::moment(before)).await?;
        if out.follow_ups + out.reminders > 0 || out.erased > 0 {
            audit_log::append(
                &mut tx,
                NewEntry {
                    actor_label: "system".into(),
                    action: "training_work".into(),
                    record_type: "partnership".into(),
                    record_id: Some(p.to_string()),
                    partnership_id: Some(p.0),
                    detail: json!({"follow_ups": out.follow_ups, "reminders": out.reminders, "erased": out.erased,
                                   "retention_days": settings.retention_days}),
                    ..Default::default()
                },
            )
            .await?;
        }
        tx.commit().await?;
        if let Some(mailer) = &self.settings.mailer {
            for (to, subject, body) in outbox {
                if let Err(e) = mailer.send(&to, &subject, body).await {
                    tracing::warn!(error = %e, "a training follow-up could not be sent");
                    out.email_failures += 1;
                }
            }
        }
        Ok(out)
    }
}
