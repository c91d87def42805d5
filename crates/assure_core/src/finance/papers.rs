//! A year's budget as a workbook (every line with its quarters, the contributions, the in kind,
//! the five-year trend) and as a paper for the board (PDF or Word): the same tables, one
//! definition of their columns and cells.

use assure_domain::finance::{financial_year, money, percent};
use assure_domain::meetings::in_kind::hours;
use assure_domain::structure::Choice;

use super::{BudgetView, Figures, LineRow, TrendYear};
use crate::documents::xlsx::{Sheet, Workbook};
use crate::documents::{Block, Cell, Document, Marking, Table};

/// Pounds as a spreadsheet number with pence.
fn cash(pence: i64) -> Cell {
    Cell::Number(pence as f64 / 100.0, 2)
}

/// Pounds as a person reads them in a paper.
fn shown(pence: i64) -> Cell {
    Cell::Text(money(pence))
}

const CONTRIBUTION_COLUMNS: [&str; 4] = ["Partner", "Set as", "Amount", "Share of contributions"];
const SPEND_COLUMNS: [&str; 6] = ["Line", "Budget", "Actual to date", "Forecast", "Variance", "Case review"];
const TREND_COLUMNS: [&str; 7] = [
    "Year",
    "Income budget",
    "Income actual",
    "Expenditure budget",
    "Expenditure actual",
    "In kind",
    "Reserves at year end",
];

fn contribution_cells(r: &LineRow, money: fn(i64) -> Cell) -> Vec<Cell> {
    vec![
        Cell::Text(r.name()),
        Cell::Text(r.basis()),
        money(r.figures.budget),
        Cell::text(r.share_of_contributions.map(percent)),
    ]
}

fn spend_cells(name: String, f: Figures, review: Option<String>, money: fn(i64) -> Cell) -> Vec<Cell> {
    vec![Cell::Text(name), money(f.budget), money(f.actual), money(f.forecast), money(f.variance()), Cell::text(review)]
}

fn trend_cells(t: &TrendYear, money: fn(i64) -> Cell) -> Vec<Cell> {
    vec![
        Cell::Text(format!("{}{}", financial_year(t.year), if t.locked { " (outturn)" } else { "" })),
        money(t.income.budget),
        money(t.income.actual),
        money(t.spend.budget),
        money(t.spend.actual),
        money(t.in_kind),
        money(t.reserves),
    ]
}

fn review_words(r: &LineRow) -> Option<String> {
    r.review.map(|id| format!("Case review {id}"))
}

impl BudgetView {
    fn title(&self) -> String {
        format!("Budget {}", self.worked.year_words())
    }

    /// The budget as a workbook.
    pub fn workbook(&self) -> Workbook {
        let w = &self.worked;
        let mut book = Workbook::new(self.title(), Some(Marking::Official));
        let mut lines = Sheet::new(
            "Lines",
            [
                "Side",
                "Group",
                "Line",
                "Organisation",
                "Budget",
                "Q1 actual",
                "Q2 actual",
                "Q3 actual",
                "Q4 actual",
                "Actual to date",
                "Forecast",
                "Variance",
                "Case review",
            ],
            &[12.0, 26.0, 44.0, 28.0, 14.0, 13.0, 13.0, 13.0, 13.0, 14.0, 14.0, 14.0, 12.0],
        );
        let income = w.contributions.iter().chain(&w.other_income).map(|r| (r, "Income"));
        let spend = w.expenditure.iter().flat_map(|g| g.lines.iter().map(|r| (r, "Expenditure")));
        for (r, side) in income.chain(spend) {
            let mut cells = vec![
                Cell::Text(side.into()),
                Cell::Text(r.line.category.label().into()),
                Cell::Text(r.name()),
                Cell::text(r.line.organisation_name.clone()),
                cash(r.figures.budget),
            ];
            for q in 1..=4 {
                cells.push(r.quarter(q).0.map_or(Cell::Empty, cash));
            }
            cells.extend([
                cash(r.figures.actual),
                cash(r.figures.forecast),
                cash(r.figures.variance()),
                Cell::text(review_words(r)),
            ]);
            lines.row(cells);
        }
        book.sheets.push(lines);

        let mut c = Sheet::new("Contributions", CONTRIBUTION_COLUMNS, &[36.0, 28.0, 14.0, 20.0]);
        for r in &w.contributions {
            c.row(contribution_cells(r, cash));
        }
        c.row([Cell::Text("Total".into()), Cell::Empty, cash(w.contributions_total.budget), Cell::Empty]);
        book.sheets.push(c);

        let mut k =
            Sheet::new("In kind", ["Group", "Line", "Organisation", "Hours", "Value"], &[26.0, 44.0, 28.0, 10.0, 14.0]);
        for g in &w.in_kind {
            for r in &g.lines {
                k.row([
                    Cell::Text(g.group.label().into()),
                    Cell::Text(r.name()),
                    Cell::text(r.line.organisation_name.clone()),
                    Cell::text(r.line.tenths.map(hours)),
                    if r.unvalued { Cell::Empty } else { cash(r.figures.budget) },
                ]);
            }
        }
        for t in &w.time_given {
            k.row([
                Cell::Text("Time given to meetings and tasks".into()),
                Cell::Empty,
                Cell::Text(t.organisation_name.clone()),
                Cell::Text(hours(t.tenths)),
                t.value.map_or(Cell::Empty, cash),
            ]);
        }
        book.sheets.push(k);

        let mut t = Sheet::new("Five years", TREND_COLUMNS, &[18.0, 14.0, 14.0, 16.0, 16.0, 14.0, 18.0]);
        for y in &self.trend {
            t.row(trend_cells(y, cash));
        }
        book.sheets.push(t);
        book
    }

    /// The budget as a paper for the board: summary, contributions, spend against budget by
    /// group, in kind, reserves, the five-year trend, and anything that does not add up.
    pub fn document(&self, as_of: chrono::NaiveDate) -> Document {
        let w = &self.worked;
        let mut doc = Document::new(match &w.budget.title {
            Some(t) => format!("{} ({t})", self.title()),
            None => self.title(),
        })
        .landscape()
        .marked(Marking::Official);
        doc.push(Block::Note(format!(
            "As the records stood on {}{}. Produced by Assure. Amounts in pounds; in kind is shown beside the cash, not added to it.",
            as_of.format("%-d %B %Y"),
            if w.budget.locked() { ", the year locked at its outturn" } else { "" }
        )));
        doc.push(Block::Paragraph(format!(
            "Income {} (actual to date {}); expenditure {} (actual to date {}, forecast {}); in kind {}; reserves brought forward {}, at the year's end {}.",
            money(w.income.budget),
            money(w.income.actual),
            money(w.spend.budget),
            money(w.spend.actual),
            money(w.spend.forecast),
            money(w.all_in_kind()),
            w.reserves.brought_forward.map_or_else(|| "not recorded".into(), money),
            money(w.reserves.carried_forward()),
        )));
        if !w.flags.is_empty() {
            doc.heading(2, "What does not add up");
            doc.push(Block::Bullets(w.flags.iter().map(|f| f.message.clone()).collect()));
        }
        doc.heading(2, "Contributions by partner");
        let mut t = Table::new(CONTRIBUTION_COLUMNS, &[36, 28, 16, 20]);
        for r in &w.contributions {
            t.row(contribution_cells(r, shown));
        }
        for r in &w.other_income {
            t.row([
                Cell::Text(r.name()),
                Cell::Text(r.line.category.label().into()),
                shown(r.figures.budget),
                Cell::Empty,
            ]);
        }
        t.row([Cell::Text("Total income".into()), Cell::Empty, shown(w.income.budget), Cell::Empty]);
        doc.table(t);

        doc.heading(2, "Spend against budget");
        let mut t = Table::new(SPEND_COLUMNS, &[34, 13, 13, 13, 13, 14]);
        for g in &w.expenditure {
            t.row(spend_cells(format!("{} (group)", g.group.label()), g.figures, None, shown));
            for r in &g.lines {
                t.row(spend_cells(format!("\u{2003}{}", r.name()), r.figures, review_words(r), shown));
            }
        }
        t.row(spend_cells("Total expenditure".into(), w.spend, None, shown));
        doc.table(t);

        doc.heading(2, "In kind");
        let mut t = Table::new(["Given", "Organisation", "Hours", "Value"], &[46, 28, 10, 16]);
        for g in &w.in_kind {
            for r in &g.lines {
                t.row([
                    Cell::Text(format!("{}: {}", g.group.label(), r.name())),
                    Cell::text(r.line.organisation_name.clone()),
                    Cell::text(r.line.tenths.map(hours)),
                    if r.unvalued { Cell::Text("not valued".into()) } else { shown(r.figures.budget) },
                ]);
            }
        }
        for tg in &w.time_given {
            t.row([
                Cell::Text("Time given to meetings and tasks".into()),
                Cell::Text(tg.organisation_name.clone()),
                Cell::Text(hours(tg.tenths)),
                tg.value.map_or(Cell::Text("not valued".into()), shown),
            ]);
        }
        t.row([Cell::Text("Total in kind".into()), Cell::Empty, Cell::Empty, shown(w.all_in_kind())]);
        doc.table(t);

        doc.heading(2, "Five years");
        let mut t = Table::new(TREND_COLUMNS, &[16, 14, 14, 14, 14, 14, 14]);
        for y in &self.trend {
            t.row(trend_cells(y, shown));
        }
        doc.table(t);
        doc
    }
}
