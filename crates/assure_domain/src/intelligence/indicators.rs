//! The indicator catalogue and the arithmetic that turns published counts into indicators the
//! way the official statistics do: a rate is a count over the *preceding* mid-year population
//! (the 0–17 estimate for children) × 10,000, rounded half up to DfE's decimal places; a
//! percentage is a count over another count × 100. Rates are computed, never typed in.
//!
//! Figures are exact integers or decimals as published; the division is done in integers, so
//! rounding is exact (no 719.2499999 becoming 719.2).

use super::period::{Period, PeriodKind};
use crate::structure::ArmKind;
use serde::Serialize;

/// How an indicator is computed from measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Formula {
    /// The measure itself (a count).
    Count(&'static str),
    /// numerator ÷ the 0–17 population of the preceding mid-year × 10,000.
    RatePerTenThousandChildren(&'static str),
    /// numerator ÷ the 18+ population of the preceding mid-year × 100,000 (the Safeguarding
    /// Adults Collection's rates).
    RatePerHundredThousandAdults(&'static str),
    /// numerator ÷ a denominator of the same period × `scale`.
    Ratio { numerator: &'static str, denominator: &'static str, scale: i64 },
}

/// What a formula divides by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denominator {
    /// A population estimate, from the mid-year before the period ends.
    Population(&'static str),
    /// Another measure of the same period.
    Measure(&'static str),
}

impl Formula {
    /// The measure counted: a count itself, or the numerator of a rate or ratio.
    pub fn numerator(self) -> &'static str {
        match self {
            Formula::Count(m) | Formula::RatePerTenThousandChildren(m) | Formula::RatePerHundredThousandAdults(m) => m,
            Formula::Ratio { numerator, .. } => numerator,
        }
    }

    /// What it divides by: none for a count.
    pub fn denominator(self) -> Option<Denominator> {
        match self {
            Formula::Count(_) => None,
            Formula::RatePerTenThousandChildren(_) => Some(Denominator::Population(measure::POPULATION_0_17)),
            Formula::RatePerHundredThousandAdults(_) => Some(Denominator::Population(measure::POPULATION_18_PLUS)),
            Formula::Ratio { denominator, .. } => Some(Denominator::Measure(denominator)),
        }
    }

    /// What the quotient is multiplied by: 10,000 for a children's rate, 100,000 for an adults'
    /// rate, a ratio's own scale (100 for a percentage); none for a count.
    pub fn scale(self) -> Option<i64> {
        match self {
            Formula::Count(_) => None,
            Formula::RatePerTenThousandChildren(_) => Some(10_000),
            Formula::RatePerHundredThousandAdults(_) => Some(100_000),
            Formula::Ratio { scale, .. } => Some(scale),
        }
    }

    /// The measures it reads (a rate also reads its population).
    pub fn measures(self) -> Vec<&'static str> {
        match self.denominator() {
            None => vec![self.numerator()],
            Some(Denominator::Population(d) | Denominator::Measure(d)) => vec![self.numerator(), d],
        }
    }

    /// The formula in words, as the API's catalogue gives it:
    /// "referrals / population_0_17 of the preceding mid-year x 10,000".
    pub fn describe(self) -> String {
        let n = self.numerator();
        match (self.denominator(), self.scale()) {
            (Some(Denominator::Population(p)), Some(s)) => {
                format!("{n} / {p} of the preceding mid-year x {}", crate::cells::thousands(s))
            }
            (Some(Denominator::Measure(d)), Some(s)) => format!("{n} / {d} x {s}"),
            _ => format!("count of {n}"),
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

    /// As a sentence of its own: "Neither higher nor lower is better."
    pub fn sentence(self) -> String {
        let label = self.label();
        let mut chars = label.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
        format!("{first}{}.", chars.as_str())
    }

    /// Whether a higher or a lower value is better (so that a RAG can be set).
    pub fn has_direction(self) -> bool {
        self != Self::Neither
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
    pub period: PeriodKind,
    pub source: &'static str,
    pub arm: ArmKind,
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
    /// Section 42 and other enquiries together: summed from a return, or entered where a
    /// publication gives only the total.
    pub const TOTAL_ENQUIRIES: &str = "total_enquiries";
    /// The ONS mid-year estimate of adults aged 18 and over.
    pub const POPULATION_18_PLUS: &str = "population_18_plus";
    // From partners' record-level extracts: contacts and the referrals they led to by month,
    // and referrals with those within 12 months of an earlier one by financial year.
    pub const EXTRACT_CONTACTS: &str = "extract_contacts";
    pub const EXTRACT_REFERRALS: &str = "extract_referrals";
    pub const EXTRACT_YEAR_REFERRALS: &str = "extract_year_referrals";
    pub const EXTRACT_REREFERRALS: &str = "extract_rereferrals";
}

pub use super::catalogue::CATALOGUE;
use super::catalogue::EXTRACTS;

impl Indicator {
    /// Whether it is computed from partners' record-level extracts.
    pub fn from_extracts(&self) -> bool {
        self.source == EXTRACTS
    }

    /// Whether its figures are the partnership's own (returns, extracts) rather than published
    /// for every area.
    pub fn partnership_own(&self) -> bool {
        self.arm == ArmKind::Adults || self.from_extracts()
    }
}

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

/// The figures the business unit may enter from a publication that no importable file holds:
/// (measure, label, whether its period is a mid-year rather than a financial year).
pub const ENTERABLE: [(&str, &str, bool); 10] = [
    (measure::POPULATION_18_PLUS, "Adults aged 18 and over (ONS mid-year estimate)", true),
    (measure::CONCERNS, "Safeguarding concerns", false),
    (measure::S42_ENQUIRIES, "Section 42 enquiries", false),
    (measure::OTHER_ENQUIRIES, "Other safeguarding enquiries", false),
    (
        measure::TOTAL_ENQUIRIES,
        "Safeguarding enquiries (section 42 and other, where only the total is published)",
        false,
    ),
    (measure::MSP_ASKED, "People asked about their outcomes (Making Safeguarding Personal)", false),
    (measure::MSP_EXPRESSED, "People who expressed desired outcomes", false),
    (measure::MSP_FULLY, "Outcomes fully achieved", false),
    (measure::MSP_PARTLY, "Outcomes partly achieved", false),
    (measure::MSP_NOT, "Outcomes not achieved", false),
];

/// An entered figure, checked: the measure, the period's key and the whole number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnteredFigure {
    pub measure: &'static str,
    pub period: String,
    pub value: u64,
}

/// Checks a figure typed in from a publication: a measure that may be entered, a mid-year
/// ("2024") for a population or a financial year ("2024-25") for a count, no later than
/// `this_year`, and a whole number (a population above 0).
pub fn check_entered_figure(
    measure_raw: &str,
    period_raw: &str,
    value_raw: &str,
    this_year: i32,
) -> Result<EnteredFigure, crate::FieldErrors> {
    let mut errors = crate::FieldErrors::new();
    let entry = ENTERABLE.iter().find(|(m, _, _)| *m == measure_raw.trim());
    if entry.is_none() {
        errors.add("measure", "Select the figure");
    }
    let period_raw = period_raw.trim();
    let period = match entry {
        Some((_, _, true)) => match Period::parse_mid_year(period_raw) {
            Some(Period::MidYear(y)) if (1990..=this_year).contains(&y) => Some(y.to_string()),
            Some(Period::MidYear(y)) if y > this_year => {
                errors.add("period", format!("Mid-{y} is in the future"));
                None
            }
            _ => {
                errors.add("period", "Enter the mid-year of the estimate, such as 2024");
                None
            }
        },
        Some((_, _, false)) => match Period::parse_financial(period_raw) {
            Some(Period::FinancialYear(y)) if y > this_year + 1 => {
                errors.add("period", format!("{period_raw} has not started yet"));
                None
            }
            Some(p @ Period::FinancialYear(y)) if y > 1990 => Some(p.key()),
            _ => {
                errors.add("period", "Enter the financial year, such as 2024-25");
                None
            }
        },
        None => None,
    };
    let value = match value_raw.trim().replace(',', "").parse::<u64>() {
        Ok(0) if entry.is_some_and(|(_, _, population)| *population) => {
            errors.add("value", "A population cannot be 0");
            None
        }
        Ok(v) => Some(v),
        Err(_) if value_raw.trim().is_empty() => {
            errors.add("value", "Enter the figure");
            None
        }
        Err(_) => {
            errors.add("value", format!("Enter a whole number of 0 or more, not '{}'", value_raw.trim()));
            None
        }
    };
    match (entry, period, value) {
        (Some((m, _, _)), Some(period), Some(value)) if errors.is_empty() => {
            Ok(EnteredFigure { measure: m, period, value })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polarity_reads_as_a_sentence() {
        assert_eq!(Polarity::Neither.sentence(), "Neither higher nor lower is better.");
        assert_eq!(Polarity::LowerIsBetter.sentence(), "Lower is better.");
        assert!(!Polarity::Neither.has_direction() && Polarity::HigherIsBetter.has_direction());
    }

    #[test]
    fn a_formula_knows_its_population_and_scale() {
        let children = Formula::RatePerTenThousandChildren(measure::REFERRALS);
        assert_eq!(children.denominator(), Some(Denominator::Population(measure::POPULATION_0_17)));
        assert_eq!(children.scale(), Some(10_000));
        assert_eq!(children.describe(), "referrals / population_0_17 of the preceding mid-year x 10,000");
        let adults = Formula::RatePerHundredThousandAdults(measure::CONCERNS);
        assert_eq!(adults.measures(), vec![measure::CONCERNS, measure::POPULATION_18_PLUS]);
        assert_eq!(adults.scale(), Some(100_000));
        let percent = Formula::Ratio { numerator: measure::REREFERRALS, denominator: measure::REFERRALS, scale: 100 };
        assert_eq!(percent.denominator(), Some(Denominator::Measure(measure::REFERRALS)));
        assert_eq!(percent.describe(), "rereferrals / referrals x 100");
        let count = Formula::Count(measure::CIN_AT31);
        assert_eq!((count.denominator(), count.scale()), (None, None));
        assert_eq!(count.describe(), "count of cin_at31");
        assert_eq!(value_of(count, Some("42"), None, 0, 1), Ok("42".to_owned()));
        assert_eq!(value_of(children, Some("1460"), Some("38542"), 1, 1), Ok("378.8".to_owned()));
    }

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
    fn codes_are_unique_and_periods_read_as_years() {
        let mut codes: Vec<&str> = CATALOGUE.iter().map(|i| i.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), CATALOGUE.len());
        let label = Period::label_of_financial_key;
        assert_eq!(label("2019"), "2018-19");
        assert_eq!(label("2000"), "1999-00");
        assert_eq!(label("2026 Q1"), "2025-26 Q1");
        let key = |text: &str| Period::parse_financial(text).map(|p| p.key());
        assert_eq!(key("2025-26 Q1").as_deref(), Some("2026 Q1"));
        assert_eq!(key(" 1999-00 ").as_deref(), Some("2000"));
        for bad in ["2025-27", "2025", "2025-26 Q5", "25-26", ""] {
            assert_eq!(key(bad), None, "{bad}");
        }
        let population = Period::from_financial_key("2019 Q3").and_then(|p| p.population_year());
        assert_eq!(population.map(|p| p.key()).as_deref(), Some("2018"));
    }

    #[test]
    fn adult_rates_divide_by_the_adult_population() {
        // Southend 2018-19 (seed 001): 1,350 concerns at 944.6 and 760 enquiries at 531.8 per
        // 100,000 adults; an 18+ population of 142,918 gives both.
        assert_eq!(ratio("1350", "142918", 100_000, 1).as_deref(), Some("944.6"));
        assert_eq!(ratio("760", "142918", 100_000, 1).as_deref(), Some("531.8"));
    }

    #[test]
    fn entered_figures_are_checked() {
        let f = check_entered_figure("population_18_plus", "2018", "142,918", 2026).expect("valid");
        assert_eq!(f, EnteredFigure { measure: "population_18_plus", period: "2018".into(), value: 142_918 });
        let f = check_entered_figure("concerns", "2018-19", "415050", 2026).expect("valid");
        assert_eq!(f.period, "2019");
        let e = check_entered_figure("mood", "", "x", 2026).expect_err("invalid");
        assert_eq!(e.get("measure"), Some("Select the figure"));
        assert_eq!(e.get("value"), Some("Enter a whole number of 0 or more, not 'x'"));
        let e = check_entered_figure("population_18_plus", "2030", "0", 2026).expect_err("invalid");
        assert_eq!(e.get("period"), Some("Mid-2030 is in the future"));
        assert_eq!(e.get("value"), Some("A population cannot be 0"));
        let e = check_entered_figure("concerns", "2018-19 Q1", "5", 2026).expect_err("a year, not a quarter");
        assert_eq!(e.get("period"), Some("Enter the financial year, such as 2024-25"));
        let e = check_entered_figure("concerns", "2030-31", "5", 2026).expect_err("future");
        assert_eq!(e.get("period"), Some("2030-31 has not started yet"));
    }
}

/// What the business unit may change of an indicator, as one version: the shipped definition is
/// version 1 (or the catalogue's version); each change is a new version that applies to values
/// from its first period on, so earlier values keep the definition they were made under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Definition {
    pub version: u32,
    /// The key of the first period it applies to (None: from the start).
    pub effective_from: Option<String>,
    pub title: String,
    pub definition: String,
    pub polarity: Polarity,
    pub decimals: u32,
    /// Counts from 1 below this are shown as suppressed ("c"), as DfE suppresses 1 to 5; 0 for none.
    pub suppress_below: u32,
    /// The named owner of the indicator in the partnership.
    pub owner: Option<String>,
    /// The organisation that supplies it.
    pub supplier_id: Option<i64>,
    pub reason: Option<String>,
    pub by_label: Option<String>,
    pub created_at: Option<String>,
}

impl Definition {
    /// The definition as shipped.
    pub fn shipped(i: &Indicator) -> Self {
        Definition {
            version: i.version,
            effective_from: None,
            title: i.title.to_owned(),
            definition: i.definition.to_owned(),
            polarity: i.polarity,
            decimals: i.decimals,
            suppress_below: 0,
            owner: None,
            supplier_id: None,
            reason: None,
            by_label: None,
            created_at: None,
        }
    }
}

impl Polarity {
    pub fn code(self) -> &'static str {
        match self {
            Self::HigherIsBetter => "higher",
            Self::LowerIsBetter => "lower",
            Self::Neither => "neither",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::HigherIsBetter, Self::LowerIsBetter, Self::Neither].into_iter().find(|p| p.code() == code)
    }
}

/// A new version as typed into the form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct DefinitionInput {
    pub title: String,
    pub definition: String,
    pub polarity: String,
    pub decimals: String,
    pub suppress_below: String,
    pub owner: String,
    pub supplier_id: String,
    /// The first period it applies to, written as the indicator's periods are: 2025-26, 2025-26
    /// Q1 or 2025-04.
    pub effective_from: String,
    pub reason: String,
}

/// Checks a new version against the latest: every field named, the first period after the
/// latest version's, and some change.
pub fn check_definition(
    i: &Indicator,
    input: &DefinitionInput,
    latest: &Definition,
    suppliers: &[i64],
) -> Result<Definition, crate::FieldErrors> {
    let mut errors = crate::FieldErrors::new();
    let title = input.title.trim();
    if title.is_empty() {
        errors.add("title", "Enter the title");
    } else if title.chars().count() > 200 {
        errors.add("title", "The title must be 200 characters or fewer");
    }
    let definition = input.definition.trim();
    if definition.is_empty() {
        errors.add("definition", "Enter the definition");
    } else if definition.chars().count() > 2000 {
        errors.add("definition", "The definition must be 2,000 characters or fewer");
    }
    let polarity = Polarity::from_code(input.polarity.trim());
    if polarity.is_none() {
        errors.add("polarity", "Select whether a higher or lower value is better");
    }
    let decimals = match (i.formula, input.decimals.trim().parse::<u32>()) {
        (Formula::Count(_), Ok(0)) => Some(0),
        (Formula::Count(_), _) => {
            errors.add("decimals", "A count has no decimal places: enter 0");
            None
        }
        (_, Ok(d)) if d <= 3 => Some(d),
        _ => {
            errors.add("decimals", "Enter the decimal places, from 0 to 3");
            None
        }
    };
    let suppress_below = match input.suppress_below.trim() {
        "" => Some(0),
        raw => match raw.parse::<u32>() {
            Ok(n) if n <= 100 => Some(n),
            _ => {
                errors.add("suppress_below", "Enter the smallest count shown, from 0 to 100 (0 to show every count)");
                None
            }
        },
    };
    let supplier_id = match input.supplier_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(id) if suppliers.contains(&id) => Some(id),
            _ => {
                errors.add("supplier_id", "Select an organisation of the partnership");
                None
            }
        },
    };
    let owner = input.owner.trim();
    if owner.chars().count() > 200 {
        errors.add("owner", "The owner's name must be 200 characters or fewer");
    }
    let effective_from = Period::of_kind(i.period, &input.effective_from).map(|p| p.key());
    match (&effective_from, &latest.effective_from) {
        (None, _) => errors.add(
            "effective_from",
            match i.period {
                PeriodKind::Month => "Enter the first month it applies to, such as 2025-04",
                PeriodKind::FinancialQuarter => {
                    "Enter the first quarter or year it applies to, such as 2025-26 Q1 or 2025-26"
                }
                PeriodKind::FinancialYear | PeriodKind::Snapshot => {
                    "Enter the first year it applies to, such as 2025-26"
                }
            },
        ),
        (Some(new), Some(old)) if new <= old => errors.add(
            "effective_from",
            format!(
                "Version {} already applies from {}: a new version must start later",
                latest.version,
                Period::label_of_financial_key(old)
            ),
        ),
        _ => {}
    }
    let reason = input.reason.trim();
    if reason.is_empty() {
        errors.add("reason", "Say why the definition changes");
    } else if reason.chars().count() > 1000 {
        errors.add("reason", "The reason must be 1,000 characters or fewer");
    }
    let (Some(polarity), Some(decimals), Some(suppress_below), true) =
        (polarity, decimals, suppress_below, errors.is_empty())
    else {
        return Err(errors);
    };
    let new = Definition {
        version: latest.version + 1,
        effective_from,
        title: title.to_owned(),
        definition: definition.to_owned(),
        polarity,
        decimals,
        suppress_below,
        owner: (!owner.is_empty()).then(|| owner.to_owned()),
        supplier_id,
        reason: Some(reason.to_owned()),
        by_label: None,
        created_at: None,
    };
    let same = new.title == latest.title
        && new.definition == latest.definition
        && new.polarity == latest.polarity
        && new.decimals == latest.decimals
        && new.suppress_below == latest.suppress_below
        && new.owner == latest.owner
        && new.supplier_id == latest.supplier_id;
    if same {
        errors.add("title", "Nothing has changed from the current version");
        return Err(errors);
    }
    Ok(new)
}

/// The value of a formula over a numerator and denominator at some decimal places, with a
/// count below `suppress_below` (from 1) suppressed.
pub fn value_of(
    formula: Formula,
    numerator: Option<&str>,
    denominator: Option<&str>,
    decimals: u32,
    suppress_below: u32,
) -> Result<String, String> {
    let n = numerator.ok_or("no count")?;
    if let Ok(count) = n.parse::<u64>()
        && count > 0
        && count < u64::from(suppress_below)
    {
        return Err(format!("suppressed: a count from 1 to {}", suppress_below - 1));
    }
    match formula.scale() {
        None => Ok(n.to_owned()),
        Some(scale) => ratio(n, denominator.ok_or("nothing to divide by")?, scale, decimals)
            .ok_or_else(|| "nothing to divide by".to_owned()),
    }
}

#[cfg(test)]
mod definition_tests {
    use super::*;

    fn input(effective_from: &str) -> DefinitionInput {
        DefinitionInput {
            title: "Re-referrals within a year".into(),
            definition: "As DfE defines it.".into(),
            polarity: "lower".into(),
            decimals: "2".into(),
            suppress_below: "6".into(),
            owner: "Head of the front door".into(),
            supplier_id: "7".into(),
            effective_from: effective_from.into(),
            reason: "The subgroup asked for two places".into(),
        }
    }

    #[test]
    fn a_new_version_starts_after_the_latest_and_changes_something() {
        let i = indicator("children.rereferral_percent").expect("shipped");
        let v1 = Definition::shipped(i);
        let v2 = check_definition(i, &input("2024-25"), &v1, &[7]).expect("valid");
        assert_eq!((v2.version, v2.effective_from.as_deref(), v2.decimals), (2, Some("2025"), 2));
        let e = check_definition(i, &input("2023-24"), &v2, &[7]).expect_err("earlier");
        assert_eq!(
            e.get("effective_from"),
            Some("Version 2 already applies from 2024-25: a new version must start later")
        );
        let e = check_definition(i, &DefinitionInput { supplier_id: "8".into(), ..input("2024-25 Q1") }, &v1, &[7])
            .expect_err("bad");
        assert_eq!(e.get("effective_from"), Some("Enter the first year it applies to, such as 2025-26"));
        assert_eq!(e.get("supplier_id"), Some("Select an organisation of the partnership"));
        let mut same = input("2026-27");
        same.title = v2.title.clone();
        let e = check_definition(i, &same, &v2, &[7]).expect_err("unchanged");
        assert_eq!(e.get("title"), Some("Nothing has changed from the current version"));
        let count = indicator("children.referrals").expect("shipped");
        let e = check_definition(count, &input("2024-25"), &Definition::shipped(count), &[7]).expect_err("decimals");
        assert_eq!(e.get("decimals"), Some("A count has no decimal places: enter 0"));
    }

    #[test]
    fn values_follow_their_version() {
        let f = indicator("children.rereferral_percent").expect("shipped").formula;
        assert_eq!(value_of(f, Some("677"), Some("2772"), 1, 0).as_deref(), Ok("24.4"));
        assert_eq!(value_of(f, Some("677"), Some("2772"), 2, 0).as_deref(), Ok("24.42"));
        assert_eq!(value_of(f, Some("3"), Some("2772"), 1, 6), Err("suppressed: a count from 1 to 5".to_owned()));
        assert_eq!(value_of(f, Some("0"), Some("2772"), 1, 6).as_deref(), Ok("0.0"), "nothing is not suppressed");
    }
}
