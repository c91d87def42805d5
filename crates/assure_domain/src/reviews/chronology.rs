//! A review's merged chronology: dated entries from each agency, at the precision the agency
//! knows (a day, a month or only a year), with an optional time. Entries come by form or as an
//! uploaded table; a table is checked whole and refused whole, naming each bad cell.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::cells::column_letter;
use crate::structure::{Choice, choice};
use crate::validation::{FieldErrors, Validated, optional_text, required_text};

choice!(
    /// How much of an entry's date the agency knows.
    Precision { Day => ("day", "Day"), Month => ("month", "Month"), Year => ("year", "Year") }
);

/// An entry's date as recorded: the first day of the period it names, and how precise it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ChronoDate {
    pub on: NaiveDate,
    pub precision: Precision,
}

impl ChronoDate {
    /// Reads "2023-05-04", "4/5/2023" (day first, as in England), "2023-05", "05/2023",
    /// "May 2023" or "2023".
    pub fn parse(raw: &str) -> Result<ChronoDate, String> {
        let s = raw.trim();
        let bad = || {
            format!("'{}' is not a date: use 2023-05-04, 04/05/2023, 2023-05, May 2023 or 2023", crate::cells::shown(s))
        };
        if s.is_empty() {
            return Err("Enter the date".into());
        }
        let day = |on| Ok(ChronoDate { on, precision: Precision::Day });
        if let Ok(on) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return day(on);
        }
        if let Ok(on) = NaiveDate::parse_from_str(s, "%d/%m/%Y") {
            return day(on);
        }
        let month = |y: i32, m: u32| {
            NaiveDate::from_ymd_opt(y, m, 1).map(|on| ChronoDate { on, precision: Precision::Month }).ok_or_else(bad)
        };
        if let Some((a, b)) = s.split_once('-').or_else(|| s.split_once('/')) {
            let (a, b) = (a.trim(), b.trim());
            if a.len() == 4
                && !b.contains(['-', '/'])
                && let (Ok(y), Ok(m)) = (a.parse(), b.parse())
            {
                return month(y, m);
            }
            if b.len() == 4
                && !b.contains(['-', '/'])
                && !a.contains(['-', '/'])
                && let (Ok(m), Ok(y)) = (a.parse(), b.parse())
            {
                return month(y, m);
            }
            return Err(bad());
        }
        if let Some((name, year)) = s.split_once(' ') {
            let name = name.trim().to_lowercase();
            let m =
                MONTHS.iter().position(|m| name == *m || (name.len() >= 3 && m.starts_with(&name)) || name == "sept");
            if let (Some(m), Ok(y)) = (m, year.trim().parse::<i32>()) {
                return month(y, m as u32 + 1);
            }
            return Err(bad());
        }
        if s.len() == 4
            && let Ok(y) = s.parse::<i32>()
        {
            return NaiveDate::from_ymd_opt(y, 1, 1)
                .map(|on| ChronoDate { on, precision: Precision::Year })
                .ok_or_else(bad);
        }
        Err(bad())
    }

    /// As people write it: "4 May 2023", "May 2023", "2023".
    pub fn display(&self) -> String {
        match self.precision {
            Precision::Day => self.on.format("%-d %B %Y").to_string(),
            Precision::Month => self.on.format("%B %Y").to_string(),
            Precision::Year => self.on.year().to_string(),
        }
    }

    /// The last day of the period the date names, for ordering and comparison.
    pub fn end(&self) -> NaiveDate {
        match self.precision {
            Precision::Day => self.on,
            Precision::Month => {
                let next = if self.on.month() == 12 {
                    NaiveDate::from_ymd_opt(self.on.year() + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(self.on.year(), self.on.month() + 1, 1)
                };
                next.and_then(|n| n.pred_opt()).unwrap_or(self.on)
            }
            Precision::Year => NaiveDate::from_ymd_opt(self.on.year(), 12, 31).unwrap_or(self.on),
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// An entry as typed into the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EntryInput {
    pub organisation_id: String,
    pub date: String,
    pub time: String,
    pub source: String,
    pub event: String,
    pub comment: String,
}

/// A checked entry, without its agency (the form and the upload name it separately).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub date: ChronoDate,
    pub time: Option<NaiveTime>,
    pub source: String,
    pub event: String,
    pub comment: Option<String>,
}

fn time(raw: &str) -> Result<Option<NaiveTime>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .map(Some)
        .map_err(|_| format!("'{}' is not a time: use the 24-hour clock, like 14:30", crate::cells::shown(s)))
}

/// Checks one entry's fields; `field` names where each error goes.
fn entry(date: &str, at: &str, source: &str, event: &str, comment: &str, today: NaiveDate) -> Validated<NewEntry> {
    let mut e = FieldErrors::new();
    let date = e.check("date", ChronoDate::parse(date));
    if date.is_some_and(|d| d.on > today) {
        e.add("date", "The date cannot be in the future");
    }
    let time = e.check("time", time(at));
    if time.flatten().is_some() && date.is_some_and(|d| d.precision != Precision::Day) {
        e.add("time", "A time needs a full date (day, month and year)");
    }
    let source = e.check("source", required_text("the source (the record the entry comes from)", source, 500));
    let event = e.check("event", required_text("what happened", event, 8000));
    let comment = e.check("comment", optional_text("the agency's comment", comment, 8000));
    let (Some(date), Some(time), Some(source), Some(event), Some(comment)) = (date, time, source, event, comment)
    else {
        return Err(e);
    };
    e.into_result(|| NewEntry { date, time, source, event, comment })
}

impl EntryInput {
    pub fn validate(&self, today: NaiveDate) -> Validated<NewEntry> {
        entry(&self.date, &self.time, &self.source, &self.event, &self.comment, today)
    }
}

/// The upload template's columns, in order.
pub const COLUMNS: [&str; 5] = ["Date", "Time", "Source", "Event", "Agency comment"];

pub use crate::cells::CellError;

/// Reads an uploaded table (its first row the header) into entries, or every bad cell. Empty
/// rows are skipped. Nothing is kept unless every row is good.
pub fn parse_table(rows: &[Vec<String>], today: NaiveDate) -> Result<Vec<NewEntry>, Vec<CellError>> {
    let mut errors = Vec::new();
    let Some(header) = rows.first() else {
        return Err(vec![CellError {
            row: 1,
            column: "A".into(),
            message: format!("The file is empty: its first row must be the headings {}", COLUMNS.join(", ")),
        }]);
    };
    for (i, expected) in COLUMNS.iter().enumerate() {
        let found = header.get(i).map(|h| h.trim()).unwrap_or("");
        if !found.eq_ignore_ascii_case(expected) {
            errors.push(CellError {
                row: 1,
                column: column_letter(i),
                message: if found.is_empty() {
                    format!("The heading should be '{expected}' but the cell is empty")
                } else {
                    format!("The heading should be '{expected}' but is '{found}'")
                },
            });
        }
    }
    for (i, extra) in header.iter().enumerate().skip(COLUMNS.len()) {
        if !extra.trim().is_empty() {
            errors.push(CellError {
                row: 1,
                column: column_letter(i),
                message: format!(
                    "Unexpected column '{}': the template has {} columns",
                    crate::cells::shown(extra.trim()),
                    COLUMNS.len()
                ),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut entries = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |c: usize| row.get(c).map(String::as_str).unwrap_or("");
        match entry(cell(0), cell(1), cell(2), cell(3), cell(4), today) {
            Ok(e) => entries.push(e),
            Err(fields) => {
                let first = errors.len();
                for (field, messages) in fields.iter() {
                    let column = match field {
                        "date" => 0,
                        "time" => 1,
                        "source" => 2,
                        "event" => 3,
                        _ => 4,
                    };
                    for m in messages {
                        errors.push(CellError { row: i + 1, column: column_letter(column), message: m.clone() });
                    }
                }
                errors[first..].sort_by_key(|e| (e.column.len(), e.column.clone()));
            }
        }
    }
    if entries.is_empty() && errors.is_empty() {
        errors.push(CellError { row: 2, column: "A".into(), message: "The file has headings but no entries".into() });
    }
    if errors.is_empty() { Ok(entries) } else { Err(errors) }
}

/// What duplicate detection needs of an entry.
#[derive(Debug, Clone)]
pub struct Comparable<'a> {
    pub id: i64,
    pub organisation_id: i64,
    pub date: ChronoDate,
    pub time: Option<NaiveTime>,
    pub event: &'a str,
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

const STOP: [&str; 12] = ["the", "and", "was", "for", "with", "from", "that", "this", "were", "has", "had", "not"];

/// Whether two events say the same thing word for word, whatever their case, spacing or
/// punctuation.
fn same_words(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect::<Vec<_>>()
    };
    key(a) == key(b)
}

/// The most likely duplicates flagged for one entry.
pub const DUPLICATES_PER_ENTRY: usize = 5;
/// The most pairs compared within one day: a chronology with thousands of entries on one day
/// is flagged as far as this goes (flags are hints for the reader, not a guarantee).
pub const COMPARISONS_PER_DAY: usize = 50_000;

/// Pairs of entries from different agencies that probably record the same event: the same day
/// (and the same time when both give one) and at least half their words in common; and one
/// agency's entry given twice (the same day, time and words). Entries are
/// grouped by day, and within a day only entries sharing a word are compared, so the work grows
/// with each day's entries, not with every pair in the chronology; each entry is paired with at
/// most [`DUPLICATES_PER_ENTRY`] others and each day costs at most [`COMPARISONS_PER_DAY`].
pub fn likely_duplicates(entries: &[Comparable<'_>]) -> Vec<(i64, i64)> {
    let mut by_day: std::collections::BTreeMap<NaiveDate, Vec<usize>> = std::collections::BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if e.date.precision == Precision::Day {
            by_day.entry(e.date.on).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    let mut flagged = vec![0usize; entries.len()];
    for day in by_day.values().filter(|d| d.len() > 1) {
        let bags: Vec<BTreeSet<String>> = day.iter().map(|&i| words(entries[i].event)).collect();
        let mut by_word: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
        for (k, bag) in bags.iter().enumerate() {
            for w in bag {
                by_word.entry(w.as_str()).or_default().push(k);
            }
        }
        let mut budget = COMPARISONS_PER_DAY;
        for (k, bag) in bags.iter().enumerate() {
            if budget == 0 {
                break;
            }
            // Later entries of the day sharing at least one word with this one, each once.
            let mut seen = std::collections::HashSet::new();
            'words: for w in bag {
                let posting = &by_word[w.as_str()];
                for &m in &posting[posting.partition_point(|&m| m <= k)..] {
                    let (i, j) = (day[k], day[m]);
                    if budget == 0 || flagged[i] >= DUPLICATES_PER_ENTRY {
                        break 'words;
                    }
                    if !seen.insert(m) {
                        continue;
                    }
                    budget -= 1;
                    let (a, b) = (&entries[i], &entries[j]);
                    // One agency's two entries are flagged only when they are the same entry twice.
                    let twice = a.organisation_id == b.organisation_id && same_words(a.event, b.event);
                    if (a.organisation_id == b.organisation_id && !twice) || flagged[j] >= DUPLICATES_PER_ENTRY {
                        continue;
                    }
                    if let (Some(x), Some(y)) = (a.time, b.time)
                        && x != y
                    {
                        continue;
                    }
                    let common = bag.intersection(&bags[m]).count();
                    let union = bag.len() + bags[m].len() - common;
                    if union > 0 && common * 2 >= union {
                        out.push((a.id, b.id));
                        flagged[i] += 1;
                        flagged[j] += 1;
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn dates_are_read_at_the_precision_given() {
        let p = |s| ChronoDate::parse(s).expect(s);
        assert_eq!(p("2023-05-04"), ChronoDate { on: d("2023-05-04"), precision: Precision::Day });
        assert_eq!(p("04/05/2023"), ChronoDate { on: d("2023-05-04"), precision: Precision::Day });
        assert_eq!(p("2023-05"), ChronoDate { on: d("2023-05-01"), precision: Precision::Month });
        assert_eq!(p("05/2023"), ChronoDate { on: d("2023-05-01"), precision: Precision::Month });
        assert_eq!(p("May 2023"), ChronoDate { on: d("2023-05-01"), precision: Precision::Month });
        assert_eq!(p("september 2021"), ChronoDate { on: d("2021-09-01"), precision: Precision::Month });
        assert_eq!(p("2023"), ChronoDate { on: d("2023-01-01"), precision: Precision::Year });
        for bad in ["31/02/2023", "2023-13", "13/2023", "Mayday 2023", "yesterday", "20230504"] {
            assert!(ChronoDate::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(p("May 2023").display(), "May 2023");
        assert_eq!(p("2024-02").end(), d("2024-02-29"));
        assert_eq!(p("2023").end(), d("2023-12-31"));
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn a_table_with_the_wrong_headings_is_refused_by_column() {
        let rows = vec![row(&["Date", "Time", "Src", "Event"])];
        let errors = parse_table(&rows, d("2025-01-01")).expect_err("bad headings");
        assert_eq!(errors[0].to_string(), "Row 1, column C: The heading should be 'Source' but is 'Src'");
        assert_eq!(
            errors[1].to_string(),
            "Row 1, column E: The heading should be 'Agency comment' but the cell is empty"
        );
    }

    #[test]
    fn every_bad_cell_is_named_and_nothing_is_kept() {
        let rows = vec![
            row(&["Date", "Time", "Source", "Event", "Agency comment"]),
            row(&["2023-05-04", "09:15", "GP record", "Seen by GP", ""]),
            row(&["", "", "", "", ""]),
            row(&["31/02/2023", "", "Health visitor notes", "Home visit", ""]),
            row(&["2023-06", "10:00", "", "Strategy meeting", ""]),
        ];
        let errors = parse_table(&rows, d("2025-01-01")).expect_err("bad rows");
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            vec![
                "Row 4, column A: '31/02/2023' is not a date: use 2023-05-04, 04/05/2023, 2023-05, May 2023 or 2023",
                "Row 5, column B: A time needs a full date (day, month and year)",
                "Row 5, column C: Enter the source (the record the entry comes from)",
            ]
        );
        let good = parse_table(&rows[..3], d("2025-01-01")).expect("good rows");
        assert_eq!(good.len(), 1);
        assert_eq!(good[0].time, NaiveTime::from_hms_opt(9, 15, 0));
    }

    #[test]
    fn the_same_event_from_two_agencies_is_flagged() {
        let day = ChronoDate::parse("2023-05-04").expect("date");
        let e = |id, org, event| Comparable { id, organisation_id: org, date: day, time: None, event };
        let entries = vec![
            e(1, 10, "Strategy meeting held; decision to progress to section 47 enquiry"),
            e(2, 11, "Strategy meeting held, section 47 enquiry agreed"),
            e(3, 10, "Strategy meeting held; section 47 enquiry"),
            e(4, 12, "GP appointment missed"),
        ];
        assert_eq!(likely_duplicates(&entries), vec![(1, 2), (2, 3)]);
    }

    #[test]
    fn one_agencys_entry_given_twice_is_flagged() {
        let day = ChronoDate::parse("2023-05-04").expect("date");
        let e = |id, event| Comparable { id, organisation_id: 10, date: day, time: None, event };
        let entries = vec![
            e(1, "Home visit: mother not at home."),
            e(2, "home visit mother not at home"),
            e(3, "Home visit: mother at home."),
        ];
        // 3 is a different visit of the same agency's: similar words are not enough.
        assert_eq!(likely_duplicates(&entries), vec![(1, 2)]);
    }

    #[test]
    fn a_huge_day_of_identical_entries_is_flagged_in_bounded_work() {
        let day = ChronoDate::parse("2023-05-04").expect("date");
        let entries: Vec<Comparable<'_>> = (0..100_000)
            .map(|id| Comparable { id, organisation_id: id % 7, date: day, time: None, event: "Strategy meeting held" })
            .collect();
        let pairs = likely_duplicates(&entries);
        // Each entry is flagged at most a few times, and the day's comparisons are capped.
        assert!(pairs.len() <= COMPARISONS_PER_DAY, "{}", pairs.len());
        let mut per_entry = std::collections::HashMap::new();
        for (a, b) in &pairs {
            *per_entry.entry(a).or_insert(0) += 1;
            *per_entry.entry(b).or_insert(0) += 1;
        }
        assert!(per_entry.values().all(|n| *n <= DUPLICATES_PER_ENTRY));
        assert!(!pairs.is_empty());
    }
}
