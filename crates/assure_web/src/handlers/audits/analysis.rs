//! A campaign's analysis: the heat map of every organisation's standards, each standard's
//! spread over the levels, and the change since the last cycle, with the tables beside them.

use super::*;
use crate::charts::bars::{self, Bar, Pair, Stack};
use crate::charts::heat_map::{Cell, Given, heat_map};
use crate::charts::{self};
use assure_domain::CampaignId;

#[derive(Template)]
#[template(path = "audits/analysis.html")]
pub(super) struct AnalysisPage {
    layout: Layout,
    a: std::sync::Arc<assure_core::audits::Analysis>,
    cells: Vec<Cell>,
    width: u32,
    height: u32,
    columns: Vec<(u32, String)>,
    row_labels: Vec<(u32, String)>,
    /// Each standard's spread over the levels: stacked bars.
    spread: Vec<Bar>,
    spread_height: u32,
    /// This cycle against the previous: paired bars.
    change: Vec<Bar>,
    change_height: u32,
    /// Standard labels down the left of both bar charts.
    bar_labels: Vec<(u32, String)>,
    sectors: Vec<Opt>,
    partnerships: Vec<Opt>,
    views: Vec<Opt>,
    sector_chosen: String,
    partnership_chosen: String,
    /// A filter that made no sense (the analysis is then unfiltered).
    errors: FieldErrors,
}

pub(super) async fn analysis(
    State(state): State<AppState>,
    mut page: Page,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    use assure_core::audits::AnalysisFilter;
    let id = path_id(&id)?;
    // A filter that does not make sense is said so above the unfiltered analysis.
    let (filter, errors) = match AnalysisFilter::from_query(&query) {
        Ok(f) => (f, FieldErrors::new()),
        Err(CoreError::Invalid(e)) => (AnalysisFilter::default(), e),
        Err(e) => return Err(e.into()),
    };
    let (a, errors) = match state.core.campaign_analysis(&page.ctx, CampaignId(id), &filter).await {
        Ok(a) => (a, errors),
        Err(CoreError::Invalid(e)) => {
            (state.core.campaign_analysis(&page.ctx, CampaignId(id), &AnalysisFilter::default()).await?, e)
        }
        Err(e) => return Err(e.into()),
    };
    let filter = a.filter.clone();
    let scheme = &a.framework.scheme;
    let level_colour = |score: f64| {
        let level = assure_core::audits::analysis::nearest_level(scheme, score).map(|i| &scheme.levels[i]);
        level.map(|l| l.colour.clone()).unwrap_or_else(|| "grey".into())
    };
    let one_dp = |v: Option<f64>| v.map(|v| charts::figure(v, 1)).unwrap_or_else(|| "none".into());
    let standards: Vec<String> = a.standards.iter().map(|s| s.id.clone()).collect();
    let rows: Vec<(String, Vec<Given>)> = a
        .rows
        .iter()
        .map(|row| {
            let cells = row
                .scores
                .iter()
                .enumerate()
                .map(|(c, score)| Given {
                    value: *score,
                    colour: score.map(level_colour).unwrap_or_default(),
                    about: format!("{}, standard {}", row.organisation, standards[c]),
                    after: if a.previous.is_some() {
                        format!(" (last cycle {})", one_dp(row.previous[c]))
                    } else {
                        String::new()
                    },
                })
                .collect();
            (row.organisation.clone(), cells)
        })
        .collect();
    let map = heat_map(&standards, &rows);
    // Spread: one stacked bar per standard, each level's share of the returns.
    let stacks: Vec<Stack> = a
        .standards
        .iter()
        .map(|s| Stack {
            name: format!("Standard {}", s.id),
            parts: scheme
                .levels
                .iter()
                .zip(&s.distribution)
                .map(|(level, count)| (*count, level.colour.clone(), format!("at {} {}", level.value, level.label)))
                .collect(),
        })
        .collect();
    let (spread, spread_height) = bars::stacked(&stacks);
    // Change: this cycle's mean under the previous cycle's, on the scheme's scale.
    let top = scheme.levels.iter().map(|l| l.value).max().unwrap_or(1).max(1) as f64;
    let pairs: Vec<Pair> = if a.previous.is_some() {
        a.standards
            .iter()
            .map(|s| Pair { name: format!("Standard {}", s.id), before: s.previous_mean, now: s.mean })
            .collect()
    } else {
        Vec::new()
    };
    let (change, _) = bars::paired(&pairs, top, ("last cycle", "this cycle"));
    let change_height = 20 + a.standards.len() as u32 * 2 * bars::ROW_HEIGHT;
    let bar_labels = a.standards.iter().enumerate().map(|(i, s)| (i as u32, s.id.clone())).collect();

    let mut sectors = vec![Opt::new("", "All sectors")];
    sectors.extend(a.sectors.iter().map(|(code, label)| Opt::new(code, label.clone())));
    let mut partnerships = vec![Opt::new("", "All partnerships")];
    if a.partnerships.len() > 1 {
        partnerships.extend(a.partnerships.iter().map(|(id, name)| Opt::new(id.0, name.clone())));
    }
    let views = vec![Opt::new("self", "Self-assessed scores"), Opt::new("moderated", "Moderated scores")];
    let back = format!("/audits/{}", a.campaign.id);
    page.layout.page(
        format!("Analysis: {}", a.campaign.title),
        "/audits",
        &[("Audit campaigns", "/audits"), (&a.campaign.title, &back)],
    );
    let invalid = !errors.is_empty();
    let p = AnalysisPage {
        layout: page.layout,
        a,
        cells: map.cells,
        width: map.width,
        height: map.height,
        columns: map.columns,
        row_labels: map.rows,
        spread,
        spread_height,
        change,
        change_height,
        bar_labels,
        sectors,
        partnerships,
        views,
        sector_chosen: filter.sector.clone().unwrap_or_default(),
        partnership_chosen: filter.partnership.map(|p| p.0.to_string()).unwrap_or_default(),
        errors,
    };
    if invalid { render_invalid(&p) } else { render(&p) }
}
