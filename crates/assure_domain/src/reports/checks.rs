//! The checks on the figures a report prints, before it is published: the errors published yearly
//! reports make (a local figure that is in fact England's, a count printed as a rate, figures of
//! different years side by side in one table, parts that do not add up to the whole printed with
//! them). Each flag is a gap of the report: put right in the
//! records, or explained in the report.

/// One figure as the report prints it, with what the checks compare it with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrintedFigure {
    /// The area's value as printed.
    pub ours: f64,
    /// The count it is made from (a rate's numerator), where known.
    pub count: Option<f64>,
    /// It is printed as a rate, a percentage or a ratio, not a count.
    pub is_rate: bool,
    pub england: Option<f64>,
}

/// What a check found in a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureFlag {
    /// The area's figure is exactly England's: usually England's copied into the local column.
    EqualsEngland,
    /// Printed as a rate but the value is the count itself.
    CountAsRate,
}

impl FigureFlag {
    pub fn code(self) -> &'static str {
        match self {
            FigureFlag::EqualsEngland => "equals-england",
            FigureFlag::CountAsRate => "count-as-rate",
        }
    }
}

/// The flags a printed figure raises.
pub fn figure_flags(f: &PrintedFigure) -> Vec<FigureFlag> {
    let mut flags = Vec::new();
    if f.england.is_some_and(|e| e == f.ours) {
        flags.push(FigureFlag::EqualsEngland);
    }
    if f.is_rate && f.count.is_some_and(|c| c > 0.0 && c == f.ours) {
        flags.push(FigureFlag::CountAsRate);
    }
    flags
}

/// The periods of one table's rows when they are not all the same (sorted, each once); `None`
/// when the table keeps to one period.
pub fn mixed_periods<'a>(periods: impl IntoIterator<Item = &'a str>) -> Option<Vec<String>> {
    let mut seen: Vec<String> = periods.into_iter().filter(|p| !p.is_empty()).map(str::to_owned).collect();
    seen.sort();
    seen.dedup();
    (seen.len() > 1).then_some(seen)
}

/// What a check of a breakdown printed with its whole found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumFlag {
    /// The parts add up to more or less than the whole printed with them.
    PartsNotWhole { parts: i64, whole: i64 },
    /// A part is larger than the whole it is part of.
    PartOverWhole { part: i64, whole: i64 },
}

impl SumFlag {
    pub fn code(self) -> &'static str {
        match self {
            SumFlag::PartsNotWhole { .. } => "parts-not-whole",
            SumFlag::PartOverWhole { .. } => "part-over-whole",
        }
    }

    /// What is wrong, in words after the table's and the whole's names.
    pub fn words(self) -> String {
        match self {
            SumFlag::PartsNotWhole { parts, whole } => format!("the parts add up to {parts}, not {whole}"),
            SumFlag::PartOverWhole { part, whole } => format!("the part ({part}) is more than the whole ({whole})"),
        }
    }
}

/// A breakdown whose parts are printed with their total: flagged when they do not add up to it.
pub fn adds_up(parts: &[i64], whole: i64) -> Option<SumFlag> {
    let sum = parts.iter().fold(0i64, |a, p| a.saturating_add(*p));
    (sum != whole).then_some(SumFlag::PartsNotWhole { parts: sum, whole })
}

/// A part printed beside its whole (the allegations among the contacts): flagged when larger.
pub fn within(part: i64, whole: i64) -> Option<SumFlag> {
    (part > whole).then_some(SumFlag::PartOverWhole { part, whole })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(ours: f64, count: Option<f64>, is_rate: bool, england: Option<f64>) -> PrintedFigure {
        PrintedFigure { ours, count, is_rate, england }
    }

    #[test]
    fn a_local_figure_equal_to_englands_is_flagged() {
        assert_eq!(figure_flags(&figure(538.0, Some(1900.0), true, Some(538.0))), vec![FigureFlag::EqualsEngland]);
        assert!(figure_flags(&figure(538.1, Some(1900.0), true, Some(538.0))).is_empty());
        assert!(figure_flags(&figure(538.0, None, true, None)).is_empty(), "nothing to compare with");
    }

    #[test]
    fn a_count_printed_as_a_rate_is_flagged_and_a_count_is_not() {
        assert_eq!(figure_flags(&figure(1900.0, Some(1900.0), true, Some(538.0))), vec![FigureFlag::CountAsRate]);
        assert!(figure_flags(&figure(1900.0, Some(1900.0), false, Some(538.0))).is_empty(), "a count is its count");
        assert!(figure_flags(&figure(0.0, Some(0.0), true, None)).is_empty(), "nought is nought either way");
    }

    #[test]
    fn parts_are_checked_against_their_whole() {
        assert_eq!(adds_up(&[3, 4, 5], 12), None);
        assert_eq!(adds_up(&[3, 4, 5], 13), Some(SumFlag::PartsNotWhole { parts: 12, whole: 13 }));
        assert_eq!(adds_up(&[], 0), None, "nothing of nothing");
        assert_eq!(adds_up(&[i64::MAX, 1], 0), Some(SumFlag::PartsNotWhole { parts: i64::MAX, whole: 0 }));
        assert_eq!(within(5, 5), None);
        assert_eq!(within(6, 5), Some(SumFlag::PartOverWhole { part: 6, whole: 5 }));
        assert_eq!(SumFlag::PartsNotWhole { parts: 12, whole: 13 }.words(), "the parts add up to 12, not 13");
    }

    #[test]
    fn a_table_of_one_period_is_not_mixed_and_one_of_two_is() {
        assert_eq!(mixed_periods(["2022-23", "2022-23", ""]), None);
        assert_eq!(
            mixed_periods(["2022-23", "2021-22", "2022-23"]),
            Some(vec!["2021-22".to_owned(), "2022-23".to_owned()])
        );
    }
}
