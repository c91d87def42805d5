//! A register for the board and for file: a workbook (a sheet of risks, one of controls, one of
//! the heat map) and a paper (PDF or Word) with the risks above appetite first, the heat maps of
//! current and target ratings as tables, and each category's risks with their direction of
//! travel.

use assure_domain::structure::Choice;

use super::{RegisterView, RiskLine};
use crate::documents::{Block, Cell, Document, Marking, Table};
use crate::{CoreError, CoreResult};

const RISK_COLUMNS: [&str; 12] = [
    "Reference",
    "Category",
    "Risk",
    "Consequence",
    "Owner",
    "Inherent",
    "Current",
    "Band",
    "Direction",
    "Target",
    "Review date",
    "Status",
];

fn rating_text(r: Option<assure_domain::risks::Rating>) -> Cell {
    Cell::text(r.map(|r| format!("{} ({})", r.words(), r.score())))
}

fn risk_cells(l: &RiskLine) -> Vec<Cell> {
    let r = &l.risk;
    vec![
        Cell::Text(r.reference.clone()),
        Cell::Text(r.category_name.clone()),
        Cell::Text(r.title.clone()),
        Cell::text(r.consequence.clone()),
        Cell::Text(r.owner.clone()),
        rating_text(l.inherent),
        rating_text(l.current.as_ref().map(|c| c.rating)),
        Cell::text(l.band.as_ref().map(|b| b.name.clone())),
        Cell::Text(l.direction.label().to_owned()),
        rating_text(l.target),
        Cell::day(r.review_on),
        Cell::Text(match &r.status_reason {
            Some(reason) => format!("{}: {reason}", r.status.label()),
            None => r.status.label().to_owned(),
        }),
    ]
}

impl RegisterView {
    fn heat_table(&self, target: bool) -> Table {
        let m = &self.matrix.matrix;
        let mut header = vec!["Likelihood".to_owned()];
        header.extend(m.impact.iter().enumerate().map(|(i, l)| format!("Impact {} {}", i + 1, l.label)));
        let widths: Vec<u32> = std::iter::once(24).chain(m.impact.iter().map(|_| 15)).collect();
        let mut t = Table::new(header, &widths);
        for row in self.heat(target) {
            let Some(first) = row.first() else { continue };
            let level = &m.likelihood[first.likelihood as usize - 1];
            let mut cells = vec![Cell::Text(format!("{} {}", first.likelihood, level.label))];
            cells.extend(row.iter().map(|c| {
                let band = c.band.as_ref().map(|b| b.name.as_str()).unwrap_or("");
                Cell::Text(if c.count == 0 {
                    format!("{band}: none")
                } else {
                    format!("{band}: {} ({})", c.count, c.references.join(", "))
                })
            }));
            t.row(cells);
        }
        t
    }

    /// The register as a paper for the board (PDF or Word).
    pub fn document(&self) -> Document {
        let g = &self.register;
        let mut doc = Document::new(format!("Risk register: {}", g.name)).landscape().marked(Marking::Official);
        doc.push(Block::Note(format!(
            "{} risks, rated on matrix version {} ({} × {}). Produced by Assure on {}.",
            self.lines.iter().filter(|l| l.live()).count(),
            self.matrix.version,
            self.matrix.matrix.likelihood.len(),
            self.matrix.matrix.impact.len(),
            self.today.format("%-d %B %Y")
        )));
        doc.heading(2, "Above appetite");
        let above = self.above_appetite();
        doc.push(Block::Paragraph(if above.is_empty() {
            "No open risk is rated above the board's appetite for its category.".to_owned()
        } else {
            format!("{} risks are rated above the board's appetite for their category:", above.len())
        }));
        if !above.is_empty() {
            doc.push(Block::Bullets(
                above
                    .iter()
                    .map(|l| {
                        format!(
                            "{} {} ({}): current score {}, appetite {}",
                            l.risk.reference,
                            super::clip(&l.risk.title, 120),
                            l.risk.category_name,
                            l.score().unwrap_or_default(),
                            l.appetite.unwrap_or_default()
                        )
                    })
                    .collect(),
            ));
        }
        doc.heading(2, "Heat map of current ratings");
        doc.table(self.heat_table(false));
        doc.heading(2, "Heat map of target ratings");
        doc.table(self.heat_table(true));
        for c in &self.categories {
            let lines = self.category_lines(c.id);
            if lines.is_empty() {
                continue;
            }
            doc.heading(2, c.name.clone());
            if let Some(a) = c.appetite {
                doc.push(Block::Note(format!("The board's appetite: a current score of {a} or below.")));
            }
            let mut t = Table::new(RISK_COLUMNS, &[5, 8, 16, 14, 8, 6, 6, 6, 7, 6, 8, 10]);
            for l in lines {
                t.row(risk_cells(l));
            }
            doc.table(t);
        }
        doc
    }

    /// The register as a workbook: risks, controls, the heat map.
    pub fn xlsx(&self) -> CoreResult<Vec<u8>> {
        self.workbook().write().map_err(CoreError::Internal)
    }

    pub fn workbook(&self) -> crate::documents::xlsx::Workbook {
        use crate::documents::xlsx::{Sheet, Workbook};
        let mut book = Workbook::new(format!("Risk register: {}", self.register.name), Some(Marking::Official));
        let mut risks =
            Sheet::new("Risks", RISK_COLUMNS, &[9.0, 18.0, 50.0, 50.0, 20.0, 10.0, 10.0, 10.0, 11.0, 10.0, 12.0, 20.0]);
        for l in &self.lines {
            risks.row(risk_cells(l));
        }
        book.sheets.push(risks);
        let mut controls = Sheet::new(
            "Controls",
            ["Reference", "Control", "Owner", "Timeframe", "In place"],
            &[9.0, 60.0, 20.0, 14.0, 9.0],
        );
        for l in &self.lines {
            for c in &l.controls {
                controls.row([
                    Cell::Text(l.risk.reference.clone()),
                    Cell::Text(c.description.clone()),
                    Cell::text(c.owner.clone()),
                    Cell::text(c.timeframe.clone()),
                    Cell::Text(if c.in_place { "Yes" } else { "No" }.to_owned()),
                ]);
            }
        }
        book.sheets.push(controls);
        let heat = self.heat_table(false);
        let widths: Vec<f64> = heat.widths.iter().map(|w| f64::from(*w) + 6.0).collect();
        let mut map = Sheet::new("Heat map", heat.header.clone(), &widths);
        for row in heat.rows {
            map.row(row);
        }
        book.sheets.push(map);
        book
    }
}
