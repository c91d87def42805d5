//! What people type to record a review and move it on: checked against the review's type, its
//! stage and its dates.

use super::*;

/// A new review: the serious incident or referral as first recorded.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewReviewInput {
    #[serde(default)]
    pub type_code: String,
    #[serde(default)]
    pub arm: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub aware_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    pub type_code: String,
    pub arm: ArmKind,
    pub subject: String,
    pub summary: Option<String>,
    pub aware_on: NaiveDate,
}

/// Subjects are pseudonyms ("Child H", "SAR B", "Adult Q"): short, and no full names.
pub fn pseudonym(raw: &str) -> Result<String, String> {
    let value = validation::required_text("the subject's pseudonym", raw, 40)?;
    let words = value.split_whitespace().count();
    if words > 3 {
        return Err("Use a pseudonym such as Child H or SAR B, not a name".into());
    }
    Ok(value)
}

impl NewReviewInput {
    pub fn validate(&self, types: &ReviewTypes, today: NaiveDate) -> Validated<NewReview> {
        let mut e = FieldErrors::new();
        let kind = types.get(self.type_code.trim());
        if kind.is_none() {
            e.add(
                "type_code",
                if self.type_code.trim().is_empty() {
                    "Select the type of review"
                } else {
                    "Select the type of review from the list"
                },
            );
        }
        let arm = match ArmKind::parse(self.arm.trim()) {
            Some(a) => Some(a),
            None => {
                e.add("arm", "Select the arm");
                None
            }
        };
        if let (Some(t), Some(a)) = (kind, arm)
            && !t.allows_arm(a)
        {
            e.add("arm", format!("A {} belongs to the other arm", t.name.to_lowercase()));
        }
        let subject = e.check("subject", pseudonym(&self.subject));
        let summary = e.check("summary", validation::optional_text("the summary", &self.summary, 4000));
        let aware_on =
            e.check("aware_on", validation::required_date("the date the partnership became aware", &self.aware_on));
        if let Some(d) = aware_on
            && d > today
        {
            e.add("aware_on", "The date the partnership became aware cannot be in the future");
        }
        match (kind, arm, subject, summary, aware_on) {
            (Some(t), Some(arm), Some(subject), Some(summary), Some(aware_on)) if e.is_empty() => {
                Ok(NewReview { type_code: t.code.clone(), arm, subject, summary, aware_on })
            }
            _ => Err(e),
        }
    }
}

/// Moving a review to its next stage.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TransitionInput {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub note: String,
    /// At the decision.
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub signed_la: String,
    #[serde(default)]
    pub signed_police: String,
    #[serde(default)]
    pub signed_icb: String,
    #[serde(default)]
    pub s44_needs: String,
    #[serde(default)]
    pub s44_concern: String,
    #[serde(default)]
    pub s44_harm: String,
    /// At "not published".
    #[serde(default)]
    pub reason: String,
    /// At "published", when no notice to the Panel and the Secretary of State was recorded: why
    /// none was needed.
    #[serde(default)]
    pub notice_not_needed: String,
}

/// A transition that has been checked against the review's type, stage and dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub to: Stage,
    pub on: NaiveDate,
    pub note: Option<String>,
    pub decision: Option<Decision>,
    pub rationale: Option<String>,
    pub reason: Option<String>,
    /// At publication without a notice: why none was needed.
    pub notice_not_needed: Option<String>,
    /// The review's dates once the transition is made.
    pub dates: ReviewDates,
}

fn checked(raw: &str) -> bool {
    matches!(raw.trim(), "true" | "on" | "yes" | "1")
}

impl TransitionInput {
    pub fn validate(
        &self,
        kind: &ReviewType,
        current: Stage,
        decision: Option<Decision>,
        dates: &ReviewDates,
        today: NaiveDate,
    ) -> Validated<Transition> {
        let mut e = FieldErrors::new();
        let allowed = kind.next_stages(current, decision);
        let to = match Stage::parse(self.to.trim()) {
            Some(s) if allowed.contains(&s) => Some(s),
            Some(s) => {
                let names: Vec<&str> = allowed.iter().map(|s| s.label()).collect();
                e.add(
                    "to",
                    if names.is_empty() {
                        format!(
                            "A review at \"{}\" cannot move to \"{}\": it has no next stage",
                            current.label(),
                            s.label()
                        )
                    } else {
                        format!(
                            "A review at \"{}\" cannot move to \"{}\"; it can move to: {}",
                            current.label(),
                            s.label(),
                            names.join(", ")
                        )
                    },
                );
                None
            }
            None => {
                e.add("to", "Select the stage the review moves to");
                None
            }
        };
        let on = e.check("on", validation::required_date("the date", &self.on));
        if let Some(d) = on
            && d > today
        {
            e.add("on", "The date cannot be in the future");
        }
        let note = e.check("note", validation::optional_text("the note", &self.note, 4000)).flatten();
        let mut new_decision = None;
        let mut rationale = None;
        let mut reason = None;
        if to == Some(Stage::Decision) {
            new_decision = match Decision::parse(self.decision.trim()) {
                Some(d) => Some(d),
                None => {
                    e.add("decision", "Select the decision");
                    None
                }
            };
            rationale = e
                .check("rationale", validation::required_text("the rationale for the decision", &self.rationale, 4000));
            if kind.statutory_signoff
                && !(checked(&self.signed_la) && checked(&self.signed_police) && checked(&self.signed_icb))
            {
                e.add(
                    "signed_la",
                    "Each statutory partner (local authority, police and ICB) must sign the decision off",
                );
            }
            if kind.care_act_s44 && new_decision == Some(Decision::Review) {
                let met = [&self.s44_needs, &self.s44_concern, &self.s44_harm].iter().filter(|v| checked(v)).count();
                if kind.code == "sar_mandatory" && met < 3 {
                    e.add(
                        "s44_needs",
                        "A mandatory safeguarding adults review needs all three Care Act s44 conditions",
                    );
                }
            }
        }
        if to == Some(Stage::NotPublished) {
            reason = e.check("reason", validation::required_text("the reason for not publishing", &self.reason, 4000));
        }
        // A type whose clocks include the notice before publication is published only with the
        // notice recorded, or with the reason none was needed.
        let mut notice_not_needed = None;
        let needs_notice = kind.clocks.iter().any(|c| c.met_by == DateField::NoticeSentOn);
        if to == Some(Stage::Published) && needs_notice && dates.notice_sent_on.is_none() {
            notice_not_needed = e.check(
                "notice_not_needed",
                validation::required_text("why no notice to the Panel and the Secretary of State was needed (or record the date it was sent, under Publication)", &self.notice_not_needed, 2000),
            );
        }
        let mut after = dates.clone();
        after.notice_not_needed = dates.notice_not_needed || notice_not_needed.is_some();
        // Published with no date planned: the day of publication is the one the notice ran to.
        if let (Some(Stage::Published), Some(on)) = (to, on)
            && after.planned_publication_on.is_none()
        {
            after.planned_publication_on = Some(on);
        }
        if let (Some(to), Some(on)) = (to, on) {
            if let Some(field) = date_set_by(to) {
                after.set(field, Some(on));
            }
            if let Err((_, message)) = after.check_order() {
                e.add("on", message);
            }
        }
        match (to, on) {
            (Some(to), Some(on)) if e.is_empty() => Ok(Transition {
                to,
                on,
                note,
                decision: new_decision,
                rationale,
                reason,
                notice_not_needed,
                dates: after,
            }),
            _ => Err(e),
        }
    }
}
