//! The audit log viewer, for administrators and the independent scrutineer.

use askama::Template;
use std::collections::HashMap;

use assure_core::audit_log::{ACTIONS, Entry, Filter, RECORDS, actor_words, sentence};
use assure_domain::FieldErrors;
use assure_domain::uk_time::uk_timestamp;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::{Opt, Pager, render};
use crate::AppState;
use crate::error::PageError;
use crate::extract::Page;
use crate::layout::{Layout, NavEntry, Section};
use assure_domain::authz::ResourceKind;

/// Where this module's pages sit in the navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    section: Section::Administration,
    href: "/audit",
    label: "Audit log",
    needs: Some(ResourceKind::AuditLog),
}];

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

/// The viewer's filters, as the form sends them. Empty means any.
#[derive(Deserialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub record_type: String,
    #[serde(default)]
    pub record_id: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// The date inputs' boxes, joined into `from` and `to` (a link to another page carries
    /// the joined dates).
    #[serde(default, rename = "from-day")]
    pub from_day: String,
    #[serde(default, rename = "from-month")]
    pub from_month: String,
    #[serde(default, rename = "from-year")]
    pub from_year: String,
    #[serde(default, rename = "to-day")]
    pub to_day: String,
    #[serde(default, rename = "to-month")]
    pub to_month: String,
    #[serde(default, rename = "to-year")]
    pub to_year: String,
    pub page: Option<i64>,
}

impl AuditQuery {
    /// The query with its date inputs joined into `from` and `to`.
    pub fn joined(mut self) -> Self {
        use crate::handlers::join_date;
        if self.from.is_empty() {
            self.from = join_date(&self.from_day, &self.from_month, &self.from_year);
        }
        if self.to.is_empty() {
            self.to = join_date(&self.to_day, &self.to_month, &self.to_year);
        }
        self
    }

    pub fn filter(&self, limit: i64) -> Filter {
        let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let date = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
        Filter {
            partnership_id: None,
            actor: some(&self.actor),
            action: some(&self.action),
            record_type: some(&self.record_type),
            record_id: some(&self.record_id),
            from: date(&self.from).map(|d| d.to_string()),
            // Inclusive of the whole "to" day.
            to: date(&self.to).and_then(|d| d.succ_opt()).map(|d| d.to_string()),
            limit,
            offset: (self.page.unwrap_or(1).max(1) - 1) * limit,
        }
    }

    fn extra(&self) -> String {
        let pairs = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("record_type", &self.record_type),
            ("record_id", &self.record_id),
            ("from", &self.from),
            ("to", &self.to),
        ];
        let kept: Vec<(&str, &String)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        if kept.is_empty() {
            String::new()
        } else {
            format!("&{}", serde_urlencoded::to_string(kept).unwrap_or_default())
        }
    }
}

/// One entry as the page shows it: when in UK time, and what happened in a sentence.
struct Said {
    entry: Entry,
    when: String,
    what: String,
}

#[derive(Template)]
#[template(path = "audit_log/list.html")]
struct ListPage {
    layout: Layout,
    entries: Vec<Said>,
    pager: Pager,
    q: AuditQuery,
    /// The filters' lists: the partnership's accounts, the actions and the kinds of record.
    actors: Vec<Opt>,
    actions: Vec<Opt>,
    records: Vec<Opt>,
    /// What the filter's dates were, when one is not a date.
    errors: FieldErrors,
}

async fn list(
    State(state): State<AppState>,
    mut page: Page,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let q = q.joined();
    let mut errors = FieldErrors::new();
    errors.check("from", assure_domain::validation::optional_date("the first day", &q.from));
    errors.check("to", assure_domain::validation::optional_date("the last day", &q.to));
    let (entries, total) = state.core.audit_entries(&page.ctx, page.partnership, q.filter(super::PAGE_SIZE)).await?;
    let users = state.core.users(&page.ctx, page.partnership).await?;
    let names: HashMap<i64, &str> = users.iter().map(|u| (u.id.0, u.shown_name())).collect();
    let entries = entries
        .into_iter()
        .map(|entry| {
            let who =
                entry.actor_user_id.and_then(|id| names.get(&id).copied()).unwrap_or(actor_words(&entry.actor_label));
            // An account is named by its holder's name, where the reader knows it.
            let account = (entry.record_type == "user")
                .then(|| entry.record_id.as_deref().and_then(|id| id.parse::<i64>().ok()))
                .flatten()
                .and_then(|id| names.get(&id))
                .map(|name| format!("the account of {name}"));
            Said { when: uk_timestamp(&entry.at), what: sentence(&entry, who, account.as_deref()), entry }
        })
        .collect();
    let option = |value: &str, label: &str| Opt { value: value.to_owned(), label: label.to_owned() };
    let mut actors = vec![option("", "Anyone")];
    actors.extend(users.iter().map(|u| option(&u.email, &format!("{} ({})", u.shown_name(), u.email))));
    let mut actions = vec![option("", "Any action")];
    actions.extend(ACTIONS.iter().map(|(code, _, label)| option(code, label)));
    let mut records = vec![option("", "Any record")];
    records.extend(RECORDS.iter().map(|(code, noun)| {
        let noun = noun.strip_prefix("the ").unwrap_or(noun);
        let mut label = noun.to_owned();
        if let Some(first) = label.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        option(code, &label)
    }));
    page.layout.page("Audit log", "/audit", &[]);
    let pager = Pager::new(q.page, total, q.extra());
    let list = ListPage { layout: page.layout, entries, pager, q, actors, actions, records, errors };
    if list.errors.is_empty() { render(&list) } else { super::render_invalid(&list) }
}
