//! Field-level validation errors, shared by the form re-render (GOV.UK error summary)
//! and the API's 422 problem body, and the constructors every input goes through.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

/// Field name → messages, in the order the form shows its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(BTreeMap<String, Vec<String>>);

pub type Validated<T> = Result<T, FieldErrors>;

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_default().push(message.into());
    }

    /// Adds every message of `other`.
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, messages) in other.iter() {
            for m in messages {
                self.add(field, m.clone());
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).and_then(|m| m.first()).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Records the error of `result` under `field` and yields its value, so a constructor can
    /// check every field before reporting.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Validated<T> {
        if self.is_empty() { Ok(value()) } else { Err(self) }
    }
}

/// Text that a person typed: trimmed, required, at most `max` characters, no control characters.
pub fn required_text(label: &str, raw: &str, max: usize) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(format!("Enter {label}"));
    }
    optional_text(label, value, max).map(|v| v.unwrap_or_default())
}

/// A label at the start of a message: its first letter in capitals.
fn sentence(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Like [`required_text`] but empty means absent.
pub fn optional_text(label: &str, raw: &str, max: usize) -> Result<Option<String>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > max {
        return Err(format!("{} must be {max} characters or fewer", sentence(label)));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(format!("Remove control characters from {label}"));
    }
    Ok(Some(value.to_owned()))
}

/// An ISO date (YYYY-MM-DD), as the date input sends it.
/// A date as a person reads it in a message, the way GOV.UK writes dates: "4 June 2025".
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

pub fn optional_date(label: &str, raw: &str) -> Result<Option<NaiveDate>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    // Four digits of year, two of month and of day: "26-3-1" is not taken as the year 26.
    let shaped = value.len() == 10 && value.bytes().enumerate().all(|(i, b)| matches!(i, 4 | 7) == (b == b'-'));
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| shaped)
        .map(Some)
        .ok_or_else(|| format!("{} must be a real date", sentence(label)))
}

pub fn required_date(label: &str, raw: &str) -> Result<NaiveDate, String> {
    optional_date(label, raw)?.ok_or_else(|| format!("Enter {label}"))
}

/// An amount of money in pounds as people write it ("4,500", "£4,500.50", "4500") in pence.
/// Empty is none; anything else that is not an amount from £0 to `max_pence` is refused.
pub fn money_pence(label: &str, raw: &str, max_pence: i64) -> Result<Option<i64>, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bare: String = text.trim_start_matches('£').chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
    let wrong = || format!("Enter {label} in pounds, like 4,500 or 4,500.50");
    let (pounds, pence) = match bare.split_once('.') {
        Some((p, d)) if d.len() == 2 && d.chars().all(|c| c.is_ascii_digit()) => {
            (p, d.parse::<i64>().map_err(|_| wrong())?)
        }
        Some(_) => return Err(wrong()),
        None => (bare.as_str(), 0),
    };
    if pounds.is_empty() || !pounds.chars().all(|c| c.is_ascii_digit()) || pounds.len() > 9 {
        return Err(wrong());
    }
    let total = pounds.parse::<i64>().map_err(|_| wrong())? * 100 + pence;
    if total > max_pence {
        return Err(format!("{} must be {} or less", sentence(label), crate::cells::pounds(max_pence)));
    }
    Ok(Some(total))
}

/// An e-mail address: one `@`, a dot in the domain, no spaces, at most 254 characters.
pub fn email(raw: &str) -> Result<String, String> {
    let value = raw.trim().to_lowercase();
    if value.is_empty() {
        return Err("Enter an email address".into());
    }
    if value.len() > 254 {
        return Err("Email address must be 254 characters or fewer".into());
    }
    let valid = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        }
        None => false,
    };
    if valid { Ok(value) } else { Err("Enter an email address in the correct format, like name@example.org".into()) }
}

/// A reference to another record chosen from a list: an id, or empty for none.
pub fn optional_id(label: &str, raw: &str) -> Result<Option<i64>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value.parse::<i64>().ok().filter(|v| *v > 0).map(Some).ok_or_else(|| format!("Select {label} from the list"))
}

pub fn required_id(label: &str, raw: &str) -> Result<i64, String> {
    optional_id(label, raw)?.ok_or_else(|| format!("Select {label}"))
}

/// An address on the web: https, no spaces, at most 500 characters; blank is none. `message`
/// says what to enter when it is not one.
pub fn https_link(raw: &str, message: &str) -> Result<Option<String>, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let ok = t.len() <= 500
        && t.strip_prefix("https://").is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !t.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'));
    ok.then(|| Some(t.to_owned())).ok_or_else(|| message.to_owned())
}

/// Records chosen from a list by ticking (ids, blanks ignored, each once), at most `most` of them.
pub fn ids_up_to(label: &str, raw: &[String], most: usize) -> Result<Vec<i64>, String> {
    let mut out = Vec::new();
    for r in raw.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        let id = r.parse::<i64>().ok().filter(|v| *v > 0).ok_or_else(|| format!("Select {label} from the list"))?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    if out.len() > most {
        return Err(format!("Choose at most {most} {label}s"));
    }
    Ok(out)
}

/// A path on this site to go to after signing in, or `None`. It must start with one `/` and
/// hold no `\`, whitespace or control character anywhere: browsers read `//host`, `/\host` and
/// `/<tab>/host` as another site, and a CR or LF would split the `Location` header.
pub fn local_path(raw: &str) -> Option<&str> {
    let rest = raw.strip_prefix('/')?;
    let bad = |c: char| c == '\\' || c.is_whitespace() || c.is_control();
    if rest.starts_with('/') || raw.chars().any(bad) || raw.len() > 2000 { None } else { Some(raw) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        // Percent-encoded characters stay encoded in a path: "/%09" is a local page.
        for good in ["/", "/reviews/1", "/plan?status=open&page=2", "/a/b%2F%2Fc", "/%09"] {
            assert_eq!(local_path(good), Some(good), "{good}");
        }
        for bad in [
            "",
            "reviews",
            "//evil.example/",
            "/\\evil.example/",
            "/\t/evil.example/",
            "/x\r\nSet-Cookie: a=b",
            "/ /evil.example",
            "/\u{0}",
            "/\u{85}x",
            "https://evil.example/",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn required_text_rejects_blank_and_overlong_values() {
        assert_eq!(required_text("a name", "  ", 10), Err("Enter a name".into()));
        assert_eq!(required_text("a name", "abcdefghijk", 10), Err("A name must be 10 characters or fewer".into()));
        assert_eq!(required_text("a name", " Essex Police ", 20), Ok("Essex Police".into()));
    }

    #[test]
    fn text_with_control_characters_is_refused() {
        assert!(required_text("a name", "bad\u{0}name", 20).is_err());
    }

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(email(" Lead@Example.ORG "), Ok("lead@example.org".into()));
        for bad in ["", "no-at-sign", "a@b", "a@@b.org", "a b@c.org", "<script>@x.org", "a@.org"] {
            assert!(email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn dates_must_be_real() {
        assert_eq!(optional_date("the start date", "2023-02-30"), Err("The start date must be a real date".into()));
        assert_eq!(optional_date("the start date", ""), Ok(None));
        assert!(required_date("the start date", "").is_err());
        for short in ["26-03-01", "2026-3-1", "2026-03-1", "+02026-03-01"] {
            assert!(optional_date("the start date", short).is_err(), "{short} is not a whole date");
        }
        assert_eq!(optional_date("d", " 2026-03-01 "), Ok(NaiveDate::from_ymd_opt(2026, 3, 1)));
    }

    #[test]
    fn ids_from_lists_must_be_positive_numbers() {
        assert_eq!(optional_id("a parent", "12"), Ok(Some(12)));
        assert!(optional_id("a parent", "x").is_err());
        assert!(optional_id("a parent", "-3").is_err());
        assert!(required_id("a parent", "").is_err());
    }

    #[test]
    fn amounts_are_read_as_people_write_them() {
        const MAX: i64 = 100_000_000;
        assert_eq!(money_pence("the cost", "4,500", MAX), Ok(Some(450_000)));
        assert_eq!(money_pence("the cost", "£4,500.50", MAX), Ok(Some(450_050)));
        assert_eq!(money_pence("the cost", " 4500 ", MAX), Ok(Some(450_000)));
        assert_eq!(money_pence("the cost", "", MAX), Ok(None));
        for bad in ["four thousand", "-5", "4.5", "1e6", "4,500.505", "£"] {
            assert!(money_pence("the cost", bad, MAX).is_err(), "{bad}");
        }
        assert_eq!(money_pence("the cost", "1,000,000.01", MAX), Err("The cost must be £1,000,000 or less".into()));
    }
}
