//! Data return templates: what a return asks for, read from YAML (shipped with Assure in
//! `config/returns/`, or imported), checked whole with every problem's line, and kept versioned
//! as the audit frameworks are: importing a new version never changes an old one, or a return
//! that answers it. The shipped ones, and any the operator imports, are shared by every
//! partnership on the instance; a partnership's business unit imports its own.

// The records these use-cases return, for the web edge and the CLI (which never name the store).
pub use assure_store::intelligence::returns::StoredTemplate;

use assure_domain::audits::framework::LineError;
use assure_domain::cells::shown;
use assure_domain::intelligence::returns::template::{
    self as tpl, RawCheck, RawField, RawGroup, RawTemplate, Template,
};
use assure_domain::structure::Choice;
use assure_domain::{Action, PartnershipId, ResourceKind, ReturnTemplateId, Target};
use assure_store::audit_log;
use assure_store::intelligence::returns as st;
use marked_yaml::Spanned;
use serde::Deserialize;
use serde_json::json;

use crate::audits::frameworks::{at, check_shape_of, items, line_of, unknown_keys_of, yaml_error};
use crate::{Core, CoreError, CoreResult, Ctx};

/// The templates every instance carries.
pub const SHIPPED: [(&str, &str); 3] = [
    ("adults.yaml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/returns/adults.yaml"))),
    ("lado.yaml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/returns/lado.yaml"))),
    (
        "annual_report.yaml",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/returns/annual_report.yaml")),
    ),
];

#[derive(Deserialize)]
struct FileDoc {
    code: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    description: Option<String>,
    period: Option<Spanned<String>>,
    #[serde(default)]
    groups: Vec<Spanned<GroupDoc>>,
    #[serde(default)]
    fields: Vec<Spanned<FieldDoc>>,
    #[serde(default)]
    checks: Vec<Spanned<CheckDoc>>,
}

#[derive(Deserialize)]
struct GroupDoc {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct FieldDoc {
    id: Option<Spanned<String>>,
    group: Option<Spanned<String>>,
    label: Option<Spanned<String>>,
    help: Option<String>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    #[serde(default)]
    choices: Vec<String>,
    max: Option<Spanned<i64>>,
    #[serde(default)]
    optional: bool,
    measure: Option<Spanned<String>>,
    #[serde(default)]
    indicator: bool,
}

#[derive(Deserialize)]
struct CheckDoc {
    part: Option<Spanned<String>>,
    whole: Option<Spanned<String>>,
    #[serde(default)]
    parts: Vec<String>,
    total: Option<Spanned<String>>,
}

const FILE_KEYS: [&str; 8] = ["code", "version", "title", "description", "period", "groups", "fields", "checks"];
const GROUP_KEYS: [&str; 2] = ["id", "title"];
const FIELD_KEYS: [&str; 10] =
    ["id", "group", "label", "help", "type", "choices", "max", "optional", "measure", "indicator"];
const CHECK_KEYS: [&str; 4] = ["part", "whole", "parts", "total"];

/// Reads and checks a template file; every problem comes back with its line.
pub fn parse(text: &str) -> Result<Template, Vec<LineError>> {
    check_shape_of(text, "a return template", "two")?;
    if let Ok(root) = marked_yaml::parse_yaml(0, text) {
        let mut unknown = Vec::new();
        unknown_keys_of(&root, &FILE_KEYS, "the file", &mut unknown);
        for g in items(&root, "groups") {
            unknown_keys_of(g, &GROUP_KEYS, "a group", &mut unknown);
        }
        for f in items(&root, "fields") {
            unknown_keys_of(f, &FIELD_KEYS, "a field", &mut unknown);
        }
        for c in items(&root, "checks") {
            unknown_keys_of(c, &CHECK_KEYS, "a check", &mut unknown);
        }
        if !unknown.is_empty() {
            return Err(unknown);
        }
    }
    let doc: FileDoc = marked_yaml::from_yaml(0, text).map_err(|e| vec![yaml_error(e)])?;
    let raw = RawTemplate {
        line: doc.code.as_ref().map(line_of).unwrap_or(1),
        code: at(&doc.code),
        version: at(&doc.version),
        title: at(&doc.title),
        description: doc.description.clone(),
        period: at(&doc.period),
        groups: doc.groups.iter().map(|g| RawGroup { line: line_of(g), id: at(&g.id), title: at(&g.title) }).collect(),
        fields: doc
            .fields
            .iter()
            .map(|f| RawField {
                line: line_of(f),
                id: at(&f.id),
                group: at(&f.group),
                label: at(&f.label),
                help: f.help.clone(),
                kind: at(&f.kind),
                choices: f.choices.clone(),
                max: at(&f.max),
                optional: f.optional,
                measure: at(&f.measure),
                indicator: f.indicator,
            })
            .collect(),
        checks: doc
            .checks
            .iter()
            .map(|c| RawCheck {
                line: line_of(c),
                part: at(&c.part),
                whole: at(&c.whole),
                parts: c.parts.clone(),
                total: at(&c.total),
            })
            .collect(),
    };
    tpl::check(raw)
}

/// A template file's problems as one field error each, for the pages, the API and the CLI.
fn invalid(name: &str, errors: Vec<LineError>) -> CoreError {
    let mut fields = assure_domain::FieldErrors::new();
    for e in errors {
        fields.add("file", format!("{} {e}", shown(name)));
    }
    CoreError::Invalid(fields)
}

/// A template file as sent: a workbook (by its name or its zip signature), kept as the
/// equivalent YAML; or YAML text, kept as it came.
fn read_file(name: &str, bytes: &[u8]) -> CoreResult<(Template, String)> {
    if bytes.starts_with(b"PK\x03\x04") || name.to_ascii_lowercase().ends_with(".xlsx") {
        let t = super::workbook::read(bytes).map_err(|errors| {
            let mut fields = assure_domain::FieldErrors::new();
            for e in errors {
                fields.add("file", format!("{}: {e}", shown(name)));
            }
            CoreError::Invalid(fields)
        })?;
        let text = super::workbook::yaml(&t);
        return Ok((t, text));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        CoreError::field(
            "file",
            format!("{}: the file is neither YAML text nor an Excel workbook (.xlsx)", shown(name)),
        )
    })?;
    Ok((parse(text).map_err(|e| invalid(name, e))?, text.to_owned()))
}

fn may_read(ctx: &Ctx, p: PartnershipId) -> bool {
    assure_domain::can(&ctx.actor, Action::View, &Target::new(ResourceKind::Indicator, p))
}

impl Core {
    /// Adds any shipped template version this instance does not have yet. Safe to run at every start.
    pub async fn load_shipped_return_templates(&self) -> CoreResult<usize> {
        let mut added = 0;
        for (name, text) in SHIPPED {
            let t = parse(text).map_err(|e| CoreError::Internal(format!("shipped return template {name}: {e:?}")))?;
            let mut tx = self.store.write().await?;
            if st::find_template(&mut tx, None, &t.code, &t.version).await?.is_none() {
                let id = st::insert_template(&mut tx, &new_template(None, &t, text)).await?;
                audit_log::append(
                    &mut tx,
                    assure_store::audit_log::NewEntry {
                        actor_user_id: None,
                        actor_label: "system".into(),
                        action: "template_loaded".into(),
                        record_type: "return_template".into(),
                        record_id: Some(id.to_string()),
                        partnership_id: None,
                        ip: None,
                        request_id: None,
                        detail: json!({"code": t.code, "version": t.version, "shipped": true}),
                    },
                )
                .await?;
                added += 1;
            }
            tx.commit().await?;
        }
        Ok(added)
    }

    /// Whether this actor may import templates into `owner`'s list (for showing the form).
    pub fn may_import_return_templates(&self, ctx: &Ctx, owner: Option<PartnershipId>) -> bool {
        self.authorize_templates(ctx, owner).is_ok()
    }

    fn authorize_templates(&self, ctx: &Ctx, owner: Option<PartnershipId>) -> CoreResult<()> {
        match owner {
            // A partnership's own: its business unit (and administrators) import them.
            Some(p) => ctx.authorize(Action::Create, &Target::new(ResourceKind::Indicator, p)),
            // Shared templates serve every partnership on the instance: the operator adds them,
            // at the console.
            None if ctx.user_id().is_none() && ctx.label == "cli" => Ok(()),
            None => Err(CoreError::Forbidden),
        }
    }

    /// May the actor import templates into `owner`'s list? Asked before the file is read.
    pub fn permit_return_template_import(
        &self,
        ctx: &Ctx,
        owner: Option<PartnershipId>,
    ) -> CoreResult<crate::UploadPermit> {
        self.authorize_templates(ctx, owner)?;
        Ok(crate::UploadPermit::granted())
    }

    /// Imports a template file as a new version: partnership `owner`'s own, or (`None`) shared
    /// by every partnership. `name` names the file in messages.
    pub async fn import_return_template(
        &self,
        ctx: &Ctx,
        owner: Option<PartnershipId>,
        name: &str,
        bytes: Vec<u8>,
    ) -> CoreResult<ReturnTemplateId> {
        self.authorize_templates(ctx, owner)?;
        let owned = name.to_owned();
        // Reading a workbook or YAML is CPU work: off the async runtime, bounded.
        let (t, text) = self.parsing.run(move || read_file(&owned, &bytes)).await??;
        let mut tx = self.store.write().await?;
        if let Some((_, held_by)) = st::find_template(&mut tx, owner, &t.code, &t.version).await? {
            let message = match (owner, held_by) {
                (Some(_), None) => format!(
                    "version {} of '{}' is shared by every partnership already; give the file a new version",
                    t.version, t.code
                ),
                (None, Some(_)) => format!(
                    "a partnership has its own version {} of '{}'; give the file a new version",
                    t.version, t.code
                ),
                _ => format!("version {} of '{}' is already imported; give the file a new version", t.version, t.code),
            };
            return Err(invalid(name, vec![LineError { line: 1, message }]));
        }
        let id = st::insert_template(&mut tx, &new_template(owner, &t, &text)).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "import",
                "return_template",
                Some(id.to_string()),
                owner,
                json!({"code": t.code, "version": t.version, "shared": owner.is_none()}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(ReturnTemplateId(id))
    }

    /// The template versions the actor may read, by code then version: the shared ones and the
    /// own ones of `within` (or, with `None`, of every partnership where the actor reads them).
    pub async fn return_templates(&self, ctx: &Ctx, within: Option<PartnershipId>) -> CoreResult<Vec<StoredTemplate>> {
        let mut conn = self.store.read().await?;
        let all = st::templates(&mut conn).await?;
        drop(conn);
        Ok(all
            .into_iter()
            .filter(|t| match t.partnership_id {
                None => true,
                Some(p) => within.is_none_or(|w| w == p) && may_read(ctx, p),
            })
            .collect())
    }

    /// One template version, checked and with its file: a shared one, or a partnership's own to
    /// those who read that partnership's.
    pub async fn return_template(&self, ctx: &Ctx, id: ReturnTemplateId) -> CoreResult<(StoredTemplate, Template)> {
        let mut conn = self.store.read().await?;
        let stored = st::template(&mut conn, id.0).await?;
        drop(conn);
        if let Some(p) = stored.partnership_id
            && !may_read(ctx, p)
        {
            return Err(CoreError::NotFound);
        }
        let t = stored_parse(&stored)?;
        Ok((stored, t))
    }

    /// One template version as a workbook, to edit and import as a new version.
    pub async fn return_template_xlsx(&self, ctx: &Ctx, id: ReturnTemplateId) -> CoreResult<(StoredTemplate, Vec<u8>)> {
        let (stored, t) = self.return_template(ctx, id).await?;
        let bytes = super::workbook::write(&t).map_err(CoreError::Internal)?;
        Ok((stored, bytes))
    }

    /// The latest version of each template code the partnership can ask for (shared or its own).
    pub async fn askable_return_templates(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<StoredTemplate>> {
        let all = self.return_templates(ctx, Some(p)).await?;
        let mut latest: Vec<StoredTemplate> = Vec::new();
        for t in all {
            match latest.iter_mut().find(|x| x.code == t.code) {
                // Listed by code, then age: a later one is newer.
                Some(x) => *x = t,
                None => latest.push(t),
            }
        }
        latest.sort_by(|a, b| a.title.cmp(&b.title));
        Ok(latest)
    }
}

/// The template a return answers, for use-cases that have authorized the return.
pub(crate) async fn template_of(
    conn: &mut assure_store::Conn,
    p: PartnershipId,
    code: &str,
    version: &str,
) -> CoreResult<Template> {
    stored_parse(&st::template_of(conn, p, code, version).await?)
}

/// Every template version partnership `p` uses (shared and its own), read in one query, by
/// (code, version): for use-cases that read many returns' templates at once.
pub(crate) async fn templates_of(
    conn: &mut assure_store::Conn,
    p: PartnershipId,
) -> CoreResult<std::collections::HashMap<(String, String), Template>> {
    st::templates(conn)
        .await?
        .iter()
        .filter(|t| t.partnership_id.is_none_or(|owner| owner == p))
        .map(|t| Ok(((t.code.clone(), t.version.clone()), stored_parse(t)?)))
        .collect()
}

fn stored_parse(stored: &StoredTemplate) -> CoreResult<Template> {
    parse(&stored.source)
        .map_err(|e| CoreError::Internal(format!("stored return template {} no longer parses: {e:?}", stored.id.0)))
}

fn new_template<'a>(owner: Option<PartnershipId>, t: &'a Template, source: &'a str) -> st::NewTemplate<'a> {
    st::NewTemplate { owner, code: &t.code, version: &t.version, title: &t.title, period_type: t.period.code(), source }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assure_domain::intelligence::returns::{FieldKind, PeriodType, check_return};

    fn raw(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_shipped_templates_are_valid() {
        let ts: Vec<Template> =
            SHIPPED.iter().map(|(name, text)| parse(text).unwrap_or_else(|e| panic!("{name}: {e:?}"))).collect();
        assert_eq!(ts.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), vec!["adults", "lado", "annual_report"]);
        assert_eq!(ts[0].version, "2025.1", "the version the migration gives every earlier return");
        assert_eq!(ts[0].fields.iter().filter(|f| f.measure.is_some()).count(), 8);
        assert_eq!(ts[1].period, PeriodType::Quarter);
        assert_eq!(ts[1].checks.len(), 6);
        assert_eq!(ts[2].period, PeriodType::FinancialYear);
        assert!(ts[2].fields.iter().all(|f| matches!(f.kind, FieldKind::Text | FieldKind::Pick)));
    }

    /// The adults' return behaves as it did when its figures and checks were code.
    #[test]
    fn the_adults_template_checks_as_before() {
        let t = parse(SHIPPED[0].1).expect("valid");
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
        let c = check_return(&t, &good, true, &raw(&[("concerns", "600")])).expect("valid");
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
        let e = check_return(&t, &bad, true, &[]).expect_err("invalid");
        assert_eq!(
            e.get("s42_enquiries"),
            Some("Section 42 enquiries started (12) cannot be more than Safeguarding concerns received (10)")
        );
        assert_eq!(
            e.get("msp_asked"),
            Some(
                "People asked about the outcomes they wanted (Making Safeguarding Personal): enter a whole number of 0 or more, not 'x'"
            )
        );
        assert_eq!(
            e.get("msp_fully"),
            Some(
                "Outcomes fully achieved, Outcomes partly achieved and Outcomes not achieved (1 + 1 + 1 = 3) must add up to People who expressed desired outcomes (5)"
            )
        );
        assert_eq!(
            e.get("other_enquiries"),
            Some("Other safeguarding enquiries started: enter the figure (0 if none)")
        );
        assert_eq!(e.get("measure"), Some("'mood' is not a figure this return asks for"));
        assert!(check_return(&t, &raw(&[("concerns", "5")]), false, &[]).is_ok(), "a draft may be part-filled");
    }

    #[test]
    fn a_broken_template_names_the_line() {
        let e = parse("code: x\nversion: '1'\ntitle: X\nperiod: quarter\nfields:\n  - id: a\n    type: whole\n    label: A\n    colour: red\n").expect_err("unknown key");
        assert_eq!(e[0].line, 9);
        assert_eq!(
            e[0].message,
            "unknown key 'colour' in a field: use id, group, label, help, type, choices, max, optional, measure, indicator"
        );
        let e = parse("code: x\nversion: '1'\ntitle: X\nperiod: quarter\nfields:\n  - {id: a, type: whole, label: A}\nchecks:\n  - {part: a, whole: b}\n").expect_err("unknown field");
        assert_eq!(
            e.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec!["line 8: the field 'b' is not one of the fields"]
        );
        let e = parse("code: x\nfields: [").expect_err("not yaml");
        assert!(e[0].message.starts_with("the file is not valid YAML"), "{e:?}");
        let deep = format!("code: x\nfields: {}{}\n", "[".repeat(1000), "]".repeat(1000));
        assert_eq!(
            parse(&deep).expect_err("deep")[0].message,
            "lists and maps nest more than 32 deep; a return template needs two"
        );
    }
}
