//! The assurance a yearly report shows from the partnership's registers and returns: the audits
//! of the report's arm that closed in the period (how many organisations returned, each
//! standard's mean score and spread); the risks on its registers during the period, with their
//! rating at its end and today's; and the LADO's quarterly figures of the period's quarters,
//! summed, with each breakdown checked against the whole it is printed with, and the figures the
//! return marks as indicators drawn quarter by quarter.

use std::collections::HashMap;

use assure_domain::intelligence::returns::{Check, FieldKind};
use assure_domain::reports::{LADO_RETURN, Period, ReportKind, adds_up, audit_arm, within};
use assure_domain::risks::{RatingKind, Status};
use assure_domain::structure::Choice;
use assure_domain::uk_time::uk_date;
use assure_domain::validation::long_date;
use assure_domain::{Action, PartnershipId, Target};
use assure_store::risks as risk_store;
use chrono::NaiveDate;

use super::fill::{Gaps, Part};
use crate::audits::analysis::{AnalysisFilter, nearest_level};
use crate::documents::{Block, Cell, Fact, Table, trend};
use crate::intelligence::indicators::Point;
use crate::{Core, CoreError, CoreResult, Ctx};

/// The financial quarters that lie wholly inside the period, as returns name them ("2022-23 Q1").
pub(super) fn quarters_within(period: &Period) -> Vec<String> {
    let mut out = Vec::new();
    for year in period.financial_years() {
        for q in 1..=4u32 {
            let month = 4 + 3 * (q - 1);
            let (y, m) = if month > 12 { (year + 1, month - 12) } else { (year, month) };
            let Some(start) = NaiveDate::from_ymd_opt(y, m, 1) else { continue };
            let end = start.checked_add_months(chrono::Months::new(3)).and_then(|d| d.pred_opt());
            if start >= period.start && end.is_some_and(|e| e <= period.end) {
                out.push(format!("{year}-{:02} Q{q}", (year + 1) % 100));
            }
        }
    }
    out
}

/// A count quarter by quarter as a figure (the dashboard's drawing of a count, drawn alone, with
/// its alternative text and the figures Word draws its own chart from), then as a table.
fn quarterly_blocks(id: &str, label: &str, points: &[Point]) -> Vec<Block> {
    let title = format!("{label}, quarter by quarter");
    let chart = trend::trend(points, label, 0, false);
    let mut table = Table::new(["Quarter", label], &[3, 2]);
    for p in points {
        table.row([Cell::from(p.period.as_str()), Cell::number(p.ours, 0)]);
    }
    vec![
        Block::Heading(3, title.clone()),
        Block::Figure {
            svg: chart.svg(&format!("report-chart-lado-{}", id.replace('_', "-")), &title, label),
            alt: trend::alternative_text(&title, label, points, false),
            caption: title.clone(),
            chart: Some(trend::line_chart(points, label, false, 0)),
        },
        Block::Table(table),
    ]
}

impl Core {
    /// The assurance audits of the report's arm that closed in the period (a framework of the
    /// partnership's own shows in both reports): how far each got, and each standard's mean score
    /// with how many returns scored nearest each level. Reading an analysis is logged, as on its
    /// page.
    pub(super) async fn audits_part(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        kind: ReportKind,
        period: &Period,
        facts: &mut Vec<Fact>,
    ) -> CoreResult<Part> {
        let campaigns: Vec<_> = self
            .campaigns(ctx, p)
            .await?
            .into_iter()
            .filter(|(c, _)| period.contains(c.closes_on))
            .filter(|(c, _)| audit_arm(&c.framework_code).is_none_or(|a| a == kind.arm()))
            .collect();
        if campaigns.is_empty() {
            let none = "No assurance audit of the partnership's agencies closed in the period.";
            return Ok((vec![Block::Paragraph(none.into())], Vec::new()));
        }
        let returned: usize = campaigns.iter().map(|(_, progress)| progress.returned).sum();
        facts.push(Fact::new(returned.to_string(), "Agencies' safeguarding self-assessments returned"));
        let mut blocks = Vec::new();
        let mut summary = Table::new(["Audit", "Framework", "Closed", "Returned"], &[4, 4, 2, 3]);
        for (c, progress) in &campaigns {
            summary.row([
                Cell::from(c.title.as_str()),
                Cell::from(c.framework_title.as_str()),
                Cell::day(c.closes_on),
                Cell::from(progress.summary()),
            ]);
        }
        blocks.push(Block::Table(summary));
        for (c, _) in &campaigns {
            let a = self.campaign_analysis(ctx, c.id, &AnalysisFilter::default()).await?;
            blocks.push(Block::Heading(3, c.title.clone()));
            if a.rows.is_empty() {
                blocks.push(Block::Paragraph("No organisation returned its self-assessment.".into()));
                continue;
            }
            let levels = &a.framework.scheme.levels;
            let mut header = vec!["Standard".to_owned(), "Mean score".to_owned()];
            header.extend(levels.iter().map(|l| l.label.clone()));
            let widths: Vec<u32> = [5, 2].into_iter().chain(levels.iter().map(|_| 2)).collect();
            let mut t = Table::new(header, &widths);
            for s in &a.standards {
                let mean = s.mean.map(|m| {
                    let level = nearest_level(&a.framework.scheme, m).and_then(|i| levels.get(i));
                    match level {
                        Some(l) => format!("{m:.1} ({})", l.label),
                        None => format!("{m:.1}"),
                    }
                });
                let mut row = vec![Cell::from(s.title.as_str()), Cell::text(mean)];
                row.extend(s.distribution.iter().map(|n| Cell::integer(*n as i64)));
                t.row(row);
            }
            blocks.push(Block::Paragraph(format!(
                "Each standard's mean score over the {} self-assessments returned, and how many scored nearest each level.",
                a.rows.len()
            )));
            blocks.push(Block::Table(t));
            // The weakest standard, when the standards differ at all.
            if let (Some((_, title, low)), Some((_, _, high))) = (a.weakest.first(), a.weakest.last())
                && low < high
            {
                blocks.push(Block::Paragraph(format!("The weakest standard was \u{201c}{title}\u{201d} ({low:.1}).")));
            }
        }
        Ok((blocks, Vec::new()))
    }

    /// The risks on the registers of the report's arm (and the joint ones) during the period:
    /// first rated (or, unrated, added) by its end, and not closed before it began (a closed risk
    /// is taken as closed on the day it was last changed); each with its current rating as it
    /// stood at the period's end and as it stands today.
    pub(super) async fn risks_part(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        kind: ReportKind,
        period: &Period,
    ) -> CoreResult<Part> {
        ctx.authorize(Action::View, &Target::new(assure_domain::authz::ResourceKind::Risk, p))?;
        // Each register of the arm with its risks, every rating given, its matrices and its
        // categories' appetites, read on one connection (four queries a register).
        let mut read = Vec::new();
        {
            let mut conn = self.store.read().await?;
            let registers = risk_store::registers_in(&mut conn, p).await?;
            for register in registers.into_iter().filter(|r| r.arm.is_none_or(|a| a == kind.arm())) {
                let risks = risk_store::risks_of_register(&mut conn, register.id).await?;
                let ratings = risk_store::ratings_of_register(&mut conn, register.id).await?;
                let matrices = risk_store::matrices(&mut conn, register.id).await?;
                let categories = risk_store::categories(&mut conn, register.id).await?;
                read.push((register, risks, ratings, matrices, categories));
            }
        }
        let mut blocks = Vec::new();
        for (register, risks, ratings, matrices, categories) in &read {
            let matrix_of: HashMap<i64, &assure_domain::risks::Matrix> =
                matrices.iter().map(|m| (m.id, &m.matrix)).collect();
            let appetite: HashMap<i64, Option<u32>> = categories.iter().map(|c| (c.id, c.appetite)).collect();
            let mut of_risk: HashMap<assure_domain::RiskId, Vec<&risk_store::RatingEntry>> = HashMap::new();
            for r in ratings {
                of_risk.entry(r.risk_id).or_default().push(r);
            }
            let words = |e: &risk_store::RatingEntry| {
                let band = matrix_of.get(&e.matrix_id).and_then(|m| m.band(e.rating.score()));
                match band {
                    Some(b) => format!("{} ({}, {})", e.rating.score(), e.rating.words(), b.name),
                    None => format!("{} ({})", e.rating.score(), e.rating.words()),
                }
            };
            let mut t = Table::new(
                ["Risk", "Category", &format!("Rating at {}", long_date(period.end)), "Rating today", "Status today"],
                &[5, 3, 3, 3, 2],
            );
            let mut above = 0;
            for risk in risks {
                let given = of_risk.get(&risk.id).map(Vec::as_slice).unwrap_or_default();
                let first = given.iter().map(|r| r.rated_on).min().or_else(|| uk_date(&risk.created_at));
                let closed_before =
                    risk.status == Status::Closed && uk_date(&risk.updated_at).is_some_and(|d| d < period.start);
                if first.is_none_or(|d| d > period.end) || closed_before {
                    continue;
                }
                let at_end =
                    given.iter().rev().find(|r| r.kind == RatingKind::Current && r.rated_on <= period.end).copied();
                let limit = appetite.get(&risk.category_id).copied().flatten();
                if at_end.is_some_and(|e| assure_domain::risks::above_appetite(e.rating, limit)) {
                    above += 1;
                }
                let today = given.iter().rev().find(|r| r.kind == RatingKind::Current).copied();
                t.row([
                    Cell::from(format!("{} {}", risk.reference, risk.title)),
                    Cell::from(risk.category_name.as_str()),
                    Cell::text(at_end.map(words)),
                    Cell::text(today.map(words)),
                    Cell::from(risk.status.label()),
                ]);
            }
            if t.rows.is_empty() {
                continue;
            }
            blocks.push(Block::Heading(3, register.name.clone()));
            blocks.push(Block::Paragraph(format!(
                "{} risks were on the register during the period; at its end, {above} were rated above the \
                 partnership's appetite for their category.",
                t.rows.len()
            )));
            blocks.push(Block::Table(t));
        }
        if blocks.is_empty() {
            let none = "No risk was on the partnership's risk registers during the period.";
            return Ok((vec![Block::Paragraph(none.into())], Vec::new()));
        }
        Ok((blocks, Vec::new()))
    }

    /// The LADO's quarterly figures of the quarters wholly in the period, summed: each group of
    /// the return printed with the whole its parts make up, and the return's own checks run on
    /// the sums (a breakdown that does not add up to its whole is a gap, as in print it would be
    /// wrong). A quarter no figures were returned for is a gap too.
    pub(super) async fn allegations_part(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        period: &Period,
        facts: &mut Vec<Fact>,
    ) -> CoreResult<Part> {
        let link = format!("/returns/figures/{LADO_RETURN}");
        let mut gaps = Gaps(Vec::new());
        let quarters = quarters_within(period);
        let figures = match self.return_figures(ctx, p, LADO_RETURN, None).await {
            Ok(f) => Some(f),
            Err(CoreError::NotFound) => None,
            Err(e) => return Err(e),
        };
        let returned: Vec<&String> =
            quarters.iter().filter(|q| figures.as_ref().is_some_and(|f| f.periods.iter().any(|p| p == *q))).collect();
        for q in quarters.iter().filter(|q| !returned.contains(q)) {
            gaps.add(
                format!("lado:{}", q.replace(' ', "-").to_lowercase()),
                format!("No LADO figures returned for {q}"),
                "/returns",
            );
        }
        let Some(f) = figures.filter(|_| !returned.is_empty()) else {
            let none = "No LADO figures were returned for the period.";
            return Ok((vec![Block::Paragraph(none.into())], gaps.0));
        };
        let columns: Vec<usize> =
            f.periods.iter().enumerate().filter(|(_, p)| returned.contains(p)).map(|(i, _)| i).collect();
        // Each whole-number field summed over the period's quarters.
        let sums: HashMap<&str, i64> = f
            .rows
            .iter()
            .filter(|r| r.field.kind == FieldKind::Whole)
            .map(|r| {
                let sum = columns
                    .iter()
                    .filter_map(|i| r.values.get(*i).cloned().flatten())
                    .filter_map(|v| v.value.parse::<i64>().ok())
                    .fold(0i64, i64::saturating_add);
                (r.field.id.as_str(), sum)
            })
            .collect();
        if let Some(n) = sums.get("allegations") {
            facts.push(Fact::new(
                assure_domain::cells::thousands(*n),
                "Allegations against people who work with children that met the threshold for the LADO",
            ));
        }
        let label = |id: &str| f.template.field(id).map_or_else(|| id.to_owned(), |x| x.label.clone());
        let mut blocks = vec![Block::Paragraph(format!(
            "The LADO's figures for {} ({} of {} quarters returned), summed.",
            period.label(),
            returned.len(),
            quarters.len()
        ))];
        for (group, fields) in f.template.grouped() {
            let whole_fields: Vec<_> = fields.iter().filter(|x| x.kind == FieldKind::Whole).collect();
            if whole_fields.is_empty() {
                continue;
            }
            let mut t = Table::new(["What was counted", "In the period"], &[6, 2]);
            for x in &whole_fields {
                t.row([Cell::from(x.label.as_str()), Cell::integer(sums.get(x.id.as_str()).copied().unwrap_or(0))]);
            }
            // The whole the group's parts add up to, printed below them when it is another group's.
            let total = f.template.checks.iter().find_map(|c| match c {
                Check::AddsUp { parts, total } if parts.iter().any(|x| whole_fields.iter().any(|w| w.id == *x)) => {
                    Some(total.as_str())
                }
                _ => None,
            });
            if let Some(total) = total.filter(|t| !whole_fields.iter().any(|w| w.id == *t)) {
                t.row([
                    Cell::from(format!("Total: {}", label(total))),
                    Cell::integer(sums.get(total).copied().unwrap_or(0)),
                ]);
            }
            blocks.push(Block::Heading(3, group.map_or_else(|| "Figures".to_owned(), |g| g.title.clone())));
            blocks.push(Block::Table(t));
        }
        // The figures the return marks as indicators, quarter by quarter: a chart and its table.
        if returned.len() > 1 {
            for row in f.rows.iter().filter(|r| r.field.indicator && r.field.kind == FieldKind::Whole) {
                let points: Vec<Point> = columns
                    .iter()
                    .map(|i| Point {
                        year: f.periods[*i].clone(),
                        period: f.periods[*i].clone(),
                        ours: row.values.get(*i).cloned().flatten().and_then(|v| v.value.parse::<f64>().ok()),
                        england: None,
                        neighbours: None,
                    })
                    .collect();
                blocks.extend(quarterly_blocks(&row.field.id, &row.field.label, &points));
            }
        }
        // The title of the group a field is in ("Allegations by employment sector"), else its label.
        let group_of = |id: &str| {
            let group = f.template.field(id).and_then(|x| x.group.as_deref());
            group
                .and_then(|g| f.template.groups.iter().find(|x| x.id == g))
                .map_or_else(|| label(id), |g| g.title.clone())
        };
        for c in &f.template.checks {
            let sum = |id: &str| sums.get(id).copied().unwrap_or(0);
            let (flag, key, what) = match c {
                Check::AddsUp { parts, total } => {
                    let values: Vec<i64> = parts.iter().map(|x| sum(x)).collect();
                    let first = parts.first().map(String::as_str).unwrap_or_default();
                    (
                        adds_up(&values, sum(total)),
                        format!("{total}:{first}"),
                        format!("{} against {}", group_of(first), label(total)),
                    )
                }
                Check::Within { part, whole } => (
                    within(sum(part), sum(whole)),
                    format!("{whole}:{part}"),
                    format!("{} within {}", label(part), label(whole)),
                ),
            };
            let Some(flag) = flag else { continue };
            gaps.add(
                format!("{}:{LADO_RETURN}:{key}", flag.code()),
                format!("LADO figures, {}: {what}: {}", period.label(), flag.words()),
                link.clone(),
            );
        }
        Ok((blocks, gaps.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quarters_of_a_period_are_those_wholly_inside_it() {
        let year = Period::parse("2022-23").unwrap();
        assert_eq!(quarters_within(&year), ["2022-23 Q1", "2022-23 Q2", "2022-23 Q3", "2022-23 Q4"]);
        let span = Period::parse("2022-05 to 2023-06").unwrap();
        assert_eq!(quarters_within(&span), ["2022-23 Q2", "2022-23 Q3", "2022-23 Q4", "2023-24 Q1"]);
        assert!(quarters_within(&Period::parse("2022-05 to 2022-06").unwrap()).is_empty());
        // A risk's stored times are read as the day in the UK.
        assert_eq!(uk_date("2026-12-01T05:36:23Z"), NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(uk_date("yesterday"), None);
    }
}
