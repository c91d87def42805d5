//! The partnership's strategy and its subgroups' work plans: a strategy's period in financial
//! years (with an extension), its priorities (each with the outcome sought and how success is
//! measured), and activities scheduled by financial-year quarter, each led by a subgroup, an
//! organisation and a named person, whose status and RAG change by dated updates. An activity may
//! belong to a priority, to a subgroup's work plan, or both. The rules here are pure: quarters,
//! what counts as done or slipped, and what a year's "little or no progress" holds.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

/// The longest a strategy may run, with its extension, in years.
pub const MAX_YEARS: i32 = 10;
/// The most priorities a strategy may have, and activities a priority or work plan.
pub const MAX_PRIORITIES: usize = 40;
pub const MAX_ACTIVITIES: usize = 60;
/// The most quarters one activity may be scheduled in: a strategy's longest run.
pub const MAX_QUARTERS: usize = MAX_YEARS as usize * 4;

/// A financial-year quarter: Q1 is April to June. Ordered in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Quarter {
    /// The year the financial year starts in (2020 for 2020-21).
    pub year: i32,
    /// 1 to 4.
    pub q: u8,
}

impl Quarter {
    pub fn new(year: i32, q: u8) -> Option<Quarter> {
        (1..=4).contains(&q).then_some(Quarter { year, q })
    }

    /// The quarter a day falls in.
    pub fn of(day: NaiveDate) -> Quarter {
        let m = day.month();
        let (year, q) = if m >= 4 { (day.year(), ((m - 4) / 3 + 1) as u8) } else { (day.year() - 1, 4) };
        Quarter { year, q }
    }

    /// As stored and sent: "2020-Q1".
    pub fn code(self) -> String {
        format!("{}-Q{}", self.year, self.q)
    }

    pub fn parse(raw: &str) -> Option<Quarter> {
        let (year, q) = raw.trim().split_once("-Q")?;
        let year: i32 = year.parse().ok().filter(|y| (1990..=2100).contains(y))?;
        let q: u8 = q.parse().ok()?;
        Quarter::new(year, q)
    }

    /// As people read it: "Q1 2020-21".
    pub fn words(self) -> String {
        format!("Q{} {}", self.q, financial_year(self.year))
    }

    /// A number that orders quarters: four a year.
    pub fn index(self) -> i32 {
        self.year * 4 + i32::from(self.q) - 1
    }

    pub fn from_index(i: i32) -> Quarter {
        Quarter { year: i.div_euclid(4), q: (i.rem_euclid(4) + 1) as u8 }
    }

    pub fn next(self) -> Quarter {
        Quarter::from_index(self.index() + 1)
    }

    /// Its first and last days.
    pub fn first_day(self) -> NaiveDate {
        let (y, m) = if self.q == 4 { (self.year + 1, 1) } else { (self.year, 3 * u32::from(self.q) + 1) };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }
}

/// "2020-21".
pub fn financial_year(start: i32) -> String {
    format!("{start}-{:02}", (start + 1).rem_euclid(100))
}

choice!(
    /// Where an activity stands.
    Status {
        NotStarted => ("not_started", "Not started"),
        InProgress => ("in_progress", "In progress"),
        Completed => ("completed", "Completed"),
        Deferred => ("deferred", "Deferred"),
        Cancelled => ("cancelled", "Cancelled"),
    }
);

/// Red, amber or green: how confident its lead is that it will be done as planned (the plan of
/// learning's rating, with its codes).
pub use crate::learning::Rag;

choice!(
    /// What the reports say of an activity: an area of notable progress, or one for development.
    Marker {
        NotableProgress => ("notable_progress", "Area of notable progress"),
        Development => ("development", "Area for development"),
    }
);

choice!(
    /// How an activity due in a quarter stood at the quarter's end.
    Outcome {
        Done => ("done", "Done"),
        Slipped => ("slipped", "Slipped"),
        Dropped => ("dropped", "Deferred or cancelled"),
    }
);

/// What a form or API request sends for a strategy.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct StrategyInput {
    #[serde(default)]
    pub name: String,
    /// The first financial year, by the year it starts: "2020" for 2020-21.
    #[serde(default)]
    pub from_year: String,
    /// The last financial year, by the year it starts: "2022" for 2022-23.
    #[serde(default)]
    pub to_year: String,
    /// The last year once extended; blank when not extended.
    #[serde(default)]
    pub extended_to: String,
    /// "children", "adults", or blank for the whole partnership.
    #[serde(default)]
    pub arm: String,
}

/// A valid strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStrategy {
    pub name: String,
    pub from_year: i32,
    pub to_year: i32,
    pub extended_to: Option<i32>,
    pub arm: Option<crate::structure::ArmKind>,
}

impl NewStrategy {
    /// Its first and last quarters, with the extension.
    pub fn quarters(&self) -> (Quarter, Quarter) {
        period(self.from_year, self.extended_to.unwrap_or(self.to_year))
    }
}

/// The first and last quarters of the financial years `from` to `to`.
pub fn period(from: i32, to: i32) -> (Quarter, Quarter) {
    (Quarter { year: from, q: 1 }, Quarter { year: to, q: 4 })
}

fn year(label: &str, raw: &str) -> Result<Option<i32>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    // "2020" or "2020-21": the year the financial year starts.
    let start = value.split('-').next().unwrap_or("");
    start
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y) && start.len() == 4)
        .map(Some)
        .ok_or_else(|| format!("Enter {label} as the year it starts, like 2020 for 2020-21"))
}

impl StrategyInput {
    pub fn validate(&self) -> Validated<NewStrategy> {
        let mut e = FieldErrors::new();
        let name = e.check("name", validation::required_text("the strategy's name", &self.name, 200));
        let from = e.check("from_year", year("the first financial year", &self.from_year));
        let to = e.check("to_year", year("the last financial year", &self.to_year));
        let extended = e.check("extended_to", year("the year it is extended to", &self.extended_to));
        let arm = match self.arm.trim() {
            "" | "both" => Some(None),
            code => e.check(
                "arm",
                crate::structure::ArmKind::parse(code).map(Some).ok_or_else(|| "Select the arm from the list".into()),
            ),
        };
        if let Some(None) = from {
            e.add("from_year", "Enter the first financial year, like 2020 for 2020-21");
        }
        if let Some(None) = to {
            e.add("to_year", "Enter the last financial year, like 2022 for 2022-23");
        }
        if let (Some(Some(f)), Some(Some(t))) = (from, to) {
            if t < f {
                e.add("to_year", "The last financial year must be the first or later");
            } else if t - f >= MAX_YEARS {
                e.add("to_year", format!("A strategy runs for at most {MAX_YEARS} years"));
            }
            if let Some(Some(x)) = extended
                && (x <= t || x - f >= MAX_YEARS)
            {
                e.add(
                    "extended_to",
                    format!(
                        "Extend it to a year after {} and within {MAX_YEARS} years of its start",
                        financial_year(t)
                    ),
                );
            }
        }
        match (name, from, to, extended, arm) {
            (Some(name), Some(Some(from_year)), Some(Some(to_year)), Some(extended_to), Some(arm)) if e.is_empty() => {
                Ok(NewStrategy { name, from_year, to_year, extended_to, arm })
            }
            _ => Err(e),
        }
    }
}

/// What a form or API request sends for a priority (a theme of the strategy).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PriorityInput {
    /// Its number in the strategy: "9.1".
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub title: String,
    /// The outcome sought.
    #[serde(default)]
    pub outcome: String,
    /// How success will be measured.
    #[serde(default)]
    pub measure: String,
    /// Codes of dashboard indicators whose trend shows beside it, separated by commas or spaces.
    #[serde(default)]
    pub indicators: String,
}

/// A valid priority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPriority {
    pub number: String,
    pub title: String,
    pub outcome: Option<String>,
    pub measure: Option<String>,
    pub indicators: Vec<String>,
}

impl PriorityInput {
    /// `known` says whether an indicator code is in the catalogue.
    pub fn validate(&self, known: impl Fn(&str) -> bool) -> Validated<NewPriority> {
        let mut e = FieldErrors::new();
        let number = e.check("number", validation::required_text("the priority's number", &self.number, 20));
        let title = e.check("title", validation::required_text("the priority", &self.title, 200));
        let outcome = e.check("outcome", validation::optional_text("the outcome sought", &self.outcome, 2_000));
        let measure = e.check("measure", validation::optional_text("how success is measured", &self.measure, 2_000));
        let mut indicators: Vec<String> = Vec::new();
        for code in self.indicators.split([',', ' ', '\n']).map(str::trim).filter(|c| !c.is_empty()) {
            if !known(code) {
                e.add("indicators", format!("There is no indicator {code}: use the codes the dashboard's pages show"));
            } else if !indicators.iter().any(|c| c == code) {
                indicators.push(code.to_owned());
            }
        }
        match (number, title, outcome, measure) {
            (Some(number), Some(title), Some(outcome), Some(measure)) if e.is_empty() => {
                Ok(NewPriority { number, title, outcome, measure, indicators })
            }
            _ => Err(e),
        }
    }
}

/// What a form or API request sends for an activity.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ActivityInput {
    #[serde(default)]
    pub title: String,
    /// The quarters it is scheduled in ("2020-Q1"), one or more.
    #[serde(default)]
    pub quarters: Vec<String>,
    /// The subgroup that leads it (and whose work plan holds it).
    #[serde(default)]
    pub body_id: String,
    /// The organisation that leads it.
    #[serde(default)]
    pub organisation_id: String,
    /// The named person who leads it.
    #[serde(default)]
    pub lead: String,
}

/// A valid activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    pub title: String,
    /// In order, none twice.
    pub quarters: Vec<Quarter>,
    pub body_id: Option<crate::BodyId>,
    pub organisation_id: Option<crate::OrganisationId>,
    pub lead: Option<String>,
}

fn optional_id(label: &str, raw: &str) -> Result<Option<i64>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value.parse::<i64>().ok().filter(|n| *n > 0).map(Some).ok_or_else(|| format!("Select {label} from the list"))
}

impl ActivityInput {
    /// `within` is the period its quarters must fall in (a strategy's, or none for a work plan
    /// of its own).
    pub fn validate(&self, within: Option<(Quarter, Quarter)>) -> Validated<NewActivity> {
        let mut e = FieldErrors::new();
        let title = e.check("title", validation::required_text("the activity", &self.title, 1_000));
        let mut quarters = Vec::new();
        if self.quarters.len() > MAX_QUARTERS {
            return Err(FieldErrors::single(
                "quarters",
                format!("Schedule an activity in at most {MAX_QUARTERS} quarters"),
            ));
        }
        for raw in self.quarters.iter().filter(|r| !r.trim().is_empty()) {
            match Quarter::parse(raw) {
                None => e.add("quarters", format!("{} is not a quarter: send it like 2020-Q1", raw.trim())),
                Some(q) => match within {
                    Some((first, last)) if q < first || q > last => e.add(
                        "quarters",
                        format!(
                            "{} is outside the strategy's period, {} to {}",
                            q.words(),
                            first.words(),
                            last.words()
                        ),
                    ),
                    _ => quarters.push(q),
                },
            }
        }
        if quarters.is_empty() && e.get("quarters").is_none() {
            e.add("quarters", "Select at least one quarter it is scheduled in");
        }
        quarters.sort();
        quarters.dedup();
        let body_id = e.check("body_id", optional_id("the subgroup that leads it", &self.body_id));
        let organisation_id =
            e.check("organisation_id", optional_id("the organisation that leads it", &self.organisation_id));
        let lead = e.check("lead", validation::optional_text("who leads it", &self.lead, 200));
        match (title, body_id, organisation_id, lead) {
            (Some(title), Some(body_id), Some(organisation_id), Some(lead)) if e.is_empty() => Ok(NewActivity {
                title,
                quarters,
                body_id: body_id.map(crate::BodyId),
                organisation_id: organisation_id.map(crate::OrganisationId),
                lead,
            }),
            _ => Err(e),
        }
    }
}

/// What a form or API request sends for an update on an activity.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UpdateInput {
    /// The day it speaks for (blank: today).
    #[serde(default)]
    pub on: String,
    /// What was done, or why it slipped.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub rag: String,
    /// "notable_progress", "development" or blank.
    #[serde(default)]
    pub marker: String,
    /// Why the marker, when one is set.
    #[serde(default)]
    pub marker_reason: String,
    /// Evidence: Assure addresses (`/actions/12`, `/audits/3`, `/reviews/5`) or https links, one
    /// a line.
    #[serde(default)]
    pub evidence: String,
}

/// A valid update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUpdate {
    pub on: NaiveDate,
    pub text: String,
    pub status: Status,
    pub rag: Option<Rag>,
    pub marker: Option<Marker>,
    pub marker_reason: Option<String>,
    pub evidence: Vec<String>,
}

/// The Assure addresses evidence may point at.
pub const EVIDENCE_PREFIXES: &[&str] =
    &["/actions/", "/recommendations/", "/audits/", "/reviews/", "/meetings/", "/risks/", "/evidence/", "/papers/"];

/// The most pieces of evidence one update may give.
pub const MAX_EVIDENCE: usize = 10;

fn evidence(raw: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let internal = EVIDENCE_PREFIXES
            .iter()
            .any(|p| line.strip_prefix(p).is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())));
        let external = line.starts_with("https://") && line.len() <= 500 && !line.chars().any(char::is_whitespace);
        if !internal && !external {
            return Err(format!(
                "\"{line}\" is not evidence Assure can link to: give an address such as /actions/12 or /audits/3, or an https link"
            ));
        }
        out.push(line.to_owned());
    }
    if out.len() > MAX_EVIDENCE {
        return Err(format!("Give at most {MAX_EVIDENCE} pieces of evidence an update"));
    }
    Ok(out)
}

impl UpdateInput {
    pub fn validate(&self, today: NaiveDate) -> Validated<NewUpdate> {
        let mut e = FieldErrors::new();
        let on = if self.on.trim().is_empty() {
            Some(today)
        } else {
            e.check("on", validation::required_date("the day of the update", &self.on))
        };
        if on.is_some_and(|d| d > today) {
            e.add("on", "An update speaks for today or a day before, not the future");
        }
        let text = e.check("text", validation::required_text("what was done, or why it slipped", &self.text, 4_000));
        let status = Status::parse(self.status.trim());
        if status.is_none() {
            e.add("status", "Select the activity's status");
        }
        let rag = match self.rag.trim() {
            "" => Some(None),
            code => e.check("rag", Rag::parse(code).map(Some).ok_or_else(|| "Select red, amber or green".to_owned())),
        };
        let marker = match self.marker.trim() {
            "" => Some(None),
            code => e.check(
                "marker",
                Marker::parse(code).map(Some).ok_or_else(|| "Select the marker from the list".to_owned()),
            ),
        };
        let marker_reason = e.check("marker_reason", validation::optional_text("why", &self.marker_reason, 1_000));
        if let (Some(Some(m)), Some(None)) = (marker, &marker_reason) {
            e.add("marker_reason", format!("Say why it is an {}", m.label().to_lowercase()));
        }
        let evidence = e.check("evidence", evidence(&self.evidence));
        match (on, text, status, rag, marker, marker_reason, evidence) {
            (Some(on), Some(text), Some(status), Some(rag), Some(marker), Some(marker_reason), Some(evidence))
                if e.is_empty() =>
            {
                Ok(NewUpdate { on, text, status, rag, marker, marker_reason, evidence })
            }
            _ => Err(e),
        }
    }
}

/// An activity's standing on a day: its latest update on or before it, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub status: Status,
    pub rag: Option<Rag>,
}

impl Standing {
    pub const UNSTARTED: Standing = Standing { status: Status::NotStarted, rag: None };
}

/// How an activity due in a quarter stood at its end.
pub fn outcome(standing: Standing) -> Outcome {
    match standing.status {
        Status::Completed => Outcome::Done,
        Status::Deferred | Status::Cancelled => Outcome::Dropped,
        _ => Outcome::Slipped,
    }
}

/// Whether an activity due in a year made little or no progress: not completed by the year's end
/// (deferred and cancelled included), or rated red or amber then.
pub fn little_progress(standing: Standing) -> bool {
    standing.status != Status::Completed || matches!(standing.rag, Some(Rag::Red | Rag::Amber))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    #[test]
    fn quarters_follow_the_financial_year() {
        assert_eq!(Quarter::of(d(2020, 4, 1)), Quarter { year: 2020, q: 1 });
        assert_eq!(Quarter::of(d(2020, 12, 31)), Quarter { year: 2020, q: 3 });
        assert_eq!(Quarter::of(d(2021, 3, 31)), Quarter { year: 2020, q: 4 });
        let q4 = Quarter { year: 2020, q: 4 };
        assert_eq!((q4.first_day(), q4.last_day()), (d(2021, 1, 1), d(2021, 3, 31)));
        assert_eq!(q4.next(), Quarter { year: 2021, q: 1 });
        assert_eq!(Quarter::parse("2020-Q4"), Some(q4));
        assert_eq!(Quarter::parse("2020-Q5"), None);
        assert_eq!(q4.words(), "Q4 2020-21");
        assert_eq!(Quarter::from_index(q4.index()), q4);
        assert_eq!(financial_year(2099), "2099-00");
    }

    #[test]
    fn a_strategy_runs_forward_within_ten_years() {
        let input = StrategyInput {
            name: "Strategic Plan 2020-23".into(),
            from_year: "2020".into(),
            to_year: "2022-23".into(),
            extended_to: "2023".into(),
            arm: String::new(),
        };
        let s = input.validate().expect("valid");
        assert_eq!(s.quarters(), (Quarter { year: 2020, q: 1 }, Quarter { year: 2023, q: 4 }));
        let back = StrategyInput { to_year: "2019".into(), extended_to: String::new(), ..input.clone() };
        assert_eq!(
            back.validate().expect_err("refused").get("to_year"),
            Some("The last financial year must be the first or later")
        );
        let short = StrategyInput { extended_to: "2022".into(), ..input };
        assert!(short.validate().expect_err("refused").get("extended_to").is_some());
    }

    #[test]
    fn an_activity_outside_the_period_is_refused_by_name() {
        let period = Some(period(2020, 2022));
        let input = ActivityInput {
            title: "Review of outcomes".into(),
            quarters: vec!["2023-Q1".into(), "2020-Q2".into()],
            ..Default::default()
        };
        assert_eq!(
            input.validate(period).expect_err("refused").get("quarters"),
            Some("Q1 2023-24 is outside the strategy's period, Q1 2020-21 to Q4 2022-23")
        );
        let none = ActivityInput { quarters: vec![], ..input.clone() };
        assert_eq!(
            none.validate(period).expect_err("refused").get("quarters"),
            Some("Select at least one quarter it is scheduled in")
        );
        let many = ActivityInput { quarters: vec!["2021-Q3".into(); MAX_QUARTERS + 1], ..input.clone() };
        assert_eq!(
            many.validate(None).expect_err("refused").get("quarters"),
            Some("Schedule an activity in at most 40 quarters")
        );
        let ok = ActivityInput { quarters: vec!["2021-Q3".into(), "2020-Q2".into(), "2021-Q3".into()], ..input };
        assert_eq!(
            ok.validate(period).expect("valid").quarters,
            vec![Quarter { year: 2020, q: 2 }, Quarter { year: 2021, q: 3 }]
        );
    }

    #[test]
    fn an_update_needs_its_text_and_evidence_assure_can_link_to() {
        let today = d(2026, 11, 30);
        let blank = UpdateInput { status: "in_progress".into(), ..Default::default() };
        assert_eq!(
            blank.validate(today).expect_err("refused").get("text"),
            Some("Enter what was done, or why it slipped")
        );
        let bad = UpdateInput {
            text: "Conference held".into(),
            status: "completed".into(),
            evidence: "/actions/12\nsee the shared drive".into(),
            marker: "notable_progress".into(),
            ..Default::default()
        };
        let e = bad.validate(today).expect_err("refused");
        assert!(e.get("evidence").is_some_and(|m| m.starts_with("\"see the shared drive\" is not evidence")));
        assert_eq!(e.get("marker_reason"), Some("Say why it is an area of notable progress"));
        let good = UpdateInput {
            evidence: "/actions/12\nhttps://example.org/report.pdf".into(),
            marker_reason: "300 practitioners attended".into(),
            ..bad
        };
        let u = good.validate(today).expect("valid");
        assert_eq!((u.on, u.evidence.len()), (today, 2));
        let future = UpdateInput { on: "2026-12-01".into(), ..good };
        assert!(future.validate(today).expect_err("refused").get("on").is_some());
    }

    #[test]
    fn little_progress_is_not_completed_or_red_or_amber() {
        let s = |status, rag| Standing { status, rag };
        assert!(little_progress(Standing::UNSTARTED));
        assert!(little_progress(s(Status::InProgress, Some(Rag::Green))));
        assert!(little_progress(s(Status::Completed, Some(Rag::Amber))));
        assert!(!little_progress(s(Status::Completed, Some(Rag::Green))));
        assert!(little_progress(s(Status::Deferred, None)));
        assert_eq!(outcome(s(Status::Cancelled, None)), Outcome::Dropped);
        assert_eq!(outcome(s(Status::InProgress, None)), Outcome::Slipped);
    }
}
