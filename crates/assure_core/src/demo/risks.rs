//! The demo's risk registers: Southend's adults' and children's registers of January 2020, as
//! published (`risks.toml`), on the 4 × 4 matrix with the partnership's four categories; each
//! overseen by its board, which has set an appetite for financial risks of a score of 8, so that
//! the two financial risks rated 4 × 3 show above it. The rating one risk had before ("Rating
//! amended from 1 x 1") is kept as its earlier rating, so direction of travel shows from the
//! first day. Reviews fall due over the coming weeks.

use assure_domain::risks::{NewControl, NewRegister, Rating, RatingKind};
use assure_domain::structure::{ArmKind, Choice};
use assure_domain::{PartnershipId, RiskRegisterId};
use assure_store::audit_log;
use assure_store::risks::{self as st, NewRatingEntry, RiskFields};
use chrono::{Days, NaiveDate};
use serde::Deserialize;
use serde_json::json;

use super::lookup;
use super::structure::DemoStructure;
use crate::{CoreError, CoreResult, Ctx};

const DATA: &str = include_str!("risks.toml");

#[derive(Deserialize)]
struct Data {
    register: Vec<RegisterData>,
}

#[derive(Deserialize)]
struct RegisterData {
    name: String,
    arm: String,
    body: String,
    rated_on: NaiveDate,
    earlier_on: NaiveDate,
    risk: Vec<RiskData>,
}

#[derive(Deserialize)]
struct RiskData {
    reference: String,
    category: String,
    title: String,
    consequence: String,
    owner: String,
    #[serde(default)]
    owner_email: Option<String>,
    current: String,
    #[serde(default)]
    earlier: Option<String>,
    target: String,
    controls: Vec<[String; 3]>,
}

fn rating(text: &str) -> CoreResult<Rating> {
    Rating::parse(text).ok_or_else(|| CoreError::Internal(format!("demo risk rating {text}")))
}

impl crate::Core {
    /// Loads the demo's registers into `p` (Southend) in one transaction.
    pub(super) async fn load_demo_risks(&self, ctx: &Ctx, p: PartnershipId, s: &DemoStructure) -> CoreResult<()> {
        let data: Data = toml::from_str(DATA).map_err(|e| CoreError::Internal(format!("demo risks: {e}")))?;
        let presets = crate::risks::presets();
        let matrix = presets.matrix("four_by_four").ok_or_else(|| CoreError::Internal("no 4 × 4 matrix".into()))?;
        let names = presets.categories("partnership").ok_or_else(|| CoreError::Internal("no categories".into()))?;
        let today = self.today();
        let mut tx = self.store.write().await?;
        let mut made: Vec<RiskRegisterId> = Vec::new();
        let mut n: u64 = 0;
        for g in &data.register {
            let new = NewRegister {
                name: g.name.clone(),
                arm: ArmKind::parse(&g.arm),
                body_id: Some(lookup(&s.bodies, &g.body)?),
            };
            let id = st::insert_register(&mut tx, p, &new, &ctx.name).await?;
            let matrix_id = st::insert_matrix(&mut tx, id, &matrix.matrix(), &ctx.name).await?;
            let mut categories = Vec::new();
            for name in &names.names {
                categories.push((name.clone(), st::insert_category(&mut tx, id, name).await?));
            }
            let financial = lookup(&categories, "Financial")?;
            st::set_appetite(&mut tx, financial, Some(8), Some("The board, March 2020"), &ctx.name).await?;
            for r in &g.risk {
                let owner = match &r.owner_email {
                    Some(email) => {
                        assure_store::reminders::active_user_by_email(&mut tx, email).await?.map(|u| u.user_id)
                    }
                    None => None,
                };
                n += 1;
                // Reviews fall due a week apart from next week, so some are due soon.
                let review_on = today.checked_add_days(Days::new(7 * n)).unwrap_or(today);
                let fields = RiskFields {
                    category_id: lookup(&categories, &r.category)?,
                    reference: &r.reference,
                    title: &r.title,
                    consequence: Some(&r.consequence),
                    owner: &r.owner,
                    owner_user_id: owner,
                    target_date: None,
                    review_on,
                };
                let risk = st::insert_risk(&mut tx, id, &fields, &ctx.name).await?;
                let mut entries: Vec<(RatingKind, Rating, NaiveDate, String)> = Vec::new();
                if let Some(earlier) = &r.earlier {
                    entries.push((
                        RatingKind::Current,
                        rating(earlier)?,
                        g.earlier_on,
                        "As the register then stood".into(),
                    ));
                }
                let why = match &r.earlier {
                    Some(e) => format!("Rating amended from {e} (the register of January 2020)"),
                    None => "As the register of January 2020 rates it".to_owned(),
                };
                entries.push((RatingKind::Current, rating(&r.current)?, g.rated_on, why));
                entries.push((RatingKind::Target, rating(&r.target)?, g.rated_on, "The register's target".into()));
                for (kind, rating, rated_on, reason) in entries {
                    let entry = NewRatingEntry { matrix_id, kind, rating, rated_on, reason: Some(&reason) };
                    st::insert_rating(&mut tx, risk, &entry, &ctx.name).await?;
                }
                for [description, owner, timeframe] in &r.controls {
                    let control = NewControl {
                        description: description.clone(),
                        owner: Some(owner.clone()),
                        timeframe: Some(timeframe.clone()),
                        in_place: true,
                    };
                    st::insert_control(&mut tx, risk, &control, &ctx.name).await?;
                }
            }
            made.push(id);
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "import",
                "risk_register",
                None,
                Some(p),
                json!({"registers": made, "risks": n, "source": "demo"}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
