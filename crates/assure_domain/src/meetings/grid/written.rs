//! Reading what people write in an attendance grid, one piece at a time: a meeting's date in a
//! heading, a seat (its holder, role, organisation and handovers) and a cell (a tick, apologies,
//! a deputy, someone else, who also attended). Each reader says what it read or why it cannot.

use chrono::NaiveDate;
use serde::Serialize;

use super::{CELL_HINT, MAX_CELL, MAX_NAME};
use crate::cells::shown;
use crate::meetings::MONTHS;
use crate::structure::MembershipRole;

/// A meeting's date as a heading gives it: "2015-11-19", "19/11/2015", "19 November 2015",
/// "19th November 2015", "19 Nov 2015", "Thursday 19 November 2015".
pub fn heading_date(raw: &str) -> Result<NaiveDate, String> {
    let s = raw.trim();
    let bad = || {
        format!(
            "'{}' is not a date: head the column with the meeting's date, like 19 November 2015, 19/11/2015 or 2015-11-19",
            shown(s)
        )
    };
    if s.is_empty() {
        return Err("Head the column with the meeting's date".into());
    }
    for format in ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, format) {
            return Ok(d);
        }
    }
    let words: Vec<String> =
        s.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect();
    // A weekday may lead: "Thursday 19 November 2015".
    let words: &[String] = match words.first() {
        Some(w) if WEEKDAY_NAMES.iter().any(|d| w.len() >= 3 && d.starts_with(w.trim_end_matches('.'))) => &words[1..],
        _ => &words,
    };
    let [day, month, year] = words else { return Err(bad()) };
    let day = day.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let day: u32 = day.parse().map_err(|_| bad())?;
    let month = month_number(month).ok_or_else(bad)?;
    let year: i32 = year.parse().ok().filter(|y| (1900..=2200).contains(y)).ok_or_else(bad)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(bad)
}

const WEEKDAY_NAMES: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// A month's number from its name or its first three letters ("Sept" too).
fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| {
            let m = m.to_lowercase();
            w == m || (w.len() == 3 && m.starts_with(&w))
        })
        .map(|i| i as u32 + 1)
}

/// "July 2016" as the first day of the month.
fn month_year(month: &str, year: &str) -> Option<NaiveDate> {
    let year: i32 = year.parse().ok().filter(|y| (1900..=2200).contains(y))?;
    NaiveDate::from_ymd_opt(year, month_number(month)?, 1)
}

/// A seat as its first cell gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeatText {
    /// Who holds the seat, or the organisation when no one is named ("Essex Police / CAI Team").
    pub holder: String,
    /// The first day the holder sat ("Brin Martin – Department for People – July 2016 onwards").
    pub from: Option<NaiveDate>,
    /// The last day the holder sat ("Councillor Anne Jones, Lead Member (until May 2016)").
    pub until: Option<NaiveDate>,
    /// Who took the seat over, and from when ("– Angela Hutchinson July 2016 onwards").
    pub successor: Option<(String, NaiveDate)>,
    /// The role or organisation as written ("head teacher, special schools heads rep").
    pub about: Option<String>,
    pub role: MembershipRole,
}

/// Splits a seat's text into its parts: at dashes (a hyphen only after a space, so
/// "Brennan-Douglas" stays whole) and commas.
fn seat_parts(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut previous = ' ';
    for c in text.chars() {
        let split = matches!(c, '–' | '—' | ',') || (c == '-' && previous.is_whitespace());
        if split {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
        previous = c;
    }
    parts.push(current);
    parts.into_iter().map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|p| !p.is_empty()).collect()
}

/// "NAME [from] MONTH YEAR onwards", with NAME possibly empty.
fn onwards(part: &str) -> Option<(String, NaiveDate)> {
    let words: Vec<&str> = part.split_whitespace().collect();
    let [rest @ .., month, year, last] = words.as_slice() else { return None };
    if !last.eq_ignore_ascii_case("onwards") {
        return None;
    }
    let from = month_year(month, year)?;
    let rest = match rest {
        [name @ .., from_word] if from_word.eq_ignore_ascii_case("from") => name,
        name => name,
    };
    Some((rest.join(" "), from))
}

/// "(until May 2016)" or "until May 2016": the last day of the month before, so a successor
/// "from May 2016" does not overlap.
fn until(part: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = part.trim_matches(|c| c == '(' || c == ')').split_whitespace().collect();
    let [word, month, year] = words.as_slice() else { return None };
    if !word.eq_ignore_ascii_case("until") {
        return None;
    }
    month_year(month, year)?.pred_opt()
}

/// The role a part of a seat's text names, when it names one exactly ("Independent Chair",
/// "Vice Chair", "legal advisor"); "Chair LSCB Executive" names another body's chair.
fn role_of(part: &str) -> Option<MembershipRole> {
    let p = part.to_lowercase().replace('-', " ");
    match p.as_str() {
        "chair" | "independent chair" | "chairman" | "chairperson" => Some(MembershipRole::Chair),
        "vice chair" | "deputy chair" => Some(MembershipRole::ViceChair),
        _ if p.ends_with("adviser") || p.ends_with("advisor") => Some(MembershipRole::Adviser),
        _ => None,
    }
}

/// Reads a seat's text.
pub fn read_seat(raw: &str) -> Result<SeatText, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("Name the seat: who holds it, and their role or organisation".into());
    }
    if text.chars().count() > MAX_CELL {
        return Err(format!("The seat is longer than {MAX_CELL} characters"));
    }
    // "(until May 2016)" may sit inside a part: take it out first.
    let mut until_day = None;
    let mut cleaned = text.to_owned();
    if let Some(open) = text.find("(until")
        && let Some(close) = text[open..].find(')')
    {
        until_day = until(&text[open..=open + close]);
        if until_day.is_none() {
            return Err(format!("'{}' is not a month: write (until May 2016)", shown(&text[open..=open + close])));
        }
        cleaned = format!("{} {}", &text[..open], &text[open + close + 1..]);
    }
    let parts = seat_parts(&cleaned);
    let Some((holder, rest)) = parts.split_first() else {
        return Err("Name the seat: who holds it, and their role or organisation".into());
    };
    let mut seat = SeatText {
        holder: holder.clone(),
        from: None,
        until: until_day,
        successor: None,
        about: None,
        role: MembershipRole::Member,
    };
    if onwards(holder).is_some() {
        return Err("The seat starts with a date: name who holds it first".into());
    }
    let mut about = Vec::new();
    for part in rest {
        if let Some((name, from)) = onwards(part) {
            if name.is_empty() {
                seat.from = Some(from);
            } else if seat.successor.is_some() {
                return Err("The seat names two successors: import one handover per row".into());
            } else {
                seat.successor = Some((name, from));
            }
        } else if let Some(day) = until(part) {
            seat.until = Some(day);
        } else if let Some(role) = role_of(part).filter(|_| seat.role == MembershipRole::Member) {
            seat.role = role;
        } else {
            about.push(part.clone());
        }
    }
    if let (Some((name, from)), Some(until)) = (&seat.successor, seat.until)
        && until >= *from
    {
        return Err(format!("{} holds the seat until after {name} takes it over", seat.holder));
    }
    if let (Some(from), Some(until)) = (seat.from, seat.until)
        && until < from
    {
        return Err(format!("{} leaves the seat before they take it", seat.holder));
    }
    seat.about = (!about.is_empty()).then(|| about.join(", "));
    Ok(seat)
}

/// A cell as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CellText {
    Blank,
    /// "n/a", "-": the seat was not held then, or the body did not expect it.
    NotApplicable,
    /// A tick; "also" names people who came besides the holder.
    Present {
        remote: bool,
        also: Vec<String>,
    },
    /// "Apologies", or "Apologies – NAME attended" (the deputies).
    Apologies {
        deputies: Vec<String>,
    },
    /// "NAME attended", "NAME & NAME attended".
    Attended {
        names: Vec<String>,
    },
    Absent,
}

const TICKS: [char; 5] = ['√', '✓', '✔', '☑', '\u{fe0f}'];

/// Names as a cell lists them: "Luke Collison & Tracey Harman", "Paul Wells, Tracey Hawkings,
/// Kevin Baldwin and Tracey Harman".
fn names(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for chunk in text.split([',', '&', '+', ';']) {
        for name in chunk.split(" and ") {
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            if name.is_empty() {
                continue;
            }
            if name.chars().count() > MAX_NAME || !name.chars().any(char::is_alphabetic) {
                return Err(format!("'{}' is not a name", shown(&name)));
            }
            out.push(name);
        }
    }
    if out.is_empty() { Err("Name who attended".into()) } else { Ok(out) }
}

/// Joins names as a sentence does: "A", "A and B", "A, B and C".
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `text` without the first of `suffixes` (lower case, ASCII) it ends with, in any case.
fn strip_suffix_words<'a>(text: &'a str, suffixes: &[&str]) -> Option<&'a str> {
    suffixes.iter().find_map(|s| {
        let at = text.len().checked_sub(s.len())?;
        (text.is_char_boundary(at) && text[at..].eq_ignore_ascii_case(s)).then(|| &text[..at])
    })
}

fn trim_separators(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '–' | '—' | '-' | ',' | ':' | ';' | '.'))
}

/// Reads a cell.
pub fn read_cell(raw: &str) -> Result<CellText, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(CellText::Blank);
    }
    if t.chars().count() > MAX_CELL {
        return Err(format!("The cell is longer than {MAX_CELL} characters"));
    }
    let lower = t.to_lowercase();
    let bad = || format!("'{}' is not an attendance mark: {CELL_HINT}", shown(t));
    if matches!(lower.as_str(), "n/a" | "na" | "-" | "–" | "—" | "not applicable" | "not a member" | "vacant") {
        return Ok(CellText::NotApplicable);
    }
    if matches!(
        lower.as_str(),
        "absent" | "did not attend" | "dna" | "no apologies" | "absent without apologies" | "not present" | "no"
    ) {
        return Ok(CellText::Absent);
    }
    if matches!(
        lower.as_str(),
        "remote" | "remotely" | "present remotely" | "attended remotely" | "virtual" | "online" | "teams" | "via teams"
    ) {
        return Ok(CellText::Present { remote: true, also: Vec::new() });
    }
    // A tick, or a word that means the holder came, then perhaps "NAME also attended".
    let after_tick = t.strip_prefix(TICKS).map(|rest| rest.trim_start_matches(TICKS)).or_else(|| {
        ["present", "attended", "yes", "y"].iter().find_map(|w| {
            let head = t.get(..w.len())?;
            let rest = &t[w.len()..];
            (head.eq_ignore_ascii_case(w) && (rest.is_empty() || rest.starts_with(' '))).then_some(rest)
        })
    });
    if let Some(rest) = after_tick {
        let rest = trim_separators(rest);
        if rest.is_empty() {
            return Ok(CellText::Present { remote: false, also: Vec::new() });
        }
        let rest_lower = rest.to_lowercase();
        if matches!(rest_lower.as_str(), "remote" | "remotely" | "(remote)" | "virtual" | "online" | "teams") {
            return Ok(CellText::Present { remote: true, also: Vec::new() });
        }
        if let Some(who) = strip_suffix_words(rest, &["also attended", "also present", "also in attendance"]) {
            return Ok(CellText::Present { remote: false, also: names(who).map_err(|m| format!("{m}: {CELL_HINT}"))? });
        }
        return Err(bad());
    }
    if lower.starts_with("apol") {
        // "Apologies – June Mitchell attended": the deputy is between the two.
        let rest = t.find(|c: char| !c.is_alphabetic()).map_or("", |i| &t[i..]);
        let rest = trim_separators(rest);
        if let Some(who) = strip_suffix_words(rest, &["attended", "attended for them", "deputised"]) {
            let who = trim_separators(who);
            let who = who.strip_prefix("sent ").unwrap_or(who);
            return Ok(CellText::Apologies { deputies: names(who).map_err(|m| format!("{m}: {CELL_HINT}"))? });
        }
        return Ok(CellText::Apologies { deputies: Vec::new() });
    }
    if lower.contains("apolog") && !lower.contains("attended") {
        // "Brid Johnson – apologies Sharon Hall – apologies": everyone named sent apologies.
        return Ok(CellText::Apologies { deputies: Vec::new() });
    }
    if let Some(who) = strip_suffix_words(t, &[" attended", " in attendance", " present"]) {
        return Ok(CellText::Attended { names: names(who).map_err(|m| format!("{m}: {CELL_HINT}"))? });
    }
    Err(bad())
}

/// A name made comparable: lower case, without titles, punctuation or extra spaces, so that
/// "Cllr James Courtenay" is "James Courtenay" and "O’Loughlin" is "O'Loughlin".
pub fn comparable_name(name: &str) -> String {
    const TITLES: [&str; 9] = ["cllr", "councillor", "dr", "mr", "mrs", "ms", "miss", "prof", "professor"];
    let cleaned: String = name
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c.is_whitespace() {
                c
            } else if c == '-' {
                ' '
            } else {
                '\0'
            }
        })
        .filter(|c| *c != '\0')
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let start = words.iter().take_while(|w| TITLES.contains(w)).count().min(words.len().saturating_sub(1));
    words[start..].join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn headings_are_dates_in_any_usual_form() {
        for s in [
            "2015-11-19",
            "19/11/2015",
            "19 November 2015",
            "19th November 2015",
            "19 Nov 2015",
            "Thursday 19 November 2015",
            "19-11-2015",
            " 19TH NOVEMBER, 2015 ",
        ] {
            assert_eq!(heading_date(s), Ok(d("2015-11-19")), "{s}");
        }
        assert_eq!(heading_date("22nd February 2016"), Ok(d("2016-02-22")));
        assert_eq!(heading_date("1st Sept 2016"), Ok(d("2016-09-01")));
        for bad in ["", "Nov 2015", "31 February 2016", "19 Novembre 2015", "19/11/15x", "Representative"] {
            assert!(heading_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cells_are_read_as_people_write_them() {
        use CellText::*;
        let n = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(read_cell(""), Ok(Blank));
        for tick in ["√", "✓", "✔", "✔️", "Present", "attended", "Y"] {
            assert_eq!(read_cell(tick), Ok(Present { remote: false, also: vec![] }), "{tick}");
        }
        assert_eq!(read_cell("Remote"), Ok(Present { remote: true, also: vec![] }));
        assert_eq!(read_cell("√ Sue Kent also attended"), Ok(Present { remote: false, also: n(&["Sue Kent"]) }));
        assert_eq!(read_cell("Apologies"), Ok(Apologies { deputies: vec![] }));
        assert_eq!(read_cell("Apologies – June Mitchell attended"), Ok(Apologies { deputies: n(&["June Mitchell"]) }));
        assert_eq!(
            read_cell("Apologies - Stephanie Farr attended"),
            Ok(Apologies { deputies: n(&["Stephanie Farr"]) })
        );
        assert_eq!(read_cell("Brid Johnson – apologies Sharon Hall - apologies"), Ok(Apologies { deputies: vec![] }));
        assert_eq!(read_cell("Tracy Harman attended"), Ok(Attended { names: n(&["Tracy Harman"]) }));
        assert_eq!(
            read_cell("Luke Collison & Tracey Harman attended"),
            Ok(Attended { names: n(&["Luke Collison", "Tracey Harman"]) })
        );
        assert_eq!(
            read_cell("Paul Wells, Tracey Hawkings, Kevin Baldwin and Tracey Harman attended"),
            Ok(Attended { names: n(&["Paul Wells", "Tracey Hawkings", "Kevin Baldwin", "Tracey Harman"]) })
        );
        assert_eq!(read_cell("Absent"), Ok(Absent));
        assert_eq!(read_cell("n/a"), Ok(NotApplicable));
        for bad in ["x", "maybe", "√ later", "123 attended", "Apologies – 42 attended"] {
            let e = read_cell(bad).unwrap_err();
            assert!(e.contains("✓") || e.contains("not a name"), "{bad}: {e}");
        }
        assert!(read_cell(&"a".repeat(MAX_CELL + 1)).unwrap_err().contains("longer"));
    }

    #[test]
    fn seats_name_their_holder_role_and_handovers() {
        let s = read_seat("Melanie Hall – head teacher, special schools heads rep").unwrap();
        assert_eq!(s.holder, "Melanie Hall");
        assert_eq!(s.about.as_deref(), Some("head teacher, special schools heads rep"));
        assert_eq!(s.role, MembershipRole::Member);
        assert_eq!(read_seat("Christine Doorly -Independent Chair").unwrap().role, MembershipRole::Chair);
        let v = read_seat("Simon Leftley - Vice Chair - Corporate Director for People").unwrap();
        assert_eq!((v.role, v.about.as_deref()), (MembershipRole::ViceChair, Some("Corporate Director for People")));
        // Another body's chair is not this one's.
        let l = read_seat("Laurence Doe – Department for People, Chair LSCB Executive").unwrap();
        assert_eq!(l.role, MembershipRole::Member);
        let j =
            read_seat("Jim Johnson – head teacher, primary heads rep – Angela Hutchinson July 2016 onwards").unwrap();
        assert_eq!(j.successor, Some(("Angela Hutchinson".into(), d("2016-07-01"))));
        let b = read_seat("Brin Martin – Department for People - July 2016 onwards").unwrap();
        assert_eq!((b.from, b.successor), (Some(d("2016-07-01")), None));
        let a = read_seat(
            "Councillor Anne Jones, Lead Member (until May 2016) – Cllr James Courtenay from May 2016 onwards",
        )
        .unwrap();
        assert_eq!(a.holder, "Councillor Anne Jones");
        assert_eq!(a.until, Some(d("2016-04-30")));
        assert_eq!(a.successor, Some(("Cllr James Courtenay".into(), d("2016-05-01"))));
        assert_eq!(read_seat("Margaret Gray – Public Health").unwrap().about.as_deref(), Some("Public Health"));
        assert!(read_seat("").is_err());
        assert!(read_seat("July 2016 onwards").is_err());
        assert!(read_seat("A B (until Smarch 2016)").is_err());
        assert_eq!(comparable_name("Cllr James  Courtenay"), "james courtenay");
        assert_eq!(comparable_name("John O’Loughlin"), comparable_name("john o'loughlin"));
    }
}
