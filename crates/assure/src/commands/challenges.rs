//! `assure challenges`: the challenge and escalation log from the console: list it (all, open or
//! flagged), show an entry with its progress, and record progress as the operator.

use anyhow::Result;
use assure_domain::structure::Choice;

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum ChallengesCommand {
    /// List the log, the latest raised first: id, reference, raised on, direction, agency,
    /// responsible, status, days, flagged; tab-separated.
    List {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// Only the open entries.
        #[arg(long)]
        open: bool,
        /// Only the entries open longer than the partnership's set time.
        #[arg(long)]
        flagged: bool,
    },
    /// Show an entry with its progress.
    Show {
        /// The entry's id (the first column of `challenges list`).
        id: i64,
    },
    /// Record progress on an open entry, as the operator.
    Progress {
        id: i64,
        /// What has happened since.
        #[arg(long)]
        progress: String,
        /// The day of the progress (YYYY-MM-DD); today when left out.
        #[arg(long, default_value = "")]
        on: String,
    },
}

impl ChallengesCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        match self {
            ChallengesCommand::List { partnership, open, flagged } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let filter = assure_core::challenges::Filter { open: open.then_some(true), direction: None, flagged };
                let log = core.challenges(&ctx, p, filter).await.map_err(explain)?;
                for e in &log.entries {
                    let c = &e.challenge;
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        c.id,
                        e.reference(),
                        c.raised_on,
                        c.direction.code(),
                        c.organisation,
                        c.responsible,
                        c.status.code(),
                        e.age_days,
                        if e.flagged { "flagged" } else { "" }
                    );
                }
            }
            ChallengesCommand::Show { id } => {
                let v = core.challenge(&ctx, id).await.map_err(explain)?;
                let c = &v.entry.challenge;
                println!("{}: {} ({})", v.entry.reference(), c.organisation, c.direction.label());
                println!("Raised on {} by {}", c.raised_on, c.raised_by);
                if let Some(m) = &c.meeting {
                    println!("At the meeting: {m}");
                }
                println!("Concern: {}", c.details);
                println!("Action agreed: {}", c.action_agreed);
                println!("Responsible: {}", c.responsible);
                println!("Status: {}", c.status.label());
                if let (Some(on), Some(closure)) = (c.closed_on, &c.closure) {
                    println!("Closed on {on}: {closure}");
                }
                for p in &v.progress {
                    println!("{}\t{}\t{}", p.on, p.by_label, p.progress);
                }
                for a in &v.actions {
                    println!("action {}\t{}", a.action_id.0, a.text);
                }
            }
            ChallengesCommand::Progress { id, progress, on } => {
                let input = assure_domain::challenges::ProgressInput { on, progress };
                core.add_challenge_progress(&ctx, id, &input).await.map_err(explain)?;
                println!("Progress recorded on entry {id}");
            }
        }
        Ok(())
    }
}
