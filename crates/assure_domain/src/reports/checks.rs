//! The checks on the figures a report prints, before it is published: the errors published yearly
//! reports make (a local figure that is in fact England's, a count printed as a rate, figures of
//! different years side by side in one table). Each flag is a gap of the report: put right in the
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
    fn a_table_of_one_period_is_not_mixed_and_one_of_two_is() {
        assert_eq!(mixed_periods(["2022-23", "2022-23", ""]), None);
        assert_eq!(
            mixed_periods(["2022-23", "2021-22", "2022-23"]),
            Some(vec!["2021-22".to_owned(), "2022-23".to_owned()])
        );
    }
}
