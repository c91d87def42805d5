//! `assure risks`: the partnership's risk registers from the console: list them (or one
//! register's risks), show a risk with its history, and record a review of its rating.

use anyhow::{Result, anyhow};
use assure_domain::structure::Choice;

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum RisksCommand {
    /// List the partnership's registers (id, name, open risks, above appetite, reviews due), or
    /// with --register one register's risks (id, reference, category, current, direction,
    /// target, review date, status), tab-separated.
    List {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// A register's name, to list its risks.
        #[arg(long)]
        register: Option<String>,
    },
    /// Show a risk and every rating it has been given.
    Show {
        /// The risk's id (the first column of `risks list --register`).
        id: i64,
    },
    /// Record a review of a risk's rating, as the operator: the current rating (changed or as it
    /// stands), why, and the next review date. Every rating is kept.
    Rate {
        /// The risk's id.
        id: i64,
        #[arg(long)]
        likelihood: String,
        #[arg(long)]
        impact: String,
        /// What changed, or why the rating stands.
        #[arg(long)]
        reason: String,
        /// The next review (YYYY-MM-DD), today or later.
        #[arg(long)]
        review_on: String,
        /// A new target likelihood and impact (both, or neither to keep the target).
        #[arg(long)]
        target_likelihood: Option<String>,
        #[arg(long)]
        target_impact: Option<String>,
        /// Why the target is worse than the current rating, when it is.
        #[arg(long)]
        target_reason: Option<String>,
    },
}

impl RisksCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        match self {
            RisksCommand::List { partnership, register } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let all = core.risk_registers(&ctx, p).await.map_err(explain)?;
                match register {
                    None => {
                        for s in all {
                            println!(
                                "{}\t{}\t{}\t{}\t{}",
                                s.register.id, s.register.name, s.open, s.above_appetite, s.review_due
                            );
                        }
                    }
                    Some(name) => {
                        let wanted = name.trim().to_lowercase();
                        let found = all
                            .iter()
                            .find(|s| s.register.name.to_lowercase() == wanted)
                            .ok_or_else(|| anyhow!("no risk register named \"{name}\" in {partnership}"))?;
                        let view = core.risk_register(&ctx, found.register.id).await.map_err(explain)?;
                        for l in view.lines {
                            println!(
                                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                                l.risk.id,
                                l.risk.reference,
                                l.risk.category_name,
                                l.current.as_ref().map(|c| c.rating.words()).unwrap_or_default(),
                                l.direction.code(),
                                l.target.map(|t| t.words()).unwrap_or_default(),
                                l.risk.review_on,
                                l.risk.status.code()
                            );
                        }
                    }
                }
            }
            RisksCommand::Show { id } => {
                let v = core.risk(&ctx, assure_domain::RiskId(id)).await.map_err(explain)?;
                let l = &v.line;
                println!("{} {} ({}, {})", l.risk.reference, l.risk.title, v.register.name, l.risk.category_name);
                println!("owner: {}", l.risk.owner);
                if let Some(c) = &l.current {
                    println!("current: {} (score {}), {}", c.rating.words(), c.rating.score(), l.direction.label());
                }
                if let Some(t) = l.target {
                    println!("target: {} (score {})", t.words(), t.score());
                }
                println!("next review: {}; status: {}", l.risk.review_on, l.risk.status.code());
                for h in &v.history {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        h.entry.rated_on,
                        h.entry.kind.code(),
                        h.from.map(|r| r.words()).unwrap_or_default(),
                        h.entry.rating.words(),
                        h.entry.by_label,
                        h.entry.reason.as_deref().unwrap_or("")
                    );
                }
            }
            RisksCommand::Rate {
                id,
                likelihood,
                impact,
                reason,
                review_on,
                target_likelihood,
                target_impact,
                target_reason,
            } => {
                let input = assure_domain::risks::RatingInput {
                    current_likelihood: likelihood,
                    current_impact: impact,
                    target_likelihood: target_likelihood.unwrap_or_default(),
                    target_impact: target_impact.unwrap_or_default(),
                    target_reason: target_reason.unwrap_or_default(),
                    reason,
                    review_on,
                };
                let risk = assure_domain::RiskId(id);
                core.rate_risk(&ctx, risk, &input).await.map_err(explain)?;
                let v = core.risk(&ctx, risk).await.map_err(explain)?;
                if let Some(c) = &v.line.current {
                    println!(
                        "recorded: {} {} is now {} ({})",
                        v.line.risk.reference,
                        v.register.name,
                        c.rating.words(),
                        v.line.direction.label()
                    );
                }
            }
        }
        Ok(())
    }
}
