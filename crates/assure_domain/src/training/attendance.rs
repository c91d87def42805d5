//! What the register and the reports are made of: an online meeting's attendance report read by
//! its e-mail column, and the counts of what became of the places booked, with their rates.

use std::collections::HashSet;

use super::{Attendance, BookingStatus};
use crate::validation;

/// One person in an online meeting's attendance report: the row they are on (1-based), their
/// e-mail address (lower case) and name if the report gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub row: usize,
    pub email: String,
    pub name: Option<String>,
}

/// An online meeting's attendance report read as rows (Microsoft Teams' and Zoom's downloads,
/// or any table with a heading naming an e-mail column): the heading is the first row with a
/// cell naming an e-mail address ("Email", "User Email", "E-mail address", "Participant ID
/// (UPN)"); every row after it with an address in that column is an attendee (once each).
/// Rows without an address (guests who gave none, the report's own summary) are skipped and
/// counted; a cell in the column that holds something else is refused by row and column.
pub fn attendance_report(rows: &[Vec<String>]) -> Result<(Vec<Attendee>, usize), String> {
    let is_email_heading = |c: &str| {
        let c = c.trim().to_lowercase();
        c == "email"
            || c == "e-mail"
            || c.contains("email address")
            || c.contains("e-mail address")
            || c == "user email"
            || c.contains("(upn)")
            || c == "participant email"
    };
    let Some((head, email_col)) =
        rows.iter().enumerate().find_map(|(i, r)| r.iter().position(|c| is_email_heading(c)).map(|col| (i, col)))
    else {
        return Err("No column of e-mail addresses: the report needs a heading such as Email".into());
    };
    let name_col = rows[head].iter().position(|c| {
        let c = c.trim().to_lowercase();
        c == "name" || c == "full name" || c.starts_with("name (") || c == "participant"
    });
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut skipped = 0;
    for (i, r) in rows.iter().enumerate().skip(head + 1) {
        let cell = r.get(email_col).map(|c| c.trim()).unwrap_or("");
        if cell.is_empty() {
            skipped += 1;
            continue;
        }
        match validation::email(cell) {
            Ok(email) => {
                if seen.insert(email.clone()) {
                    let name = name_col.and_then(|c| r.get(c)).map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
                    out.push(Attendee { row: i + 1, email, name });
                }
            }
            Err(_) => {
                return Err(format!(
                    "Row {}, column {}: \u{201c}{}\u{201d} is not an e-mail address",
                    i + 1,
                    crate::cells::column_letter(email_col),
                    crate::cells::shown(cell)
                ));
            }
        }
    }
    Ok((out, skipped))
}

/// A line of a report: counts of one agency, sector or kind of event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub booked: i64,
    pub attended: i64,
    pub no_show: i64,
    pub late_cancellation: i64,
    pub cancelled: i64,
}

impl Counts {
    pub fn add(&mut self, status: BookingStatus, attendance: Option<Attendance>) {
        match (status, attendance) {
            (BookingStatus::Cancelled, Some(Attendance::LateCancellation)) => {
                self.booked += 1;
                self.late_cancellation += 1;
            }
            (BookingStatus::Cancelled, _) => self.cancelled += 1,
            // Not (yet) a place: waiting, offered and not accepted, or an offer that lapsed.
            (BookingStatus::Waiting | BookingStatus::Offered | BookingStatus::Lapsed, _) => {}
            (BookingStatus::Booked, a) => {
                self.booked += 1;
                match a {
                    Some(Attendance::Attended) => self.attended += 1,
                    Some(Attendance::NoShow) => self.no_show += 1,
                    Some(Attendance::LateCancellation) => self.late_cancellation += 1,
                    None => {}
                }
            }
        }
    }

    /// No-shows as a share of places booked whose register is taken, in tenths of a per cent.
    pub fn no_show_rate(&self) -> Option<i64> {
        let marked = self.attended + self.no_show + self.late_cancellation;
        (marked > 0).then(|| (self.no_show * 1000 + marked / 2) / marked)
    }

    /// Cancellations (on time and late) as a share of everyone who booked, in tenths of a per cent.
    pub fn cancellation_rate(&self) -> Option<i64> {
        let all = self.booked + self.cancelled;
        (all > 0).then(|| ((self.cancelled + self.late_cancellation) * 1000 + all / 2) / all)
    }
}

/// Tenths of a per cent as people read them: 125 as "12.5 %".
pub fn rate(tenths: i64) -> String {
    format!("{}.{} %", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_and_zoom_reports_are_read_by_their_email_column() {
        let teams: Vec<Vec<String>> = [
            vec!["1. Summary"],
            vec!["Meeting title", "Safeguarding Adults Week: lunch and learn"],
            vec![""],
            vec!["2. Participants"],
            vec!["Name", "First Join", "Last Leave", "In-Meeting Duration", "Email", "Participant ID (UPN)", "Role"],
            vec![
                "Ash Patel",
                "21/11/2022, 12:00",
                "21/11/2022, 13:00",
                "1h",
                "Ash@Example.org",
                "ash@example.org",
                "Attendee",
            ],
            vec!["Guest (unverified)", "21/11/2022, 12:05", "21/11/2022, 12:50", "45m", "", "", "Attendee"],
            vec!["Ash Patel", "21/11/2022, 12:30", "21/11/2022, 13:00", "30m", "ash@example.org", "", "Attendee"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect();
        let (people, skipped) = attendance_report(&teams).unwrap();
        assert_eq!(people, vec![Attendee { row: 6, email: "ash@example.org".into(), name: Some("Ash Patel".into()) }]);
        assert_eq!(skipped, 1);
        let zoom = vec![
            vec!["Name (Original Name)".to_owned(), "User Email".into(), "Duration (Minutes)".into()],
            vec!["Bo".into(), "not-an-address".into(), "30".into()],
        ];
        assert_eq!(
            attendance_report(&zoom).unwrap_err(),
            "Row 2, column B: \u{201c}not-an-address\u{201d} is not an e-mail address"
        );
        assert!(attendance_report(&[vec!["Name".into()]]).unwrap_err().starts_with("No column of e-mail addresses"));
    }

    #[test]
    fn counts_and_rates() {
        let mut c = Counts::default();
        c.add(BookingStatus::Booked, Some(Attendance::Attended));
        c.add(BookingStatus::Booked, Some(Attendance::Attended));
        c.add(BookingStatus::Booked, Some(Attendance::NoShow));
        c.add(BookingStatus::Cancelled, Some(Attendance::LateCancellation));
        c.add(BookingStatus::Cancelled, None);
        c.add(BookingStatus::Waiting, None);
        assert_eq!((c.booked, c.attended, c.no_show, c.late_cancellation, c.cancelled), (4, 2, 1, 1, 1));
        assert_eq!(c.no_show_rate().map(rate).as_deref(), Some("25.0 %"));
        assert_eq!(c.cancellation_rate().map(rate).as_deref(), Some("40.0 %"));
    }
}
