//! `assure bulletins`: the partnership's bulletins from the console: list them with their counts,
//! show one with its items, publish a draft, send a published one, and send what is waiting in the
//! queue (which the hourly work also does).

use anyhow::Result;
use assure_domain::structure::Choice;

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum BulletinsCommand {
    /// List the bulletins, drafts first: id, number, status, sent, recipients, delivered,
    /// unsubscribes, clicks, title; tab-separated; then the subscribers' counts.
    List {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
    },
    /// Show one bulletin with its items.
    Show {
        /// The bulletin's id (the first column of `bulletins list`).
        id: i64,
    },
    /// Publish a draft: it takes the partnership's next number and shows on the public archive.
    Publish { id: i64 },
    /// Send a published bulletin once to every confirmed subscriber, and wait until the copies
    /// have gone (needs `smtp_url`).
    Send { id: i64 },
    /// Send the copies still waiting (a sending interrupted by a restart).
    Deliver,
}

impl BulletinsCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        match self {
            BulletinsCommand::List { partnership } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let list = core.bulletins(&ctx, p).await.map_err(explain)?;
                for b in &list.bulletins {
                    let c = b.counts;
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        b.id,
                        b.number.map(|n| n.to_string()).unwrap_or_default(),
                        b.status.code(),
                        b.sent_at.as_deref().and_then(|s| s.get(..10)).unwrap_or_default(),
                        c.recipients,
                        c.delivered,
                        c.unsubscribes,
                        c.clicks,
                        b.title
                    );
                }
                let s = list.subscribers;
                println!(
                    "Subscribers: {} confirmed, {} waiting to confirm, {} unsubscribed",
                    s.confirmed, s.pending, s.unsubscribed
                );
            }
            BulletinsCommand::Show { id } => {
                let v = core.bulletin(&ctx, id).await.map_err(explain)?;
                let b = &v.bulletin;
                println!("{} ({})", b.title, b.status.label());
                if let Some(path) = &v.public_path {
                    println!("Public page: {}{path}", core.settings.public_url);
                }
                if let Some(intro) = &b.introduction {
                    println!("{intro}");
                }
                for i in &v.items {
                    println!("\n{}: {}", i.kind.label(), i.title);
                    if let Some(body) = &i.body {
                        println!("{body}");
                    }
                    if let Some(link) = &i.link {
                        println!("Link: {link} ({} clicks)", i.clicks);
                    }
                }
            }
            BulletinsCommand::Publish { id } => {
                let n = core.publish_bulletin(&ctx, id).await.map_err(explain)?;
                println!("Published as bulletin {n}");
            }
            BulletinsCommand::Send { id } => {
                let queued = core.send_bulletin(&ctx, id).await.map_err(explain)?;
                let sent = core.send_queued_bulletins().await.map_err(explain)?;
                println!(
                    "{queued} copies queued; {} delivered to the mail server, {} failed",
                    sent.delivered, sent.failed
                );
            }
            BulletinsCommand::Deliver => {
                let sent = core.send_queued_bulletins().await.map_err(explain)?;
                println!("{} delivered to the mail server, {} failed", sent.delivered, sent.failed);
            }
        }
        Ok(())
    }
}
