//! Calendars: each person's private iCalendar feed (a secret address they can reset) with the
//! meetings they sit on and the deadlines that are theirs, or one body's meetings; and the
//! invitation, change or cancellation e-mailed with an `.ics` to each member of a body when the
//! business unit plans, moves or cancels a meeting.

use std::collections::HashMap;

use assure_domain::meetings::ical::{self, Event, Invitation, Method, When};
use assure_domain::meetings::seat_on;
use assure_domain::validation::long_date;
use assure_domain::{Action, BodyId, MeetingId, PartnershipId, PersonId, UserId};
use assure_store::accounts as accounts_store;
use assure_store::audit_log;
use assure_store::meetings as st;
use assure_store::structure::{self as structure_store, Page};
use chrono::Utc;
use serde_json::json;

use super::{Meeting, of_meeting};
use crate::accounts::auth::{random_token, token_hash};
use crate::{Core, CoreError, CoreResult, Ctx};

/// How far a feed reaches: the last three months and the next year.
const FEED_PAST_DAYS: u64 = 92;
const FEED_AHEAD_DAYS: u64 = 366;

/// What the calendar page shows of a user's feed.
#[derive(Debug, Clone)]
pub struct FeedStatus {
    /// When the feed's address was made (UTC), if it has one.
    pub made: Option<String>,
    /// The bodies the user sits on, in the partnership they are working in, for one body's feed.
    pub bodies: Vec<(BodyId, String)>,
}

/// The host part of an event's UID: the public address without its scheme.
pub(crate) fn uid_host(public_url: &str) -> &str {
    let host = public_url.split("://").nth(1).unwrap_or(public_url);
    host.split('/').next().unwrap_or(host)
}

impl Core {
    fn meeting_event(&self, m: &Meeting) -> Event {
        let starts = m.held_on.and_time(m.starts_at);
        let place = m.place.clone();
        Event {
            uid: format!("meeting-{}@{}", m.id, uid_host(&self.settings.public_url)),
            sequence: m.sequence,
            when: When::Timed { starts, ends: m.ends_at.map(|e| m.held_on.and_time(e)) },
            summary: m.body_name.clone(),
            location: place,
            description: m.cancelled_reason.as_ref().map(|r| format!("Cancelled: {r}")),
            url: Some(format!("{}/meetings/{}", self.settings.public_url.trim_end_matches('/'), m.id)),
            cancelled: m.cancelled_reason.is_some(),
        }
    }

    /// The signed-in user's feed: when its address was made, and the bodies they sit on.
    pub async fn calendar_feed_status(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<FeedStatus> {
        let user = ctx.user_id().ok_or(CoreError::Forbidden)?;
        let mut conn = self.store.read().await?;
        let made = st::calendar_feed_made(&mut conn, user.0).await?;
        let seats = structure_store::memberships_of_email(&mut conn, p, &ctx.label).await?;
        drop(conn);
        let mut bodies: Vec<(BodyId, String)> = Vec::new();
        for m in seats {
            let seen = ctx
                .authorize(Action::View, &super::meeting_target(m.partnership_id, m.body_id, m.body_restricted))
                .is_ok();
            if seen && !bodies.iter().any(|(b, _)| *b == m.body_id) {
                bodies.push((m.body_id, m.body_name));
            }
        }
        Ok(FeedStatus { made, bodies })
    }

    /// Makes the signed-in user's feed address, or replaces it (the old one stops working at
    /// once). Returns the secret, which is shown once and kept only as its hash.
    pub async fn reset_calendar_feed(&self, ctx: &Ctx) -> CoreResult<String> {
        let user = ctx.user_id().ok_or(CoreError::Forbidden)?;
        let token = random_token(32);
        let mut tx = self.store.write().await?;
        let had = st::calendar_feed_made(&mut tx, user.0).await?.is_some();
        st::set_calendar_feed(&mut tx, user.0, &token_hash(&token)).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("calendar_feed", "user", Some(user.to_string()), None, json!({"replaced": had})),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// A feed by its secret: every meeting the user sits on (or, with `body`, that body's
    /// meetings) from three months ago to a year ahead, and the deadlines that are theirs (their
    /// actions, the clocks of the reviews they keep, what is asked of the organisations they act
    /// for). An unknown secret, or a disabled account's, is not found. Restricted reads are
    /// logged as on every channel.
    pub async fn calendar_feed(
        &self,
        token: &str,
        body: Option<BodyId>,
        ip: Option<String>,
        request_id: Option<String>,
    ) -> CoreResult<String> {
        let mut conn = self.store.read().await?;
        let Some(user) = st::calendar_feed_user(&mut conn, &token_hash(token)).await? else {
            return Err(CoreError::NotFound);
        };
        let generation = accounts_store::accounts_generation(&mut conn).await?;
        let (user, actor) = self.who(&mut conn, UserId(user), generation).await?;
        drop(conn);
        if user.disabled {
            return Err(CoreError::NotFound);
        }
        let ctx = Ctx {
            actor,
            label: user.email.clone(),
            name: user.shown_name().to_owned(),
            ip,
            request_id,
            generations: None,
        };
        let today = self.today();
        let from = today - chrono::Days::new(FEED_PAST_DAYS);
        let to = today + chrono::Days::new(FEED_AHEAD_DAYS);
        let mut events = Vec::new();
        let mut name = format!("Assure: {}", user.shown_name());
        for p in ctx.actor.partnerships() {
            let mut conn = self.store.read().await?;
            let seats = structure_store::memberships_of_email(&mut conn, p, &user.email).await?;
            let wanted: Vec<BodyId> = match body {
                Some(b) => vec![b],
                None => seats.iter().map(|m| m.body_id).collect(),
            };
            let meetings: Vec<Meeting> = st::meetings_in(&mut conn, p, from, to)
                .await?
                .into_iter()
                .filter(|m| wanted.contains(&m.body_id))
                .collect();
            drop(conn);
            let mine: Vec<Meeting> = meetings
                .into_iter()
                .filter(|m| ctx.authorize(Action::View, &of_meeting(m)).is_ok())
                .filter(|m| {
                    // A body's feed has all its meetings; a person's, those they sit at.
                    body.is_some()
                        || seats.iter().any(|s| s.body_id == m.body_id && seat_on(s.from_date, s.to_date, m.held_on))
                })
                .collect();
            if body.is_some()
                && let Some(m) = mine.first()
            {
                name = format!("{} meetings", m.body_name);
            }
            self.log_restricted_bodies(&ctx, p, &mine).await?;
            events.extend(mine.iter().map(|m| self.meeting_event(m)));
            if body.is_none() {
                events.extend(self.deadline_events(&ctx, p).await?);
            }
        }
        if let Some(b) = body
            && events.is_empty()
        {
            // A body the user may not see is not found; one with no meetings in reach is empty.
            let mut conn = self.store.read().await?;
            let found = structure_store::body(&mut conn, b).await?;
            drop(conn);
            ctx.authorize(Action::View, &super::meeting_target(found.partnership_id, found.id, found.restricted))?;
            name = format!("{} meetings", found.name);
        }
        Ok(ical::calendar(&name, Method::Publish, &events, None, Utc::now()))
    }

    /// The user's deadlines in a partnership as whole-day events.
    async fn deadline_events(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<Event>> {
        let host = uid_host(&self.settings.public_url).to_owned();
        let url = self.settings.public_url.trim_end_matches('/');
        let mut events = Vec::new();
        for item in self.my_actions(ctx, p).await? {
            let a = &item.action;
            events.push(Event {
                uid: format!("action-{}@{host}", a.id),
                sequence: 0,
                when: When::Day(a.target_on),
                summary: format!("Action due: {}", a.text),
                location: None,
                description: Some(format!("{} (recommendation {})", a.organisation_name, a.recommendation_number)),
                url: Some(format!("{url}/actions/{}", a.id)),
                cancelled: false,
            });
        }
        for o in self.papers_owed(ctx, p).await? {
            events.push(Event {
                uid: format!("papers-{}@{host}", o.item_id),
                sequence: 0,
                when: When::Day(o.due_on),
                summary: format!("Papers due: {}", o.title),
                location: None,
                description: Some(format!("For {} on {}", o.body_name, long_date(o.held_on))),
                url: Some(format!("{url}/agenda/{}", o.item_id)),
                cancelled: false,
            });
        }
        for a in self.my_meeting_actions(ctx, p).await? {
            events.push(Event {
                uid: format!("meeting-action-{}@{host}", a.id),
                sequence: 0,
                when: When::Day(a.due_on),
                summary: format!("Action due: {}", a.text),
                location: None,
                description: Some(format!("From {} on {}", a.body_name, long_date(a.held_on))),
                url: Some(format!("{url}/meetings/{}/minutes", a.meeting_id)),
                cancelled: false,
            });
        }
        let tasks = self.my_tasks(ctx, p).await?;
        for d in &tasks.deadlines {
            let Some(due) = d.clock.due else { continue };
            events.push(Event {
                uid: format!("review-{}-{}@{host}", d.review_id, d.clock.code),
                sequence: 0,
                when: When::Day(due),
                summary: format!("{}: {}", d.subject, d.clock.label),
                location: None,
                description: Some(d.type_name.clone()),
                url: Some(format!("{url}/reviews/{}", d.review_id)),
                cancelled: false,
            });
        }
        for (q, _) in &tasks.requests {
            events.push(Event {
                uid: format!("request-{}@{host}", q.id),
                sequence: 0,
                when: When::Day(q.due_on),
                summary: format!("{} to send its {}", q.organisation_name, q.kind),
                location: None,
                description: None,
                url: Some(format!("{url}/requests/{}", q.id)),
                cancelled: false,
            });
        }
        Ok(events)
    }

    /// E-mails each member of the meetings' bodies (each seat current on the day whose holder has
    /// an e-mail address) the invitation, change or cancellation with its `.ics`, when an SMTP
    /// server is configured and a person made the change (the console's, such as loading the
    /// demo, send none). Sent in the background after the change is saved: a failure is logged,
    /// never undoes the change.
    pub(crate) fn send_invitations(&self, ctx: &Ctx, meetings: Vec<MeetingId>, method: Method) {
        if self.settings.mailer.is_none() || meetings.is_empty() || ctx.user_id().is_none() {
            return;
        }
        let core = self.clone();
        tokio::spawn(async move {
            if let Err(e) = core.invite(&meetings, method).await {
                tracing::warn!(error = %e, "meeting invitations could not be sent");
            }
        });
    }

    async fn invite(&self, meetings: &[MeetingId], method: Method) -> CoreResult<()> {
        let Some(mailer) = self.settings.mailer.clone() else { return Ok(()) };
        let organiser = mailer.from_address();
        // The partnership's people's addresses, read once for every meeting of the change.
        let mut addresses: HashMap<PersonId, String> = HashMap::new();
        let mut read_for: Option<PartnershipId> = None;
        for id in meetings {
            let mut conn = self.store.read().await?;
            let m = st::meeting(&mut conn, *id).await?;
            let seats = structure_store::memberships_of_body(&mut conn, m.body_id).await?;
            if read_for != Some(m.partnership_id) {
                let (people, _) = structure_store::people(&mut conn, m.partnership_id, true, Page::ALL).await?;
                addresses = people.into_iter().filter_map(|p| Some((p.id, p.email?))).collect();
                read_for = Some(m.partnership_id);
            }
            drop(conn);
            let mut people: Vec<(String, String)> = Vec::new();
            for s in seats.iter().filter(|s| seat_on(s.from_date, s.to_date, m.held_on)) {
                if let Some(email) = addresses.get(&s.person_id)
                    && !people.iter().any(|(e, _)| e.eq_ignore_ascii_case(email))
                {
                    people.push((email.clone(), s.person_name.clone()));
                }
            }
            let event = self.meeting_event(&m);
            let when = format!("{} at {}", long_date(m.held_on), m.starts_at.format("%H:%M"));
            let (subject, opening) = match method {
                Method::Cancel => (
                    format!("Cancelled: {}, {when}", m.body_name),
                    format!(
                        "The meeting of {} on {when} is cancelled{}.",
                        m.body_name,
                        m.cancelled_reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()
                    ),
                ),
                _ if m.sequence > 0 => (
                    format!("Updated: {}, {when}", m.body_name),
                    format!("The meeting of {} is now on {when}.", m.body_name),
                ),
                _ => (format!("Invitation: {}, {when}", m.body_name), format!("{} meets on {when}.", m.body_name)),
            };
            let place = m.place.as_deref().map(|p| format!("\nPlace: {p}")).unwrap_or_default();
            let url = self.settings.public_url.trim_end_matches('/');
            let text = match method {
                Method::Cancel => format!("{opening}{place}\n\n{url}/meetings/{}\n", m.id),
                _ => format!(
                    "{opening}{place}\n\nSay whether you will attend, or send a deputy: {url}/meetings/{}#reply\n",
                    m.id
                ),
            };
            for (email, name) in &people {
                let invitation = Invitation { organiser: &organiser, attendee: email, attendee_name: name };
                let ics =
                    ical::calendar(&m.body_name, method, std::slice::from_ref(&event), Some(&invitation), Utc::now());
                if let Err(e) = mailer.send_with_calendar(email, &subject, text.clone(), ics, method.code()).await {
                    tracing::warn!(error = %e, meeting = m.id.0, "a meeting invitation could not be sent");
                }
            }
        }
        Ok(())
    }
}
