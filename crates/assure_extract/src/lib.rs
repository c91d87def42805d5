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

pub mod date;
pub mod imd;
pub mod person;

use std::fmt;
use std::io::{self, Read, Write};
use std::path::Path;

use assure_domain::cells::{csv_line, shown};
use rustc_hash::{FxHashMap, FxHashSet};

use date::Day;

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

/// Person keys below this number, of the extract's most common id shape, are marked in a
/// bitmap rather than a hash set (1 MB a month and source while the month is open).
const DENSE: u64 = 1 << 23;

/// Counts for one month and source.
#[derive(Default)]
struct Group {
    contacts: u64,
    referrals: u64,
    /// Distinct persons: those whose keys fit the bitmap, counted as they are first marked...
    bits: Vec<u64>,
    marked: u64,
    /// ...and everyone else.
    persons: FxHashSet<u64>,
    /// Distinct persons, once the month is over and its sets dropped.
    counted: Option<u64>,
}

impl Group {
    fn distinct(&self) -> u64 {
        self.counted.unwrap_or(self.marked + self.persons.len() as u64)
    }
}

#[derive(Default, Clone, Copy)]
struct Year {
    by_decile: [[u64; 2]; 11],
    referrals: u64,
    rereferrals: u64,
}

/// The running counts.
struct Counts {
    mode: Mode,
    /// By month index (year * 12 + month - 1), then by source id; the position of the month
    /// last counted is remembered, since rows come month by month.
    months: Vec<(u32, Vec<Group>)>,
    month_at: FxHashMap<u32, usize>,
    last_month: Option<(u32, usize)>,
    deciles: &'static [u8],
    /// Each source's distinct persons in the last month closed, to size the next month's sets.
    last_sizes: Vec<usize>,
    /// The shape (top bits) of the first patterned person key, whose numbers use the bitmaps.
    dense_shape: Option<u64>,
    newest_month: u32,
    /// By financial year (its starting year): contacts and referrals by decile 0 to 10, then
    /// referrals and re-referrals; the last year counted is remembered.
    years: Vec<(i32, Year)>,
    last_year: Option<(i32, usize)>,
    /// Sorted mode: each person's latest referral, while it is under a year old.
    last_referral: FxHashMap<u64, Day>,
    /// Any-order mode: every referral as (person, day, the day a year earlier, financial year).
    referrals: Vec<(u64, Day, Day, i32)>,
    rows: u64,
}

impl Counts {
    fn new(mode: Mode) -> Counts {
        Counts {
            mode,
            months: Vec::new(),
            month_at: FxHashMap::default(),
            last_month: None,
            deciles: imd::table(),
            last_sizes: Vec::new(),
            dense_shape: None,
            newest_month: 0,
            years: Vec::new(),
            last_year: None,
            last_referral: FxHashMap::default(),
            referrals: Vec::new(),
            rows: 0,
        }
    }

    /// Counts and drops the distinct-person sets of every month before `month`, and forgets
    /// referrals too old to make a re-referral from `today` on.
    fn close_before(&mut self, month: u32, today: Day) {
        for (m, groups) in &mut self.months {
            if *m < month {
                for (source, g) in groups.iter_mut().enumerate().filter(|(_, g)| g.counted.is_none()) {
                    if self.last_sizes.len() <= source {
                        self.last_sizes.resize(source + 1, 0);
                    }
                    self.last_sizes[source] = g.persons.len();
                    g.counted = Some(g.distinct());
                    g.persons = FxHashSet::default();
                    g.bits = Vec::new();
                }
            }
        }
        self.last_referral.retain(|_, day| *day >= today - 366);
    }

    fn add(&mut self, c: &Contact) {
        let (y, m, d) = (c.year, u32::from(c.month), u32::from(c.day_of_month));
        let month = (y as u32) * 12 + (m - 1);
        if self.mode == Mode::Sorted && month > self.newest_month {
            self.close_before(month, c.day);
        }
        self.newest_month = self.newest_month.max(month);
        let at = match self.last_month {
            Some((last, at)) if last == month => at,
            _ => {
                let at = *self.month_at.entry(month).or_insert_with(|| {
                    self.months.push((month, Vec::new()));
                    self.months.len() - 1
                });
                self.last_month = Some((month, at));
                at
            }
        };
        let groups = &mut self.months[at].1;
        let source = usize::from(c.source);
        if groups.len() <= source {
            let sizes = &self.last_sizes;
            let mut next = groups.len();
            groups.resize_with(source + 1, || {
                let room = sizes.get(next).copied().unwrap_or(0) + sizes.get(next).copied().unwrap_or(0) / 8;
                next += 1;
                Group { persons: FxHashSet::with_capacity_and_hasher(room, Default::default()), ..Group::default() }
            });
        }
        let group = &mut groups[source];
        group.contacts += 1;
        group.referrals += u64::from(c.referral);
        // Bitmaps only while months close as they pass (sorted input); else memory would grow.
        let shape = c.person >> 47;
        let number = c.person & ((1 << 47) - 1);
        if self.mode == Mode::Sorted && c.person >> 63 == 1 && self.dense_shape.is_none() {
            self.dense_shape = Some(shape);
        }
        if self.mode == Mode::Sorted && self.dense_shape == Some(shape) && number < DENSE {
            if group.bits.is_empty() {
                group.bits = vec![0u64; (DENSE / 64) as usize];
            }
            let (word, bit) = ((number / 64) as usize, 1u64 << (number % 64));
            if group.bits[word] & bit == 0 {
                group.bits[word] |= bit;
                group.marked += 1;
            }
        } else {
            group.persons.insert(c.person);
        }

        let financial_year = date::financial_year(y, m);
        let decile = c.lsoa.map(|n| self.deciles[n as usize]).unwrap_or(0);
        let at = self.year_at(financial_year);
        let cell = &mut self.years[at].1.by_decile[usize::from(decile)];
        cell[0] += 1;
        cell[1] += u64::from(c.referral);

        if c.referral {
            match self.mode {
                Mode::Sorted => {
                    let earlier = date::year_earlier(y, m, d);
                    let re = self.last_referral.insert(c.person, c.day).is_some_and(|prev| prev >= earlier);
                    let year = &mut self.years[at].1;
                    year.referrals += 1;
                    year.rereferrals += u64::from(re);
                }
                Mode::Any => self.referrals.push((c.person, c.day, date::year_earlier(y, m, d), financial_year)),
            }
        }
        self.rows += 1;
    }

    /// Where a financial year's counts are, adding it if new.
    fn year_at(&mut self, financial_year: i32) -> usize {
        match self.last_year {
            Some((fy, at)) if fy == financial_year => at,
            _ => {
                let at = match self.years.iter().position(|(fy, _)| *fy == financial_year) {
                    Some(at) => at,
                    None => {
                        self.years.push((financial_year, Year::default()));
                        self.years.len() - 1
                    }
                };
                self.last_year = Some((financial_year, at));
                at
            }
        }
    }

    fn finish(mut self, sources: &[Vec<u8>]) -> Aggregates {
        if self.mode == Mode::Any {
            // Each person's referrals in date order: a referral is a re-referral when the one
            // before it was within a year. Same-day referrals count the same in either order.
            self.referrals.sort_unstable_by_key(|r| (r.0, r.1));
            let mut previous: Option<(u64, Day)> = None;
            let referrals = std::mem::take(&mut self.referrals);
            for &(person, day, earlier, fy) in &referrals {
                let re = previous.is_some_and(|(p, d)| p == person && d >= earlier);
                let at = self.year_at(fy);
                self.years[at].1.referrals += 1;
                self.years[at].1.rereferrals += u64::from(re);
                previous = Some((person, day));
            }
        }
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let mut monthly = Vec::new();
        for (month, groups) in &self.months {
            let month = *month;
            for (source, g) in groups.iter().enumerate().filter(|(_, g)| g.contacts > 0) {
                monthly.push(Monthly {
                    month: format!("{:04}-{:02}", month / 12, month % 12 + 1),
                    source: text(&sources[source]),
                    contacts: g.contacts,
                    referrals: g.referrals,
                    persons: g.distinct(),
                });
            }
        }
        monthly.sort();
        let mut imd = Vec::new();
        let mut rereferrals = Vec::new();
        for (fy, year) in &self.years {
            let label = date::financial_year_label(*fy);
            for (decile, cell) in year.by_decile.iter().enumerate().filter(|(_, c)| c[0] > 0) {
                imd.push(ByDecile {
                    financial_year: label.clone(),
                    imd_decile: decile as u8,
                    contacts: cell[0],
                    referrals: cell[1],
                });
            }
            if year.referrals > 0 {
                rereferrals.push(ReReferrals {
                    financial_year: label,
                    referrals: year.referrals,
                    rereferrals: year.rereferrals,
                });
            }
        }
        imd.sort();
        rereferrals.sort();
        Aggregates { rows: self.rows, monthly, imd, rereferrals }
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

const BLOCK: usize = 8 << 20;
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

/// Where a line's fields are: the line's bounds and up to seven commas, and whether it has a quote.
struct Line {
    start: usize,
    end: usize,
    commas: [usize; 7],
    count: usize,
    quoted: bool,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that equals `byte`, exactly (no false positives).
#[inline]
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    !(((x & !HIGHS).wrapping_add(!HIGHS)) | x) & HIGHS
}

/// Finds the delimiters of every complete line in `buf` eight bytes at a time, calling `each`
/// per line. Returns how many bytes the complete lines took.
fn scan<E>(buf: &[u8], mut each: impl FnMut(&Line) -> Result<(), E>) -> Result<usize, E> {
    let mut line = Line { start: 0, end: 0, commas: [0; 7], count: 0, quoted: false };
    let mut delimiter = |at: usize, b: u8, line: &mut Line| -> Result<(), E> {
        match b {
            b',' => {
                if line.count < 7 {
                    line.commas[line.count] = at;
                }
                line.count += 1;
            }
            b'"' => line.quoted = true,
            _ => {
                line.end = at;
                each(line)?;
                *line = Line { start: at + 1, end: 0, commas: [0; 7], count: 0, quoted: false };
            }
        }
        Ok(())
    };
    let mut i = 0;
    while i + 8 <= buf.len() {
        let mut chunk = [0u8; 8];
        chunk.copy_from_slice(&buf[i..i + 8]);
        let word = u64::from_le_bytes(chunk);
        let mut found = bytes_equal(word, b',') | bytes_equal(word, b'\n') | bytes_equal(word, b'"');
        while found != 0 {
            let at = i + (found.trailing_zeros() / 8) as usize;
            delimiter(at, buf[at], &mut line)?;
            found &= found - 1;
        }
        i += 8;
    }
    for (at, &b) in buf.iter().enumerate().skip(i) {
        if matches!(b, b',' | b'\n' | b'"') {
            delimiter(at, b, &mut line)?;
        }
    }
    Ok(line.start)
}

/// Calls `each` with every line (its bytes, without the line ending, and where its commas
/// are) and its row number. A third thread reads the file in large blocks while this one
/// scans them, so that copying from the operating system overlaps the work. Returns how many
/// rows there were.
fn read_lines(
    mut reader: impl Read + Send,
    mut each: impl FnMut(u64, &[u8], &Line) -> Result<Result<(), Unsorted>, ExtractError>,
) -> Result<Result<u64, Unsorted>, ExtractError> {
    let (to_scanner, blocks) = std::sync::mpsc::sync_channel::<io::Result<(Vec<u8>, usize)>>(2);
    let (give_back, returned) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            // Four blocks go round: two queued, one being scanned, one being filled.
            let mut made = 0;
            loop {
                let mut block = match returned.try_recv() {
                    Ok(block) => block,
                    Err(_) if made < 4 => {
                        made += 1;
                        vec![0u8; BLOCK]
                    }
                    Err(_) => match returned.recv() {
                        Ok(block) => block,
                        Err(_) => return,
                    },
                };
                let mut filled = 0;
                // Fill the block (or reach the end), so that blocks stay large.
                let outcome = loop {
                    match reader.read(&mut block[filled..]) {
                        Ok(0) => break Ok(()),
                        Ok(n) => {
                            filled += n;
                            if filled == block.len() {
                                break Ok(());
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                let last = filled == 0;
                let message = outcome.map(|()| (block, filled));
                let failed = message.is_err();
                if to_scanner.send(message).is_err() || last || failed {
                    return;
                }
            }
        });

        let mut row: u64 = 0;
        let mut unsorted = None;
        // The start of a line that ran past the end of the last block.
        let mut carry: Vec<u8> = Vec::new();
        let mut handle = |buf: &[u8], row: &mut u64, unsorted: &mut Option<Unsorted>| {
            scan(buf, |line| {
                *row += 1;
                let mut bytes = &buf[line.start..line.end];
                if bytes.last() == Some(&b'\r') {
                    bytes = &bytes[..bytes.len() - 1];
                }
                match each(*row, bytes, line)? {
                    Ok(()) => Ok(()),
                    Err(u) => {
                        *unsorted = Some(u);
                        // Stop scanning: the caller starts again in any-order mode.
                        Err(ExtractError::Io(io::Error::other("unsorted")))
                    }
                }
            })
        };
        let finish = |result: Result<usize, ExtractError>, unsorted: &mut Option<Unsorted>| match result {
            Ok(consumed) => Ok(consumed),
            Err(e) => Err(match unsorted.take() {
                Some(u) => Ok(u),
                None => Err(e),
            }),
        };
        for message in blocks {
            let (block, filled) = message?;
            if filled == 0 {
                break;
            }
            let data = &block[..filled];
            let mut from = 0;
            if !carry.is_empty() {
                // Complete the carried line with this block's first line, or carry on.
                match memchr::memchr(b'\n', data) {
                    Some(nl) => {
                        carry.extend_from_slice(&data[..=nl]);
                        let joined = std::mem::take(&mut carry);
                        match finish(handle(&joined, &mut row, &mut unsorted), &mut unsorted) {
                            Ok(_) => {}
                            Err(Ok(u)) => return Ok(Err(u)),
                            Err(Err(e)) => return Err(e),
                        }
                        from = nl + 1;
                    }
                    None => {
                        carry.extend_from_slice(data);
                        let _ = give_back.send(block);
                        if carry.len() > MAX_LINE {
                            return Err(line_too_long(row + 1));
                        }
                        continue;
                    }
                }
            }
            match finish(handle(&data[from..], &mut row, &mut unsorted), &mut unsorted) {
                Ok(consumed) => {
                    carry.extend_from_slice(&data[from + consumed..]);
                    if carry.len() > MAX_LINE {
                        return Err(line_too_long(row + 1));
                    }
                }
                Err(Ok(u)) => return Ok(Err(u)),
                Err(Err(e)) => return Err(e),
            }
            let _ = give_back.send(block);
        }
        if !carry.is_empty() {
            // The last line has no line ending: give it one.
            carry.push(b'\n');
            match finish(handle(&carry, &mut row, &mut unsorted), &mut unsorted) {
                Ok(_) => {}
                Err(Ok(u)) => return Ok(Err(u)),
                Err(Err(e)) => return Err(e),
            }
        }
        Ok(Ok(row))
    })
}

fn line_too_long(row: u64) -> ExtractError {
    ExtractError::Row {
        row,
        column: None,
        message: format!("the line is longer than {} KB: an extract has one contact per line", MAX_LINE / 1024),
    }
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
