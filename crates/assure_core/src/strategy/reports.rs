//! What the board and the annual report read of the strategy: a quarter's progress report (each
//! activity due in the quarter: done, slipped, or deferred or cancelled, with its latest update
//! as the reason) and a year's "little or no progress" (each activity due in the financial year
//! not completed at its end, or rated red or amber then), both as the records stood at the
//! period's end (today, for a period not yet over); and the strategy as a workbook.

use std::collections::HashMap;

use assure_domain::Action;
use assure_domain::strategy::{Outcome, Quarter, Standing, financial_year, little_progress, outcome};
use assure_domain::structure::Choice;
use assure_store::strategy as st;
use chrono::NaiveDate;

use super::{Activity, Priority, Strategy, StrategyView, Update, of_strategy, standings};
use crate::documents::{Block, Cell, Document, Marking, Table};
use crate::{Core, CoreError, CoreResult, Ctx};

/// One activity in a report, as it stood at the period's end.
#[derive(Debug, Clone)]
pub struct ReportLine {
    pub activity: Activity,
    /// "9.1 Domestic abuse".
    pub priority: String,
    pub standing: Standing,
    pub outcome: Outcome,
    /// Its latest update on or before the period's end: what was done, or why it slipped.
    pub latest: Option<Update>,
}

/// A quarter's progress report for the board.
#[derive(Debug, Clone)]
pub struct QuarterReport {
    pub strategy: Strategy,
    pub quarter: Quarter,
    /// The day the records are read as of: the quarter's last day, or today while it runs.
    pub as_of: NaiveDate,
    pub lines: Vec<ReportLine>,
}

impl QuarterReport {
    pub fn of(&self, o: Outcome) -> Vec<&ReportLine> {
        self.lines.iter().filter(|l| l.outcome == o).collect()
    }
}

/// A financial year's "little or no progress".
#[derive(Debug, Clone)]
pub struct LittleProgress {
    pub strategy: Strategy,
    /// The year it starts in.
    pub year: i32,
    pub as_of: NaiveDate,
    /// How many activities were due in the year, and how many of them were completed.
    pub due: usize,
    pub completed: usize,
    pub lines: Vec<ReportLine>,
}

impl Core {
    /// What was due in a quarter of a strategy, and how each stood at the quarter's end.
    pub async fn quarter_report(&self, ctx: &Ctx, strategy: i64, quarter: Quarter) -> CoreResult<QuarterReport> {
        let (s, priorities, activities, updates, as_of) =
            self.strategy_records(ctx, strategy, quarter.last_day()).await?;
        let (first, last) = s.quarters();
        if quarter < first || quarter > last {
            return Err(CoreError::field(
                "quarter",
                format!("{} is outside the strategy's period, {} to {}", quarter.words(), first.words(), last.words()),
            ));
        }
        let lines = lines(&priorities, &activities, &updates, as_of, |a| a.due() == Some(quarter));
        Ok(QuarterReport { strategy: s, quarter, as_of, lines })
    }

    /// The activities of a strategy due in a financial year that made little or no progress.
    pub async fn little_progress(&self, ctx: &Ctx, strategy: i64, year: i32) -> CoreResult<LittleProgress> {
        let end = Quarter { year, q: 4 };
        let (s, priorities, activities, updates, as_of) = self.strategy_records(ctx, strategy, end.last_day()).await?;
        let (first, last) = s.quarters();
        if year < first.year || year > last.year {
            return Err(CoreError::field(
                "year",
                format!(
                    "{} is outside the strategy's period, {} to {}",
                    financial_year(year),
                    financial_year(first.year),
                    financial_year(last.year)
                ),
            ));
        }
        let all = lines(&priorities, &activities, &updates, as_of, |a| a.due().is_some_and(|q| q.year == year));
        let due = all.len();
        let completed = all.iter().filter(|l| l.outcome == Outcome::Done).count();
        let lines = all.into_iter().filter(|l| little_progress(l.standing)).collect();
        Ok(LittleProgress { strategy: s, year, as_of, due, completed, lines })
    }

    #[allow(clippy::type_complexity)]
    async fn strategy_records(
        &self,
        ctx: &Ctx,
        strategy: i64,
        end: NaiveDate,
    ) -> CoreResult<(Strategy, Vec<Priority>, Vec<Activity>, Vec<Update>, NaiveDate)> {
        let as_of = end.min(self.today());
        let mut conn = self.store.read().await?;
        let s = st::strategy(&mut conn, strategy).await?;
        ctx.authorize(Action::View, &of_strategy(s.partnership_id))?;
        let priorities = st::priorities(&mut conn, strategy).await?;
        let activities = super::visible(ctx, st::activities_of_strategy(&mut conn, strategy).await?);
        let updates = st::updates_of_strategy(&mut conn, strategy, as_of).await?;
        drop(conn);
        self.log_restricted(ctx, s.partnership_id, &activities, "report").await?;
        Ok((s, priorities, activities, updates, as_of))
    }
}

fn lines(
    priorities: &[Priority],
    activities: &[Activity],
    updates: &[Update],
    as_of: NaiveDate,
    wanted: impl Fn(&Activity) -> bool,
) -> Vec<ReportLine> {
    let names: HashMap<i64, String> = priorities.iter().map(|p| (p.id, format!("{} {}", p.number, p.title))).collect();
    let at = standings(updates, as_of);
    activities
        .iter()
        .filter(|a| wanted(a))
        .map(|a| {
            let (standing, latest) = at.get(&a.id).map_or((Standing::UNSTARTED, None), |(s, u)| (*s, *u));
            ReportLine {
                activity: a.clone(),
                priority: a.priority_id.and_then(|p| names.get(&p).cloned()).unwrap_or_default(),
                standing,
                outcome: outcome(standing),
                latest: latest.cloned(),
            }
        })
        .collect()
}

fn line_cells(l: &ReportLine) -> Vec<Cell> {
    let a = &l.activity;
    vec![
        Cell::Text(l.priority.clone()),
        Cell::Text(a.title.clone()),
        Cell::text(a.body_name.clone().or_else(|| a.organisation_name.clone())),
        Cell::Text(l.standing.status.label().to_owned()),
        Cell::text(l.standing.rag.map(|r| r.label().to_owned())),
        Cell::text(l.latest.as_ref().map(|u| format!("{} ({})", u.text, u.on.format("%-d %b %Y")))),
    ]
}

const LINE_COLUMNS: [&str; 6] = ["Priority", "Activity", "Led by", "Status", "RAG", "Latest update"];

fn produced(as_of: NaiveDate) -> String {
    format!(
        "As the records stood on {}. Produced by Assure on {}.",
        as_of.format("%-d %B %Y"),
        chrono::Utc::now().format("%-d %B %Y")
    )
}

impl QuarterReport {
    /// The report as a paper for the board (PDF or Word).
    pub fn document(&self) -> Document {
        let mut doc = Document::new(format!("{}: progress in {}", self.strategy.name, self.quarter.words()))
            .landscape()
            .marked(Marking::Official);
        doc.push(Block::Note(produced(self.as_of)));
        doc.push(Block::Paragraph(format!(
            "{} activities were due: {} done, {} slipped, {} deferred or cancelled.",
            self.lines.len(),
            self.of(Outcome::Done).len(),
            self.of(Outcome::Slipped).len(),
            self.of(Outcome::Dropped).len()
        )));
        for (heading, o) in
            [("Slipped", Outcome::Slipped), ("Done", Outcome::Done), ("Deferred or cancelled", Outcome::Dropped)]
        {
            let lines = self.of(o);
            if lines.is_empty() {
                continue;
            }
            doc.heading(2, heading);
            let mut t = Table::new(LINE_COLUMNS, &[14, 26, 14, 9, 7, 30]);
            for l in lines {
                t.row(line_cells(l));
            }
            doc.table(t);
        }
        doc
    }
}

impl LittleProgress {
    /// The list as a paper for the board and the annual report (PDF or Word).
    pub fn document(&self) -> Document {
        let mut doc =
            Document::new(format!("{}: little or no progress in {}", self.strategy.name, financial_year(self.year)))
                .landscape()
                .marked(Marking::Official);
        doc.push(Block::Note(produced(self.as_of)));
        doc.push(Block::Paragraph(format!(
            "Of {} activities due in {}, {} were completed. These {} were not completed by the year's end, or were rated red or amber then:",
            self.due,
            financial_year(self.year),
            self.completed,
            self.lines.len()
        )));
        let mut t = Table::new(LINE_COLUMNS, &[14, 26, 14, 9, 7, 30]);
        for l in &self.lines {
            t.row(line_cells(l));
        }
        doc.table(t);
        doc
    }
}

impl StrategyView {
    /// The strategy as a workbook: every activity with its schedule, leads and standing.
    pub fn workbook(&self) -> crate::documents::xlsx::Workbook {
        use crate::documents::xlsx::{Sheet, Workbook};
        let mut book = Workbook::new(self.strategy.name.clone(), Some(Marking::Official));
        let mut sheet = Sheet::new(
            "Activities",
            ["Priority", "Activity", "Quarters", "Subgroup", "Organisation", "Lead", "Status", "RAG", "Marker", "Why"],
            &[30.0, 50.0, 22.0, 24.0, 24.0, 18.0, 12.0, 8.0, 22.0, 40.0],
        );
        for row in &self.rows {
            for a in &row.activities {
                sheet.row([
                    Cell::Text(format!("{} {}", row.priority.number, row.priority.title)),
                    Cell::Text(a.title.clone()),
                    Cell::Text(a.quarters.iter().map(|q| q.words()).collect::<Vec<_>>().join(", ")),
                    Cell::text(a.body_name.clone()),
                    Cell::text(a.organisation_name.clone()),
                    Cell::text(a.lead.clone()),
                    Cell::Text(a.status.label().to_owned()),
                    Cell::text(a.rag.map(|r| r.label().to_owned())),
                    Cell::text(a.marker.map(|m| m.label().to_owned())),
                    Cell::text(a.marker_reason.clone()),
                ]);
            }
        }
        book.sheets.push(sheet);
        book
    }
}
