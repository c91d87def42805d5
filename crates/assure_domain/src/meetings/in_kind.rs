//! In-kind contributions: the time organisations give to the partnership's meetings (chairing,
//! presenting, authoring a paper or review, hosting), in hours, valued at the hourly rate the
//! business unit sets, and totalled per organisation and financial year for the finance pages and
//! the annual report.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::OrganisationId;
use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

choice!(
    /// What the time was given for.
    Given {
        Chairing => ("chairing", "Chairing"),
        Presenting => ("presenting", "Presenting"),
        Authoring => ("authoring", "Authoring a paper or review"),
        Hosting => ("hosting", "Hosting"),
        Other => ("other", "Other"),
    }
);

/// The most hours one entry may record.
pub const MAX_HOURS: i64 = 500;
/// The highest hourly rate: £1,000.
pub const MAX_RATE_PENCE: i64 = 100_000;

/// What a form or API request sends for time given, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InKindInput {
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub given: String,
    /// Hours, to a tenth: "2", "1.5".
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub note: String,
}

/// Valid time given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewInKind {
    pub organisation_id: OrganisationId,
    pub given: Given,
    /// Tenths of an hour.
    pub tenths: i64,
    pub note: Option<String>,
}

/// Hours as people write them, to a tenth of an hour, as tenths.
pub fn tenths(raw: &str) -> Result<i64, String> {
    let text = raw.trim();
    let wrong = || format!("Enter the hours as a number from 0.1 to {MAX_HOURS}, like 2 or 1.5");
    let (whole, tenth) = match text.split_once('.') {
        Some((w, t)) if t.len() == 1 => (w, t),
        Some(_) => return Err(wrong()),
        None => (text, "0"),
    };
    if whole.is_empty() || whole.len() > 4 || !whole.chars().chain(tenth.chars()).all(|c| c.is_ascii_digit()) {
        return Err(wrong());
    }
    let n = whole.parse::<i64>().map_err(|_| wrong())? * 10 + tenth.parse::<i64>().map_err(|_| wrong())?;
    if n == 0 || n > MAX_HOURS * 10 { Err(wrong()) } else { Ok(n) }
}

/// Tenths of an hour as people read hours: "2", "1.5".
pub fn hours(tenths: i64) -> String {
    if tenths % 10 == 0 { (tenths / 10).to_string() } else { format!("{}.{}", tenths / 10, tenths % 10) }
}

/// The value of `tenths` of an hour at `rate` pence an hour, in pence, rounded to the penny.
pub fn value_pence(tenths: i64, rate: i64) -> i64 {
    (tenths * rate + 5) / 10
}

impl InKindInput {
    pub fn validate(&self) -> Validated<NewInKind> {
        let mut e = FieldErrors::new();
        let org = e.check("organisation_id", validation::required_id("the organisation", &self.organisation_id));
        let given = Given::parse(self.given.trim());
        if given.is_none() {
            e.add("given", "Select what the time was given for");
        }
        let tenths = e.check("hours", tenths(&self.hours));
        let note = e.check("note", validation::optional_text("the note", &self.note, 200)).flatten();
        match (org, given, tenths) {
            (Some(org), Some(given), Some(tenths)) if e.is_empty() => {
                Ok(NewInKind { organisation_id: OrganisationId(org), given, tenths, note })
            }
            _ => Err(e),
        }
    }
}

/// What a form or API request sends for time given to a task other than a meeting (authoring a
/// review, a training session run), before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskInKindInput {
    #[serde(default)]
    pub task: String,
    /// The day the time was given (the last day, for work over several).
    #[serde(default)]
    pub given_on: String,
    #[serde(flatten)]
    pub time: InKindInput,
}

/// Valid time given to a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewTaskInKind {
    pub task: String,
    pub given_on: NaiveDate,
    pub time: NewInKind,
}

impl TaskInKindInput {
    /// Valid time given to a task on or before `today`.
    pub fn validate(&self, today: NaiveDate) -> Validated<NewTaskInKind> {
        let time = self.time.validate();
        let mut e = match &time {
            Ok(_) => FieldErrors::new(),
            Err(e) => e.clone(),
        };
        let task = e.check("task", validation::required_text("the task", &self.task, 200));
        let given_on = e.check("given_on", validation::required_date("the day the time was given", &self.given_on));
        if given_on.is_some_and(|d| d > today) {
            e.add("given_on", "The day the time was given must be today or before");
        }
        match (time, task, given_on) {
            (Ok(time), Some(task), Some(given_on)) if e.is_empty() => Ok(NewTaskInKind { task, given_on, time }),
            _ => Err(e),
        }
    }
}

/// The financial year a day falls in, as the finance pages write it: "2022-23".
pub fn financial_year(day: NaiveDate) -> String {
    crate::strategy::financial_year(crate::strategy::Quarter::of(day).year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_read_to_a_tenth_and_valued_at_the_rate() {
        assert_eq!(tenths("2"), Ok(20));
        assert_eq!(tenths(" 1.5 "), Ok(15));
        assert_eq!(tenths("500"), Ok(5000));
        for bad in ["", "0", "0.0", "1.25", "-1", "501", "two", "1.", ".5", "1e3"] {
            assert!(tenths(bad).is_err(), "{bad}");
        }
        assert_eq!(hours(15), "1.5");
        assert_eq!(hours(20), "2");
        // Two and a half hours at £45.50 an hour.
        assert_eq!(value_pence(25, 4550), 11375);
        assert_eq!(value_pence(1, 333), 33);
        assert_eq!(financial_year(NaiveDate::from_ymd_opt(2023, 3, 31).unwrap()), "2022-23");
        assert_eq!(financial_year(NaiveDate::from_ymd_opt(2023, 4, 1).unwrap()), "2023-24");
        assert_eq!(financial_year(NaiveDate::from_ymd_opt(2099, 6, 1).unwrap()), "2099-00");
    }

    #[test]
    fn time_given_to_a_task_names_the_task_and_a_day_past() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let ok = TaskInKindInput {
            task: "Authoring the SAR D overview report".into(),
            given_on: "2026-10-01".into(),
            time: InKindInput {
                organisation_id: "3".into(),
                given: "authoring".into(),
                hours: "12".into(),
                note: String::new(),
            },
        };
        let t = ok.validate(today).unwrap();
        assert_eq!((t.task.as_str(), t.time.tenths), ("Authoring the SAR D overview report", 120));
        let e = TaskInKindInput { given_on: "2026-12-01".into(), ..Default::default() }.validate(today).unwrap_err();
        assert_eq!(
            e.iter().map(|(f, _)| f).collect::<Vec<_>>(),
            ["given", "given_on", "hours", "organisation_id", "task"]
        );
    }

    #[test]
    fn time_given_names_its_organisation_what_for_and_how_long() {
        let ok = InKindInput {
            organisation_id: "3".into(),
            given: "chairing".into(),
            hours: "2".into(),
            note: " Chaired the board ".into(),
        };
        let n = ok.validate().unwrap();
        assert_eq!((n.given, n.tenths, n.note.as_deref()), (Given::Chairing, 20, Some("Chaired the board")));
        let e = InKindInput::default().validate().unwrap_err();
        assert_eq!(e.iter().map(|(f, _)| f).collect::<Vec<_>>(), ["given", "hours", "organisation_id"]);
    }
}
