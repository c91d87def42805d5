//! One recipient's assessment in an audit campaign: its lifecycle, the campaign's lock, and
//! answers carried forward from the last cycle.
//!
//! draft → submitted → (changes requested → resubmitted →)* closed. The respondent edits and
//! submits; the assessor (the business unit or the moderating subgroup) requests changes or
//! closes. After the campaign's closing date the respondent can no longer submit unless the
//! business unit has lifted the lock for that one recipient.

use chrono::NaiveDate;
use serde::Serialize;

use crate::audits::framework::{AnswerType, Framework, NodeKind, Scored};
use crate::structure::{Choice, choice};
use crate::validation::{FieldErrors, optional_text};

choice!(
    AssessmentState {
        Draft => ("draft", "Not yet submitted"),
        Submitted => ("submitted", "Submitted"),
        ChangesRequested => ("changes_requested", "Changes requested"),
        Resubmitted => ("resubmitted", "Resubmitted"),
        Closed => ("closed", "Closed"),
    }
);

choice!(
    /// What someone does to an assessment.
    Step {
        Submit => ("submit", "Submit"),
        RequestChanges => ("request_changes", "Request changes"),
        Close => ("close", "Close"),
        Reopen => ("reopen", "Reopen"),
    }
);

choice!(
    /// Who is acting on the assessment: the organisation answering (an agency lead, or a school
    /// through its link), or the assessor (the business unit or the moderating subgroup).
    Party {
        Respondent => ("respondent", "Organisation"),
        Assessor => ("assessor", "Assessor"),
    }
);

/// Why a step is refused, in words for the person trying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// The campaign's dates and this recipient's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// The business unit lifted the lock for this recipient after the closing date.
    pub unlocked: bool,
}

impl Window {
    /// Whether the respondent may still change and submit answers on `today`.
    pub fn open_for_respondent(&self, today: NaiveDate) -> bool {
        today >= self.opens_on && (today <= self.closes_on || self.unlocked)
    }
}

/// The state a step leads to, or why it may not be taken.
pub fn next(
    state: AssessmentState,
    step: Step,
    party: Party,
    window: Window,
    today: NaiveDate,
    reason: Option<&str>,
) -> Result<AssessmentState, Refused> {
    use AssessmentState::*;
    let refuse = |m: &str| Err(Refused(m.to_owned()));
    match (party, step) {
        (Party::Respondent, Step::Submit) => {
            if today < window.opens_on {
                return refuse("The audit has not opened yet");
            }
            if !window.open_for_respondent(today) {
                return refuse("The audit closed: ask the business unit to lift the lock if you still need to submit");
            }
            match state {
                Draft => Ok(Submitted),
                ChangesRequested => Ok(Resubmitted),
                Submitted | Resubmitted => refuse("It has already been submitted"),
                Closed => refuse("It is closed"),
            }
        }
        (Party::Assessor, Step::RequestChanges) => {
            if reason.is_none_or(|r| r.trim().is_empty()) {
                return refuse("Say what needs to change");
            }
            match state {
                Submitted | Resubmitted => Ok(ChangesRequested),
                _ => refuse("Changes can be requested only of a submitted return"),
            }
        }
        (Party::Assessor, Step::Close) => match state {
            Submitted | Resubmitted => Ok(Closed),
            _ => refuse("Only a submitted return can be closed"),
        },
        (Party::Assessor, Step::Reopen) => {
            if reason.is_none_or(|r| r.trim().is_empty()) {
                return refuse("Say why it is reopened");
            }
            match state {
                Closed => Ok(ChangesRequested),
                _ => refuse("Only a closed return can be reopened"),
            }
        }
        (Party::Respondent, _) => refuse("Only the assessor can do that"),
        (Party::Assessor, Step::Submit) => refuse("Only the organisation answering can submit"),
    }
}

/// Whether the respondent may change answers in this state and window.
pub fn editable(state: AssessmentState, window: Window, today: NaiveDate) -> bool {
    matches!(state, AssessmentState::Draft | AssessmentState::ChangesRequested) && window.open_for_respondent(today)
}

/// One question's answer as the respondent sends it, each part as typed ("" when not given).
/// `Core::save_answers` checks it against the framework; its errors name each part as
/// `score:Q`, `na:Q`, `value:Q` or `evidence:Q`, Q being the question's id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerInput {
    pub question: String,
    /// A score on the framework's scheme (scored questions).
    pub score: String,
    /// Why the question does not apply, where the framework allows it.
    pub not_applicable: String,
    /// The answer to any other question: yes/no/partly, a choice, text, a number or a date.
    pub value: String,
    pub evidence: String,
}

/// An assessor's moderated score for one question, as typed: "" goes back to the self score.
/// Errors name it `moderated:Q`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModerationInput {
    pub question: String,
    pub score: String,
}

/// An answer as kept: its value, and whether this cycle's respondent confirmed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub question: String,
    /// The score, for scored questions.
    pub score: Option<i64>,
    /// "Not applicable", with the reason.
    pub not_applicable: Option<String>,
    /// Text, number, date, choice or yes/no/partly, as written.
    pub value: Option<String>,
    pub evidence: Option<String>,
    /// False for an answer carried from the last cycle until the respondent confirms or changes it.
    pub confirmed: bool,
}

impl Answer {
    pub fn scored(&self) -> Option<Scored> {
        match (&self.not_applicable, self.score) {
            (Some(reason), _) => Some(Scored::NotApplicable(reason.clone())),
            (None, Some(s)) => Some(Scored::Score(s)),
            _ => None,
        }
    }
}

/// The answers sent, checked against the framework: those to keep, and the questions to clear
/// (left out or sent blank). Every part is checked, so the errors name them all at once.
pub fn check_answers(framework: &Framework, sent: &[AnswerInput]) -> Result<(Vec<Answer>, Vec<String>), FieldErrors> {
    let mut errors = FieldErrors::new();
    for a in sent {
        if framework.node(a.question.trim()).is_none_or(|n| n.kind != NodeKind::Question) {
            errors.add("answers", format!("{} is not a question of this framework", a.question.trim()));
        }
    }
    let blank = AnswerInput::default();
    let mut answers: Vec<Answer> = Vec::new();
    let mut cleared: Vec<String> = Vec::new();
    for q in framework.nodes.iter().filter(|n| n.kind == NodeKind::Question) {
        let Some(kind) = q.answer else { continue };
        let given = sent.iter().find(|a| a.question.trim() == q.id).unwrap_or(&blank);
        let (score_raw, na, value_raw, evidence) = (
            given.score.trim().to_owned(),
            given.not_applicable.trim().to_owned(),
            given.value.trim().to_owned(),
            given.evidence.trim().to_owned(),
        );
        let name = |prefix: &str| format!("{prefix}:{}", q.id);
        let named = q.named();
        let mut answer = Answer {
            question: q.id.clone(),
            score: None,
            not_applicable: None,
            value: None,
            evidence: errors
                .check(&name("evidence"), of_question(&named, optional_text("the evidence", &evidence, 4000)))
                .flatten(),
            confirmed: true,
        };
        if !na.is_empty() {
            if framework.scheme.allow_not_applicable {
                answer.not_applicable = errors
                    .check(&name("na"), of_question(&named, optional_text("the reason it does not apply", &na, 2000)))
                    .flatten();
            } else {
                errors.add(&name("na"), format!("{named}: this framework does not allow 'not applicable'"));
            }
        } else if kind == AnswerType::Score {
            if !score_raw.is_empty() {
                match score_raw.parse::<i64>() {
                    Ok(s) if framework.scheme.allows(s) => answer.score = Some(s),
                    _ => errors.add(&name("score"), format!("{named}: choose a score on the scheme")),
                }
            }
        } else if !value_raw.is_empty() {
            let ok = match kind {
                AnswerType::YesNoPartly => ["yes", "no", "partly"].contains(&value_raw.as_str()),
                AnswerType::Number => value_raw.parse::<f64>().is_ok_and(f64::is_finite),
                AnswerType::Percent => {
                    value_raw.trim_end_matches('%').trim().parse::<f64>().is_ok_and(|v| (0.0..=100.0).contains(&v))
                }
                AnswerType::Date => crate::validation::optional_date("the date", &value_raw).is_ok(),
                AnswerType::Choice => q.choices.contains(&value_raw),
                _ => value_raw.chars().count() <= 4000,
            };
            if ok {
                answer.value = Some(if kind == AnswerType::Percent {
                    value_raw.trim_end_matches('%').trim().to_owned()
                } else {
                    value_raw.clone()
                });
            } else {
                errors.add(
                    &name("value"),
                    match kind {
                        AnswerType::Number => format!("{named}: enter a number"),
                        AnswerType::Percent => format!("{named}: enter a percentage from 0 to 100, not '{value_raw}'"),
                        AnswerType::Date => format!("{named}: enter a real date"),
                        AnswerType::YesNoPartly | AnswerType::Choice => format!("{named}: choose from the list"),
                        _ => format!("{named}: the answer must be 4,000 characters or fewer"),
                    },
                );
            }
        }
        if answer.score.is_none() && answer.not_applicable.is_none() && answer.value.is_none() {
            if answer.evidence.is_some() {
                errors.add(&name("evidence"), format!("{named}: answer the question as well as giving evidence"));
            }
            cleared.push(q.id.clone());
        } else {
            answers.push(answer);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((answers, cleared))
}

/// A message about one answer, led by the question it is about.
fn of_question<T>(named: &str, result: Result<T, String>) -> Result<T, String> {
    result.map_err(|m| {
        let mut chars = m.chars();
        let first = chars.next().map(|c| c.to_lowercase().collect::<String>()).unwrap_or_default();
        format!("{named}: {first}{}", chars.as_str())
    })
}

/// Why a return cannot be submitted yet, if it cannot: questions not answered, or answers
/// carried from the last cycle and not confirmed.
pub fn ready_to_submit(questions: &[String], answers: &[Answer]) -> Result<(), String> {
    let missing = questions.iter().filter(|q| !answers.iter().any(|a| a.question == **q)).count();
    let unconfirmed = answers.iter().filter(|a| !a.confirmed).count();
    if missing == 0 && unconfirmed == 0 {
        return Ok(());
    }
    let mut why = Vec::new();
    if missing > 0 {
        why.push(format!("{missing} question{} not answered", if missing == 1 { " is" } else { "s are" }));
    }
    if unconfirmed > 0 {
        why.push(format!(
            "{unconfirmed} answer{} carried from the last audit and not yet confirmed (save the answers to confirm them)",
            if unconfirmed == 1 { " is" } else { "s are" }
        ));
    }
    Err(format!("It cannot be submitted yet: {}", why.join("; ")))
}

/// Last cycle's answers to the questions the new framework version still asks (same id and
/// answer type), marked unconfirmed so the respondent visibly has to look at each again.
pub fn carry_forward(previous: &[Answer], framework: &Framework) -> Vec<Answer> {
    previous
        .iter()
        .filter(|a| {
            framework.nodes.iter().any(|n| {
                n.id == a.question
                    && n.answer.is_some()
                    && (n.answer != Some(AnswerType::Score) || a.score.is_none_or(|s| framework.scheme.allows(s)))
            })
        })
        .map(|a| Answer { confirmed: false, ..a.clone() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssessmentState::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn window(unlocked: bool) -> Window {
        Window { opens_on: d("2025-04-01"), closes_on: d("2025-06-30"), unlocked }
    }

    #[test]
    fn a_return_goes_round_the_loop_until_closed() {
        let w = window(false);
        let today = d("2025-05-01");
        let s = next(Draft, Step::Submit, Party::Respondent, w, today, None).expect("submit");
        assert_eq!(s, Submitted);
        let s = next(s, Step::RequestChanges, Party::Assessor, w, today, Some("Why not 4 on standard 3?"))
            .expect("challenge");
        assert_eq!(s, ChangesRequested);
        assert!(editable(s, w, today));
        let s = next(s, Step::Submit, Party::Respondent, w, today, None).expect("resubmit");
        assert_eq!(s, Resubmitted);
        assert!(!editable(s, w, today));
        assert_eq!(next(s, Step::Close, Party::Assessor, w, today, None), Ok(Closed));
        assert_eq!(next(Closed, Step::Reopen, Party::Assessor, w, today, Some("New evidence")), Ok(ChangesRequested));
    }

    #[test]
    fn steps_out_of_turn_are_refused_with_a_reason() {
        let w = window(false);
        let today = d("2025-05-01");
        let refused = |s, step, party, reason| next(s, step, party, w, today, reason).expect_err("refused").0;
        assert_eq!(refused(Submitted, Step::Submit, Party::Respondent, None), "It has already been submitted");
        assert_eq!(refused(Draft, Step::Close, Party::Assessor, None), "Only a submitted return can be closed");
        assert_eq!(refused(Submitted, Step::RequestChanges, Party::Assessor, Some(" ")), "Say what needs to change");
        assert_eq!(refused(Submitted, Step::Close, Party::Respondent, None), "Only the assessor can do that");
        assert_eq!(refused(Draft, Step::Submit, Party::Assessor, None), "Only the organisation answering can submit");
        assert_eq!(refused(Closed, Step::Submit, Party::Respondent, None), "It is closed");
    }

    fn framework() -> Framework {
        use crate::audits::framework::{Level, Node, NodeKind, Scheme, SchemeKind};
        let node = |id: &str, parent: Option<&str>, kind, answer| Node {
            id: id.into(),
            parent: parent.map(Into::into),
            kind,
            title: id.into(),
            help: None,
            answer,
            choices: Vec::new(),
            weight: 1.0,
            target: None,
        };
        Framework {
            code: "section11".into(),
            version: "2027.1".into(),
            title: "Section 11".into(),
            scheme: Scheme {
                kind: SchemeKind::Score,
                levels: (1..=3).map(|v| Level { value: v, label: v.to_string(), colour: "green".into() }).collect(),
                allow_not_applicable: true,
            },
            nodes: vec![
                node("1", None, NodeKind::Standard, None),
                node("1.1", Some("1"), NodeKind::Question, Some(AnswerType::Score)),
                node("1.2", Some("1"), NodeKind::Question, Some(AnswerType::Text)),
            ],
        }
    }

    fn answer(question: &str, score: Option<i64>) -> Answer {
        Answer {
            question: question.into(),
            score,
            not_applicable: None,
            value: None,
            evidence: Some("Policy v3".into()),
            confirmed: true,
        }
    }

    #[test]
    fn carried_answers_must_be_confirmed_again_and_drop_what_no_longer_fits() {
        let previous =
            vec![answer("1.1", Some(3)), answer("1.2", None), answer("2.1", Some(2)), answer("1.1", Some(4))];
        let carried = carry_forward(&previous, &framework());
        assert_eq!(carried.iter().map(|a| a.question.as_str()).collect::<Vec<_>>(), vec!["1.1", "1.2"]);
        assert!(carried.iter().all(|a| !a.confirmed), "a carried answer is visibly not yet re-confirmed");
        assert_eq!(carried[0].evidence.as_deref(), Some("Policy v3"));
    }

    #[test]
    fn the_lock_holds_after_the_closing_date_unless_lifted() {
        let late = d("2025-07-01");
        assert!(
            next(Draft, Step::Submit, Party::Respondent, window(false), late, None)
                .expect_err("locked")
                .0
                .starts_with("The audit closed")
        );
        assert!(!editable(Draft, window(false), late));
        assert_eq!(next(Draft, Step::Submit, Party::Respondent, window(true), late, None), Ok(Submitted));
        assert!(next(Draft, Step::Submit, Party::Respondent, window(false), d("2025-03-31"), None).is_err());
    }

    #[test]
    fn answers_are_checked_against_the_framework_and_the_whole_set_replaces_the_last() {
        let sent = |question: &str, score: &str, value: &str| AnswerInput {
            question: question.into(),
            score: score.into(),
            value: value.into(),
            ..AnswerInput::default()
        };
        // A score on the scheme and a text answer are kept; a question left out is cleared.
        let (kept, cleared) = check_answers(&framework(), &[sent(" 1.1 ", "3", "")]).expect("valid");
        assert_eq!((kept.len(), kept[0].score), (1, Some(3)));
        assert_eq!(cleared, vec!["1.2"]);
        // Every problem at once, each named by its part and question.
        let errors = check_answers(&framework(), &[sent("1.1", "7", ""), sent("9.9", "1", "")]).expect_err("invalid");
        assert_eq!(errors.get("score:1.1"), Some("Question 1.1: choose a score on the scheme"));
        assert_eq!(errors.get("answers"), Some("9.9 is not a question of this framework"));
        // Evidence alone is not an answer.
        let bare = AnswerInput { question: "1.2".into(), evidence: "Minutes".into(), ..AnswerInput::default() };
        assert!(check_answers(&framework(), &[bare]).expect_err("evidence alone").get("evidence:1.2").is_some());
    }

    #[test]
    fn a_return_is_ready_to_submit_when_every_question_is_answered_and_confirmed() {
        let questions = vec!["1.1".to_owned(), "1.2".to_owned()];
        assert_eq!(ready_to_submit(&questions, &[answer("1.1", Some(3)), answer("1.2", None)]), Ok(()));
        let mut carried = answer("1.2", None);
        carried.confirmed = false;
        assert_eq!(
            ready_to_submit(&questions, &[carried]),
            Err("It cannot be submitted yet: 1 question is not answered; 1 answer is carried from the last audit and \
                 not yet confirmed (save the answers to confirm them)"
                .to_owned())
        );
    }
}
