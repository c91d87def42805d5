//! A dashboard as a printable board pack (PDF or Word): for each indicator its latest figure and
//! how it compares, its chart as a vector figure with alternative text (the same drawing as the
//! page's; in Word, a Word chart of the same figures), its figures year by year as a table, and
//! the latest commentary.

use assure_core::documents::trend;
use assure_core::documents::{Block, Cell, Document, Format, Marking, Table};
use assure_core::intelligence::indicators::Dashboard;
use assure_domain::structure::ArmKind;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::dashboard::tile_view;
use crate::AppState;
use crate::error::PageError;
use crate::extract::Page;
use crate::handlers::learning::download_response;

/// Each arm's board pack as PDF, as an archival PDF/A copy, and as Word.
pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for (arm, name) in [(ArmKind::Children, "children"), (ArmKind::Adults, "adults")] {
        for (format, extension) in [(Format::Pdf, "pdf"), (Format::ArchivalPdf, "archive.pdf"), (Format::Docx, "docx")]
        {
            router = router.route(
                &format!("/dashboard/{name}/board-pack.{extension}"),
                get(move |State(state): State<AppState>, page: Page| async move {
                    download(&state, &page, arm, format).await
                }),
            );
        }
    }
    router
}

/// The board pack of one arm's dashboard.
fn board_pack(d: &Dashboard, partnership: &str) -> Result<Document, PageError> {
    let area = d.area.as_ref().map(|a| a.name.as_str()).unwrap_or_default();
    let arm =
        if d.arm == ArmKind::Adults { "Adults' safeguarding dashboard" } else { "Children's safeguarding dashboard" };
    let mut doc = Document::new(format!("{arm}: {partnership}")).marked(Marking::Official);
    doc.push(Block::Note(format!(
        "{} against England and its statistical neighbours. Produced by Assure on {}.",
        if area.is_empty() { "The partnership's area" } else { area },
        chrono::Utc::now().format("%-d %B %Y")
    )));
    if d.tiles.is_empty() {
        doc.push(Block::Paragraph("No figures yet.".into()));
    }
    for tile in d.tiles.iter().cloned() {
        let t = tile_view(tile, area);
        let decimals = u8::try_from(t.tile.def.decimals).unwrap_or(1);
        doc.heading(2, t.tile.def.title.clone());
        match &t.tile.latest {
            Some(v) => doc.push(Block::Paragraph(format!(
                "{} in {} ({}); England {}; the neighbours' mean {}. {}",
                t.latest,
                v.period,
                t.change,
                t.england,
                t.neighbours,
                t.tile.def.polarity.sentence()
            ))),
            None => doc.push(Block::Paragraph(format!("No figures for {area} yet."))),
        }
        if !t.tile.series.is_empty() {
            let chart_id = format!("chart-{}", t.tile.indicator.code.replace('.', "-"));
            let series = &t.tile.series;
            doc.push(Block::Figure {
                svg: t.chart.svg(&chart_id, &t.tile.def.title, area),
                alt: trend::alternative_text(&t.tile.def.title, area, series, t.chart.compared),
                caption: format!("{}, year by year", t.tile.def.title),
                chart: Some(trend::line_chart(series, area, t.chart.compared, decimals)),
            });
            let mut table = Table::new(["Year", area, "England", "Neighbours' mean"], &[2, 2, 2, 2]);
            for p in &t.tile.series {
                table.row([
                    Cell::from(p.period.as_str()),
                    Cell::number(p.ours, decimals),
                    Cell::number(p.england, decimals),
                    Cell::number(p.neighbours, decimals),
                ]);
            }
            doc.table(table);
        }
        if let Some(c) = &t.tile.latest_comment {
            doc.push(Block::Paragraph(format!("Commentary, {}: {}", c.period, c.body)));
        }
    }
    Ok(doc)
}

async fn download(state: &AppState, page: &Page, arm: ArmKind, format: Format) -> Result<Response, PageError> {
    let d = state.core.dashboard(&page.ctx, page.partnership, arm).await?;
    let partnership = &page.layout.partnership_name;
    let doc = board_pack(&d, partnership)?;
    let what = if arm == ArmKind::Adults { "adults dashboard board pack" } else { "childrens dashboard board pack" };
    Ok(download_response(state.core.render(doc, format, &[partnership, what]).await?))
}
