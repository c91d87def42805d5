//! Booking a session without an account, and everything a booking's own link opens: the public
//! page (what the session is, places left, the partnership's organisations to choose from),
//! booking (a place, the waiting list, or refused when the organisation's places are taken),
//! confirmation by e-mail with the session as a calendar invitation, cancelling (a late
//! cancellation is recorded as one; a freed place is offered to the next on the waiting list, who
//! accepts it by a link of its own before the offer lapses), the
//! evaluation after the session and the certificate it unlocks, and the impact follow-up with its
//! countersignature by the attendee's manager.
//!
//! The public is protected by a limit of booking attempts per address, a honeypot field, the
//! request size limit and the form's double-submit token; a booking link is a 256-bit random token
//! kept only as its SHA-256 hash.

use std::collections::BTreeMap;

use assure_domain::meetings::ical;
use assure_domain::structure::{Choice, Sector};
use assure_domain::training::{
    self as tr, Attendance, BookingInput, BookingStatus, CountersignInput, EvaluationInput, EventKind, FollowUpInput,
    Placed, Waiter,
};
use assure_domain::{OrganisationId, PartnershipId};
use assure_store::audit_log::{self, NewEntry};
use assure_store::training as st;
use chrono::NaiveDateTime;
use serde_json::json;

use super::{Booking, Session};
use crate::accounts::auth::{random_token, token_hash};
use crate::documents::{Block, Document, Marking};
use crate::{Core, CoreError, CoreResult};

/// What the public booking page shows of a session: never its online link, nor who has booked.
#[derive(Debug, Clone)]
pub struct PublicSession {
    pub session_id: i64,
    pub partnership_name: String,
    pub event_title: String,
    pub kind: EventKind,
    pub description: Option<String>,
    pub levels: Option<String>,
    pub sectors: Vec<Sector>,
    /// The agencies it is for, by name (none: every agency).
    pub audience: Vec<String>,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    /// Where, or that it is online.
    pub place: Option<String>,
    pub online: bool,
    pub free: i64,
    pub waiting: i64,
    /// Booking is closed: the session has started, or it was cancelled.
    pub closed: bool,
    /// The partnership's organisations to choose from (schools and voluntary groups too).
    pub organisations: Vec<(OrganisationId, String)>,
}

/// A freed place offered to someone on the waiting list: the offer's link's token (e-mailed,
/// kept only as its hash) and when it lapses.
#[derive(Debug, Clone)]
pub(crate) struct Offer {
    pub booking: Booking,
    pub token: String,
    pub lapses: NaiveDateTime,
}

/// A booking taken.
#[derive(Debug, Clone)]
pub struct Booked {
    pub status: BookingStatus,
    /// The booking's own link's token: shown once, and e-mailed.
    pub token: String,
}

/// A booking as its own link shows it.
#[derive(Debug, Clone)]
pub struct BookingPage {
    pub booking: Booking,
    pub session: Session,
    pub event_title: String,
    /// What may be done now.
    pub may_cancel: bool,
    /// A freed place is offered and may be accepted (until `booking.offer_expires_at`).
    pub may_accept: bool,
    pub may_evaluate: bool,
    pub may_follow_up: bool,
    pub certificate: bool,
}

fn now_uk() -> NaiveDateTime {
    assure_domain::uk_time::uk_local(chrono::Utc::now()).0
}

impl Core {
    async fn public_partnership_name(&self, p: PartnershipId) -> CoreResult<String> {
        let mut conn = self.store.read().await?;
        Ok(assure_store::structure::partnership(&mut conn, p).await?.name)
    }

    /// The public page of a session: anyone may read it.
    pub async fn public_session(&self, session: i64) -> CoreResult<PublicSession> {
        let (s, event) = {
            let mut conn = self.store.read().await?;
            let s = st::session(&mut conn, session).await?;
            let event = st::event(&mut conn, s.event_id).await?;
            (s, event)
        };
        let p = s.partnership_id;
        let orgs = {
            let mut conn = self.store.read().await?;
            let (all, _) =
                assure_store::structure::organisations(&mut conn, p, false, assure_store::structure::Page::ALL).await?;
            all
        };
        let mut organisations: Vec<(OrganisationId, String)> = orgs.into_iter().map(|o| (o.id, o.name)).collect();
        organisations.sort_by(|a, b| a.1.cmp(&b.1));
        let audience = organisations
            .iter()
            .filter(|(id, _)| event.organisation_ids.contains(id))
            .map(|(_, name)| name.clone())
            .collect();
        Ok(PublicSession {
            session_id: s.id,
            partnership_name: self.public_partnership_name(p).await?,
            event_title: event.title,
            kind: event.kind,
            description: event.description,
            levels: event.levels,
            sectors: event.sectors,
            audience,
            starts: s.starts,
            ends: s.ends,
            place: s.place.clone(),
            online: s.online_link.is_some(),
            free: s.free(),
            waiting: s.waiting,
            closed: s.cancelled_reason.is_some() || s.starts <= now_uk(),
            organisations,
        })
    }

    /// Books a place on a session for someone without an account: a place while there is one
    /// and their organisation is under its limit, else the waiting list; refused (and counted
    /// against the address) when the honeypot is filled or the address has tried too often.
    pub async fn book(
        &self,
        session: i64,
        input: &BookingInput,
        ip: Option<String>,
        request_id: Option<String>,
    ) -> CoreResult<Booked> {
        let address = ip.clone().unwrap_or_default();
        if let Some(retry_after) = self.booking_throttle.blocked(&address) {
            return Err(CoreError::Throttled { retry_after });
        }
        self.booking_throttle.failed(&address);
        if input.is_robot() {
            return Err(CoreError::field("name", "Your booking could not be taken: please try again"));
        }
        let new = input.validate()?;
        let public = self.public_session(session).await?;
        if public.closed {
            return Err(CoreError::field("name", "Booking has closed: the session has started or was cancelled"));
        }
        if let Some(o) = new.organisation_id
            && !public.organisations.iter().any(|(id, _)| *id == o)
        {
            return Err(CoreError::field("organisation_id", "Select your organisation from the list"));
        }
        if public.kind == EventKind::Champions && new.champion.is_none() {
            return Err(CoreError::field("champion", "Say whether you are a new champion or refreshing"));
        }
        let token = random_token(32);
        let mut tx = self.store.write().await?;
        let s = st::session(&mut tx, session).await?;
        if st::active_booking_of(&mut tx, session, &new.email).await?.is_some() {
            return Err(CoreError::field(
                "email",
                "That address already has a booking on this session: use its link to change it",
            ));
        }
        let by_org = match new.organisation_id {
            Some(o) => st::booked_by_organisation(&mut tx, session, o).await?,
            None => 0,
        };
        let status = match tr::place(
            s.capacity,
            s.taken(),
            s.per_organisation.filter(|_| new.organisation_id.is_some()),
            by_org,
        ) {
            Placed::Booked => BookingStatus::Booked,
            Placed::Waiting => BookingStatus::Waiting,
            Placed::OrganisationFull => {
                return Err(CoreError::field(
                    "organisation_id",
                    format!(
                        "Your organisation has all the places it may take on this session ({}): ask a colleague who cannot come to cancel theirs",
                        s.per_organisation.unwrap_or_default()
                    ),
                ));
            }
        };
        let id = st::insert_booking(&mut tx, session, &new, status, &token_hash(&token)).await?;
        audit_log::append(
            &mut tx,
            NewEntry {
                actor_label: "booking page".into(),
                action: "book".into(),
                record_type: "training_session".into(),
                record_id: Some(session.to_string()),
                partnership_id: Some(s.partnership_id.0),
                ip,
                request_id,
                detail: json!({"booking_id": id, "status": status.code(), "organisation_id": new.organisation_id,
                               "sector": new.sector.code()}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        self.tell_booked(&s, &public.event_title, (&new.email, &new.name), id, &token, status).await;
        Ok(Booked { status, token })
    }

    /// E-mails a booking's confirmation (a place, with the session as an invitation) or its
    /// place on the waiting list; a failure to send is logged, never the booking's undoing.
    async fn tell_booked(
        &self,
        s: &Session,
        title: &str,
        (email, name): (&str, &str),
        booking: i64,
        token: &str,
        status: BookingStatus,
    ) {
        let Some(mailer) = &self.settings.mailer else { return };
        let link = format!("{}/bookings/{token}", self.settings.public_url);
        let when = format!("{} to {}", s.starts.format("%A %-d %B %Y, %H:%M"), s.ends.format("%H:%M"));
        let where_ = s.place.clone().unwrap_or_else(|| "Online".into());
        let sent = match status {
            BookingStatus::Booked => {
                let mut body = format!(
                    "Dear {name},\n\nYour place is booked on {title}, {when}, {where_}.\n\nYour booking, to cancel it if you cannot come (please do, so that someone on the waiting list can have your place), and after the session to give your evaluation and get your certificate:\n{link}\n"
                );
                if let Some(online) = &s.online_link {
                    body.push_str(&format!("\nJoin online: {online}\n"));
                }
                let event = ical::Event {
                    uid: format!(
                        "training-{booking}@{}",
                        crate::meetings::calendar::uid_host(&self.settings.public_url)
                    ),
                    sequence: 0,
                    when: ical::When::Timed { starts: s.starts, ends: Some(s.ends) },
                    summary: title.to_owned(),
                    location: Some(s.online_link.clone().unwrap_or(where_.clone())),
                    description: Some(format!("Your booking: {link}")),
                    url: Some(link.clone()),
                    cancelled: false,
                };
                let invitation =
                    ical::Invitation { organiser: &mailer.from_address(), attendee: email, attendee_name: name };
                let ics = ical::calendar(title, ical::Method::Request, &[event], Some(&invitation), chrono::Utc::now());
                mailer.send_with_calendar(email, &format!("Booked: {title}"), body, ics, "REQUEST").await
            }
            _ => {
                let body = format!(
                    "Dear {name},\n\n{title}, {when}, is full: you are on its waiting list. If a place comes free it is offered in the order people joined: we will e-mail you a link to accept it, and it is held for you for a set time.\n\nYour booking: {link}\n"
                );
                mailer.send(email, &format!("Waiting list: {title}"), body).await
            }
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, "a booking's e-mail could not be sent");
        }
    }

    /// The booking a link opens.
    pub async fn booking_page(&self, token: &str) -> CoreResult<BookingPage> {
        let mut conn = self.store.read().await?;
        let booking = st::booking_by_token(&mut conn, &token_hash(token), false).await?;
        let session = st::session(&mut conn, booking.session_id).await?;
        drop(conn);
        let now = now_uk();
        let started = session.starts <= now;
        let active = matches!(booking.status, BookingStatus::Booked | BookingStatus::Waiting | BookingStatus::Offered);
        let attended = booking.status == BookingStatus::Booked
            && booking.attendance != Some(Attendance::NoShow)
            && booking.attendance != Some(Attendance::LateCancellation);
        let event_title = session.event_title.clone();
        Ok(BookingPage {
            may_cancel: active && !started && booking.erased_at.is_none(),
            may_accept: booking.status == BookingStatus::Offered
                && !started
                && booking.offer_expires_at.is_some_and(|l| l > now)
                && booking.erased_at.is_none(),
            may_evaluate: attended && started && booking.evaluated_at.is_none() && booking.erased_at.is_none(),
            may_follow_up: attended
                && booking.evaluated_at.is_some()
                && booking.followed_up_at.is_none()
                && booking.erased_at.is_none()
                && (booking.follow_up_sent_at.is_some()
                    || now - session.ends >= chrono::Duration::days(tr::FOLLOW_UP_AFTER_DAYS)),
            certificate: booking.evaluated_at.is_some() && booking.erased_at.is_none(),
            booking,
            session,
            event_title,
        })
    }

    /// Cancels a booking by its link. A cancellation within the partnership's late window is
    /// recorded as a late cancellation (which may be charged); the freed place goes to the first
    /// on the waiting list whose organisation is under its limit, who is told.
    pub async fn cancel_booking(&self, token: &str, ip: Option<String>) -> CoreResult<()> {
        let page = self.booking_page(token).await?;
        if !page.may_cancel {
            return Err(CoreError::field("cancel", "This booking can no longer be cancelled"));
        }
        let p = page.session.partnership_id;
        let settings = {
            let mut conn = self.store.read().await?;
            st::settings(&mut conn, p).await?
        };
        let late = page.booking.status == BookingStatus::Booked
            && tr::late(now_uk(), page.session.starts, settings.late_within_days);
        let mut tx = self.store.write().await?;
        st::set_status(
            &mut tx,
            page.booking.id,
            BookingStatus::Cancelled,
            late.then_some(Attendance::LateCancellation),
            true,
        )
        .await?;
        let offered = self.offer_places(&mut tx, page.session.id, settings.offer_hours).await?;
        audit_log::append(
            &mut tx,
            NewEntry {
                actor_label: "booking link".into(),
                action: "cancel_booking".into(),
                record_type: "training_session".into(),
                record_id: Some(page.session.id.to_string()),
                partnership_id: Some(p.0),
                ip,
                detail: json!({"booking_id": page.booking.id, "late": late,
                               "offered": offered.iter().map(|o| o.booking.id).collect::<Vec<_>>()}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        self.tell_offered(&page.session, &offered).await;
        Ok(())
    }

    /// Accepts the place a booking on the waiting list was offered, by its link, before the
    /// offer lapses: the place is booked and confirmed by e-mail with the session's invitation.
    pub async fn accept_offer(&self, token: &str, ip: Option<String>) -> CoreResult<()> {
        let page = self.booking_page(token).await?;
        if !page.may_accept {
            return Err(CoreError::field(
                "accept",
                "This offer of a place has lapsed or been taken up: the place has gone to the next on the waiting list",
            ));
        }
        let mut tx = self.store.write().await?;
        let b = st::booking(&mut tx, page.booking.id).await?;
        if b.status != BookingStatus::Offered {
            return Err(CoreError::field("accept", "This offer of a place is no longer open"));
        }
        st::set_status(&mut tx, b.id, BookingStatus::Booked, None, false).await?;
        audit_log::append(
            &mut tx,
            NewEntry {
                actor_label: "booking link".into(),
                action: "accept_offer".into(),
                record_type: "training_session".into(),
                record_id: Some(page.session.id.to_string()),
                partnership_id: Some(page.session.partnership_id.0),
                ip,
                detail: json!({"booking_id": b.id}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        if let (Some(email), Some(name)) = (&b.email, &b.name) {
            self.tell_booked(&page.session, &page.event_title, (email, name), b.id, token, BookingStatus::Booked).await;
        }
        Ok(())
    }

    /// Offers a session's free places to the waiting list in order (within each organisation's
    /// limit), each held until the offer lapses (`offer_hours`, or when the session starts); each
    /// offer has a link of its own. Returns the offers made, for their e-mails once committed.
    pub(crate) async fn offer_places(
        &self,
        tx: &mut assure_store::WriteTx,
        session: i64,
        offer_hours: i64,
    ) -> CoreResult<Vec<Offer>> {
        let s = st::session(tx, session).await?;
        let Some(lapses) = tr::offer_lapses(now_uk(), s.starts, offer_hours).filter(|_| s.cancelled_reason.is_none())
        else {
            return Ok(Vec::new());
        };
        let all = st::bookings_of(tx, session).await?;
        let mut taken_by: BTreeMap<Option<OrganisationId>, i64> = BTreeMap::new();
        for b in all.iter().filter(|b| matches!(b.status, BookingStatus::Booked | BookingStatus::Offered)) {
            *taken_by.entry(b.organisation_id).or_default() += 1;
        }
        let waiting: Vec<Waiter> = all
            .iter()
            .filter(|b| b.status == BookingStatus::Waiting)
            .map(|b| Waiter { id: b.id, position: b.position, organisation_id: b.organisation_id })
            .collect();
        let chosen = tr::offers(s.free(), &waiting, s.per_organisation, &taken_by);
        let mut out = Vec::new();
        for id in chosen {
            let token = random_token(32);
            st::offer(tx, id, lapses, &token_hash(&token)).await?;
            if let Some(b) = all.iter().find(|b| b.id == id) {
                out.push(Offer { booking: b.clone(), token, lapses });
            }
        }
        Ok(out)
    }

    /// Tells each booking offered a freed place, with the link to accept it and when it lapses;
    /// returns how many e-mails could not be sent (each logged).
    pub(crate) async fn tell_offered(&self, s: &Session, offers: &[Offer]) -> usize {
        let Some(mailer) = &self.settings.mailer else { return 0 };
        let mut failed = 0;
        for o in offers {
            let (Some(email), Some(name)) = (&o.booking.email, &o.booking.name) else { continue };
            let body = format!(
                "Dear {name},\n\nA place has come free on {}, {}, and it is offered to you, as the next on the waiting list.\n\nTo take it, accept it here by {}:\n{}/bookings/{}\n\nIf you have not accepted it by then, it goes to the next person on the list. If you cannot come, please decline it at the same link, so that they have longer to accept.\n",
                s.event_title,
                s.starts.format("%A %-d %B %Y, %H:%M"),
                o.lapses.format("%H:%M on %A %-d %B"),
                self.settings.public_url,
                o.token,
            );
            if let Err(e) = mailer.send(email, &format!("A place is offered to you: {}", s.event_title), body).await {
                tracing::warn!(error = %e, "a waiting list offer could not be sent");
                failed += 1;
            }
        }
        failed
    }

    /// Records the evaluation after the session, which unlocks the certificate.
    pub async fn evaluate_booking(&self, token: &str, input: &EvaluationInput) -> CoreResult<()> {
        let page = self.booking_page(token).await?;
        if !page.may_evaluate {
            return Err(CoreError::field("learned", "This booking cannot be evaluated now"));
        }
        let e = input.validate()?;
        let mut tx = self.store.write().await?;
        st::set_evaluation(&mut tx, page.booking.id, &e).await?;
        // Giving an evaluation shows the place was used, when the register has not yet said.
        if page.booking.attendance.is_none() {
            st::set_attendance(&mut tx, page.booking.id, Some(Attendance::Attended)).await?;
        }
        audit_log::append(
            &mut tx,
            NewEntry {
                actor_label: "booking link".into(),
                action: "evaluate".into(),
                record_type: "training_session".into(),
                record_id: Some(page.session.id.to_string()),
                partnership_id: Some(page.session.partnership_id.0),
                detail: json!({"booking_id": page.booking.id, "confidence_before": e.confidence_before,
                               "confidence_after": e.confidence_after, "rating": e.rating}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The certificate of attendance (PDF through the document engine), once evaluated.
    pub async fn certificate(&self, token: &str) -> CoreResult<crate::documents::Download> {
        let page = self.booking_page(token).await?;
        if !page.certificate {
            return Err(CoreError::NotFound);
        }
        let name = page.booking.name.clone().unwrap_or_default();
        let partnership = self.public_partnership_name(page.session.partnership_id).await?;
        let mut doc = Document::new(format!("Certificate of attendance: {name}")).marked(Marking::Official);
        doc.push(Block::Paragraph(format!(
            "{name}{} attended {}, a {} of {partnership}, on {} from {} to {}.",
            page.booking.organisation_name.as_ref().map(|o| format!(" of {o}")).unwrap_or_default(),
            page.event_title,
            page.session.event_kind.label().to_lowercase(),
            page.session.starts.format("%-d %B %Y"),
            page.session.starts.format("%H:%M"),
            page.session.ends.format("%H:%M"),
        )));
        let minutes = (page.session.ends - page.session.starts).num_minutes();
        doc.push(Block::Paragraph(format!("Learning time: {} hours {} minutes.", minutes / 60, minutes % 60)));
        if let Some(t) = &page.session.trainer {
            doc.push(Block::Paragraph(format!("Trainer: {t}.")));
        }
        doc.push(Block::Note(format!("Issued by Assure for {partnership} after the session's evaluation.")));
        self.render(doc, crate::documents::Format::Pdf, &["certificate", &page.event_title]).await
    }

    /// The impact follow-up by the attendee: what changed in their practice, with an example.
    /// Their manager, when they named one, is asked to countersign.
    pub async fn follow_up(&self, token: &str, input: &FollowUpInput) -> CoreResult<()> {
        let page = self.booking_page(token).await?;
        if !page.may_follow_up {
            return Err(CoreError::field(
                "practice_change",
                "The follow-up opens six weeks after the session, once evaluated",
            ));
        }
        let f = input.validate()?;
        let manager_token = page.booking.manager_email.as_ref().map(|_| random_token(32));
        let mut tx = self.store.write().await?;
        st::set_follow_up(&mut tx, page.booking.id, &f, manager_token.as_deref().map(token_hash).as_deref()).await?;
        audit_log::append(
            &mut tx,
            NewEntry {
                actor_label: "booking link".into(),
                action: "follow_up".into(),
                record_type: "training_session".into(),
                record_id: Some(page.session.id.to_string()),
                partnership_id: Some(page.session.partnership_id.0),
                detail: json!({"booking_id": page.booking.id, "manager_asked": manager_token.is_some()}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        if let (Some(mailer), Some(manager), Some(t)) =
            (&self.settings.mailer, &page.booking.manager_email, &manager_token)
        {
            let body = format!(
                "Hello,\n\n{} attended {} on {} and says this has changed in their practice since:\n\n{}\n\nFor example: {}\n\nPlease say whether you have seen this change, here:\n{}/countersign/{t}\n",
                page.booking.name.clone().unwrap_or_default(),
                page.event_title,
                page.session.starts.format("%-d %B %Y"),
                f.practice_change,
                f.example,
                self.settings.public_url
            );
            if let Err(e) = mailer.send(manager, &format!("Please countersign: {}", page.event_title), body).await {
                tracing::warn!(error = %e, "a countersignature request could not be sent");
            }
        }
        Ok(())
    }

    /// What the manager's link shows: the booking, if it awaits their countersignature.
    pub async fn countersign_page(&self, token: &str) -> CoreResult<(Booking, Session)> {
        let mut conn = self.store.read().await?;
        let booking = st::booking_by_token(&mut conn, &token_hash(token), true).await?;
        let session = st::session(&mut conn, booking.session_id).await?;
        if booking.erased_at.is_some() {
            return Err(CoreError::NotFound);
        }
        Ok((booking, session))
    }

    pub async fn countersign(&self, token: &str, input: &CountersignInput) -> CoreResult<()> {
        let (booking, session) = self.countersign_page(token).await?;
        if booking.countersigned_at.is_some() {
            return Err(CoreError::field("agrees", "This follow-up is already countersigned"));
        }
        let c = input.validate()?;
        let mut tx = self.store.write().await?;
        st::countersign(&mut tx, booking.id, &c).await?;
        audit_log::append(
            &mut tx,
            NewEntry {
                actor_label: "manager's link".into(),
                action: "countersign".into(),
                record_type: "training_session".into(),
                record_id: Some(session.id.to_string()),
                partnership_id: Some(session.partnership_id.0),
                detail: json!({"booking_id": booking.id, "agrees": c.agrees}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
