//! A [`Document`] as a PDF: A4 pages set in the standard Helvetica faces (every PDF reader has
//! them, so nothing is embedded), text wrapped by the faces' published character widths, tables
//! with ruled cells whose header repeats on each new page.

use std::fmt::Write as _;

use super::{Block, Document};

/// Helvetica's advance widths (thousandths of the font size) for the printable ASCII
/// characters, from the font's Adobe metrics.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
    556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
    260, 334, 584,
];

/// Helvetica-Bold's advance widths for the printable ASCII characters.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611,
    556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389,
    280, 389, 584,
];

/// A character in the fonts' WinAnsi encoding; anything it cannot show becomes '?'.
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{A0}'..='\u{FF}' => c as u32 as u8,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201C}' => 0x93,
        '\u{201D}' => 0x94,
        '\u{2022}' => 0x95,
        '\u{2013}' => 0x96,
        '\u{2014}' => 0x97,
        '\u{20AC}' => 0x80,
        '\t' => b' ',
        _ => b'?',
    }
}

fn width(text: &str, size: f32, bold: bool) -> f32 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    let units: u32 = text
        .chars()
        .map(|c| {
            let b = win_ansi(c);
            if (32..127).contains(&b) { u32::from(table[usize::from(b - 32)]) } else { 556 }
        })
        .sum();
    units as f32 * size / 1000.0
}

/// Splits text into lines no wider than `max`, breaking at spaces (and inside words too long
/// for a line). Existing line breaks are kept.
fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if width(&candidate, size, bold) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is cut where it must be.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if width(&piece, size, bold) > max && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

/// A PDF string literal in WinAnsi, with its delimiters escaped.
fn literal(text: &str) -> String {
    let mut out = String::from("(");
    for c in text.chars() {
        match win_ansi(c) {
            b'(' => out.push_str("\\("),
            b')' => out.push_str("\\)"),
            b'\\' => out.push_str("\\\\"),
            b if b < 128 => out.push(char::from(b)),
            b => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push(')');
    out
}

const MARGIN: f32 = 50.0;

struct Layout {
    page_w: f32,
    page_h: f32,
    pages: Vec<String>,
    current: String,
    y: f32,
}

impl Layout {
    fn new(landscape: bool) -> Layout {
        let (page_w, page_h) = if landscape { (842.0, 595.0) } else { (595.0, 842.0) };
        Layout { page_w, page_h, pages: Vec::new(), current: String::new(), y: page_h - MARGIN }
    }

    fn text_width(&self) -> f32 {
        self.page_w - 2.0 * MARGIN
    }

    fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.current));
        self.y = self.page_h - MARGIN;
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn room_for(&mut self, height: f32) {
        if self.y - height < MARGIN && self.y < self.page_h - MARGIN {
            self.new_page();
        }
    }

    fn show(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool, grey: bool) {
        let font = if bold { "F2" } else { "F1" };
        let colour = if grey { "0.31 0.35 0.37 rg" } else { "0.04 0.05 0.05 rg" };
        let _ = writeln!(self.current, "BT {colour} /{font} {size} Tf {x:.2} {y:.2} Td {} Tj ET", literal(text));
    }

    fn lines(&mut self, text: &str, size: f32, bold: bool, grey: bool, indent: f32, after: f32) {
        let leading = size * 1.35;
        for line in wrap(text, size, bold, self.text_width() - indent) {
            self.room_for(leading);
            self.y -= leading;
            self.show(MARGIN + indent, self.y + size * 0.25, &line, size, bold, grey);
        }
        self.y -= after;
    }

    fn table(&mut self, widths: &[u32], header: &[String], rows: &[Vec<String>]) {
        let total: u32 = widths.iter().sum::<u32>().max(1);
        let cols: Vec<f32> = widths.iter().map(|w| self.text_width() * *w as f32 / total as f32).collect();
        let size = 8.5;
        let leading = size * 1.3;
        let pad = 3.0;
        let wrapped = |cells: &[String], bold: bool| -> Vec<Vec<String>> {
            cols.iter()
                .enumerate()
                .map(|(i, w)| wrap(cells.get(i).map(String::as_str).unwrap_or(""), size, bold, w - 2.0 * pad))
                .collect()
        };
        let head = wrapped(header, true);
        let head_height = head.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 2.0 * pad;
        let draw = |layout: &mut Layout, cells: &[Vec<String>], bold: bool, height: f32| {
            let top = layout.y;
            let mut x = MARGIN;
            if bold {
                let _ = writeln!(
                    layout.current,
                    "0.95 0.95 0.95 rg {x:.2} {:.2} {:.2} {height:.2} re f",
                    top - height,
                    layout.text_width()
                );
            }
            for (i, w) in cols.iter().enumerate() {
                let _ = writeln!(
                    layout.current,
                    "0.69 0.71 0.71 RG 0.5 w {x:.2} {:.2} {w:.2} {height:.2} re S",
                    top - height
                );
                for (n, line) in cells[i].iter().enumerate() {
                    let baseline = top - pad - leading * (n as f32 + 1.0) + size * 0.3;
                    layout.show(x + pad, baseline, line, size, bold, false);
                }
                x += w;
            }
            layout.y -= height;
        };
        self.room_for(head_height + leading + 2.0 * pad);
        draw(self, &head, true, head_height);
        for row in rows {
            let cells = wrapped(row, false);
            let height = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 2.0 * pad;
            if self.y - height < MARGIN {
                self.new_page();
                draw(self, &head, true, head_height);
            }
            draw(self, &cells, false, height);
        }
        self.y -= 12.0;
    }
}

/// The document as the bytes of a PDF file.
pub fn write(doc: &Document) -> Vec<u8> {
    let mut layout = Layout::new(doc.landscape);
    for block in &doc.blocks {
        match block {
            Block::Heading(level, text) => {
                let size = match level {
                    1 => 20.0,
                    2 => 14.0,
                    _ => 11.5,
                };
                layout.room_for(size * 4.0);
                layout.y -= size * 0.5;
                layout.lines(text, size, true, false, 0.0, size * 0.4);
            }
            Block::Paragraph(text) => layout.lines(text, 10.5, false, false, 0.0, 6.0),
            Block::Note(text) => layout.lines(text, 8.5, false, true, 0.0, 6.0),
            Block::Bullets(items) => {
                for item in items {
                    let before = layout.y;
                    layout.lines(item, 10.5, false, false, 14.0, 3.0);
                    // The bullet sits on the item's first line, on whichever page that is.
                    let first_line =
                        if layout.y < before { before - 10.5 * 1.35 } else { layout.page_h - MARGIN - 10.5 * 1.35 };
                    layout.show(MARGIN + 3.0, first_line + 10.5 * 0.25, "\u{2022}", 10.5, false, false);
                }
                layout.y -= 4.0;
            }
            Block::Table { widths, header, rows } => layout.table(widths, header, rows),
        }
    }
    layout.pages.push(std::mem::take(&mut layout.current));

    // Objects: 1 catalog, 2 page tree, 3 and 4 fonts, 5 info, then a page and its content each.
    let mut objects: Vec<String> = Vec::new();
    let kids: Vec<String> = (0..layout.pages.len()).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), layout.pages.len()));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into());
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".into());
    objects.push(format!("<< /Title {} /Producer (Assure) >>", literal(&doc.title)));
    for (i, content) in layout.pages.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
            layout.page_w,
            layout.page_h,
            7 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{content}endstream", content.len()));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        // Each entry is exactly 20 bytes: the offset, the generation, 'n', a space and a newline.
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ =
        write!(table, "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    out.extend_from_slice(table.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_within_the_width_and_keep_every_word() {
        let text = "Practitioners should use the neglect toolkit when a family misses three health appointments";
        let lines = wrap(text, 10.5, false, 150.0);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(width(line, 10.5, false) <= 150.0, "{line}");
        }
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("a\nb", 10.0, false, 100.0), vec!["a", "b"]);
    }

    #[test]
    fn strings_are_escaped_and_encoded() {
        assert_eq!(literal("a (b) \\ £5 – ok"), "(a \\(b\\) \\\\ \\2435 \\226 ok)");
        assert_eq!(literal("\u{4e2d}"), "(?)");
    }

    /// Every offset in the cross-reference table points at its object.
    #[test]
    fn the_cross_reference_table_is_exact_across_pages() {
        let mut doc = Document::new("Chronology");
        let rows: Vec<Vec<String>> =
            (0..200).map(|i| vec![format!("{i} May 2023"), format!("Entry number {i} with some words")]).collect();
        doc.push(Block::Table { widths: vec![1, 3], header: vec!["Date".into(), "Event".into()], rows });
        let bytes = write(&doc);
        // Byte for byte, so that offsets stay true.
        let text: String = bytes.iter().map(|b| if b.is_ascii() { char::from(*b) } else { '?' }).collect();
        assert!(text.starts_with("%PDF-1.4"));
        assert!(text.trim_end().ends_with("%%EOF"));
        let start: usize = text
            .split("startxref\n")
            .nth(1)
            .and_then(|s| s.lines().next())
            .and_then(|s| s.parse().ok())
            .expect("startxref");
        assert!(text[start..].starts_with("xref"));
        let entries: Vec<usize> = text[start..]
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .map(|l| l[..10].parse().expect("offset"))
            .collect();
        assert!(entries.len() > 8, "more than one page: {}", entries.len());
        for (i, offset) in entries.iter().enumerate() {
            assert!(text[*offset..].starts_with(&format!("{} 0 obj", i + 1)), "object {}", i + 1);
        }
        assert!(text.contains("(Entry number 199 with some words) Tj"));
        assert!(text.contains("(Date) Tj"), "the header is drawn");
    }
}
