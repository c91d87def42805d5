//! `assure audit`: checking the audit log's hash chain.

use anyhow::{Result, bail};

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the whole hash chain; exits non-zero when any entry was changed or removed.
    Verify,
}
impl AuditCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let AuditCommand::Verify = self;

        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        let result = core.verify_audit(&ctx).await.map_err(explain)?;
        match result.problem {
            None => {
                println!("The audit log is intact: {} entries, head {}", result.entries, result.head_hash);
                Ok(())
            }
            Some(problem) => {
                bail!("the audit log has been tampered with: {problem} ({} entries verified before it)", result.entries)
            }
        }
    }
}
