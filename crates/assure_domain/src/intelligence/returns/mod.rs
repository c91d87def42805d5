//! Partners' data returns: where a return is, and the checks a return's answers pass against
//! its template before the business unit accepts them.

use super::indicators::{CATALOGUE, Formula, indicator, measure, ratio};
use crate::structure::{ArmKind, Choice};

pub mod template;

pub use template::{Check, Field, FieldKind, PeriodType, Template};

crate::structure::choice!(
    /// Where a partner's data return is: asked for, started, sent, or accepted by the business unit.
    ReturnStatus {
        Owed => ("owed", "Owed"),
        Draft => ("draft", "Draft"),
        Submitted => ("submitted", "Submitted"),
        Validated => ("validated", "Validated"),
    }
);

impl ReturnStatus {
    /// Still to come from the organisation (reminded, and late after its due date).
    pub fn outstanding(self) -> bool {
        matches!(self, ReturnStatus::Owed | ReturnStatus::Draft)
    }

    /// Its figures count on the dashboard.
    pub fn counted(self) -> bool {
        matches!(self, ReturnStatus::Submitted | ReturnStatus::Validated)
    }

    /// Where the business unit's decision takes a return: accepted when submitted, or back to
    /// draft when submitted or validated; None when there is nothing to decide.
    pub fn validated(self, accept: bool) -> Option<ReturnStatus> {
        match (accept, self) {
            (true, ReturnStatus::Submitted) => Some(ReturnStatus::Validated),
            (false, ReturnStatus::Submitted | ReturnStatus::Validated) => Some(ReturnStatus::Draft),
            _ => None,
        }
    }

    /// The GOV.UK tag colour that shows it.
    pub fn colour(self) -> &'static str {
        match self {
            ReturnStatus::Validated => "green",
            ReturnStatus::Submitted => "blue",
            ReturnStatus::Draft => "yellow",
            ReturnStatus::Owed => "grey",
        }
    }
}

/// A return's answers checked: the values to keep (each in its one form), and warnings that do
/// not stop submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedReturn {
    pub values: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// A percentage as written ("45", "45.5", "45.5%"): from 0 to 100, at most one decimal place;
/// kept as written without the sign.
fn percentage(raw: &str) -> Option<String> {
    let v = raw.trim().trim_end_matches('%').trim();
    let (whole, decimals) = v.split_once('.').unwrap_or((v, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || whole.len() > 3 || !digits(whole) || decimals.len() > 1 || !digits(decimals) {
        return None;
    }
    if v.ends_with('.') {
        return None;
    }
    let tenths = whole.parse::<u32>().ok()? * 10 + decimals.parse::<u32>().unwrap_or(0);
    (tenths <= 1000).then(|| {
        if decimals.is_empty() {
            whole.parse::<u32>().map(|n| n.to_string()).unwrap_or_default()
        } else {
            format!("{}.{}", tenths / 10, tenths % 10)
        }
    })
}

/// One answer (not empty) as its field's type asks, in the one form it is kept; or what is
/// wrong with it.
pub fn read_value(f: &Field, v: &str) -> Result<String, String> {
    let v = v.trim();
    match f.kind {
        FieldKind::Whole => v
            .replace(',', "")
            .parse::<u64>()
            .map(|n| n.to_string())
            .map_err(|_| format!("enter a whole number of 0 or more, not '{}'", shown(v))),
        FieldKind::Percent => percentage(v)
            .ok_or_else(|| format!("enter a percentage from 0 to 100 (one decimal place at most), not '{}'", shown(v))),
        FieldKind::Text => {
            let n = v.chars().count();
            if n > f.max_chars {
                Err(format!("{n} characters; the answer must be {} characters or fewer", f.max_chars))
            } else {
                Ok(v.to_owned())
            }
        }
        FieldKind::Pick => f
            .choices
            .iter()
            .find(|c| c.eq_ignore_ascii_case(v))
            .cloned()
            .ok_or_else(|| format!("choose one of {}, not '{}'", f.choices.join(", "), shown(v))),
    }
}

/// Checks a return's answers against its template: each field as its type asks (whole numbers
/// of 0 or more, percentages from 0 to 100, written answers within their length, one of a
/// choice's options), every field the template requires when submitting, no part larger than
/// its whole and every breakdown adding up to its total; and warns of a whole number that
/// changed by more than half since the previous period.
pub fn check_return(
    t: &Template,
    raw: &[(String, String)],
    submitting: bool,
    previous: &[(String, String)],
) -> Result<CheckedReturn, crate::FieldErrors> {
    let mut errors = crate::FieldErrors::new();
    let mut values: Vec<(String, String)> = Vec::new();
    let mut numbers: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for f in &t.fields {
        let (id, label) = (f.id.as_str(), f.label.as_str());
        let v = raw.iter().find(|(k, _)| k == id).map(|(_, v)| v.trim()).unwrap_or("");
        if v.is_empty() {
            if submitting && !f.optional {
                errors.add(
                    id,
                    match f.kind {
                        FieldKind::Whole | FieldKind::Percent => format!("{label}: enter the figure (0 if none)"),
                        FieldKind::Text => format!("{label}: write an answer"),
                        FieldKind::Pick => format!("{label}: choose one of {}", f.choices.join(", ")),
                    },
                );
            }
            continue;
        }
        match read_value(f, v) {
            Ok(kept) => {
                if f.kind == FieldKind::Whole
                    && let Ok(n) = kept.parse::<u64>()
                {
                    numbers.insert(id, n);
                }
                values.push((id.to_owned(), kept));
            }
            Err(message) => errors.add(id, format!("{label}: {message}")),
        }
    }
    for (k, _) in raw {
        if t.field(k).is_none() {
            errors.add("measure", format!("'{}' is not a figure this return asks for", shown(k)));
        }
    }
    let get = |m: &str| numbers.get(m).copied();
    let label = |m: &str| t.field(m).map_or(m.to_owned(), |f| f.label.clone());
    for c in &t.checks {
        match c {
            Check::Within { part, whole } => {
                if let (Some(p), Some(w)) = (get(part), get(whole))
                    && p > w
                {
                    errors.add(part, format!("{} ({p}) cannot be more than {} ({w})", label(part), label(whole)));
                }
            }
            Check::AddsUp { parts, total } => {
                let got: Option<Vec<u64>> = parts.iter().map(|p| get(p)).collect();
                if let (Some(got), Some(t_value)) = (got, get(total)) {
                    let sum: u64 = got.iter().sum();
                    if sum != t_value {
                        let names: Vec<String> = parts.iter().map(|p| label(p)).collect();
                        let sums: Vec<String> = got.iter().map(u64::to_string).collect();
                        errors.add(
                            &parts[0],
                            format!(
                                "{} ({} = {sum}) must add up to {} ({t_value})",
                                and_list(&names),
                                sums.join(" + "),
                                label(total)
                            ),
                        );
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut warnings = Vec::new();
    for f in t.fields.iter().filter(|f| f.kind == FieldKind::Whole) {
        let (Some(now), Some(before)) =
            (get(&f.id), previous.iter().find(|(k, _)| *k == f.id).and_then(|(_, v)| v.parse::<u64>().ok()))
        else {
            continue;
        };
        let (lo, hi) = (now.min(before) as f64, now.max(before) as f64);
        if hi > 0.0 && (hi - lo) / hi.max(1.0) > 0.5 && hi - lo >= 10.0 {
            warnings.push(format!(
                "{}: {now}, against {before} last period: please check, and say why in the footnote",
                f.label
            ));
        }
    }
    Ok(CheckedReturn { values, warnings })
}

fn shown(v: &str) -> String {
    crate::cells::shown(v)
}

/// "A, B and C".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A return's values under the adults' dashboard measures its template's fields stand for.
pub fn dashboard_figures(t: &Template, values: &[(String, String)]) -> Vec<(String, String)> {
    values.iter().filter_map(|(k, v)| Some((t.field(k)?.measure.clone()?, v.clone()))).collect()
}

/// A return's own values of the indicators it alone can give (counts and percentages), from its
/// figures; the total of enquiries is derived.
pub fn return_indicator_values(figures: &[(String, String)]) -> Vec<(&'static str, String)> {
    let get = |m: &str| -> Option<u64> {
        if m == measure::TOTAL_ENQUIRIES {
            let one = |k: &str| figures.iter().find(|(x, _)| x == k).and_then(|(_, v)| v.parse::<u64>().ok());
            return Some(one(measure::S42_ENQUIRIES)? + one(measure::OTHER_ENQUIRIES)?);
        }
        figures.iter().find(|(x, _)| x == m).and_then(|(_, v)| v.parse().ok())
    };
    CATALOGUE
        .iter()
        .filter(|i| i.arm == ArmKind::Adults)
        .filter_map(|i| {
            let v = match i.formula {
                Formula::Count(m) => get(m)?.to_string(),
                Formula::Ratio { numerator, denominator, scale } => {
                    ratio(&get(numerator)?.to_string(), &get(denominator)?.to_string(), scale, i.decimals)?
                }
                _ => return None,
            };
            Some((i.code, v))
        })
        .collect()
}

/// Warnings for a return's values that equal England's published figure for the same year:
/// the mistake of quoting England's figure as the area's own.
pub fn england_echoes(figures: &[(String, String)], england: &[(String, String)], year: &str) -> Vec<String> {
    return_indicator_values(figures)
        .into_iter()
        .filter_map(|(code, ours)| {
            let (_, theirs) = england.iter().find(|(c, _)| c == code)?;
            let i = indicator(code)?;
            (*theirs == ours).then(|| {
                format!(
                    "{}: {ours} is England's figure for {year}: please check it is your own, and say so in the footnote",
                    i.title
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_return_is_validated_only_when_submitted_and_sent_back_from_either() {
        use ReturnStatus::*;
        assert_eq!(Submitted.validated(true), Some(Validated));
        assert_eq!(Submitted.validated(false), Some(Draft));
        assert_eq!(Validated.validated(false), Some(Draft));
        assert_eq!(Validated.validated(true), None);
        assert_eq!(Draft.validated(true), None);
        assert_eq!(Owed.validated(false), None);
        assert_eq!(ReturnStatus::ALL.iter().filter(|s| s.outstanding()).count(), 2);
        assert!(ReturnStatus::ALL.iter().all(|s| s.outstanding() != s.counted()));
        assert_eq!(ReturnStatus::parse("submitted"), Some(Submitted));
    }

    fn raw(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn field(id: &str, kind: FieldKind) -> Field {
        Field {
            id: id.into(),
            group: None,
            label: format!("The {id}"),
            help: None,
            kind,
            choices: if kind == FieldKind::Pick { vec!["Yes".into(), "No".into()] } else { Vec::new() },
            max_chars: 10,
            optional: false,
            measure: None,
            indicator: false,
        }
    }

    #[test]
    fn each_kind_of_field_is_read_as_its_type_asks() {
        let t = Template {
            code: "t".into(),
            version: "1".into(),
            title: "T".into(),
            description: None,
            period: PeriodType::Quarter,
            groups: Vec::new(),
            fields: vec![
                field("whole", FieldKind::Whole),
                field("share", FieldKind::Percent),
                field("words", FieldKind::Text),
                field("met", FieldKind::Pick),
                Field { optional: true, ..field("extra", FieldKind::Text) },
                field("a", FieldKind::Whole),
                field("b", FieldKind::Whole),
            ],
            checks: vec![Check::AddsUp { parts: vec!["a".into(), "b".into()], total: "whole".into() }],
        };
        let good = raw(&[
            ("whole", "1,000"),
            ("share", "45.5%"),
            ("words", " Fine "),
            ("met", "yes"),
            ("a", "600"),
            ("b", "400"),
        ]);
        let c = check_return(&t, &good, true, &[]).expect("valid");
        assert_eq!(
            c.values,
            raw(&[("whole", "1000"), ("share", "45.5"), ("words", "Fine"), ("met", "Yes"), ("a", "600"), ("b", "400")])
        );
        assert_eq!(percentage("100"), Some("100".into()));
        assert_eq!(percentage("0.0"), Some("0.0".into()));
        for bad in ["100.1", "-1", "45.55", "1e2", "", ".5", "5.", "forty"] {
            assert_eq!(percentage(bad), None, "{bad}");
        }
        let bad = raw(&[
            ("whole", "10"),
            ("share", "101"),
            ("words", "eleven chars"),
            ("met", "maybe"),
            ("a", "6"),
            ("b", "5"),
        ]);
        let e = check_return(&t, &bad, true, &[]).expect_err("invalid");
        assert_eq!(
            e.get("share"),
            Some("The share: enter a percentage from 0 to 100 (one decimal place at most), not '101'")
        );
        assert_eq!(e.get("words"), Some("The words: 12 characters; the answer must be 10 characters or fewer"));
        assert_eq!(e.get("met"), Some("The met: choose one of Yes, No, not 'maybe'"));
        assert_eq!(e.get("a"), Some("The a and The b (6 + 5 = 11) must add up to The whole (10)"));
        assert!(e.get("extra").is_none(), "an optional field may be empty");
        let e = check_return(&t, &raw(&[]), true, &[]).expect_err("nothing");
        assert_eq!(e.get("met"), Some("The met: choose one of Yes, No"));
        assert_eq!(e.get("words"), Some("The words: write an answer"));
        assert!(check_return(&t, &raw(&[("whole", "5")]), false, &[]).is_ok(), "a draft may be part-filled");
    }

    #[test]
    fn a_return_quoting_englands_figure_is_warned() {
        let figures: Vec<(String, String)> = [("concerns", "415"), ("s42_enquiries", "143"), ("other_enquiries", "19")]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let values = return_indicator_values(&figures);
        assert!(values.contains(&("adults.conversion_percent", "39.0".to_owned())), "{values:?}");
        let england = vec![("adults.conversion_percent".to_owned(), "39.0".to_owned())];
        assert_eq!(
            england_echoes(&figures, &england, "2018-19"),
            vec![
                "Conversion of concerns to enquiries: 39.0 is England's figure for 2018-19: please check it is your own, and say so in the footnote"
            ]
        );
        let other = vec![("adults.conversion_percent".to_owned(), "39.1".to_owned())];
        assert!(england_echoes(&figures, &other, "2018-19").is_empty());
    }
}
