//! Time as people in England read it. Assure stores every moment in UTC; a person reads it in UK
//! time: Greenwich Mean Time in winter, British Summer Time (UTC+1) from 01:00 UTC on the last
//! Sunday of March to 01:00 UTC on the last Sunday of October (the Summer Time Act 1972 as
//! amended by the Summer Time Order 2002, the rule since 1998).

use chrono::{DateTime, Datelike as _, Duration, NaiveDate, NaiveDateTime, Utc};

/// The last Sunday of a month of a year.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
            .unwrap_or(NaiveDate::MAX);
    let last = first_of_next.pred_opt().unwrap_or(first_of_next);
    let back = last.weekday().num_days_from_sunday();
    last - Duration::days(i64::from(back))
}

/// Whether British Summer Time is in force at this moment.
pub fn is_summer_time(at: DateTime<Utc>) -> bool {
    let year = at.year();
    let at = at.naive_utc();
    let starts = last_sunday(year, 3).and_hms_opt(1, 0, 0).unwrap_or(NaiveDateTime::MIN);
    let ends = last_sunday(year, 10).and_hms_opt(1, 0, 0).unwrap_or(NaiveDateTime::MIN);
    starts <= at && at < ends
}

/// The moment as a clock in England shows it, with its zone's name ("GMT" or "BST").
pub fn uk_local(at: DateTime<Utc>) -> (NaiveDateTime, &'static str) {
    if is_summer_time(at) { (at.naive_utc() + Duration::hours(1), "BST") } else { (at.naive_utc(), "GMT") }
}

/// A stored RFC 3339 timestamp as a person reads it: "29 November 2026, 12:05 GMT". Text that is
/// not a timestamp is returned as it is.
pub fn uk_timestamp(stored: &str) -> String {
    match DateTime::parse_from_rfc3339(stored) {
        Ok(at) => {
            let (local, zone) = uk_local(at.with_timezone(&Utc));
            format!("{}, {} {zone}", local.format("%-d %B %Y"), local.format("%H:%M:%S"))
        }
        Err(_) => stored.to_owned(),
    }
}

/// The day in England of a stored RFC 3339 timestamp (a moment just after midnight in summer is
/// the next day's there); `None` for text that is not a timestamp.
pub fn uk_date(stored: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(stored).ok().map(|at| uk_local(at.with_timezone(&Utc)).0.date())
}

/// Today in England: the date a person there would write, which differs from the UTC date
/// between midnight and one in the morning in summer.
pub fn uk_today() -> NaiveDate {
    uk_local(Utc::now()).0.date()
}

/// The moment a clock in England shows `local`: a meeting at 10:00 on a summer day is 09:00 UTC.
/// In the hour the clocks go back (01:00 to 02:00 on the last Sunday of October, shown twice) the
/// first, summer, reading is taken; in the hour they skip in March the time is read as GMT.
pub fn uk_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    let summer = (local - Duration::hours(1)).and_utc();
    if is_summer_time(summer) { summer } else { local.and_utc() }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_stored_moment_is_read_as_the_day_in_england() {
        assert_eq!(uk_date("2026-07-01T23:30:00.000000Z"), NaiveDate::from_ymd_opt(2026, 7, 2));
        assert_eq!(uk_date("2026-12-01T23:30:00.000000Z"), NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(uk_date("not a moment"), None);
    }

    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn summer_time_runs_from_the_last_sunday_of_march_to_the_last_sunday_of_october() {
        assert_eq!(last_sunday(2026, 3), NaiveDate::from_ymd_opt(2026, 3, 29).unwrap());
        assert_eq!(last_sunday(2026, 10), NaiveDate::from_ymd_opt(2026, 10, 25).unwrap());
        assert_eq!(last_sunday(2027, 3), NaiveDate::from_ymd_opt(2027, 3, 28).unwrap());
        assert!(!is_summer_time(utc("2026-03-29T00:59:59Z")));
        assert!(is_summer_time(utc("2026-03-29T01:00:00Z")));
        assert!(is_summer_time(utc("2026-10-25T00:59:59Z")));
        assert!(!is_summer_time(utc("2026-10-25T01:00:00Z")));
        assert!(!is_summer_time(utc("2026-12-25T12:00:00Z")));
    }

    #[test]
    fn a_time_in_england_is_one_moment() {
        let local = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(uk_to_utc(local("2027-02-09 10:00")), utc("2027-02-09T10:00:00Z"));
        assert_eq!(uk_to_utc(local("2027-06-08 10:00")), utc("2027-06-08T09:00:00Z"));
        // The clocks go forward at 01:00 GMT on 28 March 2027 and back at 01:00 GMT on 31 October.
        assert_eq!(uk_to_utc(local("2027-03-28 00:30")), utc("2027-03-28T00:30:00Z"));
        assert_eq!(uk_to_utc(local("2027-03-28 02:30")), utc("2027-03-28T01:30:00Z"));
        assert_eq!(uk_to_utc(local("2027-10-31 00:30")), utc("2027-10-30T23:30:00Z"));
        assert_eq!(uk_to_utc(local("2027-10-31 02:30")), utc("2027-10-31T02:30:00Z"));
        for t in ["2027-01-05 09:15", "2027-07-05 18:45", "2027-10-30 23:59"] {
            assert_eq!(uk_local(uk_to_utc(local(t))).0, local(t), "{t} round trips");
        }
    }

    #[test]
    fn a_stored_moment_reads_in_uk_time() {
        assert_eq!(uk_timestamp("2026-11-29T12:05:33.123Z"), "29 November 2026, 12:05:33 GMT");
        assert_eq!(uk_timestamp("2026-07-01T23:30:00Z"), "2 July 2026, 00:30:00 BST");
        assert_eq!(uk_timestamp("not a time"), "not a time");
    }
}
