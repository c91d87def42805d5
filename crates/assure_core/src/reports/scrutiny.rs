//! The independent scrutineer's own report. The scrutineer records each piece of scrutiny of the
//! period (what they examined, by which method, when, and what they found) and their
//! recommendations, each to one statutory partner or to the partners together, and writes the
//! report's words; the business unit records each partner's response to a recommendation (whether
//! it was accepted, what the partner will do or why not, who responded and when). The report
//! reads the same records as the children's yearly report (the partnership's meetings, the
//! reviews, the audits, how the area compares, the challenge log) beside them. The scrutineer's
//! review of their own report is their signature; partners respond rather than agree, and the
//! business unit publishes it once every recommendation has its response (or its absence is
//! explained).

use assure_domain::reports::{
    ActivityInput, PartnerResponseInput, Period, RecommendationInput, ReportKind, SectionKey, SignOff, Step,
};
use assure_domain::structure::Choice;
use assure_domain::validation::long_date;
use assure_domain::{Action, ResourceKind as K, Target, can};
use assure_store::audit_log;
use assure_store::reports::{self as st, Activity, Claim, Recommendation, Report};
use serde_json::json;

use super::fill::{Gaps, Part};
use super::{Gap, of};
use crate::documents::{Block, Cell, Fact, Table};
use crate::{Core, CoreError, CoreResult, Ctx};

/// Who writes a report's words: the scrutineer their own report, the business unit the others.
pub(super) fn writer(report: &Report) -> Target {
    writer_of(report.kind, report.partnership_id)
}

pub(super) fn writer_of(kind: ReportKind, p: assure_domain::PartnershipId) -> Target {
    if kind.by_scrutineer() { Target::new(K::ReportScrutiny, p) } else { of(p) }
}

/// The page where the scrutiny and the recommendations are recorded.
fn scrutiny_page(report_id: i64) -> String {
    format!("/reports/{report_id}/scrutiny")
}

/// Whom a recommendation is made to, as the report says it.
pub fn addressed_to(r: &Recommendation) -> String {
    r.organisation.clone().unwrap_or_else(|| "the safeguarding partners together".to_owned())
}

/// What the scrutineer examined: each piece of scrutiny with its method, day and findings; none
/// recorded is a gap.
pub(super) fn examined_part(report_id: i64, activities: &[Activity]) -> (Vec<Block>, Vec<Gap>) {
    let mut blocks = Vec::new();
    let mut gaps = Vec::new();
    if activities.is_empty() {
        gaps.push(Gap {
            code: "no-scrutiny".into(),
            section: SectionKey::Examined,
            message: "What the scrutineer examined: no piece of scrutiny recorded for the period".into(),
            link: scrutiny_page(report_id),
            explanation: None,
        });
        return (blocks, gaps);
    }
    let mut summary = Table::new(["What was examined", "How", "When"], &[5, 4, 2]);
    for a in activities {
        summary.row([Cell::from(a.examined.as_str()), Cell::from(a.method.label()), Cell::day(a.done_on)]);
    }
    blocks.push(Block::Table(summary));
    for a in activities {
        blocks.push(Block::Heading(3, a.examined.clone()));
        blocks.push(Block::Paragraph(format!("{}, {}.", a.method.label(), long_date(a.done_on))));
        blocks.extend(assure_domain::reports::paragraphs(&a.found).into_iter().map(Block::Paragraph));
    }
    (blocks, gaps)
}

/// The recommendations, numbered, each with the partner's response; one without is a gap.
pub(super) fn recommendations_part(report_id: i64, recs: &[Recommendation]) -> (Vec<Block>, Vec<Gap>) {
    let mut blocks = Vec::new();
    let mut gaps = Vec::new();
    if recs.is_empty() {
        blocks.push(Block::Paragraph("The scrutineer made no recommendations for the period.".into()));
        return (blocks, gaps);
    }
    let mut summary = Table::new(["Recommendation", "To", "Response"], &[1, 5, 3]);
    for (n, r) in recs.iter().enumerate() {
        let stance = r.response.as_ref().map_or("Awaited", |resp| resp.stance.label());
        summary.row([Cell::integer(n as i64 + 1), Cell::from(addressed_to(r)), Cell::from(stance)]);
    }
    blocks.push(Block::Table(summary));
    for (n, r) in recs.iter().enumerate() {
        let number = n + 1;
        blocks.push(Block::Heading(3, format!("Recommendation {number}, to {}", addressed_to(r))));
        blocks.extend(assure_domain::reports::paragraphs(&r.recommendation).into_iter().map(Block::Paragraph));
        match &r.response {
            Some(resp) => {
                blocks.push(Block::Paragraph(format!(
                    "Response: {}, by {} on {}.",
                    resp.stance.label(),
                    resp.responded_by,
                    long_date(resp.responded_on)
                )));
                blocks.extend(assure_domain::reports::paragraphs(&resp.response).into_iter().map(Block::Paragraph));
            }
            None => gaps.push(Gap {
                code: format!("scrutiny-response:{}", r.id),
                section: SectionKey::Recommendations,
                message: format!("Recommendation {number} (to {}): no response recorded", addressed_to(r)),
                link: format!("{}#recommendation-{}", scrutiny_page(report_id), r.id),
                explanation: None,
            }),
        }
    }
    (blocks, gaps)
}

/// The scrutiny report's key figures: the pieces of scrutiny, the recommendations, and how many
/// were accepted (wholly or in part).
pub(super) fn scrutiny_facts(activities: &[Activity], recs: &[Recommendation]) -> Vec<Fact> {
    let mut facts = vec![Fact::new(activities.len().to_string(), "Pieces of scrutiny")];
    if !recs.is_empty() {
        facts.push(Fact::new(recs.len().to_string(), "Recommendations made"));
        let accepted = recs
            .iter()
            .filter(|r| {
                r.response.as_ref().is_some_and(|resp| resp.stance != assure_domain::reports::Stance::NotAccepted)
            })
            .count();
        facts.push(Fact::new(accepted.to_string(), "Recommendations accepted, wholly or in part"));
    }
    facts
}

/// A scrutiny report's record of scrutiny, for its page: its figures are not read.
#[derive(Debug, Clone)]
pub struct ScrutinyWork {
    pub report: Report,
    pub activities: Vec<Activity>,
    pub recommendations: Vec<Recommendation>,
    /// The statutory partners a recommendation may be made to (id and name).
    pub partners: Vec<(i64, String)>,
    /// The actor writes the report (the scrutineer, or an administrator).
    pub can_write: bool,
    /// The actor records the partners' responses (the business unit, or an administrator).
    pub can_respond: bool,
    /// Why the scrutineer's words may not change now (signed or published).
    pub locked: Option<String>,
}

impl ScrutinyWork {
    /// Why a response may not be recorded now (published).
    pub fn responses_refused(&self) -> Option<String> {
        super::sign_off::comments_refused(&self.report)
    }
}

impl Core {
    /// The independent scrutineer's work for the yearly report's section on scrutiny: each
    /// scrutiny report whose period meets `period`, with the pieces of scrutiny done within it
    /// and the report's recommendations with the stance of each response. None is a gap.
    pub(super) async fn scrutiny_part(&self, p: assure_domain::PartnershipId, period: &Period) -> CoreResult<Part> {
        let mut conn = self.store.read().await?;
        let reports: Vec<Report> = st::reports_in(&mut conn, p)
            .await?
            .into_iter()
            .filter(|r| r.kind.by_scrutineer() && r.period.start <= period.end && r.period.end >= period.start)
            .collect();
        let (activities, recs) = if reports.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            (st::activities_in(&mut conn, p).await?, st::recommendations_in(&mut conn, p).await?)
        };
        drop(conn);
        let mut blocks = Vec::new();
        let mut gaps = Gaps(Vec::new());
        if reports.is_empty() {
            gaps.add(
                format!("no-scrutiny-report:{}", period.code()),
                format!("No scrutiny report of the independent scrutineer covers {}", period.label()),
                "/reports",
            );
        }
        for r in reports.iter().rev() {
            let done: Vec<&Activity> =
                activities.iter().filter(|(id, a)| *id == r.id && period.contains(a.done_on)).map(|(_, a)| a).collect();
            let made: Vec<&Recommendation> = recs.iter().filter(|(id, _)| *id == r.id).map(|(_, rec)| rec).collect();
            blocks.push(Block::Paragraph(format!(
                "{} ({}): {} pieces of scrutiny in {}, and {} recommendations.",
                r.title,
                r.status.label().to_lowercase(),
                done.len(),
                period.label(),
                made.len()
            )));
            if !done.is_empty() {
                let mut t = Table::new(["What the scrutineer examined", "How", "When"], &[5, 4, 2]);
                for a in done {
                    t.row([Cell::from(a.examined.as_str()), Cell::from(a.method.label()), Cell::day(a.done_on)]);
                }
                blocks.push(Block::Table(t));
            }
            if !made.is_empty() {
                let mut t = Table::new(["Recommendation", "To", "Response"], &[6, 3, 2]);
                for rec in made {
                    let stance = rec.response.as_ref().map_or("Awaited", |x| x.stance.label());
                    t.row([Cell::from(rec.recommendation.as_str()), Cell::from(addressed_to(rec)), Cell::from(stance)]);
                }
                blocks.push(Block::Table(t));
            }
        }
        Ok((blocks, gaps.0))
    }

    /// A scrutiny report's pieces of scrutiny and recommendations with their responses.
    pub async fn report_scrutiny(&self, ctx: &Ctx, id: i64) -> CoreResult<ScrutinyWork> {
        let kept = self.readable_report(ctx, id).await?;
        let report = kept.report.clone().ok_or(CoreError::NotFound)?;
        if !report.kind.by_scrutineer() {
            return Err(CoreError::NotFound);
        }
        let partners = self.report_partners(ctx, report.partnership_id).await?;
        Ok(ScrutinyWork {
            can_write: can(&ctx.actor, Action::Update, &writer(&report)),
            can_respond: can(&ctx.actor, Action::Update, &of(report.partnership_id)),
            locked: kept.refuses(Step::Write),
            activities: kept.activities,
            recommendations: kept.recommendations,
            partners,
            report,
        })
    }

    /// The scrutiny report of `id`, with the scrutineer's right to write it checked (before any
    /// input), and still open to their words.
    async fn scrutiny_for_writing(&self, ctx: &Ctx, id: i64, field: &str) -> CoreResult<Report> {
        let report = self.report_for_step(ctx, id, Action::Update, writer).await?;
        if !report.kind.by_scrutineer() {
            return Err(CoreError::NotFound);
        }
        // The scrutineer's words are theirs to change while the report is a draft: its status
        // is all the rule needs (partners do not agree a scrutiny report).
        let at = SignOff { status: report.status, agreed: 0, partners: 0, unexplained: 0, partners_agree: false };
        if let Some(why) = at.refuses(Step::Write) {
            return Err(CoreError::field(field, why));
        }
        Ok(report)
    }

    /// Records a piece of scrutiny of the report's period.
    pub async fn add_scrutiny_activity(&self, ctx: &Ctx, id: i64, input: &ActivityInput) -> CoreResult<i64> {
        let report = self.scrutiny_for_writing(ctx, id, "examined").await?;
        let new = input.validate(&report.period, self.today()).map_err(CoreError::Invalid)?;
        let mut tx = self.store.write().await?;
        if !st::claim(&mut tx, id, Claim::Draft).await? {
            return Err(CoreError::Changed);
        }
        let activity = st::insert_activity(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "scrutiny_activity",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"activity": activity, "method": new.method.code(), "done_on": new.done_on.to_string()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(activity)
    }

    /// Removes a piece of scrutiny from a draft.
    pub async fn remove_scrutiny_activity(&self, ctx: &Ctx, id: i64, activity: i64) -> CoreResult<()> {
        let report = self.scrutiny_for_writing(ctx, id, "activity").await?;
        let mut tx = self.store.write().await?;
        if !st::claim(&mut tx, id, Claim::Draft).await? {
            return Err(CoreError::Changed);
        }
        st::delete_activity(&mut tx, id, activity).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "remove_scrutiny_activity",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"activity": activity}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a recommendation, to one statutory partner or to them all.
    pub async fn add_report_recommendation(&self, ctx: &Ctx, id: i64, input: &RecommendationInput) -> CoreResult<i64> {
        let report = self.scrutiny_for_writing(ctx, id, "recommendation").await?;
        let partners: Vec<i64> =
            self.report_partners(ctx, report.partnership_id).await?.into_iter().map(|(p, _)| p).collect();
        let new = input.validate(&partners).map_err(CoreError::Invalid)?;
        let mut tx = self.store.write().await?;
        if !st::claim(&mut tx, id, Claim::Draft).await? {
            return Err(CoreError::Changed);
        }
        let rec = st::insert_recommendation(&mut tx, id, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "scrutiny_recommendation",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"recommendation": rec, "organisation": new.organisation_id, "characters": new.recommendation.chars().count()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Removes a recommendation no partner has responded to from a draft.
    pub async fn remove_report_recommendation(&self, ctx: &Ctx, id: i64, rec: i64) -> CoreResult<()> {
        let report = self.scrutiny_for_writing(ctx, id, "recommendation_id").await?;
        let mut conn = self.store.read().await?;
        let recs = st::recommendations(&mut conn, id).await?;
        drop(conn);
        let found = recs.iter().find(|r| r.id == rec).ok_or(CoreError::NotFound)?;
        if found.response.is_some() {
            return Err(CoreError::field(
                "recommendation_id",
                "A response to this recommendation is recorded: it stays in the report",
            ));
        }
        let mut tx = self.store.write().await?;
        if !st::claim(&mut tx, id, Claim::Draft).await? || !st::delete_recommendation(&mut tx, id, rec).await? {
            return Err(CoreError::Changed);
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "remove_scrutiny_recommendation",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"recommendation": rec}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records (or corrects) a partner's response to a recommendation of a scrutiny report not
    /// yet published.
    pub async fn respond_to_report_recommendation(
        &self,
        ctx: &Ctx,
        id: i64,
        rec: i64,
        input: &PartnerResponseInput,
    ) -> CoreResult<()> {
        let report = self.report_for_step(ctx, id, Action::Update, |r| of(r.partnership_id)).await?;
        if !report.kind.by_scrutineer() {
            return Err(CoreError::NotFound);
        }
        let mut conn = self.store.read().await?;
        let recs = st::recommendations(&mut conn, id).await?;
        drop(conn);
        if !recs.iter().any(|r| r.id == rec) {
            return Err(CoreError::NotFound);
        }
        if let Some(why) = super::sign_off::comments_refused(&report) {
            return Err(CoreError::field("response", why));
        }
        let new = input.validate(self.today()).map_err(CoreError::Invalid)?;
        let mut tx = self.store.write().await?;
        if !st::claim(&mut tx, id, Claim::Comments).await? {
            return Err(CoreError::Changed);
        }
        st::respond_to_recommendation(&mut tx, id, rec, &new, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "respond_recommendation",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"recommendation": rec, "stance": new.stance.code(), "responded_on": new.responded_on.to_string()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
