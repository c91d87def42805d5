//! Themes: the partnership's managed taxonomy, the themes each review raised, and the analysis
//! that shows which themes recur across reviews (by year, by type, and which occur together).
//!
//! The analysis is of counts only, across every review of the partnership, so that board
//! members who may not open a restricted review can still see where learning concentrates.

use assure_domain::{Action, FieldErrors, PartnershipId, ReviewId, Target};
use std::collections::{BTreeMap, BTreeSet};

use assure_domain::authz::ResourceKind as K;
use assure_domain::reviews::themes::{same_theme, tidy_name};
use assure_store::audit_log;
use assure_store::reviews::{self as st, Theme};
use chrono::Datelike;
use serde::Serialize;
use serde_json::json;

use crate::{Core, CoreError, CoreResult, Ctx};

/// The themes seed 003 lists for the SSP's reviews: the taxonomy a new partnership starts with.
pub const STARTER_THEMES: &[&str] = &[
    "Adultification",
    "Communication",
    "Engagement",
    "Escalation",
    "Exploitation",
    "Housing and accommodation",
    "Mental health",
    "Missing episodes",
    "Neglect",
    "Physical health",
    "Planning and case management",
    "Risk assessment and management",
    "Substance misuse",
    "System failings in care homes",
    "Thresholds",
    "Transition",
];

#[derive(Debug, Clone, Serialize)]
pub struct ThemeRow {
    pub theme: Theme,
    pub total: i64,
    /// Counts in the order of [`ThemeAnalysis::years`].
    pub by_year: Vec<i64>,
    /// Counts in the order of [`ThemeAnalysis::types`].
    pub by_type: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeAnalysis {
    /// Years in which reviews began (the year the partnership became aware).
    pub years: Vec<i32>,
    /// (code, name) of the review types present.
    pub types: Vec<(String, String)>,
    /// Themes raised by at least one review, most often raised first.
    pub rows: Vec<ThemeRow>,
    /// `cooccurrence[i][j]`: reviews raising both theme `i` and theme `j` (the diagonal is the total).
    pub cooccurrence: Vec<Vec<i64>>,
    pub reviews_tagged: i64,
}

impl Core {
    pub async fn themes(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<Vec<Theme>> {
        ctx.authorize(Action::View, &Target::new(K::Partnership, p))?;
        let mut conn = self.store.read().await?;
        Ok(st::themes(&mut conn, p).await?)
    }

    /// Adds a theme to the taxonomy (those who manage reviews). A name that is already in the
    /// list in another case or spacing is refused, naming the theme it matches.
    pub async fn add_theme(&self, ctx: &Ctx, p: PartnershipId, name: &str) -> CoreResult<i64> {
        ctx.authorize(Action::Create, &Target::new(K::Review, p))?;
        let name = tidy_name(name).map_err(|m| CoreError::field("name", m))?;
        let mut tx = self.store.write().await?;
        Self::check_theme_free(&mut tx, p, &name, None).await?;
        let id = st::insert_theme(&mut tx, p, &name).await.map_err(|e| Self::clash(e, &name))?;
        audit_log::append(&mut tx, ctx.entry("create", "theme", Some(id.to_string()), Some(p), json!({"name": name})))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One of the partnership's themes, to rename or merge (those who manage reviews).
    pub async fn theme_to_manage(&self, ctx: &Ctx, p: PartnershipId, id: i64) -> CoreResult<Theme> {
        ctx.authorize(Action::Create, &Target::new(K::Review, p))?;
        self.themes(ctx, p).await?.into_iter().find(|t| t.id == id).ok_or(CoreError::NotFound)
    }

    /// Renames a theme; the reviews and recommendations tagged with it follow. The change is in
    /// the audit log with the old and the new name.
    /// `seen` is the version of the theme the person read ([`crate::version_of`]), if they said.
    pub async fn rename_theme(
        &self,
        ctx: &Ctx,
        p: PartnershipId,
        id: i64,
        name: &str,
        seen: Option<&str>,
    ) -> CoreResult<()> {
        let old = self.theme_to_manage(ctx, p, id).await?;
        let name = tidy_name(name).map_err(|m| CoreError::field("name", m))?;
        let mut tx = self.store.write().await?;
        let current = st::themes(&mut tx, p).await?.into_iter().find(|t| t.id == id).ok_or(CoreError::NotFound)?;
        crate::still_as_seen(seen, &current)?;
        Self::check_theme_free(&mut tx, p, &name, Some(id)).await?;
        st::rename_theme(&mut tx, id, &name).await.map_err(|e| Self::clash(e, &name))?;
        audit_log::append(
            &mut tx,
            ctx.entry("rename", "theme", Some(id.to_string()), Some(p), json!({"from": old.name, "to": name})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Merges one theme into another: the reviews and recommendations tagged with the first are
    /// tagged with the second, and the first leaves the list. Returns how many reviews moved.
    pub async fn merge_themes(&self, ctx: &Ctx, p: PartnershipId, from: i64, into: &str) -> CoreResult<i64> {
        ctx.authorize(Action::Create, &Target::new(K::Review, p))?;
        let themes = self.themes(ctx, p).await?;
        let from = themes.iter().find(|t| t.id == from).cloned().ok_or(CoreError::NotFound)?;
        let into = match into.trim().parse::<i64>() {
            Ok(id) if id != from.id => themes.into_iter().find(|t| t.id == id),
            _ => None,
        }
        .ok_or_else(|| CoreError::field("into", "Select the theme to merge it into from the list"))?;
        let mut tx = self.store.write().await?;
        let moved = st::merge_themes(&mut tx, from.id, into.id).await?;
        audit_log::append(
            &mut tx,
            ctx.entry(
                "merge",
                "theme",
                Some(from.id.to_string()),
                Some(p),
                json!({"from": from.name, "into": into.name, "into_id": into.id, "reviews": moved}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// Refuses a name that is another theme's in another case or spacing.
    async fn check_theme_free(
        conn: &mut assure_store::Conn,
        p: PartnershipId,
        name: &str,
        except: Option<i64>,
    ) -> CoreResult<()> {
        match st::themes(conn, p).await?.into_iter().find(|t| Some(t.id) != except && same_theme(&t.name, name)) {
            Some(t) => Err(CoreError::field("name", format!("“{}” is already in the list", t.name))),
            None => Ok(()),
        }
    }

    /// Two people adding the same theme at once: the unique index says so.
    fn clash(e: assure_store::StoreError, name: &str) -> CoreError {
        if e.is_unique_violation() {
            CoreError::field("name", format!("“{name}” is already in the list"))
        } else {
            e.into()
        }
    }

    /// Sets the themes a review raised; every id must be one of the partnership's themes. `seen`
    /// is the version of its themes the person read ([`crate::version_of`] of
    /// [`super::ReviewDetail::review_theme_ids`]), if they said.
    pub async fn set_review_themes(
        &self,
        ctx: &Ctx,
        review_id: ReviewId,
        theme_ids: &[String],
        seen: Option<&str>,
    ) -> CoreResult<()> {
        let review_id = review_id.0;
        let p = self.authorize_review_update(ctx, ReviewId(review_id)).await?;
        let known: BTreeSet<i64> = self.themes(ctx, p).await?.into_iter().map(|t| t.id).collect();
        let mut ids = BTreeSet::new();
        for raw in theme_ids.iter().filter(|r| !r.trim().is_empty()) {
            match raw.trim().parse::<i64>() {
                Ok(id) if known.contains(&id) => {
                    ids.insert(id);
                }
                _ => return Err(FieldErrors::single("themes", "Select themes from the list").into()),
            }
        }
        let ids: Vec<i64> = ids.into_iter().collect();
        let mut tx = self.store.write().await?;
        let current: Vec<i64> = st::themes_of_review(&mut tx, review_id).await?.into_iter().map(|t| t.id).collect();
        crate::still_as_seen(seen, &current)?;
        st::set_review_themes(&mut tx, review_id, &ids).await?;
        audit_log::append(
            &mut tx,
            ctx.entry("themes", "review", Some(review_id.to_string()), Some(p), json!({"themes": ids})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Which themes recur across the partnership's reviews.
    pub async fn theme_analysis(&self, ctx: &Ctx, p: PartnershipId) -> CoreResult<ThemeAnalysis> {
        ctx.authorize(Action::View, &Target::new(K::Partnership, p))?;
        let mut conn = self.store.read().await?;
        let themes = st::themes(&mut conn, p).await?;
        let reviews = st::reviews(&mut conn, p).await?;
        let pairs = st::review_theme_pairs(&mut conn, p).await?;
        drop(conn);
        let mut by_review: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
        for (r, t) in &pairs {
            by_review.entry(*r).or_default().insert(*t);
        }
        let info: BTreeMap<i64, (i32, String)> = reviews
            .iter()
            .map(|r| (r.id.0, (r.dates.aware_on.map(|d| d.year()).unwrap_or(0), r.type_code.clone())))
            .collect();
        let years: Vec<i32> =
            by_review.keys().filter_map(|r| info.get(r).map(|i| i.0)).collect::<BTreeSet<_>>().into_iter().collect();
        let type_codes: BTreeSet<String> = by_review.keys().filter_map(|r| info.get(r).map(|i| i.1.clone())).collect();
        let types: Vec<(String, String)> = type_codes
            .into_iter()
            .map(|c| {
                let name = self.review_types().get(&c).map(|t| t.name.clone()).unwrap_or_else(|| c.clone());
                (c, name)
            })
            .collect();
        let mut rows: Vec<ThemeRow> = themes
            .into_iter()
            .filter_map(|theme| {
                let tagged: Vec<i64> =
                    by_review.iter().filter(|(_, ts)| ts.contains(&theme.id)).map(|(r, _)| *r).collect();
                if tagged.is_empty() {
                    return None;
                }
                let count = |pred: &dyn Fn(&(i32, String)) -> bool| {
                    tagged.iter().filter(|r| info.get(r).is_some_and(pred)).count() as i64
                };
                Some(ThemeRow {
                    total: tagged.len() as i64,
                    by_year: years.iter().map(|y| count(&|i| i.0 == *y)).collect(),
                    by_type: types.iter().map(|(c, _)| count(&|i| &i.1 == c)).collect(),
                    theme,
                })
            })
            .collect();
        rows.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.theme.name.cmp(&b.theme.name)));
        let cooccurrence = rows
            .iter()
            .map(|a| {
                rows.iter()
                    .map(|b| {
                        by_review.values().filter(|ts| ts.contains(&a.theme.id) && ts.contains(&b.theme.id)).count()
                            as i64
                    })
                    .collect()
            })
            .collect();
        Ok(ThemeAnalysis { years, types, rows, cooccurrence, reviews_tagged: by_review.len() as i64 })
    }
}
