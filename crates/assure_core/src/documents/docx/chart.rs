//! A [`LineChart`] as a Word chart (DrawingML): the chart part Word draws from, the figures
//! behind it as an embedded workbook (what "Edit Data" opens), and the inline drawing that
//! places it in the text with its alternative text.

use assure_domain::cells::column_letter;

use super::escape;
use crate::documents::chart::{LineChart, Stroke};
use crate::documents::xlsx::{Sheet, Workbook};
use crate::documents::{Cell, Marking};

/// The embedded workbook's one sheet, which the chart's references name.
const SHEET: &str = "Figures";

/// English Metric Units per twentieth of a point.
const EMU_PER_TWIP: u64 = 635;

/// The chart's place in the text: an inline drawing as wide as the text, its alternative text
/// (`descr`, what a screen reader reads) and its title (the caption).
pub fn drawing(n: usize, text_width: u32, alt: &str, caption: &str) -> String {
    let cx = u64::from(text_width) * EMU_PER_TWIP;
    let cy = cx * 9 / 20;
    format!(
        r#"<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{n}" name="Chart {n}" descr="{}" title="{}"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart r:id="{}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#,
        escape(alt),
        escape(caption),
        relationship_id(n),
    )
}

/// The document's relationship to chart `n`.
pub fn relationship_id(n: usize) -> String {
    format!("rIdChart{n}")
}

/// A value as the chart's cache holds it: plain decimal, full precision.
fn number(v: f64) -> String {
    format!("{v}")
}

/// The chart part: a line chart of the series with their colours, dashes and markers, a
/// category and a value axis, a legend below, gaps left as gaps. Every series names its cells
/// in the embedded workbook and carries their values, which Word draws from.
pub fn part(chart: &LineChart) -> String {
    let rows = chart.categories.len();
    let last = rows + 1;
    let format_code =
        if chart.decimals == 0 { "#,##0".to_owned() } else { format!("#,##0.{}", "0".repeat(chart.decimals.into())) };
    let categories = {
        let points: String = chart
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| format!(r#"<c:pt idx="{i}"><c:v>{}</c:v></c:pt>"#, escape(c)))
            .collect();
        format!(
            r#"<c:cat><c:strRef><c:f>{SHEET}!$A$2:$A${last}</c:f><c:strCache><c:ptCount val="{rows}"/>{points}</c:strCache></c:strRef></c:cat>"#
        )
    };
    let mut series = String::new();
    for (i, s) in chart.series.iter().enumerate() {
        // Column A holds the categories, B onwards the series.
        let col = column_letter(i + 1);
        let (dash, symbol) = match s.stroke {
            Stroke::Solid => ("solid", "circle"),
            Stroke::Dashed => ("dash", "square"),
            Stroke::Dotted => ("sysDot", "diamond"),
        };
        let colour = s.stroke.colour();
        let points: String = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(j, v)| v.filter(|v| v.is_finite()).map(|v| (j, v)))
            .map(|(j, v)| format!(r#"<c:pt idx="{j}"><c:v>{}</c:v></c:pt>"#, number(v)))
            .collect();
        series.push_str(&format!(
            r#"<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:strRef><c:f>{SHEET}!${col}$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{}</c:v></c:pt></c:strCache></c:strRef></c:tx><c:spPr><a:ln w="28575" cap="rnd"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:prstDash val="{dash}"/><a:round/></a:ln></c:spPr><c:marker><c:symbol val="{symbol}"/><c:size val="6"/><c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:ln></c:spPr></c:marker>{categories}<c:val><c:numRef><c:f>{SHEET}!${col}$2:${col}${last}</c:f><c:numCache><c:formatCode>{format_code}</c:formatCode><c:ptCount val="{rows}"/>{points}</c:numCache></c:numRef></c:val><c:smooth val="0"/></c:ser>"#,
            escape(&s.name),
        ));
    }
    let text = r#"<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"><a:solidFill><a:srgbClr val="0B0C0C"/></a:solidFill><a:latin typeface="Arial"/></a:defRPr></a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr>"#;
    let axis_line = r#"<c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="B1B4B6"/></a:solidFill></a:ln></c:spPr>"#;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:lang val="en-GB"/><c:roundedCorners val="0"/><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/><c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{series}<c:marker val="1"/><c:axId val="1001"/><c:axId val="1002"/></c:lineChart><c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>{axis_line}{text}<c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx><c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines>{axis_line}</c:majorGridlines><c:numFmt formatCode="{format_code}" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{axis_line}{text}<c:crossAx val="1001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/>{text}</c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>{text}<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>"#
    )
}

/// The chart part's relationship to its embedded workbook.
pub fn part_relationships(n: usize) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/package" Target="../embeddings/{}"/></Relationships>"#,
        workbook_name(n)
    )
}

pub fn workbook_name(n: usize) -> String {
    format!("chart{n}-figures.xlsx")
}

/// The figures behind the chart, as the workbook Word opens to edit them: the categories in
/// column A ("Period"), a column per series, numbers as numbers, gaps empty.
pub fn workbook(chart: &LineChart, title: &str, marking: Option<Marking>) -> Result<Vec<u8>, String> {
    let header = std::iter::once("Period".to_owned()).chain(chart.series.iter().map(|s| s.name.clone()));
    let widths: Vec<f64> = std::iter::once(12.0).chain(chart.series.iter().map(|_| 16.0)).collect();
    let mut sheet = Sheet::new(SHEET, header, &widths);
    for (i, category) in chart.categories.iter().enumerate() {
        sheet.row(
            std::iter::once(Cell::from(category.as_str()))
                .chain(chart.series.iter().map(|s| Cell::number(s.values.get(i).copied().flatten(), chart.decimals))),
        );
    }
    Workbook::of(title, marking, sheet).write()
}
