//! A [`Document`] as a Word file (WordprocessingML), written part by part: a styles part with
//! real Heading 1–3 styles (so a screen reader and Word's navigation pane find the headings), a
//! numbering part for real bulleted lists, tables whose header row repeats on every page, a
//! header with the protective marking and a footer with the title and "Page x of y" fields,
//! the document's language (en-GB) in its default run properties and core properties, and a
//! table of contents field when the document has many sections.
//!
//! A figure that carries its chart's figures is drawn by Word as a chart of its own ([`chart`]),
//! with its caption and alternative text; a figure that is only a drawing is given by its
//! caption and alternative text.

mod chart;
mod picture;

use std::io::Write;

use zip::write::SimpleFileOptions;

use super::chart::LineChart;
use super::{Block, Cell, Document, LANGUAGE, Picture, Table};

/// Past this many sections a document opens with a table of contents.
const CONTENTS_FROM: usize = 6;

/// The package's content types, with an override for each of `charts` chart parts.
fn content_types(charts: usize) -> String {
    // Pictures are PNG parts (word/media), named by the default for their extension.
    let chart_parts: String = (1..=charts)
        .map(|n| format!(r#"<Override PartName="/word/charts/chart{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>"#))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/><Default Extension="png" ContentType="image/png"/>{chart_parts}<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#
    )
}

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

/// The main part's relationships, with one to each of `charts` chart parts and `pictures`
/// picture parts.
fn document_relationships(charts: usize, pictures: usize) -> String {
    let mut chart_parts: String = (1..=charts)
        .map(|n| format!(r#"<Relationship Id="{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="charts/chart{n}.xml"/>"#, chart::relationship_id(n)))
        .collect();
    chart_parts.extend((1..=pictures).map(picture::relationship));
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>{chart_parts}</Relationships>"#
    )
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// The drawing namespaces the main part's charts use.
const DRAWING: &str = r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;

/// Sizes in half-points; spacing in twentieths of a point. Large type (Easy Read) sets the
/// text at 14 points and the headings in step.
fn styles(large: bool) -> String {
    let scale = |size: u32| if large { size * 14 / 11 } else { size };
    let heading = |level: u8, size: u32, before: u32| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="120"/><w:outlineLvl w:val="{}"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>"#,
            level - 1
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="{base}"/><w:szCs w:val="{base}"/><w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>{}{}{}<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="36"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="80"/><w:contextualSpacing/></w:pPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Normal"/><w:rPr><w:color w:val="505A5F"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:i/><w:sz w:val="18"/></w:rPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:after="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="16"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="right" w:pos="9638"/></w:tabs><w:spacing w:after="0"/></w:pPr><w:rPr><w:color w:val="505A5F"/><w:sz w:val="16"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Heading2"/><w:next w:val="Normal"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="B1B4B6"/><w:left w:val="single" w:sz="4" w:space="0" w:color="B1B4B6"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="B1B4B6"/><w:right w:val="single" w:sz="4" w:space="0" w:color="B1B4B6"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="B1B4B6"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="B1B4B6"/></w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#,
        heading(1, scale(40), 0),
        heading(2, scale(30), 360),
        heading(3, scale(24), 240),
        base = scale(22),
    )
}

fn numbering() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#8226;"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="567" w:hanging="283"/></w:pPr><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    )
}

fn settings(contents: bool) -> String {
    let update = if contents { r#"<w:updateFields w:val="true"/>"# } else { "" };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings {W}>{update}<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:themeFontLang w:val="{LANGUAGE}"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
    )
}

/// Text made safe for XML: markup escaped, characters XML 1.0 forbids dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Runs of text; line breaks become Word line breaks.
fn runs(text: &str, bold: bool) -> String {
    let props = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        out.push_str("<w:r>");
        out.push_str(props);
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(&format!(r#"<w:t xml:space="preserve">{}</w:t></w:r>"#, escape(line.trim_end_matches('\r'))));
    }
    out
}

fn paragraph(style: Option<&str>, text: &str) -> String {
    let props = style.map(|s| format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#)).unwrap_or_default();
    format!("<w:p>{props}{}</w:p>", runs(text, false))
}

/// A field (PAGE, NUMPAGES) with the text shown until Word updates it.
fn field(instruction: &str, shown: &str) -> String {
    format!(
        r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{shown}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#
    )
}

fn header(doc: &Document) -> String {
    let marking = doc.marking.map(|m| runs(m.label(), true)).unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr {W}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>{marking}</w:p></w:hdr>"#
    )
}

fn footer(doc: &Document, text_width: u32) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {W}><w:p><w:pPr><w:pStyle w:val="Footer"/><w:tabs><w:tab w:val="clear" w:pos="9638"/><w:tab w:val="right" w:pos="{text_width}"/></w:tabs></w:pPr>{}<w:r><w:tab/><w:t xml:space="preserve">Page </w:t></w:r>{}<w:r><w:t xml:space="preserve"> of </w:t></w:r>{}</w:p></w:ftr>"#,
        runs(&doc.title, false),
        field("PAGE", "1"),
        field("NUMPAGES", "1"),
    )
}

fn table(t: &Table, text_width: u32) -> String {
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let twips: Vec<u32> = (0..t.header.len())
        .map(|i| text_width * t.widths.get(i).copied().unwrap_or(1) / total.max(t.header.len() as u32))
        .collect();
    let mut out = format!(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{text_width}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
    );
    for w in &twips {
        out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    // The header row repeats at the top of every page and cannot break across pages.
    out.push_str(r#"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"#);
    for (i, w) in twips.iter().enumerate() {
        out.push_str(&format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="F3F2F1"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr>{}</w:p></w:tc>"#,
            runs(&t.header[i], true)
        ));
    }
    out.push_str("</w:tr>");
    for row in &t.rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (i, w) in twips.iter().enumerate() {
            let cell = row.get(i).unwrap_or(&Cell::Empty);
            let align = if matches!(cell, Cell::Number(..)) { r#"<w:jc w:val="right"/>"# } else { "" };
            out.push_str(&format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>{align}</w:pPr>{}</w:p></w:tc>"#,
                runs(&cell.shown(), false)
            ));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out.push_str(&paragraph(None, ""));
    out
}

fn contents() -> String {
    r#"<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "2-3" \h \z \u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Word fills in the contents when the document is opened.</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#.to_owned()
}

/// A4 in twentieths of a point, with 2 cm margins.
fn page(doc: &Document) -> (u32, u32, u32) {
    let (w, h) = if doc.landscape { (16838, 11906) } else { (11906, 16838) };
    (w, h, 1134)
}

/// The main part, and the charts it places (chart `n` is the `n`th, from 1).
fn body(doc: &Document) -> (String, Vec<&LineChart>, Vec<&Picture>) {
    let (w, h, margin) = page(doc);
    let mut charts = Vec::new();
    let mut pictures = Vec::new();
    let text_width = w - 2 * margin;
    let with_contents = doc.sections() >= CONTENTS_FROM;
    let mut out = String::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Heading(level, text) => {
                out.push_str(&paragraph(Some(&format!("Heading{}", (*level).clamp(1, 3))), text));
            }
            Block::Paragraph(text) => out.push_str(&paragraph(None, text)),
            Block::Note(text) => out.push_str(&paragraph(Some("Note"), text)),
            Block::Bullets(items) => {
                for item in items {
                    out.push_str(&paragraph(Some("ListBullet"), item));
                }
            }
            Block::Table(t) => out.push_str(&table(t, text_width)),
            Block::Facts(facts) => out.push_str(&table(&super::Fact::table(facts), text_width)),
            Block::Figure { alt, caption, chart: Some(c), .. } => {
                charts.push(c);
                out.push_str(&caption_paragraph(caption));
                out.push_str(&chart::drawing(charts.len(), text_width, alt, caption));
            }
            Block::Figure { alt, caption, chart: None, .. } => {
                out.push_str(&caption_paragraph(caption));
                out.push_str(&paragraph(None, alt));
            }
            Block::Pictured { picture: Some(p), text } => {
                pictures.push(p);
                // Drawing ids follow the charts' (each drawing's id is unique in the document).
                out.push_str(&picture::paragraph(pictures.len(), doc_pr_base(doc) + pictures.len(), &p.alt, text));
            }
            Block::Pictured { picture: None, text } => out.push_str(&picture::unpictured(text)),
        }
        if i == 0 && with_contents {
            out.push_str(&contents());
        }
    }
    let orient = if doc.landscape { r#" w:orient="landscape""# } else { "" };
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W} {DRAWING}><w:body>{out}<w:sectPr><w:headerReference w:type="default" r:id="rId4"/><w:footerReference w:type="default" r:id="rId5"/><w:pgSz w:w="{w}" w:h="{h}"{orient}/><w:pgMar w:top="{margin}" w:right="{margin}" w:bottom="{margin}" w:left="{margin}" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    (xml, charts, pictures)
}

/// The drawing ids pictures count on from: past every chart's.
fn doc_pr_base(doc: &Document) -> usize {
    doc.blocks.iter().filter(|b| matches!(b, Block::Figure { chart: Some(_), .. })).count()
}

/// A figure's caption, kept on the page with the figure it names.
fn caption_paragraph(caption: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="Caption"/><w:keepNext/></w:pPr>{}</w:p>"#, runs(caption, false))
}

fn core_properties(doc: &Document) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>Assure</dc:creator><dc:language>{LANGUAGE}</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">{}</dcterms:created></cp:coreProperties>"#,
        escape(&doc.title),
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
    )
}

const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Assure</Application></Properties>"#;

/// The document as the bytes of a .docx file.
pub fn write(doc: &Document) -> std::io::Result<Vec<u8>> {
    let (w, _, margin) = page(doc);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let (main, charts, pictures) = body(doc);
    for (name, content) in [
        ("[Content_Types].xml", content_types(charts.len())),
        ("_rels/.rels", RELS.to_owned()),
        ("docProps/core.xml", core_properties(doc)),
        ("docProps/app.xml", APP.to_owned()),
        ("word/_rels/document.xml.rels", document_relationships(charts.len(), pictures.len())),
        ("word/document.xml", main),
        ("word/styles.xml", styles(doc.large_type)),
        ("word/numbering.xml", numbering()),
        ("word/settings.xml", settings(doc.sections() >= CONTENTS_FROM)),
        ("word/header1.xml", header(doc)),
        ("word/footer1.xml", footer(doc, w - 2 * margin)),
    ] {
        zip.start_file(name, options).map_err(std::io::Error::other)?;
        zip.write_all(content.as_bytes())?;
    }
    for (i, c) in charts.iter().enumerate() {
        let n = i + 1;
        let figures = chart::workbook(c, &doc.title, doc.marking).map_err(std::io::Error::other)?;
        for (name, content) in [
            (format!("word/charts/chart{n}.xml"), chart::part(c).into_bytes()),
            (format!("word/charts/_rels/chart{n}.xml.rels"), chart::part_relationships(n).into_bytes()),
            (format!("word/embeddings/{}", chart::workbook_name(n)), figures),
        ] {
            zip.start_file(name, options).map_err(std::io::Error::other)?;
            zip.write_all(&content)?;
        }
    }
    for (i, p) in pictures.iter().enumerate() {
        zip.start_file(picture::part_name(i + 1), options).map_err(std::io::Error::other)?;
        zip.write_all(&picture::png(p.svg).map_err(std::io::Error::other)?)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::documents::Marking;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
        let mut out = String::new();
        archive.by_name(name).expect(name).read_to_string(&mut out).expect("text");
        out
    }

    #[test]
    fn a_document_has_real_headings_lists_header_footer_and_language() {
        let mut doc = Document::new("Child H: 7-minute briefing").marked(Marking::OfficialSensitive);
        doc.heading(2, "Background");
        doc.text("Background <b>& more</b>\nSecond line");
        doc.push(Block::Bullets(vec!["First".into(), "Second".into()]));
        let mut t = Table::new(["Date", "Event"], &[1, 3]);
        t.row([Cell::from("4 May 2023"), Cell::from("Seen by \"GP\"")]);
        doc.table(t);
        doc.push(Block::Facts(vec![crate::documents::Fact::new("3", "Reviews concluded")]));
        let bytes = write(&doc).expect("written");
        let body = part(&bytes, "word/document.xml");
        assert!(body.contains("What it counts") && body.contains("Reviews concluded"), "the key figures as a table");
        assert!(body.contains(r#"<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">Child H"#));
        assert!(body.contains(r#"<w:pStyle w:val="Heading2"/>"#));
        assert_eq!(body.matches(r#"<w:pStyle w:val="ListBullet"/>"#).count(), 2);
        assert!(body.contains("Background &lt;b&gt;&amp; more&lt;/b&gt;"));
        assert!(body.contains("Seen by &quot;GP&quot;"));
        assert!(body.contains("<w:tblHeader/>"));
        assert!(!body.contains("TOC \\o"), "a short document has no contents");
        let styles = part(&bytes, "word/styles.xml");
        assert!(styles.contains(r#"w:styleId="Heading3""#) && styles.contains(r#"<w:lang w:val="en-GB""#));
        assert!(part(&bytes, "word/numbering.xml").contains(r#"<w:numFmt w:val="bullet"/>"#));
        assert!(part(&bytes, "word/header1.xml").contains("OFFICIAL-SENSITIVE"));
        let footer = part(&bytes, "word/footer1.xml");
        assert!(footer.contains(" PAGE ") && footer.contains(" NUMPAGES "));
        let core = part(&bytes, "docProps/core.xml");
        assert!(core.contains("<dc:title>Child H: 7-minute briefing</dc:title>"));
        assert!(core.contains("<dc:language>en-GB</dc:language>"));
    }

    #[test]
    fn a_long_document_opens_with_its_contents() {
        let mut doc = Document::new("Annual report");
        for n in 0..CONTENTS_FROM {
            doc.heading(2, format!("Section {n}"));
        }
        let bytes = write(&doc).expect("written");
        assert!(part(&bytes, "word/document.xml").contains("TOC \\o \"2-3\""));
        assert!(part(&bytes, "word/settings.xml").contains("updateFields"));
    }

    /// A dashboard-like figure: the area, England and the neighbours over four years, one gap.
    pub(crate) fn charted() -> Document {
        use crate::documents::chart::{LineChart, Series, Stroke};
        let mut doc = Document::new("Children's safeguarding dashboard");
        doc.heading(2, "Children in need per 10,000");
        let series =
            |name: &str, values: [Option<f64>; 4], stroke| Series { name: name.into(), values: values.into(), stroke };
        doc.push(Block::Figure {
            svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".into(),
            alt: "Line chart of children in need per 10,000: Southend-on-Sea \"solid\" & England, 2020 to 2023.".into(),
            caption: "Children in need per 10,000, year by year".into(),
            chart: Some(LineChart {
                categories: ["2019-20", "2020-21", "2021-22", "2022-23"].map(String::from).into(),
                series: vec![
                    series("Southend-on-Sea", [Some(719.2), None, Some(535.5), Some(601.25)], Stroke::Solid),
                    series("England", [Some(553.7), Some(535.0), Some(542.5), Some(544.1)], Stroke::Dashed),
                    series("Neighbours' mean", [Some(650.0), Some(640.0), Some(633.3), Some(610.0)], Stroke::Dotted),
                ],
                decimals: 1,
            }),
        });
        doc
    }

    #[test]
    fn a_chart_is_a_word_chart_with_its_figures_and_alternative_text() {
        let bytes = write(&charted()).expect("written");
        let body = part(&bytes, "word/document.xml");
        assert!(body.contains(r#"descr="Line chart of children in need per 10,000: Southend-on-Sea &quot;solid&quot; &amp; England, 2020 to 2023.""#));
        assert!(body.contains(r#"<c:chart r:id="rIdChart1"/>"#));
        assert!(part(&bytes, "word/_rels/document.xml.rels").contains(r#"Id="rIdChart1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="charts/chart1.xml""#));
        assert!(part(&bytes, "[Content_Types].xml").contains(r#"PartName="/word/charts/chart1.xml""#));
        let chart = part(&bytes, "word/charts/chart1.xml");
        assert_eq!(chart.matches("<c:ser>").count(), 3);
        assert!(
            chart.contains(r#"<c:f>Figures!$B$2:$B$5</c:f>"#)
                && chart.contains(r#"<c:pt idx="3"><c:v>601.25</c:v></c:pt>"#)
        );
        assert!(!chart.contains(r#"<c:pt idx="1"><c:v>0</c:v>"#), "a gap is no point, not zero");
        assert!(chart.contains(r#"<a:prstDash val="dash"/>"#) && chart.contains(r#"<c:symbol val="diamond"/>"#));
        assert!(part(&bytes, "word/charts/_rels/chart1.xml.rels").contains("../embeddings/chart1-figures.xlsx"));
        // The embedded figures, read back by an independent reader: numbers, a gap left empty.
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut figures = Vec::new();
        archive.by_name("word/embeddings/chart1-figures.xlsx").unwrap().read_to_end(&mut figures).unwrap();
        use calamine::{Data, Reader};
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(figures)).unwrap();
        let range = book.worksheet_range("Figures").unwrap();
        assert_eq!(range.get((0, 1)), Some(&Data::String("Southend-on-Sea".into())));
        assert_eq!(range.get((4, 1)), Some(&Data::Float(601.25)));
        assert!(matches!(range.get((2, 1)), None | Some(Data::Empty)));
        for name in ["word/document.xml", "word/charts/chart1.xml", "[Content_Types].xml"] {
            let xml = part(&bytes, name);
            let mut reader = quick_xml::Reader::from_str(&xml);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{name} is not well-formed XML: {e}"),
                }
            }
        }
    }

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(escape("a\u{1}b\tc"), "ab\tc");
    }
}
