//! Tables people send Assure (a chronology, a data return, a framework, published statistics)
//! as CSV or XLSX, read into rows of text within documented limits.
//!
//! Whatever the input, memory stays bounded by the [`Limits`]: a file's size is checked before
//! anything else; a workbook's parts are measured as they are decompressed (a zip bomb stops at
//! the limit, whatever sizes the archive declares), its shared strings counted before they are
//! loaded, each sheet's declared range checked before its cells are read, and cells are then
//! streamed one at a time into rows that may never hold more than the cell limit. A CSV file is
//! read record by record under the same limits. Every refusal says what was wrong and where
//! (sheet, row and column), in words a person can act on. Parsing is CPU work: use-cases run it
//! off the async runtime through [`crate::work::Bounded`].

use std::io::{self, BufReader, Cursor, Read};

use assure_domain::cells::{self, column_letter, shown};
use calamine::{DataRef, Reader};

/// A sheet's rows of cells as text; row 0 is the sheet's row 1.
pub type Rows = Vec<Vec<String>>;

impl crate::Core {
    /// Reads an uploaded table (first sheet, or CSV) off the async runtime, within `limits`. A
    /// refusal is an invalid `field` with the reader's message.
    pub(crate) async fn read_upload(
        &self,
        field: &'static str,
        name: &str,
        bytes: Vec<u8>,
        limits: Limits,
    ) -> crate::CoreResult<Rows> {
        let name = name.to_owned();
        self.parsing
            .run(move || read_table(&name, &bytes, &limits))
            .await?
            .map_err(|message| crate::CoreError::field(field, message))
    }
}

/// How much of a table one kind of upload may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// What the file is, for messages: "a chronology upload".
    pub what: &'static str,
    /// The largest file, in bytes.
    pub max_bytes: usize,
    /// Rows per sheet, the heading row included.
    pub max_rows: usize,
    /// Columns per sheet.
    pub max_columns: usize,
    /// Cells held over the whole file (each row counts up to its last filled cell).
    pub max_cells: usize,
    /// Sheets in a workbook.
    pub max_sheets: usize,
    /// What a workbook's parts may add up to once decompressed, in bytes.
    pub max_unzipped: u64,
}

const MB: usize = 1024 * 1024;

impl Limits {
    /// One review's chronology file (see also [`crate::reviews::chronology::MAX_ENTRIES_PER_REVIEW`]).
    pub const CHRONOLOGY: Limits = Limits {
        what: "a chronology upload",
        max_bytes: 10 * MB,
        max_rows: 5_001,
        max_columns: 26,
        max_cells: 130_026,
        max_sheets: 20,
        max_unzipped: 64 * MB as u64,
    };
    /// A data return's template (measure, value).
    pub const DATA_RETURN: Limits = Limits {
        what: "a data return",
        max_bytes: MB,
        max_rows: 200,
        max_columns: 10,
        max_cells: 2_000,
        max_sheets: 20,
        max_unzipped: 16 * MB as u64,
    };
    /// An assurance framework as a workbook.
    pub const FRAMEWORK: Limits = Limits {
        what: "a framework workbook",
        max_bytes: 5 * MB,
        max_rows: 5_000,
        max_columns: 30,
        max_cells: 100_000,
        max_sheets: 10,
        max_unzipped: 32 * MB as u64,
    };
    /// A body's attendance grid (see [`assure_domain::meetings::grid`]): its seats and meetings
    /// are limited again, with their own messages, once the grid is found.
    pub const ATTENDANCE: Limits = Limits {
        what: "an attendance grid",
        max_bytes: 2 * MB,
        max_rows: 500,
        max_columns: 40,
        max_cells: 10_000,
        max_sheets: 20,
        max_unzipped: 16 * MB as u64,
    };
    /// One file of published statistics (DfE, ONS), given at the console.
    pub const PUBLISHED: Limits = Limits {
        what: "a file of published statistics",
        max_bytes: 64 * MB,
        max_rows: 500_000,
        max_columns: 200,
        max_cells: 12_000_000,
        max_sheets: 1,
        max_unzipped: 0,
    };
}

/// Parts of a workbook: real ones have a few dozen.
const MAX_PARTS: usize = 1_000;

/// The file formats a table comes in, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn from_name(name: &str) -> Option<Format> {
        let lower = name.to_lowercase();
        if lower.ends_with(".csv") {
            Some(Format::Csv)
        } else if lower.ends_with(".xlsx") {
            Some(Format::Xlsx)
        } else {
            None
        }
    }
}

/// A size as people read it: "64 KB", "10 MB" (rounded up).
fn megabytes(bytes: u64) -> String {
    if bytes < MB as u64 { format!("{} KB", bytes.div_ceil(1024)) } else { format!("{} MB", bytes.div_ceil(MB as u64)) }
}

const NOT_A_WORKBOOK: &str = "The file is not an Excel workbook (.xlsx) that can be read";

/// Reads the first sheet of an XLSX file, or a CSV file, by the file's name.
pub fn read_table(name: &str, bytes: &[u8], limits: &Limits) -> Result<Rows, String> {
    match Format::from_name(name) {
        Some(Format::Csv) => read_csv(bytes, limits),
        Some(Format::Xlsx) => {
            let mut sheets = read_xlsx(bytes, limits, true)?;
            Ok(sheets.pop().map(|(_, rows)| rows).unwrap_or_default())
        }
        None => Err("The file must be a CSV file (.csv) or an Excel workbook (.xlsx)".into()),
    }
}

/// Reads every sheet of an XLSX file, by name.
pub fn read_sheets(bytes: &[u8], limits: &Limits) -> Result<Vec<(String, Rows)>, String> {
    read_xlsx(bytes, limits, false)
}

fn check_size(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    if bytes.len() > limits.max_bytes {
        return Err(format!(
            "The file is {}; {} can be at most {}",
            megabytes(bytes.len() as u64),
            limits.what,
            megabytes(limits.max_bytes as u64)
        ));
    }
    Ok(())
}

/// Reads a CSV file (UTF-8, with or without a byte-order mark) into rows of cells.
pub fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Rows, String> {
    check_size(bytes, limits)?;
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err("The file is UTF-16 text: save it as \"CSV UTF-8 (Comma delimited)\"".into());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut rows: Rows = Vec::new();
    let mut held = 0usize;
    // The reader skips empty lines; a spreadsheet shows each as an empty row, so they are kept
    // as empty rows, and every row number a message gives is the one a person sees. A record's
    // position is where the reader started on it: at the empty lines before it.
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(format!("Row {}: the CSV cannot be read ({})", rows.len() + 1, csv_problem(&e)));
            }
        }
        let start = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let mut rest = bytes.get(start..).unwrap_or_default();
        // The reader ends a row at the carriage return of a CRLF; its line feed is not a line.
        if start > 0 && bytes.get(start - 1) == Some(&b'\r') {
            rest = rest.strip_prefix(b"\n").unwrap_or(rest);
        }
        for _ in 0..empty_lines(rest) {
            if rows.len() == limits.max_rows {
                return Err(too_many_rows(None, limits));
            }
            rows.push(Vec::new());
        }
        let row = rows.len() + 1;
        if row > limits.max_rows {
            return Err(too_many_rows(None, limits));
        }
        // Trailing empty cells (a row of commas) hold nothing.
        let used = record.iter().rposition(|f| !f.is_empty()).map_or(0, |i| i + 1);
        if used > limits.max_columns {
            return Err(format!(
                "Row {row}: the row has {} columns; {} takes at most {}",
                cells::thousands(used as u64),
                limits.what,
                limits.max_columns
            ));
        }
        held += used;
        if held > limits.max_cells {
            return Err(too_many_cells(None, limits));
        }
        let mut cells = Vec::with_capacity(used);
        for (c, field) in record.iter().take(used).enumerate() {
            let text = std::str::from_utf8(field).map_err(|_| {
                format!(
                    "Row {row}, column {}: the text is not UTF-8: save the file as \"CSV UTF-8 (Comma delimited)\"",
                    column_letter(c)
                )
            })?;
            cells.push(text.to_owned());
        }
        rows.push(cells);
    }
    // The reader ends a quoted cell left open at the end of the file; a person meant otherwise.
    if bytes.iter().filter(|b| **b == b'"').count() % 2 == 1 {
        return Err(format!("Row {}: a quoted cell is not closed (a closing \" is missing)", rows.len().max(1)));
    }
    Ok(rows)
}

/// How many empty lines `rest` starts with (each ended by a line feed, a carriage return and
/// line feed, or a carriage return alone).
fn empty_lines(rest: &[u8]) -> usize {
    let mut lines = 0;
    for (i, b) in rest.iter().enumerate() {
        match b {
            b'\n' => lines += 1,
            b'\r' if rest.get(i + 1) != Some(&b'\n') => lines += 1,
            b'\r' => {}
            _ => break,
        }
    }
    lines
}

fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(_) => "the file could not be read".into(),
        _ => "a quoted cell is not closed, or the file is not CSV".into(),
    }
}

/// "The file" or "Sheet 'Data'", to start a message.
fn subject(sheet: Option<&str>) -> String {
    sheet.map(|s| format!("Sheet '{}'", shown(s))).unwrap_or_else(|| "The file".into())
}

fn too_many_rows(sheet: Option<&str>, limits: &Limits) -> String {
    format!(
        "{} has more than {} rows; {} takes at most {} (the heading row included): split it into several files",
        subject(sheet),
        cells::thousands(limits.max_rows as u64),
        limits.what,
        cells::thousands(limits.max_rows as u64)
    )
}

fn too_many_cells(sheet: Option<&str>, limits: &Limits) -> String {
    format!(
        "{} holds more than {} cells; {} takes at most that many: split it into several files",
        subject(sheet),
        cells::thousands(limits.max_cells as u64),
        limits.what
    )
}

/// Reads an XLSX workbook's sheets (or only its first), within `limits`. A panic in the
/// workbook reader on a malformed file is caught and reported as an unreadable file.
fn read_xlsx(bytes: &[u8], limits: &Limits, first_only: bool) -> Result<Vec<(String, Rows)>, String> {
    check_size(bytes, limits)?;
    std::panic::catch_unwind(|| {
        inspect_package(bytes, limits)?;
        read_cells(bytes, limits, first_only)
    })
    .unwrap_or_else(|_| Err(NOT_A_WORKBOOK.into()))
}

/// A reader that counts the bytes through it.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// Checks the package before the workbook reader builds anything: how many parts, what they
/// decompress to (measured, not as declared), and how many shared strings there are.
fn inspect_package(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| NOT_A_WORKBOOK.to_owned())?;
    if zip.len() > MAX_PARTS {
        return Err(format!(
            "The workbook has {} parts; a workbook has at most {MAX_PARTS}",
            cells::thousands(zip.len() as u64)
        ));
    }
    let too_big = || {
        format!(
            "The workbook unpacks to more than {}; {} can unpack to at most that: remove pictures and unused sheets, or save it as CSV",
            megabytes(limits.max_unzipped),
            limits.what
        )
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|_| NOT_A_WORKBOOK.to_owned())?;
        if part.size() > limits.max_unzipped.saturating_sub(total) {
            return Err(too_big());
        }
        let name = part.name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        // One byte past what is left tells an oversized part from one that fits exactly.
        let mut counted = Counted { inner: part.take(limits.max_unzipped - total + 1), count: 0 };
        if name.ends_with("sharedstrings.xml") {
            count_shared_strings(&mut counted, limits)?;
        } else if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            check_references(&mut counted)?;
        }
        io::copy(&mut counted, &mut io::sink()).map_err(|_| NOT_A_WORKBOOK.to_owned())?;
        total += counted.count;
        if total > limits.max_unzipped {
            return Err(too_big());
        }
    }
    Ok(())
}

/// A cell reference as Excel can have one ("A1" to "XFD1048576"): (row, column), from 0.
fn cell_reference(text: &str) -> Option<(u32, u32)> {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (column, row) = text.split_at(letters);
    if !(1..=3).contains(&letters) || row.is_empty() || row.len() > 7 || !row.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let column = column.bytes().fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1);
    let row: u32 = row.parse().ok()?;
    ((1..=16_384).contains(&column) && (1..=1_048_576).contains(&row)).then(|| (row - 1, column - 1))
}

/// Checks every reference a worksheet makes (its declared range, its rows and cells) is one
/// Excel can have, before the workbook reader sees it: a damaged reference is refused here
/// rather than left to overflow arithmetic there.
fn check_references(part: &mut impl Read) -> Result<(), String> {
    use quick_xml::events::Event;
    let damaged = |r: &str| {
        format!("The workbook holds the cell reference '{}', which Excel cannot have: the file is damaged", shown(r))
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let attribute = match e.local_name().into_inner() {
                    "dimension" => "ref",
                    "row" | "c" => "r",
                    _ => {
                        buf.clear();
                        continue;
                    }
                };
                let Some(value) = e.try_get_attribute(attribute).ok().flatten() else {
                    buf.clear();
                    continue;
                };
                let value = value.value.trim().to_owned();
                let ok = match e.local_name().into_inner() {
                    "row" => value.parse::<u32>().is_ok_and(|r| (1..=1_048_576).contains(&r)),
                    "c" => cell_reference(&value).is_some(),
                    _ => match value.split_once(':') {
                        None => cell_reference(&value).is_some(),
                        Some((from, to)) => match (cell_reference(from), cell_reference(to)) {
                            (Some(a), Some(b)) => a.0 <= b.0 && a.1 <= b.1,
                            _ => false,
                        },
                    },
                };
                if !ok {
                    return Err(damaged(&value));
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(_) => return Err(NOT_A_WORKBOOK.into()),
        }
        buf.clear();
    }
}

/// Counts the shared strings (and checks the counts the file declares, which the workbook
/// reader reserves room for) against the cell limit.
fn count_shared_strings(part: &mut impl Read, limits: &Limits) -> Result<(), String> {
    use quick_xml::events::Event;
    let too_many = || {
        format!(
            "The workbook holds more than {} different texts; {} takes at most that many cells: split it into several files",
            cells::thousands(limits.max_cells as u64),
            limits.what
        )
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    let mut strings = 0usize;
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().into_inner() {
                "sst" => {
                    for name in ["count", "uniqueCount"] {
                        let declared =
                            e.try_get_attribute(name).ok().flatten().and_then(|a| a.value.trim().parse::<u64>().ok());
                        if declared.is_some_and(|n| n > limits.max_cells as u64) {
                            return Err(too_many());
                        }
                    }
                }
                "si" => {
                    strings += 1;
                    if strings > limits.max_cells {
                        return Err(too_many());
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(_) => return Err(NOT_A_WORKBOOK.into()),
        }
        buf.clear();
    }
}

/// Streams each sheet's cells into rows, checking the declared range first.
fn read_cells(bytes: &[u8], limits: &Limits, first_only: bool) -> Result<Vec<(String, Rows)>, String> {
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| NOT_A_WORKBOOK.to_owned())?;
    let names = book.sheet_names();
    if names.is_empty() {
        return Err("The workbook has no sheets".into());
    }
    if names.len() > limits.max_sheets {
        return Err(format!(
            "The workbook has {} sheets; {} has at most {}",
            names.len(),
            limits.what,
            limits.max_sheets
        ));
    }
    let mut out = Vec::new();
    let mut held = 0usize;
    for name in names.into_iter().take(if first_only { 1 } else { usize::MAX }) {
        let unreadable = || format!("The sheet '{}' cannot be read", shown(&name));
        let mut cells = book.worksheet_cells_reader(&name).map_err(|_| unreadable())?;
        let declared = cells.dimensions();
        let (last_row, last_column) = (declared.end.0 as usize, declared.end.1 as usize);
        if last_row >= limits.max_rows || last_column >= limits.max_columns {
            return Err(format!(
                "Sheet '{}' spans {} rows and {} columns (to cell {}{}); {} takes at most {} rows and {} columns: delete the empty rows and columns after your table, or split it",
                shown(&name),
                cells::thousands(last_row as u64 + 1),
                cells::thousands(last_column as u64 + 1),
                column_letter(last_column),
                last_row + 1,
                limits.what,
                cells::thousands(limits.max_rows as u64),
                limits.max_columns
            ));
        }
        let mut rows: Rows = Vec::new();
        while let Some(cell) = cells.next_cell().map_err(|_| unreadable())? {
            let text = cell_text(cell.get_value());
            if text.is_empty() {
                continue;
            }
            let (r, c) = cell.get_position();
            let (r, c) = (r as usize, c as usize);
            if r >= limits.max_rows {
                return Err(too_many_rows(Some(&name), limits));
            }
            if c >= limits.max_columns {
                return Err(format!(
                    "Sheet '{}', row {}, column {}: {} takes at most {} columns",
                    shown(&name),
                    r + 1,
                    column_letter(c),
                    limits.what,
                    limits.max_columns
                ));
            }
            if rows.len() <= r {
                rows.resize_with(r + 1, Vec::new);
            }
            let row = &mut rows[r];
            if row.len() <= c {
                held += c + 1 - row.len();
                if held > limits.max_cells {
                    return Err(too_many_cells(Some(&name), limits));
                }
                row.resize(c + 1, String::new());
            }
            row[c] = text;
        }
        out.push((name, rows));
    }
    Ok(out)
}

/// A cell as text: dates and times as ISO text ("2023-05-04", "14:30"), so that they read like
/// typed ones; whole numbers without a decimal point.
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{f:.0}")
            } else {
                f.to_string()
            }
        }
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => match dt.as_datetime() {
            Some(t) if dt.as_f64() < 1.0 => t.format("%H:%M").to_string(),
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            None => dt.as_f64().to_string(),
        },
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limits = Limits {
        what: "a test upload",
        max_bytes: 64 * 1024,
        max_rows: 10,
        max_columns: 4,
        max_cells: 20,
        max_sheets: 2,
        max_unzipped: 256 * 1024,
    };

    fn workbook(rows: &[Vec<String>]) -> Vec<u8> {
        crate::documents::xlsx::text_workbook("Data", &["A", "B"], rows).expect("written")
    }

    #[test]
    fn a_written_sheet_reads_back() {
        let rows = vec![vec!["2023-05-04".to_owned(), "Seen by GP, \"routine\"".to_owned()]];
        let back = read_table("x.xlsx", &workbook(&rows), &SMALL).expect("read");
        assert_eq!(back, vec![vec!["A".to_owned(), "B".to_owned()], rows[0].clone()]);
    }

    #[test]
    fn csv_reads_quoted_cells_and_a_byte_order_mark() {
        let rows = read_csv(b"\xEF\xBB\xBFDate,Event\n2023-05-04,\"Seen, then referred\"\n", &SMALL).expect("read");
        assert_eq!(rows[1], vec!["2023-05-04", "Seen, then referred"]);
    }

    #[test]
    fn bad_text_is_named_by_row_and_column() {
        assert_eq!(
            read_csv(b"Date,Event\n2023-05-04,ok\n2023-05-05,caf\xe9\n", &SMALL).expect_err("not utf-8"),
            "Row 3, column B: the text is not UTF-8: save the file as \"CSV UTF-8 (Comma delimited)\""
        );
        assert!(read_csv(b"\xFF\xFED\x00a\x00", &SMALL).expect_err("utf-16").starts_with("The file is UTF-16"));
    }

    #[test]
    fn empty_lines_are_rows_as_a_spreadsheet_shows_them() {
        let rows = read_csv(b"a,b\n\n\"two\nlines\",x\r\n\r\nlast,y\n\n", &SMALL).expect("read");
        let empty: Vec<String> = Vec::new();
        assert_eq!(rows[0], ["a", "b"]);
        assert_eq!(rows[1], empty);
        assert_eq!(rows[2], ["two\nlines", "x"]);
        assert_eq!(rows[3], empty);
        assert_eq!(rows[4], ["last", "y"]);
        assert_eq!(rows.len(), 5, "a final line break ends the last row");
        let blank_lines = "\n".repeat(SMALL.max_rows + 5) + "a,b\n";
        assert!(read_csv(blank_lines.as_bytes(), &SMALL).expect_err("too many").contains("rows"));
    }

    #[test]
    fn carriage_returns_alone_end_rows() {
        assert_eq!(read_csv(b"a,b\rc,d\r", &SMALL).expect("read"), vec![vec!["a", "b"], vec!["c", "d"]]);
    }

    #[test]
    fn csv_past_the_limits_is_refused_with_what_to_do() {
        let many_rows = "a\n".repeat(11);
        assert_eq!(
            read_csv(many_rows.as_bytes(), &SMALL).expect_err("rows"),
            "The file has more than 10 rows; a test upload takes at most 10 (the heading row included): split it into several files"
        );
        assert_eq!(
            read_csv(b"a,b,c,d,e\n", &SMALL).expect_err("columns"),
            "Row 1: the row has 5 columns; a test upload takes at most 4"
        );
        // A row of commas holds nothing, so it is not counted.
        assert_eq!(read_csv(b",,,,,,,,,,,,\nx\n", &SMALL).expect("read")[1], vec!["x"]);
        let cells = "a,b,c,d\n".repeat(6);
        assert!(
            read_csv(cells.as_bytes(), &SMALL).expect_err("cells").starts_with("The file holds more than 20 cells")
        );
        let big = vec![b'a'; 65 * 1024];
        assert_eq!(read_csv(&big, &SMALL).expect_err("size"), "The file is 65 KB; a test upload can be at most 64 KB");
    }

    #[test]
    fn a_cell_past_the_limits_is_refused_naming_its_sheet() {
        let mut rows = vec![vec![String::new(); 2]; 12];
        rows[11][0] = "far down".into();
        let err = read_table("x.xlsx", &workbook(&rows), &SMALL).expect_err("rows");
        assert!(err.starts_with("Sheet 'Data' spans 13 rows and 2 columns (to cell B13)"), "{err}");
    }

    #[test]
    fn a_file_that_is_not_a_workbook_is_refused_plainly() {
        assert_eq!(read_table("x.xlsx", b"hello", &SMALL).expect_err("refused"), NOT_A_WORKBOOK);
        assert_eq!(
            read_table("x.txt", b"hello", &SMALL).expect_err("refused"),
            "The file must be a CSV file (.csv) or an Excel workbook (.xlsx)"
        );
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(cells::thousands(1_048_576), "1,048,576");
        assert_eq!(cells::thousands(999), "999");
    }
}
