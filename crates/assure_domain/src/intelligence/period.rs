//! The periods figures are for: one type that reads a period as people write it, keeps it under
//! one key in the store, shows it, and knows which population estimate a rate over it divides by.

use crate::structure::{Choice, choice};

choice!(
    /// The kind of period an indicator's figures are counted over.
    PeriodKind {
        FinancialYear => ("financial_year", "financial year ending 31 March"),
        Snapshot => ("snapshot", "snapshot at 31 March"),
        FinancialQuarter => ("financial_quarter", "financial quarter"),
        Month => ("month", "month"),
    }
);

/// A period a figure is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    /// The financial year ending 31 March of the year given (a snapshot is taken that day):
    /// kept as "2019", shown as "2018-19".
    FinancialYear(i32),
    /// A quarter (1 to 4) of that financial year: kept as "2019 Q1", shown as "2018-19 Q1".
    FinancialQuarter(i32, u8),
    /// A calendar month: kept and shown as "2025-04".
    Month(i32, u32),
    /// The academic year ending in the summer of the year given: kept as "2019/20"'s end,
    /// "2020", shown as "2019/20".
    AcademicYear(i32),
    /// A mid-year (30 June) population estimate: kept as "2018", shown as "mid-2018".
    MidYear(i32),
}

impl Period {
    /// A financial year "2018-19" or a quarter of it "2018-19 Q1", as written.
    pub fn parse_financial(text: &str) -> Option<Period> {
        let text = text.trim();
        let (year, quarter) = text.split_once(' ').map_or((text, None), |(y, q)| (y, Some(q)));
        let ends = two_years(year, '-')?;
        match quarter {
            None => Some(Period::FinancialYear(ends)),
            Some(q) => Some(Period::FinancialQuarter(ends, quarter_number(q)?)),
        }
    }

    /// An academic year "2019/20", as written.
    pub fn parse_academic(text: &str) -> Option<Period> {
        two_years(text.trim(), '/').map(Period::AcademicYear)
    }

    /// A month "2025-04", as written.
    pub fn parse_month(text: &str) -> Option<Period> {
        let (y, m) = text.trim().split_once('-')?;
        let year = four_digits(y)?;
        let month: u32 = if m.len() == 2 { m.parse().ok()? } else { return None };
        (1..=12).contains(&month).then_some(Period::Month(year, month))
    }

    /// The mid-year of a population estimate, "2024", as written.
    pub fn parse_mid_year(text: &str) -> Option<Period> {
        four_digits(text.trim()).map(Period::MidYear)
    }

    /// A period of an indicator's kind as written: a financial year (or, for a quarterly
    /// indicator, a quarter of one) or a month.
    pub fn of_kind(kind: PeriodKind, text: &str) -> Option<Period> {
        match kind {
            PeriodKind::Month => Period::parse_month(text),
            PeriodKind::FinancialQuarter => Period::parse_financial(text),
            PeriodKind::FinancialYear | PeriodKind::Snapshot => {
                Period::parse_financial(text).filter(|p| matches!(p, Period::FinancialYear(_)))
            }
        }
    }

    /// A financial year or quarter from the key it is kept under: "2019", "2019 Q1".
    pub fn from_financial_key(key: &str) -> Option<Period> {
        let (year, quarter) = key.split_once(' ').map_or((key, None), |(y, q)| (y, Some(q)));
        let ends = four_digits(year)?;
        match quarter {
            None => Some(Period::FinancialYear(ends)),
            Some(q) => Some(Period::FinancialQuarter(ends, quarter_number(q)?)),
        }
    }

    /// The key it is kept under in the store, which sorts in time order within one kind.
    pub fn key(&self) -> String {
        match *self {
            Period::FinancialYear(y) | Period::AcademicYear(y) | Period::MidYear(y) => y.to_string(),
            Period::FinancialQuarter(y, q) => format!("{y} Q{q}"),
            Period::Month(y, m) => format!("{y}-{m:02}"),
        }
    }

    /// As people read it: "2018-19", "2018-19 Q1", "2025-04", "2019/20", "mid-2018".
    pub fn label(&self) -> String {
        match *self {
            Period::FinancialYear(y) => format!("{}-{:02}", y - 1, y.rem_euclid(100)),
            Period::FinancialQuarter(y, q) => format!("{}-{:02} Q{q}", y - 1, y.rem_euclid(100)),
            Period::Month(y, m) => format!("{y}-{m:02}"),
            Period::AcademicYear(y) => format!("{}/{:02}", y - 1, y.rem_euclid(100)),
            Period::MidYear(y) => format!("mid-{y}"),
        }
    }

    /// A financial key ("2019", "2019 Q1") as people read it; anything else as it is.
    pub fn label_of_financial_key(key: &str) -> String {
        Period::from_financial_key(key).map_or_else(|| key.to_owned(), |p| p.label())
    }

    /// The financial year a quarter belongs to (a year is its own).
    pub fn financial_year(&self) -> Option<Period> {
        match *self {
            Period::FinancialYear(y) | Period::FinancialQuarter(y, _) => Some(Period::FinancialYear(y)),
            _ => None,
        }
    }

    /// The population estimate a rate over this period divides by: the mid-year before the year
    /// ends (mid-2018 for 2018-19 and each of its quarters), as DfE and the Safeguarding Adults
    /// Collection do.
    pub fn population_year(&self) -> Option<Period> {
        match *self {
            Period::FinancialYear(y) | Period::FinancialQuarter(y, _) | Period::AcademicYear(y) => {
                Some(Period::MidYear(y - 1))
            }
            Period::Month(y, m) => Some(Period::MidYear(if m >= 4 { y } else { y - 1 })),
            Period::MidYear(_) => None,
        }
    }
}

/// "2018-19" (or "2018/19" with '/') as the year it ends, 2019: four digits, then the next
/// year's last two.
fn two_years(text: &str, between: char) -> Option<i32> {
    let (start, end) = text.split_once(between)?;
    let start = four_digits(start)?;
    (end.len() == 2 && end.parse::<i32>().ok()? == (start + 1).rem_euclid(100)).then_some(start + 1)
}

fn four_digits(text: &str) -> Option<i32> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

fn quarter_number(text: &str) -> Option<u8> {
    match text {
        "Q1" => Some(1),
        "Q2" => Some(2),
        "Q3" => Some(3),
        "Q4" => Some(4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn financial_periods_are_read_kept_and_shown() {
        let year = Period::parse_financial("2018-19").unwrap();
        assert_eq!((year.key(), year.label()), ("2019".to_owned(), "2018-19".to_owned()));
        let quarter = Period::parse_financial(" 2018-19 Q1 ").unwrap();
        assert_eq!((quarter.key(), quarter.label()), ("2019 Q1".to_owned(), "2018-19 Q1".to_owned()));
        assert_eq!(Period::parse_financial("1999-00").unwrap().key(), "2000");
        for bad in ["2018-20", "2018", "18-19", "2018-19 Q5", "2018-19 q1", "2018-1x", ""] {
            assert_eq!(Period::parse_financial(bad), None, "{bad}");
        }
        assert_eq!(Period::from_financial_key("2019 Q4"), Some(Period::FinancialQuarter(2019, 4)));
        assert_eq!(Period::label_of_financial_key("2019"), "2018-19");
        assert_eq!(Period::label_of_financial_key("not a year"), "not a year");
        assert_eq!(quarter.financial_year(), Some(year));
    }

    #[test]
    fn a_rate_divides_by_the_mid_year_before_the_period_ends() {
        assert_eq!(Period::FinancialYear(2019).population_year(), Some(Period::MidYear(2018)));
        assert_eq!(Period::FinancialQuarter(2019, 3).population_year(), Some(Period::MidYear(2018)));
        assert_eq!(Period::MidYear(2018).label(), "mid-2018");
        assert_eq!(Period::Month(2025, 4).population_year(), Some(Period::MidYear(2025)));
        assert_eq!(Period::Month(2025, 3).population_year(), Some(Period::MidYear(2024)));
        assert_eq!(Period::MidYear(2018).population_year(), None);
    }

    #[test]
    fn months_academic_years_and_mid_years_are_read() {
        assert_eq!(Period::parse_month("2025-04").map(|p| p.key()), Some("2025-04".to_owned()));
        for bad in ["2025-13", "2025-4", "25-04", "2025-00"] {
            assert_eq!(Period::parse_month(bad), None, "{bad}");
        }
        let academic = Period::parse_academic("2019/20").unwrap();
        assert_eq!((academic.key(), academic.label()), ("2020".to_owned(), "2019/20".to_owned()));
        assert_eq!(Period::parse_mid_year("2024"), Some(Period::MidYear(2024)));
        assert_eq!(Period::parse_mid_year("24"), None);
    }

    #[test]
    fn an_indicator_reads_periods_of_its_own_kind() {
        assert_eq!(Period::of_kind(PeriodKind::Month, "2025-04"), Some(Period::Month(2025, 4)));
        assert_eq!(
            Period::of_kind(PeriodKind::FinancialQuarter, "2025-26 Q1"),
            Some(Period::FinancialQuarter(2026, 1))
        );
        assert_eq!(Period::of_kind(PeriodKind::FinancialQuarter, "2025-26"), Some(Period::FinancialYear(2026)));
        assert_eq!(
            Period::of_kind(PeriodKind::FinancialYear, "2025-26 Q1"),
            None,
            "a yearly indicator starts with a year"
        );
        assert_eq!(Period::of_kind(PeriodKind::Snapshot, "2025-26"), Some(Period::FinancialYear(2026)));
        assert_eq!(Period::of_kind(PeriodKind::FinancialYear, "2025-04"), None);
    }
}
