//! How a review is conducted: who is appointed to lead or write it (with the agreed cost, which
//! the partnership's finances count as review costs), and the learning events where the
//! practitioners involved are heard.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

choice!(
    /// What someone is appointed to do on a review.
    AppointmentRole {
        IndependentReviewer => ("independent_reviewer", "Independent reviewer"),
        Author => ("author", "Author"),
        LeadReviewer => ("lead_reviewer", "Lead reviewer"),
    }
);

/// The largest agreed cost a review's appointment records: £1,000,000.
pub const MAX_COST_PENCE: i64 = 100_000_000;

/// What a form or API request sends for an appointment, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AppointmentInput {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub appointed_on: String,
    #[serde(default)]
    pub ends_on: String,
    /// In pounds: "4,500", "£4,500.00".
    #[serde(default)]
    pub cost: String,
    #[serde(default)]
    pub note: String,
}

/// A valid appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewAppointment {
    pub role: AppointmentRole,
    pub name: String,
    pub organisation: Option<String>,
    pub appointed_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// The agreed cost in pence, if one was agreed.
    pub cost_pence: Option<i64>,
    pub note: Option<String>,
}

impl AppointmentInput {
    pub fn validate(&self) -> Validated<NewAppointment> {
        let mut e = FieldErrors::new();
        let role = match AppointmentRole::parse(self.role.trim()) {
            Some(r) => Some(r),
            None if self.role.trim().is_empty() => {
                e.add("role", "Select what they are appointed to do");
                None
            }
            None => {
                e.add("role", "Select what they are appointed to do from the list");
                None
            }
        };
        let name = e.check("name", validation::required_text("their name", &self.name, 200));
        let organisation =
            e.check("organisation", validation::optional_text("their organisation", &self.organisation, 200));
        let appointed_on =
            e.check("appointed_on", validation::required_date("the date of appointment", &self.appointed_on));
        let ends_on = e.check("ends_on", validation::optional_date("the date the appointment ends", &self.ends_on));
        if let (Some(from), Some(Some(to))) = (appointed_on, ends_on)
            && to < from
        {
            e.add("ends_on", "The appointment cannot end before it starts");
        }
        let cost = e.check("cost", validation::money_pence("the agreed cost", &self.cost, MAX_COST_PENCE));
        let note = e.check("note", validation::optional_text("the note", &self.note, 2000));
        e.into_result(|| NewAppointment {
            role: role.unwrap_or(AppointmentRole::IndependentReviewer),
            name: name.unwrap_or_default(),
            organisation: organisation.flatten(),
            appointed_on: appointed_on.unwrap_or_default(),
            ends_on: ends_on.flatten(),
            cost_pence: cost.flatten(),
            note: note.flatten(),
        })
    }
}

/// What a form or API request sends for a practitioner learning event, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LearningEventInput {
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub title: String,
    /// The agencies whose practitioners attended, by organisation id.
    #[serde(default)]
    pub organisation_ids: Vec<String>,
    /// How many practitioners attended in all.
    #[serde(default)]
    pub attendees: String,
    /// What was heard: the practitioners' account, in the business unit's words.
    #[serde(default)]
    pub heard: String,
}

/// A valid learning event (its agencies are checked against the partnership by the use-case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewLearningEvent {
    pub held_on: NaiveDate,
    pub title: String,
    pub organisation_ids: Vec<i64>,
    pub attendees: i64,
    pub heard: String,
}

impl LearningEventInput {
    /// `today`: an event is recorded once it has been held.
    pub fn validate(&self, today: NaiveDate) -> Validated<NewLearningEvent> {
        let mut e = FieldErrors::new();
        let held_on = e.check("held_on", validation::required_date("the date it was held", &self.held_on));
        if held_on.is_some_and(|d| d > today) {
            e.add("held_on", "Record the event once it has been held: the date cannot be in the future");
        }
        let title = e.check("title", validation::required_text("what the event was", &self.title, 200));
        let mut organisation_ids = Vec::new();
        for raw in self.organisation_ids.iter().filter(|r| !r.trim().is_empty()) {
            match raw.trim().parse::<i64>() {
                Ok(id) if id > 0 => {
                    if !organisation_ids.contains(&id) {
                        organisation_ids.push(id);
                    }
                }
                _ => {
                    e.add("organisation_ids", "Select the agencies from the list");
                    break;
                }
            }
        }
        if organisation_ids.is_empty() && !e.iter().any(|(f, _)| f == "organisation_ids") {
            e.add("organisation_ids", "Select at least one agency whose practitioners attended");
        }
        let attendees = match self.attendees.trim().replace(',', "").parse::<i64>() {
            Ok(n) if (1..=10_000).contains(&n) => Some(n),
            _ if self.attendees.trim().is_empty() => {
                e.add("attendees", "Enter how many practitioners attended");
                None
            }
            _ => {
                e.add("attendees", "Enter how many practitioners attended as a whole number from 1 to 10,000");
                None
            }
        };
        let heard = e.check("heard", validation::required_text("what was heard", &self.heard, 8000));
        e.into_result(|| NewLearningEvent {
            held_on: held_on.unwrap_or_default(),
            title: title.unwrap_or_default(),
            organisation_ids,
            attendees: attendees.unwrap_or_default(),
            heard: heard.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_appointment_needs_a_role_a_name_and_a_start_and_ends_after_it() {
        let ok = AppointmentInput {
            role: "independent_reviewer".into(),
            name: "Dr Morgan Ashby (fictional)".into(),
            appointed_on: "2025-02-03".into(),
            cost: "£6,000".into(),
            ..Default::default()
        };
        let a = ok.validate().unwrap();
        assert_eq!((a.role, a.cost_pence), (AppointmentRole::IndependentReviewer, Some(600_000)));
        let bad = AppointmentInput { role: "judge".into(), ends_on: "2025-01-01".into(), ..ok };
        let e = bad.validate().unwrap_err();
        assert_eq!(e.get("role"), Some("Select what they are appointed to do from the list"));
        assert_eq!(e.get("ends_on"), Some("The appointment cannot end before it starts"));
    }

    #[test]
    fn a_learning_event_is_recorded_once_held_with_who_attended() {
        let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let ok = LearningEventInput {
            held_on: "2025-05-14".into(),
            title: "Practitioner event".into(),
            organisation_ids: vec!["3".into(), "5".into(), "3".into()],
            attendees: "18".into(),
            heard: "Staff did not know the escalation route.".into(),
        };
        assert_eq!(ok.validate(today).unwrap().organisation_ids, vec![3, 5]);
        let bad = LearningEventInput {
            held_on: "2025-06-02".into(),
            organisation_ids: vec![],
            attendees: "lots".into(),
            ..ok
        };
        let e = bad.validate(today).unwrap_err();
        assert_eq!(e.get("held_on"), Some("Record the event once it has been held: the date cannot be in the future"));
        assert_eq!(e.get("organisation_ids"), Some("Select at least one agency whose practitioners attended"));
        assert_eq!(
            e.get("attendees"),
            Some("Enter how many practitioners attended as a whole number from 1 to 10,000")
        );
    }
}
