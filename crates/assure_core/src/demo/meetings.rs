//! The demo's meetings: a year of the children's board (2022/23, second Tuesdays of June,
//! September, December and March) with attendance, deputies and gaps, one meeting cancelled, one
//! held three weeks ago, and the next three planned; the adults' board's last two meetings; and
//! the (restricted) Child Practice Review's next meeting; and the time given to the board's
//! meetings held (chairing and hosting), valued at £40 an hour.

use assure_domain::meetings::agenda::AgendaItemInput;
use assure_domain::meetings::in_kind::{Given, InKindInput};
use assure_domain::meetings::{MeetingInput, QuorumInput};
use assure_domain::structure::{Choice, MembershipRole};
use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::lookup;
use super::structure::DemoStructure;
use crate::{CoreResult, Ctx};

/// How each seat of the children's board was filled at a meeting, by the holder's name; a seat
/// not named was filled by its holder.
type Marks = &'static [(&'static str, &'static str, &'static str)];

const CHILDREN: &str = "SSP Children's Board (SSPC)";
const ADULTS: &str = "SSP Adults' Board (SSPA)";

const YEAR: &[(&str, Marks)] = &[
    ("2022-06-14", &[("Kit Morrow", "deputy", "June Mitchell"), ("Drew Kenning", "apologies", "")]),
    (
        "2022-09-13",
        &[
            ("Noor Hadley", "remote", ""),
            ("Frankie Lowe", "someone_else", "Luke Collison"),
            ("Marlowe Reid", "absent", ""),
        ],
    ),
    (
        "2022-12-13",
        &[
            ("Dana Whitfield", "apologies", ""),
            ("Kit Morrow", "deputy", "June Mitchell"),
            ("Drew Kenning", "absent", ""),
        ],
    ),
    ("2023-03-14", &[("Sky Pemberton", "remote", ""), ("Drew Kenning", "absent", "")]),
];

/// An agenda item: (title, presenter, purpose, minutes, restricted, owner's e-mail, its paper as
/// (file name, text)).
type Item =
    (&'static str, &'static str, &'static str, &'static str, bool, &'static str, Option<(&'static str, &'static str)>);

/// The board's agenda, as the last meeting held had it.
const BOARD_AGENDA: &[Item] = &[
    ("Welcome, apologies and declarations of interest", "Independent Chair", "information", "5", false, "", None),
    ("Minutes of the last meeting and the action log", "Independent Chair", "decision", "10", false, "", None),
    (
        "Section 11 audit: the year's findings",
        "Business Manager",
        "discussion",
        "25",
        false,
        "",
        Some((
            "Section 11 findings.txt",
            "Section 11 audit: summary of findings\n\n14 of 16 agencies returned their self-assessment on time.\n\
             Strengths: safer recruitment; supervision.\nAreas for development: hearing the voice of the child; \
             information sharing at the front door.\n",
        )),
    ),
    (
        "Rapid review: emerging learning",
        "Chair of the Child Practice Review",
        "discussion",
        "20",
        true,
        "",
        Some((
            "Rapid review learning.txt",
            "Rapid review: emerging learning (restricted to the board)\n\nThree lines of learning for the \
             partnership: the recognition of neglect in adolescence; escalation between agencies; the \
             use of chronologies.\n",
        )),
    ),
    (
        "Performance dashboard: the quarter",
        "Head of Performance",
        "information",
        "15",
        false,
        "",
        Some((
            "Dashboard quarter.csv",
            "indicator,this quarter,last quarter\nchildren in need per 10000,341,335\nchild protection plans per 10000,44,47\n",
        )),
    ),
];

/// The next board meeting's agenda: one paper in, the police's to come.
const NEXT_AGENDA: &[Item] = &[
    ("Welcome, apologies and declarations of interest", "Independent Chair", "information", "5", false, "", None),
    (
        "Exploitation: the police's quarterly report",
        "Detective Superintendent, Head of Public Protection",
        "discussion",
        "20",
        false,
        "police.lead@example.org",
        None,
    ),
    (
        "Annual report: the draft",
        "Business Manager",
        "decision",
        "20",
        false,
        "",
        Some(("Annual report outline.txt", "Annual report 2022/23: outline for the board's approval\n")),
    ),
];

/// The Tuesday on or before `day`.
fn tuesday_before(day: NaiveDate) -> NaiveDate {
    let back = (day.weekday().num_days_from_monday() + 7 - Weekday::Tue.num_days_from_monday()) % 7;
    day - Days::new(u64::from(back))
}

impl crate::Core {
    pub(super) async fn load_demo_meetings(&self, ctx: &Ctx, s: &DemoStructure) -> CoreResult<()> {
        let board = lookup(&s.bodies, CHILDREN)?;
        let adults = lookup(&s.bodies, ADULTS)?;
        // Quorate with five seats represented, every statutory partner among them.
        self.set_quorum(ctx, board, &QuorumInput { members: "5".into(), statutory_partners: true }).await?;
        let meeting = |held_on: String| MeetingInput {
            held_on,
            starts_at: "10:00".into(),
            ends_at: "12:00".into(),
            place: "Civic Centre, Victoria Avenue, Southend".into(),
        };
        let today = chrono::Utc::now().date_naive();
        let recent = tuesday_before(today - Days::new(21));
        let mut held: Vec<(NaiveDate, Marks)> = YEAR
            .iter()
            .map(|(d, m)| Ok((NaiveDate::parse_from_str(d, "%Y-%m-%d")?, *m)))
            .collect::<Result<_, chrono::ParseError>>()
            .map_err(|e| crate::CoreError::Internal(format!("demo meeting date: {e}")))?;
        held.push((recent, &[("Drew Kenning", "apologies", ""), ("Marlowe Reid", "deputy", "Tracey Harman")]));
        let mut partnership = None;
        let mut last_held = None;
        let mut before_last = None;
        for (day, marks) in held {
            let id = self.create_meeting(ctx, board, &meeting(day.to_string())).await?;
            let detail = self.meeting(ctx, id).await?;
            let sent: Vec<(String, String, String)> = detail
                .seats
                .iter()
                .map(|seat| {
                    let (presence, by) = marks
                        .iter()
                        .find(|(name, _, _)| *name == seat.membership.person_name)
                        .map(|(_, p, by)| (*p, *by))
                        .unwrap_or((assure_domain::meetings::Presence::Present.code(), ""));
                    (seat.membership.id.to_string(), presence.to_owned(), by.to_owned())
                })
                .collect();
            self.record_attendance(ctx, id, &sent, None, None).await?;
            // The time given: the chair's organisation chairs; the council hosts at the Civic Centre.
            let chair = detail.seats.iter().find(|s| s.membership.role == MembershipRole::Chair);
            if let Some(org) = chair.and_then(|s| s.membership.organisation_id) {
                let input = InKindInput {
                    organisation_id: org.to_string(),
                    given: Given::Chairing.code().into(),
                    hours: "2".into(),
                    note: String::new(),
                };
                self.record_in_kind(ctx, id, &input).await?;
            }
            let host = InKindInput {
                organisation_id: lookup(&s.orgs, "Southend City Council")?.to_string(),
                given: Given::Hosting.code().into(),
                hours: "2.5".into(),
                note: "Committee room and refreshments".into(),
            };
            self.record_in_kind(ctx, id, &host).await?;
            partnership = Some(detail.meeting.partnership_id);
            before_last = last_held;
            last_held = Some(id);
        }
        if let Some(id) = last_held {
            self.demo_agenda(ctx, id, BOARD_AGENDA).await?;
            self.publish_pack(ctx, id).await?;
            self.demo_minutes(ctx, id, before_last).await?;
        }
        if let Some(p) = partnership {
            self.set_in_kind_rate(ctx, p, "40").await?;
        }
        // The board's annual business cycle, for the meetings planned from now on.
        let cycle: [(&str, &str, &str, &str, &[&str]); 5] = [
            ("Risk register", "Business Manager", "discussion", "10", &["3", "6", "9", "12"]),
            ("Section 11 audit report", "Business Manager", "discussion", "20", &["3"]),
            ("Attendance review", "Business Manager", "information", "5", &["6", "12"]),
            ("Child death overview panel: annual report", "Chair of the CDOP", "information", "15", &["6"]),
            ("Annual report", "Independent Scrutineer", "decision", "20", &["9"]),
        ];
        for (title, presenter, purpose, minutes, months) in cycle {
            let input = assure_domain::meetings::agenda::StandingItemInput {
                title: title.into(),
                presenter: presenter.into(),
                purpose: purpose.into(),
                minutes: minutes.into(),
                restricted: String::new(),
                months: months.iter().map(|m| (*m).to_owned()).collect(),
            };
            self.add_standing_item(ctx, board, &input).await?;
        }
        // An extraordinary meeting called and then cancelled.
        let extra = self.create_meeting(ctx, board, &meeting("2023-01-24".into())).await?;
        let budget = [("The partnership's budget for 2023/24", "Business Manager", "decision", "30", false, "", None)];
        self.demo_agenda(ctx, extra, &budget).await?;
        self.cancel_meeting(ctx, extra, "The budget was agreed by the Executive instead", None).await?;
        // The next three, a quarter apart.
        for weeks in [5u64, 18, 31] {
            let day = tuesday_before(today + Days::new(weeks * 7));
            let id = self.create_meeting(ctx, board, &meeting(day.to_string())).await?;
            if weeks == 5 {
                self.demo_agenda(ctx, id, NEXT_AGENDA).await?;
            }
        }
        // The Child Practice Review subgroup (restricted) meets next week.
        let panel = lookup(&s.bodies, "Child Practice Review")?;
        let next = self
            .create_meeting(
                ctx,
                panel,
                &MeetingInput { place: "Online".into(), ..meeting(tuesday_before(today + Days::new(9)).to_string()) },
            )
            .await?;
        let rapid = [(
            "Rapid review: Child H",
            "Safeguarding Practice Lead",
            "decision",
            "45",
            true,
            "cpr.member@example.org",
            None,
        )];
        self.demo_agenda(ctx, next, &rapid).await?;
        // The adults' board's last two meetings, the second not yet recorded.
        for (i, days) in [112u64, 21].into_iter().enumerate() {
            let day = tuesday_before(today - Days::new(days)) + Days::new(2);
            let id = self.create_meeting(ctx, adults, &meeting(day.to_string())).await?;
            if i == 0 {
                let detail = self.meeting(ctx, id).await?;
                let sent: Vec<(String, String, String)> = detail
                    .seats
                    .iter()
                    .enumerate()
                    .map(|(n, seat)| {
                        let presence = if n == 2 { "apologies" } else { "present" };
                        (seat.membership.id.to_string(), presence.to_owned(), String::new())
                    })
                    .collect();
                self.record_attendance(ctx, id, &sent, None, None).await?;
            }
        }
        Ok(())
    }

    /// The record of the last meeting held, a draft awaiting approval at the next; and the
    /// meeting before it, its budget decision approved at the last.
    async fn demo_minutes(
        &self,
        ctx: &Ctx,
        last: assure_domain::MeetingId,
        before: Option<assure_domain::MeetingId>,
    ) -> CoreResult<()> {
        use assure_domain::meetings::minutes::{DecisionInput, DeclarationInput, MeetingActionInput};
        if let Some(before) = before {
            let budget = DecisionInput {
                item_id: String::new(),
                text: "The board agreed the partnership's budget for 2023/24, with each statutory partner's \
                       contribution held at this year's level."
                    .into(),
            };
            self.record_decision(ctx, before, &budget).await?;
            self.approve_minutes(ctx, before).await?;
        }
        let detail = self.meeting(ctx, last).await?;
        let item = |n: usize| detail.agenda.items.get(n).map(|v| v.item.id.to_string()).unwrap_or_default();
        let texts: Vec<(String, String)> = [
            (0, "The chair welcomed members. Apologies were received as recorded in the attendance."),
            (1, "The minutes of the last meeting were agreed. Every action on the log was complete or on track."),
            (
                2,
                "The business manager presented the year's findings. Members discussed the two areas for \
                 development; the police described the work begun on information sharing at the front door.",
            ),
            (3, "The chair of the Child Practice Review presented the emerging learning."),
            (4, "Members noted the quarter's figures and the rise in children in need."),
        ]
        .into_iter()
        .map(|(n, t)| (item(n), t.to_owned()))
        .collect();
        self.save_minutes(ctx, last, &texts, None).await?;
        let declared = DeclarationInput {
            item_id: item(2),
            person: "Noor Hadley".into(),
            interest: "Her agency's return is among those discussed".into(),
        };
        self.declare_interest(ctx, last, &declared).await?;
        for (n, text) in [
            (
                2,
                "The board accepted the Section 11 findings and asked each agency with an area for development \
                 to report its plan to the next meeting.",
            ),
            (3, "The board endorsed the rapid review's emerging learning for the annual report."),
            (4, "The board agreed to add the re-referral rate to the dashboard's exceptions."),
        ] {
            self.record_decision(ctx, last, &DecisionInput { item_id: item(n), text: text.into() }).await?;
        }
        let held_on = detail.meeting.held_on;
        for (n, text, owner, due) in [
            (
                2,
                "Report Essex Police's plan for information sharing at the front door",
                "police.lead@example.org",
                held_on + Days::new(56),
            ),
            (
                4,
                "Add the re-referral rate to the dashboard's exceptions report",
                "business.manager@example.org",
                held_on + Days::new(14),
            ),
        ] {
            let input = MeetingActionInput {
                item_id: item(n),
                text: text.into(),
                owner_email: owner.into(),
                due_on: due.to_string(),
            };
            self.add_meeting_action(ctx, last, &input).await?;
        }
        Ok(())
    }

    /// Sets out a meeting's agenda with its papers.
    async fn demo_agenda(&self, ctx: &Ctx, meeting: assure_domain::MeetingId, items: &[Item]) -> CoreResult<()> {
        for (title, presenter, purpose, minutes, restricted, owner, paper) in items {
            let input = AgendaItemInput {
                title: (*title).into(),
                presenter: (*presenter).into(),
                purpose: (*purpose).into(),
                minutes: (*minutes).into(),
                restricted: if *restricted { "true".into() } else { String::new() },
                owner_email: (*owner).into(),
            };
            let item = self.add_agenda_item(ctx, meeting, &input).await?;
            if let Some((name, text)) = paper {
                let file = crate::learning::UploadFile {
                    name: (*name).into(),
                    content_type: if name.ends_with(".csv") { "text/csv" } else { "text/plain" }.into(),
                    bytes: text.as_bytes().to_vec(),
                };
                self.add_papers(ctx, item, vec![file]).await?;
            }
        }
        Ok(())
    }
}
