//! `assure partnership`: the partnerships (tenants) on this instance.

use anyhow::{Result, anyhow, bail};

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum PartnershipCommand {
    /// Add a partnership with its children's and adults' arms.
    Add {
        /// Short name used in the API, e.g. southend.
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
    },
    /// List partnerships, one a line: slug, name.
    List,
}
impl PartnershipCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        match self {
            PartnershipCommand::Add { slug, name } => {
                let slug = slug.trim().to_lowercase();
                if slug.is_empty() || !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                    bail!("--slug: use lower-case letters, digits and hyphens, like southend");
                }
                let name = assure_domain::validation::required_text("a name", &name, 200)
                    .map_err(|m| anyhow!("--name: {m}"))?;
                core.add_partnership(&slug, &name, &[(ArmKind::Children, "Children"), (ArmKind::Adults, "Adults")])
                    .await
                    .map_err(explain)?;
                println!("Added {slug}: {name}");
            }
            PartnershipCommand::List => {
                let ctx = core.operator().await.map_err(explain)?;
                for p in core.my_partnerships(&ctx).await.map_err(explain)? {
                    println!("{}\t{}", p.slug, p.name);
                }
            }
        }
        Ok(())
    }
}
