//! Frameworks as workbooks, for those who would rather edit one in a spreadsheet than in YAML:
//! three sheets (Framework, Levels, Items). A workbook is read into the same raw tree as a
//! YAML file and checked by the same rules, each problem named by its sheet, row and column;
//! it is then stored as the equivalent YAML, so that every version has one canonical file.

use assure_domain::audits::framework::{self as fw, At, Framework, LineError, NodeKind, RawFramework, RawNode};
use assure_domain::cells::column_letter;
use assure_domain::structure::Choice;

use crate::documents::Cell;
use crate::documents::xlsx::{Sheet, Workbook};
use crate::tables::{Limits, read_sheets};

const FRAMEWORK_FIELDS: [&str; 5] = ["code", "version", "title", "scheme", "not_applicable"];
const LEVEL_HEADINGS: [&str; 3] = ["Value", "Label", "Colour"];
const ITEM_HEADINGS: [&str; 9] = ["Id", "Parent", "Type", "Title", "Help", "Answer", "Choices", "Weight", "Target"];
/// Between a choice question's choices in the Choices column.
const CHOICE_SEPARATOR: &str = " | ";

/// A framework as a workbook of three sheets (values, weights and targets as numbers).
pub fn write(f: &Framework) -> Result<Vec<u8>, String> {
    let mut framework = Sheet::new("Framework", ["Field", "Value"], &[18.0, 70.0]);
    for (field, value) in [
        ("code", f.code.as_str()),
        ("version", f.version.as_str()),
        ("title", f.title.as_str()),
        ("scheme", f.scheme.kind.code()),
        ("not_applicable", if f.scheme.allow_not_applicable { "yes" } else { "no" }),
    ] {
        framework.row([Cell::from(field), Cell::from(value)]);
    }
    let mut levels = Sheet::new("Levels", LEVEL_HEADINGS, &[10.0, 30.0, 14.0]);
    for l in &f.scheme.levels {
        levels.row([Cell::integer(l.value), Cell::from(l.label.as_str()), Cell::from(l.colour.as_str())]);
    }
    let mut items = Sheet::new("Items", ITEM_HEADINGS, &[8.0, 8.0, 11.0, 60.0, 50.0, 14.0, 30.0, 8.0, 8.0]);
    for n in &f.nodes {
        let weight = (n.kind == NodeKind::Question && n.weight != 1.0).then_some(n.weight);
        items.row([
            Cell::from(n.id.as_str()),
            Cell::text(n.parent.clone()),
            Cell::from(n.kind.code()),
            Cell::from(n.title.as_str()),
            Cell::text(n.help.clone()),
            Cell::text(n.answer.map(|a| a.code().to_owned())),
            Cell::from(n.choices.join(CHOICE_SEPARATOR)),
            Cell::number(weight, 2),
            Cell::number(n.target.map(|t| t as f64), 0),
        ]);
    }
    let title = format!("{} (version {})", f.title, f.version);
    Workbook { title, marking: None, sheets: vec![framework, levels, items] }.write()
}

/// Where each value came from: the reader numbers cells as it reads them, and the checker's
/// "lines" are those numbers.
#[derive(Default)]
pub(crate) struct Places(Vec<String>);

impl Places {
    pub(crate) fn add(&mut self, place: String) -> usize {
        self.0.push(place);
        self.0.len()
    }

    pub(crate) fn cell(&mut self, sheet: &str, row: usize, column: usize, heading: &str) -> usize {
        self.add(format!("{sheet} sheet, row {row}, column {} ({heading})", column_letter(column)))
    }

    pub(crate) fn name(&self, n: usize) -> String {
        n.checked_sub(1).and_then(|i| self.0.get(i)).cloned().unwrap_or_else(|| "the workbook".into())
    }
}

/// The sheet's rows after the heading row, with their row numbers, leaving out blank rows.
pub(crate) fn body(rows: &[Vec<String>]) -> impl Iterator<Item = (usize, &Vec<String>)> {
    rows.iter().enumerate().skip(1).filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty())).map(|(i, r)| (i + 1, r))
}

/// The column of each heading, which must all be present (in any order) and nothing else.
pub(crate) fn columns(sheet: &str, rows: &[Vec<String>], expected: &[&str], errors: &mut Vec<String>) -> Vec<usize> {
    let header: Vec<String> = rows.first().cloned().unwrap_or_default().iter().map(|h| h.trim().to_owned()).collect();
    let mut out = Vec::new();
    for name in expected {
        match header.iter().position(|h| h.eq_ignore_ascii_case(name)) {
            Some(i) => out.push(i),
            None => {
                errors.push(format!(
                    "{sheet} sheet, row 1: the heading '{name}' is missing (the headings are {})",
                    expected.join(", ")
                ));
                out.push(usize::MAX);
            }
        }
    }
    for (i, h) in header.iter().enumerate() {
        if !h.is_empty() && !expected.iter().any(|e| e.eq_ignore_ascii_case(h)) {
            errors.push(format!(
                "{sheet} sheet, row 1, column {}: unknown heading '{h}' (the headings are {})",
                column_letter(i),
                expected.join(", ")
            ));
        }
    }
    out
}

pub(crate) fn cell(row: &[String], column: usize) -> &str {
    row.get(column).map(|c| c.trim()).unwrap_or("")
}

/// Reads and checks a framework workbook; every problem names its sheet, row and column.
pub fn read(bytes: &[u8]) -> Result<Framework, Vec<String>> {
    let sheets = read_sheets(bytes, &Limits::FRAMEWORK).map_err(|e| vec![e])?;
    let sheet = |name: &str| sheets.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, rows)| rows);
    let (Some(framework), Some(levels), Some(items)) = (sheet("Framework"), sheet("Levels"), sheet("Items")) else {
        return Err(vec!["The workbook needs three sheets: Framework, Levels and Items".into()]);
    };
    let mut errors = Vec::new();
    let mut places = Places::default();
    let mut raw = RawFramework { line: places.add("the Framework sheet".into()), ..RawFramework::default() };

    let fields = columns("Framework", framework, &["Field", "Value"], &mut errors);
    if errors.is_empty() {
        for (row, cells) in body(framework) {
            let (field, value) = (cell(cells, fields[0]), cell(cells, fields[1]));
            let at = Some(At { value: value.to_owned(), line: places.cell("Framework", row, fields[1], field) });
            match field.to_ascii_lowercase().as_str() {
                "code" => raw.code = at.filter(|a| !a.value.is_empty()),
                "version" => raw.version = at.filter(|a| !a.value.is_empty()),
                "title" => raw.title = at.filter(|a| !a.value.is_empty()),
                "scheme" => raw.scheme_kind = at.filter(|a| !a.value.is_empty()),
                "not_applicable" => match value.to_ascii_lowercase().as_str() {
                    "yes" | "true" => raw.allow_not_applicable = true,
                    "no" | "false" | "" => raw.allow_not_applicable = false,
                    other => errors.push(format!(
                        "Framework sheet, row {row}, column {}: not_applicable is yes or no, not '{other}'",
                        column_letter(fields[1])
                    )),
                },
                other => errors.push(format!(
                    "Framework sheet, row {row}, column {}: unknown field '{other}' (the fields are {})",
                    column_letter(fields[0]),
                    FRAMEWORK_FIELDS.join(", ")
                )),
            }
        }
    }

    let cols = columns("Levels", levels, &LEVEL_HEADINGS, &mut errors);
    if !cols.contains(&usize::MAX) {
        for (row, cells) in body(levels) {
            let raw_value = cell(cells, cols[0]);
            match raw_value.parse::<i64>() {
                Ok(value) => raw.levels.push(At {
                    value: (value, cell(cells, cols[1]).to_owned(), cell(cells, cols[2]).to_owned()),
                    line: places.cell("Levels", row, cols[0], "Value"),
                }),
                Err(_) => errors.push(format!(
                    "Levels sheet, row {row}, column {} (Value): '{raw_value}' is not a whole number",
                    column_letter(cols[0])
                )),
            }
        }
    }

    let cols = columns("Items", items, &ITEM_HEADINGS, &mut errors);
    if !cols.contains(&usize::MAX) {
        for (row, cells) in body(items) {
            let mut text = |i: usize| -> Option<At<String>> {
                let value = cell(cells, cols[i]);
                (!value.is_empty())
                    .then(|| At { value: value.to_owned(), line: places.cell("Items", row, cols[i], ITEM_HEADINGS[i]) })
            };
            let mut node = RawNode {
                id: text(0),
                parent: text(1),
                kind: text(2),
                title: text(3),
                help: text(4).map(|a| a.value),
                answer: text(5),
                choices: text(6)
                    .map(|a| a.value.split('|').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect())
                    .unwrap_or_default(),
                ..RawNode::default()
            };
            for (i, name) in [(7, "Weight"), (8, "Target")] {
                let Some(at) = text(i) else { continue };
                let bad = || {
                    format!(
                        "Items sheet, row {row}, column {} ({name}): '{}' is not a number",
                        column_letter(cols[i]),
                        at.value
                    )
                };
                if i == 7 {
                    match at.value.parse::<f64>() {
                        Ok(w) => node.weight = Some(At { value: w, line: at.line }),
                        Err(_) => errors.push(bad()),
                    }
                } else {
                    match at.value.parse::<i64>() {
                        Ok(t) => node.target = Some(At { value: t, line: at.line }),
                        Err(_) => errors.push(bad()),
                    }
                }
            }
            node.line = places.add(format!("Items sheet, row {row}"));
            raw.items.push(node);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    fw::check_with(raw, &|n| places.name(n)).map_err(|errors| {
        errors.into_iter().map(|LineError { line, message }| format!("{}: {message}", places.name(line))).collect()
    })
}

/// A YAML string: JSON's double-quoted form is valid YAML.
pub(crate) fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The framework as YAML in the shipped files' layout, which reads back to the same framework.
pub fn yaml(f: &Framework) -> String {
    let mut out = format!(
        "code: {}\nversion: {}\ntitle: {}\nscheme:\n  kind: {}\n  not_applicable: {}\n  levels:\n",
        quoted(&f.code),
        quoted(&f.version),
        quoted(&f.title),
        f.scheme.kind.code(),
        f.scheme.allow_not_applicable
    );
    for l in &f.scheme.levels {
        out.push_str(&format!(
            "    - {{value: {}, label: {}, colour: {}}}\n",
            l.value,
            quoted(&l.label),
            quoted(&l.colour)
        ));
    }
    if f.scheme.levels.is_empty() {
        out = out.replace("  levels:\n", "  levels: []\n");
    }
    out.push_str("items:\n");
    for n in &f.nodes {
        out.push_str(&format!("  - id: {}\n", quoted(&n.id)));
        if let Some(p) = &n.parent {
            out.push_str(&format!("    parent: {}\n", quoted(p)));
        }
        out.push_str(&format!("    type: {}\n    title: {}\n", n.kind.code(), quoted(&n.title)));
        if let Some(h) = &n.help {
            out.push_str(&format!("    help: {}\n", quoted(h)));
        }
        if let Some(a) = n.answer {
            out.push_str(&format!("    answer: {}\n", a.code()));
        }
        if !n.choices.is_empty() {
            let choices: Vec<String> = n.choices.iter().map(|c| quoted(c)).collect();
            out.push_str(&format!("    choices: [{}]\n", choices.join(", ")));
        }
        if n.kind == NodeKind::Question && n.weight != 1.0 {
            out.push_str(&format!("    weight: {}\n", n.weight));
        }
        if let Some(t) = n.target {
            out.push_str(&format!("    target: {t}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::frameworks::{SHIPPED, parse};

    #[test]
    fn every_shipped_framework_goes_to_a_workbook_and_back_unchanged() {
        for (name, text) in SHIPPED {
            let f = parse(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            let book = write(&f).expect("written");
            assert_eq!(read(&book).unwrap_or_else(|e| panic!("{name}: {e:?}")), f, "{name} through a workbook");
            assert_eq!(parse(&yaml(&f)).unwrap_or_else(|e| panic!("{name}: {e:?}")), f, "{name} through its YAML");
        }
    }

    fn book(framework: &[[&str; 2]], levels: &[[&str; 3]], items: &[[&str; 9]]) -> Vec<u8> {
        fn sheet<const N: usize>(name: &str, header: &[&str], rows: &[[&str; N]]) -> Sheet {
            let mut s = Sheet::new(name, header.iter().copied(), &[10.0; N]);
            for r in rows {
                s.row(r.iter().map(|c| Cell::from(*c)));
            }
            s
        }
        let sheets = vec![
            sheet("Framework", &["Field", "Value"], framework),
            sheet("Levels", &LEVEL_HEADINGS, levels),
            sheet("Items", &ITEM_HEADINGS, items),
        ];
        Workbook { title: "Framework".into(), marking: None, sheets }.write().expect("a workbook")
    }

    #[test]
    fn a_broken_workbook_names_sheet_row_and_column() {
        let head = [["code", "mine"], ["version", "1"], ["title", "Mine"], ["scheme", "score"]];
        let levels = [["1", "Poor", "red"], ["2", "Good", "green"]];
        let bytes = book(
            &head,
            &levels,
            &[
                ["S1", "", "standard", "Leadership", "", "", "", "", ""],
                ["Q1", "S2", "question", "A lead", "", "score", "", "", ""],
                ["Q2", "S1", "question", "A policy", "", "telepathy", "", "heavy", "9"],
                ["Q1", "S1", "question", "Again", "", "score", "", "", "9"],
            ],
        );
        assert_eq!(
            read(&bytes).expect_err("bad"),
            vec!["Items sheet, row 4, column H (Weight): 'heavy' is not a number"]
        );
        let bytes = book(
            &head,
            &levels,
            &[
                ["S1", "", "standard", "Leadership", "", "", "", "", ""],
                ["Q1", "S2", "question", "A lead", "", "score", "", "", ""],
                ["Q2", "S1", "question", "A policy", "", "telepathy", "", "", ""],
                ["Q1", "S1", "question", "Again", "", "score", "", "", "9"],
            ],
        );
        let errors = read(&bytes).expect_err("bad");
        assert!(
            errors.contains(
                &"Items sheet, row 3, column B (Parent): the parent 'S2' is not an item above this one".to_owned()
            ),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("Items sheet, row 4, column F (Answer): unknown answer type 'telepathy'")),
            "{errors:?}"
        );
        assert!(
            errors.contains(
                &"Items sheet, row 5, column A (Id): the id 'Q1' is used twice (first on Items sheet, row 3)"
                    .to_owned()
            ),
            "{errors:?}"
        );
        assert!(errors.iter().any(|e| e.starts_with("Items sheet, row 5, column I (Target)")), "{errors:?}");
        assert_eq!(
            read(b"not a workbook").expect_err("bad"),
            vec!["The file is not an Excel workbook (.xlsx) that can be read"]
        );
    }
}
