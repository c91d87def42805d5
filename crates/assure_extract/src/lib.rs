//! Partners' record-level extracts, aggregated: one pseudonymised row per contact in, the
//! dashboard's counts out.
//!
//! The input is a CSV with the columns `contact_id, person_id, contact_date, source, outcome,
//! age_band, lsoa11cd` (a header row first, dates as `YYYY-MM-DD`). Three tables come out:
//!
//! - `monthly.csv`: per month (`YYYY-MM`) and source, contacts, referrals (outcome `referral`)
//!   and distinct persons;
//! - `imd.csv`: per financial year (April to March, `2023-24`) and IMD 2019 decile of the
//!   contact's LSOA (0 when unknown), contacts and referrals;
//! - `rereferrals.csv`: per financial year, referrals and re-referrals: referrals whose person's
//!   previous referral (in date order) was on or after the same date a calendar year earlier.
//!
//! The file is read once, in large blocks, and never held whole. Extracts come sorted by date,
//! and then memory stays flat whatever the file's length: each month's distinct-person sets are
//! counted and dropped when the next month starts, and a person's last referral is forgotten
//! once it is more than a year old. A file that is not in date order is read a second time
//! keeping everything it needs, so any order gives the same answer. Person ids are held only as
//! exact 64-bit keys ([`person`]) while the file is read; none is written out.

mod counts;
pub mod date;
pub mod imd;
mod lines;
pub mod person;

use std::fmt;
use std::io::{self, Read, Write};
use std::path::Path;

use assure_domain::cells::{csv_line, shown};

use counts::Counts;
use date::Day;
use lines::{Line, line_too_long, read_lines};

/// The columns an extract must have, in order.
pub const COLUMNS: [&str; 7] = ["contact_id", "person_id", "contact_date", "source", "outcome", "age_band", "lsoa11cd"];

#[derive(Debug)]
pub enum ExtractError {
    Io(io::Error),
    /// A bad cell or line; rows count from 1 as a spreadsheet does (the header is row 1).
    Row {
        row: u64,
        column: Option<usize>,
        message: String,
    },
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtractError::Io(e) => write!(f, "the extract could not be read: {e}"),
            ExtractError::Row { row, column: Some(c), message } => {
                write!(f, "Row {row}, column {} ({}): {message}", char::from(b'A' + *c as u8), COLUMNS[*c])
            }
            ExtractError::Row { row, column: None, message } => write!(f, "Row {row}: {message}"),
        }
    }
}

impl std::error::Error for ExtractError {}

impl From<io::Error> for ExtractError {
    fn from(e: io::Error) -> Self {
        ExtractError::Io(e)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Monthly {
    pub month: String,
    pub source: String,
    pub contacts: u64,
    pub referrals: u64,
    pub persons: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ByDecile {
    pub financial_year: String,
    pub imd_decile: u8,
    pub contacts: u64,
    pub referrals: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReReferrals {
    pub financial_year: String,
    pub referrals: u64,
    pub rereferrals: u64,
}

/// Writes one of the three tables as CSV.
pub type WriteTable = fn(&Aggregates, &mut dyn Write) -> io::Result<()>;

/// The three tables, each sorted by every column in turn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aggregates {
    pub rows: u64,
    pub monthly: Vec<Monthly>,
    pub imd: Vec<ByDecile>,
    pub rereferrals: Vec<ReReferrals>,
}

/// Aggregates the extract in `path`, reading it a second time only if it is not in date order.
pub fn aggregate_file(path: &Path) -> Result<Aggregates, ExtractError> {
    match aggregate(std::fs::File::open(path)?, Mode::Sorted) {
        Err(Unsorted(_)) => aggregate(std::fs::File::open(path)?, Mode::Any)
            .map_err(|_| ExtractError::Io(io::Error::other("the extract changed while it was read")))?,
        Ok(result) => result,
    }
}

/// Aggregates an extract that can be read only once; it must be in date order.
pub fn aggregate_sorted(reader: impl Read + Send) -> Result<Aggregates, ExtractError> {
    match aggregate(reader, Mode::Sorted) {
        Ok(result) => result,
        Err(Unsorted(row)) => Err(ExtractError::Row {
            row,
            column: Some(2),
            message: "the rows are not in date order; sort the extract by contact_date".into(),
        }),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Date order assumed; memory stays flat.
    Sorted,
    /// Any order; everything needed is kept.
    Any,
}

/// The sorted pass met a row (this one) dated before the one above it.
struct Unsorted(u64);

/// One contact, parsed: everything the counts need and nothing else.
#[derive(Clone, Copy)]
struct Contact {
    person: u64,
    day: Day,
    year: i32,
    month: u8,
    day_of_month: u8,
    source: u16,
    /// The LSOA code's number if it is an English LSOA code (`E01` and six digits).
    lsoa: Option<u32>,
    referral: bool,
}

/// The longest source name (a team or channel: "Police", "GP practice", "A&E").
pub const MAX_SOURCE: usize = 64;

/// The longest line: a contact is a few dozen bytes; a file with no line breaks is not an extract.
pub const MAX_LINE: usize = 64 * 1024;

/// Whether a source is a code (and so can never be a spreadsheet formula when written out).
fn is_source_code(source: &[u8]) -> bool {
    source.len() <= MAX_SOURCE
        && source.first().is_some_and(u8::is_ascii_alphanumeric)
        && source.iter().all(|b| b.is_ascii_alphanumeric() || b" -_.,&'/()".contains(b))
}

/// Reads lines into [`Contact`]s: checks each cell, keys the person, numbers the source.
struct Parser {
    mode: Mode,
    keys: person::PersonKeys,
    sources: Vec<Vec<u8>>,
    last_day: Day,
}

impl Parser {
    fn source_id(&mut self, source: &[u8]) -> u16 {
        match self.sources.iter().position(|s| s == source) {
            Some(i) => i as u16,
            None => {
                self.sources.push(source.to_vec());
                (self.sources.len() - 1) as u16
            }
        }
    }

    fn contact(&mut self, row: u64, f: &[&[u8]; 7]) -> Result<Result<Contact, Unsorted>, ExtractError> {
        let bad = |column: usize, message: String| ExtractError::Row { row, column: Some(column), message };
        if f[0].is_empty() {
            return Err(bad(0, "the contact id is empty".into()));
        }
        if f[1].is_empty() {
            return Err(bad(1, "the person id is empty".into()));
        }
        let Some((y, m, d)) = date::parse_iso(f[2]) else {
            return Err(bad(
                2,
                format!("'{}' is not a date in the form 2024-02-29", shown(&String::from_utf8_lossy(f[2]))),
            ));
        };
        if f[3].is_empty() {
            return Err(bad(3, "the source is empty".into()));
        }
        if !is_source_code(f[3]) {
            return Err(bad(
                3,
                format!(
                    "'{}' is not a source: use up to {MAX_SOURCE} letters, digits, spaces and - _ . , & ' / ( ), starting with a letter or digit",
                    shown(&String::from_utf8_lossy(f[3]))
                ),
            ));
        }
        if self.sources.len() >= usize::from(u16::MAX) && !self.sources.iter().any(|s| s == f[3]) {
            return Err(bad(3, "the extract has more than 65,535 different sources".into()));
        }
        let day = date::days_from_civil(y, m, d);
        if self.mode == Mode::Sorted {
            if day < self.last_day {
                return Ok(Err(Unsorted(row)));
            }
            self.last_day = day;
        }
        Ok(Ok(Contact {
            person: self.keys.key(f[1]),
            day,
            year: y,
            month: m as u8,
            day_of_month: d as u8,
            source: self.source_id(f[3]),
            lsoa: imd::lsoa_number(f[6]),
            referral: f[4] == b"referral",
        }))
    }
}

/// Splits a CSV line into its fields, unquoting any quoted ones.
fn split_quoted(line: &[u8]) -> Vec<Vec<u8>> {
    let mut fields = Vec::new();
    let mut field = Vec::new();
    let mut quoted = false;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        match (quoted, b) {
            (true, b'"') if line.get(i + 1) == Some(&b'"') => {
                field.push(b'"');
                i += 1;
            }
            (true, b'"') => quoted = false,
            (false, b'"') if field.is_empty() => quoted = true,
            (false, b',') => fields.push(std::mem::take(&mut field)),
            _ => field.push(b),
        }
        i += 1;
    }
    fields.push(field);
    fields
}

fn check_header(line: &[u8]) -> Result<(), ExtractError> {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let fields = split_quoted(line);
    let names: Vec<String> = fields.iter().map(|f| shown(String::from_utf8_lossy(f).trim())).collect();
    if names.iter().map(String::as_str).eq(COLUMNS) {
        return Ok(());
    }
    for (i, expected) in COLUMNS.iter().enumerate() {
        let found = names.get(i).map(String::as_str).unwrap_or("");
        if found != *expected {
            return Err(ExtractError::Row {
                row: 1,
                column: Some(i),
                message: format!(
                    "the heading should be '{expected}' but is '{found}'; the columns are {}",
                    COLUMNS.join(", ")
                ),
            });
        }
    }
    Err(ExtractError::Row { row: 1, column: None, message: format!("the extract has {} columns, not 7", names.len()) })
}

/// Contacts per message from the reading thread to the counting thread.
const BATCH: usize = 16 * 1024;

/// Reads and parses on this thread while another counts: the two halves of the work take
/// about as long as each other, so two cores finish in about half the time.
fn aggregate(reader: impl Read + Send, mode: Mode) -> Result<Result<Aggregates, ExtractError>, Unsorted> {
    let (to_counter, batches) = std::sync::mpsc::sync_channel::<Vec<Contact>>(4);
    let (recycle, spare) = std::sync::mpsc::channel::<Vec<Contact>>();
    std::thread::scope(|scope| {
        let counter = scope.spawn(move || {
            let mut counts = Counts::new(mode);
            for batch in batches {
                for c in &batch {
                    counts.add(c);
                }
                let mut batch = batch;
                batch.clear();
                let _ = recycle.send(batch);
            }
            counts
        });
        let mut parser = Parser { mode, keys: person::PersonKeys::default(), sources: Vec::new(), last_day: Day::MIN };
        let mut batch = Vec::with_capacity(BATCH);
        let read = read_lines(reader, |row, bytes, line| match parse_line(&mut parser, row, bytes, line)? {
            Ok(Some(c)) => {
                batch.push(c);
                if batch.len() == BATCH {
                    let next = spare.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
                    let full = std::mem::replace(&mut batch, next);
                    if to_counter.send(full).is_err() {
                        return Err(ExtractError::Io(io::Error::other("the counting thread stopped")));
                    }
                }
                Ok(Ok(()))
            }
            Ok(None) => Ok(Ok(())),
            Err(unsorted) => Ok(Err(unsorted)),
        });
        if !batch.is_empty() {
            let _ = to_counter.send(batch);
        }
        drop(to_counter);
        let counts = counter.join().map_err(|_| ()).ok();
        match (read, counts) {
            (Ok(Ok(0)), _) => Ok(Err(ExtractError::Row {
                row: 1,
                column: None,
                message: format!("the extract is empty: its first row must be the headings {}", COLUMNS.join(", ")),
            })),
            (Ok(Ok(_)), Some(counts)) => Ok(Ok(counts.finish(&parser.sources))),
            (Ok(Ok(_)), None) => Ok(Err(ExtractError::Io(io::Error::other("the counting thread failed")))),
            (Ok(Err(unsorted)), _) => Err(unsorted),
            (Err(e), _) => Ok(Err(e)),
        }
    })
}

fn parse_line(
    parser: &mut Parser,
    row: u64,
    bytes: &[u8],
    line: &Line,
) -> Result<Result<Option<Contact>, Unsorted>, ExtractError> {
    if bytes.len() > MAX_LINE {
        return Err(line_too_long(row));
    }
    if row == 1 {
        return check_header(bytes).map(|()| Ok(None));
    }
    if bytes.is_empty() {
        return Ok(Ok(None));
    }
    let mut fields: [&[u8]; 7] = [&[]; 7];
    let contact = if !line.quoted {
        if line.count != 6 {
            let found = line.count + 1;
            return Err(ExtractError::Row { row, column: None, message: format!("expected 7 columns, found {found}") });
        }
        // Offsets within the line (its bytes start at line.start).
        let mut from = 0;
        for (k, comma) in line.commas[..6].iter().enumerate() {
            let at = comma - line.start;
            fields[k] = &bytes[from..at];
            from = at + 1;
        }
        fields[6] = &bytes[from..];
        parser.contact(row, &fields)?
    } else {
        let owned = split_quoted(bytes);
        if owned.len() != 7 {
            return Err(ExtractError::Row {
                row,
                column: None,
                message: format!("expected 7 columns, found {}", owned.len()),
            });
        }
        for (slot, f) in fields.iter_mut().zip(&owned) {
            *slot = f;
        }
        parser.contact(row, &fields)?
    };
    Ok(contact.map(Some))
}

impl Aggregates {
    /// Writes `monthly.csv`, `imd.csv` and `rereferrals.csv` into `dir` (which must exist).
    pub fn write_to(&self, dir: &Path) -> io::Result<()> {
        for (name, write) in Self::TABLES {
            let mut out = io::BufWriter::new(std::fs::File::create(dir.join(name))?);
            write(self, &mut out)?;
            out.flush()?;
        }
        Ok(())
    }

    /// The three files by name, each with the function that writes it.
    pub const TABLES: [(&'static str, WriteTable); 3] = [
        ("monthly.csv", Aggregates::write_monthly),
        ("imd.csv", Aggregates::write_imd),
        ("rereferrals.csv", Aggregates::write_rereferrals),
    ];

    // Every line goes through Assure's one CSV writer, which quotes and neutralises formulas.
    pub fn write_monthly(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(csv_line(["month", "source", "contacts", "referrals", "persons"]).as_bytes())?;
        for r in &self.monthly {
            let (c, re, p) = (r.contacts.to_string(), r.referrals.to_string(), r.persons.to_string());
            out.write_all(csv_line([r.month.as_str(), &r.source, &c, &re, &p]).as_bytes())?;
        }
        Ok(())
    }

    pub fn write_imd(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(csv_line(["financial_year", "imd_decile", "contacts", "referrals"]).as_bytes())?;
        for r in &self.imd {
            let (d, c, re) = (r.imd_decile.to_string(), r.contacts.to_string(), r.referrals.to_string());
            out.write_all(csv_line([r.financial_year.as_str(), &d, &c, &re]).as_bytes())?;
        }
        Ok(())
    }

    pub fn write_rereferrals(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(csv_line(["financial_year", "referrals", "rereferrals"]).as_bytes())?;
        for r in &self.rereferrals {
            let (re, rr) = (r.referrals.to_string(), r.rereferrals.to_string());
            out.write_all(csv_line([r.financial_year.as_str(), &re, &rr]).as_bytes())?;
        }
        Ok(())
    }
}
