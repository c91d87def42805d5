//! The log for the board and the scrutineer: a workbook (a sheet of entries, one of their
//! progress) and a paper (PDF or Word) with the flagged entries first, then the open ones, then
//! those closed, each with its action, who is responsible, its latest progress and how it closed.

use assure_domain::challenges::Status;
use assure_domain::structure::Choice;

use super::{Entry, Log, Progress};
use crate::documents::{Block, Cell, Document, Marking, Table};
use crate::{Core, CoreResult, Ctx};

const COLUMNS: [&str; 15] = [
    "Reference",
    "Direction",
    "Raised on",
    "Raised by",
    "Agency",
    "Meeting",
    "Details",
    "Action agreed",
    "Responsible",
    "Status",
    "Latest progress",
    "Closed on",
    "Evidence or reason",
    "Days",
    "Flagged",
];

fn cells(e: &Entry) -> Vec<Cell> {
    let c = &e.challenge;
    vec![
        Cell::Text(e.reference()),
        Cell::Text(c.direction.label().to_owned()),
        Cell::day(c.raised_on),
        Cell::Text(c.raised_by.clone()),
        Cell::Text(c.organisation.clone()),
        Cell::text(c.meeting.clone()),
        Cell::Text(c.details.clone()),
        Cell::Text(c.action_agreed.clone()),
        Cell::Text(c.responsible.clone()),
        Cell::Text(c.status.label().to_owned()),
        Cell::text(c.latest.as_ref().map(|(on, words)| format!("{}: {words}", on.format("%-d %B %Y")))),
        c.closed_on.map(Cell::day).unwrap_or(Cell::Empty),
        Cell::text(c.closure.clone()),
        Cell::integer(e.age_days),
        Cell::Text(if e.flagged { "Yes" } else { "No" }.to_owned()),
    ]
}

/// The log with every entry's progress, for the downloads.
#[derive(Debug, Clone)]
pub struct LogPaper {
    pub log: Log,
    /// (entry's reference, progress), entry by entry in the order it came.
    pub progress: Vec<(String, Progress)>,
}

impl LogPaper {
    pub fn document(&self) -> Document {
        let log = &self.log;
        let mut doc = Document::new(format!("Challenge and escalation log: {}", log.partnership_name))
            .landscape()
            .marked(Marking::Official);
        doc.push(Block::Note(format!(
            "{} entries, {} open, {} open longer than {} days. Produced by Assure on {}.",
            log.entries.len(),
            log.open,
            log.flagged,
            log.flag_after_days,
            log.today.format("%-d %B %Y")
        )));
        /// Which part of the paper an entry is in: flagged, open, closed.
        fn part(e: &Entry) -> usize {
            if e.flagged {
                0
            } else if e.challenge.status == Status::Open {
                1
            } else {
                2
            }
        }
        for (n, heading) in ["Open longer than the set time", "Open", "Closed"].into_iter().enumerate() {
            let entries: Vec<&Entry> = log.entries.iter().filter(|e| part(e) == n).collect();
            doc.heading(2, heading);
            if entries.is_empty() {
                doc.push(Block::Paragraph("None.".into()));
                continue;
            }
            let mut t = Table::new(
                ["Reference", "Raised", "Agency", "Details", "Action agreed", "Responsible", "Progress or closing"],
                &[8, 10, 12, 21, 19, 11, 19],
            );
            for e in entries {
                let c = &e.challenge;
                let last = match (&c.closure, &c.latest) {
                    (Some(closure), _) => format!("{}: {closure}", c.status.label()),
                    (None, Some((on, words))) => format!("{}: {words}", on.format("%-d %B %Y")),
                    (None, None) => "No progress recorded".into(),
                };
                t.row([
                    Cell::Text(e.reference()),
                    Cell::Text(format!("{} by {}", c.raised_on.format("%-d %B %Y"), c.raised_by)),
                    Cell::Text(format!("{} ({})", c.organisation, c.direction.label().to_lowercase())),
                    Cell::Text(c.details.clone()),
                    Cell::Text(c.action_agreed.clone()),
                    Cell::Text(c.responsible.clone()),
                    Cell::Text(last),
                ]);
            }
            doc.table(t);
        }
        doc
    }

    pub fn workbook(&self) -> crate::documents::xlsx::Workbook {
        use crate::documents::xlsx::{Sheet, Workbook};
        let mut book = Workbook::new(
            format!("Challenge and escalation log: {}", self.log.partnership_name),
            Some(Marking::Official),
        );
        let mut entries = Sheet::new(
            "Log",
            COLUMNS,
            &[10.0, 24.0, 12.0, 24.0, 28.0, 28.0, 50.0, 50.0, 24.0, 24.0, 50.0, 12.0, 50.0, 8.0, 8.0],
        );
        for e in &self.log.entries {
            entries.row(cells(e));
        }
        book.sheets.push(entries);
        let mut progress = Sheet::new("Progress", ["Reference", "Day", "Progress", "By"], &[10.0, 12.0, 70.0, 24.0]);
        for (reference, p) in &self.progress {
            progress.row([
                Cell::Text(reference.clone()),
                Cell::day(p.on),
                Cell::Text(p.progress.clone()),
                Cell::Text(p.by_label.clone()),
            ]);
        }
        book.sheets.push(progress);
        book
    }
}

impl Core {
    /// The whole log the reader may see, with every entry's progress, for its downloads.
    pub async fn challenge_paper(&self, ctx: &Ctx, p: assure_domain::PartnershipId) -> CoreResult<LogPaper> {
        let log = self.challenges(ctx, p, super::Filter::default()).await?;
        let mut progress = Vec::new();
        {
            let mut conn = self.store.read().await?;
            let all = assure_store::challenges::progress_in(&mut conn, p).await?;
            for (challenge, item) in all {
                if let Some(e) = log.entries.iter().find(|e| e.challenge.id == challenge) {
                    progress.push((e.reference(), item));
                }
            }
        }
        Ok(LogPaper { log, progress })
    }
}
