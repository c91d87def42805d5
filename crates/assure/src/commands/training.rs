//! `assure training`: the partnership's training from the console: list the sessions, print
//! what the training of a period reached by agency, read an online meeting's attendance report
//! into a session's register, and run the follow-ups and retention now (the server does this
//! every hour).

use anyhow::{Context, Result, anyhow};
use assure_domain::structure::Choice;

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum TrainingCommand {
    /// List the partnership's sessions, one a line: session id, day and time, event, kind,
    /// places, booked, waiting, offered to the waiting list; tab-separated.
    List {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
    },
    /// Print what the training of a period reached, one agency a line: agency, booked,
    /// attended, did not attend, late cancellations, cancelled; then the totals.
    Report {
        #[arg(long)]
        partnership: String,
        /// YYYY-MM-DD; the start of this financial year when left out.
        #[arg(long, default_value = "")]
        from: String,
        /// YYYY-MM-DD; today when left out.
        #[arg(long, default_value = "")]
        to: String,
    },
    /// Mark attended every booked place whose address is in an online meeting's attendance
    /// report (CSV or XLSX), as the operator.
    Register {
        /// The session's id (the first column of `training list`).
        session: i64,
        /// The report file.
        file: std::path::PathBuf,
    },
    /// Lapse offers of places not accepted in time (offering each place to the next), send the
    /// follow-ups and reminders due (managers' too) and erase booking details past their
    /// retention, now.
    Work,
}

impl TrainingCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        match self {
            TrainingCommand::List { partnership } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let programme = core.training(&ctx, p).await.map_err(explain)?;
                let mut sessions: Vec<_> = programme.events.iter().flat_map(|(_, s)| s.iter()).collect();
                sessions.sort_by_key(|s| (s.starts, s.id));
                for s in sessions {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        s.id,
                        s.starts.format("%Y-%m-%d %H:%M"),
                        s.event_title,
                        s.event_kind.code(),
                        s.capacity,
                        s.booked,
                        s.waiting,
                        s.offered
                    );
                }
            }
            TrainingCommand::Report { partnership, from, to } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let q = assure_domain::training::report_period(&from, &to, core.today()).map_err(|e| {
                    anyhow!(e.iter().flat_map(|(_, m)| m.iter().cloned()).collect::<Vec<_>>().join("; "))
                })?;
                let r = core.training_report(&ctx, p, q.0, q.1).await.map_err(explain)?;
                for row in &r.by_organisation {
                    let c = &row.counts;
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        row.name, c.booked, c.attended, c.no_show, c.late_cancellation, c.cancelled
                    );
                }
                let t = &r.total;
                println!(
                    "# {} to {}: {} sessions, {} booked, {} attended, {} did not attend, {} late cancellations, {} cancelled",
                    r.from, r.to, r.sessions, t.booked, t.attended, t.no_show, t.late_cancellation, t.cancelled
                );
            }
            TrainingCommand::Register { session, file } => {
                let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                core.permit_register_import(&ctx, session).await.map_err(explain)?;
                let done = core.import_register(&ctx, session, &name, bytes).await.map_err(explain)?;
                println!("{} booked places marked attended", done.marked);
                for (row, email) in done.not_booked {
                    println!("not booked\trow {row}\t{email}");
                }
            }
            TrainingCommand::Work => {
                let w = core.training_work().await.map_err(explain)?;
                println!(
                    "{} offers of places lapsed, {} places offered, {} follow-ups sent, {} reminders, {} managers chased, \
                     {} bookings' details erased, {} e-mails failed",
                    w.offers_lapsed,
                    w.offers_made,
                    w.follow_ups,
                    w.reminders,
                    w.countersign_reminders,
                    w.erased,
                    w.email_failures
                );
            }
        }
        Ok(())
    }
}
