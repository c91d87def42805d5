//! The voice of practitioners and the public: feedback given on the partnership's public page
//! without an account, the business unit's triage of it (acknowledged, routed to a subgroup or an
//! agency, responded to, closed), and "You said, we did": what was heard and what was done about
//! it, which the partnership may publish. The rules here are pure: the inputs and their checks,
//! and where a piece of feedback may go next.

pub mod survey;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

/// The longest feedback the public page takes, in characters.
pub const MAX_FEEDBACK_CHARS: usize = 3000;

choice!(
    /// Who is giving feedback.
    Giver {
        Practitioner => ("practitioner", "A practitioner"),
        ParentCarer => ("parent_carer", "A parent or carer"),
        YoungPerson => ("young_person", "A young person"),
        Other => ("other", "Someone else"),
    }
);

choice!(
    /// What the feedback is about.
    Topic {
        ReviewLearning => ("review_learning", "What we learned from a review"),
        Briefing => ("briefing", "A briefing or bulletin"),
        Training => ("training", "Training"),
        Website => ("website", "This website"),
        Other => ("other", "Something else"),
    }
);

choice!(
    /// Where a piece of feedback stands in the business unit's triage.
    Status {
        Received => ("received", "Received"),
        Acknowledged => ("acknowledged", "Acknowledged"),
        Routed => ("routed", "Passed on"),
        Responded => ("responded", "Responded to"),
        Closed => ("closed", "Closed"),
    }
);

choice!(
    /// What the business unit does with a piece of feedback.
    Step {
        Acknowledge => ("acknowledge", "Acknowledge it"),
        Route => ("route", "Pass it on to a subgroup or an agency"),
        Respond => ("respond", "Record the response"),
        Close => ("close", "Close it"),
        Reopen => ("reopen", "Reopen it"),
    }
);

impl Step {
    /// Where a piece of feedback at `from` goes on this step, or why it may not.
    pub fn from(self, from: Status) -> Result<Status, String> {
        use Status::*;
        match (self, from) {
            (Step::Reopen, Closed) => Ok(Acknowledged),
            (Step::Reopen, _) => Err("Only closed feedback is reopened".into()),
            (_, Closed) => Err("This feedback is closed: reopen it first".into()),
            (Step::Acknowledge, Received) => Ok(Acknowledged),
            (Step::Acknowledge, _) => Err("This feedback has already been acknowledged".into()),
            (Step::Route, _) => Ok(Routed),
            (Step::Respond, _) => Ok(Responded),
            (Step::Close, _) => Ok(Closed),
        }
    }
}

/// Feedback as the public page sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FeedbackInput {
    pub giver: String,
    pub topic: String,
    pub feedback: String,
    /// How to reply, if the person wants a reply: an e-mail address or a telephone number.
    pub reply_to: String,
    /// Left empty by people; a form filled in by a script fills it (a honeypot).
    pub website: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    pub giver: Giver,
    pub topic: Topic,
    pub feedback: String,
    pub reply_to: Option<String>,
}

impl FeedbackInput {
    /// Whether a script filled the form in: the field people do not see has a value.
    pub fn is_robot(&self) -> bool {
        !self.website.trim().is_empty()
    }

    pub fn validate(&self) -> Validated<NewFeedback> {
        let mut e = FieldErrors::new();
        let giver = e.check("giver", Giver::parse(self.giver.trim()).ok_or_else(|| "Select who you are".to_owned()));
        let topic = e.check(
            "topic",
            Topic::parse(self.topic.trim()).ok_or_else(|| "Select what your feedback is about".to_owned()),
        );
        let feedback =
            e.check("feedback", validation::required_text("your feedback", &self.feedback, MAX_FEEDBACK_CHARS));
        let reply_to = e.check("reply_to", reply_to(&self.reply_to));
        e.into_result(|| NewFeedback {
            giver: giver.unwrap_or(Giver::Other),
            topic: topic.unwrap_or(Topic::Other),
            feedback: feedback.unwrap_or_default(),
            reply_to: reply_to.flatten(),
        })
    }
}

/// How to reply: blank for no reply, an e-mail address, or a UK telephone number (digits, spaces
/// and a leading +, 10 to 13 digits).
pub fn reply_to(raw: &str) -> Result<Option<String>, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.contains('@') {
        return validation::email(t).map(Some);
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let shaped = t.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || c == ' ' || (c == '+' && i == 0));
    if shaped && (10..=13).contains(&digits) {
        Ok(Some(t.to_owned()))
    } else {
        Err("Enter an email address like name@example.org or a telephone number like 01702 215000, or leave it blank"
            .into())
    }
}

/// A triage step as the business unit's form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TriageInput {
    pub step: String,
    /// For a step passing it on: the subgroup (a body of the partnership, by id)...
    pub body_id: String,
    /// ...or the agency (an organisation of the partnership, by id).
    pub organisation_id: String,
    /// What was done or said: required to respond and to close.
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStep {
    pub step: Step,
    pub body_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub note: Option<String>,
}

impl TriageInput {
    pub fn validate(&self) -> Validated<NewStep> {
        let mut e = FieldErrors::new();
        let step = e.check("step", Step::parse(self.step.trim()).ok_or_else(|| "Select what to do with it".to_owned()));
        let body = e.check("body_id", validation::optional_id("the subgroup", &self.body_id));
        let org = e.check("organisation_id", validation::optional_id("the agency", &self.organisation_id));
        let note = e.check("note", validation::optional_text("the note", &self.note, 4000));
        match step {
            Some(Step::Route) if matches!((&body, &org), (Some(None), Some(None))) => {
                e.add("body_id", "Select the subgroup or the agency it goes to")
            }
            Some(Step::Route) if matches!((&body, &org), (Some(Some(_)), Some(Some(_)))) => {
                e.add("body_id", "Pass it on to a subgroup or to an agency, not both")
            }
            Some(Step::Respond) if note.as_ref().is_some_and(Option::is_none) => e.add("note", "Enter the response"),
            Some(Step::Close) if note.as_ref().is_some_and(Option::is_none) => {
                e.add("note", "Enter what was done, or why it closes without more")
            }
            _ => {}
        }
        e.into_result(|| {
            let step = step.unwrap_or(Step::Acknowledge);
            let routing = step == Step::Route;
            NewStep {
                step,
                body_id: body.flatten().filter(|_| routing),
                organisation_id: org.flatten().filter(|_| routing),
                note: note.flatten(),
            }
        })
    }
}

/// A "You said, we did" entry as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SaidDidInput {
    /// "You told us that the festive season can be really challenging for care leavers".
    pub you_said: String,
    /// "So we ensure every care leaver gets a care leavers pack in December".
    pub we_did: String,
    /// The day it was done (YYYY-MM-DD).
    pub done_on: String,
    /// "yes": shown on the partnership's public page.
    pub published: String,
    /// The feedback it answers, by id (blank: none, or heard another way).
    pub feedback_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSaidDid {
    pub you_said: String,
    pub we_did: String,
    pub done_on: NaiveDate,
    pub published: bool,
    pub feedback_id: Option<i64>,
}

impl SaidDidInput {
    pub fn validate(&self, today: NaiveDate) -> Validated<NewSaidDid> {
        let mut e = FieldErrors::new();
        let said = e.check("you_said", validation::required_text("what you heard", &self.you_said, 1000));
        let did = e.check("we_did", validation::required_text("what was done", &self.we_did, 1000));
        let on = e.check("done_on", validation::required_date("the day it was done", &self.done_on));
        if on.is_some_and(|d| d > today) {
            e.add("done_on", "The day it was done must be today or in the past");
        }
        let published = match self.published.trim() {
            "" | "no" => false,
            "yes" | "on" | "true" => true,
            _ => {
                e.add("published", "Say whether to publish it: yes or no");
                false
            }
        };
        let feedback = e.check("feedback_id", validation::optional_id("the feedback", &self.feedback_id));
        e.into_result(|| NewSaidDid {
            you_said: said.unwrap_or_default(),
            we_did: did.unwrap_or_default(),
            done_on: on.unwrap_or(today),
            published,
            feedback_id: feedback.flatten(),
        })
    }
}

/// Feedback's reference as people quote it: "FB-12".
pub fn reference(number: i64) -> String {
    format!("FB-{number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_names_what_is_missing_and_takes_a_reply_address_or_number() {
        let e = FeedbackInput::default().validate().unwrap_err();
        assert_eq!(e.get("giver"), Some("Select who you are"));
        assert_eq!(e.get("topic"), Some("Select what your feedback is about"));
        assert_eq!(e.get("feedback"), Some("Enter your feedback"));
        let long = "a".repeat(MAX_FEEDBACK_CHARS + 1);
        let e =
            FeedbackInput { feedback: long, reply_to: "call me".into(), ..Default::default() }.validate().unwrap_err();
        assert_eq!(e.get("feedback"), Some("Your feedback must be 3000 characters or fewer"));
        assert!(e.get("reply_to").unwrap().starts_with("Enter an email address"));
        let ok = FeedbackInput {
            giver: "parent_carer".into(),
            topic: "website".into(),
            feedback: "The page on early help was hard to find".into(),
            reply_to: "+44 1702 215000".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(
            (ok.giver, ok.topic, ok.reply_to.as_deref()),
            (Giver::ParentCarer, Topic::Website, Some("+44 1702 215000"))
        );
        assert_eq!(reply_to("name@example.org"), Ok(Some("name@example.org".into())));
        assert_eq!(reply_to(""), Ok(None));
        assert!(FeedbackInput { website: "http://spam".into(), ..Default::default() }.is_robot());
    }

    #[test]
    fn triage_moves_feedback_on_and_closing_needs_its_words() {
        assert_eq!(Step::Acknowledge.from(Status::Received), Ok(Status::Acknowledged));
        assert_eq!(Step::Acknowledge.from(Status::Routed), Err("This feedback has already been acknowledged".into()));
        assert_eq!(Step::Route.from(Status::Received), Ok(Status::Routed));
        assert_eq!(Step::Respond.from(Status::Closed), Err("This feedback is closed: reopen it first".into()));
        assert_eq!(Step::Reopen.from(Status::Closed), Ok(Status::Acknowledged));
        assert_eq!(Step::Reopen.from(Status::Routed), Err("Only closed feedback is reopened".into()));
        let e = TriageInput { step: "route".into(), ..Default::default() }.validate().unwrap_err();
        assert_eq!(e.get("body_id"), Some("Select the subgroup or the agency it goes to"));
        let e = TriageInput {
            step: "route".into(),
            body_id: "1".into(),
            organisation_id: "2".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.get("body_id"), Some("Pass it on to a subgroup or to an agency, not both"));
        let e = TriageInput { step: "close".into(), ..Default::default() }.validate().unwrap_err();
        assert_eq!(e.get("note"), Some("Enter what was done, or why it closes without more"));
        let s =
            TriageInput { step: "acknowledge".into(), body_id: "4".into(), ..Default::default() }.validate().unwrap();
        assert_eq!((s.step, s.body_id), (Step::Acknowledge, None), "only passing it on names where");
    }

    #[test]
    fn you_said_we_did_needs_both_halves_and_a_day_done() {
        let today: NaiveDate = "2026-11-30".parse().unwrap();
        let e = SaidDidInput { done_on: "2026-12-01".into(), published: "maybe".into(), ..Default::default() }
            .validate(today)
            .unwrap_err();
        assert_eq!(e.get("you_said"), Some("Enter what you heard"));
        assert_eq!(e.get("we_did"), Some("Enter what was done"));
        assert_eq!(e.get("done_on"), Some("The day it was done must be today or in the past"));
        assert_eq!(e.get("published"), Some("Say whether to publish it: yes or no"));
        let ok = SaidDidInput {
            you_said: "The festive season is hard for care leavers".into(),
            we_did: "Every care leaver gets a pack in December".into(),
            done_on: "2022-12-01".into(),
            published: "yes".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap();
        assert!(ok.published);
        assert_eq!(reference(12), "FB-12");
    }
}
