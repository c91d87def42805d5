//! Page handlers: one module per capability (a folder of page modules, one per resource, when it
//! is large). Each page is a typed template struct beside the handler that renders it; the
//! template's path mirrors the module (`handlers/structure/organisations.rs` renders
//! `templates/structure/organisations/`).

pub mod accounts;
pub mod audit_log;
pub mod audits;
pub mod bulletins;
pub mod challenges;
pub mod finance;
pub mod inspections;
pub mod intelligence;
pub mod learning;
pub mod meetings;
pub mod ops;
pub mod reports;
pub mod reviews;
pub mod risks;
pub mod strategy;
pub mod structure;
pub mod training;
pub mod voice;

use std::collections::HashMap;

use askama::Template;
use assure_domain::structure::Choice;
use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::AppState;
use crate::error::PageError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(accounts::routes())
        .merge(structure::routes())
        .merge(reviews::routes())
        .merge(learning::routes())
        .merge(meetings::routes())
        .merge(risks::routes())
        .merge(strategy::routes())
        .merge(finance::routes())
        .merge(training::routes())
        .merge(challenges::routes())
        .merge(inspections::routes())
        .merge(voice::routes())
        .merge(bulletins::routes())
        .merge(reports::routes())
        .merge(audits::routes())
        .merge(intelligence::routes())
        .merge(audit_log::routes())
}

/// The body of a form that is only its button and its form token (publish, close, remove, sign
/// out): nothing to read but the token the extractor checks.
#[derive(serde::Deserialize)]
pub struct Empty {}

/// A field of a form read as pairs (kept as pairs for repeated fields such as checkboxes); "" if absent.
pub fn field(form: &[(String, String)], name: &str) -> String {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

pub async fn not_found() -> PageError {
    PageError::NotFound
}

/// Renders a page template, or reports an internal error (never the template's message).
pub fn render(template: &impl Template) -> Result<Response, PageError> {
    Ok(Html(render_string(template)?).into_response())
}

/// The size of each template's last rendering, by template: the next starts with a buffer of
/// that size (and a little more), so that a large page is written into one allocation instead of
/// a buffer grown, and copied, from the compile-time hint.
static LAST_SIZE: std::sync::LazyLock<std::sync::Mutex<HashMap<&'static str, usize>>> =
    std::sync::LazyLock::new(Default::default);

/// Renders a template into a string sized by its last rendering.
pub fn render_string<T: Template>(template: &T) -> Result<String, PageError> {
    let name = std::any::type_name::<T>();
    let last = LAST_SIZE.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(name).copied();
    let mut html = String::with_capacity(last.map_or(T::SIZE_HINT, |n| n + n / 8));
    template.render_into(&mut html).map_err(|e| PageError::Internal(format!("template: {e}")))?;
    if last != Some(html.len()) {
        LAST_SIZE.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(name, html.len());
    }
    Ok(html)
}

/// Renders a form again with its errors, as 422 so that tools and tests can tell.
pub fn render_invalid(template: &impl Template) -> Result<Response, PageError> {
    // A page shown again with its errors says so first in its title, as GOV.UK pages do, so a
    // screen reader hears it before anything else.
    let html = order_error_summary(render_string(template)?.replacen("<title>", "<title>Error: ", 1));
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html)
        .into_response())
}

/// The error summary's messages in the order of the fields they link to on the page (the order
/// a person meets them), whatever order the checks found them in. A message whose field is not
/// on the page keeps its place after those that are.
fn order_error_summary(html: String) -> String {
    const LIST: &str = r#"<ul class="govuk-list govuk-error-summary__list">"#;
    let Some(start) = html.find(LIST).map(|i| i + LIST.len()) else { return html };
    let Some(end) = html[start..].find("</ul>").map(|i| start + i) else { return html };
    let items: Vec<&str> =
        html[start..end].split("<li>").filter_map(|chunk| chunk.split_once("</li>").map(|(item, _)| item)).collect();
    let position = |item: &str| {
        let field = item.split_once(r##"href="#"##).and_then(|(_, rest)| rest.split_once('"')).map(|(f, _)| f);
        field.and_then(|f| html[end..].find(&format!(r#"id="{f}""#))).unwrap_or(usize::MAX)
    };
    let mut ordered: Vec<(usize, &str)> = items.iter().map(|item| (position(item), *item)).collect();
    ordered.sort_by_key(|(at, _)| *at);
    let list: String = ordered.iter().map(|(_, item)| format!("<li>{item}</li>")).collect();
    format!("{}{list}{}", &html[..start], &html[end..])
}

/// After a successful change: go to `to`, and show the banner for `flash` there.
pub fn done(to: &str, flash: &str) -> Response {
    // The banner's query goes before any fragment (`/audits/assessments/5#question-1.1`).
    let (path, fragment) = match to.split_once('#') {
        Some((path, fragment)) => (path, format!("#{fragment}")),
        None => (to, String::new()),
    };
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}done={flash}{fragment}")).into_response()
}

/// The day of a stored timestamp ("2026-11-20T09:15:00Z") as pages show dates: "20 November
/// 2026". Text that is not a timestamp is shown as it is.
pub fn day(timestamp: &str) -> String {
    // A moment is read as the day it was in England (after 23:00 UTC in summer it is the next).
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(timestamp) {
        let (local, _) = assure_domain::uk_time::uk_local(at.with_timezone(&chrono::Utc));
        return assure_domain::validation::long_date(local.date());
    }
    timestamp
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(assure_domain::validation::long_date)
        .unwrap_or_else(|| timestamp.to_owned())
}

/// A date field's value as the three boxes of the GOV.UK date input show it: "2026-03-27" as
/// ("27", "3", "2026"). A value that is not a date (what someone typed, sent back with an error)
/// is split the way [`join_date`] joined it, so the boxes show what was typed.
pub fn date_parts(value: &str) -> (String, String, String) {
    let value = value.trim();
    if value.is_empty() {
        return Default::default();
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        use chrono::Datelike as _;
        return (d.day().to_string(), d.month().to_string(), d.year().to_string());
    }
    let mut parts = value.splitn(3, '-');
    let (year, month, day) = (parts.next(), parts.next(), parts.next());
    match (year, month, day) {
        (Some(y), Some(m), Some(d)) => (d.to_owned(), m.to_owned(), y.to_owned()),
        _ => (String::new(), String::new(), value.to_owned()),
    }
}

/// Joins a GOV.UK date input's day, month and year into the one ISO date the use-cases read:
/// ("27", "3", "2026") as "2026-03-27". Nothing entered is "" (so a required date says "Enter
/// …"); anything else that is not a date stays visibly wrong ("2026-13-x") and is refused by the
/// date's own check.
pub fn join_date(day: &str, month: &str, year: &str) -> String {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return String::new();
    }
    let pad =
        |p: &str| if p.len() == 1 && p.chars().all(|c| c.is_ascii_digit()) { format!("0{p}") } else { p.to_owned() };
    format!("{year}-{}-{}", pad(month), pad(day))
}

/// A form's fields with each GOV.UK date input (`x-day`, `x-month`, `x-year`) joined into the
/// one field `x` in their place, unless the form sent `x` itself.
pub fn with_joined_dates(mut fields: Vec<(String, String)>) -> Vec<(String, String)> {
    let bases: Vec<String> = fields.iter().filter_map(|(k, _)| k.strip_suffix("-day").map(str::to_owned)).collect();
    for base in bases {
        if fields.iter().any(|(k, _)| *k == base) {
            continue;
        }
        let get = |suffix: &str| {
            let key = format!("{base}-{suffix}");
            fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()).unwrap_or_default()
        };
        let joined = join_date(&get("day"), &get("month"), &get("year"));
        fields.retain(|(k, _)| {
            k.strip_prefix(base.as_str()).is_none_or(|rest| !matches!(rest, "-day" | "-month" | "-year"))
        });
        fields.push((base, joined));
    }
    fields
}

/// An edit form with the version of the record it was filled from (the hidden `version`
/// field, [`assure_core::version_of`]): saving it changes the record only if nobody else has
/// changed it since.
#[derive(serde::Deserialize)]
pub struct Versioned<T> {
    #[serde(flatten)]
    pub input: T,
    #[serde(default)]
    pub version: String,
}

impl<T> Versioned<T> {
    /// The version the person read, if the form said.
    pub fn seen(&self) -> Option<&str> {
        Some(self.version.as_str()).filter(|v| !v.trim().is_empty())
    }
}

/// What an edit form says, on `field` (its first), when someone else changed the record while
/// it was being edited: the form then shows their version, to change again.
pub fn changed_since(field: &str, what: &str) -> assure_domain::FieldErrors {
    assure_domain::FieldErrors::single(
        field,
        format!(
            "Someone else changed this {what} while you were editing it. This is their version: make your change again"
        ),
    )
}

/// An option in a select list.
pub struct Opt {
    pub value: String,
    pub label: String,
}

impl Opt {
    pub fn new(value: impl ToString, label: impl Into<String>) -> Opt {
        Opt { value: value.to_string(), label: label.into() }
    }

    /// Every value of a closed list, after a blank "Select…" option.
    pub fn choices<C: Choice>(blank: &str) -> Vec<Opt> {
        let mut out = vec![Opt::new("", blank)];
        out.extend(C::ALL.iter().map(|c| Opt::new(c.code(), c.label())));
        out
    }
}

/// Which page of a list, from `?page=N`, 50 to a page.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub extra: String,
}

pub const PAGE_SIZE: i64 = 50;

impl Pager {
    /// The total as a person reads it: "1,005".
    pub fn shown_total(&self) -> String {
        assure_domain::cells::thousands(self.total)
    }

    pub fn store_page(page: Option<i64>) -> assure_core::structure::Page {
        let page = page.unwrap_or(1).max(1);
        assure_core::structure::Page { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }
    }

    pub fn new(page: Option<i64>, total: i64, extra: String) -> Pager {
        Self::sized(page, total, PAGE_SIZE, extra)
    }

    /// As [`Pager::new`], with `size` to a page.
    pub fn sized(page: Option<i64>, total: i64, size: i64, extra: String) -> Pager {
        let pages = (total + size - 1) / size;
        Pager { page: page.unwrap_or(1).clamp(1, pages.max(1)), pages, total, extra }
    }

    /// The page links to show: the first, the last and two either side of the current one,
    /// with a gap (`None`) where pages are left out, as GOV.UK pagination does.
    pub fn window(&self) -> Vec<Option<i64>> {
        let mut out = Vec::new();
        for n in 1..=self.pages {
            if n == 1 || n == self.pages || (n - self.page).abs() <= 2 {
                out.push(Some(n));
            } else if out.last() != Some(&None) {
                out.push(None);
            }
        }
        out
    }
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    pub page: Option<i64>,
    #[serde(default)]
    pub ended: Option<String>,
}

impl ListQuery {
    pub fn include_ended(&self) -> bool {
        self.ended.as_deref() == Some("show")
    }

    pub fn extra(&self) -> String {
        if self.include_ended() { "&ended=show".into() } else { String::new() }
    }
}

/// A record id from the path; anything that is not one is simply not found.
pub fn path_id(raw: &str) -> Result<i64, PageError> {
    raw.parse::<i64>().ok().filter(|v| *v > 0).ok_or(PageError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_show_as_days() {
        assert_eq!(day("2026-11-20T09:15:00.123Z"), "20 November 2026");
        assert_eq!(day("2026-07-01T23:30:00Z"), "2 July 2026", "the day in England, in summer time");
        assert_eq!(day("2026-11-20"), "20 November 2026");
        assert_eq!(day("soon"), "soon");
    }

    #[test]
    fn the_error_summary_follows_the_fields_order() {
        let page = r##"<title>T</title><ul class="govuk-list govuk-error-summary__list">
        <li><a href="#b">B is wrong</a></li>
        <li><a href="#gone">Not on the page</a></li>
        <li><a href="#a">A is wrong</a></li>
      </ul><form><input id="a"><input id="b"></form>"##;
        let out = order_error_summary(page.to_owned());
        let a = out.find("A is wrong").unwrap();
        let b = out.find("B is wrong").unwrap();
        let gone = out.find("Not on the page").unwrap();
        assert!(a < b && b < gone, "{out}");
        assert!(out.ends_with(r#"</ul><form><input id="a"><input id="b"></form>"#));
        assert_eq!(order_error_summary("<p>no summary</p>".into()), "<p>no summary</p>");
    }

    use super::Pager;

    #[test]
    fn long_lists_show_a_window_of_page_links() {
        let pager = Pager::new(Some(100), 10_000, String::new());
        assert_eq!(pager.pages, 200);
        assert_eq!(
            pager.window(),
            vec![Some(1), None, Some(98), Some(99), Some(100), Some(101), Some(102), None, Some(200)]
        );
        assert_eq!(Pager::new(Some(1), 120, String::new()).window(), vec![Some(1), Some(2), Some(3)]);
    }

    #[test]
    fn a_govuk_date_input_joins_into_an_iso_date_and_splits_back() {
        assert_eq!(join_date("27", "3", "2026"), "2026-03-27");
        assert_eq!(join_date(" 7 ", "11", "2026"), "2026-11-07");
        assert_eq!(join_date("", "", ""), "");
        assert_eq!(join_date("31", "x", "26"), "26-x-31", "what was typed stays, to be refused");
        assert_eq!(date_parts("2026-03-27"), ("27".into(), "3".into(), "2026".into()));
        assert_eq!(date_parts("26-x-31"), ("31".into(), "x".into(), "26".into()));
        assert_eq!(date_parts(""), Default::default());
        let fields = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let joined = with_joined_dates(fields(&[("due_on-day", "1"), ("due_on-month", "4"), ("due_on-year", "2027")]));
        assert_eq!(joined, vec![("due_on".to_owned(), "2027-04-01".to_owned())]);
        let kept = with_joined_dates(fields(&[("due_on", "2027-05-01"), ("due_on-day", "1")]));
        assert_eq!(kept.iter().filter(|(k, _)| k == "due_on").count(), 1, "a field sent whole is kept");
    }
}
