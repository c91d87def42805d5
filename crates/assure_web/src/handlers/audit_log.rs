//! The audit log viewer, for administrators and the independent scrutineer.

use askama::Template;
use assure_core::audit_log::{Entry, Filter};
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::{Pager, render};
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
    pub page: Option<i64>,
}

impl AuditQuery {
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

#[derive(Template)]
#[template(path = "audit_log/list.html")]
struct ListPage {
    layout: Layout,
    entries: Vec<Entry>,
    pager: Pager,
    q: AuditQuery,
}

async fn list(
    State(state): State<AppState>,
    mut page: Page,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let (entries, total) = state.core.audit_entries(&page.ctx, page.partnership, q.filter(super::PAGE_SIZE)).await?;
    page.layout.page("Audit log", "/audit", &[]);
    render(&ListPage { layout: page.layout, entries, pager: Pager::new(q.page, total, q.extra()), q })
}
