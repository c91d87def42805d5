//! Fuzz targets for every reader of outside input: uploaded tables (CSV and XLSX), attendance
//! grids (their seats, dates and cells), frameworks (YAML and XLSX), return templates (YAML and XLSX) and
//! returns' answers, published statistics,
//! record-level extracts, survey question sets and answers, and the document engine (text people
//! type, typeset into PDF, Word and workbooks). Each target feeds a reader random bytes and
//! mutations of a well-formed file, and checks that it answers (a value, or a
//! refusal with a message) without panicking: a panic hook counts panics, even those a reader
//! catches itself.
//!
//! `scripts/test` runs each target for `ASSURE_FUZZ_CASES` inputs (default 300); run longer by
//! hand with, for example, `ASSURE_FUZZ_CASES=100000 cargo test --release -p assure_core --test fuzz`.
//! Each target prints how many inputs it tried.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use assure_core::tables::{Limits, read_sheets, read_table};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

static PANICS: AtomicUsize = AtomicUsize::new(0);
static HOOK: Once = Once::new();

/// Counts every panic (including those caught inside a reader), then reports it as usual.
fn count_panics() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

fn cases() -> u32 {
    std::env::var("ASSURE_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
}

/// Runs `check` on `cases()` inputs from `strategy`, and reports how many were tried.
fn fuzz<S: Strategy>(name: &str, strategy: S, check: impl Fn(S::Value)) {
    fuzz_cases(name, cases(), strategy, check)
}

/// [`fuzz`] with its own number of inputs (for a target whose every input is costly).
fn fuzz_cases<S: Strategy>(name: &str, cases: u32, strategy: S, check: impl Fn(S::Value)) {
    count_panics();
    let before = PANICS.load(Ordering::SeqCst);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let tried = AtomicUsize::new(0);
    runner
        .run(&strategy, |input| {
            tried.fetch_add(1, Ordering::SeqCst);
            check(input);
            Ok(())
        })
        .unwrap();
    let panics = PANICS.load(Ordering::SeqCst) - before;
    println!("fuzz {name}: {} inputs tried, {panics} panics", tried.load(Ordering::SeqCst));
    assert_eq!(panics, 0, "{name}: a reader panicked");
}

/// Edits of a well-formed file: bytes replaced, inserted and removed at random places, or the
/// file cut short.
fn mutations(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = seed.len().max(1);
    (prop::collection::vec((0..len, any::<u8>(), 0..3u8), 1..16), 0..=len).prop_map(move |(edits, cut)| {
        let mut bytes = seed.clone();
        for (at, byte, kind) in edits {
            let at = at.min(bytes.len());
            match kind {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        if cut < bytes.len() / 2 {
            bytes.truncate(bytes.len() - cut);
        }
        bytes
    })
}

fn answered(result: Result<impl Sized, String>) {
    if let Err(message) = result {
        assert!(!message.trim().is_empty(), "a refusal without a message");
    }
}

const TEST_LIMITS: Limits = Limits::CHRONOLOGY;

const CHRONOLOGY: &str = "Date,Time,Source,Event,Agency comment\n2024-01-10,,GP record,\"Seen, then referred\",\n04/05/2023,14:30,Case note,Home visit,Follow up\nMay 2023,,School log,Absent,\n";

fn chronology_workbook() -> Vec<u8> {
    let rows = vec![
        vec!["2024-01-10".to_owned(), "".into(), "GP record".into(), "Seen by the GP".into(), "".into()],
        vec!["May 2023".to_owned(), "".into(), "School log".into(), "Absent".into(), "".into()],
    ];
    assure_core::documents::xlsx::text_workbook("Chronology", &assure_domain::reviews::chronology::COLUMNS, &rows)
        .unwrap()
}

#[test]
fn csv_uploads() {
    fuzz("csv upload (random bytes)", prop::collection::vec(any::<u8>(), 0..4096), |bytes| {
        answered(read_table("x.csv", &bytes, &TEST_LIMITS));
    });
    fuzz("csv upload (mutated chronology)", mutations(CHRONOLOGY.as_bytes().to_vec()), |bytes| {
        answered(read_table("x.csv", &bytes, &TEST_LIMITS));
    });
}

#[test]
fn xlsx_uploads() {
    fuzz("xlsx upload (mutated workbook)", mutations(chronology_workbook()), |bytes| {
        answered(read_table("x.xlsx", &bytes, &TEST_LIMITS));
    });
    fuzz("xlsx upload (random bytes)", prop::collection::vec(any::<u8>(), 0..2048), |bytes| {
        answered(read_table("x.xlsx", &bytes, &TEST_LIMITS));
    });
}

/// A workbook whose worksheet and shared strings are made of fuzzed pieces: references,
/// ranges, counts, cell types and values, in a well-formed package.
fn fuzzed_sheet() -> impl Strategy<Value = Vec<u8>> {
    let reference = "[A-Za-z]{0,5}[0-9]{0,9}";
    let dimension =
        prop_oneof![Just(String::new()), reference, (reference, reference).prop_map(|(a, b)| format!("{a}:{b}"))];
    let kind =
        prop_oneof![Just(""), Just("s"), Just("str"), Just("inlineStr"), Just("b"), Just("e"), Just("n"), Just("d")];
    let cell = (reference, kind, "[ -~]{0,12}", 0..4u8);
    (dimension, prop::collection::vec(cell, 0..24), "[0-9]{0,14}", prop::collection::vec("[ -~]{0,8}", 0..6))
        .prop_map(|(dimension, cells, declared, strings)| {
            let mut sheet = String::new();
            if !dimension.is_empty() {
                sheet.push_str(&format!(r#"<dimension ref="{dimension}"/>"#));
            }
            sheet.push_str("<sheetData><row>");
            for (r, t, v, style) in cells {
                let v = v.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
                let reference = if r.is_empty() { String::new() } else { format!(r#" r="{r}""#) };
                let t = if t.is_empty() { String::new() } else { format!(r#" t="{t}""#) };
                if t.contains("inlineStr") {
                    sheet.push_str(&format!(r#"<c{reference}{t} s="{style}"><is><t>{v}</t></is></c>"#));
                } else {
                    sheet.push_str(&format!(r#"<c{reference}{t} s="{style}"><v>{v}</v></c>"#));
                }
            }
            sheet.push_str("</row></sheetData>");
            let mut sst = format!(
                r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{}">"#,
                if declared.is_empty() { "1".into() } else { declared }
            );
            for s in strings {
                sst.push_str(&format!("<si><t>{}</t></si>", s.replace('&', "&amp;").replace('<', "&lt;")));
            }
            sst.push_str("</sst>");
            package(&sheet, &sst)
        })
}

fn package(sheet: &str, sst: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet}</worksheet>"#),
        ),
        ("xl/sharedStrings.xml", sst.to_owned()),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn xlsx_structure() {
    fuzz("xlsx upload (fuzzed sheet structure)", fuzzed_sheet(), |bytes| {
        answered(read_table("x.xlsx", &bytes, &TEST_LIMITS));
        answered(read_sheets(&bytes, &Limits::FRAMEWORK));
    });
}

/// Reads a table as an attendance grid: a grid, or refusals that each say something; a grid's
/// reading names every problem it has, and each seat has a reading for each meeting.
fn read_as_grid(rows: &[Vec<String>]) {
    use assure_domain::meetings::grid::{Blank, GridContext, GridText, read_grid};
    match GridText::from_rows(rows) {
        Ok(grid) => {
            let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
            let orgs = [(assure_domain::OrganisationId(1), "Essex Police".to_owned())];
            let cx = GridContext {
                today,
                body_ended: None,
                organisations: &orgs,
                seats: &[],
                people: &[],
                meetings: &[],
                blank: Blank::Absent,
            };
            let reading = read_grid(&grid, &cx);
            assert!(reading.seats.iter().all(|s| s.cells.len() == reading.columns.len()));
            assert!(reading.errors.iter().all(|e| !e.message.trim().is_empty()));
        }
        Err(errors) => assert!(!errors.is_empty() && errors.iter().all(|e| !e.message.trim().is_empty())),
    }
}

#[test]
fn attendance_grids() {
    let grid =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../assure_web/tests/data/attendance_grid.csv")).unwrap();
    fuzz("attendance grid (mutated fixture)", mutations(grid), |bytes| {
        if let Ok(rows) = read_table("grid.csv", &bytes, &Limits::ATTENDANCE) {
            read_as_grid(&rows);
        }
    });
    let cell = "[ -~√✓✔–—İſK\\u{fe0f}]{0,30}";
    let rows = prop::collection::vec(prop::collection::vec(cell, 0..6), 0..10);
    fuzz("attendance grid (random cells)", rows, |rows| read_as_grid(&rows));
    let words = "(√|Apologies|attended|also|onwards|until|from|July|2016|Sept|19th|–|-|,|&|and|İ|K|\\(|\\)| |[a-zA-Z]{1,6}){0,12}";
    fuzz("attendance seats, dates and cells (words)", words, |text| {
        let _ = assure_domain::meetings::grid::read_seat(&text);
        let _ = assure_domain::meetings::grid::read_cell(&text);
        let _ = assure_domain::meetings::grid::heading_date(&text);
        let _ = assure_domain::meetings::grid::comparable_name(&text);
    });
}

/// An online meeting's attendance report: read as a table, then by its e-mail column.
fn read_as_attendance_report(bytes: &[u8]) {
    if let Ok(rows) = read_table("report.csv", bytes, &assure_core::training::REPORT_LIMITS) {
        answered(assure_domain::training::attendance_report(&rows));
    }
}

#[test]
fn attendance_reports() {
    let report = "1. Summary\nMeeting title,Lunch and learn\n\n2. Participants\nName,First Join,Email,Role\nAsh Patel,12:00,ash@example.org,Attendee\nGuest,12:05,,Attendee\n";
    fuzz("attendance report (mutated Teams report)", mutations(report.as_bytes().to_vec()), |bytes| {
        read_as_attendance_report(&bytes);
    });
    let cells = prop::collection::vec(prop::collection::vec("[ -~@]{0,24}", 0..6), 0..12);
    fuzz("attendance report (random cells)", cells, |rows| {
        answered(assure_domain::training::attendance_report(&rows));
    });
}

#[test]
fn survey_question_sets_and_answers() {
    let set =
        "scale: How confident are you?\nchoice: Where do you work? | Police | Health | Council\ntext: Anything else?\n";
    fuzz("survey question set (mutated)", mutations(set.as_bytes().to_vec()), |bytes| {
        answered(assure_domain::voice::survey::read_questions(&String::from_utf8_lossy(&bytes)));
    });
    fuzz("survey question set (random lines)", prop::collection::vec("[ -~|:]{0,60}", 0..30), |lines| {
        answered(assure_domain::voice::survey::read_questions(&lines.join("\n")));
    });
    let questions = assure_domain::voice::survey::read_questions(set).unwrap();
    let fields = prop::collection::vec(("q[0-9]{1,2}|website|[a-z]{0,6}", "\\PC{0,40}"), 0..8);
    fuzz("survey answers (random fields)", fields, |raw| {
        if let Ok(answers) = assure_domain::voice::survey::check_answers(&questions, &raw) {
            assert_eq!(answers.len(), questions.len(), "one answer per question");
            let counted = assure_domain::voice::survey::results(&questions, &[answers]);
            assert_eq!(counted.len(), questions.len());
        }
    });
}

#[test]
fn bulletin_items_and_links() {
    use assure_domain::bulletins::{ItemInput, item_link};
    let link =
        "https://www.example.org/a?b=c|/public/southend/bulletins/1|\\PC{0,40}|/public/[ -~]{0,30}|https://[ -~]{0,30}";
    fuzz("bulletin links", link, |raw| {
        if let Ok(Some(l)) = item_link(&raw) {
            assert!(l.starts_with("https://") || l.starts_with("/public/"), "{l:?}");
            assert!(!l.contains("..") || l.starts_with("https://"), "{l:?}");
            assert!(!l.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<'), "{l:?}");
        }
    });
    let item = ("briefing|learning|training|news|link|[a-z]{0,9}", "\\PC{0,200}", "\\PC{0,200}", link);
    fuzz("bulletin items", item, |(kind, title, body, link)| {
        let input = ItemInput { kind, title, body, link };
        if let Ok(new) = input.validate() {
            assert!(!new.title.is_empty() && new.title.chars().count() <= assure_domain::bulletins::MAX_TITLE_CHARS);
            assert!(new.body.is_some() || new.link.is_some(), "an item says something or leads somewhere");
        }
    });
}

/// A report's period and its section's words: any text is a period or a clear refusal, and a
/// period read is within its limits and reads back as itself; a section's words are kept or
/// refused, and what is kept splits into paragraphs of one line each.
#[test]
fn report_periods_and_sections() {
    use assure_domain::reports::{MAX_NARRATIVE_CHARS, MAX_PERIOD_MONTHS, Period, SectionInput, paragraphs};
    let period = "[0-9]{4}[-/][0-9]{2,4}|[0-9]{4}-[0-9]{2}( to |\\.\\.|–)[0-9]{4}-[0-9]{2}|\\PC{0,30}";
    fuzz("report periods", period, |raw| match Period::parse(&raw) {
        Ok(p) => {
            assert!(p.start <= p.end && p.months() <= MAX_PERIOD_MONTHS, "{raw:?}: {p:?}");
            assert_eq!(Period::parse(&p.code()), Ok(p), "{raw:?} reads back");
            assert!(!p.label().is_empty());
        }
        Err(m) => assert!(m.starts_with("Enter a financial year"), "{raw:?}: {m}"),
    });
    fuzz("report sections", "\\PC{0,300}|[\\u{0}-\\u{1f}a-z\\n]{0,40}", |narrative| {
        if let Ok(Some(kept)) = (SectionInput { narrative: narrative.clone() }).validate() {
            assert!(kept.chars().count() <= MAX_NARRATIVE_CHARS);
            assert!(paragraphs(&kept).iter().all(|p| !p.is_empty() && !p.contains('\n')), "{kept:?}");
        }
    });
    // The sign-off's inputs: an agreement names one of the partners offered, on a day not after
    // today; a comment names a section of the template; nothing kept is over its limit.
    use assure_domain::reports::{AgreementInput, CommentInput, MAX_AGREED_BY_CHARS, MAX_NOTE_CHARS, ReportKind};
    let today = chrono::NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
    let agreement = "([0-9]{1,3}|\\PC{0,5})\t\\PC{0,250}\t([0-9]{4}-[0-9]{2}-[0-9]{2}|\\PC{0,12})";
    fuzz("report agreements", agreement, |raw| {
        let mut parts = raw.split('\t');
        let (org, by, on) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let input = AgreementInput { organisation_id: org.into(), agreed_by: by.into(), agreed_on: on.into() };
        if let Ok(a) = input.validate(&[7, 12], today) {
            assert!([7, 12].contains(&a.organisation_id) && a.agreed_on <= today, "{raw:?}");
            assert!(!a.agreed_by.is_empty() && a.agreed_by.chars().count() <= MAX_AGREED_BY_CHARS, "{raw:?}");
        }
    });
    let template = ReportKind::Adults.template();
    fuzz("report comments", "[a-z_]{0,14}\\t\\PC{0,300}", |raw| {
        let (section, comment) = raw.split_once('\t').unwrap_or((&raw, ""));
        let input = CommentInput { section: section.into(), comment: comment.into() };
        if let Ok((key, kept)) = input.validate(template) {
            assert!(template.contains(&key) && !kept.is_empty() && kept.chars().count() <= MAX_NOTE_CHARS);
        }
    });
    // The scrutiny report's inputs: a piece of scrutiny is of the period and not after today, a
    // recommendation is to a partner offered (or to them all), a response not after today.
    use assure_domain::reports::{ActivityInput, MAX_EXAMINED_CHARS, PartnerResponseInput, RecommendationInput};
    let period = Period::financial(2022).unwrap();
    let day = "([0-9]{4}-[0-9]{2}-[0-9]{2}|\\PC{0,12})";
    fuzz("scrutiny activities", &*format!("\\PC{{0,320}}\t[a-z_]{{0,14}}\t{day}\t\\PC{{0,80}}"), |raw| {
        let f: Vec<&str> = raw.split('\t').collect();
        let get = |i: usize| f.get(i).copied().unwrap_or("").to_owned();
        let input = ActivityInput { examined: get(0), method: get(1), done_on: get(2), found: get(3) };
        if let Ok(a) = input.validate(&period, today) {
            assert!(period.contains(a.done_on) && a.done_on <= today, "{raw:?}");
            assert!(!a.examined.is_empty() && a.examined.chars().count() <= MAX_EXAMINED_CHARS, "{raw:?}");
        }
    });
    fuzz("scrutiny recommendations", "\\PC{0,60}\t([0-9]{1,3}|\\PC{0,5})", |raw| {
        let (text, org) = raw.split_once('\t').unwrap_or((&raw, ""));
        let input = RecommendationInput { recommendation: text.into(), organisation_id: org.into() };
        if let Ok(r) = input.validate(&[7, 12]) {
            assert!(r.organisation_id.is_none_or(|o| [7, 12].contains(&o)) && !r.recommendation.is_empty(), "{raw:?}");
        }
    });
    fuzz("scrutiny responses", &*format!("[a-z_]{{0,14}}\t\\PC{{0,60}}\t\\PC{{0,220}}\t{day}"), |raw| {
        let f: Vec<&str> = raw.split('\t').collect();
        let get = |i: usize| f.get(i).copied().unwrap_or("").to_owned();
        let input =
            PartnerResponseInput { stance: get(0), response: get(1), responded_by: get(2), responded_on: get(3) };
        if let Ok(r) = input.validate(today) {
            assert!(r.responded_on <= today && !r.response.is_empty() && !r.responded_by.is_empty(), "{raw:?}");
        }
    });
}

/// An Easy Read section's words: any text is read into paragraphs without a panic, each picture
/// named is a well-formed name, and every glossary entry has a word and a meaning.
#[test]
fn easy_read_sections() {
    use assure_domain::reports::{easy_paragraphs, glossary, glossary_problem, pictures_named};
    let words = "(\\[[a-z0-9-]{0,12}\\]?|[a-z ]{1,10}|:|\\n|\\n\\n|\\PC){0,60}";
    fuzz("easy read sections", words, |text| {
        for p in easy_paragraphs(&text) {
            assert!(p.picture.as_ref().is_none_or(|n| !n.is_empty() && n.len() <= 40), "{text:?}");
        }
        for name in pictures_named(&text) {
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{text:?}");
        }
        for (term, meaning) in glossary(&text) {
            assert!(!term.is_empty() && !meaning.is_empty(), "{text:?}");
        }
        if glossary_problem(&text).is_none() {
            let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
            assert_eq!(glossary(&text).len(), lines, "{text:?}");
        }
    });
}

/// The Easy Read checker: any text kept is checked without a panic, every sentence it reports is
/// a piece of the text, counts agree with the findings, and the reading ease is a number.
#[test]
fn easy_read_checks() {
    use assure_domain::reports::easy_read::{CheckInput, check};
    let lists = assure_core::reports::easy_read::word_lists();
    let text = "([A-Z]{2,6}|[0-9]{1,3}%?|[a-z’'-]{1,12}|[.!?,;()\\-•]|\\s|\\n|\\PC){0,120}";
    fuzz("easy read texts", (text, "\\PC{0,40}"), |(text, glossary)| {
        let Ok((kept, terms)) = (CheckInput { text, glossary }).validate() else { return };
        let c = check(&kept, &terms, lists);
        let counted: usize = c.counts().iter().map(|(_, n)| n).sum();
        assert_eq!(counted, c.findings(), "{kept:?}");
        assert!(c.reading_ease.is_none_or(f64::is_finite), "{kept:?}");
        for s in &c.sentences {
            assert!(
                !s.text.is_empty() && kept.contains(s.text.trim_start_matches(['-', '*', '•', '–']).trim()),
                "{kept:?}: {s:?}"
            );
        }
    });
}

#[test]
fn frameworks() {
    let yaml = assure_core::audits::frameworks::SHIPPED[0].1.as_bytes().to_vec();
    fuzz("framework YAML (mutated Section 11)", mutations(yaml), |bytes| {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = assure_core::audits::frameworks::parse(text);
        }
    });
    fuzz("framework YAML (random text)", "[ -~\n]{0,400}", |text| {
        let _ = assure_core::audits::frameworks::parse(&text);
    });
    let framework = assure_core::audits::frameworks::parse(assure_core::audits::frameworks::SHIPPED[1].1).unwrap();
    let book = assure_core::audits::frameworks::workbook::write(&framework).unwrap();
    fuzz("framework workbook (mutated)", mutations(book), |bytes| {
        if let Err(messages) = assure_core::audits::frameworks::workbook::read(&bytes) {
            assert!(messages.iter().all(|m| !m.trim().is_empty()));
        }
    });
}

#[test]
fn return_templates_and_answers() {
    use assure_core::intelligence::returns::templates;
    let yaml = templates::SHIPPED[1].1.as_bytes().to_vec();
    fuzz("return template YAML (mutated LADO)", mutations(yaml), |bytes| {
        if let Ok(text) = std::str::from_utf8(&bytes)
            && let Err(errors) = templates::parse(text)
        {
            assert!(errors.iter().all(|e| !e.message.trim().is_empty() && e.line >= 1));
        }
    });
    fuzz("return template YAML (random text)", "[ -~\n]{0,400}", |text| {
        let _ = templates::parse(&text);
    });
    let lado = templates::parse(templates::SHIPPED[1].1).unwrap();
    let book = assure_core::intelligence::returns::workbook::write(&lado).unwrap();
    fuzz("return template workbook (mutated)", mutations(book), |bytes| {
        if let Err(messages) = assure_core::intelligence::returns::workbook::read(&bytes) {
            assert!(messages.iter().all(|m| !m.trim().is_empty()));
        }
    });
    // Answers of every kind to every shipped template: refused with a message per field, or kept
    // in the one form each type keeps.
    let all: Vec<assure_domain::intelligence::returns::Template> =
        templates::SHIPPED.iter().map(|(_, text)| templates::parse(text).unwrap()).collect();
    let fields = prop::collection::vec(("[a-z_]{1,20}", "[ -~%,.]{0,30}"), 0..40);
    fuzz("return answers (random fields)", (0..all.len(), fields, any::<bool>()), |(which, raw, submit)| {
        let t = &all[which];
        let raw: Vec<(String, String)> = t
            .fields
            .iter()
            .zip(raw.iter())
            .map(|(f, (_, v))| (f.id.clone(), v.clone()))
            .chain(raw.iter().take(2).cloned())
            .collect();
        match assure_domain::intelligence::returns::check_return(t, &raw, submit, &[]) {
            Ok(checked) => {
                for (k, v) in &checked.values {
                    let f = t.field(k).expect("a kept answer is a field's");
                    assert_eq!(assure_domain::intelligence::returns::read_value(f, v).as_deref(), Ok(v.as_str()));
                }
            }
            Err(errors) => assert!(errors.iter().all(|(_, ms)| ms.iter().all(|m| !m.trim().is_empty()))),
        }
    });
}

#[test]
fn published_statistics() {
    let full = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/published/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    ))
    .unwrap();
    let head: String = full.lines().take(30).map(|l| format!("{l}\n")).collect();
    fuzz("published statistics (mutated DfE file)", mutations(head.into_bytes()), |bytes| {
        if let Err(messages) = assure_core::intelligence::indicators::check_published(&bytes, 2026) {
            assert!(!messages.is_empty() && messages.iter().all(|m| !m.trim().is_empty()));
        }
    });
    fuzz("published statistics (random bytes)", prop::collection::vec(any::<u8>(), 0..2048), |bytes| {
        let _ = assure_core::intelligence::indicators::check_published(&bytes, 2026);
    });
}

#[test]
fn extracts() {
    let mut extract = String::from("contact_id,person_id,contact_date,source,outcome,age_band,lsoa11cd\n");
    for i in 0..40 {
        extract.push_str(&format!(
            "C{i},P{},2024-0{}-1{},{},{},5_9,E0100000{}\n",
            i % 7,
            1 + i % 9,
            i % 9,
            ["police", "school", "health"][i % 3],
            if i % 2 == 0 { "referral" } else { "nfa" },
            i % 10
        ));
    }
    fuzz("extract (mutated)", mutations(extract.into_bytes()), |bytes| {
        if let Err(e) = assure_extract::aggregate_sorted(bytes.as_slice()) {
            assert!(!e.to_string().trim().is_empty());
        }
    });
    fuzz("extract (random bytes)", prop::collection::vec(any::<u8>(), 0..2048), |bytes| {
        let _ = assure_extract::aggregate_sorted(bytes.as_slice());
    });
}

/// Whatever people type (any Unicode, control characters, markup of every kind, very long words)
/// is typeset into a PDF and written into Word and a workbook without a refusal or a panic: the
/// document engine takes text as data, never as markup.
#[test]
fn documents() {
    use assure_core::documents::xlsx::{Sheet, Workbook};
    use assure_core::documents::{Block, Cell, Document, Format, Marking, Table, render};
    let text = prop_oneof![
        any::<String>(),
        "[#$*_@<>\\[\\]{}\\\\`'\"=+-]{0,40}",
        "#(import|include|set|show|let) \"[a-z/.]{0,20}\"[^\\n]{0,20}",
        "[\\u{0}-\\u{1f}\\u{7f}-\\u{9f}\\u{200b}-\\u{200f}\\u{202a}-\\u{202e}\\u{fffe}\\u{ffff}a-z]{0,30}",
        "[a-zA-Z]{200,400}",
    ];
    // Typesetting is the costly part: a tenth of the cases of the readers' targets.
    fuzz_cases("documents", (cases() / 10).max(10), proptest::collection::vec(text, 1..6), |texts| {
        let mut doc = Document::new(texts[0].clone()).marked(Marking::OfficialSensitive);
        for t in &texts {
            doc.heading(2, t.clone());
            doc.push(Block::Paragraph(t.clone()));
            doc.push(Block::Note(t.clone()));
            doc.push(Block::Bullets(vec![t.clone(), t.clone()]));
        }
        let mut table = Table::new(texts.iter().take(3).cloned(), &[1, 2, 3]);
        table.row(texts.iter().take(3).map(|t| Cell::from(t.as_str())));
        doc.table(table);
        for format in [Format::Pdf, Format::Docx, Format::Html] {
            if let Err(e) = render(&doc, format) {
                panic!("{format:?} refused {texts:?}: {e}");
            }
        }
        let mut sheet = Sheet::new(texts[0].clone(), texts.iter().cloned(), &[10.0]);
        sheet.row(texts.iter().map(|t| Cell::from(t.as_str())));
        if let Err(e) = Workbook::of(texts[0].clone(), None, sheet).write() {
            // Excel's own limits (a cell over 32,767 characters) are the only refusals allowed.
            assert!(e.contains("32767") || e.contains("exceeds"), "a workbook refused {texts:?}: {e}");
        }
    });
}

#[test]
fn evidence_files() {
    let names =
        prop::sample::select(vec!["report.pdf", "plan.docx", "notes.txt", "figures.csv", "photo.jpg", "x", ".exe"]);
    fuzz(
        "evidence file (random bytes, any name)",
        (names, prop::collection::vec(any::<u8>(), 0..2048)),
        |(name, bytes)| {
            answered(assure_domain::files::check_upload(name, &bytes));
        },
    );
    fuzz("evidence file (mutated PDF)", mutations(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n".to_vec()), |bytes| {
        answered(assure_domain::files::check_upload("report.pdf", &bytes));
    });
}
