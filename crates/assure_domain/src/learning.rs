//! The learning loop: recommendations (from a case review now; audits and inspections later)
//! become actions owned by agencies, actions gather progress updates and evidence of impact, and
//! the owning subgroup judges that evidence.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::structure::{Choice, choice};
use crate::validation::{FieldErrors, Validated, optional_id, required_date, required_id, required_text};

choice!(
    /// Who a recommendation is addressed to.
    RecScope {
        Local => ("local", "Local"),
        Regional => ("regional", "Regional"),
        National => ("national", "National"),
    }
);

choice!(
    ActionStatus {
        NotStarted => ("not_started", "Not started"),
        InProgress => ("in_progress", "In progress"),
        Completed => ("completed", "Completed"),
        Cancelled => ("cancelled", "Cancelled"),
    }
);

choice!(
    /// The owner's red / amber / green view of whether the action will achieve its aim on time.
    Rag { Red => ("red", "Red"), Amber => ("amber", "Amber"), Green => ("green", "Green") }
);

choice!(
    EvidenceKind {
        PracticeChange => ("practice_change", "Practice change"),
        Training => ("training", "Training"),
        Policy => ("policy", "Policy or procedure"),
        AuditResult => ("audit_result", "Audit result"),
        Data => ("data", "Data"),
    }
);

choice!(
    /// The owning subgroup's judgement of a piece of evidence.
    Judgement {
        Assured => ("assured", "Assured"),
        PartlyAssured => ("partly_assured", "Partly assured"),
        NotAssured => ("not_assured", "Not assured"),
    }
);

choice!(
    /// What the partnership decided about a recommendation (a review's finding, an audit's, an
    /// inspection's): to implement it, as every recommendation is until said otherwise, or not,
    /// with the reason. An adults' board's annual report must give the reasons for every finding
    /// it decided not to implement (Care Act 2014, schedule 2, paragraph 4(1)(g)).
    RecDecision {
        Implement => ("implement", "To be implemented"),
        NotImplement => ("not_implement", "Decided not to implement"),
    }
);

/// A decision on a recommendation as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionInput {
    pub decision: String,
    /// Why: required to decide not to implement it.
    pub reason: String,
    /// The day it was decided (the meeting's, say): not in the future.
    pub decided_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    pub decision: RecDecision,
    pub reason: Option<String>,
    pub decided_on: NaiveDate,
}

impl DecisionInput {
    pub fn validate(&self, today: NaiveDate) -> Validated<NewDecision> {
        let mut e = FieldErrors::new();
        let decision = e.check("decision", choose::<RecDecision>("what was decided", &self.decision));
        let reason = e.check("reason", crate::validation::optional_text("the reason", &self.reason, 4000));
        let decided_on = e.check("decided_on", required_date("the day it was decided", &self.decided_on));
        if decided_on.is_some_and(|d| d > today) {
            e.add("decided_on", "The day it was decided must be today or in the past");
        }
        if decision == Some(RecDecision::NotImplement) && reason.as_ref().is_some_and(Option::is_none) {
            e.add("reason", "Enter why it will not be implemented");
        }
        let (Some(decision), Some(reason), Some(decided_on)) = (decision, reason, decided_on) else { return Err(e) };
        e.into_result(|| NewDecision { decision, reason, decided_on })
    }
}

impl ActionStatus {
    /// Finished one way or the other: no longer on the open plan, never overdue.
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Completed | ActionStatus::Cancelled)
    }
}

/// An action is overdue once its target date has passed while it is still open.
pub fn is_overdue(status: ActionStatus, target_on: NaiveDate, today: NaiveDate) -> bool {
    !status.is_closed() && target_on < today
}

fn choose<C: Choice>(label: &str, raw: &str) -> Result<C, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(format!("Select {label}"));
    }
    C::parse(raw).ok_or_else(|| format!("Select {label} from the list"))
}

fn optional_choice<C: Choice>(label: &str, raw: &str) -> Result<Option<C>, String> {
    if raw.trim().is_empty() { Ok(None) } else { choose(label, raw).map(Some) }
}

/// A recommendation as typed into the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RecommendationInput {
    /// As numbered in the report: "1", "2a".
    pub number: String,
    pub text: String,
    pub scope: String,
    /// The subgroup that owns it and judges its evidence.
    pub body_id: String,
    pub theme_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecommendation {
    pub number: String,
    pub text: String,
    pub scope: RecScope,
    pub body_id: i64,
    pub theme_id: Option<i64>,
}

impl RecommendationInput {
    pub fn validate(&self) -> Validated<NewRecommendation> {
        let mut e = FieldErrors::new();
        let number = e.check("number", required_text("the recommendation's number", &self.number, 20));
        let text = e.check("text", required_text("the recommendation", &self.text, 4000));
        let scope = e.check("scope", choose::<RecScope>("who the recommendation is for", &self.scope));
        let body_id = e.check("body_id", required_id("the subgroup that owns it", &self.body_id));
        let theme_id = e.check("theme_id", optional_id("the theme", &self.theme_id));
        let (Some(number), Some(text), Some(scope), Some(body_id), Some(theme_id)) =
            (number, text, scope, body_id, theme_id)
        else {
            return Err(e);
        };
        e.into_result(|| NewRecommendation { number, text, scope, body_id, theme_id })
    }
}

/// An action as typed into the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActionInput {
    /// What is to be done.
    pub action: String,
    /// The lead organisation.
    pub organisation_id: String,
    /// The named owner: a person's name and role, for example "Head of Service, Children's Social Care".
    pub owner: String,
    /// The owner's account, when they have one: their actions appear in their tasks and reminders.
    pub owner_email: String,
    pub target_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub text: String,
    pub organisation_id: i64,
    pub owner: String,
    pub owner_email: Option<String>,
    pub target_on: NaiveDate,
}

impl ActionInput {
    pub fn validate(&self) -> Validated<NewAction> {
        let mut e = FieldErrors::new();
        let text = e.check("action", required_text("the action", &self.action, 4000));
        let organisation_id = e.check("organisation_id", required_id("the lead organisation", &self.organisation_id));
        let owner = e.check("owner", required_text("the owner's name", &self.owner, 200));
        let owner_email = if self.owner_email.trim().is_empty() {
            Some(None)
        } else {
            e.check("owner_email", crate::validation::email(&self.owner_email).map(Some))
        };
        let target_on = e.check("target_on", required_date("the target date", &self.target_on));
        let (Some(text), Some(organisation_id), Some(owner), Some(owner_email), Some(target_on)) =
            (text, organisation_id, owner, owner_email, target_on)
        else {
            return Err(e);
        };
        e.into_result(|| NewAction { text, organisation_id, owner, owner_email, target_on })
    }
}

/// A progress update: what has happened, and the status and RAG it leaves the action at.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProgressInput {
    pub note: String,
    pub status: String,
    pub rag: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub note: String,
    pub status: ActionStatus,
    pub rag: Rag,
}

impl ProgressInput {
    pub fn validate(&self) -> Validated<Progress> {
        let mut e = FieldErrors::new();
        let note = e.check("note", required_text("what has happened", &self.note, 4000));
        let status = e.check("status", choose::<ActionStatus>("the status", &self.status));
        let rag = e.check("rag", choose::<Rag>("the RAG rating", &self.rag));
        let (Some(note), Some(status), Some(rag)) = (note, status, rag) else { return Err(e) };
        e.into_result(|| Progress { note, status, rag })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MilestoneInput {
    pub milestone: String,
    pub milestone_due_on: String,
}

impl MilestoneInput {
    /// A milestone is a step towards its action: it is due on or before the action's target.
    pub fn validate(&self, target_on: NaiveDate) -> Validated<(String, NaiveDate)> {
        let mut e = FieldErrors::new();
        let text = e.check("milestone", required_text("the milestone", &self.milestone, 500));
        let due = e.check("milestone_due_on", required_date("the milestone's date", &self.milestone_due_on));
        if let Some(due) = due
            && due > target_on
        {
            e.add(
                "milestone_due_on",
                format!(
                    "The milestone's date must be on or before the action's target date, {}",
                    crate::validation::long_date(target_on)
                ),
            );
        }
        let (Some(text), Some(due)) = (text, due) else { return Err(e) };
        e.into_result(|| (text, due))
    }
}

/// Evidence of impact as typed into the form; attachments come separately.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EvidenceInput {
    pub kind: String,
    pub narrative: String,
}

impl EvidenceInput {
    pub fn validate(&self) -> Validated<(EvidenceKind, String)> {
        let mut e = FieldErrors::new();
        let kind = e.check("kind", choose::<EvidenceKind>("the type of evidence", &self.kind));
        let narrative = e.check("narrative", required_text("what the evidence shows", &self.narrative, 8000));
        let (Some(kind), Some(narrative)) = (kind, narrative) else { return Err(e) };
        e.into_result(|| (kind, narrative))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct JudgementInput {
    pub judgement: String,
    pub comment: String,
}

impl JudgementInput {
    pub fn validate(&self) -> Validated<(Judgement, String)> {
        let mut e = FieldErrors::new();
        let judgement = e.check("judgement", choose::<Judgement>("the subgroup's judgement", &self.judgement));
        let comment = e.check("comment", required_text("the subgroup's comment", &self.comment, 4000));
        let (Some(judgement), Some(comment)) = (judgement, comment) else { return Err(e) };
        e.into_result(|| (judgement, comment))
    }
}

choice!(
    /// Where a recommendation on the plan came from.
    PlanSource {
        Review => ("review", "Case reviews"),
        Audit => ("audit", "Audits"),
        Inspection => ("inspection", "Inspections"),
        Partnership => ("partnership", "The partnership's own"),
    }
);

/// The Consolidated Action Plan's filters, from the page's query string or the API's.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct PlanFilterInput {
    pub organisation: String,
    pub theme: String,
    pub arm: String,
    pub status: String,
    /// review, audit, inspection or partnership: only the actions of recommendations from there.
    pub source: String,
    /// "yes": only overdue actions.
    pub overdue: String,
    pub page: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PlanFilter {
    pub organisation: Option<i64>,
    pub theme: Option<i64>,
    pub arm: Option<crate::structure::ArmKind>,
    /// None: every open action (not completed or cancelled).
    pub status: Option<ActionStatus>,
    pub source: Option<PlanSource>,
    pub overdue_only: bool,
}

impl PlanFilterInput {
    pub fn validate(&self) -> Validated<PlanFilter> {
        let mut e = FieldErrors::new();
        let organisation = e.check("organisation", optional_id("the organisation", &self.organisation));
        let theme = e.check("theme", optional_id("the theme", &self.theme));
        let arm = e.check("arm", optional_choice("the arm", &self.arm));
        let status = e.check("status", optional_choice("the status", &self.status));
        let source = e.check("source", optional_choice("where the recommendations came from", &self.source));
        let overdue_only = match self.overdue.trim() {
            "" | "no" => false,
            "yes" | "on" | "true" => true,
            _ => {
                e.add("overdue", "Overdue must be yes or no");
                false
            }
        };
        let (Some(organisation), Some(theme), Some(arm), Some(status), Some(source)) =
            (organisation, theme, arm, status, source)
        else {
            return Err(e);
        };
        e.into_result(|| PlanFilter { organisation, theme, arm, status, source, overdue_only })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn only_open_actions_past_their_target_are_overdue() {
        assert!(is_overdue(ActionStatus::InProgress, d("2025-01-31"), d("2025-02-01")));
        assert!(!is_overdue(ActionStatus::InProgress, d("2025-01-31"), d("2025-01-31")));
        assert!(!is_overdue(ActionStatus::Completed, d("2025-01-31"), d("2025-03-01")));
        assert!(!is_overdue(ActionStatus::Cancelled, d("2025-01-31"), d("2025-03-01")));
    }

    #[test]
    fn a_recommendation_names_every_missing_field() {
        let errors = RecommendationInput::default().validate().expect_err("empty");
        for field in ["number", "text", "scope", "body_id"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let bad = RecommendationInput { scope: "global".into(), ..Default::default() }.validate().expect_err("bad");
        assert_eq!(bad.get("scope"), Some("Select who the recommendation is for from the list"));
    }

    #[test]
    fn an_action_needs_a_real_target_date_and_a_valid_owner_email() {
        let input = ActionInput {
            action: "Refresh neglect training".into(),
            organisation_id: "3".into(),
            owner: "Head of Service".into(),
            owner_email: "not an email".into(),
            target_on: "2025-02-30".into(),
        };
        let errors = input.validate().expect_err("invalid");
        assert!(errors.get("owner_email").is_some());
        assert_eq!(errors.get("target_on"), Some("The target date must be a real date"));
        let ok = ActionInput { owner_email: String::new(), target_on: "2025-02-28".into(), ..input };
        assert_eq!(ok.validate().expect("valid").owner_email, None);
    }

    #[test]
    fn plan_filters_accept_blanks_and_refuse_unknown_values() {
        assert_eq!(PlanFilterInput::default().validate(), Ok(PlanFilter::default()));
        let f = PlanFilterInput { status: "completed".into(), overdue: "yes".into(), ..Default::default() };
        assert_eq!(f.validate().expect("valid").status, Some(ActionStatus::Completed));
        let bad = PlanFilterInput { status: "done".into(), ..Default::default() }.validate().expect_err("bad");
        assert!(bad.get("status").is_some());
    }

    #[test]
    fn a_judgement_needs_its_comment() {
        let e = JudgementInput { judgement: "assured".into(), comment: " ".into() }.validate().expect_err("no comment");
        assert_eq!(e.get("comment"), Some("Enter the subgroup's comment"));
    }

    #[test]
    fn deciding_not_to_implement_needs_a_reason_and_a_day_not_to_come() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let input = |decision: &str, reason: &str, on: &str| DecisionInput {
            decision: decision.into(),
            reason: reason.into(),
            decided_on: on.into(),
        };
        let e = input("not_implement", "", "2026-12-01").validate(today).unwrap_err();
        assert_eq!(e.get("reason"), Some("Enter why it will not be implemented"));
        assert_eq!(e.get("decided_on"), Some("The day it was decided must be today or in the past"));
        let e = input("", "", "").validate(today).unwrap_err();
        assert_eq!(e.get("decision"), Some("Select what was decided"));
        let ok = input("not_implement", "A national change made it unnecessary", "2026-11-30").validate(today).unwrap();
        assert_eq!(ok.decision, RecDecision::NotImplement);
        let ok = input("implement", "", "2026-11-02").validate(today).unwrap();
        assert_eq!((ok.decision, ok.reason), (RecDecision::Implement, None));
    }
}
