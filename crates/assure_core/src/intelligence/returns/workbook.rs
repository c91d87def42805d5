//! Return templates as workbooks, for those who would rather edit one in a spreadsheet than in
//! YAML: four sheets (Template, Groups, Fields, Checks). A workbook is read into the same raw
//! template as a YAML file and checked by the same rules, each problem named by its sheet, row
//! and column; it is then stored as the equivalent YAML, so that every version has one file.

use assure_domain::audits::framework::{At, LineError};
use assure_domain::cells::column_letter;
use assure_domain::intelligence::returns::template::{
    self as tpl, Check, FieldKind, RawCheck, RawField, RawGroup, RawTemplate, Template,
};
use assure_domain::structure::Choice;

use crate::audits::frameworks::workbook::{Places, body, cell, columns, quoted};
use crate::documents::Cell;
use crate::documents::xlsx::{Sheet, Workbook};
use crate::tables::{Limits, read_sheets};

const TEMPLATE_FIELDS: [&str; 5] = ["code", "version", "title", "description", "period"];
const GROUP_HEADINGS: [&str; 2] = ["Id", "Title"];
const FIELD_HEADINGS: [&str; 10] =
    ["Id", "Group", "Label", "Type", "Choices", "Max", "Optional", "Measure", "Indicator", "Help"];
const CHECK_HEADINGS: [&str; 4] = ["Part", "Whole", "Parts", "Total"];
/// Between a choice's options in the Choices column, and a breakdown's parts in the Parts column.
const SEPARATOR: &str = " | ";

fn yes(value: bool) -> &'static str {
    if value { "yes" } else { "" }
}

/// A template as a workbook of four sheets.
pub fn write(t: &Template) -> Result<Vec<u8>, String> {
    let mut head = Sheet::new("Template", ["Field", "Value"], &[14.0, 80.0]);
    for (field, value) in [
        ("code", t.code.as_str()),
        ("version", t.version.as_str()),
        ("title", t.title.as_str()),
        ("description", t.description.as_deref().unwrap_or("")),
        ("period", t.period.code()),
    ] {
        head.row([Cell::from(field), Cell::from(value)]);
    }
    let mut groups = Sheet::new("Groups", GROUP_HEADINGS, &[16.0, 60.0]);
    for g in &t.groups {
        groups.row([Cell::from(g.id.as_str()), Cell::from(g.title.as_str())]);
    }
    let mut fields = Sheet::new("Fields", FIELD_HEADINGS, &[22.0, 14.0, 60.0, 9.0, 30.0, 8.0, 9.0, 16.0, 9.0, 40.0]);
    for f in &t.fields {
        let max = (f.kind == FieldKind::Text).then_some(f.max_chars as f64);
        fields.row([
            Cell::from(f.id.as_str()),
            Cell::text(f.group.clone()),
            Cell::from(f.label.as_str()),
            Cell::from(f.kind.code()),
            Cell::from(f.choices.join(SEPARATOR)),
            Cell::number(max, 0),
            Cell::from(yes(f.optional)),
            Cell::text(f.measure.clone()),
            Cell::from(yes(f.indicator)),
            Cell::text(f.help.clone()),
        ]);
    }
    let mut checks = Sheet::new("Checks", CHECK_HEADINGS, &[22.0, 22.0, 60.0, 22.0]);
    for c in &t.checks {
        match c {
            Check::Within { part, whole } => {
                checks.row([Cell::from(part.as_str()), Cell::from(whole.as_str()), Cell::from(""), Cell::from("")])
            }
            Check::AddsUp { parts, total } => checks.row([
                Cell::from(""),
                Cell::from(""),
                Cell::from(parts.join(SEPARATOR)),
                Cell::from(total.as_str()),
            ]),
        }
    }
    Workbook { title: t.named(), marking: None, sheets: vec![head, groups, fields, checks] }.write()
}

fn flag(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "y" => Some(true),
        "no" | "false" | "n" | "" => Some(false),
        _ => None,
    }
}

/// Reads and checks a template workbook; every problem names its sheet, row and column.
pub fn read(bytes: &[u8]) -> Result<Template, Vec<String>> {
    let sheets = read_sheets(bytes, &Limits::FRAMEWORK).map_err(|e| vec![e])?;
    let sheet = |name: &str| sheets.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, rows)| rows);
    let (Some(head), Some(groups), Some(fields), Some(checks)) =
        (sheet("Template"), sheet("Groups"), sheet("Fields"), sheet("Checks"))
    else {
        return Err(vec!["The workbook needs four sheets: Template, Groups, Fields and Checks".into()]);
    };
    let mut errors = Vec::new();
    let mut places = Places::default();
    let mut raw = RawTemplate { line: places.add("the Template sheet".into()), ..RawTemplate::default() };

    let cols = columns("Template", head, &["Field", "Value"], &mut errors);
    if errors.is_empty() {
        for (row, cells) in body(head) {
            let (field, value) = (cell(cells, cols[0]), cell(cells, cols[1]));
            let at = Some(At { value: value.to_owned(), line: places.cell("Template", row, cols[1], field) })
                .filter(|a| !a.value.is_empty());
            match field.to_ascii_lowercase().as_str() {
                "code" => raw.code = at,
                "version" => raw.version = at,
                "title" => raw.title = at,
                "description" => raw.description = at.map(|a| a.value),
                "period" => raw.period = at,
                other => errors.push(format!(
                    "Template sheet, row {row}, column {}: unknown field '{other}' (the fields are {})",
                    column_letter(cols[0]),
                    TEMPLATE_FIELDS.join(", ")
                )),
            }
        }
    }

    let cols = columns("Groups", groups, &GROUP_HEADINGS, &mut errors);
    if !cols.contains(&usize::MAX) {
        for (row, cells) in body(groups) {
            let mut text = |i: usize| {
                let value = cell(cells, cols[i]);
                (!value.is_empty()).then(|| At {
                    value: value.to_owned(),
                    line: places.cell("Groups", row, cols[i], GROUP_HEADINGS[i]),
                })
            };
            let (id, title) = (text(0), text(1));
            raw.groups.push(RawGroup { line: places.add(format!("Groups sheet, row {row}")), id, title });
        }
    }

    let cols = columns("Fields", fields, &FIELD_HEADINGS, &mut errors);
    if !cols.contains(&usize::MAX) {
        for (row, cells) in body(fields) {
            let mut text = |i: usize| {
                let value = cell(cells, cols[i]);
                (!value.is_empty()).then(|| At {
                    value: value.to_owned(),
                    line: places.cell("Fields", row, cols[i], FIELD_HEADINGS[i]),
                })
            };
            let mut field = RawField {
                id: text(0),
                group: text(1),
                label: text(2),
                kind: text(3),
                choices: text(4)
                    .map(|a| a.value.split('|').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect())
                    .unwrap_or_default(),
                measure: text(7),
                help: text(9).map(|a| a.value),
                ..RawField::default()
            };
            if let Some(at) = text(5) {
                match at.value.parse::<i64>() {
                    Ok(n) => field.max = Some(At { value: n, line: at.line }),
                    Err(_) => errors.push(format!(
                        "Fields sheet, row {row}, column {} (Max): '{}' is not a whole number",
                        column_letter(cols[5]),
                        at.value
                    )),
                }
            }
            for (i, name) in [(6, "Optional"), (8, "Indicator")] {
                match flag(cell(cells, cols[i])) {
                    Some(v) if i == 6 => field.optional = v,
                    Some(v) => field.indicator = v,
                    None => errors.push(format!(
                        "Fields sheet, row {row}, column {} ({name}): yes or no, not '{}'",
                        column_letter(cols[i]),
                        cell(cells, cols[i])
                    )),
                }
            }
            field.line = places.add(format!("Fields sheet, row {row}"));
            raw.fields.push(field);
        }
    }

    let cols = columns("Checks", checks, &CHECK_HEADINGS, &mut errors);
    if !cols.contains(&usize::MAX) {
        for (row, cells) in body(checks) {
            let mut text = |i: usize| {
                let value = cell(cells, cols[i]);
                (!value.is_empty()).then(|| At {
                    value: value.to_owned(),
                    line: places.cell("Checks", row, cols[i], CHECK_HEADINGS[i]),
                })
            };
            let (part, whole, total) = (text(0), text(1), text(3));
            let parts =
                cell(cells, cols[2]).split('|').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect();
            raw.checks.push(RawCheck {
                line: places.add(format!("Checks sheet, row {row}")),
                part,
                whole,
                parts,
                total,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    tpl::check(raw).map_err(|errors| {
        errors.into_iter().map(|LineError { line, message }| format!("{}: {message}", places.name(line))).collect()
    })
}

/// The template as YAML in the shipped files' layout, which reads back to the same template.
pub fn yaml(t: &Template) -> String {
    let mut out = format!("code: {}\nversion: {}\ntitle: {}\n", quoted(&t.code), quoted(&t.version), quoted(&t.title));
    if let Some(d) = &t.description {
        out.push_str(&format!("description: {}\n", quoted(d)));
    }
    out.push_str(&format!("period: {}\n", t.period.code()));
    if !t.groups.is_empty() {
        out.push_str("groups:\n");
        for g in &t.groups {
            out.push_str(&format!("  - {{id: {}, title: {}}}\n", quoted(&g.id), quoted(&g.title)));
        }
    }
    out.push_str("fields:\n");
    for f in &t.fields {
        out.push_str(&format!("  - id: {}\n", quoted(&f.id)));
        if let Some(g) = &f.group {
            out.push_str(&format!("    group: {}\n", quoted(g)));
        }
        out.push_str(&format!("    label: {}\n    type: {}\n", quoted(&f.label), f.kind.code()));
        if !f.choices.is_empty() {
            let choices: Vec<String> = f.choices.iter().map(|c| quoted(c)).collect();
            out.push_str(&format!("    choices: [{}]\n", choices.join(", ")));
        }
        if f.kind == FieldKind::Text {
            out.push_str(&format!("    max: {}\n", f.max_chars));
        }
        if f.optional {
            out.push_str("    optional: true\n");
        }
        if let Some(m) = &f.measure {
            out.push_str(&format!("    measure: {}\n", quoted(m)));
        }
        if f.indicator {
            out.push_str("    indicator: true\n");
        }
        if let Some(h) = &f.help {
            out.push_str(&format!("    help: {}\n", quoted(h)));
        }
    }
    if !t.checks.is_empty() {
        out.push_str("checks:\n");
        for c in &t.checks {
            match c {
                Check::Within { part, whole } => {
                    out.push_str(&format!("  - {{part: {}, whole: {}}}\n", quoted(part), quoted(whole)))
                }
                Check::AddsUp { parts, total } => {
                    let parts: Vec<String> = parts.iter().map(|p| quoted(p)).collect();
                    out.push_str(&format!("  - {{parts: [{}], total: {}}}\n", parts.join(", "), quoted(total)))
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intelligence::returns::templates::{SHIPPED, parse};

    #[test]
    fn every_shipped_template_goes_to_a_workbook_and_back_unchanged() {
        for (name, text) in SHIPPED {
            let t = parse(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            let book = write(&t).expect("written");
            assert_eq!(read(&book).unwrap_or_else(|e| panic!("{name}: {e:?}")), t, "{name} through a workbook");
            assert_eq!(parse(&yaml(&t)).unwrap_or_else(|e| panic!("{name}: {e:?}")), t, "{name} through its YAML");
        }
    }

    #[test]
    fn a_broken_workbook_names_sheet_row_and_column() {
        let t = parse(SHIPPED[1].1).expect("the LADO template");
        let mut broken = t.clone();
        broken.fields[1].group = Some("nowhere".into());
        broken.checks.push(Check::Within { part: "themes".into(), whole: "contacts".into() });
        let errors = read(&write(&broken).expect("written")).expect_err("broken");
        assert_eq!(
            errors,
            vec![
                "Fields sheet, row 3, column B (Group): the group 'nowhere' is not one of the groups",
                "Checks sheet, row 8, column A (Part): the field 'themes' is not a whole number, so it cannot be checked",
            ]
        );
        assert_eq!(
            read(b"not a workbook").expect_err("bad"),
            vec!["The file is not an Excel workbook (.xlsx) that can be read"]
        );
    }
}
