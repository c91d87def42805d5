//! Child death reviews: the Child Death Overview Panel's findings on each death it reviews (the
//! category of death and whether there were modifiable factors), and the figures a partnership
//! reports from them each year.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::structure::{Choice, choice};
use crate::validation::{self, FieldErrors, Validated};

choice!(
    /// The categories of death the Child Death Overview Panel assigns (the national child death
    /// review data set's ten).
    DeathCategory {
        DeliberatelyInflicted => ("deliberately_inflicted", "Deliberately inflicted injury, abuse or neglect"),
        Suicide => ("suicide", "Suicide or deliberate self-inflicted harm"),
        Trauma => ("trauma", "Trauma and other external factors"),
        Malignancy => ("malignancy", "Malignancy"),
        AcuteMedical => ("acute_medical", "Acute medical or surgical condition"),
        ChronicMedical => ("chronic_medical", "Chronic medical condition"),
        Congenital => ("congenital", "Chromosomal, genetic and congenital anomalies"),
        Perinatal => ("perinatal", "Perinatal or neonatal event"),
        Infection => ("infection", "Infection"),
        Unexplained => ("unexplained", "Sudden unexpected, unexplained death"),
    }
);

/// What a form or API request sends for the panel's findings, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FindingsInput {
    #[serde(default)]
    pub category: String,
    /// "yes" or "no".
    #[serde(default)]
    pub modifiable: String,
    /// The date the panel reviewed the death.
    #[serde(default)]
    pub reviewed_on: String,
}

/// The panel's findings on one death.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Findings {
    pub category: DeathCategory,
    pub modifiable: bool,
    pub reviewed_on: NaiveDate,
}

impl FindingsInput {
    pub fn validate(&self, today: NaiveDate) -> Validated<Findings> {
        let mut e = FieldErrors::new();
        let category = DeathCategory::parse(self.category.trim());
        if category.is_none() {
            e.add("category", "Select the category of death");
        }
        let modifiable = match self.modifiable.trim() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                e.add("modifiable", "Say whether the panel found modifiable factors");
                None
            }
        };
        let reviewed_on =
            e.check("reviewed_on", validation::required_date("the date the panel reviewed it", &self.reviewed_on));
        if reviewed_on.is_some_and(|d| d > today) {
            e.add("reviewed_on", "The date the panel reviewed it cannot be in the future");
        }
        e.into_result(|| Findings {
            category: category.unwrap_or(DeathCategory::Unexplained),
            modifiable: modifiable.unwrap_or_default(),
            reviewed_on: reviewed_on.unwrap_or_default(),
        })
    }
}

/// The financial year (April to March) a date falls in, as "2024-25".
pub fn financial_year(d: NaiveDate) -> String {
    crate::strategy::financial_year(crate::strategy::Quarter::of(d).year)
}

/// One year's figures: how many deaths the panel reviewed, by category, and how many had
/// modifiable factors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearFigures {
    pub year: String,
    pub reviewed: i64,
    /// Counts in the order of [`DeathCategory::ALL`].
    pub by_category: Vec<i64>,
    pub modifiable: i64,
}

/// The figures by financial year, most recent first, from each review's findings.
pub fn figures(findings: &[Findings]) -> Vec<YearFigures> {
    let mut years: Vec<YearFigures> = Vec::new();
    for f in findings {
        let year = financial_year(f.reviewed_on);
        let at = match years.iter().position(|y| y.year == year) {
            Some(i) => i,
            None => {
                years.push(YearFigures {
                    year,
                    reviewed: 0,
                    by_category: vec![0; DeathCategory::ALL.len()],
                    modifiable: 0,
                });
                years.len() - 1
            }
        };
        let y = &mut years[at];
        y.reviewed += 1;
        if let Some(i) = DeathCategory::ALL.iter().position(|c| *c == f.category) {
            y.by_category[i] += 1;
        }
        y.modifiable += i64::from(f.modifiable);
    }
    years.sort_by(|a, b| b.year.cmp(&a.year));
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn findings_are_checked_and_counted_by_financial_year() {
        let today = d("2025-06-01");
        let ok =
            FindingsInput { category: "perinatal".into(), modifiable: "no".into(), reviewed_on: "2025-03-31".into() };
        assert_eq!(ok.validate(today).unwrap().category, DeathCategory::Perinatal);
        let e = FindingsInput { category: "x".into(), modifiable: "".into(), reviewed_on: "2025-07-01".into() }
            .validate(today)
            .unwrap_err();
        assert_eq!(e.get("category"), Some("Select the category of death"));
        assert_eq!(e.get("modifiable"), Some("Say whether the panel found modifiable factors"));
        assert_eq!(e.get("reviewed_on"), Some("The date the panel reviewed it cannot be in the future"));
        assert_eq!(financial_year(d("2025-03-31")), "2024-25");
        assert_eq!(financial_year(d("2025-04-01")), "2025-26");
        let f = |c, m, on: &str| Findings { category: c, modifiable: m, reviewed_on: d(on) };
        let years = figures(&[
            f(DeathCategory::Perinatal, false, "2024-05-01"),
            f(DeathCategory::Perinatal, true, "2025-02-01"),
            f(DeathCategory::Suicide, true, "2025-04-02"),
        ]);
        assert_eq!(years.iter().map(|y| y.year.as_str()).collect::<Vec<_>>(), vec!["2025-26", "2024-25"]);
        assert_eq!((years[1].reviewed, years[1].modifiable, years[1].by_category[7]), (2, 1, 2));
        assert_eq!((years[0].reviewed, years[0].by_category[1]), (1, 1));
    }
}
