//! Surveys of practitioners (after a briefing, say): a question set written one question to a
//! line, answered on the partnership's public page without an account, and its results counted.
//! The rules here are pure: reading a question set, checking an answer, counting the results.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::validation::{self, FieldErrors, Validated};

/// The most questions a survey asks, options a choice offers, and characters a written answer has.
pub const MAX_QUESTIONS: usize = 20;
pub const MAX_OPTIONS: usize = 10;
pub const MAX_ANSWER_CHARS: usize = 2000;

/// What a scale's five points say.
pub const SCALE: [&str; 5] = ["1: not at all", "2: a little", "3: fairly", "4: quite", "5: very"];

/// A question and how it is answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Question {
    /// On the five-point scale.
    Scale { text: String },
    /// One of its options.
    Choice { text: String, options: Vec<String> },
    /// In the person's own words (optional to answer).
    Text { text: String },
}

impl Question {
    pub fn text(&self) -> &str {
        match self {
            Question::Scale { text } | Question::Choice { text, .. } | Question::Text { text } => text,
        }
    }

    /// As the question set writes it: "scale: How confident…".
    pub fn line(&self) -> String {
        match self {
            Question::Scale { text } => format!("scale: {text}"),
            Question::Choice { text, options } => format!("choice: {text} | {}", options.join(" | ")),
            Question::Text { text } => format!("text: {text}"),
        }
    }
}

/// Reads a question set, one question to a line: `scale: …`, `choice: … | option | option`, or
/// `text: …`; blank lines are skipped. Each fault names its line.
pub fn read_questions(raw: &str) -> Result<Vec<Question>, String> {
    let mut out = Vec::new();
    for (i, line) in raw.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if line.is_empty() {
            continue;
        }
        let Some((kind, rest)) = line.split_once(':') else {
            return Err(format!("Line {i}: start it with scale:, choice: or text:"));
        };
        let mut parts = rest.split('|').map(str::trim);
        let text = parts.next().unwrap_or_default().to_owned();
        if text.is_empty() || text.chars().count() > 300 || text.chars().any(char::is_control) {
            return Err(format!("Line {i}: write the question, in 300 characters or fewer"));
        }
        let question = match kind.trim().to_lowercase().as_str() {
            "scale" => Question::Scale { text },
            "text" => Question::Text { text },
            "choice" => {
                let options: Vec<String> = parts.filter(|o| !o.is_empty()).map(str::to_owned).collect();
                if !(2..=MAX_OPTIONS).contains(&options.len()) {
                    return Err(format!("Line {i}: give a choice 2 to {MAX_OPTIONS} options, each after a |"));
                }
                if options.iter().any(|o| o.chars().count() > 100) {
                    return Err(format!("Line {i}: an option is 100 characters or fewer"));
                }
                let mut seen = std::collections::HashSet::new();
                if !options.iter().all(|o| seen.insert(o.to_lowercase())) {
                    return Err(format!("Line {i}: each option once"));
                }
                Question::Choice { text, options }
            }
            _ => return Err(format!("Line {i}: start it with scale:, choice: or text:")),
        };
        out.push(question);
    }
    match out.len() {
        0 => Err("Write at least one question".into()),
        n if n > MAX_QUESTIONS => Err(format!("Ask at most {MAX_QUESTIONS} questions")),
        _ => Ok(out),
    }
}

/// A survey as the business unit's form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SurveyInput {
    pub title: String,
    /// What the survey is for, shown above the questions.
    pub intro: String,
    /// The question set, one question to a line.
    pub questions: String,
    /// The last day it takes answers (YYYY-MM-DD); blank: until it is closed.
    pub closes_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSurvey {
    pub title: String,
    pub intro: Option<String>,
    pub questions: Vec<Question>,
    pub closes_on: Option<NaiveDate>,
}

impl SurveyInput {
    pub fn validate(&self, today: NaiveDate) -> Validated<NewSurvey> {
        let mut e = FieldErrors::new();
        let title = e.check("title", validation::required_text("the survey's title", &self.title, 200));
        let intro = e.check("intro", validation::optional_text("the introduction", &self.intro, 2000));
        let questions = e.check("questions", read_questions(&self.questions));
        let closes = e.check("closes_on", validation::optional_date("the last day it takes answers", &self.closes_on));
        if closes.flatten().is_some_and(|d| d < today) {
            e.add("closes_on", "The last day it takes answers must be today or later");
        }
        e.into_result(|| NewSurvey {
            title: title.unwrap_or_default(),
            intro: intro.flatten(),
            questions: questions.unwrap_or_default(),
            closes_on: closes.flatten(),
        })
    }
}

/// Checks one person's answers (form fields `q1`, `q2`… by the question's place): a scale's point
/// and a choice's option are required, a written answer is optional. Returns one answer per
/// question, blank where none was written.
pub fn check_answers(questions: &[Question], raw: &[(String, String)]) -> Validated<Vec<String>> {
    let mut e = FieldErrors::new();
    let mut answers = Vec::with_capacity(questions.len());
    for (i, q) in questions.iter().enumerate() {
        let field = format!("q{}", i + 1);
        let value = raw.iter().find(|(k, _)| *k == field).map(|(_, v)| v.trim()).unwrap_or_default();
        let answer = match q {
            Question::Scale { text } => match value.parse::<u8>() {
                Ok(n) if (1..=5).contains(&n) => Ok(n.to_string()),
                _ => Err(format!("{text}: choose a point from 1 to 5")),
            },
            Question::Choice { text, options } => {
                options.iter().find(|o| o.as_str() == value).cloned().ok_or_else(|| format!("{text}: choose one"))
            }
            Question::Text { text } => {
                validation::optional_text(text, value, MAX_ANSWER_CHARS).map(Option::unwrap_or_default)
            }
        };
        answers.push(e.check(&field, answer).unwrap_or_default());
    }
    e.into_result(|| answers)
}

/// One question's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub question: Question,
    /// For a scale, the five points; for a choice, its options: (label, how many).
    pub counts: Vec<(String, usize)>,
    /// A scale's mean, to one decimal place, when anyone answered.
    pub mean: Option<f64>,
    /// The written answers, in the order they came.
    pub written: Vec<String>,
    /// How many answered it.
    pub answered: usize,
}

/// Counts the results of every question from the responses (each one answer per question).
pub fn results(questions: &[Question], responses: &[Vec<String>]) -> Vec<QuestionResult> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let given: Vec<&str> =
                responses.iter().filter_map(|r| r.get(i)).map(String::as_str).filter(|a| !a.is_empty()).collect();
            let (counts, mean, written) = match q {
                Question::Scale { .. } => {
                    let counts = SCALE
                        .iter()
                        .enumerate()
                        .map(|(p, label)| {
                            ((*label).to_owned(), given.iter().filter(|a| **a == (p + 1).to_string()).count())
                        })
                        .collect();
                    let points: Vec<f64> = given.iter().filter_map(|a| a.parse::<f64>().ok()).collect();
                    let mean = (!points.is_empty())
                        .then(|| (points.iter().sum::<f64>() / points.len() as f64 * 10.0).round() / 10.0);
                    (counts, mean, Vec::new())
                }
                Question::Choice { options, .. } => {
                    let counts =
                        options.iter().map(|o| (o.clone(), given.iter().filter(|a| **a == o).count())).collect();
                    (counts, None, Vec::new())
                }
                Question::Text { .. } => (Vec::new(), None, given.iter().map(|a| (*a).to_owned()).collect()),
            };
            QuestionResult { question: q.clone(), counts, mean, written, answered: given.len() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &str = "scale: How confident do you feel recognising neglect?\n\n\
        choice: Where do you work? | Police | Health | Council\n\
        text: What will you do differently?";

    #[test]
    fn a_question_set_is_read_one_line_at_a_time_and_each_fault_names_its_line() {
        let q = read_questions(SET).unwrap();
        assert_eq!(q.len(), 3);
        assert_eq!(
            q[1],
            Question::Choice {
                text: "Where do you work?".into(),
                options: vec!["Police".into(), "Health".into(), "Council".into()]
            }
        );
        assert_eq!(q[1].line(), "choice: Where do you work? | Police | Health | Council");
        assert_eq!(read_questions("scale: A\nrate: B"), Err("Line 2: start it with scale:, choice: or text:".into()));
        assert_eq!(
            read_questions("choice: Where? | Only"),
            Err("Line 1: give a choice 2 to 10 options, each after a |".into())
        );
        assert_eq!(read_questions("choice: Where? | A | a"), Err("Line 1: each option once".into()));
        assert_eq!(read_questions("text:   "), Err("Line 1: write the question, in 300 characters or fewer".into()));
        assert_eq!(read_questions(" \n"), Err("Write at least one question".into()));
        let today: NaiveDate = "2026-11-30".parse().unwrap();
        let e = SurveyInput { closes_on: "2026-11-01".into(), ..Default::default() }.validate(today).unwrap_err();
        assert_eq!(e.get("closes_on"), Some("The last day it takes answers must be today or later"));
        assert_eq!(e.get("title"), Some("Enter the survey's title"));
    }

    #[test]
    fn answers_are_checked_against_their_questions_and_counted() {
        let q = read_questions(SET).unwrap();
        let raw = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
        };
        let e = check_answers(&q, &raw(&[("q1", "6"), ("q2", "Fire")])).unwrap_err();
        assert_eq!(e.get("q1"), Some("How confident do you feel recognising neglect?: choose a point from 1 to 5"));
        assert_eq!(e.get("q2"), Some("Where do you work?: choose one"));
        let one = check_answers(&q, &raw(&[("q1", "4"), ("q2", "Police"), ("q3", "Ask to see the bedroom")])).unwrap();
        let two = check_answers(&q, &raw(&[("q1", "5"), ("q2", "Police")])).unwrap();
        assert_eq!(two[2], "", "a written answer is optional");
        let r = results(&q, &[one, two]);
        assert_eq!(r[0].mean, Some(4.5));
        assert_eq!(r[0].counts[3], ("4: quite".to_owned(), 1));
        assert_eq!(r[1].counts[0], ("Police".to_owned(), 2));
        assert_eq!((r[2].written.clone(), r[2].answered), (vec!["Ask to see the bedroom".to_owned()], 1));
    }
}
