//! More of the demo, for measuring how pages cope as the data grows: generated reviews with
//! recommendations and actions, and the national-scale data set of the page benchmark
//! (docs/PERFORMANCE.md). Everything but the audit log's entries goes through the same use-cases
//! as the pages; the same call gives the same records (dates count from today).

use assure_domain::PartnershipId;
use assure_domain::learning::{ActionInput, RecommendationInput};
use assure_domain::reviews::NewReviewInput;
use assure_store::audit_log::{self, NewEntry};
use serde_json::json;

use crate::{Core, CoreError, CoreResult};

/// Actions on the plan for each generated review (under its one recommendation).
pub const ACTIONS_PER_REVIEW: usize = 10;

/// The national-scale data set: what `assure demo --national` adds to the demo.
pub struct National {
    /// Generated reviews (each with a recommendation and [`ACTIONS_PER_REVIEW`] actions).
    pub reviews: usize,
    /// Section 11 campaigns, one a year, each to every organisation of Southend, every return
    /// answered, submitted and closed.
    pub campaigns: usize,
    /// Entries added to the audit log: reads of reviews by the business unit, the panel and the
    /// scrutineer.
    pub audit_entries: usize,
}

/// Every local authority's published figures, 1,000 reviews with 10,000 actions, six yearly
/// Section 11 rounds (about 500 returns) and a million audit-log entries.
pub const NATIONAL: National = National { reviews: 1_000, campaigns: 6, audit_entries: 1_000_000 };

/// Audit-log entries written per transaction.
const ENTRIES_PER_BATCH: usize = 20_000;

impl Core {
    async fn demo_southend(&self, ctx: &crate::Ctx) -> CoreResult<PartnershipId> {
        Ok(self
            .my_partnerships(ctx)
            .await?
            .into_iter()
            .find(|p| p.slug == "southend")
            .ok_or_else(|| CoreError::field("database", "The database holds no demo partnership"))?
            .id)
    }

    /// `reviews` more case reviews in Southend (Child S1, S2, ...; aware in turn on each of the
    /// last 1,000 days), each with a recommendation owned by the Child Practice Review subgroup
    /// and [`ACTIONS_PER_REVIEW`] actions for Essex Police due over the next three years.
    pub async fn scale_demo(&self, reviews: usize) -> CoreResult<()> {
        let ctx = self.operator().await?;
        let southend = self.demo_southend(&ctx).await?;
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
            for k in 0..ACTIONS_PER_REVIEW {
                let action = ActionInput {
                    action: format!("Generated action {} of review {}", k + 1, n + 1),
                    organisation_id: police.clone(),
                    owner: "Detective Inspector, Public Protection".into(),
                    owner_email: String::new(),
                    target_on: (today + chrono::Duration::days(30 + ((n * ACTIONS_PER_REVIEW + k) % 1000) as i64))
                        .to_string(),
                };
                self.add_action(&ctx, rec, &action).await?;
            }
        }
        Ok(())
    }

    /// The national-scale data set ([`NATIONAL`]) on top of the demo: every local authority's
    /// published figures (not only Southend's neighbours), then the generated reviews, the
    /// Section 11 rounds and the audit log's entries.
    pub async fn national_demo(&self, size: &National) -> CoreResult<()> {
        let ctx = self.operator().await?;
        let files: Vec<(String, Vec<u8>)> =
            crate::intelligence::indicators::SHIPPED.iter().map(|(n, b)| ((*n).to_owned(), b.to_vec())).collect();
        self.import_published(&ctx, &files).await?;
        self.scale_demo(size.reviews).await?;
        self.scale_campaigns(&ctx, size.campaigns).await?;
        self.scale_audit_log(size.audit_entries).await
    }

    /// `rounds` yearly Section 11 campaigns to every organisation of Southend, ending last year;
    /// every return answered (scores 1 to 4, varying by organisation and question), submitted
    /// and closed, as a business unit records a past round.
    async fn scale_campaigns(&self, ctx: &crate::Ctx, rounds: usize) -> CoreResult<()> {
        let southend = self.demo_southend(ctx).await?;
        let orgs = self.organisations(ctx, southend, false, assure_store::structure::Page::ALL).await?.0;
        let s11 = self
            .frameworks(ctx, None)
            .await?
            .into_iter()
            .find(|f| f.code == "section11")
            .ok_or_else(|| CoreError::field("database", "The demo's Section 11 framework is missing"))?
            .id;
        let (_, framework) = self.framework(ctx, s11).await?;
        let this_year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
        for round in 0..rounds {
            let year = this_year - 1 - (rounds - 1 - round) as i32;
            let campaign = self
                .create_campaign(
                    ctx,
                    southend,
                    &crate::audits::CampaignInput {
                        title: format!("Section 11 audit {year} (generated)"),
                        framework_id: s11.to_string(),
                        opens_on: format!("{year}-01-06"),
                        closes_on: format!("{year}-10-30"),
                        organisation_ids: orgs.iter().map(|o| o.id.to_string()).collect(),
                        partnership_ids: Vec::new(),
                    },
                )
                .await?;
            let view = self.campaign(ctx, campaign).await?;
            for (n, a) in view.assessments.iter().enumerate() {
                let answers = super::audits::demo_answers(&framework, |q| {
                    let spread = q.bytes().map(usize::from).sum::<usize>() + n + round;
                    (1 + spread % 4).to_string()
                });
                self.set_assessment_unlocked(ctx, a.id, true).await?;
                self.save_answers(ctx, a.id, &answers).await?;
                self.step_assessment(ctx, a.id, "submit", "").await?;
                self.step_assessment(ctx, a.id, "close", "").await?;
                self.set_assessment_unlocked(ctx, a.id, false).await?;
            }
        }
        Ok(())
    }

    /// `entries` more audit-log entries: reads of Southend's reviews, in turn by the business
    /// manager, the support officer and the scrutineer, each naming one review. Written straight to
    /// the log (chained as every entry is), in batches of [`ENTRIES_PER_BATCH`].
    async fn scale_audit_log(&self, entries: usize) -> CoreResult<()> {
        let ctx = self.operator().await?;
        let southend = self.demo_southend(&ctx).await?;
        let mut conn = self.store.read().await?;
        let mut readers = Vec::new();
        for email in ["business.manager@example.org", "support.officer@example.org", "scrutineer@example.org"] {
            if let Some(u) = assure_store::accounts::user_by_email(&mut conn, email).await? {
                readers.push((u.id.0, u.email));
            }
        }
        let reviews: Vec<i64> =
            assure_store::reviews::reviews(&mut conn, southend).await?.iter().map(|r| r.id.0).collect();
        drop(conn);
        if readers.is_empty() || reviews.is_empty() {
            return Err(CoreError::field("database", "The demo's accounts or reviews are missing"));
        }
        let mut written = 0;
        while written < entries {
            let batch: Vec<NewEntry> = (written..entries.min(written + ENTRIES_PER_BATCH))
                .map(|n| {
                    let (user, label) = &readers[n % readers.len()];
                    let review = reviews[(n / readers.len()) % reviews.len()];
                    NewEntry {
                        actor_user_id: Some(*user),
                        actor_label: label.clone(),
                        action: "read".into(),
                        record_type: "review".into(),
                        record_id: Some(review.to_string()),
                        partnership_id: Some(southend.0),
                        ip: Some("127.0.0.1".into()),
                        request_id: None,
                        detail: json!({"generated": true}),
                    }
                })
                .collect();
            written += batch.len();
            let mut tx = self.store.write().await?;
            audit_log::append_all(&mut tx, batch).await?;
            tx.commit().await?;
        }
        Ok(())
    }
}
