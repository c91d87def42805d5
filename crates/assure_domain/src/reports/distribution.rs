//! Sending a published report to those the law names, and recording it. Whom each report is sent
//! to (and when, with the source that says so) is configuration (`config/report_distribution.toml`),
//! read and checked here; each sending is recorded with the recipient, how it went (sent by Assure
//! by e-mail, or recorded as sent otherwise) and the day.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Deserialize;

use super::ReportKind;
use crate::structure::Choice;
use crate::validation::{self, FieldErrors, Validated};

/// The longest recipient's name, in characters.
pub const MAX_RECIPIENT_CHARS: usize = 200;
/// The recipient code of someone the configuration does not name.
pub const OTHER_RECIPIENT: &str = "other";

/// Whom a kind of report is sent to, when, and where the rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    pub kind: ReportKind,
    pub source: String,
    pub when: String,
    #[serde(default, rename = "recipient")]
    pub recipients: Vec<Recipient>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub code: String,
    pub name: String,
}

/// Checks the distribution read from its file: each report kind once, each with its source,
/// recipients' codes unique, short, lower-case and not `other`, and names given.
pub fn check_distribution(all: &[Distribution]) -> Result<(), String> {
    let mut kinds = HashSet::new();
    for d in all {
        let kind = d.kind.code();
        if !kinds.insert(kind) {
            return Err(format!("the {kind} report is described twice"));
        }
        if d.source.trim().is_empty() || d.when.trim().is_empty() {
            return Err(format!("the {kind} report needs its source and when it is sent"));
        }
        let mut codes = HashSet::new();
        for r in &d.recipients {
            let good_code = !r.code.is_empty()
                && r.code.len() <= 40
                && r.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                && r.code != OTHER_RECIPIENT;
            if !good_code || !codes.insert(r.code.as_str()) {
                return Err(format!("the {kind} report's recipient code \"{}\" is not a new lower-case code", r.code));
            }
            if r.name.trim().is_empty() || r.name.chars().count() > MAX_RECIPIENT_CHARS {
                return Err(format!("the {kind} report's recipient \"{}\" needs a name", r.code));
            }
        }
    }
    Ok(())
}

/// A sending as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SendingInput {
    /// A configured recipient's code, or `other`.
    pub recipient: String,
    /// Who it went to, for `other`.
    pub name: String,
    /// An address: Assure sends it now, by e-mail.
    pub email: String,
    /// Without an address: the day it was sent otherwise, `YYYY-MM-DD`.
    pub sent_on: String,
}

/// How a report reached its recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// Assure sends it now to this address.
    Email(String),
    /// It was sent otherwise, on this day.
    Recorded(NaiveDate),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSending {
    /// The configured recipient, or `None` for someone named.
    pub code: Option<String>,
    pub name: String,
    pub how: How,
}

impl SendingInput {
    /// `recipients` are the report's configured ones; `published` is the day it was published,
    /// before which nothing was sent, and nothing is sent after `today`.
    pub fn validate(&self, recipients: &[Recipient], published: NaiveDate, today: NaiveDate) -> Validated<NewSending> {
        let mut e = FieldErrors::new();
        let code = self.recipient.trim();
        let recipient = if code == OTHER_RECIPIENT {
            e.check(
                "name",
                validation::required_text("who it was sent to", &self.name, MAX_RECIPIENT_CHARS)
                    .map(|name| (None, name)),
            )
        } else {
            e.check(
                "recipient",
                recipients
                    .iter()
                    .find(|r| r.code == code)
                    .map(|r| (Some(r.code.clone()), r.name.clone()))
                    .ok_or_else(|| "Select who it is sent to".to_owned()),
            )
        };
        let how = if self.email.trim().is_empty() {
            e.check(
                "sent_on",
                validation::required_date("the day it was sent", &self.sent_on).and_then(|d| {
                    if d > today {
                        Err("The day it was sent must be today or in the past".to_owned())
                    } else if d < published {
                        Err("The day it was sent cannot be before the report was published".to_owned())
                    } else {
                        Ok(How::Recorded(d))
                    }
                }),
            )
        } else {
            let address = e.check("email", validation::email(&self.email));
            if !self.sent_on.trim().is_empty() {
                e.add("sent_on", "Leave the day blank when Assure sends it: it is sent today");
            }
            address.map(How::Email)
        };
        e.into_result(|| {
            let (code, name) = recipient.unwrap_or((None, String::new()));
            NewSending { code, name, how: how.unwrap_or(How::Recorded(today)) }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn adults(recipients: &[(&str, &str)]) -> Distribution {
        Distribution {
            kind: ReportKind::Adults,
            source: "s".into(),
            when: "w".into(),
            recipients: recipients.iter().map(|(c, n)| Recipient { code: (*c).into(), name: (*n).into() }).collect(),
        }
    }

    #[test]
    fn a_distribution_that_is_wrong_says_where() {
        assert_eq!(
            check_distribution(&[adults(&[]), adults(&[])]).unwrap_err(),
            "the adults report is described twice"
        );
        assert!(check_distribution(&[adults(&[("other", "x")])]).unwrap_err().contains("\"other\""));
        assert!(check_distribution(&[adults(&[("a", "x"), ("a", "y")])]).unwrap_err().contains("\"a\""));
        assert!(check_distribution(&[adults(&[("panel", " ")])]).unwrap_err().contains("needs a name"));
        assert_eq!(check_distribution(&[adults(&[("panel", "The panel")])]), Ok(()));
    }

    #[test]
    fn a_sending_is_e_mailed_now_or_recorded_on_a_day_between_publication_and_today() {
        let recipients = [Recipient { code: "healthwatch".into(), name: "Healthwatch".into() }];
        let (published, today) = (day(2023, 9, 1), day(2023, 9, 30));
        let mail =
            SendingInput { recipient: "healthwatch".into(), email: "chair@example.org".into(), ..Default::default() };
        let s = mail.validate(&recipients, published, today).unwrap();
        assert_eq!((s.code.as_deref(), s.how), (Some("healthwatch"), How::Email("chair@example.org".into())));
        let other = SendingInput {
            recipient: "other".into(),
            name: "The Child Safeguarding Practice Review Panel".into(),
            sent_on: "2023-09-05".into(),
            ..Default::default()
        };
        let s = other.validate(&recipients, published, today).unwrap();
        assert_eq!((s.code, s.how), (None, How::Recorded(day(2023, 9, 5))));
        let early =
            SendingInput { recipient: "healthwatch".into(), sent_on: "2023-08-31".into(), ..Default::default() };
        assert_eq!(
            early.validate(&recipients, published, today).unwrap_err().get("sent_on"),
            Some("The day it was sent cannot be before the report was published")
        );
        let bad = SendingInput {
            recipient: "panel".into(),
            email: "not an address".into(),
            sent_on: "2023-09-05".into(),
            ..Default::default()
        };
        let e = bad.validate(&recipients, published, today).unwrap_err();
        assert_eq!(e.get("recipient"), Some("Select who it is sent to"));
        assert!(e.get("email").is_some());
        assert_eq!(e.get("sent_on"), Some("Leave the day blank when Assure sends it: it is sent today"));
        let nobody = SendingInput { recipient: "other".into(), ..Default::default() };
        let e = nobody.validate(&recipients, published, today).unwrap_err();
        assert!(e.get("name").is_some() && e.get("sent_on").is_some());
    }
}
