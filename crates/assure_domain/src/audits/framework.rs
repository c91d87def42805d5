//! Assurance frameworks as data: a versioned tree of standards, criteria and questions, each
//! question with an answer type and help text, scored on the framework's scheme (0–3, 1–4,
//! RAG or a percentage), with "not applicable" allowed and left out of scores, and optional
//! weights.
//!
//! A framework arrives as raw items, each with the line of the file it came from, and is
//! checked whole: every problem is reported with its line, and nothing is kept unless all is well.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::structure::{Choice, choice};

choice!(
    /// How questions are answered.
    AnswerType {
        Score => ("score", "Score on the framework's scheme"),
        YesNoPartly => ("yes_no_partly", "Yes, no or partly"),
        Choice => ("choice", "One of a list"),
        Text => ("text", "Text"),
        Number => ("number", "Number"),
        Percent => ("percent", "Percentage, 0 to 100"),
        Date => ("date", "Date"),
        File => ("file", "File"),
    }
);

choice!(
    NodeKind {
        Standard => ("standard", "Standard"),
        Criterion => ("criterion", "Criterion"),
        Question => ("question", "Question"),
    }
);

choice!(
    /// What the scheme's values mean.
    SchemeKind { Score => ("score", "Score"), Rag => ("rag", "Red, amber, green"), Percent => ("percent", "Percentage") }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub value: i64,
    pub label: String,
    /// A GOV.UK colour name for tags and heat maps: red, orange, yellow, green, blue, grey.
    pub colour: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scheme {
    pub kind: SchemeKind,
    /// The values a score may take, lowest first (a percentage scheme names its bands).
    pub levels: Vec<Level>,
    /// Respondents may answer "not applicable" with a reason; such answers leave the scores.
    pub allow_not_applicable: bool,
}

impl Scheme {
    /// Whether a score is one the scheme allows.
    pub fn allows(&self, score: i64) -> bool {
        match self.kind {
            SchemeKind::Percent => (0..=100).contains(&score),
            _ => self.levels.iter().any(|l| l.value == score),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub id: String,
    pub parent: Option<String>,
    pub kind: NodeKind,
    pub title: String,
    pub help: Option<String>,
    /// Questions only.
    pub answer: Option<AnswerType>,
    /// Choice questions only.
    pub choices: Vec<String>,
    pub weight: f64,
    /// The score a fully compliant organisation gives (to ask "why not 4?"); on the scheme.
    pub target: Option<i64>,
}

impl Node {
    /// How a message names the question: its number and the start of its wording, so that a
    /// person fixing an error knows which question without scrolling back to find its number
    /// ("Question 4.2 (Percentage of staff trained in safeguarding…)").
    pub fn named(&self) -> String {
        const SHOWN: usize = 60;
        let title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() || title == self.id {
            return format!("Question {}", self.id);
        }
        if title.chars().count() <= SHOWN {
            return format!("Question {} ({title})", self.id);
        }
        let cut: String = title.chars().take(SHOWN).collect();
        let cut = match cut.rfind(' ') {
            Some(space) if space > SHOWN / 2 => &cut[..space],
            _ => cut.as_str(),
        };
        format!("Question {} ({}…)", self.id, cut.trim_end_matches([',', ';', ':', '.']))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Framework {
    pub code: String,
    pub version: String,
    pub title: String,
    pub scheme: Scheme,
    /// In file order: each node after its parent.
    pub nodes: Vec<Node>,
}

/// A value read from a file, with the line it was on (or, for a workbook, a number its reader
/// gives each cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At<T> {
    pub value: T,
    pub line: usize,
}

/// A framework as read from a file, before checking.
#[derive(Debug, Clone, Default)]
pub struct RawFramework {
    pub code: Option<At<String>>,
    pub version: Option<At<String>>,
    pub title: Option<At<String>>,
    pub scheme_kind: Option<At<String>>,
    pub levels: Vec<At<(i64, String, String)>>,
    pub allow_not_applicable: bool,
    pub items: Vec<RawNode>,
    /// The line of the file's first key, for problems of the whole file.
    pub line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct RawNode {
    pub line: usize,
    pub id: Option<At<String>>,
    pub parent: Option<At<String>>,
    pub kind: Option<At<String>>,
    pub title: Option<At<String>>,
    pub help: Option<String>,
    pub answer: Option<At<String>>,
    pub choices: Vec<String>,
    pub weight: Option<At<f64>>,
    pub target: Option<At<i64>>,
}

/// One problem with a framework file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
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

/// Checks a raw framework whole; every problem comes back with its line.
pub fn check(raw: RawFramework) -> Result<Framework, Vec<LineError>> {
    check_with(raw, &|line| format!("line {line}"))
}

/// As [`check`], for a source whose positions are not lines (a workbook's cells): `place`
/// names a position where a message refers to another one.
pub fn check_with(raw: RawFramework, place: &dyn Fn(usize) -> String) -> Result<Framework, Vec<LineError>> {
    let mut errors = Vec::new();
    let code = required(&raw.code, raw.line, "the framework's code", &mut errors);
    if let (Some(code), Some(at)) = (&code, &raw.code)
        && !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        errors.push(LineError { line: at.line, message: format!("the code '{code}' may use only a-z, 0-9 and _") });
    }
    let version = required(&raw.version, raw.line, "the framework's version", &mut errors);
    let title = required(&raw.title, raw.line, "the framework's title", &mut errors);
    let scheme = check_scheme(&raw, &mut errors);

    let mut nodes: Vec<Node> = Vec::new();
    let mut seen: HashMap<String, (usize, NodeKind)> = HashMap::new();
    for item in &raw.items {
        if let Some(node) = check_item(item, scheme.as_ref(), &seen, place, &mut errors) {
            seen.entry(node.id.clone()).or_insert((item.line, node.kind));
            nodes.push(node);
        }
    }
    if raw.items.is_empty() {
        errors.push(LineError { line: raw.line, message: "the framework has no items".into() });
    }
    check_standards_have_questions(&raw, &nodes, &mut errors);
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    }
    match (code, version, title, scheme) {
        (Some(code), Some(version), Some(title), Some(scheme)) => Ok(Framework { code, version, title, scheme, nodes }),
        _ => Err(vec![LineError { line: raw.line, message: "the framework is incomplete".into() }]),
    }
}

/// The scoring scheme: its kind and levels, each level's value once, on the scale and in a known colour.
fn check_scheme(raw: &RawFramework, errors: &mut Vec<LineError>) -> Option<Scheme> {
    let kind = match &raw.scheme_kind {
        Some(At { value, line }) => SchemeKind::parse(value.trim()).or_else(|| {
            errors.push(LineError {
                line: *line,
                message: format!("unknown scheme kind '{value}': use score, rag or percent"),
            });
            None
        }),
        None => {
            errors.push(LineError { line: raw.line, message: "the scoring scheme's kind is missing".into() });
            None
        }
    };
    let mut levels: Vec<Level> = Vec::new();
    for At { value: (value, label, colour), line } in &raw.levels {
        if levels.iter().any(|l| l.value == *value) {
            errors.push(LineError { line: *line, message: format!("the scheme has the value {value} twice") });
        }
        if kind == Some(SchemeKind::Percent) && !(0..=100).contains(value) {
            errors.push(LineError { line: *line, message: format!("{value} is not a percentage (0 to 100)") });
        }
        if !["red", "orange", "yellow", "green", "blue", "grey", "purple"].contains(&colour.as_str()) {
            errors.push(LineError {
                line: *line,
                message: format!("unknown colour '{colour}': use red, orange, yellow, green, blue, purple or grey"),
            });
        }
        levels.push(Level { value: *value, label: label.clone(), colour: colour.clone() });
    }
    if levels.is_empty() && kind != Some(SchemeKind::Percent) {
        errors.push(LineError { line: raw.line, message: "the scoring scheme has no levels".into() });
    }
    levels.sort_by_key(|l| l.value);
    kind.map(|kind| Scheme { kind, levels, allow_not_applicable: raw.allow_not_applicable })
}

/// One item of the tree: its id (once), title, type, parent, answer type, weight and target.
fn check_item(
    item: &RawNode,
    scheme: Option<&Scheme>,
    seen: &HashMap<String, (usize, NodeKind)>,
    place: &dyn Fn(usize) -> String,
    errors: &mut Vec<LineError>,
) -> Option<Node> {
    let id = required(&item.id, item.line, "the item's id", errors);
    let title = required(&item.title, item.line, "the item's title", errors);
    let kind = match &item.kind {
        Some(At { value, line }) => NodeKind::parse(value.trim()).or_else(|| {
            errors.push(LineError {
                line: *line,
                message: format!("unknown item type '{value}': use standard, criterion or question"),
            });
            None
        }),
        None => {
            errors.push(LineError { line: item.line, message: "the item's type is missing".into() });
            None
        }
    };
    if let Some(id) = &id
        && let Some((first, _)) = seen.get(id)
    {
        errors.push(LineError {
            line: item.id.as_ref().map(|a| a.line).unwrap_or(item.line),
            message: format!("the id '{id}' is used twice (first on {})", place(*first)),
        });
    }
    if let Some(kind) = kind {
        check_parent(item, kind, seen, errors);
    }
    let answer = check_answer(item, kind, errors);
    if answer == Some(AnswerType::Choice) && item.choices.is_empty() {
        errors.push(LineError { line: item.line, message: "a choice question needs its choices".into() });
    }
    let weight = match &item.weight {
        Some(At { value, line }) if !(*value > 0.0 && value.is_finite()) => {
            errors.push(LineError { line: *line, message: format!("the weight {value} must be above 0") });
            1.0
        }
        Some(At { value, .. }) => *value,
        None => 1.0,
    };
    if let (Some(At { value, line }), Some(scheme)) = (&item.target, scheme)
        && !scheme.allows(*value)
    {
        errors.push(LineError {
            line: *line,
            message: format!(
                "the score {value} is not on the scheme ({})",
                match scheme.kind {
                    SchemeKind::Percent => "0 to 100".to_owned(),
                    _ => scheme.levels.iter().map(|l| l.value.to_string()).collect::<Vec<_>>().join(", "),
                }
            ),
        });
    }
    let (id, kind, title) = (id?, kind?, title?);
    Some(Node {
        id,
        parent: item.parent.as_ref().map(|p| p.value.trim().to_owned()),
        kind,
        title,
        help: item.help.clone().filter(|h| !h.trim().is_empty()),
        answer,
        choices: item.choices.clone(),
        weight,
        target: item.target.as_ref().map(|t| t.value),
    })
}

/// A standard is the top of the tree; a criterion sits under a standard; a question under either.
fn check_parent(
    item: &RawNode,
    kind: NodeKind,
    seen: &HashMap<String, (usize, NodeKind)>,
    errors: &mut Vec<LineError>,
) {
    if let Some(p) = &item.parent {
        let expected: &[NodeKind] = match kind {
            NodeKind::Standard => &[],
            NodeKind::Criterion => &[NodeKind::Standard],
            NodeKind::Question => &[NodeKind::Standard, NodeKind::Criterion],
        };
        match seen.get(p.value.trim()) {
            _ if kind == NodeKind::Standard => errors.push(LineError {
                line: p.line,
                message: "a standard has no parent: it is the top of the tree".into(),
            }),
            None => errors.push(LineError {
                line: p.line,
                message: format!("the parent '{}' is not an item above this one", p.value.trim()),
            }),
            Some((_, pk)) if !expected.contains(pk) => errors.push(LineError {
                line: p.line,
                message: format!("a {} cannot sit under a {}", kind.code(), pk.code()),
            }),
            Some(_) => {}
        }
    } else if kind != NodeKind::Standard && item.parent.is_none() {
        errors.push(LineError { line: item.line, message: format!("a {} needs a parent", kind.code()) });
    }
}

/// Only a question has an answer type, and a question must have one.
fn check_answer(item: &RawNode, kind: Option<NodeKind>, errors: &mut Vec<LineError>) -> Option<AnswerType> {
    match (&item.answer, kind) {
        (Some(At { value, line }), Some(NodeKind::Question)) => AnswerType::parse(value.trim()).or_else(|| {
            errors.push(LineError {
                line: *line,
                message: format!(
                    "unknown answer type '{value}': use {}",
                    AnswerType::ALL.iter().map(|a| a.code()).collect::<Vec<_>>().join(", ")
                ),
            });
            None
        }),
        (None, Some(NodeKind::Question)) => {
            errors.push(LineError { line: item.line, message: "a question needs an answer type".into() });
            None
        }
        (Some(At { line, .. }), Some(_)) => {
            errors.push(LineError { line: *line, message: "only questions have an answer type".into() });
            None
        }
        _ => None,
    }
}

/// Every standard has at least one question under it.
fn check_standards_have_questions(raw: &RawFramework, nodes: &[Node], errors: &mut Vec<LineError>) {
    for n in nodes.iter().filter(|n| n.kind == NodeKind::Standard) {
        if !nodes.iter().any(|q| q.kind == NodeKind::Question && descends(nodes, q, &n.id)) {
            let line = raw.items.iter().find(|i| i.id.as_ref().is_some_and(|a| a.value.trim() == n.id)).map(|i| i.line);
            errors.push(LineError {
                line: line.unwrap_or(raw.line),
                message: format!("the standard '{}' has no questions", n.id),
            });
        }
    }
}

/// Whether `node` sits (at any depth) under the item `ancestor`.
fn descends(nodes: &[Node], node: &Node, ancestor: &str) -> bool {
    let mut parent = node.parent.as_deref();
    while let Some(p) = parent {
        if p == ancestor {
            return true;
        }
        parent = nodes.iter().find(|n| n.id == p).and_then(|n| n.parent.as_deref());
    }
    false
}

/// A respondent's answer to a scored question.
#[derive(Debug, Clone, PartialEq)]
pub enum Scored {
    Score(i64),
    /// Not applicable, with the reason; left out of every score.
    NotApplicable(String),
}

impl Framework {
    pub fn standards(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|n| n.kind == NodeKind::Standard)
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The questions under a standard (directly or through its criteria), in file order.
    pub fn questions_of<'a>(&'a self, standard: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.nodes.iter().filter(move |n| n.kind == NodeKind::Question && descends(&self.nodes, n, standard))
    }

    /// A standard's score: the weighted mean of its scored questions' answers, leaving out
    /// "not applicable" and unanswered ones; none if nothing is scored.
    pub fn standard_score(&self, standard: &str, answers: &BTreeMap<String, Scored>) -> Option<f64> {
        let (mut sum, mut weights) = (0.0, 0.0);
        for q in self.nodes.iter().filter(|n| n.answer == Some(AnswerType::Score) && descends(&self.nodes, n, standard))
        {
            if let Some(Scored::Score(s)) = answers.get(&q.id) {
                sum += *s as f64 * q.weight;
                weights += q.weight;
            }
        }
        (weights > 0.0).then(|| sum / weights)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<T>(value: T, line: usize) -> Option<At<T>> {
        Some(At { value, line })
    }

    #[test]
    fn a_question_is_named_by_its_number_and_the_start_of_its_wording() {
        let q = |title: &str| Node {
            id: "4.2".into(),
            parent: None,
            kind: NodeKind::Question,
            title: title.into(),
            help: None,
            answer: Some(AnswerType::Percent),
            choices: Vec::new(),
            weight: 1.0,
            target: None,
        };
        assert_eq!(q("Staff trained").named(), "Question 4.2 (Staff trained)");
        assert_eq!(q("").named(), "Question 4.2");
        assert_eq!(
            q("What percentage of your staff have completed safeguarding training at the level their role requires?")
                .named(),
            "Question 4.2 (What percentage of your staff have completed safeguarding…)"
        );
    }

    fn node(line: usize, id: &str, parent: Option<&str>, kind: &str, answer: Option<&str>) -> RawNode {
        RawNode {
            line,
            id: at(id.into(), line),
            parent: parent.and_then(|p| at(p.into(), line + 1)),
            kind: at(kind.into(), line),
            title: at(format!("Item {id}"), line),
            answer: answer.and_then(|a| at(a.into(), line + 2)),
            ..RawNode::default()
        }
    }

    fn raw(items: Vec<RawNode>) -> RawFramework {
        RawFramework {
            code: at("section11".into(), 1),
            version: at("2025.1".into(), 2),
            title: at("Section 11".into(), 3),
            scheme_kind: at("score".into(), 5),
            levels: (1..=4)
                .map(|v| At { value: (v, format!("Level {v}"), "green".into()), line: 5 + v as usize })
                .collect(),
            allow_not_applicable: true,
            items,
            line: 1,
        }
    }

    fn good() -> Vec<RawNode> {
        vec![
            node(20, "S1", None, "standard", None),
            node(23, "S1.1", Some("S1"), "criterion", None),
            node(26, "S1.1.a", Some("S1.1"), "question", Some("score")),
            node(30, "S1.1.b", Some("S1.1"), "question", Some("score")),
            node(34, "S1.2", Some("S1"), "question", Some("text")),
        ]
    }

    #[test]
    fn a_good_framework_is_accepted() {
        let f = check(raw(good())).expect("valid");
        assert_eq!(f.nodes.len(), 5);
        assert_eq!(f.standards().count(), 1);
        assert!(f.scheme.allows(4) && !f.scheme.allows(5));
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let mut items = good();
        items.push(node(40, "S1.1.a", Some("S1.1"), "question", Some("score")));
        items.push(node(44, "S9.1", Some("S9"), "criterion", None));
        items.push(node(48, "S1.3", Some("S1"), "question", Some("slider")));
        let mut target = node(52, "S1.4", Some("S1"), "question", Some("score"));
        target.target = at(5, 55);
        items.push(target);
        items.push(node(58, "S2", None, "standard", None));
        items.push(node(60, "X", Some("S1"), "chapter", None));
        let errors: Vec<String> = check(raw(items)).expect_err("invalid").iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec![
                "line 40: the id 'S1.1.a' is used twice (first on line 26)",
                "line 45: the parent 'S9' is not an item above this one",
                "line 50: unknown answer type 'slider': use score, yes_no_partly, choice, text, number, percent, date, file",
                "line 55: the score 5 is not on the scheme (1, 2, 3, 4)",
                "line 58: the standard 'S2' has no questions",
                "line 60: unknown item type 'chapter': use standard, criterion or question",
            ]
        );
    }

    #[test]
    fn the_tree_shape_is_checked() {
        let items = vec![
            node(1, "S1", None, "standard", None),
            node(2, "Q", Some("S1"), "question", Some("score")),
            node(4, "C", Some("Q"), "criterion", None),
            node(7, "Q2", None, "question", Some("score")),
        ];
        let errors: Vec<String> = check(raw(items)).expect_err("invalid").iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec!["line 5: a criterion cannot sit under a question", "line 7: a question needs a parent"]
        );
    }

    #[test]
    fn scores_leave_out_not_applicable_and_follow_weights() {
        let mut items = good();
        items[3].weight = at(3.0, 31);
        let f = check(raw(items)).expect("valid");
        let mut answers = BTreeMap::new();
        answers.insert("S1.1.a".to_owned(), Scored::Score(4));
        answers.insert("S1.1.b".to_owned(), Scored::Score(2));
        assert_eq!(f.standard_score("S1", &answers), Some((4.0 + 2.0 * 3.0) / 4.0));
        answers.insert("S1.1.b".to_owned(), Scored::NotApplicable("No such service".into()));
        assert_eq!(f.standard_score("S1", &answers), Some(4.0));
        answers.insert("S1.1.a".to_owned(), Scored::NotApplicable("No such service".into()));
        assert_eq!(f.standard_score("S1", &answers), None);
    }
}
