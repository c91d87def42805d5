//! Assurance frameworks: read from YAML (shipped with Assure in `config/frameworks/`, or
//! imported), checked whole with every problem's line, and kept versioned: importing a new
//! version never changes an old one. The shipped ones, and any the operator imports, are shared
//! by every partnership on the instance; a partnership's business unit imports its own, which
//! only that partnership sees and uses.

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::audits::frameworks::StoredFramework;

use assure_domain::audits::framework::{self as fw, At, Framework, LineError, RawFramework, RawNode};
use assure_domain::cells::shown;
use assure_domain::{Action, FrameworkId, PartnershipId, ResourceKind, Target};
use assure_store::audit_log;
use assure_store::audits::frameworks as st;
use marked_yaml::Spanned;
use serde::Deserialize;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

pub mod workbook;

/// The frameworks every instance carries.
pub const SHIPPED: [(&str, &str); 3] = [
    ("section11.yaml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/frameworks/section11.yaml"))),
    ("s175.yaml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/frameworks/s175.yaml"))),
    ("adults.yaml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/frameworks/adults.yaml"))),
];

#[derive(Deserialize)]
struct FileDoc {
    code: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    scheme: Option<Spanned<SchemeDoc>>,
    #[serde(default)]
    items: Vec<Spanned<ItemDoc>>,
}

#[derive(Deserialize)]
struct SchemeDoc {
    kind: Option<Spanned<String>>,
    #[serde(default)]
    not_applicable: bool,
    #[serde(default)]
    levels: Vec<Spanned<LevelDoc>>,
}

#[derive(Deserialize)]
struct LevelDoc {
    value: i64,
    label: String,
    colour: String,
}

#[derive(Deserialize)]
struct ItemDoc {
    id: Option<Spanned<String>>,
    parent: Option<Spanned<String>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    help: Option<String>,
    answer: Option<Spanned<String>>,
    #[serde(default)]
    choices: Vec<String>,
    weight: Option<Spanned<f64>>,
    target: Option<Spanned<i64>>,
}

pub(crate) fn line_of<T>(s: &Spanned<T>) -> usize {
    s.span().start().map(|m| m.line()).unwrap_or(1)
}

pub(crate) fn at<T: Clone>(s: &Option<Spanned<T>>) -> Option<At<T>> {
    s.as_ref().map(|v| At { value: (**v).clone(), line: line_of(v) })
}

const FILE_KEYS: [&str; 5] = ["code", "version", "title", "scheme", "items"];
const SCHEME_KEYS: [&str; 3] = ["kind", "not_applicable", "levels"];
const LEVEL_KEYS: [&str; 3] = ["value", "label", "colour"];
const ITEM_KEYS: [&str; 9] = ["id", "parent", "type", "title", "help", "answer", "choices", "weight", "target"];

/// Keys of `node` that are not `allowed`, each with its line: a misspelt key would otherwise be
/// ignored. Shared by the files Assure reads (frameworks, return templates).
pub(crate) fn unknown_keys_of(node: &marked_yaml::Node, allowed: &[&str], place: &str, out: &mut Vec<LineError>) {
    if let Some(map) = node.as_mapping() {
        for (key, _) in map.iter() {
            if !allowed.contains(&&**key) {
                out.push(LineError {
                    line: key.span().start().map(|m| m.line()).unwrap_or(1),
                    message: format!("unknown key '{}' in {place}: use {}", &**key, allowed.join(", ")),
                });
            }
        }
    }
}

/// A mapping's value under `name`.
pub(crate) fn child<'a>(node: &'a marked_yaml::Node, name: &str) -> Option<&'a marked_yaml::Node> {
    node.as_mapping()?.iter().find(|(k, _)| &***k == name).map(|(_, v)| v)
}

/// The items of a mapping's list under `name`.
pub(crate) fn items<'a>(node: &'a marked_yaml::Node, name: &str) -> impl Iterator<Item = &'a marked_yaml::Node> {
    child(node, name).and_then(|l| l.as_sequence()).into_iter().flat_map(|s| s.iter())
}

/// Keys the format does not know (a misspelt `weight` would otherwise be ignored), with their lines.
fn unknown_keys(text: &str) -> Vec<LineError> {
    let mut out = Vec::new();
    let Ok(root) = marked_yaml::parse_yaml(0, text) else { return out };
    unknown_keys_of(&root, &FILE_KEYS, "the file", &mut out);
    if let Some(scheme) = child(&root, "scheme") {
        unknown_keys_of(scheme, &SCHEME_KEYS, "the scheme", &mut out);
        for level in items(scheme, "levels") {
            unknown_keys_of(level, &LEVEL_KEYS, "a level", &mut out);
        }
    }
    for item in items(&root, "items") {
        unknown_keys_of(item, &ITEM_KEYS, "an item", &mut out);
    }
    out
}

/// Reads and checks a framework file; every problem comes back with its line.
/// The largest framework file (the shipped ones are a few dozen KB).
pub const MAX_YAML_BYTES: usize = 1024 * 1024;
/// How deeply `[` and `{` may nest: a framework needs three levels; thousands would exhaust
/// the stack when the parsed tree is dropped.
const MAX_FLOW_DEPTH: usize = 32;

/// Refuses, before parsing, a file too large or nested too deeply to be a framework.
fn check_shape(text: &str) -> Result<(), Vec<LineError>> {
    check_shape_of(text, "a framework", "three")
}

/// Refuses, before parsing, a file too large or nested too deeply to be `what` (which needs
/// `needs` levels of nesting).
pub(crate) fn check_shape_of(text: &str, what: &str, needs: &str) -> Result<(), Vec<LineError>> {
    if text.len() > MAX_YAML_BYTES {
        return Err(vec![LineError {
            line: 1,
            message: format!(
                "the file is {} KB; {what} file is at most {} KB",
                text.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
        }]);
    }
    let (mut depth, mut line) = (0usize, 1usize);
    for c in text.chars() {
        match c {
            '\n' => line += 1,
            '[' | '{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Err(vec![LineError {
                        line,
                        message: format!("lists and maps nest more than {MAX_FLOW_DEPTH} deep; {what} needs {needs}"),
                    }]);
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// A YAML reader's error as one problem with its line.
pub(crate) fn yaml_error(e: marked_yaml::FromYamlError) -> LineError {
    match e {
        marked_yaml::FromYamlError::ParseYaml(e) => {
            let message = e.to_string();
            // The parser's messages start "line:column: ".
            let line = message.split(':').next().and_then(|l| l.trim().parse().ok()).unwrap_or(1);
            let reason = message.splitn(3, ':').nth(2).map(str::trim).unwrap_or(&message).to_owned();
            LineError { line, message: format!("the file is not valid YAML: {reason}") }
        }
        marked_yaml::FromYamlError::FromNode(e) => {
            let path = e.path().map(str::to_owned);
            let inner = e.into_inner();
            let line = inner.start_mark().map(|m| m.line()).unwrap_or(1);
            let message = match path {
                Some(p) if !p.is_empty() && p != "." => format!("{p}: {inner}"),
                _ => inner.to_string(),
            };
            LineError { line, message }
        }
    }
}

/// A framework file as sent: a workbook (by its name or its zip signature) or YAML text, with
/// the YAML kept for it.
fn read_file(name: &str, bytes: &[u8]) -> CoreResult<(Framework, String)> {
    if bytes.starts_with(b"PK\x03\x04") || name.to_ascii_lowercase().ends_with(".xlsx") {
        let f = workbook::read(bytes).map_err(|errors| {
            let mut fields = assure_domain::FieldErrors::new();
            for e in errors {
                fields.add("file", format!("{}: {e}", shown(name)));
            }
            CoreError::Invalid(fields)
        })?;
        let text = workbook::yaml(&f);
        Ok((f, text))
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| {
            CoreError::field(
                "file",
                format!("{}: the file is neither YAML text nor an Excel workbook (.xlsx)", shown(name)),
            )
        })?;
        Ok((parse(text).map_err(|e| invalid(name, e))?, text.to_owned()))
    }
}

pub fn parse(text: &str) -> Result<Framework, Vec<LineError>> {
    check_shape(text)?;
    let unknown = unknown_keys(text);
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let doc: FileDoc = marked_yaml::from_yaml(0, text).map_err(|e| vec![yaml_error(e)])?;
    let first_line = doc.code.as_ref().map(line_of).unwrap_or(1);
    let (scheme_kind, levels, allow_na) = match &doc.scheme {
        Some(s) => (
            at(&s.kind).or(Some(At { value: String::new(), line: line_of(s) })).filter(|k| !k.value.is_empty()),
            s.levels
                .iter()
                .map(|l| At { value: (l.value, l.label.clone(), l.colour.clone()), line: line_of(l) })
                .collect(),
            s.not_applicable,
        ),
        None => (None, Vec::new(), false),
    };
    let raw = RawFramework {
        code: at(&doc.code),
        version: at(&doc.version),
        title: at(&doc.title),
        scheme_kind,
        levels,
        allow_not_applicable: allow_na,
        items: doc
            .items
            .iter()
            .map(|item| RawNode {
                line: line_of(item),
                id: at(&item.id),
                parent: at(&item.parent),
                kind: at(&item.kind),
                title: at(&item.title),
                help: item.help.clone(),
                answer: at(&item.answer),
                choices: item.choices.clone(),
                weight: at(&item.weight),
                target: at(&item.target),
            })
            .collect(),
        line: first_line,
    };
    fw::check(raw)
}

/// A framework file's problems as one field error each, for the pages, the API and the CLI.
fn invalid(name: &str, errors: Vec<LineError>) -> CoreError {
    let mut fields = assure_domain::FieldErrors::new();
    for e in errors {
        fields.add("file", format!("{} {e}", shown(name)));
    }
    CoreError::Invalid(fields)
}

impl Core {
    /// Adds any shipped framework version this instance does not have yet. Safe to run at every start.
    pub async fn load_shipped_frameworks(&self) -> CoreResult<usize> {
        let mut added = 0;
        for (name, text) in SHIPPED {
            let f = parse(text).map_err(|e| CoreError::Internal(format!("shipped framework {name}: {e:?}")))?;
            let mut tx = self.store.write().await?;
            // A partnership's own version of the same name does not stand in for the shared one.
            if st::find_shared(&mut tx, &f.code, &f.version).await?.is_none() {
                let id = st::insert(&mut tx, None, &f.code, &f.version, &f.title, text).await?;
                audit_log::append(
                    &mut tx,
                    assure_store::audit_log::NewEntry {
                        actor_user_id: None,
                        actor_label: "system".into(),
                        action: "framework_loaded".into(),
                        record_type: "framework".into(),
                        record_id: Some(id.to_string()),
                        partnership_id: None,
                        ip: None,
                        request_id: None,
                        detail: json!({"code": f.code, "version": f.version, "shipped": true}),
                    },
                )
                .await?;
                added += 1;
            }
            tx.commit().await?;
        }
        Ok(added)
    }

    /// Whether this actor may import frameworks into `owner`'s list (for showing the form).
    pub fn may_import_frameworks(&self, ctx: &Ctx, owner: Option<PartnershipId>) -> bool {
        self.authorize_frameworks(ctx, owner).is_ok()
    }

    fn authorize_frameworks(&self, ctx: &Ctx, owner: Option<PartnershipId>) -> CoreResult<()> {
        match owner {
            // A partnership's own: its business unit (and administrators) import them.
            Some(p) => ctx.authorize(Action::Create, &Target::new(ResourceKind::Framework, p)),
            // Shared frameworks serve every partnership on the instance, so no partnership's
            // administrator adds one: the operator does, at the console.
            None if ctx.user_id().is_none() && ctx.label == "cli" => Ok(()),
            None => Err(CoreError::Forbidden),
        }
    }

    /// May the actor import frameworks into `owner`'s list? Asked before the file is read.
    pub fn permit_framework_import(&self, ctx: &Ctx, owner: Option<PartnershipId>) -> CoreResult<crate::UploadPermit> {
        self.authorize_frameworks(ctx, owner)?;
        Ok(crate::UploadPermit::granted())
    }

    /// Imports a framework file (YAML, or a workbook as [`workbook`] lays it out) as a new
    /// version: partnership `owner`'s own, or (`None`) shared by every partnership. `name` names
    /// the file in messages. A workbook is kept as the equivalent YAML.
    pub async fn import_framework(
        &self,
        ctx: &Ctx,
        owner: Option<PartnershipId>,
        name: &str,
        bytes: Vec<u8>,
    ) -> CoreResult<FrameworkId> {
        self.authorize_frameworks(ctx, owner)?;
        let owned = name.to_owned();
        // Reading a workbook or a YAML file is CPU work: off the async runtime, bounded.
        let (f, text) = self.parsing.run(move || read_file(&owned, &bytes)).await??;
        let text = text.as_str();
        let mut tx = self.store.write().await?;
        if let Some((_, held_by)) = st::find(&mut tx, owner, &f.code, &f.version).await? {
            let message = match (owner, held_by) {
                (Some(_), None) => format!(
                    "version {} of '{}' is shared by every partnership already; give the file a new version",
                    f.version, f.code
                ),
                (None, Some(_)) => format!(
                    "a partnership has its own version {} of '{}'; give the file a new version",
                    f.version, f.code
                ),
                _ => format!("version {} of '{}' is already imported; give the file a new version", f.version, f.code),
            };
            return Err(invalid(name, vec![LineError { line: 1, message }]));
        }
        let id = st::insert(&mut tx, owner, &f.code, &f.version, &f.title, text).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "import",
                "framework",
                Some(id.to_string()),
                owner,
                json!({"code": f.code, "version": f.version, "shared": owner.is_none()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(FrameworkId(id))
    }

    /// The framework versions the actor may read, by code then version: the shared ones and
    /// the own ones of `within` (or, with `None`, of every partnership where the actor reads them).
    pub async fn frameworks(&self, ctx: &Ctx, within: Option<PartnershipId>) -> CoreResult<Vec<StoredFramework>> {
        let mut conn = self.store.read().await?;
        let all = st::list(&mut conn).await?;
        drop(conn);
        Ok(all
            .into_iter()
            .filter(|f| match f.partnership_id {
                None => true,
                Some(p) => within.is_none_or(|w| w == p) && may_read(ctx, p),
            })
            .collect())
    }

    /// One framework version as a workbook, to edit and import as a new version.
    pub async fn framework_xlsx(&self, ctx: &Ctx, id: FrameworkId) -> CoreResult<(StoredFramework, Vec<u8>)> {
        let (stored, f) = self.framework(ctx, id).await?;
        let bytes = workbook::write(&f).map_err(CoreError::Internal)?;
        Ok((stored, bytes))
    }

    /// One framework version, checked and with its file: a shared one, or a partnership's own
    /// to those who read that partnership's.
    pub async fn framework(&self, ctx: &Ctx, id: FrameworkId) -> CoreResult<(StoredFramework, Framework)> {
        let (stored, f) = self.framework_unchecked(id).await?;
        match stored.partnership_id {
            Some(p) if !may_read(ctx, p) => Err(CoreError::NotFound),
            _ => Ok((stored, f)),
        }
    }

    /// One framework version, for use-cases that have authorized the campaign using it.
    pub(crate) async fn framework_unchecked(&self, id: FrameworkId) -> CoreResult<(StoredFramework, Framework)> {
        let id = id.0;
        let mut conn = self.store.read().await?;
        let stored = st::get(&mut conn, id).await?;
        drop(conn);
        let f = parse(&stored.source)
            .map_err(|e| CoreError::Internal(format!("stored framework {id} no longer parses: {e:?}")))?;
        Ok((stored, f))
    }
}

fn may_read(ctx: &Ctx, p: PartnershipId) -> bool {
    assure_domain::can(&ctx.actor, Action::View, &Target::new(ResourceKind::Framework, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_frameworks_are_valid() {
        let codes: Vec<String> =
            SHIPPED.iter().map(|(name, text)| parse(text).unwrap_or_else(|e| panic!("{name}: {e:?}")).code).collect();
        assert_eq!(codes, vec!["section11", "s175", "adults"]);
        let s11 = parse(SHIPPED[0].1).expect("valid");
        assert_eq!(s11.standards().count(), 8, "Section 11's eight standards");
        let adults = parse(SHIPPED[2].1).expect("valid");
        assert_eq!(adults.scheme.levels.iter().map(|l| l.value).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    }

    #[test]
    fn a_file_nested_too_deeply_or_too_large_is_refused_before_parsing() {
        let deep = format!("code: x\nitems: {}{}\n", "[".repeat(200_000), "]".repeat(200_000));
        let e = parse(&deep).expect_err("deep");
        assert_eq!(e[0].message, "lists and maps nest more than 32 deep; a framework needs three");
        assert_eq!(e[0].line, 2);
        let large = format!("code: x\n# {}\n", "y".repeat(MAX_YAML_BYTES));
        assert!(parse(&large).expect_err("large")[0].message.starts_with("the file is 1024 KB"));
    }

    #[test]
    fn a_broken_file_names_the_line() {
        let e = parse("code: x\nitems:\n  - id: [a\n").expect_err("bad yaml");
        assert_eq!(e[0].line, 4);
        assert!(e[0].message.starts_with("the file is not valid YAML"), "{}", e[0].message);
        let e = parse("code: x\nversion: '1'\ntitle: X\nscheme:\n  kind: score\n  levels:\n    - {value: 1, label: One, colour: red}\nitems:\n  - id: S1\n    type: standard\n    title: S\n    colour: blue\n").expect_err("unknown field");
        assert_eq!(e[0].line, 12, "{e:?}");
        assert_eq!(
            e[0].message,
            "unknown key 'colour' in an item: use id, parent, type, title, help, answer, choices, weight, target"
        );
        let e = parse("code: x\nversion: '1'\ntitle: X\nscheme:\n  kind: score\n  levels:\n    - {value: 1, label: One, colour: red}\nitems:\n  - id: S1\n    type: standard\n    title: S\n  - id: Q\n    parent: S2\n    type: question\n    title: Q\n    answer: score\n").expect_err("missing parent");
        assert_eq!(
            e.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec![
                "line 9: the standard 'S1' has no questions",
                "line 13: the parent 'S2' is not an item above this one",
            ]
        );
    }
}
