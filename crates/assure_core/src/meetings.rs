//! Meetings of the partnership's bodies and their attendance: the business unit plans a body's
//! meetings (moves or cancels one with a reason) and records how each seat was filled; everyone
//! who sees the body sees its meetings, who came, whether each was quorate, and the attendance
//! review (per meeting, per seat, per organisation with the statutory partners first).

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::meetings::{Meeting, SeatMark};
pub use assure_store::structure::Membership;

use std::collections::{BTreeMap, HashMap};

use assure_domain::meetings::{
    Mark, MeetingInput, NewMeeting, PlanInput, Presence, Quorum, QuorumInput, Tally, seat_on,
};
use assure_domain::structure::{Choice, MembershipRole, OrganisationKind};
use assure_domain::validation::long_date;
use assure_domain::{
    Action, BodyId, FieldErrors, MeetingId, MembershipId, OrganisationId, PartnershipId, ResourceKind as K, Role,
    Target,
};
use assure_store::audit_log;
use assure_store::meetings as st;
use assure_store::structure::{self as structure_store, Body, Page};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

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

/// One seat at a meeting and how it was filled.
#[derive(Debug, Clone, Serialize)]
pub struct Seat {
    pub membership: Membership,
    /// The seat's organisation is a statutory partner.
    pub statutory: bool,
    pub mark: Mark,
    /// Who recorded the mark, and when; `None` while not recorded.
    pub recorded: Option<(String, String)>,
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
    /// The version of the meeting and its marks, for `If-Match` and the pages' hidden field.
    pub version: String,
}

/// One meeting's line in the attendance review.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingLine {
    pub meeting: Meeting,
    pub tally: Tally,
    pub quorate: Option<bool>,
}

/// How often one seat, or one organisation, was represented.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub name: String,
    /// The organisation, for a seat; the sector's label, for an organisation.
    pub detail: Option<String>,
    pub statutory: bool,
    /// Meetings held while the seat (or one of the organisation's seats) was held.
    pub held: usize,
    /// Of those, the meetings at which it was represented.
    pub represented: usize,
    /// Of those, the meetings at which a deputy or someone else sat for it.
    pub by_deputy: usize,
}

impl Record {
    pub fn percent(&self) -> Option<f64> {
        (self.held > 0).then(|| (self.represented as f64 * 1000.0 / self.held as f64).round() / 10.0)
    }
}

/// A body's attendance over a period: what the twice-yearly review reads.
#[derive(Debug, Clone)]
pub struct AttendanceReview {
    pub body: Body,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub quorum: Quorum,
    /// Every meeting held in the period, in date order.
    pub meetings: Vec<MeetingLine>,
    /// Per seat, the statutory partners' seats first.
    pub seats: Vec<Record>,
    /// Per organisation, the statutory partners first.
    pub organisations: Vec<Record>,
    /// Seats unrepresented at the last two meetings held in a row.
    pub unrepresented_twice: Vec<String>,
    pub can_edit: bool,
    pub totals: Tally,
}

impl AttendanceReview {
    /// The columns of the attendance review as CSV, one row per meeting held.
    pub const CSV_COLUMNS: [&'static str; 10] = [
        "date",
        "seats",
        "represented",
        "present",
        "deputies",
        "apologies",
        "absent",
        "not_recorded",
        "represented_percent",
        "quorate",
    ];

    /// The review as CSV (for the CLI and the page's download): one row per meeting held;
    /// `quorate` is `yes`, `no`, or empty when the body has no quorum rule.
    pub fn csv(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .meetings
            .iter()
            .map(|line| {
                let t = &line.tally;
                vec![
                    line.meeting.held_on.to_string(),
                    t.seats.to_string(),
                    t.represented.to_string(),
                    t.present.to_string(),
                    t.deputies.to_string(),
                    t.apologies.to_string(),
                    t.absent.to_string(),
                    t.not_recorded.to_string(),
                    t.represented_percent().map(|p| format!("{p:.1}")).unwrap_or_default(),
                    match line.quorate {
                        Some(true) => "yes".into(),
                        Some(false) => "no".into(),
                        None => String::new(),
                    },
                ]
            })
            .collect();
        assure_domain::cells::csv_file(&Self::CSV_COLUMNS, &rows)
    }
}

impl AttendanceReview {
    /// The review as a workbook for the board: a sheet per meeting held, per organisation and
    /// per seat, numbers as numbers and dates as dates. Marked OFFICIAL-SENSITIVE for a
    /// restricted body, OFFICIAL otherwise.
    pub fn xlsx(&self) -> CoreResult<Vec<u8>> {
        use crate::documents::xlsx::{Sheet, Workbook};
        use crate::documents::{Cell, Marking};
        let marking = if self.body.restricted { Marking::OfficialSensitive } else { Marking::Official };
        let mut book = Workbook::new(format!("{}: attendance", self.body.name), Some(marking));
        let mut meetings = Sheet::new(
            "Meetings",
            [
                "Date",
                "Seats",
                "Represented",
                "Present",
                "Deputies",
                "Apologies",
                "Absent",
                "Not recorded",
                "Represented (%)",
                "Quorate",
            ],
            &[14.0, 8.0, 12.0, 9.0, 9.0, 10.0, 8.0, 12.0, 15.0, 9.0],
        );
        for line in &self.meetings {
            let t = &line.tally;
            let count = |n: usize| Cell::integer(n as i64);
            meetings.row([
                Cell::day(line.meeting.held_on),
                count(t.seats),
                count(t.represented),
                count(t.present),
                count(t.deputies),
                count(t.apologies),
                count(t.absent),
                count(t.not_recorded),
                Cell::number(t.represented_percent(), 1),
                Cell::text(line.quorate.map(|q| if q { "Yes" } else { "No" })),
            ]);
        }
        book.sheets.push(meetings);
        for (name, first, records) in
            [("Organisations", "Organisation", &self.organisations), ("Seats", "Seat", &self.seats)]
        {
            let mut sheet = Sheet::new(
                name,
                [
                    first,
                    "Organisation",
                    "Statutory partner",
                    "Meetings held",
                    "Represented",
                    "By a deputy",
                    "Represented (%)",
                ],
                &[40.0, 36.0, 12.0, 12.0, 12.0, 12.0, 15.0],
            );
            for r in records.iter() {
                sheet.row([
                    Cell::from(r.name.as_str()),
                    Cell::text(r.detail.clone()),
                    Cell::from(if r.statutory { "Yes" } else { "No" }),
                    Cell::integer(r.held as i64),
                    Cell::integer(r.represented as i64),
                    Cell::integer(r.by_deputy as i64),
                    Cell::number(r.percent(), 1),
                ]);
            }
            book.sheets.push(sheet);
        }
        book.write().map_err(CoreError::Internal)
    }
}

impl Core {
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
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "meeting",
                Some(id.to_string()),
                Some(b.partnership_id),
                json!({"body": b.name, "held_on": new.held_on, "starts_at": new.starts_at.format("%H:%M").to_string()}),
            ),
        )
        .await?;
        tx.commit().await?;
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
        audit_log::append(
            &mut tx,
            ctx.entry(
                "plan",
                "body",
                Some(body.to_string()),
                Some(b.partnership_id),
                json!({"pattern": plan.words(), "starts_at": plan.starts_at.format("%H:%M").to_string(),
                       "meetings": days, "ids": made.iter().map(|m| m.0).collect::<Vec<_>>()}),
            ),
        )
        .await?;
        tx.commit().await?;
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
        crate::still_as_seen(seen, &(&before, st::marks(&mut tx, id).await?))?;
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
        Ok(())
    }

    /// Cancels a meeting, with the reason (it is kept, marked cancelled).
    pub async fn cancel_meeting(&self, ctx: &Ctx, id: MeetingId, reason: &str, seen: Option<&str>) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        let before = st::meeting(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_meeting(&before))?;
        crate::still_as_seen(seen, &(&before, st::marks(&mut tx, id).await?))?;
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
        let statutory = statutory_partners(&mut conn, meeting.partnership_id).await?;
        drop(conn);
        // One version for the meeting and its marks: moving it, cancelling it and recording its
        // attendance each check that nobody changed either since it was read.
        let version = crate::version_of(&(&meeting, &marks));
        let by_membership: HashMap<MembershipId, SeatMark> = marks.into_iter().map(|m| (m.membership_id, m)).collect();
        let held = meeting.cancelled_reason.is_none() && meeting.held_on <= self.today();
        let all: Vec<Seat> = members
            .into_iter()
            .filter(|m| seat_on(m.from_date, m.to_date, meeting.held_on))
            .map(|m| {
                let recorded = by_membership.get(&m.id);
                Seat {
                    statutory: m.organisation_id.is_some_and(|o| statutory.contains(&o)),
                    mark: recorded
                        .map(|r| r.mark.clone())
                        .unwrap_or(Mark { presence: Presence::NotRecorded, attended_by: None }),
                    recorded: recorded.map(|r| (r.by_label.clone(), r.recorded_at.clone())),
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
        let people: Vec<i64> =
            seats.iter().filter(|s| s.membership.person_restricted).map(|s| s.membership.person_id.0).collect();
        if !people.is_empty() {
            let record = (people.len() == 1).then(|| people[0].to_string());
            self.log_read(ctx, "person", record, Some(meeting.partnership_id), json!({"ids": people})).await?;
        }
        let can_edit = assure_domain::can(&ctx.actor, Action::Update, &of_meeting(&meeting));
        Ok(MeetingDetail {
            meeting,
            seats,
            hidden_seats: hidden.len(),
            tally,
            quorum,
            quorate,
            held,
            can_edit,
            version,
        })
    }

    /// Records how seats were filled at a meeting that has been held: `marks` gives, per seat
    /// (membership id), the presence's code and who sat in for the holder. Seats not given keep
    /// their marks. All or nothing: any seat in error leaves every mark as it was.
    pub async fn record_attendance(
        &self,
        ctx: &Ctx,
        id: MeetingId,
        marks: &[(String, String, String)],
        seen: Option<&str>,
    ) -> CoreResult<usize> {
        let mut tx = self.store.write().await?;
        let meeting = st::meeting(&mut tx, id).await?;
        ctx.authorize(Action::Update, &of_meeting(&meeting))?;
        crate::still_as_seen(seen, &(&meeting, st::marks(&mut tx, id).await?))?;
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
        let counts = Tally::of(changes.iter().map(|(_, m)| m.presence));
        audit_log::append(
            &mut tx,
            ctx.entry(
                "attendance",
                "meeting",
                Some(id.to_string()),
                Some(meeting.partnership_id),
                json!({"seats": counts.seats, "represented": counts.represented, "deputies": counts.deputies,
                       "apologies": counts.apologies, "absent": counts.absent}),
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

    /// Tells the body's chair (when they have an account) and the business unit, once for each
    /// seat and meeting, of every seat not represented at the body's last two meetings held: in
    /// the application and by e-mail. A restricted person is not named.
    async fn alert_unrepresented(&self, body: BodyId) -> CoreResult<crate::reminders::ReminderReport> {
        let today = self.today();
        let mut conn = self.store.read().await?;
        let b = structure_store::body(&mut conn, body).await?;
        let meetings: Vec<Meeting> = st::meetings_of_body(&mut conn, body, None, Some(today))
            .await?
            .into_iter()
            .filter(|m| m.cancelled_reason.is_none())
            .collect();
        let Some(last) = meetings.last().cloned() else { return Ok(Default::default()) };
        let from = meetings.len().checked_sub(2).map(|i| meetings[i].held_on);
        let marks = st::marks_of_body(&mut conn, body, from, Some(today)).await?;
        let members = structure_store::memberships_of_body(&mut conn, body).await?;
        let mark_of: HashMap<(MeetingId, MembershipId), Presence> =
            marks.into_iter().map(|m| ((m.meeting_id, m.membership_id), m.mark.presence)).collect();
        let seats: Vec<&Membership> = members.iter().collect();
        let gaps = unrepresented_twice(&meetings, &seats, &mark_of);
        if gaps.is_empty() {
            return Ok(Default::default());
        }
        let mut recipients =
            assure_store::reminders::holders(&mut conn, b.partnership_id, Role::BusinessUnit.code(), None).await?;
        let today_members = members.iter().filter(|m| seat_on(m.from_date, m.to_date, today));
        for chair in today_members.filter(|m| m.role == MembershipRole::Chair) {
            let person = structure_store::person(&mut conn, chair.person_id).await?;
            if let Some(email) = person.email
                && let Some(user) = assure_store::reminders::active_user_by_email(&mut conn, &email).await?
            {
                recipients = crate::reminders::merge(recipients, vec![user]);
            }
        }
        drop(conn);
        let events = gaps
            .into_iter()
            .map(|m| {
                let who = if m.person_restricted {
                    match &m.organisation_name {
                        Some(o) => format!("A seat of {o}"),
                        None => "A seat".to_owned(),
                    }
                } else {
                    seat_name(m)
                };
                crate::reminders::Event {
                    key: format!("meetings:unrepresented:{}:{}", m.id, last.id),
                    partnership: b.partnership_id,
                    message: format!(
                        "{who} was not represented at the last two meetings of {}, the last on {}",
                        b.name,
                        long_date(last.held_on)
                    ),
                    link: format!("/bodies/{}/attendance", b.id),
                    recipients: recipients.clone(),
                }
            })
            .collect();
        self.deliver(events, "Assure: a seat not represented at two meetings", async |_| Ok(())).await
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

    /// A body's attendance over a period (either end open): per meeting held, per seat and per
    /// organisation, with the seats unrepresented at the last two meetings in a row.
    pub async fn attendance_review(
        &self,
        ctx: &Ctx,
        body: BodyId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> CoreResult<AttendanceReview> {
        let mut conn = self.store.read().await?;
        let b = structure_store::body(&mut conn, body).await?;
        ctx.authorize(Action::View, &of_body(&b))?;
        let today = self.today();
        let meetings: Vec<Meeting> = st::meetings_of_body(&mut conn, body, from, to)
            .await?
            .into_iter()
            .filter(|m| m.cancelled_reason.is_none() && m.held_on <= today)
            .collect();
        let marks = st::marks_of_body(&mut conn, body, from, to).await?;
        let members = structure_store::memberships_of_body(&mut conn, body).await?;
        let quorum = st::quorum(&mut conn, body).await?;
        let statutory = statutory_partners(&mut conn, b.partnership_id).await?;
        drop(conn);
        if b.restricted {
            self.log_read(ctx, "body", Some(b.id.to_string()), Some(b.partnership_id), json!({"part": "attendance"}))
                .await?;
        }
        let mark_of: HashMap<(MeetingId, MembershipId), Presence> =
            marks.into_iter().map(|m| ((m.meeting_id, m.membership_id), m.mark.presence)).collect();
        let presence = |meeting: &Meeting, seat: &Membership| {
            mark_of.get(&(meeting.id, seat.id)).copied().unwrap_or(Presence::NotRecorded)
        };
        let is_statutory = |m: &Membership| m.organisation_id.is_some_and(|o| statutory.contains(&o));
        let mut lines = Vec::new();
        let mut totals = Tally::default();
        for meeting in &meetings {
            let seats: Vec<&Membership> =
                members.iter().filter(|m| seat_on(m.from_date, m.to_date, meeting.held_on)).collect();
            let tally = Tally::of(seats.iter().map(|s| presence(meeting, s)));
            let quorate = quorum.met(
                &seats.iter().map(|s| (s.organisation_id, is_statutory(s), presence(meeting, s))).collect::<Vec<_>>(),
            );
            totals.seats += tally.seats;
            totals.represented += tally.represented;
            totals.present += tally.present;
            totals.deputies += tally.deputies;
            totals.apologies += tally.apologies;
            totals.absent += tally.absent;
            totals.not_recorded += tally.not_recorded;
            lines.push(MeetingLine { meeting: meeting.clone(), tally, quorate });
        }
        // Per seat: only the seats the actor may see are named.
        let visible: Vec<&Membership> = members
            .iter()
            .filter(|m| crate::structure::membership_visible(ctx, m))
            .filter(|m| meetings.iter().any(|meeting| seat_on(m.from_date, m.to_date, meeting.held_on)))
            .collect();
        let mut seats: Vec<Record> = visible
            .iter()
            .map(|m| {
                let held: Vec<&Meeting> =
                    meetings.iter().filter(|meeting| seat_on(m.from_date, m.to_date, meeting.held_on)).collect();
                Record {
                    name: format!("{} ({})", m.person_name, m.role.label().to_lowercase()),
                    detail: m.organisation_name.clone(),
                    statutory: is_statutory(m),
                    held: held.len(),
                    represented: held.iter().filter(|meeting| presence(meeting, m).represented()).count(),
                    by_deputy: held.iter().filter(|meeting| presence(meeting, m).by_someone_else()).count(),
                }
            })
            .collect();
        seats.sort_by(|a, b| b.statutory.cmp(&a.statutory).then(a.detail.cmp(&b.detail)).then(a.name.cmp(&b.name)));
        // Per organisation: represented at a meeting when any of its seats was.
        let mut by_org: BTreeMap<OrganisationId, (String, Vec<&Membership>)> = BTreeMap::new();
        for m in &members {
            if let (Some(o), Some(name)) = (m.organisation_id, &m.organisation_name) {
                by_org.entry(o).or_insert_with(|| (name.clone(), Vec::new())).1.push(m);
            }
        }
        let mut organisations: Vec<Record> = by_org
            .into_iter()
            .map(|(o, (name, seats))| {
                let held: Vec<&Meeting> = meetings
                    .iter()
                    .filter(|meeting| seats.iter().any(|s| seat_on(s.from_date, s.to_date, meeting.held_on)))
                    .collect();
                let marks_at = |meeting: &Meeting| -> Vec<Presence> {
                    seats
                        .iter()
                        .filter(|s| seat_on(s.from_date, s.to_date, meeting.held_on))
                        .map(|s| presence(meeting, s))
                        .collect()
                };
                Record {
                    name,
                    detail: None,
                    statutory: statutory.contains(&o),
                    held: held.len(),
                    represented: held.iter().filter(|m| marks_at(m).iter().any(|p| p.represented())).count(),
                    by_deputy: held
                        .iter()
                        .filter(|m| {
                            let at = marks_at(m);
                            !at.iter().any(|p| matches!(p, Presence::Present | Presence::Remote))
                                && at.iter().any(|p| p.by_someone_else())
                        })
                        .count(),
                }
            })
            .filter(|r| r.held > 0)
            .collect();
        organisations.sort_by(|a, b| b.statutory.cmp(&a.statutory).then(a.name.cmp(&b.name)));
        // Seats unrepresented (and recorded so) at the last two meetings held, in a row.
        let unrepresented_twice =
            unrepresented_twice(&meetings, &visible, &mark_of).iter().map(|m| seat_name(m)).collect();
        let can_edit = assure_domain::can(&ctx.actor, Action::Update, &of_body(&b));
        Ok(AttendanceReview {
            body: b,
            from,
            to,
            quorum,
            meetings: lines,
            seats,
            organisations,
            unrepresented_twice,
            can_edit,
            totals,
        })
    }
}

/// The partnership's statutory partners (organisations of that kind).
async fn statutory_partners(conn: &mut assure_store::Conn, p: PartnershipId) -> CoreResult<Vec<OrganisationId>> {
    let (orgs, _) = structure_store::organisations(conn, p, true, Page::ALL).await?;
    Ok(orgs.into_iter().filter(|o| o.kind == OrganisationKind::StatutoryPartner).map(|o| o.id).collect())
}

/// How a seat is named in a warning: its holder, and the organisation they represent.
fn seat_name(m: &Membership) -> String {
    match &m.organisation_name {
        Some(o) => format!("{} ({o})", m.person_name),
        None => m.person_name.clone(),
    }
}

/// The seats held at the last two meetings held (`meetings` in date order) and recorded as not
/// represented at both.
fn unrepresented_twice<'a>(
    meetings: &[Meeting],
    seats: &[&'a Membership],
    marks: &HashMap<(MeetingId, MembershipId), Presence>,
) -> Vec<&'a Membership> {
    let [.., before, last] = meetings else { return Vec::new() };
    seats
        .iter()
        .copied()
        .filter(|m| seat_on(m.from_date, m.to_date, before.held_on) && seat_on(m.from_date, m.to_date, last.held_on))
        .filter(|m| {
            [before, last].iter().all(|meeting| {
                let p = marks.get(&(meeting.id, m.id)).copied().unwrap_or(Presence::NotRecorded);
                !p.represented() && p != Presence::NotRecorded
            })
        })
        .collect()
}
