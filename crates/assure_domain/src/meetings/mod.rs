//! Meetings of the partnership's bodies and who came to them. A *seat* is a membership (a
//! person, the organisation they represent, their role) current on the meeting's day; each seat
//! is marked present, present remotely, represented by a deputy (with apologies from the holder)
//! or by someone else, apologies, absent, or not yet recorded. The tally and the quorum follow
//! from the marks, so a deputy counts for the seat they stand in for.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

pub mod agenda;
pub mod grid;
pub mod ical;
pub mod in_kind;
pub mod minutes;

use crate::OrganisationId;
use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

choice!(
    /// How a seat was filled at a meeting.
    Presence {
        Present => ("present", "Present"),
        Remote => ("remote", "Present remotely"),
        Deputy => ("deputy", "Apologies, a deputy attended"),
        SomeoneElse => ("someone_else", "Someone else attended for the seat"),
        Apologies => ("apologies", "Apologies"),
        Absent => ("absent", "Absent without apologies"),
        NotRecorded => ("not_recorded", "Not recorded"),
    }
);

impl Presence {
    /// The seat's holder, or someone for them, was there.
    pub fn represented(self) -> bool {
        matches!(self, Presence::Present | Presence::Remote | Presence::Deputy | Presence::SomeoneElse)
    }

    /// Someone other than the holder sat in the seat: they are named.
    pub fn by_someone_else(self) -> bool {
        matches!(self, Presence::Deputy | Presence::SomeoneElse)
    }

    /// The holder sent apologies (whether or not a deputy came).
    pub fn apologies(self) -> bool {
        matches!(self, Presence::Apologies | Presence::Deputy)
    }
}

/// The longest a place or a name on a meeting may be.
const MAX_TEXT: usize = 200;

/// What a form or API request sends for a meeting, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeetingInput {
    #[serde(default)]
    pub held_on: String,
    /// "10:00", 24-hour.
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub place: String,
}

/// A valid meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewMeeting {
    pub held_on: NaiveDate,
    pub starts_at: NaiveTime,
    pub ends_at: Option<NaiveTime>,
    pub place: Option<String>,
}

/// A time of day as people type it into a form: "10:00", "9:30" (24-hour).
pub fn optional_time(label: &str, raw: &str) -> Result<Option<NaiveTime>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let shaped = matches!(value.len(), 4 | 5) && value.bytes().rev().nth(2) == Some(b':');
    NaiveTime::parse_from_str(value, "%H:%M")
        .ok()
        .filter(|_| shaped)
        .map(Some)
        .ok_or_else(|| format!("Enter {label} as hours and minutes on the 24-hour clock, like 14:30"))
}

/// A meeting's times and place, as both one meeting and a year's pattern ask for them: a start
/// time, an end time after it if given, and a place.
fn times_and_place(
    e: &mut FieldErrors,
    starts_at: &str,
    ends_at: &str,
    place: &str,
) -> Option<(NaiveTime, Option<NaiveTime>, Option<String>)> {
    let starts_at = e.check(
        "starts_at",
        optional_time("the start time", starts_at).and_then(|t| t.ok_or_else(|| "Enter the start time".to_owned())),
    );
    let ends_at = e.check("ends_at", optional_time("the end time", ends_at)).flatten();
    if let (Some(s), Some(end)) = (starts_at, ends_at)
        && end <= s
    {
        e.add("ends_at", "The end time must be after the start time");
    }
    let place = e.check("place", validation::optional_text("the place", place, MAX_TEXT)).flatten();
    starts_at.map(|s| (s, ends_at, place))
}

impl MeetingInput {
    pub fn validate(&self) -> Validated<NewMeeting> {
        let mut e = FieldErrors::new();
        let held_on = e.check("held_on", validation::required_date("the date of the meeting", &self.held_on));
        let times = times_and_place(&mut e, &self.starts_at, &self.ends_at, &self.place);
        match (held_on, times) {
            (Some(held_on), Some((starts_at, ends_at, place))) if e.is_empty() => {
                Ok(NewMeeting { held_on, starts_at, ends_at, place })
            }
            _ => Err(e),
        }
    }
}

/// How one seat was filled, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mark {
    pub presence: Presence,
    /// Who sat in the seat for its holder (a deputy, or someone else).
    pub attended_by: Option<String>,
}

impl Mark {
    /// A seat's mark from what a form sends: the presence's code and, for a deputy or someone
    /// else, their name (ignored otherwise).
    pub fn parse(presence: &str, attended_by: &str) -> Result<Mark, String> {
        let presence = Presence::parse(presence.trim()).ok_or("Select how the seat was filled")?;
        let attended_by = if presence.by_someone_else() {
            Some(validation::required_text("the name of who attended for the seat", attended_by, MAX_TEXT)?)
        } else {
            None
        };
        Ok(Mark { presence, attended_by })
    }
}

choice!(
    /// A seat holder's reply to a meeting's invitation, before the meeting.
    Reply {
        Attending => ("attending", "Attending"),
        Remote => ("remote", "Attending remotely"),
        Deputy => ("deputy", "Apologies, sending a deputy"),
        Apologies => ("apologies", "Apologies"),
    }
);

impl Reply {
    /// A reply and, when a deputy is sent, the deputy's name, from what a form sends.
    pub fn parse_with(reply: &str, deputy: &str) -> Result<(Reply, Option<String>), String> {
        let reply = Reply::parse(reply.trim()).ok_or("Select your reply")?;
        let deputy = if reply == Reply::Deputy {
            Some(validation::required_text("the name of your deputy", deputy, MAX_TEXT)?)
        } else {
            None
        };
        Ok((reply, deputy))
    }

    /// The mark the reply leads one to expect, which the attendance form offers until the seat
    /// is marked.
    pub fn expected(self, deputy: Option<&str>) -> Mark {
        let presence = match self {
            Reply::Attending => Presence::Present,
            Reply::Remote => Presence::Remote,
            Reply::Deputy => Presence::Deputy,
            Reply::Apologies => Presence::Apologies,
        };
        Mark { presence, attended_by: deputy.map(str::to_owned).filter(|_| self == Reply::Deputy) }
    }
}

/// Someone in attendance at a meeting who holds no seat on the body: an officer, a guest,
/// someone who "also attended".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guest {
    pub name: String,
    /// What they came as ("Business unit", "Presenting item 4"), as recorded.
    pub came_as: Option<String>,
}

/// The most people a meeting's "others in attendance" may list.
pub const MAX_GUESTS: usize = 60;

/// Others in attendance as a form gives them: one per line, "Name" or "Name, what they came as".
pub fn parse_guests(text: &str) -> Result<Vec<Guest>, String> {
    let lines: Vec<(String, Option<String>)> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.split_once(',') {
            Some((name, came_as)) => (name.trim().to_owned(), Some(came_as.trim().to_owned())),
            None => (line.to_owned(), None),
        })
        .collect();
    check_guests(&lines)
}

/// Others in attendance, each a name and what they came as: at most [`MAX_GUESTS`], each named,
/// the same name once.
pub fn check_guests(given: &[(String, Option<String>)]) -> Result<Vec<Guest>, String> {
    if given.len() > MAX_GUESTS {
        return Err(format!("List at most {MAX_GUESTS} others in attendance"));
    }
    let mut out: Vec<Guest> = Vec::new();
    for (i, (name, came_as)) in given.iter().enumerate() {
        let label = format!("the name on line {} of others in attendance", i + 1);
        let name = validation::required_text(&label, name, 100)?;
        let came_as = validation::optional_text("what they came as", came_as.as_deref().unwrap_or(""), MAX_TEXT)
            .map_err(|_| format!("What {name} came as is longer than {MAX_TEXT} characters"))?;
        if !out.iter().any(|g| g.name.eq_ignore_ascii_case(&name)) {
            out.push(Guest { name, came_as });
        }
    }
    Ok(out)
}

/// Others in attendance as the form shows them again.
pub fn guests_text(guests: &[Guest]) -> String {
    guests
        .iter()
        .map(|g| match &g.came_as {
            Some(c) => format!("{}, {c}", g.name),
            None => g.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A body's quorum: how many seats must be represented, and whether every statutory partner
/// with a seat must be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Quorum {
    pub members: Option<u32>,
    pub statutory_partners: bool,
}

/// The most seats a quorum may ask for.
pub const MAX_QUORUM: u32 = 500;

/// What a form or API request sends for a quorum, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuorumInput {
    #[serde(default)]
    pub members: String,
    #[serde(default)]
    pub statutory_partners: bool,
}

impl QuorumInput {
    pub fn validate(&self) -> Validated<Quorum> {
        let raw = self.members.trim();
        let members = if raw.is_empty() {
            None
        } else {
            match raw.parse::<u32>() {
                Ok(n) if (1..=MAX_QUORUM).contains(&n) => Some(n),
                _ => {
                    return Err(FieldErrors::single(
                        "members",
                        format!(
                            "Enter the number of seats as a whole number from 1 to {MAX_QUORUM}, or leave it empty"
                        ),
                    ));
                }
            }
        };
        Ok(Quorum { members, statutory_partners: self.statutory_partners })
    }
}

impl Quorum {
    /// Whether a rule is set at all.
    pub fn is_set(&self) -> bool {
        self.members.is_some() || self.statutory_partners
    }

    /// Whether a meeting with these seats was quorate: `None` when the body has no rule. Each
    /// seat is (its organisation, whether that organisation is a statutory partner, its mark).
    pub fn met(&self, seats: &[(Option<OrganisationId>, bool, Presence)]) -> Option<bool> {
        if !self.is_set() {
            return None;
        }
        let represented = seats.iter().filter(|(_, _, p)| p.represented()).count();
        let enough = self.members.is_none_or(|n| represented >= n as usize);
        let partners = !self.statutory_partners
            || seats.iter().filter(|(_, statutory, _)| *statutory).all(|(org, _, _)| {
                seats.iter().any(|(other, statutory, p)| *statutory && other == org && p.represented())
            });
        Some(enough && partners)
    }
}

/// A meeting's seats counted by how they were filled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub seats: usize,
    /// The holder or someone for them was there.
    pub represented: usize,
    /// The holder was there, in the room or remotely.
    pub present: usize,
    /// A deputy or someone else sat in the seat.
    pub deputies: usize,
    /// The holder sent apologies (with or without a deputy).
    pub apologies: usize,
    pub absent: usize,
    pub not_recorded: usize,
}

impl Tally {
    pub fn of(marks: impl IntoIterator<Item = Presence>) -> Tally {
        let mut t = Tally::default();
        for p in marks {
            t.seats += 1;
            t.represented += usize::from(p.represented());
            t.present += usize::from(matches!(p, Presence::Present | Presence::Remote));
            t.deputies += usize::from(p.by_someone_else());
            t.apologies += usize::from(p.apologies());
            t.absent += usize::from(p == Presence::Absent);
            t.not_recorded += usize::from(p == Presence::NotRecorded);
        }
        t
    }

    /// Seats represented, as a percentage of the seats, to one decimal place; `None` for none.
    pub fn represented_percent(&self) -> Option<f64> {
        (self.seats > 0).then(|| (self.represented as f64 * 1000.0 / self.seats as f64).round() / 10.0)
    }
}

choice!(
    /// Which of a month's weekdays a body meets on.
    Week {
        First => ("1", "First"),
        Second => ("2", "Second"),
        Third => ("3", "Third"),
        Fourth => ("4", "Fourth"),
        Last => ("last", "Last"),
    }
);

/// The weekdays a body may meet on, by their names in a form.
pub const WEEKDAYS: [(chrono::Weekday, &str, &str); 5] = [
    (chrono::Weekday::Mon, "monday", "Monday"),
    (chrono::Weekday::Tue, "tuesday", "Tuesday"),
    (chrono::Weekday::Wed, "wednesday", "Wednesday"),
    (chrono::Weekday::Thu, "thursday", "Thursday"),
    (chrono::Weekday::Fri, "friday", "Friday"),
];

/// The month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// What a form or API request sends for a body's pattern of meetings, before validation: "the
/// second Tuesday of February, May, September and December, 10:00 to 12:00".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlanInput {
    #[serde(default)]
    pub week: String,
    #[serde(default)]
    pub weekday: String,
    /// Month numbers, 1 to 12.
    #[serde(default)]
    pub months: Vec<String>,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub place: String,
}

/// The months a form ticks (numbers 1 to 12), in order and once each; a problem is added to
/// `months` when one is not a month or none is ticked.
pub fn months_chosen(e: &mut FieldErrors, raw: &[String]) -> Vec<u32> {
    let mut months: Vec<u32> = Vec::new();
    for one in raw {
        match one.trim().parse::<u32>() {
            Ok(m) if (1..=12).contains(&m) => {
                if !months.contains(&m) {
                    months.push(m);
                }
            }
            _ => {
                e.add("months", "Select the months from the list");
                break;
            }
        }
    }
    months.sort_unstable();
    if months.is_empty() && e.get("months").is_none() {
        e.add("months", "Select at least one month");
    }
    months
}

/// A valid pattern of meetings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub week: Week,
    pub weekday: chrono::Weekday,
    /// Month numbers, 1 to 12, in order.
    pub months: Vec<u32>,
    pub starts_at: NaiveTime,
    pub ends_at: Option<NaiveTime>,
    pub place: Option<String>,
}

impl PlanInput {
    pub fn validate(&self) -> Validated<Plan> {
        let mut e = FieldErrors::new();
        let week = Week::parse(self.week.trim());
        if week.is_none() {
            e.add("week", "Select which week of the month");
        }
        let weekday = WEEKDAYS.iter().find(|(_, code, _)| *code == self.weekday.trim()).map(|(d, _, _)| *d);
        if weekday.is_none() {
            e.add("weekday", "Select the day of the week");
        }
        let months = months_chosen(&mut e, &self.months);
        let times = times_and_place(&mut e, &self.starts_at, &self.ends_at, &self.place);
        match (week, weekday, times) {
            (Some(week), Some(weekday), Some((starts_at, ends_at, place))) if e.is_empty() => {
                Ok(Plan { week, weekday, months, starts_at, ends_at, place })
            }
            _ => Err(e),
        }
    }
}

impl Plan {
    /// The day the pattern gives in one month.
    pub fn day_in(&self, year: i32, month: u32) -> Option<NaiveDate> {
        let n = match self.week {
            Week::First => 1,
            Week::Second => 2,
            Week::Third => 3,
            Week::Fourth => 4,
            Week::Last => return last_weekday(year, month, self.weekday),
        };
        NaiveDate::from_weekday_of_month_opt(year, month, self.weekday, n)
    }

    /// Every day the pattern gives from `from` (included) for the next twelve months.
    pub fn days_from(&self, from: NaiveDate) -> Vec<NaiveDate> {
        use chrono::Datelike;
        let until = from.checked_add_months(chrono::Months::new(12)).unwrap_or(from);
        let mut out = Vec::new();
        let (mut year, mut month) = (from.year(), from.month());
        for _ in 0..13 {
            if self.months.contains(&month)
                && let Some(day) = self.day_in(year, month)
                && day >= from
                && day < until
            {
                out.push(day);
            }
            (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        }
        out
    }

    /// The pattern in words: "the second Tuesday of February, May, September and December".
    pub fn words(&self) -> String {
        let day = WEEKDAYS.iter().find(|(d, _, _)| *d == self.weekday).map(|(_, _, l)| *l).unwrap_or("");
        let months: Vec<&str> = self.months.iter().map(|m| MONTHS[(*m as usize) - 1]).collect();
        let list = match months.as_slice() {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        };
        format!("the {} {day} of {list}", self.week.label().to_lowercase())
    }
}

fn last_weekday(year: i32, month: u32, weekday: chrono::Weekday) -> Option<NaiveDate> {
    use chrono::Datelike;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }?;
    let mut day = next.pred_opt()?;
    while day.weekday() != weekday {
        day = day.pred_opt()?;
    }
    Some(day)
}

/// Why a meeting's day is not a working day, when it is not: the weekday ("Saturday"), the bank
/// holiday ("Good Friday"), or a day the partnership's offices are closed. A pattern can give
/// such a day (the second Monday of April is sometimes Easter Monday): it is planned all the
/// same, and flagged for the business unit to move.
pub fn not_a_working_day(day: NaiveDate, cal: &crate::reviews::calendar::WorkingCalendar) -> Option<String> {
    use chrono::Datelike;
    if cal.is_working_day(day) {
        return None;
    }
    if matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        return Some(day.format("%A").to_string());
    }
    let holiday = crate::reviews::calendar::bank_holidays(day.year()).into_iter().find(|(d, _)| *d == day);
    Some(holiday.map_or_else(|| "a day the offices are closed".to_owned(), |(_, name)| name.to_owned()))
}

/// Whether a membership is a seat at a meeting on `day`: it had started and not yet ended.
pub fn seat_on(from: NaiveDate, to: Option<NaiveDate>, day: NaiveDate) -> bool {
    from <= day && to.is_none_or(|t| day <= t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_leads_to_the_mark_it_announces() {
        assert_eq!(Reply::parse_with("deputy", " June Mitchell "), Ok((Reply::Deputy, Some("June Mitchell".into()))));
        assert!(Reply::parse_with("deputy", "").is_err());
        assert_eq!(Reply::parse_with("apologies", "ignored"), Ok((Reply::Apologies, None)));
        assert!(Reply::parse_with("maybe", "").is_err());
        let m = Reply::Deputy.expected(Some("June Mitchell"));
        assert_eq!((m.presence, m.attended_by.as_deref()), (Presence::Deputy, Some("June Mitchell")));
        assert_eq!(Reply::Remote.expected(None).presence, Presence::Remote);
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_meeting_needs_a_date_and_a_start_and_ends_after_it_starts() {
        let ok = MeetingInput {
            held_on: "2027-02-09".into(),
            starts_at: "10:00".into(),
            ends_at: "12:00".into(),
            place: " Civic Centre ".into(),
        };
        let m = ok.validate().unwrap();
        assert_eq!(m.place.as_deref(), Some("Civic Centre"));
        assert_eq!(m.starts_at, NaiveTime::from_hms_opt(10, 0, 0).unwrap());
        let e = MeetingInput::default().validate().unwrap_err();
        assert_eq!(e.get("held_on"), Some("Enter the date of the meeting"));
        assert_eq!(e.get("starts_at"), Some("Enter the start time"));
        let e = MeetingInput { ends_at: "9:30".into(), ..ok.clone() }.validate().unwrap_err();
        assert_eq!(e.get("ends_at"), Some("The end time must be after the start time"));
        for bad in ["10", "25:00", "10:60", "10.00", "1000", "10:00pm"] {
            let e = MeetingInput { starts_at: bad.into(), ..ok.clone() }.validate().unwrap_err();
            assert!(e.get("starts_at").unwrap().contains("24-hour clock"), "{bad}");
        }
        assert!(MeetingInput { starts_at: "9:30".into(), ..ok }.validate().is_ok());
    }

    #[test]
    fn a_deputy_is_named_and_counts_for_the_seat() {
        assert_eq!(Mark::parse("deputy", "").unwrap_err(), "Enter the name of who attended for the seat");
        let m = Mark::parse("deputy", " June Mitchell ").unwrap();
        assert_eq!(m.attended_by.as_deref(), Some("June Mitchell"));
        assert_eq!(Mark::parse("present", "ignored").unwrap().attended_by, None);
        assert!(Mark::parse("maybe", "").is_err());
        use Presence::*;
        let t = Tally::of([Present, Remote, Deputy, SomeoneElse, Apologies, Absent, NotRecorded, Present]);
        assert_eq!(
            t,
            Tally { seats: 8, represented: 5, present: 3, deputies: 2, apologies: 2, absent: 1, not_recorded: 1 }
        );
        assert_eq!(t.represented_percent(), Some(62.5));
        assert_eq!(Tally::of([]).represented_percent(), None);
    }

    #[test]
    fn a_meeting_is_quorate_when_enough_seats_and_every_statutory_partner_are_represented() {
        use Presence::*;
        let (police, council, school) = (Some(OrganisationId(1)), Some(OrganisationId(2)), Some(OrganisationId(3)));
        let seats =
            [(police, true, Apologies), (police, true, Deputy), (council, true, Present), (school, false, Absent)];
        assert_eq!(Quorum::default().met(&seats), None, "no rule set");
        assert_eq!(Quorum { members: Some(2), statutory_partners: true }.met(&seats), Some(true));
        assert_eq!(Quorum { members: Some(3), statutory_partners: false }.met(&seats), Some(false));
        let council_away = [(police, true, Present), (council, true, Apologies), (school, false, Present)];
        assert_eq!(Quorum { members: Some(2), statutory_partners: true }.met(&council_away), Some(false));
        assert_eq!(Quorum { members: Some(2), statutory_partners: false }.met(&council_away), Some(true));
        assert!(QuorumInput { members: "0".into(), statutory_partners: false }.validate().is_err());
        assert!(QuorumInput { members: "six".into(), statutory_partners: false }.validate().is_err());
        assert_eq!(QuorumInput { members: " ".into(), statutory_partners: true }.validate().unwrap().members, None);
    }

    #[test]
    fn a_pattern_gives_the_days_of_the_next_twelve_months() {
        let input = PlanInput {
            week: "2".into(),
            weekday: "tuesday".into(),
            months: vec!["12".into(), "2".into(), "5".into(), "9".into(), "2".into()],
            starts_at: "10:00".into(),
            ends_at: "12:00".into(),
            place: String::new(),
        };
        let plan = input.validate().unwrap();
        assert_eq!(plan.months, [2, 5, 9, 12]);
        assert_eq!(plan.words(), "the second Tuesday of February, May, September and December");
        let days: Vec<String> = plan.days_from(d("2026-11-29")).iter().map(|d| d.to_string()).collect();
        assert_eq!(days, ["2026-12-08", "2027-02-09", "2027-05-11", "2027-09-14"]);
        // The day itself counts; twelve months on does not.
        assert_eq!(plan.days_from(d("2026-12-08"))[0], d("2026-12-08"));
        assert_eq!(plan.days_from(d("2026-12-09")).last(), Some(&d("2027-09-14")));
        let last =
            PlanInput { week: "last".into(), weekday: "friday".into(), months: vec!["2".into()], ..input.clone() };
        assert_eq!(last.validate().unwrap().days_from(d("2027-01-01")), [d("2027-02-26")]);
        let e = PlanInput::default().validate().unwrap_err();
        assert_eq!(
            e.iter().map(|(f, _)| f).collect::<Vec<_>>(),
            ["months", "starts_at", "week", "weekday"],
            "each field named"
        );
        let e = PlanInput { months: vec!["13".into()], ..input }.validate().unwrap_err();
        assert_eq!(e.get("months"), Some("Select the months from the list"));
    }

    #[test]
    fn others_in_attendance_are_one_per_line_with_what_they_came_as() {
        let g = parse_guests("Sam Lee, Business unit\n\n  Ali Khan  \nsam lee, again").unwrap();
        assert_eq!(
            g,
            [
                Guest { name: "Sam Lee".into(), came_as: Some("Business unit".into()) },
                Guest { name: "Ali Khan".into(), came_as: None }
            ]
        );
        assert_eq!(guests_text(&g), "Sam Lee, Business unit\nAli Khan");
        assert!(parse_guests(", Business unit").unwrap_err().contains("line 1"));
        assert!(parse_guests(&(0..=MAX_GUESTS).map(|i| format!("Person {i}\n")).collect::<String>()).is_err());
        assert_eq!(parse_guests("").unwrap(), []);
    }

    #[test]
    fn a_day_that_is_not_a_working_day_says_why() {
        let cal = crate::reviews::calendar::WorkingCalendar::with_extra_days([d("2027-12-29")]);
        assert_eq!(not_a_working_day(d("2027-03-29"), &cal).as_deref(), Some("Easter Monday"));
        assert_eq!(not_a_working_day(d("2027-02-13"), &cal).as_deref(), Some("Saturday"));
        assert_eq!(not_a_working_day(d("2027-12-29"), &cal).as_deref(), Some("a day the offices are closed"));
        assert_eq!(not_a_working_day(d("2027-02-09"), &cal), None);
    }

    #[test]
    fn a_seat_is_a_membership_current_on_the_day() {
        assert!(seat_on(d("2022-04-01"), None, d("2022-04-01")));
        assert!(seat_on(d("2022-04-01"), Some(d("2022-07-31")), d("2022-07-31")));
        assert!(!seat_on(d("2022-04-01"), Some(d("2022-07-31")), d("2022-08-01")));
        assert!(!seat_on(d("2022-04-02"), None, d("2022-04-01")));
    }
}
