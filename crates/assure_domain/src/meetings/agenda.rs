//! A meeting's agenda: items in order, each with a title, who presents it, what the meeting is
//! asked to do with it (decide, discuss, note), the minutes it is given, and its papers. An item
//! may be restricted, so that only the body's members and those who see everything read its
//! papers. Papers are due a number of working days before the meeting (the body sets how many);
//! the pack is published to the members when the business unit says so.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::reviews::calendar::WorkingCalendar;
use crate::structure::{Choice, choice, flag};
use crate::validation::{self, FieldErrors, Validated};

choice!(
    /// What the meeting is asked to do with an item.
    Purpose {
        Decision => ("decision", "For decision"),
        Discussion => ("discussion", "For discussion"),
        Information => ("information", "For information"),
    }
);

/// The longest an item's title may be.
pub const MAX_TITLE: usize = 200;
/// The most minutes one item may be given (a whole day).
pub const MAX_MINUTES: u32 = 480;
/// The most items an agenda may have.
pub const MAX_ITEMS: usize = 40;
/// The most working days before a meeting its papers may be due.
pub const MAX_PAPERS_DAYS: u32 = 20;
/// Papers are due this many working days before a meeting unless the body says otherwise.
pub const DEFAULT_PAPERS_DAYS: u32 = 5;

/// What a form or API request sends for an agenda item, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AgendaItemInput {
    #[serde(default)]
    pub title: String,
    /// Who presents it, as the agenda names them ("Director of Children's Services").
    #[serde(default)]
    pub presenter: String,
    #[serde(default)]
    pub purpose: String,
    /// The minutes the item is given; blank when not timed.
    #[serde(default)]
    pub minutes: String,
    /// "true"/"on" when only the body's members and those who see everything read its papers.
    #[serde(default)]
    pub restricted: String,
    /// The e-mail address of the account that provides its papers (reminded as they fall due).
    #[serde(default)]
    pub owner_email: String,
}

/// A valid agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewAgendaItem {
    pub title: String,
    pub presenter: Option<String>,
    pub purpose: Purpose,
    pub minutes: Option<u32>,
    pub restricted: bool,
    pub owner_email: Option<String>,
}

/// Minutes as people type them: a whole number from 1 to [`MAX_MINUTES`], or blank.
pub fn optional_minutes(raw: &str) -> Result<Option<u32>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<u32>() {
        Ok(n) if (1..=MAX_MINUTES).contains(&n) && value.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(n)),
        _ => Err(format!("Enter the minutes as a whole number from 1 to {MAX_MINUTES}, like 15")),
    }
}

impl AgendaItemInput {
    pub fn validate(&self) -> Validated<NewAgendaItem> {
        let mut e = FieldErrors::new();
        let title = e.check("title", validation::required_text("the item's title", &self.title, MAX_TITLE));
        let presenter = e.check("presenter", validation::optional_text("who presents it", &self.presenter, 200));
        let purpose = Purpose::parse(self.purpose.trim());
        if purpose.is_none() {
            e.add("purpose", "Select what the meeting is asked to do with the item");
        }
        let minutes = e.check("minutes", optional_minutes(&self.minutes));
        let restricted = e.check("restricted", flag(&self.restricted));
        let owner_email = if self.owner_email.trim().is_empty() {
            Some(None)
        } else {
            e.check("owner_email", validation::email(&self.owner_email)).map(Some)
        };
        match (title, presenter, purpose, minutes, restricted, owner_email) {
            (Some(title), Some(presenter), Some(purpose), Some(minutes), Some(restricted), Some(owner_email))
                if e.is_empty() =>
            {
                Ok(NewAgendaItem { title, presenter, purpose, minutes, restricted, owner_email })
            }
            _ => Err(e),
        }
    }
}

/// What a form or API request sends for a standing item of a body's annual business cycle: an
/// item that comes to the body's meetings in the months it names (the Section 11 report to the
/// March board), added to each meeting's agenda when the meeting is planned.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StandingItemInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub presenter: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub restricted: String,
    /// Month numbers, 1 to 12.
    #[serde(default)]
    pub months: Vec<String>,
}

/// A valid standing item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewStandingItem {
    pub item: NewAgendaItem,
    /// Month numbers, 1 to 12, in order.
    pub months: Vec<u32>,
}

/// The most standing items a body's business cycle may have.
pub const MAX_STANDING: usize = 60;

impl StandingItemInput {
    pub fn validate(&self) -> Validated<NewStandingItem> {
        let item = AgendaItemInput {
            title: self.title.clone(),
            presenter: self.presenter.clone(),
            purpose: self.purpose.clone(),
            minutes: self.minutes.clone(),
            restricted: self.restricted.clone(),
            owner_email: String::new(),
        }
        .validate();
        let mut e = match &item {
            Ok(_) => FieldErrors::new(),
            Err(e) => e.clone(),
        };
        let months = super::months_chosen(&mut e, &self.months);
        match item {
            Ok(item) if e.is_empty() => Ok(NewStandingItem { item, months }),
            _ => Err(e),
        }
    }
}

/// The months a standing item comes in, as people read them: "March and September".
pub fn months_words(months: &[u32]) -> String {
    let names: Vec<&str> = months.iter().filter_map(|m| super::MONTHS.get(*m as usize - 1).copied()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The working days before a meeting its papers are due, as a form sends it.
pub fn papers_days(raw: &str) -> Result<u32, String> {
    let value = raw.trim();
    match value.parse::<u32>() {
        Ok(n) if n <= MAX_PAPERS_DAYS && value.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(format!("Enter the working days as a whole number from 0 to {MAX_PAPERS_DAYS}, like 5")),
    }
}

/// The day a meeting's papers are due: `days` working days before it (the day itself when 0).
pub fn papers_due(held_on: NaiveDate, days: u32, cal: &WorkingCalendar) -> NaiveDate {
    if days == 0 { held_on } else { cal.sub_working_days(held_on, days) }
}

/// When each item starts, from the meeting's start and the minutes of the items before it: an
/// item after one that is not timed has no start of its own.
pub fn start_times(starts_at: NaiveTime, minutes: &[Option<u32>]) -> Vec<Option<NaiveTime>> {
    let mut at = Some(starts_at);
    minutes
        .iter()
        .map(|m| {
            let this = at;
            at = match (at, m) {
                (Some(t), Some(m)) => Some(t + chrono::Duration::minutes(i64::from(*m))),
                _ => None,
            };
            this
        })
        .collect()
}

/// Where an item moves: up or down the agenda by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

impl Move {
    pub fn parse(raw: &str) -> Option<Move> {
        match raw.trim() {
            "up" => Some(Move::Up),
            "down" => Some(Move::Down),
            _ => None,
        }
    }
}

/// The agenda's order after moving the item `id` one place: `order` is the items' ids in order.
/// `None` when the item is not there or cannot go further.
pub fn moved(order: &[i64], id: i64, to: Move) -> Option<Vec<i64>> {
    let at = order.iter().position(|i| *i == id)?;
    let other = match to {
        Move::Up => at.checked_sub(1)?,
        Move::Down => Some(at + 1).filter(|n| *n < order.len())?,
    };
    let mut out = order.to_vec();
    out.swap(at, other);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_item_names_its_title_purpose_and_optional_time_and_owner() {
        let ok = AgendaItemInput {
            title: " Section 11 audit: the year's findings ".into(),
            presenter: "Business manager".into(),
            purpose: "decision".into(),
            minutes: "20".into(),
            restricted: "on".into(),
            owner_email: " Manager@Example.org ".into(),
        };
        let item = ok.validate().unwrap();
        assert_eq!(item.title, "Section 11 audit: the year's findings");
        assert_eq!((item.purpose, item.minutes, item.restricted), (Purpose::Decision, Some(20), true));
        assert_eq!(item.owner_email.as_deref(), Some("manager@example.org"));
        let e = AgendaItemInput { minutes: "0".into(), owner_email: "not an address".into(), ..Default::default() }
            .validate()
            .unwrap_err();
        assert_eq!(e.iter().map(|(f, _)| f).collect::<Vec<_>>(), ["minutes", "owner_email", "purpose", "title"]);
        for bad in ["-5", "481", "1.5", "ten", "+5"] {
            assert!(optional_minutes(bad).is_err(), "{bad}");
        }
        assert_eq!(optional_minutes(" "), Ok(None));
    }

    #[test]
    fn a_standing_item_comes_in_the_months_it_names() {
        let ok = StandingItemInput {
            title: "Section 11 audit report".into(),
            purpose: "discussion".into(),
            months: vec!["9".into(), "3".into(), "3".into()],
            ..Default::default()
        };
        let s = ok.validate().unwrap();
        assert_eq!((s.item.title.as_str(), s.months.as_slice()), ("Section 11 audit report", [3, 9].as_slice()));
        assert_eq!(months_words(&s.months), "March and September");
        assert_eq!(months_words(&[3, 6, 9, 12]), "March, June, September and December");
        let e = StandingItemInput { months: vec!["13".into()], ..Default::default() }.validate().unwrap_err();
        assert_eq!(e.iter().map(|(f, _)| f).collect::<Vec<_>>(), ["months", "purpose", "title"]);
        let e = StandingItemInput { title: "x".into(), purpose: "decision".into(), ..Default::default() }
            .validate()
            .unwrap_err();
        assert_eq!(e.get("months"), Some("Select at least one month"));
    }

    #[test]
    fn papers_fall_due_in_working_days_before_the_meeting() {
        let cal = WorkingCalendar::default();
        // Tuesday 14 February 2023: five working days before is Tuesday 7 February.
        assert_eq!(papers_due(day(2023, 2, 14), 5, &cal), day(2023, 2, 7));
        // Tuesday 11 April 2023, after Good Friday and Easter Monday: Friday 31 March.
        assert_eq!(papers_due(day(2023, 4, 11), 5, &cal), day(2023, 3, 31));
        assert_eq!(papers_due(day(2023, 2, 14), 0, &cal), day(2023, 2, 14));
        assert_eq!(papers_days(" 7 "), Ok(7));
        for bad in ["", "21", "-1", "five", "2.5"] {
            assert!(papers_days(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn items_start_one_after_another_until_one_is_not_timed() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(
            start_times(t(10, 0), &[Some(10), Some(45), None, Some(5)]),
            [Some(t(10, 0)), Some(t(10, 10)), Some(t(10, 55)), None]
        );
        assert!(start_times(t(10, 0), &[]).is_empty());
    }

    #[test]
    fn an_item_moves_one_place_and_no_further_than_the_ends() {
        assert_eq!(moved(&[1, 2, 3], 2, Move::Up), Some(vec![2, 1, 3]));
        assert_eq!(moved(&[1, 2, 3], 2, Move::Down), Some(vec![1, 3, 2]));
        assert_eq!(moved(&[1, 2, 3], 1, Move::Up), None);
        assert_eq!(moved(&[1, 2, 3], 3, Move::Down), None);
        assert_eq!(moved(&[1, 2, 3], 9, Move::Up), None);
        assert_eq!(Move::parse("sideways"), None);
    }
}
