//! `assure feedback`: the feedback given on the partnership's public page, from the console: list
//! it, show one piece with its triage (each read logged, as on every channel), and list "You
//! said, we did".

use anyhow::Result;
use assure_domain::structure::Choice;

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum FeedbackCommand {
    /// List the feedback, the latest first: id, reference, received, giver, topic, status,
    /// passed on to; tab-separated.
    List {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
    },
    /// Show one piece of feedback with its triage.
    Show {
        /// The feedback's id (the first column of `feedback list`).
        id: i64,
    },
    /// List "You said, we did", the latest done first: done on, published, you said, we did;
    /// tab-separated.
    SaidDid {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
    },
    /// List the surveys: id, answers, open or closed, title; tab-separated.
    Surveys {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
    },
    /// A survey's results: each question with its counts, mean and written answers.
    Survey {
        /// The survey's id (the first column of `feedback surveys`).
        id: i64,
    },
}

impl FeedbackCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        match self {
            FeedbackCommand::List { partnership } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let inbox = core.feedback_inbox(&ctx, p).await.map_err(explain)?;
                for f in &inbox.items {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        f.id,
                        assure_domain::voice::reference(f.number),
                        f.received_at.get(..10).unwrap_or_default(),
                        f.giver.code(),
                        f.topic.code(),
                        f.status.code(),
                        f.routed_to.as_deref().unwrap_or_default()
                    );
                }
            }
            FeedbackCommand::Show { id } => {
                let v = core.feedback_item(&ctx, id).await.map_err(explain)?;
                let f = &v.feedback;
                println!(
                    "{}: {} about {}",
                    assure_domain::voice::reference(f.number),
                    f.giver.label(),
                    f.topic.label()
                );
                println!("Received: {}", f.received_at);
                println!("Feedback: {}", f.feedback);
                println!("Reply to: {}", f.reply_to.as_deref().unwrap_or("no reply asked for"));
                println!("Status: {}", f.status.label());
                for s in &v.steps {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        s.created_at.get(..10).unwrap_or_default(),
                        s.by_label,
                        s.step.code(),
                        s.routed_to.as_deref().unwrap_or_default(),
                        s.note.as_deref().unwrap_or_default()
                    );
                }
            }
            FeedbackCommand::SaidDid { partnership } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let list = core.said_did_list(&ctx, p).await.map_err(explain)?;
                for e in &list.entries {
                    println!(
                        "{}\t{}\t{}\t{}",
                        e.done_on,
                        if e.published { "published" } else { "" },
                        e.you_said,
                        e.we_did
                    );
                }
            }
            FeedbackCommand::Surveys { partnership } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let list = core.surveys(&ctx, p).await.map_err(explain)?;
                for (s, open) in &list.surveys {
                    println!("{}\t{}\t{}\t{}", s.id, s.responses, if *open { "open" } else { "closed" }, s.title);
                }
            }
            FeedbackCommand::Survey { id } => {
                let v = core.survey_results(&ctx, id).await.map_err(explain)?;
                println!("{} ({} answers)", v.survey.title, v.survey.responses);
                for (i, r) in v.results.iter().enumerate() {
                    let mean = r.mean.map(|m| format!(", mean {m}")).unwrap_or_default();
                    println!("{}. {} ({} answered{mean})", i + 1, r.question.text(), r.answered);
                    for (answer, n) in &r.counts {
                        println!("\t{answer}\t{n}");
                    }
                    for w in &r.written {
                        println!("\t{w}");
                    }
                }
            }
        }
        Ok(())
    }
}
