//! A section of a yearly report asked of its author: the business unit asks someone with a role in
//! the partnership (an agency's lead for their agency's part, a subgroup's chair for its year) to
//! write one section by a day. The author then reads what the section asks and writes its words,
//! whatever their role, until the report's words are locked; they read nothing else of the report.

use chrono::{Days, NaiveDate};
use serde::Deserialize;

use super::ReportKind;
use crate::validation::{self, FieldErrors, Validated};

/// How far ahead a section may be due, in days.
pub const MAX_DUE_DAYS: u64 = 366;

/// Whether a report's sections may be asked of authors: not the scrutineer's own report, which is
/// theirs to write.
pub fn askable(kind: ReportKind) -> bool {
    !kind.by_scrutineer()
}

/// Who is asked to write a section, and by when, as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AuthorInput {
    /// The author's account, by its e-mail address.
    pub email: String,
    /// The day the words are due.
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuthor {
    pub email: String,
    pub due_on: NaiveDate,
}

impl AuthorInput {
    /// Checks the input: an e-mail address, and a due day from today to a year ahead.
    pub fn validate(&self, today: NaiveDate) -> Validated<NewAuthor> {
        let mut e = FieldErrors::new();
        let email = e.check("email", validation::email(&self.email));
        let due_on = e.check("due_on", validation::required_date("the day it is due", &self.due_on));
        let latest = today + Days::new(MAX_DUE_DAYS);
        match due_on {
            Some(d) if d < today => e.add("due_on", "The day it is due must be today or later"),
            Some(d) if d > latest => e.add(
                "due_on",
                format!("The day it is due must be within a year, by {}", validation::long_date(latest)),
            ),
            _ => {}
        }
        e.into_result(|| NewAuthor { email: email.unwrap_or_default(), due_on: due_on.unwrap_or(today) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_author_is_an_address_and_a_day_from_today_to_a_year_ahead() {
        let today = day("2023-05-02");
        let ok = AuthorInput { email: " Lead@Police.example.org ".into(), due_on: "2023-06-01".into() };
        assert_eq!(
            ok.validate(today).unwrap(),
            NewAuthor { email: "lead@police.example.org".into(), due_on: day("2023-06-01") }
        );
        let past = AuthorInput { email: "lead@police.example.org".into(), due_on: "2023-05-01".into() };
        assert_eq!(past.validate(today).unwrap_err().get("due_on"), Some("The day it is due must be today or later"));
        let far = AuthorInput { email: "lead@police.example.org".into(), due_on: "2024-05-03".into() };
        assert_eq!(
            far.validate(today).unwrap_err().get("due_on"),
            Some("The day it is due must be within a year, by 2 May 2024")
        );
        let blank = AuthorInput::default().validate(today).unwrap_err();
        assert_eq!(blank.get("email"), Some("Enter an email address"));
        assert!(blank.get("due_on").is_some());
    }

    #[test]
    fn only_the_scrutineers_own_report_is_not_asked_of_authors() {
        assert!(askable(ReportKind::Children) && askable(ReportKind::Adults) && askable(ReportKind::EasyRead));
        assert!(!askable(ReportKind::Scrutiny));
    }
}
