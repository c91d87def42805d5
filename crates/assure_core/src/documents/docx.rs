//! A [`Document`] as a Word file: the minimum WordprocessingML package (content types, the
//! package relationship, core properties and the document part), with direct formatting so
//! that it needs no styles part.

use std::io::Write;

use zip::write::SimpleFileOptions;

use super::{Block, Document};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

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

/// A run of text; line breaks become Word line breaks.
fn run(text: &str, bold: bool, size_half_points: u32, grey: bool) -> String {
    let mut props = String::from(r#"<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/>"#);
    if bold {
        props.push_str("<w:b/>");
    }
    if grey {
        props.push_str(r#"<w:color w:val="505A5F"/>"#);
    }
    props.push_str(&format!(r#"<w:sz w:val="{size_half_points}"/></w:rPr>"#));
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        out.push_str("<w:r>");
        out.push_str(&props);
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(&format!(r#"<w:t xml:space="preserve">{}</w:t></w:r>"#, escape(line.trim_end_matches('\r'))));
    }
    out
}

fn paragraph(text: &str, bold: bool, size: u32, after: u32, grey: bool) -> String {
    format!(r#"<w:p><w:pPr><w:spacing w:after="{after}"/></w:pPr>{}</w:p>"#, run(text, bold, size, grey))
}

fn table(widths: &[u32], header: &[String], rows: &[Vec<String>], text_width: u32) -> String {
    let total: u32 = widths.iter().sum::<u32>().max(1);
    let twips: Vec<u32> = widths.iter().map(|w| text_width * w / total).collect();
    let border = r#"w:val="single" w:sz="4" w:space="0" w:color="B1B4B6""#;
    let mut out = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="{text_width}" w:type="dxa"/><w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/><w:insideH {border}/><w:insideV {border}/></w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#
    );
    for w in &twips {
        out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    let mut row = |cells: &[String], head: bool| {
        out.push_str("<w:tr>");
        if head {
            out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        for (i, w) in twips.iter().enumerate() {
            let text = cells.get(i).map(String::as_str).unwrap_or("");
            let shade = if head { r#"<w:shd w:val="clear" w:color="auto" w:fill="F3F2F1"/>"# } else { "" };
            out.push_str(&format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{shade}</w:tcPr>{}</w:tc>"#,
                paragraph(text, head, 18, 0, false)
            ));
        }
        out.push_str("</w:tr>");
    };
    row(header, true);
    for r in rows {
        row(r, false);
    }
    out.push_str("</w:tbl>");
    out.push_str(&paragraph("", false, 20, 120, false));
    out
}

fn body(doc: &Document) -> String {
    // A4 in twentieths of a point, with 2 cm margins.
    let (w, h) = if doc.landscape { (16838, 11906) } else { (11906, 16838) };
    let margin = 1134;
    let text_width = w - 2 * margin;
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(level, text) => {
                let size = match level {
                    1 => 40,
                    2 => 30,
                    _ => 24,
                };
                out.push_str(&format!(
                    r#"<w:p><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="{}"/></w:pPr>{}</w:p>"#,
                    level.saturating_sub(1),
                    run(text, true, size, false)
                ));
            }
            Block::Paragraph(text) => out.push_str(&paragraph(text, false, 22, 160, false)),
            Block::Note(text) => out.push_str(&paragraph(text, false, 18, 160, true)),
            Block::Bullets(items) => {
                for item in items {
                    out.push_str(&paragraph(&format!("\u{2022}  {item}"), false, 22, 80, false));
                }
            }
            Block::Table { widths, header, rows } => out.push_str(&table(widths, header, rows, text_width)),
        }
    }
    let orient = if doc.landscape { r#" w:orient="landscape""# } else { "" };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{out}<w:sectPr><w:pgSz w:w="{w}" w:h="{h}"{orient}/><w:pgMar w:top="{margin}" w:right="{margin}" w:bottom="{margin}" w:left="{margin}" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

fn core_properties(doc: &Document) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>Assure</dc:creator></cp:coreProperties>"#,
        escape(&doc.title)
    )
}

/// The document as the bytes of a .docx file.
pub fn write(doc: &Document) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", RELS.to_owned()),
        ("docProps/core.xml", core_properties(doc)),
        ("word/document.xml", body(doc)),
    ] {
        zip.start_file(name, options).map_err(std::io::Error::other)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
        let mut out = String::new();
        archive.by_name(name).expect(name).read_to_string(&mut out).expect("text");
        out
    }

    #[test]
    fn a_document_is_a_word_package_with_its_text_escaped() {
        let mut doc = Document::new("Child H: 7-minute briefing");
        doc.text("Background <b>& more</b>\nSecond line");
        doc.push(Block::Table {
            widths: vec![1, 3],
            header: vec!["Date".into(), "Event".into()],
            rows: vec![vec!["4 May 2023".into(), "Seen by \"GP\"".into()]],
        });
        let bytes = write(&doc).expect("written");
        assert!(part(&bytes, "[Content_Types].xml").contains("wordprocessingml.document.main+xml"));
        let body = part(&bytes, "word/document.xml");
        assert!(body.contains("Background &lt;b&gt;&amp; more&lt;/b&gt;"));
        assert!(body.contains("Second line"));
        assert!(body.contains("Seen by &quot;GP&quot;"));
        assert!(body.contains("<w:tblHeader/>"));
        assert!(part(&bytes, "docProps/core.xml").contains("<dc:title>Child H: 7-minute briefing</dc:title>"));
    }

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(escape("a\u{1}b\tc"), "ab\tc");
    }
}
