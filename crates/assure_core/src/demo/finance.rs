//! The demo's budgets (`finance.toml`): Southend's 2019-20 budget from its arrangements
//! (expenditure, in kind and the contributions shared 48 / 26 / 26 after minor others) and
//! 2022-23 from its annual report (equal thirds, locked at its outturn with £178k of reserves),
//! so that the shares and totals can be checked against the partnership's own papers. The
//! Community Rehabilitation Company that contributed in 2019-20 is recorded as closed when the
//! companies joined the Probation Service in June 2021.

use assure_domain::PartnershipId;
use assure_domain::finance::{BudgetInput, ContributionRow, ContributionsInput, LineInput};
use assure_domain::structure::{EndInput, OrganisationInput};
use serde::Deserialize;

use super::lookup;
use super::structure::DemoStructure;
use crate::finance::LockInput;
use crate::{CoreResult, Ctx};

const DATA: &str = include_str!("finance.toml");

#[derive(Deserialize)]
struct Data {
    budget: Vec<BudgetData>,
}

#[derive(Deserialize)]
struct BudgetData {
    year: i32,
    title: String,
    in_kind_counted: bool,
    notes: String,
    contributions_total: String,
    /// [organisation, share, amount]
    contributions: Vec<[String; 3]>,
    /// [side, group, description, pounds, organisation]
    lines: Vec<[String; 5]>,
    #[serde(default)]
    locked_reserves: Option<String>,
}

impl crate::Core {
    pub(super) async fn load_demo_finance(&self, ctx: &Ctx, p: PartnershipId, s: &DemoStructure) -> CoreResult<()> {
        let data: Data = toml::from_str(DATA).map_err(|e| crate::CoreError::Internal(format!("finance.toml: {e}")))?;
        let crc = self
            .create_organisation(
                ctx,
                p,
                &OrganisationInput {
                    name: "Essex Community Rehabilitation Company".into(),
                    kind: "relevant_agency".into(),
                    sector: "probation".into(),
                    parent_id: String::new(),
                },
            )
            .await?;
        self.end_organisation(ctx, crc, &EndInput { ended_on: "2021-06-25".into() }).await?;
        let mut orgs = s.orgs.clone();
        orgs.push(("Essex Community Rehabilitation Company".into(), crc));
        for b in data.budget {
            let id = self
                .create_budget(
                    ctx,
                    p,
                    &BudgetInput {
                        year: b.year.to_string(),
                        title: b.title,
                        in_kind_counted: if b.in_kind_counted { "yes".into() } else { String::new() },
                        notes: b.notes,
                        ..Default::default()
                    },
                )
                .await?;
            let mut rows = Vec::new();
            for [org, share, amount] in &b.contributions {
                rows.push(ContributionRow {
                    organisation_id: lookup(&orgs, org)?.to_string(),
                    share: share.clone(),
                    amount: amount.clone(),
                });
            }
            self.set_contributions(
                ctx,
                id,
                &ContributionsInput { total: b.contributions_total, rows, reason: String::new() },
            )
            .await?;
            for [side, group, description, pounds, org] in &b.lines {
                let organisation_id = if org.is_empty() { String::new() } else { lookup(&orgs, org)?.to_string() };
                self.add_budget_line(
                    ctx,
                    id,
                    &LineInput {
                        side: side.clone(),
                        category: group.clone(),
                        description: description.clone(),
                        organisation_id,
                        budget: pounds.clone(),
                        ..Default::default()
                    },
                )
                .await?;
            }
            if let Some(reserves) = b.locked_reserves {
                self.lock_budget(ctx, id, &LockInput { reserves_carried_forward: reserves }).await?;
            }
        }
        Ok(())
    }
}
