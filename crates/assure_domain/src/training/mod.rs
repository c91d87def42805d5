//! Training and events: the partnership's learning offer (courses, conferences with workshops,
//! lunch-and-learns, briefings, champions' training, tool roll-outs, e-learning), each event's
//! sessions with their places, booking by practitioners who mostly have no account (a waiting list,
//! limits per organisation), the register on the day, evaluation after the session with a
//! certificate, and the impact follow-up six to eight weeks later countersigned by the attendee's
//! manager. The rules here are pure: inputs and their checks, who gets a freed place, what a
//! session's places look like, reading an online meeting's attendance report, and the sums the
//! reports are made of.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;

use crate::OrganisationId;
use crate::structure::{Choice, Sector, choice};
use crate::validation::{self, FieldErrors, Validated};

mod attendance;
pub use attendance::{Attendee, Counts, attendance_report, rate};

/// The most sessions an event may have, and places a session.
pub const MAX_SESSIONS: usize = 100;
pub const MAX_CAPACITY: i64 = 2_000;
/// A confidence rating's scale: 1 (not at all confident) to 5 (very confident).
pub const CONFIDENCE: std::ops::RangeInclusive<i64> = 1..=5;
/// When the impact follow-up is sent, and when it is chased, in days after the session.
pub const FOLLOW_UP_AFTER_DAYS: i64 = 42;
pub const FOLLOW_UP_REMINDER_DAYS: i64 = 56;
/// How long booking data is kept after a session when the business unit has not said, in days.
pub const DEFAULT_RETENTION_DAYS: i64 = 365;
/// The shortest and longest retention the business unit may set.
pub const RETENTION_DAYS: std::ops::RangeInclusive<i64> = 30..=3_650;
/// How long someone offered a freed place has to accept it when the business unit has not said,
/// and the shortest and longest window it may set, in hours (an offer always lapses when the
/// session starts).
pub const DEFAULT_OFFER_HOURS: i64 = 48;
pub const OFFER_HOURS: std::ops::RangeInclusive<i64> = 1..=168;
/// When a manager who has not countersigned a follow-up is chased, in days after it came back.
pub const COUNTERSIGN_REMINDER_DAYS: i64 = 14;
/// The most agencies an event's audience may name.
pub const MAX_AUDIENCE_AGENCIES: usize = 60;

choice!(
    /// What kind of learning an event is.
    EventKind {
        Course => ("course", "Course"),
        Conference => ("conference", "Conference"),
        Workshop => ("workshop", "Workshop"),
        LunchAndLearn => ("lunch_and_learn", "Lunch and learn"),
        Briefing => ("briefing", "Briefing"),
        Champions => ("champions", "Champions' training"),
        RollOut => ("roll_out", "Tool roll-out"),
        ELearning => ("e_learning", "E-learning"),
    }
);

choice!(
    /// Where a booking stands. A freed place is offered to the next on the waiting list, held
    /// for them until they accept it (booked) or the offer lapses (and goes to the next).
    BookingStatus {
        Booked => ("booked", "Booked"),
        Waiting => ("waiting", "On the waiting list"),
        Offered => ("offered", "Place offered"),
        Cancelled => ("cancelled", "Cancelled"),
        Lapsed => ("lapsed", "Offer lapsed"),
    }
);

choice!(
    /// The register on the day.
    Attendance {
        Attended => ("attended", "Attended"),
        LateCancellation => ("late_cancellation", "Late cancellation"),
        NoShow => ("no_show", "Did not attend"),
    }
);

choice!(
    /// For champions' training: whether the champion is new or refreshing.
    ChampionKind {
        New => ("new", "New champion"),
        Refreshed => ("refreshed", "Refreshed"),
    }
);

/// An event as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    /// Sector codes of the target audience (any number; none: everyone).
    #[serde(default)]
    pub sectors: Vec<String>,
    /// The partnership's agencies it is for, by organisation id (none: every agency).
    #[serde(default)]
    pub organisation_ids: Vec<String>,
    /// The levels it is for, as the partnership words them ("Level 3: designated leads").
    #[serde(default)]
    pub levels: String,
    /// The programme a champions' training or roll-out belongs to ("Child exploitation champions").
    #[serde(default)]
    pub programme: String,
    /// The strategy's priorities it serves, by id.
    #[serde(default)]
    pub priority_ids: Vec<String>,
    /// The case reviews whose learning it shares, by id.
    #[serde(default)]
    pub review_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub title: String,
    pub kind: EventKind,
    pub description: Option<String>,
    pub sectors: Vec<Sector>,
    pub organisation_ids: Vec<OrganisationId>,
    pub levels: Option<String>,
    pub programme: Option<String>,
    pub priority_ids: Vec<i64>,
    pub review_ids: Vec<i64>,
}

fn ids(label: &str, raw: &[String]) -> Result<Vec<i64>, String> {
    validation::ids_up_to(label, raw, 20)
}

impl EventInput {
    pub fn validate(&self) -> Validated<NewEvent> {
        let mut e = FieldErrors::new();
        let title = e.check("title", validation::required_text("the event's title", &self.title, 200));
        let kind = e.check(
            "kind",
            EventKind::parse(self.kind.trim()).ok_or_else(|| "Select the kind of event from the list".to_owned()),
        );
        let description = e.check("description", validation::optional_text("the description", &self.description, 4000));
        let mut sectors = Vec::new();
        for s in self.sectors.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            match Sector::parse(s) {
                Some(sector) if !sectors.contains(&sector) => sectors.push(sector),
                Some(_) => {}
                None => e.add("sectors", "Select the sectors from the list"),
            }
        }
        let organisation_ids =
            e.check("organisation_ids", validation::ids_up_to("agency", &self.organisation_ids, MAX_AUDIENCE_AGENCIES));
        let levels = e.check("levels", validation::optional_text("the levels", &self.levels, 200));
        let programme = e.check("programme", validation::optional_text("the programme", &self.programme, 200));
        if kind == Some(EventKind::Champions) && programme.as_ref().is_some_and(Option::is_none) {
            e.add("programme", "Name the champions' programme, like Child exploitation champions");
        }
        let priority_ids = e.check("priority_ids", ids("priority", &self.priority_ids));
        let review_ids = e.check("review_ids", ids("case review", &self.review_ids));
        e.into_result(|| NewEvent {
            title: title.unwrap_or_default(),
            kind: kind.unwrap_or(EventKind::Course),
            description: description.flatten(),
            sectors,
            organisation_ids: organisation_ids.unwrap_or_default().into_iter().map(OrganisationId).collect(),
            levels: levels.flatten(),
            programme: programme.flatten(),
            priority_ids: priority_ids.unwrap_or_default(),
            review_ids: review_ids.unwrap_or_default(),
        })
    }
}

/// A session as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SessionInput {
    /// The day (YYYY-MM-DD).
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    /// Where, or blank when online only.
    #[serde(default)]
    pub place: String,
    /// The online meeting's https link, given to those booked (never on the public page).
    #[serde(default)]
    pub online_link: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub trainer: String,
    /// The most places one organisation may take (blank: no limit).
    #[serde(default)]
    pub per_organisation: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub capacity: i64,
    pub trainer: Option<String>,
    pub per_organisation: Option<i64>,
}

fn whole(label: &str, raw: &str, range: std::ops::RangeInclusive<i64>) -> Result<Option<i64>, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>()
        .ok()
        .filter(|v| range.contains(v))
        .map(Some)
        .ok_or_else(|| format!("Enter {label} as a whole number from {} to {}", range.start(), range.end()))
}

impl SessionInput {
    /// A session on a day not before `today` (an earlier one may be recorded: `past_ok`).
    pub fn validate(&self, today: NaiveDate, past_ok: bool) -> Validated<NewSession> {
        let mut e = FieldErrors::new();
        let on = e.check("on", validation::required_date("the day", &self.on));
        if !past_ok && on.is_some_and(|d| d < today) {
            e.add("on", "The day must be today or later");
        }
        let starts = e.check("starts_at", crate::meetings::optional_time("the start time", &self.starts_at));
        let ends = e.check("ends_at", crate::meetings::optional_time("the end time", &self.ends_at));
        if matches!(starts, Some(None)) {
            e.add("starts_at", "Enter the start time, like 09:30");
        }
        if matches!(ends, Some(None)) {
            e.add("ends_at", "Enter the end time, like 12:30");
        }
        if let (Some(Some(s)), Some(Some(f))) = (starts, ends)
            && f <= s
        {
            e.add("ends_at", "The end time must be after the start time");
        }
        let place = e.check("place", validation::optional_text("the place", &self.place, 300));
        let link = e.check("online_link", online_link(&self.online_link));
        if matches!((&place, &link), (Some(None), Some(None))) {
            e.add("place", "Enter the place, or the online meeting's link");
        }
        let capacity = e.check("capacity", whole("the places", &self.capacity, 1..=MAX_CAPACITY));
        if matches!(capacity, Some(None)) {
            e.add("capacity", "Enter how many places there are");
        }
        let trainer = e.check("trainer", validation::optional_text("the trainer", &self.trainer, 200));
        let per_org = e.check(
            "per_organisation",
            whole("the places one organisation may take", &self.per_organisation, 1..=MAX_CAPACITY),
        );
        e.into_result(|| {
            let day = on.unwrap_or_default();
            let at = |t: Option<Option<NaiveTime>>| day.and_time(t.flatten().unwrap_or_default());
            NewSession {
                starts: at(starts),
                ends: at(ends),
                place: place.flatten(),
                online_link: link.flatten(),
                capacity: capacity.flatten().unwrap_or(1),
                trainer: trainer.flatten(),
                per_organisation: per_org.flatten(),
            }
        })
    }
}

/// An online meeting's link: https, no spaces, at most 500 characters. Blank is none.
pub fn online_link(raw: &str) -> Result<Option<String>, String> {
    validation::https_link(raw, "Enter the online meeting's link, starting https://")
}

/// A booking as the public page sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BookingInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    /// One of the partnership's organisations, by id; or blank with `organisation_name` typed.
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub organisation_name: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub manager_email: String,
    /// For champions' training: "new" or "refreshed".
    #[serde(default)]
    pub champion: String,
    /// Left empty by people; a form filled in by a script fills it (a honeypot).
    #[serde(default)]
    pub website: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    pub name: String,
    pub email: String,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub sector: Sector,
    pub role: Option<String>,
    pub manager_email: Option<String>,
    pub champion: Option<ChampionKind>,
}

impl BookingInput {
    /// Whether the honeypot was filled (a script, not a person).
    pub fn is_robot(&self) -> bool {
        !self.website.trim().is_empty()
    }

    pub fn validate(&self) -> Validated<NewBooking> {
        let mut e = FieldErrors::new();
        let name = e.check("name", validation::required_text("your name", &self.name, 200));
        let email = e.check("email", validation::email(&self.email));
        let org = e.check(
            "organisation_id",
            match self.organisation_id.trim() {
                "" => Ok(None),
                id => id
                    .parse::<i64>()
                    .ok()
                    .filter(|v| *v > 0)
                    .map(|v| Some(OrganisationId(v)))
                    .ok_or_else(|| "Select your organisation from the list".to_owned()),
            },
        );
        let typed =
            e.check("organisation_name", validation::optional_text("your organisation", &self.organisation_name, 200));
        if matches!((&org, &typed), (Some(None), Some(None))) {
            e.add("organisation_id", "Select your organisation, or type its name if it is not listed");
        }
        let sector = e.check(
            "sector",
            Sector::parse(self.sector.trim()).ok_or_else(|| "Select the sector you work in".to_owned()),
        );
        let role = e.check("role", validation::optional_text("your role", &self.role, 200));
        let manager = e.check(
            "manager_email",
            match self.manager_email.trim() {
                "" => Ok(None),
                m => validation::email(m)
                    .map(Some)
                    .map_err(|_| "Enter your manager's email address, like name@example.org".to_owned()),
            },
        );
        let champion = e.check(
            "champion",
            match self.champion.trim() {
                "" => Ok(None),
                c => ChampionKind::parse(c)
                    .map(Some)
                    .ok_or_else(|| "Say whether you are a new champion or refreshing".to_owned()),
            },
        );
        if let (Some(Some(m)), Some(me)) = (&manager, &email)
            && m == me
        {
            e.add("manager_email", "Enter your manager's email address, not your own");
        }
        e.into_result(|| NewBooking {
            name: name.unwrap_or_default(),
            email: email.unwrap_or_default(),
            organisation_id: org.flatten(),
            organisation_name: if org.flatten().is_some() { None } else { typed.flatten() },
            sector: sector.unwrap_or(Sector::Other),
            role: role.flatten(),
            manager_email: manager.flatten(),
            champion: champion.flatten(),
        })
    }
}

/// What a booking gets, given the session's places and who holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    Booked,
    Waiting,
    /// The organisation has all the places it may take.
    OrganisationFull,
}

/// Places a new booking: booked while the session has a place and the organisation is under its
/// limit; on the waiting list when the session is full; refused when the organisation's places
/// are all taken (its own people cancel to free one).
pub fn place(capacity: i64, booked: i64, per_organisation: Option<i64>, booked_by_organisation: i64) -> Placed {
    if per_organisation.is_some_and(|limit| booked_by_organisation >= limit) {
        Placed::OrganisationFull
    } else if booked < capacity {
        Placed::Booked
    } else {
        Placed::Waiting
    }
}

/// One booking as the waiting list sees it: its id, when it joined the list, its organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiter {
    pub id: i64,
    pub position: i64,
    pub organisation_id: Option<OrganisationId>,
}

/// Who is offered freed places, in order: the earliest on the waiting list whose organisation is
/// under its limit, one a place. `booked_by` counts each organisation's places already booked.
pub fn offers(
    free: i64,
    waiting: &[Waiter],
    per_organisation: Option<i64>,
    booked_by: &BTreeMap<Option<OrganisationId>, i64>,
) -> Vec<i64> {
    let mut counts = booked_by.clone();
    let mut sorted: Vec<&Waiter> = waiting.iter().collect();
    sorted.sort_by_key(|w| (w.position, w.id));
    let mut out = Vec::new();
    for w in sorted {
        if out.len() as i64 >= free {
            break;
        }
        let n = counts.entry(w.organisation_id).or_default();
        if w.organisation_id.is_some() && per_organisation.is_some_and(|limit| *n >= limit) {
            continue;
        }
        *n += 1;
        out.push(w.id);
    }
    out
}

/// The evaluation after a session.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EvaluationInput {
    #[serde(default)]
    pub learned: String,
    /// 1 to 5.
    #[serde(default)]
    pub confidence_before: String,
    #[serde(default)]
    pub confidence_after: String,
    #[serde(default)]
    pub will_do: String,
    /// 1 to 5: how useful the session was.
    #[serde(default)]
    pub rating: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvaluation {
    pub learned: String,
    pub confidence_before: i64,
    pub confidence_after: i64,
    pub will_do: String,
    pub rating: i64,
}

fn scale(label: &str, raw: &str) -> Result<i64, String> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|v| CONFIDENCE.contains(v))
        .ok_or_else(|| format!("Choose {label}, from 1 to 5"))
}

impl EvaluationInput {
    pub fn validate(&self) -> Validated<NewEvaluation> {
        let mut e = FieldErrors::new();
        let learned = e.check("learned", validation::required_text("what you learned", &self.learned, 2000));
        let before = e.check("confidence_before", scale("how confident you were before", &self.confidence_before));
        let after = e.check("confidence_after", scale("how confident you are now", &self.confidence_after));
        let will_do =
            e.check("will_do", validation::required_text("what you will do differently", &self.will_do, 2000));
        let rating = e.check("rating", scale("how useful the session was", &self.rating));
        e.into_result(|| NewEvaluation {
            learned: learned.unwrap_or_default(),
            confidence_before: before.unwrap_or(1),
            confidence_after: after.unwrap_or(1),
            will_do: will_do.unwrap_or_default(),
            rating: rating.unwrap_or(1),
        })
    }
}

/// The impact follow-up, by the attendee; then the manager's countersignature.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FollowUpInput {
    /// What changed in their practice.
    #[serde(default)]
    pub practice_change: String,
    /// An example.
    #[serde(default)]
    pub example: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFollowUp {
    pub practice_change: String,
    pub example: String,
}

impl FollowUpInput {
    pub fn validate(&self) -> Validated<NewFollowUp> {
        let mut e = FieldErrors::new();
        let change = e.check(
            "practice_change",
            validation::required_text("what has changed in your practice", &self.practice_change, 2000),
        );
        let example = e.check("example", validation::required_text("an example", &self.example, 2000));
        e.into_result(|| NewFollowUp {
            practice_change: change.unwrap_or_default(),
            example: example.unwrap_or_default(),
        })
    }
}

/// The manager's countersignature: whether they agree, and what they saw.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CountersignInput {
    /// "yes" or "no".
    #[serde(default)]
    pub agrees: String,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCountersign {
    pub agrees: bool,
    pub comment: Option<String>,
}

impl CountersignInput {
    pub fn validate(&self) -> Validated<NewCountersign> {
        let mut e = FieldErrors::new();
        let agrees = e.check(
            "agrees",
            match self.agrees.trim() {
                "yes" => Ok(true),
                "no" => Ok(false),
                _ => Err("Say whether you have seen this change in their practice".to_owned()),
            },
        );
        let comment = e.check("comment", validation::optional_text("your comment", &self.comment, 2000));
        if agrees == Some(false) && matches!(comment, Some(None)) {
            e.add("comment", "Say what you have seen instead");
        }
        e.into_result(|| NewCountersign { agrees: agrees.unwrap_or(false), comment: comment.flatten() })
    }
}

/// The business unit's settings: how long booking data is kept, and the charges for not attending.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsInput {
    /// Days after a session its bookings' personal details are deleted.
    #[serde(default)]
    pub retention_days: String,
    /// Pounds charged to the organisation for a place not used without notice (blank: none).
    #[serde(default)]
    pub no_show_charge: String,
    /// Pounds charged for a cancellation too late to offer the place.
    #[serde(default)]
    pub late_cancellation_charge: String,
    /// How many days before a session a cancellation is late.
    #[serde(default)]
    pub late_within_days: String,
    /// How many hours someone offered a freed place has to accept it.
    #[serde(default)]
    pub offer_hours: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub retention_days: i64,
    pub no_show_charge: Option<i64>,
    pub late_cancellation_charge: Option<i64>,
    pub late_within_days: i64,
    pub offer_hours: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            retention_days: DEFAULT_RETENTION_DAYS,
            no_show_charge: None,
            late_cancellation_charge: None,
            late_within_days: 2,
            offer_hours: DEFAULT_OFFER_HOURS,
        }
    }
}

impl SettingsInput {
    pub fn validate(&self) -> Validated<Settings> {
        let mut e = FieldErrors::new();
        let retention =
            e.check("retention_days", whole("the days booking details are kept", &self.retention_days, RETENTION_DAYS));
        if matches!(retention, Some(None)) {
            e.add("retention_days", "Enter how many days after a session its booking details are kept");
        }
        let no_show = e.check("no_show_charge", validation::money_pence("the charge", &self.no_show_charge, 100_000));
        let late = e.check(
            "late_cancellation_charge",
            validation::money_pence("the charge", &self.late_cancellation_charge, 100_000),
        );
        let within = e.check("late_within_days", whole("the days", &self.late_within_days, 0..=30));
        let offer_hours =
            e.check("offer_hours", whole("the hours to accept an offered place", &self.offer_hours, OFFER_HOURS));
        e.into_result(|| Settings {
            retention_days: retention.flatten().unwrap_or(DEFAULT_RETENTION_DAYS),
            no_show_charge: no_show.flatten(),
            late_cancellation_charge: late.flatten(),
            late_within_days: within.flatten().unwrap_or(2),
            offer_hours: offer_hours.flatten().unwrap_or(DEFAULT_OFFER_HOURS),
        })
    }
}

/// A report's period as the pages, the API and the console send it (`from` and `to` as
/// YYYY-MM-DD, either left blank): by default from the start of this financial year to `today`.
pub fn report_period(from: &str, to: &str, today: NaiveDate) -> Validated<(NaiveDate, NaiveDate)> {
    let mut e = FieldErrors::new();
    let from = e.check("from", validation::optional_date("the start of the period", from));
    let to = e.check("to", validation::optional_date("the end of the period", to));
    if !e.is_empty() {
        return Err(e);
    }
    let year = crate::strategy::Quarter::of(today).year;
    let from = from.flatten().unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 4, 1).unwrap_or(today));
    let to = to.flatten().unwrap_or(today);
    if to < from {
        e.add("to", "The end of the period must be on or after its start");
        return Err(e);
    }
    Ok((from, to))
}

/// Whether a cancellation made at `at` for a session starting at `starts` is late.
pub fn late(at: NaiveDateTime, starts: NaiveDateTime, within_days: i64) -> bool {
    starts - at < chrono::Duration::days(within_days)
}

/// When an offer of a freed place made at `now` lapses: after the partnership's window, or when
/// the session starts if that is sooner; none once the session has started (no place is offered).
pub fn offer_lapses(now: NaiveDateTime, starts: NaiveDateTime, offer_hours: i64) -> Option<NaiveDateTime> {
    (starts > now).then(|| (now + chrono::Duration::hours(offer_hours)).min(starts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_session_needs_its_day_times_place_and_places() {
        let today = day("2026-11-30");
        let bad = SessionInput {
            on: "2026-11-01".into(),
            starts_at: "10:00".into(),
            ends_at: "09:00".into(),
            ..Default::default()
        };
        let e = bad.validate(today, false).unwrap_err();
        assert_eq!(e.get("on"), Some("The day must be today or later"));
        assert_eq!(e.get("ends_at"), Some("The end time must be after the start time"));
        assert_eq!(e.get("place"), Some("Enter the place, or the online meeting's link"));
        assert_eq!(e.get("capacity"), Some("Enter how many places there are"));
        let link = SessionInput { online_link: "http://x.example".into(), ..Default::default() };
        assert!(link.validate(today, false).unwrap_err().get("online_link").is_some());
        let ok = SessionInput {
            on: "2027-03-24".into(),
            starts_at: "09:00".into(),
            ends_at: "16:30".into(),
            place: "Civic Centre".into(),
            capacity: "300".into(),
            ..Default::default()
        };
        let s = ok.validate(today, false).unwrap();
        assert_eq!((s.capacity, s.starts.to_string().as_str()), (300, "2027-03-24 09:00:00"));
    }

    #[test]
    fn a_booking_names_who_where_and_a_manager_not_themselves() {
        let input = BookingInput {
            name: "Ash Patel".into(),
            email: "ash@example.org".into(),
            sector: "health".into(),
            manager_email: "ASH@example.org".into(),
            ..Default::default()
        };
        let e = input.validate().unwrap_err();
        assert_eq!(e.get("organisation_id"), Some("Select your organisation, or type its name if it is not listed"));
        assert_eq!(e.get("manager_email"), Some("Enter your manager's email address, not your own"));
        let typed =
            BookingInput { organisation_name: "Seafront Surgery".into(), manager_email: String::new(), ..input };
        assert_eq!(typed.validate().unwrap().organisation_name.as_deref(), Some("Seafront Surgery"));
        assert!(BookingInput { website: "http://spam".into(), ..Default::default() }.is_robot());
    }

    #[test]
    fn a_reports_period_is_this_financial_year_to_date_unless_given() {
        assert_eq!(report_period("", "", day("2026-11-30")), Ok((day("2026-04-01"), day("2026-11-30"))));
        assert_eq!(report_period("", "", day("2027-02-01")), Ok((day("2026-04-01"), day("2027-02-01"))));
        assert_eq!(
            report_period("2022-04-01", "2023-03-31", day("2026-11-30")),
            Ok((day("2022-04-01"), day("2023-03-31")))
        );
        let bad = report_period("2023-13-01", "", day("2026-11-30")).unwrap_err();
        assert!(bad.get("from").is_some());
        let backwards = report_period("2023-03-31", "2022-04-01", day("2026-11-30")).unwrap_err();
        assert_eq!(backwards.get("to"), Some("The end of the period must be on or after its start"));
    }

    #[test]
    fn an_offer_lapses_after_its_window_or_when_the_session_starts() {
        let at = |d: u32, h: u32| NaiveDate::from_ymd_opt(2027, 3, d).unwrap().and_hms_opt(h, 0, 0).unwrap();
        assert_eq!(offer_lapses(at(1, 9), at(10, 9), 48), Some(at(3, 9)));
        assert_eq!(offer_lapses(at(9, 12), at(10, 9), 48), Some(at(10, 9)));
        assert_eq!(offer_lapses(at(10, 9), at(10, 9), 48), None);
        assert_eq!(offer_lapses(at(10, 10), at(10, 9), 48), None);
    }

    #[test]
    fn places_go_in_order_within_each_organisations_limit() {
        assert_eq!(place(10, 9, None, 0), Placed::Booked);
        assert_eq!(place(10, 10, None, 0), Placed::Waiting);
        assert_eq!(place(10, 2, Some(2), 2), Placed::OrganisationFull);
        let (a, b) = (Some(OrganisationId(1)), Some(OrganisationId(2)));
        let waiting = [
            Waiter { id: 7, position: 3, organisation_id: b },
            Waiter { id: 5, position: 1, organisation_id: a },
            Waiter { id: 6, position: 2, organisation_id: a },
        ];
        let mut booked = BTreeMap::new();
        booked.insert(a, 1);
        // Organisation 1 may take two: the first waiting gets one, the second is passed over.
        assert_eq!(offers(2, &waiting, Some(2), &booked), vec![5, 7]);
        assert_eq!(offers(1, &waiting, None, &booked), vec![5]);
        assert_eq!(offers(0, &waiting, None, &booked), Vec::<i64>::new());
    }

    #[test]
    fn an_evaluation_and_a_countersignature_say_what_changed() {
        let e = EvaluationInput { confidence_before: "0".into(), confidence_after: "6".into(), ..Default::default() }
            .validate()
            .unwrap_err();
        assert_eq!(e.get("confidence_before"), Some("Choose how confident you were before, from 1 to 5"));
        assert!(e.get("learned").is_some() && e.get("will_do").is_some() && e.get("rating").is_some());
        let no = CountersignInput { agrees: "no".into(), comment: String::new() }.validate().unwrap_err();
        assert_eq!(no.get("comment"), Some("Say what you have seen instead"));
        assert!(late(
            day("2026-12-01").and_hms_opt(10, 0, 0).unwrap(),
            day("2026-12-02").and_hms_opt(9, 0, 0).unwrap(),
            2
        ));
    }
}
