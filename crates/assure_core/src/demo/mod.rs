//! The demo: the Southend Safeguarding Partnership as its 2022/23 reports describe it, with
//! Essex and Thurrock as neighbours. Organisations are the real agencies the reports name;
//! people are fictional; accounts use the reserved domain example.org. Everything goes through
//! the same use-cases (validation, audit) as the pages.

use assure_domain::structure::ArmKind;
use assure_store::audit_log;
use assure_store::structure as st;
use serde_json::json;

use crate::{Core, CoreError, CoreResult};

mod accounts;
mod audits;
mod intelligence;
mod learning;
mod reviews;
mod structure;

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
}

impl DemoPart {
    pub const ALL: &[DemoPart] = &[DemoPart::Reviews, DemoPart::Learning, DemoPart::Audits, DemoPart::Intelligence];
}

impl Core {
    /// Loads the whole demo into an empty database (`assure demo`). `password` becomes every
    /// demo account's password.
    pub async fn load_demo(&self, password: &str) -> CoreResult<()> {
        self.load_demo_parts(password, DemoPart::ALL).await
    }

    /// The demo's partnerships, structure, themes and accounts, and of the rest only `parts`.
    /// Each capability's part of the demo is its own loader (`demo/<capability>.rs`), in the
    /// order they depend on each other.
    pub async fn load_demo_parts(&self, password: &str, parts: &[DemoPart]) -> CoreResult<()> {
        let wants = |part: DemoPart| parts.contains(&part);
        assure_domain::password::check_new_password(password, "demo@example.org")
            .map_err(|m| CoreError::field("password", format!("ASSURE_DEMO_PASSWORD: {m}")))?;
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
        if wants(DemoPart::Learning) {
            self.load_demo_learning(&ctx, southend).await?;
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

impl Core {
    /// More of the demo, for measuring: `reviews` more case reviews in Southend (Child S1, S2,
    /// ...; aware in turn on each of the last 1,000 days), each with a recommendation owned by the
    /// Child Practice Review subgroup and three actions for Essex Police due over the next three
    /// years. The same call gives the same records.
    pub async fn scale_demo(&self, reviews: usize) -> CoreResult<()> {
        use assure_domain::learning::{ActionInput, RecommendationInput};
        use assure_domain::reviews::NewReviewInput;
        let ctx = self.operator().await?;
        let southend = self
            .my_partnerships(&ctx)
            .await?
            .into_iter()
            .find(|p| p.slug == "southend")
            .ok_or_else(|| CoreError::field("database", "The database holds no demo partnership"))?
            .id;
        let orgs = self.organisations(&ctx, southend, false, assure_store::structure::Page::ALL).await?.0;
        let police = orgs.iter().find(|o| o.name == "Essex Police").map(|o| o.id.to_string());
        let bodies = self.bodies(&ctx, southend, false, assure_store::structure::Page::ALL).await?.0;
        let cpr = bodies.iter().find(|b| b.name.starts_with("Child Practice Review")).map(|b| b.id.to_string());
        let (Some(police), Some(cpr)) = (police, cpr) else {
            return Err(CoreError::field("database", "The demo's Essex Police or Child Practice Review is missing"));
        };
        let today = chrono::Utc::now().date_naive();
        for n in 0..reviews {
            let aware_on = today - chrono::Duration::days(1 + (n % 1000) as i64);
            let input = NewReviewInput {
                type_code: "lcspr".into(),
                arm: "children".into(),
                subject: format!("Child S{}", n + 1),
                summary: "A generated review, for measuring.".into(),
                aware_on: aware_on.to_string(),
            };
            let review = self.create_review(&ctx, southend, &input).await?;
            let rec = RecommendationInput {
                number: "1".into(),
                text: format!("Generated recommendation {}", n + 1),
                scope: "local".into(),
                body_id: cpr.clone(),
                theme_id: String::new(),
            };
            let rec = self.add_recommendation(&ctx, review, &rec).await?;
            for k in 0..3 {
                let action = ActionInput {
                    action: format!("Generated action {} of review {}", k + 1, n + 1),
                    organisation_id: police.clone(),
                    owner: "Detective Inspector, Public Protection".into(),
                    owner_email: String::new(),
                    target_on: (today + chrono::Duration::days(30 + ((n * 3 + k) % 1000) as i64)).to_string(),
                };
                self.add_action(&ctx, rec, &action).await?;
            }
        }
        Ok(())
    }
}
