//! The span a report covers: a financial year, or any span of whole months up to three years,
//! as people write it and as the console and the API write it.

use chrono::{Datelike, Months, NaiveDate};

use super::MAX_PERIOD_MONTHS;

/// The span a report covers: whole days from `start` to `end`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

pub(super) const PERIOD_MESSAGE: &str =
    "Enter a financial year like 2022-23, or whole months like 2021-10 to 2023-03 (at most 36 months)";

fn month_start(raw: &str) -> Option<NaiveDate> {
    let (y, m) = raw.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

impl Period {
    /// The financial year starting in April of `year`.
    pub fn financial(year: i32) -> Option<Period> {
        Some(Period { start: NaiveDate::from_ymd_opt(year, 4, 1)?, end: NaiveDate::from_ymd_opt(year + 1, 3, 31)? })
    }

    /// "2022-23", "2022/23" or "2022-2023" (a financial year), or "2021-10 to 2023-03" (whole
    /// months, "..", "–" or "to" between them).
    pub fn parse(raw: &str) -> Result<Period, String> {
        let t = raw.trim();
        let span = [" to ", "..", "–"].iter().find_map(|sep| t.split_once(sep));
        let period = match span {
            Some((from, to)) => {
                let start = month_start(from).ok_or(PERIOD_MESSAGE)?;
                let end = month_start(to).and_then(|m| m.checked_add_months(Months::new(1))).and_then(|m| m.pred_opt());
                Period { start, end: end.ok_or(PERIOD_MESSAGE)? }
            }
            None => {
                let (first, second) = t.split_once(['-', '/']).ok_or(PERIOD_MESSAGE)?;
                let year: i32 = first.parse().map_err(|_| PERIOD_MESSAGE)?;
                let next = match second.len() {
                    2 => second.parse::<i32>().ok().filter(|n| *n == (year + 1) % 100),
                    4 => second.parse::<i32>().ok().filter(|n| *n == year + 1),
                    _ => None,
                };
                if first.len() != 4 || next.is_none() {
                    return Err(PERIOD_MESSAGE.into());
                }
                Period::financial(year).ok_or(PERIOD_MESSAGE)?
            }
        };
        if period.end < period.start || period.months() > MAX_PERIOD_MONTHS || period.start.year() < 2000 {
            return Err(PERIOD_MESSAGE.into());
        }
        Ok(period)
    }

    /// How many months it spans (whole or part).
    pub fn months(&self) -> u32 {
        let months = (self.end.year() - self.start.year()) * 12 + self.end.month() as i32 - self.start.month() as i32;
        months.max(0) as u32 + 1
    }

    /// It is exactly one financial year.
    pub fn financial_year(&self) -> Option<i32> {
        let y = self.start.year();
        (Period::financial(y) == Some(*self)).then_some(y)
    }

    /// The financial years it touches (a budget is kept per financial year).
    pub fn financial_years(&self) -> Vec<i32> {
        let fy = |d: NaiveDate| if d.month() >= 4 { d.year() } else { d.year() - 1 };
        (fy(self.start)..=fy(self.end)).collect()
    }

    /// How a person reads it: "2022/23", or "October 2021 to March 2023".
    pub fn label(&self) -> String {
        match self.financial_year() {
            Some(y) => format!("{y}/{:02}", (y + 1) % 100),
            None => format!("{} to {}", self.start.format("%B %Y"), self.end.format("%B %Y")),
        }
    }

    /// How the console and the API write it: "2022-23", or "2021-10 to 2023-03".
    pub fn code(&self) -> String {
        match self.financial_year() {
            Some(y) => format!("{y}-{:02}", (y + 1) % 100),
            None => format!("{} to {}", self.start.format("%Y-%m"), self.end.format("%Y-%m")),
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_financial_year_is_read_in_every_usual_spelling() {
        for raw in ["2022-23", "2022/23", " 2022-2023 "] {
            let p = Period::parse(raw).unwrap();
            assert_eq!((p.start, p.end), (day(2022, 4, 1), day(2023, 3, 31)), "{raw}");
            assert_eq!(p.label(), "2022/23");
            assert_eq!(p.code(), "2022-23");
            assert_eq!(p.financial_years(), vec![2022]);
        }
        assert_eq!(Period::parse("1999-00").unwrap_err(), PERIOD_MESSAGE);
        assert_eq!(Period::parse("2099-00").unwrap().end, day(2100, 3, 31));
    }

    #[test]
    fn a_span_of_months_runs_from_the_first_day_to_the_last() {
        let p = Period::parse("2021-10 to 2023-03").unwrap();
        assert_eq!((p.start, p.end), (day(2021, 10, 1), day(2023, 3, 31)));
        assert_eq!(p.months(), 18);
        assert_eq!(p.label(), "October 2021 to March 2023");
        assert_eq!(p.code(), "2021-10 to 2023-03");
        assert_eq!(p.financial_years(), vec![2021, 2022]);
        assert_eq!(Period::parse("2024-02..2024-02").unwrap().end, day(2024, 2, 29));
        assert_eq!(Period::parse(&p.code()).unwrap(), p);
    }

    #[test]
    fn a_period_that_is_not_one_is_refused_with_what_to_enter() {
        for raw in [
            "",
            "2022",
            "2022-24",
            "2022-3",
            "22-23",
            "2023-03 to 2021-10",
            "2020-01 to 2023-02",
            "2021-13 to 2022-01",
            "x to y",
            "2022-23-24",
        ] {
            assert_eq!(Period::parse(raw), Err(PERIOD_MESSAGE.to_owned()), "{raw}");
        }
    }
}
