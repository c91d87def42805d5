//! Attendance grids as partnerships already keep them: a first column naming each seat as
//! written ("Melanie Hall – head teacher, special schools heads rep"), one column per meeting
//! headed by its date in any usual written form, and cells as people write them ("√",
//! "Apologies – June Mitchell attended", "Luke Collison & Tracey Harman attended", "√ Sue Kent
//! also attended", blank). Reading one is pure: [`GridText::from_rows`] finds the grid in a
//! table, [`read_grid`] reads every seat and cell against what the partnership already holds
//! (its organisations, the body's seats and meetings, its people) and says how it read each one
//! or what is wrong with it, by row and column. Nothing is kept unless every cell reads.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;

mod written;
pub use written::{CellText, SeatText, comparable_name, heading_date, join_names, read_cell, read_seat};

use super::{Mark, Presence, seat_on};
use crate::cells::{CellError, column_letter, shown};
use crate::structure::{Choice, MembershipRole, choice, seat_taken};
use crate::validation::long_date;
use crate::{MeetingId, MembershipId, OrganisationId, PersonId};

/// The most seats (rows) a grid may have.
pub const MAX_SEATS: usize = 150;
/// The most meetings (columns after the first) a grid may have: six years of quarterly meetings.
pub const MAX_MEETINGS: usize = 24;
/// The longest a seat or a cell may be, in characters.
pub const MAX_CELL: usize = 300;
/// The longest a name read from a cell may be.
const MAX_NAME: usize = 100;

/// What the marks people write look like, for messages.
pub const CELL_HINT: &str = "write ✓, Remote, Apologies, Apologies – NAME attended, NAME attended, \
    ✓ NAME also attended, Absent, n/a, or leave it blank";

/// A grid as text: its headings and its seat rows, each with the row number it had in the file
/// (so a message can point at it after the grid has been corrected on the preview).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GridText {
    /// The first column's heading, as written ("Representative").
    pub heading: String,
    /// The headings' row number in the file (0 when not known: read as the first row).
    pub heading_line: usize,
    /// The meeting columns' headings, as written.
    pub dates: Vec<String>,
    pub rows: Vec<GridRow>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GridRow {
    /// The row's number in the file (the headings are the first non-empty row).
    pub line: usize,
    pub seat: String,
    /// One cell per meeting column.
    pub cells: Vec<String>,
}

fn cell_error(row: usize, column: usize, message: impl Into<String>) -> CellError {
    CellError { row, column: column_letter(column), message: message.into() }
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

impl GridText {
    /// Finds the grid in a table's rows (row 0 is the file's row 1): the first non-empty row
    /// heads the columns (the seats' column, then one date per meeting); empty rows and the
    /// headings repeated further down (a table continued over pages) are skipped.
    pub fn from_rows(rows: &[Vec<String>]) -> Result<GridText, Vec<CellError>> {
        let Some(first) = rows.iter().position(|r| !blank(r)) else {
            return Err(vec![cell_error(
                1,
                0,
                "The file is empty: its first row heads the columns (the seats, then each meeting's date)",
            )]);
        };
        let header = &rows[first];
        let line = first + 1;
        let width = header.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |i| i + 1);
        let mut errors = Vec::new();
        if width < 2 {
            errors.push(cell_error(line, 1, "The first row must give each meeting's date, from column B on"));
            return Err(errors);
        }
        if width - 1 > MAX_MEETINGS {
            errors.push(cell_error(
                line,
                MAX_MEETINGS + 1,
                format!("The grid has {} meetings: import at most {MAX_MEETINGS} at a time", width - 1),
            ));
            return Err(errors);
        }
        for (c, heading) in header.iter().enumerate().take(width).skip(1) {
            if heading.trim().is_empty() {
                errors.push(cell_error(line, c, "This column has no date: head each meeting's column with its date"));
            }
        }
        let trimmed = |r: &[String]| -> Vec<String> { r.iter().map(|c| c.trim().to_owned()).collect() };
        let heading_row = trimmed(&header[..width]);
        let mut grid = GridText {
            heading: header[0].trim().to_owned(),
            heading_line: line,
            dates: heading_row[1..].to_vec(),
            rows: Vec::new(),
        };
        for (i, row) in rows.iter().enumerate().skip(first + 1) {
            if blank(row) {
                continue;
            }
            let mut cells = trimmed(row);
            cells.resize(cells.len().max(width), String::new());
            if cells[..width] == heading_row[..] && blank(&cells[width..]) {
                continue;
            }
            if let Some(c) = cells.iter().skip(width).position(|c| !c.is_empty()) {
                errors.push(cell_error(
                    i + 1,
                    width + c,
                    "This cell has no meeting: its column has no date in the first row",
                ));
            }
            if grid.rows.len() == MAX_SEATS {
                errors.push(cell_error(
                    i + 1,
                    0,
                    format!("The grid has more than {MAX_SEATS} seats: import it in parts"),
                ));
                break;
            }
            grid.rows.push(GridRow { line: i + 1, seat: cells[0].clone(), cells: cells[1..width].to_vec() });
        }
        if grid.rows.is_empty() && errors.is_empty() {
            errors.push(cell_error(line + 1, 0, "The grid has headings but no seats"));
        }
        if errors.is_empty() { Ok(grid) } else { Err(errors) }
    }
}

choice!(
    /// What a blank cell means where the seat was held.
    Blank {
        Absent => ("absent", "Absent without apologies"),
        NotRecorded => ("not_recorded", "Not recorded"),
    }
);

/// A seat the body already has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownSeat {
    pub membership: MembershipId,
    pub person: PersonId,
    pub name: String,
    pub role: MembershipRole,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// A meeting the body already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownMeeting {
    pub id: MeetingId,
    pub held_on: NaiveDate,
    pub cancelled: bool,
}

/// What a grid is read against.
#[derive(Debug, Clone, Copy)]
pub struct GridContext<'a> {
    pub today: NaiveDate,
    /// When the body was stood down, if it has been.
    pub body_ended: Option<NaiveDate>,
    pub organisations: &'a [(OrganisationId, String)],
    pub seats: &'a [KnownSeat],
    pub people: &'a [(PersonId, String)],
    pub meetings: &'a [KnownMeeting],
    pub blank: Blank,
}

/// Where a meeting column's marks go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Column {
    Existing(MeetingId),
    New,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnReading {
    pub heading: String,
    pub date: Option<NaiveDate>,
    pub meeting: Option<Column>,
    pub error: Option<String>,
}

/// Who a seat's holder is in Assure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Holding {
    /// A seat (membership) the body already has.
    Seat(MembershipId),
    /// A person the partnership has, given a new seat.
    Person(PersonId),
    /// Someone new: a person and a seat are added.
    NewPerson,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HolderReading {
    pub name: String,
    pub holding: Holding,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub role: MembershipRole,
    pub organisation: Option<OrganisationId>,
    /// The role or organisation as written, kept as a new person's job title.
    pub job_title: Option<String>,
}

impl HolderReading {
    /// How the preview says it: "Melanie Hall, new person and seat from 19 November 2015".
    pub fn words(&self) -> String {
        let what = match self.holding {
            Holding::Seat(_) => "the body's seat",
            Holding::Person(_) => "a new seat for this person",
            Holding::NewPerson => "a new person and seat",
        };
        let role = if self.role == MembershipRole::Member { String::new() } else { format!(", {}", self.role.label()) };
        let period = match self.to {
            Some(to) => format!("from {} to {}", long_date(self.from), long_date(to)),
            None => format!("from {}", long_date(self.from)),
        };
        format!("{}{role}: {what}, {period}", self.name)
    }
}

/// How one cell was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CellOutcome {
    /// No mark: blank where the seat was not held (or blanks are not recorded), or "n/a".
    Nothing,
    /// The mark for the seat's holder current on the day (an index into the seat's holders),
    /// and anyone who came besides.
    Mark {
        holder: usize,
        mark: Mark,
        also: Vec<String>,
    },
    Error(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellReading {
    pub text: String,
    pub outcome: CellOutcome,
}

impl CellReading {
    /// How the preview says it.
    pub fn words(&self) -> String {
        match &self.outcome {
            CellOutcome::Nothing => "No mark".into(),
            CellOutcome::Error(message) => message.clone(),
            CellOutcome::Mark { mark, also, .. } => {
                let mut words = mark.presence.label().to_owned();
                if let Some(who) = &mark.attended_by {
                    words.push_str(&format!(": {who}"));
                }
                if self.text.trim().is_empty() {
                    words.push_str(" (blank)");
                }
                if !also.is_empty() {
                    words.push_str(&format!("; also attended: {}", join_names(also)));
                }
                words
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeatReading {
    pub line: usize,
    pub text: String,
    /// The holder, then the successor if the seat changed hands; empty when the seat is in error.
    pub holders: Vec<HolderReading>,
    pub organisation_name: Option<String>,
    pub error: Option<String>,
    pub cells: Vec<CellReading>,
}

/// A whole grid as read, with every problem by row and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GridReading {
    pub columns: Vec<ColumnReading>,
    pub seats: Vec<SeatReading>,
    pub errors: Vec<CellError>,
}

impl GridReading {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many marks the grid records.
    pub fn marks(&self) -> usize {
        self.seats.iter().flat_map(|s| &s.cells).filter(|c| matches!(c.outcome, CellOutcome::Mark { .. })).count()
    }
}

/// The organisation a seat's text names: the longest of the partnership's organisation names
/// found in it as whole words.
fn organisation_in<'a>(
    text: &str,
    organisations: &'a [(OrganisationId, String)],
) -> Option<&'a (OrganisationId, String)> {
    let haystack = format!(" {} ", comparable_name(text));
    organisations
        .iter()
        .filter(|(_, name)| {
            let needle = comparable_name(name);
            !needle.is_empty() && haystack.contains(&format!(" {needle} "))
        })
        .max_by_key(|(_, name)| name.len())
}

/// Reads a grid against what the partnership holds.
pub fn read_grid(grid: &GridText, cx: &GridContext<'_>) -> GridReading {
    let mut errors = Vec::new();
    let heading_line = grid.heading_line.max(1);
    let columns = read_columns(grid, cx, heading_line, &mut errors);
    let first_date = columns.iter().filter_map(|c| c.date).min().unwrap_or(cx.today);
    // The chairs and vice-chairs the body has, and those the grid adds, one at a time.
    let mut roles: Vec<(MembershipRole, NaiveDate, Option<NaiveDate>)> =
        cx.seats.iter().map(|s| (s.role, s.from, s.to)).collect();
    let mut seats = Vec::new();
    for row in &grid.rows {
        let mut seat = SeatReading {
            line: row.line,
            text: row.seat.clone(),
            holders: Vec::new(),
            organisation_name: None,
            error: None,
            cells: Vec::new(),
        };
        match read_seat(&row.seat).and_then(|text| holders(&text, cx, first_date, &mut roles)) {
            Ok((holders, organisation)) => {
                seat.holders = holders;
                seat.organisation_name = organisation;
            }
            Err(message) => {
                errors.push(cell_error(row.line, 0, message.clone()));
                seat.error = Some(message);
            }
        }
        for (c, column) in columns.iter().enumerate() {
            let text = row.cells.get(c).cloned().unwrap_or_default();
            let outcome = match (column.date, seat.error.is_none()) {
                (Some(day), true) => cell_outcome(&text, day, &seat.holders, cx.blank),
                // A column or a seat in error is reported once; its cells are read for their own errors.
                _ => match read_cell(&text) {
                    Err(message) => CellOutcome::Error(message),
                    Ok(_) => CellOutcome::Nothing,
                },
            };
            if let CellOutcome::Error(message) = &outcome {
                errors.push(cell_error(row.line, c + 1, message.clone()));
            }
            seat.cells.push(CellReading { text, outcome });
        }
        seats.push(seat);
    }
    errors.sort_by_key(|e| (e.row, e.column.len(), e.column.clone()));
    GridReading { columns, seats, errors }
}

fn read_columns(grid: &GridText, cx: &GridContext<'_>, line: usize, errors: &mut Vec<CellError>) -> Vec<ColumnReading> {
    let mut seen = HashSet::new();
    let mut columns = Vec::new();
    for (c, heading) in grid.dates.iter().enumerate() {
        let found = heading_date(heading).and_then(|day| {
            if day > cx.today {
                return Err(format!(
                    "{} is after today: record attendance once the meeting has been held",
                    long_date(day)
                ));
            }
            if !seen.insert(day) {
                return Err(format!("{} heads two columns: one column per meeting", long_date(day)));
            }
            if let Some(ended) = cx.body_ended
                && day > ended
            {
                return Err(format!("The body was stood down on {}: it met on or before then", long_date(ended)));
            }
            let same_day: Vec<&KnownMeeting> = cx.meetings.iter().filter(|m| m.held_on == day).collect();
            match same_day.iter().find(|m| !m.cancelled) {
                Some(m) => Ok((day, Column::Existing(m.id))),
                None if !same_day.is_empty() => {
                    Err(format!("The meeting on {} was cancelled: it has no attendance", long_date(day)))
                }
                None => Ok((day, Column::New)),
            }
        });
        columns.push(match found {
            Ok((day, meeting)) => {
                ColumnReading { heading: heading.clone(), date: Some(day), meeting: Some(meeting), error: None }
            }
            Err(message) => {
                errors.push(cell_error(line, c + 1, message.clone()));
                ColumnReading { heading: heading.clone(), date: None, meeting: None, error: Some(message) }
            }
        });
    }
    columns
}

type Roles = Vec<(MembershipRole, NaiveDate, Option<NaiveDate>)>;

/// The seat's holder (and successor) as Assure has them, and the organisation the seat names.
fn holders(
    text: &SeatText,
    cx: &GridContext<'_>,
    first_date: NaiveDate,
    roles: &mut Roles,
) -> Result<(Vec<HolderReading>, Option<String>), String> {
    let organisation =
        organisation_in(&format!("{} {}", text.holder, text.about.as_deref().unwrap_or("")), cx.organisations);
    let from = text.from.unwrap_or(first_date);
    let to = match (&text.successor, text.until) {
        (Some((_, next)), None) => next.pred_opt(),
        (_, until) => until,
    }
    .or(cx.body_ended);
    let mut out = vec![holder(&text.holder, text.role, from, to, text, organisation, cx, roles)?];
    if let Some((name, next)) = &text.successor {
        out.push(holder(name, text.role, *next, cx.body_ended, text, organisation, cx, roles)?);
    }
    Ok((out, organisation.map(|(_, name)| name.clone())))
}

#[allow(clippy::too_many_arguments)]
fn holder(
    name: &str,
    role: MembershipRole,
    from: NaiveDate,
    to: Option<NaiveDate>,
    text: &SeatText,
    organisation: Option<&(OrganisationId, String)>,
    cx: &GridContext<'_>,
    roles: &mut Roles,
) -> Result<HolderReading, String> {
    if name.chars().count() > MAX_NAME {
        return Err(format!("'{}' is longer than a name may be ({MAX_NAME} characters)", shown(name)));
    }
    if let Some(to) = to
        && to < from
    {
        return Err(format!(
            "{name} would hold the seat from {} to {}: correct the dates",
            long_date(from),
            long_date(to)
        ));
    }
    let key = comparable_name(name);
    let overlaps = |s: &KnownSeat| s.from <= to.unwrap_or(NaiveDate::MAX) && from <= s.to.unwrap_or(NaiveDate::MAX);
    if let Some(seat) = cx.seats.iter().filter(|s| comparable_name(&s.name) == key).find(|s| overlaps(s)) {
        return Ok(HolderReading {
            name: seat.name.clone(),
            holding: Holding::Seat(seat.membership),
            from: seat.from,
            to: seat.to,
            role: seat.role,
            organisation: organisation.map(|(id, _)| *id),
            job_title: None,
        });
    }
    let people: Vec<&(PersonId, String)> = cx.people.iter().filter(|(_, n)| comparable_name(n) == key).collect();
    let holding = match people.as_slice() {
        [] => Holding::NewPerson,
        [(id, _)] => Holding::Person(*id),
        _ => {
            return Err(format!(
                "The partnership has {} people called {name}: add this seat to the body in Assure, then import",
                people.len()
            ));
        }
    };
    if let Some(since) = seat_taken(role, from, to, roles.iter().copied()) {
        return Err(format!(
            "The body has a {} from {} whose time overlaps {name}'s: a body has one at a time",
            role.label().to_lowercase(),
            long_date(since)
        ));
    }
    roles.push((role, from, to));
    let job_title = text.about.clone().or_else(|| organisation.map(|(_, n)| n.clone()));
    Ok(HolderReading {
        name: name.to_owned(),
        holding,
        from,
        to,
        role,
        organisation: organisation.map(|(id, _)| *id),
        job_title,
    })
}

fn cell_outcome(raw: &str, day: NaiveDate, holders: &[HolderReading], blank: Blank) -> CellOutcome {
    let text = match read_cell(raw) {
        Ok(text) => text,
        Err(message) => return CellOutcome::Error(message),
    };
    let Some(index) = holders.iter().position(|h| seat_on(h.from, h.to, day)) else {
        return match text {
            CellText::Blank | CellText::NotApplicable => CellOutcome::Nothing,
            _ => CellOutcome::Error(format!(
                "No one held this seat on {}: leave the cell blank, or give the seat's dates (\"– July 2016 onwards\")",
                long_date(day)
            )),
        };
    };
    let holder = &holders[index];
    let mark = |presence, attended_by: Option<String>, also| CellOutcome::Mark {
        holder: index,
        mark: Mark { presence, attended_by },
        also,
    };
    match text {
        CellText::Blank => match blank {
            Blank::Absent => mark(Presence::Absent, None, Vec::new()),
            Blank::NotRecorded => CellOutcome::Nothing,
        },
        CellText::NotApplicable => CellOutcome::Nothing,
        CellText::Absent => mark(Presence::Absent, None, Vec::new()),
        CellText::Present { remote, also } => {
            mark(if remote { Presence::Remote } else { Presence::Present }, None, also)
        }
        CellText::Apologies { deputies } if deputies.is_empty() => mark(Presence::Apologies, None, Vec::new()),
        CellText::Apologies { deputies } => mark(Presence::Deputy, Some(join_names(&deputies)), Vec::new()),
        CellText::Attended { names } => {
            let key = comparable_name(&holder.name);
            let (own, others): (Vec<String>, Vec<String>) = names.into_iter().partition(|n| comparable_name(n) == key);
            if own.is_empty() {
                mark(Presence::SomeoneElse, Some(join_names(&others)), Vec::new())
            } else {
                mark(Presence::Present, None, others)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rows(lines: &[&[&str]]) -> Vec<Vec<String>> {
        lines.iter().map(|r| r.iter().map(|c| (*c).to_owned()).collect()).collect()
    }

    #[test]
    fn the_grid_is_found_below_blank_rows_and_its_repeated_headings_skipped() {
        let header: &[&str] = &["Representative", "19th November 2015", "22nd February 2016"];
        let g = GridText::from_rows(&rows(&[
            &[],
            header,
            &["Christine Doorly -Independent Chair", "√", "√"],
            &["", "", ""],
            header,
            &["Mark Schofield – secondary heads rep", "√", "Apologies"],
        ]))
        .unwrap();
        assert_eq!(g.dates, ["19th November 2015", "22nd February 2016"]);
        assert_eq!(g.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 6]);
        let spaced = GridText::from_rows(&rows(&[&[], &["Seat", "Someday"], &[], &["A B", "√"]])).unwrap();
        assert_eq!(spaced.heading_line, 2);
        let r = read_grid(&spaced, &context(&[], &[], &[], &[]));
        assert_eq!(r.errors[0].to_string().split(':').next(), Some("Row 2, column B"), "the headings' own row");
        let e = GridText::from_rows(&rows(&[header, &["A B", "√", "√", "stray"]])).unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "Row 2, column D: This cell has no meeting: its column has no date in the first row"
        );
        let e = GridText::from_rows(&rows(&[&["Seat", "", "19/11/2015"]])).unwrap_err();
        assert_eq!(e[0].column, "B");
        assert!(GridText::from_rows(&[]).is_err());
        assert!(GridText::from_rows(&rows(&[&["Seat"]])).is_err());
        let many: Vec<Vec<String>> = std::iter::once(vec!["Seat".to_owned(), "2015-11-19".to_owned()])
            .chain((0..=MAX_SEATS).map(|i| vec![format!("Person {i}"), "√".to_owned()]))
            .collect();
        assert!(GridText::from_rows(&many).unwrap_err()[0].message.contains("more than"));
    }

    fn context<'a>(
        orgs: &'a [(OrganisationId, String)],
        seats: &'a [KnownSeat],
        people: &'a [(PersonId, String)],
        meetings: &'a [KnownMeeting],
    ) -> GridContext<'a> {
        GridContext {
            today: d("2026-11-29"),
            body_ended: None,
            organisations: orgs,
            seats,
            people,
            meetings,
            blank: Blank::Absent,
        }
    }

    #[test]
    fn a_seat_that_changed_hands_marks_each_holder_on_their_own_days() {
        let grid = GridText::from_rows(&rows(&[
            &["Representative", "19th November 2015", "22nd February 2016", "7th July 2016", "29th September 2016"],
            &["Jim Johnson – head teacher, primary heads rep – Angela Hutchinson July 2016 onwards", "√", "", "√", "√"],
            &["Brin Martin – Department for People - July 2016 onwards", "", "", "√", ""],
            &["Essex Police / CAI Team", "Tracy Harman attended", "", "Luke Collison & Tracey Harman attended", "n/a"],
            &[
                "Gina Quantrill – Southend Hospital – Sue Kent September 2016 onwards",
                "√",
                "√",
                "√ Sue Kent also attended",
                "Apologies",
            ],
        ]))
        .unwrap();
        let orgs = [(OrganisationId(7), "Essex Police".to_owned())];
        let known = [KnownMeeting { id: MeetingId(3), held_on: d("2016-02-22"), cancelled: false }];
        let r = read_grid(&grid, &context(&orgs, &[], &[], &known));
        assert!(r.is_ok(), "{:?}", r.errors);
        assert_eq!(r.columns[1].meeting, Some(Column::Existing(MeetingId(3))));
        assert_eq!(r.columns[0].meeting, Some(Column::New));
        let jim = &r.seats[0];
        assert_eq!(jim.holders[0].to, Some(d("2016-06-30")));
        assert_eq!(jim.holders[1].from, d("2016-07-01"));
        let words: Vec<String> = jim.cells.iter().map(CellReading::words).collect();
        assert_eq!(words, ["Present", "Absent without apologies (blank)", "Present", "Present"]);
        assert!(matches!(jim.cells[2].outcome, CellOutcome::Mark { holder: 1, .. }));
        // Before Brin Martin's time a blank is no mark at all.
        assert_eq!(r.seats[1].cells[0].outcome, CellOutcome::Nothing);
        let police = &r.seats[2];
        assert_eq!(police.organisation_name.as_deref(), Some("Essex Police"));
        assert_eq!(police.cells[2].words(), "Someone else attended for the seat: Luke Collison and Tracey Harman");
        assert_eq!(police.cells[3].outcome, CellOutcome::Nothing);
        let gina = &r.seats[3];
        assert_eq!(gina.cells[2].words(), "Present; also attended: Sue Kent");
        assert!(matches!(gina.cells[3].outcome, CellOutcome::Mark { holder: 1, .. }), "Sue Kent's apologies");
        assert_eq!(r.marks(), 4 + 2 + 3 + 4);
    }

    #[test]
    fn every_problem_is_named_by_row_and_column_and_known_seats_and_people_are_used() {
        let grid = GridText::from_rows(&rows(&[
            &["Seat", "19/11/2015", "2099-01-01", "19 November 2015", "12/03/2016"],
            &["Melanie Hall – special schools", "maybe", "√", "√", "√"],
            &["Brin Martin - July 2016 onwards", "√", "", "", ""],
            &["Jane Belcher – South Essex College", "√", "", "", "√"],
        ]))
        .unwrap();
        let seats = [KnownSeat {
            membership: MembershipId(40),
            person: PersonId(4),
            name: "Melanie Hall".into(),
            role: MembershipRole::Member,
            from: d("2015-01-01"),
            to: None,
        }];
        let people = [(PersonId(9), "Jane Belcher".to_owned())];
        let cancelled = [KnownMeeting { id: MeetingId(5), held_on: d("2016-03-12"), cancelled: true }];
        let r = read_grid(&grid, &context(&[], &seats, &people, &cancelled));
        let errors: Vec<String> = r.errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 5, "{errors:#?}");
        assert!(errors[0].starts_with("Row 1, column C: 1 January 2099 is after today"));
        assert!(errors[1].starts_with("Row 1, column D: 19 November 2015 heads two columns"));
        assert!(errors[2].starts_with("Row 1, column E: The meeting on 12 March 2016 was cancelled"));
        assert!(errors[3].starts_with("Row 2, column B: 'maybe' is not an attendance mark"));
        assert!(errors[4].starts_with("Row 3, column B: No one held this seat on 19 November 2015"));
        assert_eq!(r.seats[0].holders[0].holding, Holding::Seat(MembershipId(40)));
        assert_eq!(r.seats[2].holders[0].holding, Holding::Person(PersonId(9)));
        assert!(!r.is_ok());
    }

    #[test]
    fn two_chairs_at_once_are_refused() {
        let grid = GridText::from_rows(&rows(&[
            &["Seat", "19/11/2015"],
            &["Christine Doorly - Independent Chair", "√"],
            &["Someone Else - Chair", "√"],
        ]))
        .unwrap();
        let r = read_grid(&grid, &context(&[], &[], &[], &[]));
        assert_eq!(r.errors.len(), 1);
        assert!(r.errors[0].to_string().starts_with("Row 3, column A: The body has a chair from 19 November 2015"));
    }
}
