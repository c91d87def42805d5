//! The hourly work of training: offers of freed places not accepted in time lapse, and the place
//! is offered to the next on the waiting list; six weeks after a session, each attendee who
//! evaluated it is sent the impact follow-up (and chased once at eight weeks if it has not come
//! back); a manager who has not countersigned a follow-up two weeks after it came back is chased
//! once; and every booking's personal details are erased once its session is older than the
//! partnership's retention period (what happened, the organisation and sector, and the
//! follow-up's words stay for the reports).

use std::collections::BTreeSet;

use assure_domain::PartnershipId;
use assure_domain::training::{self as tr, Attendance, BookingStatus};
use assure_store::audit_log::{self, NewEntry};
use assure_store::training as st;
use chrono::NaiveDateTime;
use serde_json::json;

use super::Session;
use super::booking::Offer;
use crate::accounts::auth::{random_token, token_hash};
use crate::{Core, CoreResult};

/// How far back the work looks for follow-ups to send and countersignatures to chase, in days
/// after a session: past the attendee's reminder, with time for a late follow-up's manager.
const LOOK_BACK_DAYS: i64 = 120;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainingWork {
    /// Offers of places that lapsed, and offers made of the places they freed.
    pub offers_lapsed: usize,
    pub offers_made: usize,
    pub follow_ups: usize,
    pub reminders: usize,
    /// Managers chased for a countersignature.
    pub countersign_reminders: usize,
    pub erased: u64,
    pub email_failures: usize,
}

impl TrainingWork {
    /// E-mails this run meant to send.
    pub fn emails(&self) -> usize {
        self.offers_lapsed + self.offers_made + self.follow_ups + self.reminders + self.countersign_reminders
    }

    fn add(&mut self, one: &TrainingWork) {
        self.offers_lapsed += one.offers_lapsed;
        self.offers_made += one.offers_made;
        self.follow_ups += one.follow_ups;
        self.reminders += one.reminders;
        self.countersign_reminders += one.countersign_reminders;
        self.erased += one.erased;
        self.email_failures += one.email_failures;
    }
}

/// An e-mail to send once the run's changes are committed: (to, subject, body).
type Mail = (String, String, String);

impl Core {
    /// Lapses offers, sends the follow-ups and reminders due, and erases booking details past
    /// their retention, in every partnership with sessions.
    pub async fn training_work(&self) -> CoreResult<TrainingWork> {
        let partnerships = {
            let mut conn = self.store.read().await?;
            st::partnerships_with_sessions(&mut conn).await?
        };
        let mut out = TrainingWork::default();
        for p in partnerships {
            out.add(&self.training_work_in(p).await?);
        }
        Ok(out)
    }

    async fn training_work_in(&self, p: PartnershipId) -> CoreResult<TrainingWork> {
        let mut out = TrainingWork::default();
        let now = assure_domain::uk_time::uk_local(chrono::Utc::now()).0;
        let (settings, lines) = {
            let mut conn = self.store.read().await?;
            let settings = st::settings(&mut conn, p).await?;
            let from = now - chrono::Duration::days(LOOK_BACK_DAYS);
            let to = now - chrono::Duration::days(tr::FOLLOW_UP_AFTER_DAYS);
            let lines = st::lines_between(&mut conn, p, &st::moment(from), &st::moment(to)).await?;
            (settings, lines)
        };
        let mut outbox: Vec<Mail> = Vec::new();
        let mut offers: Vec<(Session, Vec<Offer>)> = Vec::new();
        let mut tx = self.store.write().await?;

        // Offers not accepted in time lapse; each place freed is offered to the next.
        let lapsed = st::offers_lapsed_by(&mut tx, p, now).await?;
        let mut sessions = BTreeSet::new();
        for b in &lapsed {
            st::set_status(&mut tx, b.id, BookingStatus::Lapsed, None, false).await?;
            sessions.insert(b.session_id);
        }
        for id in &sessions {
            let made = self.offer_places(&mut tx, *id, settings.offer_hours).await?;
            let s = st::session(&mut tx, *id).await?;
            for b in lapsed.iter().filter(|b| b.session_id == *id) {
                if let (Some(email), Some(name)) = (b.email.clone(), &b.name) {
                    outbox.push((
                        email,
                        format!("Your offer of a place has lapsed: {}", s.event_title),
                        format!(
                            "Dear {name},\n\nThe place offered to you on {}, {}, was not accepted in time, so it has gone to the next person on the waiting list. If you would still like to come, you are welcome to book again: you would join the end of the list.\n",
                            s.event_title,
                            s.starts.format("%A %-d %B %Y, %H:%M")
                        ),
                    ));
                }
            }
            out.offers_made += made.len();
            offers.push((s, made));
        }
        out.offers_lapsed = lapsed.len();

        // Each follow-up e-mail carries a link of its own to the booking (its first link still
        // opens it): the token is sent once and kept only as its hash.
        for l in &lines {
            let b = &l.booking;
            if let Some(mail) = self.countersign_reminder(&mut tx, l, now).await? {
                outbox.push(mail);
                out.countersign_reminders += 1;
                continue;
            }
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
        if out.emails() > 0 || out.erased > 0 {
            audit_log::append(
                &mut tx,
                NewEntry {
                    actor_label: "system".into(),
                    action: "training_work".into(),
                    record_type: "partnership".into(),
                    record_id: Some(p.to_string()),
                    partnership_id: Some(p.0),
                    detail: json!({"offers_lapsed": lapsed.iter().map(|b| b.id).collect::<Vec<_>>(),
                                   "offers_made": offers.iter().flat_map(|(_, o)| o.iter().map(|o| o.booking.id)).collect::<Vec<_>>(),
                                   "follow_ups": out.follow_ups, "reminders": out.reminders,
                                   "countersign_reminders": out.countersign_reminders, "erased": out.erased,
                                   "retention_days": settings.retention_days}),
                    ..Default::default()
                },
            )
            .await?;
        }
        tx.commit().await?;
        for (s, made) in &offers {
            out.email_failures += self.tell_offered(s, made).await;
        }
        if let Some(mailer) = &self.settings.mailer {
            for (to, subject, body) in outbox {
                if let Err(e) = mailer.send(&to, &subject, body).await {
                    tracing::warn!(error = %e, "a training e-mail could not be sent");
                    out.email_failures += 1;
                }
            }
        }
        Ok(out)
    }

    /// Chases the manager of a follow-up that came back two weeks ago or more and is not
    /// countersigned, once, with a link of its own (the first still works).
    async fn countersign_reminder(
        &self,
        tx: &mut assure_store::WriteTx,
        l: &st::Line,
        now: NaiveDateTime,
    ) -> CoreResult<Option<Mail>> {
        let b = &l.booking;
        let returned = b
            .followed_up_at
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| assure_domain::uk_time::uk_local(t.with_timezone(&chrono::Utc)).0);
        let (Some(returned), Some(manager)) = (returned, &b.manager_email) else { return Ok(None) };
        if b.countersigned_at.is_some()
            || b.manager_reminded_at.is_some()
            || b.erased_at.is_some()
            || now - returned < chrono::Duration::days(tr::COUNTERSIGN_REMINDER_DAYS)
        {
            return Ok(None);
        }
        let token = random_token(32);
        st::mark_manager_reminded(tx, b.id, &token_hash(&token)).await?;
        Ok(Some((
            manager.clone(),
            format!("Reminder: please countersign for {}", l.event_title),
            format!(
                "Hello,\n\nTwo weeks ago {} told us what has changed in their practice since {} on {}:\n\n{}\n\nFor example: {}\n\nWe have not yet heard from you. Please say whether you have seen this change (it takes a minute), here:\n{}/countersign/{token}\n",
                b.name.clone().unwrap_or_default(),
                l.event_title,
                l.starts.format("%-d %B %Y"),
                b.practice_change.clone().unwrap_or_default(),
                b.example.clone().unwrap_or_default(),
                self.settings.public_url
            ),
        )))
    }
}
