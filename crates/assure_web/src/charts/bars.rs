//! Bars: vertical columns of counts, horizontal bars stacked into shares, and horizontal bars
//! paired to compare two cycles.

use assure_domain::cells::thousands;

use super::{colour, figure};

/// A vertical column, as drawn.
pub struct Column {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    pub label: String,
    pub title: String,
}

/// The columns' plotting height.
pub const PLOT_HEIGHT: u32 = 160;

/// Columns for (label, count) pairs, scaled to the largest; a zero still shows as a line. Returns
/// the chart's width and its columns.
pub fn columns(values: &[(String, u64)], what: &str) -> (u32, Vec<Column>) {
    let top = values.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let width = (560 / values.len().max(1) as u32).clamp(6, 48);
    let columns = values
        .iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let h = ((*v as f64 / top as f64) * PLOT_HEIGHT as f64).round() as u32;
            Column {
                x: 40 + i as u32 * width,
                y: 10 + PLOT_HEIGHT - h,
                width: width.saturating_sub(2).max(1),
                height: h.max(1),
                label: label.clone(),
                title: format!("{label}: {} {what}", thousands(*v)),
            }
        })
        .collect();
    (40 + values.len() as u32 * width + 10, columns)
}

/// A horizontal bar, or a segment of one, as drawn.
#[derive(Debug, Clone)]
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

/// Where horizontal bars start, after the row labels.
pub const LABEL_WIDTH: u32 = 300;
/// The height of a row of bars (and of a heat map's cells).
pub const ROW_HEIGHT: u32 = 30;
/// The horizontal bars' plotting width, after the labels.
pub const BAR_WIDTH: u32 = 400;

/// One row of a stacked bar chart: its name, and its parts as (count, colour name, what the
/// part is, such as "at 3 Good").
pub struct Stack {
    pub name: String,
    pub parts: Vec<(usize, String, String)>,
}

/// One bar per row, each part's share of the row's total side by side; a part's count is printed
/// on it where there is room. Returns the segments and the chart's height.
pub fn stacked(rows: &[Stack]) -> (Vec<Bar>, u32) {
    let mut bars = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let total: usize = row.parts.iter().map(|(count, _, _)| count).sum();
        let mut x = LABEL_WIDTH;
        for (count, colour_name, what) in &row.parts {
            if *count == 0 || total == 0 {
                continue;
            }
            let w = (*count as u32 * BAR_WIDTH) / total as u32;
            let (fill, ink) = colour(colour_name);
            bars.push(Bar {
                x,
                y: 10 + i as u32 * ROW_HEIGHT,
                width: w.max(1),
                fill,
                ink,
                label: if w >= 24 { thousands(*count as u64) } else { String::new() },
                title: format!("{}: {} of {} {what}", row.name, thousands(*count as u64), thousands(total as u64)),
            });
            x += w;
        }
    }
    (bars, 20 + rows.len() as u32 * ROW_HEIGHT)
}

/// One row of a paired bar chart: its name, and its value before and now.
pub struct Pair {
    pub name: String,
    pub before: Option<f64>,
    pub now: Option<f64>,
}

/// Two bars a row, before (grey) above now (blue), on a scale from 0 to `top`; the value is
/// printed on a bar where there is room, to one decimal place. `when` names the two, such as
/// ("last cycle", "this cycle"). Returns the bars and the chart's height.
pub fn paired(rows: &[Pair], top: f64, when: (&str, &str)) -> (Vec<Bar>, u32) {
    let top = top.max(f64::MIN_POSITIVE);
    let mut bars = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let y = 10 + i as u32 * (2 * ROW_HEIGHT);
        for (k, (value, fill, ink, when)) in
            [(row.before, "#b1b4b6", "#0b0c0c", when.0), (row.now, "#1d70b8", "#ffffff", when.1)]
                .into_iter()
                .enumerate()
        {
            let Some(v) = value else { continue };
            let w = ((v / top) * BAR_WIDTH as f64).round().clamp(1.0, BAR_WIDTH as f64) as u32;
            bars.push(Bar {
                x: LABEL_WIDTH,
                y: y + k as u32 * ROW_HEIGHT,
                width: w,
                fill,
                ink,
                label: if w >= 40 { figure(v, 1) } else { String::new() },
                title: format!("{}, {when}: {}", row.name, figure(v, 1)),
            });
        }
    }
    (bars, 20 + rows.len() as u32 * 2 * ROW_HEIGHT)
}

/// A horizontal bar chart ready for `templates/charts/bars_svg.html`: its element id, what it
/// shows (the SVG's title), its rows' names with where they sit, its bars, and the key to its
/// colours (which the parts' titles and printed counts repeat, so nobody depends on colour).
#[derive(Debug, Clone)]
pub struct BarChart {
    pub id: &'static str,
    pub title: String,
    pub height: u32,
    /// Each row's name as printed (shortened to fit) and its text's baseline.
    pub labels: Vec<(u32, String)>,
    pub bars: Vec<Bar>,
    /// (fill, what it means).
    pub key: Vec<(&'static str, String)>,
}

/// The longest row name printed beside the bars; the bar's title keeps the whole name.
const LABEL_CHARS: usize = 38;

fn shortened(name: &str) -> String {
    if name.chars().count() <= LABEL_CHARS {
        name.to_owned()
    } else {
        format!("{}\u{2026}", name.chars().take(LABEL_CHARS - 1).collect::<String>().trim_end())
    }
}

impl BarChart {
    /// Stacked bars, one a row, each part's share of its row; `key` names each colour in the
    /// order of the parts.
    pub fn stacked(id: &'static str, title: impl Into<String>, rows: &[Stack], key: &[(&str, &str)]) -> BarChart {
        let (bars, height) = stacked(rows);
        BarChart {
            id,
            title: title.into(),
            height,
            labels: rows
                .iter()
                .enumerate()
                .map(|(i, r)| (10 + i as u32 * ROW_HEIGHT + 19, shortened(&r.name)))
                .collect(),
            bars,
            key: key.iter().map(|(colour_name, what)| (colour(colour_name).0, (*what).to_owned())).collect(),
        }
    }

    /// Paired bars, before above now, on a scale from 0 to `top`.
    pub fn paired(id: &'static str, title: impl Into<String>, rows: &[Pair], top: f64, when: (&str, &str)) -> BarChart {
        let (bars, height) = paired(rows, top, when);
        BarChart {
            id,
            title: title.into(),
            height,
            labels: rows
                .iter()
                .enumerate()
                .map(|(i, r)| (10 + i as u32 * 2 * ROW_HEIGHT + ROW_HEIGHT + 5, shortened(&r.name)))
                .collect(),
            bars,
            key: vec![("#b1b4b6", when.0.to_owned()), ("#1d70b8", when.1.to_owned())],
        }
    }

    /// The chart's width: the labels and the bars.
    pub fn width(&self) -> u32 {
        LABEL_WIDTH + BAR_WIDTH + 20
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_scale_to_the_largest() {
        let (width, b) = columns(&[("2024-04".into(), 50), ("2024-05".into(), 100), ("2024-06".into(), 0)], "contacts");
        assert_eq!(b[1].height, PLOT_HEIGHT);
        assert_eq!(b[0].height, PLOT_HEIGHT / 2);
        assert_eq!(b[2].height, 1, "a zero still shows as a line");
        assert_eq!(b[0].title, "2024-04: 50 contacts");
        assert!(width > b[2].x);
        let (_, big) = columns(&[("2024-25".into(), 12_345)], "referrals");
        assert_eq!(big[0].title, "2024-25: 12,345 referrals");
    }

    #[test]
    fn stacked_parts_share_their_row_and_paired_bars_share_a_scale() {
        let row = Stack {
            name: "Standard 1".into(),
            parts: vec![(3, "green".into(), "at 3 Good".into()), (1, "red".into(), "at 1 Inadequate".into())],
        };
        let (bars, height) = stacked(&[row]);
        assert_eq!(bars.iter().map(|b| b.width).sum::<u32>(), BAR_WIDTH);
        assert_eq!(bars[0].title, "Standard 1: 3 of 4 at 3 Good");
        assert_eq!((bars[0].fill, bars[1].x), ("#00703c", LABEL_WIDTH + 300));
        assert_eq!(height, 20 + ROW_HEIGHT);
        let (pairs, _) =
            paired(&[Pair { name: "Standard 1".into(), before: Some(2.0), now: Some(4.0) }], 4.0, ("before", "now"));
        assert_eq!((pairs[0].width, pairs[1].width), (BAR_WIDTH / 2, BAR_WIDTH));
        assert_eq!(pairs[1].title, "Standard 1, now: 4.0");
    }

    #[test]
    fn a_bar_chart_names_its_rows_within_the_labels_room_and_keys_its_colours() {
        let rows = [
            Stack {
                name: "Essex Partnership University NHS Foundation Trust".into(),
                parts: vec![(3, "blue".into(), "attended".into())],
            },
            Stack { name: "Essex Police".into(), parts: vec![(1, "blue".into(), "attended".into())] },
        ];
        let chart = BarChart::stacked("by-agency", "Attendance", &rows, &[("blue", "attended")]);
        assert_eq!(chart.labels[0].1, "Essex Partnership University NHS Foun\u{2026}");
        assert_eq!(chart.labels[1], (10 + ROW_HEIGHT + 19, "Essex Police".to_owned()));
        assert_eq!(chart.bars[0].title, "Essex Partnership University NHS Foundation Trust: 3 of 3 attended");
        assert_eq!(chart.key, vec![("#1d70b8", "attended".to_owned())]);
        let pair = Pair { name: "A".into(), before: Some(2.0), now: Some(4.0) };
        let paired = BarChart::paired("c", "Confidence", &[pair], 5.0, ("before", "after"));
        assert_eq!(paired.labels[0].0, 10 + ROW_HEIGHT + 5);
        assert_eq!(paired.key[1], ("#1d70b8", "after".to_owned()));
    }
}
