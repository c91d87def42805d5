//! A trend drawn as lines: the area's figures period by period, and for a rate England's and the
//! statistical neighbours' mean beside them.

use assure_core::intelligence::indicators::Point;

use super::{figure, label_every, nice_step};

/// A series of a trend chart, as drawn.
pub struct Line {
    pub path: String,
    pub stroke: &'static str,
    /// SVG dash pattern: the series differ in pattern and marker as well as colour.
    pub dash: &'static str,
    pub name: &'static str,
}

/// A point of a series, with its figure as a tooltip.
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub shape: &'static str,
    pub fill: &'static str,
    pub title: String,
}

/// How each series is drawn: colour, dash and marker all differ, so no reader depends on colour.
struct Series {
    name: &'static str,
    stroke: &'static str,
    dash: &'static str,
    shape: &'static str,
    get: fn(&Point) -> Option<f64>,
}

/// A trend chart: the area (with England and the neighbours' mean for a rate), period by period.
pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub lines: Vec<Line>,
    pub markers: Vec<Marker>,
    /// (y, label) of the value axis.
    pub ticks: Vec<(f64, String)>,
    /// (x, label) of the years.
    pub years: Vec<(f64, String)>,
    /// Whether England and the neighbours are drawn (not for a count).
    pub compared: bool,
    /// Where the plot ends on the right (the grid lines' end).
    pub right: f64,
}

const WIDTH: u32 = 560;
const HEIGHT: u32 = 220;
const LEFT: f64 = 56.0;
/// Room right of the plot for the last year's label, centred on the last point.
const RIGHT: f64 = 30.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;

/// A trend: the area's figures period by period, with England's and the statistical
/// neighbours' mean when `compare` (rates and percentages); a count is drawn alone, since
/// England's total on the same axis would flatten the area's line. Figures print to `decimals`.
pub fn trend(series: &[Point], area: &str, decimals: u32, compare: bool) -> Chart {
    let shown = |v: Option<f64>, comparator: bool| v.filter(|v| v.is_finite() && (compare || !comparator));
    let values: Vec<f64> = series
        .iter()
        .flat_map(|p| [shown(p.ours, false), shown(p.england, true), shown(p.neighbours, true)])
        .flatten()
        .collect();
    let (min, max) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let (lo, hi) = if values.is_empty() { (0.0, 1.0) } else { (0f64.min(min), max.max(min + 1.0)) };
    let step = nice_step(hi - lo);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let plot_w = WIDTH as f64 - LEFT - RIGHT;
    let plot_h = HEIGHT as f64 - TOP - BOTTOM;
    let x =
        |i: usize| LEFT + if series.len() > 1 { plot_w * i as f64 / (series.len() - 1) as f64 } else { plot_w / 2.0 };
    let y = |v: f64| TOP + plot_h - (v - lo) / (hi - lo) * plot_h;
    let mut ticks = Vec::new();
    let mut t = lo;
    while t <= hi + step / 2.0 {
        ticks.push((y(t), figure(t, if step < 1.0 { 1 } else { 0 })));
        t += step;
    }
    // At most about eight labels on the axis (a monthly series labels every few months).
    let every = label_every(series.len());
    let years =
        series.iter().enumerate().filter(|(i, _)| i % every == 0).map(|(i, p)| (x(i), p.period.clone())).collect();
    let mut lines = Vec::new();
    let mut markers = Vec::new();
    let specs: [Series; 3] = [
        Series { name: "area", stroke: "#1d70b8", dash: "", shape: "circle", get: |p| p.ours },
        Series { name: "England", stroke: "#505a5f", dash: "6 4", shape: "square", get: |p| p.england },
        Series { name: "neighbours", stroke: "#d4351c", dash: "2 3", shape: "diamond", get: |p| p.neighbours },
    ];
    for Series { name, stroke, dash, shape, get } in specs.into_iter().filter(|s| compare || s.name == "area") {
        let mut path = String::new();
        let mut pen_down = false;
        for (i, p) in series.iter().enumerate() {
            match get(p) {
                Some(v) => {
                    path.push_str(&format!("{}{:.1},{:.1} ", if pen_down { "L" } else { "M" }, x(i), y(v)));
                    pen_down = true;
                    let who = match name {
                        "area" => area.to_owned(),
                        "England" => "England".to_owned(),
                        _ => "statistical neighbours' mean".to_owned(),
                    };
                    markers.push(Marker {
                        x: x(i),
                        y: y(v),
                        shape,
                        fill: stroke,
                        title: format!("{who}, {}: {}", p.period, figure(v, decimals as usize)),
                    });
                }
                None => pen_down = false,
            }
        }
        if !path.is_empty() {
            lines.push(Line { path, stroke, dash, name });
        }
    }
    Chart { width: WIDTH, height: HEIGHT, lines, markers, ticks, years, compared: compare, right: WIDTH as f64 - RIGHT }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_scales_to_its_figures_and_breaks_lines_at_gaps() {
        let p = |y: &str, ours: Option<f64>, england: Option<f64>| Point {
            year: y.into(),
            period: y.into(),
            ours,
            england,
            neighbours: None,
        };
        let series = [p("2019", Some(719.2), Some(553.7)), p("2020", None, Some(535.0)), p("2021", Some(535.5), None)];
        let c = trend(&series, "Southend-on-Sea", 1, true);
        assert_eq!(c.lines.len(), 2, "no neighbours' line without figures");
        assert_eq!(c.lines[0].path.matches('M').count(), 2, "the gap in 2020 breaks the area's line");
        assert_eq!(c.markers.len(), 4);
        assert!(c.markers[0].title == "Southend-on-Sea, 2019: 719.2");
        assert!(c.ticks.first().map(|t| t.1.as_str()) == Some("0"));
        assert!(c.markers.iter().all(|m| m.y >= TOP && m.y <= HEIGHT as f64 - BOTTOM));
    }

    #[test]
    fn a_count_is_drawn_alone_with_separated_thousands() {
        let p = |y: &str, ours: f64, england: f64| Point {
            year: y.into(),
            period: y.into(),
            ours: Some(ours),
            england: Some(england),
            neighbours: Some(ours * 1.1),
        };
        let c = trend(&[p("2023", 1460.0, 650_000.0), p("2024", 1520.0, 640_000.0)], "Southend-on-Sea", 0, false);
        assert_eq!(c.lines.len(), 1, "England's total is not drawn beside a count");
        assert!(!c.compared);
        assert_eq!(c.markers[1].title, "Southend-on-Sea, 2024: 1,520");
        assert!(c.ticks.iter().any(|t| t.1 == "1,000"), "{:?}", c.ticks);
        assert!(c.ticks.iter().all(|t| !t.1.contains("00000")), "the axis fits the area's figures: {:?}", c.ticks);
    }
}
