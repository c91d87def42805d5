//! Review types as configuration: which stages a type passes through and which statutory clocks
//! run, read from `config/review_types.toml` and checked whole.

use super::*;

/// How a clock's due date follows from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Rule {
    /// Working days after the start, or before it when negative.
    WorkingDays(i32),
    /// Calendar months after the start.
    Months(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockRule {
    pub code: String,
    pub label: String,
    pub start: DateField,
    pub rule: Rule,
    pub met_by: DateField,
    /// Working days ahead of the due date at which the clock turns "due soon".
    pub due_soon: u32,
}

/// The arm a type belongs to, or either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TypeArm {
    Only(ArmKind),
    Either,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewType {
    pub code: String,
    pub name: String,
    pub arm: TypeArm,
    pub stages: Vec<Stage>,
    pub clocks: Vec<ClockRule>,
    /// Each statutory partner signs the decision off (children's reviews).
    pub statutory_signoff: bool,
    /// The Care Act 2014 s44 conditions are recorded at the decision (adults' reviews).
    pub care_act_s44: bool,
    /// A child death review: the Child Death Overview Panel records its findings (the category
    /// of death, modifiable factors), which the partnership reports.
    pub child_death: bool,
}

impl ReviewType {
    pub fn allows_arm(&self, arm: ArmKind) -> bool {
        match self.arm {
            TypeArm::Only(a) => a == arm,
            TypeArm::Either => true,
        }
    }

    /// The stages a review of this type may move to from `current`.
    pub fn next_stages(&self, current: Stage, decision: Option<Decision>) -> Vec<Stage> {
        let Some(i) = self.stages.iter().position(|s| *s == current) else { return Vec::new() };
        let rest = &self.stages[i + 1..];
        let publication = |s: &&Stage| matches!(s, Stage::Published | Stage::NotPublished);
        match current {
            Stage::Closed => Vec::new(),
            Stage::Decision => match decision {
                Some(Decision::Review) => rest.first().copied().into_iter().collect(),
                Some(Decision::OtherRoute | Decision::NoReview) => vec![Stage::Closed],
                None => Vec::new(),
            },
            Stage::FinalSignoff if rest.iter().any(|s| publication(&s)) => {
                rest.iter().filter(publication).copied().collect()
            }
            Stage::Published | Stage::NotPublished => {
                rest.iter().find(|s| !publication(s)).copied().into_iter().collect()
            }
            _ => rest.first().copied().into_iter().collect(),
        }
    }
}

/// Every review type, as loaded from configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ReviewTypes(pub Vec<ReviewType>);

impl ReviewTypes {
    pub fn get(&self, code: &str) -> Option<&ReviewType> {
        self.0.iter().find(|t| t.code == code)
    }
}

/// A review type as written in the configuration file, before it is checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReviewType {
    pub code: String,
    pub name: String,
    pub arm: String,
    pub stages: Vec<String>,
    #[serde(default)]
    pub statutory_signoff: bool,
    #[serde(default)]
    pub care_act_s44: bool,
    #[serde(default)]
    pub child_death: bool,
    #[serde(default, rename = "clock")]
    pub clocks: Vec<RawClock>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClock {
    pub code: String,
    pub label: String,
    pub start: String,
    #[serde(default)]
    pub working_days: Option<i32>,
    #[serde(default)]
    pub months: Option<u32>,
    pub met_by: String,
    #[serde(default)]
    pub due_soon: u32,
}

/// Checks the configuration: every problem is reported, naming the type and the field.
pub fn check_types(raw: Vec<RawReviewType>) -> Result<ReviewTypes, Vec<String>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (i, t) in raw.into_iter().enumerate() {
        let at = if t.code.is_empty() { format!("type {}", i + 1) } else { format!("type {}", t.code) };
        if t.code.is_empty() || !t.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            problems.push(format!("{at}: code must be lower-case letters, digits and underscores"));
        }
        if seen.contains(&t.code) {
            problems.push(format!("{at}: the code is used twice"));
        }
        seen.push(t.code.clone());
        let arm = match t.arm.as_str() {
            "either" => Some(TypeArm::Either),
            other => ArmKind::parse(other).map(TypeArm::Only),
        };
        if arm.is_none() {
            problems.push(format!("{at}: arm must be children, adults or either"));
        }
        let stages: Vec<Stage> = t
            .stages
            .iter()
            .filter_map(|s| {
                let parsed = Stage::parse(s);
                if parsed.is_none() {
                    problems.push(format!("{at}: unknown stage {s}"));
                }
                parsed
            })
            .collect();
        // Every death of a child is reviewed: a child death review has no decision whether to.
        if stages.first() != Some(&Stage::Referral)
            || stages.last() != Some(&Stage::Closed)
            || (!stages.contains(&Stage::Decision) && !t.child_death)
        {
            problems.push(format!(
                "{at}: stages must start with referral, include decision (but for a child death review) and end with closed"
            ));
        }
        let mut clocks = Vec::new();
        for c in &t.clocks {
            let cat = format!("{at}, clock {}", c.code);
            let start = DateField::parse(&c.start);
            let met_by = DateField::parse(&c.met_by);
            if start.is_none() {
                problems.push(format!("{cat}: unknown start date {}", c.start));
            }
            if met_by.is_none() {
                problems.push(format!("{cat}: unknown met_by date {}", c.met_by));
            }
            let rule = match (c.working_days, c.months) {
                (Some(0), None) | (None, Some(0)) => {
                    problems.push(format!("{cat}: a clock of zero days or months is not a clock"));
                    None
                }
                (Some(n), None) => Some(Rule::WorkingDays(n)),
                (None, Some(m)) => Some(Rule::Months(m)),
                _ => {
                    problems.push(format!("{cat}: give either working_days or months"));
                    None
                }
            };
            if let (Some(start), Some(rule), Some(met_by)) = (start, rule, met_by) {
                clocks.push(ClockRule {
                    code: c.code.clone(),
                    label: c.label.clone(),
                    start,
                    rule,
                    met_by,
                    due_soon: c.due_soon,
                });
            }
        }
        if let Some(arm) = arm {
            out.push(ReviewType {
                code: t.code,
                name: t.name,
                arm,
                stages,
                clocks,
                statutory_signoff: t.statutory_signoff,
                care_act_s44: t.care_act_s44,
                child_death: t.child_death,
            });
        }
    }
    if problems.is_empty() { Ok(ReviewTypes(out)) } else { Err(problems) }
}
