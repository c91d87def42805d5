//! The plan's pages and counts, kept between requests. A page of the plan reads only its own
//! rows (in target-date order, by index), but each row carries its recommendation, organisation,
//! body, review and evidence counts, and counting every matching action grows with the plan: so
//! each page's actions and each filter's count are kept per partnership, filter and day (a page
//! also by its place) and read again only when the plan has changed. Who may update an action
//! and which reviews the actor may name are decided per request.
//!
//! It cannot go stale: the plan's generation is a counter in the database that triggers raise in
//! every transaction that writes an action, a recommendation, a review, a review's themes, a
//! body (migration 0025), an organisation, a campaign or evidence (migration 0027), whichever
//! process or use-case writes it. What is kept is used only while the counter reads the
//! generation it was read at, and the counter is read first.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use assure_domain::PartnershipId;
use assure_domain::learning::PlanFilter;
use assure_store::learning::PlanAction;
use chrono::NaiveDate;

/// The most filters (and pages) kept; past it older generations go first.
const KEPT_MOST: usize = 1_000;

/// Pages longer than this (a whole plan's export) are read every time rather than kept.
pub(super) const KEPT_PAGE_MOST: i64 = 200;

/// Counts of the plan, and its pages, each with the generation it was read at.
#[derive(Default)]
pub struct PlanCounts {
    counts: Mutex<HashMap<Key, (i64, i64)>>,
    pages: Mutex<HashMap<PageKey, (i64, Rows)>>,
}

/// A page's actions, shared by the requests that show it.
type Rows = Arc<Vec<PlanAction>>;

/// A partnership, a filter and the day it was counted on.
type Key = (PartnershipId, PlanFilter, NaiveDate);

/// A count's key, and the page's offset and length.
type PageKey = (Key, i64, i64);

fn get<K: Hash + Eq, V: Clone>(map: &Mutex<HashMap<K, (i64, V)>>, key: &K, generation: i64) -> Option<V> {
    let map = map.lock().unwrap_or_else(PoisonError::into_inner);
    map.get(key).filter(|(g, _)| *g == generation).map(|(_, v)| v.clone())
}

fn put<K: Hash + Eq, V>(map: &Mutex<HashMap<K, (i64, V)>>, key: K, generation: i64, value: V) {
    let mut map = map.lock().unwrap_or_else(PoisonError::into_inner);
    if map.len() >= KEPT_MOST {
        // What was read at an older generation is of no further use.
        map.retain(|_, (g, _)| *g >= generation);
        if map.len() >= KEPT_MOST {
            map.clear();
        }
    }
    if map.get(&key).is_none_or(|(g, _)| *g <= generation) {
        map.insert(key, (generation, value));
    }
}

impl PlanCounts {
    pub(super) fn count(
        &self,
        p: PartnershipId,
        filter: &PlanFilter,
        today: NaiveDate,
        generation: i64,
    ) -> Option<i64> {
        get(&self.counts, &(p, filter.clone(), today), generation)
    }

    pub(super) fn put_count(&self, p: PartnershipId, filter: &PlanFilter, today: NaiveDate, generation: i64, n: i64) {
        put(&self.counts, (p, filter.clone(), today), generation, n);
    }

    pub(super) fn page(
        &self,
        p: PartnershipId,
        filter: &PlanFilter,
        today: NaiveDate,
        page: assure_store::structure::Page,
        generation: i64,
    ) -> Option<Arc<Vec<PlanAction>>> {
        get(&self.pages, &((p, filter.clone(), today), page.offset, page.limit), generation)
    }

    pub(super) fn put_page(
        &self,
        p: PartnershipId,
        filter: &PlanFilter,
        today: NaiveDate,
        page: assure_store::structure::Page,
        generation: i64,
        actions: Arc<Vec<PlanAction>>,
    ) {
        put(&self.pages, ((p, filter.clone(), today), page.offset, page.limit), generation, actions);
    }
}
