//! Filling a report's sections from the records of its period, as they stand today: the case
//! reviews concluded and ongoing with their findings; what was done on the findings and what was
//! decided not to be done, with the reasons; the bodies' meetings and attendance by partner; the
//! training's reach, evaluation and impact follow-ups; the budget of each financial year. Each
//! part also names its gaps: what the statutory items need and the records do not hold.

use std::collections::HashMap;

use assure_domain::cells::thousands;
use assure_domain::finance::{money, percent};
use assure_domain::learning::{ActionStatus, RecDecision};
use assure_domain::reports::{Fill, Period, ReportKind, SectionKey};
use assure_domain::reviews::Decision;
use assure_domain::structure::Choice;
use assure_domain::validation::long_date;
use assure_domain::{BodyId, PartnershipId};
use assure_store::learning::{self as learning_store, PlanAction, Recommendation};
use assure_store::reviews::Review;
use assure_store::structure::Page;
use chrono::NaiveDate;

use super::Gap;
use crate::documents::{Block, Cell, Fact, Table};
use crate::{Core, CoreError, CoreResult, Ctx};

/// One part of the records: its blocks, and its gaps.
pub(super) type Part = (Vec<Block>, Vec<Found>);

/// A gap a part found: its code (the same in every section that shows the part), what is
/// missing, and the page where it is put right.
#[derive(Debug, Clone)]
pub(super) struct Found {
    code: String,
    message: String,
    link: String,
}

/// What the records say, section by section.
pub(super) struct Filled {
    parts: HashMap<Fill, Part>,
    /// The period's key figures, for the report's "at a glance".
    pub facts: Vec<Fact>,
}

impl Filled {
    /// A section's blocks and gaps: those of each part that fills it, in order.
    pub fn of(&self, key: SectionKey) -> (Vec<Block>, Vec<Gap>) {
        let (mut blocks, mut gaps) = (Vec::new(), Vec::new());
        for (part_blocks, found) in key.fills().iter().filter_map(|f| self.parts.get(f)) {
            blocks.extend(part_blocks.iter().cloned());
            gaps.extend(found.iter().map(|f| Gap {
                code: f.code.clone(),
                section: key,
                message: f.message.clone(),
                link: f.link.clone(),
                explanation: None,
            }));
        }
        (blocks, gaps)
    }
}

/// The day a review concluded: its final sign-off, else its publication, else its closing.
pub fn concluded_on(r: &Review) -> Option<NaiveDate> {
    r.dates.signed_off_on.or(r.dates.published_on).or(r.dates.closed_on)
}

/// A review decided on by the end of the period and not concluded by then.
fn ongoing_at(r: &Review, end: NaiveDate) -> bool {
    r.decision == Some(Decision::Review)
        && r.dates.decided_on.is_some_and(|d| d <= end)
        && concluded_on(r).is_none_or(|c| c > end)
}

/// The words with their first letter a capital ("child safeguarding practice reviews" begins a
/// fact's label).
fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn day(d: Option<NaiveDate>) -> Cell {
    d.map(Cell::day).unwrap_or(Cell::Empty)
}

pub(super) struct Gaps(pub(super) Vec<Found>);

impl Gaps {
    pub(super) fn add(&mut self, code: String, message: String, link: impl Into<String>) {
        self.0.push(Found { code, message, link: link.into() });
    }
}

/// The reviews part: concluded in the period with their findings, ongoing at its end.
fn reviews_part(
    kind: ReportKind,
    period: &Period,
    reviews: &[Review],
    recs: &[Recommendation],
    facts: &mut Vec<Fact>,
) -> Part {
    let mut blocks = Vec::new();
    let mut gaps = Gaps(Vec::new());
    let concluded: Vec<&Review> =
        reviews.iter().filter(|r| concluded_on(r).is_some_and(|c| period.contains(c))).collect();
    blocks.push(Block::Heading(3, format!("Reviews concluded in {}", period.label())));
    if concluded.is_empty() {
        blocks.push(Block::Paragraph(format!("No {} were concluded in the period.", kind.review_words())));
    } else {
        let mut t = Table::new(["Review", "Concluded", "Published"], &[4, 2, 2]);
        for r in &concluded {
            t.row([Cell::from(r.subject.as_str()), day(concluded_on(r)), day(r.dates.published_on)]);
        }
        blocks.push(Block::Table(t));
        for r in &concluded {
            let findings: Vec<String> = recs
                .iter()
                .filter(|x| x.review_id == Some(r.id.0))
                .map(|x| format!("{}. {}", x.number, x.text))
                .collect();
            if findings.is_empty() {
                gaps.add(
                    format!("review-findings:{}", r.id),
                    format!("{}: no findings or recommendations recorded", r.subject),
                    format!("/reviews/{}", r.id),
                );
                continue;
            }
            blocks.push(Block::Paragraph(format!("The findings of the review of {}:", r.subject)));
            blocks.push(Block::Bullets(findings));
        }
    }
    let ongoing: Vec<&Review> = reviews.iter().filter(|r| ongoing_at(r, period.end)).collect();
    let reviews_words = capitalised(kind.review_words());
    facts.push(Fact::new(concluded.len().to_string(), format!("{reviews_words} concluded")));
    facts.push(Fact::new(ongoing.len().to_string(), format!("{reviews_words} ongoing at the period's end")));
    blocks.push(Block::Heading(3, format!("Reviews ongoing at {}", long_date(period.end))));
    if ongoing.is_empty() {
        blocks.push(Block::Paragraph(format!("No {} were ongoing at the end of the period.", kind.review_words())));
    } else {
        let mut t = Table::new(["Review", "Decided on", "Where it stands today"], &[4, 2, 3]);
        for r in ongoing {
            t.row([Cell::from(r.subject.as_str()), day(r.dates.decided_on), Cell::from(r.stage.label())]);
        }
        blocks.push(Block::Table(t));
    }
    (blocks, gaps.0)
}

/// The learning part: each finding with what was done on it, and those decided not to be
/// implemented with the reasons.
fn learning_part(period: &Period, reviews: &[Review], recs: &[Recommendation], actions: &[PlanAction]) -> Part {
    let mut blocks = Vec::new();
    let mut gaps = Gaps(Vec::new());
    let subject: HashMap<i64, &Review> = reviews.iter().map(|r| (r.id.0, r)).collect();
    // The findings of the reviews concluded by the end of the period.
    let mine: Vec<(&Review, &Recommendation)> = recs
        .iter()
        .filter_map(|x| Some((*subject.get(&x.review_id?)?, x)))
        .filter(|(r, _)| concluded_on(r).is_some_and(|c| c <= period.end))
        .collect();
    if mine.is_empty() {
        blocks.push(Block::Paragraph("No review concluded by the end of the period has findings recorded.".into()));
        return (blocks, gaps.0);
    }
    let mut t = Table::new(
        ["Review", "Finding", "Decision", "Actions", "Completed", "Completed in the period"],
        &[3, 6, 2, 1, 1, 2],
    );
    let (mut total, mut done, mut done_in) = (0, 0, 0);
    for (r, x) in &mine {
        let of: Vec<&PlanAction> = actions.iter().filter(|a| a.recommendation_id == x.id.0).collect();
        let completed = of.iter().filter(|a| a.status == ActionStatus::Completed).count();
        let completed_in = of.iter().filter(|a| a.completed_on.is_some_and(|d| period.contains(d))).count();
        total += of.len();
        done += completed;
        done_in += completed_in;
        if x.decision == RecDecision::Implement && of.is_empty() {
            gaps.add(
                format!("finding-decision:{}", x.id.0),
                format!(
                    "{}, finding {}: no action on the plan and no decision not to implement it",
                    r.subject, x.number
                ),
                format!("/recommendations/{}/edit", x.id.0),
            );
        }
        t.row([
            Cell::from(r.subject.as_str()),
            Cell::from(format!("{}. {}", x.number, x.text)),
            Cell::from(x.decision.label()),
            Cell::integer(of.len() as i64),
            Cell::integer(completed as i64),
            Cell::integer(completed_in as i64),
        ]);
    }
    blocks.push(Block::Paragraph(format!(
        "{} findings of reviews concluded by {}: {} actions on the plan, {} completed, {} of them in the period.",
        mine.len(),
        long_date(period.end),
        total,
        done,
        done_in
    )));
    blocks.push(Block::Table(t));
    blocks.push(Block::Heading(3, "Findings decided not to be implemented".into()));
    let declined: Vec<&(&Review, &Recommendation)> = mine
        .iter()
        .filter(|(_, x)| x.decision == RecDecision::NotImplement && x.decided_on.is_some_and(|d| period.contains(d)))
        .collect();
    if declined.is_empty() {
        blocks.push(Block::Paragraph("No finding was decided not to be implemented in the period.".into()));
    } else {
        let mut t = Table::new(["Review", "Finding", "Decided on", "Reason"], &[3, 4, 2, 5]);
        for (r, x) in declined {
            t.row([
                Cell::from(r.subject.as_str()),
                Cell::from(format!("{}. {}", x.number, x.text)),
                day(x.decided_on),
                Cell::from(x.decision_reason.clone().unwrap_or_default()),
            ]);
        }
        blocks.push(Block::Table(t));
    }
    (blocks, gaps.0)
}

impl Core {
    /// Reads the records of the period and fills every part a template's sections show.
    pub(super) async fn fill_report(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        kind: ReportKind,
        period: &Period,
    ) -> CoreResult<Filled> {
        let mut conn = self.store.read().await?;
        let reviews: Vec<Review> =
            assure_store::reviews::reviews(&mut conn, p).await?.into_iter().filter(|r| r.arm == kind.arm()).collect();
        let recs = learning_store::recommendations_of_reviews_in(&mut conn, p).await?;
        let actions = learning_store::actions_of_reviews_in(&mut conn, p).await?;
        let (bodies, _) = assure_store::structure::bodies(&mut conn, p, true, Page::ALL).await?;
        drop(conn);
        let arm = kind.arm();
        let bodies: Vec<(BodyId, String)> = bodies
            .into_iter()
            .filter(|b| b.arm.is_none_or(|a| a == arm))
            .filter(|b| b.ended_on.is_none_or(|e| e >= period.start))
            .map(|b| (b.id, b.name))
            .collect();

        let mut parts = HashMap::new();
        let mut facts = Vec::new();
        // Only the parts the template shows are read (their key figures with them).
        let shows = |f: Fill| kind.template().iter().any(|s| s.fills().contains(&f));
        if shows(Fill::Reviews) || shows(Fill::Learning) {
            let reviews_part = reviews_part(kind, period, &reviews, &recs, &mut facts);
            let learning_part = learning_part(period, &reviews, &recs, &actions);
            // Every review the report names is logged as read (their subjects are restricted).
            let named: Vec<i64> = reviews
                .iter()
                .filter(|r| concluded_on(r).is_some_and(|c| c <= period.end) || ongoing_at(r, period.end))
                .map(|r| r.id.0)
                .collect();
            if !named.is_empty() {
                self.log_read(ctx, "review", None, Some(p), serde_json::json!({"ids": named, "part": "report"}))
                    .await?;
            }
            parts.insert(Fill::Reviews, reviews_part);
            parts.insert(Fill::Learning, learning_part);
        }
        if shows(Fill::Meetings) {
            parts.insert(Fill::Meetings, self.meetings_part(ctx, period, &bodies).await?);
        }
        if shows(Fill::Training) {
            parts.insert(Fill::Training, self.training_part(ctx, p, period, &mut facts).await?);
        }
        if shows(Fill::Finance) {
            parts.insert(Fill::Finance, self.finance_part(ctx, p, period).await?);
        }
        if shows(Fill::Priorities) {
            parts.insert(Fill::Priorities, self.priorities_part(ctx, p, kind, period).await?);
        }
        if shows(Fill::Feedback) {
            parts.insert(Fill::Feedback, self.feedback_part(ctx, p, period, &mut facts).await?);
        }
        if shows(Fill::Challenges) {
            parts.insert(Fill::Challenges, self.challenges_part(ctx, p, period, &mut facts).await?);
        }
        if shows(Fill::Inspections) {
            parts.insert(Fill::Inspections, self.inspections_part(ctx, p, period).await?);
        }
        if shows(Fill::Contributions) {
            parts.insert(Fill::Contributions, self.contributions_part(ctx, p, period).await?);
        }
        if shows(Fill::Indicators) {
            parts.insert(Fill::Indicators, self.indicators_part(ctx, p, kind, period).await?);
        }
        if shows(Fill::Audits) {
            parts.insert(Fill::Audits, self.audits_part(ctx, p, kind, period, &mut facts).await?);
        }
        if shows(Fill::Risks) {
            parts.insert(Fill::Risks, self.risks_part(ctx, p, kind, period).await?);
        }
        if shows(Fill::Scrutiny) {
            parts.insert(Fill::Scrutiny, self.scrutiny_part(p, period).await?);
        }
        if shows(Fill::Allegations) {
            parts.insert(Fill::Allegations, self.allegations_part(ctx, p, period, &mut facts).await?);
        }
        Ok(Filled { parts, facts })
    }

    async fn meetings_part(&self, ctx: &Ctx, period: &Period, bodies: &[(BodyId, String)]) -> CoreResult<Part> {
        let mut blocks = Vec::new();
        let mut gaps = Gaps(Vec::new());
        let mut summary = Table::new(["Body", "Meetings held", "Quorate", "Seats represented"], &[5, 2, 2, 2]);
        let mut statutory = Table::new(["Statutory partner", "Body", "Meetings", "Represented at"], &[4, 4, 2, 2]);
        for (id, name) in bodies {
            let review = self.attendance_review(ctx, *id, Some(period.start), Some(period.end)).await?;
            if review.meetings.is_empty() {
                continue;
            }
            let quorate = review.meetings.iter().filter(|m| m.quorate == Some(true)).count();
            summary.row([
                Cell::from(name.as_str()),
                Cell::integer(review.meetings.len() as i64),
                Cell::integer(quorate as i64),
                Cell::from(match review.totals.seats {
                    0 => String::new(),
                    seats => percent(review.totals.represented as i64 * 10_000 / seats as i64),
                }),
            ]);
            for o in review.organisations.iter().filter(|o| o.statutory) {
                statutory.row([
                    Cell::from(o.name.as_str()),
                    Cell::from(name.as_str()),
                    Cell::integer(o.held as i64),
                    Cell::integer(o.represented as i64),
                ]);
            }
        }
        if summary.rows.is_empty() {
            gaps.add("no-meetings".into(), format!("No meetings recorded in {}", period.label()), "/meetings");
            blocks.push(Block::Paragraph("No meetings were recorded in the period.".into()));
        } else {
            blocks.push(Block::Heading(3, "Meetings held".into()));
            blocks.push(Block::Table(summary));
            if !statutory.rows.is_empty() {
                blocks.push(Block::Heading(3, "Attendance of the statutory partners".into()));
                blocks.push(Block::Table(statutory));
            }
        }
        Ok((blocks, gaps.0))
    }

    async fn training_part(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        period: &Period,
        facts: &mut Vec<Fact>,
    ) -> CoreResult<Part> {
        let t = self.training_report(ctx, p, period.start, period.end).await?;
        if t.sessions > 0 {
            facts.push(Fact::new(thousands(t.total.attended), "People who attended the partnership's training"));
        }
        let mut blocks = Vec::new();
        let mut gaps = Gaps(Vec::new());
        if t.sessions == 0 {
            gaps.add("no-training".into(), format!("No training sessions recorded in {}", period.label()), "/training");
            blocks.push(Block::Paragraph("No training sessions were recorded in the period.".into()));
            return Ok((blocks, gaps.0));
        }
        let tenths = |v: Option<i64>| v.map(crate::training::tenths).unwrap_or_else(|| "not measured".into());
        blocks.push(Block::Paragraph(format!(
            "{} sessions were held; {} places were booked and {} people attended. {} evaluations were returned: \
             average confidence {} before and {} after (out of 5). {} of {} impact follow-ups were returned, {} \
             countersigned by a manager.",
            t.sessions,
            t.total.booked,
            t.total.attended,
            t.evaluations,
            tenths(t.confidence_before),
            tenths(t.confidence_after),
            t.follow_ups_returned,
            t.follow_ups_sent,
            t.countersigned
        )));
        if !t.by_organisation.is_empty() {
            let mut table = Table::new(["Agency", "Booked", "Attended"], &[5, 2, 2]);
            for row in &t.by_organisation {
                table.row([
                    Cell::from(row.name.as_str()),
                    Cell::integer(row.counts.booked),
                    Cell::integer(row.counts.attended),
                ]);
            }
            blocks.push(Block::Heading(3, "Attendance by agency".into()));
            blocks.push(Block::Table(table));
        }
        if t.impacts.is_empty() {
            gaps.add(
                "no-training-impact".into(),
                format!("No evidence of the training's impact on practice (follow-ups) recorded in {}", period.label()),
                "/training/report",
            );
        } else {
            blocks.push(Block::Heading(3, "What practitioners said changed".into()));
            blocks.push(Block::Bullets(
                t.impacts
                    .iter()
                    .take(10)
                    .map(|i| format!("{} ({}): {}", i.event, long_date(i.day), i.practice_change))
                    .collect(),
            ));
        }
        Ok((blocks, gaps.0))
    }

    async fn finance_part(&self, ctx: &Ctx, p: PartnershipId, period: &Period) -> CoreResult<Part> {
        let finances = match self.finances(ctx, p).await {
            Ok(f) => f.years,
            Err(CoreError::NotFound) => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut blocks = Vec::new();
        let mut gaps = Gaps(Vec::new());
        for year in period.financial_years() {
            let words = assure_domain::finance::financial_year(year);
            let Some(w) = finances.iter().find(|w| w.budget.year == year) else {
                gaps.add(format!("no-budget:{year}"), format!("No budget recorded for {words}"), "/finance");
                continue;
            };
            // The budget's own checks (contributions that do not add up to their total, reserves
            // that do not follow from the year before, spending beyond income) are the report's:
            // its figures would not add up in print.
            for f in &w.flags {
                gaps.add(
                    format!("budget-check:{}:{}", w.budget.id, f.code),
                    format!("Budget {words}: {}", f.message),
                    format!("/budgets/{}", w.budget.id),
                );
            }
            blocks.push(Block::Heading(3, format!("Budget {words}")));
            let mut t = Table::new(["Partner", "Contribution", "Share"], &[5, 2, 2]);
            for c in &w.contributions {
                t.row([
                    Cell::from(c.name()),
                    Cell::from(money(c.figures.budget)),
                    Cell::from(c.share_of_contributions.map(percent).unwrap_or_default()),
                ]);
            }
            if !t.rows.is_empty() {
                blocks.push(Block::Table(t));
            }
            blocks.push(Block::Paragraph(format!(
                "Income {} (budget {}); expenditure {} (budget {}); in kind given {}; reserves at the year's end {}.",
                money(w.income.forecast),
                money(w.income.budget),
                money(w.spend.forecast),
                money(w.spend.budget),
                money(w.all_in_kind()),
                money(w.reserves.carried_forward())
            )));
        }
        Ok((blocks, gaps.0))
    }

    /// Each strategy of the report's arm (or both arms) covering a financial year of the period:
    /// the activities due in the year, how many were completed, and those that made little or
    /// no progress, as they stood at the year's end.
    async fn priorities_part(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        kind: ReportKind,
        period: &Period,
    ) -> CoreResult<Part> {
        let strategies = self.strategies(ctx, p).await?;
        let mut blocks = Vec::new();
        let mut gaps = Gaps(Vec::new());
        for s in strategies.iter().filter(|s| s.arm.is_none_or(|a| a == kind.arm())) {
            let (first, last) = s.quarters();
            for year in period.financial_years().into_iter().filter(|y| (first.year..=last.year).contains(y)) {
                let little = self.little_progress(ctx, s.id, year).await?;
                let words = assure_domain::finance::financial_year(year);
                blocks.push(Block::Heading(3, format!("{}: {words}", s.name)));
                blocks.push(Block::Paragraph(format!(
                    "{} activities were due in {words}; {} were completed.",
                    little.due, little.completed
                )));
                if little.lines.is_empty() {
                    blocks.push(Block::Paragraph("Every activity due in the year made progress.".into()));
                    continue;
                }
                blocks.push(Block::Paragraph("Where there was little or no progress:".into()));
                let mut t = Table::new(["Priority", "Activity", "Status", "Latest update"], &[3, 4, 2, 5]);
                for l in &little.lines {
                    t.row([
                        Cell::from(l.priority.as_str()),
                        Cell::from(l.activity.title.as_str()),
                        Cell::from(l.standing.status.label()),
                        Cell::text(l.latest.as_ref().map(|u| format!("{} ({})", u.text, long_date(u.on)))),
                    ]);
                }
                blocks.push(Block::Table(t));
            }
        }
        if blocks.is_empty() {
            gaps.add(
                "no-priorities".into(),
                format!("No strategy's activities were due in {}", period.label()),
                "/strategy",
            );
        }
        Ok((blocks, gaps.0))
    }

    /// "You said, we did" done in the period.
    async fn feedback_part(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        period: &Period,
        facts: &mut Vec<Fact>,
    ) -> CoreResult<Part> {
        let list = self.said_did_list(ctx, p).await?;
        let mut gaps = Gaps(Vec::new());
        let mut t = Table::new(["You said", "We did", "Done on"], &[5, 5, 2]);
        for e in list.entries.iter().filter(|e| period.contains(e.done_on)) {
            t.row([Cell::from(e.you_said.as_str()), Cell::from(e.we_did.as_str()), Cell::day(e.done_on)]);
        }
        if !t.rows.is_empty() {
            facts.push(Fact::new(t.rows.len().to_string(), "Changes made after people told us what to change"));
        }
        if t.rows.is_empty() {
            gaps.add(
                "no-said-did".into(),
                format!("No \u{201c}You said, we did\u{201d} recorded in {}", period.label()),
                "/you-said-we-did",
            );
            return Ok((Vec::new(), gaps.0));
        }
        Ok((vec![Block::Heading(3, "You said, we did".into()), Block::Table(t)], gaps.0))
    }

    /// The challenge and escalation log's entries raised in the period or still open during it,
    /// with how each stands today.
    async fn challenges_part(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        period: &Period,
        facts: &mut Vec<Fact>,
    ) -> CoreResult<Part> {
        use assure_domain::challenges::{Direction, Status};
        let log = self.challenges(ctx, p, crate::challenges::Filter::default()).await?;
        let mine: Vec<&assure_store::challenges::Challenge> = log
            .entries
            .iter()
            .map(|e| &e.challenge)
            .filter(|c| c.raised_on <= period.end && c.closed_on.is_none_or(|d| d >= period.start))
            .collect();
        if mine.is_empty() {
            let none = "No challenge or escalation was raised or open in the period.";
            return Ok((vec![Block::Paragraph(none.into())], Vec::new()));
        }
        let raised = |d: Direction| mine.iter().filter(|c| c.direction == d && period.contains(c.raised_on)).count();
        let closed = |s: Status| {
            mine.iter().filter(|c| c.status == s && c.closed_on.is_some_and(|d| period.contains(d))).count()
        };
        let mut t = Table::new(["Entry", "Raised on", "What", "With", "Where it stands today"], &[1, 2, 3, 3, 3]);
        for c in &mine {
            t.row([
                Cell::integer(c.number),
                Cell::day(c.raised_on),
                Cell::from(c.direction.label()),
                Cell::from(c.organisation.as_str()),
                Cell::from(match c.closed_on {
                    Some(d) => format!("{}, {}", c.status.label(), long_date(d)),
                    None => c.status.label().to_owned(),
                }),
            ]);
        }
        facts.push(Fact::new(
            (raised(Direction::Challenge) + raised(Direction::Escalation)).to_string(),
            "Challenges raised and escalations made",
        ));
        let summary = format!(
            "In the period the partnership raised {} challenges and {} escalations were made to it; {} were closed \
             as resolved and {} without being resolved.",
            raised(Direction::Challenge),
            raised(Direction::Escalation),
            closed(Status::Resolved),
            closed(Status::Unresolved)
        );
        Ok((vec![Block::Paragraph(summary), Block::Table(t)], Vec::new()))
    }

    /// The inspections published in the period, with their judgements (one not yet published is
    /// not the partnership's to report).
    async fn inspections_part(&self, ctx: &Ctx, p: PartnershipId, period: &Period) -> CoreResult<Part> {
        let register = self.inspections(ctx, p, None).await?;
        let mut t = Table::new(["Inspection", "Published", "Judgements"], &[4, 2, 6]);
        for l in register.items.iter().filter(|l| l.inspection.published_on.is_some_and(|d| period.contains(d))) {
            let judgements: Vec<String> = l
                .judgements
                .iter()
                .map(|j| {
                    let of = j.organisation.as_deref().map(|o| format!(" ({o})")).unwrap_or_default();
                    format!("{}{of}: {}", j.area, j.grade.as_deref().unwrap_or("not graded"))
                })
                .collect();
            t.row([
                Cell::from(format!("{} ({})", l.inspection.title, l.kind)),
                day(l.inspection.published_on),
                Cell::from(judgements.join("; ")),
            ]);
        }
        if t.rows.is_empty() {
            let none = "No inspection of the partnership's agencies was published in the period.";
            return Ok((vec![Block::Paragraph(none.into())], Vec::new()));
        }
        Ok((vec![Block::Table(t)], Vec::new()))
    }
}

impl Core {
    /// Each partner's written contribution to the report: its answers to the annual report
    /// contribution return of each financial year of the period (sent, that is submitted or
    /// accepted); a return asked for and not sent is a gap, and so is a year none was asked for.
    async fn contributions_part(&self, ctx: &Ctx, p: PartnershipId, period: &Period) -> CoreResult<Part> {
        use assure_domain::intelligence::returns::{FieldKind, ReturnStatus};
        use assure_domain::reports::CONTRIBUTION_RETURN;
        let returns = self.data_returns(ctx, p).await?;
        // The templates the partnership uses, read once (their questions and kinds of answer).
        let templates = if returns.iter().any(|(r, _)| r.template_code == CONTRIBUTION_RETURN) {
            let mut conn = self.store.read().await?;
            crate::intelligence::returns::templates::templates_of(&mut conn, p).await?
        } else {
            HashMap::new()
        };
        let mut blocks = Vec::new();
        let mut gaps = Gaps(Vec::new());
        for year in period.financial_years() {
            let code = format!("{year}-{:02}", (year + 1) % 100);
            let words = assure_domain::finance::financial_year(year);
            let mut of_year: Vec<_> = returns
                .iter()
                .map(|(r, _)| r)
                .filter(|r| r.template_code == CONTRIBUTION_RETURN && r.period == code)
                .collect();
            if of_year.is_empty() {
                gaps.add(
                    format!("no-contributions:{year}"),
                    format!("No partner was asked for its contribution to the report for {words}"),
                    "/returns",
                );
                continue;
            }
            of_year.sort_by(|a, b| a.organisation_name.cmp(&b.organisation_name));
            let mut conn = self.store.read().await?;
            let mut sent = Vec::new();
            for r in &of_year {
                if matches!(r.status, ReturnStatus::Submitted | ReturnStatus::Validated) {
                    let values = assure_store::intelligence::returns::values(&mut conn, r.id.0).await?;
                    sent.push((*r, values));
                } else {
                    gaps.add(
                        format!("contribution:{}", r.id.0),
                        format!("{} has not sent its contribution for {words}", r.organisation_name),
                        format!("/returns/{}", r.id.0),
                    );
                }
            }
            drop(conn);
            if sent.is_empty() {
                continue;
            }
            blocks.push(Block::Paragraph(format!(
                "Each partner's contribution for {words}, in its own words, from its annual report contribution:"
            )));
            let mut choices: Option<Table> = None;
            for (r, values) in &sent {
                let Some(template) = templates.get(&(r.template_code.clone(), r.template_version.clone())) else {
                    continue;
                };
                let answer =
                    |id: &str| values.iter().find(|(k, _)| k == id).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
                blocks.push(Block::Heading(3, format!("{} ({words})", r.organisation_name)));
                for f in template.fields.iter().filter(|f| f.kind == FieldKind::Text) {
                    if let Some(v) = answer(&f.id) {
                        blocks.push(Block::Paragraph(format!("{} {v}", f.label)));
                    }
                }
                let picks: Vec<_> = template.fields.iter().filter(|f| f.kind == FieldKind::Pick).collect();
                if !picks.is_empty() {
                    let t = choices.get_or_insert_with(|| {
                        let mut header = vec!["Partner".to_owned()];
                        header.extend(picks.iter().map(|f| f.label.clone()));
                        let widths: Vec<u32> = std::iter::once(3).chain(picks.iter().map(|_| 3)).collect();
                        Table::new(header, &widths)
                    });
                    let mut row = vec![Cell::from(r.organisation_name.as_str())];
                    row.extend(picks.iter().map(|f| Cell::text(answer(&f.id).map(str::to_owned))));
                    t.row(row);
                }
            }
            if let Some(t) = choices {
                blocks.push(Block::Table(t));
            }
        }
        Ok((blocks, gaps.0))
    }
}
