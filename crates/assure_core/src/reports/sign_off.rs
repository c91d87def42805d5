//! Signing a report off. The business unit explains, in the report, each gap the records cannot
//! fill; the independent scrutineer comments on sections (the business unit responds) and records
//! their review; the business unit records each statutory partner's agreement (who agreed for
//! them, and when); and once every partner has agreed and no gap is left unexplained, publishes
//! it. Publication renders the report in every format and keeps those files, with the SHA-256 of
//! each, as the report from then on: later changes to the records do not change it, and nothing
//! of it can be changed. Reopening a reviewed report withdraws the review and the agreements (the
//! audit log keeps them) so that its words can change again.

use assure_domain::reports::{
    AgreementInput, CommentInput, ExplanationInput, ResponseInput, ReviewInput, SectionKey, SignOff, Step,
};
use assure_domain::structure::Choice;
use assure_domain::{Action, ResourceKind as K, Target};
use assure_store::audit_log;
use assure_store::reports::{self as st, Claim, Comment, KeptFile, NewFile, Report};
use base64::Engine as _;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::of;
use crate::documents::{Download, Format};
use crate::{Core, CoreError, CoreResult, Ctx};

/// A report with the scrutineer's comments, its figures not read.
#[derive(Debug, Clone)]
pub struct ReportComments {
    pub report: Report,
    pub comments: Vec<Comment>,
    pub can_edit: bool,
    pub can_scrutinise: bool,
}

/// The formats a report is published in, in the order they are kept: the PDF is the archival one
/// (PDF/UA-1 and PDF/A-2a), since it is kept.
pub const PUBLISHED_FORMATS: [Format; 3] = [Format::Html, Format::ArchivalPdf, Format::Docx];

fn scrutiny(report: &Report) -> Target {
    Target::new(K::ReportScrutiny, report.partnership_id)
}

/// Why a comment or a response may not be added to the report now (the rule needs only its
/// status: comments are open until publication).
pub(super) fn comments_refused(report: &Report) -> Option<String> {
    SignOff { status: report.status, agreed: 0, partners: 0, unexplained: 0, partners_agree: true }
        .refuses(Step::Comment)
}

/// A file's SHA-256, in lower-case hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl Core {
    /// The report's row, with `action` on `target(report)` authorized (before anything else of it
    /// is read or any input checked).
    pub(super) async fn report_for_step(
        &self,
        ctx: &Ctx,
        id: i64,
        action: Action,
        target: fn(&Report) -> Target,
    ) -> CoreResult<Report> {
        let mut conn = self.store.read().await?;
        let report = st::report(&mut conn, id).await?;
        drop(conn);
        ctx.authorize(Action::View, &of(report.partnership_id))?;
        ctx.authorize(action, &target(&report))?;
        Ok(report)
    }

    /// A report's row and the scrutineer's comments, without reading its figures (for the forms
    /// of a comment and a response): what the actor may do with them is said by `can_edit` and
    /// `can_scrutinise`.
    pub async fn report_comments(&self, ctx: &Ctx, id: i64) -> CoreResult<ReportComments> {
        let mut conn = self.store.read().await?;
        let report = st::report(&mut conn, id).await?;
        ctx.authorize(Action::View, &of(report.partnership_id))?;
        let comments = st::comments(&mut conn, id).await?;
        drop(conn);
        Ok(ReportComments {
            can_edit: assure_domain::can(&ctx.actor, Action::Update, &of(report.partnership_id)),
            can_scrutinise: assure_domain::can(&ctx.actor, Action::Create, &scrutiny(&report)),
            report,
            comments,
        })
    }

    /// Explains a gap the records cannot fill (blank withdraws the explanation): the words are
    /// printed in the report under the gap's section.
    pub async fn explain_report_gap(&self, ctx: &Ctx, id: i64, input: &ExplanationInput) -> CoreResult<()> {
        let report = self.report_for_step(ctx, id, Action::Update, super::scrutiny::writer).await?;
        let view = self.report(ctx, id).await?;
        if let Some(why) = view.refuses(Step::Write) {
            return Err(CoreError::field("explanation", why));
        }
        let (code, text) = input.validate().map_err(CoreError::Invalid)?;
        let gaps = view.gaps();
        let gap = gaps
            .iter()
            .find(|g| g.code == code)
            .ok_or_else(|| CoreError::field("gap", "That is not a gap of this report as the records stand"))?;
        if !gap.explainable() {
            return Err(CoreError::field(
                "explanation",
                "Write the section's words: an unwritten section is not explained",
            ));
        }
        let mut tx = self.store.write().await?;
        if !st::claim(&mut tx, id, Claim::words(report.kind)).await? {
            return Err(CoreError::Changed);
        }
        st::explain(&mut tx, id, &code, text.as_deref(), &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "explain_gap",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"gap": code, "characters": text.as_deref().map_or(0, |t| t.chars().count())}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The scrutineer's comment on a section of a report not yet published.
    pub async fn comment_on_report(&self, ctx: &Ctx, id: i64, input: &CommentInput) -> CoreResult<SectionKey> {
        let report = self.report_for_step(ctx, id, Action::Create, scrutiny).await?;
        if let Some(why) = comments_refused(&report) {
            return Err(CoreError::field("comment", why));
        }
        let (section, comment) = input.validate(report.kind.template()).map_err(CoreError::Invalid)?;
        let mut tx = self.store.write().await?;
        if !st::claim(&mut tx, id, Claim::Comments).await? {
            return Err(CoreError::Changed);
        }
        let comment_id = st::insert_comment(&mut tx, id, section, &comment, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "scrutiny_comment",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"comment": comment_id, "section": section.code(), "characters": comment.chars().count()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(section)
    }

    /// The business unit's response to one of the scrutineer's comments.
    pub async fn respond_to_report_comment(
        &self,
        ctx: &Ctx,
        id: i64,
        comment_id: i64,
        input: &ResponseInput,
    ) -> CoreResult<SectionKey> {
        let report = self.report_for_step(ctx, id, Action::Update, |r| of(r.partnership_id)).await?;
        let mut conn = self.store.read().await?;
        let comments = st::comments(&mut conn, id).await?;
        drop(conn);
        let section = comments.iter().find(|c| c.id == comment_id).ok_or(CoreError::NotFound)?.section;
        if let Some(why) = comments_refused(&report) {
            return Err(CoreError::field("response", why));
        }
        let response = input.validate().map_err(CoreError::Invalid)?;
        let mut tx = self.store.write().await?;
        if !st::claim(&mut tx, id, Claim::Comments).await? {
            return Err(CoreError::Changed);
        }
        st::respond(&mut tx, id, comment_id, &response, &ctx.name).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "respond_comment",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"comment": comment_id, "characters": response.chars().count()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(section)
    }

    /// The scrutineer records their review of the draft, with what they concluded.
    pub async fn review_report(&self, ctx: &Ctx, id: i64, input: &ReviewInput) -> CoreResult<()> {
        let report = self.report_for_step(ctx, id, Action::Create, scrutiny).await?;
        let kept = self.readable_report(ctx, id).await?;
        if let Some(why) = kept.refuses(Step::Review) {
            return Err(CoreError::field("summary", why));
        }
        let summary = input.validate().map_err(CoreError::Invalid)?;
        let mut tx = self.store.write().await?;
        if !st::set_reviewed(&mut tx, id, &ctx.name, &summary).await? {
            return Err(CoreError::Changed);
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "review_report",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"characters": summary.chars().count()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a statutory partner's agreement to a reviewed report whose gaps are all put right
    /// or explained.
    pub async fn agree_report(&self, ctx: &Ctx, id: i64, input: &AgreementInput) -> CoreResult<()> {
        let report = self.report_for_step(ctx, id, Action::Update, |r| of(r.partnership_id)).await?;
        let view = self.report(ctx, id).await?;
        if let Some(why) = view.refuses(Step::Agree) {
            return Err(CoreError::field("organisation_id", why));
        }
        let waiting: Vec<i64> =
            view.partners.iter().map(|(p, _)| *p).filter(|p| view.agreement_of(*p).is_none()).collect();
        let new = input.validate(&waiting, self.today()).map_err(|mut e| {
            if let Some(name) = input
                .organisation_id
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|p| view.agreement_of(p))
                .map(|a| a.organisation.clone())
            {
                e = assure_domain::FieldErrors::single("organisation_id", format!("{name} has already agreed"));
            }
            CoreError::Invalid(e)
        })?;
        let mut tx = self.store.write().await?;
        if !st::claim(&mut tx, id, Claim::Agreement).await? {
            return Err(CoreError::Changed);
        }
        st::insert_agreement(&mut tx, id, &new, &ctx.name)
            .await
            .map_err(|e| CoreError::on_unique(e, "organisation_id", "That partner has already agreed"))?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "agree_report",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"organisation": new.organisation_id, "agreed_on": new.agreed_on.to_string()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes a reviewed report back to draft: the scrutineer's review and every agreement are
    /// withdrawn, so its words can change; the scrutineer reviews it again.
    pub async fn reopen_report(&self, ctx: &Ctx, id: i64) -> CoreResult<()> {
        let report = self.report_for_step(ctx, id, Action::Update, super::scrutiny::writer).await?;
        let kept = self.readable_report(ctx, id).await?;
        if let Some(why) = kept.refuses(Step::Reopen) {
            return Err(CoreError::field("reopen", why));
        }
        let mut tx = self.store.write().await?;
        if !st::reopen(&mut tx, id).await? {
            return Err(CoreError::Changed);
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "reopen_report",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"agreements_withdrawn": kept.agreements.len()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a reviewed report every statutory partner has agreed, with no gap unexplained:
    /// renders it in every format and keeps the files, with the SHA-256 of each, as the report.
    pub async fn publish_report(&self, ctx: &Ctx, id: i64) -> CoreResult<Vec<KeptFile>> {
        let report = self.report_for_step(ctx, id, Action::Update, |r| of(r.partnership_id)).await?;
        let view = self.report(ctx, id).await?;
        if let Some(why) = view.refuses(Step::Publish) {
            return Err(CoreError::field("publish", why));
        }
        let mut files = Vec::new();
        for format in PUBLISHED_FORMATS {
            files.push((format, self.render_report(&view, format).await?));
        }
        let mut tx = self.store.write().await?;
        if !st::set_published(&mut tx, id, &ctx.name).await? {
            return Err(CoreError::Changed);
        }
        let mut kept = Vec::new();
        for (format, d) in &files {
            let sha256 = sha256_hex(&d.bytes);
            let content = base64::engine::general_purpose::STANDARD.encode(&d.bytes);
            let size = i64::try_from(d.bytes.len()).map_err(|_| CoreError::Internal("file too large".into()))?;
            let file = NewFile {
                format: format.extension(),
                file_name: &d.file_name,
                content_type: d.content_type,
                size,
                sha256: &sha256,
                content: &content,
            };
            st::insert_file(&mut tx, id, &file).await?;
            kept.push(json!({"format": format.extension(), "sha256": sha256, "size": size}));
        }
        audit_log::append(
            &mut tx,
            ctx.entry(
                "publish_report",
                "report",
                Some(id.to_string()),
                Some(report.partnership_id),
                json!({"files": kept}),
            ),
        )
        .await?;
        tx.commit().await?;
        let mut conn = self.store.read().await?;
        Ok(st::files(&mut conn, id).await?)
    }

    /// A published report's file exactly as it was published.
    pub(super) async fn published_file(&self, id: i64, format: Format) -> CoreResult<Download> {
        let mut conn = self.store.read().await?;
        let (file, content) = st::file(&mut conn, id, format.extension()).await?;
        drop(conn);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content)
            .map_err(|_| CoreError::Internal("a published report's file is not base64".into()))?;
        if sha256_hex(&bytes) != file.sha256 {
            return Err(CoreError::Internal("a published report's file does not match its SHA-256".into()));
        }
        Ok(Download { file_name: file.file_name, content_type: format.content_type(), bytes })
    }
}
