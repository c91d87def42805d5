//! Documents Assure produces for people to publish, file, print and send. A document is built
//! once as a model ([`Document`]: title, language, protective marking, and blocks of headings,
//! paragraphs, lists, tables with header rows and figures with alternative text) and rendered
//! from that model to PDF ([`pdf`], typeset by Typst: tagged, PDF/UA-1, fonts embedded), Word
//! ([`docx`]: real heading and list styles, header and footer) and accessible HTML ([`html`]).
//! Tables of data go out as spreadsheets ([`xlsx`]: typed cells, print setup) and CSV (one
//! writer, `assure_domain::cells`). Every download is named for what it is ([`file_name`]).
//!
//! docs/DOCUMENTS.md describes the model, the engine, the fonts and how to add a document.

pub mod chart;
pub mod docx;
pub mod html;
pub mod pdf;
pub mod trend;
pub mod xlsx;

use assure_domain::reviews::chronology::{ChronoDate, Precision};
use chrono::NaiveDate;
use serde::Serialize;

/// The language every document declares (PDF `/Lang`, Word's proofing language, HTML `lang`).
pub const LANGUAGE: &str = "en-GB";

/// A Government Security Classifications marking, printed at the top of every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    /// Routine business: published and shared material.
    Official,
    /// Restricted review and audit material: special-category personal data.
    OfficialSensitive,
}

impl Marking {
    /// The marking of a record of this kind: restricted records (reviews, chronologies,
    /// audit returns) are OFFICIAL-SENSITIVE, the rest OFFICIAL.
    pub fn of(kind: assure_domain::authz::ResourceKind) -> Marking {
        if kind.always_restricted() { Marking::OfficialSensitive } else { Marking::Official }
    }

    pub fn label(self) -> &'static str {
        match self {
            Marking::Official => "OFFICIAL",
            Marking::OfficialSensitive => "OFFICIAL-SENSITIVE",
        }
    }
}

/// A cell of a table: typed, so that a spreadsheet holds numbers and dates, not text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number shown with this many decimal places.
    Number(f64, u8),
    /// A date shown to its precision: "4 May 2023", "May 2023", "2023".
    Date(NaiveDate, Precision),
}

impl Cell {
    pub fn integer(value: i64) -> Cell {
        // Counts in Assure are far below 2^53: exact as a spreadsheet number.
        Cell::Number(value as f64, 0)
    }

    pub fn day(on: NaiveDate) -> Cell {
        Cell::Date(on, Precision::Day)
    }

    /// Text, or an empty cell when there is none.
    pub fn text(value: Option<impl Into<String>>) -> Cell {
        match value.map(Into::into) {
            Some(t) if !t.is_empty() => Cell::Text(t),
            _ => Cell::Empty,
        }
    }

    /// A number, or an empty cell when there is none (never the word "none").
    pub fn number(value: Option<f64>, decimals: u8) -> Cell {
        value.filter(|v| v.is_finite()).map_or(Cell::Empty, |v| Cell::Number(v, decimals))
    }

    /// The cell as a person reads it in a PDF, a Word table or HTML.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(v, decimals) if *decimals == 0 => assure_domain::cells::thousands(v.round() as i64),
            Cell::Number(v, decimals) => format!("{v:.*}", usize::from(*decimals)),
            Cell::Date(on, precision) => ChronoDate { on: *on, precision: *precision }.display(),
        }
    }
}

impl From<String> for Cell {
    fn from(t: String) -> Cell {
        if t.is_empty() { Cell::Empty } else { Cell::Text(t) }
    }
}

impl From<&str> for Cell {
    fn from(t: &str) -> Cell {
        Cell::from(t.to_owned())
    }
}

impl From<ChronoDate> for Cell {
    fn from(d: ChronoDate) -> Cell {
        Cell::Date(d.on, d.precision)
    }
}

/// A table: its header row (repeated on every page), each column's share of the width, rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub widths: Vec<u32>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>, widths: &[u32]) -> Table {
        Table { header: header.into_iter().map(Into::into).collect(), widths: widths.to_vec(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: impl IntoIterator<Item = Cell>) {
        self.rows.push(cells.into_iter().collect());
    }
}

/// A block of a document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 is the title (one, first); 2 and 3 are section headings, in order.
    Heading(u8, String),
    Paragraph(String),
    /// Small grey text: the document's provenance, "restricted" notices.
    Note(String),
    Bullets(Vec<String>),
    Table(Table),
    /// A chart or picture as SVG, with the alternative text a screen reader reads and a caption;
    /// a chart also carries its figures, so that Word draws it as a chart of its own.
    Figure {
        svg: String,
        alt: String,
        caption: String,
        chart: Option<chart::LineChart>,
    },
    /// Key figures as tiles, each a figure with what it counts ("2", "case reviews concluded"):
    /// a yearly report's "at a glance".
    Facts(Vec<Fact>),
    /// An Easy Read paragraph: its picture on the left (if it has one), the words beside it.
    Pictured {
        picture: Option<Picture>,
        text: String,
    },
}

/// A picture of Assure's own shipped set (never a user's upload), as SVG, with what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub svg: &'static str,
    pub alt: String,
}

/// One key figure: the figure as printed, and what it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub figure: String,
    pub label: String,
}

impl Fact {
    pub fn new(figure: impl Into<String>, label: impl Into<String>) -> Fact {
        Fact { figure: figure.into(), label: label.into() }
    }

    /// The facts as a table of two columns, for the formats that set no tiles (Word).
    pub fn table(facts: &[Fact]) -> Table {
        let mut t = Table::new(["Figure", "What it counts"], &[1, 4]);
        for f in facts {
            t.row([Cell::from(f.figure.as_str()), Cell::from(f.label.as_str())]);
        }
        t
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub marking: Option<Marking>,
    pub landscape: bool,
    /// Large type, for Easy Read: the text at 14 points (Word: 14), the headings in step.
    pub large_type: bool,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>) -> Document {
        let title = title.into();
        Document {
            blocks: vec![Block::Heading(1, title.clone())],
            title,
            marking: None,
            landscape: false,
            large_type: false,
        }
    }

    pub fn large_type(mut self) -> Document {
        self.large_type = true;
        self
    }

    pub fn landscape(mut self) -> Document {
        self.landscape = true;
        self
    }

    pub fn marked(mut self, marking: Marking) -> Document {
        self.marking = Some(marking);
        self
    }

    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.push(Block::Heading(level, text.into()));
    }

    pub fn table(&mut self, table: Table) {
        self.push(Block::Table(table));
    }

    /// A paragraph per line of `text` that is not blank.
    pub fn text(&mut self, text: &str) {
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            self.push(Block::Paragraph(line.to_owned()));
        }
    }

    /// How many section headings the document has: Word gets a table of contents past a few.
    pub fn sections(&self) -> usize {
        self.blocks.iter().filter(|b| matches!(b, Block::Heading(2, _))).count()
    }
}

/// What a document is rendered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tagged PDF, PDF/UA-1.
    Pdf,
    /// Tagged PDF, PDF/UA-1 and PDF/A-2a: a copy to keep on file.
    ArchivalPdf,
    Docx,
    Html,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf | Format::ArchivalPdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Html => "text/html; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf | Format::ArchivalPdf => "pdf",
            Format::Docx => "docx",
            Format::Html => "html",
        }
    }
}

/// The content type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A rendered document, ready to download under its own name.
#[derive(Debug)]
pub struct Download {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl crate::Core {
    /// Renders a document off the async runtime, on the rendering threads (a full queue is
    /// "busy", never a stalled request), named by `name` and today's date ([`file_name`]).
    pub async fn render(&self, doc: Document, format: Format, name: &[&str]) -> crate::CoreResult<Download> {
        let bytes = self.rendering.run(move || render(&doc, format)).await?.map_err(crate::CoreError::Internal)?;
        let file_name = file_name(name, self.today(), format.extension());
        Ok(Download { file_name, content_type: format.content_type(), bytes })
    }

    /// A download's name from what it is and today's date ([`file_name`]), for files the web
    /// layer writes itself (CSV).
    pub fn download_name(&self, parts: &[&str], extension: &str) -> String {
        file_name(parts, self.today(), extension)
    }

    /// Writes a workbook off the async runtime, named as [`crate::Core::render`] names documents.
    pub async fn render_workbook(&self, book: xlsx::Workbook, name: &[&str]) -> crate::CoreResult<Download> {
        let bytes = self.rendering.run(move || book.write()).await?.map_err(crate::CoreError::Internal)?;
        Ok(Download { file_name: file_name(name, self.today(), "xlsx"), content_type: XLSX, bytes })
    }
}

/// Renders a document on this thread (CPU work: from async code use [`crate::Core::render`]).
pub fn render(doc: &Document, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Pdf => pdf::write(doc, pdf::Archival::No),
        Format::ArchivalPdf => pdf::write(doc, pdf::Archival::PdfA2),
        Format::Docx => docx::write(doc).map_err(|e| e.to_string()),
        Format::Html => Ok(html::write(doc).into_bytes()),
    }
}

/// A download's file name, from what it is about to what it is, and the day it was made:
/// `file_name(&["Child K", "chronology"], day, "xlsx")` is `child-k-chronology-2026-11-28.xlsx`.
/// Only lower-case ASCII letters, digits and hyphens: safe on every system and in a header.
pub fn file_name(parts: &[&str], on: NaiveDate, extension: &str) -> String {
    let mut slug = String::new();
    for part in parts.iter().copied().chain([on.to_string().as_str()]) {
        for c in part.chars().flat_map(fold) {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let cut: String = slug.chars().take(120).collect();
    format!("{}.{extension}", cut.trim_end_matches('-'))
}

/// A letter without its accents, for file names ("Siobhán" is "siobhan", "Ł" is "l").
fn fold(c: char) -> impl Iterator<Item = char> {
    let plain = match c {
        'à'..='å' | 'ā' | 'ą' => "a",
        'À'..='Å' | 'Ā' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'è'..='ë' | 'ē' | 'ę' | 'ě' | 'ễ' | 'ệ' | 'ế' | 'ề' => "e",
        'È'..='Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì'..='ï' | 'ī' => "i",
        'Ì'..='Ï' | 'Ī' => "I",
        'ł' => "l",
        'Ł' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ś' | 'š' => "s",
        'Ś' | 'Š' => "S",
        'ù'..='ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ù'..='Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ß' => "ss",
        '&' => "and",
        _ => "",
    };
    let own = plain.is_empty().then_some(c);
    plain.chars().chain(own)
}

/// A document's blocks as the data the PDF template reads (JSON): text stays text, never markup.
#[derive(Serialize)]
struct Model<'a> {
    title: &'a str,
    language: &'a str,
    marking: Option<&'static str>,
    landscape: bool,
    large: bool,
    blocks: Vec<serde_json::Value>,
}

impl Document {
    fn model(&self) -> Model<'_> {
        use serde_json::json;
        let blocks = self
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading(level, text) => json!({"kind": "heading", "level": level, "text": text}),
                Block::Paragraph(text) => json!({"kind": "paragraph", "text": text}),
                Block::Note(text) => json!({"kind": "note", "text": text}),
                Block::Bullets(items) => json!({"kind": "list", "items": items}),
                Block::Table(t) => json!({
                    "kind": "table",
                    "header": t.header,
                    "widths": t.widths,
                    "numeric": (0..t.header.len())
                        .map(|c| t.rows.iter().any(|r| matches!(r.get(c), Some(Cell::Number(..)))))
                        .collect::<Vec<_>>(),
                    "rows": t.rows.iter().map(|r| (0..t.header.len())
                        .map(|c| r.get(c).map(Cell::shown).unwrap_or_default())
                        .collect::<Vec<_>>()).collect::<Vec<_>>(),
                }),
                Block::Figure { svg, alt, caption, .. } => {
                    json!({"kind": "figure", "svg": svg, "alt": alt, "caption": caption})
                }
                Block::Facts(facts) => json!({
                    "kind": "facts",
                    "facts": facts.iter().map(|f| json!({"figure": f.figure, "label": f.label})).collect::<Vec<_>>(),
                }),
                Block::Pictured { picture, text } => json!({
                    "kind": "pictured",
                    "svg": picture.as_ref().map(|p| p.svg),
                    "alt": picture.as_ref().map(|p| p.alt.as_str()),
                    "text": text,
                }),
            })
            .collect();
        Model {
            title: &self.title,
            language: LANGUAGE,
            marking: self.marking.map(Marking::label),
            landscape: self.landscape,
            large: self.large_type,
            blocks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_say_what_and_when_in_safe_characters() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(file_name(&["Child K", "chronology"], day, "xlsx"), "child-k-chronology-2026-11-28.xlsx");
        assert_eq!(
            file_name(&["Section 11 2025–27", "Southend City Council", "return"], day, "pdf"),
            "section-11-2025-27-southend-city-council-return-2026-11-28.pdf"
        );
        assert_eq!(file_name(&["Siobhán Łukasz & Co.", ""], day, "docx"), "siobhan-lukasz-and-co-2026-11-28.docx");
        assert_eq!(file_name(&["李雷"], day, "pdf"), "2026-11-28.pdf");
        assert!(file_name(&[&"x".repeat(500)], day, "pdf").len() <= 124);
    }

    #[test]
    fn cells_are_shown_as_people_read_them() {
        assert_eq!(Cell::integer(1200).shown(), "1,200");
        assert_eq!(Cell::Number(2.25, 1).shown(), "2.2");
        assert_eq!(Cell::number(None, 1), Cell::Empty);
        assert_eq!(Cell::number(Some(f64::NAN), 1), Cell::Empty);
        let may = NaiveDate::from_ymd_opt(2023, 5, 4).unwrap();
        assert_eq!(Cell::Date(may, Precision::Month).shown(), "May 2023");
        assert_eq!(Cell::day(may).shown(), "4 May 2023");
        assert_eq!(Cell::from(""), Cell::Empty);
    }
}
