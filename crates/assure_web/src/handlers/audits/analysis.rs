//! A campaign's analysis: the heat map of every organisation's standards, each standard's
//! spread over the levels, and the change since the last cycle, with the tables beside them.

use super::*;

/// One cell of the heat map as drawn.
pub struct Cell {
    pub x: u32,
    pub y: u32,
    pub fill: &'static str,
    pub ink: &'static str,
    pub label: String,
    pub title: String,
}

/// A bar or a segment of one, as drawn.
pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub fill: &'static str,
    pub ink: &'static str,
    /// Printed inside when there is room.
    pub label: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "audits/analysis.html")]
pub(super) struct AnalysisPage {
    layout: Layout,
    a: assure_core::audits::Analysis,
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

/// GOV.UK colours by the names frameworks use.
pub(super) fn colour(name: &str) -> (&'static str, &'static str) {
    match name {
        "red" => ("#d4351c", "#ffffff"),
        "orange" => ("#f47738", "#0b0c0c"),
        "yellow" => ("#ffdd00", "#0b0c0c"),
        "green" => ("#00703c", "#ffffff"),
        "blue" => ("#1d70b8", "#ffffff"),
        "purple" => ("#4c2c92", "#ffffff"),
        _ => ("#b1b4b6", "#0b0c0c"),
    }
}

pub(super) const LABEL_WIDTH: u32 = 300;
pub(super) const CELL_WIDTH: u32 = 56;
pub(super) const CELL_HEIGHT: u32 = 30;
/// The bar charts' plotting width, after the labels.
pub(super) const BAR_WIDTH: u32 = 400;

pub(super) fn one_dp(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "none".into())
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
    let (a, errors) = match state.core.campaign_analysis(&page.ctx, id, &filter).await {
        Ok(a) => (a, errors),
        Err(CoreError::Invalid(e)) => {
            (state.core.campaign_analysis(&page.ctx, id, &AnalysisFilter::default()).await?, e)
        }
        Err(e) => return Err(e.into()),
    };
    let filter = a.filter.clone();
    let scheme = &a.framework.scheme;
    let level_colour = |score: f64| {
        let level = assure_core::audits::analysis::nearest_level(scheme, score).map(|i| &scheme.levels[i]);
        colour(level.map(|l| l.colour.as_str()).unwrap_or("grey"))
    };
    let mut cells = Vec::new();
    for (r, row) in a.rows.iter().enumerate() {
        for (c, score) in row.scores.iter().enumerate() {
            let (fill, ink, label) = match score {
                Some(s) => {
                    let (fill, ink) = level_colour(*s);
                    (fill, ink, format!("{s:.1}"))
                }
                None => ("#f3f2f1", "#0b0c0c", "none".to_owned()),
            };
            let before =
                if a.previous.is_some() { format!(" (last cycle {})", one_dp(row.previous[c])) } else { String::new() };
            cells.push(Cell {
                x: LABEL_WIDTH + c as u32 * CELL_WIDTH,
                y: CELL_HEIGHT + r as u32 * CELL_HEIGHT,
                fill,
                ink,
                title: format!("{}, standard {}: {label}{before}", row.organisation, a.standards[c].id),
                label,
            });
        }
    }
    let columns =
        a.standards.iter().enumerate().map(|(c, s)| (LABEL_WIDTH + c as u32 * CELL_WIDTH, s.id.clone())).collect();
    let row_labels = a
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| (CELL_HEIGHT + r as u32 * CELL_HEIGHT, row.organisation.clone()))
        .collect();
    let width = LABEL_WIDTH + a.standards.len() as u32 * CELL_WIDTH;
    let height = CELL_HEIGHT * (a.rows.len() as u32 + 1);

    // Spread: one stacked bar per standard, each level's share of the returns.
    let mut spread = Vec::new();
    for (i, s) in a.standards.iter().enumerate() {
        let total: usize = s.distribution.iter().sum();
        let mut x = LABEL_WIDTH;
        for (level, count) in scheme.levels.iter().zip(&s.distribution) {
            if *count == 0 || total == 0 {
                continue;
            }
            let w = (*count as u32 * BAR_WIDTH) / total as u32;
            let (fill, ink) = colour(&level.colour);
            spread.push(Bar {
                x,
                y: 10 + i as u32 * CELL_HEIGHT,
                width: w.max(1),
                fill,
                ink,
                label: if w >= 24 { count.to_string() } else { String::new() },
                title: format!("Standard {}: {count} of {total} at {} {}", s.id, level.value, level.label),
            });
            x += w;
        }
    }
    let spread_height = 20 + a.standards.len() as u32 * CELL_HEIGHT;
    // Change: this cycle's mean (blue) under the previous cycle's (grey), on the scheme's scale.
    let top = scheme.levels.iter().map(|l| l.value).max().unwrap_or(1).max(1) as f64;
    let mut change = Vec::new();
    if a.previous.is_some() {
        for (i, s) in a.standards.iter().enumerate() {
            let y = 10 + i as u32 * (2 * CELL_HEIGHT);
            for (k, (value, fill, ink, when)) in
                [(s.previous_mean, "#b1b4b6", "#0b0c0c", "last cycle"), (s.mean, "#1d70b8", "#ffffff", "this cycle")]
                    .into_iter()
                    .enumerate()
            {
                let Some(v) = value else { continue };
                let w = ((v / top) * BAR_WIDTH as f64).round().clamp(1.0, BAR_WIDTH as f64) as u32;
                change.push(Bar {
                    x: LABEL_WIDTH,
                    y: y + k as u32 * CELL_HEIGHT,
                    width: w,
                    fill,
                    ink,
                    label: if w >= 40 { format!("{v:.1}") } else { String::new() },
                    title: format!("Standard {}, {when}: {v:.1}", s.id),
                });
            }
        }
    }
    let change_height = 20 + a.standards.len() as u32 * 2 * CELL_HEIGHT;
    let bar_labels = a.standards.iter().enumerate().map(|(i, s)| (i as u32, s.id.clone())).collect();

    let mut sectors = vec![Opt::new("", "All sectors")];
    sectors.extend(a.sectors.iter().map(|(code, label)| Opt::new(code, label.clone())));
    let mut partnerships = vec![Opt::new("", "All partnerships")];
    if a.partnerships.len() > 1 {
        partnerships.extend(a.partnerships.iter().map(|(id, name)| Opt::new(id.0, name.clone())));
    }
    let views = vec![Opt::new("self", "Self-assessed scores"), Opt::new("moderated", "Moderated scores")];
    let back = format!("/campaigns/{}", a.campaign.id);
    page.layout.page(
        format!("Analysis: {}", a.campaign.title),
        "/campaigns",
        &[("Audit campaigns", "/campaigns"), (&a.campaign.title, &back)],
    );
    let invalid = !errors.is_empty();
    let p = AnalysisPage {
        layout: page.layout,
        a,
        cells,
        width,
        height,
        columns,
        row_labels,
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
