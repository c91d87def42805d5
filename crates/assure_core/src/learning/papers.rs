//! The Consolidated Action Plan as documents: the whole plan as a workbook, and board papers
//! (PDF or Word) grouped by source or lead organisation, filtered as on the plan's page.

use assure_domain::PartnershipId;
use assure_domain::learning::PlanFilter;
use assure_domain::structure::Choice;

use super::PlanItem;
use crate::{Core, CoreResult, Ctx};

/// The most actions a board paper of the plan holds; the workbook holds them all.
pub const PAPER_MOST: usize = 1_000;

impl Core {
    /// The plan, filtered as on its page, as a workbook: target and completion dates as dates,
    /// evidence as counts, RAG and overdue in words.
    pub async fn plan_xlsx(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        filter: &PlanFilter,
    ) -> CoreResult<crate::documents::Download> {
        use crate::documents::Cell;
        use crate::documents::xlsx::{Sheet, Workbook};
        let (items, _) = self.plan(ctx, p, filter, assure_store::structure::Page::ALL).await?;
        let mut sheet = Sheet::new(
            "Action plan",
            [
                "Source",
                "Recommendation",
                "Recommendation text",
                "Action",
                "Lead organisation",
                "Owner",
                "Target date",
                "Status",
                "RAG",
                "Overdue",
                "Completed on",
                "Owning subgroup",
                "Evidence",
                "Evidence assured",
            ],
            &[30.0, 8.0, 50.0, 50.0, 28.0, 24.0, 12.0, 12.0, 8.0, 8.0, 12.0, 28.0, 9.0, 9.0],
        );
        for i in &items {
            let a = &i.action;
            sheet.row([
                Cell::from(i.source.label.as_str()),
                Cell::from(a.recommendation_number.as_str()),
                Cell::from(a.recommendation_text.as_str()),
                Cell::from(a.text.as_str()),
                Cell::from(a.organisation_name.as_str()),
                Cell::from(a.owner.as_str()),
                Cell::day(a.target_on),
                Cell::from(a.status.label()),
                Cell::text(a.rag.map(|r| r.label())),
                Cell::from(if i.overdue { "Overdue" } else { "" }),
                a.completed_on.map_or(Cell::Empty, Cell::day),
                Cell::from(a.body_name.as_str()),
                Cell::integer(a.evidence_count),
                Cell::integer(a.assured_count),
            ]);
        }
        let title = "Consolidated Action Plan";
        let book = Workbook::of(title, Some(crate::documents::Marking::Official), sheet);
        self.render_workbook(book, &[&self.partnership_name(ctx, p).await?, title]).await
    }

    /// The plan, filtered as on its page, as a document for board papers (at most
    /// [`PAPER_MOST`] actions, which is about 60 landscape pages): actions grouped by
    /// where they came from (a review or an audit) or by lead organisation, with RAG and
    /// overdue written in words, not colour alone.
    pub async fn plan_document(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        filter: &PlanFilter,
        by_organisation: bool,
        format: crate::documents::Format,
    ) -> CoreResult<crate::documents::Download> {
        use crate::documents::{Block, Cell, Document, Marking, Table};
        // Only the paper's actions are read; the count says how many match in all.
        let page = assure_store::structure::Page { limit: PAPER_MOST as i64, offset: 0 };
        let (items, total) = self.plan(ctx, p, filter, page).await?;
        let partnership = self.partnership_name(ctx, p).await?;
        let cut = total > PAPER_MOST as i64;
        let mut doc =
            Document::new(format!("Consolidated Action Plan: {partnership}")).landscape().marked(Marking::Official);
        let overdue = items.iter().filter(|i| i.overdue).count();
        let thousands = assure_domain::cells::thousands;
        doc.push(Block::Note(format!(
            "Produced by Assure on {}. {} action{}, {overdue} overdue{}.",
            self.today().format("%-d %B %Y"),
            thousands(total),
            if total == 1 { "" } else { "s" },
            if *filter == PlanFilter::default() { "" } else { ", filtered as on the plan page" },
        )));
        if cut {
            doc.push(Block::Note(format!(
                "This paper holds the first {} of {} actions, soonest target first, and counts the \
                 overdue among those: filter the plan for the rest.",
                thousands(PAPER_MOST as i64),
                thousands(total)
            )));
        }
        let mut groups: Vec<(String, Vec<&PlanItem>)> = Vec::new();
        for i in &items {
            let key = if by_organisation { i.action.organisation_name.clone() } else { i.source.label.clone() };
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        if groups.is_empty() {
            doc.push(Block::Paragraph("No actions match.".into()));
        }
        for (key, list) in groups {
            doc.heading(2, key);
            let second = if by_organisation { "From" } else { "Lead" };
            let mut table = Table::new(
                ["Recommendation", "Action", second, "Target date", "Status", "RAG", "Overdue", "Evidence"],
                &[4, 8, 4, 3, 3, 2, 2, 2],
            );
            for i in list {
                let a = &i.action;
                table.row([
                    Cell::from(format!("{}. {}", a.recommendation_number, a.recommendation_text)),
                    Cell::from(a.text.as_str()),
                    Cell::from(if by_organisation { i.source.label.as_str() } else { a.organisation_name.as_str() }),
                    Cell::day(a.target_on),
                    Cell::from(a.status.label()),
                    Cell::text(a.rag.map(|r| r.label())),
                    Cell::from(if i.overdue { "Overdue" } else { "" }),
                    Cell::from(format!("{} ({} assured)", a.evidence_count, a.assured_count)),
                ]);
            }
            doc.table(table);
        }
        self.render(doc, format, &[&partnership, "Consolidated Action Plan"]).await
    }
}
