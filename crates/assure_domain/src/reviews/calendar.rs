//! Working days in England and Wales: weekends and bank holidays excluded.
//!
//! Bank holidays come from the rules of the Banking and Financial Dealings Act 1971 and the
//! proclamations since: New Year's Day, Good Friday, Easter Monday, the early May and spring
//! bank holidays, the summer bank holiday, Christmas Day and Boxing Day, each moved to the next
//! weekday when it falls at a weekend; plus the one-off changes listed in [`ONE_OFF`]. Future
//! proclamations are added by an administrator as extra non-working days (see
//! [`WorkingCalendar::with_extra_days`]); the statutory clocks all count through this one type.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The years whose bank holidays are built in.
pub const FIRST_YEAR: i32 = 2015;
pub const LAST_YEAR: i32 = 2035;

type Ymd = (i32, u32, u32);

/// A change to the regular pattern by proclamation: a holiday on `day`, replacing the regular
/// one on `replaces` if any.
struct OneOff {
    replaces: Option<Ymd>,
    day: Ymd,
    name: &'static str,
}

const ONE_OFF: &[OneOff] = &[
    // VE Day 75: the early May bank holiday moved from Monday 4 to Friday 8 May.
    OneOff { replaces: Some((2020, 5, 4)), day: (2020, 5, 8), name: "Early May bank holiday (VE day)" },
    // Platinum Jubilee: spring bank holiday moved from 30 May to 2 June, and 3 June added.
    OneOff { replaces: Some((2022, 5, 30)), day: (2022, 6, 2), name: "Spring bank holiday" },
    OneOff { replaces: None, day: (2022, 6, 3), name: "Platinum Jubilee bank holiday" },
    OneOff { replaces: None, day: (2022, 9, 19), name: "Bank holiday for the State Funeral of Queen Elizabeth II" },
    OneOff { replaces: None, day: (2023, 5, 8), name: "Bank holiday for the coronation of King Charles III" },
];

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // The rules only ever build real dates; a wrong constant is a programming error caught by
    // the tests below.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    let mut d = ymd(year, month, 1);
    while d.weekday() != Weekday::Mon {
        d += Duration::days(1);
    }
    d
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    let next = if month == 12 { ymd(year + 1, 1, 1) } else { ymd(year, month + 1, 1) };
    let mut d = next - Duration::days(1);
    while d.weekday() != Weekday::Mon {
        d -= Duration::days(1);
    }
    d
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The bank holidays of England and Wales in `year`, with their names, in date order.
pub fn bank_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let mut days: Vec<(NaiveDate, &'static str)> = Vec::new();
    let new_year = ymd(year, 1, 1);
    let new_year = match new_year.weekday() {
        Weekday::Sat => new_year + Duration::days(2),
        Weekday::Sun => new_year + Duration::days(1),
        _ => new_year,
    };
    days.push((new_year, "New Year's Day"));
    let easter = easter_sunday(year);
    days.push((easter - Duration::days(2), "Good Friday"));
    days.push((easter + Duration::days(1), "Easter Monday"));
    days.push((first_monday(year, 5), "Early May bank holiday"));
    days.push((last_monday(year, 5), "Spring bank holiday"));
    days.push((last_monday(year, 8), "Summer bank holiday"));
    // Christmas and Boxing Day: a weekend day moves to the next weekday not already taken.
    let christmas = ymd(year, 12, 25);
    let (christmas, boxing) = match christmas.weekday() {
        Weekday::Fri => (christmas, ymd(year, 12, 28)),
        Weekday::Sat => (ymd(year, 12, 27), ymd(year, 12, 28)),
        Weekday::Sun => (ymd(year, 12, 27), ymd(year, 12, 26)),
        _ => (christmas, ymd(year, 12, 26)),
    };
    days.push((christmas, "Christmas Day"));
    days.push((boxing, "Boxing Day"));
    for change in ONE_OFF.iter().filter(|c| c.day.0 == year) {
        if let Some((y, m, d)) = change.replaces {
            days.retain(|(day, _)| *day != ymd(y, m, d));
        }
        let (y, m, d) = change.day;
        days.push((ymd(y, m, d), change.name));
    }
    days.sort();
    days
}

/// The calendar every statutory clock counts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    closed: BTreeSet<NaiveDate>,
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        let closed = (FIRST_YEAR..=LAST_YEAR).flat_map(bank_holidays).map(|(d, _)| d).collect();
        WorkingCalendar { closed }
    }
}

impl WorkingCalendar {
    /// The built-in bank holidays plus days an administrator has added (a new proclamation).
    pub fn with_extra_days(extra: impl IntoIterator<Item = NaiveDate>) -> Self {
        let mut calendar = WorkingCalendar::default();
        calendar.closed.extend(extra);
        calendar
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !is_weekend(d) && !self.closed.contains(&d)
    }

    /// `d` if it is a working day, else the next working day: where a due date that falls on a
    /// weekend or bank holiday lands, for every clock.
    pub fn on_or_after(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        while !self.is_working_day(d) {
            d += Duration::days(1);
        }
        d
    }

    /// The `n`th working day after `from` (`from` itself is not counted; `n` = 0 gives `from`).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// The `n`th working day before `from` (`from` itself is not counted).
    pub fn sub_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d -= Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days after `a` up to and including `b`; negative when `b` is before `a`.
    /// For a working day `b`, `working_days_between(a, add_working_days(a, n)) == n`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b < a {
            return -self.working_days_between(b, a);
        }
        // Weekdays in (a, b] by whole weeks plus the few days left over, then less the closed
        // weekdays in that range: constant time in the span, so a clock years overdue costs no
        // more than one due tomorrow.
        let span = (b - a).num_days();
        let mut weekdays = span / 7 * 5;
        let mut d = a + Duration::days(span / 7 * 7);
        while d < b {
            d += Duration::days(1);
            if !is_weekend(d) {
                weekdays += 1;
            }
        }
        let closed = self
            .closed
            .range((std::ops::Bound::Excluded(a), std::ops::Bound::Included(b)))
            .filter(|d| !is_weekend(**d))
            .count() as i64;
        weekdays - closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("a test date")
    }

    fn dates(year: i32) -> Vec<String> {
        bank_holidays(year).into_iter().map(|(d, _)| d.to_string()).collect()
    }

    #[test]
    fn easter_is_right_for_known_years() {
        for (year, easter) in [
            (2015, "2015-04-05"),
            (2016, "2016-03-27"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2035, "2035-03-25"),
        ] {
            assert_eq!(easter_sunday(year), d(easter), "{year}");
        }
    }

    /// The published lists for years that exercise each rule.
    #[test]
    fn bank_holidays_match_the_published_lists() {
        let cases: &[(i32, &[&str])] = &[
            (
                2015,
                &[
                    "2015-01-01",
                    "2015-04-03",
                    "2015-04-06",
                    "2015-05-04",
                    "2015-05-25",
                    "2015-08-31",
                    "2015-12-25",
                    "2015-12-28",
                ],
            ),
            (
                2016,
                &[
                    "2016-01-01",
                    "2016-03-25",
                    "2016-03-28",
                    "2016-05-02",
                    "2016-05-30",
                    "2016-08-29",
                    "2016-12-26",
                    "2016-12-27",
                ],
            ),
            (
                2017,
                &[
                    "2017-01-02",
                    "2017-04-14",
                    "2017-04-17",
                    "2017-05-01",
                    "2017-05-29",
                    "2017-08-28",
                    "2017-12-25",
                    "2017-12-26",
                ],
            ),
            (
                2020,
                &[
                    "2020-01-01",
                    "2020-04-10",
                    "2020-04-13",
                    "2020-05-08",
                    "2020-05-25",
                    "2020-08-31",
                    "2020-12-25",
                    "2020-12-28",
                ],
            ),
            (
                2021,
                &[
                    "2021-01-01",
                    "2021-04-02",
                    "2021-04-05",
                    "2021-05-03",
                    "2021-05-31",
                    "2021-08-30",
                    "2021-12-27",
                    "2021-12-28",
                ],
            ),
            (
                2022,
                &[
                    "2022-01-03",
                    "2022-04-15",
                    "2022-04-18",
                    "2022-05-02",
                    "2022-06-02",
                    "2022-06-03",
                    "2022-08-29",
                    "2022-09-19",
                    "2022-12-26",
                    "2022-12-27",
                ],
            ),
            (
                2023,
                &[
                    "2023-01-02",
                    "2023-04-07",
                    "2023-04-10",
                    "2023-05-01",
                    "2023-05-08",
                    "2023-05-29",
                    "2023-08-28",
                    "2023-12-25",
                    "2023-12-26",
                ],
            ),
            (
                2024,
                &[
                    "2024-01-01",
                    "2024-03-29",
                    "2024-04-01",
                    "2024-05-06",
                    "2024-05-27",
                    "2024-08-26",
                    "2024-12-25",
                    "2024-12-26",
                ],
            ),
            (
                2025,
                &[
                    "2025-01-01",
                    "2025-04-18",
                    "2025-04-21",
                    "2025-05-05",
                    "2025-05-26",
                    "2025-08-25",
                    "2025-12-25",
                    "2025-12-26",
                ],
            ),
            (
                2026,
                &[
                    "2026-01-01",
                    "2026-04-03",
                    "2026-04-06",
                    "2026-05-04",
                    "2026-05-25",
                    "2026-08-31",
                    "2026-12-25",
                    "2026-12-28",
                ],
            ),
        ];
        for (year, expected) in cases {
            assert_eq!(dates(*year), expected.to_vec(), "{year}");
        }
    }

    #[test]
    fn clocks_across_christmas_new_year_and_easter() {
        let cal = WorkingCalendar::default();
        // Notified on Friday 20 December 2024: 5 working days skip Christmas, Boxing Day and the weekend.
        assert_eq!(cal.add_working_days(d("2024-12-20"), 5), d("2024-12-31"));
        // 15 working days from Christmas Eve 2021 cross two substitute days and New Year's substitute.
        assert_eq!(cal.add_working_days(d("2021-12-24"), 15), d("2022-01-19"));
        // Aware on Thursday 28 March 2024 (before Good Friday and Easter Monday).
        assert_eq!(cal.add_working_days(d("2024-03-28"), 5), d("2024-04-08"));
        // A weekend start counts from the Monday.
        assert_eq!(cal.add_working_days(d("2025-06-07"), 1), d("2025-06-09"));
        assert_eq!(cal.add_working_days(d("2025-06-09"), 0), d("2025-06-09"));
        // The 2022 Jubilee and State Funeral days are not working days.
        assert_eq!(cal.add_working_days(d("2022-06-01"), 1), d("2022-06-06"));
        assert_eq!(cal.add_working_days(d("2022-09-16"), 1), d("2022-09-20"));
        assert_eq!(cal.working_days_between(d("2024-12-20"), d("2024-12-31")), 5);
        assert_eq!(cal.working_days_between(d("2024-12-31"), d("2024-12-20")), -5);
        assert_eq!(cal.working_days_between(d("2025-01-01"), d("2025-01-01")), 0);
    }

    #[test]
    fn added_days_close_the_calendar_too() {
        let cal = WorkingCalendar::with_extra_days([d("2030-06-14")]);
        assert!(!cal.is_working_day(d("2030-06-14")));
        assert_eq!(cal.add_working_days(d("2030-06-13"), 1), d("2030-06-17"));
    }

    #[test]
    fn every_built_in_year_has_its_eight_regular_holidays_on_weekdays() {
        for year in FIRST_YEAR..=LAST_YEAR {
            let days = bank_holidays(year);
            assert!(days.len() >= 8, "{year}");
            assert!(days.iter().all(|(d, _)| !is_weekend(*d)), "{year}: {days:?}");
            let unique: BTreeSet<_> = days.iter().map(|(d, _)| *d).collect();
            assert_eq!(unique.len(), days.len(), "{year} has a duplicate");
        }
    }

    fn date_in_range() -> impl Strategy<Value = NaiveDate> {
        (0i64..(365 * 20)).prop_map(|n| d("2015-01-01") + Duration::days(n))
    }

    proptest! {
        #[test]
        fn adding_lands_on_a_working_day_and_counting_undoes_it(start in date_in_range(), n in 1u32..400) {
            let cal = WorkingCalendar::default();
            let end = cal.add_working_days(start, n);
            prop_assert!(cal.is_working_day(end));
            prop_assert!(end > start);
            prop_assert_eq!(cal.working_days_between(start, end), i64::from(n));
            // The day before the deadline is one working day short.
            prop_assert_eq!(cal.working_days_between(start, end - Duration::days(1)), i64::from(n) - 1);
        }

        #[test]
        fn counting_is_additive(a in date_in_range(), b in date_in_range(), c in date_in_range()) {
            let cal = WorkingCalendar::default();
            prop_assert_eq!(
                cal.working_days_between(a, b) + cal.working_days_between(b, c),
                cal.working_days_between(a, c)
            );
        }
    }
}
