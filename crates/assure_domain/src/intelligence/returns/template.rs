//! A data return's template, as data: what a return asks for (its fields in groups, each a whole
//! number, a percentage, a written answer or a choice), the checks between its fields (a part
//! within its whole, a breakdown adding up to its total), and the kind of period it is for.
//! Read from a file (YAML, or a workbook) by the core and checked here whole, every problem with
//! its line, the way the audit frameworks are.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::super::indicators::measure;
use super::super::period::Period;
use crate::audits::framework::{At, LineError};
use crate::structure::{Choice, choice};

choice!(
    /// The kind of period a template's returns are for.
    PeriodType {
        Quarter => ("quarter", "financial quarter"),
        FinancialYear => ("financial_year", "financial year"),
        AcademicYear => ("academic_year", "academic year"),
    }
);

impl PeriodType {
    /// A period of this type as people write it, in the one form it is kept and shown in:
    /// "2025-26 Q1", "2025-26", "2025/26".
    pub fn read(self, raw: &str) -> Option<String> {
        let p = match self {
            PeriodType::Quarter => Period::parse_financial(raw).filter(|p| matches!(p, Period::FinancialQuarter(..))),
            PeriodType::FinancialYear => Period::parse_financial(raw).filter(|p| matches!(p, Period::FinancialYear(_))),
            PeriodType::AcademicYear => Period::parse_academic(raw),
        }?;
        Some(p.label())
    }

    /// How a period of this type is written, for the form's hint and its error.
    pub fn example(self) -> &'static str {
        match self {
            PeriodType::Quarter => "a financial year and quarter, such as 2025-26 Q1",
            PeriodType::FinancialYear => "a financial year, such as 2025-26",
            PeriodType::AcademicYear => "an academic year, such as 2025/26",
        }
    }
}

choice!(
    /// What a field of a return holds.
    FieldKind {
        Whole => ("whole", "whole number"),
        Percent => ("percent", "percentage"),
        Text => ("text", "written answer"),
        Pick => ("choice", "choice"),
    }
);

/// The figures a template's field may stand for on the adults' dashboard: the Safeguarding
/// Adults Collection's counts, which the indicator catalogue computes its indicators from.
pub const DASHBOARD_MEASURES: [&str; 9] = [
    measure::CONCERNS,
    measure::S42_ENQUIRIES,
    measure::OTHER_ENQUIRIES,
    measure::TOTAL_ENQUIRIES,
    measure::MSP_ASKED,
    measure::MSP_EXPRESSED,
    measure::MSP_FULLY,
    measure::MSP_PARTLY,
    measure::MSP_NOT,
];

/// The longest written answer a template may allow, and the length when it names none.
pub const MAX_TEXT_CHARS: usize = 20_000;
pub const DEFAULT_TEXT_CHARS: usize = 3_000;
/// The most fields one template may have.
pub const MAX_FIELDS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub id: String,
    pub group: Option<String>,
    pub label: String,
    pub help: Option<String>,
    pub kind: FieldKind,
    /// A choice's options, in order.
    pub choices: Vec<String>,
    /// A written answer's longest length, in characters.
    pub max_chars: usize,
    /// May be left empty when the return is submitted.
    pub optional: bool,
    /// The adults' dashboard figure this field is (one of [`DASHBOARD_MEASURES`]).
    pub measure: Option<String>,
    /// Shown as an indicator (a tile with its trend) on the template's figures page.
    pub indicator: bool,
}

impl Field {
    pub fn numeric(&self) -> bool {
        matches!(self.kind, FieldKind::Whole | FieldKind::Percent)
    }
}

/// A check between a return's whole-number fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// A part is no larger than its whole (section 42 enquiries within concerns).
    Within { part: String, whole: String },
    /// A breakdown adds up to its total (outcomes fully, partly and not achieved).
    AddsUp { parts: Vec<String>, total: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    pub code: String,
    pub version: String,
    pub title: String,
    pub description: Option<String>,
    pub period: PeriodType,
    pub groups: Vec<Group>,
    /// In the file's order.
    pub fields: Vec<Field>,
    pub checks: Vec<Check>,
}

impl Template {
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The fields in their groups, in the file's order: the ungrouped first, under no title.
    pub fn grouped(&self) -> Vec<(Option<&Group>, Vec<&Field>)> {
        let mut out: Vec<(Option<&Group>, Vec<&Field>)> = Vec::new();
        let loose: Vec<&Field> = self.fields.iter().filter(|f| f.group.is_none()).collect();
        if !loose.is_empty() {
            out.push((None, loose));
        }
        for g in &self.groups {
            let fields: Vec<&Field> = self.fields.iter().filter(|f| f.group.as_deref() == Some(&g.id)).collect();
            if !fields.is_empty() {
                out.push((Some(g), fields));
            }
        }
        out
    }

    /// "Safeguarding Adults Collection figures (version 2025.1)".
    pub fn named(&self) -> String {
        format!("{} (version {})", self.title, self.version)
    }
}

/// A template as read from a file, before checking.
#[derive(Debug, Clone, Default)]
pub struct RawTemplate {
    pub code: Option<At<String>>,
    pub version: Option<At<String>>,
    pub title: Option<At<String>>,
    pub description: Option<String>,
    pub period: Option<At<String>>,
    pub groups: Vec<RawGroup>,
    pub fields: Vec<RawField>,
    pub checks: Vec<RawCheck>,
    /// The line of the file's first key, for problems of the whole file.
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct RawGroup {
    pub line: usize,
    pub id: Option<At<String>>,
    pub title: Option<At<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct RawField {
    pub line: usize,
    pub id: Option<At<String>>,
    pub group: Option<At<String>>,
    pub label: Option<At<String>>,
    pub help: Option<String>,
    pub kind: Option<At<String>>,
    pub choices: Vec<String>,
    pub max: Option<At<i64>>,
    pub optional: bool,
    pub measure: Option<At<String>>,
    pub indicator: bool,
}

#[derive(Debug, Clone, Default)]
pub struct RawCheck {
    pub line: usize,
    pub part: Option<At<String>>,
    pub whole: Option<At<String>>,
    pub parts: Vec<String>,
    pub total: Option<At<String>>,
}

fn required(field: &Option<At<String>>, line: usize, what: &str, errors: &mut Vec<LineError>) -> Option<String> {
    match field {
        Some(At { value, .. }) if !value.trim().is_empty() => Some(value.trim().to_owned()),
        Some(At { line, .. }) => {
            errors.push(LineError { line: *line, message: format!("{what} is empty") });
            None
        }
        None => {
            errors.push(LineError { line, message: format!("{what} is missing") });
            None
        }
    }
}

fn identifier(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 60
        && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Checks a raw template whole; every problem comes back with its line.
pub fn check(raw: RawTemplate) -> Result<Template, Vec<LineError>> {
    let mut errors = Vec::new();
    let code = required(&raw.code, raw.line, "the template's code", &mut errors);
    if let (Some(code), Some(at)) = (&code, &raw.code)
        && !identifier(code)
    {
        errors.push(LineError { line: at.line, message: format!("the code '{code}' may use only a-z, 0-9 and _") });
    }
    let version = required(&raw.version, raw.line, "the template's version", &mut errors);
    let title = required(&raw.title, raw.line, "the template's title", &mut errors);
    let period = match required(&raw.period, raw.line, "the template's period", &mut errors) {
        Some(p) => match PeriodType::parse(&p) {
            Some(p) => Some(p),
            None => {
                let line = raw.period.as_ref().map_or(raw.line, |a| a.line);
                errors.push(LineError {
                    line,
                    message: format!("the period '{p}' is not one of quarter, financial_year, academic_year"),
                });
                None
            }
        },
        None => None,
    };

    let mut groups: Vec<Group> = Vec::new();
    for g in &raw.groups {
        let id = required(&g.id, g.line, "a group's id", &mut errors);
        let title = required(&g.title, g.line, "a group's title", &mut errors);
        let (Some(id), Some(title)) = (id, title) else { continue };
        if !identifier(&id) {
            errors
                .push(LineError { line: g.line, message: format!("the group id '{id}' may use only a-z, 0-9 and _") });
        } else if groups.iter().any(|x| x.id == id) {
            errors.push(LineError { line: g.line, message: format!("the group '{id}' is given twice") });
        } else {
            groups.push(Group { id, title });
        }
    }

    if raw.fields.is_empty() {
        errors.push(LineError { line: raw.line, message: "the template has no fields".into() });
    }
    if raw.fields.len() > MAX_FIELDS {
        errors.push(LineError {
            line: raw.line,
            message: format!("the template has {} fields; a template has at most {MAX_FIELDS}", raw.fields.len()),
        });
    }
    let mut fields: Vec<Field> = Vec::new();
    let mut lines: HashMap<String, usize> = HashMap::new();
    let mut measures: HashSet<String> = HashSet::new();
    for f in &raw.fields {
        let id = required(&f.id, f.line, "a field's id", &mut errors);
        let label = required(&f.label, f.line, "a field's label", &mut errors);
        let kind_text = required(&f.kind, f.line, "a field's type", &mut errors);
        let kind = kind_text.as_deref().and_then(|k| {
            let kind = FieldKind::parse(k);
            if kind.is_none() {
                errors.push(LineError {
                    line: f.kind.as_ref().map_or(f.line, |a| a.line),
                    message: format!("the type '{k}' is not one of whole, percent, text, choice"),
                });
            }
            kind
        });
        let (Some(id), Some(label), Some(kind)) = (id, label, kind) else { continue };
        if !identifier(&id) {
            errors
                .push(LineError { line: f.line, message: format!("the field id '{id}' may use only a-z, 0-9 and _") });
            continue;
        }
        if lines.contains_key(&id) {
            errors.push(LineError { line: f.line, message: format!("the field '{id}' is given twice") });
            continue;
        }
        let group = match &f.group {
            Some(g) if groups.iter().any(|x| x.id == g.value.trim()) => Some(g.value.trim().to_owned()),
            Some(g) => {
                errors.push(LineError {
                    line: g.line,
                    message: format!("the group '{}' is not one of the groups", g.value),
                });
                None
            }
            None => None,
        };
        let choices: Vec<String> = f.choices.iter().map(|c| c.trim().to_owned()).collect();
        match kind {
            FieldKind::Pick => {
                let distinct: HashSet<String> = choices.iter().map(|c| c.to_lowercase()).collect();
                if choices.len() < 2 || choices.iter().any(String::is_empty) || distinct.len() != choices.len() {
                    errors.push(LineError {
                        line: f.line,
                        message: format!("the choice '{id}' needs two or more different, non-empty choices"),
                    });
                }
            }
            _ if !choices.is_empty() => errors.push(LineError {
                line: f.line,
                message: format!("the field '{id}' has choices but is not of type choice"),
            }),
            _ => {}
        }
        let max_chars = match (&f.max, kind) {
            (None, _) => DEFAULT_TEXT_CHARS,
            (Some(m), FieldKind::Text) if (1..=MAX_TEXT_CHARS as i64).contains(&m.value) => m.value as usize,
            (Some(m), FieldKind::Text) => {
                errors.push(LineError {
                    line: m.line,
                    message: format!("a written answer's max is from 1 to {MAX_TEXT_CHARS} characters"),
                });
                DEFAULT_TEXT_CHARS
            }
            (Some(m), _) => {
                errors.push(LineError {
                    line: m.line,
                    message: format!("the field '{id}' has a max but is not of type text"),
                });
                DEFAULT_TEXT_CHARS
            }
        };
        let measure = match &f.measure {
            None => None,
            Some(m) => {
                let value = m.value.trim().to_owned();
                if !DASHBOARD_MEASURES.contains(&value.as_str()) {
                    errors.push(LineError {
                        line: m.line,
                        message: format!("the measure '{value}' is not one of {}", DASHBOARD_MEASURES.join(", ")),
                    });
                } else if kind != FieldKind::Whole {
                    errors.push(LineError {
                        line: m.line,
                        message: format!("the field '{id}' has a measure but is not a whole number"),
                    });
                } else if period == Some(PeriodType::AcademicYear) {
                    errors.push(LineError {
                        line: m.line,
                        message: "a dashboard measure is counted by financial year: the period must be quarter or financial_year".into(),
                    });
                } else if !measures.insert(value.clone()) {
                    errors.push(LineError {
                        line: m.line,
                        message: format!("the measure '{value}' is given to two fields"),
                    });
                }
                Some(value)
            }
        };
        if f.indicator && !matches!(kind, FieldKind::Whole | FieldKind::Percent) {
            errors.push(LineError {
                line: f.line,
                message: format!("the field '{id}' is an indicator but not a number"),
            });
        }
        lines.insert(id.clone(), f.line);
        fields.push(Field {
            id,
            group,
            label,
            help: f.help.as_ref().map(|h| h.trim().to_owned()).filter(|h| !h.is_empty()),
            kind,
            choices,
            max_chars,
            optional: f.optional,
            measure,
            indicator: f.indicator,
        });
    }

    let whole = |id: &str, line: usize, errors: &mut Vec<LineError>| -> Option<String> {
        match fields.iter().find(|f| f.id == id) {
            Some(f) if f.kind == FieldKind::Whole => Some(id.to_owned()),
            Some(_) => {
                errors.push(LineError {
                    line,
                    message: format!("the field '{id}' is not a whole number, so it cannot be checked"),
                });
                None
            }
            None if lines.is_empty() && !raw.fields.is_empty() => None,
            None => {
                errors.push(LineError { line, message: format!("the field '{id}' is not one of the fields") });
                None
            }
        }
    };
    let mut checks = Vec::new();
    for c in &raw.checks {
        match (&c.part, &c.whole, c.parts.is_empty(), &c.total) {
            (Some(part), Some(w), true, None) => {
                let p = whole(part.value.trim(), part.line, &mut errors);
                let w2 = whole(w.value.trim(), w.line, &mut errors);
                if let (Some(p), Some(w2)) = (p, w2) {
                    if p == w2 {
                        errors.push(LineError {
                            line: c.line,
                            message: format!("the field '{p}' cannot be a part of itself"),
                        });
                    } else {
                        checks.push(Check::Within { part: p, whole: w2 });
                    }
                }
            }
            (None, None, false, Some(total)) => {
                let parts: Vec<Option<String>> = c.parts.iter().map(|p| whole(p.trim(), c.line, &mut errors)).collect();
                let t = whole(total.value.trim(), total.line, &mut errors);
                if c.parts.len() < 2 {
                    errors.push(LineError { line: c.line, message: "a breakdown needs two or more parts".into() });
                } else if let (Some(parts), Some(t)) = (parts.into_iter().collect::<Option<Vec<String>>>(), t) {
                    let distinct: HashSet<&String> = parts.iter().collect();
                    if distinct.len() != parts.len() || parts.contains(&t) {
                        errors.push(LineError {
                            line: c.line,
                            message: "a breakdown's parts must be different fields, and not its total".into(),
                        });
                    } else {
                        checks.push(Check::AddsUp { parts, total: t });
                    }
                }
            }
            _ => errors.push(LineError {
                line: c.line,
                message: "a check is either part and whole, or parts and total".into(),
            }),
        }
    }

    match (code, version, title, period) {
        (Some(code), Some(version), Some(title), Some(period)) if errors.is_empty() => Ok(Template {
            code,
            version,
            title,
            description: raw.description.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()),
            period,
            groups,
            fields,
            checks,
        }),
        _ => {
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<T>(value: T, line: usize) -> Option<At<T>> {
        Some(At { value, line })
    }

    fn field(line: usize, id: &str, kind: &str) -> RawField {
        RawField {
            line,
            id: at(id.into(), line),
            label: at(format!("The {id}"), line),
            kind: at(kind.into(), line),
            ..RawField::default()
        }
    }

    #[test]
    fn periods_are_read_in_the_one_form_they_are_kept() {
        assert_eq!(PeriodType::Quarter.read(" 2025-26 Q1 ").as_deref(), Some("2025-26 Q1"));
        assert_eq!(PeriodType::Quarter.read("2025-26"), None);
        assert_eq!(PeriodType::FinancialYear.read("2025-26").as_deref(), Some("2025-26"));
        assert_eq!(PeriodType::FinancialYear.read("2025-26 Q2"), None);
        assert_eq!(PeriodType::AcademicYear.read("2025/26").as_deref(), Some("2025/26"));
        for bad in ["2025-27 Q1", "2025-26 Q5", "2025 Q1", "Q1 2025-26", "", "2025/27"] {
            assert_eq!(PeriodType::Quarter.read(bad), None, "{bad}");
            assert_eq!(PeriodType::AcademicYear.read(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_template_is_checked_whole_with_each_problems_line() {
        let raw = RawTemplate {
            line: 1,
            code: at("lado".into(), 1),
            version: at("1".into(), 2),
            title: at("LADO".into(), 3),
            period: at("month".into(), 4),
            groups: vec![RawGroup { line: 6, id: at("a".into(), 6), title: at("A".into(), 6) }],
            fields: vec![
                field(8, "total", "whole"),
                RawField { group: at("b".into(), 10), ..field(9, "part", "whole") },
                field(11, "words", "text"),
                RawField { choices: vec!["Yes".into()], ..field(12, "yes", "choice") },
                field(13, "total", "whole"),
                RawField { measure: at("concerns".into(), 15), ..field(14, "share", "percent") },
            ],
            checks: vec![
                RawCheck {
                    line: 17,
                    part: at("words".into(), 17),
                    whole: at("total".into(), 17),
                    ..RawCheck::default()
                },
                RawCheck { line: 18, parts: vec!["part".into()], total: at("total".into(), 18), ..RawCheck::default() },
                RawCheck { line: 19, part: at("part".into(), 19), ..RawCheck::default() },
            ],
            ..RawTemplate::default()
        };
        let e = check(raw).expect_err("invalid");
        assert_eq!(
            e.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec![
                "line 4: the period 'month' is not one of quarter, financial_year, academic_year",
                "line 10: the group 'b' is not one of the groups",
                "line 12: the choice 'yes' needs two or more different, non-empty choices",
                "line 13: the field 'total' is given twice",
                "line 15: the field 'share' has a measure but is not a whole number",
                "line 17: the field 'words' is not a whole number, so it cannot be checked",
                "line 18: a breakdown needs two or more parts",
                "line 19: a check is either part and whole, or parts and total",
            ]
        );
    }
}
