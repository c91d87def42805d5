//! Every chart Assure draws, as accessible SVG: a trend as lines, counts as columns, shares as
//! stacked bars, two cycles as paired bars, and a heat map. A page passes its figures and gets
//! back the shapes to draw; the templates in `templates/charts/` draw them, each chart a titled
//! `role="img"` with its data table beside it on the page.
//!
//! Following the Government Analysis Function's guidance on charts:
//! - a count is never drawn on one axis with England's total (which would flatten the local
//!   line): a trend of counts draws the local series alone, and rates compare with England;
//! - numbers carry thousands separators, on axes, in labels and in tooltips;
//! - series differ in dash and marker as well as colour, so no reader depends on colour, and a
//!   segment's or cell's value is printed on it where there is room;
//! - at most about eight labels on an axis, so labels never overlap.

pub mod bars;
pub mod heat_map;
pub mod line;
pub mod qr;

use assure_domain::cells::thousands;

/// GOV.UK colours by the names frameworks use, as (fill, ink): the ink is the text colour that
/// meets contrast on that fill.
pub fn colour(name: &str) -> (&'static str, &'static str) {
    match name {
        "red" => ("#d4351c", "#ffffff"),
        "orange" | "amber" => ("#f47738", "#0b0c0c"),
        "yellow" => ("#ffdd00", "#0b0c0c"),
        "green" => ("#00703c", "#ffffff"),
        "blue" => ("#1d70b8", "#ffffff"),
        "purple" => ("#4c2c92", "#ffffff"),
        "light-grey" => ("#f3f2f1", "#0b0c0c"),
        _ => ("#b1b4b6", "#0b0c0c"),
    }
}

pub use assure_core::documents::trend::figure;

/// A figure kept as exact decimal text ("1460", "334.5") as charts print it: the whole part's
/// thousands separated, the decimals as they are. Anything else is shown as it is.
pub fn figure_text(text: &str) -> String {
    let (negative, digits) = text.strip_prefix('-').map_or((false, text), |rest| (true, rest));
    let (whole, fraction) = digits.split_once('.').map_or((digits, None), |(w, f)| (w, Some(f)));
    let Ok(number) = whole.parse::<u64>() else { return text.to_owned() };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return text.to_owned();
    }
    let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
    format!("{}{}{fraction}", if negative { "-" } else { "" }, thousands(number))
}

/// Any figure a table shows: its whole part thousands separated (`1460` is `1,460`, `334.5`
/// stays `334.5`); text that is not a number (`none`, `[c]`) is shown as it is.
pub fn number(value: &impl std::fmt::Display) -> String {
    figure_text(&value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_shows_any_figure_with_thousands_separated_and_text_as_it_is() {
        assert_eq!(number(&142918_u64), "142,918");
        assert_eq!(number(&"38542"), "38,542");
        assert_eq!(number(&"334.5"), "334.5");
        assert_eq!(number(&"none"), "none");
        assert_eq!(number(&"1,460"), "1,460", "already separated stays as it is");
    }

    #[test]
    fn kept_figures_are_shown_with_separators() {
        assert_eq!(figure_text("1460"), "1,460");
        assert_eq!(figure_text("142918.25"), "142,918.25");
        assert_eq!(figure_text("334.5"), "334.5");
        assert_eq!(figure_text("-1250"), "-1,250");
        assert_eq!(figure_text("n/a"), "n/a");
    }
}
