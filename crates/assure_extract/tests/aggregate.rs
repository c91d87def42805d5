//! The streaming aggregator against a plain, obviously-correct transcription of the
//! definitions, on generated extracts: in date order and shuffled, with leap days, quoted
//! cells, Windows line endings, unknown LSOAs, and the empty and one-row cases.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use assure_extract::{Aggregates, ByDecile, Monthly, ReReferrals, aggregate_file, aggregate_sorted, date, imd};

/// A contact as the generator writes it.
#[derive(Clone)]
struct Row {
    contact: String,
    person: String,
    date: (i32, u32, u32),
    source: &'static str,
    outcome: &'static str,
    lsoa: String,
}

/// A small deterministic generator (a linear congruential sequence), so the test needs nothing
/// outside the repository.
fn generate(n: usize, seed: u64) -> Vec<Row> {
    let mut state = seed;
    let mut next = move |bound: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % bound
    };
    let sources = ["police", "school", "health", "local_authority", "individual", "other, with a comma"];
    let outcomes = ["referral", "no_further_action", "early_help", "information_advice", "referral"];
    let lsoas = ["E01000001", "E01033768", "E01015878", "E01015880", "W01000001", ""];
    let start = date::days_from_civil(2021, 4, 1);
    let mut rows: Vec<Row> = (0..n)
        .map(|i| {
            // Leap days are over-represented, on purpose.
            let date = if next(20) == 0 {
                (2024, 2, 29)
            } else {
                let day = start + next(4 * 365) as i32;
                civil(day)
            };
            let person = next((n as u64 / 3).max(1));
            Row {
                contact: format!("C{:07}", i + 1),
                person: if person % 17 == 0 { format!("person-{person}") } else { format!("P{person:08}") },
                date,
                source: sources[next(sources.len() as u64) as usize],
                outcome: outcomes[next(outcomes.len() as u64) as usize],
                lsoa: lsoas[next(lsoas.len() as u64) as usize].to_owned(),
            }
        })
        .collect();
    rows.sort_by_key(|r| r.date);
    rows
}

fn civil(day: i32) -> (i32, u32, u32) {
    let mut y = 1970;
    let mut d = day;
    loop {
        let len = if date::is_leap(y) { 366 } else { 365 };
        if d < len {
            break;
        }
        d -= len;
        y += 1;
    }
    let mut m = 1;
    while d >= date::days_in_month(y, m) as i32 {
        d -= date::days_in_month(y, m) as i32;
        m += 1;
    }
    (y, m, d as u32 + 1)
}

fn csv(rows: &[Row], crlf: bool, final_newline: bool) -> Vec<u8> {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut out =
        format!("\"contact_id\",\"person_id\",\"contact_date\",\"source\",\"outcome\",\"age_band\",\"lsoa11cd\"{nl}");
    for (i, r) in rows.iter().enumerate() {
        let source = if r.source.contains(',') { format!("\"{}\"", r.source) } else { r.source.to_owned() };
        let (y, m, d) = r.date;
        out.push_str(&format!("{},{},{y:04}-{m:02}-{d:02},{source},{},5_9,{}", r.contact, r.person, r.outcome, r.lsoa));
        if i + 1 < rows.len() || final_newline {
            out.push_str(nl);
        }
    }
    out.into_bytes()
}

/// The definitions, written as plainly as possible.
fn naive(rows: &[Row]) -> Aggregates {
    let mut monthly: BTreeMap<(String, String), (u64, u64, BTreeSet<String>)> = BTreeMap::new();
    let mut deciles: BTreeMap<(String, u8), (u64, u64)> = BTreeMap::new();
    for r in rows {
        let (y, m, _) = r.date;
        let referral = u64::from(r.outcome == "referral");
        let cell = monthly.entry((format!("{y:04}-{m:02}"), r.source.to_owned())).or_default();
        cell.0 += 1;
        cell.1 += referral;
        cell.2.insert(r.person.clone());
        let fy = date::financial_year_label(date::financial_year(y, m));
        let decile = imd::decile(r.lsoa.as_bytes());
        let cell = deciles.entry((fy, decile)).or_default();
        cell.0 += 1;
        cell.1 += referral;
    }
    // Each referral against the person's previous referral in (date, contact id) order.
    let mut referrals: Vec<&Row> = rows.iter().filter(|r| r.outcome == "referral").collect();
    referrals.sort_by(|a, b| (&a.person, a.date, &a.contact).cmp(&(&b.person, b.date, &b.contact)));
    let mut re: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (i, r) in referrals.iter().enumerate() {
        let (y, m, d) = r.date;
        let previous = (i > 0 && referrals[i - 1].person == r.person).then(|| referrals[i - 1].date);
        let again =
            previous.is_some_and(|(py, pm, pd)| date::days_from_civil(py, pm, pd) >= date::year_earlier(y, m, d));
        let cell = re.entry(date::financial_year_label(date::financial_year(y, m))).or_default();
        cell.0 += 1;
        cell.1 += u64::from(again);
    }
    Aggregates {
        rows: rows.len() as u64,
        monthly: monthly
            .into_iter()
            .map(|((month, source), (contacts, referrals, persons))| Monthly {
                month,
                source,
                contacts,
                referrals,
                persons: persons.len() as u64,
            })
            .collect(),
        imd: deciles
            .into_iter()
            .map(|((financial_year, imd_decile), (contacts, referrals))| ByDecile {
                financial_year,
                imd_decile,
                contacts,
                referrals,
            })
            .collect(),
        rereferrals: re
            .into_iter()
            .map(|(financial_year, (referrals, rereferrals))| ReReferrals { financial_year, referrals, rereferrals })
            .collect(),
    }
}

fn file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(bytes).unwrap();
    f
}

#[test]
fn sorted_and_shuffled_extracts_give_the_plain_answer() {
    for (n, seed) in [(1, 1), (2, 2), (50, 3), (20_000, 4)] {
        let rows = generate(n, seed);
        let expected = naive(&rows);
        for (crlf, final_newline) in [(false, true), (true, true), (false, false)] {
            let f = file(&csv(&rows, crlf, final_newline));
            assert_eq!(aggregate_file(f.path()).unwrap(), expected, "{n} rows in date order");
        }
        // The same rows in another order: read a second time, keeping everything.
        let mut shuffled = rows.clone();
        shuffled.reverse();
        shuffled.rotate_left(n / 3);
        let f = file(&csv(&shuffled, false, true));
        assert_eq!(aggregate_file(f.path()).unwrap(), expected, "{n} rows out of order");
    }
}

#[test]
fn a_header_alone_gives_headers_alone() {
    let f = file(b"contact_id,person_id,contact_date,source,outcome,age_band,lsoa11cd\n");
    let got = aggregate_file(f.path()).unwrap();
    assert_eq!(got, Aggregates::default());
    let dir = tempfile::tempdir().unwrap();
    got.write_to(dir.path()).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("monthly.csv")).unwrap(),
        "month,source,contacts,referrals,persons\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("imd.csv")).unwrap(),
        "financial_year,imd_decile,contacts,referrals\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("rereferrals.csv")).unwrap(),
        "financial_year,referrals,rereferrals\n"
    );
}

#[test]
fn outputs_are_written_as_csv() {
    let rows = generate(200, 9);
    let dir = tempfile::tempdir().unwrap();
    naive(&rows).write_to(dir.path()).unwrap();
    let monthly = std::fs::read_to_string(dir.path().join("monthly.csv")).unwrap();
    assert!(monthly.lines().any(|l| l.contains(",\"other, with a comma\",")), "a source with a comma is quoted");
    assert!(monthly.lines().skip(1).all(|l| l.starts_with("202")));
}

fn error(bytes: &[u8]) -> String {
    aggregate_file(file(bytes).path()).unwrap_err().to_string()
}

#[test]
fn bad_extracts_are_refused_with_the_row_and_column() {
    const HEADER: &str = "contact_id,person_id,contact_date,source,outcome,age_band,lsoa11cd\n";
    assert_eq!(
        error(b""),
        "Row 1: the extract is empty: its first row must be the headings contact_id, person_id, contact_date, source, outcome, age_band, lsoa11cd"
    );
    assert!(
        error(b"contact_id,person,contact_date\n")
            .starts_with("Row 1, column B (person_id): the heading should be 'person_id' but is 'person'")
    );
    let bad_date = format!(
        "{HEADER}C1,P1,2024-02-29,police,referral,5_9,E01000001\nC2,P2,2023-02-29,police,referral,5_9,E01000001\n"
    );
    assert_eq!(
        error(bad_date.as_bytes()),
        "Row 3, column C (contact_date): '2023-02-29' is not a date in the form 2024-02-29"
    );
    let short = format!("{HEADER}C1,P1,2024-02-29,police,referral,5_9\n");
    assert_eq!(error(short.as_bytes()), "Row 2: expected 7 columns, found 6");
    let long = format!("{HEADER}C1,P1,2024-02-29,police,referral,5_9,E01000001,x\n");
    assert_eq!(error(long.as_bytes()), "Row 2: expected 7 columns, found 8");
    let no_person = format!("{HEADER}C1,,2024-02-29,police,referral,5_9,E01000001\n");
    assert_eq!(error(no_person.as_bytes()), "Row 2, column B (person_id): the person id is empty");
    // A stream that cannot be read twice must be in date order.
    let unsorted = format!("{HEADER}C1,P1,2024-03-01,police,referral,5_9,\nC2,P1,2024-02-01,police,referral,5_9,\n");
    assert_eq!(
        aggregate_sorted(unsorted.as_bytes()).unwrap_err().to_string(),
        "Row 3, column C (contact_date): the rows are not in date order; sort the extract by contact_date"
    );
}

#[test]
fn lines_across_blocks_are_read_whole_and_overlong_lines_refused() {
    // More than one 8 MB block of rows: some line crosses from one block to the next.
    let mut text = String::from("contact_id,person_id,contact_date,source,outcome,age_band,lsoa11cd\n");
    let source = "s".repeat(64);
    let rows = 100_000;
    for i in 0..rows {
        text.push_str(&format!("C{i},P{i},2024-02-29,{source},referral,5_9,E01000001\n"));
    }
    assert!(text.len() > 9 << 20);
    let got = aggregate_file(file(text.as_bytes()).path()).unwrap();
    assert_eq!(got.rows, rows);
    assert_eq!(got.monthly[0].source, source);
    // A "line" of megabytes (a file with no line breaks) is refused by its row, without
    // reading it all into memory.
    let mut long = String::from("contact_id,person_id,contact_date,source,outcome,age_band,lsoa11cd\n");
    long.push_str(&"x".repeat(20 << 20));
    assert_eq!(
        aggregate_file(file(long.as_bytes()).path()).unwrap_err().to_string(),
        "Row 2: the line is longer than 64 KB: an extract has one contact per line"
    );
    // A source that a spreadsheet would run as a formula is refused.
    let formula = "contact_id,person_id,contact_date,source,outcome,age_band,lsoa11cd\nC1,P1,2024-02-29,=HYPERLINK(\"http://x\"),referral,5_9,\n";
    assert!(
        aggregate_file(file(formula.as_bytes()).path())
            .unwrap_err()
            .to_string()
            .starts_with("Row 2, column D (source): '=HYPERLINK(")
    );
}
