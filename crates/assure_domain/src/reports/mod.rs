//! The statutory yearly reports: the children's safeguarding partners' report (Working Together
//! to Safeguard Children 2023) and the Safeguarding Adults Board's annual report (Care Act 2014,
//! schedule 2, paragraph 4). A report covers a period (a financial year, or any span of whole
//! months) and is made of sections from its template: the statutory items first, then the
//! partnership's own. Some sections are filled from the records of the period, some are written,
//! most are both. The rules here are pure: the kinds, the periods, the templates with the
//! statutory item each section answers, and the inputs with their checks.

mod authors;
mod checks;
mod distribution;
pub mod easy_read;
mod easy_version;
mod period;
mod scrutiny;
mod sign_off;

pub use authors::{AuthorInput, MAX_DUE_DAYS, NewAuthor, askable};
pub use checks::{FigureFlag, PrintedFigure, SumFlag, adds_up, figure_flags, mixed_periods, within};

pub use distribution::{
    Distribution, How, MAX_RECIPIENT_CHARS, NewSending, OTHER_RECIPIENT, Recipient, SendingInput, check_distribution,
};

#[cfg(test)]
use period::PERIOD_MESSAGE;
pub use period::Period;

pub use easy_version::{EasyParagraph, easy_paragraphs, glossary, glossary_problem, pictures_named};

pub use scrutiny::{
    ActivityInput, MAX_EXAMINED_CHARS, MAX_RESPONDED_BY_CHARS, Method, NewActivity, NewPartnerResponse,
    NewRecommendation, PartnerResponseInput, RecommendationInput, Stance,
};

pub use sign_off::{
    AgreementInput, CommentInput, ExplanationInput, MAX_AGREED_BY_CHARS, MAX_NOTE_CHARS, NewAgreement, ReportStatus,
    ResponseInput, ReviewInput, SignOff, Step,
};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::structure::{ArmKind, Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

/// The longest title of a report, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// The longest text of one section, in characters (about twelve pages).
pub const MAX_NARRATIVE_CHARS: usize = 40_000;
/// The longest period a report covers, in months.
pub const MAX_PERIOD_MONTHS: u32 = 36;

choice!(
    /// Which statutory report it is.
    ReportKind {
        Children => ("children", "Safeguarding children partnership yearly report"),
        Adults => ("adults", "Safeguarding Adults Board annual report"),
        Scrutiny => ("scrutiny", "Independent scrutiny report"),
        EasyRead => ("easy-read", "Easy Read yearly report"),
    }
);

impl ReportKind {
    /// The arm of the partnership whose records the report reads.
    /// Independent scrutiny is of the children's arrangements (Working Together 2023), so the
    /// scrutiny report reads the children's records.
    pub fn arm(self) -> ArmKind {
        match self {
            ReportKind::Children | ReportKind::Scrutiny | ReportKind::EasyRead => ArmKind::Children,
            ReportKind::Adults => ArmKind::Adults,
        }
    }

    /// What a case review is called in this report.
    pub fn review_words(self) -> &'static str {
        match self.arm() {
            ArmKind::Adults => "safeguarding adults reviews",
            _ => "child safeguarding practice reviews",
        }
    }

    /// The independent scrutineer writes this report (its words, what they examined and their
    /// recommendations); the business unit records the partners' responses and publishes it.
    pub fn by_scrutineer(self) -> bool {
        self == ReportKind::Scrutiny
    }

    /// The report is the Easy Read version of the year: short sentences, a picture beside each
    /// paragraph, large type, and a glossary.
    pub fn easy_read(self) -> bool {
        self == ReportKind::EasyRead
    }

    /// Each statutory partner agrees the report before it is published. A scrutiny report is the
    /// scrutineer's own: the partners respond to its recommendations instead.
    pub fn partners_agree(self) -> bool {
        !self.by_scrutineer()
    }

    /// The sections of the report's template, in order: the statutory items first.
    pub fn template(self) -> &'static [SectionKey] {
        use SectionKey as S;
        match self {
            ReportKind::Children => &[
                S::Foreword,
                S::Partnership,
                S::Reviews,
                S::Learning,
                S::Impact,
                S::Dashboard,
                S::Audits,
                S::Training,
                S::Priorities,
                S::Risks,
                S::Challenges,
                S::Allegations,
                S::Inspections,
                S::Feedback,
                S::Contributions,
                S::Finance,
                S::Scrutiny,
                S::NextYear,
            ],
            ReportKind::Adults => &[
                S::Foreword,
                S::Partnership,
                S::Objective,
                S::Dashboard,
                S::Audits,
                S::Priorities,
                S::Risks,
                S::Members,
                S::Reviews,
                S::Learning,
                S::Training,
                S::Challenges,
                S::Inspections,
                S::Feedback,
                S::Finance,
                S::NextYear,
            ],
            // What the scrutineer examined and how, the same records the yearly report reads,
            // what they found, and their recommendations with the partners' responses.
            ReportKind::Scrutiny => &[
                S::Foreword,
                S::Examined,
                S::Partnership,
                S::Reviews,
                S::Learning,
                S::Audits,
                S::Dashboard,
                S::Challenges,
                S::Found,
                S::Recommendations,
            ],
            // The same year in Easy Read (seed 003 is such a report): written, each paragraph
            // with a picture, and the words it uses explained at the end.
            ReportKind::EasyRead => &[
                S::EasyAbout,
                S::EasyWho,
                S::EasyDid,
                S::EasyLearned,
                S::EasyToldUs,
                S::EasyNext,
                S::EasyHelp,
                S::EasyWords,
            ],
        }
    }

    /// The statutory items this report must answer.
    pub fn items(self) -> impl Iterator<Item = &'static StatutoryItem> {
        ITEMS.iter().filter(move |i| i.kind == self)
    }
}

/// A thing the law or statutory guidance says the report must contain, with where it says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatutoryItem {
    pub code: &'static str,
    pub kind: ReportKind,
    pub text: &'static str,
    pub source: &'static str,
}

const WT: &str = "Working Together to Safeguard Children 2023, chapter 2 (the yearly report)";
const CARE_ACT: &str = "Care Act 2014, schedule 2, paragraph 4(1)";
const SCRUTINY: &str =
    "Working Together to Safeguard Children 2023, chapter 2 (independent scrutiny of the arrangements)";

/// Every statutory item of every report.
pub const ITEMS: &[StatutoryItem] = &[
    StatutoryItem {
        code: "wt-done",
        kind: ReportKind::Children,
        text: "What the safeguarding partners have done as a result of the arrangements, including on child safeguarding practice reviews",
        source: WT,
    },
    StatutoryItem {
        code: "wt-effective",
        kind: ReportKind::Children,
        text: "How effective the arrangements have been in practice",
        source: WT,
    },
    StatutoryItem {
        code: "wt-impact",
        kind: ReportKind::Children,
        text: "Evidence of the impact of the work of the partners and relevant agencies, including training, on outcomes for children and families",
        source: WT,
    },
    StatutoryItem {
        code: "wt-no-progress",
        kind: ReportKind::Children,
        text: "Areas where there has been little or no evidence of progress on agreed priorities",
        source: WT,
    },
    StatutoryItem {
        code: "wt-reviews",
        kind: ReportKind::Children,
        text: "Decisions and actions taken by the partners on the recommendations of local and national child safeguarding practice reviews, and any resulting improvements",
        source: WT,
    },
    StatutoryItem {
        code: "wt-feedback",
        kind: ReportKind::Children,
        text: "How feedback from children and families has been sought and used to inform the partners' work",
        source: WT,
    },
    StatutoryItem {
        code: "wt-contributions",
        kind: ReportKind::Children,
        text: "The contribution of each safeguarding partner, including funding, and of relevant agencies and education",
        source: WT,
    },
    StatutoryItem {
        code: "wt-scrutiny",
        kind: ReportKind::Children,
        text: "The work of the independent scrutineer",
        source: WT,
    },
    StatutoryItem {
        code: "ca-a",
        kind: ReportKind::Adults,
        text: "(a) What the board has done during the year to achieve its objective",
        source: CARE_ACT,
    },
    StatutoryItem {
        code: "ca-b",
        kind: ReportKind::Adults,
        text: "(b) What it has done during the year to implement its strategy",
        source: CARE_ACT,
    },
    StatutoryItem {
        code: "ca-c",
        kind: ReportKind::Adults,
        text: "(c) What each member has done during the year to implement the strategy",
        source: CARE_ACT,
    },
    StatutoryItem {
        code: "ca-d",
        kind: ReportKind::Adults,
        text: "(d) The findings of the safeguarding adults reviews concluded in the year",
        source: CARE_ACT,
    },
    StatutoryItem {
        code: "ca-e",
        kind: ReportKind::Adults,
        text: "(e) The safeguarding adults reviews ongoing at the end of the year",
        source: CARE_ACT,
    },
    StatutoryItem {
        code: "ca-f",
        kind: ReportKind::Adults,
        text: "(f) What it has done during the year to implement the findings of reviews",
        source: CARE_ACT,
    },
    StatutoryItem {
        code: "ca-g",
        kind: ReportKind::Adults,
        text: "(g) Where it decided during the year not to implement a finding of a review, the reasons",
        source: CARE_ACT,
    },
    StatutoryItem {
        code: "sc-examined",
        kind: ReportKind::Scrutiny,
        text: "What the independent scrutineer examined, and by which method",
        source: SCRUTINY,
    },
    StatutoryItem {
        code: "sc-found",
        kind: ReportKind::Scrutiny,
        text: "What was found: how effective the arrangements are in practice",
        source: SCRUTINY,
    },
    StatutoryItem {
        code: "sc-recommendations",
        kind: ReportKind::Scrutiny,
        text: "The scrutineer's recommendations, and the safeguarding partners' responses",
        source: SCRUTINY,
    },
];

choice!(
    /// A section of a report's template.
    SectionKey {
        Foreword => ("foreword", "Foreword"),
        Partnership => ("partnership", "The partnership and how it met"),
        Objective => ("objective", "What the board did towards its objective"),
        Reviews => ("reviews", "Case reviews"),
        Learning => ("learning", "Acting on the findings of reviews"),
        Impact => ("impact", "How effective the arrangements have been, and their impact"),
        Dashboard => ("dashboard", "How our area compares"),
        Training => ("training", "Training and its impact"),
        Priorities => ("priorities", "Progress on our priorities"),
        Members => ("members", "What each member did to implement the strategy"),
        Feedback => ("feedback", "Hearing from children, adults and families"),
        Contributions => ("contributions", "What each partner contributed"),
        Audits => ("audits", "Assurance audits"),
        Risks => ("risks", "Risks to the partnership's work"),
        Challenges => ("challenges", "Challenge and escalation"),
        Allegations => ("allegations", "Allegations against people who work with children"),
        Inspections => ("inspections", "Inspections"),
        Finance => ("finance", "Budget and contributions"),
        Scrutiny => ("scrutiny", "Independent scrutiny"),
        NextYear => ("next_year", "Next year's priorities"),
        Examined => ("examined", "What the scrutineer examined, and how"),
        Found => ("found", "What the scrutineer found"),
        Recommendations => ("recommendations", "Recommendations and the partners' responses"),
        EasyAbout => ("about", "About this report"),
        EasyWho => ("who_we_are", "Who we are"),
        EasyDid => ("what_we_did", "What we did this year"),
        EasyLearned => ("what_we_learned", "What we learned"),
        EasyToldUs => ("you_told_us", "What people told us"),
        EasyNext => ("what_next", "What we will do next"),
        EasyHelp => ("get_help", "How to get help"),
        EasyWords => ("words", "Words to know"),
    }
);

/// What fills a section from the records of the period, besides what people write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fill {
    /// Written only.
    Nothing,
    /// The bodies, the statutory partners, the meetings held and attendance by partner.
    Meetings,
    /// Reviews concluded in the period with their findings, and reviews ongoing at its end.
    Reviews,
    /// What was done on the reviews' recommendations, and those decided not to be implemented
    /// with the reasons.
    Learning,
    /// Sessions held, attendance by agency, evaluation, and impact follow-ups.
    Training,
    /// The budget of each financial year in the period: contributions, spending, in kind,
    /// reserves.
    Finance,
    /// Each strategy's activities due in the period's financial years: how many were completed,
    /// and those with little or no progress.
    Priorities,
    /// "You said, we did": what people said and what was done in the period.
    Feedback,
    /// The challenge and escalation log's entries raised in the period or open during it.
    Challenges,
    /// The inspections of the partnership's agencies published in the period, with their
    /// judgements.
    Inspections,
    /// Each partner's written contribution: its answers to the annual report contribution
    /// return of each financial year of the period.
    Contributions,
    /// The dashboard's indicators for the report's arm: each one's latest figure by the end of the
    /// period, with England's and the statistical neighbours', checked.
    Indicators,
    /// The assurance audits of the report's arm that closed in the period: how many organisations
    /// returned, and each standard's mean score and spread.
    Audits,
    /// The risks on the registers of the report's arm (and the joint ones) during the period, with
    /// their rating at its end and today's.
    Risks,
    /// The LADO's quarterly figures of the quarters in the period, summed, with their checks.
    Allegations,
    /// The independent scrutineer's work: the scrutiny reports whose period meets the report's,
    /// what they examined in the period, and their recommendations with the responses.
    Scrutiny,
}

/// The data return whose answers are the LADO's quarterly figures.
pub const LADO_RETURN: &str = "lado";

/// The arm whose report shows an assurance audit of a framework, by the framework's code: the
/// shipped Section 11 and Section 175/157 frameworks are the children's, the shipped adults'
/// framework the adults'; a framework of the partnership's own is shown in both (`None`).
pub fn audit_arm(framework_code: &str) -> Option<ArmKind> {
    match framework_code {
        "section11" | "s175" => Some(ArmKind::Children),
        "adults" => Some(ArmKind::Adults),
        _ => None,
    }
}

/// The data return whose answers are the partners' written contributions to the report.
pub const CONTRIBUTION_RETURN: &str = "annual_report";

impl SectionKey {
    /// What fills this section from the records, in order.
    pub fn fills(self) -> &'static [Fill] {
        match self {
            SectionKey::Partnership => &[Fill::Meetings],
            SectionKey::Reviews => &[Fill::Reviews],
            SectionKey::Learning => &[Fill::Learning],
            SectionKey::Training => &[Fill::Training],
            SectionKey::Finance => &[Fill::Finance],
            // Each partner's contribution "including funding": what they wrote, then the budget.
            SectionKey::Contributions => &[Fill::Contributions, Fill::Finance],
            // What each member did to implement the strategy (Care Act, item (c)).
            SectionKey::Members => &[Fill::Contributions],
            SectionKey::Priorities => &[Fill::Priorities],
            SectionKey::Feedback => &[Fill::Feedback],
            SectionKey::Challenges => &[Fill::Challenges],
            SectionKey::Inspections => &[Fill::Inspections],
            SectionKey::Dashboard => &[Fill::Indicators],
            SectionKey::Audits => &[Fill::Audits],
            SectionKey::Risks => &[Fill::Risks],
            SectionKey::Allegations => &[Fill::Allegations],
            SectionKey::Scrutiny => &[Fill::Scrutiny],
            _ => &[],
        }
    }

    /// The section needs words of its own in a report of `kind`: only people can write them. A
    /// section filled from the records reads without them (its figures speak), except where the
    /// law asks for an account as well as the figures. In the scrutiny report only the foreword
    /// and what the scrutineer found need their words: the scrutineer may say more of any
    /// section, but the records they draw on speak for themselves.
    pub fn needs_text(self, kind: ReportKind) -> bool {
        if kind.by_scrutineer() {
            return matches!(self, SectionKey::Foreword | SectionKey::Found);
        }
        !matches!(
            self,
            SectionKey::Partnership
                | SectionKey::Reviews
                | SectionKey::Finance
                | SectionKey::Challenges
                | SectionKey::Inspections
                | SectionKey::Dashboard
                | SectionKey::Audits
                | SectionKey::Risks
                | SectionKey::Allegations
                | SectionKey::Examined
                | SectionKey::Recommendations
        )
    }

    /// The section shows what the scrutineer recorded of the report itself (what they examined,
    /// their recommendations with the responses), not records of the period.
    pub fn scrutiny_work(self) -> bool {
        matches!(self, SectionKey::Examined | SectionKey::Recommendations)
    }

    /// The statutory items this section answers in a report of `kind`.
    pub fn answers(self, kind: ReportKind) -> &'static [&'static str] {
        use SectionKey as S;
        match (kind, self) {
            (ReportKind::Children, S::Reviews) => &["wt-done"],
            (ReportKind::Children, S::Learning) => &["wt-reviews"],
            (ReportKind::Children, S::Impact) => &["wt-effective", "wt-impact"],
            // What the agencies' own assessments of their safeguarding found.
            (ReportKind::Children, S::Audits) => &["wt-effective"],
            (ReportKind::Children, S::Training) => &["wt-impact"],
            (ReportKind::Children, S::Priorities) => &["wt-done", "wt-no-progress"],
            (ReportKind::Children, S::Feedback) => &["wt-feedback"],
            (ReportKind::Children, S::Contributions) => &["wt-contributions"],
            (ReportKind::Children, S::Scrutiny) => &["wt-scrutiny"],
            (ReportKind::Adults, S::Objective) => &["ca-a"],
            (ReportKind::Adults, S::Priorities) => &["ca-b"],
            (ReportKind::Adults, S::Members) => &["ca-c"],
            (ReportKind::Adults, S::Reviews) => &["ca-d", "ca-e"],
            (ReportKind::Adults, S::Learning) => &["ca-f", "ca-g"],
            (ReportKind::Scrutiny, S::Examined) => &["sc-examined"],
            (ReportKind::Scrutiny, S::Found) => &["sc-found"],
            (ReportKind::Scrutiny, S::Recommendations) => &["sc-recommendations"],
            _ => &[],
        }
    }

    /// The statutory items themselves (not their codes) this section answers in a report of
    /// `kind`.
    pub fn items(self, kind: ReportKind) -> Vec<&'static StatutoryItem> {
        self.answers(kind).iter().filter_map(|c| ITEMS.iter().find(|i| i.code == *c)).collect()
    }

    /// What the author is asked to write in it.
    pub fn guidance(self) -> &'static str {
        use SectionKey as S;
        match self {
            S::Foreword => {
                "A short introduction by the chair, the lead safeguarding partners or, in the scrutiny report, the independent scrutineer."
            }
            S::Partnership => {
                "How the partnership is arranged and governed; the bodies and attendance are shown from the records."
            }
            S::Objective => {
                "What the board did during the year to help and protect adults at risk of abuse or neglect."
            }
            S::Reviews => "Anything the list of reviews does not say: themes across them, what was learned.",
            S::Learning => "What the partners did on the reviews' recommendations and what improved as a result.",
            S::Impact => "How effective the arrangements were in practice, with evidence of impact on outcomes.",
            S::Training => "What difference the training made to practice; the figures are shown from the records.",
            S::Dashboard => {
                "What the figures say about how well children and adults are protected; each indicator is shown from the dashboard with England and the statistical neighbours."
            }
            S::Priorities => "Progress on each agreed priority, and where there was little or no progress, why.",
            S::Members => {
                "What each member of the board did during the year to implement the strategy; each member's own account, from its annual report contribution, follows."
            }
            S::Feedback => "How feedback was sought and used: what people said and what was done.",
            S::Challenges => {
                "What the partnership challenged, and what was escalated to it; the log is shown from the records."
            }
            S::Inspections => "What inspections of the partnership's agencies found; they are shown from the records.",
            S::Audits => {
                "What the agencies' self-assessments showed and what the partnership did about the weakest standards; the results are shown from the records."
            }
            S::Risks => {
                "The risks to the partnership's work and how they were managed; the register is shown from the records."
            }
            S::Allegations => {
                "What the allegations against people who work with children showed, and the learning for employers; the LADO's figures are shown from the records."
            }
            S::Contributions => {
                "Each partner's contribution, including funding, and that of relevant agencies and education; each partner's own account, from its annual report contribution, follows."
            }
            S::Finance => "Anything the budget's figures need explaining.",
            S::Scrutiny => "What the independent scrutineer examined, how, and what was found.",
            S::NextYear => "The priorities for the coming year.",
            S::Examined => {
                "Anything the list of what was examined does not say: why these were chosen; each piece of scrutiny is recorded with its method and what it found."
            }
            S::Found => {
                "How effective the arrangements are in practice, from what was examined: what works well, and what needs to change."
            }
            S::Recommendations => {
                "Anything the recommendations need saying together; each recommendation is recorded with the partner's response."
            }
            S::EasyAbout => "What this report is, and who it is for. One idea in each sentence.",
            S::EasyWho => "Who the partnership is: the council, the police and the health service working together.",
            S::EasyDid => "The most important things the partnership did this year, one in each paragraph.",
            S::EasyLearned => "What the partnership learned when things went wrong, and what changed.",
            S::EasyToldUs => "What children, adults and families told the partnership, and what it did.",
            S::EasyNext => "What the partnership will do next year.",
            S::EasyHelp => "Who to call or write to if someone is not safe.",
            S::EasyWords => {
                "The harder words the report uses, one on each line: the word, a colon, then what it means."
            }
        }
    }
}

/// A new report as the form and the API send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReportInput {
    pub kind: String,
    pub period: String,
    /// Blank for the report's usual title.
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub kind: ReportKind,
    pub period: Period,
    pub title: String,
}

/// A report's usual title: "Southend Safeguarding Partnership: yearly report 2022/23".
pub fn usual_title(partnership: &str, kind: ReportKind, period: &Period) -> String {
    let what = match kind {
        ReportKind::Children => "children's safeguarding yearly report",
        ReportKind::Adults => "Safeguarding Adults Board annual report",
        ReportKind::Scrutiny => "independent scrutiny report",
        ReportKind::EasyRead => "Easy Read yearly report",
    };
    format!("{partnership}: {what} {}", period.label())
}

impl ReportInput {
    /// Checks the input; `partnership` names the usual title when none is given.
    pub fn validate(&self, partnership: &str) -> Validated<NewReport> {
        let mut e = FieldErrors::new();
        let kind =
            e.check("kind", ReportKind::parse(self.kind.trim()).ok_or_else(|| "Select which report it is".to_owned()));
        let period = e.check("period", Period::parse(&self.period));
        let title = e.check("title", validation::optional_text("the title", &self.title, MAX_TITLE_CHARS));
        e.into_result(|| {
            let kind = kind.unwrap_or(ReportKind::Children);
            let period = period.unwrap_or(Period { start: NaiveDate::MIN, end: NaiveDate::MIN });
            let title = title.flatten().unwrap_or_else(|| usual_title(partnership, kind, &period));
            NewReport { kind, period, title }
        })
    }
}

/// A section's words as the form and the API send them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SectionInput {
    pub narrative: String,
}

impl SectionInput {
    /// The words, or none (a blank section).
    pub fn validate(&self) -> Validated<Option<String>> {
        let mut e = FieldErrors::new();
        let text =
            e.check("narrative", validation::optional_text("the section's text", &self.narrative, MAX_NARRATIVE_CHARS));
        e.into_result(|| text.flatten())
    }
}

/// A section's text as paragraphs: split at blank lines, each paragraph's lines joined.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_statutory_item_is_answered_by_a_section_of_its_report() {
        for kind in ReportKind::ALL {
            for item in kind.items() {
                assert!(
                    kind.template().iter().any(|s| s.answers(*kind).contains(&item.code)),
                    "{} is answered by no section",
                    item.code
                );
            }
            for s in kind.template() {
                for code in s.answers(*kind) {
                    assert!(kind.items().any(|i| i.code == *code), "{code} is no item of {}", kind.code());
                }
            }
        }
    }

    #[test]
    fn a_new_report_takes_its_usual_title_unless_given_one() {
        let input = ReportInput { kind: "adults".into(), period: "2022-23".into(), title: " ".into() };
        let new = input.validate("Southend").unwrap();
        assert_eq!(new.title, "Southend: Safeguarding Adults Board annual report 2022/23");
        let bad = ReportInput { kind: "plain".into(), period: "last year".into(), title: "x".repeat(201) };
        let errors = bad.validate("Southend").unwrap_err();
        assert_eq!(errors.get("kind"), Some("Select which report it is"));
        assert_eq!(errors.get("period"), Some(PERIOD_MESSAGE));
        assert!(errors.get("title").is_some());
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        assert_eq!(paragraphs("One\nline.\n\n\n  Two. \n"), vec!["One line.".to_owned(), "Two.".to_owned()]);
        assert!(paragraphs(" \n ").is_empty());
    }
}
