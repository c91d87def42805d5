//! "How our area compares": the dashboard's indicators of the report's arm, each with its latest
//! whole-year figure by the end of the period beside England's and the statistical neighbours',
//! and the checks on what is printed: a figure equal to England's, a count printed as a rate, and
//! figures of different years side by side in the table (an indicator not published for the
//! period's last year shows its latest year before it). Each flag is a gap: put right in the
//! figures, or explained in the report.

use assure_domain::intelligence::indicators::Formula;
use assure_domain::reports::{FigureFlag, Period, PrintedFigure, ReportKind, figure_flags, mixed_periods};
use assure_domain::structure::Choice;
use assure_domain::{PartnershipId, validation::long_date};

use super::fill::{Gaps, Part};
use crate::documents::{Block, Cell, Table, trend};
use crate::{Core, CoreResult, Ctx};

/// How a period's last financial year is written in the dashboard's points: "2022-23".
fn year_code(year: i32) -> String {
    format!("{year}-{:02}", (year + 1) % 100)
}

/// A dashboard point of a whole (financial) year, "2022-23", not of a quarter or a month.
fn whole_year(period: &str) -> bool {
    period.split_once('-').is_some_and(|(y, _)| y.parse::<i32>().is_ok_and(|y| year_code(y) == period))
}

impl Core {
    pub(super) async fn indicators_part(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        kind: ReportKind,
        period: &Period,
    ) -> CoreResult<Part> {
        let dashboard = self.dashboard(ctx, p, kind.arm()).await?;
        let link = format!("/dashboard/{}", kind.arm().code());
        let last = period.financial_years().last().copied().map(year_code).unwrap_or_default();
        let mut gaps = Gaps(Vec::new());
        let mut t = Table::new(["Indicator", "Year", "Ours", "England", "Statistical neighbours"], &[6, 2, 2, 2, 2]);
        let mut periods = Vec::new();
        let area = dashboard.area.as_ref().map_or_else(|| "the area".to_owned(), |a| a.name.clone());
        // Each indicator's trend of whole years up to the period, drawn as on the dashboard, with
        // its figures as a table.
        let mut charts = Vec::new();
        for tile in &dashboard.tiles {
            // The latest whole year with the area's figure, not after the period.
            let Some(point) =
                tile.annual.iter().rev().find(|pt| whole_year(&pt.period) && pt.period <= last && pt.ours.is_some())
            else {
                continue;
            };
            let Some(ours) = point.ours else { continue };
            let decimals = u8::try_from(tile.def.decimals).unwrap_or(1);
            let count = tile
                .history
                .iter()
                .find(|v| v.period == point.period)
                .and_then(|v| v.numerator.as_deref())
                .and_then(|n| n.parse::<f64>().ok());
            let figure = PrintedFigure {
                ours,
                count,
                is_rate: !matches!(tile.indicator.formula, Formula::Count(_)),
                england: point.england,
            };
            let title = &tile.def.title;
            for flag in figure_flags(&figure) {
                let message = match flag {
                    FigureFlag::EqualsEngland => format!(
                        "{title}, {}: the area's figure is the same as England's ({ours}); check it is the area's own",
                        point.period
                    ),
                    FigureFlag::CountAsRate => format!(
                        "{title}, {}: printed as a {} but it is the count itself ({ours})",
                        point.period, tile.indicator.unit
                    ),
                };
                gaps.add(format!("{}:{}:{}", flag.code(), tile.indicator.code, point.period), message, link.clone());
            }
            let number = |v: Option<f64>| v.map(|v| Cell::Number(v, decimals)).unwrap_or(Cell::Empty);
            t.row([
                Cell::from(format!("{title} ({})", tile.indicator.unit)),
                Cell::from(point.period.as_str()),
                Cell::Number(ours, decimals),
                number(point.england),
                number(point.neighbours),
            ]);
            periods.push(point.period.clone());
            let years: Vec<_> =
                tile.annual.iter().filter(|pt| whole_year(&pt.period) && pt.period <= last).cloned().collect();
            if years.len() >= 2 {
                charts.extend(trend_blocks(tile, &area, &years, decimals));
            }
        }
        if t.rows.is_empty() {
            gaps.add(
                "no-indicators".into(),
                format!("No indicator of the dashboard has a figure by {}", long_date(period.end)),
                link,
            );
            return Ok((Vec::new(), gaps.0));
        }
        if let Some(years) = mixed_periods(periods.iter().map(String::as_str)) {
            gaps.add(
                "mixed-periods:indicators".into(),
                format!(
                    "How our area compares: the table puts figures of different years side by side ({}); say why, or wait for the year's figures",
                    years.join(", ")
                ),
                link,
            );
        }
        let mut blocks = vec![
            Block::Paragraph(format!(
                "Each indicator's latest figure for {area} by the end of the period, with England's and the mean of \
                 the statistical neighbours' for the same year."
            )),
            Block::Table(t),
        ];
        blocks.extend(charts);
        Ok((blocks, gaps.0))
    }
}

/// An indicator's trend as a figure (the dashboard's drawing, its alternative text, and the
/// figures Word draws its own chart from), then the same figures as a table.
fn trend_blocks(
    tile: &crate::intelligence::indicators::Tile,
    area: &str,
    years: &[crate::intelligence::indicators::Point],
    decimals: u8,
) -> Vec<Block> {
    let (title, code) = (tile.def.title.as_str(), tile.indicator.code);
    // A count is drawn alone: England's total on the same axis would flatten the area's line.
    let compared = tile.indicator.formula.scale().is_some();
    let chart = trend::trend(years, area, u32::from(decimals), compared);
    let mut table = Table::new(["Year", area, "England", "Neighbours' mean"], &[2, 2, 2, 2]);
    for p in years {
        table.row([
            Cell::from(p.period.as_str()),
            Cell::number(p.ours, decimals),
            Cell::number(p.england, decimals),
            Cell::number(p.neighbours, decimals),
        ]);
    }
    vec![
        Block::Heading(3, title.to_owned()),
        Block::Figure {
            svg: chart.svg(&format!("report-chart-{}", code.replace('.', "-")), title, area),
            alt: trend::alternative_text(title, area, years, compared),
            caption: format!("{title}, year by year"),
            chart: Some(trend::line_chart(years, area, compared, decimals)),
        },
        Block::Table(table),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_whole_years_are_compared() {
        assert!(super::whole_year("2022-23") && super::whole_year("1999-00"));
        assert!(!super::whole_year("2023-12") && !super::whole_year("2022-24") && !super::whole_year("2022"));
    }
}
