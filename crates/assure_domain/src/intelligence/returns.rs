//! Partners' data returns: where a return is, the figures an adults' return asks for, and the
//! checks a return's figures pass before the business unit accepts them.

use super::indicators::{CATALOGUE, Formula, indicator, measure, ratio};
use crate::structure::{ArmKind, Choice};

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

/// The figures an adults' return asks for, with their wording, in the form's order.
pub const RETURN_MEASURES: [(&str, &str); 8] = [
    (measure::CONCERNS, "Safeguarding concerns received"),
    (measure::S42_ENQUIRIES, "Section 42 enquiries started"),
    (measure::OTHER_ENQUIRIES, "Other safeguarding enquiries started"),
    (measure::MSP_ASKED, "People asked about the outcomes they wanted (Making Safeguarding Personal)"),
    (measure::MSP_EXPRESSED, "People who expressed desired outcomes"),
    (measure::MSP_FULLY, "Outcomes fully achieved"),
    (measure::MSP_PARTLY, "Outcomes partly achieved"),
    (measure::MSP_NOT, "Outcomes not achieved"),
];

/// A return's figures checked: the values to keep, and warnings that do not stop submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedReturn {
    pub values: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// Checks a return's figures: whole numbers of 0 or more, every figure when submitting,
/// no part larger than its whole, the outcomes adding up to those who expressed them; and
/// warns of a change of more than half since the previous period.
pub fn check_return(
    raw: &[(String, String)],
    submitting: bool,
    previous: &[(String, String)],
) -> Result<CheckedReturn, crate::FieldErrors> {
    let mut errors = crate::FieldErrors::new();
    let mut values: Vec<(String, String)> = Vec::new();
    let mut numbers: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for (m, label) in RETURN_MEASURES {
        let v = raw.iter().find(|(k, _)| k == m).map(|(_, v)| v.trim()).unwrap_or("");
        if v.is_empty() {
            if submitting {
                errors.add(m, format!("{label}: enter the figure (0 if none)"));
            }
            continue;
        }
        match v.replace(',', "").parse::<u64>() {
            Ok(n) => {
                numbers.insert(m, n);
                values.push((m.to_owned(), n.to_string()));
            }
            Err(_) => errors.add(m, format!("{label}: enter a whole number of 0 or more, not '{v}'")),
        }
    }
    for (k, _) in raw {
        if !RETURN_MEASURES.iter().any(|(m, _)| m == k) {
            errors.add("measure", format!("'{k}' is not a figure this return asks for"));
        }
    }
    let get = |m: &str| numbers.get(m).copied();
    if let (Some(s42), Some(concerns)) = (get(measure::S42_ENQUIRIES), get(measure::CONCERNS))
        && s42 > concerns
    {
        errors.add(
            measure::S42_ENQUIRIES,
            format!("Section 42 enquiries ({s42}) cannot be more than the concerns received ({concerns})"),
        );
    }
    if let (Some(expressed), Some(asked)) = (get(measure::MSP_EXPRESSED), get(measure::MSP_ASKED))
        && expressed > asked
    {
        errors.add(
            measure::MSP_EXPRESSED,
            format!("People who expressed outcomes ({expressed}) cannot be more than those asked ({asked})"),
        );
    }
    if let (Some(f), Some(p), Some(n), Some(e)) =
        (get(measure::MSP_FULLY), get(measure::MSP_PARTLY), get(measure::MSP_NOT), get(measure::MSP_EXPRESSED))
        && f + p + n != e
    {
        errors.add(
            measure::MSP_FULLY,
            format!("Outcomes fully, partly and not achieved ({f} + {p} + {n} = {}) must add up to those who expressed outcomes ({e})", f + p + n),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut warnings = Vec::new();
    for (m, label) in RETURN_MEASURES {
        let (Some(now), Some(before)) =
            (get(m), previous.iter().find(|(k, _)| k == m).and_then(|(_, v)| v.parse::<u64>().ok()))
        else {
            continue;
        };
        let (lo, hi) = (now.min(before) as f64, now.max(before) as f64);
        if hi > 0.0 && (hi - lo) / hi.max(1.0) > 0.5 && hi - lo >= 10.0 {
            warnings.push(format!(
                "{label}: {now}, against {before} last period: please check, and say why in the footnote"
            ));
        }
    }
    Ok(CheckedReturn { values, warnings })
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

    #[test]
    fn a_return_is_checked_whole_and_warns_of_big_changes() {
        let raw = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
        };
        let good = raw(&[
            ("concerns", "1,350"),
            ("s42_enquiries", "420"),
            ("other_enquiries", "60"),
            ("msp_asked", "400"),
            ("msp_expressed", "300"),
            ("msp_fully", "200"),
            ("msp_partly", "80"),
            ("msp_not", "20"),
        ]);
        let c = check_return(&good, true, &raw(&[("concerns", "600")])).expect("valid");
        assert_eq!(c.values[0], ("concerns".to_owned(), "1350".to_owned()));
        assert_eq!(
            c.warnings,
            vec![
                "Safeguarding concerns received: 1350, against 600 last period: please check, and say why in the footnote"
            ]
        );
        let bad = raw(&[
            ("concerns", "10"),
            ("s42_enquiries", "12"),
            ("msp_asked", "x"),
            ("msp_expressed", "5"),
            ("msp_fully", "1"),
            ("msp_partly", "1"),
            ("msp_not", "1"),
            ("mood", "3"),
        ]);
        let e = check_return(&bad, true, &[]).expect_err("invalid");
        assert_eq!(
            e.get("s42_enquiries"),
            Some("Section 42 enquiries (12) cannot be more than the concerns received (10)")
        );
        assert_eq!(
            e.get("msp_asked"),
            Some(
                "People asked about the outcomes they wanted (Making Safeguarding Personal): enter a whole number of 0 or more, not 'x'"
            )
        );
        assert!(e.get("msp_fully").is_some_and(|m| m.contains("must add up")));
        assert_eq!(
            e.get("other_enquiries"),
            Some("Other safeguarding enquiries started: enter the figure (0 if none)")
        );
        assert_eq!(e.get("measure"), Some("'mood' is not a figure this return asks for"));
        assert!(check_return(&raw(&[("concerns", "5")]), false, &[]).is_ok(), "a draft may be part-filled");
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
