//! The demo: the Southend Safeguarding Partnership as its 2022/23 reports describe it, with
//! Essex and Thurrock as neighbours. Organisations are the real agencies the reports name;
//! people are fictional; accounts use the reserved domain example.org. Everything goes through
//! the same use-cases (validation, audit) as the pages.

use assure_domain::structure::ArmKind;
use assure_store::audit_log;
use assure_store::structure as st;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

mod accounts;
mod audits;
mod bulletins;
mod challenges;
mod finance;
mod inspections;
mod intelligence;
mod learning;
mod meetings;
mod reports;
mod reviews;
mod risks;
mod scale;
mod strategy;
mod structure;
mod training;
mod voice;

pub use scale::{ACTIONS_PER_REVIEW, NATIONAL, National};

use structure::DemoStructure;

/// A demo account, for the README and the sign-in hint.
pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    pub what: &'static str,
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "admin@example.org",
        name: "Alex Admin",
        role: "administrator",
        what: "Administrator of all three partnerships",
    },
    DemoAccount {
        email: "business.manager@example.org",
        name: "Bea Manager",
        role: "business_unit",
        what: "Southend business manager",
    },
    DemoAccount {
        email: "support.officer@example.org",
        name: "Sam Support",
        role: "business_unit",
        what: "Southend support officer",
    },
    DemoAccount {
        email: "scrutineer@example.org",
        name: "Jo Scrutineer",
        role: "scrutineer",
        what: "Southend independent scrutineer: reads everything, changes nothing",
    },
    DemoAccount {
        email: "police.lead@example.org",
        name: "Pat Constable",
        role: "agency_lead",
        what: "Essex Police safeguarding lead in Southend, Essex and Thurrock",
    },
    DemoAccount {
        email: "cpr.member@example.org",
        name: "Chris Panel",
        role: "body_member",
        what: "Member of Southend's Child Practice Review subgroup",
    },
    DemoAccount {
        email: "viewer@example.org",
        name: "Vic Viewer",
        role: "viewer",
        what: "Reads Southend's unrestricted structure",
    },
    DemoAccount {
        email: "essex.manager@example.org",
        name: "Ellis Manager",
        role: "business_unit",
        what: "Essex business manager",
    },
];

fn lookup<T: Copy>(map: &[(String, T)], name: &str) -> CoreResult<T> {
    map.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| *v)
        .ok_or_else(|| CoreError::Internal(format!("demo data names {name}")))
}

/// The parts of the demo a test (or a smaller demo) may ask for. The partnerships, their
/// structure, the starter themes and the accounts always load: every part builds on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoPart {
    /// Case reviews, their clocks, requests and themes.
    Reviews,
    /// Recommendations, actions and evidence from the reviews (loads the reviews too).
    Learning,
    /// The shipped frameworks and the audit campaigns with their returns.
    Audits,
    /// Published statistics, entered figures, data returns and the dashboards' settings.
    Intelligence,
    /// The adults' and children's risk registers of January 2020.
    Risks,
    /// The Strategic Plan 2020–23 with its activities and their updates, and a subgroup's work plan.
    Strategy,
    /// The budgets of 2019-20 and 2022-23 from the partnership's own papers.
    Finance,
    /// The 2022-23 training offer of the annual report, and this year's lunch and learn.
    Training,
    /// The challenge and escalation log: seed 002's six challenges, and two of this year's.
    Challenges,
    /// Seed 002's inspections of 2015-16 with their grades and recommendations, and two of this
    /// year's (a joint inspection's actions on the plan, a report not yet published).
    Inspections,
    /// Feedback from Southend's public page with its triage, and "You said, we did" (Southend's,
    /// and Essex's three of seed 004).
    Voice,
    /// Southend's bulletins (one published, one a draft) and three subscribers.
    Bulletins,
    /// Southend's 2022/23 children's and adults' yearly reports, started and partly written.
    Reports,
}

impl DemoPart {
    pub const ALL: &[DemoPart] = &[
        DemoPart::Reviews,
        DemoPart::Learning,
        DemoPart::Audits,
        DemoPart::Intelligence,
        DemoPart::Risks,
        DemoPart::Strategy,
        DemoPart::Finance,
        DemoPart::Training,
        DemoPart::Challenges,
        DemoPart::Inspections,
        DemoPart::Voice,
        DemoPart::Bulletins,
        DemoPart::Reports,
    ];
}

impl Core {
    /// Loads the whole demo into an empty database (`assure demo`). `password` becomes every
    /// demo account's password.
    pub async fn load_demo(&self, password: &str) -> CoreResult<()> {
        self.load_demo_parts(password, DemoPart::ALL).await
    }

    /// A demo account acting as itself, with its grants, so that what the demo records in its
    /// name (a scrutineer's comment, a manager's response) is its own in the records and the log.
    pub(crate) async fn demo_ctx_as(&self, email: &str) -> CoreResult<Ctx> {
        let user = self.user_by_email(email).await?;
        let mut conn = self.store.read().await?;
        let actor = self.actor(&mut conn, user.id).await?;
        drop(conn);
        Ok(Ctx {
            actor,
            label: user.email.clone(),
            name: user.display_name.clone(),
            ip: None,
            request_id: None,
            generations: None,
        })
    }

    /// The demo's partnerships, structure, themes and accounts, and of the rest only `parts`.
    /// Each capability's part of the demo is its own loader (`demo/<capability>.rs`), in the
    /// order they depend on each other.
    pub async fn load_demo_parts(&self, password: &str, parts: &[DemoPart]) -> CoreResult<()> {
        let wants = |part: DemoPart| parts.contains(&part);
        // The password is every demo account's: it must pass the rule for each of them, and a
        // refusal names the account and the rule.
        for account in ACCOUNTS {
            assure_domain::password::check_new_password(password, account.email).map_err(|m| {
                CoreError::field(
                    "password",
                    format!("ASSURE_DEMO_PASSWORD cannot be the password of the demo account {}: {m}", account.email),
                )
            })?;
        }
        let mut tx = self.store.write().await?;
        if !st::partnerships(&mut tx).await?.is_empty() {
            return Err(CoreError::field(
                "database",
                "The database already holds partnerships; the demo needs an empty one",
            ));
        }
        let southend = st::create_partnership(
            &mut tx,
            "southend",
            "Southend Safeguarding Partnership",
            &[
                (ArmKind::Children, "Southend Safeguarding Partnership (Children)"),
                (ArmKind::Adults, "Southend Safeguarding Partnership (Adults)"),
            ],
        )
        .await?;
        let essex = st::create_partnership(
            &mut tx,
            "essex",
            "Essex Safeguarding Partnership",
            &[
                (ArmKind::Children, "Essex Safeguarding Children Board"),
                (ArmKind::Adults, "Essex Safeguarding Adults Board"),
            ],
        )
        .await?;
        let thurrock = st::create_partnership(
            &mut tx,
            "thurrock",
            "Thurrock Safeguarding Partnership",
            &[
                (ArmKind::Children, "Thurrock Local Safeguarding Children Partnership"),
                (ArmKind::Adults, "Thurrock Safeguarding Adults Board"),
            ],
        )
        .await?;
        audit_log::append(
            &mut tx,
            audit_log::NewEntry {
                actor_label: "cli".into(),
                action: "demo_loaded".into(),
                record_type: "partnership".into(),
                detail: json!({"partnerships": [southend, essex, thurrock]}),
                ..Default::default()
            },
        )
        .await?;
        tx.commit().await?;

        let ctx = self.operator().await?;
        let s = self.load_demo_structure(&ctx, southend, [essex, thurrock]).await?;
        for p in [southend, essex, thurrock] {
            for theme in crate::reviews::themes::STARTER_THEMES {
                self.add_theme(&ctx, p, theme).await?;
            }
        }
        if wants(DemoPart::Reviews) || wants(DemoPart::Learning) {
            self.load_demo_reviews(&ctx, southend).await?;
            self.tag_demo_reviews(&ctx, southend).await?;
        }
        self.load_demo_accounts(&ctx, password, [southend, essex, thurrock], &s).await?;
        // After the accounts (risks have owners) and before the meetings (a board's next meeting
        // is proposed the risks above appetite).
        if wants(DemoPart::Risks) {
            self.load_demo_risks(&ctx, southend, &s).await?;
        }
        if wants(DemoPart::Strategy) {
            self.load_demo_strategy(&ctx, southend, &s).await?;
        }
        if wants(DemoPart::Finance) {
            self.load_demo_finance(&ctx, southend, &s).await?;
        }
        if wants(DemoPart::Training) {
            self.load_demo_training(&ctx, southend, &s).await?;
        }
        // After the accounts: the business unit hears of a seat not represented twice.
        self.load_demo_meetings(&ctx, &s).await?;
        // After the meetings: this year's challenge was raised at the latest one.
        if wants(DemoPart::Challenges) {
            self.load_demo_challenges(&ctx, southend, &s).await?;
        }
        if wants(DemoPart::Learning) {
            self.load_demo_learning(&ctx, southend).await?;
        }
        if wants(DemoPart::Inspections) {
            self.load_demo_inspections(&ctx, southend, &s).await?;
        }
        if wants(DemoPart::Voice) {
            self.load_demo_voice(&ctx, (southend, essex), &s).await?;
        }
        if wants(DemoPart::Bulletins) {
            self.load_demo_bulletins(&ctx, southend).await?;
        }
        if wants(DemoPart::Reports) {
            self.load_demo_reports(&ctx, southend, &s).await?;
        }
        if wants(DemoPart::Audits) {
            self.load_shipped_frameworks().await?;
            self.load_demo_audits(&ctx, southend, &[essex, thurrock]).await?;
        }
        if wants(DemoPart::Intelligence) {
            self.load_demo_intelligence(&ctx, southend, &s).await?;
        }
        Ok(())
    }
}
