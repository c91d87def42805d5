//! The demo's yearly reports: Southend's children's and adults' reports for 2022/23, started and
//! partly written (fictional words), so that the completeness check has real gaps to find: the
//! sections nobody has written yet, a finding with neither an action nor a decision, and the
//! figures the records do not hold. The statutory partners were asked for their contributions
//! to 2022/23's reports: the council's and the integrated care board's came, Essex Police's did
//! not (a gap each report names). The independent scrutineer has begun to review the adults'
//! report (a comment on its case reviews, which the business manager has answered), and one gap
//! the records cannot fill is explained in it. The scrutineer's own scrutiny report for 2022/23 is
//! begun: two pieces of scrutiny and two recommendations, the partners' response to one recorded,
//! Essex Police's to the other awaited, and what was found not yet written. The Easy Read version
//! of 2022/23 is half written: its paragraphs with their pictures, and its words to know. One
//! section of each yearly report is asked of someone outside the business unit, not yet written.

use assure_domain::PartnershipId;
use assure_domain::reports::{
    ActivityInput, AuthorInput, CommentInput, ExplanationInput, PartnerResponseInput, RecommendationInput, ReportInput,
    ResponseInput, SectionInput,
};

use super::lookup;
use super::structure::DemoStructure;
use crate::{CoreResult, Ctx};

/// The statutory partners' contributions to the 2022/23 reports (fictional words), in the order
/// of the annual report contribution's questions; Essex Police's was asked for and never sent.
const CONTRIBUTIONS: &[(&str, [&str; 8])] = &[
    (
        "Southend City Council",
        [
            "The joint front door with the police and health: contacts reached the right team within a working day.",
            "As an equal partner the council raises concerns early; two escalations were resolved without a formal challenge.",
            "The neglect subgroup helped early help workers use the toolkit with families before problems grew.",
            "Social workers and early help staff took the neglect and exploitation courses; most said their confidence rose.",
            "Learning from SAR A and the children's reviews goes to practice weeks, and audits check six months later.",
            "Care-experienced young people reviewed the leaflet about what happens after a referral, and it was rewritten.",
            "Fairly confident",
            "Supervision audits and the neglect toolkit in early years settings.",
        ],
    ),
    (
        "Mid and South Essex Integrated Care Board",
        [
            "Named GPs for safeguarding joined the partnership's case reviews, and primary care referrals improved.",
            "Partnership working gives health a seat where decisions about children and adults at risk are made.",
            "Health colleagues chair the learning subgroup, which turned review findings into briefings for GPs.",
            "GP practices used the partnership's e-learning on self-neglect and hoarding.",
            "Each provider reports to the ICB how it has acted on review findings, and the ICB checks it at contract meetings.",
            "Patients' stories were heard at the quality committee, and the transition from children's to adults' services changed.",
            "Fairly confident",
            "Transitions for young people with complex health needs.",
        ],
    ),
];

const QUESTIONS: [&str; 8] = [
    "greatest_impact",
    "partner_impact",
    "subgroup_impact",
    "learning_offer",
    "embed_learning",
    "voice_used",
    "priorities_confidence",
    "next_year",
];

const CHILDREN: &[(&str, &str)] = &[
    (
        "foreword",
        "This is the yearly report of the Southend Safeguarding Partnership for April 2022 to March 2023, \
         from the three safeguarding partners: the council, Essex Police and the integrated care board.\n\n\
         It says what we did as a result of our arrangements, what difference it made, and where we made \
         less progress than we wanted. (Fictional words for the demonstration.)",
    ),
    (
        "learning",
        "Every finding of a concluded review has an action on the partnership's plan, led by the agency \
         best placed to act, and each action reports its progress and evidence to the subgroup that owns it.",
    ),
    (
        "training",
        "The training offer followed the learning from our reviews. Practitioners told us, three months \
         after a course, what they now do differently.",
    ),
];

const ADULTS: &[(&str, &str)] = &[
    (
        "foreword",
        "This is the annual report of the Southend Safeguarding Adults Board for 2022/23, as the Care Act \
         2014 requires. (Fictional words for the demonstration.)",
    ),
    (
        "objective",
        "The board's objective is to help and protect adults in Southend who have needs for care and \
         support and are at risk of abuse or neglect. During the year it met quarterly, heard from every \
         statutory partner, and checked the assurance partners gave it.",
    ),
    (
        "learning",
        "The board acted on the findings of Safeguarding Adult Review A: a 7-minute briefing for \
         practitioners and a change to how hoarding is assessed. It decided not to implement one finding, \
         and gives its reasons below.",
    ),
];

/// The Easy Read version of 2022/23 (fictional words), partly written: each paragraph with its
/// picture, and the words it explains.
const EASY_READ: &[(&str, &str)] = &[
    (
        "about",
        "[paper] This report is about the year from April 2022 to March 2023.\n\n\
         [people] It tells you what the Southend Safeguarding Partnership did.\n\n\
         [question] Some words are hard. You can find them in the list at the end.",
    ),
    (
        "who_we_are",
        "[working-together] The council, the police and the health service work together.\n\n\
         [safe] We help to keep children and adults safe from harm.\n\n\
         [school] Schools and charities work with us too.",
    ),
    (
        "what_we_did",
        "[teacher] We ran training for people who work with children and adults.\n\n\
         [checking] We checked how well our services keep people safe.\n\n\
         [book] We looked at what went wrong when someone was hurt. We changed how we work.",
    ),
    (
        "words",
        "Safeguarding: keeping people safe from harm and abuse\n\
         Partnership: groups that work together\n\
         Training: learning how to do a job well",
    ),
];

/// A section of each report asked of someone outside the business unit, due this many days from
/// the day the demo is loaded: the Case Practice Review group's member writes the children's
/// reviews, and Essex Police's lead next year's priorities for the adults' board.
const ASKED: &[(&str, &str, &str, u64)] =
    &[("children", "reviews", "cpr.member@example.org", 20), ("adults", "next_year", "police.lead@example.org", 10)];

/// The scrutineer's pieces of scrutiny of 2022/23 (fictional): what, how, when, what was found.
const SCRUTINY: &[(&str, &str, &str, &str)] = &[
    (
        "The front door: how contacts about children become referrals",
        "observation",
        "2022-10-12",
        "Contacts were screened the same working day, and the police and health shared what they knew before a          decision was made.

Decisions not to refer were recorded, but the reasons were not always given to the          person who made the contact. (Fictional words for the demonstration.)",
    ),
    (
        "Neglect: eight families known to three or more agencies",
        "audit",
        "2023-02-20",
        "Most plans named what would change for the child. In three families the police's information about          domestic abuse reached the plan late. (Fictional words for the demonstration.)",
    ),
];

impl crate::Core {
    /// The scrutineer's own report for 2022/23, begun: the foreword, two pieces of scrutiny, and
    /// two recommendations, the partners' response to the first recorded by the business manager
    /// and Essex Police's to the second awaited.
    async fn demo_report_scrutiny(&self, p: PartnershipId, s: &DemoStructure) -> CoreResult<()> {
        let scrutineer = self.demo_ctx_as("scrutineer@example.org").await?;
        let manager = self.demo_ctx_as("business.manager@example.org").await?;
        let input = ReportInput { kind: "scrutiny".into(), period: "2022-23".into(), title: String::new() };
        let id = self.create_report(&scrutineer, p, &input).await?;
        let foreword = "I was appointed by the three safeguarding partners to scrutinise how well their                         arrangements keep children in Southend safe. This report says what I looked at, how, what I                         found, and what I recommend. (Fictional words for the demonstration.)";
        self.write_report_section(&scrutineer, id, "foreword", &SectionInput { narrative: foreword.into() }).await?;
        for (examined, method, done_on, found) in SCRUTINY {
            let activity = ActivityInput {
                examined: (*examined).into(),
                method: (*method).into(),
                done_on: (*done_on).into(),
                found: (*found).into(),
            };
            self.add_scrutiny_activity(&scrutineer, id, &activity).await?;
        }
        let police = lookup(&s.orgs, "Essex Police")?;
        let together = RecommendationInput {
            recommendation: "Tell the person who made a contact why it did not become a referral, and check six                              months on that they were told."
                .into(),
            organisation_id: String::new(),
        };
        let first = self.add_report_recommendation(&scrutineer, id, &together).await?;
        let to_police = RecommendationInput {
            recommendation: "Share information about domestic abuse with the child's plan within a working day.".into(),
            organisation_id: police.0.to_string(),
        };
        self.add_report_recommendation(&scrutineer, id, &to_police).await?;
        let response = PartnerResponseInput {
            stance: "accepted".into(),
            response: "The front door will write to everyone who makes a contact, and the quality assurance subgroup                        will audit it in the autumn. (Fictional words for the demonstration.)"
                .into(),
            responded_by: "Chair of the safeguarding partners' executive".into(),
            responded_on: "2023-05-24".into(),
        };
        self.respond_to_report_recommendation(&manager, id, first, &response).await
    }

    /// The adults' report's sign-off begun: the scrutineer's comment answered, and the board's
    /// meetings (recorded only from this year in the demo) explained.
    async fn demo_report_sign_off(&self, ctx: &Ctx, id: i64) -> CoreResult<()> {
        let scrutineer = self.demo_ctx_as("scrutineer@example.org").await?;
        let manager = self.demo_ctx_as("business.manager@example.org").await?;
        let comment = CommentInput {
            section: "reviews".into(),
            comment: "Say what the board learned across its reviews, not only what each found. (Fictional words for \
                      the demonstration.)"
                .into(),
        };
        self.comment_on_report(&scrutineer, id, &comment).await?;
        let comment_id = self.report(ctx, id).await?.comments.first().map(|c| c.id).unwrap_or_default();
        let response = ResponseInput {
            response: "Agreed: the section will draw the themes together once SAR B's findings are recorded.".into(),
        };
        self.respond_to_report_comment(&manager, id, comment_id, &response).await?;
        let explanation = ExplanationInput {
            gap: "no-meetings".into(),
            explanation: "The board met quarterly in 2022/23; its meetings were kept outside Assure, which the \
                          partnership began using in 2026."
                .into(),
        };
        self.explain_report_gap(&manager, id, &explanation).await
    }

    /// The statutory partners asked for their contributions to the 2022/23 reports: the council's
    /// and the integrated care board's sent (the council's accepted), Essex Police's never sent.
    async fn demo_report_contributions(&self, ctx: &Ctx, p: PartnershipId, s: &DemoStructure) -> CoreResult<()> {
        self.load_shipped_return_templates().await?;
        let partners = ["Southend City Council", "Essex Police", "Mid and South Essex Integrated Care Board"];
        let orgs = partners.iter().map(|n| lookup(&s.orgs, n)).collect::<CoreResult<Vec<_>>>()?;
        let due = chrono::NaiveDate::from_ymd_opt(2023, 5, 31).unwrap_or_default();
        self.demo_ask(ctx, p, assure_domain::reports::CONTRIBUTION_RETURN, "2022-23", due, &orgs).await?;
        for (i, (name, words)) in CONTRIBUTIONS.iter().enumerate() {
            let org = lookup(&s.orgs, name)?;
            let id = self.demo_return(p, assure_domain::reports::CONTRIBUTION_RETURN, "2022-23", org).await?;
            let values: Vec<(String, String)> =
                QUESTIONS.iter().zip(words).map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
            self.demo_answer(ctx, id, &values, true).await?;
            if i == 0 {
                self.validate_data_return(ctx, id, true).await?;
            }
        }
        Ok(())
    }

    /// The LADO's figures for the four quarters of 2022-23 from Southend Children's Services
    /// (fictional, each breakdown adding up to its whole), returned and accepted, for the
    /// children's report's section on allegations against people who work with children.
    async fn demo_report_lado(&self, ctx: &Ctx, p: PartnershipId, s: &DemoStructure) -> CoreResult<()> {
        type Quarter = ([u32; 4], [u32; 10], [u32; 6], [u32; 5], [u32; 5], &'static str);
        const YEAR: [Quarter; 4] = [
            (
                [38, 29, 7, 10],
                [3, 1, 1, 0, 1, 0, 0, 1, 0, 0],
                [2, 2, 2, 0, 1, 0],
                [3, 1, 1, 0, 0],
                [2, 2, 1, 0, 0],
                "90",
            ),
            (
                [35, 27, 6, 9],
                [2, 1, 1, 1, 0, 0, 0, 0, 1, 0],
                [2, 1, 2, 1, 0, 0],
                [2, 2, 1, 0, 0],
                [3, 1, 1, 0, 0],
                "88.9",
            ),
            (
                [44, 33, 9, 13],
                [4, 1, 1, 0, 1, 1, 0, 0, 0, 1],
                [3, 2, 3, 0, 1, 0],
                [3, 2, 1, 1, 0],
                [3, 2, 1, 1, 0],
                "100",
            ),
            (
                [40, 30, 8, 11],
                [3, 2, 0, 1, 1, 0, 1, 0, 0, 0],
                [2, 3, 2, 1, 0, 0],
                [4, 1, 2, 0, 0],
                [2, 3, 1, 0, 1],
                "85.7",
            ),
        ];
        let children = lookup(&s.orgs, "Southend Children's Services")?;
        for (q, (activity, sectors, referrers, outcomes, times, positive)) in YEAR.into_iter().enumerate() {
            let period = format!("2022-23 Q{}", q + 1);
            // Due a month after the quarter ends.
            let due = ["2022-07-31", "2022-10-31", "2023-01-31", "2023-04-30"][q].parse().unwrap_or_default();
            self.demo_ask(ctx, p, assure_domain::reports::LADO_RETURN, &period, due, &[children]).await?;
            let id = self.demo_return(p, assure_domain::reports::LADO_RETURN, &period, children).await?;
            let values = super::intelligence::lado_values(activity, sectors, referrers, outcomes, times, positive);
            self.demo_answer(ctx, id, &values, true).await?;
            self.validate_data_return(ctx, id, true).await?;
        }
        Ok(())
    }

    pub(super) async fn load_demo_reports(
        &self,
        ctx: &Ctx,
        southend: PartnershipId,
        s: &DemoStructure,
    ) -> CoreResult<()> {
        self.demo_report_contributions(ctx, southend, s).await?;
        self.demo_report_lado(ctx, southend, s).await?;
        for (kind, words) in [("children", CHILDREN), ("adults", ADULTS)] {
            let id = self
                .create_report(
                    ctx,
                    southend,
                    &ReportInput { kind: kind.into(), period: "2022-23".into(), title: String::new() },
                )
                .await?;
            for (section, text) in words {
                self.write_report_section(ctx, id, section, &SectionInput { narrative: (*text).into() }).await?;
            }
            for (_, section, email, days) in ASKED.iter().filter(|(k, ..)| *k == kind) {
                let due_on = (self.today() + chrono::Days::new(*days)).to_string();
                self.ask_report_author(ctx, id, section, &AuthorInput { email: (*email).into(), due_on }).await?;
            }
            if kind == "adults" {
                self.demo_report_sign_off(ctx, id).await?;
            }
        }
        self.demo_report_scrutiny(southend, s).await?;
        let input = ReportInput { kind: "easy-read".into(), period: "2022-23".into(), title: String::new() };
        let id = self.create_report(ctx, southend, &input).await?;
        for (section, text) in EASY_READ {
            self.write_report_section(ctx, id, section, &SectionInput { narrative: (*text).into() }).await?;
        }
        Ok(())
    }
}
