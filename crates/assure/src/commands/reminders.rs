//! `assure reminders`: sending the reminders that are due (the server also does, hourly).

use anyhow::Result;

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum RemindersCommand {
    /// Send every reminder that is due and not yet sent, in the application and by e-mail.
    Send,
}
impl RemindersCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let RemindersCommand::Send = self;

        let core = open(config).await?;
        let report = core.send_reminders().await.map_err(explain)?;
        println!(
            "Reminders: {} in the application, {} by e-mail, {} e-mail failures",
            report.notifications, report.emails, report.email_failures
        );
        Ok(())
    }
}
