//! The record of a meeting once held: interests declared per item, what was said (minutes per
//! item), decisions (numbered per body, in the order made), and actions (an owner, a due date,
//! open or done). The minutes are drafted, then approved as a correct record at the body's next
//! meeting held, and read-only from then on.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

choice!(
    /// Where a meeting's action stands.
    ActionState {
        Open => ("open", "Open"),
        Done => ("done", "Done"),
    }
);

/// The longest one item's minutes may be.
pub const MAX_MINUTES_TEXT: usize = 20_000;
/// The longest a decision or an action may be.
pub const MAX_RECORD_TEXT: usize = 2_000;
/// The most declarations, decisions or actions one meeting may record, each.
pub const MAX_RECORDS: usize = 200;

/// What a form or API request sends for an interest declared, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DeclarationInput {
    /// The agenda item it is declared on.
    #[serde(default)]
    pub item_id: String,
    /// Who declared it, as the minutes name them.
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub interest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewDeclaration {
    pub item_id: i64,
    pub person: String,
    pub interest: String,
}

impl DeclarationInput {
    pub fn validate(&self) -> Validated<NewDeclaration> {
        let mut e = FieldErrors::new();
        let item_id = e.check("item_id", validation::required_id("the item it is declared on", &self.item_id));
        let person = e.check("person", validation::required_text("who declared it", &self.person, 200));
        let interest = e.check("interest", validation::required_text("the interest", &self.interest, 1_000));
        match (item_id, person, interest) {
            (Some(item_id), Some(person), Some(interest)) if e.is_empty() => {
                Ok(NewDeclaration { item_id, person, interest })
            }
            _ => Err(e),
        }
    }
}

/// What a form or API request sends for a decision, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionInput {
    /// The agenda item it was made on, if any.
    #[serde(default)]
    pub item_id: String,
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewDecision {
    pub item_id: Option<i64>,
    pub text: String,
}

impl DecisionInput {
    pub fn validate(&self) -> Validated<NewDecision> {
        let mut e = FieldErrors::new();
        let item_id = e.check("item_id", validation::optional_id("the item", &self.item_id));
        let text = e.check("text", validation::required_text("the decision", &self.text, MAX_RECORD_TEXT));
        match (item_id, text) {
            (Some(item_id), Some(text)) if e.is_empty() => Ok(NewDecision { item_id, text }),
            _ => Err(e),
        }
    }
}

/// What a form or API request sends for a meeting's action, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MeetingActionInput {
    /// The agenda item it arose from, if any.
    #[serde(default)]
    pub item_id: String,
    #[serde(default)]
    pub text: String,
    /// The e-mail address of the account that owns it.
    #[serde(default)]
    pub owner_email: String,
    #[serde(default)]
    pub due_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewMeetingAction {
    pub item_id: Option<i64>,
    pub text: String,
    pub owner_email: String,
    pub due_on: NaiveDate,
}

impl MeetingActionInput {
    pub fn validate(&self) -> Validated<NewMeetingAction> {
        let mut e = FieldErrors::new();
        let item_id = e.check("item_id", validation::optional_id("the item", &self.item_id));
        let text = e.check("text", validation::required_text("the action", &self.text, MAX_RECORD_TEXT));
        let owner_email = if self.owner_email.trim().is_empty() {
            e.add("owner_email", "Enter the email address of the action's owner");
            None
        } else {
            e.check("owner_email", validation::email(&self.owner_email))
        };
        let due_on = e.check("due_on", validation::required_date("the date it is due", &self.due_on));
        match (item_id, text, owner_email, due_on) {
            (Some(item_id), Some(text), Some(owner_email), Some(due_on)) if e.is_empty() => {
                Ok(NewMeetingAction { item_id, text, owner_email, due_on })
            }
            _ => Err(e),
        }
    }
}

/// One item's minutes as typed: trimmed, at most [`MAX_MINUTES_TEXT`] characters.
pub fn minutes_text(raw: &str) -> Result<Option<String>, String> {
    validation::optional_text("the minutes", raw, MAX_MINUTES_TEXT)
}

/// The meeting at which a meeting's minutes are approved: the body's first meeting held after it
/// (not cancelled, on or before today). `held` is the body's meetings held, as (id, day), in date
/// order.
pub fn approving_meeting(held: &[(i64, NaiveDate)], minutes_of: i64) -> Option<(i64, NaiveDate)> {
    let at = held.iter().position(|(id, _)| *id == minutes_of)?;
    held.get(at + 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn minutes_are_approved_at_the_next_meeting_held() {
        let held = [(1, day(2022, 6, 14)), (2, day(2022, 9, 13)), (4, day(2022, 12, 13))];
        assert_eq!(approving_meeting(&held, 1), Some((2, day(2022, 9, 13))));
        assert_eq!(approving_meeting(&held, 2), Some((4, day(2022, 12, 13))));
        assert_eq!(approving_meeting(&held, 4), None, "the last meeting's wait for the next");
        assert_eq!(approving_meeting(&held, 3), None, "a meeting not held has none");
    }

    #[test]
    fn records_name_what_is_missing() {
        let e = MeetingActionInput { due_on: "31/02/2027".into(), ..Default::default() }.validate().unwrap_err();
        assert_eq!(e.iter().map(|(f, _)| f).collect::<Vec<_>>(), ["due_on", "owner_email", "text"]);
        let a = MeetingActionInput {
            item_id: "".into(),
            text: " Circulate the dashboard ".into(),
            owner_email: "Lead@Example.org".into(),
            due_on: "2027-03-01".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(
            (a.item_id, a.text.as_str(), a.owner_email.as_str()),
            (None, "Circulate the dashboard", "lead@example.org")
        );
        let e = DeclarationInput::default().validate().unwrap_err();
        assert_eq!(e.iter().map(|(f, _)| f).collect::<Vec<_>>(), ["interest", "item_id", "person"]);
        assert!(DecisionInput { item_id: "x".into(), text: "Agreed".into() }.validate().is_err());
        assert_eq!(minutes_text("  "), Ok(None));
        assert!(minutes_text(&"a".repeat(MAX_MINUTES_TEXT + 1)).is_err());
    }
}
