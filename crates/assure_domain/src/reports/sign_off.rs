//! Signing a report off: the independent scrutineer reviews the draft (comments on its sections,
//! then records the review), each statutory partner agrees it, and the business unit publishes
//! it, after which it is kept exactly as published. Every gap the completeness check names is put
//! right or explained in the report before the partners agree. The rules here are pure: which
//! step may be taken in which state, and the inputs of each step with their checks.

use chrono::NaiveDate;
use serde::Deserialize;

use super::SectionKey;
use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

/// The longest explanation of a gap, a comment, a response or a review's summary, in characters.
pub const MAX_NOTE_CHARS: usize = 4_000;
/// The longest "who agreed" (a name and a role), in characters.
pub const MAX_AGREED_BY_CHARS: usize = 200;

choice!(
    /// Where a report stands. Agreements are recorded while it is reviewed; it is published once
    /// every statutory partner has agreed.
    ReportStatus {
        Draft => ("draft", "Draft"),
        Reviewed => ("reviewed", "Reviewed by the scrutineer"),
        Published => ("published", "Published"),
    }
);

/// A step of the sign-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Writing a section's words or explaining a gap.
    Write,
    /// The scrutineer's comment on a section, or the business unit's response to one.
    Comment,
    /// The scrutineer records their review of the draft.
    Review,
    /// A statutory partner's agreement is recorded.
    Agree,
    /// Agreements are withdrawn and the report goes back to draft.
    Reopen,
    /// The report is published and kept as it is.
    Publish,
}

/// Where a report's sign-off stands, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignOff {
    pub status: ReportStatus,
    /// Statutory partners whose agreement is recorded.
    pub agreed: usize,
    /// Statutory partners of the partnership (whose agreement publication needs).
    pub partners: usize,
    /// Gaps neither put right nor explained.
    pub unexplained: usize,
    /// The statutory partners agree it before it is published (not a scrutiny report, which is
    /// the scrutineer's own: their review is their signature, and the words are theirs until
    /// reopened).
    pub partners_agree: bool,
}

impl SignOff {
    /// Why `step` may not be taken now, or `None` when it may.
    pub fn refuses(&self, step: Step) -> Option<String> {
        use ReportStatus::*;
        if self.status == Published {
            return Some("The report is published: it is kept exactly as it was published".into());
        }
        let gaps = || {
            (self.unexplained > 0).then(|| {
                format!(
                    "Put right or explain every gap first: {} {} neither",
                    self.unexplained,
                    if self.unexplained == 1 { "is" } else { "are" }
                )
            })
        };
        match step {
            Step::Write if !self.partners_agree && self.status == Reviewed => {
                Some("The scrutineer has signed this report: reopen it to change it".into())
            }
            Step::Agree if !self.partners_agree => {
                Some("Partners respond to the recommendations of a scrutiny report rather than agree it".into())
            }
            Step::Publish if !self.partners_agree && self.status != Reviewed => {
                Some("The independent scrutineer signs the report before it is published".into())
            }
            Step::Publish if !self.partners_agree => gaps(),
            Step::Write if self.agreed > 0 => {
                Some("Partners have agreed this report: reopen it to change it (their agreements are withdrawn)".into())
            }
            Step::Write | Step::Comment => None,
            Step::Review if self.status == Reviewed => Some("The scrutineer has already reviewed this report".into()),
            Step::Review => None,
            Step::Agree if self.status != Reviewed => {
                Some("The independent scrutineer reviews the report before partners agree it".into())
            }
            Step::Agree => gaps(),
            Step::Reopen if self.status == Draft => Some("The report is already a draft".into()),
            Step::Reopen => None,
            Step::Publish if self.status != Reviewed => {
                Some("The independent scrutineer reviews the report before it is published".into())
            }
            Step::Publish if self.partners == 0 => {
                Some("The partnership has no statutory partners recorded to agree the report".into())
            }
            Step::Publish if self.agreed < self.partners => Some(format!(
                "Every statutory partner agrees the report before it is published: {} of {} have",
                self.agreed, self.partners
            )),
            Step::Publish => gaps(),
        }
    }
}

/// An explanation, printed in the report, of a gap the records cannot fill.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ExplanationInput {
    /// The gap's code, as the report names it.
    pub gap: String,
    /// Blank withdraws the explanation.
    pub explanation: String,
}

impl ExplanationInput {
    pub fn validate(&self) -> Validated<(String, Option<String>)> {
        let mut e = FieldErrors::new();
        let gap = e.check(
            "gap",
            validation::required_text("the gap", &self.gap, 200).map_err(|_| "Select the gap to explain".to_owned()),
        );
        let text =
            e.check("explanation", validation::optional_text("the explanation", &self.explanation, MAX_NOTE_CHARS));
        e.into_result(|| (gap.unwrap_or_default(), text.flatten()))
    }
}

/// The scrutineer's comment on a section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CommentInput {
    pub section: String,
    pub comment: String,
}

impl CommentInput {
    /// The section (one of `template`) and the comment.
    pub fn validate(&self, template: &[SectionKey]) -> Validated<(SectionKey, String)> {
        let mut e = FieldErrors::new();
        let section = e.check(
            "section",
            SectionKey::parse(self.section.trim())
                .filter(|k| template.contains(k))
                .ok_or_else(|| "Select a section of this report".to_owned()),
        );
        let comment = e.check("comment", validation::required_text("your comment", &self.comment, MAX_NOTE_CHARS));
        e.into_result(|| (section.unwrap_or(SectionKey::Foreword), comment.unwrap_or_default()))
    }
}

/// The business unit's response to a comment.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ResponseInput {
    pub response: String,
}

impl ResponseInput {
    pub fn validate(&self) -> Validated<String> {
        let mut e = FieldErrors::new();
        let text = e.check("response", validation::required_text("the response", &self.response, MAX_NOTE_CHARS));
        e.into_result(|| text.unwrap_or_default())
    }
}

/// The scrutineer's review of the draft, with what they concluded.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReviewInput {
    pub summary: String,
}

impl ReviewInput {
    pub fn validate(&self) -> Validated<String> {
        let mut e = FieldErrors::new();
        let text = e.check("summary", validation::required_text("what you concluded", &self.summary, MAX_NOTE_CHARS));
        e.into_result(|| text.unwrap_or_default())
    }
}

/// A statutory partner's agreement, as the business unit records it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AgreementInput {
    pub organisation_id: String,
    /// Who agreed for the partner: a name and a role ("Jo Bloggs, Chief Constable").
    pub agreed_by: String,
    /// The day they agreed, `YYYY-MM-DD`.
    pub agreed_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgreement {
    pub organisation_id: i64,
    pub agreed_by: String,
    pub agreed_on: NaiveDate,
}

impl AgreementInput {
    /// `partners` are the statutory partners who may agree; none may agree after `today`.
    pub fn validate(&self, partners: &[i64], today: NaiveDate) -> Validated<NewAgreement> {
        let mut e = FieldErrors::new();
        let org = e.check(
            "organisation_id",
            self.organisation_id
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| partners.contains(id))
                .ok_or_else(|| "Select a statutory partner".to_owned()),
        );
        let by = e.check(
            "agreed_by",
            validation::required_text("who agreed, with their role", &self.agreed_by, MAX_AGREED_BY_CHARS),
        );
        let on = e.check(
            "agreed_on",
            validation::required_date("the day they agreed", &self.agreed_on).and_then(|d| {
                if d > today { Err("The day they agreed must be today or in the past".to_owned()) } else { Ok(d) }
            }),
        );
        e.into_result(|| NewAgreement {
            organisation_id: org.unwrap_or_default(),
            agreed_by: by.unwrap_or_default(),
            agreed_on: on.unwrap_or(today),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(status: ReportStatus, agreed: usize, partners: usize, unexplained: usize) -> SignOff {
        SignOff { status, agreed, partners, unexplained, partners_agree: true }
    }

    #[test]
    fn a_scrutiny_report_is_signed_by_the_scrutineer_and_published_without_agreements() {
        let scrutiny = |status, unexplained| SignOff { partners_agree: false, ..at(status, 0, 3, unexplained) };
        let draft = scrutiny(ReportStatus::Draft, 0);
        assert_eq!(draft.refuses(Step::Write), None);
        assert_eq!(draft.refuses(Step::Review), None);
        assert!(draft.refuses(Step::Publish).unwrap().contains("scrutineer signs"));
        let signed = scrutiny(ReportStatus::Reviewed, 1);
        assert!(signed.refuses(Step::Write).unwrap().contains("reopen it"));
        assert!(signed.refuses(Step::Agree).unwrap().contains("respond to the recommendations"));
        assert_eq!(signed.refuses(Step::Comment), None);
        assert_eq!(
            signed.refuses(Step::Publish).as_deref(),
            Some("Put right or explain every gap first: 1 is neither")
        );
        assert_eq!(scrutiny(ReportStatus::Reviewed, 0).refuses(Step::Publish), None);
        assert!(scrutiny(ReportStatus::Published, 0).refuses(Step::Write).unwrap().contains("published"));
    }

    #[test]
    fn a_draft_is_written_and_reviewed_but_not_agreed_or_published() {
        let s = at(ReportStatus::Draft, 0, 3, 0);
        assert_eq!(s.refuses(Step::Write), None);
        assert_eq!(s.refuses(Step::Comment), None);
        assert_eq!(s.refuses(Step::Review), None);
        assert!(s.refuses(Step::Agree).unwrap().contains("scrutineer reviews"));
        assert!(s.refuses(Step::Publish).unwrap().contains("scrutineer reviews"));
        assert_eq!(s.refuses(Step::Reopen).as_deref(), Some("The report is already a draft"));
    }

    #[test]
    fn partners_agree_a_reviewed_report_only_when_every_gap_is_put_right_or_explained() {
        let s = at(ReportStatus::Reviewed, 0, 3, 2);
        assert_eq!(s.refuses(Step::Agree).as_deref(), Some("Put right or explain every gap first: 2 are neither"));
        assert_eq!(s.refuses(Step::Review).as_deref(), Some("The scrutineer has already reviewed this report"));
        assert_eq!(at(ReportStatus::Reviewed, 0, 3, 0).refuses(Step::Agree), None);
        assert_eq!(at(ReportStatus::Reviewed, 0, 3, 0).refuses(Step::Write), None);
    }

    #[test]
    fn once_a_partner_agrees_the_words_wait_for_a_reopening() {
        let s = at(ReportStatus::Reviewed, 1, 3, 0);
        assert!(s.refuses(Step::Write).unwrap().contains("reopen it"));
        assert_eq!(s.refuses(Step::Comment), None);
        assert_eq!(s.refuses(Step::Reopen), None);
        assert_eq!(
            s.refuses(Step::Publish).as_deref(),
            Some("Every statutory partner agrees the report before it is published: 1 of 3 have")
        );
        assert_eq!(at(ReportStatus::Reviewed, 3, 3, 0).refuses(Step::Publish), None);
        assert_eq!(
            at(ReportStatus::Reviewed, 3, 3, 1).refuses(Step::Publish).as_deref(),
            Some("Put right or explain every gap first: 1 is neither")
        );
        assert!(at(ReportStatus::Reviewed, 0, 0, 0).refuses(Step::Publish).unwrap().contains("no statutory partners"));
    }

    #[test]
    fn a_published_report_refuses_every_step() {
        let s = at(ReportStatus::Published, 3, 3, 0);
        for step in [Step::Write, Step::Comment, Step::Review, Step::Agree, Step::Reopen, Step::Publish] {
            assert!(s.refuses(step).unwrap().contains("published"), "{step:?}");
        }
    }

    #[test]
    fn an_agreement_names_a_statutory_partner_who_and_a_day_not_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
        let good = AgreementInput {
            organisation_id: "7".into(),
            agreed_by: " Jo Bloggs, Chief Constable ".into(),
            agreed_on: "2023-05-30".into(),
        };
        let a = good.validate(&[7, 8], today).unwrap();
        assert_eq!((a.organisation_id, a.agreed_by.as_str()), (7, "Jo Bloggs, Chief Constable"));
        let bad = AgreementInput { organisation_id: "9".into(), agreed_by: " ".into(), agreed_on: "2023-06-02".into() };
        let e = bad.validate(&[7, 8], today).unwrap_err();
        assert_eq!(e.get("organisation_id"), Some("Select a statutory partner"));
        assert!(e.get("agreed_by").is_some());
        assert_eq!(e.get("agreed_on"), Some("The day they agreed must be today or in the past"));
    }

    #[test]
    fn a_comment_names_a_section_of_the_report() {
        let template = [SectionKey::Foreword, SectionKey::Reviews];
        let ok = CommentInput { section: "reviews".into(), comment: "Say more.".into() };
        assert_eq!(ok.validate(&template).unwrap(), (SectionKey::Reviews, "Say more.".to_owned()));
        let e = CommentInput { section: "scrutiny".into(), comment: "".into() }.validate(&template).unwrap_err();
        assert_eq!(e.get("section"), Some("Select a section of this report"));
        assert!(e.get("comment").is_some());
        let e =
            ExplanationInput { gap: " ".into(), explanation: "x".repeat(MAX_NOTE_CHARS + 1) }.validate().unwrap_err();
        assert_eq!(e.get("gap"), Some("Select the gap to explain"));
        assert!(e.get("explanation").is_some());
    }
}
