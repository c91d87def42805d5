//! The challenge and escalation log: the partnership challenging an agency (or another strategic
//! body) and an agency escalating a concern to the partnership. Each entry says who raised what,
//! with whom, when, the action agreed and who is responsible for it; progress is recorded as it
//! comes; it closes with the evidence that it was resolved, or the reason it was closed without
//! being resolved. An open entry older than the partnership's set time is flagged. The rules here
//! are pure: inputs and their checks, and when an entry is flagged.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::OrganisationId;
use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

/// How many days an open entry may stand before it is flagged, when the business unit has not
/// said, and the shortest and longest it may set.
pub const DEFAULT_FLAG_AFTER_DAYS: i64 = 90;
pub const FLAG_AFTER_DAYS: std::ops::RangeInclusive<i64> = 7..=730;

choice!(
    /// Which way a concern goes: the partnership challenging an agency, or an agency escalating
    /// to the partnership.
    Direction {
        Challenge => ("challenge", "Challenge by the partnership"),
        Escalation => ("escalation", "Escalation to the partnership"),
    }
);

choice!(
    /// Where an entry stands.
    Status {
        Open => ("open", "Open"),
        Resolved => ("resolved", "Closed: resolved"),
        Unresolved => ("unresolved", "Closed without being resolved"),
    }
);

/// An entry as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChallengeInput {
    #[serde(default)]
    pub direction: String,
    /// The day it was raised (YYYY-MM-DD).
    #[serde(default)]
    pub raised_on: String,
    /// Who raised it: "The partnership's independent chair", "Essex Police's head of public
    /// protection".
    #[serde(default)]
    pub raised_by: String,
    /// The agency challenged, or the agency escalating: one of the partnership's, by id...
    #[serde(default)]
    pub organisation_id: String,
    /// ...or typed when it is not one of them ("Southend Community Safety Partnership").
    #[serde(default)]
    pub organisation_name: String,
    /// The meeting that raised it, by id (blank: none).
    #[serde(default)]
    pub meeting_id: String,
    #[serde(default)]
    pub details: String,
    /// The action agreed, with any interim arrangements.
    #[serde(default)]
    pub action_agreed: String,
    /// Who is responsible for the action.
    #[serde(default)]
    pub responsible: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChallenge {
    pub direction: Direction,
    pub raised_on: NaiveDate,
    pub raised_by: String,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub meeting_id: Option<i64>,
    pub details: String,
    pub action_agreed: String,
    pub responsible: String,
}

fn id(raw: &str, message: &str) -> Result<Option<i64>, String> {
    match raw.trim() {
        "" => Ok(None),
        t => t.parse::<i64>().ok().filter(|v| *v > 0).map(Some).ok_or_else(|| message.to_owned()),
    }
}

impl ChallengeInput {
    /// Checks every field; `today` bounds the day it was raised (never in the future).
    pub fn validate(&self, today: NaiveDate) -> Validated<NewChallenge> {
        let mut e = FieldErrors::new();
        let direction = e.check(
            "direction",
            Direction::parse(self.direction.trim())
                .ok_or_else(|| "Select whether it is a challenge or an escalation".to_owned()),
        );
        let raised_on = e.check("raised_on", validation::required_date("the day it was raised", &self.raised_on));
        if raised_on.is_some_and(|d| d > today) {
            e.add("raised_on", "The day it was raised must be today or in the past");
        }
        let raised_by = e.check("raised_by", validation::required_text("who raised it", &self.raised_by, 200));
        let org = e.check("organisation_id", id(&self.organisation_id, "Select the agency from the list"));
        let typed =
            e.check("organisation_name", validation::optional_text("the agency's name", &self.organisation_name, 200));
        if matches!((&org, &typed), (Some(None), Some(None))) {
            e.add("organisation_id", "Select the agency, or type its name if it is not listed");
        }
        let meeting = e.check("meeting_id", id(&self.meeting_id, "Select the meeting from the list"));
        let details = e.check("details", validation::required_text("the details of the concern", &self.details, 4000));
        let action =
            e.check("action_agreed", validation::required_text("the action agreed", &self.action_agreed, 4000));
        let responsible = e.check(
            "responsible",
            validation::required_text("who is responsible for the action", &self.responsible, 200),
        );
        e.into_result(|| {
            let organisation_id = org.flatten().map(OrganisationId);
            NewChallenge {
                direction: direction.unwrap_or(Direction::Challenge),
                raised_on: raised_on.unwrap_or(today),
                raised_by: raised_by.unwrap_or_default(),
                organisation_id,
                organisation_name: if organisation_id.is_some() { None } else { typed.flatten() },
                meeting_id: meeting.flatten(),
                details: details.unwrap_or_default(),
                action_agreed: action.unwrap_or_default(),
                responsible: responsible.unwrap_or_default(),
            }
        })
    }
}

/// A progress update as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProgressInput {
    /// The day of the progress (YYYY-MM-DD); today when blank.
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub progress: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgress {
    pub on: NaiveDate,
    pub progress: String,
}

impl ProgressInput {
    pub fn validate(&self, today: NaiveDate) -> Validated<NewProgress> {
        let mut e = FieldErrors::new();
        let on = e.check("on", validation::optional_date("the day of the progress", &self.on));
        if on.flatten().is_some_and(|d| d > today) {
            e.add("on", "The day of the progress must be today or in the past");
        }
        let progress = e.check("progress", validation::required_text("the progress", &self.progress, 4000));
        e.into_result(|| NewProgress { on: on.flatten().unwrap_or(today), progress: progress.unwrap_or_default() })
    }
}

/// Closing an entry as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CloseInput {
    /// "resolved" or "unresolved".
    #[serde(default)]
    pub outcome: String,
    /// The day it was closed (YYYY-MM-DD); today when blank.
    #[serde(default)]
    pub closed_on: String,
    /// The evidence that it was resolved, or the reason it was closed without.
    #[serde(default)]
    pub closure: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClosure {
    pub outcome: Status,
    pub closed_on: NaiveDate,
    pub closure: String,
}

impl CloseInput {
    /// Checks the closing; it may not be dated before the day the entry was raised.
    pub fn validate(&self, raised_on: NaiveDate, today: NaiveDate) -> Validated<NewClosure> {
        let mut e = FieldErrors::new();
        let outcome = e.check(
            "outcome",
            match Status::parse(self.outcome.trim()) {
                Some(s) if s != Status::Open => Ok(s),
                _ => Err("Select whether it was resolved".to_owned()),
            },
        );
        let closed_on = e.check("closed_on", validation::optional_date("the day it was closed", &self.closed_on));
        match closed_on.flatten() {
            Some(d) if d > today => e.add("closed_on", "The day it was closed must be today or in the past"),
            Some(d) if d < raised_on => e.add(
                "closed_on",
                format!(
                    "The day it was closed must be on or after the day it was raised, {}",
                    validation::long_date(raised_on)
                ),
            ),
            _ => {}
        }
        let what = if outcome == Some(Status::Unresolved) {
            "the reason it is closed without being resolved"
        } else {
            "the evidence that it was resolved"
        };
        let closure = e.check("closure", validation::required_text(what, &self.closure, 4000));
        e.into_result(|| NewClosure {
            outcome: outcome.unwrap_or(Status::Resolved),
            closed_on: closed_on.flatten().unwrap_or(today),
            closure: closure.unwrap_or_default(),
        })
    }
}

/// The business unit's setting: how many days an open entry may stand before it is flagged.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SettingsInput {
    #[serde(default)]
    pub flag_after_days: String,
}

impl SettingsInput {
    pub fn validate(&self) -> Validated<i64> {
        let mut e = FieldErrors::new();
        let raw = self.flag_after_days.trim();
        let days = raw.parse::<i64>().ok().filter(|d| FLAG_AFTER_DAYS.contains(d));
        if days.is_none() {
            e.add(
                "flag_after_days",
                format!(
                    "Enter the days an open entry may stand as a whole number from {} to {}",
                    FLAG_AFTER_DAYS.start(),
                    FLAG_AFTER_DAYS.end()
                ),
            );
        }
        e.into_result(|| days.unwrap_or(DEFAULT_FLAG_AFTER_DAYS))
    }
}

/// Whether an entry raised on `raised_on` is flagged on `today`: open, and standing longer than
/// `flag_after_days`.
pub fn flagged(status: Status, raised_on: NaiveDate, today: NaiveDate, flag_after_days: i64) -> bool {
    status == Status::Open && (today - raised_on).num_days() > flag_after_days
}

/// An entry's reference as people quote it: "CH-7".
pub fn reference(number: i64) -> String {
    format!("CH-{number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input() -> ChallengeInput {
        ChallengeInput {
            direction: "challenge".into(),
            raised_on: "2016-02-10".into(),
            raised_by: "The board's independent chair".into(),
            organisation_name: "Southend Community Safety Partnership".into(),
            details: "Delays in the consideration of high risk domestic abuse cases at MARAC".into(),
            action_agreed: "Review the functioning of MARAC".into(),
            responsible: "Southend Community Safety Partnership".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_entry_names_who_raised_what_with_whom_and_who_acts() {
        let today = day("2016-03-01");
        let new = input().validate(today).unwrap();
        assert_eq!(new.organisation_name.as_deref(), Some("Southend Community Safety Partnership"));
        assert_eq!((new.direction, new.meeting_id), (Direction::Challenge, None));
        let picked = ChallengeInput { organisation_id: "12".into(), ..input() }.validate(today).unwrap();
        assert_eq!((picked.organisation_id, picked.organisation_name), (Some(OrganisationId(12)), None));
        let e = ChallengeInput::default().validate(today).unwrap_err();
        for (field, message) in [
            ("direction", "Select whether it is a challenge or an escalation"),
            ("raised_on", "Enter the day it was raised"),
            ("raised_by", "Enter who raised it"),
            ("organisation_id", "Select the agency, or type its name if it is not listed"),
            ("details", "Enter the details of the concern"),
            ("action_agreed", "Enter the action agreed"),
            ("responsible", "Enter who is responsible for the action"),
        ] {
            assert_eq!(e.get(field), Some(message), "{field}");
        }
        let e = ChallengeInput { raised_on: "2016-03-02".into(), meeting_id: "x".into(), ..input() }
            .validate(today)
            .unwrap_err();
        assert_eq!(e.get("raised_on"), Some("The day it was raised must be today or in the past"));
        assert_eq!(e.get("meeting_id"), Some("Select the meeting from the list"));
    }

    #[test]
    fn closing_needs_the_evidence_or_the_reason_and_a_day_after_raising() {
        let (raised, today) = (day("2016-02-10"), day("2016-09-30"));
        let closed = CloseInput { outcome: "resolved".into(), closed_on: "".into(), closure: "No backlog".into() }
            .validate(raised, today)
            .unwrap();
        assert_eq!((closed.outcome, closed.closed_on), (Status::Resolved, today));
        let e = CloseInput { outcome: "unresolved".into(), closed_on: "2016-01-01".into(), closure: " ".into() }
            .validate(raised, today)
            .unwrap_err();
        assert_eq!(e.get("closure"), Some("Enter the reason it is closed without being resolved"));
        assert_eq!(
            e.get("closed_on"),
            Some("The day it was closed must be on or after the day it was raised, 10 February 2016")
        );
        let e = CloseInput { outcome: "open".into(), ..Default::default() }.validate(raised, today).unwrap_err();
        assert_eq!(e.get("outcome"), Some("Select whether it was resolved"));
    }

    #[test]
    fn an_open_entry_is_flagged_once_it_has_stood_longer_than_the_set_time() {
        let raised = day("2026-01-01");
        assert!(!flagged(Status::Open, raised, day("2026-04-01"), 90), "90 days: not yet");
        assert!(flagged(Status::Open, raised, day("2026-04-02"), 90));
        assert!(!flagged(Status::Resolved, raised, day("2027-01-01"), 90), "closed: never");
        assert_eq!(
            SettingsInput { flag_after_days: "3".into() }.validate().unwrap_err().get("flag_after_days"),
            Some("Enter the days an open entry may stand as a whole number from 7 to 730")
        );
        assert_eq!(SettingsInput { flag_after_days: "60".into() }.validate(), Ok(60));
        let p = ProgressInput { on: "".into(), progress: "MARAT live".into() }.validate(day("2016-04-01")).unwrap();
        assert_eq!(p.on, day("2016-04-01"));
        assert_eq!(reference(7), "CH-7");
    }
}
