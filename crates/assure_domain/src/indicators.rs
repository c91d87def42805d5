//! The indicator catalogue and the arithmetic that turns published counts into indicators the
//! way the official statistics do: a rate is a count over the *preceding* mid-year population
//! (the 0–17 estimate for children) × 10,000, rounded half up to DfE's decimal places; a
//! percentage is a count over another count × 100. Rates are computed, never typed in.
//!
//! Figures are exact integers or decimals as published; the division is done in integers, so
//! rounding is exact (no 719.2499999 becoming 719.2).

use serde::Serialize;

/// How an indicator is computed from measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Formula {
    /// The measure itself (a count).
    Count(&'static str),
    /// numerator ÷ the 0–17 population of the preceding mid-year × 10,000.
    RatePerTenThousandChildren(&'static str),
    /// numerator ÷ a denominator of the same period × `scale`.
    Ratio { numerator: &'static str, denominator: &'static str, scale: i64 },
}

impl Formula {
    /// The measures it reads (a rate also reads the 0–17 population).
    pub fn measures(self) -> Vec<&'static str> {
        match self {
            Formula::Count(m) => vec![m],
            Formula::RatePerTenThousandChildren(m) => vec![m, measure::POPULATION_0_17],
            Formula::Ratio { numerator, denominator, .. } => vec![numerator, denominator],
        }
    }
}

/// Whether a higher value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Polarity {
    HigherIsBetter,
    LowerIsBetter,
    Neither,
}

impl Polarity {
    pub fn label(self) -> &'static str {
        match self {
            Self::HigherIsBetter => "higher is better",
            Self::LowerIsBetter => "lower is better",
            Self::Neither => "neither higher nor lower is better",
        }
    }
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    /// Stable code, such as `children.referral_rate`.
    pub code: &'static str,
    /// The catalogue version this definition belongs to; a change of definition is a new version.
    pub version: u32,
    pub title: &'static str,
    pub definition: &'static str,
    /// count, percentage, rate per 10,000 children aged 0–17.
    pub unit: &'static str,
    pub formula: Formula,
    /// Decimal places published.
    pub decimals: u32,
    pub polarity: Polarity,
    /// financial year ending 31 March, or a snapshot at 31 March.
    pub period: &'static str,
    pub source: &'static str,
    pub arm: &'static str,
}

/// The measures read from the published files.
pub mod measure {
    pub const REFERRALS: &str = "referrals";
    pub const REREFERRALS: &str = "rereferrals";
    pub const CIN_AT31: &str = "cin_at31";
    pub const POPULATION_0_17: &str = "population_0_17";
    pub const CPP_STARTS: &str = "cpp_starts";
    pub const CPP_SUBSEQUENT: &str = "cpp_subsequent";
    pub const CPP_AT31: &str = "cpp_at31";
    pub const CLA_AT31: &str = "cla_at31";
    /// The 0–17 population DfE divided by for the looked-after rate (given in the same file).
    pub const CLA_POPULATION: &str = "cla_population";
    // From partners' quarterly returns (the Safeguarding Adults Collection's definitions).
    pub const CONCERNS: &str = "concerns";
    pub const S42_ENQUIRIES: &str = "s42_enquiries";
    pub const OTHER_ENQUIRIES: &str = "other_enquiries";
    pub const MSP_ASKED: &str = "msp_asked";
    pub const MSP_EXPRESSED: &str = "msp_expressed";
    pub const MSP_FULLY: &str = "msp_fully";
    pub const MSP_PARTLY: &str = "msp_partly";
    pub const MSP_NOT: &str = "msp_not";
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

const CSC: &str = "DfE, Characteristics of children in need and Children looked after in England (explore-education-statistics); ONS mid-year population estimates";

/// The children's indicators the published data supports.
pub const CATALOGUE: &[Indicator] = &[
    Indicator {
        code: "children.referrals",
        version: 1,
        title: "Referrals to children's social care",
        definition: "Referrals received by children's social care in the year ending 31 March.",
        unit: "count",
        formula: Formula::Count(measure::REFERRALS),
        decimals: 0,
        polarity: Polarity::Neither,
        period: "financial year ending 31 March",
        source: CSC,
        arm: "children",
    },
    Indicator {
        code: "children.referral_rate",
        version: 1,
        title: "Referral rate per 10,000 children",
        definition: "Referrals in the year ending 31 March per 10,000 children aged 0 to 17 (ONS mid-year estimate for the preceding June).",
        unit: "rate per 10,000 children aged 0–17",
        formula: Formula::RatePerTenThousandChildren(measure::REFERRALS),
        decimals: 1,
        polarity: Polarity::Neither,
        period: "financial year ending 31 March",
        source: CSC,
        arm: "children",
    },
    Indicator {
        code: "children.rereferral_percent",
        version: 1,
        title: "Re-referrals within 12 months",
        definition: "Referrals in the year that came within 12 months of a previous referral for the same child, as a percentage of all referrals.",
        unit: "percentage",
        formula: Formula::Ratio { numerator: measure::REREFERRALS, denominator: measure::REFERRALS, scale: 100 },
        decimals: 1,
        polarity: Polarity::LowerIsBetter,
        period: "financial year ending 31 March",
        source: CSC,
        arm: "children",
    },
    Indicator {
        code: "children.cin_rate",
        version: 1,
        title: "Children in need rate per 10,000 children",
        definition: "Children in need at 31 March per 10,000 children aged 0 to 17 (ONS mid-year estimate for the preceding June).",
        unit: "rate per 10,000 children aged 0–17",
        formula: Formula::RatePerTenThousandChildren(measure::CIN_AT31),
        decimals: 1,
        polarity: Polarity::Neither,
        period: "snapshot at 31 March",
        source: CSC,
        arm: "children",
    },
    Indicator {
        code: "children.cpp_at31",
        version: 1,
        title: "Children on a child protection plan",
        definition: "Children who were the subject of a child protection plan at 31 March.",
        unit: "count",
        formula: Formula::Count(measure::CPP_AT31),
        decimals: 0,
        polarity: Polarity::Neither,
        period: "snapshot at 31 March",
        source: CSC,
        arm: "children",
    },
    Indicator {
        code: "children.cpp_rate",
        version: 1,
        title: "Child protection plan rate per 10,000 children",
        definition: "Children on a child protection plan at 31 March per 10,000 children aged 0 to 17 (ONS mid-year estimate for the preceding June).",
        unit: "rate per 10,000 children aged 0–17",
        formula: Formula::RatePerTenThousandChildren(measure::CPP_AT31),
        decimals: 1,
        polarity: Polarity::Neither,
        period: "snapshot at 31 March",
        source: CSC,
        arm: "children",
    },
    Indicator {
        code: "children.cpp_subsequent_percent",
        version: 1,
        title: "Second or subsequent child protection plans",
        definition: "Child protection plans starting in the year that were the child's second or later plan, as a percentage of all plans starting.",
        unit: "percentage",
        formula: Formula::Ratio { numerator: measure::CPP_SUBSEQUENT, denominator: measure::CPP_STARTS, scale: 100 },
        decimals: 1,
        polarity: Polarity::LowerIsBetter,
        period: "financial year ending 31 March",
        source: CSC,
        arm: "children",
    },
    Indicator {
        code: "children.cla_rate",
        version: 1,
        title: "Looked-after children rate per 10,000 children",
        definition: "Children looked after at 31 March per 10,000 children aged 0 to 17, over the population DfE used.",
        unit: "rate per 10,000 children aged 0–17",
        formula: Formula::Ratio { numerator: measure::CLA_AT31, denominator: measure::CLA_POPULATION, scale: 10_000 },
        decimals: 0,
        polarity: Polarity::Neither,
        period: "snapshot at 31 March",
        source: CSC,
        arm: "children",
    },
    Indicator {
        code: "adults.concerns",
        version: 1,
        title: "Safeguarding concerns",
        definition: "Safeguarding concerns about adults received in the quarter, from the partners' returns.",
        unit: "count",
        formula: Formula::Count(measure::CONCERNS),
        decimals: 0,
        polarity: Polarity::Neither,
        period: "financial quarter",
        source: RETURNS,
        arm: "adults",
    },
    Indicator {
        code: "adults.s42_enquiries",
        version: 1,
        title: "Section 42 enquiries",
        definition: "Enquiries under section 42 of the Care Act 2014 started in the quarter.",
        unit: "count",
        formula: Formula::Count(measure::S42_ENQUIRIES),
        decimals: 0,
        polarity: Polarity::Neither,
        period: "financial quarter",
        source: RETURNS,
        arm: "adults",
    },
    Indicator {
        code: "adults.other_enquiries",
        version: 1,
        title: "Other safeguarding enquiries",
        definition: "Safeguarding enquiries other than section 42 enquiries started in the quarter.",
        unit: "count",
        formula: Formula::Count(measure::OTHER_ENQUIRIES),
        decimals: 0,
        polarity: Polarity::Neither,
        period: "financial quarter",
        source: RETURNS,
        arm: "adults",
    },
    Indicator {
        code: "adults.conversion_percent",
        version: 1,
        title: "Concerns becoming section 42 enquiries",
        definition: "Section 42 enquiries started as a percentage of concerns received in the quarter.",
        unit: "percentage",
        formula: Formula::Ratio { numerator: measure::S42_ENQUIRIES, denominator: measure::CONCERNS, scale: 100 },
        decimals: 1,
        polarity: Polarity::Neither,
        period: "financial quarter",
        source: RETURNS,
        arm: "adults",
    },
    Indicator {
        code: "adults.msp_expressed_percent",
        version: 1,
        title: "People who expressed desired outcomes",
        definition: "People who expressed the outcomes they wanted, as a percentage of those asked (Making Safeguarding Personal).",
        unit: "percentage",
        formula: Formula::Ratio { numerator: measure::MSP_EXPRESSED, denominator: measure::MSP_ASKED, scale: 100 },
        decimals: 1,
        polarity: Polarity::HigherIsBetter,
        period: "financial quarter",
        source: RETURNS,
        arm: "adults",
    },
    Indicator {
        code: "adults.msp_fully_percent",
        version: 1,
        title: "Desired outcomes fully achieved",
        definition: "Expressed outcomes fully achieved, as a percentage of those who expressed outcomes.",
        unit: "percentage",
        formula: Formula::Ratio { numerator: measure::MSP_FULLY, denominator: measure::MSP_EXPRESSED, scale: 100 },
        decimals: 1,
        polarity: Polarity::HigherIsBetter,
        period: "financial quarter",
        source: RETURNS,
        arm: "adults",
    },
    Indicator {
        code: "adults.msp_partly_percent",
        version: 1,
        title: "Desired outcomes partly achieved",
        definition: "Expressed outcomes partly achieved, as a percentage of those who expressed outcomes.",
        unit: "percentage",
        formula: Formula::Ratio { numerator: measure::MSP_PARTLY, denominator: measure::MSP_EXPRESSED, scale: 100 },
        decimals: 1,
        polarity: Polarity::Neither,
        period: "financial quarter",
        source: RETURNS,
        arm: "adults",
    },
    Indicator {
        code: "adults.msp_not_percent",
        version: 1,
        title: "Desired outcomes not achieved",
        definition: "Expressed outcomes not achieved, as a percentage of those who expressed outcomes.",
        unit: "percentage",
        formula: Formula::Ratio { numerator: measure::MSP_NOT, denominator: measure::MSP_EXPRESSED, scale: 100 },
        decimals: 1,
        polarity: Polarity::LowerIsBetter,
        period: "financial quarter",
        source: RETURNS,
        arm: "adults",
    },
];

const RETURNS: &str = "Partners' quarterly returns to the partnership (Safeguarding Adults Collection definitions)";

pub fn indicator(code: &str) -> Option<&'static Indicator> {
    CATALOGUE.iter().find(|i| i.code == code)
}

/// A published figure as an exact decimal: (digits, scale), 24.4 being (244, 1). None for text
/// that is not a plain non-negative decimal.
pub fn decimal(text: &str) -> Option<(i128, u32)> {
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if whole.len() + frac.len() > 30 {
        return None;
    }
    let digits: i128 = format!("{whole}{frac}").parse().ok()?;
    Some((digits, frac.len() as u32))
}

/// numerator ÷ denominator × scale, rounded half up to `decimals` places, as text. None when
/// the denominator is zero.
pub fn ratio(numerator: &str, denominator: &str, scale: i64, decimals: u32) -> Option<String> {
    let (n, ns) = decimal(numerator)?;
    let (d, ds) = decimal(denominator)?;
    if d == 0 {
        return None;
    }
    // value = (n / 10^ns) / (d / 10^ds) × scale; in units of 10^-decimals:
    // units = n × 10^ds × scale × 10^decimals / (d × 10^ns).
    let top = n
        .checked_mul(10i128.checked_pow(ds)?)?
        .checked_mul(scale as i128)?
        .checked_mul(10i128.checked_pow(decimals)?)?;
    let bottom = d.checked_mul(10i128.checked_pow(ns)?)?;
    let units = (2 * top + bottom) / (2 * bottom);
    let p = 10i128.pow(decimals);
    Some(if decimals == 0 {
        units.to_string()
    } else {
        format!("{}.{:0width$}", units / p, units % p, width = decimals as usize)
    })
}

/// "2019" (the year ending 31 March 2019) as "2018-19".
pub fn period_label(year: &str) -> String {
    match year.parse::<i32>() {
        Ok(y) => format!("{}-{:02}", y - 1, y.rem_euclid(100)),
        Err(_) => year.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_up_exactly() {
        // Southend 2018/19: 2,772 referrals over the mid-2018 population of 38,542.
        assert_eq!(ratio("2772", "38542", 10_000, 1).as_deref(), Some("719.2"));
        assert_eq!(ratio("677", "2772", 100, 1).as_deref(), Some("24.4"));
        assert_eq!(ratio("1", "8", 100, 1).as_deref(), Some("12.5"));
        assert_eq!(ratio("1", "16", 100, 1).as_deref(), Some("6.3"), "6.25 rounds up");
        assert_eq!(ratio("316", "39611", 10_000, 0).as_deref(), Some("80"));
        assert_eq!(ratio("5", "0", 100, 1), None, "no rate over nothing");
        assert_eq!(ratio("c", "10", 100, 1), None);
    }

    #[test]
    fn decimals_are_read_exactly() {
        assert_eq!(decimal("24.4"), Some((244, 1)));
        assert_eq!(decimal("12183016"), Some((12183016, 0)));
        for bad in ["", "-1", "1e3", "1,000", "c", ".5"] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
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
    fn codes_are_unique_and_periods_read_as_years() {
        let mut codes: Vec<&str> = CATALOGUE.iter().map(|i| i.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), CATALOGUE.len());
        assert_eq!(period_label("2019"), "2018-19");
        assert_eq!(period_label("2000"), "1999-00");
    }
}
