//! iCalendar (RFC 5545) for meetings and deadlines: a person's or a body's feed (`PUBLISH`), and
//! the invitation, change or cancellation e-mailed to each member (`REQUEST`, `CANCEL`, as RFC 5546
//! and Outlook expect: an organiser and the attendee, a sequence that grows with every change, the
//! same UID for the life of the meeting). Times are exact: every moment is written in UTC,
//! converted from the time a clock in England shows; a deadline is a whole day.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::uk_time::uk_to_utc;

/// When an event happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// From a start to an end if one is known, both as a clock in England shows them.
    Timed { starts: NaiveDateTime, ends: Option<NaiveDateTime> },
    /// A whole day (a deadline).
    Day(NaiveDate),
}

/// One event of a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Unique for the life of the meeting or deadline: `meeting-12@assure.example.org`.
    pub uid: String,
    /// Grows by one with every change a member is told of.
    pub sequence: i64,
    pub when: When,
    pub summary: String,
    pub location: Option<String>,
    pub description: Option<String>,
    /// The page it comes from.
    pub url: Option<String>,
    pub cancelled: bool,
}

/// What a calendar is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A feed a calendar subscribes to.
    Publish,
    /// An invitation, or a change to one.
    Request,
    /// A cancellation.
    Cancel,
}

impl Method {
    pub fn code(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// Who sends an invitation and to whom (e-mail addresses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation<'a> {
    pub organiser: &'a str,
    pub attendee: &'a str,
    pub attendee_name: &'a str,
}

/// Text as a property value carries it: backslashes, semicolons, commas and line breaks escaped,
/// other control characters dropped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter's value (a name in `CN=`): quoted, without the characters a quoted value cannot hold.
fn parameter(value: &str) -> String {
    let clean: String = value.chars().filter(|c| !c.is_control() && *c != '"').collect();
    format!("\"{clean}\"")
}

/// Appends a content line, folded at 75 octets (continuation lines start with a space) without
/// splitting a character, ended by CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A calendar of `events`, named `name`, stamped `now`. An invitation names its organiser and
/// attendee on every event.
pub fn calendar(
    name: &str,
    method: Method,
    events: &[Event],
    invitation: Option<&Invitation<'_>>,
    now: DateTime<Utc>,
) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Assure//Safeguarding partnership//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, &format!("METHOD:{}", method.code()));
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", text(&e.uid)));
        line(&mut out, &format!("SEQUENCE:{}", e.sequence.max(0)));
        line(&mut out, &format!("DTSTAMP:{}", utc(now)));
        match e.when {
            When::Timed { starts, ends } => {
                line(&mut out, &format!("DTSTART:{}", utc(uk_to_utc(starts))));
                if let Some(ends) = ends {
                    line(&mut out, &format!("DTEND:{}", utc(uk_to_utc(ends))));
                }
            }
            When::Day(day) => {
                line(&mut out, &format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
                let next = day.succ_opt().unwrap_or(day);
                line(&mut out, &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
                line(&mut out, "TRANSP:TRANSPARENT");
            }
        }
        line(&mut out, &format!("SUMMARY:{}", text(&e.summary)));
        if let Some(place) = &e.location {
            line(&mut out, &format!("LOCATION:{}", text(place)));
        }
        if let Some(description) = &e.description {
            line(&mut out, &format!("DESCRIPTION:{}", text(description)));
        }
        if let Some(url) = &e.url {
            line(&mut out, &format!("URL:{}", text(url)));
        }
        let cancelled = e.cancelled || method == Method::Cancel;
        line(&mut out, if cancelled { "STATUS:CANCELLED" } else { "STATUS:CONFIRMED" });
        if let Some(i) = invitation {
            line(&mut out, &format!("ORGANIZER:mailto:{}", i.organiser));
            line(
                &mut out,
                &format!(
                    "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{}",
                    parameter(i.attendee_name),
                    i.attendee
                ),
            );
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-29T12:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn meeting() -> Event {
        Event {
            uid: "meeting-12@assure.example.org".into(),
            sequence: 2,
            when: When::Timed { starts: at("2027-06-08 10:00"), ends: Some(at("2027-06-08 12:00")) },
            summary: "SSP Children's Board (SSPC)".into(),
            location: Some("Civic Centre, Committee Room 1; Victoria Avenue".into()),
            description: None,
            url: Some("https://assure.example.org/meetings/12".into()),
            cancelled: false,
        }
    }

    #[test]
    fn a_feed_gives_exact_times_escaped_text_and_folded_lines() {
        let deadline = Event {
            uid: "action-4@assure.example.org".into(),
            sequence: 0,
            when: When::Day(NaiveDate::from_ymd_opt(2027, 2, 26).unwrap()),
            summary: "Action due: brief every response officer on the new threshold document, with the \
                      learning from Child K"
                .into(),
            location: None,
            description: Some("Line one\nline two".into()),
            url: None,
            cancelled: false,
        };
        let cal = calendar("Sam's meetings", Method::Publish, &[meeting(), deadline], None, now());
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(cal.ends_with("END:VCALENDAR\r\n"));
        assert!(cal.contains("METHOD:PUBLISH\r\n"));
        // 10:00 in June is 09:00 UTC.
        assert!(cal.contains("DTSTART:20270608T090000Z\r\nDTEND:20270608T110000Z\r\n"), "{cal}");
        assert!(cal.contains("LOCATION:Civic Centre\\, Committee Room 1\\; Victoria Avenue\r\n"));
        assert!(cal.contains("DTSTART;VALUE=DATE:20270226\r\nDTEND;VALUE=DATE:20270227\r\n"));
        assert!(cal.contains("DESCRIPTION:Line one\\nline two\r\n"));
        assert!(cal.contains("STATUS:CONFIRMED"));
        assert!(!cal.contains("ORGANIZER"), "a feed names no organiser");
        for l in cal.split("\r\n") {
            assert!(l.len() <= 75, "folded: {l:?}");
        }
        let unfolded = cal.replace("\r\n ", "");
        assert!(unfolded.contains("SUMMARY:Action due: brief every response officer on the new threshold document\\, with the learning from Child K\r\n"));
    }

    #[test]
    fn an_invitation_names_its_organiser_and_attendee_and_a_cancellation_cancels() {
        let who = Invitation {
            organiser: "business.unit@example.org",
            attendee: "kit.morrow@example.org",
            attendee_name: "Kit \"KM\" Morrow",
        };
        let cal = calendar("SSP Children's Board (SSPC)", Method::Request, &[meeting()], Some(&who), now());
        assert!(cal.contains("METHOD:REQUEST\r\n"));
        assert!(cal.contains("SEQUENCE:2\r\n"));
        assert!(cal.contains("DTSTAMP:20261129T120000Z\r\n"));
        assert!(cal.contains("ORGANIZER:mailto:business.unit@example.org\r\n"));
        let unfolded = cal.replace("\r\n ", "");
        assert!(unfolded.contains("ATTENDEE;CN=\"Kit KM Morrow\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:kit.morrow@example.org\r\n"));
        let cancel = calendar("SSP Children's Board (SSPC)", Method::Cancel, &[meeting()], Some(&who), now());
        assert!(cancel.contains("METHOD:CANCEL\r\n") && cancel.contains("STATUS:CANCELLED\r\n"));
        // A line of long multi-byte text folds between characters.
        let mut long = meeting();
        long.summary = "é".repeat(100);
        let cal = calendar("x", Method::Publish, &[long], None, now());
        assert!(cal.split("\r\n").all(|l| l.len() <= 75));
        assert!(cal.replace("\r\n ", "").contains(&format!("SUMMARY:{}", "é".repeat(100))));
    }
}
