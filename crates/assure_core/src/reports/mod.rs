//! The statutory yearly reports, built from the records. The business manager starts a report
//! for a kind (the children's partnership's or the adults' board's) and a period; its template
//! lists the sections, statutory items first. Each section is filled from the records of the
//! period as they stand today (`fill`), and people write the words only people can write. The
//! completeness check names what is missing, each gap with the page where it is put right. The
//! report leaves Assure as an accessible HTML page, tagged PDF or Word, from the document engine.
//!
//! Reading a draft is for the business unit, the scrutineer and administrators (it gathers
//! figures from records other roles may not read); every case review it names is logged as read.

mod assurance;
mod authors;
mod distribution;
pub mod easy_read;
mod figures;
mod fill;
mod scrutiny;
mod sign_off;

pub use distribution::{PublicReports, distribution, parse_distribution, published_on};

pub use authors::{Asked, Author};

pub use sign_off::{PUBLISHED_FORMATS, ReportComments, sha256_hex};

pub use scrutiny::{ScrutinyWork, addressed_to};

pub use assure_store::reports::{
    Activity, Agreement, Comment, KeptFile, Recommendation, Report, Response, Sending, Written,
};

use assure_domain::reports::{
    self as r, Period, ReportInput, ReportKind, ReportStatus, SectionInput, SectionKey, SignOff, StatutoryItem, Step,
};
use assure_domain::structure::{Choice, OrganisationKind};
use assure_domain::validation::long_date;
use assure_domain::{Action, PartnershipId, ResourceKind as K, Target, can};
use assure_store::audit_log;
use assure_store::reports::{self as st, Claim};
use chrono::NaiveDate;
use serde_json::json;

use crate::documents::{Block, Document, Download, Fact, Format, Marking};
use crate::{Core, CoreError, CoreResult, Ctx};

fn of(p: PartnershipId) -> Target {
    Target::new(K::Report, p)
}

/// Something the report lacks, with where to put it right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// Names the gap while the records stand (`review-findings:12`, `no-budget:2022`,
    /// `unwritten:foreword`): an explanation is kept against it.
    pub code: String,
    pub section: SectionKey,
    pub message: String,
    /// The page where it is put right.
    pub link: String,
    /// Why the records cannot put it right, printed in the report under its section.
    pub explanation: Option<String>,
}

impl Gap {
    /// A section with no words is put right only by writing them: it cannot be explained.
    pub fn explainable(&self) -> bool {
        !self.code.starts_with(UNWRITTEN)
    }
}

const UNWRITTEN: &str = "unwritten:";

/// One section as the report shows it.
#[derive(Debug, Clone)]
pub struct SectionView {
    pub key: SectionKey,
    /// The statutory items it answers.
    pub answers: Vec<&'static StatutoryItem>,
    /// What people wrote.
    pub narrative: Option<String>,
    /// Who wrote it last and when.
    pub written_by: Option<(String, String)>,
    /// Whom it is asked of, and by when.
    pub author: Option<Author>,
    /// What the records of the period say.
    pub blocks: Vec<Block>,
    pub gaps: Vec<Gap>,
}

impl SectionView {
    pub fn title(&self) -> &'static str {
        self.key.label()
    }

    pub fn paragraphs(&self) -> Vec<String> {
        self.narrative.as_deref().map(r::paragraphs).unwrap_or_default()
    }
}

/// A report with every section filled from the records as they stand today.
#[derive(Debug, Clone)]
pub struct ReportView {
    /// The report kept in Assure (`None` when the console builds one no one has started: the
    /// template with nothing written).
    pub report: Option<Report>,
    pub kind: ReportKind,
    pub period: Period,
    pub title: String,
    pub partnership_name: String,
    /// The partnership's short name (its public pages' address).
    pub partnership_slug: String,
    /// The day the records were read.
    pub as_of: NaiveDate,
    pub sections: Vec<SectionView>,
    /// The period's key figures from the records ("at a glance"); none for a published report,
    /// whose figures are in its files.
    pub facts: Vec<Fact>,
    /// The actor records the sign-off's steps (the business unit, or an administrator).
    pub can_edit: bool,
    /// The actor writes the report's words and explains its gaps: the business unit, or for a
    /// scrutiny report the scrutineer (and administrators).
    pub can_write: bool,
    /// The actor is the scrutineer (or an administrator): they comment and record the review.
    pub can_scrutinise: bool,
    /// The scrutineer's comments, section by section, with the responses.
    pub comments: Vec<Comment>,
    /// The statutory partners whose agreement publication needs (id and name).
    pub partners: Vec<(i64, String)>,
    pub agreements: Vec<Agreement>,
    /// The files as published (a published report only).
    pub files: Vec<KeptFile>,
    /// Whom it was sent to, how and when (a published report only).
    pub sendings: Vec<Sending>,
    /// A scrutiny report's pieces of scrutiny and recommendations (none for the others).
    pub activities: Vec<Activity>,
    pub recommendations: Vec<Recommendation>,
}

impl ReportView {
    /// Every gap once (a gap of figures two sections show is listed with the first).
    pub fn gaps(&self) -> Vec<&Gap> {
        let mut seen = std::collections::HashSet::new();
        self.sections.iter().flat_map(|s| s.gaps.iter()).filter(|g| seen.insert(g.code.as_str())).collect()
    }

    pub fn gap_count(&self) -> usize {
        self.gaps().len()
    }

    /// The gaps neither put right nor explained.
    pub fn unexplained(&self) -> usize {
        self.gaps().iter().filter(|g| g.explanation.is_none()).count()
    }

    pub fn status(&self) -> ReportStatus {
        self.report.as_ref().map_or(ReportStatus::Draft, |r| r.status)
    }

    pub fn published(&self) -> bool {
        self.status() == ReportStatus::Published
    }

    /// Where the sign-off stands, as its rules need it.
    pub fn sign_off(&self) -> SignOff {
        SignOff {
            status: self.status(),
            agreed: self.partners.iter().filter(|(id, _)| self.agreement_of(*id).is_some()).count(),
            partners: self.partners.len(),
            unexplained: self.unexplained(),
            partners_agree: self.kind.partners_agree(),
        }
    }

    /// Why `step` may not be taken now.
    pub fn refuses(&self, step: Step) -> Option<String> {
        self.sign_off().refuses(step)
    }

    /// Whom this kind of report is sent to, and where the rule comes from.
    pub fn distribution(&self) -> Option<&'static assure_domain::reports::Distribution> {
        distribution(self.kind)
    }

    /// The sendings to a configured recipient.
    pub fn sent_to(&self, code: &str) -> Vec<&Sending> {
        self.sendings.iter().filter(|s| s.recipient_code.as_deref() == Some(code)).collect()
    }

    /// The sendings to someone the configuration does not name.
    pub fn sent_to_others(&self) -> Vec<&Sending> {
        self.sendings.iter().filter(|s| s.recipient_code.is_none()).collect()
    }

    pub fn agreement_of(&self, organisation: i64) -> Option<&Agreement> {
        self.agreements.iter().find(|a| a.organisation_id == organisation)
    }

    /// The scrutineer's comments on a section.
    pub fn comments_on(&self, key: SectionKey) -> Vec<&Comment> {
        self.comments.iter().filter(|c| c.section == key).collect()
    }

    /// The statutory items with the sections that answer them, and whether each is answered
    /// without a gap.
    pub fn items(&self) -> Vec<(&'static StatutoryItem, Vec<SectionKey>, bool)> {
        self.kind
            .items()
            .map(|item| {
                let sections: Vec<&SectionView> =
                    self.sections.iter().filter(|s| s.answers.iter().any(|a| a.code == item.code)).collect();
                let answered = sections.iter().all(|s| s.gaps.is_empty());
                (item, sections.iter().map(|s| s.key).collect(), answered)
            })
            .collect()
    }

    /// The report as a document: the title, what it covers, each section with its words and then
    /// its figures, and a closing note of where the figures came from.
    pub fn document(&self) -> Document {
        let mut doc = Document::new(self.title.clone()).marked(Marking::of(K::Report));
        if self.kind.easy_read() {
            doc = doc.large_type();
        }
        doc.push(Block::Paragraph(format!(
            "{}: {}, covering {} ({} to {}).",
            self.partnership_name,
            self.kind.label(),
            self.period.label(),
            long_date(self.period.start),
            long_date(self.period.end)
        )));
        if !self.facts.is_empty() {
            doc.heading(2, "At a glance");
            doc.push(Block::Facts(self.facts.clone()));
        }
        let mut pictured = false;
        for s in &self.sections {
            doc.heading(2, s.title());
            match (self.kind.easy_read(), s.key, s.narrative.as_deref()) {
                (true, SectionKey::EasyWords, Some(words)) => doc.push(Block::Table(easy_read::glossary_table(words))),
                (true, _, Some(words)) => {
                    let blocks = easy_read::pictured(words);
                    pictured |= blocks.iter().any(|b| matches!(b, Block::Pictured { picture: Some(_), .. }));
                    doc.blocks.extend(blocks);
                }
                _ => {
                    for p in s.paragraphs() {
                        doc.push(Block::Paragraph(p));
                    }
                }
            }
            doc.blocks.extend(s.blocks.iter().cloned());
            let explained: Vec<String> =
                s.gaps.iter().filter_map(|g| g.explanation.as_ref().map(|e| format!("{}. {e}", g.message))).collect();
            if !explained.is_empty() {
                doc.heading(3, "What the records could not show");
                doc.push(Block::Bullets(explained));
            }
        }
        doc.push(Block::Note(format!(
            "The figures in this report were read from {}'s records in Assure on {}.",
            self.partnership_name,
            long_date(self.as_of)
        )));
        if pictured {
            doc.push(Block::Note(easy_read::PICTURES_CREDIT.into()));
        }
        doc
    }

    /// The document's file name parts.
    pub fn name_parts(&self) -> Vec<String> {
        vec![self.partnership_name.clone(), self.kind.code().to_owned(), "report".into(), self.period.code()]
    }
}

/// What Assure keeps of a report: the report itself, its words, and its sign-off's records.
#[derive(Debug, Clone, Default)]
struct Kept {
    report: Option<Report>,
    partnership_name: String,
    partnership_slug: String,
    written: Vec<Written>,
    comments: Vec<Comment>,
    explanations: Vec<assure_store::reports::Explanation>,
    agreements: Vec<Agreement>,
    files: Vec<KeptFile>,
    sendings: Vec<Sending>,
    activities: Vec<Activity>,
    recommendations: Vec<Recommendation>,
    authors: Vec<Author>,
}

impl Kept {
    /// Why `step` may not be taken, for the steps whose rules do not need the gaps (writing,
    /// commenting, reviewing, reopening).
    fn refuses(&self, step: Step) -> Option<String> {
        let status = self.report.as_ref().map_or(ReportStatus::Draft, |r| r.status);
        let partners_agree = self.report.as_ref().is_none_or(|r| r.kind.partners_agree());
        SignOff { status, agreed: self.agreements.len(), partners: 0, unexplained: 0, partners_agree }.refuses(step)
    }
}

/// One section's words to write, with what the section answers (its figures are not read).
#[derive(Debug, Clone)]
pub struct SectionForm {
    pub report: Report,
    pub key: SectionKey,
    pub narrative: Option<String>,
    pub answers: Vec<&'static StatutoryItem>,
    /// In an Easy Read report: the check of the words written, against the report's glossary.
    pub checked: Option<assure_domain::reports::easy_read::Checked>,
    /// Whom the section is asked of, and by when.
    pub author: Option<Author>,
    /// The actor asks authors for this report's sections (the business unit).
    pub can_ask: bool,
    /// The actor reads the whole report (not only the section asked of them).
    pub reads_report: bool,
    /// Why the words may not be changed now.
    pub locked: Option<String>,
}

/// The partnership's reports.
#[derive(Debug, Clone)]
pub struct ReportList {
    pub reports: Vec<Report>,
    /// The kinds of report the actor may start (the scrutineer: their own).
    pub kinds: Vec<ReportKind>,
}

impl ReportList {
    pub fn can_start(&self) -> bool {
        !self.kinds.is_empty()
    }
}

/// The kinds of report the actor may start in `p`.
fn startable(ctx: &Ctx, p: PartnershipId) -> Vec<ReportKind> {
    ReportKind::ALL.iter().copied().filter(|k| can(&ctx.actor, Action::Create, &scrutiny::writer_of(*k, p))).collect()
}

impl Core {
    /// The partnership's reports, the latest period first.
    pub async fn reports(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<ReportList> {
        ctx.authorize(Action::View, &of(p))?;
        let mut conn = self.store.read().await?;
        let reports = st::reports_in(&mut conn, p).await?;
        drop(conn);
        Ok(ReportList { reports, kinds: startable(ctx, p) })
    }

    /// Starts a report of a kind for a period; returns its id. One report per kind and period.
    /// The business unit starts any report; the scrutineer starts their own.
    pub async fn create_report(&self, ctx: &Ctx, p: PartnershipId, input: &ReportInput) -> CoreResult<i64> {
        let kinds = startable(ctx, p);
        if kinds.is_empty() {
            ctx.authorize(Action::Create, &of(p))?;
        }
        let mut conn = self.store.read().await?;
        let partnership = assure_store::structure::partnership(&mut conn, p).await?;
        drop(conn);
        let new = input.validate(&partnership.name).map_err(CoreError::Invalid)?;
        if !kinds.contains(&new.kind) {
            return Err(CoreError::field("kind", "You may not start this kind of report"));
        }
        let mut tx = self.store.write().await?;
        let id = st::insert(&mut tx, p, &new, &ctx.name).await.map_err(|e| {
            CoreError::on_unique(
                e,
                "period",
                &format!("There is already a {} for {}", new.kind.label().to_lowercase(), new.period.label()),
            )
        })?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "create",
                "report",
                Some(id.to_string()),
                Some(p),
                json!({"kind": new.kind.code(), "period": new.period.code()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn readable_report(&self, ctx: &Ctx, id: i64) -> CoreResult<Kept> {
        let mut conn = self.store.read().await?;
        let report = st::report(&mut conn, id).await?;
        ctx.authorize(Action::View, &of(report.partnership_id))?;
        let partnership = assure_store::structure::partnership(&mut conn, report.partnership_id).await?;
        let scrutiny = report.kind.by_scrutineer();
        let kept = Kept {
            partnership_name: partnership.name,
            partnership_slug: partnership.slug,
            written: st::sections(&mut conn, id).await?,
            comments: st::comments(&mut conn, id).await?,
            explanations: st::explanations(&mut conn, id).await?,
            agreements: st::agreements(&mut conn, id).await?,
            files: st::files(&mut conn, id).await?,
            sendings: st::sendings(&mut conn, id).await?,
            // Only the scrutineer's own report keeps pieces of scrutiny and recommendations.
            activities: if scrutiny { st::activities(&mut conn, id).await? } else { Vec::new() },
            recommendations: if scrutiny { st::recommendations(&mut conn, id).await? } else { Vec::new() },
            authors: if scrutiny { Vec::new() } else { st::authors(&mut conn, id).await? },
            report: Some(report),
        };
        drop(conn);
        Ok(kept)
    }

    /// A report with every section filled from the records as they stand today, and its gaps;
    /// a published one as it was published (its words, its sign-off and its files: the records
    /// are not read again).
    pub async fn report(&self, ctx: &Ctx, id: i64) -> CoreResult<ReportView> {
        let kept = self.readable_report(ctx, id).await?;
        let report = kept.report.clone().ok_or(CoreError::NotFound)?;
        let (kind, period, title) = (report.kind, report.period, report.title.clone());
        self.report_view(ctx, report.partnership_id, kind, period, title, kept).await
    }

    /// The report of a kind and period as the records stand: the one kept in Assure if it has
    /// been started, else the template with nothing written (for the console's `report build`).
    pub async fn build_report(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        kind: ReportKind,
        period: Period,
    ) -> CoreResult<ReportView> {
        ctx.authorize(Action::View, &of(p))?;
        let mut conn = self.store.read().await?;
        let kept = st::report_for(&mut conn, p, kind, &period).await?;
        let partnership = assure_store::structure::partnership(&mut conn, p).await?;
        drop(conn);
        match kept {
            Some(report) => self.report(ctx, report.id).await,
            None => {
                let title = r::usual_title(&partnership.name, kind, &period);
                let kept =
                    Kept { partnership_name: partnership.name, partnership_slug: partnership.slug, ..Kept::default() };
                self.report_view(ctx, p, kind, period, title, kept).await
            }
        }
    }

    /// The partnership's statutory partners, whose agreement a report's publication needs: the
    /// organisations recorded as statutory partners that are not part of another (the council,
    /// not its children's services) and have not ended.
    async fn report_partners(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<(i64, String)>> {
        let orgs = self.every_organisation(ctx, p).await?;
        Ok(orgs
            .iter()
            .filter(|o| o.kind == OrganisationKind::StatutoryPartner && o.parent_id.is_none() && o.ended_on.is_none())
            .map(|o| (o.id.0, o.name.clone()))
            .collect())
    }

    async fn report_view(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        kind: ReportKind,
        period: Period,
        title: String,
        kept: Kept,
    ) -> CoreResult<ReportView> {
        let Kept {
            report,
            partnership_name,
            partnership_slug,
            written,
            comments,
            explanations,
            agreements,
            files,
            sendings,
            activities,
            recommendations,
            authors,
        } = kept;
        let published = report.as_ref().is_some_and(|r| r.status == ReportStatus::Published);
        let partners = self.report_partners(ctx, p).await?;
        // A published report is what was published: its figures are in its files.
        let (filled, as_of) = if published {
            (None, report.as_ref().and_then(published_on).unwrap_or_else(|| self.today()))
        } else {
            (Some(self.fill_report(ctx, p, kind, &period).await?), self.today())
        };
        let link_to = |key: SectionKey| match &report {
            Some(rep) => format!("/reports/{}/sections/{}", rep.id, key.code()),
            None => "/reports".to_owned(),
        };
        let explained = |code: &str| explanations.iter().find(|e| e.gap == code).map(|e| e.explanation.clone());
        let mut facts = filled.as_ref().map(|f| f.facts.clone()).unwrap_or_default();
        let report_id = report.as_ref().map_or(0, |r| r.id);
        if kind.by_scrutineer() && !published {
            facts.splice(0..0, scrutiny::scrutiny_facts(&activities, &recommendations));
        }
        let sections = kind
            .template()
            .iter()
            .map(|&key| {
                let mine = written.iter().find(|w| w.section == key);
                let narrative = mine.and_then(|w| w.narrative.clone());
                let author = authors.iter().find(|a| a.section == key).cloned();
                let (blocks, mut gaps) = match key {
                    _ if published => Default::default(),
                    SectionKey::Examined => scrutiny::examined_part(report_id, &activities),
                    SectionKey::Recommendations => scrutiny::recommendations_part(report_id, &recommendations),
                    _ => filled.as_ref().map(|f| f.of(key)).unwrap_or_default(),
                };
                if key.needs_text(kind) && narrative.is_none() && !published {
                    gaps.insert(
                        0,
                        Gap {
                            code: format!("{UNWRITTEN}{}", key.code()),
                            section: key,
                            message: match &author {
                                Some(a) => format!(
                                    "{}: asked of {} by {}{}, nothing written yet",
                                    key.label(),
                                    a.name,
                                    long_date(a.due_on),
                                    if a.due_on < self.today() { " (overdue)" } else { "" }
                                ),
                                None => format!("{}: nothing written yet", key.label()),
                            },
                            link: link_to(key),
                            explanation: None,
                        },
                    );
                }
                for g in gaps.iter_mut().filter(|g| g.explainable()) {
                    g.explanation = explained(&g.code);
                }
                SectionView {
                    key,
                    answers: key.items(kind),
                    narrative,
                    written_by: mine.map(|w| (w.updated_by.clone(), w.updated_at.clone())),
                    author,
                    blocks,
                    gaps,
                }
            })
            .collect();
        Ok(ReportView {
            report,
            kind,
            period,
            title,
            partnership_name,
            partnership_slug,
            as_of,
            sections,
            facts,
            can_edit: can(&ctx.actor, Action::Update, &of(p)),
            can_write: can(&ctx.actor, Action::Update, &scrutiny::writer_of(kind, p)),
            can_scrutinise: can(&ctx.actor, Action::Create, &Target::new(K::ReportScrutiny, p)),
            comments,
            partners,
            agreements,
            files,
            sendings,
            activities,
            recommendations,
        })
    }

    /// A section's words for its form (the business unit, the section's author; the scrutineer in
    /// their own report): the figures are not read.
    pub async fn report_section(&self, ctx: &Ctx, id: i64, section: &str) -> CoreResult<SectionForm> {
        let authors::ToWrite { report, key, written, author, refused } =
            self.section_to_write(ctx, id, section).await?;
        let glossary = written.iter().find(|w| w.section == SectionKey::EasyWords).and_then(|w| w.narrative.clone());
        let narrative = written.into_iter().find(|w| w.section == key).and_then(|w| w.narrative);
        let answers = key.items(report.kind);
        let checked = match (&narrative, report.kind.easy_read()) {
            (Some(words), true) => Some(self.check_easy_read_words(words, glossary.as_deref()).await?),
            _ => None,
        };
        let p = report.partnership_id;
        Ok(SectionForm {
            can_ask: assure_domain::reports::askable(report.kind) && can(&ctx.actor, Action::Update, &of(p)),
            reads_report: can(&ctx.actor, Action::View, &of(p)),
            report,
            key,
            narrative,
            answers,
            checked,
            author,
            locked: refused,
        })
    }

    /// An Easy Read section's words checked without saving them (the author's draft), with the
    /// form as it would be: the words' pictures and glossary are checked as saving would.
    pub async fn preview_report_section(
        &self,
        ctx: &Ctx,
        id: i64,
        section: &str,
        input: &SectionInput,
    ) -> CoreResult<SectionForm> {
        let mut form = self.report_section(ctx, id, section).await?;
        if !form.report.kind.easy_read() {
            return Err(CoreError::NotFound);
        }
        let narrative = input.validate().map_err(CoreError::Invalid)?;
        let words = narrative.ok_or_else(|| CoreError::field("narrative", "Enter the words to check"))?;
        easy_read::check_easy_words(form.key, &words).map_err(|why| CoreError::field("narrative", why))?;
        let glossary = match form.key {
            SectionKey::EasyWords => Some(words.clone()),
            _ => {
                let mut conn = self.store.read().await?;
                let written = st::sections(&mut conn, id).await?;
                drop(conn);
                written.into_iter().find(|w| w.section == SectionKey::EasyWords).and_then(|w| w.narrative)
            }
        };
        form.checked = Some(self.check_easy_read_words(&words, glossary.as_deref()).await?);
        form.narrative = Some(words);
        Ok(form)
    }

    /// Writes a section's words (blank empties it).
    pub async fn write_report_section(
        &self,
        ctx: &Ctx,
        id: i64,
        section: &str,
        input: &SectionInput,
    ) -> CoreResult<SectionKey> {
        let authors::ToWrite { report, key, refused, .. } = self.section_to_write(ctx, id, section).await?;
        if let Some(why) = refused {
            return Err(CoreError::field("narrative", why));
        }
        let narrative = input.validate().map_err(CoreError::Invalid)?;
        if let (true, Some(words)) = (report.kind.easy_read(), &narrative) {
            easy_read::check_easy_words(key, words).map_err(|why| CoreError::field("narrative", why))?;
        }
        let mut tx = self.store.write().await?;
        if !st::claim(&mut tx, id, Claim::words(report.kind)).await? {
            return Err(CoreError::Changed);
        }
        st::write_section(&mut tx, id, key, narrative.as_deref(), &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "update",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"section": key.code(), "characters": narrative.as_deref().map_or(0, |n| n.chars().count())}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(key)
    }

    /// The report as a file: HTML (the primary format), tagged PDF or Word; a published report's
    /// exactly as it was published.
    pub async fn report_file(&self, ctx: &Ctx, id: i64, format: Format) -> CoreResult<Download> {
        let view = self.report(ctx, id).await?;
        self.report_view_file(&view, format).await
    }

    /// A report already read as a file: the one kept if it is published, else rendered now.
    pub async fn report_view_file(&self, view: &ReportView, format: Format) -> CoreResult<Download> {
        match &view.report {
            Some(r) if r.status == ReportStatus::Published => self.published_file(r.id, format).await,
            _ => self.render_report(view, format).await,
        }
    }

    /// Renders a report already read.
    pub async fn render_report(&self, view: &ReportView, format: Format) -> CoreResult<Download> {
        let parts = view.name_parts();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        self.render(view.document(), format, &parts).await
    }
}
