//! Calendar arithmetic on ISO dates, without allocation: days since 1970-01-01, months,
//! financial years and "one calendar year earlier".

/// A date as days since 1970-01-01 (proleptic Gregorian).
pub type Day = i32;

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses exactly `YYYY-MM-DD` into (year, month, day), refusing impossible dates.
pub fn parse_iso(s: &[u8]) -> Option<(i32, u32, u32)> {
    if s.len() != 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let digit = |b: u8| if b.is_ascii_digit() { Some(u32::from(b - b'0')) } else { None };
    let mut year = 0u32;
    for &b in &s[..4] {
        year = year * 10 + digit(b)?;
    }
    let month = digit(s[5])? * 10 + digit(s[6])?;
    let day = digit(s[8])? * 10 + digit(s[9])?;
    let year = year as i32;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some((year, month, day))
}

/// The same date one calendar year earlier; 29 February becomes 28 February.
pub fn year_earlier(y: i32, m: u32, d: u32) -> Day {
    let d = d.min(days_in_month(y - 1, m));
    days_from_civil(y - 1, m, d)
}

/// The financial year (April to March) a date falls in, by its starting year.
pub fn financial_year(y: i32, m: u32) -> i32 {
    if m >= 4 { y } else { y - 1 }
}

/// "2023-24" for the financial year starting in 2023.
pub fn financial_year_label(start: i32) -> String {
    format!("{start}-{:02}", (start + 1).rem_euclid(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2024, 2, 29) + 1, days_from_civil(2024, 3, 1));
    }

    #[test]
    fn only_real_iso_dates_parse() {
        assert_eq!(parse_iso(b"2024-02-29"), Some((2024, 2, 29)));
        for bad in [&b"2023-02-29"[..], b"2023-13-01", b"2023-00-10", b"2023-1-10", b"2023/01/10", b"abcd-01-01"] {
            assert_eq!(parse_iso(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn a_year_earlier_clamps_the_leap_day() {
        assert_eq!(year_earlier(2024, 2, 29), days_from_civil(2023, 2, 28));
        assert_eq!(year_earlier(2025, 3, 1), days_from_civil(2024, 3, 1));
    }

    #[test]
    fn financial_years_run_april_to_march() {
        assert_eq!(financial_year(2024, 3), 2023);
        assert_eq!(financial_year(2024, 4), 2024);
        assert_eq!(financial_year_label(2023), "2023-24");
        assert_eq!(financial_year_label(1999), "1999-00");
    }
}
