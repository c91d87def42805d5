//! A chart's figures, beside its drawing. A [`super::Block::Figure`] is drawn once as SVG (the
//! same drawing as the page's) for PDF and HTML; Word draws its own charts, so a figure that
//! carries its [`LineChart`] goes into a Word file as a native chart (lines, markers, axes,
//! legend, and the figures in an embedded workbook that "Edit Data" opens), not a picture.

/// A line chart: one line per series across the same categories (years, months).
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// The categories along the horizontal axis, in order.
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Decimal places the value axis and figures print to.
    pub decimals: u8,
}

/// One line: its name (the legend's), a value per category (`None` is a gap) and how it is
/// drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
    pub stroke: Stroke,
}

/// How a line is drawn. Colour, dash and marker all differ, so no reader depends on colour;
/// they match the dashboard's own charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stroke {
    /// Blue, solid, circles: the partnership's area.
    Solid,
    /// Grey, dashed, squares: England.
    Dashed,
    /// Red, dotted, diamonds: the statistical neighbours' mean.
    Dotted,
}

impl Stroke {
    /// RGB colour, as hex digits.
    pub fn colour(self) -> &'static str {
        match self {
            Stroke::Solid => "1D70B8",
            Stroke::Dashed => "505A5F",
            Stroke::Dotted => "D4351C",
        }
    }
}
