//! Training and events: the partnership's learning offer (events of several kinds, each serving
//! priorities of the strategy or the learning of case reviews), their sessions, and practitioners'
//! bookings, mostly by people with no account, through a public page per session. Everyone in
//! the partnership reads the programme; the business unit runs it; an agency lead reads its own
//! organisation's bookings (attendance and charges); the scrutineer reads everything.
//!
//! Parts: `booking` (the public page, booking, the waiting list, cancelling, the booking's own
//! page by its link, evaluation and certificate, follow-up and countersignature), `register` (the
//! register, an online meeting's attendance report, charges, settings), `reports` (attendance by
//! agency, sector and kind; rates; evaluation; impact; champions), `work` (the hourly follow-ups
//! and erasing booking details past their retention).

pub use assure_store::training::{Booking, Event, Session};

use assure_domain::structure::Choice;
use assure_domain::training::{BookingStatus, EventInput, SessionInput};
use assure_domain::{Action, OrganisationId, PartnershipId, ResourceKind as K, Target};
use assure_store::audit_log;
use assure_store::structure::Page;
use assure_store::training as st;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

mod booking;
mod register;
mod reports;
mod work;

pub use booking::{Booked, BookingPage, PublicSession};
pub use register::{Charge, REPORT_LIMITS, RegisterImport};
pub use reports::{Champions, EventResults, Impact, Report, ReportRow, tenths};
pub use work::TrainingWork;

pub(crate) fn of_event(p: PartnershipId) -> Target {
    Target::new(K::TrainingEvent, p)
}

pub(crate) fn of_booking(p: PartnershipId, org: Option<OrganisationId>) -> Target {
    Target::new(K::Booking, p).organisation(org)
}

/// The partnership's training: its events, each with its sessions.
#[derive(Debug, Clone)]
pub struct Programme {
    pub events: Vec<(Event, Vec<Session>)>,
    pub can_edit: bool,
    /// What an event's form offers (for the business unit).
    pub choices: EventChoices,
}

/// What an event may be for and serve: the partnership's current agencies, and its strategies'
/// priorities, each as (id, label).
#[derive(Debug, Clone, Default)]
pub struct EventChoices {
    pub organisations: Vec<(OrganisationId, String)>,
    pub priorities: Vec<(i64, String)>,
}

/// One event with its sessions and what it serves.
#[derive(Debug, Clone)]
pub struct EventView {
    pub event: Event,
    pub sessions: Vec<Session>,
    /// The strategy's priorities it serves: (id, "9.7 Training").
    pub priorities: Vec<(i64, String)>,
    /// The agencies it is for, by name (none: every agency).
    pub audience: Vec<(OrganisationId, String)>,
    pub can_edit: bool,
    /// What the event's form offers (for the business unit).
    pub choices: EventChoices,
}

/// One session with the bookings the reader may see.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub session: Session,
    pub event: Event,
    /// Every booking for the business unit and the scrutineer; an agency lead's organisation's own.
    pub bookings: Vec<Booking>,
    pub can_edit: bool,
    /// The session's public booking page, relative to the service's address.
    pub public_path: String,
}

/// The partnership's strategies' priorities as (id, "9.7 Training").
async fn priority_choices(conn: &mut assure_store::Conn, p: PartnershipId) -> CoreResult<Vec<(i64, String)>> {
    Ok(assure_store::strategy::priorities_in(conn, p)
        .await?
        .into_iter()
        .map(|pr| (pr.id, format!("{} {}", pr.number, pr.title)))
        .collect())
}

async fn event_choices(conn: &mut assure_store::Conn, p: PartnershipId) -> CoreResult<EventChoices> {
    let (orgs, _) = assure_store::structure::organisations(conn, p, false, Page::ALL).await?;
    Ok(EventChoices {
        organisations: orgs.into_iter().map(|o| (o.id, o.name)).collect(),
        priorities: priority_choices(conn, p).await?,
    })
}

impl Core {
    /// The partnership's events with their sessions, the latest first.
    pub async fn training(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Programme> {
        ctx.authorize(Action::View, &of_event(p))?;
        let mut conn = self.store.read().await?;
        let events = st::events_in(&mut conn, p).await?;
        let sessions = st::sessions_in(&mut conn, p, None).await?;
        let can_edit = assure_domain::can(&ctx.actor, Action::Create, &of_event(p));
        let choices = if can_edit { event_choices(&mut conn, p).await? } else { EventChoices::default() };
        drop(conn);
        let events = events
            .into_iter()
            .map(|e| {
                let mine = sessions.iter().filter(|s| s.event_id == e.id).cloned().collect();
                (e, mine)
            })
            .collect();
        Ok(Programme { events, can_edit, choices })
    }

    /// Checks that an event's priorities, reviews and audience's agencies are the partnership's.
    async fn check_serves(&self, p: PartnershipId, new: &assure_domain::training::NewEvent) -> CoreResult<()> {
        let mut conn = self.store.read().await?;
        if !new.priority_ids.is_empty() {
            let known = assure_store::strategy::priorities_in(&mut conn, p).await?;
            if new.priority_ids.iter().any(|id| !known.iter().any(|k| k.id == *id)) {
                return Err(CoreError::field("priority_ids", "Select the priorities from the list"));
            }
        }
        if !new.organisation_ids.is_empty() {
            let (known, _) = assure_store::structure::organisations(&mut conn, p, false, Page::ALL).await?;
            if new.organisation_ids.iter().any(|id| !known.iter().any(|k| k.id == *id)) {
                return Err(CoreError::field("organisation_ids", "Select the agencies from the list"));
            }
        }
        for r in &new.review_ids {
            let review = assure_store::reviews::review(&mut conn, *r).await;
            if !review.as_ref().is_ok_and(|x| x.partnership_id == p) {
                return Err(CoreError::field("review_ids", "Enter the numbers of the partnership's case reviews"));
            }
        }
        Ok(())
    }

    pub async fn create_training_event(&self, ctx: &Ctx, p: PartnershipId, input: &EventInput) -> CoreResult<i64> {
        ctx.authorize(Action::Create, &of_event(p))?;
        let new = input.validate()?;
        self.check_serves(p, &new).await?;
        let mut tx = self.store.write().await?;
        let id = st::insert_event(&mut tx, p, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "training_event",
                Some(id.to_string()),
                Some(p),
                json!({"title": new.title, "kind": new.kind.code(), "programme": new.programme,
                       "priority_ids": new.priority_ids, "review_ids": new.review_ids,
                       "organisation_ids": new.organisation_ids}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_training_event(&self, ctx: &Ctx, id: i64, input: &EventInput) -> CoreResult<()> {
        let p = {
            let mut conn = self.store.read().await?;
            st::event(&mut conn, id).await?.partnership_id
        };
        ctx.authorize(Action::Update, &of_event(p))?;
        let new = input.validate()?;
        self.check_serves(p, &new).await?;
        let mut tx = self.store.write().await?;
        st::update_event(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "training_event",
                Some(id.to_string()),
                Some(p),
                json!({"title": new.title, "kind": new.kind.code(), "programme": new.programme,
                       "priority_ids": new.priority_ids, "review_ids": new.review_ids,
                       "organisation_ids": new.organisation_ids}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An event with its sessions and the priorities it serves.
    pub async fn training_event(&self, ctx: &Ctx, id: i64) -> CoreResult<EventView> {
        let mut conn = self.store.read().await?;
        let event = st::event(&mut conn, id).await?;
        ctx.authorize(Action::View, &of_event(event.partnership_id))?;
        let sessions = st::sessions_in(&mut conn, event.partnership_id, Some(id)).await?;
        let p = event.partnership_id;
        let priorities = if event.priority_ids.is_empty() {
            Vec::new()
        } else {
            priority_choices(&mut conn, p)
                .await?
                .into_iter()
                .filter(|(id, _)| event.priority_ids.contains(id))
                .collect()
        };
        let audience = if event.organisation_ids.is_empty() {
            Vec::new()
        } else {
            // Ended agencies too: an event's audience stays as it was set.
            let (all, _) = assure_store::structure::organisations(&mut conn, p, true, Page::ALL).await?;
            all.into_iter().filter(|o| event.organisation_ids.contains(&o.id)).map(|o| (o.id, o.name)).collect()
        };
        let can_edit = assure_domain::can(&ctx.actor, Action::Update, &of_event(p));
        let choices = if can_edit { event_choices(&mut conn, p).await? } else { EventChoices::default() };
        drop(conn);
        Ok(EventView { event, sessions, priorities, audience, can_edit, choices })
    }

    /// Adds a session to an event (a past day records one already held).
    pub async fn add_training_session(&self, ctx: &Ctx, event: i64, input: &SessionInput) -> CoreResult<i64> {
        let p = {
            let mut conn = self.store.read().await?;
            st::event(&mut conn, event).await?.partnership_id
        };
        ctx.authorize(Action::Update, &of_event(p))?;
        let new = input.validate(self.today(), true)?;
        let mut tx = self.store.write().await?;
        if st::sessions_in(&mut tx, p, Some(event)).await?.len() >= assure_domain::training::MAX_SESSIONS {
            return Err(CoreError::field(
                "on",
                format!("An event holds at most {} sessions", assure_domain::training::MAX_SESSIONS),
            ));
        }
        let id = st::insert_session(&mut tx, event, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "training_session",
                Some(id.to_string()),
                Some(p),
                json!({"event_id": event, "starts": st::moment(new.starts), "capacity": new.capacity,
                       "per_organisation": new.per_organisation}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Cancels a session that has not started, with the reason: every booking on it (booked,
    /// offered or waiting) is cancelled, none of them late nor charged, and each person is told by
    /// e-mail (those with a place with the calendar's cancellation of their invitation). Returns
    /// how many bookings it cancelled.
    pub async fn cancel_training_session(&self, ctx: &Ctx, id: i64, reason: &str) -> CoreResult<usize> {
        let s = {
            let mut conn = self.store.read().await?;
            st::session(&mut conn, id).await?
        };
        ctx.authorize(Action::Update, &of_event(s.partnership_id))?;
        let reason = assure_domain::validation::required_text("why the session is cancelled", reason, 500)
            .map_err(|m| CoreError::field("reason", m))?;
        if s.cancelled_reason.is_some() {
            return Err(CoreError::field("reason", "This session is already cancelled"));
        }
        if s.starts <= assure_domain::uk_time::uk_local(chrono::Utc::now()).0 {
            return Err(CoreError::field("reason", "A session that has started cannot be cancelled"));
        }
        let mut tx = self.store.write().await?;
        st::cancel_session(&mut tx, id, &reason, &ctx.name).await?;
        let told: Vec<Booking> = st::bookings_of(&mut tx, id)
            .await?
            .into_iter()
            .filter(|b| matches!(b.status, BookingStatus::Booked | BookingStatus::Offered | BookingStatus::Waiting))
            .collect();
        for b in &told {
            st::set_status(&mut tx, b.id, BookingStatus::Cancelled, None, true).await?;
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "cancel_session",
                "training_session",
                Some(id.to_string()),
                Some(s.partnership_id),
                json!({"reason": reason, "bookings": told.iter().map(|b| b.id).collect::<Vec<_>>()}),
            ),
        )
        .await?;
        tx.commit().await?;
        self.tell_session_cancelled(&s, &reason, &told).await;
        Ok(told.len())
    }

    /// Tells each booking of a cancelled session, by e-mail; a failure to send is logged.
    async fn tell_session_cancelled(&self, s: &Session, reason: &str, told: &[Booking]) {
        let Some(mailer) = &self.settings.mailer else { return };
        let when = s.starts.format("%A %-d %B %Y, %H:%M");
        for b in told {
            let (Some(email), Some(name)) = (&b.email, &b.name) else { continue };
            let subject = format!("Cancelled: {}", s.event_title);
            let body = format!(
                "Dear {name},\n\n{}, {when}, is cancelled: {reason}\n\nYour booking is cancelled with it, and nothing is charged. We will let you know of other dates.\n",
                s.event_title
            );
            let sent = if b.status == BookingStatus::Booked {
                let event = assure_domain::meetings::ical::Event {
                    uid: format!(
                        "training-{}@{}",
                        b.id,
                        crate::meetings::calendar::uid_host(&self.settings.public_url)
                    ),
                    sequence: 1,
                    when: assure_domain::meetings::ical::When::Timed { starts: s.starts, ends: Some(s.ends) },
                    summary: s.event_title.clone(),
                    location: s.place.clone(),
                    description: Some(format!("Cancelled: {reason}")),
                    url: None,
                    cancelled: true,
                };
                let invitation = assure_domain::meetings::ical::Invitation {
                    organiser: &mailer.from_address(),
                    attendee: email,
                    attendee_name: name,
                };
                let ics = assure_domain::meetings::ical::calendar(
                    &s.event_title,
                    assure_domain::meetings::ical::Method::Cancel,
                    &[event],
                    Some(&invitation),
                    chrono::Utc::now(),
                );
                mailer.send_with_calendar(email, &subject, body, ics, "CANCEL").await
            } else {
                mailer.send(email, &subject, body).await
            };
            if let Err(e) = sent {
                tracing::warn!(error = %e, "a session's cancellation could not be sent");
            }
        }
    }

    /// A session with the bookings the reader may see: all of them for the business unit and
    /// the scrutineer, an agency lead's organisation's own; nobody else's for anyone else.
    pub async fn training_session(&self, ctx: &Ctx, id: i64) -> CoreResult<SessionView> {
        let mut conn = self.store.read().await?;
        let session = st::session(&mut conn, id).await?;
        let p = session.partnership_id;
        ctx.authorize(Action::View, &of_event(p))?;
        let event = st::event(&mut conn, session.event_id).await?;
        let all = st::bookings_of(&mut conn, id).await?;
        drop(conn);
        let bookings = all
            .into_iter()
            .filter(|b| assure_domain::can(&ctx.actor, Action::View, &of_booking(p, b.organisation_id)))
            .collect();
        let can_edit = assure_domain::can(&ctx.actor, Action::Update, &of_booking(p, None));
        Ok(SessionView { session, event, bookings, can_edit, public_path: format!("/book/{id}") })
    }
}
