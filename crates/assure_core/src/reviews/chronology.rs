//! A review's merged chronology, and its 7-minute briefing.
//!
//! The chronology is restricted like its review: the panel, the business unit and the
//! scrutineer see all of it. An agency asked for its chronology sees and adds only its own
//! entries, under "a case review", without the subject's pseudonym. Every read is logged.

use assure_domain::{Action, FieldErrors, OrganisationId, PartnershipId, ReviewId, Role, Scope, Target, can};
use std::collections::HashMap;

use assure_domain::authz::ResourceKind as K;
use assure_domain::reviews::chronology::{self as dc, EntryInput};
use assure_domain::validation::{required_id, required_text};
use assure_store::audit_log;
use assure_store::reviews::chronology::{self as st, Briefing, Entry};
use assure_store::reviews::{self as rs, Review};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::documents::xlsx::{Sheet, Workbook};
use crate::documents::{Block, Cell, Document, Marking, Table};
use crate::learning::UploadFile;
use crate::{Core, CoreError, CoreResult, Ctx};

/// Who may do what with one review's chronology.
struct Access {
    review: Review,
    on_panel: bool,
    /// Sees every agency's entries (and the review's name).
    full: bool,
    /// The organisations this actor leads for that were asked for a chronology.
    asked: Vec<i64>,
}

/// An entry with the entries of other agencies it probably duplicates.
#[derive(Debug, Clone, Serialize)]
pub struct MergedEntry {
    #[serde(flatten)]
    pub entry: Entry,
    /// (entry id, agency) of likely duplicates.
    pub duplicates: Vec<(i64, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChronologyView {
    pub review_id: i64,
    pub partnership_id: PartnershipId,
    /// "Child H" for those who may see the review; "a case review" for an agency that may not.
    pub title: String,
    pub full: bool,
    pub entries: Vec<MergedEntry>,
    /// Organisations this actor may add entries for: (id, name).
    pub can_add_for: Vec<(i64, String)>,
}

/// The most cell errors an upload reports; the rest are counted.
const MAX_REPORTED: usize = 50;

/// The most entries one review's chronology holds (an upload holds at most
/// [`crate::tables::Limits::CHRONOLOGY`]'s rows).
pub const MAX_ENTRIES_PER_REVIEW: i64 = 20_000;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BriefingInput {
    pub background: String,
    pub learning: String,
    pub questions: String,
}

/// A review's 7-minute briefing with what it draws from the review.
#[derive(Debug, Clone, Serialize)]
pub struct BriefingView {
    pub review: Review,
    pub type_name: String,
    pub themes: Vec<String>,
    pub recommendations: Vec<assure_store::learning::Recommendation>,
    pub briefing: Option<Briefing>,
    pub can_update: bool,
}

impl Core {
    async fn chronology_access(&self, ctx: &Ctx, review_id: i64) -> CoreResult<Access> {
        let mut conn = self.store.read().await?;
        let review = rs::review(&mut conn, review_id).await?;
        let on_panel = match ctx.user_id() {
            Some(u) => rs::panels_of(&mut conn, u).await?.contains(&review_id),
            None => false,
        };
        let requested: Vec<i64> = rs::requests(&mut conn, review_id)
            .await?
            .into_iter()
            .filter(|q| q.kind == "chronology")
            .map(|q| q.organisation_id)
            .collect();
        drop(conn);
        let p = review.partnership_id;
        let full = can(&ctx.actor, Action::View, &Target::new(K::Chronology, p).on_panel(on_panel));
        let asked: Vec<i64> = ctx
            .actor
            .grants
            .iter()
            .filter_map(|g| match (g.role, g.scope) {
                (Role::AgencyLead, Scope::Organisation(gp, o)) if gp == p && requested.contains(&o.0) => Some(o.0),
                _ => None,
            })
            .collect();
        if !full && asked.is_empty() {
            return Err(CoreError::NotFound);
        }
        Ok(Access { review, on_panel, full, asked })
    }

    fn chronology_target(&self, access: &Access, organisation: i64) -> Target {
        Target::new(K::Chronology, access.review.partnership_id)
            .organisation(Some(OrganisationId(organisation)))
            .on_panel(access.on_panel)
            .asked(access.asked.contains(&organisation))
    }

    /// The merged chronology, sorted, with likely duplicates flagged. The read is logged.
    pub async fn chronology(&self, ctx: &Ctx, review_id: ReviewId) -> CoreResult<ChronologyView> {
        let review_id = review_id.0;
        let access = self.chronology_access(ctx, review_id).await?;
        let p = access.review.partnership_id;
        let mut conn = self.store.read().await?;
        let mut entries = st::entries(&mut conn, review_id, None).await?;
        if !access.full {
            entries.retain(|e| access.asked.contains(&e.organisation_id));
        }
        let (organisations, _) =
            assure_store::structure::organisations(&mut conn, p, false, assure_store::structure::Page::ALL).await?;
        drop(conn);
        let comparable: Vec<dc::Comparable<'_>> = entries
            .iter()
            .map(|e| dc::Comparable {
                id: e.id,
                organisation_id: e.organisation_id,
                date: e.date,
                time: e.time,
                event: &e.event,
            })
            .collect();
        let mut pairs: HashMap<i64, Vec<i64>> = HashMap::new();
        for (a, b) in dc::likely_duplicates(&comparable) {
            pairs.entry(a).or_default().push(b);
            pairs.entry(b).or_default().push(a);
        }
        let names: HashMap<i64, String> = entries.iter().map(|e| (e.id, e.organisation_name.clone())).collect();
        let merged = entries
            .into_iter()
            .map(|entry| {
                let duplicates = pairs
                    .get(&entry.id)
                    .map(|ids| ids.iter().map(|id| (*id, names.get(id).cloned().unwrap_or_default())).collect())
                    .unwrap_or_default();
                MergedEntry { entry, duplicates }
            })
            .collect();
        let can_add_for = organisations
            .into_iter()
            .filter(|o| can(&ctx.actor, Action::Create, &self.chronology_target(&access, o.id.0)))
            .map(|o| (o.id.0, o.name))
            .collect();
        self.log_read(ctx, "review", Some(review_id.to_string()), Some(p), json!({"part": "chronology"})).await?;
        Ok(ChronologyView {
            review_id,
            partnership_id: p,
            title: if access.full { access.review.subject.clone() } else { "a case review".into() },
            full: access.full,
            entries: merged,
            can_add_for,
        })
    }

    /// Checks that the actor may add entries for the organisation named in a form.
    async fn chronology_organisation(&self, ctx: &Ctx, access: &Access, raw: &str) -> CoreResult<i64> {
        let org = required_id("the agency", raw).map_err(|m| CoreError::field("organisation_id", m))?;
        let mut conn = self.store.read().await?;
        let found = match assure_store::structure::organisation(&mut conn, OrganisationId(org)).await {
            Ok(o) => o.partnership_id == access.review.partnership_id,
            Err(assure_store::StoreError::NotFound) => false,
            Err(e) => return Err(e.into()),
        };
        drop(conn);
        if !found {
            return Err(CoreError::field("organisation_id", "Select the agency from the list"));
        }
        if !can(&ctx.actor, Action::Create, &self.chronology_target(access, org)) {
            return Err(CoreError::field("organisation_id", "You can add entries only for your own agency"));
        }
        Ok(org)
    }

    async fn save_entries(
        &self,
        ctx: &Ctx,
        access: &Access,
        org: i64,
        entries: &[dc::NewEntry],
        how: &str,
    ) -> CoreResult<()> {
        let mut tx = self.store.write().await?;
        // Counted inside the write transaction, so two uploads at once cannot both pass.
        let held = st::count_entries(&mut tx, access.review.id.0).await?;
        if held + entries.len() as i64 > MAX_ENTRIES_PER_REVIEW {
            return Err(CoreError::field(
                if how == "upload" { "file" } else { "event" },
                format!(
                    "The chronology holds {held} entries; a review's chronology holds at most {MAX_ENTRIES_PER_REVIEW}, so these {} cannot be added",
                    entries.len()
                ),
            ));
        }
        st::insert_entries(&mut tx, access.review.id.0, org, entries, ctx.user_id()).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "chronology_add",
                "review",
                Some(access.review.id.to_string()),
                Some(access.review.partnership_id),
                json!({"organisation_id": org, "entries": entries.len(), "by": how}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds one entry typed into the form.
    pub async fn add_chronology_entry(&self, ctx: &Ctx, review_id: ReviewId, input: &EntryInput) -> CoreResult<()> {
        let review_id = review_id.0;
        let access = self.chronology_access(ctx, review_id).await?;
        if access.asked.is_empty() {
            ctx.authorize(Action::Create, &Target::new(K::Chronology, access.review.partnership_id))?;
        }
        // Every problem at once: the agency and the entry's own fields.
        let mut errors = FieldErrors::new();
        let org = match self.chronology_organisation(ctx, &access, &input.organisation_id).await {
            Ok(org) => Some(org),
            Err(CoreError::Invalid(e)) => {
                merge(&mut errors, &e);
                None
            }
            Err(e) => return Err(e),
        };
        let entry = input.validate(self.today()).map_err(|e| merge(&mut errors, &e)).ok();
        let (Some(org), Some(entry)) = (org, entry) else { return Err(errors.into()) };
        self.save_entries(ctx, &access, org, &[entry], "form").await
    }

    /// May the actor upload a chronology file to this review? Asked before the file is read.
    pub async fn permit_chronology_upload(&self, ctx: &Ctx, review_id: ReviewId) -> CoreResult<crate::UploadPermit> {
        let review_id = review_id.0;
        let access = self.chronology_access(ctx, review_id).await?;
        if access.asked.is_empty() {
            ctx.authorize(Action::Create, &Target::new(K::Chronology, access.review.partnership_id))?;
        }
        Ok(crate::UploadPermit::granted())
    }

    /// Adds every entry of an uploaded CSV or XLSX file, or none: each bad cell is named by row
    /// and column. Returns how many entries were added.
    pub async fn upload_chronology(
        &self,
        ctx: &Ctx,
        review_id: ReviewId,
        organisation_id: &str,
        file: Option<UploadFile>,
    ) -> CoreResult<usize> {
        let review_id = review_id.0;
        let access = self.chronology_access(ctx, review_id).await?;
        if access.asked.is_empty() {
            ctx.authorize(Action::Create, &Target::new(K::Chronology, access.review.partnership_id))?;
        }
        let org = self.chronology_organisation(ctx, &access, organisation_id).await?;
        let Some(file) = file.filter(|f| !f.bytes.is_empty()) else {
            return Err(CoreError::field("file", "Select a CSV or Excel (.xlsx) file"));
        };
        let rows = self.read_upload("file", &file.name, file.bytes, crate::tables::Limits::CHRONOLOGY).await?;
        let entries = dc::parse_table(&rows, self.today()).map_err(|cells| {
            let mut errors = FieldErrors::new();
            for cell in cells.iter().take(MAX_REPORTED) {
                errors.add("file", cell.to_string());
            }
            if cells.len() > MAX_REPORTED {
                errors.add("file", format!("and {} more problems", cells.len() - MAX_REPORTED));
            }
            CoreError::Invalid(errors)
        })?;
        self.save_entries(ctx, &access, org, &entries, "upload").await?;
        Ok(entries.len())
    }

    /// Removes an entry added in error, with the reason (the agency that was asked, for its own
    /// entries, or the business unit).
    pub async fn remove_chronology_entry(
        &self,
        ctx: &Ctx,
        review_id: ReviewId,
        entry_id: &str,
        reason: &str,
    ) -> CoreResult<()> {
        let review_id = review_id.0;
        let access = self.chronology_access(ctx, review_id).await?;
        if access.asked.is_empty() {
            ctx.authorize(Action::Create, &Target::new(K::Chronology, access.review.partnership_id))?;
        }
        let mut errors = FieldErrors::new();
        let entry_id = errors.check("entry_id", required_id("the entry", entry_id));
        let reason = errors.check("reason", required_text("why the entry is removed", reason, 500));
        let (Some(entry_id), Some(reason)) = (entry_id, reason) else { return Err(errors.into()) };
        let mut conn = self.store.read().await?;
        let entry = st::entries(&mut conn, review_id, None).await?.into_iter().find(|e| e.id == entry_id);
        drop(conn);
        let Some(entry) = entry.filter(|e| access.full || access.asked.contains(&e.organisation_id)) else {
            return Err(CoreError::field("entry_id", "Select the entry from the list"));
        };
        let target = self.chronology_target(&access, entry.organisation_id);
        if !can(&ctx.actor, Action::Create, &target) {
            return Err(CoreError::Forbidden);
        }
        let mut tx = self.store.write().await?;
        st::delete_entry(&mut tx, review_id, entry_id).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "chronology_remove",
                "review",
                Some(review_id.to_string()),
                Some(access.review.partnership_id),
                json!({"entry_id": entry_id, "organisation_id": entry.organisation_id, "date": entry.date.on,
                       "reason": reason}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The merged chronology as a document (a landscape table), for PDF and DOCX.
    pub fn chronology_document(view: &ChronologyView) -> Document {
        let mut doc =
            Document::new(format!("Merged chronology: {}", view.title)).landscape().marked(Marking::of(K::Chronology));
        doc.push(Block::Note(format!(
            "Restricted. Produced by Assure on {}. {} entries.",
            chrono::Utc::now().format("%-d %B %Y"),
            view.entries.len()
        )));
        let mut table = Table::new(
            ["Date", "Time", "Agency", "Source", "Event", "Agency comment", "Check"],
            &[11, 5, 14, 14, 30, 18, 10],
        );
        for m in &view.entries {
            let e = &m.entry;
            let flag = if m.duplicates.is_empty() {
                String::new()
            } else {
                let with: Vec<&str> = m.duplicates.iter().map(|(_, a)| a.as_str()).collect();
                format!("Possible duplicate of {}", with.join(", "))
            };
            table.row([
                Cell::from(e.date),
                Cell::text(e.time.map(|t| t.format("%H:%M").to_string())),
                Cell::from(e.organisation_name.as_str()),
                Cell::from(e.source.as_str()),
                Cell::from(e.event.as_str()),
                Cell::text(e.comment.clone()),
                Cell::from(flag),
            ]);
        }
        doc.table(table);
        doc
    }

    /// The merged chronology as a workbook: dates as dates to their precision ("Sep 2023").
    pub fn chronology_workbook(view: &ChronologyView) -> Workbook {
        let mut sheet = Sheet::new(
            "Chronology",
            ["Date", "Time", "Agency", "Source", "Event", "Agency comment", "Possible duplicate of"],
            &[12.0, 8.0, 28.0, 24.0, 60.0, 40.0, 30.0],
        );
        for m in &view.entries {
            let e = &m.entry;
            sheet.row([
                Cell::from(e.date),
                Cell::text(e.time.map(|t| t.format("%H:%M").to_string())),
                Cell::from(e.organisation_name.as_str()),
                Cell::from(e.source.as_str()),
                Cell::from(e.event.as_str()),
                Cell::text(e.comment.clone()),
                Cell::from(
                    m.duplicates.iter().map(|(id, a)| format!("{a} (entry {id})")).collect::<Vec<_>>().join("; "),
                ),
            ]);
        }
        Workbook::of(format!("Merged chronology: {}", view.title), Some(Marking::of(K::Chronology)), sheet)
    }

    /// The blank upload template.
    pub fn chronology_template_xlsx() -> CoreResult<Vec<u8>> {
        let sheet = Sheet::new("Chronology", dc::COLUMNS, &[14.0, 8.0, 28.0, 60.0, 40.0]);
        Workbook::of("Chronology upload template", None, sheet).write().map_err(CoreError::Internal)
    }

    pub fn chronology_template_csv() -> String {
        assure_domain::cells::csv_file(&dc::COLUMNS, &[])
    }

    /// A review's 7-minute briefing. Part of the restricted review: the read is logged.
    pub async fn briefing(&self, ctx: &Ctx, review_id: ReviewId) -> CoreResult<BriefingView> {
        let review_id = review_id.0;
        let d = self.review(ctx, ReviewId(review_id)).await?;
        let mut conn = self.store.read().await?;
        let briefing = st::briefing(&mut conn, review_id).await?;
        let recommendations = assure_store::learning::recommendations_of_review(&mut conn, review_id).await?;
        drop(conn);
        let can_update = self.authorize_review_update(ctx, ReviewId(review_id)).await.is_ok();
        Ok(BriefingView {
            type_name: d.kind.name.clone(),
            themes: d.themes.iter().map(|t| t.name.clone()).collect(),
            review: d.review,
            recommendations,
            briefing,
            can_update,
        })
    }

    pub async fn save_briefing(&self, ctx: &Ctx, review_id: ReviewId, input: &BriefingInput) -> CoreResult<()> {
        let review_id = review_id.0;
        let p = self.authorize_review_update(ctx, ReviewId(review_id)).await?;
        let mut errors = FieldErrors::new();
        let background = errors.check("background", required_text("the background", &input.background, 8000));
        let learning = errors.check("learning", required_text("the learning", &input.learning, 8000));
        let questions =
            errors.check("questions", required_text("the questions for practitioners", &input.questions, 8000));
        let (Some(background), Some(learning), Some(questions)) = (background, learning, questions) else {
            return Err(errors.into());
        };
        let mut tx = self.store.write().await?;
        st::save_briefing(&mut tx, review_id, &background, &learning, &questions, &ctx.name).await?;
        audit_log::append(&mut tx, ctx.entry("briefing", "review", Some(review_id.to_string()), Some(p), json!({})))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The briefing as a document, for PDF and DOCX.
    pub fn briefing_document(view: &BriefingView) -> Document {
        let mut doc =
            Document::new(format!("7-minute briefing: {}", view.review.subject)).marked(Marking::of(K::Review));
        doc.push(Block::Note(format!(
            "{}. Produced by Assure on {}.",
            view.type_name,
            chrono::Utc::now().format("%-d %B %Y")
        )));
        let b = view.briefing.clone().unwrap_or_default();
        doc.heading(2, "1. Background");
        doc.text(&b.background);
        doc.heading(2, "2. Themes");
        if view.themes.is_empty() {
            doc.push(Block::Paragraph("No themes recorded.".into()));
        } else {
            doc.push(Block::Bullets(view.themes.clone()));
        }
        doc.heading(2, "3. Learning");
        doc.text(&b.learning);
        doc.heading(2, "4. Recommendations");
        if view.recommendations.is_empty() {
            doc.push(Block::Paragraph("No recommendations recorded.".into()));
        } else {
            doc.push(Block::Bullets(
                view.recommendations.iter().map(|r| format!("{}. {} ({})", r.number, r.text, r.scope)).collect(),
            ));
        }
        doc.heading(2, "5. Questions for practitioners");
        let questions: Vec<String> =
            b.questions.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        doc.push(Block::Bullets(questions));
        doc
    }
}

fn merge(into: &mut FieldErrors, from: &FieldErrors) {
    for (field, messages) in from.iter() {
        for m in messages {
            into.add(field, m.clone());
        }
    }
}
