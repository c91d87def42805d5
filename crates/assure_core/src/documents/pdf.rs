//! A [`Document`] as PDF, typeset by Typst used as a library: tagged and PDF/UA-1 conformant
//! (title shown as the window title, language en-GB, headings in order, tables with header
//! cells, figures with alternative text), fonts embedded and subset, "Page x of y", the
//! protective marking at the top of every page, and PDF/A-2a as well when an archival copy is
//! asked for. Typst checks both standards itself and refuses a document that breaks them.
//!
//! The template (`document.typ`) is fixed and reads the document as JSON data, so nothing a
//! user typed is ever evaluated as markup. The fonts are compiled into the binary (see
//! docs/DOCUMENTS.md): DejaVu Sans, regular and bold, with Droid Sans Fallback for Chinese,
//! Japanese and Korean. Typesetting is CPU work: use-cases call it off the async runtime.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use super::Document;

const TEMPLATE: &str = include_str!("document.typ");

/// The fonts every document is set in, compiled into the binary.
static FONT_FILES: [&[u8]; 3] = [
    include_bytes!("../../fonts/DejaVuSans.ttf"),
    include_bytes!("../../fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../../fonts/DroidSansFallbackFull.ttf"),
];

/// The fonts' character maps, to know what they can print.
static FACES: LazyLock<Vec<ttf_parser::Face<'static>>> =
    LazyLock::new(|| FONT_FILES.iter().filter_map(|data| ttf_parser::Face::parse(data, 0).ok()).collect());

/// What does not change between documents: the standard library, the fonts, the template.
struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    template: Source,
    data: FileId,
}

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
    let file = |path: &str| {
        RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a fixed virtual path")).intern()
    };
    Engine {
        library: LazyHash::new(Library::builder().build()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        template: Source::new(file("/document.typ"), TEMPLATE.to_owned()),
        data: file("/document.json"),
    }
});

/// One typesetting: the engine and this document's data.
struct Typesetting {
    data: Bytes,
    today: chrono::NaiveDate,
}

impl World for Typesetting {
    fn library(&self) -> &LazyHash<Library> {
        &ENGINE.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &ENGINE.book
    }

    fn main(&self) -> FileId {
        ENGINE.template.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == ENGINE.template.id() { Ok(ENGINE.template.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == ENGINE.data { Ok(self.data.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        ENGINE.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        use chrono::Datelike;
        let d = self.today;
        Datetime::from_ymd(d.year(), u8::try_from(d.month()).ok()?, u8::try_from(d.day()).ok()?)
    }
}

/// Which conformance a PDF claims besides PDF/UA-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archival {
    /// PDF/UA-1 only.
    No,
    /// PDF/UA-1 and PDF/A-2a, for a copy kept on file.
    PdfA2,
}

/// The document as the bytes of a PDF file. An error is Typst's own words (a document that
/// breaks PDF/UA-1, which the model should never produce): an internal error for the caller.
pub fn write(doc: &Document, archival: Archival) -> Result<Vec<u8>, String> {
    let mut model = serde_json::to_value(doc.model()).map_err(|e| e.to_string())?;
    printable(&mut model);
    let data = serde_json::to_vec(&model).map_err(|e| e.to_string())?;
    let now = chrono::Utc::now();
    let world = Typesetting { data: Bytes::new(data), today: now.date_naive() };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    // Typst memoizes between compilations; keep only what recent documents used.
    typst::comemo::evict(4);
    let paged = compiled.map_err(|errors| words(errors.iter().map(|e| e.message.as_str())))?;
    let mut standards = vec![PdfStandard::Ua_1];
    if archival == Archival::PdfA2 {
        standards.push(PdfStandard::A_2a);
    }
    let options = PdfOptions {
        ident: typst::foundations::Smart::Custom(doc.title.clone()),
        creator: typst::foundations::Smart::Custom(Some("Assure".into())),
        timestamp: Some(timestamp(now)),
        standards: PdfStandards::new(&standards).map_err(|e| e.message().to_string())?,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&paged, &options).map_err(|errors| words(errors.iter().map(|e| e.message.as_str())))
}

/// Text as the fonts can print it. PDF/UA-1 refuses a character no embedded font can show, so
/// what people type is made printable first: a tab is a space, other control characters and
/// invisible format characters (zero-width spaces, byte-order marks, direction overrides) are
/// left out, and any other character the fonts lack is shown as "�", so a reader sees that
/// something was there. Figures' SVG is left as drawn.
fn printable(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(text) if text.chars().any(|c| !shown(c)) => {
            *text = text
                .chars()
                .filter_map(|c| match c {
                    '\t' => Some(' '),
                    '\n' => Some('\n'),
                    c if c.is_control() || is_format(c) => None,
                    c if shown(c) => Some(c),
                    _ => Some(REPLACEMENT),
                })
                .collect();
        }
        Value::Array(items) => items.iter_mut().for_each(printable),
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if key != "svg" {
                    printable(field);
                }
            }
        }
        _ => {}
    }
}

/// What stands for a character the fonts lack.
const REPLACEMENT: char = '\u{FFFD}';

/// Whether an embedded font has the character (a newline is a line break, always fine).
fn shown(c: char) -> bool {
    c == '\n'
        || (!c.is_control()
            && !is_format(c)
            && FACES.iter().any(|f| f.glyph_index(c).is_some_and(|glyph| glyph.0 != 0)))
}

/// Invisible characters that change how text is laid out or read, never printed themselves.
fn is_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

fn timestamp(now: chrono::DateTime<chrono::Utc>) -> typst_pdf::Timestamp {
    use chrono::{Datelike, Timelike};
    let at = Datetime::from_ymd_hms(
        now.year(),
        now.month() as u8,
        now.day() as u8,
        now.hour() as u8,
        now.minute() as u8,
        now.second() as u8,
    )
    .expect("a valid date and time");
    typst_pdf::Timestamp::new_utc(at)
}

fn words<'a>(messages: impl Iterator<Item = &'a str>) -> String {
    format!("the PDF could not be typeset: {}", messages.collect::<Vec<_>>().join("; "))
}

#[cfg(test)]
mod tests {
    //! Every PDF is opened by tools independent of the engine that wrote it: poppler's
    //! `pdfinfo`, `pdftotext` and `pdffonts`, and `qpdf` to expand the file's structure.
    use std::process::Command;

    use super::*;
    use crate::documents::{Block, Cell, Marking, Table};

    /// The sentence every writer must keep exactly.
    const SENTENCE: &str = "Zoë Łukasiewicz-Nguyễn, Siobhán O'Brien — “quoted” ≥ 5 … 李雷";

    fn sample() -> Document {
        let mut doc = Document::new("Child K: 7-minute briefing 2025–27").marked(Marking::OfficialSensitive);
        doc.push(Block::Note("Produced by Assure.".into()));
        doc.heading(2, "Background");
        doc.push(Block::Paragraph(SENTENCE.into()));
        doc.push(Block::Paragraph("#import \"x.typ\": * $x$ *not bold* _not emphasis_ @label <tag> \\".into()));
        doc.heading(3, "People");
        doc.push(Block::Bullets(vec!["First".into(), "Second".into()]));
        let mut t = Table::new(["Agency", "Referrals"], &[3, 1]);
        t.row([Cell::from("Essex Police"), Cell::integer(1200)]);
        doc.table(t);
        doc.push(Block::Figure {
            svg: r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="120" height="80" fill="#1d70b8"/></svg>"##.into(),
            alt: "Referrals rose from 900 to 1,200".into(),
            caption: "Referrals by year".into(),
            chart: None,
        });
        doc.push(Block::Facts(vec![
            crate::documents::Fact::new("3", "Reviews concluded"),
            crate::documents::Fact::new("1,200", "Referrals in the year"),
        ]));
        doc
    }

    fn run(tool: &str, args: &[&str]) -> String {
        let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
            panic!("{tool} must be installed (poppler-utils, qpdf; scripts/test installs them): {e}")
        });
        assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `pdfinfo`'s report, one "Key: value" a line with single spaces.
    fn info(path: &str) -> String {
        run("pdfinfo", &[path])
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn written(archival: Archival) -> (tempfile::TempDir, String) {
        let bytes = write(&sample(), archival).expect("typeset");
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("doc.pdf");
        std::fs::write(&path, bytes).expect("written");
        let path = path.to_string_lossy().into_owned();
        (dir, path)
    }

    #[test]
    fn a_pdf_is_tagged_accessible_and_keeps_every_character() {
        let (_dir, path) = written(Archival::No);
        let info = info(&path);
        assert!(info.contains("Tagged: yes"), "{info}");
        assert!(info.contains("Title: Child K: 7-minute briefing 2025–27"), "{info}");
        assert!(info.contains("Page size: 595.276 x 841.89 pts (A4)"), "{info}");
        let text = run("pdftotext", &["-enc", "UTF-8", &path, "-"]);
        assert!(text.contains(SENTENCE), "{text}");
        assert!(text.contains("#import \"x.typ\": * $x$ *not bold* _not emphasis_ @label <tag> \\"), "{text}");
        assert!(text.contains("OFFICIAL-SENSITIVE") && text.contains("Page 1 of 1"), "{text}");
        assert!(text.contains("1,200"), "{text}");
        assert!(text.contains("Reviews concluded") && text.contains("Referrals in the year"), "the tiles: {text}");
        let fonts = run("pdffonts", &[&path]);
        assert!(fonts.contains("DejaVuSans") && fonts.contains("DroidSansFallback"), "{fonts}");
        for line in fonts.lines().skip(2) {
            let columns: Vec<&str> = line.split_whitespace().collect();
            // name, type..., emb, sub, uni, object, id: every font embedded and subset.
            assert_eq!(columns[columns.len() - 5..columns.len() - 3], ["yes", "yes"], "{line}");
        }
        let dir = tempfile::tempdir().expect("a folder");
        let expanded = dir.path().join("expanded.pdf");
        let expanded = expanded.to_string_lossy();
        run("qpdf", &["--qdf", "--object-streams=disable", &path, &expanded]);
        let raw = String::from_utf8_lossy(&std::fs::read(&*expanded).expect("expanded")).into_owned();
        for needle in
            ["/StructTreeRoot", "/Lang (en-GB)", "/DisplayDocTitle true", "pdfuaid:part>1<", "/Alt (Referrals rose"]
        {
            assert!(raw.contains(needle), "{needle} is missing");
        }
        for role in ["/S /H1", "/S /H2", "/S /H3", "/S /Table", "/S /TH", "/S /TD", "/S /L", "/S /Figure"] {
            assert!(raw.contains(role), "no {role} in the structure tree");
        }
    }

    #[test]
    fn what_no_font_can_print_is_shown_as_a_replacement_never_refused() {
        let mut doc = Document::new("");
        doc.heading(2, " ");
        doc.push(Block::Paragraph(
            "Tab\there, \u{FEFF}hidden\u{202E} marks, a private \u{E000} sign, Lao \u{0EA8}.".into(),
        ));
        let bytes = write(&doc, Archival::No).expect("typeset");
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("doc.pdf");
        std::fs::write(&path, bytes).expect("written");
        let text = run("pdftotext", &["-enc", "UTF-8", &path.to_string_lossy(), "-"]);
        assert!(text.contains("Tab here, hidden marks, a private \u{FFFD} sign, Lao \u{FFFD}."), "{text}");
        assert!(text.contains("(untitled)"), "an empty title or heading is named: {text}");
    }

    #[test]
    fn an_archival_copy_is_pdf_a_as_well() {
        let (_dir, path) = written(Archival::PdfA2);
        let dir = tempfile::tempdir().expect("a folder");
        let expanded = dir.path().join("expanded.pdf");
        let expanded = expanded.to_string_lossy();
        run("qpdf", &["--qdf", "--object-streams=disable", &path, &expanded]);
        let raw = String::from_utf8_lossy(&std::fs::read(&*expanded).expect("expanded")).into_owned();
        assert!(raw.contains("pdfaid:part>2<") && raw.contains("pdfaid:conformance>A<"), "not PDF/A-2a");
        assert!(raw.contains("pdfuaid:part>1<"), "not PDF/UA-1");
    }

    #[test]
    fn a_long_document_numbers_every_page_of_the_whole() {
        let mut doc = Document::new("A long document");
        for n in 0..50 {
            doc.heading(2, format!("Section {n}"));
            for _ in 0..8 {
                doc.push(Block::Paragraph(SENTENCE.repeat(4)));
            }
        }
        let started = std::time::Instant::now();
        let bytes = write(&doc, Archival::No).expect("typeset");
        let took = started.elapsed();
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("long.pdf");
        std::fs::write(&path, bytes).expect("written");
        let info = info(&path.to_string_lossy());
        let pages: u32 = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .expect("a page count");
        assert!(pages >= 20, "{pages} pages");
        let text = run("pdftotext", &["-enc", "UTF-8", &path.to_string_lossy(), "-"]);
        assert!(text.contains(&format!("Page 2 of {pages}")) && text.contains(&format!("Page {pages} of {pages}")));
        // Printed, not asserted: a timing is a measurement (the benchmark), never a test.
        eprintln!("{pages} pages typeset in {took:?}");
    }
}
