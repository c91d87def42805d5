//! The risk register: each register's matrix (likelihood and impact scales, the score bands),
//! its categories with the board's appetite, and the risks on it with their ratings, controls,
//! owners and review dates. The rules here are pure: a rating is checked against the matrix it
//! is made under, and a matrix is checked whole before it is used. Changing a register's matrix
//! makes a new version; every rating keeps the version it was made under, so nothing past is
//! rewritten.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod matrix;

pub use matrix::*;

use crate::structure::{ArmKind, Choice, choice, flag};
use crate::validation::{self, FieldErrors, Validated};

/// The most categories a register may have, and risks on one register.
pub const MAX_CATEGORIES: usize = 20;
pub const MAX_RISKS: usize = 500;
/// The most controls one risk may list.
pub const MAX_CONTROLS: usize = 20;
/// The longest a risk's text may be (its description, its consequence, a control).
pub const MAX_TEXT: usize = 4_000;

choice!(
    /// Where a risk stands: open (being treated), tolerated (accepted at its rating, with the
    /// reason), or closed (with the reason).
    Status {
        Open => ("open", "Open"),
        Tolerated => ("tolerated", "Tolerated"),
        Closed => ("closed", "Closed"),
    }
);

choice!(
    /// Which of a risk's three ratings a rating entry sets.
    RatingKind {
        Inherent => ("inherent", "Inherent (before controls)"),
        Current => ("current", "Current"),
        Target => ("target", "Target"),
    }
);

choice!(
    /// How a risk's current rating moved at its latest review.
    Direction {
        Worse => ("worse", "Increased"),
        Better => ("better", "Reduced"),
        Same => ("same", "No change"),
        New => ("new", "New"),
    }
);

/// What a form or API request sends for a register, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegisterInput {
    /// Also read as `register_name` (the register's own page has a category's `name` field too).
    #[serde(default, alias = "register_name")]
    pub name: String,
    /// "children", "adults", or blank for the whole partnership.
    #[serde(default)]
    pub arm: String,
    /// The body that oversees the register (the board its risks above appetite go to).
    #[serde(default)]
    pub body_id: String,
    /// The code of a shipped matrix to start from.
    #[serde(default)]
    pub matrix: String,
    /// The code of a shipped set of categories to start from.
    #[serde(default)]
    pub categories: String,
}

/// A valid register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegister {
    pub name: String,
    pub arm: Option<ArmKind>,
    pub body_id: Option<crate::BodyId>,
}

impl RegisterInput {
    /// Checks the register's own fields; the presets are checked against what is shipped.
    pub fn validate(&self) -> Validated<NewRegister> {
        let mut e = FieldErrors::new();
        let name = e.check("name", validation::required_text("the register's name", &self.name, 120));
        let arm = match self.arm.trim() {
            "" | "both" => Some(None),
            code => e.check("arm", ArmKind::parse(code).map(Some).ok_or_else(|| "Select the arm from the list".into())),
        };
        let body_id = e.check("body_id", optional_id("the body that oversees it", &self.body_id));
        match (name, arm, body_id) {
            (Some(name), Some(arm), Some(body_id)) if e.is_empty() => {
                Ok(NewRegister { name, arm, body_id: body_id.map(crate::BodyId) })
            }
            _ => Err(e),
        }
    }
}

/// An id chosen from a list, or blank.
pub fn optional_id(label: &str, raw: &str) -> Result<Option<i64>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value.parse::<i64>().ok().filter(|n| *n > 0).map(Some).ok_or_else(|| format!("Select {label} from the list"))
}

/// A category's name as a form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CategoryInput {
    #[serde(default)]
    pub name: String,
}

impl CategoryInput {
    pub fn validate(&self) -> Validated<String> {
        let mut e = FieldErrors::new();
        let name = e.check("name", validation::required_text("the category's name", &self.name, 80));
        name.filter(|_| e.is_empty()).ok_or(e)
    }
}

/// The board's appetite for a category's risks: the highest current score it accepts (blank:
/// none set), and where the board agreed it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AppetiteInput {
    #[serde(default)]
    pub appetite: String,
    /// Where and when the board agreed it ("Board, 12 March 2024").
    #[serde(default)]
    pub agreed: String,
}

/// A valid appetite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppetite {
    pub appetite: Option<u32>,
    pub agreed: Option<String>,
}

impl AppetiteInput {
    pub fn validate(&self, matrix: &Matrix) -> Validated<NewAppetite> {
        let mut e = FieldErrors::new();
        let max = matrix.max_score();
        let raw = self.appetite.trim();
        let appetite = if raw.is_empty() {
            Some(None)
        } else {
            e.check(
                "appetite",
                raw.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=max).contains(n) && raw.bytes().all(|b| b.is_ascii_digit()))
                    .map(Some)
                    .ok_or_else(|| format!("Enter the appetite as a score from 1 to {max}, or leave it blank")),
            )
        };
        let agreed = e.check("agreed", validation::optional_text("where the board agreed it", &self.agreed, 200));
        match (appetite, agreed) {
            (Some(appetite), Some(agreed)) if e.is_empty() => Ok(NewAppetite { appetite, agreed }),
            _ => Err(e),
        }
    }
}

/// A level typed or chosen: a whole number, or blank.
fn level(label: &str, raw: &str) -> Result<Option<u32>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<u32>()
        .ok()
        .filter(|_| value.bytes().all(|b| b.is_ascii_digit()))
        .map(Some)
        .ok_or_else(|| format!("Select the {label} from the list"))
}

/// A rating from two fields, both needed; checked against the matrix.
fn rating(
    e: &mut FieldErrors,
    matrix: &Matrix,
    field: &str,
    what: &str,
    l: &str,
    i: &str,
    required: bool,
) -> Option<Option<Rating>> {
    let lf = format!("{field}_likelihood");
    let imf = format!("{field}_impact");
    let l = e.check(&lf, level(&format!("{what} likelihood"), l))?;
    let i = e.check(&imf, level(&format!("{what} impact"), i))?;
    match (l, i) {
        (None, None) if !required => Some(None),
        (Some(l), Some(i)) => {
            let r = Rating { likelihood: l, impact: i };
            if matrix.holds(r) {
                Some(Some(r))
            } else {
                e.add(
                    &lf,
                    format!(
                        "The {what} rating {} is not on the register's matrix: likelihood is 1 to {}, impact 1 to {}",
                        r.words(),
                        matrix.likelihood.len(),
                        matrix.impact.len()
                    ),
                );
                None
            }
        }
        (None, _) => {
            e.add(&lf, format!("Select the {what} likelihood"));
            None
        }
        (_, None) => {
            e.add(&imf, format!("Select the {what} impact"));
            None
        }
    }
}

/// A review date: required, and not before today.
fn review_date(e: &mut FieldErrors, raw: &str, today: NaiveDate) -> Option<NaiveDate> {
    let d = e.check("review_on", validation::required_date("the next review date", raw))?;
    if d < today {
        e.add("review_on", format!("The next review date must be today or later, not {}", validation::long_date(d)));
        return None;
    }
    Some(d)
}

/// What a form or API request sends for a risk, before validation.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RiskInput {
    /// The register's own numbering: "1.1", "2.3".
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub category_id: String,
    /// The risk.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub consequence: String,
    /// Who owns it, as the register names them ("Business Manager", "Partner agencies").
    #[serde(default)]
    pub owner: String,
    /// The account of the owner, who rates it and is reminded of its review.
    #[serde(default)]
    pub owner_email: String,
    #[serde(default)]
    pub inherent_likelihood: String,
    #[serde(default)]
    pub inherent_impact: String,
    #[serde(default)]
    pub current_likelihood: String,
    #[serde(default)]
    pub current_impact: String,
    #[serde(default)]
    pub target_likelihood: String,
    #[serde(default)]
    pub target_impact: String,
    /// When the target rating should be reached.
    #[serde(default)]
    pub target_date: String,
    /// Why the target is worse than the current rating, when it is.
    #[serde(default)]
    pub target_reason: String,
    #[serde(default)]
    pub review_on: String,
}

/// A risk's own fields, valid: what editing a risk changes (its ratings change by review).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskDetails {
    pub reference: String,
    pub category_id: i64,
    pub title: String,
    pub consequence: Option<String>,
    pub owner: String,
    pub owner_email: Option<String>,
    pub target_date: Option<NaiveDate>,
    pub review_on: NaiveDate,
}

/// A valid new risk: its fields and its first ratings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRisk {
    pub details: RiskDetails,
    pub inherent: Option<Rating>,
    pub current: Rating,
    pub target: Option<Rating>,
    pub target_reason: Option<String>,
}

/// A target worse than the current rating needs a reason.
fn target_reason(
    e: &mut FieldErrors,
    current: Option<Rating>,
    target: Option<Rating>,
    raw: &str,
) -> Option<Option<String>> {
    let reason = e.check("target_reason", validation::optional_text("why the target is worse", raw, 1_000))?;
    if let (Some(c), Some(t), None) = (current, target, &reason)
        && t.score() > c.score()
    {
        e.add(
            "target_reason",
            format!(
                "Say why the target rating ({}, a score of {}) is worse than the current rating ({}, {})",
                t.words(),
                t.score(),
                c.words(),
                c.score()
            ),
        );
        return None;
    }
    Some(reason)
}

impl RiskInput {
    fn details(&self, e: &mut FieldErrors, today: NaiveDate) -> Option<RiskDetails> {
        let reference = e.check("reference", validation::required_text("the risk's reference", &self.reference, 20));
        let category_id = match optional_id("the category", &self.category_id) {
            Ok(Some(id)) => Some(id),
            Ok(None) => {
                e.add("category_id", "Select the category");
                None
            }
            Err(m) => {
                e.add("category_id", m);
                None
            }
        };
        let title = e.check("title", validation::required_text("the risk", &self.title, MAX_TEXT));
        let consequence =
            e.check("consequence", validation::optional_text("the consequence", &self.consequence, MAX_TEXT));
        let owner = e.check("owner", validation::required_text("who owns the risk", &self.owner, 200));
        let owner_email = if self.owner_email.trim().is_empty() {
            Some(None)
        } else {
            e.check("owner_email", validation::email(&self.owner_email)).map(Some)
        };
        let target_date = e.check("target_date", validation::optional_date("the target date", &self.target_date));
        let review_on = review_date(e, &self.review_on, today);
        Some(RiskDetails {
            reference: reference?,
            category_id: category_id?,
            title: title?,
            consequence: consequence?,
            owner: owner?,
            owner_email: owner_email?,
            target_date: target_date?,
            review_on: review_on?,
        })
    }

    /// A risk's own fields, for editing it (the rating fields are not read).
    pub fn validate_details(&self, today: NaiveDate) -> Validated<RiskDetails> {
        let mut e = FieldErrors::new();
        let details = self.details(&mut e, today);
        match details {
            Some(d) if e.is_empty() => Ok(d),
            _ => Err(e),
        }
    }

    /// A new risk: its fields and its first ratings, on `matrix`.
    pub fn validate(&self, matrix: &Matrix, today: NaiveDate) -> Validated<NewRisk> {
        let mut e = FieldErrors::new();
        let details = self.details(&mut e, today);
        let inherent =
            rating(&mut e, matrix, "inherent", "inherent", &self.inherent_likelihood, &self.inherent_impact, false);
        let current =
            rating(&mut e, matrix, "current", "current", &self.current_likelihood, &self.current_impact, true);
        let target = rating(&mut e, matrix, "target", "target", &self.target_likelihood, &self.target_impact, false);
        let reason = target_reason(&mut e, current.flatten(), target.flatten(), &self.target_reason);
        match (details, inherent, current, target, reason) {
            (Some(details), Some(inherent), Some(Some(current)), Some(target), Some(target_reason)) if e.is_empty() => {
                Ok(NewRisk { details, inherent, current, target, target_reason })
            }
            _ => Err(e),
        }
    }
}

/// A risk's owner reviewing it: the current rating (changed or confirmed), the target if it
/// changes, why, and when it is next reviewed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RatingInput {
    #[serde(default)]
    pub current_likelihood: String,
    #[serde(default)]
    pub current_impact: String,
    /// Blank: the target stays as it is.
    #[serde(default)]
    pub target_likelihood: String,
    #[serde(default)]
    pub target_impact: String,
    #[serde(default)]
    pub target_reason: String,
    /// What changed, or why the rating stands.
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub review_on: String,
}

/// A valid review of a risk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRating {
    pub current: Rating,
    pub target: Option<Rating>,
    pub target_reason: Option<String>,
    pub reason: String,
    pub review_on: NaiveDate,
}

impl RatingInput {
    /// `target_now` is the risk's target as it stands, against which a new current rating is
    /// also checked.
    pub fn validate(&self, matrix: &Matrix, target_now: Option<Rating>, today: NaiveDate) -> Validated<NewRating> {
        let mut e = FieldErrors::new();
        let current =
            rating(&mut e, matrix, "current", "current", &self.current_likelihood, &self.current_impact, true);
        let target = rating(&mut e, matrix, "target", "target", &self.target_likelihood, &self.target_impact, false);
        let effective_target = target.flatten().or(target_now);
        let target_reason = target_reason(&mut e, current.flatten(), effective_target, &self.target_reason);
        let reason =
            e.check("reason", validation::required_text("what changed, or why the rating stands", &self.reason, 2_000));
        let review_on = review_date(&mut e, &self.review_on, today);
        match (current, target, target_reason, reason, review_on) {
            (Some(Some(current)), Some(target), Some(target_reason), Some(reason), Some(review_on)) if e.is_empty() => {
                Ok(NewRating { current, target, target_reason, reason, review_on })
            }
            _ => Err(e),
        }
    }
}

/// A change of a risk's status, with the reason tolerating or closing it needs.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct StatusInput {
    #[serde(default)]
    pub status: String,
    /// Also read as `status_reason` (a risk's page has a review's `reason` field too).
    #[serde(default, alias = "status_reason")]
    pub reason: String,
}

impl StatusInput {
    pub fn validate(&self) -> Validated<(Status, Option<String>)> {
        let mut e = FieldErrors::new();
        let status = Status::parse(self.status.trim());
        if status.is_none() {
            e.add("status", "Select the risk's status");
        }
        let reason = e.check("reason", validation::optional_text("the reason", &self.reason, 2_000));
        if let (Some(s @ (Status::Tolerated | Status::Closed)), Some(None)) = (status, &reason) {
            e.add("reason", format!("Say why the risk is {}", s.label().to_lowercase()));
        }
        match (status, reason) {
            (Some(status), Some(reason)) if e.is_empty() => Ok((status, reason)),
            _ => Err(e),
        }
    }
}

/// A control on a risk as a form sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ControlInput {
    #[serde(default)]
    pub description: String,
    /// Who owns the control, as the register names them.
    #[serde(default)]
    pub owner: String,
    /// When it is due or how often it runs ("Ongoing", "Quarterly", "Feb 2018").
    #[serde(default)]
    pub timeframe: String,
    /// "true" when the control is in place, not yet planned.
    #[serde(default)]
    pub in_place: String,
}

/// A valid control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewControl {
    pub description: String,
    pub owner: Option<String>,
    pub timeframe: Option<String>,
    pub in_place: bool,
}

impl ControlInput {
    pub fn validate(&self) -> Validated<NewControl> {
        let mut e = FieldErrors::new();
        let description = e.check("description", validation::required_text("the control", &self.description, MAX_TEXT));
        let owner = e.check("owner", validation::optional_text("who owns the control", &self.owner, 200));
        let timeframe = e.check("timeframe", validation::optional_text("the timeframe", &self.timeframe, 100));
        let in_place = e.check("in_place", flag(&self.in_place));
        match (description, owner, timeframe, in_place) {
            (Some(description), Some(owner), Some(timeframe), Some(in_place)) if e.is_empty() => {
                Ok(NewControl { description, owner, timeframe, in_place })
            }
            _ => Err(e),
        }
    }
}

/// How the current rating moved between the two latest reviews (`previous` none: a new risk).
pub fn direction(previous: Option<Rating>, latest: Rating) -> Direction {
    match previous {
        None => Direction::New,
        Some(p) if latest.score() > p.score() => Direction::Worse,
        Some(p) if latest.score() < p.score() => Direction::Better,
        Some(_) => Direction::Same,
    }
}

/// Whether a risk's current rating is above its category's appetite.
pub fn above_appetite(current: Rating, appetite: Option<u32>) -> bool {
    appetite.is_some_and(|a| current.score() > a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn four() -> Matrix {
        super::matrix::four_by_four()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date")
    }

    fn risk() -> RiskInput {
        RiskInput {
            reference: "1.1".into(),
            category_id: "3".into(),
            title: "There is insufficient funding".into(),
            owner: "Business Manager".into(),
            current_likelihood: "4".into(),
            current_impact: "3".into(),
            target_likelihood: "1".into(),
            target_impact: "1".into(),
            review_on: "2027-01-15".into(),
            ..RiskInput::default()
        }
    }
    #[test]
    fn a_risk_rated_off_the_matrix_is_refused_with_the_matrix_in_the_message() {
        let mut input = risk();
        input.current_likelihood = "5".into();
        let e = input.validate(&four(), today()).expect_err("refused");
        assert_eq!(
            e.get("current_likelihood"),
            Some("The current rating 5 × 3 is not on the register's matrix: likelihood is 1 to 4, impact 1 to 4")
        );
    }

    #[test]
    fn a_target_worse_than_the_current_rating_needs_a_reason() {
        let mut input = risk();
        input.target_likelihood = "4".into();
        input.target_impact = "4".into();
        let e = input.validate(&four(), today()).expect_err("refused");
        assert!(e.get("target_reason").is_some_and(|m| m.contains("worse than the current rating (4 × 3, 12)")));
        input.target_reason = "Funding is expected to fall further next year".into();
        let ok = input.validate(&four(), today()).expect("accepted with a reason");
        assert_eq!(ok.target, Some(Rating { likelihood: 4, impact: 4 }));
    }

    #[test]
    fn a_review_date_in_the_past_is_refused() {
        let mut input = risk();
        input.review_on = "2026-11-29".into();
        let e = input.validate(&four(), today()).expect_err("refused");
        assert_eq!(e.get("review_on"), Some("The next review date must be today or later, not 29 November 2026"));
        input.review_on = "2026-11-30".into();
        assert!(input.validate(&four(), today()).is_ok());
    }

    #[test]
    fn a_review_needs_its_reason_and_is_checked_against_the_standing_target() {
        let input = RatingInput {
            current_likelihood: "1".into(),
            current_impact: "1".into(),
            review_on: "2027-03-01".into(),
            ..RatingInput::default()
        };
        let e = input.validate(&four(), None, today()).expect_err("refused");
        assert!(e.get("reason").is_some_and(|m| m.starts_with("Enter what changed")));
        let with_reason = RatingInput { reason: "Budget agreed for three years".into(), ..input };
        // The standing target (2 × 2) is now worse than the new current rating: say why or change it.
        let target = Some(Rating { likelihood: 2, impact: 2 });
        assert!(with_reason.validate(&four(), target, today()).expect_err("refused").get("target_reason").is_some());
        let ok = with_reason.validate(&four(), Some(Rating { likelihood: 1, impact: 1 }), today()).expect("valid");
        assert_eq!((ok.current, ok.target), (Rating { likelihood: 1, impact: 1 }, None));
    }

    #[test]
    fn closing_or_tolerating_a_risk_needs_a_reason() {
        let closed = StatusInput { status: "closed".into(), reason: String::new() };
        assert_eq!(closed.validate().expect_err("refused").get("reason"), Some("Say why the risk is closed"));
        let open = StatusInput { status: "open".into(), reason: String::new() };
        assert_eq!(open.validate(), Ok((Status::Open, None)));
    }

    #[test]
    fn direction_of_travel_compares_scores() {
        let r = |l, i| Rating { likelihood: l, impact: i };
        assert_eq!(direction(None, r(2, 2)), Direction::New);
        assert_eq!(direction(Some(r(1, 1)), r(4, 3)), Direction::Worse);
        assert_eq!(direction(Some(r(4, 3)), r(2, 3)), Direction::Better);
        assert_eq!(direction(Some(r(2, 3)), r(3, 2)), Direction::Same);
        assert!(above_appetite(r(4, 3), Some(8)));
        assert!(!above_appetite(r(2, 4), Some(8)));
        assert!(!above_appetite(r(4, 4), None));
    }

    #[test]
    fn an_appetite_is_a_score_on_the_matrix() {
        let bad = AppetiteInput { appetite: "17".into(), agreed: String::new() };
        assert_eq!(
            bad.validate(&four()).expect_err("refused").get("appetite"),
            Some("Enter the appetite as a score from 1 to 16, or leave it blank")
        );
        let ok = AppetiteInput { appetite: "8".into(), agreed: "Board, March 2024".into() };
        assert_eq!(ok.validate(&four()).map(|a| a.appetite), Ok(Some(8)));
    }
}
