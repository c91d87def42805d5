//! The statutory yearly reports, built from the records. The business manager starts a report
//! for a kind (the children's partnership's or the adults' board's) and a period; its template
//! lists the sections, statutory items first. Each section is filled from the records of the
//! period as they stand today (`fill`), and people write the words only people can write. The
//! completeness check names what is missing, each gap with the page where it is put right. The
//! report leaves Assure as an accessible HTML page, tagged PDF or Word, from the document engine.
//!
//! Reading a draft is for the business unit, the scrutineer and administrators (it gathers
//! figures from records other roles may not read); every case review it names is logged as read.

mod fill;

pub use assure_store::reports::{Report, Written};

use assure_domain::reports::{self as r, Period, ReportInput, ReportKind, SectionInput, SectionKey, StatutoryItem};
use assure_domain::structure::Choice;
use assure_domain::validation::long_date;
use assure_domain::{Action, PartnershipId, ResourceKind as K, Target, can};
use assure_store::audit_log;
use assure_store::reports as st;
use chrono::NaiveDate;
use serde_json::json;

use crate::documents::{Block, Document, Download, Format, Marking};
use crate::{Core, CoreError, CoreResult, Ctx};

fn of(p: PartnershipId) -> Target {
    Target::new(K::Report, p)
}

/// Something the report lacks, with where to put it right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub section: SectionKey,
    pub message: String,
    /// The page where it is put right.
    pub link: String,
}

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
    /// The day the records were read.
    pub as_of: NaiveDate,
    pub sections: Vec<SectionView>,
    pub can_edit: bool,
}

impl ReportView {
    pub fn gaps(&self) -> impl Iterator<Item = &Gap> {
        self.sections.iter().flat_map(|s| s.gaps.iter())
    }

    pub fn gap_count(&self) -> usize {
        self.gaps().count()
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
        doc.push(Block::Paragraph(format!(
            "{}: {}, covering {} ({} to {}).",
            self.partnership_name,
            self.kind.label(),
            self.period.label(),
            long_date(self.period.start),
            long_date(self.period.end)
        )));
        for s in &self.sections {
            doc.heading(2, s.title());
            for p in s.paragraphs() {
                doc.push(Block::Paragraph(p));
            }
            doc.blocks.extend(s.blocks.iter().cloned());
        }
        doc.push(Block::Note(format!(
            "The figures in this report were read from {}'s records in Assure on {}.",
            self.partnership_name,
            long_date(self.as_of)
        )));
        doc
    }

    /// The document's file name parts.
    pub fn name_parts(&self) -> Vec<String> {
        vec![self.partnership_name.clone(), self.kind.code().to_owned(), "report".into(), self.period.code()]
    }
}

/// One section's words to write, with what the section answers (its figures are not read).
#[derive(Debug, Clone)]
pub struct SectionForm {
    pub report: Report,
    pub key: SectionKey,
    pub narrative: Option<String>,
    pub answers: Vec<&'static StatutoryItem>,
}

/// The partnership's reports.
#[derive(Debug, Clone)]
pub struct ReportList {
    pub reports: Vec<Report>,
    pub can_edit: bool,
}

impl Core {
    /// The partnership's reports, the latest period first.
    pub async fn reports(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<ReportList> {
        ctx.authorize(Action::View, &of(p))?;
        let mut conn = self.store.read().await?;
        let reports = st::reports_in(&mut conn, p).await?;
        drop(conn);
        Ok(ReportList { reports, can_edit: can(&ctx.actor, Action::Create, &of(p)) })
    }

    /// Starts a report of a kind for a period; returns its id. One report per kind and period.
    pub async fn create_report(&self, ctx: &Ctx, p: PartnershipId, input: &ReportInput) -> CoreResult<i64> {
        ctx.authorize(Action::Create, &of(p))?;
        let mut conn = self.store.read().await?;
        let partnership = assure_store::structure::partnership(&mut conn, p).await?;
        drop(conn);
        let new = input.validate(&partnership.name).map_err(CoreError::Invalid)?;
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

    async fn readable_report(&self, ctx: &Ctx, id: i64) -> CoreResult<(Report, Vec<Written>)> {
        let mut conn = self.store.read().await?;
        let report = st::report(&mut conn, id).await?;
        ctx.authorize(Action::View, &of(report.partnership_id))?;
        let written = st::sections(&mut conn, id).await?;
        drop(conn);
        Ok((report, written))
    }

    /// A report with every section filled from the records as they stand today, and its gaps.
    pub async fn report(&self, ctx: &Ctx, id: i64) -> CoreResult<ReportView> {
        let (report, written) = self.readable_report(ctx, id).await?;
        let (kind, period, title, p) = (report.kind, report.period, report.title.clone(), report.partnership_id);
        self.report_view(ctx, p, Some(report), kind, period, title, written).await
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
        let name = assure_store::structure::partnership(&mut conn, p).await?.name;
        drop(conn);
        match kept {
            Some(report) => self.report(ctx, report.id).await,
            None => {
                let title = r::usual_title(&name, kind, &period);
                self.report_view(ctx, p, None, kind, period, title, Vec::new()).await
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn report_view(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        report: Option<Report>,
        kind: ReportKind,
        period: Period,
        title: String,
        written: Vec<Written>,
    ) -> CoreResult<ReportView> {
        let filled = self.fill_report(ctx, p, kind, &period).await?;
        let link_to = |key: SectionKey| match &report {
            Some(rep) => format!("/reports/{}/sections/{}", rep.id, key.code()),
            None => "/reports".to_owned(),
        };
        let sections = kind
            .template()
            .iter()
            .map(|&key| {
                let mine = written.iter().find(|w| w.section == key);
                let narrative = mine.and_then(|w| w.narrative.clone());
                let (blocks, mut gaps) = filled.of(key);
                if key.needs_text() && narrative.is_none() {
                    gaps.insert(
                        0,
                        Gap {
                            section: key,
                            message: format!("{}: nothing written yet", key.label()),
                            link: link_to(key),
                        },
                    );
                }
                SectionView {
                    key,
                    answers: key.items(kind),
                    narrative,
                    written_by: mine.map(|w| (w.updated_by.clone(), w.updated_at.clone())),
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
            partnership_name: filled.partnership_name.clone(),
            as_of: self.today(),
            sections,
            can_edit: can(&ctx.actor, Action::Update, &of(p)),
        })
    }

    /// A section's words for its form (the business unit): the figures are not read.
    pub async fn report_section(&self, ctx: &Ctx, id: i64, section: &str) -> CoreResult<SectionForm> {
        let (report, written) = self.readable_report(ctx, id).await?;
        ctx.authorize(Action::Update, &of(report.partnership_id))?;
        let key =
            SectionKey::parse(section).filter(|k| report.kind.template().contains(k)).ok_or(CoreError::NotFound)?;
        let narrative = written.into_iter().find(|w| w.section == key).and_then(|w| w.narrative);
        let answers = key.items(report.kind);
        Ok(SectionForm { report, key, narrative, answers })
    }

    /// Writes a section's words (blank empties it).
    pub async fn write_report_section(
        &self,
        ctx: &Ctx,
        id: i64,
        section: &str,
        input: &SectionInput,
    ) -> CoreResult<SectionKey> {
        let (report, _) = self.readable_report(ctx, id).await?;
        ctx.authorize(Action::Update, &of(report.partnership_id))?;
        let key =
            SectionKey::parse(section).filter(|k| report.kind.template().contains(k)).ok_or(CoreError::NotFound)?;
        let narrative = input.validate().map_err(CoreError::Invalid)?;
        let mut tx = self.store.write().await?;
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

    /// The report as a file: HTML (the primary format), tagged PDF or Word.
    pub async fn report_file(&self, ctx: &Ctx, id: i64, format: Format) -> CoreResult<Download> {
        let view = self.report(ctx, id).await?;
        self.render_report(&view, format).await
    }

    /// Renders a report already read.
    pub async fn render_report(&self, view: &ReportView, format: Format) -> CoreResult<Download> {
        let parts = view.name_parts();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        self.render(view.document(), format, &parts).await
    }
}
