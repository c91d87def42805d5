//! `assure plan`: the Consolidated Action Plan from the console.

use anyhow::{Result, bail};

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum PlanCommand {
    /// Write the plan's actions to an XLSX spreadsheet (a new file), filtered like the page.
    Export {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// Only overdue actions.
        #[arg(long)]
        overdue: bool,
        /// not_started, in_progress, completed or cancelled (default: every open action).
        #[arg(long, default_value = "")]
        status: String,
        /// children or adults.
        #[arg(long, default_value = "")]
        arm: String,
        /// review, audit, inspection or partnership: only the actions of recommendations from there.
        #[arg(long, default_value = "")]
        source: String,
        file: PathBuf,
    },
}
impl PlanCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let PlanCommand::Export { partnership, overdue, status, arm, source, file } = self;

        if file.exists() {
            bail!("{} already exists; choose a new file name", file.display());
        }
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        let p = partnership_id(&core, &ctx, &partnership).await?;
        let filter = assure_domain::learning::PlanFilterInput {
            status,
            arm,
            source,
            overdue: if overdue { "yes".into() } else { String::new() },
            ..Default::default()
        }
        .validate()
        .map_err(|e| explain(e.into()))?;
        let workbook = core.plan_xlsx(&ctx, p, &filter).await.map_err(explain)?;
        std::fs::write(&file, workbook.bytes)?;
        println!("Wrote the action plan to {}", file.display());
        Ok(())
    }
}
