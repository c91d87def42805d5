//! The attendance review: a body's meetings held over a period counted per meeting, per
//! organisation and per seat, as a page, CSV and a workbook; and the alert when a seat goes
//! unrepresented at two meetings in a row.

use std::collections::{BTreeMap, HashMap};

use assure_domain::meetings::{Presence, Quorum, Tally, seat_on};
use assure_domain::structure::{Choice, MembershipRole};
use assure_domain::validation::long_date;
use assure_domain::{Action, BodyId, MeetingId, MembershipId, OrganisationId, Role};
use assure_store::meetings as st;
use assure_store::structure::{self as structure_store, Body};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use super::{Meeting, Membership, of_body};
use crate::{Core, CoreError, CoreResult, Ctx};

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
    /// A seat's organisation (`None` for an organisation's own line).
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

/// The meetings' table, in the workbook and the board's document alike.
const MEETING_COLUMNS: [&str; 10] = [
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
];

fn meeting_cells(line: &MeetingLine) -> [crate::documents::Cell; 10] {
    use crate::documents::Cell;
    let t = &line.tally;
    let count = |n: usize| Cell::integer(n as i64);
    [
        Cell::day(line.meeting.held_on),
        count(t.seats),
        count(t.represented),
        count(t.present),
        count(t.deputies),
        count(t.apologies),
        count(t.absent),
        count(t.not_recorded),
        Cell::number(t.represented_percent(), 1),
        Cell::from(match line.quorate {
            Some(true) => "Yes",
            Some(false) => "No",
            None => "No rule",
        }),
    ]
}

/// The organisations' and the seats' tables: `first` names what each row is.
fn record_columns(first: &str) -> [&str; 7] {
    [first, "Organisation", "Statutory partner", "Meetings held", "Represented", "By a deputy", "Represented (%)"]
}

fn record_cells(r: &Record) -> [crate::documents::Cell; 7] {
    use crate::documents::Cell;
    [
        Cell::from(r.name.as_str()),
        Cell::text(r.detail.clone()),
        Cell::from(if r.statutory { "Yes" } else { "No" }),
        Cell::integer(r.held as i64),
        Cell::integer(r.represented as i64),
        Cell::integer(r.by_deputy as i64),
        Cell::number(r.percent(), 1),
    ]
}

impl AttendanceReview {
    /// The period in words: "from 1 April 2022 to 31 March 2023", "every meeting held".
    pub fn period_words(&self) -> String {
        match (self.from, self.to) {
            (Some(f), Some(t)) => format!("from {} to {}", long_date(f), long_date(t)),
            (Some(f), None) => format!("from {}", long_date(f)),
            (None, Some(t)) => format!("to {}", long_date(t)),
            (None, None) => "every meeting held".to_owned(),
        }
    }

    /// The trend the review draws: seats represented, as a percentage, meeting by meeting.
    pub fn trend(&self) -> crate::documents::chart::LineChart {
        use crate::documents::chart::{LineChart, Series, Stroke};
        LineChart {
            categories: self.meetings.iter().map(|l| l.meeting.held_on.format("%b %Y").to_string()).collect(),
            series: vec![Series {
                name: "Seats represented (%)".into(),
                values: self.meetings.iter().map(|l| l.tally.represented_percent()).collect(),
                stroke: Stroke::Solid,
            }],
            decimals: 1,
        }
    }

    /// The review as a document for the board (PDF, Word): what it covers, the meetings held
    /// (after `trend`, the chart of seats represented, when given), the organisations and the
    /// seats, the statutory partners first, and the quorum. Marked as the workbook is.
    pub fn document(&self, trend: Option<crate::documents::Block>) -> crate::documents::Document {
        use crate::documents::{Block, Document, Marking, Table};
        let marking = if self.body.restricted { Marking::OfficialSensitive } else { Marking::Official };
        let mut doc = Document::new(format!("Attendance review: {}", self.body.name)).landscape().marked(marking);
        doc.push(Block::Note(format!(
            "Meetings of {} held {}. Produced by Assure on {}.",
            self.body.name,
            self.period_words(),
            chrono::Utc::now().format("%-d %B %Y")
        )));
        let t = &self.totals;
        doc.push(Block::Paragraph(match t.represented_percent() {
            Some(p) => format!(
                "Over {} meetings, {} of {} seats were represented ({p:.1}%), {} of them by a deputy or someone else.",
                self.meetings.len(),
                t.represented,
                t.seats,
                t.deputies
            ),
            None => "No meetings were held in the period.".to_owned(),
        }));
        if !self.unrepresented_twice.is_empty() {
            doc.push(Block::Paragraph(format!(
                "Not represented at the last two meetings: {}.",
                self.unrepresented_twice.join(", ")
            )));
        }
        doc.heading(2, "Meetings held");
        if let Some(figure) = trend.filter(|_| !self.meetings.is_empty()) {
            doc.push(figure);
        }
        let mut meetings = Table::new(MEETING_COLUMNS, &[16, 8, 11, 9, 9, 10, 8, 10, 11, 8]);
        for line in &self.meetings {
            meetings.row(meeting_cells(line));
        }
        doc.table(meetings);
        for (heading, first, records) in
            [("Organisations", "Organisation", &self.organisations), ("Seats", "Seat", &self.seats)]
        {
            doc.heading(2, heading);
            let mut table = Table::new(record_columns(first), &[24, 22, 10, 11, 11, 11, 11]);
            for r in records.iter() {
                table.row(record_cells(r));
            }
            doc.table(table);
        }
        doc.heading(2, "Quorum");
        let q = &self.quorum;
        doc.push(Block::Paragraph(if q.is_set() {
            let mut parts = Vec::new();
            if let Some(n) = q.members {
                parts.push(format!("at least {n} seats are represented"));
            }
            if q.statutory_partners {
                parts.push("every statutory partner with a seat is represented".to_owned());
            }
            format!("A meeting is quorate when {}.", parts.join(" and "))
        } else {
            "No quorum rule is set.".to_owned()
        }));
        doc
    }

    /// The review as a workbook for the board: a sheet per meeting held, per organisation and
    /// per seat, numbers as numbers and dates as dates. Marked OFFICIAL-SENSITIVE for a
    /// restricted body, OFFICIAL otherwise.
    pub fn xlsx(&self) -> CoreResult<Vec<u8>> {
        use crate::documents::Marking;
        use crate::documents::xlsx::{Sheet, Workbook};
        let marking = if self.body.restricted { Marking::OfficialSensitive } else { Marking::Official };
        let mut book = Workbook::new(format!("{}: attendance", self.body.name), Some(marking));
        let mut meetings =
            Sheet::new("Meetings", MEETING_COLUMNS, &[14.0, 8.0, 12.0, 9.0, 9.0, 10.0, 8.0, 12.0, 15.0, 9.0]);
        for line in &self.meetings {
            meetings.row(meeting_cells(line));
        }
        book.sheets.push(meetings);
        for (name, first, records) in
            [("Organisations", "Organisation", &self.organisations), ("Seats", "Seat", &self.seats)]
        {
            let mut sheet = Sheet::new(name, record_columns(first), &[40.0, 36.0, 12.0, 12.0, 12.0, 12.0, 15.0]);
            for r in records.iter() {
                sheet.row(record_cells(r));
            }
            book.sheets.push(sheet);
        }
        book.write().map_err(CoreError::Internal)
    }
}

impl Core {
    /// Tells the body's chair (when they have an account) and the business unit, once for each
    /// seat and meeting, of every seat not represented at the body's last two meetings held: in
    /// the application and by e-mail. A restricted person is not named.
    pub(super) async fn alert_unrepresented(&self, body: BodyId) -> CoreResult<crate::reminders::ReminderReport> {
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
        drop(conn);
        let statutory = self.statutory_partners(ctx, b.partnership_id).await?;
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
        self.log_restricted_seats(ctx, b.partnership_id, &visible).await?;
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
