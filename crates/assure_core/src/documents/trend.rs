//! A trend drawn as lines: the area's figures period by period, and for a rate England's and the
//! statistical neighbours' mean beside them. One drawing for every place a trend is shown: the
//! pages (the web layer's templates include [`Chart::svg`]), a dashboard's board pack, and a
//! yearly report's figures, so the chart in a document is the chart on the page.
//!
//! Following the Government Analysis Function's guidance on charts: a count is never drawn on
//! one axis with England's total; numbers carry thousands separators; series differ in dash and
//! marker as well as colour; at most about eight labels on an axis.

use assure_domain::cells::thousands;

use crate::intelligence::indicators::Point;

/// A figure as charts print it: thousands separated, to `decimals` places.
pub fn figure(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let negative = value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    let whole = thousands(whole.parse::<i128>().unwrap_or(0));
    let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
    format!("{}{whole}{fraction}", if negative { "-" } else { "" })
}

/// A step between gridlines that is 1, 2, 2.5 or 5 times a power of ten, about a quarter of the
/// range.
fn nice_step(range: f64) -> f64 {
    let rough = range / 4.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= rough).unwrap_or(magnitude * 10.0)
}

/// Which of `count` labels along an axis to print: every one up to eight, then every few.
fn label_every(count: usize) -> usize {
    count.div_ceil(8).max(1)
}

/// Text for SVG: the five characters XML reserves, escaped.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

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

/// What a screen reader reads for a trend chart: what is drawn, how each series is told apart,
/// the periods it covers, and where the figures are.
pub fn alternative_text(title: &str, area: &str, series: &[Point], compared: bool) -> String {
    let periods = match (series.first(), series.last()) {
        (Some(first), Some(last)) if first.period != last.period => format!(", {} to {}", first.period, last.period),
        (Some(only), _) => format!(", {}", only.period),
        _ => String::new(),
    };
    let lines = if compared {
        format!(
            "{area} (solid line, circles), England (dashed, squares) and the statistical neighbours' mean (dotted, diamonds)"
        )
    } else {
        area.to_owned()
    };
    format!("Line chart of {title}: {lines}{periods}. The table that follows gives every figure.")
}

/// The figures a trend chart draws, for Word to draw as a chart of its own: the same series, in
/// the same strokes.
pub fn line_chart(series: &[Point], area: &str, compared: bool, decimals: u8) -> super::chart::LineChart {
    use super::chart::{Series as Drawn, Stroke};
    let line = |name: &str, value: fn(&Point) -> Option<f64>, stroke| Drawn {
        name: name.to_owned(),
        values: series.iter().map(value).collect(),
        stroke,
    };
    let mut lines = vec![line(area, |p| p.ours, Stroke::Solid)];
    if compared {
        lines.push(line("England", |p| p.england, Stroke::Dashed));
        lines.push(line("Neighbours' mean", |p| p.neighbours, Stroke::Dotted));
    }
    super::chart::LineChart { categories: series.iter().map(|p| p.period.clone()).collect(), series: lines, decimals }
}

impl Chart {
    /// The drawing as SVG, titled for screen readers (`role="img"`, labelled by its title): the
    /// gridlines with the value axis's labels, the periods, each series' line and its markers,
    /// each marker with its figure as a tooltip. `id` names it in the page (its title's id).
    pub fn svg(&self, id: &str, title: &str, area: &str) -> String {
        let (id, title, area) = (xml(id), xml(title), xml(area));
        let described = if self.compared {
            format!(
                "{title}: {area} (solid line, circles), England (dashed, squares) and the statistical neighbours' mean (dotted, diamonds), period by period"
            )
        } else {
            format!(
                "{title}: {area}, period by period (a count, so England's total is in the table rather than on the same axis)"
            )
        };
        let (w, h) = (self.width, self.height);
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" class=\"assure-chart\" id=\"{id}\">\n  <title id=\"{id}-title\">{described}; the table gives the same figures</title>\n  "
        );
        for (y, label) in &self.ticks {
            out.push_str(&format!(
                "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#b1b4b6\" stroke-width=\"1\"></line><text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\" font-family=\"sans-serif\" fill=\"#0b0c0c\">{}</text>",
                self.right,
                LEFT - 6.0,
                y + 4.0,
                xml(label)
            ));
        }
        out.push_str("\n  ");
        for (x, label) in &self.years {
            out.push_str(&format!(
                "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" font-family=\"sans-serif\" fill=\"#0b0c0c\">{}</text>",
                h.saturating_sub(14),
                xml(label)
            ));
        }
        out.push_str("\n  ");
        for l in &self.lines {
            let dash = if l.dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{}\"", l.dash) };
            out.push_str(&format!(
                "<path data-series=\"{}\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{dash}></path>",
                l.name, l.path, l.stroke
            ));
        }
        out.push_str("\n  ");
        for m in &self.markers {
            let (x, y, fill) = (m.x, m.y, m.fill);
            let shape = match m.shape {
                "circle" => format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"4\" fill=\"{fill}\"></circle>"),
                "square" => {
                    format!(
                        "<rect x=\"{}\" y=\"{}\" width=\"7\" height=\"7\" fill=\"{fill}\"></rect>",
                        x - 3.5,
                        y - 3.5
                    )
                }
                _ => format!(
                    "<path d=\"M{x},{} L{},{y} L{x},{} L{},{y} Z\" fill=\"{fill}\"></path>",
                    y - 5.0,
                    x + 5.0,
                    y + 5.0,
                    x - 5.0
                ),
            };
            out.push_str(&format!("<g><title>{}</title>{shape}</g>", xml(&m.title)));
        }
        out.push_str("\n</svg>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_carry_thousands_separators() {
        assert_eq!(figure(142918.0, 0), "142,918");
        assert_eq!(figure(1234.5, 1), "1,234.5");
        assert_eq!(figure(0.25, 2), "0.25");
        assert_eq!(figure(-1250.0, 0), "-1,250");
        assert_eq!(figure(-0.04, 1), "0.0", "no minus on a figure that rounds to zero");
    }

    #[test]
    fn steps_are_round_and_labels_few() {
        assert_eq!(nice_step(800.0), 200.0);
        assert_eq!(nice_step(9.0), 2.5);
        assert_eq!(label_every(6), 1);
        assert_eq!(label_every(24), 3);
    }

    #[test]
    fn the_drawing_is_titled_and_escapes_what_it_names() {
        let p = |y: &str, ours: f64| Point {
            year: y.into(),
            period: y.into(),
            ours: Some(ours),
            england: Some(500.0),
            neighbours: None,
        };
        let c = trend(&[p("2021-22", 610.0), p("2022-23", 630.1)], "Southend <& Essex>", 1, true);
        let svg = c.svg("chart-x", "Referrals \"rate\"", "Southend <& Essex>");
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-x-title\"")
        );
        assert!(svg.contains(
            "<title id=\"chart-x-title\">Referrals &quot;rate&quot;: Southend &lt;&amp; Essex&gt; (solid line"
        ));
        assert!(svg.contains("<title>Southend &lt;&amp; Essex&gt;, 2022-23: 630.1</title><circle"));
        assert!(svg.contains("stroke-dasharray=\"6 4\""), "England dashed");
        assert!(!svg.contains("<&"), "nothing unescaped");
    }

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
