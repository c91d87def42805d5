//! Meetings of the partnership's bodies and their attendance: the business unit plans a body's
//! meetings (moves or cancels one with a reason) and records how each seat was filled; everyone
//! who sees the body sees its meetings, who came, whether each was quorate, and the attendance
//! review (per meeting, per seat, per organisation with the statutory partners first).

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::meetings::{Guest, Meeting, SeatMark, SeatReply};
pub use assure_store::structure::Membership;

use std::collections::{BTreeMap, HashMap};

use assure_domain::meetings::ical::Method;
use assure_domain::meetings::{
    Mark, MeetingInput, NewMeeting, PlanInput, Presence, Quorum, QuorumInput, Tally, check_guests, parse_guests,
    seat_on,
};
use assure_domain::structure::{Choice, OrganisationKind};
use assure_domain::validation::long_date;
use assure_domain::{
    Action, BodyId, FieldErrors, MeetingId, MembershipId, OrganisationId, PartnershipId, ResourceKind as K, Target,
};
use assure_store::audit_log;
use assure_store::meetings as st;
use assure_store::structure::{self as structure_store, Body};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

mod agenda;
pub(crate) mod calendar;
mod grid;
mod in_kind;
mod minutes;
mod review;
pub use agenda::{Agenda, AgendaItem, ItemView, Paper, PapersOwed, StandingItem, Withheld, agenda_document};
pub use calendar::FeedStatus;
pub use grid::{GridImported, GridOptionsInput, GridPreview};
pub use in_kind::{InKind, InKindTotal, InKindTotals, TaskInKind};
pub use minutes::{Approval, Decision, Declaration, ItemRecord, MeetingAction, MinutesState, MinutesView};
pub use review::{AttendanceReview, MeetingLine, Record};

/// Who may see a body's meetings: whoever may see the body.
pub fn meeting_target(partnership: PartnershipId, body: BodyId, restricted: bool) -> Target {
    Target::new(K::Meeting, partnership).body(Some(body)).restricted(restricted)
}

fn of_meeting(m: &Meeting) -> Target {
    meeting_target(m.partnership_id, m.body_id, m.body_restricted)
}

fn of_body(b: &Body) -> Target {
    meeting_target(b.partnership_id, b.id, b.restricted)
}

/// Who else attended a meeting, as a form gives them (one a line, "Name, what they came as") or
/// as the API does (a list of names, each with what they came as).
#[derive(Debug, Clone, Copy)]
pub enum Others<'a> {
    Lines(&'a str),
    List(&'a [(String, Option<String>)]),
}

/// One seat at a meeting and how it was filled.
#[derive(Debug, Clone, Serialize)]
pub struct Seat {
    pub membership: Membership,
    /// The seat's organisation is a statutory partner.
    pub statutory: bool,
    pub mark: Mark,
    /// The holder's reply to the invitation, if they gave one.
    pub reply: Option<SeatReply>,
}

/// A meeting with its seats, what they add up to, and whether it was quorate.
#[derive(Debug, Clone)]
pub struct MeetingDetail {
    pub meeting: Meeting,
    /// The seats the actor may see (a restricted person's seat only to those who see them).
    pub seats: Vec<Seat>,
    /// Seats held on the day that are not shown to the actor; they count in the tally.
    pub hidden_seats: usize,
    pub tally: Tally,
    pub quorum: Quorum,
    /// `None` when the body has no quorum rule, or the meeting has not been held.
    pub quorate: Option<bool>,
    /// Held: on or before today, and not cancelled.
    pub held: bool,
    pub can_edit: bool,
    /// Who last recorded its attendance, and when (UTC); `None` while none is recorded.
    pub recorded: Option<(String, String)>,
    /// Others in attendance, who hold no seat.
    pub guests: Vec<Guest>,
    /// Why its day is not a working day, when it is not (a bank holiday the pattern gave).
    pub not_a_working_day: Option<String>,
    /// The time organisations gave to it (in-kind contributions).
    pub in_kind: Vec<InKind>,
    /// The partnership's organisations, for the business unit's form for time given (empty for
    /// those who may not record it).
    pub organisations: Vec<(OrganisationId, String)>,
    /// Its agenda, with the papers the actor may read.
    pub agenda: Agenda,
    /// The actor's own seat on the day (matched by e-mail address), to reply from.
    pub my_seat: Option<MembershipId>,
    /// Replies are taken: the meeting stands and is today or later.
    pub may_reply: bool,
    /// The version of the meeting and its marks, for `If-Match` and the pages' hidden field.
    pub version: String,
    /// The entries of the challenge and escalation log this meeting raised that the reader may
    /// see: (id, "CH-8: Essex Police", status).
    pub challenges: Vec<(i64, String, String)>,
}

impl Core {
    /// Whether `meeting` is the body's next meeting that stands, from today.
    async fn next_meeting_of(
        &self,
        conn: &mut assure_store::Conn,
        body: BodyId,
        meeting: MeetingId,
    ) -> CoreResult<bool> {
        let ahead = st::meetings_of_body(conn, body, Some(self.today()), None).await?;
        Ok(ahead.iter().find(|m| m.cancelled_reason.is_none()).is_some_and(|m| m.id == meeting))
    }

    /// Plans a meeting of a body.
    pub async fn create_meeting(&self, ctx: &Ctx, body: BodyId, input: &MeetingInput) -> CoreResult<MeetingId> {
        let mut conn = self.store.read().await?;
        let b = structure_store::body(&mut conn, body).await?;
        drop(conn);
        ctx.authorize(Action::Create, &of_body(&b))?;
        let new = input.validate()?;
        if let Some(ended) = b.ended_on
            && new.held_on > ended
        {
            return Err(CoreError::field(
                "held_on",
                format!("{} ended on {}: a meeting must be on or before then", b.name, long_date(ended)),
            ));
        }
        let mut tx = self.store.write().await?;
        let id = st::insert_meeting(&mut tx, body, &new, &ctx.name).await?;
        let standing = agenda::add_standing_items(&mut tx, body, &[(id, new.held_on)], &ctx.name).await?;
        let risks = if new.held_on >= self.today() && self.next_meeting_of(&mut tx, body, id).await? {
            self.propose_risks(&mut tx, body, id, &ctx.name).await?
        } else {
            0
        };
        let work_plan = self.propose_work_plan(&mut tx, body, id, new.held_on, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "meeting",
                Some(id.to_string()),
                Some(b.partnership_id),
                json!({"body": b.name, "held_on": new.held_on, "starts_at": new.starts_at.format("%H:%M").to_string(),
                       "standing_items": standing, "risks_above_appetite": risks, "work_plan_item": work_plan}),
            ),
        )
        .await?;
        tx.commit().await?;
        self.send_invitations(ctx, vec![id], Method::Request);
        Ok(id)
    }

    /// Plans a body's meetings for the next twelve months from `from` by a pattern ("the second
    /// Tuesday of February, May, September and December"), skipping days that already have a
    /// meeting of the body. All in one transaction; returns the meetings made.
    pub async fn plan_meetings(
        &self,
        ctx: &Ctx,
        body: BodyId,
        from: NaiveDate,
        input: &PlanInput,
    ) -> CoreResult<Vec<MeetingId>> {
        let mut tx = self.store.write().await?;
        let b = structure_store::body(&mut tx, body).await?;
        ctx.authorize(Action::Create, &of_body(&b))?;
        let plan = input.validate()?;
        if b.ended_on.is_some() {
            return Err(CoreError::field("week", format!("{} has been stood down: it plans no meetings", b.name)));
        }
        let taken: Vec<NaiveDate> =
            st::meetings_of_body(&mut tx, body, Some(from), None).await?.into_iter().map(|m| m.held_on).collect();
        let days: Vec<NaiveDate> = plan.days_from(from).into_iter().filter(|d| !taken.contains(d)).collect();
        if days.is_empty() {
            return Err(CoreError::field(
                "months",
                format!("Every day of {} in the next twelve months already has a meeting", plan.words()),
            ));
        }
        let mut made = Vec::new();
        for day in &days {
            let new = NewMeeting {
                held_on: *day,
                starts_at: plan.starts_at,
                ends_at: plan.ends_at,
                place: plan.place.clone(),
            };
            made.push(st::insert_meeting(&mut tx, body, &new, &ctx.name).await?);
        }
        let planned: Vec<(MeetingId, NaiveDate)> = made.iter().copied().zip(days.iter().copied()).collect();
        let standing = agenda::add_standing_items(&mut tx, body, &planned, &ctx.name).await?;
        let mut risks = 0;
        if let Some((first, _)) = planned.iter().find(|(_, day)| *day >= self.today())
            && self.next_meeting_of(&mut tx, body, *first).await?
        {
            risks = self.propose_risks(&mut tx, body, *first, &ctx.name).await?;
        }
        let mut work_plan = 0;
        for (meeting, day) in &planned {
            work_plan += usize::from(self.propose_work_plan(&mut tx, body, *meeting, *day, &ctx.name).await?);
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "plan",
                "body",
                Some(body.to_string()),
                Some(b.partnership_id),
                json!({"pattern": plan.words(), "starts_at": plan.starts_at.format("%H:%M").to_string(),
                       "meetings": days, "ids": made.iter().map(|m| m.0).collect::<Vec<_>>(),
                       "standing_items": standing, "risks_above_appetite": risks, "work_plan_items": work_plan}),
            ),
        )
        .await?;
        tx.commit().await?;
        self.send_invitations(ctx, made.clone(), Method::Request);
        Ok(made)
    }

    /// Moves a meeting to another day, time or place.
    pub async fn update_meeting(
        &self,
        ctx: &Ctx,
        id: MeetingId,
        input: &MeetingInput,
        seen: Option<&str>,
    ) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let before = st::meeting(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_meeting(&before))?;
        crate::still_as_seen(seen, &(&before, st::marks(&mut tx, id).await?, st::guests(&mut tx, id).await?))?;
        let new = input.validate()?;
        st::update_meeting(&mut tx, id, &new).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "meeting",
                Some(id.to_string()),
                Some(before.partnership_id),
                json!({"from": before.held_on, "to": new.held_on, "starts_at": new.starts_at.format("%H:%M").to_string()}),
            ),
        )
        .await?;
        tx.commit().await?;
        self.send_invitations(ctx, vec![id], Method::Request);
        Ok(())
    }

    /// Cancels a meeting, with the reason (it is kept, marked cancelled).
    pub async fn cancel_meeting(&self, ctx: &Ctx, id: MeetingId, reason: &str, seen: Option<&str>) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let before = st::meeting(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_meeting(&before))?;
        crate::still_as_seen(seen, &(&before, st::marks(&mut tx, id).await?, st::guests(&mut tx, id).await?))?;
        let reason = assure_domain::validation::required_text("the reason for cancelling", reason, 500)
            .map_err(|m| CoreError::field("reason", m))?;
        if before.cancelled_reason.is_some() {
            return Err(CoreError::field("reason", "The meeting is already cancelled"));
        }
        st::set_cancelled(&mut tx, id, Some(&reason)).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "cancel",
                "meeting",
                Some(id.to_string()),
                Some(before.partnership_id),
                json!({"held_on": before.held_on, "reason": reason}),
            ),
        )
        .await?;
        tx.commit().await?;
        self.send_invitations(ctx, vec![id], Method::Cancel);
        Ok(())
    }

    /// The meetings of every body the actor sees in a partnership, from `from` to `to`.
    pub async fn meetings(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> CoreResult<Vec<Meeting>> {
        ctx.authorize(Action::View, &Target::new(K::Meeting, p))?;
        let mut conn = self.store.read().await?;
        let all = st::meetings_in(&mut conn, p, from, to).await?;
        drop(conn);
        let visible: Vec<Meeting> =
            all.into_iter().filter(|m| ctx.authorize(Action::View, &of_meeting(m)).is_ok()).collect();
        self.log_restricted_bodies(ctx, p, &visible).await?;
        Ok(visible)
    }

    /// A body's meetings, in date order.
    pub async fn meetings_of_body(&self, ctx: &Ctx, body: BodyId) -> CoreResult<(Body, Vec<Meeting>, bool)> {
        let mut conn = self.store.read().await?;
        let b = structure_store::body(&mut conn, body).await?;
        ctx.authorize(Action::View, &of_body(&b))?;
        let meetings = st::meetings_of_body(&mut conn, body, None, None).await?;
        drop(conn);
        if b.restricted {
            self.log_read(ctx, "body", Some(b.id.to_string()), Some(b.partnership_id), json!({"part": "meetings"}))
                .await?;
        }
        let can_edit = assure_domain::can(&ctx.actor, Action::Create, &of_body(&b));
        Ok((b, meetings, can_edit))
    }

    async fn log_restricted_bodies(&self, ctx: &Ctx, p: PartnershipId, meetings: &[Meeting]) -> CoreResult<()> {
        let mut bodies: Vec<i64> = meetings.iter().filter(|m| m.body_restricted).map(|m| m.body_id.0).collect();
        bodies.sort_unstable();
        bodies.dedup();
        if bodies.is_empty() {
            return Ok(());
        }
        let record = (bodies.len() == 1).then(|| bodies[0].to_string());
        self.log_read(ctx, "body", record, Some(p), json!({"ids": bodies, "part": "meetings"})).await
    }

    /// One meeting with its seats and their marks.
    pub async fn meeting(&self, ctx: &Ctx, id: MeetingId) -> CoreResult<MeetingDetail> {
        let mut conn = self.store.read().await?;
        let meeting = st::meeting(&mut conn, id).await?;
        ctx.authorize(Action::View, &of_meeting(&meeting))?;
        let members = structure_store::memberships_of_body(&mut conn, meeting.body_id).await?;
        let marks = st::marks(&mut conn, id).await?;
        let quorum = st::quorum(&mut conn, meeting.body_id).await?;
        let guests = st::guests(&mut conn, id).await?;
        let in_kind = st::in_kind_of_meeting(&mut conn, id).await?;
        let cal = crate::reviews::calendar::working_calendar(&mut conn).await?;
        let items = assure_store::meetings::agenda::items(&mut conn, id).await?;
        let papers = assure_store::meetings::agenda::papers(&mut conn, id).await?;
        let papers_days = assure_store::meetings::agenda::papers_days(&mut conn, meeting.body_id).await?;
        let replies = st::replies(&mut conn, id).await?;
        let raised = assure_store::challenges::of_meeting(&mut conn, id.0).await?;
        let mine: Vec<MembershipId> = if ctx.user_id().is_some() {
            structure_store::memberships_of_email(&mut conn, meeting.partnership_id, &ctx.label)
                .await?
                .into_iter()
                .filter(|m| m.body_id == meeting.body_id && seat_on(m.from_date, m.to_date, meeting.held_on))
                .map(|m| m.id)
                .collect()
        } else {
            Vec::new()
        };
        drop(conn);
        let agenda = self.agenda_of(ctx, &meeting, items, papers, papers_days, &cal);
        let not_a_working_day = assure_domain::meetings::not_a_working_day(meeting.held_on, &cal);
        // The partnership's organisations, kept between requests: its statutory partners, and the
        // business unit's choices for time given.
        let orgs = self.every_organisation(ctx, meeting.partnership_id).await?;
        let statutory: Vec<OrganisationId> =
            orgs.iter().filter(|o| o.kind == OrganisationKind::StatutoryPartner).map(|o| o.id).collect();
        // One version for the meeting, its marks and who else attended: moving it, cancelling it
        // and recording its attendance each check that nobody changed any of them since it was read.
        let version = crate::version_of(&(&meeting, &marks, &guests));
        // Who recorded the attendance last, and when.
        let recorded = marks
            .iter()
            .max_by(|a, b| a.recorded_at.cmp(&b.recorded_at))
            .map(|m| (m.by_label.clone(), m.recorded_at.clone()));
        let by_membership: HashMap<MembershipId, SeatMark> = marks.into_iter().map(|m| (m.membership_id, m)).collect();
        let held = meeting.cancelled_reason.is_none() && meeting.held_on <= self.today();
        let all: Vec<Seat> = members
            .into_iter()
            .filter(|m| seat_on(m.from_date, m.to_date, meeting.held_on))
            .map(|m| {
                let recorded = by_membership.get(&m.id);
                Seat {
                    reply: replies.iter().find(|r| r.membership_id == m.id).cloned(),
                    statutory: m.organisation_id.is_some_and(|o| statutory.contains(&o)),
                    mark: recorded
                        .map(|r| r.mark.clone())
                        .unwrap_or(Mark { presence: Presence::NotRecorded, attended_by: None }),
                    membership: m,
                }
            })
            .collect();
        let tally = Tally::of(all.iter().map(|s| s.mark.presence));
        let quorate = if held {
            quorum.met(
                &all.iter().map(|s| (s.membership.organisation_id, s.statutory, s.mark.presence)).collect::<Vec<_>>(),
            )
        } else {
            None
        };
        let (seats, hidden): (Vec<Seat>, Vec<Seat>) =
            all.into_iter().partition(|s| crate::structure::membership_visible(ctx, &s.membership));
        if meeting.body_restricted {
            self.log_read(ctx, "meeting", Some(id.to_string()), Some(meeting.partnership_id), json!({})).await?;
        }
        let shown: Vec<&Membership> = seats.iter().map(|s| &s.membership).collect();
        self.log_restricted_seats(ctx, meeting.partnership_id, &shown).await?;
        let can_edit = assure_domain::can(&ctx.actor, Action::Update, &of_meeting(&meeting));
        let may_reply = meeting.cancelled_reason.is_none() && meeting.held_on >= self.today();
        let organisations = if can_edit {
            orgs.iter().filter(|o| o.ended_on.is_none()).map(|o| (o.id, o.name.clone())).collect()
        } else {
            Vec::new()
        };
        let challenges = raised
            .into_iter()
            .filter(|c| {
                assure_domain::can(
                    &ctx.actor,
                    Action::View,
                    &crate::challenges::of_challenge(c.partnership_id, c.organisation_id),
                )
            })
            .map(|c| {
                let label = format!("{}: {}", assure_domain::challenges::reference(c.number), c.organisation);
                (c.id, label, c.status.label().to_owned())
            })
            .collect();
        Ok(MeetingDetail {
            challenges,
            meeting,
            seats,
            hidden_seats: hidden.len(),
            tally,
            quorum,
            quorate,
            held,
            can_edit,
            recorded,
            guests,
            not_a_working_day,
            in_kind,
            organisations,
            agenda,
            my_seat: mine.first().copied(),
            may_reply,
            version,
        })
    }

    /// Records how seats were filled at a meeting that has been held: `marks` gives, per seat
    /// (membership id), the presence's code and who sat in for the holder. Seats not given keep
    /// their marks; `others`, when given, replaces who else attended (one per line, "Name, what
    /// they came as"). All or nothing: any seat in error leaves every mark as it was.
    pub async fn record_attendance(
        &self,
        ctx: &Ctx,
        id: MeetingId,
        marks: &[(String, String, String)],
        others: Option<Others<'_>>,
        seen: Option<&str>,
    ) -> CoreResult<usize> {
        let mut tx = self.store.write().await?;
        let meeting = st::meeting(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_meeting(&meeting))?;
        crate::still_as_seen(seen, &(&meeting, st::marks(&mut tx, id).await?, st::guests(&mut tx, id).await?))?;
        if meeting.cancelled_reason.is_some() {
            return Err(CoreError::field("attendance", "The meeting was cancelled: there is no attendance to record"));
        }
        if meeting.held_on > self.today() {
            return Err(CoreError::field(
                "attendance",
                format!("The meeting is on {}: record attendance once it has been held", long_date(meeting.held_on)),
            ));
        }
        let seats: HashMap<i64, Membership> = structure_store::memberships_of_body(&mut tx, meeting.body_id)
            .await?
            .into_iter()
            .filter(|m| seat_on(m.from_date, m.to_date, meeting.held_on))
            .map(|m| (m.id.0, m))
            .collect();
        if marks.is_empty() {
            return Err(CoreError::field("attendance", "Mark at least one seat"));
        }
        let mut errors = FieldErrors::new();
        let guests = match others {
            None => None,
            Some(Others::Lines(text)) => errors.check("others", parse_guests(text)),
            Some(Others::List(list)) => errors.check("others", check_guests(list)),
        };
        let mut parsed: BTreeMap<i64, Mark> = BTreeMap::new();
        for (membership, presence, attended_by) in marks {
            let Some(seat) = membership.trim().parse::<i64>().ok().and_then(|m| seats.get(&m)) else {
                errors.add(
                    "attendance",
                    format!("{} is not a seat at this meeting: mark only the seats listed", membership.trim()),
                );
                continue;
            };
            match Mark::parse(presence, attended_by) {
                Ok(mark) => {
                    parsed.insert(seat.id.0, mark);
                }
                Err(message) => {
                    let field = if Presence::parse(presence.trim()).is_some() {
                        format!("attended_by:{}", seat.id)
                    } else {
                        format!("presence:{}", seat.id)
                    };
                    errors.add(&field, format!("{}: {message}", seat.person_name));
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let changes: Vec<(MembershipId, Mark)> = parsed.into_iter().map(|(m, mark)| (MembershipId(m), mark)).collect();
        st::set_marks(&mut tx, id, &changes, &ctx.name).await?;
        if let Some(guests) = &guests {
            st::set_guests(&mut tx, id, guests, &ctx.name).await?;
        }
        let counts = Tally::of(changes.iter().map(|(_, m)| m.presence));
        audit_log::append(
            &mut tx,
            ctx.entry(
                "attendance",
                "meeting",
                Some(id.to_string()),
                Some(meeting.partnership_id),
                json!({"seats": counts.seats, "represented": counts.represented, "deputies": counts.deputies,
                       "apologies": counts.apologies, "absent": counts.absent,
                       "others": guests.as_ref().map(Vec::len)}),
            ),
        )
        .await?;
        tx.commit().await?;
        // The attendance is saved whatever happens to the alert; a failure is logged.
        if let Err(e) = self.alert_unrepresented(meeting.body_id).await {
            tracing::warn!(error = %e, body = meeting.body_id.0, "the alert of an unrepresented seat could not be sent");
        }
        Ok(changes.len())
    }

    /// Replies to a meeting's invitation for a seat: the actor's own seat on the day (matched by
    /// e-mail address), or, for the business unit, the seat given. Taken until the meeting's day.
    pub async fn reply_to_meeting(
        &self,
        ctx: &Ctx,
        id: MeetingId,
        seat: Option<MembershipId>,
        reply: &str,
        deputy: &str,
    ) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let meeting = st::meeting(&mut tx, id).await?;
        ctx.authorize(Action::View, &of_meeting(&meeting))?;
        let seats: Vec<Membership> = structure_store::memberships_of_body(&mut tx, meeting.body_id)
            .await?
            .into_iter()
            .filter(|m| seat_on(m.from_date, m.to_date, meeting.held_on))
            .collect();
        let seat = match seat {
            Some(given) => {
                ctx.authorize(Action::Update, &of_meeting(&meeting))?;
                seats
                    .iter()
                    .find(|m| m.id == given)
                    .ok_or_else(|| CoreError::field("membership_id", "Select a seat held on the meeting's day"))?
            }
            None => {
                let mine = structure_store::memberships_of_email(&mut tx, meeting.partnership_id, &ctx.label).await?;
                seats
                    .iter()
                    .find(|s| mine.iter().any(|m| m.id == s.id) && ctx.user_id().is_some())
                    .ok_or(CoreError::Forbidden)?
            }
        };
        if meeting.cancelled_reason.is_some() || meeting.held_on < self.today() {
            return Err(CoreError::field("reply", "Replies are taken until the day of a meeting that stands"));
        }
        let (reply, deputy) = assure_domain::meetings::Reply::parse_with(reply, deputy).map_err(|m| {
            let field = if m.starts_with("Select") { "reply" } else { "deputy" };
            CoreError::field(field, m)
        })?;
        st::set_reply(&mut tx, id, seat.id, reply, deputy.as_deref(), &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "reply",
                "meeting",
                Some(id.to_string()),
                Some(meeting.partnership_id),
                json!({"membership_id": seat.id.0, "reply": reply, "deputy": deputy.is_some()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a body's quorum.
    pub async fn set_quorum(&self, ctx: &Ctx, body: BodyId, input: &QuorumInput) -> CoreResult<Quorum> {
        let mut tx = self.store.write().await?;
        let b = structure_store::body(&mut tx, body).await?;
        ctx.authorize(Action::Update, &of_body(&b))?;
        let quorum = input.validate()?;
        st::set_quorum(&mut tx, body, &quorum, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "quorum",
                "body",
                Some(body.to_string()),
                Some(b.partnership_id),
                json!({"members": quorum.members, "statutory_partners": quorum.statutory_partners}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(quorum)
    }
}

impl Core {
    /// The partnership's statutory partners (organisations of that kind), from the organisations
    /// kept between requests.
    async fn statutory_partners(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<OrganisationId>> {
        let orgs = self.every_organisation(ctx, p).await?;
        Ok(orgs.iter().filter(|o| o.kind == OrganisationKind::StatutoryPartner).map(|o| o.id).collect())
    }

    /// Logs the reads of the restricted people a page names by their seats.
    async fn log_restricted_seats(&self, ctx: &Ctx, p: PartnershipId, seats: &[&Membership]) -> CoreResult<()> {
        let mut people: Vec<i64> = seats.iter().filter(|m| m.person_restricted).map(|m| m.person_id.0).collect();
        people.sort_unstable();
        people.dedup();
        if people.is_empty() {
            return Ok(());
        }
        let record = (people.len() == 1).then(|| people[0].to_string());
        self.log_read(ctx, "person", record, Some(p), json!({"ids": people})).await
    }
}
